/* live_int.h - what live.c shares with the other libevent file of the loop
 * (live_stream.c): the base and the address parser. */
#ifndef KASAUDIT_LIVE_INT_H
#define KASAUDIT_LIVE_INT_H

#include <stdbool.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "live.h"

struct event_base *live_base(struct live *);
/* Where live_stream.c keeps its listeners (NULL until the first). */
struct live_streams;
struct live_streams **live_streams(struct live *);
/* "1.2.3.4:80" or "[2001:db8::1]:80" into ss; false if it is neither. */
bool	live_parse_addr(const char *s, struct sockaddr_storage *ss,
	    socklen_t *len);

#endif
