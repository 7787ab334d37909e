#include "config.h"
#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "buf.h"
#include "token.h"
#include "xalloc.h"

struct demo {
	pid_t pid;
	char *dir;
	char *env_path;
	char *log_path;
	char *url;
	char *account_sid;
	char *auth_token;	/* secret */
	char *workspace_sid;
	char *queue_sid;
	char *token;		/* secret */
};

/* The demo running, for demo_crash_cleanup(): a signal handler may only
 * read what is already there. */
static struct demo *volatile running;

static void wipe_free(char **p)
{
	if (*p) {
		explicit_bzero(*p, strlen(*p));
		XFREE(*p);
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* tqsim next to this binary (a build tree, or bindir), else from PATH. */
static char *find_tqsim(const char *argv0)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *dir = NULL;

	if (n > 0) {
		self[n] = '\0';
		dir = xstrdup(self);
	} else if (argv0 && strchr(argv0, '/')) {
		dir = xstrdup(argv0);
	}
	if (dir) {
		char *slash = strrchr(dir, '/');

		if (slash) {
			*slash = '\0';
			char *p = xasprintf("%s/tqsim", dir);
			free(dir);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		} else {
			free(dir);
		}
	}
	return xstrdup("tqsim");
}

/* Parses tqsim's env file: VAR='value' lines (values without quotes in
 * them, as tqsim writes them). */
static bool read_env(struct demo *d, char **err)
{
	FILE *f = fopen(d->env_path, "r");
	char line[1024];

	if (!f) {
		*err = xasprintf("demo: cannot read %s: %s", d->env_path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof line, f)) {
		char *eq = strchr(line, '='), *v, *end;
		char **dst = NULL;

		if (!eq)
			continue;
		*eq = '\0';
		v = eq + 1;
		if (*v == '\'')
			v++;
		end = v + strcspn(v, "'\n");
		*end = '\0';
		if (!strcmp(line, "TQSIM_URL"))
			dst = &d->url;
		else if (!strcmp(line, "TWILIO_ACCOUNT_SID"))
			dst = &d->account_sid;
		else if (!strcmp(line, "TWILIO_AUTH_TOKEN"))
			dst = &d->auth_token;
		else if (!strcmp(line, "TQSIM_WORKSPACE_SID"))
			dst = &d->workspace_sid;
		else if (!strcmp(line, "TQSIM_QUEUE_SIDS")) {
			/* the second queue when there are two or more: in the
			 * demo scenario that is Support L1, where tasks wait */
			char *second = strchr(v, ' ');

			if (second && second[1] && second[1] != ' ')
				v = second + 1;
			v[strcspn(v, " ")] = '\0';
			dst = &d->queue_sid;
		}
		if (dst) {
			wipe_free(dst);
			*dst = xstrdup(v);
		}
	}
	explicit_bzero(line, sizeof line);
	fclose(f);
	if (!d->url || !d->account_sid || !d->auth_token || !d->workspace_sid || !d->queue_sid) {
		*err = xasprintf("demo: %s lacks TQSIM_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, "
				 "TQSIM_WORKSPACE_SID or TQSIM_QUEUE_SIDS", d->env_path);
		return false;
	}
	return true;
}

static _Noreturn void child(const char *tqsim, struct demo *d)
{
	int null = open("/dev/null", O_RDWR);
	int log = open(d->log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	char *argv[] = {
		(char *)tqsim, "--listen", "127.0.0.1:0", "--scenario", "demo",
		"--env-file", d->env_path, "--log", d->log_path, NULL,
	};

	setpgid(0, 0);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	if (log >= 0)
		dup2(log, STDERR_FILENO);
	execvp(tqsim, argv);
	dprintf(STDERR_FILENO, "demo: cannot run %s: %s\n", tqsim, strerror(errno));
	_exit(127);
}

struct demo *demo_start(const char *argv0, char **err)
{
	struct demo *d = xcalloc(1, sizeof *d);
	const char *tmp = getenv("TMPDIR");
	char *tqsim = find_tqsim(argv0);
	struct token_mint_opts mo;
	int64_t deadline;
	int status;

	d->pid = -1;
	d->dir = xasprintf("%s/tqtop-demo.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->dir)) {
		*err = xasprintf("demo: cannot create a directory in %s: %s", tmp && *tmp ? tmp : "/tmp",
				 strerror(errno));
		XFREE(d->dir);
		goto fail;
	}
	d->env_path = xasprintf("%s/tqsim.env", d->dir);
	d->log_path = xasprintf("%s/tqsim.log", d->dir);
	d->pid = fork();
	if (d->pid < 0) {
		*err = xasprintf("demo: fork: %s", strerror(errno));
		goto fail;
	}
	if (d->pid == 0)
		child(tqsim, d);

	deadline = mono_ms() + DEMO_START_TIMEOUT_MS;
	while (access(d->env_path, R_OK) != 0) {
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = -1;
			*err = xasprintf("demo: %s exited before listening (%s %d); its log: %s", tqsim,
					 WIFEXITED(status) ? "status" : "signal",
					 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
					 d->log_path);
			goto fail;
		}
		if (mono_ms() > deadline) {
			*err = xasprintf("demo: %s did not start listening within %d s; its log: %s", tqsim,
					 DEMO_START_TIMEOUT_MS / 1000, d->log_path);
			goto fail;
		}
		sleep_ms(20);
	}
	if (!read_env(d, err))
		goto fail;
	/* it holds the simulator's secrets: gone as soon as they are read */
	unlink(d->env_path);

	memset(&mo, 0, sizeof mo);
	mo.account_sid = d->account_sid;
	mo.workspace_sid = d->workspace_sid;
	mo.taskqueue_sid = d->queue_sid;
	mo.allow_fetch_subresources = true;
	mo.allow_updates = true;
	mo.allow_delete = true;
	/* so that the edit form can count the workers a TargetWorkers matches */
	mo.allow_fetch_workers = true;
	mo.ttl = DEMO_TOKEN_TTL;
	d->token = token_mint(&mo, d->auth_token, err);
	if (!d->token) {
		char *e = *err;

		*err = xasprintf("demo: minting a token: %s", e);
		free(e);
		goto fail;
	}
	free(tqsim);
	running = d;
	return d;
fail:
	free(tqsim);
	demo_stop(&d);
	return NULL;
}

void demo_stop(struct demo **dp)
{
	struct demo *d = *dp;

	if (!d)
		return;
	if (running == d)
		running = NULL;
	if (d->pid > 0) {
		int64_t deadline = mono_ms() + DEMO_STOP_TIMEOUT_MS;
		int status;

		kill(d->pid, SIGTERM);
		while (waitpid(d->pid, &status, WNOHANG) == 0) {
			if (mono_ms() > deadline) {
				kill(d->pid, SIGKILL);
				waitpid(d->pid, &status, 0);
				break;
			}
			sleep_ms(10);
		}
	}
	if (d->dir) {
		unlink(d->env_path);
		unlink(d->log_path);
		rmdir(d->dir);
	}
	free(d->dir);
	free(d->env_path);
	free(d->log_path);
	free(d->url);
	free(d->account_sid);
	wipe_free(&d->auth_token);
	free(d->workspace_sid);
	free(d->queue_sid);
	wipe_free(&d->token);
	free(d);
	*dp = NULL;
}

void demo_crash_cleanup(void)
{
	struct demo *d = running;

	if (!d)
		return;
	running = NULL;
	/* async-signal-safe calls only */
	if (d->pid > 0)
		kill(d->pid, SIGTERM);
	if (d->dir) {
		unlink(d->env_path);
		unlink(d->log_path);
		rmdir(d->dir);
	}
}

const char *demo_url(const struct demo *d) { return d->url; }
const char *demo_account_sid(const struct demo *d) { return d->account_sid; }
const char *demo_workspace_sid(const struct demo *d) { return d->workspace_sid; }
const char *demo_queue_sid(const struct demo *d) { return d->queue_sid; }
const char *demo_token(const struct demo *d) { return d->token; }
const char *demo_log_path(const struct demo *d) { return d->log_path; }
