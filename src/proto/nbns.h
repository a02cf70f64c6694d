/* nbns.h - NetBIOS name registrations (RFC 1002 4.2.2, 4.2.4): which name
 * a machine claims for which address. */
#ifndef KASAUDIT_NBNS_H
#define KASAUDIT_NBNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

#define NBNS_NAME_LEN	16		/* 15 characters and the NUL */

struct nbns_reg {
	uint8_t		 opcode;	/* 5 registration, 8/9 refresh, 15
					   multi-homed registration */
	char		 name[NBNS_NAME_LEN];	/* trailing spaces removed */
	size_t		 name_len;
	uint8_t		 suffix;	/* the 16th byte: the name's type */
	bool		 group;		/* NB_FLAGS G */
	struct addr	 addr;		/* NB_ADDRESS (IPv4) */
};

/*
 * Reads a name registration or refresh request: its question name (a
 * 32-byte first-level encoded label, RFC 1001 14.1; a scope is ignored)
 * and the NB record of its additional section.  ERR_NOTFOUND: a valid
 * message of another kind (a query, a response); ERR_MALFORMED: a
 * registration that does not parse.
 */
int	nbns_parse_reg(const uint8_t *msg, size_t len, struct nbns_reg *r);

#endif
