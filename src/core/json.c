#include "config.h"
#include "json.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "buf.h"
#include "clocale.h"
#include "xalloc.h"

/* ---- C-locale number conversion (see clocale.h) ------------------------- */

static double strtod_c(const char *s, char **end)
{
	locale_t old = uselocale(c_locale());
	double d = strtod(s, end);

	uselocale(old);
	return d;
}

/* ---- tree building ------------------------------------------------------ */

/* yajl_tree_parse() needs a NUL-terminated copy, allows comments, has no
 * depth limit (and frees recursively), keeps duplicate keys and leaks on
 * some errors, so we build the same yajl_val tree from yajl's callbacks.
 * Containers are linked into their parent as soon as they open, so freeing
 * the root frees everything whatever the point of failure. */

struct frame {
	yajl_val v;
	size_t cap;		/* allocated slots in v's keys/values */
	char *key;		/* object: key read, value not yet */
};

struct builder {
	yajl_handle h;
	struct frame *stack;
	size_t depth;
	yajl_val root;
	char *why;		/* set when a callback stops the parse */
};

static int stop(struct builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int stop(struct builder *b, const char *fmt, ...)
{
	va_list ap;

	if (!b->why) {
		va_start(ap, fmt);
		b->why = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return 0;
}

static yajl_val node_new(yajl_type type)
{
	yajl_val v = xcalloc(1, sizeof *v);

	v->type = type;
	return v;
}

static void grow(struct frame *f, bool object)
{
	size_t len = object ? f->v->u.object.len : f->v->u.array.len;

	if (len < f->cap)
		return;
	f->cap = f->cap ? f->cap * 2 : 4;
	if (object) {
		f->v->u.object.keys = xreallocarray((void *)f->v->u.object.keys, f->cap,
			sizeof *f->v->u.object.keys);
		f->v->u.object.values = xreallocarray(f->v->u.object.values, f->cap,
			sizeof *f->v->u.object.values);
	} else {
		f->v->u.array.values = xreallocarray(f->v->u.array.values, f->cap,
			sizeof *f->v->u.array.values);
	}
}

/* Takes ownership of v whatever happens. */
static int add(struct builder *b, yajl_val v)
{
	struct frame *f;

	if (b->depth == 0) {
		if (b->root) {
			yajl_tree_free(v);
			return stop(b, "more than one top-level value");
		}
		b->root = v;
		return 1;
	}
	f = &b->stack[b->depth - 1];
	if (YAJL_IS_OBJECT(f->v)) {
		grow(f, true);
		f->v->u.object.keys[f->v->u.object.len] = f->key;
		f->v->u.object.values[f->v->u.object.len++] = v;
		f->key = NULL;
	} else {
		grow(f, false);
		f->v->u.array.values[f->v->u.array.len++] = v;
	}
	return 1;
}

/* Unicode's table 3-7; yajl only checks the lengths. */
bool json_utf8_valid(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		unsigned char lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else
			return false;
		if (n - i - 1 < k || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t j = 2; j <= k; j++)
			if (s[i + j] < 0x80 || s[i + j] > 0xbf)
				return false;
		i += k + 1;
	}
	return true;
}

size_t json_utf8_chars(const char *text)
{
	size_t n = 0;

	/* Every character has exactly one byte that is not a continuation. */
	for (; *text; text++)
		n += ((unsigned char)*text & 0xc0) != 0x80;
	return n;
}

static char *take_string(struct builder *b, const unsigned char *s, size_t n)
{
	char *copy;

	if (memchr(s, '\0', n)) {
		stop(b, "string contains a NUL character (\\u0000)");
		return NULL;
	}
	if (!json_utf8_valid((const char *)s, n)) {
		stop(b, "string is not valid UTF-8");
		return NULL;
	}
	copy = xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}

static int on_null(void *ctx)
{
	return add(ctx, node_new(yajl_t_null));
}

static int on_boolean(void *ctx, int val)
{
	return add(ctx, node_new(val ? yajl_t_true : yajl_t_false));
}

static int on_number(void *ctx, const char *s, size_t n)
{
	yajl_val v = node_new(yajl_t_number);
	char *end;

	/* yajl's lexer has checked the JSON number grammar already. */
	v->u.number.r = xstrndup(s, n);
	if (!strpbrk(v->u.number.r, ".eE")) {
		errno = 0;
		v->u.number.i = strtoll(v->u.number.r, &end, 10);
		if (errno == 0 && *end == '\0')
			v->u.number.flags |= YAJL_NUMBER_INT_VALID;
	}
	v->u.number.d = strtod_c(v->u.number.r, &end);
	if (*end == '\0' && isfinite(v->u.number.d))
		v->u.number.flags |= YAJL_NUMBER_DOUBLE_VALID;
	return add(ctx, v);
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
	char *copy = take_string(ctx, s, n);
	yajl_val v;

	if (!copy)
		return 0;
	v = node_new(yajl_t_string);
	v->u.string = copy;
	return add(ctx, v);
}

static int on_key(void *ctx, const unsigned char *s, size_t n)
{
	struct builder *b = ctx;
	char *copy = take_string(b, s, n);

	if (!copy)
		return 0;
	free(b->stack[b->depth - 1].key);
	b->stack[b->depth - 1].key = copy;
	return 1;
}

static int open_container(struct builder *b, yajl_type type)
{
	yajl_val v;

	if (b->depth >= JSON_MAX_DEPTH)
		return stop(b, "nested deeper than %d levels", JSON_MAX_DEPTH);
	v = node_new(type);
	if (!add(b, v))
		return 0;
	/* depth < JSON_MAX_DEPTH, and the stack is allocated at that size. */
	b->stack[b->depth++] = (struct frame){ .v = v };
	return 1;
}

static int on_start_map(void *ctx)
{
	return open_container(ctx, yajl_t_object);
}

static int on_start_array(void *ctx)
{
	return open_container(ctx, yajl_t_array);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *duplicate_key(yajl_val obj)
{
	size_t n = obj->u.object.len;
	const char **keys = obj->u.object.keys;
	const char *dup = NULL;

	if (n < 16) {
		for (size_t i = 1; i < n && !dup; i++)
			for (size_t j = 0; j < i && !dup; j++)
				if (strcmp(keys[i], keys[j]) == 0)
					dup = keys[i];
		return dup;
	}
	/* Sorting a copy keeps the server's key order in the tree. */
	const char **sorted = xreallocarray(NULL, n, sizeof *sorted);
	memcpy(sorted, keys, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_str);
	for (size_t i = 1; i < n && !dup; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0)
			dup = sorted[i];
	free(sorted);
	return dup;
}

static int on_end_map(void *ctx)
{
	struct builder *b = ctx;
	yajl_val obj = b->stack[b->depth - 1].v;
	const char *dup = duplicate_key(obj);

	if (dup) {
		struct buf q = BUF_INIT;
		size_t n = strlen(dup);

		/* Enough of the key to find it, on one line. */
		for (size_t i = 0; i < n && i < 40; i++) {
			unsigned char c = (unsigned char)dup[i];
			if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
				buf_printf(&q, "\\x%02x", c);
			else
				buf_putc(&q, (char)c);
		}
		if (n > 40)
			buf_puts(&q, "...");
		stop(b, "duplicate key \"%s\"", buf_cstr(&q));
		buf_free(&q);
		return 0;
	}
	b->depth--;
	return 1;
}

static int on_end_array(void *ctx)
{
	struct builder *b = ctx;

	b->depth--;
	return 1;
}

static const yajl_callbacks tree_callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_boolean,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_key,
	.yajl_end_map = on_end_map,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end_array,
};

static void set_err(char **err, char *msg)
{
	if (err)
		*err = msg;
	else
		free(msg);
}

/* yajl's non-verbose message, e.g. "parse error: premature EOF\n",
 * trimmed to its reason. */
static char *yajl_reason(yajl_handle h, const char *text, size_t len)
{
	unsigned char *e = yajl_get_error(h, 0, (const unsigned char *)text, len);
	const char *s = (const char *)e;
	const char *colon = strstr(s, "error: ");
	char *r;
	size_t n;

	if (colon)
		s = colon + strlen("error: ");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '.'))
		n--;
	r = xstrndup(s, n);
	yajl_free_error(h, e);
	return r;
}

yajl_val json_parse(const char *text, size_t len, char **err)
{
	struct builder b = { 0 };
	yajl_status st;
	size_t at;
	bool at_end = false;

	if (err)
		*err = NULL;
	if (len == 0) {
		set_err(err, xstrdup("invalid JSON: empty document"));
		return NULL;
	}
	if (len > JSON_MAX_LEN) {
		set_err(err, xasprintf("invalid JSON: document of %zu bytes is over the %zu-byte limit",
			len, JSON_MAX_LEN));
		return NULL;
	}
	b.stack = xreallocarray(NULL, JSON_MAX_DEPTH, sizeof *b.stack);
	b.h = yajl_alloc(&tree_callbacks, NULL, &b);
	if (!b.h)
		die("out of memory (yajl_alloc)");
	st = yajl_parse(b.h, (const unsigned char *)text, len);
	/* yajl has read the offending byte or token: its count is the
	 * 1-based position of the last byte it looked at. */
	at = yajl_get_bytes_consumed(b.h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(b.h);
		at_end = true;
	}
	if (st != yajl_status_ok) {
		char *why = b.why ? b.why : yajl_reason(b.h, text, len);

		if (!at_end)
			set_err(err, xasprintf("invalid JSON at byte %zu: %s", at, why));
		else
			set_err(err, xasprintf("invalid JSON: %s after %zu bytes", why, len));
		free(why);
		b.why = NULL;
		yajl_tree_free(b.root);
		b.root = NULL;
	}
	for (size_t i = 0; i < b.depth; i++)
		free(b.stack[i].key);
	free(b.stack);
	free(b.why);
	yajl_free(b.h);
	return b.root;
}

/* ---- reading ------------------------------------------------------------ */

yajl_val json_get(yajl_val v, const char *key)
{
	if (!v || !YAJL_IS_OBJECT(v) || !key)
		return NULL;
	for (size_t i = 0; i < v->u.object.len; i++)
		if (strcmp(v->u.object.keys[i], key) == 0)
			return v->u.object.values[i];
	return NULL;
}

const char *json_type_name(yajl_val v)
{
	if (!v)
		return "nothing";
	switch (v->type) {
	case yajl_t_string: return "a string";
	case yajl_t_number: return YAJL_IS_INTEGER(v) ? "an integer" : "a number";
	case yajl_t_object: return "an object";
	case yajl_t_array: return "an array";
	case yajl_t_true:
	case yajl_t_false: return "a boolean";
	case yajl_t_null: return "null";
	case yajl_t_any: break;
	}
	return "an unknown value";
}

bool json_as_int(yajl_val v, int64_t *out)
{
	double d;

	if (!v || !YAJL_IS_NUMBER(v))
		return false;
	if (YAJL_IS_INTEGER(v)) {
		*out = v->u.number.i;
		return true;
	}
	if (!YAJL_IS_DOUBLE(v))
		return false;
	d = v->u.number.d;
	/* 2^63 is exact as a double; inside the range the cast is defined, and
	 * a fraction shows as a difference after it (no libm needed). */
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || (double)(int64_t)d != d)
		return false;
	*out = (int64_t)d;
	return true;
}

bool json_as_num(yajl_val v, double *out)
{
	if (!v || !YAJL_IS_NUMBER(v))
		return false;
	if (YAJL_IS_DOUBLE(v))
		*out = v->u.number.d;
	else if (YAJL_IS_INTEGER(v))
		*out = (double)v->u.number.i;
	else
		return false;
	return true;
}
