#!/bin/sh
# Colour never carries meaning alone, and can be switched off: with
# NO_COLOR set, and with --theme mono, the screen (captured with its
# escapes) has attributes but not one colour; the default theme does use
# colours (so the check can fail).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

# SGR colour parameters: 30-38 and 40-48 (not 39/49, "default colour",
# which tmux writes around everything), 90-97, 100-107
has_colour() {
	grep -q -E "$(printf '\033')\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m" "$1"
}

e2e_init nocolor
sim_start
token_mint "$E2E_DIR/token" --allow fetch,update

run() {
	name=$1
	shift
	tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600 "$@"
	tq_wait_text "connected"
	tq_wait_idle
	tq_expect "$name" -e
}

TQ_ENV="NO_COLOR=1"
run nocolor-env
has_colour "$E2E_DIR/nocolor-env.raw" && e2e_fail "colour escapes with NO_COLOR set"
grep -q "$(printf '\033')\\[[0-9;]*7m" "$E2E_DIR/nocolor-env.raw" ||
	e2e_fail "no reverse video with NO_COLOR: the bars lost their look"
tq_keys q
tq_wait_exit >/dev/null
tq_stop

TQ_ENV=""
run nocolor-mono --theme mono
has_colour "$E2E_DIR/nocolor-mono.raw" && e2e_fail "colour escapes with --theme mono"
tq_keys q
tq_wait_exit >/dev/null
tq_stop

run nocolor-flag --no-color --theme light
has_colour "$E2E_DIR/nocolor-flag.raw" && e2e_fail "colour escapes with --no-color"
tq_keys q
tq_wait_exit >/dev/null
tq_stop

run nocolor-default
has_colour "$E2E_DIR/nocolor-default.raw" || e2e_fail "the default theme shows no colour"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
