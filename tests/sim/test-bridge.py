"""The event bridge: websockets (token checks, heartbeats, pushed queue
events, expiry close, closeExistingSessions) and the HTTP tunnel, allowed
or denied per the policies of the token vectors minted by the official
helper libraries (tests/fixtures/taskrouter/capability-tokens.json)."""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
import unittest
from datetime import datetime

import websocket
from twilio.jwt.taskrouter.capabilities import TaskQueueCapabilityToken

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simlib import TIMEOUT, Sim, fixtures, wait_for  # noqa: E402

with open(os.path.join(fixtures(), "taskrouter", "capability-tokens.json")) as f:
    VEC = json.load(f)
TOK = {v["name"]: v["token"] for v in VEC["vectors"]}
AC, AUTH, WS, WQ = VEC["account_sid"], VEC["auth_token"], VEC["workspace_sid"], VEC["taskqueue_sid"]
API = "https://taskrouter.twilio.com/v1/Workspaces/%s" % WS
QURL = API + "/TaskQueues/" + WQ


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def handmade(claims, secret=AUTH, alg="HS256"):
    head = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    sig = hmac.new(secret.encode(), ("%s.%s" % (head, body)).encode(), hashlib.sha256).digest()
    return "%s.%s.%s" % (head, body, b64(sig) if alg == "HS256" else "")


def python_token(ttl=3600, account=AC, **allow):
    t = TaskQueueCapabilityToken(account, AUTH, WS, WQ, ttl=ttl)
    for name in allow:
        getattr(t, name)()
    return t.to_jwt()


class Bridge(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--scenario", os.path.join(fixtures(), "scenarios", "vectors.json"),
                      "--account", AC, "--heartbeat", "1", "--warmup", "10",
                      env={"TQSIM_AUTH_TOKEN": AUTH})
        cls.chan = "/v1/wschannels/%s/%s" % (AC, WQ)
        cls.wsbase = cls.sim.url.replace("http://", "ws://") + cls.chan

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def connect(self, token, extra="&closeExistingSessions=false"):
        return websocket.create_connection(self.wsbase + "?token=" + token + extra, timeout=TIMEOUT)

    def refused(self, token, status, path=None):
        url = (self.sim.url.replace("http://", "ws://") + (path or self.chan)) + "?token=" + token
        with self.assertRaises(websocket.WebSocketBadStatusException) as cm:
            websocket.create_connection(url, timeout=TIMEOUT)
        self.assertEqual(cm.exception.status_code, status, token[:40])

    def next_event(self, ws):
        """The next non-heartbeat frame, parsed."""
        while True:
            frame = ws.recv()
            if frame.strip():
                return json.loads(frame)

    def tunnel(self, token, url, method="GET", params=None, event_type=None, raw=None):
        body = raw if raw is not None else json.dumps(
            {k: v for k, v in (("url", url), ("method", method), ("params", params), ("token", token),
                               ("event_type", event_type)) if v is not None}).encode()
        return self.sim.request("POST", self.chan, raw_body=body, auth=None,
                                headers={"Content-Type": "text/plain;charset=UTF-8"})

    # ---- websocket ---------------------------------------------------------
    def test_heartbeats(self):
        ws = self.connect(TOK["full_access"])
        try:
            beats = [ws.recv() for _ in range(2)]
            self.assertEqual(beats, [" ", " "])
        finally:
            ws.close()
        self.assertIn("?token=[redacted]", self.sim.log())
        self.assertNotIn(TOK["full_access"], self.sim.log())

    def test_log_lines(self):
        """Websocket log lines carry times: the handshake like a request
        line (status, ms), the close with the socket's lifetime."""
        import re
        ws = self.connect(TOK["full_access"])
        ws.recv()
        ws.close()
        pat = (r"WS /v1/wschannels/%s/%s\?token=\[redacted\]&closeExistingSessions=false "
               r"closed 1000 by the client after (\d+\.\d{3})s" % (AC, WQ))
        m = wait_for(lambda: re.search(pat, self.sim.log()), "the close line")
        self.assertGreater(float(m.group(1)), 0)
        self.assertRegex(self.sim.log(), r"WS /v1/wschannels/%s/%s\?token=\[redacted\]&"
                         r"closeExistingSessions=false 101 \d+\.\dms" % (AC, WQ))
        self.refused(TOK["expired"], 401)
        self.assertRegex(self.sim.log(), r"WS /v1/wschannels/\S+ 401 \d+\.\dms token expired")
        self.assertNotIn(TOK["full_access"], self.sim.log())

    def test_refused(self):
        self.refused(TOK["expired"], 401)
        self.refused(TOK["tampered_claims"], 403)
        self.refused(TOK["signed_with_other_key"], 403)
        for bad in VEC["malformed"]:
            self.refused(bad, 403)
        # alg none with a valid-looking body, unsigned
        claims = {"iss": AC, "account_sid": AC, "channel": WQ, "workspace_sid": WS, "exp": int(time.time()) + 600,
                  "policies": [{"url": "https://event-bridge.twilio.com/v1/wschannels/%s/%s" % (AC, WQ),
                                "method": "GET", "allow": True}]}
        self.refused(handmade(claims, alg="none"), 403)
        self.refused(handmade(claims, secret="f" * 32), 403)
        # another account's token (signed with our secret, for a different AC)
        self.refused(python_token(account="AC" + "f" * 32), 403)
        # no GET policy on the channel
        no_get = dict(claims, policies=[dict(claims["policies"][0], method="POST")])
        self.refused(handmade(no_get), 403)
        # a policy for another channel
        other = dict(claims, policies=[dict(claims["policies"][0], url=claims["policies"][0]["url"][:-4] + "ffff")])
        self.refused(handmade(other), 403)
        # the handmade token itself is fine
        self.connect(handmade(claims)).close()
        self.refused("", 403)
        self.refused(TOK["full_access"], 404, path="/v1/wschannels/" + AC)
        # paths shorter than the channel prefix (once read past their end)
        for short in ("/", "/x", "/v1/wschannels"):
            self.refused(TOK["full_access"], 404, path=short)

    def test_pushed_queue_events(self):
        ws = self.connect(TOK["read_only"])
        try:
            r = self.sim.post(self.sim.wsurl + "/TaskQueues/" + WQ, {"TargetWorkers": 'skills HAS "sales"'},
                              auth=(AC, AUTH))
            self.assertEqual(r.status, 200, r)
            ev = self.next_event(ws)
            self.assertEqual(ev["event_type"], "task-queue.expression.updated")
            self.assertEqual(ev["payload"]["sid"], WQ)
            self.assertEqual(ev["payload"]["target_workers"], 'skills HAS "sales"')
            self.assertEqual(ev["payload"]["url"], QURL)
            r = self.sim.post(self.sim.wsurl + "/TaskQueues/" + WQ, {"MaxReservedWorkers": "2",
                                                                     "TargetWorkers": 'skills HAS "support"'},
                              auth=(AC, AUTH))
            self.assertEqual(r.status, 200, r)
            kinds = [self.next_event(ws)["event_type"] for _ in range(2)]
            self.assertEqual(kinds, ["task-queue.expression.updated", "task-queue.updated"])
            # the other queue's changes are not pushed here
            other = self.sim.queues[1]
            self.sim.post(self.sim.wsurl + "/TaskQueues/" + other, {"FriendlyName": "Renamed"}, auth=(AC, AUTH))
            self.sim.post(self.sim.wsurl + "/TaskQueues/" + WQ, {"FriendlyName": "Vector Queue 2"}, auth=(AC, AUTH))
            ev = self.next_event(ws)
            self.assertEqual((ev["event_type"], ev["payload"]["friendly_name"]), ("task-queue.updated", "Vector Queue 2"))
        finally:
            ws.close()

    def test_expiry_close(self):
        ws = self.connect(python_token(ttl=2))
        try:
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                op, data = ws.recv_data(control_frame=True)
                if op == websocket.ABNF.OPCODE_CLOSE:
                    break
            self.assertEqual(op, websocket.ABNF.OPCODE_CLOSE)
            self.assertEqual(int.from_bytes(data[:2], "big"), 4001)
            self.assertEqual(data[2:], b"token expired")
        finally:
            ws.close()

    def channel_token(self, exp):
        """A token for the channel (GET and POST) and the queue (GET)
        expiring at exp."""
        chan = "https://event-bridge.twilio.com/v1/wschannels/%s/%s" % (AC, WQ)
        return handmade({"iss": AC, "account_sid": AC, "channel": WQ, "workspace_sid": WS,
                         "taskqueue_sid": WQ, "version": "v1", "exp": exp,
                         "policies": [{"url": chan, "method": "GET", "allow": True},
                                      {"url": chan, "method": "POST", "allow": True},
                                      {"url": QURL, "method": "GET", "allow": True}]})

    def test_expired_everywhere_alike(self):
        """A token past exp, even by less than the core's 30 s clock skew,
        is refused at the handshake and in the tunnel alike (401): a socket
        is closed at exp, so letting one open then would only close it at
        once."""
        for ago in (1, 10, 29, 31, 3600):
            tok = self.channel_token(int(time.time()) - ago)
            self.refused(tok, 401)
            r = self.tunnel(tok, QURL)
            self.assertEqual(r.status, 401, (ago, r))
            self.assertEqual(r.json()["code"], 20003)
        # Valid until exp: the handshake and the tunnel work, and the socket
        # is closed with 4001 at exp, not before.
        exp = int(time.time()) + 3
        tok = self.channel_token(exp)
        ws = self.connect(tok)
        try:
            self.assertEqual(self.tunnel(tok, QURL).status, 200)
            op = None
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                op, data = ws.recv_data(control_frame=True)
                if op == websocket.ABNF.OPCODE_CLOSE:
                    break
            closed_at = time.time()
            self.assertEqual(op, websocket.ABNF.OPCODE_CLOSE)
            self.assertEqual(int.from_bytes(data[:2], "big"), 4001)
            self.assertGreaterEqual(closed_at, exp - 0.05, "closed before exp")
            self.assertLess(closed_at, exp + 2, "closed long after exp")
        finally:
            ws.close()
        wait_for(lambda: "closed 4001 by tqsim (token expired) after " in self.sim.log(), "the 4001 close line")
        self.refused(tok, 401)
        self.assertEqual(self.tunnel(tok, QURL).status, 401)

    def test_close_existing_sessions(self):
        first = self.connect(TOK["full_access"])
        second = self.connect(TOK["full_access"], extra="&closeExistingSessions=true")
        try:
            while True:
                op, data = first.recv_data(control_frame=True)
                if op == websocket.ABNF.OPCODE_CLOSE:
                    break
            self.assertEqual(int.from_bytes(data[:2], "big"), 1000)
            self.assertEqual(second.recv(), " ")
        finally:
            first.close()
            second.close()

    def test_client_frames_ignored(self):
        ws = self.connect(TOK["full_access"])
        try:
            ws.send("hello")
            self.assertEqual(ws.recv(), " ")
        finally:
            ws.close()

    # ---- tunnel --------------------------------------------------------------
    def test_tunnel_ready_and_stats(self):
        r = self.tunnel(TOK["read_only"], QURL, event_type="ready")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["event_type"], "ready")
        self.assertEqual(body["payload"]["sid"], WQ)
        self.assertEqual(body["payload"]["url"], QURL)
        r = self.tunnel(TOK["read_only"], QURL + "/CumulativeStatistics", params={"Minutes": "5"})
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertIsNone(body["event_type"])
        c = body["payload"]
        self.assertEqual(c["url"], QURL + "/CumulativeStatistics")
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        span = datetime.strptime(c["end_time"], fmt) - datetime.strptime(c["start_time"], fmt)
        self.assertEqual(span.total_seconds(), 300)
        r = self.tunnel(TOK["read_only"], QURL + "/RealTimeStatistics?TaskChannel=voice")
        self.assertEqual(r.status, 200, r)
        self.assertIn("total_eligible_workers", r.json()["payload"])
        st = self.sim.state()
        self.assertGreaterEqual(st["requests_by_path"]["/v1/Workspaces/%s/TaskQueues/%s/RealTimeStatistics" % (WS, WQ)], 1)
        self.assertGreaterEqual(st["requests_by_path"][self.chan], 3)

    def test_tunnel_policies(self):
        cases = [
            # token, method, url, params, status
            ("read_only", "GET", QURL, None, 200),
            ("read_only", "GET", QURL + "/Statistics", None, 200),
            ("read_only", "POST", QURL, {"FriendlyName": "x"}, 403),
            ("read_only", "DELETE", QURL, None, 403),
            ("read_only", "GET", API + "/TaskQueues/" + "WQ" + "f" * 32, None, 403),
            ("read_only", "GET", API + "/Workers", None, 403),
            ("read_only", "GET", API + "/TaskQueues", None, 403),
            ("update_no_delete", "POST", QURL, {"MaxReservedWorkers": 3}, 200),
            ("update_no_delete", "POST", QURL, {"MaxReservedWorkers": 99}, 400),
            ("update_no_delete", "DELETE", QURL, None, 403),
            ("python_fetch_update_subresources", "POST", QURL, {"FriendlyName": "x"}, 403),
            ("python_fetch_update_subresources", "GET", QURL + "/RealTimeStatistics", None, 200),
            ("full_access", "GET", QURL + "/Nope", None, 404),
            ("expired", "GET", QURL, None, 401),
            ("tampered_claims", "GET", QURL, None, 403),
            ("signed_with_other_key", "GET", QURL, None, 403),
        ]
        for name, method, url, params, status in cases:
            r = self.tunnel(TOK[name], url, method, params)
            self.assertEqual(r.status, status, (name, method, url, r))
            body = r.json()
            if status == 200:
                self.assertIn("payload", body)
            else:
                self.assertEqual(body["status"], status)
        q = self.sim.get(self.sim.wsurl + "/TaskQueues/" + WQ, auth=(AC, AUTH)).json()
        self.assertEqual(q["max_reserved_workers"], 3)

    def test_tunnel_bad_requests(self):
        self.assertEqual(self.tunnel(None, None, raw=b"{not json").status, 400)
        self.assertEqual(self.tunnel(None, None, raw=b"[]").status, 400)
        self.assertEqual(self.tunnel(TOK["full_access"], None, raw=json.dumps({"token": TOK["full_access"]}).encode()).status, 400)
        self.assertEqual(self.tunnel(TOK["full_access"], QURL, method="PATCH").status, 400)
        r = self.tunnel(None, QURL)
        self.assertEqual(r.status, 403)
        self.assertIn('put the capability token in the JSON body as "token"', r.json()["message"])
        r = self.tunnel("", QURL)
        self.assertIn('in the JSON body as "token"', r.json()["message"])
        r = self.sim.request("GET", self.chan, auth=None)
        self.assertEqual(r.status, 405)
        r = self.sim.request("POST", "/v1/wschannels/%s/%s" % ("AC" + "f" * 32, WQ), auth=None,
                             raw_body=json.dumps({"url": QURL, "token": TOK["full_access"]}).encode())
        self.assertEqual(r.status, 403)


    def test_zz_delete_pushed_and_tunnelled(self):
        ws = self.connect(TOK["full_access"])
        try:
            r = self.tunnel(TOK["full_access"], QURL, "DELETE")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json(), {"event_type": None, "payload": None})
            ev = self.next_event(ws)
            self.assertEqual(ev["event_type"], "task-queue.deleted")
            self.assertEqual(ev["payload"]["sid"], WQ)
            self.assertEqual(self.tunnel(TOK["full_access"], QURL).status, 404)
        finally:
            ws.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
