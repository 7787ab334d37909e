#!/bin/sh
# Updates that fail at the service: the form stays open with the typed
# text and the service's code and message, nothing changes in tqsim, and
# the same text goes through once the service takes it.  What the form
# can check itself never reaches the service (edit-invalid.sh), so the
# failures are tqsim's faults: first the write itself refused (400, code
# 20001), then every request answered 500 (code 20500), which hits the
# re-fetch tqtop makes before writing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init edit-rejected
sim_start
tq_start_connected fetch,update -d 3600
before=$(sim_queue friendly_name date_updated)

tq_keys e
tq_wait_text "Edit queue"
tq_keys C-u
tq_type "Équipe de réponse très rapide — Île-de-France, été à Noël"
tq_keys Enter
tq_wait_text "Changes to send"
tq_wait_idle
sim_post /_tqsim/faults "reject_writes=1"
tq_keys Enter
tq_wait_text "20001"
tq_wait_idle
tq_expect edit-rejected
assert_eq "queue in tqsim" "$before" "$(sim_queue friendly_name date_updated)"

tq_keys Enter
tq_wait_text "Changes to send"
tq_wait_idle
sim_post /_tqsim/faults "error_rate=1&error_status=500"
tq_keys Enter
# the refresh retrying beside it races for the status bar: no golden here
tq_wait_text "re-fetching the queue before writing failed: 20500"
screen_has "→ Équipe de réponse très rapide" || e2e_fail "the typed name left the form"
sim_post /_tqsim/faults/reset
assert_eq "queue in tqsim" "$before" "$(sim_queue friendly_name date_updated)"

# the text is still there: sending again needs no retyping
tq_keys Enter
tq_wait_gone "Edit queue"
tq_wait_text "Name         Équipe de r"
tq_wait_idle
assert_eq "name in tqsim" "Équipe de réponse très rapide — Île-de-France, été à Noël" \
	"$(sim_queue friendly_name)"

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
