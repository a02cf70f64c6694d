/* live_int.h - what live.c shares with the other libevent file of the loop
 * (live_stream.c): the base and the address parser. */
#ifndef KASAUDIT_LIVE_INT_H
#define KASAUDIT_LIVE_INT_H

#include <stdbool.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <event2/http.h>

#include "live.h"

struct event_base *live_base(struct live *);
/* Where live_stream.c keeps its listeners (NULL until the first). */
struct live_streams;
struct live_streams **live_streams(struct live *);
/* Where live_page.c keeps its cache (NULL until live_page_async()). */
struct live_pagecache;
struct live_pagecache **live_pagecache(struct live *);
const struct live_ops *live_get_ops(const struct live *, void **arg);
struct live_http_stats *live_hs(struct live *);
/* live.c: a reply's headers; true when it was a HEAD, answered with len
 * as its length. */
bool	live_reply_head(struct evhttp_request *, int code, const char *reason,
	    enum live_page, size_t len);
/* live_page.c: true when the page is one rendered off the loop: req is
 * answered from the cache or waits for live_page_put(). */
bool	live_page_request(struct live *, struct evhttp_request *,
	    enum live_page);
/* Answers waiting requests (503) and frees the cache; in live_free(). */
void	live_page_free(struct live *);
/* "1.2.3.4:80" or "[2001:db8::1]:80" into ss; false if it is neither. */
bool	live_parse_addr(const char *s, struct sockaddr_storage *ss,
	    socklen_t *len);

#endif
