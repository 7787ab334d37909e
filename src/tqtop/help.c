/* help: the '?' overlay (help.h). */
#include "config.h"
#include "help.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "ui-priv.h"
#include "xalloc.h"

/* The overlay's lines: a context title, then its bindings. */
static void help_lines(struct buf *b)
{
	for (int ctx = 0; ctx < KEYCTX_N; ctx++) {
		if (ctx)
			buf_putc(b, '\n');
		buf_printf(b, "%s\n", keys_context_title((enum key_context)ctx));
		keys_help_text((enum key_context)ctx, b);
	}
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

void help_open(struct ui *ui)
{
	ui->help_open = true;
	ui->help_scroll = 0;
	ui->need_full = true;
}

void help_close(struct ui *ui)
{
	if (ui->help_win)
		delwin(ui->help_win);
	ui->help_win = NULL;
	ui->help_open = false;
	ui->need_full = true;
}

enum reaction help_key(struct ui *ui, wint_t ch, bool is_key)
{
	if (is_key && (ch == KEY_DOWN || ch == KEY_NPAGE)) {
		ui->help_scroll += ch == KEY_DOWN ? 1 : 10;
		return R_REDRAW;
	}
	if (is_key && (ch == KEY_UP || ch == KEY_PPAGE)) {
		ui->help_scroll -= ch == KEY_UP ? 1 : 10;
		if (ui->help_scroll < 0)
			ui->help_scroll = 0;
		return R_REDRAW;
	}
	help_close(ui);
	return R_CLOSE;
}

void help_draw(struct ui *ui)
{
	struct buf text = BUF_INIT;
	int rows, cols, body, total, y = 0;
	const char *line;

	if (ui->too_small)
		return;
	help_lines(&text);
	total = (int)count_lines(buf_cstr(&text));
	cols = ui->cols - 4 < 78 ? ui->cols - 4 : 78;
	rows = total + 4 < ui->rows - 2 ? total + 4 : ui->rows - 2;
	body = rows - 4;
	if (ui->help_scroll > total - body)
		ui->help_scroll = total - body > 0 ? total - body : 0;

	if (!ui->help_win || getmaxy(ui->help_win) != rows || getmaxx(ui->help_win) != cols) {
		if (ui->help_win)
			delwin(ui->help_win);
		ui->help_win = newwin(rows, cols, (ui->rows - rows) / 2, (ui->cols - cols) / 2);
		if (!ui->help_win) {
			buf_free(&text);
			return;
		}
		leaveok(ui->help_win, TRUE);
	}
	WINDOW *w = ui->help_win;
	ui->stale_ctx = false;
	ui_clear(ui, w, THEME_DIALOG);
	ui_frame(ui, w, "tqtop keys", THEME_DIALOG, THEME_DIALOG_TITLE);
	line = buf_cstr(&text);
	for (int i = 0; *line; i++) {
		size_t n = strcspn(line, "\n");
		char *l = xstrndup(line, n);

		if (i >= ui->help_scroll && y < body) {
			/* context titles have no two-space column */
			bool title = n && !strstr(l, "  ");

			ui_put(ui, w, 2 + y, 2, cols - 4, title ? THEME_DIALOG_TITLE : THEME_DIALOG, l);
			y++;
		}
		free(l);
		line += n + (line[n] == '\n');
	}
	ui_put(ui, w, rows - 1, 2, cols - 4, THEME_DIALOG,
	       total > body ? " Up/Down scroll, any other key closes " : " any key closes ");
	buf_free(&text);
}
