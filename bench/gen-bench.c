/* gen-bench.c - benchmark captures (pcap; RFC 791, 8200, 9293, 768, 1035,
 * 8446 4.1.2, 9112). */

/*
 * gen-bench DIR [SCALE [NAME...]] writes the captures `make bench` measures
 * into DIR (never inside the repository: they are large), each with
 * NAME.truth, the list of every Kaspersky name put in, and NAME.stamp.  A
 * file whose stamp names the same generator version and scale is kept, so
 * a second `make bench` does not write gigabytes again.  SCALE (default 1)
 * multiplies the number of conversations; NAMEs pick files (default all).
 *
 * gen-bench head N IN OUT copies the first N packets of a capture this tool
 * wrote (the slow tools are timed on such a prefix).
 *
 * Deterministic: each file has its own fixed PRNG seed and its own packet
 * clock starting at 2024-10-01T00:00:00Z; no wall clock, no hash order.
 * Classic pcap, little-endian, microseconds, Ethernet.  IPv4 header, TCP
 * and UDP checksums are correct; TCP sequence and acknowledgement numbers
 * are consistent per connection.
 *
 * Conversations are dealt from a deck (exactly COUNT x SCALE of each kind,
 * in random order) into a fixed number of slots, and a random slot sends its
 * next packet: so conversations overlap as on a real link.  What they are:
 *
 * mix        ~2.1 M packets, ~1.6 GB at scale 1.  TCP bulk in both
 *	directions (1514-byte frames, ACKs, handshakes, FIN or RST) under
 *	TLS, HTTP and other sessions; ~114 k DNS messages over UDP and a few
 *	over TCP; ~9 k TLS ClientHellos, ~1.7 k of them split over two
 *	segments (half of those post-quantum sized, ~1.8 KB, with an
 *	X25519MLKEM768 key share); HTTP keep-alive requests with Host; proxy
 *	requests in absolute form and CONNECT tunnels carrying a ClientHello.
 *	~14 % of conversations on an 802.1Q VLAN, ~6 % on QinQ, 20 % IPv6.
 * dns-heavy  ~3.5 M packets, ~640 MB: the link between an ISP's customers
 *	and its resolvers.  DNS over UDP (A, AAAA, HTTPS; CNAME chains, up
 *	to 16 addresses, NS records, NXDOMAIN, unanswered queries, responses
 *	whose query is not in the capture), a little DNS over TCP
 *	(pipelined, a response over two segments); 40 % of the names never
 *	seen before.
 * flood      ~5 M packets, ~680 MB: 4.3 M distinct flows from random
 *	addresses and ports (lone SYNs, short payloads on TCP and UDP), 2 M
 *	DNS queries for names never seen before (a quarter answered), a few
 *	thousand ClientHellos and requests after a lone SYN: memory must
 *	stay bounded by kasaudit's caps.
 *
 * About one name in a thousand is a Kaspersky one, spread over DNS, TCP DNS,
 * TLS SNI, HTTP Host, absolute-form URIs and CONNECT, and for each kind
 * cycled through IPv4/IPv6, plain/VLAN/QinQ and (TLS) whole, split and
 * post-quantum ClientHellos, so every path is in the truth at any scale.
 * NAME.truth has one line per observation kasaudit must report:
 *	kind TAB name TAB client TAB frame TAB where
 * (kind as in kasaudit's events; name lower case; client the address that
 * asked; frame the first packet carrying it; where how it was carried),
 * then `# key value` lines counting what was put in.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GEN_VERSION	"1"
#define T0		1727740800ULL	/* 2024-10-01T00:00:00Z */
#define FRAME_MAX	2048
#define POOL_LEN	(1u << 20)	/* random bytes payloads are cut from */
#define SBUF_LEN	8192		/* a session's message bytes */
#define MAX_MSGS	12
#define MAX_NAMES	4
#define NAME_LEN	256
#define ETH_FRAME	1514		/* a full-size untagged frame */

#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PSH		0x08
#define TH_ACK		0x10

enum stype {			/* kinds of conversation */
	S_DNS,			/* a DNS exchange over UDP */
	S_DNS_TCP,		/* DNS over TCP, maybe pipelined */
	S_TLS,			/* ClientHello, server flight, bulk */
	S_HTTP,			/* keep-alive requests with Host */
	S_URI,			/* absolute-form requests to a proxy */
	S_CONNECT,		/* CONNECT, then TLS in the tunnel */
	S_BULK,			/* SSH or unknown protocol, bulk */
	S_F_SYN,		/* flood: a lone SYN */
	S_F_DATA,		/* flood: a short TCP payload */
	S_F_UDP,		/* flood: a short UDP datagram */
	S_F_DNS,		/* flood: a query for a new name */
	S_F_TLS,		/* flood: SYN, then a ClientHello */
	S_F_HTTP,		/* flood: SYN, then a request */
	N_STYPES
};

enum nkind {			/* where a name is put */
	NK_DNS, NK_TCPDNS, NK_SNI, NK_HOST, NK_URI, NK_CONNECT, N_NKINDS
};

enum what {			/* what a message is, for the counts */
	W_NONE, W_DNSQ, W_DNSR, W_HELLO, W_REQ, W_N
};

static const char *const count_names[] = {
	"dns_queries_udp", "dns_responses_udp", "dns_queries_tcp",
	"dns_responses_tcp", "tls_hellos", "tls_hellos_split",
	"tls_hellos_pq", "http_requests", "http_absolute_uri",
	"http_connect", "tcp_connections", "udp_flows", "vlan_conversations",
	"qinq_conversations", "ipv6_conversations", "kaspersky_names",
	"truth_lines"
};
enum {
	C_DNSQ_U, C_DNSR_U, C_DNSQ_T, C_DNSR_T, C_HELLO, C_SPLIT, C_PQ,
	C_REQ, C_URI, C_CONNECT, C_TCP, C_UDP, C_VLAN, C_QINQ, C_V6, C_KAS,
	C_TRUTH, N_COUNTS
};

struct plan {
	const char	*name;
	uint64_t	 seed;
	uint32_t	 slots;		/* conversations open at once */
	uint32_t	 gap_us;	/* mean time between packets */
	uint8_t		 net[2];	/* clients' 10.1/16, 100.64/10... */
	uint32_t	 n_clients;	/* 0: random addresses (flood) */
	uint32_t	 n_popular;	/* names most look-ups go to */
	uint32_t	 pct_new;	/* % of names never seen before */
	uint32_t	 body_k;	/* bulk: up to 2^body_k segments */
	uint32_t	 count[N_STYPES];	/* conversations at scale 1 */
	uint32_t	 kas_every[N_NKINDS];	/* 1 name in this many */
};

static const struct plan plans[] = {
	{ .name = "mix", .seed = 0x6d6978, .slots = 256, .gap_us = 30,
	  .net = { 10, 1 }, .n_clients = 8000, .n_popular = 20000,
	  .pct_new = 5, .body_k = 9,
	  .count = { [S_DNS] = 56400, [S_DNS_TCP] = 400, [S_TLS] = 8700,
	    [S_HTTP] = 4000, [S_URI] = 400, [S_CONNECT] = 300,
	    [S_BULK] = 3900 },
	  .kas_every = { [NK_DNS] = 1000, [NK_TCPDNS] = 100,
	    [NK_SNI] = 1000, [NK_HOST] = 500, [NK_URI] = 100,
	    [NK_CONNECT] = 50 } },
	{ .name = "dns-heavy", .seed = 0x646e73, .slots = 64, .gap_us = 8,
	  .net = { 100, 64 }, .n_clients = 65000, .n_popular = 200000,
	  .pct_new = 40, .body_k = 0,
	  .count = { [S_DNS] = 1735000, [S_DNS_TCP] = 3000 },
	  .kas_every = { [NK_DNS] = 1000, [NK_TCPDNS] = 100 } },
	{ .name = "flood", .seed = 0x666c6f, .slots = 64, .gap_us = 2,
	  .net = { 0, 0 }, .n_clients = 0, .n_popular = 0,
	  .pct_new = 100, .body_k = 0,
	  .count = { [S_F_SYN] = 1000000, [S_F_DATA] = 800000,
	    [S_F_UDP] = 500000, [S_F_DNS] = 2000000, [S_F_TLS] = 2000,
	    [S_F_HTTP] = 2000 },
	  .kas_every = { [NK_DNS] = 1000, [NK_SNI] = 20, [NK_HOST] = 20 } },
};
#define N_PLANS	(sizeof(plans) / sizeof(plans[0]))

/* Which name kind a conversation type starts with (for the Kaspersky
 * pacing at small scales). */
static const int type_nkind[N_STYPES] = {
	[S_DNS] = NK_DNS, [S_DNS_TCP] = NK_TCPDNS, [S_TLS] = NK_SNI,
	[S_HTTP] = NK_HOST, [S_URI] = NK_URI, [S_CONNECT] = NK_CONNECT,
	[S_BULK] = -1, [S_F_SYN] = -1, [S_F_DATA] = -1, [S_F_UDP] = -1,
	[S_F_DNS] = NK_DNS, [S_F_TLS] = NK_SNI, [S_F_HTTP] = NK_HOST,
};

/* Names as Kaspersky products and sites use them (signatures/). */
static const char *const kas_names[] = {
	"s00.upd.kaspersky.com", "s03.upd.kaspersky.com",
	"s10.upd.kaspersky.com", "s17.upd.kaspersky.com",
	"p05.upd.kaspersky.com", "downloads.upd.kaspersky.com",
	"dnl-07.geo.kaspersky.com", "cm.k.kaspersky-labs.com",
	"dc1.ksn.kaspersky-labs.com", "ksn-url-geo.kaspersky-labs.com",
	"ksn-verdict-geo.kaspersky-labs.com",
	"ksn-file-geo.kaspersky-labs.com", "ksn-stat-geo.kaspersky-labs.com",
	"activation-v2.kaspersky.com", "activate.activation-v2.kaspersky.com",
	"touch.kaspersky.com", "crl.kaspersky.com", "ksc.kaspersky.com",
	"www.kaspersky.com", "support.kaspersky.com", "click.kaspersky.com",
	"my.kaspersky.com", "downloads4.kaspersky-labs.com",
	"edge.geo.kaspersky.com",
};
#define N_KAS	(sizeof(kas_names) / sizeof(kas_names[0]))

/* Ordinary words for ordinary names: none of them, nor two of them
 * joined, is part of a Kaspersky signature. */
static const char *const words[] = {
	"apple", "river", "stone", "cloud", "north", "green", "pixel", "metro",
	"orbit", "delta", "sigma", "nova", "atlas", "cedar", "maple", "ocean",
	"piano", "quartz", "rapid", "solar", "tiger", "ultra", "vivid",
	"wave", "yellow", "zebra", "amber", "bison", "coral", "dune",
	"ember", "fjord", "glade", "harbor", "iris", "jade", "koala", "lotus",
	"mango", "nectar", "olive", "pearl", "quill", "raven", "sable",
	"tulip", "umber", "velvet", "willow", "xenon", "yarrow", "zinnia",
	"alpine", "breeze", "canyon", "dawn", "echo", "falcon", "garnet",
	"hazel", "indigo", "juniper", "kite", "lagoon", "meadow", "nimbus",
	"onyx", "prairie", "quest", "ridge", "summit", "thistle", "upland",
	"vertex", "wren", "yonder", "zephyr", "anchor", "beacon", "compass",
	"drift", "ferry", "globe", "horizon", "island", "jetty", "keel",
	"lantern", "mariner", "nautic", "oar", "pilot", "quay", "rudder",
	"sail", "tide", "voyage", "wharf", "cart", "shop", "news", "mail",
	"video", "music", "photo", "cdn", "static", "assets", "img", "api",
	"auth", "login", "edge", "media", "stream", "play", "search", "maps",
	"store", "cloudfront", "akam", "fastly", "tracker", "stats",
	"metrics", "ads", "pay", "bank", "wiki", "docs", "blog", "forum",
	"chat", "games", "sport", "weather", "travel", "food", "health",
	"auto", "home", "tech", "code", "data", "net", "web", "app", "my",
	"go", "get", "the", "best", "top", "one", "big", "blue", "red",
};
#define N_WORDS	(sizeof(words) / sizeof(words[0]))

static const char *const tlds[] = {
	"com", "com", "com", "com", "net", "net", "org", "io", "de", "fr",
	"co.uk", "nl", "it", "es", "jp", "ru", "br", "info", "tv", "me",
};
#define N_TLDS	(sizeof(tlds) / sizeof(tlds[0]))

static const char *const agents[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
	    "Firefox/128.0",
	"curl/7.88.1",
	"Microsoft-CryptoAPI/10.0",
};
#define N_AGENTS	(sizeof(agents) / sizeof(agents[0]))

/* Server-side first octets: public unicast, outside every address range in
 * signatures/kaspersky.sigs. */
static const uint8_t srv_octet[] = {
	13, 20, 23, 34, 35, 40, 52, 54, 64, 66, 69, 74, 98, 99, 104, 108,
	140, 142, 151, 157, 162, 199, 204, 205, 208, 209, 216,
};

struct conn {
	uint8_t		 mac_c[6], mac_s[6];
	uint8_t		 ip_c[16], ip_s[16];
	uint16_t	 port_c, port_s;
	uint16_t	 vid[2];
	uint8_t		 n_vlan;	/* 0, 1 (802.1Q) or 2 (QinQ) */
	bool		 v6;
	bool		 udp;
	uint32_t	 seq[2];	/* next sequence number per direction */
};

struct truth {
	uint8_t		 kind;		/* index into truth_kinds */
	uint8_t		 name;		/* index into sess.name */
};

static const char *const truth_kinds[] = {
	"dns-query", "dns-answer", "tls-sni", "http-host", "http-uri",
	"http-connect",
};
enum { TK_DNSQ, TK_DNSA, TK_SNI, TK_HOST, TK_URI, TK_CONNECT };

struct msg {
	uint32_t	 off;		/* header bytes: at sess.buf + off */
	uint32_t	 hlen;		/* header bytes, then pool bytes */
	uint32_t	 len;
	uint32_t	 first;		/* length of the first segment, or 0 */
	uint8_t		 dir;		/* 0: client to server */
	uint8_t		 what;		/* enum what */
	uint8_t		 n_what;
	uint8_t		 n_truth;
	struct truth	 truth[3];
	const char	*where;		/* extra words for the truth */
};

enum phase { PH_SYN, PH_SYNACK, PH_ACK, PH_DATA, PH_FIN1, PH_FIN2,
	PH_FIN3, PH_RST, PH_DONE };

struct sess {
	int		 type;
	struct conn	 c;
	int		 phase;
	bool		 syn_only;	/* only the SYN of the handshake */
	int		 close;		/* 0 none, 1 FIN, 2 RST */
	bool		 ack_due;
	uint8_t		 ack_dir;
	uint32_t	 ack_pct;	/* % of data segments ACKed at once */
	uint8_t		 n_msgs, i_msg;
	uint32_t	 off;		/* into the current message */
	struct msg	 m[MAX_MSGS];
	char		 name[MAX_NAMES][NAME_LEN];
	uint32_t	 buf_len;
	uint8_t		 buf[SBUF_LEN];
};

struct gen {
	const struct plan *p;
	FILE		*fp;
	FILE		*truth;
	uint64_t	 rs;		/* PRNG state */
	uint64_t	 t_us;		/* packet clock */
	uint64_t	 n_pkts, n_bytes;
	uint16_t	 ip_id;
	uint64_t	 n[N_COUNTS];
	uint32_t	 kas_every[N_NKINDS];
	uint32_t	 kas_ctr[N_NKINDS];
	uint32_t	 kas_n[N_NKINDS];	/* Kaspersky names so far */
	uint64_t	 left[N_STYPES];	/* the deck */
	uint64_t	 n_left;
	uint8_t		*pool;
	uint8_t		 frame[FRAME_MAX];
};

static void
die(const char *what)
{
	fprintf(stderr, "gen-bench: %s: %s\n", what,
	    errno ? strerror(errno) : "failed");
	exit(1);
}

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t
rnd64(struct gen *g)
{
	uint64_t z = (g->rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t
rnd(struct gen *g, uint32_t n)
{
	return (uint32_t)(((rnd64(g) >> 32) * n) >> 32);
}

static bool
chance(struct gen *g, uint32_t pct)
{
	return rnd(g, 100) < pct;
}

static uint32_t
hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * RFC 1071 sum in the machine's byte order: the folded complement stored in
 * that same order is right on either endianness, so no swapping per word.
 * Parts summed separately must each start at an even offset.
 */
static uint64_t
csum_add(uint64_t acc, const uint8_t *p, size_t n)
{
	uint32_t w;
	uint16_t h;
	uint8_t last[2] = { 0, 0 };

	for (; n >= 4; n -= 4, p += 4) {
		memcpy(&w, p, 4);
		acc += w;
	}
	if (n >= 2) {
		memcpy(&h, p, 2);
		acc += h;
		p += 2;
		n -= 2;
	}
	if (n == 1) {
		last[0] = p[0];
		memcpy(&h, last, 2);
		acc += h;
	}
	return acc;
}

static uint16_t
csum_fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* Where the payload of a packet of c goes in g->frame. */
static size_t
hdr_len(const struct conn *c, uint8_t flags)
{
	return 14 + 4 * (size_t)c->n_vlan + (c->v6 ? 40 : 20) +
	    (c->udp ? 8 : (flags & TH_SYN) ? 24 : 20);
}

static uint8_t *
pkt_data(struct gen *g, const struct conn *c, uint8_t flags)
{
	return g->frame + hdr_len(c, flags);
}

/*
 * Sends one packet of c from direction dir (0: client to server) whose len
 * payload bytes the caller put at pkt_data(); advances that direction's
 * sequence number.
 */
static void
pkt_send(struct gen *g, struct conn *c, int dir, uint8_t flags, size_t len)
{
	uint8_t *f = g->frame, rec[16], ph[40];
	const uint8_t *src = dir ? c->ip_s : c->ip_c;
	const uint8_t *dst = dir ? c->ip_c : c->ip_s;
	size_t l3 = 14 + 4 * (size_t)c->n_vlan, l4, ip_len, seg_len, caplen;
	size_t alen = c->v6 ? 16 : 4;
	uint64_t acc;
	uint16_t ck;
	uint8_t proto = c->udp ? 17 : 6;

	memcpy(f, dir ? c->mac_c : c->mac_s, 6);
	memcpy(f + 6, dir ? c->mac_s : c->mac_c, 6);
	if (c->n_vlan == 2) {
		put16(f + 12, 0x88a8);
		put16(f + 14, c->vid[0]);
		put16(f + 16, 0x8100);
		put16(f + 18, c->vid[1]);
	} else if (c->n_vlan == 1) {
		put16(f + 12, 0x8100);
		put16(f + 14, c->vid[1]);
	}
	put16(f + l3 - 2, c->v6 ? 0x86dd : 0x0800);
	l4 = l3 + (c->v6 ? 40 : 20);
	seg_len = (c->udp ? 8 : (flags & TH_SYN) ? 24 : 20) + len;

	if (c->udp) {
		put16(f + l4, dir ? c->port_s : c->port_c);
		put16(f + l4 + 2, dir ? c->port_c : c->port_s);
		put16(f + l4 + 4, (uint32_t)seg_len);
		put16(f + l4 + 6, 0);
	} else {
		put16(f + l4, dir ? c->port_s : c->port_c);
		put16(f + l4 + 2, dir ? c->port_c : c->port_s);
		put32(f + l4 + 4, c->seq[dir]);
		put32(f + l4 + 8, (flags & TH_ACK) ? c->seq[!dir] : 0);
		f[l4 + 12] = (flags & TH_SYN) ? 0x60 : 0x50;
		f[l4 + 13] = flags;
		put16(f + l4 + 14, dir ? 501 : 64240);
		put32(f + l4 + 16, 0);		/* checksum, urgent */
		if (flags & TH_SYN)		/* MSS option */
			put32(f + l4 + 20, 0x02040000u |
			    (c->v6 ? 1440u : 1460u));
		c->seq[dir] += (uint32_t)len + ((flags & TH_SYN) ? 1 : 0) +
		    ((flags & TH_FIN) ? 1 : 0);
	}

	if (c->v6) {
		put32(f + l3, 0x60000000u);
		put16(f + l3 + 4, (uint32_t)seg_len);
		f[l3 + 6] = proto;
		f[l3 + 7] = dir ? 54 : 64;
		memcpy(f + l3 + 8, src, 16);
		memcpy(f + l3 + 24, dst, 16);
		ip_len = 40 + seg_len;
	} else {
		ip_len = 20 + seg_len;
		f[l3] = 0x45;
		f[l3 + 1] = 0;
		put16(f + l3 + 2, (uint32_t)ip_len);
		put16(f + l3 + 4, g->ip_id++);
		put16(f + l3 + 6, 0x4000);	/* DF */
		f[l3 + 8] = dir ? 52 : 64;
		f[l3 + 9] = proto;
		put16(f + l3 + 10, 0);
		memcpy(f + l3 + 12, src, 4);
		memcpy(f + l3 + 16, dst, 4);
		ck = csum_fold(csum_add(0, f + l3, 20));
		memcpy(f + l3 + 10, &ck, 2);
	}

	/* Pseudo-header: addresses, zero, protocol, length (RFC 9293 3.1,
	 * RFC 8200 8.1). */
	memcpy(ph, src, alen);
	memcpy(ph + alen, dst, alen);
	acc = csum_add(0, ph, 2 * alen);
	memset(ph, 0, 8);
	put32(ph, (uint32_t)seg_len);
	ph[7] = proto;
	acc = csum_add(acc, ph, 8);
	acc = csum_add(acc, f + l4, seg_len);
	ck = csum_fold(acc);
	if (c->udp && ck == 0)
		ck = 0xffff;
	memcpy(f + l4 + (c->udp ? 6 : 16), &ck, 2);

	caplen = l3 + ip_len;
	g->t_us += 1 + rnd(g, 2 * g->p->gap_us);
	put32le(rec, (uint32_t)(T0 + g->t_us / 1000000));
	put32le(rec + 4, (uint32_t)(g->t_us % 1000000));
	put32le(rec + 8, (uint32_t)caplen);
	put32le(rec + 12, (uint32_t)caplen);
	if (fwrite(rec, 16, 1, g->fp) != 1 ||
	    fwrite(f, caplen, 1, g->fp) != 1)
		die("write");
	g->n_pkts++;
	g->n_bytes += 16 + caplen;
}

/* ---- names ------------------------------------------------------------ */

static const char *
word(uint32_t i)
{
	return words[i % N_WORDS];
}

/* The i-th of the popular names: the same i always gives the same name. */
static void
name_popular(char *out, uint32_t i)
{
	uint32_t h = hash32(i), h2 = hash32(i ^ 0x5bd1e995u);

	switch (h % 6) {
	case 0:
		snprintf(out, NAME_LEN, "www.%s%s.%s", word(h >> 8),
		    word(h2), tlds[(h >> 20) % N_TLDS]);
		break;
	case 1:
		snprintf(out, NAME_LEN, "%s.%s-%s.%s", word(h >> 8),
		    word(h2), word(h2 >> 12), tlds[(h >> 20) % N_TLDS]);
		break;
	case 2:
		snprintf(out, NAME_LEN, "%s%u.%s.%s.net", word(h >> 8),
		    (h2 >> 4) % 100, word(h2 >> 12), word(h >> 20));
		break;
	case 3:
		snprintf(out, NAME_LEN, "%s-%s.%s", word(h >> 8), word(h2),
		    tlds[(h >> 20) % N_TLDS]);
		break;
	case 4:
		snprintf(out, NAME_LEN, "%s.%s.%s.%s", word(h >> 4),
		    word(h >> 12), word(h2), tlds[(h >> 24) % N_TLDS]);
		break;
	default:
		snprintf(out, NAME_LEN, "%s%s.%s", word(h >> 8), word(h2),
		    tlds[(h >> 20) % N_TLDS]);
		break;
	}
}

/* A name nobody asked for before (random label under a known domain). */
static void
name_new(struct gen *g, char *out)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char label[24];
	uint32_t n = 6 + rnd(g, 12), i;

	for (i = 0; i < n; i++)
		label[i] = alpha[rnd(g, 36)];
	label[n] = '\0';
	snprintf(out, NAME_LEN, "%s.%s%s.%s", label, word(rnd(g, N_WORDS)),
	    word(rnd(g, N_WORDS)), tlds[rnd(g, N_TLDS)]);
}

static void
name_ordinary(struct gen *g, char *out)
{
	uint32_t r;

	if (g->p->n_popular == 0 || chance(g, g->p->pct_new)) {
		name_new(g, out);
		return;
	}
	/* Skewed to the first names, as look-ups are. */
	r = rnd(g, g->p->n_popular);
	name_popular(out, rnd(g, r + 1));
}

/* Whether the next name of kind nk is a Kaspersky one: one in every
 * kas_every[nk], at fixed positions of the kind's own counter. */
static bool
kas_turn(struct gen *g, int nk)
{
	uint32_t every = g->kas_every[nk], c;

	if (nk < 0 || every == 0)
		return false;
	c = g->kas_ctr[nk]++;
	return c % every == every / 2;
}

/* Puts name number i of s: a Kaspersky one on its turn.  Returns whether
 * it is, and then the how-manyth of its kind it is in *k. */
static bool
sess_name(struct gen *g, struct sess *s, int i, int nk, uint32_t *k)
{
	if (kas_turn(g, nk)) {
		*k = g->kas_n[nk]++;
		snprintf(s->name[i], NAME_LEN, "%s",
		    kas_names[rnd(g, N_KAS)]);
		g->n[C_KAS]++;
		return true;
	}
	name_ordinary(g, s->name[i]);
	return false;
}

/* ---- conversations ---------------------------------------------------- */

static void
addr_client(struct gen *g, struct conn *c, uint32_t i)
{
	uint32_t d = 1 + i % 250, rest = i / 250;

	c->mac_c[0] = 0x02;
	put32(c->mac_c + 1, hash32(i + 1));
	c->mac_c[5] = (uint8_t)i;
	if (c->v6) {
		memset(c->ip_c, 0, 16);
		put32(c->ip_c, 0x20010db8u);
		put16(c->ip_c + 4, g->p->net[1]);
		put16(c->ip_c + 6, rest);
		put32(c->ip_c + 12, hash32(i) | 1);
	} else {
		c->ip_c[0] = g->p->net[0];
		c->ip_c[1] = (uint8_t)(g->p->net[1] + (rest >> 8));
		c->ip_c[2] = (uint8_t)rest;
		c->ip_c[3] = (uint8_t)d;
	}
}

static void
addr_server(struct conn *c, uint32_t i)
{
	uint32_t h = hash32(i * 2654435761u + 7);

	if (c->v6) {
		memset(c->ip_s, 0, 16);
		put32(c->ip_s, (h & 1) ? 0x2a001450u : 0x26064700u);
		put32(c->ip_s + 4, h >> 8);
		put32(c->ip_s + 12, hash32(h) | 1);
	} else {
		c->ip_s[0] = srv_octet[h % sizeof(srv_octet)];
		put16(c->ip_s + 1, h >> 8);
		c->ip_s[3] = (uint8_t)(1 + (h >> 24) % 254);
	}
}

/* A resolver: the ISP's or the office's, now and then a public one. */
static void
addr_resolver(struct gen *g, struct conn *c)
{
	static const uint8_t pub4[][4] = {
		{ 9, 9, 9, 9 }, { 8, 8, 8, 8 }, { 1, 1, 1, 1 },
	};
	uint32_t r = rnd(g, 100);

	if (c->v6) {
		memset(c->ip_s, 0, 16);
		put32(c->ip_s, 0x20010db8u);
		put16(c->ip_s + 4, 0xffff);
		c->ip_s[15] = (uint8_t)(0x53 + r % 2);
	} else if (r < 88 || g->p->n_clients > 10000) {
		c->ip_s[0] = g->p->net[0];
		c->ip_s[1] = (uint8_t)(g->p->net[1] + 1);
		c->ip_s[2] = 255;
		c->ip_s[3] = (uint8_t)(53 + r % 2);
	} else {
		memcpy(c->ip_s, pub4[r % 3], 4);
	}
}

static void
rnd_bytes(struct gen *g, uint8_t *p, size_t n)
{
	uint64_t r;
	size_t k;

	while (n > 0) {
		r = rnd64(g);
		k = n < 8 ? n : 8;
		memcpy(p, &r, k);
		p += k;
		n -= k;
	}
}

/* A random address outside every Kaspersky range (flood). */
static void
addr_random(struct gen *g, uint8_t *ip, bool v6)
{
	if (v6) {
		put32(ip, 0x20010db8u);
		rnd_bytes(g, ip + 4, 12);
	} else {
		ip[0] = srv_octet[rnd(g, sizeof(srv_octet))];
		rnd_bytes(g, ip + 1, 3);
	}
}

/*
 * Link and network layer of a new conversation: a Kaspersky one (kas, the
 * k-th of its kind) cycles through IPv4/IPv6 x plain/VLAN/QinQ, the others
 * draw them.
 */
static void
conn_new(struct gen *g, struct conn *c, bool udp, bool kas, uint32_t k)
{
	const struct plan *p = g->p;
	uint32_t ci, r;

	memset(c, 0, sizeof(*c));
	c->udp = udp;
	if (kas) {
		c->v6 = k % 2 == 1;
		c->n_vlan = (uint8_t)(k % 3);
	} else {
		c->v6 = chance(g, p->n_clients ? 20 : 10);
		r = rnd(g, 100);
		c->n_vlan = r < 6 ? 2 : r < 20 ? 1 : 0;
	}
	if (p->n_clients) {
		ci = rnd(g, p->n_clients);
		addr_client(g, c, ci);
		addr_server(c, rnd(g, 30000));
		c->vid[0] = (uint16_t)(100 + ci % 8);
		c->vid[1] = (uint16_t)(10 + ci % 64);
	} else {
		addr_random(g, c->ip_c, c->v6);
		addr_random(g, c->ip_s, c->v6);
		rnd_bytes(g, c->mac_c, 6);
		c->mac_c[0] = 0x02;
		c->vid[0] = (uint16_t)(100 + rnd(g, 8));
		c->vid[1] = (uint16_t)(10 + rnd(g, 64));
	}
	memcpy(c->mac_s, "\x00\x00\x5e\x00\x01\x01", 6);
	c->port_c = (uint16_t)(32768 + rnd(g, 28232));
	c->seq[0] = (uint32_t)rnd64(g);
	c->seq[1] = (uint32_t)rnd64(g);
	g->n[udp ? C_UDP : C_TCP]++;
	if (c->n_vlan == 1)
		g->n[C_VLAN]++;
	if (c->n_vlan == 2)
		g->n[C_QINQ]++;
	if (c->v6)
		g->n[C_V6]++;
}

static uint32_t
mss(const struct conn *c)
{
	return ETH_FRAME - 14 - (c->v6 ? 40 : 20) - 20;
}

/* Appends a message whose first hlen bytes are at s->buf + s->buf_len (the
 * caller wrote them there) and whose other len - hlen come from the pool. */
static struct msg *
msg_add(struct sess *s, int dir, uint32_t hlen, uint32_t len, int what,
    int n_what)
{
	struct msg *m = &s->m[s->n_msgs++];

	memset(m, 0, sizeof(*m));
	m->off = s->buf_len;
	m->hlen = hlen;
	m->len = len < hlen ? hlen : len;
	m->dir = (uint8_t)dir;
	m->what = (uint8_t)what;
	m->n_what = (uint8_t)n_what;
	s->buf_len += hlen;
	return m;
}

static void
msg_truth(struct msg *m, int kind, int name)
{
	m->truth[m->n_truth].kind = (uint8_t)kind;
	m->truth[m->n_truth].name = (uint8_t)name;
	m->n_truth++;
}

static uint8_t *
sbuf(struct sess *s)
{
	return s->buf + s->buf_len;
}

/* Segments of bulk data: log-uniform up to 2^body_k, so most transfers are
 * short and a few carry most of the bytes. */
static uint32_t
body_segs(struct gen *g)
{
	uint32_t k = rnd(g, g->p->body_k + 1);

	return rnd(g, 1u << k) + (k > 0);
}

/* DNS (RFC 1035 4.1): returns the bytes written at p. */
static size_t
dns_name(uint8_t *p, const char *name)
{
	size_t n = 0, len;
	const char *dot;

	while (*name != '\0') {
		dot = strchr(name, '.');
		len = dot ? (size_t)(dot - name) : strlen(name);
		p[n++] = (uint8_t)len;
		memcpy(p + n, name, len);
		n += len;
		name += len;
		if (*name == '.')
			name++;
	}
	p[n++] = 0;
	return n;
}

/* Random 0x20 mixed case, as some resolvers send (kasaudit folds it). */
static void
mix_case(struct gen *g, uint8_t *p, size_t n)
{
	uint64_t r = rnd64(g);
	size_t i;

	for (i = 0; i < n; i++, r = r >> 1 | r << 63)
		if (p[i] >= 'a' && p[i] <= 'z' && (r & 1))
			p[i] = (uint8_t)(p[i] - 32);
}

struct dnsq {
	const char	*name;
	uint16_t	 id;
	uint16_t	 qtype;		/* 1 A, 28 AAAA, 65 HTTPS */
	bool		 edns;
	bool		 mixcase;
	bool		 nx;
	uint32_t	 n_ans;		/* addresses in the answer */
	uint32_t	 n_cname;	/* CNAMEs before them */
	bool		 ns;		/* two NS records in the authority */
};

static void
dnsq_draw(struct gen *g, struct dnsq *q, const char *name, bool kas)
{
	uint32_t r = rnd(g, 100);

	memset(q, 0, sizeof(*q));
	q->name = name;
	q->id = (uint16_t)rnd(g, 65536);
	q->qtype = r < 60 ? 1 : r < 90 ? 28 : 65;
	q->edns = chance(g, 70);
	q->mixcase = kas && chance(g, 25);
	q->nx = !kas && chance(g, 4);
	r = rnd(g, 100);
	q->n_ans = q->qtype == 65 ? 1 : r < 25 ? 1 : r < 45 ? 2 :
	    r < 70 ? 4 : r < 90 ? 8 : 16;
	r = rnd(g, 100);
	q->n_cname = kas || q->qtype == 65 ? 0 : r < 50 ? 0 : r < 75 ? 1 : 2;
	q->ns = chance(g, 65);
}

static size_t
dns_edns(uint8_t *p)
{
	memcpy(p, "\x00\x00\x29\x10\x00\x00\x00\x00\x00\x00\x00", 11);
	return 11;
}

static size_t
dns_query(struct gen *g, uint8_t *p, const struct dnsq *q)
{
	size_t n = 12, qn;

	put16(p, q->id);
	put16(p + 2, 0x0100);
	put16(p + 4, 1);
	put16(p + 6, 0);
	put16(p + 8, 0);
	put16(p + 10, q->edns);
	qn = dns_name(p + n, q->name);
	if (q->mixcase)
		mix_case(g, p + n, qn);
	n += qn;
	put16(p + n, q->qtype);
	put16(p + n + 2, 1);
	n += 4;
	if (q->edns)
		n += dns_edns(p + n);
	return n;
}

/* A resource record's fixed part, its owner a compression pointer. */
static size_t
dns_rr(uint8_t *p, size_t owner, uint32_t type, uint32_t ttl, size_t rdlen)
{
	put16(p, 0xc000 | (uint32_t)owner);
	put16(p + 2, type);
	put16(p + 4, 1);
	put32(p + 6, ttl);
	put16(p + 10, (uint32_t)rdlen);
	return 12;
}

static size_t
dns_response(struct gen *g, uint8_t *p, const struct dnsq *q)
{
	char target[NAME_LEN];
	size_t n, owner = 12, tn, al, parent;
	uint32_t i, n_an = 0, ttl = 60 + rnd(g, 3600);

	n = dns_query(g, p, q);
	if (q->edns)
		n -= 11;
	parent = 12 + 1 + p[12];		/* the question's parent */
	put16(p + 2, q->nx ? 0x8183 : 0x8180);
	for (i = 0; !q->nx && i < q->n_cname; i++) {
		snprintf(target, sizeof(target), "%s%u.%s%s.net",
		    word(rnd(g, N_WORDS)), rnd(g, 100), word(rnd(g, N_WORDS)),
		    i == 0 ? "-cdn" : "edge");
		tn = dns_name(p + n + 12, target);
		n += dns_rr(p + n, owner, 5, ttl, tn);
		owner = n;
		n += tn;
		n_an++;
	}
	for (i = 0; !q->nx && q->qtype == 65 && i < q->n_ans; i++) {
		/* RFC 9460: priority 1, target ".", alpn h2,h3, ipv4hint,
		 * ipv6hint. */
		n += dns_rr(p + n, owner, 65, ttl, 45);
		memcpy(p + n, "\x00\x01\x00\x00\x01\x00\x06\x02h2\x02h3"
		    "\x00\x04\x00\x08", 17);
		rnd_bytes(g, p + n + 17, 8);
		memcpy(p + n + 25, "\x00\x06\x00\x10", 4);
		put32(p + n + 29, 0x2a001450u);
		rnd_bytes(g, p + n + 33, 12);
		n += 45;
		n_an++;
	}
	for (i = 0; !q->nx && q->qtype != 65 && i < q->n_ans; i++) {
		al = q->qtype == 28 ? 16 : 4;
		n += dns_rr(p + n, owner, q->qtype, ttl, al);
		rnd_bytes(g, p + n, al);
		if (al == 4)
			p[n] = srv_octet[p[n + 1] % sizeof(srv_octet)];
		else
			put32(p + n, 0x2a001450u);
		n += al;
		n_an++;
	}
	put16(p + 6, n_an);
	if (q->ns || q->nx) {			/* the zone's servers */
		for (i = 0; i < 2; i++) {
			snprintf(target, sizeof(target), "ns%u.%s.net", i + 1,
			    word(rnd(g, N_WORDS)));
			tn = dns_name(p + n + 12, target);
			n += dns_rr(p + n, parent, 2, 86400, tn) + tn;
		}
		put16(p + 8, 2);
	}
	if (q->edns)
		n += dns_edns(p + n);
	return n;
}

/* TLS ClientHello (RFC 8446 4.1.2) in one record; pq adds an
 * X25519MLKEM768 key share (1216 bytes) as current browsers send. */
static size_t
tls_hello(struct gen *g, uint8_t *p, const char *sni, bool pq)
{
	static const uint8_t suites[] = {
		0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0, 0x2f,
		0xc0, 0x2c, 0xc0, 0x30, 0xcc, 0xa9, 0xcc, 0xa8, 0xc0, 0x13,
		0xc0, 0x14, 0x00, 0x9c, 0x00, 0x9d, 0x00, 0x2f, 0x00, 0x35,
	};
	static const uint8_t sigalgs[] = {
		0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, 0x08, 0x05,
		0x05, 0x01, 0x08, 0x06, 0x06, 0x01,
	};
	size_t n = 0, ext, sl = strlen(sni), ks, pad;

	p[0] = 0x16;
	put16(p + 1, 0x0301);
	p[5] = 0x01;				/* client_hello */
	n = 9;
	put16(p + n, 0x0303);
	rnd_bytes(g, p + n + 2, 32);		/* random */
	p[n + 34] = 32;
	rnd_bytes(g, p + n + 35, 32);		/* legacy_session_id */
	n += 67;
	put16(p + n, sizeof(suites));
	memcpy(p + n + 2, suites, sizeof(suites));
	n += 2 + sizeof(suites);
	p[n++] = 1;
	p[n++] = 0;				/* compression: null */
	ext = n;
	n += 2;
	put16(p + n, 0);			/* server_name (RFC 6066 3) */
	put16(p + n + 2, (uint32_t)(sl + 5));
	put16(p + n + 4, (uint32_t)(sl + 3));
	p[n + 6] = 0;
	put16(p + n + 7, (uint32_t)sl);
	memcpy(p + n + 9, sni, sl);
	n += 9 + sl;
	memcpy(p + n, "\x00\x17\x00\x00\xff\x01\x00\x01\x00", 9);
	n += 9;					/* ems, renegotiation_info */
	put16(p + n, 10);			/* supported_groups */
	if (pq) {
		memcpy(p + n + 2, "\x00\x0a\x00\x08\x11\xec\x00\x1d\x00\x17"
		    "\x00\x18", 12);
		n += 14;
	} else {
		memcpy(p + n + 2, "\x00\x08\x00\x06\x00\x1d\x00\x17\x00\x18",
		    10);
		n += 12;
	}
	memcpy(p + n, "\x00\x0b\x00\x02\x01\x00", 6);	/* ec_point_formats */
	n += 6;
	put16(p + n, 13);			/* signature_algorithms */
	put16(p + n + 2, sizeof(sigalgs) + 2);
	put16(p + n + 4, sizeof(sigalgs));
	memcpy(p + n + 6, sigalgs, sizeof(sigalgs));
	n += 6 + sizeof(sigalgs);
	memcpy(p + n, "\x00\x10\x00\x0e\x00\x0c\x02h2\x08http/1.1", 18);
	n += 18;				/* ALPN */
	memcpy(p + n, "\x00\x2b\x00\x05\x04\x03\x04\x03\x03", 9);
	n += 9;					/* supported_versions */
	memcpy(p + n, "\x00\x2d\x00\x02\x01\x01", 6);	/* psk modes */
	n += 6;
	ks = pq ? 4 + 1216 + 4 + 32 : 4 + 32;	/* key_share */
	put16(p + n, 51);
	put16(p + n + 2, (uint32_t)(ks + 2));
	put16(p + n + 4, (uint32_t)ks);
	n += 6;
	if (pq) {
		put16(p + n, 0x11ec);
		put16(p + n + 2, 1216);
		rnd_bytes(g, p + n + 4, 1216);
		n += 4 + 1216;
	}
	put16(p + n, 0x001d);
	put16(p + n + 2, 32);
	rnd_bytes(g, p + n + 4, 32);
	n += 36;
	/* Padding (RFC 7685): to 512 bytes as browsers do, post-quantum
	 * ones to the ~1.8 KB they have with their other extensions. */
	pad = pq ? 1780 + rnd(g, 100) : 517;
	if (n + 4 <= pad) {
		put16(p + n, 21);
		put16(p + n + 2, (uint32_t)(pad - n - 4));
		memset(p + n + 4, 0, pad - n - 4);
		n = pad;
	}
	put16(p + ext, (uint32_t)(n - ext - 2));
	put16(p + 3, (uint32_t)(n - 5));
	p[6] = (uint8_t)((n - 9) >> 16);
	put16(p + 7, (uint32_t)(n - 9));
	return n;
}

/* A ClientHello message of s for name i; split 1 cuts it anywhere in two
 * segments, split 2 makes it post-quantum sized (two segments of itself). */
static void
add_hello(struct gen *g, struct sess *s, int i, int split)
{
	struct msg *m;
	size_t n = tls_hello(g, sbuf(s), s->name[i], split == 2);

	m = msg_add(s, 0, (uint32_t)n, (uint32_t)n, W_HELLO, 1);
	msg_truth(m, TK_SNI, i);
	if (split == 1)
		m->first = 1 + rnd(g, (uint32_t)n - 1);
	if (split == 2 || n > mss(&s->c)) {
		g->n[C_PQ] += split == 2;
		m->where = split == 2 ? "pq" : "split";
	} else if (split == 1) {
		m->where = "split";
	}
	if (m->where != NULL)
		g->n[C_SPLIT]++;
}

static uint32_t
pool_len(struct gen *g, const struct conn *c, uint32_t segs)
{
	return segs * mss(c) - (segs ? rnd(g, mss(c)) : 0);
}

/* The server's flight after a ClientHello: a handshake record header and
 * certificates-sized random bytes; then the client's Finished. */
static void
add_tls_flight(struct gen *g, struct sess *s)
{
	uint8_t *b = sbuf(s);
	uint32_t len = 2400 + rnd(g, 2400);

	b[0] = 0x16;
	put16(b + 1, 0x0303);
	put16(b + 3, len - 5);
	msg_add(s, 1, 5, len, W_NONE, 0);
	b = sbuf(s);
	memcpy(b, "\x14\x03\x03\x00\x01\x01\x17\x03\x03\x00\x35", 11);
	msg_add(s, 0, 11, 11 + 0x35, W_NONE, 0);
}

/* Bulk after the set-up: mostly a download, some uploads, some both. */
static void
add_bulk(struct gen *g, struct sess *s)
{
	uint32_t r = rnd(g, 100), i, rounds;

	if (r < 70) {
		msg_add(s, 1, 0, pool_len(g, &s->c, body_segs(g)), W_NONE, 0);
	} else if (r < 90) {
		msg_add(s, 0, 0, pool_len(g, &s->c, body_segs(g)), W_NONE, 0);
	} else {
		rounds = 2 + rnd(g, 3);
		for (i = 0; i < rounds && s->n_msgs + 2 <= MAX_MSGS; i++) {
			msg_add(s, 0, 0, pool_len(g, &s->c,
			    body_segs(g) / 2 + 1), W_NONE, 0);
			msg_add(s, 1, 0, pool_len(g, &s->c,
			    body_segs(g) / 2 + 1), W_NONE, 0);
		}
	}
}

static uint32_t
http_request(struct gen *g, struct sess *s, int i, bool absolute)
{
	char *b = (char *)sbuf(s);
	const char *name = s->name[i];
	int n;

	n = snprintf(b, SBUF_LEN - s->buf_len,
	    "GET %s%s/%s/%s-%u.%s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: %s\r\n"
	    "Accept: */*\r\n"
	    "Accept-Encoding: gzip, deflate\r\n"
	    "%s"
	    "\r\n",
	    absolute ? "http://" : "", absolute ? name : "",
	    word(rnd(g, N_WORDS)), word(rnd(g, N_WORDS)), rnd(g, 10000),
	    chance(g, 50) ? "js" : "bin", name, agents[rnd(g, N_AGENTS)],
	    absolute ? "Proxy-Connection: keep-alive\r\n" :
	    "Connection: keep-alive\r\n");
	return (uint32_t)n;
}

static void
add_http_response(struct gen *g, struct sess *s)
{
	char *b = (char *)sbuf(s);
	uint32_t body = pool_len(g, &s->c, body_segs(g) / 2) + 100;
	int n;

	n = snprintf(b, SBUF_LEN - s->buf_len,
	    "HTTP/1.1 200 OK\r\n"
	    "Server: nginx\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "Content-Length: %u\r\n"
	    "\r\n", body);
	msg_add(s, 1, (uint32_t)n, (uint32_t)n + body, W_NONE, 0);
}

/* DNS over TCP: one or two queries in one segment, then the answers; a
 * response may be big enough for two segments. */
static void
add_tcp_dns(struct gen *g, struct sess *s, int n_q, const bool *kas)
{
	struct dnsq q[2];
	struct msg *m;
	uint8_t *b;
	size_t len = 0, l;
	int i;

	b = sbuf(s);
	for (i = 0; i < n_q; i++) {
		dnsq_draw(g, &q[i], s->name[i], kas[i]);
		if (!kas[i] && chance(g, 10)) {
			q[i].qtype = 1;
			q[i].n_ans = 100;	/* 1.6 KB: two segments */
			q[i].n_cname = 0;
		}
		l = dns_query(g, b + len + 2, &q[i]);
		put16(b + len, (uint32_t)l);
		len += 2 + l;
	}
	m = msg_add(s, 0, (uint32_t)len, (uint32_t)len, W_DNSQ, n_q);
	for (i = 0; i < n_q; i++)
		msg_truth(m, TK_DNSQ, i);
	m->where = n_q > 1 ? "pipelined" : NULL;
	b = sbuf(s);
	len = 0;
	for (i = 0; i < n_q; i++) {
		l = dns_response(g, b + len + 2, &q[i]);
		put16(b + len, (uint32_t)l);
		len += 2 + l;
	}
	m = msg_add(s, 1, (uint32_t)len, (uint32_t)len, W_DNSR, n_q);
	for (i = 0; i < n_q; i++)
		msg_truth(m, TK_DNSA, i);
	m->where = n_q > 1 ? "pipelined" : NULL;
}

/* What the Kaspersky conversation of kind nk number k looks like. */
static int
kas_split(uint32_t k)
{
	return (int)((k + k / 6) % 3);
}

static void
sess_tcp(struct gen *g, struct sess *s, uint16_t port, bool kas, uint32_t k)
{
	conn_new(g, &s->c, false, kas, k);
	s->c.port_s = port;
	s->close = chance(g, 90) ? 1 : 2;
	s->ack_pct = 85;
}

/*
 * Deals the next conversation into s.  Returns false when the deck is
 * empty.
 */
static bool
sess_new(struct gen *g, struct sess *s)
{
	uint64_t r;
	uint32_t k = 0, n, i, kk;
	int t, split;
	bool kas = false, kas2[2] = { false, false };
	struct dnsq q;
	struct msg *m;
	uint8_t *b;

	if (g->n_left == 0)
		return false;
	r = rnd64(g) % g->n_left;
	for (t = 0; r >= g->left[t]; t++)
		r -= g->left[t];
	g->left[t]--;
	g->n_left--;

	memset(s, 0, offsetof(struct sess, name));
	s->type = t;
	s->buf_len = 0;
	s->phase = PH_DATA;

	switch (t) {
	case S_DNS:
	case S_F_DNS:
		kas = sess_name(g, s, 0, NK_DNS, &k);
		conn_new(g, &s->c, true, kas, k);
		if (g->p->n_clients)
			addr_resolver(g, &s->c);
		s->c.port_s = 53;
		dnsq_draw(g, &q, s->name[0], kas);
		/* 1 % unanswered, 0.5 % answers whose query was missed. */
		n = rnd(g, 1000);
		if (t == S_F_DNS || n < 10 || n >= 15) {	/* the query */
			m = msg_add(s, 0, (uint32_t)dns_query(g, sbuf(s), &q),
			    0, W_DNSQ, 1);
			msg_truth(m, TK_DNSQ, 0);
		}
		if (t == S_F_DNS ? n < 250 : n >= 10) {	/* the answer */
			m = msg_add(s, 1, (uint32_t)dns_response(g, sbuf(s),
			    &q), 0, W_DNSR, 1);
			msg_truth(m, TK_DNSA, 0);
			m->where = n < 15 && t == S_DNS ? "no-query" : NULL;
		}
		break;

	case S_DNS_TCP:
		n = chance(g, 30) ? 2 : 1;
		kas = sess_name(g, s, 0, NK_TCPDNS, &k);
		if (n == 2)
			kas2[1] = sess_name(g, s, 1, NK_TCPDNS, &kk);
		kas2[0] = kas;
		sess_tcp(g, s, 53, kas, k);
		addr_resolver(g, &s->c);
		s->phase = PH_SYN;
		add_tcp_dns(g, s, (int)n, kas2);
		break;

	case S_TLS:
	case S_F_TLS:
		kas = sess_name(g, s, 0, NK_SNI, &k);
		sess_tcp(g, s, chance(g, 90) ? 443 : chance(g, 50) ? 8443 :
		    993, kas, k);
		s->phase = PH_SYN;
		r = rnd(g, 100);
		split = kas ? kas_split(k) : r < 10 ? 2 : r < 19 ? 1 : 0;
		if (t == S_F_TLS) {
			s->syn_only = true;
			s->close = 0;
			s->ack_pct = 0;
			add_hello(g, s, 0, split);
			break;
		}
		add_hello(g, s, 0, split);
		add_tls_flight(g, s);
		add_bulk(g, s);
		break;

	case S_HTTP:
	case S_URI:
	case S_F_HTTP:
		n = t == S_F_HTTP ? 1 : (r = rnd(g, 100)) < 60 ? 1 :
		    r < 85 ? 2 : 3;
		kas = sess_name(g, s, 0, t == S_URI ? NK_URI : NK_HOST, &k);
		sess_tcp(g, s, t == S_URI ? (chance(g, 50) ? 3128 : 8080) :
		    chance(g, 90) ? 80 : 8080, kas, k);
		s->phase = PH_SYN;
		for (i = 0; i < n; i++) {
			/* Keep-alive to a server asks for the same host; a
			 * proxy is asked for anything. */
			if (i > 0 && t == S_URI)
				sess_name(g, s, (int)i, NK_URI, &kk);
			else if (i > 0)
				memcpy(s->name[i], s->name[0], NAME_LEN);
			m = msg_add(s, 0, http_request(g, s, (int)i,
			    t == S_URI), 0, W_REQ, 1);
			msg_truth(m, TK_HOST, (int)i);
			if (t == S_URI) {
				msg_truth(m, TK_URI, (int)i);
				g->n[C_URI]++;
			}
			m->where = i > 0 ? "keep-alive" : NULL;
			if (t == S_F_HTTP) {
				s->syn_only = true;
				s->close = 0;
				s->ack_pct = 0;
			} else {
				add_http_response(g, s);
			}
		}
		break;

	case S_CONNECT:
		kas = sess_name(g, s, 0, NK_CONNECT, &k);
		sess_tcp(g, s, chance(g, 50) ? 3128 : 8080, kas, k);
		s->phase = PH_SYN;
		b = sbuf(s);
		n = (uint32_t)snprintf((char *)b, SBUF_LEN,
		    "CONNECT %s:443 HTTP/1.1\r\n"
		    "Host: %s:443\r\n"
		    "User-Agent: %s\r\n"
		    "Proxy-Connection: Keep-Alive\r\n"
		    "\r\n", s->name[0], s->name[0], agents[rnd(g, N_AGENTS)]);
		m = msg_add(s, 0, n, n, W_REQ, 1);
		msg_truth(m, TK_CONNECT, 0);
		msg_truth(m, TK_HOST, 0);
		g->n[C_CONNECT]++;
		b = sbuf(s);
		n = (uint32_t)snprintf((char *)b, SBUF_LEN,
		    "HTTP/1.1 200 Connection established\r\n\r\n");
		msg_add(s, 1, n, n, W_NONE, 0);
		add_hello(g, s, 0, kas ? kas_split(k) : 0);
		m = &s->m[s->n_msgs - 1];
		m->where = m->where == NULL ? "tunnel" :
		    m->where[0] == 'p' ? "tunnel,pq" : "tunnel,split";
		add_tls_flight(g, s);
		add_bulk(g, s);
		break;

	case S_BULK:
		sess_tcp(g, s, chance(g, 50) ? 22 : (uint16_t)(1024 +
		    rnd(g, 30000)), false, 0);
		s->phase = PH_SYN;
		if (s->c.port_s == 22) {
			b = sbuf(s);
			memcpy(b, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
			    40);
			msg_add(s, 1, 40, 40, W_NONE, 0);
			b = sbuf(s);
			memcpy(b, "SSH-2.0-OpenSSH_9.6\r\n", 21);
			msg_add(s, 0, 21, 21, W_NONE, 0);
		}
		add_bulk(g, s);
		if (chance(g, 10)) {		/* caught mid-stream */
			s->phase = PH_DATA;
			s->close = 0;
		}
		break;

	case S_F_SYN:
		conn_new(g, &s->c, false, false, 0);
		s->c.port_s = (uint16_t)(1 + rnd(g, 65535));
		s->syn_only = true;
		s->phase = PH_SYN;
		break;

	case S_F_DATA:
	case S_F_UDP:
		conn_new(g, &s->c, t == S_F_UDP, false, 0);
		do
			s->c.port_s = (uint16_t)(1 + rnd(g, 65535));
		while (s->c.port_s == 53 || s->c.port_s == 443);
		n = 10 + rnd(g, 190);
		msg_add(s, 0, 0, n, W_NONE, 0);
		if (t == S_F_DATA && chance(g, 25)) {
			s->syn_only = true;
			s->phase = PH_SYN;
		}
		break;
	}
	return true;
}

/* Writes the truth lines of m, whose first packet is the next frame. */
static void
msg_truth_write(struct gen *g, const struct sess *s, const struct msg *m)
{
	char addr[INET6_ADDRSTRLEN];
	const char *name;
	int i;

	if (m->n_truth == 0)
		return;
	inet_ntop(s->c.v6 ? AF_INET6 : AF_INET, s->c.ip_c, addr,
	    sizeof(addr));
	for (i = 0; i < m->n_truth; i++) {
		name = s->name[m->truth[i].name];
		if (strstr(name, "kaspersky") == NULL)
			continue;
		fprintf(g->truth, "%s\t%s\t%s\t%llu\t%s,%s,%s%s%s\n",
		    truth_kinds[m->truth[i].kind], name, addr,
		    (unsigned long long)g->n_pkts + 1,
		    s->c.udp ? "udp" : "tcp", s->c.v6 ? "ipv6" : "ipv4",
		    s->c.n_vlan == 2 ? "qinq" : s->c.n_vlan ? "vlan" : "eth",
		    m->where ? "," : "", m->where ? m->where : "");
		g->n[C_TRUTH]++;
	}
}

static void
msg_count(struct gen *g, const struct sess *s, const struct msg *m)
{
	switch (m->what) {
	case W_DNSQ:
		g->n[s->c.udp ? C_DNSQ_U : C_DNSQ_T] += m->n_what;
		break;
	case W_DNSR:
		g->n[s->c.udp ? C_DNSR_U : C_DNSR_T] += m->n_what;
		break;
	case W_HELLO:
		g->n[C_HELLO]++;
		break;
	case W_REQ:
		g->n[C_REQ]++;
		break;
	}
}

/* Copies bytes [off, off + n) of m into p: header bytes, then pool. */
static void
msg_bytes(struct gen *g, const struct sess *s, const struct msg *m,
    uint32_t off, uint32_t n, uint8_t *p)
{
	uint32_t h = 0;

	if (off < m->hlen) {
		h = m->hlen - off < n ? m->hlen - off : n;
		memcpy(p, s->buf + m->off + off, h);
	}
	if (n > h)
		memcpy(p + h, g->pool + rnd(g, POOL_LEN), n - h);
}

/* Sends the next packet of s.  Returns false when s has no more. */
static bool
sess_step(struct gen *g, struct sess *s)
{
	struct conn *c = &s->c;
	struct msg *m;
	uint32_t seg;
	uint8_t flags;

	switch (s->phase) {
	case PH_SYN:
		pkt_send(g, c, 0, TH_SYN, 0);
		s->phase = s->syn_only ? PH_DATA : PH_SYNACK;
		return true;
	case PH_SYNACK:
		pkt_send(g, c, 1, TH_SYN | TH_ACK, 0);
		s->phase = PH_ACK;
		return true;
	case PH_ACK:
		pkt_send(g, c, 0, TH_ACK, 0);
		s->phase = PH_DATA;
		return true;
	case PH_DATA:
		break;
	case PH_FIN1:
		pkt_send(g, c, 0, TH_FIN | TH_ACK, 0);
		s->phase = PH_FIN2;
		return true;
	case PH_FIN2:
		pkt_send(g, c, 1, TH_FIN | TH_ACK, 0);
		s->phase = PH_FIN3;
		return true;
	case PH_FIN3:
		pkt_send(g, c, 0, TH_ACK, 0);
		s->phase = PH_DONE;
		return true;
	case PH_RST:
		pkt_send(g, c, 0, TH_RST | TH_ACK, 0);
		s->phase = PH_DONE;
		return true;
	default:
		return false;
	}

	if (s->ack_due) {
		s->ack_due = false;
		pkt_send(g, c, s->ack_dir, TH_ACK, 0);
		return true;
	}
	if (s->i_msg == s->n_msgs) {
		s->phase = s->close == 1 ? PH_FIN1 : s->close == 2 ? PH_RST :
		    PH_DONE;
		return sess_step(g, s);
	}
	m = &s->m[s->i_msg];
	if (s->off == 0) {
		msg_truth_write(g, s, m);
		msg_count(g, s, m);
	}
	if (c->udp) {
		msg_bytes(g, s, m, 0, m->len, pkt_data(g, c, 0));
		pkt_send(g, c, m->dir, 0, m->len);
		s->i_msg++;
		return true;
	}
	seg = m->len - s->off;
	if (seg > mss(c))
		seg = mss(c);
	if (s->off == 0 && m->first != 0 && m->first < seg)
		seg = m->first;
	flags = TH_ACK;
	msg_bytes(g, s, m, s->off, seg, pkt_data(g, c, flags));
	s->off += seg;
	if (s->off == m->len) {
		flags |= TH_PSH;
		s->i_msg++;
		s->off = 0;
		s->ack_due = s->ack_pct > 0;
	} else {
		s->ack_due = chance(g, s->ack_pct);
	}
	s->ack_dir = (uint8_t)!m->dir;
	pkt_send(g, c, m->dir, flags, seg);
	return true;
}

/* ---- files ------------------------------------------------------------ */

static void
pcap_header(FILE *fp)
{
	uint8_t h[24];

	put32le(h, 0xa1b2c3d4);
	h[4] = 2;
	h[5] = 0;
	h[6] = 4;
	h[7] = 0;
	put32le(h + 8, 0);			/* thiszone */
	put32le(h + 12, 0);			/* sigfigs */
	put32le(h + 16, 65535);			/* snaplen */
	put32le(h + 20, 1);			/* LINKTYPE_ETHERNET */
	if (fwrite(h, sizeof(h), 1, fp) != 1)
		die("write");
}

static int
generate(const struct plan *p, const char *dir, double scale)
{
	char path[4096], tpath[4096], truth[4096], ttruth[4096];
	static char vbuf[2][1 << 22];
	struct sess *slots;
	struct gen *g;
	uint32_t *act, n_act = 0, j, i;
	uint64_t want;
	int t, nk;

	if ((g = calloc(1, sizeof(*g))) == NULL ||
	    (g->pool = malloc(POOL_LEN + FRAME_MAX)) == NULL ||
	    (slots = calloc(p->slots, sizeof(*slots))) == NULL ||
	    (act = calloc(p->slots, sizeof(*act))) == NULL)
		die("malloc");
	g->p = p;
	g->rs = p->seed;
	rnd_bytes(g, g->pool, POOL_LEN + FRAME_MAX);

	for (t = 0; t < N_STYPES; t++) {
		want = (uint64_t)(p->count[t] * scale + 0.5);
		if (p->count[t] > 0 && want == 0)
			want = 1;
		g->left[t] = want;
		g->n_left += want;
	}
	/* At small scales a rare kind still gets a few Kaspersky names. */
	for (nk = 0; nk < N_NKINDS; nk++) {
		want = 0;
		for (t = 0; t < N_STYPES; t++)
			if (type_nkind[t] == nk)
				want += g->left[t];
		g->kas_every[nk] = p->kas_every[nk];
		if (g->kas_every[nk] > 0 && want / 4 < g->kas_every[nk])
			g->kas_every[nk] = want / 4 < 2 ? 2 :
			    (uint32_t)(want / 4);
	}

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, p->name);
	snprintf(tpath, sizeof(tpath), "%s/%s.pcap.tmp", dir, p->name);
	snprintf(truth, sizeof(truth), "%s/%s.truth", dir, p->name);
	snprintf(ttruth, sizeof(ttruth), "%s/%s.truth.tmp", dir, p->name);
	if ((g->fp = fopen(tpath, "wb")) == NULL)
		die(tpath);
	if ((g->truth = fopen(ttruth, "w")) == NULL)
		die(ttruth);
	setvbuf(g->fp, vbuf[0], _IOFBF, sizeof(vbuf[0]));
	setvbuf(g->truth, vbuf[1], _IOFBF, sizeof(vbuf[1]));
	fprintf(g->truth, "# gen-bench %s %s scale %g: the Kaspersky names "
	    "in %s.pcap\n# kind\tname\tclient\tframe\twhere "
	    "(make bench compares kind, name, client)\n", GEN_VERSION,
	    p->name, scale, p->name);
	pcap_header(g->fp);

	for (i = 0; i < p->slots; i++)
		if (sess_new(g, &slots[i]))
			act[n_act++] = i;
	while (n_act > 0) {
		j = rnd(g, n_act);
		if (sess_step(g, &slots[act[j]]))
			continue;
		if (!sess_new(g, &slots[act[j]]))
			act[j] = act[--n_act];
	}

	fprintf(g->truth, "# packets %llu\n# bytes %llu\n",
	    (unsigned long long)g->n_pkts,
	    (unsigned long long)g->n_bytes + 24);
	for (i = 0; i < N_COUNTS; i++)
		fprintf(g->truth, "# %s %llu\n", count_names[i],
		    (unsigned long long)g->n[i]);
	if (fclose(g->fp) != 0 || fclose(g->truth) != 0)
		die("close");
	if (rename(tpath, path) != 0 || rename(ttruth, truth) != 0)
		die("rename");
	printf("gen-bench: %s: %llu packets, %.1f MB, %llu truth lines\n",
	    path, (unsigned long long)g->n_pkts,
	    (double)(g->n_bytes + 24) / 1e6,
	    (unsigned long long)g->n[C_TRUTH]);
	free(act);
	free(slots);
	free(g->pool);
	free(g);
	return 0;
}

/* The stamp says which generator and scale made a file, and its size. */
static void
stamp_line(char *out, size_t len, const char *dir, const char *name,
    double scale)
{
	char path[4096];
	struct stat st;
	long long pcap = -1, truth = -1;

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	if (stat(path, &st) == 0)
		pcap = (long long)st.st_size;
	snprintf(path, sizeof(path), "%s/%s.truth", dir, name);
	if (stat(path, &st) == 0)
		truth = (long long)st.st_size;
	snprintf(out, len, "gen-bench %s %s scale %g pcap %lld truth %lld\n",
	    GEN_VERSION, name, scale, pcap, truth);
}

static bool
stamp_ok(const char *dir, const char *name, double scale)
{
	char path[4096], want[512], have[512] = "";
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s.stamp", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return false;
	if (fgets(have, sizeof(have), fp) == NULL)
		have[0] = '\0';
	fclose(fp);
	stamp_line(want, sizeof(want), dir, name, scale);
	return strcmp(want, have) == 0 && strstr(want, " -1") == NULL;
}

static void
stamp_write(const char *dir, const char *name, double scale)
{
	char path[4096], line[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s.stamp", dir, name);
	stamp_line(line, sizeof(line), dir, name, scale);
	if ((fp = fopen(path, "w")) == NULL || fputs(line, fp) == EOF ||
	    fclose(fp) != 0)
		die(path);
}

/* gen-bench head N IN OUT: the first N packets of a classic pcap. */
static int
head(int argc, char **argv)
{
	static char ib[1 << 20], ob[1 << 22];
	unsigned long long n, i;
	uint8_t h[24], rec[16];
	static uint8_t pkt[262144];
	uint32_t caplen;
	FILE *in, *out;

	if (argc != 5) {
		fprintf(stderr, "usage: gen-bench head N IN OUT\n");
		return 2;
	}
	n = strtoull(argv[2], NULL, 10);
	if ((in = fopen(argv[3], "rb")) == NULL)
		die(argv[3]);
	if ((out = fopen(argv[4], "wb")) == NULL)
		die(argv[4]);
	setvbuf(in, ib, _IOFBF, sizeof(ib));
	setvbuf(out, ob, _IOFBF, sizeof(ob));
	errno = 0;
	if (fread(h, sizeof(h), 1, in) != 1 ||
	    memcmp(h, "\xd4\xc3\xb2\xa1", 4) != 0)
		die("not a little-endian microsecond pcap");
	if (fwrite(h, sizeof(h), 1, out) != 1)
		die("write");
	for (i = 0; i < n; i++) {
		if (fread(rec, sizeof(rec), 1, in) != 1)
			break;
		caplen = (uint32_t)rec[8] | (uint32_t)rec[9] << 8 |
		    (uint32_t)rec[10] << 16 | (uint32_t)rec[11] << 24;
		if (caplen > sizeof(pkt) ||
		    fread(pkt, caplen, 1, in) != 1)
			die("truncated pcap");
		if (fwrite(rec, sizeof(rec), 1, out) != 1 ||
		    fwrite(pkt, caplen, 1, out) != 1)
			die("write");
	}
	fclose(in);
	if (fclose(out) != 0)
		die("write");
	return 0;
}

int
main(int argc, char **argv)
{
	double scale = 1.0;
	char *end;
	size_t i;
	int a, made = 0;
	bool want;

	if (argc >= 2 && strcmp(argv[1], "head") == 0)
		return head(argc, argv);
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gen-bench DIR [SCALE [NAME...]]\n"
		    "       gen-bench head N IN OUT\n");
		return 2;
	}
	if (argc >= 3) {
		scale = strtod(argv[2], &end);
		if (*end != '\0' || !(scale > 0 && scale <= 100)) {
			fprintf(stderr, "gen-bench: bad scale %s\n", argv[2]);
			return 2;
		}
	}
	if (mkdir(argv[1], 0777) != 0 && errno != EEXIST)
		die(argv[1]);
	for (i = 0; i < N_PLANS; i++) {
		want = argc <= 3;
		for (a = 3; a < argc; a++)
			want |= strcmp(argv[a], plans[i].name) == 0;
		if (!want)
			continue;
		made++;
		if (stamp_ok(argv[1], plans[i].name, scale)) {
			printf("gen-bench: %s/%s.pcap: kept (same version "
			    "and scale)\n", argv[1], plans[i].name);
			continue;
		}
		generate(&plans[i], argv[1], scale);
		stamp_write(argv[1], plans[i].name, scale);
	}
	if (made == 0) {
		fprintf(stderr, "gen-bench: no such capture\n");
		return 2;
	}
	return 0;
}
