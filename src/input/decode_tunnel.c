/* decode_tunnel.c - opens tunnels for decode.c: GRE, ERSPAN, GRE-in-UDP,
 * VXLAN, Geneve, GTP-U, IP in IP, AYIYA, Teredo; records each outer layer. */
#include <string.h>

#include "decode_int.h"

#define IPPROTO_T_IPIP	4
#define IPPROTO_T_IPV6	41
#define IPPROTO_T_GRE	47

#define ETH_T_IPV4	0x0800
#define ETH_T_IPV6	0x86dd
#define ETH_T_ARP	0x0806
#define GRE_ERSPAN	0x88be		/* types I and II */
#define GRE_ERSPAN3	0x22eb

/* GRE flags (RFC 2784 2.1, RFC 2890 2), first byte. */
#define GRE_C		0x80		/* checksum and reserved1 present */
#define GRE_R		0x40		/* RFC 1701 routing: not opened */
#define GRE_K		0x20		/* key present */
#define GRE_S		0x10		/* sequence number present */
#define GRE_RSVD0	0x0f		/* strict route, recursion */

#define GTPU_GPDU	0xff		/* a user's packet (T-PDU) */
#define GTPU_MAX_EXT	16		/* extension headers chained */

#define AYIYA_FORWARD	1
#define AYIYA_ECHO_FWD	3		/* echo request and forward */

/* Counted, and the packet stays what it was outside. */
static int
not_opened(struct ctx *x, enum encap_kind k)
{
	x->d->st.tunnels_not_opened[k]++;
	return ERR_NOTFOUND;
}

/*
 * Records the outer layer and decodes what it carries; its addresses
 * become the packet's.  Past the depth the packet is counted and left as
 * the outer one.
 */
static int
enter(struct ctx *x, struct cur c, enum encap_kind k, uint16_t type,
    uint32_t id, bool has_id)
{
	struct pkt *p = x->pkt;
	struct encap *e;

	if (p->n_encap >= x->d->tun_depth) {
		x->d->st.tunnels_too_deep++;
		return ERR_NOTFOUND;
	}
	e = &p->encap[p->n_encap++];
	e->src = p->src;
	e->dst = p->dst;
	e->id = id;
	e->kind = (uint8_t)k;
	e->has_id = has_id;
	x->d->st.tunnels[k]++;
	return decode_inner(x, c, type);
}

/*
 * For a tunnel recognised by a UDP port only: does c start with what
 * `type` promises?  Ordinary traffic to the port stays plain UDP.
 */
static bool
plausible(struct cur c, uint16_t type)
{
	const uint8_t *h;
	uint16_t t;

	switch (type) {
	case ETH_T_IPV4:
		return (h = cur_take(&c, 1)) != NULL && h[0] >> 4 == 4 &&
		    (h[0] & 0x0f) >= 5;
	case ETH_T_IPV6:
		return (h = cur_take(&c, 1)) != NULL && h[0] >> 4 == 6;
	case ETH_BRIDGED:
		if ((h = cur_take(&c, 14)) == NULL)
			return false;
		t = ld_be16(h + 12);
		return decode_inner_ok(t) || t == ETH_T_ARP;
	default:
		return decode_inner_ok(type);
	}
}

/* IPv4 or IPv6 by the version nibble; 0 for neither. */
static uint16_t
ip_by_nibble(struct cur c)
{
	uint8_t b = cur_u8(&c);

	if (!c.ok)
		return 0;
	return b >> 4 == 4 ? ETH_T_IPV4 : b >> 4 == 6 ? ETH_T_IPV6 : 0;
}

/* --- GRE and ERSPAN --------------------------------------------------- */

/*
 * ERSPAN (draft-foschiano-erspan): type I is a bare frame; type II (with
 * the GRE sequence number) an 8-byte header of version 1; type III a
 * 12-byte header of version 2, then an optional 8-byte platform
 * subheader, and a frame type (0: Ethernet).  The id is the session.
 */
static int
erspan(struct ctx *x, struct cur c, uint16_t gtype, bool seq)
{
	const uint8_t *h;

	if (gtype == GRE_ERSPAN && !seq)
		return enter(x, c, ENCAP_ERSPAN, ETH_BRIDGED, 0, false);
	if (gtype == GRE_ERSPAN) {
		if ((h = cur_take(&c, 8)) == NULL || h[0] >> 4 != 1)
			return not_opened(x, ENCAP_ERSPAN);
	} else {
		if ((h = cur_take(&c, 12)) == NULL || h[0] >> 4 != 2 ||
		    (h[10] >> 2 & 0x1f) != 0)
			return not_opened(x, ENCAP_ERSPAN);
		if (h[11] & 1)
			cur_skip(&c, 8);
		if (!c.ok)
			return not_opened(x, ENCAP_ERSPAN);
	}
	return enter(x, c, ENCAP_ERSPAN, ETH_BRIDGED, ld_be16(h + 2) & 0x3ff,
	    true);
}

/*
 * A GRE header (RFC 2784, with RFC 2890's key and sequence number).
 * NVGRE (RFC 7637) is GRE with a bridged frame and a key: opened the
 * same way.  Version 1 (PPTP's enhanced GRE, RFC 2637), routing, and
 * protocol types other than IP, Ethernet, MPLS and ERSPAN are not
 * opened.  `udp`: found by port (RFC 8086): anything odd is not GRE.
 */
static int
gre(struct ctx *x, struct cur c, enum encap_kind k, bool udp)
{
	uint32_t key = 0;
	uint16_t type;
	uint8_t f0, f1;

	f0 = cur_u8(&c);
	f1 = cur_u8(&c);
	type = cur_u16(&c);
	if (!c.ok)
		return udp ? ERR_NOTFOUND : not_opened(x, k);
	if (udp && ((f0 & (GRE_R | GRE_RSVD0)) != 0 || f1 != 0))
		return ERR_NOTFOUND;
	if ((f1 & 0x07) != 0 || (f0 & GRE_R) != 0)
		return not_opened(x, k);
	if (f0 & GRE_C)
		cur_skip(&c, 4);		/* checksum, reserved1 */
	if (f0 & GRE_K)
		key = cur_u32(&c);
	if (f0 & GRE_S)
		cur_skip(&c, 4);		/* sequence number */
	if (!c.ok)
		return udp ? ERR_NOTFOUND : not_opened(x, k);
	if (type == GRE_ERSPAN || type == GRE_ERSPAN3)
		return erspan(x, c, type, (f0 & GRE_S) != 0);
	if (!decode_inner_ok(type))
		return udp ? ERR_NOTFOUND : not_opened(x, k);
	if (udp && !plausible(c, type))
		return ERR_NOTFOUND;
	return enter(x, c, k, type, key, (f0 & GRE_K) != 0);
}

/* --- IP protocols ----------------------------------------------------- */

bool
tunnel_ip_proto(uint8_t proto)
{
	return proto == IPPROTO_T_IPIP || proto == IPPROTO_T_IPV6 ||
	    proto == IPPROTO_T_GRE;
}

int
tunnel_ip(struct ctx *x, struct cur c, uint8_t proto)
{
	bool v4 = x->pkt->src.family == 4;

	switch (proto) {
	case IPPROTO_T_IPIP:
		return enter(x, c, v4 ? ENCAP_IPIP : ENCAP_4IN6, ETH_T_IPV4,
		    0, false);
	case IPPROTO_T_IPV6:
		return enter(x, c, v4 ? ENCAP_6IN4 : ENCAP_6IN6, ETH_T_IPV6,
		    0, false);
	case IPPROTO_T_GRE:
		return gre(x, c, ENCAP_GRE, false);
	default:
		return ERR_NOTFOUND;
	}
}

/* --- UDP ports -------------------------------------------------------- */

/*
 * VXLAN (RFC 7348): flags with I set, a 24-bit VNI, an Ethernet frame.
 * The group policy extension's G bit and group are allowed.  With the P
 * bit it is VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe): the next protocol is
 * IPv4 (1), IPv6 (2) or Ethernet (3); NSH and MPLS are not opened.
 */
static int
vxlan(struct ctx *x, struct cur c)
{
	const uint8_t *h;
	uint16_t type;

	if ((h = cur_take(&c, 8)) == NULL || (h[0] & 0x08) == 0 || h[7] != 0)
		return ERR_NOTFOUND;
	if (h[0] & 0x04) {
		if ((h[0] & 0x30) != 0)		/* GPE version 0 */
			return ERR_NOTFOUND;
		switch (h[3]) {
		case 1:
			type = ETH_T_IPV4;
			break;
		case 2:
			type = ETH_T_IPV6;
			break;
		case 3:
			type = ETH_BRIDGED;
			break;
		default:
			return h[3] <= 5 ? not_opened(x, ENCAP_VXLAN) :
			    ERR_NOTFOUND;
		}
	} else {
		if ((h[0] & 0x77) != 0)
			return ERR_NOTFOUND;
		type = ETH_BRIDGED;
	}
	if (!plausible(c, type))
		return ERR_NOTFOUND;
	return enter(x, c, ENCAP_VXLAN, type, ld_be32(h + 4) >> 8, true);
}

/* Geneve (RFC 8926): version 0, options skipped by their length. */
static int
geneve(struct ctx *x, struct cur c)
{
	const uint8_t *h;
	uint16_t type;

	if ((h = cur_take(&c, 8)) == NULL || h[0] >> 6 != 0 ||
	    (h[1] & 0x3f) != 0 || h[7] != 0)
		return ERR_NOTFOUND;
	cur_skip(&c, (size_t)(h[0] & 0x3f) * 4);
	if (!c.ok)
		return ERR_NOTFOUND;
	type = ld_be16(h + 2);
	if ((type != ETH_BRIDGED && type != ETH_T_IPV4 &&
	    type != ETH_T_IPV6) || (h[1] & 0x80) != 0)	/* O: control */
		return not_opened(x, ENCAP_GENEVE);
	if (!plausible(c, type))
		return ERR_NOTFOUND;
	return enter(x, c, ENCAP_GENEVE, type, ld_be32(h + 4) >> 8, true);
}

/*
 * GTP-U (3GPP TS 29.281 5.1): version 1, protocol type GTP, a G-PDU; the
 * length counts what follows the first 8 bytes.  With E, S or PN set a
 * sequence number, N-PDU number and next extension type follow; with E,
 * extension headers chained by that type, each (length * 4) bytes.  Echo
 * and other signalling stay plain UDP; a PDU that is not IP (Ethernet or
 * unstructured PDU sessions) is not opened.
 */
static int
gtpu(struct ctx *x, struct cur c)
{
	const uint8_t *h;
	unsigned n;
	uint16_t len, type;
	uint8_t next, elen;

	if ((h = cur_take(&c, 8)) == NULL || h[0] >> 5 != 1 ||
	    (h[0] & 0x18) != 0x10 || h[1] != GTPU_GPDU)
		return ERR_NOTFOUND;
	len = ld_be16(h + 2);
	if (cur_left(&c) >= len)
		c = cur_sub(&c, len);
	else if (!x->pkt->cut)
		return ERR_NOTFOUND;
	if (h[0] & 0x07) {
		cur_skip(&c, 3);		/* sequence, N-PDU number */
		next = cur_u8(&c);
		for (n = 0; (h[0] & 0x04) != 0 && next != 0; n++) {
			elen = cur_u8(&c);
			if (!c.ok || elen == 0 || n == GTPU_MAX_EXT)
				return ERR_NOTFOUND;
			cur_skip(&c, (size_t)elen * 4 - 2);
			next = cur_u8(&c);
		}
		if (!c.ok)
			return ERR_NOTFOUND;
	}
	if ((type = ip_by_nibble(c)) == 0 || !plausible(c, type))
		return not_opened(x, ENCAP_GTPU);
	return enter(x, c, ENCAP_GTPU, type, ld_be32(h + 4), true);
}

/*
 * Teredo (RFC 4380 5.1.1): an IPv6 packet, maybe after an authentication
 * indicator (type 1) and then an origin indication (type 0).  The IPv6
 * payload length must fill the datagram: other traffic to port 3544 (a
 * Teredo server's own packets, or not Teredo) stays plain UDP.
 */
static int
teredo(struct ctx *x, struct cur c)
{
	struct cur peek = c;
	const uint8_t *h;
	size_t want;
	uint8_t idlen, aulen;

	if (cur_u16(&peek) == 1 && peek.ok) {
		cur_skip(&c, 2);
		idlen = cur_u8(&c);
		aulen = cur_u8(&c);
		cur_skip(&c, (size_t)idlen + aulen + 8 + 1);	/* nonce, conf */
	}
	peek = c;
	if (cur_u16(&peek) == 0 && peek.ok)
		cur_skip(&c, 8);		/* origin port and address */
	peek = c;
	if ((h = cur_take(&peek, 40)) == NULL || h[0] >> 4 != 6)
		return ERR_NOTFOUND;
	want = 40 + (size_t)ld_be16(h + 4);
	if (cur_left(&c) != want && !(x->pkt->cut && cur_left(&c) < want))
		return ERR_NOTFOUND;
	return enter(x, c, ENCAP_TEREDO, ETH_T_IPV6, 0, false);
}

/*
 * AYIYA (Anything In Anything, SixXS): identity (2^n bytes) and signature
 * (n * 4 bytes) after an 8-byte header; a forwarded IPv6 or IPv4 packet.
 */
static int
ayiya(struct ctx *x, struct cur c)
{
	const uint8_t *h;
	uint16_t type;
	uint8_t op;

	if ((h = cur_take(&c, 8)) == NULL)
		return ERR_NOTFOUND;
	op = h[2] & 0x0f;
	if ((h[0] & 0x0f) > 2 || (h[1] & 0x0f) > 2 || h[2] >> 4 > 2 ||
	    (op != AYIYA_FORWARD && op != AYIYA_ECHO_FWD))
		return ERR_NOTFOUND;
	if (h[3] == IPPROTO_T_IPV6)
		type = ETH_T_IPV6;
	else if (h[3] == IPPROTO_T_IPIP)
		type = ETH_T_IPV4;
	else
		return ERR_NOTFOUND;
	cur_skip(&c, ((size_t)1 << (h[0] >> 4)) + (size_t)(h[1] >> 4) * 4);
	if (!c.ok || !plausible(c, type))
		return ERR_NOTFOUND;
	return enter(x, c, ENCAP_AYIYA, type, 0, false);
}

int
tunnel_udp(struct ctx *x, struct cur c)
{
	const struct pkt *p = x->pkt;

	switch (p->dport) {
	case 2152:
		return gtpu(x, c);
	case 4754:
		return gre(x, c, ENCAP_GRE_UDP, true);
	case 4789:
	case 4790:
		return vxlan(x, c);
	case 6081:
		return geneve(x, c);
	default:
		break;
	}
	if (p->dport == 3544 || p->sport == 3544)
		return teredo(x, c);
	if (p->dport == 5072 || p->sport == 5072)
		return ayiya(x, c);
	if (p->sport == 2152)
		return gtpu(x, c);
	return ERR_NOTFOUND;
}
