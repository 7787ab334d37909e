/* batch: `tqtop -b`, the queue and its statistics printed every refresh,
 * without curses.
 *
 * Contract:
 *  - One record per refresh, printed once every call of that refresh has
 *    answered (DIRTY_TICK): text ("name value" lines, a blank line
 *    between records), tsv (a header line, then one row per record) or
 *    json (one object per line).  Field names are stable and are the
 *    TaskRouter JSON names under "queue.", "realtime.", "cumulative.",
 *    plus "time", "tick", "bridge.*", "token.*" and "*.age_ms".  A value
 *    the server did not send is "-" (null in json), never 0.
 *  - Exit status: 0 after -n COUNT records or a quit signal; 1 with one
 *    line on stderr when the queue cannot be read (never loaded, or gone:
 *    401, 403, 404, deleted), or when no token can be had.  Passing
 *    trouble (5xx, 429, timeouts, malformed bodies) is shown in the
 *    record's error fields and the run goes on with the last good values.
 *    A tunnelled run whose token expired (or got a 401) waits for a new
 *    one when --token-file or --token-cmd can give it (records go on,
 *    their errors say "waiting for a new token"); without such a source
 *    it ends with status 1.
 */
#ifndef TQ_BATCH_H
#define TQ_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "engine.h"
#include "loop.h"

enum batch_format { BATCH_TEXT, BATCH_JSON, BATCH_TSV };

struct batch;

/* stop() is called when batch mode is done (the caller stops the loop). */
struct batch *batch_new(struct engine *e, FILE *out, enum batch_format fmt, long count,
			void (*stop)(void *ud), void *ud);
void batch_free(struct batch **b);
/* The turn hook (loop_set_turn_cb). */
void batch_turn(void *ud);
int batch_exit_status(const struct batch *b);
/* True once batch mode finished (count reached or the queue unreadable). */
bool batch_done(const struct batch *b);

#endif
