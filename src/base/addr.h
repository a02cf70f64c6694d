/* addr.h - IPv4/IPv6 addresses as plain values (header only).
 * Owns struct addr, its parsing, masking and formatting; no state. */
#ifndef KASAUDIT_ADDR_H
#define KASAUDIT_ADDR_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

/*
 * One type for both families so tables can key on it.  IPv4 lives in the
 * first four bytes of `a`; the rest stays zero, so memcmp() over the whole
 * struct orders and compares addresses (IPv4 before IPv6).
 */
struct addr {
	uint8_t		family;		/* 4 or 6; 0 = none */
	uint8_t		a[16];
};

#define ADDR_STRLEN	46		/* INET6_ADDRSTRLEN */

/*
 * The order of memcmp() over the struct (family, then the bytes), as -1, 0
 * or 1, without its call: the flow table orders a packet's two addresses
 * on every packet, and a 17-byte memcmp() was not inlined.  The bytes are
 * compared eight at a time, read big-endian, which is their memcmp order.
 */
static inline int
addr_cmp(const struct addr *x, const struct addr *y)
{
	uint64_t a, b;
	size_t i;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	for (i = 0; i < 16; i += 8) {
		memcpy(&a, x->a + i, 8);
		memcpy(&b, y->a + i, 8);
		if (a != b)
			return be64toh(a) < be64toh(b) ? -1 : 1;
	}
	return 0;
}

static inline bool
addr_eq(const struct addr *x, const struct addr *y)
{
	return memcmp(x, y, sizeof(*x)) == 0;
}

static inline void
addr_set4(struct addr *dst, const uint8_t *b)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = 4;
	memcpy(dst->a, b, 4);
}

static inline void
addr_set6(struct addr *dst, const uint8_t *b)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = 6;
	memcpy(dst->a, b, 16);
}

/* Keeps the first plen bits of src (plen is clamped to the family's size). */
static inline void
addr_mask(struct addr *dst, const struct addr *src, unsigned plen)
{
	unsigned bits = src->family == 4 ? 32 : 128;
	size_t i;

	*dst = *src;
	if (plen > bits)
		plen = bits;
	for (i = 0; i < 16; i++) {
		if (plen >= 8) {
			plen -= 8;
			continue;
		}
		dst->a[i] &= (uint8_t)(0xff00u >> plen);
		plen = 0;
	}
}

/* Writes the usual text form (inet_ntop) into buf of ADDR_STRLEN bytes. */
static inline const char *
addr_fmt(const struct addr *x, char *buf)
{
	if (x->family == 4)
		inet_ntop(AF_INET, x->a, buf, ADDR_STRLEN);
	else if (x->family == 6)
		inet_ntop(AF_INET6, x->a, buf, ADDR_STRLEN);
	else
		strcpy(buf, "-");
	return buf;
}

/* Parses an IPv4 or IPv6 literal; false if it is neither. */
static inline bool
addr_parse(struct addr *dst, const char *s)
{
	uint8_t b[16];

	if (inet_pton(AF_INET, s, b) == 1) {
		addr_set4(dst, b);
		return true;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		addr_set6(dst, b);
		return true;
	}
	return false;
}

#endif
