/* decode_link.h - the less common link layers (NFLOG, PPP, Cisco HDLC,
 * PKTAP, 802.11 with radiotap, Prism or AVS headers) down to what follows. */
#ifndef KASAUDIT_DECODE_LINK_H
#define KASAUDIT_DECODE_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"

/* What a link header leads to. */
enum dlink {
	DLINK_ETHERTYPE,	/* a frame of ethertype *type (no LLC) */
	DLINK_RAW,		/* an IP packet: its version nibble says */
	DLINK_INNER,		/* a frame of link type *inner (PKTAP) */
	DLINK_NOT_IP,		/* control, management, other protocols */
	DLINK_PROTECTED,	/* an encrypted 802.11 data frame */
	DLINK_SHORT,		/* the header ran past the captured bytes */
	DLINK_BAD,		/* the header cannot be what it claims */
};

/* True for the link types decode_link() reads. */
bool		decode_link_ok(int linktype);

/*
 * Reads the link header of a frame of linktype at *c and leaves *c on
 * what follows it (for NFLOG: the payload attribute's bytes only).
 * Source and destination MACs of an 802.11 data frame go into pkt.
 * No allocation; every length is checked against the cursor.
 */
enum dlink	decode_link(int linktype, struct cur *c, struct pkt *pkt,
		    uint16_t *type, int *inner);

#endif
