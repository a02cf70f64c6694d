/* daemon_render.c - kasaudit live's report rounds and report pages, rendered
 * off the capture path by a forked child on a copy-on-write snapshot. */
#define _GNU_SOURCE		/* memfd_create, pipe2 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "aggregate.h"
#include "daemon.h"
#include "err.h"
#include "live_int.h"

/*
 * Why a child: rendering 50,000 offenders takes seconds, and the loop must
 * keep reading the captures meanwhile.  fork() gives the child the tables
 * as they are at that instant (copy-on-write: the loop's later writes copy
 * only the pages they touch), so nothing is locked, copied up front or
 * frozen: the loop pays the fork (page tables: milliseconds per GB) and
 * goes on.  The child inherits the capture and HTTP descriptors but never
 * touches them (no libevent call, no signal handler of the loop: reset to
 * the default), writes its files and the pages (memfds the loop made),
 * tells the loop how it went through a pipe and _exit()s.  It runs at a
 * lower priority (RENDER_NICE) so that on a busy machine capture wins.
 */
#define RENDER_NICE	10
/* A page is served from the cache for at most this long (and never past
 * the next round): a client polling /report.json sees what the tables hold
 * within seconds, and however often it asks, one child renders at most
 * one page body every RENDER_PAGE_AGE_MS plus the time a render takes. */
#define RENDER_PAGE_AGE_MS	2000
#define RENDER_MAGIC	0x6b617372u	/* "kasr" */

static const int render_signals[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };

/* What the child writes to the pipe, once, before it exits. */
struct render_res {
	uint32_t	 magic;
	uint32_t	 pages_ok;	/* a bit per page written */
	uint8_t		 round_ok;
};

struct render {
	pid_t			 pid;		/* 0: no child */
	int			 rfd;		/* the pipe's read end */
	struct event		*ev;
	int			 fds[LIVE_PAGE_N];	/* the child's pages */
	unsigned		 pages;		/* of the running child */
	const char		*why;		/* its round; NULL: none */
	const char		*pending;	/* a round waiting its turn */
	unsigned		 want;		/* pages waiting their turn */
	struct timespec		 t0;
	struct render_res	 res;
	size_t			 got;
	uint64_t		 ok, failed, skipped, fork_failed;
	double			 fork_sec, fork_max, render_sec;
};

static const enum live_page render_pages[] = {
	LIVE_PAGE_INDEX, LIVE_PAGE_REPORT_JSON
};
#define N_RENDER_PAGES	(sizeof(render_pages) / sizeof(render_pages[0]))

static double
elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int
daemon_render_open(struct daemon *d, char *errbuf)
{
	size_t i;

	if ((d->rd = calloc(1, sizeof(*d->rd))) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "out of memory");
		return ERR_NOMEM;
	}
	d->rd->rfd = -1;
	for (i = 0; i < LIVE_PAGE_N; i++)
		d->rd->fds[i] = -1;
	for (i = 0; i < N_RENDER_PAGES; i++)
		if (live_page_async(d->loop, render_pages[i],
		    RENDER_PAGE_AGE_MS) != ERR_OK) {
			snprintf(errbuf, ERRBUF_LEN, "out of memory");
			return ERR_NOMEM;
		}
	return ERR_OK;
}

/* The child: its files and pages, one result on the pipe, _exit(). */
static void
child_run(struct daemon *d, struct render *rd, int wfd, pid_t parent)
{
	struct render_res res;
	struct report_meta meta;
	bool finished = false;
	size_t i;
	FILE *fp;
	int r;

	for (i = 0; i < sizeof(render_signals) / sizeof(render_signals[0]);
	    i++)
		(void)signal(render_signals[i], SIG_DFL);
	/* A daemon killed (-9) takes its child along: no orphan still writes
	 * the state while the next daemon starts from it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(1);
	(void)setpriority(PRIO_PROCESS, 0,
	    getpriority(PRIO_PROCESS, 0) + RENDER_NICE);
	memset(&res, 0, sizeof(res));
	res.magic = RENDER_MAGIC;
	/* The events' writer thread is not in the child: its counts were
	 * taken by the loop just before the fork. */
	d->ev = NULL;
	if (rd->why != NULL) {
		res.round_ok = daemon_write_files(d, rd->why);
		finished = true;
	}
	if (rd->pages != 0 && (finished || aggregate_finish(d->agg, d->nm,
	    d->o.v4_plen, d->o.v6_plen) == ERR_OK)) {
		daemon_meta(d, &meta);
		for (i = 0; i < LIVE_PAGE_N; i++) {
			if ((rd->pages & (1u << i)) == 0 ||
			    (fp = fdopen(rd->fds[i], "w")) == NULL)
				continue;
			r = i == LIVE_PAGE_REPORT_JSON ?
			    report_json(fp, d->agg, &meta) :
			    report_text(fp, d->agg, &meta);
			if (r == ERR_OK && fflush(fp) == 0 && !ferror(fp))
				res.pages_ok |= 1u << i;
			(void)fclose(fp);
		}
	}
	if (write(wfd, &res, sizeof(res)) != (ssize_t)sizeof(res))
		_exit(1);
	_exit(0);
}

static void	on_child(evutil_socket_t, short, void *);

static void
pages_fail(struct daemon *d, unsigned pages)
{
	size_t i;

	for (i = 0; i < LIVE_PAGE_N; i++)
		if (pages & (1u << i))
			live_page_fail(d->loop, (enum live_page)i);
}

/* Starts a child for what waits, unless one runs. */
static void
start(struct daemon *d)
{
	struct render *rd = d->rd;
	struct timespec t0;
	int pfd[2] = { -1, -1 };
	size_t i;
	pid_t pid, parent;

	if (rd->pid > 0 || (rd->pending == NULL && rd->want == 0))
		return;
	rd->why = rd->pending;
	rd->pages = rd->want;
	rd->pending = NULL;
	rd->want = 0;
	for (i = 0; i < LIVE_PAGE_N; i++)
		if ((rd->pages & (1u << i)) &&
		    (rd->fds[i] = memfd_create("kasaudit-page", MFD_CLOEXEC)) <
		    0)
			goto fail;
	if (pipe2(pfd, O_CLOEXEC) != 0)
		goto fail;
	if (d->ev != NULL)
		evsink_stats(d->ev, &d->ev_st);
	/* Nothing buffered twice: the child's exit does not flush ours. */
	(void)fflush(stdout);
	(void)fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	parent = getpid();
	if ((pid = fork()) < 0)
		goto fail;
	if (pid == 0) {
		(void)close(pfd[0]);
		child_run(d, rd, pfd[1], parent);
	}
	rd->fork_sec = elapsed(&t0);
	if (rd->fork_sec > rd->fork_max)
		rd->fork_max = rd->fork_sec;
	rd->t0 = t0;
	rd->pid = pid;
	(void)close(pfd[1]);
	rd->rfd = pfd[0];
	rd->got = 0;
	memset(&rd->res, 0, sizeof(rd->res));
	if ((rd->ev = event_new(live_base(d->loop), rd->rfd,
	    EV_READ | EV_PERSIST, on_child, d)) == NULL ||
	    event_add(rd->ev, NULL) != 0)
		daemon_render_wait(d);	/* then synchronously */
	return;
fail:
	daemon_log(LOG_ERR, "report%s%s%s failed: cannot start its "
	    "process: %s", rd->why != NULL ? " (" : "",
	    rd->why != NULL ? rd->why : "", rd->why != NULL ? ")" : "",
	    strerror(errno));
	rd->fork_failed++;
	if (pfd[0] >= 0) {
		(void)close(pfd[0]);
		(void)close(pfd[1]);
	}
	for (i = 0; i < LIVE_PAGE_N; i++)
		if (rd->fds[i] >= 0) {
			(void)close(rd->fds[i]);
			rd->fds[i] = -1;
		}
	pages_fail(d, rd->pages);
	if (rd->why != NULL)
		daemon_round_done(d, false);
	rd->why = NULL;
	rd->pages = 0;
}

/* The child is done (the pipe at its end): its result handed on. */
static void
collect(struct daemon *d)
{
	struct render *rd = d->rd;
	struct stat st;
	bool ok;
	size_t i;
	int status = 0;

	if (rd->ev != NULL)
		event_free(rd->ev);
	rd->ev = NULL;
	(void)close(rd->rfd);
	rd->rfd = -1;
	while (waitpid(rd->pid, &status, 0) < 0 && errno == EINTR)
		;
	rd->pid = 0;
	rd->render_sec = elapsed(&rd->t0);
	ok = rd->got == sizeof(rd->res) && rd->res.magic == RENDER_MAGIC &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!ok)
		daemon_log(LOG_ERR, "report process failed (%s %d)",
		    WIFSIGNALED(status) ? "signal" : "exit status",
		    WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
	if (ok && (rd->why == NULL || rd->res.round_ok) &&
	    (rd->res.pages_ok & rd->pages) == rd->pages)
		rd->ok++;
	else
		rd->failed++;
	if (rd->why != NULL)
		daemon_round_done(d, ok && rd->res.round_ok);
	for (i = 0; i < LIVE_PAGE_N; i++) {
		if ((rd->pages & (1u << i)) == 0)
			continue;
		if (ok && (rd->res.pages_ok & (1u << i)) &&
		    fstat(rd->fds[i], &st) == 0)
			(void)live_page_put(d->loop, (enum live_page)i,
			    rd->fds[i], (size_t)st.st_size);
		else {
			(void)close(rd->fds[i]);
			live_page_fail(d->loop, (enum live_page)i);
		}
		rd->fds[i] = -1;
	}
	rd->why = NULL;
	rd->pages = 0;
}

static void
on_child(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	struct render *rd = d->rd;
	ssize_t n;

	(void)what;
	n = read(fd, (char *)&rd->res + rd->got, sizeof(rd->res) - rd->got);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n > 0) {
		rd->got += (size_t)n;
		if (rd->got < sizeof(rd->res))
			return;
	}
	/* The whole result, the end or an error: the child is done.  The
	 * next round forks with the workers' lock held (daemon.h). */
	daemon_lock(d);
	collect(d);
	start(d);
	daemon_unlock(d);
}

void
daemon_render_round(struct daemon *d, const char *why)
{
	struct render *rd = d->rd;
	size_t i;

	if (rd == NULL) {
		(void)daemon_write_reports(d, why);
		return;
	}
	if (rd->pending != NULL)
		rd->skipped++;
	rd->pending = why;
	/* Pages read in this interval are rendered again with the round. */
	for (i = 0; i < N_RENDER_PAGES; i++)
		if (live_page_stale(d->loop, render_pages[i]))
			rd->want |= 1u << render_pages[i];
	start(d);
}

void
daemon_render_want(void *arg, enum live_page page)
{
	struct daemon *d = arg;

	if (d->rd == NULL || (unsigned)page >= LIVE_PAGE_N) {
		live_page_fail(d->loop, page);
		return;
	}
	d->rd->want |= 1u << page;
	start(d);
}

void
daemon_render_wait(struct daemon *d)
{
	struct render *rd = d->rd;
	ssize_t n;

	if (rd == NULL || rd->pid <= 0)
		return;
	while (rd->got < sizeof(rd->res)) {
		n = read(rd->rfd, (char *)&rd->res + rd->got,
		    sizeof(rd->res) - rd->got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		rd->got += (size_t)n;
	}
	collect(d);
}

void
daemon_render_metrics(struct daemon *d, FILE *fp)
{
	struct render *rd = d->rd;
	struct live_page_stats ps;

	if (rd == NULL)
		return;
	live_page_stats(d->loop, &ps);
	fputs("# HELP kasaudit_render_total Report processes (a round's "
	    "files, the report pages), by result.\n"
	    "# TYPE kasaudit_render_total counter\n", fp);
	fprintf(fp, "kasaudit_render_total{result=\"ok\"} %" PRIu64 "\n"
	    "kasaudit_render_total{result=\"failed\"} %" PRIu64 "\n"
	    "kasaudit_render_total{result=\"not_started\"} %" PRIu64 "\n",
	    rd->ok, rd->failed, rd->fork_failed);
	fputs("# HELP kasaudit_report_rounds_skipped_total Report rounds "
	    "dropped: one was already waiting for the previous to end.\n"
	    "# TYPE kasaudit_report_rounds_skipped_total counter\n", fp);
	fprintf(fp, "kasaudit_report_rounds_skipped_total %" PRIu64 "\n",
	    rd->skipped);
	fputs("# HELP kasaudit_render_fork_seconds Time the capture loop "
	    "spent starting the last report process.\n"
	    "# TYPE kasaudit_render_fork_seconds gauge\n", fp);
	fprintf(fp, "kasaudit_render_fork_seconds %.6f\n", rd->fork_sec);
	fputs("# HELP kasaudit_render_fork_max_seconds The longest of those."
	    "\n# TYPE kasaudit_render_fork_max_seconds gauge\n", fp);
	fprintf(fp, "kasaudit_render_fork_max_seconds %.6f\n", rd->fork_max);
	fputs("# HELP kasaudit_render_seconds How long the last report "
	    "process ran (off the capture path).\n"
	    "# TYPE kasaudit_render_seconds gauge\n", fp);
	fprintf(fp, "kasaudit_render_seconds %.3f\n", rd->render_sec);
	fputs("# HELP kasaudit_http_report_requests_total Requests of / and "
	    "/report.json: answered from the interval's cache, waited for a "
	    "render, answered 500 (it failed).\n"
	    "# TYPE kasaudit_http_report_requests_total counter\n", fp);
	fprintf(fp, "kasaudit_http_report_requests_total{result=\"cached\"} %"
	    PRIu64 "\nkasaudit_http_report_requests_total{result=\"waited\"} %"
	    PRIu64 "\nkasaudit_http_report_requests_total{result=\"failed\"} %"
	    PRIu64 "\n", ps.cached, ps.waited, ps.failed);
	fputs("# HELP kasaudit_http_report_requests_waiting Requests waiting "
	    "for a report page.\n"
	    "# TYPE kasaudit_http_report_requests_waiting gauge\n", fp);
	fprintf(fp, "kasaudit_http_report_requests_waiting %zu\n", ps.waiting);
}

void
daemon_render_free(struct daemon *d)
{
	size_t i;

	if (d->rd == NULL)
		return;
	daemon_render_wait(d);
	for (i = 0; i < LIVE_PAGE_N; i++)
		if (d->rd->fds[i] >= 0)
			(void)close(d->rd->fds[i]);
	free(d->rd);
	d->rd = NULL;
}
