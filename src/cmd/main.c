/* main.c - kasaudit's entry: the table of subcommands and the top-level
 * --help and --version; each subcommand lives in cmd_<name>.c. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct command {
	const char	*name;
	int		(*run)(int argc, char **argv);
} commands[] = {
	{ "read",	cmd_read },
	{ "live",	cmd_live },
	{ "merge",	cmd_merge },
	{ "sigs",	cmd_sigs },
};

static const char usage[] =
"Usage: kasaudit COMMAND [options] ...\n"
"Find hosts that still contact Kaspersky update, KSN, activation and\n"
"licensing servers, from network traffic.\n"
"\n"
"Commands:\n"
"  read FILE...       audit saved pcap/pcapng captures (- is stdin)\n"
"  live -i IFACE...   audit live traffic: the span-port daemon\n"
"  merge REPORT...    combine JSON reports (read -F json) into one\n"
"  sigs check FILE... check signature files\n"
"  sigs list          list the signatures in effect\n"
"\n"
"  -h, --help         this help; 'kasaudit COMMAND --help' for a command\n"
"  -V, --version      print the version\n"
"\n"
"See kasaudit(1).\n";

int
main(int argc, char **argv)
{
	size_t i;

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
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	warnx("unknown command '%s'", argv[1]);
	fputs(usage, stderr);
	return EXIT_USAGE;
}
