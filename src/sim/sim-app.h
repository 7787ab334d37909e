/* sim-app: the state one tqsim process shares between its modules (the
 * engine, the simulated clock, credentials, faults, request counters).
 *
 * Contract: single-threaded; everything runs on one libuv loop.  The
 * simulated clock maps real time to simulated time:
 *   now = sim_base + (real - real_base) * speed   (running)
 *   now = sim_base                                (paused)
 * and app_sync() advances the engine to it before a request is answered,
 * so answers are never older than the request.  Secrets (auth token, API
 * secret) live here and are never logged.
 */
#ifndef TQ_SIM_APP_H
#define TQ_SIM_APP_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "sim-engine.h"
#include "sim-hash.h"
#include "sim-ratelimit.h"
#include "sim-rng.h"

struct sim_clock {
	bool paused;
	double speed;
	int64_t sim_base;		/* simulated ms */
	uint64_t real_base;		/* uv_now() ms */
};

struct sim_faults {
	int64_t latency_ms;
	double error_rate;
	int error_status;
	int64_t throttle;		/* next N requests answered 429 */
	int64_t retry_after;		/* seconds; 0: no header */
	int64_t malformed;		/* next N bodies broken */
	bool malformed_garbage;		/* else truncated */
	bool heartbeats;
	int64_t drop_every;		/* seconds; 0: off */
	int64_t reject_writes;		/* next N REST POSTs and DELETEs answered 400 */
};

struct sim_path_count {
	char *path;
	uint64_t n;
};

struct sim_counters {
	uint64_t total;
	uint64_t by_status[600];
	uint64_t in_flight, max_in_flight;
	struct sim_hash path_index;
	struct sim_path_count *paths;
	size_t n_paths, cap_paths;
};

struct sim_bridge;
struct lws_context;
struct lws_vhost;

struct sim_app {
	uv_loop_t *loop;
	struct sim_engine *engine;
	struct sim_clock clock;
	char *auth_token;		/* SECRET */
	char *api_key;			/* SK... */
	char *api_secret;		/* SECRET */
	struct sim_faults faults;
	struct sim_rng fault_rng;
	struct sim_ratelimit limits;
	bool limits_at_start;		/* what a faults reset goes back to */
	struct sim_counters counters;
	int heartbeat_s;
	bool tls;
	struct lws_context *lws;
	struct lws_vhost *vhost;
	struct sim_bridge *bridge;
	double engine_busy_ms;		/* real time spent in engine_advance */
	uint64_t next_heartbeat;	/* uv_now() ms of the next heartbeat */
	uint64_t next_drop;		/* uv_now() ms of the next drop_every drop */
	uv_timer_t tick;
	bool stopping;
};

/* Simulated ms now. */
int64_t app_now(const struct sim_app *app);
/* Advances the engine to app_now(). */
void app_sync(struct sim_app *app);
void app_pause(struct sim_app *app);
void app_resume(struct sim_app *app);
/* Pauses, then advances the simulation by ms synchronously. */
void app_step(struct sim_app *app, int64_t ms);
void app_set_speed(struct sim_app *app, double speed);

void counters_add_path(struct sim_counters *c, const char *path);
void counters_free(struct sim_counters *c);
void faults_reset(struct sim_faults *f);

#endif
