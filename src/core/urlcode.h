/* urlcode: percent-decoding as HTTP query strings and form bodies use it.
 *
 * Contract: url_decode() turns %XX into the byte and, when plus_space is
 * set (query strings and x-www-form-urlencoded bodies), '+' into a space;
 * a '%' not followed by two hex digits stays as it is, as Twilio reads it.
 * The result is NUL-terminated and the caller's; it may contain any byte,
 * so callers that need text check it (json_utf8_valid).  Encoding is
 * buf_put_urlencoded() in buf.h.
 */
#ifndef TQ_URLCODE_H
#define TQ_URLCODE_H

#include <stdbool.h>
#include <stddef.h>

/* 0..15 for a hex digit, -1 for anything else. */
int hex_value(char c);
char *url_decode(const char *s, size_t len, bool plus_space);

#endif
