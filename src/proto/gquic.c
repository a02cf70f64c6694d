/* gquic.c - Google QUIC's crypto handshake (QUIC Crypto, CHLO) and its
 * unencrypted client packets: Q039-Q045 public header, Q046 long header. */
#include <string.h>

#include "cursor.h"
#include "gquic.h"

#define TAG_CHLO	0x43484c4fu	/* "CHLO" */
#define TAG_SNI		0x534e4900u	/* "SNI\0" */
#define TAG_UAID	0x55414944u	/* "UAID" */
#define TAG_VER		0x56455200u	/* "VER\0" */
#define MSG_HDR_LEN	8		/* tag, entries, padding */
#define ENTRY_LEN	8		/* tag, end offset */

/* The public header (Q0nn up to Q045): the first byte's flags. */
#define PF_VERSION	0x01
#define PF_RESET	0x02
#define PF_NONCE	0x04		/* diversification nonce: servers only */
#define PF_CID		0x08		/* an 8-byte connection ID follows */
#define PF_PN_LEN	0x30
#define PF_LONG		0x80		/* Q046: a long header ... */
#define PF_FIXED	0x40		/* ... with the fixed bit */

#define CID_LEN		8
#define HASH_LEN	12		/* FNV-1a 128, truncated */

/* Frames of Q039-Q046 (QUIC wire layout, big-endian from Q039). */
#define FT_PADDING	0x00		/* the rest of the packet */
#define FT_RST_STREAM	0x01
#define FT_CLOSE	0x02
#define FT_GOAWAY	0x03
#define FT_WINDOW	0x04
#define FT_BLOCKED	0x05
#define FT_STOP_WAITING	0x06
#define FT_PING		0x07
#define FT_STREAM	0x80		/* 1fdoooss */
#define FT_STREAM_DLEN	0x20
#define FT_ACK		0x40		/* 01ntllmm */
#define FT_ACK_BLOCKS	0x20
#define FT_SPECIAL	0xe0

#define STREAM_CRYPTO	1
#define FRAMES_MAX	1500		/* each takes a byte of a packet */
#define READ_FIRST	39		/* integers big-endian, no private
					   flags, no entropy */
#define READ_LAST	43		/* the last public header: Q044
					   took the IETF long header */

static bool
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* "Q0nn": nn as a number, or -1. */
static int
gquic_minor(uint32_t v)
{
	uint8_t c2 = (uint8_t)(v >> 8), c3 = (uint8_t)v;

	if ((v >> 16) != 0x5130 || !is_digit(c2) || !is_digit(c3))
		return -1;
	return (c2 - '0') * 10 + (c3 - '0');
}

int
gquic_chlo(const uint8_t *msg, size_t len, struct tls_hello *h,
    struct gquic_chlo *c)
{
	struct cur m = cur_init(msg, len), e, v;
	struct gquic_chlo res;
	const uint8_t *values;
	uint32_t tag, end, prev = 0, sni_off = 0, sni_end = 0, ver_off = 0;
	bool has_sni = false, has_ver = false;
	unsigned i;
	int r;

	memset(h, 0, sizeof(*h));
	memset(&res, 0, sizeof(res));
	tag = cur_u32(&m);
	if (!m.ok)
		return ERR_SHORT;
	if (tag != TAG_CHLO)
		return ERR_NOTFOUND;
	res.n_tags = cur_u16le(&m);
	cur_skip(&m, 2);				/* padding */
	if (!m.ok)
		return ERR_SHORT;
	if (res.n_tags > GQUIC_TAGS_MAX)
		return ERR_MALFORMED;
	e = cur_sub(&m, (size_t)res.n_tags * ENTRY_LEN);
	if (!m.ok)
		return ERR_SHORT;
	values = m.p;
	/*
	 * Each value ends where its entry says and begins where the one
	 * before ended; the last end is the length of the values, so the
	 * message's end.  A repeated tag: the first one counts.
	 */
	for (i = 0; i < res.n_tags; i++) {
		tag = cur_u32(&e);
		end = cur_u32le(&e);
		if (end < prev || end > TLS_HELLO_MAX)
			return ERR_MALFORMED;
		if (tag == TAG_SNI && !has_sni) {
			has_sni = true;
			sni_off = prev;
			sni_end = end;
		} else if (tag == TAG_UAID && res.uaid == NULL) {
			res.uaid = values + prev;
			res.uaid_len = end - prev;
		} else if (tag == TAG_VER && !has_ver && end - prev == 4) {
			has_ver = true;
			ver_off = prev;
		}
		prev = end;
	}
	if (prev > cur_left(&m))
		return ERR_SHORT;
	if (has_ver) {
		v = cur_init(values + ver_off, 4);
		res.ver = cur_u32(&v);
	}
	if (has_sni) {
		if (sni_end == sni_off)
			return ERR_MALFORMED;
		if ((r = tls_sni_set(h, values + sni_off, sni_end - sni_off)) !=
		    ERR_OK)
			return r;
	}
	if (c != NULL)
		*c = res;
	return ERR_OK;
}

bool
gquic_is_client(const uint8_t *dgram, size_t len, uint32_t *version)
{
	struct cur c = cur_init(dgram, len);
	uint8_t first = cur_u8(&c), cil;
	uint32_t v;

	if ((first & (PF_LONG | PF_FIXED)) == (PF_LONG | PF_FIXED)) {
		v = cur_u32(&c);
		cil = cur_u8(&c);
		/* Client to server: DCID of 8 bytes (nibble 5), no SCID. */
		if (!c.ok || v != GQUIC_Q046 || cil != 0x50)
			return false;
	} else {
		if ((first & (PF_LONG | PF_FIXED | PF_RESET | PF_NONCE |
		    PF_VERSION | PF_CID)) != (PF_VERSION | PF_CID))
			return false;
		cur_skip(&c, CID_LEN);
		v = cur_u32(&c);
		if (!c.ok || gquic_minor(v) < 0)
			return false;
	}
	*version = v;
	return true;
}

/* An unsigned big-endian integer of n (0 to 8) bytes. */
static uint64_t
cur_uint(struct cur *c, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | cur_u8(c);
	return c->ok ? v : 0;
}

/* Packet number lengths of the public header: 1, 2, 4, 6 bytes. */
static const uint8_t pn_lens[4] = { 1, 2, 4, 6 };

/*
 * The frames of a Q039-Q046 packet.  The walk ends at PADDING or at the end;
 * a frame type not expected in a client's handshake packet, or a frame cut
 * short, makes the packet unreadable (an encrypted one reads as garbage).
 */
static int
frames_read(struct cur f, size_t pn_len, struct gquic_packet *out)
{
	uint8_t type, mm, ll, n;
	uint64_t sid, off, dlen;
	size_t i, k;

	for (k = 0; k < FRAMES_MAX && cur_left(&f) > 0; k++) {
		type = cur_u8(&f);
		if (type & FT_STREAM) {
			sid = cur_uint(&f, (size_t)(type & 3) + 1);
			n = (uint8_t)(type >> 2 & 7);
			off = cur_uint(&f, n == 0 ? 0 : (size_t)n + 1);
			if (type & FT_STREAM_DLEN)
				dlen = cur_u16(&f);
			else
				dlen = cur_left(&f);
			if (!f.ok || dlen > cur_left(&f) ||
			    off > UINT64_MAX - dlen)
				return ERR_MALFORMED;
			if (sid == STREAM_CRYPTO && dlen > 0) {
				if (out->n_frags == GQUIC_MAX_FRAGS)
					out->frags_dropped = true;
				else {
					out->frags[out->n_frags].off = off;
					out->frags[out->n_frags].data = f.p;
					out->frags[out->n_frags].len =
					    (size_t)dlen;
					out->n_frags++;
				}
			}
			cur_skip(&f, (size_t)dlen);
			continue;
		}
		if (type & FT_ACK) {
			ll = pn_lens[type >> 2 & 3];
			mm = pn_lens[type & 3];
			cur_skip(&f, ll + 2);		/* largest, delay */
			n = (type & FT_ACK_BLOCKS) ? cur_u8(&f) : 0;
			cur_skip(&f, mm);		/* first block */
			cur_skip(&f, (size_t)n * (1 + mm));
			n = cur_u8(&f);			/* timestamps */
			if (n > 0)
				cur_skip(&f, 1 + 4 + (size_t)(n - 1) * 3);
		} else if ((type & FT_SPECIAL) != 0) {
			return ERR_MALFORMED;	/* congestion feedback */
		} else {
			switch (type) {
			case FT_PADDING:
				return out->n_frags > 0 ? ERR_OK :
				    ERR_MALFORMED;
			case FT_RST_STREAM:
				cur_skip(&f, 4 + 8 + 4);
				break;
			case FT_CLOSE:
				cur_skip(&f, 4);
				cur_skip(&f, cur_u16(&f));
				break;
			case FT_GOAWAY:
				cur_skip(&f, 4 + 4);
				cur_skip(&f, cur_u16(&f));
				break;
			case FT_WINDOW:
				cur_skip(&f, 4 + 8);
				break;
			case FT_BLOCKED:
				cur_skip(&f, 4);
				break;
			case FT_STOP_WAITING:
				cur_skip(&f, pn_len);
				break;
			case FT_PING:
				break;
			default:
				return ERR_MALFORMED;
			}
		}
		if (!f.ok)
			return ERR_MALFORMED;
	}
	for (i = 0; i < out->n_frags; i++)
		if (out->frags[i].len > 0)
			return ERR_OK;
	return ERR_MALFORMED;
}

int
gquic_client_packet(const uint8_t *dgram, size_t len, struct gquic_packet *out)
{
	struct cur c = cur_init(dgram, len);
	uint8_t first;
	size_t pn_len;
	int minor;

	out->version = 0;
	out->readable = false;
	out->n_frags = 0;
	out->frags_dropped = false;
	if (!gquic_is_client(dgram, len, &out->version))
		return ERR_NOTFOUND;
	first = cur_u8(&c);
	if (out->version == GQUIC_Q046) {
		/* Long header: version, CIL byte, DCID; type Initial (0),
		 * 0-RTT (1) or Handshake (2), pn of 1 to 4 bytes. */
		cur_skip(&c, 4 + 1 + CID_LEN);
		pn_len = (size_t)(first & 3) + 1;
	} else {
		minor = gquic_minor(out->version);
		if (minor < READ_FIRST || minor > READ_LAST)
			return ERR_NOTFOUND;
		cur_skip(&c, CID_LEN + 4);
		pn_len = pn_lens[(first & PF_PN_LEN) >> 4];
	}
	out->readable = true;
	cur_skip(&c, pn_len);
	cur_skip(&c, HASH_LEN);
	if (!c.ok || cur_left(&c) == 0)
		return ERR_MALFORMED;
	return frames_read(c, pn_len, out);
}
