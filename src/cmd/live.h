/* live.h - the daemon's event loop: captures, timers, signals, HTTP status.
 * Callbacks into the daemon (cmd_live.c, daemon*.c); no policy here. */
#ifndef KASAUDIT_LIVE_H
#define KASAUDIT_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define LIVE_MAX_SOURCES	64	/* capture descriptors in one loop */

/* What the status endpoint serves; the caller writes the bodies. */
enum live_page {
	LIVE_PAGE_INDEX,	/* "/": the report as text */
	LIVE_PAGE_REPORT_JSON,	/* "/report.json" */
	LIVE_PAGE_METRICS,	/* "/metrics": Prometheus text format 0.0.4 */
	LIVE_PAGE_HEALTH,	/* "/healthz" */
	LIVE_PAGE_N
};

/*
 * The caller's side of the loop.  Every callback runs from the loop, never
 * from a signal handler; arg is live_new()'s.  Any of them may be NULL.
 */
struct live_ops {
	/* Source src's descriptor is readable (level triggered: a callback
	 * that leaves packets waiting is called again). */
	void	(*readable)(void *arg, size_t src);
	/* Every tick: captures whose kernel holds packets back without making
	 * the descriptor readable are read here, counters watched. */
	void	(*tick)(void *arg);
	/* Every report interval, on the monotonic clock. */
	void	(*report)(void *arg);
	/* SIGHUP, SIGUSR1, SIGTERM or SIGINT arrived. */
	void	(*signal)(void *arg, int signo);
	/* Writes a page's body to fp and returns the HTTP status to send
	 * (200; 503 for an unhealthy /healthz; 500 when it failed). */
	int	(*page)(void *arg, enum live_page, FILE *fp);
	/* A page of live_page_async() is asked for and has no fresh body:
	 * hand one in later with live_page_put() (or live_page_fail()).
	 * Called once until then. */
	void	(*want)(void *arg, enum live_page);
};

struct live_http_config {
	const char	*listen;	/* "ADDR:PORT" or "[V6]:PORT"; port 0:
					   any free port (see live_listen) */
	const char	*token;		/* needed as "Authorization: Bearer
					   TOKEN"; NULL: none.  Copied. */
	size_t		 max_conns;	/* open connections; above, accepting
					   pauses (the kernel queues a few) */
	size_t		 max_header_bytes;	/* request line and headers */
	unsigned	 head_timeout_sec;	/* for a whole request head,
						   from its first byte */
	size_t		 max_body_bytes;
	unsigned	 timeout_sec;	/* idle or slow connections closed */
};

struct live_http_stats {
	uint64_t	 requests;	/* answered, whatever the status */
	uint64_t	 unauthorized;	/* 401: token missing or wrong */
	uint64_t	 rejected;	/* 404 and 405 */
	uint64_t	 conns_accepted;
	uint64_t	 conns_capped;	/* times accepting paused at the cap */
	uint64_t	 head_timeouts;	/* closed: head past its deadline */
	uint64_t	 head_too_big;	/* closed: head over max_header_bytes */
	uint64_t	 bad_token;	/* closed: wrong Authorization line */
	uint64_t	 evicted;	/* closed at the cap: the oldest head */
	size_t		 conns_open;
	size_t		 conns_max;	/* the cap */
};

struct live;			/* opaque: defined in live.c */

/*
 * A loop with a tick every tick_ms and a report every report_sec seconds
 * (0: no report timer), SIGHUP, SIGUSR1, SIGTERM and SIGINT caught, SIGPIPE
 * ignored.  ops is copied.  NULL with errbuf on failure.
 */
struct live	*live_new(const struct live_ops *, void *arg, unsigned tick_ms,
		    unsigned report_sec, char *errbuf);
void		 live_free(struct live *);	/* NULL-safe; closes sockets */

/* Watches fd (owned by the caller) for reading as source number src
 * (< LIVE_MAX_SOURCES).  ERR_FULL, ERR_NOMEM or ERR_IO with errbuf. */
int	live_add_source(struct live *, int fd, size_t src, char *errbuf);
/* Stops watching source src (its capture failed).  Unknown src: no-op. */
void	live_remove_source(struct live *, size_t src);

/*
 * Opens the status endpoint: GET and HEAD of the four pages, 404 for other
 * paths, 405 for other methods, 401 without the token (compared in constant
 * time), requests and connections bounded as cfg says.  bound gets the
 * address actually listened on ("127.0.0.1:9187").  ERR_MALFORMED (bad
 * address) or ERR_IO (bind, listen) with errbuf.  Once only.
 */
int	live_listen(struct live *, const struct live_http_config *cfg,
	    char *bound, size_t bound_len, char *errbuf);
const struct live_http_stats *live_http_stats(const struct live *);

/*
 * Pages rendered off the loop (live_page.c).  A request for a page made
 * async is answered with the body last put while it is fresh, i.e. put
 * less than max_age_ms ago (0: no limit) and not made stale since (every
 * request meanwhile gets the same bytes); without one it waits (at most one per connection,
 * so --max-connections bounds them) and ops.want asks for a body.
 * live_page_put() takes fd (a file of len bytes, read from offset 0, e.g. a
 * memfd), answers the waiting requests and makes it the fresh body;
 * live_page_stale() makes the next request ask for a new one (the report
 * interval) and says whether the page was asked for since the last
 * live_page_stale(), so that it can be rendered again at once;
 * live_page_fail() answers the waiting requests with 500.
 */
int	live_page_async(struct live *, enum live_page, unsigned max_age_ms);
int	live_page_put(struct live *, enum live_page, int fd, size_t len);
bool	live_page_stale(struct live *, enum live_page);
void	live_page_fail(struct live *, enum live_page);
/* Pages served from the cache, requests that waited, waiting now. */
struct live_page_stats {
	uint64_t	 cached;
	uint64_t	 waited;
	uint64_t	 failed;
	size_t		 waiting;
};
void	live_page_stats(struct live *, struct live_page_stats *);

/* Runs the loop until live_stop().  ERR_OK, or ERR_IO if it failed. */
int	live_run(struct live *);
/* Makes live_run() return once the current callback is done. */
void	live_stop(struct live *);

/* ---- stream servers: resolvers sending Frame Streams (live_stream.c) -- */

#define LIVE_MAX_STREAM_LISTENERS	8

struct live_conn;		/* opaque: one accepted connection */

/* The caller's side of a stream listener; arg is live_stream_listen()'s. */
struct live_stream_ops {
	/*
	 * A connection was accepted on listener ln (peer: "ADDR:PORT" or
	 * "unix"): returns the caller's state for it, or NULL to close it.
	 */
	void	*(*open)(void *arg, size_t ln, struct live_conn *,
		    const char *peer);
	/*
	 * Bytes arrived, [p, p + len) all that is buffered: returns how many
	 * were used (the rest is offered again with more), and in *need how
	 * many in all it wants before the next call (at most the listener's
	 * max_buffer); -1 closes the connection once what was sent is out.
	 */
	long	(*data)(void *arg, void *conn, const uint8_t *p, size_t len,
		    size_t *need);
	/* The connection is gone (why: "closed", an error); the caller
	 * frees its state.  Called once per open() that returned non-NULL. */
	void	(*close)(void *arg, void *conn, const char *why);
};

/*
 * Listens on "unix:PATH" (a stale socket there is replaced; mode 0666, so
 * a resolver running as another user can connect: the directory is the
 * access control) or "tcp:ADDR:PORT" as listener ln.  At most max_conns
 * connections at once (more are closed at once and counted); each buffers
 * at most max_buffer bytes.  ERR_MALFORMED, ERR_IO or ERR_FULL with errbuf.
 */
int	live_stream_listen(struct live *, const char *spec, size_t ln,
	    const struct live_stream_ops *, void *arg, size_t max_conns,
	    size_t max_buffer, char *errbuf);
/* Queues bytes to send on c.  ERR_NOMEM, else ERR_OK. */
int	live_conn_send(struct live_conn *c, const void *p, size_t len);
/* Connections accepted, refused (over max_conns), open now. */
struct live_stream_stats {
	uint64_t	 accepted;
	uint64_t	 refused;
	size_t		 open;
};
const struct live_stream_stats *live_stream_stats(const struct live *,
	    size_t ln);
/* Closes every connection (close called for each) and the listeners,
 * removing unix sockets; before live_free(). */
void	live_stream_close_all(struct live *);

/* "90", "30s", "5m", "1h", "1d" to seconds (1 to 30 days).  False if not. */
bool	live_parse_duration(const char *s, unsigned *sec);

#endif
