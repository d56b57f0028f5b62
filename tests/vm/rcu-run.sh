#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rcu-run.sh - build (once, cached; a cold build takes tens of minutes on 2
# cores, 26 min here) a 6.12 kernel with CONFIG_RCU_TRACE=y and run tests/vm/rcu-in-vm.sh
# in it under QEMU: the only way to exercise kms_rcu_bulk, since neither the
# host kernel nor Debian's 6.1/6.12 have the rcu tracepoints.
#
#   tests/vm/rcu-run.sh BUILD_DIR        (root; `make check-rcu-kernel`)
set -u
BUILD=$(cd "${1:?usage: rcu-run.sh BUILD_DIR}" && pwd)
DIR=$(cd "$(dirname "$0")" && pwd)

"$DIR/../../scripts/setup.sh" --vm || exit 1
img=$("$DIR/rcu-kernel.sh") || { echo "not ok - rcu-kernel.sh failed"; exit 1; }
echo "# kernel: $img"
"$DIR/run-in-vm.sh" -k "$img" --no-bpftrace -m 1024 -a "$BUILD/kmscope" \
	-a "$BUILD/tests/live/kmgen" -a "$DIR" -a "$DIR/../lib" -t 600 \
	-- "$DIR/rcu-in-vm.sh" "$BUILD"
