#!/bin/sh
# Delete, guarded: only with a token that allows DELETE, and only after
# the queue's friendly name is typed exactly.  A wrong name deletes
# nothing; the right one does, tqsim no longer has the queue, and the
# dashboard stays up saying the queue is gone.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init delete
sim_start
tq_start_connected fetch,update,delete -d 3600

tq_keys D
tq_wait_text "Delete queue"
tq_type "support l1"
tq_keys Enter
tq_wait_idle
tq_wait_text "not the queue's friendly name"
tq_expect delete-wrong-name
assert_eq "queue still in tqsim" "Support L1" "$(sim_queue friendly_name)"

tq_keys C-u
tq_type "Support L1"
tq_keys Enter
tq_wait_gone "Delete queue"
tq_wait_text "This queue was deleted."
# tqsim pushes task-queue.deleted, racing the DELETE's answer: both in the
# log file, then the log pane (in arrival order) goes before the capture
tq_wait_log "bridge: event task-queue.deleted" 1
tq_wait_log "deleted" 3
tq_keys l
tq_wait_idle
tq_expect delete-done
status=$(curl -s -o /dev/null -w '%{http_code}' -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" \
	"$TQSIM_URL/v1/Workspaces/$TQSIM_WORKSPACE_SID/TaskQueues/$TQ_QUEUE")
assert_eq "tqsim's answer for the deleted queue" 404 "$status"

# still up, and edit/delete now say why they are unavailable
tq_keys e
tq_wait_idle
tq_wait_text "edit: the queue was deleted"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
tq_assert_restored
e2e_pass
