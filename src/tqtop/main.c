/* tqtop: settings, then batch mode or the dashboard (ui.h: ui_main(),
 * demo_main() for --demo), with the log already open.  Config-file
 * warnings go to stderr and the log here in batch mode; the dashboard
 * shows them itself (event log, status bar) and repeats them on stderr
 * once the terminal is restored.
 */
#include "config.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "conf.h"
#include "engine.h"
#include "log.h"
#include "loop.h"
#include "state.h"
#include "ui.h"
#include "xalloc.h"

struct app {
	struct loop loop;
	struct engine *engine;
	struct batch *batch;
	int quit_status;
	bool quit;		/* a signal or the engine asked to stop */
};

static void app_stop(void *ud)
{
	struct app *app = ud;

	loop_stop(&app->loop);
}

static void app_quit(void *ud, int signum)
{
	struct app *app = ud;

	/* A signal is the user asking to stop: not a failure.  Signum 0 is
	 * the engine giving up (it logged why). */
	if (signum == 0)
		app->quit_status = 1;
	app->quit = true;
	loop_stop(&app->loop);
}

static enum batch_format batch_format(const struct config *cfg)
{
	const char *o = cfg_str(cfg, OPT_OUTPUT);

	if (strcmp(o, "json") == 0)
		return BATCH_JSON;
	if (strcmp(o, "tsv") == 0)
		return BATCH_TSV;
	return BATCH_TEXT;
}

static int run_batch(const struct config *cfg)
{
	struct app app;
	struct engine_hooks hooks;
	char *err = NULL;
	int status;

	memset(&app, 0, sizeof app);
	if (!loop_init(&app.loop, &err)) {
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
		return 1;
	}
	hooks.on_quit = app_quit;
	hooks.ud = &app;
	app.engine = engine_new(&app.loop, cfg, &hooks, &err);
	if (!app.engine) {
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
		loop_close(&app.loop);
		return 2;
	}
	log_set_sink(state_log_sink, engine_state(app.engine));
	app.batch = batch_new(app.engine, stdout, batch_format(cfg), cfg_int(cfg, OPT_ITERATIONS),
			      app_stop, &app);
	loop_set_turn_cb(&app.loop, batch_turn, app.batch);
	if (!engine_start(app.engine, &err)) {
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
		status = 1;
	} else {
		loop_run(&app.loop);
		/* The loop also ends when nothing is left to wait for (no
		 * token came): that is a failure, never a quiet 0. */
		if (!app.quit && !batch_done(app.batch))
			app.quit_status = 1;
		status = app.quit_status ? app.quit_status : batch_exit_status(app.batch);
		if (app.quit_status) {
			const char *e = engine_state(app.engine)->last_error;
			fprintf(stderr, "tqtop: %s\n", e ? e : "stopped");
		}
	}
	loop_set_turn_cb(&app.loop, NULL, NULL);
	log_set_sink(NULL, NULL);
	engine_free(&app.engine);
	batch_free(&app.batch);
	loop_close(&app.loop);
	return status;
}

int main(int argc, char **argv)
{
	struct config cfg;
	char *err = NULL;
	int status = 0;

	signal(SIGPIPE, SIG_IGN);
	if (!config_load(&cfg, argc, argv, &err)) {
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
		config_free(&cfg);
		return 2;
	}
	switch (cfg.action) {
	case OPT_HELP:
		config_print_help(stdout, "tqtop");
		goto out;
	case OPT_VERSION:
		printf("tqtop %s\n", PACKAGE_VERSION);
		goto out;
	case OPT_SHOW_CONFIG:
		config_print_show(stdout, &cfg);
		goto out;
	case OPT_MAN_OPTIONS:
		config_print_man_options(stdout);
		goto out;
	default:
		break;
	}
	if (!log_open(cfg_isset(&cfg, OPT_LOG) ? cfg_str(&cfg, OPT_LOG) : NULL, &err)) {
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
		status = 2;
		goto out;
	}
	log_set_level(cfg_flag(&cfg, OPT_DEBUG) ? TQ_LOG_DEBUG : TQ_LOG_INFO);
	if (cfg_flag(&cfg, OPT_DEMO)) {
		status = demo_main(&cfg, argc, argv);
		goto out_log;
	}
	if (cfg_flag(&cfg, OPT_BATCH)) {
		/* the dashboard shows them itself: the screen would hide them */
		for (size_t i = 0; i < cfg.n_warnings; i++) {
			log_warn("config: %s", cfg.warnings[i]);
			fprintf(stderr, "tqtop: warning: %s\n", cfg.warnings[i]);
		}
		status = run_batch(&cfg);
		goto out_log;
	}
	status = ui_main(&cfg);
out_log:
	log_close();
out:
	config_free(&cfg);
	return status;
}
