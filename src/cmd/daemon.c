/* daemon.c - kasaudit live's files: reports and state snapshots written
 * atomically, the state read back at start, SIGHUP reloads, log lines. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "cmd.h"
#include "aggregate.h"
#include "daemon.h"
#include "err.h"
#include "load.h"
#include "outfile.h"
#include "report_dir.h"
#include "writers.h"

static bool log_to_syslog;

void
daemon_log_syslog(bool on)
{
	log_to_syslog = on;
}


/* One line per event, to syslog or standard error; never more than one. */
void
daemon_log(int prio, const char *fmt, ...)
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
		if (msg_to_journal())
			fprintf(stderr, "<%d>", prio & LOG_PRIMASK);
		fprintf(stderr, "kasaudit: %s\n", msg);
		fflush(stderr);
	}
}

/* ---- files: reports and state ----------------------------------------- */


void
daemon_lock(struct daemon *d)
{
	sensor_shared_lock(d->sh);
}

void
daemon_unlock(struct daemon *d)
{
	sensor_shared_unlock(d->sh);
}

void
daemon_view(struct daemon *d)
{
	memset(&d->view, 0, sizeof(d->view));
	sensor_sum_add(&d->view, d->sen);
	if (d->sh != NULL) {
		daemon_workers_view(d, &d->view);
		sensor_sum_shared(&d->view, d->sh);
		daemon_workers_fold(d, false);
	}
}

void
daemon_meta(struct daemon *d, struct report_meta *meta)
{
	size_t i, n;

	memset(meta, 0, sizeof(*meta));
	daemon_view(d);
	sensor_sum_meta(&d->view, d->m, meta);
	for (i = 0; i < d->n_src; i++) {
		d->files[i] = d->src[i].in.rf;
		meta->packets += d->src[i].in.rf.packets;
		meta->bytes += d->src[i].in.rf.bytes;
	}
	n = d->n_src;
	n += daemon_dnstap_inputs(d, d->files + n, meta);
	for (i = 0; i < d->n_prev; i++)
		d->files[n + i] = d->prev[i];
	meta->version = KASAUDIT_VERSION;
	meta->files = d->files;
	meta->n_files = n + d->n_prev;
	meta->filter = d->o.filter;
	meta->v4_plen = d->o.v4_plen;
	meta->v6_plen = d->o.v6_plen;
	meta->max_names = d->o.max_names;
	if (d->o.events != NULL) {
		if (d->ev != NULL)
			evsink_stats(d->ev, &d->ev_st);
		d->ev_count.written = d->ev_st.written;
		d->ev_count.dropped = d->ev_st.dropped;
		d->ev_count.failed = d->ev_st.failed;
		meta->events = &d->ev_count;
	}
	leases_report(&d->o, d->lt, d->agg, &d->rl, meta);
}

/* True unless path exists and is not a regular file (a device, a FIFO). */
bool
daemon_is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) != 0 || S_ISREG(st.st_mode);
}

/*
 * Writes path atomically (outfile.c): a temporary beside it, written,
 * flushed and fsynced, then renamed over it, and the directory fsynced.
 * Readers see the old file or the new one, never a part.  0, or -1 with
 * errbuf.
 */
static int
write_atomic(struct daemon *d, const char *path, const struct writer *w,
    const struct report_meta *meta, char *errbuf)
{
	struct outfile o;
	char scratch[ERRBUF_LEN];
	bool ok;

	memset(&o, 0, sizeof(o));
	o.path = path;
	o.mode = d->mode;
	o.durable = true;
	if (outfile_begin(&o, errbuf) != 0)
		return -1;
	errno = 0;
	ok = w->write(o.fp, d->agg, meta, NULL) == ERR_OK &&
	    fflush(o.fp) == 0;
	if (!ok)
		snprintf(errbuf, ERRBUF_LEN, "%s: write failed: %s",
		    strcmp(path, "-") == 0 ? "standard output" : path,
		    errno != 0 ? strerror(errno) : "I/O error");
	if (outfile_end(&o, ok, ok ? errbuf : scratch) != 0)
		ok = false;
	return ok ? 0 : -1;
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
	const struct sensor_span *sp = &d->view.span;
	uint32_t ttl;
	bool owned = false;
	size_t i, j;

	/* attrib.c raises the largest TTL to the smallest when it is less:
	 * an entry lives at most as long as the larger of the two. */
	daemon_view(d);
	ttl = d->o.attrib_ttl_max > d->o.attrib_ttl_min ? d->o.attrib_ttl_max :
	    d->o.attrib_ttl_min;
	for (i = j = 0; i < d->n_old; i++) {
		if (sp->have && sp->last_sec - d->old[i].ts >=
		    (int64_t)ttl + RETIRE_SLACK &&
		    (owned || aggregate_own_sigs(d->agg) == ERR_OK)) {
			owned = true;
			match_free(d->old[i].m);
			continue;
		}
		d->old[j++] = d->old[i];
	}
	d->n_old = j;
}

/* The state: the JSON report without indentation (half the bytes). */
static int
write_state(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *net)
{
	(void)net;
	return report_json_compact(fp, ag, meta);
}

static const struct writer state_writer = { "json", "json", write_state };

/*
 * --report-dir's customer packs (report_dir.c, as read and merge write
 * them) in DIR/customers, replaced whole each round; the -F format that is
 * not text or JSON (the first) is written per network too.
 */
static bool
write_packs(struct daemon *d, const struct report_meta *meta, char *errbuf)
{
	const struct writer *fmt = writer_find("text"), *w;
	char dir[PATH_MAX];
	size_t k;

	for (k = d->o.n_formats; k > 0; k--) {
		w = d->o.formats[k - 1];
		if (w != writer_find("text") && w != writer_find("json"))
			fmt = w;
	}
	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", d->o.report_dir,
	    DAEMON_PACKS_DIR) >= sizeof(dir)) {
		snprintf(errbuf, ERRBUF_LEN, "--report-dir: path too long");
		return false;
	}
	return report_dir_write(dir, fmt, d->agg, meta, NULL, errbuf);
}

/*
 * The files of a report round: the reports, the state, the packs.  Run by
 * the render child on its copy of the tables (daemon_render.c), or by the
 * loop for the final round.  false if a file failed (logged).
 */
bool
daemon_write_files(struct daemon *d, const char *why)
{
	char errbuf[ERRBUF_LEN], path[PATH_MAX], where[PATH_MAX + 64];
	const struct writer *w;
	struct report_meta meta;
	bool ok = true;
	size_t f, k;

	if (aggregate_finish(d->agg, d->nm, d->o.v4_plen, d->o.v6_plen) !=
	    ERR_OK) {
		daemon_log(LOG_ERR, "report (%s) failed: out of memory while "
		    "sorting", why);
		return false;
	}
	daemon_meta(d, &meta);
	where[0] = '\0';
	/* In table order, whatever the order of -F. */
	for (f = 0; (w = writer_at(f)) != NULL; f++) {
		for (k = 0; k < d->o.n_formats && d->o.formats[k] != w; k++)
			;
		if (k == d->o.n_formats)
			continue;
		if (d->o.report_dir != NULL)
			snprintf(path, sizeof(path), "%s/report.%s",
			    d->o.report_dir, w->ext);
		else
			snprintf(path, sizeof(path), "%s",
			    d->o.output != NULL ? d->o.output : "-");
		if (write_atomic(d, path, w, &meta, errbuf) != 0) {
			daemon_log(LOG_ERR, "report (%s) failed: %s", why,
			    errbuf);
			ok = false;
			continue;
		}
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    "%s%s", where[0] != '\0' ? ", " : "", path);
	}
	if (d->o.report_dir != NULL && !write_packs(d, &meta, errbuf)) {
		daemon_log(LOG_ERR, "customer packs (%s) failed: %s", why,
		    errbuf);
		ok = false;
	}
	if (d->o.state != NULL) {
		if (write_atomic(d, d->o.state, &state_writer, &meta, errbuf) !=
		    0) {
			daemon_log(LOG_ERR, "state snapshot (%s) failed: %s", why,
			    errbuf);
			ok = false;
		}
	}
	if (ok)
		daemon_log(LOG_INFO, "report written (%s): %s; %zu offending hosts, "
		    "%" PRIu64 " packets%s%s%s", why,
		    where[0] != '\0' ? where : "-", aggregate_n_hosts(d->agg),
		    meta.packets, d->o.report_dir != NULL ?
		    "; customer packs" : "", d->o.state != NULL ? "; state " :
		    "", d->o.state != NULL ? d->o.state : "");
	return ok;
}

/* What the loop does when a round is over: counts, retired sets freed. */
void
daemon_round_done(struct daemon *d, bool ok)
{
	if (ok) {
		d->reports_ok++;
		d->last_report = time(NULL);
	} else
		d->reports_failed++;
	retired_gc(d);
}

/* A round on the loop (the final one).  false if a file failed. */
bool
daemon_write_reports(struct daemon *d, const char *why)
{
	bool ok = daemon_write_files(d, why);

	daemon_round_done(d, ok);
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
		daemon_log(LOG_ERR, "state: %s; moved aside to %s, starting empty",
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
int
daemon_state_load(struct daemon *d)
{
	struct sensor_span *sp = sensor_span(d->sen);
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
		daemon_log(LOG_INFO, "state: %s: none yet, starting empty",
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
	/* In chunks, a host record at a time: a state as big as the
	 * tables can make is read back within their memory. */
	r = load_report_stream(d->agg, st, d->o.state, errbuf);
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
		sp->have = true;
		sp->first_sec = meta.first_sec;
		sp->first_nsec = meta.first_nsec;
		sp->last_sec = meta.last_sec;
		sp->last_nsec = meta.last_nsec;
	}
	load_stats_free(st);
	aggregate_trim_names(d->agg, d->o.max_names);
	if (aggregate_finish(d->agg, d->nm, d->o.v4_plen, d->o.v6_plen) !=
	    ERR_OK) {
		warnx("--state %s: out of memory", d->o.state);
		return -1;
	}
	daemon_log(LOG_INFO, "state: %s: loaded %zu offending hosts, %zu DNS servers",
	    d->o.state, aggregate_n_hosts(d->agg),
	    aggregate_n_resolvers(d->agg));
	return 0;
}

/* ---- signatures and networks ------------------------------------------ */

/*
 * SIGHUP: the files are read again; a set that does not load is refused
 * with its error and the old one stays.  Nothing counted is lost: the
 * tables keep every host, and the old signatures are retired, not freed.
 */
/*
 * The files SIGHUP re-reads must be regular files: opening a FIFO would
 * block the loop, and with it capture and the status page, until some
 * writer came.  false with errbuf naming the first that is not.
 */
static bool
files_regular(const struct daemon *d, char *errbuf)
{
	const char *p;
	struct stat st;
	size_t i;

	for (i = 0; i <= d->o.sigs.n_files + d->o.n_leases; i++) {
		p = i < d->o.sigs.n_files ? d->o.sigs.files[i] :
		    i == d->o.sigs.n_files ? d->o.networks :
		    d->o.leases[i - d->o.sigs.n_files - 1];
		if (p != NULL && stat(p, &st) == 0 && !S_ISREG(st.st_mode)) {
			snprintf(errbuf, ERRBUF_LEN, "%s: not a regular file",
			    p);
			return false;
		}
	}
	return true;
}

static void
lease_line_log(void *arg, const char *msg)
{
	(void)arg;
	daemon_log(LOG_WARNING, "--leases: %s", msg);
}

/* The lease files read again; on failure the ones in use stay. */
static bool
leases_reload(struct daemon *d, char *errbuf)
{
	struct leases *lt;

	if ((lt = leases_build(&d->o, lease_line_log, NULL, errbuf)) ==
	    NULL) {
		daemon_log(LOG_ERR, "reload failed: %s; keeping the leases in "
		    "use", errbuf);
		return false;
	}
	/* The aggregate keeps its own copies of the subscribers' names. */
	daemon_lock(d);
	leases_use(&d->o, lt, d->agg, true);
	daemon_unlock(d);
	leases_free(d->lt);
	d->lt = lt;
	return true;
}

void
daemon_reload(struct daemon *d)
{
	char errbuf[ERRBUF_LEN];
	struct match *m;
	struct netmap *nm = NULL;
	struct retired *r;
	const struct sensor_span *sp = &d->view.span;
	size_t before = match_count(d->m);
	int64_t now_ts;
	bool ok = true;

	/*
	 * Called without the workers' lock (cmd_live.c): files are read and
	 * tables built while they capture; the lock is taken only to swap.
	 */
	daemon_lock(d);
	daemon_view(d);
	now_ts = sp->have ? sp->last_sec : 0;
	daemon_unlock(d);

	if (!files_regular(d, errbuf)) {
		daemon_log(LOG_ERR, "reload failed: %s; keeping the %zu "
		    "signatures and the networks in use", errbuf, before);
		d->reloads_failed++;
		return;
	}
	if ((m = sigs_build(&d->o.sigs, errbuf)) == NULL) {
		daemon_log(LOG_ERR, "reload failed: %s; keeping the %zu "
		    "signatures in use", errbuf, before);
		ok = false;
	} else if ((r = realloc(d->old, (d->n_old + 1) *
	    sizeof(*r))) == NULL) {
		daemon_log(LOG_ERR, "reload failed: out of memory; keeping the "
		    "%zu signatures in use", before);
		match_free(m);
		ok = false;
	} else {
		d->old = r;
		d->old[d->n_old].m = d->m;
		d->old[d->n_old].ts = now_ts;
		d->n_old++;
		daemon_lock(d);
		sensor_set_match(d->sen, m);
		d->m = m;		/* the workers take it from here */
		daemon_unlock(d);
	}
	if (d->o.networks != NULL) {
		if ((nm = nets_build(d->o.networks, errbuf)) == NULL) {
			daemon_log(LOG_ERR, "reload failed: %s; keeping the networks "
			    "in use", errbuf);
			ok = false;
		} else {
			/* The aggregate copies what it needs at finish. */
			netmap_free(d->nm);
			d->nm = nm;
		}
	}
	if (d->o.n_leases > 0 && !leases_reload(d, errbuf))
		ok = false;
	if (ok) {
		d->reloads_ok++;
		daemon_log(LOG_INFO, "reload ok: %zu signatures (were %zu)%s%s",
		    match_count(d->m), before,
		    d->nm != NULL ? ", networks re-read" : "",
		    d->lt != NULL ? ", leases re-read" : "");
	} else
		d->reloads_failed++;
}

