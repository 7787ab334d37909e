#include "config.h"
#include "sim-wlog.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define TIME_SHIFT 20
#define KIND_SHIFT 16
#define MAX_REL_MS ((INT64_C(1) << 44) - 1)

static uint64_t pack(int64_t rel, enum wlog_kind kind, unsigned value)
{
	return ((uint64_t)rel << TIME_SHIFT) | ((uint64_t)kind << KIND_SHIFT) | (value & WLOG_MAX_VALUE);
}

static int64_t entry_time(uint64_t x, int64_t base)
{
	return base + (int64_t)(x >> TIME_SHIFT);
}

static enum wlog_kind entry_kind(uint64_t x)
{
	return (enum wlog_kind)((x >> KIND_SHIFT) & 0xf);
}

static unsigned entry_value(uint64_t x)
{
	return (unsigned)(x & WLOG_MAX_VALUE);
}

void wlog_init(struct sim_wlog *l, int64_t t0, unsigned activity)
{
	memset(l, 0, sizeof *l);
	l->t0 = t0;
	l->act0 = (uint16_t)activity;
}

static void resize(struct sim_wlog *l, uint32_t cap)
{
	uint32_t live = l->n - l->head;

	if (l->head)
		memmove(l->v, l->v + l->head, live * sizeof *l->v);
	l->head = 0;
	l->n = live;
	if (cap == 0) {
		free(l->v);
		l->v = NULL;
	} else {
		l->v = xreallocarray(l->v, cap, sizeof *l->v);
	}
	l->cap = cap;
}

void wlog_add(struct sim_wlog *l, int64_t base, int64_t t, enum wlog_kind kind, unsigned value)
{
	int64_t rel = t - base;

	if (rel < 0)
		rel = 0;
	if (rel > MAX_REL_MS)
		rel = MAX_REL_MS;
	if (l->n == l->cap) {
		uint32_t live = l->n - l->head;
		/* Reclaim pruned room at the front before growing by half. */
		resize(l, l->head >= live / 4 && l->head ? l->cap : (l->cap ? l->cap + l->cap / 2 : 8));
	}
	l->v[l->n++] = pack(rel, kind, value);
}

/* First index in [head, n) whose time is >= t. */
static uint32_t lower_bound(const struct sim_wlog *l, int64_t base, int64_t t)
{
	uint32_t lo = l->head, hi = l->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (entry_time(l->v[mid], base) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void wlog_prune(struct sim_wlog *l, int64_t base, int64_t kept_from)
{
	uint32_t cut, live;

	if (kept_from <= l->t0)
		return;
	cut = lower_bound(l, base, kept_from);
	for (uint32_t i = l->head; i < cut; i++)
		if (entry_kind(l->v[i]) == WL_ACTIVITY)
			l->act0 = (uint16_t)entry_value(l->v[i]);
	l->head = cut;
	l->t0 = kept_from;
	live = l->n - l->head;
	if (live == 0)
		resize(l, 0);
	else if (live < l->cap / 2)
		resize(l, live + live / 4 + 1);
}

void wlog_free(struct sim_wlog *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

size_t wlog_bytes(const struct sim_wlog *l)
{
	return (size_t)l->cap * sizeof *l->v;
}

unsigned wlog_last_activity(const struct sim_wlog *l)
{
	for (uint32_t i = l->n; i > l->head; i--)
		if (entry_kind(l->v[i - 1]) == WL_ACTIVITY)
			return entry_value(l->v[i - 1]);
	return l->act0;
}

void wlog_window(const struct sim_wlog *l, int64_t base, int64_t start, int64_t end, int64_t now,
		 int channel, struct sim_dur *act, uint64_t res[WL_N])
{
	int64_t stint_end = end < now ? end : now, cur;
	uint32_t i;
	unsigned a = l->act0;

	if (start < l->t0)
		start = l->t0;
	if (start >= end)
		return;
	i = lower_bound(l, base, start);
	for (uint32_t j = i; j > l->head; j--) {
		if (entry_kind(l->v[j - 1]) == WL_ACTIVITY) {
			a = entry_value(l->v[j - 1]);
			break;
		}
	}
	cur = start;
	for (; i < l->n; i++) {
		uint64_t x = l->v[i];
		int64_t t = entry_time(x, base);
		enum wlog_kind k = entry_kind(x);
		if (t >= end)
			break;
		if (k == WL_ACTIVITY) {
			if (t > cur)
				dur_add(&act[a], t - cur);
			a = entry_value(x);
			cur = t;
		} else if (channel < 0 || entry_value(x) == (unsigned)channel) {
			res[k]++;
		}
	}
	if (stint_end > cur)
		dur_add(&act[a], stint_end - cur);
}

char *wlog_check(const struct sim_wlog *l, int64_t base)
{
	int64_t last = l->t0;

	if (l->head > l->n || l->n > l->cap)
		return xasprintf("head %u, n %u, cap %u", l->head, l->n, l->cap);
	for (uint32_t i = l->head; i < l->n; i++) {
		int64_t t = entry_time(l->v[i], base);
		if (t < last)
			return xasprintf("entry %u at %lld before %lld", i, (long long)t, (long long)last);
		if (entry_kind(l->v[i]) >= WL_N)
			return xasprintf("entry %u has kind %d", i, entry_kind(l->v[i]));
		last = t;
	}
	return NULL;
}
