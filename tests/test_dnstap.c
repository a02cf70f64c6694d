/* test_dnstap.c - unit tests for dnstap.c (Frame Streams frames, control
 * frames, the protobuf) and the dnstap source through the sensor. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnstap.h"
#include "dnstap.pb-c.h"
#include "sensor.h"

/* START with the dnstap content type: escape, length 34, type 2, field 1
 * of 22 bytes. */
static const uint8_t start[] = {
	0, 0, 0, 0, 0, 0, 0, 34, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 22,
	'p', 'r', 'o', 't', 'o', 'b', 'u', 'f', ':', 'd', 'n', 's', 't', 'a',
	'p', '.', 'D', 'n', 's', 't', 'a', 'p',
};
static const uint8_t stop[] = { 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 3 };
static const uint8_t ready[] = {
	0, 0, 0, 0, 0, 0, 0, 34, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 22,
	'p', 'r', 'o', 't', 'o', 'b', 'u', 'f', ':', 'd', 'n', 's', 't', 'a',
	'p', '.', 'D', 'n', 's', 't', 'a', 'p',
};
/* A query for a.kaspersky.com, id 0x1234. */
static const uint8_t query[] = {
	0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	1, 'a', 9, 'k', 'a', 's', 'p', 'e', 'r', 's', 'k', 'y', 3, 'c', 'o',
	'm', 0, 0, 1, 0, 1,
};

/* One CLIENT_QUERY from 192.0.2.7:5353 to 192.0.2.53:53, packed. */
static size_t
client_query(uint8_t *out, size_t cap, int type)
{
	static uint8_t qa[4] = { 192, 0, 2, 7 }, ra[4] = { 192, 0, 2, 53 };
	Dnstap__Dnstap d = DNSTAP__DNSTAP__INIT;
	Dnstap__Message m = DNSTAP__MESSAGE__INIT;

	d.has_identity = 1;
	d.identity.data = (uint8_t *)"res\n1";
	d.identity.len = 5;
	d.type = DNSTAP__DNSTAP__TYPE__MESSAGE;
	d.message = &m;
	m.type = (Dnstap__Message__Type)type;
	m.has_socket_protocol = 1;
	m.socket_protocol = DNSTAP__SOCKET_PROTOCOL__TCP;
	m.has_query_address = m.has_response_address = 1;
	m.query_address.data = qa;
	m.query_address.len = 4;
	m.response_address.data = ra;
	m.response_address.len = 4;
	m.has_query_port = m.has_response_port = 1;
	m.query_port = 5353;
	m.response_port = 53;
	m.has_query_time_sec = m.has_query_time_nsec = 1;
	m.query_time_sec = 1700000000;
	m.query_time_nsec = 5;
	m.has_query_message = 1;
	m.query_message.data = (uint8_t *)query;
	m.query_message.len = sizeof(query);
	assert_true(dnstap__dnstap__get_packed_size(&d) <= cap);
	return dnstap__dnstap__pack(&d, out);
}

/* START, one data frame, STOP: a whole file. */
static size_t
file_bytes(uint8_t *out, int type)
{
	uint8_t pb[512];
	size_t n = 0, len = client_query(pb, sizeof(pb), type);

	memcpy(out, start, sizeof(start));
	n += sizeof(start);
	out[n++] = 0;
	out[n++] = 0;
	out[n++] = (uint8_t)(len >> 8);
	out[n++] = (uint8_t)len;
	memcpy(out + n, pb, len);
	n += len;
	memcpy(out + n, stop, sizeof(stop));
	return n + sizeof(stop);
}

static void
test_stream(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct dnstap_stream *st;
	struct dnstap_event ev;
	struct dnstap_dec *dec;
	struct dnstap_msg m;
	uint8_t buf[1024];
	size_t len = file_bytes(buf, DNSTAP_CLIENT_QUERY), off = 0, need;
	int kinds[3], n = 0;

	(void)state;
	assert_non_null(st = dnstap_stream_new(false));
	assert_non_null(dec = dnstap_dec_new());
	while (off < len) {
		assert_int_equal(dnstap_stream_next(st, buf + off, len - off,
		    &ev, &need, errbuf), ERR_OK);
		kinds[n++] = ev.kind;
		if (ev.kind == DNSTAP_EV_DATA) {
			assert_int_equal(dnstap_decode(dec, ev.data,
			    ev.data_len, &m, errbuf), ERR_OK);
			assert_int_equal(m.type, DNSTAP_CLIENT_QUERY);
			assert_int_equal(m.proto, 6);
			assert_int_equal(m.query_addr.family, 4);
			assert_int_equal(m.query_addr.a[3], 7);
			assert_int_equal(m.response_addr.a[3], 53);
			assert_int_equal(m.query_port, 5353);
			assert_int_equal(m.ts_sec, 1700000000);
			assert_int_equal(m.ts_nsec, 5);
			assert_int_equal(m.dns_len, sizeof(query));
			assert_memory_equal(m.dns, query, sizeof(query));
			assert_int_equal(m.identity_len, 5);
			assert_null(m.version);
		}
		off += ev.used;
	}
	assert_int_equal(n, 3);
	assert_int_equal(kinds[0], DNSTAP_EV_START);
	assert_int_equal(kinds[1], DNSTAP_EV_DATA);
	assert_int_equal(kinds[2], DNSTAP_EV_STOP);
	assert_true(dnstap_sniff(buf, len));
	assert_false(dnstap_sniff(buf + 4, len - 4));
	assert_false(dnstap_sniff(stop, sizeof(stop)));	/* STOP first */
	dnstap_dec_free(dec);
	dnstap_stream_free(st);
}

/* Every prefix, in a block of its own size: ERR_SHORT with what it needs,
 * never a read past it (make asan). */
static void
test_prefixes(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct dnstap_stream *st;
	struct dnstap_event ev;
	struct dnstap_dec *dec;
	struct dnstap_msg m;
	uint8_t full[1024], *b;
	size_t len = file_bytes(full, DNSTAP_CLIENT_QUERY), cut, off, need;
	int r;

	(void)state;
	assert_non_null(dec = dnstap_dec_new());
	for (cut = 0; cut < len; cut++) {
		assert_non_null(st = dnstap_stream_new(false));
		assert_non_null(b = malloc(cut ? cut : 1));
		memcpy(b, full, cut);
		off = 0;
		while ((r = dnstap_stream_next(st, b + off, cut - off, &ev,
		    &need, errbuf)) == ERR_OK)
			off += ev.used;
		assert_int_equal(r, ERR_SHORT);
		assert_true(need > cut - off);
		free(b);
		dnstap_stream_free(st);
	}
	/* The protobuf cut anywhere: an error or fewer fields, no crash. */
	len = client_query(full, sizeof(full), DNSTAP_CLIENT_QUERY);
	for (cut = 0; cut < len; cut++) {
		assert_non_null(b = malloc(cut ? cut : 1));
		memcpy(b, full, cut);
		(void)dnstap_decode(dec, b, cut, &m, errbuf);
		free(b);
	}
	dnstap_dec_free(dec);
}

static void
test_errors(void **state)
{
	static const uint8_t bigctl[] = { 0, 0, 0, 0, 0, 0, 4, 0 };
	static const uint8_t data_first[] = { 0, 0, 0, 1, 0 };
	char errbuf[ERRBUF_LEN];
	struct dnstap_stream *st;
	struct dnstap_event ev;
	uint8_t buf[sizeof(start)];
	size_t need;

	(void)state;
	assert_non_null(st = dnstap_stream_new(false));
	assert_int_equal(dnstap_stream_next(st, data_first,
	    sizeof(data_first), &ev, &need, errbuf), ERR_MALFORMED);
	assert_string_equal(errbuf, "data frame before START");
	assert_int_equal(dnstap_stream_next(st, bigctl, sizeof(bigctl), &ev,
	    &need, errbuf), ERR_MALFORMED);
	assert_string_equal(errbuf, "control frame of 1024 bytes (4 to 512)");
	memcpy(buf, start, sizeof(buf));
	buf[sizeof(buf) - 1] = 'X';		/* protobuf:dnstap.DnstaX */
	assert_int_equal(dnstap_stream_next(st, buf, sizeof(buf), &ev, &need,
	    errbuf), ERR_MALFORMED);
	assert_string_equal(errbuf, "START frame has content type "
	    "\"protobuf:dnstap.DnstaX\", not \"protobuf:dnstap.Dnstap\"");
	dnstap_stream_free(st);
}

/* A connection: READY, START, data, STOP; we send ACCEPT and FINISH. */
static void
test_bidi(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct dnstap_stream *st, *peer;
	struct dnstap_event ev;
	uint8_t buf[1024], ctl[128];
	size_t len, need, n;

	(void)state;
	assert_non_null(st = dnstap_stream_new(true));
	assert_int_equal(dnstap_stream_next(st, start, sizeof(start), &ev,
	    &need, errbuf), ERR_MALFORMED);	/* READY comes first */
	dnstap_stream_free(st);
	assert_non_null(st = dnstap_stream_new(true));
	assert_int_equal(dnstap_stream_next(st, ready, sizeof(ready), &ev,
	    &need, errbuf), ERR_OK);
	assert_int_equal(ev.kind, DNSTAP_EV_READY);
	len = file_bytes(buf, DNSTAP_CLIENT_RESPONSE);
	assert_int_equal(dnstap_stream_next(st, buf, len, &ev, &need,
	    errbuf), ERR_OK);
	assert_int_equal(ev.kind, DNSTAP_EV_START);
	/* ACCEPT as a file reader sees it: not START, so an error, but it
	 * decodes: the type is named. */
	n = dnstap_control(ctl, sizeof(ctl), true);
	assert_int_equal(n, 8 + 4 + 8 + 22);
	assert_int_equal(ctl[11], 1);		/* ACCEPT */
	assert_memory_equal(ctl + 20, "protobuf:dnstap.Dnstap", 22);
	n = dnstap_control(ctl, sizeof(ctl), false);
	assert_int_equal(n, 12);
	assert_int_equal(ctl[11], 5);		/* FINISH */
	assert_non_null(peer = dnstap_stream_new(false));
	assert_int_equal(dnstap_stream_next(peer, ctl, n, &ev, &need, errbuf),
	    ERR_MALFORMED);
	assert_string_equal(errbuf,
	    "unexpected FINISH control frame (START comes first)");
	dnstap_stream_free(peer);
	dnstap_stream_free(st);
}

/* The bundled file through the sensor: clients audited, the resolver's
 * own lookups never a host. */
static void
test_source(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct sensor_config cfg;
	struct sensor_input in;
	const struct audit_stats *as;
	const struct agg_net *net;
	struct match *m;
	struct sensor *s;
	uint8_t head[SOURCE_SNIFF_LEN];
	size_t n, i, k;
	bool consumed;

	(void)state;
	assert_non_null(m = match_new());
	assert_int_equal(match_load_builtin(m, errbuf), ERR_OK);
	memset(&cfg, 0, sizeof(cfg));
	cfg.match = m;
	cfg.frag_mem = 1 << 20;
	cfg.frag_timeout = 30;
	cfg.flow.max_flows = 64;
	cfg.flow.n_buffers = 4;
	cfg.flow.stream_bytes = 4096;
	cfg.flow.tcp_idle = 300;
	cfg.flow.udp_idle = 60;
	cfg.max_names = 8;
	assert_int_equal(sensor_new(&s, &cfg, NULL), ERR_OK);
	assert_int_equal(source_peek("pcaps/dnstap-mixed.dnstap", head,
	    sizeof(head), &n, &consumed, errbuf), ERR_OK);
	assert_false(consumed);
	assert_string_equal(source_sniff(head, n)->kind, "dnstap");
	assert_int_equal(source_peek("pcaps/demo.pcap", head, sizeof(head),
	    &n, &consumed, errbuf), ERR_OK);
	assert_string_equal(source_sniff(head, n)->kind, "file");
	assert_int_equal(sensor_open(s, &in, source_find("dnstap"),
	    "pcaps/dnstap-mixed.dnstap", NULL), ERR_OK);
	while (sensor_run(s, &in, 2) == ERR_OK)
		;
	sensor_close(&in);
	sensor_finish(s);
	assert_true(in.rf.complete);
	assert_int_equal(in.rf.packets, 4);
	assert_string_equal(in.rf.format,
	    "dnstap (ns1.example.net, unbound 1.17.1)");
	as = sensor_audit_stats(s);
	assert_int_equal(as->dnstap_frames, 7);
	assert_int_equal(as->dnstap_client, 4);
	assert_int_equal(as->dnstap_resolver, 2);
	assert_int_equal(as->dnstap_resolver_matched, 2);
	assert_int_equal(as->dnstap_other, 1);
	assert_int_equal(as->dns_msgs, 4);
	assert_int_equal(aggregate_finish(sensor_aggregate(s), NULL, 24, 64),
	    ERR_OK);
	assert_int_equal(aggregate_n_hosts(sensor_aggregate(s)), 2);
	/* 10.77.0.53, the resolver, asked upstream: not a host. */
	for (i = 0; i < aggregate_n_nets(sensor_aggregate(s)); i++) {
		net = aggregate_net(sensor_aggregate(s), i);
		for (k = 0; k < net->n_hosts; k++)
			assert_int_not_equal(net->hosts[k]->addr.a[3], 53);
	}
	sensor_free(s);
	match_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bidi),
		cmocka_unit_test(test_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
