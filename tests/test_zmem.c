/* test_zmem.c - zeroed tables from zmem: zero, writable, freed, and not
 * paged in until used (the point of them: start-up page faults). */
#include <sys/resource.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "zmem.h"

static long
minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static void
test_zero_and_writable(void **state)
{
	uint32_t *t;
	size_t i;

	(void)state;
	assert_non_null(t = zmem_alloc(100000, sizeof(*t)));
	for (i = 0; i < 100000; i += 997)
		assert_int_equal(t[i], 0);
	t[0] = 1;
	t[99999] = 2;
	assert_int_equal(t[0] + t[99999], 3);
	zmem_free(t, 100000, sizeof(*t));
	zmem_free(NULL, 5, 5);
}

static void
test_bounds(void **state)
{
	void *p;

	(void)state;
	assert_null(zmem_alloc(SIZE_MAX / 2, 4));
	assert_null(zmem_alloc(1, 0));
	assert_non_null(p = zmem_alloc(0, 8));	/* taken as 1 */
	memset(p, 0xff, 8);
	zmem_free(p, 0, 8);
}

/* 16 MiB reserved, two pages written: a handful of faults, not 4096. */
static void
test_untouched(void **state)
{
	size_t n = (size_t)16 << 20;
	uint8_t *p;
	long before;

	(void)state;
	before = minflt();
	assert_non_null(p = zmem_alloc(n, 1));
	p[0] = 1;
	p[n - 1] = 1;
	assert_true(minflt() - before < 16);
	zmem_free(p, n, 1);
}

/*
 * Huge tables: 2 MiB aligned when 1 MiB or more, zero, writable to their
 * last byte; small ones and overflows as zmem_alloc().
 */
static void
test_huge(void **state)
{
	size_t n = (size_t)27 << 20, i;
	uint8_t *p;

	(void)state;
	assert_non_null(p = zmem_alloc_huge(n, 1));
	assert_int_equal((uintptr_t)p & ((2u << 20) - 1), 0);
	for (i = 0; i < n; i += 4093)
		assert_int_equal(p[i], 0);
	p[0] = 1;
	p[n - 1] = 2;
	assert_int_equal(p[0] + p[n - 1], 3);
	zmem_free_huge(p, n, 1);
	assert_non_null(p = zmem_alloc_huge(1000, 16));	/* small */
	p[15999] = 1;
	zmem_free_huge(p, 1000, 16);
	assert_non_null(p = zmem_alloc_huge(0, 8));	/* taken as 1 */
	zmem_free_huge(p, 0, 8);
	assert_null(zmem_alloc_huge(SIZE_MAX / 2, 4));
	assert_null(zmem_alloc_huge(1, 0));
	zmem_free_huge(NULL, n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_and_writable),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_untouched),
		cmocka_unit_test(test_huge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
