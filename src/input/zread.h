/* zread.h - compressed inputs (gzip RFC 1952, xz, zstd RFC 8878, bzip2)
 * told by their magic and decompressed as a stream into the reader's buffer. */
#ifndef KASAUDIT_ZREAD_H
#define KASAUDIT_ZREAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

enum zread_kind { ZREAD_NONE, ZREAD_GZIP, ZREAD_XZ, ZREAD_ZSTD, ZREAD_BZIP2 };

#define ZREAD_MAGIC_LEN	6	/* bytes zread_kind() needs at most */
#define ZREAD_IN_LEN	(256u * 1024)	/* compressed bytes buffered */
/* xz's dictionary is what a decoder must hold: xz -9 needs 64 MiB. */
#define ZREAD_XZ_MEMLIMIT (256u * 1024 * 1024)

struct zread;			/* opaque: defined in zread.c */

/* The compression the n bytes at p start with (ZREAD_NONE: none known). */
enum zread_kind zread_kind(const uint8_t *p, size_t n);

/* "gzip", "xz", "zstd", "bzip2"; "" for ZREAD_NONE. */
const char	*zread_kind_name(enum zread_kind);

/*
 * The kind of what fd holds, looked at without moving it: head (head_len
 * bytes already read from it) when there are any, else the first bytes of
 * a regular file (pread at offset 0); a pipe with no head is ZREAD_NONE.
 */
enum zread_kind zread_detect(int fd, const uint8_t *head, size_t head_len);

/*
 * A decompressor of kind reading fd (not owned; -1: head is all there is,
 * borrowed until zread_free()).  head: head_len compressed bytes already
 * read from fd, taken first (copied).  name is used in messages.  ERR_OK or
 * ERR_NOMEM with errbuf "name: why".  Memory: ZREAD_IN_LEN and the
 * decoder's own state (for xz at most ZREAD_XZ_MEMLIMIT).
 */
int	zread_new(struct zread **, enum zread_kind, int fd, const char *name,
	    const uint8_t *head, size_t head_len, char *errbuf);
void	zread_free(struct zread *);			/* NULL-safe */

/*
 * Up to n decompressed bytes into buf, waiting for the pipe when it has
 * none: > 0 bytes, 0 at the clean end (several concatenated streams or
 * gzip members are read as one), -1 on damage: zread_error() says what
 * and where, and zread_code() is ERR_SHORT (cut short), ERR_MALFORMED,
 * ERR_NOMEM or ERR_IO.  The bytes decompressed before damage are returned
 * first; the error comes with the next call, and stays.
 */
ssize_t	zread_read(struct zread *, void *buf, size_t n);
const char *zread_error(const struct zread *);	/* "name: offset N: why" */
int	zread_code(const struct zread *);
uint64_t zread_offset(const struct zread *);	/* compressed bytes used */
const char *zread_name(const struct zread *);	/* "gzip" */

/*
 * For telling an input's kind: decompresses the start of the compressed
 * bytes at in into out (at most cap bytes) and returns how many came out;
 * damage or the end of in only stops it.
 */
size_t	zread_peek(const uint8_t *in, size_t in_len, uint8_t *out,
	    size_t cap);

#endif
