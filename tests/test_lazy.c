/* test_lazy.c - libraries opened at their first use: every row of
 * lazy_libs[] opens, a stub reaches its library, a missing one is fatal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <zlib.h>

#include "lazy.h"
#include "lazy_libs.h"

/* Each SONAME of the table is installed and opens (a wrong one, after a
 * library's major version changed, fails here and not in the field). */
static void
test_every_library_opens(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < LAZY_N; i++) {
		assert_non_null(lazy_libs[i].soname);
		if (!lazy_try(&lazy_libs[i]))
			fail_msg("%s does not open", lazy_libs[i].soname);
	}
}

/* A stub calls the library's own function: inflate a stored block. */
static void
test_stub_forwards(void **state)
{
	/* zlib stream: header 78 01, a final stored block of "abc", adler32 */
	static const uint8_t in[] = { 0x78, 0x01, 0x01, 0x03, 0x00, 0xfc,
	    0xff, 'a', 'b', 'c', 0x02, 0x4d, 0x01, 0x27 };
	uint8_t out[8];
	z_stream z;

	(void)state;
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = sizeof(in);
	z.next_out = out;
	z.avail_out = sizeof(out);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, 3);
	assert_memory_equal(out, "abc", 3);
	assert_int_equal(inflateEnd(&z), Z_OK);
}

static jmp_buf jb;
static char last[512];

static void
catch_fatal(const char *line)
{
	snprintf(last, sizeof(last), "%s", line);
	longjmp(jb, 1);
}

/* A library that is not there: one clear line, and the stub not run. */
static void
test_missing_is_fatal(void **state)
{
	struct lazy_lib none = { "libkasaudit-none.so.0", "a test", NULL };
	static struct lazy_lib *volatile lib;
	void (*volatile was)(const char *) = lazy_fatal;

	(void)state;
	lib = &none;
	assert_false(lazy_try(lib));
	lazy_fatal = catch_fatal;
	if (setjmp(jb) == 0) {
		(void)lazy_sym(lib, "none_fn");
		lazy_fatal = was;
		fail_msg("lazy_sym returned for a missing library");
	}
	lazy_fatal = was;
	assert_non_null(strstr(last, "cannot load libkasaudit-none.so.0"));
	assert_non_null(strstr(last, "(for a test)"));

	/* An opened library without the symbol: fatal too. */
	if (setjmp(jb) == 0) {
		lazy_fatal = catch_fatal;
		(void)lazy_sym(&lazy_libs[LAZY_Z], "kasaudit_no_such_fn");
		lazy_fatal = was;
		fail_msg("lazy_sym returned for a missing symbol");
	}
	lazy_fatal = was;
	assert_non_null(strstr(last, "kasaudit_no_such_fn"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_library_opens),
		cmocka_unit_test(test_stub_forwards),
		cmocka_unit_test(test_missing_is_fatal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
