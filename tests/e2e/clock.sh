#!/bin/sh
# The clock, the data ages and STALE move on by themselves between
# refreshes: nothing else wakes tqtop here (a refresh every hour, tqsim
# sends no heartbeats, no key is pressed).  Frozen (Z), the clock still
# runs and the data goes STALE; Z again and it is fresh.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init clock
sim_start --no-heartbeat
tq_start_connected fetch,update -d 3600

status_line() {
	tmx capture-pane -p -t e2e | tail -n 1
}
status_has() {
	status_line | grep -E -q -- "$1"
}
first=$(tmx capture-pane -p -t e2e | head -n 1)
header_moved() {
	[ "$(tmx capture-pane -p -t e2e | head -n 1)" != "$first" ]
}
poll_until "$E2E_TIMEOUT" "the header clock to move (header: $first)" header_moved
poll_until "$E2E_TIMEOUT" "the status bar's age to reach 3s (now: $(status_line))" \
	status_has " age [3-9]s"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
tq_stop

# frozen at a one-second refresh: STALE (older than 2 s) comes by itself
tq_start 80 24 --token-file "$E2E_DIR/token" -d 1
tq_wait_text "● connected"
tq_keys Z
tq_wait_text "FROZEN"
poll_until "$E2E_TIMEOUT" "STALE in the status bar while frozen (now: $(status_line))" \
	status_has "FROZEN, ! STALE, age [3-9]s"
tmx capture-pane -p -t e2e | grep -E -q "Real-time ─+ STALE age" ||
	e2e_fail "the real-time pane is not STALE while frozen"
tq_keys Z
tq_wait_gone "FROZEN"
tq_wait_gone "STALE"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
