#include "config.h"
#include "sim-render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "xalloc.h"

/* The Task TTL TaskRouter gives a task created without one; tqsim's tasks
 * never reach it (callers give up or are served long before). */
#define TASK_TIMEOUT_S 86400

size_t task_reservations(const struct sim_engine *e, uint32_t ti, struct res_view *out)
{
	const struct sim_task *t = &e->tasks[ti];
	size_t n = 0;

	for (int32_t ri = t->res_head; ri >= 0; ri = e->res[ri].next) {
		const struct sim_res *r = &e->res[ri];
		out[n++] = (struct res_view){ r->id, (int32_t)ti, (uint32_t)r->worker, "pending", r->created,
					      r->created };
	}
	if ((t->status == TS_ASSIGNED || t->status == TS_WRAPPING) && t->worker >= 0)
		out[n++] = (struct res_view){ t->res_id, (int32_t)ti, (uint32_t)t->worker,
					      t->status == TS_ASSIGNED ? "accepted" : "wrapping", t->res_created,
					      t->updated };
	return n;
}

size_t worker_reservations(const struct sim_engine *e, uint32_t wi, struct res_view out[2])
{
	const struct sim_worker *w = &e->workers[wi];
	size_t n = 0;

	if (w->task >= 0) {
		struct res_view all[2];
		/* the accepted one: a task being worked has no pending ones */
		if (task_reservations(e, (uint32_t)w->task, all) == 1)
			out[n++] = all[0];
	}
	if (w->res >= 0) {
		const struct sim_res *r = &e->res[w->res];
		out[n++] = (struct res_view){ r->id, r->task, wi, "pending", r->created, r->created };
	}
	return n;
}

char *render_task_attributes(const struct sim_engine *e, uint32_t origin)
{
	yajl_gen g = json_gen_new();

	yajl_gen_map_open(g);
	json_gen_kv_str(g, "queue_sid", e->queues[origin].sid);
	yajl_gen_map_close(g);
	return json_gen_finish(g, NULL);
}

void render_task(yajl_gen g, const struct sim_engine *e, uint32_t ti, const char *base)
{
	const struct sim_task *t = &e->tasks[ti];
	const struct sim_queue *q = &e->queues[t->queue];
	const struct sim_channel *c = &e->channels[t->channel];
	const char *ws = e->workspace_sid;
	const char *ww = e->workflow_sid;
	char sid[SIM_SID_LEN];
	char *attrs = render_task_attributes(e, (uint32_t)t->origin);

	engine_task_sid(e, t, sid);
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", e->account_sid);
	json_gen_kv_str(g, "addons", "{}");
	json_gen_kv_int(g, "age", (e->now - t->created) / 1000);
	json_gen_kv_str(g, "assignment_status", task_status_names[t->status]);
	json_gen_kv_str(g, "attributes", attrs);
	render_kv_time(g, "date_created", t->created);
	render_kv_time(g, "date_updated", t->updated);
	json_gen_kv_bool(g, "ignore_capacity", false);
	json_gen_kv_int(g, "priority", t->priority);
	json_gen_kv_null(g, "reason");
	json_gen_kv_null(g, "routing_target");
	json_gen_kv_str(g, "sid", sid);
	json_gen_kv_str(g, "task_channel_sid", c->sid);
	json_gen_kv_str(g, "task_channel_unique_name", c->name);
	render_kv_time(g, "task_queue_entered_date", t->entered);
	json_gen_kv_str(g, "task_queue_friendly_name", q->name);
	json_gen_kv_str(g, "task_queue_sid", q->sid);
	json_gen_kv_int(g, "timeout", TASK_TIMEOUT_S);
	render_kv_time(g, "virtual_start_time", t->created);
	json_gen_kv_str(g, "workflow_friendly_name", WORKFLOW_NAME);
	json_gen_kv_str(g, "workflow_sid", ww);
	json_gen_kv_str(g, "workspace_sid", ws);
	render_kv_url(g, "url", base, "/v1/Workspaces/%s/Tasks/%s", ws, sid);
	json_gen_key(g, "links");
	yajl_gen_map_open(g);
	render_kv_url(g, "task_queue", base, "/v1/Workspaces/%s/TaskQueues/%s", ws, q->sid);
	render_kv_url(g, "workflow", base, "/v1/Workspaces/%s/Workflows/%s", ws, ww);
	render_kv_url(g, "workspace", base, "/v1/Workspaces/%s", ws);
	render_kv_url(g, "reservations", base, "/v1/Workspaces/%s/Tasks/%s/Reservations", ws, sid);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	free(attrs);
}

void render_reservation(yajl_gen g, const struct sim_engine *e, const struct res_view *r, bool under_worker,
			const char *base)
{
	const struct sim_worker *w = &e->workers[r->worker];
	const char *ws = e->workspace_sid;
	char sid[SIM_SID_LEN], task[SIM_SID_LEN];

	engine_res_sid(e, r->id, sid);
	engine_task_sid(e, &e->tasks[r->task], task);
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", e->account_sid);
	render_kv_time(g, "date_created", r->created);
	render_kv_time(g, "date_updated", r->updated);
	json_gen_kv_str(g, "reservation_status", r->status);
	json_gen_kv_str(g, "sid", sid);
	json_gen_kv_str(g, "task_sid", task);
	json_gen_kv_str(g, "worker_name", w->name);
	json_gen_kv_str(g, "worker_sid", w->sid);
	json_gen_kv_str(g, "workspace_sid", ws);
	if (under_worker)
		render_kv_url(g, "url", base, "/v1/Workspaces/%s/Workers/%s/Reservations/%s", ws, w->sid, sid);
	else
		render_kv_url(g, "url", base, "/v1/Workspaces/%s/Tasks/%s/Reservations/%s", ws, task, sid);
	json_gen_key(g, "links");
	yajl_gen_map_open(g);
	render_kv_url(g, "task", base, "/v1/Workspaces/%s/Tasks/%s", ws, task);
	render_kv_url(g, "worker", base, "/v1/Workspaces/%s/Workers/%s", ws, w->sid);
	render_kv_url(g, "workspace", base, "/v1/Workspaces/%s", ws);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

/* The routing tqsim simulates, as a TaskRouter workflow configuration:
 * a task goes to the queue it was created for, and after the queue's
 * overflow time on to its overflow queue. */
static char *workflow_configuration(const struct sim_engine *e)
{
	yajl_gen g = json_gen_new();
	int first = -1;

	yajl_gen_map_open(g);
	json_gen_key(g, "task_routing");
	yajl_gen_map_open(g);
	json_gen_key(g, "filters");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < e->n_queues; i++) {
		const struct sim_queue *q = &e->queues[i];
		char *expr;
		if (q->deleted)
			continue;
		if (first < 0)
			first = (int)i;
		expr = xasprintf("queue_sid == \"%s\"", q->sid);
		yajl_gen_map_open(g);
		json_gen_kv_str(g, "filter_friendly_name", q->name);
		json_gen_kv_str(g, "expression", expr);
		json_gen_key(g, "targets");
		yajl_gen_array_open(g);
		yajl_gen_map_open(g);
		json_gen_kv_str(g, "queue", q->sid);
		if (q->overflow_to >= 0)
			json_gen_kv_int(g, "timeout", (int64_t)q->overflow_after_s);
		yajl_gen_map_close(g);
		if (q->overflow_to >= 0) {
			yajl_gen_map_open(g);
			json_gen_kv_str(g, "queue", e->queues[q->overflow_to].sid);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
		yajl_gen_map_close(g);
		free(expr);
	}
	yajl_gen_array_close(g);
	if (first >= 0) {
		json_gen_key(g, "default_filter");
		yajl_gen_map_open(g);
		json_gen_kv_str(g, "queue", e->queues[first].sid);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	return json_gen_finish(g, NULL);
}

void render_workflow(yajl_gen g, const struct sim_engine *e, const char *base)
{
	const char *ws = e->workspace_sid;
	const char *sid = e->workflow_sid;
	char *conf = workflow_configuration(e);

	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", e->account_sid);
	json_gen_kv_null(g, "assignment_callback_url");
	json_gen_kv_str(g, "configuration", conf);
	render_kv_time(g, "date_created", e->start);
	render_kv_time(g, "date_updated", e->routing_updated);
	json_gen_kv_str(g, "document_content_type", "application/json");
	json_gen_kv_null(g, "fallback_assignment_callback_url");
	json_gen_kv_str(g, "friendly_name", WORKFLOW_NAME);
	json_gen_kv_str(g, "sid", sid);
	json_gen_kv_int(g, "task_reservation_timeout", (int64_t)e->beh.reservation_timeout_s);
	json_gen_kv_str(g, "workspace_sid", ws);
	render_kv_url(g, "url", base, "/v1/Workspaces/%s/Workflows/%s", ws, sid);
	json_gen_key(g, "links");
	yajl_gen_map_open(g);
	render_kv_url(g, "statistics", base, "/v1/Workspaces/%s/Workflows/%s/Statistics", ws, sid);
	render_kv_url(g, "real_time_statistics", base, "/v1/Workspaces/%s/Workflows/%s/RealTimeStatistics", ws, sid);
	render_kv_url(g, "cumulative_statistics", base, "/v1/Workspaces/%s/Workflows/%s/CumulativeStatistics", ws,
		      sid);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	free(conf);
}

/* ---- events ------------------------------------------------------------------ */

static void kv_num_str(yajl_gen g, const char *key, int64_t v)
{
	char num[24];

	snprintf(num, sizeof num, "%lld", (long long)v);
	json_gen_kv_str(g, key, num);
}

/* event_data: what TaskRouter's event callbacks carry, as strings. */
static void event_data(yajl_gen g, const struct sim_engine *e, const struct sim_ev *ev, const char *task,
		       const char *res)
{
	json_gen_key(g, "event_data");
	yajl_gen_map_open(g);
	if (ev->kind == EVK_WORKER_ACTIVITY) {
		const struct sim_worker *w = &e->workers[ev->worker];
		json_gen_kv_str(g, "worker_activity_name", e->activities[ev->activity].name);
		json_gen_kv_str(g, "worker_activity_sid", e->activities[ev->activity].sid);
		json_gen_kv_str(g, "worker_attributes", w->attributes);
		json_gen_kv_str(g, "worker_name", w->name);
		json_gen_kv_str(g, "worker_previous_activity_name", e->activities[ev->prev_activity].name);
		json_gen_kv_str(g, "worker_previous_activity_sid", e->activities[ev->prev_activity].sid);
		json_gen_kv_str(g, "worker_sid", w->sid);
		kv_num_str(g, "worker_time_in_previous_activity", (ev->t - ev->since) / 1000);
		kv_num_str(g, "worker_time_in_previous_activity_ms", ev->t - ev->since);
	} else {
		const struct sim_queue *q = &e->queues[ev->queue];
		const struct sim_channel *c = &e->channels[ev->channel];
		if (res)
			json_gen_kv_str(g, "reservation_sid", res);
		json_gen_kv_str(g, "task_channel_sid", c->sid);
		json_gen_kv_str(g, "task_channel_unique_name", c->name);
		kv_num_str(g, "task_priority", ev->priority);
		json_gen_kv_str(g, "task_queue_name", q->name);
		json_gen_kv_str(g, "task_queue_sid", q->sid);
		if (ev->queue2 >= 0) {
			json_gen_kv_str(g, "task_queue_target_name", e->queues[ev->queue2].name);
			json_gen_kv_str(g, "task_queue_target_sid", e->queues[ev->queue2].sid);
		}
		json_gen_kv_str(g, "task_sid", task);
		if (ev->worker >= 0) {
			json_gen_kv_str(g, "worker_name", e->workers[ev->worker].name);
			json_gen_kv_str(g, "worker_sid", e->workers[ev->worker].sid);
		}
	}
	json_gen_kv_str(g, "workspace_name", e->workspace_name);
	json_gen_kv_str(g, "workspace_sid", e->workspace_sid);
	yajl_gen_map_close(g);
}

void render_event(yajl_gen g, const struct sim_engine *e, const struct sim_ev *ev, const char *base)
{
	const char *ws = e->workspace_sid, *kind = event_kind_name((enum ev_kind)ev->kind);
	char sid[SIM_SID_LEN], task[SIM_SID_LEN], res[SIM_SID_LEN];
	char *desc;
	struct buf url = BUF_INIT;
	bool is_res = ev->kind >= EVK_RES_CREATED && ev->kind <= EVK_RES_RESCINDED;

	engine_event_sid(e, ev->seq, sid);
	if (ev->kind == EVK_WORKER_ACTIVITY) {
		const struct sim_worker *w = &e->workers[ev->worker];
		desc = xasprintf("Worker %s updated to %s Activity", w->name, e->activities[ev->activity].name);
		buf_printf(&url, "%s/v1/Workspaces/%s/Workers/%s", base, ws, w->sid);
	} else if (is_res) {
		engine_task_id_sid(e, ev->task_id, task);
		engine_res_sid(e, ev->res_id, res);
		desc = xasprintf("Reservation %s for Task %s and Worker %s: %s", res, task,
				 e->workers[ev->worker].name, kind + strlen("reservation."));
		buf_printf(&url, "%s/v1/Workspaces/%s/Tasks/%s/Reservations/%s", base, ws, task, res);
	} else {
		engine_task_id_sid(e, ev->task_id, task);
		desc = xasprintf("Task %s: %s (TaskQueue %s)", task, kind, e->queues[ev->queue].name);
		buf_printf(&url, "%s/v1/Workspaces/%s/Tasks/%s", base, ws, task);
	}
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", e->account_sid);
	json_gen_kv_str(g, "actor_sid", ws);
	json_gen_kv_str(g, "actor_type", "workspace");
	render_kv_url(g, "actor_url", base, "/v1/Workspaces/%s", ws);
	json_gen_kv_str(g, "description", desc);
	event_data(g, e, ev, ev->kind == EVK_WORKER_ACTIVITY ? NULL : task, is_res ? res : NULL);
	render_kv_time(g, "event_date", ev->t);
	json_gen_kv_int(g, "event_date_ms", ev->t);
	json_gen_kv_str(g, "event_type", kind);
	json_gen_kv_str(g, "resource_sid", ev->kind == EVK_WORKER_ACTIVITY ? e->workers[ev->worker].sid :
			is_res ? res : task);
	json_gen_kv_str(g, "resource_type", ev->kind == EVK_WORKER_ACTIVITY ? "worker" : is_res ? "reservation" : "task");
	json_gen_kv_str(g, "resource_url", buf_cstr(&url));
	json_gen_kv_str(g, "sid", sid);
	json_gen_kv_str(g, "source", "tqsim");
	json_gen_kv_null(g, "source_ip_address");
	json_gen_kv_str(g, "workspace_sid", ws);
	render_kv_url(g, "url", base, "/v1/Workspaces/%s/Events/%s", ws, sid);
	yajl_gen_map_close(g);
	free(desc);
	buf_free(&url);
}
