/* sim-wlog: the recorded history of one Worker (its activity changes and
 * its reservations), from which the Worker statistics are computed.
 *
 * Contract:
 *  - A log covers [t0, now): act0 is the activity in force at t0, and the
 *    entries (time, kind, value) follow in non-decreasing time order.
 *    An activity entry's value is the new activity; a reservation entry's
 *    value is the task's channel.  Entries are never changed once written.
 *  - Times are stored relative to a base (the engine's start), packed
 *    into 8 bytes: 44 bits of ms (557 years), 4 bits of kind, 16 of value.
 *  - wlog_prune(kept_from) drops the entries before kept_from, moving t0
 *    there and act0 to the activity then in force, and gives memory back.
 *  - wlog_window() counts over [start, end): every stint (a period spent
 *    in one activity, clipped to the window, of positive length) is one
 *    duration of its activity; reservation entries are counted by kind
 *    (only those of `channel` when channel >= 0).  A start before t0
 *    counts from t0.  Nothing is invented: an empty window counts nothing.
 */
#ifndef TQ_SIM_WLOG_H
#define TQ_SIM_WLOG_H

#include <stddef.h>
#include <stdint.h>

#include "sim-hist.h"

enum wlog_kind {
	WL_ACTIVITY,
	WL_RES_CREATED,
	WL_RES_ACCEPTED,
	WL_RES_REJECTED,
	WL_RES_TIMED_OUT,
	WL_RES_CANCELED,
	WL_RES_RESCINDED,
	WL_N
};

#define WLOG_MAX_VALUE 0xffffu

struct sim_wlog {
	uint64_t *v;			/* packed entries v[head..n) */
	uint32_t head, n, cap;
	uint16_t act0;
	int64_t t0;			/* absolute simulated ms */
};

void wlog_init(struct sim_wlog *l, int64_t t0, unsigned activity);
/* Appends an entry at absolute time t (>= base, >= the last entry). */
void wlog_add(struct sim_wlog *l, int64_t base, int64_t t, enum wlog_kind kind, unsigned value);
void wlog_prune(struct sim_wlog *l, int64_t base, int64_t kept_from);
void wlog_free(struct sim_wlog *l);
/* Heap bytes the log holds. */
size_t wlog_bytes(const struct sim_wlog *l);

/* Adds the window's stints to act[activity] (an array the caller sized to
 * the number of activities) and its reservations to res[kind].  Stints
 * end at now at the latest. */
void wlog_window(const struct sim_wlog *l, int64_t base, int64_t start, int64_t end, int64_t now,
		 int channel, struct sim_dur *act, uint64_t res[WL_N]);
/* The activity in force at the end of the log. */
unsigned wlog_last_activity(const struct sim_wlog *l);
/* NULL when entries are in order and the log is consistent, else a
 * message (caller frees). */
char *wlog_check(const struct sim_wlog *l, int64_t base);

#endif
