"""Proxies and TLS: tqsim serves HTTPS and WSS with a certificate made now
by the openssl CLI; a CONNECT proxy on loopback records what goes through
it.  REST (curl) and the websocket (lws) both use https_proxy / HTTPS_PROXY,
each skips it for a NO_PROXY host, and --ca-file is checked (a wrong CA
fails)."""

import shutil
import socket
import subprocess
import threading

from tqharness import Suite, TmpDir, TQTOP, child_env, need_binaries, run, skip

need_binaries()
if not shutil.which("openssl"):
    skip("openssl CLI not found")


class ConnectProxy:
    def __init__(self):
        self.targets = []
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(16)
        self.port = self.srv.getsockname()[1]
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        head = b""
        while b"\r\n\r\n" not in head:
            d = c.recv(4096)
            if not d:
                c.close()
                return
            head += d
        line = head.split(b"\r\n", 1)[0].decode()
        method, target, _ = line.split(" ", 2)
        if method != "CONNECT":
            c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            c.close()
            return
        with self.lock:
            self.targets.append(target)
        host, port = target.rsplit(":", 1)
        try:
            u = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
        except OSError:
            c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            c.close()
            return
        c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        rest = head.split(b"\r\n\r\n", 1)[1]
        if rest:
            u.sendall(rest)
        u.settimeout(None)

        def pipe(a, b):
            try:
                while True:
                    d = a.recv(65536)
                    if not d:
                        break
                    b.sendall(d)
            except OSError:
                pass
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        threading.Thread(target=pipe, args=(u, c), daemon=True).start()
        pipe(c, u)

    def seen(self):
        with self.lock:
            return set(self.targets)

    def reset(self):
        with self.lock:
            self.targets = []


def make_cert(tmp, name):
    key, crt = tmp.file(name + ".key"), tmp.file(name + ".pem")
    p = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", key, "-out", crt], capture_output=True, text=True)
    if p.returncode != 0:
        skip("openssl cannot make a certificate: " + p.stderr[-300:])
    return key, crt


tmp = TmpDir()
key, crt = make_cert(tmp, "tqsim")
_, wrong = make_cert(tmp, "other")
with Suite("proxy", "--seed", "9", "--paused", "--tls-cert", crt, "--tls-key", key, tmp=tmp) as s:
    sim, t = s.sim, s.case
    proxy = ConnectProxy()
    t.check(sim.url.startswith("https://"), "tqsim serves https")
    wq = sim.queues[0]
    rest_host = "127.0.0.1:%d" % sim.port
    ws_host = "localhost:%d" % sim.port
    args = ["--ca-file", crt, "--api-url", "https://" + rest_host, "--bridge-url", "https://" + ws_host,
            "--workspace", sim.ws, "--queue", wq]
    proxy_url = "http://127.0.0.1:%d" % proxy.port

    cases = [
        ("https_proxy", {"https_proxy": proxy_url}, {rest_host, ws_host}),
        ("HTTPS_PROXY, NO_PROXY=localhost", {"HTTPS_PROXY": proxy_url, "NO_PROXY": "localhost"}, {rest_host}),
        ("https_proxy, no_proxy=127.0.0.1", {"https_proxy": proxy_url, "no_proxy": "127.0.0.1"}, {ws_host}),
        ("NO_PROXY for both", {"https_proxy": proxy_url, "NO_PROXY": "localhost,127.0.0.1"}, set()),
    ]
    for i, (what, penv, want) in enumerate(cases):
        proxy.reset()
        top = s.until_ready("proxy-%d" % i, args, child_env(dict(sim.cred_env("auth"), **penv)))
        text = top.log_text()
        t.check(top.rc == 0 and len(top.records()) >= 3,
                "%s: three records over TLS, clean exit (%s)" % (what, top.stderr().strip()[-200:]))
        t.check("bridge: ready" in text, "%s: the wss bridge is ready" % what)
        t.check(proxy.seen() == want, "%s: through the proxy: %s (want %s)" %
                (what, sorted(proxy.seen()), sorted(want)))
        if ws_host in want:
            t.check("bridge: through proxy 127.0.0.1:%d (from %s)" % (proxy.port, [k for k in penv if "proxy" in k.lower() and "no" not in k.lower()][0]) in text,
                    "%s: the log names the bridge's proxy" % what)

    # A long token (over lws 4.1.6's 2 KB request line) through the proxy
    # over TLS: the rewritten request line survives CONNECT and TLS.
    proxy.reset()
    env = child_env({"TQTOP_TOKEN": sim.mint(wq, "fetch,update,delete"), "https_proxy": proxy_url})
    top = s.until_ready("big", ["--ca-file", crt, "--bridge-url", "https://" + ws_host], env, records=2)
    t.check(top.rc == 0 and "bridge: ready" in top.log_text() and proxy.seen() == {ws_host},
            "long token: wss through the proxy, tunnelled REST too (%s)" % sorted(proxy.seen()))

    # --ca-file is really checked: a CA that did not sign tqsim's certificate.
    bad = [a if a != crt else wrong for a in args]
    p = run([TQTOP, "-b", "-n", "3", "--log", tmp.file("bad.log")] + bad, child_env(sim.cred_env("auth")),
            what="tqtop wrong CA")
    err = p.stderr.strip().splitlines()
    t.check(p.returncode == 1 and len(err) == 1 and "certificate" in err[0].lower(),
            "wrong --ca-file: exit 1, one line about the certificate (%r)" % err)
