#!/usr/bin/env bash
# SIGTERM and SIGKILL sent to bootscope in its first milliseconds, while it
# forks and sets up the target (before PTRACE_TRACEME, before
# PTRACE_O_EXITKILL): 300 tries per signal, at delays spread over the time
# bootscope takes to start a target, leave no process of the target
# behind, neither running nor stopped (TracerPid 1). Before the fix about
# one try in 30 left one on this 2-core machine.
# usage: startkill.sh BOOTSCOPE HELLO IGNORETERM [TRIES]
. "$(dirname "$0")/../badinput/lib.sh"
skip_without_ptrace

# A private copy: every process of this test's targets, and every fork of
# bootscope that has not exec'd yet, has this path in its command line.
COPY=$TMP/startkill-target-$$
cp "$3" "$COPY"

python3 - "$BOOTSCOPE" "$COPY" "${4:-300}" <<'PY' || fail "the target was left behind"
import os, signal, subprocess, sys, time

bootscope, copy, tries = sys.argv[1], sys.argv[2], int(sys.argv[3])
argv = [bootscope, "--batch", "-ex", "run", copy]

def leftovers():
    """Processes (not zombies: their command line is empty) naming copy."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                if copy.encode() in f.read():
                    found.append(int(d))
        except OSError:
            pass
    return found

def describe(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            keep = ("Name", "State", "PPid", "TracerPid")
            return " ".join(l.strip() for l in f if l.split(":")[0] in keep)
    except OSError:
        return "gone"

# How long bootscope takes to start the target and stop at its entry: the
# fork and the setup of ptrace happen in the last part of that time.
spans = []
for _ in range(5):
    t = time.monotonic()
    subprocess.run([bootscope, "--batch", "-ex", "starti", copy],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=30, check=True)
    spans.append(time.monotonic() - t)
span = min(spans)
print(f"bootscope starts a target in {span * 1000:.1f} ms (fastest of 5)")

failed = False
for sig in (signal.SIGTERM, signal.SIGKILL):
    for i in range(tries):
        # every delay from 0.3 to 1.1 x span (loading the executable
        # comes first), in a scrambled order
        delay = span * (0.3 + 0.8 * ((i * 7919) % tries) / tries)
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(sig)
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            print(f"FAIL: {sig.name} after {delay * 1000:.1f} ms: bootscope did not end",
                  file=sys.stderr)
            p.kill()
            p.wait()
            failed = True
    # What a dying bootscope takes along dies within moments; allow 5 s.
    end = time.monotonic() + 5
    left = leftovers()
    while left and time.monotonic() < end:
        time.sleep(0.05)
        left = leftovers()
    for pid in left:
        print(f"FAIL: {sig.name}: left behind: pid {pid}: {describe(pid)}", file=sys.stderr)
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    print(f"{sig.name}: {tries} tries, {len(left)} left behind")
    failed = failed or bool(left)
sys.exit(1 if failed else 0)
PY

finish
