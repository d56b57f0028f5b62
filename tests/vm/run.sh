#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot Debian's stock 6.1, 6.12 and 6.18 kernels under QEMU (TCG,
# no KVM here) and run tests/vm/in-vm.sh inside each, then
# tests/vm/bulk-in-vm.sh in each booted with slub_debug=U, then
# tests/vm/smp-in-vm.sh on one of them with 8 vCPUs (--pair's shared table
# under eight producers); two guests at a time, ~8 minutes in all.
#
#   tests/vm/run.sh BUILD_DIR        (root; part of `make check`)
#
# KMS_VM_KERNELS picks the kernels; KMS_VM_CPUS (default 2) and
# KMS_VM_TIMEOUT (seconds per guest, default 300) boot bigger guests, e.g.
# 8 vCPUs for the per-CPU paths (TCG runs them all on one host thread, so
# give them time).
#
# 6.1 and 6.12 come from the Debian archive through apt, 6.18 from
# trixie-backports (run-in-vm.sh caches them all in /var/tmp/vmtest-cache);
# scripts/setup.sh --vm installs QEMU.  Before booting,
# tests/vm/plant/kms_plant.ko is built for each kernel's exact release
# against Debian's linux-headers-<release> (plant/build.sh; setup.sh
# --kernel-headers fetches them) for in-vm.sh's planted-bug test.
set -u
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
DIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/kms-vm.XXXXXX)
trap 'rm -rf "$T"' EXIT
KERNELS=${KMS_VM_KERNELS:-"debian-6.1-cloud debian-6.12-cloud debian-6.18-cloud"}
CPUS=${KMS_VM_CPUS:-2}
TIMEOUT=${KMS_VM_TIMEOUT:-300}
# Debian's 6.18 headers (trixie-backports) are built for gcc-14 and
# trixie's glibc, which bookworm has neither of: no module for 6.18.
NO_PLANT="debian-6.18-cloud"

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
		plant[$k]="skip:no Debian linux-headers for a bzImage"
		continue
	fi
	case " $NO_PLANT " in
	*" $k "*)
		plant[$k]="skip:Debian's 6.18 linux-headers need gcc-14 and trixie's glibc, not in bookworm"
		continue ;;
	esac
	if rel=$("$DIR/run-in-vm.sh" -k "$k" --print-release) &&
		"$DIR/plant/build.sh" "$rel" "$o" 2>"$o.log"; then
		plant[$k]="$o/kms_plant.ko"
		echo "# $k: $(tail -1 "$o.log")"
	else
		echo "# $k: kms_plant.ko not built for ${rel:-?}:"; sed 's/^/#   /' "$o.log" 2>/dev/null | tail -20
	fi
done

# Each job: "KERNEL SCRIPT": in-vm.sh, or bulk-in-vm.sh under slub_debug=U,
# whose alloc_traces tell which objects are still allocated (it changes
# the caches' layout, which in-vm.sh's geometry check models without it).
JOBS=()
for k in $KERNELS; do JOBS+=("$k in-vm.sh"); done
for k in $KERNELS; do JOBS+=("$k bulk-in-vm.sh"); done
# And smp-in-vm.sh with 8 vCPUs on one kernel (6.12 where listed: 6.18's
# maple trees re-allocate a few nodes without a free event, not
# identified yet, which would blur its check): --pair's shared table
# under eight producers.
smp_kernel=
for k in $KERNELS; do case $k in *6.12*) smp_kernel=$k ;; esac; done
first_kernel=${KERNELS%% *}
JOBS+=("${smp_kernel:-$first_kernel} smp-in-vm.sh")

# start KERNEL SCRIPT: boot one guest in the background; its output file.
start() {
	local k=$1 script=$2 extra=() out cpus=$CPUS
	out="$T/${script%.sh}-$(out_name "$k")"
	case $script in
	smp-in-vm.sh) cpus=8 ;;
	in-vm.sh)
		case ${plant[$k]:-} in
		"") ;;
		skip:*) extra=(-e "KMS_PLANT_SKIP=${plant[$k]#skip:}") ;;
		*) extra=(-a "${plant[$k]}" -e "KMS_PLANT_KO=${plant[$k]}") ;;
		esac ;;
	bulk-in-vm.sh) extra=(--append slub_debug=U) ;;
	esac
	# Only what the guest runs: the whole build dir holds fuzzers and corpora.
	# tests/lib: the TAP and JSON helpers the scripts source.
	"$DIR/run-in-vm.sh" -k "$k" --no-bpftrace -m 1024 -c "$cpus" -a "$BUILD/kmscope" \
		-a "$BUILD/tests/live/kmgen" -a "$DIR" -a "$DIR/../lib" "${extra[@]}" -t "$TIMEOUT" \
		-- "$DIR/$script" "$BUILD" >"$out" 2>&1 &
	pids+=($!) outs+=("$out") labels+=("$k ($script)")
}

# Two at a time; each pair's TAP printed when both are done.
rc=0
for ((j = 0; j < ${#JOBS[@]}; j += 2)); do
	pids=() outs=() labels=()
	start ${JOBS[$j]}
	[ $((j + 1)) -lt ${#JOBS[@]} ] && start ${JOBS[$((j + 1))]}
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || rc=1
		grep -E '^(ok|not ok|#|vm-)' "${outs[$i]}" ||
			{ echo "not ok - ${labels[$i]}: no test output"; tail -20 "${outs[$i]}"; }
	done
done
exit $rc
