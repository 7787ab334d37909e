/* ui-draw: the dashboard's drawing helpers.
 *
 * Contract:
 *  - Every string is sanitised (ui-fmt.h) and nothing is written outside
 *    the window given; a string longer than its room ends in an ellipsis.
 *  - Attributes come from the theme (ui_attr()); while the pane being
 *    drawn is stale (ui->stale_ctx, set by ui_slot_age()), value elements
 *    take STALE's look, so that old data dims.
 *  - A flow without a window (w NULL) draws nothing and only measures:
 *    panes size themselves with the same code that draws them.
 */
#ifndef TQ_UI_DRAW_H
#define TQ_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "buf.h"
#include "state.h"
#include "theme.h"

struct ui;

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
/* A pane whose slot has no answer yet: its last error, if any, on row 1
 * in cols columns; true then (the pane has nothing else to draw, and
 * ui->stale_ctx is cleared). */
bool ui_slot_empty(struct ui *ui, WINDOW *w, const struct tq_slot *slot, int cols);
/* "label value" pairs: draws label in LABEL and value in el at x, returns
 * the column after the value plus two spaces (w NULL: only measures). */
int ui_pair(struct ui *ui, WINDOW *w, int y, int x, int x_end, const char *label,
	    const char *value, enum theme_element el);

/* Items laid out left to right, wrapping to column x0 of the next row
 * when the next one does not fit before x_end; rows below y_end are
 * dropped (flow_add() then returns false). */
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
/* A flow after a label: its first row starts at column x, the rows it
 * wraps onto at column 3, indented under the label. */
void flow_start_after(struct flow *f, struct ui *ui, WINDOW *w, int y, int x, int x_end, int y_end);
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

/* Samples for a sparkline, oldest first from head, a ring of TREND_CAP. */
#define TREND_CAP 240
struct trend {
	int64_t v[TREND_CAP];
	size_t head, n;
};
/* The last width samples of t in width columns, newest at the right. */
void ui_spark(struct ui *ui, WINDOW *w, int y, int x, int width, const struct trend *t);

/* Characters that differ between UTF-8 and ASCII mode. */
const char *ui_glyph_ellipsis(const struct ui *ui);
const char *ui_glyph_up(const struct ui *ui);
const char *ui_glyph_down(const struct ui *ui);

#endif
