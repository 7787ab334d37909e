#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "retry.h"

static void test_backoff_schedule(void **state)
{
	static const struct { unsigned attempt; double u, ra, want; } cases[] = {
		/* equal jitter: [d/2, d] of base*2^attempt */
		{ 0, 0.0, -1, 0.25 }, { 0, 0.999999, -1, 0.5 },
		{ 1, 0.0, -1, 0.5 }, { 2, 0.0, -1, 1.0 }, { 3, 1.0, -1, 4.0 },
		/* capped at 30 s */
		{ 10, 1.0, -1, 30.0 }, { 40, 0.0, -1, 15.0 },
		/* Retry-After wins when longer, and is itself capped */
		{ 0, 0.0, 7, 7.0 }, { 3, 1.0, 2, 4.0 }, { 0, 0.0, 9999, 300.0 },
		/* Retry-After: 0 means "no wait asked", backoff still applies */
		{ 1, 1.0, 0, 1.0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double d = retry_delay(cases[i].attempt, 0.5, 30.0, cases[i].ra, cases[i].u);
		assert_true(d > cases[i].want - 1e-3 && d < cases[i].want + 1e-3);
	}
}

static void test_retry_decisions(void **state)
{
	static const struct { const char *m; long st; bool transport, not_sent; enum retry_verdict v; } cases[] = {
		{ "GET", 503, false, false, RETRY_YES },
		{ "GET", 500, false, false, RETRY_YES },
		{ "GET", 429, false, false, RETRY_YES },
		{ "GET", 0, true, false, RETRY_YES },		/* timeout after sending */
		{ "GET", 404, false, false, RETRY_NO },
		{ "GET", 401, false, false, RETRY_NO },
		{ "GET", 400, false, false, RETRY_NO },
		{ "POST", 429, false, false, RETRY_YES },	/* documented: not processed */
		{ "POST", 503, false, false, RETRY_NO },	/* may have been applied */
		{ "POST", 0, true, false, RETRY_NO },		/* timed out after sending */
		{ "POST", 0, true, true, RETRY_YES },		/* never left */
		{ "DELETE", 0, true, true, RETRY_YES },
		{ "DELETE", 502, false, false, RETRY_NO },
		{ "POST", 400, false, false, RETRY_NO },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(retry_decide(cases[i].m, cases[i].st, cases[i].transport,
					      cases[i].not_sent), cases[i].v);
}

static void test_reconnect_schedule(void **state)
{
	static const double want[] = { 1, 3, 7, 15, 30, 30, 30 };
	(void)state;
	for (unsigned k = 1; k <= 7; k++) {
		double lo = reconnect_delay(k, 0.0), hi = reconnect_delay(k, 0.999999);
		assert_true(lo > want[k - 1] * 0.8 - 1e-6 && lo < want[k - 1] * 0.8 + 1e-6);
		assert_true(hi > want[k - 1] * 1.2 - 1e-3 && hi < want[k - 1] * 1.2 + 1e-6);
		double mid = reconnect_delay(k, 0.5);
		assert_true(mid > want[k - 1] - 1e-6 && mid < want[k - 1] + 1e-6);
	}
	assert_true(reconnect_delay(1000, 0.5) < 30.0 + 1e-6);
}

/* A resource failing for a long time: the first request retries within
 * itself (0.5, 1, 2 s), then each new try waits longer, up to 30 s, and
 * Retry-After wins when longer. */
static void test_backoff_across_requests(void **state)
{
	struct backoff b = { 0, 0 };
	int64_t now = 1000, total = 0;
	unsigned tries = 0;
	(void)state;

	static const double lo[] = { 0.25, 0.5, 1, 2, 4, 8, 15, 15, 15 };
	for (unsigned i = 0; i < 9; i++) {
		int64_t ms = backoff_fail(&b, -1, 0.0, now);
		assert_int_equal(ms, (int64_t)(lo[i] * 1000));
		assert_int_equal(backoff_wait(&b, now), ms);
		assert_int_equal(backoff_wait(&b, now + ms), 0);
		/* within the first request: retries while fewer than 4 tries */
		assert_int_equal(backoff_retry_within(&b, i), i < 3);
		now += ms;
		total += ms;
		tries++;
	}
	/* never more than 30 s, whatever the streak */
	for (unsigned i = 0; i < 100; i++)
		assert_true(backoff_fail(&b, -1, 0.999999, now) <= 30000);
	/* a later request is one try: no retry within it */
	assert_false(backoff_retry_within(&b, 0));
	/* Retry-After longer than the backoff wins, even after the last try */
	assert_int_equal(backoff_fail(&b, 120, 0.0, now), 120000);
	/* success clears everything */
	backoff_ok(&b);
	assert_int_equal(b.streak, 0);
	assert_int_equal(backoff_wait(&b, now), 0);
	assert_true(backoff_retry_within(&b, 0));
	/* 9 tries spread over > 60 s instead of 9 ticks */
	assert_true(tries == 9 && total > 60000);
}

static void test_budget(void **state)
{
	struct budget b;
	(void)state;

	budget_init(&b, 5.0, 10.0, 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(budget_take(&b, 0), 0);	/* the burst */
	int64_t w = budget_take(&b, 0);
	assert_int_equal(w, 200);			/* one more in 1/5 s */
	assert_int_equal(budget_take(&b, 100), 100);
	assert_int_equal(budget_take(&b, 200), 0);
	/* Over a long stretch the rate holds: 5 per second. */
	int sent = 0;
	for (int64_t t = 200; t <= 10200; t += 10)
		if (budget_take(&b, t) == 0)
			sent++;
	assert_true(sent >= 49 && sent <= 51);

	/* Workers preview: 2/s, burst 1: never 3 within a second. */
	budget_init(&b, 2.0, 1.0, 0);
	int64_t times[8];
	int n = 0;
	for (int64_t t = 0; t < 4000 && n < 8; t++)
		if (budget_take(&b, t) == 0)
			times[n++] = t;
	for (int i = 2; i < n; i++)
		assert_true(times[i] - times[i - 2] >= 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_schedule),
		cmocka_unit_test(test_retry_decisions),
		cmocka_unit_test(test_reconnect_schedule),
		cmocka_unit_test(test_backoff_across_requests),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
