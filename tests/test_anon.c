/* test_anon.c - unit tests for anon.c (Crypto-PAn reference vectors). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anon.h"

/* The sample key of the Crypto-PAn reference distribution. */
static const uint8_t ref_key[ANON_KEY_LEN] = {
	21, 34, 23, 141, 51, 164, 207, 128, 19, 10, 91, 22, 73, 144, 125, 16,
	216, 152, 143, 131, 121, 121, 101, 39, 98, 87, 76, 45, 42, 132, 34, 2,
};

static char *
pseud(struct anon *an, const char *in, char *buf)
{
	struct addr a, b;

	assert_true(addr_parse(&a, in));
	anon_addr(an, &b, &a);
	return (char *)addr_fmt(&b, buf);
}

static void
test_vectors(void **state)
{
	/* Pairs from the reference sample trace (IPv4) and the IPv6
	 * generalisation used by other implementations. */
	static const char *const v[][2] = {
		{ "128.11.68.132", "135.242.180.132" },
		{ "129.118.74.4", "134.136.186.123" },
		{ "130.132.252.244", "133.68.164.234" },
		{ "141.223.7.43", "141.167.8.160" },
		{ "141.233.145.108", "141.129.237.235" },
		{ "152.163.225.39", "151.140.114.167" },
		{ "192.102.249.13", "252.138.62.131" },
		{ "24.0.250.221", "100.15.198.226" },
		{ "64.14.118.196", "0.255.183.58" },
		{ "10.185.25.118", "117.161.29.118" },
		{ "::1", "78ff:f001:9fc0:20df:8380:b1f1:704:ed" },
		{ "::2", "78ff:f001:9fc0:20df:8380:b1f1:704:ef" },
		{ "2001:db8::1", "4401:2bc:603f:d91d:27f:ff8e:e6f1:dc1e" },
		{ "2001:db8::2", "4401:2bc:603f:d91d:27f:ff8e:e6f1:dc1c" },
	};
	char errbuf[ERRBUF_LEN], buf[ADDR_STRLEN];
	struct anon *an = NULL;
	size_t i;
	int pass;

	(void)state;
	if (!anon_available()) {
		assert_int_equal(anon_new(&an, ref_key, errbuf),
		    ERR_UNSUPPORTED);
		assert_non_null(strstr(errbuf, "not available"));
		skip();
	}
	assert_int_equal(anon_new(&an, ref_key, errbuf), ERR_OK);
	/* Twice: the second round comes from the cache. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			assert_string_equal(pseud(an, v[i][0], buf), v[i][1]);
	anon_free(an);
}

static unsigned
common_prefix(const struct addr *x, const struct addr *y)
{
	unsigned n = 0, bits = x->family == 4 ? 32 : 128;

	while (n < bits && ((x->a[n / 8] ^ y->a[n / 8]) &
	    (0x80u >> (n % 8))) == 0)
		n++;
	return n;
}

/* Shared prefixes are kept exactly: no more, no fewer bits. */
static void
test_prefix_preserving(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct anon *an = NULL;
	struct addr a[64], p[64], same;
	uint32_t x = 12345;
	size_t i, j, k;

	(void)state;
	if (!anon_available())
		skip();
	assert_int_equal(anon_new(&an, ref_key, errbuf), ERR_OK);
	for (i = 0; i < 64; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].family = i < 32 ? 4 : 6;
		/* Near neighbours, so that long common prefixes occur. */
		for (k = 0; k < 16; k++) {
			x = x * 1103515245u + 12345u;
			a[i].a[k] = i < 32 && k >= 4 ? 0 :
			    (uint8_t)(k < 2 ? 0x20 :
			    (x >> 16) & (k % 3 ? 1 : 0xff));
		}
		anon_addr(an, &p[i], &a[i]);
		assert_int_equal(p[i].family, a[i].family);
	}
	for (i = 0; i < 64; i++)
		for (j = 0; j < 64; j++) {
			if (a[i].family != a[j].family)
				continue;
			assert_int_equal(common_prefix(&a[i], &a[j]),
			    common_prefix(&p[i], &p[j]));
		}
	/* In place gives the same. */
	same = a[40];
	anon_addr(an, &same, &same);
	assert_true(addr_eq(&same, &p[40]));
	/* Other families pass unchanged. */
	memset(&same, 0, sizeof(same));
	anon_addr(an, &p[0], &same);
	assert_true(addr_eq(&p[0], &same));
	anon_free(an);
	anon_free(NULL);
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static void
test_key_files(void **state)
{
	char path[] = "/tmp/kasaudit-anon-XXXXXX", errbuf[ERRBUF_LEN];
	char good[80], buf[ADDR_STRLEN];
	struct anon *an = NULL;
	size_t i;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	/* The reference key in hex, upper case, with a newline. */
	for (i = 0; i < ANON_KEY_LEN; i++)
		snprintf(good + 2 * i, 3, "%02X", ref_key[i]);
	strcat(good, "\n");
	write_file(path, good, strlen(good));
	if (!anon_available()) {
		assert_int_equal(anon_load(&an, path, errbuf),
		    ERR_UNSUPPORTED);
		unlink(path);
		skip();
	}
	assert_int_equal(anon_load(&an, path, errbuf), ERR_OK);
	assert_string_equal(pseud(an, "128.11.68.132", buf),
	    "135.242.180.132");
	anon_free(an);
	/* 32 raw bytes. */
	write_file(path, ref_key, sizeof(ref_key));
	assert_int_equal(anon_load(&an, path, errbuf), ERR_OK);
	assert_string_equal(pseud(an, "129.118.74.4", buf),
	    "134.136.186.123");
	anon_free(an);
	/* Wrong lengths and a bad digit. */
	write_file(path, ref_key, 31);
	assert_int_equal(anon_load(&an, path, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "32 bytes or 64 hexadecimal"));
	write_file(path, good, 63);
	assert_int_equal(anon_load(&an, path, errbuf), ERR_MALFORMED);
	good[10] = 'g';
	write_file(path, good, strlen(good));
	assert_int_equal(anon_load(&an, path, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "byte 10"));
	write_file(path, "", 0);
	assert_int_equal(anon_load(&an, path, errbuf), ERR_MALFORMED);
	unlink(path);
	assert_int_equal(anon_load(&an, path, errbuf), ERR_IO);
	assert_non_null(strstr(errbuf, path));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_prefix_preserving),
		cmocka_unit_test(test_key_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
