/* live_workers.c - kasaudit live --workers N: N capture threads, each with
 * a socket per interface in a PACKET_FANOUT group and a sensor of its own.
 *
 * How the work is split: the kernel hands each packet of an interface to
 * one of its N sockets by a hash of the flow that is the same both ways
 * (capture_live.c), so a connection, its reassembly and its parsing stay
 * on one thread, which owns its flow table, decoder and counters.  What
 * more than one flow needs is shared behind one lock (sensor_shared.c):
 * the aggregate, the table of matched DNS answers, the machine names and
 * the hooks (the event stream).  A DNS answer and the connection it
 * explains are two flows and may reach two threads, and the kernel hands
 * each socket its packets in blocks (up to PCAP_TIMEOUT_MS late), so the
 * connection may be read before the answer is in the shared table.  Why
 * the answer is still found: a worker that finds none defers the contact
 * (audit_defer.c) and looks it up again once every worker has read all
 * its packets up to the contact's time -- each worker publishes that
 * horizon, horizon() below -- or DEFER_WAIT_NS later at most; what is
 * still waiting when the workers stop is looked up after all have read
 * their last packet.
 *
 * The loop's thread keeps everything else: timers, signals, the status
 * pages and /metrics, report rounds, reload and dnstap.  It holds the lock
 * in each of its callbacks (cmd_live.c), so it sees the aggregate still;
 * the workers publish their counters under the lock at most every
 * PUBLISH_MS (and when idle), and daemon_view() adds them up.  A reload
 * publishes the new signature set in d->m; each worker takes it at its
 * next publication.  Counters of a socket (packets, kernel drops) are
 * read by its own thread: libpcap's handles are not shared between
 * threads.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

#define POLL_MS		100	/* longest a worker sleeps: a stop, a reload */
#define PUBLISH_MS	20	/* counters to the loop at most this often */
#define KSTATS_MS	250	/* kernel counters read at most this often */
/* A socket found empty at time T has handed over every packet up to T
 * less the kernel's block timeout (and a margin for scheduling). */
#define HELD_NS		((int64_t)(PCAP_TIMEOUT_MS + 50) * 1000000)
#define DEFER_WAIT_NS	((int64_t)2000 * 1000000)	/* at most, then
							   looked up anyway */
#define FRAG_MIN	65536	/* fragment memory a worker keeps at least */

struct wsrc {
	struct sensor_input	 in;		/* the worker's socket */
	struct capture_live_stats ks;		/* its kernel counters */
	bool			 failed;
	int64_t			 empty_ns;	/* wall time it was last found
						   empty; 0: never */
	bool			 drained;	/* then, nothing was held in
						   the ring either */
	/* Published under the lock. */
	uint64_t		 packets, bytes, unsupported;
	struct capture_live_stats pub_ks;
	bool			 pub_failed, logged;
	char			 err[ERRBUF_LEN];
};

struct worker {
	struct daemon		*d;
	unsigned		 id;
	pthread_t		 th;
	bool			 running;
	struct sensor		*sen;
	const struct match	*m;		/* the set its sensor uses */
	struct wsrc		*src;		/* d->n_src of them */
	struct sensor_sum	 pub;		/* under the lock */
	int64_t			 horizon_ns;	/* under the lock: every packet
						   of its sockets up to this
						   wall time has been read */
	struct timespec		 last_pub, last_ks;
	struct sensor_sum	 tmp;		/* built outside the lock */
};

static atomic_bool stop_all;

static int64_t
ms_since(const struct timespec *a, const struct timespec *now)
{
	return (int64_t)(now->tv_sec - a->tv_sec) * 1000 +
	    (now->tv_nsec - a->tv_nsec) / 1000000;
}

static int64_t
wall_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * How far this worker has read, in packet (wall) time: for each socket
 * the later of the last packet read and the last time it was found empty
 * (less what the kernel may still hold in a block not yet handed over,
 * unless its counters said it held nothing); the earliest of its sockets.
 */
static int64_t
horizon(const struct worker *w)
{
	const struct wsrc *ws;
	int64_t h = INT64_MAX, t, e;
	size_t i;

	for (i = 0; i < w->d->n_src; i++) {
		ws = &w->src[i];
		if (ws->failed)
			continue;
		t = ws->in.rf.packets > 0 ? ws->in.last_sec * 1000000000 +
		    ws->in.last_nsec : 0;
		e = ws->empty_ns == 0 ? 0 : ws->drained ? ws->empty_ns :
		    ws->empty_ns - HELD_NS;
		t = t > e ? t : e;
		h = t < h ? t : h;
	}
	return h;
}

/* Counters and the state of its sockets to the loop; a reload's set in;
 * the contacts deferred that every worker has read past, looked up. */
static void
publish(struct worker *w, bool force)
{
	struct daemon *d = w->d;
	char errbuf[ERRBUF_LEN];
	struct timespec now;
	int64_t own, all;
	bool want_ks;
	size_t i;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && ms_since(&w->last_pub, &now) < PUBLISH_MS)
		return;
	w->last_pub = now;
	want_ks = force || ms_since(&w->last_ks, &now) >= KSTATS_MS;
	if (want_ks)
		w->last_ks = now;
	for (i = 0; want_ks && i < d->n_src; i++)
		if (!w->src[i].failed)
			(void)w->src[i].in.ops->live_stats(w->src[i].in.state,
			    &w->src[i].ks, errbuf);
	memset(&w->tmp, 0, sizeof(w->tmp));
	sensor_sum_add(&w->tmp, w->sen);
	own = horizon(w);
	sensor_shared_lock(d->sh);
	w->pub = w->tmp;
	w->horizon_ns = own;
	for (i = 0, all = INT64_MAX; i < d->n_wk; i++)
		if (d->wk[i].horizon_ns < all)
			all = d->wk[i].horizon_ns;
	for (i = 0; i < d->n_src; i++) {
		struct wsrc *ws = &w->src[i];

		ws->packets = ws->in.rf.packets;
		ws->bytes = ws->in.rf.bytes;
		ws->unsupported = ws->in.rf.unsupported;
		ws->pub_ks = ws->ks;
		if (ws->failed && !ws->pub_failed) {
			ws->pub_failed = true;
			snprintf(ws->err, sizeof(ws->err), "%s", ws->in.err);
		}
	}
	if (w->m != d->m) {
		sensor_set_match(w->sen, d->m);
		w->m = d->m;
	}
	sensor_shared_unlock(d->sh);
	/* A worker that cannot keep up holds the others' contacts back for
	 * DEFER_WAIT_NS at most (on the monotonic clock: a step of the wall
	 * clock holds nothing up). */
	sensor_defer_run(w->sen, all / 1000000000, (uint32_t)(all %
	    1000000000), audit_defer_clock() - DEFER_WAIT_NS, false);
}

static void
wread(struct worker *w, size_t i, size_t max, struct pollfd *pfd)
{
	struct wsrc *ws = &w->src[i];
	char errbuf[ERRBUF_LEN];
	int r;

	if (ws->failed)
		return;
	r = sensor_run(w->sen, &ws->in, max);
	if (r == ERR_NOTFOUND) {
		/*
		 * Nothing handed over; the kernel's count of what the socket
		 * took (drops included) says whether a block not yet handed
		 * over holds some.
		 */
		ws->empty_ns = wall_ns();
		ws->drained = ws->in.ops->live_stats(ws->in.state, &ws->ks,
		    errbuf) == ERR_OK && ws->ks.received <= ws->ks.dropped +
		    ws->in.rf.packets;
	}
	if (r == ERR_OK || r == ERR_NOTFOUND)
		return;
	if (r == ERR_END)
		snprintf(ws->in.err, sizeof(ws->in.err), "%s: capture ended",
		    ws->in.rf.path);
	ws->failed = true;
	if (pfd != NULL)
		pfd[i].fd = -1;
	/* Closed, it leaves the fanout group: the kernel hashes its share
	 * of the flows to the other workers' sockets. */
	(void)ws->in.ops->live_stats(ws->in.state, &ws->ks, errbuf);
	sensor_close(&ws->in);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct daemon *d = w->d;
	struct pollfd pfd[LIVE_MAX_SOURCES];
	size_t i, live;

	for (i = 0; i < d->n_src; i++) {
		pfd[i].fd = w->src[i].failed ? -1 :
		    w->src[i].in.ops->fd(w->src[i].in.state);
		pfd[i].events = POLLIN;
	}
	while (!atomic_load(&stop_all)) {
		(void)poll(pfd, d->n_src, POLL_MS);
		for (i = live = 0; i < d->n_src; i++) {
			wread(w, i, DAEMON_BATCH, pfd);
			live += !w->src[i].failed;
		}
		publish(w, false);
		if (live == 0)
			break;
	}
	/* Drain what the kernel still holds, then close every flow. */
	for (i = 0; i < d->n_src; i++)
		wread(w, i, DAEMON_DRAIN_MAX, NULL);
	sensor_finish(w->sen);
	publish(w, true);
	return NULL;
}

int
daemon_workers_open(struct daemon *d, unsigned n, const struct sensor_config
    *sc, const struct sensor_hooks *hooks, const struct source_config *cc,
    char *errbuf)
{
	struct sensor_config wc = *sc;
	struct source_config c = *cc;
	uint16_t group[LIVE_MAX_SOURCES];
	struct worker *w;
	unsigned k;
	size_t i;
	int g;

	if ((d->wk = calloc(n, sizeof(*d->wk))) == NULL)
		goto nomem;
	d->n_wk = n;
	/* Each thread has its share of the flows, buffers and fragments. */
	wc.flow.max_flows = sc->flow.max_flows / n > 0 ?
	    sc->flow.max_flows / n : 1;
	wc.flow.n_buffers = sc->flow.n_buffers / n > 0 ?
	    sc->flow.n_buffers / n : 1;
	/* Below FRAG_MIN a share would turn reassembly off: each keeps
	 * that much (n x 64 KiB at most over the option). */
	wc.frag_mem = sc->frag_mem / n;
	if (sc->frag_mem > 0 && wc.frag_mem < FRAG_MIN)
		wc.frag_mem = sc->frag_mem < FRAG_MIN ? sc->frag_mem : FRAG_MIN;
	wc.defer_max = DAEMON_DEFER_MAX;
	c.live.fanout = true;
	for (k = 0; k < n; k++) {
		w = &d->wk[k];
		w->d = d;
		w->id = k;
		w->m = sc->match;
		if (sensor_new(&w->sen, &wc, hooks) != ERR_OK ||
		    (w->src = calloc(d->n_src, sizeof(*w->src))) == NULL)
			goto nomem;
		for (i = 0; i < d->n_src; i++) {
			/* One group per interface: worker 0's socket makes
			 * it (a number no other process uses), the others
			 * join it. */
			c.live.fanout_new = k == 0;
			c.live.fanout_group = k == 0 ? 0 : group[i];
			if (sensor_open(w->sen, &w->src[i].in,
			    source_find("live"), d->src[i].iface, &c) !=
			    ERR_OK) {
				snprintf(errbuf, ERRBUF_LEN, "%.*s (worker %u)",
				    ERRBUF_LEN - 24, w->src[i].in.err, k);
				return ERR_IO;
			}
			w->src[i].in.rf.complete = true;
			/* The "live" row's state is its struct capture. */
			if (k == 0 && (g = capture_fanout_group(
			    w->src[i].in.state)) < 0) {
				snprintf(errbuf, ERRBUF_LEN, "%s: no PACKET_FANOUT "
				    "group", d->src[i].iface);
				return ERR_IO;
			}
			if (k == 0)
				group[i] = (uint16_t)g;
		}
	}
	return ERR_OK;
nomem:
	snprintf(errbuf, ERRBUF_LEN, "out of memory");
	return ERR_NOMEM;
}

int
daemon_workers_start(struct daemon *d, char *errbuf)
{
	sigset_t all, old;
	size_t k;
	int e = 0;

	atomic_store(&stop_all, false);
	/* Signals are the loop's: the threads start with them blocked. */
	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_BLOCK, &all, &old);
	for (k = 0; k < d->n_wk && e == 0; k++)
		if ((e = pthread_create(&d->wk[k].th, NULL, worker_main,
		    &d->wk[k])) == 0)
			d->wk[k].running = true;
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		snprintf(errbuf, ERRBUF_LEN, "starting worker %zu: %s", k - 1,
		    strerror(e));
		daemon_workers_stop(d);
		return ERR_NOMEM;
	}
	return ERR_OK;
}

void
daemon_workers_stop(struct daemon *d)
{
	size_t k;

	bool joined = false;

	atomic_store(&stop_all, true);
	for (k = 0; k < d->n_wk; k++)
		if (d->wk[k].running) {
			(void)pthread_join(d->wk[k].th, NULL);
			d->wk[k].running = false;
			joined = true;
		}
	if (!joined)
		return;
	/* Every worker has read all it will: what waits is looked up a last
	 * time, and the counters published again. */
	for (k = 0; k < d->n_wk; k++) {
		sensor_defer_run(d->wk[k].sen, 0, 0, 0, true);
		memset(&d->wk[k].pub, 0, sizeof(d->wk[k].pub));
		sensor_sum_add(&d->wk[k].pub, d->wk[k].sen);
	}
}

void
daemon_workers_free(struct daemon *d)
{
	size_t i, k;

	daemon_workers_stop(d);
	for (k = 0; k < d->n_wk; k++) {
		if (d->wk[k].src != NULL)
			for (i = 0; i < d->n_src; i++)
				sensor_close(&d->wk[k].src[i].in);
		free(d->wk[k].src);
		sensor_free(d->wk[k].sen);
	}
	free(d->wk);
	d->wk = NULL;
	d->n_wk = 0;
}

void
daemon_workers_fold(struct daemon *d, bool check)
{
	struct source *s;
	const char *err;
	size_t i, k, failed;

	for (i = 0; i < d->n_src; i++) {
		s = &d->src[i];
		s->in.rf.packets = s->in.rf.bytes = s->in.rf.unsupported = 0;
		memset(&s->ks, 0, sizeof(s->ks));
		err = NULL;
		for (k = failed = 0; k < d->n_wk; k++) {
			struct wsrc *ws = &d->wk[k].src[i];

			s->in.rf.packets += ws->packets;
			s->in.rf.bytes += ws->bytes;
			s->in.rf.unsupported += ws->unsupported;
			s->ks.received += ws->pub_ks.received;
			s->ks.dropped += ws->pub_ks.dropped;
			/* The interface's own count, the same on each. */
			if (ws->pub_ks.if_dropped > s->ks.if_dropped)
				s->ks.if_dropped = ws->pub_ks.if_dropped;
			if (ws->pub_failed) {
				failed++;
				if (err == NULL)
					err = ws->err;
				if (check && !ws->logged && !s->failed) {
					ws->logged = true;
					daemon_log(LOG_ERR, "capture failed on "
					    "worker %zu: %s; the other workers "
					    "take its share", k, ws->err);
				}
			}
		}
		/* An interface that went away fails on every socket. */
		if (check && failed == d->n_wk && !s->failed) {
			snprintf(s->in.err, sizeof(s->in.err), "%s", err);
			daemon_source_fail(d, i, s->in.err);
		}
	}
}

int
daemon_workers_linktype(const struct daemon *d, size_t i)
{
	const struct sensor_input *in = &d->wk[0].src[i].in;

	return in->ops->linktype(in->state);
}

void
daemon_workers_view(struct daemon *d, struct sensor_sum *sum)
{
	size_t k;

	for (k = 0; k < d->n_wk; k++)
		sensor_sum_merge(sum, &d->wk[k].pub);
}

void
daemon_workers_metrics(struct daemon *d, FILE *fp)
{
	static const struct {
		const char	*name, *help;
	} m[] = {
		{ "worker_packets_total", "Packets captured by each worker." },
		{ "worker_kernel_drops_total", "Packets dropped for lack of "
		    "kernel buffer space on each worker's socket." },
	};
	size_t i, j, k;
	uint64_t v;

	for (j = 0; j < sizeof(m) / sizeof(m[0]); j++) {
		fprintf(fp, "# HELP kasaudit_%s %s\n# TYPE kasaudit_%s "
		    "counter\n", m[j].name, m[j].help, m[j].name);
		for (k = 0; k < d->n_wk; k++)
			for (i = 0; i < d->n_src; i++) {
				const struct wsrc *ws = &d->wk[k].src[i];

				v = j == 0 ? ws->packets : ws->pub_ks.dropped;
				fprintf(fp, "kasaudit_%s{worker=\"%zu\","
				    "interface=\"", m[j].name, k);
				daemon_prom_label(fp, d->src[i].iface);
				fprintf(fp, "\"} %" PRIu64 "\n", v);
			}
	}
}
