/* A worker's log (sim-wlog.h): stints clipped to the window, reservations
 * by kind and channel, pruning that keeps the activity in force. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim-wlog.h"

#define BASE 1700000000000LL
#define S(x) (BASE + (x) * 1000LL)

enum { OFF, AVAIL, BUSY, N_ACT };

/* Offline until 10 s, Available until 30 s, Busy until 50 s, Available
 * since; reservations at 30 s (voice=0, created and accepted) and 60 s
 * (chat=1, created and rejected). */
static void fill(struct sim_wlog *l)
{
	wlog_init(l, S(0), OFF);
	wlog_add(l, BASE, S(10), WL_ACTIVITY, AVAIL);
	wlog_add(l, BASE, S(30), WL_RES_CREATED, 0);
	wlog_add(l, BASE, S(30), WL_RES_ACCEPTED, 0);
	wlog_add(l, BASE, S(30), WL_ACTIVITY, BUSY);
	wlog_add(l, BASE, S(50), WL_ACTIVITY, AVAIL);
	wlog_add(l, BASE, S(60), WL_RES_CREATED, 1);
	wlog_add(l, BASE, S(60), WL_RES_REJECTED, 1);
}

struct want {
	int64_t start, end, now;
	int channel;
	uint64_t n[N_ACT];
	int64_t total_ms[N_ACT];
	uint64_t created, accepted, rejected;
};

static void test_windows(void **state)
{
	static const struct want cases[] = {
		/* everything up to now = 70 s */
		{ S(0), S(100), S(70), -1, { 1, 2, 1 }, { 10000, 40000, 20000 }, 2, 1, 1 },
		/* a window inside one stint: one clipped stint */
		{ S(12), S(20), S(70), -1, { 0, 1, 0 }, { 0, 8000, 0 }, 0, 0, 0 },
		/* starting exactly at a change: no zero-length stint before it */
		{ S(30), S(55), S(70), -1, { 0, 1, 1 }, { 0, 5000, 20000 }, 1, 1, 0 },
		/* channel 1 only counts the chat reservations */
		{ S(0), S(100), S(70), 1, { 1, 2, 1 }, { 10000, 40000, 20000 }, 1, 0, 1 },
		/* the end excludes events at it */
		{ S(0), S(30), S(70), -1, { 1, 1, 0 }, { 10000, 20000, 0 }, 0, 0, 0 },
		/* an empty window counts nothing */
		{ S(40), S(40), S(70), -1, { 0, 0, 0 }, { 0, 0, 0 }, 0, 0, 0 },
		/* a start before the log counts from t0 */
		{ S(-50), S(5), S(70), -1, { 1, 0, 0 }, { 5000, 0, 0 }, 0, 0, 0 },
	};
	struct sim_wlog l;
	(void)state;

	fill(&l);
	assert_null(wlog_check(&l, BASE));
	assert_int_equal(wlog_last_activity(&l), AVAIL);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct want *w = &cases[i];
		struct sim_dur act[N_ACT];
		uint64_t res[WL_N] = { 0 };
		memset(act, 0, sizeof act);
		wlog_window(&l, BASE, w->start, w->end, w->now, w->channel, act, res);
		for (int a = 0; a < N_ACT; a++) {
			if (act[a].n != w->n[a] || act[a].total_ms != w->total_ms[a])
				fail_msg("case %zu activity %d: %llu stints %lld ms, want %llu %lld", i, a,
					 (unsigned long long)act[a].n, (long long)act[a].total_ms,
					 (unsigned long long)w->n[a], (long long)w->total_ms[a]);
		}
		assert_int_equal(res[WL_RES_CREATED], w->created);
		assert_int_equal(res[WL_RES_ACCEPTED], w->accepted);
		assert_int_equal(res[WL_RES_REJECTED], w->rejected);
	}
	wlog_free(&l);
}

static void test_prune(void **state)
{
	struct sim_wlog l;
	struct sim_dur act[N_ACT];
	uint64_t res[WL_N] = { 0 };
	(void)state;

	fill(&l);
	/* Cut inside the Busy stint: it is now the activity at t0. */
	wlog_prune(&l, BASE, S(40));
	assert_int_equal(l.t0, S(40));
	assert_int_equal(l.act0, BUSY);
	assert_null(wlog_check(&l, BASE));
	memset(act, 0, sizeof act);
	wlog_window(&l, BASE, S(0), S(100), S(70), -1, act, res);
	assert_int_equal(act[BUSY].total_ms, 10000);
	assert_int_equal(act[AVAIL].total_ms, 20000);
	assert_int_equal(act[OFF].n, 0);
	assert_int_equal(res[WL_RES_CREATED], 1);
	/* Pruning never moves backwards, and everything may go. */
	wlog_prune(&l, BASE, S(20));
	assert_int_equal(l.t0, S(40));
	wlog_prune(&l, BASE, S(1000));
	assert_int_equal(wlog_bytes(&l), 0);
	assert_int_equal(wlog_last_activity(&l), AVAIL);
	/* Appending after a full prune works. */
	wlog_add(&l, BASE, S(1001), WL_ACTIVITY, OFF);
	assert_int_equal(wlog_last_activity(&l), OFF);
	assert_null(wlog_check(&l, BASE));
	wlog_free(&l);
}

/* Many entries: growth, pruning from the front and compaction keep the
 * log whole. */
static void test_growth(void **state)
{
	struct sim_wlog l;
	(void)state;

	wlog_init(&l, S(0), OFF);
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 1000; i++)
			wlog_add(&l, BASE, S(round * 1000 + i), WL_ACTIVITY, (unsigned)(i % N_ACT));
		wlog_prune(&l, BASE, S(round * 1000 + 500));
		assert_int_equal(l.n - l.head, 500);
		assert_null(wlog_check(&l, BASE));
	}
	assert_true(wlog_bytes(&l) < 2000 * sizeof(uint64_t));
	wlog_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_prune),
		cmocka_unit_test(test_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
