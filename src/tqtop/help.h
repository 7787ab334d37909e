/* help: the '?' overlay: every binding of the key table (keys.h), by
 * context, with its help text.  Up/Down/PgUp/PgDn scroll when it does not
 * fit; any other key closes it (and does nothing else). */
#ifndef TQ_HELP_H
#define TQ_HELP_H

#include <stdbool.h>
#include <wchar.h>

#include "ui-priv.h"

void help_open(struct ui *ui);
void help_close(struct ui *ui);
enum reaction help_key(struct ui *ui, wint_t ch, bool is_key);
void help_draw(struct ui *ui);

#endif
