#!/bin/sh
# The screen-test harness tested on a stand-in program: pane size, key
# counting, sync, normalisation, the strict diff and exit status.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init harness
tq_run 80 24 "sh '$top_srcdir/tests/e2e/echo-keys.sh' '$E2E_SYNC'; echo \$? >'$E2E_DIR/tqtop.status'; read _"
tq_wait_idle
[ "$(tmx display-message -p -t e2e '#{pane_width}x#{pane_height}')" = 80x24 ] ||
	e2e_fail "pane is not 80x24"
tq_expect harness-start
tq_type "ab"
tq_keys Enter
tq_wait_idle
tq_expect harness-keys

# A screen that differs must fail the comparison.
mkdir -p "$E2E_DIR/wrong"
sed 's/key 2: b/key 2: c/' "$E2E_GOLDEN/harness-keys.screen" >"$E2E_DIR/wrong/harness-keys.screen"
if (E2E_GOLDEN="$E2E_DIR/wrong" UPDATE_GOLDEN= tq_expect harness-keys) 2>/dev/null; then
	e2e_fail "a changed screen compared equal"
fi
# Trailing blank lines count too: a golden one line short fails.
sed '$d' "$E2E_GOLDEN/harness-keys.screen" >"$E2E_DIR/wrong/harness-keys.screen"
if (E2E_GOLDEN="$E2E_DIR/wrong" UPDATE_GOLDEN= tq_expect harness-keys) 2>/dev/null; then
	e2e_fail "a screen with a line less compared equal"
fi

tq_keys q
assert_eq "exit status" 3 "$(tq_wait_exit)"
e2e_pass
