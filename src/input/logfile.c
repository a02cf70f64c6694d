/* logfile.c - a log file (or standard input) read a line at a time through
 * one buffer, each line given to its format's parser (zeek.c, eve.c). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logfile.h"
#include "zread.h"

#define LOG_BUF_LEN	(2 * LOG_LINE_MAX)

struct logfile {
	char		*name;
	enum log_fmt	 fmt;
	int		 fd;
	bool		 own_fd;
	bool		 eof;
	bool		 too_long;	/* skipping the rest of a long line */
	struct zread	*z;		/* a compressed log; NULL: plain */
	uint8_t		*buf;
	size_t		 start, fill;	/* unread bytes: buf[start, fill) */
	uint64_t	 off;		/* bytes consumed */
	uint64_t	 line;
	struct zeek_tsv	 tsv;
};

static const char *const fmt_names[] = { "zeek-tsv", "zeek-json", "eve" };

int
logfile_open(struct logfile **out, const char *path, enum log_fmt fmt,
    const void *head, size_t head_len, char *errbuf)
{
	struct logfile *lf;
	struct stat st;
	enum zread_kind zk;
	bool is_stdin = strcmp(path, "-") == 0;

	if ((lf = calloc(1, sizeof(*lf))) == NULL ||
	    (lf->name = strdup(path)) == NULL ||
	    (lf->buf = malloc(LOG_BUF_LEN)) == NULL) {
		if (lf != NULL)
			free(lf->name);
		free(lf);
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(ENOMEM));
		return ERR_NOMEM;
	}
	lf->fmt = fmt;
	zeek_tsv_init(&lf->tsv);
	if (is_stdin)
		lf->fd = STDIN_FILENO;
	else if ((lf->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		goto fail;
	else
		lf->own_fd = true;
	if (fstat(lf->fd, &st) != 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if ((zk = zread_detect(lf->fd, head, head_len)) != ZREAD_NONE) {
		/* The head was compressed bytes: the decompressor's. */
		if (zread_new(&lf->z, zk, lf->fd, path, head, head_len,
		    errbuf) != ERR_OK) {
			logfile_close(lf);
			return ERR_NOMEM;
		}
		head_len = 0;
	}
	if (head_len > LOG_BUF_LEN)
		head_len = LOG_BUF_LEN;
	if (head_len > 0)
		memcpy(lf->buf, head, head_len);
	lf->fill = head_len;
	*out = lf;
	return ERR_OK;
fail:
	snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
	logfile_close(lf);
	return ERR_IO;
}

void
logfile_close(struct logfile *lf)
{
	if (lf == NULL)
		return;
	zread_free(lf->z);
	if (lf->own_fd)
		close(lf->fd);
	free(lf->buf);
	free(lf->name);
	free(lf);
}

const char *
logfile_format(const struct logfile *lf)
{
	return fmt_names[lf->fmt];
}

uint64_t
logfile_offset(const struct logfile *lf)
{
	return lf->z != NULL ? zread_offset(lf->z) : lf->off;
}

/* More bytes after the unread ones; ERR_IO on a read error. */
static int
refill(struct logfile *lf, char *errbuf)
{
	ssize_t n;

	if (lf->start > 0) {
		memmove(lf->buf, lf->buf + lf->start, lf->fill - lf->start);
		lf->fill -= lf->start;
		lf->start = 0;
	}
	while (lf->fill < LOG_BUF_LEN) {
		n = lf->z != NULL ? zread_read(lf->z, lf->buf + lf->fill,
		    LOG_BUF_LEN - lf->fill) : read(lf->fd, lf->buf + lf->fill,
		    LOG_BUF_LEN - lf->fill);
		if (n < 0 && lf->z != NULL) {
			snprintf(errbuf, ERRBUF_LEN, "%s", zread_error(lf->z));
			return ERR_IO;	/* no reading past it */
		}
		if (n > 0) {
			lf->fill += (size_t)n;
			return ERR_OK;
		}
		if (n == 0) {
			lf->eof = true;
			return ERR_OK;
		}
		if (errno != EINTR) {
			snprintf(errbuf, ERRBUF_LEN, "%s: read: %s", lf->name,
			    strerror(errno));
			return ERR_IO;
		}
	}
	return ERR_OK;
}

/*
 * The next line: *line and *len without its newline (nor a "\r" before
 * it).  ERR_OK, ERR_END, ERR_IO, or ERR_FULL for a line over
 * LOG_LINE_MAX (its first bytes are dropped and the rest skipped).
 */
static int
next_line(struct logfile *lf, const char **line, size_t *len, char *errbuf)
{
	uint8_t *nl;
	size_t n;
	int r;

	for (;;) {
		n = lf->fill - lf->start;
		nl = memchr(lf->buf + lf->start, '\n', n);
		if (nl != NULL || (lf->eof && n > 0)) {
			*line = (const char *)lf->buf + lf->start;
			*len = nl != NULL ? (size_t)(nl - (lf->buf +
			    lf->start)) : n;
			lf->start += *len + (nl != NULL);
			lf->off += *len + (nl != NULL);
			if (lf->too_long) {
				/* The end of a line already refused. */
				lf->too_long = false;
				continue;
			}
			lf->line++;
			if (*len > 0 && (*line)[*len - 1] == '\r')
				(*len)--;
			if (*len > LOG_LINE_MAX)
				return ERR_FULL;
			return ERR_OK;
		}
		if (lf->eof)
			return ERR_END;
		if (n > LOG_LINE_MAX) {
			/* No newline in reach: drop what we have. */
			if (!lf->too_long)
				lf->line++;
			lf->off += n;
			lf->start = lf->fill;
			if (!lf->too_long) {
				lf->too_long = true;
				return ERR_FULL;
			}
		}
		if ((r = refill(lf, errbuf)) != ERR_OK)
			return r;
	}
}

int
logfile_next(struct logfile *lf, struct log_rec *rec, size_t *line_len,
    char *errbuf)
{
	char why[ERRBUF_LEN];
	const char *line;
	size_t len = 0;
	int r;

	*line_len = 0;
	r = next_line(lf, &line, &len, errbuf);
	log_rec_reset(rec, lf->line);
	if (r == ERR_FULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s:%" PRIu64 ": line longer "
		    "than %d bytes: skipped", lf->name, lf->line,
		    LOG_LINE_MAX);
		return ERR_MALFORMED;
	}
	if (r != ERR_OK)
		return r;
	*line_len = len;
	switch (lf->fmt) {
	case LOG_ZEEK_TSV:
		r = zeek_tsv_line(&lf->tsv, line, len, rec, why);
		break;
	case LOG_ZEEK_JSON:
		r = len == 0 ? ERR_OK : zeek_json_line(line, len, rec, why);
		break;
	default:
		r = len == 0 ? ERR_OK : eve_line(line, len, rec, why);
		break;
	}
	if (r != ERR_OK) {
		rec->kind = LOG_NONE;
		snprintf(errbuf, ERRBUF_LEN, "%.200s:%" PRIu64 ": %.280s", lf->name,
		    lf->line, why);
		return ERR_MALFORMED;
	}
	return ERR_OK;
}
