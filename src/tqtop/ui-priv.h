/* ui-priv: the dashboard's own state (struct ui) and what ui.c does for
 * the other parts of the dashboard (panes, status bar, overlays, keys).
 * main.c sees only ui.h.
 *
 * Contract:
 *  - One struct ui per dashboard, owned by ui.c (ui_open()/ui_close()).
 *    The other parts read the engine's state through ui->st (never keep a
 *    pointer into it across turns) and write only what they own here.
 *  - Nothing draws outside ui_turn(): key handlers and observers set
 *    need_layout / need_full (or return reaction bits) for the next turn.
 *  - ui_request() is the only way an overlay sends an update or a delete:
 *    a late answer never calls into an overlay that has closed.
 */
#ifndef TQ_UI_PRIV_H
#define TQ_UI_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <curses.h>
#include <uv.h>

#include "api.h"
#include "engine.h"
#include "pane.h"
#include "state.h"
#include "theme.h"
#include "ui-draw.h"
#include "ui-theme.h"

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
	bool stale_ctx;			/* the pane being drawn is stale */
	bool need_layout, need_full;

	/* test sync */
	char *sync_path;
	char *sync_tmp;
	uint64_t frame;
	uint64_t keys;
};

/* ---- the dashboard's life (ui.c) ------------------------------------------ */

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
/* Wakes the loop just after each wall-clock second, so that the clock,
 * the ages, the countdowns and STALE move on between refreshes (and while
 * frozen).  Only the panes that show a time are redrawn then: a few bytes
 * a second.  Batch mode has no such timer. */
void ui_start_clock(struct ui *ui, uv_loop_t *loop);

/* ---- what ui.c does for the other parts ------------------------------------ */

/* A one-line message in the status bar until the next key. */
void ui_message(struct ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_clear_message(struct ui *ui);
void ui_request_layout(struct ui *ui);
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

/* An update or a delete of the queue (API_QUEUE_UPDATE, API_QUEUE_DELETE)
 * for an overlay, through the engine.  done(owner, res) runs once with the
 * result unless ui_cancel_requests(owner) came first (the overlay closed):
 * a late answer never calls into freed memory. */
typedef void (*ui_done_fn)(void *owner, struct api_result *res);
enum api_submit ui_request(struct ui *ui, enum api_call call, const struct tq_param *params,
			   size_t n_params, ui_done_fn done, void *owner, struct apierr *err);
void ui_cancel_requests(void *owner);

#endif
