#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"
#include "proxy.h"

/* A fake environment: pairs of name, value. */
static const char *const *fake_env;

static const char *env(const char *name)
{
	for (size_t i = 0; fake_env[i]; i += 2)
		if (strcmp(fake_env[i], name) == 0)
			return fake_env[i + 1];
	return NULL;
}

static void test_resolve(void **state)
{
	static const struct {
		const char *env[12];
		bool tls;
		const char *host;
		const char *want_host;	/* NULL: direct */
		int want_port;
		const char *want_source;
	} cases[] = {
		{ { NULL }, true, "event-bridge.twilio.com", NULL, 0, NULL },
		{ { "https_proxy", "http://proxy:3128", NULL }, true, "event-bridge.twilio.com", "proxy", 3128, "https_proxy" },
		{ { "HTTPS_PROXY", "proxy.corp:8080", NULL }, true, "a.twilio.com", "proxy.corp", 8080, "HTTPS_PROXY" },
		{ { "https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:2", NULL }, true, "x", "lower", 1, "https_proxy" },
		/* ws:// uses http_proxy only, never HTTP_PROXY (as curl) */
		{ { "HTTP_PROXY", "http://p:1", NULL }, false, "x", NULL, 0, NULL },
		{ { "http_proxy", "http://p:1", NULL }, false, "x", "p", 1, "http_proxy" },
		{ { "http_proxy", "http://p:1", NULL }, true, "x", NULL, 0, NULL },
		{ { "ALL_PROXY", "http://all:9", NULL }, true, "x", "all", 9, "ALL_PROXY" },
		/* default port as curl */
		{ { "https_proxy", "http://p", NULL }, true, "x", "p", 1080, "https_proxy" },
		{ { "https_proxy", "http://[::1]:3128/", NULL }, true, "x", "::1", 3128, "https_proxy" },
		/* NO_PROXY */
		{ { "https_proxy", "http://p:1", "NO_PROXY", "localhost,.twilio.com", NULL }, true, "event-bridge.twilio.com", NULL, 0, "NO_PROXY" },
		{ { "https_proxy", "http://p:1", "no_proxy", "twilio.com", NULL }, true, "twilio.com", NULL, 0, "no_proxy" },
		{ { "https_proxy", "http://p:1", "no_proxy", "twilio.com", NULL }, true, "nottwilio.com", "p", 1, "https_proxy" },
		{ { "https_proxy", "http://p:1", "no_proxy", "*", NULL }, true, "anything", NULL, 0, "no_proxy" },
		{ { "https_proxy", "http://p:1", "no_proxy", "10.0.0.0/8, 127.0.0.1", NULL }, true, "10.1.2.3", NULL, 0, "no_proxy" },
		{ { "https_proxy", "http://p:1", "no_proxy", "10.0.0.0/8", NULL }, true, "11.1.2.3", "p", 1, "https_proxy" },
		{ { "https_proxy", "http://p:1", "no_proxy", "localhost", NULL }, true, "127.0.0.1", "p", 1, "https_proxy" },
		{ { "https_proxy", "http://p:1", "no_proxy", "LOCALHOST:8470", NULL }, true, "localhost", NULL, 0, "no_proxy" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct proxy_choice c;
		char *err = NULL;
		fake_env = cases[i].env;
		assert_true(proxy_resolve(cases[i].tls, cases[i].host, env, &c, &err));
		if (cases[i].want_host) {
			assert_non_null(c.host);
			assert_string_equal(c.host, cases[i].want_host);
			assert_int_equal(c.port, cases[i].want_port);
		} else {
			assert_null(c.host);
		}
		if (cases[i].want_source)
			assert_string_equal(c.source, cases[i].want_source);
		else
			assert_null(c.source);
		proxy_choice_clear(&c);
	}
}

static void test_refused_and_lws_string(void **state)
{
	static const char *const bad[][3] = {
		{ "https_proxy", "https://p:443", NULL },
		{ "https_proxy", "socks5://p:1080", NULL },
		{ "https_proxy", "http://p:99999", NULL },
		{ "https_proxy", "http://:80", NULL },
	};
	struct proxy_choice c;
	char *err = NULL;
	(void)state;

	for (size_t i = 0; i < 4; i++) {
		fake_env = bad[i];
		assert_false(proxy_resolve(true, "x", env, &c, &err));
		assert_non_null(strstr(err, "https_proxy"));
		free(err);
		err = NULL;
	}
	static const char *const auth[] = { "https_proxy", "http://u:s3cret@p:3128", NULL };
	fake_env = auth;
	assert_true(proxy_resolve(true, "x", env, &c, &err));
	char *s = proxy_lws_string(&c);
	assert_string_equal(s, "u:s3cret@p:3128");
	free(s);
	proxy_choice_clear(&c);
}

static void test_loopback_and_host(void **state)
{
	static const struct { const char *h; bool lo; } cases[] = {
		{ "127.0.0.1", true }, { "127.1.2.3", true }, { "localhost", true },
		{ "::1", true }, { "[::1]", true }, { "128.0.0.1", false },
		{ "taskrouter.twilio.com", false }, { "localhost.example", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(http_host_is_loopback(cases[i].h), cases[i].lo);
	static const struct { const char *url, *host; } urls[] = {
		{ "https://taskrouter.twilio.com/v1/x", "taskrouter.twilio.com" },
		{ "http://127.0.0.1:8470", "127.0.0.1" },
		{ "https://[::1]:8470/v1", "::1" },
		{ "https://u:p@h:1/", "h" },
	};
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		char *h = http_url_host(urls[i].url);
		assert_string_equal(h, urls[i].host);
		free(h);
	}
	assert_true(http_parse_retry_after("7", 0) == 7.0);
	assert_true(http_parse_retry_after(" 2.5 ", 0) == 2.5);
	assert_true(http_parse_retry_after("soon", 0) < 0);
	/* HTTP date 10 s in the future */
	assert_true(http_parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", 0) == 10.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_refused_and_lws_string),
		cmocka_unit_test(test_loopback_and_host),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
