/* tqtoken: mint, inspect and verify TaskRouter capability tokens. */
#include "config.h"
#include "tqtoken.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"

static const char usage_text[] =
	"Usage: tqtoken mint --account AC... --workspace WS... --queue WQ...\n"
	"                    [--allow fetch,update,delete,workers] [--ttl SECONDS]\n"
	"                    [--friendly-name NAME] [--auth-token-file FILE]\n"
	"       tqtoken inspect [FILE|-]\n"
	"       tqtoken verify [--auth-token-file FILE] [FILE|-]\n"
	"       tqtoken --help | --version\n"
	"\n"
	"Mint, inspect and verify TaskRouter capability tokens (HS256 JWTs).\n"
	"\n"
	"Commands:\n"
	"  mint      print a new TaskQueue token, signed with the account's auth\n"
	"            token, with the claims and policies of the official helper\n"
	"            libraries' TaskQueue token\n"
	"  inspect   print the header, the claims, the expiry in words and what the\n"
	"            token permits (bridge, fetch, update, delete, workers); never\n"
	"            the signature.  Does not need the auth token\n"
	"  verify    check the signature with the auth token, and the expiry\n"
	"\n"
	"Options:\n"
	"  --account SID          Account SID: AC followed by 32 hex digits\n"
	"  --workspace SID        Workspace SID: WS...\n"
	"  --queue SID            TaskQueue SID: WQ... (the token's channel)\n"
	"  --allow LIST           extra permissions, comma-separated:\n"
	"                           fetch   GET the queue's subresources (statistics)\n"
	"                           update  POST the queue\n"
	"                           delete  DELETE the queue\n"
	"                           workers GET the workspace's Workers list (tqtop's\n"
	"                                   edit form counts the workers a new\n"
	"                                   TargetWorkers matches); not one of the\n"
	"                                   helper libraries' options: it adds a\n"
	"                                   policy after theirs\n"
	"                         without it the token may only use the event bridge\n"
	"                         and GET the queue itself\n"
	"  --ttl SECONDS          lifetime of the token (default 3600)\n"
	"  --friendly-name NAME   default: the queue SID, as twilio-python does\n"
	"  --auth-token-file FILE read the auth token from the first line of FILE\n"
	"  -h, --help             show this help\n"
	"  -V, --version          show the version\n"
	"\n"
	"The auth token comes from TWILIO_AUTH_TOKEN or --auth-token-file, never\n"
	"from the command line (--auth-token is refused: argv is visible to other\n"
	"users and lands in shell history).  Tokens are read from FILE, or from\n"
	"standard input when FILE is - or absent; surrounding whitespace is\n"
	"ignored.\n"
	"\n"
	"Exit status:\n";

void usage_print(FILE *f)
{
	fputs(usage_text, f);
#define X(name, code, text) fprintf(f, "  %d  %s\n", code, text);
	TQTOKEN_EXIT_CODES(X)
#undef X
}

int report(const char *cmd, int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tqtoken%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int report_bad_option(const char *cmd, char **argv, int optind_now, int optopt_now)
{
	const char *arg = optind_now > 0 ? argv[optind_now - 1] : "";

	if (strncmp(arg, "--", 2) == 0)
		return report(cmd, TQ_EXIT_USAGE, "option %.*s is unknown, ambiguous or needs a value; see tqtoken --help",
			      (int)strcspn(arg, "="), arg);
	if (optopt_now > 0 && optopt_now < 128 && optopt_now != '?')
		return report(cmd, TQ_EXIT_USAGE,
			      "option -%c is unknown or needs a value; see tqtoken --help", optopt_now);
	return report(cmd, TQ_EXIT_USAGE, "bad option; see tqtoken --help");
}

/* A secret passed as an option would already be in ps output and shell
 * history; refuse it before anything else, and refuse abbreviations of
 * --auth-token-file so that "--auth-token SECRET" cannot be taken as
 * "--auth-token-file SECRET" by getopt's prefix matching. */
static int refuse_secret_on_argv(int argc, char **argv)
{
	static const char full[] = "auth-token-file";

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0)
			continue;
		size_t n = strcspn(a + 2, "=");
		if (n == strlen("auth-token") && strncmp(a + 2, "auth-token", n) == 0)
			return report(NULL, TQ_EXIT_USAGE,
				      "--auth-token is not accepted: a secret on the command line is "
				      "visible to other users; set TWILIO_AUTH_TOKEN or use --auth-token-file FILE");
		if (n >= 2 && n < sizeof full - 1 && strncmp(a + 2, full, n) == 0)
			return report(NULL, TQ_EXIT_USAGE,
				      "write --auth-token-file in full (it is the only way to pass the auth token besides TWILIO_AUTH_TOKEN)");
	}
	return TQ_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} cmds[] = {
		{ "mint", cmd_mint },
		{ "inspect", cmd_inspect },
		{ "verify", cmd_verify },
	};

	int rc = refuse_secret_on_argv(argc, argv);
	if (rc != TQ_EXIT_OK)
		return rc;
	if (argc < 2) {
		usage_print(stderr);
		return TQ_EXIT_USAGE;
	}
	const char *c = argv[1];
	if (strcmp(c, "-h") == 0 || strcmp(c, "--help") == 0 || strcmp(c, "help") == 0) {
		usage_print(stdout);
		return fflush(stdout) == 0 ? TQ_EXIT_OK : TQ_EXIT_IO;
	}
	if (strcmp(c, "-V") == 0 || strcmp(c, "--version") == 0) {
		printf("tqtoken (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return fflush(stdout) == 0 ? TQ_EXIT_OK : TQ_EXIT_IO;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(c, cmds[i].name) != 0)
			continue;
		rc = cmds[i].run(argc - 1, argv + 1);
		if (fflush(stdout) != 0 || ferror(stdout))
			return report(c, TQ_EXIT_IO, "cannot write to standard output");
		return rc;
	}
	if (c[0] == '-')
		return report(NULL, TQ_EXIT_USAGE, "option %.*s is unknown here; put the command first: "
			      "tqtoken mint|inspect|verify [OPTION]... (see tqtoken --help)",
			      (int)strcspn(c, "="), c);
	return report(NULL, TQ_EXIT_USAGE, "unknown command \"%.40s\"; use mint, inspect or verify (see tqtoken --help)", c);
}
