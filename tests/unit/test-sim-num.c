/* Strict number parsing for parameters and options: the whole string,
 * decimal, in range; what strtoll/strtod would let through otherwise
 * (blanks, '+', trailing text, overflow, NaN) is refused. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim-num.h"

static void test_int(void **state)
{
	static const struct { const char *s; int64_t lo, hi; bool ok; int64_t v; } cases[] = {
		{ "5", 1, 10, true, 5 },
		{ "10", 1, 10, true, 10 },
		{ "11", 1, 10, false, 0 },
		{ "0", 1, 10, false, 0 },
		{ "-3", -5, 5, true, -3 },
		{ "007", 0, 10, true, 7 },
		{ "", 0, 10, false, 0 },
		{ " 5", 0, 10, false, 0 },
		{ "+5", 0, 10, false, 0 },
		{ "5 ", 0, 10, false, 0 },
		{ "5x", 0, 10, false, 0 },
		{ "1.5", 0, 10, false, 0 },
		{ "0x10", 0, 100, false, 0 },
		{ "99999999999999999999", 0, INT64_MAX, false, 0 },
		{ "9223372036854775807", 0, INT64_MAX, true, INT64_MAX },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t v = -42;
		bool ok = num_parse_int(cases[i].s, cases[i].lo, cases[i].hi, &v);
		if (ok != cases[i].ok)
			fail_msg("\"%s\": %s", cases[i].s, ok ? "accepted" : "refused");
		assert_int_equal(v, ok ? cases[i].v : -42);
	}
	assert_false(num_parse_int(NULL, 0, 1, NULL));
}

static void test_double(void **state)
{
	static const struct { const char *s; double lo, hi; bool ok; double v; } cases[] = {
		{ "0.25", 0, 1, true, 0.25 },
		{ ".5", 0, 1, true, 0.5 },
		{ "1e3", 0, 1e4, true, 1000 },
		{ "-0.5", -1, 1, true, -0.5 },
		{ "1.5", 0, 1, false, 0 },
		{ "nan", 0, 1, false, 0 },
		{ "inf", 0, 1e300, false, 0 },
		{ "", 0, 1, false, 0 },
		{ " 1", 0, 2, false, 0 },
		{ "+1", 0, 2, false, 0 },
		{ "1,5", 0, 2, false, 0 },
		{ "1e999", 0, 1e308, false, 0 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double v = -42;
		bool ok = num_parse_double(cases[i].s, cases[i].lo, cases[i].hi, &v);
		if (ok != cases[i].ok)
			fail_msg("\"%s\": %s", cases[i].s, ok ? "accepted" : "refused");
		assert_true(v == (ok ? cases[i].v : -42));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_double),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
