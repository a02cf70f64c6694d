/* cmd_live.c - kasaudit live: interfaces as sensor sources on the
 * libevent loop, timers and signals, privileges dropped once set up. */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
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

#include "cmd.h"
#include "aggregate.h"
#include "daemon.h"
#include "report_dir.h"
#include "decode.h"
#include "err.h"
#include "evsink.h"
#include "live.h"
#include "match.h"
#include "netmap.h"
#include "sensor.h"
#include "writers.h"

#define TICK_MS			500	/* read quiet captures, watch counts */
#define DROPS_LOG_EVERY		60	/* seconds between "drops rising" */
#define CAP_LOG_EVERY		600	/* seconds between "cap reached" */
#define HTTP_HEADER_MAX		8192
#define HTTP_BODY_MAX		1024
#define HTTP_TIMEOUT		10
#define HTTP_HEAD_TIMEOUT	5	/* a whole request head, slow or not */
#define TOKEN_BUF		4098	/* a 4096-byte token, newline, NUL */
#define EVENTS_WAIT_MS		5000	/* to write the last events at exit */

/* ---- options ---------------------------------------------------------- */

/* What the option table cannot check alone. */
static int
live_check(int argc, char **argv, struct opts *o)
{
	if (optind < argc) {
		warnx("live: unexpected argument %s", argv[optind]);
		return -1;
	}
	if (o->n_ifaces == 0 && o->n_dnstap == 0) {
		warnx("live: no interface (-i IFACE) and no --dnstap");
		fprintf(stderr, "Try 'kasaudit live --help'.\n");
		return -1;
	}
	if (o->n_formats == 0)
		o->formats[o->n_formats++] = writer_at(0);
	if (o->output != NULL && o->report_dir != NULL) {
		warnx("live: --output and --report-dir: give one");
		return -1;
	}
	if (o->output != NULL && o->n_formats > 1) {
		warnx("live: --output takes one format; --report-dir takes "
		    "several");
		return -1;
	}
	if (o->token_file != NULL && o->listen == NULL) {
		warnx("live: --listen-token without --listen");
		return -1;
	}
	if (o->state != NULL && o->output != NULL &&
	    strcmp(o->state, o->output) == 0) {
		warnx("live: --state and --output name the same file");
		return -1;
	}
	if (o->events != NULL && ((o->output != NULL &&
	    strcmp(o->events, o->output) == 0) || (o->state != NULL &&
	    strcmp(o->events, o->state) == 0))) {
		warnx("live: --events names the same file as --output or "
		    "--state");
		return -1;
	}
	if (o->events != NULL && strcmp(o->events, "-") == 0 &&
	    o->report_dir == NULL && (o->output == NULL ||
	    strcmp(o->output, "-") == 0)) {
		warnx("live: --events - and the report would both go to "
		    "standard output (give -o or --report-dir)");
		return -1;
	}
	return 0;
}

/* ---- the pipeline ----------------------------------------------------- */

void
daemon_source_fail(struct daemon *d, size_t i, const char *why)
{
	struct source *s = &d->src[i];

	if (s->failed)
		return;
	s->failed = true;
	s->in.rf.complete = false;
	s->in.rf.error = s->in.err;
	if (d->n_wk == 0)
		live_remove_source(d->loop, i);
	d->n_failed++;
	daemon_log(LOG_ERR, "capture failed: %s", why);
	if (d->n_failed == d->n_src) {
		daemon_log(LOG_ERR, "no capture left: stopping");
		d->stopping = true;
		live_stop(d->loop);
	}
}

/* Reads up to max packets that wait on source i through the sensor. */
static void
source_read(struct daemon *d, size_t i, size_t max)
{
	struct source *s = &d->src[i];
	int r;

	if (s->failed)
		return;
	r = sensor_run(d->sen, &s->in, max);
	if (r == ERR_OK || r == ERR_NOTFOUND)
		return;
	if (r == ERR_END)
		snprintf(s->in.err, sizeof(s->in.err), "%s: capture ended",
		    s->iface);
	daemon_source_fail(d, i, s->in.err);
}

/* ---- loop callbacks --------------------------------------------------- */

/* Every match, as it is made: to the event stream, never waiting. */
static void
on_match(void *arg, const struct obs *o, const struct obs *raw,
    const struct match_sig *sig, const struct capture_pkt *pkt)
{
	struct daemon *d = arg;

	(void)raw;
	(void)pkt;
	if (d->ev != NULL)
		evsink_put(d->ev, o, sig);
}

static void
on_readable(void *arg, size_t i)
{
	source_read(arg, i, DAEMON_BATCH);
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
	daemon_log(LOG_WARNING, "cap reached: %s (%" PRIu64 " so far)", msg, value);
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

	if (d->n_wk > 0)
		daemon_workers_fold(d, true);
	for (i = 0; i < d->n_src && !d->stopping; i++) {
		s = &d->src[i];
		if (d->n_wk == 0) {
			source_read(d, i, DAEMON_BATCH);
			if (s->failed || s->in.ops->live_stats(s->in.state,
			    &s->ks, errbuf) != ERR_OK)
				continue;
		} else if (s->failed)
			continue;
		drops = s->ks.dropped + s->ks.if_dropped;
		if (drops > s->drops_logged && now - s->drops_when >=
		    DROPS_LOG_EVERY) {
			daemon_log(LOG_WARNING, "drops rising on %s: %" PRIu64
			    " packets dropped (%" PRIu64 " by the kernel, %"
			    PRIu64 " by the interface), %" PRIu64 " new; "
			    "try a larger --buffer-size or a -f filter",
			    s->iface, drops, s->ks.dropped, s->ks.if_dropped,
			    drops - s->drops_logged);
			s->drops_logged = drops;
			s->drops_when = now;
		}
	}
	daemon_view(d);
	fs = &d->view.flow;
	watch(d, W_EVICT, fs->evicted, now, "flow table full (--max-flows "
	    "%zu), least recently used flows evicted", d->o.max_flows);
	watch(d, W_NOBUF, fs->no_buffer, now, "no stream buffer free "
	    "(--stream-buffers %zu)", d->o.stream_buffers);
	watch(d, W_DEFER, d->view.aud.correlate_refused, now, "a worker's "
	    "queue of contacts to look up again is full (%d): some not put "
	    "down to DNS answers another worker had not read yet",
	    DAEMON_DEFER_MAX);
	watch(d, W_FRAG, d->view.dec.frag_evicted, now,
	    "fragment memory full (--max-frag-mem %zu)", d->o.frag_mem);
	watch(d, W_HOSTS, aggregate_hosts_refused(d->agg), now, "host table "
	    "full (--max-hosts %zu): observations of new hosts refused",
	    d->o.max_hosts);
	watch(d, W_REFUSED, aggregate_refused(d->agg) -
	    aggregate_hosts_refused(d->agg), now, "host tables could not "
	    "grow (out of memory): observations refused");
	if (d->ev != NULL) {
		evsink_stats(d->ev, &d->ev_st);
		watch(d, W_EVENTS, d->ev_st.dropped, now, "event queue full "
		    "(--events-buffer %zu): events dropped", d->o.events_buffer);
		watch(d, W_EVENTS_FAILED, d->ev_st.failed, now, "events could "
		    "not be written to %s", d->o.events);
	}
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
	daemon_render_round(arg, "interval");
}

static void
on_signal(void *arg, int signo)
{
	struct daemon *d = arg;

	switch (signo) {
	case SIGHUP:
		daemon_reload(d);
		evsink_reopen(d->ev);
		break;
	case SIGUSR1:
		daemon_render_round(d, "SIGUSR1");
		break;
	default:
		if (!d->stopping)
			daemon_log(LOG_INFO, "%s: stopping", signo == SIGINT ?
			    "SIGINT" : "SIGTERM");
		d->stopping = true;
		live_stop(d->loop);
		break;
	}
}

/*
 * With --workers the loop's callbacks run with the shared tables' lock
 * held: the aggregate, the machine names and the workers' published
 * counters hold still while a callback reads them, a report round forks
 * or a reload swaps the signatures.  Without workers the lock is none.
 */
static void
on_readable_l(void *arg, size_t i)
{
	daemon_lock(arg);
	on_readable(arg, i);
	daemon_unlock(arg);
}

static void
on_tick_l(void *arg)
{
	daemon_lock(arg);
	on_tick(arg);
	daemon_unlock(arg);
}

static void
on_report_l(void *arg)
{
	daemon_lock(arg);
	on_report(arg);
	daemon_unlock(arg);
}

static void
on_signal_l(void *arg, int signo)
{
	/* A reload reads its files without the lock (daemon_reload()). */
	if (signo == SIGHUP) {
		on_signal(arg, signo);
		return;
	}
	daemon_lock(arg);
	on_signal(arg, signo);
	daemon_unlock(arg);
}

static int
on_page_l(void *arg, enum live_page page, FILE *fp)
{
	int r;

	daemon_lock(arg);
	r = daemon_page(arg, page, fp);
	daemon_unlock(arg);
	return r;
}

static void
on_want_l(void *arg, enum live_page page)
{
	daemon_lock(arg);
	daemon_render_want(arg, page);
	daemon_unlock(arg);
}

/* The link type of interface i, from the loop's socket or worker 0's. */
static int
src_linktype(const struct daemon *d, size_t i)
{
	const struct sensor_input *in = &d->src[i].in;

	return d->n_wk > 0 ? daemon_workers_linktype(d, i) :
	    in->ops->linktype(in->state);
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

/* No capability left, and none to be gained by exec. */
static int
lock_down(void)
{
	if (drop_caps() != 0) {
		warnx("cannot drop capabilities: %s", strerror(errno));
		return -1;
	}
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
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
		if (lock_down() != 0)
			return -1;
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
	if (lock_down() != 0)
		return -1;
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
	    (!is_dir && !daemon_is_regular(path)))
		return 0;
	if (strlen(path) >= sizeof(dir))
		return 0;
	/* A link's target is what gets replaced (outfile.c); a link to
	 * nothing would fail every report, so it fails the start. */
	if (!is_dir && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
	    realpath(path, dir) == NULL) {
		warnx("%s %s: a symbolic link to nothing (%s)", what, path,
		    strerror(errno));
		return -1;
	}
	if (is_dir || lstat(path, &lst) != 0 || !S_ISLNK(lst.st_mode))
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

/*
 * kill -9 while a report is written leaves its temporary beside it
 * (outfile.c names it PATH.tmp.XXXXXX).  At start ours are removed:
 * regular files of exactly that name, owned by the user we now run as.
 * Returns how many.
 */
static size_t
clean_stale(const char *path)
{
	char target[PATH_MAX], pat[2 * PATH_MAX + 16];
	struct stat st;
	glob_t g;
	size_t i, k = 0, n = 0;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (realpath(path, target) == NULL)
			return 0;
	} else if ((size_t)snprintf(target, sizeof(target), "%s", path) >=
	    sizeof(target))
		return 0;
	for (i = 0; target[i] != '\0'; i++) {	/* the path is no pattern */
		if (strchr("*?[\\", target[i]) != NULL)
			pat[k++] = '\\';
		pat[k++] = target[i];
	}
	memcpy(pat + k, ".tmp.??????", sizeof(".tmp.??????"));
	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	for (i = 0; i < g.gl_pathc; i++)
		if (lstat(g.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_uid == geteuid() && unlink(g.gl_pathv[i]) == 0)
			n++;
	globfree(&g);
	return n;
}

/* The stale temporaries of every file this daemon writes. */
static void
clean_all_stale(const struct daemon *d)
{
	char path[PATH_MAX];
	const struct writer *w;
	size_t i, n;

	n = clean_stale(d->o.output) + clean_stale(d->o.state);
	for (i = 0; d->o.report_dir != NULL && (w = writer_at(i)) != NULL;
	    i++)
		if ((size_t)snprintf(path, sizeof(path), "%s/report.%s",
		    d->o.report_dir, w->ext) < sizeof(path))
			n += clean_stale(path);
	/* The customer packs' directories (report_dir.c). */
	if (d->o.report_dir != NULL && (size_t)snprintf(path, sizeof(path),
	    "%s/%s", d->o.report_dir, DAEMON_PACKS_DIR) < sizeof(path))
		n += report_dir_clean_stale(path);
	if (n > 0)
		daemon_log(LOG_INFO, "removed %zu temporary files an earlier "
		    "run left (killed while writing)", n);
}

static void
daemon_free(struct daemon *d)
{
	size_t i;

	daemon_render_free(d);
	daemon_workers_free(d);
	evsink_free(d->ev, 0, NULL);
	for (i = 0; i < d->n_src; i++)
		sensor_close(&d->src[i].in);
	daemon_dnstap_free(d);
	live_free(d->loop);
	sensor_free(d->sen);
	sensor_shared_free(d->sh);
	netmap_free(d->nm);
	leases_free(d->lt);
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
		.readable = on_readable_l,
		.tick = on_tick_l,
		.report = on_report_l,
		.signal = on_signal_l,
		.page = on_page_l,
		.want = on_want_l,
	};
	char errbuf[ERRBUF_LEN], token[TOKEN_BUF], bound[128];
	char started[1024];
	struct sensor_hooks hooks;
	struct report_events ec;
	struct source_config cc;
	struct live_http_config hc;
	struct sensor_config sc, msc;
	struct daemon *d;
	const char *as = NULL, *name;
	mode_t um;
	bool d_syslog;
	size_t i;
	unsigned workers = 1;
	int status = EXIT_USAGE, lt, r;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		warnx("out of memory");
		return EXIT_USAGE;
	}
	token[0] = '\0';
	bound[0] = '\0';
	if ((r = opts_parse(CMD_LIVE, argc, argv, &d->o)) != 0) {
		status = r > 0 ? EXIT_DONE : EXIT_USAGE;
		goto out;
	}
	if (live_check(argc, argv, &d->o) != 0)
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
	if (leases_setup(&d->o, &d->lt) != 0)
		goto out;
	if (d->o.token_file != NULL &&
	    read_token(d->o.token_file, token, sizeof(token)) != 0)
		goto out;
	memset(&sc, 0, sizeof(sc));
	sc.match = d->m;
	memcpy(sc.dns_ports, d->o.dns_ports, sizeof(sc.dns_ports));
	sc.n_dns_ports = d->o.n_dns_ports;
	memcpy(sc.trust, d->o.trust, sizeof(sc.trust));
	sc.n_trust = d->o.n_trust;
	sc.trust_set = d->o.trust_set;
	sc.frag_mem = d->o.frag_mem;
	sc.frag_timeout = d->o.frag_timeout;
	sc.tunnel_depth = d->o.tunnel_depth;
	sc.tunnel_depth_set = true;
	sc.flow.max_flows = d->o.max_flows;
	sc.flow.stream_bytes = d->o.stream_bytes;
	sc.flow.n_buffers = d->o.stream_buffers;
	sc.flow.tcp_idle = TCP_IDLE;
	sc.flow.udp_idle = UDP_IDLE;
	sc.attrib.max_entries = d->o.max_attrib;
	sc.attrib.ttl_min = d->o.attrib_ttl_min;
	sc.attrib.ttl_max = d->o.attrib_ttl_max;
	sc.max_names = d->o.max_names;
	sc.max_hosts = d->o.max_hosts;
	sc.max_name_addrs = d->o.max_name_addrs;
	memset(&hooks, 0, sizeof(hooks));
	hooks.match = on_match;
	hooks.arg = d;
	/* Threads capture: with dnstap alone there is nothing for them. */
	workers = d->o.workers == 0 ? 1 : d->o.workers;
	if (workers > 1 && d->o.n_ifaces == 0) {
		warnx("--workers %u: no -i to capture on; dnstap is read on one "
		    "thread", workers);
		workers = 1;
	}
	if (workers > 1) {
		if (sensor_shared_new(&d->sh, &sc) != ERR_OK) {
			warnx("out of memory");
			goto out;
		}
		sc.shared = d->sh;
	}
	msc = sc;
	if (workers > 1) {
		/* The loop's own sensor reads dnstap only: the flows,
		 * streams and fragments are the workers'. */
		msc.flow.max_flows = 64;
		msc.flow.n_buffers = 1;
		msc.frag_mem = 0;
	}
	if (sensor_new(&d->sen, &msc, &hooks) != ERR_OK) {
		warnx("out of memory");
		goto out;
	}
	d->agg = sensor_aggregate(d->sen);
	aggregate_set_days(d->agg, true);	/* per-day history in the state */
	leases_use(&d->o, d->lt, d->agg, true);
	if (d->o.syslog) {
		openlog("kasaudit", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		daemon_log_syslog(true);
	}
	if (daemon_state_load(d) != 0)
		goto out;
	if ((d->files = calloc(d->o.n_ifaces + d->n_prev +
	    DAEMON_DNSTAP_RESOLVERS + 1, sizeof(*d->files))) == NULL) {
		warnx("out of memory");
		goto out;
	}

	/* Everything that needs privileges, then none of them. */
	if ((d->loop = live_new(&ops, d, TICK_MS, d->o.report_every,
	    errbuf)) == NULL || daemon_render_open(d, errbuf) != ERR_OK) {
		warnx("%s", errbuf);
		goto out;
	}
	memset(&cc, 0, sizeof(cc));
	cc.live.snaplen = d->o.snaplen;
	cc.live.promisc = !d->o.no_promisc;
	cc.live.buffer_size = d->o.buffer_size;
	cc.live.timeout_ms = PCAP_TIMEOUT_MS;
	cc.live.filter = d->o.filter;
	for (i = 0; i < d->o.n_ifaces && workers > 1; i++) {
		struct source *s = &d->src[i];

		/* The interface as the report lists it; its sockets are the
		 * workers'. */
		s->iface = d->o.ifaces[i];
		s->in.ops = source_find("live");
		s->in.rf.path = s->iface;
		s->in.rf.format = "live";
		s->in.rf.error = "";
		s->in.rf.complete = true;
		d->n_src++;
	}
	if (workers > 1 && daemon_workers_open(d, workers, &sc, &hooks, &cc,
	    errbuf) != ERR_OK) {
		warnx("%s", errbuf);
		goto out;
	}
	for (i = 0; i < d->n_src && workers > 1; i++) {
		lt = src_linktype(d, i);
		if (!decode_linktype_ok(lt)) {
			name = capture_linktype_name(lt);
			warnx("%s: link type %d (%s) is not supported",
			    d->src[i].iface, lt, name != NULL ? name : "unknown");
			goto out;
		}
	}
	for (i = 0; i < d->o.n_ifaces && workers == 1; i++) {
		struct source *s = &d->src[i];

		s->iface = d->o.ifaces[i];
		if (sensor_open(d->sen, &s->in, source_find("live"), s->iface,
		    &cc) != ERR_OK) {
			warnx("%s", s->in.err);
			goto out;
		}
		s->in.rf.complete = true;
		d->n_src++;
		lt = s->in.ops->linktype(s->in.state);
		if (!decode_linktype_ok(lt)) {
			name = capture_linktype_name(lt);
			warnx("%s: link type %d (%s) is not supported",
			    s->iface, lt, name != NULL ? name : "unknown");
			goto out;
		}
		if (s->in.ops->fd(s->in.state) < 0) {
			warnx("%s: no selectable descriptor", s->iface);
			goto out;
		}
		if (live_add_source(d->loop, s->in.ops->fd(s->in.state), i,
		    errbuf) != ERR_OK) {
			warnx("%s", errbuf);
			goto out;
		}
	}
	if (daemon_dnstap_open(d, errbuf) != ERR_OK) {
		warnx("%s", errbuf);
		goto out;
	}
	if (d->o.listen != NULL) {
		memset(&hc, 0, sizeof(hc));
		hc.listen = d->o.listen;
		hc.token = token[0] != '\0' ? token : NULL;
		hc.max_conns = d->o.max_conns;
		hc.max_header_bytes = HTTP_HEADER_MAX;
		hc.max_body_bytes = HTTP_BODY_MAX;
		hc.timeout_sec = HTTP_TIMEOUT;
		hc.head_timeout_sec = HTTP_HEAD_TIMEOUT;
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
	    check_dir_writable("--state", d->o.state, false) != 0 ||
	    (d->o.events != NULL && strncmp(d->o.events, "syslog", 6) != 0 &&
	    check_dir_writable("--events", d->o.events, false) != 0))
		goto out;
	clean_all_stale(d);
	/* Opened as the user the daemon runs as: a reopen on SIGHUP is. */
	if (d->o.events != NULL) {
		memset(&ec, 0, sizeof(ec));
		ec.format = d->o.events_format;
		ec.seed = (uint16_t)d->o.community_seed;
		if ((d->ev = evsink_new(d->o.events, d->o.events_buffer, &ec,
		    d->mode, errbuf)) == NULL ||
		    evsink_start(d->ev, errbuf) != ERR_OK) {
			warnx("%s", errbuf);
			goto out;
		}
	}

	d->started = time(NULL);
	started[0] = '\0';
	for (i = 0; i < d->n_src; i++) {
		name = capture_linktype_name(src_linktype(d, i));
		snprintf(started + strlen(started), sizeof(started) -
		    strlen(started), "%s%s (%s)", i > 0 ? ", " : "",
		    d->src[i].iface, name != NULL ? name : "?");
	}
	for (i = 0; i < d->o.n_dnstap; i++)
		snprintf(started + strlen(started), sizeof(started) -
		    strlen(started), "%sdnstap %s", i + d->n_src > 0 ? ", " :
		    "", d->o.dnstap[i]);
	if (workers > 1)
		snprintf(started + strlen(started), sizeof(started) -
		    strlen(started), " on %u workers", workers);
	daemon_log(LOG_INFO, "started %s: capturing on %s%s%s; %zu signatures; "
	    "reports every %us%s%s%s%s; running as %s", KASAUDIT_VERSION,
	    started, d->o.filter != NULL ? " filter " : "",
	    d->o.filter != NULL ? d->o.filter : "", match_count(d->m),
	    d->o.report_every, d->o.state != NULL ? "; state " : "",
	    d->o.state != NULL ? d->o.state : "",
	    bound[0] != '\0' ? "; status http://" : "", bound[0] != '\0' ?
	    bound : "", as != NULL ? as : "the invoking user");

	/* After privileges are dropped: capset(2) is a thread's own. */
	if (workers > 1 && daemon_workers_start(d, errbuf) != ERR_OK) {
		warnx("%s", errbuf);
		goto out;
	}
	status = EXIT_DONE;
	if (live_run(d->loop) != ERR_OK) {
		daemon_log(LOG_ERR, "event loop failed");
		status = EXIT_INPUT;
	}
	/* Drain what the kernel still holds, then close every flow; a
	 * resolver's frame not yet whole is lost with its connection. */
	live_stream_close_all(d->loop);
	if (workers > 1) {
		/* Each drains its sockets and closes its flows. */
		daemon_workers_stop(d);
		daemon_workers_fold(d, true);
	}
	for (i = 0; i < d->n_src && workers == 1; i++) {
		source_read(d, i, DAEMON_DRAIN_MAX);
		struct source *s = &d->src[i];

		if (!s->failed)
			(void)s->in.ops->live_stats(s->in.state, &s->ks,
			    errbuf);
	}
	sensor_finish(d->sen);
	if (d->ev != NULL) {
		evsink_free(d->ev, EVENTS_WAIT_MS, &d->ev_st);
		d->ev = NULL;
		daemon_log(LOG_INFO, "events: %" PRIu64 " written, %" PRIu64
		    " dropped (queue full), %" PRIu64 " failed",
		    d->ev_st.written, d->ev_st.dropped, d->ev_st.failed);
	}
	/* A round still running ends first: one writer of the files. */
	daemon_render_wait(d);
	if (!daemon_write_reports(d, "final"))
		status = EXIT_INPUT;
	if (d->n_src > 0 && d->n_failed == d->n_src)
		status = EXIT_INPUT;
	daemon_log(LOG_INFO, "stopped: %zu offending hosts",
	    aggregate_n_hosts(d->agg));
out:
	memset(token, 0, sizeof(token));
	d_syslog = d->o.syslog;
	daemon_free(d);
	free(d);
	if (d_syslog)
		closelog();
	return status;
}
