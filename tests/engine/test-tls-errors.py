"""TLS against a host that is not loopback, as for the real service:
certificates are verified against the system's trust store, read as a
hashed directory ($SSL_CERT_DIR here, so the test can point it at its own
CA).  With the CA in it, REST (curl) and the bridge (lws) both verify and
work; without it, one clear line names the host, the reason and
--ca-file, and nothing is retried (tqsim counts no request, lws makes one
attempt)."""

import os
import shutil
import subprocess

from tqharness import (SLOW, Suite, TmpDir, TQTOP, child_env, local_address, log_times,
                       need_binaries, poll, run, skip)

need_binaries()
if not shutil.which("openssl"):
    skip("openssl CLI not found")


def ossl(*args):
    p = subprocess.run(["openssl"] + list(args), capture_output=True, text=True)
    if p.returncode != 0:
        skip("openssl %s: %s" % (args[0], p.stderr[-300:]))
    return p.stdout


addr = local_address()
if not addr:
    skip("no non-loopback IPv4 address on this machine")
tmp = TmpDir()
d = tmp.path
ossl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
     "-days", "2", "-subj", "/CN=tqtop test CA", "-keyout", d + "/ca.key", "-out", d + "/ca.pem")
ossl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
     "-subj", "/CN=tqsim", "-keyout", d + "/srv.key", "-out", d + "/srv.csr")
with open(d + "/ext", "w") as f:
    f.write("subjectAltName=IP:%s,DNS:localhost\n" % addr)
ossl("x509", "-req", "-in", d + "/srv.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key",
     "-CAcreateserial", "-days", "2", "-extfile", d + "/ext", "-out", d + "/srv.pem")
good_dir, empty_dir = d + "/store", d + "/empty"
os.mkdir(good_dir)
os.mkdir(empty_dir)
h = ossl("x509", "-hash", "-noout", "-in", d + "/ca.pem").strip()
shutil.copy(d + "/ca.pem", "%s/%s.0" % (good_dir, h))

with Suite("tls", "--seed", "14", "--paused", "--heartbeat", "1", "--tls-cert", d + "/srv.pem",
           "--tls-key", d + "/srv.key", listen="0.0.0.0", tmp=tmp) as s:
    sim, t = s.sim, s.case
    wq = sim.queues[0]
    remote = "https://%s:%d" % (addr, sim.port)
    args = ["--api-url", remote, "--bridge-url", remote, "--workspace", sim.ws, "--queue", wq]

    # The CA in the store: both verify (curl by CAPATH, lws by its dir).
    top = s.until_ready("good", args, child_env(dict(sim.cred_env("auth"), SSL_CERT_DIR=good_dir)))
    t.check(top.rc == 0 and len(top.records()) >= 3 and "bridge: ready" in top.log_text(),
            "CA in the system store: REST and wss to %s verify and work (%s)" %
            (addr, top.stderr().strip()[-200:]))

    # Not in the store: REST fails once, clearly, and -b ends.
    before = sim.state()["requests"]["total"]
    log = tmp.file("bad.log")
    p = run([TQTOP, "-b", "-n", "1", "-o", "json", "--log", log] + args,
            child_env(dict(sim.cred_env("key"), SSL_CERT_DIR=empty_dir)))
    err = p.stderr.strip().splitlines()
    want = "TLS: cannot verify the certificate of %s (" % addr
    t.check(p.returncode == 1 and len(err) == 1 and want in err[0] and
            err[0].endswith("if your own CA signed it, give it with --ca-file FILE"),
            "not in the store: exit 1, one line naming the host and --ca-file (%r)" % err)
    with open(log) as f:
        lines = f.read().splitlines()
    # From the start of the watch to the error, in tqtop's own log (process
    # start and exit are slow under ASan on a loaded machine): retries
    # would add at least 0.25 + 0.5 + 1 s.
    failed = [l for l in lines if "cannot verify the certificate" in l]
    took = (log_times(failed) or [99])[0] - (log_times([l for l in lines if "watching queue" in l]) or [0])[0]
    t.check(not any("retry" in l for l in lines) and len(failed) == 1 and took < 1.5 and
            sim.state()["requests"]["total"] == before,
            "not in the store: no retry, nothing reached tqsim (failed after %.2f s)" % took)

    # The bridge alone (REST over loopback): one attempt, then it stops.
    top = s.top(["-d", "1", "-o", "json", "--api-url", sim.url.replace("0.0.0.0", "127.0.0.1"),
                 "--bridge-url", remote, "--workspace", sim.ws, "--queue", wq],
                child_env(dict(sim.cred_env("auth"), SSL_CERT_DIR=empty_dir)), "bridge")
    hit = top.wait_log(r"bridge: TLS: cannot verify the certificate of %s \(.+\); if your own CA "
                       r"signed it, give it with --ca-file FILE; not retrying" % addr.replace(".", r"\."), SLOW)
    n = len(top.records())
    poll(lambda: len(top.records()) >= n + 4, SLOW, "four more records")
    t.check(top.log_text().count("bridge: connecting") == 1 and top.records()[-1]["bridge"]["status"] == "gave-up",
            "bridge: one attempt, gave up, records go on ('%s')" % hit[0].split("bridge: ", 1)[1][:90])
    t.check(top.stop() == 0, "bridge: clean exit")
