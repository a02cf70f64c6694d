/* logparse.c - the leaves the Zeek and EVE parsers share: names, addresses,
 * ports, times (epoch, ISO 8601), and telling the three formats apart. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cursor.h"
#include "logjson.h"
#include "logrec.h"
#include "name.h"

bool
log_name(char *dst, size_t *dst_len, const char *s, size_t len)
{
	struct cur c = cur_init(s, len);
	size_t n = 0;
	uint8_t b;

	if (len > 0 && s[len - 1] == '.')
		c = cur_init(s, --len);
	if (len == 0 || len >= LOG_NAME_MAX)
		return false;
	while (cur_left(&c) > 0) {
		b = cur_u8(&c);
		if (b == '.')
			dst[n++] = '.';
		else if (name_plain[b] != 0)
			dst[n++] = (char)name_plain[b];
		else
			return false;
	}
	dst[n] = '\0';
	*dst_len = n;
	return true;
}

bool
log_host(char *dst, size_t *dst_len, const char *s, size_t len)
{
	const char *colon;

	if (len > 0 && s[0] != '[' && (colon = memchr(s, ':', len)) != NULL &&
	    memchr(colon + 1, ':', len - (size_t)(colon - s) - 1) == NULL)
		len = (size_t)(colon - s);
	return log_name(dst, dst_len, s, len);
}

bool
log_addr(struct addr *dst, const char *s, size_t len)
{
	char buf[ADDR_STRLEN];
	uint8_t b[16];

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, b) == 1) {
		addr_set4(dst, b);
		return true;
	}
	if (inet_pton(AF_INET6, buf, b) == 1) {
		addr_set6(dst, b);
		return true;
	}
	return false;
}

bool
log_mac(uint8_t mac[6], const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *h, *l;
	size_t i;

	if (len != 17)
		return false;
	for (i = 0; i < 6; i++) {
		if (i > 0 && s[3 * i - 1] != ':' && s[3 * i - 1] != '-')
			return false;
		h = s[3 * i] != '\0' ? strchr(hex, s[3 * i] | 0x20) : NULL;
		l = s[3 * i + 1] != '\0' ? strchr(hex, s[3 * i + 1] | 0x20) :
		    NULL;
		if (h == NULL || l == NULL)
			return false;
		mac[i] = (uint8_t)((h - hex) << 4 | (l - hex));
	}
	return true;
}

void
log_text(char *dst, size_t *dst_len, const char *s, size_t len)
{
	if (len > LOG_NAME_MAX - 1)
		len = LOG_NAME_MAX - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	*dst_len = len;
}

/* Up to max_digits decimal digits; *v and the count read. */
static size_t
digits(struct cur *c, uint64_t *v, size_t max_digits)
{
	size_t n = 0;
	uint8_t b;

	*v = 0;
	while (n < max_digits && cur_left(c) > 0 && (b = *c->p) >= '0' &&
	    b <= '9') {
		*v = *v * 10 + (uint64_t)(b - '0');
		cur_skip(c, 1);
		n++;
	}
	return n;
}

bool
log_port(uint16_t *dst, const char *s, size_t len)
{
	struct cur c = cur_init(s, len);
	uint64_t v;

	if (digits(&c, &v, 6) == 0 || cur_left(&c) != 0 || v > 65535)
		return false;
	*dst = (uint16_t)v;
	return true;
}

/* ".486539": up to 9 digits kept as nanoseconds, more ignored. */
static void
fraction(struct cur *c, uint32_t *nsec)
{
	uint64_t v;
	size_t n;

	*nsec = 0;
	if (cur_left(c) == 0 || *c->p != '.')
		return;
	cur_skip(c, 1);
	n = digits(c, &v, 9);
	for (; n < 9; n++)
		v *= 10;
	*nsec = (uint32_t)v;
	while (cur_left(c) > 0 && *c->p >= '0' && *c->p <= '9')
		cur_skip(c, 1);
}

bool
log_epoch(int64_t *sec, uint32_t *nsec, const char *s, size_t len)
{
	struct cur c = cur_init(s, len);
	uint64_t v;

	/* Eleven digits reach the year 5138. */
	if (digits(&c, &v, 11) == 0)
		return false;
	fraction(&c, nsec);
	if (cur_left(&c) != 0)
		return false;
	*sec = (int64_t)v;
	return true;
}

/* n digits exactly, then the separator sep (0: none). */
static bool
field(struct cur *c, uint64_t *v, size_t n, char sep)
{
	if (digits(c, v, n) != n)
		return false;
	if (sep == 0)
		return true;
	if (cur_left(c) == 0 || *c->p != (uint8_t)sep)
		return false;
	cur_skip(c, 1);
	return true;
}

bool
log_iso8601(int64_t *sec, uint32_t *nsec, const char *s, size_t len)
{
	struct cur c = cur_init(s, len);
	uint64_t y, mo, d, h, mi, se, zh, zm;
	struct tm tm;
	int64_t off = 0;
	uint8_t sign;
	time_t t;

	if (!field(&c, &y, 4, '-') || !field(&c, &mo, 2, '-') ||
	    !field(&c, &d, 2, 'T') || !field(&c, &h, 2, ':') ||
	    !field(&c, &mi, 2, ':') || !field(&c, &se, 2, 0))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60 || y < 1970)
		return false;
	fraction(&c, nsec);
	if (cur_left(&c) > 0) {
		sign = cur_u8(&c);
		if (sign == 'Z') {
			/* UTC */
		} else if (sign == '+' || sign == '-') {
			if (!field(&c, &zh, 2, 0))
				return false;
			if (cur_left(&c) > 0 && *c.p == ':')
				cur_skip(&c, 1);
			if (!field(&c, &zm, 2, 0) || zh > 23 || zm > 59)
				return false;
			off = (int64_t)(zh * 3600 + zm * 60);
			if (sign == '-')
				off = -off;
		} else
			return false;
		if (cur_left(&c) != 0)
			return false;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)se;
	if ((t = timegm(&tm)) == (time_t)-1)
		return false;
	*sec = (int64_t)t - off;
	return true;
}

uint8_t
log_proto(const char *s, size_t len)
{
	if (len == 3 && strncasecmp(s, "tcp", 3) == 0)
		return 6;
	if (len == 3 && strncasecmp(s, "udp", 3) == 0)
		return 17;
	return 0;
}

void
log_add_answer(struct log_rec *r, const char *s, size_t len, uint32_t ttl)
{
	struct log_answer *a;

	if (r->n_ans == LOG_MAX_ANS) {
		r->ans_dropped++;
		return;
	}
	a = &r->ans[r->n_ans];
	a->ttl = ttl;
	if (log_addr(&a->addr, s, len)) {
		a->is_addr = true;
		a->name[0] = '\0';
		a->name_len = 0;
	} else if (log_name(a->name, &a->name_len, s, len)) {
		a->is_addr = false;
	} else
		return;		/* TXT and the like: nothing to look up */
	r->n_ans++;
}

void
log_rec_reset(struct log_rec *r, uint64_t line)
{
	r->line = line;
	r->ts_sec = 0;
	r->ts_nsec = 0;
	r->kind = LOG_NONE;
	memset(&r->client, 0, sizeof(r->client));
	memset(&r->server, 0, sizeof(r->server));
	r->client_port = r->server_port = 0;
	r->proto = 0;
	r->has_name = false;
	r->name[0] = '\0';
	r->name_len = 0;
	r->n_ans = 0;
	r->ans_dropped = 0;
	r->responded = false;
	r->has_mac = false;
	r->hostname_len = 0;
	r->fqdn_len = 0;
}

void
log_rec_swap(struct log_rec *r)
{
	struct addr a = r->client;
	uint16_t p = r->client_port;

	r->client = r->server;
	r->client_port = r->server_port;
	r->server = a;
	r->server_port = p;
}

/* ---- telling the formats apart ---------------------------------------- */

/* The first line of head (all of it when no newline is in it). */
static size_t
first_line(const uint8_t *head, size_t len)
{
	const uint8_t *nl = memchr(head, '\n', len);

	return nl != NULL ? (size_t)(nl - head) : len;
}

static bool
has(const uint8_t *p, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(p + i, needle, n) == 0)
			return true;
	return false;
}

/* An object's first line: '{' after blanks. */
static bool
json_object(const uint8_t *head, size_t len, size_t *line_len)
{
	size_t i = 0;

	*line_len = first_line(head, len);
	while (i < *line_len && (head[i] == ' ' || head[i] == '\t'))
		i++;
	return i < *line_len && head[i] == '{';
}

/* A Zeek ASCII log starts with its #separator line (Zeek docs, "Log
 * Formats": the header written by the ASCII writer). */
bool
log_sniff_zeek_tsv(const uint8_t *head, size_t len)
{
	static const char sep[] = "#separator ";

	return len >= sizeof(sep) - 1 && memcmp(head, sep, sizeof(sep) - 1) ==
	    0;
}

/* Zeek JSON: every record has "ts" and, in the logs we read, the
 * connection's "id.orig_h" (or at least "uid"; dhcp.log: "uids"). */
bool
log_sniff_zeek_json(const uint8_t *head, size_t len)
{
	size_t n;

	if (!json_object(head, len, &n))
		return false;
	return has(head, n, "\"ts\"") && (has(head, n, "\"id.orig_h\"") ||
	    has(head, n, "\"uid\"") || has(head, n, "\"uids\"")) &&
	    !has(head, n, "\"event_type\"");
}

/* EVE: "timestamp" and "event_type" in every event (Suricata docs, "Eve
 * JSON Format"). */
bool
log_sniff_eve(const uint8_t *head, size_t len)
{
	size_t n;

	if (!json_object(head, len, &n))
		return false;
	return has(head, n, "\"event_type\"") && has(head, n, "\"timestamp\"");
}

int
log_json_ends(const struct lj_obj *o, const char *client, const char *server,
    const char *client_port, const char *server_port, struct log_rec *r,
    char *errbuf)
{
	char buf[128];
	size_t len;

	if (lj_find_str(o, client, buf, sizeof(buf), &len) == NULL ||
	    !log_addr(&r->client, buf, len) ||
	    lj_find_str(o, server, buf, sizeof(buf), &len) == NULL ||
	    !log_addr(&r->server, buf, len)) {
		snprintf(errbuf, ERRBUF_LEN, "%s or %s: missing or not an "
		    "address", client, server);
		return ERR_MALFORMED;
	}
	if (!lj_find_port(o, client_port, &r->client_port) ||
	    !lj_find_port(o, server_port, &r->server_port)) {
		snprintf(errbuf, ERRBUF_LEN, "%s or %s: not a port",
		    client_port, server_port);
		return ERR_MALFORMED;
	}
	return ERR_OK;
}
