#include "config.h"
#include "sim-app.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

int64_t app_now(const struct sim_app *app)
{
	const struct sim_clock *c = &app->clock;

	if (c->paused)
		return c->sim_base;
	return c->sim_base + (int64_t)((double)(uv_now(app->loop) - c->real_base) * c->speed);
}

void app_sync(struct sim_app *app)
{
	int64_t to = app_now(app);
	uint64_t t0;

	if (to <= app->engine->now)
		return;
	t0 = uv_hrtime();
	engine_advance(app->engine, to);
	app->engine_busy_ms += (double)(uv_hrtime() - t0) / 1e6;
}

void app_pause(struct sim_app *app)
{
	if (app->clock.paused)
		return;
	app_sync(app);
	app->clock.sim_base = app_now(app);
	app->clock.paused = true;
}

void app_resume(struct sim_app *app)
{
	if (!app->clock.paused)
		return;
	app->clock.real_base = uv_now(app->loop);
	app->clock.paused = false;
}

void app_step(struct sim_app *app, int64_t ms)
{
	app_pause(app);
	app->clock.sim_base += ms;
	app_sync(app);
}

void app_set_speed(struct sim_app *app, double speed)
{
	if (!app->clock.paused) {
		app->clock.sim_base = app_now(app);
		app->clock.real_base = uv_now(app->loop);
	}
	app->clock.speed = speed;
}

void counters_add_path(struct sim_counters *c, const char *path)
{
	int64_t slot;

	if (!sim_hash_get(&c->path_index, path, &slot)) {
		if (c->n_paths == c->cap_paths) {
			c->cap_paths = c->cap_paths ? c->cap_paths * 2 : 32;
			c->paths = xreallocarray(c->paths, c->cap_paths, sizeof *c->paths);
		}
		slot = (int64_t)c->n_paths++;
		c->paths[slot] = (struct sim_path_count){ xstrdup(path), 0 };
		sim_hash_put(&c->path_index, path, slot);
	}
	c->paths[slot].n++;
}

void counters_free(struct sim_counters *c)
{
	for (size_t i = 0; i < c->n_paths; i++)
		free(c->paths[i].path);
	free(c->paths);
	sim_hash_free(&c->path_index);
	memset(c, 0, sizeof *c);
}

void faults_reset(struct sim_faults *f)
{
	memset(f, 0, sizeof *f);
	f->error_status = 503;
	f->heartbeats = true;
}
