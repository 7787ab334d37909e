/* retry: when to try again, and how fast tqtop may ask at all.
 *
 * Contract (pure functions, no I/O, unit-tested):
 *  - retry_delay(): capped exponential backoff with jitter for REST calls:
 *    base * 2^attempt capped at cap, then scaled into [1/2, 1] of itself by
 *    u in [0,1) ("equal jitter": never a burst at zero delay); a server's
 *    Retry-After wins when it is longer (itself capped at RETRY_AFTER_MAX).
 *  - retry_decide(): GET is retried on timeouts, transport errors, 5xx and
 *    429; POST and DELETE only when the outcome is known not applied: a
 *    429 (TaskRouter documents those as not processed) or a failure before
 *    the request was sent.  Everything else is final.
 *  - reconnect_delay(): the event bridge schedule of TaskRouter.js v1,
 *    min(30, 2^k - 1) s for attempt k = 1, 2, ... (1, 3, 7, 15, 30, 30 ...),
 *    with +-20% jitter so that many clients do not reconnect in step.
 *  - struct backoff: one resource's failures across requests, so that a
 *    failing server sees fewer requests, not more.  backoff_fail() counts
 *    a failed try and returns how long to wait before the next try of
 *    that resource, whatever asks for it: retry_delay() of the failures
 *    in a row (0.5, 1, 2, 4 ... s, capped at RETRY_CAP_S), or the
 *    server's Retry-After when longer; backoff_ok() clears it.  A request
 *    retries within itself only while backoff_retry_within() says so
 *    (the first RETRY_MAX_ATTEMPTS failures); after that each new request
 *    is a single try.
 *  - struct budget: a token bucket (rate per second, burst); budget_take()
 *    spends one request or says how many ms to wait for one.
 */
#ifndef TQ_RETRY_H
#define TQ_RETRY_H

#include <stdbool.h>
#include <stdint.h>

#define RETRY_BASE_S 0.5
#define RETRY_CAP_S 30.0
#define RETRY_AFTER_MAX_S 300.0
#define RETRY_MAX_ATTEMPTS 4	/* tries per request, the first included */

enum retry_verdict {
	RETRY_NO,	/* final: report the result */
	RETRY_YES,
};

double retry_delay(unsigned attempt, double base, double cap, double retry_after, double u);
enum retry_verdict retry_decide(const char *method, long status, bool transport_error,
				bool not_sent);
double reconnect_delay(unsigned k, double u);

struct backoff {
	unsigned streak;	/* failed tries in a row */
	int64_t not_before_ms;	/* no try before this (caller's clock); 0: none */
};

int64_t backoff_fail(struct backoff *b, double retry_after, double u, int64_t now_ms);
void backoff_ok(struct backoff *b);
bool backoff_retry_within(const struct backoff *b, unsigned attempt);
/* ms until the resource may be tried again (0: now). */
int64_t backoff_wait(const struct backoff *b, int64_t now_ms);

struct budget {
	double rate;		/* requests per second */
	double burst;		/* bucket size */
	double tokens;
	int64_t last_ms;
};

void budget_init(struct budget *b, double rate, double burst, int64_t now_ms);
/* 0 when a request may go now (and spends it), else ms until one may. */
int64_t budget_take(struct budget *b, int64_t now_ms);

/* A uniform number in [0,1) for jitter. */
double retry_jitter(void);

#endif
