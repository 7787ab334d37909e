#include "config.h"
#include "sim-rest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "buf.h"
#include "expr.h"
#include "isotime.h"
#include "json.h"
#include "sim-bridge.h"
#include "sim-render.h"
#include "sim-rest-int.h"
#include "sim-num.h"
#include "sim-stats.h"
#include "token.h"
#include "xalloc.h"

#define MAX_WINDOW_MS (30LL * 24 * 3600 * 1000)
#define MAX_FRIENDLY_NAME 64


bool rest_owns(const char *path)
{
	return strncmp(path, "/v1/Workspaces", 14) == 0 && (path[14] == '\0' || path[14] == '/');
}

bool rest_stats_resource(const char *seg, enum stats_resource *out)
{
	static const struct {
		const char *name;
		enum stats_resource which;
	} names[] = {
		{ "Statistics", ST_BOTH }, { "RealTimeStatistics", ST_REALTIME },
		{ "CumulativeStatistics", ST_CUMULATIVE },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(seg, names[i].name) == 0) {
			if (out)
				*out = names[i].which;
			return true;
		}
	}
	return false;
}

const char *rest_param(const struct ctx *c, const char *key)
{
	const char *v = url_params_get(&c->req->form, key);

	return v ? v : url_params_get(&c->req->query, key);
}

bool rest_bad_param(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	resp_error(c->resp, 400, TW_INVALID, "%s", msg);
	free(msg);
	return false;
}

/* The path as Twilio's messages show it: without the version. */
static const char *shown_path(const struct ctx *c)
{
	const char *p = c->req->path;

	return strncmp(p, "/v1/", 4) == 0 ? p + 3 : p;
}

void rest_not_found(struct ctx *c)
{
	resp_error(c->resp, 404, TW_NOT_FOUND, "The requested resource %s was not found", shown_path(c));
}

void rest_method_not_allowed(struct ctx *c)
{
	resp_error(c->resp, 405, TW_METHOD, "Method %s not allowed on %s", c->req->method, shown_path(c));
}

bool rest_is_method(const struct ctx *c, const char *m)
{
	return strcmp(c->req->method, m) == 0;
}

/* ---- lists: filters, ordering, paging (PROTOCOL.md 1.1) ------------------- */


static void add_query(struct buf *b, const char *key, const char *value)
{
	buf_putc(b, b->len ? '&' : '?');
	buf_put_urlencoded(b, key);
	buf_putc(b, '=');
	buf_put_urlencoded(b, value);
}

static char *page_url(const struct ctx *c, const struct lister *l, int64_t size, int64_t page, const char *token)
{
	struct buf q = BUF_INIT;
	char num[24];
	char *url;

	for (size_t i = 0; l->filters && l->filters[i]; i++)
		for (size_t j = 0; j < c->req->query.n; j++)
			if (strcmp(c->req->query.v[j].key, l->filters[i]) == 0)
				add_query(&q, l->filters[i], c->req->query.v[j].value);
	snprintf(num, sizeof num, "%lld", (long long)size);
	add_query(&q, "PageSize", num);
	snprintf(num, sizeof num, "%lld", (long long)page);
	add_query(&q, "Page", num);
	if (token)
		add_query(&q, "PageToken", token);
	url = xasprintf("%s%s%s", c->base, c->req->path, buf_cstr(&q));
	buf_free(&q);
	return url;
}

static ssize_t find_sid(const struct ctx *c, const struct lister *l, const uint32_t *items, size_t n, const char *sid)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l->sid(c, items[i], l->ud), sid) == 0)
			return (ssize_t)i;
	return -1;
}

void rest_list_response(struct ctx *c, const struct lister *l, const uint32_t *items, size_t n)
{
	const char *ps = rest_param(c, "PageSize"), *pg = rest_param(c, "Page"), *tok = rest_param(c, "PageToken");
	int64_t size = 50, page = 0;
	size_t off;
	yajl_gen g;
	char *url, *first, *next = NULL, *prev = NULL, *tk;

	if (ps && !num_parse_int(ps, 1, 1000, &size)) {
		rest_bad_param(c, "Invalid PageSize '%s': must be an integer 1..1000", ps);
		return;
	}
	if (pg && !num_parse_int(pg, 0, INT32_MAX, &page)) {
		rest_bad_param(c, "Invalid Page '%s': must be an integer >= 0", pg);
		return;
	}
	off = (size_t)(page * size);
	if (tok && *tok) {
		ssize_t at = -1;
		if (strlen(tok) > 2 && (strncmp(tok, "PA", 2) == 0 || strncmp(tok, "PB", 2) == 0))
			at = find_sid(c, l, items, n, tok + 2);
		if (at < 0) {
			rest_bad_param(c, "Invalid PageToken '%s': use the next_page_url or previous_page_url of a page", tok);
			return;
		}
		if (tok[1] == 'A')
			off = (size_t)at + 1;
		else
			off = (size_t)at > (size_t)size ? (size_t)at - (size_t)size : 0;
	}
	if (off > n)
		off = n;
	size_t end = off + (size_t)size < n ? off + (size_t)size : n;

	url = page_url(c, l, size, page, tok && *tok ? tok : NULL);
	first = page_url(c, l, size, 0, NULL);
	if (end < n && end > off) {
		tk = xasprintf("PA%s", l->sid(c, items[end - 1], l->ud));
		next = page_url(c, l, size, page + 1, tk);
		free(tk);
	}
	if (page > 0 && off > 0 && off < n) {
		tk = xasprintf("PB%s", l->sid(c, items[off], l->ud));
		prev = page_url(c, l, size, page - 1, tk);
		free(tk);
	}
	g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	json_gen_key(g, l->key);
	yajl_gen_array_open(g);
	for (size_t i = off; i < end; i++) {
		if (l->render)
			l->render(c, g, items[i], l->ud);
		else
			l->render_one(g, c->e, items[i], c->base);
	}
	yajl_gen_array_close(g);
	json_gen_key(g, "meta");
	yajl_gen_map_open(g);
	json_gen_kv_int(g, "page", page);
	json_gen_kv_int(g, "page_size", size);
	json_gen_kv_str(g, "first_page_url", first);
	json_gen_kv_str(g, "previous_page_url", prev);
	json_gen_kv_str(g, "url", url);
	json_gen_kv_str(g, "next_page_url", next);
	json_gen_kv_str(g, "key", l->key);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	resp_json(c->resp, 200, g);
	yajl_gen_free(g);
	free(url);
	free(first);
	free(next);
	free(prev);
}


bool rest_parse_ordering(struct ctx *c, struct order *o)
{
	static const char *const fields[] = { "DateCreated", "DateUpdated", "FriendlyName" };
	const char *s = rest_param(c, "Ordering");
	const char *colon;

	o->field = 0;
	o->desc = false;
	if (!s)
		return true;
	colon = strchr(s, ':');
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(fields[i]);
		if (strncmp(s, fields[i], n) == 0 && (s[n] == '\0' || s + n == colon)) {
			o->field = i + 1;
			if (colon && strcmp(colon, ":desc") == 0)
				o->desc = true;
			else if (colon && strcmp(colon, ":asc") != 0)
				break;
			return true;
		}
	}
	return rest_bad_param(c, "Invalid Ordering '%s': use DateCreated, DateUpdated or FriendlyName, "
			 "optionally with :asc or :desc", s);
}

struct sort_item {
	int64_t date;
	const char *name;
	uint32_t i;
};

static int cmp_date(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_name(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x->i < y->i ? -1 : x->i > y->i);
}

void rest_apply_order(uint32_t *items, size_t n, const struct order *o,
			int64_t (*date)(const struct sim_engine *, uint32_t, int),
			const char *(*name)(const struct sim_engine *, uint32_t), const struct sim_engine *e)
{
	struct sort_item *s;

	if (o->field == 0 && !o->desc)
		return;
	s = xcalloc(n ? n : 1, sizeof *s);
	for (size_t i = 0; i < n; i++) {
		s[i].i = items[i];
		if (o->field == 1 || o->field == 2)
			s[i].date = date(e, items[i], o->field);
		else if (o->field == 3)
			s[i].name = name(e, items[i]);
	}
	if (o->field == 3)
		qsort(s, n, sizeof *s, cmp_name);
	else if (o->field)
		qsort(s, n, sizeof *s, cmp_date);
	for (size_t i = 0; i < n; i++)
		items[i] = s[o->desc ? n - 1 - i : i].i;
	free(s);
}

/* ---- parameters shared by the statistics routes ---------------------------- */


static bool parse_date(const char *s, int64_t *ms_out)
{
	int64_t sec;
	char *full;
	bool ok;

	if (strlen(s) == 10) {
		full = xasprintf("%sT00:00:00Z", s);
		ok = iso8601_parse(full, &sec);
		free(full);
	} else {
		ok = iso8601_parse(s, &sec);
	}
	if (ok)
		*ms_out = sec * 1000;
	return ok;
}

int rest_queue_param(struct ctx *c, bool include_deleted)
{
	const char *qsid = rest_param(c, "TaskQueueSid"), *qname = rest_param(c, "TaskQueueName");
	const struct sim_engine *e = c->e;
	int qi = -1;

	if (!qsid && !qname)
		return -1;
	if (qsid) {
		qi = engine_find_queue(e, qsid);
	} else {
		/* names may repeat: the first one counts */
		for (size_t i = 0; i < e->n_queues && qi < 0; i++)
			if ((include_deleted || !e->queues[i].deleted) && !strcmp(qname, e->queues[i].name))
				qi = (int)i;
	}
	if (qi >= 0 && (include_deleted || !e->queues[qi].deleted))
		return qi;
	rest_bad_param(c, "Invalid %s '%s': not a TaskQueue of this Workspace", qsid ? "TaskQueueSid" : "TaskQueueName",
		       qsid ? qsid : qname);
	return -2;
}

bool rest_parse_channel(struct ctx *c, int *channel)
{
	const char *s = rest_param(c, "TaskChannel");

	*channel = -1;
	if (!s)
		return true;
	*channel = engine_find_channel(c->e, s);
	if (*channel < 0)
		return rest_bad_param(c, "Invalid TaskChannel '%s': not a TaskChannel SID or unique name of this Workspace", s);
	return true;
}

bool rest_parse_window(struct ctx *c, struct window *w, unsigned flags)
{
	const char *min = rest_param(c, "Minutes"), *sd = rest_param(c, "StartDate"), *ed = rest_param(c, "EndDate");
	const char *split = flags & WIN_SPLIT ? rest_param(c, "SplitByWaitTime") : NULL;
	int64_t now = c->e->now, m;

	memset(w, 0, sizeof *w);
	if (min && (sd || ed))
		return rest_bad_param(c, "Minutes cannot be combined with StartDate or EndDate: give one or the other");
	if (min) {
		if (!num_parse_int(min, 1, 43200, &m))
			return rest_bad_param(c, "Invalid Minutes '%s': must be an integer 1..43200 (30 days)", min);
		w->start = now - m * 60000;
		w->end = w->end_shown = now;
	} else {
		w->end = w->end_shown = now;
		if (ed) {
			if (!parse_date(ed, &w->end))
				return rest_bad_param(c, "Invalid EndDate '%s': expected ISO 8601, e.g. 2024-01-31T12:00:00Z", ed);
			w->end_shown = w->end;
		}
		w->start = w->end - 15 * 60000;
		if (sd && !parse_date(sd, &w->start))
			return rest_bad_param(c, "Invalid StartDate '%s': expected ISO 8601, e.g. 2024-01-31T12:00:00Z", sd);
		if (w->start >= w->end)
			return rest_bad_param(c, "StartDate must be before EndDate");
		if (w->start < now - MAX_WINDOW_MS)
			return rest_bad_param(c, "%s is more than 30 days ago: statistics cover the past 30 days only",
					 sd ? "StartDate" : "EndDate");
	}
	if (!(flags & WIN_NOT_HISTORY) && w->start < c->e->hist_kept_from) {
		char iso[ISO8601_LEN];
		iso8601_format(c->e->hist_kept_from / 1000, iso);
		return rest_bad_param(c, "%s reaches before %s: tqsim no longer keeps statistics that old "
				 "(its history is capped by --history-mb)", min ? "Minutes" : sd ? "StartDate" : "EndDate", iso);
	}
	/* An end in the future counts up to now; events at "now" are in. */
	if (w->end >= now)
		w->end = now + 1;
	if (split) {
		const char *p = split;
		while (*p) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			char *item = xstrndup(p, len);
			int64_t t;
			bool ok = num_parse_int(item, 1, 30 * 86400, &t);
			free(item);
			if (!ok)
				return rest_bad_param(c, "Invalid SplitByWaitTime '%s': comma-separated thresholds, "
						 "whole seconds 1..2592000, e.g. 5,10,30", split);
			if (w->n_thr == MAX_SPLITS)
				return rest_bad_param(c, "Invalid SplitByWaitTime: more than %d thresholds, tqsim's "
						 "limit (TaskRouter documents none; see tqsim(1))", MAX_SPLITS);
			/* a repeated threshold would repeat its key in the body */
			bool seen = false;
			for (size_t j = 0; j < w->n_thr; j++)
				seen = seen || w->thr[j] == t;
			if (!seen)
				w->thr[w->n_thr++] = t;
			p += len;
			if (*p == ',' && *++p == '\0')
				return rest_bad_param(c, "Invalid SplitByWaitTime '%s': trailing comma", split);
		}
		if (w->n_thr == 0)
			return rest_bad_param(c, "Invalid SplitByWaitTime '': give thresholds in seconds, e.g. 5,10");
	}
	return rest_parse_channel(c, &w->channel);
}

/* ---- statistics ------------------------------------------------------------- */

static void gen_realtime(struct ctx *c, yajl_gen g, uint32_t qi, int channel)
{
	struct sim_realtime r;

	stats_realtime(c->e, qi, channel, &r);
	render_realtime_members(g, c->e, &r, SCOPE_QUEUE);
	stats_realtime_clear(&r);
}

static void gen_cumulative(struct ctx *c, yajl_gen g, uint32_t qi, const struct window *w)
{
	struct sim_cumulative cu;

	stats_cumulative(c->e, qi, w->start, w->end, w->channel, w->thr, w->n_thr, &cu);
	/* An old end counted from the start of its minute shows as such. */
	render_cumulative_members(g, &cu, cu.end_ms == w->end ? w->end_shown : cu.end_ms, SCOPE_QUEUE);
	stats_cumulative_clear(&cu);
}

static void ids(yajl_gen g, const struct sim_engine *e, uint32_t qi)
{
	json_gen_kv_str(g, "account_sid", e->account_sid);
	json_gen_kv_str(g, "task_queue_sid", e->queues[qi].sid);
	json_gen_kv_str(g, "workspace_sid", e->workspace_sid);
}

static void gen_both(struct ctx *c, yajl_gen g, uint32_t qi, const struct window *w)
{
	json_gen_key(g, "cumulative");
	yajl_gen_map_open(g);
	gen_cumulative(c, g, qi, w);
	yajl_gen_map_close(g);
	json_gen_key(g, "realtime");
	yajl_gen_map_open(g);
	gen_realtime(c, g, qi, w->channel);
	yajl_gen_map_close(g);
}

/* A queue's RealTimeStatistics, CumulativeStatistics or Statistics:
 * {account_sid, task_queue_sid, workspace_sid, ...figures, url}. */
static void queue_stats(struct ctx *c, uint32_t qi, enum stats_resource which)
{
	struct window w;
	yajl_gen g;

	/* RealTimeStatistics takes TaskChannel only: no window to refuse. */
	if (which == ST_REALTIME ? !rest_parse_channel(c, &w.channel) : !rest_parse_window(c, &w, WIN_SPLIT))
		return;
	g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	ids(g, c->e, qi);
	if (which == ST_REALTIME)
		gen_realtime(c, g, qi, w.channel);
	else if (which == ST_CUMULATIVE)
		gen_cumulative(c, g, qi, &w);
	else
		gen_both(c, g, qi, &w);
	render_kv_url(g, "url", c->base, "%s", c->req->path);
	yajl_gen_map_close(g);
	resp_json(c->resp, 200, g);
	yajl_gen_free(g);
}

/* The Workspace's (or its one Workflow's) RealTimeStatistics,
 * CumulativeStatistics or Statistics: every queue's figures summed
 * (sim-stats.h). */
void rest_aggregate_stats(struct ctx *c, enum stats_resource which, enum stats_scope scope)
{
	struct sim_realtime r;
	struct sim_cumulative cu;
	struct window w;
	yajl_gen g;

	if (which == ST_REALTIME ? !rest_parse_channel(c, &w.channel) : !rest_parse_window(c, &w, WIN_SPLIT))
		return;
	g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", c->e->account_sid);
	if (which != ST_REALTIME) {
		stats_workspace_cumulative(c->e, w.start, w.end, w.channel, w.thr, w.n_thr, &cu);
		if (which == ST_BOTH) {
			json_gen_key(g, "cumulative");
			yajl_gen_map_open(g);
		}
		render_cumulative_members(g, &cu, cu.end_ms == w.end ? w.end_shown : cu.end_ms, scope);
		if (which == ST_BOTH)
			yajl_gen_map_close(g);
		stats_cumulative_clear(&cu);
	}
	if (which != ST_CUMULATIVE) {
		stats_workspace_realtime(c->e, w.channel, &r);
		if (which == ST_BOTH) {
			json_gen_key(g, "realtime");
			yajl_gen_map_open(g);
		}
		render_realtime_members(g, c->e, &r, scope);
		if (which == ST_BOTH)
			yajl_gen_map_close(g);
		stats_realtime_clear(&r);
	}
	if (scope == SCOPE_WORKFLOW) {
		json_gen_kv_str(g, "workflow_sid", c->e->workflow_sid);
	}
	json_gen_kv_str(g, "workspace_sid", c->e->workspace_sid);
	render_kv_url(g, "url", c->base, "%s", c->req->path);
	yajl_gen_map_close(g);
	resp_json(c->resp, 200, g);
	yajl_gen_free(g);
}

static const char *queue_sid(const struct ctx *c, uint32_t i, void *ud)
{
	(void)ud;
	return c->e->queues[i].sid;
}

static void render_stats_item(struct ctx *c, yajl_gen g, uint32_t qi, void *ud)
{
	yajl_gen_map_open(g);
	ids(g, c->e, qi);
	gen_both(c, g, qi, ud);
	yajl_gen_map_close(g);
}

static void list_statistics(struct ctx *c)
{
	static const char *const filters[] = { "FriendlyName", "Minutes", "StartDate", "EndDate",
					       "TaskChannel", "SplitByWaitTime", NULL };
	const char *name = rest_param(c, "FriendlyName");
	struct window w;
	uint32_t *items;
	size_t n = 0;

	if (!rest_parse_window(c, &w, WIN_SPLIT))
		return;
	items = xcalloc(c->e->n_queues ? c->e->n_queues : 1, sizeof *items);
	for (size_t i = 0; i < c->e->n_queues; i++)
		if (!c->e->queues[i].deleted && (!name || strcmp(name, c->e->queues[i].name) == 0))
			items[n++] = (uint32_t)i;
	struct lister l = { "task_queues_statistics", queue_sid, render_stats_item, NULL, &w, filters };
	rest_list_response(c, &l, items, n);
	free(items);
}

/* Bulk real-time statistics: {"QueueSids": [...]} (also "queueSids", or
 * form fields QueueSids=...). */
static void bulk_realtime(struct ctx *c)
{
	const struct sim_req *req = c->req;
	char **sids = NULL;
	size_t n = 0;
	yajl_val root = NULL;
	yajl_gen g;

	if (http_body_is_json(&req->body)) {
		char *err = NULL;
		yajl_val arr;
		root = json_parse(req->body.data, req->body.len, &err);
		if (!root) {
			rest_bad_param(c, "Invalid JSON body: %s", err);
			free(err);
			return;
		}
		arr = json_get(root, "QueueSids");
		if (!arr)
			arr = json_get(root, "queueSids");
		if (!arr || !YAJL_IS_ARRAY(arr)) {
			yajl_tree_free(root);
			rest_bad_param(c, "QueueSids is required: a JSON array of 1 to 50 TaskQueue SIDs");
			return;
		}
		sids = xcalloc(arr->u.array.len + 1, sizeof *sids);
		for (size_t i = 0; i < arr->u.array.len; i++) {
			yajl_val v = arr->u.array.values[i];
			sids[n++] = YAJL_IS_STRING(v) ? v->u.string : NULL;
		}
	} else {
		sids = xcalloc(req->form.n + 1, sizeof *sids);
		for (size_t i = 0; i < req->form.n; i++)
			if (strcmp(req->form.v[i].key, "QueueSids") == 0 || strcmp(req->form.v[i].key, "queueSids") == 0)
				sids[n++] = req->form.v[i].value;
	}
	if (n < 1 || n > 50) {
		rest_bad_param(c, "QueueSids must list 1 to 50 TaskQueue SIDs (got %zu)", n);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (!sids[i] || !sid_valid(sids[i], "WQ")) {
			rest_bad_param(c, "Invalid QueueSids[%zu] '%s': expected a TaskQueue SID (WQ + 32 hex digits)",
				  i, sids[i] ? sids[i] : "(not a string)");
			goto out;
		}
	}
	g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "account_sid", c->e->account_sid);
	json_gen_kv_str(g, "workspace_sid", c->e->workspace_sid);
	render_kv_url(g, "url", c->base, "%s", c->req->path);
	json_gen_key(g, "task_queue_data");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < n; i++) {
		int qi = engine_find_queue(c->e, sids[i]);
		yajl_gen_map_open(g);
		json_gen_kv_str(g, "task_queue_sid", sids[i]);
		if (qi >= 0 && !c->e->queues[qi].deleted) {
			gen_realtime(c, g, (uint32_t)qi, -1);
		} else {
			/* Unknown SIDs come back zeroed, as the service does for
			 * queues of other accounts. */
			struct sim_realtime r;
			uint32_t *zero = xcalloc(c->e->n_activities, sizeof *zero);
			memset(&r, 0, sizeof r);
			r.longest_task = r.longest_rel_task = -1;
			r.by_activity = zero;
			render_realtime_members(g, c->e, &r, SCOPE_QUEUE);
			free(zero);
		}
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	json_gen_kv_int(g, "task_queue_response_count", (int64_t)n);
	yajl_gen_map_close(g);
	resp_json(c->resp, 200, g);
	yajl_gen_free(g);
out:
	free(sids);
	if (root)
		yajl_tree_free(root);
}

/* ---- TaskQueues ------------------------------------------------------------- */

static int64_t queue_date(const struct sim_engine *e, uint32_t i, int field)
{
	return field == 1 ? e->queues[i].date_created : e->queues[i].date_updated;
}

static const char *queue_name(const struct sim_engine *e, uint32_t i)
{
	return e->queues[i].name;
}

static void list_queues(struct ctx *c)
{
	static const char *const filters[] = { "FriendlyName", "EvaluateWorkerAttributes", "WorkerSid",
					       "Ordering", NULL };
	const char *name = rest_param(c, "FriendlyName"), *ewa = rest_param(c, "EvaluateWorkerAttributes");
	const char *wsid = rest_param(c, "WorkerSid");
	struct sim_engine *e = c->e;
	yajl_val attrs = NULL;
	uint32_t *items;
	size_t n = 0;
	int wi = -1;
	struct order o;

	if (!rest_parse_ordering(c, &o))
		return;
	if (ewa) {
		char *err = NULL;
		attrs = json_parse(ewa, strlen(ewa), &err);
		if (!attrs || !YAJL_IS_OBJECT(attrs)) {
			rest_bad_param(c, "Invalid EvaluateWorkerAttributes: %s", attrs ? "expected a JSON object" : err);
			free(err);
			if (attrs)
				yajl_tree_free(attrs);
			return;
		}
	}
	if (wsid) {
		wi = engine_find_worker(e, wsid);
		if (wi < 0) {
			if (attrs)
				yajl_tree_free(attrs);
			rest_bad_param(c, "Invalid WorkerSid '%s': not a Worker of this Workspace", wsid);
			return;
		}
	}
	items = xcalloc(e->n_queues ? e->n_queues : 1, sizeof *items);
	for (size_t i = 0; i < e->n_queues; i++) {
		const struct sim_queue *q = &e->queues[i];
		bool keep = !q->deleted && (!name || strcmp(name, q->name) == 0);
		if (keep && attrs)
			keep = expr_eval(q->expr, attrs, NULL);
		if (keep && wi >= 0) {
			const struct sim_worker *w = &e->workers[wi];
			keep = false;
			for (uint32_t j = 0; j < w->n_qlinks && !keep; j++)
				keep = w->qlinks[j].q == i;
		}
		if (keep)
			items[n++] = (uint32_t)i;
	}
	rest_apply_order(items, n, &o, queue_date, queue_name, e);
	struct lister l = { "task_queues", queue_sid, NULL, render_queue, NULL, filters };
	rest_list_response(c, &l, items, n);
	free(items);
	if (attrs)
		yajl_tree_free(attrs);
}

static bool parse_activity_param(struct ctx *c, const char *key, int *out)
{
	const char *s = rest_param(c, key);

	*out = -2;
	if (!s)
		return true;
	if (!*s) {
		*out = -1;
		return true;
	}
	*out = engine_find_activity(c->e, s);
	if (*out < 0)
		return rest_bad_param(c, "Invalid %s '%s': not an Activity of this Workspace", key, s);
	return true;
}

/* Validates the TaskQueue form fields into ed; false after answering 400. */
static bool parse_queue_edit(struct ctx *c, struct queue_edit *ed, bool create)
{
	const char *name = rest_param(c, "FriendlyName"), *tw = rest_param(c, "TargetWorkers");
	const char *mrw = rest_param(c, "MaxReservedWorkers"), *order = rest_param(c, "TaskOrder");
	int64_t v;

	*ed = (struct queue_edit)QUEUE_EDIT_INIT;
	if (create && (!name || !*name))
		return rest_bad_param(c, "FriendlyName is required");
	if (name && (!*name || json_utf8_chars(name) > MAX_FRIENDLY_NAME))
		return rest_bad_param(c, "Invalid FriendlyName: must be 1 to %d characters", MAX_FRIENDLY_NAME);
	ed->friendly_name = name;
	if (mrw) {
		if (!num_parse_int(mrw, 1, 50, &v))
			return rest_bad_param(c, "Invalid MaxReservedWorkers '%s': must be an integer 1..50", mrw);
		ed->max_reserved = (int)v;
	}
	if (order) {
		if (strcmp(order, "FIFO") != 0 && strcmp(order, "LIFO") != 0)
			return rest_bad_param(c, "Invalid TaskOrder '%s': must be FIFO or LIFO", order);
		ed->task_order = strcmp(order, "LIFO") == 0;
	}
	if (!parse_activity_param(c, "ReservationActivitySid", &ed->reservation_activity) ||
	    !parse_activity_param(c, "AssignmentActivitySid", &ed->assignment_activity))
		return false;
	if (tw) {
		struct expr_error ee = { 0, NULL };
		ed->expr = expr_parse(tw, &ee);
		if (!ed->expr) {
			char *text = expr_error_text(&ee);
			rest_bad_param(c, "Invalid TargetWorkers: %s", text);
			free(text);
			expr_error_clear(&ee);
			return false;
		}
		ed->target_workers = tw;
	}
	return true;
}

static void push_queue(struct ctx *c, uint32_t qi, const char *event_type)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *text;
	size_t len;

	render_queue(g, c->e, qi, TASKROUTER_API_BASE);
	yajl_gen_get_buf(g, &text, &len);
	bridge_push(c->app, c->e->queues[qi].sid, event_type, (const char *)text, len);
	yajl_gen_free(g);
}

static void answer_queue(struct ctx *c, uint32_t qi, int status)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	render_queue(g, c->e, qi, c->base);
	resp_json(c->resp, status, g);
	yajl_gen_free(g);
}

static void create_queue(struct ctx *c)
{
	struct queue_edit ed;
	uint32_t qi;

	if (!parse_queue_edit(c, &ed, true)) {
		expr_free(&ed.expr);
		return;
	}
	qi = engine_queue_create(c->e, &ed);
	answer_queue(c, qi, 201);
}

static void update_queue(struct ctx *c, uint32_t qi)
{
	struct queue_edit ed;
	unsigned changed;

	if (!parse_queue_edit(c, &ed, false)) {
		expr_free(&ed.expr);
		return;
	}
	changed = engine_queue_update(c->e, qi, &ed);
	answer_queue(c, qi, 200);
	if (changed & QCHG_EXPR)
		push_queue(c, qi, "task-queue.expression.updated");
	if (changed & QCHG_OTHER)
		push_queue(c, qi, "task-queue.updated");
}

static void delete_queue(struct ctx *c, uint32_t qi)
{
	push_queue(c, qi, "task-queue.deleted");
	engine_queue_delete(c->e, qi);
	c->resp->status = 204;
	buf_reset(&c->resp->body);
}

static void queue_routes(struct ctx *c)
{
	enum stats_resource which;
	int qi;

	if (c->n_seg == 4) {
		if (rest_is_method(c, "GET"))
			list_queues(c);
		else if (rest_is_method(c, "POST"))
			create_queue(c);
		else
			rest_method_not_allowed(c);
		return;
	}
	if (c->n_seg == 5 && strcmp(c->seg[4], "Statistics") == 0) {
		if (rest_is_method(c, "GET"))
			list_statistics(c);
		else
			rest_method_not_allowed(c);
		return;
	}
	if (c->n_seg == 5 && strcmp(c->seg[4], "RealTimeStatistics") == 0) {
		if (rest_is_method(c, "POST"))
			bulk_realtime(c);
		else
			rest_method_not_allowed(c);
		return;
	}
	qi = engine_find_queue(c->e, c->seg[4]);
	if (qi < 0 || c->e->queues[qi].deleted || c->n_seg > 6) {
		rest_not_found(c);
		return;
	}
	if (c->n_seg == 5) {
		if (rest_is_method(c, "GET"))
			answer_queue(c, (uint32_t)qi, 200);
		else if (rest_is_method(c, "POST"))
			update_queue(c, (uint32_t)qi);
		else if (rest_is_method(c, "DELETE"))
			delete_queue(c, (uint32_t)qi);
		else
			rest_method_not_allowed(c);
		return;
	}
	if (!rest_stats_resource(c->seg[5], &which))
		rest_not_found(c);
	else if (!rest_is_method(c, "GET"))
		rest_method_not_allowed(c);
	else
		queue_stats(c, (uint32_t)qi, which);
}

/* ---- Workers, Activities, TaskChannels ----------------------------------- */

bool rest_truthy(const char *s)
{
	return !strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "yes");
}

static const char *activity_sid(const struct ctx *c, uint32_t i, void *ud)
{
	(void)ud;
	return c->e->activities[i].sid;
}

static void list_activities(struct ctx *c)
{
	static const char *const filters[] = { "FriendlyName", "Available", NULL };
	const char *name = rest_param(c, "FriendlyName"), *avail = rest_param(c, "Available");
	uint32_t *items = xcalloc(c->e->n_activities, sizeof *items);
	size_t n = 0;

	for (size_t i = 0; i < c->e->n_activities; i++) {
		const struct sim_activity *a = &c->e->activities[i];
		if ((!name || !strcmp(name, a->name)) && (!avail || rest_truthy(avail) == a->available))
			items[n++] = (uint32_t)i;
	}
	struct lister l = { "activities", activity_sid, NULL, render_activity, NULL, filters };
	rest_list_response(c, &l, items, n);
	free(items);
}

static const char *channel_sid(const struct ctx *c, uint32_t i, void *ud)
{
	(void)ud;
	return c->e->channels[i].sid;
}

static void list_channels(struct ctx *c)
{
	uint32_t *items = xcalloc(c->e->n_channels, sizeof *items);

	for (size_t i = 0; i < c->e->n_channels; i++)
		items[i] = (uint32_t)i;
	struct lister l = { "channels", channel_sid, NULL, render_channel, NULL, NULL };
	rest_list_response(c, &l, items, c->e->n_channels);
	free(items);
}

void rest_answer_one(struct ctx *c, rest_render_fn *render, int index)
{
	yajl_gen g;

	if (index < 0) {
		rest_not_found(c);
		return;
	}
	g = yajl_gen_alloc(NULL);
	render(g, c->e, (uint32_t)index, c->base);
	resp_json(c->resp, 200, g);
	yajl_gen_free(g);
}

static void collection_routes(struct ctx *c)
{
	const char *kind = c->seg[3];

	if (!rest_is_method(c, "GET")) {
		rest_method_not_allowed(c);
		return;
	}
	if (c->n_seg > 5) {
		rest_not_found(c);
		return;
	}
	if (strcmp(kind, "Activities") == 0) {
		if (c->n_seg == 4)
			list_activities(c);
		else
			rest_answer_one(c, render_activity, engine_find_activity(c->e, c->seg[4]));
	} else {
		if (c->n_seg == 4)
			list_channels(c);
		else
			rest_answer_one(c, render_channel, engine_find_channel(c->e, c->seg[4]));
	}
}

/* ---- the workspace and dispatch ---------------------------------------- */

static const char *workspace_sid(const struct ctx *c, uint32_t i, void *ud)
{
	(void)ud;
	(void)i;
	return c->e->workspace_sid;
}

static void render_workspace_at(yajl_gen g, const struct sim_engine *e, uint32_t i, const char *base)
{
	(void)i;
	render_workspace(g, e, base);
}

/* The non-empty segments of path, pointing into one copy (*copy, which
 * the caller frees with *seg). */
static void split_path(const char *path, char **copy, char ***seg, size_t *n)
{
	char *p, *save = NULL;
	size_t max = 1;

	for (const char *q = path; *q; q++)
		max += *q == '/';
	*copy = xstrdup(path);
	*seg = xcalloc(max, sizeof **seg);
	*n = 0;
	for (p = strtok_r(*copy, "/", &save); p; p = strtok_r(NULL, "/", &save))
		(*seg)[(*n)++] = p;
}

/* Parameters end up in names, expressions and echoed URLs of JSON bodies,
 * so they must be text. */
static bool params_are_utf8(struct ctx *c, const struct url_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (!json_utf8_valid(p->v[i].key, strlen(p->v[i].key)))
			return rest_bad_param(c, "Invalid parameter name '%s': not valid UTF-8", p->v[i].key);
		if (!json_utf8_valid(p->v[i].value, strlen(p->v[i].value)))
			return rest_bad_param(c, "Invalid %s: not valid UTF-8", p->v[i].key);
	}
	return true;
}

static void route(struct ctx *c)
{
	enum stats_resource which;

	if (c->n_seg < 2 || strcmp(c->seg[0], "v1") != 0 || strcmp(c->seg[1], "Workspaces") != 0) {
		rest_not_found(c);
	} else if (c->n_seg == 2) {
		if (!rest_is_method(c, "GET")) {
			rest_method_not_allowed(c);
		} else {
			uint32_t one = 0;
			struct lister l = { "workspaces", workspace_sid, NULL, render_workspace_at, NULL, NULL };
			rest_list_response(c, &l, &one, 1);
		}
	} else if (strcmp(c->seg[2], c->e->workspace_sid) != 0) {
		rest_not_found(c);
	} else if (c->n_seg == 3) {
		if (rest_is_method(c, "GET"))
			rest_answer_one(c, render_workspace_at, 0);
		else
			rest_method_not_allowed(c);
	} else if (strcmp(c->seg[3], "TaskQueues") == 0) {
		queue_routes(c);
	} else if (!strcmp(c->seg[3], "Workers")) {
		rest_worker_routes(c);
	} else if (c->n_seg == 4 && rest_stats_resource(c->seg[3], &which)) {
		if (!rest_is_method(c, "GET"))
			rest_method_not_allowed(c);
		else
			rest_aggregate_stats(c, which, SCOPE_WORKSPACE);
	} else if (!strcmp(c->seg[3], "Tasks")) {
		rest_task_routes(c);
	} else if (!strcmp(c->seg[3], "Workflows")) {
		rest_workflow_routes(c);
	} else if (!strcmp(c->seg[3], "Events")) {
		rest_event_routes(c);
	} else if (!strcmp(c->seg[3], "Activities") || !strcmp(c->seg[3], "TaskChannels")) {
		collection_routes(c);
	} else {
		rest_not_found(c);
	}
}

/* Spends a request of the route's rate limit; false after answering 429. */
static bool within_limit(struct ctx *c)
{
	char *key = rl_key(c->req->method, c->req, c->seg, c->n_seg);
	struct rl_result r;

	rl_take(&c->app->limits, key, uv_hrtime(), &r);
	free(key);
	if (!r.allowed)
		resp_error(c->resp, 429, TW_TOO_MANY, "Too many requests: %s is limited to %d requests per second "
			   "(TaskRouter's published limit, simulated by tqsim); retry after %d s",
			   r.key, r.limit, r.retry_after);
	c->resp->retry_after = r.retry_after;
	c->resp->rl_config = r.key;
	c->resp->rl_limit = r.limit;
	c->resp->rl_remaining = r.remaining;
	return r.allowed;
}

/* A refusal tqtop's own checks cannot foresee, for its "the form keeps
 * the text" path; reads are never refused.  True after answering 400. */
static bool refused_write(struct ctx *c)
{
	if (c->app->faults.reject_writes <= 0 || strcmp(c->req->method, "GET") == 0)
		return false;
	c->app->faults.reject_writes--;
	rest_bad_param(c, "%s refused by tqsim (fault reject_writes)", c->req->method);
	return true;
}

void rest_handle(struct sim_app *app, const struct sim_req *req, struct sim_resp *resp)
{
	char sid_buf[SIM_SID_LEN];
	struct ctx c = { app, app->engine, req, resp, req->base_url, NULL, 0, sid_buf };
	char *copy;

	/* Split once: the rate-limit key and the router read the same segments. */
	split_path(req->path, &copy, &c.seg, &c.n_seg);
	if (within_limit(&c) && !refused_write(&c) && params_are_utf8(&c, &req->query) &&
	    params_are_utf8(&c, &req->form))
		route(&c);
	free(c.seg);
	free(copy);
}
