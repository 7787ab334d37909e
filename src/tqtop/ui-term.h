/* ui-term: the terminal under the dashboard: curses on and off, and the
 * terminal given back on every way out.
 *
 * Contract:
 *  - term_open() refuses, with the fix in *err (one line, caller frees), a
 *    stdin or stdout that is not a terminal, an unset TERM, a TERM with no
 *    terminfo entry and one that cannot move the cursor (TERM=dumb); it
 *    then starts curses (Esc acts after 25 ms unless ESCDELAY is set) and
 *    points fd 2 at log_path (or /dev/null) until term_close(): nothing
 *    but the screen reaches the terminal while curses is up.
 *  - The terminal is restored (termios, O_NONBLOCK of the descriptors the
 *    loop polls, the main screen, cursor, keypad, fd 2) by term_close(),
 *    by ui_emergency_restore() (die()'s hook) and by a handler of the
 *    crash signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) that uses
 *    write(2) and tcsetattr() only, then runs term_on_crash()'s fn
 *    (async-signal-safe) and lets the signal go on.
 *  - term_utf8() sets LC_CTYPE from the environment and says whether it
 *    is UTF-8; term_query_size() asks the terminal its size (after
 *    SIGWINCH, which the loop handles, not curses).
 */
#ifndef TQ_UI_TERM_H
#define TQ_UI_TERM_H

#include <stdbool.h>

bool term_open(const char *log_path, char **err);
void term_close(void);
void term_on_crash(void (*fn)(void));
bool term_utf8(void);
void term_query_size(void);
/* Restores the terminal now if curses is up (die()'s hook). */
void ui_emergency_restore(void);

#endif
