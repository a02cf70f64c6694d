/* decode.c - link layers, IPv4, IPv6 and its extension headers, UDP/TCP: the
 * per-packet path (RFC 791, 8200, 768, 9293).  Reassembly is in defrag.c. */
#include <stdlib.h>
#include <string.h>

#include "capture.h"		/* LINK_* values only */
#include "decode_link.h"
#include "decode.h"
#include "decode_int.h"
#include "defrag.h"

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

/* --- transport ------------------------------------------------------ */

static int
decode_transport(struct ctx *x, struct cur c, uint8_t proto)
{
	struct pkt *pkt = x->pkt;
	const uint8_t *h;
	size_t have, want;
	uint16_t ulen, offflags;
	int r;

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
		if (tunnel_udp_port(pkt->sport, pkt->dport) &&
		    (r = tunnel_udp(x, cur_init(c.p, have))) != ERR_NOTFOUND)
			return r;
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
		if (tunnel_ip_proto(proto) &&
		    (r = tunnel_ip(x, c, proto)) != ERR_NOTFOUND)
			return r;
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
	struct defrag_key k;
	struct cur body;
	const uint8_t *h, *dgram;
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
	r = defrag_add(x->d->frag, &k, x->ts, hl, off, want,
	    (frag & 0x2000) != 0, body, &dgram, &len);
	if (r != ERR_OK)
		return r;
	pkt->reassembled = true;
	pkt->cut = false;
	return decode_transport(x, cur_init(dgram, len), proto);
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
	struct defrag_key k;
	const uint8_t *dgram;
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
	r = defrag_add(x->d->frag, &k, x->ts, pre, offm & 0xfff8, plen - pre,
	    (offm & 1) != 0, c, &dgram, &len);
	if (r != ERR_OK)
		return r;
	pkt->reassembled = true;
	pkt->cut = false;
	return decode_ipv6_chain(x, cur_init(dgram, len), dgram, len, next,
	    false);
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
static inline int
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

/*
 * The link types of decode_link.c.  PKTAP names the link type of the frame
 * inside it, read here (PKTAP inside PKTAP is not).
 */
static int
decode_other(struct ctx *x, struct cur c, int linktype)
{
	uint16_t type = 0;
	int inner = -1;

	switch (decode_link(linktype, &c, x->pkt, &type, &inner)) {
	case DLINK_ETHERTYPE:
		return decode_ethertype(x, c, type, false);
	case DLINK_RAW:
		return decode_raw(x, c);
	case DLINK_INNER:
		break;
	case DLINK_NOT_IP:
		return non_ip(x);
	case DLINK_PROTECTED:
		x->d->st.wlan_protected++;
		return ERR_NOTFOUND;
	case DLINK_SHORT:
		return overrun(x, DL_LINK);
	default:
		return bad(x, DL_LINK);
	}
	switch (inner) {
	case LINK_ETHERNET:
		if (!decode_eth_header(x->pkt, &c, &type))
			return overrun(x, DL_LINK);
		return decode_ethertype(x, c, type, true);
	case LINK_NULL:
		return decode_null(x, c, true);
	case LINK_LOOP:
		return decode_null(x, c, false);
	case LINK_RAW_OLD:
	case LINK_RAW_OLD2:
	case LINK_RAW:
		return decode_raw(x, c);
	default:
		if (inner != LINK_PKTAP && decode_link_ok(inner))
			return decode_other(x, c, inner);
		return non_ip(x);
	}
}

/* --- tunnels (decode_tunnel.c) ------------------------------------- */

bool
decode_inner_ok(uint16_t type)
{
	switch (type) {
	case ETH_BRIDGED:
	case ETH_IPV4:
	case ETH_IPV6:
	case ETH_VLAN:
	case ETH_QINQ:
	case ETH_MPLS:
	case ETH_MPLS_MC:
		return true;
	default:
		return false;
	}
}

/*
 * The inner packet of a tunnel.  What the link layer said of the outer
 * one (MACs, VLAN tags) belongs to the tunnel's ends, not the inner
 * hosts: dropped, and an inner Ethernet frame brings its own.
 */
int
decode_inner(struct ctx *x, struct cur c, uint16_t type)
{
	struct pkt *pkt = x->pkt;

	pkt->has_mac = false;
	pkt->n_vlan = 0;
	if (type == ETH_BRIDGED) {
		if (!decode_eth_header(pkt, &c, &type))
			return overrun(x, DL_LINK);
		return decode_ethertype(x, c, type, true);
	}
	return decode_ethertype(x, c, type, false);
}

/* --- interface ------------------------------------------------------ */

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
		return decode_link_ok(linktype);
	}
}

_Static_assert(DECODE_MAX_VLAN >= 2 && MAX_TAGS >= 2,
    "decode_fast_ip() keeps two tags");

/*
 * The packets nearly every capture is made of -- Ethernet, under up to
 * two VLAN tags, IPv4 without options or fragments, or IPv6 without
 * extension headers, whole (the IP length fits what was captured), TCP,
 * or UDP to no tunnel port -- in one function, its cursor in registers.
 * The general walk hands a cursor by value down three calls (ethertype,
 * IP, transport); perf put its stack copies, loads waiting on the stores
 * just made, at the top of decode_ipv4() and decode_transport().  This
 * took dns-heavy (3.47 M packets) from 0.405 to 0.376 s and mix from
 * 0.323 to 0.299 s (the tags, another series: 0.316 to 0.308 s).  Only
 * a packet the general walk would decode the same, with the same
 * counters, is taken: every check is made before anything is written,
 * and ERR_NOTFOUND leaves *pkt and the counters as they were
 * (tests/test_decode.c compares the two).
 */
static inline __attribute__((always_inline)) int
decode_fast_ip(struct pkt *pkt, struct cur c, uint16_t type)
{
	const uint8_t *h, *t;
	struct cur body;
	size_t ipl;
	uint16_t total, offflags = 0, ulen = 0, tci[2];
	uint8_t proto, tags = 0;

	/* Mix: a fifth of its frames are tagged (802.1Q, QinQ). */
	while (tags < 2 && (type == ETH_VLAN || type == ETH_QINQ ||
	    type == ETH_QINQ_OLD1 || type == ETH_QINQ_OLD2)) {
		if ((h = cur_take(&c, 4)) == NULL)
			return ERR_NOTFOUND;
		tci[tags++] = ld_be16(h) & 0x0fff;
		type = ld_be16(h + 2);
	}
	if (type == ETH_IPV4) {
		if ((h = cur_take(&c, 20)) == NULL || h[0] != 0x45 ||
		    (ld_be16(h + 6) & 0x3fff) != 0)
			return ERR_NOTFOUND;
		total = ld_be16(h + 2);
		proto = h[9];
		if (total < 20 || cur_left(&c) < (size_t)total - 20)
			return ERR_NOTFOUND;
		body = cur_sub(&c, (size_t)total - 20);
		ipl = 4;
	} else if (type == ETH_IPV6) {
		if ((h = cur_take(&c, 40)) == NULL || h[0] >> 4 != 6)
			return ERR_NOTFOUND;
		total = ld_be16(h + 4);
		proto = h[6];
		if (cur_left(&c) < total)
			return ERR_NOTFOUND;
		body = cur_sub(&c, total);
		ipl = 6;
	} else
		return ERR_NOTFOUND;
	if (proto == IPPROTO_V_TCP) {
		if ((t = cur_take(&body, 20)) == NULL)
			return ERR_NOTFOUND;
		offflags = ld_be16(t + 12);
		if (offflags >> 12 < 5)
			return ERR_NOTFOUND;
		cur_skip(&body, (size_t)(offflags >> 12) * 4 - 20);
		if (!body.ok)
			return ERR_NOTFOUND;
	} else if (proto == IPPROTO_V_UDP) {
		if ((t = cur_take(&body, 8)) == NULL)
			return ERR_NOTFOUND;
		ulen = ld_be16(t + 4);
		if (ulen < 8 ||
		    tunnel_udp_port(ld_be16(t), ld_be16(t + 2)))
			return ERR_NOTFOUND;
	} else
		return ERR_NOTFOUND;

	pkt->cut = false;
	pkt->n_vlan = tags;
	if (tags > 0)
		pkt->vlan[0] = tci[0];
	if (tags > 1)
		pkt->vlan[1] = tci[1];
	if (ipl == 4) {
		addr_set4(&pkt->src, h + 12);
		addr_set4(&pkt->dst, h + 16);
	} else {
		addr_set6(&pkt->src, h + 8);
		addr_set6(&pkt->dst, h + 24);
	}
	pkt->proto = proto;
	pkt->sport = ld_be16(t);
	pkt->dport = ld_be16(t + 2);
	pkt->payload = body.p;
	pkt->payload_len = cur_left(&body);
	if (proto == IPPROTO_V_TCP) {
		pkt->seq = ld_be32(t + 4);
		pkt->ack = ld_be32(t + 8);
		pkt->tcp_flags = (uint8_t)(offflags & 0xff);
	} else {
		/* The shorter of the UDP and IP lengths bounds the payload. */
		if (pkt->payload_len > (size_t)ulen - 8)
			pkt->payload_len = (size_t)ulen - 8;
	}
	return ERR_OK;
}

/*
 * A packet about to be decoded in place, zeroed with plain stores: a
 * local copy cleared with memset() (a rep stos) and handed over at the
 * end (loads waiting on the stores just made) was a quarter of
 * decode_pkt() in perf on dns-heavy.
 */
static inline void
pkt_clear(struct pkt *pkt)
{
	memset(pkt, 0, offsetof(struct pkt, payload));
	pkt->payload = NULL;
	pkt->payload_len = 0;
	pkt->cut = false;
}

int
decode_plain(struct pkt *pkt, const uint8_t *data, size_t caplen,
    int linktype)
{
	struct cur c = cur_init(data, caplen);
	uint16_t type;

	if (linktype != LINK_ETHERNET)
		return ERR_NOTFOUND;
	pkt_clear(pkt);
	if (!decode_eth_header(pkt, &c, &type))
		return ERR_NOTFOUND;
	return decode_fast_ip(pkt, c, type);	/* keeps no state */
}

int
decode_pkt(struct decode *d, struct pkt *out, const uint8_t *data,
    size_t caplen, size_t len, int linktype, int64_t ts_sec)
{
	struct pkt *pkt = out;
	struct ctx x;
	struct cur c = cur_init(data, caplen);
	uint16_t type;

	/* Ethernet, nearly every packet, without the call. */
	if (linktype != LINK_ETHERNET && !decode_linktype_ok(linktype))
		return ERR_UNSUPPORTED;
	pkt_clear(pkt);
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
		if (decode_fast_ip(pkt, c, type) == ERR_OK) {
			decode_count_fast(&d->st, pkt->src.family == 6,
			    pkt->proto == IPPROTO_V_TCP);
			return ERR_OK;
		}
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
	case LINK_RAW_OLD:
	case LINK_RAW_OLD2:
	case LINK_RAW:
		return decode_raw(&x, c);
	default:
		return decode_other(&x, c, linktype);
	}
}
