#!/bin/sh
# bench-sim-memory.sh [TQSIM]: tqsim's memory as the simulated clock runs
# (issue 3: the recorded history must stay bounded).
#
#  1. --scale 10000,100000: RSS and history bytes after 1 and 6 simulated
#     hours, stepped as fast as the engine goes (POST /_tqsim/clock).
#  2. The same with a small --history-mb for 12 simulated hours: the
#     history stays under the cap (the oldest hours are dropped).
#  3. The demo scenario over a simulated week.
#
# Use an optimised build without sanitizers (see bench-sim-realtime.sh).
# Environment: SCALE (default 10000,100000), CAP_MB (default 200).  Not part
# of make check.
set -eu

TQSIM=${1:-./tqsim}
SCALE=${SCALE:-10000,100000}
CAP_MB=${CAP_MB:-200}
PY=/usr/bin/python3

[ -x "$TQSIM" ] || { echo "usage: $0 path/to/tqsim" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl not found" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tqsim-mem.XXXXXX")
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1

start() {
	"$TQSIM" --listen 127.0.0.1:0 --env-file "$tmp/env" --log /dev/null --paused --warmup 0 "$@" \
		>"$tmp/out" 2>&1 &
	pid=$!
	i=0
	while [ ! -s "$tmp/env" ]; do
		i=$((i + 1))
		[ $i -gt 6000 ] && { echo "tqsim did not start: $(cat "$tmp/out")" >&2; exit 1; }
		kill -0 "$pid" 2>/dev/null || { echo "tqsim exited: $(cat "$tmp/out")" >&2; exit 1; }
		sleep 0.01
	done
	. "$tmp/env"
	elapsed=0
	echo "   start: RSS $(rss) MB"
}

stop() {
	kill "$pid"
	wait "$pid" || true
	pid=""
	rm -f "$tmp/env"
}

rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }

# step SECONDS: advance the paused clock; prints RSS and the history state.
step() {
	t0=$(date +%s.%N)
	curl -s -X POST -d action=step -d seconds="$1" "$TQSIM_URL/_tqsim/clock" >"$tmp/step.json"
	t1=$(date +%s.%N)
	elapsed=$((elapsed + $1))
	$PY - "$tmp/step.json" "$elapsed" "$(rss)" "$t0" "$t1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["engine"]
h = d["history"]
print("   after %5.1f simulated h (%.1f s to step): RSS %s MB, history %.1f MB, raw from %s, kept from %s"
      % (int(sys.argv[2]) / 3600, float(sys.argv[5]) - float(sys.argv[4]), sys.argv[3],
         h["bytes"] / 1048576, h["raw_from"], h["kept_from"]))
EOF
}

echo "== --scale $SCALE (default --history-mb)"
start --scale "$SCALE"
step 3600
step 18000
stop

echo "== --scale $SCALE --history-mb $CAP_MB"
start --scale "$SCALE" --history-mb "$CAP_MB"
step 21600
step 21600
stop

echo "== demo scenario, one simulated week"
start
for d in 1 2 3 4 5 6 7; do step 86400; done
stop
