/* match.h - signature sets: names (exact, label suffix, label wildcard) and CIDRs.
 * Loaded from signature files (conf.c lexes them); read-only once built. */
#ifndef KASAUDIT_MATCH_H
#define KASAUDIT_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "err.h"

enum match_cat {
	CAT_UPDATE,
	CAT_TELEMETRY,
	CAT_ACTIVATION,
	CAT_PKI,
	CAT_MANAGEMENT,
	CAT_WEB,
	CAT_OTHER,
	CAT_ENCDNS,		/* encrypted DNS (DoH/DoT) services: not a
				   Kaspersky contact but a blind spot */
	CAT_SUCCESSOR,		/* a product Kaspersky moved its users to
				   (UltraAV): never a Kaspersky verdict,
				   the host is "migrated" */
	CAT_N
};

enum match_kind {
	MK_SUFFIX,		/* the name and every name below it */
	MK_EXACT,		/* =name */
	MK_WILDCARD,		/* '*' inside one or more labels */
	MK_CIDR,
	MK_ALL			/* "." */
};

/* One signature line, owned by its struct match. */
struct match_sig {
	const char	*pattern;	/* as written in the file */
	enum match_kind	 kind;
	enum match_cat	 cat;
	char		 confidence;	/* 'A', 'B', 'C'; '-' when not given */
	const char	*source;	/* "" when not given */
	const char	*note;		/* "" when not given */
	const char	*set;		/* file name, or "builtin" */
	unsigned	 line;
};

struct match;			/* opaque: defined in match_int.h */

struct match	*match_new(void);	/* NULL on allocation failure */
void		 match_free(struct match *);	/* NULL-safe */

/*
 * Adds every signature in buf (the file format is in signatures/README.md)
 * under the set name `set` (used in messages: "set:line: what").  All or
 * nothing: on error the matcher is as it was, errbuf says which line and
 * what was wrong, ERR_MALFORMED is returned.
 */
int	match_load_buf(struct match *, const char *buf, size_t len,
	    const char *set, char *errbuf);

/* Reads path and calls match_load_buf(); ERR_IO with errbuf on failure. */
int	match_load_file(struct match *, const char *path, char *errbuf);

/* The built-in set (signatures/kaspersky.sigs, compiled in). */
int	match_load_builtin(struct match *, char *errbuf);

/*
 * Looks a name up (any case, one trailing dot ignored) in O(labels).  When
 * several signatures match, the most specific wins: more labels first, then
 * exact over wildcard over suffix, then the first loaded.  NULL: no match.
 * No allocation.
 */
const struct match_sig *match_name(const struct match *, const char *name,
	    size_t len);

/*
 * True when no name ending in the labels a.b, as written on the wire (a
 * the second to last), can match: what match_name() would find out first,
 * without the name being decoded.  False when it may match, or when a or b
 * holds a byte that decoding would escape (then ask match_name()).
 */
bool	match_gate_wire(const struct match *, const uint8_t *a, size_t na,
	    const uint8_t *b, size_t nb);
/* The same, with x (nx bytes) the label before a, NULL when there is
 * none: under a public suffix ("co.uk") the third label decides. */
bool	match_gate_wire3(const struct match *, const uint8_t *x, size_t nx,
	    const uint8_t *a, size_t na, const uint8_t *b, size_t nb);

/* Longest-prefix CIDR signature containing addr, or NULL. */
const struct match_sig *match_addr(const struct match *, const struct addr *);

size_t	 match_count(const struct match *);
/* The i-th signature in load order, i < match_count(). */
const struct match_sig *match_at(const struct match *, size_t i);

const char	*match_cat_name(enum match_cat);	/* "update", ... */
const char	*match_kind_name(enum match_kind);	/* "suffix", ... */

#endif
