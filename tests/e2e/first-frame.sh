#!/bin/sh
# The first complete frame after ready, at 80x24 and at 132x43: every pane
# filled from tqsim (fixed seed, paused clock), the bridge connected.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init first-frame
sim_start
token_mint "$E2E_DIR/token" --allow fetch,update
for size in 80x24 132x43; do
	tq_start "${size%x*}" "${size#*x}" --token-file "$E2E_DIR/token" -d 3600
	tq_wait_text "connected"
	tq_wait_idle
	tq_expect "first-$size"
	tq_keys q
	assert_eq "exit status after q" 0 "$(tq_wait_exit)"
	tq_stop
done
e2e_pass
