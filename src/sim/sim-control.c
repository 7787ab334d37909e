#include "config.h"
#include "sim-control.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "isotime.h"
#include "json.h"
#include "log.h"
#include "sim-bridge.h"
#include "sim-num.h"
#include "xalloc.h"

bool control_owns(const char *path)
{
	return strncmp(path, "/_tqsim", 7) == 0 && (path[7] == '\0' || path[7] == '/');
}

/* value is one of two words: *out = (value is the second). */
static bool parse_choice(const char *value, const char *no, const char *yes, bool *out)
{
	if (strcmp(value, no) != 0 && strcmp(value, yes) != 0)
		return false;
	*out = strcmp(value, yes) == 0;
	return true;
}

/* The faults and what each accepts: the one list the error messages
 * (and the unknown-field message) come from.  Ranges as in tqsim(1). */
static const struct {
	const char *key, *accepts;
} fault_fields[] = {
	{ "latency_ms", "an integer 0..600000 (ms added to every answer; 0 off)" },
	{ "error_rate", "a fraction 0..1 of requests answered error_status" },
	{ "error_status", "an HTTP status 500..599" },
	{ "throttle", "an integer 0..2147483647 (the next N requests get 429)" },
	{ "retry_after", "seconds 0..86400 (0: no Retry-After header)" },
	{ "malformed", "an integer 0..2147483647 (the next N bodies are broken)" },
	{ "malformed_kind", "truncate or garbage" },
	{ "heartbeats", "on or off" },
	{ "drop_every", "seconds 0..86400 (0 off)" },
	{ "rate_limits", "on or off" },
	{ "reject_writes", "an integer 0..2147483647 (the next N POSTs and DELETEs get 400)" },
};

static char *fault_error(const char *key, const char *value)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < sizeof fault_fields / sizeof fault_fields[0]; i++)
		if (strcmp(key, fault_fields[i].key) == 0)
			return xasprintf("invalid %s '%s': %s", key, value, fault_fields[i].accepts);
	buf_printf(&b, "unknown fault '%s': use ", key);
	for (size_t i = 0; i < sizeof fault_fields / sizeof fault_fields[0]; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", fault_fields[i].key);
	return buf_steal(&b);
}

bool control_set_fault(struct sim_app *app, const char *key, const char *value, char **err)
{
	struct sim_faults *f = &app->faults;
	int64_t v;

	if (strcmp(key, "latency_ms") == 0) {
		if (!num_parse_int(value, 0, 600000, &f->latency_ms))
			goto bad;
	} else if (strcmp(key, "error_rate") == 0) {
		if (!num_parse_double(value, 0, 1, &f->error_rate))
			goto bad;
	} else if (strcmp(key, "error_status") == 0) {
		if (!num_parse_int(value, 500, 599, &v))
			goto bad;
		f->error_status = (int)v;
	} else if (strcmp(key, "throttle") == 0) {
		if (!num_parse_int(value, 0, INT32_MAX, &f->throttle))
			goto bad;
	} else if (strcmp(key, "retry_after") == 0) {
		if (!num_parse_int(value, 0, 86400, &f->retry_after))
			goto bad;
	} else if (strcmp(key, "malformed") == 0) {
		if (!num_parse_int(value, 0, INT32_MAX, &f->malformed))
			goto bad;
	} else if (strcmp(key, "malformed_kind") == 0) {
		if (!parse_choice(value, "truncate", "garbage", &f->malformed_garbage))
			goto bad;
	} else if (strcmp(key, "heartbeats") == 0) {
		if (!parse_choice(value, "off", "on", &f->heartbeats))
			goto bad;
	} else if (strcmp(key, "rate_limits") == 0) {
		if (!parse_choice(value, "off", "on", &app->limits.enabled))
			goto bad;
	} else if (strcmp(key, "reject_writes") == 0) {
		if (!num_parse_int(value, 0, INT32_MAX, &f->reject_writes))
			goto bad;
	} else if (strcmp(key, "drop_every") == 0) {
		if (!num_parse_int(value, 0, 86400, &f->drop_every))
			goto bad;
		app->next_drop = uv_now(app->loop) + (uint64_t)f->drop_every * 1000;
	} else {
		goto bad;
	}
	return true;
bad:
	*err = fault_error(key, value);
	return false;
}

static void gen_faults(yajl_gen g, const struct sim_app *app)
{
	const struct sim_faults *f = &app->faults;

	yajl_gen_map_open(g);
	json_gen_kv_int(g, "latency_ms", f->latency_ms);
	json_gen_kv_num(g, "error_rate", f->error_rate);
	json_gen_kv_int(g, "error_status", f->error_status);
	json_gen_kv_int(g, "throttle", f->throttle);
	json_gen_kv_int(g, "retry_after", f->retry_after);
	json_gen_kv_int(g, "malformed", f->malformed);
	json_gen_kv_str(g, "malformed_kind", f->malformed_garbage ? "garbage" : "truncate");
	json_gen_kv_str(g, "heartbeats", f->heartbeats ? "on" : "off");
	json_gen_kv_int(g, "drop_every", f->drop_every);
	json_gen_kv_str(g, "rate_limits", app->limits.enabled ? "on" : "off");
	json_gen_kv_int(g, "reject_writes", f->reject_writes);
	yajl_gen_map_close(g);
}

/* An instant of the history, null while it is not set (INT64_MIN). */
static void gen_time_or_null(yajl_gen g, const char *key, int64_t t_ms)
{
	char iso[ISO8601_LEN];

	if (t_ms == INT64_MIN) {
		json_gen_key(g, key);
		yajl_gen_null(g);
		return;
	}
	iso8601_format(hist_minute(t_ms) * 60, iso);
	json_gen_kv_str(g, key, iso);
}

static void answer_state(struct sim_app *app, struct sim_resp *resp)
{
	const struct sim_counters *c = &app->counters;
	const struct sim_engine *e = app->engine;
	yajl_gen g = yajl_gen_alloc(NULL);
	char iso[ISO8601_LEN], key[8];
	int64_t now = app_now(app);

	iso8601_format(now / 1000, iso);
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "clock", iso);
	json_gen_kv_int(g, "clock_ms", now);
	json_gen_kv_bool(g, "paused", app->clock.paused);
	json_gen_kv_num(g, "speed", app->clock.speed);
	json_gen_key(g, "requests");
	yajl_gen_map_open(g);
	json_gen_kv_int(g, "total", (int64_t)c->total);
	json_gen_key(g, "by_status");
	yajl_gen_map_open(g);
	for (int s = 100; s < 600; s++) {
		if (c->by_status[s]) {
			snprintf(key, sizeof key, "%d", s);
			json_gen_kv_int(g, key, (int64_t)c->by_status[s]);
		}
	}
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	json_gen_kv_int(g, "in_flight", (int64_t)c->in_flight);
	json_gen_kv_int(g, "max_in_flight", (int64_t)c->max_in_flight);
	json_gen_kv_int(g, "sockets", (int64_t)bridge_count(app));
	json_gen_key(g, "requests_by_path");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < c->n_paths; i++)
		json_gen_kv_int(g, c->paths[i].path, (int64_t)c->paths[i].n);
	yajl_gen_map_close(g);
	json_gen_key(g, "faults");
	gen_faults(g, app);
	json_gen_key(g, "engine");
	yajl_gen_map_open(g);
	json_gen_kv_int(g, "events", (int64_t)e->events);
	json_gen_kv_int(g, "tasks_live", (int64_t)e->tasks_live);
	json_gen_kv_int(g, "queues", (int64_t)e->n_queues);
	json_gen_kv_int(g, "workers", (int64_t)e->n_workers);
	json_gen_kv_num(g, "busy_ms", app->engine_busy_ms);
	json_gen_key(g, "history");
	yajl_gen_map_open(g);
	json_gen_kv_int(g, "bytes", (int64_t)e->hist_bytes);
	gen_time_or_null(g, "raw_from", e->hist_raw_from);
	gen_time_or_null(g, "kept_from", e->hist_kept_from < e->start ? INT64_MIN : e->hist_kept_from);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	resp_json(resp, 200, g);
	yajl_gen_free(g);
}

static void set_faults(struct sim_app *app, const struct sim_req *req, struct sim_resp *resp)
{
	/* Transactional: a bad field leaves every fault as it was. */
	struct sim_faults saved = app->faults;
	uint64_t saved_drop = app->next_drop;
	bool saved_limits = app->limits.enabled;
	char *err = NULL;

	for (size_t i = 0; i < req->form.n; i++) {
		if (!control_set_fault(app, req->form.v[i].key, req->form.v[i].value, &err)) {
			app->faults = saved;
			app->next_drop = saved_drop;
			app->limits.enabled = saved_limits;
			resp_error(resp, 400, TW_INVALID, "%s", err);
			free(err);
			return;
		}
	}
	log_info("control: faults set (%zu fields)", req->form.n);
	yajl_gen g = yajl_gen_alloc(NULL);
	gen_faults(g, app);
	resp_json(resp, 200, g);
	yajl_gen_free(g);
}

static void clock_route(struct sim_app *app, const struct sim_req *req, struct sim_resp *resp)
{
	const char *action = params_get(&req->form, "action");
	const char *secs = params_get(&req->form, "seconds");
	const char *speed = params_get(&req->form, "speed");
	double s = 0, sp;

	if (speed) {
		if (!num_parse_double(speed, 0.001, 100000, &sp)) {
			resp_error(resp, 400, TW_INVALID, "invalid speed '%s': a factor 0.001..100000", speed);
			return;
		}
		app_set_speed(app, sp);
	}
	if (!action && speed) {
		answer_state(app, resp);
		return;
	}
	if (!action) {
		resp_error(resp, 400, TW_INVALID, "action is required: pause, resume or step");
		return;
	}
	if (strcmp(action, "pause") == 0) {
		app_pause(app);
	} else if (strcmp(action, "resume") == 0) {
		app_resume(app);
	} else if (strcmp(action, "step") == 0) {
		if (secs && !num_parse_double(secs, 0, 30 * 86400.0, &s)) {
			resp_error(resp, 400, TW_INVALID, "invalid seconds '%s': 0..2592000", secs);
			return;
		}
		app_step(app, (int64_t)llround((secs ? s : 1) * 1000));
	} else {
		resp_error(resp, 400, TW_INVALID, "invalid action '%s': pause, resume or step", action);
		return;
	}
	log_info("control: clock %s", action);
	answer_state(app, resp);
}

static void load_route(struct sim_app *app, const char *sid, const struct sim_req *req, struct sim_resp *resp)
{
	const char *rate = params_get(&req->form, "rate");
	int qi = engine_find_queue(app->engine, sid);
	double r;

	if (qi < 0 || app->engine->queues[qi].deleted) {
		resp_error(resp, 404, TW_NOT_FOUND, "no TaskQueue %s", sid);
		return;
	}
	if (!rate || !num_parse_double(rate, 0, 100000, &r)) {
		resp_error(resp, 400, TW_INVALID, "rate is required: tasks per minute, 0..100000");
		return;
	}
	engine_queue_set_load(app->engine, (uint32_t)qi, r);
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	json_gen_kv_str(g, "task_queue_sid", sid);
	json_gen_kv_num(g, "rate", r);
	yajl_gen_map_close(g);
	resp_json(resp, 200, g);
	yajl_gen_free(g);
}

void control_handle(struct sim_app *app, const struct sim_req *req, struct sim_resp *resp)
{
	const char *p = req->path;
	bool post = strcmp(req->method, "POST") == 0;

	if (strcmp(p, "/_tqsim/state") == 0) {
		if (strcmp(req->method, "GET") == 0)
			answer_state(app, resp);
		else
			resp_error(resp, 405, TW_METHOD, "GET /_tqsim/state");
		return;
	}
	if (!post) {
		if (strcmp(p, "/_tqsim/faults") == 0 || strcmp(p, "/_tqsim/faults/reset") == 0 ||
		    strcmp(p, "/_tqsim/sockets/drop") == 0 || strcmp(p, "/_tqsim/clock") == 0)
			resp_error(resp, 405, TW_METHOD, "%s takes POST", p);
		else
			resp_error(resp, 404, TW_NOT_FOUND, "no control route %s", p);
		return;
	}
	if (strcmp(p, "/_tqsim/faults") == 0) {
		set_faults(app, req, resp);
	} else if (strcmp(p, "/_tqsim/faults/reset") == 0) {
		faults_reset(&app->faults);
		app->limits.enabled = app->limits_at_start;
		rl_refill(&app->limits);
		log_info("control: faults reset");
		yajl_gen g = yajl_gen_alloc(NULL);
		gen_faults(g, app);
		resp_json(resp, 200, g);
		yajl_gen_free(g);
	} else if (strcmp(p, "/_tqsim/sockets/drop") == 0) {
		size_t n = bridge_count(app);
		bridge_drop_all(app, 1001, "dropped by tqsim");
		log_info("control: dropping %zu sockets", n);
		yajl_gen g = yajl_gen_alloc(NULL);
		yajl_gen_map_open(g);
		json_gen_kv_int(g, "dropped", (int64_t)n);
		yajl_gen_map_close(g);
		resp_json(resp, 200, g);
		yajl_gen_free(g);
	} else if (strcmp(p, "/_tqsim/clock") == 0) {
		clock_route(app, req, resp);
	} else if (strncmp(p, "/_tqsim/queues/", 15) == 0 && strlen(p) > 20 &&
		   strcmp(p + strlen(p) - 5, "/load") == 0) {
		char *sid = xstrndup(p + 15, strlen(p) - 15 - 5);
		load_route(app, sid, req, resp);
		free(sid);
	} else {
		resp_error(resp, 404, TW_NOT_FOUND, "no control route %s", p);
	}
}
