/* source_dnstap.c - dnstap Frame Streams files (and standard input) into the
 * sensor: frames split by dnstap.c, messages by sensor_dnstap(). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source_dnstap.h"
#include "zread.h"

#define DTAP_BUF	(DNSTAP_BUF_MAX + 256 * 1024)

struct dtap {
	struct dtap_feed	 f;
	int			 fd;
	bool			 own_fd;
	bool			 eof;
	struct zread		*z;	/* compressed; NULL: plain */
	uint8_t			*buf;
	size_t			 start, fill;	/* unread: [start, fill) */
};

int
dtap_feed(struct dtap_feed *f, struct sensor *s, struct sensor_input *in,
    const uint8_t *p, size_t len, size_t *used, size_t *need, int *ctl,
    char *errbuf)
{
	char why[ERRBUF_LEN], bad[ERRBUF_LEN];
	struct dnstap_event ev;
	struct dnstap_msg m;
	int r;

	*used = 0;
	*ctl = -1;
	r = dnstap_stream_next(f->st, p, len, &ev, need, why);
	if (r == ERR_SHORT)
		return r;
	if (r != ERR_OK) {
		snprintf(errbuf, ERRBUF_LEN, "%s: offset %" PRIu64 ": %.200s",
		    f->name, f->off, why);
		return r;
	}
	if (ev.kind == DNSTAP_EV_DATA) {
		f->frames++;
		if (dnstap_decode(f->dec, ev.data, ev.data_len, &m, why) ==
		    ERR_OK)
			sensor_dnstap(s, f->pick != NULL ?
			    f->pick(f->pick_arg, &m) : in, &m, f->frames);
		else {
			snprintf(bad, sizeof(bad), "%s: offset %" PRIu64
			    ": %.200s", f->name, f->off, why);
			sensor_dnstap_bad(s, in, bad);
		}
	} else
		*ctl = (int)ev.kind;
	*used = ev.used;
	f->off += ev.used;
	return ERR_OK;
}

int
dtap_open(void **state, const char *spec, const struct source_config *sc,
    char *errbuf)
{
	bool is_stdin = strcmp(spec, "-") == 0;
	enum zread_kind zk;
	struct dtap *d;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", spec, strerror(ENOMEM));
		return ERR_NOMEM;
	}
	d->fd = -1;
	if ((d->buf = malloc(DTAP_BUF)) == NULL ||
	    (d->f.st = dnstap_stream_new(false)) == NULL ||
	    (d->f.dec = dnstap_dec_new()) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", spec, strerror(ENOMEM));
		dtap_close(d);
		return ERR_NOMEM;
	}
	d->f.name = spec;
	if (is_stdin)
		d->fd = STDIN_FILENO;
	else if ((d->fd = open(spec, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", spec, strerror(errno));
		dtap_close(d);
		return ERR_IO;
	}
	d->own_fd = !is_stdin;
	if ((zk = zread_detect(d->fd, sc != NULL ? sc->prefix : NULL,
	    sc != NULL ? sc->prefix_len : 0)) != ZREAD_NONE) {
		/* The prefix was compressed bytes: the decompressor's. */
		if (zread_new(&d->z, zk, d->fd, spec, sc != NULL ?
		    sc->prefix : NULL, sc != NULL ? sc->prefix_len : 0,
		    errbuf) != ERR_OK) {
			dtap_close(d);
			return ERR_NOMEM;
		}
	} else if (sc != NULL && sc->prefix_len > 0 &&
	    sc->prefix_len <= DTAP_BUF) {
		memcpy(d->buf, sc->prefix, sc->prefix_len);
		d->fill = sc->prefix_len;
	}
	*state = d;
	return ERR_OK;
}

/* Reads until need bytes are unread or the input ends. */
static int
refill(struct dtap *d, size_t need, char *errbuf)
{
	struct pollfd pfd;
	ssize_t n;

	if (d->start + need > DTAP_BUF) {
		memmove(d->buf, d->buf + d->start, d->fill - d->start);
		d->fill -= d->start;
		d->start = 0;
	}
	while (d->fill - d->start < need && !d->eof) {
		n = d->z != NULL ? zread_read(d->z, d->buf + d->fill,
		    DTAP_BUF - d->fill) : read(d->fd, d->buf + d->fill,
		    DTAP_BUF - d->fill);
		if (n < 0 && d->z != NULL) {
			snprintf(errbuf, ERRBUF_LEN, "%s", zread_error(d->z));
			return ERR_IO;	/* no reading past it */
		}
		if (n > 0)
			d->fill += (size_t)n;
		else if (n == 0)
			d->eof = true;
		else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			pfd.fd = d->fd;
			pfd.events = POLLIN;
			(void)poll(&pfd, 1, -1);
		} else if (errno != EINTR) {
			snprintf(errbuf, ERRBUF_LEN, "%s: read: %s", d->f.name,
			    strerror(errno));
			return ERR_IO;
		}
	}
	return ERR_OK;
}

int
dtap_next(void *state, struct sensor *s, struct sensor_input *in,
    size_t max, char *errbuf)
{
	struct dtap *d = state;
	size_t n = 0, used, need, left;
	int r, ctl;

	while (n < max) {
		left = d->fill - d->start;
		r = dtap_feed(&d->f, s, in, d->buf + d->start, left, &used,
		    &need, &ctl, errbuf);
		if (r == ERR_OK) {
			d->start += used;
			if (ctl < 0)
				n++;
			continue;
		}
		if (r != ERR_SHORT)
			return r;
		if (d->eof) {
			if (left == 0)
				return ERR_END;
			snprintf(errbuf, ERRBUF_LEN, "%s: offset %" PRIu64
			    ": frame cut short: %zu of %zu bytes", d->f.name,
			    d->f.off, left, need);
			return ERR_MALFORMED;
		}
		/* A large read ahead, so that frames cost no system call. */
		if ((r = refill(d, need > 65536 ? need : 65536, errbuf)) !=
		    ERR_OK)
			return r;
		if (d->fill - d->start == left && !d->eof)
			continue;
	}
	return ERR_OK;
}

void
dtap_close(void *state)
{
	struct dtap *d = state;

	if (d == NULL)
		return;
	zread_free(d->z);
	if (d->own_fd && d->fd >= 0)
		close(d->fd);
	dnstap_stream_free(d->f.st);
	dnstap_dec_free(d->f.dec);
	free(d->buf);
	free(d);
}

const char *
dtap_format(void *state)
{
	(void)state;
	return "dnstap";
}

uint64_t
dtap_offset(void *state)
{
	struct dtap *d = state;

	/* For progress against the file's size: compressed bytes. */
	return d->z != NULL ? zread_offset(d->z) : d->f.off;
}

uint64_t
dtap_filtered(void *state)
{
	(void)state;
	return 0;
}
