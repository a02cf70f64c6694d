/* proxyhdr.h - the PROXY protocol header, v1 (text) and v2 (binary), that
 * load balancers put before a TCP stream (haproxy's proxy-protocol.txt). */
#ifndef KASAUDIT_PROXYHDR_H
#define KASAUDIT_PROXYHDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

#define PROXY_V1_MAX	107	/* the longest v1 line, CRLF included */
#define PROXY_V2_MIN	16	/* signature, version and command, family,
				   length */

struct proxy_hdr {
	uint8_t		 version;	/* 1 or 2 */
	bool		 has_addr;	/* TCP over IPv4 or IPv6, command PROXY
					   (not LOCAL, UNKNOWN, UNIX or UDP) */
	struct addr	 src;		/* the original client */
	struct addr	 dst;
	uint16_t	 sport;
	uint16_t	 dport;
	size_t		 len;		/* bytes the header takes */
};

/*
 * Cheap test of a stream's first bytes: "PROXY " (v1) or the first 8 bytes
 * of the v2 signature (more of it when there).  False with fewer.
 */
bool	proxy_is_start(const uint8_t *buf, size_t len);

/*
 * Parses the header at buf.  ERR_OK: *h filled, the stream proper starts
 * h->len bytes on.  ERR_SHORT: the header is not whole yet (*need more
 * bytes at least when known, else 0; need may be NULL).  ERR_NOTFOUND: no
 * PROXY header.  ERR_MALFORMED: a broken header (v1: a line over 107
 * bytes, a protocol other than TCP4, TCP6 or UNKNOWN, addresses that do
 * not parse or are not of that family, a port that is not 0-65535 in
 * decimal without a leading zero; v2: a version other than 2, a command
 * other than LOCAL or PROXY, an address block shorter than its family
 * needs).  Addresses of UNKNOWN (v1), LOCAL or AF_UNSPEC, AF_UNIX and
 * datagram (v2) headers are not taken: has_addr false.  TLVs are skipped.
 */
int	proxy_header(const uint8_t *buf, size_t len, struct proxy_hdr *h,
	    size_t *need);

#endif
