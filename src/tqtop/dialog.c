/* dialog: the guarded delete and the token prompt (dialog.h). */
#include "config.h"
#include "dialog.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "ui-fmt.h"
#include "ui-input.h"
#include "ui-priv.h"
#include "xalloc.h"

struct dialog {
	struct ui *ui;
	enum dialog_kind kind;
	WINDOW *win;
	struct buf input;
	char *error;		/* shown under the input, one line */
	bool busy;		/* the delete request is out */
};

static void set_error(struct dialog *d, const char *msg)
{
	free(d->error);
	d->error = msg ? xstrdup(msg) : NULL;
}

static void wipe(struct buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->cap);
	buf_free(b);
}

void dialog_layout(struct dialog *d)
{
	struct ui *ui = d->ui;
	int cols = ui->cols - 8 < 72 ? ui->cols - 8 : 72;
	int rows = 11;

	if (d->win)
		delwin(d->win);
	d->win = NULL;
	if (ui->too_small || cols < 20)
		return;
	d->win = newwin(rows, cols, (ui->rows - rows) / 2, (ui->cols - cols) / 2);
}

struct dialog *dialog_open(struct ui *ui, enum dialog_kind kind)
{
	struct dialog *d = xcalloc(1, sizeof *d);

	d->ui = ui;
	d->kind = kind;
	dialog_layout(d);
	ui->need_full = true;
	return d;
}

void dialog_close(struct dialog **dp)
{
	struct dialog *d = *dp;

	if (!d)
		return;
	ui_cancel_requests(d);
	if (d->win)
		delwin(d->win);
	wipe(&d->input);
	free(d->error);
	d->ui->need_full = true;
	free(d);
	*dp = NULL;
}

WINDOW *dialog_window(const struct dialog *d)
{
	return d->win;
}

enum dialog_kind dialog_kind(const struct dialog *d)
{
	return d->kind;
}

bool dialog_busy(const struct dialog *d)
{
	return d->busy;
}

static void delete_done(void *owner, struct api_result *res)
{
	struct dialog *d = owner;
	struct ui *ui = d->ui;

	d->busy = false;
	ui->need_full = true;
	if (res->err.kind != APIERR_NONE) {
		char *e = apierr_text(&res->err);

		set_error(d, e);
		free(e);
		return;
	}
	/* the engine has marked the queue deleted; the screen says so */
	dialog_close(&ui->dialog);
	ui_message(ui, false, "queue deleted");
}

static enum reaction delete_submit(struct dialog *d)
{
	const struct tq_task_queue *q = &d->ui->st->queue;
	struct apierr err = APIERR_INIT;
	const char *name = q->friendly_name.st == TQ_SET ? q->friendly_name.v : "";

	if (strcmp(buf_cstr(&d->input), name) != 0) {
		set_error(d, "that is not the queue's friendly name: nothing deleted");
		return R_REDRAW;
	}
	switch (ui_request(d->ui, API_QUEUE_DELETE, NULL, 0, delete_done, d, &err)) {
	case API_ACCEPTED:
		d->busy = true;
		set_error(d, NULL);
		break;
	case API_BUSY:
	case API_REFUSED: {
		char *e = apierr_text(&err);

		set_error(d, e);
		free(e);
		break;
	}
	}
	apierr_clear(&err);
	return R_REDRAW;
}

static enum reaction token_submit(struct dialog *d)
{
	struct ui *ui = d->ui;
	char *err = NULL;
	struct buf jwt = BUF_INIT;
	const char *s = buf_cstr(&d->input);
	size_t n = strlen(s);

	/* pasted text often carries blanks around it */
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (*s == ' ' || *s == '\t')
		s++, n--;
	buf_append(&jwt, s, n);
	if (jwt.len == 0) {
		wipe(&jwt);
		set_error(d, "paste a token first (Esc to dismiss)");
		return R_REDRAW;
	}
	if (!engine_update_token(ui->eng, buf_cstr(&jwt), &err)) {
		set_error(d, err ? err : "the token was refused");
		free(err);
		wipe(&jwt);
		return R_REDRAW;
	}
	wipe(&jwt);
	ui_message(ui, false, "token updated");
	return R_CLOSE;
}

/* Removes the last UTF-8 character of b. */
static void backspace(struct buf *b)
{
	while (b->len) {
		unsigned char c = (unsigned char)b->data[--b->len];

		b->data[b->len] = '\0';
		if ((c & 0xc0) != 0x80)
			break;
	}
}

enum reaction dialog_key(struct dialog *d, wint_t ch, bool is_key)
{
	struct buf name = BUF_INIT;
	enum key_action a;

	if (d->busy)
		return R_NONE;
	ui_key_name(ch, is_key, &name);
	a = keys_lookup(KEYCTX_DIALOG, buf_cstr(&name));
	if (a == ACT_NONE && !strcmp(buf_cstr(&name), "Backspace")) {
		backspace(&d->input);
	} else if (a == ACT_NONE && !strcmp(buf_cstr(&name), "^U")) {
		wipe(&d->input);
	} else if (a == ACT_NONE && ui_key_is_text(ch, is_key)) {
		char mb[8];
		int n = wctomb(mb, (wchar_t)ch);

		if (n > 0)
			buf_append(&d->input, mb, (size_t)n);
	}
	buf_free(&name);
	switch (a) {
	case ACT_DIALOG_CANCEL:
		if (d->kind == DIALOG_TOKEN && ui_token_needed(d->ui)) {
			struct buf k = BUF_INIT;

			keys_first(ACT_TOKEN, &k);
			ui_message(d->ui, true, "no new token (%s pastes one)", buf_cstr(&k));
			buf_free(&k);
		}
		return R_CLOSE;
	case ACT_DIALOG_OK:
		return d->kind == DIALOG_DELETE ? delete_submit(d) : token_submit(d);
	default:
		return R_REDRAW;
	}
}

static void draw_delete(struct dialog *d, WINDOW *w, int cols)
{
	struct ui *ui = d->ui;
	const struct tq_task_queue *q = &ui->st->queue;
	struct buf b = BUF_INIT;

	buf_printf(&b, "Delete queue \"%s\" (%s)?",
		   q->friendly_name.st == TQ_SET ? q->friendly_name.v : "-", q->sid ? q->sid : "-");
	ui_put(ui, w, 2, 2, cols - 4, THEME_DIALOG, buf_cstr(&b));
	ui_put(ui, w, 3, 2, cols - 4, THEME_DIALOG,
	       "This cannot be undone. Type the queue's friendly name to confirm:");
	ui_put(ui, w, 5, 2, 6, THEME_DIALOG, "Name:");
	wattrset(w, (int)ui_attr(ui, THEME_FIELD_ACTIVE));
	mvwhline(w, 5, 8, ' ', cols - 10);
	/* the end of what was typed stays visible */
	int tw = ui_width(ui, buf_cstr(&d->input));
	const char *shown = buf_cstr(&d->input);
	while (tw > cols - 12 && *shown) {
		shown++;
		while ((*shown & 0xc0) == 0x80)
			shown++;
		tw = ui_width(ui, shown);
	}
	ui_put(ui, w, 5, 8, cols - 11, THEME_FIELD_ACTIVE, shown);
	buf_free(&b);
}

static void draw_token(struct dialog *d, WINDOW *w, int cols)
{
	struct ui *ui = d->ui;
	struct buf b = BUF_INIT;

	if (ui->st->token.expired) {
		ui_put(ui, w, 2, 2, cols - 4, THEME_DIALOG,
		       "token.expired, and there is no --token-file or --token-cmd to");
		ui_put(ui, w, 3, 2, cols - 4, THEME_DIALOG,
		       "refresh from. Paste a new token; the dashboard keeps running.");
	} else {
		ui_put(ui, w, 2, 2, cols - 4, THEME_DIALOG,
		       "Paste a new token: it replaces the current one for every later");
		ui_put(ui, w, 3, 2, cols - 4, THEME_DIALOG,
		       "request and reconnect. The dashboard keeps running.");
	}
	ui_put(ui, w, 5, 2, 7, THEME_DIALOG, "Token:");
	wattrset(w, (int)ui_attr(ui, THEME_FIELD_ACTIVE));
	mvwhline(w, 5, 9, ' ', cols - 11);
	/* masked: never echo a secret, only how much was pasted */
	if (d->input.len)
		buf_printf(&b, "%s %zu characters", ui->ascii ? "****" : "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2",
			   d->input.len);
	else
		buf_puts(&b, "(paste here)");
	ui_put(ui, w, 5, 9, cols - 11, THEME_FIELD_ACTIVE, buf_cstr(&b));
	buf_free(&b);
}

void dialog_draw(struct dialog *d)
{
	struct ui *ui = d->ui;
	WINDOW *w = d->win;
	int cols, rows;

	if (!w)
		return;
	cols = getmaxx(w);
	rows = getmaxy(w);
	ui->stale_ctx = false;
	ui_clear(ui, w, THEME_DIALOG);
	ui_frame(ui, w, d->kind == DIALOG_DELETE ? "Delete queue" : "New token", THEME_DIALOG,
		 THEME_DIALOG_TITLE);
	if (d->kind == DIALOG_DELETE)
		draw_delete(d, w, cols);
	else
		draw_token(d, w, cols);
	if (d->busy)
		ui_put(ui, w, 7, 2, cols - 4, THEME_DIALOG, "deleting...");
	else if (d->error)
		ui_put(ui, w, 7, 2, cols - 4, THEME_ERROR, d->error);
	ui_put(ui, w, rows - 2, 2, cols - 4, THEME_DIALOG,
	       d->kind == DIALOG_DELETE ? "Enter delete   Esc cancel" : "Enter apply   Esc dismiss");
}
