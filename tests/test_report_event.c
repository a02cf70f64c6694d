/* test_report_event.c - the event shapes of report_event.c: json's new
 * keys, ECS, Suricata EVE and RFC 5424 structured data (6.3.3). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const struct match_sig sig = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'B', "", "", "builtin", 1,
};

/* 192.168.1.52:54585 -> 8.8.8.8:53 over UDP: a row of the Community ID
 * spec's baseline (1:d/FP5EW3wiY1vCndhwleRRKHowQ= with seed 0). */
static struct obs
obs_dns(void)
{
	static const uint8_t c[4] = { 192, 168, 1, 52 };
	static const uint8_t s[4] = { 8, 8, 8, 8 };
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = "x.pcap";
	o.frame = 7;
	o.ts_sec = 1727784000;
	o.ts_nsec = 5000;
	addr_set4(&o.client, c);
	addr_set4(&o.server, s);
	o.client_port = 54585;
	o.server_port = 53;
	o.proto = 17;
	o.kind = OBS_DNS_QUERY;
	o.name = "a.upd.kaspersky.com";
	o.name_len = strlen(o.name);
	o.n_vlan = 1;
	o.vlan[0] = 12;
	o.has_mac = true;
	memcpy(o.mac, "\x00\x1b\x21\xaa\x0f\xff", 6);
	return o;
}

static char *
run(const struct report_events *cfg, const struct obs *o, bool sd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	if (sd)
		assert_int_equal(report_event_sd(fp, "kasaudit@32473", cfg, o,
		    &sig), ERR_OK);
	else
		assert_int_equal(report_event_as(fp, cfg, o, &sig), ERR_OK);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
test_formats_named(void **state)
{
	enum events_format f = EVENTS_N;

	(void)state;
	assert_true(report_events_format("ecs", &f));
	assert_int_equal(f, EVENTS_ECS);
	assert_true(report_events_format("eve", &f));
	assert_int_equal(f, EVENTS_EVE);
	assert_true(report_events_format("json", &f));
	assert_int_equal(f, EVENTS_JSON);
	assert_false(report_events_format("JSON", &f));
	assert_false(report_events_format("", &f));
	assert_int_equal(f, EVENTS_JSON);
	assert_string_equal(report_events_format_name(EVENTS_EVE), "eve");
}

static void
test_json(void **state)
{
	struct report_events cfg = { EVENTS_JSON, 0, NULL };
	struct obs o = obs_dns();
	char *s;

	(void)state;
	s = run(&cfg, &o, false);
	assert_string_equal(s,
	    "{\"file\":\"x.pcap\",\"frame\":7,"
	    "\"time\":\"2024-10-01T12:00:00.000005Z\","
	    "\"client\":\"192.168.1.52\",\"client_port\":54585,"
	    "\"server\":\"8.8.8.8\",\"server_port\":53,\"transport\":\"udp\","
	    "\"community_id\":\"1:d/FP5EW3wiY1vCndhwleRRKHowQ=\","
	    "\"kind\":\"dns-query\",\"name\":\"a.upd.kaspersky.com\","
	    "\"pattern\":\"upd.kaspersky.com\",\"category\":\"update\","
	    "\"confidence\":\"B\",\"set\":\"builtin\",\"vlan\":12,"
	    "\"mac\":\"00:1b:21:aa:0f:ff\"}\n");
	free(s);
	/* The seed changes the ID (the baseline's seed 1 row). */
	cfg.seed = 1;
	s = run(&cfg, &o, false);
	assert_non_null(strstr(s,
	    "\"community_id\":\"1:Q9We8WO3piVF8yEQBNJF4uiSVrI=\""));
	free(s);
	/* Not TCP or UDP: neither transport nor ID. */
	o.proto = 132;
	s = run(&cfg, &o, false);
	assert_non_null(strstr(s,
	    "\"transport\":null,\"community_id\":null,"));
	free(s);
}

static void
test_ecs(void **state)
{
	struct report_events cfg = { EVENTS_ECS, 0, "sensor1" };
	struct obs o = obs_dns();
	char *s;

	(void)state;
	s = run(&cfg, &o, false);
	assert_string_equal(s,
	    "{\"@timestamp\":\"2024-10-01T12:00:00.000005Z\","
	    "\"ecs\":{\"version\":\"8.11.0\"},"
	    "\"event\":{\"kind\":\"alert\",\"category\":[\"network\"],"
	    "\"type\":[\"protocol\"],\"action\":\"dns-query\","
	    "\"module\":\"kasaudit\",\"dataset\":\"kasaudit.events\"},"
	    "\"source\":{\"ip\":\"192.168.1.52\",\"port\":54585,"
	    "\"mac\":\"00-1B-21-AA-0F-FF\"},"
	    "\"destination\":{\"ip\":\"8.8.8.8\",\"port\":53},"
	    "\"network\":{\"transport\":\"udp\","
	    "\"community_id\":\"1:d/FP5EW3wiY1vCndhwleRRKHowQ=\","
	    "\"protocol\":\"dns\",\"vlan\":{\"id\":\"12\"}},"
	    "\"dns\":{\"type\":\"query\","
	    "\"question\":{\"name\":\"a.upd.kaspersky.com\"}},"
	    "\"rule\":{\"name\":\"upd.kaspersky.com\",\"category\":\"update\","
	    "\"ruleset\":\"builtin\"},"
	    "\"observer\":{\"type\":\"sensor\",\"product\":\"kasaudit\","
	    "\"version\":\"" KASAUDIT_VERSION "\",\"hostname\":\"sensor1\"},"
	    "\"kasaudit\":{\"file\":\"x.pcap\",\"frame\":7,"
	    "\"kind\":\"dns-query\",\"name\":\"a.upd.kaspersky.com\","
	    "\"confidence\":\"B\"}}\n");
	free(s);
	o.kind = OBS_TLS_SNI;
	o.proto = 6;
	s = run(&cfg, &o, false);
	assert_non_null(strstr(s, "\"tls\":{\"client\":{\"server_name\":"
	    "\"a.upd.kaspersky.com\"}}"));
	assert_non_null(strstr(s, "\"transport\":\"tcp\""));
	free(s);
	o.kind = OBS_HTTP_HOST;
	s = run(&cfg, &o, false);
	assert_non_null(strstr(s, "\"url\":{\"domain\":"
	    "\"a.upd.kaspersky.com\"}"));
	free(s);
	/* A client named by a header: no port, no ID, the proxy kept. */
	o.flags = OBS_F_FORWARDED;
	o.via = o.server;
	s = run(&cfg, &o, false);
	assert_non_null(strstr(s, "\"source\":{\"ip\":\"192.168.1.52\","
	    "\"mac\""));
	assert_null(strstr(s, "community_id"));
	assert_non_null(strstr(s, "\"via\":\"8.8.8.8\"}}\n"));
	free(s);
}

static void
test_eve(void **state)
{
	struct report_events cfg = { EVENTS_EVE, 0, NULL };
	struct obs o = obs_dns();
	char *s;

	(void)state;
	s = run(&cfg, &o, false);
	assert_string_equal(s,
	    "{\"timestamp\":\"2024-10-01T12:00:00.000005+0000\","
	    "\"event_type\":\"alert\",\"vlan\":[12],"
	    "\"src_ip\":\"192.168.1.52\",\"src_port\":54585,"
	    "\"dest_ip\":\"8.8.8.8\",\"dest_port\":53,\"proto\":\"UDP\","
	    "\"community_id\":\"1:d/FP5EW3wiY1vCndhwleRRKHowQ=\","
	    "\"app_proto\":\"dns\","
	    "\"alert\":{\"action\":\"allowed\","
	    "\"signature\":\"upd.kaspersky.com\",\"category\":\"update\","
	    "\"severity\":2},"
	    "\"dns\":{\"type\":\"query\",\"rrname\":\"a.upd.kaspersky.com\"},"
	    "\"kasaudit\":{\"file\":\"x.pcap\",\"frame\":7,"
	    "\"kind\":\"dns-query\",\"name\":\"a.upd.kaspersky.com\","
	    "\"set\":\"builtin\",\"mac\":\"00:1b:21:aa:0f:ff\"}}\n");
	free(s);
	o.kind = OBS_QUIC_SNI;
	s = run(&cfg, &o, false);
	assert_non_null(strstr(s, "\"quic\":{\"sni\":\"a.upd.kaspersky.com\"}"));
	free(s);
}

/* RFC 5424 6.3.3: '"', '\' and ']' escaped; control bytes and bytes that
 * are not UTF-8 become '?'; UTF-8 stays. */
static void
test_sd(void **state)
{
	static const char name[] = "a\"b\\c]d\x01" "e\xff" "f\xc3\xa9";
	struct obs o = obs_dns();
	char *s;

	(void)state;
	o.name = name;
	o.name_len = sizeof(name) - 1;
	s = run(NULL, &o, true);
	assert_string_equal(s,
	    "[kasaudit@32473 file=\"x.pcap\" frame=\"7\" "
	    "time=\"2024-10-01T12:00:00.000005Z\" client=\"192.168.1.52\" "
	    "client_port=\"54585\" server=\"8.8.8.8\" server_port=\"53\" "
	    "transport=\"udp\" community_id=\"1:d/FP5EW3wiY1vCndhwleRRKHowQ=\" "
	    "kind=\"dns-query\" name=\"a\\\"b\\\\c\\]d?e?f\xc3\xa9\" "
	    "pattern=\"upd.kaspersky.com\" category=\"update\" "
	    "confidence=\"B\" set=\"builtin\" vlan=\"12\" "
	    "mac=\"00:1b:21:aa:0f:ff\"]");
	free(s);
}

/* An IPv6 address longer than a time (the pipeline fuzzer's find). */
static void
test_sd_v6(void **state)
{
	uint8_t c[16];
	struct report_events cfg = { EVENTS_JSON, 0, NULL };
	struct obs o = obs_dns();
	char *s;

	(void)state;
	memset(c, 0xfe, sizeof(c));
	addr_set6(&o.client, c);
	addr_set6(&o.server, c);
	s = run(&cfg, &o, true);
	assert_non_null(strstr(s, " client=\"fefe:fefe:fefe:fefe:fefe:fefe:"
	    "fefe:fefe\" "));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats_named),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_ecs),
		cmocka_unit_test(test_eve),
		cmocka_unit_test(test_sd),
		cmocka_unit_test(test_sd_v6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
