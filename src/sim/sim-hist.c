#include "config.h"
#include "sim-hist.h"

#include <stdlib.h>

#include "xalloc.h"

static int32_t clamp32(int64_t v)
{
	return v > INT32_MAX ? INT32_MAX : v < 0 ? 0 : (int32_t)v;
}

void hist_add(struct sim_hist *h, int64_t t, enum hist_kind kind, int channel, int64_t wait_ms, int64_t wait_q_ms)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
	}
	h->v[h->n++] = (struct hist_rec){ t, clamp32(wait_ms), clamp32(wait_q_ms), (uint8_t)kind, (uint8_t)channel };
}

size_t hist_lower_bound(const struct sim_hist *h, int64_t t)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->v[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void hist_free(struct sim_hist *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
