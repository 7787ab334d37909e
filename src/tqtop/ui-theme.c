#include "config.h"
#include "ui-theme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "ui-fmt.h"
#include "xalloc.h"

static void log_theme_error(void *ud, const char *msg)
{
	(void)ud;
	log_warn("%s", msg);
}

/* Themes are small; a file bigger than this is not a theme. */
#define THEME_MAX_BYTES (1024 * 1024)

/* shown: the path as errors name it. */
static bool read_file(const char *shown, const char *path, struct buf *out, char **err)
{
	switch (buf_read_file(out, path, THEME_MAX_BYTES)) {
	case BUF_READ_OK:
		return true;
	case BUF_READ_TOO_BIG:
		*err = xasprintf("theme %s: larger than %d bytes: not a theme file", shown,
				 THEME_MAX_BYTES);
		return false;
	case BUF_READ_OPEN:
	case BUF_READ_ERROR:
		break;
	}
	*err = xasprintf("theme %s: %s", shown, strerror(errno));
	return false;
}

bool ui_theme_resolve(struct theme *t, const char *spec, char **err)
{
	const struct theme_builtin *b = theme_builtin_find(spec);
	struct buf text = BUF_INIT;
	char *path;

	theme_init_default(t);
	if (b) {
		theme_load_builtin(t, b, log_theme_error, NULL);
		return true;
	}
	if (strchr(spec, '/')) {
		path = xstrdup(spec);
	} else {
		const char *xdg = getenv("XDG_CONFIG_HOME");
		const char *home = getenv("HOME");

		if (xdg && *xdg)
			path = xasprintf("%s/tqtop/themes/%s.theme", xdg, spec);
		else
			path = xasprintf("%s/.config/tqtop/themes/%s.theme", home ? home : ".", spec);
	}
	/* errors name the file as a user would type it: ~ for $HOME */
	struct buf shown = BUF_INIT;

	fmt_tilde(&shown, path, getenv("HOME"));
	if (!read_file(buf_cstr(&shown), path, &text, err)) {
		struct buf e = BUF_INIT;

		/* the fix: one of the built-in names, or a file that exists */
		if (strchr(spec, '/'))
			buf_printf(&e, "%s (the built-in themes: ", *err);
		else
			buf_printf(&e, "theme '%s' is not built in, and %s (the built-in themes: ",
				   spec, *err + strlen("theme "));
		theme_builtin_names(&e);
		buf_puts(&e, ")");
		free(*err);
		*err = buf_steal(&e);
		buf_free(&shown);
		free(path);
		buf_free(&text);
		return false;
	}
	theme_parse(t, buf_cstr(&shown), text.data ? text.data : "", text.len, log_theme_error, NULL);
	buf_free(&shown);
	free(path);
	buf_free(&text);
	return true;
}

bool ui_theme_can_color(bool no_color)
{
	if (no_color || !has_colors())
		return false;
	/* COLORS and COLOR_PAIRS are only known once colour is started */
	start_color();
	return COLORS >= 8 && COLOR_PAIRS > THEME_N_ELEMENTS;
}

static attr_t to_attr(unsigned a)
{
	attr_t r = A_NORMAL;

	if (a & THEME_ATTR_BOLD)
		r |= A_BOLD;
	if (a & THEME_ATTR_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_ATTR_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_ATTR_DIM)
		r |= A_DIM;
	return r;
}

void ui_theme_apply(struct ui_theme *ut, const struct theme *t, bool color)
{
	static bool defaults_known, have_defaults;

	if (color && !defaults_known) {
		have_defaults = use_default_colors() == OK;
		defaults_known = true;
	}
	ut->color = color;
	for (int e = 0; e < THEME_N_ELEMENTS; e++) {
		const struct theme_style *st = &t->style[e];

		ut->attr[e] = to_attr(st->attrs);
		ut->pair[e] = 0;
		if (!color)
			continue;
		int fg = theme_color_index(st->fg, COLORS);
		int bg = theme_color_index(st->bg, COLORS);
		if (!have_defaults) {
			/* no "default" colour on this terminal: assume the
			 * usual light text on a dark background */
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		if (init_extended_pair(e + 1, fg, bg) == OK)
			ut->pair[e] = (short)(e + 1);
	}
}
