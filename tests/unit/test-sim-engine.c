/* The simulation engine: reproducibility, the invariants of tqsim(1)
 * ("tasks entered = completed + canceled + deleted + moved + still in
 * queue", eligible >= available, counters equal to a recount), routing and
 * queue edits. */
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
#include "sim-scenario.h"
#include "sim-stats.h"
#include "test-sim-check.h"
#include "xalloc.h"

#define T0 1699999980000LL	/* 2023-11-14T22:13:00Z, a minute boundary */
#define MIN 60000LL
#define HOUR (60 * MIN)

static struct sim_engine *demo_engine(uint64_t seed)
{
	struct sim_scenario *sc = scenario_demo();
	struct sim_engine *e = engine_new(sc, seed, T0, NULL);

	scenario_free(&sc);
	return e;
}

static bool same_history(const struct sim_engine *a, const struct sim_engine *b)
{
	if (a->n_queues != b->n_queues || a->hist_raw_from != b->hist_raw_from)
		return false;
	for (size_t i = 0; i < a->n_queues; i++) {
		const struct sim_hist *x = &a->queues[i].hist, *y = &b->queues[i].hist;
		if (x->n - x->head != y->n - y->head || x->n_chunks != y->n_chunks)
			return false;
		for (size_t j = 0; j < x->n_chunks; j++)
			if (x->chunks[j]->len != y->chunks[j]->len ||
			    memcmp(x->chunks[j]->data, y->chunks[j]->data, x->chunks[j]->len) != 0)
				return false;
		for (size_t j = 0; j < x->n - x->head; j++) {
			const struct hist_rec *r = &x->v[x->head + j], *u = &y->v[y->head + j];
			if (r->t != u->t || r->kind != u->kind || r->channel != u->channel ||
			    r->wait_ms != u->wait_ms || r->wait_q_ms != u->wait_q_ms)
				return false;
		}
	}
	return true;
}

/* Same seed, different advance granularity: the same history. */
static void test_same_seed_same_history(void **state)
{
	struct sim_engine *a = demo_engine(7), *b = demo_engine(7), *c = demo_engine(8);
	(void)state;

	engine_advance(a, T0 + 3 * HOUR);
	for (int64_t t = T0; t <= T0 + 3 * HOUR; t += 1000)
		engine_advance(b, t);
	engine_advance(c, T0 + 3 * HOUR);
	assert_true(a->queues[0].hist.n - a->queues[0].hist.head > 100);
	assert_true(a->queues[0].hist.n_chunks > 0);	/* hours 1-2 are folded */
	assert_true(same_history(a, b));
	assert_false(same_history(a, c));
	assert_string_equal(a->queues[0].sid, b->queues[0].sid);
	assert_string_not_equal(a->queues[0].sid, c->queues[0].sid);
	assert_string_equal(a->workers[3].sid, b->workers[3].sid);
	check_ok(a);
	check_ok(b);
	engine_free(&a);
	engine_free(&b);
	engine_free(&c);
}

static uint64_t left(const struct sim_cumulative *c)
{
	return c->count[H_COMPLETED] + c->count[H_CANCELED] + c->count[H_DELETED] + c->count[H_MOVED];
}

/* A long run: counters match a recount at every step, eligible >=
 * available, and task flow is conserved over every window.  Steps end just
 * before a minute boundary, so that windows between boundaries are exact
 * whether their minutes are raw or folded. */
static void test_long_run_invariants(void **state)
{
	struct sim_engine *e = demo_engine(42);
	enum { STEPS = 12 * 60 };	/* 12 hours, one-minute steps */
	uint32_t (*in_queue)[6] = xcalloc(STEPS + 1, sizeof *in_queue);
	uint64_t res_out[6] = { 0 };
	(void)state;

	assert_int_equal(e->n_queues, 6);
	for (int s = 0; s <= STEPS; s++) {
		engine_advance(e, T0 + s * MIN - 1);
		check_ok(e);
		for (uint32_t q = 0; q < 6; q++) {
			struct sim_realtime r;
			stats_realtime(e, q, -1, &r);
			assert_true(r.total_eligible >= r.total_available);
			assert_int_equal(r.total_tasks, r.by_status[0] + r.by_status[1] + r.by_status[2] + r.by_status[3]);
			in_queue[s][q] = r.total_tasks;
			if (r.total_tasks > r.by_status[2] + r.by_status[3]) {
				assert_true(r.longest_task >= 0);
				assert_true(r.longest_age_s >= r.longest_rel_age_s ||
					    e->tasks[r.longest_task].created <= e->tasks[r.longest_rel_task].created);
			}
			stats_realtime_clear(&r);
		}
	}
	for (uint32_t q = 0; q < 6; q++) {
		struct sim_cumulative c;
		/* From the start of history: entered = left + still in queue. */
		stats_cumulative(e, q, T0, T0 + STEPS * MIN, -1, NULL, 0, &c);
		assert_true(c.count[H_ENTERED] > 0);
		assert_int_equal(c.count[H_ENTERED], left(&c) + in_queue[STEPS][q]);
		/* Reservations: created = ended + still outstanding. */
		for (int32_t ti = e->queues[q].live_head; ti >= 0; ti = e->tasks[ti].l_next)
			res_out[q] += e->tasks[ti].n_res;
		assert_int_equal(c.count[H_RES_CREATED],
				 c.count[H_RES_ACCEPTED] + c.count[H_RES_REJECTED] + c.count[H_RES_TIMED_OUT] +
				 c.count[H_RES_CANCELED] + c.count[H_RES_RESCINDED] + res_out[q]);
		assert_true(c.until_accepted.n == c.count[H_RES_ACCEPTED]);
		assert_true(c.until_canceled.n == c.count[H_CANCELED]);
		stats_cumulative_clear(&c);
		/* Every window between two steps conserves the flow. */
		for (int s1 = 0; s1 < STEPS; s1 += 37) {
			for (int s2 = s1 + 1; s2 <= STEPS; s2 += 53) {
				stats_cumulative(e, q, T0 + s1 * MIN, T0 + s2 * MIN, -1, NULL, 0, &c);
				assert_int_equal((int64_t)in_queue[s1][q] + (int64_t)c.count[H_ENTERED],
						 (int64_t)left(&c) + (int64_t)in_queue[s2][q]);
				stats_cumulative_clear(&c);
			}
		}
	}
	/* The demo moves work: every kind of event happened somewhere. */
	uint64_t totals[H_N] = { 0 };
	for (uint32_t q = 0; q < 6; q++) {
		struct sim_cumulative c;
		stats_cumulative(e, q, T0, e->now + 1, -1, NULL, 0, &c);
		for (int k = 0; k < H_N; k++)
			totals[k] += c.count[k];
		stats_cumulative_clear(&c);
	}
	for (int k = 0; k < H_N; k++)
		assert_true(totals[k] > 0);
	free(in_queue);
	engine_free(&e);
}

/* Workspace figures are the queues' summed; worker figures come from the
 * workers' own logs, yet agree with the queues on every reservation, and
 * every worker's time in a window is split exactly among activities. */
static void test_workspace_and_workers(void **state)
{
	struct sim_engine *e = demo_engine(5);
	static const int64_t windows[][2] = {
		{ 0, 15 }, { 0, 12 * 60 - 1 }, { 100, 160 }, { 11 * 60, 12 * 60 - 1 }, { 689, 700 },
	};
	(void)state;

	engine_advance(e, T0 + 12 * HOUR - 1);
	check_ok(e);
	assert_true(e->hist_raw_from > T0);	/* some windows read folded minutes */
	for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
		int64_t a = T0 + windows[i][0] * MIN, b = T0 + windows[i][1] * MIN;
		struct sim_cumulative ws;
		struct sim_worker_cumulative wk;
		int64_t spent = 0;
		uint64_t entered = 0;

		stats_workspace_cumulative(e, a, b, -1, NULL, 0, &ws);
		stats_workers_cumulative(e, NULL, 0, a, b, -1, &wk);
		assert_int_equal(ws.start_ms, wk.start_ms);
		assert_int_equal(ws.end_ms, wk.end_ms);
		assert_int_equal(ws.count[H_RES_CREATED], wk.res[WL_RES_CREATED]);
		assert_int_equal(ws.count[H_RES_ACCEPTED], wk.res[WL_RES_ACCEPTED]);
		assert_int_equal(ws.count[H_RES_REJECTED], wk.res[WL_RES_REJECTED]);
		assert_int_equal(ws.count[H_RES_TIMED_OUT], wk.res[WL_RES_TIMED_OUT]);
		assert_int_equal(ws.count[H_RES_CANCELED], wk.res[WL_RES_CANCELED]);
		assert_int_equal(ws.count[H_RES_RESCINDED], wk.res[WL_RES_RESCINDED]);
		assert_true(ws.count[H_RES_CREATED] > 0);
		for (size_t k = 0; k < e->n_activities; k++)
			spent += wk.activity[k].total_ms;
		assert_int_equal(spent, (int64_t)e->n_workers * (wk.end_ms - wk.start_ms));
		for (uint32_t q = 0; q < e->n_queues; q++) {
			struct sim_cumulative c;
			stats_cumulative(e, q, a, b, -1, NULL, 0, &c);
			entered += c.count[H_ENTERED];
			stats_cumulative_clear(&c);
		}
		assert_int_equal(ws.count[H_ENTERED], entered);
		assert_true(ws.count[H_ENTERED] >= ws.count[H_MOVED]);
		stats_cumulative_clear(&ws);
		stats_workers_cumulative_clear(&wk);
	}
	/* Real time: the sum of the queues, every worker in one activity. */
	struct sim_realtime ws, q;
	uint32_t tasks = 0, workers = 0;
	int32_t oldest = -1;
	stats_workspace_realtime(e, -1, &ws);
	for (uint32_t i = 0; i < e->n_queues; i++) {
		stats_realtime(e, i, -1, &q);
		tasks += q.total_tasks;
		if (q.longest_task >= 0 && (oldest < 0 || e->tasks[q.longest_task].created < e->tasks[oldest].created))
			oldest = q.longest_task;
		stats_realtime_clear(&q);
	}
	for (size_t k = 0; k < e->n_activities; k++)
		workers += ws.by_activity[k];
	assert_int_equal(ws.total_tasks, tasks);
	assert_int_equal(workers, e->n_workers);
	assert_int_equal(ws.total_eligible, e->n_workers);
	assert_true(oldest >= 0);
	assert_int_equal(e->tasks[ws.longest_task].created, e->tasks[oldest].created);
	stats_realtime_clear(&ws);
	engine_free(&e);
}

static const char small_json[] =
	"{\"name\": \"small\", \"activities\": ["
	" {\"name\": \"Offline\", \"available\": false, \"weight\": 1, \"mean_minutes\": 10000},"
	" {\"name\": \"Available\", \"available\": true, \"mean_minutes\": 10000}],"
	" \"behaviour\": {\"accept_probability\": 1, \"reject_probability\": 0, \"delete_probability\": 0,"
	"   \"accept_delay_mean_seconds\": 1},"
	" \"channels\": [{\"name\": \"voice\", \"talk_mean_seconds\": 80000, \"patience_mean_seconds\": 1000000}],"
	" \"queues\": ["
	"  {\"name\": \"EN\", \"target_workers\": \"languages HAS \\\"en\\\"\"},"
	"  {\"name\": \"Senior\", \"target_workers\": \"level >= 3\", \"max_reserved_workers\": 2},"
	"  {\"name\": \"All\", \"target_workers\": \"1==1\"}],"
	" \"workers\": ["
	"  {\"name\": \"A\", \"attributes\": {\"languages\": [\"en\"], \"level\": 1}},"
	"  {\"name\": \"B\", \"attributes\": {\"languages\": [\"en\", \"fr\"], \"level\": 3}},"
	"  {\"name\": \"C\", \"attributes\": {\"languages\": [\"fr\"], \"level\": 5}},"
	"  {\"name\": \"D\", \"activity\": \"Offline\", \"attributes\": {\"languages\": [\"EN\"], \"level\": 4}}]}";

static struct sim_engine *small_engine(void)
{
	char *err = NULL;
	struct sim_scenario *sc = scenario_parse(small_json, strlen(small_json), "small", &err);
	struct sim_engine *e;

	if (!sc)
		fail_msg("%s", err);
	e = engine_new(sc, 1, T0, NULL);
	scenario_free(&sc);
	return e;
}

static void test_eligibility_and_edit(void **state)
{
	struct sim_engine *e = small_engine();
	struct queue_edit ed = QUEUE_EDIT_INIT;
	struct expr_error ee = { 0, NULL };
	struct sim_realtime r;
	(void)state;

	/* EN: A, B (D has "EN": the evaluator decides, not the index). */
	stats_realtime(e, 0, -1, &r);
	assert_true(r.total_eligible == 2 || r.total_eligible == 3);
	assert_int_equal(r.total_available, 2);
	assert_int_equal(r.by_activity[1], 2);
	stats_realtime_clear(&r);
	stats_realtime(e, 1, -1, &r);
	assert_int_equal(r.total_eligible, 3);	/* B, C, D */
	assert_int_equal(r.total_available, 2);	/* D is offline */
	assert_int_equal(r.by_activity[0], 1);
	stats_realtime_clear(&r);
	stats_realtime(e, 2, -1, &r);
	assert_int_equal(r.total_eligible, 4);
	stats_realtime_clear(&r);

	ed.target_workers = "languages HAS \"fr\" AND level >= 5";
	ed.expr = expr_parse(ed.target_workers, &ee);
	assert_non_null(ed.expr);
	ed.max_reserved = 3;
	assert_int_equal(engine_queue_update(e, 0, &ed), QCHG_EXPR | QCHG_OTHER);
	assert_null(ed.expr);
	stats_realtime(e, 0, -1, &r);
	assert_int_equal(r.total_eligible, 1);
	assert_int_equal(e->queues[0].max_reserved, 3);
	stats_realtime_clear(&r);
	check_ok(e);

	/* Same text again: nothing changes. */
	ed = (struct queue_edit)QUEUE_EDIT_INIT;
	ed.target_workers = "languages HAS \"fr\" AND level >= 5";
	ed.expr = expr_parse(ed.target_workers, &ee);
	assert_int_equal(engine_queue_update(e, 0, &ed), 0);
	engine_free(&e);
}

/* The attribute index only narrows candidates: for every expression the
 * eligible set equals a brute-force evaluation over all workers. */
static void test_index_matches_brute_force(void **state)
{
	static const char *const exprs[] = {
		"skills HAS \"sales\"",
		"skills HAS \"support\" AND languages HAS \"en\"",
		"languages HAS \"es\" OR level >= 4",
		"worker.skills HAS \"billing\"",
		"team == \"north\" AND level > 2",
		"skills HAS \"SALES\"",
		"(skills HAS \"sales\") AND level < 3",
		"skills HAS \"nobody\"",
		"languages IN [\"en\"]",
		"level >= 1",
		"1==1",
	};
	struct sim_engine *e = demo_engine(3);
	(void)state;

	for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
		struct queue_edit ed = QUEUE_EDIT_INIT;
		struct expr_error ee = { 0, NULL };
		struct expr *bf = expr_parse(exprs[i], &ee);
		uint32_t n = 0;

		assert_non_null(bf);
		ed.target_workers = exprs[i];
		ed.expr = expr_parse(exprs[i], &ee);
		engine_queue_update(e, 0, &ed);
		for (size_t w = 0; w < e->n_workers; w++)
			n += expr_eval(bf, e->workers[w].attrs, e->workers[w].fields);
		if (n != e->queues[0].n_edges)
			fail_msg("%s: index gives %u workers, evaluation %u", exprs[i], e->queues[0].n_edges, n);
		expr_free(&bf);
		engine_advance(e, e->now + 10 * MIN);
		check_ok(e);
	}
	engine_free(&e);
}

/* With MaxReservedWorkers 2 and two idle matching workers, a new task is
 * reserved twice; accepting one rescinds the other. */
static void test_routing_multi_reservation(void **state)
{
	struct sim_engine *e = small_engine();
	struct sim_cumulative c;
	(void)state;

	engine_queue_set_load(e, 1, 60);	/* Senior: about one task a second */
	engine_queue_set_load(e, 0, 0);
	engine_advance(e, T0 + 20000);
	check_ok(e);
	stats_cumulative(e, 1, T0, e->now + 1, -1, NULL, 0, &c);
	assert_true(c.count[H_ENTERED] >= 1);
	assert_true(c.count[H_RES_CREATED] >= 2);
	assert_true(c.count[H_RES_RESCINDED] >= 1);
	assert_int_equal(c.count[H_RES_REJECTED], 0);
	/* Two senior workers available (B, C), both now busy on calls. */
	assert_int_equal(e->queues[1].n_idle, 0);
	stats_cumulative_clear(&c);
	engine_free(&e);
}

static void test_delete_queue(void **state)
{
	struct sim_engine *e = demo_engine(5);
	struct sim_realtime r;
	uint32_t qi = 1;
	(void)state;

	engine_advance(e, T0 + 2 * HOUR);
	engine_queue_delete(e, qi);
	assert_true(e->queues[qi].deleted);
	assert_int_equal(e->queues[qi].n_edges, 0);
	assert_int_equal(e->queues[qi].wait_head, -1);
	for (size_t w = 0; w < e->n_workers; w++)
		for (uint32_t j = 0; j < e->workers[w].n_qlinks; j++)
			assert_int_not_equal(e->workers[w].qlinks[j].q, qi);
	engine_advance(e, T0 + 3 * HOUR);
	check_ok(e);
	stats_realtime(e, qi, -1, &r);
	assert_int_equal(r.by_status[TS_PENDING] + r.by_status[TS_RESERVED], 0);
	stats_realtime_clear(&r);
	assert_int_equal(engine_find_queue(e, e->queues[qi].sid), (int)qi);
	engine_free(&e);
}

static void test_create_queue(void **state)
{
	struct sim_engine *e = demo_engine(9);
	struct queue_edit ed = QUEUE_EDIT_INIT;
	struct expr_error ee = { 0, NULL };
	uint32_t qi;
	(void)state;

	ed.friendly_name = "French";
	ed.target_workers = "languages HAS \"fr\"";
	ed.expr = expr_parse(ed.target_workers, &ee);
	ed.task_order = 1;
	qi = engine_queue_create(e, &ed);
	assert_int_equal(qi, 6);
	assert_string_equal(e->queues[qi].name, "French");
	assert_true(e->queues[qi].lifo);
	assert_int_equal(e->queues[qi].n_edges, 5);
	engine_queue_set_load(e, qi, 2);
	engine_advance(e, T0 + HOUR);
	check_ok(e);
	assert_true(e->queues[qi].hist.n > e->queues[qi].hist.head);
	engine_free(&e);
}

static void test_scale_workspace(void **state)
{
	struct sim_scenario *sc = scenario_scale(200, 2000, 1);
	struct sim_engine *e = engine_new(sc, 1, T0, NULL);
	size_t edges = 0;
	(void)state;

	scenario_free(&sc);
	assert_int_equal(e->n_queues, 200);
	assert_int_equal(e->n_workers, 2000);
	for (size_t q = 0; q < e->n_queues; q++)
		edges += e->queues[q].n_edges;
	/* three skills a worker, some queues also need level >= 2 */
	assert_true(edges > 4000 && edges <= 6000);
	engine_advance(e, T0 + 30 * MIN);
	check_ok(e);
	engine_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_history),
		cmocka_unit_test(test_long_run_invariants),
		cmocka_unit_test(test_workspace_and_workers),
		cmocka_unit_test(test_eligibility_and_edit),
		cmocka_unit_test(test_index_matches_brute_force),
		cmocka_unit_test(test_routing_multi_reservation),
		cmocka_unit_test(test_delete_queue),
		cmocka_unit_test(test_create_queue),
		cmocka_unit_test(test_scale_workspace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
