#!/bin/sh
# Resizing: below 80x24 the screen says so (and does not crash); back at
# 80x24 the dashboard is whole again; a bigger terminal gets the log at
# the bottom; an open edit form keeps what was typed through it all.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init resize
sim_start
tq_start_connected fetch,update -d 3600

tq_resize 60 20
tq_wait_text "terminal too small: need 80x24, have 60x20"
tq_wait_idle
tq_expect resize-60x20

# only quitting works while too small; other keys do nothing
tq_keys e
tq_wait_idle
screen_has "Edit queue" && e2e_fail "the form opened on a too-small screen"

tq_resize 80 24
tq_wait_gone "terminal too small"
tq_wait_text "● connected"
tq_wait_idle
tq_expect resize-80x24

tq_resize 100 30
tq_wait_idle
tq_wait_text "Event log"
tq_expect resize-100x30

# the edit form keeps exactly what was typed through a too-small screen
tq_resize 80 24
tq_wait_text "● connected"
tq_wait_idle
tq_keys e
tq_wait_text "Edit queue"
tq_keys Tab C-u
tq_type '1==1'
tq_wait_idle
tq_resize 60 20
tq_wait_text "terminal too small: need 80x24, have 60x20"
tq_wait_idle
tq_resize 80 24
tq_wait_gone "terminal too small"
tq_wait_text "Edit queue"
tq_wait_idle
tq_expect resize-form
tq_keys Enter
tq_wait_text "Changes to send"
tq_wait_idle
screen_has "→ 1==1" || e2e_fail "the review does not show the typed TargetWorkers alone"
tq_keys Escape Escape
tq_wait_gone "Edit queue"

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
tq_assert_restored
e2e_pass
