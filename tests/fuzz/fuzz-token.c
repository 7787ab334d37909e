/* libFuzzer: token_decode on arbitrary bytes, then everything a server
 * does with a decoded token (verify, time checks, policy matching).
 * Seeds: tests/fuzz/token/ (the vector tokens, the malformed strings and
 * the vectors' claims as JSON). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b64url.h"
#include "token.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const urls[] = {
		"https://event-bridge.twilio.com/v1/wschannels/AC0123456789abcdef0123456789abcdef/WQ0123456789abcdef0123456789abcdef",
		"https://taskrouter.twilio.com/v1/Workspaces/WS0123456789abcdef0123456789abcdef/TaskQueues/WQ0123456789abcdef0123456789abcdef",
		"https://taskrouter.twilio.com/v1/Workspaces/WS0123456789abcdef0123456789abcdef/TaskQueues/WQ0123456789abcdef0123456789abcdef/Statistics?Minutes=15&X=a%20b+c%",
		"https://taskrouter.twilio.com/v1/Workspaces/WS0123456789abcdef0123456789abcdef/TaskQueues/../x",
	};
	static const char *const methods[] = { "GET", "POST", "DELETE" };
	static const struct tq_param params[] = { { "Minutes", "240" }, { "ActivitySid", "WA1" } };
	char *s, *err = NULL;

	/* Inputs starting with '{' are claims: wrap them in a token so that
	 * mutations reach the JSON and policy code instead of base64url. */
	if (size > 0 && data[0] == '{') {
		char *p64 = b64url_encode(data, size);
		s = xasprintf("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.%s.%s", p64,
			      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
		free(p64);
	} else {
		s = xmalloc(size + 1);
		memcpy(s, data, size);
		s[size] = '\0';
	}
	struct tq_token *t = token_decode(s, &err);
	if (!t) {
		if (!err || strncmp(err, "token: ", 7) != 0 || strchr(err, '\n'))
			abort();	/* every rejection explains itself in one line */
		free(err);
		free(s);
		return 0;
	}
	if (err)
		abort();
	(void)token_verify(t, "0123456789abcdef0123456789abcdef");
	(void)token_check_time(t, 1795990000);
	(void)token_seconds_left(t, 1795990000);
	for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
		for (size_t u = 0; u < sizeof urls / sizeof urls[0]; u++) {
			(void)token_may(t, methods[m], urls[u]);
			(void)token_may_params(t, methods[m], urls[u], params, 2);
		}
	}
	/* a token's own policy URLs, used as requests */
	for (size_t i = 0; i < t->n_policies && i < 16; i++)
		(void)token_may(t, t->policies[i].method, t->policies[i].url);
	free(token_channel_url(t));
	token_free(&t);
	free(s);
	return 0;
}
