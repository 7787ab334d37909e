#include "config.h"
#include "theme.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "urlcode.h"
#include "xalloc.h"

static const char *const element_names[] = {
#define X(id, name, help) name,
	THEME_ELEMENTS(X)
#undef X
};

static const char *const element_help[] = {
#define X(id, name, help) help,
	THEME_ELEMENTS(X)
#undef X
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", THEME_ATTR_BOLD },
	{ "reverse", THEME_ATTR_REVERSE },
	{ "underline", THEME_ATTR_UNDERLINE },
	{ "dim", THEME_ATTR_DIM },
};

const char *theme_element_name(enum theme_element e)
{
	return (unsigned)e < THEME_N_ELEMENTS ? element_names[e] : "?";
}

const char *theme_element_help(enum theme_element e)
{
	return (unsigned)e < THEME_N_ELEMENTS ? element_help[e] : "?";
}

/* Element names compare with '_' and '-' as one and case ignored, so that
 * "Status_OK" in a hand-written file is not an error worth a line. */
static bool name_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char ca = *a == '_' ? '-' : *a, cb = *b == '_' ? '-' : *b;

		if (ca >= 'A' && ca <= 'Z')
			ca = (char)(ca - 'A' + 'a');
		if (ca != cb)
			return false;
		if (!ca)
			return true;
	}
}

bool theme_element_lookup(const char *name, enum theme_element *out)
{
	for (size_t i = 0; i < THEME_N_ELEMENTS; i++) {
		if (name_eq(name, element_names[i])) {
			*out = (enum theme_element)i;
			return true;
		}
	}
	return false;
}

bool theme_color_parse(const char *w, struct theme_color *out)
{
	if (strcasecmp(w, "default") == 0) {
		*out = (struct theme_color){ THEME_COLOR_DEFAULT, 0 };
		return true;
	}
	for (unsigned i = 0; i < 8; i++) {
		if (strcasecmp(w, color_names[i]) == 0) {
			*out = (struct theme_color){ THEME_COLOR_INDEX, i };
			return true;
		}
		if (strncasecmp(w, "bright-", 7) == 0 && strcasecmp(w + 7, color_names[i]) == 0) {
			*out = (struct theme_color){ THEME_COLOR_INDEX, i + 8 };
			return true;
		}
	}
	if (strncasecmp(w, "color", 5) == 0) {
		const char *d = w + 5;
		unsigned v = 0;
		size_t n = 0;

		for (; d[n] >= '0' && d[n] <= '9'; n++) {
			v = v * 10 + (unsigned)(d[n] - '0');
			if (v > 255)
				return false;
		}
		if (n == 0 || n > 3 || d[n])
			return false;
		*out = (struct theme_color){ THEME_COLOR_INDEX, v };
		return true;
	}
	if (w[0] == '#' && strlen(w) == 7) {
		uint32_t v = 0;

		for (int i = 1; i < 7; i++) {
			int h = hex_value(w[i]);

			if (h < 0)
				return false;
			v = v << 4 | (uint32_t)h;
		}
		*out = (struct theme_color){ THEME_COLOR_RGB, v };
		return true;
	}
	return false;
}

bool theme_attr_parse(const char *w, unsigned *attrs)
{
	if (strcasecmp(w, "normal") == 0) {
		*attrs = 0;
		return true;
	}
	for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
		if (strcasecmp(w, attr_names[i].name) == 0) {
			*attrs |= attr_names[i].bit;
			return true;
		}
	}
	return false;
}

/* A short printable excerpt of user input for an error message: the
 * message may end up drawn on the screen, so no control bytes. */
static void put_excerpt(struct buf *b, const char *w)
{
	size_t n = 0;

	buf_putc(b, '"');
	for (; *w && n < 32; w++, n++)
		buf_putc(b, (unsigned char)*w < 0x20 || *w == 0x7f ? '?' : *w);
	if (*w)
		buf_puts(b, "...");
	buf_putc(b, '"');
}

struct parse_ctx {
	const char *name;
	size_t lineno;
	theme_error_fn fn;
	void *ud;
	size_t errors;
};

static void report(struct parse_ctx *c, const char *what, const char *word, const char *hint)
{
	struct buf b = BUF_INIT;

	c->errors++;
	if (!c->fn)
		return;
	buf_printf(&b, "%s:%zu: %s", c->name, c->lineno, what);
	if (word) {
		buf_putc(&b, ' ');
		put_excerpt(&b, word);
	}
	if (hint)
		buf_printf(&b, " (%s)", hint);
	c->fn(c->ud, buf_cstr(&b));
	buf_free(&b);
}

#define MAX_WORDS 16

/* Splits line (modified in place) on blanks; returns the word count, or
 * MAX_WORDS + 1 when there are too many to be a valid statement. */
static size_t split_words(char *line, char **w)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == MAX_WORDS)
			return MAX_WORDS + 1;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static void parse_line(struct theme *t, struct parse_ctx *c, char *line)
{
	static const char usage[] = "color <element> <fg> <bg> [attributes]";
	char *w[MAX_WORDS];
	size_t n = split_words(line, w);
	enum theme_element e;
	struct theme_style st = { { THEME_COLOR_DEFAULT, 0 }, { THEME_COLOR_DEFAULT, 0 }, 0 };

	if (n == 0 || w[0][0] == '#')
		return;
	if (strcasecmp(w[0], "color") != 0 && strcasecmp(w[0], "colour") != 0) {
		report(c, "unknown statement", w[0], usage);
		return;
	}
	if (n > MAX_WORDS) {
		report(c, "too many words", NULL, usage);
		return;
	}
	if (n < 4) {
		report(c, "color needs an element, a foreground and a background", NULL, usage);
		return;
	}
	if (!theme_element_lookup(w[1], &e)) {
		report(c, "unknown element", w[1], "tqtop-theme(5) lists them");
		return;
	}
	if (!theme_color_parse(w[2], &st.fg)) {
		report(c, "unknown foreground colour", w[2],
		       "default, black..white, bright-black..bright-white, color0..color255 or #rrggbb");
		return;
	}
	if (!theme_color_parse(w[3], &st.bg)) {
		report(c, "unknown background colour", w[3],
		       "default, black..white, bright-black..bright-white, color0..color255 or #rrggbb");
		return;
	}
	for (size_t i = 4; i < n; i++) {
		if (!theme_attr_parse(w[i], &st.attrs)) {
			report(c, "unknown attribute", w[i], "bold, reverse, underline, dim or normal");
			return;
		}
	}
	t->style[e] = st;
}

size_t theme_parse(struct theme *t, const char *name, const char *text, size_t len,
		   theme_error_fn fn, void *ud)
{
	struct parse_ctx c = { name ? name : "theme", 0, fn, ud, 0 };
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - pos;

		c.lineno++;
		if (n && text[pos + n - 1] == '\r')
			n--;
		if (memchr(text + pos, '\0', n)) {
			report(&c, "NUL byte in line", NULL, "a theme is a text file");
		} else {
			char *line = xstrndup(text + pos, n);

			parse_line(t, &c, line);
			free(line);
		}
		pos = end + 1;
	}
	return c.errors;
}

const struct theme_builtin *theme_builtin_find(const char *name)
{
	for (size_t i = 0; i < theme_n_builtins; i++)
		if (strcmp(theme_builtins[i].name, name) == 0)
			return &theme_builtins[i];
	return NULL;
}

void theme_builtin_names(struct buf *out)
{
	for (size_t i = 0; i < theme_n_builtins; i++)
		buf_printf(out, "%s%s", i ? ", " : "", theme_builtins[i].name);
}

void theme_init_default(struct theme *t)
{
	memset(t, 0, sizeof *t);
	/* The default theme is ours and tested: errors cannot happen here. */
	theme_parse(t, theme_builtins[0].name, theme_builtins[0].text,
		    strlen(theme_builtins[0].text), NULL, NULL);
}

size_t theme_load_builtin(struct theme *t, const struct theme_builtin *b,
			  theme_error_fn fn, void *ud)
{
	theme_init_default(t);
	return theme_parse(t, b->name, b->text, strlen(b->text), fn, ud);
}

/* '-' would print as a hyphen; element names and help have no other
 * roff specials (test-theme keeps it so). */
static void roff_puts(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '-')
			buf_puts(b, "\\-");
		else
			buf_putc(b, *s);
	}
}

void theme_man_elements(struct buf *out)
{
	for (int e = 0; e < THEME_N_ELEMENTS; e++) {
		buf_puts(out, e == 0 ? ".TP 16\n.B " : ".TP\n.B ");
		roff_puts(out, element_names[e]);
		buf_putc(out, '\n');
		roff_puts(out, element_help[e]);
		buf_putc(out, '\n');
	}
}

bool theme_style_equal(const struct theme_style *a, const struct theme_style *b)
{
	return a->fg.kind == b->fg.kind && a->fg.value == b->fg.value &&
	       a->bg.kind == b->bg.kind && a->bg.value == b->bg.value &&
	       a->attrs == b->attrs;
}

/* ---- palette approximation ---------------------------------------------- */

static const uint32_t ansi16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

static const int cube_level[6] = { 0, 95, 135, 175, 215, 255 };

uint32_t theme_palette_rgb(int i)
{
	if (i < 0 || i > 255)
		return 0;
	if (i < 16)
		return ansi16[i];
	if (i < 232) {
		int k = i - 16;

		return (uint32_t)cube_level[k / 36] << 16 | (uint32_t)cube_level[k / 6 % 6] << 8 |
		       (uint32_t)cube_level[k % 6];
	}
	uint32_t g = (uint32_t)(8 + 10 * (i - 232));

	return g << 16 | g << 8 | g;
}

/* "Redmean" weighted distance: cheap and closer to perceived difference
 * than plain RGB distance, which matters most when folding to 8 colours. */
static long color_distance(uint32_t a, uint32_t b)
{
	long r1 = a >> 16 & 0xff, g1 = a >> 8 & 0xff, b1 = a & 0xff;
	long r2 = b >> 16 & 0xff, g2 = b >> 8 & 0xff, b2 = b & 0xff;
	long rm = (r1 + r2) / 2, dr = r1 - r2, dg = g1 - g2, db = b1 - b2;

	return ((512 + rm) * dr * dr >> 8) + 4 * dg * dg + ((767 - rm) * db * db >> 8);
}

static int nearest(uint32_t rgb, int from, int to)
{
	int best = from;
	long best_d = LONG_MAX;

	for (int i = from; i < to; i++) {
		long d = color_distance(rgb, theme_palette_rgb(i));

		if (d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

int theme_color_index(struct theme_color c, int ncolors)
{
	uint32_t rgb;

	if (c.kind == THEME_COLOR_DEFAULT || ncolors < 8)
		return -1;
	if (c.kind == THEME_COLOR_INDEX) {
		if ((int)c.value < ncolors && (ncolors <= 256 || c.value < 8))
			return (int)c.value;
		rgb = theme_palette_rgb((int)c.value);
	} else {
		rgb = c.value;
	}
	if (ncolors >= 0x1000000)
		return (int)rgb;
	if (ncolors >= 256)
		/* The cube and grey ramp: 0..15 are often redefined by users. */
		return nearest(rgb, 16, 256);
	return nearest(rgb, 0, ncolors >= 16 ? 16 : 8);
}
