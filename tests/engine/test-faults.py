"""tqtop -b survives tqsim's faults and recovers on its own: 5xx and 429
storms (backoff, Retry-After, no pile-up), 5 s latency, malformed and
truncated bodies, dropped sockets, stopped heartbeats (watchdog), and
tqsim killed and restarted (the 1-3-7 s reconnect schedule, ready again)."""

import re
import signal
import time

from tqharness import (Case, Sim, TmpDir, Top, child_env, fail, log_times,
                       need_binaries, poll)

need_binaries()
tmp = TmpDir()
sim = Sim(tmp, "--seed", "11", "--heartbeat", "1")
t = Case("faults")
top = None


def delays(lines):
    return [float(m.group(1)) for l in lines for m in [re.search(r" in ([0-9.]+) s", l)] if m]


def state_ok(st):
    # three polled calls and the ready request at most: never a pile-up
    return st["max_in_flight"] <= 4


try:
    wq = sim.queues[0]
    env = child_env({"TQTOP_TOKEN": sim.mint(wq, "fetch", ttl=3600)})
    top = Top(tmp, ["-d", "1", "-o", "json", "--debug", "--watchdog", "3"] + sim.urls(), env)
    top.wait_log(r"bridge: ready", 30)
    top.wait_log(r"api: GET .*RealTimeStatistics", 10)

    # --- a pushed event: tqsim announces an update on the queue's channel.
    mark = top.log_lines()
    sim.rest("/v1/Workspaces/%s/TaskQueues/%s" % (sim.ws, wq), "POST", {"FriendlyName": "Pushed name"})
    top.wait_log(r"bridge: event task-queue\.updated", 10, after=mark)
    hit = top.wait_log(r"bridge: frame .*Pushed name", 10, after=mark)
    t.check(True, "push: task-queue.updated arrives on the socket (frames logged with --debug)")

    # --- 5xx storm: capped exponential backoff with jitter, then recovery.
    mark = top.log_lines()
    sim.control("faults", error_rate="1", error_status="503")
    hits = top.wait_log(r"api: queue: .*HTTP 503.*; retry 3/3 in", 30, after=mark)
    retries = [l for l in top.log_text().splitlines()[mark:] if re.search(r"api: queue: .*; retry", l)][:3]
    d = delays(retries)
    t.check(len(d) == 3 and 0.25 <= d[0] <= 0.5 and 0.5 <= d[1] <= 1.0 and 1.0 <= d[2] <= 2.0,
            "5xx: GET retried after %s s (equal-jitter backoff 0.5, 1, 2 s)" % d)
    top.wait_log(r"warn  api: queue: .*HTTP 503", 30, after=mark)
    t.check(state_ok(sim.state()), "5xx: at most one request per resource in flight")
    sim.control("faults/reset")
    n0 = len(top.records())
    poll(lambda: any(r["queue"]["error"] is None for r in top.records()[n0:]), 20,
         "a good record after the 5xx storm")
    t.check(True, "5xx: recovers on its own once tqsim answers again")

    # --- 429 storm with Retry-After: everything holds, nothing piles up.
    mark = top.log_lines()
    sim.control("faults", throttle="5", retry_after="2")
    top.wait_log(r"rate limited .*holding every request for 2\.\d s \(Retry-After: 2 s\)", 20, after=mark)
    top.wait_log(r"no longer rate limited", 20, after=mark)
    lines = top.log_text().splitlines()[mark:]
    first = next(i for i, l in enumerate(lines) if "holding every request" in l)
    hold_at = log_times([lines[first]])[0]
    sent = [log_times([l])[0] for l in lines[first + 1:] if "via the tunnel" in l]
    t.check(sent and sent[0] - hold_at >= 1.9,
            "429: the next request waited out Retry-After (%.2f s)" % (sent[0] - hold_at if sent else -1))
    t.check(state_ok(sim.state()), "429: no pile-up")
    sim.control("faults/reset")

    # --- 5 s latency at a 1 s refresh: ticks skip what is still out.
    mark = top.log_lines()
    sim.control("faults", latency_ms="5000")
    top.wait_log(r"tick: refresh \d+ still waits for \d+ answers?; skipped", 15, count=3, after=mark)
    top.wait_log(r"api: GET .*RealTimeStatistics", 20, count=2, after=mark)
    st = sim.state()
    t.check(state_ok(st), "latency: max_in_flight %d, never more than one per resource" % st["max_in_flight"])
    sim.control("faults/reset")
    n0 = len(top.records())
    poll(lambda: any(r["realtime"]["age_ms"] is not None and r["realtime"]["age_ms"] < 1500
                     for r in top.records()[n0:]), 30, "fresh records after the latency")
    t.check(True, "latency: fresh data again once tqsim is fast")

    # --- malformed and truncated bodies: a clear error, a retry, no crash.
    for kind in ("truncate", "garbage"):
        mark = top.log_lines()
        sim.control("faults", malformed="2", malformed_kind=kind)
        hit = top.wait_log(r"api: \w+: tunnel answer: .*\(HTTP 200\)", 20, after=mark)
        t.check(True, "malformed (%s): '%s'" % (kind, hit[0].split("  api: ")[-1][:100]))
        sim.control("faults/reset")
        n0 = len(top.records())
        poll(lambda: any(r["queue"]["error"] is None and r["realtime"]["error"] is None
                         for r in top.records()[n0:]), 20, "a good record after %s bodies" % kind)

    # --- sockets dropped: disconnected, reconnect after ~1 s, ready again.
    mark = top.log_lines()
    sim.control("sockets/drop")
    top.wait_log(r"bridge: disconnected", 10, after=mark)
    top.wait_log(r"bridge: ready", 10, after=mark)
    d = delays([l for l in top.log_text().splitlines()[mark:] if "reconnect attempt 1 in" in l])
    t.check(d and 0.75 <= d[0] <= 1.25, "drop: reconnect after %s s, ready again" % d)

    # --- heartbeats stopped: the watchdog (3 s here) declares it dead.
    mark = top.log_lines()
    sim.control("faults", heartbeats="off")
    hit = top.wait_log(r"bridge: watchdog: no frame or heartbeat for 3 s", 15, after=mark)
    sim.control("faults/reset")
    top.wait_log(r"bridge: ready", 15, after=mark)
    t.check(True, "watchdog: fires after 3 s of silence, reconnects, ready again")

    # --- tqsim killed and restarted: 1, 3, 7 s schedule, then ready.
    mark = top.log_lines()
    port = sim.port
    sim.kill()
    top.wait_log(r"bridge: reconnect attempt 3 in", 30, after=mark)
    sim.start(port)
    top.wait_log(r"bridge: ready", 40, after=mark)
    lines = top.log_text().splitlines()[mark:]
    sched = delays([l for l in lines if "bridge: reconnect attempt" in l])
    want = [1, 3, 7, 15]
    t.check(len(sched) >= 3 and all(w * 0.8 - 0.05 <= s <= w * 1.2 + 0.05 for s, w in zip(sched, want)),
            "restart: reconnect delays %s follow 1, 3, 7 s with jitter" % sched)
    tries = log_times([l for l in lines if "bridge: connecting" in l])
    gaps = [b - a for a, b in zip(tries, tries[1:])]
    t.check(all(abs(g - s) < 0.5 for g, s in zip(gaps, sched[1:])),
            "restart: attempts really waited that long (%s)" % ["%.1f" % g for g in gaps])
    n0 = len(top.records())
    poll(lambda: any(r["queue"]["error"] is None and r["bridge"]["status"] == "ready"
                     for r in top.records()[n0:]), 20, "a good record after the restart")
    t.check(True, "restart: live again without help")

    # --- resume from suspend: SIGCONT reconnects at once and refreshes.
    mark = top.log_lines()
    top.proc.send_signal(signal.SIGCONT)
    top.wait_log(r"resumed \(SIGCONT\): reconnecting and refreshing", 10, after=mark)
    hits = top.wait_log(r"bridge: (reconnecting now \(resumed\)|ready)", 10, count=2, after=mark)
    gap = log_times(hits[-1:])[0] - log_times(hits[:1])[0]
    t.check("reconnecting now (resumed)" in hits[0] and gap < 1.0,
            "SIGCONT: the bridge reconnects at once (ready %.2f s later)" % gap)

    rc = top.stop()
    t.check(rc == 0, "SIGTERM: clean exit 0, sanitizers quiet")
    top = None
finally:
    if top:
        top.stop(None)
    sim.stop()
    tmp.cleanup()
print("PASS: %d checks" % t.n)
