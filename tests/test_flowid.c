/* test_flowid.c - SHA-1 against FIPS 180 examples and Community ID v1
 * against the community-id-spec baseline (baseline_deflt, _seed1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "flowid.h"

static void
hex(char *dst, const uint8_t *md)
{
	size_t i;

	for (i = 0; i < SHA1_LEN; i++)
		sprintf(dst + 2 * i, "%02x", md[i]);
}

static void
sha1_of(char *dst, const char *msg, size_t n, size_t repeat, size_t step)
{
	struct sha1 s;
	uint8_t md[SHA1_LEN];
	size_t i, j;

	sha1_init(&s);
	for (i = 0; i < repeat; i++)
		for (j = 0; j < n; j += step)
			sha1_update(&s, msg + j, n - j < step ? n - j : step);
	sha1_final(&s, md);
	hex(dst, md);
}

static void
test_sha1(void **state)
{
	static const char two[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char out[2 * SHA1_LEN + 1];
	size_t step;

	(void)state;
	sha1_of(out, "", 0, 1, 1);
	assert_string_equal(out, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	sha1_of(out, "abc", 3, 1, 3);
	assert_string_equal(out, "a9993e364706816aba3e25717850c26c9cd0d89d");
	/* Any split of the input gives the same digest. */
	for (step = 1; step <= sizeof(two); step++) {
		sha1_of(out, two, sizeof(two) - 1, 1, step);
		assert_string_equal(out,
		    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	}
	sha1_of(out, "aaaaaaaaaa", 10, 100000, 10);
	assert_string_equal(out, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

struct vec {
	unsigned	 proto;
	const char	*saddr, *daddr;
	unsigned	 sport, dport;
	const char	*id0, *id1;	/* seed 0, seed 1 */
};

/* The TCP, UDP, SCTP and port-less rows of the spec's baseline. */
static const struct vec vecs[] = {
	{ 6, "2001:470:e5bf:dead:4957:2174:e82c:4887",
	    "2607:f8b0:400c:c03::1a", 63943, 25,
	    "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
	    "1:eJYTW6AOzFLlSUoESovMjnu7rMw=" },
	{ 6, "2607:f8b0:400c:c03::1a",
	    "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943,
	    "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
	    "1:eJYTW6AOzFLlSUoESovMjnu7rMw=" },
	{ 132, "192.168.170.8", "192.168.170.56", 7, 7,
	    "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
	    "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=" },
	{ 132, "192.168.170.56", "192.168.170.8", 7, 7,
	    "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
	    "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=" },
	{ 6, "128.232.110.120", "66.35.250.204", 34855, 80,
	    "1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
	    "1:3V71V58M3Ksw/yuFALMcW0LAHvc=" },
	{ 6, "66.35.250.204", "128.232.110.120", 80, 34855,
	    "1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
	    "1:3V71V58M3Ksw/yuFALMcW0LAHvc=" },
	{ 17, "192.168.1.52", "8.8.8.8", 54585, 53,
	    "1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
	    "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=" },
	{ 17, "8.8.8.8", "192.168.1.52", 53, 54585,
	    "1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
	    "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=" },
	{ 46, "10.1.12.1", "10.1.12.2", 0, 0,
	    "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=",
	    "1:rYir8gphR31noO9iDRQmF/BteEI=" },
	{ 46, "10.1.12.2", "10.1.12.1", 0, 0,
	    "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=",
	    "1:rYir8gphR31noO9iDRQmF/BteEI=" },
	/* Zeek's community_id_v1() tests: 1.2.3.4:1122 - 5.6.7.8:3344. */
	{ 6, "1.2.3.4", "5.6.7.8", 1122, 3344,
	    "1:wCb3OG7yAFWelaUydu0D+125CLM=", NULL },
	{ 17, "1.2.3.4", "5.6.7.8", 1122, 3344,
	    "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=", NULL },
};

static void
test_community(void **state)
{
	char buf[FLOWID_LEN];
	struct addr a, b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		assert_true(addr_parse(&a, vecs[i].saddr));
		assert_true(addr_parse(&b, vecs[i].daddr));
		assert_string_equal(flowid_community(buf, 0,
		    (uint8_t)vecs[i].proto, &a, (uint16_t)vecs[i].sport, &b,
		    (uint16_t)vecs[i].dport), vecs[i].id0);
		if (vecs[i].id1 != NULL)
			assert_string_equal(flowid_community(buf, 1,
			    (uint8_t)vecs[i].proto, &a,
			    (uint16_t)vecs[i].sport, &b,
			    (uint16_t)vecs[i].dport), vecs[i].id1);
	}
	/* Mixed families: no ID. */
	assert_true(addr_parse(&a, "1.2.3.4"));
	assert_true(addr_parse(&b, "::1"));
	assert_string_equal(flowid_community(buf, 0, 6, &a, 1, &b, 2), "");
	/* Same address both ends: the smaller port first. */
	assert_true(addr_parse(&b, "1.2.3.4"));
	assert_string_equal(flowid_community(buf, 0, 6, &a, 80, &b, 1024),
	    flowid_community((char[FLOWID_LEN]){ 0 }, 0, 6, &b, 1024, &a,
	    80));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1),
		cmocka_unit_test(test_community),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
