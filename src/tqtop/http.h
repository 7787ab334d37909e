/* http: HTTP requests with libcurl's multi interface on the libuv loop.
 *
 * Contract:
 *  - curl's sockets are libuv poll handles and its timeout is one libuv
 *    timer (CURLMOPT_SOCKETFUNCTION / TIMERFUNCTION, curl_multi_socket_action):
 *    nothing polls, nothing wakes up while no transfer is running.
 *  - http_start() never blocks and never calls cb before returning; cb is
 *    called exactly once per started request (also on http_free(), with
 *    canceled set), after which the request is gone.
 *  - Every request has a connect timeout and a total timeout.
 *  - TLS is always verified, except for loopback hosts (127.0.0.0/8, ::1,
 *    localhost) when no CA file is given: with --ca-file the local server
 *    is checked against it too.  Without --ca-file the system's trust
 *    store is read as a hashed directory (http_system_ca_dir()), so that
 *    only the roots a server's chain needs are loaded, not the whole
 *    bundle (megabytes of heap for ~140 certificates).  Proxies come from the environment as curl
 *    reads them (https_proxy, HTTPS_PROXY, http_proxy, NO_PROXY, ...).
 *  - Every request carries a secret (Basic auth, or a token in the body),
 *    so clear text is for loopback only: a plain http:// URL is refused
 *    (before anything is sent) unless its host is a loopback address, and
 *    never goes through a proxy, which would see it in clear.
 *  - Credentials are handed to curl and never logged.
 */
#ifndef TQ_HTTP_H
#define TQ_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "loop.h"

struct http;
struct http_req;

struct http_opts {
	const char *method;		/* GET, POST, DELETE */
	const char *url;		/* complete, with query string */
	const char *body;		/* POST body or NULL */
	size_t body_len;
	const char *content_type;	/* for the body */
	const char *user;		/* Basic auth, or NULL */
	const char *password;
	long connect_timeout_ms;
	long timeout_ms;
};

struct http_resp {
	long status;		/* HTTP status, 0 when none arrived */
	bool canceled;
	bool timed_out;
	bool not_sent;		/* failed before the request went out: safe to resend */
	bool tls_unverified;	/* the server's certificate could not be verified */
	char *error;		/* transport error, one line, or NULL */
	struct buf body;
	double retry_after;	/* seconds from Retry-After, -1 when absent */
	double total_s;
};

typedef void (*http_cb)(void *ud, struct http_resp *resp);

struct http *http_new(struct loop *loop, const char *ca_file, char **err);
/* Cancels every request (their callbacks run with canceled set) and
 * closes the handles; the loop must run afterwards to finish closing. */
void http_free(struct http **h);

struct http_req *http_start(struct http *h, const struct http_opts *o, http_cb cb, void *ud);
/* Drops a request without calling its callback. */
void http_cancel(struct http *h, struct http_req *r);
size_t http_active(const struct http *h);

/* True for localhost, 127.0.0.0/8 and ::1 (with or without brackets). */
bool http_host_is_loopback(const char *host);
/* True for an http:// or ws:// URL (no TLS). */
bool http_url_cleartext(const char *url);
/* The system's CA directory: $SSL_CERT_DIR, else libcurl's CA path (on
 * Debian /etc/ssl/certs); NULL when neither is a directory (then the
 * libraries' default bundle is used). */
const char *http_system_ca_dir(void);
/* Host part of an http(s) URL ("[::1]" comes back as "::1"); caller frees. */
char *http_url_host(const char *url);
/* What to tell the user when host's certificate does not verify: against
 * the --ca-file given, or how to give one (ca_file NULL).  Caller frees. */
char *http_tls_unverified_text(const char *host, const char *ca_file, const char *detail);
/* Parses a Retry-After value (delta seconds or an HTTP date), -1 if bad. */
double http_parse_retry_after(const char *v, long now);

#endif
