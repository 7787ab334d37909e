#!/bin/sh
# A read-only token (fetch only): edit and delete are shown as not
# permitted, and pressing them says so instead of opening anything.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init readonly
sim_start
tq_start_connected fetch -d 3600
tq_expect readonly
screen_has "e edit (not permitted)" || e2e_fail "edit not shown as not permitted"
screen_has "D delete (not permitted)" || e2e_fail "delete not shown as not permitted"

tq_keys e
tq_wait_idle
tq_wait_text "edit: not permitted by this token"
screen_has "Edit queue" && e2e_fail "the form opened"
tq_keys D
tq_wait_idle
tq_wait_text "delete: not permitted by this token"
screen_has "Delete queue" && e2e_fail "the delete dialog opened"

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
tq_assert_restored
e2e_pass
