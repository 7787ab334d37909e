/* token: TaskRouter v1 capability tokens (JWT, HS256).
 *
 * Contract:
 *  - token_decode() splits, base64url-decodes and parses header and claims
 *    into a tq_token.  It does not verify the signature: call
 *    token_verify() with the account's auth token for that.  Malformed
 *    input of any kind returns NULL with *err set to one line that says
 *    what is wrong ("token: expected 3 dot-separated parts, found 2").
 *    A header alg other than HS256 (notably "none"), an empty or
 *    non-32-byte signature, '=' padding, a claim of the wrong type, a
 *    duplicated claim, or more than TOKEN_MAX_POLICIES policies or
 *    TOKEN_MAX_FILTER_ITEMS keys in a filter count as malformed; unknown
 *    claims are ignored.
 *  - Only alg HS256 is ever accepted by token_verify(); "none" and every
 *    other alg fail even with an empty signature.  Comparison is constant
 *    time (CRYPTO_memcmp).
 *  - token_may() applies the policy rules of PROTOCOL.md 8.3: literal URL,
 *    a last segment "*" = exactly one more segment, a last segment "**" =
 *    any descendant but not the prefix itself; among matching rules the longest URL wins, at equal
 *    length a rule with filters beats one without, and a deny rule wins a
 *    tie with an allow rule.  No matching rule means denied.  A filter
 *    item "Key": "v" requires Key=v, {"required": true} requires Key, a
 *    matcher "value" constrains Key when present; a non-empty filter made
 *    only of literals refuses any other parameter.  URLs with "." or ".."
 *    segments (also %2e-encoded) are always denied.
 *  - struct tq_token holds the raw JWT (a secret): never log it, never log
 *    the signature; log channel and expiry instead.
 *  - token_mint() builds exactly the claims of twilio-python's
 *    TaskQueueCapabilityToken (policies in the same order) plus "iat".
 *    One opt-in goes beyond the helper library: allow_fetch_workers adds,
 *    after all of those, GET on the workspace's Workers list (what tqtop's
 *    edit form calls to count the workers a new TargetWorkers matches);
 *    without it the claims are the library's, byte for byte.
 */
#ifndef TQ_TOKEN_H
#define TQ_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TOKEN_DEFAULT_TTL 3600
/* Seconds of clock difference tolerated on exp and nbf. */
#define TOKEN_CLOCK_SKEW 30
/* Real tokens carry a handful of policies with small filters; these caps
 * keep decoding and matching of a hostile token cheap. */
#define TOKEN_MAX_POLICIES 256
#define TOKEN_MAX_FILTER_ITEMS 64

#define TASKROUTER_API_BASE "https://taskrouter.twilio.com"
#define EVENT_BRIDGE_BASE "https://event-bridge.twilio.com"

/* One entry of a query_filter or post_filter. */
struct tq_filter_item {
	char *key;
	bool literal;		/* "Key": "value" form: the value must equal */
	bool required;		/* matcher form {"required": bool, ...} */
	char *value;		/* literal value, or matcher "value" (NULL: any) */
};

struct tq_filter {
	struct tq_filter_item *items;
	size_t n;
};

struct tq_policy {
	char *url;		/* no query string */
	char *method;		/* upper case: GET, POST, DELETE */
	bool allow;		/* absent in the JSON means false */
	struct tq_filter query_filter;
	struct tq_filter post_filter;
};

struct tq_token {
	char *raw;		/* the whole JWT: SECRET, never log */
	/* header */
	char *alg;
	char *typ;
	/* claims (NULL when absent) */
	char *iss;
	char *account_sid;
	char *workspace_sid;
	char *channel;
	char *taskqueue_sid;
	char *worker_sid;
	char *friendly_name;
	char *version;
	bool has_exp, has_nbf, has_iat;
	int64_t exp, nbf, iat;
	struct tq_policy *policies;
	size_t n_policies;
};

/* A request parameter (query string for GET, form field for POST). */
struct tq_param {
	const char *key;
	const char *value;
};

enum token_time {
	TOKEN_TIME_VALID,
	TOKEN_TIME_EXPIRED,	/* now > exp + skew */
	TOKEN_TIME_NOT_YET,	/* now < nbf - skew */
	TOKEN_TIME_NO_EXP,	/* no exp claim: treated as invalid */
};

struct tq_token *token_decode(const char *jwt, char **err);
void token_free(struct tq_token **t);

/* True when the signature is a valid HS256 MAC of header.payload under
 * secret.  Any other alg returns false. */
bool token_verify(const struct tq_token *t, const char *secret);
enum token_time token_check_time(const struct tq_token *t, time_t now);
/* Seconds until exp (negative once expired); 0 when there is no exp. */
int64_t token_seconds_left(const struct tq_token *t, time_t now);

/* May this token do method on url?  url may carry a query string: its
 * parameters (form-decoded) are checked against query_filter, whatever
 * the method. */
bool token_may(const struct tq_token *t, const char *method, const char *url);
/* Same, with explicit params checked against post_filter for POST and
 * against query_filter (together with the url's own) for other methods. */
bool token_may_params(const struct tq_token *t, const char *method, const char *url,
		      const struct tq_param *params, size_t n_params);

/* The event-bridge channel URL the token's channel policies name:
 * "https://event-bridge.twilio.com/v1/wschannels/{account_sid}/{channel}".
 * NULL when the token lacks account_sid or channel.  Caller frees. */
char *token_channel_url(const struct tq_token *t);
/* The TaskQueue resource URL
 * "https://taskrouter.twilio.com/v1/Workspaces/{WS}/TaskQueues/{WQ}".
 * NULL when either argument is NULL.  Caller frees. */
char *token_queue_url(const char *workspace_sid, const char *queue_sid);

struct token_mint_opts {
	const char *account_sid;	/* AC... */
	const char *workspace_sid;	/* WS... */
	const char *taskqueue_sid;	/* WQ... (the channel) */
	const char *friendly_name;	/* NULL: the channel id, as python does */
	bool allow_fetch_subresources;	/* GET every subresource (statistics) */
	bool allow_updates;		/* POST resource */
	bool allow_delete;		/* DELETE resource */
	/* GET {TASKROUTER_API_BASE}/v1/Workspaces/{WS}/Workers (any query);
	 * not in the helper libraries: an addition of tqtop's */
	bool allow_fetch_workers;
	int64_t ttl;			/* 0: TOKEN_DEFAULT_TTL */
	time_t now;			/* 0: time(NULL) */
};

/* Returns the JWT (caller frees) or NULL with *err set when an input is
 * invalid (wrong SID prefix or length, empty secret, ttl <= 0). */
char *token_mint(const struct token_mint_opts *o, const char *secret, char **err);

/* True when s is "XX" + 32 hex digits with the given two-letter prefix. */
bool sid_valid(const char *s, const char *prefix);

#endif
