/* The bounded history: folding raw records into per-minute blocks and
 * dropping old ones never changes a statistic of an allowed window.  Each
 * test compares against the unpruned computation (every record kept raw)
 * of the same seeded history. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expr.h"
#include "sim-engine.h"
#include "sim-hist.h"
#include "sim-rng.h"
#include "sim-scenario.h"
#include "sim-stats.h"
#include "test-sim-check.h"

#define T0 1699999980000LL	/* 2023-11-14T22:13:00Z, a minute boundary */
#define MIN HIST_MINUTE_MS
#define HOUR (60 * MIN)

static void same_dur(const char *what, const struct sim_dur *a, const struct sim_dur *b)
{
	if (a->n != b->n || a->total_ms != b->total_ms || (a->n && (a->min_ms != b->min_ms || a->max_ms != b->max_ms)))
		fail_msg("%s: n %llu/%llu total %lld/%lld min %lld/%lld max %lld/%lld", what,
			 (unsigned long long)a->n, (unsigned long long)b->n, (long long)a->total_ms,
			 (long long)b->total_ms, (long long)a->min_ms, (long long)b->min_ms,
			 (long long)a->max_ms, (long long)b->max_ms);
}

/* Every figure of two results, bounds included. */
static void same_cumulative(const struct sim_cumulative *a, const struct sim_cumulative *b)
{
	assert_int_equal(a->start_ms, b->start_ms);
	assert_int_equal(a->end_ms, b->end_ms);
	for (int k = 0; k < H_N; k++)
		if (a->count[k] != b->count[k])
			fail_msg("[%lld, %lld) kind %d: %llu, reference %llu", (long long)a->start_ms,
				 (long long)a->end_ms, k, (unsigned long long)a->count[k],
				 (unsigned long long)b->count[k]);
	same_dur("until_accepted", &a->until_accepted, &b->until_accepted);
	same_dur("in_queue_until_accepted", &a->in_queue_until_accepted, &b->in_queue_until_accepted);
	same_dur("until_canceled", &a->until_canceled, &b->until_canceled);
	assert_int_equal(a->n_splits, b->n_splits);
	for (size_t i = 0; i < a->n_splits; i++) {
		assert_int_equal(a->splits[i].threshold_s, b->splits[i].threshold_s);
		assert_int_equal(a->splits[i].accepted_below, b->splits[i].accepted_below);
		assert_int_equal(a->splits[i].accepted_above, b->splits[i].accepted_above);
		assert_int_equal(a->splits[i].canceled_below, b->splits[i].canceled_below);
		assert_int_equal(a->splits[i].canceled_above, b->splits[i].canceled_above);
	}
}

/* Where the pruned engine counts a bound (tqsim(1)): exact at or after
 * the raw horizon, else the start of its minute. */
static int64_t counted_bound(const struct sim_engine *e, int64_t t)
{
	return t < e->hist_raw_from ? hist_minute(t) * MIN : t;
}

/* The pruned result of [start, end) equals the reference's over the
 * bounds the pruned engine says it counts. */
static void compare_window(const struct sim_engine *p, uint32_t qp, const struct sim_engine *ref, uint32_t qr,
			   int64_t start, int64_t end, int channel, const int64_t *thr, size_t n_thr)
{
	struct sim_cumulative a, b;
	int64_t s = counted_bound(p, start), e = counted_bound(p, end);

	stats_cumulative(p, qp, start, end, channel, thr, n_thr, &a);
	stats_cumulative(ref, qr, s, e, channel, thr, n_thr, &b);
	same_cumulative(&a, &b);
	stats_cumulative_clear(&a);
	stats_cumulative_clear(&b);
}

/* Many windows: whole minutes anywhere, milliseconds anywhere, every
 * channel, random thresholds (some on exact second boundaries). */
static void compare_many(const struct sim_engine *p, const struct sim_engine *ref, struct sim_rng *rng, int n)
{
	/* thresholds next to the hand-made waits (exact seconds) */
	static const int64_t near[] = { 1, 2, 5, 6, 59, 60, 61, 1000, 3600, 3601, 2147483, 2147484 };
	int64_t lo = ref->start - 5 * MIN, span = ref->now + 2 * MIN - lo;

	for (int i = 0; i < n; i++) {
		uint32_t q = (uint32_t)rng_below(rng, p->n_queues);
		int channel = (int)rng_below(rng, p->n_channels + 1) - 1;
		int64_t thr[4];
		size_t n_thr = rng_below(rng, 5);
		int64_t a = lo + (int64_t)rng_below(rng, (uint64_t)span), b = lo + (int64_t)rng_below(rng, (uint64_t)span);

		for (size_t j = 0; j < n_thr; j++)
			thr[j] = j % 2 ? near[rng_below(rng, sizeof near / sizeof near[0])] : 1 + (int64_t)rng_below(rng, 400);
		if (a > b) {
			int64_t t = a;
			a = b;
			b = t;
		}
		if (i % 2) {
			a = hist_minute(a) * MIN;
			b = hist_minute(b) * MIN;
		}
		compare_window(p, q, ref, q, a, b + 1, channel, thr, n_thr);
	}
}

static struct sim_engine *demo(uint64_t seed, int64_t raw_ms, size_t budget)
{
	struct sim_scenario *sc = scenario_demo();
	struct sim_engine *e = engine_new(sc, seed, T0 + 17 * 1000, NULL);	/* not on a boundary */

	scenario_free(&sc);
	engine_set_history(e, raw_ms, budget);
	return e;
}

static void edit(struct sim_engine *e, uint32_t qi, const char *target)
{
	struct queue_edit ed = QUEUE_EDIT_INIT;
	struct expr_error ee = { 0, NULL };

	ed.target_workers = target;
	ed.expr = expr_parse(target, &ee);
	assert_non_null(ed.expr);
	engine_queue_update(e, qi, &ed);
}

/* Hand-made records with the awkward values: waits of 0, exact seconds,
 * a millisecond over, the clamp at INT32_MAX; one to many records a
 * minute; channels up to 200; then folded in several steps. */
static void test_fold_hand_made(void **state)
{
	struct sim_queue q[2];
	struct sim_engine folded, ref;
	struct hist_scratch scratch = { NULL, NULL, 0, 0, NULL, 0 };
	struct sim_rng rng;
	static const int64_t waits[] = { 0, 1, 999, 1000, 1001, 5000, 5001, 59999, 60000, 3600000, INT64_MAX };
	static const int chans[] = { 0, 1, 2, 200 };
	(void)state;

	memset(q, 0, sizeof q);
	memset(&folded, 0, sizeof folded);
	folded.queues = &q[0];
	folded.n_queues = 1;
	folded.n_channels = 3;	/* windows filter on 0..2; channel 200 counts in "all" */
	folded.hist_raw_from = folded.hist_kept_from = INT64_MIN;
	ref = folded;
	ref.queues = &q[1];
	rng_seed(&rng, 11);
	for (int64_t t = T0; t < T0 + 90 * MIN;) {
		enum hist_kind kind = (enum hist_kind)rng_below(&rng, H_N);
		int ch = chans[rng_below(&rng, 4)];
		int64_t w = waits[rng_below(&rng, sizeof waits / sizeof waits[0])];
		int64_t wq = waits[rng_below(&rng, sizeof waits / sizeof waits[0])];

		if (rng_below(&rng, 3) == 0)
			w = (int64_t)rng_below(&rng, 1000000);
		hist_add(&q[0].hist, t, kind, ch, w, wq);
		hist_add(&q[1].hist, t, kind, ch, w, wq);
		/* bursts (thousands a minute), then quiet minutes */
		t += (t / (7 * MIN)) % 3 == 0 ? (int64_t)rng_below(&rng, 40) : (int64_t)rng_below(&rng, 5 * MIN);
	}
	for (int64_t b = T0 + 10 * MIN; b <= T0 + 110 * MIN; b += 13 * MIN) {
		char *err;
		folded.hist_raw_from = b;
		hist_fold(&q[0].hist, b, &scratch);
		err = hist_check(&q[0].hist, b);
		if (err)
			fail_msg("%s", err);
		folded.now = ref.now = b + 3 * MIN;
		ref.start = folded.start = T0;
		compare_many(&folded, &ref, &rng, 300);
	}
	assert_int_equal(q[0].hist.n, q[0].hist.head);
	assert_true(q[0].hist.n_chunks > 1);
	hist_scratch_free(&scratch);
	hist_free(&q[0].hist);
	hist_free(&q[1].hist);
}

/* The demo for six hours with queue edits, compared at every half hour
 * with a reference that never folds: raw horizons of 0 (everything
 * folded at once) and 7 minutes. */
static void test_engine_matches_unpruned(void **state)
{
	static const int64_t horizons[] = { 0, 7 * MIN };
	(void)state;

	for (size_t h = 0; h < sizeof horizons / sizeof horizons[0]; h++) {
		struct sim_engine *ref = demo(21, ENGINE_HIST_NO_FOLD, 0);
		struct sim_engine *p = demo(21, horizons[h], 0);
		struct sim_rng rng;

		rng_seed(&rng, 5 + h);
		for (int step = 1; step <= 12; step++) {
			int64_t to = T0 + step * 30 * MIN + (int64_t)rng_below(&rng, MIN);
			if (step == 4) {
				edit(ref, 2, "languages HAS \"es\"");
				edit(p, 2, "languages HAS \"es\"");
			}
			if (step == 7) {
				engine_queue_delete(ref, 4);
				engine_queue_delete(p, 4);
			}
			engine_advance(ref, to);
			engine_advance(p, to);
			check_ok(p);
			assert_int_equal(p->events, ref->events);
			assert_int_equal(p->hist_raw_from, hist_minute(to) * MIN - horizons[h]);
			compare_many(p, ref, &rng, 200);
		}
		/* Folding is what bounds memory: far fewer bytes than raw. */
		size_t bp = 0, br = 0;
		for (size_t q = 0; q < p->n_queues; q++) {
			bp += p->queues[q].hist.bytes;
			br += ref->queues[q].hist.bytes;
		}
		assert_true(bp * 3 < br);
		engine_free(&ref);
		engine_free(&p);
	}
}

/* Over budget, the oldest hours go: hist_kept_from moves forward by whole
 * hours, memory stays under the budget, windows from hist_kept_from on
 * are still exact, and an older start counts from hist_kept_from. */
static void test_budget_drops_oldest_hours(void **state)
{
	struct sim_engine *ref = demo(3, ENGINE_HIST_NO_FOLD, 0);
	struct sim_engine *p = demo(3, 10 * MIN, 48 * 1024);
	struct sim_rng rng;
	struct sim_cumulative a, b;
	(void)state;

	rng_seed(&rng, 99);
	for (int64_t t = T0; t <= T0 + 24 * HOUR; t += 20 * MIN) {
		engine_advance(ref, t);
		engine_advance(p, t);
		assert_true(p->hist_bytes <= p->hist_budget);
	}
	check_ok(p);
	assert_true(p->hist_kept_from > p->start);
	assert_int_equal((p->hist_kept_from - hist_minute(p->start) * MIN) % HOUR, 0);
	assert_true(p->hist_kept_from < p->hist_raw_from);
	for (int i = 0; i < 300; i++) {
		uint32_t q = (uint32_t)rng_below(&rng, p->n_queues);
		int64_t span = p->now - p->hist_kept_from;
		int64_t s = p->hist_kept_from + (int64_t)rng_below(&rng, (uint64_t)span);
		int64_t e = s + (int64_t)rng_below(&rng, (uint64_t)(p->now + 1 - s)) + 1;
		int64_t thr[] = { 10, 30, 60 };
		compare_window(p, q, ref, q, s, e, -1, thr, 3);
	}
	stats_cumulative(p, 0, p->start, p->now + 1, -1, NULL, 0, &a);
	stats_cumulative(ref, 0, p->hist_kept_from, p->now + 1, -1, NULL, 0, &b);
	assert_int_equal(a.start_ms, p->hist_kept_from);
	same_cumulative(&a, &b);
	stats_cumulative_clear(&a);
	stats_cumulative_clear(&b);
	engine_free(&ref);
	engine_free(&p);
}

/* Thirty days on: blocks older than 30 days are freed, the last 30 days
 * are all there (a quiet workspace, to keep the run short). */
static void test_thirty_days(void **state)
{
	static const char json[] =
		"{\"name\": \"quiet\", \"activities\": ["
		" {\"name\": \"Offline\", \"available\": false, \"weight\": 1, \"mean_minutes\": 60},"
		" {\"name\": \"Available\", \"available\": true, \"mean_minutes\": 240}],"
		" \"channels\": [{\"name\": \"voice\", \"talk_mean_seconds\": 60, \"patience_mean_seconds\": 120}],"
		" \"queues\": [{\"name\": \"Q\", \"target_workers\": \"1==1\", \"load\": {\"rate_per_minute\": 0.2}}],"
		" \"workers\": [{\"name\": \"A\"}, {\"name\": \"B\"}]}";
	char *err = NULL;
	struct sim_scenario *sc = scenario_parse(json, strlen(json), "quiet", &err);
	struct sim_engine *e;
	struct sim_cumulative c;
	int64_t end = T0 + 31 * 24 * HOUR + 5 * MIN;
	const struct sim_hist *h;
	(void)state;

	if (!sc)
		fail_msg("%s", err);
	e = engine_new(sc, 2, T0, NULL);
	scenario_free(&sc);
	engine_advance(e, end);
	check_ok(e);
	h = &e->queues[0].hist;
	assert_int_equal(e->hist_kept_from, hist_minute(end) * MIN - ENGINE_HIST_KEEP_MS);
	assert_true(h->n_chunks > 0);
	/* only the chunk that straddles the limit holds older minutes */
	assert_true(h->chunks[0]->last_min >= hist_minute(e->hist_kept_from));
	assert_true(h->chunks[0]->first_min > hist_minute(T0 + 12 * HOUR));
	stats_cumulative(e, 0, end - ENGINE_HIST_KEEP_MS, end, -1, NULL, 0, &c);
	assert_true(c.count[H_ENTERED] > 30 * 24 * 60 / 10);
	stats_cumulative_clear(&c);
	engine_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_hand_made),
		cmocka_unit_test(test_engine_matches_unpruned),
		cmocka_unit_test(test_budget_drops_oldest_hours),
		cmocka_unit_test(test_thirty_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
