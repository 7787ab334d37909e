/* form-values: what the edit form holds: the queue's values when it
 * opened (old), what was typed or picked (new), the choices of the list
 * fields, which fields changed and which the token keeps read-only
 * (form-priv.h). */
#include "config.h"
#include "form-priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "pane-realtime.h"
#include "xalloc.h"

static const char *const orders[] = { "FIFO", "LIFO" };

void form_set_str(char **p, const char *s)
{
	free(*p);
	*p = s ? xstrdup(s) : NULL;
}

/* The activities to pick from: the workspace's Activities when the token
 * may read them, else the ones the real-time statistics list (one entry
 * per Activity of the workspace, with sid and name): a TaskQueue token
 * usually may read those and not the Activities. */
void form_load_activities(struct form *f)
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

int form_n_choices(const struct form *f, int id)
{
	return id == F_ORDER ? 2 : (int)f->n_acts;
}

const char *form_choice_name(const struct form *f, int id, int i)
{
	if (id == F_ORDER)
		return orders[i];
	return i >= 0 && (size_t)i < f->n_acts ? f->acts[i].name : "";
}

const char *form_choice_sid(const struct form *f, int id, int i)
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
void form_load_orig(struct form *f)
{
	const struct tq_task_queue *q = &f->ui->st->queue;
	char num[32];

	form_set_str(&f->orig[F_NAME], opt_or(&q->friendly_name, ""));
	form_set_str(&f->orig[F_TARGET], opt_or(&q->target_workers, ""));
	if (q->max_reserved_workers.st == TQ_SET)
		snprintf(num, sizeof num, "%lld", (long long)q->max_reserved_workers.v);
	else
		num[0] = '\0';
	form_set_str(&f->orig[F_MAXRES], num);
	form_set_str(&f->orig[F_ORDER], opt_or(&q->task_order, "FIFO"));
	form_set_str(&f->orig_sid[F_ORDER], f->orig[F_ORDER]);
	form_set_str(&f->orig[F_RESACT], opt_or(&q->reservation_activity_name,
					   opt_or(&q->reservation_activity_sid, "")));
	form_set_str(&f->orig_sid[F_RESACT], opt_or(&q->reservation_activity_sid, NULL));
	form_set_str(&f->orig[F_ASSACT], opt_or(&q->assignment_activity_name,
					   opt_or(&q->assignment_activity_sid, "")));
	form_set_str(&f->orig_sid[F_ASSACT], opt_or(&q->assignment_activity_sid, NULL));
	f->orig_updated = q->date_updated;
}

const char *form_value_sid(const struct form *f, int id)
{
	if (f->choice[id] < 0)
		return f->orig_sid[id];
	return form_choice_sid(f, id, f->choice[id]);
}

const char *form_value_text(const struct form *f, int id)
{
	if (!form_field_defs[id].choice)
		return f->value[id] ? f->value[id] : "";
	return f->choice[id] < 0 ? f->orig[id] : form_choice_name(f, id, f->choice[id]);
}

void form_compute_changes(struct form *f)
{
	for (int i = 0; i < F_N; i++) {
		if (form_field_defs[i].choice) {
			const char *a = form_value_sid(f, i), *b = f->orig_sid[i];

			f->changed[i] = f->choice[i] >= 0 && a && (!b || strcmp(a, b) != 0);
		} else {
			f->changed[i] = strcmp(form_value_text(f, i), f->orig[i]) != 0;
		}
		if (f->locked[i])
			f->changed[i] = false;
	}
}

bool form_any_change(const struct form *f)
{
	for (int i = 0; i < F_N; i++)
		if (f->changed[i])
			return true;
	return false;
}

/* ---- permissions ---------------------------------------------------------- */

void form_compute_locks(struct form *f)
{
	struct ui *ui = f->ui;

	for (int i = 0; i < F_N; i++) {
		struct tq_param p = { form_field_defs[i].param, f->orig_sid[i] ? f->orig_sid[i] : f->orig[i] };

		f->locked[i] = !ui->st->token.may_update ||
			       !engine_may(ui->eng, API_QUEUE_UPDATE, &p, 1);
	}
}

void form_set_error(struct form *f, int field, int col, const char *msg)
{
	f->error_field = field;
	f->error_col = col;
	form_set_str(&f->error, msg);
}

void form_api_error(struct form *f, const char *what, const struct apierr *e)
{
	char *t = apierr_text(e);
	char *line = xasprintf("%s failed: %s", what, t);

	form_set_error(f, -1, 0, line);
	free(line);
	free(t);
}
