#include "config.h"
#include "http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>

#include "log.h"
#include "loop.h"
#include "xalloc.h"

/* A response body larger than this is not a TaskRouter answer. */
#define HTTP_MAX_BODY (8u << 20)

struct http {
	struct loop *loop;
	CURLM *multi;
	uv_timer_t *timer;
	char *ca_file;
	struct http_req *reqs;	/* doubly linked, for cancel-all */
	size_t n_active;
	struct http_sock *socks;	/* polled sockets, closed at http_free() */
	bool closing;
};

struct http_req {
	struct http *h;
	CURL *easy;
	struct curl_slist *headers;
	char *body;
	http_cb cb;
	void *ud;
	struct http_resp resp;
	char errbuf[CURL_ERROR_SIZE];
	struct http_req *prev, *next;
};

struct http_sock {
	uv_poll_t poll;
	struct http *h;
	curl_socket_t fd;
	struct http_sock *prev, *next;
};

static void check_done(struct http *h);

static void on_timer(uv_timer_t *t)
{
	struct http *h = t->data;
	int running;

	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(h);
}

static void on_poll(uv_poll_t *p, int status, int events)
{
	struct http_sock *s = p->data;
	struct http *h = s->h;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(h->multi, s->fd, flags, &running);
	check_done(h);
}

static void sock_closed(uv_handle_t *handle)
{
	free(handle->data);
}

static void sock_drop(struct http *h, struct http_sock *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		h->socks = s->next;
	if (s->next)
		s->next->prev = s->prev;
	uv_poll_stop(&s->poll);
	uv_close((uv_handle_t *)&s->poll, sock_closed);
}

static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct http *h = userp;
	struct http_sock *s = socketp;
	int events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			sock_drop(h, s);
			if (!h->closing)
				curl_multi_assign(h->multi, fd, NULL);
		}
		return 0;
	}
	if (!s) {
		s = xcalloc(1, sizeof *s);
		s->h = h;
		s->fd = fd;
		if (uv_poll_init_socket(&h->loop->uv, &s->poll, fd) < 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		s->next = h->socks;
		if (h->socks)
			h->socks->prev = s;
		h->socks = s;
		curl_multi_assign(h->multi, fd, s);
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= UV_READABLE;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, on_poll);
	return 0;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)multi;
	if (timeout_ms < 0)
		uv_timer_stop(h->timer);
	else
		uv_timer_start(h->timer, on_timer, (uint64_t)timeout_ms, 0);
	return 0;
}

struct http *http_new(struct loop *loop, const char *ca_file, char **err)
{
	static bool global_done;
	struct http *h;

	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			*err = xstrdup("libcurl: global initialisation failed");
			return NULL;
		}
		global_done = true;
	}
	h = xcalloc(1, sizeof *h);
	h->loop = loop;
	h->multi = curl_multi_init();
	h->ca_file = ca_file && *ca_file ? xstrdup(ca_file) : NULL;
	h->timer = loop_timer_new(&loop->uv, h);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

static void unlink_req(struct http *h, struct http_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		h->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
	h->n_active--;
}

static void free_req(struct http_req *r)
{
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	free(r->body);
	buf_free(&r->resp.body);
	free(r->resp.error);
	free(r);
}

void http_cancel(struct http *h, struct http_req *r)
{
	if (!r)
		return;
	curl_multi_remove_handle(h->multi, r->easy);
	unlink_req(h, r);
	free_req(r);
}

void http_free(struct http **hp)
{
	struct http *h = *hp;

	if (!h)
		return;
	while (h->reqs) {
		struct http_req *r = h->reqs;
		curl_multi_remove_handle(h->multi, r->easy);
		unlink_req(h, r);
		r->resp.canceled = true;
		r->resp.not_sent = true;
		r->cb(r->ud, &r->resp);
		free_req(r);
	}
	/* Cleanup closes cached connections through socket_cb (REMOVE). */
	h->closing = true;
	curl_multi_cleanup(h->multi);
	while (h->socks)
		sock_drop(h, h->socks);
	loop_timer_free(&h->timer);
	free(h->ca_file);
	free(h);
	*hp = NULL;
}

size_t http_active(const struct http *h)
{
	return h->n_active;
}

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct http_req *r = ud;
	size_t n = size * nmemb;

	if (r->resp.body.len + n > HTTP_MAX_BODY)
		return 0;	/* curl fails the transfer with CURLE_WRITE_ERROR */
	buf_append(&r->resp.body, ptr, n);
	return n;
}

static size_t header_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct http_req *r = ud;
	size_t n = size * nmemb;
	static const char name[] = "retry-after:";

	/* A new status line (proxy CONNECT answer, 100-continue) starts over. */
	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0)
		r->resp.retry_after = -1;
	if (n > sizeof name - 1 && strncasecmp(ptr, name, sizeof name - 1) == 0) {
		char *v = xstrndup(ptr + sizeof name - 1, n - (sizeof name - 1));
		r->resp.retry_after = http_parse_retry_after(v, (long)time(NULL));
		free(v);
	}
	return n;
}

bool http_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	size_t n = strlen(host);

	if (strcasecmp(host, "localhost") == 0 || strcasecmp(host, "localhost.") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		char *inner = xstrndup(host + 1, n - 2);
		bool r = inet_pton(AF_INET6, inner, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
		free(inner);
		return r;
	}
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

const char *http_system_ca_dir(void)
{
	static bool done;
	static const char *dir;
	struct stat st;
	const char *env = getenv("SSL_CERT_DIR");

	if (done)
		return dir;
	done = true;
	if (env && *env) {
		dir = env;
	} else {
		const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
		if (v->capath && stat(v->capath, &st) == 0 && S_ISDIR(st.st_mode))
			dir = v->capath;
	}
	return dir;
}

bool http_url_cleartext(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "ws://", 5) == 0;
}

char *http_tls_unverified_text(const char *host, const char *ca_file, const char *detail)
{
	if (ca_file)
		return xasprintf("TLS: cannot verify the certificate of %s against --ca-file %s (%s)",
				 host, ca_file, detail ? detail : "?");
	return xasprintf("TLS: cannot verify the certificate of %s (%s); if your own CA "
			 "signed it, give it with --ca-file FILE", host, detail ? detail : "?");
}

char *http_url_host(const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p ? p + 3 : url;
	/* skip userinfo */
	n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (*p == '[') {
		const char *close = memchr(p, ']', n);
		if (close)
			return xstrndup(p + 1, (size_t)(close - p - 1));
	}
	const char *colon = memchr(p, ':', n);
	if (colon)
		n = (size_t)(colon - p);
	return xstrndup(p, n);
}

double http_parse_retry_after(const char *v, long now)
{
	char *end;
	double d;

	while (isspace((unsigned char)*v))
		v++;
	if (isdigit((unsigned char)*v)) {
		d = strtod(v, &end);
		while (isspace((unsigned char)*end))
			end++;
		return *end ? -1 : d;
	}
	time_t t = curl_getdate(v, NULL);
	if (t < 0)
		return -1;
	return t > now ? (double)(t - now) : 0;
}

struct http_req *http_start(struct http *h, const struct http_opts *o, http_cb cb, void *ud)
{
	struct http_req *r = xcalloc(1, sizeof *r);
	char *host = http_url_host(o->url);
	CURL *e;

	r->h = h;
	r->cb = cb;
	r->ud = ud;
	r->resp.retry_after = -1;
	r->easy = e = curl_easy_init();
	if (!e)
		die("libcurl: cannot create a handle");
	curl_easy_setopt(e, CURLOPT_URL, o->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	/* Clear text only to this machine, and never through a proxy (the
	 * engine refuses such URLs first; this is the last line). */
	bool loopback = http_host_is_loopback(host);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, loopback ? "http,https" : "https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS,
			 (long)(loopback ? (CURLPROTO_HTTP | CURLPROTO_HTTPS) : CURLPROTO_HTTPS));
#endif
	if (http_url_cleartext(o->url))
		curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (h->ca_file) {
		curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
		curl_easy_setopt(e, CURLOPT_PROXY_CAINFO, h->ca_file);
	} else if (!loopback && http_system_ca_dir()) {
		/* The same trust store, looked up by hash when needed rather
		 * than the whole bundle parsed into memory. */
		curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
		curl_easy_setopt(e, CURLOPT_CAPATH, http_system_ca_dir());
	} else if (loopback) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	free(host);
	if (o->user) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(e, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	r->headers = curl_slist_append(r->headers, "Accept: application/json");
	if (strcmp(o->method, "POST") == 0) {
		r->body = xmalloc(o->body_len + 1);
		if (o->body_len)
			memcpy(r->body, o->body, o->body_len);
		r->body[o->body_len] = '\0';
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)o->body_len);
		r->headers = curl_slist_append(r->headers, "Expect:");
		if (o->content_type) {
			char *ct = xasprintf("Content-Type: %s", o->content_type);
			r->headers = curl_slist_append(r->headers, ct);
			free(ct);
		}
	} else if (strcmp(o->method, "GET") != 0) {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, o->method);
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);

	r->next = h->reqs;
	if (h->reqs)
		h->reqs->prev = r;
	h->reqs = r;
	h->n_active++;
	/* Adding only arms curl's timer: the transfer starts from the loop,
	 * so cb can never run before we return. */
	curl_multi_add_handle(h->multi, e);
	return r;
}

static void finish(struct http *h, struct http_req *r, CURLcode rc)
{
	curl_off_t pre = 0;
	double total = 0;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->resp.status);
	curl_easy_getinfo(r->easy, CURLINFO_PRETRANSFER_TIME_T, &pre);
	curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME, &total);
	r->resp.total_s = total;
	if (rc != CURLE_OK) {
		r->resp.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
		r->resp.tls_unverified = rc == CURLE_PEER_FAILED_VERIFICATION ||
					 rc == CURLE_SSL_CACERT_BADFILE ||
					 rc == CURLE_SSL_ISSUER_ERROR;
		/* Before pretransfer nothing of the request was written. */
		r->resp.not_sent = pre == 0;
		if (rc == CURLE_WRITE_ERROR)
			r->resp.error = xasprintf("response larger than %u bytes", HTTP_MAX_BODY);
		else
			r->resp.error = xstrdup(r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
		/* Any partial answer is not an answer. */
		if (rc != CURLE_WRITE_ERROR)
			r->resp.status = 0;
		/* strip a trailing newline curl sometimes leaves */
		size_t l = strlen(r->resp.error);
		while (l && (r->resp.error[l - 1] == '\n' || r->resp.error[l - 1] == '\r'))
			r->resp.error[--l] = '\0';
	}
	curl_multi_remove_handle(h->multi, r->easy);
	unlink_req(h, r);
	r->cb(r->ud, &r->resp);
	free_req(r);
}

static void check_done(struct http *h)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(h->multi, &left))) {
		struct http_req *r = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r)
			finish(h, r, m->data.result);
	}
}
