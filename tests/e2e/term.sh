#!/bin/sh
# Terminals the dashboard cannot use are refused at once, with the fix in
# the message, and the terminal is left as it was: a TERM without a
# terminfo entry, and TERM=dumb (no cursor addressing: the dashboard would
# be garbage).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init term
sim_start
token_mint "$E2E_DIR/token" --allow fetch

TQ_ENV="TERM=no-such-terminal"
tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600
assert_eq "exit status for an unknown TERM" 2 "$(tq_wait_exit)"
tq_assert_restored
assert_contains "the message" \
	"tqtop: TERM=no-such-terminal: this system has no terminfo entry for it; set TERM to one it has (TERM=xterm-256color, say) or install ncurses-term" \
	"$(cat "$E2E_DIR/tqtop.stderr")"
tq_stop

TQ_ENV="TERM=dumb"
tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600
assert_eq "exit status for TERM=dumb" 2 "$(tq_wait_exit)"
tq_assert_restored
assert_contains "the message" "tqtop: TERM=dumb cannot move the cursor (no 'cup' in its terminfo entry)" \
	"$(cat "$E2E_DIR/tqtop.stderr")"
# nothing but the message reached the terminal
screen_has "Properties" && e2e_fail "TERM=dumb got a dashboard drawn"
e2e_pass
