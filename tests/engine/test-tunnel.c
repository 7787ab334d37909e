#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth.h"
#include "bridge.h"
#include "json.h"
#include "tunnel.h"
#include "xalloc.h"

static void test_envelope(void **state)
{
	static const struct tq_param p[] = { { "Minutes", "240" }, { "SplitByWaitTime", "20,60" } };
	char *s;
	(void)state;

	s = tunnel_envelope("https://taskrouter.twilio.com/v1/Workspaces/WS1/TaskQueues/WQ1/Statistics",
			    "GET", p, 2, "a.b.c", NULL);
	assert_string_equal(s, "{\"url\":\"https://taskrouter.twilio.com/v1/Workspaces/WS1/TaskQueues/WQ1/Statistics\","
			    "\"method\":\"GET\",\"params\":{\"Minutes\":\"240\",\"SplitByWaitTime\":\"20,60\"},"
			    "\"token\":\"a.b.c\"}");
	free(s);
	/* the ready request: no params, an event_type */
	s = tunnel_envelope("https://taskrouter.twilio.com/v1/Workspaces/WS1/TaskQueues/WQ1", "GET",
			    NULL, 0, "t", "ready");
	assert_string_equal(s, "{\"url\":\"https://taskrouter.twilio.com/v1/Workspaces/WS1/TaskQueues/WQ1\","
			    "\"method\":\"GET\",\"token\":\"t\",\"event_type\":\"ready\"}");
	free(s);
	/* values are JSON-escaped, not URL-encoded */
	static const struct tq_param q[] = { { "TargetWorkers", "languages HAS \"en\"" } };
	s = tunnel_envelope("u", "POST", q, 1, "t", NULL);
	assert_non_null(strstr(s, "\"TargetWorkers\":\"languages HAS \\\"en\\\"\""));
	free(s);
}

static void test_unwrap(void **state)
{
	static const struct { const char *body; bool ok; const char *err; const char *event; } cases[] = {
		{ "{\"event_type\":\"ready\",\"payload\":{\"sid\":\"WQ1\"}}", true, NULL, "ready" },
		{ "{\"event_type\":null,\"payload\":{\"sid\":\"WQ1\"}}", true, NULL, NULL },
		{ "{\"event_type\":null,\"payload\":{\"sid\":\"WQ", false, "tunnel answer:", NULL },
		{ "[1,2]", false, "expected an object", NULL },
		{ "{\"event_type\":null}", false, "no \"payload\"", NULL },
		{ "", false, "tunnel answer:", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		yajl_val tree, payload;
		char *et = NULL, *err = NULL;
		bool ok = tunnel_unwrap(cases[i].body, strlen(cases[i].body), &tree, &payload, &et, &err);
		assert_int_equal(ok, cases[i].ok);
		if (ok) {
			assert_non_null(json_get(payload, "sid"));
			if (cases[i].event)
				assert_string_equal(et, cases[i].event);
			else
				assert_null(et);
			yajl_tree_free(tree);
		} else {
			assert_non_null(strstr(err, cases[i].err));
			free(err);
		}
		free(et);
	}
}

static void test_urls(void **state)
{
	static const struct tq_param p[] = { { "TargetWorkersExpression", "skill > 5" }, { "PageSize", "1000" } };
	char *u;
	(void)state;

	u = api_url("http://127.0.0.1:8470/", "/v1/Workspaces/WS1/Workers", p, 2);
	assert_string_equal(u, "http://127.0.0.1:8470/v1/Workspaces/WS1/Workers?"
			    "TargetWorkersExpression=skill%20%3E%205&PageSize=1000");
	free(u);
	u = form_encode(p, 1);
	assert_string_equal(u, "TargetWorkersExpression=skill%20%3E%205");
	free(u);
}

static void test_region(void **state)
{
	static const struct { const char *base, *region, *want; bool changed; } cases[] = {
		{ "https://event-bridge.twilio.com", "ie1-ix", "https://event-bridge.ie1-ix.us1.twilio.com", true },
		{ "https://event-bridge.twilio.com/", "au1", "https://event-bridge.au1.us1.twilio.com/", true },
		{ "https://event-bridge.twilio.com", "", "https://event-bridge.twilio.com", false },
		{ "http://127.0.0.1:8470", "ie1-ix", "http://127.0.0.1:8470", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool changed;
		char *u = bridge_region_url(cases[i].base, cases[i].region, &changed);
		assert_string_equal(u, cases[i].want);
		assert_int_equal(changed, cases[i].changed);
		free(u);
	}
	bool tls;
	char *host = NULL, *err = NULL;
	int port;
	assert_true(bridge_parse_base("https://event-bridge.twilio.com", &tls, &host, &port, &err));
	assert_true(tls);
	assert_int_equal(port, 443);
	free(host);
	assert_true(bridge_parse_base("http://127.0.0.1:8470", &tls, &host, &port, &err));
	assert_false(tls);
	assert_int_equal(port, 8470);
	assert_string_equal(host, "127.0.0.1");
	free(host);
	assert_false(bridge_parse_base("ftp://x", &tls, &host, &port, &err));
	free(err);
	assert_false(bridge_parse_base("https://x:0", &tls, &host, &port, &err));
	free(err);
}

/* Lays out a buffer as lws 4.1.6's lws_generate_client_handshake() does
 * before it calls APPEND_HANDSHAKE_HEADER; returns the cursor. */
static char *lws_like(char *pkt, const char *path, const char *headers)
{
	int n = snprintf(pkt, 2048, "GET %s HTTP/1.1\r\n", path);
	char *p = pkt + (n >= 2048 ? 2048 : n);	/* lws_snprintf's return */
	memcpy(p, headers, strlen(headers));
	return p + strlen(headers);
}

static void test_request_line_fix(void **state)
{
	static const char headers[] = "Pragma: no-cache\r\nCache-Control: no-cache\r\n"
		"Host: event-bridge.twilio.com\r\nOrigin: http://event-bridge.twilio.com\r\n"
		"Upgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
	enum { SIZE = 16384 };
	char *pkt = malloc(SIZE), *err = NULL;
	(void)state;

	for (size_t toklen = 100; toklen <= 3900; toklen += 200) {
		char *tok = malloc(toklen + 1);
		for (size_t i = 0; i < toklen; i++)
			tok[i] = "abcdefghijklmnopqrstuvwxyz0123456789-_."[i % 39];
		tok[toklen] = '\0';
		char *path = xasprintf("/v1/wschannels/AC%032d/WQ%032d?token=%s&closeExistingSessions=false",
				       0, 0, tok);
		memset(pkt, 'Z', SIZE);
		char *p = lws_like(pkt, path, headers);
		assert_true(bridge_fix_request_line(&p, (size_t)(pkt + SIZE - p - 12), "GET", path, &err));
		char *want = xasprintf("GET %s HTTP/1.1\r\n%s", path, headers);
		assert_int_equal(p - pkt, strlen(want));
		assert_memory_equal(pkt, want, strlen(want));
		free(want);
		/* too small a buffer: refused, never sent cut */
		if (strlen(path) > 2100) {
			memset(pkt, 'Z', SIZE);
			p = lws_like(pkt, path, headers);
			assert_false(bridge_fix_request_line(&p, 10, "GET", path, &err));
			assert_non_null(strstr(err, "does not fit"));
			free(err);
		}
		free(path);
		free(tok);
	}
	/* a buffer not laid out as lws 4.1.6 does: refused */
	char *path = xasprintf("/%03000d", 7);
	memset(pkt, 'Z', SIZE);
	char *p = pkt + 4000;
	assert_false(bridge_fix_request_line(&p, 100, "GET", path, &err));
	assert_non_null(strstr(err, "not as libwebsockets 4.1.6 leaves it"));
	free(err);
	free(path);
	free(pkt);
}

static void test_command_split(void **state)
{
	static const struct { const char *cmd; const char *argv[5]; } cases[] = {
		{ "tqtoken mint --ttl 60", { "tqtoken", "mint", "--ttl", "60", NULL } },
		{ "  a   'b c'  \"d \\\"e\\\"\" ", { "a", "b c", "d \"e\"", NULL } },
		{ "sh -c 'cat $HOME/t | tr -d x'", { "sh", "-c", "cat $HOME/t | tr -d x", NULL } },
		{ "a\\ b c''d \"\"", { "a b", "cd", "", NULL } },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char **argv = NULL, *err = NULL;
		assert_true(auth_split_command(cases[i].cmd, &argv, &err));
		size_t k = 0;
		for (; cases[i].argv[k]; k++) {
			assert_non_null(argv[k]);
			assert_string_equal(argv[k], cases[i].argv[k]);
		}
		assert_null(argv[k]);
		auth_argv_free(argv);
	}
	static const char *bad[] = { "a 'b", "a \"b", "   ", "" };
	for (size_t i = 0; i < 4; i++) {
		char **argv = NULL, *err = NULL;
		assert_false(auth_split_command(bad[i], &argv, &err));
		assert_non_null(strstr(err, "--token-cmd"));
		free(err);
	}
}

static void test_token_helpers(void **state)
{
	(void)state;
	assert_int_equal(auth_refresh_lead(3600), 300);
	assert_int_equal(auth_refresh_lead(600), 120);
	assert_int_equal(auth_refresh_lead(30), 10);
	char *t = auth_trim_token(" \n a.b.c\r\n", 10);
	assert_string_equal(t, "a.b.c");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_unwrap),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_region),
		cmocka_unit_test(test_request_line_fix),
		cmocka_unit_test(test_command_split),
		cmocka_unit_test(test_token_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
