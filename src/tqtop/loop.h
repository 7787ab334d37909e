/* loop: the one libuv loop everything in tqtop runs on.
 *
 * Contract:
 *  - One thread.  Network (curl via http.h, lws via bridge.h), timers,
 *    signals and the keyboard are all handles on loop->uv.
 *  - SIGINT, SIGTERM, SIGHUP, SIGWINCH and SIGCONT become calls to the
 *    on_signal callback from the loop, never work in a signal handler.
 *  - The turn hook runs once per loop iteration, before the loop blocks
 *    (a uv_prepare): the only place where views draw.  Callbacks elsewhere
 *    only update the state and set dirty bits.
 *  - The keyboard is watched only when fd is a terminal; without one there
 *    is simply no input, and nothing else changes.
 *  - loop_close() closes every handle still open (its own and, after the
 *    owners had their chance, any left), runs the loop until they are
 *    gone, and closes it: nothing leaks at exit.
 */
#ifndef TQ_LOOP_H
#define TQ_LOOP_H

#include <stdbool.h>

#include <uv.h>

typedef void (*loop_signal_cb)(void *ud, int signum);
typedef void (*loop_turn_cb)(void *ud);
typedef void (*loop_input_cb)(void *ud);

struct loop {
	uv_loop_t uv;
	uv_signal_t sig[5];
	uv_prepare_t turn;
	uv_poll_t input;
	bool input_on;
	loop_signal_cb on_signal;
	void *sig_ud;
	loop_turn_cb on_turn;
	void *turn_ud;
	loop_input_cb on_input;
	void *input_ud;
};

bool loop_init(struct loop *l, char **err);
void loop_set_signal_cb(struct loop *l, loop_signal_cb cb, void *ud);
void loop_set_turn_cb(struct loop *l, loop_turn_cb cb, void *ud);
/* Watches fd for input when it is a terminal; returns whether it does. */
bool loop_watch_input(struct loop *l, int fd, loop_input_cb cb, void *ud);
void loop_run(struct loop *l);
/* Makes loop_run() return at the end of this iteration. */
void loop_stop(struct loop *l);
void loop_close(struct loop *l);

/* Closes a handle unless it is already closing (safe on an inited one). */
void loop_close_handle(uv_handle_t *h, uv_close_cb cb);
/* A close callback for a handle allocated with xcalloc: frees it. */
void loop_handle_free(uv_handle_t *h);

/* Timers their owners make on demand: loop_timer_new() allocates one on
 * uv with data set; loop_timer_free() stops it, closes it (libuv frees
 * the memory once the loop has closed it) and sets *t to NULL (a NULL *t
 * is fine). */
uv_timer_t *loop_timer_new(uv_loop_t *uv, void *data);
void loop_timer_free(uv_timer_t **t);

#endif
