/* evidence.c - pcapng writer (draft-ietf-opsawg-pcapng 4.1-4.3); flow set.
 * Owns the interface table and the flow set of --write-matches/-flows. */
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "name.h"

#define NG_SHB		0x0A0D0D0Au
#define NG_IDB		1u
#define NG_EPB		6u
#define NG_BOM		0x1A2B3C4Du
#define OPT_END		0
#define OPT_COMMENT	1
#define OPT_SHB_USERAPPL 4
#define OPT_IF_TSRESOL	9
#define APP_MAX		128
#define NSEC		1000000000u

/*
 * Block headers and options are put together in a fixed buffer through
 * wbuf: every put checks the room left and a put that does not fit only
 * clears ok, so a block is either built whole or not written at all.
 * Packet bytes go straight from the capture's buffer to the file.
 */
struct wbuf {
	uint8_t	 b[64 + EVIDENCE_COMMENT_MAX + 8];
	size_t	 len;
	bool	 ok;
};

static void
wb_put(struct wbuf *w, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (!w->ok || n > sizeof(w->b) - w->len) {
		w->ok = false;
		return;
	}
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void
wb_u16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	wb_put(w, b, 2);
}

static void
wb_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	wb_put(w, b, 4);
}

static void
wb_zero(struct wbuf *w, size_t n)
{
	static const uint8_t z[4];

	while (n > 0) {
		wb_put(w, z, n < 4 ? n : 4);
		n -= n < 4 ? n : 4;
	}
}

static size_t
pad4(size_t n)
{
	return (4 - n % 4) % 4;
}

/* An option: code, length, value, padding to 32 bits. */
static void
wb_opt(struct wbuf *w, uint16_t code, const void *p, size_t n)
{
	wb_u16(w, code);
	wb_u16(w, (uint16_t)n);
	wb_put(w, p, n);
	wb_zero(w, pad4(n));
}

struct iface {
	int		 linktype;
	uint32_t	 snaplen;
};

struct evidence {
	FILE			*fp;
	bool			 failed;
	struct iface		 ifaces[EVIDENCE_IFACES_MAX];
	struct evidence_stats	 st;
	struct wbuf		 wb;
	uint8_t			 text[EVIDENCE_COMMENT_MAX];
};

static void
out(struct evidence *ev, const void *p, size_t n)
{
	if (!ev->failed && n > 0 && fwrite(p, 1, n, ev->fp) != n)
		ev->failed = true;
}

/* Writes what wbuf holds as one block of this type (lengths filled in). */
static void
block_out(struct evidence *ev, struct wbuf *w, uint32_t type,
    const uint8_t *data, size_t data_len, struct wbuf *tail)
{
	struct wbuf h = { .len = 0, .ok = true };
	uint32_t total = (uint32_t)(12 + w->len + data_len + pad4(data_len) +
	    (tail != NULL ? tail->len : 0));
	uint8_t t[4] = { (uint8_t)total, (uint8_t)(total >> 8),
	    (uint8_t)(total >> 16), (uint8_t)(total >> 24) };

	if (!w->ok || (tail != NULL && !tail->ok)) {
		ev->failed = true;
		return;
	}
	wb_u32(&h, type);
	wb_u32(&h, total);
	out(ev, h.b, h.len);
	out(ev, w->b, w->len);
	out(ev, data, data_len);
	out(ev, "\0\0\0", pad4(data_len));
	if (tail != NULL)
		out(ev, tail->b, tail->len);
	out(ev, t, 4);
}

int
evidence_new(struct evidence **res, FILE *fp, const char *app)
{
	struct evidence *ev;
	struct wbuf *w;
	size_t n = app != NULL ? strlen(app) : 0;

	if ((ev = calloc(1, sizeof(*ev))) == NULL)
		return ERR_NOMEM;
	ev->fp = fp;
	w = &ev->wb;
	w->len = 0;
	w->ok = true;
	wb_u32(w, NG_BOM);
	wb_u16(w, 1);			/* major */
	wb_u16(w, 0);			/* minor */
	wb_u32(w, 0xffffffffu);		/* section length: not given */
	wb_u32(w, 0xffffffffu);
	if (n > 0)
		wb_opt(w, OPT_SHB_USERAPPL, app, n < APP_MAX ? n : APP_MAX);
	wb_opt(w, OPT_END, NULL, 0);
	block_out(ev, w, NG_SHB, NULL, 0, NULL);
	if (ev->failed) {
		free(ev);
		return ERR_IO;
	}
	*res = ev;
	return ERR_OK;
}

/* The interface number of (linktype, snaplen), its IDB written if new. */
static int
iface_of(struct evidence *ev, int linktype, uint32_t snaplen)
{
	static const uint8_t tsresol = 9;	/* 10^-9 s */
	struct wbuf *w = &ev->wb;
	unsigned i;

	for (i = 0; i < ev->st.ifaces; i++)
		if (ev->ifaces[i].linktype == linktype &&
		    ev->ifaces[i].snaplen == snaplen)
			return (int)i;
	if (i == EVIDENCE_IFACES_MAX)
		return -1;
	w->len = 0;
	w->ok = true;
	wb_u16(w, (uint16_t)linktype);
	wb_u16(w, 0);
	wb_u32(w, snaplen);
	wb_opt(w, OPT_IF_TSRESOL, &tsresol, 1);
	wb_opt(w, OPT_END, NULL, 0);
	block_out(ev, w, NG_IDB, NULL, 0, NULL);
	ev->ifaces[i].linktype = linktype;
	ev->ifaces[i].snaplen = snaplen;
	ev->st.ifaces++;
	return (int)i;
}

/* opt_comment must be UTF-8: the rest is shown as \xHH.  Returns length. */
static size_t
clean_comment(uint8_t *dst, const char *src, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)src;
	size_t i = 0, o = 0, k;

	while (i < n) {
		k = p[i] >= 0x20 && p[i] != 0x7f ? name_utf8_len(p + i, n - i) : 0;
		if (k > 0) {
			if (k > EVIDENCE_COMMENT_MAX - o)
				break;
			memcpy(dst + o, p + i, k);
			o += k;
			i += k;
			continue;
		}
		if (EVIDENCE_COMMENT_MAX - o < 4)
			break;
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = (uint8_t)hex[p[i] >> 4];
		dst[o++] = (uint8_t)hex[p[i] & 15];
		i++;
	}
	return o;
}

int
evidence_write(struct evidence *ev, const struct capture_pkt *cp,
    const char *comment, size_t comment_len)
{
	struct wbuf *w = &ev->wb;
	struct wbuf tail = { .len = 0, .ok = true };
	uint64_t t;
	uint32_t snap;
	size_t n;
	int ifid;

	if (ev->failed)
		return ERR_IO;
	/* A record longer than its input's snaplen (a damaged or doctored
	 * file) is written whole, under an interface whose snaplen holds it:
	 * readers such as tcpdump refuse a record over its snaplen. */
	snap = cp->snaplen;
	if (snap != 0 && cp->caplen > snap)
		snap = cp->caplen > EVIDENCE_SNAP_BIG ? cp->caplen :
		    EVIDENCE_SNAP_BIG;
	if ((ifid = iface_of(ev, cp->linktype, snap)) < 0) {
		ev->st.no_iface++;
		return ERR_FULL;
	}
	/* pcapng time stamps are unsigned: nothing before 1970. */
	if (cp->ts_sec < 0) {
		t = 0;
		ev->st.before_epoch++;
	} else if ((uint64_t)cp->ts_sec > (UINT64_MAX - NSEC) / NSEC)
		t = UINT64_MAX;
	else
		t = (uint64_t)cp->ts_sec * NSEC + cp->ts_nsec % NSEC;
	w->len = 0;
	w->ok = true;
	wb_u32(w, (uint32_t)ifid);
	wb_u32(w, (uint32_t)(t >> 32));
	wb_u32(w, (uint32_t)t);
	wb_u32(w, cp->caplen);
	wb_u32(w, cp->len);
	if (comment != NULL && comment_len > 0 &&
	    (n = clean_comment(ev->text, comment, comment_len)) > 0) {
		wb_opt(&tail, OPT_COMMENT, ev->text, n);
		wb_opt(&tail, OPT_END, NULL, 0);
	}
	block_out(ev, w, NG_EPB, cp->data, cp->caplen, &tail);
	if (ev->failed)
		return ERR_IO;
	ev->st.packets++;
	ev->st.bytes += cp->caplen;
	return ERR_OK;
}

int
evidence_finish(struct evidence *ev)
{
	if (!ev->failed && (fflush(ev->fp) != 0 || ferror(ev->fp)))
		ev->failed = true;
	return ev->failed ? ERR_IO : ERR_OK;
}

const struct evidence_stats *
evidence_stats(const struct evidence *ev)
{
	return &ev->st;
}

void
evidence_free(struct evidence *ev)
{
	free(ev);
}

/* ---- the set of matched flows ------------------------------------------ */

struct fkey {
	struct addr	 a, b;		/* a <= b (address, then port) */
	uint16_t	 pa, pb;
	uint8_t		 proto;
	bool		 used;
};

struct evidence_flows {
	struct fkey	*slots;
	size_t		 cap;		/* a power of two */
	size_t		 n;
	size_t		 max;
	uint64_t	 refused;
};

static void
key_of(struct fkey *k, const struct pkt *p)
{
	uint16_t sp = 0, dp = 0;
	int c;

	memset(k, 0, sizeof(*k));
	if (p->proto == 6 || p->proto == 17) {
		sp = p->sport;
		dp = p->dport;
	}
	c = addr_cmp(&p->src, &p->dst);
	if (c < 0 || (c == 0 && sp <= dp)) {
		k->a = p->src;
		k->pa = sp;
		k->b = p->dst;
		k->pb = dp;
	} else {
		k->a = p->dst;
		k->pa = dp;
		k->b = p->src;
		k->pb = sp;
	}
	k->proto = p->proto;
	k->used = true;
}

static size_t
key_hash(const struct fkey *k)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a, 64 bits */
	const uint8_t *parts[2] = { (const uint8_t *)&k->a,
	    (const uint8_t *)&k->b };
	size_t i, j;

	for (j = 0; j < 2; j++)
		for (i = 0; i < sizeof(struct addr); i++)
			h = (h ^ parts[j][i]) * 1099511628211ull;
	h = (h ^ k->pa) * 1099511628211ull;
	h = (h ^ k->pb) * 1099511628211ull;
	h = (h ^ k->proto) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

static bool
key_eq(const struct fkey *x, const struct fkey *y)
{
	return addr_eq(&x->a, &y->a) && addr_eq(&x->b, &y->b) &&
	    x->pa == y->pa && x->pb == y->pb && x->proto == y->proto;
}

/* The slot holding k, or the empty one where it would go. */
static struct fkey *
slot_find(struct fkey *slots, size_t cap, const struct fkey *k)
{
	size_t i = key_hash(k) & (cap - 1);

	while (slots[i].used && !key_eq(&slots[i], k))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

struct evidence_flows *
evidence_flows_new(size_t max)
{
	struct evidence_flows *fs;

	if ((fs = calloc(1, sizeof(*fs))) == NULL)
		return NULL;
	fs->cap = 64;
	fs->max = max;
	if ((fs->slots = calloc(fs->cap, sizeof(*fs->slots))) == NULL) {
		free(fs);
		return NULL;
	}
	return fs;
}

void
evidence_flows_free(struct evidence_flows *fs)
{
	if (fs == NULL)
		return;
	free(fs->slots);
	free(fs);
}

static int
flows_grow(struct evidence_flows *fs)
{
	struct fkey *ns;
	size_t i, cap = fs->cap * 2;

	if (cap > SIZE_MAX / sizeof(*ns) ||
	    (ns = calloc(cap, sizeof(*ns))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < fs->cap; i++)
		if (fs->slots[i].used)
			*slot_find(ns, cap, &fs->slots[i]) = fs->slots[i];
	free(fs->slots);
	fs->slots = ns;
	fs->cap = cap;
	return ERR_OK;
}

int
evidence_flows_add(struct evidence_flows *fs, const struct pkt *p)
{
	struct fkey k, *s;

	key_of(&k, p);
	s = slot_find(fs->slots, fs->cap, &k);
	if (s->used)
		return ERR_OK;
	if (fs->n >= fs->max) {
		fs->refused++;
		return ERR_FULL;
	}
	/* Doubles at 3/4 full, like the aggregate's tables. */
	if ((fs->n + 1) * 4 > fs->cap * 3) {
		if (flows_grow(fs) != ERR_OK) {
			fs->refused++;
			return ERR_NOMEM;
		}
		s = slot_find(fs->slots, fs->cap, &k);
	}
	*s = k;
	fs->n++;
	return ERR_OK;
}

bool
evidence_flows_has(const struct evidence_flows *fs, const struct pkt *p)
{
	struct fkey k;

	key_of(&k, p);
	return slot_find(fs->slots, fs->cap, &k)->used;
}

size_t
evidence_flows_count(const struct evidence_flows *fs)
{
	return fs->n;
}

uint64_t
evidence_flows_refused(const struct evidence_flows *fs)
{
	return fs->refused;
}
