#include "config.h"
#include "model-schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "isotime.h"
#include "json.h"
#include "model.h"
#include "xalloc.h"

/* Network text shown in a message: at most this many bytes of it. */
#define SHOW_MAX 40

/* ---- error paths -------------------------------------------------------- */

/* The JSON path of the value being parsed, as a chain on the C stack: it is
 * only rendered when something fails, so a good parse allocates nothing
 * for it. */
struct path {
	const struct path *up;
	const char *key;	/* NULL: an array index */
	size_t index;
};

/* s, quoted and cut so that a message stays one short line whatever the
 * server sent. */
static void put_quoted(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	buf_putc(b, '"');
	for (size_t i = 0; i < n && i < SHOW_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
	if (n > SHOW_MAX)
		buf_puts(b, "...");
	buf_putc(b, '"');
}

static bool is_plain_key(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static void put_path(struct buf *b, const struct path *p)
{
	if (!p)
		return;
	put_path(b, p->up);
	if (!p->key) {
		buf_printf(b, "[%zu]", p->index);
	} else if (!p->up) {
		buf_puts(b, p->key);
	} else if (is_plain_key(p->key) && strlen(p->key) <= SHOW_MAX) {
		buf_printf(b, ".%s", p->key);
	} else {
		buf_putc(b, '[');
		put_quoted(b, p->key);
		buf_putc(b, ']');
	}
}

static bool fail(char **err, const struct path *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail(char **err, const struct path *p, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (!err)
		return false;
	put_path(&b, p);
	buf_puts(&b, ": ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	*err = buf_steal(&b);
	return false;
}

/* "expected <want>, got <what v is>": numbers are shown, strings quoted
 * when the type was right but the content was not. */
static bool fail_type(char **err, const struct path *p, const char *want, yajl_val v)
{
	struct buf got = BUF_INIT;
	bool r;

	if (v && YAJL_IS_NUMBER(v) && strlen(v->u.number.r) <= SHOW_MAX)
		buf_puts(&got, v->u.number.r);
	else if (v && YAJL_IS_NUMBER(v))
		buf_puts(&got, "a number too long to show");
	else
		buf_puts(&got, json_type_name(v));
	r = fail(err, p, "expected %s, got %s", want, buf_cstr(&got));
	buf_free(&got);
	return r;
}

static bool fail_value(char **err, const struct path *p, const char *want, const char *s)
{
	struct buf got = BUF_INIT;
	bool r;

	put_quoted(&got, s);
	r = fail(err, p, "expected %s, got %s", want, buf_cstr(&got));
	buf_free(&got);
	return r;
}

/* ---- scalar checks ------------------------------------------------------ */

static bool is_sid(const char *s, const char *prefix)
{
	if (strlen(s) != 34 || strncmp(s, prefix, 2) != 0)
		return false;
	for (int i = 2; i < 34; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

static bool check_string(const struct field *f, const char *s, const struct path *p, char **err)
{
	if (f->sid_prefix && !is_sid(s, f->sid_prefix)) {
		char want[64];
		snprintf(want, sizeof want, "a sid of the form %s + 32 hex digits", f->sid_prefix);
		return fail_value(err, p, want, s);
	}
	if (f->one_of) {
		struct buf want = BUF_INIT;
		bool ok = false;

		for (size_t i = 0; f->one_of[i]; i++) {
			if (strcmp(s, f->one_of[i]) == 0)
				ok = true;
			if (i > 0)
				buf_puts(&want, f->one_of[i + 1] ? ", " : " or ");
			put_quoted(&want, f->one_of[i]);
		}
		if (!ok)
			fail_value(err, p, buf_cstr(&want), s);
		buf_free(&want);
		return ok;
	}
	return true;
}

/* A count: an integer, or a numeric string as in the spec's description
 * of tasks_by_status ({"pending": "1"}). */
static bool as_count(yajl_val v, int64_t *out)
{
	const char *s;
	int64_t n = 0;
	size_t len;

	if (json_as_int(v, out))
		return true;
	if (!v || !YAJL_IS_STRING(v))
		return false;
	s = v->u.string;
	len = strlen(s);
	if (len == 0 || len > 18)	/* 18 digits always fit in int64_t */
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		n = n * 10 + (s[i] - '0');
	}
	*out = n;
	return true;
}

/* A SplitByWaitTime key: seconds, "5" or "2.5".  Parsed by hand because
 * strtod would follow the user's LC_NUMERIC. */
static bool as_threshold(const char *s, double *out)
{
	double v = 0, scale = 1;
	size_t i = 0, int_digits = 0;

	while (s[i] >= '0' && s[i] <= '9') {
		v = v * 10 + (s[i++] - '0');
		int_digits++;
	}
	if (int_digits == 0 || int_digits > 15)
		return false;
	if (s[i] == '.') {
		i++;
		if (s[i] < '0' || s[i] > '9')
			return false;
		for (size_t k = 0; s[i] >= '0' && s[i] <= '9'; i++, k++)
			if (k < 15)
				v += (s[i] - '0') * (scale /= 10);
	}
	*out = v;
	return s[i] == '\0';
}

/* ---- parsing ------------------------------------------------------------ */

static bool parse_fields(const struct schema *s, yajl_val obj, char *base,
	const struct path *p, char **err);

#define AT(base, off, type) ((type *)(void *)((base) + (off)))

/* Every optional member starts with its presence (tq_opt_*, tq_links,
 * tq_counts); groups keep it at st_off. */
static void set_presence(const struct field *f, char *base, enum tq_presence st)
{
	switch (f->kind) {
	case FK_STR: case FK_INT: case FK_NUM: case FK_BOOL: case FK_TIME:
	case FK_LINKS: case FK_COUNTS:
		*AT(base, f->off, enum tq_presence) = st;
		break;
	case FK_OBJ: case FK_ARRAY: case FK_SPLITS:
		if (f->st_off != NO_OFF)
			*AT(base, f->st_off, enum tq_presence) = st;
		break;
	case FK_INLINE:
		for (size_t i = 0; i < f->sub->n_fields; i++)
			set_presence(&f->sub->fields[i], base, st);
		break;
	case FK_CSTR:
		break;
	}
}

static bool parse_links(yajl_val v, struct tq_links *l, const struct path *p, char **err)
{
	size_t n = v->u.object.len;

	l->items = n ? xcalloc(n, sizeof *l->items) : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct path kp = { p, v->u.object.keys[i], 0 };
		yajl_val u = v->u.object.values[i];

		if (!YAJL_IS_STRING(u))
			return fail_type(err, &kp, "a URL string", u);
		l->items[i].name = xstrdup(v->u.object.keys[i]);
		l->items[i].url = xstrdup(u->u.string);
		l->n = i + 1;
	}
	return true;
}

static bool parse_counts(yajl_val v, struct tq_counts *c, const struct path *p, char **err)
{
	size_t n = v->u.object.len;

	c->items = n ? xcalloc(n, sizeof *c->items) : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct path kp = { p, v->u.object.keys[i], 0 };
		yajl_val u = v->u.object.values[i];
		int64_t k;

		if (!as_count(u, &k))
			return YAJL_IS_STRING(u) ? fail_value(err, &kp, "a count", u->u.string)
						 : fail_type(err, &kp, "a count", u);
		c->items[i].key = xstrdup(v->u.object.keys[i]);
		c->items[i].n = k;
		c->n = i + 1;
	}
	return true;
}

static bool parse_array(const struct field *f, yajl_val v, char *base, const struct path *p, char **err)
{
	size_t n = v->u.array.len, size = f->sub->size;
	char *items = n ? xcalloc(n, size) : NULL;

	*AT(base, f->off, void *) = items;
	for (size_t i = 0; i < n; i++) {
		const struct path ip = { p, NULL, i };
		yajl_val e = v->u.array.values[i];

		*AT(base, f->n_off, size_t) = i + 1;	/* so a failure frees it */
		if (!YAJL_IS_OBJECT(e))
			return fail_type(err, &ip, "an object", e);
		if (!parse_fields(f->sub, e, items + i * size, &ip, err))
			return false;
	}
	return true;
}

struct keyed { double t; size_t i; };

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* split_by_wait_time: {"5": {"above": {..}, "below": {..}}, "10": ..}
 * becomes an array of struct tq_split sorted by numeric threshold. */
static bool parse_splits(const struct field *f, yajl_val v, char *base, const struct path *p, char **err)
{
	size_t n = v->u.object.len;
	struct tq_split *items = n ? xcalloc(n, sizeof *items) : NULL;
	struct keyed *order;

	*AT(base, f->off, struct tq_split *) = items;
	for (size_t i = 0; i < n; i++) {
		const char *key = v->u.object.keys[i];
		const struct path kp = { p, key, 0 };
		yajl_val e = v->u.object.values[i];
		double t;

		*AT(base, f->n_off, size_t) = i + 1;
		if (!as_threshold(key, &t))
			return fail_value(err, &kp, "a wait-time threshold in seconds as the key", key);
		items[i].threshold = xstrdup(key);
		if (!YAJL_IS_OBJECT(e))
			return fail_type(err, &kp, "an object", e);
		if (!parse_fields(f->sub, e, (char *)&items[i], &kp, err))
			return false;
	}
	if (n < 2)
		return true;
	order = xcalloc(n, sizeof *order);
	for (size_t i = 0; i < n; i++) {
		as_threshold(items[i].threshold, &order[i].t);
		order[i].i = i;
	}
	qsort(order, n, sizeof *order, cmp_keyed);
	struct tq_split *sorted = xcalloc(n, sizeof *sorted);
	for (size_t i = 0; i < n; i++)
		sorted[i] = items[order[i].i];
	free(items);
	free(order);
	*AT(base, f->off, struct tq_split *) = sorted;
	return true;
}

static bool parse_field(const struct field *f, yajl_val v, char *base, const struct path *p, char **err)
{
	int64_t i;
	double d;

	if (!v) {
		if (f->kind == FK_CSTR || f->required)
			return fail(err, p, "missing required field");
		return true;	/* absent: the zeroed struct says so */
	}
	if (YAJL_IS_NULL(v) && f->kind != FK_CSTR && !f->required) {
		set_presence(f, base, TQ_NULL);
		return true;
	}
	switch (f->kind) {
	case FK_CSTR:
		if (!YAJL_IS_STRING(v))
			return fail_type(err, p, "a string", v);
		if (!check_string(f, v->u.string, p, err))
			return false;
		*AT(base, f->off, char *) = xstrdup(v->u.string);
		return true;
	case FK_STR: {
		struct tq_opt_str *o = AT(base, f->off, struct tq_opt_str);
		if (!YAJL_IS_STRING(v))
			return fail_type(err, p, "a string", v);
		if (!check_string(f, v->u.string, p, err))
			return false;
		o->v = xstrdup(v->u.string);
		o->st = TQ_SET;
		return true;
	}
	case FK_INT:
		if (!json_as_int(v, &i))
			return fail_type(err, p, "an integer", v);
		*AT(base, f->off, struct tq_opt_int) = (struct tq_opt_int){ TQ_SET, i };
		return true;
	case FK_NUM:
		if (!json_as_num(v, &d))
			return fail_type(err, p, "a number", v);
		*AT(base, f->off, struct tq_opt_num) = (struct tq_opt_num){ TQ_SET, d };
		return true;
	case FK_BOOL:
		if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
			return fail_type(err, p, "a boolean", v);
		*AT(base, f->off, struct tq_opt_bool) = (struct tq_opt_bool){ TQ_SET, YAJL_IS_TRUE(v) };
		return true;
	case FK_TIME:
		if (!YAJL_IS_STRING(v))
			return fail_type(err, p, "an ISO-8601 date-time string", v);
		if (!iso8601_parse(v->u.string, &i))
			return fail_value(err, p, "an ISO-8601 date-time like 2015-08-04T01:31:41Z",
				v->u.string);
		*AT(base, f->off, struct tq_opt_time) = (struct tq_opt_time){ TQ_SET, i };
		return true;
	case FK_LINKS:
		if (!YAJL_IS_OBJECT(v))
			return fail_type(err, p, "an object", v);
		AT(base, f->off, struct tq_links)->st = TQ_SET;
		return parse_links(v, AT(base, f->off, struct tq_links), p, err);
	case FK_COUNTS:
		if (!YAJL_IS_OBJECT(v))
			return fail_type(err, p, "an object", v);
		AT(base, f->off, struct tq_counts)->st = TQ_SET;
		return parse_counts(v, AT(base, f->off, struct tq_counts), p, err);
	case FK_OBJ:
		if (!YAJL_IS_OBJECT(v))
			return fail_type(err, p, "an object", v);
		set_presence(f, base, TQ_SET);
		return parse_fields(f->sub, v, base + f->off, p, err);
	case FK_INLINE:
		if (!YAJL_IS_OBJECT(v))
			return fail_type(err, p, "an object", v);
		return parse_fields(f->sub, v, base, p, err);
	case FK_ARRAY:
		if (!YAJL_IS_ARRAY(v))
			return fail_type(err, p, "an array", v);
		set_presence(f, base, TQ_SET);
		return parse_array(f, v, base, p, err);
	case FK_SPLITS:
		if (!YAJL_IS_OBJECT(v))
			return fail_type(err, p, "an object", v);
		set_presence(f, base, TQ_SET);
		return parse_splits(f, v, base, p, err);
	}
	return fail(err, p, "unknown field kind (a bug)");
}

static bool parse_fields(const struct schema *s, yajl_val obj, char *base,
	const struct path *p, char **err)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct field *f = &s->fields[i];
		const struct path fp = { p, f->name, 0 };

		if (!parse_field(f, json_get(obj, f->name), base, &fp, err))
			return false;
	}
	return true;
}

bool schema_parse(const struct schema *s, yajl_val v, void *obj, char **err)
{
	const struct path root = { NULL, s->what, 0 };

	if (err)
		*err = NULL;
	memset(obj, 0, s->size);
	if (!v || !YAJL_IS_OBJECT(v))
		return fail_type(err, &root, "an object", v);
	if (parse_fields(s, v, obj, s->bare ? NULL : &root, err))
		return true;
	schema_clear(s, obj);
	return false;
}

bool schema_parse_text(const struct schema *s, const char *text, size_t len, void *obj, char **err)
{
	char *why = NULL;
	yajl_val v;
	bool ok;

	if (err)
		*err = NULL;
	v = json_parse(text, len, &why);
	if (!v) {
		memset(obj, 0, s->size);
		if (err)
			*err = xasprintf("%s: %s", s->what, why);
		free(why);
		return false;
	}
	ok = schema_parse(s, v, obj, err);
	yajl_tree_free(v);
	return ok;
}

/* ---- clearing and copying ----------------------------------------------- */

static void clear_fields(const struct schema *s, char *base)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct field *f = &s->fields[i];

		switch (f->kind) {
		case FK_CSTR:
			free(*AT(base, f->off, char *));
			break;
		case FK_STR:
			free(AT(base, f->off, struct tq_opt_str)->v);
			break;
		case FK_INT: case FK_NUM: case FK_BOOL: case FK_TIME:
			break;
		case FK_LINKS: {
			struct tq_links *l = AT(base, f->off, struct tq_links);
			for (size_t k = 0; k < l->n; k++) {
				free(l->items[k].name);
				free(l->items[k].url);
			}
			free(l->items);
			break;
		}
		case FK_COUNTS: {
			struct tq_counts *c = AT(base, f->off, struct tq_counts);
			for (size_t k = 0; k < c->n; k++)
				free(c->items[k].key);
			free(c->items);
			break;
		}
		case FK_OBJ:
			clear_fields(f->sub, base + f->off);
			break;
		case FK_INLINE:
			clear_fields(f->sub, base);
			break;
		case FK_ARRAY: case FK_SPLITS: {
			char *items = *AT(base, f->off, char *);
			size_t n = *AT(base, f->n_off, size_t);
			for (size_t k = 0; k < n; k++) {
				if (f->kind == FK_SPLITS)
					free(((struct tq_split *)(void *)items)[k].threshold);
				clear_fields(f->sub, items + k * f->sub->size);
			}
			free(items);
			break;
		}
		}
	}
}

void schema_clear(const struct schema *s, void *obj)
{
	clear_fields(s, obj);
	memset(obj, 0, s->size);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* After a shallow memcpy, replaces every owned pointer by a copy. */
static void deepen(const struct schema *s, char *base)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct field *f = &s->fields[i];

		switch (f->kind) {
		case FK_CSTR:
			*AT(base, f->off, char *) = dup_or_null(*AT(base, f->off, char *));
			break;
		case FK_STR: {
			struct tq_opt_str *o = AT(base, f->off, struct tq_opt_str);
			o->v = dup_or_null(o->v);
			break;
		}
		case FK_INT: case FK_NUM: case FK_BOOL: case FK_TIME:
			break;
		case FK_LINKS: {
			struct tq_links *l = AT(base, f->off, struct tq_links);
			struct tq_link *items = l->n ? xcalloc(l->n, sizeof *items) : NULL;
			for (size_t k = 0; k < l->n; k++) {
				items[k].name = xstrdup(l->items[k].name);
				items[k].url = xstrdup(l->items[k].url);
			}
			l->items = items;
			break;
		}
		case FK_COUNTS: {
			struct tq_counts *c = AT(base, f->off, struct tq_counts);
			struct tq_count *items = c->n ? xcalloc(c->n, sizeof *items) : NULL;
			for (size_t k = 0; k < c->n; k++)
				items[k] = (struct tq_count){ xstrdup(c->items[k].key), c->items[k].n };
			c->items = items;
			break;
		}
		case FK_OBJ:
			deepen(f->sub, base + f->off);
			break;
		case FK_INLINE:
			deepen(f->sub, base);
			break;
		case FK_ARRAY: case FK_SPLITS: {
			size_t n = *AT(base, f->n_off, size_t), size = f->sub->size;
			char *items = n ? xcalloc(n, size) : NULL;
			if (n)
				memcpy(items, *AT(base, f->off, char *), n * size);
			for (size_t k = 0; k < n; k++) {
				if (f->kind == FK_SPLITS) {
					struct tq_split *sp = (struct tq_split *)(void *)(items + k * size);
					sp->threshold = dup_or_null(sp->threshold);
				}
				deepen(f->sub, items + k * size);
			}
			*AT(base, f->off, char *) = items;
			break;
		}
		}
	}
}

void schema_copy(const struct schema *s, void *dst, const void *src)
{
	if (dst == src)
		return;
	memcpy(dst, src, s->size);
	deepen(s, dst);
}
