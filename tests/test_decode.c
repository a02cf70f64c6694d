/* test_decode.c - link layers, IP, UDP/TCP and defragmentation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "decode.h"

/* --- building blocks (macros so frames stay plain byte arrays) ------- */

/* DNS query: id 0xabcd, RD, one question example.com A IN (29 bytes). */
#define DNS_Q \
	0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, \
	0x00, 0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0x03, 'c', 'o', 'm', \
	0x00, 0x00, 0x01, 0x00, 0x01
#define DNS_Q_LEN	29

/* UDP 54321 -> 53, length 37, no checksum, then the query. */
#define UDP_DNS \
	0xd4, 0x31, 0x00, 0x35, 0x00, 0x25, 0x00, 0x00, DNS_Q

/* IPv4 192.168.1.10 -> 8.8.8.8, total 57, id 0x1234, DF, TTL 64, UDP. */
#define IP4_UDP_DNS \
	0x45, 0x00, 0x00, 0x39, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00, \
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08, UDP_DNS

/* IPv6 addresses 2001:db8::1 and 2001:db8::53. */
#define V6_SRC	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
#define V6_DST	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53

/* IPv6 2001:db8::1 -> 2001:db8::53, payload 37, next header UDP. */
#define IP6_UDP_DNS \
	0x60, 0x00, 0x00, 0x00, 0x00, 0x25, 0x11, 0x40, V6_SRC, V6_DST, \
	UDP_DNS

/* Ethernet destination 00:11:22:33:44:55, source 66:77:88:99:aa:bb. */
#define ETH_MACS \
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb

static const uint8_t mac_a[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t mac_b[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
static const uint8_t dns_q[DNS_Q_LEN] = { DNS_Q };
static const uint8_t zero6[6];

/* --- frames ---------------------------------------------------------- */

/* Ethernet II, IPv4, UDP, DNS query. */
static const uint8_t f_eth4[] = {
	ETH_MACS, 0x08, 0x00,
	IP4_UDP_DNS,
};

/* Ethernet II, IPv6, UDP, DNS query. */
static const uint8_t f_eth6[] = {
	ETH_MACS, 0x86, 0xdd,
	IP6_UDP_DNS,
};

/* 802.1Q tag PCP 5 VID 100, then IPv4. */
static const uint8_t f_vlan[] = {
	ETH_MACS, 0x81, 0x00,
	0xa0, 0x64, 0x08, 0x00,
	IP4_UDP_DNS,
};

/* QinQ: 802.1ad S-tag VID 10, 802.1Q C-tag VID 20, IPv4. */
static const uint8_t f_qinq[] = {
	ETH_MACS, 0x88, 0xa8,
	0x00, 0x0a, 0x81, 0x00,
	0x00, 0x14, 0x08, 0x00,
	IP4_UDP_DNS,
};

/* Four tags, 0x9100 VID 1, 0x9200 VID 2, 0x88a8 VID 3, 0x8100 VID 4:
 * only the outer three are kept.  IPv6 follows. */
static const uint8_t f_tag4[] = {
	ETH_MACS, 0x91, 0x00,
	0x00, 0x01, 0x92, 0x00,
	0x00, 0x02, 0x88, 0xa8,
	0x00, 0x03, 0x81, 0x00,
	0x00, 0x04, 0x86, 0xdd,
	IP6_UDP_DNS,
};

/* MPLS: label 16 (S=0), label 17 (S=1), TTL 64, then IPv4. */
static const uint8_t f_mpls[] = {
	ETH_MACS, 0x88, 0x47,
	0x00, 0x01, 0x00, 0x40,
	0x00, 0x01, 0x11, 0x40,
	IP4_UDP_DNS,
};

/* MPLS label 17 (S=1), control word, Ethernet 02:..:02 -> 02:..:01. */
static const uint8_t f_mpls_pw[] = {
	ETH_MACS, 0x88, 0x47,
	0x00, 0x01, 0x11, 0x40,
	0x00, 0x00, 0x00, 0x00,			/* control word */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00,
	IP4_UDP_DNS,
};

/* PPPoE session 1, length 79 (PPP protocol + 77), PPP IPv6. */
static const uint8_t f_pppoe[] = {
	ETH_MACS, 0x88, 0x64,
	0x11, 0x00, 0x00, 0x01, 0x00, 0x4f,
	0x00, 0x57,
	IP6_UDP_DNS,
};

/* Linux SLL: incoming, ARPHRD_ETHER, 6-byte source MAC, IPv4. */
static const uint8_t f_sll[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x00, 0x00,
	0x08, 0x00,
	IP4_UDP_DNS,
};

/* Linux SLL2: IPv4, ifindex 2, ARPHRD_ETHER, outgoing, 6-byte MAC. */
static const uint8_t f_sll2[] = {
	0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x04, 0x06,
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x00, 0x00,
	IP4_UDP_DNS,
};

/* Linux SLL2 on a VLAN: protocol 0x8100, tag VID 7, then IPv4. */
static const uint8_t f_sll2_vlan[] = {
	0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x00, 0x06,
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x00, 0x00,
	0x00, 0x07, 0x08, 0x00,
	IP4_UDP_DNS,
};

/* Linux SLL on lo: ARPHRD_LOOPBACK (772), no address, IPv6. */
static const uint8_t f_sll_lo[] = {
	0x00, 0x00, 0x03, 0x04, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x86, 0xdd,
	IP6_UDP_DNS,
};

/* Linux SLL, protocol 0x0004 (ETH_P_802_2): 802.2 LLC, not Ethernet. */
static const uint8_t f_sll_llc[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x00, 0x00,
	0x00, 0x04,
	0x42, 0x42, 0x03, 0x00, 0x00,
};

static const uint8_t f_raw4[] = { IP4_UDP_DNS };
static const uint8_t f_raw6[] = { IP6_UDP_DNS };

/* ARP request who-has 192.168.1.1 tell 192.168.1.10. */
static const uint8_t f_arp[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x66, 0x77, 0x88, 0x99, 0xaa,
	0xbb, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xc0, 0xa8, 0x01, 0x0a,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xa8, 0x01, 0x01,
};

/* LLDP (0x88cc): chassis id TLV only. */
static const uint8_t f_lldp[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 0x66, 0x77, 0x88, 0x99, 0xaa,
	0xbb, 0x88, 0xcc,
	0x02, 0x07, 0x04, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
};

/* 802.3 length 65, LLC/SNAP AA AA 03, OUI 000000, type IPv4. */
static const uint8_t f_snap[] = {
	ETH_MACS, 0x00, 0x41,
	0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00,
	IP4_UDP_DNS,
};

/* 802.3 with an STP BPDU (LLC 42 42 03). */
static const uint8_t f_stp[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa,
	0xbb, 0x00, 0x26,
	0x42, 0x42, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* 802.3 SNAP with Cisco's OUI 00000c, type 0x2000 (CDP). */
static const uint8_t f_cdp[] = {
	0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc, 0x66, 0x77, 0x88, 0x99, 0xaa,
	0xbb, 0x00, 0x10,
	0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00, 0x02, 0xb4,
};

/*
 * IPv6 with hop-by-hop (PadN), destination options (PadN) and a type 0
 * routing header (24 bytes) in front of UDP; payload length 77.
 */
static const uint8_t f_ext6[] = {
	ETH_MACS, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x4d, 0x00, 0x40, V6_SRC, V6_DST,
	0x3c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,	/* HBH -> 60 */
	0x2b, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,	/* DST -> 43 */
	0x11, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,	/* RH -> UDP */
	V6_DST,
	UDP_DNS,
};

/* IPv6 with AH (payload len 4: 24 bytes) in front of UDP; plen 61. */
static const uint8_t f_ah6[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x3d, 0x33, 0x40, V6_SRC, V6_DST,
	0x11, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,	/* AH -> UDP */
	0x00, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44,	/* seq, ICV */
	0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
	UDP_DNS,
};

/*
 * IPv4 TCP 50000 -> 443, seq 0x01020304, ack 0x05060708, data offset 8
 * (NOP NOP timestamps), PSH|ACK, payload "hello"; total 57.
 */
static const uint8_t f_tcp[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x39, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x5d, 0xb8, 0xd8, 0x22,
	0xc3, 0x50, 0x01, 0xbb, 0x01, 0x02, 0x03, 0x04,
	0x05, 0x06, 0x07, 0x08, 0x80, 0x18, 0x01, 0xf5,
	0x00, 0x00, 0x00, 0x00,
	0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x02,
	'h', 'e', 'l', 'l', 'o',
};

/* IPv4 UDP 1234 -> 53 with 4 bytes of payload, padded to 60 bytes. */
static const uint8_t f_pad[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x20, 0x00, 0x02, 0x00, 0x00, 0x40, 0x11, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08,
	0x04, 0xd2, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00,
	'a', 'b', 'c', 'd',
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* padding */
};

/* IPv4 TCP pure ACK (total 40) padded to a 60-byte frame. */
static const uint8_t f_tcp_pad[] = {
	ETH_MACS, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x28, 0x00, 0x07, 0x40, 0x00, 0x40, 0x06, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x5d, 0xb8, 0xd8, 0x22,
	0xc3, 0x50, 0x01, 0xbb, 0x01, 0x02, 0x03, 0x04,
	0x05, 0x06, 0x07, 0x08, 0x50, 0x10, 0x01, 0xf5,
	0x00, 0x00, 0x00, 0x00,
	0, 0, 0, 0, 0, 0,				/* padding */
};

/* IPv6 UDP with a 4-byte trailer after the payload length. */
static const uint8_t f_trail6[] = {
	IP6_UDP_DNS,
	0xde, 0xad, 0xbe, 0xef,
};

/* ICMP echo request 192.168.1.10 -> 8.8.8.8; total 28. */
static const uint8_t f_icmp[] = {
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x03, 0x00, 0x00, 0x40, 0x01, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08,
	0x08, 0x00, 0xf7, 0xfe, 0x00, 0x01, 0x00, 0x00,
};

/* IPv6, next header 50 (ESP): SPI and sequence only. */
static const uint8_t f_esp6[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x32, 0x40, V6_SRC, V6_DST,
	0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/* IPv6, next header 59 after a destination options header. */
static const uint8_t f_nonext6[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x3c, 0x40, V6_SRC, V6_DST,
	0x3b, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
};

/* IPv6 jumbogram: payload length 0, hop-by-hop with a jumbo option. */
static const uint8_t f_jumbo6[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, V6_SRC, V6_DST,
	0x11, 0x00, 0xc2, 0x04, 0x00, 0x01, 0x00, 0x25,
	UDP_DNS,
};

/* IPv4 with total length 0 (sender's capture under TSO). */
static const uint8_t f_tso[] = {
	0x45, 0x00, 0x00, 0x00, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08,
	UDP_DNS,
};

/* IPv4 header claiming total 200 in a 57-byte datagram. */
static const uint8_t f_long4[] = {
	0x45, 0x00, 0x00, 0xc8, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08,
	UDP_DNS,
};

/* IPv4 with IHL 4. */
static const uint8_t f_ihl4[] = {
	0x44, 0x00, 0x00, 0x39, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08,
	UDP_DNS,
};

/* UDP length 7. */
static const uint8_t f_udp7[] = {
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x04, 0x00, 0x00, 0x40, 0x11, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08,
	0x04, 0xd2, 0x00, 0x35, 0x00, 0x07, 0x00, 0x00,
};

/* UDP length 100 in an IP payload of 12: payload bounded by IP (4). */
static const uint8_t f_udplong[] = {
	0x45, 0x00, 0x00, 0x20, 0x00, 0x05, 0x00, 0x00, 0x40, 0x11, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08,
	0x04, 0xd2, 0x00, 0x35, 0x00, 0x64, 0x00, 0x00,
	'a', 'b', 'c', 'd',
};

/* TCP data offset 4. */
static const uint8_t f_tcp4[] = {
	0x45, 0x00, 0x00, 0x28, 0x00, 0x06, 0x00, 0x00, 0x40, 0x06, 0x00,
	0x00, 0xc0, 0xa8, 0x01, 0x0a, 0x08, 0x08, 0x08, 0x08,
	0xc3, 0x50, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x40, 0x02, 0x01, 0xf5,
	0x00, 0x00, 0x00, 0x00,
};

/* PPPoE session carrying LCP (0xc021). */
static const uint8_t f_pppoe_lcp[] = {
	ETH_MACS, 0x88, 0x64,
	0x11, 0x00, 0x00, 0x01, 0x00, 0x06,
	0xc0, 0x21, 0x09, 0x01, 0x00, 0x04,
};

/* PPPoE with a compressed one-byte protocol field (0x21: IPv4). */
static const uint8_t f_pppoe_pfc[] = {
	ETH_MACS, 0x88, 0x64,
	0x11, 0x00, 0x00, 0x01, 0x00, 0x3a,
	0x21,
	IP4_UDP_DNS,
};

/* PPPoE version/type 0x12: not RFC 2516. */
static const uint8_t f_pppoe_bad[] = {
	ETH_MACS, 0x88, 0x64,
	0x12, 0x00, 0x00, 0x01, 0x00, 0x3b,
	0x00, 0x21,
	IP4_UDP_DNS,
};

/* MPLS label with S=1 followed by a G-ACh word (first nibble 1). */
static const uint8_t f_mpls_gach[] = {
	ETH_MACS, 0x88, 0x47,
	0x00, 0x00, 0xd1, 0x40,
	0x10, 0x00, 0x00, 0x07,
};

/* Raw IP whose first nibble is 5. */
static const uint8_t f_raw5[] = { 0x50, 0x00, 0x00, 0x14 };

static const struct {
	const char	*name;
	const uint8_t	*b;
	size_t		 len;
	int		 lt;
} frames[] = {
#define F(x, lt)	{ #x, x, sizeof(x), lt }
	F(f_eth4, LINK_ETHERNET),
	F(f_eth6, LINK_ETHERNET),
	F(f_vlan, LINK_ETHERNET),
	F(f_qinq, LINK_ETHERNET),
	F(f_tag4, LINK_ETHERNET),
	F(f_mpls, LINK_ETHERNET),
	F(f_mpls_pw, LINK_ETHERNET),
	F(f_pppoe, LINK_ETHERNET),
	F(f_pppoe_pfc, LINK_ETHERNET),
	F(f_sll, LINK_LINUX_SLL),
	F(f_sll2, LINK_LINUX_SLL2),
	F(f_sll2_vlan, LINK_LINUX_SLL2),
	F(f_sll_lo, LINK_LINUX_SLL),
	F(f_raw4, LINK_RAW),
	F(f_raw6, LINK_RAW_OLD),
	F(f_raw4, LINK_IPV4),
	F(f_raw6, LINK_IPV6),
	F(f_snap, LINK_ETHERNET),
	F(f_ext6, LINK_ETHERNET),
	F(f_ah6, LINK_RAW),
	F(f_tcp, LINK_ETHERNET),
	F(f_tcp_pad, LINK_ETHERNET),
	F(f_pad, LINK_ETHERNET),
	F(f_trail6, LINK_RAW),
	F(f_icmp, LINK_RAW),
	F(f_nonext6, LINK_RAW),
#undef F
};

/* --- helpers --------------------------------------------------------- */

static struct decode *
new_dec(void)
{
	struct decode *d = decode_new(256 * 1024, 30);

	assert_non_null(d);
	return d;
}

static int
dec(struct decode *d, struct pkt *p, const uint8_t *b, size_t n, int lt)
{
	return decode_pkt(d, p, b, n, n, lt, 1000);
}

static uint64_t
malformed_sum(const struct decode *d)
{
	const struct decode_stats *st = decode_stats(d);
	uint64_t n = 0;
	int i;

	for (i = 0; i < DL_N; i++)
		n += st->malformed[i];
	return n;
}

/* The IPv4 DNS query of IP4_UDP_DNS. */
static void
check_v4_dns(const struct pkt *p)
{
	static const uint8_t s[4] = { 192, 168, 1, 10 }, t[4] = { 8, 8, 8, 8 };

	assert_int_equal(p->src.family, 4);
	assert_memory_equal(p->src.a, s, 4);
	assert_int_equal(p->dst.family, 4);
	assert_memory_equal(p->dst.a, t, 4);
	assert_int_equal(p->proto, 17);
	assert_int_equal(p->sport, 54321);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->payload_len, DNS_Q_LEN);
	assert_memory_equal(p->payload, dns_q, DNS_Q_LEN);
	assert_false(p->cut);
	assert_false(p->reassembled);
}

static void
check_v6_dns(const struct pkt *p)
{
	static const uint8_t s[16] = { V6_SRC }, t[16] = { V6_DST };

	assert_int_equal(p->src.family, 6);
	assert_memory_equal(p->src.a, s, 16);
	assert_memory_equal(p->dst.a, t, 16);
	assert_int_equal(p->proto, 17);
	assert_int_equal(p->sport, 54321);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->payload_len, DNS_Q_LEN);
	assert_memory_equal(p->payload, dns_q, DNS_Q_LEN);
	assert_false(p->cut);
}

/* --- link layers ----------------------------------------------------- */

static void
test_ethernet(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_eth4, sizeof(f_eth4), LINK_ETHERNET),
	    ERR_OK);
	check_v4_dns(&p);
	assert_true(p.has_mac);
	assert_memory_equal(p.mac_dst, mac_a, 6);
	assert_memory_equal(p.mac_src, mac_b, 6);
	assert_int_equal(p.n_vlan, 0);
	assert_int_equal(dec(d, &p, f_eth6, sizeof(f_eth6), LINK_ETHERNET),
	    ERR_OK);
	check_v6_dns(&p);
	assert_int_equal(st->ipv4, 1);
	assert_int_equal(st->ipv6, 1);
	assert_int_equal(st->udp, 2);
	assert_int_equal(st->cut, 0);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_vlan(void **state)
{
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_vlan, sizeof(f_vlan), LINK_ETHERNET),
	    ERR_OK);
	check_v4_dns(&p);
	assert_int_equal(p.n_vlan, 1);
	assert_int_equal(p.vlan[0], 100);	/* PCP bits masked off */

	assert_int_equal(dec(d, &p, f_qinq, sizeof(f_qinq), LINK_ETHERNET),
	    ERR_OK);
	check_v4_dns(&p);
	assert_int_equal(p.n_vlan, 2);
	assert_int_equal(p.vlan[0], 10);
	assert_int_equal(p.vlan[1], 20);

	assert_int_equal(dec(d, &p, f_tag4, sizeof(f_tag4), LINK_ETHERNET),
	    ERR_OK);
	check_v6_dns(&p);
	assert_int_equal(p.n_vlan, DECODE_MAX_VLAN);
	assert_int_equal(p.vlan[0], 1);
	assert_int_equal(p.vlan[1], 2);
	assert_int_equal(p.vlan[2], 3);
	assert_true(p.has_mac);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_vlan_too_many(void **state)
{
	struct decode *d = new_dec();
	uint8_t f[14 + 9 * 4 + sizeof(f_raw4)];
	/* Nine 802.1Q tags, each VID 5, the last one followed by IPv4. */
	static const uint8_t tag[4] = { 0x00, 0x05, 0x81, 0x00 };
	struct pkt p;
	size_t i, n = 0;

	(void)state;
	memcpy(f, f_eth4, 12);
	f[12] = 0x81;
	f[13] = 0x00;
	n = 14;
	for (i = 0; i < 9; i++, n += 4)
		memcpy(f + n, tag, 4);
	f[n - 2] = 0x08;
	f[n - 1] = 0x00;
	memcpy(f + n, f_raw4, sizeof(f_raw4));
	n += sizeof(f_raw4);
	assert_int_equal(dec(d, &p, f, n, LINK_ETHERNET), ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_VLAN], 1);
	/* Eight are fine. */
	assert_int_equal(dec(d, &p, f + 4, n - 4, LINK_ETHERNET), ERR_OK);
	assert_int_equal(p.n_vlan, DECODE_MAX_VLAN);
	decode_free(d);
}

static void
test_mpls(void **state)
{
	static const uint8_t pw_dst[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t pw_src[6] = { 2, 0, 0, 0, 0, 2 };
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_mpls, sizeof(f_mpls), LINK_ETHERNET),
	    ERR_OK);
	check_v4_dns(&p);
	assert_memory_equal(p.mac_src, mac_b, 6);

	assert_int_equal(dec(d, &p, f_mpls_pw, sizeof(f_mpls_pw),
	    LINK_ETHERNET), ERR_OK);
	check_v4_dns(&p);
	assert_true(p.has_mac);
	assert_memory_equal(p.mac_dst, pw_dst, 6);	/* the inner frame */
	assert_memory_equal(p.mac_src, pw_src, 6);

	assert_int_equal(dec(d, &p, f_mpls_gach, sizeof(f_mpls_gach),
	    LINK_ETHERNET), ERR_NOTFOUND);
	assert_int_equal(decode_stats(d)->non_ip, 1);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_mpls_no_bottom(void **state)
{
	struct decode *d = new_dec();
	uint8_t f[14 + 17 * 4 + sizeof(f_raw4)];
	/* Seventeen label entries with S=0. */
	static const uint8_t lse[4] = { 0x00, 0x01, 0x00, 0x40 };
	struct pkt p;
	size_t i, n;

	(void)state;
	memcpy(f, f_mpls, 14);
	for (i = 0, n = 14; i < 17; i++, n += 4)
		memcpy(f + n, lse, 4);
	memcpy(f + n, f_raw4, sizeof(f_raw4));
	n += sizeof(f_raw4);
	assert_int_equal(dec(d, &p, f, n, LINK_ETHERNET), ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_MPLS], 1);
	decode_free(d);
}

static void
test_pppoe(void **state)
{
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_pppoe, sizeof(f_pppoe), LINK_ETHERNET),
	    ERR_OK);
	check_v6_dns(&p);
	assert_int_equal(dec(d, &p, f_pppoe_pfc, sizeof(f_pppoe_pfc),
	    LINK_ETHERNET), ERR_OK);
	check_v4_dns(&p);
	assert_int_equal(dec(d, &p, f_pppoe_lcp, sizeof(f_pppoe_lcp),
	    LINK_ETHERNET), ERR_NOTFOUND);
	assert_int_equal(decode_stats(d)->non_ip, 1);
	assert_int_equal(dec(d, &p, f_pppoe_bad, sizeof(f_pppoe_bad),
	    LINK_ETHERNET), ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_PPPOE], 1);
	decode_free(d);
}

static void
test_sll(void **state)
{
	struct decode *d = new_dec();
	uint8_t f[sizeof(f_sll)];
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_sll, sizeof(f_sll), LINK_LINUX_SLL),
	    ERR_OK);
	check_v4_dns(&p);
	assert_true(p.has_mac);
	assert_memory_equal(p.mac_src, mac_b, 6);
	assert_memory_equal(p.mac_dst, zero6, 6);

	/* Outgoing (packet type 4): the same. */
	memcpy(f, f_sll, sizeof(f));
	f[1] = 4;
	assert_int_equal(dec(d, &p, f, sizeof(f), LINK_LINUX_SLL), ERR_OK);
	check_v4_dns(&p);
	assert_memory_equal(p.mac_src, mac_b, 6);
	/* An Ethernet device with no address given: no MAC. */
	f[5] = 0;
	assert_int_equal(dec(d, &p, f, sizeof(f), LINK_LINUX_SLL), ERR_OK);
	assert_false(p.has_mac);
	assert_memory_equal(p.mac_src, zero6, 6);

	assert_int_equal(dec(d, &p, f_sll2, sizeof(f_sll2), LINK_LINUX_SLL2),
	    ERR_OK);
	check_v4_dns(&p);
	assert_true(p.has_mac);
	assert_memory_equal(p.mac_src, mac_b, 6);
	assert_memory_equal(p.mac_dst, zero6, 6);

	assert_int_equal(dec(d, &p, f_sll2_vlan, sizeof(f_sll2_vlan),
	    LINK_LINUX_SLL2), ERR_OK);
	check_v4_dns(&p);
	assert_int_equal(p.n_vlan, 1);
	assert_int_equal(p.vlan[0], 7);

	assert_int_equal(dec(d, &p, f_sll_lo, sizeof(f_sll_lo),
	    LINK_LINUX_SLL), ERR_OK);
	check_v6_dns(&p);
	assert_false(p.has_mac);

	assert_int_equal(dec(d, &p, f_sll_llc, sizeof(f_sll_llc),
	    LINK_LINUX_SLL), ERR_NOTFOUND);
	assert_int_equal(decode_stats(d)->non_ip, 1);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_raw(void **state)
{
	static const int lt4[] = { LINK_RAW_OLD, LINK_RAW_OLD2, LINK_RAW,
	    LINK_IPV4 };
	static const int lt6[] = { LINK_RAW_OLD, LINK_RAW_OLD2, LINK_RAW,
	    LINK_IPV6 };
	struct decode *d = new_dec();
	struct pkt p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lt4) / sizeof(lt4[0]); i++) {
		assert_int_equal(dec(d, &p, f_raw4, sizeof(f_raw4), lt4[i]),
		    ERR_OK);
		check_v4_dns(&p);
		assert_false(p.has_mac);
		assert_int_equal(dec(d, &p, f_raw6, sizeof(f_raw6), lt6[i]),
		    ERR_OK);
		check_v6_dns(&p);
	}
	assert_int_equal(malformed_sum(d), 0);
	/* The link type says which version; the packet disagrees. */
	assert_int_equal(dec(d, &p, f_raw6, sizeof(f_raw6), LINK_IPV4),
	    ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_IPV4], 1);
	assert_int_equal(dec(d, &p, f_raw4, sizeof(f_raw4), LINK_IPV6),
	    ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_IPV6], 1);
	assert_int_equal(dec(d, &p, f_raw5, sizeof(f_raw5), LINK_RAW),
	    ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_LINK], 1);
	decode_free(d);
}

static void
test_null_loop(void **state)
{
	/* Address family headers as a little- and a big-endian host writes
	 * them. */
	static const uint8_t inet_le[4] = { 2, 0, 0, 0 };
	static const uint8_t inet_be[4] = { 0, 0, 0, 2 };
	static const uint8_t af6[] = { 10, 24, 28, 30 };
	/* Family 7 (AF_ISO on some BSDs): not IP. */
	static const uint8_t iso[4] = { 7, 0, 0, 0 };
	/* An ethertype in the last two bytes (seen in real captures). */
	static const uint8_t etype[4] = { 0x0f, 0x00, 0x08, 0x00 };
	struct decode *d = new_dec();
	uint8_t f[4 + sizeof(f_raw6)];
	struct pkt p;
	size_t i;

	(void)state;
	memcpy(f + 4, f_raw4, sizeof(f_raw4));
	memcpy(f, inet_le, 4);
	assert_int_equal(dec(d, &p, f, 4 + sizeof(f_raw4), LINK_NULL),
	    ERR_OK);
	check_v4_dns(&p);
	memcpy(f, inet_be, 4);
	assert_int_equal(dec(d, &p, f, 4 + sizeof(f_raw4), LINK_NULL),
	    ERR_OK);
	check_v4_dns(&p);
	assert_int_equal(dec(d, &p, f, 4 + sizeof(f_raw4), LINK_LOOP),
	    ERR_OK);
	check_v4_dns(&p);
	memcpy(f, etype, 4);
	assert_int_equal(dec(d, &p, f, 4 + sizeof(f_raw4), LINK_NULL),
	    ERR_OK);
	check_v4_dns(&p);
	/* LOOP is big-endian only. */
	memcpy(f, inet_le, 4);
	assert_int_equal(dec(d, &p, f, 4 + sizeof(f_raw4), LINK_LOOP),
	    ERR_NOTFOUND);
	memcpy(f, iso, 4);
	assert_int_equal(dec(d, &p, f, 4 + sizeof(f_raw4), LINK_NULL),
	    ERR_NOTFOUND);
	assert_int_equal(decode_stats(d)->non_ip, 2);

	memcpy(f + 4, f_raw6, sizeof(f_raw6));
	for (i = 0; i < sizeof(af6); i++) {
		memset(f, 0, 4);
		f[0] = af6[i];			/* little-endian host */
		assert_int_equal(dec(d, &p, f, sizeof(f), LINK_NULL), ERR_OK);
		check_v6_dns(&p);
		memset(f, 0, 4);
		f[3] = af6[i];			/* big-endian host */
		assert_int_equal(dec(d, &p, f, sizeof(f), LINK_NULL), ERR_OK);
		check_v6_dns(&p);
		assert_int_equal(dec(d, &p, f, sizeof(f), LINK_LOOP), ERR_OK);
		check_v6_dns(&p);
	}
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_non_ip(void **state)
{
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_arp, sizeof(f_arp), LINK_ETHERNET),
	    ERR_NOTFOUND);
	assert_int_equal(dec(d, &p, f_lldp, sizeof(f_lldp), LINK_ETHERNET),
	    ERR_NOTFOUND);
	assert_int_equal(dec(d, &p, f_stp, sizeof(f_stp), LINK_ETHERNET),
	    ERR_NOTFOUND);
	assert_int_equal(dec(d, &p, f_cdp, sizeof(f_cdp), LINK_ETHERNET),
	    ERR_NOTFOUND);
	assert_int_equal(decode_stats(d)->non_ip, 4);
	assert_int_equal(dec(d, &p, f_snap, sizeof(f_snap), LINK_ETHERNET),
	    ERR_OK);
	check_v4_dns(&p);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_unsupported(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	struct pkt p;

	(void)state;
	assert_true(decode_linktype_ok(LINK_ETHERNET));
	assert_true(decode_linktype_ok(LINK_LINUX_SLL2));
	assert_true(decode_linktype_ok(LINK_NULL));
	assert_true(decode_linktype_ok(105));		/* 802.11 */
	assert_false(decode_linktype_ok(143));		/* DOCSIS */
	assert_false(decode_linktype_ok(-1));
	assert_int_equal(decode_pkt(d, &p, f_eth4, 20, sizeof(f_eth4), 143,
	    0), ERR_UNSUPPORTED);
	assert_int_equal(st->cut, 0);			/* not counted */
	assert_int_equal(st->non_ip, 0);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

/* --- IP and transport ------------------------------------------------ */

static void
test_ipv6_ext(void **state)
{
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_ext6, sizeof(f_ext6), LINK_ETHERNET),
	    ERR_OK);
	check_v6_dns(&p);
	assert_int_equal(dec(d, &p, f_ah6, sizeof(f_ah6), LINK_RAW), ERR_OK);
	check_v6_dns(&p);

	assert_int_equal(dec(d, &p, f_esp6, sizeof(f_esp6), LINK_RAW),
	    ERR_OK);
	assert_int_equal(p.proto, 50);
	assert_int_equal(p.payload_len, 0);
	assert_int_equal(dec(d, &p, f_nonext6, sizeof(f_nonext6), LINK_RAW),
	    ERR_OK);
	assert_int_equal(p.proto, 59);
	assert_int_equal(p.payload_len, 0);
	assert_int_equal(decode_stats(d)->other_proto, 2);

	assert_int_equal(dec(d, &p, f_jumbo6, sizeof(f_jumbo6), LINK_RAW),
	    ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_IPV6], 1);
	decode_free(d);
}

static void
test_ipv6_ext_cap(void **state)
{
	/* Destination options header, 8 bytes, next header 60 again. */
	static const uint8_t opt[8] = { 0x3c, 0x00, 0x01, 0x04, 0, 0, 0, 0 };
	struct decode *d = new_dec();
	uint8_t f[40 + 17 * 8];
	struct pkt p;
	size_t i;

	(void)state;
	memcpy(f, f_raw6, 40);
	f[4] = 0;
	f[5] = 17 * 8;				/* payload length */
	f[6] = 60;
	for (i = 0; i < 17; i++)
		memcpy(f + 40 + i * 8, opt, 8);
	f[40 + 16 * 8] = 59;			/* the 17th: no next header */
	assert_int_equal(dec(d, &p, f, sizeof(f), LINK_RAW), ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_IPV6], 1);
	/* Sixteen, the last one pointing at "no next header", are fine. */
	memmove(f + 8, f, 40);
	f[8 + 5] = 16 * 8;
	assert_int_equal(dec(d, &p, f + 8, sizeof(f) - 8, LINK_RAW), ERR_OK);
	assert_int_equal(p.proto, 59);
	decode_free(d);
}

static void
test_tcp(void **state)
{
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_tcp, sizeof(f_tcp), LINK_ETHERNET),
	    ERR_OK);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.sport, 50000);
	assert_int_equal(p.dport, 443);
	assert_int_equal(p.seq, 0x01020304);
	assert_int_equal(p.ack, 0x05060708);
	assert_int_equal(p.tcp_flags, 0x18);		/* PSH|ACK */
	assert_int_equal(p.payload_len, 5);
	assert_memory_equal(p.payload, "hello", 5);
	assert_int_equal(decode_stats(d)->tcp, 1);

	assert_int_equal(dec(d, &p, f_tcp4, sizeof(f_tcp4), LINK_RAW),
	    ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_TCP], 1);
	decode_free(d);
}

static void
test_udp_lengths(void **state)
{
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_udp7, sizeof(f_udp7), LINK_RAW),
	    ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_UDP], 1);
	assert_int_equal(dec(d, &p, f_udplong, sizeof(f_udplong), LINK_RAW),
	    ERR_OK);
	assert_int_equal(p.payload_len, 4);
	assert_memory_equal(p.payload, "abcd", 4);
	assert_false(p.cut);
	decode_free(d);
}

static void
test_other_proto(void **state)
{
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_icmp, sizeof(f_icmp), LINK_RAW),
	    ERR_OK);
	assert_int_equal(p.proto, 1);
	assert_null(p.payload);
	assert_int_equal(p.payload_len, 0);
	assert_int_equal(decode_stats(d)->other_proto, 1);
	assert_int_equal(decode_stats(d)->udp, 0);
	decode_free(d);
}

static void
test_trim(void **state)
{
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	assert_int_equal(dec(d, &p, f_pad, sizeof(f_pad), LINK_ETHERNET),
	    ERR_OK);
	assert_int_equal(p.payload_len, 4);
	assert_memory_equal(p.payload, "abcd", 4);
	assert_false(p.cut);
	/* The FCS (4 bytes) was not captured: only padding missing. */
	assert_int_equal(decode_pkt(d, &p, f_pad, sizeof(f_pad),
	    sizeof(f_pad) + 4, LINK_ETHERNET, 0), ERR_OK);
	assert_int_equal(p.payload_len, 4);
	assert_false(p.cut);
	assert_int_equal(decode_stats(d)->cut, 1);
	/* TCP has no length of its own: only IP's keeps padding out. */
	assert_int_equal(dec(d, &p, f_tcp_pad, sizeof(f_tcp_pad),
	    LINK_ETHERNET), ERR_OK);
	assert_int_equal(p.tcp_flags, 0x10);
	assert_int_equal(p.payload_len, 0);

	assert_int_equal(dec(d, &p, f_trail6, sizeof(f_trail6), LINK_RAW),
	    ERR_OK);
	check_v6_dns(&p);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_ipv4_lengths(void **state)
{
	struct decode *d = new_dec();
	struct pkt p;

	(void)state;
	/* More claimed than there is, and the snaplen did not cut it. */
	assert_int_equal(dec(d, &p, f_long4, sizeof(f_long4), LINK_RAW),
	    ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_IPV4], 1);
	/*
	 * The same when the record says 200 bytes were on the wire: the IP
	 * datagram is cut, but the UDP length shows this payload whole.
	 */
	assert_int_equal(decode_pkt(d, &p, f_long4, sizeof(f_long4), 200,
	    LINK_RAW, 0), ERR_OK);
	assert_false(p.cut);
	assert_int_equal(p.payload_len, DNS_Q_LEN);
	assert_int_equal(dec(d, &p, f_ihl4, sizeof(f_ihl4), LINK_RAW),
	    ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_IPV4], 2);
	/* Total length 0 (TSO): the frame is the datagram. */
	assert_int_equal(dec(d, &p, f_tso, sizeof(f_tso), LINK_RAW), ERR_OK);
	check_v4_dns(&p);
	decode_free(d);
}

static void
test_cut(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	struct pkt p;

	(void)state;
	/* Snaplen in the DNS payload: 10 of its 29 bytes. */
	assert_int_equal(decode_pkt(d, &p, f_eth4, 14 + 20 + 8 + 10,
	    sizeof(f_eth4), LINK_ETHERNET, 0), ERR_OK);
	assert_true(p.cut);
	assert_int_equal(p.payload_len, 10);
	assert_memory_equal(p.payload, dns_q, 10);
	assert_int_equal(st->cut, 1);
	/* Snaplen in the UDP header: ERR_SHORT, not malformed. */
	assert_int_equal(decode_pkt(d, &p, f_eth4, 14 + 20 + 4,
	    sizeof(f_eth4), LINK_ETHERNET, 0), ERR_SHORT);
	assert_int_equal(st->cut, 2);
	assert_int_equal(st->udp, 1);
	/* The same bytes as a whole frame are malformed. */
	assert_int_equal(dec(d, &p, f_eth4, 14 + 20 + 4, LINK_ETHERNET),
	    ERR_MALFORMED);
	assert_int_equal(st->malformed[DL_IPV4], 1);
	decode_free(d);
}

/* --- fragments ------------------------------------------------------- */

/*
 * IPv4 header of the fragment tests: 10.0.0.1 -> 10.0.0.2, TTL 64, UDP.
 * frag4() fills in the total length, id and flags/offset.
 */
static const uint8_t frag4_hdr[20] = {
	0x45, 0x00, 0x00, 0x00,		/* v4, IHL 5, total length (set) */
	0x00, 0x00, 0x00, 0x00,		/* id (set), MF + offset (set) */
	0x40, 0x11, 0x00, 0x00,		/* TTL 64, UDP, checksum */
	0x0a, 0x00, 0x00, 0x01,
	0x0a, 0x00, 0x00, 0x02,
};

static size_t
frag4(uint8_t *buf, uint16_t id, size_t off, bool mf, const uint8_t *data,
    size_t n)
{
	uint16_t fo = (uint16_t)(off / 8 | (mf ? 0x2000 : 0));

	memcpy(buf, frag4_hdr, 20);
	buf[2] = (uint8_t)((20 + n) >> 8);
	buf[3] = (uint8_t)(20 + n);
	buf[4] = (uint8_t)(id >> 8);
	buf[5] = (uint8_t)id;
	buf[6] = (uint8_t)(fo >> 8);
	buf[7] = (uint8_t)fo;
	memcpy(buf + 20, data + off, n);
	return 20 + n;
}

/*
 * IPv6 2001:db8::1 -> 2001:db8::53 with a fragment header; frag6() fills
 * in the payload length, the offset, M and the id.
 */
static const uint8_t frag6_hdr[48] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x40,	/* plen set, FH */
	V6_SRC, V6_DST,
	0x3c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* -> DST opts */
};

static size_t
frag6(uint8_t *buf, uint32_t id, size_t off, bool m, const uint8_t *data,
    size_t n)
{
	uint16_t om = (uint16_t)(off | (m ? 1 : 0));

	memcpy(buf, frag6_hdr, 48);
	buf[4] = (uint8_t)((8 + n) >> 8);
	buf[5] = (uint8_t)(8 + n);
	buf[42] = (uint8_t)(om >> 8);
	buf[43] = (uint8_t)om;
	buf[44] = (uint8_t)(id >> 24);
	buf[45] = (uint8_t)(id >> 16);
	buf[46] = (uint8_t)(id >> 8);
	buf[47] = (uint8_t)id;
	memcpy(buf + 48, data + off, n);
	return 48 + n;
}

/* A UDP datagram 1000 -> 53 of n bytes; payload byte i is i * 7 + 1. */
static void
make_udp(uint8_t *b, size_t n, uint8_t fill_xor)
{
	size_t i;

	b[0] = 0x03;
	b[1] = 0xe8;
	b[2] = 0x00;
	b[3] = 0x35;
	b[4] = (uint8_t)(n >> 8);
	b[5] = (uint8_t)n;
	b[6] = b[7] = 0;
	for (i = 8; i < n; i++)
		b[i] = (uint8_t)((i - 8) * 7 + 1) ^ fill_xor;
}

static int
send4(struct decode *d, struct pkt *p, uint16_t id, size_t off, bool mf,
    const uint8_t *data, size_t n, int64_t ts)
{
	uint8_t buf[20 + 1500];
	size_t len = frag4(buf, id, off, mf, data, n);

	return decode_pkt(d, p, buf, len, len, LINK_RAW, ts);
}

static void
check_reasm(const struct pkt *p, const uint8_t *dg, size_t n)
{
	assert_true(p->reassembled);
	assert_false(p->cut);
	assert_int_equal(p->proto, 17);
	assert_int_equal(p->sport, 1000);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->payload_len, n - 8);
	assert_memory_equal(p->payload, dg + 8, n - 8);
}

static void
test_frag4_orders(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	uint8_t dg[48];
	struct pkt p;

	(void)state;
	make_udp(dg, sizeof(dg), 0);
	/* In order: [0,16) [16,32) [32,48). */
	assert_int_equal(send4(d, &p, 1, 0, true, dg, 16, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 1, 16, true, dg, 16, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 1, 32, false, dg, 16, 1), ERR_OK);
	check_reasm(&p, dg, sizeof(dg));
	assert_int_equal(p.src.a[3], 1);
	assert_int_equal(p.dst.a[3], 2);
	/* Reversed: the first fragment comes last. */
	assert_int_equal(send4(d, &p, 2, 32, false, dg, 16, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 2, 16, true, dg, 16, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 2, 0, true, dg, 16, 1), ERR_OK);
	check_reasm(&p, dg, sizeof(dg));
	/* Two datagrams interleaved. */
	assert_int_equal(send4(d, &p, 3, 0, true, dg, 24, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 4, 24, false, dg, 24, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 4, 0, true, dg, 24, 1), ERR_OK);
	check_reasm(&p, dg, sizeof(dg));
	assert_int_equal(send4(d, &p, 3, 24, false, dg, 24, 1), ERR_OK);
	check_reasm(&p, dg, sizeof(dg));

	assert_int_equal(st->frags, 10);
	assert_int_equal(st->frag_reassembled, 4);
	assert_int_equal(st->frag_overlaps, 0);
	assert_int_equal(st->ipv4, 10);
	assert_int_equal(st->udp, 4);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_frag4_overlap(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	uint8_t a[48], b[48], want[48];
	struct pkt p;

	(void)state;
	make_udp(a, sizeof(a), 0);
	make_udp(b, sizeof(b), 0xff);		/* other bytes, same header */

	/* [0,24) from a, then [16,40) from b: bytes 16..23 stay a's. */
	assert_int_equal(send4(d, &p, 7, 0, true, a, 24, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 7, 16, true, b, 24, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 7, 40, false, a, 8, 1), ERR_OK);
	memcpy(want, a, 24);
	memcpy(want + 24, b + 24, 16);
	memcpy(want + 40, a + 40, 8);
	check_reasm(&p, want, sizeof(want));
	assert_int_equal(st->frag_overlaps, 1);

	/* The other way round: b's [16,40) first keeps 16..23. */
	assert_int_equal(send4(d, &p, 8, 16, true, b, 24, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 8, 0, true, a, 24, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 8, 40, false, a, 8, 1), ERR_OK);
	memcpy(want, a, 16);
	memcpy(want + 16, b + 16, 24);
	check_reasm(&p, want, sizeof(want));
	assert_int_equal(st->frag_overlaps, 2);

	/* A duplicate changes nothing but the count. */
	assert_int_equal(send4(d, &p, 9, 0, true, a, 16, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 9, 0, true, b, 16, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 9, 16, false, a, 32, 1), ERR_OK);
	check_reasm(&p, a, sizeof(a));
	assert_int_equal(st->frag_overlaps, 3);
	assert_int_equal(st->frag_reassembled, 3);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_frag4_bad(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	uint8_t dg[64], buf[64];		/* a datagram of 48, then 0s */
	struct pkt p;
	size_t n;

	(void)state;
	memset(dg, 0, sizeof(dg));
	make_udp(dg, 48, 0);
	/* MF with a length that is not a multiple of 8. */
	assert_int_equal(send4(d, &p, 1, 0, true, dg, 12, 1), ERR_MALFORMED);
	assert_int_equal(st->malformed[DL_FRAG], 1);
	/* A second last fragment that disagrees on the end. */
	assert_int_equal(send4(d, &p, 2, 32, false, dg, 16, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 2, 32, false, dg, 8, 1), ERR_MALFORMED);
	/* Data past the known end. */
	assert_int_equal(send4(d, &p, 2, 40, true, dg, 16, 1), ERR_MALFORMED);
	assert_int_equal(st->malformed[DL_FRAG], 3);
	/* The datagram still completes from the good ones. */
	assert_int_equal(send4(d, &p, 2, 0, true, dg, 32, 1), ERR_OK);
	check_reasm(&p, dg, 48);
	/* A last fragment ending before data already held. */
	assert_int_equal(send4(d, &p, 4, 0, true, dg, 32, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 4, 16, false, dg, 8, 1), ERR_MALFORMED);
	assert_int_equal(send4(d, &p, 4, 32, false, dg, 16, 1), ERR_OK);
	check_reasm(&p, dg, 48);
	assert_int_equal(st->malformed[DL_FRAG], 4);
	/* Ping of death: offset 65528 + 16 bytes > 65535. */
	n = frag4(buf, 3, 0, false, dg, 16);
	buf[6] = 0x1f;
	buf[7] = 0xff;
	assert_int_equal(dec(d, &p, buf, n, LINK_RAW), ERR_MALFORMED);
	assert_int_equal(st->malformed[DL_FRAG], 5);
	decode_free(d);
}

static void
test_frag4_large(void **state)
{
	struct decode *d = new_dec();
	static uint8_t dg[4448];		/* 3 x 1480 + 8 */
	struct pkt p;

	(void)state;
	make_udp(dg, sizeof(dg), 0x5a);
	assert_int_equal(send4(d, &p, 5, 2960, true, dg, 1480, 1),
	    ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 5, 4440, false, dg, 8, 1),
	    ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 5, 0, true, dg, 1480, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 5, 1480, true, dg, 1480, 1), ERR_OK);
	check_reasm(&p, dg, sizeof(dg));
	decode_free(d);
}

static void
test_frag4_cut(void **state)
{
	struct decode *d = new_dec();
	uint8_t dg[48], buf[64];
	struct pkt p;
	size_t n;

	(void)state;
	make_udp(dg, sizeof(dg), 0);
	/* The snaplen cut the first fragment: decoded as a cut packet. */
	n = frag4(buf, 1, 0, true, dg, 40);
	assert_int_equal(decode_pkt(d, &p, buf, 20 + 20, n, LINK_RAW, 1),
	    ERR_OK);
	assert_true(p.cut);
	assert_false(p.reassembled);
	assert_int_equal(p.dport, 53);
	assert_int_equal(p.payload_len, 12);
	assert_memory_equal(p.payload, dg + 8, 12);
	/* A cut later fragment cannot help. */
	n = frag4(buf, 1, 40, false, dg, 8);
	assert_int_equal(decode_pkt(d, &p, buf, n - 2, n, LINK_RAW, 1),
	    ERR_NOTFOUND);
	assert_int_equal(decode_stats(d)->frags, 2);
	assert_int_equal(decode_stats(d)->frag_reassembled, 0);
	decode_free(d);
}

static void
test_frag6(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	/* Fragmentable part: destination options (8), then UDP (48). */
	uint8_t fp[56], buf[128];
	struct pkt p;
	size_t n;

	(void)state;
	memset(fp, 0, 8);
	fp[0] = 17;				/* DST opts -> UDP, length 0 */
	fp[2] = 1;				/* PadN, 4 */
	fp[3] = 4;
	make_udp(fp + 8, 48, 0);
	n = frag6(buf, 0x01020304, 24, false, fp, 32);
	assert_int_equal(dec(d, &p, buf, n, LINK_RAW), ERR_NOTFOUND);
	n = frag6(buf, 0x01020304, 0, true, fp, 24);
	assert_int_equal(dec(d, &p, buf, n, LINK_RAW), ERR_OK);
	check_reasm(&p, fp + 8, 48);
	assert_int_equal(p.src.family, 6);
	assert_int_equal(st->frags, 2);
	assert_int_equal(st->frag_reassembled, 1);
	assert_int_equal(st->ipv6, 2);

	/* Same id, other source: a separate datagram. */
	n = frag6(buf, 7, 0, true, fp, 24);
	assert_int_equal(dec(d, &p, buf, n, LINK_RAW), ERR_NOTFOUND);
	buf[23] = 2;				/* source 2001:db8::2 */
	n = frag6(buf, 7, 24, false, fp, 32);
	buf[23] = 2;
	assert_int_equal(dec(d, &p, buf, n, LINK_RAW), ERR_NOTFOUND);

	/* Atomic fragment (offset 0, M 0): just the packet. */
	n = frag6(buf, 9, 0, false, fp, 56);
	assert_int_equal(dec(d, &p, buf, n, LINK_RAW), ERR_OK);
	assert_false(p.reassembled);
	assert_int_equal(p.dport, 53);
	assert_int_equal(p.payload_len, 40);
	assert_int_equal(st->frags, 4);
	assert_int_equal(malformed_sum(d), 0);
	decode_free(d);
}

static void
test_frag6_nested(void **state)
{
	struct decode *d = new_dec();
	/* Fragmentable part that starts with another fragment header. */
	uint8_t fp[16], buf[80];
	struct pkt p;
	size_t n;

	(void)state;
	memset(fp, 0, sizeof(fp));
	fp[0] = 17;
	fp[3] = 1;				/* offset 0, M */
	n = frag6(buf, 3, 8, false, fp, 8);
	buf[40] = 44;				/* FH -> FH */
	assert_int_equal(dec(d, &p, buf, n, LINK_RAW), ERR_NOTFOUND);
	n = frag6(buf, 3, 0, true, fp, 8);
	buf[40] = 44;
	assert_int_equal(dec(d, &p, buf, n, LINK_RAW), ERR_MALFORMED);
	assert_int_equal(decode_stats(d)->malformed[DL_FRAG], 1);
	decode_free(d);
}

static void
test_frag_timeout(void **state)
{
	struct decode *d = decode_new(64 * 1024, 30);
	const struct decode_stats *st;
	uint8_t dg[48];
	struct pkt p;

	(void)state;
	assert_non_null(d);
	st = decode_stats(d);
	make_udp(dg, sizeof(dg), 0);
	/* 30 seconds apart: still in time. */
	assert_int_equal(send4(d, &p, 1, 0, true, dg, 24, 100), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 1, 24, false, dg, 24, 130), ERR_OK);
	/* 31 seconds: the first is dropped, the second starts anew. */
	assert_int_equal(send4(d, &p, 2, 0, true, dg, 24, 200), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 2, 24, false, dg, 24, 231),
	    ERR_NOTFOUND);
	assert_int_equal(st->frag_timeouts, 1);
	/* Time going far back (another capture) expires as well. */
	assert_int_equal(send4(d, &p, 3, 0, true, dg, 24, 50), ERR_NOTFOUND);
	assert_int_equal(st->frag_timeouts, 2);
	assert_int_equal(send4(d, &p, 3, 24, false, dg, 24, 51), ERR_OK);
	check_reasm(&p, dg, sizeof(dg));
	assert_int_equal(st->frag_evicted, 0);
	decode_free(d);
}

static void
test_frag_memory(void **state)
{
	struct decode *d = decode_new(2 * 1024, 30);	/* two chunks */
	const struct decode_stats *st;
	static uint8_t big[1608];
	uint8_t dg[48];
	struct pkt p;

	(void)state;
	assert_non_null(d);
	st = decode_stats(d);
	make_udp(dg, sizeof(dg), 0);
	assert_int_equal(send4(d, &p, 1, 0, true, dg, 24, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 2, 0, true, dg, 24, 2), ERR_NOTFOUND);
	/* A third datagram: the oldest (1) goes. */
	assert_int_equal(send4(d, &p, 3, 0, true, dg, 24, 3), ERR_NOTFOUND);
	assert_int_equal(st->frag_evicted, 1);
	assert_int_equal(send4(d, &p, 3, 24, false, dg, 24, 3), ERR_OK);
	check_reasm(&p, dg, sizeof(dg));
	/* 1's second half starts a new datagram, which does not complete. */
	assert_int_equal(send4(d, &p, 1, 24, false, dg, 24, 4), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 2, 24, false, dg, 24, 4), ERR_OK);

	/* A datagram needing both chunks pushes out the other one (1). */
	make_udp(big, sizeof(big), 0);
	assert_int_equal(send4(d, &p, 9, 0, true, big, 1480, 5),
	    ERR_NOTFOUND);
	assert_int_equal(st->frag_evicted, 2);
	assert_int_equal(send4(d, &p, 9, 1480, false, big, 128, 5), ERR_OK);
	check_reasm(&p, big, sizeof(big));
	assert_int_equal(st->frag_reassembled, 3);
	decode_free(d);

	/* One chunk cannot hold 1608 bytes at all. */
	assert_non_null(d = decode_new(1024, 30));
	st = decode_stats(d);
	assert_int_equal(send4(d, &p, 9, 0, true, big, 1480, 5),
	    ERR_NOTFOUND);
	assert_int_equal(st->frag_evicted, 1);
	assert_int_equal(send4(d, &p, 9, 1480, false, big, 128, 5),
	    ERR_NOTFOUND);
	decode_free(d);

	/* No memory at all: fragments are counted and dropped. */
	assert_non_null(d = decode_new(0, 30));
	st = decode_stats(d);
	assert_int_equal(send4(d, &p, 1, 0, true, dg, 24, 1), ERR_NOTFOUND);
	assert_int_equal(send4(d, &p, 1, 24, false, dg, 24, 1),
	    ERR_NOTFOUND);
	assert_int_equal(st->frags, 2);
	assert_int_equal(st->frag_evicted, 2);
	decode_free(d);
}

/* Many datagrams at once fill every slot; the table keeps working. */
static void
test_frag_many(void **state)
{
	struct decode *d = decode_new(64 * 1024, 30);	/* 64 slots */
	const struct decode_stats *st;
	uint8_t dg[48];
	struct pkt p;
	unsigned i;

	(void)state;
	assert_non_null(d);
	st = decode_stats(d);
	make_udp(dg, sizeof(dg), 0);
	for (i = 0; i < 200; i++)
		assert_int_equal(send4(d, &p, (uint16_t)i, 0, true, dg, 24, 1),
		    ERR_NOTFOUND);
	assert_int_equal(st->frag_evicted, 200 - 64);
	/* The newest 64 are held and complete. */
	for (i = 200; i-- > 200 - 64;)
		assert_int_equal(send4(d, &p, (uint16_t)i, 24, false, dg, 24,
		    1), ERR_OK);
	assert_int_equal(st->frag_reassembled, 64);
	/* The others were dropped: their second halves start anew. */
	for (i = 0; i < 200 - 64; i++)
		assert_int_equal(send4(d, &p, (uint16_t)i, 24, false, dg, 24,
		    1), ERR_NOTFOUND);
	assert_int_equal(st->frag_reassembled, 64);
	assert_int_equal(st->frag_evicted, 200 - 64 + 200 - 64 - 64);
	decode_free(d);
}

/* --- truncation ------------------------------------------------------ */

static void
check_prefixes(const uint8_t *f, size_t full, int lt)
{
	struct decode *d;
	struct pkt p;
	uint8_t *buf;
	size_t len;
	int r;

	for (len = 0; len < full; len++) {
		assert_non_null(d = new_dec());
		assert_non_null(buf = malloc(len ? len : 1));
		memcpy(buf, f, len);
		/* Cut by the snaplen: never malformed, payload in the block. */
		r = decode_pkt(d, &p, buf, len, full, lt, 0);
		assert_true(r == ERR_OK || r == ERR_SHORT ||
		    r == ERR_NOTFOUND);
		assert_int_equal(malformed_sum(d), 0);
		if (r == ERR_OK && p.payload != NULL) {
			assert_true(p.payload >= buf);
			assert_true(p.payload + p.payload_len <= buf + len);
		}
		/* The same bytes as a whole frame. */
		r = decode_pkt(d, &p, buf, len, len, lt, 0);
		assert_int_not_equal(r, ERR_SHORT);
		if (r == ERR_OK && p.payload != NULL) {
			assert_true(p.payload >= buf);
			assert_true(p.payload + p.payload_len <= buf + len);
		}
		free(buf);
		decode_free(d);
	}
}

static void
test_prefixes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
		check_prefixes(frames[i].b, frames[i].len, frames[i].lt);
}

static void
test_prefixes_frag(void **state)
{
	uint8_t fp[56], buf[128];
	size_t n;

	(void)state;
	make_udp(fp, 48, 0);
	check_prefixes(buf, frag4(buf, 1, 0, true, fp, 24), LINK_RAW);
	check_prefixes(buf, frag4(buf, 1, 24, false, fp, 24), LINK_RAW);
	memset(fp, 0, 8);
	fp[0] = 17;
	make_udp(fp + 8, 48, 0);
	n = frag6(buf, 5, 0, true, fp, 24);
	check_prefixes(buf, n, LINK_RAW);
	n = frag6(buf, 5, 0, false, fp, 56);	/* atomic */
	check_prefixes(buf, n, LINK_RAW);
}

static void
test_layer_names(void **state)
{
	static const char *const want[DL_N] = { "link", "vlan", "mpls",
	    "pppoe", "ipv4", "ipv6", "frag", "udp", "tcp" };
	int i;

	(void)state;
	for (i = 0; i < DL_N; i++)
		assert_string_equal(decode_layer_name((enum decode_layer)i),
		    want[i]);
	assert_string_equal(decode_layer_name(DL_N), "?");
	decode_free(NULL);
}

/* --- the fast path (decode_fast_ip()) ------------------------------- */

static void
same_pkt(const struct pkt *a, const uint8_t *fa, const struct pkt *b,
    const uint8_t *fb)
{
	assert_int_equal(a->src.family, b->src.family);
	assert_memory_equal(a->src.a, b->src.a, 16);
	assert_int_equal(a->dst.family, b->dst.family);
	assert_memory_equal(a->dst.a, b->dst.a, 16);
	assert_int_equal(a->proto, b->proto);
	assert_int_equal(a->reassembled, b->reassembled);
	assert_int_equal(a->n_encap, b->n_encap);
	assert_int_equal(a->sport, b->sport);
	assert_int_equal(a->dport, b->dport);
	assert_int_equal(a->tcp_flags, b->tcp_flags);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->ack, b->ack);
	assert_int_equal(a->payload == NULL, b->payload == NULL);
	if (a->payload != NULL && a->payload_len > 0 && !a->reassembled &&
	    a->n_encap == 0)
		assert_int_equal(a->payload - fa, b->payload - fb);
	assert_int_equal(a->payload_len, b->payload_len);
	assert_int_equal(a->cut, b->cut);
}

/*
 * Ethernet carrying IPv4 or IPv6, under no to three VLAN tags (the fast
 * path takes two), goes through decode_fast_ip() when it can; the same
 * IP bytes as LINK_IPV4/LINK_IPV6 take the general walk.  Both must give
 * the same packet (and the tags' VLAN ids), result and counters, for
 * every IP packet of the table cut short at every length, and 20000
 * mutations of them (lengths, version, IHL, fragment bits, protocol,
 * ports, data offset), a quarter of those cut short too.
 */
static void
test_fast_path_agrees(void **state)
{
	static const struct {
		const uint8_t	*b;
		size_t		 len, off;
	} ip[] = {
#define I(x, off)	{ x, sizeof(x), off }
		I(f_raw4, 0), I(f_raw6, 0), I(f_ext6, 14), I(f_ah6, 0),
		I(f_trail6, 0), I(f_icmp, 0), I(f_nonext6, 0),
		I(f_jumbo6, 0), I(f_tso, 0), I(f_long4, 0), I(f_ihl4, 0),
		I(f_udp7, 0), I(f_udplong, 0), I(f_tcp4, 0), I(f_eth4, 14),
		I(f_eth6, 14), I(f_tcp, 14), I(f_tcp_pad, 14), I(f_pad, 14),
#undef I
	};
#define NIP	(sizeof(ip) / sizeof(ip[0]))
	struct decode *d1 = new_dec(), *d2 = new_dec(), *d3 = new_dec();
	uint8_t frame[1600], *raw;
	struct pkt p1, p2, p3;
	uint64_t rnd = 0x9e3779b97f4a7c15ULL;
	size_t i, n, cap, k, hl, fast = 0, plain = 0;
	unsigned iter, tags, t;
	int r1, r2, r3, lt;

	(void)state;
	memcpy(frame, mac_b, 6);
	memcpy(frame + 6, mac_a, 6);
	for (iter = 0; iter < 20000 + 128 * NIP; iter++) {
		i = iter % NIP;
		/* 0-3 tags (the fast path takes two), every tag type,
		 * priority and DEI bits set (not part of the VLAN id). */
		tags = (iter / 7) % 4;
		for (t = 0; t < tags; t++) {
			k = (iter / 29 + t) % 4;
			frame[12 + 4 * t] = t + 1 == tags ? 0x81 :
			    k == 0 ? 0x88 : k == 1 ? 0x91 : 0x92;
			frame[13 + 4 * t] = t + 1 == tags || k > 0 ? 0x00 : 0xa8;
			frame[14 + 4 * t] = (uint8_t)(k << 5 | (iter & 1) << 4);
			frame[15 + 4 * t] = (uint8_t)(10 + t);
		}
		hl = 14 + 4 * (size_t)tags;
		raw = frame + hl;
		n = ip[i].len - ip[i].off;
		memcpy(raw, ip[i].b + ip[i].off, n);
		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		cap = n;
		if (iter < 128 * NIP)		/* every cut */
			cap = (iter / NIP) % (n + 1);
		else {
			for (k = 0; k < 1 + rnd % 3; k++)
				raw[(rnd >> (8 + 8 * k)) % (n < 64 ? n : 64)] =
				    (uint8_t)(rnd >> (32 + 8 * k));
			if (rnd >> 62 == 0)	/* a quarter also cut */
				cap = (size_t)(rnd >> 40) % (n + 1);
		}
		if (raw[0] >> 4 == 6) {
			frame[hl - 2] = 0x86;
			frame[hl - 1] = 0xdd;
			lt = LINK_IPV6;
		} else {
			frame[hl - 2] = 0x08;
			frame[hl - 1] = 0x00;
			lt = LINK_IPV4;
		}
		r1 = decode_pkt(d1, &p1, frame, cap + hl, n + hl,
		    LINK_ETHERNET, 1000);
		r2 = decode_pkt(d2, &p2, raw, cap, n, lt, 1000);
		assert_int_equal(r1, r2);
		if (r1 == ERR_OK) {
			same_pkt(&p1, raw, &p2, raw);
			assert_int_equal(p1.n_vlan, tags);
			for (t = 0; t < tags; t++)
				assert_int_equal(p1.vlan[t], 10 + t);
		}
		fast += r1 == ERR_OK && (p1.proto == 6 || p1.proto == 17);
		assert_memory_equal(decode_stats(d1), decode_stats(d2),
		    sizeof(struct decode_stats));
		/*
		 * decode_plain(), without a decoder, takes only packets the
		 * decoder makes the same of, and decode_count_plain() counts
		 * them as decode_pkt() did (d3 decodes the others).
		 */
		r3 = decode_plain(&p3, frame, cap + hl, LINK_ETHERNET);
		if (r3 == ERR_OK) {
			plain++;
			assert_int_equal(r1, ERR_OK);
			assert_memory_equal(&p1, &p3,
			    offsetof(struct pkt, payload));
			assert_ptr_equal(p1.payload, p3.payload);
			assert_int_equal(p1.payload_len, p3.payload_len);
			assert_int_equal(p1.cut, p3.cut);
			assert_true(p3.proto == 6 || p3.proto == 17);
			decode_count_plain(d3, p3.src.family == 6,
			    p3.proto == 6, cap < n);
		} else {
			assert_int_equal(r3, ERR_NOTFOUND);
			(void)decode_pkt(d3, &p3, frame, cap + hl, n + hl,
			    LINK_ETHERNET, 1000);
		}
		assert_memory_equal(decode_stats(d1), decode_stats(d3),
		    sizeof(struct decode_stats));
	}
	assert_true(fast > 1000);		/* TCP and UDP were among them */
	assert_true(plain > 1000);
	/* Not Ethernet: never plain. */
	assert_int_equal(decode_plain(&p3, f_raw4, sizeof(f_raw4), LINK_RAW),
	    ERR_NOTFOUND);
	decode_free(d1);
	decode_free(d2);
	decode_free(d3);
#undef NIP
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet),
		cmocka_unit_test(test_fast_path_agrees),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_vlan_too_many),
		cmocka_unit_test(test_mpls),
		cmocka_unit_test(test_mpls_no_bottom),
		cmocka_unit_test(test_pppoe),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_null_loop),
		cmocka_unit_test(test_non_ip),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_ipv6_ext),
		cmocka_unit_test(test_ipv6_ext_cap),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_udp_lengths),
		cmocka_unit_test(test_other_proto),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_ipv4_lengths),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_frag4_orders),
		cmocka_unit_test(test_frag4_overlap),
		cmocka_unit_test(test_frag4_bad),
		cmocka_unit_test(test_frag4_large),
		cmocka_unit_test(test_frag4_cut),
		cmocka_unit_test(test_frag6),
		cmocka_unit_test(test_frag6_nested),
		cmocka_unit_test(test_frag_timeout),
		cmocka_unit_test(test_frag_memory),
		cmocka_unit_test(test_frag_many),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_prefixes_frag),
		cmocka_unit_test(test_layer_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
