/* test_audit.c - the audit state machine: packets in, observations out. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

/*
 * The signatures every test runs against: Kaspersky names, one web name
 * (RFC 9001's example.com), one address range and an encrypted-DNS service.
 */
static const char sigs[] =
    "kaspersky.com		update confidence=A\n"
    "kaspersky-labs.com	telemetry confidence=A\n"
    "=example.com		web confidence=C\n"
    "=cloudflare-ech.com	other confidence=C\n"
    "192.0.2.0/24		update confidence=B\n"
    "=dns.google		encrypted-dns confidence=A\n";

#define CLIENT	"10.0.0.5"
#define SERVER	"198.51.100.7"
#define RESOLV	"10.0.0.53"

/* ---- what the audit delivered ----------------------------------------- */

#define MAX_RECS	32

struct rec {
	bool		 blind;
	enum obs_blind	 why;		/* when blind */
	enum obs_kind	 kind;
	char		 name[256];
	unsigned	 flags;
	uint64_t	 frame;
	int64_t		 ts_sec;
	char		 client[ADDR_STRLEN];
	uint16_t	 client_port;
	uint64_t	 answer_frame;	/* dns-correlated: the answer's */
};

static struct rec recs[MAX_RECS];
static size_t n_recs;

static struct rec *
rec_new(const struct obs *o)
{
	struct rec *r;

	assert_true(n_recs < MAX_RECS);
	r = &recs[n_recs++];
	memset(r, 0, sizeof(*r));
	r->kind = o->kind;
	r->flags = o->flags;
	r->frame = o->frame;
	r->ts_sec = o->ts_sec;
	addr_fmt(&o->client, r->client);
	r->client_port = o->client_port;
	if (o->name != NULL) {
		assert_true(o->name_len < sizeof(r->name));
		memcpy(r->name, o->name, o->name_len);
	}
	if (o->answer != NULL)
		r->answer_frame = o->answer->frame;
	return r;
}

static void
on_match(void *arg, const struct obs *o, const struct match_sig *sig)
{
	(void)arg;
	assert_non_null(sig);
	rec_new(o);
}

static void
on_blind(void *arg, const struct obs *o, enum obs_blind b)
{
	struct rec *r;

	(void)arg;
	r = rec_new(o);
	r->blind = true;
	r->why = b;
}

static void
assert_rec(size_t i, enum obs_kind kind, const char *name, uint64_t frame)
{
	assert_true(i < n_recs);
	assert_false(recs[i].blind);
	assert_int_equal(recs[i].kind, kind);
	assert_string_equal(recs[i].name, name);
	assert_int_equal(recs[i].frame, frame);
}

static void
assert_blind(size_t i, enum obs_blind why, uint64_t frame)
{
	assert_true(i < n_recs);
	assert_true(recs[i].blind);
	assert_int_equal(recs[i].why, why);
	assert_int_equal(recs[i].frame, frame);
}

/* ---- the audit under test --------------------------------------------- */

static struct match *M;
static struct audit *A;
static uint64_t frame_no;

static struct audit *
audit_sized(size_t max_flows, size_t stream_bytes)
{
	struct audit_config cfg;
	struct audit *a;

	memset(&cfg, 0, sizeof(cfg));
	cfg.match = M;
	cfg.flow.max_flows = max_flows;
	cfg.flow.n_buffers = 8;
	cfg.flow.stream_bytes = stream_bytes;
	cfg.flow.tcp_idle = 300;
	cfg.flow.udp_idle = 60;
	cfg.blind = on_blind;
	cfg.dns_ports[0] = 5353;
	cfg.n_dns_ports = 1;
	assert_non_null(a = audit_new(&cfg, on_match, NULL));
	return a;
}

static int
setup(void **state)
{
	char errbuf[ERRBUF_LEN];

	(void)state;
	if ((M = match_new()) == NULL ||
	    match_load_buf(M, sigs, strlen(sigs), "test", errbuf) != ERR_OK)
		return -1;
	A = audit_sized(64, 4096);
	n_recs = 0;
	frame_no = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	audit_free(A);
	match_free(M);
	return 0;
}

/* ---- packets ---------------------------------------------------------- */

#define TH_SYN	0x02
#define TH_PSH	0x08
#define TH_ACK	0x10

/*
 * Hands one packet to the audit as decode_pkt() would have made it, frame
 * numbers counting up from 1 and a second of packet time apart.
 */
static void
send_pkt(const char *src, uint16_t sport, const char *dst, uint16_t dport,
    uint8_t proto, uint8_t flags, uint32_t seq, const void *data,
    size_t len)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	assert_true(addr_parse(&p.src, src));
	assert_true(addr_parse(&p.dst, dst));
	p.proto = proto;
	p.sport = sport;
	p.dport = dport;
	p.tcp_flags = flags;
	p.seq = seq;
	p.payload = data;
	p.payload_len = len;
	p.frame = ++frame_no;
	p.ts_sec = 1700000000 + (int64_t)frame_no;
	p.ts_nsec = 500;
	audit_packet(A, &p);
}

static void
udp(const char *src, uint16_t sport, const char *dst, uint16_t dport,
    const void *data, size_t len)
{
	send_pkt(src, sport, dst, dport, 17, 0, 0, data, len);
}

/* A client's SYN: its stream's bytes start at isn + 1. */
static void
syn(uint16_t cport, uint16_t sport, uint32_t isn)
{
	send_pkt(CLIENT, cport, SERVER, sport, 6, TH_SYN, isn, NULL, 0);
}

/* Bytes [off, off + len) of the client's stream after a SYN with isn. */
static void
seg(uint16_t cport, uint16_t sport, uint32_t isn, const uint8_t *stream,
    size_t off, size_t len)
{
	send_pkt(CLIENT, cport, SERVER, sport, 6, TH_ACK | TH_PSH,
	    isn + 1 + (uint32_t)off, stream + off, len);
}

/* ---- message builders ------------------------------------------------- */

struct bld {
	uint8_t	 b[4096];
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
	put8(b, v >> 8);
	put8(b, v & 0xff);
}

static void
put32(struct bld *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

static void
put(struct bld *b, const void *p, size_t n)
{
	assert_true(n <= sizeof(b->b) - b->n);
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void
set16(struct bld *b, size_t off, size_t v)
{
	b->b[off] = (uint8_t)(v >> 8);
	b->b[off + 1] = (uint8_t)v;
}

/* A name as labels (RFC 1035 3.1), no compression. */
static void
put_name(struct bld *b, const char *name)
{
	const char *dot;
	size_t n;

	while (*name != '\0') {
		dot = strchr(name, '.');
		n = dot != NULL ? (size_t)(dot - name) : strlen(name);
		put8(b, (unsigned)n);
		put(b, name, n);
		name += n + (dot != NULL);
	}
	put8(b, 0);
}

/*
 * A DNS message (RFC 1035 4.1) asking for the A record of name; a response
 * when addr is given, answering through a CNAME to cname when that is too
 * (the A record's owner then points at the CNAME's target).
 */
static void
dns_build(struct bld *b, uint16_t id, const char *name, const char *cname,
    const char *addr)
{
	struct addr a;
	size_t target = 0;

	memset(&a, 0, sizeof(a));

	put16(b, id);
	put16(b, addr != NULL ? 0x8180 : 0x0100);	/* QR RD RA / RD */
	put16(b, 1);				/* qdcount */
	put16(b, addr == NULL ? 0 : cname != NULL ? 2 : 1);
	put16(b, 0);
	put16(b, 0);
	put_name(b, name);
	put16(b, 1);				/* A */
	put16(b, 1);				/* IN */
	if (addr == NULL)
		return;
	assert_true(addr_parse(&a, addr));
	if (cname != NULL) {
		put16(b, 0xc00c);
		put16(b, 5);			/* CNAME */
		put16(b, 1);
		put32(b, 300);
		put16(b, (unsigned)strlen(cname) + 2);
		target = b->n;
		put_name(b, cname);
	}
	put16(b, 0xc000 | (unsigned)(cname != NULL ? target : 12));
	put16(b, 1);
	put16(b, 1);
	put32(b, 300);
	put16(b, 4);
	put(b, a.a, 4);
}

/*
 * A TLS 1.3 ClientHello (RFC 8446 4.1.2) in one handshake record, naming
 * sni when given (RFC 6066 3), with an encrypted_client_hello extension
 * when ech.
 */
static void
hello_build(struct bld *b, const char *sni, bool ech)
{
	size_t rec, hs, ext, n, i;

	put8(b, 0x16);
	put16(b, 0x0301);
	rec = b->n;
	put16(b, 0);
	put8(b, 1);				/* client_hello */
	hs = b->n;
	put8(b, 0);
	put16(b, 0);
	put16(b, 0x0303);
	for (i = 0; i < 32; i++)
		put8(b, (unsigned)i);		/* random */
	put8(b, 0);				/* legacy_session_id */
	put16(b, 2);
	put16(b, 0x1301);			/* TLS_AES_128_GCM_SHA256 */
	put8(b, 1);
	put8(b, 0);				/* compression: null */
	ext = b->n;
	put16(b, 0);
	if (sni != NULL) {
		n = strlen(sni);
		put16(b, 0);			/* server_name */
		put16(b, (unsigned)n + 5);
		put16(b, (unsigned)n + 3);
		put8(b, 0);			/* host_name */
		put16(b, (unsigned)n);
		put(b, sni, n);
	}
	if (ech) {
		put16(b, 0xfe0d);
		put16(b, 4);
		put32(b, 0x00000100);		/* outer, config 1: made up */
	}
	set16(b, ext, b->n - ext - 2);
	b->b[hs] = 0;
	set16(b, hs + 1, b->n - hs - 3);
	set16(b, rec, b->n - rec - 2);
}

/* ---- DNS -------------------------------------------------------------- */

static void
test_dns_udp(void **state)
{
	struct bld q = { .n = 0 }, r = { .n = 0 }, other = { .n = 0 };

	(void)state;
	dns_build(&q, 7, "dl1.kaspersky.com", NULL, NULL);
	dns_build(&r, 7, "dl1.kaspersky.com", NULL, SERVER);
	dns_build(&other, 8, "www.example.org", NULL, NULL);
	udp(CLIENT, 40000, RESOLV, 53, q.b, q.n);
	udp(RESOLV, 53, CLIENT, 40000, r.b, r.n);
	udp(CLIENT, 40001, RESOLV, 53, other.b, other.n);
	udp(CLIENT, 40002, RESOLV, 5353, q.b, q.n);	/* --dns-port */
	assert_int_equal(n_recs, 3);
	assert_rec(0, OBS_DNS_QUERY, "dl1.kaspersky.com", 1);
	assert_string_equal(recs[0].client, CLIENT);
	assert_int_equal(recs[0].client_port, 40000);
	assert_int_equal(recs[0].ts_sec, 1700000001);
	/* A response alone still names the host that asked. */
	assert_rec(1, OBS_DNS_ANSWER, "dl1.kaspersky.com", 2);
	assert_string_equal(recs[1].client, CLIENT);
	assert_int_equal(recs[1].client_port, 40000);
	assert_rec(2, OBS_DNS_QUERY, "dl1.kaspersky.com", 4);
	assert_int_equal(audit_stats(A)->dns_queries, 3);
	assert_int_equal(audit_stats(A)->dns_responses, 1);
}

/*
 * The screen (audit_screen.c) takes only messages the audit would only
 * have counted, and its verdict counts them the same: A audits every
 * message; B takes what the screen turns away through audit_screened(),
 * the rest through audit_packet().  Names that match, pass the gate or
 * fail it, CNAME chains into and out of signatures' zones, queries and
 * responses, the --dns-port that mDNS shares with the name table, every
 * cut of each message and random bytes changed in them.
 */
static void
test_screen_agrees(void **state)
{
	static const struct {
		const char *name, *cname, *addr;
	} m[] = {
		{ "www.example.org", NULL, NULL },
		{ "www.example.org", NULL, SERVER },
		{ "a.b.c.example.net", "edge.cdn.test", SERVER },
		{ "a.b.c.example.net", "dl1.kaspersky.com", SERVER },
		{ "dl1.kaspersky.com", NULL, NULL },
		{ "dl1.kaspersky.com", "x.akamai.net", SERVER },
		{ "cdn.example.com", NULL, NULL },
		{ "example.com", NULL, SERVER },
		{ "foo.com", "bar.com", SERVER },
		{ "foo.com", "foo.com", SERVER },
		{ "localhost", NULL, NULL },
		{ "a.com", "ksn.kaspersky-labs.com", SERVER },
	};
	static const uint16_t ports[] = { 53, 5353, 853, 40000 };
	struct audit *b = audit_sized(64, 4096);
	struct audit_screen *sc;
	struct bld msg;
	uint8_t data[4096];
	struct pkt p;
	uint64_t rnd = 0x2545f4914f6cdd1dULL;
	size_t i, cap, got, screened = 0, n_total = 0, matched = 0;
	unsigned iter, k;
	uint32_t v;

	(void)state;
	assert_non_null(sc = audit_screen_new(b));
	for (iter = 0; iter < 6000; iter++) {
		i = iter % (sizeof(m) / sizeof(m[0]));
		msg.n = 0;
		dns_build(&msg, (uint16_t)iter, m[i].name, m[i].cname,
		    m[i].addr);
		memcpy(data, msg.b, msg.n);
		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		cap = msg.n;
		if (iter >= 1000) {
			for (k = 0; k < 1 + rnd % 3; k++)
				data[(rnd >> (8 + 8 * k)) % msg.n] =
				    (uint8_t)(rnd >> (32 + 8 * k));
			if (rnd >> 62 == 0)
				cap = (size_t)(rnd >> 40) % (msg.n + 1);
		} else if (iter >= 500)
			cap = iter % (msg.n + 1);
		memset(&p, 0, sizeof(p));
		assert_true(addr_parse(&p.src, CLIENT));
		assert_true(addr_parse(&p.dst, RESOLV));
		p.proto = 17;
		p.dport = ports[(iter / 7) % 4];
		p.sport = p.dport == 5353 ? 5353 : 40000;	/* mDNS */
		p.payload = data;
		p.payload_len = cap;
		p.cut = cap < msg.n && (iter & 1) != 0;
		p.frame = ++frame_no;
		p.ts_sec = 1700000000 + (int64_t)frame_no;
		n_recs = 0;
		audit_packet(A, &p);
		got = n_recs;
		matched += got;
		v = audit_screen(sc, &p);
		if (v != 0) {
			/* Nothing the audit did but count. */
			assert_int_equal(got, 0);
			audit_screened(b, v);
			screened++;
		} else
			audit_packet(b, &p);
		n_recs = 0;
		n_total++;
		assert_memory_equal(audit_stats(A), audit_stats(b),
		    sizeof(struct audit_stats));
	}
	/* A quarter went to port 53 (5353 is mDNS's too, 853 and 40000 no
	 * DNS port): most of those were screened, none that matched. */
	assert_true(screened > n_total / 8);
	assert_true(matched > 100);
	audit_screen_free(sc);
	audit_free(b);
}

/* Two length-prefixed messages (RFC 7766 8), cut anywhere, even inside a
 * length. */
static void
test_dns_tcp_split(void **state)
{
	struct bld s = { .n = 0 };
	size_t len1;

	(void)state;
	put16(&s, 0);
	dns_build(&s, 1, "a.kaspersky.com", NULL, NULL);
	set16(&s, 0, s.n - 2);
	len1 = s.n;
	put16(&s, 0);
	dns_build(&s, 2, "ksn.kaspersky-labs.com", NULL, NULL);
	set16(&s, len1, s.n - len1 - 2);

	syn(40000, 53, 1000);
	seg(40000, 53, 1000, s.b, 0, 1);		/* half a length */
	seg(40000, 53, 1000, s.b, 1, 10);
	assert_int_equal(n_recs, 0);
	seg(40000, 53, 1000, s.b, 11, len1 + 1 - 11);	/* msg 1, 1 byte */
	assert_int_equal(n_recs, 1);
	seg(40000, 53, 1000, s.b, len1 + 1, s.n - len1 - 1);
	assert_int_equal(n_recs, 2);
	assert_rec(0, OBS_DNS_QUERY, "a.kaspersky.com", 4);
	assert_rec(1, OBS_DNS_QUERY, "ksn.kaspersky-labs.com", 5);
	assert_int_equal(audit_stats(A)->dns_tcp_msgs, 2);
}

/*
 * Issue 21 item 5: the last message after a hole, followed only by a FIN,
 * is read at the FIN (one segment behind the hole was not enough before).
 */
static void
test_dns_tcp_hole_fin(void **state)
{
	struct bld s = { .n = 0 };
	size_t len1, len2;

	(void)state;
	put16(&s, 0);
	dns_build(&s, 1, "a.kaspersky.com", NULL, NULL);
	set16(&s, 0, s.n - 2);
	len1 = s.n;
	put16(&s, 0);
	dns_build(&s, 2, "lost.example.org", NULL, NULL);
	set16(&s, len1, s.n - len1 - 2);
	len2 = s.n;
	put16(&s, 0);
	dns_build(&s, 3, "ksn.kaspersky-labs.com", NULL, NULL);
	set16(&s, len2, s.n - len2 - 2);

	syn(40000, 53, 1000);
	seg(40000, 53, 1000, s.b, 0, len1);
	seg(40000, 53, 1000, s.b, len2, s.n - len2);	/* after a hole */
	assert_int_equal(n_recs, 1);
	send_pkt(CLIENT, 40000, SERVER, 53, 6, 0x11, 1000 + 1 +
	    (uint32_t)s.n, NULL, 0);			/* FIN ACK */
	assert_int_equal(n_recs, 2);
	assert_rec(1, OBS_DNS_QUERY, "ksn.kaspersky-labs.com", 4);
	assert_int_equal(audit_stats(A)->dns_tcp_msgs, 2);
	/* A lone FIN of a flow never seen reads nothing, opens nothing. */
	send_pkt(CLIENT, 40009, SERVER, 53, 6, 0x11, 77, NULL, 0);
	assert_int_equal(n_recs, 2);
}

/*
 * Issue 22 item 12: a DNS message larger than --stream-bytes (4096 here)
 * still names its question, read once the window is full; the message
 * after it is read too.
 */
static void
test_dns_tcp_bigger_than_window(void **state)
{
	static uint8_t s[8000];
	struct bld q = { .n = 0 }, q2 = { .n = 0 };
	size_t big = 6000, off;

	(void)state;
	dns_build(&q, 1, "big.kaspersky.com", NULL, NULL);
	memset(s, 0, sizeof(s));
	s[0] = (uint8_t)(big >> 8);
	s[1] = (uint8_t)big;
	memcpy(s + 2, q.b, q.n);		/* then zeros: additional junk */
	off = 2 + big;
	put16(&q2, 0);
	dns_build(&q2, 2, "ksn.kaspersky-labs.com", NULL, NULL);
	set16(&q2, 0, q2.n - 2);
	memcpy(s + off, q2.b, q2.n);
	off += q2.n;

	syn(40000, 53, 1000);
	seg(40000, 53, 1000, s, 0, 1400);
	seg(40000, 53, 1000, s, 1400, 1400);
	assert_int_equal(n_recs, 0);
	seg(40000, 53, 1000, s, 2800, 1400);	/* the window fills */
	assert_int_equal(n_recs, 1);
	assert_rec(0, OBS_DNS_QUERY, "big.kaspersky.com", 4);
	seg(40000, 53, 1000, s, 4200, 1400);
	seg(40000, 53, 1000, s, 5600, off - 5600);
	assert_int_equal(n_recs, 2);
	assert_rec(1, OBS_DNS_QUERY, "ksn.kaspersky-labs.com", 6);
	assert_int_equal(audit_stats(A)->streams_unfinished, 0);
}

/* ---- TLS -------------------------------------------------------------- */

static void
test_tls_split(void **state)
{
	struct bld h = { .n = 0 };

	(void)state;
	hello_build(&h, "ds.kaspersky.com", false);
	syn(40000, 443, 5000);
	seg(40000, 443, 5000, h.b, 0, 3);	/* inside the record header */
	seg(40000, 443, 5000, h.b, 3, 40);
	assert_int_equal(n_recs, 0);
	seg(40000, 443, 5000, h.b, 43, h.n - 43);
	assert_int_equal(n_recs, 1);
	assert_rec(0, OBS_TLS_SNI, "ds.kaspersky.com", 4);
	assert_int_equal(recs[0].flags, 0);
	assert_string_equal(recs[0].client, CLIENT);
	assert_int_equal(audit_stats(A)->tls_hellos, 1);
}

static void
test_tls_out_of_order(void **state)
{
	struct bld h = { .n = 0 };

	(void)state;
	hello_build(&h, "ds.kaspersky.com", false);
	syn(40000, 443, 0xfffffff0);			/* sequence wraps */
	seg(40000, 443, 0xfffffff0, h.b, 60, h.n - 60);
	seg(40000, 443, 0xfffffff0, h.b, 20, 40);
	seg(40000, 443, 0xfffffff0, h.b, 20, 40);	/* retransmitted */
	assert_int_equal(n_recs, 0);
	seg(40000, 443, 0xfffffff0, h.b, 0, 20);
	assert_int_equal(n_recs, 1);
	assert_rec(0, OBS_TLS_SNI, "ds.kaspersky.com", 5);
}

/*
 * Issue 21 item 5: a ClientHello in three segments, no handshake in the
 * capture, arriving 1-2-0 or 2-1-0: the start is learnt late, twice.
 */
static void
hello_no_syn(const unsigned order[3], uint16_t cport)
{
	struct bld h = { .n = 0 };
	size_t cut[4], i;

	hello_build(&h, "ds.kaspersky.com", false);
	cut[0] = 0;
	cut[1] = 30;
	cut[2] = 70;
	cut[3] = h.n;
	for (i = 0; i < 3; i++)
		seg(cport, 443, 7000, h.b, cut[order[i]],
		    cut[order[i] + 1] - cut[order[i]]);
}

static void
test_tls_no_syn_reordered(void **state)
{
	static const unsigned o120[3] = { 1, 2, 0 }, o210[3] = { 2, 1, 0 },
	    o021[3] = { 0, 2, 1 }, o102[3] = { 1, 0, 2 };

	(void)state;
	hello_no_syn(o120, 41000);
	assert_int_equal(n_recs, 1);
	assert_rec(0, OBS_TLS_SNI, "ds.kaspersky.com", 3);
	hello_no_syn(o210, 41001);
	assert_int_equal(n_recs, 2);
	assert_rec(1, OBS_TLS_SNI, "ds.kaspersky.com", 6);
	hello_no_syn(o021, 41002);
	assert_int_equal(n_recs, 3);
	hello_no_syn(o102, 41003);
	assert_int_equal(n_recs, 4);
	assert_int_equal(audit_stats(A)->tls_hellos, 4);
}

/* ---- PROXY protocol ---------------------------------------------------- */

/* Issue 21 item 5: a PROXY header before TLS or HTTP hides nothing now. */
static void
test_proxy_header(void **state)
{
	static const char v1[] =
	    "PROXY TCP4 203.0.113.44 198.51.100.7 5555 443\r\n";
	static const uint8_t v2[] = {
		0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49,
		0x54, 0x0a, 0x21, 0x11, 0x00, 0x0c,
		203, 0, 113, 45, 198, 51, 100, 7, 0x1a, 0x0a, 0x00, 0x50,
	};
	static const char get[] =
	    "GET / HTTP/1.1\r\nHost: dl.kaspersky.com\r\n\r\n";
	struct bld h = { .n = 0 }, s = { .n = 0 }, u = { .n = 0 };
	size_t i;

	(void)state;
	/* v1, then a ClientHello, cut inside the header: a trusted
	 * sender (10.0.0.5, a private address), so the client is the
	 * header's, the load balancer the way. */
	put(&s, v1, sizeof(v1) - 1);
	hello_build(&h, "ds.kaspersky.com", false);
	put(&s, h.b, h.n);
	syn(42000, 443, 9000);
	seg(42000, 443, 9000, s.b, 0, 20);
	assert_int_equal(n_recs, 0);
	seg(42000, 443, 9000, s.b, 20, s.n - 20);
	assert_int_equal(n_recs, 1);
	assert_rec(0, OBS_TLS_SNI, "ds.kaspersky.com", 3);
	assert_string_equal(recs[0].client, "203.0.113.44");
	assert_int_equal(recs[0].client_port, 5555);
	assert_true(recs[0].flags & OBS_F_FORWARDED);

	/* v2, then an HTTP request. */
	put(&u, v2, sizeof(v2));
	put(&u, get, sizeof(get) - 1);
	syn(42001, 80, 100);
	seg(42001, 80, 100, u.b, 0, u.n);
	assert_int_equal(n_recs, 2);
	assert_rec(1, OBS_HTTP_HOST, "dl.kaspersky.com", 5);
	assert_string_equal(recs[1].client, "203.0.113.45");
	assert_int_equal(recs[1].client_port, 6666);
	assert_int_equal(audit_stats(A)->proxy_headers, 2);

	/* From a public sender: not believed, the sender stays the client. */
	send_pkt("192.0.2.99", 42002, SERVER, 443, 6, TH_SYN, 500, NULL, 0);
	send_pkt("192.0.2.99", 42002, SERVER, 443, 6, TH_ACK | TH_PSH, 501,
	    s.b, s.n);
	assert_int_equal(n_recs, 3);
	assert_rec(2, OBS_TLS_SNI, "ds.kaspersky.com", 7);
	assert_string_equal(recs[2].client, "192.0.2.99");
	assert_false(recs[2].flags & OBS_F_FORWARDED);
	assert_int_equal(audit_stats(A)->proxy_untrusted, 1);

	/* A broken header: counted, the stream not read. */
	syn(42003, 443, 700);
	seg(42003, 443, 700, (const uint8_t *)"PROXY TCP5 x\r\n\x16\x03\x01", 0,
	    17);
	assert_int_equal(audit_stats(A)->proxy_malformed, 1);
	for (i = 0; i < n_recs; i++)
		assert_int_not_equal(recs[i].frame, 9);
}

/* ---- HTTP ------------------------------------------------------------- */

static void
send_text(uint16_t cport, uint16_t sport, const char *text)
{
	syn(cport, sport, 100);
	seg(cport, sport, 100, (const uint8_t *)text, 0, strlen(text));
}

static void
test_http_host(void **state)
{
	static const char reqs[] =
	    "POST /ksn HTTP/1.1\r\nHost: ksn.kaspersky-labs.com\r\n"
	    "Content-Length: 5\r\n\r\nhello"
	    "GET / HTTP/1.1\r\nHost: www.kaspersky.com:8080\r\n\r\n"
	    "GET / HTTP/1.1\r\nHost: 198.51.100.7\r\n\r\n";

	(void)state;
	send_text(40000, 80, reqs);
	assert_int_equal(n_recs, 2);
	assert_rec(0, OBS_HTTP_HOST, "ksn.kaspersky-labs.com", 2);
	assert_rec(1, OBS_HTTP_HOST, "www.kaspersky.com", 2);
	assert_int_equal(audit_stats(A)->http_requests, 3);
}

/* CONNECT names the target; the ClientHello inside is a tunnel's. */
static void
test_http_connect(void **state)
{
	static const char req[] =
	    "CONNECT updates.kaspersky.com:443 HTTP/1.1\r\n"
	    "Host: updates.kaspersky.com:443\r\n\r\n";
	struct bld s = { .n = 0 };

	(void)state;
	put(&s, req, strlen(req));
	hello_build(&s, "ds.kaspersky.com", false);
	syn(40000, 3128, 100);
	seg(40000, 3128, 100, s.b, 0, strlen(req) + 10);
	seg(40000, 3128, 100, s.b, strlen(req) + 10, s.n - strlen(req) - 10);
	assert_int_equal(n_recs, 3);
	assert_rec(0, OBS_HTTP_CONNECT, "updates.kaspersky.com", 2);
	assert_rec(1, OBS_HTTP_HOST, "updates.kaspersky.com", 2);
	assert_rec(2, OBS_TLS_SNI, "ds.kaspersky.com", 3);
	assert_int_equal(recs[2].flags, OBS_F_TUNNEL);
}

static void
test_http_absolute_uri(void **state)
{
	(void)state;
	send_text(40000, 3128, "GET http://dnl-01.kaspersky.com/u HTTP/1.1\r\n"
	    "Host: other.kaspersky.com\r\n\r\n");
	assert_int_equal(n_recs, 2);
	assert_rec(0, OBS_HTTP_URI, "dnl-01.kaspersky.com", 2);
	assert_int_equal(recs[0].flags, OBS_F_MISMATCH);
	assert_rec(1, OBS_HTTP_HOST, "other.kaspersky.com", 2);
}

/* ---- SOCKS ------------------------------------------------------------ */

static void
test_socks5(void **state)
{
	static const char name[] = "ksn.kaspersky-labs.com";
	struct bld s = { .n = 0 };
	size_t req;

	(void)state;
	put8(&s, 5);			/* greeting: one method, no auth */
	put8(&s, 1);
	put8(&s, 0);
	req = s.n;
	put8(&s, 5);			/* CONNECT to a domain name */
	put8(&s, 1);
	put8(&s, 0);
	put8(&s, 3);
	put8(&s, sizeof(name) - 1);
	put(&s, name, sizeof(name) - 1);
	put16(&s, 443);
	hello_build(&s, "ds.kaspersky.com", false);
	syn(40000, 1080, 100);
	seg(40000, 1080, 100, s.b, 0, req);
	seg(40000, 1080, 100, s.b, req, 5);
	seg(40000, 1080, 100, s.b, req + 5, s.n - req - 5);
	assert_int_equal(n_recs, 2);
	assert_rec(0, OBS_SOCKS_CONNECT, name, 4);
	assert_rec(1, OBS_TLS_SNI, "ds.kaspersky.com", 4);
	assert_int_equal(recs[1].flags, OBS_F_TUNNEL);
	assert_int_equal(audit_stats(A)->socks_requests, 1);
}

/* ---- attribution ------------------------------------------------------ */

/*
 * An answer that matched lends its name to later connections to the
 * address it gave that carry none: a ClientHello without SNI, a stream
 * nobody parses.  Once per flow, citing the answer.
 */
static void
test_correlate(void **state)
{
	struct bld r = { .n = 0 }, h = { .n = 0 };
	static const uint8_t junk[16] = { 0xde, 0xad, 0xbe, 0xef };

	(void)state;
	dns_build(&r, 9, "www.example.org", "dl2.kaspersky.com", SERVER);
	udp(RESOLV, 53, CLIENT, 40000, r.b, r.n);
	assert_int_equal(n_recs, 1);
	assert_rec(0, OBS_DNS_ANSWER, "dl2.kaspersky.com", 1);
	assert_int_equal(recs[0].flags, OBS_F_CNAME);

	hello_build(&h, NULL, false);
	syn(40001, 443, 100);
	seg(40001, 443, 100, h.b, 0, h.n);
	assert_int_equal(n_recs, 2);
	assert_rec(1, OBS_DNS_CORRELATED, "dl2.kaspersky.com", 3);
	assert_int_equal(recs[1].answer_frame, 1);
	assert_int_equal(audit_stats(A)->tls_no_sni, 1);

	syn(40002, 9999, 100);
	seg(40002, 9999, 100, junk, 0, sizeof(junk));
	seg(40002, 9999, 100, junk, 0, sizeof(junk));
	assert_int_equal(n_recs, 3);
	assert_rec(2, OBS_DNS_CORRELATED, "dl2.kaspersky.com", 5);
	assert_int_equal(audit_stats(A)->correlated, 2);
}

/* ---- blind spots ------------------------------------------------------ */

static void
test_blind_dot(void **state)
{
	(void)state;
	syn(40000, 853, 100);
	assert_int_equal(n_recs, 1);
	assert_blind(0, BLIND_DOT, 1);
	assert_int_equal(audit_stats(A)->blind[BLIND_DOT], 1);
}

static void
test_blind_doh(void **state)
{
	struct bld q = { .n = 0 };

	(void)state;
	dns_build(&q, 7, "dns.google", NULL, NULL);
	udp(CLIENT, 40000, RESOLV, 53, q.b, q.n);
	assert_int_equal(n_recs, 1);
	assert_blind(0, BLIND_DOH, 1);
	assert_int_equal(audit_stats(A)->matches, 0);
}

static void
test_blind_ech(void **state)
{
	struct bld h = { .n = 0 };

	(void)state;
	hello_build(&h, "cloudflare-ech.com", true);
	syn(40000, 443, 100);
	seg(40000, 443, 100, h.b, 0, h.n);
	assert_int_equal(n_recs, 2);
	assert_blind(0, BLIND_ECH, 2);
	assert_rec(1, OBS_TLS_SNI, "cloudflare-ech.com", 2);
	assert_int_equal(recs[1].flags, OBS_F_ECH);
	assert_int_equal(audit_stats(A)->tls_ech, 1);
}

/*
 * An ECH extension with a server_name that is no ECH public name: GREASE
 * (Chromium sends one on every hello).  The name is the destination,
 * flagged, and no blind spot is counted.
 */
static void
test_grease_ech(void **state)
{
	struct bld h = { .n = 0 };

	(void)state;
	hello_build(&h, "cover.kaspersky.com", true);
	syn(40000, 443, 100);
	seg(40000, 443, 100, h.b, 0, h.n);
	assert_int_equal(n_recs, 1);
	assert_rec(0, OBS_TLS_SNI, "cover.kaspersky.com", 2);
	assert_int_equal(recs[0].flags, OBS_F_ECH_GREASE);
	assert_int_equal(audit_stats(A)->tls_ech, 0);
}

/* ---- streams that end badly ------------------------------------------- */

/* A hole that never fills: nothing is said, and the end counts it. */
static void
test_never_finishes(void **state)
{
	struct bld h = { .n = 0 };

	(void)state;
	hello_build(&h, "ds.kaspersky.com", false);
	syn(40000, 443, 100);
	seg(40000, 443, 100, h.b, 0, 20);
	seg(40000, 443, 100, h.b, 40, h.n - 40);
	audit_finish(A);
	assert_int_equal(n_recs, 0);
	assert_int_equal(audit_flow_stats(A)->gaps, 1);
	assert_int_equal(audit_flow_stats(A)->active, 0);
	assert_int_equal(audit_stats(A)->tls_hellos, 0);
}

/*
 * A DNS message larger than the stream window is no longer given up at
 * once: the window fills first, for its question (issue 22 item 12; see
 * test_dns_tcp_bigger_than_window).
 */
static void
test_window_too_small(void **state)
{
	static const uint8_t big[] = { 0xff, 0xff, 0x00, 0x01, 0x01, 0x00 };
	struct bld h = { .n = 0 };

	(void)state;
	syn(40000, 53, 100);
	seg(40000, 53, 100, big, 0, sizeof(big));
	assert_int_equal(audit_stats(A)->streams_unfinished, 0);
	assert_int_equal(n_recs, 0);
	/* A ClientHello longer than the window is waited for to its end. */
	audit_free(A);
	A = audit_sized(64, 512);
	put8(&h, 0x16);
	put16(&h, 0x0301);
	put16(&h, 2000);
	put8(&h, 1);				/* client_hello, 1996 bytes */
	put8(&h, 0);
	put16(&h, 1996);
	h.n = 700;				/* zeros */
	syn(40001, 443, 100);
	for (size_t off = 0; off < 500; off += 100)
		seg(40001, 443, 100, h.b, off, 100);
	assert_int_equal(audit_stats(A)->streams_unfinished, 0);
	seg(40001, 443, 100, h.b, 500, 200);
	assert_int_equal(n_recs, 0);
	assert_int_equal(audit_stats(A)->streams_unfinished, 1);
}

/* A table of two flows: the third evicts the least recently used. */
static void
test_eviction(void **state)
{
	struct bld h = { .n = 0 };

	(void)state;
	audit_free(A);
	A = audit_sized(2, 4096);
	hello_build(&h, "ds.kaspersky.com", false);
	syn(40000, 443, 100);
	seg(40000, 443, 100, h.b, 0, 30);
	syn(40001, 443, 100);
	syn(40002, 443, 100);
	assert_int_equal(audit_flow_stats(A)->evicted, 1);
	/* The rest of the first hello starts a flow of its own: no SNI. */
	seg(40000, 443, 100, h.b, 30, h.n - 30);
	assert_int_equal(n_recs, 0);
	seg(40002, 443, 100, h.b, 0, h.n);
	assert_int_equal(n_recs, 1);
	assert_rec(0, OBS_TLS_SNI, "ds.kaspersky.com", 6);
	assert_int_equal(audit_flow_stats(A)->active, 2);
}

/* ---- QUIC ------------------------------------------------------------- */

#ifdef KASAUDIT_QUIC
/* RFC 9001 A.2: the client Initial as sent, for example.com. */
#include "rfc9001.h"

static void
test_quic(void **state)
{
	(void)state;
	udp(CLIENT, 50000, SERVER, 443, rfc9001_client,
	    sizeof(rfc9001_client));
	udp(CLIENT, 50000, SERVER, 443, rfc9001_client,
	    sizeof(rfc9001_client));		/* retransmitted: said once */
	assert_int_equal(n_recs, 1);
	assert_rec(0, OBS_QUIC_SNI, "example.com", 1);
	assert_int_equal(recs[0].client_port, 50000);
	assert_int_equal(audit_stats(A)->quic_hellos, 1);
}
#endif

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_dns_udp),
		T(test_screen_agrees),
		T(test_dns_tcp_split),
		T(test_tls_split),
		T(test_tls_out_of_order),
		T(test_tls_no_syn_reordered),
		T(test_dns_tcp_hole_fin),
		T(test_dns_tcp_bigger_than_window),
		T(test_proxy_header),
		T(test_http_host),
		T(test_http_connect),
		T(test_http_absolute_uri),
		T(test_socks5),
		T(test_correlate),
		T(test_blind_dot),
		T(test_blind_doh),
		T(test_blind_ech),
		T(test_grease_ech),
		T(test_never_finishes),
		T(test_window_too_small),
		T(test_eviction),
#ifdef KASAUDIT_QUIC
		T(test_quic),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
