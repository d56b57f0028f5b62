#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ci-workload.sh KMGEN [LEAK_N] - the workload of the live CI-gate test
# (tests/live/leaks.sh): ordinary work that leaves kernel noise behind
# (files made, read and removed; processes forked), then 200 SysV messages
# sent and received.  With LEAK_N, also N messages sent and kept: a real
# new leak of N objects at load_msg (the caller removes the queues).
set -e
kmgen=$1
d=$(mktemp -d /tmp/kms-ciwl.XXXXXX)
i=0
while [ $i -lt 50 ]; do
	echo "line $i" >"$d/f$i"
	cat "$d/f$i" >/dev/null
	i=$((i + 1))
done
ls -l "$d" >/dev/null
rm -rf "$d"
for i in 1 2 3 4 5; do sh -c 'true' & done
wait
"$kmgen" msgq 200 64 >/dev/null
if [ -n "${2:-}" ]; then
	"$kmgen" leak "$2" 64 0.01
fi
