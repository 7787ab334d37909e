"""The token's life in tqtop -b against tqsim: token.expired 5 s before
exp, the server's 4001 close, refresh from --token-file (re-read when the
file changes) and from --token-cmd (run ahead of expiry, no shell), and
the reconnect and every later request (all three polled calls) using the
new token."""

import base64
import datetime
import json
import os
import re
import time

from tqharness import SLOW, Suite, TQTOKEN, child_env, log_times, poll

CLOSED_AT_EXP = r"bridge: disconnected: (closed by the server: 4001|connection closed)"


def claims(jwt):
    p = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))


def iso(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def good_after(top, n0, when):
    recs = top.records()[n0:]
    return [r for r in recs if r["time"] > iso(when) and r["queue"]["error"] is None and
            r["realtime"]["error"] is None and r["cumulative"]["error"] is None]


with Suite("token-life", "--seed", "5", "--heartbeat", "1") as s:
    sim, tmp, t = s.sim, s.tmp, s.case
    wq = sim.queues[0]

    # --- TQTOP_TOKEN, no way to refresh: token.expired 5 s before exp;
    # the tunnel would only get 401s from then on, so -b ends, saying why.
    jwt = sim.mint(wq, "fetch", ttl=12)
    exp = claims(jwt)["exp"]
    top = s.top(["-d", "1", "-o", "json"] + sim.urls(), child_env({"TQTOP_TOKEN": jwt}), "env")
    top.wait_log(r"bridge: ready", SLOW)
    hit = top.wait_log(r"token\.expired: the token for channel %s expires at %s" % (wq, iso(exp)), SLOW)
    at = log_times(hit)[0]
    t.check(abs(at - (exp - 5)) < 1.2, "env: token.expired %.1f s before exp" % (exp - at))
    rc = top.wait_exit()
    err = top.stderr().strip().splitlines()
    t.check(rc == 1 and err == ["tqtop: cannot read queue %s: the token expired and nothing can renew "
                                "it (use --token-file or --token-cmd)" % wq],
            "env: -b ends with status 1 and one line saying why (%d, %r)" % (rc, err))
    t.check(any(r["token"] and r["token"]["expired"] for r in top.records()),
            "env: the last record says token.expired")
    top.stop(None)

    # --- REST with an API key, the bridge with TQTOP_TOKEN: polling goes
    # on past exp; tqsim closes the socket at exp and the bridge waits.
    jwt = sim.mint(wq, "fetch", ttl=12)
    exp = claims(jwt)["exp"]
    env = child_env(dict(sim.cred_env("key"), TQTOP_TOKEN=jwt))
    top = s.top(["-d", "1", "-o", "json"] + sim.urls(), env, "envkey")
    top.wait_log(r"bridge: ready", SLOW)
    n0 = len(top.records())
    # The interface promises close code 4001 "token expired"; the first
    # tqsim closes the TCP connection without a close frame: accept both.
    top.wait_log(CLOSED_AT_EXP, SLOW)
    top.wait_log(r"the token has expired; waiting for a new one", SLOW)
    t.check(True, "env + API key: tqsim closes the socket at exp; the bridge waits for a new token")
    poll(lambda: good_after(top, n0, exp + 1), SLOW, "direct REST records after exp")
    t.check(True, "env + API key: direct REST goes on after the bridge token expired")
    t.check(top.stop() == 0, "env + API key: clean exit")

    # --- --token-file: re-read when it changes; reconnect with the new token.
    # The second token is minted first: between the first one's mint and
    # its token.expired (15 s) there is only tqtop's start and the bridge.
    second = sim.mint(wq, "fetch", ttl=120)
    exp2 = claims(second)["exp"]
    first = sim.mint(wq, "fetch", ttl=20)
    exp1 = claims(first)["exp"]
    path = tmp.file("token", first + "\n", mode=0o644)
    top = s.top(["-d", "1", "-o", "json", "--token-file", path] + sim.urls(), child_env(), "file")
    top.wait_log(r"bridge: ready", SLOW)
    t.check("--token-file %s is readable by everyone: chmod 600 it" % path in top.log_text(),
            "file: a world-readable token file is warned about")
    t.check(exp2 > exp1, "file: the new token outlives the first")
    tmpfile = path + ".new"
    with open(tmpfile, "w") as f:
        f.write(second)
    os.chmod(tmpfile, 0o600)
    os.rename(tmpfile, path)
    renamed = time.time()
    hit = top.wait_log(r"token: from token-file for channel %s, expires %s" % (wq, iso(exp2)), SLOW)
    took = log_times(hit)[0] - renamed
    t.check(took < 10, "file: the rewritten file is picked up at once (%.2f s)" % took)
    mark = top.log_lines()
    n0 = len(top.records())
    top.wait_log(CLOSED_AT_EXP, SLOW, after=mark)
    top.wait_log(r"bridge: ready", SLOW, after=mark)
    t.check("token.expired" not in top.log_text(), "file: refreshed before token.expired")
    poll(lambda: good_after(top, n0, exp1 + 1), SLOW, "good records after the first token's exp")
    t.check(True, "file: reconnected, and queue + both statistics keep working past the old exp")
    t.check(top.stop() == 0, "file: clean exit")

    # --- --token-cmd: run ahead of expiry, no shell involved.
    at_file = tmp.file("auth-token", sim.auth_token)
    cmd = "%s mint --account %s --workspace %s --queue %s --allow fetch --ttl 16 --auth-token-file '%s'" % (
        TQTOKEN, sim.account, sim.ws, wq, at_file)
    top = s.top(["-d", "1", "-o", "json", "--token-cmd", cmd] + sim.urls(), child_env(), "cmd")
    hits = top.wait_log(r"token: from token-cmd for channel %s, expires" % wq, SLOW)
    exp1 = int(datetime.datetime.strptime(hits[0].split("expires ")[1].strip(), "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=datetime.timezone.utc).timestamp())
    top.wait_log(r"bridge: ready", SLOW)
    n0 = len(top.records())
    hits = top.wait_log(r"token: from token-cmd for channel", SLOW, count=2)
    refreshed = log_times(hits[1:2])[0]
    t.check(refreshed < exp1 - 5, "cmd: a new token %.1f s before the first expires" % (exp1 - refreshed))
    mark = top.log_lines()
    top.wait_log(CLOSED_AT_EXP, SLOW, after=mark)
    top.wait_log(r"bridge: ready", SLOW, after=mark)
    poll(lambda: good_after(top, n0, exp1 + 1), SLOW, "good records after the first token's exp")
    t.check("token.expired" not in top.log_text(), "cmd: refreshed ahead, never token.expired")
    t.check(True, "cmd: reconnected with the new token, polling goes on")
    log = top.log_text()
    t.check(sim.auth_token not in log and not re.search(r"eyJ[\w-]+\.eyJ", log),
            "cmd: no token and no auth token in the log")
    t.check(top.stop() == 0, "cmd: clean exit")

    # --- credentials: tqtop mints its own bridge token (20 s here) and,
    # with the next one, moves the open bridge to a new connection before
    # the old token expires: no disconnect is ever seen.
    env = child_env(dict(sim.cred_env("auth"), TQTOP_MINT_TTL="20"))
    top = s.top(["-d", "1", "-o", "json", "--workspace", sim.ws, "--queue", wq] + sim.urls(),
                env, "minted")
    hits = top.wait_log(r"token: from minted for channel %s, expires" % wq, SLOW)
    exp1 = int(datetime.datetime.strptime(hits[0].split("expires ")[1].strip(), "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=datetime.timezone.utc).timestamp())
    top.wait_log(r"bridge: ready", SLOW)
    top.wait_log(r"token: from minted for channel", SLOW, count=2)
    top.wait_log(r"bridge: moved to a connection with the new token \(no gap\)", SLOW)
    # The wall clock is what this waits for: past exp, with records.
    poll(lambda: time.time() > exp1 + 4, 30, "past the first token's exp")
    log = top.log_text()
    # Past the start: from the first record that saw the bridge ready (a
    # loaded machine can print a few records before the ready answer).
    statuses = [r["bridge"]["status"] for r in top.records()]
    past = statuses[statuses.index("ready"):] if "ready" in statuses else []
    t.check("bridge: disconnected" not in log and "token.expired" not in log,
            "minted: renewed before exp, no disconnect, no token.expired")
    t.check(len(past) >= 4 and all(st == "ready" for st in past),
            "minted: every record past the start says the bridge is ready (%d of %d, before: %s)" %
            (past.count("ready"), len(past), statuses[:len(statuses) - len(past)]))
    t.check(top.stop() == 0, "minted: clean exit")
