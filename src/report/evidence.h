/* evidence.h - the packets behind a report, written out as pcapng.
 * Each packet carries a comment: file, frame and the names it matched. */
#ifndef KASAUDIT_EVIDENCE_H
#define KASAUDIT_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"
#include "decode.h"
#include "err.h"

/*
 * The evidence file is always pcapng (draft-ietf-opsawg-pcapng), little
 * endian, one section.  Inputs may mix link types and snap lengths, which
 * classic pcap cannot hold, so each (link type, snaplen) pair met gets an
 * Interface Description Block of its own, written just before its first
 * packet, with nanosecond time stamps (if_tsresol 9).  Each packet keeps its
 * captured bytes, its length on the wire and its time, and carries a comment
 * naming where it came from ("FILE:FRAME") and why (the names matched).
 */
#define EVIDENCE_IFACES_MAX	256
#define EVIDENCE_COMMENT_MAX	1024	/* bytes of comment per packet */
#define EVIDENCE_SNAP_BIG	262144	/* for records over their snaplen */

struct evidence_stats {
	uint64_t	 packets;	/* written */
	uint64_t	 bytes;		/* captured bytes written */
	uint64_t	 no_iface;	/* not written: beyond
					   EVIDENCE_IFACES_MAX pairs */
	uint64_t	 before_epoch;	/* times before 1970 written as 0 */
	unsigned	 ifaces;	/* IDBs written */
};

struct evidence;		/* opaque: defined in evidence.c */

/*
 * Starts the file on fp (borrowed: the caller closes it after
 * evidence_finish()) with a Section Header Block naming app ("kasaudit
 * 0.1.0").  ERR_NOMEM or ERR_IO.
 */
int	evidence_new(struct evidence **, FILE *fp, const char *app);

/*
 * Appends one packet record as an Enhanced Packet Block; comment (may be
 * NULL, need not end in NUL) is cut to EVIDENCE_COMMENT_MAX bytes at a
 * character boundary, and bytes that are not valid UTF-8 or are control
 * characters become "\xHH".  ERR_IO once a write failed (sticky);
 * ERR_FULL (counted) when the packet would need interface number
 * EVIDENCE_IFACES_MAX + 1.
 */
int	evidence_write(struct evidence *, const struct capture_pkt *,
	    const char *comment, size_t comment_len);

/* Flushes; ERR_IO if any write failed. */
int	evidence_finish(struct evidence *);

const struct evidence_stats *evidence_stats(const struct evidence *);

void	evidence_free(struct evidence *);	/* NULL-safe */

/*
 * A set of flows, for "every packet of a flow that had a match": keyed by
 * protocol and both address:port ends, either way round (a reply belongs to
 * its request's flow).  Other IP protocols are keyed with ports 0.  The set
 * grows up to max flows; beyond that evidence_flows_add() counts the flow in
 * refused and returns ERR_FULL (ERR_NOMEM when memory ran out first).
 */
struct evidence_flows;		/* opaque */

struct evidence_flows	*evidence_flows_new(size_t max);
void			 evidence_flows_free(struct evidence_flows *);
int			 evidence_flows_add(struct evidence_flows *,
			    const struct pkt *);
bool			 evidence_flows_has(const struct evidence_flows *,
			    const struct pkt *);
size_t			 evidence_flows_count(const struct evidence_flows *);
uint64_t		 evidence_flows_refused(const struct evidence_flows *);

#endif
