/* sim-hist: the recorded history of one TaskQueue, from which every
 * cumulative statistic is computed, in bounded memory.
 *
 * Contract:
 *  - Events are appended in non-decreasing time order (the simulation
 *    clock never goes back) as raw records: millisecond time, kind,
 *    channel and the waits the statistics need.
 *  - hist_fold(raw_from) replaces the raw records older than raw_from (a
 *    minute boundary) by one block per (minute, channel) that had events.
 *    A block keeps exactly what a window made of whole minutes needs:
 *    the count of each kind, n/min/max/total of each wait in ms, and the
 *    waits rounded up to whole seconds (SplitByWaitTime compares
 *    wait <= T seconds, which for an integer T is ceil(wait) <= T).  So a
 *    sum over whole minutes of blocks equals the sum over their raw
 *    records; only the position of an event inside its minute is lost.
 *  - Blocks are varint-encoded into chunks of about HIST_CHUNK_BYTES;
 *    hist_prune(kept_from) frees the chunks that hold only minutes before
 *    kept_from (a chunk that straddles it stays whole: readers never ask
 *    for minutes before kept_from).
 *  - `bytes` is the heap memory the history holds, kept exact.
 *  - Records and blocks are never changed once written.
 */
#ifndef TQ_SIM_HIST_H
#define TQ_SIM_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HIST_MINUTE_MS 60000LL
#define HIST_CHUNK_BYTES 1024u

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

/* A set of durations: count, total, min and max (min/max meaningless when
 * n == 0). */
struct sim_dur {
	uint64_t n;
	int64_t total_ms, min_ms, max_ms;
};

struct hist_chunk {
	int64_t first_min, last_min;	/* minutes since the Unix epoch */
	uint32_t len, cap;
	uint8_t data[];
};

struct sim_hist {
	struct hist_rec *v;		/* raw records v[head..n), oldest first */
	size_t head, n, cap;
	struct hist_chunk **chunks;	/* folded minutes, oldest first */
	size_t n_chunks, cap_chunks;
	size_t bytes;
};

/* One decoded block: the events of one minute on one channel. */
struct hist_block {
	int64_t minute;
	int channel;
	uint64_t count[H_N];
	struct sim_dur until_accepted, in_queue_until_accepted, until_canceled;
	/* Waits in whole seconds rounded up, ascending: count[H_RES_ACCEPTED]
	 * and count[H_CANCELED] values.  Valid until the next hist_next(). */
	const uint32_t *accepted_s, *canceled_s;
};

/* Reads the blocks of minutes [m0, m1) in order. */
struct hist_iter {
	const struct sim_hist *h;
	int64_t m0, m1, minute;
	size_t chunk;
	uint32_t off;
	uint32_t *acc_s, *canc_s;
	size_t cap_acc, cap_canc;
};

/* Working memory for hist_fold(), reused across calls and queues. */
struct hist_scratch {
	uint32_t *acc_s, *canc_s;
	size_t cap_acc, cap_canc;
	uint8_t *out;
	size_t cap_out;
};

void hist_add(struct sim_hist *h, int64_t t, enum hist_kind kind, int channel, int64_t wait_ms, int64_t wait_q_ms);
/* Index (in head..n) of the first raw record with time >= t. */
size_t hist_lower_bound(const struct sim_hist *h, int64_t t);
void hist_fold(struct sim_hist *h, int64_t raw_from, struct hist_scratch *s);
void hist_prune(struct sim_hist *h, int64_t kept_from);
void hist_free(struct sim_hist *h);
void hist_scratch_free(struct hist_scratch *s);

void hist_iter_start(struct hist_iter *it, const struct sim_hist *h, int64_t m0, int64_t m1);
bool hist_next(struct hist_iter *it, struct hist_block *b);
void hist_iter_end(struct hist_iter *it);

/* Recounts `bytes` and checks the order of records and blocks (all raw
 * records at or after raw_from); returns a message (caller frees) or NULL. */
char *hist_check(const struct sim_hist *h, int64_t raw_from);

/* The minute containing t (floor, also for negative t). */
int64_t hist_minute(int64_t t);
/* Whole seconds, rounded up, of a non-negative duration in ms. */
uint32_t hist_ceil_s(int64_t ms);

void dur_add(struct sim_dur *d, int64_t v);
void dur_merge(struct sim_dur *d, const struct sim_dur *x);

#endif
