/* capture_pipe.c - kasaudit read --workers: a reader thread frames records
 * in a ring of buffers and hands batches of them, uncopied, to the sensor.
 *
 * How the work is split, and why the outputs stay the same for every N:
 * the line has two stages.  The reader thread does everything up to a
 * struct capture_pkt: read() (or decompression), the framing of pcap and
 * pcapng records and the -f filter.  The caller's thread (the sensor)
 * does all the rest -- decode, reassembly, audit, DNS-answer attribution,
 * aggregation, events and evidence -- one record after the other in file
 * order, exactly as with one thread.  So nothing that depends on order is
 * split: a DNS answer is always audited before every later connection it
 * attributes, the flow table, the caps and what they refuse are the same,
 * and every report, event and evidence file is byte for byte the one
 * `--workers 1` writes.  A third stage (decode on a thread of its own)
 * would have to hand over packets that point into defragmentation and
 * tunnel buffers; it is not done, and more workers than 2 add nothing yet.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_pipe.h"

struct pipe_batch {
	struct capture_pkt	*pkts;
	size_t			 n;
	int			 end;		/* ERR_OK, or the last word */
	uint64_t		 offset;	/* capture_offset() after it */
};

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
	struct pipe_batch	*cur;		/* the reader's, filling */

	struct pipe_buf		*buf;
	size_t			 n_buf;
	size_t			 buf_len;	/* each but a grown one */
	size_t			 next_buf;	/* round robin */

	int			 end;		/* sticky, for the sensor */
	uint64_t		 offset;	/* of the last batch given */
	char			 err[ERRBUF_LEN];	/* the reader's last */
};

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

/* With mu held: publishes cur and waits for the next slot.  false when
 * told to stop. */
static bool
pipe_publish(struct capture_pipe *pl)
{
	pl->made++;
	if (pl->s_wait && pl->made - pl->done >= pl->n_b / 4)
		pthread_cond_signal(&pl->to_sensor);
	if (pl->made - pl->done >= pl->n_b)
		pipe_wait(pl, pl->made - pl->n_b / 2);
	pl->cur = &pl->b[pl->made % pl->n_b];
	pl->cur->n = 0;
	pl->cur->end = ERR_OK;
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
		if (!pipe_publish(pl))
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

static void *
pipe_reader(void *arg)
{
	struct capture_pipe *pl = arg;
	struct pipe_batch *b;
	char errbuf[ERRBUF_LEN];
	int r;

	for (;;) {
		b = pl->cur;
		r = capture_next(pl->cap, &b->pkts[b->n], errbuf);
		if (pl->cur != b) {
			/* A buffer change ended b inside capture_next():
			 * its slot n, past what the sensor reads, holds the
			 * record. */
			pl->cur->pkts[0] = b->pkts[b->n];
			b = pl->cur;
		}
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
		if (!pipe_publish(pl)) {
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

	for (;;) {
		if (pl->end != ERR_OK) {
			memcpy(errbuf, pl->err, ERRBUF_LEN);
			return pl->end;
		}
		pthread_mutex_lock(&pl->mu);
		if (pl->holding) {
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
		pl->offset = b->offset;
		pl->end = b->end;
		if (b->n > 0) {
			*pkts = b->pkts;
			*n = b->n;
			return ERR_OK;
		}
	}
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
	for (i = 0; pl->b != NULL && i < pl->n_b; i++)
		free(pl->b[i].pkts);
	for (i = 0; pl->buf != NULL && i < pl->n_buf; i++)
		free(pl->buf[i].p);
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
	size_t i, len;
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
	if ((pl->b = calloc(pl->n_b, sizeof(*pl->b))) == NULL ||
	    (pl->buf = calloc(pl->n_buf, sizeof(*pl->buf))) == NULL)
		goto nomem;
	for (i = 0; i < pl->n_b; i++)
		if ((pl->b[i].pkts = calloc(pl->batch,
		    sizeof(*pl->b[i].pkts))) == NULL)
			goto nomem;
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
