/* gen-names.c - a capture of DNS queries for hostile names (RFC 1035 4.1). */

/*
 * gen-names OUTDIR writes OUTDIR/hostile-names.pcap: DNS queries over
 * Ethernet, IPv4/IPv6 and UDP whose names carry what report writers must
 * escape: quotes, commas, <script>, characters a spreadsheet runs as a
 * formula, and label bytes that are not printable (a newline, 0xff, a
 * space), which kasaudit shows as \DDD.  All of them end in Kaspersky
 * domains, so the built-in signatures match them.  Every run writes the
 * same bytes (little-endian pcap, microseconds, snaplen 65535).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapw.h"

const char *pb_prog = "gen-names";

#define T0	1727769600u	/* 2024-10-01T08:00:00Z */

/* A name as its labels (no label holds a NUL), not as dotted text: the
 * dots and bytes inside labels are what is tested. */
struct qname {
	const char	*labels[8];
};

static void
dns_query(struct pbuf *m, unsigned id, const struct qname *q)
{
	size_t i, n;

	pb_u16(m, id);
	pb_u16(m, 0x0100);		/* RD */
	pb_u16(m, 1);
	pb_u16(m, 0);
	pb_u16(m, 0);
	pb_u16(m, 0);
	for (i = 0; i < 8 && q->labels[i] != NULL; i++) {
		n = strlen(q->labels[i]);
		pb_u8(m, (unsigned)n);
		pb_put(m, q->labels[i], n);
	}
	pb_u8(m, 0);
	pb_u16(m, 1);		/* A */
	pb_u16(m, 1);		/* IN */
}

/* One frame: Ethernet, IPv4 or IPv6, UDP from sport to 53. */
static void
frame(struct pbuf *f, int af, const uint8_t *src, const uint8_t *dst,
    const uint8_t *smac, unsigned sport, const struct pbuf *dns)
{
	static const uint8_t dmac[6] = { 0x00, 0x1b, 0x21, 0x00, 0x00, 0x53 };
	size_t alen = af == 4 ? 4 : 16, ulen = 8 + dns->n;
	uint8_t ph[40];
	uint32_t s;
	struct pbuf u = { .n = 0 };
	unsigned ck;

	pb_u16(&u, sport);
	pb_u16(&u, 53);
	pb_u16(&u, (unsigned)ulen);
	pb_u16(&u, 0);
	pb_put(&u, dns->b, dns->n);
	/* Pseudo-header (RFC 768; RFC 8200 8.1). */
	memcpy(ph, src, alen);
	memcpy(ph + alen, dst, alen);
	s = ck_sum(0, ph, 2 * alen);
	s += 17 + (uint32_t)ulen;
	s = ck_sum(s, u.b, u.n);
	ck = ck_fold(s);
	if (ck == 0)
		ck = 0xffff;
	u.b[6] = (uint8_t)(ck >> 8);
	u.b[7] = (uint8_t)ck;

	f->n = 0;
	pb_put(f, dmac, 6);
	pb_put(f, smac, 6);
	pb_u16(f, af == 4 ? 0x0800 : 0x86dd);
	if (af == 4) {
		size_t h = f->n;

		pb_u8(f, 0x45);
		pb_u8(f, 0);
		pb_u16(f, (unsigned)(20 + ulen));
		pb_u16(f, 1);
		pb_u16(f, 0);
		pb_u8(f, 64);
		pb_u8(f, 17);
		pb_u16(f, 0);
		pb_put(f, src, 4);
		pb_put(f, dst, 4);
		ck = ck_fold(ck_sum(0, f->b + h, 20));
		f->b[h + 10] = (uint8_t)(ck >> 8);
		f->b[h + 11] = (uint8_t)ck;
	} else {
		pb_u32le(f, 0);		/* version 6: patched below */
		f->b[f->n - 4] = 0x60;
		pb_u16(f, (unsigned)ulen);
		pb_u8(f, 17);
		pb_u8(f, 64);
		pb_put(f, src, 16);
		pb_put(f, dst, 16);
	}
	pb_put(f, u.b, u.n);
}

int
main(int argc, char **argv)
{
	static const uint8_t c4a[4] = { 10, 9, 0, 7 }, c4b[4] = { 10, 9, 0, 8 };
	static const uint8_t s4[4] = { 10, 9, 0, 53 };
	static const uint8_t c6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 7 };
	static const uint8_t s6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0x53 };
	static const uint8_t mac_a[6] = { 0x00, 0x1b, 0x21, 0x00, 0x09, 0x07 };
	static const uint8_t mac_b[6] = { 0x00, 0x1b, 0x21, 0x00, 0x09, 0x08 };
	static const uint8_t mac_c[6] = { 0x00, 0x1b, 0x21, 0x00, 0x09, 0x06 };
	static const struct {
		int		 who;	/* 0: 10.9.0.7, 1: 10.9.0.8, 2: v6 */
		struct qname	 q;
	} qs[] = {
		{ 0, { { "\"><script>alert(1)</script>", "upd", "kaspersky",
		    "com" } } },
		{ 0, { { "a\"b,c", "activation", "kaspersky", "com" } } },
		{ 0, { { "it's", "ksn", "kaspersky-labs", "com" } } },
		{ 0, { { "nl\nff\xff sp", "upd", "kaspersky", "com" } } },
		{ 0, { { "<b>&amp;", "upd", "kaspersky", "com" } } },
		{ 1, { { "=1+1", "upd", "kaspersky", "com" } } },
		{ 1, { { "-2+3", "upd", "kaspersky", "com" } } },
		{ 2, { { "@sum(a1)", "upd", "kaspersky", "com" } } },
		{ 2, { { "+x,y", "ksn", "kaspersky-labs", "com" } } },
	};
	struct pbuf dns, f;
	const uint8_t *src, *dst, *mac;
	char path[4096];
	FILE *fp;
	size_t i;
	int af;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-names OUTDIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/hostile-names.pcap", argv[1]);
	if ((fp = fopen(path, "wb")) == NULL) {
		perror(path);
		return 1;
	}
	pcapw_header(fp, 65535, 1);		/* Ethernet */
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		dns.n = 0;
		dns_query(&dns, 0x4000 + (unsigned)i, &qs[i].q);
		af = qs[i].who == 2 ? 6 : 4;
		src = qs[i].who == 0 ? c4a : qs[i].who == 1 ? c4b : c6;
		dst = af == 4 ? s4 : s6;
		mac = qs[i].who == 0 ? mac_a : qs[i].who == 1 ? mac_b : mac_c;
		frame(&f, af, src, dst, mac, 40000 + (unsigned)i, &dns);
		pcapw_record(fp, T0 + (uint32_t)i, 0, f.b, f.n);
	}
	if (fclose(fp) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}
