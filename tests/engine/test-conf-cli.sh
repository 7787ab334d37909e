#!/bin/sh
# Settings end to end: defaults < config file < environment < flags, as
# --show-config reports them; a bad config line is reported as file:line
# and the rest applies; secrets are masked and never accepted on argv.
. "$top_srcdir/tests/lib.sh"
tq_tmpdir
TQTOP="$top_builddir/tqtop"
cfg="$TQ_TMP/config"
cat >"$cfg" <<'CFG'
# tqtop settings
refresh = 5
window = 30
sla = 10,30
region = ie1-ix
window = abc
auth-token = nope
theme = "light"
CFG
unset TWILIO_ACCOUNT_SID TWILIO_API_KEY TWILIO_API_SECRET TQTOP_TOKEN TQTOP_REFRESH TQTOP_SLA \
	TQTOP_WINDOW TQTOP_OUTPUT TQTOP_THEME TQTOP_REGION
out=$(env TQTOP_CONFIG="$cfg" TQTOP_WINDOW=60 TQTOP_SLA=20 TWILIO_AUTH_TOKEN=0123456789abcdef0123456789abcdef \
	"$TQTOP" --show-config --window 240 2>"$TQ_TMP/err") || fail "--show-config failed: $(cat "$TQ_TMP/err")"
line() { printf '%s\n' "$out" | grep "^$1 " | sed 's/  */ /g'; }
assert_eq "file value" "refresh = 5 # $cfg:2" "$(line refresh)"
assert_eq "env over file" "sla = 20 # env TQTOP_SLA" "$(line sla)"
assert_eq "flag over env" "window = 240 # --window" "$(line window)"
assert_eq "default" "output = text # default" "$(line output)"
assert_eq "quoted value" "theme = light # $cfg:8" "$(line theme)"
assert_eq "secret masked" "auth-token = ******** # env TWILIO_AUTH_TOKEN" "$(line auth-token)"
case "$out" in *0123456789abcdef*) fail "--show-config printed the auth token" ;; esac
assert_contains "bad line reported" "# warning: $cfg:6: window: expected an integer 1..43200, got 'abc'" "$out"
assert_contains "secret refused in file" "$cfg:7: 'auth-token' cannot be set in the config file" "$out"

# A bad line warns on stderr in a real run, and the run goes on to its
# next problem (here: no credentials, exit 2).
rc=0
env TQTOP_CONFIG="$cfg" "$TQTOP" -b -n 1 >/dev/null 2>"$TQ_TMP/err" || rc=$?
assert_eq "exit status without credentials" 2 "$rc"
assert_contains "warning on stderr" "tqtop: warning: $cfg:6: window" "$(cat "$TQ_TMP/err")"
assert_contains "then the real error" "tqtop: no credentials" "$(cat "$TQ_TMP/err")"

# Bad flags and environment values are errors (exit 2), one line each.
rc=0; env TQTOP_CONFIG=/dev/null "$TQTOP" --window 0 >/dev/null 2>"$TQ_TMP/err" || rc=$?
assert_eq "bad flag status" 2 "$rc"
assert_eq "bad flag message" "tqtop: window: expected an integer 1..43200, got '0'" "$(cat "$TQ_TMP/err")"
rc=0; env TQTOP_CONFIG=/dev/null TQTOP_OUTPUT=xml "$TQTOP" -b >/dev/null 2>"$TQ_TMP/err" || rc=$?
assert_eq "bad env status" 2 "$rc"
assert_contains "bad env message" "output: expected one of text json tsv, got 'xml'" "$(cat "$TQ_TMP/err")"
rc=0; env TQTOP_CONFIG=/dev/null "$TQTOP" --auth-token x >/dev/null 2>&1 || rc=$?
assert_eq "no secrets on argv" 2 "$rc"
"$TQTOP" --version | grep -q '^tqtop [0-9]' || fail "--version"
"$TQTOP" --help | grep -q -- '--token-cmd COMMAND' || fail "--help lacks --token-cmd"
echo "PASS: settings precedence, warnings, masking"
