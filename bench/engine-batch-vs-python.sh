#!/bin/sh
# `tqtop -b -n 1 -o json` against the official Python helper library
# (python3-twilio from Debian) fetching the same three resources (the
# queue, its cumulative statistics with Minutes=15 and SplitByWaitTime,
# and its real-time statistics) from the same tqsim, measured in one
# hyperfine run.  Usage: BUILD=_build/release sh bench/engine-batch-vs-python.sh
. "$(dirname "$0")/engine-lib.sh"
command -v hyperfine >/dev/null || { echo "bench: hyperfine not installed" >&2; exit 1; }
start_sim --paused
PY=/usr/bin/python3
cat >"$WORK/fetch.py" <<'PYEOF'
import json, os, sys
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

BASE = os.environ["TQSIM_URL"]


class ToSim(TwilioHttpClient):
    def request(self, method, url, *a, **kw):
        return super().request(method, url.replace("https://taskrouter.twilio.com", BASE), *a, **kw)


c = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"],
           os.environ["TWILIO_ACCOUNT_SID"], http_client=ToSim())
q = c.taskrouter.v1.workspaces(os.environ["TQSIM_WORKSPACE_SID"]).task_queues(os.environ["WQ"])
queue = q.fetch()
cum = q.cumulative_statistics().fetch(minutes=15, split_by_wait_time="20,60")
rt = q.real_time_statistics().fetch()
json.dump({"queue": queue.friendly_name, "tasks_entered": cum.tasks_entered,
           "total_tasks": rt.total_tasks}, sys.stdout)
print()
PYEOF
export WQ
"$PY" "$WORK/fetch.py"
env -u TWILIO_AUTH_TOKEN "$BUILD/tqtop" -b -n 1 -o json --api-url "$TQSIM_URL" \
	--workspace "$TQSIM_WORKSPACE_SID" --queue "$WQ" | cut -c1-120
hyperfine -N --warmup 3 --runs 30 --export-json "$WORK/h.json" \
	-n tqtop "env -u TWILIO_AUTH_TOKEN $BUILD/tqtop -b -n 1 -o json --api-url $TQSIM_URL --workspace $TQSIM_WORKSPACE_SID --queue $WQ" \
	-n python-twilio "$PY $WORK/fetch.py"
"$PY" -c "
import json; r = json.load(open('$WORK/h.json'))['results']
m = {x['command']: x['mean'] for x in r}
print('tqtop %.1f ms, python-twilio %.1f ms: tqtop is %.1fx faster' % (
    m['tqtop'] * 1e3, m['python-twilio'] * 1e3, m['python-twilio'] / m['tqtop']))"
