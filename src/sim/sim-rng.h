/* sim-rng: the simulator's seeded random numbers (xoshiro256** seeded
 * through splitmix64, both by Blackman and Vigna).
 *
 * Contract: the same seed gives the same sequence on every platform; no
 * global state; draws never fail.  sim_sid() derives SIDs from the seed
 * without consuming draws, so adding a queue never shifts the task
 * history of the others.
 */
#ifndef TQ_SIM_RNG_H
#define TQ_SIM_RNG_H

#include <stddef.h>
#include <stdint.h>

struct sim_rng {
	uint64_t s[4];
};

void rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t rng_next(struct sim_rng *r);
/* Uniform in [0, 1). */
double rng_unit(struct sim_rng *r);
/* Uniform integer in [0, n); n > 0. */
uint64_t rng_below(struct sim_rng *r, uint64_t n);
/* Exponential with the given mean (>= 0). */
double rng_exp(struct sim_rng *r, double mean);
/* Index drawn from weights[0..n-1] (non-negative, not all zero; else 0). */
size_t rng_pick(struct sim_rng *r, const double *weights, size_t n);

/* splitmix64 step: a well-mixed 64-bit hash of x. */
uint64_t rng_mix(uint64_t x);

#define SIM_SID_LEN 35	/* "XX" + 32 hex + NUL */

/* Writes prefix + 32 lowercase hex digits derived from (seed, kind, n). */
void sim_sid(char out[SIM_SID_LEN], const char *prefix, uint64_t seed, uint64_t kind, uint64_t n);

#endif
