/* test_capture_pipe.c - the reader thread's hand-off (capture_pipe.c):
 * order, buffers reused only when done with, the end, errors, stopping,
 * records decoded by either thread as by one, and the reader's screen. */
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
#include "decode.h"

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

/* A classic pcap file header: microseconds, snaplen 65535, Ethernet. */
static void
put_pcap_header(uint8_t **p)
{
	put32(p, 0xa1b2c3d4u);
	put32(p, 2 | 4u << 16);
	put32(p, 0);
	put32(p, 0);
	put32(p, 65535);
	put32(p, 1);
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
	put_pcap_header(&p);
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


/* ---- decoded by the reader -------------------------------------------- */

#define N_DEC		1520	/* records of make_ip_pcap() */
#define FRAG_DATA	24000	/* a fragmented datagram's UDP payload */
#define FRAG_STEP	1480	/* IP payload a fragment */

static void
put16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* An IPv4 header at p: payload len bytes, proto, id, flags and offset. */
static void
ip4(uint8_t *p, size_t len, uint8_t proto, uint16_t id, uint16_t frag,
    uint8_t host)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16be(p + 2, (uint16_t)(20 + len));
	put16be(p + 4, id);
	put16be(p + 6, frag);
	p[8] = 64;
	p[9] = proto;
	p[12] = 10;
	p[15] = host;
	p[16] = 192;
	p[17] = 0;
	p[18] = 2;
	p[19] = 1;
}

/* Record i of make_ip_pcap() into p (Ethernet): its length.  Mostly UDP
 * datagrams, some through an IP-in-IP tunnel, and every 40 records a
 * datagram of FRAG_DATA bytes in fragments (its last one completes it:
 * a payload in the decoder's buffer, copied to the batch's arena). */
static size_t
ip_rec(size_t i, uint8_t *p)
{
	size_t k, off, n, len = 14, plen = 20 + (i * 13) % 300;
	uint8_t *ip = p + 14;

	memset(p, 0, 14);
	p[12] = 0x08;
	if (i % 40 < (FRAG_DATA + 8 + FRAG_STEP - 1) / FRAG_STEP) {
		/* Fragment i % 40 of datagram i / 40. */
		off = (i % 40) * FRAG_STEP;
		n = FRAG_DATA + 8 - off < FRAG_STEP ? FRAG_DATA + 8 - off :
		    FRAG_STEP;
		ip4(ip, n, 17, (uint16_t)(i / 40), (uint16_t)((off / 8) |
		    (off + n < FRAG_DATA + 8 ? 0x2000 : 0)), 9);
		for (k = 0; k < n; k++)
			ip[20 + k] = (uint8_t)(off + k + i / 40);
		if (off == 0) {
			put16be(ip + 20, 5353);
			put16be(ip + 22, 53);
			put16be(ip + 24, FRAG_DATA + 8);
			ip[26] = ip[27] = 0;
		}
		return len + 20 + n;
	}
	if (i % 7 == 3) {
		/* IP in IP: an outer header first. */
		ip4(ip, 20 + 8 + plen, 4, 0, 0, 7);
		ip += 20;
		len += 20;
	}
	ip4(ip, 8 + plen, 17, 0, 0, (uint8_t)(i % 200 + 1));
	put16be(ip + 20, (uint16_t)(1024 + i));
	put16be(ip + 22, 53);
	put16be(ip + 24, (uint16_t)(8 + plen));
	ip[26] = ip[27] = 0;
	for (k = 0; k < plen; k++)
		ip[28 + k] = (uint8_t)(i + k);
	return len + 28 + plen;
}

static uint8_t *
make_ip_pcap(size_t *len)
{
	uint8_t rec[2048], *buf, *p;
	size_t i, n = 24, l;

	for (i = 0; i < N_DEC; i++)
		n += 16 + ip_rec(i, rec);
	buf = p = malloc(n);
	assert_non_null(buf);
	put_pcap_header(&p);
	for (i = 0; i < N_DEC; i++) {
		l = ip_rec(i, rec);
		put32(&p, (uint32_t)(1700000000 + i));
		put32(&p, (uint32_t)i);
		put32(&p, (uint32_t)l);
		put32(&p, (uint32_t)l);
		memcpy(p, rec, l);
		p += l;
	}
	*len = n;
	return buf;
}

/* got (from the pipe) is what ref decoded. */
static void
same_pkt(const struct pkt *got, const struct pkt *ref, size_t i)
{
	size_t k;

	if (memcmp(&got->src, &ref->src, sizeof(got->src)) != 0 ||
	    memcmp(&got->dst, &ref->dst, sizeof(got->dst)) != 0 ||
	    got->sport != ref->sport || got->dport != ref->dport ||
	    got->proto != ref->proto || got->reassembled != ref->reassembled ||
	    got->cut != ref->cut || got->payload_len != ref->payload_len ||
	    got->n_encap != ref->n_encap || got->frame != i + 1 ||
	    got->ts_sec != 1700000000 + (int64_t)i ||
	    got->ts_nsec != (uint32_t)i * 1000)
		fail_msg("record %zu: fields differ", i);
	if (got->payload_len > 0 && memcmp(got->payload, ref->payload,
	    got->payload_len) != 0)
		fail_msg("record %zu: payload differs", i);
	/* Field by field: struct encap has padding nobody sets. */
	for (k = 0; k < got->n_encap && k < ENCAP_MAX; k++)
		if (!addr_eq(&got->encap[k].src, &ref->encap[k].src) ||
		    !addr_eq(&got->encap[k].dst, &ref->encap[k].dst) ||
		    got->encap[k].id != ref->encap[k].id ||
		    got->encap[k].kind != ref->encap[k].kind ||
		    got->encap[k].has_id != ref->encap[k].has_id)
			fail_msg("record %zu: tunnel layer %zu differs", i, k);
}

/*
 * Each split, with batches that end at the arena (two reassembled
 * datagrams do not fit its least size) and at buffers: every record as a
 * decoder of its own decodes it alone, whichever thread did, and the
 * counters of the decoder the two threads shared are the same.
 */
static void
test_decoded(void **state)
{
	static const struct {
		enum capture_pipe_split	split;
		size_t			batch, window;
	} runs[] = {
		{ CAPTURE_PIPE_SPLIT_READER, 512, 0 },
		{ CAPTURE_PIPE_SPLIT_FLIP, 7, 0 },
		{ CAPTURE_PIPE_SPLIT_AUTO, 5, 1 },
		{ CAPTURE_PIPE_SPLIT_SENSOR, 64, 0 },
	};
	struct capture_pipe_config cfg;
	const struct capture_pkt *pk;
	char errbuf[ERRBUF_LEN];
	struct capture *cap;
	struct capture_pipe *pl;
	struct decode *dec, *ref;
	struct pkt got, want;
	uint8_t *buf;
	size_t len, n, i, seen, c, by_reader, frags;
	int r, rr;

	(void)state;
	buf = make_ip_pcap(&len);
	for (c = 0; c < sizeof(runs) / sizeof(runs[0]); c++) {
		assert_non_null(dec = decode_new(1 << 20, 60));
		assert_non_null(ref = decode_new(1 << 20, 60));
		memset(&cfg, 0, sizeof(cfg));
		cfg.bufs = 3;
		cfg.buf_len = 16384;
		cfg.batch = runs[c].batch;
		cfg.batches = 6;
		cfg.dec = dec;
		cfg.split = runs[c].split;
		cfg.arena = 1;		/* the least */
		cfg.window = runs[c].window;
		assert_int_equal(capture_open_buf(&cap, buf, len, "mem",
		    errbuf), ERR_OK);
		assert_int_equal(capture_pipe_new(&pl, cap, &cfg, errbuf),
		    ERR_OK);
		seen = by_reader = frags = 0;
		while ((r = capture_pipe_next(pl, &pk, &n, errbuf)) ==
		    ERR_OK) {
			for (i = 0; i < n; i++) {
				rr = decode_pkt(ref, &want, pk[i].data,
				    pk[i].caplen, pk[i].len, pk[i].linktype,
				    pk[i].ts_sec);
				if (capture_pipe_is_decoded(pl)) {
					r = capture_pipe_decoded(pl, i, &got);
					by_reader++;
				} else {
					r = decode_pkt(dec, &got, pk[i].data,
					    pk[i].caplen, pk[i].len,
					    pk[i].linktype, pk[i].ts_sec);
					got.frame = pk[i].frame;
					got.ts_sec = pk[i].ts_sec;
					got.ts_nsec = pk[i].ts_nsec;
				}
				assert_int_equal(r, rr);
				if (r == ERR_OK) {
					same_pkt(&got, &want, seen + i);
					frags += got.reassembled;
				}
			}
			seen += n;
		}
		assert_int_equal(r, ERR_END);
		assert_int_equal(seen, N_DEC);
		assert_int_equal(frags, N_DEC / 40);
		capture_pipe_free(pl);
		if (runs[c].split == CAPTURE_PIPE_SPLIT_SENSOR)
			assert_int_equal(by_reader, 0);
		else if (runs[c].split == CAPTURE_PIPE_SPLIT_READER)
			assert_int_equal(by_reader, N_DEC);
		else
			assert_true(by_reader > 0 && by_reader < N_DEC);
		assert_memory_equal(decode_stats(dec), decode_stats(ref),
		    sizeof(struct decode_stats));
		capture_close(cap);
		decode_free(dec);
		decode_free(ref);
	}
	free(buf);
}

/* A screen that is a function of the record alone, as the pipe needs. */
static uint32_t
screen_of(const struct capture_pkt *cp)
{
	return (uint32_t)(cp->frame * 2654435761u) | 1;
}

/* On the reader's thread: no cmocka assertion there (it jumps); a count
 * of packets it was handed, read after the thread is joined.  No decoder
 * here: the records are the sensor's to decode, p always NULL. */
static size_t screen_decoded;

static uint32_t
screen_cb(void *arg, const struct capture_pkt *cp, const struct pkt *p)
{
	(void)arg;
	if (p != NULL)
		screen_decoded++;
	return screen_of(cp);
}

/*
 * The reader's screen: every batch with SCREEN_ALL, none with
 * SCREEN_NONE, and by default some when the sensor falls behind (it
 * dawdles over each batch here, so the ring fills); each record of a
 * screened batch carries its own verdict, through buffer changes and
 * records larger than a buffer.
 */
static void
test_screened(void **state)
{
	static const enum capture_pipe_screen when[] = {
		CAPTURE_PIPE_SCREEN_ALL, CAPTURE_PIPE_SCREEN_NONE,
		CAPTURE_PIPE_SCREEN_AUTO,
	};
	struct capture_pipe_config cfg = tiny;
	const struct capture_pkt *pk;
	const uint32_t *scr;
	char errbuf[ERRBUF_LEN];
	struct capture *cap;
	struct capture_pipe *pl;
	uint8_t *buf;
	size_t len, n, i, seen, c, batches, screened;
	int r;

	(void)state;
	buf = make_pcap(&len);
	for (c = 0; c < sizeof(when) / sizeof(when[0]); c++) {
		cfg.screen = screen_cb;
		cfg.screen_when = when[c];
		assert_int_equal(capture_open_buf(&cap, buf, len, "mem",
		    errbuf), ERR_OK);
		assert_int_equal(capture_pipe_new(&pl, cap, &cfg, errbuf),
		    ERR_OK);
		seen = batches = screened = 0;
		while ((r = capture_pipe_next(pl, &pk, &n, errbuf)) ==
		    ERR_OK) {
			batches++;
			if (when[c] == CAPTURE_PIPE_SCREEN_AUTO)
				usleep(50);
			if ((scr = capture_pipe_screened(pl)) != NULL) {
				screened++;
				for (i = 0; i < n; i++)
					assert_int_equal(scr[i],
					    screen_of(&pk[i]));
			}
			for (i = 0; i < n; i++)
				check_rec(&pk[i], seen + i);
			seen += n;
		}
		assert_int_equal(r, ERR_END);
		assert_int_equal(seen, N_REC);
		if (when[c] == CAPTURE_PIPE_SCREEN_ALL)
			assert_int_equal(screened, batches);
		else if (when[c] == CAPTURE_PIPE_SCREEN_NONE)
			assert_int_equal(screened, 0);
		else
			assert_true(screened > 0);
		capture_pipe_free(pl);
		assert_int_equal(screen_decoded, 0);
		capture_close(cap);
	}
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_end),
		cmocka_unit_test(test_error_mid_input),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_decoded),
		cmocka_unit_test(test_screened),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
