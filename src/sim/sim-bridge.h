/* sim-bridge: the event bridge (PROTOCOL.md sections 6-7): websockets at
 * /v1/wschannels/{AccountSid}/{ChannelId} and the HTTP tunnel (POST to the
 * same path with {url, method, params, token, event_type}).
 *
 * Contract:
 *  - Capability tokens are HS256-verified with the account's auth token;
 *    alg "none", a bad signature, another account, an expired or not-yet
 *    valid token are refused (401 when expired, else 403), as is a token
 *    without a policy for the channel URL
 *    https://event-bridge.twilio.com/v1/wschannels/{AC}/{CH}
 *    (GET for the websocket, POST for the tunnel).
 *  - The tunnel checks the token's policies against the real TaskRouter
 *    URL and the method and params, then runs the request through
 *    sim-rest and answers 200 {"event_type", "payload"}; a denied request
 *    is 403 and a failed inner request keeps its status and error body.
 *  - Sockets get a heartbeat (a text frame holding one space) from
 *    bridge_heartbeat(), pushed frames {"event_type", "payload"} from
 *    bridge_push(), and are closed with 4001 "token expired" once their
 *    token's exp passes (bridge_tick()).  Clients never need to send.
 *  - One expiry rule everywhere (bridge_token_time()): a token is expired
 *    from its exp on, to the second, with no clock-skew grace; so a token
 *    a socket would be closed for is refused at the handshake (401) and in
 *    the tunnel (401) alike.  nbf keeps TOKEN_CLOCK_SKEW of tolerance.
 *  - Tokens are secrets: only their channel and expiry are logged.
 */
#ifndef TQ_SIM_BRIDGE_H
#define TQ_SIM_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim-app.h"
#include "sim-http.h"
#include "token.h"

struct lws;
struct bridge_sock;
struct tq_token;

struct sim_bridge *bridge_new(void);
void bridge_free(struct sim_bridge **b);

/* The token's validity at Unix time now (see the contract). */
enum token_time bridge_token_time(const struct tq_token *t, int64_t now);

/* True for /v1/wschannels/... paths. */
bool bridge_owns(const char *path);

/* Websocket handshake for wsi (path and query read from lws): 0 to accept,
 * else the HTTP status to refuse with and *why (caller frees). */
int bridge_ws_check(struct sim_app *app, struct lws *wsi, char **why);
/* After the handshake: registers the socket (NULL when the check now
 * fails, and the caller closes it). */
struct bridge_sock *bridge_ws_open(struct sim_app *app, struct lws *wsi);
/* SERVER_WRITEABLE: writes one frame; returns -1 to close the socket. */
int bridge_ws_writeable(struct sim_app *app, struct bridge_sock *s);
/* The client sent a close frame (payload: code, reason). */
void bridge_ws_peer_close(struct bridge_sock *s, const unsigned char *payload, size_t len);
/* Logs "WS PATH?QUERY closed CODE by tqsim|the client after S.SSSs" (or
 * "connection lost after ...") and forgets the socket. */
void bridge_ws_closed(struct sim_app *app, struct bridge_sock *s);

void bridge_tunnel(struct sim_app *app, const struct sim_req *req, struct sim_resp *resp);

void bridge_push(struct sim_app *app, const char *channel, const char *event_type, const char *payload, size_t len);
void bridge_heartbeat(struct sim_app *app);
/* Closes every socket now with code and reason. */
void bridge_drop_all(struct sim_app *app, int code, const char *reason);
/* Closes sockets whose token expired (wall-clock time now). */
void bridge_tick(struct sim_app *app, int64_t now);
/* The earliest exp (Unix seconds) of an open socket's token, INT64_MAX
 * when no socket has one to wait for. */
int64_t bridge_next_expiry(const struct sim_app *app);
size_t bridge_count(const struct sim_app *app);

#endif
