/* test_opts.c - unit tests for opts.c: the option table against --help,
 * the man page and its own bounds; parsing, defaults and refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

static const unsigned cmds[] = { CMD_READ, CMD_LIVE, CMD_MERGE,
    CMD_SIGS_LIST, CMD_DIFF, CMD_SIGS_EXPORT };

/* A row that stores where an earlier row does (--anonymise): an alias. */
static bool
alias(size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (opt_rows[k].off == opt_rows[i].off &&
		    opt_rows[k].kind == opt_rows[i].kind &&
		    opt_rows[k].kind != OK_PROGRESS &&
		    opt_rows[k].kind != OK_HELP)
			return true;
	return false;
}

/* "--name" in text as a whole word. */
static bool
has_long(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = text; (p = strstr(p, "--")) != NULL; p += 2) {
		if (p > text && (p[-1] == '-' || p[-1] == 'o'))
			continue;		/* --no-x, not --x */
		if (strncmp(p + 2, name, n) == 0 && (p[2 + n] < 'a' ||
		    p[2 + n] > 'z') && p[2 + n] != '-')
			return true;
	}
	return false;
}

/* "-c " or "-c," in text. */
static bool
has_short(const char *text, int c)
{
	char want[4] = { '-', (char)c, ' ', '\0' };

	return strstr(text, want) != NULL;
}

static void
test_rows_sane(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < opt_n_rows; i++) {
		const struct opt_row *r = &opt_rows[i];

		assert_non_null(r->name);
		assert_true(r->cmds != 0);
		assert_true(r->off + r->size <= sizeof(struct opts));
		for (k = i + 1; k < opt_n_rows; k++) {
			assert_string_not_equal(r->name, opt_rows[k].name);
			if (r->short_name != 0)
				assert_true(r->short_name !=
				    opt_rows[k].short_name ||
				    !(r->cmds & opt_rows[k].cmds));
		}
		if (r->kind == OK_UINT || r->kind == OK_SIZE) {
			assert_true(r->min <= r->max);
			assert_true(r->def == 0 || (r->def >= r->min &&
			    r->def <= r->max));
			if (r->kind == OK_UINT)
				assert_non_null(r->want);
		}
	}
}

/* Every option a command takes is in its --help, and the other way. */
static void
test_usage_matches_table(void **state)
{
	const char *u, *p;
	char word[64];
	size_t i, c, n;
	bool found;

	(void)state;
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		u = opts_usage(cmds[c]);
		for (i = 0; i < opt_n_rows; i++) {
			const struct opt_row *r = &opt_rows[i];

			if (!(r->cmds & cmds[c]) || alias(i))
				continue;
			if (cmds[c] == CMD_SIGS_LIST && r->kind == OK_HELP)
				continue;
			if (!has_long(u, r->name) && !(r->short_name != 0 &&
			    has_short(u, r->short_name)))
				fail_msg("--%s is not in the --help of %#x",
				    r->name, cmds[c]);
		}
		for (p = u; (p = strstr(p, "--")) != NULL; p += 2 + n) {
			for (n = 0; n + 1 < sizeof(word) && ((p[2 + n] >= 'a' &&
			    p[2 + n] <= 'z') || p[2 + n] == '-'); n++)
				word[n] = p[2 + n];
			word[n] = '\0';
			if (n == 0)
				continue;
			found = false;
			for (i = 0; i < opt_n_rows && !found; i++)
				found = (opt_rows[i].cmds & cmds[c]) &&
				    strcmp(opt_rows[i].name, word) == 0;
			if (!found)
				fail_msg("--help of %#x names --%s, which it "
				    "does not take", cmds[c], word);
		}
	}
}

/* Every option is in kasaudit.1 (as roff writes it: \-\-name). */
static void
test_man_page(void **state)
{
	char *text, want[96];
	size_t len, i, j, k;
	FILE *fp;

	(void)state;
	assert_non_null(fp = fopen("kasaudit.1", "r"));
	assert_non_null(text = malloc(1 << 20));
	len = fread(text, 1, (1 << 20) - 1, fp);
	text[len] = '\0';
	fclose(fp);
	for (i = 0; i < opt_n_rows; i++) {
		if (alias(i))
			continue;
		k = (size_t)snprintf(want, sizeof(want), "\\-\\-");
		for (j = 0; opt_rows[i].name[j] != '\0'; j++) {
			if (opt_rows[i].name[j] == '-')
				want[k++] = '\\';
			want[k++] = opt_rows[i].name[j];
		}
		want[k] = '\0';
		if (strstr(text, want) == NULL)
			fail_msg("kasaudit.1 lacks %s", want);
	}
	free(text);
}

static int
parse(unsigned cmd, struct opts *o, ...)
{
	char *argv[32];
	va_list ap;
	int argc = 0;

	argv[argc++] = (char *)"cmd";
	va_start(ap, o);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	opterr = 0;
	return opts_parse(cmd, argc, argv, o);
}

static void
test_defaults(void **state)
{
	struct opts o;

	(void)state;
	assert_int_equal(parse(CMD_READ, &o, "x.pcap", NULL), 0);
	assert_int_equal(o.max_names, DEFAULT_MAX_NAMES);
	assert_int_equal(o.max_hosts, DEFAULT_MAX_HOSTS);
	assert_int_equal(o.frag_mem, DEFAULT_FRAG_MEM);
	assert_int_equal(o.max_attrib, AUDIT_ATTRIB_ENTRIES);
	assert_int_equal(o.attrib_ttl_max, AUDIT_ATTRIB_TTL_MAX);
	assert_int_equal(o.v4_plen, 24);
	assert_int_equal(o.v6_plen, 64);
	assert_int_equal(o.progress, -1);
	assert_int_equal(o.n_formats, 0);
	assert_int_equal(parse(CMD_LIVE, &o, "-i", "eth0", NULL), 0);
	assert_int_equal(o.report_every, DEFAULT_REPORT_EVERY);
	assert_int_equal(o.max_conns, DEFAULT_MAX_CONNS);
	assert_int_equal(o.max_attrib, AUDIT_ATTRIB_ENTRIES);
	assert_int_equal(o.n_ifaces, 1);
	assert_int_equal(parse(CMD_MERGE, &o, "a.json", NULL), 0);
	assert_int_equal(o.max_names, 0);	/* the reports' */
}

/* One row, one meaning: the bounds are the same in every command. */
static void
test_same_in_every_command(void **state)
{
	struct opts o;
	const unsigned both[] = { CMD_READ, CMD_LIVE };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(parse(both[i], &o, "--max-hosts", "0", NULL),
		    0);
		assert_int_equal(o.max_hosts, 0);
		assert_int_equal(parse(both[i], &o, "--max-attrib", "2",
		    "--attrib-ttl-min", "5", NULL), 0);
		assert_int_equal(o.max_attrib, 2);
		assert_int_equal(o.attrib_ttl_min, 5);
		assert_int_equal(parse(both[i], &o, "--max-attrib", "1", NULL),
		    -1);
		assert_int_equal(parse(both[i], &o, "--max-flows", "0", NULL),
		    -1);
		assert_int_equal(parse(both[i], &o, "--stream-bytes", "511",
		    NULL), -1);
		assert_int_equal(parse(both[i], &o, "--stream-bytes", "1M",
		    NULL), 0);
		assert_int_equal(o.stream_bytes, 1u << 20);
		assert_int_equal(parse(both[i], &o, "--dns-port", "0", NULL),
		    -1);
		assert_int_equal(parse(both[i], &o, "--dns-port", "5300",
		    "--dns-port", "853", NULL), 0);
		assert_int_equal(o.n_dns_ports, 2);
		assert_int_equal(o.dns_ports[1], 853);
	}
	assert_int_equal(parse(CMD_MERGE, &o, "--max-hosts", "5", NULL), -1);
	assert_int_equal(parse(CMD_READ, &o, "-i", "eth0", NULL), -1);
}

static void
test_formats(void **state)
{
	struct opts o;

	(void)state;
	assert_int_equal(parse(CMD_READ, &o, "-F", "json", "-F", "csv",
	    "-F", "json", NULL), 0);
	assert_int_equal(o.n_formats, 2);
	assert_string_equal(o.formats[o.n_formats - 1]->name, "json");
	assert_int_equal(parse(CMD_READ, &o, "-F", "xml", NULL), -1);
	assert_int_equal(parse(CMD_LIVE, &o, "-F", "text", "-F", "html",
	    NULL), 0);
	assert_int_equal(o.n_formats, 2);
	assert_string_equal(writer_names(), "text, json, csv or html");
}

static void
test_values(void **state)
{
	struct opts o;

	(void)state;
	assert_int_equal(parse(CMD_LIVE, &o, "--report-every", "90s",
	    "--snaplen", "64", "--buffer-size", "64K", "--group-prefix",
	    "16,48", NULL), 0);
	assert_int_equal(o.report_every, 90);
	assert_int_equal(o.snaplen, 64);
	assert_int_equal(o.buffer_size, 65536);
	assert_true(o.have_plen);
	assert_int_equal(o.v4_plen, 16);
	assert_int_equal(o.v6_plen, 48);
	assert_int_equal(parse(CMD_LIVE, &o, "--report-every", "0", NULL), -1);
	assert_int_equal(parse(CMD_LIVE, &o, "--snaplen", "63", NULL), -1);
	assert_int_equal(parse(CMD_LIVE, &o, "--buffer-size", "3G", NULL), -1);
	assert_int_equal(parse(CMD_LIVE, &o, "-i", "a", "-i", "a", NULL), -1);
	assert_int_equal(parse(CMD_READ, &o, "--group-prefix", "33,64", NULL),
	    -1);
	assert_int_equal(parse(CMD_READ, &o, "--no-progress", "--anonymise",
	    "k", NULL), 0);
	assert_int_equal(o.progress, 0);
	assert_string_equal(o.anonymize, "k");
	/* An abbreviation of an option and its alias is the one option. */
	assert_int_equal(parse(CMD_READ, &o, "--anonym", "k2", NULL), 0);
	assert_string_equal(o.anonymize, "k2");
	assert_int_equal(parse(CMD_READ, &o, "--nonsense", NULL), -1);
	assert_int_equal(parse(CMD_SIGS_LIST, &o, "-s", "a.sigs",
	    "--no-default-sigs", NULL), 0);
	assert_int_equal(o.sigs.n_files, 1);
	assert_true(o.sigs.no_default);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_sane),
		cmocka_unit_test(test_usage_matches_table),
		cmocka_unit_test(test_man_page),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_same_in_every_command),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
