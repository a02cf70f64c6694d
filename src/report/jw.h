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

/* Pretty (2-space indent) or compact; members separated as they come. */
struct jw {
	FILE	*fp;
	bool	 pretty;
	bool	 pack;		/* report refs without file and frame */
	int	 depth;
	bool	 first[JW_DEPTH];
};

/* s[0..n) as a JSON string: valid UTF-8 as it is, other bytes \u00XX. */
void	jw_escape(FILE *, const char *s, size_t n);

void	jw_init(struct jw *, FILE *, bool pretty);
/* Comma, line break and key (NULL: an array element) before a value. */
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
