#!/bin/sh
# The dashboard's own keys: freeze (Z: FROZEN, no refresh), window (w/W:
# the cumulative title and tqsim's Minutes=), interval (+/-), refresh now
# (r: one more mark in the trends), log (l) and theme (t).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init actions
sim_start
tq_start_connected fetch,update -d 3600

# w: 15 -> 30 minutes; W W: 5 minutes (the golden below shows the
# 5-minute numbers tqsim computed)
tq_keys w
tq_wait_text "Cumulative, last 30m"
tq_wait_idle
tq_keys W
tq_wait_text "Cumulative, last 15m"
tq_wait_idle
tq_keys W
tq_wait_text "Cumulative, last 5m"
tq_wait_idle

# +/-: the refresh interval in the header (3600 s -> 60 s -> 30 s)
tq_keys -
tq_wait_text "every 1m"
tq_keys -
tq_wait_text "every 30s"
tq_keys +
tq_wait_text "every 1m"
tq_keys =
tq_wait_text "every 1m"

# r: a refresh now is one more sample in the trends
tq_keys r
tq_wait_idle
tq_keys Z
tq_wait_text "FROZEN"
tq_wait_idle
tq_expect actions-frozen
tq_keys Z
tq_wait_gone "FROZEN"

# l: the log pane goes and comes back
tq_keys l
tq_wait_gone "Event log"
tq_keys l
tq_wait_text "Event log"

# t: the next theme, said in the status bar
tq_keys t
tq_wait_text "theme mono"
tq_keys t
tq_wait_text "theme light"
tq_wait_idle

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
tq_assert_restored
e2e_pass
