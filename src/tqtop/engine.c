#include "config.h"
#include "engine.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "bridge.h"
#include "http.h"
#include "log.h"
#include "loop.h"
#include "xalloc.h"

#define ACTIVITIES_EVERY_MS (10 * 60 * 1000)
#define CLOCK_JUMP_MS 5000

struct engine {
	struct loop *loop;
	struct engine_hooks hooks;
	struct tq_state st;
	struct http *http;
	struct api *api;
	struct auth *auth;
	struct bridge *bridge;
	uv_timer_t *tick;

	/* settings */
	char *api_base;
	char *bridge_base;
	char *ca_file;
	char *user;
	char *password;
	long connect_timeout_ms;
	long timeout_ms;
	double watchdog_s;
	long max_retries;
	bool want_bridge;
	bool have_credentials;

	bool started;		/* identity known, api up */
	bool token_dead;	/* token.expired: tunnelled calls wait for a new token */
	bool held;		/* a refresh went without its calls meanwhile */
	bool refresh_asked;	/* engine_refresh_now() while a refresh was out */
	bool refresh_forced;	/* the next refresh was asked for: it ignores backoff */
	bool tick_forced;	/* the refresh being sent was asked for */
	int tick_pending;	/* calls of the current tick still out */
	bool tick_wait[API__COUNT];	/* which calls the current tick sent */
	int64_t last_tick_wall;
	uint64_t last_tick_mono;
	char *pending_preview;	/* waits for the running preview */
};

/* Basic auth and tokens never cross a network in clear text: a URL
 * without TLS is for tqsim on this machine only. */
static bool check_cleartext(const char *opt, const char *url, const char *what, char **err)
{
	char *host;
	bool ok;

	if (!http_url_cleartext(url))
		return true;
	host = http_url_host(url);
	ok = http_host_is_loopback(host);
	free(host);
	if (!ok)
		*err = xasprintf("%s %s: refusing to send %s without TLS to a non-loopback host; "
				 "use https:// (for tqsim: --tls-cert and --tls-key there, --ca-file "
				 "here)", opt, url, what);
	return ok;
}

struct tq_state *engine_state(struct engine *e)
{
	return &e->st;
}

struct api *engine_api(struct engine *e)
{
	return e->api;
}

static void update_perms(struct engine *e)
{
	struct tq_token_state *t = &e->st.token;

	if (!e->api)
		return;
	t->may_fetch = api_may(e->api, API_QUEUE_FETCH, NULL, 0);
	t->may_update = api_may(e->api, API_QUEUE_UPDATE, NULL, 0);
	t->may_delete = api_may(e->api, API_QUEUE_DELETE, NULL, 0);
	t->may_stats = api_may(e->api, API_REALTIME, NULL, 0);
	t->may_activities = api_may(e->api, API_ACTIVITIES, NULL, 0);
	t->may_workers = api_may(e->api, API_WORKERS, NULL, 0);
	state_dirty(&e->st, DIRTY_TOKEN);
}

static void arm_tick(struct engine *e, bool now);

/* ---- results ------------------------------------------------------------ */

/* A call was not sent for want of a live token: the next token brings
 * a refresh at once. */
static void note_held(struct engine *e, const struct apierr *err)
{
	if (err->kind == APIERR_NOT_AVAILABLE && e->token_dead)
		e->held = true;
}

/* A tick's call answered (err: how): when the current tick awaits it
 * (sent by this tick, or still out from an earlier one), the tick may now
 * be complete. */
static void tick_done(struct engine *e, enum api_call call, const struct apierr *err)
{
	note_held(e, err);
	if (!e->tick_wait[call])
		return;
	e->tick_wait[call] = false;
	if (e->tick_pending > 0 && --e->tick_pending == 0) {
		state_dirty(&e->st, DIRTY_TICK);
		/* A refresh asked for while this one ran goes now. */
		if (e->refresh_asked) {
			e->refresh_asked = false;
			arm_tick(e, true);
		}
	}
}

static void take_queue(struct engine *e, struct tq_task_queue *q)
{
	tq_task_queue_clear(&e->st.queue);
	e->st.queue = *q;
	memset(q, 0, sizeof *q);
	state_slot_ok(&e->st, &e->st.queue_slot, DIRTY_QUEUE);
}

static void on_queue(void *ud, struct api_result *r)
{
	struct engine *e = ud;

	if (r->err.kind == APIERR_NONE) {
		take_queue(e, &r->u.queue);
	} else {
		if (r->err.http_status == 404 && e->st.queue_slot.have && !e->st.queue_deleted) {
			e->st.queue_deleted = true;
			log_warn("queue %s is gone (404)", e->st.queue_sid);
		}
		state_slot_fail(&e->st, &e->st.queue_slot, "queue", &r->err, DIRTY_QUEUE);
	}
	tick_done(e, API_QUEUE_FETCH, &r->err);
}

/* A polled answer's slot: good (the caller has taken the payload) or
 * failed (what: the resource, as the message names it). */
static void settle(struct engine *e, const struct api_result *r, struct tq_slot *slot,
		   const char *what, unsigned dirty)
{
	if (r->err.kind == APIERR_NONE)
		state_slot_ok(&e->st, slot, dirty);
	else
		state_slot_fail(&e->st, slot, what, &r->err, dirty);
}

/* Each payload moves into the state whole: the old one is cleared and
 * the result left empty for the api to clear. */
static void on_realtime(void *ud, struct api_result *r)
{
	struct engine *e = ud;

	if (r->err.kind == APIERR_NONE) {
		tq_realtime_stats_clear(&e->st.realtime);
		e->st.realtime = r->u.realtime;
		memset(&r->u.realtime, 0, sizeof r->u.realtime);
	}
	settle(e, r, &e->st.realtime_slot, "realtime statistics", DIRTY_REALTIME);
	tick_done(e, API_REALTIME, &r->err);
}

static void on_cumulative(void *ud, struct api_result *r)
{
	struct engine *e = ud;

	if (r->err.kind == APIERR_NONE) {
		tq_cumulative_stats_clear(&e->st.cumulative);
		e->st.cumulative = r->u.cumulative;
		memset(&r->u.cumulative, 0, sizeof r->u.cumulative);
	}
	settle(e, r, &e->st.cumulative_slot, "cumulative statistics", DIRTY_CUMULATIVE);
	tick_done(e, API_CUMULATIVE, &r->err);
}

/* Not a tick's call: asked for on its own (engine_fetch_statistics()). */
static void on_statistics(void *ud, struct api_result *r)
{
	struct engine *e = ud;

	if (r->err.kind == APIERR_NONE) {
		tq_statistics_clear(&e->st.statistics);
		e->st.statistics = r->u.statistics;
		memset(&r->u.statistics, 0, sizeof r->u.statistics);
	}
	settle(e, r, &e->st.statistics_slot, "statistics", DIRTY_STATISTICS);
}

static void on_activities(void *ud, struct api_result *r)
{
	struct engine *e = ud;

	if (r->err.kind == APIERR_NONE) {
		tq_activity_list_clear(&e->st.activities);
		e->st.activities = r->u.activities;
		memset(&r->u.activities, 0, sizeof r->u.activities);
	}
	settle(e, r, &e->st.activities_slot, "activities", DIRTY_ACTIVITIES);
	tick_done(e, API_ACTIVITIES, &r->err);
}

static void send_preview(struct engine *e, char *expr);

static void on_workers(void *ud, struct api_result *r)
{
	struct engine *e = ud;

	if (r->err.kind == APIERR_NONE) {
		e->st.preview_count = (int64_t)r->u.workers.n;
		e->st.preview_more = r->u.workers.meta.next_page_url.st == TQ_SET;
		state_slot_ok(&e->st, &e->st.preview_slot, DIRTY_PREVIEW);
	} else {
		state_slot_fail(&e->st, &e->st.preview_slot, "workers preview", &r->err,
				DIRTY_PREVIEW);
	}
	if (e->pending_preview) {
		char *next = e->pending_preview;
		e->pending_preview = NULL;
		send_preview(e, next);
	}
}

/* ---- ticks -------------------------------------------------------------- */

/* Submits one call of a tick; a forbidden call marks its slot once. */
static void tick_call(struct engine *e, enum api_call call, const struct tq_param *p, size_t n,
		      api_cb cb, struct tq_slot *slot, unsigned dirty)
{
	struct apierr err = APIERR_INIT;
	unsigned failures;
	int64_t wait = api_backoff_ms(e->api, call, &failures);

	/* Backing off after failures (or a 429): this refresh goes without
	 * it, unless the user asked for one. */
	if (wait > 0 && !e->tick_forced) {
		log_debug("tick %llu: %s backs off (%u failure%s in a row): next try in %.1f s",
			  (unsigned long long)e->st.tick, api_call_name(call), failures,
			  failures == 1 ? "" : "s", (double)wait / 1000.0);
		slot->retry_at_ms = state_now_ms() + wait;
		state_dirty(&e->st, DIRTY_BACKOFF | dirty);
		return;
	}
	switch (api_call(e->api, call, p, n, cb, e, &err)) {
	case API_ACCEPTED:
		e->tick_pending++;
		e->tick_wait[call] = true;
		break;
	case API_BUSY:
		/* Asked for by someone else (the dashboard): its answer is as
		 * good, and completes this tick too. */
		log_debug("tick %llu: %s still out, not sent again", (unsigned long long)e->st.tick,
			  api_call_name(call));
		e->tick_wait[call] = true;
		e->tick_pending++;
		break;
	case API_REFUSED:
		note_held(e, &err);
		if (slot->err.kind != err.kind)
			state_slot_fail(&e->st, slot, api_call_name(call), &err, dirty);
		break;
	}
	apierr_clear(&err);
}

static void check_clock(struct engine *e)
{
	int64_t wall = state_now_ms();
	uint64_t mono = uv_now(&e->loop->uv);

	if (e->last_tick_mono) {
		int64_t dw = wall - e->last_tick_wall;
		int64_t dm = (int64_t)(mono - e->last_tick_mono);
		if (dw - dm > CLOCK_JUMP_MS || dm - dw > CLOCK_JUMP_MS) {
			log_warn("clock: the wall clock moved %+.1f s against the monotonic one "
				 "(resume or clock change): reconnecting", (double)(dw - dm) / 1000.0);
			if (e->auth)
				auth_rearm(e->auth);
			if (e->bridge)
				bridge_kick(e->bridge, "clock jump");
		}
	}
	e->last_tick_wall = wall;
	e->last_tick_mono = mono;
}

static void do_tick(struct engine *e)
{
	struct tq_state *s = &e->st;
	char minutes[24];

	if (!e->started || !e->api)
		return;
	check_clock(e);
	/* One refresh at a time: while the last one waits for answers (a slow
	 * server, or retries), the next is skipped.  A struggling server gets
	 * fewer requests, and every refresh ends, so its failures are seen
	 * (batch mode ends on them). */
	if (e->tick_pending > 0) {
		log_debug("tick: refresh %llu still waits for %d answer%s; skipped",
			  (unsigned long long)s->tick, e->tick_pending, e->tick_pending == 1 ? "" : "s");
		s->backoff.skipped_busy++;
		state_dirty(s, DIRTY_BACKOFF);
		return;
	}
	s->tick++;
	s->tick_ms = state_now_ms();
	state_dirty(s, DIRTY_HEADER);
	memset(e->tick_wait, 0, sizeof e->tick_wait);
	e->tick_forced = e->refresh_forced;
	e->refresh_forced = false;
	if (s->queue_deleted) {
		e->tick_forced = false;
		state_dirty(s, DIRTY_TICK);
		return;
	}
	snprintf(minutes, sizeof minutes, "%d", s->window_minutes);
	char *sla = NULL;
	struct tq_param cum[2] = { { "Minutes", minutes }, { "SplitByWaitTime", NULL } };
	size_t ncum = 1;
	if (s->n_sla) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < s->n_sla; i++)
			buf_printf(&b, "%s%ld", i ? "," : "", s->sla[i]);
		sla = buf_steal(&b);
		cum[1].value = sla;
		ncum = 2;
	}
	tick_call(e, API_QUEUE_FETCH, NULL, 0, on_queue, &s->queue_slot, DIRTY_QUEUE);
	tick_call(e, API_REALTIME, NULL, 0, on_realtime, &s->realtime_slot, DIRTY_REALTIME);
	tick_call(e, API_CUMULATIVE, cum, ncum, on_cumulative, &s->cumulative_slot,
		  DIRTY_CUMULATIVE);
	s->cumulative_window = s->window_minutes;
	if (!s->activities_slot.in_flight && s->activities_slot.err.kind != APIERR_FORBIDDEN &&
	    (!s->activities_slot.have ||
	     s->tick_ms - s->activities_slot.fetched_ms > ACTIVITIES_EVERY_MS) &&
	    (!s->activities_slot.err_ms || s->tick_ms - s->activities_slot.err_ms > 60000))
		tick_call(e, API_ACTIVITIES, NULL, 0, on_activities, &s->activities_slot,
			  DIRTY_ACTIVITIES);
	free(sla);
	e->tick_forced = false;
	if (e->tick_pending == 0)
		state_dirty(s, DIRTY_TICK);
}

static void on_tick(uv_timer_t *t)
{
	do_tick(t->data);
}

static void arm_tick(struct engine *e, bool now)
{
	if (!e->tick)
		e->tick = loop_timer_new(&e->loop->uv, e);
	if (e->st.frozen) {
		uv_timer_stop(e->tick);
		return;
	}
	uv_timer_start(e->tick, on_tick, now ? 0 : (uint64_t)e->st.refresh_ms,
		       (uint64_t)e->st.refresh_ms);
}

/* ---- bridge hooks -------------------------------------------------------- */

static void on_ready(void *ud, struct api_result *r)
{
	struct engine *e = ud;

	if (r->err.kind == APIERR_NONE) {
		take_queue(e, &r->u.queue);
		if (e->bridge)
			bridge_ready(e->bridge, true);
	} else {
		char *t = apierr_text(&r->err);
		log_error("bridge: the ready request failed: %s", t);
		state_set_last_error(&e->st, t);
		free(t);
		if (e->bridge)
			bridge_ready(e->bridge, false);
	}
}

static void bridge_open(void *ud)
{
	struct engine *e = ud;
	struct apierr err = APIERR_INIT;

	if (api_call(e->api, API_READY, NULL, 0, on_ready, e, &err) == API_REFUSED) {
		char *t = apierr_text(&err);
		log_error("bridge: cannot send the ready request: %s", t);
		free(t);
	}
	apierr_clear(&err);
}

static void bridge_event(void *ud, const char *event_type, yajl_val payload)
{
	struct engine *e = ud;
	struct tq_task_queue q;
	char *err = NULL;

	if (strncmp(event_type, "task-queue.", 11) != 0 || !payload)
		return;
	if (strcmp(event_type, "task-queue.deleted") == 0) {
		e->st.queue_deleted = true;
		state_dirty(&e->st, DIRTY_QUEUE);
		log_warn("queue %s was deleted", e->st.queue_sid);
		return;
	}
	memset(&q, 0, sizeof q);
	if (!tq_task_queue_from_json(payload, &q, &err)) {
		log_warn("bridge: %s: unreadable queue: %s", event_type, err);
		free(err);
		return;
	}
	if (strcmp(q.sid, e->st.queue_sid) != 0) {
		tq_task_queue_clear(&q);
		return;
	}
	take_queue(e, &q);
}

static void bridge_closed(void *ud)
{
	(void)ud;
}

/* ---- start ----------------------------------------------------------------- */

static void on_token_refused(void *ud)
{
	struct engine *e = ud;

	if (e->auth)
		auth_refused(e->auth);
}

static bool start_services(struct engine *e, char **err)
{
	struct api_config ac;

	memset(&ac, 0, sizeof ac);
	ac.api_base = e->api_base;
	ac.bridge_base = e->bridge_base;
	ac.account_sid = e->st.account_sid;
	ac.workspace_sid = e->st.workspace_sid;
	ac.queue_sid = e->st.queue_sid;
	ac.user = e->user;
	ac.password = e->password;
	ac.connect_timeout_ms = e->connect_timeout_ms;
	ac.timeout_ms = e->timeout_ms;
	ac.ca_file = e->ca_file;
	ac.on_token_refused = on_token_refused;
	ac.hook_ud = e;
	e->api = api_new(e->http, e->loop, &e->st, &ac);
	api_set_token(e->api, e->auth ? auth_token(e->auth) : NULL);
	e->st.tunnelled = api_tunnelled(e->api);
	update_perms(e);
	log_info("watching queue %s in workspace %s (%s)", e->st.queue_sid, e->st.workspace_sid,
		 e->st.tunnelled ? "REST through the bridge tunnel" : "direct REST");

	const struct tq_token *tok = e->auth ? auth_token(e->auth) : NULL;
	if (e->want_bridge && tok && e->st.account_sid) {
		struct bridge_config bc;
		struct bridge_hooks bh = { bridge_open, bridge_event, bridge_closed,
					   on_token_refused, e };
		memset(&bc, 0, sizeof bc);
		bc.base = e->bridge_base;
		bc.account_sid = e->st.account_sid;
		bc.queue_sid = e->st.queue_sid;
		bc.ca_file = e->ca_file;
		bc.watchdog_s = e->watchdog_s;
		bc.max_retries = e->max_retries;
		e->bridge = bridge_new(e->loop, &e->st, &bc, &bh, err);
		if (!e->bridge)
			return false;
		bridge_set_token(e->bridge, tok);
		bridge_start(e->bridge);
	} else if (e->want_bridge) {
		log_info("bridge: off (it needs a capability token, or TWILIO_AUTH_TOKEN to mint one)");
	}
	e->started = true;
	state_dirty(&e->st, DIRTY_ALL & ~DIRTY_TICK);
	arm_tick(e, true);
	return true;
}

static void on_token(void *ud, const struct tq_token *tok)
{
	struct engine *e = ud;
	char *err = NULL;

	if (!e->st.workspace_sid)
		e->st.workspace_sid = xstrdup(tok->workspace_sid);
	if (!e->st.queue_sid)
		e->st.queue_sid = xstrdup(tok->taskqueue_sid ? tok->taskqueue_sid : tok->channel);
	if (!e->st.account_sid)
		e->st.account_sid = xstrdup(tok->account_sid);
	if (e->api) {
		api_set_token(e->api, tok);
		update_perms(e);
	}
	if (e->bridge) {
		bridge_set_token(e->bridge, tok);
		/* A new token may also cure a bridge that gave up on the old
		 * one (refused, too long for lws, or --max-retries spent).  A
		 * token tqtop minted itself replaces the old one on an open
		 * bridge at once, so that its expiry is never seen; a token
		 * from the user is used at the next reconnect, as updateToken()
		 * does in TaskRouter.js. */
		if (e->st.bridge.status == BRIDGE_WAITING_TOKEN ||
		    e->st.bridge.status == BRIDGE_GAVE_UP)
			bridge_kick(e->bridge, "new token");
		else if (e->st.token.source == TOKEN_SRC_MINTED)
			bridge_renew(e->bridge);
	}
	if (!e->started && !start_services(e, &err)) {
		log_error("%s", err);
		state_set_last_error(&e->st, err);
		free(err);
		if (e->hooks.on_quit)
			e->hooks.on_quit(e->hooks.ud, 0);
		return;
	}
	/* Calls held for a token go now rather than at the next tick. */
	e->token_dead = false;
	if (e->held) {
		e->held = false;
		engine_refresh_now(e);
	}
}

static void on_expired(void *ud)
{
	struct engine *e = ud;

	e->token_dead = true;
	state_dirty(&e->st, DIRTY_TOKEN | DIRTY_BRIDGE);
	state_set_last_error(&e->st, "token.expired");
}

static void on_token_failed(void *ud, const char *msg)
{
	struct engine *e = ud;

	/* Without a first token there is nothing to watch: give up. */
	if (!e->started && !(e->auth && auth_token(e->auth)) && e->hooks.on_quit) {
		log_error("no token: %s", msg);
		e->hooks.on_quit(e->hooks.ud, 0);
	}
}

static void on_signal(void *ud, int signum)
{
	struct engine *e = ud;

	switch (signum) {
	case SIGWINCH:
		state_dirty(&e->st, DIRTY_RESIZE);
		break;
	case SIGCONT:
		log_info("resumed (SIGCONT): reconnecting and refreshing");
		if (e->auth)
			auth_rearm(e->auth);
		if (e->bridge)
			bridge_kick(e->bridge, "resumed");
		engine_refresh_now(e);
		state_dirty(&e->st, DIRTY_ALL & ~DIRTY_TICK);
		break;
	default:
		log_info("signal %d: quitting", signum);
		if (e->hooks.on_quit)
			e->hooks.on_quit(e->hooks.ud, signum);
		break;
	}
}

struct engine *engine_new(struct loop *loop, const struct config *cfg,
			  const struct engine_hooks *hooks, char **err)
{
	struct engine *e = xcalloc(1, sizeof *e);
	const char *ws = cfg_str(cfg, OPT_WORKSPACE), *wq = cfg_str(cfg, OPT_QUEUE);
	bool token_src = cfg_isset(cfg, OPT_TOKEN) || cfg_isset(cfg, OPT_TOKEN_FILE) ||
			 cfg_isset(cfg, OPT_TOKEN_CMD);
	bool changed, want_bridge;
	long *sla = NULL;
	size_t n_sla = 0;
	char *lerr = NULL;

	e->loop = loop;
	e->hooks = *hooks;
	state_init(&e->st);
	if (cfg_isset(cfg, OPT_API_KEY) && cfg_isset(cfg, OPT_API_SECRET)) {
		e->user = xstrdup(cfg_str(cfg, OPT_API_KEY));
		e->password = xstrdup(cfg_str(cfg, OPT_API_SECRET));
	} else if (cfg_isset(cfg, OPT_ACCOUNT_SID) && cfg_isset(cfg, OPT_AUTH_TOKEN)) {
		e->user = xstrdup(cfg_str(cfg, OPT_ACCOUNT_SID));
		e->password = xstrdup(cfg_str(cfg, OPT_AUTH_TOKEN));
	}
	e->have_credentials = e->user != NULL;
	if (!e->have_credentials && !token_src) {
		*err = xstrdup("no credentials: set TQTOP_TOKEN, --token-file or --token-cmd, or "
			       "TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (or TWILIO_API_KEY + "
			       "TWILIO_API_SECRET) with --workspace and --queue");
		goto fail;
	}
	if (*ws && !sid_valid(ws, "WS")) {
		*err = xasprintf("--workspace '%s': expected WS followed by 32 hex digits", ws);
		goto fail;
	}
	if (*wq && !sid_valid(wq, "WQ")) {
		*err = xasprintf("--queue '%s': expected WQ followed by 32 hex digits", wq);
		goto fail;
	}
	if (e->have_credentials && !token_src && (!*ws || !*wq)) {
		*err = xstrdup("with account credentials, name the queue: --workspace WS --queue WQ "
			       "(or TQTOP_WORKSPACE, TQTOP_QUEUE)");
		goto fail;
	}
	if (!cfg_parse_list(cfg_str(cfg, OPT_SLA), 1, 86400, &sla, &n_sla, &lerr)) {
		*err = xasprintf("sla: %s", lerr);
		free(lerr);
		goto fail;
	}
	e->st.sla = sla;
	e->st.n_sla = n_sla;
	e->st.refresh_ms = (int64_t)(cfg_num(cfg, OPT_REFRESH) * 1000);
	e->st.window_minutes = (int)cfg_int(cfg, OPT_WINDOW);
	if (*ws)
		e->st.workspace_sid = xstrdup(ws);
	if (*wq)
		e->st.queue_sid = xstrdup(wq);
	if (cfg_isset(cfg, OPT_ACCOUNT_SID))
		e->st.account_sid = xstrdup(cfg_str(cfg, OPT_ACCOUNT_SID));
	/* One batch record needs no push channel: -b -n 1 only polls. */
	want_bridge = !cfg_flag(cfg, OPT_NO_BRIDGE) &&
		      !(cfg_flag(cfg, OPT_BATCH) && cfg_int(cfg, OPT_ITERATIONS) == 1);
	e->api_base = xstrdup(cfg_str(cfg, OPT_API_URL));
	e->bridge_base = bridge_region_url(cfg_str(cfg, OPT_BRIDGE_URL), cfg_str(cfg, OPT_REGION),
					   &changed);
	if (cfg_isset(cfg, OPT_REGION) && !changed)
		log_warn("--region %s ignored: the bridge URL is not a twilio.com host",
			 cfg_str(cfg, OPT_REGION));
	{
		bool tls;
		char *host = NULL;
		int port;
		if (!bridge_parse_base(e->bridge_base, &tls, &host, &port, err))
			goto fail;
		free(host);
		if (strncmp(e->api_base, "http://", 7) != 0 && strncmp(e->api_base, "https://", 8) != 0) {
			*err = xasprintf("--api-url '%s': expected https://host[:port]", e->api_base);
			goto fail;
		}
	}
	/* Which URLs carry secrets: the REST base with credentials; the
	 * bridge base whenever a token goes there (tunnel or websocket). */
	bool mint = cfg_isset(cfg, OPT_ACCOUNT_SID) && cfg_isset(cfg, OPT_AUTH_TOKEN);
	bool tunnel = token_src && !e->have_credentials;
	if (e->have_credentials &&
	    !check_cleartext("--api-url", e->api_base, "credentials", err))
		goto fail;
	if ((tunnel || (want_bridge && (token_src || mint))) &&
	    !check_cleartext("--bridge-url", e->bridge_base, "the token", err))
		goto fail;
	e->ca_file = cfg_isset(cfg, OPT_CA_FILE) ? xstrdup(cfg_str(cfg, OPT_CA_FILE)) : NULL;
	if (e->ca_file && access(e->ca_file, R_OK) != 0) {
		*err = xasprintf("--ca-file %s: %s", e->ca_file, strerror(errno));
		goto fail;
	}
	e->connect_timeout_ms = (long)(cfg_num(cfg, OPT_CONNECT_TIMEOUT) * 1000);
	e->timeout_ms = (long)(cfg_num(cfg, OPT_TIMEOUT) * 1000);
	e->watchdog_s = cfg_num(cfg, OPT_WATCHDOG);
	e->max_retries = cfg_int(cfg, OPT_MAX_RETRIES);
	e->want_bridge = want_bridge;

	struct auth_config aconf = {
		.cmd = cfg_str(cfg, OPT_TOKEN_CMD),
		.file = cfg_str(cfg, OPT_TOKEN_FILE),
		.env_token = cfg_str(cfg, OPT_TOKEN),
		.account_sid = cfg_str(cfg, OPT_ACCOUNT_SID),
		.auth_token = cfg_str(cfg, OPT_AUTH_TOKEN),
		.workspace_sid = ws,
		.queue_sid = wq,
	};
	struct auth_hooks ah = { on_token, on_expired, on_token_failed, e };
	e->auth = auth_new(loop, &e->st, &aconf, &ah);
	if (!auth_has_source(e->auth))
		auth_free(&e->auth);

	e->http = http_new(loop, e->ca_file, err);
	if (!e->http)
		goto fail;
	loop_set_signal_cb(loop, on_signal, e);
	return e;
fail:
	engine_free(&e);
	return NULL;
}

bool engine_start(struct engine *e, char **err)
{
	if (e->auth) {
		if (!auth_start(e->auth, err))
			return false;
		/* A command's token arrives later; on_token() starts the rest. */
		if (!auth_token(e->auth))
			return true;
		if (e->started)
			return true;
	}
	return start_services(e, err);
}

void engine_free(struct engine **ep)
{
	struct engine *e = *ep;

	if (!e)
		return;
	loop_timer_free(&e->tick);
	/* The bridge goes last: freeing it runs the loop (lws finishes its
	 * context there), so nothing else may still be able to call back. */
	auth_free(&e->auth);
	api_free(&e->api);
	http_free(&e->http);
	bridge_free(&e->bridge);
	if (e->loop->on_signal == on_signal)
		loop_set_signal_cb(e->loop, NULL, NULL);
	state_free(&e->st);
	free(e->api_base);
	free(e->bridge_base);
	free(e->ca_file);
	free(e->user);
	free(e->password);
	free(e->pending_preview);
	free(e);
	*ep = NULL;
}

void engine_refresh_now(struct engine *e)
{
	if (!e->started)
		return;
	e->refresh_forced = true;
	if (e->tick_pending > 0)
		e->refresh_asked = true;
	else
		arm_tick(e, true);
}

void engine_set_refresh(struct engine *e, int64_t ms)
{
	e->st.refresh_ms = ms;
	state_dirty(&e->st, DIRTY_HEADER);
	if (e->started)
		arm_tick(e, false);
}

void engine_set_window(struct engine *e, int minutes)
{
	e->st.window_minutes = minutes;
	state_dirty(&e->st, DIRTY_HEADER | DIRTY_CUMULATIVE);
	engine_refresh_now(e);
}

void engine_set_frozen(struct engine *e, bool frozen)
{
	e->st.frozen = frozen;
	state_dirty(&e->st, DIRTY_HEADER);
	if (e->started)
		arm_tick(e, false);
}

enum api_submit engine_fetch_statistics(struct engine *e, const struct tq_param *params,
					size_t n, struct apierr *err)
{
	if (!e->api) {
		apierr_set(err, APIERR_NOT_AVAILABLE, 0, 0, "not started");
		return API_REFUSED;
	}
	return api_call(e->api, API_STATISTICS, params, n, on_statistics, e, err);
}

static void send_preview(struct engine *e, char *expr)
{
	struct apierr err = APIERR_INIT;
	struct tq_param p = { "TargetWorkersExpression", expr };

	free(e->st.preview_expr);
	e->st.preview_expr = expr;
	state_dirty(&e->st, DIRTY_PREVIEW);
	if (api_call(e->api, API_WORKERS, &p, 1, on_workers, e, &err) == API_REFUSED)
		state_slot_fail(&e->st, &e->st.preview_slot, "workers preview", &err, DIRTY_PREVIEW);
	apierr_clear(&err);
}

void engine_preview_workers(struct engine *e, const char *expr)
{
	if (!e->api)
		return;
	if (api_busy(e->api, API_WORKERS)) {
		free(e->pending_preview);
		e->pending_preview = xstrdup(expr);
		return;
	}
	send_preview(e, xstrdup(expr));
}

struct write_ctx {
	struct engine *e;
	api_cb cb;
	void *ud;
};

static void on_write(void *ud, struct api_result *r)
{
	struct write_ctx *w = ud;
	struct engine *e = w->e;

	if (r->err.kind == APIERR_NONE) {
		if (r->call == API_QUEUE_DELETE) {
			e->st.queue_deleted = true;
			state_dirty(&e->st, DIRTY_QUEUE);
			log_warn("queue %s deleted", e->st.queue_sid);
		} else {
			log_info("queue %s updated", e->st.queue_sid);
		}
	} else {
		char *t = apierr_text(&r->err);
		log_warn("%s failed: %s", api_call_name(r->call), t);
		free(t);
	}
	if (w->cb)
		w->cb(w->ud, r);
	/* The state keeps its own copy of an updated queue. */
	if (r->err.kind == APIERR_NONE && r->call == API_QUEUE_UPDATE && r->u.queue.sid)
		take_queue(e, &r->u.queue);
	free(w);
}

static enum api_submit write_call(struct engine *e, enum api_call call,
				  const struct tq_param *params, size_t n, api_cb cb, void *ud,
				  struct apierr *err)
{
	struct write_ctx *w;
	enum api_submit rc;

	if (!e->api) {
		apierr_set(err, APIERR_NOT_AVAILABLE, 0, 0, "not started");
		return API_REFUSED;
	}
	w = xcalloc(1, sizeof *w);
	w->e = e;
	w->cb = cb;
	w->ud = ud;
	rc = api_call(e->api, call, params, n, on_write, w, err);
	if (rc != API_ACCEPTED)
		free(w);
	return rc;
}

enum api_submit engine_update_queue(struct engine *e, const struct tq_param *params, size_t n,
				    api_cb cb, void *ud, struct apierr *err)
{
	return write_call(e, API_QUEUE_UPDATE, params, n, cb, ud, err);
}

enum api_submit engine_delete_queue(struct engine *e, api_cb cb, void *ud, struct apierr *err)
{
	return write_call(e, API_QUEUE_DELETE, NULL, 0, cb, ud, err);
}

bool engine_update_token(struct engine *e, const char *jwt, char **err)
{
	if (!e->auth) {
		struct auth_config ac = {
			.workspace_sid = e->st.workspace_sid,
			.queue_sid = e->st.queue_sid,
			.account_sid = e->st.account_sid,
		};
		struct auth_hooks ah = { on_token, on_expired, on_token_failed, e };
		e->auth = auth_new(e->loop, &e->st, &ac, &ah);
	}
	return auth_update(e->auth, jwt, TOKEN_SRC_UPDATE, err);
}

bool engine_may(const struct engine *e, enum api_call call, const struct tq_param *params,
		size_t n)
{
	return e->api && api_may(e->api, call, params, n);
}
