/* opts.h - every option of every subcommand in one table: its name, which
 * commands take it, how its value is checked, and where it is stored. */
#ifndef KASAUDIT_OPTS_H
#define KASAUDIT_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "live.h"
#include "writers.h"

/* The subcommands that take options, as bits of opt_row.cmds. */
#define CMD_READ	0x1u
#define CMD_LIVE	0x2u
#define CMD_MERGE	0x4u
#define CMD_SIGS_LIST	0x8u
#define CMD_DIFF	0x10u
#define CMD_SIGS_EXPORT	0x20u

#define OPTS_MAX_SIGFILES	64
#define OPTS_MAX_INPUTS		4096	/* -r FILE; operands have no cap */
#define OPTS_MAX_LEASES		64	/* --leases FILE */

/* Defaults (documented in --help and kasaudit.1). */
#define DEFAULT_MAX_NAMES	64
#define DEFAULT_MAX_HOSTS	1000000
#define DEFAULT_FRAG_MEM	(8u << 20)
#define DEFAULT_FRAG_TIMEOUT	30
#define DEFAULT_MAX_FLOWS	65536
#define DEFAULT_STREAM_BYTES	16384
#define DEFAULT_STREAM_BUFFERS	1024
#define DEFAULT_REPORT_EVERY	300	/* seconds */
#define DEFAULT_MAX_CONNS	16
#define DEFAULT_V4_PLEN		24
#define DEFAULT_V6_PLEN		64
#define DEFAULT_EVENTS_BUFFER	(1u << 20)
#define DEFAULT_MAX_LEASES	1000000
#define WORKERS_MAX		64	/* read --workers */
#define WORKERS_AUTO_MAX	8	/* the default: online CPUs, up to */

struct sigopts {
	const char	*files[OPTS_MAX_SIGFILES];
	size_t		 n_files;
	bool		 no_default;
};

/* What the options of any subcommand say; each fills what it takes. */
struct opts {
	unsigned		 cmd;		/* CMD_* */
	/* Signatures, input, decoding. */
	struct sigopts		 sigs;
	const char		*filter;
	uint16_t		 dns_ports[AUDIT_MAX_DNS_PORTS];
	size_t			 n_dns_ports;
	struct audit_trust	 trust[AUDIT_MAX_TRUST];
	size_t			 n_trust;
	bool			 trust_set;	/* --trust-proxy given */
	size_t			 frag_mem;
	unsigned		 frag_timeout;
	unsigned		 tunnel_depth;	/* --tunnel-depth */
	size_t			 max_flows;
	size_t			 stream_bytes;
	size_t			 stream_buffers;
	size_t			 max_attrib;
	uint32_t		 attrib_ttl_min, attrib_ttl_max;
	size_t			 max_hosts;	/* 0: no cap */
	size_t			 max_name_addrs; /* machine names' table */
	size_t			 max_names;	/* merge: 0, the reports' */
	/* Reports. */
	const char		*networks;
	bool			 have_plen;	/* --group-prefix given */
	unsigned		 v4_plen, v6_plen;
	const struct writer	*formats[WRITERS_MAX];	/* -F, in order */
	size_t			 n_formats;
	const char		*output;
	const char		*report_dir;
	const char		*letter;	/* template, or "default" */
	/* --leases: who held an address when (doc/leases.md). */
	const char		*leases[OPTS_MAX_LEASES];
	size_t			 n_leases;
	size_t			 max_leases;	/* 0: no cap */
	bool			 group_by_sub;	/* --group-by subscriber */
	/* read */
	const char		*inputs[OPTS_MAX_INPUTS];	/* -r FILE */
	size_t			 n_inputs;
	const char		*events;	/* live: also "syslog[:PATH]" */
	enum events_format	 events_format;
	uint32_t		 community_seed;	/* 0-65535 */
	size_t			 events_buffer;	/* live: bytes queued */
	const char		*write_matches;
	bool			 write_flows;
	const char		*anonymize;	/* key file */
	int			 progress;	/* -1 auto, 0 off, 1 on */
	unsigned		 workers;	/* read: 0, online CPUs */
	bool			 fail_on_match;
	/* live */
	const char		*ifaces[LIVE_MAX_SOURCES];
	size_t			 n_ifaces;
	const char		*dnstap[LIVE_MAX_STREAM_LISTENERS];	/* specs */
	size_t			 n_dnstap;
	size_t			 dnstap_conns;	/* per listener */
	uint32_t		 snaplen;
	size_t			 buffer_size;
	bool			 no_promisc;
	unsigned		 report_every;	/* seconds */
	const char		*state;
	const char		*listen;
	const char		*token_file;
	size_t			 max_conns;
	const char		*user;
	bool			 syslog;
	/* sigs export (checked by cmd_sigs.c with sigexport_set_*()) */
	const char		*export_format;
	const char		*rpz_action;
	const char		*redirect_ip;
	const char		*zone;
	const char		*category;
};

/* How a value is read and checked. */
enum opt_kind {
	OK_HELP,	/* prints the command's usage */
	OK_TRUE,	/* sets a bool */
	OK_STR,		/* keeps the argument (borrowed from argv) */
	OK_UINT,	/* min-max; stored as the member's size */
	OK_SIZE,	/* "64M", "512K", bytes; min-max */
	OK_DURATION,	/* "30s", "5m", "1h" */
	OK_SIGFILE,	/* -s: appended to sigs */
	OK_DNS_PORT,	/* appended to dns_ports */
	OK_PLEN,	/* --group-prefix V4,V6 */
	OK_FORMAT,	/* -F: a writer (sigs export: kept as given) */
	OK_IFACE,	/* -i: appended to ifaces */
	OK_DNSTAP,	/* --dnstap: appended to dnstap */
	OK_PROGRESS,	/* --progress (1) / --no-progress (0) */
	OK_INPUT,	/* -r FILE: appended to inputs */
	OK_TRUST,	/* --trust-proxy CIDR|none: appended to trust */
	OK_EVFMT,	/* --events-format */
	OK_LEASES,	/* --leases FILE: appended to leases */
	OK_GROUPBY,	/* --group-by network|subscriber */
};

struct opt_row {
	const char		*name;		/* long name, without -- */
	int			 short_name;	/* 0: none */
	unsigned		 cmds;		/* CMD_* that take it */
	enum opt_kind		 kind;
	size_t			 off;		/* of the member in opts */
	size_t			 size;		/* of that member */
	unsigned long long	 min, max;	/* OK_UINT, OK_SIZE */
	unsigned long long	 def;		/* default (OK_UINT, OK_SIZE) */
	const char		*want;		/* the range, for messages */
};

/* The table, and its length. */
extern const struct opt_row opt_rows[];
extern const size_t opt_n_rows;

/* The --help text of a command. */
const char *opts_usage(unsigned cmd);

/*
 * Parses argv (argv[0] is the command's name) into o with the rows that
 * cmd takes, after setting every default.  0: parsed, optind at the first
 * operand; 1: --help was printed; -1: a warning was printed.
 */
int	opts_parse(unsigned cmd, int argc, char **argv, struct opts *o);

/* -s FILE: false with a warning when there are too many. */
bool	add_sigfile(struct sigopts *, const char *path);

bool	parse_uint(const char *s, unsigned long long max,
	    unsigned long long *out);
bool	parse_size(const char *s, size_t *out);	/* "64M", "512K", bytes */
/* "V4,V6" prefix lengths (0-32, 0-128), as --group-prefix takes them. */
bool	parse_group_prefix(const char *s, unsigned *v4, unsigned *v6);

#endif
