/* cli.c - main(): subcommands, options, the only place that prints or exits. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "aggregate.h"
#include "anon.h"
#include "audit.h"
#include "capture.h"
#include "decode.h"
#include "err.h"
#include "evidence.h"
#include "match.h"
#include "netmap.h"
#include "progress.h"
#include "report.h"

#ifndef KASAUDIT_VERSION
#define KASAUDIT_VERSION "0.0.0"
#endif


#define MAX_LINKTYPES	64
#define DEFAULT_MAX_NAMES	64
#define DEFAULT_FRAG_MEM	(8u << 20)
#define DEFAULT_FRAG_TIMEOUT	30
#define DEFAULT_MAX_FLOWS	65536
#define DEFAULT_STREAM_BYTES	16384
#define DEFAULT_STREAM_BUFFERS	1024
#define DEFAULT_MAX_HOSTS	1000000
#define MAX_EVIDENCE_FLOWS	(1u << 22)	/* --write-flows: flows kept */
#define TCP_IDLE		300	/* seconds of packet time */
#define UDP_IDLE		60

static const char progname[] = "kasaudit";

void
warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- option values ---------------------------------------------------- */

bool
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

/* "64M", "512K", "1G" or plain bytes. */
bool
parse_size(const char *s, size_t *out)
{
	unsigned long long v, mul = 1;
	char buf[32];
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n + 1);
	switch (buf[n - 1]) {
	case 'k': case 'K': mul = 1ull << 10; break;
	case 'm': case 'M': mul = 1ull << 20; break;
	case 'g': case 'G': mul = 1ull << 30; break;
	default: break;
	}
	if (mul != 1)
		buf[n - 1] = '\0';
	if (!parse_uint(buf, SIZE_MAX / mul, &v))
		return false;
	*out = (size_t)(v * mul);
	return true;
}

/* ---- output files: written to a temporary, renamed into place ---------- */


int
outfile_open(struct outfile *o)
{
	struct stat st;
	mode_t mode;
	int fd = -1;

	if (o->path == NULL)
		return 0;
	if (strcmp(o->path, "-") == 0) {
		o->fp = stdout;
		return 0;
	}
	/*
	 * A device, FIFO or terminal (/dev/stdout, a pipe) is written in
	 * place: renaming a temporary over it would replace the node itself.
	 */
	if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->fp = fopen(o->path, "w")) == NULL) {
			warnx("%s: %s", o->path, strerror(errno));
			return -1;
		}
		o->direct = true;
		return 0;
	}
	/*
	 * A symlink to a regular file stays a symlink: the temporary goes
	 * beside the file it points to, and is renamed over that.
	 */
	if (lstat(o->path, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (realpath(o->path, o->target) == NULL) {
			warnx("%s: %s", o->path, strerror(errno));
			return -1;
		}
	} else if ((size_t)snprintf(o->target, sizeof(o->target), "%s",
	    o->path) >= sizeof(o->target)) {
		warnx("%s: path too long", o->path);
		return -1;
	}
	if ((size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.XXXXXX",
	    o->target) >= sizeof(o->tmp)) {
		warnx("%s: path too long", o->path);
		return -1;
	}
	/* mkstemp() makes 0600: give the report the mode a new file would
	 * get (or the one it replaces had). */
	if (stat(o->target, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	if ((fd = mkstemp(o->tmp)) == -1 || fchmod(fd, mode) != 0 ||
	    (o->fp = fdopen(fd, "w")) == NULL) {
		warnx("%s: %s", o->path, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(o->tmp);
		}
		return -1;
	}
	return 0;
}

/* Renames into place when ok, else removes the temporary. */
int
outfile_close(struct outfile *o, bool ok)
{
	int r = 0;

	if (o->fp == NULL)
		return 0;
	if (o->direct) {
		if (fclose(o->fp) != 0) {
			warnx("%s: %s", o->path, strerror(errno));
			r = -1;
		}
		o->fp = NULL;
		return r;
	}
	if (o->fp == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			warnx("standard output: %s", strerror(errno));
			r = -1;
		}
		o->fp = NULL;
		return r;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0) {
		warnx("%s: %s", o->path, strerror(errno));
		ok = false;
		r = -1;
	}
	fclose(o->fp);
	o->fp = NULL;
	if (ok && rename(o->tmp, o->target) != 0) {
		warnx("%s: %s", o->path, strerror(errno));
		r = -1;
		ok = false;
	}
	if (!ok)
		unlink(o->tmp);
	return r;
}

/* ---- signatures ------------------------------------------------------- */


struct match *
load_sigs(const struct sigopts *so)
{
	char errbuf[ERRBUF_LEN];
	struct match *m;
	size_t i;

	if ((m = match_new()) == NULL) {
		warnx("out of memory");
		return NULL;
	}
	if (!so->no_default && match_load_builtin(m, errbuf) != ERR_OK) {
		warnx("%s", errbuf);
		goto fail;
	}
	for (i = 0; i < so->n_files; i++) {
		if (match_load_file(m, so->files[i], errbuf) != ERR_OK) {
			warnx("%s", errbuf);
			goto fail;
		}
	}
	if (match_count(m) == 0) {
		warnx("no signatures (--no-default-sigs without -s FILE?)");
		goto fail;
	}
	return m;
fail:
	match_free(m);
	return NULL;
}

bool
add_sigfile(struct sigopts *so, const char *path)
{
	if (so->n_files == sizeof(so->files) / sizeof(so->files[0])) {
		warnx("too many -s files (at most %zu)",
		    sizeof(so->files) / sizeof(so->files[0]));
		return false;
	}
	so->files[so->n_files++] = path;
	return true;
}

/* ---- kasaudit read ---------------------------------------------------- */

static const char read_usage[] =
"Usage: kasaudit read [options] FILE...\n"
"Audit saved captures (pcap or pcapng; - reads standard input) and report\n"
"the hosts that contacted names in the signature sets.\n"
"\n"
"Signatures:\n"
"  -s, --sigs FILE          add a signature set (repeatable)\n"
"      --no-default-sigs    do not load the built-in Kaspersky set\n"
"Input:\n"
"  -f, --filter EXPR        only packets matching this BPF expression\n"
"      --dns-port PORT      also parse DNS on this UDP port (repeatable;\n"
"                           53 always)\n"
"      --max-frag-mem SIZE  memory for IP fragment reassembly (default 8M)\n"
"      --frag-timeout SEC   drop unfinished fragments after SEC seconds of\n"
"                           packet time (default 30)\n"
"      --max-flows N        TCP/UDP flows tracked at once (default 65536;\n"
"                           the least recently used is evicted)\n"
"      --stream-bytes SIZE  bytes kept per stream direction until its names\n"
"                           are read (default 16K)\n"
"      --stream-buffers N   stream buffers held at once (default 1024;\n"
"                           the stalest is taken when none is free)\n"
"      --max-attrib N       DNS answers remembered to attribute nameless\n"
"                           connections (default 16384)\n"
"      --attrib-ttl-min SEC, --attrib-ttl-max SEC\n"
"                           clamp the answers' TTLs (default 60, 86400)\n"
"      --max-hosts N        hosts tracked in the report (default 1000000)\n"
"Report:\n"
"  -n, --networks FILE      name networks: lines 'CIDR name [contact...]'\n"
"      --group-prefix V4,V6 group other hosts by these prefix lengths\n"
"                           (default 24,64)\n"
"  -F, --format FMT         text (default), json, csv or html\n"
"  -o, --output FILE        write the report to FILE (default stdout)\n"
"      --report-dir DIR     also one text and one JSON report per network\n"
"                           (and one in the -F format if csv or html), with\n"
"                           index.txt and index.json, in DIR\n"
"      --events FILE        write one JSON line per match to FILE (- stdout)\n"
"      --write-matches FILE write every packet that carried a matched name\n"
"                           to FILE (pcapng; - stdout)\n"
"      --write-flows        with --write-matches: every packet of the flows\n"
"                           that had a match (reads the files twice)\n"
"      --anonymize KEYFILE  pseudonymise IP addresses in every output\n"
"                           (Crypto-PAn; KEYFILE: 32 bytes or 64 hex\n"
"                           digits) and leave MACs out\n"
"      --max-names N        distinct names kept per host (default 64)\n"
"      --fail-on-match      exit 1 when an offending host was found\n"
"      --progress, --no-progress\n"
"                           a progress line on standard error (default:\n"
"                           when it is a terminal)\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 done; 1 offenders found with --fail-on-match; 2 usage,\n"
"signature or networks file error; 3 an input could not be read to its end.\n";

enum {
	OPT_NO_DEFAULT_SIGS = 256,
	OPT_DNS_PORT,
	OPT_GROUP_PREFIX,
	OPT_EVENTS,
	OPT_FAIL_ON_MATCH,
	OPT_MAX_NAMES,
	OPT_MAX_FRAG_MEM,
	OPT_FRAG_TIMEOUT,
	OPT_MAX_FLOWS,
	OPT_STREAM_BYTES,
	OPT_STREAM_BUFFERS,
	OPT_MAX_ATTRIB,
	OPT_ATTRIB_TTL_MIN,
	OPT_ATTRIB_TTL_MAX,
	OPT_MAX_HOSTS,
	OPT_REPORT_DIR,
	OPT_WRITE_MATCHES,
	OPT_WRITE_FLOWS,
	OPT_ANONYMIZE,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
};

enum read_format {
	FMT_TEXT,
	FMT_JSON,
	FMT_CSV,
	FMT_HTML,
};

struct read_opts {
	struct sigopts	 sigs;
	const char	*filter;
	const char	*networks;
	const char	*output;
	const char	*events;
	const char	*report_dir;
	const char	*write_matches;
	const char	*anonymize;	/* key file */
	enum read_format format;
	bool		 write_flows;
	int		 progress;	/* -1 auto (a terminal), 0 off, 1 on */
	bool		 fail_on_match;
	unsigned	 v4_plen, v6_plen;
	size_t		 max_names;
	size_t		 frag_mem;
	unsigned	 frag_timeout;
	size_t		 max_flows;
	size_t		 stream_bytes;
	size_t		 stream_buffers;
	size_t		 max_attrib;
	uint32_t	 attrib_ttl_min, attrib_ttl_max;
	size_t		 max_hosts;
	uint16_t	 dns_ports[AUDIT_MAX_DNS_PORTS];
	size_t		 n_dns_ports;
};

struct read_state {
	struct aggregate	*agg;
	FILE			*events;
	bool			 events_failed;
	struct report_linktype	 lt[MAX_LINKTYPES];
	size_t			 n_lt;
	struct anon		*anon;		/* --anonymize */
	/* --write-matches: the record being audited, and whether it
	 * carried a matched name (which names, for its comment). */
	struct evidence		*ev;
	struct evidence_flows	*flows;		/* --write-flows */
	const struct capture_pkt *cur;
	const char		*cur_file;
	bool			 cur_matched;
	char			 comment[EVIDENCE_COMMENT_MAX];
	size_t			 comment_len;
	size_t			 comment_names;
	uint64_t		 ev_unplaced;	/* matches off their packet */
	uint64_t		 ev_written;
	bool			 ev_failed;
	/* Progress line. */
	bool			 pg_on;
	struct progress		 pg;
	uint64_t		 pg_done;	/* bytes of the files before */
	uint64_t		 pg_packets;
};

/*
 * --anonymize: the observation as the outputs see it, every address a
 * pseudonym and no MAC.  Here, before the aggregate and the events, so that
 * no report can hold a real address.
 */
static const struct obs *
anon_obs(struct read_state *rs, const struct obs *o, struct obs *copy,
    struct obs_answer *ans)
{
	if (rs->anon == NULL)
		return o;
	*copy = *o;
	anon_addr(rs->anon, &copy->client, &o->client);
	anon_addr(rs->anon, &copy->server, &o->server);
	anon_addr(rs->anon, &copy->via, &o->via);
	copy->has_mac = false;
	memset(copy->mac, 0, sizeof(copy->mac));
	if (o->answer != NULL) {
		*ans = *o->answer;
		anon_addr(rs->anon, &ans->resolver, &o->answer->resolver);
		copy->answer = ans;
	}
	return copy;
}

/* A blind spot (DoT, DoH, ECH) of a host: counted, never an offence. */
static void
on_blind(void *arg, const struct obs *o, enum obs_blind b)
{
	struct read_state *rs = arg;
	struct obs_answer ans;
	struct obs copy;

	(void)aggregate_blind(rs->agg, anon_obs(rs, o, &copy, &ans), b);
}

/* Adds "kind name" to the comment of the packet being audited. */
static void
comment_add(struct read_state *rs, const struct obs *o)
{
	size_t room = sizeof(rs->comment) - rs->comment_len;
	int n;

	n = snprintf(rs->comment + rs->comment_len, room, "%s%s %.*s",
	    rs->comment_names++ > 0 ? ", " : " ", obs_kind_name(o->kind),
	    (int)(o->name_len < 512 ? o->name_len : 512),
	    o->name != NULL ? o->name : "");
	if (n > 0)
		rs->comment_len += (size_t)n < room ? (size_t)n : room - 1;
}

static void
on_match(void *arg, const struct obs *raw, const struct match_sig *sig)
{
	struct read_state *rs = arg;
	struct obs_answer ans;
	struct obs copy;
	const struct obs *o = anon_obs(rs, raw, &copy, &ans);

	/*
	 * With ECH the server_name is only the public name of whoever fronts
	 * the real server: it goes to the events, never into a host's list of
	 * places it went.  A refused observation is counted by the aggregate.
	 */
	if (!(o->flags & OBS_F_ECH))
		(void)aggregate_add(rs->agg, o, sig);
	if (rs->events != NULL && !rs->events_failed &&
	    report_event(rs->events, o, sig) != ERR_OK)
		rs->events_failed = true;
	if (rs->ev == NULL && rs->flows == NULL)
		return;
	/*
	 * The evidence is the packet the observation was made in: the one
	 * being audited (for a reassembled stream, the segment that
	 * completed it).  One seen later (flushed at the end) has no packet.
	 */
	if (rs->cur == NULL || raw->frame != rs->cur->frame ||
	    raw->file == NULL || strcmp(raw->file, rs->cur_file) != 0) {
		rs->ev_unplaced++;
		return;
	}
	if (!rs->cur_matched) {
		rs->comment_len = (size_t)snprintf(rs->comment,
		    sizeof(rs->comment), "%s:%" PRIu64 ":", raw->file,
		    raw->frame);
		rs->comment_names = 0;
		if (rs->comment_len >= sizeof(rs->comment))
			rs->comment_len = sizeof(rs->comment) - 1;
		rs->cur_matched = true;
	}
	comment_add(rs, raw);
}

/* Seconds on a clock that only goes forward, for the progress line. */
static double
now_mono(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0.0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Takes the progress line off the screen (before a warning, at the end). */
static void
progress_clear(struct read_state *rs)
{
	if (rs->pg_on && rs->pg.drawn) {
		fputs("\r\033[K", stderr);
		rs->pg.drawn = false;
	}
}

/* Every PROGRESS_EVERY packets: a new line if one is due. */
static void
progress_tick(struct read_state *rs, const struct capture *cap)
{
	char line[PROGRESS_LINE];
	double now;

	if (!rs->pg_on || (++rs->pg_packets & (PROGRESS_EVERY - 1)) != 0)
		return;
	now = now_mono();
	if (!progress_due(&rs->pg, now))
		return;
	progress_line(&rs->pg, line, rs->pg_done + capture_offset(cap),
	    rs->pg_packets, now);
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
}

static struct report_linktype *
linktype_slot(struct read_state *rs, int linktype)
{
	struct report_linktype *lt;
	size_t i;

	for (i = 0; i < rs->n_lt; i++)
		if (rs->lt[i].linktype == linktype)
			return &rs->lt[i];
	if (rs->n_lt == MAX_LINKTYPES)
		return NULL;
	/* Kept sorted by link type so reports are in a stable order. */
	for (i = rs->n_lt; i > 0 && rs->lt[i - 1].linktype > linktype; i--)
		rs->lt[i] = rs->lt[i - 1];
	lt = &rs->lt[i];
	rs->n_lt++;
	lt->linktype = linktype;
	lt->name = capture_linktype_name(linktype);
	lt->packets = 0;
	lt->supported = decode_linktype_ok(linktype);
	return lt;
}

/* Unsupported link types met in one file, for its warning. */
struct skipped {
	int		 linktype;
	uint64_t	 packets;
};

bool
parse_group_prefix(const char *s, unsigned *v4, unsigned *v6)
{
	unsigned long long a, b;
	char buf[32], *comma;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if ((comma = strchr(buf, ',')) == NULL)
		return false;
	*comma = '\0';
	if (!parse_uint(buf, 32, &a) || !parse_uint(comma + 1, 128, &b))
		return false;
	*v4 = (unsigned)a;
	*v6 = (unsigned)b;
	return true;
}

/* The options that only make sense together, or not together. */
static int
read_check(int argc, char **argv, const struct read_opts *ro)
{
	const char *wm = ro->write_matches;
	int i;

	if (ro->write_flows && wm == NULL) {
		warnx("--write-flows goes with --write-matches FILE");
		return -1;
	}
	if (wm != NULL && strcmp(wm, "-") == 0 && (ro->output == NULL ||
	    strcmp(ro->output, "-") == 0 || (ro->events != NULL &&
	    strcmp(ro->events, "-") == 0))) {
		warnx("--write-matches -: the report and events must then go "
		    "to files (-o FILE)");
		return -1;
	}
	if (wm != NULL && strcmp(wm, "-") != 0 && ((ro->output != NULL &&
	    strcmp(ro->output, wm) == 0) || (ro->events != NULL &&
	    strcmp(ro->events, wm) == 0))) {
		warnx("--write-matches names the same file as --output or "
		    "--events");
		return -1;
	}
	for (i = optind; ro->write_flows && i < argc; i++)
		if (strcmp(argv[i], "-") == 0) {
			warnx("--write-flows reads the inputs twice: not with "
			    "standard input (-)");
			return -1;
		}
	/* The evidence file would carry the very addresses hidden. */
	if (ro->anonymize != NULL && wm != NULL) {
		warnx("--anonymize: not with --write-matches (the packets hold "
		    "the real addresses)");
		return -1;
	}
	return 0;
}

static int
read_parse(int argc, char **argv, struct read_opts *ro)
{
	static const struct option longopts[] = {
		{ "sigs",		required_argument, NULL, 's' },
		{ "no-default-sigs",	no_argument, NULL, OPT_NO_DEFAULT_SIGS },
		{ "filter",		required_argument, NULL, 'f' },
		{ "dns-port",		required_argument, NULL, OPT_DNS_PORT },
		{ "networks",		required_argument, NULL, 'n' },
		{ "group-prefix",	required_argument, NULL,
		    OPT_GROUP_PREFIX },
		{ "format",		required_argument, NULL, 'F' },
		{ "output",		required_argument, NULL, 'o' },
		{ "events",		required_argument, NULL, OPT_EVENTS },
		{ "fail-on-match",	no_argument, NULL, OPT_FAIL_ON_MATCH },
		{ "max-names",		required_argument, NULL, OPT_MAX_NAMES },
		{ "max-frag-mem",	required_argument, NULL,
		    OPT_MAX_FRAG_MEM },
		{ "frag-timeout",	required_argument, NULL,
		    OPT_FRAG_TIMEOUT },
		{ "max-flows",		required_argument, NULL, OPT_MAX_FLOWS },
		{ "stream-bytes",	required_argument, NULL,
		    OPT_STREAM_BYTES },
		{ "stream-buffers",	required_argument, NULL,
		    OPT_STREAM_BUFFERS },
		{ "max-attrib",		required_argument, NULL, OPT_MAX_ATTRIB },
		{ "attrib-ttl-min",	required_argument, NULL,
		    OPT_ATTRIB_TTL_MIN },
		{ "attrib-ttl-max",	required_argument, NULL,
		    OPT_ATTRIB_TTL_MAX },
		{ "max-hosts",		required_argument, NULL, OPT_MAX_HOSTS },
		{ "report-dir",		required_argument, NULL,
		    OPT_REPORT_DIR },
		{ "write-matches",	required_argument, NULL,
		    OPT_WRITE_MATCHES },
		{ "write-flows",	no_argument, NULL, OPT_WRITE_FLOWS },
		{ "anonymize",		required_argument, NULL,
		    OPT_ANONYMIZE },
		{ "anonymise",		required_argument, NULL,
		    OPT_ANONYMIZE },
		{ "progress",		no_argument, NULL, OPT_PROGRESS },
		{ "no-progress",	no_argument, NULL, OPT_NO_PROGRESS },
		{ "help",		no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long long v;
	int c;

	ro->v4_plen = 24;
	ro->v6_plen = 64;
	ro->max_names = DEFAULT_MAX_NAMES;
	ro->frag_mem = DEFAULT_FRAG_MEM;
	ro->frag_timeout = DEFAULT_FRAG_TIMEOUT;
	ro->max_flows = DEFAULT_MAX_FLOWS;
	ro->stream_bytes = DEFAULT_STREAM_BYTES;
	ro->stream_buffers = DEFAULT_STREAM_BUFFERS;
	ro->max_attrib = AUDIT_ATTRIB_ENTRIES;
	ro->attrib_ttl_min = AUDIT_ATTRIB_TTL_MIN;
	ro->attrib_ttl_max = AUDIT_ATTRIB_TTL_MAX;
	ro->max_hosts = DEFAULT_MAX_HOSTS;
	ro->progress = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:f:n:F:o:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 's':
			if (!add_sigfile(&ro->sigs, optarg))
				return -1;
			break;
		case OPT_NO_DEFAULT_SIGS:
			ro->sigs.no_default = true;
			break;
		case 'f':
			ro->filter = optarg;
			break;
		case OPT_DNS_PORT:
			if (!parse_uint(optarg, 65535, &v) || v == 0) {
				warnx("--dns-port: not a port: %s", optarg);
				return -1;
			}
			if (ro->n_dns_ports == AUDIT_MAX_DNS_PORTS) {
				warnx("--dns-port: at most %d ports",
				    AUDIT_MAX_DNS_PORTS);
				return -1;
			}
			ro->dns_ports[ro->n_dns_ports++] = (uint16_t)v;
			break;
		case 'n':
			ro->networks = optarg;
			break;
		case OPT_GROUP_PREFIX:
			if (!parse_group_prefix(optarg, &ro->v4_plen,
			    &ro->v6_plen)) {
				warnx("--group-prefix: want V4,V6 (0-32,0-128),"
				    " got %s", optarg);
				return -1;
			}
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				ro->format = FMT_JSON;
			else if (strcmp(optarg, "text") == 0)
				ro->format = FMT_TEXT;
			else if (strcmp(optarg, "csv") == 0)
				ro->format = FMT_CSV;
			else if (strcmp(optarg, "html") == 0)
				ro->format = FMT_HTML;
			else {
				warnx("--format: text, json, csv or html, not "
				    "%s", optarg);
				return -1;
			}
			break;
		case OPT_REPORT_DIR:
			ro->report_dir = optarg;
			break;
		case OPT_WRITE_MATCHES:
			ro->write_matches = optarg;
			break;
		case OPT_WRITE_FLOWS:
			ro->write_flows = true;
			break;
		case OPT_ANONYMIZE:
			ro->anonymize = optarg;
			break;
		case OPT_PROGRESS:
			ro->progress = 1;
			break;
		case OPT_NO_PROGRESS:
			ro->progress = 0;
			break;
		case 'o':
			ro->output = optarg;
			break;
		case OPT_EVENTS:
			ro->events = optarg;
			break;
		case OPT_FAIL_ON_MATCH:
			ro->fail_on_match = true;
			break;
		case OPT_MAX_NAMES:
			if (!parse_uint(optarg, 1000000, &v) || v == 0) {
				warnx("--max-names: want 1-1000000, got %s",
				    optarg);
				return -1;
			}
			ro->max_names = (size_t)v;
			break;
		case OPT_MAX_FRAG_MEM:
			if (!parse_size(optarg, &ro->frag_mem)) {
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
			ro->frag_timeout = (unsigned)v;
			break;
		case OPT_MAX_FLOWS:
			if (!parse_uint(optarg, 1u << 28, &v) || v == 0) {
				warnx("--max-flows: want 1-268435456, got %s",
				    optarg);
				return -1;
			}
			ro->max_flows = (size_t)v;
			break;
		case OPT_STREAM_BYTES:
			if (!parse_size(optarg, &ro->stream_bytes) ||
			    ro->stream_bytes < 512 ||
			    ro->stream_bytes > (1u << 20)) {
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
			ro->stream_buffers = (size_t)v;
			break;
		case OPT_MAX_ATTRIB:
			if (!parse_uint(optarg, 1u << 24, &v) || v < 2) {
				warnx("--max-attrib: want 2-16777216, got %s",
				    optarg);
				return -1;
			}
			ro->max_attrib = (size_t)v;
			break;
		case OPT_ATTRIB_TTL_MIN:
		case OPT_ATTRIB_TTL_MAX:
			if (!parse_uint(optarg, 7u * 86400, &v)) {
				warnx("--attrib-ttl-%s: want 0-604800 seconds, "
				    "got %s", c == OPT_ATTRIB_TTL_MIN ? "min" :
				    "max", optarg);
				return -1;
			}
			if (c == OPT_ATTRIB_TTL_MIN)
				ro->attrib_ttl_min = (uint32_t)v;
			else
				ro->attrib_ttl_max = (uint32_t)v;
			break;
		case OPT_MAX_HOSTS:
			if (!parse_uint(optarg, 1u << 30, &v) || v == 0) {
				warnx("--max-hosts: want 1-1073741824, got %s",
				    optarg);
				return -1;
			}
			ro->max_hosts = (size_t)v;
			break;
		case 'h':
			fputs(read_usage, stdout);
			exit(EXIT_DONE);
		default:
			fprintf(stderr, "Try 'kasaudit read --help'.\n");
			return -1;
		}
	}
	if (optind >= argc) {
		warnx("read: no capture files (use - for standard input)");
		fprintf(stderr, "Try 'kasaudit read --help'.\n");
		return -1;
	}
	if (ro->output != NULL && ro->events != NULL &&
	    strcmp(ro->output, ro->events) == 0 &&
	    strcmp(ro->output, "-") != 0) {
		warnx("--output and --events name the same file");
		return -1;
	}
	return read_check(argc, argv, ro);
}

/*
 * The packet being audited carried a matched name: with --write-flows its
 * flow is remembered for the second pass, else it is written now.
 */
static void
evidence_packet(struct read_state *rs, const struct capture_pkt *cp,
    const struct pkt *p)
{
	rs->cur_matched = false;
	if (rs->flows != NULL) {
		(void)evidence_flows_add(rs->flows, p);	/* refusals counted */
		return;
	}
	if (rs->ev_failed)
		return;
	if (evidence_write(rs->ev, cp, rs->comment, rs->comment_len) ==
	    ERR_IO)
		rs->ev_failed = true;
	else
		rs->ev_written++;
}

/*
 * Reads one capture to its end (or to the first damage it cannot pass),
 * feeding every packet through decode and audit.  Returns false when the
 * file could not be read to its end; what was read before still counts.
 */
static bool
read_one(const char *path, const struct read_opts *ro, struct read_state *rs,
    struct decode *dec, struct audit *aud, struct report_file *rf,
    struct report_meta *meta)
{
	static char errtext[ERRBUF_LEN];
	char errbuf[ERRBUF_LEN];
	struct capture *cap = NULL;
	struct capture_pkt cp;
	struct report_linktype *lt;
	struct skipped skip[8];
	size_t n_skip = 0, i;
	struct pkt p;
	int r;

	memset(rf, 0, sizeof(*rf));
	rf->path = path;
	rf->format = "";
	rf->error = "";
	if ((r = capture_open_file(&cap, path, errbuf)) != ERR_OK)
		goto fail;
	rf->format = capture_format(cap);
	if (ro->filter != NULL &&
	    (r = capture_set_filter(cap, ro->filter, errbuf)) != ERR_OK)
		goto fail;
	audit_set_file(aud, path);
	rs->cur_file = path;
	while ((r = capture_next(cap, &cp, errbuf)) == ERR_OK) {
		progress_tick(rs, cap);
		rf->packets++;
		rf->bytes += cp.caplen;
		if (!meta->have_time || cp.ts_sec < meta->first_sec ||
		    (cp.ts_sec == meta->first_sec &&
		    cp.ts_nsec < meta->first_nsec)) {
			meta->first_sec = cp.ts_sec;
			meta->first_nsec = cp.ts_nsec;
		}
		if (!meta->have_time || cp.ts_sec > meta->last_sec ||
		    (cp.ts_sec == meta->last_sec &&
		    cp.ts_nsec > meta->last_nsec)) {
			meta->last_sec = cp.ts_sec;
			meta->last_nsec = cp.ts_nsec;
		}
		meta->have_time = true;
		if ((lt = linktype_slot(rs, cp.linktype)) != NULL)
			lt->packets++;
		r = decode_pkt(dec, &p, cp.data, cp.caplen, cp.len,
		    cp.linktype, cp.ts_sec);
		if (r == ERR_OK) {
			rs->cur = &cp;
			p.frame = cp.frame;
			p.ts_sec = cp.ts_sec;
			p.ts_nsec = cp.ts_nsec;
			audit_packet(aud, &p);
			rs->cur = NULL;
			if (rs->cur_matched)
				evidence_packet(rs, &cp, &p);
			continue;
		}
		if (r != ERR_UNSUPPORTED)
			continue;
		rf->unsupported++;
		for (i = 0; i < n_skip && skip[i].linktype != cp.linktype; i++)
			;
		if (i == n_skip && n_skip < sizeof(skip) / sizeof(skip[0])) {
			skip[i].linktype = cp.linktype;
			skip[i].packets = 0;
			n_skip++;
		}
		if (i < n_skip)
			skip[i].packets++;
	}
	rf->filtered = capture_stats(cap)->filtered;
	rs->pg_done += capture_offset(cap);
	if (n_skip > 0)
		progress_clear(rs);	/* the warnings get whole lines */
	for (i = 0; i < n_skip; i++) {
		const char *name = capture_linktype_name(skip[i].linktype);

		warnx("%s: link type %d (%s) is not supported: %" PRIu64
		    " packets skipped", path, skip[i].linktype,
		    name != NULL ? name : "unknown", skip[i].packets);
	}
	capture_close(cap);
	if (r == ERR_END) {
		rf->complete = true;
		return true;
	}
	cap = NULL;
fail:
	capture_close(cap);
	progress_clear(rs);
	warnx("%s", errbuf);
	/* One message per file is enough; keep it for the report. */
	rf->error = strdup(errbuf);
	if (rf->error == NULL) {
		snprintf(errtext, sizeof(errtext), "%s", errbuf);
		rf->error = errtext;
	}
	return false;
}

/* The report in format fmt, of one network or (net NULL) of all. */
static int
write_report(FILE *fp, enum read_format fmt, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *net)
{
	switch (fmt) {
	case FMT_JSON:
		return net ? report_json_net(fp, ag, meta, net) :
		    report_json(fp, ag, meta);
	case FMT_CSV:
		return report_csv(fp, ag, meta, net);
	case FMT_HTML:
		return report_html(fp, ag, meta, net);
	case FMT_TEXT:
	default:
		return net ? report_text_net(fp, ag, meta, net) :
		    report_text(fp, ag, meta);
	}
}

/*
 * --anonymize with -n: the same networks file with every CIDR replaced by
 * its pseudonym.  Crypto-PAn keeps prefixes, so an address is inside a
 * network exactly when its pseudonym is inside the network's pseudonym:
 * hosts land in the same networks, and no report shows a real prefix.  The
 * file has already loaded once as it is, so every first token that is not
 * a comment is a CIDR.
 */
static struct netmap *
anon_netmap(const char *path, struct anon *an)
{
	char errbuf[ERRBUF_LEN], ab[ADDR_STRLEN], tok[ADDR_STRLEN + 8];
	struct netmap *nm = NULL;
	char *text = NULL, *slash;
	size_t len = 0, i, j, t;
	unsigned long long plen;
	struct addr a, m;
	FILE *in = NULL, *out = NULL;
	char *line = NULL;
	size_t line_cap = 0;

	if ((in = fopen(path, "r")) == NULL) {
		warnx("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((out = open_memstream(&text, &len)) == NULL)
		goto nomem;
	while (getline(&line, &line_cap, in) != -1) {
		for (i = 0; line[i] == ' ' || line[i] == '\t'; i++)
			;
		for (j = i; line[j] != '\0' && line[j] != ' ' &&
		    line[j] != '\t' && line[j] != '\n' && line[j] != '\r'; j++)
			;
		t = j - i;
		if (t == 0 || line[i] == '#' || t >= sizeof(tok)) {
			fputs(line, out);
			continue;
		}
		memcpy(tok, line + i, t);
		tok[t] = '\0';
		if ((slash = strchr(tok, '/')) != NULL)
			*slash = '\0';
		if (!addr_parse(&a, tok)) {
			fputs(line, out);
			continue;
		}
		plen = a.family == 4 ? 32 : 128;
		if (slash != NULL)
			plen = strtoull(slash + 1, NULL, 10);
		anon_addr(an, &a, &a);
		addr_mask(&m, &a, (unsigned)plen);
		fprintf(out, "%.*s%s/%llu%s", (int)i, line, addr_fmt(&m, ab),
		    plen, line + j);
	}
	if (ferror(in) || fclose(out) != 0) {
		out = NULL;
		warnx("%s: cannot read it again for --anonymize", path);
		goto fail;
	}
	out = NULL;
	if ((nm = netmap_new()) == NULL)
		goto nomem;
	if (netmap_load_buf(nm, text, len, path, errbuf) != ERR_OK) {
		warnx("%s (after --anonymize)", errbuf);
		goto fail;
	}
	fclose(in);
	free(line);
	free(text);
	return nm;
nomem:
	warnx("out of memory");
fail:
	if (out != NULL)
		fclose(out);
	fclose(in);
	free(line);
	free(text);
	netmap_free(nm);
	return NULL;
}

/* dir/name, or false (with a warning) when it does not fit. */
static bool
dir_path(char *buf, size_t len, const char *dir, const char *name,
    const char *ext)
{
	if ((size_t)snprintf(buf, len, "%s/%s%s%s", dir, name, ext ? "." :
	    "", ext ? ext : "") >= len) {
		warnx("%s: path too long", dir);
		return false;
	}
	return true;
}

/* One file of a report directory, written to a temporary and renamed. */
static bool
dir_file(const char *path, enum read_format fmt, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *net,
    char *const *bases, const char *extra)
{
	struct outfile o = { 0 };
	int r;

	o.path = path;
	if (outfile_open(&o) != 0)
		return false;
	if (bases != NULL)
		r = fmt == FMT_JSON ? report_index_json(o.fp, ag, meta, bases,
		    extra) : report_index_text(o.fp, ag, meta, bases, extra);
	else
		r = write_report(o.fp, fmt, ag, meta, net);
	if (r != ERR_OK)
		warnx("%s: write failed", path);
	return outfile_close(&o, r == ERR_OK) == 0 && r == ERR_OK;
}

/*
 * --report-dir: per network NAME.txt and NAME.json (and NAME.csv or
 * NAME.html with -F csv or html), then index.txt and index.json.
 */
static bool
write_report_dir(const struct read_opts *ro, const struct aggregate *ag,
    const struct report_meta *meta)
{
	static const char *const extra_of[] = { NULL, NULL, "csv", "html" };
	const char *dir = ro->report_dir, *extra = extra_of[ro->format];
	char path[PATH_MAX], **bases;
	size_t i, n = aggregate_n_nets(ag);
	struct stat st;
	bool ok = true;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		warnx("%s: %s", dir, strerror(errno));
		return false;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		warnx("%s: not a directory", dir);
		return false;
	}
	if ((bases = report_bases(ag)) == NULL) {
		warnx("out of memory");
		return false;
	}
	for (i = 0; i < n && ok; i++) {
		const struct agg_net *net = aggregate_net(ag, i);

		ok = dir_path(path, sizeof(path), dir, bases[i], "txt") &&
		    dir_file(path, FMT_TEXT, ag, meta, net, NULL, NULL) &&
		    dir_path(path, sizeof(path), dir, bases[i], "json") &&
		    dir_file(path, FMT_JSON, ag, meta, net, NULL, NULL);
		if (ok && extra != NULL)
			ok = dir_path(path, sizeof(path), dir, bases[i],
			    extra) && dir_file(path, ro->format, ag, meta,
			    net, NULL, NULL);
	}
	if (ok)
		ok = dir_path(path, sizeof(path), dir, "index", "txt") &&
		    dir_file(path, FMT_TEXT, ag, meta, NULL, bases, extra) &&
		    dir_path(path, sizeof(path), dir, "index", "json") &&
		    dir_file(path, FMT_JSON, ag, meta, NULL, bases, extra);
	report_bases_free(bases, n);
	return ok;
}

/*
 * --write-flows, second pass: every packet of a flow that had a match, in
 * file order.  The inputs are read again with the same filter and a fresh
 * decoder; a packet that does not decode to IP (and an IP fragment other
 * than the one that completes its datagram) has no flow and is left out.
 */
static bool
flows_pass(const struct read_opts *ro, char **paths, size_t n_files,
    struct read_state *rs)
{
	char errbuf[ERRBUF_LEN], comment[PATH_MAX + 32];
	struct capture *cap;
	struct capture_pkt cp;
	struct decode *dec;
	struct pkt p;
	size_t i;
	int r, c;
	bool ok = true;

	if ((dec = decode_new(ro->frag_mem, ro->frag_timeout)) == NULL) {
		warnx("out of memory");
		return false;
	}
	for (i = 0; i < n_files && !rs->ev_failed; i++) {
		if (capture_open_file(&cap, paths[i], errbuf) != ERR_OK)
			continue;		/* warned in the first pass */
		if (ro->filter != NULL &&
		    capture_set_filter(cap, ro->filter, errbuf) != ERR_OK) {
			capture_close(cap);
			continue;
		}
		while ((r = capture_next(cap, &cp, errbuf)) == ERR_OK) {
			progress_tick(rs, cap);
			if (decode_pkt(dec, &p, cp.data, cp.caplen, cp.len,
			    cp.linktype, cp.ts_sec) != ERR_OK ||
			    !evidence_flows_has(rs->flows, &p))
				continue;
			c = snprintf(comment, sizeof(comment), "%s:%" PRIu64,
			    paths[i], cp.frame);
			if (evidence_write(rs->ev, &cp, comment, c < 0 ? 0 :
			    (size_t)c < sizeof(comment) ? (size_t)c :
			    sizeof(comment) - 1) == ERR_IO) {
				rs->ev_failed = true;
				break;
			}
			rs->ev_written++;
		}
		rs->pg_done += capture_offset(cap);
		capture_close(cap);
	}
	progress_clear(rs);
	decode_free(dec);
	if (rs->ev_failed)
		ok = false;
	return ok;
}

/* Bytes of all inputs for the progress line; 0 if one is not a file. */
static uint64_t
total_bytes(char **paths, size_t n)
{
	struct stat st;
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 ||
		    !S_ISREG(st.st_mode))
			return 0;
		total += (uint64_t)st.st_size;
	}
	return total;
}

static int
cmd_read(int argc, char **argv)
{
	char errbuf[ERRBUF_LEN];
	struct read_opts ro;
	struct read_state rs;
	struct audit_config ac;
	struct report_meta meta;
	struct report_file *files = NULL;
	struct outfile out = { 0 }, ev = { 0 }, wm = { 0 };
	struct match *m = NULL;
	struct netmap *nm = NULL, *anm = NULL;
	struct decode *dec = NULL;
	struct audit *aud = NULL;
	char **paths;
	size_t n_files, i;
	uint64_t total;
	bool input_ok = true, written = false;
	int status = EXIT_USAGE, r;

	memset(&ro, 0, sizeof(ro));
	memset(&rs, 0, sizeof(rs));
	memset(&meta, 0, sizeof(meta));
	if (read_parse(argc, argv, &ro) != 0)
		return EXIT_USAGE;
	n_files = (size_t)(argc - optind);
	paths = argv + optind;
	if (ro.filter != NULL &&
	    capture_filter_check(ro.filter, errbuf) != ERR_OK) {
		warnx("%s", errbuf);
		goto out;
	}
	if ((m = load_sigs(&ro.sigs)) == NULL)
		goto out;
	if (ro.anonymize != NULL &&
	    anon_load(&rs.anon, ro.anonymize, errbuf) != ERR_OK) {
		warnx("--anonymize: %s", errbuf);
		goto out;
	}
	if (ro.networks != NULL) {
		if ((nm = netmap_new()) == NULL) {
			warnx("out of memory");
			goto out;
		}
		if (netmap_load_file(nm, ro.networks, errbuf) != ERR_OK) {
			warnx("%s", errbuf);
			goto out;
		}
		if (rs.anon != NULL &&
		    (anm = anon_netmap(ro.networks, rs.anon)) == NULL)
			goto out;
	}
	memset(&ac, 0, sizeof(ac));
	ac.match = m;
	memcpy(ac.dns_ports, ro.dns_ports, sizeof(ac.dns_ports));
	ac.n_dns_ports = ro.n_dns_ports;
	ac.flow.max_flows = ro.max_flows;
	ac.flow.stream_bytes = ro.stream_bytes;
	ac.flow.n_buffers = ro.stream_buffers;
	ac.flow.tcp_idle = TCP_IDLE;
	ac.flow.udp_idle = UDP_IDLE;
	ac.blind = on_blind;
	ac.attrib.max_entries = ro.max_attrib;
	ac.attrib.ttl_min = ro.attrib_ttl_min;
	ac.attrib.ttl_max = ro.attrib_ttl_max;
	if ((files = calloc(n_files, sizeof(*files))) == NULL ||
	    (rs.agg = aggregate_new(ro.max_names)) == NULL ||
	    (dec = decode_new(ro.frag_mem, ro.frag_timeout)) == NULL ||
	    (aud = audit_new(&ac, on_match, &rs)) == NULL ||
	    (ro.write_flows && (rs.flows =
	    evidence_flows_new(MAX_EVIDENCE_FLOWS)) == NULL)) {
		warnx("out of memory");
		goto out;
	}
	aggregate_set_max_hosts(rs.agg, ro.max_hosts);
	out.path = ro.output;
	ev.path = ro.events;
	wm.path = ro.write_matches;
	if (outfile_open(&out) != 0 || outfile_open(&ev) != 0 ||
	    outfile_open(&wm) != 0)
		goto out;
	rs.events = ev.fp;
	if (wm.fp != NULL && (r = evidence_new(&rs.ev, wm.fp, "kasaudit "
	    KASAUDIT_VERSION)) != ERR_OK) {
		warnx("%s: %s", ro.write_matches, r == ERR_NOMEM ?
		    "out of memory" : "write failed");
		goto out;
	}
	rs.pg_on = ro.progress == 1 || (ro.progress == -1 &&
	    isatty(STDERR_FILENO));
	total = rs.pg_on ? total_bytes(paths, n_files) : 0;
	if (rs.pg_on)
		progress_start(&rs.pg, ro.write_flows ? 2 * total : total,
		    now_mono());
	status = EXIT_DONE;
	for (i = 0; i < n_files; i++) {
		if (!read_one(paths[i], &ro, &rs, dec, aud, &files[i], &meta))
			input_ok = false;
		meta.packets += files[i].packets;
		meta.bytes += files[i].bytes;
	}
	audit_finish(aud);
	if (aggregate_finish(rs.agg, anm != NULL ? anm : nm, ro.v4_plen,
	    ro.v6_plen) != ERR_OK) {
		warnx("out of memory while sorting the report");
		status = EXIT_INPUT;
		goto out;
	}
	if (rs.flows != NULL && !flows_pass(&ro, paths, n_files, &rs))
		status = EXIT_INPUT;
	progress_clear(&rs);
	meta.version = KASAUDIT_VERSION;
	meta.files = files;
	meta.n_files = n_files;
	meta.linktypes = rs.lt;
	meta.n_linktypes = rs.n_lt;
	meta.decode = decode_stats(dec);
	meta.audit = audit_stats(aud);
	meta.flow = audit_flow_stats(aud);
	meta.match = m;
	meta.filter = ro.filter;
	meta.v4_plen = ro.v4_plen;
	meta.v6_plen = ro.v6_plen;
	meta.max_names = ro.max_names;
	meta.anonymized = rs.anon != NULL;
	meta.netmap = anm != NULL ? anm : nm;
	if (out.fp == NULL)
		out.fp = stdout;
	if (write_report(out.fp, ro.format, rs.agg, &meta, NULL) != ERR_OK) {
		warnx("%s: write failed", ro.output ? ro.output : "stdout");
		status = EXIT_INPUT;
		goto out;
	}
	written = status == EXIT_DONE;
	if (ro.report_dir != NULL && !write_report_dir(&ro, rs.agg, &meta)) {
		written = false;
		status = EXIT_INPUT;
	}
	if (rs.events_failed) {
		warnx("%s: write failed", ro.events);
		written = false;
		status = EXIT_INPUT;
	}
	if (rs.ev != NULL) {
		if (rs.ev_failed || evidence_finish(rs.ev) != ERR_OK) {
			warnx("%s: write failed", ro.write_matches);
			written = false;
			status = EXIT_INPUT;
		}
		if (evidence_stats(rs.ev)->no_iface > 0)
			warnx("%s: %" PRIu64 " packets left out: more than %d "
			    "link type and snaplen pairs", ro.write_matches,
			    evidence_stats(rs.ev)->no_iface,
			    EVIDENCE_IFACES_MAX);
		if (rs.flows != NULL && evidence_flows_refused(rs.flows) > 0)
			warnx("%s: %" PRIu64 " matched flows left out (more "
			    "than %u)", ro.write_matches,
			    evidence_flows_refused(rs.flows),
			    MAX_EVIDENCE_FLOWS);
		if (rs.ev_unplaced > 0)
			warnx("%s: %" PRIu64 " matches were made after their "
			    "packet (when the input ended); their packets are "
			    "not in it", ro.write_matches, rs.ev_unplaced);
	}
	if (!input_ok)
		status = EXIT_INPUT;
	else if (status == EXIT_DONE && ro.fail_on_match &&
	    aggregate_n_hosts(rs.agg) > 0)
		status = EXIT_MATCH;
out:
	progress_clear(&rs);
	if (out.fp == stdout && ro.output == NULL)
		out.fp = NULL;
	/* Each closed, whatever became of the others. */
	if (outfile_close(&out, written) != 0)
		status = status == EXIT_DONE ? EXIT_INPUT : status;
	if (outfile_close(&ev, written) != 0)
		status = status == EXIT_DONE ? EXIT_INPUT : status;
	if (outfile_close(&wm, written) != 0)
		status = status == EXIT_DONE ? EXIT_INPUT : status;
	if (files != NULL)
		for (i = 0; i < n_files; i++)
			if (files[i].error != NULL && files[i].error[0] != '\0')
				free((char *)files[i].error);
	free(files);
	evidence_free(rs.ev);
	evidence_flows_free(rs.flows);
	anon_free(rs.anon);
	audit_free(aud);
	decode_free(dec);
	aggregate_free(rs.agg);
	netmap_free(anm);
	netmap_free(nm);
	match_free(m);
	if (ro.output == NULL)
		fflush(stdout);
	return status;
}

/* ---- kasaudit sigs ---------------------------------------------------- */

static const char sigs_usage[] =
"Usage: kasaudit sigs check FILE...\n"
"       kasaudit sigs list [-s FILE]... [--no-default-sigs]\n"
"check: load each signature file on its own and report errors as\n"
"       file:line: what is wrong (exit 2 if any file is bad).\n"
"list:  print the signatures in effect: the built-in set, then -s files.\n";

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
	return status;
}

static int
cmd_sigs_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sigs",		required_argument, NULL, 's' },
		{ "no-default-sigs",	no_argument, NULL, OPT_NO_DEFAULT_SIGS },
		{ "help",		no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigopts so;
	const struct match_sig *s;
	struct match *m;
	size_t i;
	int c;

	memset(&so, 0, sizeof(so));
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!add_sigfile(&so, optarg))
				return EXIT_USAGE;
			break;
		case OPT_NO_DEFAULT_SIGS:
			so.no_default = true;
			break;
		case 'h':
			fputs(sigs_usage, stdout);
			return EXIT_DONE;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		warnx("sigs list: unexpected argument %s", argv[optind]);
		return EXIT_USAGE;
	}
	if ((m = load_sigs(&so)) == NULL)
		return EXIT_USAGE;
	printf("%-44s %-10s %-4s %-8s %s\n", "PATTERN", "CATEGORY", "CONF",
	    "KIND", "SET:LINE SOURCE");
	for (i = 0; i < match_count(m); i++) {
		s = match_at(m, i);
		printf("%-44s %-10s %-4c %-8s %s:%u %s\n", s->pattern,
		    match_cat_name(s->cat), s->confidence,
		    match_kind_name(s->kind), s->set, s->line, s->source);
	}
	printf("%zu signatures\n", match_count(m));
	match_free(m);
	return fflush(stdout) == 0 ? EXIT_DONE : EXIT_INPUT;
}

static int
cmd_sigs(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(sigs_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_DONE;
	}
	if (strcmp(argv[1], "check") == 0) {
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
		    strcmp(argv[2], "-h") == 0)) {
			fputs(sigs_usage, stdout);
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
	fputs(sigs_usage, stderr);
	return EXIT_USAGE;
}

/* ---- main ------------------------------------------------------------- */

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
	if (strcmp(argv[1], "read") == 0) {
		return cmd_read(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "merge") == 0)
		return cmd_merge(argc - 1, argv + 1);
	if (strcmp(argv[1], "live") == 0)
		return cmd_live(argc - 1, argv + 1);
	if (strcmp(argv[1], "sigs") == 0) {
		return cmd_sigs(argc - 1, argv + 1);
	}
	warnx("unknown command '%s'", argv[1]);
	fputs(usage, stderr);
	return EXIT_USAGE;
}
