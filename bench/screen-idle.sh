#!/bin/sh
# Idle cost of the dashboard (tqtop in an 80x24 tmux pane) at a 2 s
# refresh against tqsim (paused clock, no heartbeats), over 60 s:
#  - CPU time (utime + stime from /proc) and RSS;
#  - its system calls under strace -f -tt, grouped into wake-ups (a gap
#    over 200 ms starts a new one), and the epoll_wait calls: expected, one
#    wake-up a second from the 1 Hz UI clock (the header clock, the ages)
#    plus the refresh ticks (every 2 s, their answers within the same
#    burst), and nothing in between.
# Usage: BUILD=_build/opt sh bench/screen-idle.sh [SECONDS]
# (an optimised build without sanitizers; needs tmux and strace)
. "$(dirname "$0")/engine-lib.sh"
SECS=${1:-60}
command -v tmux >/dev/null || { echo "bench: tmux not installed" >&2; exit 1; }
command -v strace >/dev/null || { echo "bench: strace not installed" >&2; exit 1; }
start_sim --no-heartbeat --paused
TOKEN=$(TWILIO_AUTH_TOKEN=$TWILIO_AUTH_TOKEN "$BUILD/tqtoken" mint --account "$TWILIO_ACCOUNT_SID" \
	--workspace "$TQSIM_WORKSPACE_SID" --queue "$WQ" --allow fetch --ttl 86400)
SOCK="tqbench$$"
tmx() { tmux -L "$SOCK" "$@"; }
cleanup_tmux() { tmx kill-server 2>/dev/null || true; cleanup; }
trap cleanup_tmux EXIT
tmx -f /dev/null new-session -d -x 80 -y 24 \
	"TERM=xterm-256color LC_ALL=C.UTF-8 TQTOP_TOKEN='$TOKEN' exec '$BUILD/tqtop' -d 2 --log /dev/null \
	--api-url $TQSIM_URL --bridge-url $TQSIM_URL"
sleep 3	# start-up is not idle
PID=$(tmx display-message -p '#{pane_pid}')
grep -q tqtop "/proc/$PID/cmdline" || { echo "bench: tqtop did not start" >&2; exit 1; }

read -r _ _ _ _ _ _ _ _ _ _ _ _ _ u0 s0 _ </proc/$PID/stat
timeout -s INT "$SECS" strace -f -tt -p "$PID" -o "$WORK/strace" 2>/dev/null || true
read -r _ _ _ _ _ _ _ _ _ _ _ _ _ u1 s1 _ </proc/$PID/stat
rss=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
hz=$(getconf CLK_TCK)
echo "dashboard, 80x24, -d 2, polling and an idle bridge, $SECS s under strace:"
echo "cpu: $(( (u1 + s1) - (u0 + s0) )) ticks of 1/$hz s" \
     "= $(awk -v t=$(( (u1 + s1) - (u0 + s0) )) -v hz=$hz -v s=$SECS 'BEGIN { printf "%.3f", 100 * t / hz / s }') %" \
     "(strace itself slows every call down)"
echo "rss: $rss KiB"
awk '
	{ split($2, t, ":"); now = t[1] * 3600 + t[2] * 60 + t[3] }
	NR == 1 { start = now }
	{ n++; if (last == "" || now - last > 0.2) bursts++; last = now
	  if ($3 ~ /^epoll_wait/) waits++ }
	END { printf "syscalls: %d in %d wake-ups (%.1f per wake-up, %.2f wake-ups a second), %d epoll_wait\n",
		n, bursts, n / (bursts ? bursts : 1), bursts / (now - start), waits }' "$WORK/strace"
echo "expected: one wake-up a second (the UI clock) + one per refresh = $((SECS + SECS / 2)) at most"
# as strace -c would count them
echo "calls by name:"
awk '{ c = $3; sub(/\(.*/, "", c); if (c ~ /^[a-z_0-9]+$/) print c }' "$WORK/strace" |
	sort | uniq -c | sort -rn | head -12
