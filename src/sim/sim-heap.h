/* sim-heap: the simulator's event queue, a binary min-heap ordered by
 * (time, sequence number).
 *
 * Contract: events at the same time come out in insertion order, so a
 * run is reproducible.  Events are never removed early: the engine marks
 * stale ones with a stamp and skips them when they come out.
 */
#ifndef TQ_SIM_HEAP_H
#define TQ_SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_event {
	int64_t t;		/* simulated ms */
	uint64_t seq;
	uint32_t type;
	uint32_t stamp;		/* validity check, meaning per type */
	uint32_t a;		/* subject index, meaning per type */
};

struct sim_heap {
	struct sim_event *v;
	size_t n, cap;
	uint64_t next_seq;
};

void heap_push(struct sim_heap *h, int64_t t, uint32_t type, uint32_t a, uint32_t stamp);
/* True and *ev filled when the earliest event is due at or before t. */
bool heap_pop_due(struct sim_heap *h, int64_t t, struct sim_event *ev);
/* The time of the earliest event, INT64_MAX when there is none. */
int64_t heap_next_time(const struct sim_heap *h);
void heap_free(struct sim_heap *h);

#endif
