/* test_sensor.c - unit tests for sensor.c and source.c: the one pipeline
 * over the bundled captures, from a file and from memory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensor.h"
#include "sensor_fixture.h"

struct seen {
	size_t		 matches;
	size_t		 placed;	/* with the packet they were made in */
	size_t		 packets;
	uint64_t	 last_frame;
};

static void
on_match(void *arg, const struct obs *o, const struct obs *raw,
    const struct match_sig *sig, const struct capture_pkt *pkt)
{
	struct seen *s = arg;

	assert_non_null(o->name);
	assert_non_null(sig);
	s->matches++;
	if (pkt != NULL) {
		assert_int_equal(pkt->frame, raw->frame);
		s->placed++;
	}
}

static void
on_packet(void *arg, const struct capture_pkt *cp, const struct pkt *p)
{
	struct seen *s = arg;

	(void)p;
	assert_true(cp->frame > s->last_frame);
	s->last_frame = cp->frame;
	s->packets++;
}

static struct sensor *
sensor(const struct match *m, struct seen *seen)
{
	struct sensor_hooks hooks = { on_match, on_packet, seen, NULL };
	struct sensor_config cfg;
	struct sensor *s = NULL;

	fixture_config(&cfg, m);
	assert_int_equal(sensor_new(&s, &cfg, &hooks), ERR_OK);
	return s;
}

static void *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;

	assert_non_null(fp);
	assert_non_null(buf = malloc(1 << 20));
	*len = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

/* A file read to its end: counts, span, link types, matches, hooks. */
static void
test_file(void **state)
{
	struct seen seen = { 0 };
	struct sensor_input in;
	struct report_meta meta;
	struct match *m = fixture_sigs();
	struct sensor *s = sensor(m, &seen);

	(void)state;
	assert_int_equal(sensor_open(s, &in, source_find("file"),
	    "pcaps/demo.pcap", NULL), ERR_OK);
	assert_string_equal(in.rf.format, "pcap");
	/* In batches: the same as one run. */
	while (sensor_run(s, &in, 7) == ERR_OK)
		;
	sensor_close(&in);
	sensor_finish(s);
	assert_true(in.rf.complete);
	assert_int_equal(in.rf.packets, 61);
	assert_int_equal(in.rf.bytes, 5278);
	assert_int_equal(seen.packets, 61);
	assert_true(seen.matches > 0);
	assert_true(seen.placed > 0);
	assert_int_equal(aggregate_finish(sensor_aggregate(s), NULL, 24, 64),
	    ERR_OK);
	assert_true(aggregate_n_hosts(sensor_aggregate(s)) > 0);
	memset(&meta, 0, sizeof(meta));
	sensor_meta(s, &meta);
	assert_true(meta.have_time);
	assert_true(meta.first_sec <= meta.last_sec);
	assert_int_equal(meta.n_linktypes, 1);
	assert_int_equal(meta.linktypes[0].linktype, 1);
	assert_int_equal(meta.linktypes[0].packets, 61);
	assert_ptr_equal(meta.match, m);
	assert_int_equal(sensor_audit_stats(s)->matches, seen.matches);
	sensor_free(s);
	match_free(m);
}

/* The same bytes from memory ("buf") give the same run. */
static void
test_buf_equals_file(void **state)
{
	struct seen a = { 0 }, b = { 0 };
	struct source_config sc;
	struct sensor_input ia, ib;
	struct match *m = fixture_sigs();
	struct sensor *sa = sensor(m, &a), *sb = sensor(m, &b);
	void *buf;
	size_t len;

	(void)state;
	buf = slurp("pcaps/tcp-tls-shuffle.pcap", &len);
	memset(&sc, 0, sizeof(sc));
	sc.buf = buf;
	sc.buf_len = len;
	assert_int_equal(sensor_open(sa, &ia, source_find("file"),
	    "pcaps/tcp-tls-shuffle.pcap", NULL), ERR_OK);
	assert_int_equal(sensor_open(sb, &ib, source_find("buf"), "mem",
	    &sc), ERR_OK);
	assert_int_equal(sensor_run(sa, &ia, SIZE_MAX), ERR_END);
	assert_int_equal(sensor_run(sb, &ib, SIZE_MAX), ERR_END);
	sensor_close(&ia);
	sensor_close(&ib);
	sensor_finish(sa);
	sensor_finish(sb);
	assert_int_equal(ia.rf.packets, ib.rf.packets);
	assert_int_equal(a.matches, b.matches);
	assert_true(a.matches > 0);
	assert_memory_equal(sensor_by_cat(sa), sensor_by_cat(sb),
	    CAT_N * sizeof(uint64_t));
	sensor_free(sa);
	sensor_free(sb);
	match_free(m);
	free(buf);
}

/* Damage: what came before it counts, the input says where it broke;
 * a link type not decoded is counted per input. */
static void
test_damage_and_skipped(void **state)
{
	struct seen seen = { 0 };
	struct sensor_input in, bad, none;
	struct match *m = fixture_sigs();
	struct sensor *s = sensor(m, &seen);

	(void)state;
	assert_int_equal(sensor_open(s, &in, source_find("file"),
	    "pcaps/lt-unsupported.pcap", NULL), ERR_OK);
	assert_int_equal(sensor_run(s, &in, SIZE_MAX), ERR_END);
	sensor_close(&in);
	assert_int_equal(in.rf.unsupported, 3);
	assert_int_equal(in.n_skipped, 1);
	assert_int_equal(in.skipped[0].linktype, 143);
	assert_int_equal(in.skipped[0].packets, 3);
	assert_int_equal(sensor_open(s, &bad, source_find("file"),
	    "pcaps/bad-truncated.pcap", NULL), ERR_OK);
	assert_int_not_equal(sensor_run(s, &bad, SIZE_MAX), ERR_END);
	sensor_close(&bad);
	assert_false(bad.rf.complete);
	assert_int_equal(bad.rf.packets, 4);
	assert_non_null(strstr(bad.rf.error, "offset 476"));
	assert_int_not_equal(sensor_open(s, &none, source_find("file"),
	    "pcaps/no-such-file.pcap", NULL), ERR_OK);
	assert_false(none.open);
	assert_non_null(strstr(none.rf.error, "no-such-file"));
	assert_int_equal(sensor_run(s, &none, 10), ERR_IO);
	sensor_close(&none);
	assert_null(source_find("carrier-pigeon"));
	/* A filter that does not compile: the input is named with its
	 * format, and the error says why. */
	{
		struct source_config sc;
		struct sensor_input fin;

		memset(&sc, 0, sizeof(sc));
		sc.filter = "udp port";
		assert_int_not_equal(sensor_open(s, &fin, source_find("file"),
		    "pcaps/demo.pcap", &sc), ERR_OK);
		assert_string_equal(fin.rf.format, "pcap");
		assert_false(fin.open);
		assert_non_null(strstr(fin.rf.error, "filter"));
	}
	sensor_free(s);
	match_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_buf_equals_file),
		cmocka_unit_test(test_damage_and_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
