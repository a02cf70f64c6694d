/* test_match.c - unit tests for match.c (signature sets). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <fnmatch.h>
#include <string.h>
#include <unistd.h>

#include "match.h"

static char errbuf[ERRBUF_LEN];

static int
load(struct match *m, const char *text)
{
	errbuf[0] = '\0';
	return match_load_buf(m, text, strlen(text), "t.sigs", errbuf);
}

/* Looks a name up through an exactly sized heap copy (no NUL after it). */
static const struct match_sig *
look(const struct match *m, const char *name)
{
	const struct match_sig *s;
	size_t n = strlen(name);
	char *copy;

	copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, name, n);
	s = match_name(m, copy, n);
	free(copy);
	return s;
}

/* The pattern that name matched, or "-" for none. */
static const char *
hit(const struct match *m, const char *name)
{
	const struct match_sig *s = look(m, name);

	return s != NULL ? s->pattern : "-";
}

static const char *
hit_addr(const struct match *m, const char *text)
{
	const struct match_sig *s;
	struct addr a;

	assert_true(addr_parse(&a, text));
	s = match_addr(m, &a);
	return s != NULL ? s->pattern : "-";
}

static struct match *
with(const char *text)
{
	struct match *m = match_new();

	assert_non_null(m);
	if (load(m, text) != ERR_OK)
		fail_msg("load: %s", errbuf);
	return m;
}

static void
test_suffix_label_boundary(void **state)
{
	struct match *m = with("kaspersky-labs.com other\n");

	(void)state;
	assert_string_equal(hit(m, "kaspersky-labs.com"), "kaspersky-labs.com");
	assert_string_equal(hit(m, "ksn.kaspersky-labs.com"),
	    "kaspersky-labs.com");
	assert_string_equal(hit(m, "dc1.ksn.kaspersky-labs.com"),
	    "kaspersky-labs.com");
	assert_string_equal(hit(m, "notkaspersky-labs.com"), "-");
	assert_string_equal(hit(m, "kaspersky-labs.com.evil.example"), "-");
	assert_string_equal(hit(m, "labs.com"), "-");
	assert_string_equal(hit(m, "com"), "-");
	assert_string_equal(hit(m, ""), "-");
	assert_string_equal(hit(m, "."), "-");
	/* An escaped dot does not end a label: one label "a.kaspersky-labs". */
	assert_string_equal(hit(m, "a\\.kaspersky-labs.com"), "-");
	/* An escaped backslash before a real dot does not hide the dot. */
	assert_string_equal(hit(m, "a\\\\.kaspersky-labs.com"),
	    "kaspersky-labs.com");
	assert_string_equal(hit(m, "\\046.kaspersky-labs.com"),
	    "kaspersky-labs.com");
	match_free(m);
}

static void
test_exact(void **state)
{
	struct match *m = with("=ds.kaspersky.com update\n");

	(void)state;
	assert_string_equal(hit(m, "ds.kaspersky.com"), "=ds.kaspersky.com");
	assert_string_equal(hit(m, "DS.Kaspersky.COM."), "=ds.kaspersky.com");
	assert_string_equal(hit(m, "x.ds.kaspersky.com"), "-");
	assert_string_equal(hit(m, "kaspersky.com"), "-");
	assert_string_equal(hit(m, "ds.kaspersky.co"), "-");
	assert_int_equal(match_at(m, 0)->kind, MK_EXACT);
	match_free(m);
}

static void
test_wildcard_one_label(void **state)
{
	struct match *m = with(
	    "dnl-*.geo.kaspersky.com update\n"
	    "a*b*c.example other\n"
	    "*.x.example other\n"
	    "*.*.y.example other\n"
	    "w.*.z.example other\n"
	    "*x other\n");

	(void)state;
	assert_string_equal(hit(m, "dnl-08.geo.kaspersky.com"),
	    "dnl-*.geo.kaspersky.com");
	assert_string_equal(hit(m, "dnl-.geo.kaspersky.com"),
	    "dnl-*.geo.kaspersky.com");
	assert_string_equal(hit(m, "DNL-19.GEO.kaspersky.com."),
	    "dnl-*.geo.kaspersky.com");
	assert_string_equal(hit(m, "dnl-08.x.geo.kaspersky.com"), "-");
	assert_string_equal(hit(m, "x.dnl-08.geo.kaspersky.com"), "-");
	assert_string_equal(hit(m, "geo.kaspersky.com"), "-");
	assert_string_equal(hit(m, "dnl.geo.kaspersky.com"), "-");
	assert_string_equal(hit(m, "xdnl-08.geo.kaspersky.com"), "-");
	/* several stars in one label, with backtracking */
	assert_string_equal(hit(m, "abc.example"), "a*b*c.example");
	assert_string_equal(hit(m, "aXbYbZc.example"), "a*b*c.example");
	assert_string_equal(hit(m, "abcd.example"), "-");
	assert_string_equal(hit(m, "ab.example"), "-");
	/* a whole-label star: one label, not zero, not two */
	assert_string_equal(hit(m, "q.x.example"), "*.x.example");
	assert_string_equal(hit(m, "x.example"), "-");
	assert_string_equal(hit(m, "p.q.x.example"), "-");
	assert_string_equal(hit(m, "p.q.y.example"), "*.*.y.example");
	assert_string_equal(hit(m, "q.y.example"), "-");
	/* a star label in the middle */
	assert_string_equal(hit(m, "w.any.z.example"), "w.*.z.example");
	assert_string_equal(hit(m, "v.any.z.example"), "-");
	/* a single-label pattern, no suffix at all */
	assert_string_equal(hit(m, "x"), "*x");
	assert_string_equal(hit(m, "abx"), "*x");
	assert_string_equal(hit(m, "abx."), "*x");
	assert_string_equal(hit(m, "a.x"), "-");
	assert_int_equal(match_at(m, 0)->kind, MK_WILDCARD);
	match_free(m);
}

static void
test_case_and_trailing_dot(void **state)
{
	struct match *m = with("KSN.Kaspersky-Labs.COM. telemetry\n");

	(void)state;
	assert_string_equal(hit(m, "dc1.ksn.kaspersky-labs.com"),
	    "KSN.Kaspersky-Labs.COM.");
	assert_string_equal(hit(m, "DC1.KSN.KASPERSKY-LABS.COM."),
	    "KSN.Kaspersky-Labs.COM.");
	assert_string_equal(hit(m, "ksn.kaspersky-labs.com."),
	    "KSN.Kaspersky-Labs.COM.");
	/* one trailing dot only */
	assert_string_equal(hit(m, "ksn.kaspersky-labs.com.."), "-");
	match_free(m);
}

static void
test_precedence(void **state)
{
	struct match *m = with(
	    "kaspersky.com other\n"			/* 1 */
	    "upd.kaspersky.com update\n"		/* 2 */
	    "=s10.upd.kaspersky.com update\n"		/* 3 */
	    "s*.upd.kaspersky.com telemetry\n"		/* 4 */
	    "s1*.upd.kaspersky.com pki\n"		/* 5: later */
	    "s11.upd.kaspersky.com management\n"	/* 6 */
	    "*.*.kaspersky.com web\n"			/* 7 */
	    "x.y.upd.kaspersky.com activation\n"	/* 8 */
	    ".\tother\n");				/* 9 */

	(void)state;
	/* exact over wildcard over suffix, all with four labels */
	assert_string_equal(hit(m, "s10.upd.kaspersky.com"),
	    "=s10.upd.kaspersky.com");
	assert_string_equal(hit(m, "s11.upd.kaspersky.com"),
	    "s*.upd.kaspersky.com");
	/* below s11: five labels; the suffix line 6 has four, line 2 three */
	assert_string_equal(hit(m, "a.s11.upd.kaspersky.com"),
	    "s11.upd.kaspersky.com");
	/* wildcards with the same labels: the first loaded (4, not 5 or 7) */
	assert_string_equal(hit(m, "s15.upd.kaspersky.com"),
	    "s*.upd.kaspersky.com");
	assert_string_equal(hit(m, "p15.upd.kaspersky.com"),
	    "*.*.kaspersky.com");
	/* more labels wins over the kind */
	assert_string_equal(hit(m, "q.x.y.upd.kaspersky.com"),
	    "x.y.upd.kaspersky.com");
	assert_string_equal(hit(m, "x.y.upd.kaspersky.com"),
	    "x.y.upd.kaspersky.com");
	assert_string_equal(hit(m, "z.y.upd.kaspersky.com"),
	    "upd.kaspersky.com");
	assert_string_equal(hit(m, "upd.kaspersky.com"), "upd.kaspersky.com");
	assert_string_equal(hit(m, "www.kaspersky.com"), "kaspersky.com");
	assert_string_equal(hit(m, "example.org"), ".");
	match_free(m);
}

static void
test_precedence_across_sets(void **state)
{
	struct match *m = with("kaspersky.com other source=one\n"
	    "*.example web source=one\n");
	const struct match_sig *s;

	(void)state;
	assert_int_equal(load(m, "Kaspersky.com. update source=two\n"
	    "*.example update source=two\n"
	    "=a.kaspersky.com update source=two\n"), ERR_OK);
	assert_int_equal(match_count(m), 5);
	s = look(m, "www.kaspersky.com");
	assert_non_null(s);
	assert_string_equal(s->source, "one");
	assert_string_equal(s->set, "t.sigs");
	s = look(m, "b.example");
	assert_non_null(s);
	assert_string_equal(s->source, "one");
	s = look(m, "a.kaspersky.com");
	assert_non_null(s);
	assert_string_equal(s->source, "two");
	match_free(m);
}

static void
test_all(void **state)
{
	struct match *m = with(". other source=tests\n");
	char longname[400];
	const struct match_sig *s;

	(void)state;
	memset(longname, 'a', sizeof(longname));
	assert_string_equal(hit(m, "."), ".");
	assert_string_equal(hit(m, ""), ".");
	assert_string_equal(hit(m, "com"), ".");
	assert_string_equal(hit(m, "www.example.org."), ".");
	assert_string_equal(hit(m, "\\000\\.x\\255.y"), ".");
	s = match_name(m, longname, sizeof(longname));
	assert_non_null(s);
	assert_int_equal(s->kind, MK_ALL);
	s = match_name(m, NULL, 0);
	assert_non_null(s);
	assert_int_equal(s->cat, CAT_OTHER);
	assert_string_equal(s->source, "tests");
	assert_string_equal(s->note, "");
	assert_int_equal(s->confidence, '-');
	match_free(m);
}

static void
test_name_limits(void **state)
{
	char lab63[64], lab64[65], text[600], name[300];
	struct match *m;
	size_t n;

	(void)state;
	memset(lab63, 'a', 63);
	lab63[63] = '\0';
	memset(lab64, 'a', 64);
	lab64[64] = '\0';

	m = match_new();
	snprintf(text, sizeof(text), "%s.com other\n", lab63);
	assert_int_equal(load(m, text), ERR_OK);
	snprintf(text, sizeof(text), "# c\n%s.com other\n", lab64);
	assert_int_equal(load(m, text), ERR_MALFORMED);
	assert_true(strncmp(errbuf, "t.sigs:2: label longer than 63 "
	    "characters in \"aaaa", 37) == 0);

	/* 253 characters: 63.63.63.61 */
	snprintf(name, sizeof(name), "%s.%s.%s.%.61s", lab63, lab63, lab63,
	    lab63);
	assert_int_equal(strlen(name), 253);
	snprintf(text, sizeof(text), "=%s other\n", name);
	assert_int_equal(load(m, text), ERR_OK);
	assert_string_equal(hit(m, name), match_at(m, 1)->pattern);
	n = strlen(name);
	name[n] = '.';			/* 254 with the trailing dot: fine */
	name[n + 1] = '\0';
	assert_non_null(look(m, name));
	name[n] = 'a';			/* 254 characters: too long */
	assert_null(look(m, name));
	snprintf(text, sizeof(text), "%s other\n", name);
	assert_int_equal(load(m, text), ERR_MALFORMED);
	assert_string_equal(errbuf,
	    "t.sigs:1: name longer than 253 characters");

	/* a name over 253 characters never matches a suffix either */
	assert_int_equal(load(m, "long.example other\n"), ERR_OK);
	memset(name, 'b', 240);
	memcpy(name + 240, ".long.example", 14);
	assert_int_equal(strlen(name), 253);
	assert_string_equal(hit(m, name), "long.example");
	memset(name, 'b', 241);
	memcpy(name + 241, ".long.example", 14);
	assert_null(look(m, name));
	match_free(m);
}

static void
test_cidr(void **state)
{
	struct match *m = with(
	    "10.0.0.0/8 other note=eight\n"
	    "10.1.0.0/16 pki\n"
	    "10.1.2.3 update\n"
	    "0.0.0.0/0 web\n"
	    "2001:db8::/32 telemetry\n"
	    "2001:DB8:1::/48 activation\n"
	    "2001:db8:1::7 management\n");

	(void)state;
	assert_string_equal(hit_addr(m, "10.1.2.3"), "10.1.2.3");
	assert_string_equal(hit_addr(m, "10.1.2.4"), "10.1.0.0/16");
	assert_string_equal(hit_addr(m, "10.2.2.4"), "10.0.0.0/8");
	assert_string_equal(hit_addr(m, "11.0.0.1"), "0.0.0.0/0");
	assert_string_equal(hit_addr(m, "2001:db8:1::7"), "2001:db8:1::7");
	assert_string_equal(hit_addr(m, "2001:db8:1::8"), "2001:DB8:1::/48");
	assert_string_equal(hit_addr(m, "2001:db8:2::8"), "2001:db8::/32");
	assert_string_equal(hit_addr(m, "2001:db9::1"), "-");
	/* families do not mix: ::a01:203 is not 10.1.2.3 */
	assert_string_equal(hit_addr(m, "::10.1.2.3"), "-");
	/* CIDRs are not names */
	assert_string_equal(hit(m, "10.1.2.3"), "-");
	assert_int_equal(match_at(m, 2)->kind, MK_CIDR);
	assert_null(match_addr(m, NULL));
	match_free(m);
}

/*
 * The first-16-bits filter in front of the search: prefixes shorter than 16
 * bits mark every /16 they cover, longer ones their own, and an address
 * beside them (one /16 out) still misses.
 */
static void
test_cidr_top(void **state)
{
	struct match *m = with(
	    "172.16.0.0/12 other\n"
	    "192.168.128.0/17 pki\n"
	    "100.64.0.0/10 web\n"
	    "2001:db8::/32 telemetry\n"
	    "fc00::/7 activation\n");

	(void)state;
	assert_string_equal(hit_addr(m, "172.16.0.1"), "172.16.0.0/12");
	assert_string_equal(hit_addr(m, "172.31.255.255"), "172.16.0.0/12");
	assert_string_equal(hit_addr(m, "172.15.255.255"), "-");
	assert_string_equal(hit_addr(m, "172.32.0.0"), "-");
	assert_string_equal(hit_addr(m, "192.168.200.1"), "192.168.128.0/17");
	assert_string_equal(hit_addr(m, "192.168.1.1"), "-");
	assert_string_equal(hit_addr(m, "100.127.255.1"), "100.64.0.0/10");
	assert_string_equal(hit_addr(m, "100.128.0.1"), "-");
	assert_string_equal(hit_addr(m, "100.63.0.1"), "-");
	assert_string_equal(hit_addr(m, "2001:db8:ffff::1"), "2001:db8::/32");
	assert_string_equal(hit_addr(m, "2001:db9::1"), "-");
	assert_string_equal(hit_addr(m, "2001:db7::1"), "-");
	assert_string_equal(hit_addr(m, "fdff::1"), "fc00::/7");
	assert_string_equal(hit_addr(m, "fe00::1"), "-");
	/* v4 prefixes do not open v6 addresses with the same first bits */
	assert_string_equal(hit_addr(m, "ac10::1"), "-");
	match_free(m);
}

static void
test_cidr_many(void **state)
{
	struct match *m = match_new();
	char text[64];
	unsigned i;

	(void)state;
	/* 192.168.i.0/24 for every i, then one address of each */
	for (i = 0; i < 256; i++) {
		snprintf(text, sizeof(text), "192.168.%u.0/24 other\n", i);
		assert_int_equal(load(m, text), ERR_OK);
	}
	for (i = 0; i < 256; i++) {
		struct addr a;
		const struct match_sig *s;
		uint8_t b[4] = { 192, 168, (uint8_t)i, 9 };

		addr_set4(&a, b);
		s = match_addr(m, &a);
		assert_non_null(s);
		assert_int_equal(s->line, 1);
		assert_ptr_equal(s, match_at(m, i));
	}
	match_free(m);
}

struct bad {
	const char	*text;
	const char	*msg;
};

static const struct bad bad_lines[] = {
	{ "kaspersky.com updates\n",
	    "t.sigs:1: unknown category \"updates\"" },
	{ "# header\n\nkaspersky.com\n",
	    "t.sigs:3: missing category after \"kaspersky.com\"" },
	{ "kaspersky.com other confidense=A\n",
	    "t.sigs:1: unknown key \"confidense\" (confidence, source, note)" },
	{ "kaspersky.com other confidence=D\n",
	    "t.sigs:1: confidence must be A, B or C, not \"D\"" },
	{ "kaspersky.com other confidence=a\n",
	    "t.sigs:1: confidence must be A, B or C, not \"a\"" },
	{ "kaspersky.com other source=a source=b\n",
	    "t.sigs:1: key \"source\" given twice" },
	{ "kaspersky.com other source=\n",
	    "t.sigs:1: empty value for \"source\"" },
	{ "kaspersky.com other =x\n",
	    "t.sigs:1: empty key" },
	{ "kaspersky.com other loose\n",
	    "t.sigs:1: expected key=value, got \"loose\"" },
	{ "kaspersky.com other note=\"a b\n",
	    "t.sigs:1: unterminated quote in the value of \"note\"" },
	{ "kaspersky.com other note=\"a b\"c\n",
	    "t.sigs:1: text after the closing quote of \"note\"" },
	{ "kaspersky.com other note=a\"b\n",
	    "t.sigs:1: stray quote in the value of \"note\"" },
	{ "a..b other\n",
	    "t.sigs:1: empty label in \"a..b\"" },
	{ ".a other\n",
	    "t.sigs:1: empty label in \".a\"" },
	{ "a.b.. other\n",
	    "t.sigs:1: empty label in \"a.b.\"" },
	{ "= other\n",
	    "t.sigs:1: empty name" },
	{ "=. other\n",
	    "t.sigs:1: empty name" },
	{ "kasp!ersky.com other\n",
	    "t.sigs:1: bad character \"!\" in name \"kasp!ersky.com\"" },
	{ "=s*.upd.kaspersky.com update\n",
	    "t.sigs:1: '*' in an exact (=) pattern \"s*.upd.kaspersky.com\"" },
	{ "x\xc3\xa9.com other\n",
	    "t.sigs:1: bad character \"\\xc3\" in name \"x\\xc3\\xa9.com\"" },
	{ "10.1.2.3/16 other\n",
	    "t.sigs:1: host bits set in \"10.1.2.3/16\" "
	    "(the network is 10.1.0.0/16)" },
	{ "2001:db8::1/32 other\n",
	    "t.sigs:1: host bits set in \"2001:db8::1/32\" "
	    "(the network is 2001:db8::/32)" },
	{ "10.0.0.0/33 other\n",
	    "t.sigs:1: prefix length 33 over 32 in \"10.0.0.0/33\"" },
	{ "::/129 other\n",
	    "t.sigs:1: prefix length 129 over 128 in \"::/129\"" },
	{ "10.0.0.0/ other\n", "t.sigs:1: bad CIDR \"10.0.0.0/\"" },
	{ "10.0.0.0/8x other\n", "t.sigs:1: bad CIDR \"10.0.0.0/8x\"" },
	{ "10.0.0.0/0008 other\n", "t.sigs:1: bad CIDR \"10.0.0.0/0008\"" },
	{ "1.2.3 other\n", "t.sigs:1: bad CIDR \"1.2.3\"" },
	{ "256.1.1.1 other\n", "t.sigs:1: bad CIDR \"256.1.1.1\"" },
	{ "fe80::1%eth0 other\n", "t.sigs:1: bad CIDR \"fe80::1%eth0\"" },
	{ "/8 other\n", "t.sigs:1: bad CIDR \"/8\"" },
	{ "a.com other\na.com web\n", "t.sigs:2: duplicate of line 1" },
	{ "A.com. other\n\n# x\na.com web\n",
	    "t.sigs:4: duplicate of line 1" },
	{ "x*.com other\nX*.com. web\n", "t.sigs:2: duplicate of line 1" },
	{ "=a.com other\n=a.com web\n", "t.sigs:2: duplicate of line 1" },
	{ "10.0.0.0/8 other\n10.0.0.0/08 web\n",
	    "t.sigs:2: duplicate of line 1" },
	{ "2001:db8::/32 other\n2001:DB8:0::/32 web\n",
	    "t.sigs:2: duplicate of line 1" },
	{ "1.2.3.4 other\n1.2.3.4/32 web\n",
	    "t.sigs:2: duplicate of line 1" },
	{ ". other\n. web\n", "t.sigs:2: duplicate of line 1" },
	{ "a.com other#x\n",
	    "t.sigs:1: unknown category \"other#x\"" },
	{ "a.com other\x01\n", "t.sigs:1: control character 0x01" },
	{ "ok.com other\na.com\rother\n",
	    "t.sigs:2: control character 0x0d" },
};

static void
test_errors(void **state)
{
	struct match *m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		m = match_new();
		assert_non_null(m);
		if (load(m, bad_lines[i].text) != ERR_MALFORMED)
			fail_msg("case %zu loaded: %s", i, bad_lines[i].text);
		if (strcmp(errbuf, bad_lines[i].msg) != 0)
			fail_msg("case %zu: got '%s' want '%s'", i, errbuf,
			    bad_lines[i].msg);
		assert_int_equal(match_count(m), 0);
		match_free(m);
	}
}

static void
test_nul_byte(void **state)
{
	/* "a.com other\0x\n": a NUL inside a line */
	static const char text[] = {
		'o', 'k', ' ', 'w', 'e', 'b', '\n',
		'a', '.', 'c', 'o', 'm', ' ', 'o', 't', 'h', 'e', 'r',
		0, 'x', '\n',
	};
	struct match *m = match_new();

	(void)state;
	assert_int_equal(match_load_buf(m, text, sizeof(text), "n.sigs",
	    errbuf), ERR_MALFORMED);
	assert_string_equal(errbuf, "n.sigs:2: control character 0x00");
	match_free(m);
}

static void
test_all_or_nothing(void **state)
{
	struct match *m = with(
	    "kaspersky.com other\n"
	    "=s10.upd.kaspersky.com update\n"
	    "10.0.0.0/8 other\n"
	    "dnl-*.geo.kaspersky.com update\n");
	const struct match_sig *before;

	(void)state;
	before = look(m, "s10.upd.kaspersky.com");
	assert_non_null(before);
	/* good lines first, every kind, then a bad one */
	assert_int_equal(load(m,
	    "example.org update\n"
	    "=s11.upd.kaspersky.com update\n"
	    "x*.example.net update\n"
	    "192.0.2.0/24 update\n"
	    "2001:db8::/32 update\n"
	    ". web\n"
	    "broken.example updatez\n"), ERR_MALFORMED);
	assert_string_equal(errbuf, "t.sigs:7: unknown category \"updatez\"");
	assert_int_equal(match_count(m), 4);
	assert_null(look(m, "example.org"));
	assert_null(look(m, "xy.example.net"));
	assert_null(look(m, "zzz.invalid"));
	assert_string_equal(hit(m, "s11.upd.kaspersky.com"), "kaspersky.com");
	assert_string_equal(hit_addr(m, "192.0.2.1"), "-");
	assert_string_equal(hit_addr(m, "2001:db8::1"), "-");
	/* what was there still works, through the same pointers */
	assert_ptr_equal(look(m, "s10.upd.kaspersky.com"), before);
	assert_string_equal(hit(m, "dnl-01.geo.kaspersky.com"),
	    "dnl-*.geo.kaspersky.com");
	assert_string_equal(hit_addr(m, "10.9.9.9"), "10.0.0.0/8");
	/* and a good load afterwards still goes in */
	assert_int_equal(load(m, "example.org web\n"), ERR_OK);
	assert_int_equal(match_count(m), 5);
	assert_string_equal(hit(m, "www.example.org"), "example.org");
	assert_ptr_equal(look(m, "s10.upd.kaspersky.com"), before);
	match_free(m);
}

static void
test_quoted_values_and_comments(void **state)
{
	struct match *m = with(
	    "# a comment line\n"
	    "   \t  # an indented one\n"
	    "\n"
	    "a.example\tupdate\tsource=\"KES docs 11.6\"  note=\"x # y\"\n"
	    "b.example web source=http://e.org/#frag # trailing comment\n"
	    "c.example other confidence=C\r\n"
	    "d.example other note=a#b\n");
	const struct match_sig *s;

	(void)state;
	assert_int_equal(match_count(m), 4);
	s = match_at(m, 0);
	assert_string_equal(s->source, "KES docs 11.6");
	assert_string_equal(s->note, "x # y");
	assert_int_equal(s->line, 4);
	assert_int_equal(s->cat, CAT_UPDATE);
	s = match_at(m, 1);
	assert_string_equal(s->source, "http://e.org/#frag");
	assert_string_equal(s->note, "");
	s = match_at(m, 2);
	assert_int_equal(s->confidence, 'C');
	assert_string_equal(s->pattern, "c.example");
	assert_int_equal(s->line, 6);
	s = match_at(m, 3);
	assert_int_equal(s->cat, CAT_OTHER);
	assert_string_equal(s->note, "a#b");	/* '#' inside a word */
	assert_null(match_at(m, 4));
	match_free(m);
}

static void
test_empty_quoted_value(void **state)
{
	struct match *m = match_new();

	(void)state;
	/* note="" is an empty value, as is note= */
	assert_int_equal(load(m, "c.example other note=\"\"\n"), ERR_MALFORMED);
	assert_string_equal(errbuf, "t.sigs:1: empty value for \"note\"");
	match_free(m);
}

/*
 * Every prefix of a signature file, each in a heap block of exactly its
 * size: the parser must never read past the end (ASan) and must either load
 * or fail with a line number.
 */
static void
test_every_prefix(void **state)
{
	static const char text[] =
	    "# set\n"
	    "=s10.upd.kaspersky.com update confidence=A source=\"a b\"\n"
	    "dnl-*.geo.kaspersky.com\tupdate note=x\n"
	    "2001:db8::/32 other\r\n"
	    "10.0.0.0/8 web # c\n"
	    ". other";
	struct match *m;
	char *buf;
	size_t len;
	int r;

	(void)state;
	for (len = 0; len <= sizeof(text) - 1; len++) {
		buf = malloc(len ? len : 1);
		assert_non_null(buf);
		memcpy(buf, text, len);
		m = match_new();
		r = match_load_buf(m, buf, len, "p", errbuf);
		assert_true(r == ERR_OK || r == ERR_MALFORMED);
		if (r == ERR_MALFORMED)
			assert_true(strncmp(errbuf, "p:", 2) == 0);
		else
			(void)match_name(m, "s10.upd.kaspersky.com", 21);
		match_free(m);
		free(buf);
	}
	m = match_new();
	assert_int_equal(match_load_buf(m, text, sizeof(text) - 1, "p",
	    errbuf), ERR_OK);
	assert_int_equal(match_count(m), 5);
	match_free(m);
}

/* Every prefix of a name, each exactly sized: no over-read in match_name. */
static void
test_name_every_prefix(void **state)
{
	static const char name[] = "DNL-08.geo.kaspersky.com.\\\\.\\";
	struct match *m = with("dnl-*.geo.kaspersky.com update\n"
	    "kaspersky.com other\n=geo.kaspersky.com web\n");
	size_t len;
	char *buf;

	(void)state;
	for (len = 0; len < sizeof(name); len++) {
		buf = malloc(len ? len : 1);
		assert_non_null(buf);
		memcpy(buf, name, len);
		(void)match_name(m, buf, len);
		free(buf);
	}
	match_free(m);
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/test_match_XXXXXX";
	struct match *m = match_new();
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs("kaspersky.com other\nksn.kaspersky-labs.com telemetry\n"
	    "bad category\n", fp);
	fclose(fp);
	assert_int_equal(match_load_file(m, path, errbuf), ERR_MALFORMED);
	assert_true(strncmp(errbuf, path, strlen(path)) == 0);
	assert_string_equal(errbuf + strlen(path),
	    ":3: unknown category \"category\"");
	assert_int_equal(match_count(m), 0);

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("kaspersky.com other\n", fp);
	fclose(fp);
	assert_int_equal(match_load_file(m, path, errbuf), ERR_OK);
	assert_string_equal(match_at(m, 0)->set, path);
	unlink(path);

	assert_int_equal(match_load_file(m, "/nonexistent/x.sigs", errbuf),
	    ERR_IO);
	assert_string_equal(errbuf,
	    "/nonexistent/x.sigs: No such file or directory");
	assert_int_equal(match_load_file(m, "/tmp", errbuf), ERR_IO);
	assert_true(strncmp(errbuf, "/tmp: ", 6) == 0);
	assert_int_equal(match_count(m), 1);
	match_free(m);
}

static void
test_the_all_file(void **state)
{
	struct match *m = match_new();

	(void)state;
	/* signatures/all.sigs, as the tests use it */
	if (match_load_file(m, "signatures/all.sigs", errbuf) != ERR_OK &&
	    match_load_file(m, "../signatures/all.sigs", errbuf) != ERR_OK)
		skip();
	assert_int_equal(match_count(m), 1);
	assert_string_equal(hit(m, "anything.example"), ".");
	match_free(m);
}

struct known {
	const char	*name;
	enum match_cat	 cat;
	char		 confidence;
};

static const struct known known[] = {
	{ "s10.upd.kaspersky.com", CAT_UPDATE, 'A' },
	{ "S00.UPD.KASPERSKY.COM.", CAT_UPDATE, 'A' },
	{ "s25.upd.kaspersky.com", CAT_UPDATE, 'B' },
	{ "p07.upd.kaspersky.com", CAT_UPDATE, 'B' },
	{ "s07.upd2.kaspersky.com", CAT_UPDATE, 'C' },
	{ "downloads.upd.kaspersky.com", CAT_UPDATE, 'A' },
	{ "cm.k.kaspersky-labs.com", CAT_UPDATE, 'A' },
	{ "dnl-08.geo.kaspersky.com", CAT_UPDATE, 'B' },
	{ "downloads2.kaspersky-labs.com", CAT_UPDATE, 'B' },
	{ "dc1.ksn.kaspersky-labs.com", CAT_TELEMETRY, 'B' },
	{ "dc1-cert.ksn.kaspersky-labs.com", CAT_TELEMETRY, 'B' },
	{ "ksn-url-geo.kaspersky-labs.com", CAT_TELEMETRY, 'B' },
	{ "ksn-verdict.geoksn.kaspersky.com", CAT_TELEMETRY, 'B' },
	{ "activation-v2.kaspersky.com", CAT_ACTIVATION, 'A' },
	{ "refresh-bkg.activation-v2.kaspersky.com", CAT_ACTIVATION, 'B' },
	{ "touch.kaspersky.com", CAT_PKI, 'A' },
	{ "crl.kaspersky.com", CAT_PKI, 'B' },
	{ "eu.ksc.kaspersky.com", CAT_MANAGEMENT, 'A' },
	{ "gc.kis.v2.scr.kaspersky-labs.com", CAT_OTHER, 'B' },
	{ "products.s.kaspersky-labs.com", CAT_OTHER, 'B' },
	{ "www.kaspersky.com", CAT_WEB, 'B' },
	{ "support.kaspersky.com", CAT_WEB, 'A' },
	{ "my.kaspersky.com", CAT_WEB, 'B' },
	{ "securelist.com", CAT_WEB, 'B' },
	{ "www.securelist.com", CAT_WEB, 'B' },
	{ "kaspersky.com", CAT_OTHER, 'A' },
	{ "unknown.kaspersky.com", CAT_OTHER, 'A' },
	{ "x.kaspersky-labs.com", CAT_OTHER, 'A' },
	{ "kaspersky.de", CAT_OTHER, 'B' },
};

static void
test_builtin(void **state)
{
	const struct match_sig *s;
	struct match *m = match_new();
	struct addr a;
	size_t i;

	(void)state;
	if (match_load_builtin(m, errbuf) != ERR_OK)
		fail_msg("builtin: %s", errbuf);
	assert_true(match_count(m) > 100);
	assert_string_equal(match_at(m, 0)->set, "builtin");
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		s = look(m, known[i].name);
		if (s == NULL)
			fail_msg("%s: no match", known[i].name);
		if (s->cat != known[i].cat || s->confidence !=
		    known[i].confidence)
			fail_msg("%s: %s %c (%s line %u)", known[i].name,
			    match_cat_name(s->cat), s->confidence, s->pattern,
			    s->line);
		assert_true(s->source[0] != '\0');
	}
	/* every line of the default set says where it comes from */
	for (i = 0; i < match_count(m); i++) {
		s = match_at(m, i);
		assert_true(s->source[0] != '\0');
		assert_true(s->confidence == 'A' || s->confidence == 'B' ||
		    s->confidence == 'C');
	}
	assert_null(look(m, "notkaspersky-labs.com"));
	assert_null(look(m, "example.com"));
	assert_null(look(m, "."));
	/* an AS200107 address: other; a sinkhole address: nothing */
	assert_true(addr_parse(&a, "79.133.169.139"));
	assert_non_null(s = match_addr(m, &a));
	assert_int_equal(s->cat, CAT_OTHER);
	assert_true(addr_parse(&a, "95.211.172.143"));
	assert_null(match_addr(m, &a));
	/* loading it twice is fine: no duplicates across sets */
	assert_int_equal(match_load_builtin(m, errbuf), ERR_OK);
	match_free(m);
}

/*
 * The built-in successor set (UltraAV): its own category, never a
 * Kaspersky one; UltraVPN's other names (an affiliate tracker among them)
 * are not matched.  The category is written and read like the others.
 */
static void
test_successor(void **state)
{
	static const char *const succ[] = {
		"ultrasecureav.com", "www.ultrasecureav.com",
		"ULTRASECUREAV.COM.", "antivirus.ultravpn.com",
	};
	static const char *const none[] = {
		"ultravpn.com", "track.ultravpn.com", "www.ultravpn.com",
		"x.antivirus.ultravpn.com", "notultrasecureav.com",
		"ultraav.example",
	};
	const struct match_sig *s;
	struct match *m = match_new();
	size_t i;

	(void)state;
	assert_int_equal(match_load_builtin(m, errbuf), ERR_OK);
	for (i = 0; i < sizeof(succ) / sizeof(succ[0]); i++) {
		if ((s = look(m, succ[i])) == NULL)
			fail_msg("%s: no match", succ[i]);
		assert_int_equal(s->cat, CAT_SUCCESSOR);
		assert_true(s->source[0] != '\0');
	}
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if ((s = look(m, none[i])) != NULL)
			fail_msg("%s: matched %s", none[i], s->pattern);
	/* No Kaspersky line is successor, no successor line Kaspersky. */
	for (i = 0; i < match_count(m); i++) {
		s = match_at(m, i);
		if (strstr(s->pattern, "kaspersky") != NULL)
			assert_int_not_equal(s->cat, CAT_SUCCESSOR);
		if (s->cat == CAT_SUCCESSOR)
			assert_null(strstr(s->pattern, "kaspersky"));
	}
	/* Safe Kids: the C line of the research, not a product verdict. */
	assert_non_null(s = look(m, "safekids.kaspersky.com"));
	assert_int_equal(s->cat, CAT_OTHER);
	assert_int_equal(s->confidence, 'C');
	match_free(m);

	m = match_new();
	assert_int_equal(load(m, "=av.example successor confidence=B "
	    "source=t\nav2.example successor\n"), ERR_OK);
	assert_int_equal(look(m, "av.example")->cat, CAT_SUCCESSOR);
	assert_int_equal(look(m, "x.av2.example")->cat, CAT_SUCCESSOR);
	assert_string_equal(match_cat_name(CAT_SUCCESSOR), "successor");
	assert_int_equal(load(m, "x.example successors\n"), ERR_MALFORMED);
	match_free(m);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(match_cat_name(CAT_UPDATE), "update");
	assert_string_equal(match_cat_name(CAT_TELEMETRY), "telemetry");
	assert_string_equal(match_cat_name(CAT_ACTIVATION), "activation");
	assert_string_equal(match_cat_name(CAT_PKI), "pki");
	assert_string_equal(match_cat_name(CAT_MANAGEMENT), "management");
	assert_string_equal(match_cat_name(CAT_WEB), "web");
	assert_string_equal(match_cat_name(CAT_OTHER), "other");
	assert_string_equal(match_cat_name(CAT_N), "?");
	assert_string_equal(match_kind_name(MK_SUFFIX), "suffix");
	assert_string_equal(match_kind_name(MK_EXACT), "exact");
	assert_string_equal(match_kind_name(MK_WILDCARD), "wildcard");
	assert_string_equal(match_kind_name(MK_CIDR), "cidr");
	assert_string_equal(match_kind_name(MK_ALL), "all");
	match_free(NULL);
	assert_null(match_name(NULL, "x", 1));
	assert_int_equal(match_count(NULL), 0);
}

static void
test_empty_set(void **state)
{
	struct match *m = match_new();

	(void)state;
	assert_int_equal(match_load_buf(m, NULL, 0, "e", errbuf), ERR_OK);
	assert_int_equal(load(m, "\n\n# only comments\n"), ERR_OK);
	assert_int_equal(match_count(m), 0);
	assert_null(look(m, "kaspersky.com"));
	assert_string_equal(hit_addr(m, "10.0.0.1"), "-");
	match_free(m);
}

/*
 * The gate (last two labels) must never hide a match: single-label
 * patterns and wildcards in the last two labels turn it off, later sets
 * widen it, and a name of one label still goes through.
 */
static void
test_gate(void **state)
{
	struct match *m = with("s10.upd.kaspersky.com update\n");

	(void)state;
	assert_string_equal(hit(m, "s10.upd.kaspersky.com"),
	    "s10.upd.kaspersky.com");
	assert_string_equal(hit(m, "x.s10.upd.kaspersky.com"),
	    "s10.upd.kaspersky.com");
	assert_string_equal(hit(m, "kaspersky.org"), "-");
	assert_string_equal(hit(m, "com"), "-");
	/* A second set with another registrable suffix. */
	assert_int_equal(load(m, "=ksn.example.net telemetry\n"), ERR_OK);
	assert_string_equal(hit(m, "ksn.example.net"), "=ksn.example.net");
	match_free(m);

	m = with("com other\n");
	assert_string_equal(hit(m, "a.b.com"), "com");
	match_free(m);
	m = with("dnl-*.geo.kaspersky.* update\n");
	assert_string_equal(hit(m, "dnl-01.geo.kaspersky.ru"),
	    "dnl-*.geo.kaspersky.*");
	match_free(m);
	m = with("kaspersky.com other\n. web\n");
	assert_string_equal(hit(m, "example.org"), ".");
	match_free(m);
}

/* match_gate_wire() over the last two labels of a dotted name. */
static bool
gate_wire(const struct match *m, const char *a, const char *b)
{
	return match_gate_wire(m, (const uint8_t *)a, strlen(a),
	    (const uint8_t *)b, strlen(b));
}

/*
 * The gate read from the wire says "no match" only where match_name()
 * finds none: the same hash as on the decoded name, case folded, and no
 * answer for bytes the decoded name would escape.
 */
static void
test_gate_wire(void **state)
{
	struct match *m = with("s10.upd.kaspersky.com update\n"
	    "=ksn.example.net telemetry\n");

	(void)state;
	assert_false(gate_wire(m, "kaspersky", "com"));
	assert_false(gate_wire(m, "KasPersky", "COM"));
	assert_false(gate_wire(m, "example", "net"));
	assert_true(gate_wire(m, "example", "com"));
	assert_null(match_name(m, "www.example.com", 15));
	assert_true(gate_wire(m, "kaspersky", "org"));
	assert_true(gate_wire(m, "kasperskycom", ""));
	/* Bytes the presentation form escapes, in labels as long as a
	 * pattern's: ask match_name(). */
	assert_false(gate_wire(m, "kas.ersky", "com"));
	assert_false(gate_wire(m, "kas ersky", "com"));
	assert_false(gate_wire(m, "kas\\ersky", "com"));
	assert_false(gate_wire(m, "\x80xample", "net"));
	/* Lengths no pattern's last two labels have: no match, whatever
	 * the bytes (a pattern never holds an escape). */
	assert_true(gate_wire(m, "a.b", "com"));
	assert_true(gate_wire(m, "\x80", "com"));
	assert_true(gate_wire(m, "kaspersky", "co"));
	assert_true(gate_wire(m, "kaspersky", "comm"));
	assert_null(match_name(m, "kaspersky.comm", 14));
	/* The longest label a pattern may have. */
	match_free(m);
	m = with("x.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaa.com other\n");
	assert_false(gate_wire(m, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaa", "com"));
	assert_true(gate_wire(m, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaa", "com"));
	assert_true(gate_wire(NULL, "kaspersky", "com"));
	match_free(m);

	m = with("dnl-*.geo.kaspersky.* update\n");	/* gate off */
	assert_false(gate_wire(m, "example", "com"));
	match_free(m);
	m = with("kaspersky.com other\n. web\n");	/* everything */
	assert_false(gate_wire(m, "example", "org"));
	match_free(m);
}

/*
 * The gate never turns away a built-in pattern's own last two labels, in
 * either case, and turns away the same labels with one end byte changed
 * unless some pattern has those too.
 */
static void
test_gate_wire_builtin(void **state)
{
	struct match *m = match_new();
	const struct match_sig *s;
	char a[64], b[64];
	const char *p, *dot1, *dot2;
	size_t i, j, na, nb, n_checked = 0;

	(void)state;
	assert_non_null(m);
	assert_int_equal(match_load_builtin(m, errbuf), ERR_OK);
	for (i = 0; i < match_count(m); i++) {
		s = match_at(m, i);
		if (s->kind != MK_EXACT && s->kind != MK_SUFFIX &&
		    s->kind != MK_WILDCARD)
			continue;
		p = s->pattern[0] == '=' ? s->pattern + 1 : s->pattern;
		if ((dot2 = strrchr(p, '.')) == NULL)
			continue;
		for (dot1 = dot2; dot1 > p && dot1[-1] != '.'; dot1--)
			;
		na = (size_t)(dot2 - dot1);
		nb = strlen(dot2 + 1);
		if (na == 0 || na >= sizeof(a) || nb >= sizeof(b) ||
		    memchr(dot1, '*', na + 1 + nb) != NULL)
			continue;
		memcpy(a, dot1, na);
		memcpy(b, dot2 + 1, nb);
		assert_false(match_gate_wire(m, (uint8_t *)a, na,
		    (uint8_t *)b, nb));
		for (j = 0; j < na; j++)
			a[j] = (char)toupper((unsigned char)a[j]);
		for (j = 0; j < nb; j++)
			b[j] = (char)toupper((unsigned char)b[j]);
		assert_false(match_gate_wire(m, (uint8_t *)a, na,
		    (uint8_t *)b, nb));
		a[0] = 'Q';
		b[nb - 1] = 'Q';
		a[na] = '\0';
		b[nb] = '\0';
		if (match_gate_wire(m, (uint8_t *)a, na, (uint8_t *)b, nb)) {
			char name[160];

			snprintf(name, sizeof(name), "x.%s.%s", a, b);
			assert_null(match_name(m, name, strlen(name)));
		}
		n_checked++;
	}
	assert_true(n_checked > 50);
	match_free(m);
}

/* match_gate_wire3() over "x.a.b" (x NULL: "a.b"). */
static bool
gate_wire3(const struct match *m, const char *x, const char *a,
    const char *b)
{
	return match_gate_wire3(m, (const uint8_t *)x, x ? strlen(x) : 0,
	    (const uint8_t *)a, strlen(a), (const uint8_t *)b, strlen(b));
}

/*
 * Under a public suffix the third label decides (struct match, gate3):
 * kaspersky.co.uk's patterns let through names under kaspersky.co.uk and
 * kasperskylab.co.uk, not every name under co.uk; a pattern of two labels,
 * or with a '*' in the third, leaves its last two labels open.
 */
static void
test_gate_third_label(void **state)
{
	struct match *m = with("kaspersky.co.uk other\n"
	    "=www.kaspersky.co.uk web\n*.kasperskylab.co.uk update\n");

	(void)state;
	assert_false(gate_wire(m, "co", "uk"));
	assert_true(gate_wire3(m, "bbc", "co", "uk"));
	assert_true(gate_wire3(m, "BBC", "Co", "UK"));
	assert_string_equal(hit(m, "news.bbc.co.uk"), "-");
	assert_false(gate_wire3(m, "kaspersky", "co", "uk"));
	assert_false(gate_wire3(m, "KasperSky", "CO", "uk"));
	assert_string_equal(hit(m, "www.kaspersky.co.uk"),
	    "=www.kaspersky.co.uk");
	assert_string_equal(hit(m, "a.kaspersky.co.uk"), "kaspersky.co.uk");
	assert_false(gate_wire3(m, "kasperskylab", "co", "uk"));
	assert_string_equal(hit(m, "a.kasperskylab.co.uk"),
	    "*.kasperskylab.co.uk");
	/* No third label, or one the presentation form escapes: ask
	 * match_name(). */
	assert_false(gate_wire3(m, NULL, "co", "uk"));
	assert_string_equal(hit(m, "co.uk"), "-");
	assert_false(gate_wire3(m, "bb c", "co", "uk"));
	assert_false(gate_wire3(m, "bb.c", "co", "uk"));
	/* The two-label gate still comes first. */
	assert_true(gate_wire3(m, "kaspersky", "com", "uk"));
	match_free(m);

	m = with("kaspersky.co.uk other\nco.uk other\n");
	assert_false(gate_wire3(m, "bbc", "co", "uk"));
	assert_string_equal(hit(m, "news.bbc.co.uk"), "co.uk");
	match_free(m);
	m = with("kaspersky.co.uk other\nk*.co.uk other\n");
	assert_false(gate_wire3(m, "bbc", "co", "uk"));
	assert_string_equal(hit(m, "kbc.co.uk"), "k*.co.uk");
	assert_string_equal(hit(m, "news.bbc.co.uk"), "-");
	match_free(m);
	m = with("kaspersky.co.uk other\n. web\n");	/* everything */
	assert_false(gate_wire3(m, "bbc", "co", "uk"));
	assert_string_equal(hit(m, "news.bbc.co.uk"), ".");
	match_free(m);
}

/*
 * Random patterns and names over few labels: the third-label gate changes
 * no answer.  The same patterns are loaded twice, the second time with a
 * pattern "zz*q.A.B" for every last two labels A.B, which opens the gate
 * everywhere and matches none of the names (they have no 'z').  Where the
 * wire gate turns a name away, match_name() finds nothing.
 */
static void
test_gate_third_random(void **state)
{
	static const char *const labs[] = { "a", "b", "co", "uk", "kas",
	    "x", "com" };
	const size_t nl = sizeof(labs) / sizeof(labs[0]);
	char pats[4096], open[8192], name[64], pat[64], *l[5];
	const char *got, *want;
	struct match *mg, *mo;
	size_t i, j, k, n, len, n_rejected = 0;
	unsigned seed = 17;

	(void)state;
	for (k = 0; k < 40; k++) {
		pats[0] = '\0';
		for (i = 0; i < 12; i++) {
			n = 2 + (size_t)(rand_r(&seed) % 3);
			pat[0] = '\0';
			for (j = 0; j < n; j++) {
				if (j == 0 && n > 2 && rand_r(&seed) % 4 == 0)
					strcat(pat, "*.");
				else if (j == 0 && n > 2 &&
				    rand_r(&seed) % 5 == 0)
					strcat(pat, "k*.");
				else {
					strcat(pat, labs[rand_r(&seed) % nl]);
					strcat(pat, j + 1 < n ? "." : "");
				}
			}
			if (strstr(pats, pat) != NULL)
				continue;
			snprintf(pats + strlen(pats), sizeof(pats) -
			    strlen(pats), "%s%s other\n",
			    rand_r(&seed) % 3 == 0 && strchr(pat, '*') ==
			    NULL ? "=" : "", pat);
		}
		snprintf(open, sizeof(open), "%s", pats);
		for (i = 0; i < nl; i++)
			for (j = 0; j < nl; j++)
				snprintf(open + strlen(open), sizeof(open) -
				    strlen(open), "zz*q.%s.%s other\n",
				    labs[i], labs[j]);
		mg = with(pats);
		mo = with(open);
		for (i = 0; i < 300; i++) {
			n = 1 + (size_t)(rand_r(&seed) % 5);
			name[0] = '\0';
			for (j = 0; j < n; j++) {
				l[j] = (char *)labs[rand_r(&seed) % nl];
				strcat(name, l[j]);
				strcat(name, j + 1 < n ? "." : "");
			}
			len = strlen(name);
			got = hit(mg, name);
			want = hit(mo, name);
			if (strcmp(got, want) != 0)
				fail_msg("%s: %s, %s without the third label "
				    "gate; patterns:\n%s", name, got, want,
				    pats);
			if (n >= 3 && gate_wire3(mg, l[n - 3], l[n - 2],
			    l[n - 1])) {
				n_rejected++;
				assert_null(match_name(mo, name, len));
			}
		}
		match_free(mg);
		match_free(mo);
	}
	assert_true(n_rejected > 100);
}

/* fnmatch() with '.' as '/': '*' stays inside a label. */
static bool
ref_glob(const char *pat, const char *name)
{
	char p[300], n[300];
	size_t i;

	snprintf(p, sizeof(p), "%s", pat);
	snprintf(n, sizeof(n), "%s", name);
	for (i = 0; p[i] != '\0'; i++)
		p[i] = p[i] == '.' ? '/' : p[i];
	for (i = 0; n[i] != '\0'; i++)
		n[i] = n[i] == '.' ? '/' : n[i];
	return fnmatch(p, n, FNM_PATHNAME) == 0;
}

static void
rand_label(char *out, const char *const *parts, size_t n_parts)
{
	out[0] = '\0';
	strcat(out, parts[(size_t)rand() % n_parts]);
	if (rand() % 3 == 0)
		strcat(out, parts[(size_t)rand() % n_parts]);
}

/*
 * Long wildcard chains are indexed by their literal ends (struct wix in
 * match_int.h): the index must give what walking the chain gives, the first
 * pattern in load order that matches, across two sets (the second set
 * rebuilds the index).  Checked against fnmatch() on random patterns with
 * many shared ends and random names over the same letters.
 */
static void
test_wildcard_index(void **state)
{
	static const char *const pp[] = { "a", "b", "ab", "*", "a*", "*b",
	    "a*b", "b*a*", "-", "aa" };
	static const char *const qp[] = { "a", "b", "ab", "ba", "aab", "-",
	    "b-a", "aa" };
	static const char *const sfx[] = { "x.com", "y.x.com" };
	enum { NPAT = 600, NQ = 20000 };
	char (*pats)[80], text[2][NPAT * 90], name[128], lab[40];
	const struct match_sig *got;
	const char *want;
	struct match *m;
	size_t i, j, np = 0, len[2] = { 0, 0 }, hits = 0;
	unsigned nl;

	(void)state;
	srand(7);
	pats = calloc(NPAT, sizeof(*pats));
	assert_non_null(pats);
	while (np < NPAT) {
		char p[80] = "";
		bool star = false;

		for (nl = 1 + (unsigned)rand() % 3; nl > 0; nl--) {
			rand_label(lab, pp, sizeof(pp) / sizeof(pp[0]));
			star |= strchr(lab, '*') != NULL;
			strcat(p, lab);
			strcat(p, ".");
		}
		if (!star)
			continue;
		strcat(p, sfx[(size_t)rand() % 2]);
		for (j = 0; j < np && strcmp(pats[j], p) != 0; j++)
			;
		if (j < np)
			continue;		/* a duplicate is an error */
		strcpy(pats[np], p);
		i = np < NPAT / 2 ? 0 : 1;
		len[i] += (size_t)snprintf(text[i] + len[i],
		    sizeof(text[i]) - len[i], "%s\tother\n", p);
		np++;
	}
	m = match_new();
	assert_non_null(m);
	assert_int_equal(load(m, text[0]), ERR_OK);
	assert_int_equal(load(m, text[1]), ERR_OK);
	for (i = 0; i < NQ; i++) {
		name[0] = '\0';
		for (nl = 1 + (unsigned)rand() % 3; nl > 0; nl--) {
			rand_label(lab, qp, sizeof(qp) / sizeof(qp[0]));
			strcat(name, lab);
			strcat(name, ".");
		}
		strcat(name, sfx[(size_t)rand() % 2]);
		want = NULL;
		for (j = 0; j < np && want == NULL; j++)
			if (ref_glob(pats[j], name))
				want = pats[j];
		got = look(m, name);
		if (want == NULL) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		assert_string_equal(got->pattern, want);
		hits++;
	}
	assert_true(hits > NQ / 10);
	match_free(m);
	free(pats);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suffix_label_boundary),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_wildcard_one_label),
		cmocka_unit_test(test_case_and_trailing_dot),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_precedence_across_sets),
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_cidr_top),
		cmocka_unit_test(test_cidr_many),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_all_or_nothing),
		cmocka_unit_test(test_quoted_values_and_comments),
		cmocka_unit_test(test_empty_quoted_value),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_name_every_prefix),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_the_all_file),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_successor),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_empty_set),
		cmocka_unit_test(test_gate),
		cmocka_unit_test(test_gate_wire),
		cmocka_unit_test(test_gate_wire_builtin),
		cmocka_unit_test(test_gate_third_label),
		cmocka_unit_test(test_gate_third_random),
		cmocka_unit_test(test_wildcard_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
