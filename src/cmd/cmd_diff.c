/* cmd_diff.c - kasaudit diff OLD NEW: which hosts stopped, which are new
 * and which still contact Kaspersky, per network, between two audits. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "aggregate.h"
#include "diff.h"
#include "err.h"
#include "load.h"
#include "netmap.h"
#include "report.h"
#include "writers.h"

/* One audit read back: a JSON report or a live --state file. */
struct side {
	struct aggregate	*ag;
	struct load_stats	*st;
	struct report_meta	 meta;
	struct diff_side	 d;
};

static int
side_load(struct side *s, const char *path)
{
	char errbuf[ERRBUF_LEN];

	memset(s, 0, sizeof(*s));
	if ((s->ag = aggregate_new(SIZE_MAX)) == NULL ||
	    (s->st = load_stats_new()) == NULL) {
		warnx("out of memory");
		return -1;
	}
	if (load_report(s->ag, s->st, path, errbuf) != ERR_OK) {
		if (file_is_capture(path))
			warnx("%s: a capture, not a report (kasaudit read -F "
			    "json makes one)", path);
		else
			warnx("%s", errbuf);
		return -1;
	}
	s->meta.v4_plen = 0;
	s->meta.v6_plen = 0;
	load_stats_meta(s->st, &s->meta);
	s->d.path = path;
	s->d.ag = s->ag;
	s->d.meta = &s->meta;
	return 0;
}

static void
side_free(struct side *s)
{
	aggregate_free(s->ag);
	load_stats_free(s->st);
}

int
cmd_diff(int argc, char **argv)
{
	char errbuf[ERRBUF_LEN];
	struct opts o;
	struct outfile out = { 0 };
	struct side old, new_;
	struct netmap *nm = NULL;
	const struct writer *w;
	enum diff_format fmt = DIFF_TEXT;
	bool written = false;
	int r, status = EXIT_USAGE;

	memset(&old, 0, sizeof(old));
	memset(&new_, 0, sizeof(new_));
	if ((r = opts_parse(CMD_DIFF, argc, argv, &o)) != 0)
		return r > 0 ? EXIT_DONE : EXIT_USAGE;
	if (argc - optind != 2) {
		warnx("diff: give two reports, OLD and NEW (kasaudit diff "
		    "--help)");
		return EXIT_USAGE;
	}
	if (o.n_formats > 0) {
		w = o.formats[o.n_formats - 1];
		if (strcmp(w->name, "json") == 0)
			fmt = DIFF_JSON;
		else if (strcmp(w->name, "csv") == 0)
			fmt = DIFF_CSV;
		else if (strcmp(w->name, "text") != 0) {
			warnx("diff: -F %s: diff writes text, json or csv",
			    w->name);
			return EXIT_USAGE;
		}
	}
	if (o.networks != NULL &&
	    (nm = nets_build(o.networks, errbuf)) == NULL) {
		warnx("%s", errbuf);
		goto out;
	}
	status = EXIT_INPUT;
	if (side_load(&old, argv[optind]) != 0 ||
	    side_load(&new_, argv[optind + 1]) != 0)
		goto out;
	/* Both grouped alike, or their unlisted networks would never meet:
	 * --group-prefix, else the reports' own when they agree, else 24,64. */
	if (!o.have_plen) {
		o.v4_plen = old.meta.v4_plen == new_.meta.v4_plen &&
		    old.meta.v4_plen != 0 ? old.meta.v4_plen : DEFAULT_V4_PLEN;
		o.v6_plen = old.meta.v6_plen == new_.meta.v6_plen &&
		    old.meta.v6_plen != 0 ? old.meta.v6_plen : DEFAULT_V6_PLEN;
	}
	if (aggregate_finish(old.ag, nm, o.v4_plen, o.v6_plen) != ERR_OK ||
	    aggregate_finish(new_.ag, nm, o.v4_plen, o.v6_plen) != ERR_OK) {
		warnx("out of memory while sorting the reports");
		goto out;
	}
	out.path = o.output;
	if (outfile_open(&out) != 0)
		goto out;
	if (out.fp == NULL)
		out.fp = stdout;
	if (diff_write(out.fp, fmt, &old.d, &new_.d) != ERR_OK) {
		warnx("%s: write failed", o.output ? o.output : "stdout");
		goto out;
	}
	written = true;
	status = EXIT_DONE;
out:
	if (out.fp == stdout && o.output == NULL)
		out.fp = NULL;
	if (outfile_close(&out, written) != 0 && status == EXIT_DONE)
		status = EXIT_INPUT;
	if (o.output == NULL && fflush(stdout) != 0 && status == EXIT_DONE)
		status = EXIT_INPUT;
	side_free(&old);
	side_free(&new_);
	netmap_free(nm);
	return status;
}
