#!/bin/sh
# Validation before sending: an invalid TargetWorkers stays in the form
# with the parser's error and a caret under its column; MaxReservedWorkers
# out of 1..50, an empty TargetWorkers and a FriendlyName over 64
# characters are refused too; nothing reaches tqsim.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init edit-invalid
sim_start
tq_start_connected fetch,update -d 3600
before=$(sim_queue max_reserved_workers target_workers date_updated)

tq_keys e
tq_wait_text "Edit queue"
tq_keys Tab C-u
tq_type 'skills HAS "support" AND'
tq_keys Enter
tq_wait_idle
tq_wait_text "TargetWorkers col"
tq_expect edit-invalid-target

# the typed text is still there: fix it in place
tq_type ' level >= 3'
tq_keys Tab C-u
tq_type 51
tq_keys Enter
tq_wait_idle
tq_wait_text "MaxReservedWorkers must be"
tq_expect edit-invalid-maxres

tq_keys BTab C-u Enter
tq_wait_idle
tq_wait_text "TargetWorkers must not be empty"

# a FriendlyName longer than TaskRouter's 64 characters is refused here
tq_type '1==1'
tq_keys BTab C-u
tq_type "Support queue for $(printf '%052d' 0)"
tq_keys Enter
tq_wait_idle
tq_wait_text "FriendlyName must be 1 to 64 characters, not 70: shorten it"

# Esc closes the form; no update went out
tq_keys Escape
tq_wait_gone "Edit queue"
tq_wait_idle
assert_eq "queue in tqsim" "$before" "$(sim_queue max_reserved_workers target_workers date_updated)"

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
