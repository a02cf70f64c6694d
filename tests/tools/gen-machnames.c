/* gen-machnames.c - a capture of machines naming themselves (DHCP RFC 2131,
 * DHCPv6 RFC 8415, mDNS RFC 6762, LLMNR RFC 4795, NetBIOS RFC 1002). */

/*
 * gen-machnames OUTDIR writes OUTDIR/machine-names.pcap: Ethernet, office
 * LAN 192.168.20.0/24 and 2001:db8:20::/64, DHCP server 192.168.20.1.
 * Every run writes the same bytes (little-endian pcap, microseconds,
 * snaplen 65535, packet time from 2024-10-01T09:00:00Z).  Each machine
 * names itself one way, then asks 192.168.20.1 for s10.upd.kaspersky.com:
 *  - .31 (02:00:00:00:14:1f) DHCPREQUEST (host name ALICE-PC, client FQDN
 *    alice-pc.corp.example in wire form, client id, vendor "MSFT 5.0",
 *    option 50), the server's DHCPACK; later an HTTP GET to
 *    s10.upd.kaspersky.com with a Kaspersky updater's User-Agent.
 *  - .32 (:20) an mDNS response: bobs-mac.local A .32, and the PTR of
 *    its own reverse name; also an A record for .99 (not its own: no).
 *  - .33 (:21) NetBIOS registrations CAROL-PC<00>, CAROL-PC<20> and the
 *    group WORKGROUP<00>; one for the address .98 (not its own: no).
 *  - .34 (:22) an LLMNR response: dave-pc A .34.
 *  - 2001:db8:20::35 (:23) DHCPv6 Request and Reply: client FQDN
 *    erin-laptop.corp.example, a DUID, IA_NA 2001:db8:20::35.
 *  - .36 DHCPREQUEST as OLD-PC from :24, then the address is leased to
 *    :25 (DHCPACK) which asks as NEW-PC: only NEW-PC is .36's.
 *  - .37 (:27) a DHCP host name with bytes a report must escape: quotes,
 *    a comma, <script>, a leading '=', a newline, 0xff.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapw.h"

const char *pb_prog = "gen-machnames";

#define T0	1727773200u	/* 2024-10-01T09:00:00Z */

static FILE	*out;
static uint32_t	 usec;			/* packet clock, from T0 */

struct node {
	uint8_t	 mac[6];
	int	 af;
	uint8_t	 ip[16];
};

static struct node
node4(unsigned mac_last, unsigned ip_last)
{
	struct node n = { { 2, 0, 0, 0, 0x14, (uint8_t)mac_last }, 4, {
	    192, 168, 20, (uint8_t)ip_last } };

	return n;
}

static struct node
node6(unsigned mac_last, unsigned ip_last)
{
	struct node n = { { 2, 0, 0, 0, 0x14, (uint8_t)mac_last }, 6, {
	    0x20, 0x01, 0x0d, 0xb8, 0, 0x20 } };

	n.ip[15] = (uint8_t)ip_last;
	return n;
}

/* One frame from s to d (a NULL d: broadcast / multicast MAC dmac). */
static void
frame(const struct node *s, const struct node *d, const uint8_t *dmac,
    const uint8_t *dip, unsigned proto, unsigned sport, unsigned dport,
    const struct pbuf *l7, uint32_t seq, unsigned tflags)
{
	struct pbuf f = { .n = 0 }, l4 = { .n = 0 }, ph = { .n = 0 };
	const uint8_t *dst_ip = d != NULL ? d->ip : dip;
	size_t alen = s->af == 4 ? 4 : 16, ck;
	uint32_t cs;

	pb_u16(&l4, sport);
	pb_u16(&l4, dport);
	if (proto == 17) {
		pb_u16(&l4, 8 + (unsigned)l7->n);
		ck = l4.n;
		pb_u16(&l4, 0);
	} else {
		pb_u32(&l4, seq);
		pb_u32(&l4, 1);
		pb_u8(&l4, 5 << 4);
		pb_u8(&l4, tflags);
		pb_u16(&l4, 65535);
		ck = l4.n;
		pb_u16(&l4, 0);
		pb_u16(&l4, 0);
	}
	pb_put(&l4, l7->b, l7->n);
	pb_put(&ph, s->ip, alen);
	pb_put(&ph, dst_ip, alen);
	pb_u16(&ph, proto);
	pb_u16(&ph, (unsigned)l4.n);
	cs = ck_fold(ck_sum(ck_sum(0, ph.b, ph.n), l4.b, l4.n));
	if (proto == 17 && cs == 0)
		cs = 0xffff;
	l4.b[ck] = (uint8_t)(cs >> 8);
	l4.b[ck + 1] = (uint8_t)cs;

	pb_put(&f, d != NULL ? d->mac : dmac, 6);
	pb_put(&f, s->mac, 6);
	if (s->af == 4) {
		size_t h;

		pb_u16(&f, 0x0800);
		h = f.n;
		pb_u8(&f, 0x45);
		pb_u8(&f, 0);
		pb_u16(&f, 20 + (unsigned)l4.n);
		pb_u16(&f, 1);
		pb_u16(&f, 0);
		pb_u8(&f, 64);
		pb_u8(&f, proto);
		pb_u16(&f, 0);
		pb_put(&f, s->ip, 4);
		pb_put(&f, dst_ip, 4);
		cs = ck_fold(ck_sum(0, f.b + h, 20));
		f.b[h + 10] = (uint8_t)(cs >> 8);
		f.b[h + 11] = (uint8_t)cs;
	} else {
		pb_u16(&f, 0x86dd);
		pb_u32(&f, 0x60000000);
		pb_u16(&f, (unsigned)l4.n);
		pb_u8(&f, proto);
		pb_u8(&f, 64);
		pb_put(&f, s->ip, 16);
		pb_put(&f, dst_ip, 16);
	}
	pb_put(&f, l4.b, l4.n);
	while (f.n < 60)
		pb_u8(&f, 0);
	usec += 250000;
	pcapw_record(out, T0 + usec / 1000000, usec % 1000000, f.b, f.n);
}

static void
udp(const struct node *s, const struct node *d, unsigned sport,
    unsigned dport, const struct pbuf *m)
{
	frame(s, d, NULL, NULL, 17, sport, dport, m, 0, 0);
}

/* A DNS name in wire form, from dotted text. */
static void
dname(struct pbuf *b, const char *name)
{
	const char *p = name, *dot;
	size_t n;

	while (*p != '\0') {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		pb_u8(b, (unsigned)n);
		pb_put(b, p, n);
		p += n;
		if (*p == '.')
			p++;
	}
	pb_u8(b, 0);
}

static void
dns_query(const struct node *c, const struct node *srv, unsigned id,
    const char *name)
{
	struct pbuf m = { .n = 0 };

	pb_u16(&m, id);
	pb_u16(&m, 0x0100);
	pb_u16(&m, 1);
	pb_zero(&m, 6);
	dname(&m, name);
	pb_u16(&m, 1);
	pb_u16(&m, 1);
	udp(c, srv, 40000 + id, 53, &m);
}

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* A BOOTP message with the cookie; opts are appended by the caller. */
static void
bootp(struct pbuf *m, unsigned op, const uint8_t *chaddr, const uint8_t *ci,
    const uint8_t *yi)
{
	static const uint8_t none[4];

	pb_u8(m, op);
	pb_u8(m, 1);
	pb_u8(m, 6);
	pb_u8(m, 0);
	pb_u32(m, 0x5a5a0000u + chaddr[5]);
	pb_u16(m, 0);
	pb_u16(m, 0);
	pb_put(m, ci != NULL ? ci : none, 4);
	pb_put(m, yi != NULL ? yi : none, 4);
	pb_zero(m, 8);				/* siaddr, giaddr */
	pb_put(m, chaddr, 6);
	pb_zero(m, 10 + 64 + 128);
	pb_u32(m, 0x63825363);
}

static void
opt(struct pbuf *m, unsigned code, const void *p, size_t n)
{
	pb_u8(m, code);
	pb_u8(m, (unsigned)n);
	pb_put(m, p, n);
}

static void
dhcp_request(const struct node *c, const char *host, const char *fqdn)
{
	struct pbuf m = { .n = 0 }, f = { .n = 0 };
	static const uint8_t zero4[4];
	uint8_t type = 3, cid[7];
	struct node any = *c;

	memset(any.ip, 0, sizeof(any.ip));
	bootp(&m, 1, c->mac, NULL, NULL);
	opt(&m, 53, &type, 1);
	cid[0] = 1;
	memcpy(cid + 1, c->mac, 6);
	opt(&m, 61, cid, 7);
	opt(&m, 50, c->ip, 4);
	opt(&m, 12, host, strlen(host));
	if (fqdn != NULL) {
		pb_u8(&f, 0x05);			/* S, E */
		pb_u8(&f, 0);
		pb_u8(&f, 0);
		dname(&f, fqdn);
		opt(&m, 81, f.b, f.n);
	}
	opt(&m, 60, "MSFT 5.0", 8);
	pb_u8(&m, 255);
	frame(&any, NULL, bcast, (const uint8_t[]){ 255, 255, 255, 255 }, 17,
	    68, 67, &m, 0, 0);
	(void)zero4;
}

static void
dhcp_ack(const struct node *srv, const struct node *c)
{
	struct pbuf m = { .n = 0 };
	uint8_t type = 5;

	bootp(&m, 2, c->mac, NULL, c->ip);
	opt(&m, 53, &type, 1);
	opt(&m, 54, srv->ip, 4);
	pb_u8(&m, 255);
	frame(srv, c, NULL, NULL, 17, 67, 68, &m, 0, 0);
}

static void
rr_a(struct pbuf *m, const char *owner, const uint8_t *ip)
{
	dname(m, owner);
	pb_u16(m, 1);
	pb_u16(m, 0x8001);
	pb_u32(m, 120);
	pb_u16(m, 4);
	pb_put(m, ip, 4);
}

static void
mdns_llmnr(void)
{
	static const uint8_t mdns_mac[6] = { 1, 0, 0x5e, 0, 0, 0xfb };
	static const uint8_t mdns_ip[4] = { 224, 0, 0, 251 };
	struct node bob = node4(0x20, 32), dave = node4(0x22, 34);
	struct node asker = node4(0x30, 60);
	struct pbuf m = { .n = 0 };
	uint8_t other[4] = { 192, 168, 20, 99 };

	pb_u16(&m, 0);
	pb_u16(&m, 0x8400);
	pb_u16(&m, 0);
	pb_u16(&m, 3);
	pb_zero(&m, 4);
	rr_a(&m, "bobs-mac.local", bob.ip);
	dname(&m, "32.20.168.192.in-addr.arpa");
	pb_u16(&m, 12);
	pb_u16(&m, 0x8001);
	pb_u32(&m, 120);
	pb_u16(&m, 2);
	pb_u16(&m, 0xc00c);			/* bobs-mac.local */
	rr_a(&m, "printer.local", other);
	frame(&bob, NULL, mdns_mac, mdns_ip, 17, 5353, 5353, &m, 0, 0);

	m.n = 0;
	pb_u16(&m, 0x4c4c);
	pb_u16(&m, 0x8000);
	pb_u16(&m, 1);
	pb_u16(&m, 1);
	pb_zero(&m, 4);
	dname(&m, "dave-pc");
	pb_u16(&m, 1);
	pb_u16(&m, 1);
	rr_a(&m, "dave-pc", dave.ip);
	udp(&dave, &asker, 5355, 50000, &m);
}

/* A NetBIOS name registration request (RFC 1002 4.2.2), broadcast. */
static void
nb_register(const struct node *s, const char *name, unsigned suffix,
    bool group, const uint8_t *addr)
{
	static const uint8_t bc_ip[4] = { 192, 168, 20, 255 };
	struct pbuf m = { .n = 0 };
	char pad[16];
	unsigned i;

	memset(pad, ' ', sizeof(pad));
	memcpy(pad, name, strlen(name));
	pad[15] = (char)suffix;
	pb_u16(&m, 0x7000 + suffix);
	pb_u16(&m, 0x2910);			/* registration, RD, B */
	pb_u16(&m, 1);
	pb_u16(&m, 0);
	pb_u16(&m, 0);
	pb_u16(&m, 1);
	pb_u8(&m, 32);
	for (i = 0; i < 16; i++) {
		pb_u8(&m, 'A' + ((uint8_t)pad[i] >> 4));
		pb_u8(&m, 'A' + ((uint8_t)pad[i] & 0xf));
	}
	pb_u8(&m, 0);
	pb_u16(&m, 0x20);
	pb_u16(&m, 1);
	pb_u16(&m, 0xc00c);
	pb_u16(&m, 0x20);
	pb_u16(&m, 1);
	pb_u32(&m, 300000);
	pb_u16(&m, 6);
	pb_u16(&m, group ? 0x8000 : 0);
	pb_put(&m, addr, 4);
	frame(s, NULL, bcast, bc_ip, 17, 137, 137, &m, 0, 0);
}

static void
dhcp6(void)
{
	static const uint8_t all_mac[6] = { 0x33, 0x33, 0, 1, 0, 2 };
	static const uint8_t all_ip[16] = { 0xff, 2, [13] = 1, [15] = 2 };
	struct node erin = node6(0x23, 0x35), ll = erin, srv = node6(1, 1);
	struct pbuf m = { .n = 0 }, duid = { .n = 0 }, ia = { .n = 0 };
	struct pbuf fq = { .n = 0 };
	int pass;

	memset(ll.ip, 0, 16);
	ll.ip[0] = 0xfe;
	ll.ip[1] = 0x80;
	ll.ip[15] = 0x35;
	pb_u16(&duid, 3);				/* DUID-LL */
	pb_u16(&duid, 1);
	pb_put(&duid, erin.mac, 6);
	pb_u32(&ia, 1);
	pb_u32(&ia, 3600);
	pb_u32(&ia, 5400);
	pb_u16(&ia, 5);
	pb_u16(&ia, 24);
	pb_put(&ia, erin.ip, 16);
	pb_u32(&ia, 7200);
	pb_u32(&ia, 7200);
	pb_u8(&fq, 1);				/* S */
	dname(&fq, "erin-laptop.corp.example");
	for (pass = 0; pass < 2; pass++) {
		m.n = 0;
		pb_u32(&m, (pass == 0 ? 3u : 7u) << 24 | 0x123456);
		pb_u16(&m, 1);
		pb_u16(&m, (unsigned)duid.n);
		pb_put(&m, duid.b, duid.n);
		pb_u16(&m, 3);
		pb_u16(&m, (unsigned)ia.n);
		pb_put(&m, ia.b, ia.n);
		pb_u16(&m, 39);
		pb_u16(&m, (unsigned)fq.n);
		pb_put(&m, fq.b, fq.n);
		if (pass == 0)
			frame(&ll, NULL, all_mac, all_ip, 17, 546, 547, &m, 0,
			    0);
		else {
			struct node srv_ll = srv;

			memcpy(srv_ll.ip, ll.ip, 16);
			srv_ll.ip[15] = 1;
			frame(&srv_ll, &ll, NULL, NULL, 17, 547, 546, &m, 0,
			    0);
		}
	}
}

static void
http_get(const struct node *c, const struct node *s)
{
	struct pbuf m = { .n = 0 }, none = { .n = 0 };
	static const char req[] =
	    "GET /diffs/bases/av/kdb/i386/kdb-i386-0607g.xml.dif HTTP/1.1\r\n"
	    "Host: s10.upd.kaspersky.com\r\n"
	    "User-Agent: KasperskyLab Updater/21.3.10.391 (Windows 10; "
	    "KES 11.11.0.452)\r\n"
	    "Accept: */*\r\n\r\n";

	frame(c, s, NULL, NULL, 6, 49200, 80, &none, 1000, 0x02);
	frame(s, c, NULL, NULL, 6, 80, 49200, &none, 5000, 0x12);
	frame(c, s, NULL, NULL, 6, 49200, 80, &none, 1001, 0x10);
	pb_put(&m, req, sizeof(req) - 1);
	frame(c, s, NULL, NULL, 6, 49200, 80, &m, 1001, 0x18);
}

int
main(int argc, char **argv)
{
	struct node srv = node4(1, 1), srv6 = node6(1, 1);
	struct node alice = node4(0x1f, 31), carol = node4(0x21, 33);
	struct node old = node4(0x24, 36), new_ = node4(0x25, 36);
	struct node mal = node4(0x27, 37), upd = { { 2, 0, 0, 0, 0x14, 0xfe },
	    4, { 80, 239, 170, 10 } };
	uint8_t other[4] = { 192, 168, 20, 98 };
	char path[4096];
	unsigned i;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-machnames OUTDIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/machine-names.pcap", argv[1]);
	if ((out = fopen(path, "wb")) == NULL) {
		perror(path);
		return 1;
	}
	pcapw_header(out, 65535, 1);		/* Ethernet */

	dhcp_request(&alice, "ALICE-PC", "alice-pc.corp.example");
	dhcp_ack(&srv, &alice);
	mdns_llmnr();
	nb_register(&carol, "CAROL-PC", 0x00, false, carol.ip);
	nb_register(&carol, "CAROL-PC", 0x20, false, carol.ip);
	nb_register(&carol, "WORKGROUP", 0x00, true, carol.ip);
	nb_register(&carol, "MALLORY", 0x00, false, other);
	dhcp6();
	dhcp_request(&old, "OLD-PC", NULL);
	dhcp_ack(&srv, &old);
	dhcp_request(&mal, "\"evil\",<script>\n=cmd\xff", NULL);
	dhcp_ack(&srv, &mal);
	usec += 60000000;			/* a minute later */
	dhcp_ack(&srv, &new_);
	dhcp_request(&new_, "NEW-PC", NULL);
	{
		struct node who[] = { alice, node4(0x20, 32), carol,
		    node4(0x22, 34), node4(0x20, 99), node4(0x21, 98), new_,
		    mal };

		for (i = 0; i < sizeof(who) / sizeof(who[0]); i++)
			dns_query(&who[i], &srv, 100 + i,
			    "s10.upd.kaspersky.com");
	}
	{
		struct node erin = node6(0x23, 0x35);

		dns_query(&erin, &srv6, 120, "s10.upd.kaspersky.com");
	}
	http_get(&alice, &upd);
	if (fclose(out) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}
