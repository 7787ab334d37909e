#include "config.h"
#include "loop.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

static const int signals[5] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGCONT };

static void on_sig(uv_signal_t *h, int signum)
{
	struct loop *l = h->data;

	if (l->on_signal)
		l->on_signal(l->sig_ud, signum);
}

static void on_prepare(uv_prepare_t *h)
{
	struct loop *l = h->data;

	if (l->on_turn)
		l->on_turn(l->turn_ud);
}

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct loop *l = h->data;

	(void)events;
	if (status < 0) {
		/* The terminal went away (hangup): stop watching, keep running. */
		log_warn("input: %s; no more keyboard", uv_strerror(status));
		uv_poll_stop(h);
		return;
	}
	if (l->on_input)
		l->on_input(l->input_ud);
}

bool loop_init(struct loop *l, char **err)
{
	int rc;

	memset(l, 0, sizeof *l);
	rc = uv_loop_init(&l->uv);
	if (rc < 0) {
		*err = xasprintf("event loop: %s", uv_strerror(rc));
		return false;
	}
	for (size_t i = 0; i < 5; i++) {
		uv_signal_init(&l->uv, &l->sig[i]);
		l->sig[i].data = l;
		uv_signal_start(&l->sig[i], on_sig, signals[i]);
		/* Signals alone must not keep the loop alive at shutdown. */
		uv_unref((uv_handle_t *)&l->sig[i]);
	}
	uv_prepare_init(&l->uv, &l->turn);
	l->turn.data = l;
	uv_prepare_start(&l->turn, on_prepare);
	uv_unref((uv_handle_t *)&l->turn);
	return true;
}

void loop_set_signal_cb(struct loop *l, loop_signal_cb cb, void *ud)
{
	l->on_signal = cb;
	l->sig_ud = ud;
}

void loop_set_turn_cb(struct loop *l, loop_turn_cb cb, void *ud)
{
	l->on_turn = cb;
	l->turn_ud = ud;
}

bool loop_watch_input(struct loop *l, int fd, loop_input_cb cb, void *ud)
{
	if (l->input_on || !isatty(fd))
		return false;
	if (uv_poll_init(&l->uv, &l->input, fd) < 0)
		return false;
	l->input.data = l;
	l->on_input = cb;
	l->input_ud = ud;
	uv_poll_start(&l->input, UV_READABLE, on_readable);
	uv_unref((uv_handle_t *)&l->input);
	l->input_on = true;
	return true;
}

void loop_run(struct loop *l)
{
	uv_run(&l->uv, UV_RUN_DEFAULT);
}

void loop_stop(struct loop *l)
{
	uv_stop(&l->uv);
}

void loop_close_handle(uv_handle_t *h, uv_close_cb cb)
{
	if (h->loop && !uv_is_closing(h))
		uv_close(h, cb);
}

void loop_handle_free(uv_handle_t *h)
{
	free(h);
}

uv_timer_t *loop_timer_new(uv_loop_t *uv, void *data)
{
	uv_timer_t *t = xcalloc(1, sizeof *t);

	uv_timer_init(uv, t);
	t->data = data;
	return t;
}

void loop_timer_free(uv_timer_t **t)
{
	if (*t) {
		uv_timer_stop(*t);
		uv_close((uv_handle_t *)*t, loop_handle_free);
		*t = NULL;
	}
}

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h)) {
		log_debug("loop: closing a leftover %s handle", uv_handle_type_name(h->type));
		uv_close(h, NULL);
	}
}

void loop_close(struct loop *l)
{
	for (size_t i = 0; i < 5; i++)
		loop_close_handle((uv_handle_t *)&l->sig[i], NULL);
	loop_close_handle((uv_handle_t *)&l->turn, NULL);
	if (l->input_on)
		loop_close_handle((uv_handle_t *)&l->input, NULL);
	uv_run(&l->uv, UV_RUN_DEFAULT);
	uv_walk(&l->uv, close_any, NULL);
	uv_run(&l->uv, UV_RUN_DEFAULT);
	if (uv_loop_close(&l->uv) != 0)
		log_warn("loop: handles still open at exit");
}
