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
#include "theme.h"
#include "xalloc.h"

/* Collects error lines, one per '\n'. */
static void collect(void *ud, const char *msg)
{
	buf_printf(ud, "%s\n", msg);
}

static struct theme_style style(enum theme_color_kind fk, uint32_t fv,
				enum theme_color_kind bk, uint32_t bv, unsigned attrs)
{
	return (struct theme_style){ { fk, fv }, { bk, bv }, attrs };
}

static void test_color_words(void **state)
{
	static const struct {
		const char *word;
		bool ok;
		enum theme_color_kind kind;
		uint32_t value;
	} cases[] = {
		{ "default", true, THEME_COLOR_DEFAULT, 0 },
		{ "DEFAULT", true, THEME_COLOR_DEFAULT, 0 },
		{ "black", true, THEME_COLOR_INDEX, 0 },
		{ "white", true, THEME_COLOR_INDEX, 7 },
		{ "Cyan", true, THEME_COLOR_INDEX, 6 },
		{ "bright-black", true, THEME_COLOR_INDEX, 8 },
		{ "bright-white", true, THEME_COLOR_INDEX, 15 },
		{ "color0", true, THEME_COLOR_INDEX, 0 },
		{ "color255", true, THEME_COLOR_INDEX, 255 },
		{ "color256", false, 0, 0 },
		{ "color", false, 0, 0 },
		{ "color-1", false, 0, 0 },
		{ "color1x", false, 0, 0 },
		{ "color0001", false, 0, 0 },
		{ "colour12", false, 0, 0 },
		{ "#000000", true, THEME_COLOR_RGB, 0x000000 },
		{ "#FfA500", true, THEME_COLOR_RGB, 0xffa500 },
		{ "#ffa50", false, 0, 0 },
		{ "#ffa5000", false, 0, 0 },
		{ "#ggffff", false, 0, 0 },
		{ "purple", false, 0, 0 },
		{ "bright-", false, 0, 0 },
		{ "", false, 0, 0 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct theme_color c = { THEME_COLOR_INDEX, 99 };
		bool ok = theme_color_parse(cases[i].word, &c);

		if (ok != cases[i].ok)
			fail_msg("\"%s\": expected %s", cases[i].word, cases[i].ok ? "ok" : "an error");
		if (ok) {
			assert_int_equal(c.kind, cases[i].kind);
			assert_int_equal(c.value, cases[i].value);
		}
	}
}

static void test_element_lookup(void **state)
{
	enum theme_element e;
	(void)state;

	assert_true(theme_element_lookup("status-ok", &e));
	assert_int_equal(e, THEME_STATUS_OK);
	assert_true(theme_element_lookup("Status_OK", &e));
	assert_int_equal(e, THEME_STATUS_OK);
	assert_true(theme_element_lookup("normal", &e));
	assert_int_equal(e, THEME_NORMAL);
	assert_false(theme_element_lookup("status-okay", &e));
	assert_false(theme_element_lookup("", &e));
	for (int i = 0; i < THEME_N_ELEMENTS; i++) {
		assert_true(theme_element_lookup(theme_element_name((enum theme_element)i), &e));
		assert_int_equal(e, i);
		assert_true(strlen(theme_element_help((enum theme_element)i)) > 0);
	}
}

/* Each case: a theme text applied to a blank theme, the errors expected
 * (exact text) and the resulting style of one element. */
static void test_parse_lines(void **state)
{
	static const struct {
		const char *text;
		const char *errors;
		enum theme_element el;
		struct theme_style want;
	} cases[] = {
		{ "color title cyan default bold\n", "", THEME_TITLE,
		  { { THEME_COLOR_INDEX, 6 }, { THEME_COLOR_DEFAULT, 0 }, THEME_ATTR_BOLD } },
		{ "  color\ttitle  #102030   color200 bold dim underline reverse  \r\n", "", THEME_TITLE,
		  { { THEME_COLOR_RGB, 0x102030 }, { THEME_COLOR_INDEX, 200 },
		    THEME_ATTR_BOLD | THEME_ATTR_DIM | THEME_ATTR_UNDERLINE | THEME_ATTR_REVERSE } },
		{ "colour title red blue bold normal", "", THEME_TITLE,
		  { { THEME_COLOR_INDEX, 1 }, { THEME_COLOR_INDEX, 4 }, 0 } },
		{ "# a comment\n\n   # indented comment\ncolor title red default\n", "", THEME_TITLE,
		  { { THEME_COLOR_INDEX, 1 }, { THEME_COLOR_DEFAULT, 0 }, 0 } },
		{ "color title red default\ncolor title green default\n", "", THEME_TITLE,
		  { { THEME_COLOR_INDEX, 2 }, { THEME_COLOR_DEFAULT, 0 }, 0 } },
		/* transactional: a bad attribute leaves the element as it was */
		{ "color title red default\ncolor title green blue bold blink\n",
		  "t:2: unknown attribute \"blink\" (bold, reverse, underline, dim or normal)\n",
		  THEME_TITLE, { { THEME_COLOR_INDEX, 1 }, { THEME_COLOR_DEFAULT, 0 }, 0 } },
		{ "color headr red default\n",
		  "t:1: unknown element \"headr\" (tqtop-theme(5) lists them)\n",
		  THEME_HEADER, { { 0, 0 }, { 0, 0 }, 0 } },
		{ "\n\ncolor header purple default\n",
		  "t:3: unknown foreground colour \"purple\" (default, black..white, "
		  "bright-black..bright-white, color0..color255 or #rrggbb)\n",
		  THEME_HEADER, { { 0, 0 }, { 0, 0 }, 0 } },
		{ "color header red #12345\n",
		  "t:1: unknown background colour \"#12345\" (default, black..white, "
		  "bright-black..bright-white, color0..color255 or #rrggbb)\n",
		  THEME_HEADER, { { 0, 0 }, { 0, 0 }, 0 } },
		{ "color header red\n",
		  "t:1: color needs an element, a foreground and a background "
		  "(color <element> <fg> <bg> [attributes])\n",
		  THEME_HEADER, { { 0, 0 }, { 0, 0 }, 0 } },
		{ "paint header red blue\ncolor header red blue\n",
		  "t:1: unknown statement \"paint\" (color <element> <fg> <bg> [attributes])\n",
		  THEME_HEADER, { { THEME_COLOR_INDEX, 1 }, { THEME_COLOR_INDEX, 4 }, 0 } },
		/* errors do not stop the rest: three bad lines, one good */
		{ "color a b c\ncolor header red blue\ncolor x\nbogus\n",
		  "t:1: unknown element \"a\" (tqtop-theme(5) lists them)\n"
		  "t:3: color needs an element, a foreground and a background "
		  "(color <element> <fg> <bg> [attributes])\n"
		  "t:4: unknown statement \"bogus\" (color <element> <fg> <bg> [attributes])\n",
		  THEME_HEADER, { { THEME_COLOR_INDEX, 1 }, { THEME_COLOR_INDEX, 4 }, 0 } },
		/* control characters never reach the message; long words are cut */
		{ "color \x1b[31mred x y\n",
		  "t:1: unknown element \"?[31mred\" (tqtop-theme(5) lists them)\n",
		  THEME_NORMAL, { { 0, 0 }, { 0, 0 }, 0 } },
		{ "color aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x y\n",
		  "t:1: unknown element \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" (tqtop-theme(5) lists them)\n",
		  THEME_NORMAL, { { 0, 0 }, { 0, 0 }, 0 } },
		{ "color title red blue bold bold bold bold bold bold bold bold bold bold bold bold bold\n",
		  "t:1: too many words (color <element> <fg> <bg> [attributes])\n",
		  THEME_TITLE, { { 0, 0 }, { 0, 0 }, 0 } },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct theme t;
		struct buf errs = BUF_INIT;
		size_t n_expected = 0;

		memset(&t, 0, sizeof t);
		for (const char *p = cases[i].errors; *p; p++)
			n_expected += *p == '\n';
		size_t n = theme_parse(&t, "t", cases[i].text, strlen(cases[i].text), collect, &errs);
		if (strcmp(buf_cstr(&errs), cases[i].errors) != 0)
			fail_msg("case %zu: errors\n got: %s\nwant: %s", i, buf_cstr(&errs),
				 cases[i].errors);
		assert_int_equal(n, n_expected);
		if (!theme_style_equal(&t.style[cases[i].el], &cases[i].want))
			fail_msg("case %zu: style of %s differs", i, theme_element_name(cases[i].el));
		buf_free(&errs);
	}
}

static void test_nul_and_unterminated(void **state)
{
	static const char text[] = "color title red blue\0junk\ncolor header green default";
	struct theme t;
	struct buf errs = BUF_INIT;
	(void)state;

	memset(&t, 0, sizeof t);
	assert_int_equal(theme_parse(&t, "f.theme", text, sizeof text - 1, collect, &errs), 1);
	assert_string_equal(buf_cstr(&errs), "f.theme:1: NUL byte in line (a theme is a text file)\n");
	struct theme_style want = style(THEME_COLOR_INDEX, 2, THEME_COLOR_DEFAULT, 0, 0);
	assert_true(theme_style_equal(&t.style[THEME_HEADER], &want));
	struct theme_style blank = style(0, 0, 0, 0, 0);
	assert_true(theme_style_equal(&t.style[THEME_TITLE], &blank));
	buf_free(&errs);
}

/* The shipped themes parse cleanly and say something about every element,
 * so that switching themes never leaves an element from the last one. */
static void test_builtins_complete(void **state)
{
	(void)state;

	assert_true(theme_n_builtins >= 4);
	assert_string_equal(theme_builtins[0].name, "default");
	for (size_t b = 0; b < theme_n_builtins; b++) {
		struct buf errs = BUF_INIT;
		struct theme t;

		assert_int_equal(theme_load_builtin(&t, &theme_builtins[b], collect, &errs), 0);
		assert_string_equal(buf_cstr(&errs), "");
		for (int e = 0; e < THEME_N_ELEMENTS; e++) {
			char needle[64];
			const char *text = theme_builtins[b].text;

			snprintf(needle, sizeof needle, "\ncolor %s ", theme_element_name((enum theme_element)e));
			if (!strstr(text, needle))
				fail_msg("theme %s does not set %s", theme_builtins[b].name, needle + 7);
		}
		buf_free(&errs);
	}
	assert_non_null(theme_builtin_find("mono"));
	assert_non_null(theme_builtin_find("light"));
	assert_non_null(theme_builtin_find("high-contrast"));
	assert_null(theme_builtin_find("nope"));
}

static void test_mono_has_no_colour(void **state)
{
	struct theme t;
	(void)state;

	assert_int_equal(theme_load_builtin(&t, theme_builtin_find("mono"), NULL, NULL), 0);
	for (int e = 0; e < THEME_N_ELEMENTS; e++) {
		assert_int_equal(t.style[e].fg.kind, THEME_COLOR_DEFAULT);
		assert_int_equal(t.style[e].bg.kind, THEME_COLOR_DEFAULT);
	}
	/* meaning without colour: the status states differ by attributes */
	assert_false(theme_style_equal(&t.style[THEME_STATUS_OK], &t.style[THEME_STATUS_WARN]));
	assert_false(theme_style_equal(&t.style[THEME_STATUS_OK], &t.style[THEME_STATUS_ERROR]));
	assert_false(theme_style_equal(&t.style[THEME_STATUS_WARN], &t.style[THEME_STATUS_ERROR]));
	assert_true(t.style[THEME_STALE].attrs & THEME_ATTR_DIM);
}

/* A user file layers over the default theme: untouched elements keep
 * the default's style. */
static void test_layering(void **state)
{
	static const char text[] = "color title red default\n";
	struct theme def, t;
	(void)state;

	theme_init_default(&def);
	theme_init_default(&t);
	assert_int_equal(theme_parse(&t, "mine", text, strlen(text), NULL, NULL), 0);
	assert_false(theme_style_equal(&t.style[THEME_TITLE], &def.style[THEME_TITLE]));
	for (int e = 0; e < THEME_N_ELEMENTS; e++)
		if (e != THEME_TITLE)
			assert_true(theme_style_equal(&t.style[e], &def.style[e]));
}

static void test_color_index(void **state)
{
	static const struct {
		struct theme_color c;
		int ncolors;
		int want;
	} cases[] = {
		{ { THEME_COLOR_DEFAULT, 0 }, 256, -1 },
		{ { THEME_COLOR_INDEX, 3 }, 8, 3 },
		{ { THEME_COLOR_INDEX, 3 }, 0, -1 },	/* no colours at all */
		{ { THEME_COLOR_INDEX, 3 }, 2, -1 },
		{ { THEME_COLOR_INDEX, 200 }, 256, 200 },
		{ { THEME_COLOR_INDEX, 9 }, 16, 9 },
		{ { THEME_COLOR_INDEX, 9 }, 8, 1 },	/* bright red -> red */
		{ { THEME_COLOR_INDEX, 15 }, 8, 7 },	/* bright white -> white */
		{ { THEME_COLOR_INDEX, 196 }, 16, 9 },	/* #ff0000 -> bright red */
		{ { THEME_COLOR_INDEX, 196 }, 8, 1 },
		{ { THEME_COLOR_INDEX, 21 }, 16, 4 },	/* #0000ff -> blue (#0000ee) */
		{ { THEME_COLOR_RGB, 0x6060ff }, 16, 12 },	/* -> bright blue */
		{ { THEME_COLOR_INDEX, 232 }, 8, 0 },	/* near black */
		{ { THEME_COLOR_INDEX, 255 }, 8, 7 },	/* near white */
		{ { THEME_COLOR_RGB, 0xff0000 }, 256, 196 },
		{ { THEME_COLOR_RGB, 0x005f87 }, 256, 24 },
		{ { THEME_COLOR_RGB, 0x808080 }, 256, 244 },
		{ { THEME_COLOR_RGB, 0xffffff }, 256, 231 },
		{ { THEME_COLOR_RGB, 0x000000 }, 256, 16 },
		{ { THEME_COLOR_RGB, 0xd70000 }, 16, 1 },
		{ { THEME_COLOR_RGB, 0x00ff00 }, 16, 10 },
		{ { THEME_COLOR_RGB, 0x00ff00 }, 8, 2 },
		{ { THEME_COLOR_RGB, 0xffd75f }, 8, 3 },
		{ { THEME_COLOR_RGB, 0x123456 }, 0x1000000, 0x123456 },
		{ { THEME_COLOR_INDEX, 4 }, 0x1000000, 4 },
		{ { THEME_COLOR_INDEX, 196 }, 0x1000000, 0xff0000 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = theme_color_index(cases[i].c, cases[i].ncolors);

		if (got != cases[i].want)
			fail_msg("case %zu: colour %u/%06x on %d colours: got %d, want %d", i,
				 (unsigned)cases[i].c.kind, (unsigned)cases[i].c.value,
				 cases[i].ncolors, got, cases[i].want);
	}
}

static void test_palette(void **state)
{
	(void)state;
	assert_int_equal(theme_palette_rgb(16), 0x000000);
	assert_int_equal(theme_palette_rgb(21), 0x0000ff);
	assert_int_equal(theme_palette_rgb(196), 0xff0000);
	assert_int_equal(theme_palette_rgb(231), 0xffffff);
	assert_int_equal(theme_palette_rgb(232), 0x080808);
	assert_int_equal(theme_palette_rgb(255), 0xeeeeee);
	assert_int_equal(theme_palette_rgb(1), 0xcd0000);
}

/* tqtop-theme(5) lists the elements between markers, generated from the
 * table; a table change without `make update-man` fails here. */
static void test_man_page_in_sync(void **state)
{
	const char *top = getenv("top_srcdir");
	struct buf want = BUF_INIT;
	(void)state;

	char *path = xasprintf("%s/docs/tqtop-theme.5", top ? top : ".");
	struct buf page = BUF_INIT;
	if (buf_read_file(&page, path, 0) != BUF_READ_OK)
		fail_msg("%s: cannot read", path);
	const char *begin = strstr(buf_cstr(&page), ".\\\" BEGIN ELEMENTS");
	if (!begin)
		fail_msg("%s: no BEGIN ELEMENTS marker", path);
	begin = strchr(begin, '\n') + 1;
	const char *end = strstr(begin, ".\\\" END ELEMENTS");
	if (!end)
		fail_msg("%s: no END ELEMENTS marker", path);
	theme_man_elements(&want);
	if ((size_t)(end - begin) != want.len || memcmp(begin, want.data, want.len) != 0)
		fail_msg("%s: the element list is stale: run make update-man", path);
	buf_free(&want);
	buf_free(&page);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_color_words),
		cmocka_unit_test(test_element_lookup),
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_nul_and_unterminated),
		cmocka_unit_test(test_builtins_complete),
		cmocka_unit_test(test_mono_has_no_colour),
		cmocka_unit_test(test_layering),
		cmocka_unit_test(test_color_index),
		cmocka_unit_test(test_palette),
		cmocka_unit_test(test_man_page_in_sync),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
