/* decode.c - link layers, IP, UDP/TCP, defrag (RFC 791, 8200, 768, 9293). */
#include <stdlib.h>
#include <string.h>

#include "capture.h"		/* LINK_* values only */
#include "decode.h"

/* Ethertypes (IEEE registry). */
#define ETH_IPV4	0x0800
#define ETH_VLAN	0x8100		/* 802.1Q C-tag */
#define ETH_QINQ	0x88a8		/* 802.1ad S-tag */
#define ETH_QINQ_OLD1	0x9100		/* pre-802.1ad S-tags */
#define ETH_QINQ_OLD2	0x9200
#define ETH_IPV6	0x86dd
#define ETH_MPLS	0x8847
#define ETH_MPLS_MC	0x8848
#define ETH_PPPOE	0x8864		/* session stage (RFC 2516) */
#define ETH_MAX_LEN	1500		/* type values up to here are lengths */
#define SLL_MAX_PROTO	0x05ff		/* below: Linux ETH_P_* non-Ethernet */

#define PPP_IPV4	0x0021
#define PPP_IPV6	0x0057

#define ARPHRD_ETHER	1

/* NULL/LOOP address families: AF_INET is 2 everywhere, AF_INET6 is not. */
#define AF_NULL_INET	2
#define AF_NULL_LINUX6	10
#define AF_NULL_BSD6	24		/* NetBSD, OpenBSD */
#define AF_NULL_FREEBSD6 28
#define AF_NULL_DARWIN6	30

#define IPPROTO_V_HOPOPTS	0
#define IPPROTO_V_TCP		6
#define IPPROTO_V_UDP		17
#define IPPROTO_V_ROUTING	43
#define IPPROTO_V_FRAGMENT	44
#define IPPROTO_V_ESP		50
#define IPPROTO_V_AH		51
#define IPPROTO_V_NONE		59
#define IPPROTO_V_DSTOPTS	60
#define IPPROTO_V_MOBILITY	135
#define IPPROTO_V_HIP		139
#define IPPROTO_V_SHIM6		140

/* Hard caps on wire-controlled loops. */
#define MAX_TAGS	8		/* VLAN tags per frame */
#define MAX_LABELS	16		/* MPLS label stack entries */
#define MAX_STEPS	32		/* encapsulation steps per frame */
#define MAX_EXT		16		/* IPv6 extension headers */

/*
 * Defragmentation store.  Fragment data lives in fixed chunks taken from one
 * arena sized by frag_mem at start-up; a datagram maps each CHUNK-sized
 * stretch of its fragmentable part to a chunk on first use, so small
 * datagrams hold little memory and nothing is allocated per packet.
 * Coverage is kept in 8-byte units, the granularity of fragment offsets
 * (RFC 791, RFC 8200 4.5); only the datagram's last unit may be partial.
 */
#define FRAG_MAX	65535		/* largest IP datagram */
#define FRAG_CHUNK	1024		/* bytes; a multiple of 8 * 64 */
#define FRAG_NCHUNK	((FRAG_MAX + FRAG_CHUNK - 1) / FRAG_CHUNK)
#define FRAG_UNITS	(FRAG_CHUNK / 8)	/* 8-byte units per chunk */
#define FRAG_MAX_SLOTS	4096		/* datagrams held at once */
#define FRAG_MAX_CHUNKS	((size_t)1 << 24)	/* 16 GiB; indices fit */

struct frag_chunk {
	uint64_t	 have[FRAG_UNITS / 64];	/* units held */
	uint8_t		 data[FRAG_CHUNK];
};

struct frag_key {
	struct addr	 src;		/* family tells v4 from v6 */
	struct addr	 dst;
	uint32_t	 id;
	uint8_t		 proto;		/* v6: the fragment header's next */
};

struct frag_dgram {
	struct frag_key	 key;
	uint32_t	 hash;
	int32_t		 hnext;		/* hash chain; free list when unused */
	int32_t		 older;		/* age list, by first fragment */
	int32_t		 newer;
	int64_t		 first_ts;
	bool		 have_last;	/* the fragment without MF/M came */
	uint32_t	 total;		/* fragmentable part, once have_last */
	uint32_t	 max_end;	/* furthest byte any fragment claimed */
	uint32_t	 units;		/* 8-byte units held */
	uint32_t	 chunk[FRAG_NCHUNK];	/* chunk index + 1; 0 = none */
};

struct decode {
	struct decode_stats st;
	unsigned	 timeout;
	size_t		 n_chunks;
	struct frag_chunk *chunks;
	uint32_t	*chunk_free;	/* stack of free chunk indices */
	size_t		 n_chunk_free;
	size_t		 n_slots;
	struct frag_dgram *slots;
	int32_t		 slot_free;	/* head, chained through hnext */
	int32_t		*bucket;
	uint32_t	 bucket_mask;
	int32_t		 oldest;
	int32_t		 newest;
	uint8_t		*out;		/* FRAG_MAX bytes: the last datagram */
};

/* One decode_pkt() call. */
struct ctx {
	struct decode	*d;
	struct pkt	*pkt;
	int64_t		 ts;
};

static const char *const layer_names[DL_N] = {
	[DL_LINK] = "link",
	[DL_VLAN] = "vlan",
	[DL_MPLS] = "mpls",
	[DL_PPPOE] = "pppoe",
	[DL_IPV4] = "ipv4",
	[DL_IPV6] = "ipv6",
	[DL_FRAG] = "frag",
	[DL_UDP] = "udp",
	[DL_TCP] = "tcp",
};

static int	decode_ipv6_chain(struct ctx *, struct cur, const uint8_t *,
		    size_t, uint8_t, bool);

static int
bad(struct ctx *x, enum decode_layer l)
{
	x->d->st.malformed[l]++;
	return ERR_MALFORMED;
}

/*
 * A header ran past the captured bytes.  When the snaplen cut the frame the
 * header was fine on the wire: that is counted in stats.cut, not as
 * malformed.
 */
static int
overrun(struct ctx *x, enum decode_layer l)
{
	if (x->pkt->cut)
		return ERR_SHORT;
	return bad(x, l);
}

static int
non_ip(struct ctx *x)
{
	x->d->st.non_ip++;
	return ERR_NOTFOUND;
}

/* --- defragmentation ------------------------------------------------ */

static uint32_t
frag_hash(const struct frag_key *k)
{
	uint32_t h = 2166136261u;	/* FNV-1a: only spreads, no secret */
	size_t i;

	for (i = 0; i < sizeof(k->src.a); i++)
		h = (h ^ k->src.a[i] ^ (uint32_t)k->dst.a[i] << 8) *
		    16777619u;
	h = (h ^ k->id) * 16777619u;
	h = (h ^ k->proto ^ (uint32_t)k->src.family << 8) * 16777619u;
	return h;
}

static bool
frag_key_eq(const struct frag_key *a, const struct frag_key *b)
{
	return a->id == b->id && a->proto == b->proto &&
	    addr_eq(&a->src, &b->src) && addr_eq(&a->dst, &b->dst);
}

/* Gives a datagram's chunks and slot back. */
static void
frag_drop(struct decode *d, int32_t s)
{
	struct frag_dgram *dg = &d->slots[s];
	int32_t *pp;
	size_t i;

	for (pp = &d->bucket[dg->hash & d->bucket_mask]; *pp != s;
	    pp = &d->slots[*pp].hnext)
		;
	*pp = dg->hnext;
	if (dg->older >= 0)
		d->slots[dg->older].newer = dg->newer;
	else
		d->oldest = dg->newer;
	if (dg->newer >= 0)
		d->slots[dg->newer].older = dg->older;
	else
		d->newest = dg->older;
	for (i = 0; i < FRAG_NCHUNK; i++)
		if (dg->chunk[i] != 0)
			d->chunk_free[d->n_chunk_free++] = dg->chunk[i] - 1;
	dg->hnext = d->slot_free;
	d->slot_free = s;
}

static bool
frag_expired(const struct decode *d, int64_t t0, int64_t now)
{
	uint64_t age;

	/* Unsigned difference: no overflow on absurd file timestamps. */
	age = now >= t0 ? (uint64_t)now - (uint64_t)t0 :
	    (uint64_t)t0 - (uint64_t)now;
	return age > d->timeout;
}

/*
 * Lazy timeouts, run when a fragment arrives.  The age list is in order of
 * first fragments, so the walk stops at the first live datagram.  Time that
 * jumps back by more than the timeout (the next file of a set) also expires:
 * those fragments cannot belong to the new capture's datagrams.
 */
static void
frag_expire(struct decode *d, int64_t now)
{
	while (d->oldest >= 0 &&
	    frag_expired(d, d->slots[d->oldest].first_ts, now)) {
		frag_drop(d, d->oldest);
		d->st.frag_timeouts++;
	}
}

static int32_t
frag_find(const struct decode *d, const struct frag_key *k, uint32_t h)
{
	int32_t s;

	for (s = d->bucket[h & d->bucket_mask]; s >= 0;
	    s = d->slots[s].hnext)
		if (d->slots[s].hash == h && frag_key_eq(&d->slots[s].key, k))
			return s;
	return -1;
}

static int32_t
frag_open(struct decode *d, const struct frag_key *k, uint32_t h,
    int64_t ts)
{
	struct frag_dgram *dg;
	int32_t s;

	if (d->slot_free < 0) {		/* every slot busy: oldest goes */
		frag_drop(d, d->oldest);
		d->st.frag_evicted++;
	}
	s = d->slot_free;
	dg = &d->slots[s];
	d->slot_free = dg->hnext;
	memset(dg, 0, sizeof(*dg));
	dg->key = *k;
	dg->hash = h;
	dg->first_ts = ts;
	dg->hnext = d->bucket[h & d->bucket_mask];
	d->bucket[h & d->bucket_mask] = s;
	dg->newer = -1;
	dg->older = d->newest;
	if (d->newest >= 0)
		d->slots[d->newest].newer = s;
	else
		d->oldest = s;
	d->newest = s;
	return s;
}

/*
 * A free chunk for datagram `keep`, evicting the oldest other datagrams
 * while the arena is full.  0 when nothing else can be evicted.
 */
static uint32_t
frag_chunk_get(struct decode *d, int32_t keep)
{
	struct frag_chunk *ch;
	int32_t victim;
	uint32_t i;

	while (d->n_chunk_free == 0) {
		victim = d->oldest;
		if (victim == keep)
			victim = d->slots[keep].newer;
		if (victim < 0)
			return 0;
		frag_drop(d, victim);
		d->st.frag_evicted++;
	}
	i = d->chunk_free[--d->n_chunk_free];
	ch = &d->chunks[i];
	memset(ch->have, 0, sizeof(ch->have));
	return i + 1;
}

/*
 * Stores one fragment: data holds its wire_len bytes at byte `off` of the
 * fragmentable part (callers handle fragments cut by the snaplen); `pre` is
 * the length of the headers in front of that part, for the 65535-byte
 * limit.
 *
 * Overlap policy: the first fragment wins.  Bytes already held are kept and
 * the overlapping bytes of a later fragment are ignored (counted once per
 * fragment in frag_overlaps; an exact duplicate counts too).  A fragment that
 * contradicts the datagram's end as already known (a second, different last
 * fragment, or data past the end) is dropped and counted malformed.  The same
 * policy is used for IPv6 rather than RFC 5722's drop-all, so that both
 * families behave alike and a retransmitted fragment cannot erase a datagram.
 *
 * ERR_OK: the datagram is complete in d->out, *out_len bytes (valid until
 * the next decode_pkt()).  ERR_NOTFOUND: held, or dropped for memory.
 * ERR_MALFORMED: counted in DL_FRAG.
 */
static int
frag_add(struct ctx *x, const struct frag_key *k, size_t pre, size_t off,
    size_t wire_len, bool more, struct cur data, size_t *out_len)
{
	struct decode *d = x->d;
	struct frag_dgram *dg;
	struct frag_chunk *ch;
	size_t end = off + wire_len, cap, u, uend, n, i;
	uint32_t h, bit;
	bool overlap = false;
	int32_t s;

	d->st.frags++;
	/* All but the last fragment carry whole 8-byte units (RFC 791). */
	if ((more && (wire_len == 0 || wire_len % 8 != 0)) ||
	    pre + end > FRAG_MAX)
		return bad(x, DL_FRAG);
	frag_expire(d, x->ts);
	if (d->n_slots == 0 || d->n_chunks == 0) {
		d->st.frag_evicted++;	/* --max-frag-mem too small */
		return ERR_NOTFOUND;
	}
	h = frag_hash(k);
	if ((s = frag_find(d, k, h)) < 0)
		s = frag_open(d, k, h, x->ts);
	dg = &d->slots[s];
	if (dg->have_last ? end > dg->total || (!more && end != dg->total) :
	    !more && dg->max_end > end)
		return bad(x, DL_FRAG);
	if (!more) {
		dg->have_last = true;
		dg->total = (uint32_t)end;
	}
	if (end > dg->max_end)
		dg->max_end = (uint32_t)end;

	/* Whole 8-byte units, plus the datagram's partial last one. */
	cap = cur_left(&data);
	if (cap > wire_len)
		cap = wire_len;
	uend = (off + cap) / 8;
	if (cap == wire_len && end % 8 != 0)
		uend++;
	for (u = off / 8; u < uend; u++) {
		i = u / FRAG_UNITS;
		bit = (uint32_t)(u % FRAG_UNITS);
		n = off + cap - u * 8 < 8 ? off + cap - u * 8 : 8;
		if (dg->chunk[i] == 0 &&
		    (dg->chunk[i] = frag_chunk_get(d, s)) == 0) {
			frag_drop(d, s);	/* alone it does not fit */
			d->st.frag_evicted++;
			return ERR_NOTFOUND;
		}
		ch = &d->chunks[dg->chunk[i] - 1];
		if (ch->have[bit / 64] & (uint64_t)1 << (bit % 64)) {
			overlap = true;
			cur_skip(&data, n);
			continue;
		}
		cur_copy(&data, ch->data + (size_t)bit * 8, n);
		ch->have[bit / 64] |= (uint64_t)1 << (bit % 64);
		dg->units++;
	}
	if (overlap)
		d->st.frag_overlaps++;
	if (!dg->have_last || dg->units != (dg->total + 7) / 8)
		return ERR_NOTFOUND;

	for (i = 0; i * FRAG_CHUNK < dg->total; i++) {
		if (dg->chunk[i] == 0)		/* cannot happen: all held */
			break;
		n = dg->total - i * FRAG_CHUNK;
		memcpy(d->out + i * FRAG_CHUNK,
		    d->chunks[dg->chunk[i] - 1].data,
		    n < FRAG_CHUNK ? n : FRAG_CHUNK);
	}
	*out_len = dg->total;
	frag_drop(d, s);
	if (i * FRAG_CHUNK < *out_len)
		return bad(x, DL_FRAG);
	d->st.frag_reassembled++;
	return ERR_OK;
}

/* --- transport ------------------------------------------------------ */

static int
decode_transport(struct ctx *x, struct cur c, uint8_t proto)
{
	struct pkt *pkt = x->pkt;
	const uint8_t *h;
	size_t have, want;
	uint16_t ulen, offflags;

	pkt->proto = proto;
	switch (proto) {
	case IPPROTO_V_UDP:
		if ((h = cur_take(&c, 8)) == NULL)
			return overrun(x, DL_UDP);
		pkt->sport = ld_be16(h);
		pkt->dport = ld_be16(h + 2);
		ulen = ld_be16(h + 4);		/* then the checksum */
		if (ulen < 8)
			return bad(x, DL_UDP);
		/* The shorter of the UDP and IP lengths bounds the payload. */
		have = cur_left(&c);
		want = (size_t)ulen - 8;
		if (have > want)
			have = want;
		pkt->cut = pkt->cut && have < want;
		pkt->payload = c.p;
		pkt->payload_len = have;
		x->d->st.udp++;
		return ERR_OK;
	case IPPROTO_V_TCP:
		if ((h = cur_take(&c, 20)) == NULL)
			return overrun(x, DL_TCP);
		pkt->sport = ld_be16(h);
		pkt->dport = ld_be16(h + 2);
		pkt->seq = ld_be32(h + 4);
		pkt->ack = ld_be32(h + 8);
		offflags = ld_be16(h + 12);	/* window, checksum, urgent */
		if (offflags >> 12 < 5)
			return bad(x, DL_TCP);
		cur_skip(&c, (size_t)(offflags >> 12) * 4 - 20);  /* options */
		if (!c.ok)
			return overrun(x, DL_TCP);
		pkt->tcp_flags = (uint8_t)(offflags & 0xff);
		pkt->payload = c.p;
		pkt->payload_len = cur_left(&c);
		x->d->st.tcp++;
		return ERR_OK;
	default:
		/* ICMP errors quote other packets: never looked into. */
		pkt->payload = NULL;
		pkt->payload_len = 0;
		x->d->st.other_proto++;
		return ERR_OK;
	}
}

/* --- IPv4 ----------------------------------------------------------- */

static int
decode_ipv4(struct ctx *x, struct cur c)
{
	struct pkt *pkt = x->pkt;
	struct frag_key k;
	struct cur body;
	const uint8_t *h;
	uint8_t vihl, proto;
	uint16_t total, id, frag;
	size_t hl, have, want, off, len;
	int r;

	if ((h = cur_take(&c, 20)) == NULL)
		return overrun(x, DL_IPV4);
	vihl = h[0];				/* then DSCP, ECN */
	total = ld_be16(h + 2);
	id = ld_be16(h + 4);
	frag = ld_be16(h + 6);
	proto = h[9];				/* after the TTL */
	/* h[10..11], the checksum: offload leaves it wrong; ignored */
	if (vihl >> 4 != 4 || (vihl & 0x0f) < 5)
		return bad(x, DL_IPV4);
	hl = (size_t)(vihl & 0x0f) * 4;
	cur_skip(&c, hl - 20);			/* options */
	if (!c.ok)
		return overrun(x, DL_IPV4);
	/*
	 * Total length 0 is what a sender's capture shows under TCP
	 * segmentation offload: the NIC fills it in later.  Take the frame.
	 */
	have = cur_left(&c);
	want = total != 0 ? (size_t)total : hl + have;
	if (want < hl)
		return bad(x, DL_IPV4);
	want -= hl;
	if (have >= want) {
		body = cur_sub(&c, want);	/* drops Ethernet padding */
		pkt->cut = false;
	} else {
		if (!pkt->cut)
			return bad(x, DL_IPV4);
		body = cur_rest(&c);
	}
	addr_set4(&pkt->src, h + 12);
	addr_set4(&pkt->dst, h + 16);
	x->d->st.ipv4++;
	if ((frag & 0x3fff) == 0)		/* neither MF nor an offset */
		return decode_transport(x, body, proto);

	off = (size_t)(frag & 0x1fff) * 8;
	if (pkt->cut) {
		/* See decode_ipv6_frag(): a cut fragment never completes. */
		x->d->st.frags++;
		if (off != 0)
			return ERR_NOTFOUND;
		return decode_transport(x, body, proto);
	}
	memset(&k, 0, sizeof(k));
	k.src = pkt->src;
	k.dst = pkt->dst;
	k.id = id;
	k.proto = proto;
	r = frag_add(x, &k, hl, off, want, (frag & 0x2000) != 0, body, &len);
	if (r != ERR_OK)
		return r;
	pkt->reassembled = true;
	pkt->cut = false;
	return decode_transport(x, cur_init(x->d->out, len), proto);
}

/* --- IPv6 ----------------------------------------------------------- */

/*
 * A fragment (RFC 8200 4.5): c holds its captured data, which starts `pre`
 * bytes into a payload of plen bytes on the wire.
 */
static int
decode_ipv6_frag(struct ctx *x, struct cur c, size_t pre, size_t plen,
    uint8_t next, uint16_t offm, uint32_t id)
{
	struct pkt *pkt = x->pkt;
	struct frag_key k;
	size_t len;
	int r;

	if (pkt->cut) {
		/*
		 * The snaplen cut this fragment, so its datagram cannot be
		 * rebuilt.  The first one still carries the transport header
		 * and the start of the payload: decoded as a cut packet, it
		 * gives parsers what there is.  Later ones are dropped.
		 */
		x->d->st.frags++;
		if ((offm & 0xfff8) != 0)
			return ERR_NOTFOUND;
		return decode_ipv6_chain(x, c, c.p, plen - pre, next, false);
	}
	memset(&k, 0, sizeof(k));
	k.src = pkt->src;
	k.dst = pkt->dst;
	k.id = id;
	k.proto = next;
	r = frag_add(x, &k, pre, offm & 0xfff8, plen - pre, (offm & 1) != 0,
	    c, &len);
	if (r != ERR_OK)
		return r;
	pkt->reassembled = true;
	pkt->cut = false;
	return decode_ipv6_chain(x, cur_init(x->d->out, len), x->d->out, len,
	    next, false);
}

static bool
ipv6_is_ext(uint8_t nh)
{
	switch (nh) {
	case IPPROTO_V_HOPOPTS:
	case IPPROTO_V_ROUTING:
	case IPPROTO_V_FRAGMENT:
	case IPPROTO_V_AH:
	case IPPROTO_V_DSTOPTS:
	case IPPROTO_V_MOBILITY:
	case IPPROTO_V_HIP:
	case IPPROTO_V_SHIM6:
		return true;
	default:
		return false;
	}
}

/*
 * Walks the extension headers from nh to the transport header.  c starts at
 * `start`, which carries plen bytes on the wire (more than c holds when the
 * snaplen cut the packet).  A fragment header is followed only when
 * may_frag: a reassembled datagram holding another one is malformed.
 */
static int
decode_ipv6_chain(struct ctx *x, struct cur c, const uint8_t *start,
    size_t plen, uint8_t nh, bool may_frag)
{
	uint32_t id;
	uint16_t offm;
	uint8_t next;
	unsigned n = 0;

	for (;;) {
		if (ipv6_is_ext(nh) && n++ == MAX_EXT)
			return bad(x, DL_IPV6);
		switch (nh) {
		case IPPROTO_V_HOPOPTS:
		case IPPROTO_V_ROUTING:
		case IPPROTO_V_DSTOPTS:
		case IPPROTO_V_MOBILITY:
		case IPPROTO_V_HIP:
		case IPPROTO_V_SHIM6:
			nh = cur_u8(&c);	/* (len + 1) * 8 bytes */
			cur_skip(&c, (size_t)cur_u8(&c) * 8 + 6);
			break;
		case IPPROTO_V_AH:		/* (len + 2) * 4 bytes */
			nh = cur_u8(&c);
			cur_skip(&c, (size_t)cur_u8(&c) * 4 + 6);
			break;
		case IPPROTO_V_FRAGMENT:
			if (!may_frag)
				return bad(x, DL_FRAG);
			next = cur_u8(&c);
			cur_skip(&c, 1);		/* reserved */
			offm = cur_u16(&c);
			id = cur_u32(&c);
			if (!c.ok)
				return overrun(x, DL_IPV6);
			if ((offm & 0xfff9) != 0)
				return decode_ipv6_frag(x, c,
				    cur_off(&c, start), plen, next, offm, id);
			nh = next;	/* atomic fragment: the packet itself */
			continue;
		case IPPROTO_V_ESP:		/* encrypted: nothing to see */
		case IPPROTO_V_NONE:
			x->pkt->proto = nh;
			x->pkt->payload = NULL;
			x->pkt->payload_len = 0;
			x->d->st.other_proto++;
			return ERR_OK;
		default:
			return decode_transport(x, c, nh);
		}
		if (!c.ok)
			return overrun(x, DL_IPV6);
	}
}

static int
decode_ipv6(struct ctx *x, struct cur c)
{
	struct pkt *pkt = x->pkt;
	struct cur body;
	const uint8_t *h;
	uint8_t v, nh;
	uint16_t plen;

	if ((h = cur_take(&c, 40)) == NULL)
		return overrun(x, DL_IPV6);
	v = h[0];				/* then class, flow label */
	plen = ld_be16(h + 4);
	nh = h[6];				/* then the hop limit */
	if (v >> 4 != 6)
		return bad(x, DL_IPV6);
	/*
	 * Payload length 0 is a jumbogram (RFC 2675) or empty: the hop-by-hop
	 * header then cannot fit and the packet counts as malformed.
	 */
	if (cur_left(&c) >= plen) {
		body = cur_sub(&c, plen);	/* drops Ethernet padding */
		pkt->cut = false;
	} else {
		if (!pkt->cut)
			return bad(x, DL_IPV6);
		body = cur_rest(&c);
	}
	addr_set6(&pkt->src, h + 8);
	addr_set6(&pkt->dst, h + 24);
	x->d->st.ipv6++;
	return decode_ipv6_chain(x, body, body.p, plen, nh, true);
}

/* --- link layers ---------------------------------------------------- */

static inline bool
decode_eth_header(struct pkt *pkt, struct cur *c, uint16_t *type)
{
	const uint8_t *h;

	if ((h = cur_take(c, 14)) == NULL)
		return false;
	memcpy(pkt->mac_dst, h, 6);
	memcpy(pkt->mac_src, h + 6, 6);
	*type = ld_be16(h + 12);
	pkt->has_mac = true;
	return true;
}

/*
 * After an MPLS label stack (RFC 3032) the payload has no type: the first
 * nibble tells IPv4 and IPv6 apart, and 0 is the pseudowire control word
 * (RFC 4385) in front of an Ethernet frame (RFC 4448).
 */
static int
decode_mpls(struct ctx *x, struct cur *c, uint16_t *type)
{
	struct cur peek;
	unsigned n;
	uint8_t b;

	for (n = 0;; n++) {
		if (n == MAX_LABELS)
			return bad(x, DL_MPLS);
		if ((cur_u32(c) & 0x100) != 0)	/* bottom of stack */
			break;
		if (!c->ok)
			return overrun(x, DL_MPLS);
	}
	peek = cur_rest(c);
	b = cur_u8(&peek);
	if (!c->ok || !peek.ok)
		return overrun(x, DL_MPLS);
	switch (b >> 4) {
	case 4:
		*type = ETH_IPV4;
		return ERR_OK;
	case 6:
		*type = ETH_IPV6;
		return ERR_OK;
	case 0:
		cur_skip(c, 4);			/* control word */
		if (!decode_eth_header(x->pkt, c, type))
			return overrun(x, DL_MPLS);
		return ERR_OK;
	default:
		return non_ip(x);
	}
}

static int
decode_pppoe(struct ctx *x, struct cur *c, uint16_t *type)
{
	uint8_t vt, code;
	uint16_t plen, proto;

	vt = cur_u8(c);
	code = cur_u8(c);
	cur_skip(c, 2);				/* session id */
	plen = cur_u16(c);
	if (!c->ok)
		return overrun(x, DL_PPPOE);
	if (vt != 0x11 || code != 0 || plen < 2)
		return bad(x, DL_PPPOE);
	if (cur_left(c) > plen)
		*c = cur_sub(c, plen);
	/* An odd first byte is a compressed one-byte protocol (RFC 1661). */
	proto = cur_u8(c);
	if ((proto & 1) == 0)
		proto = (uint16_t)(proto << 8 | cur_u8(c));
	if (!c->ok)
		return overrun(x, DL_PPPOE);
	if (proto == PPP_IPV4)
		*type = ETH_IPV4;
	else if (proto == PPP_IPV6)
		*type = ETH_IPV6;
	else
		return non_ip(x);
	return ERR_OK;
}

/*
 * Follows ethertypes through tags and tunnels to IP.  llc: a type up to
 * 1500 is an 802.3 length followed by LLC (on Ethernet, not on SLL).
 */
static int
decode_ethertype(struct ctx *x, struct cur c, uint16_t type, bool llc)
{
	struct pkt *pkt = x->pkt;
	const uint8_t *h;
	unsigned steps, tags = 0;
	uint32_t oui;
	uint16_t tci;
	uint8_t dsap, ssap, ctl;
	int r;

	for (steps = 0; steps < MAX_STEPS; steps++) {
		switch (type) {
		case ETH_IPV4:
			return decode_ipv4(x, c);
		case ETH_IPV6:
			return decode_ipv6(x, c);
		case ETH_VLAN:
		case ETH_QINQ:
		case ETH_QINQ_OLD1:
		case ETH_QINQ_OLD2:
			if (++tags > MAX_TAGS)
				return bad(x, DL_VLAN);
			if ((h = cur_take(&c, 4)) == NULL)
				return overrun(x, DL_VLAN);
			tci = ld_be16(h);
			type = ld_be16(h + 2);
			if (pkt->n_vlan < DECODE_MAX_VLAN)
				pkt->vlan[pkt->n_vlan++] = tci & 0x0fff;
			continue;
		case ETH_MPLS:
		case ETH_MPLS_MC:
			if ((r = decode_mpls(x, &c, &type)) != ERR_OK)
				return r;
			llc = true;		/* inner frame may be 802.3 */
			continue;
		case ETH_PPPOE:
			if ((r = decode_pppoe(x, &c, &type)) != ERR_OK)
				return r;
			continue;
		default:
			break;
		}
		if (!llc || type > ETH_MAX_LEN)
			return non_ip(x);	/* ARP, LLDP, unknown */
		/* 802.2 LLC; only SNAP with the ethertype OUI carries IP. */
		dsap = cur_u8(&c);
		ssap = cur_u8(&c);
		ctl = cur_u8(&c);
		if (!c.ok)
			return overrun(x, DL_LINK);
		if (dsap != 0xaa || ssap != 0xaa || ctl != 0x03)
			return non_ip(x);
		oui = cur_u24(&c);
		type = cur_u16(&c);
		if (!c.ok)
			return overrun(x, DL_LINK);
		if (oui != 0)
			return non_ip(x);
		llc = false;
	}
	return bad(x, DL_LINK);
}

/*
 * Linux cooked headers.  The address is the sender's link address: with
 * ARPHRD_ETHER and 6 bytes it is the source MAC; the destination is not
 * recorded.  Protocol values up to 0x05ff are Linux's own non-Ethernet
 * ETH_P_* numbers (802.2 LLC, CAN, ...).
 */
static int
decode_sll_tail(struct ctx *x, struct cur c, uint16_t hatype, size_t alen,
    struct cur a, uint16_t proto)
{
	if (hatype == ARPHRD_ETHER && alen == 6) {
		cur_copy(&a, x->pkt->mac_src, 6);
		x->pkt->has_mac = true;
	}
	if (proto <= SLL_MAX_PROTO)
		return non_ip(x);
	return decode_ethertype(x, c, proto, false);
}

static int
decode_sll(struct ctx *x, struct cur c)
{
	struct cur a;
	uint16_t hatype, alen, proto;

	cur_skip(&c, 2);			/* packet type */
	hatype = cur_u16(&c);
	alen = cur_u16(&c);
	a = cur_sub(&c, 8);
	proto = cur_u16(&c);
	if (!c.ok)
		return overrun(x, DL_LINK);
	return decode_sll_tail(x, c, hatype, alen, a, proto);
}

static int
decode_sll2(struct ctx *x, struct cur c)
{
	struct cur a;
	uint16_t hatype, proto;
	uint8_t alen;

	proto = cur_u16(&c);
	cur_skip(&c, 2 + 4);			/* reserved, interface index */
	hatype = cur_u16(&c);
	cur_skip(&c, 1);			/* packet type */
	alen = cur_u8(&c);
	a = cur_sub(&c, 8);
	if (!c.ok)
		return overrun(x, DL_LINK);
	return decode_sll_tail(x, c, hatype, alen, a, proto);
}

static bool
af_is_inet6(uint32_t af)
{
	return af == AF_NULL_LINUX6 || af == AF_NULL_BSD6 ||
	    af == AF_NULL_FREEBSD6 || af == AF_NULL_DARWIN6;
}

/*
 * NULL has the address family in the capturing host's byte order, which a
 * file does not record: both orders are tried (no family value collides
 * with another's swapped form).  LOOP is always big-endian.  Some systems
 * put an ethertype in the last two bytes instead (Wireshark reads those
 * the same way): an IP ethertype there is followed too.
 */
static int
decode_null(struct ctx *x, struct cur c, bool both_orders)
{
	struct cur le = c;
	uint32_t af_be, af_le;

	af_be = cur_u32(&c);
	af_le = cur_u32le(&le);
	if (!c.ok)
		return overrun(x, DL_LINK);
	if (!both_orders)
		af_le = af_be;
	if (af_be == AF_NULL_INET || af_le == AF_NULL_INET)
		return decode_ipv4(x, c);
	if (af_is_inet6(af_be) || af_is_inet6(af_le))
		return decode_ipv6(x, c);
	if ((af_be & 0xffff) == ETH_IPV4)
		return decode_ipv4(x, c);
	if ((af_be & 0xffff) == ETH_IPV6)
		return decode_ipv6(x, c);
	return non_ip(x);
}

/* Raw IP: the version nibble is the only type there is. */
static int
decode_raw(struct ctx *x, struct cur c)
{
	struct cur peek = c;
	uint8_t b;

	b = cur_u8(&peek);
	if (!peek.ok)
		return overrun(x, DL_LINK);
	if (b >> 4 == 4)
		return decode_ipv4(x, c);
	if (b >> 4 == 6)
		return decode_ipv6(x, c);
	return bad(x, DL_LINK);
}

/* --- interface ------------------------------------------------------ */

struct decode *
decode_new(size_t frag_mem, unsigned frag_timeout)
{
	struct decode *d;
	size_t i, nb;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->timeout = frag_timeout;
	d->n_chunks = frag_mem / FRAG_CHUNK;
	if (d->n_chunks > FRAG_MAX_CHUNKS)
		d->n_chunks = FRAG_MAX_CHUNKS;
	d->n_slots = d->n_chunks < FRAG_MAX_SLOTS ? d->n_chunks :
	    FRAG_MAX_SLOTS;
	for (nb = 1; nb < d->n_slots; nb <<= 1)
		;
	d->bucket_mask = (uint32_t)(nb - 1);
	d->chunks = calloc(d->n_chunks ? d->n_chunks : 1, sizeof(*d->chunks));
	d->chunk_free = calloc(d->n_chunks ? d->n_chunks : 1,
	    sizeof(*d->chunk_free));
	d->slots = calloc(d->n_slots ? d->n_slots : 1, sizeof(*d->slots));
	d->bucket = calloc(nb, sizeof(*d->bucket));
	d->out = malloc(FRAG_MAX);
	if (d->chunks == NULL || d->chunk_free == NULL || d->slots == NULL ||
	    d->bucket == NULL || d->out == NULL) {
		decode_free(d);
		return NULL;
	}
	for (i = 0; i < d->n_chunks; i++)	/* lowest index on top */
		d->chunk_free[i] = (uint32_t)(d->n_chunks - 1 - i);
	d->n_chunk_free = d->n_chunks;
	for (i = 0; i < d->n_slots; i++)
		d->slots[i].hnext = i + 1 < d->n_slots ? (int32_t)(i + 1) : -1;
	d->slot_free = d->n_slots > 0 ? 0 : -1;
	for (i = 0; i < nb; i++)
		d->bucket[i] = -1;
	d->oldest = d->newest = -1;
	return d;
}

void
decode_free(struct decode *d)
{
	if (d == NULL)
		return;
	free(d->chunks);
	free(d->chunk_free);
	free(d->slots);
	free(d->bucket);
	free(d->out);
	free(d);
}

const struct decode_stats *
decode_stats(const struct decode *d)
{
	return &d->st;
}

const char *
decode_layer_name(enum decode_layer l)
{
	if ((unsigned)l >= DL_N)
		return "?";
	return layer_names[l];
}

bool
decode_linktype_ok(int linktype)
{
	switch (linktype) {
	case LINK_NULL:
	case LINK_ETHERNET:
	case LINK_RAW_OLD:
	case LINK_RAW_OLD2:
	case LINK_RAW:
	case LINK_LOOP:
	case LINK_LINUX_SLL:
	case LINK_IPV4:
	case LINK_IPV6:
	case LINK_LINUX_SLL2:
		return true;
	default:
		return false;
	}
}

int
decode_pkt(struct decode *d, struct pkt *out, const uint8_t *data,
    size_t caplen, size_t len, int linktype, int64_t ts_sec)
{
	struct pkt *pkt = out;
	struct ctx x;
	struct cur c = cur_init(data, caplen);
	uint16_t type;

	if (!decode_linktype_ok(linktype))
		return ERR_UNSUPPORTED;
	/*
	 * Decoded in place and zeroed with plain stores: a local copy
	 * cleared with memset() (a rep stos) and handed over at the end
	 * (loads waiting on the stores just made) was a quarter of
	 * decode_pkt() in perf on dns-heavy.
	 */
	memset(pkt, 0, offsetof(struct pkt, payload));
	pkt->payload = NULL;
	pkt->payload_len = 0;
	pkt->cut = false;
	x.d = d;
	x.pkt = pkt;
	x.ts = ts_sec;
	if (caplen < len) {
		pkt->cut = true;
		d->st.cut++;
	}
	switch (linktype) {
	case LINK_ETHERNET:
		if (!decode_eth_header(pkt, &c, &type))
			return overrun(&x, DL_LINK);
		return decode_ethertype(&x, c, type, true);
	case LINK_LINUX_SLL:
		return decode_sll(&x, c);
	case LINK_LINUX_SLL2:
		return decode_sll2(&x, c);
	case LINK_NULL:
		return decode_null(&x, c, true);
	case LINK_LOOP:
		return decode_null(&x, c, false);
	case LINK_IPV4:
		return decode_ipv4(&x, c);
	case LINK_IPV6:
		return decode_ipv6(&x, c);
	default:				/* the raw IP types */
		return decode_raw(&x, c);
	}
}
