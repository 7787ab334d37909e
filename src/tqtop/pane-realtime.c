/* pane-realtime: RealTimeStatistics: workers, tasks by status and by
 * priority, the longest waiting task, workers per activity.  Also keeps
 * the values of the previous refresh (for the arrows) and the samples of
 * the trends pane. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-fmt.h"
#include "ui-priv.h"

#define LABEL_W 11

enum { RT_AVAILABLE, RT_ELIGIBLE, RT_TOTAL, RT_PENDING, RT_RESERVED, RT_ASSIGNED, RT_WRAPPING, RT_N };

static const char *const statuses[] = { "pending", "reserved", "assigned", "wrapping" };

/* The real-time numbers to show and the slot that says how old they are:
 * RealTimeStatistics when the engine has them, else the "realtime" half
 * of /Statistics. */
const struct tq_realtime_stats *ui_realtime(const struct ui *ui, const struct tq_slot **slot)
{
	const struct tq_state *st = ui->st;

	if (st->realtime_slot.have || !st->statistics_slot.have ||
	    st->statistics.realtime_st != TQ_SET) {
		*slot = &st->realtime_slot;
		return &st->realtime;
	}
	*slot = &st->statistics_slot;
	return &st->statistics.realtime;
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
	tq_counts_get(&rt->tasks_by_status, "pending", &pending);
	tq_counts_get(&rt->tasks_by_status, "reserved", &reserved);
	trend_push(&ui->trend[TREND_WAITING], pending + reserved);
	trend_push(&ui->trend[TREND_LONGEST],
		   rt->longest_task_waiting_age.st == TQ_SET ? rt->longest_task_waiting_age.v : 0);
	trend_push(&ui->trend[TREND_AVAILABLE],
		   rt->total_available_workers.st == TQ_SET ? rt->total_available_workers.v : 0);
}

static int realtime_height(const struct ui *ui, int cols)
{
	(void)ui;
	/* narrow columns wrap tasks and activities onto a second row */
	return cols >= 60 ? 9 : 10;
}

static void add(struct flow *f, struct ui *ui, const struct tq_realtime_stats *rt, int i,
		const char *label)
{
	int64_t v = 0;
	bool have = rt_value(rt, i, &v);

	flow_add_delta(f, label, v, have, ui->prev_realtime[i]);
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
	struct flow f;
	WINDOW *w = p->win;
	int y = 1, cols = p->cols;

	ui_clear(ui, w, THEME_NORMAL);
	rel = ui_slot_age(ui, slot, &right);
	ui_title(ui, w, "Real-time", buf_cstr(&right), rel);
	buf_free(&right);
	if (!slot->have) {
		if (slot->err.kind != APIERR_NONE) {
			char *e = apierr_text(&slot->err);
			ui_put(ui, w, 1, 1, cols - 2, THEME_VALUE_WARN, e);
			free(e);
		}
		ui->stale_ctx = false;
		return;
	}

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, "Workers");
	flow_start(&f, ui, w, y, 1 + LABEL_W, cols - 1, y + 1);
	add(&f, ui, rt, RT_AVAILABLE, "available");
	add(&f, ui, rt, RT_ELIGIBLE, "eligible");
	y++;

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, "Tasks");
	flow_start(&f, ui, w, y, 1 + LABEL_W, cols - 1, y + 3);
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
	y = f.y + 1;

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, "Priority");
	flow_start(&f, ui, w, y, 1 + LABEL_W, cols - 1, y + 1);
	if (rt->tasks_by_priority.n == 0)
		flow_add(&f, NULL, "-", THEME_VALUE);
	for (size_t i = 0; i < rt->tasks_by_priority.n; i++) {
		struct buf pv = BUF_INIT;

		buf_printf(&pv, "%s:%lld", rt->tasks_by_priority.items[i].key,
			   (long long)rt->tasks_by_priority.items[i].n);
		flow_add(&f, NULL, buf_cstr(&pv), THEME_VALUE);
		buf_free(&pv);
	}
	y++;

	longest(ui, w, y++, cols, "Longest", &rt->longest_task_waiting_age,
		&rt->longest_task_waiting_sid);
	longest(ui, w, y++, cols, " in queue", &rt->longest_relative_task_age_in_queue,
		&rt->longest_relative_task_sid_in_queue);

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, "Activities");
	flow_start(&f, ui, w, y, 1 + LABEL_W, cols - 1, p->rows);
	if (rt->n_activity_statistics == 0)
		flow_add(&f, NULL, "-", THEME_VALUE);
	for (size_t i = 0; i < rt->n_activity_statistics; i++) {
		const struct tq_activity_stat *a = &rt->activity_statistics[i];
		struct buf n = BUF_INIT;

		fmt_opt_int(&n, &a->workers);
		if (!flow_add(&f, a->friendly_name.st == TQ_SET ? a->friendly_name.v : "?",
			      buf_cstr(&n), THEME_VALUE)) {
			buf_free(&n);
			break;
		}
		buf_free(&n);
	}
	ui->stale_ctx = false;
}

const struct pane_ops pane_realtime_ops = {
	.name = "real-time",
	.height = realtime_height,
	.draw = realtime_draw,
	.timed = true,
	.dirty = DIRTY_REALTIME | DIRTY_STATISTICS | DIRTY_TICK,
};
