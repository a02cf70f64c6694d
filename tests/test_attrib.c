/* test_attrib.c - DNS-answer attribution: TTLs, eviction, CNAME chains. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "match.h"

/* Two signatures to tell apart by pointer; attrib never looks inside. */
static const struct match_sig sig_upd = { .pattern = "kaspersky.com" };
static const struct match_sig sig_ksn = { .pattern = "ksn.kaspersky-labs.com" };

static const char file_a[] = "a.pcap";

static struct addr
A(const char *s)
{
	struct addr x;

	if (!addr_parse(&x, s))
		fail_msg("bad address literal %s", s);
	return x;
}

static struct attrib *
mk(size_t max_entries, uint32_t ttl_min, uint32_t ttl_max)
{
	struct attrib_config cfg;
	struct attrib *t;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_entries = max_entries;
	cfg.ttl_min = ttl_min;
	cfg.ttl_max = ttl_max;
	t = attrib_new(&cfg);
	assert_non_null(t);
	return t;
}

/* Learns name for (client, answer) from resolver 192.0.2.53, frame `frame`. */
static int
learn(struct attrib *t, const char *client, const char *answer,
    const char *name, const struct match_sig *sig, uint32_t ttl,
    uint64_t frame, int64_t now)
{
	struct addr c, r = A("192.0.2.53"), a = A(answer);
	struct attrib_ref ref;

	ref.file = file_a;
	ref.frame = frame;
	ref.ts_sec = now;
	ref.ts_nsec = 250000000;
	if (client != NULL)
		c = A(client);
	return attrib_learn(t, client != NULL ? &c : NULL, &r, &a, name,
	    strlen(name), sig, ttl, &ref, now);
}

static int
lookup(struct attrib *t, const char *client, const char *server,
    int64_t now, struct attrib_hit *hit)
{
	struct addr c, s = A(server);

	if (client != NULL)
		c = A(client);
	return attrib_lookup(t, client != NULL ? &c : NULL, &s, now, hit);
}

static void
assert_addr(const struct addr *x, const char *s)
{
	struct addr y = A(s);

	assert_true(addr_eq(x, &y));
}

/* One host resolves a name; it and other hosts then connect there. */
static void
test_learn_lookup(void **state)
{
	struct attrib *t = mk(64, 60, 3600);
	const struct attrib_stats *st = attrib_stats(t);
	struct attrib_hit hit;

	(void)state;
	assert_int_equal(learn(t, "10.0.0.5", "198.51.100.7",
	    "dnl-01.geo.kaspersky.com", &sig_upd, 300, 17, 1000), ERR_OK);
	assert_int_equal(st->learned, 1);
	assert_int_equal(st->entries, 2);	/* its own + global */

	/* The client's own lookup. */
	memset(&hit, 0, sizeof(hit));
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 1001, &hit),
	    ERR_OK);
	assert_string_equal(hit.name, "dnl-01.geo.kaspersky.com");
	assert_ptr_equal(hit.sig, &sig_upd);
	assert_ptr_equal(hit.answer.file, file_a);
	assert_int_equal(hit.answer.frame, 17);
	assert_int_equal(hit.answer.ts_sec, 1000);
	assert_int_equal(hit.answer.ts_nsec, 250000000);
	assert_addr(&hit.resolver, "192.0.2.53");
	assert_addr(&hit.client, "10.0.0.5");
	assert_true(hit.per_client);

	/* Another host: only the global entry knows, and says who asked. */
	memset(&hit, 0, sizeof(hit));
	assert_int_equal(lookup(t, "10.0.0.6", "198.51.100.7", 1002, &hit),
	    ERR_OK);
	assert_string_equal(hit.name, "dnl-01.geo.kaspersky.com");
	assert_false(hit.per_client);
	assert_addr(&hit.client, "10.0.0.5");
	assert_int_equal(hit.answer.frame, 17);

	/* No client known at all. */
	assert_int_equal(lookup(t, NULL, "198.51.100.7", 1002, &hit), ERR_OK);
	assert_false(hit.per_client);

	/* Another address: nothing; *hit is left alone. */
	memset(&hit, 0xa5, sizeof(hit));
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.8", 1003, &hit),
	    ERR_NOTFOUND);
	assert_int_equal(((unsigned char *)&hit)[0], 0xa5);
	assert_int_equal(lookup(t, "10.0.0.5", "::", 1003, &hit),
	    ERR_NOTFOUND);

	assert_int_equal(st->hits, 3);
	assert_int_equal(st->hits_global, 2);
	assert_int_equal(st->misses, 2);
	attrib_free(t);
}

/* The client's own entry wins over a newer global one from another host. */
static void
test_prefer_own(void **state)
{
	struct attrib *t = mk(64, 60, 3600);
	struct attrib_hit hit;

	(void)state;
	assert_int_equal(learn(t, "10.0.0.5", "198.51.100.7",
	    "dnl-01.geo.kaspersky.com", &sig_upd, 300, 1, 1000), ERR_OK);
	assert_int_equal(learn(t, "10.0.0.6", "198.51.100.7",
	    "ksn-a.kaspersky-labs.com", &sig_ksn, 300, 2, 1010), ERR_OK);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 1020, &hit),
	    ERR_OK);
	assert_true(hit.per_client);
	assert_string_equal(hit.name, "dnl-01.geo.kaspersky.com");
	assert_int_equal(hit.answer.frame, 1);
	/* A third host gets the newest answer anyone received. */
	assert_int_equal(lookup(t, "10.0.0.7", "198.51.100.7", 1020, &hit),
	    ERR_OK);
	assert_false(hit.per_client);
	assert_string_equal(hit.name, "ksn-a.kaspersky-labs.com");
	assert_ptr_equal(hit.sig, &sig_ksn);
	assert_addr(&hit.client, "10.0.0.6");
	assert_int_equal(attrib_stats(t)->learned, 2);
	assert_int_equal(attrib_stats(t)->entries, 3);
	attrib_free(t);
}

/* ttl 5 under ttl_min 60 lives 60 s, the boundary second included. */
static void
test_ttl_min(void **state)
{
	struct attrib *t = mk(64, 60, 3600);
	const struct attrib_stats *st = attrib_stats(t);
	struct attrib_hit hit;

	(void)state;
	assert_int_equal(learn(t, "10.0.0.5", "198.51.100.7",
	    "dnl-01.geo.kaspersky.com", &sig_upd, 5, 1, 1000), ERR_OK);
	assert_int_equal(learn(t, "10.0.0.5", "198.51.100.9",
	    "dnl-02.geo.kaspersky.com", &sig_upd, 0, 2, 1000), ERR_OK);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 1006, &hit),
	    ERR_OK);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 1060, &hit),
	    ERR_OK);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.9", 1060, &hit),
	    ERR_OK);			/* TTL 0 gets ttl_min too */
	assert_int_equal(st->expired, 0);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 1061, &hit),
	    ERR_NOTFOUND);
	/* Both the client's entry and the global one were dropped. */
	assert_int_equal(st->expired, 2);
	assert_int_equal(st->entries, 2);
	assert_int_equal(lookup(t, "10.0.0.6", "198.51.100.9", 1061, &hit),
	    ERR_NOTFOUND);
	assert_int_equal(st->expired, 3);
	assert_int_equal(st->evicted, 0);
	attrib_free(t);
}

/* ttl 86400 under ttl_max 3600 lives 3600 s; in-range TTLs are kept. */
static void
test_ttl_max(void **state)
{
	struct attrib *t = mk(64, 60, 3600);
	struct attrib_hit hit;

	(void)state;
	assert_int_equal(learn(t, "10.0.0.5", "198.51.100.7",
	    "dnl-01.geo.kaspersky.com", &sig_upd, 86400, 1, 1000), ERR_OK);
	assert_int_equal(learn(t, "10.0.0.5", "198.51.100.8",
	    "dnl-02.geo.kaspersky.com", &sig_upd, 300, 2, 1000), ERR_OK);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.8", 1300, &hit),
	    ERR_OK);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.8", 1301, &hit),
	    ERR_NOTFOUND);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 4600, &hit),
	    ERR_OK);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 4601, &hit),
	    ERR_NOTFOUND);
	/* The largest TTL and a far packet time do not overflow. */
	assert_int_equal(learn(t, "10.0.0.5", "198.51.100.7",
	    "dnl-01.geo.kaspersky.com", &sig_upd, UINT32_MAX, 3,
	    INT64_MAX - 10), ERR_OK);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", INT64_MAX,
	    &hit), ERR_OK);
	attrib_free(t);
}

/* A config with ttl_max under ttl_min and no room is made usable. */
static void
test_config_clamps(void **state)
{
	struct attrib *t = mk(0, 100, 10);
	const struct attrib_stats *st = attrib_stats(t);
	struct attrib_hit hit;

	(void)state;
	assert_int_equal(learn(t, "10.0.0.5", "198.51.100.7",
	    "dnl-01.geo.kaspersky.com", &sig_upd, 5000, 1, 0), ERR_OK);
	assert_int_equal(st->entries, 2);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 100, &hit),
	    ERR_OK);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 101, &hit),
	    ERR_NOTFOUND);
	/* Two slots: each learn replaces the last, its own entries intact. */
	assert_int_equal(learn(t, "10.0.0.5", "198.51.100.1", "a.kaspersky.com",
	    &sig_upd, 60, 2, 200), ERR_OK);
	assert_int_equal(learn(t, "10.0.0.6", "198.51.100.2", "b.kaspersky.com",
	    &sig_upd, 60, 3, 201), ERR_OK);
	assert_int_equal(st->entries, 2);
	assert_int_equal(st->evicted, 2);
	assert_int_equal(lookup(t, "10.0.0.6", "198.51.100.2", 202, &hit),
	    ERR_OK);
	assert_true(hit.per_client);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.1", 202, &hit),
	    ERR_NOTFOUND);
	attrib_free(t);
}

/*
 * Four slots, least recently used out.  After learning (c1,a1) and (c2,a2)
 * and looking (c1,a1) up, the LRU order is c1a1, *a2, c2a2, *a1 (* =
 * global); learning (c3,a3) must drop *a1 and c2a2, nothing else.
 */
static void
test_evict(void **state)
{
	struct attrib *t = mk(4, 60, 3600);
	const struct attrib_stats *st = attrib_stats(t);
	struct attrib_hit hit;

	(void)state;
	learn(t, "10.0.0.1", "198.51.100.1", "a1.kaspersky.com", &sig_upd,
	    300, 1, 100);
	learn(t, "10.0.0.2", "198.51.100.2", "a2.kaspersky.com", &sig_upd,
	    300, 2, 101);
	assert_int_equal(st->entries, 4);
	assert_int_equal(lookup(t, "10.0.0.1", "198.51.100.1", 102, &hit),
	    ERR_OK);
	learn(t, "10.0.0.3", "198.51.100.3", "a3.kaspersky.com", &sig_upd,
	    300, 3, 103);
	assert_int_equal(st->evicted, 2);
	assert_int_equal(st->expired, 0);
	assert_int_equal(st->entries, 4);
	assert_int_equal(st->entries_max, 4);

	assert_int_equal(lookup(t, "10.0.0.1", "198.51.100.1", 104, &hit),
	    ERR_OK);
	assert_true(hit.per_client);
	/* c2's own entry is gone; the global one still names c2. */
	assert_int_equal(lookup(t, "10.0.0.2", "198.51.100.2", 104, &hit),
	    ERR_OK);
	assert_true(hit.per_client);
	assert_int_equal(hit.answer.frame, 2);
	/* Nobody else can be attributed to a1 any more. */
	assert_int_equal(lookup(t, "10.0.0.9", "198.51.100.1", 104, &hit),
	    ERR_NOTFOUND);
	assert_int_equal(lookup(t, "10.0.0.3", "198.51.100.3", 104, &hit),
	    ERR_OK);

	/* Many more: the table never grows, old pairs miss, new ones hit. */
	for (unsigned i = 0; i < 100; i++) {
		char c[32], a[32];

		snprintf(c, sizeof(c), "10.1.0.%u", i);
		snprintf(a, sizeof(a), "203.0.113.%u", i);
		assert_int_equal(learn(t, c, a, "x.kaspersky.com", &sig_upd,
		    300, 10 + i, 200 + i), ERR_OK);
		assert_true(st->entries <= 4);
	}
	assert_int_equal(st->entries_max, 4);
	assert_int_equal(st->learned, 103);
	assert_int_equal(st->evicted, 2 + 2 * 100);
	assert_int_equal(lookup(t, "10.1.0.97", "203.0.113.97", 400, &hit),
	    ERR_NOTFOUND);
	assert_int_equal(lookup(t, "10.1.0.98", "203.0.113.98", 400, &hit),
	    ERR_OK);
	assert_int_equal(lookup(t, "10.1.0.99", "203.0.113.99", 400, &hit),
	    ERR_OK);
	assert_int_equal(hit.answer.frame, 109);
	assert_int_equal(lookup(t, "10.0.0.3", "198.51.100.3", 400, &hit),
	    ERR_NOTFOUND);
	attrib_free(t);
}

/* A full table whose oldest entry is past its TTL counts it expired. */
static void
test_evict_expired(void **state)
{
	struct attrib *t = mk(4, 10, 3600);
	const struct attrib_stats *st = attrib_stats(t);

	(void)state;
	learn(t, "10.0.0.1", "198.51.100.1", "a1.kaspersky.com", &sig_upd,
	    10, 1, 100);
	learn(t, "10.0.0.2", "198.51.100.2", "a2.kaspersky.com", &sig_upd,
	    3000, 2, 101);
	learn(t, "10.0.0.3", "198.51.100.3", "a3.kaspersky.com", &sig_upd,
	    300, 3, 200);
	assert_int_equal(st->expired, 2);
	assert_int_equal(st->evicted, 0);
	attrib_free(t);
}

/* The same answer again moves the expiry on; a newer name replaces. */
static void
test_refresh(void **state)
{
	struct attrib *t = mk(64, 60, 3600);
	const struct attrib_stats *st = attrib_stats(t);
	struct attrib_hit hit;

	(void)state;
	learn(t, "10.0.0.5", "198.51.100.7", "dnl-01.geo.kaspersky.com",
	    &sig_upd, 100, 1, 0);
	learn(t, "10.0.0.5", "198.51.100.7", "dnl-01.geo.kaspersky.com",
	    &sig_upd, 100, 2, 50);
	assert_int_equal(st->learned, 1);
	assert_int_equal(st->refreshed, 1);
	assert_int_equal(st->renamed, 0);
	assert_int_equal(st->entries, 2);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 150, &hit),
	    ERR_OK);
	assert_int_equal(hit.answer.frame, 2);	/* the newest answer */
	assert_int_equal(hit.answer.ts_sec, 50);

	/* An older answer seen late (files out of order) keeps the newer
	 * one's provenance but may extend its life. */
	learn(t, "10.0.0.5", "198.51.100.7", "ds.kaspersky.com", &sig_ksn,
	    1000, 3, 10);
	assert_int_equal(st->refreshed, 2);
	assert_int_equal(st->renamed, 0);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 1010, &hit),
	    ERR_OK);
	assert_int_equal(hit.answer.frame, 2);
	assert_string_equal(hit.name, "dnl-01.geo.kaspersky.com");

	/* The address now answers another matched name: the newest wins. */
	learn(t, "10.0.0.5", "198.51.100.7", "ksn-a.kaspersky-labs.com",
	    &sig_ksn, 100, 4, 1010);
	assert_int_equal(st->refreshed, 3);
	assert_int_equal(st->renamed, 1);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 1110, &hit),
	    ERR_OK);
	assert_string_equal(hit.name, "ksn-a.kaspersky-labs.com");
	assert_ptr_equal(hit.sig, &sig_ksn);
	assert_int_equal(hit.answer.frame, 4);
	assert_int_equal(lookup(t, "10.0.0.6", "198.51.100.7", 1110, &hit),
	    ERR_OK);
	assert_string_equal(hit.name, "ksn-a.kaspersky-labs.com");

	/* Learned again after it expired: a new pair, not a refresh. */
	learn(t, "10.0.0.5", "198.51.100.7", "ksn-a.kaspersky-labs.com",
	    &sig_ksn, 100, 5, 5000);
	assert_int_equal(st->learned, 2);
	assert_int_equal(st->refreshed, 3);
	assert_int_equal(st->expired, 2);
	assert_int_equal(st->entries, 2);
	attrib_free(t);
}

/* AAAA answers, and an IPv4 and an IPv6 address that share bytes. */
static void
test_ipv6(void **state)
{
	struct attrib *t = mk(64, 60, 3600);
	struct attrib_hit hit;

	(void)state;
	assert_int_equal(learn(t, "2001:db8:1::5", "2001:db8:ff::7",
	    "dnl-01.geo.kaspersky.com", &sig_upd, 300, 1, 0), ERR_OK);
	assert_int_equal(learn(t, "10.0.0.5", "1.2.3.4",
	    "dnl-02.geo.kaspersky.com", &sig_upd, 300, 2, 0), ERR_OK);
	assert_int_equal(lookup(t, "2001:db8:1::5", "2001:db8:ff::7", 1, &hit),
	    ERR_OK);
	assert_true(hit.per_client);
	assert_string_equal(hit.name, "dnl-01.geo.kaspersky.com");
	assert_addr(&hit.client, "2001:db8:1::5");
	/* A dual-stack host asking over IPv4 about the IPv6 address. */
	assert_int_equal(lookup(t, "10.0.0.5", "2001:db8:ff::7", 1, &hit),
	    ERR_OK);
	assert_false(hit.per_client);
	assert_int_equal(lookup(t, "10.0.0.5", "102:304::", 1, &hit),
	    ERR_NOTFOUND);
	assert_int_equal(lookup(t, "10.0.0.5", "::ffff:1.2.3.4", 1, &hit),
	    ERR_NOTFOUND);
	assert_int_equal(lookup(t, "10.0.0.5", "1.2.3.4", 1, &hit), ERR_OK);
	assert_string_equal(hit.name, "dnl-02.geo.kaspersky.com");
	attrib_free(t);
}

/* Names of 256 bytes and more are refused, counted, never cut. */
static void
test_names(void **state)
{
	struct attrib *t = mk(64, 60, 3600);
	const struct attrib_stats *st = attrib_stats(t);
	struct addr c = A("10.0.0.5"), a = A("198.51.100.7"), none;
	struct attrib_hit hit;
	char name[ATTRIB_NAME_LEN + 8];

	(void)state;
	memset(name, 'a', sizeof(name));
	assert_int_equal(attrib_learn(t, &c, NULL, &a, name, ATTRIB_NAME_LEN,
	    &sig_upd, 300, NULL, 0), ERR_UNSUPPORTED);
	assert_int_equal(attrib_learn(t, &c, NULL, &a, name, 4000,
	    &sig_upd, 300, NULL, 0), ERR_UNSUPPORTED);
	assert_int_equal(st->refused_long, 2);
	assert_int_equal(st->entries, 0);
	assert_int_equal(attrib_lookup(t, &c, &a, 0, &hit), ERR_NOTFOUND);

	/* 255 bytes fit; name is taken by length, not up to a NUL. */
	assert_int_equal(attrib_learn(t, &c, NULL, &a, name,
	    ATTRIB_NAME_LEN - 1, &sig_upd, 300, NULL, 0), ERR_OK);
	assert_int_equal(attrib_lookup(t, &c, &a, 0, &hit), ERR_OK);
	assert_int_equal(strlen(hit.name), ATTRIB_NAME_LEN - 1);
	/* No provenance given: zero, not garbage. */
	assert_null(hit.answer.file);
	assert_int_equal(hit.answer.frame, 0);
	assert_int_equal(hit.resolver.family, 0);

	assert_int_equal(attrib_learn(t, &c, NULL, &a, "a.kaspersky.comXYZ",
	    15, &sig_upd, 300, NULL, 1), ERR_OK);
	assert_int_equal(attrib_lookup(t, &c, &a, 1, &hit), ERR_OK);
	assert_string_equal(hit.name, "a.kaspersky.com");
	assert_int_equal(st->renamed, 1);

	/* A NUL inside, or an answer of no family: refused. */
	assert_int_equal(attrib_learn(t, &c, NULL, &a, "a\0b.com", 7,
	    &sig_upd, 300, NULL, 1), ERR_MALFORMED);
	memset(&none, 0, sizeof(none));
	assert_int_equal(attrib_learn(t, &c, NULL, &none, "a.com", 5,
	    &sig_upd, 300, NULL, 1), ERR_MALFORMED);
	assert_int_equal(st->refused_bad, 2);
	assert_int_equal(attrib_lookup(t, &c, &none, 1, &hit), ERR_NOTFOUND);
	attrib_free(t);
}

/*
 * A CNAME chain: the client asks dnl-01.geo.kaspersky.com (matched), which
 * is a CNAME to a CDN name (not matched) with two A records and one AAAA.
 * The lead learns each address under the matched name; all attribute.
 */
static void
test_cname_chain(void **state)
{
	static const char *const answers[] = {
		"192.0.2.80", "192.0.2.81", "2001:db8:cd::80"
	};
	struct attrib *t = mk(64, 60, 3600);
	struct attrib_hit hit;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(learn(t, "10.0.0.5", answers[i],
		    "dnl-01.geo.kaspersky.com", &sig_upd, 20, 42, 1000),
		    ERR_OK);
	assert_int_equal(attrib_stats(t)->learned, 3);
	for (i = 0; i < 3; i++) {
		memset(&hit, 0, sizeof(hit));
		assert_int_equal(lookup(t, "10.0.0.5", answers[i], 1059, &hit),
		    ERR_OK);
		assert_string_equal(hit.name, "dnl-01.geo.kaspersky.com");
		assert_int_equal(hit.answer.frame, 42);
		assert_true(hit.per_client);
	}
	/* The chain's addresses expire together (ttl 20 -> 60). */
	for (i = 0; i < 3; i++)
		assert_int_equal(lookup(t, "10.0.0.5", answers[i], 1061, &hit),
		    ERR_NOTFOUND);
	attrib_free(t);
}

/* A learn with no client writes only the global entry. */
static void
test_no_client(void **state)
{
	struct attrib *t = mk(64, 60, 3600);
	struct addr zero, a;
	struct attrib_hit hit;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(learn(t, NULL, "198.51.100.7", "a.kaspersky.com",
	    &sig_upd, 300, 1, 0), ERR_OK);
	assert_int_equal(attrib_stats(t)->entries, 1);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.7", 1, &hit),
	    ERR_OK);
	assert_false(hit.per_client);
	assert_int_equal(hit.client.family, 0);
	/* A client of family 0 is no client: not the global entry's own. */
	a = A("198.51.100.7");
	assert_int_equal(attrib_lookup(t, &zero, &a, 1, &hit), ERR_OK);
	assert_false(hit.per_client);
	assert_int_equal(attrib_stats(t)->hits_global, 2);
	assert_int_equal(learn(t, NULL, "198.51.100.7", "a.kaspersky.com",
	    &sig_upd, 300, 2, 5), ERR_OK);
	assert_int_equal(attrib_stats(t)->refreshed, 1);
	attrib_free(t);
}

static void
test_expire(void **state)
{
	struct attrib *t = mk(64, 60, 3600);
	const struct attrib_stats *st = attrib_stats(t);
	struct attrib_hit hit;

	(void)state;
	learn(t, "10.0.0.5", "198.51.100.7", "a.kaspersky.com", &sig_upd, 60,
	    1, 0);
	learn(t, "10.0.0.5", "198.51.100.8", "b.kaspersky.com", &sig_upd, 600,
	    2, 0);
	attrib_expire(t, 60);
	assert_int_equal(st->entries, 4);
	attrib_expire(t, 61);
	assert_int_equal(st->entries, 2);
	assert_int_equal(st->expired, 2);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.8", 61, &hit),
	    ERR_OK);
	attrib_expire(t, 1000);
	assert_int_equal(st->entries, 0);
	assert_int_equal(st->expired, 4);
	/* The freed slots are usable again. */
	learn(t, "10.0.0.5", "198.51.100.9", "c.kaspersky.com", &sig_upd, 60,
	    3, 1000);
	assert_int_equal(lookup(t, "10.0.0.5", "198.51.100.9", 1001, &hit),
	    ERR_OK);
	attrib_free(t);
	attrib_free(NULL);
}

/*
 * A reference model: the same rules written as plainly as possible (linear
 * search, a use counter for LRU), driven with the same random operations.
 */
#define M_CAP		12
#define M_CLIENTS	5
#define M_ADDRS		9
/* More names than entries: each name is held once however many entries
 * carry it, and comes and goes as they do (attrib.c, struct aname). */
#define M_NAMES		24

struct m_ent {
	bool		 used;
	struct addr	 kc, ans, client;
	const char	*name;
	uint64_t	 frame;
	int64_t		 learned, expires;
	uint64_t	 stamp;
};

struct model {
	struct m_ent	 e[M_CAP];
	uint64_t	 clock;
	uint64_t	 learned, refreshed, renamed, evicted, expired;
	uint64_t	 hits, hits_global, misses;
};

static int
m_find(const struct model *m, const struct addr *kc, const struct addr *a)
{
	for (int i = 0; i < M_CAP; i++)
		if (m->e[i].used && addr_eq(&m->e[i].kc, kc) &&
		    addr_eq(&m->e[i].ans, a))
			return i;
	return -1;
}

static size_t
m_count(const struct model *m)
{
	size_t n = 0;

	for (int i = 0; i < M_CAP; i++)
		n += m->e[i].used;
	return n;
}

static int
m_take(struct model *m, int64_t now)
{
	int i, old = -1;

	for (i = 0; i < M_CAP; i++)
		if (!m->e[i].used)
			return i;
	for (i = 0; i < M_CAP; i++)
		if (old < 0 || m->e[i].stamp < m->e[old].stamp)
			old = i;
	if (now > m->e[old].expires)
		m->expired++;
	else
		m->evicted++;
	m->e[old].used = false;
	return old;
}

static bool
m_put(struct model *m, const struct addr *kc, const struct addr *a,
    const struct addr *client, const char *name, uint64_t frame,
    int64_t now, int64_t expires, bool *renamed)
{
	struct m_ent *x;
	int i = m_find(m, kc, a);
	bool held = i >= 0 && now <= m->e[i].expires;

	*renamed = false;
	if (held) {
		x = &m->e[i];
		x->stamp = ++m->clock;
		if (now < x->learned) {
			if (expires > x->expires)
				x->expires = expires;
			return true;
		}
		*renamed = strcmp(x->name, name) != 0;
	} else {
		if (i >= 0) {
			m->expired++;
			m->e[i].used = false;
		}
		x = &m->e[m_take(m, now)];
		x->used = true;
		x->kc = *kc;
		x->ans = *a;
		x->stamp = ++m->clock;
	}
	x->client = *client;
	x->name = name;
	x->frame = frame;
	x->learned = now;
	x->expires = expires;
	return held;
}

static void
m_learn(struct model *m, const struct addr *client, const struct addr *a,
    const char *name, uint32_t ttl, uint64_t frame, int64_t now)
{
	struct addr zero;
	bool r, rn, g;

	memset(&zero, 0, sizeof(zero));
	ttl = ttl < 10 ? 10 : ttl > 100 ? 100 : ttl;
	r = m_put(m, client, a, client, name, frame, now, now + ttl, &rn);
	(void)m_put(m, &zero, a, client, name, frame, now, now + ttl, &g);
	if (r) {
		m->refreshed++;
		m->renamed += rn;
	} else
		m->learned++;
}

static int
m_alive(struct model *m, const struct addr *kc, const struct addr *a,
    int64_t now)
{
	int i = m_find(m, kc, a);

	if (i >= 0 && now > m->e[i].expires) {
		m->expired++;
		m->e[i].used = false;
		return -1;
	}
	return i;
}

static int
m_lookup(struct model *m, const struct addr *client, const struct addr *a,
    int64_t now, bool *per_client)
{
	struct addr zero;
	int i;

	memset(&zero, 0, sizeof(zero));
	if ((i = m_alive(m, client, a, now)) < 0)
		i = m_alive(m, &zero, a, now);
	if (i < 0) {
		m->misses++;
		return -1;
	}
	m->e[i].stamp = ++m->clock;
	*per_client = addr_eq(&m->e[i].client, client);
	m->hits++;
	m->hits_global += !*per_client;
	return i;
}

static void
m_expire(struct model *m, int64_t now)
{
	for (int i = 0; i < M_CAP; i++)
		if (m->e[i].used && now > m->e[i].expires) {
			m->e[i].used = false;
			m->expired++;
		}
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 11) % n);
}

static void
test_model(void **state)
{
	static const char *const fixed[] = {
		"dnl-01.geo.kaspersky.com", "ksn-a.kaspersky-labs.com",
		"ds.kaspersky.com", "click.kaspersky.com"
	};
	static char pool[M_NAMES][40];
	const char *names[M_NAMES];
	static struct model m;
	struct attrib *t = mk(M_CAP, 10, 100);
	const struct attrib_stats *st = attrib_stats(t);
	struct addr clients[M_CLIENTS], addrs[M_ADDRS], r = A("192.0.2.53");
	struct attrib_hit hit;
	struct attrib_ref ref;
	int64_t now = 1000;
	uint64_t frame = 0, n_hits = 0, n_evicted = 0;
	char buf[64];
	int i, mi, ri;
	bool per;

	(void)state;
	for (i = 0; i < M_NAMES; i++) {
		if (i < 4)
			snprintf(pool[i], sizeof(pool[i]), "%s", fixed[i]);
		else
			snprintf(pool[i], sizeof(pool[i]), "s%02d.upd.kaspersky.com",
			    i);
		names[i] = pool[i];
	}
	for (i = 0; i < M_CLIENTS; i++) {
		snprintf(buf, sizeof(buf), i % 2 ? "10.0.0.%d" : "fd00::%d",
		    i + 1);
		clients[i] = A(buf);
	}
	for (i = 0; i < M_ADDRS; i++) {
		snprintf(buf, sizeof(buf), i % 3 ? "198.51.100.%d" :
		    "2001:db8::%d", i + 1);
		addrs[i] = A(buf);
	}
	for (i = 0; i < 200000; i++) {
		const struct addr *c = &clients[rnd(M_CLIENTS)];
		const struct addr *a = &addrs[rnd(M_ADDRS)];
		uint32_t op = rnd(100);

		/* Mostly forward in time, sometimes back (files unordered). */
		now += rnd(8);
		if (rnd(50) == 0)
			now -= rnd(60);
		if (op < 40) {
			const char *name = names[rnd(M_NAMES)];
			uint32_t ttl = rnd(130);

			ref.file = file_a;
			ref.frame = ++frame;
			ref.ts_sec = now;
			ref.ts_nsec = 0;
			if (attrib_learn(t, c, &r, a, name, strlen(name),
			    &sig_upd, ttl, &ref, now) != ERR_OK)
				fail_msg("learn failed at op %d", i);
			m_learn(&m, c, a, name, ttl, frame, now);
		} else if (op < 99) {
			ri = attrib_lookup(t, c, a, now, &hit);
			mi = m_lookup(&m, c, a, now, &per);
			if ((ri == ERR_OK) != (mi >= 0))
				fail_msg("op %d: attrib %d, model %d", i, ri,
				    mi);
			if (mi >= 0) {
				n_hits++;
				if (strcmp(hit.name, m.e[mi].name) != 0 ||
				    hit.answer.frame != m.e[mi].frame ||
				    hit.per_client != per ||
				    !addr_eq(&hit.client, &m.e[mi].client))
					fail_msg("op %d: hit differs", i);
			}
		} else {
			attrib_expire(t, now);
			m_expire(&m, now);
		}
		if (st->entries != m_count(&m) || st->entries > M_CAP ||
		    st->evicted != m.evicted || st->expired != m.expired)
			fail_msg("op %d: entries %zu/%zu evicted %ju/%ju "
			    "expired %ju/%ju", i, st->entries, m_count(&m),
			    (uintmax_t)st->evicted, (uintmax_t)m.evicted,
			    (uintmax_t)st->expired, (uintmax_t)m.expired);
		n_evicted = st->evicted;
	}
	assert_int_equal(st->learned, m.learned);
	assert_int_equal(st->refreshed, m.refreshed);
	assert_int_equal(st->renamed, m.renamed);
	assert_int_equal(st->hits, m.hits);
	assert_int_equal(st->hits_global, m.hits_global);
	assert_int_equal(st->misses, m.misses);
	assert_int_equal(st->entries_max, M_CAP);
	/* The run exercised every path, not just one. */
	assert_true(n_hits > 10000 && m.misses > 10000);
	assert_true(n_evicted > 1000 && m.expired > 1000);
	assert_true(m.refreshed > 1000 && m.renamed > 100);
	assert_true(m.hits_global > 1000);
	attrib_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learn_lookup),
		cmocka_unit_test(test_prefer_own),
		cmocka_unit_test(test_ttl_min),
		cmocka_unit_test(test_ttl_max),
		cmocka_unit_test(test_config_clamps),
		cmocka_unit_test(test_evict),
		cmocka_unit_test(test_evict_expired),
		cmocka_unit_test(test_refresh),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_cname_chain),
		cmocka_unit_test(test_no_client),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
