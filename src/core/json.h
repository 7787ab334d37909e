/* json: small helpers over yajl's tree API shared by model, token, expr
 * users, tqsim and tqtop.
 *
 * Contract: json_parse() accepts text that is not NUL-terminated, never
 * crashes on hostile input (depth and size limits are yajl's plus ours:
 * JSON_MAX_DEPTH), and returns NULL with *err set (caller frees) on any
 * error.  The tree is freed with yajl_tree_free().  json_get() returns
 * NULL for an absent key and a node for which YAJL_IS_NULL() holds for a
 * JSON null, so callers can tell the two apart.
 */
#ifndef TQ_JSON_H
#define TQ_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#define JSON_MAX_DEPTH 64

yajl_val json_parse(const char *text, size_t len, char **err);
/* Member of an object by key (NULL if v is not an object or key absent). */
yajl_val json_get(yajl_val v, const char *key);
/* "a string", "an integer", "a number", "an object", "an array",
 * "a boolean", "null": for error messages. */
const char *json_type_name(yajl_val v);
/* True and *out set when v is an integer (or a float with no fraction). */
bool json_as_int(yajl_val v, int64_t *out);

/* Generation helpers for yajl_gen (NUL-terminated strings). */
void json_gen_str(yajl_gen g, const char *s);
void json_gen_kv_str(yajl_gen g, const char *key, const char *val);	/* val NULL -> null */
void json_gen_kv_int(yajl_gen g, const char *key, int64_t val);
void json_gen_kv_num(yajl_gen g, const char *key, double val);
void json_gen_kv_bool(yajl_gen g, const char *key, bool val);
void json_gen_kv_null(yajl_gen g, const char *key);
void json_gen_key(yajl_gen g, const char *key);

#endif
