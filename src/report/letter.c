/* letter.c - the outreach letter: {{placeholder}} templates parsed once,
 * rendered per network as text or as an HTML page. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "letter.h"
#include "report_int.h"

#define MAX_PARTS	4096

/* What a template may ask for; kasaudit.1 (FILES, Letter) documents each. */
enum ph {
	PH_NETWORK,		/* its name */
	PH_PREFIXES,		/* "10.1.0.0/16, 2001:db8::/56" */
	PH_CONTACTS,		/* "a@x, b@y" */
	PH_HOSTS,		/* the number of machines */
	PH_FIRST,		/* first contact of any of them, UTC */
	PH_LAST,		/* last contact */
	PH_VERDICT,		/* the strongest verdict */
	PH_MACHINES,		/* a table: address, MAC, verdict, first, last */
	PH_EVIDENCE,		/* per machine the names it contacted */
	PH_N
};

static const char *const ph_names[PH_N] = {
	"network", "prefixes", "contacts", "hosts", "first_contact",
	"last_contact", "verdict", "machines", "evidence",
};

struct part {
	const char	*s;	/* literal text, or NULL */
	size_t		 n;
	enum ph		 ph;
};

struct letter {
	char		*text;
	struct part	*parts;
	size_t		 n_parts;
};

const char letter_default[] =
"Subject: Machines in your network still run Kaspersky software\n"
"\n"
"To:      {{contacts}}\n"
"Network: {{network}} ({{prefixes}})\n"
"\n"
"Dear network administrator,\n"
"\n"
"between {{first_contact}} and {{last_contact}} (UTC) we saw {{hosts}}\n"
"machine(s) of your network contact Kaspersky update, telemetry (Kaspersky\n"
"Security Network), activation or licensing servers.  The strongest\n"
"evidence we have is: {{verdict}}.\n"
"\n"
"Why this matters\n"
"\n"
"In 2024 the U.S. Department of Commerce prohibited Kaspersky software in\n"
"the United States.  Sales ended on 2024-07-20; since 2024-09-29 Kaspersky\n"
"provides no updates and no Kaspersky Security Network to U.S. users,\n"
"white-label products built on it included.  A machine that still runs it\n"
"has security software that no longer receives signatures or fixes: it is\n"
"unprotected while it looks protected.\n"
"\n"
"What to do\n"
"\n"
"1. Find each machine below by its address and MAC address (your DHCP\n"
"   server's leases name them).\n"
"2. Uninstall the Kaspersky product (Settings > Apps, or Kaspersky's own\n"
"   removal tool, kavremover) and install a supported security product.\n"
"3. If the machines are managed by Kaspersky Security Center, retire the\n"
"   Administration Server too.\n"
"4. Tell us when it is done; our next audit will show whether the\n"
"   contacts stopped.\n"
"\n"
"Machines seen\n"
"\n"
"{{machines}}\n"
"Names they contacted\n"
"\n"
"{{evidence}}";

/* The first "{{" or "}}" (pair) in p[0..n), or NULL. */
static const char *
find2(const char *p, size_t n, const char *pair)
{
	const char *e = p + n;

	for (; p + 1 < e; p++)
		if (p[0] == pair[0] && p[1] == pair[1])
			return p;
	return NULL;
}

static int
ph_find(const char *s, size_t n)
{
	int i;

	for (i = 0; i < PH_N; i++)
		if (strlen(ph_names[i]) == n && memcmp(ph_names[i], s, n) == 0)
			return i;
	return -1;
}

struct letter *
letter_parse(const char *text, size_t len, const char *label, char *errbuf)
{
	struct letter *l;
	const char *p, *end = text + len, *open, *close, *nb, *ne;
	char qb[CONF_QUOTE_LEN];
	unsigned line = 1;
	int ph;

	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->text = malloc(len + 1)) == NULL ||
	    (l->parts = calloc(MAX_PARTS, sizeof(*l->parts))) == NULL)
		goto nomem;
	memcpy(l->text, text, len);
	l->text[len] = '\0';
	for (p = l->text, end = l->text + len; p < end;) {
		if (l->n_parts + 2 > MAX_PARTS) {
			conf_fail(errbuf, label, line, "more than %d "
			    "placeholders and texts", MAX_PARTS - 2);
			goto fail;
		}
		open = find2(p, (size_t)(end - p), "{{");
		if (open == NULL)
			open = end;
		if (open > p) {
			l->parts[l->n_parts].s = p;
			l->parts[l->n_parts++].n = (size_t)(open - p);
			for (; p < open; p++)
				line += *p == '\n';
		}
		if (open == end)
			break;
		close = find2(open + 2, (size_t)(end - open - 2), "}}");
		nb = memchr(open, '\n', (size_t)(end - open));
		if (close == NULL || (nb != NULL && nb < close)) {
			conf_fail(errbuf, label, line, "\"{{\" without \"}}\" "
			    "on the same line");
			goto fail;
		}
		for (nb = open + 2; nb < close && conf_is_space(*nb); nb++)
			;
		for (ne = close; ne > nb && conf_is_space(ne[-1]); ne--)
			;
		if ((ph = ph_find(nb, (size_t)(ne - nb))) < 0) {
			conf_fail(errbuf, label, line, "unknown placeholder "
			    "%s (known: network, prefixes, contacts, hosts, "
			    "first_contact, last_contact, verdict, machines, "
			    "evidence)", conf_quote(qb, sizeof(qb), nb,
			    (size_t)(ne - nb)));
			goto fail;
		}
		l->parts[l->n_parts].s = NULL;
		l->parts[l->n_parts++].ph = (enum ph)ph;
		p = close + 2;
	}
	return l;
nomem:
	snprintf(errbuf, ERRBUF_LEN, "%s: out of memory", label);
fail:
	letter_free(l);
	return NULL;
}

struct letter *
letter_load(const char *path, char *errbuf)
{
	struct letter *l;
	char *buf = NULL;
	size_t len;

	if (strcmp(path, "default") == 0)
		return letter_parse(letter_default, strlen(letter_default),
		    "default letter", errbuf);
	if (conf_read_file(path, LETTER_MAX_BYTES, &buf, &len, errbuf) !=
	    ERR_OK) {
		free(buf);
		return NULL;
	}
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: a NUL byte: not a text "
		    "template", path);
		free(buf);
		return NULL;
	}
	l = letter_parse(buf, len, path, errbuf);
	free(buf);
	return l;
}

void
letter_free(struct letter *l)
{
	if (l == NULL)
		return;
	free(l->text);
	free(l->parts);
	free(l);
}

enum verdict
letter_verdict(const struct agg_net *net)
{
	unsigned v;

	for (v = 0; v < VERDICT_N; v++)
		if (net->by_verdict[v] > 0)
			return (enum verdict)v;
	return VERDICT_INDIRECT;
}

/* ---- rendering ---- */

struct out {
	FILE	*fp;
	bool	 html;
};

/* Text as the template or a value has it: escaped for HTML when html. */
static void
put(const struct out *o, const char *s, size_t n)
{
	size_t k;

	if (!o->html) {
		fwrite(s, 1, n, o->fp);
		return;
	}
	/* Line breaks and tabs are the letter's layout (pre-wrap). */
	while (n > 0) {
		for (k = 0; k < n && s[k] != '\n' && s[k] != '\t'; k++)
			;
		report_html_strn(o->fp, s, k);
		if (k < n)
			putc(s[k++], o->fp);
		s += k;
		n -= k;
	}
}

/* The operator's or the wire's text: escaped either way. */
static void
put_own(const struct out *o, const char *s, char sep)
{
	char *l;

	if (!o->html) {
		report_text_own(o->fp, s, sep);
		return;
	}
	l = sep != '\0' ? report_list(s, sep) : NULL;
	report_html_strn(o->fp, l != NULL ? l : s, strlen(l != NULL ? l : s));
	free(l);
}

static void
machines(const struct out *o, const struct agg_net *net)
{
	char ab[ADDR_STRLEN], mb[18], t1[REPORT_TIME_LEN], t2[REPORT_TIME_LEN];
	const struct agg_host *h;
	size_t i;
	int w = 7;
	bool sub = false;

	/* With --leases an address can be two customers' in one pool
	 * letter: who held it then is the last column. */
	for (i = 0; i < net->n_hosts; i++) {
		if ((int)strlen(addr_fmt(&net->hosts[i]->addr, ab)) > w)
			w = (int)strlen(ab);
		sub |= net->hosts[i]->subscriber != NULL;
	}
	if (o->html)
		fprintf(o->fp, "<table><tr><th>Address</th><th>MAC</th>"
		    "<th>Verdict</th><th>First contact</th><th>Last contact"
		    "</th>%s</tr>\n", sub ? "<th>Held by</th>" : "");
	else
		fprintf(o->fp, "  %-*s  %-17s  %-14s  %-27s  %s%s\n", w,
		    "address", "MAC", "verdict", "first contact",
		    sub ? "last contact                 " : "last contact",
		    sub ? "held by" : "");
	for (i = 0; i < net->n_hosts; i++) {
		h = net->hosts[i];
		addr_fmt(&h->addr, ab);
		if (h->has_mac)
			report_mac(mb, h->mac);
		else
			strcpy(mb, "-");
		report_time(t1, h->first.ts_sec, h->first.ts_nsec);
		report_time(t2, h->last.ts_sec, h->last.ts_nsec);
		if (o->html)
			fprintf(o->fp, "<tr><td>%s</td><td>%s</td><td>%s</td>"
			    "<td>%s</td><td>%s</td>", ab, mb,
			    verdict_name(h->verdict), t1, t2);
		else
			fprintf(o->fp, "  %-*s  %-17s  %-14s  %-27s  %s",
			    w, ab, mb, verdict_name(h->verdict), t1, t2);
		if (sub) {
			fputs(o->html ? "<td>" : "  ", o->fp);
			put_own(o, h->subscriber != NULL ? h->subscriber :
			    "-", '\0');
			fputs(o->html ? "</td>" : "", o->fp);
		}
		fputs(o->html ? "</tr>\n" : "\n", o->fp);
	}
	if (o->html)
		fputs("</table>", o->fp);
}

static void
evidence(const struct out *o, const struct agg_net *net)
{
	char ab[ADDR_STRLEN];
	const struct agg_host *h;
	const struct agg_name *n;
	const char *nm;
	size_t i, j;

	for (i = 0; i < net->n_hosts; i++) {
		h = net->hosts[i];
		addr_fmt(&h->addr, ab);
		fprintf(o->fp, o->html ? "<p><b>%s</b>" : "  %s", ab);
		/* Who held it, and what the machine called itself last:
		 * how a customer recognises the machine. */
		if (h->subscriber != NULL) {
			fputs(" held by ", o->fp);
			put_own(o, h->subscriber, '\0');
		}
		if ((nm = agg_host_machine_name(h)) != NULL) {
			fputs(h->subscriber != NULL ? ", named " : " named ",
			    o->fp);
			put_own(o, nm, '\0');
		}
		fputs(o->html ? "</p>\n<ul>\n" : "\n", o->fp);
		for (j = 0; j < h->n_names; j++) {
			n = &h->names[j];
			fputs(o->html ? "<li>" : "    ", o->fp);
			put_own(o, n->name, '\0');
			fprintf(o->fp, "  (%s, %" PRIu64 " %s)%s",
			    n->sig != NULL ? match_cat_name(n->sig->cat) :
			    "?", n->count, n->count == 1 ? "time" : "times",
			    o->html ? "</li>\n" : "\n");
		}
		if (h->names_dropped > 0)
			fprintf(o->fp, "%sand %" PRIu64 " more%s",
			    o->html ? "<li>" : "    ", h->names_dropped,
			    o->html ? "</li>\n" : "\n");
		if (o->html)
			fputs("</ul>\n", o->fp);
	}
}

static void
value(const struct out *o, enum ph ph, const struct agg_net *net,
    const struct report_meta *meta)
{
	char tb[REPORT_TIME_LEN];

	switch (ph) {
	case PH_NETWORK:
		put_own(o, net->name, '\0');
		break;
	case PH_PREFIXES:
		put_own(o, net->cidr, ' ');
		break;
	case PH_CONTACTS:
		put_own(o, net->contacts, '\n');
		break;
	case PH_HOSTS:
		fprintf(o->fp, "%zu", net->n_hosts);
		break;
	case PH_FIRST:
	case PH_LAST:
		if (!meta->have_time)
			fputs("-", o->fp);
		else
			fputs(ph == PH_FIRST ? report_time(tb, meta->first_sec,
			    meta->first_nsec) : report_time(tb, meta->last_sec,
			    meta->last_nsec), o->fp);
		break;
	case PH_VERDICT:
		fputs(verdict_name(letter_verdict(net)), o->fp);
		break;
	case PH_MACHINES:
		machines(o, net);
		break;
	case PH_EVIDENCE:
		evidence(o, net);
		break;
	default:
		break;
	}
}

int
letter_write(FILE *fp, const struct letter *l, const struct agg_net *net,
    const struct report_meta *meta, bool html)
{
	struct out o = { fp, html };
	size_t i;

	if (html) {
		fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
		    "charset=\"utf-8\">\n<title>", fp);
		put_own(&o, net->name, '\0');
		fputs("</title>\n<style>body{font:15px/1.5 sans-serif;"
		    "max-width:60em;margin:2em auto;padding:0 1em}"
		    ".l{white-space:pre-wrap}table{border-collapse:collapse;"
		    "white-space:normal}td,th{border:1px solid #bbb;"
		    "padding:.2em .5em;text-align:left;font-family:monospace}"
		    "</style>\n</head>\n<body>\n<div class=\"l\">", fp);
	}
	for (i = 0; i < l->n_parts; i++) {
		if (l->parts[i].s != NULL)
			put(&o, l->parts[i].s, l->parts[i].n);
		else
			value(&o, l->parts[i].ph, net, meta);
	}
	if (html)
		fputs("</div>\n</body>\n</html>\n", fp);
	return ferror(fp) ? ERR_IO : ERR_OK;
}
