/* dialog: the guarded delete and the token prompt.
 *
 * Contract:
 *  - Delete: opened only when the token allows DELETE on the queue (the
 *    caller checks); the user must type the queue's friendly name
 *    exactly.  While the request is out the dialog waits; on success the
 *    engine marks the queue deleted and the dashboard stays up saying so;
 *    on failure the dialog stays with Twilio's code and message.
 *  - Token prompt: on token.expired with no file or command to refresh
 *    from (ui.c opens it once per expiry), and whenever the user asks (T).
 *    The pasted token is masked (only its length is shown), applied with
 *    updateToken through the engine, and wiped from memory when the
 *    dialog closes.  The dashboard keeps running behind it.
 */
#ifndef TQ_DIALOG_H
#define TQ_DIALOG_H

#include <stdbool.h>
#include <wchar.h>

#include <curses.h>

#include "ui-priv.h"

enum dialog_kind { DIALOG_DELETE, DIALOG_TOKEN };

struct dialog;

struct dialog *dialog_open(struct ui *ui, enum dialog_kind kind);
void dialog_close(struct dialog **d);
enum dialog_kind dialog_kind(const struct dialog *d);
/* Handles one key; R_CLOSE when the dialog is done. */
enum reaction dialog_key(struct dialog *d, wint_t ch, bool is_key);
void dialog_draw(struct dialog *d);
WINDOW *dialog_window(const struct dialog *d);
/* The screen was resized. */
void dialog_layout(struct dialog *d);
/* A request is out. */
bool dialog_busy(const struct dialog *d);

#endif
