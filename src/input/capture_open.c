/* capture_open.c - opening saved captures: files, pipes, memory; the format
 * told by its magic, the pcap file header and the first pcapng section. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_int.h"

static int
pcap_header(struct capture *c, uint32_t magic, char *errbuf)
{
	struct cur h;
	uint32_t major, minor, snaplen, linktype;
	int r;

	c->be = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
	c->nsec = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
	if ((r = cap_fetch(c, PCAP_HDR_LEN, &h, errbuf)) != ERR_OK)
		return r;
	if (cur_left(&h) < PCAP_HDR_LEN)
		return cap_fail(c, ERR_SHORT, errbuf, true,
		    "pcap file header cut short at end of file");
	cur_skip(&h, 4);			/* magic */
	major = rd16(c, &h);
	minor = rd16(c, &h);
	cur_skip(&h, 4 + 4);			/* thiszone, sigfigs: unused */
	snaplen = rd32(c, &h);
	linktype = rd32(c, &h);
	if (major != 2 || minor > 4)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "unsupported pcap version %u.%u", major, minor);
	c->swap = minor < 3 ? SWAP_YES : minor == 3 ? SWAP_MAYBE : SWAP_NO;
	/* The upper bits carry FCS information, not the link type. */
	cap_iface_init(&c->pcap_if, (int)(linktype & 0xffff), snaplen);
	c->off += PCAP_HDR_LEN;
	c->stats.sections = 1;
	c->stats.interfaces = 1;
	return ERR_OK;
}

bool
capture_magic(const uint8_t *p, size_t n)
{
	static const uint8_t magics[][4] = {
		{ 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 },
		{ 0x4d, 0x3c, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0x3c, 0x4d },
		{ 0x0a, 0x0d, 0x0d, 0x0a },
	};
	size_t i;

	if (n > sizeof(magics[0]))
		n = sizeof(magics[0]);
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (memcmp(p, magics[i], n) == 0)
			return true;
	return false;
}

static int
cap_start(struct capture *c, char *errbuf)
{
	struct cur h, body;
	enum zread_kind zk;
	uint32_t magic, type, blen;
	size_t left;
	int r;

	if ((r = cap_fetch(c, 4, &h, errbuf)) != ERR_OK)
		return r;
	if ((left = cur_left(&h)) == 0)
		return cap_fail(c, ERR_MALFORMED, errbuf, false,
		    "%s: empty file", c->name);
	if (left < 4) {
		if (capture_magic(h.p, left))
			return cap_fail(c, ERR_SHORT, errbuf, true,
			    "file header cut short at end of file (%zu "
			    "bytes)", left);
		return cap_fail(c, ERR_MALFORMED, errbuf, false,
		    "%s: not a pcap or pcapng file (%zu bytes)", c->name,
		    left);
	}
	magic = cur_u32le(&h);
	switch (magic) {
	case 0xa1b2c3d4u:
	case 0xd4c3b2a1u:
	case 0xa1b23c4du:
	case 0x4d3cb2a1u:
		c->fmt = FMT_PCAP;
		return pcap_header(c, magic, errbuf);
	case NG_SHB:
		c->fmt = FMT_PCAPNG;
		if ((r = cap_ng_block(c, &type, &blen, &body, errbuf)) !=
		    ERR_OK)
			return r;
		if ((r = cap_ng_shb(c, &body, errbuf)) != ERR_OK)
			return r;
		c->off += blen;
		return ERR_OK;
	default:
		if (c->z == NULL && (r = cap_fetch(c, ZREAD_MAGIC_LEN, &h,
		    errbuf)) == ERR_OK && (zk = zread_kind(h.p,
		    cur_left(&h))) != ZREAD_NONE)
			return cap_decompress(c, zk, errbuf);
		if (r != ERR_OK)
			return r;
		/* Shown in file order, as a hex dump would show it. */
		return cap_fail(c, ERR_MALFORMED, errbuf, false,
		    "%s: not a pcap or pcapng file (magic 0x%02x%02x%02x%02x%s"
		    "%s%s)", c->name, magic & 0xff, magic >> 8 & 0xff,
		    magic >> 16 & 0xff, magic >> 24, c->z != NULL ?
		    " inside the " : "", c->z != NULL ? zread_name(c->z) : "",
		    c->z != NULL ? " data" : "");
	}
}

/*
 * Whatever the input was read through so far (memory, a mapped window, the
 * pipe's buffer) becomes the decompressor's input, from byte 0; the
 * decompressed bytes are then read like a pipe's.
 */
int
cap_decompress(struct capture *c, enum zread_kind zk, char *errbuf)
{
	const uint8_t *head = NULL;
	size_t head_len = 0;
	int r, fd = c->fd;

	if (c->fd < 0) {
		head = c->base;
		head_len = c->len;
	} else if (c->mapped) {
		cap_unmap_all(c);
		if (lseek(c->fd, 0, SEEK_SET) == (off_t)-1)
			return cap_fail(c, ERR_IO, errbuf, false, "%s: seek: %s",
			    c->name, strerror(errno));
	} else {
		head = c->buf;
		head_len = c->fill;
	}
	if ((r = zread_new(&c->z, zk, fd, c->name, head, head_len,
	    errbuf)) != ERR_OK)
		return cap_fail(c, r, errbuf, false, "%s", errbuf);
	if (c->buf == NULL) {
		if ((c->buf = malloc(CAP_PIPE_INIT)) == NULL)
			return cap_fail(c, ERR_NOMEM, errbuf, false, "%s: %s",
			    c->name, strerror(ENOMEM));
		c->buf_cap = CAP_PIPE_INIT;
	}
	c->fill = 0;
	c->buf_off = 0;
	c->off = 0;
	c->eof = false;
	return cap_start(c, errbuf);
}

struct capture *
cap_new(const char *name, char *errbuf)
{
	struct capture *c;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->name = strdup(name)) == NULL) {
		free(c);
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", name, strerror(ENOMEM));
		return NULL;
	}
	c->fd = -1;
	c->base = cap_empty;
	return c;
}

static int
cap_finish(struct capture **out, struct capture *c, char *errbuf)
{
	int r;

	if ((r = cap_start(c, errbuf)) != ERR_OK) {
		capture_close(c);
		return r;
	}
	*out = c;
	return ERR_OK;
}

int
capture_open_buf(struct capture **out, const void *buf, size_t len,
    const char *name, char *errbuf)
{
	struct capture *c;

	if ((c = cap_new(name, errbuf)) == NULL)
		return ERR_NOMEM;
	if (len > 0) {
		c->base = buf;
		c->len = len;
	}
	return cap_finish(out, c, errbuf);
}

int
capture_open_file(struct capture **out, const char *path, char *errbuf)
{
	return capture_open_file_prefix(out, path, NULL, 0, errbuf);
}

int
capture_open_file_prefix(struct capture **out, const char *path,
    const uint8_t *prefix, size_t prefix_len, char *errbuf)
{
	struct capture *c = NULL;
	struct stat st;
	bool is_stdin = strcmp(path, "-") == 0;
	int fd, r = ERR_IO;

	if (is_stdin)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(EISDIR));
		goto out;
	}
	if ((c = cap_new(path, errbuf)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	/*
	 * Every input, a regular file too, is read with read() into one
	 * reused 1 MiB buffer and its records parsed in place there.
	 * Measured (issue 17, bench captures at scale 1 in the page cache,
	 * 2 vCPU VM, CPU time user + sys, medians of 10 paired runs): mix
	 * (1.6 GB) 0.49 s read against 0.81 s mapped, dns-heavy (636 MB)
	 * 0.59 s against 0.64 s, a 30 MB mix the same.  The kernel's copy
	 * leaves the bytes in the cache where the parse reads them; mapped,
	 * every window costs page faults and a munmap() (TLB flushes, dear
	 * on a VM) and the parse itself waits on memory, prefetch or not.
	 * Buffers of 128 and 256 KiB measured the same as 1 MiB.  Mapping
	 * a window at a time (KASAUDIT_MMAP in the environment, for such
	 * comparisons) is kept: a regular file, standard input too when it
	 * is one read from its start.  KASAUDIT_NO_MMAP overrides it.
	 */
	if (prefix_len == 0 && S_ISREG(st.st_mode) &&
	    getenv("KASAUDIT_MMAP") != NULL &&
	    getenv("KASAUDIT_NO_MMAP") == NULL &&
	    (!is_stdin || lseek(fd, 0, SEEK_CUR) == 0) && cap_map_slot(c)) {
		c->mapped = true;
		c->file_size = (uint64_t)st.st_size;
	}
	if ((c->buf = malloc(CAP_PIPE_INIT)) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(ENOMEM));
		r = ERR_NOMEM;
		goto out;
	}
	c->buf_cap = CAP_PIPE_INIT;
	if (prefix_len > 0 && prefix_len <= CAP_PIPE_INIT) {
		memcpy(c->buf, prefix, prefix_len);
		c->fill = prefix_len;
	}
	c->fd = fd;
	c->reg = S_ISREG(st.st_mode);
	c->own_fd = !is_stdin;
	fd = -1;
	r = cap_finish(out, c, errbuf);
	c = NULL;			/* *out owns it, or it is freed */
out:
	capture_close(c);
	if (fd >= 0 && !is_stdin)
		close(fd);
	return r;
}
