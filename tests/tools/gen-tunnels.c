/* gen-tunnels.c - writes the tunnel test captures: a Kaspersky name inside
 * each kind of tunnel the decoder opens, and the edges it must not open. */

/* gen-tunnels OUTDIR writes OUTDIR/tunnels.pcap and tunnels-edge.pcap. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapw.h"

struct ip {
	int		 af;		/* 4 or 6 */
	uint8_t		 a[16];
};

const char *pb_prog = "gen-tunnels";

static FILE *out;
static uint32_t tick;

static void
die(const char *what)
{
	fprintf(stderr, "gen-tunnels: %s\n", what);
	exit(1);
}

static struct ip
ip(const char *s)
{
	struct ip r;

	memset(&r, 0, sizeof(r));
	r.af = strchr(s, ':') != NULL ? 6 : 4;
	if (inet_pton(r.af == 4 ? AF_INET : AF_INET6, s, r.a) != 1)
		die("bad address");
	return r;
}

/* --- layers, innermost first ----------------------------------------- */

static void
dns_query(struct pbuf *b, unsigned id, const char *name, bool answer)
{
	const char *p, *dot;

	pb_u16(b, id);
	pb_u16(b, answer ? 0x8180 : 0x0100);
	pb_u16(b, 1);
	pb_u16(b, answer ? 1 : 0);
	pb_u16(b, 0);
	pb_u16(b, 0);
	for (p = name; *p != '\0'; p = *dot ? dot + 1 : dot) {
		dot = strchr(p, '.');
		if (dot == NULL)
			dot = p + strlen(p);
		pb_u8(b, (unsigned)(dot - p));
		pb_put(b, p, (size_t)(dot - p));
	}
	pb_u8(b, 0);
	pb_u16(b, 1);			/* A, IN */
	pb_u16(b, 1);
	if (answer) {
		pb_u16(b, 0xc00c);
		pb_u16(b, 1);
		pb_u16(b, 1);
		pb_u16(b, 0);
		pb_u16(b, 300);
		pb_u16(b, 4);
		pb_put(b, "\xc6\x33\x64\x07", 4);
	}
}

/* A TLS 1.3-style ClientHello with only server_name. */
static void
tls_hello(struct pbuf *b, const char *name)
{
	size_t nl = strlen(name), hs;
	uint8_t rnd[32];

	memset(rnd, 0x5a, sizeof(rnd));
	hs = 2 + 32 + 1 + 4 + 2 + 2 + 9 + nl;
	pb_u8(b, 0x16);
	pb_u16(b, 0x0301);
	pb_u16(b, (unsigned)hs + 4);
	pb_u8(b, 1);
	pb_u8(b, 0);
	pb_u16(b, (unsigned)hs);
	pb_u16(b, 0x0303);
	pb_put(b, rnd, sizeof(rnd));
	pb_u8(b, 0);			/* session id */
	pb_u16(b, 2);
	pb_u16(b, 0x1301);
	pb_u8(b, 1);
	pb_u8(b, 0);
	pb_u16(b, 9 + (unsigned)nl);	/* extensions */
	pb_u16(b, 0);			/* server_name */
	pb_u16(b, 5 + (unsigned)nl);
	pb_u16(b, 3 + (unsigned)nl);
	pb_u8(b, 0);
	pb_u16(b, (unsigned)nl);
	pb_put(b, name, nl);
}

static uint32_t
pseudo(const struct ip *s, const struct ip *d, unsigned proto, size_t len)
{
	uint32_t x = 0;
	size_t al = s->af == 4 ? 4 : 16;

	x = ck_sum(x, s->a, al);
	x = ck_sum(x, d->a, al);
	return x + proto + (uint32_t)len;
}

static void
udp(struct pbuf *b, const struct ip *s, const struct ip *d, unsigned sport,
    unsigned dport)
{
	uint8_t h[8];

	st16(h, sport);
	st16(h + 2, dport);
	st16(h + 4, (unsigned)b->n + 8);
	st16(h + 6, 0);
	pb_pre(b, h, 8);
	st16(b->b + 6, ck_fold(ck_sum(pseudo(s, d, 17, b->n), b->b, b->n)));
}

static void
tcp(struct pbuf *b, const struct ip *s, const struct ip *d, unsigned sport,
    unsigned dport, uint32_t seq, unsigned flags)
{
	uint8_t h[20];

	memset(h, 0, sizeof(h));
	st16(h, sport);
	st16(h + 2, dport);
	st32(h + 4, seq);
	st32(h + 8, 0);
	h[12] = 5 << 4;
	h[13] = (uint8_t)flags;
	st16(h + 14, 64240);
	pb_pre(b, h, 20);
	st16(b->b + 16, ck_fold(ck_sum(pseudo(s, d, 6, b->n), b->b, b->n)));
}

static void
ipv(struct pbuf *b, const struct ip *s, const struct ip *d, unsigned proto)
{
	static unsigned id = 0x100;
	uint8_t h[40];

	memset(h, 0, sizeof(h));
	if (s->af == 4) {
		h[0] = 0x45;
		st16(h + 2, (unsigned)b->n + 20);
		st16(h + 4, id++);
		h[8] = 64;
		h[9] = (uint8_t)proto;
		memcpy(h + 12, s->a, 4);
		memcpy(h + 16, d->a, 4);
		st16(h + 10, ck_fold(ck_sum(0, h, 20)));
		pb_pre(b, h, 20);
	} else {
		h[0] = 0x60;
		st16(h + 4, (unsigned)b->n);
		h[6] = (uint8_t)proto;
		h[7] = 64;
		memcpy(h + 8, s->a, 16);
		memcpy(h + 24, d->a, 16);
		pb_pre(b, h, 40);
	}
}

static void
eth(struct pbuf *b, unsigned type, unsigned host)
{
	uint8_t h[14] = { 0x00, 0x1b, 0x21, 0x00, 0x00, 0x01,
	    0x00, 0x1b, 0x21, 0x00, 0x00, 0x00 };

	h[11] = (uint8_t)host;
	st16(h + 12, type);
	pb_pre(b, h, 14);
}

/* A GRE header: flags (C 0x80, K 0x20, S 0x10), version, type, key. */
static void
gre(struct pbuf *b, unsigned flags, unsigned ver, unsigned type, uint32_t key)
{
	uint8_t h[16];
	size_t n = 4;

	h[0] = (uint8_t)flags;
	h[1] = (uint8_t)ver;
	st16(h + 2, type);
	if (flags & 0x80) {
		st32(h + n, 0);
		n += 4;
	}
	if (flags & 0x20) {
		st32(h + n, key);
		n += 4;
	}
	if (flags & 0x10) {
		st32(h + n, 9);
		n += 4;
	}
	pb_pre(b, h, n);
}

/* --- the captures ---------------------------------------------------- */

static void
pcap_open(const char *dir, const char *name)
{
	char path[4096];
	uint8_t h[24];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((out = fopen(path, "wb")) == NULL)
		die(path);
	memset(h, 0, sizeof(h));
	st32(h, 0xa1b2c3d4);
	st16(h + 4, 2);
	st16(h + 6, 4);
	st32(h + 16, 65535);
	st32(h + 20, 1);		/* Ethernet */
	fwrite(h, 1, sizeof(h), out);
	tick = 0;
}

static void
pcap_frame(const struct pbuf *b)
{
	uint8_t h[16];

	st32(h, 1733580000 + tick);
	st32(h + 4, 1000 * tick);
	st32(h + 8, (uint32_t)b->n);
	st32(h + 12, (uint32_t)b->n);
	fwrite(h, 1, sizeof(h), out);
	fwrite(b->b, 1, b->n, out);
	tick++;
}

static void
pcap_close(void)
{
	if (fclose(out) != 0)
		die("write");
}

static struct ip c4, s4, c6, s6, o1, o2, p1, p2;

/* An inner DNS query for name, client to server (v4 or v6). */
static void
inner_dns(struct pbuf *b, int af, const char *name)
{
	const struct ip *c = af == 4 ? &c4 : &c6, *s = af == 4 ? &s4 : &s6;

	b->n = 0;
	dns_query(b, 0x1000 + tick, name, false);
	udp(b, c, s, 40000 + tick, 53);
	ipv(b, c, s, 17);
}

/* Outer IPv4 (o1 to o2) and Ethernet around b. */
static void
outer4(struct pbuf *b, unsigned proto)
{
	ipv(b, &o1, &o2, proto);
	eth(b, 0x0800, 0xa1);
	pcap_frame(b);
}

static void
outer6(struct pbuf *b, unsigned proto)
{
	ipv(b, &p1, &p2, proto);
	eth(b, 0x86dd, 0xa1);
	pcap_frame(b);
}

static void
outer_udp(struct pbuf *b, unsigned sport, unsigned dport)
{
	udp(b, &o1, &o2, sport, dport);
	outer4(b, 17);
}

static void
vxlan_hdr(struct pbuf *b, unsigned flags, unsigned next, uint32_t vni)
{
	uint8_t h[8] = { 0 };

	h[0] = (uint8_t)flags;
	h[3] = (uint8_t)next;
	st32(h + 4, vni << 8);
	pb_pre(b, h, 8);
}

/* GTP-U G-PDU with a sequence number and a PDU session container. */
static void
gtpu_hdr(struct pbuf *b, unsigned type, uint32_t teid)
{
	uint8_t h[16] = { 0 };

	h[0] = 0x36;			/* version 1, PT, E, S */
	h[1] = (uint8_t)type;
	st16(h + 2, (unsigned)b->n + 8);
	st32(h + 4, teid);
	st16(h + 8, 77);		/* sequence */
	h[10] = 0;			/* N-PDU */
	h[11] = 0x85;			/* PDU session container */
	h[12] = 1;			/* 4 bytes */
	h[13] = 0x10;
	h[14] = 9;			/* QFI */
	h[15] = 0;			/* no more */
	pb_pre(b, h, 16);
}

static void
tunnels(const char *dir)
{
	static const uint8_t erspan2[8] = { 0x10, 0x00, 0x00, 100,
	    0, 0, 0, 1 };
	static const uint8_t erspan3[20] = { 0x20, 0x00, 0x00, 200,
	    0, 0, 0, 5, 0, 0, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t geneve[16] = { 0x02, 0x00, 0x65, 0x58,
	    0x00, 0x00, 77, 0x00, 0x01, 0x02, 0x03, 0x01, 0, 0, 0, 1 };
	static const uint8_t ayiya[8 + 16 + 20] = { 0x41, 0x52, 0x11, 41 };
	static const uint8_t origin[8] = { 0x00, 0x00, 0xf7, 0x9f,
	    0x3f, 0xcc, 0x9b, 0xfe };
	static const uint8_t auth[4 + 8 + 1] = { 0x00, 0x01, 0, 0 };
	struct pbuf b;
	uint32_t seq = 1000;

	pcap_open(dir, "tunnels.pcap");
	inner_dns(&b, 4, "gre.upd.kaspersky.com");
	gre(&b, 0xb0, 0, 0x0800, 7);
	outer4(&b, 47);
	inner_dns(&b, 4, "nvgre.upd.kaspersky.com");
	eth(&b, 0x0800, 0x05);
	gre(&b, 0x20, 0, 0x6558, 0x123400);
	outer4(&b, 47);
	inner_dns(&b, 4, "erspan1.upd.kaspersky.com");
	eth(&b, 0x0800, 0x05);
	gre(&b, 0x00, 0, 0x88be, 0);
	outer4(&b, 47);
	inner_dns(&b, 4, "erspan2.upd.kaspersky.com");
	eth(&b, 0x0800, 0x05);
	pb_pre(&b, erspan2, sizeof(erspan2));
	gre(&b, 0x10, 0, 0x88be, 0);
	outer4(&b, 47);
	inner_dns(&b, 6, "erspan3.upd.kaspersky.com");
	eth(&b, 0x86dd, 0x05);
	pb_pre(&b, erspan3, sizeof(erspan3));
	gre(&b, 0x10, 0, 0x22eb, 0);
	outer4(&b, 47);
	inner_dns(&b, 6, "greudp.upd.kaspersky.com");
	gre(&b, 0x00, 0, 0x86dd, 0);
	outer_udp(&b, 50001, 4754);
	inner_dns(&b, 4, "vxlan.upd.kaspersky.com");
	eth(&b, 0x0800, 0x05);
	vxlan_hdr(&b, 0x08, 0, 5000);
	outer_udp(&b, 50002, 4789);
	inner_dns(&b, 4, "vxlangpe.upd.kaspersky.com");
	vxlan_hdr(&b, 0x0c, 1, 5001);
	outer_udp(&b, 50003, 4790);
	inner_dns(&b, 6, "geneve.upd.kaspersky.com");
	eth(&b, 0x86dd, 0x05);
	pb_pre(&b, geneve, sizeof(geneve));
	outer_udp(&b, 50004, 6081);
	/* GTP-U: a TCP handshake's SYN, then a ClientHello. */
	b.n = 0;
	tcp(&b, &c4, &s4, 41000, 443, seq, 0x02);
	ipv(&b, &c4, &s4, 6);
	gtpu_hdr(&b, 0xff, 0xabcdef);
	outer_udp(&b, 2152, 2152);
	b.n = 0;
	tls_hello(&b, "gtpu.upd.kaspersky.com");
	tcp(&b, &c4, &s4, 41000, 443, seq + 1, 0x18);
	ipv(&b, &c4, &s4, 6);
	gtpu_hdr(&b, 0xff, 0xabcdef);
	outer_udp(&b, 2152, 2152);
	inner_dns(&b, 4, "ipip.upd.kaspersky.com");
	outer4(&b, 4);
	inner_dns(&b, 6, "6in4.upd.kaspersky.com");
	outer4(&b, 41);
	inner_dns(&b, 4, "4in6.upd.kaspersky.com");
	outer6(&b, 4);
	inner_dns(&b, 6, "6in6.upd.kaspersky.com");
	outer6(&b, 41);
	inner_dns(&b, 6, "ayiya.upd.kaspersky.com");
	pb_pre(&b, ayiya, sizeof(ayiya));
	outer_udp(&b, 50005, 5072);
	inner_dns(&b, 6, "teredo.upd.kaspersky.com");
	pb_pre(&b, origin, sizeof(origin));
	outer_udp(&b, 3544, 50006);
	inner_dns(&b, 6, "teredoauth.upd.kaspersky.com");
	pb_pre(&b, origin, sizeof(origin));
	pb_pre(&b, auth, sizeof(auth));
	outer_udp(&b, 50007, 3544);
	/* Two deep: VXLAN in GRE. */
	inner_dns(&b, 4, "nested.upd.kaspersky.com");
	eth(&b, 0x0800, 0x05);
	vxlan_hdr(&b, 0x08, 0, 6000);
	udp(&b, &p1, &p2, 50008, 4789);
	ipv(&b, &p1, &p2, 17);
	gre(&b, 0x20, 0, 0x86dd, 42);
	outer4(&b, 47);
	pcap_close();
}

/* What is not opened, and ordinary traffic on the tunnels' ports. */
static void
edges(const char *dir)
{
	static const uint8_t geneve_nsh[8] = { 0x00, 0x00, 0x89, 0x4f,
	    0, 0, 9, 0 };
	struct pbuf b;
	int i;

	pcap_open(dir, "tunnels-edge.pcap");
	/* Five IP-in-IP layers: one more than the default depth. */
	inner_dns(&b, 4, "deep.upd.kaspersky.com");
	for (i = 0; i < 4; i++)
		ipv(&b, &o1, &o2, 4);
	outer4(&b, 4);
	/* GRE carrying PPP (0x880b), and PPTP's enhanced GRE. */
	inner_dns(&b, 4, "greppp.upd.kaspersky.com");
	gre(&b, 0x00, 0, 0x880b, 0);
	outer4(&b, 47);
	inner_dns(&b, 4, "pptp.upd.kaspersky.com");
	gre(&b, 0x30, 1, 0x880b, 0x00100001);
	outer4(&b, 47);
	/* Geneve carrying NSH; VXLAN-GPE carrying NSH. */
	inner_dns(&b, 4, "geneve-nsh.upd.kaspersky.com");
	pb_pre(&b, geneve_nsh, sizeof(geneve_nsh));
	outer_udp(&b, 50010, 6081);
	inner_dns(&b, 4, "gpe-nsh.upd.kaspersky.com");
	vxlan_hdr(&b, 0x0c, 4, 5002);
	outer_udp(&b, 50011, 4790);
	/* GTP-U echo request; a G-PDU of an Ethernet PDU session. */
	b.n = 0;
	gtpu_hdr(&b, 1, 0);
	outer_udp(&b, 2152, 2152);
	inner_dns(&b, 4, "gtpu-eth.upd.kaspersky.com");
	eth(&b, 0x0800, 0x05);
	gtpu_hdr(&b, 0xff, 0x99);
	outer_udp(&b, 2152, 2152);
	/* Plain DNS on the tunnels' ports: must stay DNS. */
	b.n = 0;
	dns_query(&b, 0x0800, "plain4789.upd.kaspersky.com", true);
	udp(&b, &s4, &c4, 53, 4789);
	ipv(&b, &s4, &c4, 17);
	eth(&b, 0x0800, 0x35);
	pcap_frame(&b);
	b.n = 0;
	dns_query(&b, 0x6000, "plain3544.upd.kaspersky.com", false);
	udp(&b, &c4, &s4, 3544, 53);
	ipv(&b, &c4, &s4, 17);
	eth(&b, 0x0800, 0x05);
	pcap_frame(&b);
	b.n = 0;
	dns_query(&b, 0x4152, "plain5072.upd.kaspersky.com", false);
	udp(&b, &c4, &s4, 5072, 53);
	ipv(&b, &c4, &s4, 17);
	eth(&b, 0x0800, 0x05);
	pcap_frame(&b);
	b.n = 0;
	dns_query(&b, 0x3000, "plain2152.upd.kaspersky.com", false);
	udp(&b, &c4, &s4, 2152, 53);
	ipv(&b, &c4, &s4, 17);
	eth(&b, 0x0800, 0x05);
	pcap_frame(&b);
	pcap_close();
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-tunnels OUTDIR\n");
		return 2;
	}
	c4 = ip("10.20.0.5");
	s4 = ip("10.20.0.53");
	c6 = ip("fd00:20::5");
	s6 = ip("fd00:20::53");
	o1 = ip("198.51.100.1");
	o2 = ip("198.51.100.2");
	p1 = ip("2001:db8:100::1");
	p2 = ip("2001:db8:100::2");
	tunnels(argv[1]);
	edges(argv[1]);
	return 0;
}
