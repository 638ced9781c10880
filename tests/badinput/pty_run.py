#!/usr/bin/env python3
"""Run a command on a new pseudo-terminal (80x24) as a user would in a
terminal, so bootscope takes its TUI path.

As a program: everything the command writes goes to our stdout unchanged;
our exit status is its status (128+N for signal N, 124 after TIMEOUT
seconds, when it is killed).

usage: pty_run.py TIMEOUT CMD [ARGS...]

As a module (tests/faults/tui_pty.py): Pty starts a command on a terminal
whose slave side we keep open, so the modes the command leaves behind can
be read after it ended; it sends keys and signals, closes the terminal,
and waits for patterns in the output with bounded waits.
"""
import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import time


class Pty:
    """argv on a new terminal of rows x cols, its session leader unless
    leader is False: then a parent that ignores SIGHUP leads the session
    and argv runs in the foreground process group, as under a shell, so
    closing the terminal sends argv no SIGHUP."""

    def __init__(self, argv, env=None, rows=24, cols=80, leader=True):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, 0, 0))
        self.before = termios.tcgetattr(self.slave)
        self.out = bytearray()
        self.status = None
        self.pid = os.fork()
        if self.pid == 0:
            try:
                self._child(argv, env, leader)
            finally:
                os._exit(127)
        os.set_blocking(self.master, False)

    def _child(self, argv, env, leader):
        os.setsid()
        fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(self.slave, fd)
        os.closerange(3, 1024)
        # Python ignores SIGPIPE; a command started from a shell does not
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        if env is None:
            env = dict(os.environ)
        if leader:
            os.execvpe(argv[0], argv, env)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        child = os.fork()
        if child == 0:
            os.setpgid(0, 0)
            signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            os.tcsetpgrp(0, os.getpgrp())
            for sig in (signal.SIGTTOU, signal.SIGHUP):
                signal.signal(sig, signal.SIG_DFL)
            os.execvpe(argv[0], argv, env)
        st = os.waitpid(child, 0)[1]
        code = os.waitstatus_to_exitcode(st)
        os._exit(128 - code if code < 0 else code)

    def pump(self, secs):
        """Read what is written for up to secs seconds (0: what is there)."""
        end = time.monotonic() + secs
        while True:
            left = end - time.monotonic()
            if self.master < 0:
                return
            ready = select.select([self.master], [], [], max(left, 0))[0]
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except (BlockingIOError, InterruptedError):
                    data = None
                except OSError:  # EIO: every writer has closed the terminal
                    data = b""
                if data:
                    self.out += data
                    continue
            if left <= 0:
                return

    def wait_for(self, pattern, secs=20, start=0):
        """The first match of regex pattern (bytes) in the output after
        offset start, within secs seconds; None when it never came."""
        rx = re.compile(pattern)
        end = time.monotonic() + secs
        while True:
            m = rx.search(self.out, start)
            if m:
                return m
            if time.monotonic() > end or self.poll() is not None:
                self.pump(0.2)
                return rx.search(self.out, start)
            self.pump(0.05)

    def send(self, data):
        os.write(self.master, data)

    def kill(self, sig):
        os.kill(self.pid, sig)

    def resize(self, rows, cols):
        """A new window size; the kernel signals SIGWINCH to the
        foreground process group."""
        fcntl.ioctl(self.master, termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, 0, 0))

    def hang_up(self):
        """Close the terminal (the emulator's window went away)."""
        os.close(self.master)
        self.master = -1

    def poll(self):
        if self.status is None:
            done, st = os.waitpid(self.pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(st)
                self.status = 128 - code if code < 0 else code
        return self.status

    def wait(self, secs):
        """The exit status (128+N for signal N) within secs seconds, or
        None (still running)."""
        end = time.monotonic() + secs
        while self.poll() is None and time.monotonic() < end:
            self.pump(0.05)
        # what it wrote just before exiting may still be on its way
        self.pump(0.1)
        return self.status

    def modes(self):
        return termios.tcgetattr(self.slave)

    def close(self):
        """SIGKILL it if it still runs; close both sides."""
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.status = 137
        if self.master >= 0:
            os.close(self.master)
            self.master = -1
        if self.slave >= 0:
            os.close(self.slave)
            self.slave = -1


def main():
    timeout = float(sys.argv[1])
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    p = Pty(sys.argv[2:], env=env)
    status = p.wait(timeout)
    if status is None:
        p.close()
        status = 124
    p.close()
    sys.stdout.buffer.write(p.out)
    sys.stdout.flush()
    sys.exit(status)


if __name__ == "__main__":
    main()
