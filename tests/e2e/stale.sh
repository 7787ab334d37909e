#!/bin/sh
# Visibly stale data: when tqsim answers slower than twice the refresh
# interval, the panes say STALE (and dim) and so does the status bar; when
# answers come again, the marks go.  Rate limiting (429 with Retry-After)
# shows in the status bar while tqtop waits.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init stale
sim_start
tq_start_connected fetch,update -d 1
screen_has "STALE" && e2e_fail "STALE with fresh data"

sim_post /_tqsim/faults "latency_ms=4000"
tq_wait_text "! STALE, age"
stale_titles() {
	[ "$(tmx capture-pane -p -t e2e | grep -o -E '─ STALE age [0-9]+[smh]' | wc -l)" -ge 3 ]
}
poll_until "$E2E_TIMEOUT" "three pane titles marked STALE" stale_titles

sim_post /_tqsim/faults/reset
tq_wait_gone "STALE"

sim_post /_tqsim/faults "throttle=6&retry_after=3"
tq_wait_text "! rate-limited, wait"
sim_post /_tqsim/faults/reset
tq_wait_gone "rate-limited"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
