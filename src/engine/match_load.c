/* match_load.c - signature files into a matcher: parsing lines, building and
 * committing the tables, listing (RFC 1034, 4632).  Lookup is in match.c. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "conf.h"
#include "err.h"
#include "match.h"
#include "match_int.h"

#define FILE_MAX	(64u << 20)	/* larger: not a signature file */

static void	wix_free(struct wix *);

/* What one load builds before it is merged into the matcher. */
struct load {
	struct ent	**ents;
	size_t		 n, cap;
	struct tab	 seen;		/* duplicate check: kind + canon */
	size_t		 n_cidr4, n_cidr6;
};

static const char *const cat_names[CAT_N] = {
	"update", "telemetry", "activation", "pki", "management", "web",
	"other", "encrypted-dns", "successor",
};

static const char *const kind_names[] = {
	"suffix", "exact", "wildcard", "cidr", "all",
};

const char *
match_cat_name(enum match_cat c)
{
	return (unsigned)c < CAT_N ? cat_names[c] : "?";
}

const char *
match_kind_name(enum match_kind k)
{
	return (unsigned)k <= MK_ALL ? kind_names[k] : "?";
}

static uint64_t
hash_rev(uint64_t h, const char *s, size_t n)
{
	while (n-- > 0)
		h = hash_step(h, (uint8_t)s[n]);
	return h;
}

/* Makes room for `want` keys at most 3/4 full; existing keys are rehashed. */
static int
tab_reserve(struct tab *t, size_t want)
{
	struct slot *slots;
	size_t cap, i, j;

	if (want < (t->cap / 4) * 3)
		return ERR_OK;
	cap = t->cap ? t->cap : 16;
	while (want >= (cap / 4) * 3)
		cap *= 2;
	if ((slots = calloc(cap, sizeof(*slots))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < t->cap; i++) {
		if (t->slots[i].ref == 0)
			continue;
		for (j = slot_of(t->slots[i].hash, cap); slots[j].ref != 0;
		    j = (j + 1) & (cap - 1))
			;
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return ERR_OK;
}

/* Never allocates: tab_reserve() made room first. */
static void
tab_put(struct tab *t, uint64_t h, uint32_t ref)
{
	size_t j;

	for (j = slot_of(h, t->cap); t->slots[j].ref != 0;
	    j = (j + 1) & (t->cap - 1))
		;
	t->slots[j].hash = h;
	t->slots[j].ref = ref;
	t->n++;
}

/* For the duplicate check within one load: same kind, same canon. */
static struct ent *
tab_get_seen(const struct tab *t, struct ent *const *ents, uint64_t h,
    const struct ent *k)
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
		if (e->sig.kind == k->sig.kind &&
		    e->canon_len == k->canon_len &&
		    memcmp(e->canon, k->canon, k->canon_len) == 0)
			return e;
	}
	return NULL;
}

size_t
match_count(const struct match *m)
{
	return m != NULL ? m->n : 0;
}

const struct match_sig *
match_at(const struct match *m, size_t i)
{
	return m != NULL && i < m->n ? &m->ents[i]->sig : NULL;
}

struct match *
match_new(void)
{
	return calloc(1, sizeof(struct match));
}

void
match_free(struct match *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		wix_free(m->ents[i]->ix);
		free(m->ents[i]);
	}
	free(m->ents);
	for (i = 0; i < m->n_sets; i++)
		free(m->sets[i]);
	free(m->sets);
	free(m->exact.slots);
	free(m->suffix.slots);
	free(m->wild.slots);
	free(m->v4.v);
	free(m->v6.v);
	free(m->gate);
	free(m->gate3);
	free(m->gate3_open);
	free(m);
}

static int
cidr_cmp(const void *x, const void *y)
{
	const struct cidr *a = x, *b = y;
	int r;

	if (a->plen != b->plen)
		return a->plen > b->plen ? -1 : 1;
	if ((r = memcmp(a->a, b->a, sizeof(a->a))) != 0)
		return r;
	return a->ref < b->ref ? -1 : a->ref > b->ref;
}

static void
cidrs_runs(struct cidrs *c)
{
	size_t i;
	uint32_t t, span;

	c->n_runs = 0;
	memset(c->top, 0, sizeof(c->top));
	for (i = 0; i < c->n; i++) {
		if (i == 0 || c->v[i].plen != c->v[i - 1].plen)
			c->run[c->n_runs++] = i;
		t = (uint32_t)c->v[i].a[0] << 8 | c->v[i].a[1];
		span = c->v[i].plen >= 16 ? 1 : 1u << (16 - c->v[i].plen);
		for (t &= ~(span - 1); span-- > 0; t++)
			c->top[t / 64] |= (uint64_t)1 << (t % 64);
	}
	c->run[c->n_runs] = c->n;
}

/* ---- parsing ---- */

struct parsed {
	enum match_kind	 kind;
	enum match_cat	 cat;
	char		 confidence;
	const char	*pattern, *source, *note;
	size_t		 pattern_len, source_len, note_len;
	char		 canon[NAME_LEN + 1];	/* or the canonical CIDR */
	size_t		 canon_len;
	size_t		 suf_off;
	unsigned	 nlabels;
	struct addr	 prefix;
	unsigned	 plen;
};

/*
 * Checks a name pattern (letters, digits, '-', '_'; '*' when wild is
 * allowed) into p->canon.  Returns NULL or what is wrong, in msg.
 */
static const char *
parse_name(struct parsed *p, const char *s, size_t n, bool wild, char *msg,
    size_t msg_len)
{
	char qb[80];
	size_t i, label = 0, last_star_label_end = 0;
	bool star_in_label = false, any_star = false;
	char c;

	if (n > 0 && s[n - 1] == '.')
		n--;			/* one trailing dot */
	if (n == 0)
		return "empty name";
	if (n > NAME_LEN) {
		snprintf(msg, msg_len, "name longer than %d characters",
		    NAME_LEN);
		return msg;
	}
	p->nlabels = 1;
	for (i = 0; i <= n; i++) {
		c = i < n ? fold(s[i]) : '.';
		if (c == '.') {
			if (label == 0) {
				snprintf(msg, msg_len, "empty label in %s",
				    conf_quote(qb, sizeof(qb), s, n));
				return msg;
			}
			if (label > LABEL_LEN) {
				snprintf(msg, msg_len, "label longer than %d "
				    "characters in %s", LABEL_LEN,
				    conf_quote(qb, sizeof(qb), s, n));
				return msg;
			}
			if (star_in_label)
				last_star_label_end = i;
			if (i < n)
				p->nlabels++;
			label = 0;
			star_in_label = false;
		} else if (c == '*' && wild) {
			star_in_label = any_star = true;
			label++;
		} else if ((c >= 'a' && c <= 'z') || is_digit(c) ||
		    c == '-' || c == '_') {
			label++;
		} else {
			if (c == '*')
				snprintf(msg, msg_len, "'*' in an exact (=) "
				    "pattern %s",
				    conf_quote(qb, sizeof(qb), s, n));
			else
				snprintf(msg, msg_len, "bad character %s in "
				    "name %s",
				    conf_quote(qb, sizeof(qb), s + i, 1),
				    conf_quote(qb + 40, sizeof(qb) - 40, s, n));
			return msg;
		}
		if (i < n)
			p->canon[i] = c;
	}
	p->canon[n] = '\0';
	p->canon_len = n;
	if (any_star) {
		p->kind = MK_WILDCARD;
		p->suf_off = last_star_label_end < n ?
		    last_star_label_end + 1 : n;
	}
	return NULL;
}

/* "addr" or "addr/len", strict: host bits must be zero. */
static const char *
parse_cidr(struct parsed *p, const char *s, size_t n, char *msg,
    size_t msg_len)
{
	char fmt[ADDR_STRLEN];
	const char *what;

	if ((what = conf_cidr(&p->prefix, &p->plen, s, n, msg, msg_len)) !=
	    NULL)
		return what;
	p->kind = MK_CIDR;
	p->canon_len = (size_t)snprintf(p->canon, sizeof(p->canon), "%s/%u",
	    addr_fmt(&p->prefix, fmt), p->plen);
	return NULL;
}

/* Looks like an address rather than a name: has ':' or '/', or is 1.2.3.4. */
static bool
looks_cidr(const char *s, size_t n)
{
	bool only_digits_dots = true;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == ':' || s[i] == '/')
			return true;
		if (!is_digit(s[i]) && s[i] != '.')
			only_digits_dots = false;
	}
	return only_digits_dots;
}

static const char *
parse_pattern(struct parsed *p, const char *s, size_t n, char *msg,
    size_t msg_len)
{
	p->pattern = s;
	p->pattern_len = n;
	p->suf_off = 0;
	p->nlabels = 0;
	if (n == 1 && s[0] == '.') {
		p->kind = MK_ALL;
		p->canon[0] = '\0';
		p->canon_len = 0;
		return NULL;
	}
	if (s[0] == '=') {
		p->kind = MK_EXACT;
		return parse_name(p, s + 1, n - 1, false, msg, msg_len);
	}
	if (looks_cidr(s, n))
		return parse_cidr(p, s, n, msg, msg_len);
	p->kind = MK_SUFFIX;
	return parse_name(p, s, n, true, msg, msg_len);
}

/*
 * key=value or key="value with spaces".  Unknown keys are errors: in a
 * security tool a misspelt "confidense=C" must not pass silently.
 */
static int
parse_keys(struct parsed *p, const char *s, size_t n, size_t pos,
    const char *set, unsigned line, char *errbuf)
{
	char qb[80];
	const char *key, *val, *end, *q;
	size_t klen, vlen;

	for (;;) {
		while (pos < n && conf_is_space(s[pos]))
			pos++;
		if (pos >= n || s[pos] == '#')
			return ERR_OK;
		key = s + pos;
		while (pos < n && !conf_is_space(s[pos]) && s[pos] != '=')
			pos++;
		klen = (size_t)(s + pos - key);
		if (pos >= n || s[pos] != '=') {
			return conf_fail(errbuf, set, line, "expected "
			    "key=value, got %s",
			    conf_quote(qb, sizeof(qb), key, klen));
		}
		pos++;
		if (pos < n && s[pos] == '"') {
			val = s + pos + 1;
			end = memchr(val, '"', (size_t)(s + n - val));
			if (end == NULL)
				return conf_fail(errbuf, set, line,
				    "unterminated quote in the value of %s",
				    conf_quote(qb, sizeof(qb), key, klen));
			vlen = (size_t)(end - val);
			pos = (size_t)(end - s) + 1;
			if (pos < n && !conf_is_space(s[pos]))
				return conf_fail(errbuf, set, line, "text "
				    "after the closing quote of %s",
				    conf_quote(qb, sizeof(qb), key, klen));
		} else {
			val = s + pos;
			while (pos < n && !conf_is_space(s[pos]))
				pos++;
			vlen = (size_t)(s + pos - val);
			if ((q = memchr(val, '"', vlen)) != NULL)
				return conf_fail(errbuf, set, line, "stray "
				    "quote in the value of %s",
				    conf_quote(qb, sizeof(qb), key, klen));
		}
		if (klen == 0)
			return conf_fail(errbuf, set, line, "empty key");
		if (vlen == 0)
			return conf_fail(errbuf, set, line, "empty value for "
			    "%s", conf_quote(qb, sizeof(qb), key, klen));
		if (klen == 10 && memcmp(key, "confidence", 10) == 0) {
			if (p->confidence != '-')
				goto twice;
			if (vlen != 1 || (val[0] != 'A' && val[0] != 'B' &&
			    val[0] != 'C'))
				return conf_fail(errbuf, set, line,
				    "confidence must be A, B or C, not %s",
				    conf_quote(qb, sizeof(qb), val, vlen));
			p->confidence = val[0];
		} else if (klen == 6 && memcmp(key, "source", 6) == 0) {
			if (p->source != NULL)
				goto twice;
			p->source = val;
			p->source_len = vlen;
		} else if (klen == 4 && memcmp(key, "note", 4) == 0) {
			if (p->note != NULL)
				goto twice;
			p->note = val;
			p->note_len = vlen;
		} else
			return conf_fail(errbuf, set, line, "unknown key %s "
			    "(confidence, source, note)",
			    conf_quote(qb, sizeof(qb), key, klen));
	}
twice:
	return conf_fail(errbuf, set, line, "key %s given twice",
	    conf_quote(qb, sizeof(qb), key, klen));
}

/* Whether s[0..n) (NULL when n is 0) is the NUL-terminated string t. */
static bool
same_text(const char *t, const char *s, size_t n)
{
	return (n == 0 || strncmp(t, s, n) == 0) && t[n] == '\0';
}

/*
 * One entry, its strings in its own text[]; a source or note equal to
 * the previous entry's of the same load (nearly every line of a set
 * repeats its neighbour's) and a canonical form equal to the pattern as
 * written point at those instead: the built-in set's entries took 52 KiB,
 * 13 pages faulted in at every start.  The entries of a load live and go
 * together (commit(), match_free()), so such a pointer cannot outlive
 * its text.
 */
static struct ent *
ent_new(const struct parsed *p, unsigned line, const struct ent *prev)
{
	struct ent *e;
	const char *star;
	size_t left, off = p->kind == MK_EXACT ? 1 : 0;
	bool own_canon, own_source, own_note;
	char *t;

	own_canon = !(p->pattern_len == off + p->canon_len &&
	    memcmp(p->pattern + off, p->canon, p->canon_len) == 0);
	own_source = prev == NULL ||
	    !same_text(prev->sig.source, p->source, p->source_len);
	own_note = prev == NULL ||
	    !same_text(prev->sig.note, p->note, p->note_len);
	e = calloc(1, sizeof(*e) + p->pattern_len + 1 +
	    (own_canon ? p->canon_len + 1 : 0) +
	    (own_source ? p->source_len + 1 : 0) +
	    (own_note ? p->note_len + 1 : 0));
	if (e == NULL)
		return NULL;
	t = e->text;
	memcpy(t, p->pattern, p->pattern_len);
	e->sig.pattern = t;
	t += p->pattern_len + 1;
	if (own_canon) {
		memcpy(t, p->canon, p->canon_len);
		e->canon = t;
		t += p->canon_len + 1;
	} else
		e->canon = e->sig.pattern + off;
	if (own_source) {
		if (p->source_len > 0)
			memcpy(t, p->source, p->source_len);
		e->sig.source = t;
		t += p->source_len + 1;
	} else
		e->sig.source = prev->sig.source;
	if (own_note) {
		if (p->note_len > 0)
			memcpy(t, p->note, p->note_len);
		e->sig.note = t;
	} else
		e->sig.note = prev->sig.note;
	e->sig.kind = p->kind;
	e->sig.cat = p->cat;
	e->sig.confidence = p->confidence;
	e->sig.line = line;
	e->canon_len = p->canon_len;
	e->suf_off = p->suf_off;
	e->nlabels = p->nlabels;
	e->prefix = p->prefix;
	e->plen = p->plen;
	if (p->kind == MK_WILDCARD) {
		e->hash = mix_labels(hash_rev(HASH_BASIS, e->canon + e->suf_off,
		    e->canon_len - e->suf_off), e->nlabels);
		left = wild_left_len(e->canon_len, e->suf_off);
		star = memchr(e->canon, '*', left);
		e->lit_a = (uint16_t)(star - e->canon);
		while (left > 0 && e->canon[left - 1] != '*')
			left--;
		e->lit_b = (uint16_t)(wild_left_len(e->canon_len,
		    e->suf_off) - left);
	} else
		e->hash = hash_rev(HASH_BASIS, e->canon, e->canon_len);
	return e;
}

static int
parse_line(struct load *ld, const char *s, size_t n, const char *set,
    unsigned line, char *errbuf)
{
	struct parsed p;
	char msg[ERRBUF_LEN], qb[80];
	const char *tok, *what;
	size_t pos = 0, tok_len;
	struct ent *e, *dup, **grown;
	uint64_t h;
	int c, r;

	if ((r = conf_check(s, n, set, line, errbuf)) != ERR_OK)
		return r;
	if (!conf_token(s, n, &pos, &tok, &tok_len))
		return ERR_OK;		/* blank or comment */
	memset(&p, 0, sizeof(p));
	p.confidence = '-';
	if ((what = parse_pattern(&p, tok, tok_len, msg, sizeof(msg))) != NULL)
		return conf_fail(errbuf, set, line, "%s", what);
	if (!conf_token(s, n, &pos, &tok, &tok_len))
		return conf_fail(errbuf, set, line, "missing category after %s",
		    conf_quote(qb, sizeof(qb), p.pattern, p.pattern_len));
	for (c = 0; c < CAT_N; c++)
		if (strlen(cat_names[c]) == tok_len &&
		    memcmp(cat_names[c], tok, tok_len) == 0)
			break;
	if (c == CAT_N)
		return conf_fail(errbuf, set, line, "unknown category %s",
		    conf_quote(qb, sizeof(qb), tok, tok_len));
	p.cat = (enum match_cat)c;
	if (parse_keys(&p, s, n, pos, set, line, errbuf) != ERR_OK)
		return ERR_MALFORMED;

	if (ld->n == ld->cap) {
		size_t cap = ld->cap ? ld->cap * 2 : 64;

		if ((grown = realloc(ld->ents, cap * sizeof(*grown))) == NULL)
			goto nomem;
		ld->ents = grown;
		ld->cap = cap;
	}
	if (tab_reserve(&ld->seen, ld->n + 1) != ERR_OK)
		goto nomem;
	if ((e = ent_new(&p, line, ld->n > 0 ? ld->ents[ld->n - 1] : NULL)) ==
	    NULL)
		goto nomem;
	/* A wildcard's own hash is its suffix's, shared by its whole chain:
	 * the check hashes the whole pattern (100,000 wildcards under one
	 * suffix took 67 s to load when it did not). */
	h = (e->sig.kind == MK_WILDCARD ? hash_rev(HASH_BASIS, e->canon,
	    e->canon_len) : e->hash) ^ (uint64_t)e->sig.kind;
	if ((dup = tab_get_seen(&ld->seen, ld->ents, h, e)) != NULL) {
		free(e);
		return conf_fail(errbuf, set, line, "duplicate of line %u",
		    dup->sig.line);
	}
	ld->ents[ld->n++] = e;
	tab_put(&ld->seen, h, (uint32_t)ld->n);
	if (p.kind == MK_CIDR) {
		if (p.prefix.family == 4)
			ld->n_cidr4++;
		else
			ld->n_cidr6++;
	}
	return ERR_OK;
nomem:
	if (errbuf != NULL)
		snprintf(errbuf, ERRBUF_LEN, "%s:%u: out of memory", set, line);
	return ERR_NOMEM;
}

/* Grows the family's array to hold `extra` more; swaps only on success. */
static int
cidrs_reserve(struct cidrs *c, size_t extra, struct cidr **out)
{
	*out = NULL;
	if (extra == 0)
		return ERR_OK;
	if ((*out = calloc(c->n + extra, sizeof(**out))) == NULL)
		return ERR_NOMEM;
	if (c->n > 0)
		memcpy(*out, c->v, c->n * sizeof(**out));
	return ERR_OK;
}

static void
cidrs_add(struct cidrs *c, struct cidr *grown, const struct ent *e,
    size_t ref)
{
	if (grown != NULL && grown != c->v) {
		free(c->v);
		c->v = grown;
	}
	memcpy(c->v[c->n].a, e->prefix.a, sizeof(c->v[c->n].a));
	c->v[c->n].plen = e->plen;
	c->v[c->n].ref = (uint32_t)ref;
	c->n++;
}

static void
wix_free(struct wix *ix)
{
	if (ix == NULL)
		return;
	free(ix->shapes);
	free(ix->slots);
	free(ix);
}

static int
shape_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	uint32_t sa = (a >> 16) + (a & 0xffff), sb = (b >> 16) + (b & 0xffff);

	if (sa != sb)
		return sa < sb ? -1 : 1;
	return (a > b) - (a < b);
}

static bool
same_ends(const struct ent *x, const struct ent *y)
{
	size_t nx = wild_left_len(x->canon_len, x->suf_off);
	size_t ny = wild_left_len(y->canon_len, y->suf_off);

	return x->lit_a == y->lit_a && x->lit_b == y->lit_b &&
	    memcmp(x->canon, y->canon, x->lit_a) == 0 &&
	    memcmp(x->canon + nx - x->lit_b, y->canon + ny - y->lit_b,
	    x->lit_b) == 0;
}

/*
 * (Re)builds the index of the chain headed by h (struct wix), in time
 * linear in the chain (plus sorting its shapes).  A chain too short, or
 * memory refused, leaves the chain to be walked: slower, never wrong.
 */
static void
wix_build(struct ent *h)
{
	struct wix *ix;
	struct ent *e, *f;
	size_t n = 0, i, j, cap;
	uint64_t key;

	wix_free(h->ix);
	h->ix = NULL;
	for (e = h; e != NULL; e = e->next) {
		e->snext = e->stail = NULL;
		n++;
	}
	if (n < WIX_MIN)
		return;
	for (cap = 16; cap < 2 * n; cap *= 2)
		;
	if ((ix = calloc(1, sizeof(*ix))) == NULL ||
	    (ix->shapes = calloc(n, sizeof(*ix->shapes))) == NULL ||
	    (ix->slots = calloc(cap, sizeof(*ix->slots))) == NULL) {
		wix_free(ix);
		return;
	}
	ix->cap = cap;
	for (e = h, i = 0; e != NULL; e = e->next, i++)
		ix->shapes[i] = (uint32_t)e->lit_a << 16 | e->lit_b;
	qsort(ix->shapes, n, sizeof(*ix->shapes), shape_cmp);
	for (i = j = 0; i < n; i++)
		if (j == 0 || ix->shapes[j - 1] != ix->shapes[i])
			ix->shapes[j++] = ix->shapes[i];
	ix->n_shapes = j;
	/* In chain order, so each key's list stays in load (idx) order. */
	for (e = h; e != NULL; e = e->next) {
		key = wix_key(e->canon, wild_left_len(e->canon_len, e->suf_off),
		    e->lit_a, e->lit_b);
		for (j = slot_of(key, cap); (f = ix->slots[j]) != NULL;
		    j = (j + 1) & (cap - 1))
			if (same_ends(f, e))
				break;
		if (f == NULL) {
			ix->slots[j] = e;
			e->stail = e;
		} else {
			f->stail->snext = e;
			f->stail = e;
		}
	}
	h->ix = ix;
}

/*
 * Merges a parsed load.  Every allocation happens before the first change,
 * so that a failure leaves the matcher exactly as it was.
 */
static int
commit(struct match *m, struct load *ld, const char *set)
{
	struct cidr *g4 = NULL, *g6 = NULL;
	struct ent **ents, *e, *head;
	char **sets, *name;
	uint64_t *gate = NULL, gate_bloom[GATE_BLOOM_BITS / 64], gate_len[64];
	uint64_t *gate3, *gate3_open;
	size_t gate_cap, gate3_cap, gate3_open_cap;
	bool gate_off;
	size_t i, total = m->n + ld->n, n_ex = 0, n_suf = 0, n_wild = 0;

	if (total >= UINT32_MAX)
		return ERR_NOMEM;
	for (i = 0; i < ld->n; i++) {
		switch (ld->ents[i]->sig.kind) {
		case MK_EXACT:
			n_ex++;
			break;
		case MK_SUFFIX:
			n_suf++;
			break;
		case MK_WILDCARD:
			n_wild++;
			break;
		default:
			break;
		}
	}
	if (total > m->cap) {
		if ((ents = realloc(m->ents, total * sizeof(*ents))) == NULL)
			return ERR_NOMEM;
		m->ents = ents;
		m->cap = total;
	}
	if (m->n_sets == m->cap_sets) {
		size_t cap = m->cap_sets ? m->cap_sets * 2 : 4;

		if ((sets = realloc(m->sets, cap * sizeof(*sets))) == NULL)
			return ERR_NOMEM;
		m->sets = sets;
		m->cap_sets = cap;
	}
	if (tab_reserve(&m->exact, m->exact.n + n_ex) != ERR_OK ||
	    tab_reserve(&m->suffix, m->suffix.n + n_suf) != ERR_OK ||
	    tab_reserve(&m->wild, m->wild.n + n_wild) != ERR_OK)
		return ERR_NOMEM;
	if ((name = strdup(set)) == NULL)
		return ERR_NOMEM;
	if (cidrs_reserve(&m->v4, ld->n_cidr4, &g4) != ERR_OK ||
	    cidrs_reserve(&m->v6, ld->n_cidr6, &g6) != ERR_OK ||
	    !gate_build(m->ents, m->n, ld->ents, ld->n, &gate, &gate_cap,
	    &gate_off, gate_bloom, gate_len) ||
	    !gate3_build(m->ents, m->n, ld->ents, ld->n, gate_off, &gate3,
	    &gate3_cap, &gate3_open, &gate3_open_cap)) {
		free(g4);
		free(g6);
		free(gate);
		free(name);
		return ERR_NOMEM;
	}
	free(m->gate);
	m->gate = gate;
	m->gate_cap = gate_cap;
	m->gate_off = gate_off;
	free(m->gate3);
	free(m->gate3_open);
	m->gate3 = gate3;
	m->gate3_cap = gate3_cap;
	m->gate3_open = gate3_open;
	m->gate3_open_cap = gate3_open_cap;
	memcpy(m->gate_bloom, gate_bloom, sizeof(gate_bloom));
	memcpy(m->gate_len, gate_len, sizeof(gate_len));

	/* Nothing below can fail. */
	m->sets[m->n_sets++] = name;
	for (i = 0; i < ld->n; i++) {
		e = ld->ents[i];
		ld->ents[i] = NULL;
		e->idx = m->n;
		e->sig.set = name;
		m->ents[m->n++] = e;
		switch (e->sig.kind) {
		case MK_EXACT:
		case MK_SUFFIX:
			/* The same key from an earlier set: the first wins. */
			if (tab_get_name(e->sig.kind == MK_EXACT ? &m->exact :
			    &m->suffix, m->ents, e->hash, e->canon,
			    e->canon_len) == NULL)
				tab_put(e->sig.kind == MK_EXACT ? &m->exact :
				    &m->suffix, e->hash, (uint32_t)m->n);
			break;
		case MK_WILDCARD:
			m->wild_nl[e->nlabels] = true;	/* <= 127 labels */
			head = tab_get_wild(&m->wild, m->ents, e->hash,
			    e->canon + e->suf_off, e->canon_len - e->suf_off,
			    e->nlabels);
			if (head == NULL) {
				tab_put(&m->wild, e->hash, (uint32_t)m->n);
				break;
			}
			if (head->tail == NULL)
				head->tail = head;
			head->tail->next = e;
			head->tail = e;
			break;
		case MK_CIDR:
			if (e->prefix.family == 4) {
				cidrs_add(&m->v4, g4, e, m->n);
				g4 = NULL;
			} else {
				cidrs_add(&m->v6, g6, e, m->n);
				g6 = NULL;
			}
			break;
		case MK_ALL:
			if (m->all == NULL)
				m->all = e;
			break;
		}
	}
	if (m->v4.n > 0)
		qsort(m->v4.v, m->v4.n, sizeof(*m->v4.v), cidr_cmp);
	if (m->v6.n > 0)
		qsort(m->v6.v, m->v6.n, sizeof(*m->v6.v), cidr_cmp);
	cidrs_runs(&m->v4);
	cidrs_runs(&m->v6);
	for (i = 0; i < m->wild.cap; i++)
		if (m->wild.slots[i].ref != 0)
			wix_build(m->ents[m->wild.slots[i].ref - 1]);
	ld->n = 0;
	return ERR_OK;
}

int
match_load_buf(struct match *m, const char *buf, size_t len, const char *set,
    char *errbuf)
{
	struct load ld;
	struct conf_lines cl;
	const char *line;
	size_t n, i;
	int r = ERR_OK;

	if (set == NULL)
		set = "-";
	if (m == NULL || (buf == NULL && len > 0)) {
		if (errbuf != NULL)
			snprintf(errbuf, ERRBUF_LEN, "%s: no matcher or buffer",
			    set);
		return ERR_MALFORMED;
	}
	memset(&ld, 0, sizeof(ld));
	conf_lines_init(&cl, buf, len);
	while (conf_line(&cl, &line, &n)) {
		if ((r = parse_line(&ld, line, n, set, cl.line, errbuf)) !=
		    ERR_OK)
			goto out;
	}
	if ((r = commit(m, &ld, set)) != ERR_OK && errbuf != NULL)
		snprintf(errbuf, ERRBUF_LEN, "%s: out of memory", set);
out:
	for (i = 0; i < ld.n; i++)
		free(ld.ents[i]);
	free(ld.ents);
	free(ld.seen.slots);
	return r;
}

int
match_load_file(struct match *m, const char *path, char *errbuf)
{
	char *buf;
	size_t len;
	int r;

	if ((r = conf_read_file(path, FILE_MAX, &buf, &len, errbuf)) == ERR_OK)
		r = match_load_buf(m, buf, len, path, errbuf);
	free(buf);
	return r;
}

extern const char sigs_builtin[];
extern const size_t sigs_builtin_len;

int
match_load_builtin(struct match *m, char *errbuf)
{
	return match_load_buf(m, sigs_builtin, sigs_builtin_len, "builtin",
	    errbuf);
}
