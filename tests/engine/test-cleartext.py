"""Secrets never cross a network in clear text: with an http:// (or ws://)
URL to a host that is not loopback, tqtop refuses to start, with one line
naming the option and the fix, and sends nothing (tqsim, listening on every
address, counts no request).  Loopback http:// still works, never through
a proxy, and a URL that carries no secret in the chosen mode is not
refused."""

import socket

from tqharness import (Case, Sim, TmpDir, TQTOP, child_env, need_binaries, run)

need_binaries()


def local_address():
    """A non-loopback address of this machine (no packet is sent)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("192.0.2.1", 9))
        a = s.getsockname()[0]
    except OSError:
        a = None
    finally:
        s.close()
    return a if a and not a.startswith("127.") else "192.0.2.1"


tmp = TmpDir()
sim = Sim(tmp, "--seed", "4", "--paused", listen="0.0.0.0")
t = Case("cleartext")
try:
    wq = sim.queues[0]
    addr = local_address()
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
        log = tmp.file("loopback-%s.log" % name)
        args = q if name == "credentials" else []
        p = run([TQTOP, "-b", "-n", "3", "-d", "0.5", "-o", "json", "--log", log,
                 "--api-url", local, "--bridge-url", local] + args, child_env(env))
        with open(log) as f:
            text = f.read()
        t.check(p.returncode == 0 and len(p.stdout.splitlines()) == 3 and "bridge: ready" in text,
                "%s: http://127.0.0.1 works, REST and bridge, past http_proxy (%s)" %
                (name, p.stderr.strip()[-200:]))
finally:
    sim.stop()
    tmp.cleanup()
print("PASS: %d checks" % t.n)
