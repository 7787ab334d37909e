"""tqtoken against the official Python helper library (Debian's
python3-twilio): tokens minted by tqtoken are decoded and verified by
twilio.jwt.Jwt and carry the claims TaskQueueCapabilityToken produces for
the same inputs; tokens minted by the library are inspected and verified
by tqtoken; and the CLI keeps secrets off argv and out of its output.

Run by `make check` with /usr/bin/python3 (top_builddir, top_srcdir and
FIXTURES come from the environment)."""

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

try:
    from twilio.jwt import Jwt, JwtDecodeError
    from twilio.jwt.taskrouter.capabilities import TaskQueueCapabilityToken
except ImportError as e:  # pragma: no cover - reported as a skip
    print("SKIP: python3-twilio is not importable: %s" % e, file=sys.stderr)
    sys.exit(77)

BUILD = os.environ.get("top_builddir", ".")
SRC = os.environ.get("top_srcdir", ".")
FIXTURES = os.environ.get("FIXTURES", os.path.join(SRC, "tests", "fixtures"))
TQTOKEN = os.path.join(BUILD, "tqtoken")

AC = "AC0123456789abcdef0123456789abcdef"
WS = "WS0123456789abcdef0123456789abcdef"
WQ = "WQ0123456789abcdef0123456789abcdef"
# Not the fixture's auth token: that one is a substring of the fixture's
# SIDs, so "never printed" could not be checked with it.
KEY = "7f3c9a1e5b2d48c6a0e1f29d3b4c5a6e"
OTHER_KEY = "e6a5c4b3d92f1e0a6c84d2b5e1a9c3f7"
TIMES = ("exp", "iat", "nbf")

with open(os.path.join(FIXTURES, "taskrouter", "capability-tokens.json")) as f:
    VECTORS = json.load(f)
VECTOR_KEY = VECTORS["auth_token"]


def run(*args, env_key=KEY, stdin=None, extra_env=None):
    """Runs tqtoken; returns (rc, stdout, stderr).  Every run is also
    checked never to print the auth token."""
    env = {k: v for k, v in os.environ.items() if k != "TWILIO_AUTH_TOKEN"}
    if env_key is not None:
        env["TWILIO_AUTH_TOKEN"] = env_key
    env.update(extra_env or {})
    p = subprocess.run([TQTOKEN] + list(args), input=stdin, capture_output=True,
                       text=True, env=env, timeout=60)
    for secret in (KEY, OTHER_KEY):
        assert secret not in p.stdout and secret not in p.stderr, \
            "tqtoken printed an auth token: %r" % (args,)
    return p.returncode, p.stdout, p.stderr


def claims_of(token):
    """The payload as sent, keys in their order."""
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def header_of(token):
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def mint(*extra, **kw):
    rc, out, err = run("mint", "--account", AC, "--workspace", WS, "--queue", WQ, *extra, **kw)
    if rc != 0:
        raise AssertionError("mint failed (%d): %s" % (rc, err))
    assert err == "", err
    assert out.endswith("\n") and out.count("\n") == 1
    return out.strip()


def without_times(d):
    return {k: v for k, v in d.items() if k not in TIMES}


def python_token(**kw):
    return TaskQueueCapabilityToken(AC, KEY, WS, WQ, **kw)


class Tmp:
    def __init__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="tqtoken-test.")

    def file(self, name, text, mode=0o600):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def cleanup(self):
        self.dir.cleanup()


class MintMatchesHelperLibrary(unittest.TestCase):
    CASES = [
        ((), {}),
        (("--allow", "fetch"), {"allow_fetch_subresources": True}),
        (("--allow", "update"), {"allow_update_self": True}),
        (("--allow", "delete"), {"allow_delete_self": True}),
        (("--allow", "fetch,update,delete"),
         {"allow_fetch_subresources": True, "allow_update_self": True, "allow_delete_self": True}),
        (("--allow", "delete", "--allow", "update,fetch"),
         {"allow_fetch_subresources": True, "allow_update_self": True, "allow_delete_self": True}),
    ]

    def test_python_verifies_and_claims_match(self):
        for args, kwargs in self.CASES:
            with self.subTest(args=args):
                token = mint(*args)
                decoded = Jwt.from_jwt(token, KEY)  # verifies signature, exp, nbf
                self.assertEqual(decoded.headers, {"alg": "HS256", "typ": "JWT"})
                ref = python_token(**kwargs)
                ref_claims = claims_of(ref.to_jwt())
                ours = claims_of(token)
                self.assertEqual(without_times(ours), without_times(ref_claims))
                # same policies in the same order, and the same claim order
                self.assertEqual(ours["policies"], ref_claims["policies"])
                self.assertEqual([k for k in ours if k != "iat"], list(ref_claims))
                self.assertEqual(header_of(token), header_of(ref.to_jwt()))
                self.assertEqual(ours["exp"] - ours["iat"], 3600)
                self.assertEqual(ours["nbf"], ours["iat"])
                self.assertLessEqual(abs(ours["iat"] - time.time()), 60)

    def test_other_key_is_refused_by_python(self):
        token = mint("--allow", "fetch")
        with self.assertRaises(JwtDecodeError):
            Jwt.from_jwt(token, OTHER_KEY)

    def test_workers_goes_beyond_the_library(self):
        # --allow workers (tqtop's worker preview) is not a helper-library
        # option: the library's policies, in its order, then one more
        for args, kwargs in ((("--allow", "workers"), {}),
                             (("--allow", "fetch,update,delete,workers"),
                              {"allow_fetch_subresources": True, "allow_update_self": True,
                               "allow_delete_self": True})):
            with self.subTest(args=args):
                token = mint(*args)
                Jwt.from_jwt(token, KEY)
                ours = claims_of(token)
                ref = claims_of(python_token(**kwargs).to_jwt())
                self.assertEqual(ours["policies"][:-1], ref["policies"])
                self.assertEqual(ours["policies"][-1], {
                    "url": "https://taskrouter.twilio.com/v1/Workspaces/%s/Workers" % WS,
                    "method": "GET", "allow": True, "query_filter": {}, "post_filter": {}})
                ours.pop("policies")
                ref.pop("policies")
                self.assertEqual(without_times(ours), without_times(ref))

    def test_ttl(self):
        token = mint("--ttl", "120")
        claims = Jwt.from_jwt(token, KEY).payload
        self.assertEqual(claims["exp"] - claims["iat"], 120)
        ref = claims_of(python_token(ttl=120).to_jwt())
        self.assertEqual(without_times(claims), without_times(ref))

    def test_friendly_name(self):
        token = mint("--friendly-name", "Support queue \u00e9")
        claims = Jwt.from_jwt(token, KEY).payload
        self.assertEqual(claims["friendly_name"], "Support queue \u00e9")
        ref = claims_of(python_token().to_jwt())
        ref["friendly_name"] = "Support queue \u00e9"
        self.assertEqual(without_times(claims), without_times(ref))

    def test_auth_token_file(self):
        tmp = Tmp()
        try:
            path = tmp.file("auth", "  %s  \n# comment lines after the first are ignored\n" % KEY)
            token = mint("--auth-token-file", path, env_key=None)
            Jwt.from_jwt(token, KEY)
            # the file wins over the environment
            token = mint("--auth-token-file", path, env_key=OTHER_KEY)
            Jwt.from_jwt(token, KEY)
            token = mint("--auth-token-file=" + path, env_key=None)
            Jwt.from_jwt(token, KEY)
        finally:
            tmp.cleanup()


class SecretsStayOffArgv(unittest.TestCase):
    def test_auth_token_option_refused(self):
        for args in (["--auth-token", KEY], ["--auth-token=" + KEY], ["--auth-tok", KEY],
                     ["--auth-token-f", KEY]):
            with self.subTest(args=args[0]):
                rc, out, err = run("mint", "--account", AC, "--workspace", WS, "--queue", WQ, *args)
                self.assertEqual(rc, 2)
                self.assertEqual(out, "")
                self.assertIn("--auth-token", err)
                self.assertEqual(err.count("\n"), 1)
        rc, out, err = run("verify", "--auth-token", KEY, "-", stdin="x")
        self.assertEqual(rc, 2)
        self.assertIn("TWILIO_AUTH_TOKEN", err)

    def test_no_auth_token(self):
        rc, out, err = run("mint", "--account", AC, "--workspace", WS, "--queue", WQ, env_key=None)
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("TWILIO_AUTH_TOKEN", err)
        self.assertIn("--auth-token-file", err)
        rc, out, err = run("mint", "--account", AC, "--workspace", WS, "--queue", WQ, env_key="  ")
        self.assertEqual(rc, 2)
        self.assertIn("TWILIO_AUTH_TOKEN is empty", err)

    def test_secret_given_as_file_name_is_not_echoed(self):
        rc, out, err = run("mint", "--account", AC, "--workspace", WS, "--queue", WQ,
                           "--auth-token-file", OTHER_KEY, env_key=None)
        self.assertEqual(rc, 3)  # run() already checked OTHER_KEY is not printed
        self.assertIn("--auth-token-file", err)


class MintUsage(unittest.TestCase):
    def test_bad_arguments(self):
        cases = [
            (["--workspace", WS, "--queue", WQ], "--account is required"),
            (["--account", "AC123", "--workspace", WS, "--queue", WQ], "--account: \"AC123\" is not a valid Account SID"),
            (["--account", AC, "--workspace", WQ, "--queue", WQ], "--workspace"),
            (["--account", AC, "--workspace", WS, "--queue", WS], "--queue"),
            (["--account", AC, "--workspace", WS, "--queue", WQ, "--allow", "read"],
             "--allow: unknown permission \"read\""),
            (["--account", AC, "--workspace", WS, "--queue", WQ, "--ttl", "0"], "--ttl"),
            (["--account", AC, "--workspace", WS, "--queue", WQ, "--ttl", "1h"], "--ttl"),
            (["--account", AC, "--workspace", WS, "--queue", WQ, "--ttl"], "--ttl"),
            (["--account", AC, "--workspace", WS, "--queue", WQ, "--bogus"], "--bogus"),
            (["--account", AC, "--workspace", WS, "--queue", WQ, "extra"], "unexpected argument"),
            (["--account", AC, "--workspace", WS, "--queue", WQ, "--friendly-name", ""], "--friendly-name"),
        ]
        for args, msg in cases:
            with self.subTest(args=args):
                rc, out, err = run("mint", *args)
                self.assertEqual(rc, 2)
                self.assertEqual(out, "")
                self.assertIn(msg, err)
                self.assertEqual(err.count("\n"), 1, err)
                self.assertTrue(err.startswith("tqtoken mint: "), err)

    def test_commands(self):
        rc, out, err = run()
        self.assertEqual(rc, 2)
        rc, out, err = run("frob")
        self.assertEqual(rc, 2)
        self.assertIn("unknown command", err)
        rc, out, err = run("--version")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^tqtoken \(tqtop\) \d+\.\d+")


class HelpAndManPage(unittest.TestCase):
    def test_exit_codes_documented_alike(self):
        rc, out, err = run("--help")
        self.assertEqual((rc, err), (0, ""))
        codes = re.findall(r"^  (\d)  (.+)$", out.split("Exit status:")[1], re.M)
        self.assertEqual([c for c, _ in codes], ["0", "1", "2", "3"])
        with open(os.path.join(SRC, "docs", "tqtoken.1")) as f:
            man = f.read()
        section = man.split(".SH EXIT STATUS")[1].split(".SH")[0]
        man_codes = re.findall(r"^\.TP\n\.B (\d)\n(.+)$", section, re.M)
        self.assertEqual(codes, man_codes, "docs/tqtoken.1 EXIT STATUS is stale against --help")
        for cmd in ("mint", "inspect", "verify"):
            self.assertEqual(run(cmd, "--help")[0], 0)


class InspectAndVerify(unittest.TestCase):
    def setUp(self):
        self.tmp = Tmp()

    def tearDown(self):
        self.tmp.cleanup()

    def vector(self, name):
        return next(v for v in VECTORS["vectors"] if v["name"] == name)

    def test_inspect_python_token(self):
        token = python_token(allow_fetch_subresources=True, allow_update_self=True).to_jwt()
        path = self.tmp.file("py.jwt", "\n  %s \n\n" % token)
        rc, out, err = run("inspect", path, env_key=None)
        self.assertEqual((rc, err), (0, ""))
        self.assertRegex(out, r"expires in (59m|1h 0m)\n")
        self.assertIn("taskqueue_sid  " + WQ, out)
        self.assertRegex(out, r"bridge +yes")
        self.assertRegex(out, r"fetch +yes")
        self.assertRegex(out, r"update +yes")
        self.assertRegex(out, r"delete +no")
        self.assertRegex(out, r"workers +no ")
        self.assertNotIn(token.split(".")[2], out)
        self.assertNotIn(token, out)

    def test_inspect_workers(self):
        rc, out, err = run("inspect", "-", stdin=mint("--allow", "workers"), env_key=None)
        self.assertEqual((rc, err), (0, ""))
        self.assertRegex(out, r"workers +yes ")

    def test_inspect_default_token_fetch_is_partial(self):
        token = mint()
        rc, out, err = run("inspect", "-", stdin=token, env_key=None)
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"fetch +partly: the queue, not its statistics \(mint with --allow fetch\)")
        self.assertNotIn(token.split(".")[2], out)

    def test_inspect_expired(self):
        v = self.vector("expired")
        rc, out, err = run("inspect", "-", stdin=v["token"] + "\n", env_key=None)
        self.assertEqual(rc, 1)
        self.assertRegex(out, r"expired (\d+d \d+h|\d+h \d+m|\d+m|\d+s) ago\n")
        self.assertNotIn(v["token"].split(".")[2], out + err)

    def test_inspect_never_shows_signature(self):
        for v in VECTORS["vectors"]:
            with self.subTest(v["name"]):
                rc, out, err = run("inspect", "-", stdin=v["token"], env_key=None)
                self.assertEqual(rc, 1 if v["expect"].get("expired") else 0, err)
                self.assertNotIn(v["token"].split(".")[2], out + err)
                self.assertIn("not shown", out)

    def test_verify(self):
        token = python_token().to_jwt()
        path = self.tmp.file("t.jwt", token + "\n")
        rc, out, err = run("verify", path)
        self.assertEqual((rc, err), (0, ""))
        self.assertIn("signature: valid", out)
        auth = self.tmp.file("auth", KEY + "\n")
        rc, out, err = run("verify", "--auth-token-file", auth, path, env_key=None)
        self.assertEqual(rc, 0)
        rc, out, err = run("verify", stdin="\t" + mint() + "\r\n")
        self.assertEqual(rc, 0)

    def test_verify_wrong_key(self):
        token = mint()
        rc, out, err = run("verify", "-", stdin=token, env_key=OTHER_KEY)
        self.assertEqual(rc, 1)
        self.assertIn("signature does not match", err)
        self.assertEqual(err.count("\n"), 1)

    def test_verify_vectors(self):
        for v in VECTORS["vectors"]:
            with self.subTest(v["name"]):
                rc, out, err = run("verify", "-", stdin=v["token"], env_key=VECTOR_KEY)
                ok = v["expect"]["signature_valid"] and not v["expect"].get("expired", False)
                self.assertEqual(rc, 0 if ok else 1, err)
                if v["expect"].get("expired") and v["expect"]["signature_valid"]:
                    self.assertIn("expired", out)
                    self.assertIn("has expired", err)

    def test_malformed(self):
        for m in VECTORS["malformed"]:
            with self.subTest(m):
                for cmd in ("inspect", "verify"):
                    rc, out, err = run(cmd, "-", stdin=m)
                    self.assertEqual(rc, 1)
                    self.assertEqual(out, "")
                    self.assertEqual(err.count("\n"), 1, err)
                    self.assertTrue(err.startswith("tqtoken %s: " % cmd), err)
                    if m and "." in m and m.startswith("eyJhbGciOiJub25l"):
                        self.assertIn('alg "none" is not accepted', err)

    def test_io_errors(self):
        missing = os.path.join(self.tmp.dir.name, "missing.jwt")
        rc, out, err = run("inspect", missing)
        self.assertEqual(rc, 3)
        self.assertIn("missing.jwt", err)
        rc, out, err = run("verify", "--auth-token-file", missing, "-", stdin="x")
        self.assertEqual(rc, 3)
        rc, out, err = run("inspect", self.tmp.dir.name)  # a directory
        self.assertEqual(rc, 3)
        rc, out, err = run("inspect", "a", "b")
        self.assertEqual(rc, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
