/* form-priv: what the parts of the edit form share (form-edit.h is its
 * face to the dashboard): struct form, and each part's functions.
 *
 * Contract: one struct form per open form, owned by form-edit.c.  The
 * values (form-values.c) are the truth; the ncurses fields (form-fields.c)
 * are made from them at every layout and read back after every key.
 */
#ifndef TQ_FORM_PRIV_H
#define TQ_FORM_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <curses.h>
#include <form.h>

#include "form-check.h"
#include "form-edit.h"
#include "model.h"
#include "ui-priv.h"

enum mode { M_EDIT, M_REVIEW, M_REFETCH, M_SEND };

/* Where things go in the form's window. */
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

/* form-values.c */
void form_set_str(char **p, const char *s);
/* The activities to pick from, once there is a list. */
void form_load_activities(struct form *f);
int form_n_choices(const struct form *f, int id);
const char *form_choice_name(const struct form *f, int id, int i);
const char *form_choice_sid(const struct form *f, int id, int i);
/* Takes the queue's current values as the "old" ones. */
void form_load_orig(struct form *f);
const char *form_value_sid(const struct form *f, int id);
const char *form_value_text(const struct form *f, int id);
void form_compute_changes(struct form *f);
bool form_any_change(const struct form *f);
void form_compute_locks(struct form *f);
void form_set_error(struct form *f, int field, int col, const char *msg);
void form_api_error(struct form *f, const char *what, const struct apierr *e);

/* form-fields.c */
void form_sync_values(struct form *f);
void form_free_fields(struct form *f);
void form_style_fields(struct form *f);
void form_show_choice(struct form *f, int id);

/* form-send.c */
void form_request_preview(struct form *f);
void form_start_refetch(struct form *f);

#endif
