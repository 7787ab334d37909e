/* form-check: the edit form's fields and checks (form-check.h). */
#include "config.h"
#include "form-check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expr.h"
#include "json.h"
#include "ui-fmt.h"
#include "xalloc.h"

const struct form_field_def form_field_defs[F_N] = {
	[F_NAME] = { "Friendly name", "FriendlyName", false },
	[F_TARGET] = { "Target workers", "TargetWorkers", false },
	[F_MAXRES] = { "Max reserved", "MaxReservedWorkers", false },
	[F_ORDER] = { "Task order", "TaskOrder", true },
	[F_RESACT] = { "Reservation act.", "ReservationActivitySid", true },
	[F_ASSACT] = { "Assignment act.", "AssignmentActivitySid", true },
};

static bool problem(struct form_problem *p, int field, int col, char *msg)
{
	p->field = field;
	p->col = col;
	free(p->msg);
	p->msg = msg;
	return false;
}

static bool check_name(const char *name, struct form_problem *p)
{
	size_t n = json_utf8_chars(name);

	if (n == 0)
		return problem(p, F_NAME, 0, xstrdup("FriendlyName must not be empty"));
	if (n > FORM_NAME_MAX_CHARS)
		return problem(p, F_NAME, 0,
			       xasprintf("FriendlyName must be 1 to %d characters, not %zu: shorten it",
					 FORM_NAME_MAX_CHARS, n));
	return true;
}

static bool check_target(const char *target, struct form_problem *p)
{
	struct expr_error ee = { 0, NULL };
	struct expr *e;

	if (!*target)
		return problem(p, F_TARGET, 0,
			       xstrdup("TargetWorkers must not be empty (1==1 matches every worker)"));
	e = expr_parse(target, &ee);
	if (!e) {
		char *t = expr_error_text(&ee);
		int col = ee.col;

		expr_error_clear(&ee);
		problem(p, F_TARGET, col, xasprintf("TargetWorkers %s", t));
		free(t);
		return false;
	}
	expr_free(&e);
	return true;
}

/* Blanks around the number are forgiven, anything else is refused; what
 * goes out is the number as TaskRouter spells it. */
static bool check_maxres(char **value, bool ascii, struct form_problem *p)
{
	const char *s = *value ? *value : "";
	const char *d = s + strspn(s, " ");
	char *end = NULL;
	long v = *d >= '0' && *d <= '9' ? strtol(d, &end, 10) : 0;

	if (v >= FORM_MAXRES_MIN && v <= FORM_MAXRES_MAX && end[strspn(end, " ")] == '\0') {
		free(*value);
		*value = xasprintf("%ld", v);
		return true;
	}
	struct buf b = BUF_INIT;

	buf_printf(&b, "MaxReservedWorkers must be a whole number from %d to %d, not \"",
		   FORM_MAXRES_MIN, FORM_MAXRES_MAX);
	ui_sanitize(&b, s, ascii);
	buf_puts(&b, "\"");
	return problem(p, F_MAXRES, 0, buf_steal(&b));
}

bool form_check(char *value[F_N], const bool locked[F_N], bool ascii, struct form_problem *p)
{
	problem(p, -1, 0, NULL);
	if (!locked[F_NAME] && !check_name(value[F_NAME] ? value[F_NAME] : "", p))
		return false;
	if (!locked[F_TARGET] && !check_target(value[F_TARGET] ? value[F_TARGET] : "", p))
		return false;
	if (!locked[F_MAXRES] && !check_maxres(&value[F_MAXRES], ascii, p))
		return false;
	return true;
}

void form_problem_clear(struct form_problem *p)
{
	problem(p, -1, 0, NULL);
}
