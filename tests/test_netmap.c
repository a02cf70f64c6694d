/* test_netmap.c - unit tests for netmap.c (the networks file). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netmap.h"

static char errbuf[ERRBUF_LEN];

static int
load(struct netmap *nm, const char *text)
{
	errbuf[0] = '\0';
	return netmap_load_buf(nm, text, strlen(text), "nets", errbuf);
}

static struct netmap *
with(const char *text)
{
	struct netmap *nm = netmap_new();

	assert_non_null(nm);
	if (load(nm, text) != ERR_OK)
		fail_msg("load: %s", errbuf);
	return nm;
}

/* The name of the network holding addr, or "-". */
static const char *
net_of(const struct netmap *nm, const char *text)
{
	const struct netmap_net *n;
	struct addr a;

	assert_true(addr_parse(&a, text));
	n = netmap_lookup(nm, &a);
	return n != NULL ? n->name : "-";
}

static void
test_longest_prefix(void **state)
{
	struct netmap *nm = with(
	    "# corp networks\n"
	    "10.0.0.0/8\tcorp\tnoc@corp.example\n"
	    "10.1.0.0/16 lab   lab@corp.example \t +1-555-0100  # desk\n"
	    "10.1.2.0/24 lab-dmz\n"
	    "10.1.2.3 one-host\n"
	    "0.0.0.0/0 internet\n"
	    "2001:db8::/32 v6-corp a@b.example\n"
	    "2001:DB8:1::/48 v6-lab\n");
	const struct netmap_net *n;
	struct addr a;

	(void)state;
	assert_int_equal(netmap_count(nm), 7);
	assert_string_equal(net_of(nm, "10.1.2.3"), "one-host");
	assert_string_equal(net_of(nm, "10.1.2.4"), "lab-dmz");
	assert_string_equal(net_of(nm, "10.1.3.4"), "lab");
	assert_string_equal(net_of(nm, "10.200.3.4"), "corp");
	assert_string_equal(net_of(nm, "192.0.2.1"), "internet");
	assert_string_equal(net_of(nm, "2001:db8:1::5"), "v6-lab");
	assert_string_equal(net_of(nm, "2001:db8:2::5"), "v6-corp");
	assert_string_equal(net_of(nm, "2001:db9::5"), "-");
	assert_string_equal(net_of(nm, "::ffff:10.1.2.3"), "-");

	assert_true(addr_parse(&a, "10.1.9.9"));
	n = netmap_lookup(nm, &a);
	assert_non_null(n);
	assert_string_equal(n->cidr, "10.1.0.0/16");
	assert_int_equal(n->plen, 16);
	assert_string_equal(n->contacts, "lab@corp.example\n+1-555-0100");
	assert_int_equal(n->line, 3);
	assert_true(addr_parse(&a, "10.1.0.0"));
	assert_true(addr_eq(&n->prefix, &a));

	assert_true(addr_parse(&a, "10.1.2.3"));
	n = netmap_lookup(nm, &a);
	assert_string_equal(n->cidr, "10.1.2.3/32");
	assert_string_equal(n->contacts, "");

	assert_true(addr_parse(&a, "2001:db8:1::1"));
	n = netmap_lookup(nm, &a);
	assert_string_equal(n->cidr, "2001:db8:1::/48");	/* canonical */
	assert_null(netmap_lookup(nm, NULL));
	netmap_free(nm);
}

static void
test_many(void **state)
{
	struct netmap *nm = netmap_new();
	char text[64];
	unsigned i;

	(void)state;
	for (i = 0; i < 300; i++) {
		snprintf(text, sizeof(text), "10.%u.%u.0/24 n%u\n", i / 256,
		    i % 256, i);
		assert_int_equal(load(nm, text), ERR_OK);
	}
	assert_int_equal(netmap_count(nm), 300);
	for (i = 0; i < 300; i++) {
		char want[16], addr[32];

		snprintf(want, sizeof(want), "n%u", i);
		snprintf(addr, sizeof(addr), "10.%u.%u.77", i / 256, i % 256);
		assert_string_equal(net_of(nm, addr), want);
	}
	assert_string_equal(net_of(nm, "10.1.44.1"), "-");
	netmap_free(nm);
}

struct bad {
	const char	*text;
	const char	*msg;
};

static const struct bad bad_lines[] = {
	{ "10.1.2.3/16 lab\n",
	    "nets:1: host bits set in \"10.1.2.3/16\" "
	    "(the network is 10.1.0.0/16)" },
	{ "# x\n2001:db8::1/64 lab\n",
	    "nets:2: host bits set in \"2001:db8::1/64\" "
	    "(the network is 2001:db8::/64)" },
	{ "10.0.0.0/33 x\n",
	    "nets:1: prefix length 33 over 32 in \"10.0.0.0/33\"" },
	{ "::/129 x\n", "nets:1: prefix length 129 over 128 in \"::/129\"" },
	{ "10.0.0/8 x\n", "nets:1: bad CIDR \"10.0.0/8\"" },
	{ "corp 10.0.0.0/8\n", "nets:1: bad CIDR \"corp\"" },
	{ "10.0.0.0/ x\n", "nets:1: bad CIDR \"10.0.0.0/\"" },
	{ "10.0.0.0/-8 x\n", "nets:1: bad CIDR \"10.0.0.0/-8\"" },
	{ "10.0.0.0/8/8 x\n", "nets:1: bad CIDR \"10.0.0.0/8/8\"" },
	{ "10.0.0.0/8\n", "nets:1: missing name after \"10.0.0.0/8\"" },
	{ "10.0.0.0/8   # comment only\n",
	    "nets:1: missing name after \"10.0.0.0/8\"" },
	{ "10.0.0.0/8 a\n10.0.0.0/8 b\n",
	    "nets:2: 10.0.0.0/8: duplicate of line 1" },
	{ "2001:db8::/32 a\n\n2001:DB8:0:0::/32 b\n",
	    "nets:3: 2001:db8::/32: duplicate of line 1" },
	{ "10.0.0.1 a\n10.0.0.1/32 b\n",
	    "nets:2: 10.0.0.1/32: duplicate of line 1" },
	{ "10.0.0.0/8 a\x07\n", "nets:1: control character 0x07" },
};

static void
test_errors(void **state)
{
	struct netmap *nm;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		nm = netmap_new();
		assert_non_null(nm);
		if (load(nm, bad_lines[i].text) != ERR_MALFORMED)
			fail_msg("case %zu loaded: %s", i, bad_lines[i].text);
		if (strcmp(errbuf, bad_lines[i].msg) != 0)
			fail_msg("case %zu: got '%s' want '%s'", i, errbuf,
			    bad_lines[i].msg);
		assert_int_equal(netmap_count(nm), 0);
		netmap_free(nm);
	}
}

static void
test_duplicate_across_files(void **state)
{
	static const char text[] = "192.0.2.0/24 x\n10.0.0.0/8 y\n";
	struct netmap *nm = with("10.0.0.0/8 corp\n");

	(void)state;
	assert_int_equal(netmap_load_buf(nm, text, sizeof(text) - 1, "other",
	    errbuf), ERR_MALFORMED);
	assert_string_equal(errbuf,
	    "other:2: 10.0.0.0/8: duplicate of nets:1");
	assert_int_equal(netmap_count(nm), 1);
	assert_string_equal(net_of(nm, "192.0.2.1"), "-");
	netmap_free(nm);
}

static void
test_all_or_nothing(void **state)
{
	struct netmap *nm = with("10.0.0.0/8 corp\n2001:db8::/32 six\n");
	const struct netmap_net *before;
	struct addr a;

	(void)state;
	assert_true(addr_parse(&a, "10.9.9.9"));
	before = netmap_lookup(nm, &a);
	assert_non_null(before);
	assert_int_equal(load(nm,
	    "10.1.0.0/16 lab\n"
	    "2001:db8:1::/48 lab6\n"
	    "192.0.2.0/24 test\n"
	    "198.51.100.7/24 typo\n"), ERR_MALFORMED);
	assert_string_equal(errbuf, "nets:4: host bits set in "
	    "\"198.51.100.7/24\" (the network is 198.51.100.0/24)");
	assert_int_equal(netmap_count(nm), 2);
	assert_string_equal(net_of(nm, "10.1.0.1"), "corp");
	assert_string_equal(net_of(nm, "2001:db8:1::1"), "six");
	assert_string_equal(net_of(nm, "192.0.2.1"), "-");
	assert_ptr_equal(netmap_lookup(nm, &a), before);
	/* a good load afterwards */
	assert_int_equal(load(nm, "10.1.0.0/16 lab\n"), ERR_OK);
	assert_string_equal(net_of(nm, "10.1.0.1"), "lab");
	assert_ptr_equal(netmap_lookup(nm, &a), before);
	netmap_free(nm);
}

/* Every prefix, each exactly sized on the heap, loads or fails cleanly. */
static void
test_every_prefix(void **state)
{
	static const char text[] =
	    "# networks\n"
	    "10.0.0.0/8 corp noc@corp.example  +1 555\r\n"
	    "2001:db8::/32\tsix # v6\n"
	    "192.0.2.7 host";
	struct netmap *nm;
	char *buf;
	size_t len;
	int r;

	(void)state;
	for (len = 0; len <= sizeof(text) - 1; len++) {
		buf = malloc(len ? len : 1);
		assert_non_null(buf);
		memcpy(buf, text, len);
		nm = netmap_new();
		r = netmap_load_buf(nm, buf, len, "p", errbuf);
		assert_true(r == ERR_OK || r == ERR_MALFORMED);
		if (r == ERR_MALFORMED)
			assert_true(strncmp(errbuf, "p:", 2) == 0);
		netmap_free(nm);
		free(buf);
	}
	nm = netmap_new();
	assert_int_equal(netmap_load_buf(nm, text, sizeof(text) - 1, "p",
	    errbuf), ERR_OK);
	assert_int_equal(netmap_count(nm), 3);
	assert_string_equal(net_of(nm, "192.0.2.7"), "host");
	netmap_free(nm);
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/test_netmap_XXXXXX";
	struct netmap *nm = netmap_new();
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs("10.0.0.0/8 corp a@b\n10.0.0.0/9\n", fp);
	fclose(fp);
	assert_int_equal(netmap_load_file(nm, path, errbuf), ERR_MALFORMED);
	assert_true(strncmp(errbuf, path, strlen(path)) == 0);
	assert_string_equal(errbuf + strlen(path),
	    ":2: missing name after \"10.0.0.0/9\"");
	assert_int_equal(netmap_count(nm), 0);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("10.0.0.0/8 corp a@b\n", fp);
	fclose(fp);
	assert_int_equal(netmap_load_file(nm, path, errbuf), ERR_OK);
	assert_string_equal(net_of(nm, "10.0.0.1"), "corp");
	unlink(path);
	assert_int_equal(netmap_load_file(nm, "/nonexistent/nets", errbuf),
	    ERR_IO);
	assert_string_equal(errbuf,
	    "/nonexistent/nets: No such file or directory");
	assert_int_equal(netmap_count(nm), 1);
	netmap_free(nm);
	netmap_free(NULL);
}

/* Quoted names and contacts; lines with one name are one network. */
static void
test_quoted_and_grouped(void **state)
{
	struct netmap *nm = with(
	    "10.76.0.0/16 first\n"
	    "10.77.100.0/24 \"Acme Dental, LLC\" noc@acme.example "
	    "\"Jane Doe <jane@acme.example>\"\n"
	    "2001:db8:77::/56 \"Acme Dental, LLC\" noc@acme.example "
	    "\"+1 555 \\\"desk\\\" \\\\ 2\"\n"
	    "10.9.0.0/16 \"B\xc3\xa4" "ckerei M\xc3\xbcller GmbH\"\n"
	    "10.78.0.0/16 Acme\n");
	const struct netmap_net *a, *b, *c;
	struct addr x;

	(void)state;
	assert_true(addr_parse(&x, "10.77.100.9"));
	a = netmap_lookup(nm, &x);
	assert_true(addr_parse(&x, "2001:db8:77:ff::1"));
	b = netmap_lookup(nm, &x);
	assert_true(addr_parse(&x, "10.78.0.1"));
	c = netmap_lookup(nm, &x);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_string_equal(a->name, "Acme Dental, LLC");
	assert_string_equal(a->contacts,
	    "noc@acme.example\nJane Doe <jane@acme.example>");
	assert_ptr_equal(a->group, b->group);
	assert_ptr_not_equal(a->group, c->group);
	assert_int_equal(a->group->n_prefixes, 2);
	assert_ptr_equal(a->group->first, a);
	assert_string_equal(a->group->cidrs, "10.77.100.0/24 2001:db8:77::/56");
	/* Each contact once, in the order first written. */
	assert_string_equal(a->group->contacts,
	    "noc@acme.example\nJane Doe <jane@acme.example>\n"
	    "+1 555 \"desk\" \\ 2");
	assert_string_equal(net_of(nm, "10.9.1.1"),
	    "B\xc3\xa4" "ckerei M\xc3\xbcller GmbH");
	assert_int_equal(netmap_count(nm), 5);
	assert_int_equal(netmap_n_groups(nm), 4);
	netmap_free(nm);
}

/* A second file joins a network of the first; old pointers stay good. */
static void
test_group_across_files(void **state)
{
	struct netmap *nm = with("10.1.0.0/16 cust a@x.example\n");
	const struct netmap_net *a;
	struct addr x;

	(void)state;
	assert_true(addr_parse(&x, "10.1.2.3"));
	a = netmap_lookup(nm, &x);
	assert_int_equal(load(nm, "fd00::/8 cust b@x.example\n"), ERR_OK);
	assert_ptr_equal(netmap_lookup(nm, &x), a);
	assert_string_equal(a->group->cidrs, "10.1.0.0/16 fd00::/8");
	assert_string_equal(a->group->contacts, "a@x.example\nb@x.example");
	netmap_free(nm);
}

static void
test_quote_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "10.0.0.0/8 \"open\n", "nets:1: name: unterminated quote" },
		{ "10.0.0.0/8 \"a\"b\n", "nets:1: name: column 15: a space" },
		{ "10.0.0.0/8 \"\"\n", "nets:1: name: column 12: empty" },
		{ "10.0.0.0/8 n \"a\\qb\"\n", "nets:1: contact: column 16: only" },
	};
	struct netmap *nm;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_non_null(nm = netmap_new());
		assert_int_equal(load(nm, bad[i].text), ERR_MALFORMED);
		if (strncmp(errbuf, bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("%s: got \"%s\"", bad[i].text, errbuf);
		assert_int_equal(netmap_count(nm), 0);
		netmap_free(nm);
	}
}

static void
test_empty(void **state)
{
	struct netmap *nm = netmap_new();

	(void)state;
	assert_int_equal(netmap_load_buf(nm, NULL, 0, "e", errbuf), ERR_OK);
	assert_int_equal(load(nm, "\n  \n# nothing\n"), ERR_OK);
	assert_int_equal(netmap_count(nm), 0);
	assert_string_equal(net_of(nm, "10.0.0.1"), "-");
	assert_string_equal(net_of(nm, "::1"), "-");
	netmap_free(nm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_longest_prefix),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_duplicate_across_files),
		cmocka_unit_test(test_all_or_nothing),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_quoted_and_grouped),
		cmocka_unit_test(test_group_across_files),
		cmocka_unit_test(test_quote_errors),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
