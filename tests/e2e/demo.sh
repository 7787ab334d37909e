#!/bin/sh
# tqtop --demo: its own tqsim on a free loopback port with the demo
# scenario, a token minted for it, a live dashboard; tqsim is stopped when
# tqtop exits.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init demo
[ -x "$top_builddir/tqsim" ] || skip "tqsim not built"
tq_start 80 24 --demo -d 1
tq_wait_text "● connected"
tq_wait_text "Name         Support L1"
tq_wait_text "Tasks      total"
tq_wait_text "e edit  D delete"

pid=$(tq_pid)
sim=$(ps -o pid= --ppid "$pid" | tr -d ' ' | head -n 1)
[ -n "$sim" ] || e2e_fail "no tqsim child of tqtop $pid"
assert_contains "the child" tqsim "$(ps -o args= -p "$sim")"
assert_contains "tqsim's address" "127.0.0.1:0" "$(ps -o args= -p "$sim")"

# live: the header clock and the data ages move on by themselves
first=$(tmx capture-pane -p -t e2e | head -n 1)
changed() {
	[ "$(tmx capture-pane -p -t e2e | head -n 1)" != "$first" ]
}
poll_until "$E2E_TIMEOUT" "the clock to move" changed

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
tq_assert_restored
if kill -0 "$sim" 2>/dev/null; then
	e2e_fail "tqsim ($sim) still runs after tqtop quit"
fi
e2e_pass
