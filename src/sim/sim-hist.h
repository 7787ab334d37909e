/* sim-hist: the recorded history of one TaskQueue, from which every
 * cumulative statistic is computed.
 *
 * Contract: records are appended in non-decreasing time order (the
 * simulation clock never goes back), so a time window is found by binary
 * search and a window query costs O(log n + records in the window).
 * Records are never changed or removed.
 */
#ifndef TQ_SIM_HIST_H
#define TQ_SIM_HIST_H

#include <stddef.h>
#include <stdint.h>

enum hist_kind {
	H_ENTERED,		/* task entered the queue (created here or moved in) */
	H_COMPLETED,		/* task completed (after wrap-up) */
	H_CANCELED,		/* caller hung up while waiting: wait = until canceled */
	H_DELETED,		/* task deleted while waiting (backend or queue deleted) */
	H_MOVED,		/* task moved to another queue (overflow) */
	H_RES_CREATED,
	H_RES_ACCEPTED,		/* wait = creation -> acceptance, wait_q = entry -> acceptance */
	H_RES_REJECTED,
	H_RES_TIMED_OUT,
	H_RES_CANCELED,		/* task canceled, deleted or moved under the reservation */
	H_RES_RESCINDED,	/* another reservation of the task was accepted */
	H_N
};

struct hist_rec {
	int64_t t;		/* simulated ms */
	int32_t wait_ms;
	int32_t wait_q_ms;
	uint8_t kind;
	uint8_t channel;
};

struct sim_hist {
	struct hist_rec *v;
	size_t n, cap;
};

void hist_add(struct sim_hist *h, int64_t t, enum hist_kind kind, int channel, int64_t wait_ms, int64_t wait_q_ms);
/* Index of the first record with time >= t. */
size_t hist_lower_bound(const struct sim_hist *h, int64_t t);
void hist_free(struct sim_hist *h);

#endif
