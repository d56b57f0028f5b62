#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot Debian's stock 6.1 and 6.12 kernels under QEMU (TCG, no KVM
# here) and run tests/vm/in-vm.sh inside each, both in parallel (~25 s),
# then tests/vm/bulk-in-vm.sh in each booted with slub_debug=U (~35 s).
#
#   tests/vm/run.sh BUILD_DIR        (root; part of `make check`)
#
# Kernels come from the Debian archive through apt (run-in-vm.sh caches
# them in /var/tmp/vmtest-cache); scripts/setup.sh --vm installs QEMU.
# Before booting, tests/vm/plant/kms_plant.ko is built for each kernel's
# exact release against Debian's linux-headers-<release> (plant/build.sh;
# setup.sh --kernel-headers fetches them) for in-vm.sh's planted-bug test.
set -u
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
DIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/kms-vm.XXXXXX)
trap 'rm -rf "$T"' EXIT
KERNELS=${KMS_VM_KERNELS:-"debian-6.1-cloud debian-6.12-cloud"}

# A kernel may be a bzImage path (run-in-vm.sh -k accepts one): flatten it.
out_name() { printf '%s.out' "$(printf '%s' "$1" | tr '/' '_')"; }

"$DIR/../../scripts/setup.sh" --vm || exit 1
# The planted-bug module, for exactly the release each kernel boots.
declare -A plant
mkdir -p "$T/plant"
for k in $KERNELS; do
	o=$T/plant/$(out_name "$k") rel=""
	# A bzImage path (a kernel built here) has no Debian headers package.
	if [ -f "$k" ] && [ "${k%.deb}" = "$k" ]; then
		plant[$k]=skip
		continue
	fi
	if rel=$("$DIR/run-in-vm.sh" -k "$k" --print-release) &&
		"$DIR/plant/build.sh" "$rel" "$o" 2>"$o.log"; then
		plant[$k]="$o/kms_plant.ko"
		echo "# $k: $(tail -1 "$o.log")"
	else
		echo "# $k: kms_plant.ko not built for ${rel:-?}:"; sed 's/^/#   /' "$o.log" 2>/dev/null | tail -20
	fi
done
pids=()
for k in $KERNELS; do
	extra=()
	case ${plant[$k]:-} in
	"") ;;
	skip) extra=(-e "KMS_PLANT_SKIP=no Debian linux-headers for a bzImage") ;;
	*) extra=(-a "${plant[$k]}" -e "KMS_PLANT_KO=${plant[$k]}") ;;
	esac
	# Only what the guest runs: the whole build dir holds fuzzers and corpora.
	# tests/lib: the TAP helpers the scripts source.
	"$DIR/run-in-vm.sh" -k "$k" --no-bpftrace -m 1024 -a "$BUILD/kmscope" \
		-a "$BUILD/tests/live/kmgen" -a "$DIR" -a "$DIR/../lib" "${extra[@]}" -t 300 \
		-- "$DIR/in-vm.sh" "$BUILD" >"$T/$(out_name "$k")" 2>&1 &
	pids+=($!)
done
rc=0
# collect PREFIX LABEL: wait for the guests in pids[] and print their TAP.
collect() {
	local i=0 k out
	for k in $KERNELS; do
		wait "${pids[$i]}" || rc=1
		i=$((i + 1))
		out="$T/$1$(out_name "$k")"
		grep -E '^(ok|not ok|#|vm-)' "$out" || { echo "not ok - $k$2: no test output"; tail -20 "$out"; }
	done
}
collect "" ""
# Bulk and kfree_rcu batch frees (bulk-in-vm.sh): a second boot with
# slub_debug=U, whose alloc_traces tell which objects are still allocated
# (it changes the caches' layout, which in-vm.sh's geometry check models
# without it).
pids=()
for k in $KERNELS; do
	"$DIR/run-in-vm.sh" -k "$k" --no-bpftrace -m 1024 -a "$BUILD/kmscope" \
		-a "$BUILD/tests/live/kmgen" -a "$DIR" -a "$DIR/../lib" --append slub_debug=U -t 300 \
		-- "$DIR/bulk-in-vm.sh" "$BUILD" >"$T/bulk-$(out_name "$k")" 2>&1 &
	pids+=($!)
done
collect bulk- " (bulk)"
exit $rc
