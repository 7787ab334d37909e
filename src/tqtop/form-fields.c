/* form-fields: the edit form's window and its fields (ncurses form
 * library): made from the form's values at every layout, styled by mode
 * and lock, read back after every key (form-priv.h). */
#include "config.h"
#include "form-priv.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The field's text without the padding the form library adds. */
static char *field_text(FIELD *fld)
{
	const char *b = field_buffer(fld, 0);
	size_t n = b ? strlen(b) : 0;

	while (n && b[n - 1] == ' ')
		n--;
	return xstrndup(b ? b : "", n);
}

/* Takes what the fields hold into f->value: after every key, while the
 * fields' windows are still the size they were drawn at.  Never after a
 * resize: a shrunken window gives back only its visible part, and the
 * form library keeps the old text beyond it. */
void form_sync_values(struct form *f)
{
	if (!f->form)
		return;
	form_driver(f->form, REQ_VALIDATION);
	for (int i = 0; i < F_N; i++) {
		if (form_field_defs[i].choice)
			continue;
		free(f->value[i]);
		f->value[i] = field_text(f->fields[i]);
	}
}

/* ---- window and fields ---------------------------------------------------- */

void form_free_fields(struct form *f)
{
	if (f->form) {
		unpost_form(f->form);
		free_form(f->form);
		f->form = NULL;
	}
	for (int i = 0; i < F_N; i++) {
		if (f->fields[i])
			free_field(f->fields[i]);
		f->fields[i] = NULL;
	}
	if (f->sub)
		delwin(f->sub);
	if (f->win)
		delwin(f->win);
	f->sub = f->win = NULL;
}

void form_style_fields(struct form *f)
{
	FIELD *cur = f->form ? current_field(f->form) : NULL;

	for (int i = 0; i < F_N; i++) {
		enum theme_element el = f->locked[i] ? THEME_FIELD_LOCKED
				       : f->fields[i] == cur && f->mode == M_EDIT ? THEME_FIELD_ACTIVE
				       : THEME_FIELD;

		set_field_back(f->fields[i], ui_attr(f->ui, el));
		set_field_fore(f->fields[i], ui_attr(f->ui, el));
	}
}

void form_show_choice(struct form *f, int id)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "< %s >", *form_value_text(f, id) ? form_value_text(f, id) : "(none)");
	set_field_buffer(f->fields[id], 0, buf_cstr(&b));
	buf_free(&b);
}

void form_layout(struct form *f)
{
	struct ui *ui = f->ui;
	int cols, rows, fw;
	int cur = f->form ? field_index(current_field(f->form)) : 0;

	/* f->value is up to date (form_sync_values() after every key) */
	form_free_fields(f);
	if (ui->too_small)
		return;
	cols = ui->cols - 4 < 100 ? ui->cols - 4 : 100;
	rows = ui->rows - 2 < 20 ? ui->rows - 2 : 20;
	f->win = newwin(rows, cols, (ui->rows - rows) / 2, (ui->cols - cols) / 2);
	if (!f->win)
		return;
	keypad(f->win, TRUE);
	fw = cols - 2 - LABEL_W - 2;
	f->sub = derwin(f->win, 7, cols - 2 - LABEL_W, ROW_FIRST, 2 + LABEL_W);
	for (int i = 0; i < F_N; i++) {
		int row = i == F_NAME ? 0 : i == F_TARGET ? 1 : i + 1;	/* a row for errors */
		int width = i == F_MAXRES ? 6 : form_field_defs[i].choice ? fw : fw;
		FIELD *fld = new_field(1, width, row, 0, 0, 0);

		if (!fld) {
			form_free_fields(f);
			return;
		}
		field_opts_off(fld, O_AUTOSKIP);
		if (!form_field_defs[i].choice) {
			field_opts_off(fld, O_STATIC);
			set_max_field(fld, 0);
			set_field_buffer(fld, 0, f->value[i] ? f->value[i] : "");
		} else {
			field_opts_off(fld, O_EDIT);
		}
		if (f->locked[i])
			field_opts_off(fld, O_ACTIVE);
		f->fields[i] = fld;
	}
	f->fields[F_N] = NULL;
	for (int i = 0; i < F_N; i++)
		if (form_field_defs[i].choice)
			form_show_choice(f, i);
	f->form = new_form(f->fields);
	if (!f->form) {
		form_free_fields(f);
		return;
	}
	set_form_win(f->form, f->win);
	set_form_sub(f->form, f->sub);
	form_style_fields(f);
	if (post_form(f->form) != E_OK) {
		form_free_fields(f);
		return;
	}
	if (cur >= 0 && cur < F_N && !f->locked[cur]) {
		set_current_field(f->form, f->fields[cur]);
		form_driver(f->form, REQ_END_LINE);
	}
	ui->need_full = true;
}
