/* zread.c - compressed inputs: gzip (RFC 1952) with zlib, xz with liblzma,
 * zstd (RFC 8878) with libzstd, bzip2 with libbz2; streamed, bounded. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "zread.h"

struct zread {
	enum zread_kind	 kind;
	char		*name;
	int		 fd;		/* -1: the head is all there is */
	bool		 eof;		/* nothing more to read from fd */
	bool		 ended;		/* the clean end was reached */
	bool		 between;	/* gzip, bzip2: before a member */
	bool		 live;		/* the decoder is initialised */
	int		 code;		/* sticky error; ERR_OK: none */
	char		 err[ERRBUF_LEN];
	uint8_t		*in;		/* owned input buffer (NULL: memory) */
	size_t		 in_cap;
	const uint8_t	*p;		/* unread compressed bytes */
	size_t		 left;
	uint64_t	 fed;		/* compressed bytes taken in so far */
	size_t		 zs_hint;	/* zstd: 0 when a frame is complete */
	union {
		z_stream	 gz;
		lzma_stream	 xz;
		bz_stream	 bz;
		ZSTD_DStream	*zs;
	} u;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
zfail(struct zread *z, int code, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(z->err, sizeof(z->err), "%s: compressed offset %llu: %s",
	    z->name, (unsigned long long)(z->fed - z->left), why);
	z->code = code;
	return code;
}

enum zread_kind
zread_kind(const uint8_t *p, size_t n)
{
	static const uint8_t xz[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const uint8_t zst[4] = { 0x28, 0xb5, 0x2f, 0xfd };

	/* gzip with deflate, the only method RFC 1952 defines */
	if (n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)
		return ZREAD_GZIP;
	if (n >= sizeof(xz) && memcmp(p, xz, sizeof(xz)) == 0)
		return ZREAD_XZ;
	if (n >= sizeof(zst) && memcmp(p, zst, sizeof(zst)) == 0)
		return ZREAD_ZSTD;
	if (n >= 4 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' &&
	    p[3] >= '1' && p[3] <= '9')
		return ZREAD_BZIP2;
	return ZREAD_NONE;
}

const char *
zread_kind_name(enum zread_kind k)
{
	switch (k) {
	case ZREAD_GZIP:	return "gzip";
	case ZREAD_XZ:		return "xz";
	case ZREAD_ZSTD:	return "zstd";
	case ZREAD_BZIP2:	return "bzip2";
	default:		return "";
	}
}

enum zread_kind
zread_detect(int fd, const uint8_t *head, size_t head_len)
{
	uint8_t m[ZREAD_MAGIC_LEN];
	struct stat st;
	ssize_t k;

	if (head_len > 0)
		return zread_kind(head, head_len);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return ZREAD_NONE;
	if ((k = pread(fd, m, sizeof(m), 0)) <= 0)
		return ZREAD_NONE;
	return zread_kind(m, (size_t)k);
}

static void
zread_end(struct zread *z)
{
	if (!z->live)
		return;
	switch (z->kind) {
	case ZREAD_GZIP:
		inflateEnd(&z->u.gz);
		break;
	case ZREAD_XZ:
		lzma_end(&z->u.xz);
		break;
	case ZREAD_ZSTD:
		ZSTD_freeDStream(z->u.zs);
		break;
	case ZREAD_BZIP2:
		BZ2_bzDecompressEnd(&z->u.bz);
		break;
	default:
		break;
	}
	z->live = false;
}

/* A decoder for the stream (or member) that starts at p. */
static int
zread_begin(struct zread *z)
{
	static const lzma_stream xz_init = LZMA_STREAM_INIT;

	switch (z->kind) {
	case ZREAD_GZIP:
		if (z->live)
			return inflateReset(&z->u.gz) == Z_OK ? ERR_OK :
			    zfail(z, ERR_NOMEM, "zlib: cannot reset");
		memset(&z->u.gz, 0, sizeof(z->u.gz));
		/* 15 + 16: a 32 KiB window, gzip framing only */
		if (inflateInit2(&z->u.gz, 15 + 16) != Z_OK)
			return zfail(z, ERR_NOMEM, "zlib: out of memory");
		break;
	case ZREAD_XZ:
		z->u.xz = xz_init;
		if (lzma_stream_decoder(&z->u.xz, ZREAD_XZ_MEMLIMIT,
		    LZMA_CONCATENATED) != LZMA_OK)
			return zfail(z, ERR_NOMEM, "liblzma: out of memory");
		break;
	case ZREAD_ZSTD:
		if ((z->u.zs = ZSTD_createDStream()) == NULL ||
		    ZSTD_isError(ZSTD_initDStream(z->u.zs))) {
			ZSTD_freeDStream(z->u.zs);
			return zfail(z, ERR_NOMEM, "libzstd: out of memory");
		}
		z->zs_hint = 1;
		break;
	case ZREAD_BZIP2:
		zread_end(z);
		memset(&z->u.bz, 0, sizeof(z->u.bz));
		if (BZ2_bzDecompressInit(&z->u.bz, 0, 0) != BZ_OK)
			return zfail(z, ERR_NOMEM, "libbz2: out of memory");
		break;
	default:
		return zfail(z, ERR_UNSUPPORTED, "not compressed");
	}
	z->live = true;
	return ERR_OK;
}

int
zread_new(struct zread **out, enum zread_kind kind, int fd, const char *name,
    const uint8_t *head, size_t head_len, char *errbuf)
{
	struct zread *z;
	size_t cap = head_len > ZREAD_IN_LEN ? head_len : ZREAD_IN_LEN;

	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (z->name = strdup(name)) == NULL ||
	    (fd >= 0 && (z->in = malloc(cap)) == NULL)) {
		if (z != NULL)
			free(z->name);
		free(z);
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", name, strerror(ENOMEM));
		return ERR_NOMEM;
	}
	z->kind = kind;
	z->fd = fd;
	if (fd >= 0) {
		z->in_cap = cap;
		if (head_len > 0)
			memcpy(z->in, head, head_len);
		z->p = z->in;
	} else {
		z->p = head;
		z->eof = true;
	}
	z->left = head_len;
	z->fed = head_len;
	if (zread_begin(z) != ERR_OK) {
		snprintf(errbuf, ERRBUF_LEN, "%s", z->err);
		zread_free(z);
		return ERR_NOMEM;
	}
	return (*out = z, ERR_OK);
}

void
zread_free(struct zread *z)
{
	if (z == NULL)
		return;
	zread_end(z);
	free(z->in);
	free(z->name);
	free(z);
}

/* More compressed bytes, once those held are used up. */
static int
refill(struct zread *z)
{
	struct pollfd pfd;
	ssize_t k;

	if (z->fd < 0) {
		z->eof = true;
		return ERR_OK;
	}
	for (;;) {
		k = read(z->fd, z->in, z->in_cap);
		if (k > 0) {
			z->p = z->in;
			z->left = (size_t)k;
			z->fed += (uint64_t)k;
			return ERR_OK;
		}
		if (k == 0) {
			z->eof = true;
			return ERR_OK;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			pfd.fd = z->fd;
			pfd.events = POLLIN;
			(void)poll(&pfd, 1, -1);
		} else if (errno != EINTR)
			return zfail(z, ERR_IO, "read: %s", strerror(errno));
	}
}

static unsigned
clamp_uint(size_t n)
{
	return n > UINT_MAX ? UINT_MAX : (unsigned)n;
}

/* The next gzip member must follow at once: RFC 1952 2.2. */
static int
next_member(struct zread *z, uint8_t first, const char *what)
{
	if (z->left == 0) {
		z->ended = true;		/* only at the end of input */
		return ERR_OK;
	}
	if (z->p[0] != first)
		return zfail(z, ERR_MALFORMED, "data after the end of the "
		    "%s stream is not %s", what, what);
	z->between = false;
	return zread_begin(z);
}

static int
gz_step(struct zread *z, uint8_t *buf, size_t n, size_t *used, size_t *out)
{
	z_stream *s = &z->u.gz;
	int r;

	if (z->between && next_member(z, 0x1f, "gzip") != ERR_OK)
		return z->code;
	if (z->ended)
		return ERR_OK;
	s->next_in = (Bytef *)(uintptr_t)z->p;
	s->avail_in = clamp_uint(z->left);
	s->next_out = buf;
	s->avail_out = clamp_uint(n);
	r = inflate(s, Z_NO_FLUSH);
	*used = clamp_uint(z->left) - s->avail_in;
	*out = clamp_uint(n) - s->avail_out;
	switch (r) {
	case Z_OK:
	case Z_BUF_ERROR:		/* no progress: judged by the caller */
		return ERR_OK;
	case Z_STREAM_END:
		z->between = true;
		return ERR_OK;
	case Z_MEM_ERROR:
		return zfail(z, ERR_NOMEM, "zlib: out of memory");
	default:
		return zfail(z, ERR_MALFORMED, "gzip data corrupt (%s)",
		    s->msg != NULL ? s->msg : "inflate failed");
	}
}

static int
xz_step(struct zread *z, uint8_t *buf, size_t n, size_t *used, size_t *out)
{
	lzma_stream *s = &z->u.xz;
	lzma_ret r;

	s->next_in = z->p;
	s->avail_in = z->left;
	s->next_out = buf;
	s->avail_out = n;
	r = lzma_code(s, z->eof ? LZMA_FINISH : LZMA_RUN);
	*used = z->left - s->avail_in;
	*out = n - s->avail_out;
	switch (r) {
	case LZMA_OK:
	case LZMA_BUF_ERROR:		/* no progress: judged by the caller */
		return ERR_OK;
	case LZMA_STREAM_END:
		z->ended = true;
		return ERR_OK;
	case LZMA_MEM_ERROR:
		return zfail(z, ERR_NOMEM, "liblzma: out of memory");
	case LZMA_MEMLIMIT_ERROR:
		return zfail(z, ERR_NOMEM, "the xz stream needs more than %u "
		    "MiB to decode: refused", ZREAD_XZ_MEMLIMIT >> 20);
	case LZMA_FORMAT_ERROR:
		return zfail(z, ERR_MALFORMED, "not xz data");
	case LZMA_OPTIONS_ERROR:
		return zfail(z, ERR_MALFORMED, "xz options not supported");
	default:
		return zfail(z, ERR_MALFORMED, "xz data corrupt (liblzma "
		    "error %d)", (int)r);
	}
}

static int
zst_step(struct zread *z, uint8_t *buf, size_t n, size_t *used, size_t *out)
{
	ZSTD_inBuffer ib = { z->p, z->left, 0 };
	ZSTD_outBuffer ob = { buf, n, 0 };
	size_t r;

	if (z->left == 0 && z->zs_hint == 0) {
		z->ended = true;		/* every frame complete */
		return ERR_OK;
	}
	r = ZSTD_decompressStream(z->u.zs, &ob, &ib);
	*used = ib.pos;
	*out = ob.pos;
	if (ZSTD_isError(r))
		return zfail(z, ERR_MALFORMED, "zstd data corrupt (%s)",
		    ZSTD_getErrorName(r));
	z->zs_hint = r;
	return ERR_OK;
}

static int
bz_step(struct zread *z, uint8_t *buf, size_t n, size_t *used, size_t *out)
{
	bz_stream *s = &z->u.bz;
	int r;

	if (z->between && next_member(z, 'B', "bzip2") != ERR_OK)
		return z->code;
	if (z->ended)
		return ERR_OK;
	s->next_in = (char *)(uintptr_t)z->p;
	s->avail_in = clamp_uint(z->left);
	s->next_out = (char *)buf;
	s->avail_out = clamp_uint(n);
	r = BZ2_bzDecompress(s);
	*used = clamp_uint(z->left) - s->avail_in;
	*out = clamp_uint(n) - s->avail_out;
	switch (r) {
	case BZ_OK:
		return ERR_OK;
	case BZ_STREAM_END:
		z->between = true;
		return ERR_OK;
	case BZ_MEM_ERROR:
		return zfail(z, ERR_NOMEM, "libbz2: out of memory");
	default:
		return zfail(z, ERR_MALFORMED, "bzip2 data corrupt (libbz2 "
		    "error %d)", r);
	}
}

ssize_t
zread_read(struct zread *z, void *buf, size_t n)
{
	size_t used, out;
	int r;

	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	while (z->code == ERR_OK && !z->ended && n > 0) {
		if (z->left == 0 && !z->eof && refill(z) != ERR_OK)
			break;
		used = out = 0;
		switch (z->kind) {
		case ZREAD_GZIP:
			r = gz_step(z, buf, n, &used, &out);
			break;
		case ZREAD_XZ:
			r = xz_step(z, buf, n, &used, &out);
			break;
		case ZREAD_ZSTD:
			r = zst_step(z, buf, n, &used, &out);
			break;
		default:
			r = bz_step(z, buf, n, &used, &out);
			break;
		}
		z->p += used;
		z->left -= used;
		if (out > 0)
			return (ssize_t)out;	/* an error waits its turn */
		if (r != ERR_OK || z->ended || z->between || used > 0)
			continue;
		/* Neither in nor out moved: the input ended inside a
		 * stream, or the decoder is stuck on what it has. */
		if (z->eof && z->left == 0)
			zfail(z, ERR_SHORT, "%s data cut short (the file ends "
			    "inside a compressed stream)",
			    zread_kind_name(z->kind));
		else if (z->left > 0)
			zfail(z, ERR_MALFORMED, "%s decoder stopped on its "
			    "input", zread_kind_name(z->kind));
	}
	return z->code != ERR_OK ? -1 : 0;
}

const char *
zread_error(const struct zread *z)
{
	return z->err;
}

int
zread_code(const struct zread *z)
{
	return z->code;
}

uint64_t
zread_offset(const struct zread *z)
{
	return z->fed - z->left;
}

const char *
zread_name(const struct zread *z)
{
	return zread_kind_name(z->kind);
}

size_t
zread_peek(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap)
{
	char errbuf[ERRBUF_LEN];
	struct zread *z;
	size_t n = 0;
	ssize_t k;

	if (zread_new(&z, zread_kind(in, in_len), -1, "-", in, in_len,
	    errbuf) != ERR_OK)
		return 0;
	while (n < cap && (k = zread_read(z, out + n, cap - n)) > 0)
		n += (size_t)k;
	zread_free(z);
	return n;
}
