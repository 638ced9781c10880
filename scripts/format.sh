#!/usr/bin/env bash
# Format the C sources with the project's .clang-format.
#
#   scripts/format.sh           reformat them in place, naming the files changed
#   scripts/format.sh --check   change nothing; name the files that differ and
#                               exit 1 if there is any
#
# The sources: debugger/, interp/ and ui/ (*.c, *.h), and every *.c and *.h
# under target-runtime/ and tests/ (not the assembly, *.S).
#
# Without clang-format the script says so and exits 0, except in CI (CI set
# and not "false" or "0"), where a missing clang-format fails it. CLANG_FORMAT
# names another binary (default: clang-format). .clang-format is written for
# clang-format 14 (Debian 12's); other versions may lay out some lines
# differently, and the script says so when the version differs.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

mode=fix
case $# in
  0) ;;
  1)
    case $1 in
      --check) mode=check ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; exit 2 ;;
    esac
    ;;
  *) usage >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cf=${CLANG_FORMAT:-clang-format}

case ${CI:-} in
  "" | false | 0) in_ci=false ;;
  *) in_ci=true ;;
esac

if ! command -v "$cf" >/dev/null 2>&1; then
  if [ "$in_ci" = true ]; then
    echo "format.sh: $cf not found; the format check is required in CI (apt-get install clang-format)" >&2
    exit 1
  fi
  echo "format.sh: $cf not found; format check skipped (apt-get install clang-format)" >&2
  exit 0
fi
if [ ! -f .clang-format ]; then
  echo "format.sh: no .clang-format in $root" >&2
  exit 1
fi

version=$("$cf" --version | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p' | head -n 1)
if [ "$version" != 14 ]; then
  echo "format.sh: note: .clang-format is written for clang-format 14; $cf is version ${version:-unknown}, whose layout of some lines may differ" >&2
fi

files=()
while IFS= read -r -d '' f; do
  files+=("$f")
done < <({
  find debugger interp ui -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) -print0
  find target-runtime tests -type f \( -name '*.c' -o -name '*.h' \) -print0
} | sort -z)
if [ ${#files[@]} -eq 0 ]; then
  echo "format.sh: no C sources found under $root" >&2
  exit 1
fi

# One run over every file: each difference is reported as
# FILE:LINE:COL: error: ... [-Wclang-format-violations].
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
"$cf" --style=file --dry-run --Werror "${files[@]}" 2>"$log" || rc=$?
tag='-Wclang-format-violations'
other=$(grep -E '^[^[:space:]]+: (error|warning):|^[^[:space:]]+:[0-9]+:[0-9]+: (error|warning):' "$log" \
  | grep -v -e "$tag" | awk '!seen[$0]++' | head -n 20 || true)
if [ -n "$other" ] || { [ "$rc" -ne 0 ] && ! grep -q -e "$tag" "$log"; }; then
  echo "format.sh: $cf failed:" >&2
  if [ -n "$other" ]; then echo "$other" >&2; else cat "$log" >&2; fi
  exit 1
fi
differ=()
while IFS= read -r f; do
  differ+=("$f")
done < <(grep -e "$tag" "$log" | cut -d: -f1 | uniq)
if [ "$mode" = check ]; then
  if [ ${#differ[@]} -eq 0 ]; then
    echo "format.sh: ${#files[@]} files match .clang-format"
    exit 0
  fi
  # Per file: how many places differ and the first of them.
  grep -e "$tag" "$log" | awk -F: '
    $1 != f { if (f != "") print f, n, first; f = $1; n = 0; first = $2 }
    { n++ }
    END { if (f != "") print f, n, first }' |
    while read -r f n first; do
      echo "format.sh: $f: $n place(s) differ, the first at line $first" >&2
    done
  echo "format.sh: ${#differ[@]} of ${#files[@]} files differ from .clang-format; scripts/format.sh reformats them" >&2
  exit 1
fi

if [ ${#differ[@]} -eq 0 ]; then
  echo "format.sh: ${#files[@]} files already match .clang-format"
  exit 0
fi
"$cf" --style=file -i "${differ[@]}"
printf 'format.sh: reformatted %s\n' "${differ[@]}"
