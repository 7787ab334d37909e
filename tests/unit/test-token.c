/* Capability tokens: the official vectors ($FIXTURES/taskrouter/
 * capability-tokens.json), hand-made malformed tokens, the policy
 * matching rules of PROTOCOL.md 8.3 and mint round-trips. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <yajl/yajl_tree.h>

#include "b64url.h"
#include "buf.h"
#include "token.h"
#include "xalloc.h"

#define N_ELEMS(a) (sizeof (a) / sizeof (a)[0])

static const char AC[] = "AC0123456789abcdef0123456789abcdef";
static const char WS[] = "WS0123456789abcdef0123456789abcdef";
static const char WQ[] = "WQ0123456789abcdef0123456789abcdef";
static const char SECRET[] = "0123456789abcdef0123456789abcdef";

/* ---- fixture -------------------------------------------------------- */

static yajl_val fixture;

static yajl_val jget(yajl_val v, const char *key)
{
	const char *path[] = { key, NULL };
	return yajl_tree_get(v, path, yajl_t_any);
}

static const char *jstr(yajl_val v, const char *key)
{
	return YAJL_GET_STRING(jget(v, key));
}

static int load_fixture(void **state)
{
	const char *dir = getenv("FIXTURES");
	char ebuf[256];
	struct buf b = BUF_INIT;
	(void)state;

	if (!dir) {
		fprintf(stderr, "FIXTURES is not set: run through make check\n");
		return -1;
	}
	char *path = xasprintf("%s/taskrouter/capability-tokens.json", dir);
	if (buf_read_file(&b, path, 0) != BUF_READ_OK) {
		fprintf(stderr, "cannot read %s\n", path);
		buf_free(&b);
		free(path);
		return -1;
	}
	free(path);
	fixture = yajl_tree_parse(buf_cstr(&b), ebuf, sizeof ebuf);
	buf_free(&b);
	if (!fixture) {
		fprintf(stderr, "fixture: %s\n", ebuf);
		return -1;
	}
	return 0;
}

static int free_fixture(void **state)
{
	(void)state;
	yajl_tree_free(fixture);
	fixture = NULL;
	return 0;
}

static yajl_val vectors(size_t *n)
{
	yajl_val v = jget(fixture, "vectors");
	assert_true(YAJL_IS_ARRAY(v));
	*n = v->u.array.len;
	/* the file has 8: a short read must not make the tests pass */
	assert_true(*n >= 8);
	return v;
}

static bool expect_bool(yajl_val vec, const char *key, bool *out)
{
	yajl_val e = jget(jget(vec, "expect"), key);
	if (!e)
		return false;
	assert_true(YAJL_IS_TRUE(e) || YAJL_IS_FALSE(e));
	*out = YAJL_IS_TRUE(e);
	return true;
}

/* ---- making tokens ---------------------------------------------------- */

static char *sign_parts(const char *h64, const char *p64, const char *secret)
{
	struct buf b = BUF_INIT;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;

	buf_printf(&b, "%s.%s", h64, p64);
	assert_non_null(HMAC(EVP_sha256(), secret, (int)strlen(secret),
			     (const unsigned char *)b.data, b.len, mac, &maclen));
	char *s64 = b64url_encode(mac, maclen);
	buf_printf(&b, ".%s", s64);
	free(s64);
	return buf_steal(&b);
}

/* A JWT from raw header and payload bytes, signed with secret. */
static char *make_jwt_n(const char *header, const char *payload, size_t plen, const char *secret)
{
	char *h64 = b64url_encode((const unsigned char *)header, strlen(header));
	char *p64 = b64url_encode((const unsigned char *)payload, plen);
	char *jwt = sign_parts(h64, p64, secret);
	free(h64);
	free(p64);
	return jwt;
}

static char *make_jwt(const char *header, const char *payload)
{
	return make_jwt_n(header, payload, strlen(payload), SECRET);
}

static const char HS256[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

static struct tq_token *decode_ok(const char *jwt)
{
	char *err = NULL;
	struct tq_token *t = token_decode(jwt, &err);
	if (!t)
		fail_msg("decode failed: %s", err);
	assert_null(err);
	return t;
}

/* A token whose only interesting claim is its policies array. */
static struct tq_token *policy_token(const char *policies)
{
	char *payload = xasprintf("{\"exp\":4102444800,\"policies\":[%s]}", policies);
	char *jwt = make_jwt(HS256, payload);
	struct tq_token *t = decode_ok(jwt);
	free(jwt);
	free(payload);
	return t;
}

/* ---- vectors ----------------------------------------------------------- */

static void assert_str_or_null(const char *what, const char *expected, const char *actual)
{
	if (!expected && !actual)
		return;
	if (!expected || !actual || strcmp(expected, actual) != 0)
		fail_msg("%s: expected %s, got %s", what, expected ? expected : "(absent)",
			 actual ? actual : "(absent)");
}

static void assert_filter_equal(const char *what, yajl_val exp, const struct tq_filter *f)
{
	size_t n = YAJL_IS_OBJECT(exp) ? exp->u.object.len : 0;

	assert_true(!exp || YAJL_IS_OBJECT(exp));
	if (f->n != n)
		fail_msg("%s: %zu filter items, expected %zu", what, f->n, n);
	for (size_t i = 0; i < n; i++) {
		yajl_val v = exp->u.object.values[i];
		assert_string_equal(f->items[i].key, exp->u.object.keys[i]);
		if (YAJL_IS_STRING(v)) {
			assert_true(f->items[i].literal);
			assert_string_equal(f->items[i].value, YAJL_GET_STRING(v));
		} else {
			assert_false(f->items[i].literal);
			assert_int_equal(f->items[i].required, YAJL_IS_TRUE(jget(v, "required")));
			assert_str_or_null(what, jstr(v, "value"), f->items[i].value);
		}
	}
}

static void test_vectors_decode_claims(void **state)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {
		{ "iss", offsetof(struct tq_token, iss) },
		{ "account_sid", offsetof(struct tq_token, account_sid) },
		{ "workspace_sid", offsetof(struct tq_token, workspace_sid) },
		{ "channel", offsetof(struct tq_token, channel) },
		{ "taskqueue_sid", offsetof(struct tq_token, taskqueue_sid) },
		{ "worker_sid", offsetof(struct tq_token, worker_sid) },
		{ "friendly_name", offsetof(struct tq_token, friendly_name) },
		{ "version", offsetof(struct tq_token, version) },
	};
	size_t nv;
	yajl_val vs = vectors(&nv);
	(void)state;

	for (size_t i = 0; i < nv; i++) {
		yajl_val vec = vs->u.array.values[i];
		yajl_val claims = jget(vec, "claims");
		const char *name = jstr(vec, "name");
		struct tq_token *t = decode_ok(jstr(vec, "token"));

		assert_string_equal(t->raw, jstr(vec, "token"));
		assert_str_or_null("alg", jstr(jget(vec, "header"), "alg"), t->alg);
		assert_str_or_null("typ", jstr(jget(vec, "header"), "typ"), t->typ);
		for (size_t j = 0; j < N_ELEMS(strs); j++) {
			char *what = xasprintf("%s: %s", name, strs[j].name);
			assert_str_or_null(what, jstr(claims, strs[j].name),
					   *(char **)((char *)t + strs[j].off));
			free(what);
		}
		yajl_val exp = jget(claims, "exp"), nbf = jget(claims, "nbf"), iat = jget(claims, "iat");
		assert_int_equal(t->has_exp, exp != NULL);
		assert_int_equal(t->has_nbf, nbf != NULL);
		assert_int_equal(t->has_iat, iat != NULL);
		if (exp)
			assert_int_equal(t->exp, YAJL_GET_INTEGER(exp));
		if (nbf)
			assert_int_equal(t->nbf, YAJL_GET_INTEGER(nbf));
		if (iat)
			assert_int_equal(t->iat, YAJL_GET_INTEGER(iat));

		yajl_val pol = jget(claims, "policies");
		assert_true(YAJL_IS_ARRAY(pol));
		assert_int_equal(t->n_policies, pol->u.array.len);
		for (size_t j = 0; j < t->n_policies; j++) {
			yajl_val p = pol->u.array.values[j];
			char *what = xasprintf("%s: policies[%zu]", name, j);
			assert_string_equal(t->policies[j].url, jstr(p, "url"));
			assert_string_equal(t->policies[j].method, jstr(p, "method"));
			assert_int_equal(t->policies[j].allow, YAJL_IS_TRUE(jget(p, "allow")));
			assert_filter_equal(what, jget(p, "query_filter"), &t->policies[j].query_filter);
			assert_filter_equal(what, jget(p, "post_filter"), &t->policies[j].post_filter);
			free(what);
		}
		token_free(&t);
		assert_null(t);
	}
}

/* Replaces the first occurrence of from in the token's decoded payload
 * and re-encodes it, keeping header and signature. */
static char *tamper_payload(const char *jwt, const char *from, const char *to)
{
	const char *d1 = strchr(jwt, '.');
	const char *d2 = strchr(d1 + 1, '.');
	unsigned char *json;
	size_t len;

	assert_true(b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), &json, &len));
	char *at = strstr((char *)json, from);
	assert_non_null(at);
	struct buf b = BUF_INIT;
	buf_append(&b, json, (size_t)(at - (char *)json));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	char *p64 = b64url_encode((unsigned char *)b.data, b.len);
	char *out = xasprintf("%.*s.%s%s", (int)(d1 - jwt), jwt, p64, d2);
	free(p64);
	buf_free(&b);
	free(json);
	return out;
}

static void test_vectors_signature(void **state)
{
	size_t nv, checked = 0;
	yajl_val vs = vectors(&nv);
	const char *key = jstr(fixture, "auth_token");
	(void)state;

	assert_non_null(key);
	for (size_t i = 0; i < nv; i++) {
		yajl_val vec = vs->u.array.values[i];
		const char *jwt = jstr(vec, "token");
		bool valid;
		assert_true(expect_bool(vec, "signature_valid", &valid));
		struct tq_token *t = decode_ok(jwt);

		if (token_verify(t, key) != valid)
			fail_msg("%s: verify should be %s", jstr(vec, "name"), valid ? "true" : "false");
		assert_false(token_verify(t, "fedcba9876543210fedcba9876543210"));
		assert_false(token_verify(t, ""));
		assert_false(token_verify(t, NULL));
		token_free(&t);
		checked++;
		if (!valid)
			continue;

		/* a changed signature */
		char *bad = xstrdup(jwt);
		char *sig = strrchr(bad, '.') + 1;
		sig[5] = sig[5] == 'A' ? 'B' : 'A';
		t = decode_ok(bad);
		assert_false(token_verify(t, key));
		token_free(&t);
		free(bad);

		/* a changed claim under the original signature */
		bad = tamper_payload(jwt, "\"version\":\"v1\"", "\"version\":\"v2\"");
		t = decode_ok(bad);
		assert_string_equal(t->version, "v2");
		assert_false(token_verify(t, key));
		token_free(&t);
		free(bad);

		/* a changed header under the original signature */
		static const char kid[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"x\"}";
		char *h64 = b64url_encode((const unsigned char *)kid, strlen(kid));
		bad = xasprintf("%s%s", h64, strchr(jwt, '.'));
		t = decode_ok(bad);
		assert_false(token_verify(t, key));
		token_free(&t);
		free(bad);
		free(h64);
	}
	assert_int_equal(checked, nv);
}

/* The vectors were minted at their iat/nbf; judge them a minute later. */
static time_t vector_now(const struct tq_token *t)
{
	int64_t at = 0;

	if (t->has_iat)
		at = t->iat;
	if (t->has_nbf && t->nbf > at)
		at = t->nbf;
	assert_true(at > 0);
	return (time_t)(at + 60);
}

static void test_vectors_expiry(void **state)
{
	size_t nv, checked = 0;
	yajl_val vs = vectors(&nv);
	(void)state;

	for (size_t i = 0; i < nv; i++) {
		yajl_val vec = vs->u.array.values[i];
		bool expired;
		if (!expect_bool(vec, "expired", &expired))
			continue;
		struct tq_token *t = decode_ok(jstr(vec, "token"));
		time_t now = vector_now(t);
		enum token_time tt = token_check_time(t, now);
		if (tt != (expired ? TOKEN_TIME_EXPIRED : TOKEN_TIME_VALID))
			fail_msg("%s: time check %d, expected expired=%d", jstr(vec, "name"), tt, expired);
		assert_int_equal(token_seconds_left(t, now) < 0, expired);
		token_free(&t);
		checked++;
	}
	assert_true(checked >= 6);
}

/* "fetch" for a TaskQueue dashboard is the queue and its statistics: a
 * token lacking either cannot fill the screen. */
static void test_vectors_permissions(void **state)
{
	size_t nv, checked = 0;
	yajl_val vs = vectors(&nv);
	const char *ac = jstr(fixture, "account_sid");
	char *q = token_queue_url(jstr(fixture, "workspace_sid"), jstr(fixture, "taskqueue_sid"));
	char *stats = xasprintf("%s/Statistics", q);
	char *chan = xasprintf("https://event-bridge.twilio.com/v1/wschannels/%s/%s", ac,
			       jstr(fixture, "taskqueue_sid"));
	(void)state;

	for (size_t i = 0; i < nv; i++) {
		yajl_val vec = vs->u.array.values[i];
		const char *name = jstr(vec, "name");
		struct tq_token *t = decode_ok(jstr(vec, "token"));
		bool want;

		char *c = token_channel_url(t);
		assert_string_equal(c, chan);
		free(c);
		assert_true(token_may(t, "GET", chan));
		assert_true(token_may(t, "POST", chan));
		assert_false(token_may(t, "DELETE", chan));
		if (expect_bool(vec, "can_fetch", &want)) {
			if ((token_may(t, "GET", q) && token_may(t, "GET", stats)) != want)
				fail_msg("%s: can_fetch should be %d", name, want);
			checked++;
		}
		if (expect_bool(vec, "can_update", &want)) {
			if (token_may(t, "POST", q) != want)
				fail_msg("%s: can_update should be %d", name, want);
			checked++;
		}
		if (expect_bool(vec, "can_delete", &want)) {
			if (token_may(t, "DELETE", q) != want)
				fail_msg("%s: can_delete should be %d", name, want);
			checked++;
		}
		token_free(&t);
	}
	assert_true(checked >= 15);
	free(q);
	free(stats);
	free(chan);
}

/* This vector's expect has no can_* keys: its policies (update and fetch
 * of subresources only) say what it may do. */
static void test_vector_python_subresources(void **state)
{
	size_t nv;
	yajl_val vs = vectors(&nv);
	char *q = token_queue_url(WS, WQ);
	char *stats = xasprintf("%s/Statistics", q);
	bool found = false;
	(void)state;

	for (size_t i = 0; i < nv; i++) {
		yajl_val vec = vs->u.array.values[i];
		if (strcmp(jstr(vec, "name"), "python_fetch_update_subresources") != 0)
			continue;
		found = true;
		struct tq_token *t = decode_ok(jstr(vec, "token"));
		assert_true(token_may(t, "GET", q));
		assert_true(token_may(t, "GET", stats));
		assert_true(token_may(t, "POST", stats));
		assert_false(token_may(t, "POST", q));
		assert_false(token_may(t, "DELETE", q));
		assert_false(token_may(t, "DELETE", stats));
		token_free(&t);
	}
	assert_true(found);
	free(q);
	free(stats);
}

static void test_vectors_malformed(void **state)
{
	yajl_val m = jget(fixture, "malformed");
	(void)state;

	assert_true(YAJL_IS_ARRAY(m));
	assert_true(m->u.array.len >= 7);
	for (size_t i = 0; i < m->u.array.len; i++) {
		const char *jwt = YAJL_GET_STRING(m->u.array.values[i]);
		char *err = NULL;
		assert_non_null(jwt);
		struct tq_token *t = token_decode(jwt, &err);
		if (t)
			fail_msg("malformed[%zu] \"%s\" was accepted", i, jwt);
		assert_non_null(err);
		assert_true(strncmp(err, "token: ", 7) == 0);
		assert_null(strchr(err, '\n'));
		if (strstr(jwt, "eyJhbGciOiJub25lI"))	/* {"alg":"none" */
			assert_non_null(strstr(err, "alg \"none\""));
		free(err);
	}
}

/* ---- malformed, hand-made ------------------------------------------- */

static void test_decode_rejects(void **state)
{
	static const struct {
		const char *header, *payload, *msg;
	} cases[] = {
		{ "{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"exp\":4102444800}", "alg \"none\" is not accepted" },
		{ "{\"alg\":\"HS512\"}", "{}", "alg \"HS512\"" },
		{ "{\"alg\":\"hs256\"}", "{}", "alg \"hs256\"" },
		{ "{\"alg\":\"RS256\"}", "{}", "alg \"RS256\"" },
		{ "{\"alg\":\"\\u001b[31m\"}", "{}", "alg \"?[31m\"" },
		{ "{\"typ\":\"JWT\"}", "{}", "header has no alg" },
		{ "{\"alg\":256}", "{}", "header alg must be a string, not a number" },
		{ "{\"alg\":\"HS256\",\"alg\":\"none\"}", "{}", "header alg appears twice" },
		{ "[]", "{}", "header must be a JSON object, not an array" },
		{ "not json", "{}", "header is not JSON" },
		{ HS256, "[1]", "payload must be a JSON object, not an array" },
		{ HS256, "\"x\"", "payload must be a JSON object, not a string" },
		{ HS256, "{\"exp\":", "payload is not JSON" },
		{ HS256, "{} {}", "payload is not JSON" },
		{ HS256, "{\"exp\":\"soon\"}", "claim \"exp\" must be an integer (seconds since 1970), not a string" },
		{ HS256, "{\"nbf\":1.5}", "claim \"nbf\" must be an integer" },
		{ HS256, "{\"iat\":null}", "claim \"iat\" must be an integer" },
		{ HS256, "{\"exp\":1,\"exp\":2}", "claim \"exp\" appears twice" },
		{ HS256, "{\"channel\":5}", "claim \"channel\" must be a string, not a number" },
		{ HS256, "{\"iss\":\"a\",\"iss\":\"b\"}", "claim \"iss\" appears twice" },
		{ HS256, "{\"policies\":{}}", "claim \"policies\" must be an array, not an object" },
		{ HS256, "{\"policies\":[],\"policies\":[]}", "claim \"policies\" appears twice" },
		{ HS256, "{\"policies\":[1]}", "policies[0] must be an object, not a number" },
		{ HS256, "{\"policies\":[{\"url\":\"https://x/a\",\"method\":\"GET\"},{\"method\":\"GET\"}]}",
		  "policies[1] has no url" },
		{ HS256, "{\"policies\":[{\"url\":\"\",\"method\":\"GET\"}]}", "policies[0].url is empty" },
		{ HS256, "{\"policies\":[{\"url\":7,\"method\":\"GET\"}]}", "policies[0].url must be a string" },
		{ HS256, "{\"policies\":[{\"url\":\"https://x/a\",\"allow\":true}]}", "policies[0] has no method" },
		{ HS256, "{\"policies\":[{\"url\":\"https://x/a\",\"method\":\"\"}]}", "policies[0].method is empty" },
		{ HS256, "{\"policies\":[{\"url\":\"https://x/a?b=c\",\"method\":\"GET\"}]}",
		  "policies[0].url has a query string" },
		{ HS256, "{\"policies\":[{\"url\":\"https://x/a\",\"method\":\"GET\",\"allow\":\"yes\"}]}",
		  "policies[0].allow must be true or false, not a string" },
		{ HS256, "{\"policies\":[{\"url\":\"u\",\"method\":\"GET\",\"query_filter\":[]}]}",
		  "policies[0].query_filter must be an object, not an array" },
		{ HS256, "{\"policies\":[{\"url\":\"u\",\"method\":\"POST\",\"post_filter\":{\"A\":5}}]}",
		  "policies[0].post_filter.A must be a string or {\"required\": bool, \"value\": string}, not a number" },
		{ HS256, "{\"policies\":[{\"url\":\"u\",\"method\":\"POST\",\"post_filter\":{\"A\":{\"required\":\"yes\"}}}]}",
		  "policies[0].post_filter.A.required must be true or false" },
		{ HS256, "{\"policies\":[{\"url\":\"u\",\"method\":\"POST\",\"post_filter\":{\"A\":{\"value\":1}}}]}",
		  "policies[0].post_filter.A.value must be a string" },
		{ HS256, "{\"policies\":[{\"url\":\"u\",\"method\":\"GET\",\"query_filter\":{\"A\":\"1\",\"A\":\"2\"}}]}",
		  "policies[0].query_filter.A appears twice" },
		{ HS256, "{\"policies\":[{\"url\":\"u\",\"method\":\"GET\",\"query_filter\":{\"a b\":5}}]}",
		  "policies[0].query_filter.\"a b\" must be" },
		{ HS256, "{\"channel\":\"WQ\\u0000x\"}", "payload contains a \\u0000 escape" },
		{ HS256, "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
		  "payload nests deeper than 16 levels" },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *jwt = make_jwt(cases[i].header, cases[i].payload);
		char *err = NULL;
		struct tq_token *t = token_decode(jwt, &err);
		if (t)
			fail_msg("case %zu (%s) was accepted", i, cases[i].msg);
		assert_non_null(err);
		if (!strstr(err, cases[i].msg))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, cases[i].msg);
		assert_true(strncmp(err, "token: ", 7) == 0);
		assert_null(strchr(err, '\n'));
		free(err);
		free(jwt);
	}
}

static void test_decode_rejects_structure(void **state)
{
	char *good = make_jwt(HS256, "{\"exp\":4102444800}");
	const char *sig = strrchr(good, '.') + 1;
	char *h64 = xstrndup(good, strcspn(good, "."));
	unsigned char zero[16] = { 0 };
	char *short_sig = b64url_encode(zero, sizeof zero);
	char *nul_payload = make_jwt_n(HS256, "{}\0{\"x\":1}", 10, SECRET);
	struct {
		char *jwt;
		const char *msg;
	} cases[] = {
		{ xstrdup(""), "empty" },
		{ xstrdup("abc"), "expected 3 dot-separated parts, found 1" },
		{ xstrdup("a.b"), "found 2" },
		{ xstrdup("a.b.c.d"), "found 4" },
		{ xasprintf("%s.e30.", h64), "signature is empty" },
		{ xasprintf("%s.e30.%s", h64, short_sig), "signature is 16 bytes; HS256 signatures are 32" },
		{ xasprintf("%s.e30.%s=", h64, sig), "unpadded base64url" },
		{ xasprintf("%s.e30.***", h64), "signature is not valid base64url" },
		{ xasprintf(".e30.%s", sig), "header is empty" },
		{ xasprintf("%s..%s", h64, sig), "payload is empty" },
		{ xasprintf("%s.e3 0.%s", h64, sig), "payload is not valid base64url" },
		{ xasprintf("%s.e30=.%s", h64, sig), "unpadded base64url" },
		{ xasprintf("%s+.e30.%s", h64, sig), "header is not valid base64url" },
		{ nul_payload, "payload contains a NUL byte" },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *err = NULL;
		struct tq_token *t = token_decode(cases[i].jwt, &err);
		if (t)
			fail_msg("case %zu (%s) was accepted", i, cases[i].msg);
		assert_non_null(err);
		if (!strstr(err, cases[i].msg))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, cases[i].msg);
		assert_null(strchr(err, '\n'));
		free(err);
		free(cases[i].jwt);
	}
	/* size caps: one over is refused, the cap itself is fine */
	for (int over = 0; over <= 1; over++) {
		struct buf pol = BUF_INIT, filt = BUF_INIT;
		buf_puts(&pol, "{\"policies\":[");
		for (int i = 0; i < TOKEN_MAX_POLICIES + over; i++)
			buf_printf(&pol, "%s{\"url\":\"https://x/%d\",\"method\":\"GET\"}", i ? "," : "", i);
		buf_puts(&pol, "]}");
		buf_puts(&filt, "{\"policies\":[{\"url\":\"https://x\",\"method\":\"GET\",\"query_filter\":{");
		for (int i = 0; i < TOKEN_MAX_FILTER_ITEMS + over; i++)
			buf_printf(&filt, "%s\"k%d\":\"v\"", i ? "," : "", i);
		buf_puts(&filt, "}}]}");
		const char *payloads[] = { buf_cstr(&pol), buf_cstr(&filt) };
		const char *msgs[] = { "has 257 entries; at most 256", "has 65 keys; at most 64" };
		for (size_t k = 0; k < 2; k++) {
			char *jwt = make_jwt(HS256, payloads[k]);
			char *e = NULL;
			struct tq_token *t = token_decode(jwt, &e);
			if (over) {
				assert_null(t);
				assert_non_null(strstr(e, msgs[k]));
			} else {
				assert_non_null(t);
			}
			token_free(&t);
			free(e);
			free(jwt);
		}
		buf_free(&pol);
		buf_free(&filt);
	}

	char *err = NULL;
	assert_null(token_decode(NULL, &err));
	assert_non_null(strstr(err, "empty"));
	free(err);
	assert_null(token_decode("a.b", NULL));	/* err is optional */
	free(good);
	free(h64);
	free(short_sig);
}

static void test_decode_accepts_variants(void **state)
{
	(void)state;

	/* PHP leaves filters out; null filters; lower-case method; unknown
	 * claims; an integral float exp */
	char *jwt = make_jwt("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"kid\":\"k1\"}",
			     "{\"exp\":4102444800.0,\"sub\":\"x\",\"jti\":\"y\",\"grants\":{\"a\":[1,2]},"
			     "\"policies\":[{\"url\":\"https://x/a\",\"method\":\"get\",\"allow\":true},"
			     "{\"url\":\"https://x/b\",\"method\":\"POST\",\"query_filter\":null,"
			     "\"post_filter\":{\"ActivitySid\":{\"required\":true},\"Name\":\"n\","
			     "\"Opt\":{\"required\":false,\"value\":\"v\"}}}]}");
	struct tq_token *t = decode_ok(jwt);
	assert_true(t->has_exp);
	assert_int_equal(t->exp, 4102444800LL);
	assert_false(t->has_nbf);
	assert_null(t->channel);
	assert_int_equal(t->n_policies, 2);
	assert_string_equal(t->policies[0].method, "GET");
	assert_true(t->policies[0].allow);
	assert_int_equal(t->policies[0].query_filter.n, 0);
	assert_false(t->policies[1].allow);	/* absent allow is deny */
	const struct tq_filter *pf = &t->policies[1].post_filter;
	assert_int_equal(pf->n, 3);
	assert_string_equal(pf->items[0].key, "ActivitySid");
	assert_false(pf->items[0].literal);
	assert_true(pf->items[0].required);
	assert_null(pf->items[0].value);
	assert_string_equal(pf->items[1].key, "Name");
	assert_true(pf->items[1].literal);
	assert_string_equal(pf->items[1].value, "n");
	assert_false(pf->items[2].required);
	assert_string_equal(pf->items[2].value, "v");
	assert_true(token_verify(t, SECRET));
	token_free(&t);
	token_free(&t);	/* NULL is fine */
	token_free(NULL);
	free(jwt);
}

/* alg=none must never verify, whatever path a token takes to verify(). */
static void test_alg_none_never_verifies(void **state)
{
	static const char *const algs[] = { "none", "None", "NONE", "HS512", "HS384", "RS256", "" };
	(void)state;

	char *jwt = make_jwt(HS256, "{\"exp\":4102444800}");
	for (size_t i = 0; i < N_ELEMS(algs); i++) {
		struct tq_token *t = decode_ok(jwt);
		assert_true(token_verify(t, SECRET));
		free(t->alg);
		t->alg = xstrdup(algs[i]);
		assert_false(token_verify(t, SECRET));
		free(t->alg);
		t->alg = NULL;
		assert_false(token_verify(t, SECRET));
		token_free(&t);
	}
	free(jwt);
	/* a none token that even carries a valid HMAC is refused at decode */
	for (size_t i = 0; i < N_ELEMS(algs); i++) {
		char *h = xasprintf("{\"alg\":\"%s\",\"typ\":\"JWT\"}", algs[i]);
		char *err = NULL;
		jwt = make_jwt(h, "{\"exp\":4102444800}");
		assert_null(token_decode(jwt, &err));
		assert_non_null(strstr(err, "alg"));
		free(err);
		free(jwt);
		free(h);
	}
	assert_false(token_verify(NULL, SECRET));
}

/* ---- time --------------------------------------------------------------- */

static void test_time(void **state)
{
	static const struct {
		const char *payload;
		time_t now;
		enum token_time want;
		int64_t left;
	} cases[] = {
		{ "{\"exp\":1000}", 999, TOKEN_TIME_VALID, 1 },
		{ "{\"exp\":1000}", 1000, TOKEN_TIME_VALID, 0 },
		{ "{\"exp\":1000}", 1000 + TOKEN_CLOCK_SKEW, TOKEN_TIME_VALID, -TOKEN_CLOCK_SKEW },
		{ "{\"exp\":1000}", 1001 + TOKEN_CLOCK_SKEW, TOKEN_TIME_EXPIRED, -1 - TOKEN_CLOCK_SKEW },
		{ "{\"exp\":5000,\"nbf\":1000}", 1000 - TOKEN_CLOCK_SKEW, TOKEN_TIME_VALID, 4000 + TOKEN_CLOCK_SKEW },
		{ "{\"exp\":5000,\"nbf\":1000}", 999 - TOKEN_CLOCK_SKEW, TOKEN_TIME_NOT_YET, 4001 + TOKEN_CLOCK_SKEW },
		{ "{\"nbf\":1000}", 2000, TOKEN_TIME_NO_EXP, 0 },
		{ "{}", 2000, TOKEN_TIME_NO_EXP, 0 },
		{ "{\"exp\":9223372036854775807}", 2000, TOKEN_TIME_VALID, INT64_MAX - 2000 },
		{ "{\"exp\":-9223372036854775807,\"nbf\":9223372036854775807}", 2000, TOKEN_TIME_EXPIRED, INT64_MIN },
		{ "{\"exp\":9223372036854775807,\"nbf\":9223372036854775807}", 2000, TOKEN_TIME_NOT_YET, INT64_MAX - 2000 },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *jwt = make_jwt(HS256, cases[i].payload);
		struct tq_token *t = decode_ok(jwt);
		if (token_check_time(t, cases[i].now) != cases[i].want)
			fail_msg("case %zu: %s at %lld", i, cases[i].payload, (long long)cases[i].now);
		assert_int_equal(token_seconds_left(t, cases[i].now), cases[i].left);
		token_free(&t);
		free(jwt);
	}
	assert_int_equal(token_check_time(NULL, 0), TOKEN_TIME_NO_EXP);
}

/* ---- policy matching (PROTOCOL.md 8.3) ----------------------------- */

#define B "https://t.example/v1/Workspaces/WS1"
#define POL(url, method, allow) \
	"{\"url\":\"" url "\",\"method\":\"" method "\",\"allow\":" #allow "}"
#define POLF(url, method, allow, qf, pf) \
	"{\"url\":\"" url "\",\"method\":\"" method "\",\"allow\":" #allow \
	",\"query_filter\":" qf ",\"post_filter\":" pf "}"

static const struct may_case {
	const char *name;
	const char *policies;
	const char *method;
	const char *url;
	const char *params;	/* "k=v&k=v" passed to token_may_params */
	bool want;
} may_cases[] = {
	/* literal */
	{ "exact", POL(B "/TaskQueues/WQ1", "GET", true), "GET", B "/TaskQueues/WQ1", NULL, true },
	{ "exact, other method", POL(B "/TaskQueues/WQ1", "GET", true), "POST", B "/TaskQueues/WQ1", NULL, false },
	{ "exact, method case", POL(B "/TaskQueues/WQ1", "GET", true), "get", B "/TaskQueues/WQ1", NULL, true },
	{ "exact, child", POL(B "/TaskQueues/WQ1", "GET", true), "GET", B "/TaskQueues/WQ1/Statistics", NULL, false },
	{ "exact, parent", POL(B "/TaskQueues/WQ1", "GET", true), "GET", B "/TaskQueues", NULL, false },
	{ "exact, trailing slash", POL(B "/TaskQueues/WQ1", "GET", true), "GET", B "/TaskQueues/WQ1/", NULL, false },
	{ "exact, prefix only", POL(B "/TaskQueues/WQ1", "GET", true), "GET", B "/TaskQueues/WQ12", NULL, false },
	{ "exact, query string", POL(B "/TaskQueues/WQ1", "GET", true), "GET", B "/TaskQueues/WQ1?Minutes=15", NULL, true },
	{ "exact, fragment", POL(B "/TaskQueues/WQ1", "GET", true), "GET", B "/TaskQueues/WQ1#x", NULL, true },
	/* one segment */
	{ "star, one segment", POL(B "/TaskQueues/*", "GET", true), "GET", B "/TaskQueues/WQ1", NULL, true },
	{ "star, empty segment", POL(B "/TaskQueues/*", "GET", true), "GET", B "/TaskQueues/", NULL, false },
	{ "star, prefix itself", POL(B "/TaskQueues/*", "GET", true), "GET", B "/TaskQueues", NULL, false },
	{ "star, two segments", POL(B "/TaskQueues/*", "GET", true), "GET", B "/TaskQueues/WQ1/Statistics", NULL, false },
	{ "star, sibling prefix", POL(B "/TaskQueues/*", "GET", true), "GET", B "/TaskQueuesX/WQ1", NULL, false },
	/* any descendant */
	{ "globstar, child", POL(B "/TaskQueues/WQ1/**", "GET", true), "GET", B "/TaskQueues/WQ1/Statistics", NULL, true },
	{ "globstar, grandchild", POL(B "/TaskQueues/WQ1/**", "GET", true), "GET", B "/TaskQueues/WQ1/a/b/c", NULL, true },
	{ "globstar, not the prefix", POL(B "/TaskQueues/WQ1/**", "GET", true), "GET", B "/TaskQueues/WQ1", NULL, false },
	{ "globstar, not prefix/", POL(B "/TaskQueues/WQ1/**", "GET", true), "GET", B "/TaskQueues/WQ1/", NULL, false },
	{ "globstar, sibling", POL(B "/TaskQueues/WQ1/**", "GET", true), "GET", B "/TaskQueues/WQ2/Statistics", NULL, false },
	{ "globstar, dot-dot", POL(B "/TaskQueues/WQ1/**", "GET", true), "GET", B "/TaskQueues/WQ1/../WQ2", NULL, false },
	{ "globstar, encoded dot-dot", POL(B "/TaskQueues/WQ1/**", "GET", true), "GET", B "/TaskQueues/WQ1/%2e%2E/WQ2", NULL, false },
	{ "globstar, dot", POL(B "/TaskQueues/WQ1/**", "GET", true), "GET", B "/TaskQueues/WQ1/./x", NULL, false },
	{ "globstar, dots in a name", POL(B "/TaskQueues/WQ1/**", "GET", true), "GET", B "/TaskQueues/WQ1/a...b", NULL, true },
	/* longest match wins, deny honoured */
	{ "longer deny beats shorter allow",
	  POL(B "/**", "GET", true) "," POL(B "/TaskQueues/WQ1/**", "GET", false),
	  "GET", B "/TaskQueues/WQ1/Statistics", NULL, false },
	{ "shorter allow still applies elsewhere",
	  POL(B "/**", "GET", true) "," POL(B "/TaskQueues/WQ1/**", "GET", false),
	  "GET", B "/TaskQueues/WQ2/Statistics", NULL, true },
	{ "longer allow beats shorter deny",
	  POL(B "/**", "GET", false) "," POL(B "/TaskQueues/WQ1", "GET", true),
	  "GET", B "/TaskQueues/WQ1", NULL, true },
	{ "order does not matter",
	  POL(B "/TaskQueues/WQ1", "GET", true) "," POL(B "/**", "GET", false),
	  "GET", B "/TaskQueues/WQ1", NULL, true },
	{ "literal beats star",
	  POL(B "/TaskQueues/*", "DELETE", true) "," POL(B "/TaskQueues/WQ1", "DELETE", false),
	  "DELETE", B "/TaskQueues/WQ1", NULL, false },
	{ "deny wins a tie", POL(B "/TaskQueues/WQ1", "GET", true) "," POL(B "/TaskQueues/WQ1", "GET", false),
	  "GET", B "/TaskQueues/WQ1", NULL, false },
	{ "deny wins a tie, either order", POL(B "/TaskQueues/WQ1", "GET", false) "," POL(B "/TaskQueues/WQ1", "GET", true),
	  "GET", B "/TaskQueues/WQ1", NULL, false },
	{ "explicit deny alone", POL(B "/TaskQueues/WQ1", "GET", false), "GET", B "/TaskQueues/WQ1", NULL, false },
	{ "no policy", "", "GET", B "/TaskQueues/WQ1", NULL, false },
	{ "no match", POL(B "/Workers/**", "GET", true), "GET", B "/TaskQueues/WQ1", NULL, false },
	/* filters */
	{ "literal query filter matches",
	  POLF(B "/TaskQueues/WQ1/Statistics", "GET", true, "{\"Minutes\":\"240\"}", "{}"),
	  "GET", B "/TaskQueues/WQ1/Statistics?Minutes=240", NULL, true },
	{ "literal query filter, other value",
	  POLF(B "/TaskQueues/WQ1/Statistics", "GET", true, "{\"Minutes\":\"240\"}", "{}"),
	  "GET", B "/TaskQueues/WQ1/Statistics?Minutes=15", NULL, false },
	{ "literal query filter, missing",
	  POLF(B "/TaskQueues/WQ1/Statistics", "GET", true, "{\"Minutes\":\"240\"}", "{}"),
	  "GET", B "/TaskQueues/WQ1/Statistics", NULL, false },
	{ "literal-only filter refuses other params",
	  POLF(B "/TaskQueues/WQ1/Statistics", "GET", true, "{\"Minutes\":\"240\"}", "{}"),
	  "GET", B "/TaskQueues/WQ1/Statistics?Minutes=240&TaskChannel=voice", NULL, false },
	{ "query string is form-decoded",
	  POLF(B "/Workers", "GET", true, "{\"TargetWorkersExpression\":\"skills HAS 'en'\"}", "{}"),
	  "GET", B "/Workers?TargetWorkersExpression=skills+HAS%20%27en%27", NULL, true },
	{ "explicit GET params join the query",
	  POLF(B "/TaskQueues/WQ1/Statistics", "GET", true, "{\"Minutes\":\"240\"}", "{}"),
	  "GET", B "/TaskQueues/WQ1/Statistics", "Minutes=240", true },
	{ "filtered allow beats unfiltered deny at equal length",
	  POL(B "/TaskQueues/WQ1/Statistics", "GET", false) ","
	  POLF(B "/TaskQueues/WQ1/Statistics", "GET", true, "{\"Minutes\":\"240\"}", "{}"),
	  "GET", B "/TaskQueues/WQ1/Statistics?Minutes=240", NULL, true },
	{ "unfiltered deny when the filter does not match",
	  POL(B "/TaskQueues/WQ1/Statistics", "GET", false) ","
	  POLF(B "/TaskQueues/WQ1/Statistics", "GET", true, "{\"Minutes\":\"240\"}", "{}"),
	  "GET", B "/TaskQueues/WQ1/Statistics?Minutes=15", NULL, false },
	{ "filtered deny beats unfiltered allow",
	  POL(B "/TaskQueues/WQ1", "POST", true) ","
	  POLF(B "/TaskQueues/WQ1", "POST", false, "{}", "{\"MaxReservedWorkers\":{\"required\":true}}"),
	  "POST", B "/TaskQueues/WQ1", "MaxReservedWorkers=50&FriendlyName=x", false },
	{ "unfiltered allow when the filtered deny does not match",
	  POL(B "/TaskQueues/WQ1", "POST", true) ","
	  POLF(B "/TaskQueues/WQ1", "POST", false, "{}", "{\"MaxReservedWorkers\":{\"required\":true}}"),
	  "POST", B "/TaskQueues/WQ1", "FriendlyName=x", true },
	{ "longer unfiltered beats shorter filtered",
	  POLF(B "/**", "GET", false, "{\"Minutes\":{\"required\":false}}", "{}") ","
	  POL(B "/TaskQueues/WQ1/Statistics", "GET", true),
	  "GET", B "/TaskQueues/WQ1/Statistics?Minutes=5", NULL, true },
	{ "required post filter present",
	  POLF(B "/Workers/WK1", "POST", true, "{}", "{\"ActivitySid\":{\"required\":true}}"),
	  "POST", B "/Workers/WK1", "ActivitySid=WA1&Attributes={}", true },
	{ "required post filter absent",
	  POLF(B "/Workers/WK1", "POST", true, "{}", "{\"ActivitySid\":{\"required\":true}}"),
	  "POST", B "/Workers/WK1", "Attributes={}", false },
	{ "post filter ignores the url's query for POST params",
	  POLF(B "/Workers/WK1", "POST", true, "{}", "{\"ActivitySid\":{\"required\":true}}"),
	  "POST", B "/Workers/WK1?ActivitySid=WA1", NULL, false },
	{ "optional matcher absent",
	  POLF(B "/Workers/WK1", "POST", true, "{}", "{\"ActivitySid\":{\"required\":false,\"value\":\"WA1\"}}"),
	  "POST", B "/Workers/WK1", "", true },
	{ "optional matcher right value",
	  POLF(B "/Workers/WK1", "POST", true, "{}", "{\"ActivitySid\":{\"required\":false,\"value\":\"WA1\"}}"),
	  "POST", B "/Workers/WK1", "ActivitySid=WA1", true },
	{ "optional matcher wrong value",
	  POLF(B "/Workers/WK1", "POST", true, "{}", "{\"ActivitySid\":{\"required\":false,\"value\":\"WA1\"}}"),
	  "POST", B "/Workers/WK1", "ActivitySid=WA2", false },
	{ "empty filters allow any params",
	  POLF(B "/TaskQueues/WQ1", "POST", true, "{}", "{}"),
	  "POST", B "/TaskQueues/WQ1", "FriendlyName=x&MaxReservedWorkers=3", true },
	{ "query filter applies to POST's url query",
	  POLF(B "/TaskQueues/WQ1", "POST", true, "{\"Force\":\"true\"}", "{}"),
	  "POST", B "/TaskQueues/WQ1?Force=false", NULL, false },
	{ "post filter does not apply to GET",
	  POLF(B "/TaskQueues/WQ1", "GET", true, "{}", "{\"X\":{\"required\":true}}"),
	  "GET", B "/TaskQueues/WQ1", NULL, true },
};

static void test_policy_matching(void **state)
{
	(void)state;

	for (size_t i = 0; i < N_ELEMS(may_cases); i++) {
		const struct may_case *c = &may_cases[i];
		struct tq_token *t = policy_token(c->policies);
		struct tq_param params[8];
		size_t np = 0;
		char *copy = c->params ? xstrdup(c->params) : NULL;
		bool got;

		if (copy) {
			for (char *save = NULL, *kv = strtok_r(copy, "&", &save); kv;
			     kv = strtok_r(NULL, "&", &save)) {
				char *eq = strchr(kv, '=');
				assert_non_null(eq);
				*eq = '\0';
				assert_true(np < N_ELEMS(params));
				params[np].key = kv;
				params[np].value = eq + 1;
				np++;
			}
			got = token_may_params(t, c->method, c->url, params, np);
		} else {
			got = token_may(t, c->method, c->url);
		}
		if (got != c->want)
			fail_msg("%s: %s %s%s%s -> %s, expected %s", c->name, c->method, c->url,
				 c->params ? " with " : "", c->params ? c->params : "",
				 got ? "allowed" : "denied", c->want ? "allowed" : "denied");
		free(copy);
		token_free(&t);
	}
	assert_false(token_may(NULL, "GET", B));
	struct tq_token *t = policy_token(POL(B, "GET", true));
	assert_true(token_may(t, "GET", B));
	assert_false(token_may(t, NULL, B));
	assert_false(token_may(t, "GET", NULL));
	assert_false(token_may_params(t, "GET", B, NULL, 1));
	struct tq_param nullval = { "k", NULL };
	assert_false(token_may_params(t, "GET", B, &nullval, 1));
	token_free(&t);
}

/* ---- mint --------------------------------------------------------------- */

static void test_mint_roundtrip(void **state)
{
	static const struct {
		bool fetch, update, del, workers;
		int64_t ttl;
		const char *name;
	} cases[] = {
		{ false, false, false, false, 0, NULL },
		{ true, false, false, false, 120, NULL },
		{ false, true, false, false, 3600, "board" },
		{ false, false, true, false, 86400, NULL },
		{ true, true, true, false, 28800, "supervisor \xc3\xa9t\xc3\xa9" },
		{ false, false, false, true, 0, NULL },
		{ true, true, true, true, 28800, NULL },
	};
	const time_t now = 1795990000;
	char *q = token_queue_url(WS, WQ);
	char *stats = xasprintf("%s/Statistics", q);
	char *rts = xasprintf("%s/RealTimeStatistics", q);
	char *chan = xasprintf("https://event-bridge.twilio.com/v1/wschannels/%s/%s", AC, WQ);
	char *other = token_queue_url(WS, "WQ00000000000000000000000000000000");
	char *workers = xasprintf("https://taskrouter.twilio.com/v1/Workspaces/%s/Workers", WS);
	/* what tqtop's worker preview sends (api.c) */
	char *preview = xasprintf("%s?TargetWorkersExpression=skills%%20HAS%%20%%22support%%22"
				  "&PageSize=1000", workers);
	char *one_worker = xasprintf("%s/WK00000000000000000000000000000000", workers);
	(void)state;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct token_mint_opts o = {
			.account_sid = AC, .workspace_sid = WS, .taskqueue_sid = WQ,
			.friendly_name = cases[i].name,
			.allow_fetch_subresources = cases[i].fetch,
			.allow_updates = cases[i].update, .allow_delete = cases[i].del,
			.allow_fetch_workers = cases[i].workers,
			.ttl = cases[i].ttl, .now = now,
		};
		int64_t ttl = cases[i].ttl ? cases[i].ttl : TOKEN_DEFAULT_TTL;
		char *err = NULL;
		char *jwt = token_mint(&o, SECRET, &err);
		assert_non_null(jwt);
		assert_null(err);

		struct tq_token *t = decode_ok(jwt);
		assert_true(token_verify(t, SECRET));
		assert_false(token_verify(t, "0123456789abcdef0123456789abcdee"));
		assert_string_equal(t->alg, "HS256");
		assert_string_equal(t->typ, "JWT");
		assert_string_equal(t->iss, AC);
		assert_string_equal(t->account_sid, AC);
		assert_string_equal(t->workspace_sid, WS);
		assert_string_equal(t->channel, WQ);
		assert_string_equal(t->taskqueue_sid, WQ);
		assert_null(t->worker_sid);
		assert_string_equal(t->friendly_name, cases[i].name ? cases[i].name : WQ);
		assert_string_equal(t->version, "v1");
		assert_true(t->has_exp && t->has_nbf && t->has_iat);
		assert_int_equal(t->exp, now + ttl);
		assert_int_equal(t->nbf, now);
		assert_int_equal(t->iat, now);

		/* twilio-python's policy order, then tqtop's addition */
		const char *want[7][2];
		size_t n = 0;
		want[n][0] = chan, want[n++][1] = "GET";
		want[n][0] = chan, want[n++][1] = "POST";
		want[n][0] = q, want[n++][1] = "GET";
		if (cases[i].update)
			want[n][0] = q, want[n++][1] = "POST";
		if (cases[i].del)
			want[n][0] = q, want[n++][1] = "DELETE";
		char *sub = xasprintf("%s/**", q);
		if (cases[i].fetch)
			want[n][0] = sub, want[n++][1] = "GET";
		if (cases[i].workers)
			want[n][0] = workers, want[n++][1] = "GET";
		assert_int_equal(t->n_policies, n);
		for (size_t j = 0; j < n; j++) {
			assert_string_equal(t->policies[j].url, want[j][0]);
			assert_string_equal(t->policies[j].method, want[j][1]);
			assert_true(t->policies[j].allow);
			assert_int_equal(t->policies[j].query_filter.n, 0);
			assert_int_equal(t->policies[j].post_filter.n, 0);
		}
		free(sub);

		assert_true(token_may(t, "GET", chan));
		assert_true(token_may(t, "POST", chan));
		assert_true(token_may(t, "GET", q));
		assert_int_equal(token_may(t, "GET", stats), cases[i].fetch);
		assert_int_equal(token_may(t, "GET", rts), cases[i].fetch);
		assert_int_equal(token_may(t, "POST", q), cases[i].update);
		assert_int_equal(token_may(t, "DELETE", q), cases[i].del);
		assert_false(token_may(t, "POST", stats));
		assert_false(token_may(t, "GET", other));
		assert_int_equal(token_may(t, "GET", workers), cases[i].workers);
		assert_int_equal(token_may(t, "GET", preview), cases[i].workers);
		struct tq_param pp[] = {
			{ "TargetWorkersExpression", "skills HAS \"support\"" }, { "PageSize", "1000" },
		};
		assert_int_equal(token_may_params(t, "GET", workers, pp, 2), cases[i].workers);
		assert_false(token_may(t, "GET", one_worker));
		assert_false(token_may(t, "POST", workers));
		assert_int_equal(token_check_time(t, now), TOKEN_TIME_VALID);
		assert_int_equal(token_check_time(t, (time_t)(now + ttl + TOKEN_CLOCK_SKEW)), TOKEN_TIME_VALID);
		assert_int_equal(token_check_time(t, (time_t)(now + ttl + TOKEN_CLOCK_SKEW + 1)), TOKEN_TIME_EXPIRED);
		assert_int_equal(token_seconds_left(t, now), ttl);
		token_free(&t);
		free(jwt);
	}
	free(q);
	free(stats);
	free(rts);
	free(chan);
	free(other);
	free(workers);
	free(preview);
	free(one_worker);
}

/* The payload text itself: claims in twilio-python's order, plus iat. */
static void test_mint_payload_text(void **state)
{
	struct token_mint_opts o = {
		.account_sid = AC, .workspace_sid = WS, .taskqueue_sid = WQ,
		.allow_updates = true, .now = 1795990000,
	};
	char *err = NULL;
	char *jwt = token_mint(&o, SECRET, &err);
	(void)state;

	assert_non_null(jwt);
	assert_true(strncmp(jwt, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37) == 0);
	const char *d1 = strchr(jwt, '.'), *d2 = strrchr(jwt, '.');
	unsigned char *json;
	size_t len;
	assert_true(b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), &json, &len));
#define CH "https://event-bridge.twilio.com/v1/wschannels/AC0123456789abcdef0123456789abcdef/WQ0123456789abcdef0123456789abcdef"
#define RES "https://taskrouter.twilio.com/v1/Workspaces/WS0123456789abcdef0123456789abcdef/TaskQueues/WQ0123456789abcdef0123456789abcdef"
#define P(u, m) "{\"url\":\"" u "\",\"method\":\"" m "\",\"allow\":true,\"query_filter\":{},\"post_filter\":{}}"
	assert_string_equal((char *)json,
		"{\"account_sid\":\"AC0123456789abcdef0123456789abcdef\","
		"\"workspace_sid\":\"WS0123456789abcdef0123456789abcdef\","
		"\"channel\":\"WQ0123456789abcdef0123456789abcdef\","
		"\"version\":\"v1\","
		"\"friendly_name\":\"WQ0123456789abcdef0123456789abcdef\","
		"\"policies\":[" P(CH, "GET") "," P(CH, "POST") "," P(RES, "GET") "," P(RES, "POST") "],"
		"\"taskqueue_sid\":\"WQ0123456789abcdef0123456789abcdef\","
		"\"iss\":\"AC0123456789abcdef0123456789abcdef\","
		"\"exp\":1795993600,\"nbf\":1795990000,\"iat\":1795990000}");
#undef P
#undef RES
#undef CH
	free(json);
	free(jwt);
}

static void test_mint_now_defaults_to_clock(void **state)
{
	struct token_mint_opts o = { .account_sid = AC, .workspace_sid = WS, .taskqueue_sid = WQ };
	time_t before = time(NULL);
	char *jwt = token_mint(&o, SECRET, NULL);
	time_t after = time(NULL);
	(void)state;

	struct tq_token *t = decode_ok(jwt);
	assert_true(t->iat >= before && t->iat <= after);
	assert_int_equal(t->exp, t->iat + TOKEN_DEFAULT_TTL);
	token_free(&t);
	free(jwt);
}

static void test_mint_rejects(void **state)
{
	static const struct {
		const char *ac, *ws, *wq, *name, *secret;
		int64_t ttl;
		const char *msg;
	} cases[] = {
		{ "AX0123456789abcdef0123456789abcdef", WS, WQ, NULL, SECRET, 0, "account_sid must be AC" },
		{ "AC0123456789abcdef0123456789abcde", WS, WQ, NULL, SECRET, 0, "account_sid" },
		{ "AC0123456789abcdef0123456789abcdeg", WS, WQ, NULL, SECRET, 0, "account_sid" },
		{ NULL, WS, WQ, NULL, SECRET, 0, "account_sid" },
		{ AC, WQ, WQ, NULL, SECRET, 0, "workspace_sid must be WS" },
		{ AC, WS, "WK0123456789abcdef0123456789abcdef", NULL, SECRET, 0, "taskqueue_sid must be WQ" },
		{ AC, WS, NULL, NULL, SECRET, 0, "taskqueue_sid" },
		{ AC, WS, WQ, NULL, "", 0, "secret" },
		{ AC, WS, WQ, NULL, NULL, 0, "secret" },
		{ AC, WS, WQ, NULL, SECRET, -1, "ttl must be a positive" },
		{ AC, WS, WQ, NULL, SECRET, INT64_MAX, "ttl is too large" },
		{ AC, WS, WQ, "bad \xff utf-8", SECRET, 0, "friendly_name is not valid UTF-8" },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct token_mint_opts o = {
			.account_sid = cases[i].ac, .workspace_sid = cases[i].ws,
			.taskqueue_sid = cases[i].wq, .friendly_name = cases[i].name,
			.ttl = cases[i].ttl, .now = 1795990000,
		};
		char *err = NULL;
		char *jwt = token_mint(&o, cases[i].secret, &err);
		if (jwt)
			fail_msg("case %zu (%s) minted a token", i, cases[i].msg);
		assert_non_null(err);
		if (!strstr(err, cases[i].msg))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, cases[i].msg);
		free(err);
	}
	char *err = NULL;
	assert_null(token_mint(NULL, SECRET, &err));
	assert_non_null(err);
	free(err);
}

static void test_sid_valid(void **state)
{
	static const struct {
		const char *sid, *prefix;
		bool want;
	} cases[] = {
		{ "AC0123456789abcdef0123456789abcdef", "AC", true },
		{ "AC0123456789ABCDEF0123456789ABCDEF", "AC", true },
		{ "WQ0123456789abcdef0123456789abcdef", "WQ", true },
		{ "WQ0123456789abcdef0123456789abcdef", "WS", false },
		{ "wq0123456789abcdef0123456789abcdef", "WQ", false },
		{ "WQ0123456789abcdef0123456789abcde", "WQ", false },
		{ "WQ0123456789abcdef0123456789abcdef0", "WQ", false },
		{ "WQ0123456789abcdef0123456789abcdeg", "WQ", false },
		{ "WQ0123456789abcdef 123456789abcdef", "WQ", false },
		{ "", "WQ", false },
		{ NULL, "WQ", false },
		{ "WQ0123456789abcdef0123456789abcdef", NULL, false },
		{ "WQ0123456789abcdef0123456789abcdef", "W", false },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMS(cases); i++)
		if (sid_valid(cases[i].sid, cases[i].prefix) != cases[i].want)
			fail_msg("sid_valid(%s, %s) should be %d", cases[i].sid ? cases[i].sid : "NULL",
				 cases[i].prefix ? cases[i].prefix : "NULL", cases[i].want);
}

static void test_urls(void **state)
{
	(void)state;

	char *q = token_queue_url(WS, WQ);
	assert_string_equal(q, "https://taskrouter.twilio.com/v1/Workspaces/"
			    "WS0123456789abcdef0123456789abcdef/TaskQueues/WQ0123456789abcdef0123456789abcdef");
	free(q);
	assert_null(token_queue_url(NULL, WQ));
	assert_null(token_queue_url(WS, NULL));
	assert_null(token_channel_url(NULL));

	char *jwt = make_jwt(HS256, "{\"account_sid\":\"ACx\"}");
	struct tq_token *t = decode_ok(jwt);
	assert_null(token_channel_url(t));	/* no channel claim */
	token_free(&t);
	free(jwt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_decode_claims),
		cmocka_unit_test(test_vectors_signature),
		cmocka_unit_test(test_vectors_expiry),
		cmocka_unit_test(test_vectors_permissions),
		cmocka_unit_test(test_vector_python_subresources),
		cmocka_unit_test(test_vectors_malformed),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_decode_rejects_structure),
		cmocka_unit_test(test_decode_accepts_variants),
		cmocka_unit_test(test_alg_none_never_verifies),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_policy_matching),
		cmocka_unit_test(test_mint_roundtrip),
		cmocka_unit_test(test_mint_payload_text),
		cmocka_unit_test(test_mint_now_defaults_to_clock),
		cmocka_unit_test(test_mint_rejects),
		cmocka_unit_test(test_sid_valid),
		cmocka_unit_test(test_urls),
	};
	return cmocka_run_group_tests(tests, load_fixture, free_fixture);
}
