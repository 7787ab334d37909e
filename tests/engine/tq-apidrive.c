/* tq-apidrive: one TaskQueue call through tqtop's engine, for the tests.
 *
 *   tq-apidrive [tqtop options] -- CALL [Key=Value ...]
 *
 * CALL is queue, update, delete, statistics, cumulative, realtime,
 * activities or workers.  The engine is set up exactly as tqtop's (same
 * options, credentials, transports) but frozen and without the bridge, so
 * the call is the only request it makes.  Prints one JSON line; exit 0 on
 * success, 3 on an API error, 4 when the call was refused without being
 * sent, 2 on bad usage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "api.h"
#include "conf.h"
#include "engine.h"
#include "log.h"
#include "loop.h"
#include "xalloc.h"

struct drive {
	struct loop loop;
	int status;
};

static void gstr(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void kv_str(yajl_gen g, const char *k, const struct tq_opt_str *v)
{
	gstr(g, k);
	if (v->st == TQ_SET)
		gstr(g, v->v);
	else
		yajl_gen_null(g);
}

static void kv_int(yajl_gen g, const char *k, const struct tq_opt_int *v)
{
	gstr(g, k);
	if (v->st == TQ_SET)
		yajl_gen_integer(g, v->v);
	else
		yajl_gen_null(g);
}

static void on_result(void *ud, struct api_result *r)
{
	struct drive *d = ud;
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *out;
	size_t len;

	yajl_gen_map_open(g);
	gstr(g, "call");
	gstr(g, api_call_name(r->call));
	gstr(g, "attempts");
	yajl_gen_integer(g, r->attempts);
	if (r->err.kind != APIERR_NONE) {
		gstr(g, "error");
		yajl_gen_map_open(g);
		gstr(g, "kind");
		gstr(g, apierr_kind_name(r->err.kind));
		gstr(g, "code");
		yajl_gen_integer(g, r->err.code);
		gstr(g, "status");
		yajl_gen_integer(g, r->err.http_status);
		gstr(g, "message");
		gstr(g, r->err.message ? r->err.message : "");
		yajl_gen_map_close(g);
		d->status = 3;
	} else {
		switch (r->call) {
		case API_QUEUE_FETCH:
		case API_QUEUE_UPDATE:
			gstr(g, "sid");
			gstr(g, r->u.queue.sid);
			kv_str(g, "friendly_name", &r->u.queue.friendly_name);
			kv_str(g, "target_workers", &r->u.queue.target_workers);
			kv_int(g, "max_reserved_workers", &r->u.queue.max_reserved_workers);
			kv_str(g, "task_order", &r->u.queue.task_order);
			break;
		case API_STATISTICS:
			kv_str(g, "task_queue_sid", &r->u.statistics.task_queue_sid);
			gstr(g, "has_cumulative");
			yajl_gen_bool(g, r->u.statistics.cumulative_st == TQ_SET);
			gstr(g, "has_realtime");
			yajl_gen_bool(g, r->u.statistics.realtime_st == TQ_SET);
			kv_int(g, "tasks_entered", &r->u.statistics.cumulative.tasks_entered);
			kv_int(g, "total_tasks", &r->u.statistics.realtime.total_tasks);
			break;
		case API_CUMULATIVE:
			kv_str(g, "task_queue_sid", &r->u.cumulative.task_queue_sid);
			kv_int(g, "tasks_entered", &r->u.cumulative.tasks_entered);
			gstr(g, "window_s");
			yajl_gen_integer(g, r->u.cumulative.end_time.v - r->u.cumulative.start_time.v);
			gstr(g, "split");
			yajl_gen_array_open(g);
			for (size_t i = 0; i < r->u.cumulative.n_split_by_wait_time; i++)
				gstr(g, r->u.cumulative.split_by_wait_time[i].threshold);
			yajl_gen_array_close(g);
			break;
		case API_REALTIME:
			kv_str(g, "task_queue_sid", &r->u.realtime.task_queue_sid);
			kv_int(g, "total_tasks", &r->u.realtime.total_tasks);
			kv_int(g, "total_eligible_workers", &r->u.realtime.total_eligible_workers);
			break;
		case API_ACTIVITIES:
			gstr(g, "count");
			yajl_gen_integer(g, (long long)r->u.activities.n);
			break;
		case API_WORKERS:
			gstr(g, "count");
			yajl_gen_integer(g, (long long)r->u.workers.n);
			break;
		case API_QUEUE_DELETE:
			gstr(g, "deleted");
			yajl_gen_bool(g, 1);
			break;
		case API_READY:
		case API__COUNT:
			break;
		}
	}
	yajl_gen_map_close(g);
	yajl_gen_get_buf(g, &out, &len);
	fwrite(out, 1, len, stdout);
	fputc('\n', stdout);
	yajl_gen_free(g);
	loop_stop(&d->loop);
}

static const struct { const char *name; enum api_call call; } names[] = {
	{ "queue", API_QUEUE_FETCH }, { "update", API_QUEUE_UPDATE },
	{ "delete", API_QUEUE_DELETE }, { "statistics", API_STATISTICS },
	{ "cumulative", API_CUMULATIVE }, { "realtime", API_REALTIME },
	{ "activities", API_ACTIVITIES }, { "workers", API_WORKERS },
};

static void quit(void *ud, int signum)
{
	(void)signum;
	loop_stop(&((struct drive *)ud)->loop);
}

int main(int argc, char **argv)
{
	struct drive d;
	struct config cfg;
	struct engine *e;
	struct engine_hooks hooks;
	struct apierr err = APIERR_INIT;
	struct tq_param *params;
	char *msg = NULL;
	int sep = 1, call = -1;
	size_t np = 0;

	while (sep < argc && strcmp(argv[sep], "--") != 0)
		sep++;
	if (sep + 1 >= argc) {
		fprintf(stderr, "usage: tq-apidrive [tqtop options] -- CALL [Key=Value ...]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(argv[sep + 1], names[i].name) == 0)
			call = (int)names[i].call;
	if (call < 0) {
		fprintf(stderr, "tq-apidrive: unknown call %s\n", argv[sep + 1]);
		return 2;
	}
	argv[sep] = NULL;
	if (!config_load(&cfg, sep, argv, &msg)) {
		fprintf(stderr, "tq-apidrive: %s\n", msg);
		free(msg);
		config_free(&cfg);
		return 2;
	}
	config_set(&cfg, OPT_NO_BRIDGE, "yes", "tq-apidrive", &msg);
	if (cfg_isset(&cfg, OPT_LOG))
		log_open(cfg_str(&cfg, OPT_LOG), NULL);
	log_set_level(TQ_LOG_DEBUG);
	params = xcalloc((size_t)argc, sizeof *params);
	for (int i = sep + 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) {
			fprintf(stderr, "tq-apidrive: expected Key=Value, got %s\n", argv[i]);
			return 2;
		}
		*eq = '\0';
		params[np].key = argv[i];
		params[np].value = eq + 1;
		np++;
	}
	memset(&d, 0, sizeof d);
	loop_init(&d.loop, &msg);
	hooks.on_quit = quit;
	hooks.ud = &d;
	e = engine_new(&d.loop, &cfg, &hooks, &msg);
	if (!e) {
		fprintf(stderr, "tq-apidrive: %s\n", msg);
		free(msg);
		d.status = 2;
		goto out;
	}
	engine_set_frozen(e, true);
	if (!engine_start(e, &msg) || !engine_api(e)) {
		fprintf(stderr, "tq-apidrive: %s\n", msg ? msg : "not started");
		free(msg);
		d.status = 2;
		goto out_engine;
	}
	switch (api_call(engine_api(e), (enum api_call)call, params, np, on_result, &d, &err)) {
	case API_ACCEPTED:
		loop_run(&d.loop);
		break;
	case API_BUSY:
		d.status = 2;
		break;
	case API_REFUSED: {
		char *t = apierr_text(&err);
		printf("{\"refused\":\"%s\",\"kind\":\"%s\"}\n", t, apierr_kind_name(err.kind));
		free(t);
		d.status = 4;
		break;
	}
	}
	apierr_clear(&err);
out_engine:
	engine_free(&e);
out:
	loop_close(&d.loop);
	free(params);
	config_free(&cfg);
	log_close();
	return d.status;
}
