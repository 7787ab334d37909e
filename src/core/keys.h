/* keys: tqtop's key bindings, from one table.
 *
 * KEY_ACTIONS is the only place a key is bound.  From it come the action
 * enum, the lookup from a key name to an action, the '?' help overlay and
 * the KEYS section of tqtop(1) (keys_man_section(), written into the man
 * page by `make update-man`; a test fails when the page is stale).
 *
 * Key names: a printable ASCII character stands for itself ("q", "?",
 * "+"); "^X" is Ctrl+X; named keys are Space, Tab, BTab (Shift+Tab),
 * Enter, Esc, Backspace, Delete, Home, End, Up, Down, Left, Right, PgUp,
 * PgDn and F1..F12.  The UI turns a curses key code into such a name
 * (ui-input.c); this module never sees curses.
 *
 * Contract: no I/O, no global state.  A key is bound at most once per
 * context (a unit test checks the table).  Lookup of an unbound key gives
 * ACT_NONE.
 */
#ifndef TQ_KEYS_H
#define TQ_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum key_context {
	KEYCTX_MAIN,	/* the dashboard */
	KEYCTX_FORM,	/* the edit form */
	KEYCTX_DIALOG,	/* confirmations, the token prompt, the help overlay */
	KEYCTX_N
};

/* The values the window and interval keys step through: one table each,
 * from which their help text is written too.
 *   X(ID, unit, values...) */
#define KEY_STEPS(X) \
	X(WINDOW,   "min", 5, 15, 30, 60, 240, 1440) \
	X(INTERVAL, "s",   1, 2, 5, 10, 30, 60)

enum key_steps {
	STEPS_NONE = -1,
#define X(id, unit, ...) STEPS_##id,
	KEY_STEPS(X)
#undef X
	STEPS_N
};

/* X(CONTEXT, ID, "name", "keys separated by spaces", "hint", prio, STEPS, "help text")
 *   hint   the word in the dashboard's hints line (NULL: not there)
 *   prio   which hints stay when the line is short: lower stays longer
 *   STEPS  a KEY_STEPS table whose values end the help text, or NONE */
#define KEY_ACTIONS(X) \
	X(MAIN,   QUIT,          "quit",          "q F10",      "quit",      0, NONE,     "quit tqtop") \
	X(MAIN,   HELP,          "help",          "? h F1",     "help",      0, NONE,     "show this help") \
	X(MAIN,   TOKEN,         "token",         "T",          "new token", 0, NONE,     "paste a new token (brings back the token.expired prompt)") \
	X(MAIN,   REFRESH,       "refresh",       "r F5",       "refresh",   3, NONE,     "refresh now") \
	X(MAIN,   REDRAW,        "redraw",        "^L",         NULL,        0, NONE,     "redraw the screen") \
	X(MAIN,   FREEZE,        "freeze",        "Z",          "freeze",    4, NONE,     "freeze: stop refreshing (the data goes stale); again to resume") \
	X(MAIN,   WINDOW_NEXT,   "window-next",   "w",          "window",    2, WINDOW,   "longer cumulative window") \
	X(MAIN,   WINDOW_PREV,   "window-prev",   "W",          NULL,        0, NONE,     "shorter cumulative window") \
	X(MAIN,   INTERVAL_UP,   "interval-up",   "+ =",        "interval",  5, INTERVAL, "refresh less often") \
	X(MAIN,   INTERVAL_DOWN, "interval-down", "-",          NULL,        0, NONE,     "refresh more often") \
	X(MAIN,   EDIT,          "edit",          "e F4",       "edit",      1, NONE,     "edit the queue (when the token allows updates)") \
	X(MAIN,   DELETE,        "delete",        "D F8",       "delete",    1, NONE,     "delete the queue (when the token allows it; asks for its name)") \
	X(MAIN,   LOG,           "log",           "l",          "log",       3, NONE,     "show or hide the event log") \
	X(MAIN,   THEME,         "theme",         "t",          "theme",     6, NONE,     "next colour theme") \
	X(FORM,   FORM_NEXT,     "form-next",     "Tab Down",   NULL,        0, NONE,     "next field") \
	X(FORM,   FORM_PREV,     "form-prev",     "BTab Up",    NULL,        0, NONE,     "previous field") \
	X(FORM,   FORM_LEFT,     "form-left",     "Left",       NULL,        0, NONE,     "move left; previous choice in a list field") \
	X(FORM,   FORM_RIGHT,    "form-right",    "Right",      NULL,        0, NONE,     "move right; next choice in a list field") \
	X(FORM,   FORM_HOME,     "form-home",     "Home ^A",    NULL,        0, NONE,     "start of the field") \
	X(FORM,   FORM_END,      "form-end",      "End ^E",     NULL,        0, NONE,     "end of the field") \
	X(FORM,   FORM_BACKSPACE, "form-backspace", "Backspace", NULL,       0, NONE,     "delete the character before the cursor") \
	X(FORM,   FORM_DELETE,   "form-delete",   "Delete ^D",  NULL,        0, NONE,     "delete the character under the cursor") \
	X(FORM,   FORM_CLEAR,    "form-clear",    "^U",         NULL,        0, NONE,     "clear the field") \
	X(FORM,   FORM_SUBMIT,   "form-submit",   "Enter",      NULL,        0, NONE,     "review the changes, then Enter again to send them") \
	X(FORM,   FORM_CANCEL,   "form-cancel",   "Esc",        NULL,        0, NONE,     "close the form without sending") \
	X(DIALOG, DIALOG_OK,     "dialog-ok",     "Enter",      NULL,        0, NONE,     "confirm") \
	X(DIALOG, DIALOG_CANCEL, "dialog-cancel", "Esc",        NULL,        0, NONE,     "cancel and close")

enum key_action {
	ACT_NONE = 0,
#define X(ctx, id, name, keys, hint, prio, steps, help) ACT_##id,
	KEY_ACTIONS(X)
#undef X
	ACT_COUNT
};

/* "5, 15, 30, 60, 240, 1440 min" */
void keys_steps_text(enum key_steps s, struct buf *out);
/* The step after cur (in the table's unit, may be between or outside its
 * values) in direction dir (> 0: up, < 0: down): the first value beyond
 * cur that way; cur itself when there is none (never a step backwards). */
double keys_step(enum key_steps s, double cur, int dir);

/* The action bound to keyname in ctx, or ACT_NONE. */
enum key_action keys_lookup(enum key_context ctx, const char *keyname);
const char *keys_action_name(enum key_action a);
const char *keys_action_keys(enum key_action a);	/* "q F10" */
/* The help text, the values of its step table included ("longer
 * cumulative window (5, 15, 30, 60, 240, 1440 min)"). */
void keys_action_help(enum key_action a, struct buf *out);
/* The word in the hints line (NULL: not there) and its priority (lower
 * stays longer when the line is short). */
const char *keys_action_hint(enum key_action a);
int keys_action_hint_prio(enum key_action a);
enum key_context keys_action_context(enum key_action a);
const char *keys_context_title(enum key_context ctx);	/* "Dashboard" */

/* True when name is a valid key name (see above). */
bool keys_name_valid(const char *name);

/* The first key of a (for hints like "e:edit"); "" for ACT_NONE. */
void keys_first(enum key_action a, struct buf *out);

/* The help overlay text for ctx: one line per action, "KEYS  help",
 * keys joined with ", " and padded to a common column; lines end in '\n'. */
void keys_help_text(enum key_context ctx, struct buf *out);

/* The KEYS section of tqtop(1) in roff, from ".SH KEYS" to the end of the
 * last entry (no trailing blank line). */
void keys_man_section(struct buf *out);

#endif
