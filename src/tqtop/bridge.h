/* bridge: the TaskRouter event bridge websocket of one TaskQueue channel.
 *
 * Contract:
 *  - URL {bridge}/v1/wschannels/{AC}/{WQ}?token=JWT&closeExistingSessions=false
 *    (ws:// or wss:// after the base's scheme); --region R turns a
 *    *.twilio.com bridge host into event-bridge.R.us1.twilio.com
 *    (bridge_region_url()).  The client never sends a frame (as the SDK).
 *    libwebsockets 4.1.6 formats the request line into 2048 bytes and
 *    cuts it; tokens are often longer, so the bridge rewrites the line in
 *    lws's handshake buffer (bridge_fix_request_line()) after checking the
 *    buffer is exactly as lws 4.1.6 leaves it, and otherwise fails the
 *    bridge with the reason (GAVE_UP) rather than send a cut token.
 *  - lws runs on tqtop's libuv loop (foreign loop).  Its proxy is the one
 *    proxy.h resolves (https_proxy / NO_PROXY ...), never lws's own
 *    reading of http_proxy.  TLS is verified except for loopback hosts
 *    without --ca-file.  The token is in the URL, so ws:// (no TLS) is
 *    refused for a non-loopback host and never goes through a proxy.  lws's own pings are off: the bridge has its own
 *    heartbeat, and idle must stay idle.
 *  - Lifecycle (TaskRouter.js v1): on open, status CONNECTED and
 *    on_open() (the engine sends the "ready" request, then calls
 *    bridge_ready()); every frame or heartbeat restarts the watchdog (60 s
 *    by default): when it fires the connection is treated as closed.  On
 *    close: DISCONNECTED, on_closed(), and a reconnect after 1, 3, 7, 15,
 *    30, 30 ... s with jitter (retry.h), for ever or up to max_retries
 *    failed attempts (GAVE_UP).  A closed bridge whose token has expired
 *    waits (WAITING_TOKEN) for bridge_kick() after a new token.
 *  - bridge_kick() reconnects at once (SIGCONT, a clock jump, a new token
 *    while waiting); an open socket is replaced.  bridge_renew() replaces
 *    it with no gap.
 *  - Host names are resolved on libuv's thread pool (lws 4.1 would block
 *    the loop), except through a proxy.  Failures name what failed: "cannot
 *    resolve the bridge host H: ...", "cannot connect to H:P: ...", "the
 *    server refused the websocket handshake: HTTP 403 ...", "TLS: cannot
 *    verify the certificate of H (...); ... --ca-file FILE".
 *  - Failures that retrying cannot cure stop the retries (GAVE_UP, reason
 *    in the state): a token whose policies do not allow GET on the channel
 *    (checked before connecting) or that the handshake refused with 403
 *    waits for a new token; a 404 or a certificate that cannot be verified
 *    stops for good.  A 401 calls on_refused (the token expired).
 *  - Every event and frame goes to the state and the log; frames' text
 *    only with --debug.  The URL (it holds the token) is never logged.
 */
#ifndef TQ_BRIDGE_H
#define TQ_BRIDGE_H

#include <stdbool.h>

#include <yajl/yajl_tree.h>

#include "loop.h"
#include "state.h"
#include "token.h"

struct bridge;

struct bridge_config {
	const char *base;		/* https://event-bridge.twilio.com (region applied) */
	const char *account_sid;
	const char *queue_sid;
	const char *ca_file;		/* NULL: system CAs */
	double watchdog_s;
	long max_retries;		/* -1: for ever */
};

struct bridge_hooks {
	void (*on_open)(void *ud);
	/* A pushed {"event_type", "payload"} frame. */
	void (*on_event)(void *ud, const char *event_type, yajl_val payload);
	void (*on_closed)(void *ud);
	/* The handshake was refused with 401: the token is no good. */
	void (*on_refused)(void *ud);
	void *ud;
};

struct bridge *bridge_new(struct loop *loop, struct tq_state *st, const struct bridge_config *cfg,
			  const struct bridge_hooks *hooks, char **err);
void bridge_free(struct bridge **b);

/* Borrowed; used for the next connection. */
void bridge_set_token(struct bridge *b, const struct tq_token *tok);
void bridge_start(struct bridge *b);
void bridge_kick(struct bridge *b, const char *why);
/* A new token while connected: open a second connection with it and drop
 * the old one once it is open (no gap, no "disconnected"; no ready
 * request either: nothing was missed); on failure the old one stays
 * until it closes.  Nothing to do when not connected.  (The engine uses
 * it for the tokens it mints itself.) */
void bridge_renew(struct bridge *b);
/* The ready request's outcome: READY on success. */
void bridge_ready(struct bridge *b, bool ok);

/* https://event-bridge.twilio.com + "ie1-ix" ->
 * https://event-bridge.ie1-ix.us1.twilio.com; other hosts unchanged
 * (*changed false).  Caller frees. */
char *bridge_region_url(const char *base, const char *region, bool *changed);
/* lws 4.1.6 writes "METHOD PATH HTTP/1.1\r\n" with lws_snprintf(p, 2048):
 * a longer line is cut, NUL-terminated at byte 2047, and the headers follow
 * at byte 2048.  Called from LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER
 * with lws's cursor (*p) and the room left after it, this puts the whole
 * line back and moves the headers behind it.  Nothing to do (true) when the
 * line fits; false with *err when the buffer is not as expected or too
 * small. */
bool bridge_fix_request_line(char **p, size_t room, const char *method, const char *path,
			     char **err);
/* Splits an http(s)/ws(s) base URL; false with *err when it is not one. */
bool bridge_parse_base(const char *base, bool *tls, char **host, int *port, char **err);

#endif
