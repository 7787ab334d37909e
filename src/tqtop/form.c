/* form: the edit form (ncurses form library).
 *
 * Fields: FriendlyName, TargetWorkers, MaxReservedWorkers, TaskOrder and
 * the reservation and assignment activities (picked from the workspace's
 * Activities).  The flow:
 *   edit    typing; Enter validates (FriendlyName 1..64 characters,
 *           MaxReservedWorkers 1..50, TargetWorkers parsed by the core
 *           with the error's column shown, nothing empty) and goes to
 *           review when something changed;
 *   review  old -> new for each changed field, and how many workers a new
 *           TargetWorkers matches (Workers?TargetWorkersExpression=);
 *           Enter re-fetches the queue;
 *   refetch when date_updated moved since the form opened, the review is
 *           shown again with the new values and a warning; else
 *   send    only the changed fields.  Success closes the form; failure
 *           returns to edit with the typed text and Twilio's code and
 *           message.
 * Fields the token may not update are read-only and the form says so.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <form.h>

#include "expr.h"
#include "ui-fmt.h"
#include "ui-input.h"
#include "ui-priv.h"
#include "xalloc.h"

enum field_id { F_NAME, F_TARGET, F_MAXRES, F_ORDER, F_RESACT, F_ASSACT, F_N };

static const struct {
	const char *label;
	const char *param;	/* the update's form parameter */
	bool choice;		/* picked with Left/Right, not typed */
} defs[F_N] = {
	[F_NAME] = { "Friendly name", "FriendlyName", false },
	[F_TARGET] = { "Target workers", "TargetWorkers", false },
	[F_MAXRES] = { "Max reserved", "MaxReservedWorkers", false },
	[F_ORDER] = { "Task order", "TaskOrder", true },
	[F_RESACT] = { "Reservation act.", "ReservationActivitySid", true },
	[F_ASSACT] = { "Assignment act.", "AssignmentActivitySid", true },
};

enum mode { M_EDIT, M_REVIEW, M_REFETCH, M_SEND };

#define LABEL_W 18
#define ROW_FIRST 2
#define ROW_ERROR (ROW_FIRST + 2)	/* under TargetWorkers */
#define ROW_NOTES 9
#define ROW_CHANGES 11

struct form {
	struct ui *ui;
	WINDOW *win, *sub;
	FORM *form;
	FIELD *fields[F_N + 1];
	enum mode mode;

	/* the queue as the form last saw it (old values) */
	char *orig[F_N];		/* values: names for activities, sids in orig_sid */
	char *orig_sid[F_N];
	struct tq_opt_time orig_updated;
	/* what the user has typed or picked */
	char *value[F_N];
	bool locked[F_N];
	bool changed[F_N];
	int choice[F_N];		/* index into the choices of a choice field, -1: current */

	/* validation and server feedback */
	int error_field;		/* -1: none */
	int error_col;			/* TargetWorkers error column, 0: none */
	char *error;			/* one line */
	char *notice;			/* the queue changed under us, etc. */

	/* preview of a new TargetWorkers */
	bool preview_busy;
	char *preview_expr;
	char *preview_text;

	struct { char *sid, *name; } *acts;	/* activities to pick from */
	size_t n_acts;
	int64_t preview_ms;		/* when the preview was asked for */
	int64_t refetch_ms;		/* when the re-fetch was asked for */
};

static const char *const orders[] = { "FIFO", "LIFO" };

static void set_str(char **p, const char *s)
{
	free(*p);
	*p = s ? xstrdup(s) : NULL;
}

/* The activities to pick from: the workspace's Activities when the token
 * may read them, else the ones the real-time statistics list (one entry
 * per Activity of the workspace, with sid and name): a TaskQueue token
 * usually may read those and not the Activities. */
static void load_activities(struct form *f)
{
	const struct tq_state *st = f->ui->st;
	const struct tq_slot *rslot;
	const struct tq_realtime_stats *rt = ui_realtime(f->ui, &rslot);

	if (f->acts)
		return;
	if (st->activities_slot.have && st->activities.n) {
		f->acts = xcalloc(st->activities.n, sizeof *f->acts);
		for (size_t i = 0; i < st->activities.n; i++) {
			const struct tq_activity *a = &st->activities.items[i];

			f->acts[i].sid = xstrdup(a->sid);
			f->acts[i].name = xstrdup(a->friendly_name.st == TQ_SET ? a->friendly_name.v : a->sid);
		}
		f->n_acts = st->activities.n;
	} else if (rslot->have && rt->n_activity_statistics) {
		f->acts = xcalloc(rt->n_activity_statistics, sizeof *f->acts);
		for (size_t i = 0; i < rt->n_activity_statistics; i++) {
			const struct tq_activity_stat *a = &rt->activity_statistics[i];

			if (a->sid.st != TQ_SET)
				continue;
			f->acts[f->n_acts].sid = xstrdup(a->sid.v);
			f->acts[f->n_acts].name =
				xstrdup(a->friendly_name.st == TQ_SET ? a->friendly_name.v : a->sid.v);
			f->n_acts++;
		}
		if (!f->n_acts)
			XFREE(f->acts);	/* none had a sid: try again later */
	}
}

static int n_choices(const struct form *f, int id)
{
	return id == F_ORDER ? 2 : (int)f->n_acts;
}

static const char *choice_name(const struct form *f, int id, int i)
{
	if (id == F_ORDER)
		return orders[i];
	return i >= 0 && (size_t)i < f->n_acts ? f->acts[i].name : "";
}

static const char *choice_sid(const struct form *f, int id, int i)
{
	if (id == F_ORDER)
		return orders[i];
	return i >= 0 && (size_t)i < f->n_acts ? f->acts[i].sid : NULL;
}

static const char *opt_or(const struct tq_opt_str *o, const char *dflt)
{
	return o->st == TQ_SET ? o->v : dflt;
}

/* Takes the queue's current values as the "old" ones. */
static void load_orig(struct form *f)
{
	const struct tq_task_queue *q = &f->ui->st->queue;
	char num[32];

	set_str(&f->orig[F_NAME], opt_or(&q->friendly_name, ""));
	set_str(&f->orig[F_TARGET], opt_or(&q->target_workers, ""));
	if (q->max_reserved_workers.st == TQ_SET)
		snprintf(num, sizeof num, "%lld", (long long)q->max_reserved_workers.v);
	else
		num[0] = '\0';
	set_str(&f->orig[F_MAXRES], num);
	set_str(&f->orig[F_ORDER], opt_or(&q->task_order, "FIFO"));
	set_str(&f->orig_sid[F_ORDER], f->orig[F_ORDER]);
	set_str(&f->orig[F_RESACT], opt_or(&q->reservation_activity_name,
					   opt_or(&q->reservation_activity_sid, "")));
	set_str(&f->orig_sid[F_RESACT], opt_or(&q->reservation_activity_sid, NULL));
	set_str(&f->orig[F_ASSACT], opt_or(&q->assignment_activity_name,
					   opt_or(&q->assignment_activity_sid, "")));
	set_str(&f->orig_sid[F_ASSACT], opt_or(&q->assignment_activity_sid, NULL));
	f->orig_updated = q->date_updated;
}

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
static void sync_values(struct form *f)
{
	if (!f->form)
		return;
	form_driver(f->form, REQ_VALIDATION);
	for (int i = 0; i < F_N; i++) {
		if (defs[i].choice)
			continue;
		free(f->value[i]);
		f->value[i] = field_text(f->fields[i]);
	}
}

static const char *value_sid(const struct form *f, int id)
{
	if (f->choice[id] < 0)
		return f->orig_sid[id];
	return choice_sid(f, id, f->choice[id]);
}

static const char *value_text(const struct form *f, int id)
{
	if (!defs[id].choice)
		return f->value[id] ? f->value[id] : "";
	return f->choice[id] < 0 ? f->orig[id] : choice_name(f, id, f->choice[id]);
}

static void compute_changes(struct form *f)
{
	for (int i = 0; i < F_N; i++) {
		if (defs[i].choice) {
			const char *a = value_sid(f, i), *b = f->orig_sid[i];

			f->changed[i] = f->choice[i] >= 0 && a && (!b || strcmp(a, b) != 0);
		} else {
			f->changed[i] = strcmp(value_text(f, i), f->orig[i]) != 0;
		}
		if (f->locked[i])
			f->changed[i] = false;
	}
}

static bool any_change(const struct form *f)
{
	for (int i = 0; i < F_N; i++)
		if (f->changed[i])
			return true;
	return false;
}

/* ---- permissions ---------------------------------------------------------- */

static void compute_locks(struct form *f)
{
	struct ui *ui = f->ui;

	for (int i = 0; i < F_N; i++) {
		struct tq_param p = { defs[i].param, f->orig_sid[i] ? f->orig_sid[i] : f->orig[i] };

		f->locked[i] = !ui->st->token.may_update ||
			       !engine_may(ui->eng, API_QUEUE_UPDATE, &p, 1);
	}
}

/* ---- window and fields ---------------------------------------------------- */

static void free_fields(struct form *f)
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

static void style_fields(struct form *f)
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

static void show_choice(struct form *f, int id)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "< %s >", *value_text(f, id) ? value_text(f, id) : "(none)");
	set_field_buffer(f->fields[id], 0, buf_cstr(&b));
	buf_free(&b);
}

void form_layout(struct form *f)
{
	struct ui *ui = f->ui;
	int cols, rows, fw;
	int cur = f->form ? field_index(current_field(f->form)) : 0;

	/* f->value is up to date (sync_values() after every key) */
	free_fields(f);
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
		int width = i == F_MAXRES ? 6 : defs[i].choice ? fw : fw;
		FIELD *fld = new_field(1, width, row, 0, 0, 0);

		if (!fld) {
			free_fields(f);
			return;
		}
		field_opts_off(fld, O_AUTOSKIP);
		if (!defs[i].choice) {
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
		if (defs[i].choice)
			show_choice(f, i);
	f->form = new_form(f->fields);
	if (!f->form) {
		free_fields(f);
		return;
	}
	set_form_win(f->form, f->win);
	set_form_sub(f->form, f->sub);
	style_fields(f);
	if (post_form(f->form) != E_OK) {
		free_fields(f);
		return;
	}
	if (cur >= 0 && cur < F_N && !f->locked[cur]) {
		set_current_field(f->form, f->fields[cur]);
		form_driver(f->form, REQ_END_LINE);
	}
	ui->need_full = true;
}

/* ---- open / close -------------------------------------------------------- */

struct form *form_open(struct ui *ui)
{
	struct form *f = xcalloc(1, sizeof *f);

	f->ui = ui;
	f->error_field = -1;
	load_orig(f);
	for (int i = 0; i < F_N; i++) {
		f->choice[i] = -1;
		if (!defs[i].choice)
			f->value[i] = xstrdup(f->orig[i]);
	}
	compute_locks(f);
	load_activities(f);
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
	free_fields(f);
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

static void set_error(struct form *f, int field, int col, const char *msg)
{
	f->error_field = field;
	f->error_col = col;
	set_str(&f->error, msg);
}

static void api_error(struct form *f, const char *what, const struct apierr *e)
{
	char *t = apierr_text(e);
	char *line = xasprintf("%s failed: %s", what, t);

	set_error(f, -1, 0, line);
	free(line);
	free(t);
}

/* ---- requests -------------------------------------------------------------- */

/* The engine counts the workers (state.preview_*); form_observe() picks
 * the answer up when it is for this expression. */
static void request_preview(struct form *f)
{
	const char *expr = value_text(f, F_TARGET);

	if (!f->changed[F_TARGET]) {
		XFREE(f->preview_text);
		f->preview_busy = false;
		return;
	}
	if (f->preview_expr && strcmp(f->preview_expr, expr) == 0 && (f->preview_text || f->preview_busy))
		return;
	set_str(&f->preview_expr, expr);
	XFREE(f->preview_text);
	if (!f->ui->st->token.may_workers) {
		f->preview_text = xstrdup("worker preview not permitted by this token");
		return;
	}
	f->preview_ms = state_now_ms();
	f->preview_busy = true;
	engine_preview_workers(f->ui->eng, expr);
}

static void observe_preview(struct form *f)
{
	const struct tq_state *st = f->ui->st;
	const struct tq_slot *slot = &st->preview_slot;

	if (!f->preview_busy || slot->in_flight || !st->preview_expr ||
	    strcmp(st->preview_expr, f->preview_expr) != 0)
		return;
	if (slot->err_ms >= f->preview_ms && slot->err.kind != APIERR_NONE) {
		char *t = apierr_text(&slot->err);

		f->preview_text = xasprintf("preview failed: %s", t);
		free(t);
	} else if (slot->fetched_ms >= f->preview_ms) {
		f->preview_text = xasprintf("matches %lld%s worker%s", (long long)st->preview_count,
					    st->preview_more ? "+" : "",
					    st->preview_count == 1 && !st->preview_more ? "" : "s");
	} else {
		return;
	}
	f->preview_busy = false;
	f->ui->need_full = true;
}

static void update_done(void *owner, struct api_result *res)
{
	struct form *f = owner;
	struct ui *ui = f->ui;

	ui->need_full = true;
	if (res->err.kind != APIERR_NONE) {
		f->mode = M_EDIT;
		api_error(f, "update", &res->err);
		style_fields(f);
		return;
	}
	form_close(&ui->form);
	ui_message(ui, false, "queue updated");
}

static void send_update(struct form *f)
{
	struct tq_param params[F_N];
	size_t n = 0;
	struct apierr err = APIERR_INIT;

	for (int i = 0; i < F_N; i++) {
		if (!f->changed[i])
			continue;
		params[n].key = defs[i].param;
		params[n].value = defs[i].choice ? value_sid(f, i) : value_text(f, i);
		n++;
	}
	f->mode = M_SEND;
	if (ui_request(f->ui, API_QUEUE_UPDATE, params, n, update_done, f, &err) != API_ACCEPTED) {
		f->mode = M_EDIT;
		api_error(f, "update", &err);
		style_fields(f);
	}
	apierr_clear(&err);
}

/* The queue as fetched after the user asked to send: when date_updated
 * moved since the form opened, the review comes back with the new values;
 * else the update goes. */
static void refetched(struct form *f)
{
	const struct tq_task_queue *q = &f->ui->st->queue;

	f->ui->need_full = true;
	if (q->date_updated.st != f->orig_updated.st || q->date_updated.v != f->orig_updated.v) {
		struct buf when = BUF_INIT;
		char *old[F_N];

		/* fields the user left alone follow the new values */
		for (int i = 0; i < F_N; i++)
			old[i] = xstrdup(f->orig[i]);
		load_orig(f);
		for (int i = 0; i < F_N; i++) {
			if (!defs[i].choice && f->value[i] && strcmp(f->value[i], old[i]) == 0) {
				set_str(&f->value[i], f->orig[i]);
				if (f->fields[i])
					set_field_buffer(f->fields[i], 0, f->orig[i]);
			}
			free(old[i]);
		}
		compute_changes(f);
		fmt_opt_time(&when, &q->date_updated);
		free(f->notice);
		f->notice = xasprintf("The queue changed since the form opened (updated %s): "
				      "check the changes below and press Enter again to send them.",
				      buf_cstr(&when));
		buf_free(&when);
		f->mode = M_REVIEW;
		if (!any_change(f)) {
			f->mode = M_EDIT;
			set_error(f, -1, 0, "nothing left to change");
			style_fields(f);
		} else {
			request_preview(f);
		}
		return;
	}
	send_update(f);
}

static void observe_refetch(struct form *f)
{
	const struct tq_state *st = f->ui->st;
	const struct tq_slot *slot = &st->queue_slot;

	if (f->mode != M_REFETCH || slot->in_flight)
		return;
	if (st->queue_deleted) {
		f->mode = M_EDIT;
		set_error(f, -1, 0, "the queue was deleted: nothing to update");
	} else if (slot->fetched_ms >= f->refetch_ms) {
		refetched(f);
	} else if (slot->err_ms >= f->refetch_ms && slot->err.kind != APIERR_NONE) {
		f->mode = M_REVIEW;
		api_error(f, "re-fetching the queue before writing", &slot->err);
	} else {
		return;
	}
	f->ui->need_full = true;
}

void form_observe(struct form *f)
{
	load_activities(f);
	observe_preview(f);
	observe_refetch(f);
}

/* Re-fetches the queue through the engine's refresh; observe_refetch()
 * takes the answer. */
static void start_refetch(struct form *f)
{
	set_error(f, -1, 0, NULL);
	if (ui_token_dead(f->ui)) {
		set_error(f, -1, 0, "the token has expired: a new one first (Esc, then T to paste it)");
		return;
	}
	if (f->ui->st->frozen) {
		set_error(f, -1, 0, "refreshing is frozen: Esc, then Z to resume, before sending");
		return;
	}
	f->mode = M_REFETCH;
	f->refetch_ms = state_now_ms();
	engine_refresh_now(f->ui->eng);
}

/* ---- validation ------------------------------------------------------------ */

/* TaskRouter's limit on a queue's FriendlyName, in characters. */
#define NAME_MAX_CHARS 64

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static bool validate(struct form *f)
{
	const char *name = value_text(f, F_NAME);
	const char *target = value_text(f, F_TARGET);
	const char *maxres = value_text(f, F_MAXRES);
	char *end;
	long v;

	set_error(f, -1, 0, NULL);
	if (!f->locked[F_NAME] && !*name) {
		set_error(f, F_NAME, 0, "FriendlyName must not be empty");
		return false;
	}
	if (!f->locked[F_NAME] && utf8_chars(name) > NAME_MAX_CHARS) {
		char *msg = xasprintf("FriendlyName must be 1 to %d characters, not %zu: shorten it",
				      NAME_MAX_CHARS, utf8_chars(name));

		set_error(f, F_NAME, 0, msg);
		free(msg);
		return false;
	}
	if (!f->locked[F_TARGET]) {
		struct expr_error ee = { 0, NULL };
		struct expr *e;

		if (!*target) {
			set_error(f, F_TARGET, 0, "TargetWorkers must not be empty (1==1 matches every worker)");
			return false;
		}
		e = expr_parse(target, &ee);
		if (!e) {
			char *t = expr_error_text(&ee);
			char *line = xasprintf("TargetWorkers %s", t);

			set_error(f, F_TARGET, ee.col, line);
			free(line);
			free(t);
			expr_error_clear(&ee);
			return false;
		}
		expr_free(&e);
	}
	if (!f->locked[F_MAXRES]) {
		/* blanks around the number are forgiven, anything else is
		 * refused; what goes out is the number as TaskRouter spells it */
		const char *p = maxres + strspn(maxres, " ");

		v = *p >= '0' && *p <= '9' ? strtol(p, &end, 10) : 0;
		if (v >= 1 && v <= 50 && end[strspn(end, " ")] == '\0') {
			char num[8];

			snprintf(num, sizeof num, "%ld", v);
			set_str(&f->value[F_MAXRES], num);
			if (f->fields[F_MAXRES])
				set_field_buffer(f->fields[F_MAXRES], 0, num);
		} else {
			struct buf b = BUF_INIT;

			buf_puts(&b, "MaxReservedWorkers must be a whole number from 1 to 50, not \"");
			ui_sanitize(&b, maxres, f->ui->ascii);
			buf_puts(&b, "\"");
			set_error(f, F_MAXRES, 0, buf_cstr(&b));
			buf_free(&b);
			return false;
		}
	}
	return true;
}

/* ---- keys ------------------------------------------------------------------ */

static int current(const struct form *f)
{
	return f->form ? field_index(current_field(f->form)) : -1;
}

static void step_choice(struct form *f, int id, int dir)
{
	int n = n_choices(f, id);
	int i = f->choice[id];

	if (n == 0 || f->locked[id])
		return;
	if (i < 0) {
		/* start from the current value */
		const char *sid = f->orig_sid[id];

		for (int k = 0; k < n; k++)
			if (sid && strcmp(choice_sid(f, id, k), sid) == 0)
				i = k;
		if (i < 0)
			i = 0;
	}
	f->choice[id] = (i + dir + n) % n;
	show_choice(f, id);
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
		if (cur >= 0 && defs[cur].choice)
			step_choice(f, cur, -1);
		else
			form_driver(f->form, REQ_LEFT_CHAR);
		break;
	case ACT_FORM_RIGHT:
		if (cur >= 0 && defs[cur].choice)
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
		sync_values(f);
		XFREE(f->notice);
		if (!validate(f)) {
			if (f->error_field >= 0 && !f->locked[f->error_field])
				set_current_field(f->form, f->fields[f->error_field]);
			break;
		}
		/* after validate(), which writes numbers as they are sent */
		compute_changes(f);
		if (!any_change(f)) {
			set_error(f, -1, 0, "nothing changed (Esc closes the form)");
			break;
		}
		f->mode = M_REVIEW;
		request_preview(f);
		break;
	default:
		if (ui_key_is_text(ch, is_key) && cur >= 0 && !defs[cur].choice)
			form_driver_w(f->form, OK, (wchar_t)ch);
		else if (ui_key_is_text(ch, is_key) && ch == ' ' && cur >= 0)
			step_choice(f, cur, 1);
		break;
	}
	sync_values(f);
	style_fields(f);
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
			start_refetch(f);
		} else if (a == ACT_FORM_CANCEL || a == ACT_FORM_PREV) {
			f->mode = M_EDIT;
			XFREE(f->notice);
			style_fields(f);
		}
		return R_REDRAW;
	case M_REFETCH:
	case M_SEND:
		/* the answer decides; keys wait */
		return R_NONE;
	}
	return R_NONE;
}

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
		ui_put(ui, f->win, y, 4, LABEL_W + 2, THEME_LABEL, defs[i].param);
		buf_printf(&b, "%s %s %s", old, arrow, value_text(f, i));
		if (ui_width(ui, buf_cstr(&b)) <= width) {
			ui_put(ui, f->win, y++, x, width, THEME_DIALOG, buf_cstr(&b));
		} else {
			/* too long for one line: old above new */
			ui_put(ui, f->win, y++, x + 2, width - 2, THEME_DIALOG, old);
			buf_reset(&b);
			buf_printf(&b, "%s %s", arrow, value_text(f, i));
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

		ui_put(ui, w, row, 2, LABEL_W, THEME_LABEL, defs[i].label);
		if (f->locked[i]) {
			if (locked.len)
				buf_puts(&locked, ", ");
			buf_puts(&locked, defs[i].param);
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
