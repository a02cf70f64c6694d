/* progress.h - the one-line progress bar of long reads (text only).
 * Pure: no clock reads and no output of its own. */
#ifndef KASAUDIT_PROGRESS_H
#define KASAUDIT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Holds no clock and prints nothing: the caller passes the time (seconds
 * since some fixed point, e.g. CLOCK_MONOTONIC) and writes the line where
 * it wants.  The caller reads the clock only every PROGRESS_EVERY packets,
 * so a fast read does not pay for it per packet.
 */
#define PROGRESS_EVERY	65536u		/* packets between clock reads */
#define PROGRESS_PERIOD	0.25		/* seconds between lines, at most */
#define PROGRESS_LINE	96		/* buffer; 79 columns are used */

struct progress {
	uint64_t	 total;		/* bytes of all inputs; 0: unknown */
	double		 start;
	double		 last;		/* when the last line was made */
	bool		 drawn;		/* a line is on the screen */
};

void	progress_start(struct progress *, uint64_t total_bytes, double now);

/* True when a new line is due (PROGRESS_PERIOD after the last one). */
bool	progress_due(const struct progress *, double now);

/*
 * Writes the line for `done` bytes and `packets` read so far into buf of
 * PROGRESS_LINE bytes, at most 79 columns, no newline:
 *   "[#########...........]  45%  1.2 GiB of 2.6 GiB  350k pkt/s  0:42 left"
 * With an unknown total: "1.2 GiB read  350k pkt/s".  Marks the line drawn
 * at now.  Returns buf.
 */
const char *progress_line(struct progress *, char *buf, uint64_t done,
	    uint64_t packets, double now);

#endif
