#!/bin/sh
# The edit form: MaxReservedWorkers and TargetWorkers typed with
# send-keys, the review with old -> new and the matching-worker count,
# the update sent, and tqsim reporting the queue changed (its REST API and
# the screen, fed by the pushed task-queue events).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init edit
sim_start
# account credentials: REST goes direct and may count workers
TQ_CREDENTIALS=1
tq_start 80 24 --workspace "$TQSIM_WORKSPACE_SID" --queue "$TQ_QUEUE" -d 3600
tq_wait_text "● connected"
tq_wait_idle

tq_keys e
tq_wait_text "Edit queue"
tq_wait_idle
tq_expect edit-open

# Friendly name -> Target workers: replace the expression
tq_keys Tab C-u
tq_type 'languages HAS "en" AND level >= 2'
# -> Max reserved: blanks and a leading zero are forgiven; 3 is sent
tq_keys Tab C-u
tq_type ' 03'
tq_keys Enter
tq_wait_text "matches"
tq_wait_idle
tq_expect edit-review

tq_keys Enter
tq_wait_gone "Edit queue"
tq_wait_text "queue updated"
tq_wait_text "Max reserved 3"
tq_wait_text 'languages HAS "en" AND'
# tqsim pushes both changes on the bridge; they race the update's answer,
# so the log pane (in arrival order) goes before the capture
tq_wait_log "bridge: event task-queue.expression.updated" 1
tq_wait_log "bridge: event task-queue.updated" 1
tq_keys l
tq_wait_idle
tq_expect edit-done

# what tqsim stores
assert_eq "queue in tqsim" '3 languages HAS "en" AND level >= 2' \
	"$(sim_queue max_reserved_workers target_workers)"

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
