/* cli.h - what the cli_*.c files (main and its subcommands) share. */
#ifndef KASAUDIT_CLI_H
#define KASAUDIT_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "match.h"

/* Exit statuses (documented in --help and kasaudit.1). */
#define EXIT_DONE	0
#define EXIT_MATCH	1	/* --fail-on-match and offenders found */
#define EXIT_USAGE	2	/* usage, signature or networks file error */
#define EXIT_INPUT	3	/* an input could not be read to its end */

/* An output file: written to a temporary and renamed into place when it is
 * a regular file, written in place when it is a device, FIFO or "-". */
struct outfile {
	const char	*path;		/* NULL: not wanted; "-": stdout */
	char		 tmp[PATH_MAX];
	char		 target[PATH_MAX];	/* path, symlinks resolved */
	bool		 direct;	/* not a regular file: written in place */
	FILE		*fp;
};

struct sigopts {
	const char	*files[64];
	size_t		 n_files;
	bool		 no_default;
};

/* "kasaudit: " and the message on standard error. */
void	warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

bool	parse_uint(const char *s, unsigned long long max,
	    unsigned long long *out);
bool	parse_size(const char *s, size_t *out);	/* "64M", "512K", bytes */
/* "V4,V6" prefix lengths (0-32, 0-128), as --group-prefix takes them. */
bool	parse_group_prefix(const char *s, unsigned *v4, unsigned *v6);

int	outfile_open(struct outfile *);		/* 0, or -1 with a warning */
int	outfile_close(struct outfile *, bool ok);	/* renames when ok */

bool	add_sigfile(struct sigopts *, const char *path);
/* The built-in set unless no_default, then every file; NULL with a warning. */
struct match *load_sigs(const struct sigopts *);

/* Subcommands in files of their own. */
int	cmd_merge(int argc, char **argv);	/* cli_merge.c */
int	cmd_live(int argc, char **argv);	/* cli_live.c */

#endif
