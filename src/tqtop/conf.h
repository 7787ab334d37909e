/* conf: tqtop's options, from one table, resolved with the precedence
 * defaults < config file < environment < command line.
 *
 * Contract:
 *  - TQTOP_OPTIONS below is the only list of options.  getopt_long's
 *    table, --help, --show-config and the man page's OPTIONS section
 *    (printed by the hidden --man-options, checked against docs/tqtop.1 by
 *    a test) all come from it.
 *  - The config file is $TQTOP_CONFIG, else $XDG_CONFIG_HOME/tqtop/config,
 *    else ~/.config/tqtop/config; a missing file is not an error.  Lines
 *    are "key = value" ("#" starts a comment line).  A bad line never
 *    stops loading: it becomes a warning "file:line: message" in
 *    cfg->warnings and the rest applies.  A bad environment value or flag
 *    is an error: the user typed it just now.
 *  - Secrets (TQTOP_TOKEN, TWILIO_AUTH_TOKEN, TWILIO_API_SECRET) come only
 *    from the environment: never from argv or the config file.
 *    --show-config masks them.
 *  - Every value keeps where it came from ("default", "file:line",
 *    "env NAME", "--flag") for --show-config.
 */
#ifndef TQ_CONF_H
#define TQ_CONF_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"

enum cfg_type {
	CT_FLAG,	/* boolean; "yes/no/true/false/on/off/1/0" in file and env */
	CT_INT,
	CT_NUM,		/* seconds, may have a fraction */
	CT_STR,
	CT_ENUM,	/* one of the words in the "choices" column */
	CT_LIST,	/* comma-separated ascending integers (SLA thresholds) */
	CT_ACTION,	/* --help, --version, --show-config: do something and exit */
};

/* Where an option may be set. */
#define CW_CLI  1u
#define CW_FILE 2u
#define CW_ENV  4u
#define CW_SECRET 8u	/* masked by --show-config, never on argv */
#define CW_HIDDEN 16u	/* not in --help or the man page */
#define CW_PRESENCE 32u	/* env flag set by any non-empty value (NO_COLOR) */
#define CW_ALL (CW_CLI | CW_FILE | CW_ENV)

/*  X(id, long name / file key, short, ARG, type, where, env, default, min, max, choices, help) */
#define TQTOP_OPTIONS(X) \
X(BATCH, "batch", 'b', NULL, CT_FLAG, CW_CLI, NULL, "no", 0, 0, NULL, \
  "Batch mode: print the queue and its statistics every refresh, without the dashboard.") \
X(ITERATIONS, "iterations", 'n', "COUNT", CT_INT, CW_CLI, NULL, "0", 0, 1000000000, NULL, \
  "In batch mode, stop after COUNT refreshes (0: run until interrupted); with 1, the bridge is not opened.") \
X(REFRESH, "refresh", 'd', "SECONDS", CT_NUM, CW_ALL, "TQTOP_REFRESH", "2", 0.2, 3600, NULL, \
  "Refresh interval in seconds (-d as in top).") \
X(OUTPUT, "output", 'o', "FORMAT", CT_ENUM, CW_ALL, "TQTOP_OUTPUT", "text", 0, 0, "text json tsv", \
  "Batch output format: text, json (one object per line per refresh) or tsv.") \
X(WINDOW, "window", 0, "MINUTES", CT_INT, CW_ALL, "TQTOP_WINDOW", "15", 1, 43200, NULL, \
  "Window of the cumulative statistics in minutes (Minutes=).") \
X(SLA, "sla", 0, "S1,S2,...", CT_LIST, CW_ALL, "TQTOP_SLA", "20,60", 1, 86400, NULL, \
  "SplitByWaitTime thresholds in seconds, ascending, at most 10.") \
X(WORKSPACE, "workspace", 0, "WS", CT_STR, CW_ALL, "TQTOP_WORKSPACE", "", 0, 0, NULL, \
  "Workspace SID (credentials mode; a token names its own).") \
X(QUEUE, "queue", 0, "WQ", CT_STR, CW_ALL, "TQTOP_QUEUE", "", 0, 0, NULL, \
  "TaskQueue SID (credentials mode; a token names its own).") \
X(TOKEN_FILE, "token-file", 0, "FILE", CT_STR, CW_ALL, "TQTOP_TOKEN_FILE", "", 0, 0, NULL, \
  "Read the capability token from FILE, and again whenever FILE changes.") \
X(TOKEN_CMD, "token-cmd", 0, "COMMAND", CT_STR, CW_ALL, "TQTOP_TOKEN_CMD", "", 0, 0, NULL, \
  "Run COMMAND (split into words, no shell) for a token; its standard output is the token.") \
X(API_URL, "api-url", 0, "URL", CT_STR, CW_ALL, "TQTOP_API_URL", "https://taskrouter.twilio.com", 0, 0, NULL, \
  "TaskRouter REST base (scheme and host).") \
X(BRIDGE_URL, "bridge-url", 0, "URL", CT_STR, CW_ALL, "TQTOP_BRIDGE_URL", "https://event-bridge.twilio.com", 0, 0, NULL, \
  "Event bridge base (scheme and host).") \
X(REGION, "region", 0, "REGION", CT_STR, CW_ALL, "TQTOP_REGION", "", 0, 0, NULL, \
  "Event bridge region: the host becomes event-bridge.REGION.us1.twilio.com.") \
X(CA_FILE, "ca-file", 0, "FILE", CT_STR, CW_ALL, "TQTOP_CA_FILE", "", 0, 0, NULL, \
  "Trust the CA certificates in FILE (PEM) for REST and the bridge.") \
X(TIMEOUT, "timeout", 0, "SECONDS", CT_NUM, CW_ALL, "TQTOP_TIMEOUT", "15", 1, 600, NULL, \
  "Total time allowed for one HTTP request.") \
X(CONNECT_TIMEOUT, "connect-timeout", 0, "SECONDS", CT_NUM, CW_ALL, "TQTOP_CONNECT_TIMEOUT", "5", 0.5, 120, NULL, \
  "Time allowed to connect (TCP, proxy and TLS).") \
X(MAX_RETRIES, "max-retries", 0, "N", CT_INT, CW_ALL, "TQTOP_MAX_RETRIES", "-1", -1, 1000000, NULL, \
  "Give up reconnecting the bridge after N failed attempts (-1: never give up).") \
X(WATCHDOG, "watchdog", 0, "SECONDS", CT_NUM, CW_ALL, "TQTOP_WATCHDOG", "60", 0.5, 3600, NULL, \
  "Treat the bridge as dead after SECONDS without a frame or heartbeat.") \
X(NO_BRIDGE, "no-bridge", 0, NULL, CT_FLAG, CW_ALL, "TQTOP_NO_BRIDGE", "no", 0, 0, NULL, \
  "Do not open the event bridge: poll only.") \
X(LOG, "log", 0, "FILE", CT_STR, CW_ALL, "TQTOP_LOG", "", 0, 0, NULL, \
  "Append the event log to FILE (never to the screen).") \
X(DEBUG, "debug", 0, NULL, CT_FLAG, CW_ALL, "TQTOP_DEBUG", "no", 0, 0, NULL, \
  "Also log every pushed frame and every request.") \
X(THEME, "theme", 0, "NAME|PATH", CT_STR, CW_ALL, "TQTOP_THEME", "default", 0, 0, NULL, \
  "Dashboard colour theme.") \
X(NO_COLOR, "no-color", 0, NULL, CT_FLAG, CW_ALL | CW_PRESENCE, "NO_COLOR", "no", 0, 0, NULL, \
  "Dashboard without colours (also when NO_COLOR is set).") \
X(ASCII, "ascii", 0, NULL, CT_FLAG, CW_ALL, "TQTOP_ASCII", "no", 0, 0, NULL, \
  "Dashboard with ASCII line drawing.") \
X(DEMO, "demo", 0, NULL, CT_FLAG, CW_CLI, NULL, "no", 0, 0, NULL, \
  "Start a local tqsim with the demo scenario and watch it.") \
X(TOKEN, "token", 0, NULL, CT_STR, CW_ENV | CW_SECRET, "TQTOP_TOKEN", "", 0, 0, NULL, \
  "A capability token (environment only).") \
X(ACCOUNT_SID, "account-sid", 0, NULL, CT_STR, CW_ENV, "TWILIO_ACCOUNT_SID", "", 0, 0, NULL, \
  "Account SID (environment only).") \
X(AUTH_TOKEN, "auth-token", 0, NULL, CT_STR, CW_ENV | CW_SECRET, "TWILIO_AUTH_TOKEN", "", 0, 0, NULL, \
  "Account auth token (environment only).") \
X(API_KEY, "api-key", 0, NULL, CT_STR, CW_ENV, "TWILIO_API_KEY", "", 0, 0, NULL, \
  "API key SID (environment only).") \
X(API_SECRET, "api-secret", 0, NULL, CT_STR, CW_ENV | CW_SECRET, "TWILIO_API_SECRET", "", 0, 0, NULL, \
  "API key secret (environment only).") \
X(SHOW_CONFIG, "show-config", 0, NULL, CT_ACTION, CW_CLI, NULL, "", 0, 0, NULL, \
  "Print every setting, its value and where it came from, then exit.") \
X(HELP, "help", 'h', NULL, CT_ACTION, CW_CLI, NULL, "", 0, 0, NULL, \
  "Print this help and exit.") \
X(VERSION, "version", 'V', NULL, CT_ACTION, CW_CLI, NULL, "", 0, 0, NULL, \
  "Print the version and exit.") \
X(MAN_OPTIONS, "man-options", 0, NULL, CT_ACTION, CW_CLI | CW_HIDDEN, NULL, "", 0, 0, NULL, \
  "Print the man page's OPTIONS section.")

enum cfg_opt {
#define X(id, ...) OPT_##id,
	TQTOP_OPTIONS(X)
#undef X
	OPT__COUNT
};

struct cfg_value {
	char *str;		/* normalised text of the value ("" = unset) */
	long i;			/* CT_INT, CT_FLAG (0/1), CT_ENUM (index) */
	double d;		/* CT_NUM */
	char *where;		/* "default", "FILE:LINE", "env NAME", "--name" */
};

enum cfg_file_status {
	CFG_FILE_NONE,		/* no path to look at (HOME unset) */
	CFG_FILE_MISSING,	/* no file there: not an error */
	CFG_FILE_READ,
	CFG_FILE_UNREADABLE,	/* there, but could not be read (a warning says why) */
};

struct config {
	struct cfg_value v[OPT__COUNT];
	char *file;		/* the config file path considered */
	enum cfg_file_status file_status;
	size_t file_settings;	/* lines of the file that set something */
	char **warnings;	/* "file:line: message" lines */
	size_t n_warnings;
	enum cfg_opt action;	/* OPT_HELP... or OPT__COUNT for none */
};

/* Resolves defaults, file, environment and argv.  Returns false with
 * *err (one line, caller frees) on a bad flag or environment value. */
bool config_load(struct config *cfg, int argc, char **argv, char **err);
void config_free(struct config *cfg);

/* Sets one option from text, as if it came from "where"; false with *err
 * ("window: expected an integer 1..43200, got 'x'") when invalid. */
bool config_set(struct config *cfg, enum cfg_opt opt, const char *text,
		const char *where, char **err);

/* Applies a config file's text (path is used in warnings only). */
void config_apply_file_text(struct config *cfg, const char *path, const char *text);

const char *cfg_str(const struct config *cfg, enum cfg_opt opt);	/* never NULL */
long cfg_int(const struct config *cfg, enum cfg_opt opt);
double cfg_num(const struct config *cfg, enum cfg_opt opt);
bool cfg_flag(const struct config *cfg, enum cfg_opt opt);
bool cfg_isset(const struct config *cfg, enum cfg_opt opt);	/* non-empty str */
const char *cfg_name(enum cfg_opt opt);

/* Parses "20,60" into ascending ints; false with *err on a bad list. */
bool cfg_parse_list(const char *text, long min, long max, long **out, size_t *n, char **err);

void config_print_help(FILE *fp, const char *prog);
void config_print_show(FILE *fp, const struct config *cfg);
void config_print_man_options(FILE *fp);

#endif
