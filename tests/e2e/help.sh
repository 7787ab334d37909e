#!/bin/sh
# The help overlay ('?'): every binding of the key table, by context;
# scrolls when it does not fit; any other key closes it.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init help
sim_start
token_mint "$E2E_DIR/token" --allow fetch,update
tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600
tq_wait_text "● connected"
tq_wait_idle

tq_keys ?
tq_wait_text "tqtop keys"
tq_wait_idle
tq_expect help
tq_keys PageDown
tq_wait_idle
tq_expect help-scrolled
tq_keys Space
tq_wait_gone "tqtop keys"
tq_wait_idle

# F1 opens it too, and the key that closes it does nothing else
tq_keys F1
tq_wait_text "tqtop keys"
tq_keys q
tq_wait_gone "tqtop keys"
tq_wait_idle
tq_exited && e2e_fail "q closing the help quit tqtop"

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
