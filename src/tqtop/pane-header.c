/* pane-header: the top line: the queue (friendly name and sid), its
 * workspace, the refresh interval, the statistics window and the clock. */
#include "config.h"

#include <time.h>

#include "ui-fmt.h"
#include "ui-priv.h"

static int header_height(struct ui *ui, int cols)
{
	(void)ui;
	(void)cols;
	return 1;
}

static void header_draw(struct ui *ui, struct pane *p)
{
	const struct tq_state *st = ui->st;
	struct buf left = BUF_INIT, right = BUF_INIT;
	time_t now = (time_t)(ui->now_ms / 1000);
	struct tm tm;
	char clock[40] = "--:--:--";
	int x, rw;

	ui_clear(ui, p->win, THEME_HEADER);
	/* local time, as top shows it; the zone says which */
	if (localtime_r(&now, &tm))
		strftime(clock, sizeof clock, "%H:%M:%S %Z", &tm);

	buf_puts(&right, "every ");
	fmt_interval(&right, st->refresh_ms);
	buf_puts(&right, "  window ");
	fmt_window(&right, st->window_minutes);
	buf_printf(&right, "  %s ", clock);

	x = ui_put(ui, p->win, 0, 0, p->cols, THEME_HEADER, " tqtop  ");
	if (st->queue_deleted) {
		x += ui_put(ui, p->win, 0, x, p->cols - x, THEME_STATUS_ERROR, " DELETED ");
		x += ui_put(ui, p->win, 0, x, p->cols - x, THEME_HEADER, " ");
	} else if (st->frozen) {
		x += ui_put(ui, p->win, 0, x, p->cols - x, THEME_STATUS_WARN, " FROZEN ");
		x += ui_put(ui, p->win, 0, x, p->cols - x, THEME_HEADER, " ");
	}
	if (st->queue.friendly_name.st == TQ_SET)
		buf_printf(&left, "%s  ", st->queue.friendly_name.v);
	buf_printf(&left, "%s", st->queue_sid ? st->queue_sid : "-");
	if (st->workspace_sid)
		buf_printf(&left, "  in %s", st->workspace_sid);

	rw = ui_width(ui, buf_cstr(&right));
	if (rw > p->cols - x)
		rw = p->cols - x;
	ui_put(ui, p->win, 0, x, p->cols - x - rw - 1, THEME_HEADER, buf_cstr(&left));
	ui_put_right(ui, p->win, 0, p->cols, rw, THEME_HEADER, buf_cstr(&right));
	buf_free(&left);
	buf_free(&right);
}

const struct pane_ops pane_header_ops = {
	.name = "header",
	.height = header_height,
	.draw = header_draw,
	.timed = true,
	.dirty = DIRTY_HEADER | DIRTY_QUEUE,
};
