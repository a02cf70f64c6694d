/* flow.c - TCP stream windows (RFC 9293 3.4): reassembly into the stream
 * buffers; the table itself (index, slots, LRU) is flow_table.c. */
#include <stdlib.h>
#include <string.h>

#include "flow_int.h"

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
	if (!flow_buffers(t)) {
		t->st.no_buffer++;
		return false;
	}
	/* The same order as a stack filled with every buffer at start:
	 * those given back first, then the next never used. */
	if (t->n_buf_free == 0 && t->n_buf_fresh < t->cfg.n_buffers)
		s->buf = t->n_buf_fresh++;
	else if (t->n_buf_free == 0 && !stream_steal(t, own)) {
		t->st.no_buffer++;
		return false;
	} else
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
