/* source_pipe.c - the "file-workers" row of source.c: kasaudit read
 * --workers 2 or more; the reader thread and its hand-off: capture_pipe.c. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_pipe.h"
#include "source_pipe.h"

/*
 * The capture is opened and given its filter on the caller's thread, as
 * the "file" row does; the reader thread starts at the first read.  An
 * input whose records cannot outlive the next read (a window-mapped file,
 * KASAUDIT_MMAP) is read on the caller's thread, as by the "file" row.
 */
struct pipe_src {
	struct capture		*cap;
	struct capture_pipe	*pl;
	struct audit_screen	*scr;		/* the reader's */
	bool			 started;
};

/* KASAUDIT_PIPE_SPLIT (tests/run-workers): who decodes; by default
 * whichever thread has the time (capture_pipe.h). */
static enum capture_pipe_split
pipe_split_env(void)
{
	const char *e = getenv("KASAUDIT_PIPE_SPLIT");

	if (e == NULL)
		return CAPTURE_PIPE_SPLIT_AUTO;
	if (strcmp(e, "reader") == 0)
		return CAPTURE_PIPE_SPLIT_READER;
	if (strcmp(e, "sensor") == 0)
		return CAPTURE_PIPE_SPLIT_SENSOR;
	if (strcmp(e, "flip") == 0)
		return CAPTURE_PIPE_SPLIT_FLIP;
	return CAPTURE_PIPE_SPLIT_AUTO;
}

/* KASAUDIT_PIPE_SCREEN (tests/run-workers): which batches the reader
 * screens; by default those it has the time for (capture_pipe.c). */
static enum capture_pipe_screen
pipe_screen_env(void)
{
	const char *e = getenv("KASAUDIT_PIPE_SCREEN");

	if (e != NULL && strcmp(e, "all") == 0)
		return CAPTURE_PIPE_SCREEN_ALL;
	if (e != NULL && strcmp(e, "none") == 0)
		return CAPTURE_PIPE_SCREEN_NONE;
	return CAPTURE_PIPE_SCREEN_AUTO;
}

static uint32_t
pipe_screen(void *arg, const struct capture_pkt *cp, const struct pkt *p)
{
	return sensor_screen(arg, cp, p);
}

int
pipe_open(void **state, const char *spec, const struct source_config *sc,
    char *errbuf)
{
	struct pipe_src *ps;
	int r;

	if ((ps = calloc(1, sizeof(*ps))) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: out of memory", spec);
		return ERR_NOMEM;
	}
	if ((r = capture_open_file_prefix(&ps->cap, spec, sc != NULL ?
	    sc->prefix : NULL, sc != NULL ? sc->prefix_len : 0, errbuf)) !=
	    ERR_OK) {
		free(ps);
		return r;
	}
	*state = ps;
	return ERR_OK;
}

int
pipe_filter(void *state, const char *expr, char *errbuf)
{
	return capture_set_filter(((struct pipe_src *)state)->cap, expr,
	    errbuf);
}

/*
 * Measured on mix at scale 1 (11 interleaved runs, medians, 2 vCPU):
 * --workers 2 0.326 -> 0.263 s wall, 0.551 -> 0.446 s CPU; 4 or 12
 * ahead, or a third line, the same or worse; dns-heavy 0.326 -> 0.320.
 */
#define PIPE_AHEAD	8

int
pipe_next(void *state, struct sensor *s, struct sensor_input *in,
    size_t max, char *errbuf)
{
	struct pipe_src *ps = state;
	struct capture_pipe_config cfg;
	const struct capture_pkt *pk;
	const uint32_t *scr;
	struct capture_pkt cp;
	struct pkt p;
	size_t n = 0, k, i;
	bool dec;
	int r;

	if (!ps->started) {
		ps->started = true;
		/* The reader thread may decode too, with the sensor's
		 * decoder (capture_pipe.c says why the outputs stay the
		 * same). */
		memset(&cfg, 0, sizeof(cfg));
		cfg.dec = sensor_decoder(s);
		cfg.split = pipe_split_env();
		/* And screen DNS messages (sensor_screen()) when it has the
		 * time; without memory for a screen, it does not. */
		if ((ps->scr = sensor_screen_new(s)) != NULL) {
			cfg.screen = pipe_screen;
			cfg.screen_arg = ps->scr;
			cfg.screen_when = pipe_screen_env();
		}
		r = capture_pipe_new(&ps->pl, ps->cap, &cfg, errbuf);
		if (r != ERR_OK && r != ERR_UNSUPPORTED)
			return r;
		if (ps->pl == NULL) {		/* read on this thread */
			sensor_screen_free(ps->scr);
			ps->scr = NULL;
		}
	}
	if (ps->pl == NULL) {
		for (; n < max; n++) {
			if ((r = capture_next(ps->cap, &cp, errbuf)) != ERR_OK)
				return r;
			sensor_packet(s, in, &cp);
		}
		return ERR_OK;
	}
	/* Whole batches: max only paces the progress line. */
	while (n < max) {
		if ((r = capture_pipe_next(ps->pl, &pk, &k, errbuf)) != ERR_OK)
			return r;
		dec = capture_pipe_is_decoded(ps->pl);
		scr = capture_pipe_screened(ps->pl);
		for (i = 0; i < k; i++) {
			/*
			 * The records were read on the reader's core: their
			 * first bytes are in its cache, not this one's, and
			 * each first look at one waited for them.  Asked for
			 * PIPE_AHEAD records before they are audited (the
			 * batch holds them all in place), they arrive while
			 * the ones before are.  Here in the loop: in a
			 * function of its own GCC 12 found no effect and
			 * dropped the call.
			 */
			if (i + PIPE_AHEAD < k) {
				__builtin_prefetch(pk[i + PIPE_AHEAD].data);
				if (pk[i + PIPE_AHEAD].caplen > 64)
					__builtin_prefetch(
					    pk[i + PIPE_AHEAD].data + 64);
			}
			if (scr != NULL && scr[i] != 0)
				sensor_packet_screened(s, in, &pk[i], scr[i]);
			else if (!dec)
				sensor_packet(s, in, &pk[i]);
			else
				sensor_packet_decoded(s, in, &pk[i],
				    capture_pipe_decoded(ps->pl, i, &p), &p);
		}
		n += k;
	}
	return ERR_OK;
}

void
pipe_close(void *state)
{
	struct pipe_src *ps = state;

	if (ps == NULL)
		return;
	capture_pipe_free(ps->pl);		/* the reader joined */
	sensor_screen_free(ps->scr);
	capture_close(ps->cap);
	free(ps);
}

const char *
pipe_format(void *state)
{
	return capture_format(((struct pipe_src *)state)->cap);
}

uint64_t
pipe_offset(void *state)
{
	struct pipe_src *ps = state;

	return ps->pl != NULL ? capture_pipe_offset(ps->pl) :
	    capture_offset(ps->cap);
}

/* After the reader has stopped: its counts are whole and ours to read. */
uint64_t
pipe_filtered(void *state)
{
	struct pipe_src *ps = state;

	if (ps->pl != NULL)
		capture_pipe_stop(ps->pl);
	return capture_stats(ps->cap)->filtered;
}
