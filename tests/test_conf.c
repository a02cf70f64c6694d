/* test_conf.c - the lexer and CIDR parser that the signature and networks
 * files share (src/conf.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

/* Three lines: CRLF, a comment, and a last one without its newline. */
static const char text[] =
    "10.0.0.0/8  lab \t a@b\r\n"
    "  # nothing here\n"
    "::1 x";

static void
test_lines_tokens(void **state)
{
	struct conf_lines cl;
	const char *s, *tok;
	size_t n, pos = 0, tl;

	(void)state;
	conf_lines_init(&cl, text, sizeof(text) - 1);
	assert_true(conf_line(&cl, &s, &n));
	assert_int_equal(cl.line, 1);
	assert_int_equal(n, strlen("10.0.0.0/8  lab \t a@b"));
	assert_true(conf_token(s, n, &pos, &tok, &tl));
	assert_memory_equal(tok, "10.0.0.0/8", tl);
	assert_true(conf_token(s, n, &pos, &tok, &tl));
	assert_memory_equal(tok, "lab", tl);
	assert_true(conf_token(s, n, &pos, &tok, &tl));
	assert_int_equal(tl, 3);
	assert_memory_equal(tok, "a@b", 3);
	assert_false(conf_token(s, n, &pos, &tok, &tl));

	assert_true(conf_line(&cl, &s, &n));
	pos = 0;
	assert_false(conf_token(s, n, &pos, &tok, &tl));
	assert_int_equal(pos, n);

	assert_true(conf_line(&cl, &s, &n));
	assert_int_equal(cl.line, 3);
	assert_int_equal(n, 5);
	assert_false(conf_line(&cl, &s, &n));

	/* An empty buffer has no lines; NULL with 0 bytes neither. */
	conf_lines_init(&cl, NULL, 0);
	assert_false(conf_line(&cl, &s, &n));
}

/* Every prefix, in a block of its exact size: no read past it. */
static void
test_prefixes(void **state)
{
	struct conf_lines cl;
	const char *s, *tok;
	size_t len, n, pos, tl;
	char *buf;

	(void)state;
	for (len = 0; len < sizeof(text) - 1; len++) {
		assert_non_null(buf = malloc(len ? len : 1));
		memcpy(buf, text, len);
		conf_lines_init(&cl, buf, len);
		while (conf_line(&cl, &s, &n))
			for (pos = 0; conf_token(s, n, &pos, &tok, &tl); )
				assert_true(tl > 0 && tok + tl <= buf + len);
		assert_true(cl.line <= 3);
		free(buf);
	}
}

static void
test_messages(void **state)
{
	char err[ERRBUF_LEN], qb[CONF_QUOTE_LEN], long_tok[100];

	(void)state;
	assert_int_equal(conf_fail(err, "f.txt", 7, "bad %s", "thing"),
	    ERR_MALFORMED);
	assert_string_equal(err, "f.txt:7: bad thing");
	assert_int_equal(conf_fail(NULL, "f", 1, "x"), ERR_MALFORMED);
	assert_int_equal(conf_check("a\tb", 3, "f", 2, err), ERR_OK);
	assert_int_equal(conf_check("a\x01", 2, "f", 2, err), ERR_MALFORMED);
	assert_string_equal(err, "f:2: control character 0x01");
	assert_int_equal(conf_check("\x7f", 1, "f", 3, err), ERR_MALFORMED);
	assert_string_equal(err, "f:3: control character 0x7f");

	assert_string_equal(conf_quote(qb, sizeof(qb), "a\"b\\\xff", 5),
	    "\"a\\x22b\\x5c\\xff\"");
	memset(long_tok, 'x', sizeof(long_tok));
	conf_quote(qb, sizeof(qb), long_tok, sizeof(long_tok));
	assert_int_equal(strlen(qb), 1 + 60 + 3 + 1);
	assert_memory_equal(qb + 61, "...\"", 4);
}

/*
 * conf_check() reads eight bytes a step: every byte value at every place
 * of a line, beside tabs and bytes next to the control range (0x1f, 0x20,
 * 0x7e, 0x80, 0xff), gives the message of a byte-by-byte check.
 */
static void
test_check_every_byte(void **state)
{
	static const uint8_t fill[] = { 'a', '\t', 0x20, 0x7e, 0x80, 0xff,
	    0x29, 0xe0 };
	char line[17], err[ERRBUF_LEN], want[ERRBUF_LEN];
	size_t pos, f, len;
	unsigned c;
	int r;

	(void)state;
	for (f = 0; f < sizeof(fill); f++)
		for (len = 1; len <= sizeof(line); len++)
			for (pos = 0; pos < len; pos++)
				for (c = 0; c < 256; c++) {
					memset(line, fill[f], len);
					line[pos] = (char)c;
					r = conf_check(line, len, "f", 1, err);
					if ((c < 0x20 && c != '\t') ||
					    c == 0x7f) {
						snprintf(want, sizeof(want),
						    "f:1: control character "
						    "0x%02x", c);
						assert_int_equal(r,
						    ERR_MALFORMED);
						assert_string_equal(err, want);
					} else
						assert_int_equal(r, ERR_OK);
				}
}

static void
test_cidr(void **state)
{
	char msg[ERRBUF_LEN];
	struct addr a;
	unsigned plen = 99;

	(void)state;
	assert_null(conf_cidr(&a, &plen, "10.1.0.0/16", 11, msg, sizeof(msg)));
	assert_int_equal(a.family, 4);
	assert_int_equal(plen, 16);
	assert_null(conf_cidr(&a, &plen, "2001:db8::1", 11, msg, sizeof(msg)));
	assert_int_equal(a.family, 6);
	assert_int_equal(plen, 128);
	assert_string_equal(conf_cidr(&a, &plen, "10.1.2.3/16", 11, msg,
	    sizeof(msg)), "host bits set in \"10.1.2.3/16\" (the network is "
	    "10.1.0.0/16)");
	assert_string_equal(conf_cidr(&a, &plen, "10.0.0.0/33", 11, msg,
	    sizeof(msg)), "prefix length 33 over 32 in \"10.0.0.0/33\"");
	assert_string_equal(conf_cidr(&a, &plen, "10.0.0.0/", 9, msg,
	    sizeof(msg)), "bad CIDR \"10.0.0.0/\"");
	assert_string_equal(conf_cidr(&a, &plen, "/8", 2, msg, sizeof(msg)),
	    "bad CIDR \"/8\"");
	assert_string_equal(conf_cidr(&a, &plen, "1.2.3.4/1x", 10, msg,
	    sizeof(msg)), "bad CIDR \"1.2.3.4/1x\"");
	assert_string_equal(conf_cidr(&a, &plen, "1.2.3.4/0008", 12, msg,
	    sizeof(msg)), "bad CIDR \"1.2.3.4/0008\"");
	assert_int_equal(plen, 128);		/* written only on success */
}

static void
test_read_file(void **state)
{
	char err[ERRBUF_LEN], path[] = "/tmp/test_conf.XXXXXX", *buf;
	size_t len;
	FILE *fp;
	int fd;

	(void)state;
	assert_int_equal(conf_read_file("/nonexistent/x", 1u << 20, &buf,
	    &len, err), ERR_IO);
	free(buf);
	assert_string_equal(err, "/nonexistent/x: No such file or directory");

	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs("a b\n", fp);
	fclose(fp);
	assert_int_equal(conf_read_file(path, 1u << 20, &buf, &len, err),
	    ERR_OK);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, "a b\n", 4);
	free(buf);
	/* The first read asks for 64 KiB: a smaller cap refuses any file. */
	assert_int_equal(conf_read_file(path, 1000, &buf, &len, err), ERR_IO);
	free(buf);
	assert_true(strstr(err, ": larger than 1000 bytes") != NULL);
	remove(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_tokens),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_check_every_byte),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
