/* gen-gquic.c - a capture of Google QUIC client hellos (CHLO) of Q043, Q046
 * and Q050, as Chrome sent them before IETF QUIC, for tests/cases/gquic. */

/*
 * gen-gquic OUTDIR writes OUTDIR/gquic.pcap (Ethernet, IPv4, UDP to 443;
 * little-endian pcap, microseconds; every run the same bytes):
 *
 *   1. Q043 (public header, flags 0x09): a CHLO in one STREAM frame on
 *      stream 1, SNI ksn-file-geo.kaspersky-labs.com.
 *   2. Q046 (long header 0xc3, CIL 0x50): the same CHLO cut in two
 *      packets at stream offset 600 (the second one first on the wire,
 *      so the flow reassembles it).
 *   3. Q050: an Initial protected as RFC 9001 5 with Q050's salt, the CHLO
 *      in a CRYPTO frame (type 0x08), then PADDING to 1350 bytes.
 *   4. Q046 with SNI www.example.com: a plain name, no signature.
 *   5. Q043 whose frames do not read (an encrypted packet, 1350 bytes):
 *      counted as a gQUIC version not read.
 *   6. Q046 with a CHLO whose tag end offsets go down: malformed.
 *
 * The message authentication hash of Q043 and Q046 (FNV-1a 128, 12 bytes)
 * is a fixed pattern: neither kasaudit nor tshark checks it.  Layouts are
 * from the QUIC Crypto and wire layout documents as Wireshark's gQUIC
 * dissector reads them; keys from HKDF (RFC 5869) as RFC 9001 5.2 with
 * Chromium's Q050 salt, derived here with libcrypto's own HKDF, not
 * kasaudit's code, so the test holds quic.c to an independent reckoning.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#define T0	1733563200u	/* 2024-12-07T09:20:00Z */
#define DGRAM	1350		/* Chrome's gQUIC packet size */
#define PB_MAX	16384		/* the whole file is built in one */

#include "pcapw.h"

const char *pb_prog = "gen-gquic";

/* ---- the CHLO message ------------------------------------------------ */

struct tag {
	const char	*tag;		/* four characters */
	const char	*value;
	size_t		 len;
};

/*
 * A CHLO of these tags (in Chromium's order: ascending as little-endian
 * numbers), the PAD value filling the message to 1024 bytes as QUIC Crypto
 * asks.  down: the second end offset goes below the first (malformed).
 */
static void
chlo(struct pbuf *m, const char *sni, const char *ver, int down)
{
	static char pad[1024];
	struct tag t[] = {
		{ "PAD", pad, 0 },
		{ "SNI", sni, strlen(sni) },
		{ "VER", ver, 4 },
		{ "UAID", "Chrome/70.0.3538.77 Linux x86_64", 0 },
		{ "PDMD", "X509", 4 },
		{ "KEXS", "C255", 4 },
	};
	size_t n = sizeof(t) / sizeof(t[0]), i, total = 8 + 8 * n;
	uint32_t end = 0;

	memset(pad, '-', sizeof(pad));
	t[3].len = strlen(t[3].value);
	for (i = 1; i < n; i++)
		total += t[i].len;
	t[0].len = total < 1024 ? 1024 - total : 0;
	pb_put(m, "CHLO", 4);
	pb_u16le(m, (unsigned)n);
	pb_u16le(m, 0);
	for (i = 0; i < n; i++) {
		pb_put(m, t[i].tag, strlen(t[i].tag));
		if (strlen(t[i].tag) < 4)
			pb_u8(m, 0);
		end += (uint32_t)t[i].len;
		pb_u32le(m, down && i == 1 ? 3 : end);
	}
	for (i = 0; i < n; i++)
		pb_put(m, t[i].value, t[i].len);
}

/* ---- Q043 and Q046 packets in clear ------------------------------------ */

static const uint8_t cid[8] = { 0x67, 0x51, 0x75, 0x69, 0x63, 0x21, 0, 1 };
static const uint8_t hash[12] = {
	0x48, 0x61, 0x73, 0x68, 0x20, 0x6e, 0x6f, 0x74, 0x20, 0x63, 0x68, 0x6b,
};

/* A STREAM frame on stream 1 (1fdoooss: length present, 2-byte offset
 * when off > 0, 1-byte stream ID), big-endian as from Q039. */
static void
stream_frame(struct pbuf *d, const uint8_t *p, size_t len, unsigned off)
{
	pb_u8(d, off > 0 ? 0xa4 : 0xa0);
	pb_u8(d, 1);
	if (off > 0)
		pb_u16(d, off);
	pb_u16(d, (unsigned)len);
	pb_put(d, p, len);
}

static void
q043_header(struct pbuf *d, uint8_t cid_last)
{
	pb_u8(d, 0x09);		/* version, 8-byte CID, 1-byte pn */
	pb_put(d, cid, 7);
	pb_u8(d, cid_last);
	pb_put(d, "Q043", 4);
	pb_u8(d, 1);		/* packet number */
	pb_put(d, hash, sizeof(hash));
}

static void
q046_header(struct pbuf *d, uint8_t cid_last, unsigned pn)
{
	pb_u8(d, 0xc3);		/* long, fixed, Initial, 4-byte pn */
	pb_put(d, "Q046", 4);
	pb_u8(d, 0x50);		/* DCID 8 bytes, no SCID */
	pb_put(d, cid, 7);
	pb_u8(d, cid_last);
	pb_u32(d, pn);
	pb_put(d, hash, sizeof(hash));
}

/* ---- Q050: an Initial protected as RFC 9001 5 ------------------------ */

static const uint8_t salt_q050[20] = {	/* Chromium's kQ050Salt */
	0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94,
	0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45,
};

static void
fail(const char *what)
{
	fprintf(stderr, "gen-gquic: %s failed\n", what);
	exit(1);
}

static void
hkdf(int mode, const uint8_t *key, size_t key_len, const uint8_t *salt,
    size_t salt_len, const uint8_t *info, size_t info_len, uint8_t *out,
    size_t out_len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx;
	OSSL_PARAM p[6], *q = p;
	char md[] = "SHA256";

	if (kdf == NULL || (ctx = EVP_KDF_CTX_new(kdf)) == NULL)
		fail("HKDF");
	*q++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, md, 0);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)key, key_len);
	if (salt != NULL)
		*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
		    (void *)salt, salt_len);
	if (info != NULL)
		*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
		    (void *)info, info_len);
	*q = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, out_len, p) != 1)
		fail("HKDF");
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
}

/* HKDF-Expand-Label (RFC 8446 7.1) with an empty context. */
static void
expand_label(const uint8_t *secret, const char *label, uint8_t *out,
    size_t out_len)
{
	struct pbuf info = { .n = 0 };

	pb_u16(&info, (unsigned)out_len);
	pb_u8(&info, (unsigned)(6 + strlen(label)));
	pb_put(&info, "tls13 ", 6);
	pb_put(&info, label, strlen(label));
	pb_u8(&info, 0);
	hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, 32, NULL, 0, info.b,
	    info.n, out, out_len);
}

static void
q050_initial(struct pbuf *d, uint8_t cid_last, const struct pbuf *msg)
{
	uint8_t dcid[8], initial[32], secret[32], key[16], iv[12], hp[16];
	uint8_t mask[16], ct[DGRAM];
	struct pbuf pt = { .n = 0 };
	EVP_CIPHER_CTX *c;
	size_t pn_off, body;
	int n = 0;

	memcpy(dcid, cid, 7);
	dcid[7] = cid_last;
	hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, dcid, sizeof(dcid), salt_q050,
	    sizeof(salt_q050), NULL, 0, initial, sizeof(initial));
	expand_label(initial, "client in", secret, sizeof(secret));
	expand_label(secret, "quic key", key, sizeof(key));
	expand_label(secret, "quic iv", iv, sizeof(iv));
	expand_label(secret, "quic hp", hp, sizeof(hp));

	/* Header: 4-byte packet number 1 (gQUIC counts from 1). */
	pb_u8(d, 0xc3);
	pb_put(d, "Q050", 4);
	pb_u8(d, sizeof(dcid));
	pb_put(d, dcid, sizeof(dcid));
	pb_u8(d, 0);			/* SCID */
	pb_u8(d, 0);			/* token */
	body = DGRAM - (d->n + 2);
	pb_u16(d, 0x4000 | (unsigned)body);
	pn_off = d->n;
	pb_u32(d, 1);
	/* CRYPTO (0x08): offset 0, 2-byte length; then PADDING. */
	pb_u8(&pt, 0x08);
	pb_u8(&pt, 0);
	pb_u16(&pt, 0x4000 | (unsigned)msg->n);
	pb_put(&pt, msg->b, msg->n);
	while (pt.n < body - 4 - 16)
		pb_u8(&pt, 0);
	iv[11] ^= 1;			/* nonce: iv ^ packet number */
	if ((c = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, key, iv) != 1 ||
	    EVP_EncryptUpdate(c, NULL, &n, d->b, (int)d->n) != 1 ||
	    EVP_EncryptUpdate(c, ct, &n, pt.b, (int)pt.n) != 1 ||
	    EVP_EncryptFinal_ex(c, ct + n, &n) != 1)
		fail("AES-GCM");
	pb_put(d, ct, pt.n);
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, ct) != 1)
		fail("AES-GCM");
	pb_put(d, ct, 16);
	if (EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, hp, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(c, 0) != 1 ||
	    EVP_EncryptUpdate(c, mask, &n, d->b + pn_off + 4, 16) != 1)
		fail("AES-ECB");
	EVP_CIPHER_CTX_free(c);
	d->b[0] ^= mask[0] & 0x0f;
	for (n = 0; n < 4; n++)
		d->b[pn_off + (size_t)n] ^= mask[1 + n];
}

/* ---- the capture ------------------------------------------------------ */

static uint32_t
sum16(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n % 2)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static unsigned
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* One pcap record: Ethernet, IPv4 10.21.0.43 to 142.250.0.1, UDP to 443. */
static void
record(struct pbuf *f, unsigned sec, unsigned sport, const struct pbuf *udp_pl)
{
	static const uint8_t mac[12] = {
		0x00, 0x1b, 0x21, 0x00, 0x04, 0x43,
		0x00, 0x1b, 0x21, 0x00, 0x00, 0x01,
	};
	static const uint8_t src[4] = { 10, 21, 0, 43 };
	static const uint8_t dst[4] = { 142, 250, 0, 1 };
	static struct pbuf p;
	size_t ip, ulen = 8 + udp_pl->n;

	p.n = 0;
	pb_put(&p, mac, sizeof(mac));
	pb_u16(&p, 0x0800);
	ip = p.n;
	pb_u8(&p, 0x45);
	pb_u8(&p, 0);
	pb_u16(&p, (unsigned)(20 + ulen));
	pb_u16(&p, sport);			/* identification */
	pb_u16(&p, 0x4000);		/* DF */
	pb_u8(&p, 64);
	pb_u8(&p, 17);
	pb_u16(&p, 0);
	pb_put(&p, src, 4);
	pb_put(&p, dst, 4);
	{
		unsigned ck = fold(sum16(0, p.b + ip, 20));

		p.b[ip + 10] = (uint8_t)(ck >> 8);
		p.b[ip + 11] = (uint8_t)ck;
	}
	pb_u16(&p, sport);
	pb_u16(&p, 443);
	pb_u16(&p, (unsigned)ulen);
	pb_u16(&p, 0);			/* no checksum (RFC 768) */
	pb_put(&p, udp_pl->b, udp_pl->n);
	pb_u32le(f, T0 + sec);
	pb_u32le(f, 0);
	pb_u32le(f, (uint32_t)p.n);
	pb_u32le(f, (uint32_t)p.n);
	pb_put(f, p.b, p.n);
}

static struct pbuf file_b;

int
main(int argc, char **argv)
{
	static struct pbuf m, d;
	char path[4096];
	FILE *fp;
	size_t cut = 600;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-gquic OUTDIR\n");
		return 2;
	}
	pb_u32le(&file_b, 0xa1b2c3d4);
	pb_u16le(&file_b, 2);
	pb_u16le(&file_b, 4);
	pb_u32le(&file_b, 0);
	pb_u32le(&file_b, 0);
	pb_u32le(&file_b, 65535);
	pb_u32le(&file_b, 1);			/* Ethernet */

	m.n = 0;
	chlo(&m, "ksn-file-geo.kaspersky-labs.com", "Q043", 0);

	d.n = 0;				/* 1. Q043 */
	q043_header(&d, 1);
	stream_frame(&d, m.b, m.n, 0);
	record(&file_b, 1, 50431, &d);

	m.n = 0;
	chlo(&m, "ksn-file-geo.kaspersky-labs.com", "Q046", 0);
	d.n = 0;				/* 2. Q046, second half first */
	q046_header(&d, 2, 2);
	stream_frame(&d, m.b + cut, m.n - cut, (unsigned)cut);
	record(&file_b, 2, 50461, &d);
	d.n = 0;
	q046_header(&d, 2, 1);
	stream_frame(&d, m.b, cut, 0);
	record(&file_b, 2, 50461, &d);

	m.n = 0;
	chlo(&m, "ksn-file-geo.kaspersky-labs.com", "Q050", 0);
	d.n = 0;				/* 3. Q050 */
	q050_initial(&d, 3, &m);
	record(&file_b, 3, 50501, &d);

	m.n = 0;				/* 4. a plain name */
	chlo(&m, "www.example.com", "Q046", 0);
	d.n = 0;
	q046_header(&d, 4, 1);
	stream_frame(&d, m.b, m.n, 0);
	record(&file_b, 4, 50462, &d);

	d.n = 0;				/* 5. encrypted */
	q043_header(&d, 5);
	while (d.n < DGRAM)
		pb_u8(&d, (unsigned)(d.n * 7 + 0x25));
	record(&file_b, 5, 50432, &d);

	m.n = 0;				/* 6. malformed */
	chlo(&m, "ksn-file-geo.kaspersky-labs.com", "Q046", 1);
	d.n = 0;
	q046_header(&d, 6, 1);
	stream_frame(&d, m.b, m.n, 0);
	record(&file_b, 6, 50463, &d);

	snprintf(path, sizeof(path), "%s/gquic.pcap", argv[1]);
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(file_b.b, 1, file_b.n, fp) != file_b.n || fclose(fp) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}
