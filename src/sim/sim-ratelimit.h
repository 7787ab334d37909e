/* sim-ratelimit: TaskRouter's per-endpoint rate limits (PROTOCOL.md 4.2),
 * simulated with one token bucket per resource key (tqsim has one
 * account, so per key is per account).
 *
 * Contract:
 *  - rl_key() names the resource key of a REST request the way Twilio's
 *    Console and rate-limit events do ("Worker-List-TargetWorkersExpression",
 *    "TaskQueueStatistics-List", ...): the resource, the action (List,
 *    Fetch, Create, Update, Delete) and the filter that has its own limit.
 *  - The published limits are built in: bulk TaskQueue RealTimeStatistics
 *    5 req/s, Workers?TargetWorkersExpression and
 *    TaskQueues?EvaluateWorkerAttributes 3 req/s.  Every other key gets
 *    RL_UNPUBLISHED_LIMIT (Twilio shows those limits only per account in
 *    Console; tqsim's stand-in never throttles a test or benchmark).
 *  - A bucket holds at most `limit` requests and refills at `limit` per
 *    second of real time.  rl_take() spends one request: allowed or not,
 *    it reports the limit, what is left (whole requests) and, when refused,
 *    the seconds until the next request is allowed (>= 1).  Disabled, it
 *    allows everything and spends nothing (remaining stays at the limit).
 */
#ifndef TQ_SIM_RATELIMIT_H
#define TQ_SIM_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim-hash.h"
#include "sim-http.h"

#define RL_UNPUBLISHED_LIMIT 100000

struct rl_bucket {
	char *key;
	int limit;
	double tokens;
	uint64_t last_ns;
};

struct sim_ratelimit {
	bool enabled;
	struct sim_hash index;		/* key -> bucket */
	struct rl_bucket *b;
	size_t n, cap;
};

struct rl_result {
	bool allowed;
	int limit;
	int remaining;
	int retry_after;		/* seconds, when refused */
	const char *key;		/* borrowed from the limiter */
};

/* The resource key of method on req's path, given as its n non-empty
 * segments ("v1", "Workspaces", WS, ...), with req's query/form
 * parameters; the caller frees it. */
char *rl_key(const char *method, const struct sim_req *req, char *const *seg, size_t n);
int rl_limit_of(const char *key);

void rl_take(struct sim_ratelimit *rl, const char *key, uint64_t now_ns, struct rl_result *out);
/* Full buckets again (for a reset). */
void rl_refill(struct sim_ratelimit *rl);
void rl_free(struct sim_ratelimit *rl);

#endif
