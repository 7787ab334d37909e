/* pane-header: see pane-header.h. */
#include "config.h"
#include "pane-header.h"

#include <string.h>
#include <time.h>

#include "ui-fmt.h"
#include "ui-priv.h"

static int header_height(struct ui *ui, int cols)
{
	(void)ui;
	(void)cols;
	return 1;
}

/* sid cut to n columns, the last an ellipsis: SIDs tell apart by their
 * first digits, and a short one still says which resource it is. */
static void put_sid(const struct ui *ui, struct buf *b, const char *sid, size_t n)
{
	if (strlen(sid) <= n) {
		buf_puts(b, sid);
		return;
	}
	buf_append(b, sid, n - 1);
	buf_puts(b, ui_glyph_ellipsis(ui));
}

/* The queue's name and "  WQ...  in WS..." (tail) in at most width
 * columns: the SIDs shorten before anything is dropped; when even the
 * shortest do not leave room for the whole name, the caller cuts the name
 * (the workspace stays). */
static void identity(struct ui *ui, struct buf *tail, int width)
{
	const struct tq_state *st = ui->st;
	const char *name = st->queue.friendly_name.st == TQ_SET ? st->queue.friendly_name.v : "";
	int name_w = ui_width(ui, name);

	/* the longest SIDs that fit, down to "WQ79…" */
	for (size_t n = 34; n >= 5; n--) {
		buf_reset(tail);
		if (*name)
			buf_puts(tail, "  ");
		put_sid(ui, tail, st->queue_sid ? st->queue_sid : "-", n);
		if (st->workspace_sid) {
			buf_puts(tail, "  in ");
			put_sid(ui, tail, st->workspace_sid, n);
		}
		if (name_w + ui_width(ui, buf_cstr(tail)) <= width)
			return;
	}
}

static void header_draw(struct ui *ui, struct pane *p)
{
	const struct tq_state *st = ui->st;
	struct buf left = BUF_INIT, right = BUF_INIT;
	time_t now = (time_t)(ui->now_ms / 1000);
	struct tm tm;
	char clock[40] = "--:--:--";
	int x, rw, lw;

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
	rw = ui_width(ui, buf_cstr(&right));
	if (rw > p->cols - x)
		rw = p->cols - x;
	/* left: the name (cut when it must be), then the sids */
	lw = p->cols - x - rw - 1;
	identity(ui, &left, lw);
	if (st->queue.friendly_name.st == TQ_SET) {
		int tw = ui_width(ui, buf_cstr(&left));

		x += ui_put(ui, p->win, 0, x, lw - tw > 1 ? lw - tw : 1, THEME_HEADER,
			    st->queue.friendly_name.v);
		lw = p->cols - x - rw - 1;
	}
	ui_put(ui, p->win, 0, x, lw, THEME_HEADER, buf_cstr(&left));
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
