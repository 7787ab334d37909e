/* tqtoken mint: a TaskQueue capability token like twilio-python's. */
#include "config.h"
#include "tqtoken.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "token.h"

/* Keeps --ttl within what every JWT consumer can hold in 32 bits. */
#define TTL_MAX 2147483647LL

static int parse_allow(const char *list, struct token_mint_opts *o)
{
	const char *p = list;

	for (;;) {
		size_t n = strcspn(p, ",");
		if (n == 5 && strncmp(p, "fetch", 5) == 0)
			o->allow_fetch_subresources = true;
		else if (n == 6 && strncmp(p, "update", 6) == 0)
			o->allow_updates = true;
		else if (n == 6 && strncmp(p, "delete", 6) == 0)
			o->allow_delete = true;
		else if (n == 7 && strncmp(p, "workers", 7) == 0)
			o->allow_fetch_workers = true;
		else
			return report("mint", TQ_EXIT_USAGE,
				      "--allow: unknown permission \"%.*s\"; use fetch, update, delete and/or workers, comma-separated",
				      (int)(n > 40 ? 40 : n), p);
		if (!p[n])
			return TQ_EXIT_OK;
		p += n + 1;
	}
}

static int parse_ttl(const char *s, int64_t *ttl)
{
	char *end;

	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > TTL_MAX)
		return report("mint", TQ_EXIT_USAGE,
			      "--ttl: \"%.40s\" is not a number of seconds from 1 to %lld", s, TTL_MAX);
	*ttl = v;
	return TQ_EXIT_OK;
}

static int check_sid(const char *opt, const char *val, const char *prefix, const char *what)
{
	if (!val)
		return report("mint", TQ_EXIT_USAGE, "%s is required: the %s SID (%s followed by 32 hex digits)",
			      opt, what, prefix);
	if (!sid_valid(val, prefix))
		return report("mint", TQ_EXIT_USAGE, "%s: \"%.40s\" is not a valid %s SID; it must be %s followed by 32 hex digits",
			      opt, val, what, prefix);
	return TQ_EXIT_OK;
}

int cmd_mint(int argc, char **argv)
{
	enum { OPT_ACCOUNT = 256, OPT_WORKSPACE, OPT_QUEUE, OPT_ALLOW, OPT_TTL, OPT_NAME, OPT_FILE };
	static const struct option opts[] = {
		{ "account", required_argument, NULL, OPT_ACCOUNT },
		{ "workspace", required_argument, NULL, OPT_WORKSPACE },
		{ "queue", required_argument, NULL, OPT_QUEUE },
		{ "allow", required_argument, NULL, OPT_ALLOW },
		{ "ttl", required_argument, NULL, OPT_TTL },
		{ "friendly-name", required_argument, NULL, OPT_NAME },
		{ "auth-token-file", required_argument, NULL, OPT_FILE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct token_mint_opts o = { 0 };
	const char *file = NULL;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		rc = TQ_EXIT_OK;
		switch (c) {
		case OPT_ACCOUNT: o.account_sid = optarg; break;
		case OPT_WORKSPACE: o.workspace_sid = optarg; break;
		case OPT_QUEUE: o.taskqueue_sid = optarg; break;
		case OPT_ALLOW: rc = parse_allow(optarg, &o); break;
		case OPT_TTL: rc = parse_ttl(optarg, &o.ttl); break;
		case OPT_NAME: o.friendly_name = optarg; break;
		case OPT_FILE: file = optarg; break;
		case 'h': usage_print(stdout); return TQ_EXIT_OK;
		default: return report_bad_option("mint", argv, optind, optopt);
		}
		if (rc != TQ_EXIT_OK)
			return rc;
	}
	if (optind < argc)
		return report("mint", TQ_EXIT_USAGE, "unexpected argument \"%.40s\"; mint takes options only",
			      argv[optind]);
	if ((rc = check_sid("--account", o.account_sid, "AC", "Account")) != TQ_EXIT_OK ||
	    (rc = check_sid("--workspace", o.workspace_sid, "WS", "Workspace")) != TQ_EXIT_OK ||
	    (rc = check_sid("--queue", o.taskqueue_sid, "WQ", "TaskQueue")) != TQ_EXIT_OK)
		return rc;
	if (o.friendly_name && !*o.friendly_name)
		return report("mint", TQ_EXIT_USAGE, "--friendly-name is empty; leave it out to use the queue SID");

	char *secret = NULL;
	if ((rc = load_auth_token("mint", file, &secret)) != TQ_EXIT_OK)
		return rc;
	char *err = NULL;
	char *jwt = token_mint(&o, secret, &err);
	secret_free(&secret);
	if (!jwt) {
		rc = report("mint", TQ_EXIT_USAGE, "%s", err);
		free(err);
		return rc;
	}
	/* stdout is where the caller asked for the token; nowhere else */
	puts(jwt);
	OPENSSL_cleanse(jwt, strlen(jwt));
	free(jwt);
	return TQ_EXIT_OK;
}
