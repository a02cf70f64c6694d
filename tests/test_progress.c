/* test_progress.c - unit tests for progress.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "progress.h"

static void
test_lines(void **state)
{
	struct progress pg;
	char buf[PROGRESS_LINE];

	(void)state;
	progress_start(&pg, 2684354560ull, 100.0);	/* 2.5 GiB */
	assert_false(pg.drawn);
	assert_false(progress_due(&pg, 100.1));
	assert_true(progress_due(&pg, 100.25));
	/* In the first second no time left is guessed. */
	assert_string_equal(progress_line(&pg, buf, 0, 0, 100.5),
	    "[....................]   0%  0 B of 2.5 GiB  0 pkt/s  --:-- left");
	assert_true(pg.drawn);
	assert_false(progress_due(&pg, 100.6));
	/* 1 GiB in 10 s: 1.5 GiB left at 0.1 GiB/s is 15 s. */
	assert_string_equal(progress_line(&pg, buf, 1073741824ull, 3500000,
	    110.0), "[########............]  40%  1.0 GiB of 2.5 GiB  "
	    "350.0k pkt/s  0:15 left");
	assert_string_equal(progress_line(&pg, buf, 2684354560ull, 9000000,
	    4100.0), "[####################] 100%  2.5 GiB of 2.5 GiB  "
	    "2.2k pkt/s  0:00 left");
	/* More than the total (a file grew): stays at 100%. */
	assert_non_null(strstr(progress_line(&pg, buf, 3000000000ull, 1,
	    4100.0), "] 100%"));
	/* Hours. */
	progress_start(&pg, 1000000, 0.0);
	assert_non_null(strstr(progress_line(&pg, buf, 1000, 5, 10.0),
	    "2:46:30 left"));
	/* Unknown total: standard input. */
	progress_start(&pg, 0, 0.0);
	assert_string_equal(progress_line(&pg, buf, 812, 2000000, 2.0),
	    "812 B read  1.0M pkt/s");
	assert_string_equal(progress_line(&pg, buf, 150ull << 20, 10, 2.0),
	    "150 MiB read  5 pkt/s");
}

/* The widest line still fits 79 columns. */
static void
test_widest(void **state)
{
	struct progress pg;
	char buf[PROGRESS_LINE];

	(void)state;
	progress_start(&pg, 1023ull << 30, 0.0);
	progress_line(&pg, buf, 1023ull << 20, 999949, 1.0);
	assert_true(strlen(buf) <= 79);
	progress_start(&pg, UINT64_MAX, 0.0);
	progress_line(&pg, buf, 1, UINT64_MAX, 1e-9);
	assert_true(strlen(buf) <= 79);
	assert_non_null(strstr(buf, "--:-- left"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_widest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
