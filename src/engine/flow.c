/* flow.c - flow table with LRU eviction; TCP stream windows (RFC 9293 3.4).
 * Owns the slots, stream buffers and reassembly; sized at start, touched late. */
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "zmem.h"

#define MAX_RANGES	8	/* holes tracked per stream window */
#define NIL		UINT32_MAX
#define STEAL_LOOK	32	/* buffers looked at for the oldest owner */

/*
 * Idle flows are found from the head of an LRU list.  TCP and the rest have
 * their own timeouts, so each has its own list: in one shared list a UDP
 * flow long idle would sit behind a TCP flow that is not, and never expire.
 */
enum { LRU_TCP, LRU_OTHER, LRU_N };

struct range {
	uint32_t	 start, end;	/* window offsets, end exclusive */
};

struct stream {
	uint32_t	 base;		/* sequence number of window offset 0 */
	uint32_t	 isn;		/* the SYN's sequence number */
	uint32_t	 buf;		/* pool index, NIL when none */
	bool		 have_isn;
	bool		 have_base;
	bool		 guessed;	/* base from a non-SYN segment, nothing
					   consumed yet: may move back */
	bool		 done;
	bool		 capped;
	/* A zero-copy view handed out by flow_tcp_segment(). */
	const uint8_t	*zc;
	uint32_t	 zc_len;
	uint8_t		 n_ranges;
	uint8_t		 beyond;	/* segments held behind a hole at the
					   window start, since it opened */
	struct range	 ranges[MAX_RANGES];	/* sorted, disjoint */
};

struct flow {
	/* Key: endpoint a is the lower (address, port) of the two. */
	struct addr	 a, b;
	uint16_t	 pa, pb;
	uint8_t		 proto;
	bool		 used;
	bool		 client_is_b;
	uint8_t		 lru;		/* which list: LRU_TCP, LRU_OTHER */
	int64_t		 last;
	uint64_t	 last_frame;	/* of the last packet looked up */
	uint64_t	 touched;	/* table clock at the last lookup */
	uint32_t	 hash;		/* flow_hash() of the key */
	uint32_t	 fnext;		/* free list */
	uint32_t	 prev, next;	/* LRU list, head = least recent */
	struct stream	 s[2];		/* by enum flow_dir */
	union {
		uint8_t		 bytes[FLOW_APP_LEN];
		max_align_t	 align;
	} app;
};

/*
 * The index: open addressing with linear probing, at most half full, each
 * slot holding the flow's hash beside its index, so a lookup reads flows
 * only where the hash agrees.  With chains through the flows, a flood of
 * new flows paid a cache miss per packet on flows it did not want (66% of
 * flow_get() in perf).
 */
struct slot {
	uint32_t	hash;
	uint32_t	nidx;		/* ~index; 0 (~NIL): empty */
};

struct flow_table {
	struct flow_config	 cfg;
	struct flow		*flows;
	struct slot		*slots;
	uint32_t		 mask;		/* slots - 1 */
	uint32_t		 lru_head[LRU_N], lru_tail[LRU_N];
	uint64_t		 clock;		/* lookups so far */
	uint32_t		 free_head;	/* via fnext */
	uint32_t		 n_fresh;	/* slots never used yet start here */
	uint8_t			*arena;		/* n_buffers * stream_bytes */
	uint32_t		*buf_free;	/* stack of free buffers */
	uint32_t		*buf_owner;	/* flow index * 2 + dir; NIL free */
	/*
	 * The owner's f->touched, kept beside the buffer so that a steal
	 * compares STEAL_LOOK neighbours without reading their flows (a
	 * cache miss each: a third of flow time on flood).
	 */
	uint64_t		*buf_touched;
	uint32_t		 hand;		/* where the next steal looks */
	size_t			 n_buf_free;
	struct flow_stats	 st;
};

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
	t->slots = zmem_alloc_huge(nb, sizeof(*t->slots));
	t->buf_free = malloc((t->cfg.n_buffers ? t->cfg.n_buffers : 1) *
	    sizeof(*t->buf_free));
	t->buf_owner = malloc((t->cfg.n_buffers ? t->cfg.n_buffers : 1) *
	    sizeof(*t->buf_owner));
	t->buf_touched = calloc(t->cfg.n_buffers ? t->cfg.n_buffers : 1,
	    sizeof(*t->buf_touched));
	if (t->cfg.n_buffers > 0 && t->cfg.stream_bytes > 0 &&
	    t->cfg.n_buffers > SIZE_MAX / t->cfg.stream_bytes)
		goto fail;
	t->arena = malloc(t->cfg.n_buffers * t->cfg.stream_bytes + 1);
	if (t->flows == NULL || t->slots == NULL || t->buf_free == NULL ||
	    t->buf_owner == NULL || t->buf_touched == NULL ||
	    t->arena == NULL)
		goto fail;
	/* Slots never used are taken in order (n_fresh): the array's
	 * pages are touched only as the table fills. */
	t->free_head = NIL;
	for (i = 0; i < LRU_N; i++)
		t->lru_head[i] = t->lru_tail[i] = NIL;
	for (i = 0; i < t->cfg.n_buffers; i++) {
		t->buf_free[i] = (uint32_t)(t->cfg.n_buffers - 1 - i);
		t->buf_owner[i] = NIL;
	}
	t->n_buf_free = t->cfg.n_buffers;
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
	zmem_free_huge(t->slots, (size_t)t->mask + 1, sizeof(*t->slots));
	free(t->buf_free);
	free(t->buf_owner);
	free(t->buf_touched);
	free(t->arena);
	free(t);
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

static uint8_t *
buf_ptr(const struct flow_table *t, uint32_t idx)
{
	return t->arena + (size_t)idx * t->cfg.stream_bytes;
}

static void
stream_release(struct flow_table *t, struct stream *s)
{
	/* Held bytes after a hole: the hole never filled. */
	if (s->n_ranges > 1 || (s->n_ranges == 1 && s->ranges[0].start > 0))
		t->st.gaps++;
	if (s->buf != NIL) {
		t->buf_owner[s->buf] = NIL;
		t->buf_free[t->n_buf_free++] = s->buf;
	}
	s->buf = NIL;
	s->n_ranges = 0;
	s->zc = NULL;
	s->zc_len = 0;
}

static void
lru_unlink(struct flow_table *t, uint32_t i)
{
	struct flow *f = &t->flows[i];

	if (f->prev != NIL)
		t->flows[f->prev].next = f->next;
	else
		t->lru_head[f->lru] = f->next;
	if (f->next != NIL)
		t->flows[f->next].prev = f->prev;
	else
		t->lru_tail[f->lru] = f->prev;
	f->prev = f->next = NIL;
}

static void
lru_append(struct flow_table *t, uint32_t i)
{
	struct flow *f = &t->flows[i];

	f->touched = ++t->clock;
	if (f->s[0].buf != NIL)
		t->buf_touched[f->s[0].buf] = f->touched;
	if (f->s[1].buf != NIL)
		t->buf_touched[f->s[1].buf] = f->touched;
	f->prev = t->lru_tail[f->lru];
	f->next = NIL;
	if (f->prev != NIL)
		t->flows[f->prev].next = i;
	else
		t->lru_head[f->lru] = i;
	t->lru_tail[f->lru] = i;
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
		if (f->next == NIL)
			continue;
		f = &t->flows[f->next];
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

struct flow *
flow_get(struct flow_table *t, const struct pkt *p, int64_t ts,
    enum flow_dir *dir, bool *is_new)
{
	const struct addr *a = &p->src, *b = &p->dst;
	uint16_t pa = p->sport, pb = p->dport;
	bool src_is_a = true, client_is_src;
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
	for (j = h & t->mask; t->slots[j].nidx != 0; j = (j + 1) & t->mask) {
		if (t->slots[j].hash != h)
			continue;
		i = ~t->slots[j].nidx;
		f = &t->flows[i];
		if (f->pa == pa && f->pb == pb && f->proto == p->proto &&
		    addr_eq(&f->a, a) && addr_eq(&f->b, b))
			goto found;
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
	f->prev = f->next = NIL;
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
	lru_unlink(t, i);
	lru_append(t, i);
	return f;
}

/* Bytes contiguous from the window start. */
static uint32_t
stream_contig(const struct stream *s)
{
	return s->n_ranges > 0 && s->ranges[0].start == 0 ?
	    s->ranges[0].end : 0;
}

/* Counted once per stream: the statistic is streams that did not fit. */
static void
stream_cap(struct flow_table *t, struct stream *s)
{
	if (!s->capped)
		t->st.capped++;
	s->capped = true;
}

/*
 * Moves held bytes and ranges up by delta (the window start moved back).
 * Highest range first, so no memmove reads bytes already moved.
 */
static void
stream_shift_up(struct flow_table *t, struct stream *s, uint32_t delta)
{
	uint32_t cap = (uint32_t)t->cfg.stream_bytes;
	uint8_t *buf = buf_ptr(t, s->buf);
	struct range keep[MAX_RANGES];
	size_t i, n = 0;

	for (i = s->n_ranges; i-- > 0;) {
		struct range r = s->ranges[i];

		if (r.start + delta >= cap) {
			stream_cap(t, s);
			continue;
		}
		if (r.end + delta > cap)
			stream_cap(t, s);
		r.end = r.end + delta > cap ? cap : r.end + delta;
		memmove(buf + r.start + delta, buf + r.start,
		    r.end - (r.start + delta));
		r.start += delta;
		keep[i] = r;
		n = n > i + 1 ? n : i + 1;
	}
	/* Ranges dropped off the top are the last ones: keep[0..n). */
	memcpy(s->ranges, keep, n * sizeof(keep[0]));
	s->n_ranges = (uint8_t)n;
}

/*
 * Copies [off, off + len) of the window from data into the gaps between
 * held ranges (bytes already held win) and merges the ranges.  *added is
 * the number of new bytes; *overlap says held bytes were passed over.
 * When the list would need more than MAX_RANGES ranges its highest one goes
 * (counted in holes_full): the new segment if it lies beyond every held
 * range (false), else the highest held range, because bytes near the window
 * start matter more and the segment that fills the first hole must not be
 * refused for ever.
 */
static bool
stream_put(struct flow_table *t, struct stream *s, uint32_t off,
    const uint8_t *data, uint32_t len, uint32_t *added, bool *overlap)
{
	uint8_t *buf = buf_ptr(t, s->buf);
	uint32_t end = off + len, pos = off;
	struct range merged[MAX_RANGES + 1];
	size_t i, n = 0;
	bool placed = false;

	*added = 0;
	*overlap = false;
	/* Merge [off, end) into the sorted range list. */
	for (i = 0; i < s->n_ranges; i++) {
		struct range r = s->ranges[i];

		if (r.end < off || placed) {
			if (!placed || r.start > merged[n - 1].end)
				merged[n++] = r;
			else if (r.end > merged[n - 1].end)
				merged[n - 1].end = r.end;
			continue;
		}
		if (r.start > end) {
			merged[n].start = off;
			merged[n++].end = end;
			placed = true;
			merged[n++] = r;
			continue;
		}
		merged[n].start = r.start < off ? r.start : off;
		merged[n++].end = r.end > end ? r.end : end;
		placed = true;
	}
	if (!placed) {
		merged[n].start = off;
		merged[n++].end = end;
	}
	if (n > MAX_RANGES) {
		t->st.holes_full++;
		/* Only a range touching no other adds one to the list. */
		if (merged[n - 1].start == off)
			return false;
		n--;
	}
	/* Write the parts of [off, end) between held ranges. */
	for (i = 0; i < s->n_ranges && pos < end; i++) {
		const struct range *r = &s->ranges[i];

		if (r->end <= pos)
			continue;
		if (r->start >= end)
			break;
		if (r->start > pos) {
			memcpy(buf + pos, data + (pos - off), r->start - pos);
			*added += r->start - pos;
		}
		*overlap = true;
		pos = r->end;
	}
	if (pos < end) {
		memcpy(buf + pos, data + (pos - off), end - pos);
		*added += end - pos;
	}
	memcpy(s->ranges, merged, n * sizeof(merged[0]));
	s->n_ranges = (uint8_t)n;
	return true;
}

static void stream_give_up(struct flow_table *, struct stream *);

/*
 * No buffer free: take the one whose flow was touched longest ago among a
 * few looked at from a rotating hand.  Streams that stall (a hole, a
 * ClientHello that never ends) must not keep new ones from being read.
 */
static bool
stream_steal(struct flow_table *t, uint32_t me)
{
	uint64_t oldest = UINT64_MAX;
	uint32_t k, idx, own, best = NIL;

	for (k = 0; k < STEAL_LOOK && k < t->cfg.n_buffers; k++) {
		idx = t->hand;
		if (++t->hand == t->cfg.n_buffers)	/* no division */
			t->hand = 0;
		own = t->buf_owner[idx];
		if (own == NIL || own == me)
			continue;
		if (t->buf_touched[idx] < oldest) {
			oldest = t->buf_touched[idx];
			best = own;
		}
	}
	if (best == NIL)
		return false;
	stream_give_up(t, &t->flows[best >> 1].s[best & 1]);
	t->st.stolen++;
	return true;
}

static bool
stream_get_buf(struct flow_table *t, struct stream *s)
{
	size_t fi;
	uint32_t own;

	if (s->buf != NIL)
		return true;
	fi = (size_t)((const uint8_t *)s - (const uint8_t *)t->flows) /
	    sizeof(struct flow);
	own = (uint32_t)(fi * 2 + (s == &t->flows[fi].s[1] ? 1 : 0));
	if (t->n_buf_free == 0 && !stream_steal(t, own)) {
		t->st.no_buffer++;
		return false;
	}
	s->buf = t->buf_free[--t->n_buf_free];
	t->buf_owner[s->buf] = own;
	t->buf_touched[s->buf] = t->flows[fi].touched;
	return true;
}

static void
stream_give_up(struct flow_table *t, struct stream *s)
{
	stream_release(t, s);
	s->done = true;
}

/* Places len bytes at window offset off (< cap, fits) in the buffer. */
static int
stream_add(struct flow_table *t, struct stream *s, uint32_t off,
    const uint8_t *data, uint32_t len, struct cur *view)
{
	uint32_t before, added;
	bool overlap;

	if (!stream_get_buf(t, s)) {
		stream_give_up(t, s);
		return ERR_NOTFOUND;
	}
	before = stream_contig(s);
	if (!stream_put(t, s, off, data, len, &added, &overlap))
		return ERR_NOTFOUND;
	if (overlap)
		t->st.overlaps++;
	if (added == 0) {
		t->st.retransmits++;
		return ERR_NOTFOUND;
	}
	if (stream_contig(s) <= before) {
		t->st.out_of_order++;
		if (stream_contig(s) == 0 && s->beyond < UINT8_MAX)
			s->beyond++;
		return ERR_NOTFOUND;
	}
	s->beyond = 0;
	*view = cur_init(buf_ptr(t, s->buf), stream_contig(s));
	return ERR_OK;
}

int
flow_tcp_segment(struct flow_table *t, struct flow *f, enum flow_dir dir,
    const struct pkt *p, struct cur *view)
{
	struct stream *s = &f->s[dir];
	uint32_t cap = (uint32_t)t->cfg.stream_bytes, seq = p->seq, len, off;
	const uint8_t *data = p->payload;
	bool syn = (p->tcp_flags & 0x02) != 0;

	/* A view the caller did not commit must not point into a packet
	 * that is gone. */
	if (s->zc != NULL && flow_commit(t, f, dir) != ERR_OK)
		return ERR_NOTFOUND;
	if (s->done)
		return ERR_NOTFOUND;
	if (syn) {
		if (!s->have_isn) {
			s->isn = seq;
			s->have_isn = true;
		}
		/* The SYN takes one sequence number; data starts after it. */
		seq++;
		if (!s->have_base || (s->guessed && s->n_ranges == 0)) {
			s->base = seq;
			s->have_base = true;
			s->guessed = false;
		} else if (s->guessed && s->base - seq < cap) {
			/* Data seen before its SYN: now the start is known. */
			if (s->base != seq) {
				stream_shift_up(t, s, s->base - seq);
				t->st.rebased++;
			}
			s->base = seq;
			s->guessed = false;
		}
	}
	if (p->payload_len == 0)
		return ERR_NOTFOUND;
	len = p->payload_len > UINT32_MAX / 2 ? UINT32_MAX / 2 :
	    (uint32_t)p->payload_len;
	if (!s->have_base) {
		s->base = seq;
		s->have_base = true;
		s->guessed = true;
	}
	off = seq - s->base;
	if (off >= 1u << 31) {
		/* Before the window start (serial arithmetic, RFC 1982). */
		uint32_t back = s->base - seq;

		if (s->guessed && back < cap) {
			/* An earlier segment than the one we took as the
			 * start: the stream really starts here. */
			if (s->n_ranges > 0)
				stream_shift_up(t, s, back);
			s->base = seq;
			t->st.rebased++;
		} else if (back >= len) {
			t->st.retransmits++;
			return ERR_NOTFOUND;
		} else {
			data += back;
			len -= back;
		}
		off = 0;
	}
	if (off >= cap) {
		stream_cap(t, s);
		return ERR_NOTFOUND;
	}
	if (len > cap - off) {
		stream_cap(t, s);
		len = cap - off;
	}
	/* In order with nothing held: the parser reads the packet itself. */
	if (off == 0 && s->n_ranges == 0 && s->buf == NIL) {
		s->zc = data;
		s->zc_len = len;
		*view = cur_init(data, len);
		return ERR_OK;
	}
	return stream_add(t, s, off, data, len, view);
}

int
flow_stream_put(struct flow_table *t, struct flow *f, enum flow_dir dir,
    uint64_t off, const uint8_t *data, size_t len, struct cur *view)
{
	struct stream *s = &f->s[dir];
	uint32_t cap = (uint32_t)t->cfg.stream_bytes, n;

	if (s->done || len == 0)
		return ERR_NOTFOUND;
	if (off >= cap) {
		stream_cap(t, s);
		return ERR_NOTFOUND;
	}
	n = len > cap - off ? cap - (uint32_t)off : (uint32_t)len;
	if (n < len)
		stream_cap(t, s);
	return stream_add(t, s, (uint32_t)off, data, n, view);
}

bool
flow_start_guessed(const struct flow *f, enum flow_dir dir)
{
	return f->s[dir].guessed && !f->s[dir].done;
}

void
flow_consume(struct flow_table *t, struct flow *f, enum flow_dir dir,
    uint64_t n)
{
	struct stream *s = &f->s[dir];
	uint8_t *buf;
	size_t i, k = 0;
	uint32_t d;

	if (n == 0 || s->done)
		return;
	if (n >= UINT32_MAX / 2) {
		/* A body this large: nothing after it will be looked at. */
		stream_give_up(t, s);
		return;
	}
	d = (uint32_t)n;
	s->base += d;
	s->guessed = false;
	if (s->zc != NULL) {
		if (d >= s->zc_len) {
			d -= s->zc_len;
			s->zc = NULL;
			s->zc_len = 0;
		} else {
			s->zc += d;
			s->zc_len -= d;
			return;
		}
	}
	if (s->n_ranges == 0)
		return;
	buf = buf_ptr(t, s->buf);
	for (i = 0; i < s->n_ranges; i++) {
		struct range r = s->ranges[i];

		if (r.end <= d)
			continue;
		r.start = r.start > d ? r.start - d : 0;
		r.end -= d;
		s->ranges[k++] = r;
	}
	s->n_ranges = (uint8_t)k;
	if (k > 0)
		memmove(buf, buf + d, s->ranges[k - 1].end);
	else
		stream_release(t, s);
}

int
flow_commit(struct flow_table *t, struct flow *f, enum flow_dir dir)
{
	struct stream *s = &f->s[dir];

	if (s->zc == NULL || s->done) {
		s->zc = NULL;
		s->zc_len = 0;
		return ERR_OK;
	}
	if (!stream_get_buf(t, s)) {
		stream_give_up(t, s);
		return ERR_FULL;
	}
	/* zc_len is within the window: flow_tcp_segment() cut it. */
	memcpy(buf_ptr(t, s->buf), s->zc, s->zc_len);
	s->ranges[0].start = 0;
	s->ranges[0].end = s->zc_len;
	s->n_ranges = 1;
	s->zc = NULL;
	s->zc_len = 0;
	return ERR_OK;
}

void
flow_done(struct flow_table *t, struct flow *f, enum flow_dir dir)
{
	stream_give_up(t, &f->s[dir]);
}

bool
flow_is_done(const struct flow *f, enum flow_dir dir)
{
	return f->s[dir].done;
}

int
flow_view(struct flow_table *t, struct flow *f, enum flow_dir dir,
    struct cur *view)
{
	struct stream *s = &f->s[dir];

	if (s->done)
		return ERR_NOTFOUND;
	if (s->zc != NULL && s->zc_len > 0) {
		*view = cur_init(s->zc, s->zc_len);
		return ERR_OK;
	}
	if (stream_contig(s) == 0)
		return ERR_NOTFOUND;
	*view = cur_init(buf_ptr(t, s->buf), stream_contig(s));
	return ERR_OK;
}

int
flow_skip_hole(struct flow_table *t, struct flow *f, enum flow_dir dir,
    unsigned min_segments, struct cur *view)
{
	struct stream *s = &f->s[dir];

	if (s->done || s->zc != NULL || s->n_ranges == 0 ||
	    stream_contig(s) != 0 || s->beyond < min_segments)
		return ERR_NOTFOUND;
	t->st.gaps++;
	t->st.holes_skipped++;
	s->beyond = 0;
	flow_consume(t, f, dir, s->ranges[0].start);
	return flow_view(t, f, dir, view);
}

int
flow_restart(struct flow_table *t, struct flow *f, enum flow_dir dir,
    const struct pkt *p, struct cur *view)
{
	struct stream *s = &f->s[dir];
	uint32_t cap = (uint32_t)t->cfg.stream_bytes;

	stream_release(t, s);
	s->done = false;
	s->capped = false;
	s->guessed = false;
	s->have_base = true;
	s->beyond = 0;
	s->base = p->seq + ((p->tcp_flags & 0x02) ? 1 : 0);
	if (p->payload_len == 0)
		return ERR_NOTFOUND;
	s->zc = p->payload;
	s->zc_len = p->payload_len > cap ? cap : (uint32_t)p->payload_len;
	if (p->payload_len > cap)
		stream_cap(t, s);
	t->st.restarts++;
	*view = cur_init(s->zc, s->zc_len);
	return ERR_OK;
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
