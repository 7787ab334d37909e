#include "config.h"
#include "sim-rest-int.h"

#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "json.h"
#include "sim-render.h"
#include "sim-stats.h"
#include "xalloc.h"

/* ---- the list ------------------------------------------------------------- */

static const char *worker_sid(const struct ctx *c, uint32_t i, void *ud)
{
	(void)ud;
	return c->e->workers[i].sid;
}

static int64_t worker_date(const struct sim_engine *e, uint32_t i, int field)
{
	return field == 1 ? e->workers[i].date_created : e->workers[i].date_updated;
}

static const char *worker_name(const struct sim_engine *e, uint32_t i)
{
	return e->workers[i].name;
}

static void list_workers(struct ctx *c)
{
	static const char *const filters[] = { "ActivityName", "ActivitySid", "Available", "FriendlyName",
					       "TargetWorkersExpression", "TaskQueueName", "TaskQueueSid",
					       "Ordering", NULL };
	struct sim_engine *e = c->e;
	const char *aname = rest_param(c, "ActivityName"), *asid = rest_param(c, "ActivitySid");
	const char *avail = rest_param(c, "Available"), *name = rest_param(c, "FriendlyName");
	const char *twe = rest_param(c, "TargetWorkersExpression");
	struct expr *ex = NULL;
	int qi;
	uint32_t *items;
	size_t n = 0;
	struct order o;

	if (!rest_parse_ordering(c, &o))
		return;
	/* Unknown activities are refused, as unknown queues are below. */
	if (asid && engine_find_activity(e, asid) < 0) {
		rest_bad_param(c, "Invalid ActivitySid '%s': not an Activity of this Workspace (WA + 32 hex digits, "
			       "see its Activities)", asid);
		return;
	}
	if (aname && engine_find_activity_name(e, aname) < 0) {
		rest_bad_param(c, "Invalid ActivityName '%s': not an Activity of this Workspace (see its Activities)",
			       aname);
		return;
	}
	if (twe) {
		struct expr_error ee = { 0, NULL };
		ex = expr_parse(twe, &ee);
		if (!ex) {
			char *text = expr_error_text(&ee);
			rest_bad_param(c, "Invalid TargetWorkersExpression: %s", text);
			free(text);
			expr_error_clear(&ee);
			return;
		}
	}
	qi = rest_queue_param(c, false);
	if (qi == -2) {
		expr_free(&ex);
		return;
	}
	items = xcalloc(e->n_workers ? e->n_workers : 1, sizeof *items);
	for (size_t i = 0; i < e->n_workers; i++) {
		const struct sim_worker *w = &e->workers[i];
		const struct sim_activity *a = &e->activities[engine_worker_activity(w)];
		bool keep = (!aname || !strcmp(aname, a->name)) && (!asid || !strcmp(asid, a->sid)) &&
			    (!avail || rest_truthy(avail) == a->available) && (!name || !strcmp(name, w->name));
		if (keep && qi >= 0) {
			keep = false;
			for (uint32_t j = 0; j < w->n_qlinks && !keep; j++)
				keep = w->qlinks[j].q == (uint32_t)qi;
		}
		if (keep && ex)
			keep = elig_matches(e, ex, (uint32_t)i);
		if (keep)
			items[n++] = (uint32_t)i;
	}
	expr_free(&ex);
	for (size_t i = 0; i < n; i++)
		if (e->workers[items[i]].date_updated > c->resp->etag)
			c->resp->etag = e->workers[items[i]].date_updated;
	rest_apply_order(items, n, &o, worker_date, worker_name, e);
	struct lister l = { "workers", worker_sid, NULL, render_worker, NULL, filters };
	rest_list_response(c, &l, items, n);
	free(items);
}

/* ---- statistics ------------------------------------------------------------ */

/* The workers a Workers/Statistics request is about: all of them (NULL),
 * or those of TaskQueueSid / TaskQueueName and / or named FriendlyName.
 * False after answering 400 for an unknown queue. */
static bool select_workers(struct ctx *c, uint32_t **out, size_t *n, int *queue)
{
	struct sim_engine *e = c->e;
	const char *name = rest_param(c, "FriendlyName");
	int qi;

	*out = NULL;
	*n = 0;
	*queue = -1;
	qi = rest_queue_param(c, false);
	if (qi == -2)
		return false;
	*queue = qi;
	if (qi < 0 && !name)
		return true;
	*out = xcalloc(e->n_workers ? e->n_workers : 1, sizeof **out);
	if (qi >= 0) {
		const struct sim_queue *q = &e->queues[qi];
		for (uint32_t i = 0; i < q->n_edges; i++)
			if (!name || !strcmp(name, e->workers[q->edges[i].worker].name))
				(*out)[(*n)++] = q->edges[i].worker;
	} else {
		for (size_t i = 0; i < e->n_workers; i++)
			if (!strcmp(name, e->workers[i].name))
				(*out)[(*n)++] = (uint32_t)i;
	}
	return true;
}

static void gen_workers_realtime(struct ctx *c, yajl_gen g, const uint32_t *wi, size_t n, int queue)
{
	const struct sim_engine *e = c->e;
	uint32_t *count;

	if (!wi) {
		render_workers_realtime_members(g, e, e->ws_by_activity, (uint32_t)e->n_workers);
		return;
	}
	if (queue >= 0 && n == e->queues[queue].n_edges) {
		render_workers_realtime_members(g, e, e->queues[queue].by_activity, (uint32_t)n);
		return;
	}
	count = xcalloc(e->n_activities, sizeof *count);
	for (size_t i = 0; i < n; i++)
		count[engine_worker_activity(&e->workers[wi[i]])]++;
	render_workers_realtime_members(g, e, count, (uint32_t)n);
	free(count);
}

static void gen_workers_cumulative(struct ctx *c, yajl_gen g, const uint32_t *wi, size_t n,
				   const struct window *w)
{
	struct sim_worker_cumulative cu;

	stats_workers_cumulative(c->e, wi, n, w->start, w->end, w->channel, &cu);
	render_workers_cumulative_members(g, c->e, &cu, cu.end_ms == w->end ? w->end_shown : cu.end_ms);
	stats_workers_cumulative_clear(&cu);
}

/* Workers/Statistics, /RealTimeStatistics, /CumulativeStatistics. */
static void workers_stats(struct ctx *c, enum stats_resource which)
{
	struct window w;
	uint32_t *wi = NULL;
	size_t n = 0;
	int queue = -1;
	yajl_gen g;

	if (which == ST_REALTIME ? !rest_parse_channel(c, &w.channel) : !rest_parse_window(c, &w, 0))
		return;
	if (which == ST_BOTH && !select_workers(c, &wi, &n, &queue))
		return;
	g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", c->e->account_sid);
	if (which == ST_BOTH) {
		json_gen_key(g, "cumulative");
		yajl_gen_map_open(g);
		gen_workers_cumulative(c, g, wi, n, &w);
		yajl_gen_map_close(g);
		json_gen_key(g, "realtime");
		yajl_gen_map_open(g);
		gen_workers_realtime(c, g, wi, n, queue);
		yajl_gen_map_close(g);
	} else if (which == ST_REALTIME) {
		gen_workers_realtime(c, g, NULL, 0, -1);
	} else {
		gen_workers_cumulative(c, g, NULL, 0, &w);
	}
	json_gen_kv_str(g, "workspace_sid", c->e->workspace_sid);
	render_kv_url(g, "url", c->base, "%s", c->req->path);
	yajl_gen_map_close(g);
	resp_json(c->resp, 200, g);
	yajl_gen_free(g);
	free(wi);
}

/* Workers/WK/Statistics: one worker's cumulative figures. */
static void worker_stats(struct ctx *c, uint32_t wi)
{
	struct window w;
	yajl_gen g;

	if (!rest_parse_window(c, &w, 0))
		return;
	g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", c->e->account_sid);
	json_gen_key(g, "cumulative");
	yajl_gen_map_open(g);
	gen_workers_cumulative(c, g, &wi, 1, &w);
	yajl_gen_map_close(g);
	json_gen_kv_str(g, "worker_sid", c->e->workers[wi].sid);
	json_gen_kv_str(g, "workspace_sid", c->e->workspace_sid);
	render_kv_url(g, "url", c->base, "%s", c->req->path);
	yajl_gen_map_close(g);
	resp_json(c->resp, 200, g);
	yajl_gen_free(g);
}

/* ---- a worker's channels ---------------------------------------------------- */

/* List items are worker * n_channels + channel. */
static const char *wchannel_sid(const struct ctx *c, uint32_t item, void *ud)
{
	(void)ud;
	uint32_t nc = (uint32_t)c->e->n_channels;

	engine_worker_channel_sid(c->e, item / nc, item % nc, c->sid_buf);
	return c->sid_buf;
}

static void render_wchannel_item(struct ctx *c, yajl_gen g, uint32_t item, void *ud)
{
	uint32_t nc = (uint32_t)c->e->n_channels;

	(void)ud;
	render_worker_channel(g, c->e, item / nc, item % nc, c->base);
}

static void list_worker_channels(struct ctx *c, uint32_t wi)
{
	size_t nc = c->e->n_channels;
	uint32_t *items = xcalloc(nc ? nc : 1, sizeof *items);

	for (size_t i = 0; i < nc; i++)
		items[i] = (uint32_t)(wi * nc + i);
	struct lister l = { "channels", wchannel_sid, render_wchannel_item, NULL, NULL, NULL };
	rest_list_response(c, &l, items, nc);
	free(items);
}

static void fetch_worker_channel(struct ctx *c, uint32_t wi, const char *which)
{
	int ci = engine_find_worker_channel(c->e, wi, which);
	yajl_gen g;

	if (ci < 0) {
		rest_not_found(c);
		return;
	}
	g = yajl_gen_alloc(NULL);
	render_worker_channel(g, c->e, wi, (uint32_t)ci, c->base);
	resp_json(c->resp, 200, g);
	yajl_gen_free(g);
}

/* ---- routing ---------------------------------------------------------------- */

/* /Workers, /Workers/{Statistics,RealTimeStatistics,CumulativeStatistics},
 * /Workers/WK, /Workers/WK/Statistics, /Workers/WK/Channels[/WC]. */
void rest_worker_routes(struct ctx *c)
{
	enum stats_resource which;
	int wi;

	if (!rest_is_method(c, "GET")) {
		rest_method_not_allowed(c);
		return;
	}
	if (c->n_seg == 4) {
		list_workers(c);
		return;
	}
	if (c->n_seg == 5 && rest_stats_resource(c->seg[4], &which)) {
		workers_stats(c, which);
		return;
	}
	wi = engine_find_worker(c->e, c->seg[4]);
	if (wi < 0 || c->n_seg > 7) {
		rest_not_found(c);
	} else if (c->n_seg == 5) {
		/* A Worker's version: it changes whenever the Worker does. */
		c->resp->etag = c->e->workers[wi].date_updated;
		rest_answer_one(c, render_worker, wi);
	} else if (c->n_seg == 6 && !strcmp(c->seg[5], "Statistics")) {
		worker_stats(c, (uint32_t)wi);
	} else if (!strcmp(c->seg[5], "Channels")) {
		if (c->n_seg == 6)
			list_worker_channels(c, (uint32_t)wi);
		else
			fetch_worker_channel(c, (uint32_t)wi, c->seg[6]);
	} else if (!strcmp(c->seg[5], "Reservations")) {
		rest_worker_reservations(c, (uint32_t)wi);
	} else {
		rest_not_found(c);
	}
}
