/* conf.h - the line-based files we load (signatures, networks): reading,
 * lines, tokens, "file:line: why" messages and CIDRs (RFC 4632). */
#ifndef KASAUDIT_CONF_H
#define KASAUDIT_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "err.h"

#define CONF_QUOTE_LEN	80	/* a conf_quote() buffer: room for 60 chars */

/*
 * Reads the file at path whole into *buf (malloc'd: the caller frees it,
 * also on error) and its length into *len.  ERR_IO (and errbuf filled,
 * "path: why") when it cannot be read or is larger than max bytes;
 * ERR_NOMEM when memory runs out.
 */
int	conf_read_file(const char *path, unsigned max, char **buf,
	    size_t *len, char *errbuf);

/* Walks buf[0..len) line by line; line counts from 1. */
struct conf_lines {
	const char	*p, *end;
	unsigned	 line;
};

void	conf_lines_init(struct conf_lines *, const char *buf, size_t len);

/*
 * The next line, without its "\n" or "\r\n", at s[0..*n); false after the
 * last.  The bytes stay borrowed from buf.
 */
bool	conf_line(struct conf_lines *, const char **s, size_t *n);

/*
 * Writes "label:line: " and the message into errbuf (ERRBUF_LEN bytes; NULL
 * is allowed) and returns ERR_MALFORMED.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
int	conf_fail(char *errbuf, const char *label, unsigned line,
	    const char *fmt, ...);

/* ERR_OK, or conf_fail() at the first control byte of s[0..n) (tab aside). */
int	conf_check(const char *s, size_t n, const char *label, unsigned line,
	    char *errbuf);

/*
 * s[0..n) quoted for a message into dst: printable ASCII as is, the rest as
 * \xNN, cut at 60 characters so one long token cannot hide the line
 * number.  Returns dst.
 */
const char *conf_quote(char *dst, size_t dst_len, const char *s, size_t n);

static inline bool
conf_is_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The next token of s[0..n) from *pos (which moves past it) at *tok, false
 * when there is none.  A token ends at a space; '#' at the start of a token
 * starts a comment that runs to the end of the line.
 */
bool	conf_token(const char *s, size_t n, size_t *pos, const char **tok,
	    size_t *tok_len);

/*
 * Like conf_token(), but a token may be written in double quotes, with \"
 * and \\ the only escapes, and so hold spaces (and any byte conf_check()
 * let through, UTF-8 among them).  The token, unquoted, is copied into
 * dst (NUL-terminated, at most dst_cap - 1 bytes).  1: a token; 0: none
 * left (end of line or a comment); -1: msg says what is wrong (an
 * unterminated quote, another escape, no space after the closing quote,
 * empty quotes, too long).
 */
int	conf_qtoken(const char *s, size_t n, size_t *pos, char *dst,
	    size_t dst_cap, size_t *dst_len, char *msg, size_t msg_len);

/*
 * "addr/len" or a bare address (one host) into *prefix and *plen.  Strict:
 * host bits must be zero, since 10.1.2.3/16 is more often a typo than a
 * wish for 10.1.0.0/16.  NULL, or what is wrong, written into msg.
 */
const char *conf_cidr(struct addr *prefix, unsigned *plen, const char *s,
	    size_t n, char *msg, size_t msg_len);

#endif
