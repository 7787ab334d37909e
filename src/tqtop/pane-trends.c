/* pane-trends: see pane-trends.h. */
#include "config.h"
#include "pane-trends.h"

#include "ui-fmt.h"
#include "ui-priv.h"

#define LABEL_W 11
#define VALUE_W 8

static int trends_height(struct ui *ui, int cols)
{
	(void)ui;
	(void)cols;
	return 1 + TREND_N;
}

static void trends_draw(struct ui *ui, struct pane *p)
{
	static const char *const labels[TREND_N] = { "Waiting", "Longest", "Available" };
	WINDOW *w = p->win;
	int width = p->cols - 2 - LABEL_W - VALUE_W;

	ui_clear(ui, w, THEME_NORMAL);
	ui->stale_ctx = false;
	ui_title(ui, w, "Trends", "one mark per refresh", THEME_AGE);
	for (int i = 0; i < TREND_N && 1 + i < p->rows; i++) {
		const struct trend *t = &ui->trend[i];
		struct buf v = BUF_INIT;

		ui_put(ui, w, 1 + i, 1, LABEL_W, THEME_LABEL, labels[i]);
		if (width > 0)
			ui_spark(ui, w, 1 + i, 1 + LABEL_W, width, t);
		if (t->n == 0)
			buf_puts(&v, "-");
		else if (i == TREND_LONGEST)
			fmt_duration(&v, t->v[(t->head + t->n - 1) % TREND_CAP]);
		else
			buf_printf(&v, "%lld", (long long)t->v[(t->head + t->n - 1) % TREND_CAP]);
		ui_put_right(ui, w, 1 + i, p->cols - 1, VALUE_W, THEME_VALUE, buf_cstr(&v));
		buf_free(&v);
	}
}

const struct pane_ops pane_trends_ops = {
	.name = "trends",
	.height = trends_height,
	.draw = trends_draw,
	.dirty = DIRTY_REALTIME | DIRTY_STATISTICS,
};
