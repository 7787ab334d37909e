/* json: small helpers over yajl's tree API shared by model, token, expr
 * users, tqsim and tqtop.
 *
 * Contract: json_parse() accepts text that is not NUL-terminated, never
 * crashes on hostile input, and returns NULL with *err set (caller frees;
 * err may be NULL) on any error.  It is stricter than yajl_tree_parse():
 *  - at most JSON_MAX_LEN bytes and JSON_MAX_DEPTH nested arrays/objects;
 *  - one value, no comments, no trailing garbage, no NUL bytes;
 *  - every string and key is well-formed UTF-8 (no overlong forms, no
 *    surrogates) and holds no NUL (so "\u0000" is refused);
 *  - an object may not repeat a key;
 *  - numbers are read in the C locale whatever LC_NUMERIC says.
 * Messages are one line: "invalid JSON at byte 17: duplicate key \"sid\""
 * (the 1-based position of the last byte read), or "invalid JSON:
 * premature EOF after 42 bytes" for a truncated document.
 * The tree is yajl's own (struct yajl_val_s) and is freed with
 * yajl_tree_free().  json_get() returns NULL for an absent key and a node
 * for which YAJL_IS_NULL() holds for a JSON null, so callers can tell the
 * two apart.
 *
 * The json_gen_* helpers write through a yajl_gen.  Misusing the generator
 * (a value where a key is due, a second top-level value) is a bug and
 * aborts through die(); they never fail otherwise.  Doubles are written in
 * the C locale with the fewest digits that read back to the same value;
 * NaN and infinities are written as null.
 */
#ifndef TQ_JSON_H
#define TQ_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#define JSON_MAX_DEPTH 64
#define JSON_MAX_LEN ((size_t)64 << 20)	/* 64 MiB: far above any TaskRouter page */

yajl_val json_parse(const char *text, size_t len, char **err);
/* True when text[0..n) is well-formed UTF-8 as Unicode defines it (no
 * overlong forms, no surrogates, nothing above U+10FFFF): what json_parse()
 * accepts in strings, so what generated JSON must hold. */
bool json_utf8_valid(const char *text, size_t n);
/* Characters (code points) in NUL-terminated valid UTF-8 text: how Twilio
 * counts lengths such as FriendlyName's 64, where bytes would refuse
 * accented names that the service takes. */
size_t json_utf8_chars(const char *text);
/* Member of an object by key (NULL if v is not an object or key absent). */
yajl_val json_get(yajl_val v, const char *key);
/* "a string", "an integer", "a number", "an object", "an array",
 * "a boolean", "null", and "nothing" for NULL: for error messages. */
const char *json_type_name(yajl_val v);
/* True and *out set when v is an integer (or a float with no fraction)
 * that fits in int64_t. */
bool json_as_int(yajl_val v, int64_t *out);
/* True and *out set when v is a finite number (integer or not). */
bool json_as_num(yajl_val v, double *out);

/* A generator with yajl's defaults (compact output); never NULL. */
yajl_gen json_gen_new(void);
/* Frees g and returns what it generated as a NUL-terminated string the
 * caller frees; *len (if not NULL) gets its length. */
char *json_gen_finish(yajl_gen g, size_t *len);

/* Generation helpers for yajl_gen (NUL-terminated strings). */
void json_gen_str(yajl_gen g, const char *s);			/* s NULL -> null */
void json_gen_kv_str(yajl_gen g, const char *key, const char *val);	/* val NULL -> null */
void json_gen_kv_int(yajl_gen g, const char *key, int64_t val);
void json_gen_kv_num(yajl_gen g, const char *key, double val);
void json_gen_kv_bool(yajl_gen g, const char *key, bool val);
void json_gen_kv_null(yajl_gen g, const char *key);
void json_gen_key(yajl_gen g, const char *key);
/* Writes a whole parsed tree (numbers keep their original text). */
void json_gen_value(yajl_gen g, yajl_val v);
void json_gen_num(yajl_gen g, double val);

#endif
