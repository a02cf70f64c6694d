/* logfile.h - Zeek and Suricata logs read a line at a time from a file or
 * standard input; each line a struct log_rec (logrec.h). */
#ifndef KASAUDIT_LOGFILE_H
#define KASAUDIT_LOGFILE_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>

#include "logrec.h"

struct logfile;			/* opaque: defined in logfile.c */

/*
 * Opens path ("-" is standard input) as a log of format fmt.  head holds
 * head_len bytes already read from the stream (standard input sniffed for
 * its format), read first.  One buffer of 2 x LOG_LINE_MAX is allocated
 * now, nothing per line.  ERR_OK, ERR_NOMEM or ERR_IO with errbuf
 * "path: why".
 */
int	logfile_open(struct logfile **, const char *path, enum log_fmt fmt,
	    const void *head, size_t head_len, char *errbuf);
void	logfile_close(struct logfile *);		/* NULL-safe */

/*
 * The next line as a record.  ERR_OK: *rec filled (kind LOG_NONE for a
 * header, blank line or a record of no kind used); ERR_MALFORMED: the line
 * did not parse, errbuf says "path:line: why", and the next call reads on;
 * ERR_END at the end; ERR_IO when reading failed.  *line_len is the line's
 * length in bytes.  rec is reused: everything in it is overwritten.
 */
int	logfile_next(struct logfile *, struct log_rec *rec, size_t *line_len,
	    char *errbuf);

const char	*logfile_format(const struct logfile *);	/* "eve" */
/* Bytes read; of a compressed log, the compressed bytes. */
uint64_t	 logfile_offset(const struct logfile *);

#endif
