/* anon.h - keyed prefix-preserving address pseudonyms (Crypto-PAn).
 * Used by the sensor before anything is aggregated, and for -n files. */
#ifndef KASAUDIT_ANON_H
#define KASAUDIT_ANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

/*
 * Crypto-PAn (Xu, Fan, Ammar, Moon, ICNP 2002): bit i of the pseudonym is
 * bit i of the address XOR the first bit of AES-128 over the address's first
 * i bits padded with a secret.  So two addresses that share their first n
 * bits have pseudonyms that share their first n bits, and nothing else is
 * kept: subnets stay subnets, the mapping is one to one per family, and the
 * same key always gives the same pseudonyms (reports made apart can be
 * joined).  IPv6 uses the same construction over 128 bits.
 */
#define ANON_KEY_LEN	32	/* 16 bytes AES key, 16 bytes pad secret */

struct anon;			/* opaque: defined in anon.c */

/*
 * From 32 key bytes.  ERR_UNSUPPORTED (errbuf says so) in a build without
 * libcrypto (QUIC=0); ERR_NOMEM or ERR_IO when libcrypto fails.
 */
int	anon_new(struct anon **, const uint8_t key[ANON_KEY_LEN],
	    char *errbuf);

/*
 * From a key file holding exactly 32 bytes, or 64 hexadecimal digits
 * (surrounding white space allowed).  ERR_IO (cannot read) or
 * ERR_MALFORMED (neither form) with errbuf "path: why"; else what
 * anon_new() returns.
 */
int	anon_load(struct anon **, const char *path, char *errbuf);

void	anon_free(struct anon *);		/* NULL-safe */

/* True when this build can pseudonymise (it has libcrypto). */
bool	anon_available(void);

/*
 * The pseudonym of src into dst (may be the same object).  Other families
 * are copied unchanged.  Should libcrypto fail, dst gets family 0 (never
 * the address itself).  No allocation.
 */
void	anon_addr(struct anon *, struct addr *dst, const struct addr *src);

#endif
