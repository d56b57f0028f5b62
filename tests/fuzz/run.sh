#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - the libFuzzer targets of tests/fuzz:
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS   fuzz each target for SECONDS from a
#                                         corpus seeded with real files
#   tests/fuzz/run.sh BUILD_DIR regress   run each target once over its seeds
#                                         and tests/fuzz/regress/TARGET/ (check)
#
# FUZZ_TARGETS="recfile import ..." picks targets.  A crash leaves its
# input in BUILD_DIR/fuzz/crashes/TARGET/; copy it to tests/fuzz/regress/
# TARGET/ with the fix, so check-fuzz replays it for ever.  The summary
# line per target (executions, coverage, crashes) also goes to
# BUILD_DIR/fuzz/results.txt.
set -u
BUILD=${1:?usage: run.sh BUILD_DIR SECONDS|regress}
MODE=${2:?usage: run.sh BUILD_DIR SECONDS|regress}
DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$DIR/../.." && pwd)
FZ=$BUILD/fuzz
targets=${FUZZ_TARGETS:-recfile import slabinfo slabsys ksyms diff gfp}
. "$DIR/../lib/tap.sh"

# seed TARGET DIR: copy the real files that target reads into DIR.
seed() {
	local t=$1 d=$2 a b
	mkdir -p "$d"
	case $t in
	recfile) cp "$TOP"/tests/replay/*.data "$d/" ;;
	import) cp "$TOP"/tests/fixtures/import-*.txt "$d/" ;;
	slabinfo) cp "$TOP"/tests/fixtures/slabinfo-*.txt "$d/" ;;
	slabsys) cp "$TOP"/tests/fixtures/slabsnap-*.txt "$d/" ;;
	ksyms) cp "$TOP"/tests/fixtures/kallsyms-*.txt "$d/" ;;
	diff)
		for a in "$TOP"/tests/fixtures/report-*.json; do
			b=$TOP/tests/fixtures/report-base.json
			{ cat "$b"; printf '\0'; cat "$a"; } >"$d/$(basename "$a" .json).pair"
		done ;;
	gfp)
		for e in GFP_KERNEL 'GFP_ATOMIC|__GFP_NOWARN' 0xcc0 'GFP_KERNEL|__GFP_ZERO|__GFP_NOFAIL' \
			'GFP_NOFS' '__GFP_DMA32|GFP_HIGHUSER_MOVABLE' 'none'; do
			printf '%s' "$e" >"$d/$(printf '%s' "$e" | tr -c 'A-Za-z0-9' _)"
		done ;;
	esac
	chmod -R u+rw "$d"
}

mkdir -p "$FZ"
[ "$MODE" = regress ] || : >"$FZ/results.txt"
for t in $targets; do
	bin=$FZ/fuzz_$t
	if [ ! -x "$bin" ]; then
		not_ok "fuzz_$t: built" "missing $bin (make fuzz-build)"
		continue
	fi
	if [ "$MODE" = regress ]; then
		rm -rf "$FZ/seeds/$t"
		seed "$t" "$FZ/seeds/$t"
		dirs=("$FZ/seeds/$t")
		[ -d "$DIR/regress/$t" ] && dirs+=("$DIR/regress/$t")
		if "$bin" -runs=0 -artifact_prefix="$FZ/" "${dirs[@]}" >"$FZ/$t.regress.log" 2>&1; then
			ok "fuzz_$t: every seed and kept crash input runs clean ($(ls "${dirs[@]}" | grep -vc ':$'))"
		else
			not_ok "fuzz_$t: every seed and kept crash input runs clean" "$(tail -20 "$FZ/$t.regress.log")"
		fi
		continue
	fi
	corpus=$FZ/corpus/$t
	[ -d "$corpus" ] || seed "$t" "$corpus"
	mkdir -p "$FZ/crashes/$t"
	"$bin" -max_total_time="$MODE" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		-artifact_prefix="$FZ/crashes/$t/" "$corpus" >"$FZ/$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$FZ/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$FZ/$t.log" | tail -1)
	crashes=$(ls "$FZ/crashes/$t" | wc -l)
	line="fuzz_$t: $MODE s, ${execs:-?} executions, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l), crashes $crashes"
	echo "$line" >>"$FZ/results.txt"
	if [ $rc -eq 0 ] && [ "$crashes" -eq 0 ]; then
		ok "$line"
	else
		not_ok "$line" "$(grep -m3 'ERROR\|SUMMARY' "$FZ/$t.log")"
	fi
done
tap_summary fuzz
