/* theme: tqtop's colour themes, parsed from text (tqtop-theme(5)).
 *
 * A theme gives every screen element (THEME_ELEMENTS, the one list the
 * enum, the name lookup and the man page come from) a foreground, a
 * background and attributes.  Theme text is one statement per line:
 *
 *     color <element> <fg> <bg> [bold|reverse|underline|dim|normal ...]
 *
 * colours: default, black, red, green, yellow, blue, magenta, cyan, white,
 * bright-black .. bright-white, color0 .. color255, #rrggbb.  Lines whose
 * first non-blank character is '#' are comments.
 *
 * Contract:
 *  - Parsing is transactional per line: a line applies whole or not at
 *    all.  A bad line is reported through the error callback as
 *    "NAME:LINE: message" (NAME is the file name or built-in theme name
 *    given by the caller) and parsing carries on with the next line; the
 *    return value counts the bad lines.  Messages quote at most a short,
 *    sanitised excerpt of the input (no control characters), so they are
 *    safe to draw on a terminal.
 *  - Every theme starts from the compiled-in default theme
 *    (themes/default.theme, parsed by this same parser), so a file that
 *    sets three elements changes only those three.
 *  - No I/O and no curses here: theme_color_index() maps a colour to the
 *    palette of a terminal with a given number of colours, approximating
 *    #rrggbb and colorN on terminals with fewer colours; the UI turns the
 *    result into curses pairs.
 */
#ifndef TQ_THEME_H
#define TQ_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* X(ID, "name", "what it colours") */
#define THEME_ELEMENTS(X) \
	X(NORMAL,        "normal",        "ordinary text and the screen background") \
	X(HEADER,        "header",        "the top line: workspace, queue, clock, interval") \
	X(TITLE,         "title",         "pane titles") \
	X(BORDER,        "border",        "pane frames and separators") \
	X(LABEL,         "label",         "field names") \
	X(VALUE,         "value",         "field values") \
	X(VALUE_CHANGED, "value-changed", "a value that changed at the last refresh") \
	X(VALUE_WARN,    "value-warn",    "a value past its threshold (a long wait, a missed SLA)") \
	X(AGE,           "age",           "the age of a pane's data, next to its title") \
	X(STALE,         "stale",         "data older than twice the refresh interval") \
	X(GRAPH,         "graph",         "trend sparklines") \
	X(STATUS,        "status",        "the status bar") \
	X(STATUS_OK,     "status-ok",     "status bar: connected") \
	X(STATUS_WARN,   "status-warn",   "status bar: connecting, retrying, rate-limited, token expiring") \
	X(STATUS_ERROR,  "status-error",  "status bar: disconnected, token expired, the last error") \
	X(KEY,           "key",           "key names in the status bar and the help overlay") \
	X(LOG_TIME,      "log-time",      "event log timestamps") \
	X(LOG_INFO,      "log-info",      "event log: events") \
	X(LOG_WARN,      "log-warn",      "event log: warnings") \
	X(LOG_ERROR,     "log-error",     "event log: errors") \
	X(LOG_DEBUG,     "log-debug",     "event log: frames (--debug)") \
	X(DIALOG,        "dialog",        "forms, dialogs and the help overlay") \
	X(DIALOG_TITLE,  "dialog-title",  "titles of forms and dialogs") \
	X(FIELD,         "field",         "an editable form field") \
	X(FIELD_ACTIVE,  "field-active",  "the form field being edited") \
	X(FIELD_LOCKED,  "field-locked",  "a field this token may not change") \
	X(ERROR,         "error",         "validation and server errors in forms and dialogs") \
	X(TOO_SMALL,     "too-small",     "the terminal-too-small message")

enum theme_element {
#define X(id, name, help) THEME_##id,
	THEME_ELEMENTS(X)
#undef X
	THEME_N_ELEMENTS
};

enum theme_color_kind {
	THEME_COLOR_DEFAULT = 0,	/* the terminal's own colour */
	THEME_COLOR_INDEX,		/* palette index 0..255 */
	THEME_COLOR_RGB,		/* 0xrrggbb */
};

struct theme_color {
	enum theme_color_kind kind;
	uint32_t value;
};

enum theme_attr {
	THEME_ATTR_BOLD      = 1 << 0,
	THEME_ATTR_REVERSE   = 1 << 1,
	THEME_ATTR_UNDERLINE = 1 << 2,
	THEME_ATTR_DIM       = 1 << 3,
};

struct theme_style {
	struct theme_color fg, bg;
	unsigned attrs;		/* enum theme_attr bits */
};

struct theme {
	struct theme_style style[THEME_N_ELEMENTS];
};

/* Receives each error line ("NAME:LINE: message"); must copy it. */
typedef void (*theme_error_fn)(void *ud, const char *msg);

/* The themes compiled in from themes/NAME.theme, "default" first. */
struct theme_builtin {
	const char *name;
	const char *text;
};
extern const struct theme_builtin theme_builtins[];
extern const size_t theme_n_builtins;

/* Sets t to the compiled-in default theme. */
void theme_init_default(struct theme *t);
/* Applies text (len bytes, need not be NUL-terminated) on top of t.
 * Returns the number of bad lines, each reported to fn (which may be
 * NULL) as "name:LINE: message". */
size_t theme_parse(struct theme *t, const char *name, const char *text, size_t len,
		   theme_error_fn fn, void *ud);
/* The built-in theme called name, or NULL. */
const struct theme_builtin *theme_builtin_find(const char *name);
/* Appends the built-in themes' names: "default, mono, ...". */
void theme_builtin_names(struct buf *out);
/* Sets t to the default theme with the built-in theme b applied. */
size_t theme_load_builtin(struct theme *t, const struct theme_builtin *b,
			  theme_error_fn fn, void *ud);

/* Element name <-> id.  Lookup accepts '_' for '-' and any case. */
const char *theme_element_name(enum theme_element e);
const char *theme_element_help(enum theme_element e);
bool theme_element_lookup(const char *name, enum theme_element *out);

/* Parses one colour word; false for anything not in the grammar above. */
bool theme_color_parse(const char *word, struct theme_color *out);
/* Parses one attribute word into *attrs; "normal" clears them. */
bool theme_attr_parse(const char *word, unsigned *attrs);

/* The palette index to use for c on a terminal with ncolors colours:
 * -1 for the terminal default (and for any colour when ncolors < 8).
 * Indexes and #rrggbb beyond the terminal's palette are approximated by
 * the nearest colour it has (256: the 6x6x6 cube and grey ramp; 16 and 8:
 * the ANSI colours).  On a direct-colour terminal (ncolors >= 2^24)
 * #rrggbb is returned as 0xrrggbb. */
int theme_color_index(struct theme_color c, int ncolors);
/* The xterm default RGB value of palette index i (0..255). */
uint32_t theme_palette_rgb(int i);

/* The element list of tqtop-theme(5) in roff (.TP entries), from the
 * table; `make update-man` writes it into the page and test-theme fails
 * when the page is stale. */
void theme_man_elements(struct buf *out);

/* Equality of two styles (for tests and for "did the theme change"). */
bool theme_style_equal(const struct theme_style *a, const struct theme_style *b);

#endif
