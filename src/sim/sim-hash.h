/* sim-hash: a string -> integer map (open addressing, linear probing).
 *
 * Contract: the map owns copies of its keys; lookups of absent keys
 * return false; inserting an existing key replaces its value.  Keys may
 * contain any bytes except NUL.  There is no delete: the simulator's SIDs
 * live as long as the workspace (deleted queues keep their SIDs).
 */
#ifndef TQ_SIM_HASH_H
#define TQ_SIM_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_hash_slot {
	char *key;
	uint64_t hash;
	int64_t value;
};

struct sim_hash {
	struct sim_hash_slot *slots;
	size_t cap;	/* power of two (0 when empty) */
	size_t n;
};

#define SIM_HASH_INIT { NULL, 0, 0 }

void sim_hash_put(struct sim_hash *h, const char *key, int64_t value);
bool sim_hash_get(const struct sim_hash *h, const char *key, int64_t *value);
/* Same with a key of len bytes (need not be NUL-terminated). */
bool sim_hash_getn(const struct sim_hash *h, const char *key, size_t len, int64_t *value);
void sim_hash_free(struct sim_hash *h);

#endif
