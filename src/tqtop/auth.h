/* auth: where the capability token comes from, and its life.
 *
 * Contract:
 *  - Sources, first match wins: --token-cmd, --token-file, TQTOP_TOKEN;
 *    else, with TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN, tqtop mints its own
 *    short-lived token (AUTH_MINT_TTL; the environment variable
 *    TQTOP_MINT_TTL, 20..86400 s, overrides it: for tests) for the bridge.
 *  - --token-cmd is split into words like a shell would (spaces, '...',
 *    "...", backslash) but run WITHOUT a shell: no variables, globs or
 *    pipes (write `sh -c '...'` for those: the user's choice).  Its
 *    standard output, trimmed, is the token; it must finish within
 *    AUTH_CMD_TIMEOUT_S or it is killed.  Its stderr goes to the log.
 *  - --token-file is re-read when it changes (its directory is watched, so
 *    editors' rename-into-place works too); a file readable by group or
 *    others is warned about.
 *  - token.expired is emitted AUTH_EXPIRY_LEAD_S (5 s) before exp, as the
 *    SDK does, or when the server refuses the token (auth_refused(): a
 *    401).  Refreshes from the command, the file or by minting run ahead
 *    of that (auth_refresh_lead()), and again at token.expired.  A refresh
 *    that fails, or brings back the token already in force, while a new
 *    one is needed is tried again after 1, 2, 4 ... s with jitter, capped
 *    at 30 s, for ever (state: token.refresh_failures, refresh_retry_ms).
 *  - auth_update() is updateToken(): it validates and applies a token to
 *    every later request and the next reconnect.  A token for another
 *    account or queue is refused.
 *  - Timers are re-armed from the wall clock (auth_rearm()) after a resume
 *    or clock jump: monotonic timers stop during suspend.
 *  - The token is never logged: only its channel and expiry.
 */
#ifndef TQ_AUTH_H
#define TQ_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"
#include "state.h"
#include "token.h"

#define AUTH_EXPIRY_LEAD_S 5
#define AUTH_CMD_TIMEOUT_S 10
#define AUTH_MINT_TTL 600
#define AUTH_MAX_TOKEN_BYTES 65536

struct auth;

struct auth_config {
	const char *cmd;		/* --token-cmd or NULL */
	const char *file;		/* --token-file or NULL */
	const char *env_token;		/* TQTOP_TOKEN or NULL (secret) */
	const char *account_sid;	/* for minting */
	const char *auth_token;		/* for minting (secret) */
	const char *workspace_sid;	/* for minting, and to check tokens */
	const char *queue_sid;
};

struct auth_hooks {
	/* A new token is in force (first one included). */
	void (*on_token)(void *ud, const struct tq_token *tok);
	/* token.expired: 5 s before exp, or at once for a stale token. */
	void (*on_expired)(void *ud);
	/* A refresh failed (msg is one line, already logged). */
	void (*on_failed)(void *ud, const char *msg);
	void *ud;
};

struct auth *auth_new(struct loop *loop, struct tq_state *st, const struct auth_config *cfg,
		      const struct auth_hooks *hooks);
void auth_free(struct auth **a);

/* True when some source is configured. */
bool auth_has_source(const struct auth *a);
/* Gets the first token: at once for the environment, a file or minting,
 * asynchronously for a command.  False with *err when it cannot start. */
bool auth_start(struct auth *a, char **err);
const struct tq_token *auth_token(const struct auth *a);

/* updateToken(jwt): false with *err (one line) when jwt is unusable. */
bool auth_update(struct auth *a, const char *jwt, enum token_source src, char **err);
/* Fetches a new token now from the command, file or minting. */
void auth_refresh(struct auth *a);
/* After a resume or clock jump: re-arms the timers from the wall clock,
 * and refreshes at once when a token is due. */
void auth_rearm(struct auth *a);
/* The server answered 401 to the token: token.expired now (once), and a
 * refresh when there is a source. */
void auth_refused(struct auth *a);

/* Splits a command line into argv (NULL-terminated, caller frees with
 * auth_argv_free()); false with *err on an unterminated quote. */
bool auth_split_command(const char *cmd, char ***argv, char **err);
void auth_argv_free(char **argv);
/* Seconds before exp at which a refresh starts, for a token valid for
 * ttl seconds: a fifth of it, between 10 s and 300 s. */
int64_t auth_refresh_lead(int64_t ttl);
/* Trims whitespace from a token read from a file or a command. */
char *auth_trim_token(const char *s, size_t n);

#endif
