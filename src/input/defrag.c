/* defrag.c - IP fragment reassembly (RFC 791, RFC 8200 4.5): the fixed
 * chunk arena, datagram slots, timeouts and eviction.  Cold: fragments only. */
#include <stdlib.h>
#include <string.h>

#include "defrag.h"
#include "zmem.h"

/*
 * Defragmentation store.  Fragment data lives in fixed chunks taken from one
 * arena sized by frag_mem at start-up; a datagram maps each CHUNK-sized
 * stretch of its fragmentable part to a chunk on first use, so small
 * datagrams hold little memory and nothing is allocated per packet.
 * Coverage is kept in 8-byte units, the granularity of fragment offsets
 * (RFC 791, RFC 8200 4.5); only the datagram's last unit may be partial.
 */
#define FRAG_MAX	65535		/* largest IP datagram */
#define FRAG_CHUNK	1024		/* bytes; a multiple of 8 * 64 */
#define FRAG_NCHUNK	((FRAG_MAX + FRAG_CHUNK - 1) / FRAG_CHUNK)
#define FRAG_UNITS	(FRAG_CHUNK / 8)	/* 8-byte units per chunk */
#define FRAG_MAX_SLOTS	4096		/* datagrams held at once */
#define FRAG_MAX_CHUNKS	((size_t)1 << 24)	/* 16 GiB; indices fit */

struct frag_chunk {
	uint64_t	 have[FRAG_UNITS / 64];	/* units held */
	uint8_t		 data[FRAG_CHUNK];
};

struct frag_dgram {
	struct defrag_key key;
	uint32_t	 hash;
	int32_t		 hnext;		/* hash chain, as the bucket holds it
					   (slot + 1); free list when unused */
	int32_t		 older;		/* age list, by first fragment */
	int32_t		 newer;
	int64_t		 first_ts;
	bool		 have_last;	/* the fragment without MF/M came */
	uint32_t	 total;		/* fragmentable part, once have_last */
	uint32_t	 max_end;	/* furthest byte any fragment claimed */
	uint32_t	 units;		/* 8-byte units held */
	uint32_t	 chunk[FRAG_NCHUNK];	/* chunk index + 1; 0 = none */
};

struct defrag {
	struct decode_stats *st;	/* decode.c's: counted into */
	unsigned	 timeout;
	size_t		 n_chunks;
	struct frag_chunk *chunks;
	uint32_t	*chunk_free;	/* stack of chunks given back */
	size_t		 n_chunk_free;
	size_t		 n_chunk_fresh;	/* chunks ever taken: [0, n) */
	size_t		 n_slots;
	struct frag_dgram *slots;
	int32_t		 slot_free;	/* head, chained through hnext */
	size_t		 n_slot_fresh;	/* slots ever taken: [0, n) */
	int32_t		*bucket;	/* slot + 1; 0 = none (zmem: an empty
					   index is zero pages, not written) */
	uint32_t	 bucket_mask;
	int32_t		 oldest;
	int32_t		 newest;
	uint8_t		*out;		/* FRAG_MAX bytes: the last datagram */
};

/* Frees what defrag_tables() made (NULL-safe), leaving NULLs. */
static void
defrag_free_tables(struct defrag *d)
{
	zmem_free(d->chunks, d->n_chunks, sizeof(*d->chunks));
	free(d->chunk_free);
	zmem_free(d->slots, d->n_slots, sizeof(*d->slots));
	zmem_free(d->bucket, (size_t)d->bucket_mask + 1, sizeof(*d->bucket));
	free(d->out);
	d->chunks = NULL;
	d->chunk_free = NULL;
	d->slots = NULL;
	d->bucket = NULL;
	d->out = NULL;
}

static int
bad(struct defrag *d)
{
	d->st->malformed[DL_FRAG]++;
	return ERR_MALFORMED;
}

static uint32_t
frag_hash(const struct defrag_key *k)
{
	uint32_t h = 2166136261u;	/* FNV-1a: only spreads, no secret */
	size_t i;

	for (i = 0; i < sizeof(k->src.a); i++)
		h = (h ^ k->src.a[i] ^ (uint32_t)k->dst.a[i] << 8) *
		    16777619u;
	h = (h ^ k->id) * 16777619u;
	h = (h ^ k->proto ^ (uint32_t)k->src.family << 8) * 16777619u;
	return h;
}

static bool
frag_key_eq(const struct defrag_key *a, const struct defrag_key *b)
{
	return a->id == b->id && a->proto == b->proto &&
	    addr_eq(&a->src, &b->src) && addr_eq(&a->dst, &b->dst);
}

/* Gives a datagram's chunks and slot back. */
static void
frag_drop(struct defrag *d, int32_t s)
{
	struct frag_dgram *dg = &d->slots[s];
	int32_t *pp;
	size_t i;

	for (pp = &d->bucket[dg->hash & d->bucket_mask]; *pp != s + 1;
	    pp = &d->slots[*pp - 1].hnext)
		;
	*pp = dg->hnext;
	if (dg->older >= 0)
		d->slots[dg->older].newer = dg->newer;
	else
		d->oldest = dg->newer;
	if (dg->newer >= 0)
		d->slots[dg->newer].older = dg->older;
	else
		d->newest = dg->older;
	for (i = 0; i < FRAG_NCHUNK; i++)
		if (dg->chunk[i] != 0)
			d->chunk_free[d->n_chunk_free++] = dg->chunk[i] - 1;
	dg->hnext = d->slot_free + 1;
	d->slot_free = s;
}

static bool
frag_expired(const struct defrag *d, int64_t t0, int64_t now)
{
	uint64_t age;

	/* Unsigned difference: no overflow on absurd file timestamps. */
	age = now >= t0 ? (uint64_t)now - (uint64_t)t0 :
	    (uint64_t)t0 - (uint64_t)now;
	return age > d->timeout;
}

/*
 * Lazy timeouts, run when a fragment arrives.  The age list is in order of
 * first fragments, so the walk stops at the first live datagram.  Time that
 * jumps back by more than the timeout (the next file of a set) also expires:
 * those fragments cannot belong to the new capture's datagrams.
 */
static void
frag_expire(struct defrag *d, int64_t now)
{
	while (d->oldest >= 0 &&
	    frag_expired(d, d->slots[d->oldest].first_ts, now)) {
		frag_drop(d, d->oldest);
		d->st->frag_timeouts++;
	}
}

static int32_t
frag_find(const struct defrag *d, const struct defrag_key *k, uint32_t h)
{
	int32_t s;

	for (s = d->bucket[h & d->bucket_mask] - 1; s >= 0;
	    s = d->slots[s].hnext - 1)
		if (d->slots[s].hash == h && frag_key_eq(&d->slots[s].key, k))
			return s;
	return -1;
}

static int32_t
frag_open(struct defrag *d, const struct defrag_key *k, uint32_t h,
    int64_t ts)
{
	struct frag_dgram *dg;
	int32_t s;

	if (d->slot_free < 0 && d->n_slot_fresh < d->n_slots) {
		/* Never used: taken in order, so the pages of the slot array
		 * are touched only as fragments arrive. */
		s = (int32_t)d->n_slot_fresh++;
		dg = &d->slots[s];
	} else {
		if (d->slot_free < 0) {	/* every slot busy: oldest goes */
			frag_drop(d, d->oldest);
			d->st->frag_evicted++;
		}
		s = d->slot_free;
		dg = &d->slots[s];
		d->slot_free = dg->hnext - 1;
	}
	memset(dg, 0, sizeof(*dg));
	dg->key = *k;
	dg->hash = h;
	dg->first_ts = ts;
	dg->hnext = d->bucket[h & d->bucket_mask];
	d->bucket[h & d->bucket_mask] = s + 1;
	dg->newer = -1;
	dg->older = d->newest;
	if (d->newest >= 0)
		d->slots[d->newest].newer = s;
	else
		d->oldest = s;
	d->newest = s;
	return s;
}

/*
 * A free chunk for datagram `keep`, evicting the oldest other datagrams
 * while the arena is full.  0 when nothing else can be evicted.
 */
static uint32_t
frag_chunk_get(struct defrag *d, int32_t keep)
{
	struct frag_chunk *ch;
	int32_t victim;
	uint32_t i;

	/* Never used: taken in order, as slots are (the free stack is
	 * then written only as chunks come back). */
	if (d->n_chunk_free == 0 && d->n_chunk_fresh < d->n_chunks) {
		i = (uint32_t)d->n_chunk_fresh++;
		goto got;
	}
	while (d->n_chunk_free == 0) {
		victim = d->oldest;
		if (victim == keep)
			victim = d->slots[keep].newer;
		if (victim < 0)
			return 0;
		frag_drop(d, victim);
		d->st->frag_evicted++;
	}
	i = d->chunk_free[--d->n_chunk_free];
got:
	ch = &d->chunks[i];
	memset(ch->have, 0, sizeof(ch->have));
	return i + 1;
}

/*
 * The tables, made at the first fragment: most captures have none, and
 * every table made at start was an mmap() and a munmap() more for each
 * of them.  Chunks and slots are taken in order as fragments come and the
 * index is empty when zero, so none of it is touched (or faulted in)
 * before it is used; the free stack is written only as chunks come back:
 * malloc, not calloc.  Without memory, reassembly is off (n_slots 0):
 * fragments are counted as evicted, as when --max-frag-mem is too small.
 */
static void
defrag_tables(struct defrag *d)
{
	d->chunks = zmem_alloc(d->n_chunks, sizeof(*d->chunks));
	d->chunk_free = malloc(d->n_chunks * sizeof(*d->chunk_free));
	d->slots = zmem_alloc(d->n_slots, sizeof(*d->slots));
	d->bucket = zmem_alloc((size_t)d->bucket_mask + 1,
	    sizeof(*d->bucket));
	d->out = malloc(FRAG_MAX);
	if (d->chunks != NULL && d->chunk_free != NULL && d->slots != NULL &&
	    d->bucket != NULL && d->out != NULL)
		return;
	defrag_free_tables(d);
	d->n_slots = d->n_chunks = 0;
}

int
defrag_add(struct defrag *d, const struct defrag_key *k, int64_t ts,
    size_t pre, size_t off, size_t wire_len, bool more, struct cur data,
    const uint8_t **out, size_t *out_len)
{
	struct frag_dgram *dg;
	struct frag_chunk *ch;
	size_t end = off + wire_len, cap, u, uend, n, i;
	uint32_t h, bit;
	bool overlap = false;
	int32_t s;

	d->st->frags++;
	/* All but the last fragment carry whole 8-byte units (RFC 791). */
	if ((more && (wire_len == 0 || wire_len % 8 != 0)) ||
	    pre + end > FRAG_MAX)
		return bad(d);
	frag_expire(d, ts);
	if (d->chunks == NULL && d->n_slots > 0 && d->n_chunks > 0)
		defrag_tables(d);
	if (d->n_slots == 0 || d->n_chunks == 0) {
		/* --max-frag-mem too small, or no memory for the tables */
		d->st->frag_evicted++;
		return ERR_NOTFOUND;
	}
	h = frag_hash(k);
	if ((s = frag_find(d, k, h)) < 0)
		s = frag_open(d, k, h, ts);
	dg = &d->slots[s];
	if (dg->have_last ? end > dg->total || (!more && end != dg->total) :
	    !more && dg->max_end > end)
		return bad(d);
	if (!more) {
		dg->have_last = true;
		dg->total = (uint32_t)end;
	}
	if (end > dg->max_end)
		dg->max_end = (uint32_t)end;

	/* Whole 8-byte units, plus the datagram's partial last one. */
	cap = cur_left(&data);
	if (cap > wire_len)
		cap = wire_len;
	uend = (off + cap) / 8;
	if (cap == wire_len && end % 8 != 0)
		uend++;
	for (u = off / 8; u < uend; u++) {
		i = u / FRAG_UNITS;
		bit = (uint32_t)(u % FRAG_UNITS);
		n = off + cap - u * 8 < 8 ? off + cap - u * 8 : 8;
		if (dg->chunk[i] == 0 &&
		    (dg->chunk[i] = frag_chunk_get(d, s)) == 0) {
			frag_drop(d, s);	/* alone it does not fit */
			d->st->frag_evicted++;
			return ERR_NOTFOUND;
		}
		ch = &d->chunks[dg->chunk[i] - 1];
		if (ch->have[bit / 64] & (uint64_t)1 << (bit % 64)) {
			overlap = true;
			cur_skip(&data, n);
			continue;
		}
		cur_copy(&data, ch->data + (size_t)bit * 8, n);
		ch->have[bit / 64] |= (uint64_t)1 << (bit % 64);
		dg->units++;
	}
	if (overlap)
		d->st->frag_overlaps++;
	if (!dg->have_last || dg->units != (dg->total + 7) / 8)
		return ERR_NOTFOUND;

	for (i = 0; i * FRAG_CHUNK < dg->total; i++) {
		if (dg->chunk[i] == 0)		/* cannot happen: all held */
			break;
		n = dg->total - i * FRAG_CHUNK;
		memcpy(d->out + i * FRAG_CHUNK,
		    d->chunks[dg->chunk[i] - 1].data,
		    n < FRAG_CHUNK ? n : FRAG_CHUNK);
	}
	*out = d->out;
	*out_len = dg->total;
	frag_drop(d, s);
	if (i * FRAG_CHUNK < *out_len)
		return bad(d);
	d->st->frag_reassembled++;
	return ERR_OK;
}

/* --- store ---------------------------------------------------------- */

struct defrag *
defrag_new(size_t frag_mem, unsigned frag_timeout, struct decode_stats *st)
{
	struct defrag *d;
	size_t nb;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->st = st;
	d->timeout = frag_timeout;
	d->n_chunks = frag_mem / FRAG_CHUNK;
	if (d->n_chunks > FRAG_MAX_CHUNKS)
		d->n_chunks = FRAG_MAX_CHUNKS;
	d->n_slots = d->n_chunks < FRAG_MAX_SLOTS ? d->n_chunks :
	    FRAG_MAX_SLOTS;
	for (nb = 1; nb < d->n_slots; nb <<= 1)
		;
	d->bucket_mask = (uint32_t)(nb - 1);
	d->slot_free = -1;		/* slots are taken fresh first */
	d->oldest = d->newest = -1;
	return d;
}

void
defrag_free(struct defrag *d)
{
	if (d == NULL)
		return;
	defrag_free_tables(d);
	free(d);
}
