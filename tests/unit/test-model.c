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
#include "json.h"
#include "model.h"
#include "xalloc.h"

#define WQ "WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define WA "WAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define WK "WKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define WT "WTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define AC "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define WS "WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define API "https://taskrouter.twilio.com/v1/Workspaces/" WS

/* ---- every parser behind one signature ---------------------------------- */

struct parser {
	const char *name;
	size_t size;
	bool (*parse)(const char *text, size_t len, void *out, char **err);
	void (*clear)(void *obj);
};

#define WRAP(name, type) \
	static bool parse_##name(const char *t, size_t n, void *o, char **e) \
	{ return tq_##name##_parse(t, n, o, e); } \
	static void clear_##name(void *o) { tq_##name##_clear(o); }
WRAP(task_queue, struct tq_task_queue)
WRAP(activity, struct tq_activity)
WRAP(worker, struct tq_worker)
WRAP(realtime_stats, struct tq_realtime_stats)
WRAP(cumulative_stats, struct tq_cumulative_stats)
WRAP(statistics, struct tq_statistics)
WRAP(task_queue_list, struct tq_task_queue_list)
WRAP(activity_list, struct tq_activity_list)
WRAP(worker_list, struct tq_worker_list)
WRAP(statistics_list, struct tq_statistics_list)
WRAP(bulk_realtime_stats, struct tq_bulk_realtime_stats)
WRAP(twilio_error, struct tq_twilio_error)
#undef WRAP

enum which {
	P_QUEUE, P_ACTIVITY, P_WORKER, P_REALTIME, P_CUMULATIVE, P_STATISTICS,
	P_QUEUE_LIST, P_ACTIVITY_LIST, P_WORKER_LIST, P_STATISTICS_LIST, P_BULK, P_ERROR,
};

#define P(name, type) { #name, sizeof(type), parse_##name, clear_##name }
static const struct parser parsers[] = {
	[P_QUEUE] = P(task_queue, struct tq_task_queue),
	[P_ACTIVITY] = P(activity, struct tq_activity),
	[P_WORKER] = P(worker, struct tq_worker),
	[P_REALTIME] = P(realtime_stats, struct tq_realtime_stats),
	[P_CUMULATIVE] = P(cumulative_stats, struct tq_cumulative_stats),
	[P_STATISTICS] = P(statistics, struct tq_statistics),
	[P_QUEUE_LIST] = P(task_queue_list, struct tq_task_queue_list),
	[P_ACTIVITY_LIST] = P(activity_list, struct tq_activity_list),
	[P_WORKER_LIST] = P(worker_list, struct tq_worker_list),
	[P_STATISTICS_LIST] = P(statistics_list, struct tq_statistics_list),
	[P_BULK] = P(bulk_realtime_stats, struct tq_bulk_realtime_stats),
	[P_ERROR] = P(twilio_error, struct tq_twilio_error),
};
#undef P
#define N_PARSERS (sizeof parsers / sizeof parsers[0])

/* Test JSON is written with ' for " to stay readable; no case needs a '. */
static char *dq(const char *s)
{
	char *r = xstrdup(s);

	for (char *p = r; *p; p++)
		if (*p == '\'')
			*p = '"';
	return r;
}

/* Parses with the given parser; returns the struct (caller clears and
 * frees) or NULL with *err set. */
static void *parse_as(enum which w, const char *text, size_t len, char **err)
{
	void *obj = xcalloc(1, parsers[w].size);

	*err = NULL;
	if (parsers[w].parse(text, len, obj, err)) {
		assert_null(*err);
		return obj;
	}
	/* On failure the struct is left cleared. */
	void *zero = xcalloc(1, parsers[w].size);
	assert_memory_equal(obj, zero, parsers[w].size);
	free(zero);
	free(obj);
	return NULL;
}

static void *parse_ok(enum which w, const char *tick_json)
{
	char *text = dq(tick_json), *err = NULL;
	void *obj = parse_as(w, text, strlen(text), &err);

	if (!obj)
		fail_msg("%s: %s\n  for %s", parsers[w].name, err, text);
	free(text);
	return obj;
}

static void drop(enum which w, void *obj)
{
	parsers[w].clear(obj);
	free(obj);
}

/* ---- the OpenAPI spec's examples ---------------------------------------- */

static yajl_val spec;

static int load_spec(void **state)
{
	const char *dir = getenv("FIXTURES");
	struct buf path = BUF_INIT, text = BUF_INIT;
	char *err = NULL;
	(void)state;

	buf_printf(&path, "%s/taskrouter/twilio_taskrouter_v1.json", dir ? dir : "tests/fixtures");
	if (buf_read_file(&text, buf_cstr(&path), 0) != BUF_READ_OK) {
		fprintf(stderr, "cannot read %s (set FIXTURES)\n", buf_cstr(&path));
		buf_free(&text);
		buf_free(&path);
		return -1;
	}
	/* The spec itself goes through our parser: 570 kB, no duplicates. */
	spec = json_parse(text.data, text.len, &err);
	if (!spec)
		fprintf(stderr, "%s: %s\n", buf_cstr(&path), err);
	free(err);
	buf_free(&text);
	buf_free(&path);
	return spec ? 0 : -1;
}

static int free_spec(void **state)
{
	(void)state;
	yajl_tree_free(spec);
	spec = NULL;
	return 0;
}


/* paths.<path>.<method>.responses.<code>.content.application/json
 * .examples.<name>.value, written out as response text. */
static char *spec_example(const char *path, const char *method, const char *code, const char *name)
{
	yajl_val v = json_get(json_get(spec, "paths"), path);

	v = json_get(json_get(json_get(v, method), "responses"), code);
	v = json_get(json_get(json_get(v, "content"), "application/json"), "examples");
	v = json_get(json_get(v, name), "value");
	if (!v)
		fail_msg("spec has no example %s %s %s %s", method, path, code, name);
	yajl_gen g = json_gen_new();
	json_gen_value(g, v);
	return json_gen_finish(g, NULL);
}

static void check_queue(const struct tq_task_queue *q)
{
	assert_string_equal(q->sid, WQ);
	assert_int_equal(q->account_sid.st, TQ_SET);
	assert_string_equal(q->account_sid.v, AC);
	assert_string_equal(q->workspace_sid.v, WS);
	assert_string_equal(q->friendly_name.v, "81f96435-3a05-11e5-9f81-98e0d9a1eb73");
	assert_int_equal(q->target_workers.st, TQ_NULL);
	assert_null(q->target_workers.v);
	assert_int_equal(q->max_reserved_workers.st, TQ_SET);
	assert_int_equal(q->max_reserved_workers.v, 1);
	assert_string_equal(q->task_order.v, "FIFO");
	assert_string_equal(q->assignment_activity_sid.v, WA);
	assert_string_equal(q->assignment_activity_name.v, "817ca1c5-3a05-11e5-9292-98e0d9a1eb73");
	assert_string_equal(q->reservation_activity_sid.v, WA);
	assert_string_equal(q->reservation_activity_name.v, "80fa2beb-3a05-11e5-8fc8-98e0d9a1eb73");
	assert_int_equal(q->date_created.st, TQ_SET);
	assert_int_equal(q->date_created.v, 1438651901);	/* 2015-08-04T01:31:41Z */
	assert_int_equal(q->date_updated.v, 1438651901);
	assert_string_equal(q->url.v, API "/TaskQueues/" WQ);
	assert_int_equal(q->links.st, TQ_SET);
	assert_int_equal(q->links.n, 8);
	assert_string_equal(q->links.items[0].name, "assignment_activity");
	assert_string_equal(q->links.items[0].url, API "/Activities/" WA);
	assert_string_equal(q->links.items[7].name, "bulk_real_time_statistics");
	assert_string_equal(q->links.items[7].url, API "/TaskQueues/RealTimeStatistics");
}

static void check_meta(const struct tq_page_meta *m, const char *key)
{
	assert_string_equal(m->key, key);
	assert_int_equal(m->page.st, TQ_SET);
	assert_int_equal(m->page.v, 0);
	assert_int_equal(m->page_size.v, 50);
	assert_int_equal(m->next_page_url.st, TQ_NULL);		/* last page */
	assert_int_equal(m->previous_page_url.st, TQ_NULL);
	assert_int_equal(m->url.st, TQ_SET);
	assert_int_equal(m->first_page_url.st, TQ_SET);
	assert_non_null(strstr(m->first_page_url.v, "PageSize=50&Page=0"));
}

static void check_queue_fetch(const void *obj)
{
	check_queue(obj);
}

static void check_queue_list(const void *obj)
{
	const struct tq_task_queue_list *l = obj;

	assert_int_equal(l->n, 1);
	check_queue(&l->items[0]);
	check_meta(&l->meta, "task_queues");
}

static void check_queue_list_empty(const void *obj)
{
	const struct tq_task_queue_list *l = obj;

	assert_int_equal(l->n, 0);
	assert_null(l->items);
	check_meta(&l->meta, "task_queues");
}

static void check_activity_stats(const struct tq_activity_stat *a, size_t n,
	const char *const *names, const int64_t *workers)
{
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(a[i].sid.v, WA);
		assert_string_equal(a[i].friendly_name.v, names[i]);
		assert_int_equal(a[i].workers.st, TQ_SET);
		assert_int_equal(a[i].workers.v, workers[i]);
	}
}

static void check_status_counts(const struct tq_counts *c, int64_t want)
{
	static const char *const statuses[] = { "reserved", "pending", "assigned", "wrapping" };
	int64_t n;

	assert_int_equal(c->st, TQ_SET);
	assert_int_equal(c->n, 4);
	for (size_t i = 0; i < 4; i++) {
		n = -1;
		assert_true(tq_counts_get(c, statuses[i], &n));
		assert_int_equal(n, want);
	}
	assert_false(tq_counts_get(c, "completed", &n));
}

static void check_realtime(const void *obj)
{
	static const char *const names[] = { "Idle", "Busy", "Offline", "Reserved" };
	static const int64_t workers[] = { 0, 9, 6, 0 };
	const struct tq_realtime_stats *s = obj;

	assert_string_equal(s->account_sid.v, AC);
	assert_string_equal(s->task_queue_sid.v, WQ);
	assert_string_equal(s->url.v, API "/TaskQueues/" WQ "/RealTimeStatistics");
	assert_int_equal(s->longest_task_waiting_age.v, 100);
	assert_string_equal(s->longest_task_waiting_sid.v, WT);
	assert_int_equal(s->longest_relative_task_age_in_queue.v, 100);
	assert_string_equal(s->longest_relative_task_sid_in_queue.v, WT);
	assert_int_equal(s->total_available_workers.v, 100);
	assert_int_equal(s->total_eligible_workers.v, 100);
	assert_int_equal(s->total_tasks.st, TQ_SET);
	assert_int_equal(s->total_tasks.v, 100);
	assert_int_equal(s->activity_statistics_st, TQ_SET);
	assert_int_equal(s->n_activity_statistics, 4);
	check_activity_stats(s->activity_statistics, 4, names, workers);
	check_status_counts(&s->tasks_by_status, 0);
	assert_int_equal(s->tasks_by_priority.st, TQ_SET);	/* {} is there and empty */
	assert_int_equal(s->tasks_by_priority.n, 0);
}

static void check_cumulative(const void *obj)
{
	const struct tq_cumulative_stats *s = obj;
	const struct tq_opt_int *ints[] = {
		&s->reservations_created, &s->reservations_accepted, &s->reservations_rejected,
		&s->reservations_timed_out, &s->reservations_canceled, &s->reservations_rescinded,
		&s->tasks_canceled, &s->tasks_completed, &s->tasks_deleted, &s->tasks_entered,
		&s->tasks_moved,
	};
	const struct tq_duration *durations[] = {
		&s->wait_duration_until_accepted, &s->wait_duration_until_canceled,
		&s->wait_duration_in_queue_until_accepted,
	};

	assert_string_equal(s->workspace_sid.v, WS);
	assert_string_equal(s->task_queue_sid.v, WQ);
	assert_string_equal(s->url.v, API "/TaskQueues/" WQ "/CumulativeStatistics");
	assert_int_equal(s->start_time.v, 1438286400);	/* 2015-07-30T20:00:00Z */
	assert_int_equal(s->end_time.v, 1438286400);
	assert_int_equal(s->avg_task_acceptance_time.st, TQ_SET);
	assert_true(s->avg_task_acceptance_time.v == 100.0);
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		assert_int_equal(ints[i]->st, TQ_SET);
		assert_int_equal(ints[i]->v, 100);
	}
	for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
		assert_int_equal(durations[i]->st, TQ_SET);
		assert_int_equal(durations[i]->avg.st, TQ_SET);
		assert_int_equal(durations[i]->total.st, TQ_SET);
		assert_true(durations[i]->max.v == 0.0);
	}
	assert_int_equal(s->split_by_wait_time_st, TQ_SET);
	assert_int_equal(s->n_split_by_wait_time, 2);
	assert_string_equal(s->split_by_wait_time[0].threshold, "5");
	assert_string_equal(s->split_by_wait_time[1].threshold, "10");
	for (size_t i = 0; i < 2; i++) {
		const struct tq_split *sp = &s->split_by_wait_time[i];
		assert_int_equal(sp->above_tasks_canceled.st, TQ_SET);
		assert_int_equal(sp->above_reservations_accepted.st, TQ_SET);
		assert_int_equal(sp->below_tasks_canceled.st, TQ_SET);
		assert_int_equal(sp->below_reservations_accepted.v, 0);
	}
}

/* /Statistics: "cumulative" holds a subset, "realtime" too. */
static void check_statistics_parts(const struct tq_statistics *s, int64_t start, int64_t end)
{
	static const char *const names[] = {
		"Offline", "Idle", "80fa2beb-3a05-11e5-8fc8-98e0d9a1eb73", "Reserved", "Busy",
		"817ca1c5-3a05-11e5-9292-98e0d9a1eb73",
	};
	static const int64_t workers[6] = { 0 };

	assert_string_equal(s->account_sid.v, AC);
	assert_string_equal(s->task_queue_sid.v, WQ);
	assert_int_equal(s->cumulative_st, TQ_SET);
	assert_int_equal(s->cumulative.avg_task_acceptance_time.st, TQ_SET);
	assert_true(s->cumulative.avg_task_acceptance_time.v == 0.0);	/* 0.0 in the spec */
	assert_int_equal(s->cumulative.start_time.v, start);
	assert_int_equal(s->cumulative.end_time.v, end);
	assert_int_equal(s->cumulative.tasks_entered.st, TQ_SET);
	assert_int_equal(s->cumulative.tasks_entered.v, 0);
	/* Not in this example: absent, not zero. */
	assert_int_equal(s->cumulative.tasks_completed.st, TQ_ABSENT);
	assert_int_equal(s->cumulative.wait_duration_until_accepted.st, TQ_ABSENT);
	assert_int_equal(s->cumulative.split_by_wait_time_st, TQ_ABSENT);
	assert_int_equal(s->realtime_st, TQ_SET);
	assert_int_equal(s->realtime.n_activity_statistics, 6);
	check_activity_stats(s->realtime.activity_statistics, 6, names, workers);
	assert_int_equal(s->realtime.longest_task_waiting_age.v, 0);
	assert_string_equal(s->realtime.longest_task_waiting_sid.v, WT);
	assert_int_equal(s->realtime.longest_relative_task_age_in_queue.st, TQ_ABSENT);
	assert_int_equal(s->realtime.tasks_by_priority.st, TQ_ABSENT);
	check_status_counts(&s->realtime.tasks_by_status, 0);
	assert_int_equal(s->realtime.total_tasks.st, TQ_SET);
	assert_int_equal(s->realtime.total_tasks.v, 0);
}

static void check_statistics(const void *obj)
{
	const struct tq_statistics *s = obj;

	check_statistics_parts(s, 1439886454, 1439887354);	/* 08:27:34 .. 08:42:34 */
	assert_string_equal(s->url.v, API "/TaskQueues/" WQ "/Statistics");
}

static void check_statistics_list(const void *obj)
{
	const struct tq_statistics_list *l = obj;

	assert_int_equal(l->n, 1);
	check_statistics_parts(&l->items[0], 1439886675, 1439887575);
	assert_int_equal(l->items[0].url.st, TQ_ABSENT);	/* list items carry no url */
	check_meta(&l->meta, "task_queues_statistics");
}

static void check_activity(const struct tq_activity *a)
{
	assert_string_equal(a->sid, WA);
	assert_string_equal(a->friendly_name.v, "New Activity");
	assert_int_equal(a->available.st, TQ_SET);
	assert_true(a->available.v);
	assert_int_equal(a->date_created.v, 1400064602);	/* 2014-05-14T10:50:02Z */
	assert_int_equal(a->date_updated.v, 1400109966);	/* 2014-05-14T23:26:06Z */
	assert_string_equal(a->url.v, API "/Activities/" WA);
	assert_int_equal(a->links.n, 1);
	assert_string_equal(a->links.items[0].name, "workspace");
	assert_string_equal(a->links.items[0].url, API);
}

static void check_activity_fetch(const void *obj)
{
	check_activity(obj);
}

static void check_activity_list(const void *obj)
{
	const struct tq_activity_list *l = obj;

	assert_int_equal(l->n, 1);
	check_activity(&l->items[0]);
	check_meta(&l->meta, "activities");
}

static void check_worker_fetch(const void *obj)
{
	const struct tq_worker *w = obj;

	assert_string_equal(w->sid, WK);
	assert_string_equal(w->friendly_name.v, "NewWorker3");
	assert_string_equal(w->activity_sid.v, WA);
	assert_string_equal(w->activity_name.v, "available");
	assert_string_equal(w->attributes.v, "{}");
	assert_int_equal(w->available.st, TQ_SET);
	assert_false(w->available.v);
	assert_int_equal(w->date_created.v, 1496187159);	/* 2017-05-30T23:32:39Z */
	assert_int_equal(w->date_status_changed.v, 1496187159);
}

static void check_worker_list(const void *obj)
{
	const struct tq_worker_list *l = obj;
	const struct tq_worker *w = &l->items[0];

	assert_int_equal(l->n, 1);
	assert_string_equal(w->sid, WK);
	assert_string_equal(w->friendly_name.v, "testWorker");
	assert_string_equal(w->account_sid.v, AC);
	assert_string_equal(w->activity_name.v, "Offline");
	assert_string_equal(w->attributes.v, "{}");
	assert_int_equal(w->available.st, TQ_SET);
	assert_false(w->available.v);
	assert_int_equal(w->date_created.v, 1496185529);	/* 2017-05-30T23:05:29Z */
	assert_int_equal(w->date_updated.v, 1496185529);
	assert_int_equal(w->date_status_changed.v, 1496185529);
	assert_int_equal(w->links.n, 9);
	assert_string_equal(w->links.items[8].name, "reservations");
	check_meta(&l->meta, "workers");
}

static void check_worker_list_empty(const void *obj)
{
	const struct tq_worker_list *l = obj;

	assert_int_equal(l->n, 0);
	check_meta(&l->meta, "workers");
}

static void check_bulk(const void *obj)
{
	static const char *const names[] = { "Idle", "Busy", "Offline", "Reserved" };
	static const int64_t workers[] = { 0, 9, 6, 0 };
	const struct tq_bulk_realtime_stats *b = obj;
	const struct tq_realtime_stats *s = &b->task_queue_data[0];

	assert_string_equal(b->account_sid.v, AC);
	assert_string_equal(b->url.v, API "/TaskQueues/RealTimeStatistics");
	assert_int_equal(b->task_queue_response_count.v, 100);
	assert_int_equal(b->task_queue_data_st, TQ_SET);
	assert_int_equal(b->n_task_queue_data, 1);
	assert_string_equal(s->task_queue_sid.v, WQ);
	assert_int_equal(s->account_sid.st, TQ_ABSENT);
	assert_int_equal(s->url.st, TQ_ABSENT);
	assert_int_equal(s->total_tasks.v, 100);
	assert_int_equal(s->total_available_workers.v, 100);
	assert_int_equal(s->longest_task_waiting_age.v, 100);
	assert_string_equal(s->longest_task_waiting_sid.v, WT);
	check_activity_stats(s->activity_statistics, 4, names, workers);
	check_status_counts(&s->tasks_by_status, 0);
}

#define TQ_PATH "/v1/Workspaces/{WorkspaceSid}/TaskQueues"
#define WS_PATH "/v1/Workspaces/{WorkspaceSid}"

static const struct spec_case {
	const char *path, *method, *code, *example;
	enum which parser;
	void (*check)(const void *obj);
} spec_cases[] = {
	{ TQ_PATH "/{Sid}", "get", "200", "fetch", P_QUEUE, check_queue_fetch },
	{ TQ_PATH "/{Sid}", "post", "200", "update", P_QUEUE, check_queue_fetch },
	{ TQ_PATH, "post", "201", "create", P_QUEUE, check_queue_fetch },
	{ TQ_PATH, "get", "200", "readFull", P_QUEUE_LIST, check_queue_list },
	{ TQ_PATH, "get", "200", "readEmpty", P_QUEUE_LIST, check_queue_list_empty },
	{ TQ_PATH "/{TaskQueueSid}/RealTimeStatistics", "get", "200", "fetch", P_REALTIME, check_realtime },
	{ TQ_PATH "/{TaskQueueSid}/CumulativeStatistics", "get", "200", "fetch", P_CUMULATIVE, check_cumulative },
	{ TQ_PATH "/{TaskQueueSid}/Statistics", "get", "200", "fetch", P_STATISTICS, check_statistics },
	{ TQ_PATH "/Statistics", "get", "200", "readFull", P_STATISTICS_LIST, check_statistics_list },
	{ TQ_PATH "/Statistics", "get", "200", "readEmpty", P_STATISTICS_LIST, NULL },
	{ TQ_PATH "/RealTimeStatistics", "post", "200", "create", P_BULK, check_bulk },
	{ WS_PATH "/Activities", "get", "200", "readFull", P_ACTIVITY_LIST, check_activity_list },
	{ WS_PATH "/Activities", "get", "200", "readEmpty", P_ACTIVITY_LIST, NULL },
	{ WS_PATH "/Activities", "post", "201", "create", P_ACTIVITY, check_activity_fetch },
	{ WS_PATH "/Activities/{Sid}", "get", "200", "fetch", P_ACTIVITY, check_activity_fetch },
	{ WS_PATH "/Activities/{Sid}", "post", "200", "update", P_ACTIVITY, check_activity_fetch },
	{ WS_PATH "/Workers", "get", "200", "readFull", P_WORKER_LIST, check_worker_list },
	{ WS_PATH "/Workers", "get", "200", "readEmpty", P_WORKER_LIST, check_worker_list_empty },
	{ WS_PATH "/Workers", "post", "201", "create", P_WORKER, NULL },
	{ WS_PATH "/Workers/{Sid}", "get", "200", "fetch", P_WORKER, check_worker_fetch },
	{ WS_PATH "/Workers/{Sid}", "post", "200", "update", P_WORKER, NULL },
};

static void test_spec_examples(void **state)
{
	(void)state;

	for (size_t i = 0; i < sizeof spec_cases / sizeof spec_cases[0]; i++) {
		const struct spec_case *c = &spec_cases[i];
		char *text = spec_example(c->path, c->method, c->code, c->example);
		char *err = NULL;
		void *obj = parse_as(c->parser, text, strlen(text), &err);

		if (!obj)
			fail_msg("%s %s %s: %s", c->method, c->path, c->example, err);
		if (c->check)
			c->check(obj);
		drop(c->parser, obj);
		free(text);
	}
}

/* The same examples inside a tunnel answer {"event_type", "payload"}. */
static void test_from_json_payload(void **state)
{
	char *inner = spec_example(TQ_PATH "/{TaskQueueSid}/Statistics", "get", "200", "fetch");
	char *text = xasprintf("{\"event_type\":null,\"payload\":%s}", inner);
	yajl_val v = json_parse(text, strlen(text), NULL);
	struct tq_statistics s;
	struct tq_task_queue q;
	char *err = NULL;
	(void)state;

	assert_non_null(v);
	assert_true(tq_statistics_from_json(json_get(v, "payload"), &s, &err));
	check_statistics(&s);
	tq_statistics_clear(&s);
	/* The wrong shape for the resource: no sid. */
	assert_false(tq_task_queue_from_json(json_get(v, "payload"), &q, &err));
	assert_string_equal(err, "task_queue.sid: missing required field");
	free(err);
	/* Not there at all. */
	assert_false(tq_task_queue_from_json(json_get(v, "missing"), &q, &err));
	assert_string_equal(err, "task_queue: expected an object, got nothing");
	free(err);
	assert_false(tq_task_queue_from_json(json_get(v, "event_type"), &q, NULL));
	yajl_tree_free(v);
	free(text);
	free(inner);
}

/* Every proper prefix of a real response fails cleanly. */
static void test_truncated_examples(void **state)
{
	static const struct { const char *path, *method, *example; enum which parser; } cases[] = {
		{ TQ_PATH "/{Sid}", "get", "fetch", P_QUEUE },
		{ TQ_PATH, "get", "readFull", P_QUEUE_LIST },
		{ TQ_PATH "/{TaskQueueSid}/CumulativeStatistics", "get", "fetch", P_CUMULATIVE },
		{ TQ_PATH "/Statistics", "get", "readFull", P_STATISTICS_LIST },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = spec_example(cases[i].path, cases[i].method, "200", cases[i].example);
		size_t len = strlen(text);
		/* Exactly the prefix, on the heap, so any over-read trips ASan. */
		char *cut = xmalloc(len);

		for (size_t n = 0; n < len; n++) {
			char *err = NULL;
			memcpy(cut, text, n);
			assert_null(parse_as(cases[i].parser, cut, n, &err));
			assert_non_null(err);
			assert_non_null(strstr(err, "invalid JSON"));
			free(err);
		}
		free(cut);
		free(text);
	}
}

/* ---- errors name the field ---------------------------------------------- */

#define Q(rest) "{'sid':'" WQ "'" rest "}"
#define LIST(key, items) "{'meta':{'key':'" key "'},'" key "':[" items "]}"

static const struct bad_case {
	enum which parser;
	const char *json;	/* ' stands for " */
	const char *msg;	/* the whole message */
} bad_cases[] = {
	/* wrong types, per field */
	{ P_QUEUE, Q(",'max_reserved_workers':'5'"),
	  "task_queue.max_reserved_workers: expected an integer, got a string" },
	{ P_QUEUE, Q(",'max_reserved_workers':1.5"),
	  "task_queue.max_reserved_workers: expected an integer, got 1.5" },
	{ P_QUEUE, Q(",'max_reserved_workers':true"),
	  "task_queue.max_reserved_workers: expected an integer, got a boolean" },
	{ P_QUEUE, Q(",'max_reserved_workers':[1]"),
	  "task_queue.max_reserved_workers: expected an integer, got an array" },
	{ P_QUEUE, Q(",'max_reserved_workers':99999999999999999999"),
	  "task_queue.max_reserved_workers: expected an integer, got 99999999999999999999" },
	{ P_QUEUE, Q(",'max_reserved_workers':1e999"),
	  "task_queue.max_reserved_workers: expected an integer, got 1e999" },
	{ P_QUEUE, Q(",'max_reserved_workers':-1e999"),
	  "task_queue.max_reserved_workers: expected an integer, got -1e999" },
	{ P_QUEUE, Q(",'max_reserved_workers':1" "00000000000000000000000000000000000000000000000000"),
	  "task_queue.max_reserved_workers: expected an integer, got a number too long to show" },
	{ P_QUEUE, Q(",'friendly_name':5"), "task_queue.friendly_name: expected a string, got 5" },
	{ P_QUEUE, Q(",'friendly_name':{}"), "task_queue.friendly_name: expected a string, got an object" },
	{ P_QUEUE, Q(",'target_workers':false"), "task_queue.target_workers: expected a string, got a boolean" },
	{ P_QUEUE, Q(",'task_order':'RANDOM'"), "task_queue.task_order: expected \"FIFO\" or \"LIFO\", got \"RANDOM\"" },
	{ P_QUEUE, Q(",'task_order':'fifo'"), "task_queue.task_order: expected \"FIFO\" or \"LIFO\", got \"fifo\"" },
	{ P_QUEUE, Q(",'task_order':1"), "task_queue.task_order: expected a string, got 1" },
	{ P_QUEUE, Q(",'date_created':'2015-02-30T00:00:00Z'"),
	  "task_queue.date_created: expected an ISO-8601 date-time like 2015-08-04T01:31:41Z, got \"2015-02-30T00:00:00Z\"" },
	{ P_QUEUE, Q(",'date_updated':'2015-08-04 01:31:41'"),
	  "task_queue.date_updated: expected an ISO-8601 date-time like 2015-08-04T01:31:41Z, got \"2015-08-04 01:31:41\"" },
	{ P_QUEUE, Q(",'date_created':1438651901"),
	  "task_queue.date_created: expected an ISO-8601 date-time string, got 1438651901" },
	{ P_QUEUE, Q(",'links':'x'"), "task_queue.links: expected an object, got a string" },
	{ P_QUEUE, Q(",'links':{'workspace':5}"), "task_queue.links.workspace: expected a URL string, got 5" },
	{ P_QUEUE, Q(",'links':{'workspace':null}"), "task_queue.links.workspace: expected a URL string, got null" },
	{ P_QUEUE, Q(",'assignment_activity_sid':'WA1'"),
	  "task_queue.assignment_activity_sid: expected a sid of the form WA + 32 hex digits, got \"WA1\"" },
	{ P_QUEUE, Q(",'account_sid':'" WS "'"),
	  "task_queue.account_sid: expected a sid of the form AC + 32 hex digits, got \"" WS "\"" },
	/* the resource's own sid */
	{ P_QUEUE, "{'friendly_name':'q'}", "task_queue.sid: missing required field" },
	{ P_QUEUE, "{'sid':null}", "task_queue.sid: expected a string, got null" },
	{ P_QUEUE, "{'sid':42}", "task_queue.sid: expected a string, got 42" },
	{ P_QUEUE, "{'sid':'" WA "'}", "task_queue.sid: expected a sid of the form WQ + 32 hex digits, got \"" WA "\"" },
	{ P_QUEUE, "{'sid':'WQ/../../Accounts/xxxxxxxxxxxxxxxxxx'}",
	  "task_queue.sid: expected a sid of the form WQ + 32 hex digits, got \"WQ/../../Accounts/xxxxxxxxxxxxxxxxxx\"" },
	{ P_QUEUE, "{'sid':'WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'}",
	  "task_queue.sid: expected a sid of the form WQ + 32 hex digits, got \"WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" },
	{ P_ACTIVITY, "{'friendly_name':'Idle'}", "activity.sid: missing required field" },
	{ P_WORKER, "{'sid':''}", "worker.sid: expected a sid of the form WK + 32 hex digits, got \"\"" },
	/* long and unprintable values are quoted, escaped and cut */
	{ P_QUEUE, Q(",'task_order':'FIFOFIFOFIFOFIFOFIFOFIFOFIFOFIFOFIFOFIFOFIFOFIFO'"),
	  "task_queue.task_order: expected \"FIFO\" or \"LIFO\", got \"FIFOFIFOFIFOFIFOFIFOFIFOFIFOFIFOFIFOFIFO...\"" },
	{ P_QUEUE, Q(",'task_order':'FI\\nFO\\u00e9'"),
	  "task_queue.task_order: expected \"FIFO\" or \"LIFO\", got \"FI\\x0aFO\\xc3\\xa9\"" },
	/* not an object at all, bad JSON */
	{ P_QUEUE, "[]", "task_queue: expected an object, got an array" },
	{ P_QUEUE, "null", "task_queue: expected an object, got null" },
	{ P_QUEUE, "'WQ'", "task_queue: expected an object, got a string" },
	{ P_QUEUE, "{'sid':'" WQ "'", "task_queue: invalid JSON: premature EOF after 43 bytes" },
	{ P_QUEUE, "{'sid':'" WQ "','sid':'" WQ "'}",
	  "task_queue: invalid JSON at byte 87: duplicate key \"sid\"" },
	{ P_QUEUE, Q(",'friendly_name':'\xc0\xaf'"), "task_queue: invalid JSON at byte 64: string is not valid UTF-8" },
	{ P_QUEUE, Q(",'friendly_name':'\xff'"), "task_queue: invalid JSON at byte 62: invalid bytes in UTF8 string" },
	{ P_QUEUE, Q(",'friendly_name':'a\\u0000'"),
	  "task_queue: invalid JSON at byte 69: string contains a NUL character (\\u0000)" },
	{ P_ERROR, "", "error: invalid JSON: empty document" },
	{ P_ERROR, "<html>Bad Gateway</html>", "error: invalid JSON at byte 1: invalid char in json text" },
	/* real-time statistics */
	{ P_REALTIME, "{'total_tasks':'100'}", "real_time_statistics.total_tasks: expected an integer, got a string" },
	{ P_REALTIME, "{'longest_task_waiting_age':null,'longest_task_waiting_sid':'" WQ "'}",
	  "real_time_statistics.longest_task_waiting_sid: expected a sid of the form WT + 32 hex digits, got \"" WQ "\"" },
	{ P_REALTIME, "{'tasks_by_status':{'pending':'one'}}",
	  "real_time_statistics.tasks_by_status.pending: expected a count, got \"one\"" },
	{ P_REALTIME, "{'tasks_by_status':{'pending':'-1'}}",
	  "real_time_statistics.tasks_by_status.pending: expected a count, got \"-1\"" },
	{ P_REALTIME, "{'tasks_by_status':{'pending':''}}",
	  "real_time_statistics.tasks_by_status.pending: expected a count, got \"\"" },
	{ P_REALTIME, "{'tasks_by_status':{'pending':'1234567890123456789'}}",
	  "real_time_statistics.tasks_by_status.pending: expected a count, got \"1234567890123456789\"" },
	{ P_REALTIME, "{'tasks_by_status':{'pending':null}}",
	  "real_time_statistics.tasks_by_status.pending: expected a count, got null" },
	{ P_REALTIME, "{'tasks_by_status':{'pending':0.5}}",
	  "real_time_statistics.tasks_by_status.pending: expected a count, got 0.5" },
	{ P_REALTIME, "{'tasks_by_priority':{'a.b\\n':true}}",
	  "real_time_statistics.tasks_by_priority[\"a.b\\x0a\"]: expected a count, got a boolean" },
	{ P_REALTIME, "{'tasks_by_status':[]}", "real_time_statistics.tasks_by_status: expected an object, got an array" },
	{ P_REALTIME, "{'activity_statistics':{}}",
	  "real_time_statistics.activity_statistics: expected an array, got an object" },
	{ P_REALTIME, "{'activity_statistics':[{'sid':'" WA "','workers':1},{'sid':'" WA "','workers':'9'}]}",
	  "real_time_statistics.activity_statistics[1].workers: expected an integer, got a string" },
	{ P_REALTIME, "{'activity_statistics':[1]}",
	  "real_time_statistics.activity_statistics[0]: expected an object, got 1" },
	{ P_REALTIME, "{'activity_statistics':[null]}",
	  "real_time_statistics.activity_statistics[0]: expected an object, got null" },
	/* cumulative statistics */
	{ P_CUMULATIVE, "{'avg_task_acceptance_time':'0.0'}",
	  "cumulative_statistics.avg_task_acceptance_time: expected a number, got a string" },
	{ P_CUMULATIVE, "{'tasks_entered':'7'}", "cumulative_statistics.tasks_entered: expected an integer, got a string" },
	{ P_CUMULATIVE, "{'start_time':'2015-08-04T01:31:41'}",
	  "cumulative_statistics.start_time: expected an ISO-8601 date-time like 2015-08-04T01:31:41Z, got \"2015-08-04T01:31:41\"" },
	{ P_CUMULATIVE, "{'wait_duration_until_accepted':5}",
	  "cumulative_statistics.wait_duration_until_accepted: expected an object, got 5" },
	{ P_CUMULATIVE, "{'wait_duration_until_canceled':{'avg':'x'}}",
	  "cumulative_statistics.wait_duration_until_canceled.avg: expected a number, got a string" },
	{ P_CUMULATIVE, "{'split_by_wait_time':[]}",
	  "cumulative_statistics.split_by_wait_time: expected an object, got an array" },
	{ P_CUMULATIVE, "{'split_by_wait_time':{'abc':{}}}",
	  "cumulative_statistics.split_by_wait_time.abc: expected a wait-time threshold in seconds as the key, got \"abc\"" },
	{ P_CUMULATIVE, "{'split_by_wait_time':{'-5':{}}}",
	  "cumulative_statistics.split_by_wait_time[\"-5\"]: expected a wait-time threshold in seconds as the key, got \"-5\"" },
	{ P_CUMULATIVE, "{'split_by_wait_time':{'5':3}}",
	  "cumulative_statistics.split_by_wait_time.5: expected an object, got 3" },
	{ P_CUMULATIVE, "{'split_by_wait_time':{'5':{'above':[]}}}",
	  "cumulative_statistics.split_by_wait_time.5.above: expected an object, got an array" },
	{ P_CUMULATIVE, "{'split_by_wait_time':{'5':{},'10':{'below':{'tasks_canceled':'x'}}}}",
	  "cumulative_statistics.split_by_wait_time.10.below.tasks_canceled: expected an integer, got a string" },
	/* statistics */
	{ P_STATISTICS, "{'cumulative':'x'}", "statistics.cumulative: expected an object, got a string" },
	{ P_STATISTICS, "{'realtime':{'total_tasks':'1'}}",
	  "statistics.realtime.total_tasks: expected an integer, got a string" },
	{ P_STATISTICS, "{'cumulative':{'end_time':'yesterday'}}",
	  "statistics.cumulative.end_time: expected an ISO-8601 date-time like 2015-08-04T01:31:41Z, got \"yesterday\"" },
	/* lists */
	{ P_QUEUE_LIST, "{'task_queues':[]}", "meta: missing required field" },
	{ P_QUEUE_LIST, "{'meta':null,'task_queues':[]}", "meta: expected an object, got null" },
	{ P_QUEUE_LIST, "{'meta':{},'task_queues':[]}", "meta.key: missing required field" },
	{ P_QUEUE_LIST, "{'meta':{'key':'workers'},'task_queues':[]}",
	  "meta.key: expected \"task_queues\", got \"workers\"" },
	{ P_QUEUE_LIST, "{'meta':{'key':'task_queues'}}", "task_queues: missing required field" },
	{ P_QUEUE_LIST, "{'meta':{'key':'task_queues'},'task_queues':null}",
	  "task_queues: expected an array, got null" },
	{ P_QUEUE_LIST, "{'meta':{'key':'task_queues'},'task_queues':{}}",
	  "task_queues: expected an array, got an object" },
	{ P_QUEUE_LIST, LIST("task_queues", "{'sid':'" WQ "'},{'friendly_name':'x'}"),
	  "task_queues[1].sid: missing required field" },
	{ P_QUEUE_LIST, LIST("task_queues", "{'sid':'" WQ "','max_reserved_workers':'2'}"),
	  "task_queues[0].max_reserved_workers: expected an integer, got a string" },
	{ P_QUEUE_LIST, "{'meta':{'key':'task_queues','page':'0'},'task_queues':[]}",
	  "meta.page: expected an integer, got a string" },
	{ P_QUEUE_LIST, "{'meta':{'key':'task_queues','next_page_url':5},'task_queues':[]}",
	  "meta.next_page_url: expected a string, got 5" },
	{ P_QUEUE_LIST, "[]", "task_queues list: expected an object, got an array" },
	{ P_ACTIVITY_LIST, "{'meta':{'key':'task_queues'},'task_queues':[]}",
	  "meta.key: expected \"activities\", got \"task_queues\"" },
	{ P_ACTIVITY_LIST, LIST("activities", "{'sid':'" WA "','available':'true'}"),
	  "activities[0].available: expected a boolean, got a string" },
	{ P_WORKER_LIST, LIST("workers", "{'sid':'" WK "','attributes':{}}"),
	  "workers[0].attributes: expected a string, got an object" },
	{ P_WORKER_LIST, LIST("workers", "{'sid':'" WK "','date_status_changed':'2017-05-30T23:05:29+25:00'}"),
	  "workers[0].date_status_changed: expected an ISO-8601 date-time like 2015-08-04T01:31:41Z, got \"2017-05-30T23:05:29+25:00\"" },
	{ P_STATISTICS_LIST, LIST("task_queues_statistics", "{'cumulative':{'tasks_entered':'1'}}"),
	  "task_queues_statistics[0].cumulative.tasks_entered: expected an integer, got a string" },
	{ P_BULK, "{'task_queue_data':[{'tasks_by_status':{'pending':[]}}]}",
	  "bulk_real_time_statistics.task_queue_data[0].tasks_by_status.pending: expected a count, got an array" },
	{ P_BULK, "{'task_queue_response_count':'1'}",
	  "bulk_real_time_statistics.task_queue_response_count: expected an integer, got a string" },
	/* Twilio's error body */
	{ P_ERROR, "{'code':'20404','message':'Not Found'}", "error.code: expected an integer, got a string" },
	{ P_ERROR, "{'code':20404,'status':'404'}", "error.status: expected an integer, got a string" },
};

static void test_bad_input_names_the_field(void **state)
{
	(void)state;

	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		char *text = dq(c->json), *err = NULL;
		void *obj = parse_as(c->parser, text, strlen(text), &err);

		if (obj)
			fail_msg("case %zu (%s): accepted %s", i, parsers[c->parser].name, text);
		if (!err || strcmp(err, c->msg) != 0)
			fail_msg("case %zu (%s): for %s\n  got  %s\n  want %s", i, parsers[c->parser].name,
				text, err ? err : "(no message)", c->msg);
		/* No message wanted: nothing allocated, nothing leaked. */
		obj = xcalloc(1, parsers[c->parser].size);
		assert_false(parsers[c->parser].parse(text, strlen(text), obj, NULL));
		free(obj);
		free(err);
		free(text);
	}
}

/* Adversarial bytes that are not JSON text at all: every parser refuses
 * them with a message, and the message is one line. */
#define BYTES(s) s, sizeof(s) - 1

static void test_adversarial_bytes(void **state)
{
	struct buf deep = BUF_INIT, deep_field = BUF_INIT;
	(void)state;

	for (int i = 0; i < 100000; i++)
		buf_putc(&deep, '[');
	buf_printf(&deep_field, "{\"sid\":\"%s\",\"links\":", WQ);
	for (int i = 0; i < 100000; i++)
		buf_puts(&deep_field, "{\"a\":");
	const struct { const char *bytes; size_t len; const char *msg; } cases[] = {
		{ deep.data, deep.len, "nested deeper than 64 levels" },
		{ deep_field.data, deep_field.len, "nested deeper than 64 levels" },
		{ BYTES("{\"sid\":\"" WQ "\"}\0"), "trailing garbage" },
		{ BYTES("{\"sid\":\"WQ\0\"}"), "invalid character inside string" },
		{ BYTES("\0"), "invalid char in json text" },
		{ BYTES("{\"sid\":\"" WQ "\"}{}"), "trailing garbage" },
		{ BYTES("{\"sid\":\"" WQ "\",}"), "invalid object key" },
		{ BYTES("{\"sid\":\"" WQ "\" /* c */}"), "comment" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (size_t w = 0; w < N_PARSERS; w++) {
			char *err = NULL;
			assert_null(parse_as((enum which)w, cases[i].bytes, cases[i].len, &err));
			if (!strstr(err, cases[i].msg))
				fail_msg("case %zu, %s: %s", i, parsers[w].name, err);
			assert_null(strchr(err, '\n'));
			free(err);
		}
	}
	buf_free(&deep);
	buf_free(&deep_field);
}

/* ---- null vs absent vs zero --------------------------------------------- */

static void test_null_absent_zero_queue(void **state)
{
	static const struct {
		const char *json;
		enum tq_presence max_st; int64_t max;
		enum tq_presence tw_st; const char *tw;
		enum tq_presence date_st; enum tq_presence links_st;
	} cases[] = {
		{ Q(""), TQ_ABSENT, 0, TQ_ABSENT, NULL, TQ_ABSENT, TQ_ABSENT },
		{ Q(",'max_reserved_workers':null,'target_workers':null,'date_created':null,'links':null"),
		  TQ_NULL, 0, TQ_NULL, NULL, TQ_NULL, TQ_NULL },
		{ Q(",'max_reserved_workers':0,'target_workers':'','date_created':'1970-01-01T00:00:00Z','links':{}"),
		  TQ_SET, 0, TQ_SET, "", TQ_SET, TQ_SET },
		{ Q(",'max_reserved_workers':50.0,'target_workers':'1==1'"), TQ_SET, 50, TQ_SET, "1==1",
		  TQ_ABSENT, TQ_ABSENT },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tq_task_queue *q = parse_ok(P_QUEUE, cases[i].json);
		assert_int_equal(q->max_reserved_workers.st, cases[i].max_st);
		assert_int_equal(q->max_reserved_workers.v, cases[i].max);
		assert_int_equal(q->target_workers.st, cases[i].tw_st);
		if (cases[i].tw)
			assert_string_equal(q->target_workers.v, cases[i].tw);
		else
			assert_null(q->target_workers.v);
		assert_int_equal(q->date_created.st, cases[i].date_st);
		assert_int_equal(q->date_created.v, 0);
		assert_int_equal(q->links.st, cases[i].links_st);
		assert_int_equal(q->links.n, 0);
		drop(P_QUEUE, q);
	}
}

static void test_null_absent_zero_stats(void **state)
{
	(void)state;

	struct tq_realtime_stats *r = parse_ok(P_REALTIME, "{'tasks_by_priority':null,'activity_statistics':null,"
		"'total_tasks':0,'longest_task_waiting_sid':null}");
	assert_int_equal(r->tasks_by_status.st, TQ_ABSENT);
	assert_int_equal(r->tasks_by_priority.st, TQ_NULL);
	assert_int_equal(r->activity_statistics_st, TQ_NULL);
	assert_null(r->activity_statistics);
	assert_int_equal(r->total_tasks.st, TQ_SET);
	assert_int_equal(r->total_tasks.v, 0);
	assert_int_equal(r->total_available_workers.st, TQ_ABSENT);
	assert_int_equal(r->longest_task_waiting_sid.st, TQ_NULL);
	drop(P_REALTIME, r);

	r = parse_ok(P_REALTIME, "{'activity_statistics':[],'tasks_by_status':{}}");
	assert_int_equal(r->activity_statistics_st, TQ_SET);
	assert_int_equal(r->n_activity_statistics, 0);
	assert_int_equal(r->tasks_by_status.st, TQ_SET);
	assert_int_equal(r->tasks_by_status.n, 0);
	drop(P_REALTIME, r);

	struct tq_cumulative_stats *c = parse_ok(P_CUMULATIVE,
		"{'wait_duration_until_accepted':null,'wait_duration_until_canceled':{'avg':null,'min':0},"
		"'split_by_wait_time':null,'avg_task_acceptance_time':null}");
	assert_int_equal(c->wait_duration_until_accepted.st, TQ_NULL);
	assert_int_equal(c->wait_duration_until_canceled.st, TQ_SET);
	assert_int_equal(c->wait_duration_until_canceled.avg.st, TQ_NULL);
	assert_int_equal(c->wait_duration_until_canceled.min.st, TQ_SET);
	assert_int_equal(c->wait_duration_until_canceled.max.st, TQ_ABSENT);
	assert_int_equal(c->wait_duration_in_queue_until_accepted.st, TQ_ABSENT);
	assert_int_equal(c->split_by_wait_time_st, TQ_NULL);
	assert_int_equal(c->avg_task_acceptance_time.st, TQ_NULL);
	drop(P_CUMULATIVE, c);

	c = parse_ok(P_CUMULATIVE, "{'split_by_wait_time':{'5':{'above':null,'below':{'tasks_canceled':0}}}}");
	assert_int_equal(c->split_by_wait_time_st, TQ_SET);
	assert_int_equal(c->split_by_wait_time[0].above_tasks_canceled.st, TQ_NULL);
	assert_int_equal(c->split_by_wait_time[0].above_reservations_accepted.st, TQ_NULL);
	assert_int_equal(c->split_by_wait_time[0].below_tasks_canceled.st, TQ_SET);
	assert_int_equal(c->split_by_wait_time[0].below_reservations_accepted.st, TQ_ABSENT);
	drop(P_CUMULATIVE, c);

	struct tq_statistics *s = parse_ok(P_STATISTICS, "{'cumulative':null}");
	assert_int_equal(s->cumulative_st, TQ_NULL);
	assert_int_equal(s->realtime_st, TQ_ABSENT);
	drop(P_STATISTICS, s);

	struct tq_worker_list *wl = parse_ok(P_WORKER_LIST,
		"{'meta':{'key':'workers','next_page_url':'" API "/Workers?PageToken=PT1'},'workers':[]}");
	struct tq_page_meta *m = &wl->meta;
	assert_int_equal(m->next_page_url.st, TQ_SET);
	assert_string_equal(m->next_page_url.v, API "/Workers?PageToken=PT1");
	assert_int_equal(m->previous_page_url.st, TQ_ABSENT);
	assert_int_equal(m->page.st, TQ_ABSENT);
	drop(P_WORKER_LIST, wl);
}

/* ---- the quirks PROTOCOL.md lists ----------------------------------------- */

static void test_quirks(void **state)
{
	int64_t n;
	(void)state;

	/* tasks_by_status values as numeric strings, numbers or integral floats. */
	struct tq_realtime_stats *r = parse_ok(P_REALTIME,
		"{'tasks_by_status':{'pending':'1','reserved':3,'assigned':2.0,'completed':'5'},"
		"'tasks_by_priority':{'0':'10','99':'5'}}");
	assert_true(tq_counts_get(&r->tasks_by_status, "pending", &n));
	assert_int_equal(n, 1);
	assert_true(tq_counts_get(&r->tasks_by_status, "reserved", &n));
	assert_int_equal(n, 3);
	assert_true(tq_counts_get(&r->tasks_by_status, "assigned", &n));
	assert_int_equal(n, 2);
	assert_true(tq_counts_get(&r->tasks_by_status, "completed", &n));
	assert_int_equal(n, 5);
	assert_false(tq_counts_get(&r->tasks_by_status, "wrapping", &n));
	/* In the order the server sent them. */
	assert_string_equal(r->tasks_by_priority.items[0].key, "0");
	assert_int_equal(r->tasks_by_priority.items[0].n, 10);
	assert_string_equal(r->tasks_by_priority.items[1].key, "99");
	assert_true(tq_counts_get(&r->tasks_by_priority, "99", NULL));
	assert_false(tq_counts_get(NULL, "99", &n));
	assert_false(tq_counts_get(&r->tasks_by_priority, NULL, &n));
	drop(P_REALTIME, r);

	/* avg_task_acceptance_time as a float; split thresholds sorted by value. */
	struct tq_cumulative_stats *c = parse_ok(P_CUMULATIVE,
		"{'avg_task_acceptance_time':12.75,"
		"'split_by_wait_time':{'10':{'above':{'tasks_canceled':1}},'5':{'above':{'tasks_canceled':2}},"
		"'2.5':{'above':{'tasks_canceled':3}},'100':{'above':{'tasks_canceled':4}},"
		"'05':{'above':{'tasks_canceled':5}}}}");
	assert_true(c->avg_task_acceptance_time.v == 12.75);
	assert_int_equal(c->n_split_by_wait_time, 5);
	static const char *const order[] = { "2.5", "5", "05", "10", "100" };
	static const int64_t canceled[] = { 3, 2, 5, 1, 4 };
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(c->split_by_wait_time[i].threshold, order[i]);
		assert_int_equal(c->split_by_wait_time[i].above_tasks_canceled.v, canceled[i]);
	}
	drop(P_CUMULATIVE, c);

	/* Unknown fields, of any shape, are ignored. */
	struct tq_task_queue *q = parse_ok(P_QUEUE, Q(",'operating_unit_sid':'OU1','new':{'x':[1,{'y':null}]},"
		"'max_reserved_workers':3,'extra':[[[]]]"));
	assert_int_equal(q->max_reserved_workers.v, 3);
	drop(P_QUEUE, q);

	/* Dates with fractions and offsets. */
	q = parse_ok(P_QUEUE, Q(",'date_created':'2015-08-04T03:31:41.250+02:00','date_updated':'2015-08-04T01:31:41Z'"));
	assert_int_equal(q->date_created.v, 1438651901);
	assert_int_equal(q->date_updated.v, 1438651901);
	drop(P_QUEUE, q);

	/* Twilio's error body. */
	struct tq_twilio_error *e = parse_ok(P_ERROR, "{'code':20404,'message':'The requested resource was not found',"
		"'more_info':'https://www.twilio.com/docs/errors/20404','status':404}");
	assert_int_equal(e->code.v, 20404);
	assert_string_equal(e->message.v, "The requested resource was not found");
	assert_string_equal(e->more_info.v, "https://www.twilio.com/docs/errors/20404");
	assert_int_equal(e->status.v, 404);
	drop(P_ERROR, e);
	e = parse_ok(P_ERROR, "{'status':401,'message':'Authenticate','code':null}");
	assert_int_equal(e->code.st, TQ_NULL);
	assert_int_equal(e->more_info.st, TQ_ABSENT);
	drop(P_ERROR, e);
}

/* ---- copy, clear, reuse ------------------------------------------------- */

static void test_copy(void **state)
{
	char *text = spec_example(TQ_PATH "/{Sid}", "get", "200", "fetch");
	struct tq_task_queue a, b, zero, z2;
	char *err = NULL;
	(void)state;

	assert_true(tq_task_queue_parse(text, strlen(text), &a, &err));
	tq_task_queue_copy(&b, &a);
	/* Deep: nothing shared. */
	assert_ptr_not_equal(b.sid, a.sid);
	assert_ptr_not_equal(b.friendly_name.v, a.friendly_name.v);
	assert_ptr_not_equal(b.links.items, a.links.items);
	assert_ptr_not_equal(b.links.items[3].url, a.links.items[3].url);
	tq_task_queue_clear(&a);
	check_queue(&b);
	/* Onto itself: nothing happens. */
	tq_task_queue_copy(&b, &b);
	check_queue(&b);
	tq_task_queue_clear(&b);
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(&b, &zero, sizeof b);
	/* A cleared struct copies as a cleared struct. */
	tq_task_queue_copy(&z2, &zero);
	assert_memory_equal(&z2, &zero, sizeof z2);
	tq_task_queue_clear(&z2);
	/* Parse again into the cleared struct: reuse works. */
	assert_true(tq_task_queue_parse(text, strlen(text), &b, &err));
	check_queue(&b);
	tq_task_queue_clear(&b);
	/* Clearing twice is harmless. */
	tq_task_queue_clear(&b);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_from_json_payload),
		cmocka_unit_test(test_truncated_examples),
		cmocka_unit_test(test_bad_input_names_the_field),
		cmocka_unit_test(test_adversarial_bytes),
		cmocka_unit_test(test_null_absent_zero_queue),
		cmocka_unit_test(test_null_absent_zero_stats),
		cmocka_unit_test(test_quirks),
		cmocka_unit_test(test_copy),
	};
	return cmocka_run_group_tests(tests, load_spec, free_spec);
}
