#include "config.h"
#include "sim-ratelimit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sim-rest.h"
#include "xalloc.h"

/* The limits TaskRouter publishes (PROTOCOL.md 4.2; the first two keys as
 * Twilio's changelog names them, the bulk one named by tqsim). */
static const struct {
	const char *key;
	int limit;
} published[] = {
	{ "TaskQueueBulkRealTimeStatistics-Create", 5 },
	{ "Worker-List-TargetWorkersExpression", 3 },
	{ "TaskQueue-List-EvaluateWorkerAttributes", 3 },
	{ "Task-List-EvaluateTaskAttributes", 3 },
};

/* Resource names: a finite vocabulary, so that clients cannot make tqsim
 * grow a bucket per made-up path. */
static const struct {
	const char *plural, *singular;
} names[] = {
	{ "TaskQueues", "TaskQueue" }, { "Workers", "Worker" }, { "Activities", "Activity" },
	{ "TaskChannels", "TaskChannel" }, { "Tasks", "Task" }, { "Workflows", "Workflow" },
	{ "Events", "Event" }, { "Channels", "Channel" }, { "Reservations", "Reservation" },
};

static const char *singular(const char *seg)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(seg, names[i].plural) == 0)
			return names[i].singular;
	return "Resource";
}

static const char *action(const char *method, bool collection)
{
	if (strcmp(method, "POST") == 0)
		return collection ? "Create" : "Update";
	if (strcmp(method, "DELETE") == 0)
		return "Delete";
	return collection ? "List" : "Fetch";
}

static bool has_param(const struct sim_req *req, const char *key)
{
	return url_params_get(&req->query, key) || url_params_get(&req->form, key);
}

char *rl_key(const char *method, const struct sim_req *req, char *const *seg, size_t n)
{
	struct buf b = BUF_INIT;

	if (n <= 3) {
		buf_printf(&b, "Workspace-%s", action(method, n <= 2));
	} else if (n == 4 && rest_stats_resource(seg[3], NULL)) {
		buf_printf(&b, "Workspace%s-Fetch", seg[3]);
	} else if (n == 4) {
		buf_printf(&b, "%s-%s", singular(seg[3]), action(method, true));
		if (!strcmp(seg[3], "Workers") && has_param(req, "TargetWorkersExpression"))
			buf_puts(&b, "-TargetWorkersExpression");
		else if (!strcmp(seg[3], "TaskQueues") && has_param(req, "EvaluateWorkerAttributes"))
			buf_puts(&b, "-EvaluateWorkerAttributes");
		else if (!strcmp(seg[3], "Tasks") && has_param(req, "EvaluateTaskAttributes"))
			buf_puts(&b, "-EvaluateTaskAttributes");
	} else if (n == 5 && !strcmp(seg[3], "TaskQueues") && !strcmp(seg[4], "Statistics")) {
		buf_puts(&b, "TaskQueueStatistics-List");
	} else if (n == 5 && !strcmp(seg[3], "TaskQueues") && !strcmp(seg[4], "RealTimeStatistics")) {
		buf_printf(&b, "TaskQueueBulkRealTimeStatistics-%s", action(method, true));
	} else if (n == 5 && rest_stats_resource(seg[4], NULL)) {
		buf_printf(&b, "%ss%s-Fetch", singular(seg[3]), seg[4]);
	} else if (n == 5) {
		buf_printf(&b, "%s-%s", singular(seg[3]), action(method, false));
	} else if (n == 6 && rest_stats_resource(seg[5], NULL)) {
		buf_printf(&b, "%s%s-Fetch", singular(seg[3]), seg[5]);
	} else if (n <= 7) {
		buf_printf(&b, "%s%s-%s", singular(seg[3]), singular(seg[5]), action(method, n == 6));
	} else {
		buf_printf(&b, "%s-Fetch", singular(seg[3]));
	}
	return buf_steal(&b);
}

int rl_limit_of(const char *key)
{
	for (size_t i = 0; i < sizeof published / sizeof published[0]; i++)
		if (strcmp(key, published[i].key) == 0)
			return published[i].limit;
	return RL_UNPUBLISHED_LIMIT;
}

static struct rl_bucket *bucket(struct sim_ratelimit *rl, const char *key, uint64_t now_ns)
{
	int64_t slot;

	if (!sim_hash_get(&rl->index, key, &slot)) {
		if (rl->n == rl->cap) {
			rl->cap = rl->cap ? rl->cap * 2 : 16;
			rl->b = xreallocarray(rl->b, rl->cap, sizeof *rl->b);
		}
		slot = (int64_t)rl->n++;
		rl->b[slot].key = xstrdup(key);
		rl->b[slot].limit = rl_limit_of(key);
		rl->b[slot].tokens = rl->b[slot].limit;
		rl->b[slot].last_ns = now_ns;
		sim_hash_put(&rl->index, key, slot);
	}
	return &rl->b[slot];
}

void rl_take(struct sim_ratelimit *rl, const char *key, uint64_t now_ns, struct rl_result *out)
{
	struct rl_bucket *b = bucket(rl, key, now_ns);
	double dt = now_ns > b->last_ns ? (double)(now_ns - b->last_ns) / 1e9 : 0;

	b->tokens += dt * b->limit;
	if (b->tokens > b->limit)
		b->tokens = b->limit;
	b->last_ns = now_ns;
	out->key = b->key;
	out->limit = b->limit;
	out->retry_after = 0;
	if (!rl->enabled) {
		out->allowed = true;
		out->remaining = b->limit;
		return;
	}
	out->allowed = b->tokens >= 1;
	if (out->allowed)
		b->tokens -= 1;
	else
		out->retry_after = (int)ceil((1 - b->tokens) / b->limit);
	if (out->retry_after < 1 && !out->allowed)
		out->retry_after = 1;
	out->remaining = (int)floor(b->tokens);
}

void rl_refill(struct sim_ratelimit *rl)
{
	for (size_t i = 0; i < rl->n; i++)
		rl->b[i].tokens = rl->b[i].limit;
}

void rl_free(struct sim_ratelimit *rl)
{
	for (size_t i = 0; i < rl->n; i++)
		free(rl->b[i].key);
	free(rl->b);
	sim_hash_free(&rl->index);
	memset(rl, 0, sizeof *rl);
}
