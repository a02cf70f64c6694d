/* cmd_sigs.c - kasaudit sigs check|list: signature files checked one by
 * one with file:line errors, and the set in effect listed. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "err.h"
#include "match.h"

static int
cmd_sigs_check(int argc, char **argv)
{
	char errbuf[ERRBUF_LEN];
	struct match *m;
	int i, status = EXIT_DONE;

	if (argc < 1) {
		warnx("sigs check: no files");
		return EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if ((m = match_new()) == NULL) {
			warnx("out of memory");
			return EXIT_USAGE;
		}
		if (match_load_file(m, argv[i], errbuf) != ERR_OK) {
			warnx("%s", errbuf);
			status = EXIT_USAGE;
		} else
			printf("%s: %zu signatures, OK\n", argv[i],
			    match_count(m));
		match_free(m);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnx("standard output: %s", strerror(errno));
		return EXIT_INPUT;
	}
	return status;
}

static int
cmd_sigs_list(int argc, char **argv)
{
	const struct match_sig *sg;
	struct opts o;
	struct match *m;
	size_t i;
	int r;

	if ((r = opts_parse(CMD_SIGS_LIST, argc, argv, &o)) != 0)
		return r > 0 ? EXIT_DONE : EXIT_USAGE;
	if (optind < argc) {
		warnx("sigs list: unexpected argument %s", argv[optind]);
		return EXIT_USAGE;
	}
	if ((m = load_sigs(&o.sigs)) == NULL)
		return EXIT_USAGE;
	printf("%-44s %-10s %-4s %-8s %s\n", "PATTERN", "CATEGORY", "CONF",
	    "KIND", "SET:LINE SOURCE");
	for (i = 0; i < match_count(m); i++) {
		sg = match_at(m, i);
		printf("%-44s %-10s %-4c %-8s %s:%u %s\n", sg->pattern,
		    match_cat_name(sg->cat), sg->confidence,
		    match_kind_name(sg->kind), sg->set, sg->line, sg->source);
	}
	printf("%zu signatures\n", match_count(m));
	match_free(m);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnx("standard output: %s", strerror(errno));
		return EXIT_INPUT;
	}
	return EXIT_DONE;
}

int
cmd_sigs(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(opts_usage(CMD_SIGS_LIST), argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_DONE;
	}
	if (strcmp(argv[1], "check") == 0) {
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
		    strcmp(argv[2], "-h") == 0)) {
			fputs(opts_usage(CMD_SIGS_LIST), stdout);
			return EXIT_DONE;
		}
		/* "--" may end options before file names. */
		if (argc > 2 && strcmp(argv[2], "--") == 0)
			return cmd_sigs_check(argc - 3, argv + 3);
		return cmd_sigs_check(argc - 2, argv + 2);
	}
	if (strcmp(argv[1], "list") == 0)
		return cmd_sigs_list(argc - 1, argv + 1);
	warnx("sigs: unknown command %s", argv[1]);
	fputs(opts_usage(CMD_SIGS_LIST), stderr);
	return EXIT_USAGE;
}

