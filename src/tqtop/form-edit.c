/* form-edit: the edit form's life: open, close, and its keys
 * (form-edit.h; the parts: form-values.c, form-fields.c, form-check.c,
 * form-send.c, form-draw.c). */
#include "config.h"
#include "form-edit.h"

#include <stdlib.h>
#include <string.h>

#include "form-priv.h"
#include "keys.h"
#include "ui-input.h"
#include "xalloc.h"

/* ---- open / close -------------------------------------------------------- */

struct form *form_open(struct ui *ui)
{
	struct form *f = xcalloc(1, sizeof *f);

	f->ui = ui;
	f->error_field = -1;
	form_load_orig(f);
	for (int i = 0; i < F_N; i++) {
		f->choice[i] = -1;
		if (!form_field_defs[i].choice)
			f->value[i] = xstrdup(f->orig[i]);
	}
	form_compute_locks(f);
	form_load_activities(f);
	form_layout(f);
	if (!f->form) {
		form_close(&f);
		ui_message(ui, true, "edit: the form does not fit on this screen");
		return NULL;
	}
	/* the cursor shows where typing goes */
	curs_set(1);
	return f;
}

void form_close(struct form **fp)
{
	struct form *f = *fp;

	if (!f)
		return;
	ui_cancel_requests(f);
	form_free_fields(f);
	for (int i = 0; i < F_N; i++) {
		free(f->orig[i]);
		free(f->orig_sid[i]);
		free(f->value[i]);
	}
	free(f->error);
	free(f->notice);
	free(f->preview_expr);
	free(f->preview_text);
	for (size_t i = 0; i < f->n_acts; i++) {
		free(f->acts[i].sid);
		free(f->acts[i].name);
	}
	free(f->acts);
	f->ui->need_full = true;
	curs_set(0);
	free(f);
	*fp = NULL;
}

bool form_busy(const struct form *f)
{
	return f->mode == M_REFETCH || f->mode == M_SEND || f->preview_busy;
}

/* ---- keys ------------------------------------------------------------------ */

static int current(const struct form *f)
{
	return f->form ? field_index(current_field(f->form)) : -1;
}

static void step_choice(struct form *f, int id, int dir)
{
	int n = form_n_choices(f, id);
	int i = f->choice[id];

	if (n == 0 || f->locked[id])
		return;
	if (i < 0) {
		/* start from the current value */
		const char *sid = f->orig_sid[id];

		for (int k = 0; k < n; k++)
			if (sid && strcmp(form_choice_sid(f, id, k), sid) == 0)
				i = k;
		if (i < 0)
			i = 0;
	}
	f->choice[id] = (i + dir + n) % n;
	form_show_choice(f, id);
}

/* form_check() on the values; the error, or the numbers as sent shown. */
static bool check(struct form *f)
{
	struct form_problem p = FORM_PROBLEM_INIT;
	bool ok = form_check(f->value, f->locked, f->ui->ascii, &p);

	form_set_error(f, p.field, p.col, p.msg);
	form_problem_clear(&p);
	if (ok && f->fields[F_MAXRES])
		set_field_buffer(f->fields[F_MAXRES], 0, f->value[F_MAXRES] ? f->value[F_MAXRES] : "");
	return ok;
}

static enum reaction edit_key(struct form *f, wint_t ch, bool is_key, enum key_action a)
{
	int cur = current(f);

	switch (a) {
	case ACT_FORM_CANCEL:
		return R_CLOSE;
	case ACT_FORM_NEXT:
		form_driver(f->form, REQ_NEXT_FIELD);
		form_driver(f->form, REQ_END_LINE);
		break;
	case ACT_FORM_PREV:
		form_driver(f->form, REQ_PREV_FIELD);
		form_driver(f->form, REQ_END_LINE);
		break;
	case ACT_FORM_LEFT:
		if (cur >= 0 && form_field_defs[cur].choice)
			step_choice(f, cur, -1);
		else
			form_driver(f->form, REQ_LEFT_CHAR);
		break;
	case ACT_FORM_RIGHT:
		if (cur >= 0 && form_field_defs[cur].choice)
			step_choice(f, cur, 1);
		else
			form_driver(f->form, REQ_RIGHT_CHAR);
		break;
	case ACT_FORM_HOME:
		form_driver(f->form, REQ_BEG_LINE);
		break;
	case ACT_FORM_END:
		form_driver(f->form, REQ_END_LINE);
		break;
	case ACT_FORM_BACKSPACE:
		form_driver(f->form, REQ_DEL_PREV);
		break;
	case ACT_FORM_DELETE:
		form_driver(f->form, REQ_DEL_CHAR);
		break;
	case ACT_FORM_CLEAR:
		form_driver(f->form, REQ_CLR_FIELD);
		break;
	case ACT_FORM_SUBMIT:
		form_sync_values(f);
		XFREE(f->notice);
		if (!check(f)) {
			if (f->error_field >= 0 && !f->locked[f->error_field])
				set_current_field(f->form, f->fields[f->error_field]);
			break;
		}
		/* after check(), which writes numbers as they are sent */
		form_compute_changes(f);
		if (!form_any_change(f)) {
			form_set_error(f, -1, 0, "nothing changed (Esc closes the form)");
			break;
		}
		f->mode = M_REVIEW;
		form_request_preview(f);
		break;
	default:
		if (ui_key_is_text(ch, is_key) && cur >= 0 && !form_field_defs[cur].choice)
			form_driver_w(f->form, OK, (wchar_t)ch);
		else if (ui_key_is_text(ch, is_key) && ch == ' ' && cur >= 0)
			step_choice(f, cur, 1);
		break;
	}
	form_sync_values(f);
	form_style_fields(f);
	return R_REDRAW;
}

enum reaction form_key(struct form *f, wint_t ch, bool is_key)
{
	struct buf name = BUF_INIT;
	enum key_action a;

	ui_key_name(ch, is_key, &name);
	a = keys_lookup(KEYCTX_FORM, buf_cstr(&name));
	buf_free(&name);
	if (!f->form)
		return a == ACT_FORM_CANCEL ? R_CLOSE : R_NONE;
	switch (f->mode) {
	case M_EDIT:
		return edit_key(f, ch, is_key, a);
	case M_REVIEW:
		if (a == ACT_FORM_SUBMIT) {
			form_start_refetch(f);
		} else if (a == ACT_FORM_CANCEL || a == ACT_FORM_PREV) {
			f->mode = M_EDIT;
			XFREE(f->notice);
			form_style_fields(f);
		}
		return R_REDRAW;
	case M_REFETCH:
	case M_SEND:
		/* the answer decides; keys wait */
		return R_NONE;
	}
	return R_NONE;
}
