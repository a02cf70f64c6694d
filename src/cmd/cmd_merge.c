/* cmd_merge.c - kasaudit merge: JSON reports of sensors or runs in one,
 * order-independent, written through the writers table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "aggregate.h"
#include "err.h"
#include "load.h"
#include "netmap.h"
#include "report.h"
#include "report_dir.h"
#include "writers.h"

/* As `read`, when the reports do not agree on one. */
#define MERGE_V4_PLEN		DEFAULT_V4_PLEN
#define MERGE_V6_PLEN		DEFAULT_V6_PLEN
#define MERGE_MAX_NAMES		DEFAULT_MAX_NAMES

int
cmd_merge(int argc, char **argv)
{
	char errbuf[ERRBUF_LEN];
	struct opts mo;
	struct report_meta meta;
	struct outfile out = { 0 };
	struct aggregate *ag = NULL;
	struct load_stats *st = NULL;
	struct netmap *nm = NULL;
	struct letter *letter = NULL;
	struct leases *lt = NULL;
	struct report_leases rl;
	struct report_sigset *sets = NULL;
	const struct load_sigset *ls;
	const struct writer *fmt;
	size_t n_ls = 0, k;
	bool written = false;
	int i, r, status = EXIT_USAGE;

	memset(&meta, 0, sizeof(meta));
	if ((r = opts_parse(CMD_MERGE, argc, argv, &mo)) != 0)
		return r > 0 ? EXIT_DONE : EXIT_USAGE;
	if (optind >= argc) {
		warnx("merge: no reports (kasaudit merge --help)");
		return EXIT_USAGE;
	}
	fmt = mo.n_formats > 0 ? mo.formats[mo.n_formats - 1] : writer_at(0);
	if (mo.networks != NULL &&
	    (nm = nets_build(mo.networks, errbuf)) == NULL) {
		warnx("%s", errbuf);
		goto out;
	}
	if (mo.letter != NULL && (letter = letter_open(&mo)) == NULL)
		goto out;
	if (leases_setup(&mo, &lt) != 0)
		goto out;
	/* The names cap is applied once, after the last report. */
	if ((ag = aggregate_new(SIZE_MAX)) == NULL ||
	    (st = load_stats_new()) == NULL) {
		warnx("out of memory");
		goto out;
	}
	leases_use(&mo, lt, ag, false);
	status = EXIT_DONE;
	for (i = optind; i < argc; i++) {
		if ((r = load_report(ag, st, argv[i], errbuf)) != ERR_OK) {
			warnx("%s", errbuf);
			/* The same captures twice: counted once, said so. */
			if (r == ERR_DUP)
				continue;
			status = EXIT_INPUT;
		}
	}
	/* A merge that silently lacks a sensor is worse than none. */
	if (status != EXIT_DONE)
		goto out;
	meta.v4_plen = MERGE_V4_PLEN;
	meta.v6_plen = MERGE_V6_PLEN;
	meta.max_names = MERGE_MAX_NAMES;
	load_stats_meta(st, &meta);
	if (mo.have_plen) {
		meta.v4_plen = mo.v4_plen;
		meta.v6_plen = mo.v6_plen;
	}
	if (mo.max_names > 0)
		meta.max_names = mo.max_names;
	meta.version = KASAUDIT_VERSION;
	/* No matcher here: the sets the reports named, as they named them. */
	meta.match = NULL;
	ls = load_stats_sigsets(st, &n_ls);
	if (n_ls > 0 && (sets = calloc(n_ls, sizeof(*sets))) == NULL) {
		warnx("out of memory");
		status = EXIT_INPUT;
		goto out;
	}
	for (k = 0; k < n_ls; k++) {
		sets[k].name = ls[k].name;
		sets[k].count = ls[k].count;
	}
	meta.sigsets = sets;
	meta.n_sigsets = n_ls;
	leases_report(&mo, lt, ag, &rl, &meta);
	aggregate_trim_names(ag, meta.max_names);
	if (aggregate_finish(ag, nm, meta.v4_plen, meta.v6_plen) != ERR_OK) {
		warnx("out of memory while sorting the report");
		status = EXIT_INPUT;
		goto out;
	}
	out.path = mo.output;
	if (outfile_open(&out) != 0) {
		status = EXIT_INPUT;
		goto out;
	}
	if (out.fp == NULL)
		out.fp = stdout;
	if (fmt->write(out.fp, ag, &meta, NULL) != ERR_OK) {
		warnx("%s: write failed", mo.output ? mo.output : "stdout");
		status = EXIT_INPUT;
		goto out;
	}
	written = true;
	meta.netmap = nm;
	if (mo.report_dir != NULL && !report_dir_write(mo.report_dir, fmt,
	    ag, &meta, letter, errbuf)) {
		warnx("%s", errbuf);
		status = EXIT_INPUT;
	}
out:
	if (out.fp == stdout && mo.output == NULL)
		out.fp = NULL;
	if (outfile_close(&out, written) != 0 && status == EXIT_DONE)
		status = EXIT_INPUT;
	if (mo.output == NULL && fflush(stdout) != 0 && status == EXIT_DONE)
		status = EXIT_INPUT;
	free(sets);
	load_stats_free(st);
	aggregate_free(ag);
	netmap_free(nm);
	letter_free(letter);
	leases_free(lt);
	return status;
}
