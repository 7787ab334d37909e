/* pane-props: see pane-props.h. */
#include "config.h"
#include "pane-props.h"

#include <stdlib.h>

#include "ui-fmt.h"
#include "ui-priv.h"

#define LABEL_W 13

static int props_height(struct ui *ui, int cols)
{
	(void)ui;
	(void)cols;
	return 7;
}

static void row(struct ui *ui, WINDOW *w, int y, const char *label, const char *value,
		enum theme_element el)
{
	int cols = getmaxx(w);

	ui_put(ui, w, y, 1, LABEL_W, THEME_LABEL, label);
	ui_put(ui, w, y, 1 + LABEL_W, cols - 1 - LABEL_W, el, value);
}

static const char *opt_or_dash(const struct tq_opt_str *v)
{
	return v->st == TQ_SET ? v->v : "-";
}

static void opt_row(struct ui *ui, WINDOW *w, int y, const char *label, const struct tq_opt_str *v)
{
	row(ui, w, y, label, opt_or_dash(v), THEME_VALUE);
}

/* An activity by name, or by sid when the name did not come. */
static void activity_row(struct ui *ui, WINDOW *w, int y, const char *label,
			 const struct tq_opt_str *name, const struct tq_opt_str *sid)
{
	opt_row(ui, w, y, label, name->st == TQ_SET ? name : sid);
}

static void props_draw(struct ui *ui, struct pane *p)
{
	const struct tq_state *st = ui->st;
	const struct tq_task_queue *q = &st->queue;
	struct buf right = BUF_INIT, b = BUF_INIT;
	enum theme_element rel;
	WINDOW *w = p->win;

	ui_clear(ui, w, THEME_NORMAL);
	rel = ui_slot_age(ui, &st->queue_slot, &right);
	if (st->queue_deleted) {
		ui->stale_ctx = false;
		ui_title(ui, w, "Properties", "DELETED", THEME_STATUS_ERROR);
		ui_put(ui, w, 2, 1, p->cols - 2, THEME_VALUE_WARN, "This queue was deleted.");
		ui_put(ui, w, 3, 1, p->cols - 2, THEME_LABEL,
		       "Its last statistics stay on screen; q quits.");
		buf_free(&right);
		return;
	}
	ui_title(ui, w, "Properties", buf_cstr(&right), rel);
	if (ui_slot_empty(ui, w, &st->queue_slot, p->cols)) {
		buf_free(&right);
		return;
	}
	opt_row(ui, w, 1, "Name", &q->friendly_name);
	opt_row(ui, w, 2, "Target", &q->target_workers);
	fmt_opt_int(&b, &q->max_reserved_workers);
	row(ui, w, 3, "Max reserved", buf_cstr(&b), THEME_VALUE);
	/* task order shares the row: 80x24 has no row to spare */
	int x = 1 + LABEL_W + ui_width(ui, buf_cstr(&b)) + 3;
	ui_pair(ui, w, 3, x, p->cols - 1, "Order", opt_or_dash(&q->task_order), THEME_VALUE);
	activity_row(ui, w, 4, "Reservation", &q->reservation_activity_name, &q->reservation_activity_sid);
	activity_row(ui, w, 5, "Assignment", &q->assignment_activity_name, &q->assignment_activity_sid);
	buf_reset(&b);
	fmt_opt_time(&b, &q->date_updated);
	row(ui, w, 6, "Updated", buf_cstr(&b), THEME_VALUE);
	buf_free(&b);
	buf_free(&right);
	ui->stale_ctx = false;
}

const struct pane_ops pane_props_ops = {
	.name = "properties",
	.height = props_height,
	.draw = props_draw,
	.timed = true,
	.dirty = DIRTY_QUEUE | DIRTY_TICK,
};
