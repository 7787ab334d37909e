/* ui-input: curses key codes to the key names of keys.h.
 *
 * Contract: ui_key_name() maps what wget_wch() returned (a character, or a
 * KEY_* code when is_key) to the name keys_lookup() expects ("q", "^L",
 * "F10", "Esc", "Enter" ...).  It writes "" for keys that have no name
 * (those are then unbound everywhere).  Printable non-ASCII characters
 * are named by their UTF-8 bytes, so they can be typed into fields but
 * bind to nothing.
 */
#ifndef TQ_UI_INPUT_H
#define TQ_UI_INPUT_H

#include <stdbool.h>
#include <wchar.h>

#include "buf.h"

void ui_key_name(wint_t ch, bool is_key, struct buf *out);

/* True for a character that a text field takes as typed text. */
bool ui_key_is_text(wint_t ch, bool is_key);

#endif
