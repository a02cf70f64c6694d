/* live_stream.c - stream servers on the loop: resolvers connect over a unix
 * or TCP socket and send Frame Streams; bytes go to the caller's ops. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "live_int.h"

struct live_listener {
	struct live_streams	*ss;
	size_t			 ln;
	struct evconnlistener	*lev;
	struct live_stream_ops	 ops;
	void			*arg;
	size_t			 max_conns;
	size_t			 max_buffer;
	char			*unix_path;	/* removed at the end */
	struct live_stream_stats st;
};

struct live_conn {
	struct live_listener	*l;
	struct bufferevent	*bev;
	void			*state;
	bool			 closing;	/* flushing, then freed */
	struct live_conn	*next, *prev;
};

struct live_streams {
	struct live		*live;
	struct live_listener	 lis[LIVE_MAX_STREAM_LISTENERS];
	bool			 used[LIVE_MAX_STREAM_LISTENERS];
	struct live_conn	*conns;
};

static void
conn_free(struct live_conn *c, const char *why)
{
	struct live_streams *ss = c->l->ss;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		ss->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->l->st.open--;
	if (c->l->ops.close != NULL)
		c->l->ops.close(c->l->arg, c->state, why);
	bufferevent_free(c->bev);
	free(c);
}

static void
conn_written(struct bufferevent *bev, void *p)
{
	struct live_conn *c = p;

	if (c->closing && evbuffer_get_length(bufferevent_get_output(bev)) ==
	    0)
		conn_free(c, "closed");
}

static void
conn_read(struct bufferevent *bev, void *p)
{
	struct live_conn *c = p;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len, need = 0;
	const uint8_t *data;
	long used;

	if (c->closing) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	if ((len = evbuffer_get_length(in)) == 0)
		return;
	if ((data = evbuffer_pullup(in, -1)) == NULL) {
		conn_free(c, "out of memory");
		return;
	}
	used = c->l->ops.data(c->l->arg, c->state, data, len, &need);
	if (used < 0) {
		c->closing = true;
		bufferevent_disable(bev, EV_READ);
		evbuffer_drain(in, len);
		conn_written(bev, c);		/* nothing queued: now */
		return;
	}
	evbuffer_drain(in, (size_t)used);
	/* Called again only once what it needs is there. */
	if (need > c->l->max_buffer)
		need = c->l->max_buffer;
	bufferevent_setwatermark(bev, EV_READ, need, c->l->max_buffer);
}

static void
conn_event(struct bufferevent *bev, short what, void *p)
{
	struct live_conn *c = p;
	char why[128];

	(void)bev;
	if (what & BEV_EVENT_EOF)
		conn_free(c, "closed by the peer");
	else if (what & BEV_EVENT_ERROR) {
		snprintf(why, sizeof(why), "%s",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		conn_free(c, why);
	}
}

static void
on_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *p)
{
	struct live_listener *l = p;
	struct live_streams *ss = l->ss;
	struct live_conn *c = NULL;
	char peer[INET6_ADDRSTRLEN + 8], host[INET6_ADDRSTRLEN];

	(void)lev;
	(void)salen;
	if (l->st.open >= l->max_conns) {
		l->st.refused++;
		evutil_closesocket(fd);
		return;
	}
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)(void *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		snprintf(peer, sizeof(peer), "%s:%u", host,
		    ntohs(s4->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)(void *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(peer, sizeof(peer), "[%s]:%u", host,
		    ntohs(s6->sin6_port));
	} else
		snprintf(peer, sizeof(peer), "unix");
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->bev = bufferevent_socket_new(live_base(ss->live), fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		free(c);
		evutil_closesocket(fd);
		l->st.refused++;
		return;
	}
	c->l = l;
	if ((c->state = l->ops.open(l->arg, l->ln, c, peer)) == NULL) {
		bufferevent_free(c->bev);
		free(c);
		l->st.refused++;
		return;
	}
	l->st.accepted++;
	l->st.open++;
	c->next = ss->conns;
	if (ss->conns != NULL)
		ss->conns->prev = c;
	ss->conns = c;
	bufferevent_setcb(c->bev, conn_read, conn_written, conn_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, l->max_buffer);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

/* The listening socket of "unix:PATH" or "tcp:ADDR:PORT", or -1. */
static int
stream_socket(const char *spec, char **unix_path, char *errbuf)
{
	struct sockaddr_storage ss;
	struct sockaddr_un su;
	struct stat st;
	socklen_t len;
	int fd = -1, one = 1;
	const char *path;

	*unix_path = NULL;
	if (strncmp(spec, "unix:", 5) == 0) {
		path = spec + 5;
		if (path[0] == '\0' || strlen(path) >= sizeof(su.sun_path)) {
			snprintf(errbuf, ERRBUF_LEN, "--dnstap %s: a socket "
			    "path of 1 to %zu bytes", spec,
			    sizeof(su.sun_path) - 1);
			return -1;
		}
		memset(&su, 0, sizeof(su));
		su.sun_family = AF_UNIX;
		memcpy(su.sun_path, path, strlen(path));
		/* A socket left by an earlier run; never any other file. */
		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
			(void)unlink(path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
		    bind(fd, (struct sockaddr *)&su, sizeof(su)) != 0 ||
		    chmod(path, 0666) != 0 || listen(fd, 16) != 0)
			goto fail;
		if ((*unix_path = strdup(path)) == NULL)
			goto fail;
		return fd;
	}
	if (strncmp(spec, "tcp:", 4) != 0 ||
	    !live_parse_addr(spec + 4, &ss, &len)) {
		snprintf(errbuf, ERRBUF_LEN, "--dnstap: want unix:PATH or "
		    "tcp:ADDR:PORT, got %s", spec);
		return -1;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) != 0 ||
	    listen(fd, 16) != 0)
		goto fail;
	return fd;
fail:
	snprintf(errbuf, ERRBUF_LEN, "--dnstap %s: %s", spec, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int
live_stream_listen(struct live *lv, const char *spec, size_t ln,
    const struct live_stream_ops *ops, void *arg, size_t max_conns,
    size_t max_buffer, char *errbuf)
{
	struct live_streams **ssp = live_streams(lv), *ss;
	struct live_listener *l;
	char *unix_path = NULL;
	int fd;

	if (ln >= LIVE_MAX_STREAM_LISTENERS) {
		snprintf(errbuf, ERRBUF_LEN, "--dnstap: at most %d",
		    LIVE_MAX_STREAM_LISTENERS);
		return ERR_FULL;
	}
	if (*ssp == NULL) {
		if ((*ssp = calloc(1, sizeof(**ssp))) == NULL) {
			snprintf(errbuf, ERRBUF_LEN, "out of memory");
			return ERR_NOMEM;
		}
		(*ssp)->live = lv;
	}
	ss = *ssp;
	if ((fd = stream_socket(spec, &unix_path, errbuf)) < 0)
		return ERR_IO;
	l = &ss->lis[ln];
	memset(l, 0, sizeof(*l));
	l->ss = ss;
	l->ln = ln;
	l->ops = *ops;
	l->arg = arg;
	l->max_conns = max_conns;
	l->max_buffer = max_buffer;
	l->unix_path = unix_path;
	if (evutil_make_socket_nonblocking(fd) != 0 ||
	    (l->lev = evconnlistener_new(live_base(lv), on_accept, l,
	    LEV_OPT_CLOSE_ON_FREE, -1, fd)) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "--dnstap %s: cannot listen",
		    spec);
		close(fd);
		if (unix_path != NULL)
			(void)unlink(unix_path);
		free(unix_path);
		l->unix_path = NULL;
		return ERR_IO;
	}
	ss->used[ln] = true;
	return ERR_OK;
}

int
live_conn_send(struct live_conn *c, const void *p, size_t len)
{
	return bufferevent_write(c->bev, p, len) == 0 ? ERR_OK : ERR_NOMEM;
}

const struct live_stream_stats *
live_stream_stats(const struct live *lv, size_t ln)
{
	static const struct live_stream_stats none;
	struct live_streams *ss = *live_streams((struct live *)lv);

	if (ss == NULL || ln >= LIVE_MAX_STREAM_LISTENERS || !ss->used[ln])
		return &none;
	return &ss->lis[ln].st;
}

void
live_stream_close_all(struct live *lv)
{
	struct live_streams **ssp = live_streams(lv), *ss = *ssp;
	size_t i;

	if (ss == NULL)
		return;
	while (ss->conns != NULL)
		conn_free(ss->conns, "kasaudit stopped");
	for (i = 0; i < LIVE_MAX_STREAM_LISTENERS; i++) {
		if (!ss->used[i])
			continue;
		evconnlistener_free(ss->lis[i].lev);
		if (ss->lis[i].unix_path != NULL)
			(void)unlink(ss->lis[i].unix_path);
		free(ss->lis[i].unix_path);
	}
	free(ss);
	*ssp = NULL;
}
