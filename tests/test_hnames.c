/* test_hnames.c - machine names: the safe text and newest-first list
 * (hname.c), the address table (hnames.c), the hosts' lists (aggregate). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "hname.h"
#include "hnames.h"

static struct addr
A(const char *s)
{
	struct addr a;

	assert_true(addr_parse(&a, s));
	return a;
}

static struct hname
H(const char *name, unsigned src, unsigned type, int64_t t)
{
	struct hname h;

	memset(&h, 0, sizeof(h));
	assert_true(hname_set_wire(&h, (const uint8_t *)name, strlen(name)));
	h.src = (uint8_t)src;
	h.type = (uint8_t)type;
	h.last_sec = t;
	return h;
}

static void
test_safe_text(void **state)
{
	static const uint8_t raw[] = "a\\b\n\xff\xc3\xa9\x7f";
	uint8_t big[400];
	struct hname h;

	(void)state;
	assert_true(hname_set_wire(&h, raw, sizeof(raw) - 1));
	assert_string_equal(h.name, "a\\\\b\\010\\255\xc3\xa9\\127");
	assert_false(hname_set_wire(&h, raw, 0));
	/* Cut at a whole character. */
	memset(big, 0xff, sizeof(big));
	assert_true(hname_set_wire(&h, big, sizeof(big)));
	assert_int_equal(strlen(h.name), 124);
	/* Text read back: control bytes and bad UTF-8 as '?'. */
	assert_true(hname_set_text(&h, "x\x01\xff\xc3\xa9", 5));
	assert_string_equal(h.name, "x??\xc3\xa9");
	assert_int_equal(hname_src_parse("netbios"), HN_NETBIOS);
	assert_int_equal(hname_src_parse("nope"), -1);
	assert_int_equal(hname_type_parse("user-agent"), HT_USER_AGENT);
	assert_string_equal(hname_src_name(HN_SRC_N), "?");
}

static void
test_list(void **state)
{
	struct hname list[HNAME_MAX], h;
	size_t n = 0, i;
	char nm[8];

	(void)state;
	h = H("a", HN_DHCP, HT_HOSTNAME, 10);
	assert_true(hname_put(list, &n, &h));
	h = H("b", HN_MDNS, HT_HOSTNAME, 20);
	assert_true(hname_put(list, &n, &h));
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "b");
	/* Heard again later: moves to the front, once. */
	h = H("a", HN_DHCP, HT_HOSTNAME, 30);
	assert_true(hname_put(list, &n, &h));
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "a");
	assert_int_equal(list[0].last_sec, 30);
	/* An older sighting changes nothing. */
	h = H("a", HN_DHCP, HT_HOSTNAME, 5);
	assert_false(hname_put(list, &n, &h));
	/* The same text from another source is another entry. */
	h = H("a", HN_NETBIOS, HT_NB_WORKSTATION, 30);
	assert_true(hname_put(list, &n, &h));
	assert_int_equal(n, 3);
	/* Full: the oldest goes; one older than all is not taken. */
	for (i = 0; i < 10; i++) {
		snprintf(nm, sizeof(nm), "n%zu", i);
		h = H(nm, HN_LLMNR, HT_HOSTNAME, 100 + (int64_t)i);
		(void)hname_put(list, &n, &h);
	}
	assert_int_equal(n, HNAME_MAX);
	assert_string_equal(list[0].name, "n9");
	assert_string_equal(list[HNAME_MAX - 1].name, "n2");
	h = H("old", HN_DHCP, HT_HOSTNAME, 1);
	assert_false(hname_put(list, &n, &h));
	for (i = 1; i < n; i++)
		assert_true(list[i - 1].last_sec >= list[i].last_sec);
}

static struct addr	 cb_addr;
static size_t		 cb_n, cb_calls;

static void
on_learn(void *arg, const struct addr *a, const uint8_t *mac,
    const struct hname *list, size_t n)
{
	(void)arg;
	(void)mac;
	(void)list;
	cb_addr = *a;
	cb_n = n;
	cb_calls++;
}

static void
test_table(void **state)
{
	static const uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t m2[6] = { 2, 0, 0, 0, 0, 2 };
	struct hnames_stats st;
	const struct hname *list;
	struct hnames *t;
	struct addr a = A("10.0.0.1"), b = A("10.0.0.2"), c = A("2001:db8::3");

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_non_null(t = hnames_new(2, &st, on_learn, NULL));
	hnames_learn(t, &a, m1, HN_DHCP, HT_HOSTNAME,
	    (const uint8_t *)"PC-1", 4, 10);
	assert_int_equal(cb_calls, 1);
	assert_true(addr_eq(&cb_addr, &a));
	hnames_learn(t, &a, m1, HN_DHCP, HT_FQDN,
	    (const uint8_t *)"pc-1.corp", 9, 11);
	assert_int_equal(cb_n, 2);
	assert_int_equal(hnames_of(t, &a, m1, &list), 2);
	assert_string_equal(list[0].name, "pc-1.corp");
	assert_int_equal(hnames_of(t, &a, NULL, &list), 2);
	/* Seen with another MAC: the address changed hands. */
	assert_int_equal(hnames_of(t, &a, m2, &list), 0);
	assert_int_equal(st.owner_changed, 1);
	assert_int_equal(hnames_of(t, &a, m2, &list), 0);
	hnames_learn(t, &a, m2, HN_NETBIOS, HT_NB_WORKSTATION,
	    (const uint8_t *)"PC-2", 4, 12);
	assert_int_equal(hnames_of(t, &a, m2, &list), 1);
	assert_string_equal(list[0].name, "PC-2");
	/* The cap: a third address is refused and counted. */
	hnames_learn(t, &b, NULL, HN_MDNS, HT_HOSTNAME,
	    (const uint8_t *)"b.local", 7, 13);
	hnames_learn(t, &c, NULL, HN_MDNS, HT_HOSTNAME,
	    (const uint8_t *)"c.local", 7, 13);
	assert_int_equal(st.refused, 1);
	assert_int_equal(st.addrs, 2);
	assert_int_equal(hnames_of(t, &c, NULL, &list), 0);
	assert_int_equal(st.learned, 4);
	/* Empty names and addresses of no family are no names. */
	hnames_learn(t, &b, NULL, HN_MDNS, HT_HOSTNAME, NULL, 0, 14);
	assert_int_equal(st.learned, 4);
	hnames_free(t);
	hnames_free(NULL);
}

static const struct match_sig sig_update = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'A', "vendor", "",
	"test", 1,
};

static const struct agg_host *
host_of(struct aggregate *ag, const char *addr)
{
	struct addr a = A(addr);
	const struct agg_net *net;
	size_t i, j;

	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	for (i = 0; i < aggregate_n_nets(ag); i++) {
		net = aggregate_net(ag, i);
		for (j = 0; j < net->n_hosts; j++)
			if (addr_eq(&net->hosts[j]->addr, &a))
				return net->hosts[j];
	}
	return NULL;
}

static void
test_aggregate(void **state)
{
	static const uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t m2[6] = { 2, 0, 0, 0, 0, 2 };
	struct aggregate *ag, *ag2;
	const struct agg_host *h;
	struct agg_host rec;
	struct hname l1[2], l2[1], l3[1];
	struct addr a = A("10.0.0.1");
	struct obs o;

	(void)state;
	l1[0] = H("PC-1", HN_DHCP, HT_HOSTNAME, 10);
	l1[1] = H("pc-1.corp", HN_DHCP, HT_FQDN, 9);
	l2[0] = H("PC-2", HN_DHCP, HT_HOSTNAME, 20);
	l3[0] = H("PC-1", HN_DHCP, HT_HOSTNAME, 40);
	assert_non_null(ag = aggregate_new(8));
	/* No host yet: learned names are not made into one. */
	assert_int_equal(aggregate_hnames(ag, &a, m1, l1, 2, false),
	    ERR_NOTFOUND);
	memset(&o, 0, sizeof(o));
	o.file = "a.pcap";
	o.frame = 1;
	o.ts_sec = 5;
	o.client = a;
	o.server = A("10.0.0.53");
	o.has_mac = true;
	memcpy(o.mac, m1, 6);
	o.kind = OBS_DNS_QUERY;
	o.name = "s.upd.kaspersky.com";
	o.name_len = strlen(o.name);
	assert_int_equal(aggregate_add(ag, &o, &sig_update), ERR_OK);
	assert_int_equal(aggregate_hnames(ag, &a, m1, l1, 2, false), ERR_OK);
	h = host_of(ag, "10.0.0.1");
	assert_int_equal(h->n_hnames, 2);
	assert_string_equal(h->hnames[0].name, "PC-1");
	/* A MAC the host was never seen with: not its names. */
	assert_int_equal(aggregate_hnames(ag, &a, m2, l2, 1, false),
	    ERR_NOTFOUND);
	/* Seen with m2 (a match): m2's names replace m1's. */
	assert_int_equal(aggregate_hnames(ag, &a, m2, l2, 1, true), ERR_OK);
	h = host_of(ag, "10.0.0.1");
	assert_int_equal(h->n_hnames, 1);
	assert_string_equal(h->hnames[0].name, "PC-2");

	/* Merged: the newest first, at most HNAME_MAX, whatever the order. */
	assert_non_null(ag2 = aggregate_new(8));
	memcpy(&rec, h, sizeof(rec));
	rec.hnames = l3;
	rec.n_hnames = 1;
	rec.names = NULL;
	rec.n_names = 0;
	assert_int_equal(aggregate_merge(ag2, &rec, 1, 0), ERR_OK);
	rec.hnames = l2;
	rec.addr = A("10.0.0.9");
	assert_int_equal(aggregate_merge(ag2, &rec, 1, 0), ERR_OK);
	rec.addr = a;
	rec.hnames = l1;
	rec.n_hnames = 2;
	rec.n_obs = 0;
	assert_int_equal(aggregate_merge(ag2, &rec, 1, 0), ERR_OK);
	h = host_of(ag2, "10.0.0.1");
	assert_non_null(h);
	assert_int_equal(h->n_hnames, 2);	/* PC-1 once, the later time */
	assert_string_equal(h->hnames[0].name, "PC-1");
	assert_int_equal(h->hnames[0].last_sec, 40);
	assert_string_equal(h->hnames[1].name, "pc-1.corp");
	/* A record with names but no array is refused. */
	rec.hnames = NULL;
	assert_int_equal(aggregate_merge(ag2, &rec, 1, 0), ERR_MALFORMED);
	aggregate_free(ag2);
	aggregate_free(ag);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_text),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_aggregate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
