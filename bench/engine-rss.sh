#!/bin/sh
# Resident memory of tqtop -b watching one queue, broken down: anonymous
# memory (private: heap, stacks, library data the loader relocated) against
# file pages (code and read-only data of tqtop and its shared libraries;
# split into pages no other process maps right now and pages shared with
# others), plus PSS (shared pages divided among the processes mapping them).  Three configurations:
#   tqsim      plain http/ws to tqsim (no TLS anywhere)
#   tls        https/wss to tqsim with --ca-file: TLS live on REST and bridge
#   real       an https URL that accepts TCP and never answers, verified
#              against the whole system CA bundle, as the real service is
#              (the TLS contexts are built, the CA store is loaded)
# and the floor: what a 4-line C program's RSS is once libcurl is linked
# (the dynamic loader maps and relocates its 30 dependencies and runs their
# constructors before main) and after curl_global_init().
# Usage: BUILD=_build/release sh bench/engine-rss.sh [SECONDS]
. "$(dirname "$0")/engine-lib.sh"
SECS=${1:-10}

report() {	# report NAME PID
	awk -v name="$1" '
		/^[0-9a-f]+-[0-9a-f]+ / { file = ($6 != "" && $6 !~ /^\[/) }
		/^Rss:/ { rss += $2; if (file) frss += $2 }
		/^Pss:/ { pss += $2 }
		/^Anonymous:/ { anon += $2 }
		/^(Private_Clean|Private_Dirty):/ { if (file) fpriv += $2 }
		END { printf "%-7s VmRSS %5d KiB = anonymous %5d + file pages %5d (mapped by tqtop alone %d, shared with other processes %d); PSS %d KiB\n",
			name, rss, anon, rss - anon, fpriv, rss - anon - fpriv, pss }' "/proc/$2/smaps"
	awk '/^[0-9a-f]+-[0-9a-f]+ / { n = ($6 == "" ? "[anon]" : $6); sub(".*/", "", n) }
	     /^Rss:/ { r[n] += $2 } END { for (k in r) printf "%6d %s\n", r[k], k }' "/proc/$2/smaps" |
		sort -rn | head -8 | awk '{ printf "        %5d KiB %s\n", $1, $2 }'
}

measure() {	# measure NAME tqtop-args...
	name=$1; shift
	env TWILIO_ACCOUNT_SID="$TWILIO_ACCOUNT_SID" TWILIO_AUTH_TOKEN="$TWILIO_AUTH_TOKEN" \
		"$BUILD/tqtop" -b -d 2 -o json --timeout 120 --workspace "$TQSIM_WORKSPACE_SID" \
		--queue "$WQ" "$@" >/dev/null 2>"$WORK/$name.err" &
	pid=$!
	sleep "$SECS"
	kill -0 "$pid" 2>/dev/null || { echo "$name: tqtop exited: $(cat "$WORK/$name.err")"; return; }
	report "$name" "$pid"
	kill -INT "$pid"; wait "$pid" || true
}

start_sim --paused --no-heartbeat
measure tqsim --api-url "$TQSIM_URL" --bridge-url "$TQSIM_URL"
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=

if command -v openssl >/dev/null; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
		-keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
	rm -f "$WORK/sim.env"
	start_sim --paused --no-heartbeat --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem"
	measure tls --api-url "$TQSIM_URL" --bridge-url "$TQSIM_URL" --ca-file "$WORK/cert.pem"
fi

# A listener that takes the connection and says nothing, on an address of
# this machine that is not loopback, so that certificates are verified
# against the system's CA store exactly as for the real service (no
# --ca-file).  Without such an address, --ca-file names the system bundle.
python3 -c '
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    u.connect(("192.0.2.1", 9)); addr = u.getsockname()[0]
except OSError:
    addr = "127.0.0.1"
s = socket.socket(); s.bind((addr, 0)); s.listen(8)
print("%s:%d" % s.getsockname(), flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' >"$WORK/mute.addr" &
MUTE=$!
for _ in $(seq 50); do [ -s "$WORK/mute.addr" ] && break; sleep 0.1; done
MUTE_URL=https://$(cat "$WORK/mute.addr")
case $MUTE_URL in
*//127.*) measure real --api-url "$MUTE_URL" --bridge-url "$MUTE_URL" \
		--ca-file /etc/ssl/certs/ca-certificates.crt ;;
*) measure real --api-url "$MUTE_URL" --bridge-url "$MUTE_URL" ;;
esac
echo "        (real: $MUTE_URL, never answers)"
kill "$MUTE"

cat >"$WORK/floor.c" <<'CEOF'
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
static void rss(const char *when)
{
	char l[128];
	FILE *f = fopen("/proc/self/status", "r");
	while (fgets(l, sizeof l, f))
		if (!strncmp(l, "VmRSS:", 6))
			printf("floor   %-38s %s", when, l + 6);
	fclose(f);
}
int main(void)
{
	rss("libcurl linked, at main():");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rss("after curl_global_init():");
	return 0;
}
CEOF
if cc -O2 -o "$WORK/floor" "$WORK/floor.c" $(pkg-config --cflags --libs libcurl) 2>/dev/null; then
	"$WORK/floor"
	GNUTLS_NO_IMPLICIT_INIT=1 "$WORK/floor" | sed 's/^floor  /floor* /'
	echo "        (floor*: GNUTLS_NO_IMPLICIT_INIT=1, gnutls's load-time init skipped)"
fi
