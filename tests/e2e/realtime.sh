#!/bin/sh
# The real-time pane grows with its data: a workspace with twenty
# activities and a queue with ten priorities (many-activities.json).  At
# 80x24 with the log shown what does not fit ends in "+N more" (never a
# silent cut; the SLA row of the cumulative pane too); without the log,
# and at 132x43, the pane takes the room there is and shows them all.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init realtime
sim_start --scenario "$top_srcdir/tests/e2e/many-activities.json"
token_mint "$E2E_DIR/token" --allow fetch
tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600 --sla 10,20,30,60,90,120,300
tq_wait_text "● connected"
tq_wait_text "Activities"
tq_wait_idle
tq_expect realtime-80x24
screen_has "+13 more" || e2e_fail "no '+13 more' after the activities that do not fit"

tq_keys l
tq_wait_gone "Event log"
tq_wait_idle
tq_expect realtime-80x24-nolog
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
tq_stop

tq_start 132 43 --token-file "$E2E_DIR/token" -d 3600 --sla 10,20,30,60,90,120,300
tq_wait_text "● connected"
tq_wait_text "Activities"
tq_wait_idle
tq_expect realtime-132x43
screen_has "more" && e2e_fail "something cut at 132x43"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
