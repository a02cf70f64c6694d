/* fuzz_load.c - libFuzzer: JSON reports read back (merge, --state), as
 * one tree and streamed (load_stream.c): the two must agree. */
#define _GNU_SOURCE		/* memfd_create */
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "err.h"
#include "fuzz.h"
#include "load.h"
#include "report.h"

/* The streamed loader on the same bytes: what the tree loader takes it
 * takes (unless nested past its depth), all or nothing, same result. */
static void
stream_check(const uint8_t *data, size_t size, int tree_r)
{
	char errbuf[ERRBUF_LEN];
	struct aggregate *ag;
	struct load_stats *st;
	int fd, r;

	if ((fd = memfd_create("fuzz", MFD_CLOEXEC)) < 0 ||
	    (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    (ag = aggregate_new(64)) == NULL ||
	    (st = load_stats_new()) == NULL)
		abort();
	errbuf[0] = '\0';
	r = load_report_fd(ag, st, fd, "fuzz", errbuf);
	FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED || r == ERR_IO ||
	    r == ERR_NOMEM);
	FUZZ_CHECK(memchr(errbuf, '\0', ERRBUF_LEN) != NULL);
	if (r != ERR_OK) {
		FUZZ_CHECK(errbuf[0] != '\0');
		FUZZ_CHECK(load_stats_reports(st) == 0);
		FUZZ_CHECK(aggregate_finish(ag, NULL, 24, 64) != ERR_OK ||
		    (aggregate_n_hosts(ag) == 0 &&
		    aggregate_n_resolvers(ag) == 0));
	}
	if (tree_r == ERR_OK)
		FUZZ_CHECK(r == ERR_OK || strstr(errbuf, "deep") != NULL);
	load_stats_free(st);
	aggregate_free(ag);
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_LEN];
	struct report_meta meta;
	struct aggregate *ag;
	struct load_stats *st;
	FILE *fp;
	int r;

	if ((ag = aggregate_new(64)) == NULL ||
	    (st = load_stats_new()) == NULL)
		abort();
	errbuf[0] = '\0';
	r = load_report_buf(ag, st, (const char *)data, size, "fuzz", errbuf);
	FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED || r == ERR_IO ||
	    r == ERR_NOMEM);
	stream_check(data, size, r);
	FUZZ_CHECK(memchr(errbuf, '\0', ERRBUF_LEN) != NULL);
	if (r != ERR_OK) {
		/* All or nothing. */
		FUZZ_CHECK(errbuf[0] != '\0');
		FUZZ_CHECK(load_stats_reports(st) == 0);
	} else {
		/* Again: the same inputs are counted once (ERR_DUP); a
		 * report without inputs joins itself (or the sums
		 * overflow). */
		r = load_report_buf(ag, st, (const char *)data, size, "fuzz",
		    errbuf);
		FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED ||
		    r == ERR_NOMEM || r == ERR_DUP);
		FUZZ_CHECK(load_stats_reports(st) == (r == ERR_OK ? 2 : 1));
	}
	memset(&meta, 0, sizeof(meta));
	meta.version = "0.0.0";
	meta.v4_plen = 24;
	meta.v6_plen = 64;
	meta.max_names = 64;
	load_stats_meta(st, &meta);
	aggregate_trim_names(ag, 2);
	if (aggregate_finish(ag, NULL, meta.v4_plen, meta.v6_plen) == ERR_OK) {
		if (load_stats_reports(st) == 0)
			FUZZ_CHECK(aggregate_n_hosts(ag) == 0 &&
			    aggregate_n_resolvers(ag) == 0);
		if ((fp = fopen("/dev/null", "w")) == NULL)
			abort();
		(void)report_json(fp, ag, &meta);
		(void)report_text(fp, ag, &meta);
		fclose(fp);
	}
	load_stats_free(st);
	aggregate_free(ag);
	return 0;
}
