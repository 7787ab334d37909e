/* ui-actions: keys -> actions (keys.h) -> what the dashboard does
 * (ui-actions.h). */
#include "config.h"
#include "ui-actions.h"

#include <stdlib.h>
#include <curses.h>

#include "dialog.h"
#include "form-edit.h"
#include "help.h"
#include "keys.h"
#include "ui-fmt.h"
#include "ui-input.h"
#include "ui-priv.h"

/* what: "edit: the token has expired (T pastes a new one)" */
static void token_dead_message(struct ui *ui, const char *what)
{
	struct buf k = BUF_INIT;

	if (ui_token_needed(ui)) {
		keys_first(ACT_TOKEN, &k);
		ui_message(ui, true, "%s: token expired (%s: paste one)", what,
			   buf_cstr(&k));
	} else {
		ui_message(ui, true, "%s: token expired; waiting for a new one", what);
	}
	buf_free(&k);
}

static void main_action(struct ui *ui, enum key_action a)
{
	struct tq_state *st = ui->st;
	struct buf b = BUF_INIT;

	switch (a) {
	case ACT_QUIT:
		ui->quit = true;
		break;
	case ACT_HELP:
		help_open(ui);
		break;
	case ACT_REFRESH:
		engine_refresh_now(ui->eng);
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		ui->need_full = true;
		break;
	case ACT_FREEZE:
		engine_set_frozen(ui->eng, !st->frozen);
		ui->need_full = true;
		break;
	case ACT_WINDOW_NEXT:
	case ACT_WINDOW_PREV: {
		int m = (int)keys_step(STEPS_WINDOW, st->window_minutes, a == ACT_WINDOW_NEXT ? 1 : -1);

		if (m != st->window_minutes)
			engine_set_window(ui->eng, m);
		fmt_window(&b, m);
		ui_message(ui, false, "cumulative window %s", buf_cstr(&b));
		break;
	}
	case ACT_INTERVAL_UP:
	case ACT_INTERVAL_DOWN: {
		/* from where it is: 0.2 s goes up to 1 s, 3600 s down to 60 s */
		double s = keys_step(STEPS_INTERVAL, (double)st->refresh_ms / 1000.0,
				     a == ACT_INTERVAL_UP ? 1 : -1);
		int64_t ms = (int64_t)(s * 1000.0 + 0.5);

		if (ms != st->refresh_ms)
			engine_set_refresh(ui->eng, ms);
		fmt_interval(&b, ms);
		ui_message(ui, false, "refresh every %s", buf_cstr(&b));
		break;
	}
	case ACT_EDIT:
		if (st->queue_deleted)
			ui_message(ui, true, "edit: the queue was deleted");
		else if (!st->token.may_update)
			ui_message(ui, true, "edit: not permitted by this token");
		else if (ui_token_dead(ui))
			token_dead_message(ui, "edit");
		else if (!st->queue_slot.have)
			ui_message(ui, true, "edit: the queue has not been loaded yet");
		else
			ui->form = form_open(ui);
		break;
	case ACT_DELETE:
		if (st->queue_deleted)
			ui_message(ui, true, "delete: the queue was already deleted");
		else if (!st->token.may_delete)
			ui_message(ui, true, "delete: not permitted by this token");
		else if (ui_token_dead(ui))
			token_dead_message(ui, "delete");
		else if (!st->queue_slot.have)
			ui_message(ui, true, "delete: the queue has not been loaded yet");
		else
			ui->dialog = dialog_open(ui, DIALOG_DELETE);
		break;
	case ACT_TOKEN:
		if (!ui_token_pastable(ui))
			ui_message(ui, true, "token: the account's credentials are in use; there is no "
				   "token to paste");
		else
			ui->dialog = dialog_open(ui, DIALOG_TOKEN);
		break;
	case ACT_LOG:
		ui->show_log = !ui->show_log;
		ui->need_layout = true;
		break;
	case ACT_THEME:
		ui_cycle_theme(ui);
		break;
	default:
		break;
	}
	buf_free(&b);
}

static void handle_key(struct ui *ui, wint_t ch, bool is_key)
{
	struct buf name = BUF_INIT;
	enum reaction r = R_NONE;

	if (is_key && ch == KEY_RESIZE) {
		ui->need_layout = true;
		return;
	}
	ui->keys++;
	ui_key_name(ch, is_key, &name);
	ui_clear_message(ui);
	if (ui->too_small) {
		/* nothing is visible to act on, overlays included (a delete
		 * typed blind must not go out): only quitting works */
		if (keys_lookup(KEYCTX_MAIN, buf_cstr(&name)) == ACT_QUIT)
			main_action(ui, ACT_QUIT);
	} else if (ui->help_open) {
		r = help_key(ui, ch, is_key);
	} else if (ui->dialog) {
		r = dialog_key(ui->dialog, ch, is_key);
		if (r & R_CLOSE)
			dialog_close(&ui->dialog);
	} else if (ui->form) {
		r = form_key(ui->form, ch, is_key);
		if (r & R_CLOSE)
			form_close(&ui->form);
	} else {
		main_action(ui, keys_lookup(KEYCTX_MAIN, buf_cstr(&name)));
	}
	if (r & (R_REDRAW | R_CLOSE))
		ui->need_full = true;
	if (r & R_LAYOUT)
		ui->need_layout = true;
	ui->need_full = true;
	buf_free(&name);
}

void ui_input(struct ui *ui)
{
	wint_t ch;
	int r;

	while ((r = wget_wch(stdscr, &ch)) != ERR)
		handle_key(ui, ch, r == KEY_CODE_YES);
}

