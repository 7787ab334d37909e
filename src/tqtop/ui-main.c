/* ui-main: the dashboard's life: loop, engine, screen; and --demo. */
#include "config.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "engine.h"
#include "log.h"
#include "loop.h"
#include "ui-actions.h"
#include "ui-fmt.h"
#include "ui-priv.h"
#include "ui-term.h"
#include "xalloc.h"

struct app {
	struct loop loop;
	struct engine *engine;
	struct ui *ui;
	int status;
};

static void app_quit(void *ud, int signum)
{
	struct app *app = ud;

	/* a signal is the user stopping us; 0 is the engine giving up */
	if (signum == 0)
		app->status = 1;
	loop_stop(&app->loop);
}

static void app_turn(void *ud)
{
	struct app *app = ud;

	ui_turn(app->ui);
	if (app->ui->quit)
		loop_stop(&app->loop);
}

static void app_input(void *ud)
{
	struct app *app = ud;

	ui_input(app->ui);
	if (app->ui->quit)
		loop_stop(&app->loop);
}

/* Config-file warnings on stderr, when there is no screen to hide them. */
static void print_warnings(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_warnings; i++)
		fprintf(stderr, "tqtop: warning: %s\n", cfg->warnings[i]);
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v;
}

int ui_main(const struct config *cfg)
{
	struct app app;
	struct engine_hooks hooks;
	struct ui_options uo;
	char *err = NULL;
	const char *fatal = NULL;

	memset(&app, 0, sizeof app);
	if (!loop_init(&app.loop, &err)) {
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
		return 2;
	}
	hooks.on_quit = app_quit;
	hooks.ud = &app;
	app.engine = engine_new(&app.loop, cfg, &hooks, &err);
	if (!app.engine) {
		print_warnings(cfg);
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
		loop_close(&app.loop);
		return 2;
	}
	log_set_sink(state_log_sink, engine_state(app.engine));
	/* config-file warnings: now that the event log takes them */
	for (size_t i = 0; i < cfg->n_warnings; i++) {
		struct buf w = BUF_INIT;

		fmt_tilde(&w, cfg->warnings[i], getenv("HOME"));
		log_warn("config: %s", buf_cstr(&w));
		buf_free(&w);
	}

	memset(&uo, 0, sizeof uo);
	uo.theme = cfg_isset(cfg, OPT_THEME) && strcmp(cfg->v[OPT_THEME].where, "default") != 0
			   ? cfg_str(cfg, OPT_THEME) : "";
	uo.no_color = cfg_flag(cfg, OPT_NO_COLOR) || env_set("NO_COLOR");
	uo.ascii = cfg_flag(cfg, OPT_ASCII);
	uo.debug = cfg_flag(cfg, OPT_DEBUG);
	uo.log_path = cfg_isset(cfg, OPT_LOG) ? cfg_str(cfg, OPT_LOG) : NULL;
	/* the loop's signal handles exist now: curses leaves them alone */
	app.ui = ui_open(app.engine, &uo, &err);
	if (!app.ui) {
		log_set_sink(NULL, NULL);
		engine_free(&app.engine);
		loop_close(&app.loop);
		print_warnings(cfg);
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
		return 2;
	}
	if (cfg->n_warnings) {
		struct buf w = BUF_INIT;

		fmt_tilde(&w, cfg->warnings[0], getenv("HOME"));
		if (cfg->n_warnings == 1)
			ui_message(app.ui, true, "config: %s", buf_cstr(&w));
		else
			ui_message(app.ui, true, "config: %s (and %zu more in the event log)",
				   buf_cstr(&w), cfg->n_warnings - 1);
		buf_free(&w);
	}
	ui_start_clock(app.ui, &app.loop.uv);
	loop_set_turn_cb(&app.loop, app_turn, &app);
	loop_watch_input(&app.loop, STDIN_FILENO, app_input, &app);
	if (!engine_start(app.engine, &err)) {
		app.status = 1;
	} else {
		loop_run(&app.loop);
		if (app.status)
			fatal = engine_state(app.engine)->last_error;
	}
	loop_set_turn_cb(&app.loop, NULL, NULL);
	/* the screen goes first, so that what follows prints on a sane terminal */
	ui_close(&app.ui);
	print_warnings(cfg);
	if (err) {
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
	} else if (app.status) {
		fprintf(stderr, "tqtop: %s\n", fatal ? fatal : "stopped");
	}
	log_set_sink(NULL, NULL);
	engine_free(&app.engine);
	loop_close(&app.loop);
	return app.status;
}

int demo_main(const struct config *cfg, int argc, char **argv)
{
	struct config dc;
	struct demo *demo;
	char *err = NULL;
	int status;

	demo = demo_start(argv[0], &err);
	if (!demo) {
		print_warnings(cfg);
		fprintf(stderr, "tqtop: %s\n", err);
		free(err);
		return 2;
	}
	/* the user's settings, pointed at the private tqsim */
	if (!config_load(&dc, argc, argv, &err) ||
	    !config_set(&dc, OPT_API_URL, demo_url(demo), "--demo", &err) ||
	    !config_set(&dc, OPT_BRIDGE_URL, demo_url(demo), "--demo", &err) ||
	    !config_set(&dc, OPT_TOKEN, demo_token(demo), "--demo", &err) ||
	    !config_set(&dc, OPT_TOKEN_FILE, "", "--demo", &err) ||
	    !config_set(&dc, OPT_TOKEN_CMD, "", "--demo", &err) ||
	    !config_set(&dc, OPT_API_KEY, "", "--demo", &err) ||
	    !config_set(&dc, OPT_ACCOUNT_SID, "", "--demo", &err)) {
		fprintf(stderr, "tqtop: --demo: %s\n", err);
		free(err);
		config_free(&dc);
		demo_stop(&demo);
		return 2;
	}
	log_info("demo: tqsim at %s (log %s), watching %s", demo_url(demo), demo_log_path(demo),
		 demo_queue_sid(demo));
	term_on_crash(demo_crash_cleanup);
	status = ui_main(&dc);
	term_on_crash(NULL);
	config_free(&dc);
	demo_stop(&demo);
	return status;
}
