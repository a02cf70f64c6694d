/* pcapw.h - what the test generators share: a byte buffer, big- and
 * little-endian writes, the Internet checksum (RFC 1071), pcap records. */
#ifndef KASAUDIT_TESTS_PCAPW_H
#define KASAUDIT_TESTS_PCAPW_H

/*
 * Header only: each generator is one .c built on its own (the Makefile's
 * $(B)/tools/% rule), so the helpers are static and a generator uses what
 * it needs.  A buffer that would overflow ends the program with the
 * generator's name: a test capture cut short would test nothing.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PB_MAX
#define PB_MAX	4096		/* a generator may want more: define it first */
#endif

struct pbuf {
	uint8_t	 b[PB_MAX];
	size_t	 n;
};

extern const char *pb_prog;	/* the generator's name, for messages */

static inline void
pb_die(const char *what)
{
	fprintf(stderr, "%s: %s\n", pb_prog, what);
	exit(1);
}

static inline void
pb_put(struct pbuf *b, const void *p, size_t n)
{
	if (n > sizeof(b->b) - b->n)
		pb_die("buffer full");
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

/* Puts n bytes in front of what b holds (an outer header). */
static inline void
pb_pre(struct pbuf *b, const void *p, size_t n)
{
	if (n > sizeof(b->b) - b->n)
		pb_die("buffer full");
	memmove(b->b + n, b->b, b->n);
	memcpy(b->b, p, n);
	b->n += n;
}

static inline void
pb_u8(struct pbuf *b, unsigned v)
{
	uint8_t c = (uint8_t)v;

	pb_put(b, &c, 1);
}

static inline void
pb_u16(struct pbuf *b, unsigned v)
{
	pb_u8(b, v >> 8);
	pb_u8(b, v);
}

static inline void
pb_u32(struct pbuf *b, uint32_t v)
{
	pb_u16(b, v >> 16);
	pb_u16(b, v & 0xffff);
}

static inline void
pb_u16le(struct pbuf *b, unsigned v)
{
	pb_u8(b, v);
	pb_u8(b, v >> 8);
}

static inline void
pb_u32le(struct pbuf *b, uint32_t v)
{
	pb_u16le(b, v & 0xffff);
	pb_u16le(b, v >> 16);
}

static inline void
pb_zero(struct pbuf *b, size_t n)
{
	while (n-- > 0)
		pb_u8(b, 0);
}

/* Stores at p, which the caller knows has room. */
static inline void
st16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
st32(uint8_t *p, uint32_t v)
{
	st16(p, v >> 16);
	st16(p + 2, v & 0xffff);
}

static inline void
st32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* The one's complement sum of n bytes added to s; an odd last byte is
 * padded with a zero (RFC 1071). */
static inline uint32_t
ck_sum(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

/* The checksum of a sum: folded to 16 bits and complemented. */
static inline unsigned
ck_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/*
 * Ethernet and IPv4 headers for an IP payload of len bytes at f + 34
 * (frag_off in 8-byte units, with IP_MF in 0x2000), between the locally
 * administered MACs 02:00:00:TAG:00:02 and 02:00:00:TAG:00:01 (no
 * interface has them: the receiving kernel drops the frames).  Returns the
 * frame length.
 */
static inline size_t
pcapw_eth_ip4(uint8_t *f, uint8_t tag, uint32_t src, uint32_t dst,
    uint8_t proto, size_t len, uint16_t id, uint16_t frag)
{
	uint8_t *ip = f + 14;

	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	f[3] = f[9] = tag;
	st16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	st16(ip + 2, (uint32_t)(20 + len));
	st16(ip + 4, id);
	st16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = proto;
	st32(ip + 12, src);
	st32(ip + 16, dst);
	st16(ip + 10, ck_fold(ck_sum(0, ip, 20)));
	return 34 + len;
}

/*
 * What follows a DNS question's name at q: type A, class IN and, when
 * answer, one A record for it (its name a pointer to the question's, at
 * offset 12).  Returns the bytes written.
 */
static inline size_t
pcapw_dns_a(uint8_t *q, int answer, uint32_t ttl, uint32_t addr)
{
	st16(q, 1);			/* A */
	st16(q + 2, 1);			/* IN */
	if (!answer)
		return 4;
	st16(q + 4, 0xc00c);
	st16(q + 6, 1);
	st16(q + 8, 1);
	st32(q + 10, ttl);
	st16(q + 14, 4);
	st32(q + 16, addr);
	return 20;
}

/* A classic pcap file header: little-endian, microseconds, snaplen 65535
 * unless told. */
static inline void
pcapw_header(FILE *fp, uint32_t snaplen, uint32_t linktype)
{
	uint8_t h[24];

	st32le(h, 0xa1b2c3d4);
	h[4] = 2, h[5] = 0, h[6] = 4, h[7] = 0;	/* version 2.4 */
	memset(h + 8, 0, 8);			/* thiszone, sigfigs */
	st32le(h + 16, snaplen);
	st32le(h + 20, linktype);
	if (fwrite(h, 1, sizeof(h), fp) != sizeof(h))
		pb_die("write failed");
}

/* One record, kept whole (caplen = len). */
static inline void
pcapw_record(FILE *fp, uint32_t sec, uint32_t usec, const uint8_t *p,
    size_t n)
{
	uint8_t h[16];

	st32le(h, sec);
	st32le(h + 4, usec);
	st32le(h + 8, (uint32_t)n);
	st32le(h + 12, (uint32_t)n);
	if (fwrite(h, 1, sizeof(h), fp) != sizeof(h) ||
	    fwrite(p, 1, n, fp) != n)
		pb_die("write failed");
}

#endif
