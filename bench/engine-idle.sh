#!/bin/sh
# Idle cost of tqtop -b at a 2 s refresh against tqsim, over 60 s:
#  - CPU time (utime + stime from /proc) and peak RSS, in a plain run;
#  - system calls, grouped into bursts (a gap over 200 ms starts a new
#    one), in a run under strace -f: idle means one burst per refresh
#    (plus one per heartbeat frame when tqsim sends them) and nothing in
#    between.
# Usage: BUILD=_build/release sh bench/engine-idle.sh [SECONDS]
. "$(dirname "$0")/engine-lib.sh"
SECS=${1:-60}
start_sim --no-heartbeat
ARGS="-b -d 2 -o json --api-url $TQSIM_URL --bridge-url $TQSIM_URL --workspace $TQSIM_WORKSPACE_SID --queue $WQ"

"$BUILD/tqtop" $ARGS >/dev/null 2>&1 &
PID=$!
sleep 3	# start-up (TLS-free, but lws and curl set themselves up) is not idle
read -r _ _ _ _ _ _ _ _ _ _ _ _ _ u0 s0 _ </proc/$PID/stat
sleep "$SECS"
read -r _ _ _ _ _ _ _ _ _ _ _ _ _ u1 s1 _ </proc/$PID/stat
rss=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
anon=$(awk '/RssAnon/ {print $2}' /proc/$PID/status)
file=$(awk '/RssFile/ {print $2}' /proc/$PID/status)
kill -INT $PID; wait $PID || true
hz=$(getconf CLK_TCK)
echo "cpu: $(( (u1 + s1) - (u0 + s0) )) ticks of 1/$hz s in $SECS s" \
     "= $(awk -v t=$(( (u1 + s1) - (u0 + s0) )) -v hz=$hz -v s=$SECS 'BEGIN { printf "%.3f", 100 * t / hz / s }') %"
echo "rss: ${rss} KiB now, ${hwm} KiB peak (${anon} KiB private, ${file} KiB shared-library pages)"

command -v strace >/dev/null || { echo "strace not installed: no syscall count"; exit 0; }
timeout -s INT $((SECS + 3)) strace -f -tt -o "$WORK/strace" "$BUILD/tqtop" $ARGS >/dev/null 2>&1 || true
awk -v skip=3 '
	{ split($2, t, ":"); now = t[1] * 3600 + t[2] * 60 + t[3] }
	NR == 1 { start = now }
	now - start < skip { next }
	{ n++; if (last == "" || now - last > 0.2) bursts++; last = now
	  if ($3 ~ /^epoll_wait/) waits++ }
	END { printf "syscalls after start-up: %d in %d bursts (%.1f per burst), %d epoll_wait\n",
		n, bursts, n / (bursts ? bursts : 1), waits }' "$WORK/strace"
echo "expected bursts: one per refresh = $((SECS / 2))"
