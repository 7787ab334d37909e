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
 */
#ifndef TQ_SIM_STATS_H
#define TQ_SIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "sim-engine.h"

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

struct sim_dur {
	uint64_t n;
	int64_t total_ms, min_ms, max_ms;
};

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

/* Rounded seconds from a duration summary (0 when empty). */
int64_t dur_avg_s(const struct sim_dur *d);
int64_t dur_min_s(const struct sim_dur *d);
int64_t dur_max_s(const struct sim_dur *d);
int64_t dur_total_s(const struct sim_dur *d);

#endif
