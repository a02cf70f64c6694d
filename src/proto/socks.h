/* socks.h - SOCKS 4, 4a and 5 client requests (RFC 1928, RFC 1929).
 * Pure: a client request in, the name or address it asks for out. */
#ifndef KASAUDIT_SOCKS_H
#define KASAUDIT_SOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

#define SOCKS_NAME_LEN	1024	/* presentation form as dns.h, NUL included */

/* What the client side of a SOCKS exchange has sent so far. */
enum socks_msg {
	SOCKS_GREETING,		/* SOCKS 5 method list */
	SOCKS_AUTH,		/* RFC 1929 username/password */
	SOCKS_REQUEST		/* CONNECT / BIND / UDP ASSOCIATE */
};

struct socks_req {
	enum socks_msg	 msg;
	uint8_t		 version;	/* 4 or 5 */
	uint8_t		 cmd;		/* 1 CONNECT, 2 BIND, 3 UDP */
	bool		 has_name;	/* 4a or 5 with a domain name */
	char		 name[SOCKS_NAME_LEN];	/* lower case, \DDD escapes */
	struct addr	 addr;		/* when the target is an address */
	uint16_t	 port;
	size_t		 len;		/* bytes this message took */
};

/*
 * Cheap test of a stream's first bytes for a SOCKS 4 request or a SOCKS 5
 * greeting.  Needs the whole first message; false when unsure.
 */
bool	socks_is_start(const uint8_t *buf, size_t len);

/*
 * Parses the next client message at buf; `after_greeting` says a SOCKS 5
 * greeting was already consumed (so the next is an auth or a request).
 * ERR_OK: *req filled, req->len bytes used.  ERR_SHORT: more bytes needed.
 * ERR_MALFORMED: not SOCKS.
 */
int	socks_client_msg(const uint8_t *buf, size_t len, bool after_greeting,
	    struct socks_req *req);

#endif
