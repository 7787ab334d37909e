"""Secrets never cross a network in clear text: with an http:// (or ws://)
URL to a host that is not loopback, tqtop refuses to start, with one line
naming the option and the fix, and sends nothing (tqsim, listening on every
address, counts no request).  Loopback http:// still works, never through
a proxy, and a URL that carries no secret in the chosen mode is not
refused."""

from tqharness import Suite, TQTOP, child_env, local_address, run

with Suite("cleartext", "--seed", "4", "--paused", listen="0.0.0.0") as s:
    sim, t = s.sim, s.case
    wq = sim.queues[0]
    # tqtop refuses before it sends: the address need not answer.
    addr = local_address() or "192.0.2.1"
    remote = "http://%s:%d" % (addr, sim.port)
    local = "http://127.0.0.1:%d" % sim.port
    q = ["--workspace", sim.ws, "--queue", wq]

    def total():
        return sim.state()["requests"]["total"]

    def refused(what, args, env, opt, secret):
        before = total()
        p = run([TQTOP, "-b", "-n", "2", "-d", "0.5"] + args, child_env(env), timeout=30)
        err = p.stderr.strip().splitlines()
        want = ("tqtop: %s %s: refusing to send %s without TLS to a non-loopback host; "
                "use https://" % (opt, remote, secret))
        t.check(p.returncode == 2 and len(err) == 1 and err[0].startswith(want) and
                p.stdout == "", "%s: exit 2, one line naming %s and the fix (%r)" % (what, opt, err))
        t.check(total() == before, "%s: nothing was sent (tqsim counted %d requests)" %
                (what, total() - before))

    refused("account credentials", ["--api-url", remote, "--bridge-url", local, "--no-bridge"] + q,
            sim.cred_env("auth"), "--api-url", "credentials")
    refused("API key", ["--api-url", remote, "--bridge-url", local] + q,
            sim.cred_env("key"), "--api-url", "credentials")
    refused("token (tunnel and websocket)", ["--api-url", local, "--bridge-url", remote],
            {"TQTOP_TOKEN": sim.mint(wq, "fetch")}, "--bridge-url", "the token")
    refused("token, --no-bridge (tunnel)", ["--api-url", local, "--bridge-url", remote, "--no-bridge"],
            {"TQTOP_TOKEN": sim.mint(wq, "fetch")}, "--bridge-url", "the token")
    refused("minted bridge token", ["--api-url", local, "--bridge-url", remote] + q,
            sim.cred_env("auth"), "--bridge-url", "the token")

    # A URL that carries nothing secret in this mode is not refused: an API
    # key goes direct and there is no bridge without an auth token to mint.
    p = run([TQTOP, "-b", "-n", "1", "-o", "json", "--api-url", local, "--bridge-url", remote] + q,
            child_env(sim.cred_env("key")))
    t.check(p.returncode == 0 and len(p.stdout.splitlines()) == 1,
            "API key: an unused http:// bridge URL is no reason to refuse (%s)" % p.stderr.strip()[-200:])

    # Loopback in clear text works, and never through a proxy (which would
    # see the secret): http_proxy names a port where nothing listens.
    for name, env in (("credentials", sim.cred_env("auth")),
                      ("token", {"TQTOP_TOKEN": sim.mint(wq, "fetch")})):
        env = dict(env, http_proxy="http://127.0.0.1:9", all_proxy="http://127.0.0.1:9")
        args = q if name == "credentials" else []
        top = s.until_ready("loopback-" + name, ["--api-url", local, "--bridge-url", local] + args,
                            child_env(env))
        t.check(top.rc == 0 and len(top.records()) >= 3 and "bridge: ready" in top.log_text(),
                "%s: http://127.0.0.1 works, REST and bridge, past http_proxy (%s)" %
                (name, top.stderr().strip()[-200:]))
