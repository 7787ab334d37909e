"""The loopback-only control endpoint (/_tqsim) and every fault it
injects, each observed from the client side."""

import json
import os
import socket
import sys
import threading
import time
import unittest

import websocket

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simlib import TIMEOUT, Sim, wait_for  # noqa: E402
from twilio.jwt.taskrouter.capabilities import TaskQueueCapabilityToken  # noqa: E402


class Control(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed", "5", "--heartbeat", "1", "--epoch", "2024-05-01T08:00:00Z", "--paused")
        cls.rt = cls.sim.wsurl + "/TaskQueues/" + cls.sim.queues[0] + "/RealTimeStatistics"

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def tearDown(self):
        self.sim.control("faults/reset")

    def token(self, ttl=3600):
        s = self.sim
        return TaskQueueCapabilityToken(s.account, s.token, s.ws, s.queues[0], ttl=ttl).to_jwt()

    def socket(self):
        s = self.sim
        url = "%s/v1/wschannels/%s/%s?token=%s&closeExistingSessions=false" % (
            s.url.replace("http", "ws"), s.account, s.queues[0], self.token())
        return websocket.create_connection(url, timeout=TIMEOUT)

    def wait_close(self, ws):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            op, data = ws.recv_data(control_frame=True)
            if op == websocket.ABNF.OPCODE_CLOSE:
                return int.from_bytes(data[:2], "big"), data[2:].decode()
        self.fail("no close frame")

    def test_0_state(self):
        s = self.sim
        st = s.state()
        self.assertEqual(st["clock"], "2024-05-01T08:00:00Z")
        self.assertTrue(st["paused"])
        self.assertEqual(st["speed"], 1)
        for k in ("requests", "in_flight", "max_in_flight", "sockets", "requests_by_path", "faults"):
            self.assertIn(k, st)
        before = st["requests"]["total"]
        ok = st["requests"]["by_status"].get("200", 0)
        self.assertEqual(s.get(self.rt).status, 200)
        self.assertEqual(s.get(self.rt, auth=None).status, 401)
        st = s.state()
        self.assertEqual(st["requests"]["total"], before + 2)
        self.assertEqual(st["requests"]["by_status"]["200"], ok + 1)
        self.assertGreaterEqual(st["requests"]["by_status"]["401"], 1)
        self.assertGreaterEqual(st["requests_by_path"][self.rt[len(s.url):]], 2)
        self.assertNotIn("/_tqsim/state", st["requests_by_path"])

    def test_bad_requests(self):
        s = self.sim
        before = s.state()["faults"]
        # Each message names the field, the value and what is accepted.
        for form, needle in (({"latency_ms": "abc"}, "invalid latency_ms 'abc': an integer 0..600000"),
                             ({"latency_ms": "-1"}, "0..600000"),
                             ({"error_rate": "2"}, "invalid error_rate '2': a fraction 0..1"),
                             ({"error_status": "404"}, "500..599"),
                             ({"throttle": "x"}, "0..2147483647"),
                             ({"retry_after": "99999"}, "seconds 0..86400"),
                             ({"malformed": "-2"}, "0..2147483647"),
                             ({"drop_every": "1e9"}, "seconds 0..86400"),
                             ({"heartbeats": "maybe"}, "invalid heartbeats 'maybe': on or off"),
                             ({"rate_limits": "maybe"}, "on or off"),
                             ({"malformed_kind": "zip"}, "truncate or garbage"),
                             ({"latency_ms": "50", "bogus": "1"}, "unknown fault 'bogus': use latency_ms, ")):
            r = s.request("POST", "/_tqsim/faults", data=form, auth=None)
            self.assertEqual(r.status, 400, r)
            self.assertIn(needle, r.json()["message"])
        self.assertEqual(s.state()["faults"], before, "a bad field changes nothing")
        r = s.request("POST", "/_tqsim/clock", data={"action": "fly"}, auth=None)
        self.assertEqual(r.status, 400)
        r = s.request("POST", "/_tqsim/clock", data={}, auth=None)
        self.assertEqual(r.status, 400)
        r = s.request("POST", "/_tqsim/clock", data={"action": "step", "seconds": "-5"}, auth=None)
        self.assertEqual(r.status, 400)
        r = s.request("POST", "/_tqsim/queues/%s/load" % s.queues[0], data={"rate": "lots"}, auth=None)
        self.assertEqual(r.status, 400)
        r = s.request("POST", "/_tqsim/queues/WQ%s/load" % ("0" * 32), data={"rate": "1"}, auth=None)
        self.assertEqual(r.status, 404)
        self.assertEqual(s.request("GET", "/_tqsim/faults", auth=None).status, 405)
        self.assertEqual(s.request("POST", "/_tqsim/nothing", data={}, auth=None).status, 404)

    def test_latency(self):
        s = self.sim
        s.control("faults", latency_ms="400")
        t0 = time.monotonic()
        self.assertEqual(s.get(self.rt).status, 200)
        self.assertGreaterEqual(time.monotonic() - t0, 0.4)
        t0 = time.monotonic()
        s.state()
        self.assertLess(time.monotonic() - t0, 0.4, "the control endpoint is not delayed")
        # Delayed answers pile up as in-flight requests, without blocking.
        threads = [threading.Thread(target=s.get, args=(self.rt,)) for _ in range(5)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertLess(time.monotonic() - t0, 5 * 0.4, "delays overlap: the server does not block")
        self.assertGreaterEqual(s.state()["max_in_flight"], 5)
        s.control("faults/reset")
        t0 = time.monotonic()
        s.get(self.rt)
        self.assertLess(time.monotonic() - t0, 0.4)

    def test_error_rate(self):
        s = self.sim
        s.control("faults", error_rate="1")
        r = s.get(self.rt)
        self.assertEqual(r.status, 503)
        self.assertEqual(r.json()["code"], 20503)
        s.control("faults", error_status="500")
        r = s.get(self.rt)
        self.assertEqual((r.status, r.json()["code"]), (500, 20500))
        s.control("faults", error_rate="0.5")
        codes = [s.get(self.rt).status for _ in range(60)]
        self.assertTrue(10 < codes.count(500) < 50, codes)
        self.assertEqual(codes.count(500) + codes.count(200), 60)

    def test_throttle(self):
        s = self.sim
        s.control("faults", throttle="2", retry_after="7")
        for _ in range(2):
            r = s.get(self.rt)
            self.assertEqual(r.status, 429)
            self.assertEqual(r.headers["Retry-After"], "7")
            self.assertEqual(r.json()["code"], 20429)
        self.assertEqual(s.get(self.rt).status, 200)
        self.assertEqual(s.state()["faults"]["throttle"], 0)
        s.control("faults", throttle="1", retry_after="0")
        r = s.get(self.rt)
        self.assertEqual(r.status, 429)
        self.assertIsNone(r.headers.get("Retry-After"))

    def test_reject_writes(self):
        s = self.sim
        q = s.wsurl + "/TaskQueues/" + s.queues[0]
        before = s.get(q).json()
        s.control("faults", reject_writes="1")
        self.assertEqual(s.get(q).status, 200, "reads are not refused")
        r = s.post(q, {"MaxReservedWorkers": "7"})
        self.assertEqual((r.status, r.json()["code"]), (400, 20001))
        self.assertIn("reject_writes", r.json()["message"])
        self.assertEqual(s.get(q).json(), before, "a refused write changes nothing")
        self.assertEqual(s.state()["faults"]["reject_writes"], 0)
        r = s.post(q, {"MaxReservedWorkers": str(before["max_reserved_workers"])})
        self.assertEqual(r.status, 200, "only the next N writes are refused")

    def test_malformed(self):
        s = self.sim
        good = s.get(self.rt).body
        s.control("faults", malformed="1")
        bad = s.get(self.rt)
        self.assertEqual(bad.status, 200)
        self.assertEqual(bad.body, good[:len(good) // 2])
        with self.assertRaises(ValueError):
            json.loads(bad.body)
        self.assertEqual(s.get(self.rt).body, good)
        s.control("faults", malformed="1", malformed_kind="garbage")
        bad = s.get(self.rt)
        self.assertTrue(bad.body.startswith(b"<html>"), bad)
        self.assertEqual(bad.headers["Content-Type"], "text/html")
        self.assertEqual(s.get(self.rt).body, good)

    def test_heartbeats_switch(self):
        s = self.sim
        ws = self.socket()
        try:
            self.assertEqual(ws.recv(), " ")
            s.control("faults", heartbeats="off")
            ws.settimeout(2.5)
            with self.assertRaises(websocket.WebSocketTimeoutException):
                while True:
                    ws.recv()
            ws.settimeout(TIMEOUT)
            s.control("faults", heartbeats="on")
            self.assertEqual(ws.recv(), " ")
        finally:
            ws.close()

    def test_drop_now_and_every(self):
        s = self.sim
        a, b = self.socket(), self.socket()
        try:
            wait_for(lambda: s.state()["sockets"] >= 2, "two sockets")
            self.assertGreaterEqual(s.control("sockets/drop")["dropped"], 2)
            self.assertEqual(self.wait_close(a)[0], 1001)
            self.assertEqual(self.wait_close(b)[0], 1001)
        finally:
            a.close()
            b.close()
        wait_for(lambda: s.state()["sockets"] == 0, "sockets gone")
        s.control("faults", drop_every="1")
        c = self.socket()
        try:
            code, reason = self.wait_close(c)
            self.assertEqual(code, 1001)
            self.assertIn("drop_every", reason)
        finally:
            c.close()

    def test_clock_and_load(self):
        s = self.sim
        sales = s.wsurl + "/TaskQueues/" + s.queues[0] + "/CumulativeStatistics"
        st = s.control("clock", action="pause")
        t0 = st["clock_ms"]
        self.assertEqual(s.state()["clock_ms"], t0)
        events = s.state()["engine"]["events"]
        st = s.control("clock", action="step", seconds="60")
        self.assertEqual(st["clock_ms"], t0 + 60000)
        self.assertTrue(st["paused"])
        self.assertGreater(st["engine"]["events"], events)
        s.control("queues/%s/load" % s.queues[0], rate="600")
        s.control("clock", action="step", seconds="60")
        n = s.get(sales, {"Minutes": 1}).json()["tasks_entered"]
        self.assertGreater(n, 200, "600/min with a +-60% wave")
        s.control("queues/%s/load" % s.queues[0], rate="0")
        s.control("clock", action="step", seconds="60")
        self.assertEqual(s.get(sales, {"Minutes": 1}).json()["tasks_entered"], 0)
        s.control("queues/%s/load" % s.queues[0], rate="1")
        st = s.control("clock", action="resume", speed="50")
        self.assertFalse(st["paused"])
        self.assertEqual(st["speed"], 50)
        wait_for(lambda: s.state()["clock_ms"] > t0 + 180000 + 1000, "the clock to run")
        s.control("clock", action="pause", speed="1")

    def test_not_loopback(self):
        try:
            probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            probe.connect(("10.255.255.255", 1))
            ip = probe.getsockname()[0]
            probe.close()
        except OSError:
            ip = None
        if not ip or ip.startswith("127."):
            self.skipTest("no non-loopback address on this machine")
        sim = Sim("--listen", "0.0.0.0:0")
        try:
            port = sim.url.rsplit(":", 1)[1]
            r = sim.request("GET", "http://%s:%s/_tqsim/state" % (ip, port), auth=None)
            self.assertEqual(r.status, 403)
            self.assertEqual(r.json()["code"], 20003)
            r = sim.request("GET", "http://%s:%s/v1/Workspaces/%s" % (ip, port, sim.ws))
            self.assertEqual(r.status, 200, "REST is served to everyone who authenticates")
            self.assertEqual(r.json()["url"], "http://%s:%s/v1/Workspaces/%s" % (ip, port, sim.ws))
        finally:
            sim.stop()

    def test_fault_options(self):
        sim = Sim("--latency", "300", "--error-rate", "1", "--drop-every", "30")
        try:
            f = sim.state()["faults"]
            self.assertEqual((f["latency_ms"], f["error_rate"], f["drop_every"]), (300, 1, 30))
            t0 = time.monotonic()
            self.assertEqual(sim.get(sim.wsurl).status, 503)
            self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        finally:
            sim.stop()


class RateLimits(unittest.TestCase):
    """TaskRouter's published rate limits (PROTOCOL.md 4.2), per resource
    key, as token buckets: a burst gets the limit through, then 429 with
    code 20429 and Retry-After; the X-Rate-Limit-* headers count down."""

    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed", "9", "--epoch", "2024-05-01T08:00:00Z", "--paused")
        s = cls.sim
        cls.cases = (
            ("TaskQueueBulkRealTimeStatistics-Create", 5,
             lambda: s.post(s.wsurl + "/TaskQueues/RealTimeStatistics", json_body={"QueueSids": s.queues[:2]})),
            ("Worker-List-TargetWorkersExpression", 3,
             lambda: s.get(s.wsurl + "/Workers", {"TargetWorkersExpression": 'languages HAS "en"'})),
            ("TaskQueue-List-EvaluateWorkerAttributes", 3,
             lambda: s.get(s.wsurl + "/TaskQueues", {"EvaluateWorkerAttributes": '{"level": 3}'})),
        )

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def setUp(self):
        self.sim.control("faults/reset")	# full buckets

    def burst(self, call, n):
        return [call() for _ in range(n)]

    def test_published_limits(self):
        for key, limit, call in self.cases:
            rs = self.burst(call, limit + 4)
            ok = [r for r in rs if r.status == 200]
            # A burst of limit + 4 takes well under a second on loopback:
            # the bucket refills at most one request meanwhile.
            self.assertIn(len(ok), (limit, limit + 1), (key, [r.status for r in rs]))
            self.assertEqual([r.status for r in rs[:limit]], [200] * limit, key)
            self.assertEqual([int(r.headers["X-Rate-Limit-Remaining"]) for r in rs[:limit]],
                             list(range(limit - 1, -1, -1)), key)
            denied = [r for r in rs if r.status != 200]
            self.assertTrue(denied, key)
            for r in denied:
                self.assertEqual(r.status, 429)
                body = r.json()
                self.assertEqual((body["code"], body["status"]), (20429, 429))
                self.assertIn(key, body["message"])
                self.assertIn("%d requests per second" % limit, body["message"])
                self.assertEqual(r.headers["Retry-After"], "1")
                self.assertEqual(r.headers["X-Rate-Limit-Remaining"], "0")
            for r in rs:
                self.assertEqual(r.headers["X-Rate-Limit-Config"], key)
                self.assertEqual(r.headers["X-Rate-Limit-Limit"], str(limit))
            # The bucket refills: within about a second one more gets in.
            wait_for(lambda: call().status == 200, "%s to refill" % key, timeout=5)

    def test_limits_are_per_key(self):
        s = self.sim
        self.burst(self.cases[1][2], 6)
        self.assertEqual(self.cases[1][2]().status, 429)
        # The plain Workers list and other endpoints are other keys.
        for _ in range(20):
            r = s.get(s.wsurl + "/Workers")
            self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["X-Rate-Limit-Config"], "Worker-List")
        self.assertEqual(r.headers["X-Rate-Limit-Limit"], "100000")
        r = s.get(s.wsurl + "/TaskQueues/%s/RealTimeStatistics" % s.queues[0])
        self.assertEqual(r.headers["X-Rate-Limit-Config"], "TaskQueueRealTimeStatistics-Fetch")
        r = s.get(s.wsurl + "/TaskQueues/Statistics")
        self.assertEqual(r.headers["X-Rate-Limit-Config"], "TaskQueueStatistics-List")

    def test_switch_off_and_on(self):
        s = self.sim
        self.assertEqual(s.state()["faults"]["rate_limits"], "on")
        s.control("faults", rate_limits="off")
        rs = self.burst(self.cases[0][2], 12)
        self.assertEqual({r.status for r in rs}, {200})
        self.assertEqual({r.headers["X-Rate-Limit-Remaining"] for r in rs}, {"5"})
        r = s.request("POST", "/_tqsim/faults", data={"rate_limits": "sometimes"}, auth=None)
        self.assertEqual(r.status, 400)
        self.assertEqual(s.state()["faults"]["rate_limits"], "off")
        s.control("faults/reset")
        self.assertEqual(s.state()["faults"]["rate_limits"], "on")
        self.assertIn(429, [r.status for r in self.burst(self.cases[0][2], 8)])

    def test_option_off(self):
        sim = Sim("--seed", "9", "--paused", "--no-rate-limits")
        try:
            self.assertEqual(sim.state()["faults"]["rate_limits"], "off")
            rs = [sim.get(sim.wsurl + "/Workers", {"TargetWorkersExpression": "level > 1"}) for _ in range(10)]
            self.assertEqual({r.status for r in rs}, {200})
            sim.control("faults/reset")
            self.assertEqual(sim.state()["faults"]["rate_limits"], "off", "reset goes back to the option")
        finally:
            sim.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
