#include "config.h"
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "theme.h"
#include "xalloc.h"

struct opt_def {
	const char *name;
	int sname;
	const char *arg;
	enum cfg_type type;
	unsigned where;
	const char *env;
	const char *def;
	double min, max;
	const char *choices;
	const char *help;
};

static const struct opt_def opts[OPT__COUNT] = {
#define X(id, name, sname, arg, type, where, env, def, min, max, choices, help) \
	[OPT_##id] = { name, sname, arg, type, where, env, def, min, max, choices, help },
	TQTOP_OPTIONS(X)
#undef X
};

const char *cfg_name(enum cfg_opt opt)
{
	return opts[opt].name;
}

static bool parse_flag(const char *s, long *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return true;
		}
	}
	return false;
}

/* Index of word in a space-separated list, or -1. */
static long choice_index(const char *choices, const char *word)
{
	long idx = 0;
	size_t wl = strlen(word);

	for (const char *p = choices; *p; idx++) {
		size_t l = strcspn(p, " ");
		if (l == wl && strncmp(p, word, l) == 0)
			return idx;
		p += l;
		while (*p == ' ')
			p++;
	}
	return -1;
}

bool cfg_parse_list(const char *text, long min, long max, long **out, size_t *n, char **err)
{
	long *v = NULL;
	size_t k = 0;
	const char *p = text;

	*out = NULL;
	*n = 0;
	while (*p) {
		char *end;
		errno = 0;
		long x = strtol(p, &end, 10);
		if (end == p || errno || x < min || x > max) {
			*err = xasprintf("expected comma-separated integers %ld..%ld, got '%s'",
					 min, max, text);
			free(v);
			return false;
		}
		if (k && x <= v[k - 1]) {
			*err = xasprintf("thresholds must be ascending without repeats, got '%s'", text);
			free(v);
			return false;
		}
		if (k == 10) {
			*err = xasprintf("at most 10 thresholds, got '%s'", text);
			free(v);
			return false;
		}
		v = xreallocarray(v, k + 1, sizeof *v);
		v[k++] = x;
		p = end;
		if (*p == ',')
			p++;
		else if (*p) {
			*err = xasprintf("expected comma-separated integers %ld..%ld, got '%s'",
					 min, max, text);
			free(v);
			return false;
		}
	}
	*out = v;
	*n = k;
	return true;
}

bool config_set(struct config *cfg, enum cfg_opt opt, const char *text,
		const char *where, char **err)
{
	const struct opt_def *d = &opts[opt];
	struct cfg_value *val = &cfg->v[opt];
	long i = 0;
	double num = 0;
	char *end;
	char *norm = NULL;

	switch (d->type) {
	case CT_ACTION:
		*err = xasprintf("%s: not a setting", d->name);
		return false;
	case CT_FLAG:
		if (!parse_flag(text, &i)) {
			*err = xasprintf("%s: expected yes or no, got '%s'", d->name, text);
			return false;
		}
		norm = xstrdup(i ? "yes" : "no");
		break;
	case CT_INT:
		errno = 0;
		i = strtol(text, &end, 10);
		if (opt == OPT_MAX_RETRIES && strcmp(text, "forever") == 0) {
			i = -1;
		} else if (!*text || *end || errno || i < (long)d->min || i > (long)d->max) {
			*err = xasprintf("%s: expected an integer %ld..%ld, got '%s'",
					 d->name, (long)d->min, (long)d->max, text);
			return false;
		}
		norm = xasprintf("%ld", i);
		break;
	case CT_NUM:
		errno = 0;
		num = strtod(text, &end);
		if (!*text || *end || errno || !isfinite(num) || num < d->min || num > d->max) {
			*err = xasprintf("%s: expected a number of seconds %g..%g, got '%s'",
					 d->name, d->min, d->max, text);
			return false;
		}
		norm = xasprintf("%g", num);
		break;
	case CT_ENUM:
		i = choice_index(d->choices, text);
		if (i < 0) {
			*err = xasprintf("%s: expected one of %s, got '%s'", d->name, d->choices, text);
			return false;
		}
		norm = xstrdup(text);
		break;
	case CT_LIST: {
		long *v;
		size_t n;
		char *lerr = NULL;
		if (!cfg_parse_list(text, (long)d->min, (long)d->max, &v, &n, &lerr)) {
			*err = xasprintf("%s: %s", d->name, lerr);
			free(lerr);
			return false;
		}
		struct buf b = BUF_INIT;
		for (size_t k = 0; k < n; k++)
			buf_printf(&b, "%s%ld", k ? "," : "", v[k]);
		free(v);
		norm = buf_steal(&b);
		if (!norm)
			norm = xstrdup("");
		break;
	}
	case CT_STR:
		norm = xstrdup(text);
		break;
	}
	free(val->str);
	free(val->where);
	val->str = norm;
	val->i = i;
	val->d = num;
	val->where = xstrdup(where);
	return true;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void add_warning(struct config *cfg, char *w)
{
	cfg->warnings = xreallocarray(cfg->warnings, cfg->n_warnings + 1, sizeof *cfg->warnings);
	cfg->warnings[cfg->n_warnings++] = w;
}

static int find_key(const char *key)
{
	for (int o = 0; o < OPT__COUNT; o++)
		if (strcmp(opts[o].name, key) == 0)
			return o;
	return -1;
}

void config_apply_file_text(struct config *cfg, const char *path, const char *text)
{
	char *copy = xstrdup(text);
	char *save = NULL;
	int lineno = 0;
	char *p = copy;

	/* strtok would merge empty lines and shift line numbers. */
	while (p) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		char *line = trim(p);
		p = nl ? nl + 1 : NULL;
		if (!*line || *line == '#')
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			add_warning(cfg, xasprintf("%s:%d: expected 'key = value'", path, lineno));
			continue;
		}
		*eq = '\0';
		char *key = trim(line);
		char *val = trim(eq + 1);
		size_t vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			val[vl - 1] = '\0';
			val++;
		}
		int o = find_key(key);
		if (o < 0) {
			add_warning(cfg, xasprintf("%s:%d: unknown setting '%s'", path, lineno, key));
			continue;
		}
		if (!(opts[o].where & CW_FILE)) {
			add_warning(cfg, xasprintf("%s:%d: '%s' cannot be set in the config file%s",
						   path, lineno, key,
						   (opts[o].where & CW_SECRET) ?
						   " (secrets come from the environment)" : ""));
			continue;
		}
		char *where = xasprintf("%s:%d", path, lineno);
		char *err = NULL;
		if (!config_set(cfg, (enum cfg_opt)o, val, where, &err)) {
			add_warning(cfg, xasprintf("%s: %s", where, err));
			free(err);
		} else {
			cfg->file_settings++;
		}
		free(where);
	}
	(void)save;
	free(copy);
}

static char *config_path(void)
{
	const char *p = getenv("TQTOP_CONFIG");
	if (p && *p)
		return xstrdup(p);
	p = getenv("XDG_CONFIG_HOME");
	if (p && *p)
		return xasprintf("%s/tqtop/config", p);
	p = getenv("HOME");
	if (p && *p)
		return xasprintf("%s/.config/tqtop/config", p);
	return NULL;
}

static void load_file(struct config *cfg)
{
	struct buf b = BUF_INIT;

	cfg->file = config_path();
	if (!cfg->file)
		return;
	switch (buf_read_file(&b, cfg->file, 0)) {
	case BUF_READ_OPEN:
		cfg->file_status = errno == ENOENT ? CFG_FILE_MISSING : CFG_FILE_UNREADABLE;
		if (errno != ENOENT)
			add_warning(cfg, xasprintf("%s: %s", cfg->file, strerror(errno)));
		return;
	case BUF_READ_ERROR:
		/* what came before the error still applies */
		cfg->file_status = CFG_FILE_UNREADABLE;
		add_warning(cfg, xasprintf("%s: read error", cfg->file));
		break;
	case BUF_READ_OK:
	case BUF_READ_TOO_BIG:
		cfg->file_status = CFG_FILE_READ;
		break;
	}
	config_apply_file_text(cfg, cfg->file, buf_cstr(&b));
	buf_free(&b);
}

static bool load_env(struct config *cfg, char **err)
{
	for (int o = 0; o < OPT__COUNT; o++) {
		const struct opt_def *d = &opts[o];
		if (!(d->where & CW_ENV) || !d->env)
			continue;
		const char *v = getenv(d->env);
		if (!v || !*v)
			continue;
		if (d->where & CW_PRESENCE)
			v = "yes";
		char *where = xasprintf("env %s", d->env);
		bool ok = config_set(cfg, (enum cfg_opt)o, v, where, err);
		free(where);
		if (!ok)
			return false;
	}
	return true;
}

static bool load_argv(struct config *cfg, int argc, char **argv, char **err)
{
	struct option lopts[OPT__COUNT + 1];
	struct buf shorts = BUF_INIT;
	size_t k = 0;
	bool ok = true;

	buf_putc(&shorts, ':');
	for (int o = 0; o < OPT__COUNT; o++) {
		const struct opt_def *d = &opts[o];
		if (!(d->where & CW_CLI))
			continue;
		bool has_arg = d->type != CT_FLAG && d->type != CT_ACTION;
		lopts[k].name = d->name;
		lopts[k].has_arg = has_arg ? required_argument : no_argument;
		lopts[k].flag = NULL;
		lopts[k].val = 256 + o;
		k++;
		if (d->sname) {
			buf_putc(&shorts, (char)d->sname);
			if (has_arg)
				buf_putc(&shorts, ':');
		}
	}
	memset(&lopts[k], 0, sizeof lopts[k]);

	optind = 1;
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc, argv, buf_cstr(&shorts), lopts, NULL);
		int o = -1;
		if (c == -1)
			break;
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];
			if (c == ':')
				*err = xasprintf("%s needs a value (see tqtop --help)", bad);
			else if (optopt && optopt < 256)
				*err = xasprintf("unknown option -%c (see tqtop --help)", optopt);
			else
				*err = xasprintf("unknown option %s (see tqtop --help)", bad);
			ok = false;
			break;
		}
		if (c >= 256)
			o = c - 256;
		else
			for (int j = 0; j < OPT__COUNT; j++)
				if (opts[j].sname == c && (opts[j].where & CW_CLI))
					o = j;
		if (o < 0)
			continue;
		const struct opt_def *d = &opts[o];
		if (d->type == CT_ACTION) {
			if (cfg->action == OPT__COUNT)
				cfg->action = (enum cfg_opt)o;
			continue;
		}
		char *where = xasprintf("--%s", d->name);
		ok = config_set(cfg, (enum cfg_opt)o, d->type == CT_FLAG ? "yes" : optarg, where, err);
		free(where);
		if (!ok)
			break;
	}
	if (ok && optind < argc) {
		*err = xasprintf("unexpected argument '%s' (see tqtop --help)", argv[optind]);
		ok = false;
	}
	buf_free(&shorts);
	return ok;
}

bool config_load(struct config *cfg, int argc, char **argv, char **err)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->action = OPT__COUNT;
	for (int o = 0; o < OPT__COUNT; o++) {
		char *e = NULL;
		if (opts[o].type == CT_ACTION) {
			cfg->v[o].str = xstrdup("");
			cfg->v[o].where = xstrdup("default");
			continue;
		}
		if (!config_set(cfg, (enum cfg_opt)o, opts[o].def, "default", &e))
			die("option table: %s", e);	/* a bug in TQTOP_OPTIONS */
	}
	load_file(cfg);
	if (!load_env(cfg, err))
		return false;
	return load_argv(cfg, argc, argv, err);
}

void config_free(struct config *cfg)
{
	for (int o = 0; o < OPT__COUNT; o++) {
		free(cfg->v[o].str);
		free(cfg->v[o].where);
	}
	for (size_t i = 0; i < cfg->n_warnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	free(cfg->file);
	memset(cfg, 0, sizeof *cfg);
}

const char *cfg_str(const struct config *cfg, enum cfg_opt opt)
{
	return cfg->v[opt].str ? cfg->v[opt].str : "";
}

long cfg_int(const struct config *cfg, enum cfg_opt opt)
{
	return cfg->v[opt].i;
}

double cfg_num(const struct config *cfg, enum cfg_opt opt)
{
	return cfg->v[opt].d;
}

bool cfg_flag(const struct config *cfg, enum cfg_opt opt)
{
	return cfg->v[opt].i != 0;
}

bool cfg_isset(const struct config *cfg, enum cfg_opt opt)
{
	return cfg->v[opt].str && *cfg->v[opt].str;
}

/* What the table's help cannot know: the themes compiled in. */
static void help_extra(int o, struct buf *b)
{
	if (o == OPT_THEME) {
		buf_puts(b, " Built in: ");
		theme_builtin_names(b);
		buf_puts(b, "; or a theme file (see tqtop-theme(5)).");
	}
}

static void opt_synopsis(struct buf *b, const struct opt_def *d)
{
	if (d->sname)
		buf_printf(b, "-%c, ", d->sname);
	buf_printf(b, "--%s", d->name);
	if (d->arg)
		buf_printf(b, " %s", d->arg);
}

void config_print_help(FILE *fp, const char *prog)
{
	fprintf(fp, "usage: %s [options]\n"
		"       %s -b [-n COUNT] [-d SECONDS] [-o text|json|tsv] [options]\n\n"
		"A live view of one Twilio TaskRouter TaskQueue.\n\noptions:\n", prog, prog);
	for (int o = 0; o < OPT__COUNT; o++) {
		const struct opt_def *d = &opts[o];
		struct buf b = BUF_INIT;
		if (!(d->where & CW_CLI) || (d->where & CW_HIDDEN))
			continue;
		opt_synopsis(&b, d);
		fprintf(fp, "  %-28s %s", buf_cstr(&b), d->help);
		buf_reset(&b);
		help_extra(o, &b);
		fputs(buf_cstr(&b), fp);
		if (d->def && *d->def && d->type != CT_FLAG && d->type != CT_ACTION)
			fprintf(fp, " [%s]", d->def);
		fputc('\n', fp);
		buf_free(&b);
	}
	fputs("\nenvironment (secrets are read from here only):\n", fp);
	for (int o = 0; o < OPT__COUNT; o++) {
		const struct opt_def *d = &opts[o];
		if (d->env && !(d->where & CW_CLI))
			fprintf(fp, "  %-28s %s\n", d->env, d->help);
	}
	fputs("\nEvery option also has an environment variable and a config-file key;\n"
	      "see tqtop --show-config and tqtop(1).\n", fp);
}

static bool is_secret_set(const struct config *cfg, int o)
{
	return (opts[o].where & CW_SECRET) && cfg->v[o].str && *cfg->v[o].str;
}

void config_print_show(FILE *fp, const struct config *cfg)
{
	switch (cfg->file_status) {
	case CFG_FILE_NONE:
		fputs("# config file: none (HOME, XDG_CONFIG_HOME and TQTOP_CONFIG are unset)\n", fp);
		break;
	case CFG_FILE_MISSING:
		fprintf(fp, "# config file: %s (not found: defaults, environment and flags only)\n",
			cfg->file);
		break;
	case CFG_FILE_READ:
		fprintf(fp, "# config file: %s (read: %zu setting%s, %zu warning%s)\n", cfg->file,
			cfg->file_settings, cfg->file_settings == 1 ? "" : "s", cfg->n_warnings,
			cfg->n_warnings == 1 ? "" : "s");
		break;
	case CFG_FILE_UNREADABLE:
		fprintf(fp, "# config file: %s (unreadable: see the warning below)\n", cfg->file);
		break;
	}
	for (int o = 0; o < OPT__COUNT; o++) {
		const struct opt_def *d = &opts[o];
		const char *v;
		if (d->type == CT_ACTION || d->where == CW_CLI)
			continue;
		v = is_secret_set(cfg, o) ? "********" : cfg_str(cfg, (enum cfg_opt)o);
		fprintf(fp, "%-16s = %-32s # %s\n", d->name, v, cfg->v[o].where);
	}
	for (size_t i = 0; i < cfg->n_warnings; i++)
		fprintf(fp, "# warning: %s\n", cfg->warnings[i]);
}

/* troff-escapes a help string (only '-' and '\' matter here). */
static void man_text(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '-' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
}

void config_print_man_options(FILE *fp)
{
	for (int o = 0; o < OPT__COUNT; o++) {
		const struct opt_def *d = &opts[o];
		if (!(d->where & CW_CLI) || (d->where & CW_HIDDEN))
			continue;
		fputs(".TP\n", fp);
		if (d->sname)
			fprintf(fp, "\\fB\\-%c\\fR, ", d->sname);
		fputs("\\fB\\-\\-", fp);
		man_text(fp, d->name);
		fputs("\\fR", fp);
		if (d->arg) {
			fputs(" \\fI", fp);
			man_text(fp, d->arg);
			fputs("\\fR", fp);
		}
		fputc('\n', fp);
		man_text(fp, d->help);
		struct buf extra = BUF_INIT;
		help_extra(o, &extra);
		man_text(fp, buf_cstr(&extra));
		buf_free(&extra);
		if (d->type != CT_FLAG && d->type != CT_ACTION && d->def && *d->def) {
			fputs(" Default: ", fp);
			man_text(fp, d->def);
			fputc('.', fp);
		}
		if (d->env) {
			fputs(" Environment: \\fB", fp);
			man_text(fp, d->env);
			fputs("\\fR.", fp);
		}
		if (d->where & CW_FILE) {
			fputs(" Config key: \\fB", fp);
			man_text(fp, d->name);
			fputs("\\fR.", fp);
		}
		fputc('\n', fp);
	}
}
