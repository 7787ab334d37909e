/* tqtoken: reading tokens and the auth token. */
#include "config.h"
#include "tqtoken.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "buf.h"
#include "xalloc.h"

/* Far above any real token or auth token; stops a wrong path (a disk
 * image, /dev/zero) from eating memory. */
#define INPUT_MAX (1024 * 1024)

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void wipe(struct buf *b)
{
	if (b->data)
		OPENSSL_cleanse(b->data, b->cap);
	buf_free(b);
}

/* The first len bytes of s without surrounding whitespace, as a fresh
 * string. */
static char *trimmed(const char *s, size_t len)
{
	size_t a = 0, z = len;

	while (a < z && is_space(s[a]))
		a++;
	while (z > a && is_space(s[z - 1]))
		z--;
	return xstrndup(s + a, z - a);
}

int read_token(const char *cmd, const char *path, char **jwt)
{
	bool from_stdin = !path || strcmp(path, "-") == 0;
	const char *name = from_stdin ? "standard input" : path;
	struct buf b = BUF_INIT;

	*jwt = NULL;
	FILE *f = from_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return report(cmd, TQ_EXIT_IO, "cannot open %s: %s", name, strerror(errno));
	if (from_stdin && isatty(fileno(stdin)))
		fprintf(stderr, "tqtoken %s: reading the token from the terminal; paste it, then press Ctrl-D\n", cmd);
	enum buf_read got = buf_read_stream(&b, f, INPUT_MAX);
	int saved = errno;
	if (!from_stdin)
		fclose(f);
	if (got != BUF_READ_OK) {
		wipe(&b);
		if (got == BUF_READ_TOO_BIG)
			return report(cmd, TQ_EXIT_INVALID, "%s is larger than 1 MiB: it is not a token; "
				      "give the file that holds the JWT", name);
		return report(cmd, TQ_EXIT_IO, "cannot read %s: %s", name, strerror(saved));
	}
	if (b.len != strlen(buf_cstr(&b))) {
		wipe(&b);
		return report(cmd, TQ_EXIT_INVALID, "%s holds a NUL byte: it is not a token", name);
	}
	*jwt = trimmed(buf_cstr(&b), b.len);
	wipe(&b);
	if (!**jwt) {
		free(*jwt);
		*jwt = NULL;
		return report(cmd, TQ_EXIT_INVALID, "%s is empty; give the file that holds the JWT", name);
	}
	return TQ_EXIT_OK;
}

/* A value that looks like an auth token (32 hex digits) is not echoed in
 * an error: it is probably the secret typed where a path belongs. */
static const char *safe_path(const char *path)
{
	size_t n = strlen(path);

	if (n == 32 && strspn(path, "0123456789abcdefABCDEF") == 32)
		return "(the given path, which looks like an auth token: pass a file name)";
	return path;
}

int load_auth_token(const char *cmd, const char *file, char **secret)
{
	*secret = NULL;
	if (file) {
		struct buf b = BUF_INIT;
		enum buf_read got = buf_read_file(&b, file, INPUT_MAX);
		if (got != BUF_READ_OK) {
			int saved = errno;
			wipe(&b);
			if (got == BUF_READ_OPEN)
				return report(cmd, TQ_EXIT_IO, "--auth-token-file: cannot open %s: %s",
					      safe_path(file), strerror(saved));
			if (got == BUF_READ_TOO_BIG)
				return report(cmd, TQ_EXIT_USAGE, "--auth-token-file: %s is larger than 1 MiB; "
					      "put only the auth token in it", safe_path(file));
			return report(cmd, TQ_EXIT_IO, "--auth-token-file: cannot read %s: %s",
				      safe_path(file), strerror(saved));
		}
		/* the first line holds the token */
		const char *s = buf_cstr(&b);
		*secret = trimmed(s, strcspn(s, "\n"));
		wipe(&b);
		if (!**secret) {
			secret_free(secret);
			return report(cmd, TQ_EXIT_USAGE, "--auth-token-file: %s has no auth token on its "
				      "first line; put the account's auth token there", safe_path(file));
		}
		return TQ_EXIT_OK;
	}
	const char *env = getenv("TWILIO_AUTH_TOKEN");
	if (!env)
		return report(cmd, TQ_EXIT_USAGE, "no auth token: set TWILIO_AUTH_TOKEN or pass --auth-token-file FILE");
	*secret = trimmed(env, strlen(env));
	if (!**secret) {
		secret_free(secret);
		return report(cmd, TQ_EXIT_USAGE, "TWILIO_AUTH_TOKEN is empty; set it to the account's auth token "
			      "or pass --auth-token-file FILE");
	}
	return TQ_EXIT_OK;
}

void secret_free(char **secret)
{
	if (!*secret)
		return;
	OPENSSL_cleanse(*secret, strlen(*secret));
	free(*secret);
	*secret = NULL;
}

void format_duration(char *out, size_t n, int64_t secs)
{
	long long s = secs < 0 ? 0 : (long long)secs;

	if (s < 60)
		snprintf(out, n, "%llds", s);
	else if (s < 3600)
		snprintf(out, n, "%lldm", s / 60);
	else if (s < 86400)
		snprintf(out, n, "%lldh %lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(out, n, "%lldd %lldh", s / 86400, s % 86400 / 3600);
}
