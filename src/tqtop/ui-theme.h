/* ui-theme: themes (core theme.h) on a curses screen.
 *
 * Contract:
 *  - ui_theme_resolve() finds a theme by --theme NAME|PATH: a built-in
 *    name first, then a value with a '/' as a path, else
 *    $XDG_CONFIG_HOME/tqtop/themes/NAME.theme (~/.config when unset).
 *    Bad lines are logged (log.h) as "file:line: message" and the rest
 *    applies; a theme that cannot be read at all leaves the default theme
 *    and returns false with *err (one line, caller frees).
 *  - ui_theme_apply() needs curses up: it sets one colour pair per element
 *    and fills attr[] with the attributes to draw each element with.
 *    With colour off (NO_COLOR, --no-color, a terminal without colours or
 *    with too few pairs) only the theme's attributes are used.
 */
#ifndef TQ_UI_THEME_H
#define TQ_UI_THEME_H

#include <stdbool.h>

#include <curses.h>

#include "theme.h"

struct ui_theme {
	attr_t attr[THEME_N_ELEMENTS];
	short pair[THEME_N_ELEMENTS];	/* 0: no colour pair */
	bool color;			/* colours in use */
};

bool ui_theme_resolve(struct theme *t, const char *spec, char **err);
/* Whether colours can be used on this terminal (curses must be up) unless
 * no_color says not to. */
bool ui_theme_can_color(bool no_color);
void ui_theme_apply(struct ui_theme *ut, const struct theme *t, bool color);

#endif
