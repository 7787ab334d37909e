#include "config.h"
#include "token.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "b64url.h"

bool token_verify(const struct tq_token *t, const char *secret)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	bool ok = false;

	/* The alg comes from the attacker's half of the token: anything but
	 * HS256 (notably "none") is refused here too, not only by decode. */
	if (!t || !t->raw || !t->alg || strcmp(t->alg, "HS256") != 0)
		return false;
	if (!secret || !*secret || strlen(secret) > INT_MAX)
		return false;
	const char *dot = strrchr(t->raw, '.');
	if (!dot || dot == t->raw)
		return false;
	if (!b64url_decode(dot + 1, strlen(dot + 1), &sig, &siglen))
		return false;
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret),
		 (const unsigned char *)t->raw, (size_t)(dot - t->raw), mac, &maclen) &&
	    maclen == 32 && siglen == maclen)
		ok = CRYPTO_memcmp(mac, sig, maclen) == 0;
	OPENSSL_cleanse(mac, sizeof mac);
	free(sig);
	return ok;
}

enum token_time token_check_time(const struct tq_token *t, time_t now)
{
	int64_t n = (int64_t)now;

	if (!t || !t->has_exp)
		return TOKEN_TIME_NO_EXP;
	/* written as now - skew so that no claim value can overflow */
	if (n - TOKEN_CLOCK_SKEW > t->exp)
		return TOKEN_TIME_EXPIRED;
	if (t->has_nbf && n + TOKEN_CLOCK_SKEW < t->nbf)
		return TOKEN_TIME_NOT_YET;
	return TOKEN_TIME_VALID;
}

int64_t token_seconds_left(const struct tq_token *t, time_t now)
{
	int64_t left;

	if (!t || !t->has_exp)
		return 0;
	if (__builtin_sub_overflow(t->exp, (int64_t)now, &left))
		return t->exp < 0 ? INT64_MIN : INT64_MAX;
	return left;
}
