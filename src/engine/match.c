/* match.c - signature lookup, the per-name and per-address hot path: the
 * gate, label suffixes, wildcards, CIDRs (RFC 1034, 4343, 4632). */
#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "match.h"
#include "match_int.h"
#include "name.h"

#define QLABELS		256	/* labels of a 254-character query, at most */

/*
 * Matches one label against a pattern label where '*' stands for any run of
 * characters, backtracking only to the last '*' (labels are <= 63 bytes).
 */
static bool
glob_label(const char *p, size_t pn, const char *s, size_t sn)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;

	while (si < sn) {
		if (pi < pn && p[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < pn && p[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			si = ++mark;
		} else
			return false;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

/*
 * The labels left of the wildcard's suffix: pattern labels 0..k-1 against
 * query labels 0..k-1 (the suffix itself already compared equal).
 */
static bool
glob_prefix(const struct ent *e, const char *q, size_t qlen,
    const size_t *start, unsigned nq, unsigned k)
{
	const char *p = e->canon, *pend = e->canon + e->suf_off;
	const char *dot;
	size_t qend;
	unsigned j;

	for (j = 0; j < k; j++) {
		if (p >= pend)
			return false;
		dot = memchr(p, '.', (size_t)(pend - p));
		if (dot == NULL)
			dot = pend;
		qend = j + 1 < nq ? start[j + 1] - 1 : qlen;
		if (!glob_label(p, (size_t)(dot - p), q + start[j],
		    qend - start[j]))
			return false;
		p = dot + 1;
	}
	return true;
}

/*
 * The first entry of an indexed chain (struct wix) that matches, if it
 * comes before best: one probe per shape whose ends fit in the query's part
 * left of the suffix (labels 0..k-1), then the glob of only those entries.
 */
static const struct ent *
wix_find(const struct wix *ix, const struct ent *best, const char *q,
    size_t qlen, const size_t *start, unsigned nq, unsigned k)
{
	const struct ent *e;
	size_t left = k < nq ? start[k] - 1 : qlen, i, j, el;
	unsigned a, b;

	for (i = 0; i < ix->n_shapes; i++) {
		a = ix->shapes[i] >> 16;
		b = ix->shapes[i] & 0xffff;
		if (a + b > left)
			break;			/* sorted by a + b */
		for (j = slot_of(wix_key(q, left, a, b), ix->cap);
		    (e = ix->slots[j]) != NULL; j = (j + 1) & (ix->cap - 1)) {
			el = wild_left_len(e->canon_len, e->suf_off);
			if (e->lit_a == a && e->lit_b == b &&
			    memcmp(e->canon, q, a) == 0 &&
			    memcmp(e->canon + el - b, q + left - b, b) == 0)
				break;
		}
		for (; e != NULL; e = e->snext) {
			if (best != NULL && e->idx > best->idx)
				break;
			if (glob_prefix(e, q, qlen, start, nq, k)) {
				best = e;
				break;
			}
		}
	}
	return best;
}

static bool
set_has(const uint64_t *g, size_t cap, uint64_t key)
{
	size_t j;

	key = key != 0 ? key : 1;
	for (j = (size_t)key & (cap - 1); g[j] != 0; j = (j + 1) & (cap - 1))
		if (g[j] == key)
			return true;
	return false;
}

static bool
gate_has(const struct match *m, uint64_t key)
{
	return set_has(m->gate, m->gate_cap, key);
}

/*
 * After the gate let a name by (key2, its last two labels, is a
 * pattern's): true when its last three labels (key3) are no pattern's
 * and a third label decides under key2 (struct match, gate3).
 */
static bool
gate3_reject(const struct match *m, uint64_t key2, uint64_t key3)
{
	return m->gate3 != NULL &&
	    !set_has(m->gate3_open, m->gate3_open_cap, key2) &&
	    !set_has(m->gate3, m->gate3_cap, key3);
}

/*
 * The gate before any other work: the last two labels, hashed from the
 * right as far as their dot, checked against the patterns' (see struct
 * match).  Escapes (never in a pattern) and single labels go the long way.
 */
static bool
gate_reject(const struct match *m, const char *name, size_t len)
{
	uint64_t hh = HASH_BASIS;
	unsigned dots = 0;
	size_t i;
	char c;

	if (m->gate == NULL || m->gate_off || len == 0)
		return false;
	if (name[len - 1] == '.')
		len--;			/* one trailing dot */
	for (i = len; i-- > 0; ) {
		c = fold(name[i]);
		if (c == '\\')
			return false;
		if (c == '.' && ++dots == 2) {
			if (i > 0 && name[i - 1] == '\\')
				return false;
			break;
		}
		hh = hash_step(hh, (uint8_t)c);
	}
	return dots > 0 && !gate_has(m, hh);
}

bool
match_gate_wire(const struct match *m, const uint8_t *a, size_t na,
    const uint8_t *b, size_t nb)
{
	return match_gate_wire3(m, NULL, 0, a, na, b, nb);
}

bool
match_gate_wire3(const struct match *m, const uint8_t *x, size_t nx,
    const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	uint64_t hh = HASH_BASIS, h2;
	uint32_t bit;
	uint8_t c, a0, a1, b0, b1;

	if (m == NULL)
		return true;			/* match_name(): NULL */
	if (m->all != NULL || m->gate == NULL || m->gate_off)
		return false;
	/*
	 * Lengths and end bytes no pattern has: no need to hash.  With a
	 * byte the presentation form escapes (0 here) only the lengths
	 * count, and the hash hands such a name to match_name().
	 */
	if ((m->gate_len[na < 63 ? na : 63] >> (nb < 63 ? nb : 63) & 1) == 0)
		return true;
	a0 = na > 0 ? name_plain[a[0]] : 0;
	a1 = na > 0 ? name_plain[a[na - 1]] : 0;
	b0 = nb > 0 ? name_plain[b[0]] : 0;
	b1 = nb > 0 ? name_plain[b[nb - 1]] : 0;
	if ((na == 0 || (a0 != 0 && a1 != 0)) &&
	    (nb == 0 || (b0 != 0 && b1 != 0))) {
		bit = gate_bit(na, a0, a1, nb, b0, b1);
		if ((m->gate_bloom[bit / 64] >> (bit % 64) & 1) == 0)
			return true;
	}
	/* gate_reject() over "a.b", from its end. */
	while (nb-- > 0) {
		if ((c = name_plain[b[nb]]) == 0)
			return false;
		hh = hash_step(hh, c);
	}
	hh = hash_step(hh, '.');
	while (na-- > 0) {
		if ((c = name_plain[a[na]]) == 0)
			return false;
		hh = hash_step(hh, c);
	}
	if (!gate_has(m, hh))
		return true;
	if (x == NULL || m->gate3 == NULL)
		return false;
	/* As match_name(): the last three labels, "x.a.b", from the end. */
	h2 = hh;
	hh = hash_step(hh, '.');
	while (nx-- > 0) {
		if ((c = name_plain[x[nx]]) == 0)
			return false;
		hh = hash_step(hh, c);
	}
	return gate3_reject(m, h2, hh);
}

const struct match_sig *
match_name(const struct match *m, const char *name, size_t len)
{
	char q[NAME_LEN + 2];
	size_t start[QLABELS];
	uint64_t h[QLABELS + 1], hh;
	const struct match_sig *all;
	const struct ent *e, *best;
	unsigned nq = 0, k, skip;
	size_t i;

	if (m == NULL)
		return NULL;
	all = m->all != NULL ? &m->all->sig : NULL;
	if ((name == NULL && len > 0) || len > NAME_LEN + 1)
		return all;
	if (all == NULL && gate_reject(m, name, len))
		return NULL;

	/*
	 * Label boundaries are the dots that are not escaped: dns.c writes a
	 * dot inside a label as "\." and odd bytes as "\DDD", so a backslash
	 * hides the next character, or the next three when they are digits.
	 */
	if (len > 0)
		start[nq++] = 0;
	for (i = 0, skip = 0; i < len; i++) {
		q[i] = fold(name[i]);
		if (skip > 0)
			skip--;
		else if (q[i] == '\\')
			skip = i + 1 < len && is_digit(name[i + 1]) ? 3 : 1;
		else if (q[i] == '.' && nq < QLABELS)
			start[nq++] = i + 1;
	}
	if (nq > 0 && start[nq - 1] == len && len > 0) {
		len--;			/* one trailing dot */
		nq--;
	}
	if (len == 0)
		nq = 0;			/* the root */
	if (len > NAME_LEN)
		return all;

	/* h[k]: the suffix made of labels k..nq-1; h[nq] is the root's. */
	hh = HASH_BASIS;
	h[nq] = hh;
	k = nq;
	while (k > 0 && start[k - 1] == len)
		h[--k] = hh;
	for (i = len; i-- > 0; ) {
		hh = hash_step(hh, (uint8_t)q[i]);
		if (k > 0 && start[k - 1] == i)
			h[--k] = hh;
	}

	/* Nearly every name stops here: its last two labels are no
	 * pattern's.  ("." matches anyway: all is returned.) */
	if (nq >= 2 && m->gate != NULL && !m->gate_off &&
	    !gate_has(m, h[nq - 2]))
		return all;
	if (nq >= 3 && gate3_reject(m, h[nq - 2], h[nq - 3]))
		return all;

	/* Most labels first: an exact or wildcard hit has all nq labels. */
	if (nq > 0 &&
	    (e = tab_get_name(&m->exact, m->ents, h[0], q, len)) != NULL)
		return &e->sig;
	best = NULL;
	for (k = 1; k <= nq && nq < 128 && m->wild_nl[nq]; k++) {
		e = tab_get_wild(&m->wild, m->ents, mix_labels(h[k], nq),
		    k < nq ? q + start[k] : q + len,
		    k < nq ? len - start[k] : 0, nq);
		if (e != NULL && e->ix != NULL) {
			best = wix_find(e->ix, best, q, len, start, nq, k);
			continue;
		}
		for (; e != NULL; e = e->next) {
			if (best != NULL && e->idx > best->idx)
				break;
			if (glob_prefix(e, q, len, start, nq, k)) {
				best = e;
				break;
			}
		}
	}
	if (best != NULL)
		return &best->sig;
	for (k = 0; k < nq && m->suffix.n > 0; k++) {
		e = tab_get_name(&m->suffix, m->ents, h[k], q + start[k],
		    len - start[k]);
		if (e != NULL)
			return &e->sig;
	}
	return all;
}

static inline bool
cidrs_may_hold(const struct cidrs *c, const uint8_t *a)
{
	uint32_t t = (uint32_t)a[0] << 8 | a[1];

	return (c->top[t / 64] >> (t % 64) & 1) != 0;
}

/* memcmp() of two 16-byte addresses, as two big-endian words (a call to
 * memcmp() per probe was half of match_addr() on a flood of new flows). */
static inline int
a16_cmp(const uint8_t *x, const uint8_t *y)
{
	uint64_t a, b;

	memcpy(&a, x, 8);
	memcpy(&b, y, 8);
	if (a == b) {
		memcpy(&a, x + 8, 8);
		memcpy(&b, y + 8, 8);
	}
	a = be64toh(a);
	b = be64toh(b);
	return (a > b) - (a < b);
}

const struct match_sig *
match_addr(const struct match *m, const struct addr *addr)
{
	const struct cidrs *c;
	struct addr key;
	size_t r, lo, hi, mid;
	int cmp;

	if (m == NULL || addr == NULL)
		return NULL;
	if (addr->family == 4)
		c = &m->v4;
	else if (addr->family == 6)
		c = &m->v6;
	else
		return NULL;
	if (!cidrs_may_hold(c, addr->a))
		return NULL;
	for (r = 0; r < c->n_runs; r++) {
		addr_mask(&key, addr, c->v[c->run[r]].plen);
		lo = c->run[r];
		hi = c->run[r + 1];
		while (lo < hi) {	/* the first entry >= key */
			mid = lo + (hi - lo) / 2;
			cmp = a16_cmp(c->v[mid].a, key.a);
			if (cmp < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->run[r + 1] &&
		    a16_cmp(c->v[lo].a, key.a) == 0)
			return &m->ents[c->v[lo].ref - 1]->sig;
	}
	return NULL;
}
