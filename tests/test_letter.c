/* test_letter.c - unit tests for letter.c: placeholders, errors with
 * file:line, text and HTML rendering. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "letter.h"

static char *
render(const char *tmpl, bool html)
{
	char errbuf[ERRBUF_LEN], *buf = NULL;
	struct agg_net net;
	struct report_meta meta;
	struct letter *l;
	size_t len = 0;
	FILE *fp;

	memset(&net, 0, sizeof(net));
	net.name = "Acme <Dental>";
	net.cidr = "10.1.0.0/16 fd00::/8";
	net.contacts = "a@x.example\nJane Doe";
	net.n_hosts = 0;
	memset(&meta, 0, sizeof(meta));
	meta.have_time = true;
	meta.first_sec = 86400;
	meta.last_sec = 86401;
	l = letter_parse(tmpl, strlen(tmpl), "t", errbuf);
	if (l == NULL)
		fail_msg("%s", errbuf);
	assert_non_null(fp = open_memstream(&buf, &len));
	assert_int_equal(letter_write(fp, l, &net, &meta, html), ERR_OK);
	fclose(fp);
	letter_free(l);
	return buf;
}

static void
test_placeholders(void **state)
{
	char *t;

	(void)state;
	t = render("Dear {{network}} ({{ prefixes }}),\nto {{contacts}}: "
	    "{{hosts}} from {{first_contact}} to {{last_contact}}.\n", false);
	assert_string_equal(t, "Dear Acme <Dental> (10.1.0.0/16, fd00::/8),\n"
	    "to a@x.example, Jane Doe: 0 from 1970-01-02T00:00:00.000000Z to "
	    "1970-01-02T00:00:01.000000Z.\n");
	free(t);
	/* HTML: values and text escaped, line breaks kept. */
	t = render("<b>{{network}}</b>\n", true);
	assert_non_null(strstr(t, "<div class=\"l\">&lt;b&gt;Acme &lt;Dental"
	    "&gt;&lt;/b&gt;\n</div>"));
	assert_non_null(strstr(t, "<title>Acme &lt;Dental&gt;</title>"));
	free(t);
}

static void
test_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "a\nb {{nope}}\n", "t:2: unknown placeholder \"nope\"" },
		{ "a {{network\n}}", "t:1: \"{{\" without \"}}\"" },
		{ "{{}}", "t:1: unknown placeholder \"\"" },
	};
	char errbuf[ERRBUF_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(letter_parse(bad[i].text, strlen(bad[i].text), "t",
		    errbuf));
		if (strncmp(errbuf, bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("%s: got %s", bad[i].text, errbuf);
	}
}

/* The built-in letter parses and names every placeholder it needs. */
static void
test_default(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct letter *l;

	(void)state;
	l = letter_load("default", errbuf);
	assert_non_null(l);
	letter_free(l);
	assert_non_null(strstr(letter_default, "2024-09-29"));
	assert_non_null(strstr(letter_default, "{{machines}}"));
	assert_non_null(strstr(letter_default, "{{evidence}}"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
