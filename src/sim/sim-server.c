#include "config.h"
#include "sim-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libwebsockets.h>
#include <openssl/crypto.h>

#include "isotime.h"
#include "log.h"
#include "sim-bridge.h"
#include "sim-control.h"
#include "sim-rest.h"
#include "xalloc.h"

#define MAX_BODY (1 << 20)
#define CHUNK 16384
/* While the clock runs, the engine catches up at most this often (events
 * due sooner wait for the next wake-up, or for the next request, which
 * catches up first anyway). */
#define ENGINE_MIN_WAKE_MS 100

/* A delayed answer (latency fault): the timer outlives nothing it points
 * to, because closing the connection cancels it. */
struct delay {
	uv_timer_t timer;
	struct lws *wsi;
	struct pss *pss;
};

struct pss {
	/* HTTP */
	bool active;			/* a request is being handled */
	bool answered;			/* resp is ready to write */
	bool headers_sent;
	bool too_large;
	bool counted;			/* in counters (not /_tqsim) */
	bool tracked;			/* in in_flight (not /_tqsim) */
	size_t sent;
	uint64_t t0;			/* uv_hrtime() at arrival */
	struct sim_req req;
	struct sim_resp resp;
	char *authorization;		/* SECRET: never logged */
	bool loopback;
	struct delay *delay;
	/* websocket */
	struct bridge_sock *sock;
};

static struct sim_app *app_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

/* ---- request reading ---------------------------------------------------- */

static char *hdr(struct lws *wsi, enum lws_token_indexes h)
{
	int n = lws_hdr_total_length(wsi, h);
	char *s;

	if (n <= 0)
		return NULL;
	s = xmalloc((size_t)n + 1);
	if (lws_hdr_copy(wsi, s, n + 1, h) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

void server_read_uri(struct lws *wsi, char **path, struct url_params *query)
{
	int total = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS);
	static const enum lws_token_indexes uris[] = { WSI_TOKEN_GET_URI, WSI_TOKEN_POST_URI,
						       WSI_TOKEN_DELETE_URI, WSI_TOKEN_PUT_URI,
						       WSI_TOKEN_PATCH_URI, WSI_TOKEN_OPTIONS_URI,
						       WSI_TOKEN_HEAD_URI };

	*path = NULL;
	for (size_t i = 0; i < sizeof uris / sizeof uris[0] && !*path; i++)
		*path = hdr(wsi, uris[i]);
	if (!*path)
		*path = xstrdup("/");
	if (total > 0) {
		char *frag = xmalloc((size_t)total + 1);
		for (int i = 0;; i++) {
			int n = lws_hdr_copy_fragment(wsi, frag, total + 1, WSI_TOKEN_HTTP_URI_ARGS, i);
			char *eq;
			if (n < 0)
				break;
			/* lws has already decoded the escapes and split on '&'. */
			eq = strchr(frag, '=');
			if (eq)
				url_params_add(query, frag, (size_t)(eq - frag), eq + 1, strlen(eq + 1));
			else if (n > 0)
				url_params_add(query, frag, (size_t)n, "", 0);
		}
		free(frag);
	}
}

char *server_log_target(const char *path, const struct url_params *query)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, path);
	for (size_t i = 0; i < query->n; i++) {
		buf_putc(&b, i ? '&' : '?');
		buf_put_urlencoded(&b, query->v[i].key);
		buf_putc(&b, '=');
		if (strcasecmp(query->v[i].key, "token") == 0)
			buf_puts(&b, "[redacted]");
		else
			buf_put_urlencoded(&b, query->v[i].value);
	}
	return buf_steal(&b);
}

static const char *method_of(struct lws *wsi)
{
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI))
		return "GET";
	if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI))
		return "POST";
	if (lws_hdr_total_length(wsi, WSI_TOKEN_DELETE_URI))
		return "DELETE";
	if (lws_hdr_total_length(wsi, WSI_TOKEN_PUT_URI))
		return "PUT";
	if (lws_hdr_total_length(wsi, WSI_TOKEN_PATCH_URI))
		return "PATCH";
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HEAD_URI))
		return "HEAD";
	return "OPTIONS";
}

static bool peer_is_loopback(struct lws *wsi)
{
	char ip[64];

	if (!lws_get_peer_simple(wsi, ip, sizeof ip))
		return false;
	return strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0 || strncmp(ip, "::ffff:127.", 11) == 0;
}

/* ---- authentication -------------------------------------------------------- */

static bool secret_eq(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}

/* HTTP Basic with AccountSid:AuthToken or ApiKeySid:ApiSecret. */
static bool basic_auth_ok(const struct sim_app *app, const char *header)
{
	char *user, *secret;
	bool ok = false;

	if (!http_basic_credentials(header, &user, &secret))
		return false;
	if (strcmp(user, app->engine->account_sid) == 0)
		ok = secret_eq(secret, app->auth_token);
	else if (app->api_key && strcmp(user, app->api_key) == 0)
		ok = secret_eq(secret, app->api_secret);
	OPENSSL_cleanse(secret, strlen(secret));
	free(secret);
	free(user);
	return ok;
}

/* ---- answering ------------------------------------------------------------- */

static void break_body(struct sim_app *app, struct sim_resp *resp)
{
	static const char garbage[] = "<html><head><title>502 Bad Gateway</title></head>"
				      "<body>upstream sent an invalid response</body></html>";

	if (app->faults.malformed_garbage) {
		buf_reset(&resp->body);
		buf_puts(&resp->body, garbage);
		resp->json = false;
	} else {
		resp->body.len /= 2;
		resp->body.data[resp->body.len] = '\0';
	}
}

static void dispatch(struct sim_app *app, struct pss *pss)
{
	struct sim_req *req = &pss->req;
	struct sim_resp *resp = &pss->resp;
	struct sim_faults *f = &app->faults;

	app_sync(app);
	if (control_owns(req->path)) {
		if (!pss->loopback)
			resp_error(resp, 403, TW_AUTH, "the control endpoint is for loopback clients only");
		else
			control_handle(app, req, resp);
		return;
	}
	pss->counted = true;
	app->counters.total++;
	counters_add_path(&app->counters, req->path);
	if (pss->too_large) {
		resp_error(resp, 413, TW_INVALID, "request body larger than %d bytes", MAX_BODY);
	} else if (f->throttle > 0) {
		f->throttle--;
		resp_error(resp, 429, TW_TOO_MANY, "Too Many Requests");
		resp->retry_after = (int)f->retry_after;
	} else if (f->error_rate > 0 && rng_unit(&app->fault_rng) < f->error_rate) {
		resp_error(resp, f->error_status, 20000 + f->error_status, "Service error injected by tqsim");
	} else if (bridge_owns(req->path)) {
		bridge_tunnel(app, req, resp);
	} else if (rest_owns(req->path)) {
		if (!basic_auth_ok(app, pss->authorization)) {
			resp_error(resp, 401, TW_AUTH, "Authenticate");
			resp->www_authenticate = true;
		} else {
			rest_handle(app, req, resp);
		}
	} else {
		resp_error(resp, 404, TW_NOT_FOUND, "The requested resource %s was not found", req->path);
	}
	if (f->malformed > 0 && resp->body.len) {
		f->malformed--;
		break_body(app, resp);
	}
}

static void delay_closed(uv_handle_t *h)
{
	free(h->data);
}

static void delay_fired(uv_timer_t *t)
{
	struct delay *d = t->data;

	d->pss->delay = NULL;
	lws_callback_on_writable(d->wsi);
	uv_close((uv_handle_t *)&d->timer, delay_closed);
}

static void cancel_delay(struct pss *pss)
{
	if (!pss->delay)
		return;
	uv_timer_stop(&pss->delay->timer);
	uv_close((uv_handle_t *)&pss->delay->timer, delay_closed);
	pss->delay = NULL;
}

static int write_response(struct sim_app *app, struct lws *wsi, struct pss *pss);

/* Answers at once when there is no delay: writing from the HTTP callback
 * itself saves a loop turn and two epoll_ctl calls per request (lws queues
 * what the socket does not take); bodies larger than a chunk continue in
 * writeable callbacks.  Returns what the lws callback must return. */
static int request_complete(struct sim_app *app, struct lws *wsi, struct pss *pss)
{
	struct sim_req *req = &pss->req;

	req_parse_body(req);
	dispatch(app, pss);
	/* A request may have resumed the clock, scheduled events, set faults. */
	server_rearm(app);
	pss->answered = true;
	if (pss->counted && app->faults.latency_ms > 0) {
		struct delay *d = xcalloc(1, sizeof *d);
		d->wsi = wsi;
		d->pss = pss;
		d->timer.data = d;
		uv_timer_init(app->loop, &d->timer);
		/* "at least latency_ms": the loop's cached clock may be from
		 * before this request came in, and it counts whole ms, so a
		 * timer from it could fire up to a few ms early. */
		uv_update_time(app->loop);
		uv_timer_start(&d->timer, delay_fired, (uint64_t)app->faults.latency_ms + 1, 0);
		pss->delay = d;
		return 0;
	}
	return write_response(app, wsi, pss);
}

static void request_end(struct sim_app *app, struct pss *pss)
{
	/* A connection that closes before its first request has no pss. */
	if (!pss || !pss->active)
		return;
	cancel_delay(pss);
	if (pss->tracked)
		app->counters.in_flight--;
	req_clear(&pss->req);
	resp_clear(&pss->resp);
	if (pss->authorization) {
		OPENSSL_cleanse(pss->authorization, strlen(pss->authorization));
		XFREE(pss->authorization);
	}
	pss->active = pss->answered = pss->headers_sent = pss->too_large = pss->counted = false;
	pss->tracked = false;
	pss->sent = 0;
}

static int start_request(struct sim_app *app, struct lws *wsi, struct pss *pss, const char *path)
{
	char *host, *clen;

	request_end(app, pss);
	pss->active = true;
	pss->t0 = uv_hrtime();
	/* The control endpoint is not part of what tests measure. */
	pss->tracked = !control_owns(path);
	if (pss->tracked && ++app->counters.in_flight > app->counters.max_in_flight)
		app->counters.max_in_flight = app->counters.in_flight;
	pss->req.method = xstrdup(method_of(wsi));
	{
		char *p = NULL;
		server_read_uri(wsi, &p, &pss->req.query);
		free(p);
	}
	pss->req.path = xstrdup(path);
	host = hdr(wsi, WSI_TOKEN_HOST);
	pss->req.base_url = xasprintf("%s://%s", app->tls ? "https" : "http", host ? host : "127.0.0.1");
	free(host);
	pss->authorization = hdr(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	pss->loopback = peer_is_loopback(wsi);
	if (strcmp(pss->req.method, "POST") == 0) {
		clen = hdr(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
		bool wait_body = clen && atol(clen) > 0;
		if (clen && atol(clen) > MAX_BODY)
			pss->too_large = true;
		free(clen);
		if (wait_body && !pss->too_large)
			return 0;
	}
	return request_complete(app, wsi, pss);
}

static void log_request(struct pss *pss)
{
	char *target = server_log_target(pss->req.path, &pss->req.query);

	log_info("%s %s %d %.1fms", pss->req.method, target, pss->resp.status,
		 (double)(uv_hrtime() - pss->t0) / 1e6);
	free(target);
}

static int add_header(struct lws *wsi, const char *name, const char *value, unsigned char **p,
		      unsigned char *end)
{
	return lws_add_http_header_by_name(wsi, (const unsigned char *)name, (const unsigned char *)value,
					   (int)strlen(value), p, end);
}

/* X-Rate-Limit-Limit / -Remaining / -Config and the CORS headers, as the
 * spec declares them on every TaskRouter answer (the CORS values are
 * those the service sends), and ETag where the spec has one. */
static int add_taskrouter_headers(struct lws *wsi, const struct sim_resp *r, unsigned char **p, unsigned char *end)
{
	static const char *const cors[][2] = {
		{ "access-control-allow-origin:", "*" },
		{ "access-control-allow-methods:", "GET, POST, DELETE, OPTIONS" },
		{ "access-control-allow-headers:", "Accept, Authorization, Content-Type, If-Match, "
		  "If-Modified-Since, If-None-Match, If-Unmodified-Since" },
		{ "access-control-allow-credentials:", "true" },
		{ "access-control-expose-headers:", "ETag" },
	};
	char num[32];

	for (size_t i = 0; i < sizeof cors / sizeof cors[0]; i++)
		if (add_header(wsi, cors[i][0], cors[i][1], p, end))
			return -1;
	if (r->etag > 0) {
		snprintf(num, sizeof num, "\"%lld\"", (long long)r->etag);
		if (add_header(wsi, "etag:", num, p, end))
			return -1;
	}
	snprintf(num, sizeof num, "%d", r->rl_limit);
	if (add_header(wsi, "x-rate-limit-limit:", num, p, end))
		return -1;
	snprintf(num, sizeof num, "%d", r->rl_remaining);
	if (add_header(wsi, "x-rate-limit-remaining:", num, p, end))
		return -1;
	return add_header(wsi, "x-rate-limit-config:", r->rl_config, p, end);
}

static int write_response(struct sim_app *app, struct lws *wsi, struct pss *pss)
{
	static unsigned char out[LWS_PRE + CHUNK];
	struct sim_resp *r = &pss->resp;
	size_t n;
	bool final;

	if (!pss->active || !pss->answered || pss->delay)
		return 0;
	if (!pss->headers_sent) {
		unsigned char *start = out + LWS_PRE, *p = start, *end = out + sizeof out - 1;
		static char date[64];
		static time_t date_of;
		char num[24];
		time_t now = time(NULL);

		/* The Date header changes once a second, not once a request. */
		if (now != date_of) {
			struct tm tm;
			gmtime_r(&now, &tm);
			strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
			date_of = now;
		}
		if (r->status == 204) {
			if (lws_add_http_header_status(wsi, 204, &p, end))
				return -1;
		} else if (lws_add_http_common_headers(wsi, (unsigned int)r->status,
						       r->json ? "application/json" : "text/html",
						       (lws_filepos_t)r->body.len, &p, end)) {
			return -1;
		}
		if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_DATE, (unsigned char *)date,
						 (int)strlen(date), &p, end))
			return -1;
		if (r->retry_after > 0) {
			snprintf(num, sizeof num, "%d", r->retry_after);
			if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_RETRY_AFTER, (unsigned char *)num,
							 (int)strlen(num), &p, end))
				return -1;
		}
		if (r->rl_config && add_taskrouter_headers(wsi, r, &p, end))
			return -1;
		if (r->www_authenticate &&
		    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_WWW_AUTHENTICATE,
						 (unsigned char *)"Basic realm=\"Twilio API\"", 24, &p, end))
			return -1;
		if (lws_finalize_http_header(wsi, &p, end))
			return -1;
		/* A body that fits goes out with the headers: one send, one
		 * segment, one wake-up of the client instead of two. */
		n = r->status == 204 ? 0 : r->body.len;
		if (n > (size_t)(end - p))
			n = 0;
		if (n)
			memcpy(p, r->body.data, n);
		if (lws_write(wsi, start, (size_t)(p - start) + n, LWS_WRITE_HTTP_HEADERS) != (int)(p - start + n))
			return -1;
		pss->sent = n;
		pss->headers_sent = true;
	}
	if (r->status != 204 && pss->sent < r->body.len) {
		/* The first chunk follows the headers in the same writeable
		 * callback: lws queues whatever the socket does not take. */
		n = r->body.len - pss->sent;
		if (n > CHUNK)
			n = CHUNK;
		final = pss->sent + n == r->body.len;
		memcpy(out + LWS_PRE, r->body.data + pss->sent, n);
		if (lws_write(wsi, out + LWS_PRE, n, final ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
			return -1;
		pss->sent += n;
		if (!final) {
			lws_callback_on_writable(wsi);
			return 0;
		}
	}
	/* The whole answer is out. */
	if (pss->counted && r->status >= 100 && r->status < 600)
		app->counters.by_status[r->status]++;
	log_request(pss);
	request_end(app, pss);
	if (lws_http_transaction_completed(wsi))
		return -1;
	return 0;
}

/* ---- the protocol callback ------------------------------------------------ */

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct pss *pss = user;
	struct sim_app *app = app_of(wsi);
	char *why = NULL;
	int status;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return pss ? start_request(app, wsi, pss, in) : -1;
	case LWS_CALLBACK_HTTP_BODY:
		if (!pss || !pss->active)
			return 0;
		if (pss->req.body.len + len > MAX_BODY)
			pss->too_large = true;
		else
			buf_append(&pss->req.body, in, len);
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (pss && pss->active && !pss->answered)
			return request_complete(app, wsi, pss);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return pss ? write_response(app, wsi, pss) : 0;
	case LWS_CALLBACK_CLOSED_HTTP:
		request_end(app, pss);
		return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: {
		char *path = NULL, *target;
		struct url_params q = { NULL, 0, 0 };
		uint64_t t0 = uv_hrtime();
		status = bridge_ws_check(app, wsi, &why);
		server_read_uri(wsi, &path, &q);
		target = server_log_target(path, &q);
		/* Like a request line: status and time taken; the socket's
		 * lifetime is logged when it closes. */
		log_info("WS %s %d %.1fms%s%s", target, status ? status : 101, (double)(uv_hrtime() - t0) / 1e6,
			 why ? " " : "", why ? why : "");
		free(target);
		free(path);
		url_params_free(&q);
		free(why);
		if (status) {
			lws_return_http_status(wsi, (unsigned int)status, NULL);
			return -1;
		}
		return 0;
	}
	case LWS_CALLBACK_ESTABLISHED:
		if (!pss)
			return -1;
		pss->sock = bridge_ws_open(app, wsi);
		server_rearm(app);
		return pss->sock ? 0 : -1;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return pss && pss->sock ? bridge_ws_writeable(app, pss->sock) : -1;
	case LWS_CALLBACK_RECEIVE:
		/* Clients never send (PROTOCOL.md 7.3); ignore what they do. */
		return 0;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (pss && pss->sock)
			bridge_ws_peer_close(pss->sock, in, len);
		return 0;
	case LWS_CALLBACK_CLOSED:
		if (pss && pss->sock) {
			bridge_ws_closed(app, pss->sock);
			pss->sock = NULL;
			server_rearm(app);
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols protocols[] = {
	{ "tqsim", callback, sizeof(struct pss), 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

/* ---- the tick: clock, heartbeats, drops, token expiry --------------------- */

/* The timer is armed for the next thing due, never on a fixed cadence:
 * paused, with no socket, heartbeat or drop to wait for, tqsim sleeps. */

/* The first cadence point after now: next moved on by whole periods. */
static uint64_t cadence(uint64_t next, uint64_t now, uint64_t period)
{
	if (next > now)
		return next;
	return next + ((now - next) / period + 1) * period;
}

static void wake_at(uint64_t *due, uint64_t t)
{
	if (t < *due)
		*due = t;
}

static void tick(uv_timer_t *t);

void server_rearm(struct sim_app *app)
{
	uint64_t now = uv_now(app->loop), due = UINT64_MAX;
	bool socks = bridge_count(app) > 0;

	if (app->stopping)
		return;
	if (!app->clock.paused) {
		int64_t t = heap_next_time(&app->engine->heap);
		if (t != INT64_MAX) {
			double real = (double)app->clock.real_base +
				      (double)(t - app->clock.sim_base) / app->clock.speed;
			uint64_t at = real < (double)now ? now : real > 1e18 ? UINT64_MAX : (uint64_t)real;
			wake_at(&due, at > now + ENGINE_MIN_WAKE_MS ? at : now + ENGINE_MIN_WAKE_MS);
		}
	}
	if (socks && app->heartbeat_s > 0 && app->faults.heartbeats) {
		app->next_heartbeat = cadence(app->next_heartbeat, now, (uint64_t)app->heartbeat_s * 1000);
		wake_at(&due, app->next_heartbeat);
	}
	if (socks && app->faults.drop_every > 0) {
		app->next_drop = cadence(app->next_drop, now, (uint64_t)app->faults.drop_every * 1000);
		wake_at(&due, app->next_drop);
	}
	if (socks) {
		int64_t exp = bridge_next_expiry(app);
		if (exp != INT64_MAX) {
			uint64_t w = (uint64_t)wall_now_ms(), at_wall = exp <= 0 ? 0 : (uint64_t)exp * 1000;
			/* +1 ms: time(NULL) has reached exp when it fires */
			wake_at(&due, at_wall <= w ? now : now + (at_wall - w) + 1);
		}
	}
	if (due == UINT64_MAX)
		uv_timer_stop(&app->tick);
	else
		uv_timer_start(&app->tick, tick, due > now ? due - now : 0, 0);
}

static void tick(uv_timer_t *t)
{
	struct sim_app *app = t->data;
	uint64_t now = uv_now(app->loop);
	bool socks = bridge_count(app) > 0;

	app_sync(app);
	if (socks && app->heartbeat_s > 0 && app->faults.heartbeats && now >= app->next_heartbeat) {
		app->next_heartbeat = now + (uint64_t)app->heartbeat_s * 1000;
		bridge_heartbeat(app);
	}
	if (socks && app->faults.drop_every > 0 && now >= app->next_drop) {
		app->next_drop = now + (uint64_t)app->faults.drop_every * 1000;
		bridge_drop_all(app, 1001, "dropped by tqsim (drop_every)");
	}
	bridge_tick(app, (int64_t)time(NULL));
	server_rearm(app);
}

static void lws_log(int level, const char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		log_error("lws: %.*s", (int)n, line);
	else
		log_warn("lws: %.*s", (int)n, line);
}

bool server_start(struct sim_app *app, const struct sim_server_opts *o, int *port, char **err)
{
	struct lws_context_creation_info info;
	void *loops[1] = { app->loop };

	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_VALIDATE_UTF8;
	/* An IPv4 address binds an IPv4 socket; an IPv6 one needs lws's IPv6. */
	if (!strchr(o->addr, ':'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	info.foreign_loops = loops;
	info.port = o->port;
	info.iface = o->addr;
	info.protocols = protocols;
	info.user = app;
	info.pcontext = &app->lws;
	info.max_http_header_data = 16384;
	info.max_http_header_pool = 64;
	info.keepalive_timeout = 60;
	info.timeout_secs = 30;
	/* HTTP/1.1 only over TLS too: the websocket clients do not speak h2. */
	info.alpn = "http/1.1";
	if (o->tls_cert) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = o->tls_cert;
		info.ssl_private_key_filepath = o->tls_key;
		app->tls = true;
	}
	/* The context first, the listening vhost second: when the vhost
	 * fails (port in use, bad certificate) the context is whole and is
	 * destroyed the normal way, whereas lws 4.1 leaves a failed context's
	 * handles on the loop. */
	info.options |= LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	app->lws = lws_create_context(&info);
	if (!app->lws) {
		*err = xstrdup("cannot start libwebsockets on the libuv loop (is libwebsockets-evlib-uv installed?)");
		return false;
	}
	info.vhost_name = "default";
	app->vhost = lws_create_vhost(app->lws, &info);
	*port = app->vhost ? lws_get_vhost_listen_port(app->vhost) : -1;
	if (*port <= 0) {
		*err = xasprintf(strchr(o->addr, ':') ? "cannot listen on [%s]:%d%s" : "cannot listen on %s:%d%s",
				 o->addr, o->port, o->tls_cert ? " (or load the TLS certificate and key)" : "");
		app->stopping = true;
		lws_context_destroy(app->lws);
		return false;
	}
	uv_timer_init(app->loop, &app->tick);
	app->tick.data = app;
	app->next_heartbeat = uv_now(app->loop) + (uint64_t)app->heartbeat_s * 1000;
	server_rearm(app);
	return true;
}

void server_stop(struct sim_app *app)
{
	if (app->lws && !app->stopping) {
		app->stopping = true;
		uv_timer_stop(&app->tick);
		uv_close((uv_handle_t *)&app->tick, NULL);
		/* With a foreign loop lws finishes destroying the context from
		 * its handles' close callbacks; pcontext tells when it is done. */
		lws_context_destroy(app->lws);
	}
}

void server_finish(struct sim_app *app)
{
	if (app->lws)
		lws_context_destroy(app->lws);
	app->lws = NULL;
}
