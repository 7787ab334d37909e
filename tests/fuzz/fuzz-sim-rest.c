/* The REST layer's untrusted bytes: the request target (path and query
 * string), the Authorization header, and form or JSON bodies, all the way
 * through rest_handle().  Any bytes must get an answer a client can rely
 * on; the urlencoded parser must read back what it would write.
 *
 * Input: "METHOD TARGET\n" (just TARGET means GET), an Authorization value
 * on the second line, and the body after it. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz-sim-app.h"
#include "sim-rest.h"
#include "sim-server.h"
#include "urlcode.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Next line of text[*pos..size) (without its '\n'), or the rest. */
static const char *line(const char *text, size_t size, size_t *pos, size_t *len)
{
	const char *start = text + *pos, *nl = memchr(start, '\n', size - *pos);

	*len = nl ? (size_t)(nl - start) : size - *pos;
	*pos += *len + (nl ? 1 : 0);
	return start;
}

/* Encoding what was parsed and parsing it again gives the same list. */
static void check_round_trip(const struct url_params *p)
{
	struct buf b = BUF_INIT;
	struct url_params q = { NULL, 0, 0 };

	for (size_t i = 0; i < p->n; i++) {
		if (i)
			buf_putc(&b, '&');
		buf_put_urlencoded(&b, p->v[i].key);
		buf_putc(&b, '=');
		buf_put_urlencoded(&b, p->v[i].value);
	}
	url_params_parse(&q, b.data ? b.data : "", b.len);
	if (q.n != p->n)
		abort();
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, q.v[i].key) || strcmp(p->v[i].value, q.v[i].value))
			abort();
	url_params_free(&q);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_app *app = fuzz_app();
	struct sim_req req = { 0 };
	struct sim_resp resp = { 0 };
	const char *text = (const char *)data, *l, *sp, *q;
	size_t pos = 0, n, tlen;
	char *user = NULL, *secret = NULL, *auth, *logged;

	l = line(text, size, &pos, &n);
	sp = memchr(l, ' ', n);
	req.method = sp ? xstrndup(l, (size_t)(sp - l)) : xstrdup("GET");
	if (sp) {
		tlen = n - (size_t)(sp + 1 - l);
		l = sp + 1;
	} else {
		tlen = n;
	}
	q = memchr(l, '?', tlen);
	req.path = url_decode(l, q ? (size_t)(q - l) : tlen, false);
	if (q)
		url_params_parse(&req.query, q + 1, tlen - (size_t)(q + 1 - l));
	l = line(text, size, &pos, &n);
	auth = xstrndup(l, n);
	if (http_basic_credentials(auth, &user, &secret) && strchr(user, ':'))
		abort();
	free(user);
	free(secret);
	free(auth);
	buf_append(&req.body, text + pos, size - pos);
	req.base_url = xstrdup("http://127.0.0.1:8470");
	req_parse_body(&req);
	check_round_trip(&req.query);
	check_round_trip(&req.form);
	logged = server_log_target(req.path, &req.query);
	free(logged);
	rest_handle(app, &req, &resp);
	fuzz_app_check_resp(&resp);
	if (resp.status < 300 && strcmp(req.method, "GET") != 0)
		fuzz_app_dirty();
	req_clear(&req);
	resp_clear(&resp);
	return 0;
}
