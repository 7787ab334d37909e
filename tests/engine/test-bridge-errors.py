"""Event bridge failures say what failed and are not retried when retrying
cannot help: a host that does not resolve is named; a token whose policies
have no GET on its channel is caught before connecting ("this token does
not allow the event bridge"); a handshake refused with 403 names the
status and waits for a new token, which cures it.  REST goes direct with
an API key meanwhile, so records keep coming."""

import base64
import hashlib
import hmac
import json
import os
import time

from tqharness import SLOW, Suite, child_env, poll


def b64(d):
    return base64.urlsafe_b64encode(d).rstrip(b"=").decode()


def jwt(claims, key):
    head = b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    body = b64(json.dumps(claims).encode())
    sig = hmac.new(key.encode(), ("%s.%s" % (head, body)).encode(), hashlib.sha256).digest()
    return "%s.%s.%s" % (head, body, b64(sig))


def claims(wq, policies):
    return {"iss": sim.account, "exp": int(time.time()) + 3600, "version": "v1",
            "friendly_name": wq, "account_sid": sim.account, "workspace_sid": sim.ws,
            "channel": wq, "taskqueue_sid": wq, "policies": policies}


def pol(url, method):
    return {"url": url, "method": method, "allow": True, "query_filter": {}, "post_filter": {}}


def start(name, env, *args):
    return s.top(["-d", "1", "-o", "json", "--workspace", sim.ws, "--queue", wq] + list(args),
                 child_env(dict(sim.cred_env("key"), **env)), name)


with Suite("bridge-errors", "--seed", "13", "--paused", "--heartbeat", "1") as s:
    sim, tmp, t = s.sim, s.tmp, s.case
    wq = sim.queues[0]
    chan = "https://event-bridge.twilio.com/v1/wschannels/%s/%s" % (sim.account, wq)
    res = "https://taskrouter.twilio.com/v1/Workspaces/%s/TaskQueues/%s" % (sim.ws, wq)

    # --- a host that does not resolve is named (and retried: DNS comes back).
    top = start("dns", {"TQTOP_TOKEN": sim.mint(wq)}, "--api-url", sim.url,
                "--bridge-url", "https://nonexistent.invalid")
    hits = top.wait_log(r"bridge: cannot resolve the bridge host nonexistent\.invalid: ", SLOW, count=2)
    t.check(True, "DNS: '%s', retried" % hits[0].split("  ", 1)[1])
    poll(lambda: any(r["queue"]["error"] is None for r in top.records()), SLOW, "records")
    t.check(top.records()[-1]["bridge"]["status"] in ("disconnected", "connecting"),
            "DNS: records go on with the bridge disconnected")
    t.check(top.stop() == 0, "DNS: clean exit")

    # --- no GET policy on the channel: caught before connecting.
    before = sim.state()["sockets"]
    no_get = jwt(claims(wq, [pol(chan, "POST"), pol(res, "GET"), pol(res + "/**", "GET")]),
                 sim.auth_token)
    top = start("noget", {"TQTOP_TOKEN": no_get}, *sim.urls())
    top.wait_log(r"bridge: this token does not allow the event bridge \(no GET policy on %s\); "
                 r"not retrying until a new token comes" % chan.replace(".", r"\."), SLOW)
    poll(lambda: len(top.records()) >= 3, SLOW, "three records")
    log = top.log_text()
    t.check("bridge: connecting" not in log and sim.state()["sockets"] == before,
            "no GET policy: never connects (tqsim saw no socket)")
    t.check(top.records()[-1]["bridge"]["status"] == "gave-up", "no GET policy: the record says gave-up")
    t.check(top.stop() == 0, "no GET policy: clean exit")

    # --- handshake refused (a token signed with another key): 403 named,
    # not retried; a good token in the file cures it.
    bad = jwt(claims(wq, [pol(chan, "GET"), pol(chan, "POST"), pol(res, "GET")]), "f" * 32)
    path = tmp.file("token", bad)
    top = start("refused", {}, "--token-file", path, *sim.urls())
    top.wait_log(r"bridge: the server refused the websocket handshake: HTTP 403 \(the token is not "
                 r"valid for this channel\); not retrying until a new token comes", SLOW)
    n = len(top.records())
    poll(lambda: len(top.records()) >= n + 4, SLOW, "four more records")
    t.check(top.log_text().count("bridge: connecting") == 1, "403: one attempt, no retries")
    with open(path + ".new", "w") as f:
        f.write(sim.mint(wq))
    os.chmod(path + ".new", 0o600)
    os.rename(path + ".new", path)
    top.wait_log(r"bridge: ready", SLOW)
    t.check(True, "403: a new token in the file reconnects at once, ready")
    t.check(top.stop() == 0, "403: clean exit")
