#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A scratch directory for the file cases, removed with what is in it. */
static char scratch[] = "/tmp/test-buf.XXXXXX";

static char *write_file(const char *name, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", scratch, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_read_file(void **state)
{
	static const struct {
		size_t len, max;
		enum buf_read want;
	} cases[] = {
		{ 0, 0, BUF_READ_OK },
		{ 10, 0, BUF_READ_OK },
		{ 4095, 0, BUF_READ_OK },
		{ 4096, 0, BUF_READ_OK },
		{ 100000, 0, BUF_READ_OK },
		{ 100000, 100000, BUF_READ_OK },
		{ 100001, 100000, BUF_READ_TOO_BIG },
		{ 5000, 1, BUF_READ_TOO_BIG },
	};
	(void)state;

	assert_non_null(mkdtemp(scratch));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *data = xmalloc(cases[i].len + 1);
		for (size_t k = 0; k < cases[i].len; k++)
			data[k] = k % 97 == 5 ? '\0' : (char)('a' + k % 26);
		char *path = write_file("f", data, cases[i].len);
		struct buf b = BUF_INIT;

		buf_puts(&b, "kept:");
		assert_int_equal(buf_read_file(&b, path, cases[i].max), cases[i].want);
		assert_memory_equal(b.data, "kept:", 5);
		if (cases[i].want == BUF_READ_OK) {
			assert_int_equal(b.len, 5 + cases[i].len);
			if (cases[i].len)
				assert_memory_equal(b.data + 5, data, cases[i].len);
			assert_int_equal(b.data[b.len], '\0');
		} else {
			assert_true(b.len > 5 + cases[i].max);
		}
		buf_free(&b);
		unlink(path);
		free(path);
		free(data);
	}
	rmdir(scratch);
}

static void test_read_failures(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	errno = 0;
	assert_int_equal(buf_read_file(&b, "/nonexistent/test-buf", 0), BUF_READ_OPEN);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(b.len, 0);
	/* a directory opens, and its first read fails */
	errno = 0;
	assert_int_equal(buf_read_file(&b, "/", 0), BUF_READ_ERROR);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void test_read_stream(void **state)
{
	static const char text[] = "line one\nline two\n";
	FILE *f = fmemopen((void *)text, sizeof text - 1, "r");
	struct buf b = BUF_INIT;
	(void)state;

	assert_non_null(f);
	assert_int_equal(buf_read_stream(&b, f, 0), BUF_READ_OK);
	assert_string_equal(buf_cstr(&b), text);
	/* at its end, a stream adds nothing */
	assert_int_equal(buf_read_stream(&b, f, 0), BUF_READ_OK);
	assert_int_equal(b.len, sizeof text - 1);
	fclose(f);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_steal),
		cmocka_unit_test(test_grows_past_initial_capacity),
		cmocka_unit_test(test_urlencode),
		cmocka_unit_test(test_xasprintf),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_failures),
		cmocka_unit_test(test_read_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
