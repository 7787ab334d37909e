#include "config.h"
#include "token.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <yajl/yajl_gen.h>

#include "b64url.h"
#include "buf.h"
#include "xalloc.h"

bool sid_valid(const char *s, const char *prefix)
{
	if (!s || !prefix || strlen(prefix) != 2 || strlen(s) != 34)
		return false;
	if (s[0] != prefix[0] || s[1] != prefix[1])
		return false;
	for (size_t i = 2; i < 34; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

static bool gen_str(yajl_gen g, const char *s)
{
	return yajl_gen_string(g, (const unsigned char *)s, strlen(s)) == yajl_gen_status_ok;
}

static void gen_kv(yajl_gen g, const char *k, const char *v)
{
	gen_str(g, k);
	gen_str(g, v);
}

static void gen_int(yajl_gen g, const char *k, int64_t v)
{
	gen_str(g, k);
	yajl_gen_integer(g, v);
}

/* The policy object of twilio-python's _make_policy, keys in its order. */
static void gen_policy(yajl_gen g, const char *url, const char *method)
{
	yajl_gen_map_open(g);
	gen_kv(g, "url", url);
	gen_kv(g, "method", method);
	gen_str(g, "allow");
	yajl_gen_bool(g, 1);
	gen_str(g, "query_filter");
	yajl_gen_map_open(g);
	yajl_gen_map_close(g);
	gen_str(g, "post_filter");
	yajl_gen_map_open(g);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

static bool mint_fail(char **err, const char *msg)
{
	if (err)
		*err = xasprintf("token: %s", msg);
	return false;
}

static bool check_opts(const struct token_mint_opts *o, const char *secret, char **err)
{
	if (!o)
		return mint_fail(err, "no mint options given");
	if (!sid_valid(o->account_sid, "AC"))
		return mint_fail(err, "account_sid must be AC followed by 32 hex digits");
	if (!sid_valid(o->workspace_sid, "WS"))
		return mint_fail(err, "workspace_sid must be WS followed by 32 hex digits");
	if (!sid_valid(o->taskqueue_sid, "WQ"))
		return mint_fail(err, "taskqueue_sid must be WQ followed by 32 hex digits");
	if (!secret || !*secret)
		return mint_fail(err, "the signing secret (the account's auth token) is empty");
	if (strlen(secret) > INT_MAX)
		return mint_fail(err, "the signing secret is too long");
	if (o->ttl < 0)
		return mint_fail(err, "ttl must be a positive number of seconds");
	return true;
}

char *token_mint(const struct token_mint_opts *o, const char *secret, char **err)
{
	if (err)
		*err = NULL;
	if (!check_opts(o, secret, err))
		return NULL;

	int64_t now = o->now ? (int64_t)o->now : (int64_t)time(NULL);
	int64_t ttl = o->ttl ? o->ttl : TOKEN_DEFAULT_TTL;
	if (ttl > INT64_MAX - now) {
		mint_fail(err, "ttl is too large: the expiry would overflow");
		return NULL;
	}
	const char *wq = o->taskqueue_sid;
	char *resource = token_queue_url(o->workspace_sid, wq);
	char *subresources = xasprintf("%s/**", resource);
	char *channel = xasprintf("%s/v1/wschannels/%s/%s", EVENT_BRIDGE_BASE, o->account_sid, wq);
	char *workers = xasprintf("%s/v1/Workspaces/%s/Workers", TASKROUTER_API_BASE, o->workspace_sid);

	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		die("out of memory");
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);

	/* Claim order of TaskRouterCapabilityToken._generate_payload, then
	 * the Jwt base class's iss/exp/nbf, then iat. */
	yajl_gen_map_open(g);
	gen_kv(g, "account_sid", o->account_sid);
	gen_kv(g, "workspace_sid", o->workspace_sid);
	gen_kv(g, "channel", wq);
	gen_kv(g, "version", "v1");
	gen_str(g, "friendly_name");
	bool name_ok = gen_str(g, o->friendly_name ? o->friendly_name : wq);
	gen_str(g, "policies");
	yajl_gen_array_open(g);
	gen_policy(g, channel, "GET");
	gen_policy(g, channel, "POST");
	gen_policy(g, resource, "GET");
	if (o->allow_updates)
		gen_policy(g, resource, "POST");
	if (o->allow_delete)
		gen_policy(g, resource, "DELETE");
	if (o->allow_fetch_subresources)
		gen_policy(g, subresources, "GET");
	if (o->allow_fetch_workers)
		gen_policy(g, workers, "GET");
	yajl_gen_array_close(g);
	gen_kv(g, "taskqueue_sid", wq);
	gen_kv(g, "iss", o->account_sid);
	gen_int(g, "exp", now + ttl);
	gen_int(g, "nbf", now);
	gen_int(g, "iat", now);
	yajl_gen_map_close(g);

	char *jwt = NULL;
	const unsigned char *json;
	size_t json_len;
	if (!name_ok) {
		mint_fail(err, "friendly_name is not valid UTF-8; pass it in UTF-8");
	} else if (yajl_gen_get_buf(g, &json, &json_len) != yajl_gen_status_ok) {
		mint_fail(err, "could not generate the claims JSON");
	} else {
		static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
		struct buf b = BUF_INIT;
		unsigned char mac[EVP_MAX_MD_SIZE];
		unsigned int maclen = 0;

		char *h64 = b64url_encode((const unsigned char *)header, sizeof header - 1);
		char *p64 = b64url_encode(json, json_len);
		buf_printf(&b, "%s.%s", h64, p64);
		if (!HMAC(EVP_sha256(), secret, (int)strlen(secret),
			  (const unsigned char *)b.data, b.len, mac, &maclen))
			die("HMAC-SHA256 failed");
		char *s64 = b64url_encode(mac, maclen);
		OPENSSL_cleanse(mac, sizeof mac);
		buf_printf(&b, ".%s", s64);
		jwt = buf_steal(&b);
		free(h64);
		free(p64);
		free(s64);
	}
	yajl_gen_free(g);
	free(resource);
	free(subresources);
	free(channel);
	free(workers);
	return jwt;
}
