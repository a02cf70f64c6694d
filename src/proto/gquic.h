/* gquic.h - Google QUIC's own handshake: the client's CHLO message and the
 * unencrypted packets (Q039-Q045 public header, Q046 long header) it rides in. */
#ifndef KASAUDIT_GQUIC_H
#define KASAUDIT_GQUIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "tls.h"

#define GQUIC_Q043	0x51303433u	/* "Q043" */
#define GQUIC_Q046	0x51303436u	/* "Q046" */
#define GQUIC_Q050	0x51303530u	/* "Q050": read through quic.c */
#define GQUIC_TAGS_MAX	128		/* entries of a CHLO, as Chromium's
					   crypto framer allows */
#define GQUIC_MAX_FRAGS	16		/* stream 1 frames listed per packet */

/* What a CHLO said, besides its server name. */
struct gquic_chlo {
	uint16_t	 n_tags;
	uint32_t	 ver;		/* "VER\0": the version it speaks, or 0 */
	const uint8_t	*uaid;		/* "UAID", into the message; NULL if none */
	size_t		 uaid_len;
};

/*
 * Parses a CHLO handshake message (tag "CHLO", uint16 entries, 2 bytes of
 * padding, entries of a tag and a uint32 end offset, then the values;
 * integers little-endian) at the start of msg, and sets h's server name
 * from its "SNI\0" value through tls_sni_set().  h is cleared first; its
 * TLS-only fields stay empty.  ERR_OK: *h and *c (c may be NULL) filled;
 * has_sni false when the CHLO has no SNI.  ERR_SHORT: msg ends before the
 * message does (more bytes of the crypto stream to come).  ERR_NOTFOUND:
 * not a CHLO (another message: REJ, SHLO).  ERR_MALFORMED: more than
 * GQUIC_TAGS_MAX entries, end offsets decreasing or past the message, a
 * bad name.  ERR_FULL: the name is longer than h->sni.
 */
int	gquic_chlo(const uint8_t *msg, size_t len, struct tls_hello *h,
	    struct gquic_chlo *c);

struct gquic_frag {
	uint64_t	 off;		/* in stream 1 */
	const uint8_t	*data;		/* into the datagram */
	size_t		 len;
};

struct gquic_packet {
	uint32_t	 version;	/* as on the wire, "Q0nn" */
	bool		 readable;	/* a layout read here (Q039-Q046) */
	size_t		 n_frags;
	struct gquic_frag frags[GQUIC_MAX_FRAGS];
	bool		 frags_dropped;	/* more than GQUIC_MAX_FRAGS */
};

/*
 * Cheap test of a UDP payload: a Google QUIC client packet that carries its
 * version: the public header of Q0nn with the version flag and an 8-byte
 * connection ID, or the long header of Q046 (IETF-like, "Q046", a byte of
 * connection ID lengths 0x50: Destination 8 bytes, Source none; Q048 and
 * later have another layout).  No frame is read.
 */
bool	gquic_is_client(const uint8_t *dgram, size_t len, uint32_t *version);

/*
 * Reads a client packet gquic_is_client() accepts: its header, the 12-byte
 * message authentication hash (not verified: the frames that follow must
 * parse, and the crypto stream must open with a tag, which only a plaintext
 * does), then its frames (big-endian since Q039), listing the data of
 * STREAM frames on stream 1, the crypto stream.  Q039 to Q045 with the
 * public header and Q046 with the long header are read (readable set); for
 * other versions, only out->version is set.  ERR_OK: at least one frame of
 * stream 1.  ERR_NOTFOUND: not such a packet, or a layout not read.
 * ERR_MALFORMED: the frames do not parse (an encrypted packet) or carry no
 * stream 1 data.  out->version is set unless ERR_NOTFOUND for a packet
 * gquic_is_client() refuses.
 */
int	gquic_client_packet(const uint8_t *dgram, size_t len,
	    struct gquic_packet *out);

#endif
