/* proxy: which proxy the event bridge's websocket must go through.
 *
 * curl reads the proxy environment itself; libwebsockets only reads a
 * lowercase http_proxy, for every scheme, and knows nothing of NO_PROXY.
 * So tqtop resolves the bridge's proxy here, with curl's rules, and hands
 * the result to lws explicitly.
 *
 * Contract (pure, unit-tested; getenv is a parameter):
 *  - wss:// (https) uses https_proxy, then HTTPS_PROXY; ws:// (http) uses
 *    http_proxy only (as curl, which ignores HTTP_PROXY); then all_proxy,
 *    ALL_PROXY.  no_proxy, then NO_PROXY, bypasses the proxy for matching
 *    hosts: "*", a host name or a domain suffix (".example.com" and
 *    "example.com" both match "a.example.com"), an IP address, or an IPv4
 *    CIDR block ("10.0.0.0/8").
 *  - Proxy URLs: "http://[user:pass@]host[:port]" or "host:port"; the
 *    port defaults to 1080 as in curl.  https:// and socks proxies are
 *    refused with a one-line reason (lws cannot speak to them).
 *  - proxy_resolve() returns true with out->host NULL when no proxy
 *    applies; out->source names the variable that decided.
 */
#ifndef TQ_PROXY_H
#define TQ_PROXY_H

#include <stdbool.h>

typedef const char *(*proxy_getenv_fn)(const char *name);

struct proxy_choice {
	char *host;		/* NULL: connect directly */
	int port;
	char *userinfo;		/* "user:pass" or NULL (a secret: never log) */
	char *source;		/* "https_proxy", "no_proxy", ... or NULL */
};

bool proxy_resolve(bool tls, const char *host, proxy_getenv_fn env,
		   struct proxy_choice *out, char **err);
bool proxy_no_proxy_match(const char *no_proxy, const char *host);
/* "user:pass@host:port" or "host:port", for lws_set_proxy(); caller frees. */
char *proxy_lws_string(const struct proxy_choice *c);
void proxy_choice_clear(struct proxy_choice *c);

#endif
