# bash completion for bootscope(1).
#
# Options come from `bootscope --help`, lab numbers from `bootscope --lab
# list`, stage names from `bootscope --list-stages [PROGRAM]`, so the
# completion follows the binary being completed (COMP_WORDS[0]). The text
# after -ex is a free command line: only the location after break, tbreak,
# until and advance is completed, with stage names.

# The binary named on the command line, usable from here.
_bootscope_bin()
{
	local bs=${COMP_WORDS[0]}

	bs=${bs/#\~/$HOME}
	if [[ $bs == */* ]]; then
		[[ -x $bs ]] && printf '%s\n' "$bs"
	else
		type -P -- "$bs"
	fi
}

# Option spellings in the --help text: "  -x, --script FILE" gives -x and
# --script.
_bootscope_options()
{
	"$1" --help 2>/dev/null | awk '
		/^  +-/ {
			for (i = 1; i <= NF; i++) {
				w = $i
				sub(/,$/, "", w)
				if (w ~ /^--?[a-z][a-z-]*$/) print w
				else break
			}
		}' | sort -u
}

_bootscope_labs()
{
	"$1" --lab list 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { print $1 }'
}

# Stage names of PROGRAM (the bundled hello when none is given).
_bootscope_stages()
{
	"$1" --list-stages ${2:+-- "$2"} 2>/dev/null |
		awk '$1 ~ /^[0-9]+$/ { print $2 } $1 == "*" { print $3 }'
}

# The PROGRAM word already on the line, if any (the first word that is
# neither an option nor an option's value).
_bootscope_program()
{
	local i w
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--) printf '%s\n' "${COMP_WORDS[i + 1]}"; return ;;
		-x | --x | -script | --script | -ex | --ex | -eval-command | \
		--eval-command | -lab | --lab | -record | --record | -replay | \
		--replay | -trace | --trace | -check-lab | --check-lab | \
		-answers | --answers | -student | --student)
			((i++)) ;;
		-*) ;;
		*) printf '%s\n' "$w"; return ;;
		esac
	done
}

_bootscope()
{
	local cur=${2-${COMP_WORDS[COMP_CWORD]}} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local bs words

	COMPREPLY=()
	bs=$(_bootscope_bin) || bs=
	[[ -n $bs ]] || bs=bootscope

	# --lab=N: '=' is a word of its own for bash.
	if [[ $prev == = && ${COMP_WORDS[COMP_CWORD - 2]} == @(-lab|--lab) ]]; then
		prev=--lab
	elif [[ $cur == = && $prev == @(-lab|--lab) ]]; then
		cur=
	fi

	case $prev in
	-lab | --lab)
		words="list $(_bootscope_labs "$bs")"
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		return 0
		;;
	-x | --x | -script | --script | -record | --record | -replay | \
	--replay | -trace | --trace | -check-lab | --check-lab | -answers | --answers)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	-ex | --ex | -eval-command | --eval-command)
		local cmd loc prog s
		if [[ $cur =~ ^(break|b|br|brea|tbreak|tb|until|u|advance)[[:space:]]+(.*)$ ]]; then
			cmd=${BASH_REMATCH[1]}
			loc=${BASH_REMATCH[2]}
			prog=$(_bootscope_program)
			words=$(_bootscope_stages "$bs" "$prog")
			mapfile -t COMPREPLY < <(compgen -W "$words" -- "$loc")
			# "sched" finds runtime.schedinit as well as a full prefix.
			if ((${#COMPREPLY[@]} == 0)); then
				for s in $words; do
					[[ ${s#*.} == "$loc"* ]] && COMPREPLY+=("$s")
				done
			fi
			for s in "${!COMPREPLY[@]}"; do
				COMPREPLY[s]="$cmd ${COMPREPLY[s]}"
			done
		fi
		return 0
		;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_bootscope_options "$bs")" -- "$cur")
		return 0
	fi
	# PROGRAM and its arguments.
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	return 0
}

complete -F _bootscope bootscope
