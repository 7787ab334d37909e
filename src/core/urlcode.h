/* urlcode: percent-decoding as HTTP query strings and form bodies use it.
 *
 * Contract: url_decode() turns %XX into the byte and, when plus_space is
 * set (query strings and x-www-form-urlencoded bodies), '+' into a space;
 * a '%' not followed by two hex digits stays as it is, as Twilio reads it.
 * The result is NUL-terminated and the caller's; it may contain any byte,
 * so callers that need text check it (json_utf8_valid).  Encoding is
 * buf_put_urlencoded() in buf.h.
 *
 * struct url_params is a list of decoded key/value pairs in the order
 * they came, repeated keys kept (TaskRouter reads some lists that way);
 * url_params_parse() appends "a=1&b=x%20y&c" (form or query encoding:
 * '+' is a space, a key without '=' has the value "", empty pieces are
 * skipped).  Token policies and tqsim read parameters through it.
 */
#ifndef TQ_URLCODE_H
#define TQ_URLCODE_H

#include <stdbool.h>
#include <stddef.h>

/* 0..15 for a hex digit, -1 for anything else. */
int hex_value(char c);
char *url_decode(const char *s, size_t len, bool plus_space);

struct url_param {
	char *key;
	char *value;
};

struct url_params {
	struct url_param *v;
	size_t n, cap;
};

/* Appends copies of key[0..klen) and value[0..vlen). */
void url_params_add(struct url_params *p, const char *key, size_t klen, const char *value, size_t vlen);
void url_params_parse(struct url_params *p, const char *s, size_t len);
/* First value of key (case-sensitive), or NULL. */
const char *url_params_get(const struct url_params *p, const char *key);
void url_params_free(struct url_params *p);

#endif
