/* cmd_sigs.c - kasaudit sigs check|list|export: signature files checked one
 * by one with file:line errors, the set in effect listed or exported. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "err.h"
#include "match.h"
#include "sigexport.h"

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

/* The RPZ serial: $SOURCE_DATE_EPOCH when set (reproducible output), else
 * now; seconds fit the 32-bit serial until 2106. */
static uint32_t
export_serial(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	unsigned long long v;

	if (e != NULL && parse_uint(e, UINT32_MAX, &v))
		return (uint32_t)v;
	return (uint32_t)time(NULL);
}

static int
cmd_sigs_export(int argc, char **argv)
{
	char errbuf[ERRBUF_LEN];
	struct sigexport_opts xo;
	struct sigexport_stats st;
	struct outfile out;
	struct opts o;
	struct match *m;
	int r, status = EXIT_DONE;

	if ((r = opts_parse(CMD_SIGS_EXPORT, argc, argv, &o)) != 0)
		return r > 0 ? EXIT_DONE : EXIT_USAGE;
	if (optind < argc) {
		warnx("sigs export: unexpected argument %s", argv[optind]);
		return EXIT_USAGE;
	}
	sigexport_defaults(&xo);
	xo.version = KASAUDIT_VERSION;
	xo.serial = export_serial();
	if (o.export_format == NULL) {
		warnx("sigs export: -F FMT is required (rpz, unbound, dnsmasq, "
		    "hosts, suricata, zeek-intel)");
		return EXIT_USAGE;
	}
	if (o.rpz_action != NULL && o.redirect_ip != NULL) {
		warnx("sigs export: --rpz-action and --redirect-ip are two "
		    "answers; give one");
		return EXIT_USAGE;
	}
	if (sigexport_set_format(&xo, o.export_format, errbuf) != 0 ||
	    (o.rpz_action != NULL && sigexport_set_action(&xo, o.rpz_action,
	    errbuf) != 0) || (o.redirect_ip != NULL &&
	    sigexport_set_redirect(&xo, o.redirect_ip, errbuf) != 0) ||
	    (o.zone != NULL && sigexport_set_zone(&xo, o.zone, errbuf) != 0) ||
	    (o.category != NULL && sigexport_set_categories(&xo, o.category,
	    errbuf) != 0)) {
		warnx("%s", errbuf);
		return EXIT_USAGE;
	}
	if ((m = load_sigs(&o.sigs)) == NULL)
		return EXIT_USAGE;
	memset(&out, 0, sizeof(out));
	out.path = o.output != NULL ? o.output : "-";
	if (outfile_open(&out) != 0) {
		match_free(m);
		return EXIT_INPUT;
	}
	if (sigexport_write(out.fp, m, &xo, &st, errbuf) != 0) {
		/* A refused option is a usage error; a failed write is not. */
		if (ferror(out.fp)) {
			warnx("%s: %s", strcmp(out.path, "-") == 0 ?
			    "standard output" : out.path, errbuf);
			status = EXIT_INPUT;
		} else {
			warnx("sigs export: %s", errbuf);
			status = EXIT_USAGE;
		}
	}
	if (outfile_close(&out, status == EXIT_DONE) != 0 &&
	    status == EXIT_DONE)
		status = EXIT_INPUT;
	if (status == EXIT_DONE)
		fprintf(stderr, "kasaudit: sigs export %s: %zu patterns "
		    "written (%zu widened, %zu name only), %zu covered by a "
		    "suffix, %zu left out (listed in the header)\n",
		    sigexport_format_name(xo.format), st.written, st.widened,
		    st.partial, st.covered, st.left_out);
	match_free(m);
	return status;
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
	if (strcmp(argv[1], "export") == 0)
		return cmd_sigs_export(argc - 1, argv + 1);
	warnx("sigs: unknown command %s", argv[1]);
	fputs(opts_usage(CMD_SIGS_LIST), stderr);
	return EXIT_USAGE;
}

