#!/usr/bin/env python3
"""Every test file of the tree is registered with meson.

    registered.py ROOT -- REGISTERED... -- HELPERS...
        exit 1, naming them, when tests/ or bench/ under ROOT hold a test
        file (*.sh, *.py, test_*.c) that is neither a registered test nor a
        listed helper, or when a listed file does not exist.
    registered.py --self-test
        the check above on a small tree: an unregistered file fails it.
    registered.py --setup-test ROOT
        `meson setup` of a copy of ROOT's files with one test file added
        and not registered fails, naming it.

meson.build runs it at set-up (check: true), so a test written but not
registered stops `meson setup`.
"""
import os
import sys
import tempfile

DIRS = ("tests", "bench")


def candidates(root):
    out = set()
    for d in DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, d)):
            dirnames[:] = [n for n in dirnames if not n.startswith(".") and n != "corpus"]
            for f in filenames:
                if f.endswith((".sh", ".py")) or (f.startswith("test_") and f.endswith(".c")):
                    out.add(os.path.realpath(os.path.join(dirpath, f)))
    return out


def check(root, registered, helpers):
    listed = {os.path.realpath(p) for p in registered + helpers}
    bad = []
    for p in sorted(listed):
        if not os.path.exists(p):
            bad.append("listed but missing: " + os.path.relpath(p, root))
    for p in sorted(candidates(root) - listed):
        bad.append("not registered (add it to its meson.build's registered_tests or "
                   "test_helpers): " + os.path.relpath(p, root))
    return bad


def self_test():
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "tests", "a"))
        files = {n: os.path.join(root, "tests", "a", n)
                 for n in ("test_x.c", "run.sh", "lib.sh", "notes.txt")}
        for p in files.values():
            open(p, "w").close()
        ok = check(root, [files["test_x.c"], files["run.sh"]], [files["lib.sh"]])
        assert ok == [], ok
        bad = check(root, [files["test_x.c"]], [files["lib.sh"]])
        assert bad == ["not registered (add it to its meson.build's registered_tests or "
                       "test_helpers): tests/a/run.sh"], bad
        gone = check(root, [files["test_x.c"], files["run.sh"],
                            os.path.join(root, "tests", "a", "test_gone.c")], [files["lib.sh"]])
        assert gone == ["listed but missing: tests/a/test_gone.c"], gone
    print("ok: an unregistered test file and a missing listed one are refused")


def setup_test(root):
    import shutil
    import subprocess
    files = subprocess.run(["git", "-C", root, "ls-files", "--cached", "--others",
                            "--exclude-standard"], capture_output=True, text=True)
    if files.returncode != 0:
        print("skip: %s is not a git checkout" % root)
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        for f in files.stdout.splitlines():
            if not os.path.isfile(os.path.join(root, f)):
                continue
            os.makedirs(os.path.dirname(os.path.join(src, f)), exist_ok=True)
            shutil.copy2(os.path.join(root, f), os.path.join(src, f))
        open(os.path.join(src, "tests", "cli", "test_unregistered.c"), "w").close()
        r = subprocess.run(["meson", "setup", os.path.join(tmp, "build"), src],
                           capture_output=True, text=True)
        out = r.stdout + r.stderr
        want = "not registered (add it to its meson.build's registered_tests or " \
               "test_helpers): tests/cli/test_unregistered.c"
        if r.returncode == 0 or want not in out:
            print("FAIL: meson setup with an unregistered test file: status %d\n%s"
                  % (r.returncode, out[-2000:]))
            return 1
    print("ok: meson setup refuses tests/cli/test_unregistered.c")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        self_test()
        return 0
    if len(argv) == 3 and argv[1] == "--setup-test":
        return setup_test(argv[2])
    if len(argv) < 3 or argv[2] != "--" or argv[3:].count("--") != 1:
        print(__doc__, file=sys.stderr)
        return 2
    rest = argv[3:]
    k = rest.index("--")
    bad = check(os.path.realpath(argv[1]), rest[:k], rest[k + 1:])
    for b in bad:
        print("tests: " + b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
