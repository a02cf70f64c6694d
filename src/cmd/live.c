/* live.c - libevent loop, signals and the status endpoint (RFC 9110, 6750).
 * Owns the libevent base, capture descriptors, timers, signals, HTTP. */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "live.h"
#include "live_int.h"

#define LIVE_BACKLOG	16	/* connections the kernel queues for us */
#define LIVE_TOKEN_MAX	4096
/* The part of a head line kept to check its token: the name, blanks and
 * "Bearer TOKEN"; a longer Authorization line is a wrong token. */
#define LIVE_LINE_KEEP	(LIVE_TOKEN_MAX + 64)

/*
 * One status connection, from accept to close.  While a request head is
 * coming in, the connection is on its loop's queue of heads (oldest
 * first) with a deadline counted from its first byte (from accept for the
 * first head), not from its last: a client sending one line every few
 * seconds is closed at the deadline all the same.
 */
struct live_conn {
	struct live		*l;
	struct bufferevent	*bev;		/* a reference of ours */
	struct event		*deadline;
	TAILQ_ENTRY(live_conn)	 q;
	bool			 in_head;	/* on the queue */
	bool			 closing;	/* shut down; evhttp frees it */
	bool			 authed;	/* a right token in this head */
	bool			 line_long;	/* beyond LIVE_LINE_KEEP */
	size_t			 lines;		/* of this head */
	size_t			 head_bytes;
	size_t			 line_len;
	char			 line[LIVE_LINE_KEEP + 1];
};
TAILQ_HEAD(live_conn_q, live_conn);

static const int live_signals[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };
#define LIVE_N_SIGNALS	(sizeof(live_signals) / sizeof(live_signals[0]))

/* What a capture descriptor's event hands its callback. */
struct live_src_arg {
	struct live	*l;
	size_t		 src;
};

struct live {
	struct live_ops		 ops;
	void			*arg;
	struct event_base	*base;
	struct event		*tick;
	struct event		*report;
	struct event		*sig[LIVE_N_SIGNALS];
	struct event		*src[LIVE_MAX_SOURCES];
	struct live_src_arg	 src_arg[LIVE_MAX_SOURCES];

	/* status endpoint */
	struct evhttp		*http;
	struct evhttp_bound_socket *bound;
	char			*auth;		/* "Bearer TOKEN", or NULL */
	size_t			 auth_len;
	struct live_http_stats	 hs;
	bool			 paused;	/* not accepting: at the cap */
	struct event		*settle;	/* live_conn_settle() */
	struct live_conn_q	 heads;		/* reading a head, oldest first */
	struct timeval		 head_tv;	/* time for a whole head */
	size_t			 head_max;	/* bytes of a head */
	struct live_conn	**pending;	/* close callback not set yet */
	size_t			 n_pending;
	size_t			 pending_cap;
	struct sigaction	 old_pipe;
	bool			 pipe_saved;
	struct live_streams	*streams;	/* live_stream.c's */
	struct live_pagecache	*pc;		/* live_page.c's */
};

static void	live_conn_settle(evutil_socket_t, short, void *);

static const struct {
	const char	*path;
	const char	*type;
} live_pages[LIVE_PAGE_N] = {
	[LIVE_PAGE_INDEX] = { "/", "text/plain; charset=utf-8" },
	[LIVE_PAGE_REPORT_JSON] = { "/report.json", "application/json" },
	[LIVE_PAGE_METRICS] = { "/metrics",
	    "text/plain; version=0.0.4; charset=utf-8" },
	[LIVE_PAGE_HEALTH] = { "/healthz", "text/plain; charset=utf-8" },
};

/* ---- timers, signals, sources ----------------------------------------- */

static void
live_on_tick(evutil_socket_t fd, short what, void *p)
{
	struct live *l = p;

	(void)fd;
	(void)what;
	if (l->ops.tick != NULL)
		l->ops.tick(l->arg);
}

static void
live_on_report(evutil_socket_t fd, short what, void *p)
{
	struct live *l = p;

	(void)fd;
	(void)what;
	if (l->ops.report != NULL)
		l->ops.report(l->arg);
}

static void
live_on_signal(evutil_socket_t signo, short what, void *p)
{
	struct live *l = p;

	(void)what;
	if (l->ops.signal != NULL)
		l->ops.signal(l->arg, (int)signo);
}

static void
live_on_readable(evutil_socket_t fd, short what, void *p)
{
	const struct live_src_arg *a = p;

	(void)fd;
	(void)what;
	if (a->l->ops.readable != NULL)
		a->l->ops.readable(a->l->arg, a->src);
}

int
live_add_source(struct live *l, int fd, size_t src, char *errbuf)
{
	if (src >= LIVE_MAX_SOURCES || l->src[src] != NULL) {
		snprintf(errbuf, ERRBUF_LEN, "capture %zu: no slot (at most "
		    "%d)", src, LIVE_MAX_SOURCES);
		return ERR_FULL;
	}
	l->src_arg[src].l = l;
	l->src_arg[src].src = src;
	if ((l->src[src] = event_new(l->base, fd, EV_READ | EV_PERSIST,
	    live_on_readable, &l->src_arg[src])) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "capture %zu: %s", src,
		    strerror(ENOMEM));
		return ERR_NOMEM;
	}
	if (event_add(l->src[src], NULL) != 0) {
		event_free(l->src[src]);
		l->src[src] = NULL;
		snprintf(errbuf, ERRBUF_LEN, "capture %zu: cannot watch "
		    "descriptor %d", src, fd);
		return ERR_IO;
	}
	return ERR_OK;
}

void
live_remove_source(struct live *l, size_t src)
{
	if (src >= LIVE_MAX_SOURCES || l->src[src] == NULL)
		return;
	event_free(l->src[src]);
	l->src[src] = NULL;
}

static struct event *
live_timer(struct live *l, unsigned ms, event_callback_fn fn)
{
	struct timeval tv;
	struct event *ev;

	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	if ((ev = event_new(l->base, -1, EV_PERSIST, fn, l)) == NULL)
		return NULL;
	if (event_add(ev, &tv) != 0) {
		event_free(ev);
		return NULL;
	}
	return ev;
}

struct live *
live_new(const struct live_ops *ops, void *arg, unsigned tick_ms,
    unsigned report_sec, char *errbuf)
{
	struct event_config *cfg = NULL;
	struct sigaction sa;
	struct live *l;
	size_t i;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		goto nomem;
	l->ops = *ops;
	l->arg = arg;
	TAILQ_INIT(&l->heads);
	/*
	 * Timers run on the monotonic clock, so a report interval survives
	 * the wall clock being set; the precise one costs nothing here.
	 */
	if ((cfg = event_config_new()) == NULL)
		goto nomem;
	(void)event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
	l->base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (l->base == NULL)
		goto nomem;
	if (tick_ms > 0 &&
	    (l->tick = live_timer(l, tick_ms, live_on_tick)) == NULL)
		goto nomem;
	if (report_sec > 0 && (l->report = live_timer(l,
	    report_sec > UINT_MAX / 1000 ? UINT_MAX : report_sec * 1000,
	    live_on_report)) == NULL)
		goto nomem;
	for (i = 0; i < LIVE_N_SIGNALS; i++) {
		l->sig[i] = evsignal_new(l->base, live_signals[i],
		    live_on_signal, l);
		if (l->sig[i] == NULL || event_add(l->sig[i], NULL) != 0) {
			snprintf(errbuf, ERRBUF_LEN, "signal %d: cannot catch",
			    live_signals[i]);
			live_free(l);
			return NULL;
		}
	}
	/* A status client that hangs up mid-reply is not a reason to die. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPIPE, &sa, &l->old_pipe) == 0)
		l->pipe_saved = true;
	return l;
nomem:
	snprintf(errbuf, ERRBUF_LEN, "event loop: %s", strerror(ENOMEM));
	live_free(l);
	return NULL;
}

void
live_free(struct live *l)
{
	size_t i;

	if (l == NULL)
		return;
	live_stream_close_all(l);
	for (i = 0; i < LIVE_MAX_SOURCES; i++)
		if (l->src[i] != NULL)
			event_free(l->src[i]);
	for (i = 0; i < LIVE_N_SIGNALS; i++)
		if (l->sig[i] != NULL)
			event_free(l->sig[i]);
	if (l->tick != NULL)
		event_free(l->tick);
	if (l->report != NULL)
		event_free(l->report);
	live_page_free(l);		/* answers requests still waiting */
	l->bound = NULL;		/* freed first: live_conn_closed() */
	if (l->http != NULL)
		evhttp_free(l->http);	/* closes the socket, connections */
	l->http = NULL;
	if (l->settle != NULL) {
		live_conn_settle(-1, 0, l);	/* drops our references */
		event_free(l->settle);
	}
	free(l->pending);
	if (l->base != NULL)
		event_base_free(l->base);
	if (l->pipe_saved)
		(void)sigaction(SIGPIPE, &l->old_pipe, NULL);
	if (l->auth != NULL) {
		memset(l->auth, 0, l->auth_len);
		free(l->auth);
	}
	free(l);
}

struct live_pagecache **
live_pagecache(struct live *l)
{
	return &l->pc;
}

const struct live_ops *
live_get_ops(const struct live *l, void **arg)
{
	*arg = l->arg;
	return &l->ops;
}

struct live_http_stats *
live_hs(struct live *l)
{
	return &l->hs;
}

struct event_base *
live_base(struct live *l)
{
	return l->base;
}

struct live_streams **
live_streams(struct live *l)
{
	return &l->streams;
}

int
live_run(struct live *l)
{
	if (event_base_dispatch(l->base) < 0)
		return ERR_IO;
	return ERR_OK;
}

void
live_stop(struct live *l)
{
	(void)event_base_loopbreak(l->base);
}

/* ---- status endpoint -------------------------------------------------- */

/* Equal strings, in time that depends only on the length of want. */
static bool
live_token_ok(const char *got, const char *want, size_t want_len)
{
	size_t got_len = strnlen(got, LIVE_TOKEN_MAX + 64), i;
	volatile unsigned char diff = got_len != want_len;

	for (i = 0; i < want_len; i++)
		diff |= (unsigned char)((i < got_len ? got[i] : 0) ^ want[i]);
	return diff == 0;
}

/* The headers of every reply; true for a HEAD request, which has been
 * answered (its length set, no body: libevent 2.1 would send a HEAD
 * reply's body to an HTTP/1.0 client and omit its length). */
bool
live_reply_head(struct evhttp_request *req, int code, const char *reason,
    enum live_page page, size_t len)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	char clen[32];

	evhttp_add_header(h, "Content-Type", live_pages[page].type);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	if (evhttp_request_get_command(req) != EVHTTP_REQ_HEAD)
		return false;
	snprintf(clen, sizeof(clen), "%zu", len);
	evhttp_add_header(h, "Content-Length", clen);
	evhttp_send_reply(req, code, reason, NULL);
	return true;
}

static void
live_reply(struct evhttp_request *req, int code, const char *reason,
    enum live_page page, const char *body, size_t len)
{
	struct evbuffer *b = NULL;

	if (live_reply_head(req, code, reason, page, len))
		return;
	b = evbuffer_new();
	if (b != NULL && len > 0 && evbuffer_add(b, body, len) != 0) {
		evbuffer_free(b);
		b = NULL;
		code = 500;
		reason = "Internal Server Error";
	}
	evhttp_send_reply(req, code, reason, b);
	if (b != NULL)
		evbuffer_free(b);
}

static void
live_on_request(struct evhttp_request *req, void *p)
{
	struct live *l = p;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const char *path, *auth, *reason = "OK";
	char *body = NULL;
	size_t len = 0, i;
	FILE *fp;
	int code;

	l->hs.requests++;
	if (l->auth != NULL) {
		auth = evhttp_find_header(evhttp_request_get_input_headers(req),
		    "Authorization");
		if (auth == NULL || !live_token_ok(auth, l->auth,
		    l->auth_len)) {
			l->hs.unauthorized++;
			evhttp_add_header(out, "WWW-Authenticate",
			    "Bearer realm=\"kasaudit\"");
			/* Answered, then closed: no second try on it. */
			evhttp_add_header(out, "Connection", "close");
			live_reply(req, 401, "Unauthorized",
			    LIVE_PAGE_HEALTH,
			    "unauthorized\n", 13);
			return;
		}
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		l->hs.rejected++;
		evhttp_add_header(out, "Allow", "GET, HEAD");
		live_reply(req, 405, "Method Not Allowed",
		    LIVE_PAGE_HEALTH, "read-only\n", 10);
		return;
	}
	path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	for (i = 0; path != NULL && i < LIVE_PAGE_N; i++)
		if (strcmp(path, live_pages[i].path) == 0)
			break;
	if (path == NULL || i == LIVE_PAGE_N) {
		l->hs.rejected++;
		live_reply(req, 404, "Not Found",
		    LIVE_PAGE_HEALTH, "not found\n", 10);
		return;
	}
	/* A page rendered off the loop: cached, or the request waits. */
	if (live_page_request(l, req, (enum live_page)i))
		return;
	/* Set-up work per request, not per packet: a buffer is fine. */
	code = 500;
	if ((fp = open_memstream(&body, &len)) != NULL) {
		code = l->ops.page != NULL ? l->ops.page(l->arg,
		    (enum live_page)i, fp) : 404;
		if (fclose(fp) != 0)
			code = 500;
	}
	switch (code) {
	case 200:
		break;
	case 503:
		reason = "Service Unavailable";
		break;
	case 404:
		reason = "Not Found";
		break;
	default:
		code = 500;
		reason = "Internal Server Error";
		len = 0;
		break;
	}
	live_reply(req, code, reason, (enum live_page)i,
	    body != NULL ? body : "", body != NULL ? len : 0);
	free(body);
}

/*
 * libevent 2.1 has no cap on a server's connections, so we count them: a
 * connection is born in live_conn_new(), which makes its bufferevent, and
 * dies in live_conn_closed(), its close callback.  That callback can only be
 * set on the evhttp_connection, which evhttp makes after live_conn_new()
 * returns; live_conn_settle() sets it from the next loop turn, finding the
 * connection as the bufferevent's callback argument.  Our reference keeps
 * the bufferevent's memory valid until the connection is counted closed; if
 * evhttp already freed the connection by then, its callbacks are cleared
 * and it is counted as closed at once.
 *
 * libevent 2.1 also has no bound on the time a whole request head takes
 * (its timeout is idle time) and reads the Authorization header only once
 * the head is complete.  So the bytes of every head are watched as they
 * arrive (a callback on the input buffer, called before evhttp parses
 * them): a head over its deadline or its size, or with a wrong token, has
 * its socket shut down at once, which evhttp sees as the client's end.  At
 * the cap the connection that has spent longest on its head makes room;
 * when every connection is past its head, accepting pauses instead.
 */
static void
live_conn_shut(struct live_conn *c, uint64_t *counter)
{
	evutil_socket_t fd;

	if (c->closing)
		return;
	c->closing = true;
	(*counter)++;
	if (c->in_head) {
		TAILQ_REMOVE(&c->l->heads, c, q);
		c->in_head = false;
	}
	(void)event_del(c->deadline);
	if ((fd = bufferevent_getfd(c->bev)) >= 0)
		(void)shutdown(fd, SHUT_RDWR);
}

static void
live_conn_late(evutil_socket_t fd, short what, void *p)
{
	struct live_conn *c = p;

	(void)fd;
	(void)what;
	if (c->in_head)
		live_conn_shut(c, &c->l->hs.head_timeouts);
}

/* A head begins: the deadline runs, the connection queues last. */
static void
live_head_start(struct live_conn *c)
{
	c->in_head = true;
	c->authed = false;
	c->line_long = false;
	c->lines = c->head_bytes = c->line_len = 0;
	TAILQ_INSERT_TAIL(&c->l->heads, c, q);
	(void)event_add(c->deadline, &c->l->head_tv);
}

/* A complete line of a head (CR LF or LF stripped). */
static void
live_head_line(struct live_conn *c)
{
	static const char name[] = "authorization:";
	struct live *l = c->l;
	size_t n = c->line_len, i = sizeof(name) - 1;

	if (n == 0) {
		if (c->lines == 0)	/* blank lines before a request */
			return;
		TAILQ_REMOVE(&l->heads, c, q);
		c->in_head = false;
		(void)event_del(c->deadline);
		return;
	}
	c->lines++;
	if (l->auth == NULL || c->lines == 1 || n < i ||
	    strncasecmp(c->line, name, i) != 0)
		return;
	while (i < n && (c->line[i] == ' ' || c->line[i] == '\t'))
		i++;
	while (n > i && (c->line[n - 1] == ' ' || c->line[n - 1] == '\t'))
		n--;
	c->line[n] = '\0';
	if (!c->line_long && !c->authed &&
	    live_token_ok(c->line + i, l->auth, l->auth_len))
		c->authed = true;
	else
		live_conn_shut(c, &l->hs.bad_token);
}

static void
live_head_bytes(struct live_conn *c, const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n && !c->closing; i++) {
		if (!c->in_head)
			live_head_start(c);
		if (++c->head_bytes > c->l->head_max) {
			live_conn_shut(c, &c->l->hs.head_too_big);
			break;
		}
		if (b[i] == '\n') {
			if (c->line_len > 0 && c->line[c->line_len - 1] == '\r')
				c->line_len--;
			live_head_line(c);
			c->line_len = 0;
			c->line_long = false;
		} else if (c->line_len < LIVE_LINE_KEEP)
			c->line[c->line_len++] = (char)b[i];
		else
			c->line_long = true;
	}
}

/* Bytes added to a connection's input: what evhttp is about to parse. */
static void
live_conn_input(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *p)
{
	struct live_conn *c = p;
	unsigned char tmp[2048];
	struct evbuffer_ptr pos;
	size_t left = info->n_added, len = evbuffer_get_length(buf), n;
	ev_ssize_t got;

	if (left == 0 || c->closing || left > len)
		return;
	if (evbuffer_ptr_set(buf, &pos, len - left, EVBUFFER_PTR_SET) != 0)
		return;
	while (left > 0 && !c->closing) {
		n = left < sizeof(tmp) ? left : sizeof(tmp);
		if ((got = evbuffer_copyout_from(buf, &pos, tmp, n)) <= 0)
			break;
		live_head_bytes(c, tmp, (size_t)got);
		left -= (size_t)got;
		if (evbuffer_ptr_set(buf, &pos, (size_t)got,
		    EVBUFFER_PTR_ADD) != 0)
			break;
	}
}

static void
live_conn_free(struct live_conn *c)
{
	struct live *l = c->l;
	struct evconnlistener *lis;

	if (c->in_head)
		TAILQ_REMOVE(&l->heads, c, q);
	event_free(c->deadline);
	evbuffer_remove_cb(bufferevent_get_input(c->bev), live_conn_input, c);
	(void)bufferevent_decref(c->bev);
	free(c);
	if (l->hs.conns_open > 0)
		l->hs.conns_open--;
	if (l->paused && l->hs.conns_open < l->hs.conns_max &&
	    l->bound != NULL &&
	    (lis = evhttp_bound_socket_get_listener(l->bound)) != NULL &&
	    evconnlistener_enable(lis) == 0)
		l->paused = false;
}

static void
live_conn_closed(struct evhttp_connection *evcon, void *p)
{
	(void)evcon;
	live_conn_free(p);
}

static void
live_conn_settle(evutil_socket_t fd, short what, void *p)
{
	struct live *l = p;
	struct live_conn *c;
	void *evcon;
	size_t i;

	(void)fd;
	(void)what;
	for (i = 0; i < l->n_pending; i++) {
		c = l->pending[i];
		evcon = NULL;
		bufferevent_getcb(c->bev, NULL, NULL, NULL, &evcon);
		if (evcon != NULL)
			evhttp_connection_set_closecb(evcon, live_conn_closed,
			    c);
		else
			live_conn_free(c);
	}
	l->n_pending = 0;
}

static struct bufferevent *
live_conn_new(struct event_base *base, void *p)
{
	struct live *l = p;
	struct live_conn *c, **np, *old;
	struct evconnlistener *lis;
	size_t cap;

	if (l->n_pending == l->pending_cap) {
		/* A burst of accepts within one loop turn, bounded by the
		 * cap and the listen backlog. */
		cap = l->pending_cap > 0 ? l->pending_cap * 2 : 16;
		if ((np = realloc(l->pending, cap * sizeof(*np))) == NULL)
			return NULL;	/* libevent makes one of its own */
		l->pending = np;
		l->pending_cap = cap;
	}
	/* Per connection, not per packet: an allocation is fine. */
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->l = l;
	if ((c->bev = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		free(c);
		return NULL;
	}
	if ((c->deadline = evtimer_new(base, live_conn_late, c)) == NULL ||
	    evbuffer_add_cb(bufferevent_get_input(c->bev), live_conn_input,
	    c) == NULL) {
		if (c->deadline != NULL)
			event_free(c->deadline);
		bufferevent_free(c->bev);
		free(c);
		return NULL;
	}
	bufferevent_incref(c->bev);
	l->pending[l->n_pending++] = c;
	event_active(l->settle, 0, 0);
	l->hs.conns_accepted++;
	/* Over the cap, the oldest head makes room; at it, accepting goes
	 * on while a head could make room, and pauses otherwise. */
	TAILQ_FOREACH(old, &l->heads, q)
		if (bufferevent_getfd(old->bev) >= 0)
			break;
	if (++l->hs.conns_open > l->hs.conns_max && old != NULL) {
		live_conn_shut(old, &l->hs.evicted);
		TAILQ_FOREACH(old, &l->heads, q)
			if (bufferevent_getfd(old->bev) >= 0)
				break;
	}
	if (l->hs.conns_open >= l->hs.conns_max && old == NULL &&
	    !l->paused && l->bound != NULL &&
	    (lis = evhttp_bound_socket_get_listener(l->bound)) != NULL &&
	    evconnlistener_disable(lis) == 0) {
		l->paused = true;
		l->hs.conns_capped++;
	}
	live_head_start(c);
	return c->bev;
}

/* "1.2.3.4:80" or "[2001:db8::1]:80" (port 0 allowed: any free one). */
bool
live_parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *h = s, *end;
	unsigned long port = 0;
	size_t n;

	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL || end[1] != ':')
			return false;
		h = s + 1;
		colon = end + 1;
	} else {
		if ((colon = strrchr(s, ':')) == NULL ||
		    strchr(s, ':') != colon)
			return false;
		end = colon;
	}
	if ((n = (size_t)(end - h)) == 0 || n >= sizeof(host) ||
	    colon[1] == '\0' || strlen(colon + 1) > 5)
		return false;
	for (end = colon + 1; *end != '\0'; end++) {
		if (*end < '0' || *end > '9')
			return false;
		port = port * 10 + (unsigned long)(*end - '0');
	}
	if (port > 65535)
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (s[0] != '[' && inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof(*s4);
		return true;
	}
	if (s[0] == '[' && inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return true;
	}
	return false;
}

/* The listening socket; -2 for a bad address, -1 when the system said no. */
static int
live_socket(const char *listen_addr, char *bound, size_t bound_len,
    char *errbuf)
{
	struct sockaddr_storage ss;
	socklen_t len, sl;
	int fd = -1, one = 1;
	char host[INET6_ADDRSTRLEN];
	uint16_t port;

	if (!live_parse_addr(listen_addr, &ss, &len)) {
		snprintf(errbuf, ERRBUF_LEN, "--listen: want ADDR:PORT or "
		    "[ADDR]:PORT, got %s", listen_addr);
		return -2;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) != 0) ||
	    bind(fd, (struct sockaddr *)&ss, len) != 0 ||
	    listen(fd, LIVE_BACKLOG) != 0 ||
	    evutil_make_socket_nonblocking(fd) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "--listen %s: %s", listen_addr,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

			inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
			port = ntohs(s6->sin6_port);
			snprintf(bound, bound_len, "[%s]:%u", host, port);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

			inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
			port = ntohs(s4->sin_port);
			snprintf(bound, bound_len, "%s:%u", host, port);
		}
	} else
		snprintf(bound, bound_len, "%s", listen_addr);
	return fd;
}

int
live_listen(struct live *l, const struct live_http_config *cfg, char *bound,
    size_t bound_len, char *errbuf)
{
	size_t tlen;
	int fd;

	if (l->http != NULL) {
		snprintf(errbuf, ERRBUF_LEN, "--listen: already listening");
		return ERR_MALFORMED;
	}
	if (cfg->token != NULL) {
		tlen = strlen(cfg->token);
		if (tlen == 0 || tlen > LIVE_TOKEN_MAX) {
			snprintf(errbuf, ERRBUF_LEN, "--listen-token: the "
			    "token must have 1 to %d bytes", LIVE_TOKEN_MAX);
			return ERR_MALFORMED;
		}
		l->auth_len = sizeof("Bearer ") - 1 + tlen;
		if ((l->auth = malloc(l->auth_len + 1)) == NULL) {
			snprintf(errbuf, ERRBUF_LEN, "--listen-token: %s",
			    strerror(ENOMEM));
			return ERR_NOMEM;
		}
		memcpy(l->auth, "Bearer ", 7);
		memcpy(l->auth + 7, cfg->token, tlen + 1);
	}
	if ((fd = live_socket(cfg->listen, bound, bound_len, errbuf)) < 0)
		return fd == -2 ? ERR_MALFORMED : ERR_IO;
	if ((l->http = evhttp_new(l->base)) == NULL) {
		close(fd);
		snprintf(errbuf, ERRBUF_LEN, "--listen: %s", strerror(ENOMEM));
		return ERR_NOMEM;
	}
	if ((l->settle = event_new(l->base, -1, 0, live_conn_settle, l)) ==
	    NULL) {
		close(fd);
		snprintf(errbuf, ERRBUF_LEN, "--listen: %s", strerror(ENOMEM));
		return ERR_NOMEM;
	}
	l->hs.conns_max = cfg->max_conns > 0 ? cfg->max_conns : 1;
	l->head_max = cfg->max_header_bytes > 0 &&
	    cfg->max_header_bytes < SSIZE_MAX ? cfg->max_header_bytes : 8192;
	l->head_tv.tv_sec = cfg->head_timeout_sec > 0 &&
	    cfg->head_timeout_sec < INT_MAX ? (time_t)cfg->head_timeout_sec :
	    5;
	evhttp_set_max_headers_size(l->http, (ev_ssize_t)l->head_max);
	evhttp_set_max_body_size(l->http, cfg->max_body_bytes < SSIZE_MAX ?
	    (ev_ssize_t)cfg->max_body_bytes : 0);
	evhttp_set_timeout(l->http, cfg->timeout_sec > 0 &&
	    cfg->timeout_sec < INT_MAX ? (int)cfg->timeout_sec : 10);
	/* Other methods reach us to get a 405 rather than libevent's 501. */
	evhttp_set_allowed_methods(l->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_bevcb(l->http, live_conn_new, l);
	evhttp_set_gencb(l->http, live_on_request, l);
	if ((l->bound = evhttp_accept_socket_with_handle(l->http, fd)) ==
	    NULL) {
		close(fd);
		snprintf(errbuf, ERRBUF_LEN, "--listen %s: cannot accept",
		    cfg->listen);
		return ERR_IO;
	}
	return ERR_OK;
}

const struct live_http_stats *
live_http_stats(const struct live *l)
{
	return &l->hs;
}

/* ---- options ---------------------------------------------------------- */

bool
live_parse_duration(const char *s, unsigned *sec)
{
	unsigned long long v = 0, mul = 1;
	size_t i, n = strlen(s);

	if (n == 0 || n > 12)
		return false;
	switch (s[n - 1]) {
	case 's': mul = 1; n--; break;
	case 'm': mul = 60; n--; break;
	case 'h': mul = 3600; n--; break;
	case 'd': mul = 86400; n--; break;
	default: break;
	}
	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	v *= mul;
	if (v == 0 || v > 30ull * 86400)
		return false;
	*sec = (unsigned)v;
	return true;
}
