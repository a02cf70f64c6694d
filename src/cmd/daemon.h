/* daemon.h - the state of `kasaudit live` shared by its files: the
 * sources, the sensor, the report and state files, reload and /metrics. */
#ifndef KASAUDIT_DAEMON_H
#define KASAUDIT_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "capture.h"
#include "evsink.h"
#include "live.h"
#include "match.h"
#include "netmap.h"
#include "opts.h"
#include "report.h"
#include "sensor.h"

#define RETIRE_SLACK		300	/* seconds of packet time */
#define DAEMON_BATCH		4096	/* packets per wake-up, then others */
#define PCAP_TIMEOUT_MS		250	/* longest the kernel holds a packet */
#define DAEMON_DEFER_MAX	4096	/* contacts a worker looks up again */
#define DAEMON_DRAIN_MAX	(1u << 20)	/* packets read after SIGTERM */
#define DAEMON_PACKS_DIR	"customers"	/* in --report-dir */

/* A counter that means a bound was hit, logged when it grows. */
struct watch {
	const char	*what;
	uint64_t	 logged;	/* value at the last line */
	time_t		 when;		/* of the last line */
};

enum { W_EVICT, W_NOBUF, W_FRAG, W_HOSTS, W_REFUSED, W_HTTP, W_EVENTS,
    W_EVENTS_FAILED, W_DEFER, W_N };

struct source {
	const char		*iface;
	struct sensor_input	 in;
	struct capture_live_stats ks;
	uint64_t		 drops_logged;
	time_t			 drops_when;
	bool			 failed;
};

/* A signature set replaced by a reload, kept while something may point
 * into it: aggregate names until they are gone, attribution entries until
 * their longest TTL has passed in packet time. */
struct retired {
	struct match	*m;
	int64_t		 ts;		/* packet time when it was replaced */
};

#define DAEMON_DNSTAP_RESOLVERS	64	/* told apart by identity, version */
struct dnstap_live;
struct worker;				/* live_workers.c */

struct daemon {
	struct opts		 o;
	struct source		 src[LIVE_MAX_SOURCES];
	size_t			 n_src;
	size_t			 n_failed;
	struct match		*m;
	struct retired		*old;
	size_t			 n_old;
	struct netmap		*nm;
	/* --leases: re-read on SIGHUP; rl holds the report's totals. */
	struct leases		*lt;
	struct report_leases	 rl;
	struct sensor		*sen;
	struct aggregate	*agg;		/* the sensor's */
	struct live		*loop;
	struct report_file	*files;		/* sources, then prev */
	struct report_file	*prev;		/* inputs from the state */
	size_t			 n_prev;
	uint64_t		 reports_ok, reports_failed;
	uint64_t		 reloads_ok, reloads_failed;
	time_t			 started, last_report;
	struct watch		 w[W_N];
	bool			 stopping;
	mode_t			 mode;		/* of report and state files */
	struct evsink		*ev;		/* --events; NULL: none */
	struct evsink_stats	 ev_st;		/* its last counts */
	struct report_evcount	 ev_count;	/* what the reports show */
	struct dnstap_live	*dt;		/* --dnstap; NULL without */
	struct render		*rd;		/* daemon_render.c's */
	/* --workers 2 or more: the threads and what they share; NULL, 0:
	 * the loop captures itself. */
	struct sensor_shared	*sh;
	struct worker		*wk;
	size_t			 n_wk;
	struct sensor_sum	 view;		/* daemon_view()'s */
};

/* One line per event, to syslog (after daemon_log_syslog()) or standard
 * error; control bytes become '?'. */
void	daemon_log(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	daemon_log_syslog(bool on);

/*
 * With --workers the loop's thread holds the shared tables' lock in each
 * of its callbacks (nothing without).  daemon_view() adds up every
 * sensor's counters into d->view (the caller holds the lock, or the
 * workers are stopped; it takes none, so a forked child may call it).
 */
void	daemon_lock(struct daemon *);
void	daemon_unlock(struct daemon *);
void	daemon_view(struct daemon *);
/* Capture on interface i failed (why): logged, counted, the run stops
 * when none is left. */
void	daemon_source_fail(struct daemon *, size_t i, const char *why);
/* A Prometheus label value, escaped. */
void	daemon_prom_label(FILE *, const char *);

/*
 * live_workers.c: --workers n.  open: n sensors sharing d->sh, each with
 * a socket per interface (d->src[].iface) in a PACKET_FANOUT group, before
 * privileges are dropped; start: the threads; stop: they drain and end
 * (NULL-safe, idempotent); fold: their packets, bytes and kernel counters
 * into d->src[] (failures too with check: an interface has failed when
 * all its sockets have); view: their counters into sum; metrics: the
 * per-worker lines of /metrics.
 */
int	daemon_workers_open(struct daemon *, unsigned n,
	    const struct sensor_config *, const struct sensor_hooks *,
	    const struct source_config *, char *errbuf);
int	daemon_workers_start(struct daemon *, char *errbuf);
void	daemon_workers_stop(struct daemon *);
void	daemon_workers_free(struct daemon *);
void	daemon_workers_fold(struct daemon *, bool check);
void	daemon_workers_view(struct daemon *, struct sensor_sum *);
int	daemon_workers_linktype(const struct daemon *, size_t i);
void	daemon_workers_metrics(struct daemon *, FILE *);

/* daemon.c: the report round ("why": interval, SIGUSR1, final), false if a
 * file failed; the state file read back at start; SIGHUP. */
void	daemon_meta(struct daemon *, struct report_meta *);
bool	daemon_write_reports(struct daemon *, const char *why);
bool	daemon_write_files(struct daemon *, const char *why);
void	daemon_round_done(struct daemon *, bool ok);
int	daemon_state_load(struct daemon *);
void	daemon_reload(struct daemon *);
bool	daemon_is_regular(const char *path);

/* live_dnstap.c: --dnstap listeners on the loop (before privileges are
 * dropped); their inputs, one per resolver, appended to files (room for
 * DAEMON_DNSTAP_RESOLVERS + 1), with packets and bytes added to meta;
 * their lines on /metrics. */
int	daemon_dnstap_open(struct daemon *, char *errbuf);
void	daemon_dnstap_free(struct daemon *);
size_t	daemon_dnstap_inputs(struct daemon *, struct report_file *files,
	    struct report_meta *meta);
void	daemon_dnstap_metrics(struct daemon *, FILE *);

/*
 * daemon_render.c: report rounds and the report pages rendered off the
 * capture path, by a forked child on its copy-on-write snapshot of the
 * tables; one child at a time, the rest waits its turn.  round asks for a
 * round ("why"; a round still waiting is counted skipped); render_want is
 * live_ops.want; render_wait ends a running child (before the final
 * round, which the loop writes itself); render_metrics adds its lines.
 */
int	daemon_render_open(struct daemon *, char *errbuf);
void	daemon_render_round(struct daemon *, const char *why);
void	daemon_render_want(void *arg, enum live_page);
void	daemon_render_wait(struct daemon *);
void	daemon_render_metrics(struct daemon *, FILE *);
void	daemon_render_free(struct daemon *);

/* daemon_http.c: the status pages (live.h's page callback). */
int	daemon_page(void *arg, enum live_page, FILE *);

#endif
