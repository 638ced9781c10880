#!/usr/bin/env bash
# meson install into a temporary destdir, the tree moved elsewhere, and the
# installed bootscope run from another directory: the bundled hello without
# PROGRAM, --lab list, --lab 1 in batch mode, --version, the man page, bash
# completion. Then a build configured with another prefix and layout.
#
#   install.sh BUILD_ROOT SOURCE_ROOT VERSION
. "$(dirname "$0")/../common.sh"

BUILD=$(realpath "${1:?usage: $0 BUILD_ROOT SOURCE_ROOT VERSION}")
SRC=$(realpath "${2:?usage: $0 BUILD_ROOT SOURCE_ROOT VERSION}")
VERSION=${3:?usage: $0 BUILD_ROOT SOURCE_ROOT VERSION}
ok() { echo "ok   $*"; }
has() { # haystack needle what
	if grep -qF -- "$2" <<<"$1"; then ok "$3"; else fail "$3: '$2' not in: $1"; fi
}
# Every variable that could point back at the build or the sources is
# dropped: the installed tree must stand alone.
clean_env() { env -u BOOTSCOPE_LABS -u MESON_BUILD_ROOT -u MESON_SOURCE_ROOT "$@"; }

prefix=$(meson introspect --buildoptions "$BUILD" | python3 -c '
import json, sys
print({o["name"]: o["value"] for o in json.load(sys.stdin)}["prefix"])')

# ---- install, then move the tree ------------------------------------------
meson install -C "$BUILD" --destdir "$TMP/dest" --no-rebuild --quiet >"$TMP/log" 2>&1 ||
	{ cat "$TMP/log"; fail "meson install"; exit 1; }
mkdir -p "$TMP/moved"
mv "$TMP/dest$prefix" "$TMP/moved/bs"
ROOT=$TMP/moved/bs
BS=$ROOT/bin/bootscope

for f in bin/bootscope libexec/bootscope/hello libexec/bootscope/pingpong \
	libexec/bootscope/spawn libexec/bootscope/deadlock \
	share/man/man1/bootscope.1 share/bash-completion/completions/bootscope \
	share/doc/bootscope/json.md; do
	if [ -e "$ROOT/$f" ]; then ok "installed $f"; else fail "not installed: $f"; fi
done
for x in bin/bootscope libexec/bootscope/hello; do
	[ -x "$ROOT/$x" ] || fail "$x is not executable"
done
# lab 11's `go build` hello, built when the Go toolchain is installed
if command -v go >/dev/null 2>&1; then
	if [ -x "$ROOT/libexec/bootscope/gohello" ]; then ok "installed libexec/bootscope/gohello"; else fail "not installed: libexec/bootscope/gohello (go is installed)"; fi
fi
# Every lab file and every lab page, and nothing else.
want=$( (cd "$SRC/labs" && ls -- *.bs; cd "$SRC/docs/labs" && ls -- *.md) | sort)
got=$(cd "$ROOT/share/bootscope/labs" && ls | sort)
if [ "$got" = "$want" ]; then ok "share/bootscope/labs holds every lab file and page"
else fail "share/bootscope/labs: $(diff <(echo "$want") <(echo "$got") | tr '\n' ' ')"; fi
for f in "$SRC"/labs/*.bs; do
	cmp -s "$f" "$ROOT/share/bootscope/labs/$(basename "$f")" ||
		fail "installed $(basename "$f") differs from the source"
done

cd "$TMP"
out=$(clean_env "$BS" --version)
[ "$out" = "bootscope $VERSION" ] && ok "--version" || fail "--version: '$out', want 'bootscope $VERSION'"

# ---- the installed binary uses the installed files -----------------------
out=$(clean_env "$BS" --json --lab list)
python3 - "$out" "$ROOT/share/bootscope/labs" <<'PY' && ok "--lab list reads the installed labs" || fail "--lab list: $out"
import json, os, re, sys
ev = json.loads(sys.argv[1])
d = sys.argv[2]
assert os.path.realpath(ev["dir"]) == os.path.realpath(d), ev["dir"]
want = []
for f in sorted(os.listdir(d)):
    if f.endswith(".bs"):
        m = re.search(r"^#@lab (\d+) (.*)$", open(os.path.join(d, f)).read(), re.M)
        want.append((int(m.group(1)), m.group(2)))
got = [(l["number"], l["title"]) for l in ev["labs"]]
assert got == sorted(want), (got, want)
PY
# The lab numbers, from the installed file names.
numbers=$(cd "$ROOT/share/bootscope/labs" && ls [0-9][0-9]-*.bs | sed 's/-.*//; s/^0*//' | sort -n | tr '\n' ' ')
numbers=${numbers% }
out=$(clean_env "$BS" --lab list)
[ "$(awk '{print $1}' <<<"$out" | tr '\n' ' ')" = "$numbers " ] &&
	ok "--lab list text" || fail "--lab list text: $out, want the numbers $numbers"

# Skip from here when ptrace is refused.
ptrace_probe clean_env "$BS" --batch -ex starti || fail "installed bootscope cannot start its hello"

# --batch without PROGRAM: the installed hello (argv[0]) runs to its end.
rc=0
out=$(clean_env "$BS" --batch --json -ex starti -ex 'x/s *($rsp + 8)' -ex continue) || rc=$?
[ $rc -eq 0 ] || fail "--batch on the bundled hello: exit $rc"
python3 - "$out" "$ROOT/libexec/bootscope/hello" <<'PY' && ok "--batch runs the installed hello" || fail "--batch on the bundled hello: $out"
import sys
from events import first, output, parse
ev = parse(sys.argv[1])
x = first(ev, "x")
assert x["items"][0]["string"] == sys.argv[2], x
out = output(ev, "stdout")
assert out.startswith("hello from bootscope"), out
assert ev[-1]["event"] == "exited" and ev[-1]["code"] == 0, ev[-1]
PY

# --lab 1 in batch mode: one passing check per expect line of the installed
# file, and the summary.
lab1=$(ls "$ROOT"/share/bootscope/labs/01-*.bs)
nexpect=$(grep -cE '^[[:space:]]*expect[[:space:]]' "$lab1")
rc=0
out=$(clean_env "$BS" --batch --json --lab 1) || rc=$?
[ $rc -eq 0 ] || fail "--batch --lab 1: exit $rc"
python3 - "$out" "$lab1" "$nexpect" <<'PY' && ok "--batch --lab 1: $nexpect checks passed" || fail "--batch --lab 1: $out"
import sys
from events import named, parse
ev = parse(sys.argv[1])
n = int(sys.argv[3])
checks = named(ev, "check")
assert len(checks) == n and all(c["pass"] and c["file"] == sys.argv[2] for c in checks), checks
assert ev[-1]["event"] == "lab_summary" and ev[-1]["checks"] == n and \
    ev[-1]["passed"] == n and ev[-1]["failed"] == 0, ev[-1]
PY
out=$(clean_env "$BS" --batch --lab 1 2>&1) || true
has "$out" "checks, $nexpect passed, 0 failed" "--batch --lab 1 in text"

# Labs 9 and 10 name other bundled programs.
for n in 9 10; do
	rc=0
	out=$(clean_env "$BS" --batch --json --lab $n) || rc=$?
	[ $rc -eq 0 ] && ok "--batch --lab $n (its own program)" || fail "--batch --lab $n: exit $rc: $(tail -3 <<<"$out")"
done

# Without the installed labs, nothing falls back to the source tree.
mv "$ROOT/share/bootscope/labs" "$TMP/labs-away"
rc=0
out=$(clean_env "$BS" --lab list 2>&1) || rc=$?
[ $rc -eq 1 ] && grep -q "cannot find the lab files" <<<"$out" &&
	ok "no installed labs: no fallback" || fail "no installed labs: exit $rc: $out"
mv "$TMP/labs-away" "$ROOT/share/bootscope/labs"

# ---- the man page ----------------------------------------------------------
MAN=$ROOT/share/man/man1/bootscope.1
w=$(groff -ww -man -Tutf8 -z "$MAN" 2>&1)
[ -z "$w" ] && ok "groff -ww: no warnings" || fail "groff -ww warns: $w"
if command -v man >/dev/null; then
	rc=0
	text=$(MANWIDTH=100 MAN_KEEP_FORMATTING=0 man -l "$MAN" 2>"$TMP/man.err" | col -b) || rc=$?
	[ $rc -eq 0 ] && [ ! -s "$TMP/man.err" ] && ok "man -l renders" ||
		fail "man -l: exit $rc: $(cat "$TMP/man.err")"
	has "$text" "bootscope $VERSION" "the man page carries the version"
	has "$text" "$prefix/share/bootscope/labs" "the man page names the labs directory"
fi
if command -v mandoc >/dev/null; then
	w=$(mandoc -Tlint -W warning "$MAN" 2>&1) && ok "mandoc -Tlint" || fail "mandoc -Tlint: $w"
fi

# ---- bash completion ---------------------------------------------------------
comp=$(bash --norc --noprofile -c '
	set -u
	. "$1"
	complete -p bootscope
	t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
	      _bootscope "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	      echo "${COMPREPLY[*]}"; }
	t "$2" --lab ""
	t "$2" --ver
	t "$2" --batch -ex "break sched"
	t "$2" -ex "info re"
	t "$2" --replay /etc/host
	t "$2" --record /tmp/x.bstl -ex "break sched"
	' _ "$ROOT/share/bash-completion/completions/bootscope" "$BS" 2>&1) || true
mapfile -t lines <<<"$comp"
[ "${lines[0]:-}" = "complete -F _bootscope bootscope" ] && ok "complete -p bootscope" ||
	fail "complete -p bootscope: ${lines[0]:-}"
[ "${lines[1]:-}" = "list $numbers" ] && ok "completion after --lab" ||
	fail "completion after --lab: '${lines[1]:-}'"
[ "${lines[2]:-}" = "--version" ] && ok "completion of --ver" || fail "completion of --ver: '${lines[2]:-}'"
[ "${lines[3]:-}" = "break runtime.schedinit break runtime.schedule" ] &&
	ok "completion of a stage after -ex 'break '" || fail "completion after -ex 'break sched': '${lines[3]:-}'"
[ -z "${lines[4]:-}" ] && ok "other -ex text is free" || fail "completion after -ex 'info re': '${lines[4]:-}'"
# --replay and --record take a file name, which is not the program
want=$(compgen -f -- /etc/host | tr '\n' ' ')
[ "${lines[5]:-}" = "${want% }" ] && ok "a file name after --replay" ||
	fail "completion after --replay /etc/host: '${lines[5]:-}', files '${want% }'"
[ "${lines[6]:-}" = "break runtime.schedinit break runtime.schedule" ] &&
	ok "--record's file is not the program" || fail "completion after --record FILE -ex 'break sched': '${lines[6]:-}'"

# ---- another prefix and layout -------------------------------------------------
cd "$TMP"
# Only what is installed is built.
installed_targets() {
	meson introspect --targets "$1" | python3 -c '
import json, os, sys
b = sys.argv[1]
for t in json.load(sys.stdin):
    if t["installed"]:
        for f in t["filename"]:
            print(os.path.relpath(f, b))' "$1"
}
# shellcheck disable=SC2086 # $targets: one word per file
if meson setup "$TMP/b2" "$SRC" -Dwerror=true -Dprefix=/opt/bootscope \
	-Dbindir=tools/bin -Dlibexecdir=lib/bs-programs -Ddatadir=data \
	-Dmandir=data/man >"$TMP/log" 2>&1 &&
	targets=$(installed_targets "$TMP/b2") &&
	ninja -C "$TMP/b2" $targets >>"$TMP/log" 2>&1 &&
	meson install -C "$TMP/b2" --destdir "$TMP/dest2" --no-rebuild --quiet >>"$TMP/log" 2>&1; then
	R=$TMP/dest2/opt/bootscope
	for f in tools/bin/bootscope lib/bs-programs/bootscope/hello data/bootscope/labs/04-tls.bs \
		data/man/man1/bootscope.1 data/bash-completion/completions/bootscope; do
		[ -e "$R/$f" ] && ok "-Dprefix layout: $f" || fail "-Dprefix layout: no $f"
	done
	mkdir -p "$TMP/elsewhere"
	mv "$R" "$TMP/elsewhere/bs"
	R=$TMP/elsewhere/bs
	rc=0
	out=$(clean_env "$R/tools/bin/bootscope" --batch --json --lab 4) || rc=$?
	[ $rc -eq 0 ] && grep -q '"failed":0' <<<"$out" &&
		ok "-Dprefix layout, moved: --batch --lab 4" || fail "-Dprefix layout: --lab 4: exit $rc: $(tail -2 <<<"$out")"
	out=$(clean_env "$R/tools/bin/bootscope" --batch --json -ex starti -ex 'x/s *($rsp + 8)') || true
	has "$out" "\"string\":\"$R/lib/bs-programs/bootscope/hello\"" "-Dprefix layout, moved: the bundled hello"
else
	cat "$TMP/log"
	fail "configure, build or install with -Dprefix=/opt/bootscope"
fi

finish
