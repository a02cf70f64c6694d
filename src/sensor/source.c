/* source.c - the kinds of input as table rows: saved captures (a file or
 * bytes in memory) and live interfaces, all read through capture.c. */
#include <stdbool.h>
#include <string.h>

#include "sensor.h"

/* Every kind here is a struct capture; only opening differs. */
static int
cap_next(void *state, struct sensor *s, struct sensor_input *in, size_t max,
    char *errbuf)
{
	struct capture *cap = state;
	struct capture_pkt cp;
	size_t n;
	int r;

	for (n = 0; n < max; n++) {
		if ((r = capture_next(cap, &cp, errbuf)) != ERR_OK)
			return r;
		sensor_packet(s, in, &cp);
	}
	return ERR_OK;
}

static void
cap_close(void *state)
{
	capture_close(state);
}

static const char *
cap_format(void *state)
{
	return capture_format(state);
}

static uint64_t
cap_offset(void *state)
{
	return capture_offset(state);
}

static uint64_t
cap_filtered(void *state)
{
	return capture_stats(state)->filtered;
}

static int
cap_fd(void *state)
{
	return capture_fd(state);
}

static int
cap_linktype(void *state)
{
	return capture_linktype(state);
}

static int
cap_live_stats(void *state, struct capture_live_stats *ks, char *errbuf)
{
	return capture_live_stats(state, ks, errbuf);
}

/* A saved capture's filter, applied from the first record. */
static int
cap_set_filter(void *state, const char *expr, char *errbuf)
{
	return capture_set_filter(state, expr, errbuf);
}

/* A saved capture: a file ("-" is standard input), or kind "buf", the
 * same bytes from memory. */
static int
saved_open(void **state, const char *spec, const struct source_config *sc,
    bool mem, char *errbuf)
{
	struct capture *cap = NULL;
	int r;

	r = mem ? capture_open_buf(&cap, sc->buf, sc->buf_len, spec, errbuf) :
	    capture_open_file(&cap, spec, errbuf);
	if (r != ERR_OK)
		return r;
	*state = cap;
	return ERR_OK;
}

static int
file_open(void **state, const char *spec, const struct source_config *sc,
    char *errbuf)
{
	return saved_open(state, spec, sc, false, errbuf);
}

static int
buf_open(void **state, const char *spec, const struct source_config *sc,
    char *errbuf)
{
	return saved_open(state, spec, sc, true, errbuf);
}

static int
live_open(void **state, const char *spec, const struct source_config *sc,
    char *errbuf)
{
	struct capture *cap = NULL;
	int r;

	if ((r = capture_open_live(&cap, spec, &sc->live, errbuf)) != ERR_OK)
		return r;
	*state = cap;
	return ERR_OK;
}

#define CAP_OPS(k, o, f)	{ k, o, f, cap_next, cap_close, cap_format, \
			    cap_offset, cap_filtered, cap_fd, cap_linktype, \
			    cap_live_stats }

static const struct source_ops sources[] = {
	/* pcap, pcapng; "-" is stdin */
	CAP_OPS("file", file_open, cap_set_filter),
	/* the same, from memory (fuzzing) */
	CAP_OPS("buf", buf_open, cap_set_filter),
	/* an interface, through libpcap; the kernel runs its filter */
	CAP_OPS("live", live_open, NULL),
};

const struct source_ops *
source_find(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(sources[i].kind, kind) == 0)
			return &sources[i];
	return NULL;
}
