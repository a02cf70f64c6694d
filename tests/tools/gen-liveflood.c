/* gen-liveflood.c - a flood for tests/run-live, private addresses only. */

/*
 * gen-liveflood FILE [PACKETS [SEED]] writes PACKETS (default 300000)
 * Ethernet frames, classic pcap, microseconds, one every 50 us, that push
 * kasaudit live against its caps while it captures them from a veth pair.
 * Out of every 16 frames:
 *
 *   1  a DNS query for a random name under upd.kaspersky.com from one of 16
 *      hosts 10.99.0.1-16 (matched: each host's name list fills up to
 *      --max-names, the rest are only counted);
 *   3  a DNS query for a random name under example, example.net or
 *      example.org from a random host in 10.0.0.0/8;
 *   1  a DNS response with an A record for such a name;
 *   6  a TCP SYN from a random address and port (a new flow each: the
 *      flow table fills and evicts);
 *   2  the first segment of a TLS ClientHello far longer than the segment,
 *      on a new flow to port 443 (a stream buffer is held for it);
 *   2  the first segment of an HTTP request whose head never ends;
 *   1  the first fragment of a UDP datagram whose rest never comes (held
 *      until --frag-timeout or --max-frag-mem).
 *
 * The same arguments give the same bytes.  Every address is private or
 * reserved for tests: clients in 10.0.0.0/8, servers in 198.18.0.0/15 (RFC
 * 2544); MACs are locally administered and belong to no interface, so the
 * receiving kernel drops the frames once they are captured.
 * (tests/tools/gen-memflood makes the flood for tests/run-memory.)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapw.h"

const char *pb_prog = "gen-liveflood";

#define T0		1727769600u	/* 2024-10-01T00:00:00Z */
#define FRAME_MAX	1600

static uint64_t rng_state;

/* xorshift64*: deterministic and good enough for test traffic. */
static uint32_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static uint32_t
rnd_n(uint32_t n)
{
	return rnd() % n;
}

static uint32_t
client(void)
{
	return 0x0a000000u | (rnd() & 0xffffff);	/* 10/8 */
}

static uint32_t
server(void)
{
	return 0xc6120000u | (rnd() & 0x1ffff);		/* 198.18/15 */
}

/* Ethernet and IPv4 headers (pcapw.h), MACs 02:00:00:f1:00:0x. */
static size_t
eth_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, size_t len,
    uint16_t id, uint16_t frag)
{
	return pcapw_eth_ip4(f, 0xf1, src, dst, proto, len, id, frag);
}

/* A random name: 1-3 random labels, then suffix; wire form at p. */
static size_t
dns_name(uint8_t *p, const char *suffix, unsigned max_labels)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned labels = 1 + rnd_n(max_labels), i, n, k;
	const char *l, *dot;
	uint8_t *q = p;

	for (i = 0; i < labels; i++) {
		n = 1 + rnd_n(20);
		*q++ = (uint8_t)n;
		for (k = 0; k < n; k++)
			*q++ = (uint8_t)alnum[rnd_n(sizeof(alnum) - 1)];
	}
	for (l = suffix; *l != '\0'; l = *dot != '\0' ? dot + 1 : dot) {
		if ((dot = strchr(l, '.')) == NULL)
			dot = l + strlen(l);
		*q++ = (uint8_t)(dot - l);
		memcpy(q, l, (size_t)(dot - l));
		q += dot - l;
	}
	*q++ = 0;
	return (size_t)(q - p);
}

static size_t
udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
    size_t len, uint16_t id)
{
	uint8_t *u = f + 34;

	st16(u, sport);
	st16(u + 2, dport);
	st16(u + 4, (uint32_t)(8 + len));
	st16(u + 6, 0);			/* no checksum (RFC 768) */
	return eth_ip(f, src, dst, 17, 8 + len, id, 0);
}

static size_t
dns(uint8_t *f, uint32_t src, const char *suffix, bool response,
    uint16_t id)
{
	static const char *const tld[] = {
		"example", "example.net", "example.org"
	};
	uint8_t *d = f + 42, *q = d + 12;
	uint32_t srv = server();

	memset(d, 0, 12);
	st16(d, id);
	st16(d + 2, response ? 0x8180 : 0x0100);
	st16(d + 4, 1);
	st16(d + 6, response ? 1 : 0);
	q += dns_name(q, suffix != NULL ? suffix : tld[rnd_n(3)],
	    suffix != NULL ? 1 : 3);
	q += pcapw_dns_a(q, response, 300, response ? server() : 0);
	if (response)
		return udp(f, srv, src, 53, (uint16_t)(1024 + rnd_n(60000)),
		    (size_t)(q - d), id);
	return udp(f, src, srv, (uint16_t)(1024 + rnd_n(60000)), 53,
	    (size_t)(q - d), id);
}

/* A TCP segment with flags and len payload bytes already at f + 54. */
static size_t
tcp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t dport, uint8_t flags,
    size_t len, uint16_t id)
{
	uint8_t *t = f + 34, ph[12];
	uint32_t s;
	size_t n;

	memset(t, 0, 20);
	st16(t, 1024 + rnd_n(60000));
	st16(t + 2, dport);
	st32(t + 4, rnd());
	st32(t + 8, flags & 0x10 ? rnd() : 0);
	t[12] = 5 << 4;
	t[13] = flags;
	st16(t + 14, 65535);
	n = eth_ip(f, src, dst, 6, 20 + len, id, 0);
	memcpy(ph, f + 26, 8);			/* source, destination */
	ph[8] = 0;
	ph[9] = 6;
	st16(ph + 10, (uint32_t)(20 + len));
	s = ck_sum(0, ph, 12);
	st16(t + 16, ck_fold(ck_sum(s, t, 20 + len)));
	return n;
}

/* The start of a ClientHello that claims 4000 bytes, cut after len. */
static size_t
tls_start(uint8_t *f, uint16_t id)
{
	uint8_t *p = f + 54;
	size_t len = 64 + rnd_n(160), i;

	p[0] = 22;				/* handshake */
	st16(p + 1, 0x0301);
	st16(p + 3, 4000);
	p[5] = 1;				/* ClientHello */
	p[6] = 0;
	st16(p + 7, 3996);
	st16(p + 9, 0x0303);
	for (i = 11; i < len; i++)
		p[i] = (uint8_t)rnd();
	return tcp(f, client(), server(), 443, 0x18, len, id);
}

static size_t
http_start(uint8_t *f, uint16_t id)
{
	static const char head[] = "GET /a/very/long/path/";
	uint8_t *p = f + 54;
	size_t len = sizeof(head) - 1 + 16 + rnd_n(160), i;

	memcpy(p, head, sizeof(head) - 1);
	for (i = sizeof(head) - 1; i < len; i++)
		p[i] = (uint8_t)('a' + rnd_n(26));
	return tcp(f, client(), server(), 80, 0x18, len, id);
}

/* The first 1024 bytes of a 3000-byte UDP datagram. */
static size_t
fragment(uint8_t *f, uint16_t id)
{
	uint8_t *u = f + 34;
	size_t i;

	st16(u, 1024 + rnd_n(60000));
	st16(u + 2, 5353);
	st16(u + 4, 3000);
	st16(u + 6, 0);
	for (i = 8; i < 1024; i++)
		u[i] = (uint8_t)rnd();
	return eth_ip(f, client(), server(), 17, 1024, id, 0x2000);
}

int
main(int argc, char **argv)
{
	uint8_t f[FRAME_MAX];
	unsigned long n = 300000, i;
	uint16_t id;
	size_t len;
	FILE *fp;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: gen-liveflood FILE [PACKETS [SEED]]\n");
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
	pcapw_header(fp, 262144, 1);		/* Ethernet */
	for (i = 0; i < n; i++) {
		memset(f, 0, sizeof(f));
		id = (uint16_t)rnd();
		switch (i % 16) {
		case 0:
			len = dns(f, 0x0a630001u + (uint32_t)(i / 16 % 16),
			    "upd.kaspersky.com", false, id);
			break;
		case 1: case 2: case 3:
			len = dns(f, client(), NULL, false, id);
			break;
		case 4:
			len = dns(f, client(), NULL, true, id);
			break;
		case 10: case 11:
			len = tls_start(f, id);
			break;
		case 12: case 13:
			len = http_start(f, id);
			break;
		case 14:
			len = fragment(f, id);
			break;
		default:
			len = tcp(f, client(), server(),
			    (uint16_t)(1 + rnd_n(65535)), 0x02, 0, id);
			break;
		}
		if (len < 60)
			len = 60;		/* padded as on the wire */
		pcapw_record(fp, T0 + (uint32_t)(i / 20000),
		    (uint32_t)(i % 20000 * 50), f, len);
	}
	if (ferror(fp) || fclose(fp) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
