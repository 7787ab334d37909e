#include "config.h"
#include "sim-http.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "xalloc.h"

void params_add(struct sim_params *p, const char *key, size_t klen, const char *value, size_t vlen)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	p->v[p->n].key = xstrndup(key, klen);
	p->v[p->n].value = xstrndup(value, vlen);
	p->n++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(const char *s, size_t len, bool plus_space)
{
	char *out = xmalloc(len + 1), *o = out;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (s[i] == '+' && plus_space) {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

void params_parse_urlencoded(struct sim_params *p, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t end = i, eq;
		char *k, *v;

		while (end < len && s[end] != '&')
			end++;
		for (eq = i; eq < end && s[eq] != '='; eq++)
			;
		if (end > i) {
			k = url_decode(s + i, eq - i, true);
			v = eq < end ? url_decode(s + eq + 1, end - eq - 1, true) : xstrdup("");
			params_add(p, k, strlen(k), v, strlen(v));
			free(k);
			free(v);
		}
		i = end + 1;
	}
}

const char *params_get(const struct sim_params *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0)
			return p->v[i].value;
	return NULL;
}

void params_free(struct sim_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].value);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

void req_clear(struct sim_req *r)
{
	free(r->method);
	free(r->path);
	params_free(&r->query);
	params_free(&r->form);
	buf_free(&r->body);
	free(r->base_url);
	memset(r, 0, sizeof *r);
}

void resp_clear(struct sim_resp *r)
{
	buf_free(&r->body);
	memset(r, 0, sizeof *r);
}

void resp_json(struct sim_resp *r, int status, yajl_gen g)
{
	const unsigned char *text;
	size_t len;

	yajl_gen_get_buf(g, &text, &len);
	buf_reset(&r->body);
	buf_append(&r->body, text, len);
	r->status = status;
	r->json = true;
}

void resp_error(struct sim_resp *r, int status, int code, const char *fmt, ...)
{
	va_list ap;
	char *msg, *more;
	yajl_gen g = yajl_gen_alloc(NULL);

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	more = xasprintf("https://www.twilio.com/docs/errors/%d", code);
	yajl_gen_map_open(g);
	json_gen_kv_int(g, "code", code);
	json_gen_kv_str(g, "message", msg);
	json_gen_kv_str(g, "more_info", more);
	json_gen_kv_int(g, "status", status);
	yajl_gen_map_close(g);
	resp_json(r, status, g);
	yajl_gen_free(g);
	free(msg);
	free(more);
}
