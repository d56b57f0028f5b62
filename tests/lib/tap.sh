# SPDX-License-Identifier: GPL-2.0
#
# tap.sh - the TAP helpers of the shell test scripts (tests/*/run.sh,
# tests/check-boundaries.sh, tests/vm/*-in-vm.sh), sourced by each:
#
#   . "$(dirname "$0")/../lib/tap.sh"
#
# Numbered `ok N - NAME` and `not ok N - NAME` lines, `#   DETAIL` lines
# under a failure, and the counters behind the summary line every suite
# ends with, `SUITE: N passed, N failed, N skipped`.  Bash builtins only:
# the VM scripts source it inside a guest that has just bash and busybox
# (tests/vm/run.sh and rcu-run.sh add tests/lib to the guest).
#
#   TAP_PREFIX=TEXT                     put TEXT before every test name,
#                                       e.g. "$rel: " (set after sourcing)
#   ok NAME                             a pass
#   not_ok NAME [DETAIL...]             a failure, a `#   DETAIL` line each
#   expect_eq NAME GOT WANT [DETAIL...] ok when GOT = WANT, else not_ok
#                                       with "got 'GOT', want 'WANT'" first
#   skip NAME REASON                    `ok N - NAME # SKIP REASON`
#   skip_note TEXT                      a skip without a number: `# SKIP TEXT`
#   skip_all SUITE REASON               the whole suite skipped: `# SKIP SUITE
#                                       tests: REASON`, the summary, exit 0
#   tap_summary SUITE                   the summary line; fails when a test did
#
# Sourcing it sets the counters to 0: pass, fail, skipped, and n, the
# number of the last test.

pass=0 fail=0 skipped=0 n=0
TAP_PREFIX=

ok() {
	n=$((n + 1)) pass=$((pass + 1))
	echo "ok $n - $TAP_PREFIX$1"
}

not_ok() {
	local l
	n=$((n + 1)) fail=$((fail + 1))
	echo "not ok $n - $TAP_PREFIX$1"
	shift
	for l in "$@"; do echo "#   $l"; done
}

expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2', want '$3'" "${@:4}"
	fi
}

skip() {
	n=$((n + 1)) skipped=$((skipped + 1))
	echo "ok $n - $TAP_PREFIX$1 # SKIP $2"
}

skip_note() {
	skipped=$((skipped + 1))
	echo "# SKIP $1"
}

skip_all() {
	skip_note "$1 tests: $2"
	tap_summary "$1"
	exit 0
}

tap_summary() {
	echo "$1: $pass passed, $fail failed, $skipped skipped"
	[ "$fail" -eq 0 ]
}
