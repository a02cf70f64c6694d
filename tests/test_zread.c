/* test_zread.c - compressed inputs: each kind by its magic, concatenated
 * members, cut short and corrupt data, pipes, a pcap read through it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "capture.h"
#include "zread.h"

#define PLAIN_LEN	(320u * 1024)

static uint8_t *plain;

/* Bytes that compress, but not to nothing: a counter and some noise. */
static int
setup(void **state)
{
	uint32_t x = 12345;
	size_t i;

	(void)state;
	if ((plain = malloc(PLAIN_LEN)) == NULL)
		return -1;
	for (i = 0; i < PLAIN_LEN; i++) {
		x = x * 1103515245u + 12345u;
		plain[i] = (uint8_t)(i % 64 < 48 ? i / 64 : x >> 24);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(plain);
	return 0;
}

/* Compresses in[0, len) as kind into a new buffer; *out_len its size. */
static uint8_t *
pack(enum zread_kind kind, const uint8_t *in, size_t len, size_t *out_len)
{
	size_t cap = len + len / 2 + 4096;
	uint8_t *out = malloc(cap);
	z_stream zs;
	unsigned bl;
	size_t pos = 0;

	assert_non_null(out);
	switch (kind) {
	case ZREAD_GZIP:
		memset(&zs, 0, sizeof(zs));
		assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY), Z_OK);
		zs.next_in = (Bytef *)(uintptr_t)in;
		zs.avail_in = (unsigned)len;
		zs.next_out = out;
		zs.avail_out = (unsigned)cap;
		assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
		*out_len = zs.total_out;
		deflateEnd(&zs);
		break;
	case ZREAD_XZ:
		assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64,
		    NULL, in, len, out, &pos, cap), LZMA_OK);
		*out_len = pos;
		break;
	case ZREAD_ZSTD:
		*out_len = ZSTD_compress(out, cap, in, len, 3);
		assert_false(ZSTD_isError(*out_len));
		break;
	default:
		bl = (unsigned)cap;
		assert_int_equal(BZ2_bzBuffToBuffCompress((char *)out, &bl,
		    (char *)(uintptr_t)in, (unsigned)len, 1, 0, 0), BZ_OK);
		*out_len = bl;
		break;
	}
	return out;
}

/* Reads z to its end or damage in odd-sized pieces; returns the bytes. */
static size_t
drain(struct zread *z, uint8_t *out, size_t cap, ssize_t *last)
{
	static uint8_t extra[16];
	size_t n = 0, want = 1;
	ssize_t k;

	while (n < cap && (k = zread_read(z, out + n, want < cap - n ?
	    want : cap - n)) > 0) {
		n += (size_t)k;
		want = want * 3 + 7;
		if (want > 100000)
			want = 1;
	}
	/* Past what is expected: the end, or damage. */
	*last = zread_read(z, extra, sizeof(extra));
	return n;
}

static void
test_kinds(void **state)
{
	static const enum zread_kind kinds[] = { ZREAD_GZIP, ZREAD_XZ,
	    ZREAD_ZSTD, ZREAD_BZIP2 };
	char errbuf[ERRBUF_LEN];
	uint8_t *packed, *out;
	struct zread *z;
	size_t i, len, n;
	ssize_t last;

	(void)state;
	assert_non_null(out = malloc(PLAIN_LEN + 1));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		packed = pack(kinds[i], plain, PLAIN_LEN, &len);
		assert_int_equal(zread_kind(packed, len), kinds[i]);
		assert_int_equal(zread_kind(packed, 2), ZREAD_NONE);
		assert_int_equal(zread_new(&z, kinds[i], -1, "x", packed, len,
		    errbuf), ERR_OK);
		n = drain(z, out, PLAIN_LEN + 1, &last);
		assert_int_equal(n, PLAIN_LEN);
		assert_int_equal(last, 0);
		assert_memory_equal(out, plain, PLAIN_LEN);
		assert_int_equal(zread_offset(z), len);
		zread_free(z);
		free(packed);
	}
	assert_int_equal(zread_kind(plain, PLAIN_LEN), ZREAD_NONE);
	assert_string_equal(zread_kind_name(ZREAD_ZSTD), "zstd");
	free(out);
}

/* gzip members, xz streams, zstd frames, bzip2 streams one after another
 * read as one; something else after them is damage after the data. */
static void
test_concatenated(void **state)
{
	static const enum zread_kind kinds[] = { ZREAD_GZIP, ZREAD_XZ,
	    ZREAD_ZSTD, ZREAD_BZIP2 };
	char errbuf[ERRBUF_LEN];
	uint8_t *a, *b, *cat, *out;
	struct zread *z;
	size_t i, la, lb, half = PLAIN_LEN / 3, n;
	ssize_t last;

	(void)state;
	assert_non_null(out = malloc(PLAIN_LEN));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		a = pack(kinds[i], plain, half, &la);
		b = pack(kinds[i], plain + half, PLAIN_LEN - half, &lb);
		assert_non_null(cat = malloc(la + lb + 8));
		memcpy(cat, a, la);
		memcpy(cat + la, b, lb);
		assert_int_equal(zread_new(&z, kinds[i], -1, "cat", cat,
		    la + lb, errbuf), ERR_OK);
		n = drain(z, out, PLAIN_LEN, &last);
		assert_int_equal(n, PLAIN_LEN);
		assert_int_equal(last, 0);
		assert_memory_equal(out, plain, PLAIN_LEN);
		zread_free(z);
		/* Trailing bytes that are not another member. */
		memcpy(cat + la + lb, "garbage!", 8);
		assert_int_equal(zread_new(&z, kinds[i], -1, "cat", cat,
		    la + lb + 8, errbuf), ERR_OK);
		n = drain(z, out, PLAIN_LEN, &last);
		assert_int_equal(n, PLAIN_LEN);
		assert_int_equal(last, -1);
		/* xz takes 8 bytes for the start of a stream cut short */
		assert_int_equal(zread_code(z), kinds[i] == ZREAD_XZ ?
		    ERR_SHORT : ERR_MALFORMED);
		zread_free(z);
		free(a);
		free(b);
		free(cat);
	}
	free(out);
}

/* Cut short: what came before is given, then ERR_SHORT with the offset. */
static void
test_truncated(void **state)
{
	static const enum zread_kind kinds[] = { ZREAD_GZIP, ZREAD_XZ,
	    ZREAD_ZSTD, ZREAD_BZIP2 };
	char errbuf[ERRBUF_LEN], want[64];
	uint8_t *packed, *out;
	struct zread *z;
	size_t i, len, n;
	ssize_t last;

	(void)state;
	assert_non_null(out = malloc(PLAIN_LEN));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		packed = pack(kinds[i], plain, PLAIN_LEN, &len);
		assert_int_equal(zread_new(&z, kinds[i], -1, "t.gz", packed,
		    len - 10, errbuf), ERR_OK);
		n = drain(z, out, PLAIN_LEN, &last);
		assert_true(n <= PLAIN_LEN);
		assert_memory_equal(out, plain, n);
		assert_int_equal(last, -1);
		assert_int_equal(zread_code(z), ERR_SHORT);
		snprintf(want, sizeof(want), "t.gz: compressed offset %zu: ",
		    len - 10);
		assert_memory_equal(zread_error(z), want, strlen(want));
		assert_non_null(strstr(zread_error(z), "cut short"));
		/* The error stays. */
		assert_int_equal(zread_read(z, out, 10), -1);
		zread_free(z);
		free(packed);
	}
	free(out);
}

static void
test_corrupt(void **state)
{
	static const enum zread_kind kinds[] = { ZREAD_GZIP, ZREAD_XZ,
	    ZREAD_ZSTD, ZREAD_BZIP2 };
	char errbuf[ERRBUF_LEN];
	uint8_t *packed, *out;
	struct zread *z;
	size_t i, j, len, n;
	ssize_t last;

	(void)state;
	assert_non_null(out = malloc(PLAIN_LEN));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		packed = pack(kinds[i], plain, PLAIN_LEN, &len);
		for (j = len / 2; j < len / 2 + 64; j++)
			packed[j] ^= 0x5a;
		assert_int_equal(zread_new(&z, kinds[i], -1, "c", packed, len,
		    errbuf), ERR_OK);
		n = drain(z, out, PLAIN_LEN, &last);
		/* Damage is found, or (no check in the format) the bytes
		 * differ: never a hang or a read past the input. */
		assert_true(last == -1 || n < PLAIN_LEN ||
		    memcmp(out, plain, PLAIN_LEN) != 0);
		if (last == -1)
			assert_int_equal(zread_code(z), ERR_MALFORMED);
		zread_free(z);
		free(packed);
	}
	free(out);
}

/* Through a pipe, with the first bytes already read (as a sniffer does). */
static void
test_pipe(void **state)
{
	char errbuf[ERRBUF_LEN];
	uint8_t *packed, *out;
	struct zread *z;
	size_t len, n, off;
	ssize_t last, k;
	int fds[2];
	pid_t pid;

	(void)state;
	packed = pack(ZREAD_ZSTD, plain, PLAIN_LEN, &len);
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		for (off = 100; off < len; off += (size_t)k)
			if ((k = write(fds[1], packed + off, len - off)) <= 0)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	assert_non_null(out = malloc(PLAIN_LEN));
	assert_int_equal(zread_detect(fds[0], packed, 100), ZREAD_ZSTD);
	assert_int_equal(zread_detect(fds[0], NULL, 0), ZREAD_NONE);
	assert_int_equal(zread_new(&z, ZREAD_ZSTD, fds[0], "-", packed, 100,
	    errbuf), ERR_OK);
	n = drain(z, out, PLAIN_LEN, &last);
	assert_int_equal(n, PLAIN_LEN);
	assert_memory_equal(out, plain, PLAIN_LEN);
	zread_free(z);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	free(packed);
	free(out);
}

/* The sniffer's view: the start of what a compressed input holds. */
static void
test_peek(void **state)
{
	uint8_t *packed, out[4096];
	size_t len;

	(void)state;
	packed = pack(ZREAD_XZ, plain, PLAIN_LEN, &len);
	assert_int_equal(zread_peek(packed, len, out, sizeof(out)),
	    sizeof(out));
	assert_memory_equal(out, plain, sizeof(out));
	/* Only the first bytes of a large stream: some or none out. */
	assert_true(zread_peek(packed, 64, out, sizeof(out)) <= sizeof(out));
	assert_int_equal(zread_peek(plain, 100, out, sizeof(out)), 0);
	free(packed);
}

/* A gzip'ed pcap from memory reads like the pcap; offsets are those of
 * the decompressed bytes. */
static void
test_capture(void **state)
{
	static const uint8_t pcap[] = {
		0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0, 0, 101, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0,
		0x45, 0, 0,
		2, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 9, 0, 0, 0,
		0x45, 0, 0,
	};
	char errbuf[ERRBUF_LEN];
	struct capture *cap;
	struct capture_pkt cp;
	uint8_t *packed;
	size_t len;

	(void)state;
	packed = pack(ZREAD_GZIP, pcap, sizeof(pcap), &len);
	assert_int_equal(capture_open_buf(&cap, packed, len, "p.pcap.gz",
	    errbuf), ERR_OK);
	assert_string_equal(capture_format(cap), "pcap");
	assert_int_equal(capture_next(cap, &cp, errbuf), ERR_OK);
	assert_int_equal(cp.caplen, 3);
	assert_int_equal(cp.linktype, 101);
	assert_int_equal(cp.offset, 24);
	/* The second record claims 9 bytes and has 3. */
	assert_int_equal(capture_next(cap, &cp, errbuf), ERR_SHORT);
	assert_non_null(strstr(errbuf, "p.pcap.gz: offset 43 "
	    "(decompressed): "));
	capture_close(cap);
	free(packed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_capture),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
