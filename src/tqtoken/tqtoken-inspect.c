/* tqtoken inspect and verify: what a token says, permits and whether it
 * was signed with a given auth token.  The signature is never printed. */
#include "config.h"
#include "tqtoken.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "token.h"
#include "xalloc.h"

/* Claim values come from whoever made the token: control characters
 * (C0, DEL, and C1 as UTF-8) become '?' so they cannot drive the
 * terminal. */
static void put_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			putchar('?');
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			putchar('?');
			p++;
		} else {
			putchar(*p);
		}
	}
}

static void put_field(const char *name, const char *value)
{
	if (!value)
		return;
	printf("  %-15s", name);
	put_safe(value);
	putchar('\n');
}

static void put_date(int64_t v)
{
	time_t tt = (time_t)v;
	struct tm tm;
	char s[64];

	if ((int64_t)tt == v && gmtime_r(&tt, &tm) && strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S UTC", &tm))
		printf("%s", s);
	else
		printf("out of range");
}

static void put_time_field(const char *name, bool has, int64_t v)
{
	if (!has)
		return;
	printf("  %-15s%lld  (", name, (long long)v);
	put_date(v);
	printf(")\n");
}

static void put_filter(const char *label, const struct tq_filter *f)
{
	if (f->n == 0)
		return;
	printf("  %s {", label);
	for (size_t i = 0; i < f->n; i++) {
		const struct tq_filter_item *it = &f->items[i];
		if (i)
			fputs(", ", stdout);
		put_safe(it->key);
		if (it->literal) {
			putchar('=');
			put_safe(it->value);
		} else {
			fputs(it->required ? " required" : " optional", stdout);
			if (it->value) {
				putchar('=');
				put_safe(it->value);
			}
		}
	}
	putchar('}');
}

/* The expiry in words; returns the time check so callers can decide the
 * exit status. */
static enum token_time put_expiry(const struct tq_token *t, time_t now)
{
	enum token_time tt = token_check_time(t, now);
	char d[64];

	switch (tt) {
	case TOKEN_TIME_NO_EXP:
		printf("no exp claim: never accepted; mint a token with an expiry\n");
		break;
	case TOKEN_TIME_NOT_YET:
		format_duration(d, sizeof d, t->nbf - (int64_t)now);
		printf("not valid yet: becomes valid in %s (nbf); check the clocks\n", d);
		break;
	case TOKEN_TIME_EXPIRED:
		format_duration(d, sizeof d, -token_seconds_left(t, now));
		printf("expired %s ago\n", d);
		break;
	case TOKEN_TIME_VALID: {
		int64_t left = token_seconds_left(t, now);
		if (left >= 0) {
			format_duration(d, sizeof d, left);
			printf("expires in %s\n", d);
		} else {
			format_duration(d, sizeof d, -left);
			printf("expired %s ago, still accepted within the %ds clock-skew allowance\n",
			       d, TOKEN_CLOCK_SKEW);
		}
		break;
	}
	}
	return tt;
}

static void put_permit(const char *what, bool a, bool b, const char *both, const char *only_a,
		       const char *only_b, const char *none)
{
	printf("  %-8s%s\n", what, a && b ? both : a ? only_a : b ? only_b : none);
}

/* What the token may do, computed with the same rules a server applies
 * to the real URLs tqtop uses. */
static void put_permits(const struct tq_token *t)
{
	char *chan = token_channel_url(t);
	const char *wq = t->taskqueue_sid;

	if (!wq && t->channel && strncmp(t->channel, "WQ", 2) == 0)
		wq = t->channel;
	printf("permits\n");
	if (chan) {
		put_permit("bridge", token_may(t, "GET", chan), token_may(t, "POST", chan),
			   "yes  (websocket and API tunnel on the event bridge)",
			   "partly: websocket only, no API tunnel (POST on the channel)",
			   "partly: API tunnel only, no websocket (GET on the channel)",
			   "no   (no GET/POST policy on the event-bridge channel)");
	} else {
		printf("  %-8sunknown: the token has no account_sid or channel claim\n", "bridge");
	}
	char *q = wq && t->workspace_sid ? token_queue_url(t->workspace_sid, wq) : NULL;
	if (q) {
		char *stats = xasprintf("%s/Statistics", q);
		put_permit("fetch", token_may(t, "GET", q), token_may(t, "GET", stats),
			   "yes  (the queue and its statistics)",
			   "partly: the queue, not its statistics (mint with --allow fetch)",
			   "partly: the statistics, not the queue itself",
			   "no");
		bool up = token_may(t, "POST", q), del = token_may(t, "DELETE", q);
		printf("  %-8s%s\n", "update", up ? "yes  (POST the queue)" : "no");
		printf("  %-8s%s\n", "delete", del ? "yes  (DELETE the queue)" : "no");
		/* --allow workers: tqtop's count of the workers a TargetWorkers
		 * matches (Workers?TargetWorkersExpression=) */
		char *workers = xasprintf("%s/v1/Workspaces/%s/Workers", TASKROUTER_API_BASE,
					  t->workspace_sid);
		printf("  %-8s%s\n", "workers", token_may(t, "GET", workers)
		       ? "yes  (GET the workspace's Workers: tqtop's worker preview)"
		       : "no   (mint with --allow workers for tqtop's worker preview)");
		free(workers);
		free(stats);
		free(q);
	} else {
		printf("  %-8sunknown: the token has no workspace_sid or taskqueue_sid claim "
		       "(not a TaskQueue token)\n", "queue");
	}
	free(chan);
}

static int parse_args(const char *cmd, int argc, char **argv, bool want_file_opt,
		      const char **file, const char **token_path)
{
	static const struct option with_file[] = {
		{ "auth-token-file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", want_file_opt ? with_file : with_file + 1, NULL)) != -1) {
		if (c == 'f') {
			*file = optarg;
		} else if (c == 'h') {
			usage_print(stdout);
			return -1;
		} else {
			/* a lone "-" is not an option: getopt leaves it alone */
			return report_bad_option(cmd, argv, optind, optopt);
		}
	}
	if (argc - optind > 1)
		return report(cmd, TQ_EXIT_USAGE, "one token file at most; got %d arguments", argc - optind);
	*token_path = optind < argc ? argv[optind] : NULL;
	return TQ_EXIT_OK;
}

static struct tq_token *load(const char *cmd, const char *path, int *rc)
{
	char *jwt = NULL, *err = NULL;

	*rc = read_token(cmd, path, &jwt);
	if (*rc != TQ_EXIT_OK)
		return NULL;
	struct tq_token *t = token_decode(jwt, &err);
	free(jwt);
	if (!t) {
		*rc = report(cmd, TQ_EXIT_INVALID, "%s", err);
		free(err);
	}
	return t;
}

int cmd_inspect(int argc, char **argv)
{
	const char *path = NULL, *file = NULL;
	int rc = parse_args("inspect", argc, argv, false, &file, &path);

	if (rc != TQ_EXIT_OK)
		return rc < 0 ? TQ_EXIT_OK : rc;
	struct tq_token *t = load("inspect", path, &rc);
	if (!t)
		return rc;

	time_t now = time(NULL);
	printf("header\n");
	put_field("alg", t->alg);
	put_field("typ", t->typ);
	printf("claims\n");
	put_field("iss", t->iss);
	put_field("account_sid", t->account_sid);
	put_field("workspace_sid", t->workspace_sid);
	put_field("channel", t->channel);
	put_field("taskqueue_sid", t->taskqueue_sid);
	put_field("worker_sid", t->worker_sid);
	put_field("friendly_name", t->friendly_name);
	put_field("version", t->version);
	put_time_field("iat", t->has_iat, t->iat);
	put_time_field("nbf", t->has_nbf, t->nbf);
	put_time_field("exp", t->has_exp, t->exp);
	printf("expiry\n  ");
	enum token_time tt = put_expiry(t, now);
	printf("policies (%zu)\n", t->n_policies);
	for (size_t i = 0; i < t->n_policies; i++) {
		const struct tq_policy *p = &t->policies[i];
		printf("  %-5s ", p->allow ? "allow" : "deny");
		put_safe(p->method);
		printf("%*s ", strlen(p->method) < 6 ? (int)(6 - strlen(p->method)) : 0, "");
		put_safe(p->url);
		put_filter("query_filter", &p->query_filter);
		put_filter("post_filter", &p->post_filter);
		putchar('\n');
	}
	put_permits(t);
	printf("signature\n  not shown: it is a secret; check it with \"tqtoken verify\"\n");
	token_free(&t);
	return tt == TOKEN_TIME_VALID ? TQ_EXIT_OK : TQ_EXIT_INVALID;
}

int cmd_verify(int argc, char **argv)
{
	const char *path = NULL, *file = NULL;
	char *secret = NULL;
	int rc = parse_args("verify", argc, argv, true, &file, &path);

	if (rc != TQ_EXIT_OK)
		return rc < 0 ? TQ_EXIT_OK : rc;
	if ((rc = load_auth_token("verify", file, &secret)) != TQ_EXIT_OK)
		return rc;
	struct tq_token *t = load("verify", path, &rc);
	if (!t) {
		secret_free(&secret);
		return rc;
	}
	bool good = token_verify(t, secret);
	secret_free(&secret);
	if (!good) {
		token_free(&t);
		return report("verify", TQ_EXIT_INVALID, "signature does not match: the token was not signed "
			      "with this auth token, or it was altered; check the account's auth token");
	}
	printf("signature: valid (HS256, signed with this auth token)\nexpiry: ");
	enum token_time tt = put_expiry(t, time(NULL));
	token_free(&t);
	if (tt == TOKEN_TIME_EXPIRED)
		return report("verify", TQ_EXIT_INVALID, "the token has expired; mint a new one");
	if (tt == TOKEN_TIME_NOT_YET)
		return report("verify", TQ_EXIT_INVALID, "the token is not valid yet (nbf); check the clocks");
	if (tt == TOKEN_TIME_NO_EXP)
		return report("verify", TQ_EXIT_INVALID, "the token has no exp claim, so it is never accepted");
	return TQ_EXIT_OK;
}
