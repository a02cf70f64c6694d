/* jw.c - the small JSON emitter (RFC 8259) the report, index and event
 * writers share: escaping, pretty or compact, members and values. */
#include <stdio.h>
#include <string.h>

#include "jw.h"
#include "report_int.h"

/*
 * RFC 8259 7.  Valid UTF-8 passes through; a byte that is not part of valid
 * UTF-8 becomes \u00XX with the byte's value (so a reader cannot tell it
 * from the character U+00XX: doc/json.md says so).  DEL is escaped too, so
 * that a report viewed raw cannot carry control characters.
 */
void
jw_escape(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, j, k;

	putc('"', fp);
	while (i < n) {
		switch (p[i]) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\b':
			fputs("\\b", fp);
			break;
		case '\f':
			fputs("\\f", fp);
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
				fwrite(p + i, 1, j - i, fp);
				i = j;
				continue;
			}
			fprintf(fp, "\\u%04x", p[i]);
			break;
		}
		i++;
	}
	putc('"', fp);
}

/*
 * A line break and two spaces a level, in one write: a report is mostly
 * short lines, and a putc() and a fputs() a level were a fifth of the
 * time of writing one (each takes the stream's lock).
 */
static void
jw_indent(struct jw *w, int depth)
{
	static const char sp[] = "\n"
	    "                                ";	/* 2 * JW_DEPTH */
	_Static_assert(sizeof(sp) == 2 + 2 * JW_DEPTH, "indent for JW_DEPTH");

	if (depth < 0)
		depth = 0;
	fwrite(sp, 1, 1 + 2 * (size_t)(depth < JW_DEPTH ? depth : JW_DEPTH),
	    w->fp);
}

/* Decimal digits of v, as "%" PRIu64 writes them, without printf. */
static void
jw_digits(FILE *fp, uint64_t v)
{
	char b[20], *p = b + sizeof(b);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	fwrite(p, 1, (size_t)(b + sizeof(b) - p), fp);
}

void
jw_init(struct jw *w, FILE *fp, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->pretty = pretty;
	w->first[0] = true;
}

/* Comma, line break and key before a member or element. */
void
jw_key(struct jw *w, const char *key)
{
	if (!w->first[w->depth])
		putc(',', w->fp);
	w->first[w->depth] = false;
	if (w->pretty && w->depth > 0)
		jw_indent(w, w->depth);
	if (key != NULL) {
		jw_escape(w->fp, key, strlen(key));
		fwrite(": ", 1, w->pretty ? 2 : 1, w->fp);
	}
}

void
jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	putc(c, w->fp);
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
	putc(c, w->fp);
}

void
jw_u64(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_digits(w->fp, v);
}

void
jw_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	if (v < 0)
		putc('-', w->fp);
	jw_digits(w->fp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

void
jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	fputs(v ? "true" : "false", w->fp);
}

void
jw_null(struct jw *w, const char *key)
{
	jw_key(w, key);
	fputs("null", w->fp);
}

void
jw_strn(struct jw *w, const char *key, const char *s, size_t n)
{
	jw_key(w, key);
	jw_escape(w->fp, s, n);
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
