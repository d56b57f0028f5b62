#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - what `make install` puts down, checked where it put it:
#
#   tests/install/run.sh BUILD_DIR ROOT   (ROOT = DESTDIR + PREFIX)
#
# The binary runs; every command has a man page that renders without groff
# warnings and names every option its --help lists (the pages are made
# from --help, so this catches a page left behind by a changed binary);
# the bash completion offers the commands, the options of each command
# and the fixed option values; the systemd unit is there and valid.
set -u
export LC_ALL=C
BUILD=${1:?usage: run.sh BUILD_DIR ROOT}
ROOT=${2:?usage: run.sh BUILD_DIR ROOT}
KMS=$ROOT/sbin/kmscope
MAN=$ROOT/share/man/man8
COMP=$ROOT/share/bash-completion/completions/kmscope
UNIT=$ROOT/lib/systemd/system/kmscope.service
. "$(dirname "$0")/../lib/tap.sh"

expect_eq "installed binary: mode 0755, runs, says its version" \
	"$(stat -c %a "$KMS") $("$KMS" --version)" "755 $("$BUILD/kmscope" --version)"
cmds=$("$KMS" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
expect_eq "kmscope --help lists the commands" "$(echo $cmds)" \
	"stat top serve trace record report run check sizes diff import"

# render PAGE: the page as man shows it, hyphens as typed.
render() { MANWIDTH=200 man --warnings=all -l "$1" 2>"$T.warn" | sed 's/\xe2\x80\x90/-/g; s/‐/-/g'; }
T=$(mktemp /tmp/kms-install.XXXXXX)
trap 'rm -f "$T" "$T".*' EXIT
for page in kmscope $(printf 'kmscope-%s ' $cmds); do
	f=$MAN/$page.8
	if [ ! -f "$f" ]; then
		not_ok "man: $page(8) installed" "no $f"
		continue
	fi
	render "$f" >"$T.txt"
	if [ -s "$T.warn" ]; then
		not_ok "man: $page(8) renders without warnings" "$(head -3 "$T.warn")"
		continue
	fi
	if [ "$page" = kmscope ]; then
		help=$("$KMS" --help)
	else
		help=$("$KMS" "${page#kmscope-}" --help)
	fi
	missing=
	for o in $(echo "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$o" "$T.txt" || missing="$missing $o"
	done
	expect_eq "man: $page(8) renders cleanly and names every option of its --help" \
		"${missing:-none missing}" "none missing"
done
render "$MAN/kmscope.8" >"$T.txt"
expect_eq "man: kmscope(8) has EXAMPLES, EXIT STATUS, FILES and SEE ALSO" \
	"$(grep -c '^\(EXAMPLES\|EXIT STATUS\|FILES\|SEE ALSO\)$' "$T.txt")" 4

# complete WORDS...: what the installed completion offers for the last word.
complete_words() {
	PATH=$ROOT/sbin:$PATH bash -c 'source "$1"; shift; COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _kmscope; echo "${COMPREPLY[*]}"' _ "$COMP" "$@"
}
expect_eq "completion: the commands" "$(complete_words kmscope "")" "$(echo $cmds)"
expect_eq "completion: options of report from its --help" \
	"$(complete_words kmscope report --min)" "--min-age= --min-size="
expect_eq "completion: report sections" "$(complete_words kmscope report l)" "leaks lifetimes"
expect_eq "completion: stat sort keys" "$(complete_words kmscope stat -s live)" "live live_bytes"
expect_eq "completion: folded weights" "$(complete_words kmscope report --folded "")" "bytes count live"
expect_eq "completion: top's sort keys" "$(complete_words kmscope top -s "")" "a f l b w n"
expect_eq "completion: --by" "$(complete_words kmscope stat --by "")" "cgroup"

# The service: installed, not enabled, starting the installed binary, and
# valid to systemd (where systemd-analyze is; it is on Debian).
exe=$(sed -n 's/^ExecStart=\([^ ]*\) serve -q$/\1/p' "$UNIT" 2>/dev/null)
case $KMS in
*"$exe") at=installed ;;
*) at="$exe" ;;
esac
expect_eq "systemd unit: installed 0644, ExecStart the installed binary's serve -q" \
	"$(stat -c %a "$UNIT" 2>/dev/null) ${exe:+$at}" "644 installed" "$(grep ^ExecStart "$UNIT")"
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(systemd-analyze verify --man=no "$UNIT" 2>&1 | grep -v "is not executable\|No such file" )
	expect_eq "systemd unit: systemd-analyze verify finds nothing" "$out" ""
else
	not_ok "systemd unit: systemd-analyze verify finds nothing" "no systemd-analyze (systemd package)"
fi

tap_summary install
