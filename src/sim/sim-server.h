/* sim-server: tqsim's one libwebsockets vhost on the app's libuv loop
 * (foreign loop): HTTP and websockets on one port, routing, Basic auth,
 * faults, request accounting and the one-line-per-request log.
 *
 * Contract:
 *  - server_start() listens on addr:port (port 0 picks a free one, returned
 *    in *port) with TLS when cert and key are given; on failure it returns
 *    false with *err set (caller frees).
 *  - Requests are answered without blocking: a latency fault delays the
 *    write with a uv timer, never by sleeping.  /_tqsim is served to
 *    loopback peers only (403 otherwise) and is not counted or faulted.
 *  - The log line is "METHOD PATH?QUERY STATUS TIMEms" with token values
 *    redacted; the Authorization header is never logged.  A websocket
 *    gets "WS PATH?QUERY STATUS TIMEms" at its handshake and, when it
 *    ends, a line with its lifetime (sim-bridge.h).
 *  - server_stop() starts destroying the lws context; the caller then runs
 *    the loop until every handle is closed and calls server_finish().
 */
#ifndef TQ_SIM_SERVER_H
#define TQ_SIM_SERVER_H

#include <stdbool.h>

#include "sim-app.h"
#include "sim-http.h"

struct lws;

struct sim_server_opts {
	const char *addr;		/* "127.0.0.1" */
	int port;
	const char *tls_cert;		/* NULL: plain HTTP */
	const char *tls_key;
};

bool server_start(struct sim_app *app, const struct sim_server_opts *o, int *port, char **err);
void server_stop(struct sim_app *app);
/* After the loop has run dry: completes the destruction if lws has not. */
void server_finish(struct sim_app *app);

/* Arms the tick for the next thing due (engine event while the clock
 * runs, heartbeat, drop or token expiry of an open socket), or stops it
 * when nothing is: an idle tqsim does not wake up. */
void server_rearm(struct sim_app *app);

/* The decoded path and query parameters of wsi's request. */
void server_read_uri(struct lws *wsi, char **path, struct url_params *query);
/* "PATH?k=v&token=[redacted]" for logs. */
char *server_log_target(const char *path, const struct url_params *query);

#endif
