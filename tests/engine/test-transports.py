"""Both transports (direct REST with Basic auth, and the bridge's HTTP
tunnel with a capability token) through tqtop's engine against tqsim:
fetch, update, delete, the three statistics calls, Activities and the
Workers preview; token policies checked before sending; Twilio errors
carried with code, message and status."""

from tqharness import Suite, drive

with Suite("transports", "--seed", "7", "--paused") as s:
    sim, t = s.sim, s.case
    wq = sim.queues[0]
    base = "/v1/Workspaces/%s/TaskQueues/%s" % (sim.ws, wq)

    modes = {
        "direct": (sim.cred_env("key"), ["--workspace", sim.ws, "--queue", wq]),
        "tunnel": ({"TQTOP_TOKEN": sim.mint(wq, "fetch,update,delete")}, []),
    }
    for mode, (env, args) in modes.items():
        before = sim.state()["requests_by_path"]
        chan = "/v1/wschannels/%s/%s" % (sim.account, wq)

        rc, r, err = drive(sim, "queue", env=env, extra_args=args)
        st, ref = sim.rest(base)
        t.check(rc == 0 and r["sid"] == wq, "%s: fetch answers the queue (%s)" % (mode, err[-300:]))
        t.check(r["friendly_name"] == ref["friendly_name"] and
                r["target_workers"] == ref["target_workers"],
                "%s: fetched fields equal tqsim's REST answer" % mode)

        name = "Renamed " + mode
        rc, r, err = drive(sim, "update", "MaxReservedWorkers=3", "FriendlyName=" + name,
                           env=env, extra_args=args)
        t.check(rc == 0 and r["max_reserved_workers"] == 3 and r["friendly_name"] == name,
                "%s: update answers the new queue" % mode)
        st, ref = sim.rest(base)
        t.check(ref["max_reserved_workers"] == 3 and ref["friendly_name"] == name,
                "%s: tqsim stored the update" % mode)

        rc, r, _ = drive(sim, "statistics", "Minutes=30", env=env, extra_args=args)
        t.check(rc == 0 and r["has_cumulative"] and r["has_realtime"] and r["task_queue_sid"] == wq,
                "%s: /Statistics with Minutes" % mode)
        rc, r, _ = drive(sim, "cumulative", "Minutes=30", "SplitByWaitTime=20,60",
                         env=env, extra_args=args)
        t.check(rc == 0 and r["window_s"] == 1800 and r["split"] == ["20", "60"],
                "%s: /CumulativeStatistics honours Minutes and SplitByWaitTime" % mode)
        st, ref = sim.rest(base + "/RealTimeStatistics")
        rc, r, _ = drive(sim, "realtime", env=env, extra_args=args)
        t.check(rc == 0 and r["total_eligible_workers"] == ref["total_eligible_workers"]
                and r["total_tasks"] == ref["total_tasks"],
                "%s: /RealTimeStatistics equals tqsim's" % mode)

        st, ref = sim.rest("/v1/Workspaces/%s/Workers?TargetWorkersExpression=1%%3D%%3D1&PageSize=1000" % sim.ws)
        rc, r, _ = drive(sim, "workers", "TargetWorkersExpression=1==1", env=env, extra_args=args)
        if mode == "direct":
            t.check(rc == 0 and r["count"] == len(ref["workers"]) and r["count"] > 0,
                    "direct: Workers?TargetWorkersExpression counts tqsim's workers")
            rc, r, _ = drive(sim, "activities", env=env, extra_args=args)
            st, ref = sim.rest("/v1/Workspaces/%s/Activities" % sim.ws)
            t.check(rc == 0 and r["count"] == len(ref["activities"]),
                    "direct: workspace Activities")
            # Pages are followed (next_page_url) to the whole list.
            apath = "/v1/Workspaces/%s/Activities" % sim.ws
            n0 = sim.state()["requests_by_path"].get(apath, 0)
            rc, r, _ = drive(sim, "activities", "PageSize=2", env=env, extra_args=args)
            pages = sim.state()["requests_by_path"].get(apath, 0) - n0
            t.check(rc == 0 and r["count"] == len(ref["activities"]) and
                    pages == (len(ref["activities"]) + 1) // 2,
                    "direct: Activities two at a time: %d pages followed to all %d" % (pages, r["count"]))
        else:
            # A TaskQueue token covers the queue and its subresources only.
            t.check(rc == 4 and "not permitted by this token" in r["refused"],
                    "tunnel: Workers outside the token's policies is refused")

        # Twilio's error, as tqsim answers it to a reference client.
        st, ref = sim.rest(base, "POST", {"MaxReservedWorkers": "99"})
        rc, r, _ = drive(sim, "update", "MaxReservedWorkers=99", env=env, extra_args=args)
        t.check(rc == 3 and r["error"]["status"] == st == 400 and
                r["error"]["code"] == ref["code"] and r["error"]["message"] == ref["message"]
                and r["attempts"] == 1,
                "%s: a rejected update carries Twilio's code %s, message and status, no retry"
                % (mode, ref.get("code")))

        after = sim.state()["requests_by_path"]
        tunnelled = after.get(chan, 0) - before.get(chan, 0)
        if mode == "tunnel":
            t.check(tunnelled == 6, "tunnel: the six calls sent went through %s (%d)" % (chan, tunnelled))
        else:
            t.check(tunnelled == 0, "direct: nothing went through the tunnel")

    # Not found, in both transports.
    ghost = "WQ" + "0" * 32
    rc, r, _ = drive(sim, "queue", env=sim.cred_env("auth"),
                     extra_args=["--workspace", sim.ws, "--queue", ghost])
    t.check(rc == 3 and r["error"]["status"] == 404 and r["error"]["code"] == 20404,
            "direct: an unknown queue is 20404 / HTTP 404")
    rc, r, _ = drive(sim, "queue", env={"TWILIO_API_KEY": sim.env["TWILIO_API_KEY"],
                                        "TWILIO_API_SECRET": "0" * 32},
                     extra_args=["--workspace", sim.ws, "--queue", wq])
    t.check(rc == 3 and r["error"]["status"] == 401 and r["error"]["code"] == 20003,
            "direct: a wrong secret is 20003 / HTTP 401")

    # A read-only token: the update is refused before anything is sent.
    ro = {"TQTOP_TOKEN": sim.mint(wq, "fetch")}
    total = sim.state()["requests"]["total"]
    rc, r, _ = drive(sim, "update", "MaxReservedWorkers=5", env=ro)
    t.check(rc == 4 and "not permitted by this token" in r["refused"],
            "read-only token: update refused with 'not permitted by this token'")
    rc, r, _ = drive(sim, "delete", env=ro)
    t.check(rc == 4, "read-only token: delete refused")
    t.check(sim.state()["requests"]["total"] == total,
            "read-only token: tqsim's request count did not move")
    st, ref = sim.rest(base)
    t.check(ref["max_reserved_workers"] == 3, "read-only token: the queue is unchanged")

    # Delete: tunnel on one queue, direct on another.
    for mode, q, env, args in (
            ("tunnel", sim.queues[-1], {"TQTOP_TOKEN": sim.mint(sim.queues[-1], "fetch,delete")}, []),
            ("direct", sim.queues[-2], sim.cred_env("key"), ["--workspace", sim.ws, "--queue", sim.queues[-2]])):
        rc, r, _ = drive(sim, "delete", env=env, extra_args=args)
        st, _ = sim.rest("/v1/Workspaces/%s/TaskQueues/%s" % (sim.ws, q))
        t.check(rc == 0 and r["deleted"] and st == 404, "%s: delete removes the queue" % mode)
