"""tqtop -b survives tqsim's faults and recovers on its own: 5xx and 429
storms (backoff, Retry-After, no pile-up), 5 s latency, malformed and
truncated bodies, dropped sockets, stopped heartbeats (watchdog), and
tqsim killed and restarted (the 1-3-7 s reconnect schedule, ready again)."""

import re
import signal

from tqharness import SLOW, Suite, child_env, log_times, poll


def delays(lines):
    return [float(m.group(1)) for l in lines for m in [re.search(r" in ([0-9.]+) s", l)] if m]


def state_ok(st):
    # three polled calls and the ready request at most: never a pile-up
    return st["max_in_flight"] <= 4


with Suite("faults", "--seed", "11", "--heartbeat", "1") as s:
    sim, t = s.sim, s.case
    wq = sim.queues[0]
    env = child_env({"TQTOP_TOKEN": sim.mint(wq, "fetch", ttl=3600)})
    top = s.top(["-d", "1", "-o", "json", "--debug", "--watchdog", "3"] + sim.urls(), env)
    top.wait_log(r"bridge: ready", SLOW)
    top.wait_log(r"api: GET .*RealTimeStatistics", SLOW)

    # --- a pushed event: tqsim announces an update on the queue's channel.
    mark = top.log_lines()
    sim.rest("/v1/Workspaces/%s/TaskQueues/%s" % (sim.ws, wq), "POST", {"FriendlyName": "Pushed name"})
    top.wait_log(r"bridge: event task-queue\.updated", SLOW, after=mark)
    hit = top.wait_log(r"bridge: frame .*Pushed name", SLOW, after=mark)
    t.check(True, "push: task-queue.updated arrives on the socket (frames logged with --debug)")

    # --- 5xx storm: capped exponential backoff with jitter, then recovery.
    mark = top.log_lines()
    sim.control("faults", error_rate="1", error_status="503")
    hits = top.wait_log(r"api: queue: .*HTTP 503.*; retry 3/3 in", SLOW, after=mark)
    retries = [l for l in top.log_text().splitlines()[mark:] if re.search(r"api: queue: .*; retry", l)][:3]
    d = delays(retries)
    t.check(len(d) == 3 and 0.25 <= d[0] <= 0.5 and 0.5 <= d[1] <= 1.0 and 1.0 <= d[2] <= 2.0,
            "5xx: GET retried after %s s (equal-jitter backoff 0.5, 1, 2 s)" % d)
    top.wait_log(r"warn  api: queue: .*HTTP 503", SLOW, after=mark)
    t.check(state_ok(sim.state()), "5xx: at most one request per resource in flight")
    sim.control("faults/reset")
    n0 = len(top.records())
    poll(lambda: any(r["queue"]["error"] is None for r in top.records()[n0:]), SLOW,
         "a good record after the 5xx storm")
    t.check(True, "5xx: recovers on its own once tqsim answers again")

    # --- 429 storm with Retry-After: everything holds, nothing piles up.
    mark = top.log_lines()
    sim.control("faults", throttle="5", retry_after="2")
    top.wait_log(r"rate limited .*holding every request for 2\.\d s \(Retry-After: 2 s\)", SLOW, after=mark)
    top.wait_log(r"no longer rate limited", SLOW, after=mark)
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
    top.wait_log(r"tick: refresh \d+ still waits for \d+ answers?; skipped", SLOW, count=3, after=mark)
    top.wait_log(r"api: GET .*RealTimeStatistics", SLOW, count=2, after=mark)
    st = sim.state()
    t.check(state_ok(st), "latency: max_in_flight %d, never more than one per resource" % st["max_in_flight"])
    sim.control("faults/reset")
    n0 = len(top.records())
    poll(lambda: any(r["realtime"]["age_ms"] is not None and r["realtime"]["age_ms"] < 1500
                     for r in top.records()[n0:]), SLOW, "fresh records after the latency")
    t.check(True, "latency: fresh data again once tqsim is fast")

    # --- malformed and truncated bodies: a clear error, a retry, no crash.
    for kind in ("truncate", "garbage"):
        mark = top.log_lines()
        sim.control("faults", malformed="2", malformed_kind=kind)
        hit = top.wait_log(r"api: \w+: tunnel answer: .*\(HTTP 200\)", SLOW, after=mark)
        t.check(True, "malformed (%s): '%s'" % (kind, hit[0].split("  api: ")[-1][:100]))
        sim.control("faults/reset")
        n0 = len(top.records())
        poll(lambda: any(r["queue"]["error"] is None and r["realtime"]["error"] is None
                         for r in top.records()[n0:]), SLOW, "a good record after %s bodies" % kind)

    # --- sockets dropped: disconnected, reconnect after ~1 s, ready again.
    mark = top.log_lines()
    sim.control("sockets/drop")
    top.wait_log(r"bridge: disconnected", SLOW, after=mark)
    top.wait_log(r"bridge: ready", SLOW, after=mark)
    d = delays([l for l in top.log_text().splitlines()[mark:] if "reconnect attempt 1 in" in l])
    t.check(d and 0.75 <= d[0] <= 1.25, "drop: reconnect after %s s, ready again" % d)

    # --- heartbeats stopped: the watchdog (3 s here) declares it dead.
    mark = top.log_lines()
    sim.control("faults", heartbeats="off")
    hit = top.wait_log(r"bridge: watchdog: no frame or heartbeat for 3 s", SLOW, after=mark)
    sim.control("faults/reset")
    top.wait_log(r"bridge: ready", SLOW, after=mark)
    t.check(True, "watchdog: fires after 3 s of silence, reconnects, ready again")

    # --- tqsim killed and restarted: 1, 3, 7 s schedule, then ready.
    mark = top.log_lines()
    port = sim.port
    sim.kill()
    top.wait_log(r"bridge: reconnect attempt 3 in", SLOW, after=mark)
    sim.start(port)
    # attempt 3 at ~7 s, or attempt 4 15 s later if tqsim was slow to start
    top.wait_log(r"bridge: ready", SLOW, after=mark)
    lines = top.log_text().splitlines()[mark:]
    sched = delays([l for l in lines if "bridge: reconnect attempt" in l])
    want = [1, 3, 7, 15]
    t.check(len(sched) >= 3 and all(w * 0.8 - 0.05 <= s <= w * 1.2 + 0.05 for s, w in zip(sched, want)),
            "restart: reconnect delays %s follow 1, 3, 7 s with jitter" % sched)
    # Each attempt timed from the line that scheduled it, not from the
    # attempt before: a refused connect takes longer to fail when the
    # machine is loaded, and that is not part of the schedule.
    planned = {int(m.group(1)): (log_times([l])[0], float(m.group(2))) for l in lines
               for m in [re.search(r"bridge: reconnect attempt (\d+) in ([0-9.]+) s", l)] if m}
    started = {int(m.group(1)): log_times([l])[0] for l in lines
               for m in [re.search(r"bridge: connecting to .*, attempt (\d+)\)", l)] if m}
    waited = [(started[n] - at, d) for n, (at, d) in sorted(planned.items()) if n in started]
    t.check(len(waited) >= 3 and all(abs(w - d) < 0.5 for w, d in waited),
            "restart: attempts really waited that long (%s)" %
            ["%.1f s for %.1f" % (w, d) for w, d in waited])
    n0 = len(top.records())
    # The REST calls back off too while tqsim is down (4, 8, 16 s ...).
    poll(lambda: any(r["queue"]["error"] is None and r["bridge"]["status"] == "ready"
                     for r in top.records()[n0:]), SLOW, "a good record after the restart")
    t.check(True, "restart: live again without help")

    # --- resume from suspend: SIGCONT reconnects at once and refreshes.
    mark = top.log_lines()
    top.proc.send_signal(signal.SIGCONT)
    top.wait_log(r"resumed \(SIGCONT\): reconnecting and refreshing", SLOW, after=mark)
    hits = top.wait_log(r"bridge: (reconnecting now \(resumed\)|ready)", SLOW, count=2, after=mark)
    lines = top.log_text().splitlines()[mark:]
    kick = next(i for i, l in enumerate(lines) if "bridge: reconnecting now (resumed)" in l)
    after_kick = [l for l in lines[kick + 1:] if "  bridge: " in l]
    # At once: the attempt starts with the kick, with no scheduled wait
    # (the shortest is 0.75 s); how long the handshake then takes depends
    # on the machine's load.
    gap = log_times(after_kick[:1])[0] - log_times(lines[kick:kick + 1])[0]
    t.check("reconnecting now (resumed)" in hits[0] and
            re.search(r"bridge: connecting to .*, attempt 0\)", after_kick[0]) and gap < 0.5,
            "SIGCONT: the bridge reconnects at once (connecting %.2f s later, ready %.2f s later)" %
            (gap, log_times(hits[-1:])[0] - log_times(hits[:1])[0]))

    rc = top.stop()
    t.check(rc == 0, "SIGTERM: clean exit 0, sanitizers quiet")
