#!/bin/sh
# The help overlay ('?'): every binding of the key table, by context;
# scrolls when it does not fit (80x24), not at 132x43; any other key
# closes it.  The edit form at 132x43 too.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init help
sim_start
tq_start_connected fetch,update -d 3600

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
tq_stop

# 132x43: the whole table without scrolling, and the edit form centred
tq_start 132 43 --token-file "$E2E_DIR/token" -d 3600
tq_wait_text "● connected"
tq_wait_idle
tq_keys ?
tq_wait_text "tqtop keys"
tq_wait_idle
tq_expect help-132x43
screen_has "Up/Down scroll" && e2e_fail "the help scrolls at 132x43"
tq_keys Escape
tq_wait_gone "tqtop keys"
tq_keys e
tq_wait_text "Edit queue"
tq_wait_idle
tq_expect edit-open-132x43
tq_keys Escape
tq_wait_gone "Edit queue"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
