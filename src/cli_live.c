/* cli_live.c - kasaudit live: the span-port daemon around the read pipeline. */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "aggregate.h"
#include "audit.h"
#include "capture.h"
#include "decode.h"
#include "err.h"
#include "live.h"
#include "load.h"
#include "match.h"
#include "netmap.h"
#include "report.h"
#include "stats.h"

#ifndef KASAUDIT_VERSION
#define KASAUDIT_VERSION "0.0.0"
#endif

#define DEFAULT_REPORT_EVERY	300	/* seconds */
#define DEFAULT_MAX_NAMES	64
#define DEFAULT_FRAG_MEM	(8u << 20)
#define DEFAULT_FRAG_TIMEOUT	30
#define DEFAULT_MAX_FLOWS	65536
#define DEFAULT_STREAM_BYTES	16384
#define DEFAULT_STREAM_BUFFERS	1024
#define DEFAULT_MAX_CONNS	16
#define TCP_IDLE		300	/* seconds of packet time */
#define UDP_IDLE		60
#define TICK_MS			500	/* read quiet captures, watch counts */
#define PCAP_TIMEOUT_MS		250	/* longest the kernel holds a packet */
#define BATCH			4096	/* packets per wake-up, then others */
#define DRAIN_MAX		(1u << 20)	/* packets read after SIGTERM */
#define MAX_LINKTYPES		64
#define DROPS_LOG_EVERY		60	/* seconds between "drops rising" */
#define CAP_LOG_EVERY		600	/* seconds between "cap reached" */
#define HTTP_HEADER_MAX		8192
#define HTTP_BODY_MAX		1024
#define HTTP_TIMEOUT		10
#define RETIRE_SLACK		300	/* seconds of packet time */
#define DEFAULT_MAX_HOSTS	1000000
#define TOKEN_BUF		4098	/* a 4096-byte token, newline, NUL */

enum {
	FMT_TEXT = 1,
	FMT_JSON = 2,
};

enum {
	OPT_NO_DEFAULT_SIGS = 256,
	OPT_DNS_PORT,
	OPT_GROUP_PREFIX,
	OPT_MAX_NAMES,
	OPT_MAX_HOSTS,
	OPT_MAX_FRAG_MEM,
	OPT_FRAG_TIMEOUT,
	OPT_MAX_FLOWS,
	OPT_STREAM_BYTES,
	OPT_STREAM_BUFFERS,
	OPT_SNAPLEN,
	OPT_BUFFER_SIZE,
	OPT_NO_PROMISC,
	OPT_REPORT_DIR,
	OPT_REPORT_EVERY,
	OPT_STATE,
	OPT_LISTEN,
	OPT_LISTEN_TOKEN,
	OPT_MAX_CONNS,
	OPT_USER,
	OPT_SYSLOG,
};

struct live_opts {
	const char	*ifaces[LIVE_MAX_SOURCES];
	size_t		 n_ifaces;
	const char	*filter;
	uint32_t	 snaplen;
	size_t		 buffer_size;
	bool		 no_promisc;
	struct sigopts	 sigs;
	const char	*networks;
	unsigned	 v4_plen, v6_plen;
	unsigned	 formats;		/* FMT_* bits; 0: text */
	const char	*output;
	const char	*report_dir;
	unsigned	 report_every;		/* seconds */
	const char	*state;
	const char	*listen;
	const char	*token_file;
	size_t		 max_conns;
	const char	*user;
	bool		 syslog;
	size_t		 max_names;
	size_t		 max_hosts;
	size_t		 frag_mem;
	unsigned	 frag_timeout;
	size_t		 max_flows;
	size_t		 stream_bytes;
	size_t		 stream_buffers;
	uint16_t	 dns_ports[AUDIT_MAX_DNS_PORTS];
	size_t		 n_dns_ports;
};

/* A counter that means a bound was hit, logged when it grows. */
struct watch {
	const char	*what;
	uint64_t	 logged;	/* value at the last line */
	time_t		 when;		/* of the last line */
};

enum { W_EVICT, W_NOBUF, W_FRAG, W_HOSTS, W_REFUSED, W_HTTP, W_N };

struct source {
	const char		*iface;
	struct capture		*cap;
	struct report_file	 rf;
	struct capture_live_stats ks;
	uint64_t		 drops_logged;
	time_t			 drops_when;
	bool			 failed;
	char			 err[ERRBUF_LEN];
};

/* A signature set replaced by a reload, kept while something may point
 * into it: aggregate names until they are gone, attribution entries until
 * their longest TTL has passed in packet time. */
struct retired {
	struct match	*m;
	int64_t		 ts;		/* packet time when it was replaced */
};

struct daemon {
	struct live_opts	 o;
	struct source		 src[LIVE_MAX_SOURCES];
	size_t			 n_src;
	size_t			 n_failed;
	struct match		*m;
	struct retired		*old;
	size_t			 n_old;
	struct netmap		*nm;
	struct aggregate	*agg;
	struct decode		*dec;
	struct audit		*aud;
	struct live		*loop;
	struct report_file	*files;		/* sources, then prev */
	struct report_file	*prev;		/* inputs from the state */
	size_t			 n_prev;
	struct report_linktype	 lt[MAX_LINKTYPES];
	size_t			 n_lt;
	bool			 have_time;
	int64_t			 first_sec, last_sec;
	uint32_t		 first_nsec, last_nsec;
	uint64_t		 by_cat[CAT_N];
	uint64_t		 reports_ok, reports_failed;
	uint64_t		 reloads_ok, reloads_failed;
	time_t			 started, last_report;
	struct watch		 w[W_N];
	bool			 stopping;
	mode_t			 mode;		/* of report and state files */
};

static bool log_to_syslog;

/* One line per event, to syslog or standard error; never more than one. */
static void __attribute__((format(printf, 2, 3)))
lg(int prio, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	if (log_to_syslog)
		syslog(prio, "%s", msg);
	else {
		fprintf(stderr, "kasaudit: %s\n", msg);
		fflush(stderr);
	}
}

/* ---- options ---------------------------------------------------------- */

static const char live_usage[] =
"Usage: kasaudit live -i IFACE [-i IFACE]... [options]\n"
"Audit live traffic (a span port or TAP) for months: report every interval,\n"
"keep what was learned across restarts, serve a status page.\n"
"\n"
"Capture (needs root or CAP_NET_RAW, dropped once the captures are open):\n"
"  -i, --interface IFACE    capture on IFACE (repeatable)\n"
"  -f, --filter EXPR        BPF filter, run in the kernel\n"
"      --snaplen BYTES      bytes kept per packet (default 262144)\n"
"      --buffer-size SIZE   kernel buffer per interface (e.g. 64M)\n"
"      --no-promisc         do not turn promiscuous mode on\n"
"Signatures (re-read on SIGHUP):\n"
"  -s, --sigs FILE          add a signature set (repeatable)\n"
"      --no-default-sigs    do not load the built-in Kaspersky set\n"
"Decoding:\n"
"      --dns-port PORT      also parse DNS on this UDP port (repeatable)\n"
"      --max-frag-mem SIZE  memory for IP fragment reassembly (default 8M)\n"
"      --frag-timeout SEC   drop unfinished fragments (default 30)\n"
"      --max-flows N        TCP/UDP flows tracked at once (default 65536)\n"
"      --stream-bytes SIZE  bytes kept per stream direction (default 16K)\n"
"      --stream-buffers N   stream buffers held at once (default 1024;\n"
"                           the stalest is taken when none is free)\n"
"Reports (atomic: a temporary file, fsync, rename):\n"
"  -n, --networks FILE      name networks (re-read on SIGHUP)\n"
"      --group-prefix V4,V6 group other hosts (default 24,64)\n"
"  -F, --format FMT         text (default) or json; repeat for both\n"
"  -o, --output FILE        write each report to FILE (one format)\n"
"      --report-dir DIR     write DIR/report.txt, DIR/report.json\n"
"      --report-every DUR   30s, 5m, 1h... (default 5m); SIGUSR1: now\n"
"      --max-names N        distinct names kept per host (default 64)\n"
"      --max-hosts N        hosts kept (default 1000000; 0: no cap)\n"
"      --state FILE         snapshot the tables to FILE every interval and\n"
"                           at exit; read back at start\n"
"Status endpoint (off unless --listen):\n"
"      --listen ADDR:PORT   serve /metrics, /report.json, / and /healthz\n"
"      --listen-token FILE  require 'Authorization: Bearer TOKEN'\n"
"      --max-connections N  open status connections (default 16)\n"
"Daemon:\n"
"      --user USER          run as USER once set up (default nobody as root)\n"
"      --syslog             log to syslog (daemon facility), not stderr\n"
"  -h, --help               this help\n"
"\n"
"SIGHUP reloads the signatures and networks, SIGUSR1 writes the reports,\n"
"SIGTERM and SIGINT write the final reports and exit 0.  Exit status: 2\n"
"usage or set-up error; 3 every capture failed or a final report could not\n"
"be written.\n";

static int
live_parse(int argc, char **argv, struct live_opts *lo)
{
	static const struct option longopts[] = {
		{ "interface",		required_argument, NULL, 'i' },
		{ "filter",		required_argument, NULL, 'f' },
		{ "snaplen",		required_argument, NULL, OPT_SNAPLEN },
		{ "buffer-size",	required_argument, NULL,
		    OPT_BUFFER_SIZE },
		{ "no-promisc",		no_argument, NULL, OPT_NO_PROMISC },
		{ "sigs",		required_argument, NULL, 's' },
		{ "no-default-sigs",	no_argument, NULL,
		    OPT_NO_DEFAULT_SIGS },
		{ "dns-port",		required_argument, NULL, OPT_DNS_PORT },
		{ "max-frag-mem",	required_argument, NULL,
		    OPT_MAX_FRAG_MEM },
		{ "frag-timeout",	required_argument, NULL,
		    OPT_FRAG_TIMEOUT },
		{ "max-flows",		required_argument, NULL,
		    OPT_MAX_FLOWS },
		{ "stream-bytes",	required_argument, NULL,
		    OPT_STREAM_BYTES },
		{ "stream-buffers",	required_argument, NULL,
		    OPT_STREAM_BUFFERS },
		{ "networks",		required_argument, NULL, 'n' },
		{ "group-prefix",	required_argument, NULL,
		    OPT_GROUP_PREFIX },
		{ "format",		required_argument, NULL, 'F' },
		{ "output",		required_argument, NULL, 'o' },
		{ "report-dir",		required_argument, NULL,
		    OPT_REPORT_DIR },
		{ "report-every",	required_argument, NULL,
		    OPT_REPORT_EVERY },
		{ "max-names",		required_argument, NULL,
		    OPT_MAX_NAMES },
		{ "max-hosts",		required_argument, NULL,
		    OPT_MAX_HOSTS },
		{ "state",		required_argument, NULL, OPT_STATE },
		{ "listen",		required_argument, NULL, OPT_LISTEN },
		{ "listen-token",	required_argument, NULL,
		    OPT_LISTEN_TOKEN },
		{ "max-connections",	required_argument, NULL,
		    OPT_MAX_CONNS },
		{ "user",		required_argument, NULL, OPT_USER },
		{ "syslog",		no_argument, NULL, OPT_SYSLOG },
		{ "help",		no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long long v;
	size_t i;
	int c;

	lo->v4_plen = 24;
	lo->v6_plen = 64;
	lo->report_every = DEFAULT_REPORT_EVERY;
	lo->max_conns = DEFAULT_MAX_CONNS;
	lo->max_names = DEFAULT_MAX_NAMES;
	lo->max_hosts = DEFAULT_MAX_HOSTS;
	lo->frag_mem = DEFAULT_FRAG_MEM;
	lo->frag_timeout = DEFAULT_FRAG_TIMEOUT;
	lo->max_flows = DEFAULT_MAX_FLOWS;
	lo->stream_bytes = DEFAULT_STREAM_BYTES;
	lo->stream_buffers = DEFAULT_STREAM_BUFFERS;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:f:s:n:F:o:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'i':
			if (lo->n_ifaces == LIVE_MAX_SOURCES) {
				warnx("-i: at most %d interfaces",
				    LIVE_MAX_SOURCES);
				return -1;
			}
			for (i = 0; i < lo->n_ifaces; i++)
				if (strcmp(lo->ifaces[i], optarg) == 0) {
					warnx("-i %s: given twice", optarg);
					return -1;
				}
			lo->ifaces[lo->n_ifaces++] = optarg;
			break;
		case 'f':
			lo->filter = optarg;
			break;
		case OPT_SNAPLEN:
			if (!parse_uint(optarg, 262144, &v) || v < 64) {
				warnx("--snaplen: want 64-262144, got %s",
				    optarg);
				return -1;
			}
			lo->snaplen = (uint32_t)v;
			break;
		case OPT_BUFFER_SIZE:
			if (!parse_size(optarg, &lo->buffer_size) ||
			    lo->buffer_size < 65536 ||
			    lo->buffer_size > (size_t)INT_MAX) {
				warnx("--buffer-size: want 64K to 2G, got %s",
				    optarg);
				return -1;
			}
			break;
		case OPT_NO_PROMISC:
			lo->no_promisc = true;
			break;
		case 's':
			if (!add_sigfile(&lo->sigs, optarg))
				return -1;
			break;
		case OPT_NO_DEFAULT_SIGS:
			lo->sigs.no_default = true;
			break;
		case OPT_DNS_PORT:
			if (!parse_uint(optarg, 65535, &v) || v == 0) {
				warnx("--dns-port: not a port: %s", optarg);
				return -1;
			}
			if (lo->n_dns_ports == AUDIT_MAX_DNS_PORTS) {
				warnx("--dns-port: at most %d ports",
				    AUDIT_MAX_DNS_PORTS);
				return -1;
			}
			lo->dns_ports[lo->n_dns_ports++] = (uint16_t)v;
			break;
		case OPT_MAX_FRAG_MEM:
			if (!parse_size(optarg, &lo->frag_mem)) {
				warnx("--max-frag-mem: not a size: %s", optarg);
				return -1;
			}
			break;
		case OPT_FRAG_TIMEOUT:
			if (!parse_uint(optarg, 3600, &v)) {
				warnx("--frag-timeout: want 0-3600 seconds, "
				    "got %s", optarg);
				return -1;
			}
			lo->frag_timeout = (unsigned)v;
			break;
		case OPT_MAX_FLOWS:
			if (!parse_uint(optarg, 1u << 28, &v) || v == 0) {
				warnx("--max-flows: want 1-268435456, got %s",
				    optarg);
				return -1;
			}
			lo->max_flows = (size_t)v;
			break;
		case OPT_STREAM_BYTES:
			if (!parse_size(optarg, &lo->stream_bytes) ||
			    lo->stream_bytes < 512 ||
			    lo->stream_bytes > (1u << 20)) {
				warnx("--stream-bytes: want 512 to 1M, got %s",
				    optarg);
				return -1;
			}
			break;
		case OPT_STREAM_BUFFERS:
			if (!parse_uint(optarg, 1u << 24, &v)) {
				warnx("--stream-buffers: want 0-16777216, got "
				    "%s", optarg);
				return -1;
			}
			lo->stream_buffers = (size_t)v;
			break;
		case 'n':
			lo->networks = optarg;
			break;
		case OPT_GROUP_PREFIX:
			if (!parse_group_prefix(optarg, &lo->v4_plen,
			    &lo->v6_plen)) {
				warnx("--group-prefix: want V4,V6 (0-32,0-128),"
				    " got %s", optarg);
				return -1;
			}
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				lo->formats |= FMT_JSON;
			else if (strcmp(optarg, "text") == 0)
				lo->formats |= FMT_TEXT;
			else {
				warnx("--format: text or json, not %s",
				    optarg);
				return -1;
			}
			break;
		case 'o':
			lo->output = optarg;
			break;
		case OPT_REPORT_DIR:
			lo->report_dir = optarg;
			break;
		case OPT_REPORT_EVERY:
			if (!live_parse_duration(optarg, &lo->report_every)) {
				warnx("--report-every: want a duration like "
				    "30s, 5m or 1h (up to 30d), got %s",
				    optarg);
				return -1;
			}
			break;
		case OPT_MAX_NAMES:
			if (!parse_uint(optarg, 1000000, &v) || v == 0) {
				warnx("--max-names: want 1-1000000, got %s",
				    optarg);
				return -1;
			}
			lo->max_names = (size_t)v;
			break;
		case OPT_MAX_HOSTS:
			if (!parse_uint(optarg, 1u << 30, &v)) {
				warnx("--max-hosts: want 0-1073741824, got %s",
				    optarg);
				return -1;
			}
			lo->max_hosts = (size_t)v;
			break;
		case OPT_STATE:
			lo->state = optarg;
			break;
		case OPT_LISTEN:
			lo->listen = optarg;
			break;
		case OPT_LISTEN_TOKEN:
			lo->token_file = optarg;
			break;
		case OPT_MAX_CONNS:
			if (!parse_uint(optarg, 4096, &v) || v == 0) {
				warnx("--max-connections: want 1-4096, got %s",
				    optarg);
				return -1;
			}
			lo->max_conns = (size_t)v;
			break;
		case OPT_USER:
			lo->user = optarg;
			break;
		case OPT_SYSLOG:
			lo->syslog = true;
			break;
		case 'h':
			fputs(live_usage, stdout);
			exit(EXIT_DONE);
		default:
			fprintf(stderr, "Try 'kasaudit live --help'.\n");
			return -1;
		}
	}
	if (optind < argc) {
		warnx("live: unexpected argument %s", argv[optind]);
		return -1;
	}
	if (lo->n_ifaces == 0) {
		warnx("live: no interface (-i IFACE)");
		fprintf(stderr, "Try 'kasaudit live --help'.\n");
		return -1;
	}
	if (lo->formats == 0)
		lo->formats = FMT_TEXT;
	if (lo->output != NULL && lo->report_dir != NULL) {
		warnx("live: --output and --report-dir: give one");
		return -1;
	}
	if (lo->output != NULL && lo->formats == (FMT_TEXT | FMT_JSON)) {
		warnx("live: --output takes one format; --report-dir takes "
		    "both");
		return -1;
	}
	if (lo->token_file != NULL && lo->listen == NULL) {
		warnx("live: --listen-token without --listen");
		return -1;
	}
	if (lo->state != NULL && lo->output != NULL &&
	    strcmp(lo->state, lo->output) == 0) {
		warnx("live: --state and --output name the same file");
		return -1;
	}
	return 0;
}

/* ---- the pipeline ----------------------------------------------------- */

static void
on_match(void *arg, const struct obs *o, const struct match_sig *sig)
{
	struct daemon *d = arg;

	if ((unsigned)sig->cat < CAT_N)
		d->by_cat[sig->cat]++;
	/* As in read: an ECH outer name is not where the host went. */
	if (!(o->flags & OBS_F_ECH))
		(void)aggregate_add(d->agg, o, sig);
}

static void
on_blind(void *arg, const struct obs *o, enum obs_blind b)
{
	struct daemon *d = arg;

	(void)aggregate_blind(d->agg, o, b);
}

static struct report_linktype *
linktype_slot(struct daemon *d, int linktype)
{
	struct report_linktype *lt;
	size_t i;

	for (i = 0; i < d->n_lt; i++)
		if (d->lt[i].linktype == linktype)
			return &d->lt[i];
	if (d->n_lt == MAX_LINKTYPES)
		return NULL;
	for (i = d->n_lt; i > 0 && d->lt[i - 1].linktype > linktype; i--)
		d->lt[i] = d->lt[i - 1];
	lt = &d->lt[i];
	d->n_lt++;
	lt->linktype = linktype;
	lt->name = capture_linktype_name(linktype);
	lt->packets = 0;
	lt->supported = decode_linktype_ok(linktype);
	return lt;
}

static void
source_fail(struct daemon *d, size_t i, const char *why)
{
	struct source *s = &d->src[i];

	if (s->failed)
		return;
	s->failed = true;
	snprintf(s->err, sizeof(s->err), "%s", why);
	s->rf.complete = false;
	s->rf.error = s->err;
	live_remove_source(d->loop, i);
	d->n_failed++;
	lg(LOG_ERR, "capture failed: %s", why);
	if (d->n_failed == d->n_src) {
		lg(LOG_ERR, "no capture left: stopping");
		d->stopping = true;
		live_stop(d->loop);
	}
}

/* Reads up to max packets that wait on source i through the pipeline. */
static void
source_read(struct daemon *d, size_t i, size_t max)
{
	char errbuf[ERRBUF_LEN];
	struct source *s = &d->src[i];
	struct report_linktype *lt;
	struct capture_pkt cp;
	struct pkt p;
	size_t n;
	int r;

	if (s->failed)
		return;
	audit_set_file(d->aud, s->iface);
	for (n = 0; n < max; n++) {
		if ((r = capture_next(s->cap, &cp, errbuf)) == ERR_NOTFOUND)
			return;
		if (r != ERR_OK) {
			source_fail(d, i, errbuf);
			return;
		}
		s->rf.packets++;
		s->rf.bytes += cp.caplen;
		if (!d->have_time || cp.ts_sec < d->first_sec ||
		    (cp.ts_sec == d->first_sec &&
		    cp.ts_nsec < d->first_nsec)) {
			d->first_sec = cp.ts_sec;
			d->first_nsec = cp.ts_nsec;
		}
		if (!d->have_time || cp.ts_sec > d->last_sec ||
		    (cp.ts_sec == d->last_sec && cp.ts_nsec > d->last_nsec)) {
			d->last_sec = cp.ts_sec;
			d->last_nsec = cp.ts_nsec;
		}
		d->have_time = true;
		if ((lt = linktype_slot(d, cp.linktype)) != NULL)
			lt->packets++;
		r = decode_pkt(d->dec, &p, cp.data, cp.caplen, cp.len,
		    cp.linktype, cp.ts_sec);
		if (r == ERR_OK)
			audit_packet(d->aud, &p, cp.frame, cp.ts_sec,
			    cp.ts_nsec);
		else if (r == ERR_UNSUPPORTED)
			s->rf.unsupported++;
	}
}

/* ---- files: reports and state ----------------------------------------- */

typedef int	(*writer_fn)(FILE *, const struct aggregate *,
		    const struct report_meta *);

static void
fill_meta(struct daemon *d, struct report_meta *meta)
{
	size_t i;

	memset(meta, 0, sizeof(*meta));
	for (i = 0; i < d->n_src; i++) {
		d->files[i] = d->src[i].rf;
		meta->packets += d->src[i].rf.packets;
		meta->bytes += d->src[i].rf.bytes;
	}
	for (i = 0; i < d->n_prev; i++)
		d->files[d->n_src + i] = d->prev[i];
	meta->version = KASAUDIT_VERSION;
	meta->files = d->files;
	meta->n_files = d->n_src + d->n_prev;
	meta->linktypes = d->lt;
	meta->n_linktypes = d->n_lt;
	meta->have_time = d->have_time;
	meta->first_sec = d->first_sec;
	meta->first_nsec = d->first_nsec;
	meta->last_sec = d->last_sec;
	meta->last_nsec = d->last_nsec;
	meta->decode = decode_stats(d->dec);
	meta->audit = audit_stats(d->aud);
	meta->flow = audit_flow_stats(d->aud);
	meta->match = d->m;
	meta->filter = d->o.filter;
	meta->v4_plen = d->o.v4_plen;
	meta->v6_plen = d->o.v6_plen;
	meta->max_names = d->o.max_names;
}

/* Makes the rename of a file in path's directory durable. */
static void
sync_dir(const char *path)
{
	char dir[PATH_MAX], *slash;
	int fd;

	if (strlen(path) >= sizeof(dir))
		return;
	strcpy(dir, path);
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* True unless path exists and is not a regular file (a device, a FIFO). */
static bool
is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) != 0 || S_ISREG(st.st_mode);
}

/* A device or FIFO is written in place: renaming over it would replace
 * the node itself. */
static int
write_direct(struct daemon *d, const char *path, writer_fn fn,
    const struct report_meta *meta, char *errbuf)
{
	FILE *fp;
	int r;

	if ((fp = fopen(path, "w")) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = fn(fp, d->agg, meta) == ERR_OK && fflush(fp) == 0 ? 0 : -1;
	if (r != 0)
		snprintf(errbuf, ERRBUF_LEN, "%s: write failed: %s", path,
		    strerror(errno));
	if (fclose(fp) != 0 && r == 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		r = -1;
	}
	return r;
}

/*
 * Writes path atomically: a temporary beside it, written, flushed and
 * fsynced, then renamed over it.  Readers see the old file or the new one,
 * never a part.  "-" is standard output; a device or FIFO is written in
 * place; a symbolic link is followed.  0, or -1 with errbuf.
 */
static int
write_atomic(struct daemon *d, const char *path, writer_fn fn,
    const struct report_meta *meta, char *errbuf)
{
	char tmp[PATH_MAX], real[PATH_MAX];
	const char *target = path;	/* messages name path as given */
	struct stat lst;
	FILE *fp = NULL;
	int fd = -1;

	if (strcmp(path, "-") == 0) {
		if (fn(stdout, d->agg, meta) != ERR_OK ||
		    fflush(stdout) != 0) {
			snprintf(errbuf, ERRBUF_LEN, "standard output: %s",
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if (!is_regular(path))
		return write_direct(d, path, fn, meta, errbuf);
	/* Through a symbolic link: the link stays, its target is replaced. */
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
	    realpath(path, real) != NULL)
		target = real;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", target) >=
	    sizeof(tmp)) {
		snprintf(errbuf, ERRBUF_LEN, "%s: path too long", path);
		return -1;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		return -1;
	}
	(void)fchmod(fd, d->mode);
	if ((fp = fdopen(fd, "w")) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		close(fd);
		goto fail;
	}
	errno = 0;
	if (fn(fp, d->agg, meta) != ERR_OK || fflush(fp) != 0 ||
	    fsync(fd) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: write failed: %s", path,
		    errno != 0 ? strerror(errno) : "I/O error");
		fclose(fp);
		goto fail;
	}
	if (fclose(fp) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (rename(tmp, target) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: rename: %s", path,
		    strerror(errno));
		goto fail;
	}
	sync_dir(target);
	return 0;
fail:
	(void)unlink(tmp);
	return -1;
}

/*
 * Frees the signature sets that reloads replaced once nothing can point
 * into them any more.  Attribution entries learned before a reload may
 * name its signatures until their longest TTL has passed in packet time,
 * and a contact they explain may add such a name to the tables until then;
 * after it the tables take their own copies (aggregate_own_sigs()).
 */
static void
retired_gc(struct daemon *d)
{
	bool owned = false;
	size_t i, j;

	for (i = j = 0; i < d->n_old; i++) {
		if (d->have_time && d->last_sec - d->old[i].ts >=
		    (int64_t)AUDIT_ATTRIB_TTL_MAX + RETIRE_SLACK &&
		    (owned || aggregate_own_sigs(d->agg) == ERR_OK)) {
			owned = true;
			match_free(d->old[i].m);
			continue;
		}
		d->old[j++] = d->old[i];
	}
	d->n_old = j;
}

/* "why": interval, SIGUSR1, final.  Returns false if a file failed. */
static bool
write_reports(struct daemon *d, const char *why)
{
	char errbuf[ERRBUF_LEN], path[PATH_MAX], where[PATH_MAX + 64];
	struct report_meta meta;
	bool ok = true;
	int f;

	if (aggregate_finish(d->agg, d->nm, d->o.v4_plen, d->o.v6_plen) !=
	    ERR_OK) {
		lg(LOG_ERR, "report (%s) failed: out of memory while sorting",
		    why);
		d->reports_failed++;
		return false;
	}
	fill_meta(d, &meta);
	where[0] = '\0';
	for (f = FMT_TEXT; f <= FMT_JSON; f <<= 1) {
		if (!(d->o.formats & f))
			continue;
		if (d->o.report_dir != NULL)
			snprintf(path, sizeof(path), "%s/report.%s",
			    d->o.report_dir, f == FMT_JSON ? "json" : "txt");
		else
			snprintf(path, sizeof(path), "%s",
			    d->o.output != NULL ? d->o.output : "-");
		if (write_atomic(d, path, f == FMT_JSON ? report_json :
		    report_text, &meta, errbuf) != 0) {
			lg(LOG_ERR, "report (%s) failed: %s", why, errbuf);
			ok = false;
			continue;
		}
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    "%s%s", where[0] != '\0' ? ", " : "", path);
	}
	if (d->o.state != NULL) {
		if (write_atomic(d, d->o.state, report_json, &meta, errbuf) !=
		    0) {
			lg(LOG_ERR, "state snapshot (%s) failed: %s", why,
			    errbuf);
			ok = false;
		}
	}
	if (ok) {
		d->reports_ok++;
		d->last_report = time(NULL);
		lg(LOG_INFO, "report written (%s): %s; %zu offending hosts, "
		    "%" PRIu64 " packets%s%s", why,
		    where[0] != '\0' ? where : "-", aggregate_n_hosts(d->agg),
		    meta.packets, d->o.state != NULL ? "; state " : "",
		    d->o.state != NULL ? d->o.state : "");
	} else
		d->reports_failed++;
	retired_gc(d);
	return ok;
}

/*
 * A state file that cannot be read is renamed FILE.corrupt-N (the first
 * free N) so that nobody loses it and the next snapshot does not overwrite
 * it.  0, or -1 when it could not be moved (then we do not start).
 */
static int
state_move_aside(const char *path, const char *why)
{
	char aside[PATH_MAX];
	struct stat st;
	unsigned n;

	for (n = 1; n < 1000; n++) {
		if ((size_t)snprintf(aside, sizeof(aside), "%s.corrupt-%u",
		    path, n) >= sizeof(aside))
			break;
		if (lstat(aside, &st) == 0 || errno != ENOENT)
			continue;
		if (rename(path, aside) != 0)
			break;
		lg(LOG_ERR, "state: %s; moved aside to %s, starting empty",
		    why, aside);
		return 0;
	}
	warnx("--state %s: %s; cannot move it aside (%s): not starting, "
	    "so as not to overwrite it", path, why, strerror(errno));
	return -1;
}

/*
 * The restored hosts name the inputs they were seen on, and a report must
 * list every input it names to be read back: the state's inputs that are
 * not interfaces of this run stay in the reports, with their counts.
 */
static int
keep_inputs(struct daemon *d, const struct report_meta *meta)
{
	struct report_file *f;
	size_t i, j;

	if (meta->n_files == 0)
		return 0;
	if ((d->prev = calloc(meta->n_files, sizeof(*d->prev))) == NULL)
		return -1;
	for (i = 0; i < meta->n_files; i++) {
		for (j = 0; j < d->o.n_ifaces; j++)
			if (strcmp(meta->files[i].path, d->o.ifaces[j]) == 0)
				break;
		if (j < d->o.n_ifaces)
			continue;
		f = &d->prev[d->n_prev];
		*f = meta->files[i];
		f->path = strdup(meta->files[i].path);
		f->format = strdup(meta->files[i].format != NULL ?
		    meta->files[i].format : "");
		f->error = strdup(meta->files[i].error != NULL ?
		    meta->files[i].error : "");
		d->n_prev++;
		if (f->path == NULL || f->format == NULL || f->error == NULL)
			return -1;
	}
	return 0;
}

/*
 * Reads the state file back into the tables: the hosts, their names and
 * counts carry over, and the report's time span starts at the earliest
 * packet the state saw; the other statistics count from this start.
 * Missing: a first start.  Unreadable or not a report: moved aside.
 */
static int
state_load(struct daemon *d)
{
	char errbuf[ERRBUF_LEN];
	struct load_stats *st = NULL;
	struct report_meta meta;
	struct stat sb;
	int r;

	if (d->o.state == NULL)
		return 0;
	if (stat(d->o.state, &sb) != 0) {
		if (errno != ENOENT) {
			warnx("--state %s: %s", d->o.state, strerror(errno));
			return -1;
		}
		lg(LOG_INFO, "state: %s: none yet, starting empty",
		    d->o.state);
		return 0;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(errbuf, sizeof(errbuf), "%s: not a regular file",
		    d->o.state);
		return state_move_aside(d->o.state, errbuf);
	}
	if ((st = load_stats_new()) == NULL) {
		warnx("out of memory");
		return -1;
	}
	r = load_report(d->agg, st, d->o.state, errbuf);
	if (r == ERR_NOMEM || r == ERR_FULL) {
		/* Not the file's fault: keep it for a start that can. */
		warnx("%s", r == ERR_FULL ? "--state: more hosts than "
		    "--max-hosts allows" : "--state: out of memory");
		load_stats_free(st);
		return -1;
	}
	if (r != ERR_OK) {
		load_stats_free(st);
		return state_move_aside(d->o.state, errbuf);
	}
	memset(&meta, 0, sizeof(meta));
	load_stats_meta(st, &meta);
	if (keep_inputs(d, &meta) != 0) {
		warnx("--state %s: out of memory", d->o.state);
		load_stats_free(st);
		return -1;
	}
	if (meta.have_time) {
		d->have_time = true;
		d->first_sec = meta.first_sec;
		d->first_nsec = meta.first_nsec;
		d->last_sec = meta.last_sec;
		d->last_nsec = meta.last_nsec;
	}
	load_stats_free(st);
	aggregate_trim_names(d->agg, d->o.max_names);
	if (aggregate_finish(d->agg, d->nm, d->o.v4_plen, d->o.v6_plen) !=
	    ERR_OK) {
		warnx("--state %s: out of memory", d->o.state);
		return -1;
	}
	lg(LOG_INFO, "state: %s: loaded %zu offending hosts, %zu DNS servers",
	    d->o.state, aggregate_n_hosts(d->agg),
	    aggregate_n_resolvers(d->agg));
	return 0;
}

/* ---- signatures and networks ------------------------------------------ */

/* A new signature set; NULL with errbuf. */
static struct match *
sigs_build(const struct sigopts *so, char *errbuf)
{
	struct match *m;
	size_t i;

	if ((m = match_new()) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "signatures: %s",
		    strerror(ENOMEM));
		return NULL;
	}
	if (!so->no_default && match_load_builtin(m, errbuf) != ERR_OK)
		goto fail;
	for (i = 0; i < so->n_files; i++)
		if (match_load_file(m, so->files[i], errbuf) != ERR_OK)
			goto fail;
	if (match_count(m) == 0) {
		snprintf(errbuf, ERRBUF_LEN, "no signatures (--no-default-sigs "
		    "without -s FILE?)");
		goto fail;
	}
	return m;
fail:
	match_free(m);
	return NULL;
}

static struct netmap *
nets_build(const char *path, char *errbuf)
{
	struct netmap *nm;

	if ((nm = netmap_new()) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(ENOMEM));
		return NULL;
	}
	if (netmap_load_file(nm, path, errbuf) != ERR_OK) {
		netmap_free(nm);
		return NULL;
	}
	return nm;
}

/*
 * SIGHUP: the files are read again; a set that does not load is refused
 * with its error and the old one stays.  Nothing counted is lost: the
 * tables keep every host, and the old signatures are retired, not freed.
 */
static void
reload(struct daemon *d)
{
	char errbuf[ERRBUF_LEN];
	struct match *m;
	struct netmap *nm = NULL;
	struct retired *r;
	size_t before = match_count(d->m);
	bool ok = true;

	if ((m = sigs_build(&d->o.sigs, errbuf)) == NULL) {
		lg(LOG_ERR, "reload failed: %s; keeping the %zu signatures in "
		    "use", errbuf, before);
		ok = false;
	} else if ((r = realloc(d->old, (d->n_old + 1) *
	    sizeof(*r))) == NULL) {
		lg(LOG_ERR, "reload failed: out of memory; keeping the %zu "
		    "signatures in use", before);
		match_free(m);
		ok = false;
	} else {
		d->old = r;
		d->old[d->n_old].m = d->m;
		d->old[d->n_old].ts = d->have_time ? d->last_sec : 0;
		d->n_old++;
		audit_set_match(d->aud, m);
		d->m = m;
	}
	if (d->o.networks != NULL) {
		if ((nm = nets_build(d->o.networks, errbuf)) == NULL) {
			lg(LOG_ERR, "reload failed: %s; keeping the networks "
			    "in use", errbuf);
			ok = false;
		} else {
			/* The aggregate copies what it needs at finish. */
			netmap_free(d->nm);
			d->nm = nm;
		}
	}
	if (ok) {
		d->reloads_ok++;
		lg(LOG_INFO, "reload ok: %zu signatures (were %zu)%s",
		    match_count(d->m), before,
		    d->nm != NULL ? ", networks re-read" : "");
	} else
		d->reloads_failed++;
}

/* ---- loop callbacks --------------------------------------------------- */

static void
on_readable(void *arg, size_t i)
{
	source_read(arg, i, BATCH);
}

static void
watch(struct daemon *d, int w, uint64_t value, time_t now, const char *fmt,
    ...)
{
	char msg[512];
	va_list ap;

	if (value <= d->w[w].logged || (d->w[w].when != 0 &&
	    now - d->w[w].when < CAP_LOG_EVERY))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lg(LOG_WARNING, "cap reached: %s (%" PRIu64 " so far)", msg, value);
	d->w[w].logged = value;
	d->w[w].when = now;
}

static void
on_tick(void *arg)
{
	char errbuf[ERRBUF_LEN];
	struct daemon *d = arg;
	struct source *s;
	const struct flow_stats *fs;
	const struct live_http_stats *hs;
	time_t now = time(NULL);
	uint64_t drops;
	size_t i;

	for (i = 0; i < d->n_src && !d->stopping; i++) {
		s = &d->src[i];
		source_read(d, i, BATCH);
		if (s->failed)
			continue;
		if (capture_live_stats(s->cap, &s->ks, errbuf) != ERR_OK)
			continue;
		drops = s->ks.dropped + s->ks.if_dropped;
		if (drops > s->drops_logged && now - s->drops_when >=
		    DROPS_LOG_EVERY) {
			lg(LOG_WARNING, "drops rising on %s: %" PRIu64
			    " packets dropped (%" PRIu64 " by the kernel, %"
			    PRIu64 " by the interface), %" PRIu64 " new; "
			    "try a larger --buffer-size or a -f filter",
			    s->iface, drops, s->ks.dropped, s->ks.if_dropped,
			    drops - s->drops_logged);
			s->drops_logged = drops;
			s->drops_when = now;
		}
	}
	fs = audit_flow_stats(d->aud);
	watch(d, W_EVICT, fs->evicted, now, "flow table full (--max-flows "
	    "%zu), least recently used flows evicted", d->o.max_flows);
	watch(d, W_NOBUF, fs->no_buffer, now, "no stream buffer free "
	    "(--stream-buffers %zu)", d->o.stream_buffers);
	watch(d, W_FRAG, decode_stats(d->dec)->frag_evicted, now,
	    "fragment memory full (--max-frag-mem %zu)", d->o.frag_mem);
	watch(d, W_HOSTS, aggregate_hosts_refused(d->agg), now, "host table "
	    "full (--max-hosts %zu): observations of new hosts refused",
	    d->o.max_hosts);
	watch(d, W_REFUSED, aggregate_refused(d->agg) -
	    aggregate_hosts_refused(d->agg), now, "host tables could not "
	    "grow (out of memory): observations refused");
	if (d->o.listen != NULL) {
		hs = live_http_stats(d->loop);
		watch(d, W_HTTP, hs->conns_capped, now, "status connections "
		    "at --max-connections %zu, accepting paused",
		    hs->conns_max);
	}
}

static void
on_report(void *arg)
{
	(void)write_reports(arg, "interval");
}

static void
on_signal(void *arg, int signo)
{
	struct daemon *d = arg;

	switch (signo) {
	case SIGHUP:
		reload(d);
		break;
	case SIGUSR1:
		(void)write_reports(d, "SIGUSR1");
		break;
	default:
		if (!d->stopping)
			lg(LOG_INFO, "%s: stopping", signo == SIGINT ?
			    "SIGINT" : "SIGTERM");
		d->stopping = true;
		live_stop(d->loop);
		break;
	}
}

/* ---- status pages ----------------------------------------------------- */

static void
prom_head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP kasaudit_%s %s\n# TYPE kasaudit_%s %s\n", name,
	    help, name, type);
}

/* A label value, escaped as the text format wants. */
static void
prom_label(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(fp, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
}

static void
prom_iface(FILE *fp, const char *name, const char *iface, uint64_t v)
{
	fprintf(fp, "kasaudit_%s{interface=\"", name);
	prom_label(fp, iface);
	fprintf(fp, "\"} %" PRIu64 "\n", v);
}

static uint64_t
resident_bytes(void)
{
	unsigned long long size, rss;
	FILE *fp;
	int ok;

	if ((fp = fopen("/proc/self/statm", "r")) == NULL)
		return 0;
	ok = fscanf(fp, "%llu %llu", &size, &rss) == 2;
	fclose(fp);
	return ok ? (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

static void
write_metrics(struct daemon *d, FILE *fp)
{
	const struct decode_stats *ds = decode_stats(d->dec);
	const struct audit_stats *as = audit_stats(d->aud);
	const struct flow_stats *fs = audit_flow_stats(d->aud);
	const struct source *s;
	size_t i;
	int v;

	prom_head(fp, "packets_total", "counter", "Packets captured.");
	for (i = 0; i < d->n_src; i++)
		prom_iface(fp, "packets_total", d->src[i].iface,
		    d->src[i].rf.packets);
	prom_head(fp, "bytes_total", "counter", "Bytes captured.");
	for (i = 0; i < d->n_src; i++)
		prom_iface(fp, "bytes_total", d->src[i].iface,
		    d->src[i].rf.bytes);
	prom_head(fp, "kernel_drops_total", "counter",
	    "Packets dropped for lack of kernel buffer space (pcap_stats).");
	for (i = 0; i < d->n_src; i++)
		prom_iface(fp, "kernel_drops_total", d->src[i].iface,
		    d->src[i].ks.dropped);
	prom_head(fp, "interface_drops_total", "counter",
	    "Packets dropped by the interface (pcap_stats).");
	for (i = 0; i < d->n_src; i++)
		prom_iface(fp, "interface_drops_total", d->src[i].iface,
		    d->src[i].ks.if_dropped);
	prom_head(fp, "capture_up", "gauge",
	    "1 while the capture on the interface runs.");
	for (i = 0; i < d->n_src; i++) {
		s = &d->src[i];
		prom_iface(fp, "capture_up", s->iface, s->failed ? 0 : 1);
	}

	/* Parse failures, cuts, flows, fragments: rows of stats.c. */
	stats_write_prom(fp, ds, as, fs);
	prom_head(fp, "table_capacity", "gauge",
	    "Fixed table sizes (entries; fragment memory in bytes).");
	fprintf(fp, "kasaudit_table_capacity{table=\"flows\"} %zu\n",
	    d->o.max_flows);
	fprintf(fp, "kasaudit_table_capacity{table=\"stream_buffers\"} %zu\n",
	    d->o.stream_buffers);
	fprintf(fp, "kasaudit_table_capacity{table=\"fragment_bytes\"} %zu\n",
	    d->o.frag_mem);
	fprintf(fp, "kasaudit_table_capacity{table=\"hosts\"} %zu\n",
	    d->o.max_hosts);
	prom_head(fp, "resident_memory_bytes", "gauge",
	    "Resident memory of the process.");
	fprintf(fp, "kasaudit_resident_memory_bytes %" PRIu64 "\n",
	    resident_bytes());

	prom_head(fp, "matches_total", "counter",
	    "Observations that matched a signature, by category.");
	for (i = 0; i < CAT_N; i++)
		fprintf(fp, "kasaudit_matches_total{category=\"%s\"} %" PRIu64
		    "\n", match_cat_name((enum match_cat)i), d->by_cat[i]);
	prom_head(fp, "offenders", "gauge",
	    "Hosts that contacted Kaspersky.");
	fprintf(fp, "kasaudit_offenders %zu\n", aggregate_n_hosts(d->agg));
	prom_head(fp, "offenders_by_verdict", "gauge",
	    "Hosts that contacted Kaspersky, by verdict.");
	for (v = 0; v < VERDICT_N; v++)
		fprintf(fp, "kasaudit_offenders_by_verdict{verdict=\"%s\"} "
		    "%zu\n", verdict_name((enum verdict)v),
		    aggregate_by_verdict(d->agg, (enum verdict)v));
	prom_head(fp, "dns_servers", "gauge",
	    "DNS servers that relayed matched lookups.");
	fprintf(fp, "kasaudit_dns_servers %zu\n",
	    aggregate_n_resolvers(d->agg));
	prom_head(fp, "observations_refused_total", "counter",
	    "Matches the host tables did not take (--max-hosts, memory).");
	fprintf(fp, "kasaudit_observations_refused_total %" PRIu64 "\n",
	    aggregate_refused(d->agg));
	prom_head(fp, "hosts_refused_total", "counter",
	    "Observations refused because the host table was full.");
	fprintf(fp, "kasaudit_hosts_refused_total %" PRIu64 "\n",
	    aggregate_hosts_refused(d->agg));
	prom_head(fp, "signatures", "gauge", "Signatures in use.");
	fprintf(fp, "kasaudit_signatures %zu\n", match_count(d->m));

	prom_head(fp, "reports_total", "counter",
	    "Report rounds written (reports and state), by result.");
	fprintf(fp, "kasaudit_reports_total{result=\"ok\"} %" PRIu64 "\n"
	    "kasaudit_reports_total{result=\"failed\"} %" PRIu64 "\n",
	    d->reports_ok, d->reports_failed);
	prom_head(fp, "last_report_timestamp_seconds", "gauge",
	    "When the last report was written (0: none yet).");
	fprintf(fp, "kasaudit_last_report_timestamp_seconds %lld\n",
	    (long long)d->last_report);
	prom_head(fp, "reloads_total", "counter", "SIGHUP reloads, by result.");
	fprintf(fp, "kasaudit_reloads_total{result=\"ok\"} %" PRIu64 "\n"
	    "kasaudit_reloads_total{result=\"failed\"} %" PRIu64 "\n",
	    d->reloads_ok, d->reloads_failed);
	prom_head(fp, "start_time_seconds", "gauge",
	    "When the daemon started.");
	fprintf(fp, "kasaudit_start_time_seconds %lld\n",
	    (long long)d->started);
	if (d->o.listen != NULL) {
		const struct live_http_stats *hs = live_http_stats(d->loop);

		prom_head(fp, "http_connections", "gauge",
		    "Open status connections.");
		fprintf(fp, "kasaudit_http_connections %zu\n", hs->conns_open);
		prom_head(fp, "http_requests_total", "counter",
		    "Status requests answered.");
		fprintf(fp, "kasaudit_http_requests_total %" PRIu64 "\n",
		    hs->requests);
	}
}

static int
on_page(void *arg, enum live_page page, FILE *fp)
{
	struct daemon *d = arg;
	struct report_meta meta;
	int r;

	if (page == LIVE_PAGE_HEALTH) {
		if (d->n_failed == d->n_src) {
			fputs("no capture running\n", fp);
			return 503;
		}
		fputs("ok\n", fp);
		return 200;
	}
	if (aggregate_finish(d->agg, d->nm, d->o.v4_plen, d->o.v6_plen) !=
	    ERR_OK)
		return 500;
	if (page == LIVE_PAGE_METRICS) {
		write_metrics(d, fp);
		return ferror(fp) ? 500 : 200;
	}
	fill_meta(d, &meta);
	r = page == LIVE_PAGE_REPORT_JSON ? report_json(fp, d->agg, &meta) :
	    report_text(fp, d->agg, &meta);
	return r == ERR_OK ? 200 : 500;
}

/* ---- set-up ----------------------------------------------------------- */

/* The token: the file's first line, which must not be empty. */
static int
read_token(const char *path, char *buf, size_t len)
{
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL) {
		warnx("--listen-token %s: %s", path, strerror(errno));
		return -1;
	}
	if (fgets(buf, (int)len, fp) == NULL) {
		warnx("--listen-token %s: empty", path);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == len - 1) {
		warnx("--listen-token %s: the token is too long", path);
		return -1;
	}
	buf[n] = '\0';
	if (n == 0) {
		warnx("--listen-token %s: empty first line", path);
		return -1;
	}
	return 0;
}

/* Every capability dropped from the sets of this process. */
static int
drop_caps(void)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct data[2];

	memset(&h, 0, sizeof(h));
	memset(data, 0, sizeof(data));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capset, &h, data) != 0)
		return -1;
	memset(data, 0xff, sizeof(data));
	if (syscall(SYS_capget, &h, data) != 0 || data[0].effective != 0 ||
	    data[0].permitted != 0 || data[1].effective != 0 ||
	    data[1].permitted != 0)
		return -1;
	return 0;
}

/*
 * Once the captures and the socket are open nothing needs privileges:
 * root becomes --user (nobody by default) for good, and no capability is
 * kept, so a bug in a parser cannot be turned into more.
 */
static int
drop_privileges(const char *user, const char **as)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0) {
		if (user != NULL && ((pw = getpwnam(user)) == NULL ||
		    pw->pw_uid != geteuid())) {
			warnx("--user %s: only root can change user", user);
			return -1;
		}
		if (drop_caps() != 0) {
			warnx("cannot drop capabilities: %s", strerror(errno));
			return -1;
		}
		(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		*as = (pw = getpwuid(geteuid())) != NULL ? pw->pw_name : NULL;
		return 0;
	}
	if (user == NULL)
		user = "nobody";
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		warnx("--user %s: %s", user, errno != 0 ? strerror(errno) :
		    "no such user");
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		warnx("cannot become %s: %s", user, strerror(errno));
		return -1;
	}
	if (getuid() != uid || geteuid() != uid || getgid() != gid ||
	    getegid() != gid || (uid != 0 && setuid(0) == 0)) {
		warnx("cannot become %s for good", user);
		return -1;
	}
	if (drop_caps() != 0) {
		warnx("cannot drop capabilities: %s", strerror(errno));
		return -1;
	}
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	*as = user;
	return 0;
}

/* The directory that will hold path is writable (checked as the user the
 * daemon runs as, so a mistake shows at start, not at the first report). */
static int
check_dir_writable(const char *what, const char *path, bool is_dir)
{
	char dir[PATH_MAX], *slash;
	struct stat lst;

	if (path == NULL || strcmp(path, "-") == 0 ||
	    (!is_dir && !is_regular(path)))
		return 0;
	if (strlen(path) >= sizeof(dir))
		return 0;
	/* A link's target is what gets replaced (see write_atomic()). */
	if (is_dir || lstat(path, &lst) != 0 || !S_ISLNK(lst.st_mode) ||
	    realpath(path, dir) == NULL)
		strcpy(dir, path);
	if (!is_dir) {
		if ((slash = strrchr(dir, '/')) == NULL)
			strcpy(dir, ".");
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
	}
	if (access(dir, W_OK | X_OK) != 0) {
		warnx("%s %s: directory %s is not writable: %s", what, path,
		    dir, strerror(errno));
		return -1;
	}
	return 0;
}

static void
daemon_free(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->n_src; i++)
		capture_close(d->src[i].cap);
	live_free(d->loop);
	audit_free(d->aud);
	decode_free(d->dec);
	aggregate_free(d->agg);
	netmap_free(d->nm);
	match_free(d->m);
	for (i = 0; i < d->n_old; i++)
		match_free(d->old[i].m);
	free(d->old);
	for (i = 0; i < d->n_prev; i++) {
		free((char *)d->prev[i].path);
		free((char *)d->prev[i].format);
		free((char *)d->prev[i].error);
	}
	free(d->prev);
	free(d->files);
}

int
cmd_live(int argc, char **argv)
{
	static const struct live_ops ops = {
		.readable = on_readable,
		.tick = on_tick,
		.report = on_report,
		.signal = on_signal,
		.page = on_page,
	};
	char errbuf[ERRBUF_LEN], token[TOKEN_BUF], bound[128];
	char started[1024];
	struct capture_live_config cc;
	struct live_http_config hc;
	struct audit_config ac;
	struct daemon *d;
	const char *as = NULL, *name;
	mode_t um;
	size_t i;
	int status = EXIT_USAGE, lt;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		warnx("out of memory");
		return EXIT_USAGE;
	}
	token[0] = '\0';
	bound[0] = '\0';
	if (live_parse(argc, argv, &d->o) != 0)
		goto out;
	um = umask(0);
	umask(um);
	d->mode = (mode_t)(0644 & ~um);
	if (d->o.filter != NULL &&
	    capture_filter_check(d->o.filter, errbuf) != ERR_OK) {
		warnx("%s", errbuf);
		goto out;
	}
	if ((d->m = sigs_build(&d->o.sigs, errbuf)) == NULL) {
		warnx("%s", errbuf);
		goto out;
	}
	if (d->o.networks != NULL &&
	    (d->nm = nets_build(d->o.networks, errbuf)) == NULL) {
		warnx("%s", errbuf);
		goto out;
	}
	if (d->o.token_file != NULL &&
	    read_token(d->o.token_file, token, sizeof(token)) != 0)
		goto out;
	memset(&ac, 0, sizeof(ac));
	ac.match = d->m;
	memcpy(ac.dns_ports, d->o.dns_ports, sizeof(ac.dns_ports));
	ac.n_dns_ports = d->o.n_dns_ports;
	ac.flow.max_flows = d->o.max_flows;
	ac.flow.stream_bytes = d->o.stream_bytes;
	ac.flow.n_buffers = d->o.stream_buffers;
	ac.flow.tcp_idle = TCP_IDLE;
	ac.flow.udp_idle = UDP_IDLE;
	ac.blind = on_blind;
	if ((d->agg = aggregate_new(d->o.max_names)) == NULL ||
	    (d->dec = decode_new(d->o.frag_mem, d->o.frag_timeout)) == NULL ||
	    (d->aud = audit_new(&ac, on_match, d)) == NULL) {
		warnx("out of memory");
		goto out;
	}
	aggregate_set_max_hosts(d->agg, d->o.max_hosts);
	if (d->o.syslog) {
		openlog("kasaudit", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		log_to_syslog = true;
	}
	if (state_load(d) != 0)
		goto out;
	if ((d->files = calloc(d->o.n_ifaces + d->n_prev,
	    sizeof(*d->files))) == NULL) {
		warnx("out of memory");
		goto out;
	}

	/* Everything that needs privileges, then none of them. */
	if ((d->loop = live_new(&ops, d, TICK_MS, d->o.report_every,
	    errbuf)) == NULL) {
		warnx("%s", errbuf);
		goto out;
	}
	memset(&cc, 0, sizeof(cc));
	cc.snaplen = d->o.snaplen;
	cc.promisc = !d->o.no_promisc;
	cc.buffer_size = d->o.buffer_size;
	cc.timeout_ms = PCAP_TIMEOUT_MS;
	cc.filter = d->o.filter;
	for (i = 0; i < d->o.n_ifaces; i++) {
		struct source *s = &d->src[i];

		s->iface = d->o.ifaces[i];
		s->rf.path = s->iface;
		s->rf.format = "live";
		s->rf.error = "";
		s->rf.complete = true;
		if (capture_open_live(&s->cap, s->iface, &cc, errbuf) !=
		    ERR_OK) {
			warnx("%s", errbuf);
			goto out;
		}
		d->n_src++;
		lt = capture_linktype(s->cap);
		if (!decode_linktype_ok(lt)) {
			name = capture_linktype_name(lt);
			warnx("%s: link type %d (%s) is not supported",
			    s->iface, lt, name != NULL ? name : "unknown");
			goto out;
		}
		if (capture_fd(s->cap) < 0) {
			warnx("%s: no selectable descriptor", s->iface);
			goto out;
		}
		if (live_add_source(d->loop, capture_fd(s->cap), i, errbuf) !=
		    ERR_OK) {
			warnx("%s", errbuf);
			goto out;
		}
	}
	if (d->o.listen != NULL) {
		memset(&hc, 0, sizeof(hc));
		hc.listen = d->o.listen;
		hc.token = token[0] != '\0' ? token : NULL;
		hc.max_conns = d->o.max_conns;
		hc.max_header_bytes = HTTP_HEADER_MAX;
		hc.max_body_bytes = HTTP_BODY_MAX;
		hc.timeout_sec = HTTP_TIMEOUT;
		if (live_listen(d->loop, &hc, bound, sizeof(bound), errbuf) !=
		    ERR_OK) {
			warnx("%s", errbuf);
			goto out;
		}
	}
	memset(token, 0, sizeof(token));
	if (drop_privileges(d->o.user, &as) != 0 ||
	    check_dir_writable("--output", d->o.output, false) != 0 ||
	    check_dir_writable("--report-dir", d->o.report_dir, true) != 0 ||
	    check_dir_writable("--state", d->o.state, false) != 0)
		goto out;

	d->started = time(NULL);
	started[0] = '\0';
	for (i = 0; i < d->n_src; i++) {
		name = capture_linktype_name(capture_linktype(d->src[i].cap));
		snprintf(started + strlen(started), sizeof(started) -
		    strlen(started), "%s%s (%s)", i > 0 ? ", " : "",
		    d->src[i].iface, name != NULL ? name : "?");
	}
	lg(LOG_INFO, "started %s: capturing on %s%s%s; %zu signatures; "
	    "reports every %us%s%s%s%s; running as %s", KASAUDIT_VERSION,
	    started, d->o.filter != NULL ? " filter " : "",
	    d->o.filter != NULL ? d->o.filter : "", match_count(d->m),
	    d->o.report_every, d->o.state != NULL ? "; state " : "",
	    d->o.state != NULL ? d->o.state : "",
	    bound[0] != '\0' ? "; status http://" : "", bound[0] != '\0' ?
	    bound : "", as != NULL ? as : "the invoking user");

	status = EXIT_DONE;
	if (live_run(d->loop) != ERR_OK) {
		lg(LOG_ERR, "event loop failed");
		status = EXIT_INPUT;
	}
	/* Drain what the kernel still holds, then close every flow. */
	for (i = 0; i < d->n_src; i++) {
		source_read(d, i, DRAIN_MAX);
		if (!d->src[i].failed)
			(void)capture_live_stats(d->src[i].cap, &d->src[i].ks,
			    errbuf);
	}
	audit_finish(d->aud);
	if (!write_reports(d, "final"))
		status = EXIT_INPUT;
	if (d->n_failed == d->n_src)
		status = EXIT_INPUT;
	lg(LOG_INFO, "stopped: %zu offending hosts", aggregate_n_hosts(d->agg));
out:
	memset(token, 0, sizeof(token));
	daemon_free(d);
	free(d);
	if (log_to_syslog)
		closelog();
	return status;
}
