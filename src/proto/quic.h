/* quic.h - QUIC client Initial packets: decryption and CRYPTO frames (RFC 9000, 9001, 9369).
 * The ClientHello it yields goes through tls.c like a TCP one. */
#ifndef KASAUDIT_QUIC_H
#define KASAUDIT_QUIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define QUIC_V1		0x00000001u
#define QUIC_V2		0x6b3343cfu
#define QUIC_DRAFT29	0xff00001du	/* as v1, with its own salt */
#define QUIC_DRAFT27	0xff00001bu	/* draft-23 to -28 share a salt */
#define QUIC_DRAFT34	0xff000022u	/* v1's salt */
#define QUIC_MVFST22	0xfaceb001u	/* Facebook mvfst: draft-22's salt */
#define QUIC_MVFST27	0xfaceb002u	/* draft-27's salt */
#define QUIC_T051	0x54303531u	/* Google QUIC over TLS: own salt */
#define QUIC_Q050	0x51303530u	/* Google QUIC Crypto: own salt, a CHLO
					   (gquic.h) in CRYPTO frames */
#define QUIC_CLIENT_DGRAM_MIN	1200	/* RFC 9000 14.1 */
#define QUIC_CID_MAX	20
#define QUIC_MAX_FRAGS	64	/* CRYPTO frames listed per datagram */

struct quic_frag {
	uint64_t	 off;		/* offset in the CRYPTO stream */
	const uint8_t	*data;		/* into the caller's scratch */
	size_t		 len;
};

struct quic_initial {
	uint32_t	 version;	/* of the first Initial in the datagram */
	uint8_t		 dcid_len;	/* that packet's Destination CID */
	uint8_t		 dcid[QUIC_CID_MAX];
	unsigned	 n_packets;	/* Initial packets decrypted */
	unsigned	 n_failed;	/* Initial packets that did not decrypt */
	size_t		 n_frags;
	struct quic_frag frags[QUIC_MAX_FRAGS];
	bool		 frags_dropped;	/* more CRYPTO frames than QUIC_MAX_FRAGS */
};

/* The client Initial secrets of one connection ID (RFC 9001 5.1, 5.2). */
struct quic_keys {
	uint8_t		 secret[32];	/* client_initial_secret */
	uint8_t		 key[16];	/* AEAD_AES_128_GCM key */
	uint8_t		 iv[12];
	uint8_t		 hp[16];	/* header protection (AES-ECB) key */
};

struct quic;			/* opaque: cipher contexts made at the first
				   Initial, reused */

/* NULL on allocation failure. */
struct quic	*quic_new(void);
void		 quic_free(struct quic *);	/* NULL-safe */

/*
 * The versions read: v1 (RFC 9000), v2 (RFC 9369), the IETF drafts 21 to
 * 34 (each with its draft's initial salt), Facebook mvfst's 0xfaceb001,
 * 0xfaceb002 and 0xfaceb00e, and Google's T050 and T051 (IETF header, TLS
 * in CRYPTO frames numbered 0x08, each its own salt) and Q050 (the same
 * Initials, its own salt, but Google's CHLO in the CRYPTO frames: the
 * caller reads them with gquic_chlo(), by quic_initial.version).
 */

/*
 * Cheap test of a UDP payload: a long-header packet of a version read here
 * whose type is Initial, first or behind other long-header packets of the
 * datagram.  No decryption.
 */
bool	quic_is_initial(const uint8_t *dgram, size_t len);

enum quic_other {
	QUIC_OTHER_NONE,	/* not a client's long header, or read here */
	QUIC_OTHER_RESERVED,	/* 0x?a?a?a?a (RFC 9000 15): forces version
				   negotiation, carries nothing to read */
	QUIC_OTHER_UNKNOWN,	/* a version not read here (gQUIC Q046, Q050,
				   a new one) */
};

/*
 * For a datagram that is no Initial read here: whether it looks like a
 * client's first datagram of another QUIC version (a long header by the
 * invariants of RFC 8999, version not 0, padded to 1200 bytes or more as
 * RFC 9000 14.1 asks of clients).  *version is set unless QUIC_OTHER_NONE.
 */
enum quic_other	quic_other_version(const uint8_t *dgram, size_t len,
		    uint32_t *version);

/*
 * Derives the client Initial keys of a version read here for a
 * Destination Connection ID (cid_len <= QUIC_CID_MAX), as
 * quic_client_initial() does; for tests and tools.  ERR_OK: *k filled.
 * ERR_UNSUPPORTED: another version.  ERR_MALFORMED: cid too long.
 * ERR_NOMEM: libcrypto failed.
 */
int	quic_client_keys(struct quic *, uint32_t version, const uint8_t *cid,
	    size_t cid_len, struct quic_keys *k);

/*
 * Reads every coalesced packet of a datagram sent by a client.  For each
 * Initial of a version read here (at most 64), derives the client Initial keys
 * (RFC 9001 5.2, RFC 9369 3.3) from odcid (the Destination Connection ID of
 * the client's first Initial on this flow; when odcid_len is 0 the packet's
 * own DCID is used), removes header protection, decrypts the payload into
 * scratch (scratch_len must be at least len) and lists its CRYPTO frames,
 * which point into scratch.  Other packets (Handshake, 0-RTT) are skipped;
 * a short header, zero padding, a Retry or another version ends the walk.
 * When a packet does not decrypt with the odcid keys and its own DCID
 * differs, its own DCID is tried too: after a Retry (RFC 9001 5.2) the
 * client derives new keys from the Retry's connection ID.  Each decrypted
 * packet's header, packet number unprotected, is written to scratch just
 * before its plaintext, the first at scratch[0].  ERR_OK: *out filled, with
 * at least one Initial decrypted.  ERR_NOTFOUND: no Initial in the
 * datagram.  ERR_MALFORMED: Initial packets were there but none decrypted
 * (wrong keys or damage), or odcid_len > QUIC_CID_MAX.  ERR_FULL:
 * scratch_len < len.  *out is written on ERR_OK, and on ERR_MALFORMED when
 * Initials were there (n_packets 0, n_failed counting them, no frames).  Cipher contexts
 * live in struct quic and are reused, and the keys of recent connection
 * IDs are cached there, so the common case allocates nothing.
 */
int	quic_client_initial(struct quic *, const uint8_t *dgram, size_t len,
	    const uint8_t *odcid, size_t odcid_len, uint8_t *scratch,
	    size_t scratch_len, struct quic_initial *out);

#endif
