#!/bin/sh
# A locale that is not UTF-8 (and --ascii in a UTF-8 one) draws with
# ASCII only: rules, markers, sparklines, ellipses.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

non_ascii() {
	LC_ALL=C grep -q "$(printf '[\200-\377]')" "$1"
}

e2e_init ascii
sim_start
token_mint "$E2E_DIR/token" --allow fetch,update

TQ_ENV="LC_ALL=C"
tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600
tq_wait_text "* connected"
tq_wait_idle
tq_expect ascii-locale
non_ascii "$E2E_DIR/ascii-locale.raw" && e2e_fail "non-ASCII output in the C locale"
tq_keys q
tq_wait_exit >/dev/null
tq_stop

TQ_ENV=""
tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600 --ascii
tq_wait_text "* connected"
tq_wait_idle
tq_expect ascii-flag
non_ascii "$E2E_DIR/ascii-flag.raw" && e2e_fail "non-ASCII output with --ascii"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
tq_assert_restored
e2e_pass
