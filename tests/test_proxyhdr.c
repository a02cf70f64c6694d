/* test_proxyhdr.c - PROXY protocol headers v1 and v2 (haproxy's
 * proxy-protocol.txt 2.1, 2.2). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "proxyhdr.h"

static const char v1_tcp4[] =
    "PROXY TCP4 192.0.2.44 198.51.100.20 56324 443\r\n";
static const char v1_tcp6[] =
    "PROXY TCP6 2001:db8::44 2001:db8::1 65535 80\r\n";

/* v2, PROXY, TCP over IPv4: 192.0.2.44:56324 -> 198.51.100.20:443, one
 * TLV (PP2_TYPE_ALPN "h2") after the addresses. */
static const uint8_t v2_tcp4[] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
	0x21, 0x11, 0x00, 0x11,
	192, 0, 2, 44, 198, 51, 100, 20, 0xdc, 0x04, 0x01, 0xbb,
	0x01, 0x00, 0x02, 'h', '2',
};

/* v2, PROXY, TCP over IPv6: 2001:db8::44 port 1 -> 2001:db8::1 port 2. */
static const uint8_t v2_tcp6[] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
	0x21, 0x21, 0x00, 0x24,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x44,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x00, 0x01, 0x00, 0x02,
};

/* Parses a copy of exactly len bytes, so ASan sees any overrun. */
static int
parse(const void *src, size_t len, struct proxy_hdr *h, size_t *need)
{
	uint8_t *buf;
	int r;

	assert_non_null(buf = malloc(len > 0 ? len : 1));
	if (len > 0)
		memcpy(buf, src, len);
	r = proxy_header(buf, len, h, need);
	free(buf);
	return r;
}

static void
assert_addr(const struct addr *a, const char *want)
{
	char buf[ADDR_STRLEN];

	assert_string_equal(addr_fmt(a, buf), want);
}

static void
test_v1(void **state)
{
	struct proxy_hdr h;
	size_t need, n = sizeof(v1_tcp4) - 1;
	char buf[160];

	(void)state;
	memcpy(buf, v1_tcp4, n);
	memcpy(buf + n, "\x16\x03\x01", 3);	/* TLS follows */
	assert_int_equal(parse(buf, n + 3, &h, &need), ERR_OK);
	assert_int_equal(h.version, 1);
	assert_int_equal(h.len, n);
	assert_true(h.has_addr);
	assert_addr(&h.src, "192.0.2.44");
	assert_addr(&h.dst, "198.51.100.20");
	assert_int_equal(h.sport, 56324);
	assert_int_equal(h.dport, 443);
	assert_int_equal(parse(v1_tcp6, sizeof(v1_tcp6) - 1, &h, NULL),
	    ERR_OK);
	assert_addr(&h.src, "2001:db8::44");
	assert_int_equal(h.sport, 65535);
	/* UNKNOWN: the rest of the line is ignored, no client. */
	assert_int_equal(parse("PROXY UNKNOWN\r\n", 15, &h, NULL), ERR_OK);
	assert_false(h.has_addr);
	assert_int_equal(h.len, 15);
	assert_int_equal(parse("PROXY UNKNOWN ::1 ::1 1 2\r\n", 27, &h, NULL),
	    ERR_OK);
	assert_false(h.has_addr);
	/* Every prefix waits for more. */
	for (n = 0; n < sizeof(v1_tcp4) - 1; n++)
		assert_int_equal(parse(v1_tcp4, n, &h, &need), ERR_SHORT);
}

static void
test_v1_bad(void **state)
{
	static const char *const bad[] = {
		"PROXY TCP4 192.0.2.44 198.51.100.20 56324 443\rX",
		"PROXY UDP4 192.0.2.44 198.51.100.20 56324 443\r\n",
		"PROXY TCP4 2001:db8::1 198.51.100.20 56324 443\r\n",
		"PROXY TCP6 192.0.2.44 198.51.100.20 56324 443\r\n",
		"PROXY TCP4 192.0.2.44 198.51.100.20 65536 443\r\n",
		"PROXY TCP4 192.0.2.44 198.51.100.20 5a 443\r\n",
		"PROXY TCP4 192.0.2.44 198.51.100.20 1 2 3\r\n",
		"PROXY TCP4 192.0.2.44  198.51.100.20 1 2\r\n",
		"PROXY TCP4 192.0.2.44 198.51.100.20 1\r\n",
		"PROXY \r\n",
	};
	struct proxy_hdr h;
	char line[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], strlen(bad[i]), &h, NULL),
		    ERR_MALFORMED);
	/* No line end within 107 bytes. */
	memset(line, 'x', sizeof(line));
	memcpy(line, "PROXY TCP4 ", 11);
	assert_int_equal(parse(line, 106, &h, NULL), ERR_SHORT);
	assert_int_equal(parse(line, 107, &h, NULL), ERR_MALFORMED);
	assert_int_equal(parse(line, sizeof(line), &h, NULL), ERR_MALFORMED);
}

static void
test_v2(void **state)
{
	struct proxy_hdr h;
	uint8_t buf[64];
	size_t need, n;

	(void)state;
	assert_int_equal(parse(v2_tcp4, sizeof(v2_tcp4), &h, &need), ERR_OK);
	assert_int_equal(h.version, 2);
	assert_int_equal(h.len, sizeof(v2_tcp4));
	assert_true(h.has_addr);
	assert_addr(&h.src, "192.0.2.44");
	assert_addr(&h.dst, "198.51.100.20");
	assert_int_equal(h.sport, 56324);
	assert_int_equal(h.dport, 443);
	assert_int_equal(parse(v2_tcp6, sizeof(v2_tcp6), &h, NULL), ERR_OK);
	assert_addr(&h.src, "2001:db8::44");
	assert_int_equal(h.sport, 1);
	assert_int_equal(h.dport, 2);
	/* Prefixes: need says how many more, once the length is known. */
	for (n = 0; n < sizeof(v2_tcp4); n++) {
		assert_int_equal(parse(v2_tcp4, n, &h, &need), ERR_SHORT);
		if (n >= PROXY_V2_MIN)
			assert_int_equal(need, sizeof(v2_tcp4) - n);
	}
	/* LOCAL (a health check), UDP, AF_UNSPEC: skipped, no client. */
	memcpy(buf, v2_tcp4, sizeof(v2_tcp4));
	buf[12] = 0x20;
	assert_int_equal(parse(buf, sizeof(v2_tcp4), &h, NULL), ERR_OK);
	assert_false(h.has_addr);
	buf[12] = 0x21;
	buf[13] = 0x12;
	assert_int_equal(parse(buf, sizeof(v2_tcp4), &h, NULL), ERR_OK);
	assert_false(h.has_addr);
	buf[13] = 0x00;
	assert_int_equal(parse(buf, sizeof(v2_tcp4), &h, NULL), ERR_OK);
	assert_false(h.has_addr);
	assert_int_equal(h.len, sizeof(v2_tcp4));
	/* Version 1 or command 2 in the binary form; a short block. */
	buf[13] = 0x11;
	buf[12] = 0x11;
	assert_int_equal(parse(buf, sizeof(v2_tcp4), &h, NULL), ERR_MALFORMED);
	buf[12] = 0x22;
	assert_int_equal(parse(buf, sizeof(v2_tcp4), &h, NULL), ERR_MALFORMED);
	buf[12] = 0x21;
	buf[15] = 11;
	assert_int_equal(parse(buf, 16 + 11, &h, NULL), ERR_MALFORMED);
	buf[13] = 0x21;			/* IPv6 in 11 bytes */
	assert_int_equal(parse(buf, 16 + 11, &h, NULL), ERR_MALFORMED);
}

static void
test_not_proxy(void **state)
{
	static const char get[] = "GET / HTTP/1.1\r\n";
	static const uint8_t tls[] = { 0x16, 0x03, 0x01, 0x00, 0x10, 0x01 };
	struct proxy_hdr h;
	size_t need;

	(void)state;
	assert_false(proxy_is_start((const uint8_t *)get, sizeof(get) - 1));
	assert_false(proxy_is_start(tls, sizeof(tls)));
	assert_false(proxy_is_start((const uint8_t *)"PROXY", 5));
	assert_true(proxy_is_start((const uint8_t *)"PROXY ", 6));
	assert_false(proxy_is_start(v2_tcp4, 7));
	assert_true(proxy_is_start(v2_tcp4, 8));
	assert_int_equal(parse(get, sizeof(get) - 1, &h, &need),
	    ERR_NOTFOUND);
	assert_int_equal(parse(tls, sizeof(tls), &h, &need), ERR_NOTFOUND);
	assert_int_equal(parse("PROX", 4, &h, &need), ERR_SHORT);
	assert_int_equal(need, 2);
	assert_int_equal(parse("PROXIES", 7, &h, &need), ERR_NOTFOUND);
	assert_int_equal(parse(NULL, 0, &h, &need), ERR_SHORT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_v1_bad),
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_not_proxy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
