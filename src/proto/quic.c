/* quic.c - QUIC client Initials (RFC 9000 17.2, 19; RFC 9001 5; RFC 9369 3).
 * Owns Initial key derivation (libcrypto), header removal and CRYPTO. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "cursor.h"
#include "quic.h"

#define KEY_LEN		16	/* AEAD_AES_128_GCM (RFC 9001 5.3) */
#define IV_LEN		12
#define HP_LEN		16
#define TAG_LEN		16
#define SECRET_LEN	32	/* SHA-256 */
#define SAMPLE_LEN	16	/* RFC 9001 5.4.2 */
#define SAMPLE_SKIP	4	/* sampled as if the pn took 4 bytes */
#define SALT_LEN	20

#define LONG_HEADER	0x80
#define PN_LEN_MASK	0x03
#define LONG_HP_BITS	0x0f	/* first-byte bits under protection */

/*
 * Keys of this many connection IDs are kept: a flow's Initials share one,
 * and a few flows interleave their handshakes.  A miss costs five HMACs,
 * and libcrypto allocates as it rekeys them; a hit costs nothing.
 */
#define KEY_CACHE	8

/*
 * Initial packets decrypted per datagram: real clients coalesce one or
 * two.  Other packets (0-RTT, Handshake) are only stepped over, each at
 * least 8 bytes, so they are not capped: an Initial after any number of
 * them is still read (the walk stays linear in the datagram).
 */
#define PKTS_MAX	64

/* Every frame takes at least one byte of a plaintext under 64 KiB. */
#define FRAMES_MAX	65536
#define ACK_RANGES_MAX	256	/* beyond any client's Initial ACK */

#define VARINT_MAX	((UINT64_C(1) << 62) - 1)	/* RFC 9000 16 */

#define FRAME_PADDING	0x00
#define FRAME_PING	0x01
#define FRAME_ACK	0x02
#define FRAME_ACK_ECN	0x03
#define FRAME_CRYPTO	0x06
#define FRAME_CLOSE	0x1c	/* CONNECTION_CLOSE, transport */
#define FRAME_CLOSE_APP	0x1d	/* CONNECTION_CLOSE, application */

/* The initial salts (RFC 9001 5.2 and the drafts' section 5.2). */
static const uint8_t salt_v1[SALT_LEN] = {	/* v1, draft-33, draft-34 */
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};
static const uint8_t salt_d29[SALT_LEN] = {	/* draft-29 to draft-32 */
	0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
	0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99,
};
static const uint8_t salt_d23[SALT_LEN] = {	/* draft-23 to draft-28 */
	0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
	0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02,
};
static const uint8_t salt_d22[SALT_LEN] = {	/* draft-21, draft-22 */
	0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
	0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a,
};
static const uint8_t salt_v2[SALT_LEN] = {	/* RFC 9369 3.3.1 */
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
};
/* Google QUIC over TLS (Chrome's T050 and T051, 2020): each its own. */
static const uint8_t salt_t50[SALT_LEN] = {
	0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80,
	0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10,
};
static const uint8_t salt_t51[SALT_LEN] = {
	0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50,
	0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d,
};

/* Google QUIC Crypto Q050 (Chromium's kQ050Salt): a CHLO, no TLS. */
static const uint8_t salt_q050[SALT_LEN] = {
	0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94,
	0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45,
};

#define FRAME_CRYPTO_GQUIC	0x08	/* T050, T051: CRYPTO's other number */

/*
 * What differs between the versions read here: a row per range of wire
 * versions [lo, hi].  Every one but v2 has v1's long-header types and
 * labels; the drafts and Facebook's mvfst differ by salt only.
 */
struct version {
	uint32_t	 lo, hi;
	uint8_t		 initial;	/* long packet type of Initial */
	uint8_t		 retry;		/* of Retry, which has no Length */
	uint8_t		 crypto;	/* frame type of CRYPTO */
	const uint8_t	*salt;
	const char	*key_label;
	const char	*iv_label;
	const char	*hp_label;
};

#define V1_LABELS	"quic key", "quic iv", "quic hp"

static const struct version versions[] = {
	/* RFC 9000 17.2, RFC 9001 5.2 */
	{ QUIC_V1, QUIC_V1, 0, 3, FRAME_CRYPTO, salt_v1, V1_LABELS },
	/* RFC 9369 3.2, 3.3.1, 3.3.2 */
	{ QUIC_V2, QUIC_V2, 1, 0, FRAME_CRYPTO, salt_v2,
	  "quicv2 key", "quicv2 iv", "quicv2 hp" },
	/* draft-ietf-quic-tls-33, -34: v1's salt */
	{ 0xff000021u, 0xff000022u, 0, 3, FRAME_CRYPTO, salt_v1, V1_LABELS },
	/* draft-29 to -32: Chrome's h3-29 until 2021 */
	{ 0xff00001du, 0xff000020u, 0, 3, FRAME_CRYPTO, salt_d29, V1_LABELS },
	/* draft-23 to -28 (h3-27 was widely deployed) */
	{ 0xff000017u, 0xff00001cu, 0, 3, FRAME_CRYPTO, salt_d23, V1_LABELS },
	{ 0xff000015u, 0xff000016u, 0, 3, FRAME_CRYPTO, salt_d22, V1_LABELS },
	/* Facebook mvfst: 0xfaceb001 is draft-22, 0xfaceb002 and the
	   experimental 0xfaceb00e are draft-27 */
	{ 0xfaceb001u, 0xfaceb001u, 0, 3, FRAME_CRYPTO, salt_d22, V1_LABELS },
	{ 0xfaceb002u, 0xfaceb002u, 0, 3, FRAME_CRYPTO, salt_d23, V1_LABELS },
	{ 0xfaceb00eu, 0xfaceb00eu, 0, 3, FRAME_CRYPTO, salt_d23, V1_LABELS },
	/* Google QUIC T050 ("T050") and T051: IETF header, TLS inside */
	{ 0x54303530u, 0x54303530u, 0, 3, FRAME_CRYPTO_GQUIC, salt_t50,
	  V1_LABELS },
	{ 0x54303531u, 0x54303531u, 0, 3, FRAME_CRYPTO_GQUIC, salt_t51,
	  V1_LABELS },
	/* Q050: the same Initials and frame numbers, a CHLO inside */
	{ QUIC_Q050, QUIC_Q050, 0, 3, FRAME_CRYPTO_GQUIC, salt_q050,
	  V1_LABELS },
};

struct key_slot {
	const struct version *v;	/* NULL: empty */
	uint8_t		 cid_len;
	uint8_t		 cid[QUIC_CID_MAX];
	struct quic_keys k;
};

struct quic {
	EVP_CIPHER_CTX	*gcm;		/* AES-128-GCM, rekeyed per packet */
	EVP_CIPHER_CTX	*ecb;		/* AES-128-ECB for header masks */
	EVP_MAC		*mac;
	EVP_MAC_CTX	*hmac;		/* HMAC-SHA256, rekeyed per use */
	bool		 ready;		/* the four above set up */
	unsigned	 next_slot;	/* round-robin replacement */
	struct key_slot	 slots[KEY_CACHE];
};

/* One Initial packet, cut out of the datagram. */
struct initial {
	const struct version *v;
	uint32_t	 version;	/* as on the wire */
	struct cur	 hdr;		/* first byte up to the packet number */
	struct cur	 body;		/* packet number, ciphertext, tag */
	uint8_t		 dcid_len;
	uint8_t		 dcid[QUIC_CID_MAX];
};

/* A variable-length integer (RFC 9000 16): 1, 2, 4 or 8 bytes. */
static uint64_t
cur_varint(struct cur *c)
{
	uint8_t b = cur_u8(c);
	uint64_t v = b & 0x3f;
	size_t n = (size_t)1 << (b >> 6), i;

	for (i = 1; i < n; i++)
		v = v << 8 | cur_u8(c);
	return c->ok ? v : 0;
}

/* cur_skip() for a 64-bit wire length, which may not fit a size_t. */
static void
cur_skip64(struct cur *c, uint64_t n)
{
	if (n > cur_left(c))
		c->ok = false;
	else
		cur_skip(c, (size_t)n);
}

static const struct version *
version_find(uint32_t version)
{
	size_t i;

	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (version >= versions[i].lo && version <= versions[i].hi)
			return &versions[i];
	return NULL;
}

/*
 * The cipher contexts are made at the first Initial, not in quic_new():
 * fetching them loads libcrypto's configuration and providers, about 100
 * page faults and a few milliseconds that a capture without QUIC never
 * needs.  False when libcrypto fails (tried again at the next packet).
 */
static bool
crypto_ready(struct quic *q)
{
	static char digest[] = "SHA256";
	OSSL_PARAM params[2];

	if (q->ready)
		return true;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((q->gcm == NULL && (q->gcm = EVP_CIPHER_CTX_new()) == NULL) ||
	    (q->ecb == NULL && (q->ecb = EVP_CIPHER_CTX_new()) == NULL) ||
	    (q->mac == NULL &&
	    (q->mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL) ||
	    (q->hmac == NULL && (q->hmac = EVP_MAC_CTX_new(q->mac)) == NULL) ||
	    EVP_MAC_CTX_set_params(q->hmac, params) != 1 ||
	    EVP_DecryptInit_ex(q->gcm, EVP_aes_128_gcm(), NULL, NULL,
	    NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(q->gcm, EVP_CTRL_GCM_SET_IVLEN, IV_LEN,
	    NULL) != 1 ||
	    EVP_EncryptInit_ex(q->ecb, EVP_aes_128_ecb(), NULL, NULL,
	    NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(q->ecb, 0) != 1)
		return false;
	q->ready = true;
	return true;
}

static bool
hmac_sha256(struct quic *q, const uint8_t *key, size_t key_len,
    const uint8_t *msg, size_t msg_len, uint8_t out[SECRET_LEN])
{
	size_t n = 0;

	return EVP_MAC_init(q->hmac, key, key_len, NULL) == 1 &&
	    EVP_MAC_update(q->hmac, msg, msg_len) == 1 &&
	    EVP_MAC_final(q->hmac, out, &n, SECRET_LEN) == 1 &&
	    n == SECRET_LEN;
}

/*
 * HKDF-Expand-Label(secret, label, "", out_len) of RFC 8446 7.1, for
 * out_len up to one SHA-256 block, which is all QUIC's Initial keys need:
 * HKDF-Expand (RFC 5869 2.3) is then T(1) = HMAC(secret, info | 0x01).
 */
static bool
expand_label(struct quic *q, const uint8_t secret[SECRET_LEN],
    const char *label, uint8_t *out, size_t out_len)
{
	static const char prefix[] = "tls13 ";
	uint8_t info[2 + 1 + 255 + 1 + 1], t[SECRET_LEN];
	size_t plen = sizeof(prefix) - 1, llen = strlen(label), n = 0;
	bool ok;

	if (out_len > SECRET_LEN || plen + llen > 255)
		return false;
	info[n++] = 0;
	info[n++] = (uint8_t)out_len;
	info[n++] = (uint8_t)(plen + llen);
	memcpy(info + n, prefix, plen);
	n += plen;
	memcpy(info + n, label, llen);
	n += llen;
	info[n++] = 0;			/* empty context */
	info[n++] = 1;			/* HKDF-Expand block counter */
	ok = hmac_sha256(q, secret, SECRET_LEN, info, n, t);
	if (ok)
		memcpy(out, t, out_len);
	return ok;
}

static int
derive(struct quic *q, const struct version *v, const uint8_t *cid,
    size_t cid_len, struct quic_keys *k)
{
	uint8_t initial[SECRET_LEN];
	static const uint8_t none[1];

	if (!crypto_ready(q))
		return ERR_NOMEM;
	/* HKDF-Extract(salt, cid) is HMAC(salt, cid) (RFC 5869 2.2). */
	if (!hmac_sha256(q, v->salt, SALT_LEN, cid_len > 0 ? cid : none,
	    cid_len, initial) ||
	    !expand_label(q, initial, "client in", k->secret, SECRET_LEN) ||
	    !expand_label(q, k->secret, v->key_label, k->key, KEY_LEN) ||
	    !expand_label(q, k->secret, v->iv_label, k->iv, IV_LEN) ||
	    !expand_label(q, k->secret, v->hp_label, k->hp, HP_LEN))
		return ERR_NOMEM;
	return ERR_OK;
}

/* The cached keys of (version, cid), derived on a miss; NULL on failure. */
static const struct quic_keys *
keys_get(struct quic *q, const struct version *v, const uint8_t *cid,
    size_t cid_len)
{
	struct key_slot *s;
	size_t i;

	for (i = 0; i < KEY_CACHE; i++) {
		s = &q->slots[i];
		if (s->v == v && s->cid_len == cid_len &&
		    (cid_len == 0 || memcmp(s->cid, cid, cid_len) == 0))
			return &s->k;
	}
	s = &q->slots[q->next_slot];
	q->next_slot = (q->next_slot + 1) % KEY_CACHE;
	s->v = NULL;
	if (derive(q, v, cid, cid_len, &s->k) != ERR_OK)
		return NULL;
	s->v = v;
	s->cid_len = (uint8_t)cid_len;
	if (cid_len > 0)
		memcpy(s->cid, cid, cid_len);
	return &s->k;
}

struct quic *
quic_new(void)
{
	return calloc(1, sizeof(struct quic));
}

void
quic_free(struct quic *q)
{
	if (q == NULL)
		return;
	EVP_CIPHER_CTX_free(q->gcm);
	EVP_CIPHER_CTX_free(q->ecb);
	EVP_MAC_CTX_free(q->hmac);
	EVP_MAC_free(q->mac);
	free(q);
}

int
quic_client_keys(struct quic *q, uint32_t version, const uint8_t *cid,
    size_t cid_len, struct quic_keys *k)
{
	const struct version *v;

	if ((v = version_find(version)) == NULL)
		return ERR_UNSUPPORTED;
	if (cid_len > QUIC_CID_MAX)
		return ERR_MALFORMED;
	return derive(q, v, cid, cid_len, k);
}

/*
 * Removes header protection from pkt with keys k and decrypts it into dst
 * (room for the whole packet): the header with its packet number in clear,
 * then the plaintext, whose place and length go to *pt and *pt_len.  False
 * when the packet is too short to sample or its tag does not verify.
 */
static bool
unprotect(struct quic *q, const struct quic_keys *k, const struct initial *pkt,
    uint8_t *dst, const uint8_t **pt, size_t *pt_len)
{
	struct cur hdr = pkt->hdr, body = pkt->body, s = pkt->body;
	uint8_t sample[SAMPLE_LEN], mask[SAMPLE_LEN], tag[TAG_LEN];
	uint8_t nonce[IV_LEN];
	size_t hdr_len = cur_left(&hdr), pn_len, ct_len, i;
	const uint8_t *ct;
	uint64_t pn = 0;
	uint8_t *out;
	int n = 0, fin = 0;

	if (!crypto_ready(q))
		return false;
	cur_skip(&s, SAMPLE_SKIP);
	if (!cur_copy(&s, sample, SAMPLE_LEN))
		return false;
	if (EVP_EncryptInit_ex(q->ecb, NULL, NULL, k->hp, NULL) != 1 ||
	    EVP_EncryptUpdate(q->ecb, mask, &n, sample, SAMPLE_LEN) != 1 ||
	    n != SAMPLE_LEN)
		return false;

	cur_copy(&hdr, dst, hdr_len);
	dst[0] ^= mask[0] & LONG_HP_BITS;
	pn_len = (size_t)(dst[0] & PN_LEN_MASK) + 1;
	out = dst + hdr_len;
	cur_copy(&body, out, pn_len);
	for (i = 0; i < pn_len; i++) {
		out[i] ^= mask[1 + i];
		pn = pn << 8 | out[i];
	}
	/*
	 * The sample read above proves the body holds 4 + 16 bytes, so the
	 * ciphertext length cannot wrap.  A client's Initial packet numbers
	 * start at 0 with nothing acknowledged yet, so the truncated number
	 * is the full one (RFC 9000 A.3 with largest_pn unset).
	 */
	ct_len = cur_left(&body) - TAG_LEN;
	ct = body.p;
	cur_skip(&body, ct_len);
	if (!cur_copy(&body, tag, TAG_LEN) || ct_len > INT_MAX)
		return false;

	memcpy(nonce, k->iv, IV_LEN);
	for (i = 0; i < 8; i++)
		nonce[IV_LEN - 1 - i] ^= (uint8_t)(pn >> (8 * i));
	out += pn_len;
	if (EVP_DecryptInit_ex(q->gcm, NULL, NULL, k->key, nonce) != 1 ||
	    EVP_DecryptUpdate(q->gcm, NULL, &n, dst,
	    (int)(hdr_len + pn_len)) != 1)
		return false;
	n = 0;
	if (ct_len > 0 &&
	    EVP_DecryptUpdate(q->gcm, out, &n, ct, (int)ct_len) != 1)
		return false;
	if (EVP_CIPHER_CTX_ctrl(q->gcm, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
	    tag) != 1 ||
	    EVP_DecryptFinal_ex(q->gcm, out + n, &fin) != 1)
		return false;
	*pt = out;
	*pt_len = ct_len;
	return true;
}

/*
 * Lists the CRYPTO frames of a decrypted Initial's plaintext.  A frame that
 * may not appear in an Initial, or that is cut short, ends the walk: what
 * came before it is kept, as the packet itself authenticated.
 */
static void
frames_read(struct cur f, uint8_t crypto, struct quic_initial *res)
{
	uint64_t type, off, len, n_ranges, i;
	struct cur data;
	size_t n;

	for (n = 0; n < FRAMES_MAX && cur_left(&f) > 0; n++) {
		type = cur_varint(&f);
		/* Google's T05x number CRYPTO 0x08; their 0x06 is not it. */
		if (type == crypto)
			type = FRAME_CRYPTO;
		else if (type == FRAME_CRYPTO)
			return;
		switch (type) {
		case FRAME_PADDING:
		case FRAME_PING:
			break;
		case FRAME_ACK:
		case FRAME_ACK_ECN:
			cur_varint(&f);		/* largest acknowledged */
			cur_varint(&f);		/* ACK delay */
			n_ranges = cur_varint(&f);
			cur_varint(&f);		/* first ACK range */
			if (n_ranges > ACK_RANGES_MAX)
				return;
			for (i = 0; i < n_ranges; i++) {
				cur_varint(&f);	/* gap */
				cur_varint(&f);	/* ACK range length */
			}
			if (type == FRAME_ACK_ECN) {
				cur_varint(&f);	/* ECT0, ECT1, ECN-CE */
				cur_varint(&f);
				cur_varint(&f);
			}
			break;
		case FRAME_CRYPTO:
			off = cur_varint(&f);
			len = cur_varint(&f);
			if (len > cur_left(&f) || off > VARINT_MAX - len)
				return;
			data = cur_sub(&f, (size_t)len);
			if (!data.ok || len == 0)
				break;
			if (res->n_frags == QUIC_MAX_FRAGS) {
				res->frags_dropped = true;
				break;
			}
			res->frags[res->n_frags].off = off;
			res->frags[res->n_frags].data = data.p;
			res->frags[res->n_frags].len = (size_t)len;
			res->n_frags++;
			break;
		case FRAME_CLOSE:
			cur_varint(&f);		/* error code */
			cur_varint(&f);		/* frame type */
			cur_skip64(&f, cur_varint(&f));	/* reason */
			break;
		case FRAME_CLOSE_APP:
			cur_varint(&f);
			cur_skip64(&f, cur_varint(&f));
			break;
		default:
			return;
		}
		if (!f.ok)
			return;
	}
}

/*
 * Cuts the next long-header packet off c.  1: an Initial, in *pkt.  0: some
 * other packet, skipped.  -1: the walk ends (a short header, padding, an
 * unknown version, a Retry, or damage).  *initial is set once the packet
 * is known to be an Initial, even if it is then cut short.
 */
static int
packet_next(struct cur *c, struct initial *pkt, bool *initial)
{
	const uint8_t *start = c->p;
	uint8_t first, type, dcid_len, scid_len;
	uint64_t len;

	*initial = false;
	pkt->dcid_len = 0;
	first = cur_u8(c);
	if (!c->ok || (first & LONG_HEADER) == 0)
		return -1;
	pkt->version = cur_u32(c);
	pkt->v = version_find(pkt->version);
	type = (uint8_t)(first >> 4 & 3);
	if (!c->ok || pkt->v == NULL || type == pkt->v->retry)
		return -1;
	*initial = type == pkt->v->initial;
	dcid_len = cur_u8(c);
	if (dcid_len > QUIC_CID_MAX || !cur_copy(c, pkt->dcid, dcid_len))
		return -1;
	pkt->dcid_len = dcid_len;
	scid_len = cur_u8(c);
	if (scid_len > QUIC_CID_MAX)
		return -1;
	cur_skip(c, scid_len);
	if (*initial)
		cur_skip64(c, cur_varint(c));	/* token */
	len = cur_varint(c);
	if (!c->ok || len > cur_left(c))
		return -1;
	pkt->hdr = cur_init(start, cur_off(c, start));
	pkt->body = cur_sub(c, (size_t)len);
	return *initial ? 1 : 0;
}

bool
quic_is_initial(const uint8_t *dgram, size_t len)
{
	struct cur c = cur_init(dgram, len);
	struct initial pkt;
	bool initial;

	/* Each packet stepped over takes at least 8 bytes. */
	while (cur_left(&c) > 0)
		if (packet_next(&c, &pkt, &initial) < 0 || initial)
			return initial;
	return false;
}

enum quic_other
quic_other_version(const uint8_t *dgram, size_t len, uint32_t *version)
{
	struct cur c = cur_init(dgram, len);
	uint32_t v;
	uint8_t first;

	first = cur_u8(&c);
	v = cur_u32(&c);
	cur_skip(&c, cur_u8(&c));		/* DCID (RFC 8999 5.1) */
	cur_skip(&c, cur_u8(&c));		/* SCID */
	if (!c.ok || len < QUIC_CLIENT_DGRAM_MIN ||
	    (first & LONG_HEADER) == 0 || v == 0 || version_find(v) != NULL)
		return QUIC_OTHER_NONE;
	*version = v;
	return (v & 0x0f0f0f0fu) == 0x0a0a0a0au ? QUIC_OTHER_RESERVED :
	    QUIC_OTHER_UNKNOWN;
}

int
quic_client_initial(struct quic *q, const uint8_t *dgram, size_t len,
    const uint8_t *odcid, size_t odcid_len, uint8_t *scratch,
    size_t scratch_len, struct quic_initial *out)
{
	struct quic_initial res;
	struct initial pkt;
	const struct quic_keys *k;
	struct cur c = cur_init(dgram, len);
	const uint8_t *pt = NULL, *cid;
	size_t used = 0, pt_len = 0, cid_len, n;
	bool initial, seen = false, ok;
	int r;

	if (odcid_len > QUIC_CID_MAX)
		return ERR_MALFORMED;
	if (scratch_len < len)
		return ERR_FULL;
	res.version = 0;
	res.dcid_len = 0;
	res.n_packets = 0;
	res.n_failed = 0;
	res.n_frags = 0;
	res.frags_dropped = false;
	for (n = 0; n < PKTS_MAX && cur_left(&c) > 0; ) {
		r = packet_next(&c, &pkt, &initial);
		if (initial && !seen) {
			seen = true;
			res.version = pkt.version;
			res.dcid_len = pkt.dcid_len;
			memcpy(res.dcid, pkt.dcid, pkt.dcid_len);
		}
		if (r < 0) {
			if (initial)
				res.n_failed++;		/* cut short */
			break;
		}
		if (r == 0)
			continue;
		n++;
		/* Packets laid end to end in scratch never outgrow len. */
		if (odcid_len == 0) {
			cid = pkt.dcid;
			cid_len = pkt.dcid_len;
		} else {
			cid = odcid;
			cid_len = odcid_len;
		}
		ok = (k = keys_get(q, pkt.v, cid, cid_len)) != NULL &&
		    unprotect(q, k, &pkt, scratch + used, &pt, &pt_len);
		if (!ok && (cid_len != pkt.dcid_len ||
		    memcmp(cid, pkt.dcid, cid_len) != 0))
			ok = (k = keys_get(q, pkt.v, pkt.dcid,
			    pkt.dcid_len)) != NULL && unprotect(q, k, &pkt,
			    scratch + used, &pt, &pt_len);
		if (!ok) {
			res.n_failed++;
			continue;
		}
		res.n_packets++;
		frames_read(cur_init(pt, pt_len), pkt.v->crypto, &res);
		used = (size_t)(pt - scratch) + pt_len;
	}
	if (res.n_packets == 0 && !seen)
		return ERR_NOTFOUND;
	/* Only the frames listed, not the whole array. */
	memcpy(out, &res, offsetof(struct quic_initial, frags));
	memcpy(out->frags, res.frags, res.n_frags * sizeof(res.frags[0]));
	out->frags_dropped = res.frags_dropped;
	return res.n_packets > 0 ? ERR_OK : ERR_MALFORMED;
}
