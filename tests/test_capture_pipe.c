/* test_capture_pipe.c - the reader thread's hand-off (capture_pipe.c):
 * order, buffers reused only when done with, the end, errors, stopping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "capture_pipe.h"

#define N_REC	6000		/* 2.2 MB: past the 1 MiB the open reads */

/* A pcap (LE, usec, Ethernet) of N_REC records; record i (0-based) holds
 * rec_len(i) bytes, each (i * 7 + k) & 0xff, so a byte out of place or a
 * buffer reused too early shows. */
static size_t
rec_len(size_t i)
{
	/* 1 to 700 bytes, and now and then one larger than the buffers. */
	return i % 97 == 5 ? 3000 : 1 + (i * 37) % 700;
}

static void
put32(uint8_t **p, uint32_t v)
{
	(*p)[0] = (uint8_t)v;
	(*p)[1] = (uint8_t)(v >> 8);
	(*p)[2] = (uint8_t)(v >> 16);
	(*p)[3] = (uint8_t)(v >> 24);
	*p += 4;
}

static uint8_t *
make_pcap(size_t *len)
{
	size_t i, k, n = 24;
	uint8_t *buf, *p;

	for (i = 0; i < N_REC; i++)
		n += 16 + rec_len(i);
	buf = p = malloc(n);
	assert_non_null(buf);
	put32(&p, 0xa1b2c3d4u);
	put32(&p, 2 | 4u << 16);
	put32(&p, 0);
	put32(&p, 0);
	put32(&p, 65535);
	put32(&p, 1);
	for (i = 0; i < N_REC; i++) {
		put32(&p, (uint32_t)(1700000000 + i));
		put32(&p, 0);
		put32(&p, (uint32_t)rec_len(i));
		put32(&p, (uint32_t)rec_len(i));
		for (k = 0; k < rec_len(i); k++)
			*p++ = (uint8_t)(i * 7 + k);
	}
	*len = n;
	return buf;
}

static char *
write_tmp(const uint8_t *buf, size_t len)
{
	char *path = strdup("/tmp/test_capture_pipe.XXXXXX");
	int fd;

	assert_non_null(path);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	return path;
}

static void
check_rec(const struct capture_pkt *pk, size_t i)
{
	size_t at[3], j, k;

	assert_int_equal(pk->frame, i + 1);
	assert_int_equal(pk->caplen, rec_len(i));
	assert_int_equal(pk->ts_sec, 1700000000 + (int64_t)i);
	/* Three bytes a record: enough to see another record's bytes, and
	 * cheap under valgrind. */
	at[0] = 0;
	at[1] = pk->caplen / 2;
	at[2] = pk->caplen - 1;		/* caplen >= 1 */
	for (j = 0; j < 3; j++) {
		k = at[j];
		if (pk->data[k] != (uint8_t)(i * 7 + k))
			fail_msg("record %zu byte %zu", i, k);
	}
}

/* Every record once, in order, its bytes intact while the sensor holds
 * the batch, through tiny buffers (each a few records; some records do
 * not fit one), then *end.  slow: the consumer dawdles over each batch,
 * so that a buffer given back too early is overwritten under it (that
 * mutation of pipe_swap() fails here). */
static size_t
drain(struct capture_pipe *pl, size_t upto, int *end, bool slow,
    char *errbuf)
{
	const struct capture_pkt *pk;
	size_t n, i, seen = 0;
	int r;

	while ((r = capture_pipe_next(pl, &pk, &n, errbuf)) == ERR_OK) {
		assert_true(n >= 1);
		if (slow)
			usleep(20);
		for (i = 0; i < n; i++)
			check_rec(&pk[i], seen + i);
		seen += n;
		assert_true(seen <= upto);
	}
	*end = r;
	/* Said again on every call. */
	assert_int_equal(capture_pipe_next(pl, &pk, &n, errbuf), r);
	return seen;
}

static const struct capture_pipe_config tiny = {
	.bufs = 2, .buf_len = 1024, .batch = 3, .batches = 8,
};

static void
test_order_and_end(void **state)
{
	struct capture_pipe_config cfgs[3] = {
		tiny,
		{ .bufs = 3, .buf_len = 4096, .batch = 64, .batches = 4 },
		{ 0 },		/* the defaults */
	};
	char errbuf[ERRBUF_LEN], *path;
	struct capture *cap;
	struct capture_pipe *pl;
	uint8_t *buf;
	size_t len, c;
	int end;

	(void)state;
	buf = make_pcap(&len);
	path = write_tmp(buf, len);
	for (c = 0; c < 3; c++) {
		assert_int_equal(capture_open_file(&cap, path, errbuf), ERR_OK);
		assert_int_equal(capture_pipe_new(&pl, cap, &cfgs[c], errbuf),
		    ERR_OK);
		assert_int_equal(drain(pl, N_REC, &end, c == 0, errbuf),
		    N_REC);
		assert_int_equal(end, ERR_END);
		assert_int_equal(capture_pipe_offset(pl), len);
		capture_pipe_free(pl);
		assert_int_equal(capture_stats(cap)->records, N_REC);
		capture_close(cap);
	}
	/* Bytes in memory need no buffers: the same records. */
	assert_int_equal(capture_open_buf(&cap, buf, len, "mem", errbuf),
	    ERR_OK);
	assert_int_equal(capture_pipe_new(&pl, cap, &tiny, errbuf), ERR_OK);
	assert_int_equal(drain(pl, N_REC, &end, false, errbuf), N_REC);
	assert_int_equal(end, ERR_END);
	capture_pipe_free(pl);
	capture_close(cap);
	unlink(path);
	free(path);
	free(buf);
}

/* Cut short: every whole record first, then the one-thread reader's very
 * message. */
static void
test_error_mid_input(void **state)
{
	char errbuf[ERRBUF_LEN], want[ERRBUF_LEN], *path;
	struct capture_pkt cp;
	struct capture *cap;
	struct capture_pipe *pl;
	uint8_t *buf;
	size_t len, whole = 0;
	int end, r;

	(void)state;
	buf = make_pcap(&len);
	path = write_tmp(buf, len / 2 + 3);
	assert_int_equal(capture_open_file(&cap, path, errbuf), ERR_OK);
	while ((r = capture_next(cap, &cp, want)) == ERR_OK)
		whole++;
	assert_int_equal(r, ERR_SHORT);
	capture_close(cap);

	assert_int_equal(capture_open_file(&cap, path, errbuf), ERR_OK);
	assert_int_equal(capture_pipe_new(&pl, cap, &tiny, errbuf), ERR_OK);
	assert_int_equal(drain(pl, N_REC, &end, true, errbuf), whole);
	assert_int_equal(end, ERR_SHORT);
	assert_string_equal(errbuf, want);
	capture_pipe_free(pl);
	capture_close(cap);
	unlink(path);
	free(path);
	free(buf);
}

/* Freed early, its reader waiting on a full ring: it stops, no hang. */
static void
test_stop_early(void **state)
{
	const struct capture_pkt *pk;
	char errbuf[ERRBUF_LEN], *path;
	struct capture *cap;
	struct capture_pipe *pl;
	uint8_t *buf;
	size_t len, n;

	(void)state;
	buf = make_pcap(&len);
	path = write_tmp(buf, len);
	assert_int_equal(capture_open_file(&cap, path, errbuf), ERR_OK);
	assert_int_equal(capture_pipe_new(&pl, cap, &tiny, errbuf), ERR_OK);
	assert_int_equal(capture_pipe_next(pl, &pk, &n, errbuf), ERR_OK);
	check_rec(&pk[0], 0);
	usleep(1000);			/* the reader fills the ring */
	capture_pipe_free(pl);
	/* Never started: freed at once. */
	capture_close(cap);
	assert_int_equal(capture_open_file(&cap, path, errbuf), ERR_OK);
	assert_int_equal(capture_pipe_new(&pl, cap, NULL, errbuf), ERR_OK);
	capture_pipe_free(pl);
	capture_close(cap);
	unlink(path);
	free(path);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_end),
		cmocka_unit_test(test_error_mid_input),
		cmocka_unit_test(test_stop_early),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
