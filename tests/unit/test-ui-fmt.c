#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "ui-fmt.h"

static void test_durations(void **state)
{
	static const struct {
		int64_t s;
		const char *want;
	} cases[] = {
		{ -1, "-" }, { 0, "0s" }, { 59, "59s" }, { 60, "1m00s" }, { 65, "1m05s" },
		{ 3599, "59m59s" }, { 3600, "1h00m" }, { 86399, "23h59m" }, { 86400, "1d00h" },
		{ 999 * 86400 + 23 * 3600, "999d23h" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;

		fmt_duration(&b, cases[i].s);
		assert_string_equal(buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
}

static void test_coarse_durations(void **state)
{
	static const struct {
		int64_t s;
		const char *want;
	} cases[] = {
		{ 45, "45s" }, { 60, "1m" }, { 3599, "59m" }, { 3600, "1h00m" }, { 7199, "1h59m" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;

		fmt_duration_coarse(&b, cases[i].s);
		assert_string_equal(buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
}

static void test_fractional_durations(void **state)
{
	static const struct {
		double s;
		const char *want;
	} cases[] = {
		{ 0.0, "0s" }, { 2.5, "2.5s" }, { 9.94, "9.9s" }, { 9.96, "10s" }, { 12.4, "12s" },
		{ 12.5, "13s" }, { 103.0, "1m43s" }, { -0.5, "-" }, { 1e300, ">30y" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;

		fmt_duration_f(&b, cases[i].s);
		if (strcmp(buf_cstr(&b), cases[i].want) != 0)
			fail_msg("%g: got %s, want %s", cases[i].s, buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
}

static void test_optional_values(void **state)
{
	struct buf b = BUF_INIT;
	struct tq_opt_int absent = { TQ_ABSENT, 5 }, null = { TQ_NULL, 5 }, set = { TQ_SET, 0 };
	struct tq_opt_num navg = { TQ_NULL, 3.0 };
	struct tq_opt_time t = { TQ_SET, 1736154000 }, tn = { TQ_ABSENT, 0 };
	(void)state;

	/* absent and null are not 0 */
	fmt_opt_int(&b, &absent);
	buf_putc(&b, '|');
	fmt_opt_int(&b, &null);
	buf_putc(&b, '|');
	fmt_opt_int(&b, &set);
	buf_putc(&b, '|');
	fmt_opt_dur(&b, &navg);
	buf_putc(&b, '|');
	fmt_opt_time(&b, &t);
	buf_putc(&b, '|');
	fmt_opt_time(&b, &tn);
	assert_string_equal(buf_cstr(&b), "-|-|0|-|2025-01-06 09:00:00|-");
	buf_free(&b);
}

static void test_percent_interval_window(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	fmt_percent(&b, 9, 10);
	buf_putc(&b, ' ');
	fmt_percent(&b, 999, 1000);	/* floor: 99.9% is not 100% */
	buf_putc(&b, ' ');
	fmt_percent(&b, 0, 0);
	buf_putc(&b, ' ');
	fmt_interval(&b, 2000);
	buf_putc(&b, ' ');
	fmt_interval(&b, 500);
	buf_putc(&b, ' ');
	fmt_interval(&b, 60000);
	buf_putc(&b, ' ');
	fmt_interval(&b, 90000);
	buf_putc(&b, ' ');
	fmt_window(&b, 15);
	buf_putc(&b, ' ');
	fmt_window(&b, 240);
	buf_putc(&b, ' ');
	fmt_window(&b, 1440);
	buf_putc(&b, ' ');
	fmt_window(&b, 90);
	assert_string_equal(buf_cstr(&b), "90% 99% - 2s 0.5s 1m 90s 15m 4h 1d 90m");
	buf_free(&b);
}

static void test_sanitize(void **state)
{
	static const struct {
		const char *in;
		bool ascii;
		const char *want;
	} cases[] = {
		{ "Sales", false, "Sales" },
		{ "a\x1b[2Jb", false, "a?[2Jb" },		/* escape */
		{ "tab\there\n", false, "tab?here?" },
		{ "caf\xc3\xa9", false, "caf\xc3\xa9" },
		{ "caf\xc3\xa9", true, "caf?" },
		{ "\xe2\x80\xa6", false, "\xe2\x80\xa6" },
		{ "\xc2\x9b" "31m", false, "??31m" },		/* C1 CSI, as two bytes */
		{ "\xff\xfe", false, "??" },
		{ "\xc3", false, "?" },				/* truncated sequence */
		{ "\xe0\x80\xaf", false, "???" },		/* overlong */
		{ "\xed\xa0\x80", false, "???" },		/* surrogate */
		{ "\x7f", false, "?" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;

		ui_sanitize(&b, cases[i].in, cases[i].ascii);
		if (strcmp(buf_cstr(&b), cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
}

static void test_tilde(void **state)
{
	static const struct {
		const char *text, *home, *want;
	} cases[] = {
		{ "/home/ann/.config/tqtop/config:1: unknown setting 'x'", "/home/ann",
		  "~/.config/tqtop/config:1: unknown setting 'x'" },
		{ "/home/ann/x", "/home/ann/", "~/x" },
		{ "theme '/home/ann/t.theme' and /home/ann/u", "/home/ann", "theme '~/t.theme' and ~/u" },
		{ "/home/anna/x", "/home/ann", "/home/anna/x" },	/* not under home */
		{ "x/home/ann/y", "/home/ann", "x/home/ann/y" },	/* not a path's start */
		{ "/home/ann", "/home/ann", "/home/ann" },		/* home itself: no '/' after */
		{ "/x/y", "/", "/x/y" },
		{ "/x/y", "", "/x/y" },
		{ "/x/y", NULL, "/x/y" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;

		fmt_tilde(&b, cases[i].text, cases[i].home);
		assert_string_equal(buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
}

static void test_sla_share(void **state)
{
	struct tq_split sp;
	int64_t num, den;
	(void)state;

	memset(&sp, 0, sizeof sp);
	assert_false(sla_share(&sp, &num, &den));	/* nothing sent: no share */
	sp.below_reservations_accepted = (struct tq_opt_int){ TQ_SET, 36 };
	sp.above_reservations_accepted = (struct tq_opt_int){ TQ_SET, 10 };
	sp.above_tasks_canceled = (struct tq_opt_int){ TQ_SET, 4 };
	assert_true(sla_share(&sp, &num, &den));
	assert_int_equal(num, 36);
	assert_int_equal(den, 50);
	sp.below_reservations_accepted.v = 0;
	sp.above_reservations_accepted.v = 0;
	sp.above_tasks_canceled.v = 0;
	assert_false(sla_share(&sp, &num, &den));	/* 0 of 0 is no share */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_coarse_durations),
		cmocka_unit_test(test_fractional_durations),
		cmocka_unit_test(test_optional_values),
		cmocka_unit_test(test_percent_interval_window),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_sla_share),
		cmocka_unit_test(test_tilde),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
