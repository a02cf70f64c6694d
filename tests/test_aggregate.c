/* test_aggregate.c - unit tests for aggregate.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"

/* Signatures filled by hand: the aggregate only borrows the pointers. */
static const struct match_sig sig_update = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'A', "vendor", "",
	"test", 1,
};
static const struct match_sig sig_ksn = {
	"ksn.kaspersky-labs.com", MK_SUFFIX, CAT_TELEMETRY, 'A', "", "",
	"test", 2,
};
static const struct match_sig sig_mgmt = {
	"ksc.kaspersky.com", MK_SUFFIX, CAT_MANAGEMENT, 'B', "", "", "test", 3,
};
static const struct match_sig sig_web = {
	"www.kaspersky.com", MK_SUFFIX, CAT_WEB, 'A', "", "", "test", 4,
};
static const struct match_sig sig_pki = {
	"crl.kaspersky.com", MK_SUFFIX, CAT_PKI, 'B', "", "", "test", 5,
};
static const struct match_sig sig_other = {
	"kaspersky.com", MK_SUFFIX, CAT_OTHER, 'C', "", "", "test", 6,
};
static const struct match_sig sig_all = {
	".", MK_ALL, CAT_OTHER, '-', "", "", "test", 7,
};

static struct addr
A(const char *s)
{
	struct addr a;

	assert_true(addr_parse(&a, s));
	return a;
}

static struct obs
mkobs(const char *client, const char *server, enum obs_kind kind,
    const char *name, int64_t sec, uint64_t frame)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = "a.pcap";
	o.frame = frame;
	o.ts_sec = sec;
	o.ts_nsec = 0;
	o.client = A(client);
	o.server = A(server);
	o.client_port = 40000;
	o.server_port = 53;
	o.proto = 17;
	o.kind = kind;
	o.name = name;
	o.name_len = strlen(name);
	return o;
}

static void
add(struct aggregate *ag, const char *client, const char *server,
    enum obs_kind kind, const char *name, const struct match_sig *sig,
    int64_t sec, uint64_t frame)
{
	struct obs o = mkobs(client, server, kind, name, sec, frame);

	assert_int_equal(aggregate_add(ag, &o, sig), ERR_OK);
}

static const struct agg_host *
find_host(const struct aggregate *ag, const char *addr)
{
	struct addr a = A(addr);
	const struct agg_net *net;
	size_t i, j;

	for (i = 0; i < aggregate_n_nets(ag); i++) {
		net = aggregate_net(ag, i);
		for (j = 0; j < net->n_hosts; j++)
			if (addr_eq(&net->hosts[j]->addr, &a))
				return net->hosts[j];
	}
	return NULL;
}

static const struct agg_name *
find_name(const struct agg_host *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->n_names; i++)
		if (strcmp(h->names[i].name, name) == 0)
			return &h->names[i];
	return NULL;
}

/*
 * Client 10.0.0.5 asks the site resolver 10.0.0.53, which asks 8.8.8.8
 * upstream; both answers are seen.  The client is the only offender; the
 * resolver and 8.8.8.8 answered, so both go to the resolver list.
 */
static void
test_offender_vs_resolver(void **state)
{
	struct aggregate *ag = aggregate_new(64);
	const struct agg_host *h, *r;
	const char *n = "s1.upd.kaspersky.com";

	(void)state;
	assert_non_null(ag);
	add(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_QUERY, n, &sig_update, 10, 1);
	add(ag, "10.0.0.53", "8.8.8.8", OBS_DNS_QUERY, n, &sig_update, 10, 2);
	add(ag, "10.0.0.53", "8.8.8.8", OBS_DNS_ANSWER, n, &sig_update, 11,
	    3);
	add(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_ANSWER, n, &sig_update, 11,
	    4);
	add(ag, "10.0.0.6", "10.0.0.53", OBS_DNS_ANSWER, n, &sig_update, 12,
	    5);
	/* A CNAME target in the same response: still one answer. */
	add(ag, "10.0.0.6", "10.0.0.53", OBS_DNS_ANSWER, "cdn.kaspersky.com",
	    &sig_other, 12, 5);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);

	assert_int_equal(aggregate_n_hosts(ag), 2);
	assert_int_equal(aggregate_n_nets(ag), 1);
	assert_null(find_host(ag, "10.0.0.53"));
	assert_non_null(h = find_host(ag, "10.0.0.5"));
	assert_false(h->is_resolver);
	assert_int_equal(h->n_obs, 2);
	assert_int_equal(h->by_kind[OBS_DNS_QUERY], 1);
	assert_int_equal(h->by_kind[OBS_DNS_ANSWER], 1);
	assert_int_equal(h->names[0].kinds,
	    (1u << OBS_DNS_QUERY) | (1u << OBS_DNS_ANSWER));
	assert_int_equal(h->answered, 0);
	assert_int_equal(find_host(ag, "10.0.0.6")->n_names, 2);

	/* Sorted by address: 8.8.8.8 before 10.0.0.53. */
	assert_int_equal(aggregate_n_resolvers(ag), 2);
	r = aggregate_resolver(ag, 0);
	assert_true(addr_eq(&r->addr, &(struct addr){ 4, { 8, 8, 8, 8 } }));
	assert_true(r->is_resolver);
	assert_int_equal(r->answered, 1);
	assert_int_equal(r->answered_hosts, 1);
	assert_int_equal(r->n_obs, 0);
	assert_int_equal(r->n_names, 0);
	r = aggregate_resolver(ag, 1);
	assert_true(addr_eq(&r->addr,
	    &(struct addr){ 4, { 10, 0, 0, 53 } }));
	assert_true(r->is_resolver);
	assert_int_equal(r->answered, 2);
	assert_int_equal(r->answered_hosts, 2);
	/* Its own upstream lookups are kept. */
	assert_int_equal(r->n_obs, 2);
	assert_int_equal(r->n_names, 1);
	assert_int_equal(r->names[0].count, 2);
	assert_null(aggregate_resolver(ag, 2));
	assert_int_equal(aggregate_by_verdict(ag, VERDICT_PRODUCT), 2);
	assert_int_equal(aggregate_refused(ag), 0);
	aggregate_free(ag);
}

static void
test_verdicts(void **state)
{
	struct aggregate *ag = aggregate_new(64);
	const char *s = "192.0.2.53";

	(void)state;
	assert_non_null(ag);
	add(ag, "192.0.2.1", s, OBS_DNS_QUERY, "a.upd.kaspersky.com",
	    &sig_update, 1, 1);
	add(ag, "192.0.2.1", s, OBS_DNS_QUERY, "www.kaspersky.com", &sig_web,
	    1, 2);
	add(ag, "192.0.2.2", s, OBS_DNS_QUERY, "x.ksn.kaspersky-labs.com",
	    &sig_ksn, 1, 3);
	add(ag, "192.0.2.3", s, OBS_DNS_QUERY, "ksc.kaspersky.com", &sig_mgmt,
	    1, 4);
	add(ag, "192.0.2.4", s, OBS_DNS_QUERY, "www.kaspersky.com", &sig_web,
	    1, 5);
	add(ag, "192.0.2.4", s, OBS_TLS_SNI, "www.kaspersky.com", &sig_web,
	    2, 6);
	add(ag, "192.0.2.5", s, OBS_DNS_QUERY, "www.kaspersky.com", &sig_web,
	    1, 7);
	add(ag, "192.0.2.5", s, OBS_DNS_QUERY, "crl.kaspersky.com", &sig_pki,
	    1, 8);
	add(ag, "192.0.2.6", s, OBS_DNS_QUERY, "crl.kaspersky.com", &sig_pki,
	    1, 9);
	add(ag, "192.0.2.7", s, OBS_DNS_QUERY, "kaspersky.com", &sig_other,
	    1, 10);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);

	assert_int_equal(find_host(ag, "192.0.2.1")->verdict, VERDICT_PRODUCT);
	assert_int_equal(find_host(ag, "192.0.2.2")->verdict, VERDICT_PRODUCT);
	assert_int_equal(find_host(ag, "192.0.2.3")->verdict, VERDICT_PRODUCT);
	assert_int_equal(find_host(ag, "192.0.2.4")->verdict,
	    VERDICT_BROWSING);
	/* Kaspersky PKI seen directly (B): a product is likely; a web name
	 * beside it does not weaken that. */
	assert_int_equal(find_host(ag, "192.0.2.5")->verdict, VERDICT_LIKELY);
	assert_int_equal(find_host(ag, "192.0.2.6")->verdict, VERDICT_LIKELY);
	/* A catch-all name with confidence C only: indirect. */
	assert_int_equal(find_host(ag, "192.0.2.7")->verdict,
	    VERDICT_INDIRECT);
	assert_int_equal(aggregate_by_verdict(ag, VERDICT_PRODUCT), 3);
	assert_int_equal(aggregate_by_verdict(ag, VERDICT_LIKELY), 2);
	assert_int_equal(aggregate_by_verdict(ag, VERDICT_BROWSING), 1);
	assert_int_equal(aggregate_by_verdict(ag, VERDICT_INDIRECT), 1);
	assert_int_equal(aggregate_net(ag, 0)->by_verdict[VERDICT_LIKELY], 2);
	assert_string_equal(verdict_name(VERDICT_PRODUCT), "product-active");
	assert_string_equal(verdict_name(VERDICT_LIKELY), "product-likely");
	assert_string_equal(verdict_name(VERDICT_BROWSING), "browsing-only");
	assert_string_equal(verdict_name(VERDICT_INDIRECT), "indirect");
	assert_int_equal(find_host(ag, "192.0.2.4")->by_cat[CAT_WEB], 2);
	assert_int_equal(find_host(ag, "192.0.2.4")->by_kind[OBS_TLS_SNI], 1);
	aggregate_free(ag);
}

/* The tier of one observation: category, confidence and how it was seen. */
static void
test_tiers(void **state)
{
	static const struct match_sig upd_c = {
		"upd2.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'C', "", "",
		"test", 8,
	};
	static const struct match_sig prefix = {
		"77.74.176.0/21", MK_CIDR, CAT_OTHER, 'C', "", "", "test", 9,
	};
	struct obs o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.kind = OBS_TLS_SNI;
	assert_int_equal(agg_tier(&o, &sig_update), VERDICT_PRODUCT);
	assert_int_equal(agg_tier(&o, &upd_c), VERDICT_LIKELY);
	assert_int_equal(agg_tier(&o, &sig_web), VERDICT_BROWSING);
	o.kind = OBS_DNS_CORRELATED;
	assert_int_equal(agg_tier(&o, &sig_update), VERDICT_LIKELY);
	assert_int_equal(agg_tier(&o, &sig_web), VERDICT_INDIRECT);
	o.kind = OBS_IP_PREFIX;
	assert_int_equal(agg_tier(&o, &prefix), VERDICT_INDIRECT);
	assert_int_equal(agg_tier(&o, &sig_update), VERDICT_INDIRECT);
	o.kind = OBS_KSC_PORT;
	assert_int_equal(agg_tier(&o, &sig_mgmt), VERDICT_INDIRECT);
}

/*
 * UltraAV (category successor): its names alone make "migrated", never a
 * Kaspersky verdict, however they were seen; beside Kaspersky evidence
 * the host keeps its Kaspersky verdict and is flagged as migrated.
 */
static void
test_migrated(void **state)
{
	static const struct match_sig sig_succ = {
		"ultrasecureav.com", MK_SUFFIX, CAT_SUCCESSOR, 'A', "vendor",
		"", "test", 10,
	};
	struct aggregate *ag = aggregate_new(64);
	const char *s = "192.0.2.53";
	const struct agg_host *h;
	struct obs o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.kind = OBS_TLS_SNI;
	assert_int_equal(agg_tier(&o, &sig_succ), VERDICT_MIGRATED);
	o.kind = OBS_DNS_CORRELATED;
	assert_int_equal(agg_tier(&o, &sig_succ), VERDICT_MIGRATED);
	assert_string_equal(verdict_name(VERDICT_MIGRATED), "migrated");
	assert_string_equal(verdict_name(VERDICT_N), "?");

	add(ag, "192.0.2.1", s, OBS_DNS_QUERY, "www.ultrasecureav.com",
	    &sig_succ, 1, 1);
	add(ag, "192.0.2.1", s, OBS_TLS_SNI, "www.ultrasecureav.com",
	    &sig_succ, 2, 2);
	/* Both: Kaspersky first in packet time, UltraAV later. */
	add(ag, "192.0.2.2", s, OBS_DNS_QUERY, "s1.upd.kaspersky.com",
	    &sig_update, 1, 3);
	add(ag, "192.0.2.2", s, OBS_DNS_QUERY, "ultrasecureav.com",
	    &sig_succ, 5, 4);
	/* A Kaspersky web name and UltraAV: browsing, and migrated. */
	add(ag, "192.0.2.3", s, OBS_DNS_QUERY, "www.kaspersky.com", &sig_web,
	    1, 5);
	add(ag, "192.0.2.3", s, OBS_DNS_QUERY, "ultrasecureav.com",
	    &sig_succ, 1, 6);
	add(ag, "192.0.2.4", s, OBS_DNS_QUERY, "s1.upd.kaspersky.com",
	    &sig_update, 1, 7);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);

	h = find_host(ag, "192.0.2.1");
	assert_int_equal(h->verdict, VERDICT_MIGRATED);
	assert_true(agg_host_migrated(h));
	assert_int_equal(h->by_cat[CAT_SUCCESSOR], 2);
	assert_int_equal(h->by_tier[VERDICT_MIGRATED], 2);
	assert_int_equal(h->by_tier[VERDICT_PRODUCT], 0);
	h = find_host(ag, "192.0.2.2");
	assert_int_equal(h->verdict, VERDICT_PRODUCT);
	assert_true(agg_host_migrated(h));
	h = find_host(ag, "192.0.2.3");
	assert_int_equal(h->verdict, VERDICT_BROWSING);
	assert_true(agg_host_migrated(h));
	h = find_host(ag, "192.0.2.4");
	assert_int_equal(h->verdict, VERDICT_PRODUCT);
	assert_false(agg_host_migrated(h));
	assert_int_equal(aggregate_by_verdict(ag, VERDICT_MIGRATED), 1);
	assert_int_equal(aggregate_by_verdict(ag, VERDICT_PRODUCT), 2);
	assert_int_equal(aggregate_by_verdict(ag, VERDICT_BROWSING), 1);
	/* Weakest verdict last within the network. */
	assert_int_equal(aggregate_net(ag, 0)->hosts[3]->verdict,
	    VERDICT_MIGRATED);
	aggregate_free(ag);
}

/* Three names kept; the other distinct names are counted once each. */
static void
test_name_cap(void **state)
{
	static const char *const names[] = {
		"e.kaspersky.com", "a.kaspersky.com", "d.kaspersky.com",
		"b.kaspersky.com", "c.kaspersky.com", "a.kaspersky.com",
		"d.kaspersky.com", "b.kaspersky.com", "f.kaspersky.com",
		"e.kaspersky.com",
	};
	struct aggregate *ag = aggregate_new(3);
	const struct agg_host *h;
	size_t i;

	(void)state;
	assert_non_null(ag);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		add(ag, "198.51.100.7", "198.51.100.1", OBS_DNS_QUERY,
		    names[i], &sig_other, 100 + (int64_t)i, i + 1);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_non_null(h = find_host(ag, "198.51.100.7"));
	assert_int_equal(h->n_obs, 10);
	assert_int_equal(h->n_names, 3);
	/* Kept: the first three distinct, sorted by name. */
	assert_string_equal(h->names[0].name, "a.kaspersky.com");
	assert_string_equal(h->names[1].name, "d.kaspersky.com");
	assert_string_equal(h->names[2].name, "e.kaspersky.com");
	assert_int_equal(h->names[0].count, 2);
	assert_int_equal(h->names[1].count, 2);
	assert_int_equal(h->names[2].count, 2);
	assert_int_equal(h->names[2].first.frame, 1);
	assert_int_equal(h->names[2].last.frame, 10);
	/* b, c, f: each counted once however often it came. */
	assert_int_equal(h->names_dropped, 3);
	aggregate_free(ag);
}

static void
test_no_names_kept(void **state)
{
	struct aggregate *ag = aggregate_new(0);
	const struct agg_host *h;

	(void)state;
	assert_non_null(ag);
	add(ag, "10.0.0.1", "10.0.0.2", OBS_DNS_QUERY, "x.kaspersky.com",
	    &sig_other, 1, 1);
	add(ag, "10.0.0.1", "10.0.0.2", OBS_DNS_QUERY, "x.kaspersky.com",
	    &sig_other, 1, 2);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_non_null(h = find_host(ag, "10.0.0.1"));
	assert_int_equal(h->n_names, 0);
	assert_int_equal(h->names_dropped, 1);
	assert_int_equal(h->n_obs, 2);
	aggregate_free(ag);
}

/* Thousands of names on one host: the per-host index, not a scan. */
static void
test_many_names(void **state)
{
	struct aggregate *ag = aggregate_new(5000);
	const struct agg_host *h;
	char name[64];
	size_t i, round;

	(void)state;
	assert_non_null(ag);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 6000; i++) {
			snprintf(name, sizeof(name), "h%05zu.kaspersky.com",
			    (i * 7919) % 6000);
			add(ag, "2001:db8::1", "2001:db8::53", OBS_DNS_QUERY,
			    name, &sig_all, (int64_t)(round * 10000 + i), i);
		}
	}
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_non_null(h = find_host(ag, "2001:db8::1"));
	assert_int_equal(h->n_names, 5000);
	assert_int_equal(h->names_dropped, 1000);
	assert_int_equal(h->n_obs, 12000);
	for (i = 0; i < h->n_names; i++) {
		assert_int_equal(h->names[i].count, 2);
		if (i > 0)
			assert_true(strcmp(h->names[i - 1].name,
			    h->names[i].name) < 0);
	}
	/* The index survives the sort: adding after finish still finds. */
	snprintf(name, sizeof(name), "%s", h->names[17].name);
	add(ag, "2001:db8::1", "2001:db8::53", OBS_DNS_QUERY, name, &sig_all,
	    99999, 1);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	h = find_host(ag, "2001:db8::1");
	assert_int_equal(h->n_names, 5000);
	assert_int_equal(find_name(h, name)->count, 3);
	aggregate_free(ag);
}

static const char nets_file[] =
    "# site networks\n"
    "10.1.0.0/16 Office noc@example.net abuse@example.net\n"
    "10.1.5.0/24 Lab\n"
    "2001:db8:1::/48 V6-Lab\n";

static void
check_grouping(struct aggregate *ag)
{
	const struct agg_net *net;

	assert_int_equal(aggregate_n_nets(ag), 7);
	assert_int_equal(aggregate_n_hosts(ag), 10);

	net = aggregate_net(ag, 0);
	assert_true(net->listed);
	assert_string_equal(net->name, "Office");
	assert_string_equal(net->cidr, "10.1.0.0/16");
	assert_string_equal(net->contacts,
	    "noc@example.net\nabuse@example.net");
	assert_int_equal(net->n_hosts, 2);
	assert_true(addr_eq(&net->hosts[0]->addr, &(struct addr){ 4,
	    { 10, 1, 2, 3 } }));
	assert_true(addr_eq(&net->hosts[1]->addr, &(struct addr){ 4,
	    { 10, 1, 200, 1 } }));
	assert_ptr_equal(net->hosts[0]->net, net);

	/* Longest prefix wins: 10.1.5.9 is in the Lab, not the Office. */
	net = aggregate_net(ag, 1);
	assert_true(net->listed);
	assert_string_equal(net->name, "Lab");
	assert_string_equal(net->cidr, "10.1.5.0/24");
	assert_string_equal(net->contacts, "");
	assert_int_equal(net->n_hosts, 1);

	net = aggregate_net(ag, 2);
	assert_true(net->listed);
	assert_string_equal(net->name, "V6-Lab");
	assert_string_equal(net->cidr, "2001:db8:1::/48");
	assert_int_equal(net->n_hosts, 1);

	net = aggregate_net(ag, 3);
	assert_false(net->listed);
	assert_string_equal(net->name, "192.0.2.0/24");
	assert_string_equal(net->cidr, "192.0.2.0/24");
	assert_string_equal(net->contacts, "");
	assert_int_equal(net->n_hosts, 2);
	assert_true(addr_eq(&net->hosts[0]->addr, &(struct addr){ 4,
	    { 192, 0, 2, 7 } }));
	assert_true(addr_eq(&net->hosts[1]->addr, &(struct addr){ 4,
	    { 192, 0, 2, 200 } }));

	net = aggregate_net(ag, 4);
	assert_string_equal(net->name, "198.51.100.0/24");
	assert_int_equal(net->n_hosts, 1);

	net = aggregate_net(ag, 5);
	assert_false(net->listed);
	assert_string_equal(net->name, "2001:db8:2:3::/64");
	assert_int_equal(net->n_hosts, 2);

	net = aggregate_net(ag, 6);
	assert_string_equal(net->name, "2001:db8:2:4::/64");
	assert_int_equal(net->n_hosts, 1);
	assert_null(aggregate_net(ag, 7));
}

static const char *const group_hosts[] = {
	"2001:db8:2:3:ffff::2", "192.0.2.200", "10.1.200.1", "198.51.100.1",
	"2001:db8:1::5", "10.1.5.9", "2001:db8:2:4::1", "192.0.2.7",
	"2001:db8:2:3::1", "10.1.2.3",
};

static void
test_grouping(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct netmap *nm = netmap_new();
	struct aggregate *ag = aggregate_new(64);
	size_t i;

	(void)state;
	assert_non_null(nm);
	assert_non_null(ag);
	assert_int_equal(netmap_load_buf(nm, nets_file, sizeof(nets_file) - 1,
	    "nets", errbuf), ERR_OK);
	for (i = 0; i < sizeof(group_hosts) / sizeof(group_hosts[0]); i++)
		add(ag, group_hosts[i], "192.0.2.53", OBS_DNS_QUERY,
		    "s1.upd.kaspersky.com", &sig_update, 5, i + 1);
	assert_int_equal(aggregate_finish(ag, nm, 24, 64), ERR_OK);
	check_grouping(ag);
	/* A second finish rebuilds the same thing. */
	assert_int_equal(aggregate_finish(ag, nm, 24, 64), ERR_OK);
	check_grouping(ag);

	/* Without a networks file everything groups by prefix. */
	assert_int_equal(aggregate_finish(ag, NULL, 16, 48), ERR_OK);
	assert_int_equal(aggregate_n_nets(ag), 5);
	assert_string_equal(aggregate_net(ag, 0)->name, "10.1.0.0/16");
	assert_int_equal(aggregate_net(ag, 0)->n_hosts, 3);
	assert_false(aggregate_net(ag, 0)->listed);
	assert_string_equal(aggregate_net(ag, 1)->name, "192.0.0.0/16");
	assert_string_equal(aggregate_net(ag, 2)->name, "198.51.0.0/16");
	assert_string_equal(aggregate_net(ag, 3)->name, "2001:db8:1::/48");
	assert_string_equal(aggregate_net(ag, 4)->name, "2001:db8:2::/48");
	assert_int_equal(aggregate_net(ag, 4)->n_hosts, 3);

	/* Out-of-range prefixes are clamped: one network per host. */
	assert_int_equal(aggregate_finish(ag, NULL, 99, 999), ERR_OK);
	assert_int_equal(aggregate_n_nets(ag), 10);
	assert_string_equal(aggregate_net(ag, 0)->name, "10.1.2.3/32");
	assert_string_equal(aggregate_net(ag, 9)->name,
	    "2001:db8:2:4::1/128");
	aggregate_free(ag);
	netmap_free(nm);
}

/* Everything the writers see, as text, to compare two aggregates. */
static char *
dump(const struct aggregate *ag, bool names)
{
	const struct agg_host *h;
	const struct agg_net *net;
	const struct agg_name *n;
	char ab[ADDR_STRLEN], *buf = NULL;
	size_t len = 0, i, j, k, nr;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	nr = aggregate_n_resolvers(ag);
	for (i = 0; i < aggregate_n_nets(ag) + nr; i++) {
		if (i < aggregate_n_nets(ag)) {
			net = aggregate_net(ag, i);
			fprintf(fp, "net %s %s %s %d %zu\n", net->name,
			    net->cidr, net->contacts, net->listed,
			    net->n_hosts);
		} else {
			net = NULL;
		}
		for (j = 0; j < (net ? net->n_hosts : 1); j++) {
			h = net ? net->hosts[j] :
			    aggregate_resolver(ag, i - aggregate_n_nets(ag));
			fprintf(fp, " host %s mac %d %02x %u vlan %u %u %u "
			    "first %s:%" PRIu64 " last %s:%" PRIu64
			    " obs %" PRIu64 " v %d ans %" PRIu64 " %zu"
			    " drop %" PRIu64 "\n", addr_fmt(&h->addr, ab),
			    h->has_mac, h->mac[5], h->n_macs, h->n_vlan,
			    h->vlan[0], h->vlan[1], h->first.file,
			    h->first.frame, h->last.file, h->last.frame,
			    h->n_obs, h->verdict, h->answered,
			    h->answered_hosts, h->names_dropped);
			for (k = 0; k < CAT_N; k++)
				fprintf(fp, " %" PRIu64, h->by_cat[k]);
			for (k = 0; k < OBS_N; k++)
				fprintf(fp, " %" PRIu64, h->by_kind[k]);
			fprintf(fp, " names %zu\n", h->n_names);
			for (k = 0; names && k < h->n_names; k++) {
				n = &h->names[k];
				fprintf(fp, "  %s %s %" PRIu64 " %x %s:%"
				    PRIu64 " %s:%" PRIu64 "\n", n->name,
				    n->sig->pattern, n->count, n->kinds,
				    n->first.file, n->first.frame,
				    n->last.file, n->last.frame);
			}
		}
	}
	fclose(fp);
	return buf;
}

#define N_ORDER	600

static struct obs order_obs[N_ORDER];
static const struct match_sig *order_sig[N_ORDER];
static char order_names[N_ORDER][32];

static unsigned
lcg(unsigned *x)
{
	*x = *x * 1103515245u + 12345u;
	return (*x >> 16) & 0x7fff;
}

/*
 * Few hosts, names, times and files, drawn independently, so that many
 * observations tie on time and the name cap (8) is reached.  Each one is
 * its own frame, as the observations of one frame arrive together.
 */
static void
make_order_obs(void)
{
	static const char *const files[] = { "b.pcap", "a.pcap", "c.pcapng" };
	static const char *const servers[] = {
		"10.9.0.53", "8.8.4.4", "2001:db8:53::53",
	};
	static const enum obs_kind kinds[] = {
		OBS_DNS_QUERY, OBS_DNS_ANSWER, OBS_TLS_SNI,
	};
	static const struct match_sig *const sigs[] = {
		&sig_update, &sig_web, &sig_pki, &sig_web,
	};
	struct obs *o;
	char client[64];
	unsigned x = 1, h, n;
	size_t i;

	for (i = 0; i < N_ORDER; i++) {
		o = &order_obs[i];
		h = lcg(&x) % 30;
		if (h < 10)
			snprintf(client, sizeof(client), "2001:db8:%x::%x",
			    h % 3, h);
		else
			snprintf(client, sizeof(client), "10.%u.%u.%u",
			    h % 2, h % 3, h);
		n = lcg(&x) % 12;
		snprintf(order_names[i], sizeof(order_names[i]),
		    "n%u.kaspersky.com", n);
		order_sig[i] = sigs[n % 4];
		*o = mkobs(client, servers[lcg(&x) % 3], kinds[lcg(&x) % 3],
		    order_names[i], (int64_t)(lcg(&x) % 6), i + 1);
		o->file = files[lcg(&x) % 3];
		o->ts_nsec = (lcg(&x) % 2) * 500;
		if (lcg(&x) % 4 != 0) {
			o->has_mac = true;
			memcpy(o->mac, "\x02\x00\x00\x00\x00", 5);
			o->mac[5] = (uint8_t)(lcg(&x) % 10);
		}
		if (lcg(&x) % 3 == 0) {
			o->n_vlan = (uint8_t)(lcg(&x) % 3 + 1);
			o->vlan[0] = (uint16_t)(100 + lcg(&x) % 4);
			o->vlan[1] = 7;
			o->vlan[2] = 8;
		}
	}
}

static char *
order_run(const size_t *perm, const struct netmap *nm, size_t max_names)
{
	struct aggregate *ag = aggregate_new(max_names);
	char *s;
	size_t i;

	assert_non_null(ag);
	for (i = 0; i < N_ORDER; i++)
		assert_int_equal(aggregate_add(ag, &order_obs[perm[i]],
		    order_sig[perm[i]]), ERR_OK);
	assert_int_equal(aggregate_finish(ag, nm, 24, 64), ERR_OK);
	/* Over the cap, which names are kept depends on the order. */
	s = dump(ag, max_names >= 12);
	aggregate_free(ag);
	return s;
}

/*
 * The same observations in three orders give the same result.  Over the
 * name cap only the choice of kept names may differ (the first ones
 * added are kept); their number and the dropped count do not.
 */
static void
test_order_independent(void **state)
{
	static const char nf[] = "10.1.0.0/16 One\n2001:db8:1::/48 Six x@y\n";
	char errbuf[ERRBUF_LEN];
	struct netmap *nm = netmap_new();
	size_t perm[3][N_ORDER], i, j, t, cap;
	char *s[3];

	(void)state;
	assert_non_null(nm);
	assert_int_equal(netmap_load_buf(nm, nf, sizeof(nf) - 1, "nf", errbuf),
	    ERR_OK);
	make_order_obs();
	for (i = 0; i < N_ORDER; i++) {
		perm[0][i] = i;
		perm[1][i] = N_ORDER - 1 - i;
		perm[2][i] = i;
	}
	srand(7);
	for (i = N_ORDER - 1; i > 0; i--) {
		j = (size_t)rand() % (i + 1);
		t = perm[2][i];
		perm[2][i] = perm[2][j];
		perm[2][j] = t;
	}
	for (cap = 8; cap <= 64; cap += 56) {
		for (i = 0; i < 3; i++)
			s[i] = order_run(perm[i], nm, cap);
		/* The input does reach the cap of 8 and not that of 64. */
		if (cap == 8) {
			assert_non_null(strstr(s[0], " drop 2\n"));
			assert_null(strstr(s[0], "names 9"));
			assert_null(strstr(s[0], "n11.kaspersky.com"));
		} else {
			assert_non_null(strstr(s[0], "names 12"));
			assert_non_null(strstr(s[0], "n11.kaspersky.com"));
			assert_null(strstr(s[0], " drop 1"));
			assert_null(strstr(s[0], " drop 2"));
		}
		assert_string_equal(s[0], s[1]);
		assert_string_equal(s[0], s[2]);
		for (i = 0; i < 3; i++)
			free(s[i]);
	}
	netmap_free(nm);
}

/* First and last follow packet time, not the order of arrival. */
static void
test_first_last_mac_vlan(void **state)
{
	struct aggregate *ag = aggregate_new(64);
	const struct agg_host *h;
	struct obs o;
	char file[16];
	int i;

	(void)state;
	assert_non_null(ag);
	strcpy(file, "one.pcap");
	o = mkobs("10.0.0.1", "10.0.0.53", OBS_DNS_QUERY, "a.kaspersky.com",
	    10, 5);
	o.file = file;
	o.has_mac = true;
	memcpy(o.mac, "\x02\x00\x00\x00\x00\x05", 6);
	o.n_vlan = 1;
	o.vlan[0] = 50;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_OK);
	/* The file name is borrowed: the aggregate keeps its own copy. */
	strcpy(file, "two.pcap");
	o.ts_sec = 20;
	o.frame = 9;
	o.mac[5] = 2;
	o.n_vlan = 0;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_OK);
	o.ts_sec = 90;
	o.frame = 3;
	o.n_vlan = 3;
	o.vlan[0] = 90;
	o.vlan[1] = 91;
	o.vlan[2] = 92;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_OK);
	/* Same time as the earliest: the file name breaks the tie. */
	o.ts_sec = 10;
	o.frame = 4;
	o.mac[5] = 9;
	o.n_vlan = 0;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_OK);
	/* Ten more MACs: counted up to eight. */
	for (i = 0; i < 10; i++) {
		o.ts_sec = 60;
		o.mac[5] = (uint8_t)(0x40 + i);
		assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_OK);
	}
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_non_null(h = find_host(ag, "10.0.0.1"));
	assert_int_equal(h->first.ts_sec, 10);
	assert_int_equal(h->first.frame, 5);
	assert_string_equal(h->first.file, "one.pcap");
	assert_int_equal(h->last.ts_sec, 90);
	assert_int_equal(h->last.frame, 3);
	assert_string_equal(h->last.file, "two.pcap");
	assert_true(h->has_mac);
	assert_memory_equal(h->mac, "\x02\x00\x00\x00\x00\x05", 6);
	assert_int_equal(h->n_macs, 8);
	/* VLANs from the earliest tagged packet. */
	assert_int_equal(h->n_vlan, 1);
	assert_int_equal(h->vlan[0], 50);
	assert_int_equal(h->names[0].first.frame, 5);
	assert_string_equal(h->names[0].first.file, "one.pcap");
	assert_int_equal(h->names[0].last.ts_sec, 90);
	assert_int_equal(h->names[0].count, 14);
	aggregate_free(ag);
}

static void
test_bad_input(void **state)
{
	struct aggregate *ag = aggregate_new(64);
	struct obs o = mkobs("10.0.0.1", "10.0.0.2", OBS_DNS_QUERY, "x.com",
	    1, 1);

	(void)state;
	assert_non_null(ag);
	assert_int_equal(aggregate_add(ag, &o, NULL), ERR_MALFORMED);
	o.client.family = 0;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_MALFORMED);
	o.client.family = 4;
	o.kind = OBS_N;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_MALFORMED);
	o.kind = OBS_DNS_QUERY;
	/* A NUL inside the name ends it. */
	o.name = "x.com\0junk";
	o.name_len = 10;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_OK);
	o.name_len = 5;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_OK);
	/* A dns-answer without a server address counts for the client. */
	o.kind = OBS_DNS_ANSWER;
	o.server.family = 0;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_OK);
	o.file = NULL;
	assert_int_equal(aggregate_add(ag, &o, &sig_other), ERR_OK);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_n_hosts(ag), 1);
	assert_int_equal(aggregate_n_resolvers(ag), 0);
	assert_int_equal(find_host(ag, "10.0.0.1")->n_names, 1);
	assert_int_equal(find_host(ag, "10.0.0.1")->names[0].count, 4);
	assert_int_equal(aggregate_refused(ag), 0);
	aggregate_free(ag);
	aggregate_free(NULL);
}

static void
test_empty(void **state)
{
	struct aggregate *ag = aggregate_new(64);

	(void)state;
	assert_non_null(ag);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_n_nets(ag), 0);
	assert_int_equal(aggregate_n_hosts(ag), 0);
	assert_int_equal(aggregate_n_resolvers(ag), 0);
	assert_null(aggregate_net(ag, 0));
	assert_null(aggregate_resolver(ag, 0));
	aggregate_free(ag);
}

/* Ten thousand hosts over both families: the table doubles many times. */
static void
test_growth(void **state)
{
	struct aggregate *ag = aggregate_new(4);
	const struct agg_net *net;
	const struct agg_host *prev = NULL, *h;
	char client[64];
	size_t i, j, total = 0, round;

	(void)state;
	assert_non_null(ag);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 10000; i++) {
			if (i % 4 == 0)
				snprintf(client, sizeof(client),
				    "2001:db8:%zx::%zx", i % 9, i);
			else
				snprintf(client, sizeof(client),
				    "10.%zu.%zu.%zu", i / 65536,
				    i / 256 % 256, i % 256);
			add(ag, client, "10.255.255.53", OBS_DNS_QUERY,
			    "s.upd.kaspersky.com", &sig_update,
			    (int64_t)i, i + 1);
		}
	}
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_int_equal(aggregate_n_hosts(ag), 10000);
	assert_int_equal(aggregate_by_verdict(ag, VERDICT_PRODUCT), 10000);
	assert_int_equal(aggregate_n_nets(ag), 40 + 9);
	for (i = 0; i < aggregate_n_nets(ag); i++) {
		net = aggregate_net(ag, i);
		for (j = 0; j < net->n_hosts; j++) {
			h = net->hosts[j];
			assert_int_equal(h->n_obs, 2);
			assert_int_equal(h->names[0].count, 2);
			if (prev != NULL)
				assert_true(addr_cmp(&prev->addr,
				    &h->addr) < 0);
			prev = h;
			total++;
		}
	}
	assert_int_equal(total, 10000);
	assert_non_null(find_host(ag, "10.0.39.15"));
	assert_non_null(find_host(ag, "2001:db8:0::2328"));
	aggregate_free(ag);
}

/*
 * Per-day history (aggregate_set_days()): UTC days oldest first, each with
 * its first and last contact and count; the newest AGG_DAYS_MAX kept; a
 * merge joins days by date.
 */
static void
test_days(void **state)
{
	struct aggregate *ag, *ag2;
	const struct agg_host *h;
	struct agg_host rec;
	struct agg_day *v = NULL, d, rd[2];
	size_t n = 0, cap = 0, i;
	uint64_t dropped = 0;
	char date[32];

	(void)state;
	assert_int_equal(agg_day_of(0), 0);
	assert_int_equal(agg_day_of(86399), 0);
	assert_int_equal(agg_day_of(86400), 1);
	assert_int_equal(agg_day_of(-1), -1);
	agg_day_format(20000, date, sizeof(date));
	assert_string_equal(date, "2024-10-04");

	/* Off by default: read keeps no history. */
	assert_non_null(ag = aggregate_new(8));
	add(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_QUERY, "upd.kaspersky.com",
	    &sig_update, 100, 1);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_non_null(h = find_host(ag, "10.0.0.5"));
	assert_int_equal(h->n_days, 0);
	assert_null(h->days);
	aggregate_free(ag);

	assert_non_null(ag = aggregate_new(8));
	aggregate_set_days(ag, true);
	add(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_QUERY, "upd.kaspersky.com",
	    &sig_update, 3 * 86400 + 7, 4);
	add(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_QUERY, "upd.kaspersky.com",
	    &sig_update, 100, 1);
	add(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_QUERY, "upd.kaspersky.com",
	    &sig_update, 50, 2);
	add(ag, "10.0.0.5", "10.0.0.53", OBS_DNS_QUERY, "upd.kaspersky.com",
	    &sig_update, 86400 + 10, 3);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_non_null(h = find_host(ag, "10.0.0.5"));
	assert_int_equal(h->n_days, 3);
	assert_int_equal(h->days[0].day, 0);
	assert_int_equal(h->days[0].first_sec, 50);
	assert_int_equal(h->days[0].last_sec, 100);
	assert_int_equal(h->days[0].n_obs, 2);
	assert_int_equal(h->days[1].day, 1);
	assert_int_equal(h->days[2].day, 3);
	assert_int_equal(h->days[2].n_obs, 1);
	assert_int_equal(h->days_dropped, 0);

	/* Merged: by date, first the earliest, last the latest, summed. */
	assert_non_null(ag2 = aggregate_new(8));
	memcpy(&rec, h, sizeof(rec));
	rec.names = NULL;
	rec.n_names = 0;
	assert_int_equal(aggregate_merge(ag2, &rec, 1, 0), ERR_OK);
	memset(rd, 0, sizeof(rd));
	rd[0].day = 1;
	rd[0].first_sec = rd[0].last_sec = 86400 + 5;
	rd[0].n_obs = 4;
	rd[1].day = 2;
	rd[1].first_sec = 2 * 86400;
	rd[1].last_sec = 2 * 86400 + 60;
	rd[1].n_obs = 1;
	rec.days = rd;
	rec.n_days = 2;
	rec.days_dropped = 7;
	assert_int_equal(aggregate_merge(ag2, &rec, 1, 0), ERR_OK);
	assert_int_equal(aggregate_finish(ag2, NULL, 24, 64), ERR_OK);
	assert_non_null(h = find_host(ag2, "10.0.0.5"));
	assert_int_equal(h->n_days, 4);
	assert_int_equal(h->days[1].day, 1);
	assert_int_equal(h->days[1].first_sec, 86400 + 5);
	assert_int_equal(h->days[1].last_sec, 86400 + 10);
	assert_int_equal(h->days[1].n_obs, 5);
	assert_int_equal(h->days[2].day, 2);
	assert_int_equal(h->days[3].day, 3);
	assert_int_equal(h->days_dropped, 7);
	/* A record with days but no array, or too many, is refused. */
	rec.days = NULL;
	assert_int_equal(aggregate_merge(ag2, &rec, 1, 0), ERR_MALFORMED);
	rec.days = rd;
	rec.n_days = AGG_DAYS_MAX + 1;
	assert_int_equal(aggregate_merge(ag2, &rec, 1, 0), ERR_MALFORMED);
	aggregate_free(ag2);
	aggregate_free(ag);

	/* The cap: the newest AGG_DAYS_MAX, older ones counted. */
	for (i = 0; i < AGG_DAYS_MAX + 5; i++) {
		memset(&d, 0, sizeof(d));
		d.day = (int64_t)i;
		d.first_sec = d.last_sec = (int64_t)i * 86400;
		d.n_obs = 1;
		assert_int_equal(agg_days_add(&v, &n, &cap, &dropped, &d),
		    ERR_OK);
	}
	assert_int_equal(n, AGG_DAYS_MAX);
	assert_int_equal(cap, AGG_DAYS_MAX);
	assert_int_equal(dropped, 5);
	assert_int_equal(v[0].day, 5);
	assert_int_equal(v[AGG_DAYS_MAX - 1].day, AGG_DAYS_MAX + 4);
	d.day = 0;		/* older than all kept: only counted */
	d.first_sec = d.last_sec = 0;
	assert_int_equal(agg_days_add(&v, &n, &cap, &dropped, &d), ERR_OK);
	assert_int_equal(dropped, 6);
	assert_int_equal(v[0].day, 5);
	d.day = 50;		/* a day kept: joined, nothing dropped */
	d.first_sec = d.last_sec = 50 * 86400 + 1;
	assert_int_equal(agg_days_add(&v, &n, &cap, &dropped, &d), ERR_OK);
	assert_int_equal(dropped, 6);
	assert_int_equal(v[45].n_obs, 2);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offender_vs_resolver),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_tiers),
		cmocka_unit_test(test_migrated),
		cmocka_unit_test(test_name_cap),
		cmocka_unit_test(test_no_names_kept),
		cmocka_unit_test(test_many_names),
		cmocka_unit_test(test_grouping),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_first_last_mac_vlan),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
