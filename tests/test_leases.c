/* test_leases.c - unit tests for leases.c and leases_fmt.c (dhcpd.leases,
 * Kea lease CSV v4/v6, the accounting TSV; the lookup by time). */
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
#include "leases.h"

#define T0	1796605200	/* 2026-12-07T01:00:00Z */

static char errbuf[ERRBUF_LEN];
static char warned[8][ERRBUF_LEN];
static size_t n_warned;

static void
on_warn(void *arg, const char *msg)
{
	(void)arg;
	if (n_warned < 8)
		snprintf(warned[n_warned], ERRBUF_LEN, "%s", msg);
	n_warned++;
}

static struct leases *
with(const char *text, size_t max)
{
	struct leases *lt = leases_new(max);

	assert_non_null(lt);
	n_warned = 0;
	leases_set_warn(lt, on_warn, NULL);
	if (leases_load_buf(lt, text, strlen(text), "L", errbuf) != ERR_OK)
		fail_msg("load: %s", errbuf);
	assert_int_equal(leases_finish(lt), ERR_OK);
	return lt;
}

/* The subscriber holding addr at ts, or "-". */
static const char *
who(const struct leases *lt, const char *addr, int64_t ts)
{
	const struct lease_sub *s;
	struct addr a;

	assert_true(addr_parse(&a, addr));
	s = leases_find(lt, &a, ts);
	return s != NULL ? s->name : "-";
}

static void
test_times(void **state)
{
	int64_t t;

	(void)state;
	assert_true(leases_parse_time("2026-12-07T01:00:00Z", 20, &t));
	assert_int_equal(t, T0);
	assert_true(leases_parse_time("2026-12-07 02:00:00+01:00", 25, &t));
	assert_int_equal(t, T0);
	assert_true(leases_parse_time("2026-12-06T20:30:00.250-04:30", 29,
	    &t));
	assert_int_equal(t, T0);
	assert_true(leases_parse_time("1796605200", 10, &t));
	assert_int_equal(t, T0);
	assert_true(leases_parse_time("1970-01-01T00:00:00Z", 20, &t));
	assert_int_equal(t, 0);
	assert_true(leases_parse_time("2000-03-01T00:00:00Z", 20, &t));
	assert_int_equal(t, 951868800);
	assert_false(leases_parse_time("2026-13-07T01:00:00Z", 20, &t));
	assert_false(leases_parse_time("2026-02-29T01:00:00Z", 20, &t));
	assert_true(leases_parse_time("2028-02-29T01:00:00Z", 20, &t));
	assert_false(leases_parse_time("2026-12-07T01:00:00", 19, &t));
	assert_false(leases_parse_time("2026-12-07T01:00:00Zx", 21, &t));
	assert_false(leases_parse_time("", 0, &t));
	assert_false(leases_parse_time("-5", 2, &t));
	assert_false(leases_parse_time("1234567890123", 13, &t));
}

static void
test_tsv(void **state)
{
	struct leases *lt;
	const struct lease_sub *s;
	struct leases_stats st;

	(void)state;
	lt = with("#start\tend\taddress\tsubscriber\tcontact\n"
	    "2026-12-07T01:00:00Z\t2026-12-07T02:00:05Z\t10.9.0.50\t"
	    "Alice Example\talice@example.net\n"
	    "1796608805\t\t10.9.0.50\tBob Example\tbob@example.net\n"
	    "# a comment\n"
	    "\n"
	    "2026-12-07T00:00:00Z\t\t2001:db8:77::/56\tBäckerei Müller\n"
	    "2026-12-07T00:00:00Z\t\t2001:db8:77:5::/64\tMüller Lab\n"
	    "x\t\t10.9.0.51\tCarol\n"
	    "1796608805\t\t10.9.0.300\tCarol\n"
	    "1796608805\t\t10.9.0.52\n"
	    "1796608805\t1796608805\t10.9.0.53\tDan\n"
	    "1796608805\t\t10.9.0.54\tE\x01ve\n", 0);
	assert_string_equal(who(lt, "10.9.0.50", T0 - 1), "-");
	assert_string_equal(who(lt, "10.9.0.50", T0), "Alice Example");
	assert_string_equal(who(lt, "10.9.0.50", T0 + 3604), "Alice Example");
	assert_string_equal(who(lt, "10.9.0.50", T0 + 3605), "Bob Example");
	assert_string_equal(who(lt, "10.9.0.50", INT64_MAX - 1),
	    "Bob Example");
	assert_string_equal(who(lt, "10.9.0.49", T0 + 3605), "-");
	assert_string_equal(who(lt, "2001:db8:77:ff::1", T0), "Bäckerei Müller");
	assert_string_equal(who(lt, "2001:db8:77:5::1", T0), "Müller Lab");
	assert_string_equal(who(lt, "2001:db8:78::1", T0), "-");
	s = leases_sub(lt, "Bob Example");
	assert_non_null(s);
	assert_string_equal(s->contact, "bob@example.net");
	assert_string_equal(leases_sub(lt, "Bäckerei Müller")->contact, "");
	assert_null(leases_sub(lt, "nobody"));
	leases_stats(lt, &st);
	assert_int_equal(st.leases, 4);
	assert_int_equal(st.bad_lines, 5);
	assert_int_equal(n_warned, 5);
	assert_string_equal(warned[0], "L:8: start is no RFC 3339 time or "
	    "epoch seconds: \"x\"");
	assert_non_null(strstr(warned[1], "L:9: address: "));
	assert_string_equal(warned[2], "L:10: expected start, end, address "
	    "and subscriber, tab-separated");
	assert_string_equal(warned[3], "L:11: the lease ends before it "
	    "starts");
	assert_string_equal(warned[4], "L:12: subscriber holds a control "
	    "byte");
	leases_free(lt);
}

/* A later lease of the same address wins from its start on. */
static void
test_overlap_and_cap(void **state)
{
	struct leases *lt;
	struct leases_stats st;

	(void)state;
	lt = with("#start\tend\taddress\tsubscriber\n"
	    "100\t300\t10.0.0.1\tA\n"
	    "200\t400\t10.0.0.1\tB\n"
	    "200\t250\t10.0.0.2\tC\n", 2);
	assert_string_equal(who(lt, "10.0.0.1", 199), "A");
	assert_string_equal(who(lt, "10.0.0.1", 200), "B");
	assert_string_equal(who(lt, "10.0.0.1", 399), "B");
	assert_string_equal(who(lt, "10.0.0.1", 400), "-");
	assert_string_equal(who(lt, "10.0.0.2", 210), "-");
	leases_stats(lt, &st);
	assert_int_equal(st.leases, 2);
	assert_int_equal(st.refused, 1);
	leases_free(lt);
}

static const char dhcpd[] =
"# The format of this file is documented in the dhcpd.leases(5) manual page.\n"
"authoring-byte-order little-endian;\n"
"\n"
"lease 10.9.1.10 {\n"
"  starts 1 2026/12/07 01:00:00;\n"
"  ends 1 2026/12/07 03:00:00;\n"
"  binding state active;\n"
"  next binding state free;\n"
"  hardware ethernet 52:54:00:AA:BB:01;\n"
"  uid \"\\001RT\\000\\252\\273\\001\";\n"
"  client-hostname \"pc-frontdesk\";\n"
"  on expiry {\n"
"    set x = \"y\";\n"
"  }\n"
"}\n"
"lease 10.9.1.11 {\n"
"  starts 1 2026/12/07 01:00:00;\n"
"  ends 1 2026/12/07 03:00:00;\n"
"  binding state free;\n"
"  hardware ethernet 52:54:00:aa:bb:02;\n"
"}\n"
"lease 10.9.1.12 {\n"
"  starts epoch 1796605200; # Mon Dec 07 01:00:00 2026\n"
"  ends never;\n"
"  binding state active;\n"
"  hardware ethernet 52:54:00:aa:bb:03;\n"
"}\n"
"lease 10.9.1.300 {\n"
"  starts 1 2026/12/07 01:00:00;\n"
"}\n"
"lease 10.9.1.13 {\n"
"  starts 1 2026/13/07 01:00:00;\n"
"  ends 1 2026/12/07 03:00:00;\n"
"}\n"
"host fixed { hardware ethernet 00:11:22:33:44:55; }\n"
"ia-na \"\\001\\000\\000\\000\\000\\001\\000\\001\\036\\217\\003\\004RT\" {\n"
"  cltt 1 2026/12/07 01:00:00;\n"
"  iaaddr 2001:db8:9::1:10 {\n"
"    binding state active;\n"
"    preferred-life 375;\n"
"    max-life 600;\n"
"    ends 1 2026/12/07 01:10:00;\n"
"  }\n"
"}\n"
"ia-pd \"\\002\\000\\000\\000\\000\\003\\000\\001RT\\000\\252\\273\\005\" {\n"
"  cltt 1 2026/12/07 01:00:00;\n"
"  iaprefix 2001:db8:9:100::/56 {\n"
"    binding state active;\n"
"    ends 1 2026/12/07 02:00:00;\n"
"  }\n"
"}\n";

static void
test_dhcpd(void **state)
{
	struct leases *lt;
	struct leases_stats st;

	(void)state;
	assert_int_equal(leases_sniff(dhcpd, sizeof(dhcpd) - 1),
	    LEASES_DHCPD);
	lt = with(dhcpd, 0);
	assert_string_equal(who(lt, "10.9.1.10", T0 + 60), "pc-frontdesk");
	assert_string_equal(who(lt, "10.9.1.10", T0 + 7200), "-");
	assert_string_equal(who(lt, "10.9.1.11", T0 + 60), "-");
	assert_string_equal(who(lt, "10.9.1.12", T0 + 999999),
	    "52:54:00:aa:bb:03");
	assert_string_equal(who(lt, "2001:db8:9::1:10", T0 + 599),
	    "000100011e8f03045254");
	assert_string_equal(who(lt, "2001:db8:9::1:10", T0 + 600), "-");
	assert_string_equal(who(lt, "2001:db8:9:1ff::9", T0 + 1),
	    "00030001525400aabb05");
	leases_stats(lt, &st);
	assert_int_equal(st.leases, 4);
	assert_int_equal(st.not_held, 1);
	assert_int_equal(st.bad_lines, 3);
	assert_string_equal(warned[0], "L:28: lease: no IPv4 address: "
	    "\"10.9.1.300\"");
	assert_string_equal(warned[1], "L:32: starts is no time: "
	    "\"1 2026/13/07 01:00:00\"");
	assert_string_equal(warned[2], "L:34: the lease block ending here "
	    "has no starts or ends");
	leases_free(lt);
}

static void
test_kea(void **state)
{
	static const char v4[] =
	    "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	    "fqdn_fwd,fqdn_rev,hostname,state,user_context\n"
	    "10.9.2.10,52:54:00:aa:bb:10,01:52:54,3600,1796608800,1,0,0,"
	    "laptop-10.example.,0,\n"
	    "10.9.2.11,52:54:00:AA:BB:11,,3600,1796608800,1,0,0,,0,\n"
	    "10.9.2.12,52:54:00:aa:bb:12,,3600,1796608800,1,0,0,x,1,\n"
	    "10.9.2.bad,52:54:00:aa:bb:13,,3600,1796608800,1,0,0,x,0,\n"
	    "10.9.2.14,52:54:00:aa:bb:14,,x,1796608800,1,0,0,x,0,\n"
	    "10.9.2.15,,,4294967295,1796608800,1,0,0,forever,0,\n";
	static const char v6[] =
	    "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,"
	    "lease_type,iaid,prefix_len,fqdn_fwd,fqdn_rev,hostname,hwaddr,"
	    "state,user_context,hwtype,hwaddr_source\n"
	    "2001:db8:9::20,00:01:00:01:1e:8f,3600,1796608800,1,1800,0,1,128,"
	    "0,0,,,0,,,\n"
	    "2001:db8:9:200::,00:01:00:01,3600,1796608800,1,1800,2,2,56,0,0,"
	    "router-21,,0,,,\n"
	    "2001:db8:9:300::,00:01,3600,1796608800,1,1800,2,2,200,0,0,r,,0,"
	    ",,\n";
	struct leases *lt;
	struct leases_stats st;

	(void)state;
	assert_int_equal(leases_sniff(v4, sizeof(v4) - 1), LEASES_KEA4);
	assert_int_equal(leases_sniff(v6, sizeof(v6) - 1), LEASES_KEA6);
	lt = with(v4, 0);
	assert_int_equal(n_warned, 2);
	assert_string_equal(warned[0], "L:5: no IPv4 or IPv6 address: "
	    "\"10.9.2.bad\"");
	assert_string_equal(warned[1], "L:6: valid_lifetime or expire is no "
	    "number");
	assert_int_equal(leases_load_buf(lt, v6, sizeof(v6) - 1, "L6",
	    errbuf), ERR_OK);
	assert_int_equal(n_warned, 3);
	assert_string_equal(warned[2], "L6:4: prefix_len is no number up to "
	    "128");
	assert_int_equal(leases_finish(lt), ERR_OK);
	assert_string_equal(who(lt, "10.9.2.10", T0), "laptop-10.example");
	assert_string_equal(who(lt, "10.9.2.10", T0 - 1), "-");
	assert_string_equal(who(lt, "10.9.2.10", T0 + 3600), "-");
	assert_string_equal(who(lt, "10.9.2.11", T0), "52:54:00:aa:bb:11");
	assert_string_equal(who(lt, "10.9.2.12", T0), "-");
	assert_string_equal(who(lt, "10.9.2.15", T0 + 99999999), "forever");
	assert_string_equal(who(lt, "2001:db8:9::20", T0 + 5),
	    "00:01:00:01:1e:8f");
	assert_string_equal(who(lt, "2001:db8:9:2ff::1", T0 + 5),
	    "router-21");
	leases_stats(lt, &st);
	assert_int_equal(st.leases, 5);
	assert_int_equal(st.not_held, 1);
	assert_int_equal(st.files, 2);
	leases_free(lt);
}

static void
test_sniff_and_errors(void **state)
{
	struct leases *lt = leases_new(0);

	(void)state;
	assert_int_equal(leases_sniff("", 0), LEASES_UNKNOWN);
	assert_int_equal(leases_sniff("10.0.0.0/8 net\n", 15),
	    LEASES_UNKNOWN);
	assert_int_equal(leases_sniff("# dhcpd.leases\n", 15), LEASES_DHCPD);
	assert_int_equal(leases_sniff("\n#start\tend\n", 12), LEASES_TSV);
	assert_int_equal(leases_load_buf(lt, "x y\n", 4, "N", errbuf),
	    ERR_UNSUPPORTED);
	assert_non_null(strstr(errbuf, "N: not a lease file"));
	assert_int_equal(leases_load_file(lt, "/nonexistent/leases",
	    errbuf), ERR_IO);
	assert_string_equal(errbuf, "/nonexistent/leases: No such file or "
	    "directory");
	assert_string_equal(leases_format_name(LEASES_KEA6), "kea6");
	leases_free(lt);
	leases_free(NULL);
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/test_leases_XXXXXX";
	struct leases *lt = leases_new(0);
	struct leases_stats st;
	FILE *fp;
	int fd, i;

	(void)state;
	n_warned = 0;
	leases_set_warn(lt, on_warn, NULL);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs("#start\tend\taddress\tsubscriber\r\n", fp);
	for (i = 0; i < 5000; i++)		/* a line over 4095 bytes */
		fputc('x', fp);
	fputs("\n100\t200\t10.0.0.1\tA\r\n100\t200\t10.0.0.2\tB", fp);
	fclose(fp);
	assert_int_equal(leases_load_file(lt, path, errbuf), ERR_OK);
	assert_int_equal(leases_finish(lt), ERR_OK);
	assert_string_equal(who(lt, "10.0.0.1", 150), "A");
	assert_string_equal(who(lt, "10.0.0.2", 150), "B");
	leases_stats(lt, &st);
	assert_int_equal(st.leases, 2);
	assert_int_equal(st.bad_lines, 1);
	assert_int_equal(n_warned, 1);
	assert_true(strncmp(warned[0], path, strlen(path)) == 0);
	assert_string_equal(warned[0] + strlen(path),
	    ":2: longer than 4095 bytes");
	unlink(path);
	leases_free(lt);
}

/* Every prefix of each format in a block of its exact size (for ASan). */
static void
test_every_prefix(void **state)
{
	static const char tsv[] = "#start\tend\taddress\tsubscriber\tc\n"
	    "2026-12-07T01:00:00+01:00\t\t2001:db8::/48\tA\tx@y\n";
	const char *texts[] = { dhcpd, tsv };
	struct leases *lt;
	size_t t, len;
	char *buf;

	(void)state;
	for (t = 0; t < 2; t++) {
		for (len = 0; len <= strlen(texts[t]); len++) {
			assert_non_null(buf = malloc(len ? len : 1));
			memcpy(buf, texts[t], len);
			assert_non_null(lt = leases_new(0));
			(void)leases_load_buf(lt, buf, len, "P", errbuf);
			assert_int_equal(leases_finish(lt), ERR_OK);
			(void)who(lt, "2001:db8::1", T0);
			leases_free(lt);
			free(buf);
		}
	}
}

/* ---- the aggregate with leases (aggregate_sub.c) --------------------- */

static const struct match_sig sig_upd = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'A', "vendor", "",
	"test", 1,
};

static void
add_obs(struct aggregate *ag, const char *client, const char *server,
    enum obs_kind kind, int64_t sec, uint64_t frame)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = "a.pcap";
	o.frame = frame;
	o.ts_sec = sec;
	assert_true(addr_parse(&o.client, client));
	assert_true(addr_parse(&o.server, server));
	o.proto = 17;
	o.kind = kind;
	o.name = "s1.upd.kaspersky.com";
	o.name_len = strlen(o.name);
	assert_int_equal(aggregate_add(ag, &o, &sig_upd), ERR_OK);
}

static const char subs_tsv[] =
    "#start\tend\taddress\tsubscriber\tcontact\n"
    "100\t200\t10.0.0.5\tAlice\ta@x\n"
    "200\t\t10.0.0.5\tBob\tb@x\n"
    "0\t\t10.0.0.53\tResolver Co\n";

/* One address, two subscribers: two hosts; a third without a lease. */
static void
test_aggregate_keys(void **state)
{
	struct leases *lt = with(subs_tsv, 0);
	struct aggregate *ag = aggregate_new(8);
	const struct agg_net *net;
	const struct agg_host *h;

	(void)state;
	assert_non_null(ag);
	aggregate_set_leases(ag, lt);
	add_obs(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_QUERY, 150, 1);
	add_obs(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_QUERY, 199, 2);
	add_obs(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_QUERY, 250, 3);
	add_obs(ag, "10.0.0.6", "10.0.0.53", OBS_DNS_QUERY, 250, 4);
	add_obs(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_ANSWER, 260, 5);
	assert_int_equal(aggregate_no_lease(ag), 1);
	assert_true(aggregate_has_subscribers(ag));
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_n_hosts(ag), 3);
	net = aggregate_net(ag, 0);
	assert_int_equal(net->n_hosts, 3);
	assert_string_equal(net->hosts[0]->subscriber, "Alice");
	assert_int_equal(net->hosts[0]->n_obs, 2);
	assert_string_equal(net->hosts[1]->subscriber, "Bob");
	assert_int_equal(net->hosts[1]->n_obs, 2);
	assert_null(net->hosts[2]->subscriber);
	/* The DNS server, keyed by its own lease too. */
	assert_int_equal(aggregate_n_resolvers(ag), 1);
	h = aggregate_resolver(ag, 0);
	assert_string_equal(h->subscriber, "Resolver Co");
	assert_int_equal(h->answered_hosts, 1);

	/* --group-by subscriber: Alice, Bob, then the /24. */
	aggregate_group_by_subscriber(ag, true, lt);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_n_nets(ag), 3);
	net = aggregate_net(ag, 0);
	assert_string_equal(net->name, "Alice");
	assert_string_equal(net->contacts, "a@x");
	assert_string_equal(net->cidr, "10.0.0.5/32");
	assert_true(net->listed);
	net = aggregate_net(ag, 1);
	assert_string_equal(net->name, "Bob");
	net = aggregate_net(ag, 2);
	assert_string_equal(net->name, "10.0.0.0/24");
	assert_false(net->listed);
	/* The table may go: the aggregate has its own copies. */
	aggregate_set_leases(ag, NULL);
	aggregate_group_by_subscriber(ag, true, NULL);
	leases_free(lt);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_string_equal(aggregate_net(ag, 0)->name, "Alice");
	assert_string_equal(aggregate_net(ag, 0)->contacts, "");
	aggregate_free(ag);
}

/* merge: records join by address and subscriber; twice in one is bad. */
static void
test_aggregate_merge(void **state)
{
	struct agg_host recs[3];
	struct agg_ref r = { "m.pcap", 1, 100, 0 };
	struct aggregate *ag = aggregate_new(8);
	const struct agg_net *net;
	size_t i;

	(void)state;
	memset(recs, 0, sizeof(recs));
	for (i = 0; i < 3; i++) {
		assert_true(addr_parse(&recs[i].addr, "10.0.0.5"));
		recs[i].n_obs = 1;
		recs[i].by_tier[VERDICT_PRODUCT] = 1;
		recs[i].first = recs[i].last = r;
	}
	recs[0].subscriber = "Alice";
	recs[1].subscriber = "Bob";
	assert_int_equal(aggregate_merge(ag, recs, 3, 0), ERR_OK);
	assert_int_equal(aggregate_merge(ag, recs, 2, 0), ERR_OK);
	recs[2].subscriber = "Alice";
	assert_int_equal(aggregate_merge(ag, recs, 3, 0), ERR_MALFORMED);
	aggregate_add_no_lease(ag, 4);
	assert_int_equal(aggregate_no_lease(ag), 4);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	net = aggregate_net(ag, 0);
	assert_int_equal(net->n_hosts, 3);
	assert_null(net->hosts[0]->subscriber);
	assert_string_equal(net->hosts[1]->subscriber, "Alice");
	assert_int_equal(net->hosts[1]->n_obs, 2);
	assert_string_equal(net->hosts[2]->subscriber, "Bob");
	aggregate_free(ag);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_tsv),
		cmocka_unit_test(test_overlap_and_cap),
		cmocka_unit_test(test_dhcpd),
		cmocka_unit_test(test_kea),
		cmocka_unit_test(test_sniff_and_errors),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_aggregate_keys),
		cmocka_unit_test(test_aggregate_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
