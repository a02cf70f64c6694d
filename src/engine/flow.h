/* flow.h - the connection table and the first bytes of each TCP stream.
 * Fixed capacity: a full table evicts the least recently used, counted. */
#ifndef KASAUDIT_FLOW_H
#define KASAUDIT_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"
#include "err.h"

#define FLOW_APP_LEN	64	/* per-flow bytes for the consumer's state */

struct flow_config {
	size_t		 max_flows;	/* --max-flows */
	size_t		 n_buffers;	/* stream buffers held at once */
	size_t		 stream_bytes;	/* --stream-bytes: per direction */
	unsigned	 tcp_idle;	/* seconds of packet time */
	unsigned	 udp_idle;
};

struct flow_stats {
	uint64_t	 created;
	uint64_t	 evicted;	/* least recently used, table full */
	uint64_t	 expired;	/* idle timeout */
	uint64_t	 active;	/* now */
	uint64_t	 active_max;
	uint64_t	 stolen;	/* buffers taken from the stalest
					   stream for a new one */
	uint64_t	 no_buffer;	/* a stream needed a buffer: none */
	uint64_t	 capped;	/* streams with bytes past the window */
	uint64_t	 gaps;		/* streams given up with a hole */
	uint64_t	 holes_full;	/* segments dropped: too many holes */
	uint64_t	 out_of_order;	/* segments placed ahead of a hole */
	uint64_t	 retransmits;	/* segments with nothing new */
	uint64_t	 overlaps;	/* segments overlapping held bytes */
	uint64_t	 rebased;	/* a segment before the guessed start */
	uint64_t	 holes_skipped;	/* parsers resynced past a hole */
	uint64_t	 restarts;	/* streams restarted at a message start */
};

enum flow_dir {
	FLOW_C2S = 0,		/* from the side the table calls the client */
	FLOW_S2C = 1
};

struct flow_table;		/* opaque */
struct flow;			/* opaque: a slot in the table */

/*
 * Reserves every slot and buffer now; their pages are touched only as flows
 * and streams use them.  NULL on allocation failure.
 */
struct flow_table *flow_new(const struct flow_config *);
void		 flow_free(struct flow_table *);	/* NULL-safe */
const struct flow_stats *flow_stats(const struct flow_table *);

/*
 * Finds or creates the flow of a TCP or UDP packet, first expiring flows
 * idle for longer than their timeout at packet time ts.  When the table is
 * full the least recently used flow is evicted (counted).  *dir says which
 * way the packet goes.  The client is the sender of a SYN, the receiver of a
 * SYN-ACK, else the side with the higher port (the sender on a tie).
 * A SYN with another initial sequence number than the flow's (a client
 * that reused its port) starts the flow afresh.
 * A new flow's app area is zeroed and *is_new set.  Borrowed until the next
 * flow_get().  NULL only when max_flows is 0.
 */
struct flow	*flow_get(struct flow_table *, const struct pkt *, int64_t ts,
		    enum flow_dir *dir, bool *is_new);

/* FLOW_APP_LEN bytes that belong to the caller, aligned for any type. */
void		*flow_app(struct flow *);

/*
 * Adds a TCP segment's payload to the stream of direction dir and sets *view
 * to the stream's contiguous bytes from the window start (stream offset 0
 * at first; see flow_consume()).  Segments may come in any order,
 * retransmitted or overlapping: bytes already held win.  Without a SYN the
 * first segment seen is taken as the start, moved back if an earlier one
 * turns up before anything was consumed.  A view that is the packet itself
 * (in-order, nothing held) costs no copy; flow_commit() keeps what the
 * parser did not use.  A view is never longer than stream_bytes.  ERR_OK:
 * *view has bytes.  ERR_NOTFOUND: nothing new at the window start (out of
 * order, retransmit, stream done).
 */
int	flow_tcp_segment(struct flow_table *, struct flow *, enum flow_dir dir,
	    const struct pkt *, struct cur *view);

/*
 * The same for a stream whose pieces carry their own offset (QUIC CRYPTO
 * frames): places [off, off + len) of the stream relative to the window
 * start, always in a buffer.  Results as flow_tcp_segment().
 */
int	flow_stream_put(struct flow_table *, struct flow *, enum flow_dir dir,
	    uint64_t off, const uint8_t *data, size_t len, struct cur *view);

/*
 * True while the window start of a TCP direction is only a guess: no SYN
 * seen and nothing consumed, so an earlier segment may still move it back.
 * Bytes that look like no protocol there may be the middle of a message
 * whose start is late (a reordered capture), not a reason to give up.
 */
bool	flow_start_guessed(const struct flow *, enum flow_dir dir);

/* Drops n bytes from the window start (a parsed message, a skipped body). */
void	flow_consume(struct flow_table *, struct flow *, enum flow_dir dir,
	    uint64_t n);

/*
 * Ends the handling of one segment: bytes of a zero-copy view not consumed
 * are copied into a buffer (ERR_FULL and the stream given up, counted in
 * no_buffer, when none is free).
 */
int	flow_commit(struct flow_table *, struct flow *, enum flow_dir dir);

/*
 * The stream's contiguous bytes from the window start as they are now (after
 * flow_consume(), say).  ERR_NOTFOUND when there are none.
 */
int	flow_view(struct flow_table *, struct flow *, enum flow_dir dir,
	    struct cur *view);

/*
 * When the window start is a hole that min_segments or more later segments
 * have been held behind, gives up on the missing bytes: the window moves to
 * the first held byte (counted in gaps and holes_skipped) and *view shows
 * what follows.  For parsers at a message boundary that can resync (DNS
 * over TCP, HTTP).  ERR_NOTFOUND when there is no such hole.
 */
int	flow_skip_hole(struct flow_table *, struct flow *, enum flow_dir dir,
	    unsigned min_segments, struct cur *view);

/*
 * Starts the stream of direction dir over at this segment (a message start
 * found after bytes nobody could parse): everything held is dropped and
 * *view is the segment itself, committed like any zero-copy view.
 * ERR_NOTFOUND when the segment has no payload.
 */
int	flow_restart(struct flow_table *, struct flow *, enum flow_dir dir,
	    const struct pkt *p, struct cur *view);

/*
 * The next flow in use from *pos on (table order: the same for the same
 * input), for a last look at the end of the input; NULL after the last.
 * Start with *pos = 0.
 */
struct flow	*flow_next_used(struct flow_table *, size_t *pos);

/*
 * A packet standing for the flow's last one, as if sent in direction dir:
 * addresses, ports, protocol, the last packet's time (whole seconds) and
 * frame (either direction), no payload.
 */
void	flow_as_pkt(const struct flow *, enum flow_dir dir, struct pkt *);

/*
 * Ends every flow, as at the end of the input: what streams still held
 * (holes, bytes a parser was waiting on) is counted and released.
 */
void	flow_flush(struct flow_table *);

/* No more interest in this direction: its buffer goes back to the pool. */
void	flow_done(struct flow_table *, struct flow *, enum flow_dir dir);
bool	flow_is_done(const struct flow *, enum flow_dir dir);

#endif
