/* sim-stats: TaskQueue statistics computed from the engine's state and
 * recorded history (PROTOCOL.md section 3), never invented.
 *
 * Definitions (documented in tqsim(1)):
 *  - In the queue: tasks pending, reserved, assigned or wrapping;
 *    total_tasks counts them.  Waiting: pending or reserved.
 *  - longest_task_waiting_*: the waiting task created earliest (age from
 *    creation); longest_relative_task_*: the waiting task that entered this
 *    queue earliest (age from entry; differs for tasks moved in).
 *  - total_eligible_workers: workers matching TargetWorkers, whatever their
 *    activity; total_available_workers: those of them in an available
 *    activity (busy or not).  So eligible >= available always.
 *  - A cumulative window [start, end) counts the events that happened in
 *    it.  Flow conservation holds for every window:
 *      in_queue(start) + tasks_entered
 *        = tasks_completed + tasks_canceled + tasks_deleted + tasks_moved
 *          + in_queue(end)
 *    (with in_queue(start) = 0 for a window that starts with the history,
 *    this is "entered = completed + canceled + deleted + moved + still in
 *    queue").
 *  - wait_duration_until_accepted: creation -> acceptance, over the
 *    reservations accepted in the window; ..._in_queue_until_accepted: queue
 *    entry -> acceptance; ..._until_canceled: creation -> cancel, over the
 *    tasks canceled in the window.  avg_task_acceptance_time is the average
 *    of the first.  SplitByWaitTime T: "below" counts waits <= T seconds,
 *    "above" waits > T.
 *  - TaskChannel restricts task and reservation figures to that channel;
 *    workers serve every channel, so worker figures are unchanged.
 *  - Window bounds and the bounded history (sim-engine.h): a bound at or
 *    after the engine's hist_raw_from is exact to the millisecond; a bound
 *    before it is taken as the start of its minute, so such a window counts
 *    [minute(start), minute(end)).  A start before hist_kept_from counts
 *    from hist_kept_from (callers refuse those windows: the events are
 *    gone).  start_ms / end_ms of the result are the bounds counted.
 *  - Workspace figures are the sums over every queue (deleted queues
 *    included: their tasks happened); a task moved between queues was
 *    created once, so tasks_created = entered - moved.  The longest
 *    waiting task is the one created earliest across all queues.
 *  - Worker figures come from the workers' logs (sim-wlog.h): reservations
 *    by outcome, and per activity the stints spent in it within the
 *    window (avg/min/max/total over the stints).  TaskChannel restricts
 *    the reservations only.  The same window bounds apply, so worker and
 *    queue reservation counts agree for every window.
 */
#ifndef TQ_SIM_STATS_H
#define TQ_SIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "sim-engine.h"
#include "sim-wlog.h"

struct sim_prio_count {
	int prio;
	uint32_t n;
};

struct sim_realtime {
	uint32_t total_eligible;
	uint32_t total_available;
	uint32_t total_tasks;
	uint32_t by_status[TS_N_LIVE];
	struct sim_prio_count *prios;	/* non-zero counts, highest priority first */
	size_t n_prios;
	const uint32_t *by_activity;	/* borrowed: queue's counters */
	int32_t longest_task;		/* task index or -1 */
	int64_t longest_age_s;
	int32_t longest_rel_task;
	int64_t longest_rel_age_s;
};

/* channel -1: all channels. */
void stats_realtime(const struct sim_engine *e, uint32_t qi, int channel, struct sim_realtime *out);
void stats_realtime_clear(struct sim_realtime *r);

struct sim_split {
	int64_t threshold_s;
	uint64_t canceled_below, canceled_above;
	uint64_t accepted_below, accepted_above;
};

struct sim_cumulative {
	int64_t start_ms, end_ms;
	uint64_t count[H_N];
	struct sim_dur until_accepted;
	struct sim_dur in_queue_until_accepted;
	struct sim_dur until_canceled;
	struct sim_split *splits;	/* in the order asked */
	size_t n_splits;
};

/* Events with start_ms <= t < end_ms; thresholds in seconds. */
void stats_cumulative(const struct sim_engine *e, uint32_t qi, int64_t start_ms, int64_t end_ms,
		      int channel, const int64_t *thresholds, size_t n_thresholds, struct sim_cumulative *out);
void stats_cumulative_clear(struct sim_cumulative *c);

/* The bounds a window [*start, *end) is counted with (see above). */
void stats_bounds(const struct sim_engine *e, int64_t *start, int64_t *end);

/* The whole workspace; total_eligible holds the number of workers and
 * by_activity the workspace's counters. */
void stats_workspace_realtime(const struct sim_engine *e, int channel, struct sim_realtime *out);
void stats_workspace_cumulative(const struct sim_engine *e, int64_t start_ms, int64_t end_ms, int channel,
				const int64_t *thresholds, size_t n_thresholds, struct sim_cumulative *out);

struct sim_worker_cumulative {
	int64_t start_ms, end_ms;
	uint64_t res[WL_N];		/* reservations by outcome (WL_RES_*) */
	struct sim_dur *activity;	/* stints per activity */
	size_t n_activities;
};

/* Workers wi[0..n) (all workers when wi is NULL). */
void stats_workers_cumulative(const struct sim_engine *e, const uint32_t *wi, size_t n, int64_t start_ms,
			      int64_t end_ms, int channel, struct sim_worker_cumulative *out);
void stats_workers_cumulative_clear(struct sim_worker_cumulative *c);

/* Rounded seconds from a duration summary (0 when empty). */
int64_t dur_avg_s(const struct sim_dur *d);
int64_t dur_min_s(const struct sim_dur *d);
int64_t dur_max_s(const struct sim_dur *d);
int64_t dur_total_s(const struct sim_dur *d);

#endif
