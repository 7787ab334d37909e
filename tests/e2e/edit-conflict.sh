#!/bin/sh
# The form re-fetches the queue before writing: when someone else changed
# it since the form opened (date_updated moved), the review comes back
# with the new values and a warning, and only a second Enter sends.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init edit-conflict
sim_start
token_mint "$E2E_DIR/token" --allow fetch,update
tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600 --no-bridge
tq_wait_text "Name         Support L1"
tq_wait_idle

tq_keys e
tq_wait_text "Edit queue"
tq_keys Tab Tab C-u
tq_type 4
tq_keys Enter
tq_wait_text "Changes to send"
tq_wait_idle

# meanwhile, a colleague renames the queue (a second later in tqsim's
# time, so date_updated moves)
sim_post /_tqsim/clock "action=step&seconds=1"
curl -sf -o /dev/null -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" \
	--data-urlencode "FriendlyName=Support Tier 1" \
	"$TQSIM_URL/v1/Workspaces/$TQSIM_WORKSPACE_SID/TaskQueues/$TQ_QUEUE" ||
	e2e_fail "renaming the queue in tqsim"

tq_keys Enter
tq_wait_text "The queue changed since the form opened"
tq_wait_idle
tq_expect edit-conflict
assert_eq "nothing sent yet" "1 Support Tier 1" "$(sim_queue max_reserved_workers friendly_name)"

# the new name was taken in (the field was left alone); Enter sends
tq_keys Enter
tq_wait_gone "Edit queue"
tq_wait_text "Max reserved 4"
tq_wait_idle
assert_eq "queue in tqsim" "4 Support Tier 1" "$(sim_queue max_reserved_workers friendly_name)"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
