#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot Debian's stock 6.1 and 6.12 kernels under QEMU (TCG, no KVM
# here) and run tests/vm/in-vm.sh inside each, both in parallel (~25 s).
#
#   tests/vm/run.sh BUILD_DIR        (root; part of `make check`)
#
# Kernels come from the Debian archive through apt (run-in-vm.sh caches
# them in /var/tmp/vmtest-cache); scripts/setup.sh --vm installs QEMU.
set -u
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
DIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/kms-vm.XXXXXX)
trap 'rm -rf "$T"' EXIT
KERNELS=${KMS_VM_KERNELS:-"debian-6.1-cloud debian-6.12-cloud"}

# A kernel may be a bzImage path (run-in-vm.sh -k accepts one): flatten it.
out_name() { printf '%s.out' "$(printf '%s' "$1" | tr '/' '_')"; }

"$DIR/../../scripts/setup.sh" --vm || exit 1
pids=()
for k in $KERNELS; do
	# Only what the guest runs: the whole build dir holds fuzzers and corpora.
	"$DIR/run-in-vm.sh" -k "$k" --no-bpftrace -m 1024 -a "$BUILD/kmscope" \
		-a "$BUILD/tests/live/kmgen" -a "$DIR" -t 300 \
		-- "$DIR/in-vm.sh" "$BUILD" >"$T/$(out_name "$k")" 2>&1 &
	pids+=($!)
done
rc=0 i=0
for k in $KERNELS; do
	wait "${pids[$i]}" || rc=1
	i=$((i + 1))
	out="$T/$(out_name "$k")"
	grep -E '^(ok|not ok|#|vm-)' "$out" || { echo "not ok - $k: no test output"; tail -20 "$out"; }
done
exit $rc
