/* jw.h - the small JSON emitter (RFC 8259) of the report writers: not an
 * interface outside src/report/ (jw.c). */
#ifndef KASAUDIT_JW_H
#define KASAUDIT_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"

#define JW_DEPTH	16
#define JW_BUF		8192

/*
 * Pretty (2-space indent) or compact; members separated as they come.
 * What is written is gathered in buf and goes to fp a buffer at a time
 * (jw.c says why): nothing else may write to fp between jw_init() and
 * jw_end().
 */
struct jw {
	FILE	*fp;
	bool	 pretty;
	bool	 pack;		/* report refs without file and frame */
	int	 depth;
	bool	 first[JW_DEPTH];
	size_t	 n;		/* bytes in buf */
	char	 buf[JW_BUF];
};

/* s[0..n) as a JSON string: valid UTF-8 as it is, other bytes \u00XX. */
void	jw_escape(struct jw *, const char *s, size_t n);

void	jw_init(struct jw *, FILE *, bool pretty);
/* A line break after the value, and everything to fp: ERR_OK or ERR_IO
 * (ferror(fp)). */
int	jw_end(struct jw *);
/* Comma, line break and key (NULL: an array element) before a value; a
 * key is one of the writers' own ASCII words, written as it is. */
void	jw_key(struct jw *, const char *key);
void	jw_open(struct jw *, const char *key, char c);	/* '{' or '[' */
void	jw_close(struct jw *, char c);
void	jw_u64(struct jw *, const char *key, uint64_t);
void	jw_int(struct jw *, const char *key, long long);
void	jw_bool(struct jw *, const char *key, bool);
void	jw_null(struct jw *, const char *key);
void	jw_strn(struct jw *, const char *key, const char *s, size_t n);
/* NULL becomes null; so does "" when empty_null (a field not given). */
void	jw_str(struct jw *, const char *key, const char *s, bool empty_null);
void	jw_time(struct jw *, const char *key, int64_t sec, uint32_t nsec);
void	jw_conf(struct jw *, const char *key, char c);	/* '-': null */
void	jw_addr(struct jw *, const char *key, const struct addr *);
void	jw_mac(struct jw *, const char *key, const uint8_t *);
/* "vlan" (outermost) and, with more than one tag, "vlans". */
void	jw_vlans(struct jw *, unsigned n, const uint16_t *vlan);

/* A list kept in one string, sep between items: a JSON array. */
void	jw_list(struct jw *, const char *key, const char *s, char sep);
/* "cidr": a network's first prefix (its prefixes are ' '-separated), and
 * "prefixes" when it has more than one. */
void	jw_cidrs(struct jw *, const char *cidrs);

#endif
