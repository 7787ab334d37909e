#include "config.h"
#include "tunnel.h"

#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "buf.h"
#include "json.h"
#include "xalloc.h"

static void gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

char *tunnel_envelope(const char *url, const char *method, const struct tq_param *params,
		      size_t n_params, const char *token, const char *event_type)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *out;
	size_t len;
	char *s;

	yajl_gen_map_open(g);
	gen_str(g, "url");
	gen_str(g, url);
	gen_str(g, "method");
	gen_str(g, method);
	if (n_params) {
		gen_str(g, "params");
		yajl_gen_map_open(g);
		for (size_t i = 0; i < n_params; i++) {
			gen_str(g, params[i].key);
			gen_str(g, params[i].value);
		}
		yajl_gen_map_close(g);
	}
	gen_str(g, "token");
	gen_str(g, token);
	if (event_type) {
		gen_str(g, "event_type");
		gen_str(g, event_type);
	}
	yajl_gen_map_close(g);
	yajl_gen_get_buf(g, &out, &len);
	s = xstrndup((const char *)out, len);
	yajl_gen_free(g);
	return s;
}

bool tunnel_unwrap(const char *body, size_t len, yajl_val *tree, yajl_val *payload,
		   char **event_type, char **err)
{
	char *perr = NULL;
	yajl_val t = json_parse(body, len, &perr);

	*tree = NULL;
	*payload = NULL;
	if (event_type)
		*event_type = NULL;
	if (!t) {
		*err = xasprintf("tunnel answer: %s", perr ? perr : "not JSON");
		free(perr);
		return false;
	}
	if (!YAJL_IS_OBJECT(t)) {
		*err = xasprintf("tunnel answer: expected an object, got %s", json_type_name(t));
		yajl_tree_free(t);
		return false;
	}
	yajl_val p = json_get(t, "payload");
	if (!p) {
		*err = xstrdup("tunnel answer: no \"payload\"");
		yajl_tree_free(t);
		return false;
	}
	yajl_val et = json_get(t, "event_type");
	if (event_type && et && YAJL_IS_STRING(et))
		*event_type = xstrdup(YAJL_GET_STRING(et));
	*tree = t;
	*payload = p;
	return true;
}

char *form_encode(const struct tq_param *params, size_t n)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, '&');
		buf_put_urlencoded(&b, params[i].key);
		buf_putc(&b, '=');
		buf_put_urlencoded(&b, params[i].value);
	}
	return b.data ? buf_steal(&b) : xstrdup("");
}

char *api_url(const char *base, const char *path, const struct tq_param *params, size_t n)
{
	struct buf b = BUF_INIT;
	size_t bl = strlen(base);

	/* "https://host/" + "/v1/..." must not give "//v1". */
	while (bl && base[bl - 1] == '/')
		bl--;
	buf_append(&b, base, bl);
	buf_puts(&b, path);
	if (n) {
		char *q = form_encode(params, n);
		buf_putc(&b, '?');
		buf_puts(&b, q);
		free(q);
	}
	return buf_steal(&b);
}
