/* ui-layout: where the panes go, from 80x24 up.
 *
 * Contract:
 *  - ui_layout() places every pane for LINES x COLS: the header on top,
 *    the hints and status lines at the bottom, properties over real-time
 *    on the left and cumulative on the right, then the trends and the
 *    event log where they fit whole (the log with LOG_MIN_ROWS at least).
 *    The real-time pane gets the rows its data wants when everything
 *    else still fits, else fewer, down to what it makes do with; below
 *    80x24 there is only the "terminal too small" window.
 *  - It records what the real-time pane wanted (ui->realtime_want) so
 *    that a refresh that wants more asks for a new layout.
 *  - ui_layout_free() deletes every pane window.
 */
#ifndef TQ_UI_LAYOUT_H
#define TQ_UI_LAYOUT_H

struct ui;

void ui_layout(struct ui *ui);
void ui_layout_free(struct ui *ui);

#endif
