#!/usr/bin/env python3
"""What a full repaint of the TUI costs, in figures that do not depend on
the machine's load: the bytes written to the terminal per full redraw
(C-l) and per `s`, and with --callgrind the user-space instructions per
full redraw inside the drawing code (ui_tui_draw and ui_term_repaint and
what they call: building the panes, ncurses' doupdate, the repaint).

    tui_repaint.py BOOTSCOPE HELLO [--size 200x60] [--term xterm-256color]
                   [--theme dark|light] [--no-color] [--locale C] [--steps K] [--redraws N]
                   [--callgrind] [--dump FILE]

Each figure is the difference of two runs of the TUI on a pty that differ
only in the keys measured: K `s` then q, against K `s`, N C-l, then q (or
2K `s` for the figure of `s`), so the start and the quit cancel out.
Prints one JSON object. Exits 77 when ptrace is refused or valgrind is
missing for --callgrind.
"""
import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time


def run_tui(args, keys, callgrind_out=None, dump=None):
    """Runs the TUI on a pty, sends keys once the first screen is drawn,
    answers y to q's question; returns the bytes it wrote."""
    cols, rows = (int(x) for x in args.size.split("x"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "LANG": args.locale,
        "LC_ALL": args.locale,
        "TERM": args.term,
        "BOOTSCOPE_THEME": args.theme,
    }
    if args.no_color:
        env["NO_COLOR"] = "1"
    argv = [args.bootscope, args.hello]
    if callgrind_out:
        argv = ["valgrind", "--tool=callgrind", "--toggle-collect=ui_tui_draw",
                "--toggle-collect=ui_term_repaint",
                f"--callgrind-out-file={callgrind_out}", "--trace-children=no"] + argv
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def ctty():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen(argv, env=env, stdin=slave, stdout=slave, stderr=slave,
                         preexec_fn=ctty, close_fds=True)
    os.close(slave)
    out = bytearray()
    sent = 0
    last = None
    started = False
    asked = False
    quiet = 2.0 if callgrind_out else 0.5
    deadline = time.monotonic() + 600
    try:
        while p.poll() is None:
            if time.monotonic() > deadline:
                sys.exit("the TUI did not get through its keys in 600 s")
            want = started and sent < len(keys)
            r, w, _ = select.select([master], [master] if want else [], [], 0.05)
            if master in r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if chunk:
                    out += chunk
                    last = time.monotonic()
                    if not asked and sent == len(keys) and b"quit? (y/n)" in out[-4096:]:
                        os.write(master, b"y")
                        asked = True
            elif last and time.monotonic() - last > quiet and not started:
                started = True  # the first screen is drawn: the TUI waits for keys
                start_len = len(out)
            if master in w:
                sent += os.write(master, keys[sent:sent + 64])
        # what is left in the pty
        while True:
            r, _, _ = select.select([master], [], [], 0.1)
            if master not in r:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
        if p.poll() is None:
            p.kill()
            p.wait()
    if p.returncode != 0:
        sys.exit(f"the TUI exited with {p.returncode}: {bytes(out[-300:])!r}")
    if dump:
        with open(dump, "wb") as f:
            f.write(out[start_len:])
    return len(out)


def instructions(path):
    total = 0
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
                break
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bootscope")
    ap.add_argument("hello")
    ap.add_argument("--size", default="200x60")
    ap.add_argument("--term", default="xterm-256color")
    ap.add_argument("--theme", default="dark")
    ap.add_argument("--no-color", action="store_true")
    ap.add_argument("--locale", default="C", help="LANG and LC_ALL (C.UTF-8: line drawing in Unicode)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--redraws", type=int, default=20)
    ap.add_argument("--callgrind", action="store_true")
    ap.add_argument("--dump", help="write what the second run wrote after its first screen")
    args = ap.parse_args()
    if args.callgrind and not shutil.which("valgrind"):
        print("valgrind is not installed", file=sys.stderr)
        return 77

    k, n = args.steps, args.redraws
    res = {"size": args.size, "term": args.term, "theme": args.theme,
           "no_color": args.no_color}
    base = run_tui(args, b"s" * k + b"q")
    more = run_tui(args, b"s" * k + b"\x0c" * n + b"q", dump=args.dump)
    steps2 = run_tui(args, b"s" * (2 * k) + b"q")
    res["bytes_per_redraw"] = (more - base) / n
    res["bytes_per_step"] = (steps2 - base) / k
    if args.callgrind:
        with tempfile.TemporaryDirectory(prefix="bootscope-cg-") as d:
            a, b = os.path.join(d, "a"), os.path.join(d, "b")
            run_tui(args, b"s" * k + b"q", callgrind_out=a)
            run_tui(args, b"s" * k + b"\x0c" * n + b"q", callgrind_out=b)
            res["instructions_per_redraw"] = (instructions(b) - instructions(a)) / n
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(main())
