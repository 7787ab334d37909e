#include "config.h"
#include "sim-rng.h"

#include <math.h>
#include <stdio.h>

uint64_t rng_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void rng_seed(struct sim_rng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++) {
		x += 0x9e3779b97f4a7c15ULL;
		r->s[i] = rng_mix(x);
	}
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_unit(struct sim_rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(struct sim_rng *r, uint64_t n)
{
	/* Rejection sampling keeps the draw unbiased for any n. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;

	do
		x = rng_next(r);
	while (x >= limit);
	return x % n;
}

double rng_exp(struct sim_rng *r, double mean)
{
	if (mean <= 0)
		return 0;
	return -mean * log1p(-rng_unit(r));
}

size_t rng_pick(struct sim_rng *r, const double *weights, size_t n)
{
	double total = 0, x;

	for (size_t i = 0; i < n; i++)
		total += weights[i] > 0 ? weights[i] : 0;
	if (total <= 0)
		return 0;
	x = rng_unit(r) * total;
	for (size_t i = 0; i < n; i++) {
		double w = weights[i] > 0 ? weights[i] : 0;
		if (x < w)
			return i;
		x -= w;
	}
	return n - 1;
}

void sim_sid(char out[SIM_SID_LEN], const char *prefix, uint64_t seed, uint64_t kind, uint64_t n)
{
	uint64_t a = rng_mix(seed ^ rng_mix(kind * 0x100000001b3ULL ^ rng_mix(n)));
	uint64_t b = rng_mix(a ^ 0x5851f42d4c957f2dULL);

	snprintf(out, SIM_SID_LEN, "%.2s%016llx%016llx", prefix,
		 (unsigned long long)a, (unsigned long long)b);
}
