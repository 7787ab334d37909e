/* api: every TaskQueue call of the TaskRouter.js v1 SDK, asynchronous,
 * over one of two transports.
 *
 * Contract:
 *  - Transports: direct REST ({api-url}/v1/..., HTTP Basic auth with
 *    AC + auth token or SK + secret), or tunnelled (POST of an envelope to
 *    {bridge-url}/v1/wschannels/{AC}/{WQ}; the envelope names the real
 *    https://taskrouter.twilio.com/v1/... URL the token's policies are
 *    written for).  API_READY always goes through the tunnel.
 *  - Before a tunnelled call the token's policies are consulted: a call it
 *    forbids fails at once with "not permitted by this token" (API_REFUSED)
 *    and is never sent.  After token.expired (state token.expired) no
 *    tunnelled call is sent: each fails at once ("waiting for a new
 *    token", APIERR_NOT_AVAILABLE) until a new token is in force, because
 *    the server could only answer 401.  A tunnelled 401 calls
 *    on_token_refused (the token is dead).
 *  - At most one request per call kind is out or waiting at a time: a
 *    second one is refused with API_BUSY, so a slow server never piles up
 *    requests.  Requests wait for the request budget (5/s, burst 10;
 *    Workers previews 2/s, under TaskRouter's documented 3/s) and for any
 *    429 backoff, without waking the loop in between.
 *  - Retries (retry.h): GETs on timeouts, transport errors, malformed
 *    bodies, 5xx and 429, with backoff and jitter honouring Retry-After;
 *    updates and deletes only on 429 or a failure before sending.  Each
 *    call kind keeps its failures across requests (struct backoff): the
 *    first failing request retries within itself (0.5, 1, 2 s), every
 *    later one is a single try that waits out the backoff (4, 8, 16, 30,
 *    30 ... s) before it is sent; a success clears it.  A 429 holds every
 *    request until its Retry-After (or the backoff) has passed, whether
 *    or not the request that got it retries.
 *  - A server certificate that cannot be verified is not retried: the
 *    error ("TLS: cannot verify the certificate of HOST (...); ...
 *    --ca-file FILE") is logged once and every later call to that host
 *    fails with it at once, without a request (retrying cannot cure it).
 *  - Lists: Activities come whole, following meta.next_page_url (on the
 *    same host and list only) for up to 10 pages of 1000; Workers
 *    (the TargetWorkers preview) is one page of 1000, its meta telling
 *    whether there are more (the preview then says "1000+": TaskRouter
 *    lists have no total, and that endpoint allows 3 requests/s).
 *  - The callback runs exactly once per accepted call, from the loop, with
 *    a parsed model or an apierr (Twilio code, message, HTTP status).  The
 *    model in the result belongs to the api and is cleared after the
 *    callback returns: move it out (struct copy, then memset the source
 *    to 0) to keep it.
 *  - The token is borrowed (api_set_token); a new one applies to every
 *    later request.  It is never logged.
 */
#ifndef TQ_API_H
#define TQ_API_H

#include <stdbool.h>
#include <stddef.h>

#include "apierr.h"
#include "http.h"
#include "model.h"
#include "state.h"
#include "token.h"

enum api_call {
	API_QUEUE_FETCH,
	API_QUEUE_UPDATE,	/* params: FriendlyName, TargetWorkers, ... */
	API_QUEUE_DELETE,
	API_STATISTICS,		/* Minutes, StartDate, EndDate, TaskChannel, SplitByWaitTime */
	API_CUMULATIVE,		/* same */
	API_REALTIME,		/* TaskChannel */
	API_ACTIVITIES,		/* workspace Activities */
	API_WORKERS,		/* TargetWorkersExpression */
	API_READY,		/* the bridge's connect-time queue fetch */
	API__COUNT
};

enum api_submit {
	API_ACCEPTED,
	API_BUSY,		/* the same call is still out: skipped */
	API_REFUSED,		/* never sent: see err (forbidden, no token...) */
};

struct api_result {
	enum api_call call;
	struct apierr err;	/* kind APIERR_NONE on success */
	unsigned attempts;
	union {
		struct tq_task_queue queue;	/* FETCH, UPDATE, READY */
		struct tq_statistics statistics;
		struct tq_cumulative_stats cumulative;
		struct tq_realtime_stats realtime;
		struct tq_activity_list activities;
		struct tq_worker_list workers;
	} u;
};

typedef void (*api_cb)(void *ud, struct api_result *res);

struct api_config {
	const char *api_base;		/* https://taskrouter.twilio.com or tqsim */
	const char *bridge_base;	/* https://event-bridge.twilio.com or tqsim */
	const char *account_sid;
	const char *workspace_sid;
	const char *queue_sid;
	const char *user;		/* direct: AC or SK; NULL: tunnel only */
	const char *password;
	long connect_timeout_ms;
	long timeout_ms;
	const char *ca_file;		/* --ca-file or NULL: for messages */
	/* A tunnelled request was answered 401: the token is no good. */
	void (*on_token_refused)(void *ud);
	void *hook_ud;
};

struct api;

struct api *api_new(struct http *http, struct loop *loop, struct tq_state *state,
		    const struct api_config *cfg);
/* Drops every pending call without calling back. */
void api_free(struct api **a);

void api_set_token(struct api *a, const struct tq_token *tok);
bool api_tunnelled(const struct api *a);

enum api_submit api_call(struct api *a, enum api_call call, const struct tq_param *params,
			 size_t n_params, api_cb cb, void *ud, struct apierr *err);
bool api_busy(const struct api *a, enum api_call call);
/* ms before a call of this kind may be sent (backoff after failures, or
 * a 429's hold); 0: now.  *failures (may be NULL): failures in a row. */
int64_t api_backoff_ms(const struct api *a, enum api_call call, unsigned *failures);

/* Whether the current token allows the call (always true in direct mode
 * except for API_READY without a token). */
bool api_may(const struct api *a, enum api_call call, const struct tq_param *params,
	     size_t n_params);
const char *api_call_name(enum api_call call);
/* The method and the real TaskRouter URL of a call (for policies and
 * logs); caller frees. */
const char *api_call_method(enum api_call call);
char *api_call_real_url(const struct api *a, enum api_call call);

#endif
