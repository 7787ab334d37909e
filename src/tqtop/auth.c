#include "config.h"
#include "auth.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "isotime.h"
#include "log.h"
#include "loop.h"
#include "retry.h"
#include "xalloc.h"

/* A failed refresh is tried again after 1, 2, 4 ... s (with jitter),
 * at most every AUTH_RETRY_CAP_S, for as long as it takes. */
#define AUTH_RETRY_BASE_S 1.0
#define AUTH_RETRY_CAP_S 30.0

struct auth_cmd {
	struct auth *a;
	uv_process_t proc;
	uv_pipe_t out;
	uv_pipe_t err;
	uv_timer_t timer;
	struct buf outbuf;
	struct buf errbuf;
	int pending;		/* handles not yet closed */
	bool exited;
	int64_t status;
	int term_signal;
	bool killed;
	bool too_big;
};

struct auth {
	struct loop *loop;
	struct tq_state *st;
	char *cmd;
	char *file;
	char *env_token;
	char *account_sid;
	char *auth_token;
	char *workspace_sid;
	char *queue_sid;
	struct auth_hooks hooks;
	struct tq_token *tok;
	uv_timer_t *expiry;
	uv_timer_t *ahead;
	uv_timer_t *debounce;
	uv_timer_t *retry;	/* the next try after a refresh that failed */
	unsigned failures;	/* refreshes failed in a row */
	uv_fs_event_t *watch;
	struct auth_cmd *running;
	bool refresh_again;	/* a refresh was asked while one ran */
	int64_t mint_ttl;
};

int64_t auth_refresh_lead(int64_t ttl)
{
	int64_t lead = ttl / 5;

	if (lead < 10)
		lead = 10;
	if (lead > 300)
		lead = 300;
	return lead;
}

char *auth_trim_token(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

bool auth_split_command(const char *cmd, char ***argvp, char **err)
{
	char **argv = NULL;
	size_t argc = 0;
	const char *p = cmd;

	for (;;) {
		struct buf w = BUF_INIT;
		bool have = false;
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		while (*p && !isspace((unsigned char)*p)) {
			have = true;
			if (*p == '\'') {
				const char *close = strchr(p + 1, '\'');
				if (!close) {
					*err = xstrdup("--token-cmd: unterminated ' quote");
					goto fail_word;
				}
				buf_append(&w, p + 1, (size_t)(close - p - 1));
				p = close + 1;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
						p++;
					buf_putc(&w, *p++);
				}
				if (*p != '"') {
					*err = xstrdup("--token-cmd: unterminated \" quote");
					goto fail_word;
				}
				p++;
			} else if (*p == '\\' && p[1]) {
				buf_putc(&w, p[1]);
				p += 2;
			} else {
				buf_putc(&w, *p++);
			}
			continue;
fail_word:
			buf_free(&w);
			auth_argv_free(argv);
			return false;
		}
		if (have) {
			argv = xreallocarray(argv, argc + 2, sizeof *argv);
			argv[argc++] = w.data ? buf_steal(&w) : xstrdup("");
			argv[argc] = NULL;
		}
	}
	if (!argc) {
		*err = xstrdup("--token-cmd: empty command");
		return false;
	}
	*argvp = argv;
	return true;
}

void auth_argv_free(char **argv)
{
	if (!argv)
		return;
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static char *queue_of(const struct tq_token *t)
{
	if (t->taskqueue_sid)
		return t->taskqueue_sid;
	if (t->channel && strncmp(t->channel, "WQ", 2) == 0)
		return t->channel;
	return NULL;
}

static void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

static void arm_timers(struct auth *a);

static bool refreshable(const struct auth *a)
{
	return a->cmd || a->file || a->auth_token;
}

/* Seconds before exp at which the current token is due for a refresh. */
static int64_t lead_of(const struct auth *a, int64_t now)
{
	int64_t issued = a->tok->has_iat ? a->tok->iat : now;
	return auth_refresh_lead(a->tok->exp - issued);
}

/* A token is needed: none yet, expired (or refused), or past the point
 * where a refresh should have brought the next one. */
static bool needs_refresh(const struct auth *a)
{
	int64_t now = (int64_t)time(NULL);

	if (!a->tok || a->st->token.expired || !a->tok->has_exp)
		return !a->tok || a->st->token.expired;
	return now >= a->tok->exp - lead_of(a, now);
}

static void on_retry(uv_timer_t *t)
{
	struct auth *a = t->data;

	a->st->token.refresh_retry_ms = 0;
	state_dirty(a->st, DIRTY_TOKEN);
	auth_refresh(a);
}

/* A refresh brought no usable token while one is needed: try again with
 * backoff, for ever (a token service that is down comes back). */
static void schedule_retry(struct auth *a, const char *why)
{
	double d;

	if (!refreshable(a) || !a->tok || !needs_refresh(a))
		return;
	if (a->retry && uv_is_active((uv_handle_t *)a->retry))
		return;
	d = retry_delay(a->failures, AUTH_RETRY_BASE_S, AUTH_RETRY_CAP_S, -1, retry_jitter());
	a->failures++;
	a->st->token.refresh_failures = a->failures;
	a->st->token.refresh_retry_ms = state_now_ms() + (int64_t)(d * 1000);
	state_dirty(a->st, DIRTY_TOKEN);
	log_info("token: %s; trying again in %.1f s", why, d);
	if (!a->retry)
		a->retry = loop_timer_new(&a->loop->uv, a);
	uv_timer_start(a->retry, on_retry, (uint64_t)(d * 1000), 0);
}

/* The token is no good any more: at its expiry, or refused (HTTP 401)
 * before it.  Said once; a new one is fetched when it can be. */
static void expire(struct auth *a, bool refused)
{
	char when[ISO8601_LEN];
	const char *channel;

	if (!a->tok || a->st->token.expired)
		return;
	iso8601_format(a->tok->exp, when);
	channel = a->tok->channel ? a->tok->channel : "?";
	a->st->token.expired = true;
	state_dirty(a->st, DIRTY_TOKEN);
	if (refused) {
		log_warn("token.expired: the server refused the token for channel %s (HTTP 401; "
			 "exp %s)", channel, when);
		if (a->expiry)
			uv_timer_stop(a->expiry);
		if (a->ahead)
			uv_timer_stop(a->ahead);
	} else {
		log_warn("token.expired: the token for channel %s expires at %s", channel, when);
	}
	if (a->hooks.on_expired)
		a->hooks.on_expired(a->hooks.ud);
	/* A refresh already waiting to be retried keeps its backoff. */
	if (refreshable(a) && !(a->retry && uv_is_active((uv_handle_t *)a->retry)))
		auth_refresh(a);
}

static void on_expiry(uv_timer_t *t)
{
	expire(t->data, false);
}

static void on_ahead(uv_timer_t *t)
{
	auth_refresh(t->data);
}

/* exp is in whole seconds, but "now" must not be (state_now_ms), or a
 * timer armed at 100.9 s for 105 would fire 0.9 s late. */
static uint64_t ms_until(int64_t at_s, int64_t now_ms)
{
	return at_s * 1000 > now_ms ? (uint64_t)(at_s * 1000 - now_ms) : 0;
}

static void arm_timers(struct auth *a)
{
	int64_t now_ms = state_now_ms(), now = now_ms / 1000;

	if (!a->tok || !a->tok->has_exp)
		return;
	if (!a->expiry)
		a->expiry = loop_timer_new(&a->loop->uv, a);
	/* libuv counts from the loop's cached time, which may be stale. */
	uv_update_time(&a->loop->uv);
	int64_t at = a->tok->exp - AUTH_EXPIRY_LEAD_S;
	uv_timer_start(a->expiry, on_expiry, ms_until(at, now_ms), 0);
	if (refreshable(a)) {
		int64_t when = a->tok->exp - lead_of(a, now);
		if (when > now && when < at) {
			if (!a->ahead)
				a->ahead = loop_timer_new(&a->loop->uv, a);
			uv_timer_start(a->ahead, on_ahead, ms_until(when, now_ms), 0);
		} else if (a->ahead) {
			uv_timer_stop(a->ahead);
		}
	}
}

void auth_rearm(struct auth *a)
{
	if (a->tok && !a->st->token.expired)
		arm_timers(a);
	/* After a suspend the backoff timer may be far behind the wall
	 * clock: a token that is due is fetched now. */
	if (a->tok && refreshable(a) && needs_refresh(a) && !a->running) {
		if (a->retry)
			uv_timer_stop(a->retry);
		a->st->token.refresh_retry_ms = 0;
		auth_refresh(a);
	}
}

void auth_refused(struct auth *a)
{
	expire(a, true);
}

bool auth_update(struct auth *a, const char *jwt, enum token_source src, char **err)
{
	char *derr = NULL;
	struct tq_token *t = token_decode(jwt, &derr);
	char when[ISO8601_LEN];
	const char *what = token_source_name(src);

	if (!t) {
		*err = xasprintf("%s: %s", what, derr);
		free(derr);
		return false;
	}
	const char *wq = queue_of(t);
	if (!t->account_sid || !t->workspace_sid || !wq) {
		*err = xasprintf("%s: the token has no %s claim (it must be a TaskQueue token)",
				 what, !t->account_sid ? "account_sid" :
				 !t->workspace_sid ? "workspace_sid" : "taskqueue_sid");
		token_free(&t);
		return false;
	}
	if (!t->has_exp) {
		*err = xasprintf("%s: the token has no exp claim", what);
		token_free(&t);
		return false;
	}
	if (t->exp <= (int64_t)time(NULL)) {
		iso8601_format(t->exp, when);
		*err = xasprintf("%s: the token expired at %s", what, when);
		token_free(&t);
		return false;
	}
	if ((a->workspace_sid && strcmp(a->workspace_sid, t->workspace_sid) != 0) ||
	    (a->queue_sid && strcmp(a->queue_sid, wq) != 0) ||
	    (a->account_sid && strcmp(a->account_sid, t->account_sid) != 0)) {
		*err = xasprintf("%s: the token is for %s/%s, not for %s/%s", what,
				 t->workspace_sid, wq, a->workspace_sid ? a->workspace_sid : "?",
				 a->queue_sid ? a->queue_sid : "?");
		token_free(&t);
		return false;
	}
	/* Pin the identity: later tokens must name the same queue. */
	if (!a->workspace_sid)
		a->workspace_sid = xstrdup(t->workspace_sid);
	if (!a->queue_sid)
		a->queue_sid = xstrdup(wq);
	if (!a->account_sid)
		a->account_sid = xstrdup(t->account_sid);
	if (a->tok && a->tok->raw && strcmp(a->tok->raw, t->raw) == 0) {
		token_free(&t);
		return true;	/* same token again: nothing changes */
	}
	token_free(&a->tok);
	a->tok = t;
	struct tq_token_state *ts = &a->st->token;
	ts->have = true;
	ts->source = src;
	ts->expired = false;
	set_str(&ts->channel, t->channel);
	set_str(&ts->account_sid, t->account_sid);
	ts->exp = t->exp;
	set_str(&ts->refresh_error, NULL);
	a->failures = 0;
	ts->refresh_failures = 0;
	ts->refresh_retry_ms = 0;
	if (a->retry)
		uv_timer_stop(a->retry);
	state_dirty(a->st, DIRTY_TOKEN);
	iso8601_format(t->exp, when);
	log_info("token: from %s for channel %s, expires %s", what,
		 t->channel ? t->channel : "?", when);
	arm_timers(a);
	if (a->hooks.on_token)
		a->hooks.on_token(a->hooks.ud, t);
	return true;
}

static void refresh_failed(struct auth *a, char *msg)
{
	log_warn("token: %s", msg);
	set_str(&a->st->token.refresh_error, msg);
	state_set_last_error(a->st, msg);
	state_dirty(a->st, DIRTY_TOKEN);
	if (a->hooks.on_failed)
		a->hooks.on_failed(a->hooks.ud, msg);
	free(msg);
	schedule_retry(a, "the refresh failed");
}

/* ---- --token-file ---------------------------------------------------- */

static bool read_file(const char *path, char **out, char **err)
{
	struct buf b = BUF_INIT;
	enum buf_read got = buf_read_file(&b, path, AUTH_MAX_TOKEN_BYTES);

	if (got != BUF_READ_OK) {
		*err = xasprintf("--token-file %s: %s", path,
				 got == BUF_READ_TOO_BIG ? "larger than a token can be" : strerror(errno));
		buf_free(&b);
		return false;
	}
	*out = auth_trim_token(b.data ? b.data : "", b.len);
	buf_free(&b);
	return true;
}

static void check_file_mode(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
		log_warn("--token-file %s is readable by %s: chmod 600 it", path,
			 (st.st_mode & S_IROTH) ? "everyone" : "its group");
}

/* *fresh (may be NULL) says whether a new token came into force. */
static bool load_file(struct auth *a, bool quiet_same, bool *fresh, char **err)
{
	char *jwt = NULL;
	bool ok;
	const struct tq_token *before = a->tok;

	if (fresh)
		*fresh = false;
	if (!read_file(a->file, &jwt, err))
		return false;
	if (!*jwt) {
		free(jwt);
		*err = xasprintf("--token-file %s is empty", a->file);
		return false;
	}
	if (quiet_same && a->tok && strcmp(a->tok->raw, jwt) == 0) {
		free(jwt);
		return true;
	}
	ok = auth_update(a, jwt, TOKEN_SRC_FILE, err);
	free(jwt);
	if (fresh)
		*fresh = ok && a->tok != before;
	return ok;
}

static void on_debounce(uv_timer_t *t)
{
	struct auth *a = t->data;
	char *err = NULL;

	if (!load_file(a, true, NULL, &err))
		refresh_failed(a, err);
	else
		check_file_mode(a->file);
}

static void on_fs_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct auth *a = h->data;
	char *copy = xstrdup(a->file);
	const char *base = basename(copy);

	(void)events;
	if (status >= 0 && (!filename || strcmp(filename, base) == 0)) {
		/* Writers often write in pieces: read once things settle. */
		if (!a->debounce)
			a->debounce = loop_timer_new(&a->loop->uv, a);
		uv_timer_start(a->debounce, on_debounce, 100, 0);
	}
	free(copy);
}

static void watch_file(struct auth *a)
{
	char *copy = xstrdup(a->file);
	const char *dir = dirname(copy);
	int rc;

	a->watch = xcalloc(1, sizeof *a->watch);
	uv_fs_event_init(&a->loop->uv, a->watch);
	a->watch->data = a;
	rc = uv_fs_event_start(a->watch, on_fs_event, dir, 0);
	if (rc < 0)
		log_warn("--token-file: cannot watch %s (%s); it is re-read at expiry only", dir,
			 uv_strerror(rc));
	free(copy);
}

/* ---- --token-cmd ----------------------------------------------------- */

static void cmd_handle_closed(uv_handle_t *h)
{
	struct auth_cmd *c = h->data;

	if (--c->pending > 0)
		return;
	buf_free(&c->outbuf);
	buf_free(&c->errbuf);
	free(c);
}

static void cmd_finish(struct auth_cmd *c)
{
	struct auth *a = c->a;
	char *err = NULL;

	/* Wait for both the exit and the end of its output. */
	if (!c->exited || uv_is_active((uv_handle_t *)&c->out) ||
	    uv_is_active((uv_handle_t *)&c->err))
		return;
	uv_timer_stop(&c->timer);
	if (a) {
		a->running = NULL;
		a->st->token.refreshing = false;
		state_dirty(a->st, DIRTY_TOKEN);
		if (c->errbuf.len) {
			char *line = auth_trim_token(c->errbuf.data, strcspn(c->errbuf.data, "\n"));
			log_warn("--token-cmd said: %s", line);
			free(line);
		}
		if (c->killed) {
			refresh_failed(a, xasprintf("--token-cmd did not finish within %d s; killed",
						    AUTH_CMD_TIMEOUT_S));
		} else if (c->too_big) {
			refresh_failed(a, xstrdup("--token-cmd printed more than a token can be"));
		} else if (c->term_signal) {
			refresh_failed(a, xasprintf("--token-cmd killed by signal %d", c->term_signal));
		} else if (c->status != 0) {
			refresh_failed(a, xasprintf("--token-cmd exited with status %lld",
						    (long long)c->status));
		} else {
			char *jwt = auth_trim_token(c->outbuf.data ? c->outbuf.data : "",
						    c->outbuf.len);
			if (!*jwt)
				refresh_failed(a, xstrdup("--token-cmd printed no token"));
			else if (a->tok && strcmp(a->tok->raw, jwt) == 0)
				schedule_retry(a, "--token-cmd gave the same token again");
			else if (!auth_update(a, jwt, TOKEN_SRC_CMD, &err))
				refresh_failed(a, err);
			free(jwt);
		}
		if (a->refresh_again) {
			a->refresh_again = false;
			auth_refresh(a);
		}
	}
	uv_close((uv_handle_t *)&c->proc, cmd_handle_closed);
	uv_close((uv_handle_t *)&c->out, cmd_handle_closed);
	uv_close((uv_handle_t *)&c->err, cmd_handle_closed);
	uv_close((uv_handle_t *)&c->timer, cmd_handle_closed);
}

static void cmd_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)h;
	b->base = xmalloc(suggested);
	b->len = suggested;
}

static void cmd_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b, bool is_err)
{
	struct auth_cmd *c = s->data;
	struct buf *dst = is_err ? &c->errbuf : &c->outbuf;

	if (n > 0) {
		if (dst->len + (size_t)n <= AUTH_MAX_TOKEN_BYTES)
			buf_append(dst, b->base, (size_t)n);
		else if (!is_err)
			c->too_big = true;
	}
	free(b->base);
	if (n < 0) {
		uv_read_stop(s);
		cmd_finish(c);
	}
}

static void cmd_read_out(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	cmd_read(s, n, b, false);
}

static void cmd_read_err(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	cmd_read(s, n, b, true);
}

static void cmd_exit(uv_process_t *p, int64_t status, int term_signal)
{
	struct auth_cmd *c = p->data;

	c->exited = true;
	c->status = status;
	c->term_signal = c->killed ? 0 : term_signal;
	cmd_finish(c);
}

static void cmd_timeout(uv_timer_t *t)
{
	struct auth_cmd *c = t->data;

	c->killed = true;
	uv_process_kill(&c->proc, SIGKILL);
}

static void run_cmd(struct auth *a)
{
	struct auth_cmd *c;
	uv_process_options_t po;
	uv_stdio_container_t stdio[3];
	char **argv = NULL;
	char *err = NULL;
	int rc;

	if (a->running) {
		a->refresh_again = true;
		return;
	}
	if (!auth_split_command(a->cmd, &argv, &err)) {
		refresh_failed(a, err);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->a = a;
	uv_pipe_init(&a->loop->uv, &c->out, 0);
	uv_pipe_init(&a->loop->uv, &c->err, 0);
	uv_timer_init(&a->loop->uv, &c->timer);
	c->out.data = c->err.data = c->timer.data = c->proc.data = c;
	memset(&po, 0, sizeof po);
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[1].data.stream = (uv_stream_t *)&c->out;
	stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[2].data.stream = (uv_stream_t *)&c->err;
	po.file = argv[0];
	po.args = argv;
	po.stdio = stdio;
	po.stdio_count = 3;
	po.exit_cb = cmd_exit;
	rc = uv_spawn(&a->loop->uv, &c->proc, &po);
	if (rc < 0) {
		refresh_failed(a, xasprintf("--token-cmd: cannot run %s: %s", argv[0], uv_strerror(rc)));
		auth_argv_free(argv);
		c->a = NULL;
		c->pending = 4;
		/* A failed uv_spawn leaves the handle initialised: close it too. */
		uv_close((uv_handle_t *)&c->proc, cmd_handle_closed);
		uv_close((uv_handle_t *)&c->out, cmd_handle_closed);
		uv_close((uv_handle_t *)&c->err, cmd_handle_closed);
		uv_close((uv_handle_t *)&c->timer, cmd_handle_closed);
		return;
	}
	auth_argv_free(argv);
	c->pending = 4;
	a->running = c;
	a->st->token.refreshing = true;
	state_dirty(a->st, DIRTY_TOKEN);
	log_info("token: running --token-cmd");
	uv_read_start((uv_stream_t *)&c->out, cmd_alloc, cmd_read_out);
	uv_read_start((uv_stream_t *)&c->err, cmd_alloc, cmd_read_err);
	uv_timer_start(&c->timer, cmd_timeout, AUTH_CMD_TIMEOUT_S * 1000, 0);
}

/* ---- minting ------------------------------------------------------------ */

static void mint(struct auth *a)
{
	struct token_mint_opts o;
	char *err = NULL, *jwt;

	memset(&o, 0, sizeof o);
	o.account_sid = a->account_sid;
	o.workspace_sid = a->workspace_sid;
	o.taskqueue_sid = a->queue_sid;
	/* REST goes direct with credentials: the bridge token needs only the
	 * channel and the queue (the ready request), and stays short enough
	 * for the websocket request line. */
	o.ttl = a->mint_ttl;
	jwt = token_mint(&o, a->auth_token, &err);
	if (!jwt) {
		refresh_failed(a, xasprintf("cannot mint a bridge token: %s", err));
		free(err);
		return;
	}
	if (!auth_update(a, jwt, TOKEN_SRC_MINTED, &err))
		refresh_failed(a, err);
	free(jwt);
}

/* ---- public ----------------------------------------------------------- */

struct auth *auth_new(struct loop *loop, struct tq_state *st, const struct auth_config *cfg,
		      const struct auth_hooks *hooks)
{
	struct auth *a = xcalloc(1, sizeof *a);

#define DUP(x) ((x) && *(x) ? xstrdup(x) : NULL)
	a->loop = loop;
	a->st = st;
	a->cmd = DUP(cfg->cmd);
	a->file = DUP(cfg->file);
	a->env_token = DUP(cfg->env_token);
	a->account_sid = DUP(cfg->account_sid);
	a->auth_token = DUP(cfg->auth_token);
	a->workspace_sid = DUP(cfg->workspace_sid);
	a->queue_sid = DUP(cfg->queue_sid);
#undef DUP
	a->hooks = *hooks;
	/* Minting needs everything the token names. */
	if (a->auth_token && !(a->account_sid && a->workspace_sid && a->queue_sid)) {
		free(a->auth_token);
		a->auth_token = NULL;
	}
	/* With an explicit token source, the auth token is for REST only. */
	if (a->cmd || a->file || a->env_token) {
		free(a->auth_token);
		a->auth_token = NULL;
	}
	st->token.refreshable = refreshable(a);
	a->mint_ttl = AUTH_MINT_TTL;
	const char *ttl = getenv("TQTOP_MINT_TTL");
	if (ttl && *ttl) {
		char *end;
		long v = strtol(ttl, &end, 10);
		if (!*end && v >= 20 && v <= 86400)
			a->mint_ttl = v;
		else
			log_warn("TQTOP_MINT_TTL '%s' ignored: expected seconds 20..86400", ttl);
	}
	return a;
}

void auth_free(struct auth **ap)
{
	struct auth *a = *ap;

	if (!a)
		return;
	loop_timer_free(&a->expiry);
	loop_timer_free(&a->ahead);
	loop_timer_free(&a->debounce);
	loop_timer_free(&a->retry);
	if (a->watch) {
		uv_fs_event_stop(a->watch);
		uv_close((uv_handle_t *)a->watch, loop_handle_free);
	}
	if (a->running) {
		struct auth_cmd *c = a->running;
		c->a = NULL;
		uv_process_kill(&c->proc, SIGKILL);
		/* cmd_finish() closes its handles once it has exited. */
	}
	token_free(&a->tok);
	free(a->cmd);
	free(a->file);
	free(a->env_token);
	free(a->account_sid);
	free(a->auth_token);
	free(a->workspace_sid);
	free(a->queue_sid);
	free(a);
	*ap = NULL;
}

bool auth_has_source(const struct auth *a)
{
	return a->cmd || a->file || a->env_token || a->auth_token;
}

const struct tq_token *auth_token(const struct auth *a)
{
	return a->tok;
}

void auth_refresh(struct auth *a)
{
	char *err = NULL;

	if (a->cmd) {
		run_cmd(a);
	} else if (a->file) {
		bool fresh;
		if (!load_file(a, true, &fresh, &err))
			refresh_failed(a, err);
		else if (!fresh)
			schedule_retry(a, "--token-file still holds the same token");
	} else if (a->auth_token) {
		mint(a);
	}
}

bool auth_start(struct auth *a, char **err)
{
	if (a->cmd) {
		char **argv;
		if (!auth_split_command(a->cmd, &argv, err))
			return false;
		auth_argv_free(argv);
		run_cmd(a);
		return true;
	}
	if (a->file) {
		check_file_mode(a->file);
		if (!load_file(a, false, NULL, err))
			return false;
		watch_file(a);
		return true;
	}
	if (a->env_token)
		return auth_update(a, a->env_token, TOKEN_SRC_ENV, err);
	if (a->auth_token) {
		mint(a);
		if (!a->tok) {
			*err = xstrdup(a->st->token.refresh_error ? a->st->token.refresh_error
				       : "cannot mint a bridge token");
			return false;
		}
	}
	return true;
}
