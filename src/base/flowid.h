/* flowid.h - SHA-1 (FIPS 180-4 6.1) and the Community ID v1 flow hash
 * (corelight community-id-spec) that lets events be joined with IDS logs. */
#ifndef KASAUDIT_FLOWID_H
#define KASAUDIT_FLOWID_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define SHA1_LEN		20
/* "1:" and the base64 of a SHA-1 (28 characters), NUL. */
#define FLOWID_LEN		31

struct sha1 {
	uint32_t	h[5];
	uint64_t	n;		/* bytes hashed so far */
	uint8_t		buf[64];
};

void	sha1_init(struct sha1 *);
void	sha1_update(struct sha1 *, const void *, size_t);
void	sha1_final(struct sha1 *, uint8_t out[SHA1_LEN]);

/*
 * The Community ID v1 of the flow between a:aport and b:bport over IP
 * protocol proto (either direction gives the same ID), into buf of
 * FLOWID_LEN bytes.  Ports count for TCP (6), UDP (17) and SCTP (132)
 * only; ICMP's type/code mapping is not done (we see no ICMP flows).
 * Returns buf; "" when the two addresses are not of one family.
 */
const char	*flowid_community(char *buf, uint16_t seed, uint8_t proto,
		    const struct addr *a, uint16_t aport,
		    const struct addr *b, uint16_t bport);

#endif
