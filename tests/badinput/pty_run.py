#!/usr/bin/env python3
"""Run a command on a new pseudo-terminal (80x24) as a user would in a
terminal, so bootscope takes its TUI path. Everything it writes goes to
our stdout unchanged; our exit status is its status (128+N for signal N,
124 after TIMEOUT seconds, when it is killed).

usage: pty_run.py TIMEOUT CMD [ARGS...]
"""
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time


def main():
    timeout = float(sys.argv[1])
    argv = sys.argv[2:]
    pid, fd = os.forkpty()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("NO_COLOR", None)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    out = bytearray()
    deadline = time.monotonic() + timeout
    status = None
    eof = False
    while status is None:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            status = 124
            break
        if not eof and select.select([fd], [], [], 0.05)[0]:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                data = b""
            out += data
            eof = not data
            continue
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(st)
            if status < 0:
                status = 128 - status
        elif eof:
            time.sleep(0.05)
    # what it wrote just before exiting
    while not eof and select.select([fd], [], [], 0.05)[0]:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.exit(status)


if __name__ == "__main__":
    main()
