/* ui: the dashboard's screen: layout, the turn hook (draw what changed,
 * once), the clock, overlays' requests, themes, messages (ui-priv.h). */
#include "config.h"
#include "ui-priv.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>

#include "dialog.h"
#include "form-edit.h"
#include "help.h"
#include "ui-layout.h"
#include "log.h"
#include "loop.h"
#include "pane-cumulative.h"
#include "pane-header.h"
#include "pane-log.h"
#include "pane-props.h"
#include "pane-realtime.h"
#include "pane-trends.h"
#include "statusbar.h"
#include "ui-term.h"
#include "xalloc.h"

void ui_request_layout(struct ui *ui)
{
	ui->need_layout = true;
}

/* ---- messages ------------------------------------------------------------ */

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	free(ui->message);
	va_start(ap, fmt);
	ui->message = xvasprintf(fmt, ap);
	va_end(ap);
	ui->message_error = error;
	ui->message_ms = state_now_ms();
	ui->need_full = true;
}

void ui_clear_message(struct ui *ui)
{
	if (ui->message) {
		XFREE(ui->message);
		ui->need_full = true;
	}
}

/* ---- requests of overlays ------------------------------------------------ */

/* Static slots, so that a callback that arrives after its overlay (or the
 * whole dashboard) is gone finds a slot with no owner, not freed memory. */
#define N_PENDING 8
static struct pending {
	bool used;
	ui_done_fn done;
	void *owner;
} pending[N_PENDING];

static void pending_cb(void *ud, struct api_result *res)
{
	struct pending *p = ud;
	ui_done_fn done = p->done;
	void *owner = p->owner;

	p->used = false;
	p->owner = NULL;
	if (owner)
		done(owner, res);
}

enum api_submit ui_request(struct ui *ui, enum api_call call, const struct tq_param *params,
			   size_t n_params, ui_done_fn done, void *owner, struct apierr *err)
{
	struct pending *p = NULL;
	enum api_submit r;

	for (size_t i = 0; i < N_PENDING && !p; i++)
		if (!pending[i].used)
			p = &pending[i];
	if (!p) {
		apierr_set(err, APIERR_NOT_AVAILABLE, 0, 0, "too many requests out");
		return API_BUSY;
	}
	p->used = true;
	p->done = done;
	p->owner = owner;
	if (call == API_QUEUE_DELETE)
		r = engine_delete_queue(ui->eng, pending_cb, p, err);
	else
		r = engine_update_queue(ui->eng, params, n_params, pending_cb, p, err);
	if (r != API_ACCEPTED) {
		p->used = false;
		p->owner = NULL;
	}
	return r;
}

void ui_cancel_requests(void *owner)
{
	for (size_t i = 0; i < N_PENDING; i++)
		if (pending[i].owner == owner)
			pending[i].owner = NULL;
}

/* ---- themes ------------------------------------------------------------ */

static const char *theme_name(const struct ui *ui)
{
	return ui->theme_idx < 0 ? ui->theme_user : theme_builtins[ui->theme_idx].name;
}

static void apply_theme(struct ui *ui)
{
	if (ui->theme_idx < 0) {
		char *err = NULL;

		if (!ui_theme_resolve(&ui->theme, ui->theme_user, &err)) {
			log_warn("%s", err);
			ui_message(ui, true, "%s", err);
			free(err);
		}
	} else {
		theme_load_builtin(&ui->theme, &theme_builtins[ui->theme_idx], NULL, NULL);
	}
	ui_theme_apply(&ui->th, &ui->theme, ui->color_ok);
	ui->need_full = true;
}

void ui_cycle_theme(struct ui *ui)
{
	int n = (int)theme_n_builtins;

	if (ui->theme_idx < 0)
		ui->theme_idx = 0;
	else if (ui->theme_idx + 1 < n)
		ui->theme_idx++;
	else
		ui->theme_idx = ui->theme_user ? -1 : 0;
	apply_theme(ui);
	ui_message(ui, false, "theme %s%s", theme_name(ui), ui->color_ok ? "" : " (no colour)");
}

/* ---- the turn ------------------------------------------------------------ */

static bool in_flight(const struct ui *ui)
{
	const struct tq_state *st = ui->st;
	const struct tq_slot *slots[] = {
		&st->queue_slot, &st->realtime_slot, &st->cumulative_slot,
		&st->statistics_slot, &st->activities_slot, &st->preview_slot,
	};

	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
		if (slots[i]->in_flight)
			return true;
	if (st->bridge.status == BRIDGE_CONNECTING || st->bridge.status == BRIDGE_CONNECTED)
		return true;
	if (st->token.refreshing)
		return true;
	return (ui->form && form_busy(ui->form)) || (ui->dialog && dialog_busy(ui->dialog));
}

/* True while every request out was sent less than a second ago: its answer
 * is about to reset the ages, so redrawing them now would only flicker.
 * A slow answer (or none) lets the ages move on, to STALE. */
static bool answer_imminent(const struct ui *ui)
{
	const struct tq_state *st = ui->st;
	const struct tq_slot *slots[] = {
		&st->queue_slot, &st->realtime_slot, &st->cumulative_slot,
		&st->statistics_slot, &st->activities_slot, &st->preview_slot,
	};
	bool any = false;

	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
		if (!slots[i]->in_flight)
			continue;
		if (ui->now_ms - slots[i]->requested_ms >= 1000)
			return false;
		any = true;
	}
	return any;
}

static void write_sync(struct ui *ui)
{
	int fd;
	char line[96];
	int n;

	if (!ui->sync_path)
		return;
	/* every frame, so that the file always speaks of the latest one */
	n = snprintf(line, sizeof line, "%llu %s %llu %lld %dx%d\n", (unsigned long long)ui->frame,
		     in_flight(ui) ? "busy" : "idle", (unsigned long long)ui->keys,
		     (long long)state_now_ms(), ui->cols, ui->rows);
	fd = open(ui->sync_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) != n) {
		close(fd);
		return;
	}
	close(fd);
	rename(ui->sync_tmp, ui->sync_path);
}

static void draw_too_small(struct ui *ui)
{
	WINDOW *w = ui->small_win;
	char msg[96];
	int len;

	if (!w)
		return;
	ui->stale_ctx = false;
	ui_clear(ui, w, THEME_NORMAL);
	len = snprintf(msg, sizeof msg, "terminal too small: need %dx%d, have %dx%d", UI_MIN_COLS,
		       UI_MIN_ROWS, ui->cols, ui->rows);
	int x = (ui->cols - len) / 2;
	if (x < 0)
		x = 0;
	ui_put(ui, w, ui->rows / 2, x, ui->cols - x, THEME_TOO_SMALL, msg);
	wnoutrefresh(w);
}

bool ui_token_pastable(const struct ui *ui)
{
	const struct tq_state *st = ui->st;

	return st->token.source != TOKEN_SRC_MINTED && (st->tunnelled || st->token.have);
}

bool ui_token_needed(const struct ui *ui)
{
	const struct tq_token_state *t = &ui->st->token;

	return t->expired && ui_token_pastable(ui) && t->source != TOKEN_SRC_FILE &&
	       t->source != TOKEN_SRC_CMD;
}

bool ui_token_dead(const struct ui *ui)
{
	return ui->st->tunnelled && ui->st->token.expired;
}

/* token.expired with nothing to refresh from: ask for a token, once per
 * expiry (Esc dismisses the prompt; T brings it back). */
static void maybe_prompt_token(struct ui *ui)
{
	if (!ui->st->token.expired) {
		ui->expired_prompted = false;
		return;
	}
	if (!ui_token_needed(ui) || ui->expired_prompted || ui->dialog)
		return;
	ui->expired_prompted = true;
	/* the prompt goes over an open form, which waits underneath with
	 * what was typed */
	if (ui->help_open)
		help_close(ui);
	ui->dialog = dialog_open(ui, DIALOG_TOKEN);
}

void ui_turn(struct ui *ui)
{
	unsigned dirty = state_take_dirty(ui->st);
	int64_t second;
	bool timed;

	ui->now_ms = state_now_ms();
	second = ui->now_ms / 1000;
	/* The clock, ages, countdowns and STALE move with the wall clock
	 * (ui_start_clock() wakes the loop each second, frozen or not), but
	 * not while a refresh that was just sent is out: its answer resets
	 * them, and drawing "1s" in between only to draw "0s" again costs
	 * bytes on a slow link. */
	timed = second != ui->last_second && !answer_imminent(ui);
	realtime_observe(ui);
	maybe_prompt_token(ui);
	if (ui->form)
		form_observe(ui->form);
	if (dirty & DIRTY_RESIZE) {
		/* SIGWINCH, or SIGCONT after a suspend: the terminal may also
		 * have been used by something else meanwhile */
		term_query_size();
		clearok(curscr, TRUE);
		ui->need_layout = true;
	}
	if (ui->need_layout) {
		ui_layout(ui);
		/* what no pane covers any more (the log just hidden) must not
		 * stay on the screen: blank it underneath the panes */
		wbkgdset(stdscr, ' ' | ui_attr(ui, THEME_NORMAL));
		werase(stdscr);
		wnoutrefresh(stdscr);
		ui->need_full = true;
		if (ui->form)
			form_layout(ui->form);
		if (ui->dialog)
			dialog_layout(ui->dialog);
	}
	if (!dirty && !timed && !ui->need_full)
		return;
	if (timed)
		ui->last_second = second;

	if (ui->too_small) {
		draw_too_small(ui);
	} else {
		for (int i = 0; i < PANE_N; i++) {
			struct pane *p = &ui->pane[i];

			if (!p->shown)
				continue;
			if (ui->need_full || (p->ops->dirty & dirty) || (timed && p->ops->timed)) {
				p->ops->draw(ui, p);
				wnoutrefresh(p->win);
			}
		}
		/* an overlay is copied last, whole, so it stays on top of
		 * whatever pane was redrawn under it */
		WINDOW *top = NULL;
		if (ui->help_open) {
			help_draw(ui);
			top = ui->help_win;
		} else if (ui->dialog) {
			dialog_draw(ui->dialog);
			top = dialog_window(ui->dialog);
		} else if (ui->form) {
			form_draw(ui->form);
			top = form_window(ui->form);
		}
		if (top) {
			touchwin(top);
			wnoutrefresh(top);
		}
	}
	ui->need_full = false;
	doupdate();
	ui->frame++;
	write_sync(ui);
}

/* ---- the clock ------------------------------------------------------------ */

/* A little past the second, so that the turn it wakes sees the new one
 * even when the loop's clock and the wall clock disagree by a hair. */
#define CLOCK_SLACK_MS 3

static void clock_fired(uv_timer_t *t);

static void clock_arm(uv_timer_t *t)
{
	int64_t now = state_now_ms();

	/* one shot, re-armed from the wall clock: a repeating timer would
	 * drift away from the second the header shows */
	uv_timer_start(t, clock_fired, (uint64_t)(1000 - now % 1000 + CLOCK_SLACK_MS), 0);
}

static void clock_fired(uv_timer_t *t)
{
	/* nothing to do here: the turn that follows sees the second move
	 * and redraws the panes that show a time (ui_turn) */
	clock_arm(t);
}

void ui_start_clock(struct ui *ui, uv_loop_t *loop)
{
	if (ui->clock)
		return;
	ui->clock = loop_timer_new(loop, NULL);
	clock_arm(ui->clock);
}


/* ---- open and close ------------------------------------------------------- */

struct ui *ui_open(struct engine *eng, const struct ui_options *opt, char **err)
{
	static const struct pane_ops *const ops[PANE_N] = {
		[PANE_HEADER] = &pane_header_ops,
		[PANE_PROPS] = &pane_props_ops,
		[PANE_REALTIME] = &pane_realtime_ops,
		[PANE_CUMULATIVE] = &pane_cumulative_ops,
		[PANE_TRENDS] = &pane_trends_ops,
		[PANE_LOG] = &pane_log_ops,
		[PANE_HINTS] = &pane_hints_ops,
		[PANE_STATUS] = &statusbar_ops,
	};
	const char *sync = getenv("TQTOP_TEST_SYNC");
	bool utf8 = term_utf8();
	struct ui *ui;

	if (!term_open(opt->log_path, err))
		return NULL;
	ui = xcalloc(1, sizeof *ui);
	ui->eng = eng;
	ui->st = engine_state(eng);
	ui->utf8 = utf8;
	ui->ascii = opt->ascii || !utf8;
	ui->no_color = opt->no_color;
	ui->debug = opt->debug;
	ui->show_log = true;
	ui->last_second = -1;
	for (int i = 0; i < 8; i++)
		ui->cur_realtime[i] = ui->prev_realtime[i] = -1;
	for (int i = 0; i < PANE_N; i++)
		ui->pane[i].ops = ops[i];
	if (sync && *sync) {
		ui->sync_path = xstrdup(sync);
		ui->sync_tmp = xasprintf("%s.tmp", sync);
	}

	ui->color_ok = ui_theme_can_color(opt->no_color);
	if (opt->theme && *opt->theme) {
		const struct theme_builtin *b = theme_builtin_find(opt->theme);

		if (b) {
			ui->theme_idx = (int)(b - theme_builtins);
		} else {
			ui->theme_user = xstrdup(opt->theme);
			ui->theme_idx = -1;
		}
	} else {
		ui->theme_idx = ui->color_ok ? 0 : (int)(theme_builtin_find("mono") - theme_builtins);
	}
	apply_theme(ui);
	ui_layout(ui);
	ui->need_full = true;
	return ui;
}

void ui_close(struct ui **uip)
{
	struct ui *ui = *uip;

	if (!ui)
		return;
	if (ui->form)
		form_close(&ui->form);
	if (ui->dialog)
		dialog_close(&ui->dialog);
	if (ui->help_open)
		help_close(ui);
	/* the handle outlives the dashboard until the loop has closed it */
	loop_timer_free(&ui->clock);
	ui_layout_free(ui);
	term_close();
	free(ui->theme_user);
	free(ui->message);
	free(ui->sync_path);
	free(ui->sync_tmp);
	free(ui);
	*uip = NULL;
}
