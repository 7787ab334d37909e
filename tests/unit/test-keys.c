#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "keys.h"
#include "xalloc.h"

#define MAN_BEGIN ".\\\" BEGIN KEYS"
#define MAN_END ".\\\" END KEYS"

/* Calls fn(key) for every key of every action of ctx. */
static void each_key(enum key_action a, void (*fn)(enum key_action, const char *, void *), void *ud)
{
	const char *p = keys_action_keys(a);

	while (*p) {
		size_t n = strcspn(p, " ");
		char *k = xstrndup(p, n);

		fn(a, k, ud);
		free(k);
		p += n;
		p += strspn(p, " ");
	}
}

static void check_valid(enum key_action a, const char *k, void *ud)
{
	(void)ud;
	if (!keys_name_valid(k))
		fail_msg("action %s: \"%s\" is not a key name", keys_action_name(a), k);
	/* each key finds its own action back: no key is bound twice */
	if (keys_lookup(keys_action_context(a), k) != a)
		fail_msg("key \"%s\" of %s is bound to %s first", k, keys_action_name(a),
			 keys_action_name(keys_lookup(keys_action_context(a), k)));
}

/* '+'/'-' and 'w'/'W': the next value that way, from anywhere; never a
 * step backwards (the review found + at 0.2 s skipping 1 s, and + at
 * 3600 s going down to 60 s). */
static void test_steps(void **state)
{
	static const struct {
		enum key_steps s;
		double cur;
		int dir;
		double want;
	} cases[] = {
		{ STEPS_INTERVAL, 0.2, 1, 1 },
		{ STEPS_INTERVAL, 0.2, -1, 0.2 },
		{ STEPS_INTERVAL, 1, 1, 2 },
		{ STEPS_INTERVAL, 1, -1, 1 },
		{ STEPS_INTERVAL, 1.5, 1, 2 },
		{ STEPS_INTERVAL, 1.5, -1, 1 },
		{ STEPS_INTERVAL, 2, -1, 1 },
		{ STEPS_INTERVAL, 60, 1, 60 },
		{ STEPS_INTERVAL, 3600, 1, 3600 },
		{ STEPS_INTERVAL, 3600, -1, 60 },
		{ STEPS_WINDOW, 15, 1, 30 },
		{ STEPS_WINDOW, 15, -1, 5 },
		{ STEPS_WINDOW, 5, -1, 5 },
		{ STEPS_WINDOW, 1440, 1, 1440 },
		{ STEPS_WINDOW, 20, 1, 30 },
		{ STEPS_WINDOW, 20, -1, 15 },
		{ STEPS_WINDOW, 1, -1, 1 },
		{ STEPS_WINDOW, 43200, -1, 1440 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double got = keys_step(cases[i].s, cases[i].cur, cases[i].dir);

		if (got != cases[i].want)
			fail_msg("case %zu: step %d from %g gave %g, want %g", i, cases[i].dir,
				 cases[i].cur, got, cases[i].want);
	}
}

/* One table per vocabulary: the help of the step keys comes from the
 * step tables, and the hints line from the key table. */
static void test_generated_texts(void **state)
{
	struct buf b = BUF_INIT;
	int hints = 0;
	(void)state;

	keys_action_help(ACT_WINDOW_NEXT, &b);
	assert_string_equal(buf_cstr(&b), "longer cumulative window (5, 15, 30, 60, 240, 1440 min)");
	buf_reset(&b);
	keys_action_help(ACT_INTERVAL_UP, &b);
	assert_string_equal(buf_cstr(&b), "refresh less often (1, 2, 5, 10, 30, 60 s)");
	buf_reset(&b);
	keys_steps_text(STEPS_WINDOW, &b);
	assert_string_equal(buf_cstr(&b), "5, 15, 30, 60, 240, 1440 min");
	buf_reset(&b);
	keys_help_text(KEYCTX_MAIN, &b);
	assert_non_null(strstr(buf_cstr(&b), "+, =      refresh less often (1, 2, 5, 10, 30, 60 s)\n"));
	buf_free(&b);
	/* hints: dashboard keys only, each with a key to show */
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		if (!keys_action_hint((enum key_action)a))
			continue;
		hints++;
		assert_int_equal(keys_action_context((enum key_action)a), KEYCTX_MAIN);
		assert_true(*keys_action_keys((enum key_action)a));
		assert_true(keys_action_hint_prio((enum key_action)a) >= 0);
	}
	assert_true(hints >= 10);
	assert_string_equal(keys_action_hint(ACT_EDIT), "edit");
	assert_null(keys_action_hint(ACT_FORM_NEXT));
}

static void test_table_is_sound(void **state)
{
	(void)state;
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		assert_true(strlen(keys_action_keys((enum key_action)a)) > 0);
		struct buf h = BUF_INIT;
		keys_action_help((enum key_action)a, &h);
		assert_true(h.len > 0);
		buf_free(&h);
		assert_true(strlen(keys_action_name((enum key_action)a)) > 0);
		each_key((enum key_action)a, check_valid, NULL);
	}
}

static void test_lookup(void **state)
{
	static const struct {
		enum key_context ctx;
		const char *key;
		enum key_action want;
	} cases[] = {
		{ KEYCTX_MAIN, "q", ACT_QUIT },
		{ KEYCTX_MAIN, "F10", ACT_QUIT },
		{ KEYCTX_MAIN, "F1", ACT_HELP },
		{ KEYCTX_MAIN, "?", ACT_HELP },
		{ KEYCTX_MAIN, "Z", ACT_FREEZE },
		{ KEYCTX_MAIN, "z", ACT_NONE },
		{ KEYCTX_MAIN, "^L", ACT_REDRAW },
		{ KEYCTX_MAIN, "w", ACT_WINDOW_NEXT },
		{ KEYCTX_MAIN, "W", ACT_WINDOW_PREV },
		{ KEYCTX_MAIN, "+", ACT_INTERVAL_UP },
		{ KEYCTX_MAIN, "-", ACT_INTERVAL_DOWN },
		{ KEYCTX_MAIN, "e", ACT_EDIT },
		{ KEYCTX_MAIN, "D", ACT_DELETE },
		{ KEYCTX_MAIN, "d", ACT_NONE },
		{ KEYCTX_MAIN, "l", ACT_LOG },
		{ KEYCTX_MAIN, "t", ACT_THEME },
		{ KEYCTX_MAIN, "Tab", ACT_NONE },
		{ KEYCTX_MAIN, "", ACT_NONE },
		{ KEYCTX_MAIN, "F", ACT_NONE },	/* a prefix of F10 is not F10 */
		{ KEYCTX_FORM, "Tab", ACT_FORM_NEXT },
		{ KEYCTX_FORM, "BTab", ACT_FORM_PREV },
		{ KEYCTX_FORM, "Esc", ACT_FORM_CANCEL },
		{ KEYCTX_FORM, "Enter", ACT_FORM_SUBMIT },
		{ KEYCTX_FORM, "q", ACT_NONE },	/* typed text, not quit */
		{ KEYCTX_DIALOG, "Esc", ACT_DIALOG_CANCEL },
		{ KEYCTX_DIALOG, "Enter", ACT_DIALOG_OK },
		{ KEYCTX_DIALOG, "q", ACT_NONE },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (keys_lookup(cases[i].ctx, cases[i].key) != cases[i].want)
			fail_msg("%s in %s: got %s, want %s", cases[i].key,
				 keys_context_title(cases[i].ctx),
				 keys_action_name(keys_lookup(cases[i].ctx, cases[i].key)),
				 keys_action_name(cases[i].want));
}

static void test_key_names(void **state)
{
	static const struct {
		const char *name;
		bool ok;
	} cases[] = {
		{ "q", true }, { "?", true }, { "~", true }, { " ", false }, { "\x7f", false },
		{ "^L", true }, { "^l", false }, { "^?", true }, { "F1", true }, { "F12", true },
		{ "F13", false }, { "F0", false }, { "F01", false }, { "Fx", false },
		{ "Esc", true }, { "esc", false }, { "BTab", true }, { "", false }, { "qq", false },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (keys_name_valid(cases[i].name) != cases[i].ok)
			fail_msg("\"%s\": expected %s", cases[i].name, cases[i].ok ? "valid" : "invalid");
}

static void test_help_text(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	keys_help_text(KEYCTX_MAIN, &b);
	/* keys joined with ", ", padded to the widest key list ("? h F1"
	 * joins to 8 characters), then two spaces */
	assert_non_null(strstr(buf_cstr(&b), "q, F10    quit tqtop\n"));
	assert_non_null(strstr(buf_cstr(&b), "?, h, F1  show this help\n"));
	assert_non_null(strstr(buf_cstr(&b), "^L        redraw the screen\n"));
	assert_null(strstr(buf_cstr(&b), "next field"));
	/* one line per action of the context */
	size_t lines = 0, want = 0;
	for (const char *p = buf_cstr(&b); *p; p++)
		lines += *p == '\n';
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
		want += keys_action_context((enum key_action)a) == KEYCTX_MAIN;
	assert_int_equal(lines, want);
	buf_free(&b);

	keys_first(ACT_EDIT, &b);
	assert_string_equal(buf_cstr(&b), "e");
	buf_free(&b);
}

static void test_man_section_form(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	keys_man_section(&b);
	const char *s = buf_cstr(&b);
	assert_true(strncmp(s, ".SH KEYS\n", 9) == 0);
	assert_non_null(strstr(s, ".SS Dashboard\n.TP\n\\fBq\\fR, \\fBF10\\fR\nquit tqtop.\n"));
	assert_non_null(strstr(s, ".TP\n\\fB\\-\\fR\nrefresh more often.\n"));
	assert_non_null(strstr(s, ".SS Edit form\n"));
	assert_true(s[b.len - 1] == '\n' && s[b.len - 2] != '\n');
	buf_free(&b);
}

/* docs/tqtop.1 carries the generated section between markers; a table
 * change without `make update-man` fails here. */
static void test_man_page_in_sync(void **state)
{
	const char *top = getenv("top_srcdir");
	struct buf want = BUF_INIT;
	(void)state;

	if (!top)
		top = ".";
	char *path = xasprintf("%s/docs/tqtop.1", top);
	struct buf page = BUF_INIT;
	if (buf_read_file(&page, path, 0) != BUF_READ_OK) {
		/* The engine's branch brings the page; until it is merged
		 * there is nothing to compare with. */
		buf_free(&page);
		free(path);
		skip();
	}
	const char *begin = strstr(buf_cstr(&page), MAN_BEGIN);
	if (!begin)
		fail_msg("%s: no \"%s\" marker: run make update-man", path, MAN_BEGIN);
	begin = strchr(begin, '\n');
	assert_non_null(begin);
	begin++;
	const char *end = strstr(begin, MAN_END);
	if (!end)
		fail_msg("%s: no \"%s\" marker", path, MAN_END);
	keys_man_section(&want);
	if ((size_t)(end - begin) != want.len || memcmp(begin, want.data, want.len) != 0)
		fail_msg("%s: the KEYS section is stale: run make update-man", path);
	buf_free(&want);
	buf_free(&page);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_sound),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_generated_texts),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_help_text),
		cmocka_unit_test(test_man_section_form),
		cmocka_unit_test(test_man_page_in_sync),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
