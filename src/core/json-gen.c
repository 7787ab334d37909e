#include "config.h"
#include "json.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clocale.h"
#include "xalloc.h"

/* The generator half of json.h: thin wrappers over yajl_gen that turn a
 * generator misuse into a loud bug instead of a silently broken body. */


static const char *gen_status_name(yajl_gen_status st)
{
	static const char *const names[] = {
		[yajl_gen_status_ok] = "ok",
		[yajl_gen_keys_must_be_strings] = "a key is due here",
		[yajl_max_depth_exceeded] = "nested too deep",
		[yajl_gen_in_error_state] = "generator already failed",
		[yajl_gen_generation_complete] = "document already complete",
		[yajl_gen_invalid_number] = "invalid number",
		[yajl_gen_no_buf] = "no buffer",
		[yajl_gen_invalid_string] = "invalid UTF-8 string",
	};

	if ((size_t)st < sizeof names / sizeof names[0] && names[st])
		return names[st];
	return "unknown status";
}

static void check(yajl_gen_status st, const char *what)
{
	if (st != yajl_gen_status_ok)
		die("json_gen: %s: %s (a bug in the caller)", what, gen_status_name(st));
}

yajl_gen json_gen_new(void)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	if (!g)
		die("out of memory (yajl_gen_alloc)");
	return g;
}

char *json_gen_finish(yajl_gen g, size_t *len)
{
	const unsigned char *p;
	size_t n;
	char *s;

	check(yajl_gen_get_buf(g, &p, &n), "get_buf");
	s = xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	yajl_gen_free(g);
	if (len)
		*len = n;
	return s;
}

void json_gen_str(yajl_gen g, const char *s)
{
	if (!s)
		check(yajl_gen_null(g), "null");
	else
		check(yajl_gen_string(g, (const unsigned char *)s, strlen(s)), "string value");
}

void json_gen_key(yajl_gen g, const char *key)
{
	check(yajl_gen_string(g, (const unsigned char *)key, strlen(key)), key);
}

void json_gen_num(yajl_gen g, double val)
{
	char s[40];
	int prec;
	locale_t old;

	if (!isfinite(val)) {
		check(yajl_gen_null(g), "null for a non-finite number");
		return;
	}
	old = uselocale(c_locale());
	for (prec = 15; prec < 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, val);
		if (strtod(s, NULL) == val)
			break;
	}
	snprintf(s, sizeof s, "%.*g", prec, val);
	uselocale(old);
	/* Keep it a float when read back ("2" would be an integer). */
	if (strspn(s, "-0123456789") == strlen(s))
		strcat(s, ".0");
	check(yajl_gen_number(g, s, strlen(s)), "number");
}

void json_gen_kv_str(yajl_gen g, const char *key, const char *val)
{
	json_gen_key(g, key);
	json_gen_str(g, val);
}

void json_gen_kv_int(yajl_gen g, const char *key, int64_t val)
{
	json_gen_key(g, key);
	check(yajl_gen_integer(g, (long long)val), key);
}

void json_gen_kv_num(yajl_gen g, const char *key, double val)
{
	json_gen_key(g, key);
	json_gen_num(g, val);
}

void json_gen_kv_bool(yajl_gen g, const char *key, bool val)
{
	json_gen_key(g, key);
	check(yajl_gen_bool(g, val), key);
}

void json_gen_kv_null(yajl_gen g, const char *key)
{
	json_gen_key(g, key);
	check(yajl_gen_null(g), key);
}

void json_gen_value(yajl_gen g, yajl_val v)
{
	switch (v->type) {
	case yajl_t_string:
		json_gen_str(g, v->u.string);
		break;
	case yajl_t_number:
		check(yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r)), "number");
		break;
	case yajl_t_true:
	case yajl_t_false:
		check(yajl_gen_bool(g, v->type == yajl_t_true), "boolean");
		break;
	case yajl_t_null:
	case yajl_t_any:
		check(yajl_gen_null(g), "null");
		break;
	case yajl_t_object:
		check(yajl_gen_map_open(g), "object");
		for (size_t i = 0; i < v->u.object.len; i++) {
			json_gen_key(g, v->u.object.keys[i]);
			json_gen_value(g, v->u.object.values[i]);
		}
		check(yajl_gen_map_close(g), "object end");
		break;
	case yajl_t_array:
		check(yajl_gen_array_open(g), "array");
		for (size_t i = 0; i < v->u.array.len; i++)
			json_gen_value(g, v->u.array.values[i]);
		check(yajl_gen_array_close(g), "array end");
		break;
	}
}
