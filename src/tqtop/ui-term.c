/* ui-term: the terminal under the dashboard (ui-term.h). */
#include "config.h"
#include "ui-term.h"

#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <curses.h>
#include <term.h>

#include "buf.h"
#include "xalloc.h"

/* Set while curses owns the terminal; read by the crash handler. */
static volatile sig_atomic_t curses_up;
static SCREEN *screen;
static struct termios shell_tio;
static bool have_shell_tio;
/* What endwin() would send, computed while it is safe to ask terminfo, so
 * that a crash handler can restore the terminal with write(2) alone. */
static char *reset_seq;
static size_t reset_len;
static int saved_stderr = -1;
/* The file status flags of the terminal's descriptors: the loop's poll on
 * stdin makes it non-blocking, which would break the user's shell after
 * us (it shares the open file description). */
static int saved_fl[2] = { -1, -1 };

/* More to undo on a crash (term_on_crash()). */
static void (*volatile crash_hook)(void);

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define N_CRASH (sizeof crash_signals / sizeof crash_signals[0])
static struct sigaction crash_old[N_CRASH];

static void restore_stderr(void)
{
	if (saved_stderr >= 0) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
		saved_stderr = -1;
	}
}

static void restore_fd_flags(void)
{
	for (int fd = 0; fd < 2; fd++)
		if (saved_fl[fd] >= 0)
			fcntl(fd, F_SETFL, saved_fl[fd]);
}

static void crash_handler(int sig, siginfo_t *si, void *uc)
{
	size_t i;

	(void)uc;
	if (curses_up) {
		curses_up = 0;
		if (reset_seq) {
			ssize_t r = write(STDOUT_FILENO, reset_seq, reset_len);
			(void)r;
		}
		if (have_shell_tio)
			tcsetattr(STDIN_FILENO, TCSANOW, &shell_tio);
		restore_fd_flags();
		if (saved_stderr >= 0)
			dup2(saved_stderr, STDERR_FILENO);
	}
	if (crash_hook) {
		void (*hook)(void) = crash_hook;

		crash_hook = NULL;
		hook();
	}
	for (i = 0; i < N_CRASH; i++)
		if (crash_signals[i] == sig)
			sigaction(sig, &crash_old[i], NULL);
	/* A fault raised by the CPU happens again when the handler returns,
	 * now under the previous handler (the default, or a sanitizer's);
	 * a signal that was sent is sent again. */
	if (si->si_code <= 0 || sig == SIGABRT)
		raise(sig);
}

static void add_cap(struct buf *b, const char *name)
{
	char *s = tigetstr(name);

	if (s && s != (char *)-1)
		buf_puts(b, s);
}

static void prepare_crash_restore(void)
{
	struct buf b = BUF_INIT;
	struct sigaction sa;

	add_cap(&b, "sgr0");
	add_cap(&b, "cnorm");
	add_cap(&b, "rmkx");
	add_cap(&b, "rmcup");
	reset_len = b.len;
	reset_seq = buf_steal(&b);
	if (!reset_seq)
		reset_seq = xstrdup("");

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_CRASH; i++)
		sigaction(crash_signals[i], &sa, &crash_old[i]);
}

static void remove_crash_restore(void)
{
	for (size_t i = 0; i < N_CRASH; i++)
		sigaction(crash_signals[i], &crash_old[i], NULL);
	XFREE(reset_seq);
	reset_len = 0;
}

void term_on_crash(void (*fn)(void))
{
	crash_hook = fn;
}

void ui_emergency_restore(void)
{
	if (!curses_up)
		return;
	curses_up = 0;
	endwin();
	restore_fd_flags();
	restore_stderr();
}

void term_query_size(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
}

bool term_utf8(void)
{
	const char *cs;

	/* Only the character type: numbers in requests and logs stay in the
	 * C locale whatever LC_ALL says. */
	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void redirect_stderr(const char *log_path)
{
	int fd = -1;

	if (log_path && *log_path && strcmp(log_path, "-") != 0)
		fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* The terminfo entry of term, asked before curses starts: one that does
 * not exist, or one that cannot put the cursor somewhere (TERM=dumb: the
 * dashboard would be garbage), is refused with the fix.  (setupterm()
 * rather than a failing newterm(), which leaks what it had set up.) */
static bool term_usable(const char *term, char **err)
{
	int status = 0;
	char *cup;
	bool ok;

	if (setupterm(term, STDOUT_FILENO, &status) != OK) {
		*err = xasprintf("TERM=%s: this system has no terminfo entry for it; set TERM to one it "
				 "has (TERM=xterm-256color, say) or install ncurses-term, or use -b for "
				 "batch output", term);
		return false;
	}
	cup = tigetstr("cup");
	ok = cup && cup != (char *)-1;
	del_curterm(cur_term);
	if (!ok)
		*err = xasprintf("TERM=%s cannot move the cursor (no 'cup' in its terminfo entry), which "
				 "the dashboard needs; set TERM to your terminal's type "
				 "(TERM=xterm-256color, say) or use -b for batch output", term);
	return ok;
}

bool term_open(const char *log_path, char **err)
{
	const char *term = getenv("TERM");

	if (curses_up) {
		*err = xstrdup("the dashboard is already open");
		return false;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*err = xstrdup("the dashboard needs a terminal on stdin and stdout (use -b for batch output)");
		return false;
	}
	if (!term || !*term) {
		*err = xstrdup("TERM is not set: cannot draw the dashboard (use -b for batch output)");
		return false;
	}
	if (tcgetattr(STDIN_FILENO, &shell_tio) == 0)
		have_shell_tio = true;
	if (!term_usable(term, err))
		return false;
	saved_fl[0] = fcntl(STDIN_FILENO, F_GETFL);
	saved_fl[1] = fcntl(STDOUT_FILENO, F_GETFL);
	/* Esc must act at once; the user's ESCDELAY wins. */
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	screen = newterm(term, stdout, stdin);
	if (!screen) {
		*err = xasprintf("TERM=%s: curses cannot start on this terminal; set TERM to your "
				 "terminal's type (TERM=xterm-256color, say) or use -b for batch output",
				 term);
		return false;
	}
	set_term(screen);
	curses_up = 1;
	redirect_stderr(log_path);
	xalloc_set_fatal_hook(ui_emergency_restore);
	prepare_crash_restore();

	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	curs_set(0);
	leaveok(stdscr, TRUE);
	return true;
}

void term_close(void)
{
	if (curses_up) {
		curses_up = 0;
		endwin();
	}
	restore_fd_flags();
	remove_crash_restore();
	xalloc_set_fatal_hook(NULL);
	restore_stderr();
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
}
