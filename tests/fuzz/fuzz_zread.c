/* fuzz_zread.c - libFuzzer: the decompressing reader (zread.c) over gzip,
 * xz, zstd and bzip2 bytes, from memory and through a pipe. */

/*
 * Compressed input (told by its magic; else the first byte picks a kind)
 * is read to its end or its damage in pieces of varying size; the output
 * is bounded, so a bomb only stops the run early.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "fuzz.h"
#include "zread.h"

#define OUT_MAX		(8u * 1024 * 1024)	/* decompressed bytes read */
#define PIPE_MAX	60000	/* fits a pipe's buffer: no writer thread */

struct result {
	ssize_t		 last;
	uint64_t	 n;
	int		 code;
};

static void
drain(struct zread *z, struct result *res)
{
	static uint8_t buf[65536];
	size_t want = 1;
	ssize_t k;

	res->n = 0;
	while (res->n < OUT_MAX && (k = zread_read(z, buf, want)) > 0) {
		FUZZ_CHECK((size_t)k <= want);
		fuzz_touch(buf, (size_t)k);
		res->n += (uint64_t)k;
		want = want * 7 % sizeof(buf) + 1;
	}
	res->last = res->n < OUT_MAX ? zread_read(z, buf, sizeof(buf)) : 0;
	res->code = zread_code(z);
	if (res->last < 0) {
		FUZZ_CHECK(res->code == ERR_SHORT ||
		    res->code == ERR_MALFORMED || res->code == ERR_NOMEM);
		FUZZ_CHECK(zread_error(z)[0] != '\0');
		FUZZ_CHECK(memchr(zread_error(z), '\0', ERRBUF_LEN) != NULL);
		FUZZ_CHECK(zread_read(z, buf, 1) == -1);	/* it sticks */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct result mem, fd;
	char errbuf[ERRBUF_LEN];
	enum zread_kind k = zread_kind(data, size);
	struct zread *z;
	uint8_t peek[4096];
	int fds[2];

	if (k == ZREAD_NONE) {
		if (size == 0)
			return 0;
		k = (enum zread_kind)(ZREAD_GZIP + data[0] % 4);
		data++;
		size--;
	}
	FUZZ_CHECK(zread_peek(data, size, peek, sizeof(peek)) <=
	    sizeof(peek));
	if (zread_new(&z, k, -1, "fuzz", data, size, errbuf) != ERR_OK)
		return 0;
	drain(z, &mem);
	FUZZ_CHECK(zread_offset(z) <= size);
	zread_free(z);
	/* Through a pipe, the first bytes already read (as sniffed). */
	if (size > PIPE_MAX || pipe(fds) != 0)
		return 0;
	if (fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0 || (size > 7 &&
	    write(fds[1], data + 7, size - 7) != (ssize_t)(size - 7))) {
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	close(fds[1]);
	if (zread_new(&z, k, fds[0], "fuzz", data, size < 7 ? size : 7,
	    errbuf) == ERR_OK) {
		drain(z, &fd);
		FUZZ_CHECK(zread_offset(z) <= size);
		zread_free(z);
		/* A clean end is the same however the bytes came. */
		if (mem.n < OUT_MAX && fd.n < OUT_MAX && mem.last == 0)
			FUZZ_CHECK(fd.last == 0 && fd.n == mem.n);
	}
	close(fds[0]);
	return 0;
}
