/* capture_pipe.c - kasaudit read --workers: a reader thread frames records
 * in a ring of buffers and hands batches of them, uncopied, to the sensor.
 *
 * How the work is split, and why the outputs stay the same for every N:
 * the line has two stages, and the decoding (link layers, VLAN, tunnels,
 * IP, reassembly of fragments, UDP/TCP) is done by one or the other.
 * The reader thread does read() (or decompression), the framing of pcap
 * and pcapng records and the -f filter, and, batch by batch when the
 * split says so, decode_pkt() with the sensor's own decoder.  The
 * caller's thread (the sensor) decodes the batches the reader did not,
 * and does all the rest -- audit (flows, streams, DNS, TLS, HTTP, QUIC,
 * matching), DNS-answer attribution, aggregation, events, evidence --
 * one record after the other in file order, exactly as with one thread.
 * Nothing that depends on order is split: there is one decoder, used by
 * one thread at a time and always in file order (a batch decoded by the
 * reader is published before the sensor decodes a later one; the reader
 * decodes again only once the sensor has given back every batch it was
 * to decode, the mutex ordering the two), so reassembly, its timeouts
 * and the decode counters are those of one thread; a DNS answer is
 * always audited before every later connection it attributes, the flow
 * table, the caps and what they refuse are the same, and every report,
 * event and evidence file is byte for byte the one `--workers 1` writes
 * (tests/run-workers: --workers 3 hands the decoder over every batch).
 * More workers than 2 add nothing: a third stage (decoding on a thread
 * of its own) would hand every packet across one more pair of vCPUs,
 * which here cost more than the decoding it moved (below); not built.
 *
 * The reader may also screen records (capture_pipe_config.screen; for
 * kasaudit, audit_screen.c: a DNS message whose every name fails the
 * match gate, which the audit would only count).  The screen is a
 * function of the record and of what does not change while the pipe
 * runs; the sensor takes a record it screened through the verdict
 * (counting what the audit would have counted), every other record as
 * before, in file order: the outputs are the same whichever batches were
 * screened.  The reader screens a batch when it has the time -- the
 * sensor half a ring behind (pipe_screens()) -- so the work of a
 * resolver's messages goes to the core that has it free.  With the
 * sensor decoding the batch, only packets decode_plain() takes (no
 * decoder state) are screened, and their decode counts go with the
 * verdict.
 *
 * Who decodes (enum capture_pipe_split): by default the one it makes
 * faster, measured as the input is read.  Every CAPTURE_PIPE_WINDOW
 * batches the reader compares what a record cost each thread with either
 * split and keeps the split whose slower thread is faster; the other one
 * is tried again now and then.  Measured on the bench captures at 0.25
 * (2-vCPU VM, bench/README.md "Who decodes"): decoding on the reader
 * balanced dns-heavy (small records: the reader has time), 70 ms of
 * pipeline against 96, in some minutes, and lost to the sensor decoding,
 * 116-133 ms against 88-100, in others (in such a minute the two vCPUs
 * ran the same one-thread read 1.3x apart: with both threads busy, the
 * line goes at the slow one's pace); the mix (750-byte records: the
 * reader is busy with read()) was always faster with the sensor
 * decoding.  No split is right for every input
 * and machine, so it is measured, not fixed; KASAUDIT_PIPE_SPLIT
 * (reader, sensor, flip; source_pipe.c) fixes it for tests and
 * measurements.
 *
 * A decoded packet is decoded in place into its slot of the batch (a
 * whole struct pkt, HEAD_STRIDE apart); the sensor copies out the part
 * before the tunnel layers (HEAD_LEN) and the layers a packet has.  What
 * it points to outside its record -- a reassembled datagram, in the
 * decoder's one buffer that the next datagram reuses -- is copied to the
 * batch's arena (CAPTURE_PIPE_ARENA; a record that does not fit ends the
 * batch).  Nothing else of a packet points outside its record.  Decoded
 * into a local struct and copied into the slot, the copy waited on the
 * slot's lines (the sensor read them last): with the slot's two lines
 * asked for ahead (pipe_want()) and no copy, dns-heavy at scale 1 with
 * the reader decoding went from 0.384 to 0.311 s (15 interleaved runs,
 * medians), as fast as the sensor decoding (0.32 s).
 *
 * Records are not copied: the reader reads into a ring of large buffers
 * (capture_set_bufs()) and passes (header, pointer) batches.  A buffer
 * goes back to the reader only when the sensor has released every batch
 * with a record in it; the record that straddles the end of a buffer is
 * copied to the next one's start, as the one-thread reader moves it to
 * its buffer's start.  A batch never spans two buffers (a buffer change
 * ends the batch), so a buffer's last batch is known when the reader
 * leaves it.  One mutex and two condition variables, taken once a batch
 * (~512 records): nothing per record, no allocation after the start.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "capture_pipe.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

/*
 * A batch has cache lines of its own (PIPE_LINE: two, which the
 * hardware prefetches in pairs): the reader writes the one it fills a
 * record at a time while the sensor reads the one before it a record at
 * a time (capture_pipe_decoded()); were they to share a line, the line
 * would go back and forth between the two cores a record.
 */
#define PIPE_LINE	128
#define PIPE_HUGE	((size_t)2 << 20)	/* a huge page */

struct pipe_batch {
	_Alignas(PIPE_LINE) struct capture_pkt *pkts;
	size_t			 n;
	int			 end;		/* ERR_OK, or the last word */
	uint64_t		 offset;	/* capture_offset() after it */
	/* With a decoder, per record: decode_pkt()'s result and the
	 * struct pkt (at HEAD_STRIDE); the arena (a copy of a reassembled
	 * datagram's payload) and how much is used. */
	bool			 decoded;	/* else the sensor decodes */
	int8_t			*res;
	uint8_t			*head;
	uint8_t			*arena;
	size_t			 used;
	/* With a screen: whether the reader ran it on this batch, and
	 * what it said of each record. */
	bool			 screened;
	uint32_t		*scr;
};

/* A decoded packet's slot, and the part of it every packet uses: all
 * but the tunnel layers, which only a few packets have (a struct pkt is
 * 472 bytes, this part 116: its first two lines). */
#define HEAD_LEN	offsetof(struct pkt, encap)
#define HEAD_STRIDE	((sizeof(struct pkt) + 63) & ~(size_t)63)
#define PIPE_WAHEAD	8	/* records a line is asked for early */

/*
 * PREFETCHW asks for a line to write: it takes the line from the other
 * core's cache at once, where a read prefetch brings a shared copy and
 * the store still waits.  x86 CPUs that have it say so in CPUID
 * 0x80000001, ECX bit 8 (AMD since the K6-2, Intel since Broadwell);
 * GCC emits it only with -mprfchw, so it is asked for by hand, and
 * elsewhere the read prefetch stands in.  Measured on mix at scale 1
 * (11 interleaved runs, medians): --workers 2 0.269 -> 0.241 s wall,
 * 0.453 -> 0.408 s CPU; the read prefetch in its place gained nothing.
 */
static bool pipe_has_prefetchw;		/* set once: pipe_once */
static pthread_once_t pipe_once = PTHREAD_ONCE_INIT;

static void
pipe_probe_prefetchw(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;

	pipe_has_prefetchw = __get_cpuid(0x80000001, &a, &b, &c, &d) &&
	    (c & (1u << 8)) != 0;
#endif
}

static inline void
pipe_want(const void *p)
{
#if defined(__x86_64__) || defined(__i386__)
	if (pipe_has_prefetchw) {
		__asm__ volatile("prefetchw %0" : : "m"(*(const char *)p));
		return;
	}
#endif
	__builtin_prefetch(p, 1);
}

struct pipe_buf {
	uint8_t			*p;
	size_t			 cap;
	uint64_t		 free_at;	/* free once done >= this */
};

struct capture_pipe {
	struct capture		*cap;
	pthread_t		 thread;
	bool			 running;	/* thread to join */
	pthread_mutex_t		 mu;
	pthread_cond_t		 to_reader;	/* a batch or buffer freed */
	pthread_cond_t		 to_sensor;	/* a batch published */
	bool			 stop;
	/* Who sleeps, and (the reader) for which count of released
	 * batches: each side wakes the other only when there is a good
	 * deal to do (half the ring free; a quarter of it published) or
	 * before it sleeps itself, not a batch per wake-up (which was a
	 * futex call a batch, 1,391 on the mix at 0.25). */
	bool			 r_wait, s_wait;
	uint64_t		 r_until;

	struct pipe_batch	*b;
	size_t			 n_b;
	size_t			 batch;		/* records a batch */
	uint64_t		 made;		/* batches published */
	uint64_t		 done;		/* batches released */
	bool			 holding;	/* batch done is the sensor's */
	const struct pipe_batch	*held;		/* that batch */
	struct pipe_batch	*cur;		/* the reader's, filling */

	uint32_t		(*screen)(void *, const struct capture_pkt *,
				    const struct pkt *);
	void			*screen_arg;
	enum capture_pipe_screen screen_when;
	struct decode		*dec;		/* NULL: records only */
	uint8_t			*heads;		/* every batch's head */
	size_t			 arena;		/* bytes a batch's arena */
	enum capture_pipe_split	 split;
	size_t			 window;	/* batches, SPLIT_AUTO */
	bool			 rdec;		/* the reader decodes cur */
	uint64_t		 undec_until;	/* batches before: maybe not */
	/*
	 * SPLIT_AUTO's window: when it began (batches made, the reader's
	 * CPU time), records in it; the time the sensor spent on batches
	 * either split decoded and their records (under mu); what a
	 * record cost each side with either split (ns, a moving average;
	 * 0: not known yet), windows since the other split was last
	 * tried.
	 */
	uint64_t		 win_from, win_cpu0, win_recs;
	uint64_t		 s_busy[2], s_recs[2];
	uint64_t		 s_got;		/* the sensor's: batch taken */
	double			 cost_r[2], cost_s[2];
	unsigned		 since_other, explore;
	bool			 trying;	/* this window tries the other */
	bool			 warm[2];	/* a window of it was had */

	struct pipe_buf		*buf;
	size_t			 n_buf;
	size_t			 buf_len;	/* each but a grown one */
	size_t			 next_buf;	/* round robin */

	int			 end;		/* sticky, for the sensor */
	uint64_t		 offset;	/* of the last batch given */
	char			 err[ERRBUF_LEN];	/* the reader's last */
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* With mu held: sleeps until the sensor has released `until` batches, or
 * is stopping. */
static void
pipe_wait(struct capture_pipe *pl, uint64_t until)
{
	pl->r_until = until;
	if (pl->s_wait && pl->done < pl->made)
		pthread_cond_signal(&pl->to_sensor);
	while (!pl->stop && pl->done < until) {
		pl->r_wait = true;
		pthread_cond_wait(&pl->to_reader, &pl->mu);
	}
	pl->r_wait = false;
}

#define PIPE_MARGIN	1.05	/* 5 %: what a switch must gain */

/* A moving average of per-record costs, the last window weighing half
 * (a split is tried again only now and then); the first as it is. */
static void
cost_add(double *avg, uint64_t ns, uint64_t recs)
{
	double v = (double)ns / (double)recs;

	*avg = *avg == 0 ? v : (*avg + v) / 2;
}

/*
 * SPLIT_AUTO, with mu held, at the end of a window: the split under which
 * the slower side spends less per record, by what each side spent with
 * each split (the reader: its CPU time in windows of that split; the
 * sensor: the time from taking to giving back batches of that split).
 * The other split is tried for a window until it is known, then after
 * CAPTURE_PIPE_EXPLORE windows, twice as many each time it lost again.
 */
static bool
pipe_auto(struct capture_pipe *pl)
{
	uint64_t cpu = cpu_ns();
	int m = pl->rdec ? 1 : 0, k, best;
	double c[2];
	bool want = pl->rdec;

	/*
	 * The first window of a split pays for starting it (page faults:
	 * the ring, the tables; the batches' decoded packets, 4 MiB): not
	 * what the split costs.  The reader's next window is measured.
	 */
	if (!pl->warm[m]) {
		pl->warm[m] = true;
	} else if (pl->win_recs > 0) {
		cost_add(&pl->cost_r[m], cpu - pl->win_cpu0, pl->win_recs);
		for (k = 0; k < 2; k++)
			if (pl->s_recs[k] > 0)
				cost_add(&pl->cost_s[k], pl->s_busy[k],
				    pl->s_recs[k]);
		/* The slower side under each split; a switch needs a
		 * clear gain (PIPE_MARGIN), not noise. */
		c[0] = pl->cost_r[0] > pl->cost_s[0] ? pl->cost_r[0] :
		    pl->cost_s[0];
		c[1] = pl->cost_r[1] > pl->cost_s[1] ? pl->cost_r[1] :
		    pl->cost_s[1];
		best = c[!m] * PIPE_MARGIN < c[m] ? !m : m;
		if (pl->trying) {
			/* Tried for a window: kept if better, else tried
			 * again twice as late. */
			pl->trying = false;
			want = c[1] < c[0];
			if (want != pl->rdec && pl->explore < 256)
				pl->explore *= 2;
			else if (want == pl->rdec)
				pl->explore = CAPTURE_PIPE_EXPLORE;
		} else if (pl->cost_r[!m] == 0 || pl->cost_s[!m] == 0 ||
		    ++pl->since_other >= pl->explore) {
			want = !pl->rdec;
			pl->trying = true;
		} else
			want = best == 1;
		if (want != pl->rdec)
			pl->since_other = 0;
	}
	pl->win_from = pl->made;
	pl->win_cpu0 = cpu;
	pl->win_recs = 0;
	pl->s_busy[0] = pl->s_busy[1] = pl->s_recs[0] = pl->s_recs[1] = 0;
	return want;
}

/*
 * With mu held, cur just taken: whether the reader decodes it.  Switching
 * to the reader waits until the sensor has released every batch it was to
 * decode itself: the decoder is then the reader's (the mutex orders the
 * two threads' use of it).  Switching back is at once.
 */
static void
pipe_split(struct capture_pipe *pl)
{
	bool want = pl->rdec;

	switch (pl->split) {
	case CAPTURE_PIPE_SPLIT_AUTO:
		/* A trial is a quarter of a window: when the other split
		 * is the worse one (on the bench captures it was up to
		 * 1.7x as slow), trying it costs less.  Its first one
		 * after as many batches as the ring holds: each batch's
		 * packets are paged in then (pipe_auto()). */
		if (pl->made - pl->win_from >= (!pl->trying ? pl->window :
		    !pl->warm[pl->rdec] ? pl->n_b : (pl->window + 3) / 4))
			want = pipe_auto(pl);
		break;
	case CAPTURE_PIPE_SPLIT_READER:
		want = true;
		break;
	case CAPTURE_PIPE_SPLIT_FLIP:
		want = !pl->rdec;
		break;
	default:
		want = false;
		break;
	}
	if (want && !pl->rdec)
		pipe_wait(pl, pl->undec_until);
	pl->rdec = want;
	pl->cur->decoded = want;
}

/*
 * With mu held: whether the reader screens the next batch.  By default
 * when it has the time -- the sensor is half a ring or more behind (just
 * woken from a full ring, it is) -- so that the work goes where a core is
 * free: the reader, screening, falls back until the sensor has caught up
 * half the ring, and stops.  Screened or not, a record comes out the same
 * (capture_pipe_config.screen).  Measured: bench/README.md "Sixth
 * session".
 */
static bool
pipe_screens(const struct capture_pipe *pl)
{
	switch (pl->screen == NULL ? CAPTURE_PIPE_SCREEN_NONE :
	    pl->screen_when) {
	case CAPTURE_PIPE_SCREEN_ALL:
		return true;
	case CAPTURE_PIPE_SCREEN_NONE:
		return false;
	default:
		return pl->made - pl->done >= pl->n_b / 2;
	}
}

/* With mu held: publishes cur and waits for the next slot, choosing who
 * decodes it unless keep (a record decoded here goes in it).  false when
 * told to stop. */
static bool
pipe_publish(struct capture_pipe *pl, bool keep, bool swap)
{
	if (!pl->cur->decoded)
		pl->undec_until = pl->made + 1;
	pl->win_recs += pl->cur->n;
	pl->made++;
	if (pl->s_wait && (pl->made - pl->done >= pl->n_b / 4 || swap))
		pthread_cond_signal(&pl->to_sensor);
	if (pl->made - pl->done >= pl->n_b)
		pipe_wait(pl, pl->made - pl->n_b / 2);
	pl->cur = &pl->b[pl->made % pl->n_b];
	pl->cur->n = 0;
	pl->cur->end = ERR_OK;
	pl->cur->used = 0;
	pl->cur->decoded = pl->rdec;
	pl->cur->screened = pipe_screens(pl);
	if (!keep && pl->dec != NULL && !pl->stop)
		pipe_split(pl);
	return !pl->stop;
}

/* capture_bufs.swap: ends the batch that used `old`, which is free once
 * the sensor has released it, and waits for the oldest buffer. */
static int
pipe_swap(void *arg, uint8_t *old, uint8_t **out, size_t *cap, size_t want)
{
	struct capture_pipe *pl = arg;
	struct pipe_buf *nb;
	uint64_t until;
	size_t i;
	uint8_t *p;
	int r = ERR_OK;

	pthread_mutex_lock(&pl->mu);
	if (old != NULL && pl->cur->n > 0) {
		pl->cur->offset = capture_offset(pl->cap);
		if (!pipe_publish(pl, false, true))
			r = ERR_IO;
	}
	for (i = 0; i < pl->n_buf && old != NULL; i++)
		if (pl->buf[i].p == old)
			pl->buf[i].free_at = pl->made;
	/* Round robin: the oldest first, never the one just left (its
	 * straddling record is still to be copied out of it). */
	nb = &pl->buf[pl->next_buf];
	if (r == ERR_OK && pl->done < nb->free_at) {
		/* Asleep anyway: until half the ring is free. */
		until = nb->free_at;
		for (i = 1; i < pl->n_buf / 2; i++)
			if (pl->buf[(pl->next_buf + i) % pl->n_buf].free_at >
			    until)
				until = pl->buf[(pl->next_buf + i) %
				    pl->n_buf].free_at;
		pipe_wait(pl, until);
	}
	pl->next_buf = (pl->next_buf + 1) % pl->n_buf;
	if (pl->stop)
		r = ERR_IO;
	pthread_mutex_unlock(&pl->mu);
	if (r != ERR_OK)
		return r;
	if (nb->cap < want || (nb->cap > pl->buf_len && want <= pl->buf_len)) {
		/*
		 * A record larger than a buffer: nobody reads this one, it
		 * grows (to CAP_RECORD_MAX at most).  Grown once, it goes back
		 * to its size when taken for smaller ones, so large records
		 * met once do not stay in memory times the ring.
		 */
		if ((p = realloc(nb->p, want > pl->buf_len ? want :
		    pl->buf_len)) == NULL)
			return ERR_NOMEM;
		nb->p = p;
		nb->cap = want > pl->buf_len ? want : pl->buf_len;
	}
	*out = nb->p;
	*cap = nb->cap;
	return ERR_OK;
}

/*
 * Decodes the record at b->pkts[b->n] into its slot of the batch, in
 * place.  A reassembled datagram (in the decoder's buffer, which its
 * next datagram reuses) is copied to the batch's arena; a record whose
 * datagram does not fit ends b, and goes on to the next batch.  The
 * batch it is in, or NULL when told to stop.
 */
static struct pipe_batch *
pipe_decode(struct capture_pipe *pl, struct pipe_batch *b)
{
	struct capture_pkt *cp = &b->pkts[b->n];
	struct pkt *p = (struct pkt *)(void *)(b->head + b->n * HEAD_STRIDE);
	size_t pay = 0, need;
	uint8_t *at;
	int r;

	r = decode_pkt(pl->dec, p, cp->data, cp->caplen, cp->len,
	    cp->linktype, cp->ts_sec);
	if (r == ERR_OK) {
		p->frame = cp->frame;
		p->ts_sec = cp->ts_sec;
		p->ts_nsec = cp->ts_nsec;
		if (p->payload_len > 0 && (p->payload < cp->data ||
		    p->payload >= cp->data + cp->caplen))
			pay = p->payload_len;
		need = (pay + 7) & ~(size_t)7;
		if (need > 0 && b->used + need > pl->arena) {
			pthread_mutex_lock(&pl->mu);
			b->offset = capture_offset(pl->cap);
			if (!pipe_publish(pl, true, false)) {
				pthread_mutex_unlock(&pl->mu);
				return NULL;
			}
			pthread_mutex_unlock(&pl->mu);
			pl->cur->pkts[0] = *cp;
			b = pl->cur;
			memcpy(b->head, p, sizeof(*p));
			p = (struct pkt *)(void *)b->head;
		}
		if (pay > 0) {
			at = b->arena + b->used;
			memcpy(at, p->payload, pay);
			p->payload = at;
			b->used += need;
		}
	}
	b->res[b->n] = (int8_t)r;
	return b;
}

/* The screen's verdict on the record at b->pkts[b->n]: with the packet
 * decoded here, or for the sensor to decode (none when it did not decode
 * here). */
static void
pipe_screen(struct capture_pipe *pl, struct pipe_batch *b)
{
	const struct pkt *p = NULL;

	if (b->decoded) {
		if (b->res[b->n] != ERR_OK) {
			b->scr[b->n] = 0;
			return;
		}
		p = (const struct pkt *)(const void *)(b->head +
		    b->n * HEAD_STRIDE);
	}
	b->scr[b->n] = pl->screen(pl->screen_arg, &b->pkts[b->n], p);
}

static void *
pipe_reader(void *arg)
{
	struct capture_pipe *pl = arg;
	struct pipe_batch *b;
	char errbuf[ERRBUF_LEN];
	int r;

	pl->win_cpu0 = cpu_ns();
	for (;;) {
		b = pl->cur;
		/*
		 * The sensor read this batch's lines last, on its core:
		 * each store of a record there waited for the line to be
		 * taken back from it (capture_next() was a quarter of
		 * this thread on mix).  Asked for, to write, PIPE_WAHEAD
		 * records early, the lines come while the records before
		 * are framed.
		 */
		if (b->n + PIPE_WAHEAD < pl->batch) {
			pipe_want(&b->pkts[b->n + PIPE_WAHEAD]);
			if (b->decoded) {
				pipe_want(b->head + (b->n + PIPE_WAHEAD) *
				    HEAD_STRIDE);
				pipe_want(b->head + (b->n + PIPE_WAHEAD) *
				    HEAD_STRIDE + 64);
			}
		}
		r = capture_next(pl->cap, &b->pkts[b->n], errbuf);
		if (pl->cur != b) {
			/* A buffer change ended b inside capture_next():
			 * its slot n, past what the sensor reads, holds the
			 * record. */
			pl->cur->pkts[0] = b->pkts[b->n];
			b = pl->cur;
		}
		if (r == ERR_OK && b->decoded &&
		    (b = pipe_decode(pl, b)) == NULL)
			break;
		if (r == ERR_OK && b->screened)
			pipe_screen(pl, b);
		if (r == ERR_OK && ++b->n < pl->batch)
			continue;
		pthread_mutex_lock(&pl->mu);
		b->offset = capture_offset(pl->cap);
		if (r != ERR_OK) {
			b->end = r;
			/* ERR_END leaves errbuf as it was: unset. */
			if (r != ERR_END)
				memcpy(pl->err, errbuf, sizeof(pl->err));
			/* The last thing the reader does with cap. */
			pl->made++;
			if (pl->s_wait)
				pthread_cond_signal(&pl->to_sensor);
			pthread_mutex_unlock(&pl->mu);
			break;
		}
		if (!pipe_publish(pl, false, false)) {
			pthread_mutex_unlock(&pl->mu);
			break;
		}
		pthread_mutex_unlock(&pl->mu);
	}
	return NULL;
}

int
capture_pipe_next(struct capture_pipe *pl, const struct capture_pkt **pkts,
    size_t *n, char *errbuf)
{
	struct pipe_batch *b;
	uint64_t t;

	for (;;) {
		if (pl->end != ERR_OK) {
			memcpy(errbuf, pl->err, ERRBUF_LEN);
			return pl->end;
		}
		t = pl->split == CAPTURE_PIPE_SPLIT_AUTO && pl->holding ?
		    now_ns() : 0;
		pthread_mutex_lock(&pl->mu);
		if (pl->holding) {
			if (t != 0) {
				pl->s_busy[pl->held->decoded] += t - pl->s_got;
				pl->s_recs[pl->held->decoded] += pl->held->n;
			}
			pl->done++;
			pl->holding = false;
			if (pl->r_wait && pl->done >= pl->r_until)
				pthread_cond_signal(&pl->to_reader);
		}
		while (pl->done == pl->made) {
			pl->s_wait = true;
			pthread_cond_wait(&pl->to_sensor, &pl->mu);
		}
		pl->s_wait = false;
		pthread_mutex_unlock(&pl->mu);
		/* Batch `done` is the sensor's until the next call. */
		b = &pl->b[pl->done % pl->n_b];
		pl->holding = true;
		pl->held = b;
		if (pl->split == CAPTURE_PIPE_SPLIT_AUTO)
			pl->s_got = now_ns();
		pl->offset = b->offset;
		pl->end = b->end;
		if (b->n > 0) {
			*pkts = b->pkts;
			*n = b->n;
			return ERR_OK;
		}
	}
}

int
capture_pipe_decoded(const struct capture_pipe *pl, size_t i,
    struct pkt *out)
{
	const struct pipe_batch *b = pl->held;
	const struct pkt *h;
	int r;

	if (b == NULL || !b->decoded || i >= b->n)
		return ERR_UNSUPPORTED;
	if ((r = b->res[i]) != ERR_OK)
		return r;
	h = (const struct pkt *)(const void *)(b->head + i * HEAD_STRIDE);
	memcpy(out, h, HEAD_LEN);
	if (out->n_encap > 0)
		memcpy(out->encap, h->encap,
		    (size_t)out->n_encap * sizeof(struct encap));
	return ERR_OK;
}

bool
capture_pipe_is_decoded(const struct capture_pipe *pl)
{
	return pl->held != NULL && pl->held->decoded;
}

const uint32_t *
capture_pipe_screened(const struct capture_pipe *pl)
{
	return pl->held != NULL && pl->held->screened ? pl->held->scr : NULL;
}

uint64_t
capture_pipe_offset(const struct capture_pipe *pl)
{
	return pl->offset;
}

void
capture_pipe_stop(struct capture_pipe *pl)
{
	if (!pl->running)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->stop = true;
	pthread_cond_broadcast(&pl->to_reader);
	pthread_mutex_unlock(&pl->mu);
	pthread_join(pl->thread, NULL);
	pl->running = false;
}

void
capture_pipe_free(struct capture_pipe *pl)
{
	size_t i;

	if (pl == NULL)
		return;
	capture_pipe_stop(pl);
	pthread_cond_destroy(&pl->to_sensor);
	pthread_cond_destroy(&pl->to_reader);
	pthread_mutex_destroy(&pl->mu);
	for (i = 0; pl->b != NULL && i < pl->n_b; i++) {
		free(pl->b[i].pkts);
		free(pl->b[i].res);
		free(pl->b[i].arena);
		free(pl->b[i].scr);
	}
	for (i = 0; pl->buf != NULL && i < pl->n_buf; i++)
		free(pl->buf[i].p);
	free(pl->heads);
	free(pl->b);
	free(pl->buf);
	free(pl);
}

int
capture_pipe_new(struct capture_pipe **out, struct capture *cap,
    const struct capture_pipe_config *cfg, char *errbuf)
{
	struct capture_bufs cb;
	struct capture_pipe *pl;
	size_t i, len, hl;
	void *v;
	int r;

	/*
	 * A file the open read whole leaves the thread nothing to overlap:
	 * it is read on the caller's (starting the thread and its ring
	 * cost 115 page faults, a quarter of an empty capture's start-up).
	 * KASAUDIT_PIPE_SMALL (tests/run-workers) takes them through the
	 * pipe too.
	 */
	if (capture_all_read(cap) && getenv("KASAUDIT_PIPE_SMALL") == NULL)
		return ERR_UNSUPPORTED;
	/*
	 * Nor a pipe (tcpdump -U -w - | kasaudit read -): a batch is handed
	 * over at 512 records, so a slow pipe's matches would wait for
	 * traffic that may not come; on one thread each is audited as it
	 * arrives.
	 */
	if (capture_is_stream(cap))
		return ERR_UNSUPPORTED;
	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		goto nomem;
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->to_reader, NULL);
	pthread_cond_init(&pl->to_sensor, NULL);
	pl->cap = cap;
	pl->n_b = cfg != NULL && cfg->batches >= 2 ? cfg->batches :
	    CAPTURE_PIPE_BATCHES;
	pl->batch = cfg != NULL && cfg->batch > 0 ? cfg->batch :
	    CAPTURE_PIPE_BATCH;
	/* Two at least: a buffer is never taken again right as it is
	 * left (pipe_swap()). */
	pl->n_buf = cfg != NULL && cfg->bufs >= 2 ? cfg->bufs :
	    CAPTURE_PIPE_BUFS;
	len = cfg != NULL && cfg->buf_len > 0 ? cfg->buf_len :
	    CAPTURE_PIPE_BUF_LEN;
	pl->buf_len = len;
	if ((pl->b = aligned_alloc(PIPE_LINE, pl->n_b * sizeof(*pl->b))) ==
	    NULL)
		goto nomem;
	memset(pl->b, 0, pl->n_b * sizeof(*pl->b));
	if ((pl->buf = calloc(pl->n_buf, sizeof(*pl->buf))) == NULL)
		goto nomem;
	for (i = 0; i < pl->n_b; i++)
		if ((pl->b[i].pkts = calloc(pl->batch,
		    sizeof(*pl->b[i].pkts))) == NULL)
			goto nomem;
	if (cfg != NULL && cfg->screen != NULL) {
		pl->screen = cfg->screen;
		pl->screen_arg = cfg->screen_arg;
		pl->screen_when = cfg->screen_when;
		for (i = 0; i < pl->n_b; i++)
			if ((pl->b[i].scr = malloc(pl->batch *
			    sizeof(*pl->b[i].scr))) == NULL)
				goto nomem;
		pl->b[0].screened = pipe_screens(pl);
	}
	if (cfg != NULL && cfg->dec != NULL &&
	    cfg->split != CAPTURE_PIPE_SPLIT_SENSOR) {
		pl->dec = cfg->dec;
		pl->split = cfg->split;
		pl->explore = CAPTURE_PIPE_EXPLORE;
		pl->window = cfg->window > 0 ? cfg->window :
		    CAPTURE_PIPE_WINDOW;
		/* The first batch: the reader's with SPLIT_READER; else the
		 * sensor's, as without a decoder (SPLIT_FLIP: from the sensor
		 * to the reader first). */
		pl->rdec = pl->split == CAPTURE_PIPE_SPLIT_READER;
		pl->b[0].decoded = pl->rdec;
		pl->arena = cfg->arena > CAPTURE_PIPE_ARENA_MIN ? cfg->arena :
		    cfg->arena > 0 ? CAPTURE_PIPE_ARENA_MIN :
		    CAPTURE_PIPE_ARENA;
		/*
		 * The decoded packets of every batch (4 MiB by default:
		 * 512 bytes a record) in one block that may be huge
		 * pages: paged in when the reader first decodes.  In 4
		 * KiB pages, the 960 KiB this was took 240 faults, 6 ms
		 * on the bench VM (a window of 16 batches: 7 ms, against
		 * 1.6 with a huge page), 5 % of reading dns-heavy at
		 * 0.25.  Untouched until then.
		 */
		hl = (pl->n_b * pl->batch * HEAD_STRIDE + PIPE_HUGE - 1) &
		    ~(size_t)(PIPE_HUGE - 1);
		if (posix_memalign(&v, PIPE_HUGE, hl) != 0)
			goto nomem;
		pl->heads = v;
#ifdef MADV_HUGEPAGE
		(void)madvise(v, hl, MADV_HUGEPAGE);
#endif
		for (i = 0; i < pl->n_b; i++) {
			pl->b[i].head = pl->heads + i * pl->batch *
			    HEAD_STRIDE;
			if ((pl->b[i].res = malloc(pl->batch)) == NULL ||
			    (pl->b[i].arena = malloc(pl->arena)) == NULL)
				goto nomem;
		}
	}
	/* Buffer 0 is the one the open read into, which the reader goes
	 * on with (for bytes in memory, a first swap takes it). */
	for (i = 1; i < pl->n_buf; i++) {
		if ((pl->buf[i].p = malloc(len)) == NULL)
			goto nomem;
		pl->buf[i].cap = len;
	}
	pl->cur = &pl->b[0];
	cb.swap = pipe_swap;
	cb.arg = pl;
	if ((r = capture_set_bufs(cap, &cb, &pl->buf[0].p,
	    &pl->buf[0].cap)) != ERR_OK) {
		capture_pipe_free(pl);
		return r;
	}
	if (pl->buf[0].p == NULL) {
		if ((pl->buf[0].p = malloc(len)) == NULL)
			goto nomem;
		pl->buf[0].cap = len;
	}
	pl->next_buf = 1;
	(void)pthread_once(&pipe_once, pipe_probe_prefetchw);
	if (pthread_create(&pl->thread, NULL, pipe_reader, pl) != 0) {
		/* cap reads through our buffers now: it cannot go on
		 * without them (the caller fails the input). */
		capture_pipe_free(pl);
		snprintf(errbuf, ERRBUF_LEN, "no thread for the reader");
		return ERR_NOMEM;
	}
	pl->running = true;
	*out = pl;
	return ERR_OK;
nomem:
	capture_pipe_free(pl);
	snprintf(errbuf, ERRBUF_LEN, "no memory for the reader's buffers");
	return ERR_NOMEM;
}
