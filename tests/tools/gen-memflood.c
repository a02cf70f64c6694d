/* gen-memflood.c - a flood capture for the memory caps (RFC 791, 768). */

/*
 * gen-memflood FILE [PACKETS [SEED]] writes a classic pcap (Ethernet,
 * little-endian, microsecond) of PACKETS frames (default 300000), 50 us
 * apart, so that no flow, stream or fragment grows old enough to expire:
 * everything the caps allow stays held.  The mix, from a fixed
 * pseudo-random sequence (the same file for the same arguments):
 *
 *	35%  TCP SYN from a random 10/8 host to a random address and port
 *	20%  DNS query for a random name (1-4 random labels under a random
 *	     TLD), random client, random resolver
 *	10%  DNS response with an A record for a random name
 *	20%  a TCP segment (no SYN) that starts a TLS handshake record longer
 *	     than itself, on a random flow: the stream waits for more
 *	 5%  the start of an HTTP request head without its end, likewise
 *	 5%  a first IP fragment of a random UDP datagram (More Fragments)
 *	 5%  a TCP segment with random bytes on a random flow
 *
 * None of the names are Kaspersky's: the default signatures match nothing
 * (a few random addresses fall in its CIDRs), so the aggregate, which
 * grows with offenders, stays small and what is measured is the bounded
 * state.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0		1727769600u	/* 2024-10-01T08:00:00Z */
#define FRAME_MAX	2048

static uint64_t rng_state;

static uint32_t
rnd(void)
{
	/* xorshift64*: a fixed sequence, no libc rand() differences. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint32_t
rnd_n(uint32_t n)
{
	return rnd() % n;
}

struct frame {
	uint8_t		 b[FRAME_MAX];
	size_t		 len;
};

static void
put8(struct frame *f, unsigned v)
{
	f->b[f->len++] = (uint8_t)v;
}

static void
put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v);
}

static void
put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static void
put_bytes(struct frame *f, const void *p, size_t n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void
le32(FILE *fp, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	fwrite(x, 1, 4, fp);
}

static void
le16(FILE *fp, unsigned v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	fwrite(x, 1, 2, fp);
}

/* Ethernet and IPv4 headers; returns where IPv4 starts (see ip_done). */
static size_t
eth_ip(struct frame *f, uint32_t src, uint32_t dst, unsigned proto,
    unsigned frag)
{
	static const uint8_t macs[12] = {
		0x00, 0x1b, 0x21, 0x3a, 0x4f, 0xfd,
		0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10,
	};

	f->len = 0;
	put_bytes(f, macs, sizeof(macs));
	put16(f, 0x0800);
	put8(f, 0x45);
	put8(f, 0);
	put16(f, 0);				/* total length: ip_done() */
	put16(f, rnd_n(65536));
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);				/* checksum: not checked */
	put32(f, src);
	put32(f, dst);
	return 14;
}

static void
ip_done(struct frame *f, size_t ip_at)
{
	size_t n = f->len - ip_at;

	f->b[ip_at + 2] = (uint8_t)(n >> 8);
	f->b[ip_at + 3] = (uint8_t)n;
}

static uint32_t
client(void)
{
	return 0x0a000000u | rnd_n(1u << 24);
}

static uint32_t
server(void)
{
	/* Anywhere from 11/8 up, below multicast. */
	return (uint32_t)(11 + rnd_n(200)) << 24 | rnd_n(1u << 24);
}

static void
tcp(struct frame *f, unsigned sport, unsigned dport, unsigned flags)
{
	put16(f, sport);
	put16(f, dport);
	put32(f, rnd());			/* seq */
	put32(f, flags & 0x10 ? rnd() : 0);	/* ack */
	put8(f, 5 << 4);
	put8(f, flags);
	put16(f, 65535);
	put16(f, 0);
	put16(f, 0);
}

static void
udp(struct frame *f, unsigned sport, unsigned dport, size_t payload)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, (unsigned)(8 + payload));
	put16(f, 0);
}

/* A random name: 1-4 labels of 1-20 letters and digits, then a TLD. */
static void
dns_name(struct frame *f)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	static const char *const tld[] = { "com", "net", "org", "example" };
	unsigned n = 1 + rnd_n(4), i, k, len;
	const char *t;

	for (i = 0; i < n; i++) {
		len = 1 + rnd_n(20);
		put8(f, len);
		for (k = 0; k < len; k++)
			put8(f, (unsigned char)alnum[rnd_n(36)]);
	}
	t = tld[rnd_n(4)];
	put8(f, (unsigned)strlen(t));
	put_bytes(f, t, strlen(t));
	put8(f, 0);
}

static void
dns(struct frame *f, bool response)
{
	uint32_t c = client(), s = server();
	unsigned cport = 1024 + rnd_n(64000);
	size_t ip_at, udp_at;

	ip_at = response ? eth_ip(f, s, c, 17, 0) : eth_ip(f, c, s, 17, 0);
	udp_at = f->len;
	if (response)
		udp(f, 53, cport, 0);
	else
		udp(f, cport, 53, 0);
	put16(f, rnd_n(65536));
	put16(f, response ? 0x8180 : 0x0100);
	put16(f, 1);
	put16(f, response ? 1 : 0);
	put16(f, 0);
	put16(f, 0);
	dns_name(f);
	put16(f, 1);
	put16(f, 1);
	if (response) {
		put16(f, 0xc00c);		/* the question's name */
		put16(f, 1);
		put16(f, 1);
		put32(f, 300 + rnd_n(3600));
		put16(f, 4);
		put32(f, server());
	}
	f->b[udp_at + 4] = (uint8_t)((f->len - udp_at) >> 8);
	f->b[udp_at + 5] = (uint8_t)(f->len - udp_at);
	ip_done(f, ip_at);
}

static void
syn(struct frame *f)
{
	/* Drawn one by one: argument order is unspecified in C. */
	uint32_t c = client(), s = server();
	size_t ip_at = eth_ip(f, c, s, 6, 0);
	unsigned sport = 1024 + rnd_n(64000);

	tcp(f, sport, 1 + rnd_n(65535), 0x02);
	ip_done(f, ip_at);
}

/* A TCP segment with payload on a random flow, no handshake before it. */
static void
segment(struct frame *f, int kind)
{
	static const char head[] = "GET /a/very/long/path/";
	uint32_t c = client(), s = server();
	size_t ip_at = eth_ip(f, c, s, 6, 0);
	unsigned n, i;

	tcp(f, 1024 + rnd_n(64000), kind == 1 ? 80 : 443, 0x18);
	switch (kind) {
	case 0:		/* a 16000-byte handshake record, 1-300 bytes here */
		put8(f, 0x16);
		put16(f, 0x0301);
		put16(f, 16000);
		put8(f, 0x01);			/* ClientHello */
		put8(f, 0);
		put16(f, 15996);
		put16(f, 0x0303);
		for (n = rnd_n(300), i = 0; i < n; i++)
			put8(f, rnd_n(256));
		break;
	case 1:		/* a request line that has not ended yet */
		put_bytes(f, head, sizeof(head) - 1);
		for (n = 1 + rnd_n(300), i = 0; i < n; i++)
			put8(f, 'a' + rnd_n(26));
		break;
	default:	/* random bytes */
		for (n = 1 + rnd_n(400), i = 0; i < n; i++)
			put8(f, rnd_n(256));
		break;
	}
	ip_done(f, ip_at);
}

/* The first fragment of a UDP datagram whose rest never comes. */
static void
fragment(struct frame *f)
{
	uint32_t c = client(), s = server();
	size_t ip_at = eth_ip(f, c, s, 17, 0x2000);
	unsigned sport = 1024 + rnd_n(64000), i;

	udp(f, sport, 1024 + rnd_n(64000), 4000);
	for (i = 0; i < 1024; i++)		/* 8 + 1024: a multiple of 8 */
		put8(f, rnd_n(256));
	ip_done(f, ip_at);
}

int
main(int argc, char **argv)
{
	static struct frame f;
	unsigned long n = 300000, i;
	uint32_t r;
	FILE *fp;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: gen-memflood FILE [PACKETS [SEED]]\n");
		return 2;
	}
	if (argc > 2)
		n = strtoul(argv[2], NULL, 10);
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
	if (rng_state == 0)
		rng_state = 1;
	if ((fp = fopen(argv[1], "wb")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	le32(fp, 0xa1b2c3d4u);
	le16(fp, 2);
	le16(fp, 4);
	le32(fp, 0);
	le32(fp, 0);
	le32(fp, 65535);
	le32(fp, 1);
	for (i = 0; i < n; i++) {
		r = rnd_n(100);
		if (r < 35)
			syn(&f);
		else if (r < 55)
			dns(&f, false);
		else if (r < 65)
			dns(&f, true);
		else if (r < 85)
			segment(&f, 0);
		else if (r < 90)
			segment(&f, 1);
		else if (r < 95)
			fragment(&f);
		else
			segment(&f, 2);
		le32(fp, (uint32_t)(T0 + i / 20000));
		le32(fp, (uint32_t)(i % 20000 * 50));
		le32(fp, (uint32_t)f.len);
		le32(fp, (uint32_t)f.len);
		fwrite(f.b, 1, f.len, fp);
	}
	if (fclose(fp) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
