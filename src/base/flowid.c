/* flowid.c - SHA-1 from FIPS 180-4 (6.1.2, 5.3.1) and the Community ID
 * v1 (seed, ordered endpoints, SHA-1, base64 of RFC 4648 4). */
#include <string.h>

#include "flowid.h"

static uint32_t
rol(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

static void
sha1_block(struct sha1 *s, const uint8_t *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = s->h[0];
	b = s->h[1];
	c = s->h[2];
	d = s->h[3];
	e = s->h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);		/* Ch */
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;			/* Parity */
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);	/* Maj */
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
}

void
sha1_init(struct sha1 *s)
{
	memset(s, 0, sizeof(*s));
	s->h[0] = 0x67452301;
	s->h[1] = 0xefcdab89;
	s->h[2] = 0x98badcfe;
	s->h[3] = 0x10325476;
	s->h[4] = 0xc3d2e1f0;
}

void
sha1_update(struct sha1 *s, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t used, take;

	while (len > 0) {
		used = (size_t)(s->n % 64);
		take = 64 - used < len ? 64 - used : len;
		memcpy(s->buf + used, p, take);
		s->n += take;
		p += take;
		len -= take;
		if (used + take == 64)
			sha1_block(s, s->buf);
	}
}

void
sha1_final(struct sha1 *s, uint8_t out[SHA1_LEN])
{
	static const uint8_t pad[64] = { 0x80 };
	uint64_t bits = s->n * 8;
	uint8_t len[8];
	unsigned i;

	for (i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	/* 0x80, zeros up to 56 mod 64, the length in bits (5.1.1). */
	sha1_update(s, pad, 1 + (119 - s->n % 64) % 64);
	sha1_update(s, len, 8);
	for (i = 0; i < SHA1_LEN; i++)
		out[i] = (uint8_t)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

static void
base64(char *dst, const uint8_t *src, size_t n)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t v;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 |
		    src[i + 2];
		*dst++ = abc[v >> 18];
		*dst++ = abc[v >> 12 & 63];
		*dst++ = abc[v >> 6 & 63];
		*dst++ = abc[v & 63];
	}
	if (i < n) {
		v = (uint32_t)src[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)src[i + 1] << 8;
		*dst++ = abc[v >> 18];
		*dst++ = abc[v >> 12 & 63];
		*dst++ = i + 1 < n ? abc[v >> 6 & 63] : '=';
		*dst++ = '=';
	}
	*dst = '\0';
}

const char *
flowid_community(char *buf, uint16_t seed, uint8_t proto,
    const struct addr *a, uint16_t aport, const struct addr *b,
    uint16_t bport)
{
	const struct addr *lo = a, *hi = b;
	uint16_t lport = aport, hport = bport;
	uint8_t in[2 + 16 + 16 + 2 + 4], md[SHA1_LEN];
	size_t alen, n = 0;
	bool ports;
	struct sha1 s;
	int c;

	buf[0] = '\0';
	if (a->family != b->family || (a->family != 4 && a->family != 6))
		return buf;
	alen = a->family == 4 ? 4 : 16;
	ports = proto == 6 || proto == 17 || proto == 132;
	/* The smaller endpoint first: address, then port. */
	c = memcmp(a->a, b->a, alen);
	if (c > 0 || (c == 0 && ports && aport > bport)) {
		lo = b;
		hi = a;
		lport = bport;
		hport = aport;
	}
	in[n++] = (uint8_t)(seed >> 8);
	in[n++] = (uint8_t)seed;
	memcpy(in + n, lo->a, alen);
	n += alen;
	memcpy(in + n, hi->a, alen);
	n += alen;
	in[n++] = proto;
	in[n++] = 0;				/* padding */
	if (ports) {
		in[n++] = (uint8_t)(lport >> 8);
		in[n++] = (uint8_t)lport;
		in[n++] = (uint8_t)(hport >> 8);
		in[n++] = (uint8_t)hport;
	}
	sha1_init(&s);
	sha1_update(&s, in, n);
	sha1_final(&s, md);
	buf[0] = '1';
	buf[1] = ':';
	base64(buf + 2, md, sizeof(md));
	return buf;
}
