/* sim-render: TaskRouter resources as JSON, field for field as in the
 * OpenAPI spec (tests validate every body against it).
 *
 * Contract: every URL in a body is absolute, base + "/v1/...", where base
 * is the request's scheme and host for direct REST and
 * "https://taskrouter.twilio.com" for tunnelled requests and pushed events
 * (so that clients can feed them back through the tunnel).  Dates are
 * ISO-8601 UTC with whole seconds.  Rendering never fails and never
 * changes the engine.
 */
#ifndef TQ_SIM_RENDER_H
#define TQ_SIM_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "sim-engine.h"
#include "sim-stats.h"

void render_workspace(yajl_gen g, const struct sim_engine *e, const char *base);
void render_activity(yajl_gen g, const struct sim_engine *e, uint32_t ai, const char *base);
void render_worker(yajl_gen g, const struct sim_engine *e, uint32_t wi, const char *base);
void render_queue(yajl_gen g, const struct sim_engine *e, uint32_t qi, const char *base);
void render_channel(yajl_gen g, const struct sim_engine *e, uint32_t ci, const char *base);

/* Whose statistics: a TaskQueue's, the whole Workspace's or its one
 * Workflow's (the spec gives them different members). */
enum stats_scope { SCOPE_QUEUE, SCOPE_WORKSPACE, SCOPE_WORKFLOW };

/* The members of a statistics object (the caller opens and closes the
 * map, and adds account_sid, url, ...).  end_shown_ms is the window end
 * as reported (an EndDate in the future is shown as given). */
void render_realtime_members(yajl_gen g, const struct sim_engine *e, const struct sim_realtime *r,
			     enum stats_scope scope);
void render_cumulative_members(yajl_gen g, const struct sim_cumulative *c, int64_t end_shown_ms,
			       enum stats_scope scope);
/* Workers' statistics: activity_statistics and total_workers; the
 * cumulative reservations_* and activity_durations. */
void render_workers_realtime_members(yajl_gen g, const struct sim_engine *e, const uint32_t *by_activity,
				     uint32_t total);
void render_workers_cumulative_members(yajl_gen g, const struct sim_engine *e,
				       const struct sim_worker_cumulative *c, int64_t end_shown_ms);
/* A Worker's channel ci (its capacity on TaskChannel ci). */
void render_worker_channel(yajl_gen g, const struct sim_engine *e, uint32_t wi, uint32_t ci, const char *base);

/* sim-render-tasks.c: Tasks, Reservations and the Workflow. */

/* A live reservation as the API shows it. */
struct res_view {
	uint64_t id;
	int32_t task;
	uint32_t worker;
	const char *status;		/* "pending", "accepted", "wrapping" */
	int64_t created, updated;
};

/* The live reservations of task ti / of worker wi into out (the caller
 * gives room for max_reserved + 1 / 2); returns how many. */
size_t task_reservations(const struct sim_engine *e, uint32_t ti, struct res_view *out);
size_t worker_reservations(const struct sim_engine *e, uint32_t wi, struct res_view out[2]);

void render_task(yajl_gen g, const struct sim_engine *e, uint32_t ti, const char *base);
/* A task's attributes as JSON text (the caller frees): what a tqsim task
 * carries is the queue it was created for, origin, which the workflow's
 * filters route on (render_workflow); so they depend on origin only. */
char *render_task_attributes(const struct sim_engine *e, uint32_t origin);
/* under_worker: the URL is the worker's sub-resource, else the task's. */
void render_reservation(yajl_gen g, const struct sim_engine *e, const struct res_view *r, bool under_worker,
			const char *base);
void render_workflow(yajl_gen g, const struct sim_engine *e, const char *base);
/* One of the recent events (sim-events.h) as an Event resource. */
void render_event(yajl_gen g, const struct sim_engine *e, const struct sim_ev *ev, const char *base);

/* The one Workflow's name (its SID: the engine's workflow_sid). */
#define WORKFLOW_NAME "Scenario routing"

/* A key with an ISO-8601 value from simulated ms. */
void render_kv_time(yajl_gen g, const char *key, int64_t t_ms);
/* "key": base + path (printf-style path). */
void render_kv_url(yajl_gen g, const char *key, const char *base, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A parsed tree back as compact JSON text (caller frees). */
char *render_tree_text(yajl_val v);

#endif
