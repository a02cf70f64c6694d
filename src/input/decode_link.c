/* decode_link.c - link layers people capture with besides Ethernet: NFLOG,
 * PPP (RFC 1661/1662), Cisco HDLC, PKTAP, IEEE 802.11 with radio headers. */
#include <string.h>

#include "capture.h"		/* LINK_* values only */
#include "decode_link.h"

#define ETH_IPV4	0x0800
#define ETH_IPV6	0x86dd
#define ETH_MPLS	0x8847
#define ETH_MPLS_MC	0x8848

/* PPP protocol numbers (RFC 1661 2, RFC 1332, RFC 5072, RFC 3032). */
#define PPP_IPV4	0x0021
#define PPP_IPV6	0x0057
#define PPP_MPLS	0x0281
#define PPP_MPLS_MC	0x0283

/* NFLOG: a 4-byte header, then TLVs in the capturing host's order. */
#define NFLOG_TLV_PAYLOAD 9
#define NFLOG_TLVS_MAX	64

/* PKTAP (macOS): header length and the kind of record that follows. */
#define PKTAP_MIN	12
#define PKTAP_PACKET	1

/* 802.11 frame control (IEEE 802.11-2020 9.2.4.1). */
#define WLAN_TYPE_DATA	2
#define WLAN_TO_DS	0x01
#define WLAN_FROM_DS	0x02
#define WLAN_PROTECTED	0x40
#define WLAN_ORDER	0x80
#define WLAN_HDR_LEN	24
#define WLAN_QOS_AMSDU	0x80		/* QoS control: an A-MSDU follows */

#define PRISM_HDR_LEN	144
#define AVS_COOKIE_V1	0x80211001u
#define AVS_COOKIE_V2	0x80211002u

bool
decode_link_ok(int linktype)
{
	switch (linktype) {
	case LINK_PPP:
	case LINK_PPP_HDLC:
	case LINK_C_HDLC:
	case LINK_IEEE802_11:
	case LINK_PRISM:
	case LINK_RADIOTAP:
	case LINK_AVS:
	case LINK_PPP_WITH_DIR:
	case LINK_NFLOG:
	case LINK_PKTAP:
		return true;
	default:
		return false;
	}
}

/* A PPP protocol field (1 byte when compressed: RFC 1661 6.5) to what it
 * carries. */
static enum dlink
ppp_proto(struct cur *c, uint16_t *type)
{
	uint16_t proto;

	proto = cur_u8(c);
	if ((proto & 1) == 0)
		proto = (uint16_t)(proto << 8 | cur_u8(c));
	if (!c->ok)
		return DLINK_SHORT;
	switch (proto) {
	case PPP_IPV4:
		*type = ETH_IPV4;
		return DLINK_ETHERTYPE;
	case PPP_IPV6:
		*type = ETH_IPV6;
		return DLINK_ETHERTYPE;
	case PPP_MPLS:
		*type = ETH_MPLS;
		return DLINK_ETHERTYPE;
	case PPP_MPLS_MC:
		*type = ETH_MPLS_MC;
		return DLINK_ETHERTYPE;
	default:
		return DLINK_NOT_IP;		/* LCP, IPCP, CHAP, ... */
	}
}

/* PPP, with or without the HDLC-like address and control (ff 03). */
static enum dlink
ppp(struct cur *c, uint16_t *type)
{
	struct cur peek = *c;

	if (cur_u8(&peek) == 0xff && cur_u8(&peek) == 0x03)
		*c = peek;
	return ppp_proto(c, type);
}

/* Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control, an
 * ethertype. */
static enum dlink
chdlc(struct cur *c, uint16_t *type)
{
	const uint8_t *h;

	if ((h = cur_take(c, 4)) == NULL)
		return DLINK_SHORT;
	if (h[0] != 0x0f && h[0] != 0x8f)
		return DLINK_BAD;
	*type = ld_be16(h + 2);
	return DLINK_ETHERTYPE;
}

/* PPP in HDLC framing, or Cisco HDLC told by its first byte. */
static enum dlink
ppp_hdlc(struct cur *c, uint16_t *type)
{
	struct cur peek = *c;
	uint8_t a;

	a = cur_u8(&peek);
	if (!peek.ok)
		return DLINK_SHORT;
	if (a == 0x0f || a == 0x8f)
		return chdlc(c, type);
	return ppp(c, type);
}

/*
 * NFLOG: family, version, resource id, then attributes whose length and
 * type are 16-bit in the byte order of the host that logged them, which
 * the file does not say: the order whose first attribute fits is taken.
 * The payload attribute holds the IP packet.
 */
static enum dlink
nflog(struct cur *c)
{
	struct cur a, v;
	uint16_t len, tlv_type;
	unsigned n;
	bool le;
	size_t pad;

	cur_skip(c, 4);
	a = *c;
	len = cur_u16le(&a);
	if (!a.ok)
		return DLINK_SHORT;
	le = len >= 4 && len <= cur_left(c);
	for (n = 0; n < NFLOG_TLVS_MAX && cur_left(c) > 0; n++) {
		len = le ? cur_u16le(c) : cur_u16(c);
		tlv_type = le ? cur_u16le(c) : cur_u16(c);
		if (!c->ok)
			return DLINK_SHORT;
		if (len < 4)
			return DLINK_BAD;
		len -= 4;
		/* The nesting and byte order flags are not part of the type. */
		if ((tlv_type & 0x3fff) == NFLOG_TLV_PAYLOAD) {
			if (len > cur_left(c))	/* cut by the snaplen */
				len = (uint16_t)cur_left(c);
			v = cur_sub(c, len);
			*c = v;
			return DLINK_RAW;
		}
		pad = (4 - len % 4) % 4;
		if ((size_t)len + pad > cur_left(c))
			return DLINK_SHORT;
		cur_skip(c, (size_t)len + pad);
	}
	return DLINK_NOT_IP;
}

/* PKTAP (macOS): its header's length, then a frame of the DLT it names. */
static enum dlink
pktap(struct cur *c, int *inner)
{
	struct cur h = *c;
	uint32_t hlen, next, dlt;

	hlen = cur_u32le(&h);
	next = cur_u32le(&h);
	dlt = cur_u32le(&h);
	if (!h.ok)
		return DLINK_SHORT;
	if (hlen < PKTAP_MIN || dlt > 0xffff)
		return DLINK_BAD;
	if (next != PKTAP_PACKET)
		return DLINK_NOT_IP;
	cur_skip(c, hlen);
	if (!c->ok)
		return DLINK_SHORT;
	*inner = (int)dlt;
	return DLINK_INNER;
}

/*
 * An 802.11 frame: data frames only (QoS too, four addresses too), not
 * protected, not a later fragment, then LLC/SNAP to the ethertype.
 */
static enum dlink
wlan(struct cur *c, struct pkt *pkt, uint16_t *type)
{
	const uint8_t *h, *da, *sa, *snap;
	uint8_t fc0, fc1, subtype, frag;
	bool qos;

	if ((h = cur_take(c, WLAN_HDR_LEN)) == NULL)
		return DLINK_SHORT;
	fc0 = h[0];
	fc1 = h[1];
	frag = h[22] & 0x0f;		/* sequence control, little-endian */
	if ((fc0 & 3) != 0)
		return DLINK_BAD;		/* protocol version 0 only */
	if ((fc0 >> 2 & 3) != WLAN_TYPE_DATA)
		return DLINK_NOT_IP;		/* management, control */
	subtype = fc0 >> 4;
	if (subtype & 4)
		return DLINK_NOT_IP;		/* null data: no body */
	qos = (subtype & 8) != 0;
	/* Addresses by direction (9.3.2.1): DA and SA. */
	switch (fc1 & (WLAN_TO_DS | WLAN_FROM_DS)) {
	case 0:
		da = h + 4;
		sa = h + 10;
		break;
	case WLAN_TO_DS:
		da = h + 16;
		sa = h + 10;
		break;
	case WLAN_FROM_DS:
		da = h + 4;
		sa = h + 16;
		break;
	default:
		da = h + 16;
		if ((sa = cur_take(c, 6)) == NULL)	/* address 4 */
			return DLINK_SHORT;
		break;
	}
	memcpy(pkt->mac_dst, da, 6);
	memcpy(pkt->mac_src, sa, 6);
	pkt->has_mac = true;
	if (qos) {
		if ((h = cur_take(c, 2)) == NULL)
			return DLINK_SHORT;
		if (h[0] & WLAN_QOS_AMSDU)
			return DLINK_NOT_IP;	/* aggregated: not opened */
		if ((fc1 & WLAN_ORDER) && cur_take(c, 4) == NULL)
			return DLINK_SHORT;	/* HT control */
	}
	if (fc1 & WLAN_PROTECTED)
		return DLINK_PROTECTED;
	if (frag != 0)
		return DLINK_NOT_IP;		/* no LLC in later fragments */
	if ((snap = cur_take(c, 8)) == NULL)
		return DLINK_SHORT;
	if (snap[0] != 0xaa || snap[1] != 0xaa || snap[2] != 0x03)
		return DLINK_NOT_IP;
	/* RFC 1042 (00 00 00) and 802.1H bridge tunnel (00 00 f8) */
	if (snap[3] != 0 || snap[4] != 0 || (snap[5] != 0 && snap[5] != 0xf8))
		return DLINK_NOT_IP;
	*type = ld_be16(snap + 6);
	return DLINK_ETHERTYPE;
}

/* Radiotap: version 0, then its own little-endian length. */
static enum dlink
radiotap(struct cur *c, struct pkt *pkt, uint16_t *type)
{
	struct cur h = *c;
	uint8_t version;
	uint16_t len;

	version = cur_u8(&h);
	cur_skip(&h, 1);
	len = cur_u16le(&h);
	if (!h.ok)
		return DLINK_SHORT;
	if (version != 0 || len < 8)
		return DLINK_BAD;
	cur_skip(c, len);
	if (!c->ok)
		return DLINK_SHORT;
	return wlan(c, pkt, type);
}

/* AVS (wlan-ng): a big-endian cookie and header length. */
static enum dlink
avs(struct cur *c, struct pkt *pkt, uint16_t *type)
{
	struct cur h = *c;
	uint32_t cookie, len;

	cookie = cur_u32(&h);
	len = cur_u32(&h);
	if (!h.ok)
		return DLINK_SHORT;
	if ((cookie != AVS_COOKIE_V1 && cookie != AVS_COOKIE_V2) || len < 8)
		return DLINK_BAD;
	cur_skip(c, len);
	if (!c->ok)
		return DLINK_SHORT;
	return wlan(c, pkt, type);
}

/* Prism's monitor header is 144 bytes; some drivers put AVS's there. */
static enum dlink
prism(struct cur *c, struct pkt *pkt, uint16_t *type)
{
	struct cur h = *c;
	uint32_t cookie;

	cookie = cur_u32(&h);
	if (!h.ok)
		return DLINK_SHORT;
	if (cookie == AVS_COOKIE_V1 || cookie == AVS_COOKIE_V2)
		return avs(c, pkt, type);
	cur_skip(c, PRISM_HDR_LEN);
	if (!c->ok)
		return DLINK_SHORT;
	return wlan(c, pkt, type);
}

enum dlink
decode_link(int linktype, struct cur *c, struct pkt *pkt, uint16_t *type,
    int *inner)
{
	switch (linktype) {
	case LINK_PPP:
		return ppp(c, type);
	case LINK_PPP_WITH_DIR:
		cur_skip(c, 1);			/* direction */
		if (!c->ok)
			return DLINK_SHORT;
		return ppp(c, type);
	case LINK_PPP_HDLC:
		return ppp_hdlc(c, type);
	case LINK_C_HDLC:
		return chdlc(c, type);
	case LINK_NFLOG:
		return nflog(c);
	case LINK_PKTAP:
		return pktap(c, inner);
	case LINK_IEEE802_11:
		return wlan(c, pkt, type);
	case LINK_RADIOTAP:
		return radiotap(c, pkt, type);
	case LINK_PRISM:
		return prism(c, pkt, type);
	case LINK_AVS:
		return avs(c, pkt, type);
	default:
		return DLINK_BAD;
	}
}
