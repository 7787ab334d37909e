#include "config.h"
#include "b64url.h"

#include <stdint.h>
#include <stdlib.h>

#include "xalloc.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* 0..63 for the url-safe alphabet, -1 for everything else (including '+',
 * '/', '=' and whitespace). */
static int sextet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

char *b64url_encode(const unsigned char *in, size_t n)
{
	if (n > (SIZE_MAX - 1) / 4 * 3)
		die("b64url_encode: input too large");
	char *out = xmalloc((n + 2) / 3 * 4 + 1);
	char *o = out;
	size_t i = 0;

	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
		*o++ = alphabet[v >> 6 & 63];
		*o++ = alphabet[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
		*o++ = alphabet[v >> 6 & 63];
	}
	*o = '\0';
	return out;
}

bool b64url_decode(const char *in, size_t n, unsigned char **out, size_t *outlen)
{
	size_t pad = 0;

	*out = NULL;
	*outlen = 0;
	/* Padding is optional, but when present it must be the exact amount
	 * for a whole number of quads. */
	while (pad < n && pad < 3 && in[n - 1 - pad] == '=')
		pad++;
	if (pad) {
		if (pad > 2 || n % 4 != 0)
			return false;
		n -= pad;
		if ((4 - n % 4) % 4 != pad)
			return false;
	}
	if (n % 4 == 1)
		return false;

	unsigned char *buf = xmalloc(n / 4 * 3 + 3);
	size_t o = 0;
	uint32_t acc = 0;
	unsigned bits = 0;

	for (size_t i = 0; i < n; i++) {
		int s = sextet((unsigned char)in[i]);
		if (s < 0) {
			free(buf);
			return false;
		}
		acc = acc << 6 | (uint32_t)s;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (unsigned char)(acc >> bits & 0xff);
			acc &= (1u << bits) - 1;
		}
	}
	/* Leftover bits must be zero: otherwise several strings decode to the
	 * same bytes and a JWT signature becomes malleable. */
	if (acc != 0) {
		free(buf);
		return false;
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return true;
}
