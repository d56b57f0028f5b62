#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# in-vm.sh - runs inside a guest kernel (tests/vm/run.sh boots it): the
# live msgq checks of tests/live/run.sh, reduced to what must hold on every
# supported kernel.  Prints TAP and a `vm-<release>: N passed, N failed` line.
set -u
BUILD=${1:?usage: in-vm.sh BUILD_DIR}
KMS=$BUILD/kmscope
T=/tmp/kms-vm
mkdir -p $T
rel=$(uname -r)
pass=0 fail=0 n=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $rel: $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $rel: $1"; shift; for l in "$@"; do echo "#   $l"; done; }
# site FIELD: FIELD of the load_msg row, "none" when absent (grep, no python in the guest).
field() {
	tr '{' '\n' <"$1" | grep '"site":"load_msg+' | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" | head -1
}
check() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'" "${@:4}"; fi; }

for mode in "" --classic; do
	name=${mode:-tp_btf}
	"$KMS" stat -q -j $mode -o $T/m.json -- "$BUILD/tests/live/kmgen" msgq 200 64 >/dev/null 2>$T/err
	rc=$?
	check "stat $name exits 0" "$rc" 0 "$(cat $T/err)"
	method=$(sed -n 's/.*"method":"\([a-z_]*\)".*/\1/p' $T/m.json)
	check "stat $name: method" "$method" "$([ -n "$mode" ] && echo tracepoint || echo tp_btf)"
	check "stat $name: 200 allocations at load_msg" "$(field $T/m.json allocs)" 200
	check "stat $name: 200 frees at load_msg" "$(field $T/m.json frees)" 200
	check "stat $name: bytes_req 200 * 112" "$(field $T/m.json bytes_req)" 22400
done
"$KMS" -v stat -q -d 0.2 -o /dev/null 2>&1 | grep -i 'probe' | head -2
echo "vm-$rel: $pass passed, $fail failed, 0 skipped"
[ $fail -eq 0 ]
