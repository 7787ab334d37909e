/* tqtoken: shared pieces of the capability-token tool.
 *
 * Contract: every command returns one of the exit codes below and prints
 * at most one error line on stderr ("tqtoken CMD: what is wrong; the
 * fix").  Secrets (the auth token, a JWT, its signature) are never
 * printed and never taken from argv; the auth token comes from
 * TWILIO_AUTH_TOKEN or --auth-token-file and is wiped after use.
 */
#ifndef TQ_TQTOKEN_H
#define TQ_TQTOKEN_H

#include <stdint.h>
#include <stdio.h>

/* One table feeds the enum, --help and (by hand, checked by a test) the
 * man page's EXIT STATUS section. */
#define TQTOKEN_EXIT_CODES(X) \
	X(TQ_EXIT_OK, 0, "success: the token was minted, is valid, or verified") \
	X(TQ_EXIT_INVALID, 1, "the token is malformed, expired, not yet valid, or its signature does not match") \
	X(TQ_EXIT_USAGE, 2, "usage error: unknown option, bad or missing argument, or no auth token") \
	X(TQ_EXIT_IO, 3, "a file or standard input could not be read, or output could not be written")

enum tq_exit {
#define X(name, code, text) name = code,
	TQTOKEN_EXIT_CODES(X)
#undef X
};

int cmd_mint(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_verify(int argc, char **argv);

void usage_print(FILE *f);
/* Prints "tqtoken CMD: message" on stderr and returns code. */
int report(const char *cmd, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The name of an unknown option from argv, without any "=value" (which
 * could be a secret). */
int report_bad_option(const char *cmd, char **argv, int optind_now, int optopt_now);

/* Reads a token from path ("-" or NULL: stdin) and trims surrounding
 * whitespace.  Returns TQ_EXIT_OK, TQ_EXIT_INVALID (empty, too large) or
 * TQ_EXIT_IO, having reported the error. */
int read_token(const char *cmd, const char *path, char **jwt);
/* The auth token from file (when not NULL) or TWILIO_AUTH_TOKEN.  Returns
 * TQ_EXIT_OK, TQ_EXIT_USAGE (none given) or TQ_EXIT_IO, having reported
 * the error.  Free the result with secret_free(). */
int load_auth_token(const char *cmd, const char *file, char **secret);
void secret_free(char **secret);

/* "7h 59m", "3m", "12s", "2d 4h". */
void format_duration(char *out, size_t n, int64_t secs);

#endif
