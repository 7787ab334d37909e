/* ui-actions: keys -> actions (keys.h) -> what the dashboard does.
 *
 * Contract: ui_input() reads every key there is (stdin is readable) and
 * hands each to the overlay on top (help, dialog, form), or maps it with
 * the key table to a dashboard action.  While the screen is too small
 * only quitting works: nothing is visible to act on, and a delete typed
 * blind must not go out.  Nothing draws here: actions set what the next
 * turn redraws.
 */
#ifndef TQ_UI_ACTIONS_H
#define TQ_UI_ACTIONS_H

struct ui;

void ui_input(struct ui *ui);

#endif
