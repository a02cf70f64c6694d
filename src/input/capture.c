/* capture.c - saved captures read in place (draft-ietf-opsawg-pcap{,ng}).
 * Owns the reader core: buffers and mapped windows, records, next, close. */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_int.h"

/*
 * A regular file is mapped a window at a time and walked in place: windows
 * start on a 2 MiB boundary (the page cache's large folios map whole) and
 * are at least CAP_MAP_WIN long, so the resident size stays flat.
 */
#define CAP_MAP_ALIGN	(2u * 1024 * 1024)
#define CAP_MAP_WIN	(8u * 1024 * 1024)
#define CAP_MAP_SLOTS	8			/* captures mapped at once */

const uint8_t cap_empty[1];

/*
 * Records the sticky error of the reader and copies it out.  With at_off the
 * message names the offset of the record being read.
 */
int CAP_PRINTF(5, 6)
cap_fail(struct capture *c, int r, char *errbuf, bool at_off,
    const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (at_off)
		snprintf(c->err, sizeof(c->err), "%s: offset %llu%s: %s",
		    c->name, (unsigned long long)c->off, c->z != NULL ?
		    " (decompressed)" : "", why);
	else
		snprintf(c->err, sizeof(c->err), "%s", why);
	c->state = r;
	if (errbuf != NULL)
		memcpy(errbuf, c->err, ERRBUF_LEN);
	return r;
}

/*
 * With buffers of another owner (capture_set_bufs()) the bytes before off
 * may still be in use: nothing is moved.  The rest of the buffer is read
 * into while want fits there; else the record begun at off is copied to
 * the start of a fresh buffer.
 */
static int
cap_swap(struct capture *c, size_t want, char *errbuf)
{
	size_t idx = (size_t)(c->off - c->buf_off), cap, keep;
	uint8_t *nb;
	int r;

	if (idx + want <= c->buf_cap)
		return ERR_OK;
	if (want > CAP_RECORD_MAX + PCAP_REC_LEN)
		return cap_fail(c, ERR_NOMEM, errbuf, false,
		    "%s: no memory for a %zu byte record", c->name, want);
	if ((r = c->bufs.swap(c->bufs.arg, c->buf, &nb, &cap, want)) ==
	    ERR_NOMEM)
		return cap_fail(c, r, errbuf, false,
		    "%s: no memory for a %zu byte record", c->name, want);
	if (r != ERR_OK)
		return cap_fail(c, r, errbuf, false, "%s: reading stopped",
		    c->name);
	keep = c->fill - idx;
	if (keep > 0)
		memcpy(nb, c->buf + idx, keep);
	c->buf = nb;
	c->buf_cap = cap;
	c->fill = keep;
	c->buf_off = c->off;
	return ERR_OK;
}

/* Reads from the pipe until `want` bytes are buffered or it ends. */
static int
cap_refill(struct capture *c, size_t want, char *errbuf)
{
	size_t idx = (size_t)(c->off - c->buf_off);
	struct pollfd pfd;
	ssize_t n;
	int r;

	if (c->bufs.swap != NULL) {
		if ((r = cap_swap(c, want, errbuf)) != ERR_OK)
			return r;
	} else if (idx > 0) {
		/* The caller is done with the bytes before off: drop them. */
		memmove(c->buf, c->buf + idx, c->fill - idx);
		c->fill -= idx;
		c->buf_off = c->off;
	}
	if (want > c->buf_cap - (size_t)(c->off - c->buf_off)) {
		/* Only as large as the largest record met needs. */
		size_t cap = (want + 0xffff) & ~(size_t)0xffff;
		uint8_t *nb;

		if (want > CAP_RECORD_MAX + PCAP_REC_LEN ||
		    (nb = realloc(c->buf, cap)) == NULL)
			return cap_fail(c, ERR_NOMEM, errbuf, false,
			    "%s: no memory for a %zu byte record", c->name,
			    want);
		c->buf = nb;
		c->buf_cap = cap;
	}
	/* A regular file may have grown since read() last met its end. */
	if (c->reg)
		c->eof = false;
	want += (size_t)(c->off - c->buf_off);	/* 0 unless bufs */
	while (c->fill < want && !c->eof) {
		n = c->z != NULL ? zread_read(c->z, c->buf + c->fill,
		    c->buf_cap - c->fill) : read(c->fd, c->buf + c->fill,
		    c->buf_cap - c->fill);
		if (n < 0 && c->z != NULL)
			return cap_fail(c, zread_code(c->z), errbuf, false,
			    "%s", zread_error(c->z));
		if (n > 0) {
			c->fill += (size_t)n;
		} else if (n == 0) {
			c->eof = true;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			pfd.fd = c->fd;
			pfd.events = POLLIN;
			(void)poll(&pfd, 1, -1);
		} else if (errno != EINTR) {
			return cap_fail(c, ERR_IO, errbuf, false,
			    "%s: read: %s", c->name, strerror(errno));
		}
	}
	return ERR_OK;
}

/*
 * A file truncated by someone else while it is mapped makes reads of its
 * lost pages raise SIGBUS.  The handler puts zero pages in their place and
 * marks the capture, whose next fetch then fails with a clear message: the
 * record being read is cut short, what was learned before it is kept.
 */
static struct cap_map {
	volatile uintptr_t	lo, hi;		/* the window; hi 0: free */
	volatile sig_atomic_t	lost;
} cap_maps[CAP_MAP_SLOTS];
static struct sigaction cap_bus_old;
static bool cap_bus_set;
static uintptr_t cap_page;		/* sysconf() is not for handlers */

static void
cap_bus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr, pg, lo;
	size_t i;

	(void)uc;
	pg = cap_page;
	for (i = 0; i < CAP_MAP_SLOTS; i++) {
		if (a < cap_maps[i].lo || a >= cap_maps[i].hi)
			continue;
		lo = a & ~(pg - 1);
		if (mmap((void *)lo, cap_maps[i].hi - lo, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
		    MAP_FAILED)
			break;
		cap_maps[i].lost = 1;
		return;
	}
	/* Not ours: what would have happened without us. */
	sigaction(sig, &cap_bus_old, NULL);
	raise(sig);
}

static void
cap_unmap(struct capture *c)
{
	if (c->win == NULL)
		return;
	cap_maps[c->slot].lo = 0;
	cap_maps[c->slot].hi = 1;	/* still taken */
	munmap(c->win, c->win_len);
	c->win = NULL;
	c->win_len = 0;
}

/* Takes a slot for a mapped file; false when none is free. */
bool
cap_map_slot(struct capture *c)
{
	struct sigaction sa;
	int i;

	for (i = 0; i < CAP_MAP_SLOTS; i++)
		if (cap_maps[i].hi == 0)
			break;
	if (i == CAP_MAP_SLOTS)
		return false;
	if (!cap_bus_set) {
		cap_page = (uintptr_t)sysconf(_SC_PAGESIZE);
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = cap_bus;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGBUS, &sa, &cap_bus_old) != 0)
			return false;
		cap_bus_set = true;
	}
	cap_maps[i].lost = 0;
	cap_maps[i].hi = 1;		/* taken, nothing mapped yet */
	c->slot = i;
	return true;
}

/* Gives the slot back: the file is read as a pipe from now on. */
void
cap_unmap_all(struct capture *c)
{
	cap_unmap(c);
	cap_maps[c->slot].hi = 0;
	c->mapped = false;
}

/* The mapping failed: go on reading from off as from a pipe. */
static int
cap_unmapped(struct capture *c, size_t want, char *errbuf)
{
	cap_unmap(c);
	cap_maps[c->slot].hi = 0;
	c->mapped = false;
	if (lseek(c->fd, (off_t)c->off, SEEK_SET) == (off_t)-1)
		return cap_fail(c, ERR_IO, errbuf, false, "%s: seek: %s",
		    c->name, strerror(errno));
	c->buf_off = c->off;
	c->fill = 0;
	c->eof = false;
	return cap_refill(c, want, errbuf);
}

/* Maps a window holding [off, off + want), or as much of it as the file
 * has. */
static int
cap_remap(struct capture *c, size_t want, char *errbuf)
{
	uint64_t start = c->off & ~(uint64_t)(CAP_MAP_ALIGN - 1), end;
	struct stat st;
	void *w;

	if (want > CAP_RECORD_MAX + PCAP_REC_LEN)
		return cap_fail(c, ERR_NOMEM, errbuf, false,
		    "%s: no memory for a %zu byte record", c->name, want);
	/* A file still being written has grown since we last looked. */
	if (c->off + want > c->file_size && fstat(c->fd, &st) == 0 &&
	    (uint64_t)st.st_size > c->file_size)
		c->file_size = (uint64_t)st.st_size;
	end = c->off + want;
	if (end < start + CAP_MAP_WIN)
		end = start + CAP_MAP_WIN;
	if (end > c->file_size)
		end = c->file_size;
	cap_unmap(c);
	if (end <= c->off)
		return ERR_OK;			/* nothing left */
	if (end - start > SIZE_MAX)
		return cap_unmapped(c, want, errbuf);
	w = mmap(NULL, (size_t)(end - start), PROT_READ, MAP_PRIVATE, c->fd,
	    (off_t)start);
	if (w == MAP_FAILED)
		return cap_unmapped(c, want, errbuf);
	c->win = w;
	c->win_len = (size_t)(end - start);
	c->win_off = start;
	cap_maps[c->slot].lo = (uintptr_t)w;
	cap_maps[c->slot].hi = (uintptr_t)w + c->win_len;
	return ERR_OK;
}

/*
 * Keeps the bytes up to CAP_AHEAD past the next record on their way into
 * the cache while this one is decoded.  Walking a mapped file record by
 * record is a chain of loads each waiting on memory (the next record's
 * place is in this one's header); streamed ahead, the walk of mix took
 * 0.06 s instead of 0.21, and reading it into a buffer 0.19.
 */
#define CAP_AHEAD	2048u

static inline void
cap_prefetch(struct capture *c)
{
	uint64_t end = c->win_off + c->win_len, lim = c->off + CAP_AHEAD;

	if (!c->mapped)
		return;
	if (lim > end)
		lim = end;
	if (c->pf < c->off || c->pf < c->win_off)
		c->pf = c->off & ~(uint64_t)63;
	if (c->pf < c->win_off)
		c->pf = c->win_off;
	for (; c->pf < lim; c->pf += 64)
		__builtin_prefetch(c->win + (size_t)(c->pf - c->win_off));
}

/*
 * *out gets the next n bytes at off, or fewer when the input ends first
 * (none at a clean end).  The bytes stay valid until the next cap_fetch().
 */
int
cap_fetch(struct capture *c, size_t n, struct cur *out, char *errbuf)
{
	size_t idx, left;
	int r;

	if (c->fd < 0 && c->z == NULL) {
		left = c->len - (size_t)c->off;
		if (left == 0)
			*out = cur_init(cap_empty, 0);
		else
			*out = cur_init(c->base + c->off, left < n ? left : n);
		return ERR_OK;
	}
	if (c->mapped) {
		if (cap_maps[c->slot].lost)
			return cap_fail(c, ERR_IO, errbuf, true,
			    "the file shrank while being read (truncated by "
			    "another program?); the record before was cut "
			    "short");
		if (c->off < c->win_off ||
		    c->off + n > c->win_off + c->win_len) {
			if ((r = cap_remap(c, n, errbuf)) != ERR_OK)
				return r;
		}
		if (c->mapped) {
			if (c->win == NULL || c->off >= c->win_off + c->win_len)
				*out = cur_init(cap_empty, 0);
			else {
				idx = (size_t)(c->off - c->win_off);
				left = c->win_len - idx;
				*out = cur_init(c->win + idx, left < n ? left :
				    n);
			}
			return ERR_OK;
		}
		/* The mapping failed: read on as a pipe. */
	}
	idx = (size_t)(c->off - c->buf_off);
	if (c->fill - idx < n && (!c->eof || c->reg)) {
		if ((r = cap_refill(c, n, errbuf)) != ERR_OK)
			return r;
		idx = (size_t)(c->off - c->buf_off);	/* 0 unless bufs */
	}
	left = c->fill - idx;
	if (left == 0)
		*out = cur_init(cap_empty, 0);
	else
		*out = cur_init(c->buf + idx, left < n ? left : n);
	return ERR_OK;
}

/*
 * Time in units of 1/units second to seconds and nanoseconds, exactly and
 * in 64 bits: frac * 10^9 can need 94 bits, so powers of two above 2^32 are
 * shifted in two steps.
 */
static void
cap_ts(const struct cap_iface *i, uint64_t t, int64_t *sec, uint32_t *nsec)
{
	uint64_t s = t / i->units, frac = t % i->units, ns;
	uint64_t p = 1;
	int k;

	if (i->pow2) {
		if (i->exp < 32) {
			ns = frac * 1000000000u >> i->exp;
		} else {
			uint64_t lo = (frac & 0xffffffffu) * 1000000000u;
			uint64_t hi = (frac >> 32) * 1000000000u;

			ns = (hi + (lo >> 32)) >> (i->exp - 32);
		}
	} else if (i->exp <= 9) {
		for (k = i->exp; k < 9; k++)
			p *= 10;
		ns = frac * p;
	} else {
		for (k = 9; k < i->exp; k++)
			p *= 10;
		ns = frac / p;
	}
	*nsec = (uint32_t)ns;
	*sec = s > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)s;
	if (i->tsoffset > 0 && *sec > INT64_MAX - i->tsoffset)
		*sec = INT64_MAX;
	else if (i->tsoffset < 0 && *sec < INT64_MIN - i->tsoffset)
		*sec = INT64_MIN;
	else
		*sec += i->tsoffset;
}

/* 1 when the filter keeps pkt, 0 when it rejects it, else an error. */
static int
cap_filter(struct capture *c, const struct capture_pkt *pkt, char *errbuf)
{
	struct cap_filter *f = NULL;
	struct bpf_program prog;
	struct pcap_pkthdr h;
	char why[256];
	int i, r;

	if (c->expr == NULL)
		return 1;
	for (i = 0; i < c->n_filters; i++)
		if (c->filters[i].linktype == pkt->linktype) {
			f = &c->filters[i];
			break;
		}
	if (f == NULL) {
		/* Set-up work, once per link type met; a file with more
		 * link types than slots recycles the oldest. */
		if ((r = cap_compile(&prog, c->expr, pkt->linktype, why,
		    sizeof(why))) != ERR_OK)
			return cap_fail(c, r, errbuf, false,
			    "filter: %s (linktype %d)", why, pkt->linktype);
		if (c->n_filters < CAP_FILTERS_MAX) {
			f = &c->filters[c->n_filters++];
		} else {
			f = &c->filters[c->next_evict];
			c->next_evict = (c->next_evict + 1) % CAP_FILTERS_MAX;
			pcap_freecode(&f->prog);
		}
		f->linktype = pkt->linktype;
		f->prog = prog;
	}
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)pkt->ts_sec;
	h.ts.tv_usec = (suseconds_t)(pkt->ts_nsec / 1000);
	h.caplen = pkt->caplen;
	h.len = pkt->len;
	return pcap_offline_filter(&f->prog, &h, pkt->data) != 0;
}

/* --- classic pcap ------------------------------------------------------ */

/* The bytes at off already in memory (the buffer, the window, the caller's
 * bytes), without fetching any; none when the window's file shrank. */
static inline struct cur
cap_here(const struct capture *c)
{
	uint64_t idx;

	/* As cap_fetch(): memory read as it is; decompressed bytes (z) are
	 * in the buffer, at offsets of the decompressed stream. */
	if (c->fd < 0 && c->z == NULL)
		return cur_init(c->base + c->off, c->len - (size_t)c->off);
	if (c->mapped) {
		if (cap_maps[c->slot].lost || c->off < c->win_off ||
		    c->off - c->win_off >= c->win_len)
			return cur_init(NULL, 0);
		idx = c->off - c->win_off;
		return cur_init(c->win + (size_t)idx, c->win_len -
		    (size_t)idx);
	}
	if (c->off < c->buf_off || c->off - c->buf_off >= c->fill)
		return cur_init(NULL, 0);
	idx = c->off - c->buf_off;
	return cur_init(c->buf + (size_t)idx, c->fill - (size_t)idx);
}

static int
pcap_record(struct capture *c, struct capture_pkt *pkt, char *errbuf)
{
	struct cur h, rec;
	uint32_t sec, frac, caplen, len, tmp, max;
	size_t left;
	int r;

	/*
	 * The common case, a whole record inside the buffer or the mapped
	 * window, takes the same steps with the cursor over the bytes there
	 * and no fetch (two fetches a record were a tenth of reading
	 * dns-heavy; reading into the buffer, cap_fetch() and capture_next()
	 * were 7.5% of it).  Anything else takes the path below.
	 */
	h = cap_here(c);
	if (cur_left(&h) >= PCAP_REC_LEN) {
		/* Four fields in reach (checked above): no check each. */
		sec = hdr32(c, h.p);
		frac = hdr32(c, h.p + 4);
		caplen = hdr32(c, h.p + 8);
		len = hdr32(c, h.p + 12);
		cur_skip(&h, PCAP_REC_LEN);
		if (c->swap == SWAP_YES ||
		    (c->swap == SWAP_MAYBE && caplen > len)) {
			tmp = caplen;
			caplen = len;
			len = tmp;
		}
		max = c->pcap_if.snaplen > CAP_SNAP_DEFAULT ?
		    c->pcap_if.snaplen : CAP_SNAP_DEFAULT;
		if (caplen <= max && caplen <= CAP_RECORD_MAX &&
		    caplen <= cur_left(&h)) {
			pkt->data = h.p;
			pkt->caplen = caplen;
			pkt->len = len;
			goto stamp;
		}
	}
	if ((r = cap_fetch(c, PCAP_REC_LEN, &h, errbuf)) != ERR_OK)
		return r;
	if ((left = cur_left(&h)) == 0)
		return ERR_END;
	if (left < PCAP_REC_LEN)
		return cap_fail(c, ERR_SHORT, errbuf, true,
		    "record header cut short at end of file (%zu of %u "
		    "bytes)", left, PCAP_REC_LEN);
	sec = rd32(c, &h);
	frac = rd32(c, &h);
	caplen = rd32(c, &h);
	len = rd32(c, &h);
	if (c->swap == SWAP_YES || (c->swap == SWAP_MAYBE && caplen > len)) {
		tmp = caplen;
		caplen = len;
		len = tmp;
	}
	max = c->pcap_if.snaplen > CAP_SNAP_DEFAULT ? c->pcap_if.snaplen :
	    CAP_SNAP_DEFAULT;
	if (caplen > max || caplen > CAP_RECORD_MAX)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "record captured length %u larger than the snaplen %u",
		    caplen, c->pcap_if.snaplen);
	if ((r = cap_fetch(c, PCAP_REC_LEN + (size_t)caplen, &rec, errbuf)) !=
	    ERR_OK)
		return r;
	if ((left = cur_left(&rec)) < PCAP_REC_LEN + (size_t)caplen)
		return cap_fail(c, ERR_SHORT, errbuf, true,
		    "record cut short at end of file (captured length %u, "
		    "%zu bytes left)", caplen, left - PCAP_REC_LEN);
	cur_skip(&rec, PCAP_REC_LEN);
	pkt->data = rec.p;
	pkt->caplen = caplen;
	pkt->len = len;
stamp:
	/* A fraction of a second, as nearly every writer leaves it: no
	 * division; one past it carries into the seconds. */
	if (c->nsec) {
		pkt->ts_sec = (int64_t)sec;
		pkt->ts_nsec = frac;
		if (frac >= 1000000000u) {
			pkt->ts_sec += frac / 1000000000u;
			pkt->ts_nsec = frac % 1000000000u;
		}
	} else {
		pkt->ts_sec = (int64_t)sec;
		pkt->ts_nsec = frac * 1000u;
		if (frac >= 1000000u) {
			pkt->ts_sec += frac / 1000000u;
			pkt->ts_nsec = frac % 1000000u * 1000u;
		}
	}
	pkt->linktype = c->pcap_if.linktype;
	pkt->snaplen = c->pcap_if.snaplen;
	pkt->ifindex = 0;
	pkt->offset = c->off;
	c->off += PCAP_REC_LEN + (uint64_t)caplen;
	cap_prefetch(c);
	return ERR_OK;
}

/* --- pcapng ------------------------------------------------------------ */

/*
 * Checks the framing of the block at off; *body gets what lies between its
 * two length fields and *blen its total length.  ERR_END at a clean end.
 */
int
cap_ng_block(struct capture *c, uint32_t *type, uint32_t *blen,
    struct cur *body, char *errbuf)
{
	struct cur h, t, blk;
	uint32_t len, trail, bom;
	size_t left;
	int r;

	if ((r = cap_fetch(c, 12, &h, errbuf)) != ERR_OK)
		return r;
	if ((left = cur_left(&h)) == 0)
		return ERR_END;
	if (left < 8)
		return cap_fail(c, ERR_SHORT, errbuf, true,
		    "block header cut short at end of file (%zu of 8 bytes)",
		    left);
	t = cur_rest(&h);
	if (cur_u32le(&t) == NG_SHB) {
		/* A section gives its byte order before its length. */
		if (left < 12)
			return cap_fail(c, ERR_SHORT, errbuf, true,
			    "section header cut short at end of file "
			    "(%zu of 12 bytes)", left);
		cur_skip(&t, 4);
		bom = cur_u32le(&t);
		if (bom == NG_BOM)
			c->be = false;
		else if (bom == NG_BOM_SWAPPED)
			c->be = true;
		else
			return cap_fail(c, ERR_MALFORMED, errbuf, true,
			    "bad section byte-order magic 0x%08x", bom);
	}
	*type = rd32(c, &h);
	len = rd32(c, &h);
	if (len < 12 || len % 4 != 0)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "bad block length %u (type 0x%08x)", len, *type);
	if (len > CAP_RECORD_MAX)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "block length %u larger than %u (type 0x%08x)", len,
		    CAP_RECORD_MAX, *type);
	if ((r = cap_fetch(c, len, &blk, errbuf)) != ERR_OK)
		return r;
	if ((left = cur_left(&blk)) < len)
		return cap_fail(c, ERR_SHORT, errbuf, true,
		    "block cut short at end of file (length %u, %zu bytes "
		    "left)", len, left);
	cur_skip(&blk, 8);
	*body = cur_sub(&blk, len - 12);
	if ((trail = rd32(c, &blk)) != len)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "trailing block length %u differs from %u", trail, len);
	*blen = len;
	return ERR_OK;
}

static int
ng_packet(struct capture *c, uint32_t type, struct cur *body,
    struct capture_pkt *pkt, char *errbuf)
{
	const struct cap_iface *i;
	struct cur data;
	uint32_t id, caplen = 0, len;
	uint64_t t = 0;

	if (type == NG_SPB) {
		id = 0;
		len = rd32(c, body);
	} else {
		if (type == NG_PB) {
			id = rd16(c, body);
			cur_skip(body, 2);	/* drops_count */
		} else {
			id = rd32(c, body);
		}
		t = (uint64_t)rd32(c, body) << 32;
		t |= rd32(c, body);
		caplen = rd32(c, body);
		len = rd32(c, body);
	}
	if (!body->ok)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "packet block too short (type %u)", type);
	if (id >= c->n_ifs)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "packet for unknown interface %u (%zu in this section)",
		    id, c->n_ifs);
	i = &c->ifs[id];
	if (type == NG_SPB) {
		/* No captured length: the block holds min(len, snaplen)
		 * bytes plus padding. */
		caplen = (uint32_t)cur_left(body);
		if (len < caplen)
			caplen = len;
		if (i->snaplen != 0 && i->snaplen < caplen)
			caplen = i->snaplen;
		pkt->ts_sec = 0;
		pkt->ts_nsec = 0;
	} else {
		cap_ts(i, t, &pkt->ts_sec, &pkt->ts_nsec);
	}
	data = cur_sub(body, caplen);
	if (!data.ok)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "captured length %u runs past its block", caplen);
	pkt->data = caplen > 0 ? data.p : cap_empty;
	pkt->caplen = caplen;
	pkt->len = len;
	pkt->linktype = i->linktype;
	pkt->snaplen = i->snaplen;
	pkt->ifindex = id;
	pkt->offset = c->off;
	return ERR_OK;
}

/* The next packet record, ERR_END, or an error; other blocks are used or
 * skipped on the way. */
static int
ng_record(struct capture *c, struct capture_pkt *pkt, char *errbuf)
{
	struct cur body;
	uint32_t type, blen;
	int r;

	for (;;) {
		if ((r = cap_ng_block(c, &type, &blen, &body, errbuf)) !=
		    ERR_OK)
			return r;
		switch (type) {
		case NG_SHB:
			r = cap_ng_shb(c, &body, errbuf);
			break;
		case NG_IDB:
			r = cap_ng_idb(c, &body, errbuf);
			break;
		case NG_EPB:
		case NG_SPB:
		case NG_PB:
			if ((r = ng_packet(c, type, &body, pkt, errbuf)) ==
			    ERR_OK) {
				c->off += blen;
				cap_prefetch(c);
				return ERR_OK;
			}
			break;
		default:
			/* Name resolution, statistics, secrets, custom... */
			c->stats.blocks_skipped++;
			break;
		}
		if (r != ERR_OK)
			return r;
		c->off += blen;
	}
}

/* --- live captures ----------------------------------------------------- */

/* Per packet, so beside capture_next(); opening an interface and its
 * counters are in capture_live.c. */
static int
cap_live_record(struct capture *c, struct capture_pkt *pkt, char *errbuf)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int r;

	r = pcap_next_ex(c->live, &h, &data);
	if (r == 0)
		return ERR_NOTFOUND;
	if (r != 1)
		return cap_fail(c, ERR_IO, errbuf, false, "%s: %s", c->name,
		    r == PCAP_ERROR ? pcap_geterr(c->live) : "capture ended");
	pkt->data = h->caplen > 0 ? data : cap_empty;
	pkt->caplen = h->caplen;
	pkt->len = h->len;
	pkt->ts_sec = (int64_t)h->ts.tv_sec;
	pkt->ts_nsec = c->live_nsec ? (uint32_t)h->ts.tv_usec :
	    (uint32_t)h->ts.tv_usec * 1000u;
	pkt->linktype = c->live_lt;
	pkt->snaplen = c->live_snap;
	pkt->ifindex = 0;
	pkt->offset = 0;
	return ERR_OK;
}

int
capture_next(struct capture *c, struct capture_pkt *pkt, char *errbuf)
{
	int r;

	if (c->state != ERR_OK) {
		memcpy(errbuf, c->err, ERRBUF_LEN);
		return c->state;
	}
	/* Straight into *pkt: a copy of it was a tenth of this function. */
	for (;;) {
		if (c->fmt == FMT_PCAP)
			r = pcap_record(c, pkt, errbuf);
		else if (c->fmt == FMT_LIVE)
			r = cap_live_record(c, pkt, errbuf);
		else
			r = ng_record(c, pkt, errbuf);
		if (r != ERR_OK)
			return r;
		pkt->frame = ++c->frame;
		c->stats.records++;
		c->stats.bytes += pkt->caplen;
		/* Without -f, nearly always: no call a packet. */
		if (c->expr == NULL)
			break;
		if ((r = cap_filter(c, pkt, errbuf)) < 0)
			return r;
		if (r == 1)
			break;
		c->stats.filtered++;
	}
	return ERR_OK;
}

int
capture_set_bufs(struct capture *c, const struct capture_bufs *b,
    uint8_t **own, size_t *own_cap)
{
	*own = NULL;
	*own_cap = 0;
	if (c->fmt == FMT_LIVE || c->mapped)
		return ERR_UNSUPPORTED;
	if (c->fd < 0 && c->z == NULL)
		return ERR_OK;		/* the caller's memory stays put */
	/* Read on in the buffer the open read ahead into; it is the
	 * owner's now. */
	c->bufs = *b;
	*own = c->buf;
	*own_cap = c->buf_cap;
	return ERR_OK;
}

bool
capture_is_stream(const struct capture *c)
{
	return c->fd >= 0 && !c->reg;
}

bool
capture_all_read(const struct capture *c)
{
	struct stat st;

	return c->reg && c->z == NULL && !c->mapped && fstat(c->fd, &st) ==
	    0 && (uint64_t)st.st_size <= c->buf_off + c->fill;
}

uint64_t
capture_offset(const struct capture *c)
{
	return c->z != NULL ? zread_offset(c->z) : c->off;
}

const struct capture_stats *
capture_stats(const struct capture *c)
{
	return &c->stats;
}

const char *
capture_format(const struct capture *c)
{
	return c->fmt == FMT_LIVE ? "live" : c->fmt == FMT_PCAP ? "pcap" :
	    "pcapng";
}

void
capture_close(struct capture *c)
{
	if (c == NULL)
		return;
	cap_filters_free(c);
	free(c->expr);
	if (c->mapped) {
		cap_unmap(c);
		cap_maps[c->slot].hi = 0;
	}
	if (c->own_fd)
		close(c->fd);
	if (c->live != NULL)
		pcap_close(c->live);
	zread_free(c->z);
	if (c->bufs.swap == NULL)
		free(c->buf);
	free(c->ifs);
	free(c->name);
	free(c);
}
