#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b64url.h"

/* RFC 4648 section 10 vectors, in the url-safe alphabet without padding,
 * plus bytes that use '-' and '_'. */
static const struct {
	const char *plain;
	size_t len;
	const char *enc;
} vectors[] = {
	{ "", 0, "" },
	{ "f", 1, "Zg" },
	{ "fo", 2, "Zm8" },
	{ "foo", 3, "Zm9v" },
	{ "foob", 4, "Zm9vYg" },
	{ "fooba", 5, "Zm9vYmE" },
	{ "foobar", 6, "Zm9vYmFy" },
	{ "\xfb\xff", 2, "-_8" },
	{ "\xff\xfe\xfd\xfc", 4, "__79_A" },
	{ "\0\0\0", 3, "AAAA" },
	{ "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 27, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" },
};

static void test_encode(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		char *e = b64url_encode((const unsigned char *)vectors[i].plain, vectors[i].len);
		assert_string_equal(e, vectors[i].enc);
		free(e);
	}
}

static void test_decode(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		unsigned char *out = NULL;
		size_t n = 99;
		assert_true(b64url_decode(vectors[i].enc, strlen(vectors[i].enc), &out, &n));
		assert_int_equal(n, vectors[i].len);
		assert_memory_equal(out, vectors[i].plain, n);
		assert_int_equal(out[n], '\0');	/* ready for a JSON parser */
		free(out);
	}
}

static void test_decode_accepts_padding(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Zg==", "f" },
		{ "Zm8=", "fo" },
		{ "Zm9v", "foo" },
		{ "Zm9vYg==", "foob" },
		{ "Zm9vYmE=", "fooba" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char *out;
		size_t n;
		assert_true(b64url_decode(cases[i].in, strlen(cases[i].in), &out, &n));
		assert_int_equal(n, strlen(cases[i].out));
		assert_memory_equal(out, cases[i].out, n);
		free(out);
	}
}

static void test_decode_rejects(void **state)
{
	static const char *const bad[] = {
		"Zm9v+g",	/* standard alphabet, not url-safe */
		"Zm9v/g",
		"Zm9 v",	/* whitespace */
		"Zm9v\n",
		"Z",		/* 4n+1 characters cannot encode whole bytes */
		"Zm9vY",
		"Zh",		/* non-zero trailing bits: "Zg" is canonical */
		"Zm9",		/* "Zm8" is canonical */
		"Zg=",		/* wrong amount of padding */
		"Zg===",
		"Zm8==",
		"====",
		"Zg=a",		/* '=' inside */
		"Z=g=",
		"Zm9v\x80",	/* high byte */
	};
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		unsigned char *out = (unsigned char *)"sentinel";
		size_t n = 7;
		if (b64url_decode(bad[i], strlen(bad[i]), &out, &n))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_null(out);
		assert_int_equal(n, 0);
	}
}

static void test_decode_respects_length(void **state)
{
	unsigned char *out;
	size_t n;
	(void)state;

	/* only the first n bytes count: the rest of the JWT is not read */
	assert_true(b64url_decode("Zm9v.Zm9v", 4, &out, &n));
	assert_int_equal(n, 3);
	assert_memory_equal(out, "foo", 3);
	free(out);
}

static void test_roundtrip_all_lengths(void **state)
{
	unsigned char in[300];
	(void)state;

	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (unsigned char)(i * 151 + 7);
	for (size_t len = 0; len <= sizeof in; len++) {
		char *e = b64url_encode(in, len);
		assert_int_equal(strlen(e), (len * 4 + 2) / 3);
		assert_null(strpbrk(e, "+/="));
		unsigned char *out;
		size_t n;
		assert_true(b64url_decode(e, strlen(e), &out, &n));
		assert_int_equal(n, len);
		assert_memory_equal(out, in, len);
		free(out);
		free(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_accepts_padding),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_decode_respects_length),
		cmocka_unit_test(test_roundtrip_all_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
