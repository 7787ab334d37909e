#!/bin/sh
# bench-sim-realtime.sh [TQSIM]: tqsim's performance figures (issue 3).
#
#  1. RealTimeStatistics over loopback with the demo scenario, driven by
#     wrk from a second process: requests/s and p99 latency, several runs
#     (target: >= 10,000 requests/s with p99 < 5 ms on a 2-core machine).
#     The request log stays on (to a file), as in normal use.
#  2. The engine at --scale 10000,100000: start-up time and RSS, whether it
#     keeps real time at --speed 1 (share of real time spent simulating),
#     and how fast it can go (simulated seconds per real second while
#     stepping 30 simulated minutes as fast as it can); then start-up time
#     and RSS with the default 60-minute warm-up.
#
# Use an optimised build without sanitizers, e.g.
#   mkdir -p _build/rel && cd _build/rel && ../../configure && make tqsim
#   ../../bench/bench-sim-realtime.sh ./tqsim
# Environment: DURATION (s per wrk run, default 10), RUNS (default 3),
# CONNECTIONS (default 16), SCALE (default 10000,100000), REALTIME_S
# (seconds of --speed 1 observation, default 20).  Needs wrk and curl.
# Not part of make check.
set -eu

TQSIM=${1:-./tqsim}
DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-16}
SCALE=${SCALE:-10000,100000}
REALTIME_S=${REALTIME_S:-20}
PY=/usr/bin/python3

command -v wrk >/dev/null || { echo "wrk not found" >&2; exit 2; }
[ -x "$TQSIM" ] || { echo "usage: $0 path/to/tqsim" >&2; exit 2; }
if nm -D "$TQSIM" 2>/dev/null | grep -q __asan_init; then
	echo "warning: $TQSIM is built with AddressSanitizer; figures will be low" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tqsim-bench.XXXXXX")
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

# start NAME ARGS...: tqsim in the background; sets pid, loads its env-file.
start() {
	name=$1; shift
	t0=$(now)
	"$TQSIM" --listen 127.0.0.1:0 --env-file "$tmp/$name.env" --log "$tmp/$name.log" "$@" \
		>"$tmp/$name.out" 2>&1 &
	pid=$!
	i=0
	while [ ! -s "$tmp/$name.env" ]; do
		i=$((i + 1))
		[ $i -gt 6000 ] && { echo "tqsim did not start: $(cat "$tmp/$name.out")" >&2; exit 1; }
		kill -0 "$pid" 2>/dev/null || { echo "tqsim exited: $(cat "$tmp/$name.out")" >&2; exit 1; }
		sleep 0.01
	done
	startup=$(elapsed "$t0" "$(now)")
	# Not exported: 10,000 queue SIDs exceed what execve() passes on.
	. "$tmp/$name.env"
}

stop() {
	kill "$pid"
	wait "$pid" || true
	pid=""
}

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }

state() { curl -s "$TQSIM_URL/_tqsim/state"; }

json() { $PY -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -sr)"

# ---- 1. RealTimeStatistics throughput -----------------------------------
start demo
auth=$(printf '%s:%s' "$TWILIO_ACCOUNT_SID" "$TWILIO_AUTH_TOKEN" | base64 -w0)
q=$(echo "$TQSIM_QUEUE_SIDS" | cut -d' ' -f1)
url="$TQSIM_URL/v1/Workspaces/$TQSIM_WORKSPACE_SID/TaskQueues/$q/RealTimeStatistics"
echo "== RealTimeStatistics, demo scenario: wrk -t1 -c$CONNECTIONS -d${DURATION}s, $RUNS runs"
wrk -t1 -c4 -d1s -H "Authorization: Basic $auth" "$url" >/dev/null	# warm the caches
best_rps=0
for run in $(seq "$RUNS"); do
	wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Basic $auth" "$url" >"$tmp/wrk.txt"
	rps=$(awk '/^Requests\/sec/ { print $2 }' "$tmp/wrk.txt")
	p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.txt")
	errs=$(grep 'Non-2xx\|Socket errors' "$tmp/wrk.txt" | tr -s ' ' || true)
	echo "   run $run: $rps requests/s, p99 $p99${errs:+ ($errs)}"
	best_rps=$(echo "$rps $best_rps" | awk '{ print ($1 > $2) ? $1 : $2 }')
done
state | json 'd["requests"]["by_status"]' | sed 's/^/   status counts: /'
echo "   best: $best_rps requests/s (target >= 10000, p99 < 5ms)"
stop

# ---- 2. the engine at scale --------------------------------------------
echo "== engine at --scale $SCALE"
start scale --scale "$SCALE" --warmup 0
echo "   start-up (launch to env-file, no warm-up): ${startup}s, RSS $(rss_mb) MB"
echo "   $(grep 'warm-up in' "$tmp/scale.log" | sed 's/.*tqsim: //')"
curl -s -X POST -d action=pause "$TQSIM_URL/_tqsim/clock" >/dev/null
t0=$(now)
curl -s -X POST -d action=step -d seconds=1800 "$TQSIM_URL/_tqsim/clock" >"$tmp/step.json"
t1=$(now)
step=$(elapsed "$t0" "$t1")
echo "   stepping 1800 simulated s took ${step}s: $(echo "scale=0; 1800 / $step" | bc) simulated s per real s;" \
	"$(json 'd["engine"]["tasks_live"]' <"$tmp/step.json") live tasks, RSS $(rss_mb) MB"
# Steady state reached: now watch the clock run at --speed 1.
curl -s -X POST -d action=resume "$TQSIM_URL/_tqsim/clock" >/dev/null
state >"$tmp/s0.json"
t0=$(now)
$PY -c "import time; time.sleep($REALTIME_S)"	# observing the running clock, not syncing
state >"$tmp/s1.json"
t1=$(now)
real=$(elapsed "$t0" "$t1")
read -r sim busy events <<EOS
$($PY -c "import json; a=json.load(open('$tmp/s0.json')); b=json.load(open('$tmp/s1.json')); print((b['clock_ms']-a['clock_ms'])/1000, round((b['engine']['busy_ms']-a['engine']['busy_ms'])/1000, 3), b['engine']['events']-a['engine']['events'])")
EOS
echo "   --speed 1 for ${real}s: clock advanced ${sim}s, engine busy ${busy}s ($events events)"
echo "   share of real time spent simulating: $(echo "scale=2; 100 * $busy / $real" | bc)% (keeps real time while < 100%)"
t0=$(now)
curl -s -o /dev/null -w '' -H "Authorization: Basic $(printf '%s:%s' "$TWILIO_ACCOUNT_SID" "$TWILIO_AUTH_TOKEN" | base64 -w0)" \
	"$TQSIM_URL/v1/Workspaces/$TQSIM_WORKSPACE_SID/TaskQueues/Statistics?PageSize=1000&Minutes=30"
echo "   one page of 1000 TaskQueues/Statistics at this scale: $(elapsed "$t0" "$(now)")s"
stop
# The RSS users see depends on the warm-up: the figures above start with
# none; tqsim's default simulates an hour of history before serving.
start scale60 --scale "$SCALE" --paused
echo "   with the default 60-minute warm-up: start-up ${startup}s, RSS $(rss_mb) MB," \
	"history $(state | json 'round(d["engine"]["history"]["bytes"] / 1048576)') MB"
stop
