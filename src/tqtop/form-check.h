/* form-check: the edit form's fields, and the checks its values pass
 * before anything is sent; no curses here (tests/unit/test-form-check.c).
 *
 * Contract:
 *  - form_field_defs is the one list of the form's fields: label, the update's
 *    parameter, and whether it is typed or picked from a list.
 *  - form_check() looks at the typed fields that are not locked:
 *    FriendlyName 1..FORM_NAME_MAX_CHARS characters (TaskRouter's limit,
 *    counted in characters, not bytes); TargetWorkers not empty and
 *    parsed by the core's expression parser (the error's column goes in
 *    p->col); MaxReservedWorkers a whole number 1..50, blanks around it
 *    forgiven.  On success value[F_MAXRES] is replaced by the number as
 *    TaskRouter spells it ("7" for " 07"); on failure p->field names the
 *    field and p->msg (caller frees, form_problem_clear()) says what is
 *    wrong and what is wanted, in one line.
 */
#ifndef TQ_FORM_CHECK_H
#define TQ_FORM_CHECK_H

#include <stdbool.h>

enum form_field { F_NAME, F_TARGET, F_MAXRES, F_ORDER, F_RESACT, F_ASSACT, F_N };

struct form_field_def {
	const char *label;
	const char *param;	/* the update's form parameter */
	bool choice;		/* picked with Left/Right, not typed */
};

extern const struct form_field_def form_field_defs[F_N];

#define FORM_NAME_MAX_CHARS 64
#define FORM_MAXRES_MIN 1
#define FORM_MAXRES_MAX 50

struct form_problem {
	int field;		/* -1: none */
	int col;		/* TargetWorkers' error column (1-based), 0: none */
	char *msg;
};

#define FORM_PROBLEM_INIT { -1, 0, NULL }

/* value[i] is what field i holds (typed fields only; each malloc'd, NULL
 * read as ""); ascii: non-ASCII shown as '?' in messages. */
bool form_check(char *value[F_N], const bool locked[F_N], bool ascii, struct form_problem *p);
void form_problem_clear(struct form_problem *p);

#endif
