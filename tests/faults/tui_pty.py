#!/usr/bin/env python3
"""Every way out of the TUI, on a pseudo-terminal whose modes we read
afterwards: q, Ctrl-C twice, SIGTERM, SIGHUP, SIGQUIT, a crash (SIGSEGV),
the terminal closed (bootscope its session leader, and bootscope in the
foreground under a leader that passes no SIGHUP on), each at the entry
stop and while the program runs (continued into its loop). After each:

- the exit status (0, or 128 + the signal);
- the terminal modes are those from before (ICANON, ECHO and all the
  rest) when the terminal still exists;
- after the last mouse-on and alternate-screen sequences, the output has
  mouse reporting off and the alternate screen left;
- no process of the program is left (a private copy under a unique name);
- with --record FILE, FILE loads (bootscope --replay FILE --batch -ex
  'info record'), except after a crash, where stderr says it was not
  saved.

Then TERM=dumb, and a TERM without a terminfo entry: no TUI, the line mode
with one line saying why.

usage: tui_pty.py BOOTSCOPE HELLO IGNORETERM
"""
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "badinput"))
from pty_run import Pty  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from events import ptrace_refused  # noqa: E402

BOOTSCOPE, HELLO, IGNORETERM = (os.path.realpath(a) for a in sys.argv[1:4])
TMP = tempfile.mkdtemp(prefix="bootscope-tuipty.")
failures = []

MOUSE_ON = re.compile(rb"\x1b\[\?(?:1006;)?1000h")
MOUSE_OFF = re.compile(rb"\x1b\[\?(?:1006;)?1000l")
SCREEN_ON = b"\x1b[?1049h"
SCREEN_OFF = b"\x1b[?1049l"
READY = rb"\| pid (\d+) \|.*?q quit"


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg, flush=True)


def env(term="xterm-256color"):
    e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": term,
         "HOME": os.environ.get("HOME", "/")}
    return e


def ptrace_or_skip():
    r = subprocess.run([BOOTSCOPE, "--batch", "-ex", "starti", HELLO],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        if ptrace_refused(r.stderr):
            print("skip: ptrace refused: " + r.stderr.strip())
            sys.exit(77)
        print("bootscope --batch cannot start hello: " + r.stderr)
        sys.exit(1)
    if b"ui_tui_run" not in subprocess.run(["nm", BOOTSCOPE], capture_output=True).stdout:
        print("skip: this bootscope has no TUI")
        sys.exit(77)


def alive(path):
    """pids whose argv[0] is path (zombies have no cmdline)."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv0 = f.read().split(b"\0")[0]
        except OSError:
            continue
        if argv0 == path.encode():
            pids.append(int(d))
    return pids


def gone(path, secs=10):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if not alive(path):
            return True
        time.sleep(0.05)
    return not alive(path)


def ignores_term(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("SigIgn:"):
                    return (int(line.split()[1], 16) >> 14) & 1 == 1
    except OSError:
        pass
    return False


def check_output(what, out):
    """Mouse reporting off and the alternate screen left, after they were
    last turned on."""
    ons = list(MOUSE_ON.finditer(out))
    if not ons:
        fail("%s: mouse reporting was never turned on" % what)
        return
    last_on = ons[-1].end()
    if not MOUSE_OFF.search(out, last_on):
        fail("%s: mouse reporting left on: no ESC[?1000l after the last "
             "ESC[?1000h (tail %r)" % (what, bytes(out[-200:])))
    if out.rfind(SCREEN_OFF) < out.rfind(SCREEN_ON):
        fail("%s: the alternate screen was not left (tail %r)" % (what, bytes(out[-200:])))


def check_modes(what, before, after):
    names = ["iflag", "oflag", "cflag", "lflag", "ispeed", "ospeed", "cc"]
    for i, name in enumerate(names):
        if before[i] != after[i]:
            fail("%s: terminal %s differs after exit: %r, was %r"
                 % (what, name, after[i], before[i]))
    lflag = after[3]
    if not (lflag & termios.ICANON and lflag & termios.ECHO):
        fail("%s: ICANON/ECHO not back on" % what)


def check_record(what, path):
    if not os.path.exists(path):
        fail("%s: the recording %s was not saved" % (what, path))
        return
    r = subprocess.run([BOOTSCOPE, "--replay", path, "--batch", "-ex", "info record"],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"steps (\d+)\.\.(\d+)", r.stdout)
    if r.returncode != 0 or not m:
        fail("%s: the recording does not load: %s%s" % (what, r.stdout, r.stderr))


def run_case(what, exit_by, want, running=False, record=False, leader=True):
    """One TUI session on a private copy of IGNORETERM, ended by exit_by(p)."""
    nfail = len(failures)
    prog = os.path.join(TMP, "target-%s" % re.sub(r"\W+", "-", what))
    shutil.copy(IGNORETERM, prog)
    rec = os.path.join(TMP, re.sub(r"\W+", "-", what) + ".bstl")
    argv = [BOOTSCOPE] + (["--record", rec] if record else []) + [prog]
    p = Pty(argv, env=env(), rows=30, cols=100, leader=leader)
    try:
        m = p.wait_for(READY)
        if not m:
            fail("%s: the TUI never showed its status line: %r" % (what, bytes(p.out[-300:])))
            return
        tracee = int(m.group(1))
        if running:
            mark = len(p.out)
            p.send(b"c")
            if not p.wait_for(rb"running continue", start=mark):
                fail("%s: no 'running continue'" % what)
                return
            # in its loop: it has set SIGTERM to ignored
            end = time.monotonic() + 60
            while not ignores_term(tracee) and time.monotonic() < end:
                time.sleep(0.05)
            if not ignores_term(tracee):
                fail("%s: the program never reached its loop" % what)
                return
        exit_by(p)
        status = p.wait(30)
        if status is None:
            fail("%s: bootscope did not end within 30 s" % what)
            return
        if status != want:
            fail("%s: exit status %d, want %d (tail %r)" % (what, status, want, bytes(p.out[-300:])))
        if p.master >= 0:
            check_modes(what, p.before, p.modes())
            check_output(what, p.out)
        if not gone(prog):
            fail("%s: the program is still running: pids %s" % (what, alive(prog)))
        if record:
            if want == 128 + signal.SIGSEGV:
                if b"the recording %s was not saved" % rec.encode() not in p.out:
                    fail("%s: a crash did not say the recording was lost" % what)
            else:
                check_record(what, rec)
        if len(failures) == nfail:
            print("ok   " + what, flush=True)
    finally:
        p.close()
        for pid in alive(prog):
            os.kill(pid, signal.SIGKILL)


def key(data):
    return lambda p: p.send(data)


def sig(s):
    return lambda p: p.kill(s)


def ctrl_c_twice(p):
    mark = len(p.out)
    p.send(b"\x03")
    if not p.wait_for(rb"quit\? \(y/n\)", start=mark):
        fail("Ctrl-C: no quit question")
    p.send(b"\x03")


def quit_yes(p):
    """q, then y to the question a live program makes bootscope ask"""
    mark = len(p.out)
    p.send(b"q")
    if not p.wait_for(rb"quit\? \(y/n\)", start=mark):
        fail("q: no quit question")
    p.send(b"y")


def ctrl_c_then_q(p):
    mark = len(p.out)
    p.send(b"\x03")
    if not p.wait_for(rb"interrupted \| pid", start=mark):
        fail("Ctrl-C while running: no 'interrupted'")
    quit_yes(p)


def hang_up(p):
    p.hang_up()


def line_mode(term, want):
    """No TUI: one line saying why, then commands from the terminal."""
    nfail = len(failures)
    p = Pty([BOOTSCOPE, HELLO], env=env(term))
    try:
        m = p.wait_for(rb"\(bootscope\) ")
        if not m:
            fail("TERM=%s: no line-mode prompt: %r" % (term, bytes(p.out)))
            return
        if not re.search(want, p.out):
            fail("TERM=%s: no %r in %r" % (term, want, bytes(p.out)))
        if SCREEN_ON in p.out or MOUSE_ON.search(p.out):
            fail("TERM=%s: curses started anyway" % term)
        p.send(b"info registers rip\rquit\r")
        if p.wait(20) != 0:
            fail("TERM=%s: exit status %s after quit" % (term, p.status))
        if not re.search(rb"rip +0x[0-9a-f]+", p.out):
            fail("TERM=%s: the line mode ran no command: %r" % (term, bytes(p.out)))
        check_modes("TERM=%s" % term, p.before, p.modes())
        if len(failures) == nfail:
            print("ok   TERM=%s: line mode" % term, flush=True)
    finally:
        p.close()


def main():
    # SIGQUIT and SIGSEGV dump core by default: not here
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    ptrace_or_skip()
    T, H, Q, S = (128 + s for s in (signal.SIGTERM, signal.SIGHUP,
                                     signal.SIGQUIT, signal.SIGSEGV))
    cases = [
        ("q at a stop", quit_yes, 0, False, True),
        ("Ctrl-C twice at a stop", ctrl_c_twice, 0, False, False),
        ("Ctrl-C while running, q", ctrl_c_then_q, 0, True, True),
        ("SIGTERM at a stop", sig(signal.SIGTERM), T, False, True),
        ("SIGTERM while running", sig(signal.SIGTERM), T, True, True),
        ("SIGHUP while running", sig(signal.SIGHUP), H, True, True),
        ("SIGQUIT at a stop", sig(signal.SIGQUIT), Q, False, False),
        ("SIGQUIT while running", sig(signal.SIGQUIT), Q, True, True),
        ("SIGSEGV at a stop", sig(signal.SIGSEGV), S, False, True),
        ("SIGSEGV while running", sig(signal.SIGSEGV), S, True, False),
        ("terminal closed while running", hang_up, H, True, True),
    ]
    for what, exit_by, want, running, record in cases:
        run_case(what, exit_by, want, running, record)
    # bootscope in the foreground of a shell-like leader that passes no
    # SIGHUP on: it finds the terminal gone by itself
    run_case("terminal closed, not session leader", hang_up, H, True, True,
             leader=False)

    line_mode("dumb", rb"bootscope: the terminal 'dumb' cannot move the cursor; "
              rb"reading commands from stdin")
    line_mode("no-such-terminal-xyz", rb"bootscope: the terminal 'no-such-terminal-xyz' "
              rb"is not known here")

    shutil.rmtree(TMP, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("every way out: status, terminal modes, mouse and screen, no program left, recording saved")


if __name__ == "__main__":
    main()
