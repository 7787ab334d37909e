#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "xalloc.h"

static void test_append_and_steal(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	assert_string_equal(buf_cstr(&b), "");
	buf_puts(&b, "abc");
	buf_putc(&b, '-');
	buf_printf(&b, "%d/%s", 42, "x");
	assert_string_equal(buf_cstr(&b), "abc-42/x");
	assert_int_equal(b.len, 8);
	char *s = buf_steal(&b);
	assert_string_equal(s, "abc-42/x");
	assert_null(b.data);
	free(s);
}

static void test_grows_past_initial_capacity(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	for (int i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10000);
	assert_int_equal(b.data[9999], 'a' + 9999 % 26);
	assert_int_equal(b.data[10000], '\0');
	buf_free(&b);
}

static void test_urlencode(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "abc", "abc" },
		{ "a b", "a%20b" },
		{ "languages HAS \"en\"", "languages%20HAS%20%22en%22" },
		{ "1==1", "1%3D%3D1" },
		{ "-_.~", "-_.~" },
		{ "\xc3\xa9", "%C3%A9" },
		{ "", "" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = BUF_INIT;
		buf_put_urlencoded(&b, cases[i].in);
		assert_string_equal(buf_cstr(&b), cases[i].out);
		buf_free(&b);
	}
}

static void test_xasprintf(void **state)
{
	(void)state;
	char *s = xasprintf("%s=%d", "MaxReservedWorkers", 50);
	assert_string_equal(s, "MaxReservedWorkers=50");
	free(s);
	char *d = xstrndup("abcdef", 3);
	assert_string_equal(d, "abc");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_steal),
		cmocka_unit_test(test_grows_past_initial_capacity),
		cmocka_unit_test(test_urlencode),
		cmocka_unit_test(test_xasprintf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
