#!/bin/sh
# tqtop --demo: its own tqsim on a free loopback port with the demo
# scenario, a token minted for it, a live dashboard; tqsim is stopped when
# tqtop exits.  Its env file (the simulator's secrets) is gone once read;
# its temporary directory goes on every way out, a crash included.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init demo
[ -x "$top_builddir/tqsim" ] || skip "tqsim not built"
mkdir -p "$E2E_DIR/tmp"
TQ_ENV="TMPDIR=$E2E_DIR/tmp"
demo_dirs() {
	ls -d "$E2E_DIR"/tmp/tqtop-demo.* 2>/dev/null || true
}
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
# the demo's token may count the workers a new TargetWorkers matches
tq_keys e
tq_wait_text "Edit queue"
tq_keys Tab C-u
tq_type 'languages HAS "en"'
tq_keys Enter
tq_wait_text "matches"
screen_has "not permitted" && e2e_fail "the worker preview is not permitted with the demo's token"
tq_keys Escape Escape
tq_wait_gone "Edit queue"

dir=$(demo_dirs)
[ -n "$dir" ] || e2e_fail "no tqtop-demo.* directory in TMPDIR"
[ -e "$dir/tqsim.env" ] && e2e_fail "tqsim.env (the simulator's secrets) still in $dir"

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
[ -z "$(demo_dirs)" ] || e2e_fail "left behind after q: $(demo_dirs)"
tq_stop

# a crash: the terminal, tqsim and the directory are all taken care of
for sig in SEGV ABRT; do
	tq_start 80 24 --demo -d 1
	tq_wait_text "● connected"
	pid=$(tq_pid)
	sim=$(ps -o pid= --ppid "$pid" | tr -d ' ' | head -n 1)
	[ -n "$sim" ] || e2e_fail "no tqsim child of tqtop $pid"
	kill -"$sig" "$pid"
	status=$(tq_wait_exit)
	[ "$status" -ne 0 ] || e2e_fail "SIG$sig exited 0"
	tq_assert_restored
	poll_until "$E2E_TIMEOUT" "tqsim ($sim) to stop after SIG$sig" pid_gone "$sim"
	[ -z "$(demo_dirs)" ] || e2e_fail "left behind after SIG$sig: $(demo_dirs)"
	tq_stop
done
e2e_pass
