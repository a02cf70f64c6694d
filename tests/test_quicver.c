/* test_quicver.c - unit tests for quicver.c: which family a QUIC version
 * not read here belongs to. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "quicver.h"

static void
test_families(void **state)
{
	(void)state;
	assert_int_equal(quic_vclass_of(0x51303436), QV_Q046);
	assert_int_equal(quic_vclass_of(0x51303530), QV_Q050);
	assert_int_equal(quic_vclass_of(0x51303433), QV_GQUIC_OTHER);
	assert_int_equal(quic_vclass_of(0x54303438), QV_GQUIC_OTHER);
	assert_int_equal(quic_vclass_of(0x5130343a), QV_OTHER);
	assert_int_equal(quic_vclass_of(0x52303436), QV_OTHER);
	assert_int_equal(quic_vclass_of(0xff000001), QV_DRAFT_OLD);
	assert_int_equal(quic_vclass_of(0xff000014), QV_DRAFT_OLD);
	assert_int_equal(quic_vclass_of(0xff000000), QV_OTHER);
	assert_int_equal(quic_vclass_of(0xff000015), QV_OTHER);
	assert_int_equal(quic_vclass_of(0x1a2b3c4d), QV_OTHER);
}

static void
test_names(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < QV_N; i++) {
		assert_non_null(quic_vclass_name(i));
		assert_true(strlen(quic_vclass_what(i)) < 30);
		for (j = 0; j < i; j++)
			assert_string_not_equal(quic_vclass_name(i),
			    quic_vclass_name(j));
	}
	assert_string_equal(quic_vclass_name(QV_N), "?");
	assert_string_equal(quic_vclass_what(QV_N), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
