/* test_tls.c - ClientHello parsing (RFC 8446 4.1.2, RFC 6066 3, RFC 7301). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tls.h"

static uint8_t scratch[TLS_HELLO_MAX];

/*
 * A TLS 1.2 ClientHello for www.example.com in one record, as a client
 * without TLS 1.3 sends it.
 */
static const uint8_t hello12[] = {
	0x16, 0x03, 0x01, 0x00, 0x57,	/* handshake record, 87 bytes */
	0x01, 0x00, 0x00, 0x53,		/* ClientHello, 83 bytes */
	0x03, 0x03,			/* legacy_version TLS 1.2 */
	0x5b, 0x2c, 0x61, 0x0e, 0x9a, 0x17, 0x44, 0xd3,	/* random */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
	0x00,				/* session_id: empty */
	0x00, 0x04, 0xc0, 0x2f, 0x00, 0x9c,	/* two cipher suites */
	0x01, 0x00,			/* compression: null */
	0x00, 0x26,			/* extensions, 38 bytes */
	0x00, 0x00, 0x00, 0x14,		/* server_name, 20 bytes */
	0x00, 0x12,			/* server_name_list, 18 bytes */
	0x00, 0x00, 0x0f,		/* host_name, 15 bytes */
	'w', 'w', 'w', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.',
	'c', 'o', 'm',
	0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,	/* ec_point_formats */
	0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x01,	/* sig algs */
};

/* The same hello after its record header: a bare handshake message. */
#define HELLO12_MSG	(hello12 + 5)
#define HELLO12_MSG_LEN	(sizeof(hello12) - 5)

/* ----- a small builder, so that longer hellos read as their fields ----- */

struct bld {
	uint8_t	 b[8192];
	size_t	 n;
};

static void
put8(struct bld *b, unsigned v)
{
	assert_true(b->n < sizeof(b->b));
	b->b[b->n++] = (uint8_t)v;
}

static void
put16(struct bld *b, unsigned v)
{
	put8(b, v >> 8 & 0xff);
	put8(b, v & 0xff);
}

static void
putmem(struct bld *b, const void *p, size_t len)
{
	assert_true(len <= sizeof(b->b) - b->n);
	if (len == 0)
		return;				/* p may be NULL */
	memcpy(b->b + b->n, p, len);
	b->n += len;
}

static void
putfill(struct bld *b, unsigned v, size_t len)
{
	while (len-- > 0)
		put8(b, v);
}

/* Reserves a length field of width bytes; close() fills it in. */
static size_t
open_len(struct bld *b, unsigned width)
{
	size_t at = b->n;

	putfill(b, 0, width);
	return at;
}

static void
close_len(struct bld *b, size_t at, unsigned width)
{
	size_t v = b->n - at - width;

	for (unsigned i = 0; i < width; i++)
		b->b[at + i] = (uint8_t)(v >> 8 * (width - 1 - i));
}

/*
 * Handshake header, legacy_version, random, a 32-byte session_id and the
 * cipher suites (GREASE first, as Chrome does), null compression.  Returns
 * where the handshake length is; *ext_at is the extensions length.
 */
static size_t
hello_begin(struct bld *b, unsigned version, size_t *ext_at)
{
	size_t hs;

	b->n = 0;
	put8(b, 1);				/* ClientHello */
	hs = open_len(b, 3);
	put16(b, version);
	putfill(b, 0x42, 32);			/* random */
	put8(b, 32);
	putfill(b, 0x5e, 32);			/* session_id */
	put16(b, 8);
	put16(b, 0x4a4a);			/* GREASE suite */
	put16(b, 0x1301);			/* TLS_AES_128_GCM_SHA256 */
	put16(b, 0x1302);
	put16(b, 0xc02b);
	put8(b, 1);
	put8(b, 0);
	*ext_at = open_len(b, 2);
	return hs;
}

static void
hello_end(struct bld *b, size_t hs, size_t ext_at)
{
	close_len(b, ext_at, 2);
	close_len(b, hs, 3);
}

/* An extension with raw contents. */
static void
ext_raw(struct bld *b, unsigned type, const void *data, size_t len)
{
	put16(b, type);
	put16(b, (unsigned)len);
	putmem(b, data, len);
}

/* server_name with one host_name of len bytes. */
static void
ext_sni(struct bld *b, const char *name, size_t len)
{
	size_t e, l;

	put16(b, 0);
	e = open_len(b, 2);
	l = open_len(b, 2);
	put8(b, 0);				/* host_name */
	put16(b, (unsigned)len);
	putmem(b, name, len);
	close_len(b, l, 2);
	close_len(b, e, 2);
}

/* ALPN with NULL-terminated list of protocol names. */
static void
ext_alpn(struct bld *b, const char *const *names)
{
	size_t e, l;

	put16(b, 16);
	e = open_len(b, 2);
	l = open_len(b, 2);
	for (; *names != NULL; names++) {
		put8(b, (unsigned)strlen(*names));
		putmem(b, *names, strlen(*names));
	}
	close_len(b, l, 2);
	close_len(b, e, 2);
}

/* supported_versions, client form, n versions. */
static void
ext_versions(struct bld *b, const uint16_t *v, size_t n)
{
	put16(b, 43);
	put16(b, (unsigned)(1 + 2 * n));
	put8(b, (unsigned)(2 * n));
	for (size_t i = 0; i < n; i++)
		put16(b, v[i]);
}

/* key_share: a 1-byte GREASE share, then each group with a key of len. */
static void
ext_key_share(struct bld *b, const uint16_t *groups, const size_t *lens,
    size_t n)
{
	size_t e, l;

	put16(b, 51);
	e = open_len(b, 2);
	l = open_len(b, 2);
	put16(b, 0x9a9a);
	put16(b, 1);
	put8(b, 0);
	for (size_t i = 0; i < n; i++) {
		put16(b, groups[i]);
		put16(b, (unsigned)lens[i]);
		putfill(b, 0x30 + (unsigned)i, lens[i]);
	}
	close_len(b, l, 2);
	close_len(b, e, 2);
}

/*
 * Wraps msg in handshake records: sizes[i] bytes in record i, the last
 * record takes the rest.  Appends extra bytes after the last record's
 * fragment (inside it) when extra_len > 0.
 */
static size_t
records(uint8_t *out, size_t out_len, const uint8_t *msg, size_t len,
    const size_t *sizes, size_t n, const uint8_t *extra, size_t extra_len)
{
	size_t o = 0, at = 0, take;

	for (size_t i = 0; at < len; i++) {
		take = i < n && sizes[i] < len - at ? sizes[i] : len - at;
		bool last = at + take == len;
		size_t rl = take + (last ? extra_len : 0);

		assert_true(o + 5 + rl <= out_len);
		out[o++] = 0x16;
		out[o++] = 0x03;
		out[o++] = 0x01;
		out[o++] = (uint8_t)(rl >> 8);
		out[o++] = (uint8_t)rl;
		memcpy(out + o, msg + at, take);
		o += take;
		at += take;
		if (last && extra_len > 0) {
			memcpy(out + o, extra, extra_len);
			o += extra_len;
		}
	}
	return o;
}

/* The TLS 1.3 hello of Chrome's shape, with GREASE in every list. */
static void
build_hello13(struct bld *b)
{
	static const char *const alpn[] = { "h2", "http/1.1", NULL };
	static const uint16_t vers[] = { 0x7a7a, 0x0304, 0x0303 };
	static const uint16_t groups[] = { 0x001d };
	static const size_t lens[] = { 32 };
	size_t hs, ext;

	hs = hello_begin(b, 0x0303, &ext);
	ext_raw(b, 0x0a0a, NULL, 0);		/* GREASE, empty */
	ext_sni(b, "www.google.com", 14);
	ext_raw(b, 23, NULL, 0);		/* extended_master_secret */
	ext_alpn(b, alpn);
	ext_versions(b, vers, 3);
	ext_key_share(b, groups, lens, 1);
	ext_raw(b, 0xdada, "\0", 1);		/* GREASE, one byte */
	hello_end(b, hs, ext);
}

/*
 * Chrome 124+ with X25519MLKEM768 (0x11ec, 1216-byte share) and padding to
 * about 1.7 KB: larger than one 1460-byte TCP segment.
 */
static void
build_hello_pq(struct bld *b)
{
	static const char *const alpn[] = { "h2", "http/1.1", NULL };
	static const uint16_t vers[] = { 0x3a3a, 0x0304, 0x0303 };
	static const uint16_t groups[] = { 0x11ec, 0x001d };
	static const size_t lens[] = { 1216, 32 };
	static const uint8_t pad[300];
	size_t hs, ext;

	hs = hello_begin(b, 0x0303, &ext);
	ext_raw(b, 0x2a2a, NULL, 0);
	ext_sni(b, "ksn-a-stat-geo.kaspersky-labs.com", 33);
	ext_alpn(b, alpn);
	ext_versions(b, vers, 3);
	ext_key_share(b, groups, lens, 2);
	ext_raw(b, 21, pad, sizeof(pad));	/* padding */
	hello_end(b, hs, ext);
}

static int
stream(const uint8_t *st, size_t len, struct tls_hello *h)
{
	return tls_client_hello_stream(st, len, scratch, sizeof(scratch), h,
	    NULL, NULL);
}

/* A hello message with one server_name of len bytes and nothing else. */
static size_t
msg_with_sni(struct bld *b, const char *name, size_t len)
{
	size_t hs, ext;

	hs = hello_begin(b, 0x0303, &ext);
	ext_sni(b, name, len);
	hello_end(b, hs, ext);
	return b->n;
}

/* ------------------------------------------------------------------------ */

static void
test_is_handshake_record(void **state)
{
	(void)state;
	assert_true(tls_is_handshake_record(hello12, sizeof(hello12)));
	assert_true(tls_is_handshake_record(hello12, 3));
	assert_false(tls_is_handshake_record(hello12, 2));
	assert_false(tls_is_handshake_record(NULL, 0));
	assert_false(tls_is_handshake_record((const uint8_t *)"\x17\x03\x03",
	    3));				/* application_data */
	assert_false(tls_is_handshake_record((const uint8_t *)"\x16\x03\x05",
	    3));
	assert_false(tls_is_handshake_record((const uint8_t *)"GET", 3));
}

/*
 * The name is taken as soon as it is complete, whatever follows: a hello
 * with more extensions than the cap, or a server_name_list with more
 * names than its cap, still gives a host_name that came first.  One that
 * comes only after the cap is still refused.
 */
static void
test_name_before_caps(void **state)
{
	static const char name[] = "ksn-file-geo.kaspersky-labs.com";
	struct tls_hello h;
	struct bld b;
	size_t hs, ext, e, l, i;

	(void)state;
	hs = hello_begin(&b, 0x0303, &ext);
	ext_sni(&b, name, sizeof(name) - 1);
	for (i = 0; i < 600; i++)
		ext_raw(&b, 0x0a0a + (unsigned)(i % 8) * 0x1010, NULL, 0);
	hello_end(&b, hs, ext);
	memset(&h, 0, sizeof(h));
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_true(h.has_sni);
	assert_string_equal(h.sni, name);

	hs = hello_begin(&b, 0x0303, &ext);
	for (i = 0; i < 600; i++)
		ext_raw(&b, 0x0a0a, NULL, 0);
	ext_sni(&b, name, sizeof(name) - 1);
	hello_end(&b, hs, ext);
	memset(&h, 0, sizeof(h));
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_MALFORMED);

	/* 70 entries in one server_name_list, the host_name first. */
	hs = hello_begin(&b, 0x0303, &ext);
	put16(&b, 0);
	e = open_len(&b, 2);
	l = open_len(&b, 2);
	put8(&b, 0);
	put16(&b, sizeof(name) - 1);
	putmem(&b, name, sizeof(name) - 1);
	for (i = 0; i < 69; i++) {
		put8(&b, 7);			/* a name type of the future */
		put16(&b, 1);
		put8(&b, 'x');
	}
	close_len(&b, l, 2);
	close_len(&b, e, 2);
	hello_end(&b, hs, ext);
	memset(&h, 0, sizeof(h));
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_true(h.has_sni);
	assert_string_equal(h.sni, name);
}

static void
test_ech_public_name(void **state)
{
	(void)state;
	assert_true(tls_ech_public_name("cloudflare-ech.com", 18));
	assert_true(tls_ech_public_name("Cloudflare-ECH.com", 18));
	assert_false(tls_ech_public_name("cloudflare-ech.co", 17));
	assert_false(tls_ech_public_name("cloudflare-ech.com.x", 20));
	assert_false(tls_ech_public_name("www.kaspersky.com", 17));
	assert_false(tls_ech_public_name("", 0));
}

static void
test_tls12_sni(void **state)
{
	struct tls_hello h;

	(void)state;
	assert_int_equal(sizeof(hello12), 5 + 87);
	assert_int_equal(stream(hello12, sizeof(hello12), &h), ERR_OK);
	assert_int_equal(h.legacy_version, 0x0303);
	assert_int_equal(h.max_version, 0x0303);
	assert_true(h.has_sni);
	assert_false(h.sni_is_ip);
	assert_false(h.ech);
	assert_string_equal(h.sni, "www.example.com");
	assert_int_equal(h.sni_len, 15);
	assert_string_equal(h.alpn, "");

	memset(&h, 0, sizeof(h));
	assert_int_equal(tls_client_hello_msg(HELLO12_MSG, HELLO12_MSG_LEN,
	    &h), ERR_OK);
	assert_string_equal(h.sni, "www.example.com");
}

static void
test_tls13_grease(void **state)
{
	struct bld b;
	uint8_t st[9000];
	struct tls_hello h;
	size_t n;

	(void)state;
	build_hello13(&b);
	n = records(st, sizeof(st), b.b, b.n, NULL, 0, NULL, 0);
	assert_int_equal(stream(st, n, &h), ERR_OK);
	assert_int_equal(h.legacy_version, 0x0303);
	assert_int_equal(h.max_version, 0x0304);	/* not 0x7a7a */
	assert_string_equal(h.sni, "www.google.com");
	assert_string_equal(h.alpn, "h2,http/1.1");
	assert_false(h.ech);

	/* The same message as QUIC CRYPTO data gives it. */
	memset(&h, 0, sizeof(h));
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_int_equal(h.max_version, 0x0304);
	assert_string_equal(h.sni, "www.google.com");
	assert_string_equal(h.alpn, "h2,http/1.1");
}

static void
test_split_records(void **state)
{
	static const size_t two[] = { 10 };
	static const size_t three[] = { 1, 50 };
	static const uint8_t more[] = {
		0x10, 0x00, 0x00, 0x02, 0xaa, 0xbb,	/* another message */
	};
	static const uint8_t appdata[] = {
		0x17, 0x03, 0x03, 0x00, 0x02, 0xee, 0xee,
	};
	struct bld b;
	uint8_t st[9000];
	struct tls_hello h;
	size_t n, ones[400];

	(void)state;
	build_hello13(&b);

	n = records(st, sizeof(st), b.b, b.n, two, 1, NULL, 0);
	assert_int_equal(n, b.n + 2 * 5);
	assert_int_equal(stream(st, n, &h), ERR_OK);
	assert_string_equal(h.sni, "www.google.com");

	n = records(st, sizeof(st), b.b, b.n, three, 2, NULL, 0);
	assert_int_equal(n, b.n + 3 * 5);
	assert_int_equal(stream(st, n, &h), ERR_OK);
	assert_string_equal(h.sni, "www.google.com");
	assert_string_equal(h.alpn, "h2,http/1.1");

	/* A header split over records: 2 bytes, then 2, then the body. */
	{
		static const size_t hdr[] = { 2, 2 };

		n = records(st, sizeof(st), b.b, b.n, hdr, 2, NULL, 0);
		assert_int_equal(stream(st, n, &h), ERR_OK);
		assert_string_equal(h.sni, "www.google.com");
	}

	/* One byte per record. */
	assert_true(b.n < 400);
	for (size_t i = 0; i < b.n; i++)
		ones[i] = 1;
	n = records(st, sizeof(st), b.b, b.n, ones, b.n, NULL, 0);
	assert_int_equal(n, 6 * b.n);
	assert_int_equal(stream(st, n, &h), ERR_OK);
	assert_string_equal(h.sni, "www.google.com");

	/* The last record holds the end of the hello and another message,
	 * and an application_data record follows: neither is read. */
	n = records(st, sizeof(st), b.b, b.n, two, 1, more, sizeof(more));
	memcpy(st + n, appdata, sizeof(appdata));
	n += sizeof(appdata);
	assert_int_equal(stream(st, n, &h), ERR_OK);
	assert_string_equal(h.sni, "www.google.com");
	/* ... and the hello is complete before the record is. */
	assert_int_equal(stream(st, n - sizeof(appdata) - sizeof(more), &h),
	    ERR_OK);
	assert_int_equal(stream(st, n - sizeof(appdata) - sizeof(more) - 1,
	    &h), ERR_SHORT);
}

static void
test_pq_two_segments(void **state)
{
	struct bld b;
	uint8_t st[9000];
	struct tls_hello h;
	size_t n;

	(void)state;
	build_hello_pq(&b);
	n = records(st, sizeof(st), b.b, b.n, NULL, 0, NULL, 0);
	assert_in_range(n, 1700, 1800);
	/* The first segment of an MSS-1460 connection. */
	memset(&h, 0xa5, sizeof(h));
	assert_int_equal(stream(st, 1460, &h), ERR_SHORT);
	assert_int_equal(stream(st, n, &h), ERR_OK);
	assert_int_equal(h.max_version, 0x0304);
	assert_string_equal(h.sni, "ksn-a-stat-geo.kaspersky-labs.com");
	assert_int_equal(h.sni_len, 33);
	assert_string_equal(h.alpn, "h2,http/1.1");
	assert_false(h.ech);
}

static void
test_ech(void **state)
{
	/* ECHClientHello outer: type, HPKE KDF and AEAD, config_id, enc
	 * (32 bytes), payload (8 bytes here; real ones are larger). */
	static const uint8_t ech[] = {
		0x00, 0x00, 0x01, 0x00, 0x01, 0x7f,
		0x00, 0x20,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x00, 0x08, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
	};
	static const uint16_t vers[] = { 0x0304 };
	struct bld b;
	struct tls_hello h;
	size_t hs, ext;

	(void)state;
	hs = hello_begin(&b, 0x0303, &ext);
	ext_sni(&b, "public.example", 14);
	ext_versions(&b, vers, 1);
	ext_raw(&b, 0xfe0d, ech, sizeof(ech));
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_true(h.ech);
	assert_true(h.has_sni);
	assert_string_equal(h.sni, "public.example");
	assert_int_equal(h.max_version, 0x0304);
}

static void
test_no_sni(void **state)
{
	/* A hello that ends after compression_methods (RFC 5246 7.4.1.2). */
	static const uint8_t bare[] = {
		0x01, 0x00, 0x00, 0x2b,		/* ClientHello, 43 bytes */
		0x03, 0x01,			/* TLS 1.0 */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* random */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00,				/* session_id */
		0x00, 0x04, 0x00, 0x2f, 0x00, 0x35,	/* cipher suites */
		0x01, 0x00,			/* null compression */
	};
	static const char *const alpn[] = { "http/1.1", NULL };
	struct bld b;
	struct tls_hello h;
	size_t hs, ext;

	(void)state;
	assert_int_equal(sizeof(bare), 4 + 43);
	memset(&h, 0xa5, sizeof(h));
	assert_int_equal(tls_client_hello_msg(bare, sizeof(bare), &h), ERR_OK);
	assert_false(h.has_sni);
	assert_int_equal(h.sni_len, 0);
	assert_int_equal(h.legacy_version, 0x0301);
	assert_int_equal(h.max_version, 0x0301);
	assert_string_equal(h.alpn, "");
	assert_false(h.ech);

	/* Extensions, none of them server_name. */
	hs = hello_begin(&b, 0x0303, &ext);
	ext_alpn(&b, alpn);
	ext_raw(&b, 23, NULL, 0);
	hello_end(&b, hs, ext);
	memset(&h, 0xa5, sizeof(h));
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_false(h.has_sni);
	assert_string_equal(h.sni, "");
	assert_string_equal(h.alpn, "http/1.1");

	/* An empty extensions block. */
	hs = hello_begin(&b, 0x0303, &ext);
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_false(h.has_sni);
}

static void
expect_name(const char *wire, size_t len, const char *want, bool is_ip)
{
	struct bld b;
	struct tls_hello h;

	msg_with_sni(&b, wire, len);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_true(h.has_sni);
	assert_string_equal(h.sni, want);
	assert_int_equal(h.sni_len, strlen(want));
	assert_int_equal(h.sni_is_ip, is_ip);
}

static void
test_sni_ip(void **state)
{
	(void)state;
	expect_name("192.0.2.1", 9, "192.0.2.1", true);
	expect_name("10.0.0.1.", 9, "10.0.0.1", true);
	expect_name("2001:DB8::1", 11, "2001:db8::1", true);
	expect_name("[::1]", 5, "[::1]", true);
	expect_name("::ffff:192.0.2.1", 16, "::ffff:192.0.2.1", true);
	expect_name("1.2.3.4.example", 15, "1.2.3.4.example", false);
	expect_name("256.1.1.1", 9, "256.1.1.1", false);
	expect_name("1.2.3", 5, "1.2.3", false);
	expect_name("1.2.3.4.5", 9, "1.2.3.4.5", false);
	expect_name("1..2.3", 6, "1..2.3", false);
	expect_name("cafe.be", 7, "cafe.be", false);
	expect_name("deadbeef", 8, "deadbeef", false);
}

static void
test_sni_case_dot(void **state)
{
	(void)state;
	expect_name("WWW.Example.COM.", 16, "www.example.com", false);
	/* Only one trailing dot goes. */
	expect_name("a.example..", 11, "a.example.", false);
}

static void
test_sni_escape(void **state)
{
	struct bld b;
	struct tls_hello h;

	(void)state;
	/* 'a' NUL 'b' 0xff 'c' ".com" */
	expect_name("a\0b\xff" "c.com", 9, "a\\000b\\255c.com", false);
	expect_name("a b\\c.com", 9, "a\\032b\\\\c.com", false);
	expect_name("\x7f~!", 3, "\\127~!", false);

	/* "." alone names nothing. */
	msg_with_sni(&b, ".", 1);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_MALFORMED);
}

static void
test_sni_long(void **state)
{
	static char name[1100];
	struct bld b;
	struct tls_hello h;

	(void)state;
	/* 1023 characters fit with the NUL ... */
	memset(name, 'x', sizeof(name));
	msg_with_sni(&b, name, 1023);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_int_equal(h.sni_len, 1023);
	/* ... 1024 do not, nor 255 bytes that each need \DDD plus one. */
	msg_with_sni(&b, name, 1024);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_FULL);
	memset(name, 0x01, 256);
	msg_with_sni(&b, name, 255);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_int_equal(h.sni_len, 1020);
	msg_with_sni(&b, name, 256);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_FULL);
}

static void
test_sni_list(void **state)
{
	/* A name of another type first, then two host_names. */
	static const uint8_t sni[] = {
		0x00, 0x1b,			/* server_name_list, 27 */
		0x01, 0x00, 0x03, 'z', 'z', 'z',	/* type 1 */
		0x00, 0x00, 0x05, 'f', 'i', 'r', 's', 't',
		0x00, 0x00, 0x06, 's', 'e', 'c', 'o', 'n', 'd',
		0x02, 0x00, 0x01, 'q',		/* type 2 */
	};
	struct bld b;
	struct tls_hello h;
	size_t hs, ext;

	(void)state;
	hs = hello_begin(&b, 0x0303, &ext);
	ext_raw(&b, 0, sni, sizeof(sni));
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_string_equal(h.sni, "first");

	/* Only other types: no SNI, not an error. */
	hs = hello_begin(&b, 0x0303, &ext);
	ext_raw(&b, 0, "\x00\x04\x01\x00\x01q", 6);
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_false(h.has_sni);

	/* A repeated server_name: the first counts, and the second is not
	 * even parsed (so its broken list does not matter). */
	hs = hello_begin(&b, 0x0303, &ext);
	ext_sni(&b, "one.example", 11);
	ext_sni(&b, "two.example", 11);
	ext_raw(&b, 0, "\x00\x09", 2);
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_string_equal(h.sni, "one.example");
}

static void
test_alpn(void **state)
{
	static const char *const esc[] = { "a,b", "x\x01", "\\", NULL };
	static const char *const many[] = {
		"proto-00-abcdefgh", "proto-01-abcdefgh", "proto-02-abcdefgh",
		"proto-03-abcdefgh", "proto-04-abcdefgh", "proto-05-abcdefgh",
		"proto-06-abcdefgh", "proto-07-abcdefgh", "p", NULL,
	};
	struct bld b;
	struct tls_hello h;
	char want[TLS_ALPN_LEN];
	size_t hs, ext;

	(void)state;
	hs = hello_begin(&b, 0x0303, &ext);
	ext_alpn(&b, esc);
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_string_equal(h.alpn, "a\\044b,x\\001,\\092");

	/* 7 names of 17 and 6 commas are 125 characters; the eighth does
	 * not fit in 127, and "p" after it, which would, is left out too:
	 * the list is cut, not thinned. */
	hs = hello_begin(&b, 0x0303, &ext);
	ext_alpn(&b, many);
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	want[0] = '\0';
	for (int i = 0; i < 7; i++) {
		if (i > 0)
			strcat(want, ",");
		strcat(want, many[i]);
	}
	assert_int_equal(strlen(want), 125);
	assert_string_equal(h.alpn, want);
}

static void
test_versions(void **state)
{
	static const uint16_t grease[] = { 0x0a0a, 0xfafa };
	static const uint16_t order[] = { 0x0303, 0x0304, 0x1a1a };
	struct bld b;
	struct tls_hello h;
	size_t hs, ext;

	(void)state;
	hs = hello_begin(&b, 0x0303, &ext);
	ext_versions(&b, grease, 2);
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_int_equal(h.max_version, 0x0303);	/* legacy_version */

	hs = hello_begin(&b, 0x0303, &ext);
	ext_versions(&b, order, 3);
	ext_versions(&b, grease, 2);		/* repeated: ignored */
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_int_equal(h.max_version, 0x0304);

	/* Odd list length. */
	hs = hello_begin(&b, 0x0303, &ext);
	ext_raw(&b, 43, "\x03\x03\x04\x03", 4);
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_MALFORMED);
}

static void
test_ext_cap(void **state)
{
	struct bld b;
	struct tls_hello h;
	size_t hs, ext;

	(void)state;
	hs = hello_begin(&b, 0x0303, &ext);
	for (int i = 0; i < 511; i++)
		ext_raw(&b, 0x0a0a + 0x1010 * (unsigned)(i % 16), NULL, 0);
	ext_sni(&b, "x.example", 9);
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_OK);
	assert_string_equal(h.sni, "x.example");

	hs = hello_begin(&b, 0x0303, &ext);
	for (int i = 0; i < 513; i++)
		ext_raw(&b, 0x0a0a, NULL, 0);
	hello_end(&b, hs, ext);
	assert_int_equal(tls_client_hello_msg(b.b, b.n, &h), ERR_MALFORMED);
}

static void
test_notfound(void **state)
{
	static const uint8_t appdata[] = {
		0x17, 0x03, 0x03, 0x00, 0x03, 0x01, 0x02, 0x03,
	};
	/* ServerHello: a server's stream. */
	static const uint8_t server[] = {
		0x16, 0x03, 0x03, 0x00, 0x2a,
		0x02, 0x00, 0x00, 0x26, 0x03, 0x03,
	};
	/* SSLv2-compatible CLIENT-HELLO (RFC 5246 E.2): no extensions. */
	static const uint8_t sslv2[] = {
		0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00,
		0x10,
	};
	static const uint8_t http[] = "GET / HTTP/1.1\r\n";
	/* Record version 2.0, then 3.5. */
	static const uint8_t v20[] = { 0x16, 0x02, 0x00, 0x00, 0x05 };
	static const uint8_t v35[] = { 0x16, 0x03, 0x05, 0x00, 0x05 };
	struct tls_hello h;

	(void)state;
	assert_int_equal(stream(appdata, sizeof(appdata), &h), ERR_NOTFOUND);
	assert_int_equal(stream(appdata, 1, &h), ERR_NOTFOUND);
	assert_int_equal(stream(server, sizeof(server), &h), ERR_NOTFOUND);
	assert_int_equal(stream(server, 6, &h), ERR_NOTFOUND);
	assert_int_equal(stream(server, 5, &h), ERR_SHORT);
	assert_int_equal(stream(sslv2, sizeof(sslv2), &h), ERR_NOTFOUND);
	assert_int_equal(stream(http, sizeof(http) - 1, &h), ERR_NOTFOUND);
	assert_int_equal(stream(v20, sizeof(v20), &h), ERR_NOTFOUND);
	assert_int_equal(stream(v20, 2, &h), ERR_NOTFOUND);
	assert_int_equal(stream(v35, sizeof(v35), &h), ERR_NOTFOUND);
	assert_int_equal(stream(NULL, 0, &h), ERR_SHORT);
	assert_int_equal(tls_client_hello_msg(server + 5, sizeof(server) - 5,
	    &h), ERR_NOTFOUND);
	assert_int_equal(tls_client_hello_msg(NULL, 0, &h), ERR_SHORT);
}

static void
test_full(void **state)
{
	/* A ClientHello of 65533 bytes: with its header, one byte over
	 * TLS_HELLO_MAX. */
	static const uint8_t huge[] = {
		0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0xff, 0xfd,
	};
	struct bld b;
	uint8_t st[9000], small[256];
	struct tls_hello h;
	size_t n;

	(void)state;
	build_hello_pq(&b);
	n = records(st, sizeof(st), b.b, b.n, NULL, 0, NULL, 0);
	assert_int_equal(tls_client_hello_stream(st, n, small, sizeof(small),
	    &h, NULL, NULL), ERR_FULL);
	/* Known from the handshake header alone, before the body. */
	assert_int_equal(tls_client_hello_stream(st, 9, small, sizeof(small),
	    &h, NULL, NULL), ERR_FULL);
	assert_int_equal(tls_client_hello_stream(st, n, small, 2, &h, NULL,
	    NULL),
	    ERR_FULL);
	assert_int_equal(tls_client_hello_stream(st, n, NULL, 0, &h, NULL,
	    NULL),
	    ERR_FULL);
	/* Exactly the size of the message is enough. */
	assert_int_equal(tls_client_hello_stream(st, n, scratch, b.n, &h,
	    NULL, NULL),
	    ERR_OK);
	assert_int_equal(tls_client_hello_stream(st, n, scratch, b.n - 1, &h,
	    NULL, NULL),
	    ERR_FULL);

	assert_int_equal(stream(huge, sizeof(huge), &h), ERR_FULL);
	assert_int_equal(tls_client_hello_msg(huge + 5, 4, &h), ERR_FULL);
}

/* Asserts that msg (a handshake message) is malformed, and h untouched. */
static void
expect_malformed_msg(const uint8_t *msg, size_t len)
{
	struct tls_hello h, h0;

	memset(&h, 0xa5, sizeof(h));
	h0 = h;
	assert_int_equal(tls_client_hello_msg(msg, len, &h), ERR_MALFORMED);
	assert_memory_equal(&h, &h0, sizeof(h));
}

static void
test_malformed(void **state)
{
	uint8_t m[sizeof(hello12)], st[9000];
	struct bld b;
	struct tls_hello h, h0;
	size_t hs, ext, n;

	(void)state;
	/* Each case patches the valid hello12 message (offsets are from the
	 * handshake header: random at 6, session_id 38, suites 39, ...). */
#define PATCH(off, v)	do {						\
	memcpy(m, HELLO12_MSG, HELLO12_MSG_LEN);			\
	m[off] = (v);							\
	expect_malformed_msg(m, HELLO12_MSG_LEN);			\
} while (0)
	PATCH(38, 33);		/* session_id longer than 32 */
	PATCH(38, 60);		/* session_id past the suites */
	PATCH(40, 3);		/* odd cipher_suites length */
	PATCH(40, 0);		/* no cipher suites */
	PATCH(45, 0);		/* no compression methods */
	PATCH(48, 0x27);	/* extensions past the body */
	PATCH(48, 0x25);	/* extensions short of the body */
	PATCH(52, 0x15);	/* server_name past the extensions */
	PATCH(54, 0x13);	/* server_name_list past server_name */
	PATCH(54, 0x11);	/* a byte after server_name_list */
	PATCH(57, 0x10);	/* host_name past the list */
	PATCH(57, 0x00);	/* empty host_name */
	PATCH(82, 0x05);	/* the last extension past the block */
#undef PATCH
	assert_int_equal(HELLO12_MSG[48], 0x26);
	assert_int_equal(HELLO12_MSG[57], 0x0f);

	/* A body that ends one byte after compression_methods. */
	{
		static const uint8_t one[] = {
			0x01, 0x00, 0x00, 0x2a, 0x03, 0x03,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00,
			0x00,			/* half a length */
		};

		assert_int_equal(sizeof(one), 4 + 42);
		expect_malformed_msg(one, sizeof(one));
	}

	/* The body's own lengths run past the handshake length: a complete
	 * message whose insides overrun is malformed, not short. */
	memcpy(m, HELLO12_MSG, HELLO12_MSG_LEN);
	m[3] = 0x40;
	expect_malformed_msg(m, 4 + 0x40);

	/* An empty server_name extension. */
	hs = hello_begin(&b, 0x0303, &ext);
	ext_raw(&b, 0, NULL, 0);
	hello_end(&b, hs, ext);
	expect_malformed_msg(b.b, b.n);

	/* An empty ALPN protocol name; a name past the list. */
	hs = hello_begin(&b, 0x0303, &ext);
	ext_raw(&b, 16, "\x00\x03\x02h2\x00", 6);
	hello_end(&b, hs, ext);
	expect_malformed_msg(b.b, b.n);
	hs = hello_begin(&b, 0x0303, &ext);
	ext_raw(&b, 16, "\x00\x03\x03h2", 5);
	hello_end(&b, hs, ext);
	expect_malformed_msg(b.b, b.n);

	/* More list entries than any client sends: 65 names of type 1,
	 * 257 protocols of one byte. */
	{
		size_t e, l;

		hs = hello_begin(&b, 0x0303, &ext);
		put16(&b, 0);
		e = open_len(&b, 2);
		l = open_len(&b, 2);
		for (int i = 0; i < 65; i++) {
			put8(&b, 1);
			put16(&b, 1);
			put8(&b, 'q');
		}
		close_len(&b, l, 2);
		close_len(&b, e, 2);
		hello_end(&b, hs, ext);
		expect_malformed_msg(b.b, b.n);

		hs = hello_begin(&b, 0x0303, &ext);
		put16(&b, 16);
		e = open_len(&b, 2);
		l = open_len(&b, 2);
		for (int i = 0; i < 257; i++) {
			put8(&b, 1);
			put8(&b, 'p');
		}
		close_len(&b, l, 2);
		close_len(&b, e, 2);
		hello_end(&b, hs, ext);
		expect_malformed_msg(b.b, b.n);
	}

	/* Empty ClientHello. */
	expect_malformed_msg((const uint8_t *)"\x01\x00\x00\x00", 4);

	/* Records: zero length, too long, then a record of another type or
	 * version before the hello is complete. */
	memcpy(st, hello12, sizeof(hello12));
	st[3] = 0x00;
	st[4] = 0x00;
	memset(&h, 0xa5, sizeof(h));
	h0 = h;
	assert_int_equal(stream(st, sizeof(hello12), &h), ERR_MALFORMED);
	st[3] = 0x48;
	st[4] = 0x01;
	assert_int_equal(stream(st, sizeof(hello12), &h), ERR_MALFORMED);
	assert_memory_equal(&h, &h0, sizeof(h));
	/* 18432 is tolerated, and the hello ends well before. */
	st[4] = 0x00;
	assert_int_equal(stream(st, sizeof(hello12), &h), ERR_OK);

	{
		static const size_t two[] = { 20 };

		n = records(st, sizeof(st), HELLO12_MSG, HELLO12_MSG_LEN, two,
		    1, NULL, 0);
		assert_int_equal(stream(st, n, &h), ERR_OK);
		st[25] = 0x15;			/* alert */
		assert_int_equal(stream(st, n, &h), ERR_MALFORMED);
		st[25] = 0x16;
		st[26] = 0x02;
		assert_int_equal(stream(st, n, &h), ERR_MALFORMED);
	}
}

/*
 * Every strict prefix of st, each in a heap block of exactly its size, must
 * give ERR_SHORT while it ends before byte done (and leave h alone), asking
 * for more bytes but never for more than the hello needs; from done on,
 * ERR_OK with the name, the records read up to done or beyond.
 */
static void
prefixes_stream(const uint8_t *st, size_t len, size_t done, const char *sni)
{
	struct tls_hello h, h0;
	size_t used, need;
	uint8_t *p;

	memset(&h0, 0xa5, sizeof(h0));
	for (size_t l = 0; l <= len; l++) {
		assert_non_null(p = malloc(l > 0 ? l : 1));
		memcpy(p, st, l);
		h = h0;
		used = need = 0;
		if (l < done) {
			assert_int_equal(tls_client_hello_stream(p, l, scratch,
			    sizeof(scratch), &h, &used, &need), ERR_SHORT);
			assert_memory_equal(&h, &h0, sizeof(h));
			assert_true(need >= 1 && l + need <= done);
			assert_int_equal(used, 0);
		} else {
			assert_int_equal(tls_client_hello_stream(p, l, scratch,
			    sizeof(scratch), &h, &used, &need), ERR_OK);
			assert_string_equal(h.sni, sni);
			assert_true(used >= done && used <= l);
			assert_int_equal(need, 0);
		}
		free(p);
	}
}

/* The same for a bare handshake message. */
static void
prefixes_msg(const uint8_t *msg, size_t len, const char *sni)
{
	struct tls_hello h, h0;
	uint8_t *p;

	memset(&h0, 0xa5, sizeof(h0));
	for (size_t l = 0; l <= len; l++) {
		assert_non_null(p = malloc(l > 0 ? l : 1));
		memcpy(p, msg, l);
		h = h0;
		if (l < len) {
			assert_int_equal(tls_client_hello_msg(p, l, &h),
			    ERR_SHORT);
			assert_memory_equal(&h, &h0, sizeof(h));
		} else {
			assert_int_equal(tls_client_hello_msg(p, l, &h),
			    ERR_OK);
			assert_string_equal(h.sni, sni);
		}
		free(p);
	}
}

static void
test_prefixes(void **state)
{
	static const size_t three[] = { 3, 40 };
	static const uint8_t more[] = { 0x0b, 0x00, 0x00, 0x00 };
	struct bld b;
	uint8_t st[9000];
	size_t n;

	(void)state;
	prefixes_stream(hello12, sizeof(hello12), sizeof(hello12),
	    "www.example.com");
	prefixes_msg(HELLO12_MSG, HELLO12_MSG_LEN, "www.example.com");

	build_hello13(&b);
	prefixes_msg(b.b, b.n, "www.google.com");
	n = records(st, sizeof(st), b.b, b.n, three, 2, NULL, 0);
	prefixes_stream(st, n, n, "www.google.com");
	n = records(st, sizeof(st), b.b, b.n, three, 2, more, sizeof(more));
	prefixes_stream(st, n, n - sizeof(more), "www.google.com");

	build_hello_pq(&b);
	prefixes_msg(b.b, b.n, "ksn-a-stat-geo.kaspersky-labs.com");
	n = records(st, sizeof(st), b.b, b.n, NULL, 0, NULL, 0);
	prefixes_stream(st, n, n, "ksn-a-stat-geo.kaspersky-labs.com");
}

/*
 * Prefixes of broken input: never a crash or an over-read, never ERR_OK,
 * only the errors the prefix can truly be.
 */
static void
test_prefixes_broken(void **state)
{
	uint8_t m[sizeof(hello12)], *p;
	struct tls_hello h;
	int r;

	(void)state;
	memcpy(m, hello12, sizeof(hello12));
	m[5 + 54] = 0x13;		/* server_name_list past server_name */
	for (size_t l = 0; l <= sizeof(m); l++) {
		assert_non_null(p = malloc(l > 0 ? l : 1));
		memcpy(p, m, l);
		r = stream(p, l, &h);
		if (l < sizeof(m))
			assert_int_equal(r, ERR_SHORT);
		else
			assert_int_equal(r, ERR_MALFORMED);
		r = tls_client_hello_msg(p + 5 * (l >= 5), l - 5 * (l >= 5),
		    &h);
		assert_int_not_equal(r, ERR_OK);
		free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_handshake_record),
		cmocka_unit_test(test_tls12_sni),
		cmocka_unit_test(test_ech_public_name),
		cmocka_unit_test(test_name_before_caps),
		cmocka_unit_test(test_tls13_grease),
		cmocka_unit_test(test_split_records),
		cmocka_unit_test(test_pq_two_segments),
		cmocka_unit_test(test_ech),
		cmocka_unit_test(test_no_sni),
		cmocka_unit_test(test_sni_ip),
		cmocka_unit_test(test_sni_case_dot),
		cmocka_unit_test(test_sni_escape),
		cmocka_unit_test(test_sni_long),
		cmocka_unit_test(test_sni_list),
		cmocka_unit_test(test_alpn),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_ext_cap),
		cmocka_unit_test(test_notfound),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_prefixes_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
