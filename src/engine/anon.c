/* anon.c - Crypto-PAn prefix-preserving pseudonyms with AES-128 (FIPS 197).
 * Owns the key schedule and the per-bit pad; addresses in, pseudonyms out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef KASAUDIT_QUIC
#include <openssl/evp.h>
#endif

#include "anon.h"

#define KEY_FILE_MAX	256	/* a key file is 32 bytes or 64 digits */
#define CACHE_SLOTS	256	/* reports name the same hosts often */

#ifdef KASAUDIT_QUIC

struct anon_slot {
	struct addr	 in;
	struct addr	 out;
};

struct anon {
	EVP_CIPHER_CTX	*ecb;
	uint8_t		 pad[16];	/* AES_K(second half of the key) */
	struct anon_slot cache[CACHE_SLOTS];
};

/* One AES-128 block; false if libcrypto failed. */
static bool
aes_block(struct anon *an, uint8_t out[16], const uint8_t in[16])
{
	int n = 0;

	return EVP_EncryptUpdate(an->ecb, out, &n, in, 16) == 1 && n == 16;
}

bool
anon_available(void)
{
	return true;
}

int
anon_new(struct anon **out, const uint8_t key[ANON_KEY_LEN], char *errbuf)
{
	struct anon *an;
	size_t i;

	if ((an = calloc(1, sizeof(*an))) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "out of memory");
		return ERR_NOMEM;
	}
	if ((an->ecb = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(an->ecb, EVP_aes_128_ecb(), NULL, key,
	    NULL) != 1 || EVP_CIPHER_CTX_set_padding(an->ecb, 0) != 1 ||
	    !aes_block(an, an->pad, key + 16)) {
		snprintf(errbuf, ERRBUF_LEN, "libcrypto cannot set up AES-128");
		anon_free(an);
		return ERR_IO;
	}
	/* Family 0 never matches a real address: the slots start empty. */
	for (i = 0; i < CACHE_SLOTS; i++)
		an->cache[i].in.family = 0;
	*out = an;
	return ERR_OK;
}

void
anon_free(struct anon *an)
{
	if (an == NULL)
		return;
	EVP_CIPHER_CTX_free(an->ecb);
	/* The pad is half the secret. */
	memset(an, 0, sizeof(*an));
	free(an);
}

static size_t
slot_of(const struct addr *a)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < sizeof(a->a); i++)
		h = (h ^ a->a[i]) * 16777619u;
	return (h ^ a->family) % CACHE_SLOTS;
}

void
anon_addr(struct anon *an, struct addr *dst, const struct addr *src)
{
	uint8_t block[16], enc[16], res[16];
	struct addr in = *src;
	struct anon_slot *s;
	unsigned bits, pos, k;
	uint8_t mask;

	if (in.family != 4 && in.family != 6) {
		*dst = in;
		return;
	}
	s = &an->cache[slot_of(&in)];
	if (addr_eq(&s->in, &in)) {
		*dst = s->out;
		return;
	}
	bits = in.family == 4 ? 32 : 128;
	memset(res, 0, sizeof(res));
	for (pos = 0; pos < bits; pos++) {
		/* The first pos bits of the address, then the pad's bits. */
		memcpy(block, an->pad, sizeof(block));
		memcpy(block, in.a, pos / 8);
		if (pos % 8 != 0) {
			k = pos / 8;
			mask = (uint8_t)(0xff00u >> (pos % 8));
			block[k] = (uint8_t)((in.a[k] & mask) |
			    (an->pad[k] & ~mask));
		}
		if (!aes_block(an, enc, block)) {
			/* Never hand back the address itself. */
			memset(dst, 0, sizeof(*dst));
			return;
		}
		res[pos / 8] |= (uint8_t)((enc[0] >> 7) << (7 - pos % 8));
	}
	for (k = 0; k < bits / 8; k++)
		res[k] ^= in.a[k];
	memset(dst, 0, sizeof(*dst));
	dst->family = in.family;
	memcpy(dst->a, res, bits / 8);
	s->in = in;
	s->out = *dst;
}

#else /* !KASAUDIT_QUIC: built without libcrypto */

struct anon {
	int	 unused;
};

bool
anon_available(void)
{
	return false;
}

int
anon_new(struct anon **out, const uint8_t key[ANON_KEY_LEN], char *errbuf)
{
	(void)out;
	(void)key;
	snprintf(errbuf, ERRBUF_LEN, "not available in this build (made "
	    "with QUIC=0, without libcrypto)");
	return ERR_UNSUPPORTED;
}

void
anon_free(struct anon *an)
{
	free(an);
}

void
anon_addr(struct anon *an, struct addr *dst, const struct addr *src)
{
	(void)an;
	(void)src;
	memset(dst, 0, sizeof(*dst));
}

#endif

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int
anon_load(struct anon **out, const char *path, char *errbuf)
{
	uint8_t buf[KEY_FILE_MAX + 1], key[ANON_KEY_LEN];
	size_t n, i, b, e;
	FILE *fp;
	int hi, lo, r;

	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	n = fread(buf, 1, sizeof(buf), fp);
	if (ferror(fp)) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		fclose(fp);
		return ERR_IO;
	}
	fclose(fp);
	if (n == ANON_KEY_LEN) {
		memcpy(key, buf, ANON_KEY_LEN);
		goto have;
	}
	for (b = 0; b < n && is_space(buf[b]); b++)
		;
	for (e = n; e > b && is_space(buf[e - 1]); e--)
		;
	if (n > KEY_FILE_MAX || e - b != 2 * ANON_KEY_LEN) {
		snprintf(errbuf, ERRBUF_LEN, "%s: a key file holds 32 bytes "
		    "or 64 hexadecimal digits", path);
		memset(buf, 0, sizeof(buf));
		return ERR_MALFORMED;
	}
	for (i = 0; i < ANON_KEY_LEN; i++) {
		hi = hexval(buf[b + 2 * i]);
		lo = hexval(buf[b + 2 * i + 1]);
		if (hi < 0 || lo < 0) {
			snprintf(errbuf, ERRBUF_LEN, "%s: not a hexadecimal "
			    "digit at byte %zu", path, b + 2 * i +
			    (hi < 0 ? 0 : 1));
			memset(buf, 0, sizeof(buf));
			memset(key, 0, sizeof(key));
			return ERR_MALFORMED;
		}
		key[i] = (uint8_t)(hi << 4 | lo);
	}
have:
	r = anon_new(out, key, errbuf);
	memset(buf, 0, sizeof(buf));
	memset(key, 0, sizeof(key));
	return r;
}
