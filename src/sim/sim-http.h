/* sim-http: tqsim's transport-neutral request and response, shared by the
 * lws server, the REST handlers, the event-bridge tunnel (which builds an
 * inner request from its JSON envelope) and the control endpoint.
 *
 * Contract: a sim_req owns all its strings (decoded: no percent escapes
 * left); parameters keep their order and duplicates.  A sim_resp owns its
 * body.  resp_error() writes Twilio's error body
 * {code, message, more_info, status}, its message one line of valid UTF-8
 * whatever the arguments hold (control characters, and every non-ASCII
 * byte of a message that is not UTF-8, become '?').  No function here
 * does I/O.
 */
#ifndef TQ_SIM_HTTP_H
#define TQ_SIM_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>

#include "buf.h"
#include "urlcode.h"


struct sim_req {
	char *method;			/* "GET", "POST", "DELETE", ... */
	char *path;			/* decoded, no query */
	struct url_params query;
	struct url_params form;		/* urlencoded POST body */
	struct buf body;		/* raw body */
	char *base_url;			/* "http://host:port": absolute URLs in bodies */
	bool tunnelled;			/* came through the event-bridge tunnel */
};

void req_clear(struct sim_req *r);
/* True when a body holds a JSON object (its first non-blank byte is '{'). */
bool http_body_is_json(const struct buf *b);
/* A POST body that is not JSON is a form: parsed into r->form. */
void req_parse_body(struct sim_req *r);
/* Splits an "Authorization: Basic ..." value into user and secret (caller
 * frees both, cleansing the secret); false when it is not Basic
 * credentials (bad base64, no colon, a NUL inside, longer than 4 KiB). */
bool http_basic_credentials(const char *header, char **user, char **secret);

struct sim_resp {
	int status;			/* 0: not answered yet */
	struct buf body;
	bool json;			/* Content-Type: application/json */
	int retry_after;		/* > 0: Retry-After header */
	bool www_authenticate;
	/* X-Rate-Limit-* headers (TaskRouter answers): rl_config NULL for none. */
	const char *rl_config;		/* borrowed: the resource key */
	int rl_limit, rl_remaining;
	int64_t etag;			/* > 0: ETag: "etag" (a Worker's version) */
};

void resp_clear(struct sim_resp *r);
/* Takes the generated text of g (which the caller still frees). */
void resp_json(struct sim_resp *r, int status, yajl_gen g);
void resp_error(struct sim_resp *r, int status, int code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Twilio's error codes used by tqsim. */
enum {
	TW_INVALID = 20001,		/* invalid parameter (400) */
	TW_AUTH = 20003,		/* authenticate (401) / permission (403) */
	TW_METHOD = 20004,		/* method not allowed (405) */
	TW_NOT_FOUND = 20404,
	TW_TOO_MANY = 20429,
	TW_INTERNAL = 20500,
	TW_UNAVAILABLE = 20503,
};

#endif
