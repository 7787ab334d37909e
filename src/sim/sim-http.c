#include "config.h"
#include "sim-http.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "json.h"
#include "urlcode.h"
#include "xalloc.h"

void req_clear(struct sim_req *r)
{
	free(r->method);
	free(r->path);
	url_params_free(&r->query);
	url_params_free(&r->form);
	buf_free(&r->body);
	free(r->base_url);
	memset(r, 0, sizeof *r);
}

bool http_body_is_json(const struct buf *b)
{
	size_t i = 0;

	while (i < b->len && (b->data[i] == ' ' || b->data[i] == '\n' || b->data[i] == '\r' || b->data[i] == '\t'))
		i++;
	return i < b->len && b->data[i] == '{';
}

void req_parse_body(struct sim_req *r)
{
	if (strcmp(r->method, "POST") == 0 && r->body.len && !http_body_is_json(&r->body))
		url_params_parse(&r->form, r->body.data, r->body.len);
}

bool http_basic_credentials(const char *header, char **user, char **secret)
{
	const char *b64;
	size_t n, pad = 0;
	unsigned char *raw;
	char *colon;
	int len;
	bool ok = false;

	*user = *secret = NULL;
	if (!header || strncasecmp(header, "Basic ", 6) != 0)
		return false;
	b64 = header + 6;
	while (*b64 == ' ')
		b64++;
	n = strlen(b64);
	if (n == 0 || n % 4 || n > 4096)
		return false;
	raw = xmalloc(n + 1);
	len = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
	if (len < 0)
		goto out;
	while (pad < 2 && b64[n - 1 - pad] == '=')
		pad++;
	len -= (int)pad;
	if (memchr(raw, '\0', (size_t)len))
		goto out;
	colon = memchr(raw, ':', (size_t)len);
	if (!colon)
		goto out;
	*user = xstrndup((char *)raw, (size_t)(colon - (char *)raw));
	*secret = xstrndup(colon + 1, (size_t)len - (size_t)(colon + 1 - (char *)raw));
	ok = true;
out:
	OPENSSL_cleanse(raw, n + 1);
	free(raw);
	return ok;
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

/* Messages echo what clients sent: keep them one line of valid UTF-8. */
static void one_clean_line(char *msg)
{
	bool utf8 = json_utf8_valid(msg, strlen(msg));

	for (unsigned char *p = (unsigned char *)msg; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (!utf8 && *p >= 0x80))
			*p = '?';
}

void resp_error(struct sim_resp *r, int status, int code, const char *fmt, ...)
{
	va_list ap;
	char *msg, *more;
	yajl_gen g = yajl_gen_alloc(NULL);

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	one_clean_line(msg);
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
