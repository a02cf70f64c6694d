/* dnstap.h - resolvers' dnstap logs: Frame Streams framing (libfstrm's
 * control frames) and the dnstap protobuf (protobuf-c), bytes in, messages out. */
#ifndef KASAUDIT_DNSTAP_H
#define KASAUDIT_DNSTAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

#define DNSTAP_CONTENT_TYPE	"protobuf:dnstap.Dnstap"
/* A data frame larger than this is refused: two DNS messages of 64 KiB and
 * the resolver's names fit with room to spare. */
#define DNSTAP_FRAME_MAX	(256u * 1024)
/* What a stream must buffer at most: one frame and its length. */
#define DNSTAP_BUF_MAX		(DNSTAP_FRAME_MAX + 8)
#define DNSTAP_NAME_MAX		256	/* identity, version kept */

/* dnstap Message.type values kasaudit tells apart (dnstap.proto). */
enum dnstap_type {
	DNSTAP_RESOLVER_QUERY = 3,
	DNSTAP_RESOLVER_RESPONSE = 4,
	DNSTAP_CLIENT_QUERY = 5,
	DNSTAP_CLIENT_RESPONSE = 6
};

/* What one frame of a stream was. */
enum dnstap_ev {
	DNSTAP_EV_DATA,		/* data: a dnstap protobuf */
	DNSTAP_EV_READY,	/* bidirectional: answer with ACCEPT */
	DNSTAP_EV_START,
	DNSTAP_EV_STOP		/* bidirectional: answer with FINISH */
};

struct dnstap_event {
	enum dnstap_ev	 kind;
	const uint8_t	*data;		/* DATA: the frame, borrowed */
	size_t		 data_len;
	size_t		 used;		/* bytes of the input this frame took */
};

/*
 * A Frame Streams stream as its reader sees it: a file (unidirectional,
 * START first) or a connection (bidirectional: READY, then START).  Owns
 * one fstrm_control for decoding control frames.
 */
struct dnstap_stream;

struct dnstap_stream *dnstap_stream_new(bool bidi);
void	dnstap_stream_free(struct dnstap_stream *);	/* NULL-safe */

/*
 * The next frame at the start of [p, p + len).  ERR_OK: *ev says what it
 * was (ev->used bytes taken).  ERR_SHORT: *need bytes in all are needed.
 * ERR_MALFORMED: the stream cannot go on; errbuf says why (without a
 * name or offset: the caller knows them).  A STOP makes the stream wait
 * for a new START (READY) again: files may be concatenated.
 */
int	dnstap_stream_next(struct dnstap_stream *, const uint8_t *p,
	    size_t len, struct dnstap_event *ev, size_t *need, char *errbuf);

/*
 * A control frame this side sends: ACCEPT with the dnstap content type, or
 * FINISH, with its escape and length, into buf (at least 64 bytes).
 * Returns its length, or 0.
 */
size_t	dnstap_control(uint8_t *buf, size_t cap, bool accept);

/* One decoded dnstap message; pointers borrowed from the decoder until
 * its next dnstap_decode(). */
struct dnstap_msg {
	int		 type;		/* Message.type (enum dnstap_type) */
	uint8_t		 proto;		/* 6 TCP (and DoT, DoH), 17 UDP */
	struct addr	 query_addr;	/* family 0 when absent */
	struct addr	 response_addr;
	uint16_t	 query_port;
	uint16_t	 response_port;
	int64_t		 ts_sec;	/* the message's own time */
	uint32_t	 ts_nsec;
	const uint8_t	*dns;		/* query or response message */
	size_t		 dns_len;
	const uint8_t	*identity;	/* the resolver's; NULL when absent */
	size_t		 identity_len;
	const uint8_t	*version;
	size_t		 version_len;
};

struct dnstap_dec;		/* opaque: an arena for protobuf-c */

struct dnstap_dec *dnstap_dec_new(void);
void	dnstap_dec_free(struct dnstap_dec *);		/* NULL-safe */

/*
 * Decodes one data frame.  ERR_OK and *m filled; ERR_MALFORMED with errbuf
 * saying why (not a dnstap protobuf, no message, an address of the wrong
 * size, no DNS message).  No allocation: protobuf-c allocates from the
 * decoder's arena, emptied on each call.
 */
int	dnstap_decode(struct dnstap_dec *, const uint8_t *p, size_t len,
	    struct dnstap_msg *m, char *errbuf);

/* Whether the first bytes of an input look like a dnstap file: an escape,
 * a START control frame naming the dnstap content type (or none). */
bool	dnstap_sniff(const uint8_t *p, size_t len);

#endif
