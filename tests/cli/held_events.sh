#!/usr/bin/env bash
# Batch and line mode hold their events and write them a block at a time
# (ui/batch.h: ui_sink_hold); a reader still sees every event when it
# matters:
#   - line mode over pipes: each command's events before bootscope waits
#     for the next line (the reader sends a line only after seeing them)
#   - a script read from a pipe (-x /dev/stdin): the same
#   - a long run after many steps (continue, which single-steps a bundled
#     program): the steps' events while it runs, then SIGTERM ends it
#     with every event written, in order
#   - the end of a script: every event, in order, none twice
# usage: held_events.sh BOOTSCOPE HELLO IGNORETERM
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
IGN=$(realpath -e "$3")

python3 - "$BOOTSCOPE" "$HELLO" "$IGN" <<'PY' || fail "held events"
import json, os, select, signal, subprocess, sys, time

bootscope, hello, ign = sys.argv[1:4]
env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C"}
ok = True

def bad(msg):
    global ok
    ok = False
    print(msg, file=sys.stderr)

class Reader:
    def __init__(self, p):
        self.p, self.buf, self.events = p, b"", []
    def until(self, pred, what, timeout=30):
        """Events until pred(events) holds; False after timeout s."""
        end = time.monotonic() + timeout
        while not pred(self.events):
            left = end - time.monotonic()
            if left <= 0:
                bad(f"{what}: not seen within {timeout} s; got {len(self.events)} events")
                return False
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                bad(f"{what}: end of output first")
                return False
            self.buf += chunk
            *lines, self.buf = self.buf.split(b"\n")
            self.events += [json.loads(l) for l in lines if l.strip()]
        return True

def stops(evs):
    return [e for e in evs if e.get("event") == "stop"]

def interactive(argv, what):
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, env=env)
    r = Reader(p)
    p.stdin.write(b"starti\n")
    p.stdin.flush()
    r.until(lambda e: len(stops(e)) >= 1, f"{what}: starti's stop")
    for k in range(1, 6):
        # the next line is sent only once this step's event arrived
        p.stdin.write(b"stepi 1\n")
        p.stdin.flush()
        if not r.until(lambda e: len(stops(e)) >= k + 1, f"{what}: stepi {k}'s stop"):
            break
        if stops(r.events)[-1].get("steps") != k:
            bad(f"{what}: stop {k} at steps {stops(r.events)[-1].get('steps')}")
    p.stdin.close()
    p.wait(timeout=30)

interactive([bootscope, "--json", hello], "line mode")
interactive([bootscope, "--batch", "--json", "-x", "/dev/stdin", hello], "script on a pipe")

# Many steps, then continue, which steps the looping program forever:
# the steps' events arrive while it runs; SIGTERM then ends bootscope
# and nothing is lost or repeated.
n = 300
script = "/tmp/held-%d.bs" % os.getpid()
with open(script, "w") as f:
    f.write("starti\n" + "stepi 1\n" * n + "continue\n")
p = subprocess.Popen([bootscope, "--batch", "--json", "-x", script, ign],
                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, env=env)
r = Reader(p)
r.until(lambda e: len(stops(e)) >= n + 1, "steps before continue")
time.sleep(0.2)
p.send_signal(signal.SIGTERM)
rest = p.stdout.read()
p.wait(timeout=30)
os.unlink(script)
r.buf += rest
r.events += [json.loads(l) for l in r.buf.split(b"\n") if l.strip()]
st = stops(r.events)
if p.returncode != -signal.SIGTERM:
    bad(f"SIGTERM: status {p.returncode}")
steps = [e.get("steps") for e in st]
if steps[: n + 1] != list(range(n + 1)):
    bad(f"SIGTERM: the stops' steps are not 0..{n} in order: {steps[:5]}...{steps[-5:]}")

# The end of a script: every event once, in order.
p = subprocess.run([bootscope, "--batch", "--json", "-ex", "starti", "-ex", "stepi 1",
                    "-ex", "info registers rip", "-ex", "stepi 2", "-ex", "print $steps", hello],
                   capture_output=True, env=env, timeout=60)
names = [json.loads(l)["event"] for l in p.stdout.splitlines()]
if names != ["stop", "stop", "registers", "stop", "print"]:
    bad(f"end of script: events {names}")
sys.exit(0 if ok else 1)
PY
finish
