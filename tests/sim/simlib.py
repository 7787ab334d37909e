"""Helpers for tqsim's tests: start tqsim on a free loopback port with an
env-file in a private directory, talk HTTP to it, stop it and insist on a
clean exit (status 0: under ASan that also means no leaks).

Never sleeps to synchronise: every wait polls a condition with a hard
deadline."""

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings

# urllib keeps sockets for the garbage collector to close; not a leak of ours.
warnings.simplefilter("ignore", ResourceWarning)

# Loopback only: never through a proxy from the environment.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

TIMEOUT = float(os.environ.get("TQSIM_TEST_TIMEOUT", "30"))


def builddir():
    return os.environ.get("top_builddir") or os.path.abspath(
        os.path.join(os.path.dirname(__file__), "..", ".."))


def fixtures():
    return os.environ.get("FIXTURES") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")


def wait_for(cond, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0fs waiting for %s" % (timeout, what))
        time.sleep(0.01)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


class Sim:
    """A running tqsim.  Arguments are extra command-line options."""

    def __init__(self, *args, env=None, scheme="http"):
        self.dir = tempfile.mkdtemp(prefix="tqsim-test.")
        self.env_path = os.path.join(self.dir, "env")
        self.log_path = os.path.join(self.dir, "tqsim.log")
        self.stderr_path = os.path.join(self.dir, "stderr")
        cmd = [os.path.join(builddir(), "tqsim"), "--listen", "127.0.0.1:0",
               "--env-file", self.env_path, "--log", self.log_path] + list(args)
        penv = dict(os.environ)
        if env:
            penv.update(env)
        self.stdout = open(os.path.join(self.dir, "stdout"), "wb")
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.stdout, stderr=self.stderr, env=penv)
        try:
            self._started()
        except BaseException:
            self.kill()
            raise

    def _started(self):
        wait_for(lambda: os.path.exists(self.env_path) or self.proc.poll() is not None,
                 "tqsim's env-file")
        if self.proc.poll() is not None:
            raise AssertionError("tqsim exited with %d: %s" % (self.proc.returncode, self.errors()))
        self.env = parse_env(self.env_path)
        self.url = self.env["TQSIM_URL"]
        self.account = self.env["TWILIO_ACCOUNT_SID"]
        self.token = self.env["TWILIO_AUTH_TOKEN"]
        self.api_key = self.env["TWILIO_API_KEY"]
        self.api_secret = self.env["TWILIO_API_SECRET"]
        self.ws = self.env["TQSIM_WORKSPACE_SID"]
        self.queues = self.env["TQSIM_QUEUE_SIDS"].split()
        self.wsurl = self.url + "/v1/Workspaces/" + self.ws
        self.context = None

    def errors(self):
        self.stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def request(self, method, url, params=None, data=None, json_body=None, auth=True, headers=None,
                raw_body=None):
        if not url.startswith("http"):
            url = self.url + url
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        body = None
        hdrs = dict(headers or {})
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            hdrs["Content-Type"] = "application/json"
        elif raw_body is not None:
            body = raw_body
        if auth is True:
            auth = (self.account, self.token)
        if auth:
            cred = base64.b64encode(("%s:%s" % auth).encode()).decode()
            hdrs["Authorization"] = "Basic " + cred
        req = urllib.request.Request(url, data=body, method=method, headers=hdrs)
        try:
            with _opener.open(req, timeout=TIMEOUT) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, url, params=None, **kw):
        return self.request("GET", url, params=params, **kw)

    def post(self, url, data=None, **kw):
        if data is None and "json_body" not in kw and "raw_body" not in kw:
            data = {}
        return self.request("POST", url, data=data, **kw)

    def delete(self, url, **kw):
        return self.request("DELETE", url, **kw)

    def control(self, path, **form):
        r = self.request("POST", "/_tqsim/" + path, data=form, auth=None)
        assert r.status == 200, "control %s: %r" % (path, r)
        return r.json()

    def state(self):
        r = self.request("GET", "/_tqsim/state", auth=None)
        assert r.status == 200, r
        return r.json()

    def stop(self):
        """SIGTERM, then insist on exit status 0 (clean, no leaks)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("tqsim did not exit after SIGTERM")
        self.stdout.close()
        self.stderr.close()
        with open(self.stderr_path, "rb") as f:
            errors = f.read().decode("utf-8", "replace")
        if rc != 0:
            keep = self.dir
            raise AssertionError("tqsim exited with %d (files kept in %s):\n%s" % (rc, keep, errors))
        shutil.rmtree(self.dir, ignore_errors=True)
        return errors

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.stdout.close()
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def parse_env(path):
    """The env-file is shell: let a shell read it, as users will."""
    out = subprocess.run(["/bin/sh", "-c", 'set -a && . "$1" && env -0', "sh", path],
                         check=True, capture_output=True, env={"PATH": "/usr/bin:/bin"}).stdout
    env = {}
    for item in out.split(b"\0"):
        if b"=" in item:
            k, v = item.split(b"=", 1)
            env[k.decode()] = v.decode()
    return env
