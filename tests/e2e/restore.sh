#!/bin/sh
# The terminal is given back on every way out: SIGTERM, SIGHUP, ^C
# (SIGINT), a crash (SIGSEGV), and a fatal start-up error, whose message is
# printed after the screen is restored and never while curses is up.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init restore
sim_start
token_mint "$E2E_DIR/token" --allow fetch,update

start() {
	tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600 "$@"
	tq_wait_text "connected"
	tq_wait_idle
}

start
kill -TERM "$(tq_pid)"
assert_eq "exit status after SIGTERM" 0 "$(tq_wait_exit)"
tq_assert_restored
tq_stop

# the terminal hung up (a dropped SSH session): a clean exit too
start
kill -HUP "$(tq_pid)"
assert_eq "exit status after SIGHUP" 0 "$(tq_wait_exit)"
tq_assert_restored
tq_stop

start
tq_keys C-c
assert_eq "exit status after ^C" 0 "$(tq_wait_exit)"
tq_assert_restored
tq_stop

start
kill -SEGV "$(tq_pid)"
status=$(tq_wait_exit)
[ "$status" -ne 0 ] || e2e_fail "a crash exited 0"
tq_assert_restored
tq_stop

# a token file that cannot be read: the reason, on a restored terminal
tq_start 80 24 --token-file "$E2E_DIR/missing-token" -d 3600
status=$(tq_wait_exit)
[ "$status" -ne 0 ] || e2e_fail "a fatal error exited 0"
tq_assert_restored
grep -q "missing-token" "$E2E_DIR/tqtop.stderr" || e2e_fail "no message naming the token file: $(cat "$E2E_DIR/tqtop.stderr")"
e2e_pass
