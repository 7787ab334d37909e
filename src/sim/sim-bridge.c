#include "config.h"
#include "sim-bridge.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libwebsockets.h>

#include "buf.h"
#include "json.h"
#include "log.h"
#include "sim-render.h"
#include "sim-rest.h"
#include "sim-server.h"
#include "token.h"
#include "xalloc.h"

#define CLOSE_TOKEN_EXPIRED 4001
/* lws's internal LWS_WRITE_CLOSE (the public enum leaves its slot, 4,
 * unnamed: "handled by lws_close_reason()"). */
#define LWS_WRITE_CLOSE_OPCODE 4

struct frame {
	struct frame *next;
	size_t len;
	unsigned char data[];		/* LWS_PRE bytes of headroom, then the text */
};

struct bridge_sock {
	struct bridge_sock *prev, *next;
	struct lws *wsi;
	char *account;
	char *channel;
	int64_t exp;			/* token exp, Unix seconds */
	bool has_exp;
	struct frame *head, *tail;
	int close_code;			/* > 0: close on the next writeable */
	char *close_reason;
	bool close_sent;
	int peer_code;			/* > 0: the client closed with this code */
	char *target;			/* "PATH?QUERY" for the log, token redacted */
	uint64_t opened_ns;		/* uv_hrtime() at the handshake */
};

struct sim_bridge {
	struct bridge_sock *socks;
	size_t n;
};

struct sim_bridge *bridge_new(void)
{
	return xcalloc(1, sizeof(struct sim_bridge));
}

void bridge_free(struct sim_bridge **pb)
{
	struct sim_bridge *b = *pb;

	if (!b)
		return;
	/* lws closes every socket when the context goes; any left here were
	 * never reported closed, so only their memory remains. */
	while (b->socks) {
		struct bridge_sock *s = b->socks;
		b->socks = s->next;
		while (s->head) {
			struct frame *f = s->head;
			s->head = f->next;
			free(f);
		}
		free(s->account);
		free(s->channel);
		free(s->close_reason);
		free(s->target);
		free(s);
	}
	free(b);
	*pb = NULL;
}

bool bridge_owns(const char *path)
{
	return strncmp(path, "/v1/wschannels/", 15) == 0;
}

/* "/v1/wschannels/AC/CH" -> account and channel (caller frees). */
static bool split_channel_path(const char *path, char **account, char **channel)
{
	const char *a, *slash;

	if (!bridge_owns(path))
		return false;
	a = path + 15;
	slash = strchr(a, '/');
	if (!slash || slash == a || !slash[1] || strchr(slash + 1, '/'))
		return false;
	*account = xstrndup(a, (size_t)(slash - a));
	*channel = xstrdup(slash + 1);
	return true;
}

enum token_time bridge_token_time(const struct tq_token *t, int64_t now)
{
	enum token_time tt = token_check_time(t, (time_t)now);

	/* No grace after exp: a socket is closed the moment exp passes
	 * (bridge_tick), so neither a handshake nor a tunnelled request may
	 * still get in then.  nbf keeps the core's clock-skew allowance. */
	if (tt == TOKEN_TIME_VALID && now >= t->exp)
		return TOKEN_TIME_EXPIRED;
	return tt;
}

/* Verifies a capability token for method on the channel; 0 when allowed,
 * else the status to answer with and *why. */
static int check_token(struct sim_app *app, const char *jwt, const char *account, const char *channel,
		       const char *method, struct tq_token **out, char **why)
{
	char *err = NULL, *url;
	struct tq_token *t;

	*out = NULL;
	if (!jwt || !*jwt) {
		/* The websocket handshake (GET) carries it in the query, the
		 * tunnel (POST) in its JSON envelope. */
		*why = xstrdup(strcmp(method, "GET") == 0 ?
			       "no token: pass the capability token in the URL as ?token=JWT" :
			       "no token: put the capability token in the JSON body as \"token\": \"JWT\"");
		return 403;
	}
	t = token_decode(jwt, &err);
	if (!t) {
		*why = err;
		return 403;
	}
	if (!token_verify(t, app->auth_token)) {
		*why = xasprintf("token signature does not verify (alg %s)", t->alg ? t->alg : "?");
		token_free(&t);
		return 403;
	}
	switch (bridge_token_time(t, time(NULL))) {
	case TOKEN_TIME_VALID:
		break;
	case TOKEN_TIME_EXPIRED:
		*why = xstrdup("token expired");
		token_free(&t);
		return 401;
	case TOKEN_TIME_NOT_YET:
		*why = xstrdup("token not valid yet (nbf)");
		token_free(&t);
		return 403;
	case TOKEN_TIME_NO_EXP:
		*why = xstrdup("token has no exp claim");
		token_free(&t);
		return 403;
	}
	if (!t->account_sid || strcmp(t->account_sid, account) != 0 ||
	    strcmp(account, app->engine->account_sid) != 0) {
		*why = xasprintf("token is for account %s, channel path names %s",
				 t->account_sid ? t->account_sid : "(none)", account);
		token_free(&t);
		return 403;
	}
	url = xasprintf("%s/v1/wschannels/%s/%s", EVENT_BRIDGE_BASE, account, channel);
	if (!token_may(t, method, url)) {
		*why = xasprintf("token has no %s policy for the channel %s", method, channel);
		free(url);
		token_free(&t);
		return 403;
	}
	free(url);
	*out = t;
	return 0;
}

int bridge_ws_check(struct sim_app *app, struct lws *wsi, char **why)
{
	struct url_params q = { NULL, 0, 0 };
	char *path = NULL, *account = NULL, *channel = NULL;
	struct tq_token *t = NULL;
	int status;

	server_read_uri(wsi, &path, &q);
	if (!split_channel_path(path, &account, &channel)) {
		*why = xstrdup("not a channel URL: /v1/wschannels/{AccountSid}/{ChannelId}");
		status = 404;
	} else {
		status = check_token(app, url_params_get(&q, "token"), account, channel, "GET", &t, why);
	}
	token_free(&t);
	free(account);
	free(channel);
	free(path);
	url_params_free(&q);
	return status;
}

static void sock_close(struct bridge_sock *s, int code, const char *reason)
{
	if (s->close_code)
		return;
	s->close_code = code;
	s->close_reason = xstrdup(reason);
	lws_callback_on_writable(s->wsi);
}

struct bridge_sock *bridge_ws_open(struct sim_app *app, struct lws *wsi)
{
	struct url_params q = { NULL, 0, 0 };
	char *path = NULL, *account = NULL, *channel = NULL, *why = NULL;
	struct tq_token *t = NULL;
	struct bridge_sock *s = NULL;
	const char *close_existing;

	server_read_uri(wsi, &path, &q);
	if (!split_channel_path(path, &account, &channel) ||
	    check_token(app, url_params_get(&q, "token"), account, channel, "GET", &t, &why) != 0) {
		free(account);
		free(channel);
		goto out;
	}
	close_existing = url_params_get(&q, "closeExistingSessions");
	if (close_existing && strcmp(close_existing, "true") == 0)
		for (struct bridge_sock *o = app->bridge->socks; o; o = o->next)
			if (strcmp(o->channel, channel) == 0)
				sock_close(o, 1000, "closed by a newer session");
	s = xcalloc(1, sizeof *s);
	s->wsi = wsi;
	s->account = account;
	s->channel = channel;
	s->target = server_log_target(path, &q);
	s->opened_ns = uv_hrtime();
	s->exp = t->exp;
	s->has_exp = t->has_exp;
	s->next = app->bridge->socks;
	if (s->next)
		s->next->prev = s;
	app->bridge->socks = s;
	app->bridge->n++;
	log_info("bridge: socket open on channel %s, token expires in %llds", channel,
		 (long long)token_seconds_left(t, time(NULL)));
out:
	free(why);
	token_free(&t);
	free(path);
	url_params_free(&q);
	return s;
}

static void enqueue(struct bridge_sock *s, const char *text, size_t len)
{
	struct frame *f = xmalloc(sizeof *f + LWS_PRE + len);

	f->next = NULL;
	f->len = len;
	memcpy(f->data + LWS_PRE, text, len);
	if (s->tail)
		s->tail->next = f;
	else
		s->head = f;
	s->tail = f;
	lws_callback_on_writable(s->wsi);
}

int bridge_ws_writeable(struct sim_app *app, struct bridge_sock *s)
{
	struct frame *f = s->head;

	(void)app;
	if (s->close_sent)
		return -1;
	if (s->close_code) {
		/* lws_close_reason() + return -1 loses the close frame on lws
		 * 4.1's libuv event lib, so the frame (opcode 8, LWS_WRITE_CLOSE
		 * inside lws) is written here and the socket closed once it is
		 * out. */
		size_t n = strlen(s->close_reason);
		unsigned char *buf = xmalloc(LWS_PRE + 2 + n);
		buf[LWS_PRE] = (unsigned char)(s->close_code >> 8);
		buf[LWS_PRE + 1] = (unsigned char)(s->close_code & 0xff);
		memcpy(buf + LWS_PRE + 2, s->close_reason, n);
		lws_write(s->wsi, buf + LWS_PRE, 2 + n, (enum lws_write_protocol)LWS_WRITE_CLOSE_OPCODE);
		free(buf);
		s->close_sent = true;
		lws_callback_on_writable(s->wsi);
		return 0;
	}
	if (!f)
		return 0;
	s->head = f->next;
	if (!s->head)
		s->tail = NULL;
	if (lws_write(s->wsi, f->data + LWS_PRE, f->len, LWS_WRITE_TEXT) < (int)f->len) {
		free(f);
		return -1;
	}
	free(f);
	if (s->head)
		lws_callback_on_writable(s->wsi);
	return 0;
}

void bridge_ws_closed(struct sim_app *app, struct bridge_sock *s)
{
	struct sim_bridge *b = app->bridge;

	if (s->prev)
		s->prev->next = s->next;
	else
		b->socks = s->next;
	if (s->next)
		s->next->prev = s->prev;
	b->n--;
	while (s->head) {
		struct frame *f = s->head;
		s->head = f->next;
		free(f);
	}
	/* One line per socket at its end, with how long it lived. */
	if (s->close_code)
		log_info("WS %s closed %d by tqsim (%s) after %.3fs", s->target, s->close_code, s->close_reason,
			 (double)(uv_hrtime() - s->opened_ns) / 1e9);
	else if (s->peer_code)
		log_info("WS %s closed %d by the client after %.3fs", s->target, s->peer_code,
			 (double)(uv_hrtime() - s->opened_ns) / 1e9);
	else
		log_info("WS %s connection lost after %.3fs", s->target, (double)(uv_hrtime() - s->opened_ns) / 1e9);
	free(s->account);
	free(s->channel);
	free(s->close_reason);
	free(s->target);
	free(s);
}

void bridge_ws_peer_close(struct bridge_sock *s, const unsigned char *payload, size_t len)
{
	s->peer_code = len >= 2 ? payload[0] << 8 | payload[1] : 1005;
}

void bridge_push(struct sim_app *app, const char *channel, const char *event_type, const char *payload, size_t len)
{
	struct buf b = BUF_INIT;
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *et;
	size_t etlen;

	json_gen_str(g, event_type);
	yajl_gen_get_buf(g, &et, &etlen);
	buf_puts(&b, "{\"event_type\":");
	buf_append(&b, et, etlen);
	buf_puts(&b, ",\"payload\":");
	buf_append(&b, payload, len);
	buf_putc(&b, '}');
	yajl_gen_free(g);
	for (struct bridge_sock *s = app->bridge->socks; s; s = s->next)
		if (!s->close_code && strcmp(s->channel, channel) == 0)
			enqueue(s, b.data, b.len);
	buf_free(&b);
}

void bridge_heartbeat(struct sim_app *app)
{
	for (struct bridge_sock *s = app->bridge->socks; s; s = s->next)
		if (!s->close_code)
			enqueue(s, " ", 1);
}

void bridge_drop_all(struct sim_app *app, int code, const char *reason)
{
	for (struct bridge_sock *s = app->bridge->socks; s; s = s->next)
		sock_close(s, code, reason);
}

void bridge_tick(struct sim_app *app, int64_t now)
{
	/* The same rule as bridge_token_time(): expired once now >= exp. */
	for (struct bridge_sock *s = app->bridge->socks; s; s = s->next)
		if (s->has_exp && now >= s->exp)
			sock_close(s, CLOSE_TOKEN_EXPIRED, "token expired");
}

int64_t bridge_next_expiry(const struct sim_app *app)
{
	int64_t next = INT64_MAX;

	for (const struct bridge_sock *s = app->bridge ? app->bridge->socks : NULL; s; s = s->next)
		if (s->has_exp && !s->close_code && s->exp < next)
			next = s->exp;
	return next;
}

size_t bridge_count(const struct sim_app *app)
{
	return app->bridge ? app->bridge->n : 0;
}

/* ---- the HTTP tunnel ------------------------------------------------------- */

/* A params value as TaskRouter.js sends it: strings as they are, other
 * JSON values as their JSON text (the SDK stringifies nested objects). */
static char *param_text(yajl_val v)
{
	if (YAJL_IS_STRING(v))
		return xstrdup(v->u.string);
	if (YAJL_IS_NULL(v))
		return xstrdup("");
	return render_tree_text(v);
}

static void wrap_payload(struct sim_resp *resp, const struct sim_resp *inner, yajl_val event_type)
{
	struct buf b = BUF_INIT;
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *et;
	size_t etlen;

	if (event_type && YAJL_IS_STRING(event_type))
		json_gen_str(g, event_type->u.string);
	else
		yajl_gen_null(g);
	yajl_gen_get_buf(g, &et, &etlen);
	buf_puts(&b, "{\"event_type\":");
	buf_append(&b, et, etlen);
	buf_puts(&b, ",\"payload\":");
	if (inner->body.len)
		buf_append(&b, inner->body.data, inner->body.len);
	else
		buf_puts(&b, "null");
	buf_putc(&b, '}');
	yajl_gen_free(g);
	buf_free(&resp->body);
	resp->body = b;
	resp->status = 200;
	resp->json = true;
}

void bridge_tunnel(struct sim_app *app, const struct sim_req *req, struct sim_resp *resp)
{
	char *account = NULL, *channel = NULL, *why = NULL, *err = NULL;
	yajl_val root = NULL, url, method, params, jwt, event_type;
	struct tq_token *t = NULL;
	struct sim_req inner = { 0 };
	struct sim_resp iresp = { 0 };
	struct tq_param *tp = NULL;
	const char *u, *m, *q;
	size_t api_len = strlen(TASKROUTER_API_BASE);
	int status;

	if (!split_channel_path(req->path, &account, &channel)) {
		resp_error(resp, 404, TW_NOT_FOUND, "not a channel URL: /v1/wschannels/{AccountSid}/{ChannelId}");
		goto out;
	}
	if (strcmp(req->method, "POST") != 0) {
		resp_error(resp, 405, TW_METHOD, "the tunnel takes POST (websockets use GET with an Upgrade)");
		goto out;
	}
	root = json_parse(req->body.data ? req->body.data : "", req->body.len, &err);
	if (!root || !YAJL_IS_OBJECT(root)) {
		resp_error(resp, 400, TW_INVALID, "tunnel body must be a JSON object {url, method, params, token}%s%s",
			   err ? ": " : "", err ? err : "");
		goto out;
	}
	url = json_get(root, "url");
	method = json_get(root, "method");
	params = json_get(root, "params");
	jwt = json_get(root, "token");
	event_type = json_get(root, "event_type");
	status = check_token(app, jwt && YAJL_IS_STRING(jwt) ? jwt->u.string : NULL, account, channel, "POST", &t, &why);
	if (status) {
		resp_error(resp, status, TW_AUTH, "%s", why);
		goto out;
	}
	if (!url || !YAJL_IS_STRING(url)) {
		resp_error(resp, 400, TW_INVALID, "tunnel body: \"url\" is required (a TaskRouter URL)");
		goto out;
	}
	m = method && YAJL_IS_STRING(method) ? method->u.string : "GET";
	if (strcmp(m, "GET") && strcmp(m, "POST") && strcmp(m, "DELETE")) {
		resp_error(resp, 400, TW_INVALID, "tunnel body: \"method\" must be GET, POST or DELETE, not %s", m);
		goto out;
	}
	if (params && !YAJL_IS_NULL(params) && !YAJL_IS_OBJECT(params)) {
		resp_error(resp, 400, TW_INVALID, "tunnel body: \"params\" must be an object");
		goto out;
	}
	u = url->u.string;
	q = strchr(u, '?');
	inner.method = xstrdup(m);
	inner.path = q ? xstrndup(u, (size_t)(q - u)) : xstrdup(u);
	if (q)
		url_params_parse(&inner.query, q + 1, strlen(q + 1));
	for (size_t i = 0; params && YAJL_IS_OBJECT(params) && i < params->u.object.len; i++) {
		char *v = param_text(params->u.object.values[i]);
		const char *k = params->u.object.keys[i];
		url_params_add(strcmp(m, "POST") == 0 ? &inner.form : &inner.query, k, strlen(k), v, strlen(v));
		free(v);
	}
	/* Policies see the URL without its query; query and form params are
	 * checked against the filters. */
	const struct url_params *pp = strcmp(m, "POST") == 0 ? &inner.form : &inner.query;
	tp = xcalloc(pp->n + 1, sizeof *tp);
	for (size_t i = 0; i < pp->n; i++)
		tp[i] = (struct tq_param){ pp->v[i].key, pp->v[i].value };
	if (!token_may_params(t, m, inner.path, tp, pp->n)) {
		resp_error(resp, 403, TW_AUTH, "token does not allow %s %s", m, inner.path);
		goto out;
	}
	if (strncmp(inner.path, TASKROUTER_API_BASE, api_len) != 0 || !rest_owns(inner.path + api_len)) {
		resp_error(resp, 404, TW_NOT_FOUND, "tunnelled url %s is not a TaskRouter URL", inner.path);
		goto out;
	}
	memmove(inner.path, inner.path + api_len, strlen(inner.path + api_len) + 1);
	inner.base_url = xstrdup(TASKROUTER_API_BASE);
	inner.tunnelled = true;
	counters_add_path(&app->counters, inner.path);
	rest_handle(app, &inner, &iresp);
	/* A tunnelled 429 keeps its Retry-After; the X-Rate-Limit-* headers
	 * belong to TaskRouter's own answers, not the bridge's. */
	resp->retry_after = iresp.retry_after;
	if (iresp.status >= 200 && iresp.status < 300) {
		wrap_payload(resp, &iresp, event_type);
	} else {
		buf_free(&resp->body);
		resp->body = iresp.body;
		iresp.body = (struct buf)BUF_INIT;
		resp->status = iresp.status;
		resp->json = true;
	}
out:
	free(tp);
	req_clear(&inner);
	resp_clear(&iresp);
	token_free(&t);
	free(why);
	free(err);
	free(account);
	free(channel);
	if (root)
		yajl_tree_free(root);
}
