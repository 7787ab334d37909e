/* pane-cumulative: see pane-cumulative.h. */
#include "config.h"
#include "pane-cumulative.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "ui-fmt.h"
#include "ui-priv.h"
#include "xalloc.h"

#define LABEL_W 11
#define COL_W 8

const struct tq_cumulative_stats *ui_cumulative(const struct ui *ui, const struct tq_slot **slot)
{
	const struct tq_state *st = ui->st;

	*slot = state_stats_slot(st, &st->cumulative_slot, st->statistics.cumulative_st);
	return *slot == &st->cumulative_slot ? &st->cumulative : &st->statistics.cumulative;
}

/* Rows the --sla thresholds take at width cols, each measured at its
 * widest ("100%"), so that the height does not change with the values. */
static int sla_rows(struct ui *ui, int cols)
{
	const struct tq_state *st = ui->st;
	struct flow f;
	int rows;

	flow_start_after(&f, ui, NULL, 0, 1 + LABEL_W, cols - 1, INT_MAX / 2);
	for (size_t i = 0; i < st->n_sla; i++) {
		char label[32];

		snprintf(label, sizeof label, "%lds:", st->sla[i]);
		flow_add(&f, label, "100%", THEME_VALUE);
	}
	rows = flow_rows(&f, 0);
	return rows > 0 ? rows : 1;
}

static int cumulative_height(struct ui *ui, int cols)
{
	return (cols < 60 ? 11 : 9) + sla_rows(ui, cols);
}

static void count(struct flow *f, const char *label, const struct tq_opt_int *v)
{
	struct buf b = BUF_INIT;

	fmt_opt_int(&b, v);
	flow_add(f, label, buf_cstr(&b), THEME_VALUE);
	buf_free(&b);
}

/* A flow whose first row starts with a group name and whose next rows
 * are indented by two. */
static void group(struct flow *f, struct ui *ui, WINDOW *w, int y, int rows, const char *name)
{
	int x = 1 + ui_put(ui, w, y, 1, getmaxx(w) - 2, THEME_LABEL, name);

	flow_start_after(f, ui, w, y, x + 1, getmaxx(w) - 1, y + rows);
}

static void wait_row(struct ui *ui, WINDOW *w, int y, const char *label, const struct tq_duration *d)
{
	const struct tq_opt_num *v[3] = { &d->avg, &d->min, &d->max };

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, label);
	for (int i = 0; i < 3; i++) {
		struct buf b = BUF_INIT;

		if (d->st == TQ_SET)
			fmt_opt_dur(&b, v[i]);
		else
			buf_puts(&b, "-");
		ui_put(ui, w, y, 1 + LABEL_W + i * COL_W, COL_W - 1, THEME_VALUE, buf_cstr(&b));
		buf_free(&b);
	}
}

/* "20s: 72%" per --sla threshold, "+N more" for those that do not fit. */
static void sla_flow(struct flow *f, const struct tq_cumulative_stats *c)
{
	size_t n = c->n_split_by_wait_time;
	struct flow_item *items = xcalloc(n + 1, sizeof *items);
	struct buf *text = xcalloc(2 * n + 1, sizeof *text);

	for (size_t i = 0; i < n; i++) {
		const struct tq_split *sp = &c->split_by_wait_time[i];
		struct buf *l = &text[2 * i], *v = &text[2 * i + 1];
		int64_t num, den;

		buf_printf(l, "%ss:", sp->threshold);
		if (sla_share(sp, &num, &den))
			fmt_percent(v, num, den);
		else
			buf_puts(v, "-");
		items[i] = (struct flow_item){ buf_cstr(l), buf_cstr(v), THEME_VALUE };
	}
	flow_add_all(f, items, n);
	for (size_t i = 0; i < 2 * n; i++)
		buf_free(&text[i]);
	free(text);
	free(items);
}

static void cumulative_draw(struct ui *ui, struct pane *p)
{
	const struct tq_state *st = ui->st;
	const struct tq_slot *slot;
	const struct tq_cumulative_stats *c = ui_cumulative(ui, &slot);
	struct buf title = BUF_INIT, right = BUF_INIT, b = BUF_INIT;
	enum theme_element rel;
	struct flow f;
	WINDOW *w = p->win;
	int y = 1, cols = p->cols;

	ui_clear(ui, w, THEME_NORMAL);
	rel = ui_slot_age(ui, slot, &right);
	buf_puts(&title, "Cumulative, last ");
	fmt_window(&title, st->cumulative_window ? st->cumulative_window : st->window_minutes);
	if (st->cumulative_window && st->cumulative_window != st->window_minutes) {
		buf_puts(&title, " (loading ");
		fmt_window(&title, st->window_minutes);
		buf_puts(&title, ")");
	}
	ui_title(ui, w, buf_cstr(&title), buf_cstr(&right), rel);
	buf_free(&title);
	buf_free(&right);
	if (ui_slot_empty(ui, w, slot, cols))
		return;

	group(&f, ui, w, y, cols < 60 ? 2 : 1, "Tasks");
	count(&f, "entered", &c->tasks_entered);
	count(&f, "completed", &c->tasks_completed);
	count(&f, "canceled", &c->tasks_canceled);
	count(&f, "deleted", &c->tasks_deleted);
	count(&f, "moved", &c->tasks_moved);
	y = f.y + 1;

	group(&f, ui, w, y, cols < 60 ? 3 : 2, "Reservations");
	count(&f, "created", &c->reservations_created);
	count(&f, "accepted", &c->reservations_accepted);
	count(&f, "rejected", &c->reservations_rejected);
	count(&f, "timed out", &c->reservations_timed_out);
	count(&f, "canceled", &c->reservations_canceled);
	count(&f, "rescinded", &c->reservations_rescinded);
	y = f.y + 1;

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, "Acceptance");
	fmt_opt_dur(&b, &c->avg_task_acceptance_time);
	ui_pair(ui, w, y, 1 + LABEL_W, cols - 1, "avg", buf_cstr(&b), THEME_VALUE);
	y++;

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, "Wait");
	ui_put(ui, w, y, 1 + LABEL_W, COL_W, THEME_LABEL, "avg");
	ui_put(ui, w, y, 1 + LABEL_W + COL_W, COL_W, THEME_LABEL, "min");
	ui_put(ui, w, y, 1 + LABEL_W + 2 * COL_W, COL_W, THEME_LABEL, "max");
	y++;
	wait_row(ui, w, y++, " accepted", &c->wait_duration_until_accepted);
	wait_row(ui, w, y++, " in queue", &c->wait_duration_in_queue_until_accepted);
	wait_row(ui, w, y++, " canceled", &c->wait_duration_until_canceled);

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, "SLA");
	flow_start_after(&f, ui, w, y, 1 + LABEL_W, cols - 1, p->rows);
	if (c->n_split_by_wait_time == 0)
		flow_add(&f, NULL, "-", THEME_VALUE);
	sla_flow(&f, c);
	buf_free(&b);
	ui->stale_ctx = false;
}

const struct pane_ops pane_cumulative_ops = {
	.name = "cumulative",
	.height = cumulative_height,
	.draw = cumulative_draw,
	.timed = true,
	/* not DIRTY_HEADER: every tick sets it, and this pane would then draw
	 * its age going up just before the answer brings it back to 0 */
	.dirty = DIRTY_CUMULATIVE | DIRTY_STATISTICS | DIRTY_TICK,
};
