#!/bin/sh
# A theme file by name from $XDG_CONFIG_HOME/tqtop/themes: its bad line is
# reported in the event log as file:line: message, the rest of it applies,
# and t cycles on through the built-in themes.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

e2e_init theme
sim_start
token_mint "$E2E_DIR/token" --allow fetch,update
mkdir -p "$HOME/.config/tqtop/themes"
cat >"$HOME/.config/tqtop/themes/mine.theme" <<'THEME'
# everything from the default theme, but a reverse-video header
color header default default reverse underline
color headr red blue
THEME
tq_start 100 30 --token-file "$E2E_DIR/token" -d 3600 --theme mine
tq_wait_text "● connected"
tq_wait_text 'mine.theme:3: unknown element "headr"'
tq_wait_idle
grep -q 'mine.theme:3: unknown element "headr" (tqtop-theme(5) lists them)' "$E2E_DIR/tqtop.log" ||
	e2e_fail "the bad line is not in the log as file:line: message"
# the good line applied: the header is underlined and reversed, in no colour
tmx capture-pane -p -e -t e2e | head -n 1 >"$E2E_DIR/header.raw"
grep -q "$(printf '\033')\\[[0-9;]*4;7m\\|$(printf '\033')\\[[0-9;]*7;4m" "$E2E_DIR/header.raw" ||
	grep -q "$(printf '\033')\\[4m.*$(printf '\033')\\[7m\\|$(printf '\033')\\[7m.*$(printf '\033')\\[4m" "$E2E_DIR/header.raw" ||
	e2e_fail "the header is not reverse and underlined: $(cat -v "$E2E_DIR/header.raw")"

tq_keys t
tq_wait_text "theme default"
tq_keys t
tq_wait_text "theme mono"
tq_keys t t t
tq_wait_text "theme mine"
tq_wait_idle

tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"

# a theme that does not exist: said, and the default theme is used
tq_start 80 24 --token-file "$E2E_DIR/token" -d 3600 --theme nosuch
tq_wait_text "● connected"
tq_wait_idle
# ... naming what would work
grep -q "theme 'nosuch' is not built in, and ~/.config/tqtop/themes/nosuch.theme: No such file or directory (the built-in themes: default, mono, light, high-contrast)" \
	"$E2E_DIR/tqtop.log" || e2e_fail "a missing theme is not reported with the built-in ones: $(grep nosuch "$E2E_DIR/tqtop.log")"
tq_keys q
assert_eq "exit status after q" 0 "$(tq_wait_exit)"
e2e_pass
