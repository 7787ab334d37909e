#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "ws.h"
#include "xalloc.h"

struct seen {
	struct buf log;		/* "T:<text>|P:<ping>|C:<code>:<reason>|" */
};

static void on_msg(void *ud, enum ws_opcode op, const char *d, size_t n)
{
	struct seen *s = ud;
	buf_printf(&s->log, "%c:%.*s|", op == WS_TEXT ? 'T' : 'B', (int)n, d);
}

static void on_ping(void *ud, const char *d, size_t n)
{
	struct seen *s = ud;
	buf_printf(&s->log, "P:%.*s|", (int)n, d);
}

static void on_close(void *ud, int code, const char *r, size_t n)
{
	struct seen *s = ud;
	buf_printf(&s->log, "C:%d:%.*s|", code, (int)n, r);
}

/* A server frame (unmasked). */
static void sframe(struct buf *b, unsigned b0, const char *p, size_t n)
{
	buf_putc(b, (char)b0);
	if (n < 126) {
		buf_putc(b, (char)n);
	} else if (n <= 0xffff) {
		buf_putc(b, 126);
		buf_putc(b, (char)(n >> 8));
		buf_putc(b, (char)n);
	} else {
		buf_putc(b, 127);
		for (int i = 0; i < 8; i++)
			buf_putc(b, (char)((uint64_t)n >> (56 - 8 * i)));
	}
	buf_append(b, p, n);
}

static char *feed_all(const struct buf *in, size_t step, char **err)
{
	struct seen s = { BUF_INIT };
	struct ws_events ev = { on_msg, on_ping, on_close, &s };
	struct ws_parser *p = ws_parser_new(&ev);
	bool ok = true;

	for (size_t i = 0; ok && i < in->len; i += step) {
		size_t n = in->len - i < step ? in->len - i : step;
		ok = ws_parser_feed(p, (const unsigned char *)in->data + i, n, err);
	}
	ws_parser_free(&p);
	if (!ok) {
		buf_free(&s.log);
		return NULL;
	}
	return s.log.data ? buf_steal(&s.log) : xstrdup("");
}

static void test_accept_and_request(void **state)
{
	(void)state;
	char *a = ws_accept_for("dGhlIHNhbXBsZSBub25jZQ==");	/* RFC 6455 1.3 */
	assert_string_equal(a, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
	free(a);
	char *k = ws_new_key();
	assert_int_equal(strlen(k), 24);
	free(k);
	/* No length limit: a 3 KB token goes out whole. */
	char tok[3001];
	memset(tok, 'x', 3000);
	tok[3000] = '\0';
	char *path = xasprintf("/v1/wschannels/AC/WQ?token=%s&closeExistingSessions=false", tok);
	char *r = ws_request(path, "h:1", "https://h:1", "KEY");
	assert_non_null(strstr(r, tok));
	assert_true(strncmp(r, "GET /v1/wschannels/AC/WQ?token=x", 32) == 0);
	assert_non_null(strstr(r, "&closeExistingSessions=false HTTP/1.1\r\nHost: h:1\r\n"));
	assert_non_null(strstr(r, "Sec-WebSocket-Key: KEY\r\n"));
	assert_int_equal(strcmp(r + strlen(r) - 4, "\r\n\r\n"), 0);
	free(r);
	free(path);
}

static void test_response(void **state)
{
	static const char key[] = "dGhlIHNhbXBsZSBub25jZQ==";
	static const char good[] = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
				   "Connection: keep-alive, Upgrade\r\n"
				   "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x01x";
	size_t used = 0;
	char *err = NULL;
	(void)state;

	assert_int_equal(ws_response_parse(good, 20, key, &used, &err), 0);
	assert_int_equal(ws_response_parse(good, sizeof good - 1, key, &used, &err), 1);
	assert_int_equal(used, sizeof good - 1 - 3);	/* the frame is left over */
	static const struct { const char *resp, *msg; } bad[] = {
		{ "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", "answered 'HTTP/1.1 401 Unauthorized'" },
		{ "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		  "Sec-WebSocket-Accept: AAAA\r\n\r\n", "wrong Sec-WebSocket-Accept" },
		{ "HTTP/1.1 101 OK\r\nConnection: Upgrade\r\n"
		  "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", "no 'Upgrade: websocket'" },
	};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(ws_response_parse(bad[i].resp, strlen(bad[i].resp), key, &used, &err), -1);
		assert_non_null(strstr(err, bad[i].msg));
		free(err);
		err = NULL;
	}
}

static void test_frames(void **state)
{
	struct buf in = BUF_INIT;
	char *big = malloc(70000), *err = NULL;
	(void)state;

	memset(big, 'b', 70000);
	sframe(&in, 0x81, " ", 1);				/* heartbeat */
	sframe(&in, 0x81, "{\"event_type\":\"x\"}", 18);
	sframe(&in, 0x01, "frag", 4);				/* fragmented text ... */
	sframe(&in, 0x89, "hb", 2);				/* ... a ping in between */
	sframe(&in, 0x00, "men", 3);
	sframe(&in, 0x80, "ted", 3);
	sframe(&in, 0x81, "", 0);				/* empty message */
	struct buf mid = BUF_INIT;
	for (int i = 0; i < 300; i++)
		buf_putc(&mid, 'm');
	sframe(&in, 0x81, mid.data, mid.len);			/* 16-bit length */
	sframe(&in, 0x82, big, 70000);				/* 64-bit length */
	sframe(&in, 0x88, "\x0f\xa1token expired", 15);		/* close 4001 */
	for (size_t step = 1; step <= in.len; step = step * 7 + 1) {
		char *log = feed_all(&in, step, &err);
		assert_non_null(log);
		assert_true(strncmp(log, "T: |T:{\"event_type\":\"x\"}|P:hb|T:fragmented|T:|T:mmm", 51) == 0);
		assert_non_null(strstr(log, "|C:4001:token expired|"));
		assert_non_null(strstr(log, "B:bbbb"));
		free(log);
	}
	buf_free(&in);
	buf_free(&mid);

	/* A client frame (masked), as the parser would see it echoed. */
	static const unsigned char mask[4] = { 1, 2, 3, 4 };
	ws_frame(&in, WS_TEXT, "hello", 5, mask);
	assert_int_equal((unsigned char)in.data[1], 0x80 | 5);
	char *log = feed_all(&in, 3, &err);
	assert_string_equal(log, "T:hello|");
	free(log);
	buf_reset(&in);
	ws_frame(&in, WS_PONG, big, 300, mask);
	assert_int_equal((unsigned char)in.data[1], 0x80 | 126);
	assert_int_equal(in.len, 2 + 2 + 4 + 300);
	buf_free(&in);
	free(big);
}

static void test_protocol_errors(void **state)
{
	static const struct { const char *bytes; size_t n; const char *msg; } cases[] = {
		{ "\xc1\x00", 2, "reserved bits" },
		{ "\x83\x00", 2, "unknown opcode 3" },
		{ "\x09\x00", 2, "fragmented or long control frame" },
		{ "\x80\x01x", 3, "continuation frame without a message" },
		{ "\x81\x7f\x00\x00\x00\x00\x10\x00\x00\x00", 10, "at most 1048576" },
		{ "\x01\x01x\x81\x01y", 6, "a new message inside a fragmented one" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf in = BUF_INIT;
		char *err = NULL;
		buf_append(&in, cases[i].bytes, cases[i].n);
		assert_null(feed_all(&in, 1, &err));
		assert_non_null(err);
		if (!strstr(err, cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].msg);
		free(err);
		buf_free(&in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_and_request),
		cmocka_unit_test(test_response),
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_protocol_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
