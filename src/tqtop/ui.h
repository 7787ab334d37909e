/* ui: tqtop's dashboard (ncursesw), as main.c sees it.
 *
 * Contract:
 *  - ui_main() runs the dashboard for the resolved settings: one loop, the
 *    engine (engine.h) keeping the state up to date, and the screen drawn
 *    from the loop's turn hook.  It returns the exit status: 0 when the
 *    user quit (q, or SIGINT/SIGTERM/SIGHUP), 1 when the engine gave up
 *    (the reason is printed after the terminal is restored), 2 for a
 *    settings or terminal problem (printed likewise).
 *  - demo_main() is `tqtop --demo`: a private tqsim with the demo
 *    scenario (demo.h), a token minted for it, then ui_main()'s dashboard
 *    pointed at it; tqsim is stopped on the way out.
 *  - The terminal is restored on every way out: return, die() (the
 *    xalloc fatal hook), the loop's signals, and crash signals (SIGSEGV,
 *    SIGBUS, SIGFPE, SIGILL, SIGABRT).  While curses is up nothing is
 *    written to the terminal but the screen: fd 2 points at the --log file
 *    (or /dev/null) until the terminal is restored.
 *  - TQTOP_TEST_SYNC=FILE makes the dashboard replace FILE after each frame
 *    with "<frame> idle <keys> <ms> <cols>x<rows>" when nothing is in
 *    flight (no request, no bridge handshake, no token refresh), else
 *    "<frame> busy ..." (keys = keys read so far, ms = when the frame was
 *    written, epoch milliseconds, cols x rows = the size it was drawn
 *    for): the screen tests' sync point and the benchmarks' clock.
 */
#ifndef TQ_UI_H
#define TQ_UI_H

#include "conf.h"

int ui_main(const struct config *cfg);
int demo_main(const struct config *cfg, int argc, char **argv);

#endif
