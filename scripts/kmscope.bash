# SPDX-License-Identifier: GPL-2.0
#
# kmscope.bash - bash completion for kmscope, installed by `make install`
# into $(PREFIX)/share/bash-completion/completions/kmscope.
#
# Options come from `kmscope COMMAND --help` at completion time, so they
# are always those of the installed binary; only option arguments with a
# fixed vocabulary are spelled out here.

_kmscope_opts()
{
	"$1" "$2" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*=\?' | sort -u
}

_kmscope()
{
	local cur prev cmd i words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	# The command is the first word after global options; after `--`
	# comes the traced command, which completes like any command line.
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--)
			_command_offset $((i + 1)) 2>/dev/null ||
				COMPREPLY=($(compgen -c -- "$cur" | sort -u))
			return ;;
		-*) ;;
		*) [ -z "$cmd" ] && cmd=${COMP_WORDS[i]} ;;
		esac
	done
	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--json --pretty --verbose --version --help' -- "$cur"))
		else
			words=$("${COMP_WORDS[0]}" --help 2>/dev/null |
				sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
		fi
		return
	fi
	case $prev in
	-i|--input|-o|--output|-w|--write|--kallsyms|--log)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--cgroup)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--by)
		COMPREPLY=($(compgen -W cgroup -- "$cur")); return ;;
	-p|--pid)
		COMPREPLY=($(compgen -W "$(ls /proc 2>/dev/null | grep '^[0-9]')" -- "$cur")); return ;;
	-s|--sort)
		if [ "$cmd" = top ]; then
			words='a f l b w n'
		elif [ "$cmd" = diff ]; then
			words='allocs bytes waste live live_bytes failed'
		else
			words='allocs frees req alloc waste live live_bytes failed'
		fi
		COMPREPLY=($(compgen -W "$words" -- "$cur")); return ;;
	--folded)
		COMPREPLY=($(compgen -W 'bytes count live' -- "$cur")); return ;;
	--fail-on)
		COMPREPLY=($(compgen -W 'new-leak new-gfp-bug new-failure new-finding' -- "$cur")); return ;;
	--max-increase)
		COMPREPLY=($(compgen -W 'allocs= bytes= waste= live= live_bytes= failed= slab_bytes= free_slots= rounding= lifetime_p50=' -- "$cur"))
		compopt -o nospace 2>/dev/null; return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_kmscope_opts "${COMP_WORDS[0]}" "$cmd")" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
	elif [ "$cmd" = report ]; then
		COMPREPLY=($(compgen -W 'waste leaks gfp failures lifetimes all' -- "$cur"))
	elif [ "$cmd" = diff ] || [ "$cmd" = import ]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _kmscope kmscope
