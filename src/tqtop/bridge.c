#include "config.h"
#include "bridge.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <arpa/inet.h>
#include <netdb.h>

#include <libwebsockets.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "buf.h"
#include "http.h"
#include "json.h"
#include "log.h"
#include "loop.h"
#include "proxy.h"
#include "retry.h"
#include "xalloc.h"

/* A pushed frame larger than this is not a TaskQueue event. */
#define BRIDGE_MAX_FRAME (1u << 20)
/* lws 4.1.6 formats the request line with lws_snprintf(p, 2048, ...). */
#define LWS_REQUEST_LINE_MAX 2048u
/* Room for the handshake: the token (1-3 KB) plus headers. */
#define BRIDGE_SERV_BUF 16384

struct bridge {
	struct loop *loop;
	struct tq_state *st;
	struct bridge_hooks hooks;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct lws *wsi;	/* the live connection, NULL when none */
	struct lws *next_wsi;	/* a connection with a new token, replacing wsi */
	struct resolve *resolving;	/* the host's address is being looked up */
	bool renew;		/* the lookup is for next_wsi */
	bool via_proxy;		/* the proxy resolves the host */
	/* A failure that retrying cannot cure: GAVE_UP until a new token
	 * (refused_tok: the handshake refused that token, or its policies do
	 * not allow the bridge) or for good (a certificate that cannot be
	 * verified). */
	const struct tq_token *refused_tok;
	bool permanent;
	char *tls_error;	/* why the certificate of this attempt failed */
	bool tls;
	bool verify;
	char *host;
	int port;
	char *host_header;
	char *account_sid;
	char *queue_sid;
	double watchdog_s;
	long max_retries;
	char *ca_file;		/* --ca-file given (lws loads it), else NULL */
	const struct tq_token *tok;
	uv_timer_t *watchdog;
	uv_timer_t *retry;
	struct buf frame;
	char *peer_reason;	/* the server's close code and reason, this connection */
	char *path;		/* request path with the token: SECRET, never log */
	char *next_path;	/* the same for next_wsi */
	bool started;
	bool closing;
};

struct resolve {
	uv_getaddrinfo_t req;
	struct bridge *b;	/* NULL once the bridge is gone */
};

/* lws sets this to NULL once a context is wholly destroyed, which on a
 * foreign loop happens inside the loop, after bridge_free() returned. */
static struct lws_context *live_ctx;

static const lws_retry_bo_t no_pings = {
	.secs_since_valid_ping = 0,	/* 0: lws never pings on its own */
	.secs_since_valid_hangup = 0,
};

static const char *proxy_getenv(const char *name)
{
	return getenv(name);
}

char *bridge_region_url(const char *base, const char *region, bool *changed)
{
	const char *hs = strstr(base, "://");
	size_t hl;

	*changed = false;
	if (!region || !*region)
		return xstrdup(base);
	hs = hs ? hs + 3 : base;
	hl = strcspn(hs, ":/?#");
	/* SDK v1: keep the base up to "twilio.com", put region.us1 before it. */
	if (hl >= 10 && strncasecmp(hs + hl - 10, "twilio.com", 10) == 0) {
		const char *first_dot = memchr(hs, '.', hl);
		size_t lead = first_dot ? (size_t)(first_dot - hs) : 0;
		*changed = true;
		return xasprintf("%.*s%.*s.%s.us1.twilio.com%s", (int)(hs - base), base,
				 (int)lead, hs, region, hs + hl);
	}
	return xstrdup(base);
}

bool bridge_fix_request_line(char **p, size_t room, const char *method, const char *path,
			     char **err)
{
	size_t ml = strlen(method), full = ml + 1 + strlen(path) + 11;
	char *nul = NULL, *pkt, *line;
	size_t hl, have;

	if (full < LWS_REQUEST_LINE_MAX)
		return true;	/* it fitted: lws sent it whole */
	/* The headers lws wrote after the cut line hold no NUL: the first
	 * one before the cursor ends the cut line. */
	for (size_t back = 1; back <= LWS_REQUEST_LINE_MAX; back++)
		if ((*p)[-(ptrdiff_t)back] == '\0') {
			nul = *p - back;
			break;
		}
	if (!nul || strncmp(nul + 1, "Pragma: ", 8) != 0) {
		*err = xstrdup("the websocket handshake buffer is not as libwebsockets 4.1.6 "
			       "leaves it: cannot send the token's long request line");
		return false;
	}
	pkt = nul - (LWS_REQUEST_LINE_MAX - 1);
	if (strncmp(pkt, method, ml) != 0 || pkt[ml] != ' ' ||
	    strncmp(pkt + ml + 1, path, LWS_REQUEST_LINE_MAX - 2 - ml - 1) != 0) {
		*err = xstrdup("the websocket handshake buffer does not start with the request "
			       "line: cannot send the token's long request line");
		return false;
	}
	hl = (size_t)(*p - (nul + 1));
	have = (size_t)(*p - pkt) + room;
	if (full + hl > have) {
		*err = xasprintf("a %zu-byte websocket request does not fit libwebsockets' %zu-byte "
				 "buffer", full + hl, have);
		return false;
	}
	char *headers = xstrndup(nul + 1, hl);
	line = xasprintf("%s %s HTTP/1.1\r\n", method, path);
	memcpy(pkt, line, full);
	memcpy(pkt + full, headers, hl);
	*p = pkt + full + hl;
	free(line);
	free(headers);
	return true;
}

bool bridge_parse_base(const char *base, bool *tls, char **host, int *port, char **err)
{
	const char *sep = strstr(base, "://");
	size_t sl;

	if (!sep) {
		*err = xasprintf("bridge URL '%s': expected https://host[:port]", base);
		return false;
	}
	sl = (size_t)(sep - base);
	if ((sl == 5 && strncasecmp(base, "https", 5) == 0) || (sl == 3 && strncasecmp(base, "wss", 3) == 0))
		*tls = true;
	else if ((sl == 4 && strncasecmp(base, "http", 4) == 0) || (sl == 2 && strncasecmp(base, "ws", 2) == 0))
		*tls = false;
	else {
		*err = xasprintf("bridge URL '%s': expected an http, https, ws or wss scheme", base);
		return false;
	}
	*host = http_url_host(base);
	if (!**host) {
		free(*host);
		*err = xasprintf("bridge URL '%s': no host", base);
		return false;
	}
	*port = *tls ? 443 : 80;
	const char *hp = sep + 3;
	size_t n = strcspn(hp, "/?#");
	const char *colon = NULL;
	if (*hp == '[') {
		const char *close = memchr(hp, ']', n);
		if (close && close + 1 < hp + n && close[1] == ':')
			colon = close + 1;
	} else {
		colon = memchr(hp, ':', n);
	}
	if (colon) {
		char *end;
		long p = strtol(colon + 1, &end, 10);
		if (end != hp + n || p < 1 || p > 65535) {
			free(*host);
			*err = xasprintf("bridge URL '%s': bad port", base);
			return false;
		}
		*port = (int)p;
	}
	return true;
}

static void set_status(struct bridge *b, enum bridge_status st)
{
	if (b->st->bridge.status != st) {
		b->st->bridge.status = st;
		b->st->bridge.since_ms = state_now_ms();
	}
	state_dirty(b->st, DIRTY_BRIDGE);
}

static void set_reason(struct bridge *b, const char *reason)
{
	free(b->st->bridge.last_reason);
	b->st->bridge.last_reason = reason ? xstrdup(reason) : NULL;
}

static void connect_now(struct bridge *b);

static void on_retry(uv_timer_t *t)
{
	connect_now(t->data);
}

/* Past exp, or token.expired (5 s before it, or refused by a server). */
static bool token_expired(const struct bridge *b)
{
	return !b->tok || b->st->token.expired ||
	       (b->tok->has_exp && b->tok->exp <= (int64_t)time(NULL));
}

static void schedule_reconnect(struct bridge *b)
{
	struct tq_bridge_state *bs = &b->st->bridge;

	if (b->closing)
		return;
	if (token_expired(b)) {
		set_status(b, BRIDGE_WAITING_TOKEN);
		log_warn("bridge: the token has expired; waiting for a new one to reconnect");
		return;
	}
	bs->attempt++;
	if (b->max_retries >= 0 && bs->attempt > (unsigned long)b->max_retries) {
		set_status(b, BRIDGE_GAVE_UP);
		log_error("bridge: giving up after %ld failed reconnect attempts (--max-retries)",
			  b->max_retries);
		return;
	}
	double d = reconnect_delay(bs->attempt, retry_jitter());
	bs->retry_at_ms = state_now_ms() + (int64_t)(d * 1000);
	set_status(b, BRIDGE_DISCONNECTED);
	log_info("bridge: reconnect attempt %u in %.1f s", bs->attempt, d);
	if (!b->retry)
		b->retry = loop_timer_new(&b->loop->uv, b);
	uv_timer_start(b->retry, on_retry, (uint64_t)(d * 1000), 0);
}

/* A failure no retry can cure: stop until a new token (for_token) or for
 * good, and say why once. */
static void refuse(struct bridge *b, const char *reason, bool for_token)
{
	b->wsi = NULL;
	if (b->watchdog)
		uv_timer_stop(b->watchdog);
	if (b->retry)
		uv_timer_stop(b->retry);
	buf_reset(&b->frame);
	set_reason(b, reason);
	char *line = xasprintf("bridge: %s", reason);
	state_set_last_error(b->st, line);
	free(line);
	if (for_token)
		b->refused_tok = b->tok;
	else
		b->permanent = true;
	set_status(b, BRIDGE_GAVE_UP);
	log_error("bridge: %s; not retrying %s", reason,
		  for_token ? "until a new token comes" : "(restart tqtop once it is fixed)");
}

/* The live connection is gone (closed, failed, or declared dead). */
static void lost(struct bridge *b, const char *reason)
{
	bool was_open = b->st->bridge.status == BRIDGE_CONNECTED ||
			b->st->bridge.status == BRIDGE_READY;

	b->wsi = NULL;
	if (b->watchdog)
		uv_timer_stop(b->watchdog);
	set_reason(b, reason);
	buf_reset(&b->frame);
	if (was_open) {
		log_warn("bridge: disconnected: %s", reason);
		if (b->hooks.on_closed)
			b->hooks.on_closed(b->hooks.ud);
	} else {
		log_warn("bridge: %s", reason);
	}
	char *line = xasprintf("bridge: %s", reason);
	state_set_last_error(b->st, line);
	free(line);
	schedule_reconnect(b);
}

static void on_watchdog(uv_timer_t *t)
{
	struct bridge *b = t->data;
	struct lws *old = b->wsi;
	char *why = xasprintf("no frame or heartbeat for %g s", b->watchdog_s);

	log_warn("bridge: watchdog: %s; treating the connection as dead", why);
	/* Like the SDK: give up on this socket without waiting for its close. */
	lost(b, why);
	free(why);
	if (old)
		lws_set_timeout(old, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

static void feed_watchdog(struct bridge *b)
{
	if (!b->watchdog)
		b->watchdog = loop_timer_new(&b->loop->uv, b);
	uv_timer_start(b->watchdog, on_watchdog, (uint64_t)(b->watchdog_s * 1000), 0);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

static void handle_frame(struct bridge *b)
{
	struct tq_bridge_state *bs = &b->st->bridge;
	const char *text = buf_cstr(&b->frame);
	size_t n = b->frame.len;
	char *err = NULL;
	yajl_val v;

	bs->last_frame_ms = state_now_ms();
	feed_watchdog(b);
	if (blank(text, n)) {
		bs->heartbeats++;
		log_debug("bridge: heartbeat");
		state_dirty(b->st, DIRTY_BRIDGE);
		return;
	}
	log_debug("bridge: frame %s", text);
	v = json_parse(text, n, &err);
	if (!v || !YAJL_IS_OBJECT(v)) {
		log_warn("bridge: unreadable frame (%zu bytes): %s", n, err ? err : "not an object");
		free(err);
		if (v)
			yajl_tree_free(v);
		return;
	}
	yajl_val et = json_get(v, "event_type");
	const char *name = et && YAJL_IS_STRING(et) ? YAJL_GET_STRING(et) : NULL;
	if (!name) {
		log_warn("bridge: frame without an event_type (%zu bytes)", n);
		yajl_tree_free(v);
		return;
	}
	bs->frames++;
	free(bs->last_event);
	bs->last_event = xstrdup(name);
	state_dirty(b->st, DIRTY_BRIDGE);
	log_info("bridge: event %s", name);
	if (b->hooks.on_event)
		b->hooks.on_event(b->hooks.ud, name, json_get(v, "payload"));
	yajl_tree_free(v);
}

/* The handshake was answered, but not with 101: what the status means. */
static void handshake_refused(struct bridge *b, unsigned status, const char *lws_says)
{
	char *why;

	switch (status) {
	case 401:
		/* TaskRouter.js: 401 = the token expired.  Wait for a new one. */
		why = xstrdup("the server refused the websocket handshake: HTTP 401 (token expired)");
		b->wsi = NULL;
		set_reason(b, why);
		log_warn("bridge: %s", why);
		if (b->hooks.on_refused)
			b->hooks.on_refused(b->hooks.ud);
		schedule_reconnect(b);
		break;
	case 403:
		why = xstrdup("the server refused the websocket handshake: HTTP 403 (the token is "
			      "not valid for this channel)");
		refuse(b, why, true);
		break;
	case 404:
		why = xasprintf("the server refused the websocket handshake: HTTP 404 (no channel "
				"/v1/wschannels/%s/%s there: check --bridge-url)", b->account_sid,
				b->queue_sid);
		refuse(b, why, false);
		break;
	default:
		why = status ? xasprintf("the server refused the websocket handshake: HTTP %u", status)
			     : xasprintf("the websocket handshake failed: %s", lws_says);
		lost(b, why);
		break;
	}
	free(why);
}

static void connection_error(struct bridge *b, struct lws *wsi, const char *in)
{
	unsigned status = lws_http_client_http_response(wsi);
	char *why;

	if (b->tls_error) {
		why = http_tls_unverified_text(b->host, b->ca_file, b->tls_error);
		refuse(b, why, false);
		free(why);
		return;
	}
	if (status || (in && strstr(in, "HS:"))) {
		handshake_refused(b, status, in ? in : "?");
		return;
	}
	why = xasprintf("cannot connect to %s: %s", b->host_header, in && *in ? in : "no connection");
	lost(b, why);
	free(why);
}

/* next_wsi opened: it becomes the live connection. */
static void adopt_next(struct bridge *b)
{
	char *p = b->path;

	b->wsi = b->next_wsi;
	b->next_wsi = NULL;
	b->path = b->next_path;
	b->next_path = p;
}

/* Make before break: the connection with the new token is open, the old
 * one goes without a gap and without a "disconnected". */
static void renewed(struct bridge *b)
{
	struct lws *old = b->wsi;

	adopt_next(b);
	b->st->bridge.connects++;
	b->st->bridge.last_frame_ms = state_now_ms();
	feed_watchdog(b);
	buf_reset(&b->frame);
	log_info("bridge: moved to a connection with the new token (no gap)");
	if (old)
		lws_set_timeout(old, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct bridge *b = lws_context_user(lws_get_context(wsi));
	char *why;

	switch (reason) {
	case LWS_CALLBACK_OPENSSL_LOAD_EXTRA_CLIENT_VERIFY_CERTS:
		if (b && !b->ca_file && http_system_ca_dir() &&
		    !SSL_CTX_load_verify_locations(user, NULL, http_system_ca_dir()))
			log_warn("bridge: cannot use the CA directory %s", http_system_ca_dir());
		break;
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		/* user: the X509_STORE_CTX; len: OpenSSL's verdict so far. */
		if (!len && b->verify && !b->tls_error) {
			int e = X509_STORE_CTX_get_error(user);
			b->tls_error = xstrdup(X509_verify_cert_error_string(e));
		}
		break;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (!(wsi == b->wsi && b->path) && !(wsi == b->next_wsi && b->next_path))
			break;
		if (!bridge_fix_request_line((char **)in, len, "GET",
					     wsi == b->wsi ? b->path : b->next_path, &why)) {
			log_error("bridge: %s", why);
			free(b->peer_reason);
			b->peer_reason = why;
			return -1;
		}
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (wsi == b->next_wsi && b->wsi) {
			renewed(b);
			break;
		}
		if (wsi == b->next_wsi) {
			/* The old one died while this one opened: it is the live one. */
			adopt_next(b);
		} else if (wsi != b->wsi) {
			break;
		}
		if (b->retry)
			uv_timer_stop(b->retry);
		b->st->bridge.attempt = 0;
		b->st->bridge.connects++;
		b->st->bridge.last_frame_ms = state_now_ms();
		set_status(b, BRIDGE_CONNECTED);
		log_info("bridge: connected to %s channel %s", b->host_header, b->queue_sid);
		feed_watchdog(b);
		if (b->hooks.on_open)
			b->hooks.on_open(b->hooks.ud);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (wsi != b->wsi)
			break;
		if (b->frame.len + len > BRIDGE_MAX_FRAME) {
			log_warn("bridge: frame larger than %u bytes dropped", BRIDGE_MAX_FRAME);
			buf_reset(&b->frame);
			break;
		}
		buf_append(&b->frame, in, len);
		if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
			handle_frame(b);
			buf_reset(&b->frame);
		}
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (wsi != b->wsi)
			break;
		if (len >= 2) {
			const unsigned char *p = in;
			unsigned code = (unsigned)p[0] << 8 | p[1];
			why = xasprintf("closed by the server: %u %.*s", code, (int)(len - 2),
					(const char *)in + 2);
		} else {
			why = xstrdup("closed by the server");
		}
		free(b->peer_reason);
		b->peer_reason = why;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (wsi == b->next_wsi) {
			b->next_wsi = NULL;
			log_warn("bridge: no connection with the new token (%.*s); the current one "
				 "stays until it closes", in ? (int)strnlen(in, 200) : 1,
				 in ? (const char *)in : "?");
			free(b->tls_error);
			b->tls_error = NULL;
			break;
		}
		if (wsi != b->wsi)
			break;
		connection_error(b, wsi, in);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (wsi == b->next_wsi)
			b->next_wsi = NULL;
		if (wsi != b->wsi)
			break;
		why = b->peer_reason ? b->peer_reason : xstrdup("connection closed");
		b->peer_reason = NULL;
		lost(b, why);
		free(why);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "tqtop-bridge", callback, 0, 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* lws may log URLs, and our URLs carry the token: cut it out. */
static void lws_emit(int level, const char *line)
{
	struct buf b = BUF_INIT;
	const char *p = line, *t;

	while ((t = strstr(p, "token="))) {
		buf_append(&b, p, (size_t)(t - p) + 6);
		buf_puts(&b, "<redacted>");
		p = t + 6 + strcspn(t + 6, "& \r\n");
	}
	buf_puts(&b, p);
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
		b.data[--b.len] = '\0';
	log_debug("lws(%d): %s", level, buf_cstr(&b));
	buf_free(&b);
}

struct bridge *bridge_new(struct loop *loop, struct tq_state *st, const struct bridge_config *cfg,
			  const struct bridge_hooks *hooks, char **err)
{
	struct lws_context_creation_info info;
	struct proxy_choice px;
	void *foreign[1] = { &loop->uv };
	char *perr = NULL, *proxy_str = NULL, *saved_http_proxy = NULL;
	struct bridge *b = xcalloc(1, sizeof *b);

	b->loop = loop;
	b->st = st;
	b->hooks = *hooks;
	b->watchdog_s = cfg->watchdog_s;
	b->max_retries = cfg->max_retries;
	b->account_sid = xstrdup(cfg->account_sid);
	b->queue_sid = xstrdup(cfg->queue_sid);
	if (!bridge_parse_base(cfg->base, &b->tls, &b->host, &b->port, err)) {
		free(b->account_sid);
		free(b->queue_sid);
		free(b);
		return NULL;
	}
	/* The token rides in the URL: clear text is for this machine only. */
	if (!b->tls && !http_host_is_loopback(b->host)) {
		*err = xasprintf("bridge URL '%s': refusing to send the token without TLS to a "
				 "non-loopback host; use https://", cfg->base);
		free(b->host);
		free(b->account_sid);
		free(b->queue_sid);
		free(b);
		return NULL;
	}
	b->ca_file = cfg->ca_file && *cfg->ca_file ? xstrdup(cfg->ca_file) : NULL;
	b->verify = b->ca_file || !http_host_is_loopback(b->host);
	bool default_port = b->port == (b->tls ? 443 : 80);
	bool v6 = strchr(b->host, ':') != NULL;
	b->host_header = default_port ? xasprintf(v6 ? "[%s]" : "%s", b->host)
				      : xasprintf(v6 ? "[%s]:%d" : "%s:%d", b->host, b->port);

	/* A proxy would see a ws:// token in clear: only wss goes through one. */
	memset(&px, 0, sizeof px);
	if (b->tls && !proxy_resolve(b->tls, b->host, proxy_getenv, &px, &perr)) {
		*err = xasprintf("bridge proxy: %s", perr);
		free(perr);
		bridge_free(&b);
		return NULL;
	}
	if (px.host) {
		b->via_proxy = true;
		proxy_str = proxy_lws_string(&px);
		free(st->bridge.proxy);
		st->bridge.proxy = xasprintf("%s:%d", px.host, px.port);
		log_info("bridge: through proxy %s (from %s)", st->bridge.proxy, px.source);
	} else if (px.source) {
		log_info("bridge: no proxy for %s (%s)", b->host, px.source);
	}
	proxy_choice_clear(&px);

	lws_set_log_level(LLL_ERR | LLL_WARN | (log_get_level() >= TQ_LOG_DEBUG ? LLL_NOTICE : 0),
			  lws_emit);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	/* An explicit vhost, destroyed before the context: lws 4.1 on a
	 * foreign loop otherwise never frees the default vhost's TLS context. */
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	/* TLS (and loading the CA store) only when the bridge speaks it. */
	if (b->tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.foreign_loops = foreign;
	info.user = b;
	info.retry_and_idle_policy = &no_pings;
	info.pcontext = &live_ctx;
	/* The token rides in the request line and is 1-3 KB: room for it in
	 * the header table and in the buffer the handshake is written to. */
	info.max_http_header_data = 32768;
	info.pt_serv_buf_size = BRIDGE_SERV_BUF;
	/* lws sizes its fd tables by the process's fd limit (often 10^5 or
	 * more: megabytes); tqtop holds a few dozen descriptors. */
	info.fd_limit_per_thread = 1024;
	if (cfg->ca_file && *cfg->ca_file)
		info.client_ssl_ca_filepath = cfg->ca_file;
	else if (b->tls && http_system_ca_dir())
		/* lws would load the whole system bundle into memory: the
		 * same store is looked up by hash instead (callback()). */
		info.options |= LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
	info.http_proxy_address = proxy_str;
	/* lws reads a lowercase http_proxy itself when we give it none, for
	 * every scheme and regardless of NO_PROXY: hide it while it looks. */
	if (!proxy_str && getenv("http_proxy")) {
		saved_http_proxy = xstrdup(getenv("http_proxy"));
		unsetenv("http_proxy");
	}
	b->ctx = lws_create_context(&info);
	if (b->ctx)
		b->vh = lws_create_vhost(b->ctx, &info);
	if (saved_http_proxy) {
		setenv("http_proxy", saved_http_proxy, 1);
		free(saved_http_proxy);
	}
	free(proxy_str);
	if (!b->ctx || !b->vh) {
		*err = xstrdup("bridge: cannot start libwebsockets on the libuv loop "
			       "(is libwebsockets-evlib-uv installed?)");
		bridge_free(&b);
		return NULL;
	}
	return b;
}

void bridge_set_token(struct bridge *b, const struct tq_token *tok)
{
	b->tok = tok;
}

/* Starts the websocket to address (numeric, or the host through a proxy);
 * renew: a second connection with the current token, next to the live one. */
static void start_connect(struct bridge *b, const char *address, bool renew)
{
	struct lws_client_connect_info ci;
	char **path = renew ? &b->next_path : &b->path;

	free(*path);
	*path = xasprintf("/v1/wschannels/%s/%s?token=%s&closeExistingSessions=false",
			  b->account_sid, b->queue_sid, b->tok->raw);
	memset(&ci, 0, sizeof ci);
	ci.context = b->ctx;
	ci.vhost = b->vh;
	ci.address = address;
	ci.port = b->port;
	ci.path = *path;
	/* TLS checks the certificate against the Host header's name (port
	 * stripped), not against the address. */
	ci.host = b->host_header;
	ci.origin = b->host_header;
	ci.protocol = NULL;
	ci.local_protocol_name = "tqtop-bridge";
	ci.pwsi = renew ? &b->next_wsi : &b->wsi;
	if (b->tls) {
		ci.ssl_connection = LCCSCF_USE_SSL;
		if (!b->verify)
			ci.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED |
					     LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
					     LCCSCF_ALLOW_EXPIRED | LCCSCF_ALLOW_INSECURE;
	}
	free(b->tls_error);
	b->tls_error = NULL;
	if (!renew) {
		free(b->peer_reason);
		b->peer_reason = NULL;
	}
	/* pwsi is set before any callback can run, so callbacks can tell the
	 * live connection from an abandoned one. */
	if (!lws_client_connect_via_info(&ci)) {
		char *why = xasprintf("cannot connect to %s", b->host_header);
		if (renew) {
			b->next_wsi = NULL;
			log_warn("bridge: %s with the new token; the current connection stays", why);
		} else if (b->st->bridge.status == BRIDGE_CONNECTING) {
			/* (unless CONNECTION_ERROR has run already) */
			b->wsi = NULL;
			lost(b, why);
		}
		free(why);
	}
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct resolve *r = req->data;
	struct bridge *b = r->b;
	char addr[64];

	free(r);
	if (!b) {
		uv_freeaddrinfo(res);
		return;
	}
	b->resolving = NULL;
	if (b->closing) {
		uv_freeaddrinfo(res);
		return;
	}
	addr[0] = '\0';
	if (status == 0 && res && res->ai_family == AF_INET)
		uv_ip4_name((const struct sockaddr_in *)res->ai_addr, addr, sizeof addr);
	else if (status == 0 && res && res->ai_family == AF_INET6)
		uv_ip6_name((const struct sockaddr_in6 *)res->ai_addr, addr, sizeof addr);
	uv_freeaddrinfo(res);
	if (!addr[0]) {
		char *why = xasprintf("cannot resolve the bridge host %s: %s", b->host,
				      status ? uv_strerror(status) : "no address");
		if (b->renew)
			log_warn("bridge: %s; the current connection stays", why);
		else
			lost(b, why);
		free(why);
		return;
	}
	if (token_expired(b)) {
		if (!b->renew)
			set_status(b, BRIDGE_WAITING_TOKEN);
		return;
	}
	log_debug("bridge: %s is %s", b->host, addr);
	/* The live connection may have died while we looked: then this one
	 * is an ordinary connect. */
	start_connect(b, addr, b->renew && b->wsi);
}

/* lws 4.1 looks host names up with a blocking getaddrinfo() on the loop;
 * a slow resolver would freeze tqtop, and a failure would not name the
 * host.  So the name is resolved on libuv's thread pool first, except
 * through a proxy (which resolves it) or for an address. */
static void resolve_and_connect(struct bridge *b, bool renew)
{
	struct addrinfo hints;
	unsigned char tmp[16];
	struct resolve *r;
	int rc;

	if (b->resolving)
		return;
	if (b->via_proxy || inet_pton(AF_INET, b->host, tmp) == 1 ||
	    inet_pton(AF_INET6, b->host, tmp) == 1) {
		start_connect(b, b->host, renew);
		return;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	r = xcalloc(1, sizeof *r);
	r->b = b;
	r->req.data = r;
	b->renew = renew;
	b->resolving = r;
	rc = uv_getaddrinfo(&b->loop->uv, &r->req, on_resolved, b->host, NULL, &hints);
	if (rc < 0) {
		char *why = xasprintf("cannot resolve the bridge host %s: %s", b->host, uv_strerror(rc));
		b->resolving = NULL;
		free(r);
		if (renew)
			log_warn("bridge: %s", why);
		else
			lost(b, why);
		free(why);
	}
}

/* The token's policies must allow the websocket (GET on the channel), or
 * the server can only refuse it. */
static bool token_allows_bridge(struct bridge *b)
{
	char *chan = xasprintf("%s/v1/wschannels/%s/%s", EVENT_BRIDGE_BASE, b->account_sid,
			       b->queue_sid);
	bool ok = token_may(b->tok, "GET", chan);

	if (!ok && b->refused_tok != b->tok) {
		char *why = xasprintf("this token does not allow the event bridge (no GET policy on "
				      "%s)", chan);
		refuse(b, why, true);
		free(why);
	}
	free(chan);
	return ok;
}

static void connect_now(struct bridge *b)
{
	if (b->closing || b->wsi || b->resolving || b->permanent)
		return;
	if (token_expired(b)) {
		set_status(b, BRIDGE_WAITING_TOKEN);
		return;
	}
	if (b->refused_tok && b->refused_tok == b->tok)
		return;
	if (!token_allows_bridge(b))
		return;
	set_status(b, BRIDGE_CONNECTING);
	b->st->bridge.retry_at_ms = 0;
	log_info("bridge: connecting to %s (%s, attempt %u)", b->host_header,
		 b->tls ? "wss" : "ws", b->st->bridge.attempt);
	resolve_and_connect(b, false);
}

void bridge_start(struct bridge *b)
{
	b->started = true;
	connect_now(b);
}

void bridge_renew(struct bridge *b)
{
	if (!b->started || b->closing || !b->wsi || b->next_wsi || b->resolving ||
	    token_expired(b))
		return;
	if (b->st->bridge.status != BRIDGE_CONNECTED && b->st->bridge.status != BRIDGE_READY)
		return;
	if (!token_allows_bridge(b))
		return;
	log_info("bridge: opening a connection with the new token before the old one expires");
	resolve_and_connect(b, true);
}

void bridge_kick(struct bridge *b, const char *why)
{
	if (!b->started || b->closing || b->permanent || (b->refused_tok && b->refused_tok == b->tok))
		return;
	if (b->retry)
		uv_timer_stop(b->retry);
	if (b->next_wsi) {
		lws_set_timeout(b->next_wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		b->next_wsi = NULL;
	}
	if (b->wsi) {
		struct lws *old = b->wsi;
		log_info("bridge: reconnecting now (%s)", why);
		b->wsi = NULL;
		if (b->watchdog)
			uv_timer_stop(b->watchdog);
		lws_set_timeout(old, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		if (b->hooks.on_closed)
			b->hooks.on_closed(b->hooks.ud);
	} else {
		log_info("bridge: connecting now (%s)", why);
	}
	b->st->bridge.attempt = 0;
	connect_now(b);
}

void bridge_ready(struct bridge *b, bool ok)
{
	if (b->st->bridge.status != BRIDGE_CONNECTED)
		return;
	if (ok) {
		set_status(b, BRIDGE_READY);
		log_info("bridge: ready");
	}
}

void bridge_free(struct bridge **bp)
{
	struct bridge *b = *bp;

	if (!b)
		return;
	b->closing = true;
	loop_timer_free(&b->watchdog);
	loop_timer_free(&b->retry);
	b->wsi = NULL;
	b->next_wsi = NULL;
	if (b->resolving) {
		/* Its callback runs later (canceled, or done): it frees it. */
		b->resolving->b = NULL;
		uv_cancel((uv_req_t *)&b->resolving->req);
		b->resolving = NULL;
	}
	if (b->ctx) {
		/* On a foreign loop lws closes its handles from the loop: let it
		 * run a few turns after each stage.  (lws 4.1.6 still keeps the
		 * context's own tables: tests/engine/lsan-lws.supp.) */
		if (b->vh) {
			lws_vhost_destroy(b->vh);
			for (int i = 0; i < 4; i++)
				uv_run(&b->loop->uv, UV_RUN_NOWAIT);
		}
		lws_context_destroy(b->ctx);
		for (int i = 0; i < 100 && live_ctx; i++)
			uv_run(&b->loop->uv, UV_RUN_NOWAIT);
	}
	buf_free(&b->frame);
	free(b->path);
	free(b->next_path);
	free(b->tls_error);
	free(b->ca_file);
	free(b->peer_reason);
	free(b->host);
	free(b->host_header);
	free(b->account_sid);
	free(b->queue_sid);
	free(b);
	*bp = NULL;
}
