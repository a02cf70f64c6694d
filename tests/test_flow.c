/* test_flow.c - flow table and TCP stream windows (RFC 9293 3.4). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

#define FIN	0x01
#define SYN	0x02
#define PSH	0x08
#define ACK	0x10

/*
 * The stream most tests send: byte i is a function of i that does not
 * repeat with a short period, so a byte in the wrong place shows.
 */
static uint8_t pat[8192];

/* The connection most tests use: client 192.0.2.10:50000, server :443. */
#define CLI	"192.0.2.10"
#define SRV	"198.51.100.5"
#define CPORT	50000
#define SPORT	443

static int
setup_pat(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pat); i++)
		pat[i] = (uint8_t)(i * 131 + i / 251 + 7);
	return 0;
}

static struct flow_table *
table(size_t max_flows, size_t n_buffers, size_t stream_bytes)
{
	struct flow_config cfg;
	struct flow_table *t;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_flows = max_flows;
	cfg.n_buffers = n_buffers;
	cfg.stream_bytes = stream_bytes;
	cfg.tcp_idle = 300;
	cfg.udp_idle = 30;
	t = flow_new(&cfg);
	assert_non_null(t);
	return t;
}

static struct pkt
mkpkt(const char *src, uint16_t sport, const char *dst, uint16_t dport,
    uint8_t proto, uint8_t flags, uint32_t seq, const uint8_t *data,
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
	return p;
}

/* The flow of the last segment sent by the helpers below. */
static struct flow *F;

/*
 * Sends bytes [off, off + len) of pat from the client on connection cport,
 * with sequence numbers isn + 1 + off (so a SYN carries isn).  Asserts the
 * direction; returns what flow_tcp_segment() returns.
 */
static int
send_on(struct flow_table *t, uint16_t cport, uint32_t isn, size_t off,
    size_t len, int64_t ts, struct cur *view)
{
	struct pkt p = mkpkt(CLI, cport, SRV, SPORT, 6, ACK | PSH,
	    isn + 1 + (uint32_t)off, pat + off, len);
	enum flow_dir dir;
	bool is_new;

	F = flow_get(t, &p, ts, &dir, &is_new);
	assert_non_null(F);
	assert_int_equal(dir, FLOW_C2S);
	return flow_tcp_segment(t, F, dir, &p, view);
}

static int
send_c(struct flow_table *t, uint32_t isn, size_t off, size_t len,
    struct cur *view)
{
	return send_on(t, CPORT, isn, off, len, 0, view);
}

/* The client's SYN (no payload) on connection cport. */
static void
syn_on(struct flow_table *t, uint16_t cport, uint32_t isn)
{
	struct pkt p = mkpkt(CLI, cport, SRV, SPORT, 6, SYN, isn, NULL, 0);
	enum flow_dir dir;
	struct cur view;
	bool is_new;

	F = flow_get(t, &p, 0, &dir, &is_new);
	assert_non_null(F);
	assert_int_equal(dir, FLOW_C2S);
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &view),
	    ERR_NOTFOUND);
}

static void
syn_c(struct flow_table *t, uint32_t isn)
{
	syn_on(t, CPORT, isn);
}

/* The view holds exactly bytes [off, off + len) of pat. */
static void
assert_view(const struct cur *v, size_t off, size_t len)
{
	assert_true(v->ok);
	assert_int_equal(cur_left(v), len);
	assert_memory_equal(v->p, pat + off, len);
}

/* flow_view() agrees with the view a segment returned. */
static void
assert_flow_view(struct flow_table *t, size_t off, size_t len)
{
	struct cur v;

	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_OK);
	assert_view(&v, off, len);
}

/* ---- the table -------------------------------------------------------- */

static void
test_new_free(void **state)
{
	struct flow_table *t = table(0, 0, 1024);
	struct pkt p = mkpkt(CLI, CPORT, SRV, SPORT, 6, SYN, 1, NULL, 0);
	enum flow_dir dir;
	bool is_new = true;

	(void)state;
	/* No slots: no flow, and nothing breaks. */
	assert_null(flow_get(t, &p, 0, &dir, &is_new));
	assert_false(is_new);
	assert_int_equal(flow_stats(t)->created, 0);
	flow_free(t);
	flow_free(NULL);
}

static void
test_get_both_directions(void **state)
{
	struct flow_table *t = table(16, 4, 1024);
	/* Client address higher than the server's, and lower. */
	static const char *const cli[] = { "203.0.113.9", "10.0.0.1",
	    "2001:db8::9", "2001:db8::1" };
	static const char *const srv[] = { "10.1.1.1", "10.1.1.2",
	    "2001:db8::5", "2001:db8::5" };
	struct flow *f, *g;
	enum flow_dir dir;
	bool is_new;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		struct pkt up = mkpkt(cli[i], 40000, srv[i], 80, 6, ACK, 7,
		    NULL, 0);
		struct pkt down = mkpkt(srv[i], 80, cli[i], 40000, 6, ACK, 9,
		    NULL, 0);

		/* Without a SYN the higher port is the client, whichever
		 * side is seen first. */
		if (i % 2 == 0) {
			f = flow_get(t, &up, 0, &dir, &is_new);
			assert_true(is_new);
			assert_int_equal(dir, FLOW_C2S);
			g = flow_get(t, &down, 0, &dir, &is_new);
			assert_false(is_new);
			assert_int_equal(dir, FLOW_S2C);
		} else {
			f = flow_get(t, &down, 0, &dir, &is_new);
			assert_true(is_new);
			assert_int_equal(dir, FLOW_S2C);
			g = flow_get(t, &up, 0, &dir, &is_new);
			assert_false(is_new);
			assert_int_equal(dir, FLOW_C2S);
		}
		assert_ptr_equal(f, g);
		g = flow_get(t, &down, 1, &dir, &is_new);
		assert_ptr_equal(f, g);
		assert_false(is_new);
		assert_int_equal(dir, FLOW_S2C);
	}
	assert_int_equal(flow_stats(t)->created, 4);
	assert_int_equal(flow_stats(t)->active, 4);
	flow_free(t);
}

static void
test_get_ports_and_protos(void **state)
{
	struct flow_table *t = table(16, 4, 1024);
	struct pkt a = mkpkt("10.0.0.1", 5000, "10.0.0.2", 5000, 6, ACK, 1,
	    NULL, 0);
	struct pkt b = mkpkt("10.0.0.2", 5000, "10.0.0.1", 5000, 6, ACK, 1,
	    NULL, 0);
	struct pkt u1 = mkpkt("10.0.0.1", 53, "10.0.0.2", 33333, 17, 0, 0,
	    NULL, 0);
	struct pkt u2 = mkpkt("10.0.0.2", 33333, "10.0.0.1", 53, 17, 0, 0,
	    NULL, 0);
	struct pkt t1 = mkpkt("10.0.0.1", 53, "10.0.0.2", 33333, 6, ACK, 0,
	    NULL, 0);
	struct flow *f, *g, *h;
	enum flow_dir dir;
	bool is_new;

	(void)state;
	/* Equal ports: the sender of the first packet is the client. */
	f = flow_get(t, &b, 0, &dir, &is_new);
	assert_true(is_new);
	assert_int_equal(dir, FLOW_C2S);
	assert_ptr_equal(flow_get(t, &a, 0, &dir, &is_new), f);
	assert_int_equal(dir, FLOW_S2C);
	/* UDP: a DNS response seen first; the query side is the client. */
	g = flow_get(t, &u1, 0, &dir, &is_new);
	assert_true(is_new);
	assert_int_equal(dir, FLOW_S2C);
	assert_ptr_equal(flow_get(t, &u2, 0, &dir, &is_new), g);
	assert_false(is_new);
	assert_int_equal(dir, FLOW_C2S);
	/* The same addresses and ports over TCP are another flow. */
	h = flow_get(t, &t1, 0, &dir, &is_new);
	assert_true(is_new);
	assert_ptr_not_equal(h, g);
	assert_int_equal(flow_stats(t)->created, 3);
	flow_free(t);
}

static void
test_get_syn_dir(void **state)
{
	struct flow_table *t = table(16, 4, 1024);
	/* A client on a low port: only the SYN can tell. */
	struct pkt syn = mkpkt("10.0.0.1", 80, "10.0.0.2", 9999, 6, SYN, 1,
	    NULL, 0);
	struct pkt syn_back = mkpkt("10.0.0.2", 9999, "10.0.0.1", 80, 6,
	    SYN | ACK, 1, NULL, 0);
	/* The SYN-ACK seen first (the SYN was missed): its receiver is the
	 * client, though its port is the lower one. */
	struct pkt synack = mkpkt("10.0.0.5", 61000, "10.0.0.6", 1000, 6,
	    SYN | ACK, 1, NULL, 0);
	struct pkt ack = mkpkt("10.0.0.6", 1000, "10.0.0.5", 61000, 6,
	    ACK | PSH, 2, NULL, 0);
	struct flow *f;
	enum flow_dir dir;
	bool is_new;

	(void)state;
	f = flow_get(t, &syn, 0, &dir, &is_new);
	assert_true(is_new);
	assert_int_equal(dir, FLOW_C2S);
	assert_ptr_equal(flow_get(t, &syn_back, 0, &dir, &is_new), f);
	assert_int_equal(dir, FLOW_S2C);

	f = flow_get(t, &synack, 0, &dir, &is_new);
	assert_true(is_new);
	assert_int_equal(dir, FLOW_S2C);
	assert_ptr_equal(flow_get(t, &ack, 0, &dir, &is_new), f);
	assert_int_equal(dir, FLOW_C2S);
	/* The flow keeps its client once made. */
	assert_ptr_equal(flow_get(t, &synack, 0, &dir, &is_new), f);
	assert_int_equal(dir, FLOW_S2C);
	flow_free(t);
}

static void
test_app_area(void **state)
{
	struct flow_table *t = table(1, 0, 1024);
	struct pkt a = mkpkt("10.0.0.1", 1111, "10.0.0.2", 53, 17, 0, 0,
	    NULL, 0);
	struct pkt b = mkpkt("10.0.0.1", 2222, "10.0.0.2", 53, 17, 0, 0,
	    NULL, 0);
	static const uint8_t zero[FLOW_APP_LEN];
	uint8_t *app;
	struct flow *f;
	enum flow_dir dir;
	bool is_new;

	(void)state;
	f = flow_get(t, &a, 0, &dir, &is_new);
	app = flow_app(f);
	assert_int_equal((uintptr_t)app % _Alignof(max_align_t), 0);
	assert_memory_equal(app, zero, FLOW_APP_LEN);
	memset(app, 0xaa, FLOW_APP_LEN);
	/* Kept across lookups, from either side. */
	f = flow_get(t, &a, 1, &dir, &is_new);
	assert_false(is_new);
	assert_int_equal(((uint8_t *)flow_app(f))[FLOW_APP_LEN - 1], 0xaa);
	/* A new flow in the same slot starts from zero. */
	f = flow_get(t, &b, 2, &dir, &is_new);
	assert_true(is_new);
	assert_ptr_equal(flow_app(f), app);
	assert_memory_equal(flow_app(f), zero, FLOW_APP_LEN);
	assert_int_equal(flow_stats(t)->evicted, 1);
	flow_free(t);
}

/* A UDP packet of "client" port p to 10.9.9.9:53. */
static struct pkt
udp_from(uint16_t port)
{
	return mkpkt("10.0.0.1", port, "10.9.9.9", 53, 17, 0, 0, NULL, 0);
}

static bool
get_is_new(struct flow_table *t, const struct pkt *p, int64_t ts)
{
	enum flow_dir dir;
	bool is_new;

	assert_non_null(flow_get(t, p, ts, &dir, &is_new));
	return is_new;
}

static void
test_lru_evict(void **state)
{
	struct flow_table *t = table(4, 0, 1024);
	struct pkt p[6];
	uint16_t i;

	(void)state;
	for (i = 0; i < 6; i++)
		p[i] = udp_from((uint16_t)(1000 + i));
	for (i = 0; i < 4; i++)
		assert_true(get_is_new(t, &p[i], 0));
	assert_int_equal(flow_stats(t)->evicted, 0);
	/* The fifth evicts the least recently used: the first. */
	assert_true(get_is_new(t, &p[4], 0));
	assert_int_equal(flow_stats(t)->evicted, 1);
	assert_int_equal(flow_stats(t)->active, 4);
	assert_false(get_is_new(t, &p[1], 0));
	assert_false(get_is_new(t, &p[4], 0));
	assert_true(get_is_new(t, &p[0], 0));	/* evicts 2 */
	assert_int_equal(flow_stats(t)->evicted, 2);
	assert_false(get_is_new(t, &p[1], 0));
	assert_true(get_is_new(t, &p[2], 0));	/* evicts 3 */
	assert_false(get_is_new(t, &p[4], 0));
	assert_false(get_is_new(t, &p[0], 0));
	assert_false(get_is_new(t, &p[1], 0));
	assert_false(get_is_new(t, &p[2], 0));
	assert_true(get_is_new(t, &p[3], 0));	/* evicts 4 */
	assert_true(get_is_new(t, &p[4], 0));	/* evicts 0 */
	assert_int_equal(flow_stats(t)->evicted, 5);
	assert_int_equal(flow_stats(t)->created, 9);
	assert_int_equal(flow_stats(t)->active, 4);
	assert_int_equal(flow_stats(t)->active_max, 4);
	assert_int_equal(flow_stats(t)->expired, 0);
	flow_free(t);
}

static void
test_lru_evict_mixed(void **state)
{
	struct flow_table *t = table(3, 0, 1024);
	struct pkt tcp = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 1, NULL, 0);
	struct pkt u1 = udp_from(1001), u2 = udp_from(1002),
	    u3 = udp_from(1003);

	(void)state;
	/* TCP and UDP flows age in one order for eviction. */
	assert_true(get_is_new(t, &u1, 0));
	assert_true(get_is_new(t, &tcp, 0));
	assert_true(get_is_new(t, &u2, 0));
	assert_true(get_is_new(t, &u3, 0));	/* evicts u1 */
	assert_false(get_is_new(t, &u2, 0));
	assert_true(get_is_new(t, &u1, 0));	/* evicts tcp */
	assert_false(get_is_new(t, &u2, 0));
	assert_false(get_is_new(t, &u3, 0));
	assert_true(get_is_new(t, &tcp, 0));	/* evicts u1 */
	assert_false(get_is_new(t, &u2, 0));
	assert_int_equal(flow_stats(t)->evicted, 3);
	flow_free(t);
}

/*
 * The recent lookups (flow_int.h) name flows by hash only: a flow gone,
 * or its slot taken by another key, must not be returned for a key that
 * is not its own.  Many more keys than the table holds, in a random
 * order with some locality, against a model of the LRU: every lookup is
 * new exactly when the model says, and the flow returned carries the tag
 * written into it when that key created it.
 */
#define RK_KEYS		1500
#define RK_CAP		256

static void
test_recent_lookups(void **state)
{
	struct flow_table *t = table(RK_CAP, 0, 1024);
	static struct pkt p[RK_KEYS];
	uint32_t lru[RK_CAP], x = 12345, k, tag;
	size_t n = 0, i, j, created = 0;
	enum flow_dir dir;
	struct flow *f;
	bool is_new, in;
	int op;

	(void)state;
	for (k = 0; k < RK_KEYS; k++)
		p[k] = udp_from((uint16_t)(1000 + k));
	for (op = 0; op < 60000; op++) {
		x = x * 1103515245u + 12345u;
		/* Half the time one of the last few keys, else any. */
		if ((x >> 16) & 1 && n > 0)
			k = lru[n - 1 - ((x >> 17) % (n < 8 ? n : 8))];
		else
			k = (x >> 17) % RK_KEYS;
		for (i = 0, in = false; i < n; i++)
			if (lru[i] == k) {
				in = true;
				break;
			}
		if (in) {
			memmove(&lru[i], &lru[i + 1], (n - i - 1) *
			    sizeof(lru[0]));
			n--;
		} else if (n == RK_CAP) {
			memmove(&lru[0], &lru[1], (n - 1) * sizeof(lru[0]));
			n--;
		}
		lru[n++] = k;
		f = flow_get(t, &p[k], 0, &dir, &is_new);
		assert_non_null(f);
		assert_int_equal(is_new, !in);
		if (is_new) {
			tag = k + 1;
			memcpy(flow_app(f), &tag, sizeof(tag));
			created++;
		} else {
			memcpy(&tag, flow_app(f), sizeof(tag));
			assert_int_equal(tag, k + 1);
		}
	}
	assert_int_equal(flow_stats(t)->created, created);
	assert_int_equal(flow_stats(t)->active, n);
	for (j = 0; j < n; j++)
		assert_false(get_is_new(t, &p[lru[j]], 0));
	/* All idle past their timeout: gone, their keys still in memory
	 * that is not reused yet, and each of them new again. */
	for (j = n; j-- > 0;)
		assert_true(get_is_new(t, &p[lru[j]], 100));
	assert_int_equal(flow_stats(t)->expired, n);
	flow_free(t);
}

static void
test_idle_expiry(void **state)
{
	struct flow_table *t = table(16, 0, 1024);	/* tcp 300, udp 30 */
	struct pkt tcp = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 1, NULL, 0);
	struct pkt u1 = udp_from(1001), u2 = udp_from(1002),
	    u3 = udp_from(1003);

	(void)state;
	/* The TCP flow is the least recent: the UDP one behind it must
	 * still time out on its own, shorter timeout. */
	assert_true(get_is_new(t, &tcp, 0));
	assert_true(get_is_new(t, &u1, 0));
	assert_true(get_is_new(t, &u2, 30));	/* idle 30: not yet */
	assert_int_equal(flow_stats(t)->expired, 0);
	assert_true(get_is_new(t, &u3, 31));
	assert_int_equal(flow_stats(t)->expired, 1);
	assert_int_equal(flow_stats(t)->active, 3);
	assert_false(get_is_new(t, &tcp, 31));
	assert_true(get_is_new(t, &u1, 31));
	/* Packet time only: a packet from the past expires nothing. */
	assert_false(get_is_new(t, &u2, 5));
	assert_int_equal(flow_stats(t)->expired, 1);
	/* TCP: 300 s after its last packet (31) it is still there, 301 s
	 * after it is gone, with all the UDP flows. */
	assert_false(get_is_new(t, &tcp, 331));
	assert_int_equal(flow_stats(t)->expired, 4);
	assert_true(get_is_new(t, &tcp, 632));
	assert_int_equal(flow_stats(t)->expired, 5);
	assert_int_equal(flow_stats(t)->active, 1);
	assert_int_equal(flow_stats(t)->active_max, 4);
	assert_int_equal(flow_stats(t)->evicted, 0);
	flow_free(t);
}

/* ---- the buffer pool --------------------------------------------------- */

/* Holds 10 bytes on connection cport (nothing consumed); commit's result. */
static int
hold_on(struct flow_table *t, uint16_t cport, int64_t ts)
{
	struct cur v;

	assert_int_equal(send_on(t, cport, 0, 0, 10, ts, &v), ERR_OK);
	assert_view(&v, 0, 10);
	return flow_commit(t, F, FLOW_C2S);
}

static void
test_pool(void **state)
{
	struct flow_table *t = table(8, 2, 1024);
	struct flow *a, *b;
	struct cur v;

	(void)state;
	assert_int_equal(hold_on(t, 1001, 0), ERR_OK);
	a = F;
	assert_int_equal(hold_on(t, 1002, 0), ERR_OK);
	b = F;
	assert_int_equal(flow_stats(t)->no_buffer, 0);
	/* Both buffers taken: the third takes the stalest stream's. */
	assert_int_equal(hold_on(t, 1003, 0), ERR_OK);
	assert_int_equal(flow_stats(t)->stolen, 1);
	assert_int_equal(flow_stats(t)->no_buffer, 0);
	assert_true(flow_is_done(a, FLOW_C2S));
	assert_false(flow_is_done(F, FLOW_C2S));
	assert_int_equal(send_on(t, 1001, 0, 10, 10, 0, &v), ERR_NOTFOUND);
	/* flow_done gives one back (twice is harmless). */
	flow_done(t, b, FLOW_C2S);
	flow_done(t, b, FLOW_C2S);
	assert_true(flow_is_done(b, FLOW_C2S));
	assert_false(flow_is_done(b, FLOW_S2C));
	assert_int_equal(hold_on(t, 1004, 0), ERR_OK);
	assert_int_equal(flow_stats(t)->stolen, 1);
	/* Consuming all that is held gives the buffer back too. */
	assert_int_equal(send_on(t, 1004, 0, 10, 10, 0, &v), ERR_OK);
	assert_view(&v, 0, 20);
	flow_consume(t, F, FLOW_C2S, 20);
	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_NOTFOUND);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(hold_on(t, 1006, 0), ERR_OK);
	assert_int_equal(flow_stats(t)->stolen, 1);
	flow_free(t);
}

/* The buffer taken is that of the flow seen longest ago, not the one
 * that took its buffer first. */
static void
test_pool_steal_stalest(void **state)
{
	struct flow_table *t = table(8, 2, 1024);
	struct flow *a, *b;
	struct cur v;

	(void)state;
	assert_int_equal(hold_on(t, 1001, 0), ERR_OK);
	a = F;
	assert_int_equal(hold_on(t, 1002, 0), ERR_OK);
	b = F;
	/* 1001 is seen again, its bytes still held. */
	assert_int_equal(send_on(t, 1001, 0, 10, 10, 0, &v), ERR_OK);
	assert_view(&v, 0, 20);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(hold_on(t, 1003, 0), ERR_OK);
	assert_int_equal(flow_stats(t)->stolen, 1);
	assert_false(flow_is_done(a, FLOW_C2S));
	assert_true(flow_is_done(b, FLOW_C2S));
	/* And again: now 1001 is the stalest. */
	assert_int_equal(hold_on(t, 1004, 0), ERR_OK);
	assert_int_equal(flow_stats(t)->stolen, 2);
	assert_true(flow_is_done(a, FLOW_C2S));
	flow_free(t);
}

static void
test_pool_evict_expire(void **state)
{
	struct flow_table *t = table(2, 1, 1024);

	(void)state;
	assert_int_equal(hold_on(t, 1001, 0), ERR_OK);
	assert_int_equal(hold_on(t, 1002, 1), ERR_OK);	/* takes 1001's */
	assert_int_equal(flow_stats(t)->stolen, 1);
	/* The third flow evicts the first; the buffer is 1002's to take. */
	assert_int_equal(hold_on(t, 1003, 2), ERR_OK);
	assert_int_equal(flow_stats(t)->evicted, 1);
	assert_int_equal(flow_stats(t)->stolen, 2);
	/* Both expire (tcp_idle 300): the buffer is free again. */
	assert_int_equal(hold_on(t, 1004, 303), ERR_OK);
	assert_int_equal(flow_stats(t)->expired, 2);
	assert_int_equal(flow_stats(t)->active, 1);
	assert_int_equal(flow_stats(t)->stolen, 2);
	assert_int_equal(flow_stats(t)->no_buffer, 0);
	flow_free(t);
}

static void
test_no_buffers(void **state)
{
	struct flow_table *t = table(8, 0, 1024);
	struct cur v;

	(void)state;
	/* Zero-copy needs no buffer while the parser uses every byte. */
	syn_c(t, 100);
	assert_int_equal(send_c(t, 100, 0, 50, &v), ERR_OK);
	assert_ptr_equal(v.p, pat);
	flow_consume(t, F, FLOW_C2S, 50);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 100, 50, 50, &v), ERR_OK);
	assert_view(&v, 50, 50);
	flow_consume(t, F, FLOW_C2S, 10);
	assert_flow_view(t, 60, 40);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_FULL);
	assert_int_equal(flow_stats(t)->no_buffer, 1);
	assert_true(flow_is_done(F, FLOW_C2S));
	assert_int_equal(send_c(t, 100, 100, 50, &v), ERR_NOTFOUND);

	/* An out-of-order segment needs a buffer at once. */
	syn_on(t, 1234, 100);
	assert_int_equal(send_on(t, 1234, 100, 100, 10, 0, &v),
	    ERR_NOTFOUND);
	assert_int_equal(flow_stats(t)->no_buffer, 2);
	assert_true(flow_is_done(F, FLOW_C2S));

	/* A view not committed, then the next segment: no buffer for it. */
	syn_on(t, 1235, 100);
	assert_int_equal(send_on(t, 1235, 100, 0, 10, 0, &v), ERR_OK);
	assert_int_equal(send_on(t, 1235, 100, 10, 10, 0, &v), ERR_NOTFOUND);
	assert_int_equal(flow_stats(t)->no_buffer, 3);
	assert_true(flow_is_done(F, FLOW_C2S));
	flow_free(t);
}

/* ---- TCP streams -------------------------------------------------------- */

static void
test_in_order(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	const struct flow_stats *st = flow_stats(t);
	struct cur v;

	(void)state;
	syn_c(t, 1000);
	assert_false(flow_start_guessed(F, FLOW_C2S));
	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_NOTFOUND);
	/* In order, nothing held: the view is the packet itself. */
	assert_int_equal(send_c(t, 1000, 0, 100, &v), ERR_OK);
	assert_ptr_equal(v.p, pat);
	assert_view(&v, 0, 100);
	assert_flow_view(t, 0, 100);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	/* Kept, and the next segment extends it in the buffer. */
	assert_flow_view(t, 0, 100);
	assert_int_equal(send_c(t, 1000, 100, 200, &v), ERR_OK);
	assert_ptr_not_equal(v.p, pat + 100);
	assert_view(&v, 0, 300);
	flow_consume(t, F, FLOW_C2S, 120);
	assert_flow_view(t, 120, 180);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 1000, 300, 100, &v), ERR_OK);
	assert_view(&v, 120, 280);
	/* All used: the next segment is zero-copy again. */
	flow_consume(t, F, FLOW_C2S, 280);
	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_NOTFOUND);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 1000, 400, 100, &v), ERR_OK);
	assert_ptr_equal(v.p, pat + 400);
	/* Part used: the rest is copied. */
	flow_consume(t, F, FLOW_C2S, 40);
	assert_flow_view(t, 440, 60);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 1000, 500, 100, &v), ERR_OK);
	assert_view(&v, 440, 160);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(st->retransmits + st->out_of_order + st->overlaps +
	    st->capped + st->gaps + st->rebased + st->holes_full, 0);
	flow_free(t);
}

/* Without flow_commit() the next segment must not see a dead packet. */
static void
test_forgotten_commit(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	uint8_t *pkt = malloc(100);
	struct pkt p;
	enum flow_dir dir;
	struct cur v;
	bool is_new;

	(void)state;
	assert_non_null(pkt);
	memcpy(pkt, pat, 100);
	syn_c(t, 1);
	p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 2, pkt, 100);
	F = flow_get(t, &p, 0, &dir, &is_new);
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_OK);
	/* No flow_commit(): the next segment keeps the first one's bytes,
	 * and nothing refers to its packet once that is gone. */
	assert_int_equal(send_c(t, 1, 100, 50, &v), ERR_OK);
	assert_view(&v, 0, 150);
	free(pkt);
	assert_flow_view(t, 0, 150);
	flow_free(t);
}

static void
test_both_directions(void **state)
{
	struct flow_table *t = table(8, 4, 4096);
	struct pkt syn = mkpkt(CLI, CPORT, SRV, SPORT, 6, SYN, 10, NULL, 0);
	struct pkt synack = mkpkt(SRV, SPORT, CLI, CPORT, 6, SYN | ACK, 5000,
	    NULL, 0);
	struct pkt req = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 11, pat, 30);
	struct pkt resp = mkpkt(SRV, SPORT, CLI, CPORT, 6, ACK, 5001,
	    pat + 1000, 40);
	struct pkt req2 = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 41, pat + 30,
	    10);
	struct flow *f;
	enum flow_dir dir;
	struct cur v;
	bool is_new;

	(void)state;
	f = flow_get(t, &syn, 0, &dir, &is_new);
	assert_int_equal(flow_tcp_segment(t, f, dir, &syn, &v), ERR_NOTFOUND);
	f = flow_get(t, &synack, 0, &dir, &is_new);
	assert_int_equal(dir, FLOW_S2C);
	assert_int_equal(flow_tcp_segment(t, f, dir, &synack, &v),
	    ERR_NOTFOUND);
	f = flow_get(t, &req, 0, &dir, &is_new);
	assert_int_equal(flow_tcp_segment(t, f, dir, &req, &v), ERR_OK);
	assert_view(&v, 0, 30);
	assert_int_equal(flow_commit(t, f, dir), ERR_OK);
	f = flow_get(t, &resp, 0, &dir, &is_new);
	assert_int_equal(flow_tcp_segment(t, f, dir, &resp, &v), ERR_OK);
	assert_view(&v, 1000, 40);
	assert_int_equal(flow_commit(t, f, dir), ERR_OK);
	flow_done(t, f, FLOW_S2C);
	f = flow_get(t, &req2, 0, &dir, &is_new);
	assert_int_equal(flow_tcp_segment(t, f, dir, &req2, &v), ERR_OK);
	assert_view(&v, 0, 40);
	assert_true(flow_is_done(f, FLOW_S2C));
	assert_false(flow_is_done(f, FLOW_C2S));
	flow_free(t);
}

static void
test_syn_with_data(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	struct pkt p = mkpkt(CLI, CPORT, SRV, SPORT, 6, SYN, 99, pat, 20);
	enum flow_dir dir;
	struct cur v;
	bool is_new;

	(void)state;
	/* TCP Fast Open: data on the SYN starts after its sequence number. */
	F = flow_get(t, &p, 0, &dir, &is_new);
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_OK);
	assert_view(&v, 0, 20);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 99, 20, 20, &v), ERR_OK);
	assert_view(&v, 0, 40);
	/* A retransmitted SYN changes nothing. */
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_NOTFOUND);
	assert_int_equal(flow_stats(t)->retransmits, 1);
	assert_flow_view(t, 0, 40);
	flow_free(t);
}

/*
 * The ClientHello split over two segments delivered in reverse order, the
 * connection's start not captured: the second segment is first taken as
 * the stream's start, then the first moves it back.
 */
static void
test_reverse_no_syn(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	struct cur v;

	(void)state;
	assert_int_equal(send_c(t, 5000, 1400, 400, &v), ERR_OK);
	assert_view(&v, 1400, 400);
	assert_true(flow_start_guessed(F, FLOW_C2S));
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 5000, 0, 1400, &v), ERR_OK);
	assert_view(&v, 0, 1800);
	assert_flow_view(t, 0, 1800);
	assert_int_equal(flow_stats(t)->rebased, 1);
	assert_int_equal(flow_stats(t)->out_of_order, 0);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	/* Once something is used the start is known. */
	flow_consume(t, F, FLOW_C2S, 1);
	assert_false(flow_start_guessed(F, FLOW_C2S));
	flow_free(t);

	/* Three segments, last first. */
	t = table(8, 2, 4096);
	assert_int_equal(send_c(t, 77, 2000, 500, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 77, 1000, 1000, &v), ERR_OK);
	assert_view(&v, 1000, 1500);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 77, 0, 1000, &v), ERR_OK);
	assert_view(&v, 0, 2500);
	assert_int_equal(flow_stats(t)->rebased, 2);
	flow_free(t);

	/* An earlier segment that does not reach the guessed start. */
	t = table(8, 2, 4096);
	assert_int_equal(send_c(t, 77, 2000, 500, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 77, 0, 1000, &v), ERR_OK);
	assert_view(&v, 0, 1000);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 77, 1000, 1000, &v), ERR_OK);
	assert_view(&v, 0, 2500);
	flow_free(t);
}

static void
test_reverse_with_syn(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	struct cur v;

	(void)state;
	syn_c(t, 5000);
	assert_int_equal(send_c(t, 5000, 1400, 400, &v), ERR_NOTFOUND);
	assert_int_equal(flow_stats(t)->out_of_order, 1);
	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_NOTFOUND);
	assert_int_equal(send_c(t, 5000, 0, 1400, &v), ERR_OK);
	assert_view(&v, 0, 1800);
	assert_int_equal(flow_stats(t)->rebased, 0);
	assert_false(flow_start_guessed(F, FLOW_C2S));
	flow_free(t);
}

static void
test_no_rebase_after_consume(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	struct cur v;

	(void)state;
	assert_int_equal(send_c(t, 9, 100, 100, &v), ERR_OK);
	flow_consume(t, F, FLOW_C2S, 10);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	/* Wholly before the window: nothing new. */
	assert_int_equal(send_c(t, 9, 0, 100, &v), ERR_NOTFOUND);
	assert_int_equal(flow_stats(t)->retransmits, 1);
	assert_int_equal(flow_stats(t)->rebased, 0);
	/* Reaching past what is held: trimmed, the new part added. */
	assert_int_equal(send_c(t, 9, 0, 250, &v), ERR_OK);
	assert_view(&v, 110, 140);
	assert_int_equal(flow_stats(t)->overlaps, 1);
	assert_int_equal(flow_stats(t)->rebased, 0);
	flow_free(t);
}

static void
test_duplicates(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	const struct flow_stats *st = flow_stats(t);
	struct cur v;

	(void)state;
	syn_c(t, 0);
	assert_int_equal(send_c(t, 0, 0, 100, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 0, 0, 100, &v), ERR_NOTFOUND);
	assert_int_equal(st->retransmits, 1);
	assert_flow_view(t, 0, 100);
	assert_int_equal(send_c(t, 0, 100, 100, &v), ERR_OK);
	assert_view(&v, 0, 200);
	/* A duplicate of a segment held beyond a hole. */
	assert_int_equal(send_c(t, 0, 300, 100, &v), ERR_NOTFOUND);
	assert_int_equal(st->out_of_order, 1);
	assert_int_equal(send_c(t, 0, 300, 100, &v), ERR_NOTFOUND);
	assert_int_equal(st->retransmits, 2);
	assert_int_equal(st->out_of_order, 1);
	assert_int_equal(send_c(t, 0, 320, 10, &v), ERR_NOTFOUND);
	assert_int_equal(st->retransmits, 3);
	assert_int_equal(send_c(t, 0, 200, 100, &v), ERR_OK);
	assert_view(&v, 0, 400);
	/* After the parser used it all: before the window. */
	flow_consume(t, F, FLOW_C2S, 400);
	assert_int_equal(send_c(t, 0, 0, 100, &v), ERR_NOTFOUND);
	assert_int_equal(st->retransmits, 4);
	assert_int_equal(st->out_of_order, 1);
	assert_int_equal(st->gaps, 0);
	flow_free(t);
}

static void
test_overlap_first_wins(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	struct pkt p;
	uint8_t a[100], b[100], c[60], d[60], e[150], want[300];
	enum flow_dir dir;
	struct cur v;
	bool is_new;

	(void)state;
	memset(a, 'A', sizeof(a));
	memset(b, 'B', sizeof(b));
	memset(c, 'C', sizeof(c));
	memset(d, 'D', sizeof(d));
	memset(e, 'E', sizeof(e));
	syn_c(t, 0);
	p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 1, a, 100);	/* [0,100) */
	F = flow_get(t, &p, 0, &dir, &is_new);
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, dir), ERR_OK);
	p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 51, b, 100);	/* [50,150) */
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_OK);
	assert_int_equal(cur_left(&v), 150);
	assert_int_equal(flow_stats(t)->overlaps, 1);
	p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 201, c, 60);	/* [200,260) */
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_NOTFOUND);
	p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 181, d, 60);	/* [180,240) */
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_NOTFOUND);
	assert_int_equal(flow_stats(t)->overlaps, 2);
	assert_int_equal(flow_stats(t)->out_of_order, 2);
	p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, 151, e, 150);	/* [150,300) */
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_OK);
	assert_int_equal(flow_stats(t)->overlaps, 3);
	memset(want, 'A', 100);
	memset(want + 100, 'B', 50);
	memset(want + 150, 'E', 30);
	memset(want + 180, 'D', 20);
	memset(want + 200, 'C', 60);
	memset(want + 260, 'E', 40);
	assert_int_equal(cur_left(&v), 300);
	assert_memory_equal(v.p, want, 300);
	assert_int_equal(flow_stats(t)->retransmits, 0);
	flow_free(t);
}

static void
test_gap(void **state)
{
	struct flow_table *t = table(8, 4, 4096);
	struct cur v;

	(void)state;
	/* The view stops at the gap; done with it, the gap is counted. */
	syn_on(t, 1001, 0);
	assert_int_equal(send_on(t, 1001, 0, 0, 100, 0, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_on(t, 1001, 0, 200, 100, 0, &v), ERR_NOTFOUND);
	assert_int_equal(send_on(t, 1001, 0, 100, 50, 0, &v), ERR_OK);
	assert_view(&v, 0, 150);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_flow_view(t, 0, 150);
	flow_done(t, F, FLOW_C2S);
	assert_int_equal(flow_stats(t)->gaps, 1);

	/* Everything before the hole used, then the flow times out. */
	syn_on(t, 1002, 0);
	assert_int_equal(send_on(t, 1002, 0, 0, 100, 0, &v), ERR_OK);
	flow_consume(t, F, FLOW_C2S, 100);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_on(t, 1002, 0, 200, 100, 0, &v), ERR_NOTFOUND);
	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_NOTFOUND);
	/* A flow without a hole counts nothing when it goes. */
	assert_int_equal(send_on(t, 1003, 0, 0, 100, 0, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_on(t, 1004, 0, 0, 100, 1000, &v), ERR_OK);
	assert_int_equal(flow_stats(t)->expired, 3);
	assert_int_equal(flow_stats(t)->gaps, 2);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);

	/* Held beyond a hole, nothing at the start, then evicted. */
	flow_free(t);
	t = table(1, 4, 4096);
	syn_on(t, 1001, 0);
	assert_int_equal(send_on(t, 1001, 0, 300, 10, 0, &v), ERR_NOTFOUND);
	syn_on(t, 1002, 0);
	assert_int_equal(flow_stats(t)->evicted, 1);
	assert_int_equal(flow_stats(t)->gaps, 1);
	flow_free(t);
}

static void
test_holes_full(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	const struct flow_stats *st = flow_stats(t);
	struct cur v;
	size_t i;

	(void)state;
	syn_c(t, 0);
	/* Eight single bytes with holes between: [10], [20], ... [80]. */
	for (i = 1; i <= 8; i++)
		assert_int_equal(send_c(t, 0, 10 * i, 1, &v), ERR_NOTFOUND);
	assert_int_equal(st->out_of_order, 8);
	assert_int_equal(st->holes_full, 0);
	/* A ninth range beyond them all is dropped. */
	assert_int_equal(send_c(t, 0, 200, 1, &v), ERR_NOTFOUND);
	assert_int_equal(st->holes_full, 1);
	/* One that joins ranges needs no new one. */
	assert_int_equal(send_c(t, 0, 20, 11, &v), ERR_NOTFOUND);
	assert_int_equal(st->holes_full, 1);
	assert_int_equal(send_c(t, 0, 92, 1, &v), ERR_NOTFOUND);
	assert_int_equal(st->holes_full, 1);
	/* The window start must not be refused: the highest range goes. */
	assert_int_equal(send_c(t, 0, 0, 5, &v), ERR_OK);
	assert_view(&v, 0, 5);
	assert_int_equal(st->holes_full, 2);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 0, 5, 300, &v), ERR_OK);
	assert_view(&v, 0, 305);
	flow_free(t);
}

static void
test_cap(void **state)
{
	struct flow_table *t = table(8, 4, 64);
	const struct flow_stats *st = flow_stats(t);
	struct cur v;

	(void)state;
	/* One segment bigger than the window: the view is the window. */
	syn_on(t, 1001, 0);
	assert_int_equal(send_on(t, 1001, 0, 0, 100, 0, &v), ERR_OK);
	assert_ptr_equal(v.p, pat);
	assert_view(&v, 0, 64);
	assert_int_equal(st->capped, 1);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_flow_view(t, 0, 64);
	assert_int_equal(send_on(t, 1001, 0, 100, 50, 0, &v), ERR_NOTFOUND);
	assert_int_equal(st->capped, 1);

	/* Filled by two segments; once per stream. */
	syn_on(t, 1002, 0);
	assert_int_equal(send_on(t, 1002, 0, 0, 40, 0, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_on(t, 1002, 0, 40, 60, 0, &v), ERR_OK);
	assert_view(&v, 0, 64);
	assert_int_equal(st->capped, 2);
	assert_int_equal(send_on(t, 1002, 0, 64, 6, 0, &v), ERR_NOTFOUND);
	assert_int_equal(st->capped, 2);
	/* The window moves with what is used. */
	flow_consume(t, F, FLOW_C2S, 32);
	assert_flow_view(t, 32, 32);
	assert_int_equal(send_on(t, 1002, 0, 64, 36, 0, &v), ERR_OK);
	assert_view(&v, 32, 64);
	assert_int_equal(send_on(t, 1002, 0, 90, 110, 0, &v), ERR_NOTFOUND);
	assert_int_equal(st->capped, 2);

	/* A rebase that pushes held bytes past the window. */
	assert_int_equal(send_on(t, 1003, 0, 40, 60, 0, &v), ERR_OK);
	assert_view(&v, 40, 60);
	assert_int_equal(st->capped, 2);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_on(t, 1003, 0, 0, 40, 0, &v), ERR_OK);
	assert_view(&v, 0, 64);
	assert_int_equal(st->capped, 3);
	assert_int_equal(st->rebased, 1);

	/* One that pushes a whole held range out of it. */
	assert_int_equal(send_on(t, 1004, 0, 40, 20, 0, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_on(t, 1004, 0, 70, 10, 0, &v), ERR_NOTFOUND);
	assert_int_equal(send_on(t, 1004, 0, 0, 40, 0, &v), ERR_OK);
	assert_view(&v, 0, 60);
	assert_int_equal(st->capped, 4);
	assert_int_equal(st->rebased, 2);
	assert_int_equal(send_on(t, 1004, 0, 60, 4, 0, &v), ERR_OK);
	assert_view(&v, 0, 64);
	flow_free(t);
}

/* DNS over TCP: messages with a 2-byte length (RFC 7766 8). */
static void
test_consume_messages(void **state)
{
	static const size_t body[] = { 30, 50, 20 };
	struct flow_table *t = table(8, 2, 4096);
	uint8_t stream[200];
	size_t pos = 0, i, n, got = 0;
	struct pkt p;
	enum flow_dir dir;
	struct cur v;
	bool is_new;
	static const size_t cut[] = { 0, 40, 90, 106 };

	(void)state;
	for (i = 0; i < 3; i++) {
		stream[pos++] = 0;
		stream[pos++] = (uint8_t)body[i];
		memset(stream + pos, (int)('a' + i), body[i]);
		pos += body[i];
	}
	assert_int_equal(pos, 106);
	syn_c(t, 7);
	for (i = 0; i < 3; i++) {
		p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK,
		    8 + (uint32_t)cut[i], stream + cut[i], cut[i + 1] - cut[i]);
		F = flow_get(t, &p, 0, &dir, &is_new);
		assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_OK);
		for (;;) {
			struct cur m = v;
			const uint8_t *start = v.p;

			n = cur_u16(&m);
			if (!m.ok || cur_left(&m) < n)
				break;
			assert_int_equal(n, body[got]);
			assert_int_equal(start[2], 'a' + got);
			got++;
			flow_consume(t, F, dir, 2 + n);
			if (flow_view(t, F, dir, &v) != ERR_OK)
				break;
		}
		assert_int_equal(flow_commit(t, F, dir), ERR_OK);
	}
	assert_int_equal(got, 3);
	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_NOTFOUND);
	flow_free(t);
}

static void
test_consume_skip(void **state)
{
	struct flow_table *t = table(8, 1, 4096);
	const struct flow_stats *st = flow_stats(t);
	struct cur v;

	(void)state;
	/* A body skipped while the view is the packet. */
	syn_c(t, 0);
	assert_int_equal(send_c(t, 0, 0, 100, &v), ERR_OK);
	flow_consume(t, F, FLOW_C2S, 1000);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 0, 100, 500, &v), ERR_NOTFOUND);
	assert_int_equal(st->retransmits, 1);
	assert_int_equal(send_c(t, 0, 1000, 100, &v), ERR_OK);
	assert_ptr_equal(v.p, pat + 1000);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 0, 1100, 50, &v), ERR_OK);
	assert_view(&v, 1000, 150);
	/* A body skipped while bytes are held. */
	flow_consume(t, F, FLOW_C2S, 1000);
	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_NOTFOUND);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	/* Part of it arrives late, running into what comes after it. */
	assert_int_equal(send_c(t, 0, 1900, 200, &v), ERR_OK);
	assert_ptr_equal(v.p, pat + 2000);
	assert_view(&v, 2000, 100);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	/* The one buffer, given back above, was taken again. */
	assert_int_equal(send_c(t, 0, 2200, 100, &v), ERR_NOTFOUND);
	assert_int_equal(send_c(t, 0, 2100, 100, &v), ERR_OK);
	assert_view(&v, 2000, 300);
	assert_int_equal(st->no_buffer, 0);
	/* A body too long to follow: the stream is done. */
	flow_consume(t, F, FLOW_C2S, (uint64_t)1 << 40);
	assert_true(flow_is_done(F, FLOW_C2S));
	assert_int_equal(send_c(t, 0, 2300, 100, &v), ERR_NOTFOUND);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(st->gaps, 0);
	flow_free(t);
}

static void
test_trim_before_start(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	struct cur v;

	(void)state;
	syn_c(t, 0);
	assert_int_equal(send_c(t, 0, 0, 100, &v), ERR_OK);
	flow_consume(t, F, FLOW_C2S, 60);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 0, 30, 120, &v), ERR_OK);
	assert_view(&v, 60, 90);
	flow_consume(t, F, FLOW_C2S, 90);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	/* Nothing held: the trimmed packet is the view. */
	assert_int_equal(send_c(t, 0, 120, 80, &v), ERR_OK);
	assert_ptr_equal(v.p, pat + 150);
	assert_view(&v, 150, 50);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(flow_stats(t)->rebased, 0);
	flow_free(t);
}

static void
test_wraparound(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	struct cur v;

	(void)state;
	/* Data from 0xffffff01, wrapping to 0 inside the first segment. */
	syn_c(t, 0xffffff00u);
	assert_int_equal(send_c(t, 0xffffff00u, 200, 200, &v), ERR_NOTFOUND);
	assert_int_equal(send_c(t, 0xffffff00u, 0, 200, &v), ERR_OK);
	assert_view(&v, 0, 400);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	flow_consume(t, F, FLOW_C2S, 300);
	assert_int_equal(send_c(t, 0xffffff00u, 400, 100, &v), ERR_OK);
	assert_view(&v, 300, 200);
	flow_free(t);

	/* No SYN: the later segment has the small sequence number. */
	t = table(8, 2, 4096);
	assert_int_equal(send_c(t, 0xffffffefu, 100, 100, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 0xffffffefu, 0, 100, &v), ERR_OK);
	assert_view(&v, 0, 200);
	assert_int_equal(flow_stats(t)->rebased, 1);
	flow_free(t);
}

/* A segment of 10 bytes of pat with sequence number seq. */
static int
send_seq(struct flow_table *t, uint32_t seq, struct cur *view)
{
	struct pkt p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK, seq, pat, 10);
	enum flow_dir dir;
	bool is_new;

	F = flow_get(t, &p, 0, &dir, &is_new);
	return flow_tcp_segment(t, F, dir, &p, view);
}

static void
test_far_sequence(void **state)
{
	struct flow_table *t = table(8, 2, 4096);
	const struct flow_stats *st = flow_stats(t);
	struct cur v;

	(void)state;
	/* Exactly half the sequence space away, either way. */
	syn_c(t, 0);
	assert_int_equal(send_seq(t, 0x80000001u, &v), ERR_NOTFOUND);
	assert_int_equal(send_seq(t, 0x80000000u, &v), ERR_NOTFOUND);
	assert_int_equal(st->retransmits, 1);
	assert_int_equal(st->capped, 1);
	flow_free(t);

	/* A guessed start, and a segment from half the space away. */
	t = table(8, 2, 4096);
	assert_int_equal(send_seq(t, 0x80000001u, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_seq(t, 1, &v), ERR_NOTFOUND);
	assert_int_equal(flow_stats(t)->rebased, 0);
	assert_int_equal(flow_stats(t)->retransmits, 1);
	flow_free(t);
}

/* A SYN (or SYN-ACK) from the client of connection cport; is_new. */
static bool
syn_is_new(struct flow_table *t, uint16_t cport, uint8_t flags,
    uint32_t seq)
{
	struct pkt p = mkpkt(CLI, cport, SRV, SPORT, 6, flags, seq, NULL, 0);
	enum flow_dir dir;
	struct cur v;
	bool is_new;

	F = flow_get(t, &p, 0, &dir, &is_new);
	assert_non_null(F);
	assert_int_equal(dir, FLOW_C2S);
	assert_int_equal(flow_tcp_segment(t, F, dir, &p, &v), ERR_NOTFOUND);
	return is_new;
}

static void
test_port_reuse(void **state)
{
	struct flow_table *t = table(8, 4, 4096);
	static const uint8_t zero[FLOW_APP_LEN];
	struct pkt p;
	struct cur v;

	(void)state;
	/* The first connection: its hello parsed, the direction done. */
	assert_true(syn_is_new(t, 1001, SYN, 100));
	assert_int_equal(send_on(t, 1001, 100, 0, 50, 0, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	flow_done(t, F, FLOW_C2S);
	memset(flow_app(F), 7, FLOW_APP_LEN);
	/* Its SYN again, or a SYN-ACK, is the same connection. */
	assert_false(syn_is_new(t, 1001, SYN, 100));
	assert_false(syn_is_new(t, 1001, SYN | ACK, 5));
	/* Another SYN on the same port: a new connection from scratch. */
	assert_true(syn_is_new(t, 1001, SYN, 900000));
	assert_memory_equal(flow_app(F), zero, FLOW_APP_LEN);
	assert_false(flow_is_done(F, FLOW_C2S));
	assert_int_equal(send_on(t, 1001, 900000, 0, 50, 0, &v), ERR_OK);
	assert_view(&v, 0, 50);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(flow_stats(t)->created, 2);
	assert_int_equal(flow_stats(t)->active, 1);

	/* Data captured before its SYN: the SYN fixes the start. */
	assert_int_equal(send_on(t, 1002, 5000, 300, 200, 0, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_false(syn_is_new(t, 1002, SYN, 5000));
	assert_false(flow_start_guessed(F, FLOW_C2S));
	assert_int_equal(flow_stats(t)->rebased, 1);
	assert_int_equal(send_on(t, 1002, 5000, 0, 300, 0, &v), ERR_OK);
	assert_view(&v, 0, 500);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	/* A SYN far from a guessed start is another connection. */
	assert_int_equal(send_on(t, 1003, 5000, 0, 100, 0, &v), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_true(syn_is_new(t, 1003, SYN, 5000 + 100000));
	/* So is one after data that was used, whatever its number. */
	assert_int_equal(send_on(t, 1004, 0, 0, 100, 0, &v), ERR_OK);
	flow_consume(t, F, FLOW_C2S, 100);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_true(syn_is_new(t, 1004, SYN, 0));
	/* A flow seen first from a bare ACK: a SYN has nothing to differ
	 * from. */
	p = mkpkt(CLI, 1005, SRV, SPORT, 6, ACK, 77, NULL, 0);
	assert_true(get_is_new(t, &p, 0));
	assert_false(syn_is_new(t, 1005, SYN, 1000));
	assert_false(syn_is_new(t, 1005, SYN, 1000));
	assert_int_equal(flow_stats(t)->created, 8);
	assert_int_equal(flow_stats(t)->evicted + flow_stats(t)->expired, 0);
	flow_free(t);
}

/* ---- QUIC CRYPTO offsets ------------------------------------------------ */

static void
test_stream_put(void **state)
{
	struct flow_table *t = table(8, 2, 256);
	const struct flow_stats *st = flow_stats(t);
	struct pkt p = mkpkt("10.0.0.1", 55555, "10.0.0.2", 443, 17, 0, 0,
	    NULL, 0);
	uint8_t x[80], want[256];
	struct flow *f;
	enum flow_dir dir;
	struct cur v;
	bool is_new;

	(void)state;
	memset(x, 'X', sizeof(x));
	f = flow_get(t, &p, 0, &dir, &is_new);
	assert_int_equal(dir, FLOW_C2S);
	assert_int_equal(flow_stream_put(t, f, dir, 100, pat + 100, 50, &v),
	    ERR_NOTFOUND);
	assert_int_equal(st->out_of_order, 1);
	assert_int_equal(flow_stream_put(t, f, dir, 0, pat, 60, &v), ERR_OK);
	assert_view(&v, 0, 60);
	/* [40,120) with other bytes: only [60,100) is new. */
	assert_int_equal(flow_stream_put(t, f, dir, 40, x, 80, &v), ERR_OK);
	assert_int_equal(st->overlaps, 1);
	memcpy(want, pat, 256);
	memset(want + 60, 'X', 40);
	assert_int_equal(cur_left(&v), 150);
	assert_memory_equal(v.p, want, 150);
	assert_int_equal(flow_stream_put(t, f, dir, 0, pat, 60, &v),
	    ERR_NOTFOUND);
	assert_int_equal(st->retransmits, 1);
	assert_int_equal(flow_stream_put(t, f, dir, 10, pat, 0, &v),
	    ERR_NOTFOUND);
	/* Past the window: cut, counted once. */
	assert_int_equal(flow_stream_put(t, f, dir, 200, pat + 200, 100, &v),
	    ERR_NOTFOUND);
	assert_int_equal(st->capped, 1);
	assert_int_equal(flow_stream_put(t, f, dir, 1000, pat, 10, &v),
	    ERR_NOTFOUND);
	assert_int_equal(flow_stream_put(t, f, dir, (uint64_t)1 << 62, pat,
	    10, &v), ERR_NOTFOUND);
	assert_int_equal(st->capped, 1);
	assert_int_equal(flow_stream_put(t, f, dir, 150, pat + 150, 50, &v),
	    ERR_OK);
	assert_int_equal(cur_left(&v), 256);
	assert_memory_equal(v.p, want, 256);
	/* Offsets are from the window start, which moves with use. */
	flow_consume(t, f, dir, 100);
	assert_int_equal(flow_view(t, f, dir, &v), ERR_OK);
	assert_int_equal(cur_left(&v), 156);
	assert_int_equal(flow_stream_put(t, f, dir, 156, pat + 256, 100, &v),
	    ERR_OK);
	assert_view(&v, 100, 256);
	assert_int_equal(flow_commit(t, f, dir), ERR_OK);
	flow_done(t, f, dir);
	assert_int_equal(flow_stream_put(t, f, dir, 0, pat, 10, &v),
	    ERR_NOTFOUND);
	assert_int_equal(st->gaps, 0);
	flow_free(t);
}

/* ---- randomized --------------------------------------------------------- */

static uint64_t rng;

static uint32_t
rnd(void)
{
	/* xorshift64*: deterministic for a seed, good enough to cut. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}

static size_t
rnd_below(size_t n)
{
	return n == 0 ? 0 : rnd() % n;
}

struct piece {
	size_t	 off, len;
};

#define STREAM_LEN	3000
#define MAX_PIECES	(STREAM_LEN + 64)

/*
 * Cuts [0, STREAM_LEN) into segments of min_len to min_len + spread - 1
 * bytes, adds duplicates and overlaps (with the same bytes), shuffles.
 * Returns the count.
 */
static size_t
make_pieces(struct piece *pc, size_t min_len, size_t spread)
{
	size_t n = 0, off = 0, extra, i, j;
	struct piece tmp;

	while (off < STREAM_LEN) {
		size_t len = min_len + rnd_below(spread);

		if (len > STREAM_LEN - off)
			len = STREAM_LEN - off;
		pc[n].off = off;
		pc[n++].len = len;
		off += len;
	}
	extra = rnd_below(12);
	for (i = 0; i < extra; i++) {
		if (rnd() % 2 == 0) {
			pc[n] = pc[rnd_below(n)];	/* duplicate */
		} else {
			pc[n].off = rnd_below(STREAM_LEN - 1);
			pc[n].len = 1 + rnd_below(STREAM_LEN - pc[n].off);
			if (pc[n].len > 600)
				pc[n].len = 600;
		}
		n++;
	}
	for (i = n; i-- > 1;) {
		j = rnd_below(i + 1);
		tmp = pc[i];
		pc[i] = pc[j];
		pc[j] = tmp;
	}
	return n;
}

/*
 * Sends one piece of data from its own heap block of exactly its size (so
 * ASan sees any read past it, or any use of it after flow_commit()).  The
 * caller looks at *view, then calls feed_end().
 */
static uint8_t *
feed_begin(struct flow_table *t, const uint8_t *data, uint32_t isn,
    bool syn, const struct piece *pc, struct cur *view, int *r)
{
	uint8_t *blk = malloc(pc->len);
	struct pkt p;
	enum flow_dir dir;
	bool is_new;

	assert_non_null(blk);
	memcpy(blk, data + pc->off, pc->len);
	p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK,
	    isn + (syn ? 1 : 0) + (uint32_t)pc->off, blk, pc->len);
	F = flow_get(t, &p, 0, &dir, &is_new);
	assert_int_equal(dir, FLOW_C2S);
	*r = flow_tcp_segment(t, F, dir, &p, view);
	return blk;
}

static void
feed_end(struct flow_table *t, uint8_t *blk)
{
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	free(blk);
}

static unsigned property_holes_full;

/*
 * Random order, duplicates, overlaps: the view ends as the whole stream.
 * Small segments make more holes than a window tracks; then the sender's
 * retransmission, in order, must still complete the stream.
 */
static void
run_property(uint64_t seed, bool syn, bool small)
{
	struct flow_table *t = table(4, 2, 4096);
	static uint8_t data[STREAM_LEN];
	static struct piece pc[MAX_PIECES];
	struct piece re;
	size_t n, i, len, min_off = SIZE_MAX, last_len = 0;
	uint8_t *blk;
	uint32_t isn;
	struct cur v;
	int r;

	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	for (i = 0; i < STREAM_LEN; i++)
		data[i] = (uint8_t)rnd();
	isn = rnd();
	n = small ? make_pieces(pc, 1, 40) : make_pieces(pc, 100, 400);
	if (syn) {
		syn_c(t, isn);
		min_off = 0;
	}
	for (i = 0; i < n; i++) {
		if (pc[i].off < min_off)
			min_off = pc[i].off;
		blk = feed_begin(t, data, isn, syn, &pc[i], &v, &r);
		if (r == ERR_OK) {
			/* Without a SYN the window starts at the earliest
			 * byte seen so far. */
			len = cur_left(&v);
			assert_true(min_off + len <= STREAM_LEN);
			assert_memory_equal(v.p, data + min_off, len);
			if (syn)
				assert_true(len > last_len);
			last_len = len;
		}
		feed_end(t, blk);
	}
	if (flow_stats(t)->holes_full == 0)
		assert_int_equal(last_len, STREAM_LEN);
	else {
		property_holes_full++;
		for (re.off = 0; re.off < STREAM_LEN; re.off += re.len) {
			re.len = STREAM_LEN - re.off < 500 ?
			    STREAM_LEN - re.off : 500;
			blk = feed_begin(t, data, isn, syn, &re, &v, &r);
			if (r == ERR_OK) {
				len = cur_left(&v);
				assert_memory_equal(v.p, data, len);
			}
			feed_end(t, blk);
		}
	}
	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_OK);
	assert_int_equal(cur_left(&v), STREAM_LEN);
	assert_memory_equal(v.p, data, STREAM_LEN);
	assert_int_equal(flow_stats(t)->capped, 0);
	assert_int_equal(flow_stats(t)->no_buffer, 0);
	if (!small)
		assert_int_equal(flow_stats(t)->rebased > 0,
		    !syn && pc[0].off > 0);
	assert_int_equal(flow_start_guessed(F, FLOW_C2S), !syn);
	flow_free(t);
}

/*
 * The same with a parser that uses random amounts of each view (sometimes
 * skipping past what it holds) and maybe a small window: every view must
 * be the stream from where the parser is.  Then the sender retransmits
 * from there in order, which must take the parser to the end.
 */
static void
run_property_consume(uint64_t seed, size_t window)
{
	struct flow_table *t = table(4, 2, window);
	static uint8_t data[STREAM_LEN];
	static struct piece pc[MAX_PIECES];
	struct piece re;
	size_t n, i, len, pos = 0, k;
	uint8_t *blk;
	uint32_t isn;
	struct cur v;
	int r;

	rng = seed * 0x9e3779b97f4a7c15ull + 7;
	for (i = 0; i < STREAM_LEN; i++)
		data[i] = (uint8_t)rnd();
	isn = rnd();
	n = make_pieces(pc, 100, 400);
	syn_c(t, isn);
	for (i = 0; i < n; i++) {
		blk = feed_begin(t, data, isn, true, &pc[i], &v, &r);
		if (r == ERR_OK) {
			len = cur_left(&v);
			assert_true(len <= window);
			assert_true(pos + len <= STREAM_LEN);
			assert_memory_equal(v.p, data + pos, len);
			k = rnd() % 4 == 0 ? 0 : rnd_below(len + 300);
			if (pos + k > STREAM_LEN)
				k = STREAM_LEN - pos;
			flow_consume(t, F, FLOW_C2S, k);
			pos += k;
			if (k <= len && flow_view(t, F, FLOW_C2S, &v) ==
			    ERR_OK) {
				assert_int_equal(cur_left(&v), len - k);
				assert_memory_equal(v.p, data + pos, len - k);
			}
		}
		feed_end(t, blk);
	}
	while (pos < STREAM_LEN) {
		re.off = pos;
		re.len = STREAM_LEN - pos < window ? STREAM_LEN - pos : window;
		blk = feed_begin(t, data, isn, true, &re, &v, &r);
		assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_OK);
		len = cur_left(&v);
		assert_true(len > 0 && len <= window);
		assert_true(pos + len <= STREAM_LEN);
		assert_memory_equal(v.p, data + pos, len);
		flow_consume(t, F, FLOW_C2S, len);
		pos += len;
		feed_end(t, blk);
	}
	assert_int_equal(flow_view(t, F, FLOW_C2S, &v), ERR_NOTFOUND);
	assert_int_equal(flow_stats(t)->no_buffer, 0);
	assert_int_equal(flow_stats(t)->rebased, 0);
	flow_free(t);
}

static void
test_property(void **state)
{
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 300; seed++) {
		run_property(seed, true, false);
		run_property(seed, false, false);
	}
	/* Segments of 100 bytes and more leave few holes. */
	assert_int_equal(property_holes_full, 0);
	for (seed = 1; seed <= 100; seed++) {
		run_property(seed, true, true);
		run_property(seed, false, true);
	}
	/* Those of a few bytes make too many, and were retransmitted. */
	assert_true(property_holes_full > 100);
}

static void
test_property_consume(void **state)
{
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 200; seed++) {
		run_property_consume(seed, 4096);
		run_property_consume(seed, 512);
	}
}

/*
 * The table against a model: random lookups of a few dozen flows through
 * a small table (long hash chains, removal from their middle), time moving
 * on, both protocols.  is_new, the direction and the counters must agree
 * with a plain list kept in LRU order.
 */
struct mflow {
	bool	 used;
	size_t	 key;
	int64_t	 last;
	uint64_t touched;
	bool	 client_is_first;	/* endpoint "a" of the key */
};

#define MODEL_KEYS	40
#define MODEL_SLOTS	7

static void
model_key(size_t k, bool from_a, struct pkt *p)
{
	char a[32], b[32];
	uint16_t pa = (uint16_t)(1000 + (k * 7919) % 3000);
	uint16_t pb = (uint16_t)(k % 3 == 0 ? pa : 80);

	snprintf(a, sizeof(a), "10.0.%zu.1", k % 5);
	snprintf(b, sizeof(b), "10.0.%zu.2", k / 5);
	if (from_a)
		*p = mkpkt(a, pa, b, pb, k % 2 ? 6 : 17, ACK, 0, NULL, 0);
	else
		*p = mkpkt(b, pb, a, pa, k % 2 ? 6 : 17, ACK, 0, NULL, 0);
}

static void
test_table_model(void **state)
{
	struct flow_config cfg;
	struct flow_table *t;
	struct mflow m[MODEL_SLOTS];
	uint64_t clock = 0, evicted = 0, expired = 0, created = 0;
	int64_t ts = 0;
	size_t step, i, k, oldest;
	struct pkt p;
	enum flow_dir dir;
	bool is_new, from_a, want_new;
	struct flow *f;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_flows = MODEL_SLOTS;
	cfg.n_buffers = 0;
	cfg.stream_bytes = 1024;
	cfg.tcp_idle = 40;
	cfg.udp_idle = 15;
	assert_non_null(t = flow_new(&cfg));
	memset(m, 0, sizeof(m));
	rng = 12345;
	for (step = 0; step < 20000; step++) {
		ts += rnd_below(4) == 0 ? (int64_t)rnd_below(6) : 0;
		k = rnd_below(MODEL_KEYS);
		from_a = rnd() % 2 == 0;
		model_key(k, from_a, &p);
		for (i = 0; i < MODEL_SLOTS; i++) {
			if (m[i].used && ts - m[i].last >
			    (m[i].key % 2 ? 40 : 15)) {
				m[i].used = false;
				expired++;
			}
		}
		for (i = 0; i < MODEL_SLOTS; i++)
			if (m[i].used && m[i].key == k)
				break;
		want_new = i == MODEL_SLOTS;
		if (want_new) {
			for (i = 0; i < MODEL_SLOTS && m[i].used; i++)
				;
			if (i == MODEL_SLOTS) {
				oldest = 0;
				for (i = 1; i < MODEL_SLOTS; i++)
					if (m[i].touched < m[oldest].touched)
						oldest = i;
				i = oldest;
				evicted++;
			}
			m[i].used = true;
			m[i].key = k;
			created++;
			/* Higher port is the client, the sender on a tie. */
			{
				struct pkt q;
				model_key(k, true, &q);
				m[i].client_is_first = q.sport > q.dport ||
				    (q.sport == q.dport && from_a);
			}
		}
		m[i].last = ts;
		m[i].touched = ++clock;
		f = flow_get(t, &p, ts, &dir, &is_new);
		assert_non_null(f);
		assert_int_equal(is_new, want_new);
		assert_int_equal(dir, from_a == m[i].client_is_first ?
		    FLOW_C2S : FLOW_S2C);
		if (want_new) {
			static const uint8_t zero[FLOW_APP_LEN];

			assert_memory_equal(flow_app(f), zero, FLOW_APP_LEN);
			memset(flow_app(f), (int)k, FLOW_APP_LEN);
		} else
			assert_int_equal(((uint8_t *)flow_app(f))[5], k);
		assert_int_equal(flow_stats(t)->evicted, evicted);
		assert_int_equal(flow_stats(t)->expired, expired);
		assert_int_equal(flow_stats(t)->created, created);
	}
	assert_true(evicted > 100);
	assert_true(expired > 100);
	flow_free(t);
}

/*
 * A parser at a message boundary behind a hole: one later segment is not
 * enough (it may only be reordered), two are; the window then starts at
 * the first held byte and the gap is counted.
 */
static void
test_skip_hole(void **state)
{
	struct flow_table *t = table(4, 4, 4096);
	struct cur view;

	(void)state;
	syn_c(t, 1000);
	assert_int_equal(send_c(t, 1000, 0, 100, &view), ERR_OK);
	flow_consume(t, F, FLOW_C2S, 100);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	/* Bytes 100..130 never come; 130..132 and 132..160 do. */
	assert_int_equal(send_c(t, 1000, 130, 2, &view), ERR_NOTFOUND);
	assert_int_equal(flow_skip_hole(t, F, FLOW_C2S, 2, &view),
	    ERR_NOTFOUND);
	assert_int_equal(send_c(t, 1000, 132, 28, &view), ERR_NOTFOUND);
	assert_int_equal(flow_skip_hole(t, F, FLOW_C2S, 2, &view), ERR_OK);
	assert_int_equal(cur_left(&view), 30);
	assert_memory_equal(view.p, pat + 130, 30);
	assert_int_equal(flow_stats(t)->holes_skipped, 1);
	assert_int_equal(flow_stats(t)->gaps, 1);
	/* The stream goes on from there. */
	flow_consume(t, F, FLOW_C2S, 30);
	assert_int_equal(send_c(t, 1000, 160, 10, &view), ERR_OK);
	assert_memory_equal(view.p, pat + 160, 10);
	flow_free(t);
}

/* A stream given up can start over at a later segment. */
static void
test_restart(void **state)
{
	struct flow_table *t = table(4, 4, 4096);
	struct pkt p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK | PSH, 5000,
	    pat + 200, 50);
	struct cur view;

	(void)state;
	assert_int_equal(send_c(t, 1000, 0, 100, &view), ERR_OK);
	flow_done(t, F, FLOW_C2S);
	assert_int_equal(send_c(t, 1000, 100, 10, &view), ERR_NOTFOUND);
	assert_int_equal(flow_restart(t, F, FLOW_C2S, &p, &view), ERR_OK);
	assert_int_equal(cur_left(&view), 50);
	assert_memory_equal(view.p, pat + 200, 50);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	/* The next segment continues the restarted stream. */
	p = mkpkt(CLI, CPORT, SRV, SPORT, 6, ACK | PSH, 5050, pat + 250, 10);
	assert_int_equal(flow_tcp_segment(t, F, FLOW_C2S, &p, &view), ERR_OK);
	assert_int_equal(cur_left(&view), 60);
	assert_memory_equal(view.p, pat + 200, 60);
	assert_int_equal(flow_stats(t)->restarts, 1);
	flow_free(t);
}

/* At the end of the input, held holes are counted and buffers returned. */
static void
test_flush(void **state)
{
	struct flow_table *t = table(4, 1, 4096);
	struct cur view;

	(void)state;
	syn_c(t, 1000);
	assert_int_equal(send_c(t, 1000, 0, 10, &view), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(send_c(t, 1000, 20, 10, &view), ERR_NOTFOUND);
	flow_flush(t);
	assert_int_equal(flow_stats(t)->gaps, 1);
	assert_int_equal(flow_stats(t)->active, 0);
	/* The one buffer is free again. */
	assert_int_equal(send_on(t, CPORT + 1, 7, 5, 5, 0, &view), ERR_OK);
	assert_int_equal(flow_commit(t, F, FLOW_C2S), ERR_OK);
	assert_int_equal(flow_stats(t)->no_buffer, 0);
	flow_free(t);
}

/*
 * The index under churn: a small table, flows made and evicted by the
 * thousand; each of the last max_flows made must still be found (not made
 * again), and the count evicted is all the others.  Removal moves probe
 * runs back, so this walks every case of it.
 */
static void
test_index_churn(void **state)
{
	enum { MAX = 37, N = 20000 };
	struct flow_table *t = table(MAX, 0, 0);
	struct flow *made[N];
	enum flow_dir dir;
	struct pkt p;
	bool is_new;
	unsigned i, k;
	char a[32];

	(void)state;
	for (i = 0; i < N; i++) {
		/* Few distinct addresses, ports spread: many collisions. */
		snprintf(a, sizeof(a), "10.0.%u.%u", i % 3, i % 7);
		p = mkpkt(a, (uint16_t)(1024 + i), SRV, 53, 17, 0, 0, NULL, 0);
		made[i] = flow_get(t, &p, 0, &dir, &is_new);
		assert_non_null(made[i]);
		assert_true(is_new);
		if (i % 97 != 0 || i < MAX)
			continue;
		/* The last MAX are there, in any order of asking... */
		for (k = i + 1 - MAX; k <= i; k += 5) {
			snprintf(a, sizeof(a), "10.0.%u.%u", k % 3, k % 7);
			p = mkpkt(a, (uint16_t)(1024 + k), SRV, 53, 17, 0, 0,
			    NULL, 0);
			assert_ptr_equal(flow_get(t, &p, 0, &dir, &is_new),
			    made[k]);
			assert_false(is_new);
		}
	}
	assert_int_equal(flow_stats(t)->active, MAX);
	assert_int_equal(flow_stats(t)->created, N);
	assert_int_equal(flow_stats(t)->evicted, N - MAX);
	flow_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_churn),
		cmocka_unit_test(test_new_free),
		cmocka_unit_test(test_get_both_directions),
		cmocka_unit_test(test_get_ports_and_protos),
		cmocka_unit_test(test_get_syn_dir),
		cmocka_unit_test(test_app_area),
		cmocka_unit_test(test_lru_evict),
		cmocka_unit_test(test_recent_lookups),
		cmocka_unit_test(test_lru_evict_mixed),
		cmocka_unit_test(test_idle_expiry),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_pool_steal_stalest),
		cmocka_unit_test(test_pool_evict_expire),
		cmocka_unit_test(test_no_buffers),
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_forgotten_commit),
		cmocka_unit_test(test_both_directions),
		cmocka_unit_test(test_syn_with_data),
		cmocka_unit_test(test_reverse_no_syn),
		cmocka_unit_test(test_reverse_with_syn),
		cmocka_unit_test(test_no_rebase_after_consume),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_overlap_first_wins),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_holes_full),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_consume_messages),
		cmocka_unit_test(test_consume_skip),
		cmocka_unit_test(test_trim_before_start),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_far_sequence),
		cmocka_unit_test(test_port_reuse),
		cmocka_unit_test(test_stream_put),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_property_consume),
		cmocka_unit_test(test_table_model),
		cmocka_unit_test(test_skip_hole),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_flush),
	};

	return cmocka_run_group_tests(tests, setup_pat, NULL);
}
