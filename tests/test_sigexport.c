/* test_sigexport.c - unit tests for sigexport.c: each format's lines, what
 * each pattern kind becomes, what is refused, stable sids, determinism. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "match.h"
#include "sigexport.h"

static char errbuf[ERRBUF_LEN];

/* exact, suffix, wildcards covered and not, a name below a suffix, the
 * same apex twice (suffix and exact), an address, an encrypted-dns line. */
static const char set_a[] =
    "=exact.example.org update confidence=A\n"
    "blocked.example update confidence=B note=\"tab\there\"\n"
    "=blocked.example telemetry\n"
    "=deep.x.blocked.example update\n"
    "p*.blocked.example update\n"
    "w*.wild.example.net update\n"
    "*.star.example.net update\n"
    "192.0.2.0/24 other\n"
    "=dns.example encrypted-dns\n";

static struct match *
load(const char *text)
{
	struct match *m;

	assert_non_null(m = match_new());
	assert_int_equal(match_load_buf(m, text, strlen(text), "a.sigs",
	    errbuf), ERR_OK);
	return m;
}

/* The export of m with o as a NUL-terminated heap string (or NULL when
 * refused, errbuf saying why). */
static char *
run(const struct match *m, const struct sigexport_opts *o,
    struct sigexport_stats *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int r;

	assert_non_null(fp = open_memstream(&buf, &len));
	errbuf[0] = '\0';
	r = sigexport_write(fp, m, o, st, errbuf);
	fclose(fp);
	if (r != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static char *
run_fmt(const struct match *m, const char *fmt, const char *action,
    const char *redirect, struct sigexport_stats *st)
{
	struct sigexport_opts o;

	sigexport_defaults(&o);
	o.serial = 7;
	o.version = "test";
	assert_int_equal(sigexport_set_format(&o, fmt, errbuf), 0);
	if (action != NULL)
		assert_int_equal(sigexport_set_action(&o, action, errbuf), 0);
	if (redirect != NULL)
		assert_int_equal(sigexport_set_redirect(&o, redirect, errbuf),
		    0);
	return run(m, &o, st);
}

static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' ||
		    p[n] == '\0'))
			return true;
	return false;
}

static size_t
count_lines(const char *text, const char *prefix)
{
	size_t n = 0, k = strlen(prefix);
	const char *p = text;

	while (*p != '\0') {
		n += strncmp(p, prefix, k) == 0;
		p = strchr(p, '\n');
		if (p == NULL)
			break;
		p++;
	}
	return n;
}

static void
test_rpz(void **state)
{
	struct sigexport_stats st;
	struct match *m = load(set_a);
	char *t;

	(void)state;
	assert_non_null(t = run_fmt(m, "rpz", NULL, NULL, &st));
	assert_true(has_line(t, "$ORIGIN rpz.kasaudit."));
	assert_true(has_line(t, "@\tSOA\tlocalhost. hostmaster.localhost. 7 "
	    "3600 600 604800 300"));
	assert_true(has_line(t, "exact.example.org\tCNAME\t.\t; update"));
	assert_true(has_line(t, "blocked.example\tCNAME\t.\t; update"));
	assert_true(has_line(t, "*.blocked.example\tCNAME\t.\t; update"));
	/* Covered by blocked.example: not written again. */
	assert_null(strstr(t, "\ndeep.x.blocked.example\t"));
	assert_null(strstr(t, "\np*"));
	/* A '*' inside a label has no RPZ form; nor a one-label '*'. */
	assert_non_null(strstr(t, ";   w*.wild.example.net (wildcard, "
	    "update): RPZ has no"));
	assert_non_null(strstr(t, ";   *.star.example.net (wildcard"));
	/* Addresses and encrypted-dns are said, not written. */
	assert_non_null(strstr(t, "1 address (CIDR) lines"));
	assert_non_null(strstr(t, "1 patterns of other categories"));
	assert_null(strstr(t, "dns.example\t"));
	assert_int_equal(st.written, 2);
	assert_int_equal(st.covered, 3);
	assert_int_equal(st.left_out, 2);
	assert_int_equal(st.not_cat, 1);
	free(t);

	assert_non_null(t = run_fmt(m, "rpz", "nodata", NULL, NULL));
	assert_true(has_line(t, "*.blocked.example\tCNAME\t*.\t; update"));
	free(t);
	assert_non_null(t = run_fmt(m, "rpz", "cname:Walled.Example.", NULL,
	    NULL));
	assert_true(has_line(t, "blocked.example\tCNAME\twalled.example.\t; "
	    "update"));
	free(t);
	assert_non_null(t = run_fmt(m, "rpz", NULL, "2001:DB8::1,192.0.2.9",
	    NULL));
	assert_true(has_line(t, "*.blocked.example\tA\t192.0.2.9\t; update"));
	assert_true(has_line(t, "*.blocked.example\tAAAA\t2001:db8::1\t; "
	    "update"));
	free(t);
	match_free(m);
}

static void
test_rpz_zone_and_length(void **state)
{
	struct sigexport_opts o;
	struct sigexport_stats st;
	struct match *m;
	char *t, sigs[400];

	(void)state;
	/* A 245-character name: fits alone, not under a zone. */
	snprintf(sigs, sizeof(sigs), "%.61s.%.61s.%.61s.%.61s update\n",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	    "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
	    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd");
	m = load(sigs);
	sigexport_defaults(&o);
	assert_int_equal(sigexport_set_zone(&o, "Policy.Example.", errbuf), 0);
	assert_string_equal(o.zone, "policy.example");
	assert_non_null(t = run(m, &o, &st));
	assert_true(has_line(t, "$ORIGIN policy.example."));
	assert_non_null(strstr(t, "too long under the zone policy.example"));
	assert_int_equal(st.left_out, 1);
	free(t);
	match_free(m);
	assert_int_equal(sigexport_set_zone(&o, "a..b", errbuf), -1);
	assert_int_equal(sigexport_set_zone(&o, "", errbuf), -1);
	assert_int_equal(sigexport_set_zone(&o, "a b", errbuf), -1);
}

static void
test_unbound(void **state)
{
	struct sigexport_stats st;
	struct match *m = load(set_a);
	char *t;

	(void)state;
	assert_non_null(t = run_fmt(m, "unbound", NULL, NULL, &st));
	assert_true(has_line(t, "server:"));
	assert_true(has_line(t, "\tlocal-zone: \"blocked.example.\" "
	    "always_nxdomain"));
	assert_true(has_line(t, "\tlocal-zone: \"exact.example.org.\" "
	    "always_nxdomain"));
	/* The exact pattern is widened, and the header says so. */
	assert_non_null(strstr(t, "# Widened to the names below too (1):\n"
	    "#   =exact.example.org (exact, update)\n"));
	assert_int_equal(count_lines(t, "\tlocal-zone:"), 2);
	assert_int_equal(st.widened, 1);
	free(t);

	/* With an address an exact name is local-data only: exact. */
	assert_non_null(t = run_fmt(m, "unbound", NULL, "192.0.2.9", &st));
	assert_true(has_line(t, "\tlocal-zone: \"blocked.example.\" redirect"));
	assert_true(has_line(t, "\tlocal-data: \"blocked.example. A "
	    "192.0.2.9\""));
	assert_true(has_line(t, "\tlocal-data: \"exact.example.org. A "
	    "192.0.2.9\""));
	assert_null(strstr(t, "\"exact.example.org.\" redirect"));
	assert_int_equal(st.widened, 0);
	free(t);

	assert_non_null(t = run_fmt(m, "unbound", "cname:w.example", NULL,
	    NULL));
	assert_true(has_line(t, "\tlocal-data: \"blocked.example. CNAME "
	    "w.example.\""));
	free(t);
	assert_non_null(t = run_fmt(m, "unbound", "nodata", NULL, NULL));
	assert_true(has_line(t, "\tlocal-zone: \"blocked.example.\" "
	    "always_nodata"));
	free(t);
	match_free(m);
}

static void
test_dnsmasq(void **state)
{
	struct match *m = load(set_a);
	char *t;

	(void)state;
	assert_non_null(t = run_fmt(m, "dnsmasq", NULL, NULL, NULL));
	assert_true(has_line(t, "address=/blocked.example/"));
	assert_true(has_line(t, "address=/exact.example.org/"));
	assert_int_equal(count_lines(t, "address="), 2);
	assert_int_equal(count_lines(t, "local="), 0);
	free(t);
	assert_non_null(t = run_fmt(m, "dnsmasq", NULL, "192.0.2.9,::1",
	    NULL));
	assert_true(has_line(t, "address=/blocked.example/192.0.2.9"));
	assert_true(has_line(t, "address=/blocked.example/::1"));
	assert_true(has_line(t, "local=/blocked.example/"));
	free(t);
	assert_null(run_fmt(m, "dnsmasq", "nodata", NULL, NULL));
	assert_non_null(strstr(errbuf, "no form for --rpz-action nodata"));
	assert_null(run_fmt(m, "dnsmasq", "cname:x.example", NULL, NULL));
	match_free(m);
}

static void
test_hosts(void **state)
{
	struct sigexport_stats st;
	struct match *m = load(set_a);
	char *t;

	(void)state;
	assert_non_null(t = run_fmt(m, "hosts", NULL, NULL, &st));
	assert_true(has_line(t, "0.0.0.0\texact.example.org"));
	assert_true(has_line(t, "0.0.0.0\tdeep.x.blocked.example"));
	/* The suffix's own name, once though =blocked.example is there. */
	assert_int_equal(count_lines(t, "0.0.0.0\tblocked.example"), 1);
	assert_int_equal(count_lines(t, "0.0.0.0"), 3);
	assert_non_null(strstr(t, "#   blocked.example (suffix, update)\n"));
	assert_non_null(strstr(t, "#   p*.blocked.example (wildcard, update):"
	    " a hosts file lists exact names only\n"));
	assert_int_equal(st.partial, 1);
	assert_int_equal(st.left_out, 3);
	free(t);
	assert_non_null(t = run_fmt(m, "hosts", NULL, "192.0.2.9,2001:db8::9",
	    NULL));
	assert_true(has_line(t, "192.0.2.9\texact.example.org"));
	assert_true(has_line(t, "2001:db8::9\texact.example.org"));
	assert_null(strstr(t, "0.0.0.0\t"));
	free(t);
	assert_null(run_fmt(m, "hosts", "nxdomain", NULL, NULL));
	match_free(m);
}

/* FNV-1a 32 as the header documents it, computed here on its own. */
static uint32_t
sid_of(const char *kind_name)
{
	uint32_t h = 2166136261u;

	for (; *kind_name != '\0'; kind_name++)
		h = (h ^ (uint8_t)*kind_name) * 16777619u;
	return SIGEXPORT_SID_BASE + 2 * (h % SIGEXPORT_SID_PAIRS);
}

static void
test_suricata(void **state)
{
	struct sigexport_stats st;
	struct match *m = load(set_a), *m2;
	char *t, *t2, want[512];
	unsigned sid;

	(void)state;
	assert_non_null(t = run_fmt(m, "suricata", NULL, NULL, &st));
	sid = sid_of("exact exact.example.org");
	snprintf(want, sizeof(want), "alert dns any any -> any any (msg:"
	    "\"kasaudit update =exact.example.org (exact, confidence A)\"; "
	    "dns.query; content:\"exact.example.org\"; nocase; bsize:17; "
	    "classtype:policy-violation; metadata:kasaudit_category update, "
	    "kasaudit_kind exact; sid:%u; rev:1;)", sid);
	assert_true(has_line(t, want));
	snprintf(want, sizeof(want), "tls.sni; content:\"exact.example.org\"; "
	    "nocase; bsize:17; classtype:policy-violation; metadata:"
	    "kasaudit_category update, kasaudit_kind exact; sid:%u;", sid + 1);
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(t, "dns.query; dotprefix; content:"
	    "\".blocked.example\"; nocase; endswith; "));
	assert_non_null(strstr(t, "dns.query; content:\".wild.example.net\"; "
	    "nocase; endswith; pcre:\"/^w[^.]*\\.wild\\.example\\.net$/i\"; "));
	assert_non_null(strstr(t, "content:\".star.example.net\"; nocase; "
	    "endswith; pcre:\"/^[^.]*\\.star\\.example\\.net$/i\"; "));
	/* Every name pattern, two rules each; nothing left out. */
	assert_int_equal(count_lines(t, "alert dns "), 7);
	assert_int_equal(count_lines(t, "alert tls "), 7);
	assert_int_equal(st.left_out, 0);

	/* Stable: the same pattern keeps its sid in another set. */
	m2 = load("=exact.example.org web\nother.example other\n");
	assert_non_null(t2 = run_fmt(m2, "suricata", NULL, NULL, NULL));
	snprintf(want, sizeof(want), "sid:%u; rev:1;)", sid);
	assert_non_null(strstr(t2, want));
	free(t2);
	match_free(m2);

	/* No action for an IDS. */
	assert_null(run_fmt(m, "suricata", "nodata", NULL, NULL));
	free(t);
	match_free(m);
}

/* Two patterns whose pairs collide: found by search, then checked. */
static void
test_suricata_collision(void **state)
{
	static uint32_t seen[20000];
	char a[32], b[32], sigs[128], *t;
	uint32_t first;
	struct sigexport_stats st;
	struct match *m;
	unsigned i, j;
	bool found = false;

	(void)state;
	/* Any two of n0.example, n1.example...: the birthday bound finds
	 * one in a few thousand (5,000,000 pairs). */
	for (i = 0; i < 20000 && !found; i++) {
		snprintf(a, sizeof(a), "suffix n%u.example", i);
		seen[i] = sid_of(a);
		for (j = 0; j < i && !found; j++)
			if (seen[j] == seen[i]) {
				snprintf(b, sizeof(b), "suffix n%u.example",
				    j);
				found = true;
			}
	}
	assert_true(found);
	snprintf(sigs, sizeof(sigs), "%s other\n%s other\n", a + 7, b + 7);
	m = load(sigs);
	assert_non_null(t = run_fmt(m, "suricata", NULL, NULL, &st));
	assert_int_equal(st.sid_moved, 1);
	assert_non_null(strstr(t, "# sid moved to the next free pair"));
	first = sid_of(a);
	snprintf(sigs, sizeof(sigs), "sid:%u;", first);
	assert_non_null(strstr(t, sigs));
	snprintf(sigs, sizeof(sigs), "sid:%u;", first + 2);
	assert_non_null(strstr(t, sigs));
	free(t);
	match_free(m);
}

static void
test_zeek(void **state)
{
	struct match *m = load(set_a);
	char *t;

	(void)state;
	assert_non_null(t = run_fmt(m, "zeek-intel", NULL, NULL, NULL));
	assert_int_equal(strncmp(t, "#fields\tindicator\tindicator_type\t"
	    "meta.source\tmeta.desc\n", 50), 0);
	assert_true(has_line(t, "exact.example.org\tIntel::DOMAIN\t"
	    "kasaudit:a.sigs\tupdate =exact.example.org confidence A"));
	/* The note's tab cannot split a field. */
	assert_true(has_line(t, "blocked.example\tIntel::DOMAIN\t"
	    "kasaudit:a.sigs\tupdate blocked.example confidence B (suffix: "
	    "this name only): tab?here"));
	assert_non_null(strstr(t, "Zeek Intel matches exact names only"));
	free(t);
	match_free(m);
}

static void
test_categories_and_options(void **state)
{
	struct sigexport_opts o;
	struct sigexport_stats st;
	struct match *m = load(set_a);
	char *t;

	(void)state;
	sigexport_defaults(&o);
	assert_int_equal(sigexport_set_categories(&o, "encrypted-dns",
	    errbuf), 0);
	assert_non_null(t = run(m, &o, &st));
	assert_true(has_line(t, "dns.example\tCNAME\t.\t; encrypted-dns"));
	assert_int_equal(st.written, 1);
	free(t);
	/* A name of a category left out, still matched by a suffix. */
	assert_int_equal(sigexport_set_categories(&o, "update", errbuf), 0);
	assert_non_null(t = run(m, &o, &st));
	assert_non_null(strstr(t, "; Not exported by category, but below an "
	    "exported suffix, so still matched (1):\n;   =blocked.example "
	    "(exact, telemetry): below blocked.example (update)\n"));
	free(t);
	assert_int_equal(sigexport_set_categories(&o, "all", errbuf), 0);
	assert_int_equal(o.cats, (1u << CAT_N) - 1);
	assert_int_equal(sigexport_set_categories(&o, "update,web", errbuf), 0);
	assert_int_equal(o.cats, (1u << CAT_UPDATE) | (1u << CAT_WEB));
	assert_int_equal(sigexport_set_categories(&o, "update,", errbuf), -1);
	assert_int_equal(sigexport_set_categories(&o, "updates", errbuf), -1);
	assert_non_null(strstr(errbuf, "\"updates\""));
	assert_int_equal(sigexport_set_format(&o, "bind", errbuf), -1);
	assert_int_equal(sigexport_set_action(&o, "drop", errbuf), -1);
	assert_int_equal(sigexport_set_action(&o, "cname:", errbuf), -1);
	assert_int_equal(sigexport_set_action(&o, "cname:a..b", errbuf), -1);
	assert_int_equal(sigexport_set_redirect(&o, "192.0.2.1,192.0.2.2",
	    errbuf), -1);
	assert_int_equal(sigexport_set_redirect(&o, "host.example", errbuf),
	    -1);
	assert_int_equal(sigexport_set_redirect(&o, "", errbuf), -1);
	assert_int_equal(sigexport_set_redirect(&o, "::1,192.0.2.1", errbuf),
	    0);
	assert_string_equal(o.addr4, "192.0.2.1");
	assert_string_equal(o.addr6, "::1");
	match_free(m);
}

/* The same signatures in another order and from two files: the same
 * body (only the header's list of sets may differ). */
static void
test_deterministic(void **state)
{
	static const char *fmts[] = { "rpz", "unbound", "dnsmasq", "hosts",
	    "suricata", "zeek-intel" };
	static const char part1[] = "=z.a.example pki\nc*.d.example other\n";
	static const char part2[] = "=b.example web\na.example update\n";
	struct match *m1, *m2;
	char *t1, *t2, *b1, *b2;
	size_t i;

	(void)state;
	m1 = load("a.example update\n=b.example web\nc*.d.example other\n"
	    "=z.a.example pki\n");
	assert_non_null(m2 = match_new());
	assert_int_equal(match_load_buf(m2, part1, strlen(part1), "a.sigs",
	    errbuf), ERR_OK);
	assert_int_equal(match_load_buf(m2, part2, strlen(part2), "a.sigs",
	    errbuf), ERR_OK);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		assert_non_null(t1 = run_fmt(m1, fmts[i], NULL, NULL, NULL));
		assert_non_null(t2 = run_fmt(m2, fmts[i], NULL, NULL, NULL));
		assert_string_equal(t1, t2);
		free(t2);
		assert_non_null(t2 = run_fmt(m1, fmts[i], NULL, NULL, NULL));
		assert_string_equal(t1, t2);
		free(t1);
		free(t2);
	}
	/* Sorted by domain: a.example before its name below, b after. */
	assert_non_null(t1 = run_fmt(m1, "hosts", NULL, NULL, NULL));
	assert_non_null(b1 = strstr(t1, "0.0.0.0\ta.example\n"));
	assert_non_null(b2 = strstr(t1, "0.0.0.0\tz.a.example\n"));
	assert_true(b1 < b2);
	assert_non_null(b2 = strstr(t1, "0.0.0.0\tb.example\n"));
	assert_true(b1 < b2);
	free(t1);
	match_free(m1);
	match_free(m2);
}

/* The built-in set exports in every format (what `sigs export` does by
 * default), with every kind of pattern said somewhere. */
static void
test_builtin(void **state)
{
	static const char *fmts[] = { "rpz", "unbound", "dnsmasq", "hosts",
	    "suricata", "zeek-intel" };
	struct sigexport_stats st;
	struct match *m;
	size_t i;
	char *t;

	(void)state;
	assert_non_null(m = match_new());
	assert_int_equal(match_load_builtin(m, errbuf), ERR_OK);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		assert_non_null(t = run_fmt(m, fmts[i], NULL, NULL, &st));
		assert_true(st.written > 0);
		/* Every signature is accounted for once. */
		assert_int_equal(st.written + st.covered + st.left_out +
		    st.not_cat + st.dup + st.not_name, st.sigs);
		free(t);
	}
	assert_non_null(t = run_fmt(m, "rpz", NULL, NULL, NULL));
	assert_true(has_line(t, "*.kaspersky.com\tCNAME\t.\t; other"));
	free(t);
	match_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpz),
		cmocka_unit_test(test_rpz_zone_and_length),
		cmocka_unit_test(test_unbound),
		cmocka_unit_test(test_dnsmasq),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_suricata),
		cmocka_unit_test(test_suricata_collision),
		cmocka_unit_test(test_zeek),
		cmocka_unit_test(test_categories_and_options),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_builtin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
