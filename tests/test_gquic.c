/* test_gquic.c - Google QUIC's CHLO message and its packets in clear
 * (Q043 public header, Q046 long header): gquic.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gquic.h"

struct msg {
	uint8_t	 b[4096];
	size_t	 n;
};

static void
put(struct msg *m, const void *p, size_t n)
{
	assert_true(n <= sizeof(m->b) - m->n);
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
u8(struct msg *m, unsigned v)
{
	uint8_t c = (uint8_t)v;

	put(m, &c, 1);
}

static void
u16le(struct msg *m, unsigned v)
{
	u8(m, v & 0xff);
	u8(m, v >> 8);
}

static void
u32le(struct msg *m, uint32_t v)
{
	u16le(m, v & 0xffff);
	u16le(m, v >> 16);
}

struct tv {
	const char	*tag;		/* 3 or 4 characters */
	const char	*value;
};

/* A CHLO of these tags in order; ends[] overrides the end offsets. */
static void
chlo(struct msg *m, const struct tv *t, size_t n, const uint32_t *ends)
{
	uint32_t end = 0;
	size_t i;

	m->n = 0;
	put(m, "CHLO", 4);
	u16le(m, (unsigned)n);
	u16le(m, 0);
	for (i = 0; i < n; i++) {
		put(m, t[i].tag, strlen(t[i].tag));
		if (strlen(t[i].tag) == 3)
			u8(m, 0);
		end += (uint32_t)strlen(t[i].value);
		u32le(m, ends != NULL ? ends[i] : end);
	}
	for (i = 0; i < n; i++)
		put(m, t[i].value, strlen(t[i].value));
}

static const struct tv chrome[] = {
	{ "PAD", "----------------" },
	{ "SNI", "KSN-File-Geo.Kaspersky-Labs.com." },
	{ "VER", "Q043" },
	{ "UAID", "Chrome/70.0.3538.77 Linux x86_64" },
	{ "PDMD", "X509" },
};

static void
test_good(void **state)
{
	struct msg m;
	struct tls_hello h;
	struct gquic_chlo c;

	(void)state;
	chlo(&m, chrome, 5, NULL);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, &c), ERR_OK);
	assert_true(h.has_sni);
	/* As TLS's SNI: lower case, the trailing dot gone. */
	assert_string_equal(h.sni, "ksn-file-geo.kaspersky-labs.com");
	assert_int_equal(h.sni_len, 31);
	assert_false(h.sni_is_ip);
	assert_false(h.ech);
	assert_int_equal(c.n_tags, 5);
	assert_int_equal(c.ver, 0x51303433);
	assert_int_equal(c.uaid_len, 32);
	assert_memory_equal(c.uaid, "Chrome/70", 9);
	/* Bytes after the message (PADDING, the next frame) are not its. */
	put(&m, "\0\0\0", 3);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_OK);
	assert_true(h.has_sni);
}

/* Every prefix of a good CHLO asks for more; none is taken as whole. */
static void
test_truncated(void **state)
{
	struct msg m;
	struct tls_hello h;
	size_t i;

	(void)state;
	chlo(&m, chrome, 5, NULL);
	for (i = 0; i < m.n; i++)
		assert_int_equal(gquic_chlo(m.b, i, &h, NULL), ERR_SHORT);
}

static void
test_out_of_order(void **state)
{
	static const uint32_t ends[5] = { 16, 48, 40, 84, 88 };
	struct msg m;
	struct tls_hello h;

	(void)state;
	chlo(&m, chrome, 5, ends);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_MALFORMED);
	assert_false(h.has_sni);
}

/* An end offset beyond any CHLO (not only beyond this buffer). */
static void
test_offset_huge(void **state)
{
	static const uint32_t ends[5] = { 16, 48, 52, 84, 0xfffffff0u };
	struct msg m;
	struct tls_hello h;

	(void)state;
	chlo(&m, chrome, 5, ends);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_MALFORMED);
}

static void
test_no_sni(void **state)
{
	static const struct tv t[] = {
		{ "PAD", "--------" }, { "VER", "Q046" },
	};
	struct msg m;
	struct tls_hello h;
	struct gquic_chlo c;

	(void)state;
	chlo(&m, t, 2, NULL);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, &c), ERR_OK);
	assert_false(h.has_sni);
	assert_int_equal(c.ver, 0x51303436);
	assert_null(c.uaid);
}

static void
test_bad_names(void **state)
{
	static const struct tv dot[] = { { "SNI", "." } };
	static const struct tv ip[] = { { "SNI", "192.0.2.7" } };
	static const struct tv ctl[] = { { "SNI", "a\nb.kaspersky.com" } };
	static const struct tv empty[] = { { "PAD", "--" }, { "SNI", "" } };
	struct msg m;
	struct tls_hello h;

	(void)state;
	chlo(&m, dot, 1, NULL);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_MALFORMED);
	chlo(&m, empty, 2, NULL);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_MALFORMED);
	chlo(&m, ip, 1, NULL);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_OK);
	assert_true(h.sni_is_ip);
	chlo(&m, ctl, 1, NULL);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_OK);
	assert_string_equal(h.sni, "a\\010b.kaspersky.com");
}

static void
test_sni_too_long(void **state)
{
	static char name[TLS_NAME_LEN + 10];
	struct tv t[1] = { { "SNI", name } };
	static struct msg m;
	struct tls_hello h;

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	chlo(&m, t, 1, NULL);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_FULL);
}

/* More entries than Chromium's crypto framer takes: refused at once. */
static void
test_huge_count(void **state)
{
	struct msg m;
	struct tls_hello h;

	(void)state;
	chlo(&m, chrome, 5, NULL);
	m.b[4] = 0xff;
	m.b[5] = 0xff;
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_MALFORMED);
	assert_int_equal(gquic_chlo(m.b, 8, &h, NULL), ERR_MALFORMED);
	m.b[4] = GQUIC_TAGS_MAX + 1;
	m.b[5] = 0;
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_MALFORMED);
}

static void
test_other_message(void **state)
{
	struct msg m;
	struct tls_hello h;

	(void)state;
	chlo(&m, chrome, 5, NULL);
	memcpy(m.b, "REJ\0", 4);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_NOTFOUND);
	memcpy(m.b, "SHLO", 4);
	assert_int_equal(gquic_chlo(m.b, m.n, &h, NULL), ERR_NOTFOUND);
}

/* ---- packets ---------------------------------------------------------- */

static const uint8_t cid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t hash[12];

static void
q043(struct msg *d, uint8_t flags, const char *version)
{
	d->n = 0;
	u8(d, flags);
	put(d, cid, 8);
	put(d, version, 4);
	u8(d, 1);
	if ((flags & 0x30) == 0x10)
		u8(d, 0);			/* 2-byte packet number */
	put(d, hash, sizeof(hash));
}

static void
q046(struct msg *d)
{
	d->n = 0;
	u8(d, 0xc3);
	put(d, "Q046", 4);
	u8(d, 0x50);
	put(d, cid, 8);
	put(d, "\0\0\0\1", 4);
	put(d, hash, sizeof(hash));
}

/* STREAM: 1 byte of ID, a 2-byte offset when off, a 2-byte length. */
static void
stream(struct msg *d, unsigned sid, unsigned off, const struct msg *m,
    size_t from, size_t len)
{
	u8(d, off > 0 ? 0xa4 : 0xa0);
	u8(d, sid);
	if (off > 0) {
		u8(d, off >> 8);
		u8(d, off & 0xff);
	}
	u8(d, (unsigned)(len >> 8));
	u8(d, (unsigned)(len & 0xff));
	put(d, m->b + from, len);
}

static void
test_q043(void **state)
{
	static struct gquic_packet p;
	struct msg m, d;
	struct tls_hello h;
	uint32_t v;

	(void)state;
	chlo(&m, chrome, 5, NULL);
	q043(&d, 0x19, "Q043");
	/* ACK, STOP_WAITING, PING before the STREAM frame; PADDING after. */
	put(&d, "\x40\x01\x00\x00\x01\x00", 6);
	put(&d, "\x06\x00\x01", 3);
	u8(&d, 0x07);
	stream(&d, 1, 0, &m, 0, m.n);
	put(&d, "\0\0\0\0", 4);
	assert_true(gquic_is_client(d.b, d.n, &v));
	assert_int_equal(v, 0x51303433);
	assert_int_equal(gquic_client_packet(d.b, d.n, &p), ERR_OK);
	assert_true(p.readable);
	assert_int_equal(p.n_frags, 1);
	assert_int_equal(p.frags[0].off, 0);
	assert_int_equal(p.frags[0].len, m.n);
	assert_int_equal(gquic_chlo(p.frags[0].data, p.frags[0].len, &h, NULL),
	    ERR_OK);
	assert_string_equal(h.sni, "ksn-file-geo.kaspersky-labs.com");
}

static void
test_q046_split(void **state)
{
	static struct gquic_packet p;
	struct msg m, d;

	(void)state;
	chlo(&m, chrome, 5, NULL);
	q046(&d);
	stream(&d, 1, 0, &m, 0, 40);
	stream(&d, 3, 0, &m, 0, 10);		/* another stream: not listed */
	stream(&d, 1, 40, &m, 40, m.n - 40);
	assert_int_equal(gquic_client_packet(d.b, d.n, &p), ERR_OK);
	assert_int_equal(p.version, 0x51303436);
	assert_int_equal(p.n_frags, 2);
	assert_int_equal(p.frags[1].off, 40);
	assert_int_equal(p.frags[1].len, m.n - 40);
}

static void
test_not_client(void **state)
{
	static struct gquic_packet p;
	struct msg d;
	uint32_t v;

	(void)state;
	/* Diversification nonce: a server's; no version flag; reset. */
	q043(&d, 0x0d, "Q043");
	assert_false(gquic_is_client(d.b, d.n, &v));
	q043(&d, 0x08, "Q043");
	assert_false(gquic_is_client(d.b, d.n, &v));
	q043(&d, 0x0b, "Q043");
	assert_false(gquic_is_client(d.b, d.n, &v));
	/* Not "Q0nn". */
	q043(&d, 0x09, "T043");
	assert_false(gquic_is_client(d.b, d.n, &v));
	q043(&d, 0x09, "Q04x");
	assert_false(gquic_is_client(d.b, d.n, &v));
	assert_int_equal(gquic_client_packet(d.b, d.n, &p), ERR_NOTFOUND);
	/* A server's Q046 long header: no DCID, an 8-byte SCID. */
	q046(&d);
	d.b[5] = 0x05;
	assert_false(gquic_is_client(d.b, d.n, &v));
	/* Short. */
	assert_false(gquic_is_client(d.b, 5, &v));
	assert_false(gquic_is_client(d.b, 0, &v));
}

/* A version whose layout is not read: known, not readable. */
static void
test_other_layout(void **state)
{
	static struct gquic_packet p;
	struct msg d;

	(void)state;
	q043(&d, 0x09, "Q035");
	put(&d, "\x80\x01", 2);
	assert_int_equal(gquic_client_packet(d.b, d.n, &p), ERR_NOTFOUND);
	assert_int_equal(p.version, 0x51303335);
	assert_false(p.readable);
}

/* Encrypted bytes after the hash read as frames that do not parse. */
static void
test_encrypted(void **state)
{
	static struct gquic_packet p;
	struct msg d;
	size_t i;
	unsigned seed;

	(void)state;
	for (seed = 1; seed < 200; seed++) {
		q043(&d, 0x09, "Q043");
		for (i = 0; i < 1300; i++)
			u8(&d, (seed * 2654435761u + i * 40503u) >> 13 & 0xff);
		/* Random bytes may parse as frames, never past the walk's
		 * bounds; what is listed lies inside the datagram. */
		if (gquic_client_packet(d.b, d.n, &p) == ERR_OK)
			for (i = 0; i < p.n_frags; i++)
				assert_true(p.frags[i].data >= d.b &&
				    p.frags[i].data + p.frags[i].len <=
				    d.b + d.n);
	}
	q043(&d, 0x09, "Q043");
	put(&d, "\x21\x00", 2);		/* congestion feedback: not read */
	assert_int_equal(gquic_client_packet(d.b, d.n, &p), ERR_MALFORMED);
	q043(&d, 0x09, "Q043");
	u8(&d, 0x00);			/* only PADDING */
	assert_int_equal(gquic_client_packet(d.b, d.n, &p), ERR_MALFORMED);
	q043(&d, 0x09, "Q043");
	put(&d, "\xa0\x01\x10\x00", 4);	/* length past the packet */
	assert_int_equal(gquic_client_packet(d.b, d.n, &p), ERR_MALFORMED);
	/* Cut inside the hash. */
	q043(&d, 0x09, "Q043");
	assert_int_equal(gquic_client_packet(d.b, d.n - 4, &p),
	    ERR_MALFORMED);
}

static void
test_many_frames(void **state)
{
	static struct gquic_packet p;
	struct msg m, d;
	size_t i;

	(void)state;
	chlo(&m, chrome, 5, NULL);
	q046(&d);
	for (i = 0; i < GQUIC_MAX_FRAGS + 4; i++)
		stream(&d, 1, 0, &m, 0, 8);
	assert_int_equal(gquic_client_packet(d.b, d.n, &p), ERR_OK);
	assert_int_equal(p.n_frags, GQUIC_MAX_FRAGS);
	assert_true(p.frags_dropped);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_offset_huge),
		cmocka_unit_test(test_no_sni),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_sni_too_long),
		cmocka_unit_test(test_huge_count),
		cmocka_unit_test(test_other_message),
		cmocka_unit_test(test_q043),
		cmocka_unit_test(test_q046_split),
		cmocka_unit_test(test_not_client),
		cmocka_unit_test(test_other_layout),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_many_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
