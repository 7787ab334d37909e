/* bench-expr: evaluations per second of TargetWorkers expressions over a
 * simulated workforce, the way tqsim filters workers.  Run by hand:
 *   bench/bench-expr [WORKERS] [ROUNDS]
 * Build without sanitizers for meaningful numbers. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <yajl/yajl_tree.h>

#include "buf.h"
#include "expr.h"
#include "xalloc.h"

static const char *const exprs[] = {
	"1==1",
	"languages HAS \"english\"",
	"skills HAS \"support\" AND level >= 3",
	"(skill_rating > 3 OR english_level == 'fluent') AND languages HAS 'spanish'",
	"worker.activity_name IN ['Available', 'Idle'] AND address.city NOT IN ['Porto']",
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static yajl_val worker_attrs(unsigned i)
{
	static const char *const langs[] = { "english", "spanish", "french", "german" };
	static const char *const skills[] = { "support", "sales", "billing", "tech" };
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"contact_uri\":\"client:w%u\",\"languages\":[\"%s\",\"%s\"],"
		   "\"skills\":[\"%s\",\"%s\"],\"level\":%u,\"skill_rating\":%u.5,"
		   "\"english_level\":\"%s\",\"address\":{\"city\":\"%s\",\"zip\":\"%05u\"},"
		   "\"manager\":%s,\"team\":\"team%u\"}",
		   i, langs[i % 4], langs[(i / 4) % 4], skills[i % 4], skills[(i / 3) % 4],
		   i % 7, i % 5, i % 2 ? "fluent" : "basic", i % 3 ? "Lisbon" : "Porto",
		   i % 100000, i % 10 ? "false" : "true", i % 20);
	yajl_val v = yajl_tree_parse(buf_cstr(&b), NULL, 0);
	if (!v)
		die("bench: bad worker JSON: %s", buf_cstr(&b));
	buf_free(&b);
	return v;
}

static yajl_val worker_fields(unsigned i)
{
	char *s = xasprintf("{\"sid\":\"WK%032u\",\"friendly_name\":\"w%u\",\"activity_sid\":\"WA%u\","
			    "\"activity_name\":\"%s\"}", i, i, i % 3,
			    i % 3 == 0 ? "Available" : i % 3 == 1 ? "Idle" : "Offline");
	yajl_val v = yajl_tree_parse(s, NULL, 0);
	if (!v)
		die("bench: bad fields JSON: %s", s);
	free(s);
	return v;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100000;
	unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 20;
	yajl_val *attrs = xcalloc(n, sizeof *attrs), *fields = xcalloc(n, sizeof *fields);

	for (unsigned i = 0; i < n; i++) {
		attrs[i] = worker_attrs(i);
		fields[i] = worker_fields(i);
	}
	for (size_t k = 0; k < sizeof exprs / sizeof exprs[0]; k++) {
		struct expr_error err = { 0, NULL };
		struct expr *e = expr_parse(exprs[k], &err);
		uint64_t matched = 0;

		if (!e)
			die("bench: %s: col %d: %s", exprs[k], err.col, err.msg);
		double t0 = now();
		for (unsigned r = 0; r < rounds; r++)
			for (unsigned i = 0; i < n; i++)
				matched += expr_eval(e, attrs[i], fields[i]);
		double dt = now() - t0;
		printf("%-80s %12.0f evals/s  (%" PRIu64 " of %u matched)\n", exprs[k],
		       (double)n * rounds / dt, matched / rounds, n);
		expr_free(&e);
	}
	for (unsigned i = 0; i < n; i++) {
		yajl_tree_free(attrs[i]);
		yajl_tree_free(fields[i]);
	}
	free(attrs);
	free(fields);
	return 0;
}
