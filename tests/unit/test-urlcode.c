#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "urlcode.h"

static void test_decode(void **state)
{
	static const struct {
		const char *in;
		bool plus_space;
		const char *out;
	} cases[] = {
		{ "a%20b", false, "a b" },
		{ "a+b", true, "a b" },
		{ "a+b", false, "a+b" },
		{ "%C3%89quipe", true, "\xc3\x89quipe" },
		{ "100%", true, "100%" },		/* '%' without two hex digits stays */
		{ "%zz%4", true, "%zz%4" },
		{ "%2f%2F", true, "//" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = url_decode(cases[i].in, strlen(cases[i].in), cases[i].plus_space);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

/* Query and form strings as TaskRouter clients send them: order and
 * repeated keys kept, '+' a space, a bare key an empty value, empty
 * pieces skipped, and only len bytes read. */
static void test_params_parse(void **state)
{
	static const char *const want[][2] = {
		{ "Minutes", "15" },
		{ "SplitByWaitTime", "20,60" },
		{ "TaskChannel", "" },
		{ "FriendlyName", "Support EMEA" },
		{ "QueueSids", "WQ1" },
		{ "QueueSids", "WQ2" },
		{ "a=b", "c" },
	};
	const char *s = "Minutes=15&SplitByWaitTime=20%2C60&&TaskChannel&FriendlyName=Support+EMEA"
			"&QueueSids=WQ1&QueueSids=WQ2&a%3Db=c&ignored=past-len";
	struct url_params p = { 0 };

	(void)state;
	url_params_parse(&p, s, strlen(s) - strlen("&ignored=past-len"));
	assert_int_equal(p.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < p.n; i++) {
		assert_string_equal(p.v[i].key, want[i][0]);
		assert_string_equal(p.v[i].value, want[i][1]);
	}
	assert_string_equal(url_params_get(&p, "QueueSids"), "WQ1");
	assert_string_equal(url_params_get(&p, "TaskChannel"), "");
	assert_null(url_params_get(&p, "minutes"));	/* case-sensitive */
	assert_null(url_params_get(&p, "ignored"));
	url_params_add(&p, "Key\0tail", 3, "v", 1);
	assert_string_equal(url_params_get(&p, "Key"), "v");
	url_params_free(&p);
	assert_int_equal(p.n, 0);
	url_params_parse(&p, "", 0);
	assert_int_equal(p.n, 0);
	url_params_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_params_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
