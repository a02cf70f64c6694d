/* test_tunnel.c - the decoder's tunnels (decode_tunnel.c): each kind opened,
 * the outer layers kept, what is not opened, depth, and cut headers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "decode.h"

/* --- frames, built innermost first ----------------------------------- */

struct frame {
	uint8_t		 b[2048];
	size_t		 n;
};

static void
pre(struct frame *f, const void *p, size_t n)
{
	assert_true(f->n + n <= sizeof(f->b));
	memmove(f->b + n, f->b, f->n);
	memcpy(f->b, p, n);
	f->n += n;
}

static void
be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* A DNS query for example.com, 29 bytes. */
static const uint8_t dns_q[] = {
	0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0x03, 'c', 'o', 'm',
	0x00, 0x00, 0x01, 0x00, 0x01,
};

static void
udp(struct frame *f, unsigned sport, unsigned dport)
{
	uint8_t h[8] = { 0 };

	be16(h, sport);
	be16(h + 2, dport);
	be16(h + 4, (unsigned)f->n + 8);
	pre(f, h, 8);
}

/* IPv4 10.0.0.S -> 10.0.0.D. */
static void
ip4(struct frame *f, unsigned s, unsigned d, unsigned proto)
{
	uint8_t h[20] = { 0x45, 0, 0, 0, 0, 1, 0, 0, 64, 0, 0, 0,
	    10, 0, 0, 0, 10, 0, 0, 0 };

	be16(h + 2, (unsigned)f->n + 20);
	h[9] = (uint8_t)proto;
	h[15] = (uint8_t)s;
	h[19] = (uint8_t)d;
	pre(f, h, 20);
}

/* IPv6 2001:db8::S -> 2001:db8::D. */
static void
ip6(struct frame *f, unsigned s, unsigned d, unsigned nh)
{
	uint8_t h[40] = { 0x60 };

	be16(h + 4, (unsigned)f->n);
	h[6] = (uint8_t)nh;
	h[7] = 64;
	h[8] = 0x20, h[9] = 0x01, h[10] = 0x0d, h[11] = 0xb8;
	h[23] = (uint8_t)s;
	memcpy(h + 24, h + 8, 4);
	h[39] = (uint8_t)d;
	pre(f, h, 40);
}

static void
eth(struct frame *f, unsigned type)
{
	uint8_t h[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	be16(h + 12, type);
	pre(f, h, 14);
}

/* The inner packet of every test: 10.0.0.5 -> 10.0.0.53, DNS. */
static void
inner4(struct frame *f)
{
	f->n = 0;
	pre(f, dns_q, sizeof(dns_q));
	udp(f, 40000, 53);
	ip4(f, 5, 53, 17);
}

static void
inner6(struct frame *f)
{
	f->n = 0;
	pre(f, dns_q, sizeof(dns_q));
	udp(f, 40000, 53);
	ip6(f, 5, 53, 17);
}

static struct decode *
new_dec(void)
{
	struct decode *d = decode_new(64 * 1024, 30);

	assert_non_null(d);
	return d;
}

static int
dec(struct decode *d, struct pkt *p, const struct frame *f)
{
	return decode_pkt(d, p, f->b, f->n, f->n, LINK_RAW, 1000);
}

/* The packet is the inner DNS query, through n layers. */
static void
assert_inner(const struct pkt *p, unsigned n, int family)
{
	assert_int_equal(p->n_encap, n);
	assert_int_equal(p->src.family, family);
	assert_int_equal(p->src.a[family == 4 ? 3 : 15], 5);
	assert_int_equal(p->proto, 17);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->payload_len, sizeof(dns_q));
	assert_memory_equal(p->payload, dns_q, sizeof(dns_q));
}

/* The packet is the outer UDP datagram to dport, nothing opened. */
static void
assert_plain_udp(const struct pkt *p, unsigned dport)
{
	assert_int_equal(p->n_encap, 0);
	assert_int_equal(p->proto, 17);
	assert_int_equal(p->dport, dport);
	assert_int_equal(p->src.a[3], 1);
}

/* --- the kinds -------------------------------------------------------- */

static void
test_gre(void **state)
{
	static const uint8_t h[16] = { 0xb0, 0x00, 0x08, 0x00,
	    0, 0, 0, 0, 0x00, 0x00, 0x30, 0x39, 0, 0, 0, 1 };
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;

	(void)state;
	inner4(&f);
	pre(&f, h, sizeof(h));			/* C, K 12345, S */
	ip4(&f, 1, 2, 47);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 4);
	assert_int_equal(p.encap[0].kind, ENCAP_GRE);
	assert_true(p.encap[0].has_id);
	assert_int_equal(p.encap[0].id, 12345);
	assert_int_equal(p.encap[0].src.a[3], 1);
	assert_int_equal(p.encap[0].dst.a[3], 2);
	assert_int_equal(decode_stats(d)->tunnels[ENCAP_GRE], 1);
	decode_free(d);
}

/* NVGRE: a bridged frame; the MACs are the inner frame's. */
static void
test_nvgre(void **state)
{
	static const uint8_t h[8] = { 0x20, 0x00, 0x65, 0x58,
	    0x00, 0x12, 0x34, 0x00 };
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;

	(void)state;
	inner6(&f);
	eth(&f, 0x86dd);
	pre(&f, h, sizeof(h));
	ip6(&f, 1, 2, 47);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 6);
	assert_true(p.has_mac);
	assert_int_equal(p.mac_src[5], 1);
	assert_int_equal(p.encap[0].src.family, 6);
	assert_int_equal(p.encap[0].id, 0x123400);
	decode_free(d);
}

/* GRE carrying PPP, PPTP's version 1, RFC 1701 routing: counted. */
static void
test_gre_not_opened(void **state)
{
	static const uint8_t ppp[4] = { 0x00, 0x00, 0x88, 0x0b };
	static const uint8_t pptp[8] = { 0x20, 0x01, 0x88, 0x0b, 0, 4, 0, 1 };
	static const uint8_t route[4] = { 0x40, 0x00, 0x08, 0x00 };
	const uint8_t *hs[3] = { ppp, pptp, route };
	size_t ns[3] = { sizeof(ppp), sizeof(pptp), sizeof(route) }, i;
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;

	(void)state;
	for (i = 0; i < 3; i++) {
		inner4(&f);
		pre(&f, hs[i], ns[i]);
		ip4(&f, 1, 2, 47);
		assert_int_equal(dec(d, &p, &f), ERR_OK);
		assert_int_equal(p.n_encap, 0);
		assert_int_equal(p.proto, 47);
		assert_int_equal(p.src.a[3], 1);
		assert_null(p.payload);
	}
	assert_int_equal(decode_stats(d)->tunnels_not_opened[ENCAP_GRE], 3);
	assert_int_equal(decode_stats(d)->tunnels[ENCAP_GRE], 0);
	decode_free(d);
}

static void
test_erspan(void **state)
{
	static const uint8_t t1[4] = { 0x00, 0x00, 0x88, 0xbe };
	static const uint8_t t2[16] = { 0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 7,
	    0x10, 0x05, 0x03, 0xff, 0, 0, 0, 0 };
	static const uint8_t t3[28] = { 0x10, 0x00, 0x22, 0xeb, 0, 0, 0, 8,
	    0x20, 0x05, 0x00, 0x2a, 1, 2, 3, 4, 0, 0, 0x00, 0x01,
	    9, 9, 9, 9, 9, 9, 9, 9 };
	static const uint8_t bad[16] = { 0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 7,
	    0x30, 0x05, 0x03, 0xff, 0, 0, 0, 0 };
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;

	(void)state;
	inner4(&f);
	eth(&f, 0x0800);
	pre(&f, t1, sizeof(t1));
	ip4(&f, 1, 2, 47);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 4);
	assert_int_equal(p.encap[0].kind, ENCAP_ERSPAN);
	assert_false(p.encap[0].has_id);

	inner4(&f);
	eth(&f, 0x0800);
	pre(&f, t2, sizeof(t2));
	ip4(&f, 1, 2, 47);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 4);
	assert_int_equal(p.encap[0].id, 0x3ff);

	inner4(&f);				/* with the subheader */
	eth(&f, 0x0800);
	pre(&f, t3, sizeof(t3));
	ip4(&f, 1, 2, 47);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 4);
	assert_int_equal(p.encap[0].id, 42);

	inner4(&f);				/* version 3 */
	eth(&f, 0x0800);
	pre(&f, bad, sizeof(bad));
	ip4(&f, 1, 2, 47);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_int_equal(p.n_encap, 0);
	assert_int_equal(decode_stats(d)->tunnels[ENCAP_ERSPAN], 3);
	assert_int_equal(decode_stats(d)->tunnels_not_opened[ENCAP_ERSPAN],
	    1);
	decode_free(d);
}

static void
test_vxlan(void **state)
{
	static const uint8_t h[8] = { 0x08, 0, 0, 0, 0x00, 0x13, 0x88, 0 };
	static const uint8_t gpe[8] = { 0x0c, 0, 0, 0x02, 0, 0, 1, 0 };
	static const uint8_t flags[8] = { 0x0a, 0, 0, 0, 0x00, 0x13, 0x88, 0 };
	static const uint8_t nsh[8] = { 0x0c, 0, 0, 0x04, 0, 0, 1, 0 };
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;

	(void)state;
	inner4(&f);
	eth(&f, 0x0800);
	pre(&f, h, sizeof(h));
	udp(&f, 55555, 4789);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 4);
	assert_int_equal(p.encap[0].kind, ENCAP_VXLAN);
	assert_int_equal(p.encap[0].id, 5000);

	inner6(&f);
	pre(&f, gpe, sizeof(gpe));
	udp(&f, 55555, 4790);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 6);

	/* A reserved flag: not VXLAN, plain UDP. */
	inner4(&f);
	eth(&f, 0x0800);
	pre(&f, flags, sizeof(flags));
	udp(&f, 55555, 4789);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_plain_udp(&p, 4789);

	/* Right header, but the frame is no Ethernet type we know. */
	inner4(&f);
	eth(&f, 0x1234);
	pre(&f, h, sizeof(h));
	udp(&f, 55555, 4789);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_plain_udp(&p, 4789);

	inner4(&f);
	pre(&f, nsh, sizeof(nsh));
	udp(&f, 55555, 4790);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_plain_udp(&p, 4790);
	assert_int_equal(decode_stats(d)->tunnels[ENCAP_VXLAN], 2);
	assert_int_equal(decode_stats(d)->tunnels_not_opened[ENCAP_VXLAN], 1);
	decode_free(d);
}

static void
test_geneve(void **state)
{
	static const uint8_t h[20] = { 0x03, 0x00, 0x08, 0x00, 0, 0, 9, 0,
	    0x01, 0x02, 0x03, 0x02, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t ver1[8] = { 0x40, 0x00, 0x08, 0x00, 0, 0, 9, 0 };
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;

	(void)state;
	inner4(&f);
	pre(&f, h, sizeof(h));
	udp(&f, 55555, 6081);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 4);
	assert_int_equal(p.encap[0].kind, ENCAP_GENEVE);
	assert_int_equal(p.encap[0].id, 9);

	inner4(&f);
	pre(&f, ver1, sizeof(ver1));
	udp(&f, 55555, 6081);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_plain_udp(&p, 6081);
	decode_free(d);
}

static void
test_gtpu(void **state)
{
	/* E and S: sequence, N-PDU, two extension headers. */
	uint8_t h[20] = { 0x36, 0xff, 0, 0, 0xde, 0xad, 0xbe, 0xef,
	    0, 1, 0, 0x85, 1, 0x10, 9, 0x40, 1, 0, 0, 0 };
	static const uint8_t echo[8] = { 0x30, 0x01, 0, 0, 0, 0, 0, 0 };
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;

	(void)state;
	inner4(&f);
	be16(h + 2, (unsigned)f.n + 12);
	pre(&f, h, sizeof(h));
	udp(&f, 2152, 2152);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 4);
	assert_int_equal(p.encap[0].kind, ENCAP_GTPU);
	assert_int_equal(p.encap[0].id, 0xdeadbeef);

	/* An extension header of length 0: not GTP-U. */
	inner4(&f);
	h[16] = 0;
	be16(h + 2, (unsigned)f.n + 12);
	pre(&f, h, sizeof(h));
	udp(&f, 2152, 2152);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_plain_udp(&p, 2152);

	f.n = 0;
	pre(&f, echo, sizeof(echo));
	udp(&f, 2152, 2152);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_plain_udp(&p, 2152);
	assert_int_equal(decode_stats(d)->tunnels[ENCAP_GTPU], 1);
	assert_int_equal(decode_stats(d)->tunnels_not_opened[ENCAP_GTPU], 0);
	decode_free(d);
}

static void
test_ip_in_ip(void **state)
{
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;

	(void)state;
	inner4(&f);
	ip4(&f, 1, 2, 4);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 4);
	assert_int_equal(p.encap[0].kind, ENCAP_IPIP);
	inner6(&f);
	ip4(&f, 1, 2, 41);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 6);
	assert_int_equal(p.encap[0].kind, ENCAP_6IN4);
	inner4(&f);
	ip6(&f, 1, 2, 4);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 4);
	assert_int_equal(p.encap[0].kind, ENCAP_4IN6);
	inner6(&f);
	ip6(&f, 1, 2, 41);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 6);
	assert_int_equal(p.encap[0].kind, ENCAP_6IN6);
	decode_free(d);
}

static void
test_teredo_ayiya(void **state)
{
	static const uint8_t origin[8] = { 0, 0, 1, 2, 3, 4, 5, 6 };
	static const uint8_t auth[13] = { 0, 1, 0, 0 };
	static const uint8_t ayiya[8 + 16 + 20] = { 0x41, 0x52, 0x11, 41 };
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;

	(void)state;
	inner6(&f);
	pre(&f, origin, sizeof(origin));
	pre(&f, auth, sizeof(auth));
	udp(&f, 3544, 40000);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 6);
	assert_int_equal(p.encap[0].kind, ENCAP_TEREDO);

	/* IPv6 whose length does not fill the datagram: plain UDP. */
	inner6(&f);
	pre(&f, origin, sizeof(origin));
	f.b[f.n++] = 0;
	udp(&f, 3544, 40000);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_plain_udp(&p, 40000);

	inner6(&f);
	pre(&f, ayiya, sizeof(ayiya));
	udp(&f, 40000, 5072);
	ip4(&f, 1, 2, 17);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 1, 6);
	assert_int_equal(p.encap[0].kind, ENCAP_AYIYA);
	decode_free(d);
}

/* --- depth, and every cut -------------------------------------------- */

static void
test_depth(void **state)
{
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;
	int i;

	(void)state;
	inner4(&f);
	for (i = 0; i < 5; i++)
		ip4(&f, 1, 2, 4);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_int_equal(p.n_encap, 4);		/* the default */
	assert_int_equal(p.proto, 4);
	assert_int_equal(decode_stats(d)->tunnels_too_deep, 1);
	decode_set_tunnel_depth(d, 8);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_inner(&p, 5, 4);
	decode_set_tunnel_depth(d, 100);	/* capped */
	for (i = 0; i < 5; i++)
		ip4(&f, 1, 2, 4);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_int_equal(p.n_encap, ENCAP_MAX);
	decode_set_tunnel_depth(d, 0);
	assert_int_equal(dec(d, &p, &f), ERR_OK);
	assert_int_equal(p.n_encap, 0);
	assert_int_equal(decode_stats(d)->tunnels_too_deep, 3);
	decode_free(d);
}

/*
 * Every prefix of a tunnelled packet, as a snaplen would cut it: decoded
 * or refused, never read past, and an inner packet only when the tunnel
 * header was whole.
 */
static void
test_cut(void **state)
{
	uint8_t gtp[16] = { 0x34, 0xff, 0, 0, 0, 0, 0, 1,
	    0, 0, 0, 0x85, 1, 0, 0, 0 };
	struct decode *d = new_dec();
	struct frame f;
	struct pkt p;
	uint8_t *copy;
	size_t n;
	int r;

	(void)state;
	inner4(&f);
	be16(gtp + 2, (unsigned)f.n + 8);
	pre(&f, gtp, sizeof(gtp));
	udp(&f, 2152, 2152);
	ip4(&f, 1, 2, 17);
	for (n = 0; n <= f.n; n++) {
		copy = malloc(n + 1);
		assert_non_null(copy);
		memcpy(copy, f.b, n);
		r = decode_pkt(d, &p, copy, n, f.n, LINK_RAW, 1000);
		if (r == ERR_OK && n >= 20 + 8 + 16 + 20 + 8)
			assert_int_equal(p.n_encap, 1);
		if (r == ERR_OK && n < 20 + 8 + 16)
			assert_int_equal(p.n_encap, 0);
		free(copy);
	}
	decode_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gre),
		cmocka_unit_test(test_nvgre),
		cmocka_unit_test(test_gre_not_opened),
		cmocka_unit_test(test_erspan),
		cmocka_unit_test(test_vxlan),
		cmocka_unit_test(test_geneve),
		cmocka_unit_test(test_gtpu),
		cmocka_unit_test(test_ip_in_ip),
		cmocka_unit_test(test_teredo_ayiya),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
