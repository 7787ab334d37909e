# Shared by the engine benchmarks (sourced).  BUILD is a build directory
# with tqtop, tqsim and tqtoken; use an optimised build without
# sanitizers (./configure, no --enable-sanitizers) for meaningful numbers.
set -eu
BUILD=${BUILD:-_build/release}
[ -x "$BUILD/tqtop" ] && [ -x "$BUILD/tqsim" ] ||
	{ echo "bench: build tqtop and tqsim in $BUILD first (BUILD=dir)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tqbench.XXXXXX")
SIM_PID=
cleanup() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# start_sim [tqsim args...]: tqsim on a free port; sources its env file.
start_sim() {
	"$BUILD/tqsim" --listen 127.0.0.1:0 --env-file "$WORK/sim.env" --log /dev/null "$@" \
		>"$WORK/sim.out" 2>&1 &
	SIM_PID=$!
	for _ in $(seq 100); do [ -s "$WORK/sim.env" ] && break; sleep 0.1; done
	[ -s "$WORK/sim.env" ] || { echo "bench: tqsim did not start" >&2; exit 1; }
	set -a; . "$WORK/sim.env"; set +a
	WQ=${TQSIM_QUEUE_SIDS%% *}
}
