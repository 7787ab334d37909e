#include "config.h"
#include "sim-scenario.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expr.h"
#include "json.h"
#include "sim-render.h"
#include "sim-rng.h"
#include "token.h"
#include "xalloc.h"

/* Loading state: the first error wins and names the JSON path. */
struct ld {
	const char *origin;
	char *err;
};

static bool fail(struct ld *ld, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool fail(struct ld *ld, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (ld->err)
		return false;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	ld->err = xasprintf("scenario %s: %s: %s", ld->origin, path, msg);
	free(msg);
	/* Names in messages come from the file: keep the message one line. */
	for (char *p = ld->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return false;
}

static bool get_str(struct ld *ld, yajl_val obj, const char *key, const char *path, bool required, char **out)
{
	yajl_val v = json_get(obj, key);

	*out = NULL;
	if (!v || YAJL_IS_NULL(v)) {
		if (required)
			return fail(ld, path, "\"%s\" is required (a string)", key);
		return true;
	}
	if (!YAJL_IS_STRING(v))
		return fail(ld, path, "\"%s\": expected a string, got %s", key, json_type_name(v));
	*out = xstrdup(YAJL_GET_STRING(v));
	return true;
}

static bool get_num(struct ld *ld, yajl_val obj, const char *key, const char *path,
		    double def, double lo, double hi, double *out)
{
	yajl_val v = json_get(obj, key);

	*out = def;
	if (!v || YAJL_IS_NULL(v))
		return true;
	if (!YAJL_IS_NUMBER(v))
		return fail(ld, path, "\"%s\": expected a number, got %s", key, json_type_name(v));
	*out = YAJL_GET_DOUBLE(v);
	if (!(*out >= lo && *out <= hi))
		return fail(ld, path, "\"%s\": %g is out of range %g..%g", key, *out, lo, hi);
	return true;
}

static bool get_bool(struct ld *ld, yajl_val obj, const char *key, const char *path, bool def, bool *out)
{
	yajl_val v = json_get(obj, key);

	*out = def;
	if (!v || YAJL_IS_NULL(v))
		return true;
	if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
		return fail(ld, path, "\"%s\": expected a boolean, got %s", key, json_type_name(v));
	*out = YAJL_IS_TRUE(v);
	return true;
}

static yajl_val get_array(struct ld *ld, yajl_val obj, const char *key, const char *path, bool required)
{
	yajl_val v = json_get(obj, key);

	if (!v || YAJL_IS_NULL(v)) {
		if (required)
			fail(ld, path, "\"%s\" is required (an array)", key);
		return NULL;
	}
	if (!YAJL_IS_ARRAY(v)) {
		fail(ld, path, "\"%s\": expected an array, got %s", key, json_type_name(v));
		return NULL;
	}
	return v;
}

static yajl_val get_object(struct ld *ld, yajl_val obj, const char *key, const char *path)
{
	yajl_val v = json_get(obj, key);

	if (!v || YAJL_IS_NULL(v))
		return NULL;
	if (!YAJL_IS_OBJECT(v)) {
		fail(ld, path, "\"%s\": expected an object, got %s", key, json_type_name(v));
		return NULL;
	}
	return v;
}

int scenario_activity(const struct sim_scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->n_activities; i++)
		if (strcmp(sc->activities[i].name, name) == 0)
			return (int)i;
	return -1;
}

int scenario_channel(const struct sim_scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->n_channels; i++)
		if (strcmp(sc->channels[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int queue_index(const struct sim_scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->n_queues; i++)
		if (strcmp(sc->queues[i].name, name) == 0)
			return (int)i;
	return -1;
}

static bool activity_ref(struct ld *ld, const struct sim_scenario *sc, yajl_val obj, const char *key,
			 const char *path, int *out)
{
	char *name;
	bool ok;

	*out = -1;
	if (!get_str(ld, obj, key, path, false, &name))
		return false;
	if (!name)
		return true;
	*out = scenario_activity(sc, name);
	ok = *out >= 0 || fail(ld, path, "\"%s\": no activity called \"%s\"", key, name);
	free(name);
	return ok;
}

static bool load_activities(struct ld *ld, struct sim_scenario *sc, yajl_val root)
{
	yajl_val arr = get_array(ld, root, "activities", "$", true);

	if (!arr)
		return false;
	if (arr->u.array.len == 0)
		return fail(ld, "$.activities", "at least one activity is needed");
	sc->activities = xcalloc(arr->u.array.len, sizeof *sc->activities);
	for (size_t i = 0; i < arr->u.array.len; i++) {
		struct sc_activity *a = &sc->activities[i];
		yajl_val o = arr->u.array.values[i];
		char path[64];
		double mean_min;

		snprintf(path, sizeof path, "$.activities[%zu]", i);
		sc->n_activities = i + 1;
		if (!YAJL_IS_OBJECT(o))
			return fail(ld, path, "expected an object, got %s", json_type_name(o));
		if (!get_str(ld, o, "name", path, true, &a->name) ||
		    !get_bool(ld, o, "available", path, false, &a->available) ||
		    !get_num(ld, o, "mean_minutes", path, a->available ? 30 : 10, 0.01, 10080, &mean_min) ||
		    !get_num(ld, o, "weight", path, a->available ? 0 : 1, 0, 1e6, &a->weight))
			return false;
		a->mean_s = mean_min * 60;
		if (scenario_activity(sc, a->name) != (int)i)
			return fail(ld, path, "duplicate activity name \"%s\"", a->name);
	}
	return true;
}

static bool load_channels(struct ld *ld, struct sim_scenario *sc, yajl_val root)
{
	yajl_val arr = get_array(ld, root, "channels", "$", false);

	if (ld->err)
		return false;
	if (!arr || arr->u.array.len == 0) {
		sc->channels = xcalloc(1, sizeof *sc->channels);
		sc->n_channels = 1;
		sc->channels[0] = (struct sc_channel){ xstrdup("default"), 240, 30, 180 };
		return true;
	}
	sc->channels = xcalloc(arr->u.array.len, sizeof *sc->channels);
	for (size_t i = 0; i < arr->u.array.len; i++) {
		struct sc_channel *c = &sc->channels[i];
		yajl_val o = arr->u.array.values[i];
		char path[64];

		snprintf(path, sizeof path, "$.channels[%zu]", i);
		sc->n_channels = i + 1;
		if (!YAJL_IS_OBJECT(o))
			return fail(ld, path, "expected an object, got %s", json_type_name(o));
		if (!get_str(ld, o, "name", path, true, &c->name) ||
		    !get_num(ld, o, "talk_mean_seconds", path, 240, 1, 86400, &c->talk_mean_s) ||
		    !get_num(ld, o, "wrap_mean_seconds", path, 30, 0, 86400, &c->wrap_mean_s) ||
		    !get_num(ld, o, "patience_mean_seconds", path, 180, 1, 30 * 86400.0, &c->patience_mean_s))
			return false;
		if (scenario_channel(sc, c->name) != (int)i)
			return fail(ld, path, "duplicate channel name \"%s\"", c->name);
	}
	return true;
}

static bool load_weights_by_channel(struct ld *ld, struct sim_scenario *sc, yajl_val o,
				    const char *path, struct sc_queue *q)
{
	yajl_val m = get_object(ld, o, "channels", path);
	bool any = false;

	q->channel_weights = xcalloc(sc->n_channels, sizeof *q->channel_weights);
	if (ld->err)
		return false;
	if (!m) {
		q->channel_weights[0] = 1;
		return true;
	}
	for (size_t i = 0; i < m->u.object.len; i++) {
		int c = scenario_channel(sc, m->u.object.keys[i]);
		yajl_val w = m->u.object.values[i];
		if (c < 0)
			return fail(ld, path, "channels: no channel called \"%s\"", m->u.object.keys[i]);
		if (!YAJL_IS_NUMBER(w) || YAJL_GET_DOUBLE(w) < 0)
			return fail(ld, path, "channels.%s: expected a weight >= 0", m->u.object.keys[i]);
		q->channel_weights[c] = YAJL_GET_DOUBLE(w);
		any = any || q->channel_weights[c] > 0;
	}
	if (!any)
		return fail(ld, path, "channels: at least one weight must be > 0");
	return true;
}

static bool load_priorities(struct ld *ld, yajl_val o, const char *path, struct sc_queue *q)
{
	yajl_val m = get_object(ld, o, "priorities", path);

	if (ld->err)
		return false;
	if (!m || m->u.object.len == 0) {
		q->priorities = xcalloc(1, sizeof *q->priorities);
		q->priority_weights = xcalloc(1, sizeof *q->priority_weights);
		q->priority_weights[0] = 1;
		q->n_priorities = 1;
		return true;
	}
	q->n_priorities = m->u.object.len;
	q->priorities = xcalloc(q->n_priorities, sizeof *q->priorities);
	q->priority_weights = xcalloc(q->n_priorities, sizeof *q->priority_weights);
	for (size_t i = 0; i < m->u.object.len; i++) {
		const char *k = m->u.object.keys[i];
		yajl_val w = m->u.object.values[i];
		char *end;
		long p;

		errno = 0;
		p = strtol(k, &end, 10);
		if (errno || end == k || *end || p < 0 || p > 1000000)
			return fail(ld, path, "priorities: key \"%s\" is not a priority 0..1000000", k);
		if (!YAJL_IS_NUMBER(w) || YAJL_GET_DOUBLE(w) < 0)
			return fail(ld, path, "priorities.%s: expected a weight >= 0", k);
		q->priorities[i] = (int)p;
		q->priority_weights[i] = YAJL_GET_DOUBLE(w);
	}
	return true;
}

static bool check_expression(struct ld *ld, const char *path, const char *src)
{
	struct expr_error ee = { 0, NULL };
	struct expr *e = expr_parse(src, &ee);
	char *text;

	if (e) {
		expr_free(&e);
		return true;
	}
	text = expr_error_text(&ee);
	fail(ld, path, "target_workers: %s", text);
	free(text);
	expr_error_clear(&ee);
	return false;
}

static bool load_queues(struct ld *ld, struct sim_scenario *sc, yajl_val root)
{
	yajl_val arr = get_array(ld, root, "queues", "$", true);

	if (!arr)
		return false;
	sc->queues = xcalloc(arr->u.array.len ? arr->u.array.len : 1, sizeof *sc->queues);
	/* Names first, so that overflow may point forward. */
	for (size_t i = 0; i < arr->u.array.len; i++) {
		yajl_val o = arr->u.array.values[i];
		char path[64];

		snprintf(path, sizeof path, "$.queues[%zu]", i);
		sc->n_queues = i + 1;
		sc->queues[i].overflow_to = -1;
		sc->queues[i].reservation_activity = sc->queues[i].assignment_activity = -1;
		if (!YAJL_IS_OBJECT(o))
			return fail(ld, path, "expected an object, got %s", json_type_name(o));
		if (!get_str(ld, o, "name", path, true, &sc->queues[i].name) ||
		    !get_str(ld, o, "sid", path, false, &sc->queues[i].sid))
			return false;
		if (queue_index(sc, sc->queues[i].name) != (int)i)
			return fail(ld, path, "duplicate queue name \"%s\"", sc->queues[i].name);
		if (sc->queues[i].sid && !sid_valid(sc->queues[i].sid, "WQ"))
			return fail(ld, path, "\"sid\": expected WQ followed by 32 hex digits");
		for (size_t j = 0; j < i && sc->queues[i].sid; j++)
			if (sc->queues[j].sid && strcmp(sc->queues[j].sid, sc->queues[i].sid) == 0)
				return fail(ld, path, "duplicate queue sid %s", sc->queues[i].sid);
	}
	for (size_t i = 0; i < sc->n_queues; i++) {
		struct sc_queue *q = &sc->queues[i];
		yajl_val o = arr->u.array.values[i], load, ovf;
		char path[64], *order = NULL, *to = NULL;
		double max_res, period_min;

		snprintf(path, sizeof path, "$.queues[%zu]", i);
		if (!get_str(ld, o, "target_workers", path, false, &q->target_workers) ||
		    !get_num(ld, o, "max_reserved_workers", path, 1, 1, 50, &max_res) ||
		    !get_str(ld, o, "task_order", path, false, &order) ||
		    !activity_ref(ld, sc, o, "reservation_activity", path, &q->reservation_activity) ||
		    !activity_ref(ld, sc, o, "assignment_activity", path, &q->assignment_activity))
			goto bad;
		if (!q->target_workers)
			q->target_workers = xstrdup("1==1");
		if (!check_expression(ld, path, q->target_workers))
			goto bad;
		if (max_res != floor(max_res)) {
			fail(ld, path, "\"max_reserved_workers\": expected an integer 1..50");
			goto bad;
		}
		q->max_reserved = (int)max_res;
		if (order && strcmp(order, "FIFO") != 0 && strcmp(order, "LIFO") != 0) {
			fail(ld, path, "\"task_order\": expected FIFO or LIFO, got \"%s\"", order);
			goto bad;
		}
		q->lifo = order && strcmp(order, "LIFO") == 0;
		load = get_object(ld, o, "load", path);
		if (ld->err ||
		    !get_num(ld, load, "rate_per_minute", path, 0, 0, 100000, &q->rate_per_min) ||
		    !get_num(ld, load, "wave_amplitude", path, 0, 0, 1, &q->wave_amplitude) ||
		    !get_num(ld, load, "wave_period_minutes", path, 60, 1, 10080, &period_min) ||
		    !get_num(ld, load, "wave_phase", path, 0, 0, 1, &q->wave_phase))
			goto bad;
		q->wave_period_s = period_min * 60;
		if (!load_weights_by_channel(ld, sc, o, path, q) || !load_priorities(ld, o, path, q))
			goto bad;
		ovf = get_object(ld, o, "overflow", path);
		if (ld->err)
			goto bad;
		if (ovf) {
			if (!get_str(ld, ovf, "to", path, true, &to) ||
			    !get_num(ld, ovf, "after_seconds", path, 120, 1, 86400, &q->overflow_after_s))
				goto bad;
			q->overflow_to = queue_index(sc, to);
			if (q->overflow_to < 0 || q->overflow_to == (int)i) {
				fail(ld, path, "overflow.to: \"%s\" is not another queue", to);
				goto bad;
			}
		}
		free(order);
		free(to);
		continue;
bad:
		free(order);
		free(to);
		return false;
	}
	return true;
}

static bool load_workers(struct ld *ld, struct sim_scenario *sc, yajl_val root)
{
	yajl_val arr = get_array(ld, root, "workers", "$", true);

	if (!arr)
		return false;
	sc->workers = xcalloc(arr->u.array.len ? arr->u.array.len : 1, sizeof *sc->workers);
	for (size_t i = 0; i < arr->u.array.len; i++) {
		struct sc_worker *w = &sc->workers[i];
		yajl_val o = arr->u.array.values[i], attrs;
		char path[64];
		char *act = NULL;

		snprintf(path, sizeof path, "$.workers[%zu]", i);
		sc->n_workers = i + 1;
		if (!YAJL_IS_OBJECT(o))
			return fail(ld, path, "expected an object, got %s", json_type_name(o));
		if (!get_str(ld, o, "name", path, true, &w->name) ||
		    !get_str(ld, o, "activity", path, false, &act))
			return false;
		w->activity = act ? scenario_activity(sc, act) : sc->behaviour.return_activity;
		if (w->activity < 0) {
			fail(ld, path, "\"activity\": no activity called \"%s\"", act);
			free(act);
			return false;
		}
		free(act);
		attrs = get_object(ld, o, "attributes", path);
		if (ld->err)
			return false;
		w->attributes = attrs ? render_tree_text(attrs) : xstrdup("{}");
		if (strlen(w->attributes) > 4096)
			return fail(ld, path, "attributes: longer than 4096 characters");
	}
	return true;
}

static bool load_behaviour(struct ld *ld, struct sim_scenario *sc, yajl_val root)
{
	yajl_val o = get_object(ld, root, "behaviour", "$");
	struct sc_behaviour *b = &sc->behaviour;
	const char *path = "$.behaviour";

	if (ld->err)
		return false;
	if (!get_num(ld, o, "reservation_timeout_seconds", path, 30, 1, 86400, &b->reservation_timeout_s) ||
	    !get_num(ld, o, "accept_probability", path, 0.85, 0, 1, &b->accept_p) ||
	    !get_num(ld, o, "reject_probability", path, 0.08, 0, 1, &b->reject_p) ||
	    !get_num(ld, o, "accept_delay_mean_seconds", path, 6, 0, 86400, &b->accept_delay_mean_s) ||
	    /* at least 0.1 s: the task is offered again as soon as it is
	     * rejected, so instant rejections would spin the clock in place */
	    !get_num(ld, o, "reject_delay_mean_seconds", path, 4, 0.1, 86400, &b->reject_delay_mean_s) ||
	    !get_num(ld, o, "delete_probability", path, 0.01, 0, 1, &b->delete_p) ||
	    !get_num(ld, o, "delete_after_mean_seconds", path, 60, 0, 86400, &b->delete_after_mean_s) ||
	    !activity_ref(ld, sc, o, "timeout_activity", path, &b->timeout_activity) ||
	    !activity_ref(ld, sc, o, "return_activity", path, &b->return_activity))
		return false;
	if (b->accept_p + b->reject_p > 1)
		return fail(ld, path, "accept_probability + reject_probability must be <= 1");
	if (b->return_activity < 0) {
		for (size_t i = 0; i < sc->n_activities && b->return_activity < 0; i++)
			if (sc->activities[i].available)
				b->return_activity = (int)i;
		if (b->return_activity < 0)
			return fail(ld, "$.activities", "at least one activity must be available");
	} else if (!sc->activities[b->return_activity].available) {
		return fail(ld, path, "return_activity must be an available activity");
	}
	return true;
}

struct sim_scenario *scenario_parse(const char *text, size_t len, const char *origin, char **err)
{
	struct ld ld = { origin, NULL };
	struct sim_scenario *sc = xcalloc(1, sizeof *sc);
	char *perr = NULL;
	yajl_val root = json_parse(text, len, &perr);

	if (!root) {
		*err = xasprintf("scenario %s: %s", origin, perr);
		free(perr);
		free(sc);
		return NULL;
	}
	if (!YAJL_IS_OBJECT(root)) {
		fail(&ld, "$", "expected an object, got %s", json_type_name(root));
	} else if (get_str(&ld, root, "name", "$", false, &sc->name) &&
		   get_str(&ld, root, "workspace", "$", false, &sc->workspace_name) &&
		   get_str(&ld, root, "workspace_sid", "$", false, &sc->workspace_sid) &&
		   (!sc->workspace_sid || sid_valid(sc->workspace_sid, "WS") ||
		    fail(&ld, "$", "\"workspace_sid\": expected WS followed by 32 hex digits")) &&
		   load_activities(&ld, sc, root) && load_behaviour(&ld, sc, root) &&
		   load_channels(&ld, sc, root) && load_queues(&ld, sc, root)) {
		load_workers(&ld, sc, root);
	}
	yajl_tree_free(root);
	if (ld.err) {
		*err = ld.err;
		scenario_free(&sc);
		return NULL;
	}
	if (!sc->name)
		sc->name = xstrdup(origin);
	if (!sc->workspace_name)
		sc->workspace_name = xstrdup(sc->name);
	return sc;
}

struct sim_scenario *scenario_load_file(const char *path, char **err)
{
	struct buf b = BUF_INIT;
	struct sim_scenario *sc;

	switch (buf_read_file(&b, path, 0)) {
	case BUF_READ_OPEN:
		*err = xasprintf("scenario %s: %s", path, strerror(errno));
		return NULL;
	case BUF_READ_ERROR:
	case BUF_READ_TOO_BIG:
		*err = xasprintf("scenario %s: read error", path);
		buf_free(&b);
		return NULL;
	case BUF_READ_OK:
		break;
	}
	sc = scenario_parse(buf_cstr(&b), b.len, path, err);
	buf_free(&b);
	return sc;
}

struct sim_scenario *scenario_demo(void)
{
	char *err = NULL;
	struct sim_scenario *sc = scenario_parse(scenario_demo_json, strlen(scenario_demo_json), "demo", &err);

	if (!sc)
		die("built-in demo scenario: %s", err);
	return sc;
}

/* The generated workspace: one skill per queue, each worker holding three
 * skills, so that eligibility is sparse (as in a real large centre) and
 * the attribute index keeps start-up linear. */
struct sim_scenario *scenario_scale(size_t nq, size_t nw, uint64_t seed)
{
	static const char *langs[] = { "en", "es", "fr", "de", "pt" };
	static const struct { const char *name; bool avail; double mean_min, weight; } acts[] = {
		{ "Offline", false, 60, 1 }, { "Available", true, 30, 0 },
		{ "Unavailable", false, 5, 2 }, { "Break", false, 10, 3 },
	};
	struct sim_scenario *sc = xcalloc(1, sizeof *sc);
	struct sim_rng rng;
	struct buf b = BUF_INIT;

	rng_seed(&rng, seed ^ 0x5ca1eULL);
	sc->name = xasprintf("scale-%zux%zu", nq, nw);
	sc->workspace_name = xasprintf("Scale %zu queues %zu workers", nq, nw);
	sc->n_activities = sizeof acts / sizeof acts[0];
	sc->activities = xcalloc(sc->n_activities, sizeof *sc->activities);
	for (size_t i = 0; i < sc->n_activities; i++)
		sc->activities[i] = (struct sc_activity){ xstrdup(acts[i].name), acts[i].avail,
							  acts[i].mean_min * 60, acts[i].weight };
	sc->n_channels = 2;
	sc->channels = xcalloc(2, sizeof *sc->channels);
	sc->channels[0] = (struct sc_channel){ xstrdup("voice"), 240, 30, 180 };
	sc->channels[1] = (struct sc_channel){ xstrdup("chat"), 420, 45, 600 };
	sc->behaviour = (struct sc_behaviour){ 30, 0.85, 0.08, 6, 4, 0.01, 60, 2, 1 };

	/* Capacity: about 3/4 of the workers are available, a task takes about
	 * 5 minutes, so per queue the load is set near 80% of that. */
	double rate = (double)nw * 0.75 / 5.0 * 0.8 / (double)nq;
	sc->n_queues = nq;
	sc->queues = xcalloc(nq, sizeof *sc->queues);
	for (size_t i = 0; i < nq; i++) {
		struct sc_queue *q = &sc->queues[i];
		q->name = xasprintf("Queue %05zu", i);
		if (i % 5 == 4)
			q->target_workers = xasprintf("skills HAS \"s%zu\" AND level >= 2", i);
		else
			q->target_workers = xasprintf("skills HAS \"s%zu\"", i);
		q->max_reserved = i % 10 == 0 ? 2 : 1;
		q->reservation_activity = q->assignment_activity = -1;
		q->rate_per_min = rate;
		q->wave_amplitude = 0.4;
		q->wave_period_s = 3600;
		q->wave_phase = rng_unit(&rng);
		q->channel_weights = xcalloc(2, sizeof *q->channel_weights);
		q->channel_weights[0] = 0.7;
		q->channel_weights[1] = 0.3;
		q->n_priorities = 2;
		q->priorities = xcalloc(2, sizeof *q->priorities);
		q->priority_weights = xcalloc(2, sizeof *q->priority_weights);
		q->priorities[1] = 10;
		q->priority_weights[0] = 0.9;
		q->priority_weights[1] = 0.1;
		q->overflow_to = -1;
	}
	sc->n_workers = nw;
	sc->workers = xcalloc(nw, sizeof *sc->workers);
	for (size_t i = 0; i < nw; i++) {
		struct sc_worker *w = &sc->workers[i];
		size_t s1 = i % nq, s2 = rng_below(&rng, nq), s3 = rng_below(&rng, nq);

		w->name = xasprintf("Worker %06zu", i);
		buf_reset(&b);
		buf_printf(&b, "{\"skills\":[\"s%zu\",\"s%zu\",\"s%zu\"],\"languages\":[\"%s\"],\"level\":%d}",
			   s1, s2, s3, langs[rng_below(&rng, 5)], 1 + (int)rng_below(&rng, 5));
		w->attributes = buf_steal(&b);
		w->activity = rng_unit(&rng) < 0.8 ? 1 : (int)(rng_below(&rng, 2) ? 0 : 3);
	}
	buf_free(&b);
	return sc;
}

void scenario_free(struct sim_scenario **psc)
{
	struct sim_scenario *sc = *psc;

	if (!sc)
		return;
	for (size_t i = 0; i < sc->n_activities; i++)
		free(sc->activities[i].name);
	for (size_t i = 0; i < sc->n_channels; i++)
		free(sc->channels[i].name);
	for (size_t i = 0; i < sc->n_queues; i++) {
		struct sc_queue *q = &sc->queues[i];
		free(q->sid);
		free(q->name);
		free(q->target_workers);
		free(q->channel_weights);
		free(q->priorities);
		free(q->priority_weights);
	}
	for (size_t i = 0; i < sc->n_workers; i++) {
		free(sc->workers[i].name);
		free(sc->workers[i].attributes);
	}
	free(sc->activities);
	free(sc->channels);
	free(sc->queues);
	free(sc->workers);
	free(sc->name);
	free(sc->workspace_name);
	free(sc->workspace_sid);
	free(sc);
	*psc = NULL;
}
