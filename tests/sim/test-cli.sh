#!/bin/sh
# tqsim's command line: --help/--version, usage errors (exit 2), the
# listening line and env-file, credentials from the environment, scenario
# files, --scale, TLS (https and wss), and a clean exit on SIGINT/SIGTERM.
. "$top_srcdir/tests/lib.sh"
tq_tmpdir
TQSIM="$top_builddir/tqsim"
PY=${PYTHON3:-/usr/bin/python3}
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
pids=""
tq_on_exit 'for p in $pids; do kill -9 $p 2>/dev/null; done'

# wait_file FILE: poll (hard timeout 30 s) until FILE exists.
wait_file() {
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ $i -gt 3000 ] && fail "timed out waiting for $1"
		sleep 0.01
	done
}

# start NAME ARGS...: tqsim in the background, env-file $TQ_TMP/NAME.env.
start() {
	name=$1; shift
	"$TQSIM" --listen 127.0.0.1:0 --env-file "$TQ_TMP/$name.env" --log "$TQ_TMP/$name.log" "$@" \
		>"$TQ_TMP/$name.out" 2>"$TQ_TMP/$name.err" &
	pids="$pids $!"
	last_pid=$!
	wait_file "$TQ_TMP/$name.env"
}

# stop PID: SIGTERM (or $2), then exit status 0 (no leaks under ASan).
stop() {
	kill -"${2:-TERM}" "$1"
	rc=0
	wait "$1" || rc=$?
	[ "$rc" = 0 ] || fail "tqsim pid $1 exited with $rc: $(cat "$TQ_TMP"/*.err)"
}

# usage_error EXPECTED-TEXT ARGS...: exit 2 and the text on stderr.
usage_error() {
	want=$1; shift
	rc=0
	"$TQSIM" "$@" >"$TQ_TMP/u.out" 2>"$TQ_TMP/u.err" </dev/null || rc=$?
	assert_eq "exit status of tqsim $*" 2 "$rc"
	assert_contains "stderr of tqsim $*" "$want" "$(cat "$TQ_TMP/u.err")"
}

"$TQSIM" --help >"$TQ_TMP/help" || fail "--help failed"
for opt in --listen --env-file --account --scenario --scale --seed --speed --paused --epoch \
	--warmup --heartbeat --no-heartbeat --tls-cert --tls-key --log --latency --error-rate --drop-every \
	--no-rate-limits; do
	grep -q -- "$opt" "$TQ_TMP/help" || fail "--help does not mention $opt"
done
assert_contains "--version" "tqsim (tqtop) " "$("$TQSIM" --version)"
# The man page documents every option --help lists, and every fault.
sed 's/\\-/-/g' "$top_srcdir/docs/tqsim.1" >"$TQ_TMP/man.txt"
for opt in $(grep -o -- '--[a-z][a-z-]*' "$TQ_TMP/help" | sort -u) TQSIM_AUTH_TOKEN TQSIM_API_KEY \
	TQSIM_API_SECRET latency_ms error_rate error_status throttle retry_after malformed_kind heartbeats \
	drop_every rate_limits /_tqsim/state /_tqsim/sockets/drop /_tqsim/faults/reset task-queue.expression.updated \
	task-queue.updated task-queue.deleted 4001; do
	grep -q -- "$opt" "$TQ_TMP/man.txt" || fail "docs/tqsim.1 does not document $opt"
done

usage_error "unknown option" --bogus
usage_error "--listen" --listen nowhere
usage_error "--scale" --scale 0,5
usage_error "--seed" --seed -3
usage_error "--speed" --speed 0
usage_error "--epoch" --epoch yesterday
usage_error "--account" --account AC123
usage_error "go together" --tls-cert x.pem
usage_error "exclusive" --scale 2,2 --scenario demo
usage_error "unexpected argument" extra
usage_error "latency_ms" --latency -1
usage_error "$TQ_TMP/none.json" --scenario "$TQ_TMP/none.json"
printf '{"activities": [{"name": "A", "available": true}], "workers": [], "queues": [{"name": "Q", "target_workers": "a HAS"}]}' \
	>"$TQ_TMP/bad.json"
usage_error 'queues[0]: target_workers: col ' --scenario "$TQ_TMP/bad.json"
TQSIM_AUTH_TOKEN=short usage_error "TQSIM_AUTH_TOKEN" --listen 127.0.0.1:0
TQSIM_API_KEY=SK1 usage_error "TQSIM_API_KEY" --listen 127.0.0.1:0

# The listening line, the env-file, credentials from the environment.
TQSIM_AUTH_TOKEN=0123456789abcdef0123456789abcdef TQSIM_API_KEY=SKfedcba9876543210fedcba9876543210 \
	TQSIM_API_SECRET=s3cr3t start main --account ACaaaabbbbccccddddeeeeffff00001111 --seed 9
main=$last_pid
out=$(cat "$TQ_TMP/main.out")
case "$out" in
"tqsim: listening on http://127.0.0.1:"[0-9]*) ;;
*) fail "unexpected stdout: $out" ;;
esac
assert_eq "stdout lines" 1 "$(wc -l <"$TQ_TMP/main.out")"
(
	set -a
	. "$TQ_TMP/main.env"
	assert_eq TQSIM_URL "${out#tqsim: listening on }" "$TQSIM_URL"
	assert_eq TWILIO_ACCOUNT_SID ACaaaabbbbccccddddeeeeffff00001111 "$TWILIO_ACCOUNT_SID"
	assert_eq TWILIO_AUTH_TOKEN 0123456789abcdef0123456789abcdef "$TWILIO_AUTH_TOKEN"
	assert_eq TWILIO_API_KEY SKfedcba9876543210fedcba9876543210 "$TWILIO_API_KEY"
	assert_eq TWILIO_API_SECRET s3cr3t "$TWILIO_API_SECRET"
	assert_eq TQSIM_PID "$main" "$TQSIM_PID"
	assert_eq "queue count" 6 "$(echo $TQSIM_QUEUE_SIDS | wc -w)"
	case "$TQSIM_WORKSPACE_SID" in WS????????????????????????????????) ;; *) fail "workspace $TQSIM_WORKSPACE_SID" ;; esac
	code=$(curl -s -o "$TQ_TMP/q.json" -w '%{http_code}' -u "$TWILIO_API_KEY:$TWILIO_API_SECRET" \
		"$TQSIM_URL/v1/Workspaces/$TQSIM_WORKSPACE_SID/TaskQueues")
	assert_eq "GET TaskQueues with the API key" 200 "$code"
	first=$(echo $TQSIM_QUEUE_SIDS | cut -d' ' -f1)
	assert_contains "queue list" "\"sid\":\"$first\"" "$(cat "$TQ_TMP/q.json")"
) || exit 1
grep -q "0123456789abcdef0123456789abcdef\|s3cr3t" "$TQ_TMP/main.log" && fail "a secret reached the log"
# The env-file holds secrets: mode 0600, also when it replaces a 0644 file.
assert_eq "env-file mode" 600 "$(stat -c %a "$TQ_TMP/main.env")"
printf 'stale=1\n' >"$TQ_TMP/old.env"
chmod 644 "$TQ_TMP/old.env"
"$TQSIM" --listen 127.0.0.1:0 --env-file "$TQ_TMP/old.env" --log "$TQ_TMP/old.log" >/dev/null 2>&1 &
pids="$pids $!"
old=$!
i=0
until grep -q TQSIM_URL "$TQ_TMP/old.env"; do
	i=$((i + 1))
	[ $i -gt 3000 ] && fail "timed out waiting for the env-file to be replaced"
	sleep 0.01
done
assert_eq "replaced env-file mode" 600 "$(stat -c %a "$TQ_TMP/old.env")"
stop "$old"

# Another tqsim on the same port fails with exit 1.
port=${out##*:}
rc=0
"$TQSIM" --listen "127.0.0.1:$port" >/dev/null 2>"$TQ_TMP/busy.err" || rc=$?
assert_eq "exit status on a busy port" 1 "$rc"
assert_contains "busy port message" "cannot listen" "$(cat "$TQ_TMP/busy.err")"
rc=0
"$TQSIM" --listen 127.0.0.1:0 --tls-cert "$TQ_TMP/none.pem" --tls-key "$TQ_TMP/none.pem" \
	>/dev/null 2>"$TQ_TMP/tls.err" || rc=$?
assert_eq "exit status with a missing certificate" 1 "$rc"
assert_contains "missing certificate message" "TLS certificate" "$(cat "$TQ_TMP/tls.err")"
rc=0
"$TQSIM" --listen 127.0.0.1:0 --env-file "$TQ_TMP/no/such/dir/env" >/dev/null 2>"$TQ_TMP/envf.err" || rc=$?
assert_eq "exit status when the env-file cannot be written" 1 "$rc"
assert_contains "env-file message" "--env-file" "$(cat "$TQ_TMP/envf.err")"
stop "$main" INT

# Idle means idle: paused, without heartbeats or clients, tqsim arms no
# timer and never wakes up (it used to tick every 100 ms: 20 wake-ups in
# 2 s).  Context switches of all its threads, over 2 s of observation.
ctxt() {
	cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { n += $2 } END { print n + 0 }'
}
if [ -r /proc/self/status ]; then
	start idle --paused --no-heartbeat
	idle=$last_pid
	c0=$(ctxt "$idle")
	sleep 2
	c1=$(ctxt "$idle")
	[ $((c1 - c0)) -le 2 ] || fail "an idle tqsim woke up $((c1 - c0)) times in 2 s"
	stop "$idle"
fi

# A wildcard listen address gives a URL one can connect to: the loopback
# address of its family (not http://0.0.0.0:P).  IPv6 in brackets.
usage_error "brackets" --listen ::1:0
usage_error "[IPV6]:PORT" --listen "[::1]0"
# listen_check NAME ADDR:PORT URL-PREFIX: the env-file's URL, and REST on it.
listen_check() {
	start "$1" --listen "$2" --paused --no-heartbeat
	(
		. "$TQ_TMP/$1.env"
		case "$TQSIM_URL" in "$3"[0-9]*) ;; *) fail "--listen $2: TQSIM_URL=$TQSIM_URL, want $3PORT" ;; esac
		assert_contains "--listen $2: the listening line" "listening on $TQSIM_URL" "$(cat "$TQ_TMP/$1.out")"
		code=$(curl -s -o "$TQ_TMP/$1.json" -w '%{http_code}' -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" \
			"$TQSIM_URL/v1/Workspaces/$TQSIM_WORKSPACE_SID")
		assert_eq "--listen $2: GET the workspace at TQSIM_URL" 200 "$code"
		assert_contains "--listen $2: URLs in bodies" "\"url\":\"$TQSIM_URL/v1/" "$(cat "$TQ_TMP/$1.json")"
	) || exit 1
	stop "$last_pid"
}
listen_check any4 0.0.0.0:0 "http://127.0.0.1:"
if grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
	listen_check any6 "[::]:0" "http://[::1]:"
	listen_check lo6 "[::1]:0" "http://[::1]:"
else
	echo "no IPv6 loopback: the [::] part skipped"
fi

# Generated credentials are fresh per run; the seed fixes the SIDs.
start g1 --seed 4
g1=$last_pid
start g2 --seed 4
g2=$last_pid
t1=$(grep TWILIO_AUTH_TOKEN "$TQ_TMP/g1.env")
t2=$(grep TWILIO_AUTH_TOKEN "$TQ_TMP/g2.env")
[ "$t1" != "$t2" ] || fail "two runs generated the same auth token"
assert_eq "SIDs for the same seed" "$(grep QUEUE_SIDS "$TQ_TMP/g1.env")" "$(grep QUEUE_SIDS "$TQ_TMP/g2.env")"
stop "$g1"
stop "$g2"

# A scenario file and a generated workspace.
start vec --scenario "$FIXTURES/scenarios/vectors.json"
( . "$TQ_TMP/vec.env"; assert_eq "fixed workspace SID" WS0123456789abcdef0123456789abcdef "$TQSIM_WORKSPACE_SID" ) || exit 1
stop "$last_pid"
start scale --scale 20,300 --warmup 5
( . "$TQ_TMP/scale.env"; assert_eq "generated queues" 20 "$(echo $TQSIM_QUEUE_SIDS | wc -w)" ) || exit 1
stop "$last_pid"

# TLS: https REST with absolute https URLs, and wss with a heartbeat.
if ! command -v openssl >/dev/null 2>&1; then
	echo "openssl not found: TLS part skipped"
	exit 0
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$TQ_TMP/key.pem" -out "$TQ_TMP/cert.pem" \
	>/dev/null 2>&1 || fail "openssl could not make a test certificate"
start tls --tls-cert "$TQ_TMP/cert.pem" --tls-key "$TQ_TMP/key.pem" --heartbeat 1
tls=$last_pid
assert_contains "TLS listening line" "listening on https://127.0.0.1:" "$(cat "$TQ_TMP/tls.out")"
(
	. "$TQ_TMP/tls.env"
	body=$(curl -s --cacert "$TQ_TMP/cert.pem" -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN" \
		"$TQSIM_URL/v1/Workspaces/$TQSIM_WORKSPACE_SID")
	assert_contains "https URLs in bodies" "\"url\":\"https://127.0.0.1:" "$body"
	export TQSIM_URL TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TQSIM_WORKSPACE_SID TQSIM_QUEUE_SIDS
	CERT="$TQ_TMP/cert.pem" "$PY" - <<'PYEOF' || exit 1
import os, ssl, websocket
from twilio.jwt.taskrouter.capabilities import TaskQueueCapabilityToken
env = os.environ
q = env["TQSIM_QUEUE_SIDS"].split()[0]
tok = TaskQueueCapabilityToken(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"],
                               env["TQSIM_WORKSPACE_SID"], q).to_jwt()
url = "%s/v1/wschannels/%s/%s?token=%s&closeExistingSessions=false" % (
    env["TQSIM_URL"].replace("https://", "wss://"), env["TWILIO_ACCOUNT_SID"], q, tok)
ws = websocket.create_connection(url, timeout=30, sslopt={"ca_certs": env["CERT"]})
assert ws.recv() == " ", "no heartbeat over wss"
ws.close()
PYEOF
) || exit 1
stop "$tls"
echo "ok"
