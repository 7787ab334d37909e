/* sim-events: the workspace's most recent events (TaskRouter's Event
 * resource), in a ring of fixed size.
 *
 * Contract: the engine appends every task, task-queue, reservation and
 * worker-activity event as it happens, in time order, each with a
 * sequence number that names it (its EV SID).  Once the ring is full the
 * oldest event goes; events_oldest() says from when the kept events are
 * complete, so that readers can refuse windows reaching further back.
 * Nothing here allocates after events_init().
 */
#ifndef TQ_SIM_EVENTS_H
#define TQ_SIM_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kept events: 50,000 x 64 bytes. */
#define EVENTS_KEEP 50000

#define EVENT_KINDS(X) \
	X(EVK_TASK_CREATED, "task.created") \
	X(EVK_TASK_CANCELED, "task.canceled") \
	X(EVK_TASK_COMPLETED, "task.completed") \
	X(EVK_TASK_DELETED, "task.deleted") \
	X(EVK_TASK_WRAPUP, "task.wrapup") \
	X(EVK_QUEUE_ENTERED, "task-queue.entered") \
	X(EVK_QUEUE_MOVED, "task-queue.moved") \
	X(EVK_RES_CREATED, "reservation.created") \
	X(EVK_RES_ACCEPTED, "reservation.accepted") \
	X(EVK_RES_REJECTED, "reservation.rejected") \
	X(EVK_RES_TIMEOUT, "reservation.timeout") \
	X(EVK_RES_CANCELED, "reservation.canceled") \
	X(EVK_RES_RESCINDED, "reservation.rescinded") \
	X(EVK_WORKER_ACTIVITY, "worker.activity.update")

enum ev_kind {
#define EV_ENUM(id, name) id,
	EVENT_KINDS(EV_ENUM)
#undef EV_ENUM
	EVK_N
};

struct sim_ev {
	int64_t t;			/* simulated ms */
	uint64_t seq;
	uint64_t task_id;		/* task, task-queue and reservation events */
	uint64_t res_id;		/* reservation events */
	int64_t since;			/* worker.activity.update: previous activity since */
	int32_t queue;			/* the task's queue (moved: the one it left) */
	int32_t queue2;			/* task-queue.moved: the one it entered */
	int32_t worker;			/* reservation and worker events, else -1 */
	int32_t priority;
	int16_t activity, prev_activity;
	uint8_t kind;
	uint8_t channel;
};

struct sim_events {
	struct sim_ev *v;
	size_t cap, first, n;		/* v[first..] oldest first, wrapping */
	uint64_t next_seq;
	bool dropped;			/* the ring has overflowed */
};

void events_init(struct sim_events *ev, size_t cap);
void events_free(struct sim_events *ev);
/* A new event at t of kind (the caller fills the rest; unused subjects
 * are -1). */
struct sim_ev *events_add(struct sim_events *ev, int64_t t, enum ev_kind kind);
/* The i-th oldest kept event (i < n). */
const struct sim_ev *events_at(const struct sim_events *ev, size_t i);
/* The kept events are complete from this time on (INT64_MIN while none
 * was dropped). */
int64_t events_oldest(const struct sim_events *ev);
const char *event_kind_name(enum ev_kind k);

#endif
