/* pane: the parts of the dashboard's screen, as ops tables.
 *
 * Contract:
 *  - A pane is a struct pane_ops (pane-*.h, statusbar.h): the layout
 *    (ui.c) asks each how many rows it wants at a width, decides where it
 *    goes and gives it a window; the pane draws that window from the
 *    state and the dashboard's own data, and never does I/O.
 *  - Panes never overlap each other; overlays (form.h, dialog.h, help.h)
 *    are drawn after them, on top.
 *  - A pane is redrawn when the state's dirty bits meet its .dirty, on a
 *    full redraw, and (.timed) when the clock's second moves.
 */
#ifndef TQ_PANE_H
#define TQ_PANE_H

#include <stdbool.h>

#include <curses.h>

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

#endif
