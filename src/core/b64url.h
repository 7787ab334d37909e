/* b64url: base64url (RFC 4648 section 5) as JWTs use it.
 *
 * Contract: encoding never pads.  Decoding accepts input with or without
 * '=' padding, rejects any character outside the url-safe alphabet (so
 * '+', '/' and whitespace are errors), rejects impossible lengths (4n+1)
 * and non-zero trailing bits, and NUL-terminates the output (not counted
 * in *outlen) so decoded JSON can be handed to a parser directly.
 */
#ifndef TQ_B64URL_H
#define TQ_B64URL_H

#include <stdbool.h>
#include <stddef.h>

char *b64url_encode(const unsigned char *in, size_t n);
bool b64url_decode(const char *in, size_t n, unsigned char **out, size_t *outlen);

#endif
