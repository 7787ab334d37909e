#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "isotime.h"

static void test_parse_valid(void **state)
{
	static const struct { const char *in; int64_t epoch; } cases[] = {
		{ "2015-08-04T01:31:41Z", 1438651901 },		/* the spec's examples */
		{ "2014-05-14T10:50:02Z", 1400064602 },
		{ "2017-05-30T23:05:29Z", 1496185529 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "2000-02-29T12:00:00Z", 951825600 },		/* leap: divisible by 400 */
		{ "2400-02-29T00:00:00Z", 13574563200 },
		{ "2038-01-19T03:14:08Z", 2147483648 },		/* past 32-bit time_t */
		{ "0000-01-01T00:00:00Z", -62167219200 },
		{ "9999-12-31T23:59:59Z", 253402300799 },
		{ "2015-08-04T01:31:41.123Z", 1438651901 },	/* fraction dropped */
		{ "2015-08-04T01:31:41.999999999999Z", 1438651901 },
		{ "2015-08-04T03:31:41+02:00", 1438651901 },
		{ "2015-08-04T03:31:41+0200", 1438651901 },
		{ "2015-08-03T20:01:41-05:30", 1438651901 },
		{ "2015-08-04T01:31:41+00:00", 1438651901 },
		{ "2015-08-04T01:31:41-00:00", 1438651901 },
		{ "2015-08-04T01:31:41.5+01:00", 1438648301 },
		{ "2016-12-31T23:59:60Z", 1483228800 },		/* leap second */
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t t = 0;
		if (!iso8601_parse(cases[i].in, &t))
			fail_msg("%s: refused", cases[i].in);
		if (t != cases[i].epoch)
			fail_msg("%s: %lld, want %lld", cases[i].in, (long long)t, (long long)cases[i].epoch);
	}
}

static void test_parse_invalid(void **state)
{
	static const char *const cases[] = {
		"2015-02-30T00:00:00Z",		/* no such day */
		"2015-02-29T00:00:00Z",		/* not a leap year */
		"1900-02-29T00:00:00Z",		/* divisible by 100, not by 400 */
		"2015-04-31T00:00:00Z",
		"2015-13-01T00:00:00Z",
		"2015-00-01T00:00:00Z",
		"2015-01-00T00:00:00Z",
		"2015-01-32T00:00:00Z",
		"2015-08-04T24:00:00Z",
		"2015-08-04T01:60:00Z",
		"2015-08-04T01:31:61Z",
		"2015-08-04 01:31:41",		/* space, no zone */
		"2015-08-04 01:31:41Z",
		"2015-08-04T01:31:41",		/* no zone */
		"2015-08-04t01:31:41Z",
		"2015-08-04T01:31:41z",
		"2015-8-4T01:31:41Z",
		"15-08-04T01:31:41Z",
		"+2015-08-04T01:31:41Z",
		"2015-08-04T1:31:41Z",
		"2015-08-04T01:31:4Z",
		"2015-08-04T01:31Z",
		"2015-08-04",
		"2015-08-04T01:31:41ZZ",
		"2015-08-04T01:31:41Z ",
		" 2015-08-04T01:31:41Z",
		"2015-08-04T01:31:41.Z",
		"2015-08-04T01:31:41,5Z",
		"2015-08-04T01:31:41+24:00",
		"2015-08-04T01:31:41+02:60",
		"2015-08-04T01:31:41+2",
		"2015-08-04T01:31:41+02:0",
		"2015-08-04T01:31:41+02:00:00",
		"2015-08-04T01:31:41 +02:00",
		"Tue, 04 Aug 2015 01:31:41 +0000",	/* RFC 2822, as the spec's prose says */
		"1438651901",
		"",
		"2015-08-04T01:31:41\n",
		"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x91\xef\xbc\x95-08-04T01:31:41Z",	/* full-width digits */
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t t = 12345;
		if (iso8601_parse(cases[i], &t))
			fail_msg("\"%s\": accepted as %lld", cases[i], (long long)t);
		assert_int_equal(t, 12345);	/* untouched on failure */
	}
	int64_t t;
	assert_false(iso8601_parse(NULL, &t));
}

static void test_format(void **state)
{
	static const struct { int64_t epoch; const char *out; } cases[] = {
		{ 1438651901, "2015-08-04T01:31:41Z" },
		{ 0, "1970-01-01T00:00:00Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ 951825600, "2000-02-29T12:00:00Z" },
		{ 2147483648, "2038-01-19T03:14:08Z" },
		{ -62167219200, "0000-01-01T00:00:00Z" },
		{ 253402300799, "9999-12-31T23:59:59Z" },
		{ 253402300800, "9999-12-31T23:59:59Z" },	/* clamped */
		{ INT64_MAX, "9999-12-31T23:59:59Z" },
		{ -62167219201, "0000-01-01T00:00:00Z" },
		{ INT64_MIN, "0000-01-01T00:00:00Z" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[ISO8601_LEN];
		memset(out, 'x', sizeof out);
		iso8601_format(cases[i].epoch, out);
		assert_string_equal(out, cases[i].out);
	}
}

/* Every day and a spread of times of day from 1600 to 2500 round-trips,
 * and agrees with glibc's timegm() where time_t reaches. */
static void test_roundtrip_against_timegm(void **state)
{
	const int64_t from = -11676096000;	/* 1600-01-01 */
	const int64_t to = 16725225600;		/* 2500-01-01 */
	(void)state;

	for (int64_t t = from; t < to; t += 86400 + 3607) {
		char out[ISO8601_LEN];
		int64_t back;
		struct tm tm = { 0 };

		iso8601_format(t, out);
		assert_true(iso8601_parse(out, &back));
		assert_int_equal(back, t);
		assert_int_equal(sscanf(out, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
			&tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec), 6);
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		assert_int_equal((int64_t)timegm(&tm), t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_roundtrip_against_timegm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
