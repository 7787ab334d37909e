#include "config.h"

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "json.h"
#include "xalloc.h"


static char *roundtrip(yajl_val v)
{
	yajl_gen g = json_gen_new();

	json_gen_value(g, v);
	return json_gen_finish(g, NULL);
}

/* Bytes with explicit lengths: several cases hold NUL bytes. */
#define BYTES(s) s, sizeof(s) - 1

static void test_parse_accepts(void **state)
{
	static const struct { const char *in; size_t len; const char *out; } cases[] = {
		{ BYTES("{}"), "{}" },
		{ BYTES("[]"), "[]" },
		{ BYTES(" {\"a\" : [1, 2.5, -3e2, true, false, null, \"x\"]}\n"),
		  "{\"a\":[1,2.5,-3e2,true,false,null,\"x\"]}" },
		{ BYTES("{\"z\":1,\"a\":{\"b\":{}}}"), "{\"z\":1,\"a\":{\"b\":{}}}" },
		{ BYTES("\"bare string\""), "\"bare string\"" },
		{ BYTES("42"), "42" },
		{ BYTES("null"), "null" },
		{ BYTES("[\"\\u00e9\\n\\\"\"]"), "[\"\xc3\xa9\\n\\\"\"]" },
		{ BYTES("[\"\xe2\x82\xac \xf0\x9f\x98\x80\"]"), "[\"\xe2\x82\xac \xf0\x9f\x98\x80\"]" },
		{ BYTES("[\"\\ud83d\\ude00\"]"), "[\"\xf0\x9f\x98\x80\"]" },
		/* Same key at different levels is not a duplicate. */
		{ BYTES("{\"a\":{\"a\":1},\"b\":[{\"a\":2},{\"a\":3}]}"),
		  "{\"a\":{\"a\":1},\"b\":[{\"a\":2},{\"a\":3}]}" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *err = NULL;
		yajl_val v = json_parse(cases[i].in, cases[i].len, &err);
		if (!v)
			fail_msg("case %zu: %s", i, err);
		assert_null(err);
		char *out = roundtrip(v);
		assert_string_equal(out, cases[i].out);
		free(out);
		yajl_tree_free(v);
	}
}

static void test_parse_not_nul_terminated(void **state)
{
	/* The document ends at len; what follows in memory is not read. */
	static const char text[] = "{\"a\":1}{\"b\":2}";
	char *err = NULL;
	yajl_val v;
	(void)state;

	v = json_parse(text, 7, &err);
	assert_non_null(v);
	char *out = roundtrip(v);
	assert_string_equal(out, "{\"a\":1}");
	free(out);
	yajl_tree_free(v);

	/* A heap copy without a terminator, so ASan would see an over-read. */
	char *exact = xmalloc(7);
	memcpy(exact, text, 7);
	v = json_parse(exact, 7, &err);
	assert_non_null(v);
	yajl_tree_free(v);
	free(exact);
}

static void test_parse_rejects(void **state)
{
	static const struct { const char *what, *in; size_t len; const char *msg; } cases[] = {
		{ "empty", BYTES(""), "invalid JSON: empty document" },
		{ "blank", BYTES("  \n"), "premature EOF" },
		{ "truncated object", BYTES("{\"sid\":\"WQ1"), "premature EOF" },
		{ "truncated array", BYTES("[1,2"), "invalid JSON: premature EOF after 4 bytes" },
		{ "missing value", BYTES("{\"a\":}"), "invalid JSON at byte 6: unallowed token" },
		{ "trailing comma", BYTES("{\"a\":1,}"), "invalid object key" },
		{ "two documents", BYTES("[1] [2]"), "trailing garbage" },
		{ "comment", BYTES("/* hi */ [1]"), "comment" },
		{ "NUL after value", BYTES("[1]\0"), "trailing garbage" },
		{ "NUL in string", BYTES("[\"a\0b\"]"), "invalid character inside string" },
		{ "NUL first", BYTES("\0[1]"), "invalid char in json text" },
		{ "escaped NUL", BYTES("[\"a\\u0000b\"]"), "string contains a NUL character" },
		{ "escaped NUL in key", BYTES("{\"\\u0000\":1}"), "string contains a NUL character" },
		{ "bad UTF-8 byte", BYTES("[\"\xff\"]"), "invalid bytes in UTF8 string" },
		{ "overlong NUL", BYTES("[\"\xc0\x80\"]"), "string is not valid UTF-8" },
		{ "overlong slash", BYTES("[\"\xe0\x80\xaf\"]"), "string is not valid UTF-8" },
		{ "surrogate", BYTES("[\"\xed\xa0\x80\"]"), "string is not valid UTF-8" },
		{ "above U+10FFFF", BYTES("[\"\xf4\x90\x80\x80\"]"), "string is not valid UTF-8" },
		{ "bad UTF-8 in key", BYTES("{\"\xc1\xbf\":1}"), "string is not valid UTF-8" },
		{ "cut UTF-8", BYTES("[\"\xe2\x82\"]"), "invalid JSON at byte" },
		{ "duplicate key", BYTES("{\"sid\":\"a\",\"sid\":\"b\"}"), "duplicate key \"sid\"" },
		{ "nested duplicate", BYTES("{\"a\":{\"x\":1,\"y\":2,\"x\":3}}"), "duplicate key \"x\"" },
		{ "duplicate among many",
		  BYTES("{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,"
			"\"k9\":9,\"ka\":10,\"kb\":11,\"kc\":12,\"kd\":13,\"ke\":14,\"kf\":15,\"kg\":16,\"k3\":0}"),
		  "duplicate key \"k3\"" },
		{ "duplicate key shown escaped", BYTES("{\"a\\nb\":1,\"a\\nb\":2}"), "duplicate key \"a\\x0ab\"" },
		{ "single quotes", BYTES("{'a':1}"), "invalid JSON at byte 2: invalid char in json text" },
		{ "leading zero", BYTES("[01]"), "invalid JSON" },
		{ "NaN", BYTES("[NaN]"), "invalid JSON" },
		{ "BOM", BYTES("\xef\xbb\xbf{}"), "invalid JSON at byte 1: invalid char" },
		{ "raw tab in string", BYTES("[\"a\tb\"]"), "invalid character inside string" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *err = NULL;
		yajl_val v = json_parse(cases[i].in, cases[i].len, &err);
		if (v)
			fail_msg("%s: accepted", cases[i].what);
		assert_non_null(err);
		if (!strstr(err, cases[i].msg))
			fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].what, err, cases[i].msg);
		assert_null(strchr(err, '\n'));
		free(err);
		/* err may be NULL: nothing leaks, nothing crashes. */
		assert_null(json_parse(cases[i].in, cases[i].len, NULL));
	}
}

static char *repeat(const char *open, size_t n, const char *mid, const char *close)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		buf_puts(&b, open);
	buf_puts(&b, mid);
	for (size_t i = 0; i < n; i++)
		buf_puts(&b, close);
	return buf_steal(&b);
}

static void test_depth_limit(void **state)
{
	static const struct { const char *open, *mid, *close; size_t n; bool ok; } cases[] = {
		{ "[", "1", "]", JSON_MAX_DEPTH, true },
		{ "[", "1", "]", JSON_MAX_DEPTH + 1, false },
		{ "{\"a\":", "1", "}", JSON_MAX_DEPTH, true },
		{ "{\"a\":", "1", "}", JSON_MAX_DEPTH + 1, false },
		{ "[{\"a\":", "1", "}]", JSON_MAX_DEPTH / 2 + 1, false },
		{ "[", "", "", 100000, false },			/* 100000 '[' and nothing else */
		{ "[", "", "]", 100000, false },
		{ "{\"a\":", "{}", "}", 100000, false },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = repeat(cases[i].open, cases[i].n, cases[i].mid, cases[i].close);
		char *err = NULL;
		yajl_val v = json_parse(text, strlen(text), &err);

		if (cases[i].ok) {
			if (!v)
				fail_msg("case %zu: %s", i, err);
			yajl_tree_free(v);
		} else {
			assert_null(v);
			assert_non_null(strstr(err, "nested deeper than 64 levels"));
			free(err);
		}
		free(text);
	}
}

static void test_size_limit(void **state)
{
	/* Refused before a byte is read; calloc'd pages are never touched. */
	char *big = calloc(JSON_MAX_LEN + 1, 1);
	char *err = NULL;
	(void)state;

	assert_non_null(big);
	assert_null(json_parse(big, JSON_MAX_LEN + 1, &err));
	assert_non_null(strstr(err, "over the 67108864-byte limit"));
	free(err);
	free(big);
}

static void test_large_document(void **state)
{
	/* 200000 keys: the duplicate check must not be quadratic. */
	struct buf b = BUF_INIT;
	char *err = NULL;
	yajl_val v;
	(void)state;

	buf_putc(&b, '{');
	for (int i = 0; i < 200000; i++)
		buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i, i);
	buf_putc(&b, '}');
	v = json_parse(b.data, b.len, &err);
	assert_non_null(v);
	assert_int_equal(v->u.object.len, 200000);
	int64_t n;
	assert_true(json_as_int(json_get(v, "k199999"), &n));
	assert_int_equal(n, 199999);
	yajl_tree_free(v);

	/* ...and a duplicate at the very end is found. */
	b.len--;
	buf_puts(&b, ",\"k17\":0}");
	assert_null(json_parse(b.data, b.len, &err));
	assert_non_null(strstr(err, "duplicate key \"k17\""));
	free(err);
	buf_free(&b);
}

static void test_numbers(void **state)
{
	static const struct {
		const char *text;
		bool is_int; int64_t i;
		bool is_num; double d;
		const char *type;
	} cases[] = {
		{ "0", true, 0, true, 0, "an integer" },
		{ "-0", true, 0, true, 0, "an integer" },
		{ "1.0", true, 1, true, 1.0, "a number" },
		{ "1.5", false, 0, true, 1.5, "a number" },
		{ "2e3", true, 2000, true, 2000, "a number" },
		{ "-9223372036854775808", true, INT64_MIN, true, -9223372036854775808.0, "an integer" },
		{ "9223372036854775807", true, INT64_MAX, true, 9223372036854775807.0, "an integer" },
		{ "9223372036854775808", false, 0, true, 9223372036854775808.0, "a number" },
		{ "99999999999999999999999", false, 0, true, 1e23, "a number" },
		{ "9.3e18", false, 0, true, 9.3e18, "a number" },
		{ "1e999", false, 0, false, 0, "a number" },
		{ "-1e999", false, 0, false, 0, "a number" },
		{ "1e-400", true, 0, true, 0, "a number" },	/* underflows to 0 */
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *err = NULL;
		yajl_val v = json_parse(cases[i].text, strlen(cases[i].text), &err);
		int64_t n = -42;
		double d = -42;

		assert_non_null(v);
		if (json_as_int(v, &n) != cases[i].is_int)
			fail_msg("%s: json_as_int", cases[i].text);
		if (cases[i].is_int)
			assert_int_equal(n, cases[i].i);
		if (json_as_num(v, &d) != cases[i].is_num)
			fail_msg("%s: json_as_num", cases[i].text);
		if (cases[i].is_num)
			assert_true(d == cases[i].d);
		assert_string_equal(json_type_name(v), cases[i].type);
		/* The text as sent is kept for messages. */
		assert_string_equal(v->u.number.r, cases[i].text);
		yajl_tree_free(v);
	}
}

static void test_get_and_types(void **state)
{
	static const char text[] = "{\"s\":\"x\",\"n\":null,\"t\":true,\"f\":false,\"a\":[],\"o\":{},\"i\":3,\"d\":0.5}";
	static const struct { const char *key; const char *type; } cases[] = {
		{ "s", "a string" }, { "n", "null" }, { "t", "a boolean" }, { "f", "a boolean" },
		{ "a", "an array" }, { "o", "an object" }, { "i", "an integer" }, { "d", "a number" },
		{ "absent", "nothing" },
	};
	yajl_val v = json_parse(text, strlen(text), NULL);
	(void)state;

	assert_non_null(v);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(json_type_name(json_get(v, cases[i].key)), cases[i].type);
	/* null and absent are different things. */
	assert_non_null(json_get(v, "n"));
	assert_true(YAJL_IS_NULL(json_get(v, "n")));
	assert_null(json_get(v, "absent"));
	/* Not an object, no key, no value: NULL, not a crash. */
	assert_null(json_get(json_get(v, "a"), "x"));
	assert_null(json_get(json_get(v, "s"), "x"));
	assert_null(json_get(NULL, "x"));
	assert_null(json_get(v, NULL));
	int64_t n;
	double d;
	assert_false(json_as_int(json_get(v, "s"), &n));
	assert_false(json_as_int(NULL, &n));
	assert_false(json_as_num(json_get(v, "t"), &d));
	assert_false(json_as_num(NULL, &d));
	yajl_tree_free(v);
}

static void test_generate(void **state)
{
	yajl_gen g = json_gen_new();
	size_t len;
	char *s;
	(void)state;

	yajl_gen_map_open(g);
	json_gen_kv_str(g, "friendly_name", "a \"quoted\" / \xc3\xa9\n");
	json_gen_kv_str(g, "target_workers", NULL);
	json_gen_kv_int(g, "max_reserved_workers", 50);
	json_gen_kv_int(g, "min", INT64_MIN);
	json_gen_kv_num(g, "tenth", 0.1);
	json_gen_kv_num(g, "third", 1.0 / 3.0);
	json_gen_kv_num(g, "two", 2.0);
	json_gen_kv_num(g, "neg", -1.5e-7);
	json_gen_kv_num(g, "big", 1e300);
	json_gen_kv_num(g, "nan", NAN);
	json_gen_kv_num(g, "inf", -INFINITY);
	json_gen_kv_bool(g, "available", true);
	json_gen_kv_bool(g, "busy", false);
	json_gen_kv_null(g, "next_page_url");
	json_gen_key(g, "list");
	yajl_gen_array_open(g);
	json_gen_str(g, "WQ");
	json_gen_str(g, NULL);
	json_gen_num(g, 25);
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	s = json_gen_finish(g, &len);
	assert_string_equal(s,
		"{\"friendly_name\":\"a \\\"quoted\\\" / \xc3\xa9\\n\","
		"\"target_workers\":null,\"max_reserved_workers\":50,"
		"\"min\":-9223372036854775808,"
		"\"tenth\":0.1,\"third\":0.3333333333333333,\"two\":2.0,\"neg\":-1.5e-07,"
		"\"big\":1e+300,\"nan\":null,\"inf\":null,"
		"\"available\":true,\"busy\":false,\"next_page_url\":null,"
		"\"list\":[\"WQ\",null,25.0]}");
	assert_int_equal(len, strlen(s));
	free(s);
}

static void test_generated_doubles_read_back(void **state)
{
	static const double values[] = {
		0.1, 0.2, 0.3, 1.0 / 3.0, 2.0 / 3.0, 123456.789, 1e-300, 5e-324,
		1.7976931348623157e308, -0.0, 4503599627370497.0, 0.1 + 0.2,
	};
	(void)state;

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		yajl_gen g = json_gen_new();
		json_gen_num(g, values[i]);
		size_t len;
		char *s = json_gen_finish(g, &len);
		yajl_val v = json_parse(s, len, NULL);
		double d;

		assert_non_null(v);
		assert_true(json_as_num(v, &d));
		if (d != values[i])
			fail_msg("%.17g written as %s reads back as %.17g", values[i], s, d);
		yajl_tree_free(v);
		free(s);
	}
}

/* Numbers are C-locale whatever LC_NUMERIC says (tqtop calls setlocale). */
static void test_numbers_ignore_locale(void **state)
{
	static const char *const locales[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "nl_NL.UTF-8", NULL,
	};
	const char *used = NULL;
	(void)state;

	for (size_t i = 0; locales[i] && !used; i++)
		if (setlocale(LC_NUMERIC, locales[i]))
			used = locales[i];
	if (!used)
		skip();	/* no locale with a decimal comma is installed */
	yajl_val v = json_parse("[2.5]", 5, NULL);
	double d;
	assert_true(json_as_num(v->u.array.values[0], &d));
	assert_true(d == 2.5);
	yajl_tree_free(v);
	yajl_gen g = json_gen_new();
	json_gen_num(g, 2.5);
	char *s = json_gen_finish(g, NULL);
	assert_string_equal(s, "2.5");
	free(s);
	setlocale(LC_NUMERIC, "C");
}

/* Generator misuse is a bug: die() exits 70 with a message naming it. */
static void test_utf8_chars(void **state)
{
	static const struct {
		const char *text;
		size_t chars;
	} cases[] = {
		{ "", 0 },
		{ "Sales", 5 },
		{ "\xc3\x89quipe", 6 },			/* É: 2 bytes */
		{ "\xe2\x80\x94", 1 },			/* em dash: 3 bytes */
		{ "\xf0\x9f\x93\x9e Support", 9 },	/* emoji: 4 bytes */
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_true(json_utf8_valid(cases[i].text, strlen(cases[i].text)));
		assert_int_equal(json_utf8_chars(cases[i].text), cases[i].chars);
	}
}

static void test_gen_misuse_dies(void **state)
{
	int status;
	pid_t pid;
	(void)state;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Static, so the leak checker at exit still sees it. */
		static yajl_gen g;
		g = json_gen_new();
		yajl_gen_map_open(g);
		json_gen_num(g, 1);	/* a value where a key is due */
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 70);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: the forked child must not inherit another test's leak. */
		cmocka_unit_test(test_gen_misuse_dies),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_not_nul_terminated),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_large_document),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_get_and_types),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_generated_doubles_read_back),
		cmocka_unit_test(test_numbers_ignore_locale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
