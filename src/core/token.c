#include "config.h"
#include "token.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <yajl/yajl_tree.h>

#include "b64url.h"
#include "buf.h"
#include "xalloc.h"

/* Header and claims nest three levels at most (claims -> policies ->
 * policy -> filter -> matcher); anything deeper is hostile, and yajl frees
 * trees recursively. */
#define TOKEN_JSON_MAX_DEPTH 16
#define HS256_SIG_LEN 32

/* Appends s for an error message: at most 40 bytes, printable ASCII only,
 * so a hostile token cannot put escape sequences on a terminal. */
static void put_quoted(struct buf *b, const char *s)
{
	size_t i;

	buf_putc(b, '"');
	for (i = 0; s[i] && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];
		buf_putc(b, c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char)c : '?');
	}
	buf_puts(b, s[i] ? "...\"" : "\"");
}

/* A filter key as it appears in a field path: bare when it is a plain
 * identifier, quoted (and sanitised) otherwise. */
static void put_name(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	bool plain = n > 0 && n <= 40;

	for (size_t i = 0; plain && i < n; i++) {
		char c = s[i];
		plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '_';
	}
	if (plain)
		buf_puts(b, s);
	else
		put_quoted(b, s);
}

static bool fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(char **err, const char *fmt, ...)
{
	va_list ap;

	if (err && *err)
		return false;	/* keep the first, most precise message */
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (err)
		*err = xasprintf("token: %s", msg);
	free(msg);
	return false;
}

static const char *type_name(yajl_val v)
{
	if (!v)
		return "nothing";
	switch (v->type) {
	case yajl_t_string: return "a string";
	case yajl_t_number: return "a number";
	case yajl_t_object: return "an object";
	case yajl_t_array: return "an array";
	case yajl_t_true:
	case yajl_t_false: return "a boolean";
	case yajl_t_null: return "null";
	default: return "an unknown value";
	}
}

/* Accepts JSON integers and integral floats (PyJWT does too) that fit
 * exactly in a double. */
static bool get_int(yajl_val v, int64_t *out)
{
	if (YAJL_IS_INTEGER(v)) {
		*out = YAJL_GET_INTEGER(v);
		return true;
	}
	if (YAJL_IS_DOUBLE(v)) {
		double d = YAJL_GET_DOUBLE(v);
		if (d >= -9007199254740992.0 && d <= 9007199254740992.0) {
			int64_t x = (int64_t)d;
			if ((double)x == d) {
				*out = x;
				return true;
			}
		}
	}
	return false;
}

/* yajl's tree cannot say how long a string is, so a \u0000 escape would
 * silently cut a claim short; and deep nesting costs stack when the tree
 * is freed.  Both are refused before yajl sees the text. */
static bool prescan(const char *s, size_t n, const char *what, char **err)
{
	int depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\' && i + 1 < n) {
				if (s[i + 1] == 'u' && i + 5 < n && strncmp(s + i + 2, "0000", 4) == 0)
					return fail(err, "%s contains a \\u0000 escape; a claim cannot hold a NUL", what);
				i++;
			} else if (c == '"') {
				in_str = false;
			}
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > TOKEN_JSON_MAX_DEPTH)
				return fail(err, "%s nests deeper than %d levels", what, TOKEN_JSON_MAX_DEPTH);
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return true;
}

/* Decodes one base64url part holding a JSON object. */
static yajl_val parse_part(const char *b64, size_t n, const char *what, char **err)
{
	unsigned char *text;
	size_t len;
	char ebuf[256];

	if (n == 0) {
		fail(err, "%s is empty; expected base64url-encoded JSON", what);
		return NULL;
	}
	if (!b64url_decode(b64, n, &text, &len)) {
		fail(err, "%s is not valid base64url; copy the token again without spaces or line breaks", what);
		return NULL;
	}
	if (strlen((char *)text) != len) {
		fail(err, "%s contains a NUL byte", what);
		free(text);
		return NULL;
	}
	if (!prescan((char *)text, len, what, err)) {
		free(text);
		return NULL;
	}
	ebuf[0] = '\0';
	yajl_val v = yajl_tree_parse((char *)text, ebuf, sizeof ebuf);
	free(text);
	if (!v) {
		ebuf[strcspn(ebuf, "\r\n")] = '\0';
		fail(err, "%s is not JSON: %s", what, ebuf[0] ? ebuf : "parse error");
		return NULL;
	}
	if (!YAJL_IS_OBJECT(v)) {
		fail(err, "%s must be a JSON object, not %s", what, type_name(v));
		yajl_tree_free(v);
		return NULL;
	}
	return v;
}

static bool take_string(yajl_val v, char **dst, const char *path, char **err)
{
	if (*dst)
		return fail(err, "%s appears twice", path);
	if (!YAJL_IS_STRING(v))
		return fail(err, "%s must be a string, not %s", path, type_name(v));
	*dst = xstrdup(YAJL_GET_STRING(v));
	return true;
}

static bool parse_header(yajl_val h, struct tq_token *t, char **err)
{
	for (size_t i = 0; i < h->u.object.len; i++) {
		const char *k = h->u.object.keys[i];
		yajl_val v = h->u.object.values[i];
		if (strcmp(k, "alg") == 0 && !take_string(v, &t->alg, "header alg", err))
			return false;
		if (strcmp(k, "typ") == 0 && !take_string(v, &t->typ, "header typ", err))
			return false;
	}
	if (!t->alg)
		return fail(err, "header has no alg; only HS256-signed tokens are accepted");
	if (strcmp(t->alg, "HS256") != 0) {
		struct buf b = BUF_INIT;
		put_quoted(&b, t->alg);
		fail(err, "alg %s is not accepted; only HS256-signed tokens are valid", buf_cstr(&b));
		buf_free(&b);
		return false;
	}
	return true;
}

static bool parse_filter(yajl_val v, struct tq_filter *f, const char *path, char **err)
{
	if (!v || YAJL_IS_NULL(v))
		return true;	/* PHP leaves filters out; null means none */
	if (!YAJL_IS_OBJECT(v))
		return fail(err, "%s must be an object, not %s", path, type_name(v));
	size_t n = v->u.object.len;
	if (n > TOKEN_MAX_FILTER_ITEMS)
		return fail(err, "%s has %zu keys; at most %d are accepted", path, n, TOKEN_MAX_FILTER_ITEMS);
	f->items = n ? xcalloc(n, sizeof *f->items) : NULL;
	for (size_t i = 0; i < n; i++) {
		const char *key = v->u.object.keys[i];
		yajl_val val = v->u.object.values[i];
		struct tq_filter_item *it = &f->items[f->n];
		struct buf p = BUF_INIT;
		bool ok = true;

		buf_printf(&p, "%s.", path);
		put_name(&p, key);
		for (size_t j = 0; j < f->n; j++)
			if (strcmp(f->items[j].key, key) == 0)
				ok = fail(err, "%s appears twice", buf_cstr(&p));
		if (ok && YAJL_IS_STRING(val)) {
			it->literal = true;
			it->required = true;
			it->value = xstrdup(YAJL_GET_STRING(val));
		} else if (ok && YAJL_IS_OBJECT(val)) {
			yajl_val req = NULL, lit = NULL;
			for (size_t j = 0; j < val->u.object.len; j++) {
				if (strcmp(val->u.object.keys[j], "required") == 0)
					req = val->u.object.values[j];
				else if (strcmp(val->u.object.keys[j], "value") == 0)
					lit = val->u.object.values[j];
			}
			if (req && !YAJL_IS_TRUE(req) && !YAJL_IS_FALSE(req))
				ok = fail(err, "%s.required must be true or false, not %s",
					  buf_cstr(&p), type_name(req));
			else if (lit && !YAJL_IS_STRING(lit) && !YAJL_IS_NULL(lit))
				ok = fail(err, "%s.value must be a string, not %s",
					  buf_cstr(&p), type_name(lit));
			it->required = YAJL_IS_TRUE(req);
			if (ok && YAJL_IS_STRING(lit))
				it->value = xstrdup(YAJL_GET_STRING(lit));
		} else if (ok) {
			ok = fail(err, "%s must be a string or {\"required\": bool, \"value\": string}, not %s",
				  buf_cstr(&p), type_name(val));
		}
		buf_free(&p);
		it->key = xstrdup(key);
		f->n++;
		if (!ok)
			return false;
	}
	return true;
}

static bool parse_policy(yajl_val v, struct tq_policy *p, size_t idx, char **err)
{
	char path[40];
	yajl_val qf = NULL, pf = NULL;
	bool seen_allow = false, seen_qf = false, seen_pf = false;

	snprintf(path, sizeof path, "policies[%zu]", idx);
	if (!YAJL_IS_OBJECT(v))
		return fail(err, "%s must be an object, not %s", path, type_name(v));
	for (size_t i = 0; i < v->u.object.len; i++) {
		const char *k = v->u.object.keys[i];
		yajl_val val = v->u.object.values[i];
		char field[64];

		if (strcmp(k, "url") == 0) {
			snprintf(field, sizeof field, "%s.url", path);
			if (!take_string(val, &p->url, field, err))
				return false;
		} else if (strcmp(k, "method") == 0) {
			snprintf(field, sizeof field, "%s.method", path);
			if (!take_string(val, &p->method, field, err))
				return false;
		} else if (strcmp(k, "allow") == 0) {
			if (seen_allow)
				return fail(err, "%s.allow appears twice", path);
			if (!YAJL_IS_TRUE(val) && !YAJL_IS_FALSE(val))
				return fail(err, "%s.allow must be true or false, not %s", path, type_name(val));
			seen_allow = true;
			p->allow = YAJL_IS_TRUE(val);
		} else if (strcmp(k, "query_filter") == 0) {
			if (seen_qf)
				return fail(err, "%s.query_filter appears twice", path);
			seen_qf = true;
			qf = val;
		} else if (strcmp(k, "post_filter") == 0) {
			if (seen_pf)
				return fail(err, "%s.post_filter appears twice", path);
			seen_pf = true;
			pf = val;
		}
	}
	if (!p->url)
		return fail(err, "%s has no url", path);
	if (!p->url[0])
		return fail(err, "%s.url is empty", path);
	if (strchr(p->url, '?'))
		return fail(err, "%s.url has a query string; policies put parameters in query_filter", path);
	if (!p->method)
		return fail(err, "%s has no method", path);
	if (!p->method[0])
		return fail(err, "%s.method is empty", path);
	for (char *m = p->method; *m; m++)
		if (*m >= 'a' && *m <= 'z')
			*m = (char)(*m - 'a' + 'A');
	char fpath[96];
	snprintf(fpath, sizeof fpath, "%s.query_filter", path);
	if (!parse_filter(qf, &p->query_filter, fpath, err))
		return false;
	snprintf(fpath, sizeof fpath, "%s.post_filter", path);
	return parse_filter(pf, &p->post_filter, fpath, err);
}

static bool parse_policies(yajl_val v, struct tq_token *t, char **err)
{
	if (!YAJL_IS_ARRAY(v))
		return fail(err, "claim \"policies\" must be an array, not %s", type_name(v));
	size_t n = v->u.array.len;
	if (n > TOKEN_MAX_POLICIES)
		return fail(err, "claim \"policies\" has %zu entries; at most %d are accepted", n, TOKEN_MAX_POLICIES);
	t->policies = n ? xcalloc(n, sizeof *t->policies) : NULL;
	for (size_t i = 0; i < n; i++) {
		t->n_policies++;
		if (!parse_policy(v->u.array.values[i], &t->policies[i], i, err))
			return false;
	}
	return true;
}

static const struct {
	const char *name;
	size_t off;
} string_claims[] = {
	{ "iss", offsetof(struct tq_token, iss) },
	{ "account_sid", offsetof(struct tq_token, account_sid) },
	{ "workspace_sid", offsetof(struct tq_token, workspace_sid) },
	{ "channel", offsetof(struct tq_token, channel) },
	{ "taskqueue_sid", offsetof(struct tq_token, taskqueue_sid) },
	{ "worker_sid", offsetof(struct tq_token, worker_sid) },
	{ "friendly_name", offsetof(struct tq_token, friendly_name) },
	{ "version", offsetof(struct tq_token, version) },
};

static const struct {
	const char *name;
	size_t off, has_off;
} time_claims[] = {
	{ "exp", offsetof(struct tq_token, exp), offsetof(struct tq_token, has_exp) },
	{ "nbf", offsetof(struct tq_token, nbf), offsetof(struct tq_token, has_nbf) },
	{ "iat", offsetof(struct tq_token, iat), offsetof(struct tq_token, has_iat) },
};

#define N_ELEMS(a) (sizeof (a) / sizeof (a)[0])

static bool parse_claims(yajl_val c, struct tq_token *t, char **err)
{
	bool seen_policies = false;

	for (size_t i = 0; i < c->u.object.len; i++) {
		const char *k = c->u.object.keys[i];
		yajl_val v = c->u.object.values[i];
		char field[48];

		for (size_t j = 0; j < N_ELEMS(string_claims); j++) {
			if (strcmp(k, string_claims[j].name) != 0)
				continue;
			snprintf(field, sizeof field, "claim \"%s\"", k);
			if (!take_string(v, (char **)((char *)t + string_claims[j].off), field, err))
				return false;
		}
		for (size_t j = 0; j < N_ELEMS(time_claims); j++) {
			if (strcmp(k, time_claims[j].name) != 0)
				continue;
			bool *has = (bool *)((char *)t + time_claims[j].has_off);
			if (*has)
				return fail(err, "claim \"%s\" appears twice", k);
			if (!get_int(v, (int64_t *)((char *)t + time_claims[j].off)))
				return fail(err, "claim \"%s\" must be an integer (seconds since 1970), not %s",
					    k, type_name(v));
			*has = true;
		}
		if (strcmp(k, "policies") == 0) {
			if (seen_policies)
				return fail(err, "claim \"policies\" appears twice");
			seen_policies = true;
			if (!parse_policies(v, t, err))
				return false;
		}
	}
	return true;
}

struct tq_token *token_decode(const char *jwt, char **err)
{
	if (err)
		*err = NULL;
	if (!jwt || !*jwt) {
		fail(err, "empty; expected header.payload.signature");
		return NULL;
	}
	const char *dot1 = strchr(jwt, '.');
	const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	size_t parts = 1;
	for (const char *p = jwt; *p; p++)
		parts += *p == '.';
	if (parts != 3) {
		fail(err, "expected 3 dot-separated parts, found %zu", parts);
		return NULL;
	}
	/* one encoding per token: padding would make signatures malleable */
	if (strchr(jwt, '=')) {
		fail(err, "has '=' padding; JWT parts are unpadded base64url");
		return NULL;
	}

	struct tq_token *t = xcalloc(1, sizeof *t);
	yajl_val h = NULL, c = NULL;
	const char *sig = dot2 + 1;
	unsigned char *sigbytes = NULL;
	size_t siglen = 0;
	bool ok = false;

	h = parse_part(jwt, (size_t)(dot1 - jwt), "header", err);
	if (!h || !parse_header(h, t, err))
		goto out;
	if (!*sig) {
		fail(err, "signature is empty; unsigned tokens are never accepted");
		goto out;
	}
	if (!b64url_decode(sig, strlen(sig), &sigbytes, &siglen)) {
		fail(err, "signature is not valid base64url; copy the token again without spaces or line breaks");
		goto out;
	}
	if (siglen != HS256_SIG_LEN) {
		fail(err, "signature is %zu bytes; HS256 signatures are %d", siglen, HS256_SIG_LEN);
		goto out;
	}
	c = parse_part(dot1 + 1, (size_t)(dot2 - dot1 - 1), "payload", err);
	if (!c || !parse_claims(c, t, err))
		goto out;
	t->raw = xstrdup(jwt);
	ok = true;
out:
	free(sigbytes);
	yajl_tree_free(h);
	yajl_tree_free(c);
	if (!ok)
		token_free(&t);
	return t;
}

static void filter_free(struct tq_filter *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->items[i].key);
		free(f->items[i].value);
	}
	free(f->items);
}

void token_free(struct tq_token **tp)
{
	struct tq_token *t = tp ? *tp : NULL;

	if (!t)
		return;
	if (t->raw) {
		/* the JWT is a bearer secret: do not leave it in freed memory */
		OPENSSL_cleanse(t->raw, strlen(t->raw));
		free(t->raw);
	}
	free(t->alg);
	free(t->typ);
	for (size_t i = 0; i < N_ELEMS(string_claims); i++)
		free(*(char **)((char *)t + string_claims[i].off));
	for (size_t i = 0; i < t->n_policies; i++) {
		free(t->policies[i].url);
		free(t->policies[i].method);
		filter_free(&t->policies[i].query_filter);
		filter_free(&t->policies[i].post_filter);
	}
	free(t->policies);
	free(t);
	*tp = NULL;
}
