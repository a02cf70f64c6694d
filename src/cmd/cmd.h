/* cmd.h - what main() and the subcommands share: exit statuses, messages,
 * output files written in place or renamed into place, signature loading. */
#ifndef KASAUDIT_CMD_H
#define KASAUDIT_CMD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "leases.h"
#include "match.h"
#include "msg.h"
#include "opts.h"
#include "outfile.h"

#ifndef KASAUDIT_VERSION
#define KASAUDIT_VERSION "0.0.0"
#endif

/* Exit statuses (documented in --help and kasaudit.1). */
#define EXIT_DONE	0
#define EXIT_MATCH	1	/* --fail-on-match and offenders found */
#define EXIT_USAGE	2	/* usage, signature or networks file error */
#define EXIT_INPUT	3	/* an input could not be read to its end */

/* Flows and DNS answers time out in packet time. */
#define TCP_IDLE	300	/* seconds */
#define UDP_IDLE	60


/* outfile_begin() and outfile_end() with the failure as a warning. */
int	outfile_open(struct outfile *);		/* 0, or -1 with a warning */
int	outfile_close(struct outfile *, bool ok);	/* renames when ok */

/* The built-in set unless no_default, then every file; NULL with errbuf. */
struct match *sigs_build(const struct sigopts *, char *errbuf);
/* The same, NULL with a warning. */
struct match *load_sigs(const struct sigopts *);
/* The file starts like a pcap or pcapng capture. */
bool	file_is_capture(const char *path);
/* A networks file loaded; NULL with errbuf. */
struct netmap *nets_build(const char *path, char *errbuf);

/*
 * --leases: every file loaded and sorted (NULL and errbuf untouched when
 * none was given).  Refused lines go to warn (NULL: a warning on stderr);
 * a file that cannot be read or is no lease file: NULL with errbuf.
 * leases_meta() fills the report's lease totals.
 */
struct report_leases;
struct leases	*leases_build(const struct opts *, leases_warn_fn *warn,
		    void *arg, char *errbuf);
void		 leases_meta(const struct leases *, uint64_t no_lease,
		    struct report_leases *);
/* The options checked and the files loaded into *lt (NULL: no --leases);
 * -1 with a warning. */
int		 leases_setup(const struct opts *, struct leases **lt);
/* lt (may be NULL) and --group-by given to the aggregate; lookups: each
 * observation is looked up (read, live), not only contacts (merge). */
struct aggregate;
void		 leases_use(const struct opts *, const struct leases *lt,
		    struct aggregate *, bool lookups);
/* --group-by and the lease totals into meta (rl: where they are kept);
 * totals also without lt when merged reports had subscribers. */
struct report_meta;
void		 leases_report(const struct opts *, const struct leases *lt,
		    const struct aggregate *, struct report_leases *rl,
		    struct report_meta *meta);

/* --letter's template (needs --report-dir); NULL with a warning. */
struct letter;
struct letter *letter_open(const struct opts *);

/* --anonymize with -n: the networks file with every CIDR pseudonymised;
 * NULL with a warning. */
struct anon;
struct netmap *nets_build_anon(const char *path, struct anon *);

/* The subcommands (cmd_<name>.c); argv[0] is the command's name. */
int	cmd_read(int argc, char **argv);
int	cmd_live(int argc, char **argv);
int	cmd_merge(int argc, char **argv);
int	cmd_diff(int argc, char **argv);
int	cmd_sigs(int argc, char **argv);

#endif
