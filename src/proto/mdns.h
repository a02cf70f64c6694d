/* mdns.h - the names a multicast DNS (RFC 6762) or LLMNR (RFC 4795)
 * responder gives for its own address. */
#ifndef KASAUDIT_MDNS_H
#define KASAUDIT_MDNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

#define MDNS_NAME_LEN	256		/* labels joined by '.', NUL included */
#define MDNS_MAX_RRS	64		/* records read per message */

struct mdns_own {
	bool		 ptr;		/* the target of a PTR of its address;
					   else the owner of its A/AAAA */
	size_t		 len;
	char		 name[MDNS_NAME_LEN];	/* bytes as on the wire */
};

/*
 * Reads a response's answer, authority and additional records: the owner
 * of each A or AAAA record whose address is self, and the target of each
 * PTR record whose owner is self's reverse name (in-addr.arpa, ip6.arpa),
 * each name once, at most max, into out[0..*n).  ERR_NOTFOUND: a query;
 * ERR_MALFORMED: the message does not parse (what was found before the
 * fault is in out[0..*n)).
 */
int	mdns_own_names(const uint8_t *msg, size_t len, const struct addr *self,
	    struct mdns_own *out, size_t max, size_t *n);

#endif
