"""A token service that fails does not leave tqtop expired for good: a
--token-cmd that fails is run again with backoff (1, 2, 4 ... s) for as
long as it fails, before and after token.expired; after token.expired no
request goes out with the dead token (tqsim counts none on the channel and
no 401); the batch run waits ("waiting for a new token") instead of
ending; once the command works again, a new token, the bridge ready again
and good records follow on their own."""

import os
import re
import time

from tqharness import SLOW, Suite, TQTOKEN, child_env, poll

with Suite("token-refresh", "--seed", "6", "--heartbeat", "1") as s:
    sim, tmp, t = s.sim, s.tmp, s.case
    wq = sim.queues[0]
    chan = "/v1/wschannels/%s/%s" % (sim.account, wq)
    flag = tmp.file("token-service-down")
    at_file = tmp.file("auth-token", sim.auth_token)
    mint = "%s mint --account %s --workspace %s --queue %s --allow fetch --ttl 16 --auth-token-file %s" % (
        TQTOKEN, sim.account, sim.ws, wq, at_file)
    cmd = "sh -c 'if [ -e %s ]; then echo token service down >&2; exit 1; fi; exec %s'" % (flag, mint)
    top = s.top(["-d", "1", "-o", "json", "--token-cmd", cmd] + sim.urls(), child_env())
    hit = top.wait_log(r"token: from token-cmd for channel %s, expires" % wq, SLOW)
    open(flag, "w").close()
    exp = time.time() + 16  # an upper bound: the token was minted just before
    top.wait_log(r"bridge: ready", SLOW)

    # The refresh ahead of expiry fails, and is tried again with backoff.
    hits = top.wait_log(r"token: the refresh failed; trying again in [0-9.]+ s", SLOW, count=3)
    d = [float(re.search(r"again in ([0-9.]+) s", l).group(1)) for l in hits[:3]]
    t.check(0.5 <= d[0] <= 1.0 and 1.0 <= d[1] <= 2.0 and 2.0 <= d[2] <= 4.0,
            "failed refreshes are retried after %s s (1, 2, 4 s with jitter)" % d)
    top.wait_log(r"token\.expired: the token for channel %s" % wq, SLOW)
    # Requests already out when token.expired fired may still land: count
    # once a record has been printed since (tqtop has gone on past the
    # expiry) and tqsim has nothing left in flight.
    poll(lambda: any(r["token"] and r["token"]["expired"] for r in top.records()) and
         sim.state()["in_flight"] == 0, SLOW, "the requests out at token.expired to land")
    st = sim.state()
    sent_at_expiry = st["requests_by_path"].get(chan, 0)

    # Past the real exp: still running, records say why they are empty.
    poll(lambda: time.time() > exp + 3, 30, "the old token's exp")
    recs = top.records()
    late = [r for r in recs if r["token"] and r["token"]["expired"]]
    t.check(top.proc.poll() is None, "batch: still running after the token expired (a source can renew it)")
    t.check(late and all(r["queue"]["error"] and "waiting for a new token" in r["queue"]["error"]["message"]
                         for r in late[1:]),
            "records after token.expired say 'waiting for a new token'")
    t.check(late[-1]["token"]["refresh_error"] == "--token-cmd exited with status 1",
            "records carry the refresh error (%r)" % late[-1]["token"]["refresh_error"])
    st = sim.state()
    t.check(st["requests_by_path"].get(chan, 0) == sent_at_expiry and "401" not in st["requests"]["by_status"],
            "no request went out with the dead token (channel %d -> %d, by_status %s)" %
            (sent_at_expiry, st["requests_by_path"].get(chan, 0), st["requests"]["by_status"]))
    t.check(re.search(r"bridge: the token has expired; waiting for a new one", top.log_text()) is not None,
            "the bridge waits for a new token")
    fails = top.log_text().count("token: --token-cmd exited with status 1")
    t.check(fails >= 4, "the command was run again and again while it failed (%d runs)" % fails)

    # The service comes back: a new token, the bridge and polling resume.
    mark = top.log_lines()
    n0 = len(top.records())
    os.unlink(flag)
    # the next run of the command is up to 30 s away (the backoff's cap)
    top.wait_log(r"token: from token-cmd for channel %s, expires" % wq, SLOW, after=mark)
    top.wait_log(r"bridge: ready", SLOW, after=mark)
    poll(lambda: any(r["queue"]["error"] is None and r["realtime"]["error"] is None and
                     not r["token"]["expired"] and r["bridge"]["status"] == "ready"
                     for r in top.records()[n0:]), SLOW, "a good record with the new token")
    t.check(True, "recovers on its own: new token, bridge ready, good records")
    t.check(top.stop() == 0, "clean exit")
