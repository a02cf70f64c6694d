/* evsink.c - the live event stream (evsink.h): a byte ring of length-framed
 * records, a writer thread, files reopened on SIGHUP, RFC 5424 syslog. */
#define _GNU_SOURCE		/* pthread_tryjoin_np */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "err.h"
#include "evsink.h"

#define RETRY_SEC	1	/* between attempts to open or connect */
#define POLL_MS		10	/* while waiting for the writer to end */
#define ABANDON_MS	2000	/* then it is left to the process's exit */
#define HOST_MAX	256

struct evsink {
	/* Set up once, then read only. */
	char			*path;		/* file or socket path */
	bool			 syslog;
	bool			 is_stdout;
	unsigned		 mode;
	struct report_events	 cfg;
	char			 host[HOST_MAX];
	long			 pid;
	/* The capture's side: the scratch line and its stream. */
	char			*line;
	FILE			*line_fp;
	/* Shared, under mu. */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	uint8_t			*ring;
	size_t			 cap, head, used;	/* head: oldest byte */
	bool			 stop, reopen;
	bool			 abandon;	/* stop now: writes are cut */
	struct evsink_stats	 st;
	/* The writer's own. */
	pthread_t		 thread;
	bool			 started;
	int			 fd;		/* -1: not open */
	time_t			 retry_at;
	bool			 complained;	/* logged the current failure */
	uint8_t			*wbuf;		/* one record */
};

/* A writer that could not be stopped, kept reachable until the exit. */
static struct evsink *stuck;

/* ---- the queue ------------------------------------------------------- */

static void
ring_put(struct evsink *e, const void *p, size_t n)
{
	size_t tail = (e->head + e->used) % e->cap, first;

	first = e->cap - tail < n ? e->cap - tail : n;
	memcpy(e->ring + tail, p, first);
	memcpy(e->ring, (const uint8_t *)p + first, n - first);
	e->used += n;
}

static void
ring_get(struct evsink *e, void *p, size_t n)
{
	size_t first = e->cap - e->head < n ? e->cap - e->head : n;

	memcpy(p, e->ring + e->head, first);
	memcpy((uint8_t *)p + first, e->ring, n - first);
	e->head = (e->head + n) % e->cap;
	e->used -= n;
}

/* The records queued, counted without taking them. */
static uint64_t
ring_count(const struct evsink *e)
{
	size_t at = e->head, left = e->used, i;
	uint32_t len;
	uint64_t n = 0;

	while (left >= sizeof(len)) {
		for (i = 0; i < sizeof(len); i++)
			((uint8_t *)&len)[i] = e->ring[(at + i) % e->cap];
		at = (at + sizeof(len) + len) % e->cap;
		left -= sizeof(len) + len;
		n++;
	}
	return n;
}

/* ---- the capture's side ---------------------------------------------- */

/* "<29>1 2026-12-07T00:00:00.123456Z host kasaudit 42 match " (RFC 5424
 * 6: daemon.notice, version 1, the time it was sent, not packet time). */
static void
syslog_head(struct evsink *e, FILE *fp)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	fprintf(fp, "<%d>1 %04d-%02d-%02dT%02d:%02d:%02d.%06ldZ %s kasaudit "
	    "%ld match ", LOG_DAEMON | LOG_NOTICE, tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000, e->host, e->pid);
}

void
evsink_put(struct evsink *e, const struct obs *o, const struct match_sig *sig)
{
	FILE *fp = e->line_fp;
	uint32_t len;
	long n;
	bool ok;

	rewind(fp);
	clearerr(fp);
	if (e->syslog) {
		/* HEADER SP STRUCTURED-DATA SP MSG: the line as the
		 * --events-format says, without its newline. */
		syslog_head(e, fp);
		(void)report_event_sd(fp, EVSINK_SD_ID, &e->cfg, o, sig);
		putc(' ', fp);
	}
	(void)report_event_as(fp, &e->cfg, o, sig);
	ok = fflush(fp) == 0 && !ferror(fp) && (n = ftell(fp)) > 0 &&
	    n < EVSINK_LINE_MAX;
	if (ok && e->syslog)
		n--;				/* the newline */
	pthread_mutex_lock(&e->mu);
	if (!ok)
		e->st.failed++;			/* longer than a line may be */
	else if (e->cap - e->used < sizeof(len) + (size_t)n)
		e->st.dropped++;
	else {
		len = (uint32_t)n;
		ring_put(e, &len, sizeof(len));
		ring_put(e, e->line, (size_t)n);
		e->st.queued = e->used;
		pthread_cond_signal(&e->cv);
	}
	pthread_mutex_unlock(&e->mu);
}

void
evsink_reopen(struct evsink *e)
{
	if (e == NULL || e->is_stdout)
		return;
	pthread_mutex_lock(&e->mu);
	e->reopen = true;
	pthread_cond_signal(&e->cv);
	pthread_mutex_unlock(&e->mu);
}

void
evsink_stats(struct evsink *e, struct evsink_stats *st)
{
	pthread_mutex_lock(&e->mu);
	*st = e->st;
	pthread_mutex_unlock(&e->mu);
}

/* ---- the writer thread ----------------------------------------------- */

/* Logs the first failure of a run of them, and the recovery. */
static void
complain(struct evsink *e, const char *what)
{
	if (e->complained)
		return;
	e->complained = true;
	daemon_log(LOG_ERR, "events: %s %s: %s; retrying every %ds",
	    e->syslog ? "syslog" : "file", e->path, what, RETRY_SEC);
}

/* The writer's wake-up call: interrupts a blocked write, open or send
 * (EINTR: no SA_RESTART) when the daemon is stopping. */
static void
on_wake(int signo)
{
	(void)signo;
}

static bool
abandoned(struct evsink *e)
{
	bool a;

	pthread_mutex_lock(&e->mu);
	a = e->abandon;
	pthread_mutex_unlock(&e->mu);
	return a;
}

/* Opens the file or connects the socket, at most once per RETRY_SEC;
 * blocking (a FIFO waits for its reader) until the wake-up signal. */
static bool
writer_open(struct evsink *e)
{
	struct sockaddr_un sun;
	time_t now = time(NULL);
	int fd;

	if (e->fd >= 0)
		return true;
	if (now < e->retry_at)
		return false;
	e->retry_at = now + RETRY_SEC;
	if (e->syslog) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path, e->path, strlen(e->path));
		if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) >= 0 &&
		    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
			close(fd);
			fd = -1;
		}
	} else
		fd = open(e->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
		    O_NOCTTY, e->mode);
	if (fd < 0) {
		complain(e, strerror(errno));
		return false;
	}
	e->fd = fd;
	if (e->complained)
		daemon_log(LOG_INFO, "events: %s open again", e->path);
	e->complained = false;
	return true;
}

static void
writer_close(struct evsink *e)
{
	if (e->fd >= 0 && !e->is_stdout)
		close(e->fd);
	if (!e->is_stdout)
		e->fd = -1;
}

/* One record out whole; a failure closes the descriptor (reopened on the
 * next record).  Waits as long as the disk or reader does, unless told to
 * give up (abandon and the wake-up signal). */
static bool
writer_emit(struct evsink *e, const uint8_t *p, size_t n)
{
	ssize_t w = 0;

	if (!writer_open(e))
		return false;
	for (;;) {
		if (e->syslog)
			w = send(e->fd, p, n, MSG_NOSIGNAL);
		else if ((w = write(e->fd, p, n)) > 0) {
			p += w;
			n -= (size_t)w;
			if (n > 0)
				continue;
		}
		if (w >= 0 || errno != EINTR || abandoned(e))
			break;
	}
	if (e->syslog ? w == (ssize_t)n : n == 0)
		return true;
	if (w < 0 && errno == EINTR)
		return false;			/* given up at the end */
	complain(e, w < 0 ? strerror(errno) : "short write");
	writer_close(e);
	e->retry_at = 0;
	return false;
}

static void *
writer_main(void *arg)
{
	struct evsink *e = arg;
	uint32_t len;
	bool ok;

	sigset_t wake;

	/* Only the wake-up call reaches this thread. */
	sigemptyset(&wake);
	sigaddset(&wake, EVSINK_WAKE_SIG);
	pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
	pthread_mutex_lock(&e->mu);
	for (;;) {
		while (!e->stop && !e->reopen && e->used == 0)
			pthread_cond_wait(&e->cv, &e->mu);
		if (e->abandon)
			break;			/* the rest is dropped */
		if (e->reopen) {
			e->reopen = false;
			pthread_mutex_unlock(&e->mu);
			writer_close(e);
			e->retry_at = 0;
			e->complained = false;
			(void)writer_open(e);
			pthread_mutex_lock(&e->mu);
			e->st.reopened++;
			continue;
		}
		if (e->used == 0)
			break;			/* stopping, all written */
		ring_get(e, &len, sizeof(len));
		ring_get(e, e->wbuf, len);
		e->st.queued = e->used;
		pthread_mutex_unlock(&e->mu);
		ok = writer_emit(e, e->wbuf, len);
		pthread_mutex_lock(&e->mu);
		if (ok)
			e->st.written++;
		else if (e->abandon)
			e->st.dropped++;	/* cut short at the end */
		else
			e->st.failed++;
	}
	pthread_mutex_unlock(&e->mu);
	return NULL;
}

/* ---- set-up and end -------------------------------------------------- */

struct evsink *
evsink_new(const char *target, size_t queue_bytes,
    const struct report_events *cfg, unsigned mode, char *errbuf)
{
	struct evsink *e;
	struct stat st;
	const char *path = target;
	bool is_syslog = false;
	int fd;

	if (strcmp(target, "syslog") == 0 ||
	    strncmp(target, "syslog:", 7) == 0) {
		is_syslog = true;
		path = target[6] == ':' ? target + 7 : EVSINK_DEV_LOG;
		if (path[0] == '\0' || strlen(path) >=
		    sizeof(((struct sockaddr_un *)0)->sun_path)) {
			snprintf(errbuf, ERRBUF_LEN, "--events %s: not a socket "
			    "path", target);
			return NULL;
		}
	}
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->path = strdup(path)) == NULL ||
	    (e->ring = malloc(queue_bytes)) == NULL ||
	    (e->line = malloc(EVSINK_LINE_MAX)) == NULL ||
	    (e->wbuf = malloc(EVSINK_LINE_MAX)) == NULL ||
	    (e->line_fp = fmemopen(e->line, EVSINK_LINE_MAX, "w")) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "--events: out of memory");
		goto fail;
	}
	/* The stream writes into line itself, no buffer of its own. */
	setvbuf(e->line_fp, NULL, _IONBF, 0);
	pthread_mutex_init(&e->mu, NULL);
	pthread_cond_init(&e->cv, NULL);
	e->cap = queue_bytes;
	e->st.capacity = queue_bytes;
	e->syslog = is_syslog;
	e->mode = mode;
	e->cfg = *cfg;
	e->fd = -1;
	e->pid = (long)getpid();
	if (gethostname(e->host, sizeof(e->host)) != 0 || e->host[0] == '\0')
		strcpy(e->host, "-");
	e->host[sizeof(e->host) - 1] = '\0';
	/* RFC 5424 6.2.4: printable US-ASCII, no space. */
	for (char *h = e->host; *h != '\0'; h++)
		if (*h <= ' ' || *h > '~')
			*h = '_';
	e->cfg.observer = e->host;		/* ECS observer.hostname */
	if (strcmp(path, "-") == 0 && !is_syslog) {
		e->is_stdout = true;
		e->fd = STDOUT_FILENO;
		return e;
	}
	if (is_syslog)
		return e;			/* connected by the writer */
	/* A bad path fails now; a FIFO with no reader yet is the writer's
	 * to wait for. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK, mode);
	if (fd < 0 && !(errno == ENXIO && stat(path, &st) == 0 &&
	    S_ISFIFO(st.st_mode))) {
		snprintf(errbuf, ERRBUF_LEN, "--events %s: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (fd >= 0 && fcntl(fd, F_SETFL, O_WRONLY | O_APPEND) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "--events %s: %s", path,
		    strerror(errno));
		close(fd);
		goto fail;
	}
	e->fd = fd;
	return e;
fail:
	if (e != NULL && e->line_fp != NULL) {
		fclose(e->line_fp);
		pthread_mutex_destroy(&e->mu);
		pthread_cond_destroy(&e->cv);
	}
	if (e != NULL) {
		free(e->path);
		free(e->ring);
		free(e->line);
		free(e->wbuf);
	}
	free(e);
	return NULL;
}

int
evsink_start(struct evsink *e, char *errbuf)
{
	struct sigaction sa;
	sigset_t all, old;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_wake;		/* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	if (sigaction(EVSINK_WAKE_SIG, &sa, NULL) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "--events: %s", strerror(errno));
		return ERR_IO;
	}
	/* Signals stay with the loop's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&e->thread, NULL, writer_main, e);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		snprintf(errbuf, ERRBUF_LEN, "--events: cannot start the "
		    "writer: %s", strerror(r));
		return ERR_NOMEM;
	}
	e->started = true;
	return ERR_OK;
}

/* Waits up to ms for the writer to end; true when it did. */
static bool
join_within(struct evsink *e, unsigned ms, bool wake)
{
	unsigned t;

	for (t = 0;; t += POLL_MS) {
		if (pthread_tryjoin_np(e->thread, NULL) == 0)
			return true;
		if (t >= ms)
			return false;
		if (wake)
			pthread_kill(e->thread, EVSINK_WAKE_SIG);
		usleep(POLL_MS * 1000);
	}
}

void
evsink_free(struct evsink *e, unsigned wait_ms, struct evsink_stats *final)
{
	uint32_t len;

	if (e == NULL)
		return;
	if (e->started) {
		pthread_mutex_lock(&e->mu);
		e->stop = true;
		pthread_cond_signal(&e->cv);
		pthread_mutex_unlock(&e->mu);
		if (!join_within(e, wait_ms, false)) {
			/* Stuck on a FIFO nobody reads or a stalled socket:
			 * its write is interrupted (again and again, in case
			 * the signal came just before it). */
			pthread_mutex_lock(&e->mu);
			e->abandon = true;
			pthread_mutex_unlock(&e->mu);
			if (!join_within(e, ABANDON_MS, true)) {
				/* A write the kernel does not interrupt (a
				 * hung NFS server): left to the exit, with
				 * what it uses. */
				pthread_mutex_lock(&e->mu);
				e->st.dropped += ring_count(e) + 1;
				e->st.queued = 0;
				if (final != NULL)
					*final = e->st;
				pthread_mutex_unlock(&e->mu);
				pthread_detach(e->thread);
				stuck = e;
				return;
			}
		}
	}
	/* What is left was never written. */
	while (e->used >= sizeof(len)) {
		ring_get(e, &len, sizeof(len));
		ring_get(e, e->wbuf, len);
		e->st.dropped++;
	}
	e->st.queued = 0;
	if (final != NULL)
		*final = e->st;
	writer_close(e);
	fclose(e->line_fp);
	pthread_mutex_destroy(&e->mu);
	pthread_cond_destroy(&e->cv);
	free(e->path);
	free(e->ring);
	free(e->line);
	free(e->wbuf);
	free(e);
}
