/* test_socks.c - SOCKS 4, 4a and 5 client messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "socks.h"

/* SOCKS 4: CONNECT 93.184.216.34:80, user id "fred". */
static const uint8_t s4[] = {
	0x04, 0x01, 0x00, 0x50, 93, 184, 216, 34, 'f', 'r', 'e', 'd', 0x00,
};
/* SOCKS 4a: CONNECT to 0.0.0.1 port 443, empty user id, name follows. */
static const uint8_t s4a[] = {
	0x04, 0x01, 0x01, 0xbb, 0, 0, 0, 1, 0x00,
	'S', '1', '0', '.', 'u', 'p', 'd', '.', 'k', 'a', 's', 'p', 'e', 'r',
	's', 'k', 'y', '.', 'c', 'o', 'm', 0x00,
};
/* SOCKS 5 greeting: two methods, no auth and username/password. */
static const uint8_t s5_greet[] = { 0x05, 0x02, 0x00, 0x02 };
/* RFC 1929 auth: user "u", password "pw". */
static const uint8_t s5_auth[] = { 0x01, 0x01, 'u', 0x02, 'p', 'w' };
/* SOCKS 5 CONNECT to a domain name, port 443. */
static const uint8_t s5_req[] = {
	0x05, 0x01, 0x00, 0x03, 26,
	'd', 'c', '1', '.', 'k', 's', 'n', '.', 'k', 'a', 's', 'p', 'e', 'r',
	's', 'k', 'y', '-', 'l', 'a', 'b', 's', '.', 'c', 'o', 'm',
	0x01, 0xbb,
};
/* SOCKS 5 CONNECT to an IPv6 address, port 80. */
static const uint8_t s5_req6[] = {
	0x05, 0x01, 0x00, 0x04,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x00, 0x50,
};

static void
test_socks4(void **state)
{
	struct socks_req r;

	(void)state;
	assert_true(socks_is_start(s4, sizeof(s4)));
	assert_int_equal(socks_client_msg(s4, sizeof(s4), false, &r), 0);
	assert_int_equal(r.version, 4);
	assert_int_equal(r.msg, SOCKS_REQUEST);
	assert_false(r.has_name);
	assert_int_equal(r.addr.family, 4);
	assert_int_equal(r.port, 80);
	assert_int_equal(r.len, sizeof(s4));
}

static void
test_socks4a(void **state)
{
	struct socks_req r;

	(void)state;
	assert_true(socks_is_start(s4a, sizeof(s4a)));
	assert_int_equal(socks_client_msg(s4a, sizeof(s4a), false, &r), 0);
	assert_true(r.has_name);
	assert_string_equal(r.name, "s10.upd.kaspersky.com");
	assert_int_equal(r.port, 443);
	assert_int_equal(r.len, sizeof(s4a));
}

static void
test_socks5(void **state)
{
	struct socks_req r;

	(void)state;
	assert_true(socks_is_start(s5_greet, sizeof(s5_greet)));
	assert_int_equal(socks_client_msg(s5_greet, sizeof(s5_greet), false,
	    &r), 0);
	assert_int_equal(r.msg, SOCKS_GREETING);
	assert_int_equal(r.len, 4);
	assert_int_equal(socks_client_msg(s5_auth, sizeof(s5_auth), true,
	    &r), 0);
	assert_int_equal(r.msg, SOCKS_AUTH);
	assert_int_equal(r.len, sizeof(s5_auth));
	assert_int_equal(socks_client_msg(s5_req, sizeof(s5_req), true, &r),
	    0);
	assert_int_equal(r.msg, SOCKS_REQUEST);
	assert_true(r.has_name);
	assert_string_equal(r.name, "dc1.ksn.kaspersky-labs.com");
	assert_int_equal(r.port, 443);
	assert_int_equal(socks_client_msg(s5_req6, sizeof(s5_req6), true,
	    &r), 0);
	assert_false(r.has_name);
	assert_int_equal(r.addr.family, 6);
	assert_int_equal(r.port, 80);
}

static void
test_not_socks(void **state)
{
	static const uint8_t http[] = "GET / HTTP/1.1\r\n";
	static const uint8_t tls[] = { 0x16, 0x03, 0x01, 0x02, 0x00 };
	static const uint8_t bad5[] = { 0x05, 0x01, 0x00, 0x09, 0, 0, 0 };
	struct socks_req r;

	(void)state;
	assert_false(socks_is_start(http, sizeof(http) - 1));
	assert_false(socks_is_start(tls, sizeof(tls)));
	/* A greeting with trailing bytes is not a greeting. */
	assert_false(socks_is_start(s5_req, sizeof(s5_req)));
	assert_int_equal(socks_client_msg(bad5, sizeof(bad5), true, &r),
	    ERR_MALFORMED);
	assert_int_equal(socks_client_msg(http, sizeof(http) - 1, false, &r),
	    ERR_MALFORMED);
}

/* Every strict prefix in an exactly sized block: ERR_SHORT, never OK. */
static void
prefixes(const uint8_t *msg, size_t len, bool after)
{
	struct socks_req r;
	uint8_t *buf;
	size_t n;

	for (n = 0; n < len; n++) {
		assert_non_null(buf = malloc(n ? n : 1));
		memcpy(buf, msg, n);
		assert_int_equal(socks_client_msg(buf, n, after, &r),
		    ERR_SHORT);
		(void)socks_is_start(buf, n);
		free(buf);
	}
}

static void
test_prefixes(void **state)
{
	(void)state;
	prefixes(s4, sizeof(s4), false);
	prefixes(s4a, sizeof(s4a), false);
	prefixes(s5_greet, sizeof(s5_greet), false);
	prefixes(s5_auth, sizeof(s5_auth), true);
	prefixes(s5_req, sizeof(s5_req), true);
	prefixes(s5_req6, sizeof(s5_req6), true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socks4),
		cmocka_unit_test(test_socks4a),
		cmocka_unit_test(test_socks5),
		cmocka_unit_test(test_not_socks),
		cmocka_unit_test(test_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
