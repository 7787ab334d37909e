/* engine: tqtop without a screen.  Owns the api, the bridge, the token's
 * life and the refresh ticks, and keeps struct tq_state up to date.
 *
 * Contract:
 *  - engine_new() checks the settings (which credentials, which queue)
 *    and fails with one line naming what is missing; engine_start()
 *    starts everything on the loop.  With --token-cmd the first token
 *    comes asynchronously: identity (workspace, queue) and the first
 *    refresh follow it.
 *  - Every refresh tick asks for the queue, its real-time statistics and
 *    its cumulative statistics (Minutes = window, SplitByWaitTime = sla),
 *    and the workspace's Activities every 10 minutes.  One refresh at a
 *    time: a tick that comes while the last refresh still waits for an
 *    answer (slow, or retrying) is skipped, so nothing is ever doubled and
 *    a struggling server is asked less.  When every call of a refresh has
 *    answered (retries included), DIRTY_TICK is set, once.
 *    engine_refresh_now() during a refresh runs one right after it.  A
 *    resource backing off after failures, or held by a 429
 *    (api_backoff_ms()), is left out of a tick (its slot's retry_at_ms
 *    says when it goes next); a refresh asked for with
 *    engine_refresh_now() includes it, and its request waits out the
 *    backoff.
 *  - Pushed task-queue.* events replace the queue in the state at once;
 *    task-queue.deleted marks it deleted and stops polling.
 *  - SIGCONT or a clock jump (wall clock and monotonic clock disagreeing
 *    by more than 5 s between ticks) reconnects the bridge at once,
 *    re-arms the token timers and refreshes.  SIGINT, SIGTERM and SIGHUP
 *    call hooks.on_quit; SIGWINCH sets DIRTY_RESIZE.
 *  - The actions below are what the dashboard may ask for; results land
 *    in the state (and in the callback, for update and delete).
 */
#ifndef TQ_ENGINE_H
#define TQ_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"
#include "conf.h"
#include "loop.h"
#include "state.h"

struct engine;

struct engine_hooks {
	void (*on_quit)(void *ud, int signum);
	void *ud;
};

struct engine *engine_new(struct loop *loop, const struct config *cfg,
			  const struct engine_hooks *hooks, char **err);
bool engine_start(struct engine *e, char **err);
/* Stops timers and closes connections; the loop must run to finish. */
void engine_free(struct engine **e);

struct tq_state *engine_state(struct engine *e);
/* The api, for calls the engine does not make itself (tests, tools);
 * NULL until the engine has started. */
struct api *engine_api(struct engine *e);

void engine_refresh_now(struct engine *e);
void engine_set_refresh(struct engine *e, int64_t ms);
void engine_set_window(struct engine *e, int minutes);
void engine_set_frozen(struct engine *e, bool frozen);

/* The combined /Statistics (state.statistics). */
enum api_submit engine_fetch_statistics(struct engine *e, const struct tq_param *params,
					size_t n, struct apierr *err);
/* Counts the workers an expression matches (state.preview_*); a newer
 * expression replaces one that waits. */
void engine_preview_workers(struct engine *e, const char *expr);
/* queue.update(params): only the given fields are sent. */
enum api_submit engine_update_queue(struct engine *e, const struct tq_param *params, size_t n,
				    api_cb cb, void *ud, struct apierr *err);
enum api_submit engine_delete_queue(struct engine *e, api_cb cb, void *ud, struct apierr *err);
/* updateToken(jwt). */
bool engine_update_token(struct engine *e, const char *jwt, char **err);
/* May the current credentials do this?  (Field-level: pass the params.) */
bool engine_may(const struct engine *e, enum api_call call, const struct tq_param *params,
		size_t n);

#endif
