/* tqsim: a local TaskRouter (REST + event bridge) with a simulated
 * workspace.  Options, environment, the env-file, signals and the loop;
 * the rest lives in the sim-* modules (see tqsim(1)). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <uv.h>

#include "buf.h"
#include "isotime.h"
#include "log.h"
#include "sim-app.h"
#include "sim-bridge.h"
#include "sim-control.h"
#include "sim-engine.h"
#include "sim-num.h"
#include "sim-scenario.h"
#include "sim-server.h"
#include "token.h"
#include "xalloc.h"

#define EXIT_USAGE 2

struct opts {
	char *listen_addr;
	int port;
	const char *env_file;
	const char *account;
	const char *scenario;
	size_t scale_q, scale_w;
	uint64_t seed;
	double speed;
	bool paused;
	int64_t epoch_ms;
	bool have_epoch;
	double warmup_min;
	double history_mb;
	int heartbeat_s;
	const char *tls_cert, *tls_key;
	const char *log;
	const char *latency, *error_rate, *drop_every;
	bool no_heartbeat;
	bool no_rate_limits;
};

static const char usage_text[] =
	"usage: tqsim [--listen ADDR:PORT] [--env-file F] [--account AC...]\n"
	"             [--scenario demo|FILE.json] [--scale QUEUES,WORKERS] [--seed N]\n"
	"             [--speed F] [--paused] [--epoch ISO8601] [--warmup MINUTES]\n"
	"             [--history-mb MB] [--heartbeat SECONDS] [--no-heartbeat]\n"
	"             [--tls-cert F --tls-key F]\n"
	"             [--log FILE|-] [--latency MS] [--error-rate P] [--drop-every SECONDS]\n"
	"             [--no-rate-limits] [--help] [--version]\n"
	"\n"
	"A local Twilio TaskRouter: REST API and event bridge (websocket + HTTP tunnel)\n"
	"on one port, serving a simulated workspace.  Credentials: TQSIM_AUTH_TOKEN,\n"
	"TQSIM_API_KEY, TQSIM_API_SECRET (generated when unset).  See tqsim(1).\n"
	"\n"
	"  --listen ADDR:PORT   listen address (default 127.0.0.1:8470; port 0 = any free;\n"
	"                       IPv6 as [ADDR]:PORT)\n"
	"  --env-file F         write TQSIM_URL, credentials and SIDs to F once listening\n"
	"  --account AC...      account SID (default: derived from the seed)\n"
	"  --scenario S         \"demo\" (default) or a scenario JSON file\n"
	"  --scale Q,W          generate Q queues and W workers instead of a scenario\n"
	"  --seed N             random seed: SIDs and the task history (default 1)\n"
	"  --speed F            simulated seconds per real second (default 1)\n"
	"  --paused             start with the simulated clock stopped\n"
	"  --epoch T            simulated time when serving starts (default: now)\n"
	"  --warmup M           minutes of history simulated before serving (default 60)\n"
	"  --history-mb MB      memory cap for the recorded history (default 1024; 0 = none)\n"
	"  --heartbeat S        websocket heartbeat period in seconds (default 15)\n"
	"  --no-heartbeat       send no heartbeats\n"
	"  --tls-cert F, --tls-key F   serve HTTPS and WSS\n"
	"  --log FILE|-         request log (default -, standard error)\n"
	"  --latency MS, --error-rate P, --drop-every S   start with these faults\n"
	"  --no-rate-limits     do not simulate TaskRouter's published rate limits\n";

static _Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("tqsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see tqsim --help)\n", stderr);
	exit(EXIT_USAGE);
}

static double parse_double(const char *opt, const char *s, double lo, double hi)
{
	double v;

	if (!num_parse_double(s, lo, hi, &v))
		usage_error("%s: '%s' is not a number in %g..%g", opt, s, lo, hi);
	return v;
}

static uint64_t parse_u64(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *s == '-' || errno || *end)
		usage_error("%s: '%s' is not a non-negative integer", opt, s);
	return v;
}

/* ADDR:PORT, or [IPV6]:PORT (brackets required: the address has colons). */
static void parse_listen(struct opts *o, const char *s)
{
	const char *colon = strrchr(s, ':'), *addr = s;
	size_t len;

	if (*s == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || close == s + 1)
			usage_error("--listen: expected [IPV6]:PORT, e.g. [::1]:0, got '%s'", s);
		addr = s + 1;
		len = (size_t)(close - addr);
		colon = close + 1;
	} else {
		if (!colon || colon == s)
			usage_error("--listen: expected ADDR:PORT, e.g. 127.0.0.1:0, got '%s'", s);
		len = (size_t)(colon - s);
		if (memchr(s, ':', len))
			usage_error("--listen: put an IPv6 address in brackets, e.g. [::1]:0, got '%s'", s);
	}
	free(o->listen_addr);
	o->listen_addr = xstrndup(addr, len);
	o->port = (int)parse_double("--listen port", colon + 1, 0, 65535);
}

/* The URL clients use: a wildcard address is not one to connect to, so
 * it becomes the loopback address of its family. */
static char *listen_url(const struct opts *o, int port)
{
	const char *scheme = o->tls_cert ? "https" : "http", *a = o->listen_addr;

	if (strcmp(a, "0.0.0.0") == 0)
		a = "127.0.0.1";
	else if (strcmp(a, "::") == 0 || strcmp(a, "::0") == 0)
		a = "::1";
	if (strchr(a, ':'))
		return xasprintf("%s://[%s]:%d", scheme, a, port);
	return xasprintf("%s://%s:%d", scheme, a, port);
}

static void parse_scale(struct opts *o, const char *s)
{
	unsigned long q, w;
	char tail;

	if (sscanf(s, "%lu,%lu%c", &q, &w, &tail) != 2 || q < 1 || w < 1 || q > 1000000 || w > 10000000)
		usage_error("--scale: expected QUEUES,WORKERS (e.g. 10000,100000), got '%s'", s);
	o->scale_q = q;
	o->scale_w = w;
}

enum {
	OPT_LISTEN = 256, OPT_ENV_FILE, OPT_ACCOUNT, OPT_SCENARIO, OPT_SCALE, OPT_SEED, OPT_SPEED,
	OPT_PAUSED, OPT_EPOCH, OPT_WARMUP, OPT_HEARTBEAT, OPT_NO_HEARTBEAT, OPT_TLS_CERT, OPT_TLS_KEY,
	OPT_LOG, OPT_LATENCY, OPT_ERROR_RATE, OPT_DROP_EVERY, OPT_HISTORY_MB, OPT_NO_RATE_LIMITS, OPT_HELP,
	OPT_VERSION,
};

static void parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "env-file", required_argument, NULL, OPT_ENV_FILE },
		{ "account", required_argument, NULL, OPT_ACCOUNT },
		{ "scenario", required_argument, NULL, OPT_SCENARIO },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "speed", required_argument, NULL, OPT_SPEED },
		{ "paused", no_argument, NULL, OPT_PAUSED },
		{ "epoch", required_argument, NULL, OPT_EPOCH },
		{ "warmup", required_argument, NULL, OPT_WARMUP },
		{ "heartbeat", required_argument, NULL, OPT_HEARTBEAT },
		{ "no-heartbeat", no_argument, NULL, OPT_NO_HEARTBEAT },
		{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
		{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "latency", required_argument, NULL, OPT_LATENCY },
		{ "error-rate", required_argument, NULL, OPT_ERROR_RATE },
		{ "drop-every", required_argument, NULL, OPT_DROP_EVERY },
		{ "history-mb", required_argument, NULL, OPT_HISTORY_MB },
		{ "no-rate-limits", no_argument, NULL, OPT_NO_RATE_LIMITS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LISTEN: parse_listen(o, optarg); break;
		case OPT_ENV_FILE: o->env_file = optarg; break;
		case OPT_ACCOUNT:
			if (!sid_valid(optarg, "AC"))
				usage_error("--account: expected AC followed by 32 hex digits, got '%s'", optarg);
			o->account = optarg;
			break;
		case OPT_SCENARIO: o->scenario = optarg; break;
		case OPT_SCALE: parse_scale(o, optarg); break;
		case OPT_SEED: o->seed = parse_u64("--seed", optarg); break;
		case OPT_SPEED: o->speed = parse_double("--speed", optarg, 0.001, 100000); break;
		case OPT_PAUSED: o->paused = true; break;
		case OPT_EPOCH: {
			int64_t s;
			if (!iso8601_parse(optarg, &s))
				usage_error("--epoch: expected ISO 8601 like 2024-01-31T12:00:00Z, got '%s'", optarg);
			o->epoch_ms = s * 1000;
			o->have_epoch = true;
			break;
		}
		case OPT_WARMUP: o->warmup_min = parse_double("--warmup", optarg, 0, 30 * 1440); break;
		case OPT_HEARTBEAT: o->heartbeat_s = (int)parse_double("--heartbeat", optarg, 1, 3600); break;
		case OPT_NO_HEARTBEAT: o->no_heartbeat = true; break;
		case OPT_TLS_CERT: o->tls_cert = optarg; break;
		case OPT_TLS_KEY: o->tls_key = optarg; break;
		case OPT_LOG: o->log = optarg; break;
		case OPT_LATENCY: o->latency = optarg; break;
		case OPT_ERROR_RATE: o->error_rate = optarg; break;
		case OPT_DROP_EVERY: o->drop_every = optarg; break;
		case OPT_HISTORY_MB: o->history_mb = parse_double("--history-mb", optarg, 0, 1048576); break;
		case OPT_NO_RATE_LIMITS: o->no_rate_limits = true; break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			exit(0);
		case OPT_VERSION:
			printf("tqsim (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			exit(0);
		default:
			usage_error("unknown option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->tls_cert != !o->tls_key)
		usage_error("--tls-cert and --tls-key go together");
	if (o->scale_q && o->scenario)
		usage_error("--scale and --scenario are exclusive");
}

static char *random_hex(size_t n)
{
	unsigned char *raw = xmalloc(n / 2);
	char *hex = xmalloc(n + 1);

	if (RAND_bytes(raw, (int)(n / 2)) != 1)
		die("tqsim: no random bytes from OpenSSL");
	for (size_t i = 0; i < n / 2; i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	OPENSSL_cleanse(raw, n / 2);
	free(raw);
	return hex;
}

static void credentials(struct sim_app *app)
{
	const char *tok = getenv("TQSIM_AUTH_TOKEN"), *key = getenv("TQSIM_API_KEY");
	const char *secret = getenv("TQSIM_API_SECRET");

	if (tok && *tok) {
		size_t n = strlen(tok);
		if (n != 32 || strspn(tok, "0123456789abcdefABCDEF") != n)
			usage_error("TQSIM_AUTH_TOKEN must be 32 hex digits");
		app->auth_token = xstrdup(tok);
	} else {
		app->auth_token = random_hex(32);
	}
	if (key && *key) {
		if (!sid_valid(key, "SK"))
			usage_error("TQSIM_API_KEY must be SK followed by 32 hex digits");
		app->api_key = xstrdup(key);
	} else {
		char *hex = random_hex(32);
		app->api_key = xasprintf("SK%s", hex);
		free(hex);
	}
	app->api_secret = secret && *secret ? xstrdup(secret) : random_hex(32);
}

static void put_var(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, "%s='", name);
	for (const char *p = value; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", fp);
		else
			fputc(*p, fp);
	}
	fputs("'\n", fp);
}

/* The file holds the auth token and the API secret: it is created 0600
 * (O_EXCL: never through a file or link someone else put there), filled,
 * then renamed over path, so readers see all of it or none. */
static bool write_env_file(const struct sim_app *app, const char *path, const char *url, char **err)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct buf sids = BUF_INIT;
	char pid[24];
	bool ok;

	if (!fp) {
		*err = xasprintf("--env-file %s: %s", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return false;
	}
	for (size_t i = 0; i < app->engine->n_queues; i++) {
		if (sids.len)
			buf_putc(&sids, ' ');
		buf_puts(&sids, app->engine->queues[i].sid);
	}
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	put_var(fp, "TQSIM_URL", url);
	put_var(fp, "TWILIO_ACCOUNT_SID", app->engine->account_sid);
	put_var(fp, "TWILIO_AUTH_TOKEN", app->auth_token);
	put_var(fp, "TWILIO_API_KEY", app->api_key);
	put_var(fp, "TWILIO_API_SECRET", app->api_secret);
	put_var(fp, "TQSIM_WORKSPACE_SID", app->engine->workspace_sid);
	put_var(fp, "TQSIM_QUEUE_SIDS", buf_cstr(&sids));
	put_var(fp, "TQSIM_PID", pid);
	buf_free(&sids);
	ok = fflush(fp) == 0 && fsync(fileno(fp)) == 0;
	ok = fclose(fp) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		*err = xasprintf("--env-file %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return false;
	}
	free(tmp);
	return true;
}

static uv_signal_t sig_int, sig_term;

static void on_signal(uv_signal_t *h, int signum)
{
	struct sim_app *app = h->data;

	log_info("tqsim: signal %d, shutting down", signum);
	server_stop(app);
	uv_signal_stop(&sig_int);
	uv_signal_stop(&sig_term);
	uv_close((uv_handle_t *)&sig_int, NULL);
	uv_close((uv_handle_t *)&sig_term, NULL);
}

static struct sim_scenario *load_scenario(const struct opts *o)
{
	struct sim_scenario *sc;
	char *err = NULL;

	if (o->scale_q)
		return scenario_scale(o->scale_q, o->scale_w, o->seed);
	if (!o->scenario || strcmp(o->scenario, "demo") == 0)
		return scenario_demo();
	sc = scenario_load_file(o->scenario, &err);
	if (!sc) {
		fprintf(stderr, "tqsim: %s\n", err);
		free(err);
		exit(EXIT_USAGE);
	}
	return sc;
}

static void apply_fault_option(struct sim_app *app, const char *key, const char *value)
{
	char *err = NULL;

	if (value && !control_set_fault(app, key, value, &err))
		usage_error("%s", err);
}

int main(int argc, char **argv)
{
	struct opts o = { .port = 8470, .seed = 1, .speed = 1, .warmup_min = 60, .history_mb = 1024, .heartbeat_s = 15, .log = "-" };
	struct sim_server_opts so;
	struct sim_app app;
	struct sim_scenario *sc;
	uv_loop_t loop;
	char *err = NULL, *url;
	int port = 0;
	uint64_t t0;
	int rc = 0;

	memset(&app, 0, sizeof app);
	o.listen_addr = xstrdup("127.0.0.1");
	parse_args(&o, argc, argv);
	if (!log_open(o.log, &err)) {
		fprintf(stderr, "tqsim: %s\n", err);
		free(err);
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	if (uv_loop_init(&loop) != 0)
		die("tqsim: cannot initialise the event loop");
	app.loop = &loop;
	credentials(&app);
	faults_reset(&app.faults);
	rng_seed(&app.fault_rng, o.seed ^ 0xfa017ULL);
	app.heartbeat_s = o.no_heartbeat ? 0 : o.heartbeat_s;
	app.limits.enabled = app.limits_at_start = !o.no_rate_limits;
	apply_fault_option(&app, "latency_ms", o.latency);
	apply_fault_option(&app, "error_rate", o.error_rate);
	apply_fault_option(&app, "drop_every", o.drop_every);

	if (!o.have_epoch)
		o.epoch_ms = (int64_t)time(NULL) * 1000;
	sc = load_scenario(&o);
	t0 = uv_hrtime();
	app.engine = engine_new(sc, o.seed, o.epoch_ms - (int64_t)(o.warmup_min * 60000), o.account);
	engine_set_history(app.engine, ENGINE_HIST_RAW_MS, (size_t)(o.history_mb * 1048576));
	engine_advance(app.engine, o.epoch_ms);
	log_info("tqsim: scenario %s: %zu queues, %zu workers, %.0f min warm-up in %.0f ms (%llu events)",
		 sc->name, app.engine->n_queues, app.engine->n_workers, o.warmup_min,
		 (double)(uv_hrtime() - t0) / 1e6, (unsigned long long)app.engine->events);
	scenario_free(&sc);
	app.bridge = bridge_new();
	app.clock.speed = o.speed;
	app.clock.sim_base = o.epoch_ms;
	app.clock.real_base = uv_now(&loop);
	app.clock.paused = o.paused;

	so = (struct sim_server_opts){ o.listen_addr, o.port, o.tls_cert, o.tls_key };
	if (!server_start(&app, &so, &port, &err)) {
		fprintf(stderr, "tqsim: %s\n", err);
		free(err);
		rc = 1;
		goto out;
	}
	url = listen_url(&o, port);
	if (o.env_file && !write_env_file(&app, o.env_file, url, &err)) {
		fprintf(stderr, "tqsim: %s\n", err);
		free(err);
		free(url);
		server_stop(&app);
		uv_run(&loop, UV_RUN_DEFAULT);
		rc = 1;
		goto out;
	}
	printf("tqsim: listening on %s\n", url);
	fflush(stdout);
	log_info("tqsim: listening on %s (workspace %s)", url, app.engine->workspace_sid);
	free(url);

	uv_signal_init(&loop, &sig_int);
	uv_signal_init(&loop, &sig_term);
	sig_int.data = sig_term.data = &app;
	uv_signal_start(&sig_int, on_signal, SIGINT);
	uv_signal_start(&sig_term, on_signal, SIGTERM);
	uv_run(&loop, UV_RUN_DEFAULT);
out:
	/* lws destroys a foreign-loop context in two steps: its handles close
	 * while the loop runs, then a second destroy frees the rest (and only
	 * then unloads its libuv plugin). */
	uv_run(&loop, UV_RUN_DEFAULT);
	server_finish(&app);
	uv_run(&loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&loop) != 0)
		log_warn("tqsim: event loop closed with handles still open");
	bridge_free(&app.bridge);
	engine_free(&app.engine);
	counters_free(&app.counters);
	rl_free(&app.limits);
	OPENSSL_cleanse(app.auth_token, strlen(app.auth_token));
	OPENSSL_cleanse(app.api_secret, strlen(app.api_secret));
	free(app.auth_token);
	free(app.api_key);
	free(app.api_secret);
	free(o.listen_addr);
	log_close();
	return rc;
}
