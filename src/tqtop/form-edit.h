/* form-edit: the edit form (ncurses form library).
 *
 * Contract:
 *  - Fields: FriendlyName, TargetWorkers, MaxReservedWorkers, TaskOrder
 *    and the reservation and assignment activities (picked from the
 *    workspace's Activities, or the ones the real-time statistics list).
 *    Fields the token may not update are read-only and the form says so.
 *  - The flow:
 *      edit     typing; Enter checks the values (form-check.h) and goes
 *               to review when something changed;
 *      review   old -> new for each changed field, and how many workers
 *               a new TargetWorkers matches (Workers?TargetWorkersExpression=);
 *               Enter re-fetches the queue;
 *      refetch  when date_updated moved since the form opened, the review
 *               comes back with the new values and a warning; else
 *      send     only the changed fields.  Success closes the form;
 *               failure returns to edit with the typed text and Twilio's
 *               code and message.
 *    Nothing is sent with an expired token (ui_token_dead()).
 *  - What was typed survives any resize, through too-small and back: the
 *    values are read after every key, never from a resized window.
 */
#ifndef TQ_FORM_EDIT_H
#define TQ_FORM_EDIT_H

#include <stdbool.h>
#include <wchar.h>

#include <curses.h>

#include "ui-priv.h"

struct form;

/* NULL (and a message) when the form does not fit. */
struct form *form_open(struct ui *ui);
void form_close(struct form **f);
/* Handles one key; R_CLOSE when the form is done. */
enum reaction form_key(struct form *f, wint_t ch, bool is_key);
void form_draw(struct form *f);
WINDOW *form_window(const struct form *f);
/* Follows the state (re-fetch and preview answers); every turn. */
void form_observe(struct form *f);
/* The screen was resized, or the theme changed. */
void form_layout(struct form *f);
/* A request is out. */
bool form_busy(const struct form *f);

#endif
