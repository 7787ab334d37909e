#!/bin/sh
# Config-file warnings reach the dashboard: the status bar names the
# first (file:line: message, with ~ for HOME), the event log has each,
# the rest of the file applies, and stderr repeats them once the terminal
# is back (nothing is written there while curses is up).  --show-config
# says whether the file was found and read.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init config
sim_start
token_mint "$E2E_DIR/token" --allow fetch,update
mkdir -p "$HOME/.config/tqtop"
printf 'bogus = 1\nwindow = abc\nrefresh = 3600\n' >"$HOME/.config/tqtop/config"
# 132 columns: the messages whole, in the status bar and the event log
tq_start 132 43 --token-file "$E2E_DIR/token"
tq_wait_text "● connected"
tq_wait_idle
tq_expect config-warnings
screen_has "config: ~/.config/tqtop/config:1: unknown setting 'bogus'" ||
	e2e_fail "the status bar does not name the first bad line"
screen_has "every 60m" || e2e_fail "the file's good line (refresh = 3600) did not apply"
screen_has "warn  config: ~/.config/tqtop/config:2: window: expected an integer 1..43200, got 'abc'" ||
	e2e_fail "the event log lacks the second bad line"
tq_wait_log "config: ~/.config/tqtop/config:1: unknown setting 'bogus'" 1
[ -s "$E2E_DIR/tqtop.stderr" ] && e2e_fail "stderr written while curses was up: $(cat "$E2E_DIR/tqtop.stderr")"

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
tq_assert_restored
assert_contains "stderr after the screen" "tqtop: warning: $HOME/.config/tqtop/config:1: unknown setting 'bogus'" \
	"$(cat "$E2E_DIR/tqtop.stderr")"

# --show-config says whether the file was there and what it did
assert_contains "--show-config, file read" \
	"# config file: $HOME/.config/tqtop/config (read: 1 setting, 2 warnings)" \
	"$("$top_builddir/tqtop" --show-config)"
assert_contains "--show-config, no file" \
	"# config file: $E2E_DIR/none (not found: defaults, environment and flags only)" \
	"$(TQTOP_CONFIG="$E2E_DIR/none" "$top_builddir/tqtop" --show-config)"

# --help names the themes --theme takes
assert_contains "--help for --theme" "Built in: default, mono, light, high-contrast; or a theme file" \
	"$("$top_builddir/tqtop" --help)"
e2e_pass
