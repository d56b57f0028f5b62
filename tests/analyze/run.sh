#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - the static analysers on the project's own configuration, and
# the userspace collector under valgrind:
#
#   tests/analyze/run.sh BUILD_DIR
#
# cppcheck (warning, portability, performance) and clang-tidy (.clang-tidy:
# the Clang Static Analyzer) over src/ must report nothing; every replay
# path (stat, report with every writer, trace, check, diff, import, sizes)
# must run under valgrind without an error or a leak.
set -u
BUILD=${1:?usage: run.sh BUILD_DIR}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
KMS=$BUILD/kmscope
T=$(mktemp -d /tmp/kms-analyze.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$TOP/tests/lib/tap.sh"
INC="-Iinclude -Isrc -Isrc/cli -Isrc/live -I$BUILD -I$BUILD/gen -D_GNU_SOURCE"

cd "$TOP"
# libbpf's LIBBPF_OPTS() and protobuf-c's version check live in system
# headers cppcheck does not read: say so instead of reading them all.
if cppcheck -j "$(nproc)" --std=c11 --enable=warning,portability,performance --inline-suppr --quiet \
	--error-exitcode=1 --suppress=missingIncludeSystem --suppress=unknownMacro:src/live/loader.c \
	--suppress='preprocessorErrorDirective:*profile.pb-c.h' $INC src/ >"$T/cppcheck" 2>&1; then
	ok "cppcheck: src/ clean (warning, portability, performance)"
else
	not_ok "cppcheck: src/ clean" "$(head -20 "$T/cppcheck")"
fi
TIDY=$(command -v clang-tidy || command -v clang-tidy-14)
ls src/*.c src/cli/*.c src/live/*.c | xargs -P "$(nproc)" -n 4 "$TIDY" --quiet -- -std=gnu11 $INC >"$T/tidy" 2>/dev/null
if ! grep -q 'warning:\|error:' "$T/tidy"; then
	ok "clang-tidy: src/ clean (.clang-tidy: the Clang Static Analyzer)"
else
	not_ok "clang-tidy: src/ clean" "$(grep 'warning:\|error:' "$T/tidy" | head -10)"
fi

# vg NAME CMD...: CMD under valgrind, no error and nothing leaked.
vg() {
	local name=$1
	shift
	if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect "$@" >/dev/null 2>"$T/vg"; [ $? -ne 99 ]; then
		ok "valgrind: $name"
	else
		not_ok "valgrind: $name" "$(head -20 "$T/vg")"
	fi
}
R=$TOP/tests/replay
vg "stat -j -i" "$KMS" stat -j -n 0 -i "$R/msgq-6.18.data"
vg "report, every writer" "$KMS" report -q -n 0 -o "$T/r.txt" --html "$T/r.html" \
	--pprof "$T/r.pb.gz" --speedscope "$T/r.ss" -i "$R/findings.data"
vg "report -j waste (memory bill)" "$KMS" report waste -j -i "$R/check-6.18.data"
vg "trace -i" "$KMS" trace -i "$R/edge.data"
vg "stat --openmetrics --redact" "$KMS" stat --openmetrics --redact -i "$R/edge.data"
vg "check -i" "$KMS" check -i "$R/check-6.18.data"
vg "stat -i of a cut-short recording" "$KMS" stat -i "$R/truncated.data"
vg "diff" "$KMS" diff "$TOP/tests/fixtures/report-base.json" "$TOP/tests/fixtures/report-double.json"
vg "import" "$KMS" import -q "$TOP/tests/fixtures/import-ftrace-latency.txt" -o "$T/imp.data"
vg "sizes" "$KMS" sizes 200
tap_summary analyze
