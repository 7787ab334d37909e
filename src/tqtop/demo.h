/* demo: `tqtop --demo`: a private tqsim to watch.
 *
 * Contract:
 *  - demo_start() runs tqsim (next to the tqtop binary, else from PATH) as
 *    a child on a free loopback port with the demo scenario, its own
 *    process group (the terminal's ^C goes to tqtop, which stops it) and,
 *    on Linux, a parent-death signal, so it never outlives tqtop.  Its log
 *    goes to a file in a private temporary directory, never to the
 *    terminal.
 *  - It waits (at most DEMO_START_TIMEOUT_MS) for tqsim's env file, then
 *    mints a capability token with the core's token_mint() and the
 *    simulator's auth token for the scenario's second queue (Support L1
 *    in the demo scenario, the busiest; the first when there is only
 *    one): fetch of subresources (statistics), updates, delete and the
 *    Workers list (token.h's allow_fetch_workers: the edit form's count of
 *    matching workers) allowed, DEMO_TOKEN_TTL long.
 *  - Blocking, and only before the loop starts.  On failure: NULL with
 *    *err (one line, caller frees) and nothing left running.
 *  - tqsim's env file (it holds the simulator's auth token and API secret)
 *    is removed as soon as it has been read.
 *  - demo_stop() sends SIGTERM, waits for the child (SIGKILL after
 *    DEMO_STOP_TIMEOUT_MS), removes the temporary directory and wipes the
 *    secrets from memory.
 *  - demo_crash_cleanup() is for a crash handler (async-signal-safe): it
 *    sends tqsim SIGTERM and removes the temporary directory; demo_stop()
 *    then has nothing left to remove.
 */
#ifndef TQ_DEMO_H
#define TQ_DEMO_H

#include <stdbool.h>

#define DEMO_START_TIMEOUT_MS 10000
#define DEMO_STOP_TIMEOUT_MS 3000
#define DEMO_TOKEN_TTL (8 * 3600)

struct demo;

struct demo *demo_start(const char *argv0, char **err);
void demo_stop(struct demo **d);
void demo_crash_cleanup(void);

const char *demo_url(const struct demo *d);		/* http://127.0.0.1:PORT */
const char *demo_account_sid(const struct demo *d);
const char *demo_workspace_sid(const struct demo *d);
const char *demo_queue_sid(const struct demo *d);
const char *demo_token(const struct demo *d);		/* the JWT: a secret */
const char *demo_log_path(const struct demo *d);	/* tqsim's log */

#endif
