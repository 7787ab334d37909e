/* Scenario loading: the built-in demo, the fixture copy, and errors that
 * name the JSON path (and expr's column for TargetWorkers). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "sim-http.h"
#include "sim-scenario.h"
#include "xalloc.h"

static void test_demo(void **state)
{
	struct sim_scenario *sc = scenario_demo();
	(void)state;

	assert_string_equal(sc->workspace_name, "Acme Support Centre");
	assert_int_equal(sc->n_queues, 6);
	assert_int_equal(sc->n_workers, 40);
	assert_true(sc->n_activities >= 4);
	assert_int_equal(scenario_activity(sc, "Offline"), 0);
	assert_true(sc->activities[scenario_activity(sc, "Available")].available);
	assert_int_equal(sc->queues[1].overflow_to, 2);
	assert_int_equal(sc->queues[5].max_reserved, 3);
	assert_true(sc->queues[4].lifo);
	assert_int_equal(sc->queues[5].reservation_activity, scenario_activity(sc, "Reserved"));
	scenario_free(&sc);
	assert_null(sc);
}

/* tests/fixtures/scenarios/demo.json is the built-in text, byte for byte. */
static void test_fixture_is_demo(void **state)
{
	const char *dir = getenv("FIXTURES");
	struct buf text = BUF_INIT;
	char *path;
	(void)state;

	if (!dir)
		skip();
	path = xasprintf("%s/scenarios/demo.json", dir);
	assert_int_equal(buf_read_file(&text, path, 0), BUF_READ_OK);
	free(path);
	assert_string_equal(buf_cstr(&text), scenario_demo_json);
	buf_free(&text);
}

static void test_errors(void **state)
{
	static const struct { const char *json, *needle; } cases[] = {
		{ "[]", "$: expected an object" },
		{ "{\"activities\": []}", "$.activities: at least one activity" },
		{ "{\"activities\": [{\"name\": \"A\", \"available\": true}], \"queues\": [], \"workers\": [],"
		  " \"behaviour\": {\"timeout_activity\": \"Nope\"}}", "no activity called \"Nope\"" },
		{ "{\"activities\": [{\"name\": \"A\"}, {\"name\": \"A\"}]}", "duplicate activity name" },
		{ "{\"activities\": [{\"name\": \"A\", \"available\": true}], \"workers\": [],"
		  " \"queues\": [{\"name\": \"Q\", \"target_workers\": \"skills HAS\"}]}",
		  "$.queues[0]: target_workers: col " },
		{ "{\"activities\": [{\"name\": \"A\", \"available\": true}], \"workers\": [],"
		  " \"queues\": [{\"name\": \"Q\", \"max_reserved_workers\": 51}]}", "out of range 1..50" },
		{ "{\"activities\": [{\"name\": \"A\", \"available\": true}], \"workers\": [],"
		  " \"queues\": [{\"name\": \"Q\", \"task_order\": \"RANDOM\"}]}", "expected FIFO or LIFO" },
		{ "{\"activities\": [{\"name\": \"A\", \"available\": true}], \"workers\": [],"
		  " \"queues\": [{\"name\": \"Q\", \"overflow\": {\"to\": \"Q\"}}]}", "is not another queue" },
		{ "{\"activities\": [{\"name\": \"A\", \"available\": true}], \"queues\": [],"
		  " \"workers\": [{\"name\": \"W\", \"attributes\": [1]}]}", "$.workers[0]: \"attributes\": expected an object" },
		{ "{\"activities\": [{\"name\": \"A\", \"available\": false}], \"queues\": [], \"workers\": []}",
		  "at least one activity must be available" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *err = NULL;
		struct sim_scenario *sc = scenario_parse(cases[i].json, strlen(cases[i].json), "t.json", &err);
		assert_null(sc);
		assert_non_null(err);
		if (!strstr(err, cases[i].needle))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].needle);
		assert_non_null(strstr(err, "scenario t.json"));
		free(err);
	}
}

static void test_scale(void **state)
{
	struct sim_scenario *a = scenario_scale(10, 100, 4), *b = scenario_scale(10, 100, 4);
	(void)state;

	assert_int_equal(a->n_queues, 10);
	assert_int_equal(a->n_workers, 100);
	assert_string_equal(a->workers[57].attributes, b->workers[57].attributes);
	assert_non_null(strstr(a->queues[3].target_workers, "s3"));
	scenario_free(&a);
	scenario_free(&b);
}

static void test_urlencoded(void **state)
{
	static const struct { const char *in; size_t n; const char *k[3], *v[3]; } cases[] = {
		{ "a=1&b=x%20y", 2, { "a", "b" }, { "1", "x y" } },
		{ "TargetWorkers=skills+HAS+%22en%22&x=", 2, { "TargetWorkers", "x" }, { "skills HAS \"en\"", "" } },
		{ "flag&&c=%3D%26", 2, { "flag", "c" }, { "", "=&" } },
		{ "bad=%zz%4", 1, { "bad" }, { "%zz%4" } },
		{ "", 0, { NULL }, { NULL } },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct url_params p = { NULL, 0, 0 };
		url_params_parse(&p, cases[i].in, strlen(cases[i].in));
		assert_int_equal(p.n, cases[i].n);
		for (size_t j = 0; j < p.n; j++) {
			assert_string_equal(p.v[j].key, cases[i].k[j]);
			assert_string_equal(p.v[j].value, cases[i].v[j]);
		}
		url_params_free(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_fixture_is_demo),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_urlencoded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
