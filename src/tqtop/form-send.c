/* form-send: the edit form's round trips to TaskRouter, through the
 * engine: the count of workers a new TargetWorkers matches, the re-fetch
 * before writing (and the review again when the queue changed
 * meanwhile), and the update with only the changed fields (form-priv.h). */
#include "config.h"
#include "form-priv.h"

#include <stdlib.h>
#include <string.h>

#include "ui-fmt.h"
#include "xalloc.h"

/* The engine counts the workers (state.preview_*); form_observe() picks
 * the answer up when it is for this expression. */
void form_request_preview(struct form *f)
{
	const char *expr = form_value_text(f, F_TARGET);

	if (!f->changed[F_TARGET]) {
		XFREE(f->preview_text);
		f->preview_busy = false;
		return;
	}
	if (f->preview_expr && strcmp(f->preview_expr, expr) == 0 && (f->preview_text || f->preview_busy))
		return;
	form_set_str(&f->preview_expr, expr);
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
		form_api_error(f, "update", &res->err);
		form_style_fields(f);
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
		params[n].key = form_field_defs[i].param;
		params[n].value = form_field_defs[i].choice ? form_value_sid(f, i) : form_value_text(f, i);
		n++;
	}
	f->mode = M_SEND;
	if (ui_request(f->ui, API_QUEUE_UPDATE, params, n, update_done, f, &err) != API_ACCEPTED) {
		f->mode = M_EDIT;
		form_api_error(f, "update", &err);
		form_style_fields(f);
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
		form_load_orig(f);
		for (int i = 0; i < F_N; i++) {
			if (!form_field_defs[i].choice && f->value[i] && strcmp(f->value[i], old[i]) == 0) {
				form_set_str(&f->value[i], f->orig[i]);
				if (f->fields[i])
					set_field_buffer(f->fields[i], 0, f->orig[i]);
			}
			free(old[i]);
		}
		form_compute_changes(f);
		fmt_opt_time(&when, &q->date_updated);
		free(f->notice);
		f->notice = xasprintf("The queue changed since the form opened (updated %s): "
				      "check the changes below and press Enter again to send them.",
				      buf_cstr(&when));
		buf_free(&when);
		f->mode = M_REVIEW;
		if (!form_any_change(f)) {
			f->mode = M_EDIT;
			form_set_error(f, -1, 0, "nothing left to change");
			form_style_fields(f);
		} else {
			form_request_preview(f);
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
		form_set_error(f, -1, 0, "the queue was deleted: nothing to update");
	} else if (slot->fetched_ms >= f->refetch_ms) {
		refetched(f);
	} else if (slot->err_ms >= f->refetch_ms && slot->err.kind != APIERR_NONE) {
		f->mode = M_REVIEW;
		form_api_error(f, "re-fetching the queue before writing", &slot->err);
	} else {
		return;
	}
	f->ui->need_full = true;
}

void form_observe(struct form *f)
{
	form_load_activities(f);
	observe_preview(f);
	observe_refetch(f);
}

/* Re-fetches the queue through the engine's refresh; observe_refetch()
 * takes the answer. */
void form_start_refetch(struct form *f)
{
	form_set_error(f, -1, 0, NULL);
	if (ui_token_dead(f->ui)) {
		form_set_error(f, -1, 0, "the token has expired: a new one first (Esc, then T to paste it)");
		return;
	}
	if (f->ui->st->frozen) {
		form_set_error(f, -1, 0, "refreshing is frozen: Esc, then Z to resume, before sending");
		return;
	}
	f->mode = M_REFETCH;
	f->refetch_ms = state_now_ms();
	engine_refresh_now(f->ui->eng);
}
