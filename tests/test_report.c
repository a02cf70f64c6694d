/* test_report.c - unit tests for report.c (RFC 8259, ISO 8601). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "report.h"

static const struct match_sig sig_update = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'A', "vendor docs", "",
	"builtin", 1,
};
static const struct match_sig sig_web = {
	"www.kaspersky.com", MK_SUFFIX, CAT_WEB, '-', "", "", "extra.sigs", 2,
};

/* Runs a writer into memory; the caller frees the text. */
static char *
capture(int (*fn)(FILE *, const void *, const void *), const void *a,
    const void *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(fn(fp, a, b), ERR_OK);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static int
ev_fn(FILE *fp, const void *o, const void *sig)
{
	return report_event(fp, o, sig);
}

static int
text_fn(FILE *fp, const void *ag, const void *meta)
{
	return report_text(fp, ag, meta);
}

static int
json_fn(FILE *fp, const void *ag, const void *meta)
{
	return report_json(fp, ag, meta);
}

static void
test_time(void **state)
{
	static const struct {
		int64_t		 sec;
		uint32_t	 nsec;
		const char	*want;
	} cases[] = {
		{ 0, 0, "1970-01-01T00:00:00.000000Z" },
		/* Nanoseconds are truncated to microseconds, not rounded. */
		{ 1727784000, 123456789, "2024-10-01T12:00:00.123456Z" },
		{ 1727784000, 999999999, "2024-10-01T12:00:00.999999Z" },
		{ 1727784000, 999, "2024-10-01T12:00:00.000000Z" },
		{ 1727784000, 1000, "2024-10-01T12:00:00.000001Z" },
		{ -1, 0, "1969-12-31T23:59:59.000000Z" },
		{ -1, 500000000, "1969-12-31T23:59:59.500000Z" },
		/* Excess nanoseconds carry into the seconds. */
		{ 0, 1500000000, "1970-01-01T00:00:01.500000Z" },
		{ 951782400, 0, "2000-02-29T00:00:00.000000Z" },
		{ 253402300799, 0, "9999-12-31T23:59:59.000000Z" },
		{ -62167219200, 0, "0000-01-01T00:00:00.000000Z" },
		/* Outside four-digit years: seconds since the epoch. */
		{ 253402300800, 0, "@253402300800.000000" },
		{ -62167219201, 7000, "@-62167219201.000007" },
		{ INT64_MAX, 999999999, "@9223372036854775807.999999" },
		{ INT64_MAX, 4294967295u, "@9223372036854775807.294967" },
		{ INT64_MIN, 0, "@-9223372036854775808.000000" },
		{ INT64_MIN, 4294967295u, "@-9223372036854775804.294967" },
	};
	char buf[REPORT_TIME_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		assert_ptr_equal(report_time(buf, cases[i].sec,
		    cases[i].nsec), buf);
		assert_string_equal(buf, cases[i].want);
	}
}

static struct obs
event_obs(void)
{
	struct obs o;
	static const uint8_t c[4] = { 192, 0, 2, 10 };
	static const uint8_t s[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,
	};

	memset(&o, 0, sizeof(o));
	o.file = "cap.pcapng";
	o.frame = 42;
	o.ts_sec = 1727784000;
	o.ts_nsec = 123456789;
	addr_set4(&o.client, c);
	addr_set6(&o.server, s);
	o.client_port = 51515;
	o.server_port = 53;
	o.proto = 17;
	o.kind = OBS_DNS_QUERY;
	o.name = "dnl-01.upd.kaspersky.com";
	o.name_len = strlen(o.name);
	return o;
}

static void
test_event_exact(void **state)
{
	struct obs o = event_obs();
	char *s;

	(void)state;
	s = capture(ev_fn, &o, &sig_update);
	assert_string_equal(s,
	    "{\"file\":\"cap.pcapng\",\"frame\":42,"
	    "\"time\":\"2024-10-01T12:00:00.123456Z\","
	    "\"client\":\"192.0.2.10\",\"client_port\":51515,"
	    "\"server\":\"2001:db8::53\",\"server_port\":53,"
	    "\"transport\":\"udp\",\"community_id\":null,"
	    "\"kind\":\"dns-query\",\"name\":\"dnl-01.upd.kaspersky.com\","
	    "\"pattern\":\"upd.kaspersky.com\",\"category\":\"update\","
	    "\"confidence\":\"A\",\"set\":\"builtin\"}\n");
	free(s);

	/* Two tags and a MAC; no confidence given. */
	o.kind = OBS_DNS_ANSWER;
	o.n_vlan = 2;
	o.vlan[0] = 100;
	o.vlan[1] = 4094;
	o.has_mac = true;
	memcpy(o.mac, "\x00\x1b\x21\xaa\x0f\xff", 6);
	s = capture(ev_fn, &o, &sig_web);
	assert_string_equal(s,
	    "{\"file\":\"cap.pcapng\",\"frame\":42,"
	    "\"time\":\"2024-10-01T12:00:00.123456Z\","
	    "\"client\":\"192.0.2.10\",\"client_port\":51515,"
	    "\"server\":\"2001:db8::53\",\"server_port\":53,"
	    "\"transport\":\"udp\",\"community_id\":null,"
	    "\"kind\":\"dns-answer\",\"name\":\"dnl-01.upd.kaspersky.com\","
	    "\"pattern\":\"www.kaspersky.com\",\"category\":\"web\","
	    "\"confidence\":null,\"set\":\"extra.sigs\","
	    "\"vlan\":100,\"vlans\":[100,4094],"
	    "\"mac\":\"00:1b:21:aa:0f:ff\"}\n");
	free(s);

	/* One tag: no "vlans". */
	o.n_vlan = 1;
	o.has_mac = false;
	s = capture(ev_fn, &o, &sig_web);
	assert_non_null(strstr(s, "\"set\":\"extra.sigs\",\"vlan\":100}\n"));
	assert_null(strstr(s, "vlans"));
	free(s);
}

/* Stream flags: present only when set, always in the same order. */
static void
test_event_flags(void **state)
{
	static const uint8_t proxy[4] = { 10, 0, 0, 3 };
	static const uint8_t orig[4] = { 198, 51, 100, 7 };
	struct obs o = event_obs();
	char *s;

	(void)state;
	/* A CNAME target in an answer. */
	o.kind = OBS_DNS_ANSWER;
	o.flags = OBS_F_CNAME;
	s = capture(ev_fn, &o, &sig_update);
	assert_string_equal(s,
	    "{\"file\":\"cap.pcapng\",\"frame\":42,"
	    "\"time\":\"2024-10-01T12:00:00.123456Z\","
	    "\"client\":\"192.0.2.10\",\"client_port\":51515,"
	    "\"server\":\"2001:db8::53\",\"server_port\":53,"
	    "\"transport\":\"udp\",\"community_id\":null,"
	    "\"kind\":\"dns-answer\",\"name\":\"dnl-01.upd.kaspersky.com\","
	    "\"pattern\":\"upd.kaspersky.com\",\"category\":\"update\","
	    "\"confidence\":\"A\",\"set\":\"builtin\",\"cname\":true}\n");
	free(s);

	/* ECH: the outer name, flagged; a via without its flag is ignored. */
	o.proto = 6;
	o.server_port = 443;
	o.kind = OBS_TLS_SNI;
	o.name = "ksn.kaspersky-labs.com";
	o.name_len = strlen(o.name);
	o.flags = OBS_F_ECH;
	addr_set4(&o.via, proxy);
	s = capture(ev_fn, &o, &sig_update);
	assert_string_equal(s,
	    "{\"file\":\"cap.pcapng\",\"frame\":42,"
	    "\"time\":\"2024-10-01T12:00:00.123456Z\","
	    "\"client\":\"192.0.2.10\",\"client_port\":51515,"
	    "\"server\":\"2001:db8::53\",\"server_port\":443,"
	    "\"transport\":\"tcp\",\"community_id\":null,"
	    "\"kind\":\"tls-sni\",\"name\":\"ksn.kaspersky-labs.com\","
	    "\"pattern\":\"upd.kaspersky.com\",\"category\":\"update\","
	    "\"confidence\":\"A\",\"set\":\"builtin\",\"ech\":true}\n");
	free(s);

	/* A ClientHello inside a CONNECT tunnel. */
	o.flags = OBS_F_TUNNEL;
	s = capture(ev_fn, &o, &sig_update);
	assert_non_null(strstr(s, "\"client_port\":51515,"));
	assert_non_null(strstr(s, "\"set\":\"builtin\",\"tunnel\":true}\n"));
	assert_null(strstr(s, "\"ech\""));
	assert_null(strstr(s, "\"via\""));
	free(s);

	/*
	 * Seen on a proxy's upstream side: the client is the one named by
	 * X-Forwarded-For, its port unknown (null), the proxy is "via".
	 */
	o.kind = OBS_HTTP_HOST;
	o.server_port = 80;
	addr_set4(&o.client, orig);
	o.client_port = 0;
	o.flags = OBS_F_FORWARDED | OBS_F_MISMATCH;
	s = capture(ev_fn, &o, &sig_update);
	assert_string_equal(s,
	    "{\"file\":\"cap.pcapng\",\"frame\":42,"
	    "\"time\":\"2024-10-01T12:00:00.123456Z\","
	    "\"client\":\"198.51.100.7\",\"client_port\":null,"
	    "\"server\":\"2001:db8::53\",\"server_port\":80,"
	    "\"transport\":\"tcp\",\"community_id\":null,"
	    "\"kind\":\"http-host\",\"name\":\"ksn.kaspersky-labs.com\","
	    "\"pattern\":\"upd.kaspersky.com\",\"category\":\"update\","
	    "\"confidence\":\"A\",\"set\":\"builtin\","
	    "\"host_mismatch\":true,\"via\":\"10.0.0.3\"}\n");
	free(s);

	/* Every flag at once, then VLAN and MAC: the order is fixed. */
	o.flags = OBS_F_CNAME | OBS_F_ECH | OBS_F_MISMATCH | OBS_F_FORWARDED |
	    OBS_F_TUNNEL;
	o.n_vlan = 1;
	o.vlan[0] = 7;
	o.has_mac = true;
	memcpy(o.mac, "\x00\x1b\x21\xaa\x0f\xff", 6);
	s = capture(ev_fn, &o, &sig_update);
	assert_non_null(strstr(s, "\"set\":\"builtin\",\"cname\":true,"
	    "\"ech\":true,\"tunnel\":true,\"host_mismatch\":true,"
	    "\"via\":\"10.0.0.3\",\"vlan\":7,"
	    "\"mac\":\"00:1b:21:aa:0f:ff\"}\n"));
	free(s);
}

/*
 * A name and a file name full of hostile bytes.  Every byte that is not
 * printable ASCII or part of valid UTF-8 must come out as an escape.
 */
static const char hostile[] = {
	'a', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f',
	0x01, 0x1b, 0x1f, 0x7f,
	(char)0xc3, (char)0xa9,				/* U+00E9, kept */
	(char)0xf0, (char)0x9f, (char)0x98, (char)0x80,	/* U+1F600, kept */
	(char)0xff,					/* never UTF-8 */
	(char)0xc3, 'x',				/* lead, no tail */
	(char)0xc0, (char)0xaf,				/* overlong '/' */
	(char)0xed, (char)0xa0, (char)0x80,		/* surrogate */
	(char)0xf4, (char)0x90, (char)0x80, (char)0x80,	/* > U+10FFFF */
	0x00, 'z',					/* NUL inside */
	(char)0xe2, (char)0x82,				/* cut at the end */
};

static void
test_json_escaping(void **state)
{
	struct obs o = event_obs();
	char *s, *p;

	(void)state;
	o.name = hostile;
	o.name_len = sizeof(hostile);
	o.file = "we\"ird\\dir/\x1b[2Jfile\n.pcap";
	s = capture(ev_fn, &o, &sig_update);
	assert_non_null(strstr(s, "{\"file\":"
	    "\"we\\\"ird\\\\dir/\\u001b[2Jfile\\n.pcap\","));
	assert_non_null(p = strstr(s, "\"name\":"));
	assert_memory_equal(p,
	    "\"name\":\"a\\\"\\\\/\\n\\r\\t\\b\\f"
	    "\\u0001\\u001b\\u001f\\u007f"
	    "\xc3\xa9"
	    "\xf0\x9f\x98\x80"
	    "\\u00ff"
	    "\\u00c3x"
	    "\\u00c0\\u00af"
	    "\\u00ed\\u00a0\\u0080"
	    "\\u00f4\\u0090\\u0080\\u0080"
	    "\\u0000z"
	    "\\u00e2\\u0082\",", 122);
	/* Nothing below 0x20 and no DEL reach the output except the \n. */
	for (p = s; *p != '\0'; p++)
		assert_true(((unsigned char)*p >= 0x20 && *p != 0x7f) ||
		    (*p == '\n' && p[1] == '\0'));
	free(s);
}

/*
 * A small audit: two offenders in a listed network, one outside it, a
 * resolver, hostile bytes in a name and a file name.
 */
struct fixture {
	struct aggregate	*ag;
	struct netmap		*nm;
	struct match		*m;
	struct report_meta	 meta;
	struct report_file	 files[2];
	struct report_linktype	 lt[2];
	struct decode_stats	 ds;
	struct audit_stats	 as;
	struct flow_stats	 fs;
};

static void
fx_add(struct fixture *fx, const char *client, const char *server,
    enum obs_kind kind, const char *name, const struct match_sig *sig,
    int64_t sec, uint64_t frame)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = frame < 100 ? "first.pcap" : "two\x1b.pcap";
	o.frame = frame;
	o.ts_sec = sec;
	o.ts_nsec = 250000000;
	assert_true(addr_parse(&o.client, client));
	assert_true(addr_parse(&o.server, server));
	o.client_port = 40000;
	o.server_port = 53;
	o.kind = kind;
	o.name = name;
	o.name_len = strlen(name);
	if (strcmp(client, "10.1.2.3") == 0) {
		o.has_mac = true;
		memcpy(o.mac, "\x02\x00\x00\x00\x00\x05", 6);
		o.n_vlan = 2;
		o.vlan[0] = 10;
		o.vlan[1] = 20;
	}
	assert_int_equal(aggregate_add(fx->ag, &o, sig), ERR_OK);
}

static const char sigs_text[] =
    "upd.kaspersky.com update confidence=A source=docs\n"
    "www.kaspersky.com web\n";

static void
fixture_init(struct fixture *fx, bool empty)
{
	static const char nets[] =
	    "10.1.0.0/16 Office noc@example.net abuse@example.net\n";
	char errbuf[ERRBUF_LEN];

	memset(fx, 0, sizeof(*fx));
	assert_non_null(fx->ag = aggregate_new(2));
	assert_non_null(fx->nm = netmap_new());
	assert_non_null(fx->m = match_new());
	assert_int_equal(netmap_load_buf(fx->nm, nets, sizeof(nets) - 1,
	    "nets", errbuf), ERR_OK);
	assert_int_equal(match_load_buf(fx->m, sigs_text,
	    sizeof(sigs_text) - 1, "test.sigs", errbuf), ERR_OK);
	if (!empty) {
		fx_add(fx, "10.1.2.3", "10.1.0.53", OBS_DNS_QUERY,
		    "dnl-01.upd.kaspersky.com", &sig_update, 1727784000, 7);
		fx_add(fx, "10.1.2.3", "10.1.0.53", OBS_DNS_ANSWER,
		    "dnl-01.upd.kaspersky.com", &sig_update, 1727784001, 8);
		fx_add(fx, "10.1.2.3", "10.1.0.53", OBS_DNS_QUERY,
		    "a.upd.kaspersky.com", &sig_update, 1727787600, 150);
		fx_add(fx, "10.1.2.3", "10.1.0.53", OBS_DNS_QUERY,
		    "z\x1b[31m.upd.kaspersky.com", &sig_update, 1727787601,
		    151);
		fx_add(fx, "10.1.9.9", "10.1.0.53", OBS_DNS_ANSWER,
		    "www.kaspersky.com", &sig_web, 1727784100, 20);
		fx_add(fx, "10.1.0.53", "8.8.8.8", OBS_DNS_QUERY,
		    "a.upd.kaspersky.com", &sig_update, 1727787600, 149);
		fx_add(fx, "2001:db8:7::9", "2001:db8::53", OBS_DNS_QUERY,
		    "www.kaspersky.com", &sig_web, 1727784200, 30);
		/* Stream evidence goes the same way as DNS. */
		fx_add(fx, "10.1.9.9", "192.0.2.80", OBS_TLS_SNI,
		    "www.kaspersky.com", &sig_web, 1727784150, 21);
		fx_add(fx, "2001:db8:7::9", "2001:db8::3128",
		    OBS_HTTP_CONNECT, "www.kaspersky.com", &sig_web,
		    1727784250, 31);
	}
	assert_int_equal(aggregate_finish(fx->ag, fx->nm, 24, 64), ERR_OK);

	fx->files[0].path = "first.pcap";
	fx->files[0].format = "pcap";
	fx->files[0].packets = 120;
	fx->files[0].bytes = 15000;
	fx->files[0].complete = true;
	fx->files[0].error = "";
	fx->files[1].path = "two\x1b.pcap";
	fx->files[1].format = "pcapng";
	fx->files[1].packets = 80;
	fx->files[1].bytes = 9000;
	fx->files[1].complete = false;
	fx->files[1].error = "second.pcapng: truncated record at byte 9120";
	fx->files[1].unsupported = 3;
	fx->lt[0].linktype = 1;
	fx->lt[0].name = "EN10MB";
	fx->lt[0].packets = 197;
	fx->lt[0].supported = true;
	fx->lt[1].linktype = 147;
	fx->lt[1].name = NULL;
	fx->lt[1].packets = 3;
	fx->ds.malformed[DL_IPV4] = 2;
	fx->ds.ipv4 = 150;
	fx->ds.ipv6 = 40;
	fx->ds.udp = 180;
	fx->as.dns_msgs = 170;
	fx->as.dns_queries = 90;
	fx->as.dns_responses = 80;
	fx->as.dns_malformed = 1;
	fx->as.names_seen = 170;
	fx->as.matches = empty ? 0 : 9;
	fx->as.by_kind[OBS_DNS_QUERY] = empty ? 0 : 5;
	fx->as.by_kind[OBS_DNS_ANSWER] = empty ? 0 : 2;
	fx->as.by_kind[OBS_TLS_SNI] = empty ? 0 : 1;
	fx->as.by_kind[OBS_HTTP_CONNECT] = empty ? 0 : 1;
	if (!empty) {
		/* Distinct values, so that a swapped key shows. */
		fx->as.dns_tcp_msgs = 3;
		fx->as.tls_hellos = 12;
		fx->as.tls_no_sni = 4;
		fx->as.tls_ip_sni = 5;
		fx->as.tls_ech = 6;
		fx->as.tls_malformed = 7;
		fx->as.tls_too_big = 8;
		fx->as.http_requests = 21;
		fx->as.http_malformed = 22;
		fx->as.http_too_big = 23;
		fx->as.http_forwarded = 24;
		fx->as.socks_requests = 1;
		fx->as.streams_other = 31;
		fx->as.streams_unfinished = 32;
		fx->as.streams_resynced = 33;
		fx->as.quic_initials = 41;
		fx->as.quic_failed = 42;
		fx->as.quic_hellos = 1;
		fx->as.quic_malformed = 44;
		fx->fs.created = 51;
		fx->fs.evicted = 52;
		fx->fs.expired = 53;
		fx->fs.active = 99;
		fx->fs.active_max = 54;
		fx->fs.no_buffer = 55;
		fx->fs.stolen = 65;
		fx->fs.capped = 56;
		fx->fs.gaps = 57;
		fx->fs.holes_full = 58;
		fx->fs.out_of_order = 59;
		fx->fs.retransmits = 60;
		fx->fs.overlaps = 61;
		fx->fs.rebased = 62;
		fx->fs.holes_skipped = 63;
		fx->fs.restarts = 64;
	}

	fx->meta.version = "0.1.0";
	fx->meta.files = fx->files;
	fx->meta.n_files = 2;
	fx->meta.linktypes = fx->lt;
	fx->meta.n_linktypes = 2;
	fx->meta.packets = 200;
	fx->meta.bytes = 24000;
	fx->meta.have_time = true;
	fx->meta.first_sec = 1727783990;
	fx->meta.first_nsec = 1000;
	fx->meta.last_sec = 1727787700;
	fx->meta.last_nsec = 999999999;
	fx->meta.decode = &fx->ds;
	fx->meta.audit = &fx->as;
	fx->meta.flow = &fx->fs;
	fx->meta.match = fx->m;
	fx->meta.filter = "udp port 53";
	fx->meta.v4_plen = 24;
	fx->meta.v6_plen = 64;
	fx->meta.max_names = 2;
}

static void
fixture_free(struct fixture *fx)
{
	aggregate_free(fx->ag);
	netmap_free(fx->nm);
	match_free(fx->m);
}

/* Each of want[] found in s, in this order. */
static void
assert_in_order(const char *s, const char *const *want, size_t n)
{
	const char *p = s, *q;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((q = strstr(p, want[i])) == NULL)
			fail_msg("not found (in order): \"%s\"", want[i]);
		p = q + strlen(want[i]);
	}
}

static void
assert_clean_lines(const char *s, size_t max_cols)
{
	size_t col = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			col = 0;
			continue;
		}
		assert_true((unsigned char)*s >= 0x20 &&
		    (unsigned char)*s < 0x7f);
		if (++col > max_cols)
			fail_msg("line longer than %zu columns", max_cols);
	}
}

static void
test_text_small(void **state)
{
	static const char *const want[] = {
		"kasaudit 0.1.0 report\n\nInputs\n",
		"  first.pcap    pcap          120 packets"
		"        15000 bytes\n",
		"  two\\x1b.pcap  pcapng         80 packets"
		"         9000 bytes\n"
		"    3 packets skipped: link type not supported\n"
		"    INCOMPLETE: second.pcapng: truncated record at byte "
		"9120\n",
		"Link types\n"
		"      1  EN10MB                   197 packets\n"
		"    147  unknown                    3 packets  NOT SUPPORTED",
		"Time        2024-10-01T11:59:50.000001Z .. "
		"2024-10-01T13:01:40.999999Z\n",
		"Packets     200 (24000 bytes)\n",
		"Filter      udp port 53\n",
		"Signatures  2 (test.sigs 2)\n"
		"Grouping    by /24 (IPv4), /64 (IPv6) outside listed "
		"networks\n"
		"Names       up to 2 per host\n"
		"\nSummary\n"
		"  3 hosts contacted Kaspersky:\n"
		"    1 product-active, 0 product-likely, 2 browsing-only, "
		"0 indirect\n"
		"  1 DNS server relayed matched lookups\n",
		"  DNS: 170 messages (90 queries, 80 responses)\n"
		"  TLS: 12 ClientHellos (4 without SNI, 6 with ECH)\n"
		"  HTTP: 21 requests\n"
		"  SOCKS: 1 request\n"
		"  DNS over TCP: 3 messages\n"
		"  QUIC: 41 Initials (1 ClientHello)\n"
		"  Names looked up: 170\n"
		"  Matches: 9 (dns-query 5, dns-answer 2, tls-sni 1, "
		"http-connect 1)\n",
		"  Could not look into:\n",
		"             3  packets on link types not supported\n",
		"             2  packets malformed at ipv4\n",
		"             1  DNS messages malformed\n"
		"             7  TLS ClientHellos malformed\n"
		"             8  TLS ClientHellos too big (--stream-bytes)\n"
		"             4  TLS ClientHellos without a server name (SNI)\n"
		"             6  TLS with ECH: name hidden (outer name only in "
		"--events)\n"
		"            22  HTTP requests malformed\n"
		"            23  HTTP request headers too big to read\n"
		"            42  QUIC Initials that did not decrypt\n"
		"            44  QUIC ClientHellos malformed\n"
		"            57  TCP streams with gaps (bytes missing from the "
		"capture)\n"
		"            56  TCP streams cut at the --stream-bytes window\n"
		"            32  TCP streams given up: no name within "
		"--stream-bytes\n"
		"            58  TCP segments dropped: too many holes in a "
		"stream\n"
		"            52  flows evicted from a full table "
		"(--max-flows)\n"
		"            65  TCP streams dropped for a newer one "
		"(--stream-buffers)\n"
		"            55  TCP streams without a buffer "
		"(--stream-buffers)\n"
		"\nNetwork Office",
		" (10.1.0.0/16)\n"
		"  2 hosts: 1 product-active, 0 product-likely, "
		"1 browsing-only, 0 indirect\n"
		"  Contacts: noc@example.net, abuse@example.net\n\n",
		"  10.1.2.3  product-active\n"
		"    MAC       02:00:00:00:00:05\n"
		"    VLAN      10.20  (outer first)\n"
		"    First     2024-10-01T12:00:00.250000Z  (first.pcap:7)\n"
		"    Last      2024-10-01T13:00:01.250000Z  "
		"(two\\x1b.pcap:151)\n"
		"    Matches   4: update 4\n"
		"    Evidence  dns-query 3, dns-answer 1\n",
		"      name                      category    conf    count"
		"  first seen\n"
		"      a.upd.kaspersky.com       update      A           1"
		"  two\\x1b.pcap:150\n"
		"      dnl-01.upd.kaspersky.com  update      A           2"
		"  first.pcap:7\n"
		"      ... and 1 more name\n",
		"  10.1.9.9  browsing-only\n",
		"    Matches   2: web 2\n"
		"    Evidence  dns-answer 1, tls-sni 1\n",
		"      www.kaspersky.com  web         -           2"
		"  first.pcap:20\n",
		"\nNetwork 2001:db8:7::/64 (not in the networks file)\n"
		"  1 host: 0 product-active, 0 product-likely, "
		"1 browsing-only, 0 indirect\n",
		"  2001:db8:7::9  browsing-only\n",
		"    Evidence  dns-query 1, http-connect 1\n",
		"\nDNS servers that answered matched queries\n\n"
		"  10.1.0.53  answered 2 matched queries for 2 hosts\n"
		"    Its own lookups:\n",
		"    Matches   1: update 1\n",
		"      a.upd.kaspersky.com  update      A           1"
		"  two\\x1b.pcap:149\n",
	};
	struct fixture fx;
	char *s;

	(void)state;
	fixture_init(&fx, false);
	s = capture(text_fn, fx.ag, &fx.meta);
	if (getenv("SHOW_REPORT") != NULL)
		fputs(s, stderr);
	assert_in_order(s, want, sizeof(want) / sizeof(want[0]));
	assert_null(strstr(s, "No host contacted"));
	/* The hostile name is escaped, and nothing is wider than 80. */
	assert_null(strstr(s, "z\x1b"));
	assert_clean_lines(s, 80);
	free(s);
	fixture_free(&fx);
}

static void
test_json_small(void **state)
{
	static const char *const want[] = {
		"{\n  \"version\": \"0.1.0\",\n  \"inputs\": [\n    {\n"
		"      \"path\": \"first.pcap\",\n"
		"      \"format\": \"pcap\",\n"
		"      \"packets\": 120,\n"
		"      \"bytes\": 15000,\n"
		"      \"filtered\": 0,\n"
		"      \"complete\": true,\n"
		"      \"error\": null,\n"
		"      \"unsupported_packets\": 0\n    },\n",
		"      \"path\": \"two\\u001b.pcap\",\n",
		"      \"complete\": false,\n"
		"      \"error\": \"second.pcapng: truncated record at byte "
		"9120\",\n"
		"      \"unsupported_packets\": 3\n    }\n  ],\n",
		"  \"linktypes\": [\n    {\n      \"linktype\": 1,\n"
		"      \"name\": \"EN10MB\",\n      \"packets\": 197,\n"
		"      \"supported\": true\n    },\n",
		"      \"linktype\": 147,\n      \"name\": null,\n",
		"  \"time\": {\n"
		"    \"first\": \"2024-10-01T11:59:50.000001Z\",\n"
		"    \"last\": \"2024-10-01T13:01:40.999999Z\"\n  },\n"
		"  \"packets\": 200,\n  \"bytes\": 24000,\n"
		"  \"filter\": \"udp port 53\",\n"
		"  \"signatures\": {\n    \"count\": 2,\n    \"sets\": [\n",
		"        \"name\": \"test.sigs\",\n        \"count\": 2\n",
		"  \"options\": {\n    \"group_prefix\": {\n"
		"      \"ipv4\": 24,\n"
		"      \"ipv6\": 64\n    },\n    \"max_names\": 2\n  },\n",
		"  \"decode\": {\n    \"malformed\": {\n      \"link\": 0,\n",
		"      \"ipv4\": 2,\n",
		"      \"tcp\": 0\n    },\n    \"non_ip\": 0,\n"
		"    \"ipv4\": 150,\n",
		"    \"frag_evicted\": 0,\n    \"wlan_protected\": 0,\n"
		"    \"tunnels\": {\n      \"gre\": 0,\n",
		"    \"tunnels_too_deep\": 0\n  },\n",
		"  \"dns\": {\n    \"messages\": 170,\n    \"queries\": 90,\n"
		"    \"responses\": 80,\n    \"malformed\": 1,\n"
		"    \"cut\": 0,\n    \"answers_decoded\": 0,\n"
		"    \"tcp_messages\": 3\n  },\n"
		"  \"streams\": {\n"
		"    \"flows_created\": 51,\n"
		"    \"flows_evicted\": 52,\n"
		"    \"flows_expired\": 53,\n"
		"    \"flows_active_max\": 54,\n"
		"    \"no_buffer\": 55,\n"
		"    \"stolen\": 65,\n"
		"    \"capped\": 56,\n"
		"    \"gaps\": 57,\n"
		"    \"holes_full\": 58,\n"
		"    \"out_of_order\": 59,\n"
		"    \"retransmits\": 60,\n"
		"    \"overlaps\": 61,\n"
		"    \"rebased\": 62,\n"
		"    \"holes_skipped\": 63,\n"
		"    \"restarts\": 64,\n"
		"    \"other\": 31,\n"
		"    \"unfinished\": 32,\n"
		"    \"resynced\": 33,\n"
		"    \"proxy_headers\": 0,\n"
		"    \"proxy_untrusted\": 0,\n"
		"    \"proxy_malformed\": 0\n  },\n"
		"  \"tls\": {\n"
		"    \"hellos\": 12,\n"
		"    \"no_sni\": 4,\n"
		"    \"ip_sni\": 5,\n"
		"    \"ech\": 6,\n"
		"    \"malformed\": 7,\n"
		"    \"too_big\": 8\n  },\n"
		"  \"http\": {\n"
		"    \"requests\": 21,\n"
		"    \"malformed\": 22,\n"
		"    \"too_big\": 23,\n"
		"    \"forwarded\": 24,\n"
		"    \"forwarded_untrusted\": 0\n  },\n"
		"  \"socks\": {\n    \"requests\": 1\n  },\n"
		"  \"quic\": {\n"
		"    \"initials\": 41,\n"
		"    \"failed\": 42,\n"
		"    \"hellos\": 1,\n"
		"    \"malformed\": 44,\n"
		"    \"unknown_version\": 0,\n"
		"    \"reserved_version\": 0,\n"
		"    \"unknown_versions\": {\n      \"Q046\": 0,\n"
		"      \"Q050\": 0,\n      \"gquic_other\": 0,\n"
		"      \"draft_old\": 0,\n      \"other\": 0\n    }\n  },\n"
		"  \"logs\": {\n    \"records\": 0,\n    \"dns\": 0,\n"
		"    \"tls\": 0,\n    \"http\": 0,\n    \"quic\": 0,\n"
		"    \"flows\": 0,\n    \"malformed\": 0,\n"
		"    \"answers_dropped\": 0\n  },\n"
		"  \"dnstap\": {\n    \"frames\": 0,\n"
		"    \"client_messages\": 0,\n"
		"    \"resolver_messages\": 0,\n"
		"    \"resolver_matched\": 0,\n"
		"    \"other_messages\": 0,\n"
		"    \"malformed\": 0\n  },\n"
		"  \"machine_names\": {\n    \"dhcp\": 0,\n"
		"    \"dhcp_malformed\": 0,\n    \"dhcpv6\": 0,\n"
		"    \"dhcpv6_malformed\": 0,\n    \"mdns\": 0,\n"
		"    \"llmnr\": 0,\n    \"mdns_malformed\": 0,\n"
		"    \"netbios\": 0,\n    \"netbios_malformed\": 0,\n"
		"    \"learned\": 0,\n    \"owner_changed\": 0,\n"
		"    \"refused\": 0,\n    \"addresses\": 0\n  },\n"
		"  \"names_seen\": 170,\n  \"matches\": 9,\n"
		"  \"matches_by_kind\": {\n    \"dns-query\": 5,\n"
		"    \"dns-answer\": 2,\n    \"tls-sni\": 1,\n"
		"    \"quic-sni\": 0,\n    \"http-host\": 0,\n"
		"    \"http-connect\": 1,\n    \"http-uri\": 0,\n"
		"    \"dns-correlated\": 0,\n    \"ip-prefix\": 0,\n"
		"    \"socks-connect\": 0,\n    \"ksc-port\": 0\n  },\n"
		"  \"summary\": {\n    \"hosts\": 3,\n"
		"    \"product_active\": 1,\n    \"product_likely\": 0,\n"
		"    \"browsing_only\": 2,\n"
		"    \"indirect\": 0,\n    \"migrated\": 0,\n"
		"    \"resolvers\": 1,\n"
		"    \"refused\": 0,\n    \"hosts_refused\": 0\n  },\n"
		"  \"networks\": [\n    {\n      \"name\": \"Office\",\n"
		"      \"cidr\": \"10.1.0.0/16\",\n      \"listed\": true,\n"
		"      \"contacts\": [\n        \"noc@example.net\",\n"
		"        \"abuse@example.net\"\n      ],\n",
		"      \"hosts\": [\n        {\n"
		"          \"address\": \"10.1.2.3\",\n"
		"          \"mac\": \"02:00:00:00:00:05\",\n"
		"          \"macs_seen\": 1,\n"
		"          \"vlan\": 10,\n"
		"          \"vlans\": [\n            10,\n            20\n"
		"          ],\n"
		"          \"first_seen\": {\n"
		"            \"file\": \"first.pcap\",\n"
		"            \"frame\": 7,\n"
		"            \"time\": \"2024-10-01T12:00:00.250000Z\"\n"
		"          },\n",
		"          \"verdict\": \"product-active\",\n"
		"          \"observations\": 4,\n"
		"          \"categories\": {\n            \"update\": 4,\n",
		"          \"names\": [\n            {\n"
		"              \"name\": \"a.upd.kaspersky.com\",\n"
		"              \"category\": \"update\",\n"
		"              \"pattern\": \"upd.kaspersky.com\",\n"
		"              \"confidence\": \"A\",\n"
		"              \"source\": \"vendor docs\",\n"
		"              \"set\": \"builtin\",\n"
		"              \"count\": 1,\n"
		"              \"kinds\": [\n"
		"                \"dns-query\"\n              ],\n"
		"              \"first\": {\n",
		"          \"names_dropped\": 1,\n"
		"          \"blind\": {\n"
		"            \"dot\": 0,\n            \"doh\": 0,\n"
		"            \"ech\": 0\n          },\n"
		"          \"ksc_agents\": 0,\n"
		"          \"ksc_server\": false,\n"
		"          \"names_seen\": []\n        },\n",
		"          \"address\": \"10.1.9.9\",\n"
		"          \"mac\": null,\n"
		"          \"macs_seen\": 0,\n"
		"          \"vlan\": null,\n"
		"          \"first_seen\": {\n",
		"          \"kinds\": {\n"
		"            \"dns-query\": 0,\n"
		"            \"dns-answer\": 1,\n"
		"            \"tls-sni\": 1,\n",
		"              \"confidence\": null,\n"
		"              \"source\": null,\n",
		"              \"count\": 2,\n"
		"              \"kinds\": [\n"
		"                \"dns-answer\",\n"
		"                \"tls-sni\"\n              ],\n",
		"      \"name\": \"2001:db8:7::/64\",\n"
		"      \"cidr\": \"2001:db8:7::/64\",\n"
		"      \"listed\": false,\n      \"contacts\": [],\n",
		"  \"resolvers\": [\n    {\n"
		"      \"address\": \"10.1.0.53\",\n",
		"      \"observations\": 1,\n      \"answered\": 2,\n"
		"      \"answered_hosts\": 2,\n",
		"      \"names_dropped\": 0,\n",
		"      \"ksc_server\": false,\n"
		"      \"names_seen\": []\n    }\n  ],\n"
		"  \"blind_spots\": {\n    \"dot\": 0,\n    \"doh\": 0,\n"
		"    \"ech\": 0,\n    \"hosts\": []\n  }\n}\n",
	};
	struct fixture fx;
	char *s, *t;

	(void)state;
	fixture_init(&fx, false);
	s = capture(json_fn, fx.ag, &fx.meta);
	if (getenv("SHOW_REPORT") != NULL)
		fputs(s, stderr);
	assert_in_order(s, want, sizeof(want) / sizeof(want[0]));
	assert_null(strstr(s, "\x1b"));
	/* Byte-identical on a second run. */
	t = capture(json_fn, fx.ag, &fx.meta);
	assert_string_equal(s, t);
	free(t);
	free(s);
	fixture_free(&fx);
}

static void
test_empty(void **state)
{
	static const char *const want_text[] = {
		"kasaudit 0.1.0 report\n",
		"Signatures  2 (test.sigs 2)\n"
		"Grouping    by /24 (IPv4), /64 (IPv6) outside listed "
		"networks\n"
		"Names       up to 2 per host\n"
		"\nSummary\n"
		"  No host contacted a name in the signature sets.\n"
		"  DNS: 170 messages (90 queries, 80 responses)\n"
		"  Names looked up: 170\n"
		"  Matches: 0\n",
	};
	static const char *const want_json[] = {
		"    \"tcp_messages\": 0\n  },\n"
		"  \"streams\": {\n    \"flows_created\": 0,\n",
		"    \"unfinished\": 0,\n"
		"    \"resynced\": 0,\n"
		"    \"proxy_headers\": 0,\n"
		"    \"proxy_untrusted\": 0,\n"
		"    \"proxy_malformed\": 0\n  },\n"
		"  \"tls\": {\n    \"hellos\": 0,\n",
		"  \"matches\": 0,\n",
		"  \"summary\": {\n    \"hosts\": 0,\n",
		"  \"networks\": [],\n  \"resolvers\": [],\n"
		"  \"blind_spots\": {\n    \"dot\": 0,\n    \"doh\": 0,\n"
		"    \"ech\": 0,\n    \"hosts\": []\n  }\n}\n",
	};
	struct fixture fx;
	struct report_meta bare;
	char *s;

	(void)state;
	fixture_init(&fx, true);
	s = capture(text_fn, fx.ag, &fx.meta);
	assert_in_order(s, want_text, sizeof(want_text) / sizeof(want_text[0]));
	assert_null(strstr(s, "Network "));
	assert_null(strstr(s, "DNS servers that answered"));
	/* Parsers that saw nothing get no line; losses only when there. */
	assert_null(strstr(s, "TLS"));
	assert_null(strstr(s, "HTTP"));
	assert_null(strstr(s, "QUIC"));
	assert_null(strstr(s, "SOCKS"));
	assert_null(strstr(s, "over TCP"));
	assert_null(strstr(s, "--stream-bytes"));
	assert_non_null(strstr(s, "  Matches: 0\n  Could not look into:\n"));
	free(s);
	s = capture(json_fn, fx.ag, &fx.meta);
	assert_in_order(s, want_json, sizeof(want_json) / sizeof(want_json[0]));
	free(s);

	/* No inputs, no statistics, no signatures: still a whole report. */
	memset(&bare, 0, sizeof(bare));
	s = capture(text_fn, fx.ag, &bare);
	assert_non_null(strstr(s, "Inputs\n  none\n"));
	assert_non_null(strstr(s, "Time        no packets\n"));
	assert_non_null(strstr(s, "No host contacted a name"));
	assert_non_null(strstr(s, "  Matches: 0\n"
	    "  Nothing malformed, cut, missing or refused.\n"));
	free(s);
	s = capture(json_fn, fx.ag, &bare);
	assert_non_null(strstr(s, "  \"version\": null,\n  \"inputs\": [],\n"
	    "  \"linktypes\": [],\n  \"time\": {\n    \"first\": null,\n"
	    "    \"last\": null\n  },\n"));
	assert_non_null(strstr(s, "  \"filter\": null,\n  \"signatures\": {\n"
	    "    \"count\": 0,\n    \"sets\": []\n  },\n"));
	/* No flow table: no stream counters, but the parsers' zeros. */
	assert_non_null(strstr(s, "    \"tcp_messages\": 0\n  },\n"
	    "  \"streams\": null,\n  \"tls\": {\n    \"hellos\": 0,\n"));
	free(s);
	fixture_free(&fx);
}

/* A path too long for its column gets a line of its own. */
static void
test_text_long_path(void **state)
{
	static const char path[] =
	    "/var/captures/sensor-7/2024-10-01/uplink-0800.pcapng";
	struct report_file f;
	struct report_meta meta;
	struct aggregate *ag = aggregate_new(64);
	char *s;

	(void)state;
	assert_non_null(ag);
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	memset(&f, 0, sizeof(f));
	f.path = path;
	f.format = "pcapng";
	f.packets = 1;
	f.bytes = 60;
	f.complete = true;
	memset(&meta, 0, sizeof(meta));
	meta.files = &f;
	meta.n_files = 1;
	s = capture(text_fn, ag, &meta);
	assert_non_null(strstr(s, "Inputs\n  /var/captures/sensor-7/2024-10-01/"
	    "uplink-0800.pcapng\n"
	    "                                    pcapng          1 packet "
	    "           60 bytes\n"));
	assert_clean_lines(s, 80);
	free(s);
	aggregate_free(ag);
}

/*
 * jw gathers what it writes in a buffer of JW_BUF bytes: tokens that
 * straddle its end, a string longer than it, and escapes at its edge come
 * out as written one at a time.
 */
static void
test_jw_buffer(void **state)
{
	struct jw w;
	char *out = NULL, *want, *big;
	size_t out_len = 0, want_len = 0, cap, i, k;
	FILE *fp;

	(void)state;
	cap = 8 * JW_BUF;
	assert_non_null(want = malloc(cap));
	assert_non_null(big = malloc(3 * JW_BUF));
	for (i = 0; i < 3 * JW_BUF; i++)
		big[i] = (char)('a' + i % 26);
	big[JW_BUF - 1] = '"';		/* an escape across the edge */
	assert_non_null(fp = open_memstream(&out, &out_len));
	jw_init(&w, fp, false);
	jw_open(&w, NULL, '[');
	want[want_len++] = '[';
	/* Numbers of every width until well past two buffers. */
	for (i = 0, k = 1; want_len < 2 * JW_BUF + 100; i++, k = k * 7 + i) {
		jw_u64(&w, NULL, k);
		want_len += (size_t)snprintf(want + want_len, cap - want_len,
		    "%s%zu", i > 0 ? "," : "", k);
	}
	jw_strn(&w, NULL, big, 3 * JW_BUF);
	want_len += (size_t)snprintf(want + want_len, cap - want_len, ",\"");
	for (i = 0; i < 3 * JW_BUF; i++) {
		if (big[i] == '"')
			want[want_len++] = '\\';
		want[want_len++] = big[i];
	}
	want[want_len++] = '"';
	jw_strn(&w, NULL, "\x01", 1);
	want_len += (size_t)snprintf(want + want_len, cap - want_len,
	    ",\"\\u0001\"");
	jw_close(&w, ']');
	want[want_len++] = ']';
	want[want_len++] = '\n';
	assert_int_equal(jw_end(&w), ERR_OK);
	fclose(fp);
	assert_int_equal(out_len, want_len);
	assert_memory_equal(out, want, want_len);
	free(out);
	free(want);
	free(big);
}

/* A stream that fails shows up as ERR_IO: each writer on its own (the
 * stream's error flag cleared before each). */
static void
test_io_error(void **state)
{
	struct fixture fx;
	struct obs o = event_obs();
	FILE *fp;

	(void)state;
	if ((fp = fopen("/dev/full", "w")) == NULL)
		skip();
	setvbuf(fp, NULL, _IONBF, 0);
	fixture_init(&fx, false);
	assert_int_equal(report_text(fp, fx.ag, &fx.meta), ERR_IO);
	clearerr(fp);
	assert_int_equal(report_json(fp, fx.ag, &fx.meta), ERR_IO);
	clearerr(fp);
	assert_int_equal(report_event(fp, &o, &sig_update), ERR_IO);
	fclose(fp);
	fixture_free(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_event_exact),
		cmocka_unit_test(test_event_flags),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_text_small),
		cmocka_unit_test(test_json_small),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_text_long_path),
		cmocka_unit_test(test_io_error),
		cmocka_unit_test(test_jw_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
