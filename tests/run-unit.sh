#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-unit.sh - run every unit-test binary given, print their TAP, and sum
# their summary lines into one `unit: N passed, N failed, N skipped`.
set -u
pass=0 fail=0 skip=0 bad=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | tail -n 1)
	set -- $(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p')
	if [ $# -ne 3 ] || [ $rc -ne 0 ]; then
		echo "run-unit: $t exited $rc" >&2
		bad=$((bad + 1))
	fi
	[ $# -eq 3 ] && { pass=$((pass + $1)); fail=$((fail + $2)); skip=$((skip + $3)); }
done
echo "unit: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$bad" -eq 0 ]
