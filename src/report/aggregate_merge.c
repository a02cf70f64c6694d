/* aggregate_merge.c - whole hosts from reports and restored state (load.c):
 * aggregate_merge(), aggregate_trim_names(), the signatures it owns. */
#include <stdlib.h>
#include <string.h>

#include "aggregate_int.h"

/*
 * The signatures of loaded names have no matcher to live in: the aggregate
 * keeps its own copies in the arena, interned in ag->sigtab (itself in the
 * arena: the old tables are left behind when it doubles, a few KiB at most),
 * so that the thousands of names of one signature share one copy.
 */

/* A reference later than any packet: the MAC of a record seen at no time. */
static const struct agg_ref ref_never = { "", UINT64_MAX, INT64_MAX,
    UINT32_MAX };

static void *
arena_alloc(struct aggregate *ag, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	struct chunk *c = ag->arena;
	size_t pad = 0, csize;

	if (c != NULL)
		pad = (align - (uintptr_t)(c->data + c->used) % align) % align;
	if (c == NULL || c->size - c->used < pad + size) {
		csize = size + align > ARENA_CHUNK ? size + align : ARENA_CHUNK;
		if ((c = malloc(sizeof(*c) + csize)) == NULL)
			return NULL;
		c->next = ag->arena;
		c->used = 0;
		c->size = csize;
		ag->arena = c;
		pad = (align - (uintptr_t)c->data % align) % align;
	}
	c->used += pad;
	memset(c->data + c->used, 0, size);
	c->used += size;
	return c->data + c->used - size;
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static uint64_t
sig_hash(const struct match_sig *s)
{
	const char *f[4] = { nz(s->pattern), nz(s->source), nz(s->note),
	    nz(s->set) };
	uint64_t h = hash_bytes(&s->cat, sizeof(s->cat));
	size_t i;

	for (i = 0; i < 4; i++)
		h = h * 0x100000001b3ULL ^ hash_bytes(f[i], strlen(f[i]));
	return h ^ (uint64_t)(unsigned char)s->confidence ^
	    (uint64_t)s->kind << 8 ^ (uint64_t)s->line << 16;
}

static bool
sig_eq(const struct match_sig *a, const struct match_sig *b)
{
	return a->kind == b->kind && a->cat == b->cat &&
	    a->confidence == b->confidence && a->line == b->line &&
	    strcmp(nz(a->pattern), nz(b->pattern)) == 0 &&
	    strcmp(nz(a->source), nz(b->source)) == 0 &&
	    strcmp(nz(a->note), nz(b->note)) == 0 &&
	    strcmp(nz(a->set), nz(b->set)) == 0;
}

/* A total order, for a name that two records give different signatures. */
static int
sig_cmp(const struct match_sig *a, const struct match_sig *b)
{
	int c;

	if ((c = strcmp(nz(a->pattern), nz(b->pattern))) != 0 ||
	    (c = strcmp(nz(a->set), nz(b->set))) != 0 ||
	    (c = strcmp(nz(a->source), nz(b->source))) != 0 ||
	    (c = strcmp(nz(a->note), nz(b->note))) != 0)
		return c;
	if (a->cat != b->cat)
		return a->cat < b->cat ? -1 : 1;
	if (a->confidence != b->confidence)
		return a->confidence < b->confidence ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return 0;
}

static size_t
sigtab_slot(const struct aggregate *ag, const struct match_sig *s)
{
	size_t j = sig_hash(s) & (ag->sigtab_cap - 1);

	while (ag->sigtab[j] != NULL && !sig_eq(ag->sigtab[j], s))
		j = (j + 1) & (ag->sigtab_cap - 1);
	return j;
}

static char *
arena_str(struct aggregate *ag, const char *s)
{
	return agg_arena_dup(ag, nz(s), strlen(nz(s)));
}

/* The aggregate's copy of s, made on first sight; NULL: out of memory. */
static const struct match_sig *
sig_intern(struct aggregate *ag, const struct match_sig *s)
{
	const struct match_sig **t;
	struct match_sig *copy;
	size_t cap, i, j;

	if (ag->sigtab_cap > 0 &&
	    ag->sigtab[j = sigtab_slot(ag, s)] != NULL)
		return ag->sigtab[j];
	if (too_full(ag->n_sigs + 1, ag->sigtab_cap)) {
		cap = ag->sigtab_cap ? ag->sigtab_cap * 2 : SET_MIN;
		if ((t = arena_alloc(ag, cap * sizeof(*t))) == NULL)
			return NULL;
		for (i = 0; i < ag->sigtab_cap; i++) {
			if (ag->sigtab[i] == NULL)
				continue;
			j = sig_hash(ag->sigtab[i]) & (cap - 1);
			while (t[j] != NULL)
				j = (j + 1) & (cap - 1);
			t[j] = ag->sigtab[i];
		}
		ag->sigtab = t;
		ag->sigtab_cap = cap;
	}
	if ((copy = arena_alloc(ag, sizeof(*copy))) == NULL ||
	    (copy->pattern = arena_str(ag, s->pattern)) == NULL ||
	    (copy->source = arena_str(ag, s->source)) == NULL ||
	    (copy->note = arena_str(ag, s->note)) == NULL ||
	    (copy->set = arena_str(ag, s->set)) == NULL)
		return NULL;
	copy->kind = s->kind;
	copy->cat = s->cat;
	copy->confidence = s->confidence;
	copy->line = s->line;
	ag->sigtab[sigtab_slot(ag, copy)] = copy;
	ag->n_sigs++;
	return copy;
}

int
aggregate_own_sigs(struct aggregate *ag)
{
	struct agg_host *p;
	size_t i, k;
	int pass;

	if (ag == NULL)
		return ERR_MALFORMED;
	/* Copies first, then pointers: a failure changes nothing seen. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ag->n_all; i++) {
			p = &host_at(ag, i)->pub;
			for (k = 0; k < p->n_names; k++) {
				const struct match_sig *s;

				if ((s = sig_intern(ag, p->names[k].sig)) ==
				    NULL)
					return ERR_NOMEM;
				if (pass == 1)
					p->names[k].sig = s;
			}
		}
	}
	return ERR_OK;
}

/*
 * The records' file names are borrowed; most refs of one record share a
 * pointer, so a small direct-mapped cache spares agg_file_intern()'s scan.
 */
struct fcache {
	const char	*from[64];
	const char	*to[64];
};

static const char *
fcache_intern(struct aggregate *ag, struct fcache *fc, const char *file)
{
	size_t j = (size_t)(hash_bytes(&file, sizeof(file)) & 63);
	const char *s;

	if (fc->from[j] == file && file != NULL)
		return fc->to[j];
	if ((s = agg_file_intern(ag, file)) == NULL)
		return NULL;
	fc->from[j] = file;
	fc->to[j] = s;
	return s;
}

static bool
fcache_ref(struct aggregate *ag, struct fcache *fc, struct agg_ref *dst,
    const struct agg_ref *src)
{
	*dst = *src;
	return (dst->file = fcache_intern(ag, fc, src->file)) != NULL;
}

/* What one name of a record will do, decided before anything changes. */
struct mname {
	size_t			 idx;		/* in names[] */
	bool			 fresh;		/* appended at idx */
	char			*copy;		/* fresh: the name's copy */
	uint32_t		 hash;
	const struct match_sig	*sig;		/* interned */
	struct agg_ref		 first, last;	/* files interned */
};

/* What one record will do. */
struct mrec {
	const struct agg_host	*rec;
	const char		*sub;		/* interned subscriber */
	size_t			 hi;		/* host index */
	struct agg_ref		 first, last;	/* when rec->n_obs > 0 */
	struct mname		*names;
};

static bool
add_ok(uint64_t a, uint64_t b)
{
	return a <= AGG_COUNT_MAX && b <= AGG_COUNT_MAX - a;
}

/* Whether the table holds addr and sub (agg_host_get() without making
 * it). */
static bool
host_find(const struct aggregate *ag, const struct addr *a, const char *sub)
{
	const struct agg_host *p;
	size_t j;

	if (ag->htab_cap == 0)
		return false;
	j = hash_host(a, sub) & (ag->htab_cap - 1);
	for (; ag->htab[j] != 0; j = (j + 1) & (ag->htab_cap - 1)) {
		p = &host_at(ag, ag->htab[j] - 1)->pub;
		if (addr_eq(&p->addr, a) && p->subscriber == sub)
			return true;
	}
	return false;
}

/* By address, then subscriber (none first). */
static int
addrp_cmp(const void *x, const void *y)
{
	const struct mrec *a = x, *b = y;
	int c;

	if ((c = addr_cmp(&a->rec->addr, &b->rec->addr)) != 0)
		return c;
	if (a->sub == NULL || b->sub == NULL)
		return (a->sub != NULL) - (b->sub != NULL);
	return strcmp(a->sub, b->sub);
}

static int
namep_cmp(const void *x, const void *y)
{
	const struct agg_name *const *a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

/* The record's own shape: nothing here depends on the aggregate. */
static int
rec_check(const struct agg_host *r)
{
	const struct agg_name **v;
	size_t k;
	int ret = ERR_OK;

	if ((r->addr.family != 4 && r->addr.family != 6) ||
	    r->n_macs > MAX_MACS || r->has_mac != (r->n_macs > 0) ||
	    r->n_vlan > 3 || (r->n_names > 0 && r->names == NULL) ||
	    r->n_names > UINT32_MAX / 2 ||
	    (r->n_hnames > 0 && r->hnames == NULL) ||
	    (r->n_days > 0 && r->days == NULL) || r->n_days > AGG_DAYS_MAX ||
	    (r->n_obs > 0 && (r->first.file == NULL || r->last.file == NULL)))
		return ERR_MALFORMED;
	for (k = 0; k < r->n_names; k++) {
		const struct agg_name *n = &r->names[k];

		if (n->name == NULL || n->sig == NULL ||
		    (unsigned)n->sig->cat >= CAT_N || n->first.file == NULL ||
		    n->last.file == NULL)
			return ERR_MALFORMED;
	}
	if (r->n_names < 2)
		return ERR_OK;
	/* Names are joined by name: one record may not give one twice. */
	if ((v = malloc(r->n_names * sizeof(*v))) == NULL)
		return ERR_NOMEM;
	for (k = 0; k < r->n_names; k++)
		v[k] = &r->names[k];
	qsort(v, r->n_names, sizeof(*v), namep_cmp);
	for (k = 1; k < r->n_names; k++)
		if (strcmp(v[k - 1]->name, v[k]->name) == 0)
			ret = ERR_MALFORMED;
	free(v);
	return ret;
}

/* Every sum this record makes stays within AGG_COUNT_MAX. */
static bool
rec_fits(const struct host *h, const struct mrec *m)
{
	const struct agg_host *p = &h->pub, *r = m->rec;
	size_t k;

	if (!add_ok(p->n_obs, r->n_obs) || !add_ok(p->answered, r->answered) ||
	    !add_ok(p->forwarded, r->forwarded) || r->n_via > AGG_VIA_MAX ||
	    r->names_dropped > AGG_COUNT_MAX ||
	    r->answered_hosts > AGG_COUNT_MAX || r->ksc_agents > AGG_COUNT_MAX)
		return false;
	for (k = 0; k < CAT_N; k++)
		if (!add_ok(p->by_cat[k], r->by_cat[k]))
			return false;
	for (k = 0; k < OBS_N; k++)
		if (!add_ok(p->by_kind[k], r->by_kind[k]))
			return false;
	for (k = 0; k < VERDICT_N; k++)
		if (!add_ok(p->by_tier[k], r->by_tier[k]))
			return false;
	for (k = 0; k < BLIND_N; k++)
		if (!add_ok(p->blind[k], r->blind[k]))
			return false;
	for (k = 0; k < r->n_names; k++) {
		if (!add_ok(m->names[k].fresh ? 0 :
		    p->names[m->names[k].idx].count, r->names[k].count))
			return false;
	}
	return true;
}

/* Finds or plans every name of a record; all allocation happens here. */
static int
rec_reserve(struct aggregate *ag, struct fcache *fc, struct mrec *m)
{
	struct host *h = host_at(ag, m->hi);
	const struct agg_host *r = m->rec;
	struct agg_name *v;
	struct mname *mn;
	size_t k, j, n_new = 0, need, cap;

	if (r->n_obs > 0 && (!fcache_ref(ag, fc, &m->first, &r->first) ||
	    !fcache_ref(ag, fc, &m->last, &r->last)))
		return ERR_NOMEM;
	for (k = 0; k < r->n_names; k++) {
		const struct agg_name *n = &r->names[k];
		size_t len = strlen(n->name);

		mn = &m->names[k];
		mn->hash = (uint32_t)hash_bytes(n->name, len);
		if (!fcache_ref(ag, fc, &mn->first, &n->first) ||
		    !fcache_ref(ag, fc, &mn->last, &n->last) ||
		    (mn->sig = sig_intern(ag, n->sig)) == NULL)
			return ERR_NOMEM;
		if (h->nidx_cap > 0) {
			j = agg_nidx_find(h, n->name, len, mn->hash);
			if (h->nidx[j].idx1 != 0) {
				mn->idx = h->nidx[j].idx1 - 1;
				continue;
			}
		}
		if ((mn->copy = agg_arena_dup(ag, n->name, len)) == NULL)
			return ERR_NOMEM;
		mn->fresh = true;
		mn->idx = h->pub.n_names + n_new++;
	}
	if (!rec_fits(h, m))
		return ERR_MALFORMED;
	if (r->n_hnames > 0 && agg_hnames_room(h) != ERR_OK)
		return ERR_NOMEM;
	if (r->n_days > 0 && agg_days_room(h, r->n_days) != ERR_OK)
		return ERR_NOMEM;
	if (n_new == 0)
		return ERR_OK;
	/* No --max-names here: aggregate_trim_names() cuts once, at the end. */
	need = h->pub.n_names + n_new;
	if (need > UINT32_MAX / 2)
		return ERR_NOMEM;
	if (need > h->names_cap) {
		cap = h->names_cap * 2 > need ? h->names_cap * 2 : need;
		if ((v = realloc(h->pub.names, cap * sizeof(*v))) == NULL)
			return ERR_NOMEM;
		h->pub.names = v;
		h->names_cap = cap;
	}
	if (too_full(need, h->nidx_cap)) {
		cap = h->nidx_cap ? h->nidx_cap : SET_MIN;
		while (too_full(need, cap))
			cap *= 2;
		if (agg_nidx_build(h, cap) != ERR_OK)
			return ERR_NOMEM;
	}
	return ERR_OK;
}

/*
 * The MAC of the earliest record wins, a record's MAC counting as seen at
 * its first_seen (reports do not say when the MAC was).  macs_seen only
 * grows to the largest count, and to 2 when two records' MACs differ: the
 * reports name one MAC each, so this is what stays the same however the
 * merge is split.  The remembered MACs (for aggregate_add() after a state
 * restore) are kept as known ones followed by copies of them.
 */
static void
mac_merge(struct host *h, const struct agg_host *r, const struct agg_ref *rr)
{
	struct agg_host *p = &h->pub;
	unsigned n, old = p->n_macs, i, j, k;
	int c;

	if (!r->has_mac)
		return;
	n = old > r->n_macs ? old : r->n_macs;
	if (p->has_mac && memcmp(p->mac, r->mac, 6) != 0 && n < 2)
		n = 2;
	if (n > MAX_MACS)
		n = MAX_MACS;
	c = p->has_mac ? agg_ref_cmp(rr, &h->mac_ref) : -1;
	if (c < 0 || (c == 0 && memcmp(r->mac, p->mac, 6) < 0)) {
		memcpy(p->mac, r->mac, 6);
		h->mac_ref = *rr;
		p->has_mac = true;
	}
	for (i = 0; i < old && memcmp(h->macs[i], r->mac, 6) != 0; i++)
		;
	if (i == old && n > old) {
		memcpy(h->macs[old++], r->mac, 6);
	} else if (i == old) {
		/* Over a copy, if there is one. */
		for (j = 1; j < old; j++) {
			for (k = 0; k < j; k++)
				if (memcmp(h->macs[k], h->macs[j], 6) == 0)
					break;
			if (k < j) {
				memcpy(h->macs[j], r->mac, 6);
				break;
			}
		}
	}
	for (i = old; i < n; i++)
		memcpy(h->macs[i], h->macs[0], 6);
	p->n_macs = n;
}

/* As host_apply(): the VLAN of the earliest record (then the tags). */
static void
vlan_merge(struct host *h, const struct agg_host *r, const struct agg_ref *rr)
{
	struct agg_host *p = &h->pub;
	int c;

	if (r->n_vlan == 0)
		return;
	c = p->n_vlan > 0 ? agg_ref_cmp(rr, &h->vlan_ref) : -1;
	if (c == 0 && (c = (int)r->n_vlan - (int)p->n_vlan) == 0)
		c = memcmp(r->vlan, p->vlan, r->n_vlan * sizeof(*r->vlan));
	if (c < 0) {
		p->n_vlan = r->n_vlan;
		memset(p->vlan, 0, sizeof(p->vlan));
		memcpy(p->vlan, r->vlan, r->n_vlan * sizeof(*r->vlan));
		h->vlan_ref = *rr;
	}
}

/* Cannot fail: rec_reserve() made room and checked every sum. */
static void
rec_apply(struct aggregate *ag, const struct mrec *m)
{
	struct host *h = host_at(ag, m->hi);
	struct agg_host *p = &h->pub;
	const struct agg_host *r = m->rec;
	const struct mname *mn;
	struct agg_name *n;
	size_t k, j;

	if (r->n_obs > 0) {
		agg_ref_widen(&p->first, &p->last, p->n_obs == 0, &m->first);
		agg_ref_widen(&p->first, &p->last, false, &m->last);
	}
	mac_merge(h, r, r->n_obs > 0 ? &m->first : &ref_never);
	vlan_merge(h, r, r->n_obs > 0 ? &m->first : &ref_never);
	p->n_obs += r->n_obs;
	for (k = 0; k < CAT_N; k++)
		p->by_cat[k] += r->by_cat[k];
	for (k = 0; k < OBS_N; k++)
		p->by_kind[k] += r->by_kind[k];
	for (k = 0; k < VERDICT_N; k++)
		p->by_tier[k] += r->by_tier[k];
	for (k = 0; k < BLIND_N; k++) {
		p->blind[k] += r->blind[k];
		ag->blind_total[k] += r->blind[k];
	}
	for (k = 0; k < r->n_names; k++) {
		mn = &m->names[k];
		n = &p->names[mn->idx];
		if (mn->fresh) {
			memset(n, 0, sizeof(*n));
			n->name = mn->copy;
			n->sig = mn->sig;
			n->first = mn->first;
			n->last = mn->last;
			j = agg_nidx_find(h, mn->copy, strlen(mn->copy),
			    mn->hash);
			h->nidx[j].idx1 = (uint32_t)(mn->idx + 1);
			h->nidx[j].hash = mn->hash;
			p->n_names++;
		} else {
			/* The signature of the earliest sighting names it. */
			int c = agg_ref_cmp(&mn->first, &n->first);

			if (c < 0 || (c == 0 && sig_cmp(mn->sig, n->sig) < 0))
				n->sig = mn->sig;
			agg_ref_widen(&n->first, &n->last, false, &mn->first);
			agg_ref_widen(&n->first, &n->last, false, &mn->last);
		}
		n->count += r->names[k].count;
		n->kinds |= r->names[k].kinds & ((1u << OBS_N) - 1);
	}
	/*
	 * Distinct names and hosts the reports only count: the same ones met
	 * in two reports must not count twice, so the largest count is what
	 * is known for sure (a lower bound).
	 */
	if (r->names_dropped > p->names_dropped)
		p->names_dropped = r->names_dropped;
	agg_hnames_put(h, r->hnames, r->n_hnames);	/* newest 8 stay */
	/* Days joined by date (room made above): the newest AGG_DAYS_MAX. */
	if (r->days_dropped > p->days_dropped)
		p->days_dropped = r->days_dropped;
	for (k = 0; k < r->n_days; k++)
		(void)agg_days_add(&p->days, &p->n_days, &h->days_cap,
		    &p->days_dropped, &r->days[k]);
	if (r->answered_hosts > p->answered_hosts)
		p->answered_hosts = r->answered_hosts;
	if (r->ksc_agents > p->ksc_agents)
		p->ksc_agents = r->ksc_agents;
	p->answered += r->answered;
	p->forwarded += r->forwarded;
	for (k = 0; k < r->n_via && k < AGG_VIA_MAX; k++)
		agg_via_add(p, &r->via[k]);
}

int
aggregate_merge(struct aggregate *ag, const struct agg_host *recs,
    size_t n_recs, uint64_t refused)
{
	struct fcache fc;
	struct mrec *m = NULL;
	struct mname *names = NULL;
	size_t i, total = 0, n_new;
	int r = ERR_NOMEM;

	if (ag == NULL || (n_recs > 0 && recs == NULL) ||
	    !add_ok(ag->refused, refused))
		return ERR_MALFORMED;
	for (i = 0; i < n_recs; i++) {
		if ((r = rec_check(&recs[i])) != ERR_OK)
			return r;
		if (recs[i].n_names > SIZE_MAX / sizeof(*names) - total)
			return ERR_NOMEM;
		total += recs[i].n_names;
	}
	r = ERR_NOMEM;
	memset(&fc, 0, sizeof(fc));
	if ((m = calloc(n_recs ? n_recs : 1, sizeof(*m))) == NULL ||
	    (names = calloc(total ? total : 1, sizeof(*names))) == NULL)
		goto out;
	for (i = 0, total = 0; i < n_recs; i++) {
		m[i].rec = &recs[i];
		m[i].names = names + total;
		total += recs[i].n_names;
		m[i].sub = agg_sub_intern(ag, recs[i].subscriber, &r);
		if (recs[i].subscriber != NULL && m[i].sub == NULL)
			goto out;
	}
	/*
	 * One record per address and subscriber: a second would be planned
	 * on stale room.
	 */
	qsort(m, n_recs, sizeof(*m), addrp_cmp);
	for (i = 1; i < n_recs; i++) {
		if (addr_eq(&m[i - 1].rec->addr, &m[i].rec->addr) &&
		    m[i - 1].sub == m[i].sub) {
			r = ERR_MALFORMED;
			goto out;
		}
	}
	/* Room under --max-hosts for every new address, or none taken. */
	for (i = 0, n_new = 0; i < n_recs; i++)
		n_new += !host_find(ag, &m[i].rec->addr, m[i].sub);
	if (ag->max_hosts > 0 && n_new > 0 &&
	    (ag->n_all >= ag->max_hosts || n_new > ag->max_hosts - ag->n_all)) {
		r = ERR_FULL;
		goto out;
	}
	/*
	 * Hosts made here stay empty if a later record fails, and empty
	 * hosts are skipped by aggregate_finish(): nothing shows.
	 */
	for (i = 0; i < n_recs; i++)
		if ((r = agg_host_get(ag, &m[i].rec->addr, m[i].sub,
		    &m[i].hi)) !=
		    ERR_OK ||
		    (r = rec_reserve(ag, &fc, &m[i])) != ERR_OK)
			goto out;
	for (i = 0; i < n_recs; i++)
		rec_apply(ag, &m[i]);
	ag->refused += refused;
	r = ERR_OK;
out:
	free(names);
	free(m);
	return r;
}

/* Earliest first seen first, then by name: which names stay. */
static int
keep_cmp(const void *x, const void *y)
{
	const struct agg_name *a = x, *b = y;
	int c;

	if ((c = agg_ref_cmp(&a->first, &b->first)) != 0)
		return c;
	return strcmp(a->name, b->name);
}

void
aggregate_trim_names(struct aggregate *ag, size_t max_names)
{
	struct agg_host *p;
	struct host *h;
	uint64_t fp;
	size_t i, k, slot, used;

	if (ag == NULL)
		return;
	for (i = 0; i < ag->n_all; i++) {
		h = host_at(ag, i);
		p = &h->pub;
		if (p->n_names <= max_names)
			continue;
		qsort(p->names, p->n_names, sizeof(*p->names), keep_cmp);
		/* Loaded names_dropped has no fingerprints: count the set. */
		for (k = 0, used = 0; k < h->dropped_cap; k++)
			used += h->dropped[k] != 0;
		for (k = max_names; k < p->n_names; k++) {
			const char *s = p->names[k].name;

			if (p->names_dropped < AGG_COUNT_MAX)
				p->names_dropped++;
			/*
			 * Remembered as aggregate_add() remembers the names
			 * it drops, when there is memory for it: else a
			 * later sighting counts it once more.
			 */
			fp = hash_bytes(s, strlen(s));
			fp = fp != 0 ? fp : 1;
			if (set64_find(h->dropped, h->dropped_cap, fp, &slot))
				continue;
			if (too_full(used + 1, h->dropped_cap) &&
			    agg_set64_grow(&h->dropped, &h->dropped_cap) !=
			    ERR_OK)
				continue;
			(void)set64_find(h->dropped, h->dropped_cap, fp, &slot);
			h->dropped[slot] = fp;
			h->dropped_used++;
			used++;
		}
		p->n_names = max_names;
		if (h->nidx_cap > 0)
			agg_nidx_fill(h->nidx, h->nidx_cap, h);
	}
}
