/* statusbar: the status line and the hints line (statusbar.h). */
#include "config.h"
#include "statusbar.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "ui-fmt.h"
#include "ui-priv.h"

/* Token time left below which the status bar warns. */
#define TOKEN_WARN_S 600

static int one_row(struct ui *ui, int cols)
{
	(void)ui;
	(void)cols;
	return 1;
}

struct seg {
	struct buf text;
	enum theme_element el;
};

static void bridge_seg(struct ui *ui, struct seg *s)
{
	const struct tq_bridge_state *b = &ui->st->bridge;
	const char *ok = ui->ascii ? "*" : "\xe2\x97\x8f";	/* ● */
	const char *wait = ui->ascii ? "~" : "\xe2\x97\x8c";	/* ◌ */
	const char *bad = ui->ascii ? "x" : "\xe2\x9c\x96";	/* ✖ */

	switch (b->status) {
	case BRIDGE_OFF:
		buf_printf(&s->text, "%s polling", wait);
		s->el = THEME_STATUS;
		break;
	case BRIDGE_CONNECTING:
		buf_printf(&s->text, "%s connecting", wait);
		if (b->attempt > 0)
			buf_printf(&s->text, " (try %u)", b->attempt + 1);
		s->el = THEME_STATUS_WARN;
		break;
	case BRIDGE_CONNECTED:
	case BRIDGE_READY:
		buf_printf(&s->text, "%s connected", ok);
		s->el = THEME_STATUS_OK;
		break;
	case BRIDGE_DISCONNECTED:
		buf_printf(&s->text, "%s disconnected", bad);
		if (b->retry_at_ms > ui->now_ms) {
			buf_puts(&s->text, ", retry in ");
			fmt_duration(&s->text, (b->retry_at_ms - ui->now_ms + 999) / 1000);
		}
		s->el = THEME_STATUS_ERROR;
		break;
	case BRIDGE_WAITING_TOKEN:
		buf_printf(&s->text, "%s disconnected, needs a token", bad);
		s->el = THEME_STATUS_ERROR;
		break;
	case BRIDGE_GAVE_UP:
		buf_printf(&s->text, "%s disconnected, gave up", bad);
		s->el = THEME_STATUS_ERROR;
		break;
	}
}

static bool token_seg(struct ui *ui, struct seg *s)
{
	const struct tq_token_state *t = &ui->st->token;
	int64_t left;

	if (!t->have || t->source == TOKEN_SRC_MINTED)
		return false;
	left = state_token_seconds_left(ui->st, ui->now_ms);
	if (t->expired || (t->exp && left <= 0)) {
		buf_puts(&s->text, "! token.expired");
		if (t->refreshing)
			buf_puts(&s->text, ", refreshing");
		s->el = THEME_STATUS_ERROR;
	} else if (t->refreshing) {
		buf_puts(&s->text, "token refreshing");
		s->el = THEME_STATUS_WARN;
	} else if (!t->exp) {
		return false;
	} else if (left < TOKEN_WARN_S) {
		buf_puts(&s->text, "! token expires in ");
		fmt_duration(&s->text, left);
		s->el = THEME_STATUS_WARN;
	} else {
		/* whole minutes while there is time: seconds ticking away
		 * would be bytes on every refresh for nothing */
		buf_puts(&s->text, "token ");
		fmt_duration_coarse(&s->text, left);
		s->el = THEME_STATUS;
	}
	return true;
}

/* The age of the newest data on screen. */
static bool data_seg(struct ui *ui, struct seg *s)
{
	const struct tq_state *st = ui->st;
	const struct tq_slot *slots[] = {
		&st->realtime_slot, &st->cumulative_slot, &st->statistics_slot, &st->queue_slot,
	};
	const struct tq_slot *newest = NULL;

	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
		if (slots[i]->have && (!newest || slots[i]->fetched_ms > newest->fetched_ms))
			newest = slots[i];
	if (st->frozen) {
		buf_puts(&s->text, "FROZEN");
		s->el = THEME_STATUS_WARN;
		if (!newest)
			return true;
		buf_puts(&s->text, ", ");
	}
	if (!newest)
		return false;
	if (state_slot_stale(st, newest, ui->now_ms)) {
		buf_puts(&s->text, "! STALE, age ");
		s->el = THEME_STATUS_WARN;
	} else {
		buf_puts(&s->text, "age ");
		if (!st->frozen)
			s->el = THEME_STATUS;
	}
	fmt_duration(&s->text, state_slot_age(newest, ui->now_ms) / 1000);
	return true;
}

static bool backoff_seg(struct ui *ui, struct seg *s)
{
	const struct tq_backoff_state *b = &ui->st->backoff;

	if (!b->rate_limited || b->until_ms <= ui->now_ms)
		return false;
	buf_puts(&s->text, "! rate-limited, wait ");
	fmt_duration(&s->text, (b->until_ms - ui->now_ms + 999) / 1000);
	s->el = THEME_STATUS_WARN;
	return true;
}

/* The last error is news while something polled has not succeeded since:
 * a call that failed once (say, Activities a queue token may not read)
 * must not hide the state of the queue for good; the event log keeps it. */
static bool error_is_current(const struct tq_state *st)
{
	const struct tq_slot *slots[] = {
		&st->queue_slot, &st->realtime_slot, &st->cumulative_slot, &st->statistics_slot,
	};
	int64_t newest = 0;

	if (!st->last_error)
		return false;
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
		if (slots[i]->have && slots[i]->fetched_ms > newest)
			newest = slots[i]->fetched_ms;
	if ((st->bridge.status == BRIDGE_CONNECTED || st->bridge.status == BRIDGE_READY) &&
	    st->bridge.since_ms > newest)
		newest = st->bridge.since_ms;
	return st->last_error_ms >= newest;
}

static void status_draw(struct ui *ui, struct pane *p)
{
	struct seg segs[5];
	size_t n = 0;
	WINDOW *w = p->win;
	int x = 0;

	memset(segs, 0, sizeof segs);
	ui_clear(ui, w, THEME_STATUS);
	ui->stale_ctx = false;
	bridge_seg(ui, &segs[n++]);
	if (token_seg(ui, &segs[n]))
		n++;
	segs[n].el = THEME_STATUS;
	if (data_seg(ui, &segs[n]))
		n++;
	else
		buf_free(&segs[n].text);
	if (backoff_seg(ui, &segs[n]))
		n++;
	if (ui->message) {
		buf_puts(&segs[n].text, ui->message);
		segs[n].el = ui->message_error ? THEME_STATUS_ERROR : THEME_STATUS;
		n++;
	} else if (error_is_current(ui->st) &&
		   !(ui->st->token.expired && !strcmp(ui->st->last_error, "token.expired"))) {
		buf_printf(&segs[n].text, "! %s", ui->st->last_error);
		segs[n].el = THEME_STATUS_ERROR;
		n++;
	}
	for (size_t i = 0; i < n && x < p->cols; i++) {
		x += ui_put(ui, w, 0, x, p->cols - x, THEME_STATUS, " ");
		x += ui_put(ui, w, 0, x, p->cols - x, segs[i].el, buf_cstr(&segs[i].text));
		x += ui_put(ui, w, 0, x, p->cols - x, THEME_STATUS, " ");
		buf_free(&segs[i].text);
	}
	for (size_t i = n; i < sizeof segs / sizeof segs[0]; i++)
		buf_free(&segs[i].text);
}

const struct pane_ops statusbar_ops = {
	.name = "status",
	.height = one_row,
	.draw = status_draw,
	.timed = true,
	.dirty = DIRTY_BRIDGE | DIRTY_TOKEN | DIRTY_BACKOFF | DIRTY_ERROR | DIRTY_TICK |
		 DIRTY_REALTIME | DIRTY_CUMULATIVE | DIRTY_STATISTICS | DIRTY_QUEUE,
};

/* ---- hints ---------------------------------------------------------------- */

/* The dashboard's keys with a hint in the key table (keys.h), in its order. */
static bool is_hint(enum key_action a)
{
	return keys_action_context(a) == KEYCTX_MAIN && keys_action_hint(a) != NULL;
}

/* What the token's policies allow, expired or not. */
static bool policy_permits(struct ui *ui, enum key_action a)
{
	if (a == ACT_EDIT)
		return ui->st->token.may_update;
	if (a == ACT_DELETE)
		return ui->st->token.may_delete;
	return true;
}

static bool permitted(struct ui *ui, enum key_action a)
{
	if ((ui->st->queue_deleted || ui_token_dead(ui)) && (a == ACT_EDIT || a == ACT_DELETE))
		return false;
	return policy_permits(ui, a);
}

/* Hints that only matter now and then. */
static bool hint_shown(struct ui *ui, enum key_action a)
{
	if (a == ACT_TOKEN)
		return ui_token_needed(ui);
	return true;
}

static void hint_text(struct ui *ui, enum key_action a, struct buf *key, struct buf *label)
{
	keys_first(a, key);
	buf_puts(label, keys_action_hint(a));
	if (!permitted(ui, a))
		buf_puts(label, ui->st->queue_deleted ? " (deleted)"
				: !policy_permits(ui, a) ? " (not permitted)" : " (token expired)");
}

static int hint_width(struct ui *ui, enum key_action a)
{
	struct buf k = BUF_INIT, l = BUF_INIT;
	int w;

	hint_text(ui, a, &k, &l);
	w = ui_width(ui, buf_cstr(&k)) + 1 + ui_width(ui, buf_cstr(&l)) + 2;
	buf_free(&k);
	buf_free(&l);
	return w;
}

static void hints_draw(struct ui *ui, struct pane *p)
{
	bool keep[ACT_COUNT];
	int width = 0, max_prio = 0;
	WINDOW *w = p->win;
	int x = 1;

	ui_clear(ui, w, THEME_NORMAL);
	ui->stale_ctx = false;
	for (int a = 0; a < ACT_COUNT; a++) {
		keep[a] = is_hint((enum key_action)a) && hint_shown(ui, (enum key_action)a);
		if (!keep[a])
			continue;
		width += hint_width(ui, (enum key_action)a);
		if (keys_action_hint_prio((enum key_action)a) > max_prio)
			max_prio = keys_action_hint_prio((enum key_action)a);
	}
	/* drop the least needed hints, last first, until the rest fit */
	for (int prio = max_prio; prio > 0 && width > p->cols - 1; prio--) {
		for (int a = ACT_COUNT; a-- > 0 && width > p->cols - 1;) {
			if (!keep[a] || keys_action_hint_prio((enum key_action)a) != prio)
				continue;
			width -= hint_width(ui, (enum key_action)a);
			keep[a] = false;
		}
	}
	for (int a = 0; a < ACT_COUNT; a++) {
		struct buf k = BUF_INIT, l = BUF_INIT;

		if (!keep[a])
			continue;
		hint_text(ui, (enum key_action)a, &k, &l);
		x += ui_put(ui, w, 0, x, p->cols - x, THEME_KEY, buf_cstr(&k));
		x += ui_put(ui, w, 0, x, p->cols - x, THEME_NORMAL, " ");
		x += ui_put(ui, w, 0, x, p->cols - x,
			    permitted(ui, (enum key_action)a) ? THEME_NORMAL : THEME_STALE, buf_cstr(&l));
		x += 2;
		buf_free(&k);
		buf_free(&l);
	}
}

const struct pane_ops pane_hints_ops = {
	.name = "hints",
	.height = one_row,
	.draw = hints_draw,
	.dirty = DIRTY_TOKEN | DIRTY_QUEUE,
};

