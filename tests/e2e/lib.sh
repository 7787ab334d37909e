# Screen-test harness (sourced after tests/lib.sh): tqtop in a private
# tmux server at a fixed size, against a tqsim with a fixed seed and a
# paused clock; screens captured with capture-pane, normalised and diffed
# strictly against tests/e2e/golden/NAME.screen.
#
#   e2e_init NAME            scratch dir, fresh HOME, fixed TZ/locale/TERM
#   sim_start [ARGS]         tqsim on a free loopback port; sources its env
#   sim_post PATH [DATA]     POST to tqsim's control endpoint
#   sim_queue FIELD...       the queue's fields as tqsim stores them
#   token_mint FILE [OPTS]   tqtoken mint for the watched queue into FILE
#   tq_start COLS ROWS ARGS  tqtop in the tmux pane
#   tq_start_connected ALLOW ARGS
#                            the usual start: a token allowing ALLOW, tqtop
#                            at 80x24 with it, connected and idle
#   tq_run COLS ROWS CMD     any command in the tmux pane (harness tests)
#   tq_keys KEY...           tmux key names (Enter, Escape, Tab, q ...)
#   tq_type TEXT             literal text
#   tq_wait_idle             until tqtop has handled every key sent and
#                            drawn a frame with nothing in flight
#   tq_wait_text TEXT        until TEXT is on the screen
#   tq_wait_gone TEXT        until TEXT is not on the screen
#   tq_wait_log TEXT N       until tqtop's log file has N lines with TEXT
#   tq_expect NAME [-e]      capture, normalise, diff with the golden
#   tq_resize COLS ROWS      (tq_wait_idle then waits for a frame that size)
#   tq_wait_exit             until tqtop has exited; prints its status
#   tq_assert_restored       after the exit: termios, screen, cursor as before
#   tq_stop                  ends the tmux server (and what runs in it)
#
# Sync: tqtop, with TQTOP_TEST_SYNC=FILE, rewrites FILE after each frame
# as "<frame> idle <keys> <ms> <cols>x<rows>" when nothing is in flight,
# else "<frame> busy ...", keys being the number of keys it has read and
# cols x rows the size the frame was drawn for.  The harness counts the
# keys it sends and the size it set (tq_start, tq_resize), and polls FILE
# (hard timeout E2E_TIMEOUT seconds, default 20); it never sleeps to wait
# for tqtop.
#
# UPDATE_GOLDEN=1 rewrites the goldens instead of comparing.  On failure
# the captures, the diff and both logs stay in tests/e2e/out/NAME/ under
# the build tree and the path is printed.

E2E_TIMEOUT=${E2E_TIMEOUT:-20}
E2E_KEYS=0
E2E_SIZE=

e2e_init() {
	E2E_NAME=$1
	[ -n "${TMUX_BIN:-}" ] && [ -x "$TMUX_BIN" ] || TMUX_BIN=$(command -v tmux || true)
	[ -n "$TMUX_BIN" ] || skip "tmux not found"
	E2E_GOLDEN="$top_srcdir/tests/e2e/golden"
	E2E_DIR="$top_builddir/tests/e2e/out/$E2E_NAME"
	rm -rf "$E2E_DIR"
	mkdir -p "$E2E_DIR/home" "$E2E_DIR/tmux"
	E2E_SYNC="$E2E_DIR/sync"
	E2E_SOCK="tq$$"
	E2E_SIM_PID=""
	E2E_OK=""
	unset TQSIM_URL
	: >"$E2E_SYNC"
	# Everything the screen depends on is fixed here.
	export HOME="$E2E_DIR/home" TZ=UTC LC_ALL=C.UTF-8 TERM=tmux-256color
	export TMUX_TMPDIR="$E2E_DIR/tmux"
	unset XDG_CONFIG_HOME NO_COLOR ESCDELAY TMUX TQTOP_CONFIG TQTOP_TOKEN \
		TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_API_KEY TWILIO_API_SECRET \
		https_proxy HTTPS_PROXY http_proxy HTTP_PROXY all_proxy ALL_PROXY 2>/dev/null || true
	trap 'e2e_cleanup' EXIT
	trap 'exit 1' INT TERM HUP
}

e2e_cleanup() {
	status=$?
	"$TMUX_BIN" -L "$E2E_SOCK" kill-server 2>/dev/null || true
	if [ -n "$E2E_SIM_PID" ]; then
		kill "$E2E_SIM_PID" 2>/dev/null || true
		wait "$E2E_SIM_PID" 2>/dev/null || true
	fi
	if [ "$status" -eq 0 ] && [ -n "$E2E_OK" ]; then
		rm -rf "$E2E_DIR"
	elif [ "$status" -ne 77 ]; then
		echo "e2e: $E2E_NAME failed; captures, diff and logs in $E2E_DIR" >&2
	fi
	exit "$status"
}

# Marks the test as passed (the scratch dir is then removed on exit).
e2e_pass() {
	E2E_OK=1
	exit 0
}

e2e_fail() {
	echo "FAIL: $E2E_NAME: $*" >&2
	exit 1
}

tmx() {
	"$TMUX_BIN" -L "$E2E_SOCK" "$@"
}

# poll_until TIMEOUT-SECONDS WHAT CMD...: runs CMD until it succeeds.
poll_until() {
	limit=$1 what=$2
	shift 2
	# 20 polls a second; the count bounds the wait without a clock.
	n=$((limit * 20))
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		n=$((n - 1))
		sleep 0.05
	done
	e2e_fail "timed out after ${limit}s waiting for $what"
}

# ---- tqsim ---------------------------------------------------------------

# sim_start [extra tqsim args]: fixed seed, fixed epoch, paused clock.
sim_start() {
	sim="$top_builddir/tqsim"
	[ -x "$sim" ] || skip "tqsim not built"
	"$sim" --listen 127.0.0.1:0 --env-file "$E2E_DIR/sim.env" --seed 1 \
		--epoch 2025-01-06T09:00:00Z --paused --log "$E2E_DIR/tqsim.log" "$@" \
		>"$E2E_DIR/tqsim.out" 2>>"$E2E_DIR/tqsim.log" &
	E2E_SIM_PID=$!
	poll_until "$E2E_TIMEOUT" "tqsim to listen" test -s "$E2E_DIR/sim.env"
	set -a
	# shellcheck disable=SC1091
	. "$E2E_DIR/sim.env"
	set +a
	# the demo scenario's second queue, Support L1: tasks wait there
	TQ_QUEUE=$(echo "$TQSIM_QUEUE_SIDS" | cut -d' ' -f2)
	export TQSIM_URL TQ_QUEUE
}

# sim_post PATH [FORM-DATA]: the control endpoint; fails the test on error.
sim_post() {
	curl -sf -X POST -o "$E2E_DIR/control.out" --data "${2:-}" "$TQSIM_URL$1" ||
		e2e_fail "tqsim control $1 ${2:-} failed: $(cat "$E2E_DIR/control.out" 2>/dev/null)"
}

# sim_queue FIELD...: the watched queue's fields as tqsim stores them, one
# line, space-separated (REST with the account's credentials).
sim_queue() {
	curl -sf -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" \
		"$TQSIM_URL/v1/Workspaces/$TQSIM_WORKSPACE_SID/TaskQueues/$TQ_QUEUE" >"$E2E_DIR/queue.json" ||
		e2e_fail "fetching the queue from tqsim"
	"$PYTHON3" -c 'import json,sys; q=json.load(open(sys.argv[1])); print(" ".join(str(q[k]) for k in sys.argv[2:]))' \
		"$E2E_DIR/queue.json" "$@"
}

# token_mint FILE [tqtoken mint options]: a capability token for the watched
# queue, written 0600.
token_mint() {
	file=$1
	shift
	(umask 077 && "$top_builddir/tqtoken" mint --account "$TWILIO_ACCOUNT_SID" \
		--workspace "$TQSIM_WORKSPACE_SID" --queue "$TQ_QUEUE" "$@" >"$file") ||
		e2e_fail "tqtoken mint $* failed"
}

# ---- tqtop in tmux -------------------------------------------------------

# tq_run COLS ROWS COMMAND: runs COMMAND (a shell string) in a fresh pane of
# exactly COLS x ROWS, no tmux status line, pane kept after exit.
tq_run() {
	cols=$1 rows=$2
	shift 2
	E2E_KEYS=0
	# any program may run here: only tq_start knows it writes the size
	E2E_SIZE=
	: >"$E2E_SYNC"
	# one pane per test at a time: a previous run's server goes first
	tq_stop
	tmx -f /dev/null start-server \; \
		set -g status off \; set -g default-terminal tmux-256color \; \
		set -g remain-on-exit on \; set -g history-limit 0 \; \
		new-session -d -s e2e -x "$cols" -y "$rows" "$*" ||
		e2e_fail "tmux new-session failed"
}

# shq WORD: WORD quoted for sh.
shq() {
	printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"
}

# tq_start COLS ROWS [tqtop args]: tqtop against the running tqsim, from a
# launcher script that records tqtop's pid and exit status.  TQ_ENV adds
# NAME=VALUE words to its environment; TQ_CREDENTIALS=1 lets the
# simulator's account credentials through (token mode otherwise).
tq_start() {
	cols=$1 rows=$2
	shift 2
	bin="$top_builddir/tqtop"
	[ -x "$bin" ] || skip "tqtop not built"
	launch="$E2E_DIR/launch.sh"
	{
		echo '#!/bin/sh'
		# ^C reaches the whole foreground group: the launcher must live
		# on to record tqtop's status (a handler, not SIG_IGN, which
		# tqtop would inherit)
		echo "trap : INT"
		if [ "${TQ_CREDENTIALS:-}" != 1 ]; then
			echo 'unset TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_API_KEY TWILIO_API_SECRET'
		fi
		# libwebsockets 4.1 keeps its context tables for good: the
		# engine's suppression (it needs full stacks)
		supp="$top_srcdir/tests/engine/lsan-lws.supp"
		if [ -f "$supp" ]; then
			echo "export LSAN_OPTIONS=$(shq "suppressions=$supp:print_suppressions=0")"
			echo "export ASAN_OPTIONS=$(shq "${ASAN_OPTIONS:-detect_leaks=1}:fast_unwind_on_malloc=0")"
		fi
		echo "export TQTOP_TEST_SYNC=$(shq "$E2E_SYNC")"
		echo "stty -g >$(shq "$E2E_DIR/stty.before")"
		for kv in ${TQ_ENV:-}; do
			echo "export $(shq "$kv")"
		done
		printf 'sh -c %s %s %s --log %s' \
			"'echo \$\$ >\"\$0.pid\"; exec \"\$@\"'" "$(shq "$E2E_DIR/sh")" "$(shq "$bin")" \
			"$(shq "$E2E_DIR/tqtop.log")"
		# pointed at the test's tqsim, when there is one
		if [ -n "${TQSIM_URL:-}" ]; then
			printf ' --api-url %s --bridge-url %s' "$(shq "$TQSIM_URL")" "$(shq "$TQSIM_URL")"
		fi
		for a in "$@"; do
			printf ' %s' "$(shq "$a")"
		done
		printf ' 2>%s\n' "$(shq "$E2E_DIR/tqtop.stderr")"
		echo "status=\$?"
		echo "stty -g >$(shq "$E2E_DIR/stty.after")"
		# O_NONBLOCK left on the terminal breaks the shell that follows
		printf '%s -c %s >%s\n' "$(shq "$PYTHON3")" \
			"'import fcntl, os; print(fcntl.fcntl(0, fcntl.F_GETFL) & os.O_NONBLOCK)'" \
			"$(shq "$E2E_DIR/nonblock.after")"
		echo "echo \$status >$(shq "$E2E_DIR/tqtop.status")"
		# stay: tmux reports a dead pane's cursor as hidden, whatever
		# tqtop left behind
		echo "read _"
	} >"$launch"
	rm -f "$E2E_DIR/tqtop.status" "$E2E_DIR/sh.pid"
	tq_run "$cols" "$rows" "sh $(shq "$launch")"
	E2E_SIZE="${cols}x${rows}"
}

# tq_start_connected ALLOW [tqtop args]: how most screen tests begin: a
# token for the watched queue allowing ALLOW (fetch, update, delete) in
# $E2E_DIR/token, tqtop at 80x24 with it and ARGS, then the bridge
# connected and a frame with nothing in flight.
tq_start_connected() {
	allow=$1
	shift
	token_mint "$E2E_DIR/token" --allow "$allow"
	tq_start 80 24 --token-file "$E2E_DIR/token" "$@"
	tq_wait_text "● connected"
	tq_wait_idle
}

# The pid of the running tqtop.
tq_pid() {
	poll_until "$E2E_TIMEOUT" "tqtop's pid" test -s "$E2E_DIR/sh.pid"
	cat "$E2E_DIR/sh.pid"
}

tq_keys() {
	for k in "$@"; do
		tmx send-keys -t e2e "$k" || e2e_fail "send-keys $k"
		E2E_KEYS=$((E2E_KEYS + 1))
	done
}

tq_type() {
	tmx send-keys -t e2e -l "$1" || e2e_fail "send-keys -l $1"
	E2E_KEYS=$((E2E_KEYS + $(printf %s "$1" | wc -m)))
}

sync_ok() {
	line=$(cat "$E2E_SYNC" 2>/dev/null) || return 1
	set -- $line
	[ "${2:-}" = idle ] && [ "${3:--1}" -ge "$E2E_KEYS" ] &&
		{ [ -z "$E2E_SIZE" ] || [ "${5:-}" = "$E2E_SIZE" ]; }
}

# An idle frame after every key sent, drawn at the size last set.
tq_wait_idle() {
	poll_until "$E2E_TIMEOUT" "an idle ${E2E_SIZE:+$E2E_SIZE }frame after $E2E_KEYS keys (sync: $(cat "$E2E_SYNC"))" sync_ok
}

tq_frame() {
	line=$(cat "$E2E_SYNC" 2>/dev/null)
	echo "${line%% *}"
}

screen_has() {
	tmx capture-pane -p -t e2e | grep -F -q -- "$1"
}

screen_lacks() {
	! screen_has "$1"
}

tq_wait_text() {
	poll_until "$E2E_TIMEOUT" "\"$1\" on the screen" screen_has "$1"
}

tq_wait_gone() {
	poll_until "$E2E_TIMEOUT" "\"$1\" to go from the screen" screen_lacks "$1"
}

log_count_ge() {
	[ "$(grep -c -F -- "$1" "$E2E_DIR/tqtop.log" 2>/dev/null)" -ge "$2" ]
}

# tq_wait_log TEXT COUNT: until tqtop's log (--log) has COUNT lines with TEXT.
tq_wait_log() {
	poll_until "$E2E_TIMEOUT" "$2 log lines with \"$1\"" log_count_ge "$1" "$2"
}

# tq_resize COLS ROWS: the next tq_wait_idle waits for a frame of that size.
tq_resize() {
	tmx resize-window -t e2e -x "$1" -y "$2" || e2e_fail "resize-window $1 $2"
	[ -z "$E2E_SIZE" ] || E2E_SIZE="$1x$2"
}

# True once tqtop has exited (the launcher wrote its status).
tq_exited() {
	test -s "$E2E_DIR/tqtop.status"
}

# After tqtop exited: the terminal is as it found it (termios, main
# screen, cursor shown, keypad off).
tq_assert_restored() {
	cmp -s "$E2E_DIR/stty.before" "$E2E_DIR/stty.after" ||
		e2e_fail "termios not restored: $(cat "$E2E_DIR/stty.before") -> $(cat "$E2E_DIR/stty.after")"
	assert_eq "O_NONBLOCK on the terminal after exit" 0 "$(cat "$E2E_DIR/nonblock.after")"
	# tmux parses what tqtop wrote on its way out in its own time
	poll_until "$E2E_TIMEOUT" "the main screen, a visible cursor and keypad off (now: alternate cursor keypad = $(term_flags))" \
		term_restored
}

term_flags() {
	tmx display-message -p -t e2e '#{alternate_on} #{cursor_flag} #{keypad_flag}'
}

term_restored() {
	[ "$(term_flags)" = "0 1 0" ]
}

pid_gone() {
	! kill -0 "$1" 2>/dev/null
}

# Ends the tmux server and waits until its process is gone (a client that
# comes too early meets the dying server: "server exited unexpectedly").
tq_stop() {
	spid=$(tmx display-message -p '#{pid}' 2>/dev/null) || return 0
	tmx kill-server 2>/dev/null || true
	[ -n "$spid" ] && poll_until "$E2E_TIMEOUT" "the tmux server ($spid) to exit" pid_gone "$spid"
	return 0
}

# Prints tqtop's exit status once it has exited.
tq_wait_exit() {
	poll_until "$E2E_TIMEOUT" "tqtop to exit" tq_exited
	cat "$E2E_DIR/tqtop.status"
}

# The screen as text, clocks and ages normalised, widths kept
# (tests/e2e/normalise.py says how).
e2e_normalise() {
	"$PYTHON3" "$top_srcdir/tests/e2e/normalise.py"
}

# tq_expect NAME [-e]: the screen must equal golden/NAME.screen.
tq_expect() {
	name=$1
	opt=${2:-}
	raw="$E2E_DIR/$name.raw"
	got="$E2E_DIR/$name.screen"
	want="$E2E_GOLDEN/$name.screen"
	# shellcheck disable=SC2086
	tmx capture-pane -p $opt -t e2e >"$raw" || e2e_fail "capture-pane"
	e2e_normalise <"$raw" >"$got"
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$got" "$want"
		echo "e2e: wrote $want"
		return 0
	fi
	[ -f "$want" ] || e2e_fail "no golden $want (run with UPDATE_GOLDEN=1)"
	if ! diff -u "$want" "$got" >"$E2E_DIR/$name.diff"; then
		cat "$E2E_DIR/$name.diff" >&2
		e2e_fail "screen $name differs from the golden"
	fi
}
