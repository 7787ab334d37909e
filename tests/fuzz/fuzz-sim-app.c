#include "config.h"
#include "fuzz-sim-app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sim-bridge.h"
#include "sim-scenario.h"
#include "xalloc.h"

#define T0 1700000000000LL

static const char scenario_json[] =
	"{\"name\": \"fuzz\", \"workspace_sid\": \"" FUZZ_WORKSPACE "\","
	" \"activities\": ["
	"  {\"name\": \"Offline\", \"available\": false, \"mean_minutes\": 30, \"weight\": 1},"
	"  {\"name\": \"Available\", \"available\": true, \"mean_minutes\": 30},"
	"  {\"name\": \"Break\", \"available\": false, \"mean_minutes\": 5, \"weight\": 2}],"
	" \"channels\": [{\"name\": \"voice\"}, {\"name\": \"chat\", \"talk_mean_seconds\": 300}],"
	" \"queues\": ["
	"  {\"name\": \"Support\", \"sid\": \"" FUZZ_QUEUE "\", \"target_workers\": \"skills HAS \\\"support\\\"\","
	"   \"load\": {\"rate_per_minute\": 3}, \"channels\": {\"voice\": 2, \"chat\": 1},"
	"   \"priorities\": {\"0\": 3, \"10\": 1}},"
	"  {\"name\": \"Sales\", \"sid\": \"WQ1111111111111111111111111111111f\", \"target_workers\": \"level >= 2\","
	"   \"max_reserved_workers\": 2, \"task_order\": \"LIFO\", \"load\": {\"rate_per_minute\": 1},"
	"   \"overflow\": {\"to\": \"Support\", \"after_seconds\": 30}}],"
	" \"workers\": ["
	"  {\"name\": \"Ada\", \"attributes\": {\"skills\": [\"support\"], \"level\": 3}},"
	"  {\"name\": \"Bob\", \"attributes\": {\"skills\": [\"support\", \"sales\"], \"level\": 1}},"
	"  {\"name\": \"Cyd\", \"activity\": \"Offline\", \"attributes\": {\"skills\": [\"sales\"], \"level\": 2}}]}";

static struct sim_app app;
static struct sim_scenario *sc;
static bool dirty = true;

static void build(void)
{
	char *err = NULL;

	if (!sc) {
		sc = scenario_parse(scenario_json, strlen(scenario_json), "fuzz", &err);
		if (!sc) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		app.auth_token = xstrdup(FUZZ_AUTH_TOKEN);
		app.api_key = xstrdup("SK0123456789abcdef0123456789abcdef");
		app.api_secret = xstrdup("fuzzsecret");
		app.bridge = bridge_new();
		faults_reset(&app.faults);
	}
	engine_free(&app.engine);
	app.engine = engine_new(sc, 1, T0 - 10 * 60000, FUZZ_ACCOUNT);
	engine_advance(app.engine, T0);
}

struct sim_app *fuzz_app(void)
{
	if (dirty)
		build();
	dirty = false;
	counters_free(&app.counters);
	return &app;
}

void fuzz_app_dirty(void)
{
	dirty = true;
}

void fuzz_app_check_resp(const struct sim_resp *resp)
{
	char *err = NULL;
	yajl_val root, code, msg;

	if (resp->status < 200 || resp->status > 599) {
		fprintf(stderr, "status %d\n", resp->status);
		abort();
	}
	if (!resp->body.len)
		return;
	root = json_parse(resp->body.data, resp->body.len, &err);
	if (!root) {
		fprintf(stderr, "body is not JSON (%s): %.*s\n", err, (int)resp->body.len, resp->body.data);
		abort();
	}
	if (resp->status >= 400) {
		code = json_get(root, "code");
		msg = json_get(root, "message");
		if (!code || !YAJL_IS_INTEGER(code) || !msg || !YAJL_IS_STRING(msg) || strchr(msg->u.string, '\n') ||
		    !json_get(root, "more_info") || !json_get(root, "status")) {
			fprintf(stderr, "bad error body: %.*s\n", (int)resp->body.len, resp->body.data);
			abort();
		}
	}
	yajl_tree_free(root);
}
