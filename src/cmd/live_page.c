/* live_page.c - status pages rendered off the loop: the body of each, a
 * file handed in by the daemon, served to every request until it is stale. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "live.h"
#include "live_int.h"

/*
 * One page: the body last put (a file segment: libevent sends it with
 * sendfile() and closes the file once the last reply holding it is out),
 * and the requests waiting for the next.  A request is ours from the time
 * it waits until we answer it; if its client goes away meanwhile, libevent
 * 2.1 keeps it for us (detached) and frees it when we answer.
 */
struct live_cpage {
	bool				 async;
	bool				 fresh;
	bool				 asked;		/* want() called */
	bool				 read;		/* asked for since stale */
	unsigned			 max_age_ms;
	struct timespec			 put_at;	/* monotonic */
	struct evbuffer_file_segment	*seg;		/* NULL: none */
	size_t				 len;
	struct evhttp_request		**wait;
	size_t				 n_wait, cap_wait;
};

struct live_pagecache {
	struct live_cpage	 p[LIVE_PAGE_N];
	struct live_page_stats	 st;
};

static struct live_pagecache *
pc_get(struct live *l)
{
	struct live_pagecache **pc = live_pagecache(l);

	if (*pc == NULL)
		*pc = calloc(1, sizeof(**pc));
	return *pc;
}

int
live_page_async(struct live *l, enum live_page page, unsigned max_age_ms)
{
	struct live_pagecache *pc;

	if ((unsigned)page >= LIVE_PAGE_N || (pc = pc_get(l)) == NULL)
		return ERR_NOMEM;
	pc->p[page].async = true;
	pc->p[page].max_age_ms = max_age_ms;
	return ERR_OK;
}

/* Put less than its max_age_ms ago (and not made stale since). */
static bool
is_fresh(const struct live_cpage *cp)
{
	struct timespec now;
	int64_t ms;

	if (!cp->fresh || cp->seg == NULL)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(now.tv_sec - cp->put_at.tv_sec) * 1000 +
	    (now.tv_nsec - cp->put_at.tv_nsec) / 1000000;
	return cp->max_age_ms == 0 || ms < (int64_t)cp->max_age_ms;
}

/* The body of cp to req (200), or the headers only for HEAD. */
static void
send_body(struct live *l, struct evhttp_request *req, enum live_page page,
    const struct live_cpage *cp)
{
	struct evbuffer *b;

	live_hs(l)->requests++;
	if (live_reply_head(req, 200, "OK", page, cp->len))
		return;
	if ((b = evbuffer_new()) == NULL || (cp->len > 0 &&
	    evbuffer_add_file_segment(b, cp->seg, 0, (ev_off_t)cp->len) !=
	    0)) {
		if (b != NULL)
			evbuffer_free(b);
		evhttp_send_reply(req, 500, "Internal Server Error", NULL);
		return;
	}
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static void
send_error(struct live *l, struct evhttp_request *req, enum live_page page,
    int code)
{
	const char *reason = code == 503 ? "Service Unavailable" :
	    "Internal Server Error";
	const char *body = code == 503 ? "stopping\n" : "report failed\n";
	struct evbuffer *b;

	live_hs(l)->requests++;
	if (live_reply_head(req, code, reason, page, strlen(body)))
		return;
	if ((b = evbuffer_new()) != NULL)
		(void)evbuffer_add(b, body, strlen(body));
	evhttp_send_reply(req, code, reason, b);
	if (b != NULL)
		evbuffer_free(b);
}

bool
live_page_request(struct live *l, struct evhttp_request *req,
    enum live_page page)
{
	struct live_pagecache *pc = *live_pagecache(l);
	struct evhttp_request **w;
	const struct live_ops *ops;
	struct live_cpage *cp;
	void *arg;
	size_t cap;

	if (pc == NULL || !pc->p[page].async)
		return false;
	/* live_on_request() counted it; send_*() count it when answered. */
	live_hs(l)->requests--;
	cp = &pc->p[page];
	cp->read = true;
	if (is_fresh(cp)) {
		pc->st.cached++;
		send_body(l, req, page, cp);
		return true;
	}
	if (cp->n_wait == cp->cap_wait) {
		cap = cp->cap_wait > 0 ? cp->cap_wait * 2 : 8;
		if ((w = realloc(cp->wait, cap * sizeof(*w))) == NULL) {
			send_error(l, req, page, 500);
			return true;
		}
		cp->wait = w;
		cp->cap_wait = cap;
	}
	cp->wait[cp->n_wait++] = req;
	pc->st.waited++;
	if (!cp->asked) {
		cp->asked = true;
		ops = live_get_ops(l, &arg);
		if (ops->want != NULL)
			ops->want(arg, page);
	}
	return true;
}

int
live_page_put(struct live *l, enum live_page page, int fd, size_t len)
{
	struct live_pagecache *pc = *live_pagecache(l);
	struct evbuffer_file_segment *seg;
	struct live_cpage *cp;
	size_t i;

	if (pc == NULL || (unsigned)page >= LIVE_PAGE_N) {
		close(fd);
		return ERR_MALFORMED;
	}
	cp = &pc->p[page];
	seg = evbuffer_file_segment_new(fd, 0, (ev_off_t)len,
	    EVBUF_FS_CLOSE_ON_FREE);
	if (seg == NULL) {
		close(fd);
		live_page_fail(l, page);
		return ERR_NOMEM;
	}
	/* Replies already queued keep their own reference to the old one. */
	if (cp->seg != NULL)
		evbuffer_file_segment_free(cp->seg);
	cp->seg = seg;
	cp->len = len;
	cp->fresh = true;
	clock_gettime(CLOCK_MONOTONIC, &cp->put_at);
	cp->asked = false;
	for (i = 0; i < cp->n_wait; i++)
		send_body(l, cp->wait[i], page, cp);
	cp->n_wait = 0;
	return ERR_OK;
}

bool
live_page_stale(struct live *l, enum live_page page)
{
	struct live_pagecache *pc = *live_pagecache(l);
	bool was_read;

	if (pc == NULL || (unsigned)page >= LIVE_PAGE_N)
		return false;
	was_read = pc->p[page].read;
	pc->p[page].fresh = false;
	pc->p[page].read = false;
	return was_read;
}

static void
fail_waiting(struct live *l, struct live_pagecache *pc, enum live_page page,
    int code)
{
	struct live_cpage *cp = &pc->p[page];
	size_t i;

	for (i = 0; i < cp->n_wait; i++) {
		pc->st.failed++;
		send_error(l, cp->wait[i], page, code);
	}
	cp->n_wait = 0;
	cp->asked = false;
}

void
live_page_fail(struct live *l, enum live_page page)
{
	struct live_pagecache *pc = *live_pagecache(l);

	if (pc != NULL && (unsigned)page < LIVE_PAGE_N)
		fail_waiting(l, pc, page, 500);
}

void
live_page_stats(struct live *l, struct live_page_stats *st)
{
	struct live_pagecache *pc = *live_pagecache(l);
	size_t i;

	memset(st, 0, sizeof(*st));
	if (pc == NULL)
		return;
	*st = pc->st;
	for (i = 0; i < LIVE_PAGE_N; i++)
		st->waiting += pc->p[i].n_wait;
}

void
live_page_free(struct live *l)
{
	struct live_pagecache **pcp = live_pagecache(l), *pc = *pcp;
	size_t i;

	if (pc == NULL)
		return;
	for (i = 0; i < LIVE_PAGE_N; i++) {
		fail_waiting(l, pc, (enum live_page)i, 503);
		free(pc->p[i].wait);
		if (pc->p[i].seg != NULL)
			evbuffer_file_segment_free(pc->p[i].seg);
	}
	free(pc);
	*pcp = NULL;
}
