/* match_int.h - what match.c (lookup) and match_load.c (loading) share: the
 * matcher's tables and the hashes both must agree on (not an interface). */
#ifndef KASAUDIT_MATCH_INT_H
#define KASAUDIT_MATCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "match.h"

#define NAME_LEN	253	/* RFC 1034 3.1: 255 octets on the wire */
#define LABEL_LEN	63

#define HASH_BASIS	0xcbf29ce484222325ULL
#define GATE_BLOOM_BITS	65536		/* 8 KiB: stays in the cache */

/*
 * One signature.  Allocated alone so that the match_sig pointers handed out
 * stay valid while later sets are loaded.  The strings live in text[].
 */
struct ent {
	struct match_sig sig;
	size_t		 idx;		/* load order across all sets */
	const char	*canon;		/* lower case, no trailing dot */
	size_t		 canon_len;
	size_t		 suf_off;	/* wildcard: label after the last '*' */
	unsigned	 nlabels;
	uint64_t	 hash;		/* canon, or the wildcard's suffix */
	struct ent	*next;		/* wildcard: same suffix, same labels */
	struct ent	*tail;		/* wildcard chain's head: its last entry */
	struct wix	*ix;		/* wildcard chain's head: its index */
	struct ent	*snext;		/* wildcard: next in the chain with the
					 * same literal ends (struct wix) */
	struct ent	*stail;		/* the first of those: the last */
	uint16_t	 lit_a;		/* wildcard: bytes before the first '*' */
	uint16_t	 lit_b;		/* bytes after the last, to the suffix */
	struct addr	 prefix;	/* CIDR, masked */
	unsigned	 plen;
	char		 text[];
};

/*
 * The index of a long wildcard chain (one suffix, one label count).  A
 * pattern can only match a query whose part left of the suffix starts with
 * the pattern's bytes before its first '*' (lit_a of them) and ends with
 * those after its last (lit_b): '*' never crosses a dot, and the labels
 * line up one to one.  So the chain is split by those two literal ends; a
 * lookup tries each (lit_a, lit_b) shape the chain has, one probe each, and
 * globs only the entries whose ends are the query's.  Without it a name
 * under a suffix shared by 30,000 wildcards was globbed 30,000 times.
 */
struct wix {
	uint32_t	*shapes;	/* distinct lit_a << 16 | lit_b, by a + b */
	size_t		 n_shapes;
	struct ent	**slots;	/* the first (lowest idx) of each key */
	size_t		 cap;		/* a power of two */
};

#define WIX_MIN		8	/* chains shorter than this are walked */

/* Where the bytes after a wildcard's last '*' end: the dot before its
 * suffix, or the end of a pattern whose last label has the '*'. */
static inline size_t
wild_left_len(size_t canon_len, size_t suf_off)
{
	return suf_off < canon_len ? suf_off - 1 : canon_len;
}

/* The key of a shape's literal ends in s[0..n): s[0..a) and s[n-b..n). */
static inline uint64_t
wix_key(const char *s, size_t n, unsigned a, unsigned b)
{
	uint64_t h = HASH_BASIS ^ ((uint64_t)a << 32 | b);
	size_t i;

	for (i = 0; i < a; i++)
		h = (h ^ (uint8_t)s[i]) * 0x100000001b3ULL;
	for (i = n - b; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 0x100000001b3ULL;
	return h;
}

/* Open addressing with linear probing; ref is 1 + index into ents, 0 free. */
struct slot {
	uint64_t	 hash;
	uint32_t	 ref;
};

struct tab {
	struct slot	*slots;
	size_t		 cap;		/* a power of two, or 0 */
	size_t		 n;
};

/*
 * CIDRs of one family sorted by prefix length (longest first), then prefix,
 * then load order.  A lookup masks the address once per distinct length and
 * binary-searches that run: at most 33 or 129 searches.
 */
struct cidr {
	uint8_t		 a[16];
	unsigned	 plen;
	uint32_t	 ref;
};

struct cidrs {
	struct cidr	*v;
	size_t		 n;
	size_t		 n_runs;
	size_t		 run[130];	/* start of each run; run[n_runs] = n */
	/* Bit t set when some prefix covers an address whose first 16 bits
	 * are t: nearly every address is turned away by one load. */
	uint64_t	 top[65536 / 64];
};

struct match {
	struct ent	**ents;
	size_t		 n, cap;
	char		**sets;
	size_t		 n_sets, cap_sets;
	struct tab	 exact;		/* key: canon */
	struct tab	 suffix;	/* key: canon */
	struct tab	 wild;		/* key: suffix past the '*'s, labels */
	const struct ent *all;		/* the first "." */
	bool		 wild_nl[128];	/* a wildcard has this many labels */
	struct cidrs	 v4, v6;
	/*
	 * The gate: hashes of the last two labels of every name pattern.  A
	 * name whose last two labels are none of them cannot match, and
	 * nearly every name on the wire is such a name: one probe instead
	 * of one per label and table.  Off when a pattern has one label or a
	 * '*' in its last two.
	 */
	uint64_t	*gate;
	size_t		 gate_cap;	/* power of two */
	bool		 gate_off;
	/*
	 * Before the hash, from the wire: a bit for the lengths and the
	 * first and last bytes of a pattern's last two labels (gate_bit()).
	 * Four byte loads and one probe turn nearly every name away.
	 */
	uint64_t	 gate_bloom[GATE_BLOOM_BITS / 64];
	/* Bit b of gate_len[a] set when a pattern's last two labels are a
	 * and b bytes long (63 standing for longer). */
	uint64_t	 gate_len[64];
	/*
	 * The gate's third label, for last two labels that are a public
	 * suffix ("co.uk" from kaspersky.co.uk): without it every name under
	 * them passed the gate (4.6 % of dns-heavy's names, each decoded and
	 * looked up in every table).  gate3 holds the hashes of the last
	 * three labels of every name pattern with three or more, none a '*';
	 * gate3_open the gate keys (last two labels) under which a pattern
	 * has no such third label (two labels, or a '*' in the third), where
	 * gate3 cannot turn a name away.  Hashed as the gate is, over "x.a.b".
	 */
	uint64_t	*gate3, *gate3_open;
	size_t		 gate3_cap, gate3_open_cap;	/* powers of two */
};

static inline char
fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * One step of the name hash.  The bytes are taken from the last to the
 * first, so that the hash of every label suffix of a name falls out of one
 * pass from its right end.  A rotate and add is weak on its own but costs a
 * cycle a byte; slot_of() mixes the result and keys are compared in full.
 */
static inline uint64_t
hash_step(uint64_t h, uint8_t c)
{
	return ((h << 7) | (h >> 57)) + c;
}

static inline uint64_t
mix_labels(uint64_t h, unsigned nlabels)
{
	return h ^ ((uint64_t)(nlabels + 1) * 0x9e3779b97f4a7c15ULL);
}

static inline size_t
slot_of(uint64_t h, size_t cap)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

/*
 * The bloom bit of two labels a.b: their lengths (63 standing for longer)
 * and their first and last bytes as the presentation form writes them,
 * folded (0 for an empty label).
 */
static inline uint32_t
gate_bit(size_t na, uint8_t a0, uint8_t a1, size_t nb, uint8_t b0,
    uint8_t b1)
{
	uint64_t k;

	k = (uint64_t)(na < 63 ? na : 63) | (uint64_t)(nb < 63 ? nb : 63) << 6 |
	    (uint64_t)a0 << 12 | (uint64_t)a1 << 20 | (uint64_t)b0 << 28 |
	    (uint64_t)b1 << 36;
	return (uint32_t)((k * 0x9e3779b97f4a7c15ULL) >> 48);
}

/* Finds the entry with this hash whose name key is s[0..n). */
static inline struct ent *
tab_get_name(const struct tab *t, struct ent *const *ents, uint64_t h,
    const char *s, size_t n)
{
	struct ent *e;
	size_t j;

	if (t->cap == 0)
		return NULL;
	for (j = slot_of(h, t->cap); t->slots[j].ref != 0;
	    j = (j + 1) & (t->cap - 1)) {
		if (t->slots[j].hash != h)
			continue;
		e = ents[t->slots[j].ref - 1];
		if (e->canon_len == n && memcmp(e->canon, s, n) == 0)
			return e;
	}
	return NULL;
}

/* Finds the head of the wildcard chain for this suffix and label count. */
static inline struct ent *
tab_get_wild(const struct tab *t, struct ent *const *ents, uint64_t h,
    const char *s, size_t n, unsigned nlabels)
{
	struct ent *e;
	size_t j;

	if (t->cap == 0)
		return NULL;
	for (j = slot_of(h, t->cap); t->slots[j].ref != 0;
	    j = (j + 1) & (t->cap - 1)) {
		if (t->slots[j].hash != h)
			continue;
		e = ents[t->slots[j].ref - 1];
		if (e->nlabels == nlabels && e->canon_len - e->suf_off == n &&
		    memcmp(e->canon + e->suf_off, s, n) == 0)
			return e;
	}
	return NULL;
}

/* match_gate.c: the gate (gate, gate_bloom, gate_len of struct match) and
 * its third label (gate3, gate3_open) of the entries in a and b; false on
 * allocation failure.  gate3_build() makes no sets when off. */
bool	gate_build(struct ent *const *a, size_t na, struct ent *const *b,
	    size_t nb, uint64_t **out, size_t *out_cap, bool *off,
	    uint64_t *bloom, uint64_t len_bits[64]);
bool	gate3_build(struct ent *const *a, size_t na, struct ent *const *b,
	    size_t nb, bool off, uint64_t **g3, size_t *cap3, uint64_t **open,
	    size_t *cap_open);

#endif
