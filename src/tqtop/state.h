/* state: everything tqtop knows about the queue it watches, in one struct
 * that the views (dashboard panes, status bar, batch printer) read.
 *
 * Contract:
 *  - Writers: only the engine (api results, bridge events, token life,
 *    ticks), always from loop callbacks.  Views only read, from the
 *    turn-end hook (loop.h), and never keep a pointer into the state
 *    across turns: strings and arrays are replaced when new data arrives.
 *  - Each resource has its model (core model.h) next to a struct tq_slot.
 *    slot.have says a value was ever loaded ("no data yet" is not 0); a
 *    failed refresh keeps the last good value and sets slot.err; the next
 *    good one clears it.  Ages come from slot.fetched_ms; a value is stale
 *    when older than twice the refresh interval (state_slot_stale()).
 *  - Optional model fields keep absent / null / set apart (model.h): show
 *    "-" for absent or null, never 0.
 *  - Dirty bits: writers OR the bits of what changed; the UI takes them
 *    once per turn with state_take_dirty() and redraws only those panes.
 *  - All *_ms times are wall-clock milliseconds since the epoch (what a
 *    user reads); countdowns ("retry in 7 s") are at_ms - state_now_ms().
 *  - The event log is a ring of the last STATE_LOG_CAP lines, fed by every
 *    log.h message (bridge events, errors, token life; pushed frames and
 *    requests only with --debug).  Lines never contain a token.
 */
#ifndef TQ_STATE_H
#define TQ_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"
#include "log.h"
#include "model.h"

#define STATE_LOG_CAP 512

enum state_dirty {
	DIRTY_HEADER     = 1u << 0,	/* identity, interval, window, freeze */
	DIRTY_QUEUE      = 1u << 1,	/* queue properties (fetched or pushed) */
	DIRTY_REALTIME   = 1u << 2,
	DIRTY_CUMULATIVE = 1u << 3,
	DIRTY_STATISTICS = 1u << 4,	/* the combined /Statistics */
	DIRTY_ACTIVITIES = 1u << 5,
	DIRTY_PREVIEW    = 1u << 6,	/* worker-preview count */
	DIRTY_BRIDGE     = 1u << 7,
	DIRTY_TOKEN      = 1u << 8,
	DIRTY_BACKOFF    = 1u << 9,	/* rate limiting, retries */
	DIRTY_LOG        = 1u << 10,
	DIRTY_ERROR      = 1u << 11,	/* last_error changed */
	DIRTY_TICK       = 1u << 12,	/* every request of a refresh answered */
	DIRTY_RESIZE     = 1u << 13,	/* SIGWINCH */
	DIRTY_ALL        = (1u << 14) - 1,	/* everything a redraw needs (DIRTY_TICK is an event: mask it) */
};

/* Bookkeeping for one polled resource. */
struct tq_slot {
	bool have;		/* a good value was loaded at least once */
	bool in_flight;		/* a request is out, or waiting to be retried */
	int64_t fetched_ms;	/* when the value shown arrived (0: never) */
	int64_t requested_ms;	/* when the current/last request started */
	unsigned attempt;	/* 0 on the first try of a request */
	int64_t retry_at_ms;	/* when the next retry goes (0: none pending) */
	struct apierr err;	/* why the last refresh failed (kind NONE: it did not) */
	int64_t err_ms;
};

enum bridge_status {
	BRIDGE_OFF,		/* not used: --no-bridge, or no token to open it */
	BRIDGE_CONNECTING,	/* socket opening */
	BRIDGE_CONNECTED,	/* socket open, ready request out */
	BRIDGE_READY,		/* ready answered: live */
	BRIDGE_DISCONNECTED,	/* closed; retry_at_ms says when the next try is */
	BRIDGE_WAITING_TOKEN,	/* closed; the token expired: waits for a new one */
	BRIDGE_GAVE_UP,		/* --max-retries attempts failed */
};

struct tq_bridge_state {
	enum bridge_status status;
	unsigned attempt;	/* reconnect attempts since the last open */
	int64_t retry_at_ms;	/* next attempt (DISCONNECTED) */
	int64_t since_ms;	/* when status last changed */
	int64_t last_frame_ms;	/* last frame or heartbeat */
	uint64_t frames;	/* pushed frames with an event_type */
	uint64_t heartbeats;
	uint64_t connects;	/* successful opens */
	char *last_reason;	/* why it last closed, one line */
	char *last_event;	/* last pushed event_type */
	char *proxy;		/* "host:port" when it goes through a proxy */
};

enum token_source {
	TOKEN_SRC_NONE,
	TOKEN_SRC_ENV,		/* TQTOP_TOKEN */
	TOKEN_SRC_FILE,		/* --token-file */
	TOKEN_SRC_CMD,		/* --token-cmd */
	TOKEN_SRC_MINTED,	/* minted from account credentials */
	TOKEN_SRC_UPDATE,	/* updateToken() (the dashboard's prompt) */
};

struct tq_token_state {
	bool have;
	enum token_source source;
	char *channel;		/* claims only: never the token itself */
	char *account_sid;
	int64_t exp;		/* epoch seconds, 0 when absent */
	/* token.expired was emitted for this token (5 s before exp, or the
	 * server refused it with a 401): requests that need the token (the
	 * tunnel, the bridge) are not sent until a new one is in force. */
	bool expired;
	bool refreshable;	/* a source can give a new one: file, command, minting */
	bool refreshing;	/* --token-cmd is running */
	char *refresh_error;	/* last failed refresh, one line, or NULL */
	unsigned refresh_failures;	/* failed refreshes in a row */
	int64_t refresh_retry_ms;	/* when the next refresh is tried (0: none pending) */
	/* What the token's policies allow on this queue (all true with
	 * account credentials, which go direct). */
	bool may_fetch;
	bool may_update;
	bool may_delete;
	bool may_stats;		/* the statistics subresources */
	bool may_activities;
	bool may_workers;	/* Workers?TargetWorkersExpression= */
};

struct tq_backoff_state {
	bool rate_limited;	/* a 429 arrived; everything waits until until_ms */
	int64_t until_ms;
	double last_retry_after;	/* seconds, -1 when the 429 had none */
	uint64_t requests;	/* sent (retries included) */
	uint64_t retries;
	uint64_t throttled;	/* 429s received */
	uint64_t skipped_busy;	/* refreshes skipped: previous one still out */
	uint64_t delayed_budget;	/* requests held back by the request budget */
};

struct tq_log_line {
	int64_t ms;
	enum tq_log_level level;
	char *text;		/* formatted by log.h, with its timestamp */
};

struct tq_state {
	/* identity */
	char *account_sid;
	char *workspace_sid;
	char *queue_sid;
	bool tunnelled;		/* REST goes through the bridge's HTTP tunnel */

	/* settings the views show */
	int64_t refresh_ms;
	int window_minutes;
	long *sla;		/* SplitByWaitTime thresholds, ascending */
	size_t n_sla;
	bool frozen;		/* refreshes paused (the dashboard's freeze key) */

	/* resources */
	struct tq_task_queue queue;
	struct tq_slot queue_slot;
	bool queue_deleted;	/* task-queue.deleted pushed, or a 404 */
	struct tq_realtime_stats realtime;
	struct tq_slot realtime_slot;
	struct tq_cumulative_stats cumulative;
	struct tq_slot cumulative_slot;
	int cumulative_window;	/* Minutes= of the value shown */
	struct tq_statistics statistics;
	struct tq_slot statistics_slot;
	struct tq_activity_list activities;
	struct tq_slot activities_slot;
	char *preview_expr;	/* TargetWorkers of the last preview */
	int64_t preview_count;	/* workers it matches */
	bool preview_more;	/* more than one page: count is a lower bound */
	struct tq_slot preview_slot;

	struct tq_bridge_state bridge;
	struct tq_token_state token;
	struct tq_backoff_state backoff;

	/* The most recent error of any kind, for the status bar. */
	char *last_error;
	int64_t last_error_ms;

	uint64_t tick;		/* refreshes started */
	int64_t tick_ms;

	/* event log ring */
	struct tq_log_line log[STATE_LOG_CAP];
	size_t log_head;	/* index of the oldest line */
	size_t log_n;
	uint64_t log_seq;	/* lines ever added */

	unsigned dirty;
};

void state_init(struct tq_state *s);
void state_free(struct tq_state *s);

static inline void state_dirty(struct tq_state *s, unsigned bits)
{
	s->dirty |= bits;
}
/* Returns the dirty bits and clears them (the UI, once per turn). */
unsigned state_take_dirty(struct tq_state *s);

int64_t state_now_ms(void);
/* Age in ms of a slot's value (-1 when never loaded). */
int64_t state_slot_age(const struct tq_slot *slot, int64_t now_ms);
bool state_slot_stale(const struct tq_state *s, const struct tq_slot *slot, int64_t now_ms);
/* Real-time and cumulative numbers come from their own resource (slot
 * own) or as a half of /Statistics (half: its presence there): the slot
 * whose numbers to show is own once it has an answer, or while
 * /Statistics has not brought that half; else /Statistics'. */
const struct tq_slot *state_stats_slot(const struct tq_state *s, const struct tq_slot *own,
				       enum tq_presence half);
/* Seconds until the token's exp (negative after it); 0 without a token. */
int64_t state_token_seconds_left(const struct tq_state *s, int64_t now_ms);

/* i = 0 is the oldest line kept; NULL past the end. */
const struct tq_log_line *state_log_line(const struct tq_state *s, size_t i);
/* A log.h sink: copies the line into the ring (ud is the state). */
void state_log_sink(void *ud, enum tq_log_level level, const char *line);

/* Records e as the slot's error and as the status bar's last error. */
void state_slot_fail(struct tq_state *s, struct tq_slot *slot, const char *what,
		     const struct apierr *e, unsigned dirty);
void state_slot_ok(struct tq_state *s, struct tq_slot *slot, unsigned dirty);
void state_set_last_error(struct tq_state *s, const char *text);

const char *bridge_status_name(enum bridge_status st);
const char *token_source_name(enum token_source src);

#endif
