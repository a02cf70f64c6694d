/* test_report_formats.c - CSV (RFC 4180), HTML, report directories. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static const struct match_sig sig_update = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'A', "vendor docs", "",
	"builtin", 1,
};
static const struct match_sig sig_web = {
	"kaspersky.com", MK_SUFFIX, CAT_WEB, 'B', "", "", "extra.sigs", 2,
};

/*
 * Hostile network names: a formula with a quote, a comma and a byte that is
 * not UTF-8; names that collide once cleaned (a/b, a_b, A_B and a literal
 * a_b-2); the index's own name; dot names; an option; a right-to-left
 * override; a name too long for a file.
 */
static const char nets[] =
    "10.1.0.0/16 =net,\"x\"\xff contact<1> -c2 \"\\\"q,c\\\"\"\n"
    "10.2.0.0/16 a/b\n"
    "10.3.0.0/16 a_b\n"
    "10.4.0.0/16 A_B\n"
    "10.5.0.0/16 INDEX\n"
    "10.6.0.0/16 ..\n"
    "10.7.0.0/16 .hidden\n"
    "10.8.0.0/16 -rf\n"
    "10.9.0.0/16 a_b-2\n"
    "10.10.0.0/16 rtl\xe2\x80\xae" "gpj.exe\n"
    "10.11.0.0/16 "
    "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL\n"
    "10.12.0.0/16 llllllllllllllllllllllllllllllllllllllllllllllllllllllll\n";

struct fixture {
	struct aggregate	*ag;
	struct netmap		*nm;
	struct match		*m;
	struct report_meta	 meta;
	struct report_file	 files[1];
};

static void
add(struct fixture *fx, const char *client, const char *server,
    enum obs_kind kind, const char *name, size_t name_len,
    const struct match_sig *sig, int64_t sec, uint64_t frame)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = "cap\"<1>.pcap";
	o.frame = frame;
	o.ts_sec = sec;
	o.ts_nsec = 500000000;
	assert_true(addr_parse(&o.client, client));
	assert_true(addr_parse(&o.server, server));
	o.client_port = 40000;
	o.server_port = 53;
	o.kind = kind;
	o.name = name;
	o.name_len = name_len;
	if (strcmp(client, "10.1.2.3") == 0) {
		o.has_mac = true;
		memcpy(o.mac, "\x02\x00\x00\x00\x00\x05", 6);
		o.n_vlan = 2;
		o.vlan[0] = 10;
		o.vlan[1] = 20;
	}
	assert_int_equal(aggregate_add(fx->ag, &o, sig), ERR_OK);
}

#define ADD(fx, c, s, k, name, sig, sec, fr) \
	add(fx, c, s, k, name, sizeof(name) - 1, sig, sec, fr)

static void
fixture_init(struct fixture *fx)
{
	static const char sigs_text[] = "upd.kaspersky.com update\n";
	char errbuf[ERRBUF_LEN], a[32];
	struct obs o;
	int i;

	memset(fx, 0, sizeof(*fx));
	assert_non_null(fx->ag = aggregate_new(8));
	assert_non_null(fx->nm = netmap_new());
	assert_non_null(fx->m = match_new());
	assert_int_equal(netmap_load_buf(fx->nm, nets, sizeof(nets) - 1,
	    "nets", errbuf), ERR_OK);
	assert_int_equal(match_load_buf(fx->m, sigs_text,
	    sizeof(sigs_text) - 1, "t.sigs", errbuf), ERR_OK);
	/* Hostile wire names: what a report must never pass on raw. */
	ADD(fx, "10.1.2.3", "10.1.0.53", OBS_DNS_QUERY,
	    "=cmd|' /c calc'!A0.upd.kaspersky.com", &sig_update, 1727784000,
	    1);
	ADD(fx, "10.1.2.3", "10.1.0.53", OBS_DNS_ANSWER,
	    "x\"y,z.upd.kaspersky.com", &sig_update, 1727784001, 2);
	ADD(fx, "10.1.2.3", "9.9.9.9", OBS_DNS_ANSWER,
	    "nl\nname\r.upd.kaspersky.com", &sig_update, 1727784002, 3);
	ADD(fx, "10.1.2.3", "10.1.0.53", OBS_DNS_QUERY,
	    "bad\xff\xfe\xc3.upd.kaspersky.com", &sig_update, 1727784003, 4);
	ADD(fx, "10.1.2.3", "10.1.0.53", OBS_TLS_SNI,
	    "<script>alert('x')</script>.kaspersky.com", &sig_web,
	    1727784004, 5);
	ADD(fx, "10.1.2.4", "10.1.0.53", OBS_DNS_QUERY,
	    "-2+3.upd.kaspersky.com", &sig_update, 1727784100, 6);
	ADD(fx, "2001:db8::1", "2001:db8::53", OBS_DNS_QUERY,
	    "@sum.kaspersky.com", &sig_web, 1727784200, 7);
	/* One host in every other listed network. */
	for (i = 2; i <= 12; i++) {
		snprintf(a, sizeof(a), "10.%d.0.9", i);
		add(fx, a, "192.0.2.53", OBS_DNS_QUERY, "s.upd.kaspersky.com",
		    19, &sig_update, 1727784300 + i, 10 + (uint64_t)i);
	}
	/* A host of 10.1/16 with a blind spot only, one elsewhere. */
	memset(&o, 0, sizeof(o));
	o.file = "b.pcap";
	assert_true(addr_parse(&o.client, "10.1.7.7"));
	assert_int_equal(aggregate_blind(fx->ag, &o, BLIND_DOH), ERR_OK);
	assert_true(addr_parse(&o.client, "172.16.0.1"));
	assert_int_equal(aggregate_blind(fx->ag, &o, BLIND_DOT), ERR_OK);
	assert_int_equal(aggregate_finish(fx->ag, fx->nm, 24, 64), ERR_OK);

	fx->files[0].path = "cap\"<1>.pcap";
	fx->files[0].format = "pcap";
	fx->files[0].packets = 30;
	fx->files[0].bytes = 3000;
	fx->files[0].complete = true;
	fx->files[0].error = "";
	fx->meta.version = "0.1.0";
	fx->meta.files = fx->files;
	fx->meta.n_files = 1;
	fx->meta.packets = 30;
	fx->meta.bytes = 3000;
	fx->meta.have_time = true;
	fx->meta.first_sec = 1727784000;
	fx->meta.last_sec = 1727784400;
	fx->meta.match = fx->m;
	fx->meta.v4_plen = 24;
	fx->meta.v6_plen = 64;
	fx->meta.max_names = 8;
	fx->meta.netmap = fx->nm;
}

static void
fixture_free(struct fixture *fx)
{
	aggregate_free(fx->ag);
	netmap_free(fx->nm);
	match_free(fx->m);
}

static const struct agg_net *
net_named(const struct aggregate *ag, const char *name)
{
	size_t i;

	for (i = 0; i < aggregate_n_nets(ag); i++)
		if (strcmp(aggregate_net(ag, i)->name, name) == 0)
			return aggregate_net(ag, i);
	fail_msg("no network %s", name);
	return NULL;
}

enum which { W_CSV, W_HTML, W_TEXT_NET, W_JSON_NET, W_INDEX_TEXT,
	W_INDEX_JSON };

static char *
run(enum which w, struct fixture *fx, const struct agg_net *net,
    char **bases, size_t *len_out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int r = ERR_IO;

	assert_non_null(fp);
	switch (w) {
	case W_CSV:
		r = report_csv(fp, fx->ag, &fx->meta, net);
		break;
	case W_HTML:
		r = report_html(fp, fx->ag, &fx->meta, net);
		break;
	case W_TEXT_NET:
		r = report_text_net(fp, fx->ag, &fx->meta, net);
		break;
	case W_JSON_NET:
		r = report_json_net(fp, fx->ag, &fx->meta, net);
		break;
	case W_INDEX_TEXT:
		r = report_index_text(fp, fx->ag, &fx->meta, bases, "html");
		break;
	case W_INDEX_JSON:
		r = report_index_json(fp, fx->ag, &fx->meta, bases, NULL);
		break;
	}
	assert_int_equal(r, ERR_OK);
	assert_int_equal(fclose(fp), 0);
	if (len_out != NULL)
		*len_out = len;
	return buf;
}

/* The whole text is well-formed UTF-8 (RFC 3629). */
static void
assert_utf8(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = report_utf8_len((const unsigned char *)s + i, n - i);
		if (k == 0)
			fail_msg("not UTF-8 at byte %zu", i);
		i += k;
	}
}

/*
 * A strict RFC 4180 reader: rows of fields, CRLF after each row, quoted
 * fields with doubled quotes.  Fails the test on anything else.  Returns
 * the rows; fields are NUL-separated, rows end with an extra NUL.
 */
#define CSV_MAX_ROWS	64
#define CSV_MAX_COLS	32

struct csv {
	char	*f[CSV_MAX_ROWS][CSV_MAX_COLS];
	size_t	 n_cols[CSV_MAX_ROWS];
	size_t	 n_rows;
};

static void
csv_parse(struct csv *c, const char *s, size_t n)
{
	size_t i = 0, o;
	char *cell;
	bool end_row;

	memset(c, 0, sizeof(*c));
	while (i < n) {
		assert_true(c->n_rows < CSV_MAX_ROWS);
		assert_true(c->n_cols[c->n_rows] < CSV_MAX_COLS);
		assert_non_null(cell = calloc(1, n + 1));
		o = 0;
		if (s[i] == '"') {
			for (i++;; i++) {
				assert_true(i < n);
				if (s[i] == '"') {
					if (i + 1 < n && s[i + 1] == '"') {
						cell[o++] = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				cell[o++] = s[i];
			}
		} else {
			for (; i < n && s[i] != ',' && s[i] != '\r'; i++) {
				/* Unquoted fields hold no quote or break. */
				assert_true(s[i] != '"' && s[i] != '\n');
				cell[o++] = s[i];
			}
		}
		c->f[c->n_rows][c->n_cols[c->n_rows]++] = cell;
		assert_true(i < n);
		end_row = s[i] == '\r';
		if (end_row) {
			assert_true(i + 1 < n && s[i + 1] == '\n');
			i += 2;
			c->n_rows++;
		} else {
			assert_int_equal(s[i], ',');
			i++;
		}
	}
}

static void
csv_free(struct csv *c)
{
	size_t r, k;

	for (r = 0; r <= c->n_rows && r < CSV_MAX_ROWS; r++)
		for (k = 0; k < c->n_cols[r]; k++)
			free(c->f[r][k]);
}

/* The row of a host (by the host column). */
static char **
csv_row(struct csv *c, const char *host)
{
	size_t r;

	for (r = 1; r < c->n_rows; r++)
		if (strcmp(c->f[r][3], host) == 0)
			return c->f[r];
	fail_msg("no row for %s", host);
	return NULL;
}

static void
test_csv(void **state)
{
	struct fixture fx;
	struct csv c;
	char *out, **row;
	size_t len, r, i;

	(void)state;
	fixture_init(&fx);
	out = run(W_CSV, &fx, NULL, NULL, &len);
	assert_utf8(out, len);
	csv_parse(&c, out, len);
	/* Header and 14 offenders, all with the same number of fields. */
	assert_int_equal(c.n_rows, 1 + 14);
	assert_int_equal(c.n_cols[0], 9 + CAT_N + 2);
	assert_string_equal(c.f[0][0], "network");
	assert_string_equal(c.f[0][9], "update");
	assert_string_equal(c.f[0][9 + CAT_N], "names");
	assert_string_equal(c.f[0][9 + CAT_N + 1], "machine_names");
	for (r = 1; r < c.n_rows; r++)
		assert_int_equal(c.n_cols[r], c.n_cols[0]);
	row = csv_row(&c, "10.1.2.3");
	assert_string_equal(row[0], "10.1.0.0/16");
	/* A formula neutralised, the byte that is not UTF-8 shown. */
	assert_string_equal(row[1], "'=net,\"x\"\\xff");
	assert_string_equal(row[2], "contact<1>, -c2, \"q,c\"");
	assert_string_equal(row[4], "02:00:00:00:00:05");
	assert_string_equal(row[5], "10");		/* the outer tag */
	assert_string_equal(row[6], "product-active");
	assert_string_equal(row[7], "2024-10-01T12:00:00.500000Z");
	assert_string_equal(row[8], "2024-10-01T12:00:04.500000Z");
	assert_string_equal(row[9], "4");		/* update */
	assert_string_equal(row[9 + CAT_WEB], "1");
	/* Sorted bytewise; control bytes and bad UTF-8 as \xHH. */
	assert_string_equal(row[9 + CAT_N],
	    "<script>alert('x')</script>.kaspersky.com "
	    "=cmd|' /c calc'!A0.upd.kaspersky.com "
	    "bad\\xff\\xfe\\xc3.upd.kaspersky.com "
	    "nl\\x0aname\\x0d.upd.kaspersky.com "
	    "x\"y,z.upd.kaspersky.com");
	row = csv_row(&c, "10.1.2.4");
	assert_string_equal(row[4], "");
	assert_string_equal(row[5], "");
	assert_string_equal(row[9 + CAT_N], "'-2+3.upd.kaspersky.com");
	/* An IPv6 address is not a formula; an @ cell is. */
	row = csv_row(&c, "2001:db8::1");
	assert_string_equal(row[0], "2001:db8::/64");
	assert_string_equal(row[1], "2001:db8::/64");
	assert_string_equal(row[9 + CAT_N], "'@sum.kaspersky.com");
	row = csv_row(&c, "10.8.0.9");
	assert_string_equal(row[1], "'-rf");
	/* No raw line break or control byte anywhere but the CRLFs. */
	for (i = 0; i < len; i++) {
		if (out[i] == '\r') {
			assert_int_equal(out[i + 1], '\n');
			i++;
			continue;
		}
		assert_true((unsigned char)out[i] >= 0x20 && out[i] != 0x7f);
	}
	csv_free(&c);
	free(out);
	/* One network only. */
	out = run(W_CSV, &fx, net_named(fx.ag, "a/b"), NULL, &len);
	csv_parse(&c, out, len);
	assert_int_equal(c.n_rows, 2);
	assert_string_equal(c.f[1][3], "10.2.0.9");
	csv_free(&c);
	free(out);
	fixture_free(&fx);
}

/* Tags the page may hold: the writer's own, nothing from the input. */
static void
assert_own_tags(const char *s)
{
	static const char *const ok[] = {
		"!DOCTYPE", "html", "head", "meta", "title", "style", "body",
		"header", "h1", "h2", "h3", "p", "main", "section", "div",
		"span", "svg", "rect", "text", "line", "circle", "g", "table",
		"tr", "th", "td", "ul", "li", "br", "wbr", "footer",
	};
	const char *p = s;
	size_t i, n;

	while ((p = strchr(p, '<')) != NULL) {
		p++;
		if (*p == '/')
			p++;
		n = strcspn(p, " >/\n");
		for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			if (strlen(ok[i]) == n && strncmp(ok[i], p, n) == 0)
				break;
		if (i == sizeof(ok) / sizeof(ok[0]))
			fail_msg("tag not ours: <%.*s", (int)n, p);
	}
}

static void
test_html(void **state)
{
	struct fixture fx;
	char *out, *again, *one;
	size_t len, len2;
	const char *p;

	(void)state;
	fixture_init(&fx);
	out = run(W_HTML, &fx, NULL, NULL, &len);
	assert_utf8(out, len);
	assert_own_tags(out);
	assert_null(strstr(out, "<script"));
	assert_non_null(strstr(out,
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;.kaspersky.com"));
	assert_non_null(strstr(out, "=net,&quot;x&quot;\\xff"));
	assert_non_null(strstr(out, "contact&lt;1&gt;, -c2, &quot;q,c&quot;"));
	assert_non_null(strstr(out, "nl\\x0aname\\x0d.upd"));
	assert_non_null(strstr(out, "bad\\xff\\xfe\\xc3.upd"));
	assert_non_null(strstr(out, "cap&quot;&lt;1&gt;.pcap:1"));
	/* The override cannot turn text around: shown, not obeyed. */
	assert_non_null(strstr(out, "rtl\\u{202e}gpj.exe"));
	assert_null(strstr(out, "\xe2\x80\xae"));
	/* Self-contained: nothing to fetch, nothing to run. */
	assert_null(strstr(out, "src="));
	assert_null(strstr(out, "href"));
	assert_null(strstr(out, "url("));
	assert_null(strstr(out, "@import"));
	for (p = out; (p = strstr(p, "http")) != NULL; p += 4)
		assert_true(strncmp(p, "http://www.w3.org/2000/svg\"",
		    27) == 0 || strncmp(p, "http-equiv=", 11) == 0);
	assert_non_null(strstr(out, "default-src 'none'"));
	/* Two charts; the blind and DNS server tables. */
	assert_non_null(p = strstr(out, "<svg"));
	assert_non_null(strstr(p + 4, "<svg"));
	assert_non_null(strstr(out, "DNS servers that answered"));
	assert_non_null(strstr(out, "could not be seen"));
	/* Deterministic. */
	again = run(W_HTML, &fx, NULL, NULL, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(out, again, len);
	/* One network: its hosts, DNS servers and blind hosts only. */
	one = run(W_HTML, &fx, net_named(fx.ag, "=net,\"x\"\xff"), NULL,
	    NULL);
	assert_own_tags(one);
	assert_non_null(strstr(one, "10.1.2.4"));
	assert_non_null(strstr(one, "10.1.0.53"));
	assert_non_null(strstr(one, "10.1.7.7"));
	assert_null(strstr(one, "10.2.0.9"));
	assert_null(strstr(one, "9.9.9.9"));
	assert_null(strstr(one, "172.16.0.1"));
	free(one);
	free(again);
	free(out);
	fixture_free(&fx);
}

/*
 * Packet times at the ends of int64: the timeline's ticks are computed in
 * doubles and must not be converted back out of range (UBSan's
 * float-cast-overflow, which make asan turns on).
 */
static void
test_html_extreme_times(void **state)
{
	static const int64_t secs[][2] = {
		{ INT64_MAX - 1, INT64_MAX },
		{ INT64_MIN + 1, INT64_MAX },
		{ INT64_MIN, INT64_MIN + 1 },
	};
	struct fixture fx;
	char *out;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		fixture_init(&fx);
		aggregate_free(fx.ag);
		assert_non_null(fx.ag = aggregate_new(8));
		add(&fx, "10.1.2.3", "10.1.0.53", OBS_DNS_QUERY,
		    "a.upd.kaspersky.com", 19, &sig_update, secs[i][0], 1);
		add(&fx, "10.1.2.4", "10.1.0.53", OBS_DNS_QUERY,
		    "b.upd.kaspersky.com", 19, &sig_update, secs[i][1], 2);
		assert_int_equal(aggregate_finish(fx.ag, fx.nm, 24, 64),
		    ERR_OK);
		fx.meta.first_sec = secs[i][0];
		fx.meta.last_sec = secs[i][1];
		out = run(W_HTML, &fx, NULL, NULL, &len);
		assert_utf8(out, len);
		assert_own_tags(out);
		free(out);
		fixture_free(&fx);
	}
}

static void
test_bases(void **state)
{
	static const char *const want[] = {
		"_net__x__", "a_b", "a_b-2", "A_B-3", "INDEX-2", "_.",
		"_hidden", "_rf", "a_b-2-2", "rtl___gpj.exe",
		"LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL",
		"llllllllllllllllllllllllllllllllllllllllllllllllllll-2",
		"2001_db8___64",
	};
	struct fixture fx;
	char **bases;
	size_t i, n;

	(void)state;
	fixture_init(&fx);
	n = aggregate_n_nets(fx.ag);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	assert_non_null(bases = report_bases(fx.ag));
	for (i = 0; i < n; i++) {
		assert_string_equal(bases[i], want[i]);
		assert_true(strlen(bases[i]) <= REPORT_BASE_MAX);
		assert_true(bases[i][0] != '.' && bases[i][0] != '-');
		assert_int_equal(strspn(bases[i], "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"),
		    strlen(bases[i]));
	}
	report_bases_free(bases, n);
	report_bases_free(NULL, 0);
	fixture_free(&fx);
}

/*
 * Many names that clean to one stem (all Cyrillic: every byte becomes _)
 * get -2, -3 ... in network order, each tried once: 16,000 such names took
 * 42 s of CPU when every name tried every counter from 2 again.
 */
static void
test_bases_many(void **state)
{
	enum { N = 16000 };
	static const char letters[][3] = {	/* 32 Cyrillic letters */
		"\xd0\xb0", "\xd0\xb1", "\xd0\xb2", "\xd0\xb3", "\xd0\xb4",
		"\xd0\xb5", "\xd0\xb6", "\xd0\xb7", "\xd0\xb8", "\xd0\xb9",
		"\xd0\xba", "\xd0\xbb", "\xd0\xbc", "\xd0\xbd", "\xd0\xbe",
		"\xd0\xbf", "\xd1\x80", "\xd1\x81", "\xd1\x82", "\xd1\x83",
		"\xd1\x84", "\xd1\x85", "\xd1\x86", "\xd1\x87", "\xd1\x88",
		"\xd1\x89", "\xd1\x8a", "\xd1\x8b", "\xd1\x8c", "\xd1\x8d",
		"\xd1\x8e", "\xd1\x8f",
	};
	char errbuf[ERRBUF_LEN], want[32], a[32], *text, *p;
	struct aggregate *ag;
	struct netmap *nm;
	struct obs o;
	char **bases;
	size_t i;

	(void)state;
	assert_non_null(text = malloc((size_t)N * 48));
	p = text;
	for (i = 0; i < N; i++)
		p += sprintf(p, "10.%zu.%zu.0/24 %s%s%s\n", i / 256, i % 256,
		    letters[i % 32], letters[i / 32 % 32], letters[i / 1024]);
	assert_non_null(nm = netmap_new());
	assert_int_equal(netmap_load_buf(nm, text, (size_t)(p - text), "n",
	    errbuf), ERR_OK);
	assert_non_null(ag = aggregate_new(8));
	memset(&o, 0, sizeof(o));
	o.kind = OBS_DNS_QUERY;
	o.name = "a.upd.kaspersky.com";
	o.name_len = 19;
	assert_true(addr_parse(&o.server, "192.0.2.53"));
	for (i = 0; i < N; i++) {
		snprintf(a, sizeof(a), "10.%zu.%zu.1", i / 256, i % 256);
		assert_true(addr_parse(&o.client, a));
		assert_int_equal(aggregate_add(ag, &o, &sig_update), ERR_OK);
	}
	assert_int_equal(aggregate_finish(ag, nm, 24, 64), ERR_OK);
	assert_int_equal(aggregate_n_nets(ag), N);
	assert_non_null(bases = report_bases(ag));
	assert_string_equal(bases[0], "______");
	for (i = 1; i < N; i++) {
		snprintf(want, sizeof(want), "______-%zu", i + 1);
		assert_string_equal(bases[i], want);
	}
	report_bases_free(bases, N);
	aggregate_free(ag);
	netmap_free(nm);
	free(text);
}

static void
test_index(void **state)
{
	struct fixture fx;
	char **bases, *t, *j;

	(void)state;
	fixture_init(&fx);
	assert_non_null(bases = report_bases(fx.ag));
	t = run(W_INDEX_TEXT, &fx, NULL, bases, NULL);
	assert_non_null(strstr(t, "Network =net,\"x\"\\xff (10.1.0.0/16)\n"
	    "  2 hosts: 2 product-active, 0 product-likely, 0 browsing-only, "
	    "0 indirect\n  Contacts: contact<1>, -c2, \"q,c\"\n"
	    "  Files:    _net__x__.txt _net__x__.json _net__x__.html\n"));
	assert_non_null(strstr(t, "Networks    13 with offending hosts "
	    "(14 hosts)\n"));
	j = run(W_INDEX_JSON, &fx, NULL, bases, NULL);
	assert_non_null(strstr(j,
	    "      \"name\": \"=net,\\\"x\\\"\\u00ff\",\n"
	    "      \"cidr\": \"10.1.0.0/16\",\n"
	    "      \"listed\": true,\n"
	    "      \"contacts\": [\n"
	    "        \"contact<1>\",\n"
	    "        \"-c2\",\n"
	    "        \"\\\"q,c\\\"\"\n"
	    "      ],\n"
	    "      \"files\": {\n"
	    "        \"text\": \"_net__x__.txt\",\n"
	    "        \"json\": \"_net__x__.json\"\n"
	    "      },\n"
	    "      \"hosts\": 2,\n"
	    "      \"product_active\": 2,\n"));
	assert_non_null(strstr(j, "\"anonymized\": false,\n"));
	free(t);
	free(j);
	report_bases_free(bases, aggregate_n_nets(fx.ag));
	fixture_free(&fx);
}

static void
test_net_reports(void **state)
{
	struct fixture fx;
	const struct agg_net *net;
	char *t, *j;

	(void)state;
	fixture_init(&fx);
	net = net_named(fx.ag, "=net,\"x\"\xff");
	t = run(W_TEXT_NET, &fx, net, NULL, NULL);
	assert_non_null(strstr(t, "report for network =net,\"x\"\\xff\n"));
	assert_non_null(strstr(t, "  2 hosts of this network contacted "
	    "Kaspersky:\n"));
	assert_non_null(strstr(t, "  1 DNS server of this network relayed "
	    "matched lookups\n"));
	assert_non_null(strstr(t, "  Contacts: contact<1>, -c2, \"q,c\"\n"));
	assert_non_null(strstr(t, "\n  10.1.0.53  answered "));
	assert_non_null(strstr(t, "\n  10.1.7.7  lookups hidden\n"));
	assert_null(strstr(t, "10.2.0.9"));
	assert_null(strstr(t, "9.9.9.9"));
	assert_null(strstr(t, "172.16.0.1"));
	j = run(W_JSON_NET, &fx, net, NULL, NULL);
	assert_non_null(strstr(j, "  \"summary\": {\n    \"hosts\": 2,\n"
	    "    \"product_active\": 2,\n"));
	assert_non_null(strstr(j, "    \"resolvers\": 1,\n"));
	assert_non_null(strstr(j, "\"address\": \"10.1.0.53\""));
	assert_non_null(strstr(j, "  \"blind_spots\": {\n    \"dot\": 0,\n"
	    "    \"doh\": 1,\n"));
	assert_null(strstr(j, "9.9.9.9"));
	assert_null(strstr(j, "10.2.0.9"));
	assert_null(strstr(j, "\"anonymized\""));
	free(t);
	free(j);
	/* Flagged when the addresses are pseudonyms. */
	fx.meta.anonymized = true;
	j = run(W_JSON_NET, &fx, net, NULL, NULL);
	assert_non_null(strstr(j, "    \"max_names\": 8,\n"
	    "    \"anonymized\": true\n"));
	free(j);
	t = run(W_TEXT_NET, &fx, net, NULL, NULL);
	assert_non_null(strstr(t, "Addresses   pseudonyms"));
	free(t);
	fixture_free(&fx);
}

static void
test_in_net(void **state)
{
	struct agg_net n4 = { .cidr = "10.1.0.0/16" };
	struct agg_net n6 = { .cidr = "2001:db8::/32" };
	struct agg_net n0 = { .cidr = "0.0.0.0/0" };
	struct agg_net bad = { .cidr = "nonsense" };
	struct addr a;

	(void)state;
	assert_true(addr_parse(&a, "10.1.255.1"));
	assert_true(report_in_net(&n4, &a));
	assert_false(report_in_net(&n6, &a));
	assert_true(report_in_net(&n0, &a));
	assert_false(report_in_net(&bad, &a));
	assert_true(report_in_net(NULL, &a));
	assert_true(addr_parse(&a, "10.2.0.1"));
	assert_false(report_in_net(&n4, &a));
	assert_true(addr_parse(&a, "2001:db8:ffff::1"));
	assert_true(report_in_net(&n6, &a));
	assert_false(report_in_net(&n0, &a));
}

/* A DNS server of a /26 listed inside a /24 is the /26's. */
static void
test_owns(void **state)
{
	static const char nm_text[] = "10.1.0.0/16 outer\n10.1.0.0/24 inner\n";
	struct agg_net outer = { .cidr = "10.1.0.0/16", .listed = true };
	struct agg_net unl = { .cidr = "172.16.0.0/24" };
	struct agg_net unl6 = { .cidr = "2001:db8::/64" };
	struct report_meta meta;
	char errbuf[ERRBUF_LEN];
	struct netmap *nm;
	struct addr a;

	(void)state;
	memset(&meta, 0, sizeof(meta));
	meta.v4_plen = 24;
	meta.v6_plen = 64;
	assert_non_null(nm = netmap_new());
	assert_int_equal(netmap_load_buf(nm, nm_text, sizeof(nm_text) - 1,
	    "n", errbuf), ERR_OK);
	assert_true(addr_parse(&a, "10.1.0.5"));
	/* Without the networks file: by the CIDR. */
	assert_true(report_owns(&meta, &outer, &a));
	meta.netmap = nm;
	assert_false(report_owns(&meta, &outer, &a));
	assert_true(report_owns(&meta, NULL, &a));
	assert_true(addr_parse(&a, "10.1.9.9"));
	assert_true(report_owns(&meta, &outer, &a));
	assert_false(report_owns(&meta, &unl, &a));
	/* Unlisted: the --group-prefix network. */
	assert_true(addr_parse(&a, "172.16.0.9"));
	assert_true(report_owns(&meta, &unl, &a));
	assert_true(addr_parse(&a, "172.16.1.9"));
	assert_false(report_owns(&meta, &unl, &a));
	assert_true(addr_parse(&a, "2001:db8::1:2"));
	assert_true(report_owns(&meta, &unl6, &a));
	meta.v6_plen = 48;
	assert_false(report_owns(&meta, &unl6, &a));
	netmap_free(nm);
}

/* A stream that fills up: every writer says ERR_IO. */
static void
test_io_error(void **state)
{
	struct fixture fx;
	char buf[64], **bases;
	FILE *fp;
	int k;

	(void)state;
	fixture_init(&fx);
	assert_non_null(bases = report_bases(fx.ag));
	for (k = 0; k < 4; k++) {
		assert_non_null(fp = fmemopen(buf, sizeof(buf), "w"));
		setvbuf(fp, NULL, _IONBF, 0);
		switch (k) {
		case 0:
			assert_int_equal(report_csv(fp, fx.ag, &fx.meta, NULL),
			    ERR_IO);
			break;
		case 1:
			assert_int_equal(report_html(fp, fx.ag, &fx.meta,
			    NULL), ERR_IO);
			break;
		case 2:
			assert_int_equal(report_index_text(fp, fx.ag, &fx.meta,
			    bases, NULL), ERR_IO);
			break;
		default:
			assert_int_equal(report_index_json(fp, fx.ag, &fx.meta,
			    bases, "csv"), ERR_IO);
			break;
		}
		fclose(fp);
	}
	report_bases_free(bases, aggregate_n_nets(fx.ag));
	fixture_free(&fx);
}

/* No offenders at all: every writer still writes a whole document. */
static void
test_empty(void **state)
{
	struct fixture fx;
	char *out, **bases;
	size_t len;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	assert_non_null(fx.ag = aggregate_new(8));
	assert_non_null(fx.m = match_new());
	assert_int_equal(aggregate_finish(fx.ag, NULL, 24, 64), ERR_OK);
	fx.meta.match = fx.m;
	out = run(W_CSV, &fx, NULL, NULL, &len);
	assert_int_equal(strchr(out, '\n') - out + 1, (long)len);
	free(out);
	out = run(W_HTML, &fx, NULL, NULL, NULL);
	assert_non_null(strstr(out, "No host contacted"));
	assert_non_null(strstr(out, "</html>\n"));
	assert_own_tags(out);
	free(out);
	assert_non_null(bases = report_bases(fx.ag));
	out = run(W_INDEX_JSON, &fx, NULL, bases, NULL);
	assert_non_null(strstr(out, "\"networks\": []"));
	assert_non_null(strstr(out, "\"first\": null"));
	free(out);
	report_bases_free(bases, 0);
	fixture_free(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_html_extreme_times),
		cmocka_unit_test(test_bases),
		cmocka_unit_test(test_bases_many),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_net_reports),
		cmocka_unit_test(test_in_net),
		cmocka_unit_test(test_owns),
		cmocka_unit_test(test_io_error),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
