/* conf.c - what the signature and networks files share: reading them,
 * lines, tokens, quoted "file:line: why" messages and CIDRs (conf.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int
conf_read_file(const char *path, unsigned max, char **buf, size_t *len,
    char *errbuf)
{
	FILE *fp = NULL;
	char *grown;
	size_t cap = 0, got;
	int r = ERR_IO;

	*buf = NULL;
	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL)
		goto io;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > max) {
				if (errbuf != NULL)
					snprintf(errbuf, ERRBUF_LEN,
					    "%s: larger than %u bytes", path,
					    max);
				goto out;
			}
			if ((grown = realloc(*buf, cap)) == NULL) {
				r = ERR_NOMEM;
				if (errbuf != NULL)
					snprintf(errbuf, ERRBUF_LEN,
					    "%s: out of memory", path);
				goto out;
			}
			*buf = grown;
		}
		got = fread(*buf + *len, 1, cap - *len, fp);
		*len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp))
		goto io;
	r = ERR_OK;
	goto out;
io:
	if (errbuf != NULL)
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
out:
	if (fp != NULL)
		fclose(fp);
	return r;
}

void
conf_lines_init(struct conf_lines *l, const char *buf, size_t len)
{
	l->p = buf;
	l->end = buf != NULL ? buf + len : NULL;
	l->line = 0;
}

bool
conf_line(struct conf_lines *l, const char **s, size_t *n)
{
	const char *nl;

	if (l->p >= l->end)
		return false;
	l->line++;
	if ((nl = memchr(l->p, '\n', (size_t)(l->end - l->p))) == NULL)
		nl = l->end;
	*s = l->p;
	*n = (size_t)(nl - l->p);
	if (*n > 0 && l->p[*n - 1] == '\r')
		(*n)--;			/* CRLF files */
	l->p = nl < l->end ? nl + 1 : nl;
	return true;
}

int
conf_fail(char *errbuf, const char *label, unsigned line, const char *fmt,
    ...)
{
	va_list ap;
	int n;

	if (errbuf == NULL)
		return ERR_MALFORMED;
	n = snprintf(errbuf, ERRBUF_LEN, "%s:%u: ", label, line);
	if (n < 0 || n >= ERRBUF_LEN - 1)
		return ERR_MALFORMED;
	va_start(ap, fmt);
	vsnprintf(errbuf + n, ERRBUF_LEN - (size_t)n, fmt, ap);
	va_end(ap);
	return ERR_MALFORMED;
}

/*
 * Whether a byte of the 8 in w is a control character other than tab.
 * zero_bytes() sets the high bit of exactly the bytes of w that are 0
 * (no carry crosses a byte: each sum stays under 0x100).
 */
static inline uint64_t
zero_bytes(uint64_t w)
{
	const uint64_t m7 = 0x7f7f7f7f7f7f7f7fULL;

	return ~(((w & m7) + m7) | w | m7);
}

static inline bool
word_has_control(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t tabs = zero_bytes(w ^ (ones * '\t'));

	/* A tab becomes 0x29 (0x80 >> 2 is 0x20); then a byte under 0x20
	 * is one whose top three bits are zero. */
	w |= tabs >> 2;
	return (zero_bytes(w & (ones * 0xe0)) | zero_bytes(w ^ (ones * 0x7f)))
	    != 0;
}

static bool
is_control(uint8_t c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

int
conf_check(const char *s, size_t n, const char *label, unsigned line,
    char *errbuf)
{
	uint64_t w;
	size_t i = 0;

	/* Every line of every file, the built-in set's at each start: eight
	 * bytes a step until one holds a control character. */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (word_has_control(w))
			break;
	}
	for (; i < n; i++)
		if (is_control((uint8_t)s[i]))
			return conf_fail(errbuf, label, line, "control "
			    "character 0x%02x", (unsigned)(uint8_t)s[i]);
	return ERR_OK;
}

const char *
conf_quote(char *dst, size_t dst_len, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;
	uint8_t c;

	dst[o++] = '"';
	for (i = 0; i < n && o + 8 < dst_len && i < 60; i++) {
		c = (uint8_t)s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			dst[o++] = (char)c;
			continue;
		}
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	if (i < n) {
		dst[o++] = '.';
		dst[o++] = '.';
		dst[o++] = '.';
	}
	dst[o++] = '"';
	dst[o] = '\0';
	return dst;
}

bool
conf_token(const char *s, size_t n, size_t *pos, const char **tok,
    size_t *tok_len)
{
	size_t i = *pos;

	while (i < n && conf_is_space(s[i]))
		i++;
	if (i >= n || s[i] == '#') {
		*pos = n;
		return false;
	}
	*tok = s + i;
	while (i < n && !conf_is_space(s[i]))
		i++;
	*tok_len = (size_t)(s + i - *tok);
	*pos = i;
	return true;
}

int
conf_qtoken(const char *s, size_t n, size_t *pos, char *dst, size_t dst_cap,
    size_t *dst_len, char *msg, size_t msg_len)
{
	size_t i = *pos, o = 0, start;
	char c;

	while (i < n && conf_is_space(s[i]))
		i++;
	if (i >= n || s[i] == '#') {
		*pos = n;
		return 0;
	}
	start = i;
	if (s[i] != '"') {
		while (i < n && !conf_is_space(s[i])) {
			if (o + 1 >= dst_cap)
				goto long_;
			dst[o++] = s[i++];
		}
		goto done;
	}
	for (i++;; i++) {
		if (i >= n) {
			snprintf(msg, msg_len, "unterminated quote at column "
			    "%zu", start + 1);
			return -1;
		}
		if ((c = s[i]) == '"')
			break;
		if (c == '\\') {
			if (i + 1 >= n ||
			    (s[i + 1] != '"' && s[i + 1] != '\\')) {
				snprintf(msg, msg_len, "column %zu: only \\\" "
				    "and \\\\ may follow a backslash in quotes",
				    i + 1);
				return -1;
			}
			c = s[++i];
		}
		if (o + 1 >= dst_cap)
			goto long_;
		dst[o++] = c;
	}
	i++;
	if (i < n && !conf_is_space(s[i])) {
		snprintf(msg, msg_len, "column %zu: a space must follow the "
		    "closing quote", i + 1);
		return -1;
	}
	if (o == 0) {
		snprintf(msg, msg_len, "column %zu: empty quotes", start + 1);
		return -1;
	}
done:
	dst[o] = '\0';
	*dst_len = o;
	*pos = i;
	return 1;
long_:
	snprintf(msg, msg_len, "column %zu: longer than %zu bytes", start + 1,
	    dst_cap - 1);
	return -1;
}

const char *
conf_cidr(struct addr *prefix, unsigned *plen, const char *s, size_t n,
    char *msg, size_t msg_len)
{
	char a[64], qb[CONF_QUOTE_LEN], fmt[ADDR_STRLEN];
	const char *slash;
	struct addr masked;
	unsigned len = 0, max;
	size_t alen, i;

	slash = memchr(s, '/', n);
	alen = slash != NULL ? (size_t)(slash - s) : n;
	if (alen == 0 || alen >= sizeof(a))
		goto bad;
	memcpy(a, s, alen);
	a[alen] = '\0';
	if (!addr_parse(prefix, a))
		goto bad;
	max = prefix->family == 4 ? 32 : 128;
	if (slash != NULL) {
		if (n - alen - 1 == 0 || n - alen - 1 > 3)
			goto bad;
		for (i = alen + 1; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				goto bad;
			len = len * 10 + (unsigned)(s[i] - '0');
		}
		if (len > max) {
			snprintf(msg, msg_len, "prefix length %u over %u in %s",
			    len, max, conf_quote(qb, sizeof(qb), s, n));
			return msg;
		}
	} else
		len = max;
	addr_mask(&masked, prefix, len);
	if (!addr_eq(&masked, prefix)) {
		snprintf(msg, msg_len, "host bits set in %s (the network is "
		    "%s/%u)", conf_quote(qb, sizeof(qb), s, n),
		    addr_fmt(&masked, fmt), len);
		return msg;
	}
	*plen = len;
	return NULL;
bad:
	snprintf(msg, msg_len, "bad CIDR %s", conf_quote(qb, sizeof(qb), s, n));
	return msg;
}
