/* cli_merge.c - kasaudit merge: JSON reports of sensors or runs in one. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "aggregate.h"
#include "err.h"
#include "load.h"
#include "netmap.h"
#include "report.h"

#ifndef KASAUDIT_VERSION
#define KASAUDIT_VERSION "0.0.0"
#endif

/* As `read`, when the reports do not agree on one. */
#define MERGE_V4_PLEN		24
#define MERGE_V6_PLEN		64
#define MERGE_MAX_NAMES		64

static const char merge_usage[] =
"Usage: kasaudit merge [options] REPORT.json...\n"
"Combine JSON reports (kasaudit read -F json) from several sensors or runs\n"
"into one: hosts joined by address, counts added, first and last seen\n"
"widened.  The result does not depend on the order of the reports.\n"
"\n"
"  -n, --networks FILE      name networks: lines 'CIDR name [contact...]'\n"
"                           (the reports' network names are not kept)\n"
"      --group-prefix V4,V6 group other hosts by these prefix lengths\n"
"                           (default: the reports' own if they agree, else\n"
"                           24,64)\n"
"  -F, --format FMT         text (default), json, csv or html\n"
"  -o, --output FILE        write the report to FILE (default stdout)\n"
"      --max-names N        distinct names kept per host: the N seen first\n"
"                           (default: the largest of the reports')\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 done; 2 usage or networks file error; 3 a report could not\n"
"be read (nothing is written then).\n";

enum {
	OPT_GROUP_PREFIX = 256,
	OPT_MAX_NAMES,
};

enum merge_fmt { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML };

struct merge_opts {
	const char	*networks;
	const char	*output;
	enum merge_fmt	 fmt;
	bool		 have_plen;
	unsigned	 v4_plen, v6_plen;
	size_t		 max_names;	/* 0: the reports' */
};

static int
merge_parse(int argc, char **argv, struct merge_opts *mo)
{
	static const struct option longopts[] = {
		{ "networks",		required_argument, NULL, 'n' },
		{ "group-prefix",	required_argument, NULL,
		    OPT_GROUP_PREFIX },
		{ "format",		required_argument, NULL, 'F' },
		{ "output",		required_argument, NULL, 'o' },
		{ "max-names",		required_argument, NULL,
		    OPT_MAX_NAMES },
		{ "help",		no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long long v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:F:o:h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'n':
			mo->networks = optarg;
			break;
		case OPT_GROUP_PREFIX:
			if (!parse_group_prefix(optarg, &mo->v4_plen, &mo->v6_plen)) {
				warnx("--group-prefix: want V4,V6 (0-32,0-128),"
				    " got %s", optarg);
				return -1;
			}
			mo->have_plen = true;
			break;
		case 'F':
			if (strcmp(optarg, "text") == 0)
				mo->fmt = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				mo->fmt = FMT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				mo->fmt = FMT_CSV;
			else if (strcmp(optarg, "html") == 0)
				mo->fmt = FMT_HTML;
			else {
				warnx("--format: text, json, csv or html, not "
				    "%s", optarg);
				return -1;
			}
			break;
		case 'o':
			mo->output = optarg;
			break;
		case OPT_MAX_NAMES:
			if (!parse_uint(optarg, 1000000, &v) || v == 0) {
				warnx("--max-names: want 1-1000000, got %s",
				    optarg);
				return -1;
			}
			mo->max_names = (size_t)v;
			break;
		case 'h':
			fputs(merge_usage, stdout);
			return 1;
		default:
			return -1;
		}
	}
	if (optind >= argc) {
		warnx("merge: no reports (kasaudit merge --help)");
		return -1;
	}
	return 0;
}

static int
merge_write(FILE *fp, enum merge_fmt fmt, const struct aggregate *ag,
    const struct report_meta *meta)
{
	switch (fmt) {
	case FMT_JSON:
		return report_json(fp, ag, meta);
	case FMT_CSV:
		return report_csv(fp, ag, meta, NULL);
	case FMT_HTML:
		return report_html(fp, ag, meta, NULL);
	case FMT_TEXT:
	default:
		return report_text(fp, ag, meta);
	}
}

int
cmd_merge(int argc, char **argv)
{
	char errbuf[ERRBUF_LEN];
	struct merge_opts mo;
	struct report_meta meta;
	struct outfile out = { 0 };
	struct aggregate *ag = NULL;
	struct load_stats *st = NULL;
	struct netmap *nm = NULL;
	struct report_sigset *sets = NULL;
	const struct load_sigset *ls;
	size_t n_ls = 0, k;
	bool written = false;
	int i, r, status = EXIT_USAGE;

	memset(&mo, 0, sizeof(mo));
	memset(&meta, 0, sizeof(meta));
	if ((r = merge_parse(argc, argv, &mo)) != 0)
		return r > 0 ? EXIT_DONE : EXIT_USAGE;
	if (mo.networks != NULL) {
		if ((nm = netmap_new()) == NULL) {
			warnx("out of memory");
			goto out;
		}
		if (netmap_load_file(nm, mo.networks, errbuf) != ERR_OK) {
			warnx("%s", errbuf);
			goto out;
		}
	}
	/* The names cap is applied once, after the last report. */
	if ((ag = aggregate_new(SIZE_MAX)) == NULL ||
	    (st = load_stats_new()) == NULL) {
		warnx("out of memory");
		goto out;
	}
	status = EXIT_DONE;
	for (i = optind; i < argc; i++) {
		if (load_report(ag, st, argv[i], errbuf) != ERR_OK) {
			warnx("%s", errbuf);
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
	if (merge_write(out.fp, mo.fmt, ag, &meta) != ERR_OK) {
		warnx("%s: write failed", mo.output ? mo.output : "stdout");
		status = EXIT_INPUT;
		goto out;
	}
	written = true;
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
	return status;
}
