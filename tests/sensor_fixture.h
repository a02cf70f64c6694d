/* sensor_fixture.h - what the sensor's unit tests (test_sensor.c,
 * test_sensor_shared.c) start from: the built-in signatures and a small
 * configuration.  Include after cmocka.h and sensor.h. */
#ifndef KASAUDIT_SENSOR_FIXTURE_H
#define KASAUDIT_SENSOR_FIXTURE_H

#include <string.h>

static inline struct match *
fixture_sigs(void)
{
	char errbuf[ERRBUF_LEN];
	struct match *m = match_new();

	assert_non_null(m);
	assert_int_equal(match_load_builtin(m, errbuf), ERR_OK);
	return m;
}

/* Caps small enough to see, timeouts longer than any bundled capture. */
static inline void
fixture_config(struct sensor_config *cfg, const struct match *m)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->match = m;
	cfg->frag_mem = 1 << 20;
	cfg->frag_timeout = 30;
	cfg->flow.max_flows = 1024;
	cfg->flow.n_buffers = 64;
	cfg->flow.stream_bytes = 16384;
	cfg->flow.tcp_idle = 300;
	cfg->flow.udp_idle = 60;
	cfg->max_names = 64;
}

#endif
