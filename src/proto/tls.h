/* tls.h - TLS ClientHello: server_name, ALPN, versions, ECH (RFC 8446, RFC 6066).
 * Pure: reports bytes used and bytes needed for split hellos. */
#ifndef KASAUDIT_TLS_H
#define KASAUDIT_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define TLS_NAME_LEN	1024	/* presentation form, as dns.h, NUL included */
#define TLS_ALPN_LEN	128	/* "h2,http/1.1", truncated at a comma */
#define TLS_HELLO_MAX	(64 * 1024)	/* a ClientHello larger is refused */

struct tls_hello {
	uint16_t	 legacy_version;	/* ClientHello.legacy_version */
	uint16_t	 max_version;	/* highest non-GREASE supported_versions
					   entry, else legacy_version */
	bool		 has_sni;
	bool		 sni_is_ip;	/* an IP literal, against RFC 6066 */
	bool		 ech;		/* encrypted_client_hello (0xfe0d):
					   the SNI may be only the public
					   name; GREASE ECH (Chrome, Firefox)
					   looks the same and carries the
					   real name */
	size_t		 sni_len;
	char		 sni[TLS_NAME_LEN];	/* host_name, lower case, bytes
					   outside 0x21-0x7e as \DDD, '\' as
					   \\, one trailing dot removed */
	char		 alpn[TLS_ALPN_LEN];	/* protocols joined by ',' */
};

/*
 * Cheap test of a stream's first bytes: a TLS handshake record (content type
 * 22, version 3.0 to 3.4).  Needs 3 bytes; false with fewer.
 */
bool	tls_is_handshake_record(const uint8_t *buf, size_t len);

/*
 * Parses the ClientHello at the start of a TCP stream: TLS records (type 22)
 * whose payloads are joined, in order, in scratch (scratch_len bytes, at
 * least the size of the ClientHello; TLS_HELLO_MAX always suffices), so a
 * ClientHello spread over several records and segments is read whole.
 * ERR_OK: *h filled, and *used is how many bytes of the stream the records
 * that carried it take (as far as they are there).  ERR_SHORT: the stream
 * ends before the ClientHello does: call again once *need more bytes (at
 * least) have come.  used and need may be NULL.  ERR_NOTFOUND: not a TLS handshake, or the
 * first handshake message is not a ClientHello.  ERR_MALFORMED: broken
 * lengths.  ERR_FULL: the ClientHello is larger than scratch (or
 * TLS_HELLO_MAX), or its host_name does not fit in sni[].  An SSLv2-format
 * ClientHello (first byte 0x80 or more) is ERR_NOTFOUND: it has no SNI.
 * *h is written only on ERR_OK.
 */
int	tls_client_hello_stream(const uint8_t *stream, size_t len,
	    uint8_t *scratch, size_t scratch_len, struct tls_hello *h,
	    size_t *used, size_t *need);

/*
 * Parses a handshake message (type, 24-bit length, body) that must be a
 * ClientHello, as found in QUIC CRYPTO data.  Same results as above.
 */
int	tls_client_hello_msg(const uint8_t *msg, size_t len, struct tls_hello *h);

/*
 * Sets h's server name from a host_name's bytes as a ClientHello's
 * server_name carries them (len > 0), with the checks TLS's own get: escaped
 * as dns.h writes names, one trailing dot removed, IP literals flagged.
 * Other protocols' name fields (Google QUIC's CHLO "SNI") use it too.
 * ERR_OK: has_sni set.  ERR_FULL: longer than sni[].  ERR_MALFORMED: the
 * name is only ".".
 */
int	tls_sni_set(struct tls_hello *h, const uint8_t *name, size_t len);

/*
 * Whether name (len bytes, as tls_hello.sni) is a documented ECH
 * client-facing (public) name.  GREASE ECH and real ECH look alike on the
 * wire by design (draft-ietf-tls-esni 6.2), so only such a name makes a
 * hello's server_name an outer name rather than its destination.
 */
bool	tls_ech_public_name(const char *name, size_t len);

#endif
