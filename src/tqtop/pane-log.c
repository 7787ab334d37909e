/* pane-log: see pane-log.h. */
#include "config.h"
#include "pane-log.h"

#include <string.h>

#include "ui-fmt.h"
#include "ui-priv.h"

static int log_height(struct ui *ui, int cols)
{
	(void)ui;
	(void)cols;
	return 4;
}

static enum theme_element level_el(enum tq_log_level l)
{
	switch (l) {
	case TQ_LOG_ERROR: return THEME_LOG_ERROR;
	case TQ_LOG_WARN:  return THEME_LOG_WARN;
	case TQ_LOG_INFO:  return THEME_LOG_INFO;
	case TQ_LOG_DEBUG: return THEME_LOG_DEBUG;
	}
	return THEME_LOG_INFO;
}

/* log.h lines start "YYYY-MM-DDTHH:MM:SS.mmmZ level " */
#define STAMP_LEN 24

static void log_draw(struct ui *ui, struct pane *p)
{
	const struct tq_state *st = ui->st;
	WINDOW *w = p->win;
	int lines = p->rows - 1;
	size_t first = st->log_n > (size_t)lines ? st->log_n - (size_t)lines : 0;

	ui_clear(ui, w, THEME_NORMAL);
	ui->stale_ctx = false;
	ui_title(ui, w, ui->debug ? "Event log (debug)" : "Event log",
		 st->log_n ? NULL : "empty", THEME_AGE);
	for (size_t i = first; i < st->log_n; i++) {
		const struct tq_log_line *l = state_log_line(st, i);
		const char *text = l->text;
		int y = 1 + (int)(i - first), x = 1;
		char clock[9];

		if (strlen(text) > STAMP_LEN && text[10] == 'T' && text[STAMP_LEN - 1] == 'Z') {
			memcpy(clock, text + 11, 8);
			clock[8] = '\0';
			x += ui_put(ui, w, y, x, p->cols - x, THEME_LOG_TIME, clock) + 1;
			text += STAMP_LEN + 1;
		}
		ui_put(ui, w, y, x, p->cols - x - 1, level_el(l->level), text);
	}
}

const struct pane_ops pane_log_ops = {
	.name = "log",
	.height = log_height,
	.draw = log_draw,
	.dirty = DIRTY_LOG,
};
