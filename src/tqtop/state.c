#include "config.h"
#include "state.h"

#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "xalloc.h"

void state_init(struct tq_state *s)
{
	memset(s, 0, sizeof *s);
	s->backoff.last_retry_after = -1;
	s->dirty = DIRTY_ALL & ~DIRTY_TICK;
}

static void slot_free(struct tq_slot *slot)
{
	apierr_clear(&slot->err);
	memset(slot, 0, sizeof *slot);
}

void state_free(struct tq_state *s)
{
	free(s->account_sid);
	free(s->workspace_sid);
	free(s->queue_sid);
	free(s->sla);
	tq_task_queue_clear(&s->queue);
	tq_realtime_stats_clear(&s->realtime);
	tq_cumulative_stats_clear(&s->cumulative);
	tq_statistics_clear(&s->statistics);
	tq_activity_list_clear(&s->activities);
	free(s->preview_expr);
	slot_free(&s->queue_slot);
	slot_free(&s->realtime_slot);
	slot_free(&s->cumulative_slot);
	slot_free(&s->statistics_slot);
	slot_free(&s->activities_slot);
	slot_free(&s->preview_slot);
	free(s->bridge.last_reason);
	free(s->bridge.last_event);
	free(s->bridge.proxy);
	free(s->token.channel);
	free(s->token.account_sid);
	free(s->token.refresh_error);
	free(s->last_error);
	for (size_t i = 0; i < STATE_LOG_CAP; i++)
		free(s->log[i].text);
	memset(s, 0, sizeof *s);
}

unsigned state_take_dirty(struct tq_state *s)
{
	unsigned d = s->dirty;
	s->dirty = 0;
	return d;
}

int64_t state_now_ms(void)
{
	return wall_now_ms();
}

int64_t state_slot_age(const struct tq_slot *slot, int64_t now_ms)
{
	if (!slot->have || !slot->fetched_ms)
		return -1;
	return now_ms > slot->fetched_ms ? now_ms - slot->fetched_ms : 0;
}

bool state_slot_stale(const struct tq_state *s, const struct tq_slot *slot, int64_t now_ms)
{
	int64_t age = state_slot_age(slot, now_ms);
	return age < 0 || age > 2 * s->refresh_ms;
}

const struct tq_slot *state_stats_slot(const struct tq_state *s, const struct tq_slot *own,
				       enum tq_presence half)
{
	if (own->have || !s->statistics_slot.have || half != TQ_SET)
		return own;
	return &s->statistics_slot;
}

int64_t state_token_seconds_left(const struct tq_state *s, int64_t now_ms)
{
	if (!s->token.have || !s->token.exp)
		return 0;
	return s->token.exp - now_ms / 1000;
}

const struct tq_log_line *state_log_line(const struct tq_state *s, size_t i)
{
	if (i >= s->log_n)
		return NULL;
	return &s->log[(s->log_head + i) % STATE_LOG_CAP];
}

void state_log_sink(void *ud, enum tq_log_level level, const char *line)
{
	struct tq_state *s = ud;
	struct tq_log_line *slot;

	if (s->log_n < STATE_LOG_CAP) {
		slot = &s->log[(s->log_head + s->log_n) % STATE_LOG_CAP];
		s->log_n++;
	} else {
		slot = &s->log[s->log_head];
		s->log_head = (s->log_head + 1) % STATE_LOG_CAP;
	}
	free(slot->text);
	slot->text = xstrdup(line);
	slot->level = level;
	slot->ms = state_now_ms();
	s->log_seq++;
	s->dirty |= DIRTY_LOG;
}

void state_set_last_error(struct tq_state *s, const char *text)
{
	free(s->last_error);
	s->last_error = text ? xstrdup(text) : NULL;
	s->last_error_ms = text ? state_now_ms() : 0;
	s->dirty |= DIRTY_ERROR;
}

void state_slot_fail(struct tq_state *s, struct tq_slot *slot, const char *what,
		     const struct apierr *e, unsigned dirty)
{
	char *text = apierr_text(e);
	size_t wl = strlen(what);
	/* errors made before sending already start with the call's name */
	char *line = strncmp(text, what, wl) == 0 && text[wl] == ':' ? xstrdup(text)
			: xasprintf("%s: %s", what, text);

	apierr_copy(&slot->err, e);
	slot->err_ms = state_now_ms();
	slot->in_flight = false;
	slot->retry_at_ms = 0;
	state_set_last_error(s, line);
	free(line);
	free(text);
	s->dirty |= dirty;
}

void state_slot_ok(struct tq_state *s, struct tq_slot *slot, unsigned dirty)
{
	apierr_clear(&slot->err);
	slot->have = true;
	slot->in_flight = false;
	slot->retry_at_ms = 0;
	slot->fetched_ms = state_now_ms();
	s->dirty |= dirty;
}

const char *bridge_status_name(enum bridge_status st)
{
	switch (st) {
	case BRIDGE_OFF: return "off";
	case BRIDGE_CONNECTING: return "connecting";
	case BRIDGE_CONNECTED: return "connected";
	case BRIDGE_READY: return "ready";
	case BRIDGE_DISCONNECTED: return "disconnected";
	case BRIDGE_WAITING_TOKEN: return "token.expired";
	case BRIDGE_GAVE_UP: return "gave-up";
	}
	return "?";
}

const char *token_source_name(enum token_source src)
{
	switch (src) {
	case TOKEN_SRC_NONE: return "none";
	case TOKEN_SRC_ENV: return "TQTOP_TOKEN";
	case TOKEN_SRC_FILE: return "token-file";
	case TOKEN_SRC_CMD: return "token-cmd";
	case TOKEN_SRC_MINTED: return "minted";
	case TOKEN_SRC_UPDATE: return "updateToken";
	}
	return "?";
}
