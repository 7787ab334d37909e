"""Shared helpers for the engine's integration tests (run by make check
with /usr/bin/python3).  They drive the real programs: tqsim on a free
loopback port, tqtop -b and the tq-apidrive test driver, and read tqtop's
--log file and tqsim's /_tqsim/state.  Synchronisation is by polling with
hard timeouts, never by sleeping for a fixed time.

A test script is one `with Suite(...) as s:` block: the suite starts
tqsim, tracks every tqtop it starts, and on the way out stops them all,
keeps or removes the scratch files and prints the PASS line."""

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

BUILD = os.environ.get("top_builddir", ".")
SRC = os.environ.get("top_srcdir", ".")
TQSIM = os.path.join(BUILD, "tqsim")
TQTOP = os.path.join(BUILD, "tqtop")
TQTOKEN = os.path.join(BUILD, "tqtoken")
DRIVE = os.path.join(BUILD, "tests", "engine", "tq-apidrive")
SUPP = os.path.join(SRC, "tests", "engine", "lsan-lws.supp")

# The deadline for what takes a second or two on an idle machine: a loaded
# machine runs an ASan build 5-10 times slower, and a deadline that is met
# costs nothing.
SLOW = 60

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


_failed = []


def fail(why):
    print("FAIL: " + why)
    _failed.append(why)
    sys.exit(1)


def need_binaries():
    for b in (TQSIM, TQTOP, TQTOKEN, DRIVE):
        if not os.access(b, os.X_OK):
            skip(b + " is not built")


def poll(cond, timeout, what, step=0.05):
    """Calls cond() until it returns a true value; fails after timeout s."""
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > end:
            fail("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(step)


class TmpDir:
    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="tqeng.")

    def file(self, name, text=None, mode=0o600):
        p = os.path.join(self.path, name)
        if text is not None:
            with open(p, "w") as f:
                f.write(text)
            os.chmod(p, mode)
        return p

    def cleanup(self, keep=False):
        if _failed or keep:
            print("kept the logs in " + self.path)
            return
        shutil.rmtree(self.path, ignore_errors=True)


def child_env(extra=None, drop_credentials=True):
    env = dict(os.environ)
    for k in list(env):
        if drop_credentials and (k.startswith("TWILIO_") or k.startswith("TQTOP_")):
            del env[k]
        if k.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            del env[k]
    # Full stacks so that the one suppression (lws 4.1.6's context
    # tables, see lsan-lws.supp) matches only what it should.
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + \
        ":fast_unwind_on_malloc=0:malloc_context_size=12:detect_leaks=1"
    env["LSAN_OPTIONS"] = "suppressions=%s:print_suppressions=0" % SUPP
    env["HOME"] = env.get("TQ_TEST_HOME", env.get("HOME", "/tmp"))
    env["TQTOP_CONFIG"] = "/dev/null"
    if extra:
        env.update(extra)
    return env


def check_sanitizers(stderr, what):
    for m in SANITIZER_MARKS:
        if m in stderr:
            fail("%s: sanitizer report:\n%s" % (what, stderr[-4000:]))


class Sim:
    """A tqsim on a free loopback port."""

    def __init__(self, tmp, *args, port=0, env=None, name="sim", listen="127.0.0.1"):
        self.tmp = tmp
        self.listen = listen
        self.args = list(args)
        self.name = name
        self.envfile = tmp.file(name + ".env")
        self.logfile = tmp.file(name + ".log")
        self.extra_env = dict(env or {})
        self.proc = None
        self.start(port)

    def start(self, port=0):
        if os.path.exists(self.envfile):
            os.unlink(self.envfile)
        env = child_env(self.extra_env)
        self.errfile = open(self.tmp.file(self.name + ".err"), "a")
        self.proc = subprocess.Popen(
            [TQSIM, "--listen", "%s:%d" % (self.listen, port), "--env-file", self.envfile,
             "--log", self.logfile] + self.args,
            stdout=subprocess.PIPE, stderr=self.errfile, env=env, text=True)
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            fail("tqsim did not start: %r" % line)
        poll(lambda: os.path.exists(self.envfile), SLOW, "tqsim's env file")
        self.env = {}
        with open(self.envfile) as f:
            for l in f:
                k, _, v = l.strip().partition("=")
                self.env[k] = v.strip("'")
        self.url = self.env["TQSIM_URL"]
        self.port = int(self.url.rsplit(":", 1)[1])
        self.ws = self.env["TQSIM_WORKSPACE_SID"]
        self.queues = self.env["TQSIM_QUEUE_SIDS"].split()
        self.account = self.env["TWILIO_ACCOUNT_SID"]
        self.auth_token = self.env["TWILIO_AUTH_TOKEN"]
        # keep the credentials across a restart on the same port
        self.extra_env.setdefault("TQSIM_AUTH_TOKEN", self.env["TWILIO_AUTH_TOKEN"])
        self.extra_env.setdefault("TQSIM_API_KEY", self.env["TWILIO_API_KEY"])
        self.extra_env.setdefault("TQSIM_API_SECRET", self.env["TWILIO_API_SECRET"])
        if "--account" not in self.args:
            self.args += ["--account", self.account]

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(SLOW)
        self.errfile.close()

    def stop(self):
        self.kill(signal.SIGTERM)

    def _open(self, req, timeout=10):
        ctx = None
        if self.url.startswith("https"):
            import ssl
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        return urllib.request.urlopen(req, timeout=timeout, context=ctx)

    def control(self, path, **params):
        data = urllib.parse.urlencode(params).encode()
        req = urllib.request.Request(self.url + "/_tqsim/" + path, data=data, method="POST")
        with self._open(req) as r:
            return json.loads(r.read())

    def state(self):
        with self._open(self.url + "/_tqsim/state") as r:
            return json.loads(r.read())

    def rest(self, path, method="GET", form=None):
        """Direct REST as a reference client (Basic auth, AC + auth token)."""
        data = urllib.parse.urlencode(form).encode() if form else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        cred = base64.b64encode(("%s:%s" % (self.account, self.auth_token)).encode()).decode()
        req.add_header("Authorization", "Basic " + cred)
        try:
            with self._open(req) as r:
                body = r.read()
                return r.status, (json.loads(body) if body else None)
        except urllib.error.HTTPError as e:
            body = e.read()
            return e.code, (json.loads(body) if body else None)

    def mint(self, queue=None, allow="fetch", ttl=3600):
        at = self.tmp.file("auth-token", self.auth_token)
        out = subprocess.run(
            [TQTOKEN, "mint", "--account", self.account, "--workspace", self.ws,
             "--queue", queue or self.queues[0], "--allow", allow, "--ttl", str(ttl),
             "--auth-token-file", at],
            capture_output=True, text=True, env=child_env())
        if out.returncode != 0:
            fail("tqtoken mint: " + out.stderr)
        return out.stdout.strip()

    def cred_env(self, kind="key"):
        if kind == "key":
            return {"TWILIO_API_KEY": self.env["TWILIO_API_KEY"],
                    "TWILIO_API_SECRET": self.env["TWILIO_API_SECRET"],
                    "TWILIO_ACCOUNT_SID": self.account}
        return {"TWILIO_ACCOUNT_SID": self.account, "TWILIO_AUTH_TOKEN": self.auth_token}

    def urls(self):
        return ["--api-url", self.url, "--bridge-url", self.url]


def run(cmd, env, timeout=60, what=None, input=None):
    """Runs a program to completion; checks sanitizers."""
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout,
                       input=input)
    check_sanitizers(p.stderr, what or cmd[0])
    return p


def drive(sim, call, *params, env=None, extra_args=()):
    cmd = [DRIVE] + sim.urls() + list(extra_args) + ["--", call] + list(params)
    p = run(cmd, child_env(env), what="tq-apidrive " + call)
    out = p.stdout.strip().splitlines()
    res = json.loads(out[-1]) if out else None
    return p.returncode, res, p.stderr


class Top:
    """tqtop -b running in the background with a log file."""

    def __init__(self, tmp, args, env, name="tqtop"):
        self.log = tmp.file(name + ".log")
        self.out = open(tmp.file(name + ".out"), "w+")
        self.err = open(tmp.file(name + ".err"), "w+")
        self.proc = subprocess.Popen([TQTOP, "-b", "--log", self.log] + args,
                                     stdout=self.out, stderr=self.err, env=env)
        self.stopped = False
        self.rc = None

    def log_text(self):
        try:
            with open(self.log) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def wait_log(self, pattern, timeout=30, count=1, after=0):
        rx = re.compile(pattern)

        def found():
            exited = self.proc.poll() is not None
            lines = self.log_text().splitlines()[after:]
            hits = [l for l in lines if rx.search(l)]
            if len(hits) >= count:
                return hits
            if exited:
                fail("tqtop exited (%s) while waiting for /%s/:\n%s\n%s" %
                     (self.proc.returncode, pattern, self.stderr(), self.log_text()[-3000:]))
            return None
        return poll(found, timeout, "log /%s/ x%d" % (pattern, count))

    def log_lines(self):
        return len(self.log_text().splitlines())

    def records(self):
        if not self.out.closed:
            self.out.flush()
        with open(self.out.name) as f:
            return [json.loads(l) for l in f if l.startswith("{")]

    def stderr(self):
        with open(self.err.name) as f:
            return f.read()

    def wait_exit(self, timeout=SLOW):
        """tqtop's exit status once it has exited on its own."""
        poll(lambda: self.proc.poll() is not None, timeout, "tqtop to exit")
        return self.proc.returncode

    def stop(self, expect_status=0):
        self.stopped = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(SLOW)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("tqtop did not stop on SIGTERM")
        self.rc = rc
        err = self.stderr()
        check_sanitizers(err, "tqtop")
        if expect_status is not None and rc != expect_status:
            fail("tqtop exited %d (expected %d): %s" % (rc, expect_status, err[-2000:]))
        self.out.close()
        self.err.close()
        return rc


def log_times(lines):
    """Seconds (float, UTC) of each log line's timestamp."""
    out = []
    for l in lines:
        m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z", l)
        if m:
            import datetime
            t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f")
            out.append(t.replace(tzinfo=datetime.timezone.utc).timestamp())
    return out


class Case:
    """Numbered, named checks printed as "ok N - what"; the first that
    fails ends the run (fail())."""

    def __init__(self, name):
        self.name = name
        self.n = 0

    def check(self, cond, what):
        self.n += 1
        if not cond:
            fail("%s: %s" % (self.name, what))
        print("ok %d - %s" % (self.n, what))


def local_address():
    """A non-loopback IPv4 address of this machine, or None: the address
    the kernel would send from towards a TEST-NET address (connecting a
    UDP socket sends no packet)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("192.0.2.1", 9))
        a = s.getsockname()[0]
    except OSError:
        a = None
    finally:
        s.close()
    return a if a and not a.startswith("127.") else None


class Suite:
    """One test script: the binaries checked, a scratch directory (tmp, or
    a new one), a tqsim started with sim_args, a Case, and every tqtop
    started through top().  `with Suite(...) as s:` runs the checks; on the
    way out, passed or failed, it stops every tqtop not yet stopped (their
    stderr still checked for sanitizer reports) and tqsim, keeps the
    scratch files if anything went wrong, and prints the PASS line only
    when the whole block ran.  Every engine test ended this way by hand."""

    def __init__(self, name, *sim_args, tmp=None, **sim_kw):
        need_binaries()
        self.tmp = tmp or TmpDir()
        self.case = Case(name)
        self.tops = []
        self.sim = Sim(self.tmp, *sim_args, **sim_kw)

    def top(self, args, env, name="tqtop"):
        top = Top(self.tmp, args, env, name)
        self.tops.append(top)
        return top

    def until_ready(self, name, args, env, records=3):
        """tqtop -b -d 0.5 -o json ARGS until its bridge is ready and it has
        printed RECORDS records, then SIGTERM; returns the stopped Top
        (.rc, records(), log_text(), stderr()).  Not -b -n RECORDS: REST
        does not wait for the websocket, so on a loaded machine all the
        records can come, and -n end the run, before the bridge is ready."""
        top = self.top(["-d", "0.5", "-o", "json"] + args, env, name)
        top.wait_log(r"bridge: ready", SLOW)
        poll(lambda: len(top.records()) >= records, SLOW, "%d records from %s" % (records, name))
        top.stop(None)
        return top

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        stopping = None
        for top in self.tops:
            if not top.stopped:
                try:
                    top.stop(None)
                except SystemExit as e:
                    stopping = stopping or e
        try:
            self.sim.stop()
        finally:
            self.tmp.cleanup(keep=kind is not None)
        if stopping and kind is None:
            raise stopping
        if kind is None:
            print("PASS: %d checks" % self.case.n)
        return False
