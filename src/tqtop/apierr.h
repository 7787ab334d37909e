/* apierr: why a TaskRouter call failed, in one struct for the api, the
 * state model and the views.
 *
 * Contract: a cleared struct (APIERR_INIT) means "no error".  message and
 * more_info are owned by the struct; apierr_text() gives the one line a
 * user sees: "20404 The requested resource was not found (HTTP 404)",
 * "HTTP 502 (no Twilio error in the body)", "timed out after 15 s",
 * "not permitted by this token".  Messages never contain a token.
 */
#ifndef TQ_APIERR_H
#define TQ_APIERR_H

#include <stdint.h>

enum apierr_kind {
	APIERR_NONE = 0,
	APIERR_TWILIO,		/* HTTP error status with a Twilio error body */
	APIERR_HTTP,		/* HTTP error status, body not a Twilio error */
	APIERR_TRANSPORT,	/* no HTTP answer: connect, proxy, TLS, timeout */
	APIERR_PARSE,		/* 2xx whose body is malformed or truncated */
	APIERR_FORBIDDEN,	/* the token's policies forbid it: never sent */
	APIERR_NOT_AVAILABLE,	/* nothing to send it with (no credentials) */
	APIERR_CANCELED,	/* shut down before an answer */
};

struct apierr {
	enum apierr_kind kind;
	int http_status;	/* 0 when there was no HTTP answer */
	int64_t code;		/* Twilio error code, 0 when none */
	char *message;		/* one line */
	char *more_info;	/* URL or NULL */
};

#define APIERR_INIT { APIERR_NONE, 0, 0, NULL, NULL }

void apierr_set(struct apierr *e, enum apierr_kind kind, int http_status,
		int64_t code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void apierr_copy(struct apierr *dst, const struct apierr *src);
void apierr_clear(struct apierr *e);
/* The line a user sees; caller frees. */
char *apierr_text(const struct apierr *e);
const char *apierr_kind_name(enum apierr_kind k);

#endif
