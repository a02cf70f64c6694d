/* match_gate.c - the matcher's gate: hashes of the last two and three labels
 * of the name patterns, built at each load (struct match; used in match.c). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "match_int.h"

/*
 * Hash of the last two labels of a pattern, as match_name() hashes, and
 * their bloom bit (gate_bit()).
 */
static bool
gate_key(const struct ent *e, uint64_t *key, uint32_t *bit, size_t len[2])
{
	size_t i = e->canon_len, dots = 0;
	uint8_t first[2] = { 0, 0 }, last[2] = { 0, 0 }, c;
	uint64_t h = HASH_BASIS;

	len[0] = len[1] = 0;
	while (i > 0) {
		c = (uint8_t)e->canon[i - 1];
		if (c == '*')
			return false;
		if (c == '.' && ++dots == 2)
			break;
		if (c != '.') {
			if (len[dots == 0]++ == 0)
				last[dots == 0] = c;
			first[dots == 0] = c;
		}
		h = hash_step(h, c);
		i--;
	}
	if (dots == 0)
		return false;		/* a single label */
	*key = h != 0 ? h : 1;
	*bit = gate_bit(len[0], first[0], last[0], len[1], first[1], last[1]);
	return true;
}

static void
gate_put(uint64_t *g, size_t cap, uint64_t key)
{
	size_t j = (size_t)key & (cap - 1);

	while (g[j] != 0 && g[j] != key)
		j = (j + 1) & (cap - 1);
	g[j] = key;
}

/*
 * The hashes of e's last two labels (*key2) and last three (*key3), as
 * gate_key() hashes; 0 for a key e does not have (fewer labels, or a '*'
 * in them).
 */
static void
gate_key3(const struct ent *e, uint64_t *key2, uint64_t *key3)
{
	size_t i, dots = 0;
	uint64_t h = HASH_BASIS;
	uint8_t c;

	*key2 = *key3 = 0;
	for (i = e->canon_len; i > 0; i--) {
		c = (uint8_t)e->canon[i - 1];
		if (c == '*')
			return;
		if (c == '.' && ++dots == 2)
			*key2 = h != 0 ? h : 1;
		else if (c == '.' && dots == 3) {
			*key3 = h != 0 ? h : 1;
			return;
		}
		h = hash_step(h, c);
	}
	if (dots == 1)			/* the start ends the last label */
		*key2 = h != 0 ? h : 1;
	else if (dots == 2)
		*key3 = h != 0 ? h : 1;
}

/*
 * gate3 and gate3_open (struct match) of the entries in a and b; NULL sets
 * (no third-label gate) when the gate is off; false on allocation failure.
 */
bool
gate3_build(struct ent *const *a, size_t na, struct ent *const *b, size_t nb,
    bool off, uint64_t **g3, size_t *cap3, uint64_t **open, size_t *cap_open)
{
	size_t cap = 16, i;
	uint64_t k2, k3;
	const struct ent *e;

	*g3 = *open = NULL;
	*cap3 = *cap_open = 0;
	if (off)
		return true;
	while (cap < 2 * (na + nb))
		cap <<= 1;
	if ((*g3 = calloc(cap, sizeof(**g3))) == NULL ||
	    (*open = calloc(cap, sizeof(**open))) == NULL) {
		free(*g3);
		*g3 = NULL;
		return false;
	}
	*cap3 = *cap_open = cap;
	for (i = 0; i < na + nb; i++) {
		e = i < na ? a[i] : b[i - na];
		if (e->sig.kind != MK_EXACT && e->sig.kind != MK_SUFFIX &&
		    e->sig.kind != MK_WILDCARD)
			continue;
		gate_key3(e, &k2, &k3);
		if (k3 != 0)
			gate_put(*g3, cap, k3);
		else if (k2 != 0)		/* "co.uk", "x*.co.uk" */
			gate_put(*open, cap, k2);
	}
	return true;
}

/* Builds the gate of the entries in a and b; false on allocation failure. */
bool
gate_build(struct ent *const *a, size_t na, struct ent *const *b, size_t nb,
    uint64_t **out, size_t *out_cap, bool *off, uint64_t *bloom,
    uint64_t len_bits[64])
{
	size_t cap = 16, i, len[2];
	uint64_t *g, key;
	uint32_t bit;
	const struct ent *e;

	*off = false;
	memset(bloom, 0, GATE_BLOOM_BITS / 8);
	memset(len_bits, 0, 64 * sizeof(*len_bits));
	while (cap < 2 * (na + nb))
		cap <<= 1;
	if ((g = calloc(cap, sizeof(*g))) == NULL)
		return false;
	for (i = 0; i < na + nb; i++) {
		e = i < na ? a[i] : b[i - na];
		if (e->sig.kind != MK_EXACT && e->sig.kind != MK_SUFFIX &&
		    e->sig.kind != MK_WILDCARD)
			continue;
		if (!gate_key(e, &key, &bit, len)) {
			*off = true;
			continue;
		}
		gate_put(g, cap, key);
		bloom[bit / 64] |= (uint64_t)1 << (bit % 64);
		len_bits[len[0] < 63 ? len[0] : 63] |=
		    (uint64_t)1 << (len[1] < 63 ? len[1] : 63);
	}
	*out = g;
	*out_cap = cap;
	return true;
}
