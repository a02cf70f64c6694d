/* gen-attrib.c - DNS answers, then connections they explain, for
 * tests/run-live-workers: private and test addresses only. */

/*
 * gen-attrib DIR [CLIENTS] writes DIR/attrib-dns.pcap and
 * DIR/attrib-conn.pcap (Ethernet, classic pcap), and both interleaved in
 * DIR/attrib-mixed.pcap: each host's connection right after its answer;
 * DIR/attrib-reload.pcap has 16 hosts 10.78.0.K asking for lw-two.example,
 * a name tests/run-live-workers adds to its set by a reload.  For each of CLIENTS
 * (default 64) hosts 10.77.0.1 onwards, the first file has a DNS query
 * and its answer from the resolver 10.77.255.53: an A record for
 * hK.upd.kaspersky.com, 198.18.0.K.  The second has, for each host, a TCP
 * connection to that address on port 80 (handshake, then an HTTP request
 * without Host: no name to read) that only the answer explains.  With
 * `live --workers` the answer and the connection are two flows, which a
 * flow hash sends to any of the workers.  The same arguments give the same
 * bytes; MACs are locally administered and belong to no interface.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapw.h"

const char *pb_prog = "gen-attrib";

#define T0		1727769600u	/* 2024-10-01T00:00:00Z */
#define RESOLVER	0x0a4dff35u	/* 10.77.255.53 */

static uint32_t ts_usec;

static void
frame(FILE *fp, const uint8_t *f, size_t n)
{
	ts_usec += 100;
	pcapw_record(fp, T0 + ts_usec / 1000000, ts_usec % 1000000, f, n);
}

static size_t
eth_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	return pcapw_eth_ip4(f, 0xa7, src, dst, proto, len, 0, 0);
}

/* A DNS message for the dotted name at p: a query, or an answer with one
 * A record. */
static size_t
dns(uint8_t *p, unsigned id, const char *name, int answer, uint32_t addr)
{
	const char *l, *dot;
	uint8_t *q = p;

	st16(q, (uint32_t)(0x4000 + id));
	st16(q + 2, answer ? 0x8180 : 0x0100);
	st16(q + 4, 1);
	st16(q + 6, answer ? 1 : 0);
	st16(q + 8, 0);
	st16(q + 10, 0);
	q += 12;
	for (l = name; *l != '\0'; l = *dot != '\0' ? dot + 1 : dot) {
		if ((dot = strchr(l, '.')) == NULL)
			dot = l + strlen(l);
		*q++ = (uint8_t)(dot - l);
		memcpy(q, l, (size_t)(dot - l));
		q += dot - l;
	}
	*q++ = 0;
	q += pcapw_dns_a(q, answer, 3600, addr);
	return (size_t)(q - p);
}

static void
udp(FILE *fp, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
    const uint8_t *pl, size_t len)
{
	uint8_t f[1600];
	uint8_t *u = f + 34;

	st16(u, sport);
	st16(u + 2, dport);
	st16(u + 4, (uint32_t)(8 + len));
	st16(u + 6, 0);			/* no checksum (RFC 768) */
	memcpy(u + 8, pl, len);
	frame(fp, f, eth_ip(f, src, dst, 17, 8 + len));
}

static void
tcp(FILE *fp, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
    uint32_t seq, uint32_t ack, unsigned flags, const char *pl)
{
	uint8_t f[1600], ph[12];
	uint8_t *t = f + 34;
	size_t len = pl != NULL ? strlen(pl) : 0;
	uint32_t s;

	memset(t, 0, 20);
	st16(t, sport);
	st16(t + 2, dport);
	st32(t + 4, seq);
	st32(t + 8, ack);
	t[12] = 5 << 4;
	t[13] = (uint8_t)flags;
	st16(t + 14, 65535);
	if (len > 0)
		memcpy(t + 20, pl, len);
	st32(ph, src);
	st32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = 6;
	st16(ph + 10, (uint32_t)(20 + len));
	s = ck_sum(ck_sum(0, ph, 12), t, 20 + len);
	st16(t + 16, ck_fold(s));
	frame(fp, f, eth_ip(f, src, dst, 6, 20 + len));
}

/* Host k's lookup (to fd) and connection (to fc). */
static void
host(FILE *fd, FILE *fc, unsigned k)
{
	uint8_t m[512];
	uint32_t cl = 0x0a4d0000u | k;		/* 10.77.0.K */
	uint32_t sv = 0xc6120000u | k;		/* 198.18.0.K */
	uint16_t port = (uint16_t)(30000 + k);
	char name[64];
	size_t len;

	snprintf(name, sizeof(name), "h%u.upd.kaspersky.com", k);
	len = dns(m, k, name, 0, 0);
	udp(fd, cl, RESOLVER, port, 53, m, len);
	len = dns(m, k, name, 1, sv);
	udp(fd, RESOLVER, cl, 53, port, m, len);
	port = (uint16_t)(40000 + k);
	tcp(fc, cl, sv, port, 80, 1000, 0, 0x02, NULL);
	tcp(fc, sv, cl, 80, port, 5000, 1001, 0x12, NULL);
	tcp(fc, cl, sv, port, 80, 1001, 5001, 0x10, NULL);
	tcp(fc, cl, sv, port, 80, 1001, 5001, 0x18,
	    "GET /index.html HTTP/1.0\r\n\r\n");
}

static FILE *
open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	pcapw_header(fp, 65535, 1);
	return fp;
}

int
main(int argc, char **argv)
{
	FILE *fd, *fc, *fm, *fr;
	unsigned k, n = 64;
	uint8_t m[512];
	size_t len;

	if (argc < 2 || argc > 3 || (argc == 3 && ((n = (unsigned)atoi(
	    argv[2])) < 1 || n > 250))) {
		fprintf(stderr, "usage: gen-attrib DIR [CLIENTS (1-250)]\n");
		return 2;
	}
	fd = open_out(argv[1], "attrib-dns.pcap");
	fc = open_out(argv[1], "attrib-conn.pcap");
	fm = open_out(argv[1], "attrib-mixed.pcap");
	fr = open_out(argv[1], "attrib-reload.pcap");
	for (k = 1; k <= n; k++)
		host(fd, fc, k);
	for (k = 1; k <= n; k++)
		host(fm, fm, k);
	/* 16 hosts ask for a name only a reloaded set matches. */
	for (k = 1; k <= 16; k++) {
		len = dns(m, k, "lw-two.example", 0, 0);
		udp(fr, 0x0a4e0000u | k, RESOLVER, (uint16_t)(50000 + k), 53,
		    m, len);
	}
	if (fclose(fd) != 0 || fclose(fc) != 0 || fclose(fm) != 0 ||
	    fclose(fr) != 0) {
		perror("gen-attrib");
		return 1;
	}
	return 0;
}
