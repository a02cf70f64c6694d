/* flow_int.h - the flow table's structures, shared by flow_table.c (the
 * index, the slots and LRU eviction) and flow.c (TCP stream windows). */
#ifndef KASAUDIT_FLOW_INT_H
#define KASAUDIT_FLOW_INT_H

#include "flow.h"

#define MAX_RANGES	8	/* holes tracked per stream window */
#define NIL		UINT32_MAX
/* Bytes a stream buffer's bookkeeping takes: touched, owner, free. */
#define BUF_META	(sizeof(uint64_t) + 2 * sizeof(uint32_t))
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

/*
 * The recent lookups: a small direct-mapped copy of index slots, by hash,
 * read before the index.  The bench's mix looks up its flows within a
 * window of about 2000 (with --max-flows 2000 it evicts 15,682 flows and
 * meets not one of them again), but their slots are spread over the whole
 * index (1 MiB at the default 65536 flows): the slot was a cache miss a
 * TCP segment, before the flow's own.  These 32 KiB stay near the core.
 * An entry is only a hint: the flow it names is taken when it is in use
 * and has the packet's key (a key has one flow at most), so nothing needs
 * clearing when flows go or move.
 */
#define RECENT_N	4096

/*
 * A flow's place in its LRU list (head = least recent), by flow index, in
 * an array of its own: a lookup moves the flow to the tail, which writes
 * its two neighbours, flows picked at random.  In the flows themselves
 * (5.8 MB for mix's 17.7 k connections) that was two cache misses a
 * packet; this array (8 bytes a flow) stays in the cache.
 */
struct lru_link {
	uint32_t	prev, next;
};

struct flow_table {
	struct flow_config	 cfg;
	struct flow		*flows;
	struct lru_link		*links;		/* by flow index */
	struct slot		*slots;
	uint32_t		 mask;		/* slots - 1 */
	struct slot		*recent;	/* RECENT_N, by hash */
	uint32_t		 lru_head[LRU_N], lru_tail[LRU_N];
	uint64_t		 clock;		/* lookups so far */
	uint32_t		 free_head;	/* via fnext */
	uint32_t		 n_fresh;	/* slots never used yet start here */
	uint8_t			*arena;		/* n_buffers * stream_bytes */
	/*
	 * Buffers never used are taken in order (n_buf_fresh), the free
	 * stack holds those given back, and buf_owner and buf_touched are
	 * read only once every buffer has been taken (a steal): none of
	 * the three is written, or faulted in, before it is needed.
	 */
	uint32_t		*buf_free;	/* stack of buffers given back */
	uint32_t		*buf_owner;	/* flow index * 2 + dir; NIL free */
	/*
	 * The owner's f->touched, kept beside the buffer so that a steal
	 * compares STEAL_LOOK neighbours without reading their flows (a
	 * cache miss each: a third of flow time on flood).
	 */
	uint64_t		*buf_touched;
	uint32_t		 hand;		/* where the next steal looks */
	size_t			 n_buf_free;
	uint32_t		 n_buf_fresh;	/* buffers ever taken: [0, n) */
	struct flow_stats	 st;
};

static inline uint8_t *
buf_ptr(const struct flow_table *t, uint32_t idx)
{
	return t->arena + (size_t)idx * t->cfg.stream_bytes;
}

static inline void
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

/* Makes the stream buffers at the first need (flow_table.c); false
 * without memory. */
bool	flow_buffers(struct flow_table *);

#endif
