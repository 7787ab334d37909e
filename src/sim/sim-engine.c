#include "config.h"
#include "sim-engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "expr.h"
#include "json.h"
#include "xalloc.h"

enum ev_type {
	EV_ARRIVAL,		/* a = queue, stamp = queue->arrival_stamp */
	EV_RES,			/* a = reservation */
	EV_PATIENCE,		/* a = task: the caller gives up */
	EV_DELETE,		/* a = task: the backend deletes it */
	EV_OVERFLOW,		/* a = task: moves to the overflow queue */
	EV_TALK_END,		/* a = task */
	EV_WRAP_END,		/* a = task */
	EV_WORKER,		/* a = worker, stamp = worker->act_stamp */
};

/* SID kinds for sim_sid(): stable, so SIDs never change between versions. */
enum { K_ACCOUNT, K_WORKSPACE, K_ACTIVITY, K_CHANNEL, K_WORKER, K_QUEUE, K_TASK, K_WORKER_CHANNEL,
       K_RESERVATION, K_WORKFLOW, K_EVENT };

const char *const task_status_names[TS_N_NAMES] = { "pending", "reserved", "assigned", "wrapping",
						     "canceled", "completed" };

static int64_t ms(double seconds)
{
	return (int64_t)llround(seconds * 1000.0);
}

/* ---- workers ------------------------------------------------------------ */

int engine_worker_activity(const struct sim_worker *w)
{
	return w->override_activity >= 0 ? w->override_activity : w->base_activity;
}

bool engine_worker_available(const struct sim_engine *e, const struct sim_worker *w)
{
	return e->activities[engine_worker_activity(w)].available;
}

/* The worker's non-attribute fields as expressions see them. */
static void build_fields(struct sim_engine *e, struct sim_worker *w)
{
	const struct sim_activity *a = &e->activities[engine_worker_activity(w)];
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *text;
	size_t len;
	char *err = NULL;

	yajl_gen_map_open(g);
	json_gen_kv_str(g, "sid", w->sid);
	json_gen_kv_str(g, "friendly_name", w->name);
	json_gen_kv_str(g, "activity_sid", a->sid);
	json_gen_kv_str(g, "activity_name", a->name);
	yajl_gen_map_close(g);
	yajl_gen_get_buf(g, &text, &len);
	if (w->fields)
		yajl_tree_free(w->fields);
	w->fields = json_parse((const char *)text, len, &err);
	if (!w->fields)
		die("worker fields: %s", err);
	yajl_gen_free(g);
}

/* Appends to worker wi's log, first dropping what the history no longer
 * keeps (lazily: a log only shrinks when it is written to, or when the
 * memory budget prunes every log). */
static void worker_log(struct sim_engine *e, uint32_t wi, enum wlog_kind kind, unsigned value)
{
	struct sim_wlog *l = &e->workers[wi].log;
	size_t before = wlog_bytes(l);

	if (e->hist_kept_from > l->t0)
		wlog_prune(l, e->start, e->hist_kept_from);
	wlog_add(l, e->start, e->now, kind, value);
	e->wlog_bytes = e->wlog_bytes - before + wlog_bytes(l);
}

/* Applies a new (base, override) pair, keeping every counter in step. */
static void worker_set_activity(struct sim_engine *e, uint32_t wi, int base, int override)
{
	struct sim_worker *w = &e->workers[wi];
	int old = engine_worker_activity(w);

	w->base_activity = base;
	w->override_activity = override;
	if (engine_worker_activity(w) != old) {
		int now_act = engine_worker_activity(w);
		elig_activity_changed(e, wi, old, now_act);
		e->ws_by_activity[old]--;
		e->ws_by_activity[now_act]++;
		worker_log(e, wi, WL_ACTIVITY, (unsigned)now_act);
		struct sim_ev *ev = events_add(&e->recent, e->now, EVK_WORKER_ACTIVITY);
		ev->worker = (int32_t)wi;
		ev->activity = (int16_t)now_act;
		ev->prev_activity = (int16_t)old;
		ev->since = w->date_status_changed;
		w->date_status_changed = w->date_updated = e->now;
		build_fields(e, w);
	}
	elig_sync_idle(e, wi);
}

static void schedule_worker(struct sim_engine *e, uint32_t wi)
{
	struct sim_worker *w = &e->workers[wi];

	w->act_stamp++;
	heap_push(&e->heap, e->now + ms(rng_exp(&e->rng, e->activities[w->base_activity].mean_s)),
		  EV_WORKER, wi, w->act_stamp);
}

/* The agent leaves an available activity for a break, lunch, a shift end... */
static void worker_leave(struct sim_engine *e, uint32_t wi)
{
	struct sim_worker *w = &e->workers[wi];
	double *weights = xcalloc(e->n_activities, sizeof *weights);
	bool any = false;

	for (size_t i = 0; i < e->n_activities; i++) {
		if (!e->activities[i].available && e->activities[i].weight > 0) {
			weights[i] = e->activities[i].weight;
			any = true;
		}
	}
	w->leave_pending = false;
	if (any)
		worker_set_activity(e, wi, (int)rng_pick(&e->rng, weights, e->n_activities), w->override_activity);
	free(weights);
	schedule_worker(e, wi);
}

/* ---- tasks: lists and counters ------------------------------------------ */

static struct sim_prio *prio_get(struct sim_queue *q, int prio)
{
	size_t i;

	for (i = 0; i < q->n_prios && q->prios[i].prio > prio; i++)
		;
	if (i < q->n_prios && q->prios[i].prio == prio)
		return &q->prios[i];
	q->prios = xreallocarray(q->prios, q->n_prios + 1, sizeof *q->prios);
	memmove(&q->prios[i + 1], &q->prios[i], (q->n_prios - i) * sizeof *q->prios);
	q->prios[i] = (struct sim_prio){ prio, 0, -1, -1 };
	q->n_prios++;
	return &q->prios[i];
}

static bool waiting(const struct sim_task *t)
{
	return t->status == TS_PENDING || t->status == TS_RESERVED;
}

static void set_status(struct sim_engine *e, struct sim_task *t, enum task_status st)
{
	struct sim_queue *q = &e->queues[t->queue];

	q->by_status[t->status]--;
	q->by_channel_status[t->channel * TS_N_LIVE + t->status]--;
	t->status = st;
	t->updated = e->now;
	q->by_status[st]++;
	q->by_channel_status[t->channel * TS_N_LIVE + st]++;
}

#define T(i) (&e->tasks[(i)])

static void link_waiting(struct sim_engine *e, int32_t ti)
{
	struct sim_task *t = T(ti);
	struct sim_queue *q = &e->queues[t->queue];
	struct sim_prio *p = prio_get(q, t->priority);
	int32_t after;

	/* priority list: entry order */
	t->p_prev = p->tail;
	t->p_next = -1;
	if (p->tail >= 0)
		T(p->tail)->p_next = ti;
	else
		p->head = ti;
	p->tail = ti;
	/* creation-time list: moved tasks may be older than the tail */
	after = q->wait_tail;
	while (after >= 0 && T(after)->created > t->created)
		after = T(after)->w_prev;
	t->w_prev = after;
	t->w_next = after >= 0 ? T(after)->w_next : q->wait_head;
	if (t->w_next >= 0)
		T(t->w_next)->w_prev = ti;
	else
		q->wait_tail = ti;
	if (after >= 0)
		T(after)->w_next = ti;
	else
		q->wait_head = ti;
}

static void unlink_waiting(struct sim_engine *e, int32_t ti)
{
	struct sim_task *t = T(ti);
	struct sim_queue *q = &e->queues[t->queue];
	struct sim_prio *p = prio_get(q, t->priority);

	if (t->p_prev >= 0)
		T(t->p_prev)->p_next = t->p_next;
	else
		p->head = t->p_next;
	if (t->p_next >= 0)
		T(t->p_next)->p_prev = t->p_prev;
	else
		p->tail = t->p_prev;
	if (t->w_prev >= 0)
		T(t->w_prev)->w_next = t->w_next;
	else
		q->wait_head = t->w_next;
	if (t->w_next >= 0)
		T(t->w_next)->w_prev = t->w_prev;
	else
		q->wait_tail = t->w_prev;
	t->p_prev = t->p_next = t->w_prev = t->w_next = -1;
}

static void record(struct sim_engine *e, int32_t qi, enum hist_kind kind, const struct sim_task *t)
{
	int64_t wait = 0, wait_q = 0;

	if (kind == H_RES_ACCEPTED || kind == H_CANCELED) {
		wait = e->now - t->created;
		wait_q = e->now - t->entered;
	}
	hist_add(&e->queues[qi].hist, e->now, kind, t->channel, wait, wait_q);
}

/* A task's event in the workspace's recent events. */
static struct sim_ev *task_event(struct sim_engine *e, enum ev_kind kind, const struct sim_task *t)
{
	struct sim_ev *ev = events_add(&e->recent, e->now, kind);

	ev->task_id = t->id;
	ev->queue = t->queue;
	ev->channel = (uint8_t)t->channel;
	ev->priority = t->priority;
	return ev;
}

/* A reservation event: in the task's queue history, the worker's log and
 * the recent events. */
static void record_res(struct sim_engine *e, enum hist_kind kind, const struct sim_task *t, uint32_t wi,
		       uint64_t res_id)
{
	static const enum wlog_kind wkind[H_N] = {
		[H_RES_CREATED] = WL_RES_CREATED, [H_RES_ACCEPTED] = WL_RES_ACCEPTED,
		[H_RES_REJECTED] = WL_RES_REJECTED, [H_RES_TIMED_OUT] = WL_RES_TIMED_OUT,
		[H_RES_CANCELED] = WL_RES_CANCELED, [H_RES_RESCINDED] = WL_RES_RESCINDED,
	};
	static const enum ev_kind ekind[H_N] = {
		[H_RES_CREATED] = EVK_RES_CREATED, [H_RES_ACCEPTED] = EVK_RES_ACCEPTED,
		[H_RES_REJECTED] = EVK_RES_REJECTED, [H_RES_TIMED_OUT] = EVK_RES_TIMEOUT,
		[H_RES_CANCELED] = EVK_RES_CANCELED, [H_RES_RESCINDED] = EVK_RES_RESCINDED,
	};
	struct sim_ev *ev;

	record(e, t->queue, kind, t);
	worker_log(e, wi, wkind[kind], (unsigned)t->channel);
	ev = task_event(e, ekind[kind], t);
	ev->worker = (int32_t)wi;
	ev->res_id = res_id;
}

static void task_enter(struct sim_engine *e, int32_t ti, int32_t qi)
{
	struct sim_task *t = T(ti);
	struct sim_queue *q = &e->queues[qi];

	t->queue = qi;
	t->entered = t->updated = e->now;
	t->status = TS_PENDING;
	q->by_status[TS_PENDING]++;
	q->by_channel_status[t->channel * TS_N_LIVE + TS_PENDING]++;
	prio_get(q, t->priority)->n_live++;
	t->l_prev = q->live_tail;
	t->l_next = -1;
	if (q->live_tail >= 0)
		T(q->live_tail)->l_next = ti;
	else
		q->live_head = ti;
	q->live_tail = ti;
	link_waiting(e, ti);
	record(e, qi, H_ENTERED, t);
	task_event(e, EVK_QUEUE_ENTERED, t);
	if (q->overflow_to >= 0)
		heap_push(&e->heap, e->now + ms(q->overflow_after_s), EV_OVERFLOW, (uint32_t)ti, t->stamp);
}

static void task_leave(struct sim_engine *e, int32_t ti, enum hist_kind kind)
{
	struct sim_task *t = T(ti);
	struct sim_queue *q = &e->queues[t->queue];

	record(e, t->queue, kind, t);
	if (kind != H_MOVED)
		task_event(e, kind == H_CANCELED ? EVK_TASK_CANCELED : kind == H_DELETED ? EVK_TASK_DELETED :
			   EVK_TASK_COMPLETED, t);
	if (waiting(t))
		unlink_waiting(e, ti);
	if (t->l_prev >= 0)
		T(t->l_prev)->l_next = t->l_next;
	else
		q->live_head = t->l_next;
	if (t->l_next >= 0)
		T(t->l_next)->l_prev = t->l_prev;
	else
		q->live_tail = t->l_prev;
	q->by_status[t->status]--;
	q->by_channel_status[t->channel * TS_N_LIVE + t->status]--;
	prio_get(q, t->priority)->n_live--;
	t->l_prev = t->l_next = -1;
}

static int32_t task_alloc(struct sim_engine *e)
{
	int32_t ti;

	if (e->task_free >= 0) {
		ti = e->task_free;
		e->task_free = T(ti)->free_next;
	} else {
		if (e->n_tasks == e->cap_tasks) {
			e->cap_tasks = e->cap_tasks ? e->cap_tasks * 2 : 1024;
			e->tasks = xreallocarray(e->tasks, e->cap_tasks, sizeof *e->tasks);
		}
		ti = (int32_t)e->n_tasks++;
		T(ti)->stamp = 0;
	}
	uint32_t stamp = T(ti)->stamp;
	*T(ti) = (struct sim_task){ .id = e->next_task_id++, .stamp = stamp, .used = true,
				    .queue = -1, .res_head = -1, .worker = -1,
				    .p_prev = -1, .p_next = -1, .w_prev = -1, .w_next = -1,
				    .l_prev = -1, .l_next = -1, .free_next = -1 };
	e->tasks_live++;
	return ti;
}

static void task_release(struct sim_engine *e, int32_t ti)
{
	struct sim_task *t = T(ti);

	t->used = false;
	t->stamp++;
	t->free_next = e->task_free;
	e->task_free = ti;
	e->tasks_live--;
}

void engine_task_sid(const struct sim_engine *e, const struct sim_task *t, char out[SIM_SID_LEN])
{
	engine_task_id_sid(e, t->id, out);
}

void engine_task_id_sid(const struct sim_engine *e, uint64_t id, char out[SIM_SID_LEN])
{
	sim_sid(out, "WT", e->seed, K_TASK, id);
}

/* Task SIDs are hashes of their ids: a lookup derives every live task's
 * SID (the route is not a hot path; live tasks are at most tens of
 * thousands). */
int engine_find_task(const struct sim_engine *e, const char *sid)
{
	char s[SIM_SID_LEN];

	if (!sid || strlen(sid) != SIM_SID_LEN - 1 || strncmp(sid, "WT", 2) != 0)
		return -1;
	for (size_t i = 0; i < e->n_tasks; i++) {
		if (!e->tasks[i].used)
			continue;
		engine_task_sid(e, &e->tasks[i], s);
		if (strcmp(s, sid) == 0)
			return (int)i;
	}
	return -1;
}

void engine_event_sid(const struct sim_engine *e, uint64_t seq, char out[SIM_SID_LEN])
{
	sim_sid(out, "EV", e->seed, K_EVENT, seq);
}

void engine_res_sid(const struct sim_engine *e, uint64_t id, char out[SIM_SID_LEN])
{
	sim_sid(out, "WR", e->seed, K_RESERVATION, id);
}

/* ---- reservations and routing ------------------------------------------ */

static int32_t res_alloc(struct sim_engine *e)
{
	int32_t ri;

	if (e->res_free >= 0) {
		ri = e->res_free;
		e->res_free = e->res[ri].next;
	} else {
		if (e->n_res == e->cap_res) {
			e->cap_res = e->cap_res ? e->cap_res * 2 : 256;
			e->res = xreallocarray(e->res, e->cap_res, sizeof *e->res);
		}
		ri = (int32_t)e->n_res++;
		e->res[ri].stamp = 0;
	}
	e->res[ri].used = true;
	e->res[ri].next = -1;
	e->res[ri].id = e->next_res_id++;
	return ri;
}

static void res_release(struct sim_engine *e, int32_t ri)
{
	e->res[ri].used = false;
	e->res[ri].stamp++;
	e->res[ri].next = e->res_free;
	e->res_free = ri;
}

/* Detaches reservation ri from its task. */
static void res_unlink(struct sim_engine *e, int32_t ri)
{
	struct sim_task *t = T(e->res[ri].task);

	for (int32_t *p = &t->res_head; *p >= 0; p = &e->res[*p].next) {
		if (*p == ri) {
			*p = e->res[ri].next;
			break;
		}
	}
	t->n_res--;
}

static void create_res(struct sim_engine *e, int32_t ti, uint32_t wi)
{
	struct sim_task *t = T(ti);
	struct sim_queue *q = &e->queues[t->queue];
	struct sim_worker *w = &e->workers[wi];
	int32_t ri = res_alloc(e);
	struct sim_res *r = &e->res[ri];
	double u = rng_unit(&e->rng), delay;

	r->task = ti;
	r->worker = (int32_t)wi;
	r->created = e->now;
	if (u < e->beh.accept_p) {
		r->outcome = RES_ACCEPT;
		delay = rng_exp(&e->rng, e->beh.accept_delay_mean_s);
	} else if (u < e->beh.accept_p + e->beh.reject_p) {
		r->outcome = RES_REJECT;
		delay = rng_exp(&e->rng, e->beh.reject_delay_mean_s);
	} else {
		r->outcome = RES_TIMEOUT;
		delay = e->beh.reservation_timeout_s;
	}
	if (delay >= e->beh.reservation_timeout_s) {
		r->outcome = RES_TIMEOUT;
		delay = e->beh.reservation_timeout_s;
	}
	/* A reservation lasts at least a millisecond, so that reject and
	 * re-offer never loop without the clock moving. */
	if (delay < 0.001)
		delay = 0.001;
	r->next = t->res_head;
	t->res_head = ri;
	t->n_res++;
	if (t->status == TS_PENDING)
		set_status(e, t, TS_RESERVED);
	w->state = WS_RESERVED;
	w->res = ri;
	worker_set_activity(e, wi, w->base_activity,
			    q->reservation_activity >= 0 ? q->reservation_activity : -1);
	record_res(e, H_RES_CREATED, t, wi, r->id);
	heap_push(&e->heap, e->now + ms(delay), EV_RES, (uint32_t)ri, r->stamp);
}

static void route_task(struct sim_engine *e, int32_t ti)
{
	struct sim_task *t = T(ti);
	struct sim_queue *q = &e->queues[t->queue];

	while (waiting(t) && t->n_res < (uint32_t)q->max_reserved && q->idle_head >= 0)
		create_res(e, ti, q->edges[q->idle_head].worker);
}

static int32_t best_waiting(const struct sim_engine *e, const struct sim_queue *q)
{
	for (size_t i = 0; i < q->n_prios; i++) {
		const struct sim_prio *p = &q->prios[i];
		int32_t ti = q->lifo ? p->tail : p->head;

		while (ti >= 0) {
			const struct sim_task *t = &e->tasks[ti];
			if (t->n_res < (uint32_t)q->max_reserved)
				return ti;
			ti = q->lifo ? t->p_prev : t->p_next;
		}
	}
	return -1;
}

static bool better(const struct sim_task *a, const struct sim_task *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	if (a->created != b->created)
		return a->created < b->created;
	return a->id < b->id;
}

static void route_worker(struct sim_engine *e, uint32_t wi)
{
	struct sim_worker *w = &e->workers[wi];
	int32_t best = -1;

	if (!w->in_idle)
		return;
	for (uint32_t i = 0; i < w->n_qlinks; i++) {
		int32_t ti = best_waiting(e, &e->queues[w->qlinks[i].q]);
		if (ti >= 0 && (best < 0 || better(T(ti), T(best))))
			best = ti;
	}
	if (best >= 0)
		create_res(e, best, wi);
}

/* A worker whose reservation ended without an assignment, or whose task
 * completed, is free again. */
static void worker_free(struct sim_engine *e, uint32_t wi)
{
	struct sim_worker *w = &e->workers[wi];

	w->state = WS_IDLE;
	w->res = -1;
	w->task = -1;
	worker_set_activity(e, wi, w->base_activity, -1);
	if (w->leave_pending && e->activities[w->base_activity].available)
		worker_leave(e, wi);
	w->leave_pending = false;
}

/* Ends every reservation of a task that leaves (canceled, deleted, moved),
 * recording kind; the freed workers are routed by the caller. */
static size_t cancel_reservations(struct sim_engine *e, int32_t ti, enum hist_kind kind, uint32_t **freed)
{
	struct sim_task *t = T(ti);
	size_t n = 0;

	*freed = t->n_res ? xcalloc(t->n_res, sizeof **freed) : NULL;
	while (t->res_head >= 0) {
		int32_t ri = t->res_head;
		uint32_t wi = (uint32_t)e->res[ri].worker;
		record_res(e, kind, t, wi, e->res[ri].id);
		res_unlink(e, ri);
		res_release(e, ri);
		worker_free(e, wi);
		(*freed)[n++] = wi;
	}
	if (t->status == TS_RESERVED)
		set_status(e, t, TS_PENDING);
	return n;
}

static void route_workers(struct sim_engine *e, uint32_t *ws, size_t n)
{
	for (size_t i = 0; i < n; i++)
		route_worker(e, ws[i]);
	free(ws);
}

/* ---- events ------------------------------------------------------------- */

static double queue_rate_max(const struct sim_queue *q)
{
	return q->rate_per_min * (1 + q->wave_amplitude);
}

static void schedule_arrival(struct sim_engine *e, uint32_t qi)
{
	struct sim_queue *q = &e->queues[qi];
	double max = queue_rate_max(q);

	if (q->deleted || max <= 0)
		return;
	heap_push(&e->heap, e->now + ms(rng_exp(&e->rng, 60.0 / max)), EV_ARRIVAL, qi, q->arrival_stamp);
}

static void create_task(struct sim_engine *e, uint32_t qi)
{
	struct sim_queue *q = &e->queues[qi];
	int32_t ti = task_alloc(e);
	struct sim_task *t = T(ti);

	t->channel = (int)rng_pick(&e->rng, q->channel_weights, e->n_channels);
	t->priority = q->priorities[rng_pick(&e->rng, q->priority_weights, q->n_priorities)];
	t->created = e->now;
	t->origin = (int32_t)qi;
	heap_push(&e->heap, e->now + ms(rng_exp(&e->rng, e->channels[t->channel].patience_mean_s)),
		  EV_PATIENCE, (uint32_t)ti, t->stamp);
	if (rng_unit(&e->rng) < e->beh.delete_p)
		heap_push(&e->heap, e->now + ms(rng_exp(&e->rng, e->beh.delete_after_mean_s)),
			  EV_DELETE, (uint32_t)ti, t->stamp);
	t->queue = (int32_t)qi;
	task_event(e, EVK_TASK_CREATED, t);
	task_enter(e, ti, (int32_t)qi);
	route_task(e, ti);
}

static void on_arrival(struct sim_engine *e, uint32_t qi)
{
	struct sim_queue *q = &e->queues[qi];
	double max = queue_rate_max(q);
	double phase = (double)(e->now - e->start) / 1000.0 / q->wave_period_s + q->wave_phase;
	double rate = q->rate_per_min * (1 + q->wave_amplitude * sin(2 * M_PI * phase));

	/* Thinning gives the time-varying (wave) Poisson process. */
	if (rng_unit(&e->rng) * max < rate)
		create_task(e, qi);
	schedule_arrival(e, qi);
}

/* The task leaves its queue for good (canceled or deleted while waiting). */
static void task_drop(struct sim_engine *e, int32_t ti, enum hist_kind kind)
{
	uint32_t *freed;
	size_t n = cancel_reservations(e, ti, H_RES_CANCELED, &freed);

	task_leave(e, ti, kind);
	task_release(e, ti);
	route_workers(e, freed, n);
}

static void on_overflow(struct sim_engine *e, int32_t ti, int64_t due)
{
	struct sim_task *t = T(ti);
	struct sim_queue *q = &e->queues[t->queue];
	uint32_t *freed;
	size_t n;

	if (!waiting(t) || q->overflow_to < 0 || t->entered + ms(q->overflow_after_s) != due ||
	    e->queues[q->overflow_to].deleted)
		return;
	n = cancel_reservations(e, ti, H_RES_CANCELED, &freed);
	task_event(e, EVK_QUEUE_MOVED, t)->queue2 = q->overflow_to;
	task_leave(e, ti, H_MOVED);
	task_enter(e, ti, q->overflow_to);
	route_task(e, ti);
	route_workers(e, freed, n);
}

static void on_res(struct sim_engine *e, int32_t ri)
{
	const struct sim_res *r = &e->res[ri];
	enum res_outcome outcome = r->outcome;
	int32_t ti = r->task;
	uint32_t wi = (uint32_t)r->worker;
	struct sim_task *t = T(ti);
	struct sim_queue *q = &e->queues[t->queue];
	struct sim_worker *w = &e->workers[wi];
	uint32_t *freed;
	size_t n;

	switch (outcome) {
	case RES_ACCEPT:
		record_res(e, H_RES_ACCEPTED, t, wi, r->id);
		t->res_id = r->id;
		t->res_created = r->created;
		res_unlink(e, ri);
		res_release(e, ri);
		n = cancel_reservations(e, ti, H_RES_RESCINDED, &freed);
		unlink_waiting(e, ti);
		set_status(e, t, TS_ASSIGNED);
		t->worker = (int32_t)wi;
		w->state = WS_BUSY;
		w->res = -1;
		w->task = ti;
		worker_set_activity(e, wi, w->base_activity,
				    q->assignment_activity >= 0 ? q->assignment_activity : -1);
		heap_push(&e->heap, e->now + ms(rng_exp(&e->rng, e->channels[t->channel].talk_mean_s)),
			  EV_TALK_END, (uint32_t)ti, t->stamp);
		route_workers(e, freed, n);
		return;
	case RES_REJECT:
	case RES_TIMEOUT:
		record_res(e, outcome == RES_REJECT ? H_RES_REJECTED : H_RES_TIMED_OUT, t, wi, r->id);
		res_unlink(e, ri);
		res_release(e, ri);
		if (t->n_res == 0)
			set_status(e, t, TS_PENDING);
		worker_free(e, wi);
		if (outcome == RES_TIMEOUT && e->beh.timeout_activity >= 0) {
			/* TaskRouter moves a worker who let a reservation time out
			 * to the workspace's timeout activity. */
			w->leave_pending = false;
			worker_set_activity(e, wi, e->beh.timeout_activity, -1);
			schedule_worker(e, wi);
		}
		route_task(e, ti);
		route_worker(e, wi);
		return;
	}
}

static void on_talk_end(struct sim_engine *e, int32_t ti)
{
	struct sim_task *t = T(ti);

	set_status(e, t, TS_WRAPPING);
	task_event(e, EVK_TASK_WRAPUP, t);
	e->workers[t->worker].state = WS_WRAPPING;
	heap_push(&e->heap, e->now + ms(rng_exp(&e->rng, e->channels[t->channel].wrap_mean_s)),
		  EV_WRAP_END, (uint32_t)ti, t->stamp);
}

static void on_wrap_end(struct sim_engine *e, int32_t ti)
{
	uint32_t wi = (uint32_t)T(ti)->worker;

	task_leave(e, ti, H_COMPLETED);
	task_release(e, ti);
	worker_free(e, wi);
	route_worker(e, wi);
}

static void on_worker(struct sim_engine *e, uint32_t wi)
{
	struct sim_worker *w = &e->workers[wi];

	if (e->activities[w->base_activity].available) {
		if (w->state != WS_IDLE)
			w->leave_pending = true;
		else
			worker_leave(e, wi);
		return;
	}
	worker_set_activity(e, wi, e->beh.return_activity, w->override_activity);
	schedule_worker(e, wi);
	route_worker(e, wi);
}

static bool task_event_valid(const struct sim_engine *e, const struct sim_event *ev)
{
	return ev->a < e->n_tasks && e->tasks[ev->a].used && e->tasks[ev->a].stamp == ev->stamp;
}

static void dispatch(struct sim_engine *e, const struct sim_event *ev)
{
	switch ((enum ev_type)ev->type) {
	case EV_ARRIVAL:
		if (!e->queues[ev->a].deleted && e->queues[ev->a].arrival_stamp == ev->stamp)
			on_arrival(e, ev->a);
		break;
	case EV_RES:
		if (e->res[ev->a].used && e->res[ev->a].stamp == ev->stamp)
			on_res(e, (int32_t)ev->a);
		break;
	case EV_PATIENCE:
		if (task_event_valid(e, ev) && waiting(T(ev->a)))
			task_drop(e, (int32_t)ev->a, H_CANCELED);
		break;
	case EV_DELETE:
		if (task_event_valid(e, ev) && waiting(T(ev->a)))
			task_drop(e, (int32_t)ev->a, H_DELETED);
		break;
	case EV_OVERFLOW:
		if (task_event_valid(e, ev))
			on_overflow(e, (int32_t)ev->a, ev->t);
		break;
	case EV_TALK_END:
		if (task_event_valid(e, ev))
			on_talk_end(e, (int32_t)ev->a);
		break;
	case EV_WRAP_END:
		if (task_event_valid(e, ev))
			on_wrap_end(e, (int32_t)ev->a);
		break;
	case EV_WORKER:
		if (e->workers[ev->a].act_stamp == ev->stamp)
			on_worker(e, ev->a);
		break;
	}
}

/* ---- history ------------------------------------------------------------ */

static void prune_all(struct sim_engine *e, int64_t kept_from)
{
	e->hist_kept_from = kept_from;
	e->hist_bytes = 0;
	for (size_t i = 0; i < e->n_queues; i++) {
		hist_prune(&e->queues[i].hist, kept_from);
		e->hist_bytes += e->queues[i].hist.bytes;
	}
	e->wlog_bytes = 0;
	for (size_t i = 0; i < e->n_workers; i++) {
		wlog_prune(&e->workers[i].log, e->start, kept_from);
		e->wlog_bytes += wlog_bytes(&e->workers[i].log);
	}
	e->hist_bytes += e->wlog_bytes;
}

/* The clock reached minute boundary b: fold and drop what is older than
 * 30 days in one pass over the queues (at scale the pass, not the work,
 * is what costs), then drop the oldest hours while over budget. */
static void history_tick(struct sim_engine *e, int64_t b)
{
	bool fold = e->hist_raw_ms != ENGINE_HIST_NO_FOLD && b - e->hist_raw_ms > e->hist_raw_from;

	if (fold)
		e->hist_raw_from = b - e->hist_raw_ms;
	if (b - ENGINE_HIST_KEEP_MS > e->hist_kept_from)
		e->hist_kept_from = b - ENGINE_HIST_KEEP_MS;
	e->hist_bytes = 0;
	for (size_t i = 0; i < e->n_queues; i++) {
		struct sim_hist *h = &e->queues[i].hist;
		if (fold)
			hist_fold(h, e->hist_raw_from, &e->hist_scratch);
		hist_prune(h, e->hist_kept_from);
		e->hist_bytes += h->bytes;
	}
	e->hist_bytes += e->wlog_bytes;
	while (e->hist_budget && e->hist_bytes > e->hist_budget) {
		int64_t oldest = hist_minute(e->start) * HIST_MINUTE_MS;
		int64_t next = (e->hist_kept_from > oldest ? e->hist_kept_from : oldest) + 60 * HIST_MINUTE_MS;

		if (e->hist_raw_from == INT64_MIN || next > e->hist_raw_from)
			break;	/* only raw records left: they stay */
		prune_all(e, next);
	}
}

void engine_set_history(struct sim_engine *e, int64_t raw_ms, size_t budget_bytes)
{
	if (raw_ms != ENGINE_HIST_NO_FOLD && (raw_ms < 0 || raw_ms % HIST_MINUTE_MS))
		die("history raw horizon %lld ms is not a whole number of minutes", (long long)raw_ms);
	e->hist_raw_ms = raw_ms;
	e->hist_budget = budget_bytes;
}

void engine_advance(struct sim_engine *e, int64_t to)
{
	struct sim_event ev;

	for (;;) {
		/* Events before the next boundary, then the boundary itself. */
		int64_t lim = to < e->hist_next - 1 ? to : e->hist_next - 1;
		while (heap_pop_due(&e->heap, lim, &ev)) {
			if (ev.t > e->now)
				e->now = ev.t;
			dispatch(e, &ev);
			e->events++;
		}
		if (e->hist_next > to)
			break;
		history_tick(e, e->hist_next);
		e->hist_next += HIST_MINUTE_MS;
	}
	if (to > e->now)
		e->now = to;
}

/* ---- construction ------------------------------------------------------- */

static void queue_init(struct sim_engine *e, uint32_t qi, const char *sid, const char *name,
		       const char *target, struct expr *ex)
{
	struct sim_queue *q = &e->queues[qi];

	memset(q, 0, sizeof *q);
	if (sid)
		snprintf(q->sid, sizeof q->sid, "%s", sid);
	else
		sim_sid(q->sid, "WQ", e->seed, K_QUEUE, qi);
	q->name = xstrdup(name);
	q->target_workers = xstrdup(target);
	q->expr = ex;
	q->max_reserved = 1;
	q->reservation_activity = q->assignment_activity = -1;
	q->date_created = q->date_updated = e->now;
	q->wave_period_s = 3600;
	q->channel_weights = xcalloc(e->n_channels, sizeof *q->channel_weights);
	q->channel_weights[0] = 1;
	q->priorities = xcalloc(1, sizeof *q->priorities);
	q->priority_weights = xcalloc(1, sizeof *q->priority_weights);
	q->priority_weights[0] = 1;
	q->n_priorities = 1;
	q->overflow_to = -1;
	q->idle_head = q->idle_tail = -1;
	q->wait_head = q->wait_tail = q->live_head = q->live_tail = -1;
	q->by_activity = xcalloc(e->n_activities, sizeof *q->by_activity);
	q->by_channel_status = xcalloc(e->n_channels * TS_N_LIVE, sizeof *q->by_channel_status);
	sim_hash_put(&e->queue_by_sid, q->sid, qi);
}

static uint32_t queue_append(struct sim_engine *e)
{
	if (e->n_queues == e->cap_queues) {
		e->cap_queues = e->cap_queues ? e->cap_queues * 2 : 16;
		e->queues = xreallocarray(e->queues, e->cap_queues, sizeof *e->queues);
	}
	return (uint32_t)e->n_queues++;
}

static struct expr *parse_or_die(const char *src)
{
	struct expr_error ee = { 0, NULL };
	struct expr *ex = expr_parse(src, &ee);

	if (!ex)
		die("TargetWorkers \"%s\" does not parse (col %d: %s)", src, ee.col, ee.msg ? ee.msg : "?");
	return ex;
}

struct sim_engine *engine_new(const struct sim_scenario *sc, uint64_t seed, int64_t start_ms, const char *account_sid)
{
	struct sim_engine *e = xcalloc(1, sizeof *e);

	e->seed = seed;
	rng_seed(&e->rng, seed);
	if (account_sid)
		snprintf(e->account_sid, sizeof e->account_sid, "%s", account_sid);
	else
		sim_sid(e->account_sid, "AC", seed, K_ACCOUNT, 0);
	if (sc->workspace_sid)
		snprintf(e->workspace_sid, sizeof e->workspace_sid, "%s", sc->workspace_sid);
	else
		sim_sid(e->workspace_sid, "WS", seed, K_WORKSPACE, 0);
	sim_sid(e->workflow_sid, "WW", seed, K_WORKFLOW, 0);
	e->workspace_name = xstrdup(sc->workspace_name);
	e->start = e->now = e->routing_updated = start_ms;
	e->hist_raw_ms = ENGINE_HIST_RAW_MS;
	e->hist_raw_from = e->hist_kept_from = INT64_MIN;
	e->hist_next = (hist_minute(start_ms) + 1) * HIST_MINUTE_MS;
	e->beh = sc->behaviour;
	e->task_free = e->res_free = -1;
	events_init(&e->recent, EVENTS_KEEP);

	e->n_activities = sc->n_activities;
	e->activities = xcalloc(e->n_activities, sizeof *e->activities);
	for (size_t i = 0; i < sc->n_activities; i++) {
		struct sim_activity *a = &e->activities[i];
		sim_sid(a->sid, "WA", seed, K_ACTIVITY, i);
		a->name = xstrdup(sc->activities[i].name);
		a->available = sc->activities[i].available;
		a->mean_s = sc->activities[i].mean_s;
		a->weight = sc->activities[i].weight;
		sim_hash_put(&e->activity_by_sid, a->sid, (int64_t)i);
	}
	e->n_channels = sc->n_channels;
	e->channels = xcalloc(e->n_channels, sizeof *e->channels);
	for (size_t i = 0; i < sc->n_channels; i++) {
		struct sim_channel *c = &e->channels[i];
		sim_sid(c->sid, "TC", seed, K_CHANNEL, i);
		c->name = xstrdup(sc->channels[i].name);
		c->talk_mean_s = sc->channels[i].talk_mean_s;
		c->wrap_mean_s = sc->channels[i].wrap_mean_s;
		c->patience_mean_s = sc->channels[i].patience_mean_s;
	}
	e->ws_by_activity = xcalloc(e->n_activities, sizeof *e->ws_by_activity);
	e->n_workers = sc->n_workers;
	e->workers = xcalloc(e->n_workers ? e->n_workers : 1, sizeof *e->workers);
	for (size_t i = 0; i < sc->n_workers; i++) {
		struct sim_worker *w = &e->workers[i];
		char *err = NULL;
		sim_sid(w->sid, "WK", seed, K_WORKER, i);
		w->name = xstrdup(sc->workers[i].name);
		w->attributes = xstrdup(sc->workers[i].attributes);
		w->attrs = json_parse(w->attributes, strlen(w->attributes), &err);
		if (!w->attrs)
			die("worker %s attributes: %s", w->name, err);
		w->base_activity = sc->workers[i].activity;
		w->override_activity = -1;
		w->res = w->task = -1;
		w->date_created = w->date_updated = w->date_status_changed = start_ms;
		wlog_init(&w->log, start_ms, (unsigned)w->base_activity);
		e->ws_by_activity[w->base_activity]++;
		build_fields(e, w);
		sim_hash_put(&e->worker_by_sid, w->sid, (int64_t)i);
	}
	elig_build_index(e);
	for (size_t i = 0; i < sc->n_queues; i++) {
		const struct sc_queue *s = &sc->queues[i];
		uint32_t qi = queue_append(e);
		struct sim_queue *q;

		queue_init(e, qi, s->sid, s->name, s->target_workers, parse_or_die(s->target_workers));
		q = &e->queues[qi];
		q->max_reserved = s->max_reserved;
		q->lifo = s->lifo;
		q->reservation_activity = s->reservation_activity;
		q->assignment_activity = s->assignment_activity;
		q->rate_per_min = s->rate_per_min;
		q->wave_amplitude = s->wave_amplitude;
		q->wave_period_s = s->wave_period_s;
		q->wave_phase = s->wave_phase;
		memcpy(q->channel_weights, s->channel_weights, e->n_channels * sizeof *q->channel_weights);
		free(q->priorities);
		free(q->priority_weights);
		q->n_priorities = s->n_priorities;
		q->priorities = xcalloc(s->n_priorities, sizeof *q->priorities);
		q->priority_weights = xcalloc(s->n_priorities, sizeof *q->priority_weights);
		memcpy(q->priorities, s->priorities, s->n_priorities * sizeof *q->priorities);
		memcpy(q->priority_weights, s->priority_weights, s->n_priorities * sizeof *q->priority_weights);
		q->overflow_to = s->overflow_to;
		q->overflow_after_s = s->overflow_after_s;
		elig_rebuild_queue(e, qi);
	}
	for (size_t i = 0; i < e->n_workers; i++) {
		elig_sync_idle(e, (uint32_t)i);
		schedule_worker(e, (uint32_t)i);
	}
	for (size_t i = 0; i < e->n_queues; i++)
		schedule_arrival(e, (uint32_t)i);
	return e;
}

static void queue_clear(struct sim_queue *q)
{
	free(q->name);
	free(q->target_workers);
	expr_free(&q->expr);
	free(q->channel_weights);
	free(q->priorities);
	free(q->priority_weights);
	free(q->edges);
	free(q->by_activity);
	free(q->by_channel_status);
	free(q->prios);
	hist_free(&q->hist);
}

void engine_free(struct sim_engine **pe)
{
	struct sim_engine *e = *pe;

	if (!e)
		return;
	for (size_t i = 0; i < e->n_queues; i++)
		queue_clear(&e->queues[i]);
	for (size_t i = 0; i < e->n_workers; i++) {
		struct sim_worker *w = &e->workers[i];
		free(w->name);
		free(w->attributes);
		yajl_tree_free(w->attrs);
		yajl_tree_free(w->fields);
		free(w->qlinks);
		wlog_free(&w->log);
	}
	free(e->ws_by_activity);
	for (size_t i = 0; i < e->n_activities; i++)
		free(e->activities[i].name);
	for (size_t i = 0; i < e->n_channels; i++)
		free(e->channels[i].name);
	elig_free_index(e);
	sim_hash_free(&e->worker_by_sid);
	sim_hash_free(&e->queue_by_sid);
	sim_hash_free(&e->activity_by_sid);
	heap_free(&e->heap);
	events_free(&e->recent);
	hist_scratch_free(&e->hist_scratch);
	free(e->queues);
	free(e->workers);
	free(e->activities);
	free(e->channels);
	free(e->tasks);
	free(e->res);
	free(e->workspace_name);
	free(e);
	*pe = NULL;
}

/* ---- lookups ------------------------------------------------------------ */

static int lookup(const struct sim_hash *h, const char *sid)
{
	int64_t v;

	return sid && sim_hash_get(h, sid, &v) ? (int)v : -1;
}

int engine_find_queue(const struct sim_engine *e, const char *sid)
{
	return lookup(&e->queue_by_sid, sid);
}

int engine_find_worker(const struct sim_engine *e, const char *sid)
{
	return lookup(&e->worker_by_sid, sid);
}

int engine_find_activity(const struct sim_engine *e, const char *sid)
{
	return lookup(&e->activity_by_sid, sid);
}

int engine_find_activity_name(const struct sim_engine *e, const char *name)
{
	for (size_t i = 0; i < e->n_activities; i++)
		if (strcmp(e->activities[i].name, name) == 0)
			return (int)i;
	return -1;
}

void engine_worker_channel_sid(const struct sim_engine *e, uint32_t wi, uint32_t ci, char out[SIM_SID_LEN])
{
	sim_sid(out, "WC", e->seed, K_WORKER_CHANNEL, (uint64_t)wi * e->n_channels + ci);
}

int engine_find_worker_channel(const struct sim_engine *e, uint32_t wi, const char *s)
{
	char sid[SIM_SID_LEN];

	for (size_t i = 0; i < e->n_channels; i++) {
		engine_worker_channel_sid(e, wi, (uint32_t)i, sid);
		if (strcmp(sid, s) == 0 || strcmp(e->channels[i].name, s) == 0)
			return (int)i;
	}
	return -1;
}

int engine_find_channel(const struct sim_engine *e, const char *s)
{
	for (size_t i = 0; i < e->n_channels; i++)
		if (strcmp(e->channels[i].sid, s) == 0 || strcmp(e->channels[i].name, s) == 0)
			return (int)i;
	return -1;
}

/* ---- queue edits -------------------------------------------------------- */

/* Routes the queue's waiting tasks, best first, while it has idle workers. */
static void route_queue(struct sim_engine *e, uint32_t qi)
{
	struct sim_queue *q = &e->queues[qi];

	for (size_t i = 0; i < q->n_prios && q->idle_head >= 0; i++) {
		int32_t ti = q->lifo ? q->prios[i].tail : q->prios[i].head;
		while (ti >= 0 && q->idle_head >= 0) {
			int32_t next = q->lifo ? T(ti)->p_prev : T(ti)->p_next;
			route_task(e, ti);
			ti = next;
			q = &e->queues[qi];
		}
	}
}

unsigned engine_queue_update(struct sim_engine *e, uint32_t qi, struct queue_edit *ed)
{
	struct sim_queue *q = &e->queues[qi];
	unsigned changed = 0;

	if (ed->friendly_name && strcmp(ed->friendly_name, q->name) != 0) {
		free(q->name);
		q->name = xstrdup(ed->friendly_name);
		changed |= QCHG_OTHER;
	}
	if (ed->max_reserved > 0 && ed->max_reserved != q->max_reserved) {
		q->max_reserved = ed->max_reserved;
		changed |= QCHG_OTHER;
	}
	if (ed->task_order >= 0 && (ed->task_order == 1) != q->lifo) {
		q->lifo = ed->task_order == 1;
		changed |= QCHG_OTHER;
	}
	if (ed->reservation_activity >= -1 && ed->reservation_activity != q->reservation_activity) {
		q->reservation_activity = ed->reservation_activity;
		changed |= QCHG_OTHER;
	}
	if (ed->assignment_activity >= -1 && ed->assignment_activity != q->assignment_activity) {
		q->assignment_activity = ed->assignment_activity;
		changed |= QCHG_OTHER;
	}
	if (ed->target_workers) {
		if (strcmp(ed->target_workers, q->target_workers) != 0) {
			free(q->target_workers);
			q->target_workers = xstrdup(ed->target_workers);
			expr_free(&q->expr);
			q->expr = ed->expr;
			ed->expr = NULL;
			elig_rebuild_queue(e, qi);
			changed |= QCHG_EXPR;
		}
	}
	expr_free(&ed->expr);
	q = &e->queues[qi];
	q->date_updated = e->now;
	route_queue(e, qi);
	return changed;
}

uint32_t engine_queue_create(struct sim_engine *e, struct queue_edit *ed)
{
	uint32_t qi = queue_append(e);
	struct sim_queue *q;

	if (!ed->expr)
		ed->expr = parse_or_die("1==1");
	queue_init(e, qi, NULL, ed->friendly_name, ed->target_workers ? ed->target_workers : "1==1", ed->expr);
	ed->expr = NULL;
	q = &e->queues[qi];
	if (ed->max_reserved > 0)
		q->max_reserved = ed->max_reserved;
	q->lifo = ed->task_order == 1;
	q->reservation_activity = ed->reservation_activity >= 0 ? ed->reservation_activity : -1;
	q->assignment_activity = ed->assignment_activity >= 0 ? ed->assignment_activity : -1;
	elig_rebuild_queue(e, qi);
	e->routing_updated = e->now;
	return qi;
}

void engine_queue_delete(struct sim_engine *e, uint32_t qi)
{
	struct sim_queue *q = &e->queues[qi];

	/* Unlinked first so that the freed workers are not routed back here;
	 * waiting tasks are deleted with the queue, tasks already assigned
	 * finish with their worker. */
	q->deleted = true;
	q->arrival_stamp++;
	e->routing_updated = e->now;
	elig_drop_queue(e, qi);
	while (q->wait_head >= 0)
		task_drop(e, q->wait_head, H_DELETED);
	for (size_t i = 0; i < e->n_queues; i++)
		if (e->queues[i].overflow_to == (int)qi)
			e->queues[i].overflow_to = -1;
}

void engine_queue_set_load(struct sim_engine *e, uint32_t qi, double rate)
{
	struct sim_queue *q = &e->queues[qi];

	q->rate_per_min = rate;
	q->arrival_stamp++;
	schedule_arrival(e, qi);
}

/* ---- self-check ----------------------------------------------------------- */

static bool bad(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool bad(char **err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*err = xvasprintf(fmt, ap);
	va_end(ap);
	return false;
}

static bool check_queue(const struct sim_engine *e, uint32_t qi, char **err)
{
	const struct sim_queue *q = &e->queues[qi];
	uint32_t st[TS_N_LIVE] = { 0 }, n_avail = 0, n_idle = 0;
	uint32_t *by_act = xcalloc(e->n_activities, sizeof *by_act);
	size_t n_wait = 0, n_wait2 = 0;
	bool ok = true;
	int64_t last = INT64_MIN;

	for (int32_t ti = q->live_head; ti >= 0; ti = e->tasks[ti].l_next) {
		const struct sim_task *t = &e->tasks[ti];
		uint32_t nr = 0;
		if (!t->used || t->queue != (int32_t)qi) {
			ok = bad(err, "%s: live list holds a foreign task", q->name);
			goto out;
		}
		st[t->status]++;
		for (int32_t ri = t->res_head; ri >= 0; ri = e->res[ri].next)
			nr++;
		if (nr != t->n_res || (t->status == TS_RESERVED) != (nr > 0)) {
			ok = bad(err, "%s: task %llu has %u reservations, n_res %u, status %d", q->name,
				 (unsigned long long)t->id, nr, t->n_res, t->status);
			goto out;
		}
		if (waiting(t))
			n_wait++;
	}
	for (int s = 0; s < TS_N_LIVE; s++) {
		if (st[s] != q->by_status[s]) {
			ok = bad(err, "%s: status %d counted %u, recount %u", q->name, s, q->by_status[s], st[s]);
			goto out;
		}
	}
	for (int32_t ti = q->wait_head; ti >= 0; ti = e->tasks[ti].w_next) {
		if (e->tasks[ti].created < last) {
			ok = bad(err, "%s: waiting list out of creation order", q->name);
			goto out;
		}
		last = e->tasks[ti].created;
		n_wait2++;
	}
	if (n_wait != n_wait2) {
		ok = bad(err, "%s: %zu waiting tasks, list holds %zu", q->name, n_wait, n_wait2);
		goto out;
	}
	for (uint32_t i = 0; i < q->n_edges; i++) {
		const struct sim_worker *w = &e->workers[q->edges[i].worker];
		by_act[engine_worker_activity(w)]++;
		if (engine_worker_available(e, w))
			n_avail++;
	}
	for (int32_t ei = q->idle_head; ei >= 0; ei = q->edges[ei].next) {
		const struct sim_worker *w = &e->workers[q->edges[ei].worker];
		if (!w->in_idle || w->state != WS_IDLE || !engine_worker_available(e, w)) {
			ok = bad(err, "%s: idle list holds busy worker %s", q->name, w->name);
			goto out;
		}
		n_idle++;
	}
	if (n_avail != q->n_available || n_idle != q->n_idle) {
		ok = bad(err, "%s: available %u/%u idle %u/%u", q->name, q->n_available, n_avail, q->n_idle, n_idle);
		goto out;
	}
	for (size_t a = 0; a < e->n_activities; a++) {
		if (by_act[a] != q->by_activity[a]) {
			ok = bad(err, "%s: activity %s counted %u, recount %u", q->name,
				 e->activities[a].name, q->by_activity[a], by_act[a]);
			goto out;
		}
	}
	if (q->n_available > q->n_edges) {
		ok = bad(err, "%s: more available than eligible workers", q->name);
		goto out;
	}
	/* Routing is complete: no idle worker while a task could be offered. */
	if (q->idle_head >= 0 && best_waiting(e, q) >= 0)
		ok = bad(err, "%s: an idle worker and a routable task coexist", q->name);
out:
	free(by_act);
	return ok;
}

static bool check_worker(const struct sim_engine *e, const struct sim_worker *w, char **err)
{
	bool idle = w->state == WS_IDLE && engine_worker_available(e, w);
	char *werr;

	if (idle != w->in_idle)
		return bad(err, "worker %s: in_idle %d but idle %d", w->name, w->in_idle, idle);
	if ((w->state == WS_RESERVED) != (w->res >= 0))
		return bad(err, "worker %s: state %d with reservation %d", w->name, w->state, w->res);
	if ((w->state == WS_BUSY || w->state == WS_WRAPPING) != (w->task >= 0))
		return bad(err, "worker %s: state %d with task %d", w->name, w->state, w->task);
	if ((werr = wlog_check(&w->log, e->start)) != NULL) {
		bad(err, "worker %s log: %s", w->name, werr);
		free(werr);
		return false;
	}
	if (wlog_last_activity(&w->log) != (unsigned)engine_worker_activity(w))
		return bad(err, "worker %s: log ends in activity %u, worker is in %d", w->name,
			   wlog_last_activity(&w->log), engine_worker_activity(w));
	return true;
}

bool engine_check(const struct sim_engine *e, char **err)
{
	uint32_t *by_act;
	size_t wbytes = 0;
	bool ok = true;

	for (size_t i = 0; i < e->n_queues; i++) {
		char *herr;
		if (!e->queues[i].deleted && !check_queue(e, (uint32_t)i, err))
			return false;
		if ((herr = hist_check(&e->queues[i].hist, e->hist_raw_from)) != NULL) {
			bad(err, "queue %s history: %s", e->queues[i].name, herr);
			free(herr);
			return false;
		}
	}
	by_act = xcalloc(e->n_activities, sizeof *by_act);
	for (size_t i = 0; i < e->n_workers && ok; i++) {
		const struct sim_worker *w = &e->workers[i];
		ok = check_worker(e, w, err);
		by_act[engine_worker_activity(w)]++;
		wbytes += wlog_bytes(&w->log);
	}
	for (size_t a = 0; a < e->n_activities && ok; a++)
		if (by_act[a] != e->ws_by_activity[a])
			ok = bad(err, "activity %s: %u workers counted, recount %u", e->activities[a].name,
				 e->ws_by_activity[a], by_act[a]);
	if (ok && wbytes != e->wlog_bytes)
		ok = bad(err, "worker logs hold %zu bytes, counted %zu", wbytes, e->wlog_bytes);
	free(by_act);
	return ok;
}
