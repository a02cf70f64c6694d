/* test_name.c - wire names: the label walk, the presentation form and the
 * UTF-8 check that every module shares (src/name.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "name.h"
#include "socks.h"

/* A DNS message: header, then "www.Example.com" at 12, then "ftp" and a
 * pointer to "Example.com" at 33. */
static const uint8_t msg[] = {
	0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e',
	3, 'c', 'o', 'm', 0,
	3, 'f', 't', 'p', 0xc0, 16,
};

/* Walks the name at off of buf[0..len) into "a.b.c"; the iterator's code. */
static int
walk(const uint8_t *buf, size_t len, size_t off, const uint8_t *ptrs,
    char *out, size_t *end)
{
	struct name_iter it;
	struct cur c = cur_init(buf, len), lab;
	size_t o = 0;
	int r;

	cur_skip(&c, off);
	name_iter_init(&it, c, ptrs, len);
	while ((r = name_iter_next(&it, &lab)) == NAME_NEXT) {
		if (o > 0)
			out[o++] = '.';
		while (cur_left(&lab) > 0)
			out[o++] = (char)cur_u8(&lab);
	}
	out[o] = '\0';
	c = name_iter_end(&it);
	*end = cur_off(&c, buf);
	return r;
}

static void
test_iter(void **state)
{
	char out[300];
	size_t end;

	(void)state;
	assert_int_equal(walk(msg, sizeof(msg), 12, msg, out, &end), NAME_END);
	assert_string_equal(out, "www.Example.com");
	assert_int_equal(end, 29);
	/* The name ends as written after its pointer. */
	assert_int_equal(walk(msg, sizeof(msg), 29, msg, out, &end), NAME_END);
	assert_string_equal(out, "ftp.Example.com");
	assert_int_equal(end, sizeof(msg));
	/* Without a message to point into, the walk stops at the pointer. */
	assert_int_equal(walk(msg, sizeof(msg), 29, NULL, out, &end),
	    NAME_PTR);
	assert_string_equal(out, "ftp");
}

static void
test_iter_bad(void **state)
{
	/* A pointer to itself, one forward, label type 01. */
	static const uint8_t self[] = { 0xc0, 0x00 };
	static const uint8_t fwd[] = { 1, 'a', 0xc0, 0x04, 0 };
	static const uint8_t type01[] = { 0x40, 0 };
	uint8_t big[2 * 130 + 1], huge[300];
	char out[600];
	size_t end, i, p;

	(void)state;
	assert_int_equal(walk(self, sizeof(self), 0, self, out, &end),
	    ERR_MALFORMED);
	assert_int_equal(walk(fwd, sizeof(fwd), 0, fwd, out, &end),
	    ERR_MALFORMED);
	assert_int_equal(walk(type01, sizeof(type01), 0, type01, out, &end),
	    ERR_MALFORMED);
	/* The root at 0, then pointers each to the one before: 128 hops
	 * pass, 129 do not. */
	big[0] = 0;
	for (i = 0; i < 130; i++) {
		p = i == 0 ? 0 : 2 * i - 1;
		big[2 * i + 1] = (uint8_t)(0xc0 | p >> 8);
		big[2 * i + 2] = (uint8_t)p;
	}
	assert_int_equal(walk(big, sizeof(big), 2 * 127 + 1, big, out, &end),
	    NAME_END);
	assert_string_equal(out, "");
	assert_int_equal(walk(big, sizeof(big), 2 * 128 + 1, big, out, &end),
	    ERR_MALFORMED);
	/* 255 octets pass, 256 do not (RFC 1035 3.1). */
	memset(huge, 0, sizeof(huge));
	for (i = 0; i < 3; i++)
		huge[64 * i] = 63;
	huge[192] = 61;			/* 3 * 64 + 62 + 1 = 255 */
	assert_int_equal(walk(huge, 255, 0, NULL, out, &end), NAME_END);
	huge[192] = 62;
	huge[254] = 'x';
	huge[255] = 0;
	assert_int_equal(walk(huge, 256, 0, NULL, out, &end), ERR_MALFORMED);
	/* Bytes missing inside a label. */
	assert_int_equal(walk(msg, 20, 12, msg, out, &end), ERR_SHORT);
}

/* Every prefix of the compressed name, in a block of its exact size. */
static void
test_iter_prefixes(void **state)
{
	char out[300];
	uint8_t *buf;
	size_t len, end;

	(void)state;
	for (len = 0; len < sizeof(msg); len++) {
		assert_non_null(buf = malloc(len ? len : 1));
		memcpy(buf, msg, len);
		if (len > 29)
			assert_int_equal(walk(buf, len, 29, buf, out, &end),
			    ERR_SHORT);
		if (len > 12 && len < 29)
			assert_int_equal(walk(buf, len, 12, buf, out, &end),
			    ERR_SHORT);
		free(buf);
	}
}

static void
test_esc(void **state)
{
	char o[NAME_ESC_MAX + 1], buf[8], *p;
	unsigned b;
	size_t k;

	(void)state;
	for (b = 0; b < 256; b++) {
		/* The table and the escaper agree on every byte. */
		k = name_esc(o, (uint8_t)b, NAME_LABEL);
		if (name_plain[b] != 0) {
			assert_int_equal(k, 1);
			assert_int_equal((uint8_t)o[0], name_plain[b]);
		} else
			assert_true(k == 2 || k == 4);
	}
	o[name_esc(o, 'Q', 0)] = '\0';
	assert_string_equal(o, "q");
	o[name_esc(o, '.', 0)] = '\0';
	assert_string_equal(o, ".");
	o[name_esc(o, '.', NAME_LABEL)] = '\0';
	assert_string_equal(o, "\\.");
	o[name_esc(o, '\\', 0)] = '\0';
	assert_string_equal(o, "\\\\");
	o[name_esc(o, ' ', 0)] = '\0';
	assert_string_equal(o, "\\032");
	o[name_esc(o, 0xff, 0)] = '\0';
	assert_string_equal(o, "\\255");
	/* name_esc_to() writes all the chars or none. */
	p = buf;
	assert_false(name_esc_to(&p, buf + 3, 0x01, 0));
	assert_ptr_equal(p, buf);
	assert_true(name_esc_to(&p, buf + 4, 0x01, 0));
	assert_ptr_equal(p, buf + 4);
	assert_memory_equal(buf, "\\001", 4);
}

/* SOCKS wrote '\' as \092; it now writes it as HTTP and TLS do. */
static void
test_esc_socks_agrees(void **state)
{
	static const uint8_t s5[] = {
		0x05, 0x01, 0x00, 0x03, 9,
		'A', ' ', 'b', '\\', 'c', '.', 'c', 'o', 'm',
		0x01, 0xbb,
	};
	static const char get[] =
	    "GET / HTTP/1.1\r\n"
	    "Host: A b\\c.com\r\n"
	    "\r\n";
	struct socks_req s;
	struct http_req h;

	(void)state;
	assert_int_equal(socks_client_msg(s5, sizeof(s5), true, &s), ERR_OK);
	assert_true(s.has_name);
	assert_string_equal(s.name, "a\\032b\\\\c.com");
	assert_int_equal(http_request((const uint8_t *)get, sizeof(get) - 1,
	    &h), ERR_OK);
	assert_true(h.has_host);
	assert_string_equal(h.host, s.name);
}

static void
test_utf8(void **state)
{
	/* Overlong, surrogate, above U+10FFFF, cut short. */
	static const uint8_t bad[][4] = {
		{ 0xc0, 0x80 }, { 0xe0, 0x80, 0x80 }, { 0xed, 0xa0, 0x80 },
		{ 0xf4, 0x90, 0x80, 0x80 }, { 0xf5, 0x80, 0x80, 0x80 },
		{ 0x80 },
	};
	size_t i;

	(void)state;
	assert_int_equal(name_utf8_len((const uint8_t *)"a", 1), 1);
	assert_int_equal(name_utf8_len((const uint8_t *)"\xc3\xa9", 2), 2);
	assert_int_equal(name_utf8_len((const uint8_t *)"\xe2\x82\xac", 3),
	    3);
	assert_int_equal(name_utf8_len((const uint8_t *)"\xf0\x9f\x98\x80",
	    4), 4);
	assert_int_equal(name_utf8_len((const uint8_t *)"\xe2\x82\xac", 2),
	    0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(name_utf8_len(bad[i], 4), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iter),
		cmocka_unit_test(test_iter_bad),
		cmocka_unit_test(test_iter_prefixes),
		cmocka_unit_test(test_esc),
		cmocka_unit_test(test_esc_socks_agrees),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
