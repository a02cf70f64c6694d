/* fuzz_quic.c - libFuzzer: QUIC client Initials (RFC 9000, 9001, 9369). */

/*
 * Random bytes never pass the AEAD tag, so half the inputs are taken as a
 * plaintext and sealed first, to reach the frame parser.
 */
#include <stdbool.h>
#include <string.h>

#include <openssl/evp.h>

#include "cursor.h"
#include "err.h"
#include "fuzz.h"
#include "quic.h"
#include "tls.h"

#define DGRAM_MAX	4096

static struct quic *q;
static EVP_CIPHER_CTX *gcm, *ecb;

static const uint32_t versions[] = {
	QUIC_V1, QUIC_V2, QUIC_DRAFT29, QUIC_DRAFT27, QUIC_MVFST22, QUIC_T051,
};

/*
 * Seals plaintext pt as one client Initial of version v to dcid, packet
 * number length pn_len, into out (DGRAM_MAX bytes).  0 when it does not fit.
 */
static size_t
seal(uint32_t v, const uint8_t *dcid, size_t dcid_len, unsigned pn_len,
    const uint8_t *pt, size_t pt_len, uint8_t *out)
{
	struct quic_keys k;
	uint8_t mask[16], nonce[12], pad[4] = { 0 };
	size_t n = 0, pn_off, i, body;
	int outl = 0;

	if (quic_client_keys(q, v, dcid, dcid_len, &k) != ERR_OK)
		abort();
	if (pt_len < sizeof(pad)) {
		/* PADDING frames, so the header protection has its sample. */
		memcpy(pad, pt, pt_len);
		pt = pad;
		pt_len = sizeof(pad);
	}
	body = pn_len + pt_len + 16;
	if (64 + body > DGRAM_MAX)
		return 0;
	out[n++] = (uint8_t)(0xc0 | (v == QUIC_V2 ? 0x10 : 0x00) |
	    (pn_len - 1));
	out[n++] = (uint8_t)(v >> 24);
	out[n++] = (uint8_t)(v >> 16);
	out[n++] = (uint8_t)(v >> 8);
	out[n++] = (uint8_t)v;
	out[n++] = (uint8_t)dcid_len;
	memcpy(out + n, dcid, dcid_len);
	n += dcid_len;
	out[n++] = 0;				/* SCID length */
	out[n++] = 0;				/* token length */
	out[n++] = (uint8_t)(0x40 | body >> 8);	/* two-byte varint */
	out[n++] = (uint8_t)body;
	pn_off = n;
	for (i = 0; i < pn_len; i++)
		out[n++] = 0;			/* packet number 0 */
	memcpy(nonce, k.iv, sizeof(nonce));
	if (EVP_EncryptInit_ex(gcm, EVP_aes_128_gcm(), NULL, k.key, nonce) !=
	    1 || EVP_EncryptUpdate(gcm, NULL, &outl, out, (int)n) != 1 ||
	    EVP_EncryptUpdate(gcm, out + n, &outl, pt, (int)pt_len) != 1 ||
	    EVP_EncryptFinal_ex(gcm, out + n + outl, &outl) != 1)
		abort();
	n += pt_len;
	if (EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_GET_TAG, 16, out + n) != 1)
		abort();
	n += 16;
	if (EVP_EncryptInit_ex(ecb, EVP_aes_128_ecb(), NULL, k.hp, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ecb, 0) != 1 ||
	    EVP_EncryptUpdate(ecb, mask, &outl, out + pn_off + 4, 16) != 1)
		abort();
	out[0] ^= mask[0] & 0x0f;
	for (i = 0; i < pn_len; i++)
		out[pn_off + i] ^= mask[1 + i];
	return n;
}

static void
run(const uint8_t *dgram, size_t len, const uint8_t *odcid, size_t odcid_len)
{
	struct quic_initial qi;
	struct tls_hello h;
	uint8_t *scratch = malloc(len ? len : 1);
	uint32_t version;
	size_t i;
	int r;

	if (scratch == NULL)
		abort();
	if (!quic_is_initial(dgram, len))
		(void)quic_other_version(dgram, len, &version);
	r = quic_client_initial(q, dgram, len, odcid, odcid_len, scratch,
	    len, &qi);
	FUZZ_CHECK(r == ERR_OK || r == ERR_NOTFOUND || r == ERR_MALFORMED);
	if (r == ERR_OK) {
		FUZZ_CHECK(qi.n_packets > 0);
		FUZZ_CHECK(qi.n_frags <= QUIC_MAX_FRAGS);
		FUZZ_CHECK(qi.dcid_len <= QUIC_CID_MAX);
		for (i = 0; i < qi.n_frags; i++) {
			FUZZ_CHECK(qi.frags[i].data >= scratch &&
			    qi.frags[i].len <= len &&
			    qi.frags[i].data + qi.frags[i].len <=
			    scratch + len);
			fuzz_touch(qi.frags[i].data, qi.frags[i].len);
		}
		if (qi.n_frags > 0 && qi.frags[0].off == 0)
			(void)tls_client_hello_msg(qi.frags[0].data,
			    qi.frags[0].len, &h);
	}
	free(scratch);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t dgram[DGRAM_MAX];
	struct cur in = cur_init(data, size);
	uint8_t dcid[QUIC_CID_MAX], mode, sel;
	size_t dcid_len, n;

	if (q == NULL && ((q = quic_new()) == NULL ||
	    (gcm = EVP_CIPHER_CTX_new()) == NULL ||
	    (ecb = EVP_CIPHER_CTX_new()) == NULL))
		abort();
	mode = cur_u8(&in);
	if (!in.ok)
		return 0;
	if ((mode & 1) == 0) {
		/* Raw datagram; its own DCID keys it, or a given odcid. */
		dcid_len = mode >> 1 & 0x1f;
		if (dcid_len > QUIC_CID_MAX)
			dcid_len = 0;
		memset(dcid, 0x5a, sizeof(dcid));
		run(in.p, cur_left(&in), dcid, dcid_len);
		return 0;
	}
	/* Sealed: a selector byte (version: bits 0-2; DCID length: 3-7),
	 * the DCID, then the plaintext. */
	sel = cur_u8(&in);
	dcid_len = (size_t)(sel >> 3) % (QUIC_CID_MAX + 1);
	if (!cur_copy(&in, dcid, dcid_len))
		return 0;
	n = seal(versions[(sel & 7) % 6], dcid, dcid_len, (mode >> 1 & 3) + 1,
	    in.p, cur_left(&in), dgram);
	if (n == 0)
		return 0;
	run(dgram, n, NULL, 0);
	/* As a later Initial of a flow keyed by another connection ID. */
	run(dgram, n, (const uint8_t *)"otherid", 7);
	return 0;
}
