/* test_capture.c - pcap and pcapng reader, filters, truncation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

#define LE16(x)	(uint8_t)((x) & 0xff), (uint8_t)(((x) >> 8) & 0xff)
#define BE16(x)	(uint8_t)(((x) >> 8) & 0xff), (uint8_t)((x) & 0xff)
#define LE32(x)	LE16((x) & 0xffff), LE16(((x) >> 16) & 0xffff)
#define BE32(x)	BE16(((x) >> 16) & 0xffff), BE16((x) & 0xffff)

/* pcap, little-endian, microseconds: two records. */
static const uint8_t pcap_le_usec[] = {
	0xd4, 0xc3, 0xb2, 0xa1,		/* magic a1b2c3d4, LE */
	LE16(2), LE16(4),		/* version 2.4 */
	LE32(0), LE32(0),		/* thiszone, sigfigs */
	LE32(1500),			/* snaplen */
	LE32(0x14000001),		/* FCS bits (len 1, F) + EN10MB */
	/* record 1 at offset 24 */
	LE32(1700000000), LE32(123456),	/* ts */
	LE32(4), LE32(60),		/* caplen, len */
	0xde, 0xad, 0xbe, 0xef,
	/* record 2 at offset 44: usec out of range is carried over */
	LE32(10), LE32(2500000),
	LE32(2), LE32(2),
	0x01, 0x02,
};

/* pcap, big-endian, nanoseconds, LINKTYPE_RAW. */
static const uint8_t pcap_be_nsec[] = {
	0xa1, 0xb2, 0x3c, 0x4d,		/* magic a1b23c4d, BE */
	BE16(2), BE16(4),
	BE32(0), BE32(0),
	BE32(65535),			/* snaplen */
	BE32(101),			/* RAW */
	BE32(0x80000000u), BE32(999999999),	/* ts: after 2038 */
	BE32(3), BE32(3),
	0x45, 0x00, 0x00,
};

/* Ethernet + IPv4 + UDP 1024 -> 53 (no payload), 42 bytes. */
#define ETH_UDP(dport)							\
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55,	/* dst MAC */		\
	0x00, 0x66, 0x77, 0x88, 0x99, 0xaa,	/* src MAC */		\
	0x08, 0x00,				/* IPv4 */		\
	0x45, 0x00, BE16(28), BE16(0), BE16(0),	/* ver, len, id, frag */\
	0x40, 0x11, BE16(0),			/* ttl, UDP, csum */	\
	10, 0, 0, 1, 10, 0, 0, 2,		/* src, dst */		\
	BE16(1024), BE16(dport), BE16(8), BE16(0)

/* pcap LE: DNS, UDP to port 80, DNS. */
static const uint8_t pcap_filter[] = {
	0xd4, 0xc3, 0xb2, 0xa1, LE16(2), LE16(4), LE32(0), LE32(0),
	LE32(65535), LE32(1),
	LE32(1), LE32(0), LE32(42), LE32(42), ETH_UDP(53),
	LE32(2), LE32(0), LE32(42), LE32(42), ETH_UDP(80),
	LE32(3), LE32(0), LE32(42), LE32(42), ETH_UDP(53),
};

/* The same first frame, as raw IPv4 (LINKTYPE_RAW, not DLT_RAW). */
static const uint8_t pcap_filter_raw[] = {
	0xd4, 0xc3, 0xb2, 0xa1, LE16(2), LE16(4), LE32(0), LE32(0),
	LE32(65535), LE32(101),
	LE32(1), LE32(0), LE32(28), LE32(28),
	0x45, 0x00, BE16(28), BE16(0), BE16(0), 0x40, 0x11, BE16(0),
	10, 0, 0, 1, 10, 0, 0, 2, BE16(1024), BE16(53), BE16(8), BE16(0),
};

/*
 * pcapng: a little-endian section with two interfaces of different link
 * types, snaplens and time resolutions, then a big-endian section.
 */
static const uint8_t ng_multi[] = {
	/* 0: SHB, LE */
	LE32(0x0A0D0D0A), LE32(28), LE32(0x1A2B3C4D),
	LE16(1), LE16(0),		/* version 1.0 */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* length -1 */
	LE32(28),
	/* 28: IDB 0: EN10MB, snaplen 65535, if_tsresol 10^-9 */
	LE32(1), LE32(32), LE16(1), LE16(0), LE32(65535),
	LE16(9), LE16(1), 9, 0, 0, 0,	/* if_tsresol */
	LE16(0), LE16(0),		/* opt_endofopt */
	LE32(32),
	/* 60: IDB 1: LINUX_SLL, snaplen 128, 2^-20 s, offset +100 s */
	LE32(1), LE32(44), LE16(113), LE16(0), LE32(128),
	LE16(9), LE16(1), 0x94, 0, 0, 0,
	LE16(14), LE16(8), LE32(100), LE32(0),	/* if_tsoffset */
	LE16(0), LE16(0),
	LE32(44),
	/* 104: NRB (skipped) */
	LE32(4), LE32(16), LE16(0), LE16(0), LE32(16),
	/* 120: EPB on interface 1: 5.5 s in 2^-20 units */
	LE32(6), LE32(36), LE32(1), LE32(0), LE32(0x00580000),
	LE32(3), LE32(10),		/* caplen, len */
	0xaa, 0xbb, 0xcc, 0,		/* data, pad */
	LE32(36),
	/* 156: EPB on interface 0: 1700000000.123456789 in ns */
	LE32(6), LE32(36), LE32(0), LE32(0x17979cfe), LE32(0x3d85cd15),
	LE32(4), LE32(4),
	1, 2, 3, 4,
	LE32(36),
	/* 192: ISB (skipped) */
	LE32(5), LE32(24), LE32(0), LE32(0), LE32(0), LE32(24),
	/* 216: SPB: interface 0, 6 bytes + pad */
	LE32(3), LE32(24), LE32(6),
	9, 8, 7, 6, 5, 4, 0, 0,
	LE32(24),
	/* 240: SHB, BE */
	BE32(0x0A0D0D0A), BE32(28), BE32(0x1A2B3C4D),
	BE16(1), BE16(0),
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	BE32(28),
	/* 268: IDB 0 of section 2: IPV4, snaplen 0, default usec */
	BE32(1), BE32(20), BE16(228), BE16(0), BE32(0), BE32(20),
	/* 288: EPB: 1.25 s */
	BE32(6), BE32(36), BE32(0), BE32(0), BE32(1250000),
	BE32(1), BE32(1),
	0x45, 0, 0, 0,
	BE32(36),
	/* 324: obsolete Packet Block: 16-bit interface, drops */
	BE32(2), BE32(36), BE16(0), BE16(7), BE32(0), BE32(2000001),
	BE32(2), BE32(20),
	0x45, 0x00, 0, 0,
	BE32(36),
	/* 360: end */
};

/* Reads every record; returns the count, *rc gets the final code. */
static int
read_all(struct capture *c, int *rc, char *errbuf)
{
	struct capture_pkt pkt;
	int n = 0;

	while ((*rc = capture_next(c, &pkt, errbuf)) == ERR_OK)
		n++;
	return n;
}

static void
test_pcap_le_usec(void **state)
{
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];
	const struct capture_stats *st;
	static const uint8_t d1[] = { 0xde, 0xad, 0xbe, 0xef };

	(void)state;
	assert_int_equal(capture_open_buf(&c, pcap_le_usec,
	    sizeof(pcap_le_usec), "le.pcap", errbuf), ERR_OK);
	assert_string_equal(capture_format(c), "pcap");
	assert_int_equal(capture_offset(c), 24);

	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 1);
	assert_int_equal(pkt.offset, 24);
	assert_int_equal(pkt.linktype, LINK_ETHERNET);
	assert_int_equal(pkt.snaplen, 1500);
	assert_int_equal(pkt.ifindex, 0);
	assert_int_equal(pkt.ts_sec, 1700000000);
	assert_int_equal(pkt.ts_nsec, 123456000);
	assert_int_equal(pkt.caplen, 4);
	assert_int_equal(pkt.len, 60);
	assert_memory_equal(pkt.data, d1, 4);
	assert_int_equal(capture_offset(c), 44);

	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 2);
	assert_int_equal(pkt.offset, 44);
	assert_int_equal(pkt.ts_sec, 12);
	assert_int_equal(pkt.ts_nsec, 500000000);
	assert_int_equal(pkt.caplen, 2);
	assert_int_equal(pkt.data[1], 0x02);

	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	assert_int_equal(capture_offset(c), sizeof(pcap_le_usec));
	st = capture_stats(c);
	assert_int_equal(st->records, 2);
	assert_int_equal(st->bytes, 6);
	assert_int_equal(st->sections, 1);
	assert_int_equal(st->filtered, 0);
	capture_close(c);
}

static void
test_pcap_be_nsec(void **state)
{
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	(void)state;
	assert_int_equal(capture_open_buf(&c, pcap_be_nsec,
	    sizeof(pcap_be_nsec), "be.pcap", errbuf), ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.linktype, LINK_RAW);
	assert_int_equal(pkt.snaplen, 65535);
	assert_int_equal(pkt.ts_sec, 2147483648LL);	/* unsigned field */
	assert_int_equal(pkt.ts_nsec, 999999999);
	assert_int_equal(pkt.caplen, 3);
	assert_int_equal(pkt.data[0], 0x45);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	capture_close(c);
}

/* pcap 2.2 wrote len before caplen. */
static void
test_pcap_old_swapped(void **state)
{
	static const uint8_t f[] = {
		0xd4, 0xc3, 0xb2, 0xa1, LE16(2), LE16(2), LE32(0), LE32(0),
		LE32(96), LE32(1),
		LE32(0), LE32(0), LE32(100), LE32(2),	/* len, caplen */
		0x11, 0x22,
	};
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	(void)state;
	assert_int_equal(capture_open_buf(&c, f, sizeof(f), "old", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.caplen, 2);
	assert_int_equal(pkt.len, 100);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	capture_close(c);
}

/* caplen above the snaplen (but sane) and above len are tolerated. */
static void
test_pcap_caplen_tolerated(void **state)
{
	static const uint8_t f[] = {
		0xd4, 0xc3, 0xb2, 0xa1, LE16(2), LE16(4), LE32(0), LE32(0),
		LE32(2), LE32(1),			/* snaplen 2 */
		LE32(0), LE32(0), LE32(4), LE32(3),	/* caplen 4 > len */
		1, 2, 3, 4,
	};
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	(void)state;
	assert_int_equal(capture_open_buf(&c, f, sizeof(f), "x", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.caplen, 4);
	assert_int_equal(pkt.len, 3);
	assert_int_equal(pkt.data[3], 4);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	capture_close(c);
}

static void
test_pcap_caplen_corrupt(void **state)
{
	static const uint8_t f[] = {
		0xd4, 0xc3, 0xb2, 0xa1, LE16(2), LE16(4), LE32(0), LE32(0),
		LE32(65535), LE32(1),
		LE32(0), LE32(0), LE32(1), LE32(1), 0xff,
		/* 41: caplen 262145 > max(snaplen, 262144) */
		LE32(0), LE32(0), LE32(262145), LE32(262145),
		0, 0, 0, 0,
	};
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	(void)state;
	assert_int_equal(capture_open_buf(&c, f, sizeof(f), "big.pcap",
	    errbuf), ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "big.pcap: offset 41: "));
	assert_int_equal(capture_offset(c), 41);
	/* The error is sticky. */
	memset(errbuf, 0, sizeof(errbuf));
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "offset 41"));
	assert_int_equal(capture_stats(c)->records, 1);
	capture_close(c);
}

static void
test_pcapng_multi(void **state)
{
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];
	const struct capture_stats *st;
	static const uint8_t spb[] = { 9, 8, 7, 6, 5, 4 };

	(void)state;
	assert_int_equal(capture_open_buf(&c, ng_multi, sizeof(ng_multi),
	    "multi.pcapng", errbuf), ERR_OK);
	assert_string_equal(capture_format(c), "pcapng");

	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 1);
	assert_int_equal(pkt.offset, 120);
	assert_int_equal(pkt.ifindex, 1);
	assert_int_equal(pkt.linktype, LINK_LINUX_SLL);
	assert_int_equal(pkt.snaplen, 128);
	assert_int_equal(pkt.ts_sec, 105);
	assert_int_equal(pkt.ts_nsec, 500000000);
	assert_int_equal(pkt.caplen, 3);
	assert_int_equal(pkt.len, 10);
	assert_int_equal(pkt.data[2], 0xcc);

	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 2);
	assert_int_equal(pkt.offset, 156);
	assert_int_equal(pkt.ifindex, 0);
	assert_int_equal(pkt.linktype, LINK_ETHERNET);
	assert_int_equal(pkt.snaplen, 65535);
	assert_int_equal(pkt.ts_sec, 1700000000);
	assert_int_equal(pkt.ts_nsec, 123456789);
	assert_int_equal(pkt.caplen, 4);

	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 3);			/* SPB */
	assert_int_equal(pkt.offset, 216);
	assert_int_equal(pkt.ifindex, 0);
	assert_int_equal(pkt.linktype, LINK_ETHERNET);
	assert_int_equal(pkt.ts_sec, 0);
	assert_int_equal(pkt.ts_nsec, 0);
	assert_int_equal(pkt.caplen, 6);
	assert_int_equal(pkt.len, 6);
	assert_memory_equal(pkt.data, spb, sizeof(spb));

	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 4);			/* section 2 */
	assert_int_equal(pkt.offset, 288);
	assert_int_equal(pkt.ifindex, 0);
	assert_int_equal(pkt.linktype, LINK_IPV4);
	assert_int_equal(pkt.snaplen, 0);
	assert_int_equal(pkt.ts_sec, 1);
	assert_int_equal(pkt.ts_nsec, 250000000);
	assert_int_equal(pkt.caplen, 1);
	assert_int_equal(pkt.data[0], 0x45);

	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 5);			/* obsolete PB */
	assert_int_equal(pkt.offset, 324);
	assert_int_equal(pkt.linktype, LINK_IPV4);
	assert_int_equal(pkt.ts_sec, 2);
	assert_int_equal(pkt.ts_nsec, 1000);
	assert_int_equal(pkt.caplen, 2);
	assert_int_equal(pkt.len, 20);

	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	assert_int_equal(capture_offset(c), sizeof(ng_multi));
	st = capture_stats(c);
	assert_int_equal(st->records, 5);
	assert_int_equal(st->bytes, 3 + 4 + 6 + 1 + 2);
	assert_int_equal(st->sections, 2);
	assert_int_equal(st->interfaces, 3);
	assert_int_equal(st->blocks_skipped, 2);
	capture_close(c);
}

/* One LE section, one interface with the given if_tsresol, one EPB at t. */
static void
check_tsresol(uint8_t tsresol, uint64_t t, int64_t sec, uint32_t nsec)
{
	const uint8_t f[] = {
		LE32(0x0A0D0D0A), LE32(28), LE32(0x1A2B3C4D), LE16(1),
		LE16(0), 0, 0, 0, 0, 0, 0, 0, 0, LE32(28),
		LE32(1), LE32(32), LE16(1), LE16(0), LE32(0),
		LE16(9), LE16(1), tsresol, 0, 0, 0, LE16(0), LE16(0),
		LE32(32),
		LE32(6), LE32(32), LE32(0),
		LE32((uint32_t)(t >> 32)), LE32((uint32_t)t),
		LE32(0), LE32(0), LE32(32),
	};
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	assert_int_equal(capture_open_buf(&c, f, sizeof(f), "ts", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.ts_sec, sec);
	assert_int_equal(pkt.ts_nsec, nsec);
	assert_int_equal(pkt.caplen, 0);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	capture_close(c);
}

static void
test_pcapng_tsresol(void **state)
{
	(void)state;
	check_tsresol(6, 1500000, 1, 500000000);		/* usec */
	check_tsresol(3, 1500, 1, 500000000);			/* msec */
	check_tsresol(0, 42, 42, 0);				/* sec */
	/* picoseconds: 7 s + 123456789123 ps, sub-ns part dropped */
	check_tsresol(12, 0x0000067a8f1c8a83ULL, 7, 123456789);
	/* 2^-40: one unit short of 4 s must not round up */
	check_tsresol(0x80 | 40, 0x000003ffffffffffULL, 3, 999999999);
	check_tsresol(0x80 | 40, 0x0000038000000000ULL, 3, 500000000);
	/* 2^-63 and 10^-19, the largest we accept */
	check_tsresol(0x80 | 63, 0xc000000000000000ULL, 1, 500000000);
	check_tsresol(19, 10000000000000000000ULL, 1, 0);
	/* 2^-0: seconds */
	check_tsresol(0x80, 3, 3, 0);
}

static void
test_pcapng_tsresol_bad(void **state)
{
	static const uint8_t f[] = {
		LE32(0x0A0D0D0A), LE32(28), LE32(0x1A2B3C4D), LE16(1),
		LE16(0), 0, 0, 0, 0, 0, 0, 0, 0, LE32(28),
		/* 28: 10^-20 does not fit 64 bits */
		LE32(1), LE32(32), LE16(1), LE16(0), LE32(0),
		LE16(9), LE16(1), 20, 0, 0, 0, LE16(0), LE16(0),
		LE32(32),
	};
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	(void)state;
	assert_int_equal(capture_open_buf(&c, f, sizeof(f), "r", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "r: offset 28: "));
	capture_close(c);
}

/* A new section forgets the interfaces of the one before. */
static void
test_pcapng_unknown_interface(void **state)
{
	static const uint8_t f[] = {
		LE32(0x0A0D0D0A), LE32(28), LE32(0x1A2B3C4D), LE16(1),
		LE16(0), 0, 0, 0, 0, 0, 0, 0, 0, LE32(28),
		LE32(1), LE32(20), LE16(1), LE16(0), LE32(0), LE32(20),
		LE32(1), LE32(20), LE16(1), LE16(0), LE32(0), LE32(20),
		/* 68: EPB on interface 1: fine */
		LE32(6), LE32(32), LE32(1), LE32(0), LE32(0), LE32(0),
		LE32(0), LE32(32),
		/* 100: new section, one interface */
		LE32(0x0A0D0D0A), LE32(28), LE32(0x1A2B3C4D), LE16(1),
		LE16(0), 0, 0, 0, 0, 0, 0, 0, 0, LE32(28),
		LE32(1), LE32(20), LE16(1), LE16(0), LE32(0), LE32(20),
		/* 148: EPB on interface 1: unknown now */
		LE32(6), LE32(32), LE32(1), LE32(0), LE32(0), LE32(0),
		LE32(0), LE32(32),
	};
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	(void)state;
	assert_int_equal(capture_open_buf(&c, f, sizeof(f), "u", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.ifindex, 1);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "u: offset 148: "));
	assert_int_equal(capture_offset(c), 148);
	assert_int_equal(capture_stats(c)->sections, 2);
	assert_int_equal(capture_stats(c)->interfaces, 3);
	capture_close(c);
}

/* Opens f (after a valid SHB) and expects ERR_MALFORMED at offset 28. */
static void
check_bad_block(const uint8_t *f, size_t len)
{
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	assert_int_equal(capture_open_buf(&c, f, len, "bad", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "bad: offset 28: "));
	assert_int_equal(capture_offset(c), 28);
	capture_close(c);
}

#define SHB_LE								\
	LE32(0x0A0D0D0A), LE32(28), LE32(0x1A2B3C4D), LE16(1), LE16(0),	\
	0, 0, 0, 0, 0, 0, 0, 0, LE32(28)

static void
test_pcapng_bad_blocks(void **state)
{
	static const uint8_t not4[] = {		/* length 22 */
		SHB_LE, LE32(4), LE32(22), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		LE32(22), 0, 0,
	};
	static const uint8_t small[] = {	/* length 8 */
		SHB_LE, LE32(4), LE32(8), LE32(8),
	};
	static const uint8_t trailer[] = {	/* 16 then 20 */
		SHB_LE, LE32(4), LE32(16), LE32(0), LE32(20),
	};
	static const uint8_t huge[] = {		/* 2 GiB: not a short file */
		SHB_LE, LE32(4), LE32(0x80000000u), LE32(0), LE32(0),
	};
	static const uint8_t bad_bom[] = {
		SHB_LE, LE32(0x0A0D0D0A), LE32(28), LE32(0x1A2B3C4E),
		LE16(1), LE16(0), 0, 0, 0, 0, 0, 0, 0, 0, LE32(28),
	};
	static const uint8_t bad_version[] = {
		SHB_LE, LE32(0x0A0D0D0A), LE32(28), LE32(0x1A2B3C4D),
		LE16(2), LE16(0), 0, 0, 0, 0, 0, 0, 0, 0, LE32(28),
	};
	static const uint8_t opt_over[] = {	/* option of 40 bytes */
		SHB_LE, LE32(1), LE32(28), LE16(1), LE16(0), LE32(0),
		LE16(2), LE16(40), 0, 0, 0, 0, LE32(28),
	};

	(void)state;
	/* The IDB errors are only met by capture_next(), not open. */
	check_bad_block(not4, sizeof(not4));
	check_bad_block(small, sizeof(small));
	check_bad_block(trailer, sizeof(trailer));
	check_bad_block(huge, sizeof(huge));
	check_bad_block(bad_bom, sizeof(bad_bom));
	check_bad_block(bad_version, sizeof(bad_version));
	check_bad_block(opt_over, sizeof(opt_over));
}

/* Records whose error is after the IDB (offset 48). */
static void
test_pcapng_bad_packet_blocks(void **state)
{
	static const uint8_t epb_short[] = {	/* EPB body 16 bytes */
		SHB_LE, LE32(1), LE32(20), LE16(1), LE16(0), LE32(0),
		LE32(20),
		LE32(6), LE32(28), LE32(0), LE32(0), LE32(0), LE32(0),
		LE32(28),
	};
	static const uint8_t caplen_over[] = {	/* caplen 8 in 4 bytes */
		SHB_LE, LE32(1), LE32(20), LE16(1), LE16(0), LE32(0),
		LE32(20),
		LE32(6), LE32(36), LE32(0), LE32(0), LE32(0), LE32(8),
		LE32(8), 1, 2, 3, 4, LE32(36),
	};
	static const uint8_t spb_no_if[] = {	/* SPB before any IDB */
		SHB_LE, LE32(3), LE32(16), LE32(0), LE32(16),
	};
	const struct {
		const uint8_t	*f;
		size_t		 len;
		uint64_t	 off;
	} t[] = {
		{ epb_short, sizeof(epb_short), 48 },
		{ caplen_over, sizeof(caplen_over), 48 },
		{ spb_no_if, sizeof(spb_no_if), 28 },
	};
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(capture_open_buf(&c, t[i].f, t[i].len, "p",
		    errbuf), ERR_OK);
		assert_int_equal(capture_next(c, &pkt, errbuf),
		    ERR_MALFORMED);
		assert_int_equal(capture_offset(c), t[i].off);
		assert_non_null(strstr(errbuf, "p: offset "));
		capture_close(c);
	}
}

static void
test_bad_magic(void **state)
{
	static const uint8_t elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
	static const uint8_t text[] = { 'h', 'i' };
	static const uint8_t cut[] = { 0x0a, 0x0d };
	static const uint8_t pcap_v1[] = {
		0xd4, 0xc3, 0xb2, 0xa1, LE16(1), LE16(0), LE32(0), LE32(0),
		LE32(65535), LE32(1),
	};
	struct capture *c = NULL;
	char errbuf[ERRBUF_LEN];

	(void)state;
	assert_int_equal(capture_open_buf(&c, elf, sizeof(elf), "a.out",
	    errbuf), ERR_MALFORMED);
	assert_null(c);
	assert_string_equal(errbuf,
	    "a.out: not a pcap or pcapng file (magic 0x7f454c46)");
	assert_int_equal(capture_open_buf(&c, text, sizeof(text), "t",
	    errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "t: not a pcap or pcapng file"));
	assert_int_equal(capture_open_buf(&c, cut, sizeof(cut), "cut",
	    errbuf), ERR_SHORT);
	assert_int_equal(capture_open_buf(&c, NULL, 0, "e", errbuf),
	    ERR_MALFORMED);
	assert_string_equal(errbuf, "e: empty file");
	assert_int_equal(capture_open_buf(&c, pcap_v1, sizeof(pcap_v1), "v",
	    errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "v: offset 0: "));
	assert_null(c);
}

static void
test_filter(void **state)
{
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	(void)state;
	assert_int_equal(capture_open_buf(&c, pcap_filter,
	    sizeof(pcap_filter), "f", errbuf), ERR_OK);
	assert_int_equal(capture_set_filter(c, "udp and port 5 3 3", errbuf),
	    ERR_MALFORMED);
	assert_memory_equal(errbuf, "filter: ", 8);
	assert_int_equal(capture_set_filter(c, "udp port 53", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 1);
	assert_int_equal(pkt.ts_sec, 1);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 3);		/* frame 2 still counted */
	assert_int_equal(pkt.ts_sec, 3);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	assert_int_equal(capture_stats(c)->records, 3);
	assert_int_equal(capture_stats(c)->filtered, 1);
	capture_close(c);

	/* Replacing the filter; NULL removes it. */
	assert_int_equal(capture_open_buf(&c, pcap_filter,
	    sizeof(pcap_filter), "f", errbuf), ERR_OK);
	assert_int_equal(capture_set_filter(c, "udp port 80", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 2);
	assert_int_equal(capture_set_filter(c, NULL, errbuf), ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.frame, 3);
	capture_close(c);

	/* Compiled for raw IP when LINKTYPE_RAW is met. */
	assert_int_equal(capture_open_buf(&c, pcap_filter_raw,
	    sizeof(pcap_filter_raw), "raw", errbuf), ERR_OK);
	assert_int_equal(capture_set_filter(c, "udp dst port 53", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.linktype, LINK_RAW);
	capture_close(c);
	assert_int_equal(capture_open_buf(&c, pcap_filter_raw,
	    sizeof(pcap_filter_raw), "raw", errbuf), ERR_OK);
	assert_int_equal(capture_set_filter(c, "udp dst port 54", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	assert_int_equal(capture_stats(c)->filtered, 1);
	capture_close(c);
}

/* Valid on Ethernet, not on a link that has no Ethernet addresses. */
static void
test_filter_linktype_error(void **state)
{
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];

	(void)state;
	assert_int_equal(capture_open_buf(&c, ng_multi, sizeof(ng_multi),
	    "m", errbuf), ERR_OK);
	assert_int_equal(capture_set_filter(c,
	    "ether host 00:11:22:33:44:55", errbuf), ERR_OK);
	/* The first packet is on the LINUX_SLL interface. */
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_MALFORMED);
	assert_memory_equal(errbuf, "filter: ", 8);
	assert_non_null(strstr(errbuf, "(linktype 113)"));
	assert_int_equal(capture_stats(c)->records, 1);
	assert_int_equal(capture_stats(c)->filtered, 0);
	memset(errbuf, 0, sizeof(errbuf));
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "(linktype 113)"));
	capture_close(c);
}

/*
 * Every prefix of f, each in a heap block of its exact size: the records
 * before the cut come out, then ERR_SHORT (ERR_END at a record boundary).
 * bounds[] are the offsets where records or blocks end; the first is the
 * end of the file header.
 */
static void
check_prefixes(const uint8_t *f, size_t len, const size_t *bounds,
    size_t n_bounds, const bool *is_pkt)
{
	struct capture *c;
	char errbuf[ERRBUF_LEN];
	uint8_t *buf;
	size_t cut, i, good, last;
	int rc, n;

	for (cut = 0; cut <= len; cut++) {
		assert_non_null(buf = malloc(cut ? cut : 1));
		memcpy(buf, f, cut);
		rc = capture_open_buf(&c, buf, cut, "cut", errbuf);
		if (cut == 0) {
			assert_int_equal(rc, ERR_MALFORMED);
		} else if (cut < bounds[0]) {
			assert_int_equal(rc, ERR_SHORT);
			assert_non_null(strstr(errbuf, "cut: offset 0: "));
		} else {
			assert_int_equal(rc, ERR_OK);
			good = 0;
			last = bounds[0];
			for (i = 1; i < n_bounds && bounds[i] <= cut; i++) {
				good += is_pkt[i];
				last = bounds[i];
			}
			n = read_all(c, &rc, errbuf);
			assert_int_equal(n, good);
			assert_int_equal(rc, cut == last ? ERR_END : ERR_SHORT);
			assert_int_equal(capture_offset(c), last);
			capture_close(c);
		}
		free(buf);
	}
}

static void
test_truncated_pcap(void **state)
{
	static const size_t b_le[] = { 24, 44, 62 }, b_be[] = { 24, 43 };
	static const bool p[] = { false, true, true };

	(void)state;
	check_prefixes(pcap_le_usec, sizeof(pcap_le_usec), b_le, 3, p);
	check_prefixes(pcap_be_nsec, sizeof(pcap_be_nsec), b_be, 2, p);
}

static void
test_truncated_pcapng(void **state)
{
	static const size_t b[] = {
		28, 60, 104, 120, 156, 192, 216, 240, 268, 288, 324, 360,
	};
	static const bool p[] = {
		false, false, false, false, true, true, false, true, false,
		false, true, true,
	};

	(void)state;
	check_prefixes(ng_multi, sizeof(ng_multi), b, 12, p);
}

static void
test_file(void **state)
{
	char path[] = "/tmp/test_capture.XXXXXX";
	struct capture *c = NULL;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];
	int fd, rc;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, ng_multi, sizeof(ng_multi)),
	    sizeof(ng_multi));
	assert_int_equal(capture_open_file(&c, path, errbuf), ERR_OK);
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	assert_int_equal(pkt.ts_sec, 105);
	assert_int_equal(read_all(c, &rc, errbuf), 4);
	assert_int_equal(rc, ERR_END);
	capture_close(c);

	/* Standard input that is a regular file can be mapped too. */
	setenv("KASAUDIT_MMAP", "1", 1);
	{
		int saved = dup(0);

		assert_true(saved >= 0);
		assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
		assert_int_equal(dup2(fd, 0), 0);
		assert_int_equal(capture_open_file(&c, "-", errbuf), ERR_OK);
		assert_int_equal(read_all(c, &rc, errbuf), 5);
		assert_int_equal(rc, ERR_END);
		capture_close(c);
		assert_int_equal(dup2(saved, 0), 0);
		close(saved);
	}
	unsetenv("KASAUDIT_MMAP");

	/* Empty file. */
	c = NULL;
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(capture_open_file(&c, path, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, ": empty file"));
	close(fd);
	unlink(path);

	assert_int_equal(capture_open_file(&c, path, errbuf), ERR_IO);
	assert_non_null(strstr(errbuf, strerror(ENOENT)));
	assert_int_equal(capture_open_file(&c, "/tmp", errbuf), ERR_IO);
	assert_string_equal(errbuf, "/tmp: Is a directory");
	assert_null(c);
}

/* Writes len bytes of f into a pipe that becomes standard input. */
static pid_t
pipe_stdin(const uint8_t *f, size_t len, int *saved)
{
	int fds[2];
	pid_t pid;
	size_t off = 0;
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		close(fds[0]);
		while (off < len) {
			if ((n = write(fds[1], f + off, len - off)) <= 0)
				_exit(1);
			off += (size_t)n;
		}
		_exit(0);
	}
	close(fds[1]);
	assert_true((*saved = dup(0)) >= 0);
	assert_int_equal(dup2(fds[0], 0), 0);
	close(fds[0]);
	return pid;
}

static void
pipe_done(pid_t pid, int saved)
{
	int status;

	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * A pcap of n records whose sizes vary (1..sz bytes), or n more from
 * record first on, records straddling
 * the reader's mapping windows; record i is filled with byte i.  Returns
 * the bytes written.
 */
static size_t
write_big(int fd, unsigned first, unsigned n, unsigned sz)
{
	static const uint8_t hdr[24] = {
		0xd4, 0xc3, 0xb2, 0xa1, LE16(2), LE16(4), LE32(0), LE32(0),
		LE32(262144), LE32(1),
	};
	uint8_t *rec = malloc(16 + sz);
	size_t total = sizeof(hdr);
	unsigned i, len;

	assert_non_null(rec);
	if (first == 0)
		assert_int_equal(write(fd, hdr, sizeof(hdr)), sizeof(hdr));
	for (i = first; i < first + n; i++) {
		len = 1 + (i * 7919u) % sz;
		put_le32(rec, i);
		put_le32(rec + 4, 0);
		put_le32(rec + 8, len);
		put_le32(rec + 12, len);
		memset(rec + 16, (int)(i & 0xff), len);
		assert_int_equal(write(fd, rec, 16 + len), 16 + len);
		total += 16 + len;
	}
	free(rec);
	return total;
}

/* Reads every record, checking each one's bytes against write_big(). */
static unsigned
read_big(struct capture *c, int *rc, char *errbuf, unsigned first,
    unsigned sz)
{
	struct capture_pkt pkt;
	unsigned n = first, len, j;

	while ((*rc = capture_next(c, &pkt, errbuf)) == ERR_OK) {
		len = 1 + (n * 7919u) % sz;
		assert_int_equal(pkt.ts_sec, n);
		assert_int_equal(pkt.caplen, len);
		for (j = 0; j < len; j += 997)
			assert_int_equal(pkt.data[j], n & 0xff);
		assert_int_equal(pkt.data[len - 1], n & 0xff);
		n++;
	}
	return n - first;
}

/*
 * Files larger than the mapping window, read mapped and as a pipe alike;
 * one that grows while read is read to its new end; one truncated while
 * read fails with a message, not a crash (SIGBUS).
 */
static void
test_big_file(void **state)
{
	char path[] = "/tmp/test_capture.XXXXXX";
	struct capture *c = NULL;
	char errbuf[ERRBUF_LEN];
	unsigned n;
	int fd, rc;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	/* ~25 MiB: 400 records up to 128 KiB. */
	write_big(fd, 0, 400, 131072);

	/* Read (the default), then mapped (KASAUDIT_MMAP). */
	assert_int_equal(capture_open_file(&c, path, errbuf), ERR_OK);
	assert_int_equal(read_big(c, &rc, errbuf, 0, 131072), 400);
	assert_int_equal(rc, ERR_END);
	capture_close(c);

	setenv("KASAUDIT_MMAP", "1", 1);
	assert_int_equal(capture_open_file(&c, path, errbuf), ERR_OK);
	assert_int_equal(read_big(c, &rc, errbuf, 0, 131072), 400);
	assert_int_equal(rc, ERR_END);
	capture_close(c);

	/* Truncated to 3 MiB while open: the records past it are lost. */
	assert_int_equal(capture_open_file(&c, path, errbuf), ERR_OK);
	{
		struct capture_pkt pkt;

		assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
	}
	assert_int_equal(ftruncate(fd, 3 << 20), 0);
	n = 0;
	{
		struct capture_pkt pkt;

		while ((rc = capture_next(c, &pkt, errbuf)) == ERR_OK)
			n++;
	}
	assert_true(n > 10 && n < 60);
	assert_int_equal(rc, ERR_IO);
	assert_non_null(strstr(errbuf, "the file shrank while being read"));
	assert_non_null(strstr(errbuf, "offset "));
	capture_close(c);
	unsetenv("KASAUDIT_MMAP");
	close(fd);
	unlink(path);

	/* A file still being written: what is added before the reader gets
	 * there is read. */
	strcpy(path, "/tmp/test_capture.XXXXXX");
	assert_true((fd = mkstemp(path)) >= 0);
	write_big(fd, 0, 10, 1000);
	assert_int_equal(capture_open_file(&c, path, errbuf), ERR_OK);
	assert_int_equal(read_big(c, &rc, errbuf, 0, 1000), 10);
	assert_int_equal(rc, ERR_END);
	capture_close(c);
	assert_int_equal(capture_open_file(&c, path, errbuf), ERR_OK);
	{
		struct capture_pkt pkt;

		assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
		write_big(fd, 10, 5, 1000);
		assert_int_equal(read_big(c, &rc, errbuf, 1, 1000), 14);
	}
	assert_int_equal(rc, ERR_END);
	capture_close(c);
	close(fd);
	unlink(path);
}

static void
test_pipe(void **state)
{
	/* Records around and above the 1 MiB first buffer. */
	static const uint32_t sizes[] = {
		100, 1048000, 3 * 1024 * 1024 + 3, 7, 2 * 1024 * 1024, 1,
	};
	size_t n = sizeof(sizes) / sizeof(sizes[0]), len = 24, off, i;
	struct capture *c;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];
	uint8_t *f;
	int saved, rc;
	pid_t pid;

	(void)state;
	for (i = 0; i < n; i++)
		len += 16 + sizes[i];
	assert_non_null(f = malloc(len));
	memcpy(f, pcap_le_usec, 24);
	put_le32(f + 16, 4 * 1024 * 1024);		/* snaplen */
	for (i = 0, off = 24; i < n; i++) {
		put_le32(f + off, (uint32_t)i);
		put_le32(f + off + 4, 0);
		put_le32(f + off + 8, sizes[i]);
		put_le32(f + off + 12, sizes[i]);
		memset(f + off + 16, (int)(0x40 + i), sizes[i]);
		off += 16 + sizes[i];
	}

	pid = pipe_stdin(f, len, &saved);
	assert_int_equal(capture_open_file(&c, "-", errbuf), ERR_OK);
	for (i = 0, off = 24; i < n; i++) {
		assert_int_equal(capture_next(c, &pkt, errbuf), ERR_OK);
		assert_int_equal(pkt.frame, i + 1);
		assert_int_equal(pkt.offset, off);
		assert_int_equal(pkt.ts_sec, i);
		assert_int_equal(pkt.caplen, sizes[i]);
		assert_int_equal(pkt.data[0], 0x40 + i);
		assert_int_equal(pkt.data[sizes[i] - 1], 0x40 + i);
		off += 16 + sizes[i];
	}
	assert_int_equal(capture_next(c, &pkt, errbuf), ERR_END);
	capture_close(c);
	pipe_done(pid, saved);

	/* Cut in the middle of the third record. */
	pid = pipe_stdin(f, 24 + 116 + 1048016 + 1000, &saved);
	assert_int_equal(capture_open_file(&c, "-", errbuf), ERR_OK);
	assert_int_equal(read_all(c, &rc, errbuf), 2);
	assert_int_equal(rc, ERR_SHORT);
	assert_int_equal(capture_offset(c), 24 + 116 + 1048016);
	assert_non_null(strstr(errbuf, "-: offset 1048156: "));
	capture_close(c);
	pipe_done(pid, saved);
	free(f);

	/* A pcapng block claiming 80 MiB is refused before it is read. */
	{
		static const uint8_t ng[] = {
			SHB_LE, LE32(6), LE32(80u * 1024 * 1024),
			LE32(0), LE32(0),
		};

		pid = pipe_stdin(ng, sizeof(ng), &saved);
		assert_int_equal(capture_open_file(&c, "-", errbuf), ERR_OK);
		assert_int_equal(capture_next(c, &pkt, errbuf),
		    ERR_MALFORMED);
		assert_int_equal(capture_offset(c), 28);
		capture_close(c);
		pipe_done(pid, saved);
	}

	/* The whole small pcapng through a pipe. */
	pid = pipe_stdin(ng_multi, sizeof(ng_multi), &saved);
	assert_int_equal(capture_open_file(&c, "-", errbuf), ERR_OK);
	assert_int_equal(read_all(c, &rc, errbuf), 5);
	assert_int_equal(rc, ERR_END);
	assert_int_equal(capture_stats(c)->sections, 2);
	capture_close(c);
	pipe_done(pid, saved);
}

static void
test_linktype_names(void **state)
{
	(void)state;
	assert_string_equal(capture_linktype_name(LINK_NULL), "NULL");
	assert_string_equal(capture_linktype_name(LINK_ETHERNET), "EN10MB");
	assert_string_equal(capture_linktype_name(LINK_RAW_OLD), "RAW");
	assert_string_equal(capture_linktype_name(LINK_RAW_OLD2), "RAW");
	assert_string_equal(capture_linktype_name(LINK_RAW), "RAW");
	assert_string_equal(capture_linktype_name(LINK_LOOP), "LOOP");
	assert_string_equal(capture_linktype_name(LINK_LINUX_SLL),
	    "LINUX_SLL");
	assert_string_equal(capture_linktype_name(LINK_IPV4), "IPV4");
	assert_string_equal(capture_linktype_name(LINK_IPV6), "IPV6");
	assert_string_equal(capture_linktype_name(LINK_LINUX_SLL2),
	    "LINUX_SLL2");
	assert_string_equal(capture_linktype_name(127), "IEEE802_11_RADIO");
	assert_string_equal(capture_linktype_name(147), "USER0");
	assert_string_equal(capture_linktype_name(162), "USER15");
	assert_null(capture_linktype_name(-1));
	assert_null(capture_linktype_name(65000));
}

/* Live captures: the parts that need no privileges, then (as root) the
 * loopback interface, read without blocking. */
static void
test_live(void **state)
{
	struct capture_live_config cfg = { .promisc = false, .timeout_ms = 10 };
	struct capture_live_stats ls;
	struct capture_pkt pkt;
	char errbuf[ERRBUF_LEN];
	struct capture *c = NULL;
	int r;

	(void)state;
	assert_int_equal(capture_open_buf(&c, pcap_le_usec,
	    sizeof(pcap_le_usec), "saved", errbuf), ERR_OK);
	assert_int_equal(capture_fd(c), -1);
	assert_int_equal(capture_linktype(c), -1);
	assert_int_equal(capture_live_stats(c, &ls, errbuf), ERR_UNSUPPORTED);
	capture_close(c);
	c = NULL;

	assert_int_equal(capture_open_live(&c, "kasaudit-none0", &cfg,
	    errbuf), ERR_IO);
	assert_null(c);
	assert_int_equal(strncmp(errbuf, "kasaudit-none0: ", 16), 0);
	if (geteuid() != 0)
		return;
	cfg.filter = "port nonsense";
	assert_int_equal(capture_open_live(&c, "lo", &cfg, errbuf),
	    ERR_MALFORMED);
	assert_null(c);
	assert_int_equal(strncmp(errbuf, "filter: ", 8), 0);
	cfg.filter = "udp port 9";
	cfg.snaplen = 128;
	assert_int_equal(capture_open_live(&c, "lo", &cfg, errbuf), ERR_OK);
	assert_string_equal(capture_format(c), "live");
	assert_int_equal(capture_linktype(c), LINK_ETHERNET);
	assert_true(capture_fd(c) >= 0);
	/* Nothing is sent to udp/9 here: no packet, and no waiting. */
	r = capture_next(c, &pkt, errbuf);
	assert_int_equal(r, ERR_NOTFOUND);
	assert_int_equal(capture_live_stats(c, &ls, errbuf), ERR_OK);
	assert_int_equal(ls.dropped, 0);
	capture_close(c);
}

static void
test_magic(void **state)
{
	static const uint8_t le[] = { 0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00 };
	static const uint8_t ng[] = { 0x0a, 0x0d, 0x0d, 0x0a };
	static const uint8_t gz[] = { 0x1f, 0x8b, 0x08, 0x08 };

	(void)state;
	assert_true(capture_magic(le, sizeof(le)));	/* more than 4 */
	assert_true(capture_magic(ng, sizeof(ng)));
	assert_true(capture_magic(le, 2));		/* a prefix */
	assert_false(capture_magic(gz, sizeof(gz)));
	assert_false(capture_magic(gz, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_pcap_le_usec),
		cmocka_unit_test(test_pcap_be_nsec),
		cmocka_unit_test(test_pcap_old_swapped),
		cmocka_unit_test(test_pcap_caplen_tolerated),
		cmocka_unit_test(test_pcap_caplen_corrupt),
		cmocka_unit_test(test_pcapng_multi),
		cmocka_unit_test(test_pcapng_tsresol),
		cmocka_unit_test(test_pcapng_tsresol_bad),
		cmocka_unit_test(test_pcapng_unknown_interface),
		cmocka_unit_test(test_pcapng_bad_blocks),
		cmocka_unit_test(test_pcapng_bad_packet_blocks),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_filter_linktype_error),
		cmocka_unit_test(test_truncated_pcap),
		cmocka_unit_test(test_big_file),
		cmocka_unit_test(test_truncated_pcapng),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_linktype_names),
		cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
