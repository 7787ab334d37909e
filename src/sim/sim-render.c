#include "config.h"
#include "sim-render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "isotime.h"
#include "json.h"
#include "xalloc.h"

void render_kv_time(yajl_gen g, const char *key, int64_t t_ms)
{
	char iso[ISO8601_LEN];
	int64_t s = t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000);

	iso8601_format(s, iso);
	json_gen_kv_str(g, key, iso);
}

void render_kv_url(yajl_gen g, const char *key, const char *base, const char *fmt, ...)
{
	struct buf url = BUF_INIT;
	va_list ap;

	buf_puts(&url, base);
	va_start(ap, fmt);
	buf_vprintf(&url, fmt, ap);
	va_end(ap);
	json_gen_kv_str(g, key, buf_cstr(&url));
	buf_free(&url);
}

static int default_activity(const struct sim_engine *e)
{
	int a = engine_find_activity_name(e, "Offline");

	return a >= 0 ? a : 0;
}

void render_workspace(yajl_gen g, const struct sim_engine *e, const char *base)
{
	const char *ws = e->workspace_sid;
	int def = default_activity(e), tmo = e->beh.timeout_activity;

	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", e->account_sid);
	render_kv_time(g, "date_created", e->start);
	render_kv_time(g, "date_updated", e->start);
	json_gen_kv_str(g, "default_activity_name", e->activities[def].name);
	json_gen_kv_str(g, "default_activity_sid", e->activities[def].sid);
	json_gen_kv_null(g, "event_callback_url");
	json_gen_kv_null(g, "events_filter");
	json_gen_kv_str(g, "friendly_name", e->workspace_name);
	json_gen_kv_bool(g, "multi_task_enabled", false);
	json_gen_kv_str(g, "sid", ws);
	json_gen_kv_str(g, "timeout_activity_name", tmo >= 0 ? e->activities[tmo].name : NULL);
	json_gen_kv_str(g, "timeout_activity_sid", tmo >= 0 ? e->activities[tmo].sid : NULL);
	json_gen_kv_str(g, "prioritize_queue_order", "FIFO");
	render_kv_url(g, "url", base, "/v1/Workspaces/%s", ws);
	json_gen_key(g, "links");
	yajl_gen_map_open(g);
	render_kv_url(g, "activities", base, "/v1/Workspaces/%s/Activities", ws);
	render_kv_url(g, "statistics", base, "/v1/Workspaces/%s/Statistics", ws);
	render_kv_url(g, "real_time_statistics", base, "/v1/Workspaces/%s/RealTimeStatistics", ws);
	render_kv_url(g, "cumulative_statistics", base, "/v1/Workspaces/%s/CumulativeStatistics", ws);
	render_kv_url(g, "task_queues", base, "/v1/Workspaces/%s/TaskQueues", ws);
	render_kv_url(g, "tasks", base, "/v1/Workspaces/%s/Tasks", ws);
	render_kv_url(g, "workers", base, "/v1/Workspaces/%s/Workers", ws);
	render_kv_url(g, "workflows", base, "/v1/Workspaces/%s/Workflows", ws);
	render_kv_url(g, "task_channels", base, "/v1/Workspaces/%s/TaskChannels", ws);
	render_kv_url(g, "events", base, "/v1/Workspaces/%s/Events", ws);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

/* What every fixed sub-resource of the workspace (Activity, TaskChannel)
 * has, in a map the caller opened and closes. */
static void child_members(yajl_gen g, const struct sim_engine *e, const char *collection, const char *sid,
			  const char *name, const char *base)
{
	json_gen_kv_str(g, "account_sid", e->account_sid);
	render_kv_time(g, "date_created", e->start);
	render_kv_time(g, "date_updated", e->start);
	json_gen_kv_str(g, "friendly_name", name);
	json_gen_kv_str(g, "sid", sid);
	json_gen_kv_str(g, "workspace_sid", e->workspace_sid);
	render_kv_url(g, "url", base, "/v1/Workspaces/%s/%s/%s", e->workspace_sid, collection, sid);
	json_gen_key(g, "links");
	yajl_gen_map_open(g);
	render_kv_url(g, "workspace", base, "/v1/Workspaces/%s", e->workspace_sid);
	yajl_gen_map_close(g);
}

void render_activity(yajl_gen g, const struct sim_engine *e, uint32_t ai, const char *base)
{
	const struct sim_activity *a = &e->activities[ai];

	yajl_gen_map_open(g);
	child_members(g, e, "Activities", a->sid, a->name, base);
	json_gen_kv_bool(g, "available", a->available);
	yajl_gen_map_close(g);
}

void render_worker(yajl_gen g, const struct sim_engine *e, uint32_t wi, const char *base)
{
	const struct sim_worker *w = &e->workers[wi];
	const struct sim_activity *a = &e->activities[engine_worker_activity(w)];
	const char *ws = e->workspace_sid;

	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", e->account_sid);
	json_gen_kv_str(g, "activity_name", a->name);
	json_gen_kv_str(g, "activity_sid", a->sid);
	json_gen_kv_str(g, "attributes", w->attributes);
	json_gen_kv_bool(g, "available", a->available);
	render_kv_time(g, "date_created", w->date_created);
	render_kv_time(g, "date_status_changed", w->date_status_changed);
	render_kv_time(g, "date_updated", w->date_updated);
	json_gen_kv_str(g, "friendly_name", w->name);
	json_gen_kv_str(g, "sid", w->sid);
	json_gen_kv_str(g, "workspace_sid", ws);
	render_kv_url(g, "url", base, "/v1/Workspaces/%s/Workers/%s", ws, w->sid);
	json_gen_key(g, "links");
	yajl_gen_map_open(g);
	render_kv_url(g, "channels", base, "/v1/Workspaces/%s/Workers/%s/Channels", ws, w->sid);
	render_kv_url(g, "activity", base, "/v1/Workspaces/%s/Activities/%s", ws, a->sid);
	render_kv_url(g, "workspace", base, "/v1/Workspaces/%s", ws);
	render_kv_url(g, "statistics", base, "/v1/Workspaces/%s/Workers/Statistics", ws);
	render_kv_url(g, "real_time_statistics", base, "/v1/Workspaces/%s/Workers/RealTimeStatistics", ws);
	render_kv_url(g, "cumulative_statistics", base, "/v1/Workspaces/%s/Workers/CumulativeStatistics", ws);
	render_kv_url(g, "worker_statistics", base, "/v1/Workspaces/%s/Workers/%s/Statistics", ws, w->sid);
	render_kv_url(g, "worker_channels", base, "/v1/Workspaces/%s/Workers/%s/Channels", ws, w->sid);
	render_kv_url(g, "reservations", base, "/v1/Workspaces/%s/Workers/%s/Reservations", ws, w->sid);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

static void kv_activity(yajl_gen g, const struct sim_engine *e, const char *name_key, const char *sid_key, int ai)
{
	json_gen_kv_str(g, name_key, ai >= 0 ? e->activities[ai].name : NULL);
	json_gen_kv_str(g, sid_key, ai >= 0 ? e->activities[ai].sid : NULL);
}

void render_queue(yajl_gen g, const struct sim_engine *e, uint32_t qi, const char *base)
{
	const struct sim_queue *q = &e->queues[qi];
	const char *ws = e->workspace_sid;

	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", e->account_sid);
	kv_activity(g, e, "assignment_activity_name", "assignment_activity_sid", q->assignment_activity);
	render_kv_time(g, "date_created", q->date_created);
	render_kv_time(g, "date_updated", q->date_updated);
	json_gen_kv_str(g, "friendly_name", q->name);
	json_gen_kv_int(g, "max_reserved_workers", q->max_reserved);
	kv_activity(g, e, "reservation_activity_name", "reservation_activity_sid", q->reservation_activity);
	json_gen_kv_str(g, "sid", q->sid);
	json_gen_kv_str(g, "target_workers", q->target_workers);
	json_gen_kv_str(g, "task_order", q->lifo ? "LIFO" : "FIFO");
	render_kv_url(g, "url", base, "/v1/Workspaces/%s/TaskQueues/%s", ws, q->sid);
	json_gen_kv_str(g, "workspace_sid", ws);
	json_gen_key(g, "links");
	yajl_gen_map_open(g);
	/* Links are URLs (clients reject null): a queue without such an
	 * activity has no link to it, as its *_activity_sid is null. */
	if (q->assignment_activity >= 0)
		render_kv_url(g, "assignment_activity", base, "/v1/Workspaces/%s/Activities/%s", ws,
			      e->activities[q->assignment_activity].sid);
	if (q->reservation_activity >= 0)
		render_kv_url(g, "reservation_activity", base, "/v1/Workspaces/%s/Activities/%s", ws,
			      e->activities[q->reservation_activity].sid);
	render_kv_url(g, "workspace", base, "/v1/Workspaces/%s", ws);
	render_kv_url(g, "statistics", base, "/v1/Workspaces/%s/TaskQueues/%s/Statistics", ws, q->sid);
	render_kv_url(g, "real_time_statistics", base, "/v1/Workspaces/%s/TaskQueues/%s/RealTimeStatistics", ws, q->sid);
	render_kv_url(g, "cumulative_statistics", base, "/v1/Workspaces/%s/TaskQueues/%s/CumulativeStatistics", ws, q->sid);
	render_kv_url(g, "list_statistics", base, "/v1/Workspaces/%s/TaskQueues/Statistics", ws);
	render_kv_url(g, "bulk_real_time_statistics", base, "/v1/Workspaces/%s/TaskQueues/RealTimeStatistics", ws);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

void render_channel(yajl_gen g, const struct sim_engine *e, uint32_t ci, const char *base)
{
	const struct sim_channel *c = &e->channels[ci];

	yajl_gen_map_open(g);
	child_members(g, e, "TaskChannels", c->sid, c->name, base);
	json_gen_kv_str(g, "unique_name", c->name);
	json_gen_kv_bool(g, "channel_optimized_routing", false);
	yajl_gen_map_close(g);
}

static void render_activity_statistics(yajl_gen g, const struct sim_engine *e, const uint32_t *by_activity)
{
	json_gen_key(g, "activity_statistics");
	yajl_gen_array_open(g);
	for (size_t a = 0; a < e->n_activities; a++) {
		yajl_gen_map_open(g);
		json_gen_kv_str(g, "sid", e->activities[a].sid);
		json_gen_kv_str(g, "friendly_name", e->activities[a].name);
		json_gen_kv_int(g, "workers", by_activity[a]);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void kv_task_sid(yajl_gen g, const struct sim_engine *e, const char *key, int32_t ti)
{
	char sid[SIM_SID_LEN];

	if (ti >= 0) {
		engine_task_sid(e, &e->tasks[ti], sid);
		json_gen_kv_str(g, key, sid);
	} else {
		json_gen_kv_null(g, key);
	}
}

void render_realtime_members(yajl_gen g, const struct sim_engine *e, const struct sim_realtime *r,
			     enum stats_scope scope)
{
	if (scope != SCOPE_WORKFLOW)
		render_activity_statistics(g, e, r->by_activity);
	json_gen_kv_int(g, "longest_task_waiting_age", r->longest_age_s);
	kv_task_sid(g, e, "longest_task_waiting_sid", r->longest_task);
	if (scope == SCOPE_QUEUE) {
		json_gen_kv_int(g, "longest_relative_task_age_in_queue", r->longest_rel_age_s);
		kv_task_sid(g, e, "longest_relative_task_sid_in_queue", r->longest_rel_task);
	}
	json_gen_key(g, "tasks_by_priority");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < r->n_prios; i++) {
		char key[16];
		snprintf(key, sizeof key, "%d", r->prios[i].prio);
		json_gen_kv_int(g, key, r->prios[i].n);
	}
	yajl_gen_map_close(g);
	json_gen_key(g, "tasks_by_status");
	yajl_gen_map_open(g);
	for (int s = 0; s < TS_N_LIVE; s++)
		json_gen_kv_int(g, task_status_names[s], r->by_status[s]);
	yajl_gen_map_close(g);
	if (scope == SCOPE_QUEUE) {
		json_gen_kv_int(g, "total_available_workers", r->total_available);
		json_gen_kv_int(g, "total_eligible_workers", r->total_eligible);
		json_gen_kv_int(g, "total_tasks", r->total_tasks);
	} else {
		json_gen_kv_int(g, "total_tasks", r->total_tasks);
		if (scope == SCOPE_WORKSPACE)
			json_gen_kv_int(g, "total_workers", r->total_eligible);
	}
}

static void render_dur(yajl_gen g, const char *key, const struct sim_dur *d)
{
	json_gen_key(g, key);
	yajl_gen_map_open(g);
	json_gen_kv_int(g, "avg", dur_avg_s(d));
	json_gen_kv_int(g, "min", dur_min_s(d));
	json_gen_kv_int(g, "max", dur_max_s(d));
	json_gen_kv_int(g, "total", dur_total_s(d));
	yajl_gen_map_close(g);
}

static void render_split_side(yajl_gen g, const char *key, uint64_t canceled, uint64_t accepted)
{
	json_gen_key(g, key);
	yajl_gen_map_open(g);
	json_gen_kv_int(g, "tasks_canceled", (int64_t)canceled);
	json_gen_kv_int(g, "reservations_accepted", (int64_t)accepted);
	yajl_gen_map_close(g);
}

void render_cumulative_members(yajl_gen g, const struct sim_cumulative *c, int64_t end_shown_ms,
			       enum stats_scope scope)
{
	json_gen_kv_int(g, "avg_task_acceptance_time", dur_avg_s(&c->until_accepted));
	render_kv_time(g, "start_time", c->start_ms);
	render_kv_time(g, "end_time", end_shown_ms);
	json_gen_kv_int(g, "reservations_created", (int64_t)c->count[H_RES_CREATED]);
	json_gen_kv_int(g, "reservations_accepted", (int64_t)c->count[H_RES_ACCEPTED]);
	json_gen_kv_int(g, "reservations_rejected", (int64_t)c->count[H_RES_REJECTED]);
	json_gen_kv_int(g, "reservations_timed_out", (int64_t)c->count[H_RES_TIMED_OUT]);
	json_gen_kv_int(g, "reservations_canceled", (int64_t)c->count[H_RES_CANCELED]);
	json_gen_kv_int(g, "reservations_rescinded", (int64_t)c->count[H_RES_RESCINDED]);
	if (c->n_splits) {
		json_gen_key(g, "split_by_wait_time");
		yajl_gen_map_open(g);
		for (size_t i = 0; i < c->n_splits; i++) {
			const struct sim_split *s = &c->splits[i];
			char key[24];
			snprintf(key, sizeof key, "%lld", (long long)s->threshold_s);
			json_gen_key(g, key);
			yajl_gen_map_open(g);
			render_split_side(g, "above", s->canceled_above, s->accepted_above);
			render_split_side(g, "below", s->canceled_below, s->accepted_below);
			yajl_gen_map_close(g);
		}
		yajl_gen_map_close(g);
	} else {
		json_gen_kv_null(g, "split_by_wait_time");
	}
	json_gen_kv_int(g, "tasks_canceled", (int64_t)c->count[H_CANCELED]);
	json_gen_kv_int(g, "tasks_completed", (int64_t)c->count[H_COMPLETED]);
	if (scope == SCOPE_WORKSPACE)
		json_gen_kv_int(g, "tasks_created", (int64_t)(c->count[H_ENTERED] - c->count[H_MOVED]));
	json_gen_kv_int(g, "tasks_deleted", (int64_t)c->count[H_DELETED]);
	if (scope == SCOPE_QUEUE)
		json_gen_kv_int(g, "tasks_entered", (int64_t)c->count[H_ENTERED]);
	/* A task enters the workflow once, when created; moves between its
	 * queues are its targets at work. */
	if (scope == SCOPE_WORKFLOW)
		json_gen_kv_int(g, "tasks_entered", (int64_t)(c->count[H_ENTERED] - c->count[H_MOVED]));
	json_gen_kv_int(g, "tasks_moved", (int64_t)c->count[H_MOVED]);
	/* tqsim's tasks never time out of a workflow: the event does not
	 * exist in the simulation, so its count is truly 0. */
	if (scope != SCOPE_QUEUE)
		json_gen_kv_int(g, "tasks_timed_out_in_workflow", 0);
	render_dur(g, "wait_duration_until_accepted", &c->until_accepted);
	render_dur(g, "wait_duration_until_canceled", &c->until_canceled);
	if (scope == SCOPE_QUEUE)
		render_dur(g, "wait_duration_in_queue_until_accepted", &c->in_queue_until_accepted);
}

void render_workers_realtime_members(yajl_gen g, const struct sim_engine *e, const uint32_t *by_activity,
				     uint32_t total)
{
	render_activity_statistics(g, e, by_activity);
	json_gen_kv_int(g, "total_workers", total);
}

void render_workers_cumulative_members(yajl_gen g, const struct sim_engine *e,
				       const struct sim_worker_cumulative *c, int64_t end_shown_ms)
{
	static const char *const res_keys[WL_N] = {
		[WL_RES_CREATED] = "reservations_created", [WL_RES_ACCEPTED] = "reservations_accepted",
		[WL_RES_REJECTED] = "reservations_rejected", [WL_RES_TIMED_OUT] = "reservations_timed_out",
		[WL_RES_CANCELED] = "reservations_canceled", [WL_RES_RESCINDED] = "reservations_rescinded",
	};

	render_kv_time(g, "start_time", c->start_ms);
	render_kv_time(g, "end_time", end_shown_ms);
	for (int k = WL_RES_CREATED; k < WL_N; k++)
		json_gen_kv_int(g, res_keys[k], (int64_t)c->res[k]);
	json_gen_key(g, "activity_durations");
	yajl_gen_array_open(g);
	for (size_t a = 0; a < e->n_activities; a++) {
		yajl_gen_map_open(g);
		json_gen_kv_str(g, "sid", e->activities[a].sid);
		json_gen_kv_str(g, "friendly_name", e->activities[a].name);
		json_gen_kv_int(g, "avg", dur_avg_s(&c->activity[a]));
		json_gen_kv_int(g, "min", dur_min_s(&c->activity[a]));
		json_gen_kv_int(g, "max", dur_max_s(&c->activity[a]));
		json_gen_kv_int(g, "total", dur_total_s(&c->activity[a]));
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

/* tqsim's workers take one task at a time whatever its channel (the
 * workspace is not multi-tasking): every channel has capacity 1, and none
 * is left while the worker holds a reservation or a task. */
void render_worker_channel(yajl_gen g, const struct sim_engine *e, uint32_t wi, uint32_t ci, const char *base)
{
	const struct sim_worker *w = &e->workers[wi];
	const struct sim_channel *c = &e->channels[ci];
	char sid[SIM_SID_LEN];
	bool assigned = w->task >= 0 && e->tasks[w->task].channel == (int)ci;

	engine_worker_channel_sid(e, wi, ci, sid);
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", e->account_sid);
	json_gen_kv_int(g, "assigned_tasks", assigned ? 1 : 0);
	json_gen_kv_bool(g, "available", true);
	json_gen_kv_int(g, "available_capacity_percentage", w->task >= 0 || w->res >= 0 ? 0 : 100);
	json_gen_kv_int(g, "configured_capacity", 1);
	render_kv_time(g, "date_created", w->date_created);
	render_kv_time(g, "date_updated", w->date_updated);
	json_gen_kv_str(g, "sid", sid);
	json_gen_kv_str(g, "task_channel_sid", c->sid);
	json_gen_kv_str(g, "task_channel_unique_name", c->name);
	json_gen_kv_str(g, "worker_sid", w->sid);
	json_gen_kv_str(g, "workspace_sid", e->workspace_sid);
	render_kv_url(g, "url", base, "/v1/Workspaces/%s/Workers/%s/Channels/%s", e->workspace_sid, w->sid, sid);
	yajl_gen_map_close(g);
}

char *render_tree_text(yajl_val v)
{
	yajl_gen g = json_gen_new();

	json_gen_value(g, v);
	return json_gen_finish(g, NULL);
}
