/* flow_table.c - the flow table: the index, the flows' slots (sized at
 * start, touched late) and their LRU eviction; flow.h is the interface. */
#include <stdlib.h>
#include <string.h>

#include "flow_int.h"
#include "zmem.h"

/* One 64x64->128 multiply folded: a fast, well-spread mixing step. */
static inline uint64_t
hash_mix(uint64_t h, uint64_t w)
{
	unsigned __int128 m = (unsigned __int128)(h ^ w) *
	    0x9e3779b97f4a7c15ULL;

	return (uint64_t)m ^ (uint64_t)(m >> 64);
}

/*
 * The hash of a flow's key, word by word (it runs for every packet).  No
 * seed: an adversary cannot see our table size, and a fixed hash keeps
 * runs repeatable.
 */
static uint32_t
flow_hash(const struct addr *a, const struct addr *b, uint16_t pa,
    uint16_t pb, uint8_t proto)
{
	uint64_t w[4], h;

	memcpy(w, a->a, 16);
	memcpy(w + 2, b->a, 16);
	h = hash_mix(0x243f6a8885a308d3ULL, w[0]);
	h = hash_mix(h, w[1]);
	h = hash_mix(h, w[2]);
	h = hash_mix(h, w[3]);
	h = hash_mix(h, (uint64_t)pa | (uint64_t)pb << 16 |
	    (uint64_t)proto << 32 | (uint64_t)a->family << 40 |
	    (uint64_t)b->family << 48);
	return (uint32_t)(h ^ h >> 32);
}

static void	flow_free_buffers(struct flow_table *);

struct flow_table *
flow_new(const struct flow_config *cfg)
{
	struct flow_table *t;
	size_t nb = 1, i;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->cfg = *cfg;
	if (t->cfg.max_flows >= NIL)
		t->cfg.max_flows = NIL - 1;
	if (t->cfg.stream_bytes > (1u << 30))
		t->cfg.stream_bytes = 1u << 30;
	if (t->cfg.n_buffers >= NIL)
		t->cfg.n_buffers = NIL - 1;
	while (nb < 2 * (size_t)t->cfg.max_flows && nb < (1u << 31))
		nb <<= 1;
	t->mask = (uint32_t)(nb - 1);
	/*
	 * Zeroed memory is an empty index (nidx 0): fresh pages are touched
	 * only as flows land on them.  Filling 1 MiB of slots with NIL cost
	 * 256 page faults before the first packet.  Both tables are looked
	 * up at random on every packet: in 2 MiB pages (zmem_alloc_huge())
	 * their TLB misses and the page faults of a growing table go.
	 */
	t->flows = zmem_alloc_huge(t->cfg.max_flows, sizeof(*t->flows));
	t->links = zmem_alloc(t->cfg.max_flows, sizeof(*t->links));
	t->slots = zmem_alloc_huge(nb, sizeof(*t->slots));
	t->recent = zmem_alloc(RECENT_N, sizeof(*t->recent));
	if (t->cfg.n_buffers > 0 && t->cfg.stream_bytes > 0 &&
	    t->cfg.n_buffers > SIZE_MAX / t->cfg.stream_bytes)
		goto fail;
	if (t->flows == NULL || t->links == NULL || t->slots == NULL ||
	    t->recent == NULL)
		goto fail;
	/* Slots never used are taken in order (n_fresh): the array's
	 * pages are touched only as the table fills. */
	t->free_head = NIL;
	for (i = 0; i < LRU_N; i++)
		t->lru_head[i] = t->lru_tail[i] = NIL;
	return t;
fail:
	flow_free(t);
	return NULL;
}

void
flow_free(struct flow_table *t)
{
	if (t == NULL)
		return;
	zmem_free_huge(t->flows, t->cfg.max_flows, sizeof(*t->flows));
	zmem_free(t->links, t->cfg.max_flows, sizeof(*t->links));
	zmem_free_huge(t->slots, (size_t)t->mask + 1, sizeof(*t->slots));
	zmem_free(t->recent, RECENT_N, sizeof(*t->recent));
	flow_free_buffers(t);
	free(t);
}

/*
 * The stream buffers and their bookkeeping, made when the first stream
 * needs a buffer (a capture without TCP data never does): at start they
 * were two mmap() and two munmap() calls more for every run.  The three
 * arrays share one zmem block (flow_int.h); on the heap each had a page
 * or two faulted in by malloc's headers.  false without memory.
 */
bool
flow_buffers(struct flow_table *t)
{
	size_t nbuf = t->cfg.n_buffers ? t->cfg.n_buffers : 1;

	if (t->arena != NULL)
		return true;
	if ((t->buf_touched = zmem_alloc(nbuf, BUF_META)) != NULL) {
		t->buf_owner = (uint32_t *)(t->buf_touched + nbuf);
		t->buf_free = t->buf_owner + nbuf;
		t->arena = malloc(t->cfg.n_buffers * t->cfg.stream_bytes + 1);
	}
	if (t->arena != NULL)
		return true;
	flow_free_buffers(t);
	return false;
}

static void
flow_free_buffers(struct flow_table *t)
{
	zmem_free(t->buf_touched, t->cfg.n_buffers ? t->cfg.n_buffers : 1,
	    BUF_META);
	free(t->arena);
	t->buf_touched = NULL;
	t->buf_owner = t->buf_free = NULL;
	t->arena = NULL;
}

const struct flow_stats *
flow_stats(const struct flow_table *t)
{
	return &t->st;
}

void *
flow_app(struct flow *f)
{
	return f->app.bytes;
}

static void
lru_unlink(struct flow_table *t, uint32_t i)
{
	struct lru_link *k = &t->links[i];
	uint8_t l = t->flows[i].lru;

	if (k->prev != NIL)
		t->links[k->prev].next = k->next;
	else
		t->lru_head[l] = k->next;
	if (k->next != NIL)
		t->links[k->next].prev = k->prev;
	else
		t->lru_tail[l] = k->prev;
	k->prev = k->next = NIL;
}

/* The table clock on flow i, and its stream buffers' copies of it. */
static void
lru_touch(struct flow_table *t, struct flow *f)
{
	f->touched = ++t->clock;
	if (f->s[0].buf != NIL)
		t->buf_touched[f->s[0].buf] = f->touched;
	if (f->s[1].buf != NIL)
		t->buf_touched[f->s[1].buf] = f->touched;
}

static void
lru_append(struct flow_table *t, uint32_t i)
{
	struct lru_link *k = &t->links[i];
	uint8_t l = t->flows[i].lru;

	lru_touch(t, &t->flows[i]);
	k->prev = t->lru_tail[l];
	k->next = NIL;
	if (k->prev != NIL)
		t->links[k->prev].next = i;
	else
		t->lru_head[l] = i;
	t->lru_tail[l] = i;
}

/* The least recently used flow of all lists; NIL when the table is empty. */
static uint32_t
lru_oldest(const struct flow_table *t)
{
	uint32_t best = NIL, i;
	size_t l;

	for (l = 0; l < LRU_N; l++) {
		i = t->lru_head[l];
		if (i != NIL && (best == NIL ||
		    t->flows[i].touched < t->flows[best].touched))
			best = i;
	}
	return best;
}

/*
 * A full table evicts its oldest flow for every new one: the next
 * candidates are brought into the cache now, while this packet is
 * worked on, instead of being waited for at the next eviction (their
 * touched and stream state are read then, and the index slot searched: a
 * miss each, a fifth of flow time on flood).  Two deep: the oldest flow,
 * fetched at the last eviction, tells where its slot is; the one after it
 * is fetched for the next.
 */
static void
lru_prefetch(const struct flow_table *t)
{
	const struct flow *f;
	size_t l, o;
	uint32_t i;

	for (l = 0; l < LRU_N; l++) {
		if ((i = t->lru_head[l]) == NIL)
			continue;
		f = &t->flows[i];
		__builtin_prefetch(&t->slots[f->hash & t->mask], 1);
		for (o = 0; o < sizeof(*f); o += 64)
			__builtin_prefetch((const uint8_t *)f + o, 1);
		if ((i = t->links[i].next) == NIL)
			continue;
		f = &t->flows[i];
		for (o = 0; o < sizeof(*f); o += 64)
			__builtin_prefetch((const uint8_t *)f + o, 1);
	}
}

/*
 * Empties slot j, moving later slots of its run back so that every flow
 * stays reachable from its home slot without tombstones.
 */
static void
slot_delete(struct flow_table *t, uint32_t j)
{
	uint32_t k = j, home;

	for (;;) {
		k = (k + 1) & t->mask;
		if (t->slots[k].nidx == 0)
			break;
		home = t->slots[k].hash & t->mask;
		/* k's entry may fill j unless its home lies in (j, k]. */
		if (((k - home) & t->mask) >= ((k - j) & t->mask)) {
			t->slots[j] = t->slots[k];
			j = k;
		}
	}
	t->slots[j].nidx = 0;
}

/* Takes flow i out of the table and puts its slot on the free list. */
static void
flow_remove(struct flow_table *t, uint32_t i)
{
	struct flow *f = &t->flows[i];
	uint32_t j;

	for (j = f->hash & t->mask; t->slots[j].nidx != 0;
	    j = (j + 1) & t->mask)
		if (t->slots[j].nidx == ~i) {
			slot_delete(t, j);
			break;
		}
	lru_unlink(t, i);
	stream_release(t, &f->s[0]);
	stream_release(t, &f->s[1]);
	f->used = false;
	f->fnext = t->free_head;
	t->free_head = i;
	t->st.active--;
}

static void
flow_expire(struct flow_table *t, int64_t ts)
{
	const unsigned idle[LRU_N] = { t->cfg.tcp_idle, t->cfg.udp_idle };
	struct flow *f;
	size_t l;

	for (l = 0; l < LRU_N; l++) {
		while (t->lru_head[l] != NIL) {
			f = &t->flows[t->lru_head[l]];
			/* Unsigned: a file's packet times may be anything. */
			if (ts <= f->last ||
			    (uint64_t)ts - (uint64_t)f->last <= idle[l])
				break;
			flow_remove(t, t->lru_head[l]);
			t->st.expired++;
		}
	}
}

/*
 * A SYN (not a SYN-ACK) that does not belong to the stream its sender has
 * here opens a new connection on the same addresses and ports: a client
 * that reused its port before the old flow went idle.  A retransmitted SYN
 * has the same sequence number; one a little before a start only guessed
 * from data is the same connection, captured out of order.
 */
static bool
syn_new_conn(const struct flow_table *t, const struct stream *s,
    const struct pkt *p)
{
	uint32_t start = p->seq + 1;

	if (p->proto != 6 || (p->tcp_flags & 0x12) != 0x02)
		return false;
	if (s->have_isn)
		return p->seq != s->isn;
	if (!s->have_base)
		return false;
	return !s->guessed || s->base - start >= t->cfg.stream_bytes;
}

/* Whether f has the key (a, pa) - (b, pb), proto. */
static inline bool
flow_is(const struct flow *f, const struct addr *a, const struct addr *b,
    uint16_t pa, uint16_t pb, uint8_t proto)
{
	return f->pa == pa && f->pb == pb && f->proto == proto &&
	    addr_eq(&f->a, a) && addr_eq(&f->b, b);
}

struct flow *
flow_get(struct flow_table *t, const struct pkt *p, int64_t ts,
    enum flow_dir *dir, bool *is_new)
{
	const struct addr *a = &p->src, *b = &p->dst;
	uint16_t pa = p->sport, pb = p->dport;
	bool src_is_a = true, client_is_src;
	struct slot *rc;
	struct flow *f;
	uint32_t h, i, j;
	int c;

	*is_new = false;
	if (t->cfg.max_flows == 0)
		return NULL;
	flow_expire(t, ts);
	c = addr_cmp(a, b);
	if (c > 0 || (c == 0 && pa > pb)) {
		a = &p->dst;
		b = &p->src;
		pa = p->dport;
		pb = p->sport;
		src_is_a = false;
	}
	h = flow_hash(a, b, pa, pb, p->proto);
	rc = &t->recent[h & (RECENT_N - 1)];
	if (rc->hash == h && rc->nidx != 0) {
		i = ~rc->nidx;
		f = &t->flows[i];
		if (f->used && flow_is(f, a, b, pa, pb, p->proto))
			goto found;
	}
	for (j = h & t->mask; t->slots[j].nidx != 0; j = (j + 1) & t->mask) {
		if (t->slots[j].hash != h)
			continue;
		i = ~t->slots[j].nidx;
		f = &t->flows[i];
		if (flow_is(f, a, b, pa, pb, p->proto)) {
			*rc = t->slots[j];
			goto found;
		}
	}
create:
	if (t->free_head == NIL && t->n_fresh < t->cfg.max_flows) {
		i = t->n_fresh++;
		f = &t->flows[i];
	} else {
		if (t->free_head == NIL) {
			flow_remove(t, lru_oldest(t));
			t->st.evicted++;
			lru_prefetch(t);
		}
		i = t->free_head;
		f = &t->flows[i];
		t->free_head = f->fnext;
	}
	memset(f, 0, sizeof(*f));
	f->a = *a;
	f->b = *b;
	f->pa = pa;
	f->pb = pb;
	f->proto = p->proto;
	f->lru = p->proto == 6 ? LRU_TCP : LRU_OTHER;
	f->used = true;
	f->s[0].buf = f->s[1].buf = NIL;	/* no buffer yet */
	if (p->proto == 6 && (p->tcp_flags & 0x02))	/* SYN */
		client_is_src = !(p->tcp_flags & 0x10);	/* not SYN-ACK */
	else
		client_is_src = p->sport >= p->dport;
	f->client_is_b = client_is_src != src_is_a;
	f->hash = h;
	/* A removal above may have moved slots: probe again. */
	for (j = h & t->mask; t->slots[j].nidx != 0; j = (j + 1) & t->mask)
		;
	t->slots[j].hash = h;
	t->slots[j].nidx = ~i;
	*rc = t->slots[j];
	lru_append(t, i);
	t->st.created++;
	if (++t->st.active > t->st.active_max)
		t->st.active_max = t->st.active;
	*is_new = true;
	f->last = ts;
	f->last_frame = p->frame;
	*dir = (src_is_a != f->client_is_b) ? FLOW_C2S : FLOW_S2C;
	return f;
found:
	*dir = (src_is_a != f->client_is_b) ? FLOW_C2S : FLOW_S2C;
	if (syn_new_conn(t, &f->s[*dir], p)) {
		flow_remove(t, i);
		goto create;
	}
	if (ts > f->last)
		f->last = ts;
	f->last_frame = p->frame;
	if (t->lru_tail[f->lru] == i) {		/* already the newest */
		lru_touch(t, f);
		return f;
	}
	lru_unlink(t, i);
	lru_append(t, i);
	return f;
}

struct flow *
flow_next_used(struct flow_table *t, size_t *pos)
{
	while (*pos < t->n_fresh && !t->flows[*pos].used)
		(*pos)++;
	return *pos < t->n_fresh ? &t->flows[(*pos)++] : NULL;
}

void
flow_as_pkt(const struct flow *f, enum flow_dir dir, struct pkt *p)
{
	bool b = f->client_is_b == (dir == FLOW_C2S);	/* b sends */

	*p = (struct pkt){ .proto = f->proto, .frame = f->last_frame,
	    .ts_sec = f->last };
	p->src = b ? f->b : f->a;
	p->dst = b ? f->a : f->b;
	p->sport = b ? f->pb : f->pa;
	p->dport = b ? f->pa : f->pb;
}

void
flow_flush(struct flow_table *t)
{
	size_t i;

	for (i = 0; i < t->n_fresh; i++)
		if (t->flows[i].used)
			flow_remove(t, (uint32_t)i);
}
