/* jw.c - the small JSON emitter (RFC 8259) the report, index and event
 * writers share: escaping, pretty or compact, members and values. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "jw.h"
#include "report_int.h"

/*
 * What is written goes to buf and to the stream a buffer at a time.  A
 * report is mostly short tokens, each an fwrite() or putc() of its own
 * before: from the last packet to the exit, dns-heavy (a 4.4 MB report)
 * took 23.4 ms, most of it in _IO_fwrite; through the buffer, and keys
 * not run through jw_escape(), 14.5 ms (perf, medians of three).
 */
static void
jw_flush(struct jw *w)
{
	if (w->n > 0)
		fwrite(w->buf, 1, w->n, w->fp);
	w->n = 0;
}

static void
jw_put(struct jw *w, const void *p, size_t n)
{
	if (n > sizeof(w->buf) - w->n) {
		jw_flush(w);
		if (n > sizeof(w->buf)) {
			fwrite(p, 1, n, w->fp);
			return;
		}
	}
	memcpy(w->buf + w->n, p, n);
	w->n += n;
}

static inline void
jw_c(struct jw *w, char c)
{
	if (w->n == sizeof(w->buf))
		jw_flush(w);
	w->buf[w->n++] = c;
}

static inline void
jw_s(struct jw *w, const char *s)
{
	jw_put(w, s, strlen(s));
}

/*
 * RFC 8259 7.  Valid UTF-8 passes through; a byte that is not part of valid
 * UTF-8 becomes \u00XX with the byte's value (so a reader cannot tell it
 * from the character U+00XX: doc/json.md says so).  DEL is escaped too, so
 * that a report viewed raw cannot carry control characters.
 */
void
jw_escape(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char u[6] = { '\\', 'u', '0', '0', 0, 0 };
	size_t i = 0, j, k;

	jw_c(w, '"');
	while (i < n) {
		switch (p[i]) {
		case '"':
			jw_put(w, "\\\"", 2);
			break;
		case '\\':
			jw_put(w, "\\\\", 2);
			break;
		case '\n':
			jw_put(w, "\\n", 2);
			break;
		case '\r':
			jw_put(w, "\\r", 2);
			break;
		case '\t':
			jw_put(w, "\\t", 2);
			break;
		case '\b':
			jw_put(w, "\\b", 2);
			break;
		case '\f':
			jw_put(w, "\\f", 2);
			break;
		default:
			/* The run of bytes that go out as they are, at once. */
			for (j = i; j < n; j += k) {
				if (p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' &&
				    p[j] != '\\')
					k = 1;
				else if (p[j] < 0x80 ||
				    (k = name_utf8_len(p + j, n - j)) == 0)
					break;
			}
			if (j > i) {
				jw_put(w, p + i, j - i);
				i = j;
				continue;
			}
			u[4] = hex[p[i] >> 4];
			u[5] = hex[p[i] & 0xf];
			jw_put(w, u, sizeof(u));
			break;
		}
		i++;
	}
	jw_c(w, '"');
}

/* A line break and two spaces a level. */
static void
jw_indent(struct jw *w, int depth)
{
	static const char sp[] = "\n"
	    "                                ";	/* 2 * JW_DEPTH */
	_Static_assert(sizeof(sp) == 2 + 2 * JW_DEPTH, "indent for JW_DEPTH");

	if (depth < 0)
		depth = 0;
	jw_put(w, sp, 1 + 2 * (size_t)(depth < JW_DEPTH ? depth : JW_DEPTH));
}

/* Decimal digits of v, as "%" PRIu64 writes them, without printf. */
static void
jw_digits(struct jw *w, uint64_t v)
{
	char b[20], *p = b + sizeof(b);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	jw_put(w, p, (size_t)(b + sizeof(b) - p));
}

void
jw_init(struct jw *w, FILE *fp, bool pretty)
{
	memset(w, 0, offsetof(struct jw, buf));
	w->fp = fp;
	w->pretty = pretty;
	w->first[0] = true;
}

int
jw_end(struct jw *w)
{
	jw_c(w, '\n');
	jw_flush(w);
	return ferror(w->fp) ? ERR_IO : ERR_OK;
}

/* Comma, line break and key before a member or element. */
void
jw_key(struct jw *w, const char *key)
{
	if (!w->first[w->depth])
		jw_c(w, ',');
	w->first[w->depth] = false;
	if (w->pretty && w->depth > 0)
		jw_indent(w, w->depth);
	if (key != NULL) {
		/* Keys are the writers' own ASCII words: nothing to escape. */
		jw_c(w, '"');
		jw_s(w, key);
		jw_put(w, "\": ", w->pretty ? 3 : 2);
	}
}

void
jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	jw_c(w, c);
	/* Deeper levels are never built; the cap only guards the array. */
	if (w->depth < JW_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = true;
}

void
jw_close(struct jw *w, char c)
{
	if (w->pretty && !w->first[w->depth])
		jw_indent(w, w->depth - 1);
	if (w->depth > 0)
		w->depth--;
	jw_c(w, c);
}

void
jw_u64(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_digits(w, v);
}

void
jw_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	if (v < 0)
		jw_c(w, '-');
	jw_digits(w, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

void
jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_s(w, v ? "true" : "false");
}

void
jw_null(struct jw *w, const char *key)
{
	jw_key(w, key);
	jw_s(w, "null");
}

void
jw_strn(struct jw *w, const char *key, const char *s, size_t n)
{
	jw_key(w, key);
	jw_escape(w, s, n);
}

/* NULL becomes null; so does "" when empty_null (a field not given). */
void
jw_str(struct jw *w, const char *key, const char *s, bool empty_null)
{
	if (s == NULL || (empty_null && s[0] == '\0'))
		jw_null(w, key);
	else
		jw_strn(w, key, s, strlen(s));
}

void
jw_time(struct jw *w, const char *key, int64_t sec, uint32_t nsec)
{
	char buf[REPORT_TIME_LEN];

	jw_str(w, key, report_time(buf, sec, nsec), false);
}

void
jw_conf(struct jw *w, const char *key, char c)
{
	if (c == '-' || c == '\0')
		jw_null(w, key);
	else
		jw_strn(w, key, &c, 1);
}

void
jw_addr(struct jw *w, const char *key, const struct addr *a)
{
	char buf[ADDR_STRLEN];

	jw_str(w, key, addr_fmt(a, buf), false);
}

void
jw_mac(struct jw *w, const char *key, const uint8_t *m)
{
	char buf[18];

	jw_str(w, key, report_mac(buf, m), false);
}

void
jw_vlans(struct jw *w, unsigned n, const uint16_t *vlan)
{
	unsigned i;

	if (n == 0) {
		jw_null(w, "vlan");
		return;
	}
	jw_u64(w, "vlan", vlan[0]);
	if (n < 2)
		return;
	jw_open(w, "vlans", '[');
	for (i = 0; i < n && i < 3; i++)
		jw_u64(w, NULL, vlan[i]);
	jw_close(w, ']');
}

/* A list kept in one string, sep between items: a JSON array. */
void
jw_list(struct jw *w, const char *key, const char *s, char sep)
{
	const char *e;

	jw_open(w, key, '[');
	while (s != NULL && *s != '\0') {
		if ((e = strchr(s, sep)) == NULL)
			e = s + strlen(s);
		if (e > s)
			jw_strn(w, NULL, s, (size_t)(e - s));
		s = *e != '\0' ? e + 1 : e;
	}
	jw_close(w, ']');
}

/*
 * "cidr": a network's first prefix (as every report before networks had
 * several), and "prefixes" when it has more than one.
 */
void
jw_cidrs(struct jw *w, const char *cidrs)
{
	size_t n = strcspn(cidrs, " ");

	jw_strn(w, "cidr", cidrs, n);
	if (cidrs[n] != '\0')
		jw_list(w, "prefixes", cidrs, ' ');
}
