#!/bin/sh
# The status bar through the bridge's life: connected; tqsim drops every
# socket (disconnected, retry in N s) and tqtop reconnects; the token nears
# its end (expires in N s), token.expired with nothing to refresh from
# brings the token prompt (dismissed, T brings it back); a pasted token is
# applied and the prompt goes.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init statusbar
sim_start
# A short-lived token from the environment: no file or command to refresh
# from, so token.expired (5 s before exp) must ask for a new one.
token_mint "$E2E_DIR/short" --allow fetch,update --ttl 12
token_mint "$E2E_DIR/long" --allow fetch,update
TQ_ENV="TQTOP_TOKEN=$(cat "$E2E_DIR/short")"
tq_start 80 24 -d 3600
tq_wait_text "● connected"
tq_wait_text "! token expires in"
tq_wait_idle

# tqsim drops the socket: disconnected with the retry countdown, then back
sim_post /_tqsim/sockets/drop
tq_wait_text "✖ disconnected, retry in"
tq_wait_text "● connected"
tq_wait_idle
tq_expect statusbar-reconnected

# the log pane goes (l): what follows depends on when the old token's
# socket closes, which the status bar shows and the captures must not
tq_keys l
tq_wait_idle

# token.expired: the prompt, with the dashboard still drawn behind it
tq_wait_text "New token"
tq_wait_idle
tq_expect statusbar-token-prompt

# dismissed, it comes back with T (the hints offer it while expired)
tq_keys Escape
tq_wait_gone "New token"
tq_wait_text "T new token"
tq_wait_idle
tq_expect statusbar-token-dismissed
# an expired token permits nothing: edit is refused, not opened
screen_has "e edit (token expired)" || e2e_fail "edit still offered with an expired token"
tq_keys e
tq_wait_text "edit: token expired (T: paste one)"
screen_has "Edit queue" && e2e_fail "the form opened with an expired token"
tq_keys T
tq_wait_text "New token"
tq_wait_idle

# a wrong paste is refused and the prompt stays
tq_type "not-a-token"
tq_keys Enter
tq_wait_idle
tq_wait_text "token:"
tq_expect statusbar-token-refused

# clear it, paste the good one (masked: only its length shows)
tq_keys C-u
tq_type "$(cat "$E2E_DIR/long")"
tq_wait_idle
screen_has "$(head -c 20 "$E2E_DIR/long")" && e2e_fail "the pasted token is on the screen"
tq_keys Enter
tq_wait_gone "New token"
tq_wait_text "token updated"
# tqsim closes the old token's socket at its exp; tqtop comes back with
# the new token
tq_wait_log "bridge: disconnected" 2
tq_wait_text "● connected"
tq_wait_idle
tq_expect statusbar-token-updated

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
