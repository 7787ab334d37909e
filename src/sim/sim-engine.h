/* sim-engine: the simulated TaskRouter workspace (activities, workers,
 * TaskQueues, tasks, reservations) and its discrete-event clock.
 *
 * Contract:
 *  - engine_new() builds the workspace from a scenario and a seed; SIDs,
 *    worker attributes and the whole task history depend only on (scenario,
 *    seed, start time): the same inputs give the same history, whatever the
 *    granularity of engine_advance() calls.
 *  - Time is simulated milliseconds since the Unix epoch; engine_advance()
 *    processes every event due at or before `to` and never moves the clock
 *    backwards.  It runs synchronously and never blocks on I/O.
 *  - Routing follows TaskRouter: a waiting task is reserved to up to
 *    MaxReservedWorkers idle workers that match the queue's TargetWorkers
 *    and sit in an available activity, longest idle first; when a worker
 *    frees up it gets the highest-priority task of its queues (FIFO or LIFO
 *    by the queue's TaskOrder).  A queue's eligible workers are computed
 *    when the queue is created or its TargetWorkers change (a snapshot: an
 *    expression on activity_name is evaluated at that moment), through an
 *    attribute index so that start-up stays near-linear in the workspace
 *    size.  Editing a queue changes routing from that moment.
 *  - Every change is recorded in the queue's history (sim-hist.h), every
 *    activity change and reservation of a worker in its log (sim-wlog.h),
 *    and the real-time counters are kept incrementally; nothing is
 *    invented at query time.  Counters never go negative: engine_check() verifies them
 *    against a recount (tests call it).
 *  - History is bounded: when the clock reaches a minute boundary B (before
 *    any event at B), the events before B - hist_raw_ms are folded into
 *    per-minute blocks (hist_raw_from moves to that boundary), minutes
 *    older than 30 days are dropped, and when all histories together hold
 *    more than hist_budget bytes (worker logs included) the oldest hour of
 *    blocks and log entries is dropped, again
 *    until they fit or only raw records are left (hist_kept_from moves; it
 *    is a minute boundary).  This happens at the same boundaries whatever
 *    the granularity of engine_advance(), so the stored history stays a
 *    function of (scenario, seed, start time, policy).
 *  - Deleted queues keep their slot and SID (queue->deleted) and are
 *    never routed to.  Structures are read-only outside the engine.
 */
#ifndef TQ_SIM_ENGINE_H
#define TQ_SIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

#include "sim-events.h"
#include "sim-hash.h"
#include "sim-heap.h"
#include "sim-hist.h"
#include "sim-rng.h"
#include "sim-scenario.h"
#include "sim-wlog.h"

struct expr;

enum task_status {
	TS_PENDING,
	TS_RESERVED,
	TS_ASSIGNED,
	TS_WRAPPING,
	TS_N_LIVE
};

/* The statuses as the API names them (assignment_status, the keys of
 * tasks_by_status), then the two a task ends in, which tqsim does not
 * keep: "canceled" and "completed". */
#define TS_N_NAMES (TS_N_LIVE + 2)
extern const char *const task_status_names[TS_N_NAMES];

enum worker_state {
	WS_IDLE,
	WS_RESERVED,
	WS_BUSY,
	WS_WRAPPING
};

struct sim_activity {
	char sid[SIM_SID_LEN];
	char *name;
	bool available;
	double mean_s;
	double weight;
};

struct sim_channel {
	char sid[SIM_SID_LEN];
	char *name;
	double talk_mean_s, wrap_mean_s, patience_mean_s;
};

/* A worker's membership of a queue: queue index and edge index in it. */
struct sim_qlink {
	uint32_t q;
	uint32_t edge;
};

struct sim_worker {
	char sid[SIM_SID_LEN];
	char *name;
	char *attributes;		/* JSON text, as the API returns it */
	yajl_val attrs;			/* parsed attributes */
	yajl_val fields;		/* {sid, friendly_name, activity_sid, activity_name} */
	int base_activity;		/* what the agent chose */
	int override_activity;		/* queue's reservation/assignment activity, or -1 */
	enum worker_state state;
	bool in_idle;			/* linked into its queues' idle lists */
	bool leave_pending;		/* leaves its available activity once free */
	uint32_t act_stamp;
	int32_t res;			/* reservation held, or -1 */
	int32_t task;			/* task assigned, or -1 */
	int64_t idle_since;
	int64_t date_created, date_updated, date_status_changed;
	struct sim_qlink *qlinks;
	uint32_t n_qlinks, cap_qlinks;
	struct sim_wlog log;		/* activities and reservations (sim-wlog.h) */
};

/* An eligible worker of a queue; idle ones are linked longest-idle first. */
struct sim_edge {
	uint32_t worker;
	int32_t prev, next;
};

/* Tasks of one priority in a queue. */
struct sim_prio {
	int prio;
	uint32_t n_live;		/* tasks in the queue with this priority */
	int32_t head, tail;		/* waiting tasks, in entry order */
};

struct sim_queue {
	char sid[SIM_SID_LEN];
	char *name;
	char *target_workers;
	struct expr *expr;
	int max_reserved;
	bool lifo;
	bool deleted;
	int reservation_activity;	/* -1: none */
	int assignment_activity;
	int64_t date_created, date_updated;
	/* load */
	double rate_per_min, wave_amplitude, wave_period_s, wave_phase;
	double *channel_weights;
	int *priorities;
	double *priority_weights;
	size_t n_priorities;
	int overflow_to;
	double overflow_after_s;
	uint32_t arrival_stamp;
	/* eligibility */
	struct sim_edge *edges;
	uint32_t n_edges, cap_edges;
	int32_t idle_head, idle_tail;
	uint32_t n_idle;
	uint32_t n_available;		/* eligible workers in an available activity */
	uint32_t *by_activity;		/* eligible workers per activity */
	/* tasks in the queue */
	uint32_t by_status[TS_N_LIVE];
	uint32_t *by_channel_status;	/* [channel * TS_N_LIVE + status] */
	struct sim_prio *prios;		/* sorted by priority, highest first */
	size_t n_prios;
	int32_t wait_head, wait_tail;	/* waiting tasks by creation time */
	int32_t live_head, live_tail;	/* all tasks in the queue, entry order */
	struct sim_hist hist;
};

struct sim_task {
	uint64_t id;
	uint32_t stamp;
	bool used;
	enum task_status status;
	int32_t queue;
	int priority;
	int channel;
	int64_t created, entered;
	int64_t updated;		/* last status change */
	int32_t origin;			/* the queue it was created in */
	uint64_t res_id;		/* the accepted reservation (assigned, wrapping) */
	int64_t res_created;
	uint32_t n_res;
	int32_t res_head;		/* reservations, linked by sim_res.next */
	int32_t worker;
	size_t prio_slot;
	int32_t p_prev, p_next;		/* queue->prios[prio_slot] waiting list */
	int32_t w_prev, w_next;		/* queue waiting list by creation */
	int32_t l_prev, l_next;		/* queue live list */
	int32_t free_next;
};

enum res_outcome { RES_ACCEPT, RES_REJECT, RES_TIMEOUT };

struct sim_res {
	uint64_t id;			/* for its SID */
	uint32_t stamp;
	bool used;
	enum res_outcome outcome;
	int32_t task, worker;
	int32_t next;			/* next reservation of the same task / free list */
	int64_t created;
};

struct sim_engine {
	uint64_t seed;
	struct sim_rng rng;
	char account_sid[SIM_SID_LEN];
	char workspace_sid[SIM_SID_LEN];
	/* The workspace's one Workflow (tqsim(1): it routes each task to the
	 * queue it was created for, and on to its overflow queue). */
	char workflow_sid[SIM_SID_LEN];
	char *workspace_name;
	int64_t start;			/* history starts here */
	int64_t now;
	struct sc_behaviour beh;
	struct sim_activity *activities;
	size_t n_activities;
	struct sim_channel *channels;
	size_t n_channels;
	struct sim_worker *workers;
	size_t n_workers;
	struct sim_queue *queues;
	size_t n_queues, cap_queues;
	struct sim_hash worker_by_sid, queue_by_sid, activity_by_sid;
	struct sim_task *tasks;
	size_t n_tasks, cap_tasks;
	int32_t task_free;
	uint64_t next_task_id;
	uint64_t next_res_id;
	struct sim_events recent;	/* the most recent events (sim-events.h) */
	int64_t routing_updated;	/* last queue created or deleted */
	struct sim_res *res;
	size_t n_res, cap_res;
	int32_t res_free;
	struct sim_heap heap;
	/* attribute index for eligibility (sim-elig.c) */
	struct sim_hash attr_index;
	struct sim_posting *postings;
	size_t n_postings, cap_postings;
	uint32_t *ws_by_activity;	/* all workers, per displayed activity */
	size_t wlog_bytes;		/* all worker logs */
	uint64_t events;		/* processed so far */
	uint64_t tasks_live;
	/* history policy and state (see the contract above) */
	int64_t hist_raw_ms;		/* ENGINE_HIST_NO_FOLD: never fold */
	size_t hist_budget;		/* 0: no limit but the 30 days */
	int64_t hist_raw_from;		/* INT64_MIN until the first fold */
	int64_t hist_kept_from;		/* INT64_MIN until something is dropped */
	int64_t hist_next;		/* next minute boundary */
	size_t hist_bytes;		/* all histories and worker logs, as of the last boundary */
	struct hist_scratch hist_scratch;
};

#define ENGINE_HIST_RAW_MS (60 * HIST_MINUTE_MS)
#define ENGINE_HIST_KEEP_MS (30LL * 24 * 60 * HIST_MINUTE_MS)
#define ENGINE_HIST_NO_FOLD INT64_MAX

struct sim_posting {
	uint32_t *v;
	uint32_t n, cap;
};

/* Builds the workspace; history starts at start_ms.  account_sid NULL:
 * derived from the seed. */
struct sim_engine *engine_new(const struct sim_scenario *sc, uint64_t seed, int64_t start_ms, const char *account_sid);
void engine_free(struct sim_engine **e);
/* The history policy, before the first engine_advance(): events stay raw
 * (exact to the ms) for raw_ms, a whole number of minutes (default
 * ENGINE_HIST_RAW_MS; ENGINE_HIST_NO_FOLD keeps everything raw, as tests
 * do for a reference); budget_bytes caps the memory of all histories
 * (default 0: only the 30 days bound them). */
void engine_set_history(struct sim_engine *e, int64_t raw_ms, size_t budget_bytes);
void engine_advance(struct sim_engine *e, int64_t to_ms);

/* Lookups by SID: index or -1 (deleted queues are found, check ->deleted). */
int engine_find_queue(const struct sim_engine *e, const char *sid);
int engine_find_worker(const struct sim_engine *e, const char *sid);
int engine_find_activity(const struct sim_engine *e, const char *sid);
int engine_find_activity_name(const struct sim_engine *e, const char *name);
/* A TaskChannel given as TC... SID or unique name; -1 when unknown. */
int engine_find_channel(const struct sim_engine *e, const char *s);

void engine_task_sid(const struct sim_engine *e, const struct sim_task *t, char out[SIM_SID_LEN]);
/* The same from a task's id (tasks that are gone keep their SID). */
void engine_task_id_sid(const struct sim_engine *e, uint64_t id, char out[SIM_SID_LEN]);
/* A live task by SID (index or -1: unknown, or no longer live). */
int engine_find_task(const struct sim_engine *e, const char *sid);
/* The EV... SID of event seq. */
void engine_event_sid(const struct sim_engine *e, uint64_t seq, char out[SIM_SID_LEN]);
/* The WR... SID of reservation id. */
void engine_res_sid(const struct sim_engine *e, uint64_t id, char out[SIM_SID_LEN]);
/* Worker wi's WorkerChannel for TaskChannel ci: its WC... SID, and the
 * channel of a WorkerChannel given by SID or TaskChannel unique name. */
void engine_worker_channel_sid(const struct sim_engine *e, uint32_t wi, uint32_t ci, char out[SIM_SID_LEN]);
int engine_find_worker_channel(const struct sim_engine *e, uint32_t wi, const char *s);
int engine_worker_activity(const struct sim_worker *w);
bool engine_worker_available(const struct sim_engine *e, const struct sim_worker *w);

/* Queue edits: fields left at their "unchanged" value are not touched. */
struct queue_edit {
	const char *friendly_name;	/* NULL: unchanged */
	const char *target_workers;	/* NULL: unchanged (expr then holds its parse) */
	struct expr *expr;		/* taken over by the engine */
	int max_reserved;		/* 0: unchanged */
	int task_order;			/* -1: unchanged, 0 FIFO, 1 LIFO */
	int reservation_activity;	/* -2: unchanged, -1: none */
	int assignment_activity;	/* -2: unchanged, -1: none */
};

#define QUEUE_EDIT_INIT { NULL, NULL, NULL, 0, -1, -2, -2 }

enum {
	QCHG_EXPR = 1,		/* TargetWorkers changed */
	QCHG_OTHER = 2,		/* another field changed */
};

unsigned engine_queue_update(struct sim_engine *e, uint32_t qi, struct queue_edit *ed);
/* FriendlyName must be set; returns the new queue's index. */
uint32_t engine_queue_create(struct sim_engine *e, struct queue_edit *ed);
void engine_queue_delete(struct sim_engine *e, uint32_t qi);
/* Tasks per minute (>= 0); the wave of the scenario is kept. */
void engine_queue_set_load(struct sim_engine *e, uint32_t qi, double rate_per_min);

/* Recounts every incremental counter and list; returns false with *err set
 * (caller frees) on the first mismatch. */
bool engine_check(const struct sim_engine *e, char **err);

/* sim-elig.c */
void elig_build_index(struct sim_engine *e);
void elig_free_index(struct sim_engine *e);
/* Recomputes queue qi's eligible workers and its worker counters. */
void elig_rebuild_queue(struct sim_engine *e, uint32_t qi);
/* Unlinks queue qi from all its workers (queue deleted). */
void elig_drop_queue(struct sim_engine *e, uint32_t qi);
/* Adds / removes a worker to / from its queues' idle lists as its state
 * requires (idle and in an available activity). */
void elig_sync_idle(struct sim_engine *e, uint32_t wi);
/* Worker wi's displayed activity changes from old to new: counters. */
void elig_activity_changed(struct sim_engine *e, uint32_t wi, int old_act, int new_act);
/* True when worker wi matches expression ex (attributes then fields). */
bool elig_matches(const struct sim_engine *e, const struct expr *ex, uint32_t wi);

#endif
