/* http.h - HTTP/1.x request heads: Host, CONNECT, absolute-form targets (RFC 9112).
 * Pure parsers: they report bytes used and, when known, bytes needed. */
#ifndef KASAUDIT_HTTP_H
#define KASAUDIT_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

#define HTTP_NAME_LEN	1024	/* presentation form, NUL included */
#define HTTP_UA_LEN	256	/* User-Agent bytes kept */
#define HTTP_HEAD_MAX	(16 * 1024)	/* a longer request head is refused */
#define HTTP_FIELDS_MAX	256	/* header fields in one head */
#define HTTP_BODY_MAX	((uint64_t)1 << 62)	/* body_len saturates here */

enum http_target {
	HTTP_ORIGIN,		/* /path */
	HTTP_ABSOLUTE,		/* http://host[:port]/path (to a proxy) */
	HTTP_AUTHORITY,		/* host:port (CONNECT) */
	HTTP_ASTERISK,		/* * (OPTIONS) */
	HTTP_OTHER		/* anything else (kept as malformed target) */
};

struct http_req {
	char		 method[24];
	enum http_target target;
	bool		 has_uri_host;	/* absolute-form or authority-form */
	char		 uri_host[HTTP_NAME_LEN];	/* lower case, no port */
	uint16_t	 uri_port;	/* 0 when not given */
	bool		 has_host;	/* a Host header */
	char		 host[HTTP_NAME_LEN];	/* lower case, no port */
	uint16_t	 host_port;
	bool		 host_mismatch;	/* Host differs from the URI's host */
	bool		 has_forwarded;	/* X-Forwarded-For / Forwarded: for= */
	struct addr	 forwarded_for;	/* the first (original) client */
	size_t		 head_len;	/* bytes of request line + headers */
	uint64_t	 body_len;	/* Content-Length, 0 if none */
	bool		 chunked;	/* Transfer-Encoding: chunked */
	/* The first User-Agent, raw bytes, cut to HTTP_UA_LEN; 0 if none. */
	size_t		 ua_len;
	uint8_t		 ua[HTTP_UA_LEN];
};

/*
 * Cheap test of a stream's first bytes: a method token (an upper-case letter,
 * then upper-case letters, digits, '-' or '_'; 3 to 20 characters: "GET",
 * "CONNECT", "CCM_POST") followed by a space, or by the line end ("OPTIONS"
 * alone, seen from real clients).  Needs 4 bytes.  False when unsure, that
 * is also when the token has not ended yet: ask again with more bytes.
 */
bool	http_is_request(const uint8_t *buf, size_t len);

/*
 * Parses one request head (request line and header fields up to the empty
 * line) at the start of buf.  Names are in the presentation form of dns.h
 * (lower case; bytes outside 0x21-0x7e as \DDD, '\' as "\\", one trailing
 * dot removed); IPv6 literals keep their brackets off ("[::1]:80" gives
 * "::1"); a port that is not 1-5 digits up to 65535 reads as 0.
 *
 * ERR_OK: *req filled; the next request starts head_len + body_len bytes
 * later, or, when req->chunked, after the chunked body (http_chunked_skip).
 * ERR_SHORT: no empty line yet (call again with more).  ERR_NOTFOUND: not an
 * HTTP/1.x request (the method token is wrong, or the version is HTTP/2 or
 * later, as in the h2c preface).  ERR_MALFORMED: a broken request line or
 * header field, a name over 255 bytes, conflicting Content-Length values,
 * more than HTTP_FIELDS_MAX fields, a folded value over 4 KiB in a field
 * read here.  ERR_FULL: the head is longer than
 * HTTP_HEAD_MAX; *req then holds the names read before the cap
 * (has_uri_host, and has_host for a Host field followed by another line;
 * head_len 0, no forwarding, no body facts).  A malformed line is reported
 * as soon as it is complete, before the head is.  *req is written only on
 * ERR_OK and ERR_FULL.
 *
 * Tolerated, as real clients send them (RFC 9112 2.2): bare LF line ends; up
 * to 8 CR/LF bytes before the request line (head_len counts them);
 * whitespace before a field's colon; obs-fold continuation lines, joined
 * with a space; lines that start with whitespace before the first field,
 * ignored.  A request line without a version ("GET /", "GET /HTTP/1.1",
 * "OPTIONS") is still read as HTTP/1.x, followed by header fields: HTTP/0.9
 * is extinct and the clients that send such lines do send fields.  The
 * version is the line's last word if it starts with "HTTP/"; the target is
 * what lies between, so a target with raw spaces is kept whole.
 *
 * Targets: "/..." origin; "*" asterisk; scheme "://" authority [path]
 * absolute (any scheme, case-insensitive; userinfo up to the last '@'
 * dropped; the host ends at '/', '?', '#' or ':'); CONNECT's target must be
 * host[:port] or [v6][:port] (userinfo dropped), else it is HTTP_OTHER with
 * has_uri_host false, and the request is still ERR_OK.  has_uri_host is
 * false when the authority's host is empty.
 *
 * Fields: the first Host is kept (an empty one gives has_host false).
 * Content-Length: digits, or a list of equal values ("42, 42", RFC 9110
 * 8.6); different values, in one field or several, are ERR_MALFORMED.
 * Transfer-Encoding whose last coding is chunked wins over Content-Length
 * (RFC 9112 6.3); any other last coding means the body runs to the end of
 * the connection: body_len is HTTP_BODY_MAX.  forwarded_for is the leftmost
 * for= node of Forwarded (RFC 7239) that is an IP address, else the leftmost
 * X-Forwarded-For element that is one; "unknown", obfuscated ("_hidden") and
 * other non-address nodes are skipped; ports and brackets are dropped.
 * host_mismatch: has_uri_host, has_host and the two names differ (ports are
 * not compared).
 */
int	http_request(const uint8_t *buf, size_t len, struct http_req *req);

/*
 * Where a chunked body (RFC 9112 7.1) stands between calls.  The caller keeps
 * one per stream direction; all zero (= {0} or memset) is the start of a
 * body, and it must be zeroed again before the next chunked body.
 */
struct http_chunk_state {
	uint64_t	 left;		/* chunk-data bytes still to skip */
	uint32_t	 n_bytes;	/* size line or trailer bytes so far */
	uint8_t		 phase;		/* place in the grammar (http.c) */
	uint8_t		 n_digits;	/* hex digits of the chunk size */
};

/*
 * Skips the next piece buf[0..len) of a chunked body: chunk sizes (at most
 * 16 hex digits, extensions skipped), data, the last chunk and the trailer
 * section.  ERR_OK: the body ended; *consumed is how many bytes of buf
 * belonged to it (the next request starts at buf + *consumed).  ERR_SHORT:
 * all of buf was body (*consumed = len); call again with the bytes that
 * follow, with *st kept.  ERR_MALFORMED: not a chunked body (*consumed not
 * written).  Bare LF line ends are accepted.  Once ERR_OK was returned,
 * further calls return ERR_OK with *consumed = 0.
 */
int	http_chunked_skip(struct http_chunk_state *st, const uint8_t *buf,
	    size_t len, size_t *consumed);

#endif
