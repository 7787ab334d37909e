#!/usr/bin/python3
"""Screen benchmarks of tqtop's dashboard, against a local tqsim.

    bench/screen-bytes.py [BUILDDIR]      (default: the current directory)

tqtop runs in a pseudo-terminal of 80x24 (TERM=xterm-256color, C.UTF-8)
with a one-second refresh against tqsim (seed 1, clock paused, so only
what the benchmark changes changes).  Everything tqtop writes to the
terminal is read from the pty's master side and cut into frames with the
TQTOP_TEST_SYNC file ("<frame> idle|busy <keys> <ms>").  Figures:

  first paint        bytes of everything up to the first complete frame
  first frame        ms from the bridge's `ready` (tqtop's log) to the first
                     complete frame (target: under 100 ms)
  idle tick          bytes per refresh tick when no value changes (the
                     clock, ages and a trend mark still do)
  one value          bytes per refresh tick when one value changes: the
                     queue's MaxReservedWorkers is updated through tqsim's
                     REST API between ticks and polled (--no-bridge, so no
                     event log line comes with it) (target: under 200 bytes)
  live tick          bytes per tick when tqsim's clock moves on one second
                     per tick (the waiting-task ages and whatever else the
                     simulation changes)
  push shown         ms from tqtop receiving the pushed task-queue.updated
                     (its log) to the frame that shows it (target: 20 ms),
                     and from the REST call that caused it (end to end)
  idle per second    bytes per second over 30 s at a 2 s refresh, polling,
                     nothing changing in tqsim: what the 1 Hz clock (the
                     header clock, the ages, once a second) and the refresh
                     ticks cost on a quiet link, and how many frames that is

Nothing here is a pass/fail test: it prints the numbers (and their
targets) for the issue's note.
"""
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.parse
import urllib.request
import base64

build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
tqtop = os.path.join(build, "tqtop")
tqsim = os.path.join(build, "tqsim")
tqtoken = os.path.join(build, "tqtoken")
for p in (tqtop, tqsim, tqtoken):
    if not os.access(p, os.X_OK):
        sys.exit("screen-bytes: %s not built" % p)

tmp = tempfile.mkdtemp(prefix="tqtop-bench.")
sync = os.path.join(tmp, "sync")
log = os.path.join(tmp, "tqtop.log")
envfile = os.path.join(tmp, "sim.env")


def die(msg):
    sys.exit("screen-bytes: " + msg)


sim = subprocess.Popen([tqsim, "--listen", "127.0.0.1:0", "--env-file", envfile, "--seed", "1",
                        "--paused", "--epoch", "2025-01-06T09:00:00Z",
                        "--log", os.path.join(tmp, "tqsim.log")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.monotonic() + 10
while not os.path.exists(envfile):
    if time.monotonic() > deadline or sim.poll() is not None:
        die("tqsim did not start")
    time.sleep(0.01)
env = {}
for line in open(envfile):
    k, _, v = line.strip().partition("=")
    env[k] = v.strip("'")
queue = env["TQSIM_QUEUE_SIDS"].split()[0]
token = subprocess.run([tqtoken, "mint", "--account", env["TWILIO_ACCOUNT_SID"],
                        "--workspace", env["TQSIM_WORKSPACE_SID"], "--queue", queue,
                        "--allow", "fetch,update"],
                       env=dict(os.environ, TWILIO_AUTH_TOKEN=env["TWILIO_AUTH_TOKEN"]),
                       check=True, capture_output=True, text=True).stdout.strip()

child_env = {k: v for k, v in os.environ.items()
             if not k.startswith(("TWILIO_", "TQTOP_", "LC_", "NO_COLOR", "ASAN", "LSAN"))}
child_env.update(TERM="xterm-256color", LC_ALL="C.UTF-8", TZ="UTC", TQTOP_TOKEN=token,
                 TQTOP_TEST_SYNC=sync, HOME=tmp, ASAN_OPTIONS="detect_leaks=0")
auth = base64.b64encode(("%s:%s" % (env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"])).encode()).decode()
url = "%s/v1/Workspaces/%s/TaskQueues/%s" % (env["TQSIM_URL"], env["TQSIM_WORKSPACE_SID"], queue)
next_value = [2]


def set_max_reserved():
    v = next_value[0] % 50 + 1
    next_value[0] += 1
    req = urllib.request.Request(url, data=urllib.parse.urlencode({"MaxReservedWorkers": v}).encode(),
                                 headers={"Authorization": "Basic " + auth})
    urllib.request.urlopen(req).read()


class Session:
    """tqtop in a pty of 80x24; out = every byte it wrote; frames = (frame,
    state, ms, len(out) when the frame was seen)."""

    def __init__(self, *args):
        for f in (sync, log):
            if os.path.exists(f):
                os.unlink(f)
        self.out = bytearray()
        self.frames = []
        self.pid, self.master = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execve(tqtop, [tqtop, "--api-url", env["TQSIM_URL"], "--bridge-url", env["TQSIM_URL"],
                              "-d", "1", "--log", log] + list(args), child_env)

    def drain(self, timeout=0.0):
        while True:
            r, _, _ = select.select([self.master], [], [], timeout)
            if not r:
                return
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.out.extend(chunk)
            timeout = 0.0

    def pump(self, until, limit=10.0):
        """Reads output and frames until until() is true."""
        deadline = time.monotonic() + limit
        while not until():
            if time.monotonic() > deadline:
                die("timed out; frames so far: %s" % self.frames[-3:])
            self.drain(0.002)
            s = read_sync()
            if s and (not self.frames or s[0] != self.frames[-1][0]):
                # the frame's bytes were written before its sync line
                self.drain(0.0)
                self.frames.append((s[0], s[1], s[2], len(self.out)))

    def idle(self):
        return self.frames and self.frames[-1][1] == "idle"

    def next_idle(self):
        n = len(self.frames)
        self.pump(lambda: len(self.frames) > n and self.idle())
        return self.frames[-1]

    def tick_bytes(self, change=None):
        """Bytes of one refresh tick: from a tick's last frame to the next
        tick's (polling only: a tick is a busy frame, its requests out,
        then an idle one); change() runs right after the first."""
        base = self.next_idle()
        n = len(self.frames)
        if change:
            change()
        self.pump(lambda: self.idle() and any(f[1] == "busy" for f in self.frames[n:]))
        return self.frames[-1][3] - base[3]

    def bytes_over(self, seconds):
        """Bytes and frames written over the next seconds (from an idle
        frame to the last frame seen in the span)."""
        base = self.next_idle()
        n = len(self.frames)
        deadline = time.monotonic() + seconds
        self.pump(lambda: time.monotonic() >= deadline, limit=seconds + 10)
        return self.frames[-1][3] - base[3], len(self.frames) - n

    def quit(self):
        os.write(self.master, b"q")
        deadline = time.monotonic() + 10
        while True:
            self.drain(0.05)
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                break
        os.close(self.master)


def read_sync():
    try:
        parts = open(sync).read().split()
    except OSError:
        return None
    if len(parts) < 4:
        return None
    return int(parts[0]), parts[1], int(parts[3])


def log_ms(pattern, after_ms=0):
    """Epoch ms of the first line of tqtop's log matching pattern after after_ms."""
    try:
        for line in open(log):
            if re.search(pattern, line):
                stamp = line.split()[0]
                t = time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")
                ms = int((time.mktime(t) - time.timezone) * 1000) + int(stamp[20:23])
                if ms > after_ms:
                    return ms
    except OSError:
        pass
    return None


# Run 1, with the bridge: the first frame after ready; pushes.
s = Session()
s.pump(lambda: s.idle() and b"connected" in s.out and log_ms("bridge: ready"))
ready = log_ms("bridge: ready")
first = next(f for f in s.frames if f[1] == "idle" and f[2] >= ready)
first_paint = first[3]
first_frame_ms = first[2] - ready
push_ms, e2e_ms, push_bytes = [], [], []
for _ in range(5):
    base = s.next_idle()
    t0 = int(time.time() * 1000)
    set_max_reserved()
    # a push is applied and drawn in the loop turn it arrives in: the
    # first frame written at or after its log line shows it
    ev = lambda: log_ms("bridge: event task-queue.updated", t0 - 1)
    s.pump(lambda: ev() and s.frames[-1][2] >= ev())
    shown = next(f for f in s.frames if f[2] >= ev())
    push_ms.append(shown[2] - ev())
    e2e_ms.append(shown[2] - t0)
    s.pump(lambda: s.idle() and s.frames[-1][2] - base[2] >= 1000)
    push_bytes.append(s.frames[-1][3] - base[3])
s.quit()

# Run 2, polling only: what one refresh tick costs on the wire.
s = Session("--no-bridge")
s.pump(lambda: s.idle() and b"polling" in s.out)
idle_bytes = [s.tick_bytes() for _ in range(6)]
change_bytes = [s.tick_bytes(set_max_reserved) for _ in range(6)]


def step_clock():
    req = urllib.request.Request(env["TQSIM_URL"] + "/_tqsim/clock",
                                 data=b"action=step&seconds=1")
    urllib.request.urlopen(req).read()


# the simulation moves on by one second per tick: what a live queue costs
live_bytes = [s.tick_bytes(step_clock) for _ in range(12)]
s.quit()

# Run 3, a quiet dashboard at the default-like 2 s refresh: per second.
s = Session("--no-bridge", "-d", "2")
s.pump(lambda: s.idle() and b"polling" in s.out)
quiet_bytes, quiet_frames = s.bytes_over(30)
s.quit()

sim.terminate()
sim.wait()
shutil.rmtree(tmp)

med = statistics.median
print("tqtop screen benchmark (80x24, xterm-256color, refresh 1 s, tqsim paused)")
print("  first paint          %6d bytes" % first_paint)
print("  first frame          %6d ms after ready        (target < 100 ms)" % first_frame_ms)
print("  idle tick            %6d bytes (median of %d: %s)" % (med(idle_bytes), len(idle_bytes), idle_bytes))
print("  one value changes    %6d bytes (median of %d: %s) (target < 200)" % (med(change_bytes), len(change_bytes), change_bytes))
print("  push shown           %6d ms after the event (median of %d: %s) (target < 20 ms)" % (med(push_ms), len(push_ms), push_ms))
print("  push end to end      %6d ms after the REST call (median: %s)" % (med(e2e_ms), e2e_ms))
print("  live tick            %6d bytes (median of %d, tqsim stepped 1 s per tick: %s)" % (med(live_bytes), len(live_bytes), live_bytes))
print("  pushed change tick   %6d bytes, its event log line included (median: %s)" % (med(push_bytes), push_bytes))
print("  idle per second      %6.1f bytes/s at -d 2, polling, 30 s (%d bytes, %d frames)"
      % (quiet_bytes / 30.0, quiet_bytes, quiet_frames))
