#include "config.h"
#include "sim-heap.h"

#include <stdlib.h>

#include "xalloc.h"

static bool before(const struct sim_event *a, const struct sim_event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

void heap_push(struct sim_heap *h, int64_t t, uint32_t type, uint32_t a, uint32_t stamp)
{
	struct sim_event ev = { t, h->next_seq++, type, stamp, a };
	size_t i;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
	}
	i = h->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!before(&ev, &h->v[parent]))
			break;
		h->v[i] = h->v[parent];
		i = parent;
	}
	h->v[i] = ev;
}

int64_t heap_next_time(const struct sim_heap *h)
{
	return h->n ? h->v[0].t : INT64_MAX;
}

bool heap_pop_due(struct sim_heap *h, int64_t t, struct sim_event *ev)
{
	struct sim_event last;
	size_t i = 0;

	if (h->n == 0 || h->v[0].t > t)
		return false;
	*ev = h->v[0];
	last = h->v[--h->n];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(&h->v[c + 1], &h->v[c]))
			c++;
		if (!before(&h->v[c], &last))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = last;
	return true;
}

void heap_free(struct sim_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
