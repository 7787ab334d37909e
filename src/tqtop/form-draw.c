/* form-draw: the edit form on the screen: labels, the error row with a
 * caret under TargetWorkers' error column, the notes (read-only fields,
 * the queue changed meanwhile), the review of old -> new with the count
 * of matching workers, and what the keys do now (form-priv.h). */
#include "config.h"
#include "form-priv.h"

#include <stdlib.h>
#include <string.h>

#include "ui-draw.h"

/* ---- drawing ---------------------------------------------------------------- */

static void clear_row(struct form *f, int y)
{
	WINDOW *w = f->win;

	wattrset(w, (int)ui_attr(f->ui, THEME_DIALOG));
	mvwhline(w, y, 1, ' ', getmaxx(w) - 2);
}

static void draw_changes(struct form *f, int y, int rows)
{
	struct ui *ui = f->ui;
	int cols = getmaxx(f->win);
	int x = 4 + LABEL_W + 2, width = cols - x - 2;
	const char *arrow = ui->ascii ? "->" : "\xe2\x86\x92";

	ui_put(ui, f->win, y++, 2, cols - 4, THEME_DIALOG_TITLE, "Changes to send:");
	for (int i = 0; i < F_N && y < rows; i++) {
		struct buf b = BUF_INIT;
		const char *old = *f->orig[i] ? f->orig[i] : "(none)";

		if (!f->changed[i])
			continue;
		clear_row(f, y);
		ui_put(ui, f->win, y, 4, LABEL_W + 2, THEME_LABEL, form_field_defs[i].param);
		buf_printf(&b, "%s %s %s", old, arrow, form_value_text(f, i));
		if (ui_width(ui, buf_cstr(&b)) <= width) {
			ui_put(ui, f->win, y++, x, width, THEME_DIALOG, buf_cstr(&b));
		} else {
			/* too long for one line: old above new */
			ui_put(ui, f->win, y++, x + 2, width - 2, THEME_DIALOG, old);
			buf_reset(&b);
			buf_printf(&b, "%s %s", arrow, form_value_text(f, i));
			if (y < rows) {
				clear_row(f, y);
				ui_put(ui, f->win, y++, x, width, THEME_DIALOG, buf_cstr(&b));
			}
		}
		if (i == F_TARGET && y < rows) {
			clear_row(f, y);
			ui_put(ui, f->win, y++, x + 2, width - 2, THEME_DIALOG,
			       f->preview_busy ? "counting matching workers..." :
			       f->preview_text ? f->preview_text : "");
		}
		buf_free(&b);
	}
}

void form_draw(struct form *f)
{
	struct ui *ui = f->ui;
	WINDOW *w = f->win;
	int cols, rows, y;
	struct buf locked = BUF_INIT;

	if (!w || !f->form)
		return;
	cols = getmaxx(w);
	rows = getmaxy(w);
	ui->stale_ctx = false;
	wbkgdset(w, ' ' | ui_attr(ui, THEME_DIALOG));

	/* frame and labels (the fields are drawn by the form library) */
	wattrset(w, (int)ui_attr(ui, THEME_DIALOG));
	for (y = 1; y < rows - 1; y++) {
		if (y >= ROW_FIRST && y < ROW_FIRST + 7) {
			mvwhline(w, y, 0, ' ', 2 + LABEL_W);
			mvwhline(w, y, cols - 2, ' ', 2);
		} else {
			mvwhline(w, y, 0, ' ', cols);
		}
	}
	ui_frame(ui, w, "Edit queue", THEME_DIALOG, THEME_DIALOG_TITLE);
	for (int i = 0; i < F_N; i++) {
		int row = ROW_FIRST + (i == F_NAME ? 0 : i == F_TARGET ? 1 : i + 1);

		ui_put(ui, w, row, 2, LABEL_W, THEME_LABEL, form_field_defs[i].label);
		if (f->locked[i]) {
			if (locked.len)
				buf_puts(&locked, ", ");
			buf_puts(&locked, form_field_defs[i].param);
		}
	}
	/* the TargetWorkers error row: a caret under the column when it is
	 * within the visible part of the field */
	wattrset(w, (int)ui_attr(ui, THEME_DIALOG));
	mvwhline(w, ROW_ERROR, 2 + LABEL_W, ' ', cols - 4 - LABEL_W);
	if (f->error_field == F_TARGET && f->error_col > 0) {
		struct buf b = BUF_INIT;
		int fw = cols - 4 - LABEL_W;

		if (f->error_col - 1 + 12 <= fw)
			buf_printf(&b, "%*s^ col %d", f->error_col - 1, "", f->error_col);
		else
			buf_printf(&b, "col %d", f->error_col);
		ui_put(ui, w, ROW_ERROR, 2 + LABEL_W, fw, THEME_ERROR, buf_cstr(&b));
		buf_free(&b);
	}
	/* a hint after the short MaxReservedWorkers field */
	ui_put(ui, w, ROW_FIRST + F_MAXRES + 1, 2 + LABEL_W + 8, 20, THEME_DIALOG, "1..50");

	y = ROW_NOTES;
	if (locked.len) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "read-only for this token: %s", buf_cstr(&locked));
		ui_put(ui, w, y++, 2, cols - 4, THEME_FIELD_LOCKED, buf_cstr(&b));
		buf_free(&b);
	}
	if (!f->n_acts && !f->locked[F_RESACT])
		ui_put(ui, w, y++, 2, cols - 4, THEME_DIALOG,
		       "no list of activities yet: the activities cannot be picked");
	if (f->notice)
		y += ui_put_wrapped(ui, w, y, 2, cols - 4, 2, THEME_ERROR, f->notice);

	if (f->mode != M_EDIT)
		draw_changes(f, y < ROW_CHANGES ? ROW_CHANGES : y, f->error ? rows - 4 : rows - 3);

	if (f->error) {
		/* two rows: Twilio's messages are long */
		clear_row(f, rows - 4);
		if (ui_put_wrapped(ui, w, rows - 4, 2, cols - 4, 2, THEME_ERROR, f->error) == 1) {
			clear_row(f, rows - 4);
			clear_row(f, rows - 3);
			ui_put(ui, w, rows - 3, 2, cols - 4, THEME_ERROR, f->error);
		}
	} else if (f->mode == M_REFETCH)
		ui_put(ui, w, rows - 3, 2, cols - 4, THEME_DIALOG, "re-fetching the queue before writing...");
	else if (f->mode == M_SEND)
		ui_put(ui, w, rows - 3, 2, cols - 4, THEME_DIALOG, "sending the update...");

	ui_put(ui, w, rows - 2, 2, cols - 4, THEME_DIALOG,
	       f->mode == M_EDIT ? "Enter review   Tab next field   Left/Right pick   Esc cancel"
	       : f->mode == M_REVIEW ? "Enter send these changes   Esc back to editing"
	       : "waiting for TaskRouter...");
	buf_free(&locked);

	curs_set(f->mode == M_EDIT ? 1 : 0);
	leaveok(w, FALSE);
	pos_form_cursor(f->form);
}

WINDOW *form_window(const struct form *f)
{
	return f->win;
}
