/* test_load.c - unit tests for load.c and aggregate_merge(). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "load.h"
#include "report.h"

static const struct match_sig sig_update = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'A', "vendor docs", "",
	"builtin", 1,
};
static const struct match_sig sig_web = {
	"=www.kaspersky.com", MK_EXACT, CAT_WEB, '-', "", "", "extra.sigs",
	2,
};
static const struct match_sig sig_ksn = {
	"ksn.kaspersky-labs.com", MK_SUFFIX, CAT_TELEMETRY, 'C', "", "",
	"builtin", 3,
};

static struct addr
A(const char *s)
{
	struct addr a;

	assert_true(addr_parse(&a, s));
	return a;
}

static void
add(struct aggregate *ag, const char *file, uint64_t frame, int64_t sec,
    uint32_t usec, const char *client, const char *server,
    enum obs_kind kind, const char *name, const struct match_sig *sig)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = file;
	o.frame = frame;
	o.ts_sec = sec;
	o.ts_nsec = usec * 1000u;	/* reports keep microseconds */
	o.client = A(client);
	o.server = A(server);
	o.kind = kind;
	o.name = name;
	o.name_len = strlen(name);
	assert_int_equal(aggregate_add(ag, &o, sig), ERR_OK);
}

static void
add_l2(struct aggregate *ag, const char *file, uint64_t frame, int64_t sec,
    const char *client, const uint8_t *mac, const uint16_t *vlan,
    uint8_t n_vlan, const char *name, const struct match_sig *sig)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = file;
	o.frame = frame;
	o.ts_sec = sec;
	o.client = A(client);
	o.server = A("192.0.2.1");
	o.kind = OBS_TLS_SNI;
	o.name = name;
	o.name_len = strlen(name);
	if (mac != NULL) {
		o.has_mac = true;
		memcpy(o.mac, mac, 6);
	}
	o.n_vlan = n_vlan;
	memcpy(o.vlan, vlan, n_vlan * sizeof(*vlan));
	assert_int_equal(aggregate_add(ag, &o, sig), ERR_OK);
}

/* The JSON report of ag (finished here) as a string. */
static char *
render(struct aggregate *ag, const struct report_meta *meta)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	assert_int_equal(aggregate_finish(ag, NULL, meta->v4_plen,
	    meta->v6_plen), ERR_OK);
	assert_non_null(fp = open_memstream(&buf, &len));
	assert_int_equal(report_json(fp, ag, meta), ERR_OK);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
meta_defaults(struct report_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->version = "0.1.0";
	m->v4_plen = 24;
	m->v6_plen = 64;
	m->max_names = 64;
}

/* The report of what ag and st hold, as `kasaudit merge` writes it. */
static char *
render_loaded(struct aggregate *ag, struct load_stats *st, size_t max_names)
{
	struct report_meta m;

	meta_defaults(&m);
	load_stats_meta(st, &m);
	if (max_names > 0)
		m.max_names = max_names;
	aggregate_trim_names(ag, m.max_names);
	return render(ag, &m);
}

static void
load_ok(struct aggregate *ag, struct load_stats *st, const char *doc)
{
	char errbuf[ERRBUF_LEN] = "";

	if (load_report_buf(ag, st, doc, strlen(doc), "t.json", errbuf) !=
	    ERR_OK)
		fail_msg("%s", errbuf);
}

/* ---- round trip ------------------------------------------------------ */

static const struct report_file rt_files[] = {
	{ "a.pcap", "pcap", 40, 4000, 2, true, "", 0 },
	{ "b \"odd\" \xc3\xa9.pcapng", "pcapng", 20, 2500, 0, false,
	    "b.pcapng: truncated at byte 2500", 3 },
};
static const struct report_linktype rt_lts[] = {
	{ 1, "EN10MB", 57, true },
	{ 147, NULL, 3, false },
};

static struct aggregate *
rt_aggregate(void)
{
	static const uint8_t mac1[6] = { 0x00, 0x1b, 0x21, 0xaa, 0x0f, 0xff };
	static const uint8_t mac2[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint16_t qinq[2] = { 100, 4094 };
	const char *b = rt_files[1].path;
	struct aggregate *ag;
	struct obs o;

	assert_non_null(ag = aggregate_new(64));
	add(ag, "a.pcap", 1, 1727784000, 1, "10.0.0.5", "10.0.0.53",
	    OBS_DNS_QUERY, "dnl-01.upd.kaspersky.com", &sig_update);
	add(ag, "a.pcap", 2, 1727784000, 2, "10.0.0.5", "10.0.0.53",
	    OBS_DNS_ANSWER, "dnl-01.upd.kaspersky.com", &sig_update);
	add(ag, b, 7, 1727784100, 999999, "10.0.0.5", "10.0.0.53",
	    OBS_DNS_QUERY, "www.kaspersky.com", &sig_web);
	/* A name with bytes every writer must escape. */
	add(ag, b, 8, 1727784101, 0, "10.0.0.6", "192.0.2.1", OBS_HTTP_HOST,
	    "q\"uote\\d.ksn.kaspersky-labs.com", &sig_ksn);
	add(ag, "a.pcap", 9, -5, 0, "2001:db8::7", "2001:db8::53",
	    OBS_DNS_QUERY, "ds.kaspersky-labs.com", &sig_ksn);
	add(ag, "a.pcap", 10, 253402300800LL, 0, "2001:db8::7",
	    "2001:db8::53", OBS_DNS_ANSWER, "ds.kaspersky-labs.com",
	    &sig_ksn);
	/* The resolver's own lookup upstream. */
	add(ag, "a.pcap", 11, 1727784200, 5, "10.0.0.53", "9.9.9.9",
	    OBS_DNS_QUERY, "dnl-01.upd.kaspersky.com", &sig_update);
	add_l2(ag, "a.pcap", 12, 1727784300, "10.0.0.7", mac1, qinq, 2,
	    "s1.upd.kaspersky.com", &sig_update);
	add_l2(ag, "a.pcap", 13, 1727784301, "10.0.0.7", mac2, qinq, 1,
	    "s1.upd.kaspersky.com", &sig_update);
	/* Blind spots only: listed apart. */
	memset(&o, 0, sizeof(o));
	o.client = A("10.0.0.9");
	assert_int_equal(aggregate_blind(ag, &o, BLIND_DOT), ERR_OK);
	assert_int_equal(aggregate_blind(ag, &o, BLIND_DOT), ERR_OK);
	return ag;
}

static void
rt_meta(struct report_meta *m, struct decode_stats *ds,
    struct audit_stats *as, struct flow_stats *fs)
{
	meta_defaults(m);
	memset(ds, 0, sizeof(*ds));
	memset(as, 0, sizeof(*as));
	memset(fs, 0, sizeof(*fs));
	ds->ipv4 = 50;
	ds->malformed[DL_VLAN] = 2;
	ds->frag_evicted = 1;
	as->dns_msgs = 30;
	as->tls_ech = 4;
	as->quic_failed = 1;
	as->streams_unfinished = 2;
	as->matches = 9;
	as->by_kind[OBS_DNS_QUERY] = 5;
	fs->created = 12;
	fs->active_max = 7;
	fs->stolen = 3;
	fs->holes_skipped = 1;
	m->files = rt_files;
	m->n_files = 2;
	m->linktypes = rt_lts;
	m->n_linktypes = 2;
	m->packets = 60;
	m->bytes = 6500;
	m->have_time = true;
	m->first_sec = -5;
	m->last_sec = 253402300800LL;
	m->decode = ds;
	m->audit = as;
	m->flow = fs;
	m->filter = "udp or tcp";
	m->v4_plen = 16;
	m->v6_plen = 48;
	m->max_names = 7;
}

/* aggregate -> report_json -> load -> report_json: the same bytes. */
static void
test_round_trip(void **state)
{
	struct decode_stats ds;
	struct audit_stats as;
	struct flow_stats fs;
	struct report_meta m;
	struct aggregate *ag = rt_aggregate(), *ag2;
	struct load_stats *st;
	char *one, *two, *three;

	(void)state;
	rt_meta(&m, &ds, &as, &fs);
	one = render(ag, &m);
	assert_non_null(strstr(one, "\"blind_spots\""));
	assert_non_null(ag2 = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	load_ok(ag2, st, one);
	assert_int_equal(load_stats_reports(st), 1);
	two = render_loaded(ag2, st, 0);
	assert_string_equal(one, two);
	/* And once more, from its own output. */
	aggregate_free(ag2);
	load_stats_free(st);
	assert_non_null(ag2 = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	load_ok(ag2, st, two);
	three = render_loaded(ag2, st, 0);
	assert_string_equal(two, three);
	free(one);
	free(two);
	free(three);
	aggregate_free(ag);
	aggregate_free(ag2);
	load_stats_free(st);
}

/* ---- order and steps ------------------------------------------------- */

/* Three reports that share hosts, names and resolvers. */
static char *
part(int which)
{
	static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0xa };
	static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 0xb };
	static const uint16_t v10 = 10, v20 = 20;
	struct report_meta m;
	struct report_file f;
	struct aggregate *ag;
	char *s;

	assert_non_null(ag = aggregate_new(64));
	meta_defaults(&m);
	memset(&f, 0, sizeof(f));
	f.format = "pcap";
	f.complete = true;
	f.error = "";
	switch (which) {
	case 0:
		f.path = "s1.pcap";
		add(ag, f.path, 1, 1000, 0, "10.0.0.5", "10.0.0.53",
		    OBS_DNS_ANSWER, "a.upd.kaspersky.com", &sig_update);
		add_l2(ag, f.path, 2, 1001, "10.0.0.5", mac_b, &v20, 1,
		    "b.upd.kaspersky.com", &sig_update);
		m.filter = "udp";
		break;
	case 1:
		f.path = "s2.pcap";
		/* Same time as s1's first: the file name breaks the tie. */
		add(ag, f.path, 1, 1000, 0, "10.0.0.5", "10.0.0.53",
		    OBS_DNS_ANSWER, "a.upd.kaspersky.com", &sig_ksn);
		add_l2(ag, f.path, 3, 999, "10.0.0.5", mac_a, &v10, 1,
		    "c.upd.kaspersky.com", &sig_update);
		add(ag, f.path, 4, 998, 0, "10.0.1.1", "10.0.0.53",
		    OBS_DNS_ANSWER, "www.kaspersky.com", &sig_web);
		m.filter = "tcp";
		m.max_names = 2;
		break;
	default:
		f.path = "s0.pcap";
		add(ag, f.path, 5, 2000, 0, "10.0.0.5", "10.0.0.54",
		    OBS_DNS_ANSWER, "d.upd.kaspersky.com", &sig_update);
		add(ag, f.path, 6, 2001, 0, "10.0.0.53", "9.9.9.9",
		    OBS_DNS_QUERY, "a.upd.kaspersky.com", &sig_update);
		break;
	}
	f.packets = 10;
	f.bytes = 1000;
	m.files = &f;
	m.n_files = 1;
	m.packets = 10;
	m.bytes = 1000;
	s = render(ag, &m);
	aggregate_free(ag);
	return s;
}

static char *
merge(char **docs, size_t n, size_t max_names)
{
	struct aggregate *ag;
	struct load_stats *st;
	char *s;
	size_t i;

	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	for (i = 0; i < n; i++)
		load_ok(ag, st, docs[i]);
	s = render_loaded(ag, st, max_names);
	aggregate_free(ag);
	load_stats_free(st);
	return s;
}

static void
test_order_and_steps(void **state)
{
	static const int perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 },
		{ 2, 0, 1 }, { 2, 1, 0 },
	};
	char *p[3], *v[3], *all, *s, *step;
	size_t i, k;

	(void)state;
	for (i = 0; i < 3; i++)
		p[i] = part((int)i);
	all = merge(p, 3, 0);
	/* The facts the rules promise. */
	assert_non_null(strstr(all, "\"filter\": \"" LOAD_FILTER_MIXED
	    "\""));
	assert_non_null(strstr(all, "\"max_names\": 64"));
	assert_non_null(strstr(all, "\"macs_seen\": 2"));
	assert_non_null(strstr(all, "\"mac\": \"02:00:00:00:00:0a\""));
	assert_non_null(strstr(all, "\"vlan\": 10"));
	for (i = 1; i < 6; i++) {
		for (k = 0; k < 3; k++)
			v[k] = p[perm[i][k]];
		s = merge(v, 3, 0);
		assert_string_equal(all, s);
		free(s);
	}
	/* Two steps, each way of splitting. */
	for (i = 0; i < 3; i++) {
		v[0] = p[(i + 1) % 3];
		v[1] = p[(i + 2) % 3];
		step = merge(v, 2, 0);
		v[0] = step;
		v[1] = p[i];
		s = merge(v, 2, 0);
		assert_string_equal(all, s);
		free(s);
		v[0] = p[i];
		v[1] = step;
		s = merge(v, 2, 0);
		assert_string_equal(all, s);
		free(s);
		free(step);
	}
	/* A cap cuts the same names whatever the order. */
	s = merge(p, 3, 2);
	v[0] = p[2];
	v[1] = p[0];
	v[2] = p[1];
	step = merge(v, 3, 2);
	assert_string_equal(s, step);
	assert_non_null(strstr(s, "\"names_dropped\": 2"));
	free(s);
	free(step);
	free(all);
	for (i = 0; i < 3; i++)
		free(p[i]);
}

/* ---- hostile documents ----------------------------------------------- */

#define REF1 "{\"file\":\"a.pcap\",\"frame\":1," \
	"\"time\":\"2024-10-01T12:00:00.000001Z\"}"
#define REF2 "{\"file\":\"a.pcap\",\"frame\":2," \
	"\"time\":\"2024-10-01T12:00:02.000000Z\"}"

/* A small report, as report_json() writes it (less the optional parts). */
static const char base_doc[] =
    "{\"version\":\"0.1.0\","
    "\"inputs\":[{\"path\":\"a.pcap\",\"format\":\"pcap\",\"packets\":3,"
    "\"bytes\":300,\"filtered\":0,\"complete\":true,\"error\":null,"
    "\"unsupported_packets\":0}],"
    "\"linktypes\":[{\"linktype\":1,\"name\":\"EN10MB\",\"packets\":3,"
    "\"supported\":true}],"
    "\"time\":{\"first\":\"2024-10-01T12:00:00.000001Z\","
    "\"last\":\"2024-10-01T12:00:02.000000Z\"},"
    "\"packets\":3,\"bytes\":300,\"filter\":null,"
    "\"options\":{\"group_prefix\":{\"ipv4\":24,\"ipv6\":64},"
    "\"max_names\":64},"
    "\"dns\":{\"messages\":2},"
    "\"networks\":[{\"name\":\"10.0.0.0/24\",\"hosts\":["
    "{\"address\":\"10.0.0.5\",\"mac\":\"00:11:22:33:44:55\","
    "\"macs_seen\":1,\"vlan\":null,\"first_seen\":" REF1 ","
    "\"last_seen\":" REF2 ",\"observations\":2,"
    "\"categories\":{\"update\":2},\"kinds\":{\"dns-query\":2},"
    "\"tiers\":{\"product-active\":2},"
    "\"names\":[{\"name\":\"s1.upd.kaspersky.com\",\"category\":\"update\","
    "\"pattern\":\"upd.kaspersky.com\",\"confidence\":\"A\","
    "\"source\":null,\"set\":\"builtin\",\"count\":2,"
    "\"kinds\":[\"dns-query\"],\"first\":" REF1 ",\"last\":" REF2 "}],"
    "\"names_dropped\":0},"
    "{\"address\":\"10.0.0.6\",\"mac\":null,\"macs_seen\":0,\"vlan\":7,"
    "\"first_seen\":" REF1 ",\"last_seen\":" REF1 ",\"observations\":1,"
    "\"categories\":{},\"kinds\":{},\"tiers\":{\"browsing-only\":1},"
    "\"names\":[],\"names_dropped\":0}]}],"
    "\"resolvers\":[{\"address\":\"10.0.0.53\",\"mac\":null,"
    "\"macs_seen\":0,\"vlan\":null,\"first_seen\":null,"
    "\"last_seen\":null,\"observations\":0,\"answered\":2,"
    "\"answered_hosts\":1,\"categories\":{},\"kinds\":{},\"tiers\":{},"
    "\"names\":[],\"names_dropped\":0}]}";

/* base_doc with the first `from` replaced by `to`. */
static char *
str_with(const char *doc, const char *from, const char *to)
{
	const char *p = strstr(doc, from);
	size_t n = strlen(doc) - strlen(from) + strlen(to) + 1;
	char *s;

	if (p == NULL)
		fail_msg("not in the document: %s", from);
	assert_non_null(s = malloc(n));
	snprintf(s, n, "%.*s%s%s", (int)(p - doc), doc, to, p + strlen(from));
	return s;
}

static char *
doc_with(const char *from, const char *to)
{
	return str_with(base_doc, from, to);
}

#define OTHER_INPUT	"\"path\":\"a.pcap\"", "\"path\":\"b.pcap\""

static void
test_base_doc(void **state)
{
	struct aggregate *ag;
	struct load_stats *st;
	char *s;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	load_ok(ag, st, base_doc);
	s = render_loaded(ag, st, 0);
	assert_non_null(strstr(s, "\"address\": \"10.0.0.5\""));
	assert_non_null(strstr(s, "\"verdict\": \"browsing-only\""));
	assert_non_null(strstr(s, "\"answered\": 2"));
	assert_non_null(strstr(s, "\"messages\": 2"));
	assert_non_null(strstr(s, "\"source\": null"));
	free(s);
	aggregate_free(ag);
	load_stats_free(st);
}

/*
 * Each case: a change to base_doc and a piece of the message it must give.
 * Every one fails as a whole: nothing of it reaches the aggregate.
 */
static const struct bad {
	const char	*from, *to, *msg;
} bad[] = {
	/* Syntax: jansson's messages, with line and column. */
	{ "{\"version\"", "{\"version\"\"", "line 1, column" },
	{ "\"packets\":3,\"bytes\":300,\"filter\"",
	    "\"packets\":3,\"packets\":3,\"bytes\":300,\"filter\"",
	    "duplicate" },
	{ "s1.upd", "s1\\u0000.upd", "t.json: line 1" },
	{ "\"packets\":3,\"bytes\"", "\"packets\":18446744073709551616,"
	    "\"bytes\"", "too big integer" },
	{ "{\"version\":\"0.1.0\",", "[", "t.json: line 1" },
	/* Types and values. */
	{ "\"version\":\"0.1.0\"", "\"version\":\"1.0.0\"",
	    "version: 1.0.0 is newer" },
	{ "\"version\":\"0.1.0\"", "\"version\":7", "version: not a string" },
	{ "\"version\":\"0.1.0\",", "", "version: missing" },
	{ "\"packets\":3,\"bytes\":300,\"filter\"",
	    "\"packets\":\"3\",\"bytes\":300,\"filter\"",
	    "t.json: packets: not an integer" },
	{ "\"packets\":3,\"bytes\":300,\"filter\"",
	    "\"packets\":-3,\"bytes\":300,\"filter\"",
	    "packets: negative" },
	{ "\"packets\":3,\"bytes\":300,\"filter\"",
	    "\"packets\":3.0,\"bytes\":300,\"filter\"",
	    "packets: not an integer" },
	{ "\"dns\":{\"messages\":2}", "\"dns\":[]", "dns: not an object" },
	{ "\"messages\":2", "\"messages\":true", "dns.messages: not an" },
	{ "\"complete\":true", "\"complete\":1",
	    "inputs[0].complete: not true or false" },
	{ "\"address\":\"10.0.0.5\"", "\"address\":\"10.0.0.256\"",
	    "networks[0].hosts[0].address: not an address" },
	{ "\"address\":\"10.0.0.6\"", "\"address\":\"10.0.0.5\"",
	    "10.0.0.5 is both networks[0].hosts[0] and networks[0].hosts[1]" },
	{ "\"address\":\"10.0.0.53\"", "\"address\":\"10.0.0.5\"",
	    "is both networks[0].hosts[0] and resolvers[0]" },
	{ "\"00:11:22:33:44:55\"", "\"00:11:22:33:44:5g\"", "mac: not a MAC" },
	{ "\"macs_seen\":1", "\"macs_seen\":9", "macs_seen: does not go" },
	{ "\"macs_seen\":1", "\"macs_seen\":0", "macs_seen: does not go" },
	{ "\"vlan\":7", "\"vlan\":4096", "hosts[1].vlan: over 4095" },
	{ "\"vlan\":7", "\"vlan\":7,\"vlans\":[8,9]", "vlans: [0] is not" },
	{ "\"vlan\":7", "\"vlan\":7,\"vlans\":[7,9,9,9]", "not 2 or 3" },
	{ "\"first_seen\":null", "\"first_seen\":" REF1,
	    "resolvers[0].first_seen: given without observations" },
	{ "\"last_seen\":" REF1, "\"last_seen\":null",
	    "last_seen: null with observations" },
	{ "2024-10-01T12:00:00.000001Z\"}", "2024-02-30T12:00:00.000001Z\"}",
	    "first_seen.time: not a time" },
	{ "\"frame\":1", "\"frame\":null", "first_seen.frame: null" },
	{ "\"categories\":{\"update\":2}", "\"categories\":{\"update\":-2}",
	    "categories.update: negative" },
	{ "\"tiers\":{\"product-active\":2},", "",
	    "hosts[0].tiers: missing" },
	{ "\"category\":\"update\"", "\"category\":\"nope\"",
	    "names[0].category: unknown category nope" },
	{ "\"confidence\":\"A\"", "\"confidence\":\"D\"",
	    "names[0].confidence: not A, B, C or null" },
	{ "\"count\":2", "\"count\":0", "names[0].count: 0" },
	{ "\"kinds\":[\"dns-query\"]", "\"kinds\":[1]", "kinds: [0] not a" },
	{ "\"names\":[{", "\"names\":[7,{", "names[0]: not an object" },
	{ "\"answered\":2", "\"answered\":0", "answered: 0 for a resolver" },
	{ "\"answered\":2,", "", "resolvers[0].answered: missing" },
	{ "\"hosts\":[", "\"hosts\":{},\"x\":[",
	    "networks[0].hosts: not an array" },
	{ "\"resolvers\":[", "\"resolvers\":7,\"y\":[", "not an array" },
	{ "\"ipv4\":24", "\"ipv4\":33", "group_prefix.ipv4: too long" },
	{ "\"observations\":2", "\"observations\":0",
	    "0 for an offender" },
	{ "\"name\":\"s1.upd.kaspersky.com\"", "\"name\":\"\xff\"",
	    "unable to decode byte" },
};

static void
test_hostile(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct aggregate *ag;
	struct load_stats *st;
	char *before, *after, *doc;
	size_t i;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	load_ok(ag, st, base_doc);
	before = render_loaded(ag, st, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		doc = doc_with(bad[i].from, bad[i].to);
		errbuf[0] = '\0';
		if (load_report_buf(ag, st, doc, strlen(doc), "t.json",
		    errbuf) == ERR_OK)
			fail_msg("case %zu loaded: %s", i, doc);
		if (strstr(errbuf, bad[i].msg) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, errbuf,
			    bad[i].msg);
		assert_memory_equal(errbuf, "t.json: ", 8);
		free(doc);
	}
	/* All or nothing: the first report alone is still there. */
	assert_int_equal(load_stats_reports(st), 1);
	after = render_loaded(ag, st, 0);
	assert_string_equal(before, after);
	free(before);
	free(after);
	aggregate_free(ag);
	load_stats_free(st);
}

/*
 * A per-day history (live state): read back, written again, and checked:
 * each day's date that of its first contact, last on the same day, days
 * in order, at most AGG_DAYS_MAX.
 */
#define DAYS_AT	"\"names_dropped\":0},{\"address\":\"10.0.0.6\""
#define DAY1	"{\"date\":\"2024-09-30\"," \
	"\"first\":\"2024-09-30T08:00:00.000000Z\"," \
	"\"last\":\"2024-09-30T17:30:00.000000Z\",\"observations\":5}"
#define DAY2	"{\"date\":\"2024-10-01\"," \
	"\"first\":\"2024-10-01T12:00:00.000001Z\"," \
	"\"last\":\"2024-10-01T12:00:02.000000Z\",\"observations\":2}"

static const struct bad bad_days[] = {
	{ "\"observations\":5", "\"observations\":0",
	    "networks[0].hosts[0].days[0].observations: 0" },
	{ "\"date\":\"2024-09-30\"", "\"date\":\"2024-09-29\"",
	    "days[0].date: 2024-09-29, but first is on 2024-09-30" },
	{ "T17:30:00", "T07:30:00", "days[0].last: before first" },
	{ "2024-09-30T17:30:00", "2024-10-01T17:30:00",
	    "days[0].last: not on the day of first" },
	{ DAY1 "," DAY2, DAY2 "," DAY1, "days[1].date: not after the day" },
	{ "T08:00:00.000000Z", "T08:00Z", "days[0].first: not a time" },
	{ "\"days_dropped\":3", "\"days_dropped\":-3",
	    "days_dropped: negative" },
	{ ",\"days_dropped\":3", "", "days_dropped: missing" },
	{ "\"days\":[", "\"days\":[7,", "days[0]: not an object" },
};

static void
test_days(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct aggregate *ag;
	struct load_stats *st;
	const struct agg_net *net;
	char *doc, *s, *bad_doc;
	size_t i;

	(void)state;
	doc = doc_with(DAYS_AT, "\"names_dropped\":0,\"days\":[" DAY1 ","
	    DAY2 "],\"days_dropped\":3},{\"address\":\"10.0.0.6\"");
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	load_ok(ag, st, doc);
	s = render_loaded(ag, st, 0);
	assert_non_null(strstr(s, "\"days\": ["));
	assert_non_null(strstr(s, "\"date\": \"2024-09-30\""));
	assert_non_null(strstr(s, "\"last\": \"2024-10-01T12:00:02.000000Z\""));
	assert_non_null(strstr(s, "\"days_dropped\": 3"));
	net = aggregate_net(ag, 0);
	assert_int_equal(net->hosts[0]->n_days, 2);
	assert_int_equal(net->hosts[0]->days[0].n_obs, 5);
	assert_int_equal(net->hosts[1]->n_days, 0);
	/* The host without a history has no days key. */
	assert_null(strstr(strstr(s, "\"10.0.0.6\""), "\"days\""));
	free(s);
	aggregate_free(ag);
	load_stats_free(st);

	for (i = 0; i < sizeof(bad_days) / sizeof(bad_days[0]); i++) {
		assert_non_null(ag = aggregate_new(1));
		assert_non_null(st = load_stats_new());
		bad_doc = str_with(doc, bad_days[i].from, bad_days[i].to);
		errbuf[0] = '\0';
		if (load_report_buf(ag, st, bad_doc, strlen(bad_doc),
		    "t.json", errbuf) == ERR_OK)
			fail_msg("case %zu loaded", i);
		if (strstr(errbuf, bad_days[i].msg) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, errbuf,
			    bad_days[i].msg);
		free(bad_doc);
		aggregate_free(ag);
		load_stats_free(st);
	}
	free(doc);
}

/* Unknown keys anywhere are ignored; a newer minor version is read. */
static void
test_forward(void **state)
{
	static const struct { const char *from, *to; } fwd[] = {
		{ "\"version\":\"0.1.0\"", "\"version\":\"0.9.2-rc1\"" },
		{ "{\"version\"", "{\"future\":{\"a\":[1,2,{}]},\"version\"" },
		{ "\"macs_seen\":1", "\"macs_seen\":1,\"zz\":null" },
		{ "\"count\":2", "\"count\":2,\"new\":\"x\"" },
		{ "\"update\":2", "\"update\":2,\"future-cat\":5" },
		{ "\"kinds\":[\"dns-query\"]",
		    "\"kinds\":[\"dns-query\",\"future-kind\"]" },
		{ "\"resolvers\"", "\"blind_spots\":null,\"resolvers\"" },
	};
	struct aggregate *ag;
	struct load_stats *st;
	char *want, *got, *doc;
	size_t i;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	load_ok(ag, st, base_doc);
	want = render_loaded(ag, st, 0);
	aggregate_free(ag);
	load_stats_free(st);
	for (i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++) {
		doc = doc_with(fwd[i].from, fwd[i].to);
		assert_non_null(ag = aggregate_new(1));
		assert_non_null(st = load_stats_new());
		load_ok(ag, st, doc);
		got = render_loaded(ag, st, 0);
		assert_string_equal(want, got);
		free(got);
		free(doc);
		aggregate_free(ag);
		load_stats_free(st);
	}
	free(want);
}

/* Deep nesting stops in jansson, at its depth limit, without a crash. */
static void
test_deep(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct aggregate *ag;
	struct load_stats *st;
	size_t n = 100000, i;
	char *doc;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	assert_non_null(doc = malloc(n + 32));
	strcpy(doc, "{\"version\":\"0.1.0\",\"x\":");
	for (i = strlen(doc); i < n; i++)
		doc[i] = '[';
	doc[n] = '\0';
	assert_int_equal(load_report_buf(ag, st, doc, strlen(doc), "deep",
	    errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "maximum parsing depth"));
	free(doc);
	aggregate_free(ag);
	load_stats_free(st);
}

/* Every prefix of a report, in a block of its exact size: refused. */
static void
test_truncated(void **state)
{
	struct decode_stats ds;
	struct audit_stats as;
	struct flow_stats fs;
	struct report_meta m;
	char errbuf[ERRBUF_LEN];
	struct aggregate *ag = rt_aggregate(), *ag2;
	struct load_stats *st;
	char *full, *buf;
	size_t len, n;

	(void)state;
	rt_meta(&m, &ds, &as, &fs);
	full = render(ag, &m);
	n = strlen(full);
	assert_non_null(ag2 = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	/* The last byte is the newline after the closing brace. */
	for (len = 0; len < n - 1; len++) {
		assert_non_null(buf = malloc(len ? len : 1));
		memcpy(buf, full, len);
		assert_int_not_equal(load_report_buf(ag2, st, buf, len,
		    "cut.json", errbuf), ERR_OK);
		assert_memory_equal(errbuf, "cut.json: ", 10);
		free(buf);
	}
	assert_int_equal(load_stats_reports(st), 0);
	assert_int_equal(aggregate_finish(ag2, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_n_hosts(ag2), 0);
	assert_int_equal(aggregate_n_resolvers(ag2), 0);
	assert_int_equal(aggregate_n_blind(ag2), 0);
	assert_non_null(buf = malloc(n - 1));
	memcpy(buf, full, n - 1);
	assert_int_equal(load_report_buf(ag2, st, buf, n - 1, "cut.json",
	    errbuf), ERR_OK);
	free(buf);
	free(full);
	aggregate_free(ag);
	aggregate_free(ag2);
	load_stats_free(st);
}

/* Sums past 2^63 - 1 refuse the second report, whole. */
static void
test_overflow(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct aggregate *ag;
	struct load_stats *st;
	char *big, *big2, *before, *after;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		big = k == 0 ? doc_with("\"observations\":2",
		    "\"observations\":9223372036854775807") :
		    doc_with("\"packets\":3,\"bytes\":300,\"filter\"",
		    "\"packets\":9223372036854775807,\"bytes\":300,"
		    "\"filter\"");
		assert_non_null(ag = aggregate_new(1));
		assert_non_null(st = load_stats_new());
		load_ok(ag, st, big);
		before = render_loaded(ag, st, 0);
		/* Another capture: the same one would be counted once. */
		big2 = str_with(big, OTHER_INPUT);
		assert_int_equal(load_report_buf(ag, st, big2, strlen(big2),
		    "t.json", errbuf), ERR_MALFORMED);
		free(big2);
		assert_non_null(strstr(errbuf, k == 0 ? "counts too large" :
		    "statistics too large"));
		assert_int_equal(load_stats_reports(st), 1);
		after = render_loaded(ag, st, 0);
		assert_string_equal(before, after);
		free(before);
		free(after);
		free(big);
		aggregate_free(ag);
		load_stats_free(st);
	}
}

/*
 * REFs may name files that are not inputs (a daemon's state outlives its
 * interfaces), up to 4096 of them in a report.
 */
static void
test_more_files(void **state)
{
	char errbuf[ERRBUF_LEN], *doc, *p, *s;
	struct aggregate *ag;
	struct load_stats *st;
	size_t i, n = 4097, size;

	(void)state;
	doc = doc_with("\"a.pcap\",\"frame\":1", "\"eth9\",\"frame\":1");
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	load_ok(ag, st, doc);
	s = render_loaded(ag, st, 0);
	assert_non_null(strstr(s, "\"file\": \"eth9\""));
	free(s);
	free(doc);
	/* One name per file, on the second host. */
	size = n * 256 + 64;
	assert_non_null(p = s = malloc(size));
	for (i = 0; i < n; i++)
		p += snprintf(p, size - (size_t)(p - s), "%s{\"name\":\"n%zu\","
		    "\"category\":\"web\",\"pattern\":\".\","
		    "\"confidence\":null,\"source\":null,\"set\":\"x\","
		    "\"count\":1,\"kinds\":[],"
		    "\"first\":{\"file\":\"f%zu\",\"frame\":1,"
		    "\"time\":\"@1.000000\"},\"last\":" REF1 "}",
		    i ? "," : "", i, i);
	assert_non_null(p = malloc(strlen(base_doc) + strlen(s) + 16));
	doc = strstr(base_doc, "\"names\":[]");
	assert_non_null(doc);
	sprintf(p, "%.*s\"names\":[%s]%s", (int)(doc - base_doc), base_doc,
	    s, doc + strlen("\"names\":[]"));
	assert_int_equal(load_report_buf(ag, st, p, strlen(p), "t.json",
	    errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "names[4096].first.file: more than "
	    "4096 files"));
	free(p);
	free(s);
	aggregate_free(ag);
	load_stats_free(st);
}

static void
test_file(void **state)
{
	char errbuf[ERRBUF_LEN], path[] = "/tmp/test_load.XXXXXX";
	struct aggregate *ag;
	struct load_stats *st;
	FILE *fp;
	int fd;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	assert_int_equal(load_report(ag, st, "/nonexistent/r.json", errbuf),
	    ERR_IO);
	assert_string_equal(errbuf,
	    "/nonexistent/r.json: No such file or directory");
	assert_int_equal(load_report(ag, st, "/tmp", errbuf), ERR_IO);
	assert_string_equal(errbuf, "/tmp: is a directory");
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(base_doc, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(load_report(ag, st, path, errbuf), ERR_OK);
	/* An empty file: JSON's error, with the file name. */
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(load_report(ag, st, path, errbuf), ERR_MALFORMED);
	assert_memory_equal(errbuf, path, strlen(path));
	unlink(path);
	assert_int_equal(load_stats_reports(st), 1);
	aggregate_free(ag);
	load_stats_free(st);
}

/* ---- aggregate additions --------------------------------------------- */

/* Signatures copied, so the matcher's may go (a live reload). */
static void
test_own_sigs(void **state)
{
	struct report_meta m;
	struct match_sig *s;
	struct aggregate *ag;
	char *one, *two;

	(void)state;
	assert_non_null(s = malloc(sizeof(*s)));
	*s = sig_update;
	assert_non_null(ag = aggregate_new(8));
	add(ag, "a.pcap", 1, 10, 0, "10.0.0.1", "10.0.0.2", OBS_DNS_QUERY,
	    "x.upd.kaspersky.com", s);
	add(ag, "a.pcap", 2, 11, 0, "10.0.0.3", "10.0.0.2", OBS_DNS_QUERY,
	    "y.upd.kaspersky.com", s);
	meta_defaults(&m);
	one = render(ag, &m);
	assert_int_equal(aggregate_own_sigs(ag), ERR_OK);
	memset(s, 0, sizeof(*s));	/* ASan: use after free next */
	free(s);
	two = render(ag, &m);
	assert_string_equal(one, two);
	free(one);
	free(two);
	aggregate_free(ag);
}

/* The names kept are the earliest; the rest are counted and remembered. */
static void
test_trim(void **state)
{
	struct aggregate *ag;
	struct agg_host rec;
	struct agg_name names[4];
	const struct agg_host *h;
	static const char *n[4] = { "d.x", "c.x", "b.x", "a.x" };
	struct obs o;
	size_t i;

	(void)state;
	assert_non_null(ag = aggregate_new(2));
	memset(&rec, 0, sizeof(rec));
	memset(names, 0, sizeof(names));
	rec.addr = A("10.0.0.1");
	rec.n_obs = 4;
	rec.by_cat[CAT_UPDATE] = 4;
	rec.by_tier[VERDICT_PRODUCT] = 4;
	rec.first.file = rec.last.file = "f";
	rec.names_dropped = 1;
	for (i = 0; i < 4; i++) {
		names[i].name = (char *)n[i];
		names[i].sig = &sig_update;
		names[i].count = 1;
		names[i].first.file = names[i].last.file = "f";
		/* d.x and c.x at the same time: the name breaks the tie. */
		names[i].first.ts_sec = i < 2 ? 5 : (int64_t)(10 + i);
		names[i].last = names[i].first;
	}
	rec.names = names;
	rec.n_names = 4;
	assert_int_equal(aggregate_merge(ag, &rec, 1, 0), ERR_OK);
	/* The same record twice in one call is refused, whole. */
	{
		struct agg_host two[2] = { rec, rec };

		assert_int_equal(aggregate_merge(ag, two, 2, 0),
		    ERR_MALFORMED);
	}
	aggregate_trim_names(ag, 2);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	h = aggregate_net(ag, 0)->hosts[0];
	assert_int_equal(h->n_names, 2);
	assert_string_equal(h->names[0].name, "c.x");
	assert_string_equal(h->names[1].name, "d.x");
	assert_int_equal(h->names_dropped, 3);
	assert_int_equal(h->n_obs, 4);
	/* A dropped name seen again is not a new one. */
	memset(&o, 0, sizeof(o));
	o.file = "g";
	o.client = A("10.0.0.1");
	o.kind = OBS_DNS_QUERY;
	o.name = "a.x";
	o.name_len = 3;
	assert_int_equal(aggregate_add(ag, &o, &sig_update), ERR_OK);
	o.name = "z.x";
	assert_int_equal(aggregate_add(ag, &o, &sig_update), ERR_OK);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	h = aggregate_net(ag, 0)->hosts[0];
	assert_int_equal(h->names_dropped, 4);
	assert_int_equal(h->n_obs, 6);
	aggregate_free(ag);
}

/* A table capped by --max-hosts takes a report whole or not at all. */
static void
test_max_hosts(void **state)
{
	char errbuf[ERRBUF_LEN], *other;
	struct aggregate *ag;
	struct load_stats *st;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	aggregate_set_max_hosts(ag, 2);
	assert_int_equal(load_report_buf(ag, st, base_doc, strlen(base_doc),
	    "t.json", errbuf), ERR_FULL);
	assert_string_equal(errbuf, "t.json: more hosts than the table may "
	    "hold (--max-hosts)");
	assert_int_equal(aggregate_hosts_refused(ag), 0);
	assert_int_equal(load_stats_reports(st), 0);
	aggregate_set_max_hosts(ag, 3);
	load_ok(ag, st, base_doc);
	/* The same hosts again (from another capture) need no room. */
	other = doc_with(OTHER_INPUT);
	load_ok(ag, st, other);
	free(other);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_n_hosts(ag), 2);
	assert_int_equal(aggregate_n_resolvers(ag), 1);
	aggregate_free(ag);
	load_stats_free(st);
}

/* A capture is counted once: the same report twice is skipped, a report
 * sharing only some of its inputs is refused, whatever the order. */
static void
test_counted_once(void **state)
{
	char errbuf[ERRBUF_LEN], *once, *again, *two;
	struct aggregate *ag;
	struct load_stats *st;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	load_ok(ag, st, base_doc);
	once = render_loaded(ag, st, 0);
	assert_int_equal(load_report_buf(ag, st, base_doc, strlen(base_doc),
	    "u.json", errbuf), ERR_DUP);
	assert_non_null(strstr(errbuf, "u.json: already counted"));
	again = render_loaded(ag, st, 0);
	assert_string_equal(once, again);
	assert_int_equal(load_stats_reports(st), 1);
	/* a.pcap and b.pcap: a.pcap is in already, b.pcap is not. */
	two = doc_with("\"inputs\":[", "\"inputs\":[{\"path\":\"b.pcap\","
	    "\"format\":\"pcap\",\"packets\":1,\"bytes\":10},");
	assert_int_equal(load_report_buf(ag, st, two, strlen(two), "v.json",
	    errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "a.pcap (3 packets) is counted"));
	free(once);
	free(again);
	aggregate_free(ag);
	load_stats_free(st);
	/* The other order: the wider report first. */
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	load_ok(ag, st, two);
	assert_int_equal(load_report_buf(ag, st, base_doc, strlen(base_doc),
	    "w.json", errbuf), ERR_MALFORMED);
	free(two);
	aggregate_free(ag);
	load_stats_free(st);
}

/* MACs: the earliest record's; macs_seen at least 2 when they differ. */
static void
test_mac_rule(void **state)
{
	struct aggregate *ag;
	struct agg_host r[3];
	const struct agg_host *h;
	size_t i;

	(void)state;
	memset(r, 0, sizeof(r));
	for (i = 0; i < 3; i++) {
		r[i].addr = A("10.0.0.1");
		r[i].n_obs = 1;
		r[i].by_tier[VERDICT_PRODUCT] = 1;
		r[i].first.file = r[i].last.file = "f";
		r[i].first.ts_sec = r[i].last.ts_sec = 30 - (int64_t)i * 10;
		r[i].has_mac = true;
		r[i].n_macs = 1;
		r[i].mac[5] = (uint8_t)(i == 2 ? 1 : 2);
	}
	assert_non_null(ag = aggregate_new(8));
	for (i = 0; i < 2; i++)
		assert_int_equal(aggregate_merge(ag, &r[i], 1, 0), ERR_OK);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	h = aggregate_net(ag, 0)->hosts[0];
	assert_int_equal(h->n_macs, 1);
	assert_int_equal(aggregate_merge(ag, &r[2], 1, 0), ERR_OK);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	h = aggregate_net(ag, 0)->hosts[0];
	assert_int_equal(h->n_macs, 2);
	assert_int_equal(h->mac[5], 1);		/* r[2] is the earliest */
	assert_int_equal(h->first.ts_sec, 10);
	assert_int_equal(h->last.ts_sec, 30);
	aggregate_free(ag);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_order_and_steps),
		cmocka_unit_test(test_base_doc),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_forward),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_more_files),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_own_sigs),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_max_hosts),
		cmocka_unit_test(test_counted_once),
		cmocka_unit_test(test_mac_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
