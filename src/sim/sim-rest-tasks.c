#include "config.h"
#include "sim-rest-int.h"

#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "isotime.h"
#include "json.h"
#include "sim-num.h"
#include "xalloc.h"

/* ---- Tasks (the live ones: tqsim keeps no finished task) ------------------ */

static const char *task_sid(const struct ctx *c, uint32_t ti, void *ud)
{
	(void)ud;
	engine_task_sid(c->e, &c->e->tasks[ti], c->sid_buf);
	return c->sid_buf;
}

/* AssignmentStatus=pending,reserved,...: the live statuses asked for
 * (canceled and completed tasks are not kept, so they match nothing). */
static bool parse_statuses(struct ctx *c, bool want[TS_N_LIVE])
{
	const char *s = rest_param(c, "AssignmentStatus");
	char *copy, *save = NULL;
	bool ok = true;

	for (int i = 0; i < TS_N_LIVE; i++)
		want[i] = !s;
	if (!s)
		return true;
	copy = xstrdup(s);
	for (char *p = strtok_r(copy, ",", &save); p && ok; p = strtok_r(NULL, ",", &save)) {
		size_t k;
		for (k = 0; k < TS_N_NAMES; k++)
			if (!strcmp(p, task_status_names[k]))
				break;
		if (k == TS_N_NAMES)
			ok = rest_bad_param(c, "Invalid AssignmentStatus '%s': comma-separated pending, reserved, "
					    "assigned, canceled, completed or wrapping", p);
		else if (k < TS_N_LIVE)
			want[k] = true;
	}
	free(copy);
	return ok;
}

static bool workflow_param(struct ctx *c)
{
	const char *sid = rest_param(c, "WorkflowSid"), *name = rest_param(c, "WorkflowName");

	if (sid && strcmp(sid, c->e->workflow_sid) != 0)
		return rest_bad_param(c, "Invalid WorkflowSid '%s': not a Workflow of this Workspace (its one "
				      "Workflow is %s)", sid, c->e->workflow_sid);
	if (name && strcmp(name, WORKFLOW_NAME) != 0)
		return rest_bad_param(c, "Invalid WorkflowName '%s': not a Workflow of this Workspace (its one "
				      "Workflow is \"%s\")", name, WORKFLOW_NAME);
	return true;
}

struct task_order {
	const struct sim_engine *e;
	bool by_priority, desc;
};

static struct task_order sort_order;

static int cmp_tasks(const void *a, const void *b)
{
	const struct sim_task *x = &sort_order.e->tasks[*(const uint32_t *)a];
	const struct sim_task *y = &sort_order.e->tasks[*(const uint32_t *)b];
	int r = 0;

	if (sort_order.by_priority && x->priority != y->priority)
		r = x->priority < y->priority ? -1 : 1;
	else if (x->created != y->created)
		r = x->created < y->created ? -1 : 1;
	else
		r = x->id < y->id ? -1 : x->id > y->id;
	return sort_order.desc ? -r : r;
}

/* Ordering=DateCreated|Priority, optionally :asc or :desc. */
static bool parse_task_ordering(struct ctx *c, struct task_order *o)
{
	const char *s = rest_param(c, "Ordering");

	o->by_priority = o->desc = false;
	if (!s)
		return true;
	if (!strncmp(s, "Priority", 8))
		o->by_priority = true;
	else if (strncmp(s, "DateCreated", 11) != 0)
		return rest_bad_param(c, "Invalid Ordering '%s': use DateCreated or Priority, optionally with :asc "
				      "or :desc", s);
	s += o->by_priority ? 8 : 11;
	if (!strcmp(s, ":desc"))
		o->desc = true;
	else if (*s && strcmp(s, ":asc") != 0)
		return rest_bad_param(c, "Invalid Ordering: use DateCreated or Priority, optionally with :asc or "
				      ":desc");
	return true;
}

/* EvaluateTaskAttributes: a task's attributes depend on its origin queue
 * only (render_task_attributes), so ex is evaluated once per queue. */
enum { ETA_UNKNOWN, ETA_NO, ETA_YES };

static bool origin_matches(const struct sim_engine *e, const struct expr *ex, uint32_t origin, unsigned char *memo)
{
	if (memo[origin] == ETA_UNKNOWN) {
		char *err = NULL, *text = render_task_attributes(e, origin);
		yajl_val attrs = json_parse(text, strlen(text), &err);
		memo[origin] = attrs && expr_eval(ex, attrs, NULL) ? ETA_YES : ETA_NO;
		if (attrs)
			yajl_tree_free(attrs);
		free(err);
		free(text);
	}
	return memo[origin] == ETA_YES;
}

static void list_tasks(struct ctx *c)
{
	static const char *const filters[] = { "AssignmentStatus", "Priority", "TaskQueueSid", "TaskQueueName",
					       "WorkflowSid", "WorkflowName", "EvaluateTaskAttributes",
					       "RoutingTarget", "Ordering", "HasAddons", NULL };
	const struct sim_engine *e = c->e;
	const char *prio = rest_param(c, "Priority"), *eta = rest_param(c, "EvaluateTaskAttributes");
	const char *target = rest_param(c, "RoutingTarget"), *addons = rest_param(c, "HasAddons");
	bool want[TS_N_LIVE];
	struct task_order o;
	struct expr *ex = NULL;
	unsigned char *memo = NULL;
	int64_t p = 0;
	int qi;
	uint32_t *items;
	size_t n = 0;

	if (!parse_statuses(c, want) || (qi = rest_queue_param(c, true)) == -2 || !workflow_param(c) ||
	    !parse_task_ordering(c, &o))
		return;
	if (prio && !num_parse_int(prio, INT32_MIN, INT32_MAX, &p)) {
		rest_bad_param(c, "Invalid Priority '%s': an integer", prio);
		return;
	}
	if (eta) {
		struct expr_error ee = { 0, NULL };
		ex = expr_parse(eta, &ee);
		if (!ex) {
			char *text = expr_error_text(&ee);
			rest_bad_param(c, "Invalid EvaluateTaskAttributes: %s", text);
			free(text);
			expr_error_clear(&ee);
			return;
		}
	}
	if (ex)
		memo = xcalloc(e->n_queues ? e->n_queues : 1, sizeof *memo);
	items = xcalloc(e->tasks_live ? e->tasks_live : 1, sizeof *items);
	/* No tqsim task has add-ons or a routing target. */
	if ((!addons || !rest_truthy(addons)) && !target) {
		for (size_t q = 0; q < e->n_queues; q++) {
			if (qi >= 0 && q != (size_t)qi)
				continue;
			for (int32_t ti = e->queues[q].live_head; ti >= 0; ti = e->tasks[ti].l_next) {
				const struct sim_task *t = &e->tasks[ti];
				bool keep = want[t->status] && (!prio || t->priority == p);
				if (keep && ex)
					keep = origin_matches(e, ex, (uint32_t)t->origin, memo);
				if (keep)
					items[n++] = (uint32_t)ti;
			}
		}
	}
	expr_free(&ex);
	free(memo);
	/* ETag: the list's version, its latest change. */
	for (size_t i = 0; i < n; i++)
		if (e->tasks[items[i]].updated > c->resp->etag)
			c->resp->etag = e->tasks[items[i]].updated;
	sort_order = (struct task_order){ e, o.by_priority, o.desc };
	qsort(items, n, sizeof *items, cmp_tasks);
	struct lister l = { "tasks", task_sid, NULL, render_task, NULL, filters };
	rest_list_response(c, &l, items, n);
	free(items);
}

/* ---- reservations ----------------------------------------------------------- */

struct res_list {
	struct res_view *v;
	bool under_worker;
};

static const char *res_sid(const struct ctx *c, uint32_t i, void *ud)
{
	const struct res_list *rl = ud;

	engine_res_sid(c->e, rl->v[i].id, c->sid_buf);
	return c->sid_buf;
}

static void render_res_item(struct ctx *c, yajl_gen g, uint32_t i, void *ud)
{
	const struct res_list *rl = ud;

	render_reservation(g, c->e, &rl->v[i], rl->under_worker, c->base);
}

/* The list (n_seg == list_depth) or one reservation of views v[0..n). */
static void reservation_routes(struct ctx *c, struct res_view *v, size_t n, bool under_worker, size_t list_depth)
{
	static const char *const filters[] = { "ReservationStatus", NULL };
	const char *status = rest_param(c, "ReservationStatus");
	struct res_list rl = { v, under_worker };
	uint32_t *items;
	size_t k = 0;

	if (c->n_seg == list_depth + 1) {
		for (size_t i = 0; i < n; i++) {
			engine_res_sid(c->e, v[i].id, c->sid_buf);
			if (!strcmp(c->sid_buf, c->seg[list_depth])) {
				yajl_gen g = yajl_gen_alloc(NULL);
				c->resp->etag = v[i].updated;
				render_reservation(g, c->e, &v[i], under_worker, c->base);
				resp_json(c->resp, 200, g);
				yajl_gen_free(g);
				return;
			}
		}
		rest_not_found(c);
		return;
	}
	if (status && strcmp(status, "pending") && strcmp(status, "accepted") && strcmp(status, "rejected") &&
	    strcmp(status, "timeout") && strcmp(status, "canceled") && strcmp(status, "rescinded") &&
	    strcmp(status, "wrapping") && strcmp(status, "completed")) {
		rest_bad_param(c, "Invalid ReservationStatus '%s': pending, accepted, rejected, timeout, canceled, "
			       "rescinded, wrapping or completed", status);
		return;
	}
	items = xcalloc(n ? n : 1, sizeof *items);
	for (size_t i = 0; i < n; i++) {
		if (!status || !strcmp(status, v[i].status))
			items[k++] = (uint32_t)i;
		if (v[i].updated > c->resp->etag)
			c->resp->etag = v[i].updated;
	}
	struct lister l = { "reservations", res_sid, render_res_item, NULL, &rl, filters };
	rest_list_response(c, &l, items, k);
	free(items);
}

void rest_worker_reservations(struct ctx *c, uint32_t wi)
{
	struct res_view v[2];

	reservation_routes(c, v, worker_reservations(c->e, wi, v), true, 6);
}

/* /Tasks, /Tasks/WT, /Tasks/WT/Reservations[/WR]. */
void rest_task_routes(struct ctx *c)
{
	struct res_view *v;
	int ti;

	if (!rest_is_method(c, "GET")) {
		rest_method_not_allowed(c);
		return;
	}
	if (c->n_seg == 4) {
		list_tasks(c);
		return;
	}
	ti = engine_find_task(c->e, c->seg[4]);
	if (ti < 0 || c->n_seg > 7 || (c->n_seg > 5 && strcmp(c->seg[5], "Reservations") != 0)) {
		rest_not_found(c);
	} else if (c->n_seg == 5) {
		c->resp->etag = c->e->tasks[ti].updated;
		rest_answer_one(c, render_task, ti);
	} else {
		v = xcalloc(c->e->tasks[ti].n_res + 1, sizeof *v);
		reservation_routes(c, v, task_reservations(c->e, (uint32_t)ti, v), false, 6);
		free(v);
	}
}

/* ---- the Workflow ------------------------------------------------------------ */

static const char *workflow_item_sid(const struct ctx *c, uint32_t i, void *ud)
{
	(void)i;
	(void)ud;
	return c->e->workflow_sid;
}

static void render_workflow_at(yajl_gen g, const struct sim_engine *e, uint32_t i, const char *base)
{
	(void)i;
	render_workflow(g, e, base);
}

/* /Workflows, /Workflows/WW, /Workflows/WW/{Statistics,...}: the one. */
void rest_workflow_routes(struct ctx *c)
{
	static const char *const filters[] = { "FriendlyName", NULL };
	const char *name = rest_param(c, "FriendlyName");
	enum stats_resource which;
	uint32_t one = 0;

	if (!rest_is_method(c, "GET")) {
		rest_method_not_allowed(c);
		return;
	}
	if (c->n_seg == 4) {
		struct lister l = { "workflows", workflow_item_sid, NULL, render_workflow_at, NULL, filters };
		rest_list_response(c, &l, &one, !name || !strcmp(name, WORKFLOW_NAME) ? 1 : 0);
	} else if (strcmp(c->seg[4], c->e->workflow_sid) != 0 || c->n_seg > 6) {
		rest_not_found(c);
	} else if (c->n_seg == 5) {
		rest_answer_one(c, render_workflow_at, 0);
	} else if (rest_stats_resource(c->seg[5], &which)) {
		rest_aggregate_stats(c, which, SCOPE_WORKFLOW);
	} else {
		rest_not_found(c);
	}
}

/* ---- Events (the most recent EVENTS_KEEP) ------------------------------------- */

static const char *event_sid(const struct ctx *c, uint32_t i, void *ud)
{
	(void)ud;
	engine_event_sid(c->e, events_at(&c->e->recent, i)->seq, c->sid_buf);
	return c->sid_buf;
}

static void render_event_item(struct ctx *c, yajl_gen g, uint32_t i, void *ud)
{
	(void)ud;
	render_event(g, c->e, events_at(&c->e->recent, i), c->base);
}

/* A SID filter naming a queue or worker: its index, -1 when absent, -2
 * after answering 400 for one that is not in the workspace. */
static int subject_param(struct ctx *c, const char *key, int (*find)(const struct sim_engine *, const char *),
			 const char *what)
{
	const char *v = rest_param(c, key);
	int i;

	if (!v)
		return -1;
	i = find(c->e, v);
	if (i < 0) {
		rest_bad_param(c, "Invalid %s '%s': not a %s of this Workspace", key, v, what);
		return -2;
	}
	return i;
}

struct event_filter {
	struct window w;
	const char *type, *task, *res, *sid;
	int queue, worker;
	bool flow_only;		/* WorkflowSid: the workflow's (task and reservation) events */
};

static bool event_matches(const struct ctx *c, const struct event_filter *f, const struct sim_ev *ev)
{
	bool worker_ev = ev->kind == EVK_WORKER_ACTIVITY;
	char sid[SIM_SID_LEN];

	if (ev->t < f->w.start || ev->t >= f->w.end)
		return false;
	if (f->type && strcmp(f->type, event_kind_name((enum ev_kind)ev->kind)) != 0)
		return false;
	if ((f->flow_only || f->queue >= 0 || f->task || f->res || f->w.channel >= 0) && worker_ev)
		return false;
	if (f->queue >= 0 && ev->queue != f->queue && ev->queue2 != f->queue)
		return false;
	if (f->w.channel >= 0 && ev->channel != f->w.channel)
		return false;
	if (f->worker >= 0 && ev->worker != f->worker)
		return false;
	if (f->task) {
		engine_task_id_sid(c->e, ev->task_id, sid);
		if (strcmp(sid, f->task) != 0)
			return false;
	}
	if (f->res) {
		if (ev->kind < EVK_RES_CREATED || ev->kind > EVK_RES_RESCINDED)
			return false;
		engine_res_sid(c->e, ev->res_id, sid);
		if (strcmp(sid, f->res) != 0)
			return false;
	}
	if (f->sid) {
		engine_event_sid(c->e, ev->seq, sid);
		if (strcmp(sid, f->sid) != 0)
			return false;
	}
	return true;
}

static void list_events(struct ctx *c)
{
	static const char *const filters[] = { "Minutes", "StartDate", "EndDate", "EventType", "TaskQueueSid",
					       "TaskSid", "WorkerSid", "ReservationSid", "WorkflowSid",
					       "TaskChannel", "Sid", NULL };
	const struct sim_events *r = &c->e->recent;
	const char *flow = rest_param(c, "WorkflowSid");
	struct event_filter f = { .type = rest_param(c, "EventType"), .task = rest_param(c, "TaskSid"),
				  .res = rest_param(c, "ReservationSid"), .sid = rest_param(c, "Sid") };
	int64_t oldest = events_oldest(r);
	uint32_t *items;
	size_t n = 0;

	if (!rest_parse_window(c, &f.w, WIN_NOT_HISTORY) ||
	    (f.queue = subject_param(c, "TaskQueueSid", engine_find_queue, "TaskQueue")) == -2 ||
	    (f.worker = subject_param(c, "WorkerSid", engine_find_worker, "Worker")) == -2)
		return;
	if (flow) {
		if (strcmp(flow, c->e->workflow_sid) != 0) {
			rest_bad_param(c, "Invalid WorkflowSid '%s': not a Workflow of this Workspace (its one Workflow "
				       "is %s)", flow, c->e->workflow_sid);
			return;
		}
		f.flow_only = true;
	}
	/* Never a partial answer: a window reaching before the oldest event
	 * kept is refused. */
	if (f.w.start < oldest) {
		char iso[ISO8601_LEN];
		iso8601_format((oldest + 999) / 1000, iso);
		rest_bad_param(c, "the window starts before %s: tqsim keeps the last %d events only, start it there "
			       "or later", iso, EVENTS_KEEP);
		return;
	}
	items = xcalloc(r->n ? r->n : 1, sizeof *items);
	for (size_t i = 0; i < r->n; i++)
		if (event_matches(c, &f, events_at(r, i)))
			items[n++] = (uint32_t)i;
	struct lister l = { "events", event_sid, render_event_item, NULL, NULL, filters };
	rest_list_response(c, &l, items, n);
	free(items);
}

/* /Events, /Events/EV. */
void rest_event_routes(struct ctx *c)
{
	const struct sim_events *r = &c->e->recent;

	if (!rest_is_method(c, "GET")) {
		rest_method_not_allowed(c);
		return;
	}
	if (c->n_seg == 4) {
		list_events(c);
		return;
	}
	if (c->n_seg == 5) {
		for (size_t i = 0; i < r->n; i++) {
			engine_event_sid(c->e, events_at(r, i)->seq, c->sid_buf);
			if (!strcmp(c->sid_buf, c->seg[4])) {
				yajl_gen g = yajl_gen_alloc(NULL);
				render_event(g, c->e, events_at(r, i), c->base);
				resp_json(c->resp, 200, g);
				yajl_gen_free(g);
				return;
			}
		}
	}
	rest_not_found(c);
}
