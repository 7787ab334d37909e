#include "config.h"
#include "keys.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct action_def {
	enum key_context ctx;
	const char *name;
	const char *keys;
	const char *hint;
	int prio;
	enum key_steps steps;
	const char *help;
};

static const struct action_def actions[ACT_COUNT] = {
	[ACT_NONE] = { KEYCTX_MAIN, "none", "", NULL, 0, STEPS_NONE, "" },
#define X(c, id, name, keys, hint, prio, steps, help) \
	[ACT_##id] = { KEYCTX_##c, name, keys, hint, prio, STEPS_##steps, help },
	KEY_ACTIONS(X)
#undef X
};

struct steps_def {
	const char *unit;
	const int *v;
	size_t n;
};

#define X(id, unit, ...) static const int steps_##id[] = { __VA_ARGS__ };
KEY_STEPS(X)
#undef X

static const struct steps_def steps[STEPS_N] = {
#define X(id, unit, ...) [STEPS_##id] = { unit, steps_##id, sizeof steps_##id / sizeof steps_##id[0] },
	KEY_STEPS(X)
#undef X
};

void keys_steps_text(enum key_steps s, struct buf *out)
{
	if ((unsigned)s >= STEPS_N)
		return;
	for (size_t i = 0; i < steps[s].n; i++)
		buf_printf(out, "%s%d", i ? ", " : "", steps[s].v[i]);
	buf_printf(out, " %s", steps[s].unit);
}

double keys_step(enum key_steps s, double cur, int dir)
{
	const struct steps_def *d;

	if ((unsigned)s >= STEPS_N || dir == 0)
		return cur;
	d = &steps[s];
	if (dir > 0) {
		for (size_t i = 0; i < d->n; i++)
			if (d->v[i] > cur)
				return d->v[i];
		return cur;
	}
	for (size_t i = d->n; i-- > 0;)
		if (d->v[i] < cur)
			return d->v[i];
	return cur;
}

static const char *const context_titles[KEYCTX_N] = {
	[KEYCTX_MAIN] = "Dashboard",
	[KEYCTX_FORM] = "Edit form",
	[KEYCTX_DIALOG] = "Dialogs and prompts",
};

static const char *const named_keys[] = {
	"Space", "Tab", "BTab", "Enter", "Esc", "Backspace", "Delete", "Home", "End",
	"Up", "Down", "Left", "Right", "PgUp", "PgDn",
};

static bool valid_action(enum key_action a)
{
	return a > ACT_NONE && a < ACT_COUNT;
}

const char *keys_action_name(enum key_action a)
{
	return valid_action(a) ? actions[a].name : "none";
}

const char *keys_action_keys(enum key_action a)
{
	return valid_action(a) ? actions[a].keys : "";
}

void keys_action_help(enum key_action a, struct buf *out)
{
	if (!valid_action(a))
		return;
	buf_puts(out, actions[a].help);
	if (actions[a].steps != STEPS_NONE) {
		buf_puts(out, " (");
		keys_steps_text(actions[a].steps, out);
		buf_puts(out, ")");
	}
}

const char *keys_action_hint(enum key_action a)
{
	return valid_action(a) ? actions[a].hint : NULL;
}

int keys_action_hint_prio(enum key_action a)
{
	return valid_action(a) ? actions[a].prio : 0;
}

enum key_context keys_action_context(enum key_action a)
{
	return valid_action(a) ? actions[a].ctx : KEYCTX_MAIN;
}

const char *keys_context_title(enum key_context ctx)
{
	return (unsigned)ctx < KEYCTX_N ? context_titles[ctx] : "?";
}

bool keys_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 1)
		return name[0] > ' ' && name[0] < 0x7f;
	if (n == 2 && name[0] == '^')
		return (name[1] >= 'A' && name[1] <= 'Z') || name[1] == '[' || name[1] == '\\' ||
		       name[1] == ']' || name[1] == '^' || name[1] == '_' || name[1] == '?';
	for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
		if (strcmp(name, named_keys[i]) == 0)
			return true;
	if (name[0] == 'F' && n >= 2 && n <= 3) {
		int v = atoi(name + 1);

		return name[1] != '0' && v >= 1 && v <= 12 && (n == 2 || (name[2] >= '0' && name[2] <= '9'));
	}
	return false;
}

/* True when key is one of the space-separated keys of list. */
static bool keys_has(const char *list, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");

		if (n == klen && memcmp(p, key, n) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

enum key_action keys_lookup(enum key_context ctx, const char *keyname)
{
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
		if (actions[a].ctx == ctx && keys_has(actions[a].keys, keyname))
			return (enum key_action)a;
	return ACT_NONE;
}

void keys_first(enum key_action a, struct buf *out)
{
	const char *k = keys_action_keys(a);

	buf_append(out, k, strcspn(k, " "));
}

/* "q F10" -> "q, F10" */
static void join_keys(const char *list, const char *sep, struct buf *out)
{
	bool first = true;

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");

		if (!first)
			buf_puts(out, sep);
		buf_append(out, p, n);
		first = false;
		p += n;
		p += strspn(p, " ");
	}
}

void keys_help_text(enum key_context ctx, struct buf *out)
{
	size_t width = 0;

	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		struct buf k = BUF_INIT;

		if (actions[a].ctx != ctx)
			continue;
		join_keys(actions[a].keys, ", ", &k);
		if (k.len > width)
			width = k.len;
		buf_free(&k);
	}
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		struct buf k = BUF_INIT, h = BUF_INIT;

		if (actions[a].ctx != ctx)
			continue;
		join_keys(actions[a].keys, ", ", &k);
		keys_action_help((enum key_action)a, &h);
		buf_printf(out, "%-*s  %s\n", (int)width, buf_cstr(&k), buf_cstr(&h));
		buf_free(&k);
		buf_free(&h);
	}
}

/* Roff-escapes s: '-' would become a hyphen, '\' starts an escape, and a
 * leading '.' or '\'' would be a request. */
static void roff_escape(const char *s, size_t n, struct buf *out)
{
	if (n && (s[0] == '.' || s[0] == '\''))
		buf_puts(out, "\\&");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			buf_puts(out, "\\-");
		else if (s[i] == '\\')
			buf_puts(out, "\\e");
		else
			buf_putc(out, s[i]);
	}
}

void keys_man_section(struct buf *out)
{
	buf_puts(out, ".SH KEYS\n"
		 "Bindings come from one table in the source, which also produces the\n"
		 ".B ?\n"
		 "help overlay.\n"
		 ".B Esc\n"
		 "acts at once: tqtop waits 25 ms for the rest of an escape sequence\n"
		 "unless\n"
		 ".B ESCDELAY\n"
		 "is set.\n");
	for (int ctx = 0; ctx < KEYCTX_N; ctx++) {
		buf_printf(out, ".SS %s\n", context_titles[ctx]);
		for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
			const char *p = actions[a].keys;
			bool first = true;

			if ((int)actions[a].ctx != ctx)
				continue;
			buf_puts(out, ".TP\n");
			while (*p) {
				size_t n = strcspn(p, " ");

				buf_puts(out, first ? "\\fB" : "\\fR, \\fB");
				roff_escape(p, n, out);
				first = false;
				p += n;
				p += strspn(p, " ");
			}
			buf_puts(out, "\\fR\n");
			struct buf h = BUF_INIT;
			keys_action_help((enum key_action)a, &h);
			roff_escape(buf_cstr(&h), h.len, out);
			buf_free(&h);
			buf_puts(out, ".\n");
		}
	}
}
