/* test_evidence.c - unit tests for evidence.c, read back with capture.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

/* Three records: Ethernet, raw IPv4 (another link type), Ethernet with
 * another snaplen; the bytes only have to come back unchanged. */
static const uint8_t frame_a[] = {
	0x00, 0x1b, 0x21, 0x00, 0x00, 0x10,	/* Ethernet dst */
	0x00, 0x1b, 0x21, 0x00, 0x00, 0x53,	/* src */
	0x08, 0x00,				/* IPv4 */
	0x45, 0x00,				/* ... cut: caplen < len */
};
static const uint8_t frame_b[] = {
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00,
	0x00, 0xc0, 0x00, 0x02, 0x0a, 0xc0, 0x00, 0x02, 0x35,
	0x9c, 0x40, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,	/* UDP, no data */
};
static const uint8_t frame_c[] = { 0xff, 0x00, 0x7f };

/* Where needle is in hay, or NULL. */
static const void *
find_bytes(const void *hay, size_t n, const void *needle, size_t k)
{
	const char *h = hay;
	size_t i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (memcmp(h + i, needle, k) == 0)
			return h + i;
	return NULL;
}

static void
pkt_set(struct capture_pkt *cp, const uint8_t *d, uint32_t caplen,
    uint32_t len, int lt, uint32_t snap, int64_t sec, uint32_t nsec)
{
	memset(cp, 0, sizeof(*cp));
	cp->data = d;
	cp->caplen = caplen;
	cp->len = len;
	cp->linktype = lt;
	cp->snaplen = snap;
	cp->ts_sec = sec;
	cp->ts_nsec = nsec;
}

static void
test_roundtrip(void **state)
{
	static const char comment[] =
	    "a.pcap:7 dnl-01.upd.kaspersky.com \xff\n<end>";
	char errbuf[ERRBUF_LEN], *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct evidence *ev = NULL;
	struct capture *cap = NULL;
	struct capture_pkt in[4], got;
	char *big;
	size_t i;

	(void)state;
	assert_non_null(fp);
	assert_int_equal(evidence_new(&ev, fp, "kasaudit test"), ERR_OK);
	pkt_set(&in[0], frame_a, sizeof(frame_a), 74, LINK_ETHERNET, 65535,
	    1727784000, 123456789);
	pkt_set(&in[1], frame_b, sizeof(frame_b), sizeof(frame_b), LINK_RAW,
	    262144, 1727784001, 999999999);
	pkt_set(&in[2], frame_c, sizeof(frame_c), 3, LINK_ETHERNET, 96,
	    1727784002, 0);
	/* Before 1970: pcapng cannot say so; written as time 0, counted. */
	pkt_set(&in[3], frame_a, sizeof(frame_a), 74, LINK_ETHERNET, 65535,
	    -5, 1);
	assert_int_equal(evidence_write(ev, &in[0], comment,
	    sizeof(comment) - 1), ERR_OK);
	assert_int_equal(evidence_write(ev, &in[1], NULL, 0), ERR_OK);
	/* A comment longer than the cap is cut, not refused. */
	assert_non_null(big = malloc(5000));
	memset(big, 'x', 5000);
	assert_int_equal(evidence_write(ev, &in[2], big, 5000), ERR_OK);
	free(big);
	assert_int_equal(evidence_write(ev, &in[3], "", 0), ERR_OK);
	assert_int_equal(evidence_finish(ev), ERR_OK);
	assert_int_equal(evidence_stats(ev)->packets, 4);
	assert_int_equal(evidence_stats(ev)->ifaces, 3);
	assert_int_equal(evidence_stats(ev)->before_epoch, 1);
	assert_int_equal(evidence_stats(ev)->bytes, 2 * sizeof(frame_a) +
	    sizeof(frame_b) + sizeof(frame_c));
	evidence_free(ev);
	assert_int_equal(fclose(fp), 0);
	/* Every block is a multiple of 4 bytes. */
	assert_int_equal(len % 4, 0);

	assert_int_equal(capture_open_buf(&cap, buf, len, "ev", errbuf),
	    ERR_OK);
	assert_string_equal(capture_format(cap), "pcapng");
	for (i = 0; i < 4; i++) {
		assert_int_equal(capture_next(cap, &got, errbuf), ERR_OK);
		assert_int_equal(got.caplen, in[i].caplen);
		assert_int_equal(got.len, in[i].len);
		assert_memory_equal(got.data, in[i].data, in[i].caplen);
		assert_int_equal(got.linktype, in[i].linktype);
		assert_int_equal(got.snaplen, in[i].snaplen);
		assert_int_equal(got.frame, i + 1);
		if (i < 3) {
			assert_int_equal(got.ts_sec, in[i].ts_sec);
			assert_int_equal(got.ts_nsec, in[i].ts_nsec);
		} else {
			assert_int_equal(got.ts_sec, 0);
			assert_int_equal(got.ts_nsec, 0);
		}
	}
	assert_int_equal(got.ifindex, 0);	/* the first IDB again */
	assert_int_equal(capture_next(cap, &got, errbuf), ERR_END);
	assert_int_equal(capture_stats(cap)->interfaces, 3);
	capture_close(cap);
	/* The comment is valid UTF-8: the bad byte and newline as \xHH. */
	assert_non_null(find_bytes(buf, len, "kaspersky.com \\xff\\x0a<end>",
	    27));
	assert_non_null(find_bytes(buf, len, "kasaudit test", 13));
	free(buf);
}

/* A record longer than its snaplen comes back whole, under an interface
 * whose snaplen holds it (tcpdump refuses a record over its snaplen). */
static void
test_record_over_snaplen(void **state)
{
	char errbuf[ERRBUF_LEN], *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct evidence *ev = NULL;
	struct capture *cap = NULL;
	struct capture_pkt in, got;

	(void)state;
	assert_non_null(fp);
	assert_int_equal(evidence_new(&ev, fp, "kasaudit test"), ERR_OK);
	pkt_set(&in, frame_a, sizeof(frame_a), 74, LINK_ETHERNET, 8,
	    1727784000, 0);
	assert_int_equal(evidence_write(ev, &in, NULL, 0), ERR_OK);
	assert_int_equal(evidence_finish(ev), ERR_OK);
	evidence_free(ev);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(capture_open_buf(&cap, buf, len, "ev", errbuf),
	    ERR_OK);
	assert_int_equal(capture_next(cap, &got, errbuf), ERR_OK);
	assert_int_equal(got.caplen, sizeof(frame_a));
	assert_memory_equal(got.data, frame_a, sizeof(frame_a));
	assert_true(got.snaplen >= got.caplen);
	assert_int_equal(got.snaplen, EVIDENCE_SNAP_BIG);
	capture_close(cap);
	free(buf);
}

static void
test_iface_cap(void **state)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);
	struct evidence *ev = NULL;
	struct capture_pkt cp;

	(void)state;
	assert_int_equal(evidence_new(&ev, fp, NULL), ERR_OK);
	for (i = 0; i < EVIDENCE_IFACES_MAX; i++) {
		pkt_set(&cp, frame_c, 3, 3, LINK_ETHERNET, (uint32_t)(100 + i),
		    1, 0);
		assert_int_equal(evidence_write(ev, &cp, NULL, 0), ERR_OK);
	}
	pkt_set(&cp, frame_c, 3, 3, LINK_RAW, 100, 1, 0);
	assert_int_equal(evidence_write(ev, &cp, NULL, 0), ERR_FULL);
	assert_int_equal(evidence_stats(ev)->no_iface, 1);
	/* A known pair still goes in. */
	pkt_set(&cp, frame_c, 3, 3, LINK_ETHERNET, 100, 1, 0);
	assert_int_equal(evidence_write(ev, &cp, NULL, 0), ERR_OK);
	assert_int_equal(evidence_finish(ev), ERR_OK);
	evidence_free(ev);
	fclose(fp);
	free(buf);
}

static void
test_write_error(void **state)
{
	char small[60], tiny[10];
	FILE *fp = fmemopen(small, sizeof(small), "w");
	struct evidence *ev = NULL;
	struct capture_pkt cp;
	int r = ERR_OK;

	(void)state;
	assert_non_null(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	assert_int_equal(evidence_new(&ev, fp, "kasaudit"), ERR_OK);
	/* The section header fits, the interface block does not. */
	pkt_set(&cp, frame_b, sizeof(frame_b), sizeof(frame_b), LINK_RAW, 0,
	    1, 0);
	r = evidence_write(ev, &cp, NULL, 0);
	if (r == ERR_OK)
		r = evidence_finish(ev);
	assert_int_equal(r, ERR_IO);
	/* Sticky. */
	assert_int_equal(evidence_write(ev, &cp, NULL, 0), ERR_IO);
	evidence_free(ev);
	fclose(fp);
	/* Not even the section header fits. */
	assert_non_null(fp = fmemopen(tiny, sizeof(tiny), "w"));
	setvbuf(fp, NULL, _IONBF, 0);
	assert_int_equal(evidence_new(&ev, fp, "kasaudit"), ERR_IO);
	fclose(fp);
	evidence_free(NULL);
}

static void
flow_pkt(struct pkt *p, const char *src, unsigned sport, const char *dst,
    unsigned dport, uint8_t proto)
{
	memset(p, 0, sizeof(*p));
	assert_true(addr_parse(&p->src, src));
	assert_true(addr_parse(&p->dst, dst));
	p->sport = (uint16_t)sport;
	p->dport = (uint16_t)dport;
	p->proto = proto;
}

static void
test_flows(void **state)
{
	struct evidence_flows *fs;
	struct pkt p, q;
	char a[ADDR_STRLEN];
	size_t i;

	(void)state;
	assert_non_null(fs = evidence_flows_new(1000));
	flow_pkt(&p, "10.0.0.1", 40000, "192.0.2.53", 53, 17);
	assert_false(evidence_flows_has(fs, &p));
	assert_int_equal(evidence_flows_add(fs, &p), ERR_OK);
	assert_int_equal(evidence_flows_add(fs, &p), ERR_OK);
	assert_int_equal(evidence_flows_count(fs), 1);
	/* The reply belongs to the same flow ... */
	flow_pkt(&q, "192.0.2.53", 53, "10.0.0.1", 40000, 17);
	assert_true(evidence_flows_has(fs, &q));
	/* ... another port, protocol or address does not. */
	flow_pkt(&q, "192.0.2.53", 53, "10.0.0.1", 40001, 17);
	assert_false(evidence_flows_has(fs, &q));
	flow_pkt(&q, "10.0.0.1", 40000, "192.0.2.53", 53, 6);
	assert_false(evidence_flows_has(fs, &q));
	/* Same address both ends: ordered by port. */
	flow_pkt(&q, "::1", 9, "::1", 7, 6);
	assert_int_equal(evidence_flows_add(fs, &q), ERR_OK);
	flow_pkt(&q, "::1", 7, "::1", 9, 6);
	assert_true(evidence_flows_has(fs, &q));
	/* Other protocols ignore ports. */
	flow_pkt(&q, "10.0.0.1", 1, "10.0.0.2", 2, 1);
	assert_int_equal(evidence_flows_add(fs, &q), ERR_OK);
	flow_pkt(&q, "10.0.0.2", 5, "10.0.0.1", 6, 1);
	assert_true(evidence_flows_has(fs, &q));
	/* Growth keeps everything; the cap refuses and counts. */
	for (i = 0; i < 2000; i++) {
		snprintf(a, sizeof(a), "10.1.%zu.%zu", i / 256, i % 256);
		flow_pkt(&q, a, 1000, "192.0.2.1", 443, 6);
		evidence_flows_add(fs, &q);
	}
	assert_int_equal(evidence_flows_count(fs), 1000);
	assert_int_equal(evidence_flows_refused(fs), 1003);
	assert_true(evidence_flows_has(fs, &p));
	for (i = 0; i < 997; i++) {
		snprintf(a, sizeof(a), "10.1.%zu.%zu", i / 256, i % 256);
		flow_pkt(&q, "192.0.2.1", 443, a, 1000, 6);
		assert_true(evidence_flows_has(fs, &q));
	}
	flow_pkt(&q, "192.0.2.1", 443, "10.1.3.229", 1000, 6);
	assert_false(evidence_flows_has(fs, &q));
	evidence_flows_free(fs);
	evidence_flows_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_record_over_snaplen),
		cmocka_unit_test(test_iface_cap),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_flows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
