/* ui-priv: what the dashboard's modules (ui, panes, status bar, form,
 * dialogs, help) share.  main.c sees only ui.h.
 *
 * Contract:
 *  - Panes are ops tables (struct pane_ops): the layout decides where a
 *    pane goes and how many rows it gets; the pane draws its window from
 *    the state and never does I/O.
 *  - Overlays (edit form, dialogs, help) are windows drawn after the panes
 *    (so on top of them) and take the keys while open.  Panes never
 *    overlap each other.
 *  - Drawing helpers sanitise every string (ui-fmt.h) and never write
 *    outside the window they are given.
 */
#ifndef TQ_UI_PRIV_H
#define TQ_UI_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

#include <curses.h>

#include "buf.h"
#include "engine.h"
#include "keys.h"
#include "state.h"
#include "theme.h"
#include "ui-theme.h"
#include "ui.h"

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

/* What a key handler asks for. */
enum reaction {
	R_NONE   = 0,
	R_REDRAW = 1 << 0,	/* redraw everything */
	R_LAYOUT = 1 << 1,	/* recompute the layout (log toggled, resize) */
	R_THEME  = 1 << 2,	/* theme changed: re-apply and redraw */
	R_CLOSE  = 1 << 3,	/* an overlay closed itself */
};

struct ui;
struct pane;

struct pane_ops {
	const char *name;
	/* Rows the pane would like at width cols (title included), and the
	 * fewest it makes do with (NULL: the same); measured from the data
	 * for panes that grow with it. */
	int (*height)(struct ui *ui, int cols);
	int (*min_height)(struct ui *ui, int cols);
	void (*draw)(struct ui *ui, struct pane *p);
	/* State dirty bits that mean this pane must be redrawn. */
	unsigned dirty;
	/* Shows the time or an age: redrawn when the clock's second moves. */
	bool timed;
};

struct pane {
	const struct pane_ops *ops;
	WINDOW *win;
	int y, x, rows, cols;
	bool shown;
};

enum pane_id {
	PANE_HEADER,
	PANE_PROPS,
	PANE_REALTIME,
	PANE_CUMULATIVE,
	PANE_TRENDS,
	PANE_LOG,
	PANE_HINTS,
	PANE_STATUS,
	PANE_N
};

extern const struct pane_ops pane_header_ops, pane_props_ops, pane_realtime_ops,
	pane_cumulative_ops, pane_trends_ops, pane_log_ops, pane_hints_ops, statusbar_ops;

/* Samples for the trend sparklines, one per real-time refresh. */
#define TREND_CAP 240
struct trend {
	int64_t v[TREND_CAP];
	size_t head, n;
};

enum trend_id { TREND_WAITING, TREND_LONGEST, TREND_AVAILABLE, TREND_N };

struct form;
struct dialog;

struct ui {
	struct tq_state *st;
	struct engine *eng;
	bool quit;			/* the user asked to quit */
	bool ascii, utf8, color_ok, no_color, debug;

	/* theme */
	struct theme theme;
	struct ui_theme th;
	char *theme_user;	/* --theme that is not a built-in (cycled first) */
	int theme_idx;		/* -1: theme_user, else a built-in index */

	/* screen */
	int rows, cols;
	bool too_small;
	bool show_log;
	int realtime_want;	/* rows the real-time pane wanted at the last layout */
	struct pane pane[PANE_N];
	WINDOW *small_win;

	/* overlays */
	struct form *form;
	struct dialog *dialog;
	bool help_open;
	WINDOW *help_win;
	int help_scroll;

	/* what the panes show that is not in the state */
	struct trend trend[TREND_N];
	uint64_t trend_seen_fetch;	/* realtime fetched_ms last sampled */
	int64_t cur_realtime[8];	/* values of the last refresh, -1: none */
	int64_t prev_realtime[8];	/* values of the one before (arrows) */
	char *message;			/* a transient line for the status bar */
	int64_t message_ms;
	bool message_error;
	bool expired_prompted;		/* token prompt shown for this expiry */

	/* the 1 Hz clock (ui_start_clock()) */
	uv_timer_t *clock;

	/* drawing */
	int64_t now_ms;
	int64_t last_second;		/* clock second of the last frame */
	unsigned pending;		/* dirty bits kept while frozen or hidden */
	bool stale_ctx;			/* the pane being drawn is stale */
	bool need_layout, need_full;

	/* test sync */
	char *sync_path;
	char *sync_tmp;
	uint64_t frame;
	uint64_t keys;

};

/* ---- the screen (ui.c) ---------------------------------------------------- */

struct ui_options {
	const char *theme;	/* --theme NAME|PATH ("": default, or mono without colour) */
	bool no_color;		/* --no-color or NO_COLOR */
	bool ascii;		/* --ascii (a non-UTF-8 locale forces it too) */
	bool debug;		/* --debug: the event log shows frames */
	const char *log_path;	/* --log FILE: where fd 2 goes while curses is up */
};

/* Starts curses (after the loop's signal handles exist, so that curses
 * leaves SIGWINCH and SIGINT to the loop).  NULL with *err (one line,
 * caller frees) when there is no usable terminal. */
struct ui *ui_open(struct engine *eng, const struct ui_options *opt, char **err);
/* Restores the terminal and frees the dashboard. */
void ui_close(struct ui **ui);
/* The loop's turn hook: draws what changed, once. */
void ui_turn(struct ui *ui);
/* stdin is readable: reads every key there is. */
void ui_input(struct ui *ui);
/* Restores the terminal now if curses is up (die()'s hook). */
void ui_emergency_restore(void);
/* Wakes the loop just after each wall-clock second, so that the clock,
 * the ages, the countdowns and STALE move on between refreshes (and while
 * frozen).  Only the panes that show a time are redrawn then: a few bytes
 * a second.  Batch mode has no such timer. */
void ui_start_clock(struct ui *ui, uv_loop_t *loop);

/* ui-term.c: curses on the terminal, and the terminal given back on every
 * way out (termios, O_NONBLOCK, the main screen, cursor, keypad, fd 2),
 * including crash signals, whose handler uses write(2) and tcsetattr()
 * only.  term_utf8() sets LC_CTYPE from the environment and says whether
 * it is UTF-8; term_query_size() asks the terminal its size (after
 * SIGWINCH: curses does not handle that signal, the loop does). */
bool term_open(const char *log_path, char **err);
/* fn (async-signal-safe) runs in the crash handler too: for what else
 * must not outlive a crash (the demo's temporary directory). */
void term_on_crash(void (*fn)(void));
void term_close(void);
bool term_utf8(void);
void term_query_size(void);

/* ui-actions.c / ui.c, for key handling */
void ui_clear_message(struct ui *ui);
void ui_cycle_theme(struct ui *ui);
/* A pasted token would be used: the dashboard runs on a capability token
 * (not on one it mints from account credentials). */
bool ui_token_pastable(const struct ui *ui);
/* token.expired and nothing to refresh it from (no --token-file or
 * --token-cmd): only a pasted token (T) brings the dashboard back. */
bool ui_token_needed(const struct ui *ui);
/* token.expired and every request goes through the token (no account
 * credentials): nothing is permitted until a new token comes. */
bool ui_token_dead(const struct ui *ui);

/* ---- drawing helpers (ui-draw.c) ---------------------------------------- */

/* The curses attributes of a theme element (STALE's look while the pane
 * being drawn is stale, for the value elements). */
attr_t ui_attr(const struct ui *ui, enum theme_element el);
/* Sets a window's background and clears it. */
void ui_clear(struct ui *ui, WINDOW *w, enum theme_element el);
/* Draws UTF-8 s (sanitised) at y,x in at most width columns; a longer
 * string ends in an ellipsis.  Returns the columns used. */
int ui_put(struct ui *ui, WINDOW *w, int y, int x, int width, enum theme_element el,
	   const char *s);
/* Same, right-aligned so that it ends at column x_end (exclusive). */
int ui_put_right(struct ui *ui, WINDOW *w, int y, int x_end, int width, enum theme_element el,
		 const char *s);
/* s word-wrapped into at most lines rows of width columns from y,x (the
 * last row ends in an ellipsis when it does not all fit).  Returns the
 * rows used. */
int ui_put_wrapped(struct ui *ui, WINDOW *w, int y, int x, int width, int lines,
		   enum theme_element el, const char *s);
/* Display width of UTF-8 s after sanitising. */
int ui_width(const struct ui *ui, const char *s);
/* A horizontal rule of n columns. */
void ui_hline(struct ui *ui, WINDOW *w, int y, int x, int n, enum theme_element el);
/* A frame around the whole window with title on its top edge (overlays). */
void ui_frame(struct ui *ui, WINDOW *w, const char *title, enum theme_element el,
	      enum theme_element title_el);
/* A pane's title line: "── Title ─────── right ──"; right may be NULL. */
void ui_title(struct ui *ui, WINDOW *w, const char *title, const char *right,
	      enum theme_element right_el);
/* The right part of a pane title for a polled slot: "age 2s",
 * "STALE age 1m05s", "loading", "no data"; sets ui->stale_ctx. */
enum theme_element ui_slot_age(struct ui *ui, const struct tq_slot *slot, struct buf *out);
/* "label value" pairs: draws label in LABEL and value in el at x, returns
 * the column after the value plus two spaces. */
int ui_pair(struct ui *ui, WINDOW *w, int y, int x, int x_end, const char *label,
	    const char *value, enum theme_element el);
/* Items laid out left to right, wrapping to column x0 of the next row
 * when the next one does not fit before x_end; rows below y_end are
 * dropped (flow_add() then returns false).  A flow without a window (w
 * NULL) draws nothing and only measures: where each item would go. */
struct flow {
	struct ui *ui;
	WINDOW *w;
	int y, x, x0, x_end, y_end;
};
struct flow_item {
	const char *label;
	const char *value;
	enum theme_element el;
};
void flow_start(struct flow *f, struct ui *ui, WINDOW *w, int y, int x0, int x_end, int y_end);
bool flow_add(struct flow *f, const char *label, const char *value, enum theme_element el);
/* value followed by an up or down arrow when it moved since the last
 * refresh (prev >= 0); the arrow is the marker, the colour only helps. */
bool flow_add_delta(struct flow *f, const char *label, int64_t value, bool have, int64_t prev);
void flow_newline(struct flow *f);
/* All n items when they fit, else as many as fit followed by "+K more"
 * (never a silent cut).  Returns how many were shown. */
size_t flow_add_all(struct flow *f, const struct flow_item *items, size_t n);
/* Rows a flow started at row y0 has used so far. */
int flow_rows(const struct flow *f, int y0);
/* A sparkline of the last n samples of t in width columns. */
void ui_spark(struct ui *ui, WINDOW *w, int y, int x, int width, const struct trend *t);
/* Characters that differ between UTF-8 and ASCII mode. */
const char *ui_glyph_ellipsis(const struct ui *ui);
const char *ui_glyph_up(const struct ui *ui);
const char *ui_glyph_down(const struct ui *ui);

/* pane-realtime.c: the real-time numbers shown (RealTimeStatistics, else
 * /Statistics' half) and their slot; realtime_observe() records a new
 * refresh for the arrows and the trends (called every turn). */
const struct tq_realtime_stats *ui_realtime(const struct ui *ui, const struct tq_slot **slot);
void realtime_observe(struct ui *ui);
/* pane-cumulative.c: same for the cumulative numbers. */
const struct tq_cumulative_stats *ui_cumulative(const struct ui *ui, const struct tq_slot **slot);

/* ---- shared actions (ui.c) ----------------------------------------------- */

/* A one-line message in the status bar until the next key. */
void ui_message(struct ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_request_layout(struct ui *ui);

/* An update or a delete of the queue (API_QUEUE_UPDATE, API_QUEUE_DELETE)
 * for an overlay, through the engine.  done(owner, res) runs once with the
 * result unless ui_cancel_requests(owner) came first (the overlay closed):
 * a late answer never calls into freed memory. */
typedef void (*ui_done_fn)(void *owner, struct api_result *res);
enum api_submit ui_request(struct ui *ui, enum api_call call, const struct tq_param *params,
			   size_t n_params, ui_done_fn done, void *owner, struct apierr *err);
void ui_cancel_requests(void *owner);

/* ---- overlays ------------------------------------------------------------- */

/* form.c: the edit form. */
struct form *form_open(struct ui *ui);
void form_close(struct form **f);
/* Handles one key; R_CLOSE when the form is done. */
enum reaction form_key(struct form *f, wint_t ch, bool is_key);
void form_draw(struct form *f);
WINDOW *form_window(const struct form *f);
/* Follows the state (re-fetch and preview answers); every turn. */
void form_observe(struct form *f);
/* The form's window was resized or the state changed. */
void form_layout(struct form *f);
bool form_busy(const struct form *f);

/* dialog.c: the delete confirmation and the token prompt. */
enum dialog_kind { DIALOG_DELETE, DIALOG_TOKEN };
struct dialog *dialog_open(struct ui *ui, enum dialog_kind kind);
void dialog_close(struct dialog **d);
enum dialog_kind dialog_kind(const struct dialog *d);
enum reaction dialog_key(struct dialog *d, wint_t ch, bool is_key);
void dialog_draw(struct dialog *d);
WINDOW *dialog_window(const struct dialog *d);
void dialog_layout(struct dialog *d);
bool dialog_busy(const struct dialog *d);

/* help.c: the '?' overlay, generated from the key table. */
void help_open(struct ui *ui);
void help_close(struct ui *ui);
enum reaction help_key(struct ui *ui, wint_t ch, bool is_key);
void help_draw(struct ui *ui);

#endif
