/* test_diff.c - unit tests for diff.c: hosts paired per network by
 * address, in the new audit's network order, in each format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "netmap.h"

static const struct match_sig sig_update = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'A', "vendor", "",
	"test", 1,
};

static void
add(struct aggregate *ag, const char *client, int64_t sec)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = "a.pcap";
	o.frame = 1;
	o.ts_sec = sec;
	assert_true(addr_parse(&o.client, client));
	assert_true(addr_parse(&o.server, "192.0.2.53"));
	o.client_port = 40000;
	o.server_port = 53;
	o.proto = 17;
	o.kind = OBS_DNS_QUERY;
	o.name = "s1.upd.kaspersky.com";
	o.name_len = strlen(o.name);
	assert_int_equal(aggregate_add(ag, &o, &sig_update), ERR_OK);
}

static char *
run(enum diff_format fmt, struct aggregate *old, struct aggregate *new_)
{
	struct report_meta m;
	struct diff_side a = { "old.json", old, &m };
	struct diff_side b = { "new.json", new_, &m };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	memset(&m, 0, sizeof(m));
	assert_non_null(fp = open_memstream(&buf, &len));
	assert_int_equal(diff_write(fp, fmt, &a, &b), ERR_OK);
	fclose(fp);
	return buf;
}

static void
test_pairs(void **state)
{
	static const char nets[] =
	    "10.1.0.0/16 \"Acme, Inc\" noc@acme.example\n"
	    "fd00:1::/48 \"Acme, Inc\"\n"
	    "10.2.0.0/16 Beta\n";
	struct aggregate *old = aggregate_new(8), *new_ = aggregate_new(8);
	struct netmap *nm = netmap_new();
	char errbuf[ERRBUF_LEN], *t;

	(void)state;
	assert_int_equal(netmap_load_buf(nm, nets, strlen(nets), "n",
	    errbuf), ERR_OK);
	add(old, "10.1.0.1", 100);		/* still */
	add(old, "10.2.0.9", 100);		/* gone: Beta only in old */
	add(old, "fd00:1::5", 100);		/* gone */
	add(new_, "10.1.0.1", 200);
	add(new_, "fd00:1::7", 200);		/* new */
	add(new_, "10.9.9.9", 200);		/* new, unlisted */
	assert_int_equal(aggregate_finish(old, nm, 24, 64), ERR_OK);
	assert_int_equal(aggregate_finish(new_, nm, 24, 64), ERR_OK);

	t = run(DIFF_TEXT, old, new_);
	assert_non_null(strstr(t, "Hosts       2 new, 2 gone, 1 still "
	    "active\n"));
	/* New's order (Acme, 10.9.9.0/24), then Beta; by address within. */
	assert_non_null(strstr(t, "\nNetwork Acme, Inc (10.1.0.0/16, "
	    "fd00:1::/48)\n  1 new, 1 gone, 1 still active\n"
	    "  Contacts: noc@acme.example\n"
	    "  still  10.1.0.1   product-active  last "
	    "1970-01-01T00:03:20.000000Z  (before: 1970-01-01T00:01:40.000000Z,"
	    " product-active)\n"
	    "  gone   fd00:1::5  product-active  last "
	    "1970-01-01T00:01:40.000000Z\n"
	    "  new    fd00:1::7  product-active  last "
	    "1970-01-01T00:03:20.000000Z\n"));
	assert_true(strstr(t, "Network 10.9.9.0/24") < strstr(t,
	    "Network Beta"));
	free(t);

	t = run(DIFF_CSV, old, new_);
	assert_non_null(strstr(t, "10.2.0.0/16,Beta,10.2.0.9,gone,,,"
	    "product-active,1970-01-01T00:01:40.000000Z,,\r\n"));
	assert_non_null(strstr(t, "\"Acme, Inc\",10.1.0.1,still,"));
	free(t);

	t = run(DIFF_JSON, old, new_);
	assert_non_null(strstr(t, "\"hosts\": {\n    \"new\": 2,\n"
	    "    \"gone\": 2,\n    \"still\": 1\n  }"));
	assert_non_null(strstr(t, "\"prefixes\": [\n        \"10.1.0.0/16\","
	    "\n        \"fd00:1::/48\"\n      ]"));
	free(t);

	aggregate_free(old);
	aggregate_free(new_);
	netmap_free(nm);
}

/* Nothing on either side: a header and zero counts, no network. */
static void
test_empty(void **state)
{
	struct aggregate *a = aggregate_new(8), *b = aggregate_new(8);
	char *t;

	(void)state;
	assert_int_equal(aggregate_finish(a, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_finish(b, NULL, 24, 64), ERR_OK);
	t = run(DIFF_TEXT, a, b);
	assert_non_null(strstr(t, "0 new, 0 gone, 0 still active\n"));
	assert_null(strstr(t, "Network"));
	free(t);
	t = run(DIFF_JSON, a, b);
	assert_non_null(strstr(t, "\"networks\": []"));
	free(t);
	aggregate_free(a);
	aggregate_free(b);
}

/* With a per-day history (live state): the days each host made contact. */
static void
test_days(void **state)
{
	struct aggregate *old = aggregate_new(8), *new_ = aggregate_new(8);
	char *t;

	(void)state;
	aggregate_set_days(old, true);
	aggregate_set_days(new_, true);
	add(old, "10.1.0.1", 100);
	add(new_, "10.1.0.1", 100);
	add(new_, "10.1.0.1", 86400 + 100);
	add(new_, "10.1.0.1", 3 * 86400 + 100);
	add(new_, "10.1.0.2", 86400 + 100);
	assert_int_equal(aggregate_finish(old, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_finish(new_, NULL, 24, 64), ERR_OK);

	t = run(DIFF_TEXT, old, new_);
	assert_non_null(strstr(t, "  still  10.1.0.1  product-active  last "
	    "1970-01-04T00:01:40.000000Z  on 3 days  (before: "));
	assert_non_null(strstr(t, "  new    10.1.0.2  product-active  last "
	    "1970-01-02T00:01:40.000000Z  on 1 day\n"));
	free(t);
	t = run(DIFF_CSV, old, new_);
	assert_non_null(strstr(t, ",old_last_seen,days_active,subscriber\r\n"));
	assert_non_null(strstr(t, "10.1.0.1,still,product-active,"
	    "1970-01-04T00:01:40.000000Z,product-active,"
	    "1970-01-01T00:01:40.000000Z,3,\r\n"));
	free(t);
	t = run(DIFF_JSON, old, new_);
	assert_non_null(strstr(t, "\"days_active\": 3\n"));
	free(t);
	aggregate_free(old);
	aggregate_free(new_);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
