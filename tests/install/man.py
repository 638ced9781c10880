#!/usr/bin/env python3
"""bootscope(1) agrees with the program, both ways.

    man.py BOOTSCOPE MANPAGE JSON_MD SOURCE_ROOT VERSION [KEYS_DUMP]

- OPTIONS: every option spelled in `bootscope --help` has an entry, and
  every entry is an option of --help; --help's command list names every
  command;
- COMMANDS: one entry per command and per info subcommand of the
  interpreter's own `help`, with every alias mentioned;
- BOOT STAGES: the stages of `--list-stages` (bundled hello) and those
  only a dynamic or cgo binary has, no more;
- KEYS: the TUI's key map (keys-dump prints ui/keymap.c's table);
- JSON OUTPUT: the events of docs/json.md (its ### headings);
- ENVIRONMENT: GOMAXPROCS, GODEBUG, NO_COLOR, BOOTSCOPE_LABS and every
  variable bootscope's sources getenv();
- EXIT STATUS: the statuses --help names; the version in .TH;
- groff -ww renders it without a warning.
"""
import glob
import json
import re
import subprocess
import sys

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def same(what, got, want):
    got, want = set(got), set(want)
    if got == want:
        print("ok   %s: %d, the same" % (what, len(got)))
        return
    if want - got:
        fail("%s: missing from the man page: %s" % (what, sorted(want - got)))
    if got - want:
        fail("%s: in the man page only: %s" % (what, sorted(got - want)))


def plain(text):
    """roff text without font escapes and quotes."""
    text = re.sub(r"\\f[BIRP]", "", text)
    text = text.replace("\\-", "-").replace("\\e", "\\").replace("\\&", "")
    text = re.sub(r'^\.(B|I|BR|RB|BI|IB|IR|RI)\s+', "", text)
    return text.replace('"', "").strip()


def sections(path):
    """{SECTION: [(entry header, body text)], ...} from .SH/.TP."""
    out, sec, entry = {}, None, None
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(".SH "):
            sec = plain(line[4:])
            out[sec] = []
            entry = None
        elif line.startswith(".TP") and sec:
            i += 1
            entry = [plain(lines[i]), ""]
            out[sec].append(entry)
        elif line.startswith((".PP", ".SS")):
            entry = None
        elif entry is not None:
            entry[1] += " " + plain(line)
        i += 1
    return out


def run(args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def main():
    bootscope, man, json_md, src, version = sys.argv[1:6]
    keys_dump = sys.argv[6] if len(sys.argv) > 6 else None
    secs = sections(man)
    heads = {k: [h for h, _ in v] for k, v in secs.items()}

    # Options.
    help_text = run([bootscope, "--help"])
    opt_re = re.compile(r"(?<![\w-])--?[a-z][a-z-]*")
    help_opts = set()
    for line in help_text.splitlines():
        if re.match(r"^  +-", line):
            help_opts.update(opt_re.findall(line))
    man_opts = set()
    for h in heads.get("OPTIONS", []):
        man_opts.update(opt_re.findall(h))
    same("options (--help vs OPTIONS)", man_opts, help_opts)

    # Commands, from the interpreter's help.
    ev = [json.loads(l) for l in run([bootscope, "--batch", "--json", "-ex", "help",
                                      "-ex", "help info"]).splitlines()]
    cmds = {c["name"]: c["aliases"].split() for c in ev[0]["commands"]}
    infos = {c["name"]: c["aliases"].split() for c in ev[1]["commands"]}
    want = [n for n in cmds if n != "info"] + list(infos)
    got = []
    bodies = {}
    for h, body in secs.get("COMMANDS", []):
        words = re.split(r"[\s/\[]", h)
        name = " ".join(words[:2]) if words[0] == "info" else words[0]
        got.append(name)
        bodies[name] = body
    same("commands (help vs COMMANDS)", got, want)
    m = re.search(r"^Commands.*?:(.*?)\.\s+Example", help_text, re.M | re.S)
    listed = set(re.findall(r"[a-z][a-z-]*", m.group(1) if m else ""))
    for name in want:
        words = name.split()
        if words[-1] not in listed or words[0] not in listed:
            fail("command %r is not in the command list of --help" % name)
    for name, aliases in list(cmds.items()) + list(infos.items()):
        for a in aliases:
            spelled = "info " + a if name.startswith("info ") else a
            if name == "info":
                ok = re.search(r"\binfo\s+may be written\s+%s\b" % a,
                               open(man).read().replace("\n.BR ", " ").replace("\n.B ", " "))
            else:
                ok = re.search(r"(^|[\s,])%s([\s,.]|$)" % re.escape(spelled),
                               bodies.get(name, ""))
            if not ok:
                fail("alias %r of %r is not in its man entry" % (spelled, name))

    # Stages.
    # The bundled hello is static and without cgo: the stages only a
    # dynamic or cgo binary has are documented at their places in the
    # catalog too.
    st = json.loads(run([bootscope, "--list-stages", "--json"]))
    names = [s["name"] for s in st["stages"]]
    want = []
    for n in names:
        if n == "_rt0_amd64_linux":
            want += ["ld.so", n, "_start", "main"]
        elif n == "rt0_go.cpuid":
            want += [n, "rt0_go.cgo_init"]
        else:
            want.append(n)
    same("stages (--list-stages of the bundled hello, plus those of dynamic and cgo "
         "binaries, vs BOOT STAGES)", heads.get("BOOT STAGES", []), want)

    # Keys.
    if keys_dump:
        same("keys (ui/keymap.c vs KEYS)", heads.get("KEYS", []),
             run([keys_dump]).split("\n")[:-1])
    else:
        print("note: no key map built; KEYS not compared")

    # JSON events.
    events = re.findall(r"^### ([a-z_]+)\s*$", open(json_md).read(), re.M)
    same("events (docs/json.md vs JSON OUTPUT)", heads.get("JSON OUTPUT", []), events)

    # Environment.
    names = {"GOMAXPROCS", "GODEBUG", "NO_COLOR", "BOOTSCOPE_LABS"}
    for f in glob.glob(src + "/ui/*.c") + glob.glob(src + "/debugger/*.c"):
        names.update(re.findall(r'getenv\("([A-Z_0-9]+)"\)', open(f).read()))
    same("environment variables", heads.get("ENVIRONMENT", []), names)

    # Exit statuses and version.
    m = re.search(r"Exit status: (.*?)\n\n|Exit status: (.*)$", help_text, re.S)
    statuses = re.findall(r"\b(\d) [a-z]", (m.group(1) or m.group(2)) if m else "")
    same("exit statuses (--help vs EXIT STATUS)", heads.get("EXIT STATUS", []), statuses)
    th = next((l for l in open(man) if l.startswith(".TH")), "")
    if ('"bootscope %s"' % version) not in th:
        fail(".TH does not carry the version %s: %s" % (version, th.strip()))

    # Renders cleanly.
    r = subprocess.run(["groff", "-ww", "-man", "-Tutf8", "-z", man],
                       capture_output=True, text=True)
    if r.returncode != 0 or r.stderr:
        fail("groff -ww: %s" % r.stderr.strip())

    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
