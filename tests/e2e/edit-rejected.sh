#!/bin/sh
# An update tqsim rejects: the form stays open with the typed text and
# Twilio's code and message.  The form checks TaskRouter's documented
# limit, 64 characters; tqsim counts the name's bytes, so 61 characters
# with accents (74 bytes) pass the form and tqsim refuses them.  (Should
# tqsim count characters one day, this test needs another refusal.)
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init edit-rejected
sim_start
token_mint "$E2E_DIR/token" --allow fetch,update
tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600
tq_wait_text "● connected"
tq_wait_idle
before=$(sim_queue friendly_name date_updated)

tq_keys e
tq_wait_text "Edit queue"
tq_keys C-u
tq_type "Équipe de réponse très rapide — Île-de-France, été à Noël ééé"
tq_keys Enter
tq_wait_text "Changes to send"
tq_wait_idle
tq_keys Enter
tq_wait_text "20001"
tq_wait_idle
tq_expect edit-rejected
assert_eq "queue in tqsim" "$before" "$(sim_queue friendly_name date_updated)"

# still editable: a shorter name goes through
tq_keys C-u
tq_type "Support EMEA"
tq_keys Enter
tq_wait_text "Changes to send"
tq_wait_idle
tq_keys Enter
tq_wait_gone "Edit queue"
tq_wait_text "Name         Support EMEA"
tq_wait_idle
assert_eq "name in tqsim" "Support EMEA" "$(sim_queue friendly_name)"

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
