/* test_decode_link.c - NFLOG, PPP, Cisco HDLC, PKTAP and 802.11 (bare,
 * radiotap, Prism, AVS) down to UDP; what is skipped and how it counts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "capture.h"
#include "decode.h"
#include "decode_link.h"

/* IPv4 192.0.2.10 -> 192.0.2.53, UDP 40000 -> 53, 4 bytes of payload. */
static const uint8_t ip4[] = {
	0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	192, 0, 2, 10, 192, 0, 2, 53,
	0x9c, 0x40, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00,
	0xde, 0xad, 0xbe, 0xef,
};

struct frame {
	uint8_t		 b[512];
	size_t		 len;
};

static void
add(struct frame *f, const void *p, size_t n)
{
	assert_true(f->len + n <= sizeof(f->b));
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void
add8(struct frame *f, unsigned v)
{
	uint8_t b = (uint8_t)v;

	add(f, &b, 1);
}

static void
add16(struct frame *f, unsigned v, bool le)
{
	add8(f, le ? v & 0xff : v >> 8 & 0xff);
	add8(f, le ? v >> 8 & 0xff : v & 0xff);
}

static void
add32(struct frame *f, uint32_t v, bool le)
{
	add16(f, le ? v & 0xffff : v >> 16, le);
	add16(f, le ? v >> 16 : v & 0xffff, le);
}

static void
zeros(struct frame *f, size_t n)
{
	static const uint8_t z[256];

	add(f, z, n);
}

static struct decode *
new_dec(void)
{
	struct decode *d = decode_new(64 * 1024, 30);

	assert_non_null(d);
	return d;
}

/* Decodes f as linktype: UDP 40000 -> 53 with the 4 bytes. */
static void
expect_udp(struct decode *d, const struct frame *f, int linktype)
{
	struct pkt p;

	assert_int_equal(decode_pkt(d, &p, f->b, f->len, f->len, linktype,
	    0), ERR_OK);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.sport, 40000);
	assert_int_equal(p.dport, 53);
	assert_int_equal(p.payload_len, 4);
	assert_memory_equal(p.payload, ip4 + 28, 4);
}

static int
expect(struct decode *d, const struct frame *f, size_t caplen, int linktype)
{
	struct pkt p;

	return decode_pkt(d, &p, f->b, caplen, f->len, linktype, 0);
}

static void
test_ok(void **state)
{
	static const int lts[] = { LINK_PPP, LINK_PPP_HDLC, LINK_C_HDLC,
	    LINK_IEEE802_11, LINK_PRISM, LINK_RADIOTAP, LINK_AVS,
	    LINK_PPP_WITH_DIR, LINK_NFLOG, LINK_PKTAP };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lts) / sizeof(lts[0]); i++) {
		assert_true(decode_link_ok(lts[i]));
		assert_true(decode_linktype_ok(lts[i]));
		assert_non_null(capture_linktype_name(lts[i]));
	}
	assert_false(decode_link_ok(LINK_ETHERNET));	/* decode.c's */
	assert_false(decode_linktype_ok(147));
}

static void
nflog(struct frame *f, bool le, bool pad_payload)
{
	f->len = 0;
	add8(f, 2);
	add8(f, 0);
	add16(f, 5, false);
	add16(f, 8, le);		/* NFULA_PACKET_HDR */
	add16(f, 1, le);
	add16(f, 0x0800, false);
	add8(f, 3);
	add8(f, 0);
	add16(f, 4 + 5, le);		/* prefix "kas\0" + 1, padded */
	add16(f, 10, le);
	add(f, "kasa", 5);
	zeros(f, 3);
	add16(f, 4 + sizeof(ip4), le);	/* NFULA_PAYLOAD */
	add16(f, 9, le);
	add(f, ip4, sizeof(ip4));
	if (pad_payload)
		zeros(f, 4);		/* another attribute would follow */
}

static void
test_nflog(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	struct frame f;

	(void)state;
	nflog(&f, true, false);
	expect_udp(d, &f, LINK_NFLOG);
	nflog(&f, false, true);
	expect_udp(d, &f, LINK_NFLOG);
	/* Cut by the snaplen inside the payload: counted as cut. */
	nflog(&f, true, false);
	assert_int_equal(expect(d, &f, f.len - 2, LINK_NFLOG), ERR_OK);
	assert_int_equal(st->cut, 1);
	/* An attribute shorter than its header. */
	nflog(&f, true, false);
	f.b[4] = 2;
	f.b[5] = 0;
	assert_int_equal(expect(d, &f, f.len, LINK_NFLOG), ERR_MALFORMED);
	assert_int_equal(st->malformed[DL_LINK], 1);
	/* No payload attribute: not IP. */
	nflog(&f, true, false);
	f.len = 4 + 8 + 12;
	assert_int_equal(expect(d, &f, f.len, LINK_NFLOG), ERR_NOTFOUND);
	assert_int_equal(st->non_ip, 1);
	/* The header alone, cut. */
	assert_int_equal(expect(d, &f, 3, LINK_NFLOG), ERR_SHORT);
	decode_free(d);
}

static void
test_ppp(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	struct frame f = { .len = 0 };

	(void)state;
	add8(&f, 0xff);
	add8(&f, 0x03);
	add16(&f, 0x0021, false);
	add(&f, ip4, sizeof(ip4));
	expect_udp(d, &f, LINK_PPP);
	expect_udp(d, &f, LINK_PPP_HDLC);
	/* Without address and control, protocol compressed. */
	f.len = 0;
	add8(&f, 0x21);
	add(&f, ip4, sizeof(ip4));
	expect_udp(d, &f, LINK_PPP);
	/* With the direction byte. */
	f.len = 0;
	add8(&f, 1);
	add8(&f, 0xff);
	add8(&f, 0x03);
	add16(&f, 0x0021, false);
	add(&f, ip4, sizeof(ip4));
	expect_udp(d, &f, LINK_PPP_WITH_DIR);
	/* LCP: not IP. */
	f.len = 0;
	add8(&f, 0xff);
	add8(&f, 0x03);
	add16(&f, 0xc021, false);
	zeros(&f, 8);
	assert_int_equal(expect(d, &f, f.len, LINK_PPP), ERR_NOTFOUND);
	assert_int_equal(st->non_ip, 1);
	/* Cut by the snaplen before the protocol: counted as cut. */
	assert_int_equal(expect(d, &f, 0, LINK_PPP_WITH_DIR), ERR_SHORT);
	assert_int_equal(st->cut, 1);
	decode_free(d);
}

static void
test_chdlc(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	struct frame f = { .len = 0 };

	(void)state;
	add8(&f, 0x8f);
	add8(&f, 0x00);
	add16(&f, 0x0800, false);
	add(&f, ip4, sizeof(ip4));
	expect_udp(d, &f, LINK_C_HDLC);
	expect_udp(d, &f, LINK_PPP_HDLC);	/* told by its first byte */
	f.b[0] = 0x42;
	assert_int_equal(expect(d, &f, f.len, LINK_C_HDLC), ERR_MALFORMED);
	assert_int_equal(st->malformed[DL_LINK], 1);
	assert_int_equal(expect(d, &f, 3, LINK_C_HDLC), ERR_SHORT);
	decode_free(d);
}

static void
pktap(struct frame *f, uint32_t hlen, uint32_t next, uint32_t dlt)
{
	f->len = 0;
	add32(f, hlen, true);
	add32(f, next, true);
	add32(f, dlt, true);
	zeros(f, hlen - 12);
}

static void
test_pktap(void **state)
{
	static const uint8_t eth[14] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
	    11, 0x08, 0x00 };
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	struct frame f;
	struct pkt p;

	(void)state;
	pktap(&f, 108, 1, LINK_ETHERNET);
	add(&f, eth, sizeof(eth));
	add(&f, ip4, sizeof(ip4));
	expect_udp(d, &f, LINK_PKTAP);
	assert_int_equal(decode_pkt(d, &p, f.b, f.len, f.len, LINK_PKTAP, 0),
	    ERR_OK);
	assert_true(p.has_mac);
	assert_memory_equal(p.mac_src, eth + 6, 6);
	pktap(&f, 108, 1, 12);			/* DLT_RAW as BSDs number it */
	add(&f, ip4, sizeof(ip4));
	expect_udp(d, &f, LINK_PKTAP);
	pktap(&f, 108, 1, 0);			/* DLT_NULL, AF_INET */
	add32(&f, 2, true);
	add(&f, ip4, sizeof(ip4));
	expect_udp(d, &f, LINK_PKTAP);
	pktap(&f, 108, 1, LINK_PPP);		/* decode_link.c's again */
	add8(&f, 0x21);
	add(&f, ip4, sizeof(ip4));
	expect_udp(d, &f, LINK_PKTAP);
	/* PKTAP in PKTAP and unknown inner types are not read. */
	pktap(&f, 108, 1, LINK_PKTAP);
	add(&f, ip4, sizeof(ip4));
	assert_int_equal(expect(d, &f, f.len, LINK_PKTAP), ERR_NOTFOUND);
	pktap(&f, 108, 1, 147);
	assert_int_equal(expect(d, &f, f.len, LINK_PKTAP), ERR_NOTFOUND);
	pktap(&f, 108, 2, LINK_ETHERNET);	/* not a packet record */
	assert_int_equal(expect(d, &f, f.len, LINK_PKTAP), ERR_NOTFOUND);
	assert_int_equal(st->non_ip, 3);
	pktap(&f, 12, 1, LINK_ETHERNET);	/* a header too short */
	f.b[0] = 8;
	assert_int_equal(expect(d, &f, f.len, LINK_PKTAP), ERR_MALFORMED);
	pktap(&f, 108, 1, LINK_ETHERNET);	/* longer than the frame */
	f.b[0] = 200;
	assert_int_equal(expect(d, &f, f.len, LINK_PKTAP), ERR_MALFORMED);
	assert_int_equal(st->malformed[DL_LINK], 2);
	decode_free(d);
}

/* An 802.11 data frame to the DS; qos, four addresses, +HTC, protected. */
static void
wlan(struct frame *f, unsigned fc0, unsigned fc1, bool four, bool snap)
{
	static const uint8_t a1[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t a2[6] = { 2, 0, 0, 0, 0, 2 };
	static const uint8_t a3[6] = { 2, 0, 0, 0, 0, 3 };
	static const uint8_t a4[6] = { 2, 0, 0, 0, 0, 4 };

	add8(f, fc0);
	add8(f, fc1);
	add16(f, 0, true);
	add(f, a1, 6);
	add(f, a2, 6);
	add(f, a3, 6);
	add16(f, 0x0010, true);
	if (four)
		add(f, a4, 6);
	if (fc0 & 0x80)
		add16(f, 0, true);
	if ((fc0 & 0x80) && (fc1 & 0x80))
		add32(f, 0, true);
	if (!snap)
		return;
	add8(f, 0xaa);
	add8(f, 0xaa);
	add8(f, 0x03);
	zeros(f, 3);
	add16(f, 0x0800, false);
	add(f, ip4, sizeof(ip4));
}

static void
test_wlan(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	struct frame f = { .len = 0 };
	struct pkt p;

	(void)state;
	wlan(&f, 0x08, 0x01, false, true);	/* to the DS: SA a2, DA a3 */
	expect_udp(d, &f, LINK_IEEE802_11);
	assert_int_equal(decode_pkt(d, &p, f.b, f.len, f.len,
	    LINK_IEEE802_11, 0), ERR_OK);
	assert_int_equal(p.mac_src[5], 2);
	assert_int_equal(p.mac_dst[5], 3);
	f.len = 0;
	wlan(&f, 0x08, 0x02, false, true);	/* from the DS: SA a3, DA a1 */
	assert_int_equal(decode_pkt(d, &p, f.b, f.len, f.len,
	    LINK_IEEE802_11, 0), ERR_OK);
	assert_int_equal(p.mac_src[5], 3);
	assert_int_equal(p.mac_dst[5], 1);
	f.len = 0;
	wlan(&f, 0x88, 0x83, true, true);	/* QoS, 4 addresses, +HTC */
	assert_int_equal(decode_pkt(d, &p, f.b, f.len, f.len,
	    LINK_IEEE802_11, 0), ERR_OK);
	assert_int_equal(p.mac_src[5], 4);
	assert_int_equal(p.sport, 40000);
	/* Protected: counted apart, not read. */
	f.len = 0;
	wlan(&f, 0x88, 0x41, false, true);
	assert_int_equal(expect(d, &f, f.len, LINK_IEEE802_11),
	    ERR_NOTFOUND);
	assert_int_equal(st->wlan_protected, 1);
	assert_int_equal(st->non_ip, 0);
	/* Management, null data, later fragment, A-MSDU: not IP. */
	f.len = 0;
	wlan(&f, 0x80, 0x00, false, false);
	zeros(&f, 12);
	assert_int_equal(expect(d, &f, f.len, LINK_IEEE802_11),
	    ERR_NOTFOUND);
	f.len = 0;
	wlan(&f, 0x48, 0x01, false, false);
	assert_int_equal(expect(d, &f, f.len, LINK_IEEE802_11),
	    ERR_NOTFOUND);
	f.len = 0;
	wlan(&f, 0x08, 0x01, false, true);
	f.b[22] |= 2;
	assert_int_equal(expect(d, &f, f.len, LINK_IEEE802_11),
	    ERR_NOTFOUND);
	f.len = 0;
	wlan(&f, 0x88, 0x01, false, true);
	f.b[24] = 0x80;
	assert_int_equal(expect(d, &f, f.len, LINK_IEEE802_11),
	    ERR_NOTFOUND);
	assert_int_equal(st->non_ip, 4);
	/* Protocol version 1, and a header cut short. */
	f.len = 0;
	wlan(&f, 0x09, 0x01, false, true);
	assert_int_equal(expect(d, &f, f.len, LINK_IEEE802_11),
	    ERR_MALFORMED);
	assert_int_equal(expect(d, &f, 20, LINK_IEEE802_11), ERR_SHORT);
	assert_int_equal(st->malformed[DL_LINK], 1);
	decode_free(d);
}

static void
test_radio_headers(void **state)
{
	struct decode *d = new_dec();
	const struct decode_stats *st = decode_stats(d);
	struct frame f = { .len = 0 };

	(void)state;
	/* radiotap, 12 bytes */
	add8(&f, 0);
	add8(&f, 0);
	add16(&f, 12, true);
	add32(&f, 6, true);
	zeros(&f, 4);
	wlan(&f, 0x88, 0x01, false, true);
	expect_udp(d, &f, LINK_RADIOTAP);
	f.b[0] = 1;				/* version 1 */
	assert_int_equal(expect(d, &f, f.len, LINK_RADIOTAP),
	    ERR_MALFORMED);
	f.b[0] = 0;
	f.b[2] = 0xff;				/* past the frame */
	f.b[3] = 0xff;
	assert_int_equal(expect(d, &f, f.len, LINK_RADIOTAP),
	    ERR_MALFORMED);
	/* Prism: 144 bytes */
	f.len = 0;
	add32(&f, 0x44, true);
	add32(&f, 144, true);
	zeros(&f, 136);
	wlan(&f, 0x08, 0x01, false, true);
	expect_udp(d, &f, LINK_PRISM);
	/* AVS, also where Prism is expected */
	f.len = 0;
	add32(&f, 0x80211001u, false);
	add32(&f, 64, false);
	zeros(&f, 56);
	wlan(&f, 0x08, 0x01, false, true);
	expect_udp(d, &f, LINK_AVS);
	expect_udp(d, &f, LINK_PRISM);
	f.b[0] = 0x12;				/* not AVS's cookie */
	assert_int_equal(expect(d, &f, f.len, LINK_AVS), ERR_MALFORMED);
	assert_int_equal(expect(d, &f, 2, LINK_AVS), ERR_SHORT);
	assert_int_equal(st->malformed[DL_LINK], 3);
	decode_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_nflog),
		cmocka_unit_test(test_ppp),
		cmocka_unit_test(test_chdlc),
		cmocka_unit_test(test_pktap),
		cmocka_unit_test(test_wlan),
		cmocka_unit_test(test_radio_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
