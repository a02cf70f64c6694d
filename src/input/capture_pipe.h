/* capture_pipe.h - a saved capture read on a thread of its own, its records
 * handed to the caller's thread in batches, in file order, uncopied. */
#ifndef KASAUDIT_CAPTURE_PIPE_H
#define KASAUDIT_CAPTURE_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "decode.h"

/*
 * The ring: buffer 0 is the open's (1 MiB, holding what it read ahead,
 * this long once reused), the others this long.  Measured on the bench mix and dns-heavy at 0.25
 * (interleaved runs, medians of 9, a loaded 2-vCPU VM): 4 x 1 MiB, 4 x
 * 256 KiB and 8 x 256 KiB, batches of 256, 512 and 1024 all within the
 * noise in CPU and wall time; 256 KiB buffers take 576 fewer page faults
 * than 1 MiB ones.  Defined here unless the build defines them (-D), for
 * such comparisons.
 */
#ifndef CAPTURE_PIPE_BUFS
#define CAPTURE_PIPE_BUFS	4		/* read buffers in the ring */
#define CAPTURE_PIPE_BUF_LEN	(256u * 1024)	/* each, to start with */
#define CAPTURE_PIPE_BATCH	512		/* records a batch */
#define CAPTURE_PIPE_BATCHES	16		/* batches in flight */
#endif

/*
 * With a decoder: bytes a batch keeps for what a decoded packet holds
 * outside its record (a reassembled datagram's payload).  Never less
 * than one such packet's worth, CAPTURE_PIPE_ARENA_MIN: a record that
 * does not fit ends its batch.
 */
#define CAPTURE_PIPE_ARENA_MIN	65536u
#define CAPTURE_PIPE_ARENA	(96u * 1024)

/*
 * Who decodes, with a decoder (capture_pipe.c says why each is the same
 * to the outputs).  AUTO: whichever makes the slower side faster, judged
 * every CAPTURE_PIPE_WINDOW batches from what a record cost each side
 * under either split, the other one tried again now and then; the sensor
 * first.  READER, SENSOR: always that one.  FLIP: every other batch
 * (tests: the decoder handed back and forth).
 */
enum capture_pipe_split {
	CAPTURE_PIPE_SPLIT_AUTO,
	CAPTURE_PIPE_SPLIT_READER,
	CAPTURE_PIPE_SPLIT_SENSOR,
	CAPTURE_PIPE_SPLIT_FLIP,
};
#define CAPTURE_PIPE_WINDOW	32		/* batches */
#define CAPTURE_PIPE_EXPLORE	16		/* windows, at first */

/* When the reader screens a batch: when it has the time (the sensor is
 * half a ring behind), always, or never (tests, measurements). */
enum capture_pipe_screen {
	CAPTURE_PIPE_SCREEN_AUTO,
	CAPTURE_PIPE_SCREEN_ALL,
	CAPTURE_PIPE_SCREEN_NONE,
};

struct capture_pipe_config {
	size_t		 bufs;		/* 0: the defaults above */
	size_t		 buf_len;
	size_t		 batch;
	size_t		 batches;
	/*
	 * A decoder (decode_new()) that the reader thread may run on the
	 * records, in file order, as the caller would have: on the batches
	 * capture_pipe_is_decoded() says; the caller decodes the others
	 * with it, in turn, and reads its counters only after
	 * capture_pipe_stop().  NULL: the caller decodes every record.
	 */
	struct decode	*dec;
	enum capture_pipe_split split;
	size_t		 arena;		/* 0: CAPTURE_PIPE_ARENA */
	size_t		 window;	/* 0: CAPTURE_PIPE_WINDOW */
	/*
	 * A screen the reader may run on records of batches it has time
	 * for (capture_pipe.c says when): on a record and the packet it
	 * decoded of it, or NULL when the batch is the caller's to decode.
	 * What it returns is the caller's (capture_pipe_screened()), 0
	 * when it says nothing.  It must depend on nothing but the record
	 * and what does not change while the pipe runs: which records it
	 * was run on must not change the outputs.  NULL: none.
	 */
	uint32_t	(*screen)(void *arg, const struct capture_pkt *,
			    const struct pkt *);
	void		*screen_arg;
	enum capture_pipe_screen screen_when;
};

struct capture_pipe;		/* opaque: defined in capture_pipe.c */

/*
 * Starts a thread that reads cap (opened, its filter set, nothing read
 * yet) with capture_next().  cap is the pipe's from now on: the caller
 * touches it again only after capture_pipe_free().  ERR_UNSUPPORTED when
 * cap cannot be read so (capture_set_bufs()), or need not (a file the
 * open read whole: capture_all_read()): nothing was started, cap is as it
 * was, read it on this thread.  ERR_NOMEM (errbuf set) without memory or
 * a thread.  cfg may be NULL.
 */
int	capture_pipe_new(struct capture_pipe **, struct capture *cap,
	    const struct capture_pipe_config *cfg, char *errbuf);

/*
 * The next batch: *n >= 1 records at *pkts, in the order capture_next()
 * returned them, their data valid until the next call.  Then what
 * capture_next() returned at the end, once, and again on every call:
 * ERR_END, or an error with errbuf as capture_next() wrote it.
 */
int	capture_pipe_next(struct capture_pipe *,
	    const struct capture_pkt **pkts, size_t *n, char *errbuf);

/* Whether the reader decoded the batch last returned; if not, the caller
 * decodes its records, in order, before the next call. */
bool	capture_pipe_is_decoded(const struct capture_pipe *);

/* What the screen said of each record of the batch last returned (0:
 * nothing), or NULL when it was not screened. */
const uint32_t *capture_pipe_screened(const struct capture_pipe *);

/*
 * Record i of the batch last returned, decoded by the reader:
 * decode_pkt()'s result, and on ERR_OK *out filled (frame and time set
 * from the record), valid as long as the record.  Only for a batch
 * capture_pipe_is_decoded().
 */
int	capture_pipe_decoded(const struct capture_pipe *, size_t i,
	    struct pkt *out);

/* capture_offset() as of the end of the last batch returned. */
uint64_t capture_pipe_offset(const struct capture_pipe *);

/* Stops the reader (at once, if it is still reading) and waits for its
 * thread: cap is then the caller's again (its stats complete).  Once. */
void	capture_pipe_stop(struct capture_pipe *);

/* Stops it if not yet, and frees the pipe and its buffers; not cap.
 * NULL-safe. */
void	capture_pipe_free(struct capture_pipe *);

#endif
