/* pane-realtime: see pane-realtime.h. */
#include "config.h"
#include "pane-realtime.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-fmt.h"
#include "ui-priv.h"
#include "xalloc.h"

#define LABEL_W 11

enum { RT_AVAILABLE, RT_ELIGIBLE, RT_TOTAL, RT_PENDING, RT_RESERVED, RT_ASSIGNED, RT_WRAPPING, RT_N };

static const char *const statuses[] = { "pending", "reserved", "assigned", "wrapping" };

/* The real-time numbers to show and the slot that says how old they are:
 * RealTimeStatistics when the engine has them, else the "realtime" half
 * of /Statistics. */
const struct tq_realtime_stats *ui_realtime(const struct ui *ui, const struct tq_slot **slot)
{
	const struct tq_state *st = ui->st;

	*slot = state_stats_slot(st, &st->realtime_slot, st->statistics.realtime_st);
	return *slot == &st->realtime_slot ? &st->realtime : &st->statistics.realtime;
}

static bool rt_value(const struct tq_realtime_stats *rt, int i, int64_t *v)
{
	const struct tq_opt_int *o = NULL;

	switch (i) {
	case RT_AVAILABLE: o = &rt->total_available_workers; break;
	case RT_ELIGIBLE: o = &rt->total_eligible_workers; break;
	case RT_TOTAL: o = &rt->total_tasks; break;
	default:
		return tq_counts_get(&rt->tasks_by_status, statuses[i - RT_PENDING], v);
	}
	if (o->st != TQ_SET)
		return false;
	*v = o->v;
	return true;
}

static void trend_push(struct trend *t, int64_t v)
{
	if (t->n < TREND_CAP) {
		t->v[(t->head + t->n) % TREND_CAP] = v;
		t->n++;
	} else {
		t->v[t->head] = v;
		t->head = (t->head + 1) % TREND_CAP;
	}
}

static int realtime_height(struct ui *ui, int cols);

void realtime_observe(struct ui *ui)
{
	const struct tq_slot *slot;
	const struct tq_realtime_stats *rt = ui_realtime(ui, &slot);
	int64_t v, pending = 0, reserved = 0;

	if (!slot->have || (uint64_t)slot->fetched_ms == ui->trend_seen_fetch)
		return;
	ui->trend_seen_fetch = (uint64_t)slot->fetched_ms;
	/* the values now shown become "previous" at the next refresh */
	for (int i = 0; i < RT_N; i++) {
		ui->prev_realtime[i] = ui->cur_realtime[i];
		ui->cur_realtime[i] = rt_value(rt, i, &v) ? v : -1;
	}
	/* more rows wanted (more activities, say): a new layout; fewer wait
	 * for the next one, so that the panes do not jump at every refresh */
	if (!ui->too_small && ui->pane[PANE_REALTIME].shown &&
	    realtime_height(ui, ui->pane[PANE_REALTIME].cols) > ui->realtime_want)
		ui_request_layout(ui);
	tq_counts_get(&rt->tasks_by_status, "pending", &pending);
	tq_counts_get(&rt->tasks_by_status, "reserved", &reserved);
	trend_push(&ui->trend[TREND_WAITING], pending + reserved);
	trend_push(&ui->trend[TREND_LONGEST],
		   rt->longest_task_waiting_age.st == TQ_SET ? rt->longest_task_waiting_age.v : 0);
	trend_push(&ui->trend[TREND_AVAILABLE],
		   rt->total_available_workers.st == TQ_SET ? rt->total_available_workers.v : 0);
}

static void add(struct flow *f, struct ui *ui, const struct tq_realtime_stats *rt, int i,
		const char *label)
{
	int64_t v = 0;
	bool have = rt_value(rt, i, &v);

	flow_add_delta(f, label, v, have, ui->prev_realtime[i]);
}

/* Each part of the pane below draws from row y in at most max rows (w
 * NULL: measures) and returns the rows it used, at least one. */

/* A part's values start after its label; the rows they wrap onto start
 * under the label, indented, as the cumulative pane's groups do: narrow
 * columns keep more on a row. */
static void part_start(struct flow *f, struct ui *ui, WINDOW *w, int y, int cols, int max,
		       const char *label)
{
	if (w)
		ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, label);
	flow_start_after(f, ui, w, y, 1 + LABEL_W, cols - 1, y + max);
}

static int part_rows(const struct flow *f, int y)
{
	return flow_rows(f, y) > 0 ? flow_rows(f, y) : 1;
}

static int workers_part(struct ui *ui, WINDOW *w, const struct tq_realtime_stats *rt, int y,
			int cols, int max)
{
	struct flow f;

	part_start(&f, ui, w, y, cols, max, "Workers");
	add(&f, ui, rt, RT_AVAILABLE, "available");
	add(&f, ui, rt, RT_ELIGIBLE, "eligible");
	return part_rows(&f, y);
}

static int tasks_part(struct ui *ui, WINDOW *w, const struct tq_realtime_stats *rt, int y,
		      int cols, int max)
{
	struct flow f;

	part_start(&f, ui, w, y, cols, max, "Tasks");
	add(&f, ui, rt, RT_TOTAL, "total");
	for (int i = RT_PENDING; i < RT_N; i++)
		add(&f, ui, rt, i, statuses[i - RT_PENDING]);
	/* statuses the server sent beyond the usual four */
	for (size_t i = 0; i < rt->tasks_by_status.n; i++) {
		const struct tq_count *c = &rt->tasks_by_status.items[i];
		bool known = false;
		char num[32];

		for (size_t k = 0; k < sizeof statuses / sizeof statuses[0]; k++)
			known = known || strcmp(c->key, statuses[k]) == 0;
		if (known)
			continue;
		snprintf(num, sizeof num, "%lld", (long long)c->n);
		flow_add(&f, c->key, num, THEME_VALUE);
	}
	return part_rows(&f, y);
}

static int priority_part(struct ui *ui, WINDOW *w, const struct tq_realtime_stats *rt, int y,
			 int cols, int max)
{
	const struct tq_counts *p = &rt->tasks_by_priority;
	struct flow_item *items = xcalloc(p->n + 1, sizeof *items);
	struct buf *text = xcalloc(p->n + 1, sizeof *text);
	struct flow f;

	part_start(&f, ui, w, y, cols, max, "Priority");
	for (size_t i = 0; i < p->n; i++) {
		buf_printf(&text[i], "%s:%lld", p->items[i].key, (long long)p->items[i].n);
		items[i] = (struct flow_item){ NULL, buf_cstr(&text[i]), THEME_VALUE };
	}
	if (p->n == 0)
		flow_add(&f, NULL, "-", THEME_VALUE);
	else
		flow_add_all(&f, items, p->n);
	for (size_t i = 0; i < p->n; i++)
		buf_free(&text[i]);
	free(text);
	free(items);
	return part_rows(&f, y);
}

static int activities_part(struct ui *ui, WINDOW *w, const struct tq_realtime_stats *rt, int y,
			   int cols, int max)
{
	size_t n = rt->n_activity_statistics;
	struct flow_item *items = xcalloc(n + 1, sizeof *items);
	struct buf *text = xcalloc(n + 1, sizeof *text);
	struct flow f;

	part_start(&f, ui, w, y, cols, max, "Activities");
	for (size_t i = 0; i < n; i++) {
		const struct tq_activity_stat *a = &rt->activity_statistics[i];

		fmt_opt_int(&text[i], &a->workers);
		items[i] = (struct flow_item){
			a->friendly_name.st == TQ_SET ? a->friendly_name.v : "?", buf_cstr(&text[i]),
			THEME_VALUE,
		};
	}
	if (n == 0)
		flow_add(&f, NULL, "-", THEME_VALUE);
	else
		flow_add_all(&f, items, n);
	for (size_t i = 0; i < n; i++)
		buf_free(&text[i]);
	free(text);
	free(items);
	return part_rows(&f, y);
}

/* The rows each part needs at width cols, nothing cut. */
struct rt_rows {
	int workers, tasks, priority, activities;
};

/* False before the first answer: nothing to measure yet. */
static bool measure(struct ui *ui, int cols, struct rt_rows *r)
{
	const struct tq_slot *slot;
	const struct tq_realtime_stats *rt = ui_realtime(ui, &slot);

	if (!slot->have)
		return false;
	r->workers = workers_part(ui, NULL, rt, 0, cols, INT_MAX / 2);
	r->tasks = tasks_part(ui, NULL, rt, 0, cols, INT_MAX / 2);
	r->priority = priority_part(ui, NULL, rt, 0, cols, INT_MAX / 2);
	r->activities = activities_part(ui, NULL, rt, 0, cols, INT_MAX / 2);
	return true;
}

/* The longest-waiting lines and the title. */
#define FIXED_ROWS 3

/* Before the first answer: the rows the pane had before it measured. */
static int placeholder_rows(int cols)
{
	return cols >= 60 ? 9 : 10;
}

static int realtime_height(struct ui *ui, int cols)
{
	struct rt_rows r;

	if (!measure(ui, cols, &r))
		return placeholder_rows(cols);
	return FIXED_ROWS + r.workers + r.tasks + r.priority + r.activities;
}

/* Fewer rows than that: priorities and activities are cut to one row
 * each (two for activities when they need it), with "+N more". */
static int realtime_min_height(struct ui *ui, int cols)
{
	struct rt_rows r;

	if (!measure(ui, cols, &r))
		return placeholder_rows(cols);
	return FIXED_ROWS + r.workers + r.tasks + 1 + (r.activities < 2 ? r.activities : 2);
}

/* "3m12s WT0123..." for the longest-waiting lines. */
static void longest(struct ui *ui, WINDOW *w, int y, int cols, const char *label,
		    const struct tq_opt_int *age, const struct tq_opt_str *sid)
{
	struct buf b = BUF_INIT;
	int x;

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, label);
	if (age->st == TQ_SET)
		fmt_duration(&b, age->v);
	else
		buf_puts(&b, "-");
	x = 1 + LABEL_W;
	x += ui_put(ui, w, y, x, cols - x, THEME_VALUE, buf_cstr(&b));
	if (sid->st == TQ_SET && x + 2 < cols)
		ui_put(ui, w, y, x + 2, cols - x - 3, THEME_LABEL, sid->v);
	buf_free(&b);
}

static void realtime_draw(struct ui *ui, struct pane *p)
{
	const struct tq_slot *slot;
	const struct tq_realtime_stats *rt = ui_realtime(ui, &slot);
	struct buf right = BUF_INIT;
	enum theme_element rel;
	struct rt_rows need;
	WINDOW *w = p->win;
	int y = 1, cols = p->cols, left, prio_rows, act_rows;

	ui_clear(ui, w, THEME_NORMAL);
	rel = ui_slot_age(ui, slot, &right);
	ui_title(ui, w, "Real-time", buf_cstr(&right), rel);
	buf_free(&right);
	if (ui_slot_empty(ui, w, slot, cols))
		return;

	/* the rows left after the parts that are never cut go to the
	 * activities first, then to the priorities */
	measure(ui, cols, &need);
	left = p->rows - FIXED_ROWS - need.workers - need.tasks;
	if (need.priority + need.activities <= left) {
		prio_rows = need.priority;
		act_rows = need.activities;
	} else {
		prio_rows = left - need.activities;
		if (prio_rows > need.priority)
			prio_rows = need.priority;
		if (prio_rows < 1)
			prio_rows = 1;
		act_rows = left - prio_rows > 1 ? left - prio_rows : 1;
	}

	y += workers_part(ui, w, rt, y, cols, need.workers);
	y += tasks_part(ui, w, rt, y, cols, need.tasks);
	y += priority_part(ui, w, rt, y, cols, prio_rows);
	longest(ui, w, y++, cols, "Longest", &rt->longest_task_waiting_age,
		&rt->longest_task_waiting_sid);
	longest(ui, w, y++, cols, " in queue", &rt->longest_relative_task_age_in_queue,
		&rt->longest_relative_task_sid_in_queue);
	activities_part(ui, w, rt, y, cols, act_rows);
	ui->stale_ctx = false;
}

const struct pane_ops pane_realtime_ops = {
	.name = "real-time",
	.height = realtime_height,
	.min_height = realtime_min_height,
	.draw = realtime_draw,
	.timed = true,
	.dirty = DIRTY_REALTIME | DIRTY_STATISTICS | DIRTY_TICK,
};
