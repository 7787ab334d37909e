/* ui-layout: where the panes go (ui-layout.h). */
#include "config.h"
#include "ui-layout.h"

#include <string.h>

#include <curses.h>

#include "ui-priv.h"

static void pane_hide(struct pane *p)
{
	if (p->win) {
		delwin(p->win);
		p->win = NULL;
	}
	p->shown = false;
}

static void pane_place(struct ui *ui, enum pane_id id, int y, int x, int rows, int cols)
{
	struct pane *p = &ui->pane[id];

	pane_hide(p);
	if (rows <= 0 || cols <= 0)
		return;
	p->win = newwin(rows, cols, y, x);
	if (!p->win)
		return;
	leaveok(p->win, TRUE);
	p->y = y;
	p->x = x;
	p->rows = rows;
	p->cols = cols;
	p->shown = true;
}

static int pane_h(struct ui *ui, enum pane_id id, int cols)
{
	return ui->pane[id].ops->height(ui, cols);
}

static int pane_min_h(struct ui *ui, enum pane_id id, int cols)
{
	const struct pane_ops *ops = ui->pane[id].ops;

	return ops->min_height ? ops->min_height(ui, cols) : ops->height(ui, cols);
}

/* The event log is worth its place from this many rows (title included). */
#define LOG_MIN_ROWS 6

/* Where the panes below the header go: rows 0 = not shown. */
struct plan {
	struct { int y, x, rows, cols; } at[PANE_N];
};

static void plan_set(struct plan *pl, enum pane_id id, int y, int x, int rows, int cols)
{
	pl->at[id].y = y;
	pl->at[id].x = x;
	pl->at[id].rows = rows;
	pl->at[id].cols = cols;
}

/* The two columns on top: properties over real-time (hr rows) on the
 * left, cumulative on the right; then the trends and the log where they
 * fit.  With exact set, only an arrangement where every pane fits whole
 * (the log with LOG_MIN_ROWS at least) is accepted; without it, the best
 * there is, dropping what does not fit. */
static bool plan_for(struct ui *ui, int hr, bool exact, struct plan *pl)
{
	int rows = ui->rows, cols = ui->cols;
	int H = rows - 3, lw = cols / 2, rw = cols - lw;
	int hp = pane_h(ui, PANE_PROPS, lw), hc = pane_h(ui, PANE_CUMULATIVE, rw);
	int T = pane_h(ui, PANE_TRENDS, cols);
	int L = hp + hr, R = hc, top = L > R ? L : R;
	bool log = ui->show_log;

	memset(pl, 0, sizeof *pl);
	plan_set(pl, PANE_PROPS, 1, 0, hp, lw);
	plan_set(pl, PANE_REALTIME, 1 + hp, 0, hr, lw);
	plan_set(pl, PANE_CUMULATIVE, 1, lw, hc, rw);
	if (exact && top > H)
		return false;

	/* the trends beside the shorter column, or across under both; the
	 * log across under everything */
	if (!exact || !log || H - top >= LOG_MIN_ROWS) {
		int t = top;
		bool trends = true;

		if (R + T <= L)
			plan_set(pl, PANE_TRENDS, 1 + R, lw, T, rw);
		else if (L + T <= R)
			plan_set(pl, PANE_TRENDS, 1 + L, 0, T, lw);
		else if (t + T <= H)
			plan_set(pl, PANE_TRENDS, 1 + t, 0, T, cols), t += T;
		else
			trends = false;
		if (log && H - t >= (exact ? LOG_MIN_ROWS : 3))
			plan_set(pl, PANE_LOG, 1 + t, 0, H - t, cols);
		if (!exact || (trends && (!log || H - t >= LOG_MIN_ROWS)))
			return true;
		memset(&pl->at[PANE_TRENDS], 0, sizeof pl->at[PANE_TRENDS]);
		memset(&pl->at[PANE_LOG], 0, sizeof pl->at[PANE_LOG]);
	}
	if (!log)
		return false;
	/* small screens: the trends under the left column, the log fills
	 * the right one */
	if (L + T <= H && H - R >= LOG_MIN_ROWS) {
		plan_set(pl, PANE_TRENDS, 1 + L, 0, T, lw);
		plan_set(pl, PANE_LOG, 1 + R, lw, H - R, rw);
		return true;
	}
	/* a tall real-time pane: the trends and the log both on the right */
	if (L <= H && R + T + LOG_MIN_ROWS <= H) {
		plan_set(pl, PANE_TRENDS, 1 + R, lw, T, rw);
		plan_set(pl, PANE_LOG, 1 + R + T, lw, H - R - T, rw);
		return true;
	}
	return false;
}

void ui_layout(struct ui *ui)
{
	int rows = LINES, cols = COLS;
	struct plan pl;
	int want, least, hr;

	ui->rows = rows;
	ui->cols = cols;
	ui->need_layout = false;
	ui->too_small = cols < UI_MIN_COLS || rows < UI_MIN_ROWS;
	for (int i = 0; i < PANE_N; i++)
		pane_hide(&ui->pane[i]);
	if (ui->small_win) {
		delwin(ui->small_win);
		ui->small_win = NULL;
	}
	if (ui->too_small) {
		ui->small_win = newwin(rows, cols, 0, 0);
		return;
	}
	pane_place(ui, PANE_HEADER, 0, 0, 1, cols);
	pane_place(ui, PANE_HINTS, rows - 2, 0, 1, cols);
	pane_place(ui, PANE_STATUS, rows - 1, 0, 1, cols);

	/* the real-time pane grows with its data (workers per activity,
	 * tasks by priority): as tall as it wants where everything else
	 * still fits whole, else shorter, down to what it makes do with */
	want = pane_h(ui, PANE_REALTIME, cols / 2);
	least = pane_min_h(ui, PANE_REALTIME, cols / 2);
	ui->realtime_want = want;
	for (hr = want; hr >= least; hr--)
		if (plan_for(ui, hr, true, &pl))
			break;
	if (hr < least)
		plan_for(ui, least, false, &pl);
	for (int i = 0; i < PANE_N; i++)
		if (pl.at[i].rows > 0)
			pane_place(ui, (enum pane_id)i, pl.at[i].y, pl.at[i].x, pl.at[i].rows,
				   pl.at[i].cols);
}

void ui_layout_free(struct ui *ui)
{
	for (int i = 0; i < PANE_N; i++)
		pane_hide(&ui->pane[i]);
	if (ui->small_win) {
		delwin(ui->small_win);
		ui->small_win = NULL;
	}
}
