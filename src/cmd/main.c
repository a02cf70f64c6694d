/* main.c - kasaudit's entry: the table of subcommands and the top-level
 * --help and --version; each subcommand lives in cmd_<name>.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lazy.h"

static int	cmd_help(int, char **);
static int	cmd_version(int, char **);

static const struct command {
	const char	*name;
	int		(*run)(int argc, char **argv);
} commands[] = {
	{ "read",	cmd_read },
	{ "live",	cmd_live },
	{ "merge",	cmd_merge },
	{ "diff",	cmd_diff },
	{ "sigs",	cmd_sigs },
	{ "help",	cmd_help },
	{ "version",	cmd_version },
};

#define N_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const char usage[] =
"Usage: kasaudit COMMAND [options] ...\n"
"Find hosts that still contact Kaspersky update, KSN, activation and\n"
"licensing servers, from network traffic.\n"
"\n"
"Commands:\n"
"  read FILE...       audit saved pcap/pcapng captures (- is stdin)\n"
"  live -i IFACE...   audit live traffic: the span-port daemon\n"
"  merge REPORT...    combine JSON reports (read -F json) into one\n"
"  diff OLD NEW       per network: hosts new, gone and still active\n"
"  sigs check FILE... check signature files\n"
"  sigs list          list the signatures in effect\n"
"  help [COMMAND]     this help, or a command's\n"
"  version            print the version\n"
"\n"
"  -h, --help         this help; 'kasaudit COMMAND --help' for a command\n"
"  -V, --version      print the version\n"
"\n"
"See kasaudit(1).\n";

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("kasaudit %s\n", KASAUDIT_VERSION);
	return EXIT_DONE;
}

/* "help" alone, or "help read": the same as "read --help". */
static int
cmd_help(int argc, char **argv)
{
	static char opt[] = "--help";
	char *av[3];
	size_t i;

	if (argc < 2) {
		fputs(usage, stdout);
		return EXIT_DONE;
	}
	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0 &&
		    commands[i].run != cmd_help) {
			av[0] = argv[1];
			av[1] = opt;
			av[2] = NULL;
			return commands[i].run(2, av);
		}
	warnx("help: no command '%s'", argv[1]);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

/* Edit distance of two short words (a typo is a letter or two). */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, d[32];

	if (la >= sizeof(d) / sizeof(d[0]) || lb >= sizeof(d) / sizeof(d[0]))
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = d[j];
			d[j] = prev + (a[i - 1] != b[j - 1]);
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			if (cur + 1 < d[j])
				d[j] = cur + 1;
			prev = cur;
		}
	}
	return d[lb];
}

/* A library opened at its first use (lazy_libs.c) is not there. */
static void
lazy_failed(const char *line)
{
	warnx("%s", line);
	exit(EXIT_INPUT);
}

int
main(int argc, char **argv)
{
	const char *near = NULL;
	size_t i, best = 3;

	lazy_fatal = lazy_failed;
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		return EXIT_DONE;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("kasaudit %s\n", KASAUDIT_VERSION);
		return EXIT_DONE;
	}
	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	/* A typo of one (two letters at most, and not the whole word). */
	for (i = 0; i < N_COMMANDS; i++)
		if (distance(argv[1], commands[i].name) < best &&
		    distance(argv[1], commands[i].name) <
		    strlen(commands[i].name)) {
			best = distance(argv[1], commands[i].name);
			near = commands[i].name;
		}
	if (near != NULL)
		warnx("unknown command '%s' (did you mean '%s'?)", argv[1],
		    near);
	else
		warnx("unknown command '%s'", argv[1]);
	fputs(usage, stderr);
	return EXIT_USAGE;
}
