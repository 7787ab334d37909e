"""Under a 5xx storm a failing server sees fewer requests than a healthy
one, not more: each resource backs off across refreshes (0.5, 1, 2 s
within the first request, then 4, 8, 16, 30 s) while records keep coming
with the error; a 429's Retry-After holds every request even when the
request that got it has no retry left.  Counted with tqsim's
/_tqsim/state and tqtop's --debug log."""

import re
import time

from tqharness import SLOW, Suite, child_env, log_times, poll


def total():
    return sim.state()["requests"]["total"]


with Suite("storms", "--seed", "12", "--paused") as s:
    sim, t = s.sim, s.case
    wq = sim.queues[0]
    qpath = "/v1/Workspaces/%s/TaskQueues/%s" % (sim.ws, wq)
    top = s.top(["-d", "1", "-o", "json", "--debug", "--no-bridge", "--workspace", sim.ws,
                 "--queue", wq] + sim.urls(), child_env(sim.cred_env("key")))
    poll(lambda: len(top.records()) >= 3, SLOW, "three healthy records")

    # --- healthy: three GETs per refresh.
    t0, n0 = time.monotonic(), total()
    poll(lambda: time.monotonic() - t0 >= 6, 10, "6 s")
    healthy = (total() - n0) / (time.monotonic() - t0)
    t.check(2.0 <= healthy <= 4.0, "healthy at -d 1: %.1f requests/s" % healthy)

    # --- 5xx storm for 15 s.
    mark = top.log_lines()
    r0 = len(top.records())
    sim.control("faults", error_rate="1", error_status="503")
    storm_at = time.time()
    t0, n0, q0 = time.monotonic(), total(), sim.state()["requests_by_path"].get(qpath, 0)
    poll(lambda: time.monotonic() - t0 >= 15, 20, "15 s of storm")
    st = sim.state()
    storm = (st["requests"]["total"] - n0) / (time.monotonic() - t0)
    qn = st["requests_by_path"].get(qpath, 0) - q0
    sim.control("faults/reset")
    t.check(storm < healthy / 2, "5xx storm: %.1f requests/s, under half the healthy %.1f/s" % (storm, healthy))
    t.check(qn <= 7, "5xx storm: the queue was asked %d times in 15 s (4 tries, then 2-4 s, 4-8 s ... apart)" % qn)
    lines = top.log_text().splitlines()[mark:]
    gets = [g for g in log_times([l for l in lines if re.search(r"debug api: GET \S+/TaskQueues/%s( \(retry\))?$" % wq, l)])
            if g > storm_at]
    gaps = [b - a for a, b in zip(gets, gets[1:])]
    t.check(len(gaps) >= 4 and all(g >= 2.0 for g in gaps[3:]),
            "5xx storm: queue requests %s s apart: retries, then at least 2 s and growing" %
            ["%.1f" % g for g in gaps])
    t.check(re.search(r"warn  api: queue: .*HTTP 503.*; 4 failures in a row, next try in", "\n".join(lines)),
            "5xx storm: the log says how long the queue backs off")
    recs = top.records()[r0:]
    t.check(len(recs) >= 8 and all(r["queue"]["error"] for r in recs[1:] if r["queue"]["age_ms"] > 2000),
            "5xx storm: records keep coming (%d), with the error and the last good values" % len(recs))
    n1 = len(top.records())
    poll(lambda: any(all(r[k]["error"] is None and r[k]["age_ms"] < 1500
                         for k in ("queue", "realtime", "cumulative")) for r in top.records()[n1:]),
         40, "a good record after the storm")
    t.check(True, "5xx storm: every resource recovers on its own within the 30 s cap")

    # --- 429s with Retry-After: 2 s: more 429s than one request's tries,
    # so the last try of each request gets one too.
    mark = top.log_lines()
    before = sim.state()["requests"]["by_status"].get("429", 0)
    sim.control("faults", throttle="14", retry_after="2")
    poll(lambda: sim.state()["requests"]["by_status"].get("429", 0) - before >= 14, 60, "fourteen 429s")
    sim.control("faults/reset")
    # tqsim counts an answer when it sends it; tqtop logs it on arrival.
    top.wait_log(r"holding every request for", SLOW, count=14, after=mark)
    lines = top.log_text().splitlines()[mark:]
    holds = [(log_times([l])[0], float(re.search(r"for ([0-9.]+) s", l).group(1)))
             for l in lines if "holding every request for" in l]
    gets = log_times([l for l in lines if "debug api: GET " in l])
    early = [(g, h) for g in gets for h in holds if h[0] < g < h[0] + h[1] - 0.06]
    t.check(len(holds) == 14 and all(d >= 1.95 for _, d in holds) and
            all("(Retry-After: 2 s)" in l for l in lines if "holding every request" in l),
            "429: each of the 14 answers held every request for Retry-After (2 s) or the longer "
            "backoff: %s s" % ["%.1f" % d for _, d in holds])
    t.check(not early, "429: no request went during a hold, last tries included (%d early: %s)" %
            (len(early), ["%.2f s after a hold" % (g - h[0]) for g, h in early[:3]]))
    finals = [l for l in lines if re.search(r"api: \w+: .*HTTP 429.*failures? in a row", l)]
    t.check(finals, "429: some requests had no retry left (%d), and still waited" % len(finals))
    t.check(sim.state()["max_in_flight"] <= 3, "no pile-up: at most one request per resource in flight")
    t.check(top.stop() == 0, "clean exit")
