#include "config.h"
#include "proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

static const char *first_env(proxy_getenv_fn env, const char *a, const char *b, const char **name)
{
	const char *v = env(a);

	if (v && *v) {
		*name = a;
		return v;
	}
	if (b) {
		v = env(b);
		if (v && *v) {
			*name = b;
			return v;
		}
	}
	return NULL;
}

static bool cidr4_match(const char *entry, const char *host)
{
	const char *slash = strchr(entry, '/');
	struct in_addr net, h;
	char *addr;
	long bits;
	char *end;
	bool ok;

	if (!slash)
		return false;
	addr = xstrndup(entry, (size_t)(slash - entry));
	ok = inet_pton(AF_INET, addr, &net) == 1 && inet_pton(AF_INET, host, &h) == 1;
	free(addr);
	bits = strtol(slash + 1, &end, 10);
	if (!ok || *end || bits < 0 || bits > 32)
		return false;
	uint32_t mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
	return (ntohl(net.s_addr) & mask) == (ntohl(h.s_addr) & mask);
}

static bool entry_match(const char *entry, size_t n, const char *host)
{
	char *e = xstrndup(entry, n);
	char *p = e;
	size_t hl = strlen(host), el;
	bool r = false;

	/* "[::1]" -> "::1"; "host:port" -> "host" (one colon only: not IPv6) */
	if (*p == '[') {
		p++;
		char *close = strchr(p, ']');
		if (close)
			*close = '\0';
	} else {
		char *colon = strchr(p, ':');
		if (colon && !strchr(colon + 1, ':'))
			*colon = '\0';
	}
	while (*p == '.')
		p++;
	el = strlen(p);
	if (strcmp(p, "*") == 0)
		r = true;
	else if (strchr(p, '/'))
		r = cidr4_match(p, host);
	else if (el && el == hl && strcasecmp(p, host) == 0)
		r = true;
	else if (el && hl > el && host[hl - el - 1] == '.' && strcasecmp(host + hl - el, p) == 0)
		r = true;
	free(e);
	return r;
}

bool proxy_no_proxy_match(const char *no_proxy, const char *host)
{
	const char *p = no_proxy;

	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		size_t n = strcspn(p, ", \t");
		if (n && entry_match(p, n, host))
			return true;
		p += n;
	}
	return false;
}

static bool parse_proxy_url(const char *url, struct proxy_choice *out, const char *var, char **err)
{
	const char *p = url;
	const char *sep = strstr(url, "://");
	size_t n;

	if (sep) {
		size_t sl = (size_t)(sep - url);
		if (!(sl == 4 && strncasecmp(url, "http", 4) == 0)) {
			*err = xasprintf("%s: only http:// proxies can carry the event bridge, got '%.*s://'",
					 var, (int)sl, url);
			return false;
		}
		p = sep + 3;
	}
	n = strcspn(p, "/?#");
	const char *at = NULL;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '@')
			at = p + i;
	if (at) {
		out->userinfo = xstrndup(p, (size_t)(at - p));
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	const char *hend = p + n;
	const char *colon = NULL;
	if (*p == '[') {
		const char *close = memchr(p, ']', n);
		if (!close) {
			*err = xasprintf("%s: bad IPv6 address in the proxy URL", var);
			return false;
		}
		out->host = xstrndup(p + 1, (size_t)(close - p - 1));
		if (close + 1 < hend && close[1] == ':')
			colon = close + 1;
	} else {
		colon = memchr(p, ':', n);
		out->host = xstrndup(p, colon ? (size_t)(colon - p) : n);
	}
	out->port = 1080;
	if (colon) {
		char *end;
		long port = strtol(colon + 1, &end, 10);
		if (end != hend || port < 1 || port > 65535) {
			*err = xasprintf("%s: bad port in the proxy URL", var);
			return false;
		}
		out->port = (int)port;
	}
	if (!*out->host) {
		*err = xasprintf("%s: no host in the proxy URL", var);
		return false;
	}
	return true;
}

bool proxy_resolve(bool tls, const char *host, proxy_getenv_fn env,
		   struct proxy_choice *out, char **err)
{
	const char *name = NULL, *v;

	memset(out, 0, sizeof *out);
	v = first_env(env, "no_proxy", "NO_PROXY", &name);
	if (v && proxy_no_proxy_match(v, host)) {
		out->source = xstrdup(name);
		return true;
	}
	if (tls)
		v = first_env(env, "https_proxy", "HTTPS_PROXY", &name);
	else
		v = first_env(env, "http_proxy", NULL, &name);
	if (!v)
		v = first_env(env, "all_proxy", "ALL_PROXY", &name);
	if (!v)
		return true;
	out->source = xstrdup(name);
	if (!parse_proxy_url(v, out, name, err)) {
		proxy_choice_clear(out);
		return false;
	}
	return true;
}

char *proxy_lws_string(const struct proxy_choice *c)
{
	bool v6 = strchr(c->host, ':') != NULL;

	return xasprintf("%s%s%s%s%s:%d", c->userinfo ? c->userinfo : "", c->userinfo ? "@" : "",
			 v6 ? "[" : "", c->host, v6 ? "]" : "", c->port);
}

void proxy_choice_clear(struct proxy_choice *c)
{
	free(c->host);
	free(c->userinfo);
	free(c->source);
	memset(c, 0, sizeof *c);
}
