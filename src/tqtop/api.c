#include "config.h"
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "loop.h"
#include "retry.h"
#include "tunnel.h"
#include "xalloc.h"

/* Requests per second for the whole process, and its burst.  TaskRouter
 * publishes no limit for the queue and statistics endpoints (PROTOCOL.md
 * 4.2); a dashboard needs 1.5/s at the default refresh. */
#define BUDGET_RATE 5.0
#define BUDGET_BURST 10.0
/* Activities are read whole, following next_page_url, up to this many
 * pages (of 1000): a workspace has a handful. */
#define ACTIVITY_MAX_PAGES 10
/* Workers?TargetWorkersExpression is documented at 3 req/s. */
#define WORKERS_RATE 2.0
#define WORKERS_BURST 1.0

struct api_op {
	struct api *a;
	enum api_call call;
	struct tq_param *params;
	size_t n_params;
	api_cb cb;
	void *ud;
	unsigned attempt;
	uv_timer_t *timer;
	struct http_req *req;
	struct tq_slot *slot;
	bool was_throttled;
	/* Lists read page by page (Activities): what came so far, and the
	 * path and query of the next page. */
	struct tq_activity_list acc;
	char *page;
	unsigned pages;
};

struct api {
	struct http *http;
	struct loop *loop;
	struct tq_state *st;
	char *api_base;
	char *bridge_base;
	char *account_sid;
	char *workspace_sid;
	char *queue_sid;
	char *user;
	char *password;
	long connect_timeout_ms;
	long timeout_ms;
	void (*on_token_refused)(void *ud);
	void *hook_ud;
	char *ca_file;
	char *tls_error[2];	/* [uses the tunnel]: certificate not verified, for good */
	const struct tq_token *tok;
	struct api_op *ops[API__COUNT];
	struct budget budget;
	struct budget workers_budget;
	uint64_t hold_until;	/* loop time (ms) before which nothing is sent */
	struct backoff res[API__COUNT];	/* per resource, across requests (loop ms) */
};

static const struct {
	const char *name;
	const char *method;
	const char *suffix;	/* after /v1/Workspaces/{WS} */
	bool queue_path;	/* suffix follows /TaskQueues/{WQ} */
} calls[API__COUNT] = {
	[API_QUEUE_FETCH] = { "queue", "GET", "", true },
	[API_QUEUE_UPDATE] = { "update", "POST", "", true },
	[API_QUEUE_DELETE] = { "delete", "DELETE", "", true },
	[API_STATISTICS] = { "statistics", "GET", "/Statistics", true },
	[API_CUMULATIVE] = { "cumulative", "GET", "/CumulativeStatistics", true },
	[API_REALTIME] = { "realtime", "GET", "/RealTimeStatistics", true },
	[API_ACTIVITIES] = { "activities", "GET", "/Activities", false },
	[API_WORKERS] = { "workers", "GET", "/Workers", false },
	[API_READY] = { "ready", "GET", "", true },
};

const char *api_call_name(enum api_call call)
{
	return calls[call].name;
}

const char *api_call_method(enum api_call call)
{
	return calls[call].method;
}

static char *call_path(const struct api *a, enum api_call call)
{
	if (calls[call].queue_path)
		return xasprintf("/v1/Workspaces/%s/TaskQueues/%s%s", a->workspace_sid,
				 a->queue_sid, calls[call].suffix);
	return xasprintf("/v1/Workspaces/%s%s", a->workspace_sid, calls[call].suffix);
}

char *api_call_real_url(const struct api *a, enum api_call call)
{
	char *path = call_path(a, call);
	char *url = xasprintf("%s%s", TASKROUTER_API_BASE, path);
	free(path);
	return url;
}

static struct tq_slot *slot_for(struct tq_state *st, enum api_call call)
{
	switch (call) {
	case API_QUEUE_FETCH: return &st->queue_slot;
	case API_STATISTICS: return &st->statistics_slot;
	case API_CUMULATIVE: return &st->cumulative_slot;
	case API_REALTIME: return &st->realtime_slot;
	case API_ACTIVITIES: return &st->activities_slot;
	case API_WORKERS: return &st->preview_slot;
	case API_QUEUE_UPDATE:
	case API_QUEUE_DELETE:
	case API_READY:
	case API__COUNT:
		break;
	}
	return NULL;
}

struct api *api_new(struct http *http, struct loop *loop, struct tq_state *state,
		    const struct api_config *cfg)
{
	struct api *a = xcalloc(1, sizeof *a);
	uint64_t now = uv_now(&loop->uv);

	a->http = http;
	a->loop = loop;
	a->st = state;
	a->api_base = xstrdup(cfg->api_base);
	a->bridge_base = xstrdup(cfg->bridge_base);
	a->account_sid = xstrdup(cfg->account_sid ? cfg->account_sid : "");
	a->workspace_sid = xstrdup(cfg->workspace_sid);
	a->queue_sid = xstrdup(cfg->queue_sid);
	a->user = cfg->user ? xstrdup(cfg->user) : NULL;
	a->password = cfg->password ? xstrdup(cfg->password) : NULL;
	a->connect_timeout_ms = cfg->connect_timeout_ms;
	a->timeout_ms = cfg->timeout_ms;
	a->on_token_refused = cfg->on_token_refused;
	a->ca_file = cfg->ca_file && *cfg->ca_file ? xstrdup(cfg->ca_file) : NULL;
	a->hook_ud = cfg->hook_ud;
	budget_init(&a->budget, BUDGET_RATE, BUDGET_BURST, (int64_t)now);
	budget_init(&a->workers_budget, WORKERS_RATE, WORKERS_BURST, (int64_t)now);
	return a;
}

static void op_free(struct api_op *op)
{
	for (size_t i = 0; i < op->n_params; i++) {
		free((char *)op->params[i].key);
		free((char *)op->params[i].value);
	}
	free(op->params);
	free(op->page);
	tq_activity_list_clear(&op->acc);
	loop_timer_free(&op->timer);
	free(op);
}

void api_free(struct api **ap)
{
	struct api *a = *ap;

	if (!a)
		return;
	for (int c = 0; c < API__COUNT; c++) {
		struct api_op *op = a->ops[c];
		if (!op)
			continue;
		if (op->req)
			http_cancel(a->http, op->req);
		if (op->slot)
			op->slot->in_flight = false;
		op_free(op);
		a->ops[c] = NULL;
	}
	free(a->api_base);
	free(a->bridge_base);
	free(a->account_sid);
	free(a->workspace_sid);
	free(a->queue_sid);
	free(a->user);
	free(a->password);
	free(a->ca_file);
	free(a->tls_error[0]);
	free(a->tls_error[1]);
	free(a);
	*ap = NULL;
}

void api_set_token(struct api *a, const struct tq_token *tok)
{
	a->tok = tok;
}

bool api_tunnelled(const struct api *a)
{
	return a->user == NULL;
}

bool api_busy(const struct api *a, enum api_call call)
{
	return a->ops[call] != NULL;
}

int64_t api_backoff_ms(const struct api *a, enum api_call call, unsigned *failures)
{
	int64_t hold = 0, now = (int64_t)uv_now(&a->loop->uv);

	if (failures)
		*failures = a->res[call].streak;
	if ((int64_t)a->hold_until > now)
		hold = (int64_t)a->hold_until - now;
	int64_t w = backoff_wait(&a->res[call], now);
	return w > hold ? w : hold;
}

static bool uses_tunnel(const struct api *a, enum api_call call)
{
	return call == API_READY || a->user == NULL;
}

static char *channel_url(const struct api *a, const char *base)
{
	size_t bl = strlen(base);

	while (bl && base[bl - 1] == '/')
		bl--;
	return xasprintf("%.*s/v1/wschannels/%s/%s", (int)bl, base, a->account_sid, a->queue_sid);
}

/* Checks the token; fills err and returns false when the call cannot go. */
static bool check_allowed(const struct api *a, enum api_call call, const struct tq_param *params,
			  size_t n, struct apierr *err)
{
	if (!uses_tunnel(a, call))
		return true;
	if (!a->tok) {
		apierr_set(err, APIERR_NOT_AVAILABLE, 0, 0,
			   "no capability token (set TQTOP_TOKEN, --token-file or --token-cmd)");
		return false;
	}
	char *chan = channel_url(a, EVENT_BRIDGE_BASE);
	bool ok = token_may(a->tok, "POST", chan);
	free(chan);
	if (!ok) {
		apierr_set(err, APIERR_FORBIDDEN, 0, 0,
			   "%s: not permitted by this token (no POST on its channel)",
			   calls[call].name);
		return false;
	}
	char *url = api_call_real_url(a, call);
	ok = token_may_params(a->tok, calls[call].method, url, params, n);
	free(url);
	if (!ok) {
		apierr_set(err, APIERR_FORBIDDEN, 0, 0, "%s: not permitted by this token",
			   calls[call].name);
		return false;
	}
	return true;
}

/* After token.expired a tunnelled request could only get a 401. */
static bool token_alive(const struct api *a, enum api_call call, struct apierr *err)
{
	if (!uses_tunnel(a, call) || !a->st->token.expired)
		return true;
	apierr_set(err, APIERR_NOT_AVAILABLE, 0, 0, "waiting for a new token (token.expired)");
	return false;
}

bool api_may(const struct api *a, enum api_call call, const struct tq_param *params,
	     size_t n_params)
{
	struct apierr e = APIERR_INIT;
	bool ok = check_allowed(a, call, params, n_params, &e);

	apierr_clear(&e);
	return ok;
}

static void schedule(struct api_op *op);

static void on_timer(uv_timer_t *t)
{
	schedule(t->data);
}

static void op_wait(struct api_op *op, uint64_t ms)
{
	if (!op->timer)
		op->timer = loop_timer_new(&op->a->loop->uv, op);
	uv_timer_start(op->timer, on_timer, ms, 0);
}

static void clear_result(struct api_result *res)
{
	switch (res->call) {
	case API_QUEUE_FETCH:
	case API_QUEUE_UPDATE:
	case API_READY:
		tq_task_queue_clear(&res->u.queue);
		break;
	case API_STATISTICS:
		tq_statistics_clear(&res->u.statistics);
		break;
	case API_CUMULATIVE:
		tq_cumulative_stats_clear(&res->u.cumulative);
		break;
	case API_REALTIME:
		tq_realtime_stats_clear(&res->u.realtime);
		break;
	case API_ACTIVITIES:
		tq_activity_list_clear(&res->u.activities);
		break;
	case API_WORKERS:
		tq_worker_list_clear(&res->u.workers);
		break;
	case API_QUEUE_DELETE:
	case API__COUNT:
		break;
	}
	apierr_clear(&res->err);
}

static void deliver(struct api_op *op, struct api_result *res)
{
	struct api *a = op->a;

	a->ops[op->call] = NULL;
	res->attempts = op->attempt + 1;
	if (res->err.kind == APIERR_NONE && a->st->backoff.rate_limited &&
	    uv_now(&a->loop->uv) >= a->hold_until) {
		a->st->backoff.rate_limited = false;
		state_dirty(a->st, DIRTY_BACKOFF);
		log_info("api: no longer rate limited");
	}
	op->cb(op->ud, res);
	clear_result(res);
	op_free(op);
}

static bool parse_payload(enum api_call call, yajl_val v, struct api_result *res, char **err)
{
	switch (call) {
	case API_QUEUE_FETCH:
	case API_QUEUE_UPDATE:
	case API_READY:
		return tq_task_queue_from_json(v, &res->u.queue, err);
	case API_STATISTICS:
		return tq_statistics_from_json(v, &res->u.statistics, err);
	case API_CUMULATIVE:
		return tq_cumulative_stats_from_json(v, &res->u.cumulative, err);
	case API_REALTIME:
		return tq_realtime_stats_from_json(v, &res->u.realtime, err);
	case API_ACTIVITIES:
		return tq_activity_list_from_json(v, &res->u.activities, err);
	case API_WORKERS:
		return tq_worker_list_from_json(v, &res->u.workers, err);
	case API_QUEUE_DELETE:
	case API__COUNT:
		break;
	}
	return true;
}

/* A 2xx answer: the model, or why it cannot be read. */
static bool parse_ok(struct api_op *op, const struct buf *body, struct api_result *res,
		     char **err)
{
	yajl_val tree = NULL, payload = NULL;
	bool ok;

	if (op->call == API_QUEUE_DELETE)
		return true;
	if (uses_tunnel(op->a, op->call)) {
		if (!tunnel_unwrap(body->data ? body->data : "", body->len, &tree, &payload,
				   NULL, err))
			return false;
	} else {
		char *perr = NULL;
		tree = json_parse(body->data ? body->data : "", body->len, &perr);
		if (!tree) {
			*err = xasprintf("malformed answer: %s", perr ? perr : "not JSON");
			free(perr);
			return false;
		}
		payload = tree;
	}
	ok = parse_payload(op->call, payload, res, err);
	yajl_tree_free(tree);
	return ok;
}

static void error_from_body(struct apierr *e, long status, const struct buf *body)
{
	struct tq_twilio_error te;
	char *perr = NULL;

	memset(&te, 0, sizeof te);
	if (body->len && tq_twilio_error_parse(body->data, body->len, &te, &perr) &&
	    (te.code.st == TQ_SET || te.message.st == TQ_SET)) {
		apierr_set(e, APIERR_TWILIO, (int)status, te.code.st == TQ_SET ? te.code.v : 0,
			   "%s", te.message.st == TQ_SET ? te.message.v : "(no message)");
		if (te.more_info.st == TQ_SET)
			e->more_info = xstrdup(te.more_info.v);
	} else {
		apierr_set(e, APIERR_HTTP, (int)status, 0, "no Twilio error in the body");
	}
	free(perr);
	tq_twilio_error_clear(&te);
}

/* The path and query of a list's next page, when it is one of ours: an
 * absolute URL must be on the same host we asked (the credentials go
 * there), and the path must be the same list. */
static char *page_path(const struct api *a, const char *next, const char *list_path)
{
	const char *p = next;
	const char *base = uses_tunnel(a, API_ACTIVITIES) ? TASKROUTER_API_BASE : a->api_base;

	if (strstr(next, "://")) {
		size_t bl = strlen(base);
		while (bl && base[bl - 1] == '/')
			bl--;
		if (strncmp(next, base, bl) != 0 || next[bl] != '/')
			return NULL;
		p = next + bl;
	}
	size_t ll = strlen(list_path);
	if (strncmp(p, list_path, ll) != 0 || (p[ll] != '?' && p[ll] != '\0'))
		return NULL;
	return xstrdup(p);
}

/* A page of Activities arrived: keep its items, and ask for the next one
 * (true) or hand over the whole list (false, res holds it). */
static bool next_page(struct api_op *op, struct api_result *res)
{
	struct tq_activity_list *l = &res->u.activities, *acc = &op->acc;
	char *path = call_path(op->a, op->call), *next = NULL;

	acc->items = xreallocarray(acc->items, acc->n + l->n, sizeof *acc->items);
	memcpy(acc->items + acc->n, l->items, l->n * sizeof *l->items);
	acc->n += l->n;
	free(l->items);
	l->items = NULL;
	l->n = 0;
	op->pages++;
	if (l->meta.next_page_url.st == TQ_SET && *l->meta.next_page_url.v) {
		next = page_path(op->a, l->meta.next_page_url.v, path);
		if (!next)
			log_warn("api: activities: next_page_url is not this list on this host; "
				 "keeping %zu activities", acc->n);
		else if (op->pages >= ACTIVITY_MAX_PAGES)
			log_warn("api: activities: more than %u pages; keeping the first %zu",
				 ACTIVITY_MAX_PAGES, acc->n);
	}
	free(path);
	if (!next || op->pages >= ACTIVITY_MAX_PAGES) {
		free(next);
		/* The whole list, with the last page's meta. */
		l->items = acc->items;
		l->n = acc->n;
		acc->items = NULL;
		acc->n = 0;
		return false;
	}
	free(op->page);
	op->page = next;
	op->attempt = 0;
	log_debug("api: activities: %zu so far, next page", acc->n);
	tq_activity_list_clear(l);
	schedule(op);
	return true;
}

static void on_http(void *ud, struct http_resp *resp)
{
	struct api_op *op = ud;
	struct api *a = op->a;
	struct api_result res;
	enum retry_verdict verdict = RETRY_NO;
	const char *method = calls[op->call].method;
	double retry_after = resp->retry_after;
	bool throttled = false;

	op->req = NULL;
	memset(&res, 0, sizeof res);
	res.call = op->call;
	if (resp->canceled) {
		apierr_set(&res.err, APIERR_CANCELED, 0, 0, "canceled");
		deliver(op, &res);
		return;
	}
	if (resp->status == 0 && resp->tls_unverified) {
		/* Retrying cannot cure a certificate: say what to do, once. */
		bool tunnel = uses_tunnel(a, op->call);
		char *host = http_url_host(tunnel ? a->bridge_base : a->api_base);
		char *msg = http_tls_unverified_text(host, a->ca_file, resp->error);
		apierr_set(&res.err, APIERR_TRANSPORT, 0, 0, "%s", msg);
		if (!a->tls_error[tunnel]) {
			a->tls_error[tunnel] = xstrdup(msg);
			log_error("api: %s; no more requests to %s", msg, host);
		}
		free(msg);
		free(host);
		deliver(op, &res);
		return;
	}
	if (resp->status == 0) {
		if (resp->timed_out)
			apierr_set(&res.err, APIERR_TRANSPORT, 0, 0, "timed out after %.1f s",
				   resp->total_s);
		else
			apierr_set(&res.err, APIERR_TRANSPORT, 0, 0, "%s",
				   resp->error ? resp->error : "no answer");
		verdict = retry_decide(method, 0, true, resp->not_sent);
	} else if (resp->status >= 200 && resp->status <= 299) {
		char *err = NULL;
		if (!parse_ok(op, &resp->body, &res, &err)) {
			clear_result(&res);
			res.call = op->call;
			apierr_set(&res.err, APIERR_PARSE, (int)resp->status, 0, "%s", err);
			free(err);
			/* A broken GET answer is worth another try; a write was applied. */
			verdict = strcmp(method, "GET") == 0 ? RETRY_YES : RETRY_NO;
		}
	} else {
		error_from_body(&res.err, resp->status, &resp->body);
		if (resp->status == 401 && uses_tunnel(a, op->call) && a->on_token_refused)
			a->on_token_refused(a->hook_ud);
		if (resp->status == 429) {
			throttled = true;
			a->st->backoff.throttled++;
		}
		verdict = retry_decide(method, resp->status, false, false);
	}

	if (res.err.kind == APIERR_NONE) {
		backoff_ok(&a->res[op->call]);
		if (op->call == API_ACTIVITIES && next_page(op, &res))
			return;
		deliver(op, &res);
		return;
	}
	char *text = apierr_text(&res.err);
	struct backoff *bo = &a->res[op->call];
	uint64_t now = uv_now(&a->loop->uv);
	int64_t ms = 0;
	/* The server (or the way to it) is struggling: this resource backs
	 * off across requests, not only within this one. */
	bool transient = resp->status == 0 || resp->status >= 500 || throttled ||
			 res.err.kind == APIERR_PARSE;
	if (transient)
		ms = backoff_fail(bo, retry_after, retry_jitter(), (int64_t)now);
	else
		backoff_ok(bo);
	if (throttled) {
		/* Retry-After is honoured whether or not a retry remains: no
		 * request of any kind goes before it has passed. */
		if (now + (uint64_t)ms > a->hold_until)
			a->hold_until = now + (uint64_t)ms;
		a->st->backoff.rate_limited = true;
		a->st->backoff.until_ms = state_now_ms() + (int64_t)(a->hold_until - now);
		a->st->backoff.last_retry_after = retry_after;
		if (retry_after >= 0)
			log_warn("api: %s: rate limited (%s); holding every request for %.1f s "
				 "(Retry-After: %g s)", calls[op->call].name, text,
				 (double)ms / 1000.0, retry_after);
		else
			log_warn("api: %s: rate limited (%s); holding every request for %.1f s",
				 calls[op->call].name, text, (double)ms / 1000.0);
		state_dirty(a->st, DIRTY_BACKOFF);
	}
	if (verdict == RETRY_YES && backoff_retry_within(bo, op->attempt)) {
		op->attempt++;
		a->st->backoff.retries++;
		log_info("api: %s: %s; retry %u/%u in %.1f s", calls[op->call].name, text,
			 op->attempt, RETRY_MAX_ATTEMPTS - 1, (double)ms / 1000.0);
		if (op->slot) {
			op->slot->attempt = op->attempt;
			op->slot->retry_at_ms = state_now_ms() + ms;
		}
		state_dirty(a->st, DIRTY_BACKOFF);
		free(text);
		apierr_clear(&res.err);
		op_wait(op, (uint64_t)ms);
		return;
	}
	if (transient && verdict == RETRY_YES)
		log_warn("api: %s: %s; %u failure%s in a row, next try in %.1f s at the earliest",
			 calls[op->call].name, text, bo->streak, bo->streak == 1 ? "" : "s",
			 (double)ms / 1000.0);
	else
		log_warn("api: %s: %s", calls[op->call].name, text);
	free(text);
	deliver(op, &res);
}

static void send_op(struct api_op *op)
{
	struct api *a = op->a;
	struct http_opts o;
	char *url, *body = NULL, *path = call_path(a, op->call);
	const char *method = calls[op->call].method;

	memset(&o, 0, sizeof o);
	o.connect_timeout_ms = a->connect_timeout_ms;
	o.timeout_ms = a->timeout_ms;
	if (uses_tunnel(a, op->call)) {
		/* A next page goes as its URL, query and all (as the SDK). */
		char *real = xasprintf("%s%s", TASKROUTER_API_BASE, op->page ? op->page : path);
		url = channel_url(a, a->bridge_base);
		body = tunnel_envelope(real, method, op->page ? NULL : op->params,
				       op->page ? 0 : op->n_params, a->tok->raw,
				       op->call == API_READY ? "ready" : NULL);
		o.method = "POST";
		o.body = body;
		o.body_len = strlen(body);
		o.content_type = "text/plain;charset=UTF-8";
		log_debug("api: %s %s via the tunnel%s", method, real,
			  op->attempt ? " (retry)" : "");
		free(real);
	} else {
		o.method = method;
		o.user = a->user;
		o.password = a->password;
		if (strcmp(method, "POST") == 0) {
			url = api_url(a->api_base, path, NULL, 0);
			body = form_encode(op->params, op->n_params);
			o.body = body;
			o.body_len = strlen(body);
			o.content_type = "application/x-www-form-urlencoded";
		} else if (op->page) {
			url = api_url(a->api_base, op->page, NULL, 0);
		} else {
			url = api_url(a->api_base, path, op->params, op->n_params);
		}
		log_debug("api: %s %s%s", method, url, op->attempt ? " (retry)" : "");
	}
	o.url = url;
	a->st->backoff.requests++;
	if (op->slot)
		op->slot->retry_at_ms = 0;
	op->req = http_start(a->http, &o, on_http, op);
	free(url);
	free(body);
	free(path);
}

static void schedule(struct api_op *op)
{
	struct api *a = op->a;
	uint64_t now = uv_now(&a->loop->uv);
	int64_t wait;
	struct api_result res;

	memset(&res, 0, sizeof res);
	res.call = op->call;
	if (!token_alive(a, op->call, &res.err)) {
		deliver(op, &res);
		return;
	}
	if (a->hold_until > now) {
		op_wait(op, a->hold_until - now);
		return;
	}
	wait = backoff_wait(&a->res[op->call], (int64_t)now);
	if (wait > 0) {
		op_wait(op, (uint64_t)wait);
		return;
	}
	if (op->call == API_WORKERS) {
		wait = budget_take(&a->workers_budget, (int64_t)now);
		if (wait > 0) {
			a->st->backoff.delayed_budget++;
			op_wait(op, (uint64_t)wait);
			return;
		}
	}
	wait = budget_take(&a->budget, (int64_t)now);
	if (wait > 0) {
		a->st->backoff.delayed_budget++;
		log_debug("api: %s: request budget spent, waiting %lld ms",
			  calls[op->call].name, (long long)wait);
		op_wait(op, (uint64_t)wait);
		return;
	}
	send_op(op);
}

enum api_submit api_call(struct api *a, enum api_call call, const struct tq_param *params,
			 size_t n_params, api_cb cb, void *ud, struct apierr *err)
{
	struct api_op *op;
	struct tq_param *all;
	size_t n = n_params;
	bool page_size = false;

	if (a->ops[call]) {
		a->st->backoff.skipped_busy++;
		return API_BUSY;
	}
	/* Lists come in one page as large as TaskRouter allows. */
	all = xcalloc(n_params + 1, sizeof *all);
	for (size_t i = 0; i < n_params; i++) {
		all[i] = params[i];
		page_size |= strcmp(params[i].key, "PageSize") == 0;
	}
	if ((call == API_ACTIVITIES || call == API_WORKERS) && !page_size)
		all[n++] = (struct tq_param){ "PageSize", "1000" };
	if (a->tls_error[uses_tunnel(a, call)]) {
		apierr_set(err, APIERR_TRANSPORT, 0, 0, "%s", a->tls_error[uses_tunnel(a, call)]);
		free(all);
		return API_REFUSED;
	}
	if (!check_allowed(a, call, all, n, err) || !token_alive(a, call, err)) {
		free(all);
		return API_REFUSED;
	}
	op = xcalloc(1, sizeof *op);
	op->a = a;
	op->call = call;
	op->cb = cb;
	op->ud = ud;
	op->n_params = n;
	op->params = all;
	for (size_t i = 0; i < n; i++) {
		all[i].key = xstrdup(all[i].key);
		all[i].value = xstrdup(all[i].value);
	}
	op->slot = slot_for(a->st, call);
	if (op->slot) {
		op->slot->in_flight = true;
		op->slot->attempt = 0;
		op->slot->requested_ms = state_now_ms();
	}
	a->ops[call] = op;
	schedule(op);
	return API_ACCEPTED;
}
