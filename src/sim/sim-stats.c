#include "config.h"
#include "sim-stats.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static bool is_waiting(const struct sim_task *t)
{
	return t->status == TS_PENDING || t->status == TS_RESERVED;
}

/* Adds n tasks of priority prio (none: no entry, the list holds non-zero
 * counts only). */
static void count_prio(struct sim_realtime *r, int prio, uint32_t n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < r->n_prios && r->prios[i].prio > prio; i++)
		;
	if (i < r->n_prios && r->prios[i].prio == prio) {
		r->prios[i].n += n;
		return;
	}
	r->prios = xreallocarray(r->prios, r->n_prios + 1, sizeof *r->prios);
	memmove(&r->prios[i + 1], &r->prios[i], (r->n_prios - i) * sizeof *r->prios);
	r->prios[i] = (struct sim_prio_count){ prio, n };
	r->n_prios++;
}

void stats_realtime(const struct sim_engine *e, uint32_t qi, int channel, struct sim_realtime *r)
{
	const struct sim_queue *q = &e->queues[qi];

	memset(r, 0, sizeof *r);
	r->total_eligible = q->n_edges;
	r->total_available = q->n_available;
	r->by_activity = q->by_activity;
	r->longest_task = r->longest_rel_task = -1;

	if (channel < 0) {
		/* The fast path: counters kept by the engine. */
		memcpy(r->by_status, q->by_status, sizeof r->by_status);
		r->prios = q->n_prios ? xreallocarray(NULL, q->n_prios, sizeof *r->prios) : NULL;
		for (size_t i = 0; i < q->n_prios; i++) {
			if (q->prios[i].n_live)
				r->prios[r->n_prios++] = (struct sim_prio_count){ q->prios[i].prio, q->prios[i].n_live };
			int32_t h = q->prios[i].head;
			if (h >= 0 && (r->longest_rel_task < 0 ||
				       e->tasks[h].entered < e->tasks[r->longest_rel_task].entered ||
				       (e->tasks[h].entered == e->tasks[r->longest_rel_task].entered &&
					e->tasks[h].id < e->tasks[r->longest_rel_task].id)))
				r->longest_rel_task = h;
		}
		r->longest_task = q->wait_head;
	} else {
		for (int32_t ti = q->live_head; ti >= 0; ti = e->tasks[ti].l_next) {
			const struct sim_task *t = &e->tasks[ti];
			if (t->channel != channel)
				continue;
			r->by_status[t->status]++;
			count_prio(r, t->priority, 1);
			if (!is_waiting(t))
				continue;
			/* The live list is in entry order: the first waiting task
			 * is the relative longest. */
			if (r->longest_rel_task < 0)
				r->longest_rel_task = ti;
			if (r->longest_task < 0 || t->created < e->tasks[r->longest_task].created)
				r->longest_task = ti;
		}
	}
	for (int s = 0; s < TS_N_LIVE; s++)
		r->total_tasks += r->by_status[s];
	if (r->longest_task >= 0)
		r->longest_age_s = (e->now - e->tasks[r->longest_task].created) / 1000;
	if (r->longest_rel_task >= 0)
		r->longest_rel_age_s = (e->now - e->tasks[r->longest_rel_task].entered) / 1000;
}

void stats_realtime_clear(struct sim_realtime *r)
{
	free(r->prios);
	memset(r, 0, sizeof *r);
	r->longest_task = r->longest_rel_task = -1;
}

/* SplitByWaitTime in O(log T) an event: a wait of w seconds is "below"
 * every threshold >= w, i.e. those from the first such one in ascending
 * order; so counting the waits by that position, and summing, gives every
 * threshold's "below" at the end (finish_splits). */
struct split_count {
	int64_t *sorted;		/* the thresholds, ascending */
	size_t n;
	uint64_t *acc_at, *canc_at;	/* waits by first threshold >= wait (n: none) */
	uint64_t n_acc, n_canc;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static size_t first_at_least(const int64_t *v, size_t n, int64_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void split_start(struct split_count *sc, const int64_t *thr, size_t n)
{
	memset(sc, 0, sizeof *sc);
	if (!n)
		return;
	sc->n = n;
	sc->sorted = xreallocarray(NULL, n, sizeof *sc->sorted);
	memcpy(sc->sorted, thr, n * sizeof *thr);
	qsort(sc->sorted, n, sizeof *sc->sorted, cmp_i64);
	sc->acc_at = xcalloc(n + 1, sizeof *sc->acc_at);
	sc->canc_at = xcalloc(n + 1, sizeof *sc->canc_at);
}

static void split_add(struct split_count *sc, uint32_t wait_s, bool accepted)
{
	size_t k;

	if (!sc->n)
		return;
	k = first_at_least(sc->sorted, sc->n, wait_s);
	if (accepted) {
		sc->acc_at[k]++;
		sc->n_acc++;
	} else {
		sc->canc_at[k]++;
		sc->n_canc++;
	}
}

static void split_finish(struct split_count *sc, struct sim_split *out, size_t n)
{
	uint64_t *acc_below, *canc_below;

	if (!sc->n)
		return;
	/* prefix sums: below(sorted[j]) = waits whose position is <= j */
	acc_below = xcalloc(sc->n, sizeof *acc_below);
	canc_below = xcalloc(sc->n, sizeof *canc_below);
	for (size_t j = 0; j < sc->n; j++) {
		acc_below[j] = sc->acc_at[j] + (j ? acc_below[j - 1] : 0);
		canc_below[j] = sc->canc_at[j] + (j ? canc_below[j - 1] : 0);
	}
	for (size_t i = 0; i < n; i++) {
		size_t j = first_at_least(sc->sorted, sc->n, out[i].threshold_s);
		out[i].accepted_below = acc_below[j];
		out[i].accepted_above = sc->n_acc - acc_below[j];
		out[i].canceled_below = canc_below[j];
		out[i].canceled_above = sc->n_canc - canc_below[j];
	}
	free(acc_below);
	free(canc_below);
	free(sc->sorted);
	free(sc->acc_at);
	free(sc->canc_at);
	memset(sc, 0, sizeof *sc);
}

static void add_block(struct sim_cumulative *c, struct split_count *sc, const struct hist_block *b)
{
	for (int k = 0; k < H_N; k++)
		c->count[k] += b->count[k];
	dur_merge(&c->until_accepted, &b->until_accepted);
	dur_merge(&c->in_queue_until_accepted, &b->in_queue_until_accepted);
	dur_merge(&c->until_canceled, &b->until_canceled);
	if (!sc->n)
		return;
	for (uint64_t i = 0; i < b->count[H_RES_ACCEPTED]; i++)
		split_add(sc, b->accepted_s[i], true);
	for (uint64_t i = 0; i < b->count[H_CANCELED]; i++)
		split_add(sc, b->canceled_s[i], false);
}

static void add_rec(struct sim_cumulative *c, struct split_count *sc, const struct hist_rec *rec)
{
	c->count[rec->kind]++;
	if (rec->kind == H_RES_ACCEPTED) {
		dur_add(&c->until_accepted, rec->wait_ms);
		dur_add(&c->in_queue_until_accepted, rec->wait_q_ms);
		split_add(sc, hist_ceil_s(rec->wait_ms), true);
	} else if (rec->kind == H_CANCELED) {
		dur_add(&c->until_canceled, rec->wait_ms);
		split_add(sc, hist_ceil_s(rec->wait_ms), false);
	}
}

/* A bound older than the raw records moves to the start of its minute. */
static int64_t bound(const struct sim_engine *e, int64_t t)
{
	return t < e->hist_raw_from ? hist_minute(t) * HIST_MINUTE_MS : t;
}

void stats_bounds(const struct sim_engine *e, int64_t *start, int64_t *end)
{
	*start = bound(e, *start);
	*end = bound(e, *end);
	if (*start < e->hist_kept_from)
		*start = e->hist_kept_from;
}

/* Starts an empty result for the window [start, end) (bounds applied)
 * and its split counter. */
static void cumulative_start(const struct sim_engine *e, int64_t start, int64_t end, const int64_t *thr,
			     size_t n_thr, struct sim_cumulative *c, struct split_count *sc)
{
	memset(c, 0, sizeof *c);
	c->start_ms = start;
	c->end_ms = end;
	stats_bounds(e, &c->start_ms, &c->end_ms);
	c->n_splits = n_thr;
	c->splits = n_thr ? xcalloc(n_thr, sizeof *c->splits) : NULL;
	for (size_t i = 0; i < n_thr; i++)
		c->splits[i].threshold_s = thr[i];
	split_start(sc, thr, n_thr);
}

/* Adds queue qi's events in c's window into c and sc. */
static void accumulate(const struct sim_engine *e, uint32_t qi, int channel, struct sim_cumulative *c,
		       struct split_count *sc)
{
	const struct sim_hist *h = &e->queues[qi].hist;
	int64_t start = c->start_ms, end = c->end_ms;

	if (start < e->hist_raw_from) {
		struct hist_iter it;
		struct hist_block b;
		int64_t m1 = hist_minute(end < e->hist_raw_from ? end : e->hist_raw_from);

		hist_iter_start(&it, h, hist_minute(start), m1);
		while (hist_next(&it, &b))
			if (channel < 0 || b.channel == channel)
				add_block(c, sc, &b);
		hist_iter_end(&it);
		start = e->hist_raw_from;
	}
	for (size_t i = hist_lower_bound(h, start); i < h->n && h->v[i].t < end; i++)
		if (channel < 0 || h->v[i].channel == channel)
			add_rec(c, sc, &h->v[i]);
}

void stats_cumulative(const struct sim_engine *e, uint32_t qi, int64_t start, int64_t end,
		      int channel, const int64_t *thr, size_t n_thr, struct sim_cumulative *c)
{
	struct split_count sc;

	cumulative_start(e, start, end, thr, n_thr, c, &sc);
	accumulate(e, qi, channel, c, &sc);
	split_finish(&sc, c->splits, c->n_splits);
}

void stats_cumulative_clear(struct sim_cumulative *c)
{
	free(c->splits);
	memset(c, 0, sizeof *c);
}

/* ---- the workspace ------------------------------------------------------- */

static void merge_prios(struct sim_realtime *r, const struct sim_realtime *q)
{
	for (size_t i = 0; i < q->n_prios; i++)
		count_prio(r, q->prios[i].prio, q->prios[i].n);
}

static bool older(const struct sim_engine *e, int32_t a, int32_t b)
{
	const struct sim_task *x = &e->tasks[a], *y = &e->tasks[b];

	return x->created < y->created || (x->created == y->created && x->id < y->id);
}

void stats_workspace_realtime(const struct sim_engine *e, int channel, struct sim_realtime *r)
{
	memset(r, 0, sizeof *r);
	r->longest_task = r->longest_rel_task = -1;
	r->total_eligible = (uint32_t)e->n_workers;
	r->by_activity = e->ws_by_activity;
	for (size_t qi = 0; qi < e->n_queues; qi++) {
		struct sim_realtime q;
		if (e->queues[qi].deleted)
			continue;
		stats_realtime(e, (uint32_t)qi, channel, &q);
		for (int s = 0; s < TS_N_LIVE; s++)
			r->by_status[s] += q.by_status[s];
		r->total_tasks += q.total_tasks;
		merge_prios(r, &q);
		if (q.longest_task >= 0 && (r->longest_task < 0 || older(e, q.longest_task, r->longest_task)))
			r->longest_task = q.longest_task;
		stats_realtime_clear(&q);
	}
	if (r->longest_task >= 0)
		r->longest_age_s = (e->now - e->tasks[r->longest_task].created) / 1000;
}

void stats_workspace_cumulative(const struct sim_engine *e, int64_t start, int64_t end, int channel,
				const int64_t *thr, size_t n_thr, struct sim_cumulative *c)
{
	struct split_count sc;

	cumulative_start(e, start, end, thr, n_thr, c, &sc);
	for (size_t qi = 0; qi < e->n_queues; qi++)
		accumulate(e, (uint32_t)qi, channel, c, &sc);
	split_finish(&sc, c->splits, c->n_splits);
}

/* ---- workers ------------------------------------------------------------- */

void stats_workers_cumulative(const struct sim_engine *e, const uint32_t *wi, size_t n, int64_t start,
			      int64_t end, int channel, struct sim_worker_cumulative *c)
{
	memset(c, 0, sizeof *c);
	stats_bounds(e, &start, &end);
	c->start_ms = start;
	c->end_ms = end;
	c->n_activities = e->n_activities;
	c->activity = xcalloc(e->n_activities ? e->n_activities : 1, sizeof *c->activity);
	if (!wi)
		n = e->n_workers;
	for (size_t i = 0; i < n; i++)
		wlog_window(&e->workers[wi ? wi[i] : i].log, e->start, start, end, e->now, channel,
			    c->activity, c->res);
}

void stats_workers_cumulative_clear(struct sim_worker_cumulative *c)
{
	free(c->activity);
	memset(c, 0, sizeof *c);
}

static int64_t round_s(double v_ms)
{
	return (int64_t)(v_ms / 1000.0 + 0.5);
}

int64_t dur_avg_s(const struct sim_dur *d)
{
	return d->n ? round_s((double)d->total_ms / (double)d->n) : 0;
}

int64_t dur_min_s(const struct sim_dur *d)
{
	return d->n ? round_s((double)d->min_ms) : 0;
}

int64_t dur_max_s(const struct sim_dur *d)
{
	return d->n ? round_s((double)d->max_ms) : 0;
}

int64_t dur_total_s(const struct sim_dur *d)
{
	return round_s((double)d->total_ms);
}
