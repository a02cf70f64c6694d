/* test_cursor.c - the bounds-checked cursor (src/cursor.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cursor.h"

/* cur_take() hands out n bytes after one check, or nothing. */
static void
test_take(void **state)
{
	static const uint8_t b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct cur c = cur_init(b, sizeof(b));
	const uint8_t *p;

	(void)state;
	p = cur_take(&c, 4);
	assert_ptr_equal(p, b);
	assert_int_equal(ld_be16(p), 0x1234);
	assert_int_equal(ld_be16(p + 2), 0x5678);
	assert_int_equal(ld_be32(p), 0x12345678);
	assert_int_equal(cur_left(&c), 1);
	/* Short: NULL, the cursor is spent and stays so. */
	assert_null(cur_take(&c, 2));
	assert_false(c.ok);
	assert_int_equal(cur_left(&c), 0);
	assert_null(cur_take(&c, 0));
	assert_int_equal(cur_u8(&c), 0);
	/* Exactly what is left, then nothing more. */
	c = cur_init(b, sizeof(b));
	assert_non_null(cur_take(&c, sizeof(b)));
	assert_true(c.ok);
	assert_non_null(cur_take(&c, 0));
	assert_null(cur_take(&c, 1));
	/* An empty buffer. */
	c = cur_init(NULL, 10);
	assert_null(cur_take(&c, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
