#include "config.h"
#include "sim-stats.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static bool is_waiting(const struct sim_task *t)
{
	return t->status == TS_PENDING || t->status == TS_RESERVED;
}

static void count_prio(struct sim_realtime *r, int prio)
{
	size_t i;

	for (i = 0; i < r->n_prios && r->prios[i].prio > prio; i++)
		;
	if (i < r->n_prios && r->prios[i].prio == prio) {
		r->prios[i].n++;
		return;
	}
	r->prios = xreallocarray(r->prios, r->n_prios + 1, sizeof *r->prios);
	memmove(&r->prios[i + 1], &r->prios[i], (r->n_prios - i) * sizeof *r->prios);
	r->prios[i] = (struct sim_prio_count){ prio, 1 };
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
		for (size_t i = 0; i < q->n_prios; i++) {
			if (q->prios[i].n_live) {
				r->prios = xreallocarray(r->prios, r->n_prios + 1, sizeof *r->prios);
				r->prios[r->n_prios++] = (struct sim_prio_count){ q->prios[i].prio, q->prios[i].n_live };
			}
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
			count_prio(r, t->priority);
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

static void dur_add(struct sim_dur *d, int64_t v)
{
	if (d->n == 0 || v < d->min_ms)
		d->min_ms = v;
	if (d->n == 0 || v > d->max_ms)
		d->max_ms = v;
	d->total_ms += v;
	d->n++;
}

void stats_cumulative(const struct sim_engine *e, uint32_t qi, int64_t start, int64_t end,
		      int channel, const int64_t *thr, size_t n_thr, struct sim_cumulative *c)
{
	const struct sim_hist *h = &e->queues[qi].hist;

	memset(c, 0, sizeof *c);
	c->start_ms = start;
	c->end_ms = end;
	c->n_splits = n_thr;
	c->splits = n_thr ? xcalloc(n_thr, sizeof *c->splits) : NULL;
	for (size_t i = 0; i < n_thr; i++)
		c->splits[i].threshold_s = thr[i];
	for (size_t i = hist_lower_bound(h, start); i < h->n && h->v[i].t < end; i++) {
		const struct hist_rec *rec = &h->v[i];
		if (channel >= 0 && rec->channel != channel)
			continue;
		c->count[rec->kind]++;
		if (rec->kind == H_RES_ACCEPTED) {
			dur_add(&c->until_accepted, rec->wait_ms);
			dur_add(&c->in_queue_until_accepted, rec->wait_q_ms);
			for (size_t j = 0; j < n_thr; j++) {
				if (rec->wait_ms <= thr[j] * 1000)
					c->splits[j].accepted_below++;
				else
					c->splits[j].accepted_above++;
			}
		} else if (rec->kind == H_CANCELED) {
			dur_add(&c->until_canceled, rec->wait_ms);
			for (size_t j = 0; j < n_thr; j++) {
				if (rec->wait_ms <= thr[j] * 1000)
					c->splits[j].canceled_below++;
				else
					c->splits[j].canceled_above++;
			}
		}
	}
}

void stats_cumulative_clear(struct sim_cumulative *c)
{
	free(c->splits);
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
