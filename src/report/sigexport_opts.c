/* sigexport_opts.c - the options of `kasaudit sigs export` checked into
 * struct sigexport_opts: format, answer, walled garden, zone, categories. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "match.h"
#include "sigexport.h"

static const char *const format_names[SX_NFORMATS] = {
	"rpz", "unbound", "dnsmasq", "hosts", "suricata", "zeek-intel",
};

const char *
sigexport_format_name(enum sigexport_format f)
{
	return (unsigned)f < SX_NFORMATS ? format_names[f] : "?";
}

void
sigexport_defaults(struct sigexport_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = SX_RPZ;
	o->action = SX_NXDOMAIN;
	snprintf(o->zone, sizeof(o->zone), "%s", SIGEXPORT_ZONE);
	/* Neither is Kaspersky: blocking them is another policy. */
	o->cats = ((1u << CAT_N) - 1) & ~(1u << CAT_ENCDNS) &
	    ~(1u << CAT_SUCCESSOR);
}

int
sigexport_set_format(struct sigexport_opts *o, const char *s, char *errbuf)
{
	size_t i;

	for (i = 0; i < SX_NFORMATS; i++)
		if (strcmp(s, format_names[i]) == 0) {
			o->format = (enum sigexport_format)i;
			return 0;
		}
	snprintf(errbuf, ERRBUF_LEN, "--format: rpz, unbound, dnsmasq, "
	    "hosts, suricata or zeek-intel, not %s", s);
	return -1;
}

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* A host name as an option gives it: letters, digits, '-', '_'; labels of
 * 1-63; at most 253 characters; one trailing dot ignored.  Lower-cased
 * into out (SIGEXPORT_NAME_MAX + 1 bytes). */
static bool
parse_name(const char *s, char *out)
{
	size_t n = strlen(s), i, label = 0;

	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || n > SIGEXPORT_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (!name_char(s[i]) || ++label > 63)
			return false;
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) :
		    s[i];
	}
	out[n] = '\0';
	return label > 0;
}

int
sigexport_set_action(struct sigexport_opts *o, const char *s, char *errbuf)
{
	if (strcmp(s, "nxdomain") == 0)
		o->action = SX_NXDOMAIN;
	else if (strcmp(s, "nodata") == 0)
		o->action = SX_NODATA;
	else if (strncmp(s, "cname:", 6) == 0) {
		if (!parse_name(s + 6, o->target)) {
			snprintf(errbuf, ERRBUF_LEN, "--rpz-action: not a host "
			    "name after cname: \"%s\"", s + 6);
			return -1;
		}
		o->action = SX_CNAME;
	} else {
		snprintf(errbuf, ERRBUF_LEN, "--rpz-action: nxdomain, nodata "
		    "or cname:NAME, not %s", s);
		return -1;
	}
	o->action_given = true;
	return 0;
}

int
sigexport_set_redirect(struct sigexport_opts *o, const char *s,
    char *errbuf)
{
	char buf[64], *p, *comma;
	unsigned char bin[16];

	o->addr4[0] = o->addr6[0] = '\0';
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	for (p = buf; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if (inet_pton(AF_INET, p, bin) == 1 && o->addr4[0] == '\0')
			inet_ntop(AF_INET, bin, o->addr4, sizeof(o->addr4));
		else if (inet_pton(AF_INET6, p, bin) == 1 &&
		    o->addr6[0] == '\0')
			inet_ntop(AF_INET6, bin, o->addr6, sizeof(o->addr6));
		else
			goto bad;
	}
	o->action = SX_ADDRESS;
	o->action_given = true;
	return 0;
bad:
	snprintf(errbuf, ERRBUF_LEN, "--redirect-ip: want ADDR[,ADDR] (at "
	    "most one IPv4 and one IPv6 address), got %s", s);
	return -1;
}

int
sigexport_set_zone(struct sigexport_opts *o, const char *s, char *errbuf)
{
	if (!parse_name(s, o->zone)) {
		snprintf(errbuf, ERRBUF_LEN, "--zone: not a zone name: \"%s\"",
		    s);
		return -1;
	}
	return 0;
}

int
sigexport_set_categories(struct sigexport_opts *o, const char *s,
    char *errbuf)
{
	const char *p = s, *e;
	unsigned cats = 0;
	size_t n;
	int c;

	if (strcmp(s, "all") == 0) {
		o->cats = (1u << CAT_N) - 1;
		return 0;
	}
	for (;;) {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		for (c = 0; c < CAT_N; c++)
			if (strlen(match_cat_name((enum match_cat)c)) == n &&
			    strncmp(match_cat_name((enum match_cat)c), p,
			    n) == 0)
				break;
		if (c == CAT_N) {
			snprintf(errbuf, ERRBUF_LEN, "--category: unknown "
			    "category \"%.*s\" (update, telemetry, activation, "
			    "pki, management, web, other, encrypted-dns, "
			    "successor, all)",
			    (int)n, p);
			return -1;
		}
		cats |= 1u << c;
		if (e == NULL)
			break;
		p = e + 1;
	}
	o->cats = cats;
	return 0;
}
