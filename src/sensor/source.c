/* source.c - the kinds of input as table rows: saved captures (a file or
 * bytes in memory) and live interfaces through capture.c, dnstap files,
 * Zeek and Suricata logs (logfile.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logfile.h"
#include "sensor.h"
#include "source_dnstap.h"
#include "source_pipe.h"
#include "zread.h"

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
	    capture_open_file_prefix(&cap, spec, sc != NULL ? sc->prefix :
	    NULL, sc != NULL ? sc->prefix_len : 0, errbuf);
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

/* ---- logs: Zeek TSV, Zeek JSON, Suricata EVE ------------------------- */

/* A log input: its reader and the one record it fills, line after line. */
struct log_src {
	struct logfile	*lf;
	struct log_rec	 rec;
};

static int
log_open(void **state, const char *spec, const struct source_config *sc,
    enum log_fmt fmt, char *errbuf)
{
	struct log_src *ls;
	int r;

	if ((ls = calloc(1, sizeof(*ls))) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: out of memory", spec);
		return ERR_NOMEM;
	}
	if ((r = logfile_open(&ls->lf, spec, fmt, sc != NULL ? sc->prefix :
	    NULL, sc != NULL ? sc->prefix_len : 0, errbuf)) != ERR_OK) {
		free(ls);
		return r;
	}
	*state = ls;
	return ERR_OK;
}

static int
zeek_tsv_open(void **state, const char *spec, const struct source_config *sc,
    char *errbuf)
{
	return log_open(state, spec, sc, LOG_ZEEK_TSV, errbuf);
}

static int
zeek_json_open(void **state, const char *spec,
    const struct source_config *sc, char *errbuf)
{
	return log_open(state, spec, sc, LOG_ZEEK_JSON, errbuf);
}

static int
eve_open(void **state, const char *spec, const struct source_config *sc,
    char *errbuf)
{
	return log_open(state, spec, sc, LOG_EVE, errbuf);
}

/* Lines that do not parse are warned about and counted; reading goes on. */
static int
log_next(void *state, struct sensor *s, struct sensor_input *in, size_t max,
    char *errbuf)
{
	struct log_src *ls = state;
	char why[ERRBUF_LEN];
	size_t n, len;
	int r;

	for (n = 0; n < max; n++) {
		r = logfile_next(ls->lf, &ls->rec, &len, why);
		if (r == ERR_MALFORMED) {
			in->rf.packets++;
			in->rf.bytes += len;
			sensor_log_bad(s, in, why);
			continue;
		}
		if (r != ERR_OK) {
			if (r != ERR_END)
				memcpy(errbuf, why, ERRBUF_LEN);
			return r;
		}
		sensor_obs(s, in, &ls->rec, len);
	}
	return ERR_OK;
}

static void
log_close(void *state)
{
	struct log_src *ls = state;

	if (ls == NULL)
		return;
	logfile_close(ls->lf);
	free(ls);
}

static const char *
log_format(void *state)
{
	return logfile_format(((struct log_src *)state)->lf);
}

static uint64_t
log_offset(void *state)
{
	return logfile_offset(((struct log_src *)state)->lf);
}

/* -f is a BPF filter for packets: a log has none to apply it to. */
static uint64_t
log_filtered(void *state)
{
	(void)state;
	return 0;
}

#define LOG_OPS(k, o, sn)	{ k, sn, o, NULL, log_next, log_close, \
			    log_format, log_offset, log_filtered, NULL, NULL, \
			    NULL }

static bool
cap_sniff(const uint8_t *p, size_t len)
{
	return len >= 4 && capture_magic(p, len);
}

#define CAP_OPS(k, s, o, f)	{ k, s, o, f, cap_next, cap_close, cap_format, \
			    cap_offset, cap_filtered, cap_fd, cap_linktype, \
			    cap_live_stats }

static const struct source_ops sources[] = {
	/* pcap, pcapng; "-" is stdin */
	CAP_OPS("file", cap_sniff, file_open, cap_set_filter),
	/* the same, read on a thread of its own (read --workers 2 or more) */
	{ "file-workers", NULL, pipe_open, pipe_filter, pipe_next, pipe_close,
	    pipe_format, pipe_offset, pipe_filtered, NULL, NULL, NULL },
	/* the same, from memory (fuzzing) */
	CAP_OPS("buf", NULL, buf_open, cap_set_filter),
	/* an interface, through libpcap; the kernel runs its filter */
	CAP_OPS("live", NULL, live_open, NULL),
	/* a resolver's dnstap log (Frame Streams file); "-" is stdin */
	{ "dnstap", dnstap_sniff, dtap_open, NULL, dtap_next, dtap_close,
	    dtap_format, dtap_offset, dtap_filtered, NULL, NULL, NULL },
	/* Zeek's ASCII logs: #separator, #fields, then records */
	LOG_OPS("zeek-tsv", zeek_tsv_open, log_sniff_zeek_tsv),
	/* Zeek's JSON logs: one object a line, "ts", "id.orig_h" */
	LOG_OPS("zeek-json", zeek_json_open, log_sniff_zeek_json),
	/* Suricata EVE: one event a line, "timestamp", "event_type" */
	LOG_OPS("eve", eve_open, log_sniff_eve),
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

const struct source_ops *
source_workers(const struct source_ops *kind, unsigned workers)
{
	if (workers >= 2 && kind == &sources[0])
		return &sources[1];
	return kind;
}

const struct source_ops *
source_sniff(const uint8_t *p, size_t len)
{
	static uint8_t plain[SOURCE_SNIFF_LEN];
	size_t i;

	/* A compressed input is told by what it holds: its first bytes
	 * decompressed; each reader decompresses on its own (zread.h). */
	if (zread_kind(p, len) != ZREAD_NONE) {
		len = zread_peek(p, len, plain, sizeof(plain));
		p = plain;
	}
	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (sources[i].sniff != NULL && sources[i].sniff(p, len))
			return &sources[i];
	return &sources[0];
}

/*
 * Enough of a pipe to tell its kind: 16 bytes of a binary input (pcap,
 * pcapng, dnstap), or the first line of a text one (a log's header or
 * first record), so a slow pipe is not waited on for more.
 */
static bool
peek_enough(const uint8_t *buf, size_t n)
{
	if (n < 16)
		return false;
	/* Compressed: as much as there is, to decompress a line of it. */
	if (zread_kind(buf, n) != ZREAD_NONE)
		return false;
	if (buf[0] != '#' && buf[0] != '{')
		return true;
	return memchr(buf, '\n', n) != NULL;
}

int
source_peek(const char *path, uint8_t *buf, size_t cap, size_t *len,
    bool *consumed, char *errbuf)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat st;
	size_t n = 0;
	ssize_t k;
	int fd;

	*len = 0;
	*consumed = false;
	if (cap > SOURCE_SNIFF_LEN)
		cap = SOURCE_SNIFF_LEN;
	if (is_stdin)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path,
		    S_ISDIR(st.st_mode) ? strerror(EISDIR) : strerror(errno));
		if (!is_stdin)
			close(fd);
		return ERR_IO;
	}
	/* A file is looked at where it is; a pipe gives up its bytes. */
	if (S_ISREG(st.st_mode)) {
		k = pread(fd, buf, cap, is_stdin ? lseek(fd, 0, SEEK_CUR) : 0);
		n = k > 0 ? (size_t)k : 0;
	} else if (is_stdin) {
		/* (A named pipe is left alone: a capture, as before.) */
		*consumed = true;
		while (n < cap && !peek_enough(buf, n) &&
		    (k = read(fd, buf + n, cap - n)) != 0) {
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				break;
			n += (size_t)k;
		}
	}
	if (!is_stdin)
		close(fd);
	*len = n;
	return ERR_OK;
}
