/* test_sensor_shared.c - unit tests for sensor_shared.c: sensors that share
 * one aggregate and one table of DNS answers (live --workers), and their
 * counters added up. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensor.h"
#include "sensor_fixture.h"

#define CAPTURE	"pcaps/real-dns-nosni.pcap"	/* answers, then TLS
						   without a name */

static size_t hook_calls;

static void
on_match(void *arg, const struct obs *o, const struct obs *raw,
    const struct match_sig *sig, const struct capture_pkt *pkt)
{
	(void)arg;
	(void)o;
	(void)raw;
	(void)sig;
	(void)pkt;
	hook_calls++;
}

/* The capture through s, only what filter lets through (NULL: all). */
static void
feed(struct sensor *s, const char *filter)
{
	struct source_config sc;
	struct sensor_input in;

	memset(&sc, 0, sizeof(sc));
	sc.filter = filter;
	assert_int_equal(sensor_open(s, &in, source_find("file"), CAPTURE,
	    &sc), ERR_OK);
	while (sensor_run(s, &in, 64) == ERR_OK)
		;
	assert_true(in.rf.complete);
	sensor_close(&in);
	sensor_finish(s);
}

/*
 * The answers go through one sensor, the connections through another:
 * the second puts them down to the answers the first saw, into the one
 * aggregate, as a single sensor does with the whole capture.
 */
static void
test_answer_on_another_worker(void **state)
{
	const struct sensor_hooks hooks = { on_match, NULL, NULL, NULL };
	struct sensor_config cfg;
	struct sensor_shared *sh = NULL;
	struct sensor *one = NULL, *a = NULL, *b = NULL;
	struct sensor_sum sum, whole;
	struct match *m = fixture_sigs();
	struct aggregate *agg;
	size_t i;

	(void)state;
	fixture_config(&cfg, m);
	assert_int_equal(sensor_new(&one, &cfg, &hooks), ERR_OK);
	hook_calls = 0;
	feed(one, NULL);
	assert_int_equal(sensor_audit_stats(one)->correlated, 3);
	assert_int_equal(hook_calls, 9);

	assert_int_equal(sensor_shared_new(&sh, &cfg), ERR_OK);
	cfg.shared = sh;
	assert_int_equal(sensor_new(&a, &cfg, &hooks), ERR_OK);
	assert_int_equal(sensor_new(&b, &cfg, &hooks), ERR_OK);
	agg = sensor_shared_aggregate(sh);
	assert_ptr_equal(sensor_aggregate(a), agg);
	assert_ptr_equal(sensor_aggregate(b), agg);
	hook_calls = 0;
	feed(a, "udp");
	assert_int_equal(sensor_audit_stats(a)->correlated, 0);
	feed(b, "tcp");
	assert_int_equal(sensor_audit_stats(b)->correlated, 3);
	assert_int_equal(hook_calls, 9);
	assert_int_equal(aggregate_finish(agg, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_finish(sensor_aggregate(one), NULL, 24, 64),
	    ERR_OK);
	assert_int_equal(aggregate_n_hosts(agg),
	    aggregate_n_hosts(sensor_aggregate(one)));
	assert_int_equal(aggregate_n_hosts(agg), 2);

	/* Counters add up: the two halves are the whole, less the packets
	 * neither filter took. */
	memset(&sum, 0, sizeof(sum));
	sensor_sum_add(&sum, a);
	sensor_sum_add(&sum, b);
	sensor_sum_shared(&sum, sh);
	memset(&whole, 0, sizeof(whole));
	sensor_sum_add(&whole, one);
	assert_int_equal(sum.aud.matches, whole.aud.matches);
	assert_int_equal(sum.aud.correlated, whole.aud.correlated);
	assert_int_equal(sum.aud.dns_msgs, whole.aud.dns_msgs);
	assert_int_equal(sum.aud.tls_hellos, whole.aud.tls_hellos);
	assert_int_equal(sum.flow.created, whole.flow.created);
	for (i = 0; i < CAT_N; i++)
		assert_int_equal(sum.by_cat[i], whole.by_cat[i]);
	assert_int_equal(sum.n_lt, 1);
	assert_int_equal(sum.lt[0].packets, 46);
	assert_true(sum.span.have);
	assert_true(sum.span.first_sec == whole.span.first_sec &&
	    sum.span.first_nsec == whole.span.first_nsec);
	assert_true(sum.span.last_sec == whole.span.last_sec &&
	    sum.span.last_nsec == whole.span.last_nsec);

	/* Merging sums is adding sensors. */
	memset(&whole, 0, sizeof(whole));
	sensor_sum_merge(&whole, &sum);
	sensor_sum_merge(&whole, &sum);
	assert_int_equal(whole.aud.matches, 2 * sum.aud.matches);
	assert_int_equal(whole.lt[0].packets, 92);
	assert_int_equal(whole.n_lt, 1);

	sensor_free(a);
	sensor_free(b);
	sensor_free(one);
	sensor_shared_free(sh);
	match_free(m);
}

/*
 * The connections through one sensor before the answers reach the other:
 * deferred, then put down to the answers when looked up again; a queue
 * too small refuses (counted) what does not fit.
 */
static void
test_deferred(void **state)
{
	const struct sensor_hooks hooks = { on_match, NULL, NULL, NULL };
	struct sensor_config cfg;
	struct sensor_shared *sh = NULL;
	struct sensor *a = NULL, *b = NULL, *c = NULL;
	const struct audit_stats *st;
	struct match *m = fixture_sigs();

	(void)state;
	fixture_config(&cfg, m);
	assert_int_equal(sensor_shared_new(&sh, &cfg), ERR_OK);
	cfg.shared = sh;
	assert_int_equal(sensor_new(&a, &cfg, &hooks), ERR_OK);
	cfg.defer_max = 16;
	assert_int_equal(sensor_new(&b, &cfg, &hooks), ERR_OK);
	cfg.defer_max = 1;
	assert_int_equal(sensor_new(&c, &cfg, &hooks), ERR_OK);
	hook_calls = 0;
	feed(b, "tcp");
	feed(c, "tcp");
	st = sensor_audit_stats(b);
	assert_int_equal(st->correlated, 0);
	assert_int_equal(st->correlate_deferred, 3);
	assert_int_equal(sensor_audit_stats(c)->correlate_deferred, 1);
	assert_int_equal(sensor_audit_stats(c)->correlate_refused, 2);
	/* Looked up before the answers are in: nothing, and gone. */
	sensor_defer_run(c, INT64_MAX, 0, 0, false);
	assert_int_equal(sensor_audit_stats(c)->correlate_late, 0);
	/* Not yet read past: they wait. */
	sensor_defer_run(b, 0, 0, 0, false);
	assert_int_equal(st->correlate_late, 0);
	feed(a, "udp");
	assert_int_equal(hook_calls, 6);
	/* Not read past, but waiting since before now: stale, looked up. */
	sensor_defer_run(b, 0, 0, audit_defer_clock(), false);
	assert_int_equal(st->correlate_late, 3);
	assert_int_equal(st->correlated, 3);
	assert_int_equal(hook_calls, 9);
	/* Once only. */
	sensor_defer_run(b, 0, 0, 0, true);
	assert_int_equal(hook_calls, 9);
	sensor_free(a);
	sensor_free(b);
	sensor_free(c);
	sensor_shared_free(sh);
	match_free(m);
}

/* Four threads through the shared tables at once: the same hosts, each
 * thread's matches its own, and the lock free after. */
struct run {
	struct sensor	*s;
	const char	*filter;
};

static void *
run_thread(void *p)
{
	struct run *r = p;

	feed(r->s, r->filter);
	return NULL;
}

static void
test_threads(void **state)
{
	struct sensor_config cfg;
	struct sensor_shared *sh = NULL;
	struct run r[4];
	pthread_t th[4];
	struct match *m = fixture_sigs();
	struct aggregate *agg;
	uint64_t matches = 0;
	size_t i;

	(void)state;
	fixture_config(&cfg, m);
	assert_int_equal(sensor_shared_new(&sh, &cfg), ERR_OK);
	cfg.shared = sh;
	for (i = 0; i < 4; i++) {
		assert_int_equal(sensor_new(&r[i].s, &cfg, NULL), ERR_OK);
		r[i].filter = NULL;
		assert_int_equal(pthread_create(&th[i], NULL, run_thread,
		    &r[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		matches += sensor_audit_stats(r[i].s)->matches;
	}
	agg = sensor_shared_aggregate(sh);
	sensor_shared_lock(sh);
	assert_int_equal(aggregate_finish(agg, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_n_hosts(agg), 2);
	sensor_shared_unlock(sh);
	/* Each read its own copy: four times the matches of one. */
	assert_int_equal(matches % 4, 0);
	assert_true(matches >= 4 * 6);
	for (i = 0; i < 4; i++)
		sensor_free(r[i].s);
	sensor_shared_free(sh);
	match_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_on_another_worker),
		cmocka_unit_test(test_deferred),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
