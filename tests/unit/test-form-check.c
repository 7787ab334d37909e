/* form-check: the edit form's checks before sending (form-check.h). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "form-check.h"
#include "xalloc.h"

#define OK_NAME "Support L1"
#define OK_TARGET "skills HAS \"support\""

struct check_case {
	const char *name, *target, *maxres;
	bool lock_name, lock_target, lock_maxres;
	bool ok;
	int field;		/* the field blamed (when !ok) */
	int col;
	const char *msg;	/* a part of the message (when !ok) */
	const char *maxres_sent;	/* value[F_MAXRES] after a pass */
};

static void run_case(const struct check_case *c, size_t i)
{
	char *value[F_N] = { NULL };
	bool locked[F_N] = { false };
	struct form_problem p = FORM_PROBLEM_INIT;
	bool ok;

	value[F_NAME] = xstrdup(c->name);
	value[F_TARGET] = xstrdup(c->target);
	value[F_MAXRES] = xstrdup(c->maxres);
	locked[F_NAME] = c->lock_name;
	locked[F_TARGET] = c->lock_target;
	locked[F_MAXRES] = c->lock_maxres;
	ok = form_check(value, locked, false, &p);
	if (ok != c->ok)
		fail_msg("case %zu: %s, want %s (%s)", i, ok ? "passed" : "refused",
			 c->ok ? "a pass" : "a refusal", p.msg ? p.msg : "");
	if (ok) {
		assert_int_equal(p.field, -1);
		assert_null(p.msg);
		if (c->maxres_sent)
			assert_string_equal(value[F_MAXRES], c->maxres_sent);
	} else {
		assert_int_equal(p.field, c->field);
		assert_int_equal(p.col, c->col);
		assert_non_null(p.msg);
		if (!strstr(p.msg, c->msg))
			fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, p.msg, c->msg);
	}
	form_problem_clear(&p);
	assert_null(p.msg);
	for (int k = 0; k < F_N; k++)
		free(value[k]);
}

static void test_checks(void **state)
{
	/* 64 and 65 characters, some of them two bytes long */
	static char name64[256], name65[256];
	static const struct check_case cases[] = {
		{ OK_NAME, OK_TARGET, "3", false, false, false, true, 0, 0, NULL, "3" },
		/* MaxReservedWorkers: blanks forgiven, sent as a number */
		{ OK_NAME, OK_TARGET, " 7", false, false, false, true, 0, 0, NULL, "7" },
		{ OK_NAME, OK_TARGET, "07 ", false, false, false, true, 0, 0, NULL, "7" },
		{ OK_NAME, OK_TARGET, "50", false, false, false, true, 0, 0, NULL, "50" },
		{ OK_NAME, OK_TARGET, "1", false, false, false, true, 0, 0, NULL, "1" },
		{ OK_NAME, OK_TARGET, "0", false, false, false, false, F_MAXRES, 0, "from 1 to 50, not \"0\"", NULL },
		{ OK_NAME, OK_TARGET, "51", false, false, false, false, F_MAXRES, 0, "not \"51\"", NULL },
		{ OK_NAME, OK_TARGET, "+7", false, false, false, false, F_MAXRES, 0, "not \"+7\"", NULL },
		{ OK_NAME, OK_TARGET, "7x", false, false, false, false, F_MAXRES, 0, "not \"7x\"", NULL },
		{ OK_NAME, OK_TARGET, "7 7", false, false, false, false, F_MAXRES, 0, "whole number", NULL },
		{ OK_NAME, OK_TARGET, "", false, false, false, false, F_MAXRES, 0, "not \"\"", NULL },
		{ OK_NAME, OK_TARGET, "99999999999999999999", false, false, false, false, F_MAXRES, 0, "from 1 to 50", NULL },
		/* a locked field is not looked at */
		{ OK_NAME, OK_TARGET, "x", false, false, true, true, 0, 0, NULL, "x" },
		{ "", "", "x", true, true, true, true, 0, 0, NULL, NULL },
		/* FriendlyName */
		{ "", OK_TARGET, "1", false, false, false, false, F_NAME, 0, "must not be empty", NULL },
		{ name64, OK_TARGET, "1", false, false, false, true, 0, 0, NULL, NULL },
		{ name65, OK_TARGET, "1", false, false, false, false, F_NAME, 0, "1 to 64 characters, not 65", NULL },
		/* TargetWorkers: empty, and a parse error with its column */
		{ OK_NAME, "", "1", false, false, false, false, F_TARGET, 0, "must not be empty (1==1", NULL },
		{ OK_NAME, "skills HAS \"support\" AND", "1", false, false, false, false, F_TARGET, 25, "TargetWorkers ", NULL },
		{ OK_NAME, "1==1", "1", false, false, false, true, 0, 0, NULL, NULL },
		/* the first problem wins, in the form's order */
		{ "", "", "0", false, false, false, false, F_NAME, 0, "FriendlyName", NULL },
	};
	(void)state;

	/* "é" is two bytes: 64 characters are 96 bytes here, under the limit */
	name64[0] = name65[0] = '\0';
	for (int i = 0; i < 32; i++)
		strcat(name64, "\xc3\xa9" "a");
	strcpy(name65, name64);
	strcat(name65, "b");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i], i);
}

static void test_fields(void **state)
{
	(void)state;
	assert_string_equal(form_field_defs[F_NAME].param, "FriendlyName");
	assert_string_equal(form_field_defs[F_TARGET].param, "TargetWorkers");
	assert_string_equal(form_field_defs[F_MAXRES].param, "MaxReservedWorkers");
	assert_string_equal(form_field_defs[F_ORDER].param, "TaskOrder");
	assert_string_equal(form_field_defs[F_RESACT].param, "ReservationActivitySid");
	assert_string_equal(form_field_defs[F_ASSACT].param, "AssignmentActivitySid");
	for (int i = 0; i < F_N; i++)
		assert_int_equal(form_field_defs[i].choice, i >= F_ORDER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
