/* test_dns.c - unit tests for dns.c (RFC 1035 4.1, 4.1.4, 5.1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

/* A query for s10.upd.kaspersky.com, type A. */
static const uint8_t q_kasp[] = {
	0xab, 0xcd,			/* id */
	0x01, 0x00,			/* query, RD */
	0x00, 0x01, 0x00, 0x00,		/* qdcount 1, ancount 0 */
	0x00, 0x00, 0x00, 0x00,		/* nscount, arcount */
	3, 's', '1', '0',		/* 12 */
	3, 'u', 'p', 'd',
	9, 'k', 'a', 's', 'p', 'e', 'r', 's', 'k', 'y',
	3, 'c', 'o', 'm',
	0,
	0x00, 0x01, 0x00, 0x01,		/* A, IN; 39 bytes */
};

/*
 * The response to a mixed-case query for DNL-01.Geo.Kaspersky.COM: a CNAME
 * chain to edge.example.net, its A and AAAA, and a TXT that is skipped.
 * Offsets in the comments; every owner and target is compressed.
 */
static const uint8_t r_chain[] = {
	0xab, 0xcd,			/* id */
	0x81, 0x80,			/* response, RD, RA */
	0x00, 0x01, 0x00, 0x05,		/* qdcount 1, ancount 5 */
	0x00, 0x00, 0x00, 0x00,
	6, 'D', 'N', 'L', '-', '0', '1',	/* 12 */
	3, 'G', 'e', 'o',			/* 19 */
	9, 'K', 'a', 's', 'p', 'e', 'r', 's', 'k', 'y',	/* 23 */
	3, 'C', 'O', 'M',			/* 33 */
	0,					/* 37 */
	0x00, 0x01, 0x00, 0x01,			/* 38: A, IN */
	/* 42: ->12 CNAME IN ttl 300 -> cdn.->23 */
	0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c,
	0x00, 0x06,
	3, 'c', 'd', 'n', 0xc0, 0x17,		/* 54 */
	/* 60: ->54 CNAME IN ttl 60 -> edge.example.net */
	0xc0, 0x36, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c,
	0x00, 0x12,
	4, 'e', 'd', 'g', 'e',			/* 72 */
	7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	3, 'n', 'e', 't', 0,
	/* 90: ->72 A IN ttl 20 192.0.2.10 */
	0xc0, 0x48, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x14,
	0x00, 0x04,
	192, 0, 2, 10,
	/* 106: ->72 AAAA IN ttl 20 2001:db8::10 */
	0xc0, 0x48, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x14,
	0x00, 0x10,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	/* 134: ->12 TXT IN ttl 5 "abc" */
	0xc0, 0x0c, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05,
	0x00, 0x04,
	3, 'a', 'b', 'c',			/* 146; 150 bytes */
};
#define R_CHAIN_QEND	42

/*
 * A response whose first label holds every byte that needs care: upper case,
 * '.', '\', space, NUL, 0xff, DEL, and the edges '!' and '~'.
 */
static const uint8_t r_odd[] = {
	0x00, 0x07, 0x81, 0x80,
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	9, 'A', '.', '\\', ' ', 0x00, 0xff, 0x7f, '!', '~',	/* 12 */
	3, 'C', 'o', 'M', 0,					/* 22 */
	0x00, 0x01, 0x00, 0x01,					/* 27 */
	/* 31: ->12 A IN ttl 3600 10.0.0.1 */
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10,
	0x00, 0x04, 10, 0, 0, 1,
};
#define ODD_NAME	"a\\.\\\\\\032\\000\\255\\127!~.com"

/*
 * The question name is "www" plus a pointer back into the header, where
 * nscount 1 and arcount 0x6100 spell the name "a" at offset 9: legal, as a
 * pointer may name any earlier offset.
 */
static const uint8_t q_ptr_hdr[] = {
	0x12, 0x34, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x00,
	0x00, 0x01, 0x61, 0x00,		/* 9: 01 'a' 00 */
	3, 'w', 'w', 'w', 0xc0, 0x09,	/* 12 */
	0x00, 0x1c, 0x00, 0x01,		/* 18: AAAA, IN */
};

/* A pointer into the middle of the name's own first label (to 14). */
static const uint8_t q_ptr_mid[] = {
	0x12, 0x34, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	6, 'x', 3, 'c', 'o', 'm', 0,	/* 12: one label "x\003com\000" */
	0xc0, 0x0e,			/* 19: -> 14: "com" */
	0x00, 0x10, 0x00, 0x01,		/* 21: TXT, IN */
};

/* A pointer to itself. */
static const uint8_t q_ptr_self[] = {
	0x00, 0x01, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xc0, 0x0c,			/* 12: -> 12 */
	0x00, 0x01, 0x00, 0x01,
};

/* A loop through backward pointers: "a" then a pointer to "a" again. */
static const uint8_t q_ptr_loop[] = {
	0x00, 0x01, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	1, 'a', 0xc0, 0x0c,		/* 12: a, 14: -> 12 */
	0x00, 0x01, 0x00, 0x01,
};

/* A forward pointer to a well-formed name. */
static const uint8_t q_ptr_fwd[] = {
	0x00, 0x01, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xc0, 0x12,			/* 12: -> 18 */
	0x00, 0x01, 0x00, 0x01,
	1, 'a', 0,			/* 18 */
};

/* A label length of 64 (type 01) and of 128 (type 10). */
static const uint8_t q_type01[] = {
	0x00, 0x01, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x40, 'a', 0,
	0x00, 0x01, 0x00, 0x01,
};
static const uint8_t q_type10[] = {
	0x00, 0x01, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x80, 'a', 0,
	0x00, 0x01, 0x00, 0x01,
};

/* The root, type NS. */
static const uint8_t q_root[] = {
	0x00, 0x02, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0,
	0x00, 0x02, 0x00, 0x01,
};

/* Header only: response, opcode 2 (STATUS), TC, rcode 3; qdcount 0. */
static const uint8_t h_noq[] = {
	0xbe, 0xef, 0x92, 0x03,
	0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00,
};

/* Header only, but qdcount 1. */
static const uint8_t h_q1[] = {
	0xbe, 0xef, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* ancount 1, then garbage that ldns must refuse. */
static const uint8_t r_junk[] = {
	0x00, 0x09, 0x81, 0x80,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x7f, 0xff, 0xff,
};

/* A copy in a heap block of exactly len bytes, so ASan sees over-reads. */
static uint8_t *
dup_exact(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	if (len > 0)
		memcpy(p, src, len);
	return p;
}

static int
question(const uint8_t *msg, size_t len, bool cut, struct dns_question *q)
{
	uint8_t *buf = dup_exact(msg, len);
	int r;

	r = dns_question(buf, len, cut, q);
	/* Checked without decoding, decoded when asked: decoding's verdict,
	 * decoding's name. */
	if (len >= 12 && q->qdcount > 0) {
		char name[DNS_NAME_LEN];
		size_t n;
		bool ok = dns_name_str(buf, len, 12, name, sizeof(name), &n);

		if (r == ERR_OK)
			assert_true(ok && strcmp(name, q->qname) == 0);
		else if (!ok)
			assert_int_not_equal(r, ERR_OK);
	}
	free(buf);
	return r;
}

static int
answers(const uint8_t *msg, size_t len, struct dns_rr *rrs, size_t max,
    size_t *n)
{
	uint8_t *buf = dup_exact(msg, len);
	int r;

	r = dns_answers(buf, len, rrs, max, n);
	free(buf);
	return r;
}

/* The question of msg must fail: MALFORMED whether cut or not. */
static void
assert_bad_name(const uint8_t *msg, size_t len)
{
	struct dns_question q;

	assert_int_equal(question(msg, len, false, &q), ERR_MALFORMED);
	assert_false(q.has_q);
	assert_int_equal(q.qdcount, 1);
	assert_string_equal(q.qname, "");
	assert_int_equal(question(msg, len, true, &q), ERR_MALFORMED);
}

static void
test_query_kaspersky(void **state)
{
	struct dns_question q;

	(void)state;
	assert_int_equal(question(q_kasp, sizeof(q_kasp), false, &q), ERR_OK);
	assert_int_equal(q.id, 0xabcd);
	assert_false(q.qr);
	assert_false(q.tc);
	assert_int_equal(q.opcode, 0);
	assert_int_equal(q.rcode, 0);
	assert_int_equal(q.qdcount, 1);
	assert_int_equal(q.ancount, 0);
	assert_true(q.has_q);
	assert_int_equal(q.qtype, 1);
	assert_int_equal(q.qclass, 1);
	assert_string_equal(q.qname, "s10.upd.kaspersky.com");
	assert_int_equal(q.qname_len, strlen("s10.upd.kaspersky.com"));
}

static void
test_response_question_folded(void **state)
{
	struct dns_question q;

	(void)state;
	assert_int_equal(question(r_chain, sizeof(r_chain), false, &q),
	    ERR_OK);
	assert_true(q.qr);
	assert_int_equal(q.ancount, 5);
	assert_true(q.has_q);
	assert_string_equal(q.qname, "dnl-01.geo.kaspersky.com");
	assert_int_equal(q.qname_len, 24);
	assert_int_equal(q.qtype, 1);
}

static void
test_answers_chain(void **state)
{
	struct dns_rr rrs[8];
	struct addr want;
	size_t n = 99;

	(void)state;
	assert_int_equal(answers(r_chain, sizeof(r_chain), rrs, 8, &n),
	    ERR_OK);
	assert_int_equal(n, 4);			/* TXT skipped */

	assert_int_equal(rrs[0].type, 5);
	assert_int_equal(rrs[0].ttl, 300);
	assert_string_equal(rrs[0].name, "dnl-01.geo.kaspersky.com");
	assert_string_equal(rrs[0].target, "cdn.kaspersky.com");
	assert_int_equal(rrs[0].addr.family, 0);

	assert_int_equal(rrs[1].type, 5);
	assert_int_equal(rrs[1].ttl, 60);
	assert_string_equal(rrs[1].name, "cdn.kaspersky.com");
	assert_string_equal(rrs[1].target, "edge.example.net");

	assert_int_equal(rrs[2].type, 1);
	assert_int_equal(rrs[2].ttl, 20);
	assert_string_equal(rrs[2].name, "edge.example.net");
	assert_string_equal(rrs[2].target, "");
	assert_true(addr_parse(&want, "192.0.2.10"));
	assert_true(addr_eq(&rrs[2].addr, &want));

	assert_int_equal(rrs[3].type, 28);
	assert_int_equal(rrs[3].ttl, 20);
	assert_string_equal(rrs[3].name, "edge.example.net");
	assert_true(addr_parse(&want, "2001:db8::10"));
	assert_true(addr_eq(&rrs[3].addr, &want));
}

static void
test_answers_max(void **state)
{
	struct dns_rr rrs[2];
	size_t n = 99;

	(void)state;
	assert_int_equal(answers(r_chain, sizeof(r_chain), rrs, 2, &n),
	    ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rrs[1].target, "edge.example.net");
	assert_int_equal(answers(r_chain, sizeof(r_chain), rrs, 0, &n),
	    ERR_OK);
	assert_int_equal(n, 0);
}

static void
test_answers_none_or_junk(void **state)
{
	struct dns_rr rrs[2];
	size_t n = 99;

	(void)state;
	assert_int_equal(answers(q_kasp, sizeof(q_kasp), rrs, 2, &n), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(answers(r_junk, sizeof(r_junk), rrs, 2, &n),
	    ERR_MALFORMED);
	assert_int_equal(answers(h_noq, 11, rrs, 2, &n), ERR_MALFORMED);
}

/* dns_answers and dns_question must write a name the same way. */
static void
test_odd_bytes_escaped(void **state)
{
	struct dns_question q;
	struct dns_rr rrs[2];
	size_t n = 0;

	(void)state;
	assert_int_equal(question(r_odd, sizeof(r_odd), false, &q), ERR_OK);
	assert_string_equal(q.qname, ODD_NAME);
	assert_int_equal(q.qname_len, strlen(ODD_NAME));
	assert_int_equal(answers(r_odd, sizeof(r_odd), rrs, 2, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rrs[0].ttl, 3600);
	assert_string_equal(rrs[0].name, ODD_NAME);
}

static void
test_pointer_legal(void **state)
{
	struct dns_question q;

	(void)state;
	assert_int_equal(question(q_ptr_hdr, sizeof(q_ptr_hdr), false, &q),
	    ERR_OK);
	assert_string_equal(q.qname, "www.a");
	assert_int_equal(q.qtype, 28);		/* read after the pointer */
	assert_int_equal(q.qclass, 1);

	assert_int_equal(question(q_ptr_mid, sizeof(q_ptr_mid), false, &q),
	    ERR_OK);
	assert_string_equal(q.qname, "x\\003com\\000.com");
	assert_int_equal(q.qtype, 16);
}

static void
test_pointer_bad(void **state)
{
	(void)state;
	assert_bad_name(q_ptr_self, sizeof(q_ptr_self));
	assert_bad_name(q_ptr_loop, sizeof(q_ptr_loop));
	assert_bad_name(q_ptr_fwd, sizeof(q_ptr_fwd));
}

/*
 * Root at 12, then pointers at 14, 16, ... each to the one before: the name
 * at the last pointer takes `hops` hops.  128 is allowed, 129 is not.
 */
static void
test_pointer_hops(void **state)
{
	uint8_t msg[12 + 2 + 2 * 129];
	char out[DNS_NAME_LEN];
	size_t i, len, n, to;
	uint8_t *buf;

	(void)state;
	memset(msg, 0, sizeof(msg));
	for (i = 1; i <= 129; i++) {
		to = 12 + 2 * (i - 1);
		msg[12 + 2 * i] = (uint8_t)(0xc0 | to >> 8);
		msg[12 + 2 * i + 1] = (uint8_t)(to & 0xff);
	}
	len = sizeof(msg);
	buf = dup_exact(msg, len);
	assert_true(dns_name_str(buf, len, 12 + 2 * 128, out, sizeof(out),
	    &n));
	assert_string_equal(out, ".");
	assert_false(dns_name_str(buf, len, 12 + 2 * 129, out, sizeof(out),
	    &n));
	free(buf);
}

static void
test_label_types(void **state)
{
	(void)state;
	assert_bad_name(q_type01, sizeof(q_type01));
	assert_bad_name(q_type10, sizeof(q_type10));
}

/*
 * Builds a query whose name has n_labels labels of lab_len bytes, the last
 * one last_len bytes, each byte b; returns its length.
 */
static size_t
build_long(uint8_t *msg, size_t n_labels, size_t last_len, uint8_t b)
{
	static const uint8_t hdr[12] = { 0, 1, 1, 0, 0, 1 };
	size_t i, off = 12, l;

	memcpy(msg, hdr, sizeof(hdr));
	for (i = 0; i < n_labels; i++) {
		l = i + 1 == n_labels ? last_len : 63;
		msg[off++] = (uint8_t)l;
		memset(msg + off, b, l);
		off += l;
	}
	msg[off++] = 0;
	msg[off++] = 0;
	msg[off++] = 1;			/* A */
	msg[off++] = 0;
	msg[off++] = 1;			/* IN */
	return off;
}

static void
test_name_length(void **state)
{
	uint8_t msg[12 + 4 * 64 + 1 + 4];
	struct dns_question q;
	size_t len;

	(void)state;
	/* 3 * 64 + 62 + 1 = 255 wire bytes: the longest name. */
	len = build_long(msg, 4, 61, 'a');
	assert_int_equal(question(msg, len, false, &q), ERR_OK);
	assert_int_equal(q.qname_len, 3 * 64 + 61);
	assert_int_equal(q.qname[63], '.');

	/* The longest name, every byte \DDD: the worst case output. */
	len = build_long(msg, 4, 61, 0xff);
	assert_int_equal(question(msg, len, false, &q), ERR_OK);
	assert_int_equal(q.qname_len, 4 * 250 + 3);
	assert_memory_equal(q.qname, "\\255\\255", 8);

	/* 4 * 64 + 1 = 257 bytes. */
	len = build_long(msg, 4, 63, 'a');
	assert_bad_name(msg, len);
	/* 256 bytes: one over. */
	len = build_long(msg, 4, 62, 'a');
	assert_bad_name(msg, len);
}

static void
test_root(void **state)
{
	struct dns_question q;

	(void)state;
	assert_int_equal(question(q_root, sizeof(q_root), false, &q), ERR_OK);
	assert_true(q.has_q);
	assert_string_equal(q.qname, ".");
	assert_int_equal(q.qname_len, 1);
	assert_int_equal(q.qtype, 2);
}

static void
test_header_only(void **state)
{
	struct dns_question q;

	(void)state;
	assert_int_equal(question(h_noq, sizeof(h_noq), false, &q), ERR_OK);
	assert_false(q.has_q);
	assert_int_equal(q.id, 0xbeef);
	assert_true(q.qr);
	assert_int_equal(q.opcode, 2);
	assert_true(q.tc);
	assert_int_equal(q.rcode, 3);
	assert_int_equal(q.qdcount, 0);
	assert_int_equal(q.ancount, 7);

	/* qdcount 1 but no question: header fields still filled. */
	assert_int_equal(question(h_q1, sizeof(h_q1), false, &q),
	    ERR_MALFORMED);
	assert_int_equal(q.id, 0xbeef);
	assert_int_equal(q.qdcount, 1);
	assert_false(q.has_q);
	assert_int_equal(question(h_q1, sizeof(h_q1), true, &q), ERR_SHORT);

	/* Shorter than a header. */
	assert_int_equal(question(h_noq, 11, false, &q), ERR_MALFORMED);
	assert_int_equal(question(h_noq, 11, true, &q), ERR_SHORT);
	assert_int_equal(question(NULL, 0, false, &q), ERR_MALFORMED);
}

static void
test_name_str(void **state)
{
	char out[DNS_NAME_LEN];
	size_t n = 0;

	(void)state;
	assert_true(dns_name_str(r_chain, sizeof(r_chain), 54, out,
	    sizeof(out), &n));
	assert_string_equal(out, "cdn.kaspersky.com");
	assert_int_equal(n, 17);
	assert_true(dns_name_str(r_chain, sizeof(r_chain), 106, out,
	    sizeof(out), &n));
	assert_string_equal(out, "edge.example.net");
	/* Exactly enough room, then one byte less. */
	assert_true(dns_name_str(r_chain, sizeof(r_chain), 72, out, 17, &n));
	assert_string_equal(out, "edge.example.net");
	assert_false(dns_name_str(r_chain, sizeof(r_chain), 72, out, 16, &n));
	assert_true(dns_name_str(r_odd, sizeof(r_odd), 12, out,
	    sizeof(ODD_NAME), &n));
	assert_string_equal(out, ODD_NAME);
	assert_false(dns_name_str(r_odd, sizeof(r_odd), 12, out,
	    sizeof(ODD_NAME) - 1, &n));
	assert_true(dns_name_str(q_root, sizeof(q_root), 12, out, 2, &n));
	assert_string_equal(out, ".");
	assert_false(dns_name_str(q_root, sizeof(q_root), 12, out, 1, &n));
	/* Past the end, and a name that runs off it. */
	assert_false(dns_name_str(r_chain, sizeof(r_chain), 151, out,
	    sizeof(out), &n));
	assert_false(dns_name_str(r_chain, 80, 72, out, sizeof(out), &n));
}

/*
 * Every prefix of a good message: SHORT when cut, MALFORMED when not, until
 * the question is complete; then the same question as the whole message.
 */
static void
prefixes(const uint8_t *msg, size_t len, size_t qend, const char *name)
{
	struct dns_question q;
	struct dns_rr *rrs;
	size_t i, n;
	int r;

	assert_non_null(rrs = calloc(DNS_MAX_RRS, sizeof(*rrs)));
	for (i = 0; i <= len; i++) {
		if (i < qend) {
			assert_int_equal(question(msg, i, true, &q),
			    ERR_SHORT);
			assert_int_equal(question(msg, i, false, &q),
			    ERR_MALFORMED);
			assert_false(q.has_q);
		} else {
			assert_int_equal(question(msg, i, true, &q), ERR_OK);
			assert_string_equal(q.qname, name);
		}
		r = answers(msg, i, rrs, DNS_MAX_RRS, &n);
		if (i < 12)
			assert_int_equal(r, ERR_MALFORMED);
	}
	free(rrs);
}

static void
test_prefix_query(void **state)
{
	struct dns_rr rrs[1];
	size_t n;

	(void)state;
	prefixes(q_kasp, sizeof(q_kasp), sizeof(q_kasp),
	    "s10.upd.kaspersky.com");
	assert_int_equal(answers(q_kasp, 12, rrs, 1, &n), ERR_OK);
	assert_int_equal(n, 0);			/* ancount 0: no ldns */
}

static void
test_prefix_response(void **state)
{
	struct dns_rr *rrs;
	size_t i, n;

	(void)state;
	prefixes(r_chain, sizeof(r_chain), R_CHAIN_QEND,
	    "dnl-01.geo.kaspersky.com");
	/* ldns must refuse every cut answer section. */
	assert_non_null(rrs = calloc(DNS_MAX_RRS, sizeof(*rrs)));
	for (i = 0; i < sizeof(r_chain); i++)
		assert_int_equal(answers(r_chain, i, rrs, DNS_MAX_RRS, &n),
		    ERR_MALFORMED);
	free(rrs);
}

/*
 * Malformed responses must not leak what ldns allocated before it gave up
 * (the dnscap failure): 100000 random mutations of r_chain (1-4 bytes
 * changed, sometimes cut short) through dns_answers(), with the bytes the
 * heap holds (mallinfo2) the same afterwards as after a warm-up.  Under
 * ASan mallinfo2 says nothing; LeakSanitizer checks at exit instead.
 */
static void
test_answers_mutated_no_leak(void **state)
{
	static uint8_t msg[sizeof(r_chain)];
	static struct dns_rr rrs[DNS_MAX_RRS];
	struct mallinfo2 before, after;
	uint64_t x = 0x9e3779b97f4a7c15u;	/* xorshift64: fixed sequence */
	unsigned long i, n_ok = 0, n_bad = 0;
	size_t n, len, k, changes;
	int r;

	(void)state;
	for (i = 0; i < 101000; i++) {
		if (i == 1000)
			before = mallinfo2();
		memcpy(msg, r_chain, sizeof(msg));
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		changes = 1 + x % 4;
		for (k = 0; k < changes; k++)
			/* Only past the question: the answers are ldns's. */
			msg[R_CHAIN_QEND + (x >> (8 + 8 * k)) %
			    (sizeof(msg) - R_CHAIN_QEND)] = (uint8_t)(x >>
			    (40 + 4 * k));
		len = x >> 60 == 0 ? R_CHAIN_QEND + (x >> 20) %
		    (sizeof(msg) - R_CHAIN_QEND) : sizeof(msg);
		r = dns_answers(msg, len, rrs, DNS_MAX_RRS, &n);
		if (r == ERR_OK)
			n_ok++;
		else
			n_bad++;
	}
	after = mallinfo2();
	/* Both outcomes were reached many times. */
	assert_true(n_ok > 1000);
	assert_true(n_bad > 1000);
	assert_true(after.uordblks <= before.uordblks + 16384);
	assert_true(after.hblkhd <= before.hblkhd);
}

/* The CNAME targets of a response, by cursor only (no ldns). */
static void
test_cnames(void **state)
{
	char names[4][DNS_NAME_LEN];
	uint8_t *buf;
	bool has_addr;
	size_t n, len;

	(void)state;
	assert_int_equal(dns_cnames(r_chain, sizeof(r_chain), names, 4, &n,
	    &has_addr), ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "cdn.kaspersky.com");
	assert_string_equal(names[1], "edge.example.net");
	assert_true(has_addr);
	/* The cap on names is kept. */
	assert_int_equal(dns_cnames(r_chain, sizeof(r_chain), names, 1, &n,
	    &has_addr), ERR_OK);
	assert_int_equal(n, 1);
	/* A query has no answers. */
	assert_int_equal(dns_cnames(q_kasp, sizeof(q_kasp), names, 4, &n,
	    &has_addr), ERR_OK);
	assert_int_equal(n, 0);
	assert_false(has_addr);
	/* Every strict prefix runs off the message: never ERR_OK. */
	for (len = 0; len < sizeof(r_chain); len++) {
		assert_non_null(buf = malloc(len ? len : 1));
		memcpy(buf, r_chain, len);
		assert_int_equal(dns_cnames(buf, len, names, 4, &n,
		    &has_addr), ERR_MALFORMED);
		free(buf);
	}
}

/*
 * CNAME targets as references: their last two labels through pointers,
 * and equality without decoding (letters folded; label boundaries count).
 */
static void
test_cname_refs(void **state)
{
	/* Question a.Example.COM; CNAMEs to A.example.com (a pointer),
	 * a.example.com written out, and a\.example.com (one label "a.b"
	 * would differ from two). */
	static const uint8_t m[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 3, 0, 0, 0, 0,
		1, 'a', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'C', 'O',
		'M', 0, 0, 1, 0, 1,			/* 12 .. 30 */
		/* ->12 CNAME -> A + ->14 */
		0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4,
		1, 'A', 0xc0, 0x0e,
		/* ->12 CNAME -> a.example.com in full */
		0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 60, 0, 15,
		1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o',
		'm', 0,
		/* ->12 CNAME -> "a.example".com: two labels */
		0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 60, 0, 15,
		9, 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o',
		'm', 0,
	};
	struct dns_name_ref r[4];
	struct dns_question q;
	struct cur qn = cur_init(m, sizeof(m));
	char txt[DNS_NAME_LEN];
	size_t n, sl;
	bool addr;

	(void)state;
	assert_int_equal(dns_cname_refs(m, sizeof(m), 0, r, 4, &n, &addr),
	    ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].wire_len, 15);
	assert_int_equal(r[1].wire_len, 15);
	assert_int_equal(r[2].wire_len, 15);
	assert_false(addr);
	assert_int_equal(r[0].n_labels, 2);
	assert_int_equal(r[0].lab_len[0], 7);
	assert_memory_equal(r[0].lab[0], "Example", 7);
	assert_memory_equal(r[0].lab[1], "COM", 3);
	dns_ref_str(m, sizeof(m), &r[0], txt, &sl);
	assert_string_equal(txt, "a.example.com");
	assert_int_equal(sl, 13);
	dns_ref_str(m, sizeof(m), &r[2], txt, &sl);
	assert_string_equal(txt, "a\\.example.com");
	cur_skip(&qn, 12);
	assert_true(dns_name_eq(m, sizeof(m), qn, r[0].at));
	assert_true(dns_name_eq(m, sizeof(m), qn, r[1].at));
	assert_true(dns_name_eq(m, sizeof(m), r[0].at, r[1].at));
	assert_false(dns_name_eq(m, sizeof(m), qn, r[2].at));
	assert_false(dns_name_eq(m, sizeof(m), r[1].at, r[2].at));
	/* The cap. */
	assert_int_equal(dns_cname_refs(m, sizeof(m), 0, r, 1, &n, &addr),
	    ERR_OK);
	assert_int_equal(n, 1);
	/* Starting past the question the caller read: the same. */
	assert_int_equal(dns_question_lazy(m, sizeof(m), false, &q), ERR_OK);
	assert_true(q.has_q);
	assert_int_equal(q.wire_len, 15);
	assert_int_equal(q.end, 12 + 15 + 4);
	assert_int_equal(dns_cname_refs(m, sizeof(m), q.end, r, 4, &n,
	    &addr), ERR_OK);
	assert_int_equal(n, 3);
	dns_ref_str(m, sizeof(m), &r[2], txt, &sl);
	assert_string_equal(txt, "a\\.example.com");
}

/*
 * TCP framing (RFC 7766 8): every prefix of two length-prefixed messages,
 * each in a heap block of its exact size, gives the first message once it
 * is whole, and before that asks for exactly the bytes it lacks.
 */
static void
test_tcp_msg(void **state)
{
	uint8_t st[2 + sizeof(q_kasp) + 2], *p;
	size_t used, need, whole = 2 + sizeof(q_kasp);
	struct cur msg;

	(void)state;
	st[0] = 0;
	st[1] = sizeof(q_kasp);
	memcpy(st + 2, q_kasp, sizeof(q_kasp));
	st[whole] = 0xff;			/* the next one's length */
	st[whole + 1] = 0xff;
	for (size_t l = 0; l <= sizeof(st); l++) {
		assert_non_null(p = malloc(l > 0 ? l : 1));
		memcpy(p, st, l);
		used = need = 0;
		if (l < whole) {
			assert_int_equal(dns_tcp_msg(p, l, &msg, &used, &need),
			    ERR_SHORT);
			assert_int_equal(l + need, l < 2 ? 2 : whole);
			assert_int_equal(used, 0);
		} else {
			assert_int_equal(dns_tcp_msg(p, l, &msg, &used, &need),
			    ERR_OK);
			assert_int_equal(used, whole);
			assert_int_equal(cur_left(&msg), sizeof(q_kasp));
			assert_memory_equal(msg.p, q_kasp, sizeof(q_kasp));
			assert_int_equal(need, 0);
		}
		free(p);
	}
	assert_int_equal(dns_tcp_msg(st + whole, 2, &msg, &used, &need),
	    ERR_SHORT);
	assert_int_equal(need, 0xffff);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_kaspersky),
		cmocka_unit_test(test_response_question_folded),
		cmocka_unit_test(test_answers_chain),
		cmocka_unit_test(test_answers_max),
		cmocka_unit_test(test_answers_none_or_junk),
		cmocka_unit_test(test_odd_bytes_escaped),
		cmocka_unit_test(test_pointer_legal),
		cmocka_unit_test(test_pointer_bad),
		cmocka_unit_test(test_pointer_hops),
		cmocka_unit_test(test_label_types),
		cmocka_unit_test(test_name_length),
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_name_str),
		cmocka_unit_test(test_prefix_query),
		cmocka_unit_test(test_prefix_response),
		cmocka_unit_test(test_answers_mutated_no_leak),
		cmocka_unit_test(test_cnames),
		cmocka_unit_test(test_cname_refs),
		cmocka_unit_test(test_tcp_msg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
