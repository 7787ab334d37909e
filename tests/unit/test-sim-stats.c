/* Cumulative statistics from a hand-written history: window bounds,
 * channel filter, durations and SplitByWaitTime (below <= T < above);
 * the workspace's figures as the queues' sums. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim-engine.h"
#include "sim-hist.h"
#include "sim-stats.h"

struct fixture {
	struct sim_engine e;
	struct sim_queue q;
};

static int setup(void **state)
{
	static struct fixture f;
	struct sim_hist *h = &f.q.hist;

	memset(&f, 0, sizeof f);
	f.e.queues = &f.q;
	f.e.n_queues = 1;
	/* t (ms), kind, channel, wait, wait in queue */
	hist_add(h, 1000, H_ENTERED, 0, 0, 0);
	hist_add(h, 2000, H_ENTERED, 1, 0, 0);
	hist_add(h, 2000, H_RES_CREATED, 0, 0, 0);
	hist_add(h, 5000, H_RES_ACCEPTED, 0, 4000, 4000);	/* waited 4 s */
	hist_add(h, 9000, H_RES_CREATED, 1, 0, 0);
	hist_add(h, 9000, H_RES_ACCEPTED, 1, 7000, 3000);	/* 7 s, 3 s in queue */
	hist_add(h, 10000, H_ENTERED, 0, 0, 0);
	hist_add(h, 15000, H_CANCELED, 0, 5000, 5000);	/* gave up after 5 s */
	hist_add(h, 20000, H_COMPLETED, 0, 0, 0);
	hist_add(h, 25000, H_MOVED, 1, 0, 0);
	hist_add(h, 30000, H_CANCELED, 1, 20500, 1000);
	*state = &f;
	return 0;
}

static void test_lower_bound(void **state)
{
	struct fixture *f = *state;
	static const struct { int64_t t; size_t i; } cases[] = {
		{ 0, 0 }, { 1000, 0 }, { 1001, 1 }, { 2000, 1 }, { 9000, 4 }, { 30000, 10 }, { 30001, 11 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(hist_lower_bound(&f->q.hist, cases[i].t), cases[i].i);
}

static void test_whole_history(void **state)
{
	struct fixture *f = *state;
	struct sim_cumulative c;
	int64_t thr[] = { 5, 7, 20 };

	stats_cumulative(&f->e, 0, 0, 40000, -1, thr, 3, &c);
	assert_int_equal(c.count[H_ENTERED], 3);
	assert_int_equal(c.count[H_RES_CREATED], 2);
	assert_int_equal(c.count[H_RES_ACCEPTED], 2);
	assert_int_equal(c.count[H_CANCELED], 2);
	assert_int_equal(c.count[H_COMPLETED], 1);
	assert_int_equal(c.count[H_MOVED], 1);
	/* accepted after 4 s and 7 s: avg 5.5 rounds to 6 */
	assert_int_equal(dur_avg_s(&c.until_accepted), 6);
	assert_int_equal(dur_min_s(&c.until_accepted), 4);
	assert_int_equal(dur_max_s(&c.until_accepted), 7);
	assert_int_equal(dur_total_s(&c.until_accepted), 11);
	assert_int_equal(dur_avg_s(&c.in_queue_until_accepted), 4);	/* 3.5 -> 4 */
	assert_int_equal(dur_total_s(&c.in_queue_until_accepted), 7);
	/* canceled after 5 s and 20.5 s */
	assert_int_equal(dur_min_s(&c.until_canceled), 5);
	assert_int_equal(dur_max_s(&c.until_canceled), 21);
	assert_int_equal(dur_total_s(&c.until_canceled), 26);	/* 25.5 -> 26 */
	/* T=5: accepted 4 <= 5 below, 7 above; canceled 5 below, 20.5 above */
	assert_int_equal(c.splits[0].threshold_s, 5);
	assert_int_equal(c.splits[0].accepted_below, 1);
	assert_int_equal(c.splits[0].accepted_above, 1);
	assert_int_equal(c.splits[0].canceled_below, 1);
	assert_int_equal(c.splits[0].canceled_above, 1);
	/* T=7: both accepted below */
	assert_int_equal(c.splits[1].accepted_below, 2);
	assert_int_equal(c.splits[1].accepted_above, 0);
	/* T=20: 20.5 s is above */
	assert_int_equal(c.splits[2].canceled_below, 1);
	assert_int_equal(c.splits[2].canceled_above, 1);
	stats_cumulative_clear(&c);
}

/* Thresholds in any order, repeated or not, split like the sorted ones:
 * every split matches a brute-force count of the waits (accepted 4 s and
 * 7 s, canceled 5 s and 21 s rounded up). */
static void test_split_order(void **state)
{
	struct fixture *f = *state;
	static const int64_t thr[] = { 20, 1, 7, 4, 21, 6, 7, 100, 5 };
	static const uint32_t acc[] = { 4, 7 }, canc[] = { 5, 21 };
	size_t n = sizeof thr / sizeof thr[0];
	struct sim_cumulative c;

	stats_cumulative(&f->e, 0, 0, 40000, -1, thr, n, &c);
	assert_int_equal(c.n_splits, n);
	for (size_t i = 0; i < n; i++) {
		uint64_t ab = 0, cb = 0;
		for (size_t k = 0; k < 2; k++) {
			ab += acc[k] <= thr[i];
			cb += canc[k] <= thr[i];
		}
		assert_int_equal(c.splits[i].threshold_s, thr[i]);
		assert_int_equal(c.splits[i].accepted_below, ab);
		assert_int_equal(c.splits[i].accepted_above, 2 - ab);
		assert_int_equal(c.splits[i].canceled_below, cb);
		assert_int_equal(c.splits[i].canceled_above, 2 - cb);
	}
	stats_cumulative_clear(&c);
}

static void test_window_bounds_and_channel(void **state)
{
	struct fixture *f = *state;
	struct sim_cumulative c;

	/* [2000, 9000): the 9000 events are out, both 2000 events in */
	stats_cumulative(&f->e, 0, 2000, 9000, -1, NULL, 0, &c);
	assert_int_equal(c.count[H_ENTERED], 1);
	assert_int_equal(c.count[H_RES_CREATED], 1);
	assert_int_equal(c.count[H_RES_ACCEPTED], 1);
	assert_null(c.splits);
	stats_cumulative_clear(&c);

	stats_cumulative(&f->e, 0, 0, 40000, 1, NULL, 0, &c);
	assert_int_equal(c.count[H_ENTERED], 1);
	assert_int_equal(c.count[H_RES_ACCEPTED], 1);
	assert_int_equal(dur_avg_s(&c.until_accepted), 7);
	assert_int_equal(c.count[H_CANCELED], 1);
	assert_int_equal(c.count[H_MOVED], 1);
	assert_int_equal(c.count[H_COMPLETED], 0);
	stats_cumulative_clear(&c);

	/* an empty window: all zero */
	stats_cumulative(&f->e, 0, 31000, 40000, -1, NULL, 0, &c);
	for (int k = 0; k < H_N; k++)
		assert_int_equal(c.count[k], 0);
	assert_int_equal(dur_avg_s(&c.until_accepted), 0);
	assert_int_equal(dur_max_s(&c.until_canceled), 0);
	stats_cumulative_clear(&c);
}

static void assert_same_dur(const struct sim_dur *a, const struct sim_dur *b)
{
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->total_ms, b->total_ms);
	if (a->n) {
		assert_int_equal(a->min_ms, b->min_ms);
		assert_int_equal(a->max_ms, b->max_ms);
	}
}

/* The workspace's figures are the queues' summed: counts, durations
 * (min and max over both) and every split, for each channel filter. */
static void test_workspace_sums_queues(void **state)
{
	struct fixture *f = *state;
	struct sim_queue qs[2];
	struct sim_engine e = f->e;
	static const int64_t thr[] = { 6, 3, 30, 5 };
	size_t n = sizeof thr / sizeof thr[0];

	memset(qs, 0, sizeof qs);
	qs[0] = f->q;
	hist_add(&qs[1].hist, 3000, H_ENTERED, 0, 0, 0);
	hist_add(&qs[1].hist, 4000, H_RES_ACCEPTED, 0, 2500, 1000);	/* 2.5 s: below every threshold */
	hist_add(&qs[1].hist, 6000, H_RES_ACCEPTED, 1, 40000, 40000);	/* above every one, longest */
	hist_add(&qs[1].hist, 8000, H_CANCELED, 0, 6000, 6000);		/* exactly 6 s: below 6 */
	e.queues = qs;
	e.n_queues = 2;
	for (int ch = -1; ch <= 1; ch++) {
		struct sim_cumulative w, a, b;
		stats_workspace_cumulative(&e, 0, 40000, ch, thr, n, &w);
		stats_cumulative(&e, 0, 0, 40000, ch, thr, n, &a);
		stats_cumulative(&e, 1, 0, 40000, ch, thr, n, &b);
		assert_int_equal(w.start_ms, 0);
		assert_int_equal(w.end_ms, 40000);
		for (int k = 0; k < H_N; k++)
			assert_int_equal(w.count[k], a.count[k] + b.count[k]);
		struct sim_dur d = a.until_accepted;
		dur_merge(&d, &b.until_accepted);
		assert_same_dur(&w.until_accepted, &d);
		d = a.in_queue_until_accepted;
		dur_merge(&d, &b.in_queue_until_accepted);
		assert_same_dur(&w.in_queue_until_accepted, &d);
		d = a.until_canceled;
		dur_merge(&d, &b.until_canceled);
		assert_same_dur(&w.until_canceled, &d);
		assert_int_equal(w.n_splits, n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(w.splits[i].threshold_s, thr[i]);
			assert_int_equal(w.splits[i].accepted_below, a.splits[i].accepted_below + b.splits[i].accepted_below);
			assert_int_equal(w.splits[i].accepted_above, a.splits[i].accepted_above + b.splits[i].accepted_above);
			assert_int_equal(w.splits[i].canceled_below, a.splits[i].canceled_below + b.splits[i].canceled_below);
			assert_int_equal(w.splits[i].canceled_above, a.splits[i].canceled_above + b.splits[i].canceled_above);
		}
		if (ch < 0) {
			/* both queues' events: 4 accepted, 3 canceled; T=6 has 2.5, 4 s below */
			assert_int_equal(w.count[H_RES_ACCEPTED], 4);
			assert_int_equal(w.count[H_CANCELED], 3);
			assert_int_equal(dur_max_s(&w.until_accepted), 40);
			assert_int_equal(w.splits[0].accepted_below, 2);
			assert_int_equal(w.splits[0].canceled_below, 2);
		}
		stats_cumulative_clear(&w);
		stats_cumulative_clear(&a);
		stats_cumulative_clear(&b);
	}
	hist_free(&qs[1].hist);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	hist_free(&f->q.hist);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lower_bound),
		cmocka_unit_test(test_whole_history),
		cmocka_unit_test(test_split_order),
		cmocka_unit_test(test_window_bounds_and_channel),
		cmocka_unit_test(test_workspace_sums_queues),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
