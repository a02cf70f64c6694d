/* fuzz_capture.c - libFuzzer: the pcap/pcapng reader, mapped and piped,
 * and through the decompressor (zread.c) when the bytes are compressed. */

/*
 * The same bytes are read from memory and through a pipe (the bounded
 * buffer path), and the two readings must agree.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "err.h"
#include "fuzz.h"
#include "zread.h"

#define MAX_RECORDS	100000
#define PIPE_MAX	60000	/* fits a pipe's buffer: no writer thread */

struct result {
	int		 r;		/* how it ended */
	uint64_t	 n;		/* records returned */
	uint64_t	 sum;		/* of caplens */
	uint64_t	 off;		/* capture_offset() at the end */
	char		 err[ERRBUF_LEN];
};

/*
 * size bounds offsets and lengths, but not of a compressed input (zread.c):
 * what it holds may be larger than it is.
 */
static void
walk(struct capture *c, size_t size, bool in_memory, struct result *res)
{
	struct capture_pkt p;
	uint64_t last_off = 0;
	int r;

	res->n = 0;
	res->sum = 0;
	while (res->n < MAX_RECORDS &&
	    (r = capture_next(c, &p, res->err)) == ERR_OK) {
		res->n++;
		res->sum += p.caplen;
		FUZZ_CHECK(p.frame == res->n);
		FUZZ_CHECK(p.offset < size || size == SIZE_MAX);
		FUZZ_CHECK(res->n == 1 || p.offset > last_off);
		FUZZ_CHECK(p.caplen <= size);
		last_off = p.offset;
		if (in_memory)
			fuzz_touch(p.data, p.caplen);
	}
	res->r = res->n == MAX_RECORDS ? ERR_OK : r;
	res->off = capture_offset(c);
	FUZZ_CHECK(res->off <= size || size == SIZE_MAX);
	if (res->r != ERR_OK && res->r != ERR_END) {
		FUZZ_CHECK(res->r == ERR_MALFORMED || res->r == ERR_SHORT ||
		    res->r == ERR_NOMEM);
		FUZZ_CHECK(res->err[0] != '\0');
		FUZZ_CHECK(memchr(res->err, '\0', ERRBUF_LEN) != NULL);
		/* The error sticks. */
		FUZZ_CHECK(capture_next(c, &p, res->err) == res->r);
	}
	FUZZ_CHECK(capture_stats(c)->records == res->n);
}

/* The same bytes read as a pipe: the bounded-buffer path. */
static bool
via_pipe(const uint8_t *data, size_t size, struct result *res, int *open_r)
{
	char path[64], errbuf[ERRBUF_LEN];
	struct capture *c = NULL;
	int fds[2];

	if (size > PIPE_MAX || pipe(fds) != 0)
		return false;
	/* A pipe smaller than the input (a user over pipe-user-pages-soft)
	 * must not block the run: then this reading is skipped. */
	if (fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0 ||
	    (size > 0 && write(fds[1], data, size) != (ssize_t)size)) {
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	*open_r = capture_open_file(&c, path, errbuf);
	if (*open_r == ERR_OK) {
		walk(c, zread_kind(data, size) != ZREAD_NONE ? SIZE_MAX :
		    size, false, res);
		capture_close(c);
	}
	close(fds[0]);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct result mem, fd;
	char errbuf[ERRBUF_LEN];
	struct capture *c = NULL;
	bool packed = zread_kind(data, size) != ZREAD_NONE;
	int r, pr;

	errbuf[0] = '\0';
	r = capture_open_buf(&c, data, size, "fuzz", errbuf);
	if (r != ERR_OK) {
		FUZZ_CHECK(c == NULL);
		FUZZ_CHECK(errbuf[0] != '\0');
		FUZZ_CHECK(memchr(errbuf, '\0', ERRBUF_LEN) != NULL);
	} else {
		FUZZ_CHECK(strcmp(capture_format(c), "pcap") == 0 ||
		    strcmp(capture_format(c), "pcapng") == 0);
		walk(c, packed ? SIZE_MAX : size, true, &mem);
		capture_close(c);
	}
	if (!via_pipe(data, size, &fd, &pr))
		return 0;
	/* A pipe and a mapped file are two ways to read the same bytes. */
	FUZZ_CHECK((pr == ERR_OK) == (r == ERR_OK));
	if (r != ERR_OK)
		return 0;
	FUZZ_CHECK(fd.r == mem.r);
	FUZZ_CHECK(fd.n == mem.n);
	FUZZ_CHECK(fd.sum == mem.sum);
	/* (Compressed: how far the decoder read ahead may differ.) */
	FUZZ_CHECK(fd.off == mem.off || packed);
	return 0;
}
