/* statusbar: the bottom two lines.
 *
 * Contract:
 *  - statusbar_ops, the last line, follows the engine's state: the bridge
 *    (connecting, connected, disconnected and when it retries), the
 *    token's time left or token.expired, the age of the newest data
 *    (STALE past twice the interval, FROZEN), rate-limit backoff, and the
 *    last error while it is news, or the dashboard's own message.  Each
 *    state is a word plus a marker; colour only helps.
 *  - pane_hints_ops, the line above it, lists the keys the key table
 *    gives a hint (keys.h), dropping the least needed when short of room,
 *    and says which ones the token does not permit (or not any more:
 *    token expired) or the queue no longer allows (deleted).
 */
#ifndef TQ_STATUSBAR_H
#define TQ_STATUSBAR_H

#include "pane.h"

extern const struct pane_ops statusbar_ops, pane_hints_ops;

#endif
