/* sim-rest-int: what the REST route files (sim-rest.c, sim-rest-workers.c)
 * share: the request being answered, parameter parsing, error answers and
 * the paged list envelope (PROTOCOL.md 1.1).  Not for other modules.
 *
 * Contract: every rest_bad_param() / rest_parse_*() that fails has already
 * answered 400 (20001) with a message naming the parameter and the fix;
 * the caller just returns.
 */
#ifndef TQ_SIM_REST_INT_H
#define TQ_SIM_REST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>

#include "sim-app.h"
#include "sim-engine.h"
#include "sim-http.h"
#include "sim-render.h"
#include "sim-rest.h"

/* SplitByWaitTime: TaskRouter documents no limit on the number of
 * thresholds (only 10,000 tasks counted per threshold); tqsim caps them
 * for its own memory and time (a request URL holds at most 16 KiB). */
#define MAX_SPLITS 1000

/* One request being answered. */
struct ctx {
	struct sim_app *app;
	struct sim_engine *e;
	const struct sim_req *req;
	struct sim_resp *resp;
	const char *base;
	char **seg;
	size_t n_seg;
	char *sid_buf;			/* SIM_SID_LEN bytes for SIDs made on the fly */
};

/* Renders item i of the workspace as one JSON object (sim-render.h). */
typedef void rest_render_fn(yajl_gen g, const struct sim_engine *e, uint32_t i, const char *base);

/* A paged list: its key, how to name and render item i (ud: the list's
 * own data).  Items the engine renders from their index alone give
 * render_one instead of render. */
struct lister {
	const char *key;			/* meta.key and the array's name */
	const char *(*sid)(const struct ctx *c, uint32_t i, void *ud);
	void (*render)(struct ctx *c, yajl_gen g, uint32_t i, void *ud);
	rest_render_fn *render_one;
	void *ud;
	const char *const *filters;		/* parameter names echoed in page URLs */
};

/* Ordering=Field:asc|desc over DateCreated, DateUpdated, FriendlyName. */
struct order {
	int field;		/* 0 none, 1 date created, 2 date updated, 3 friendly name */
	bool desc;
};

/* A statistics window: [start, end) as counted, end as shown. */
struct window {
	int64_t start, end, end_shown;
	int channel;
	int64_t thr[MAX_SPLITS];
	size_t n_thr;
};

/* A form or query parameter (form first). */
const char *rest_param(const struct ctx *c, const char *key);
bool rest_bad_param(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rest_not_found(struct ctx *c);
void rest_method_not_allowed(struct ctx *c);
bool rest_is_method(const struct ctx *c, const char *m);
/* "true", "1", "yes" (any case for the words). */
bool rest_truthy(const char *s);

void rest_list_response(struct ctx *c, const struct lister *l, const uint32_t *items, size_t n);
bool rest_parse_ordering(struct ctx *c, struct order *o);
void rest_apply_order(uint32_t *items, size_t n, const struct order *o,
		      int64_t (*date)(const struct sim_engine *, uint32_t, int),
		      const char *(*name)(const struct sim_engine *, uint32_t), const struct sim_engine *e);

/* TaskQueueSid, else TaskQueueName: the queue's index, -1 when neither
 * is given, -2 after answering 400 for one that is not a queue of the
 * workspace (a deleted queue is one only with include_deleted). */
int rest_queue_param(struct ctx *c, bool include_deleted);

/* TaskChannel (SID or unique name) into *channel, -1 when absent. */
bool rest_parse_channel(struct ctx *c, int *channel);
/* Minutes / StartDate / EndDate (default: the last 15 minutes), TaskChannel,
 * and SplitByWaitTime with WIN_SPLIT.  Windows reaching before the kept
 * statistics history are refused unless WIN_NOT_HISTORY (for what is
 * not counted from it). */
enum { WIN_SPLIT = 1, WIN_NOT_HISTORY = 2 };
bool rest_parse_window(struct ctx *c, struct window *w, unsigned flags);

/* Renders item index (404 when index < 0) as a 200 answer. */
void rest_answer_one(struct ctx *c, rest_render_fn *render, int index);

/* The Workspace's or the Workflow's statistics (every queue summed). */
void rest_aggregate_stats(struct ctx *c, enum stats_resource which, enum stats_scope scope);

/* sim-rest-workers.c: everything under /Workspaces/WS/Workers. */
void rest_worker_routes(struct ctx *c);

/* sim-rest-tasks.c: /Tasks, /Workflows, /Events, and reservations. */
void rest_task_routes(struct ctx *c);
void rest_workflow_routes(struct ctx *c);
void rest_event_routes(struct ctx *c);
/* Workers/WK/Reservations[/WR] (n_seg 6 or 7). */
void rest_worker_reservations(struct ctx *c, uint32_t wi);

#endif
