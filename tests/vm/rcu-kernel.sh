#!/usr/bin/env bash
# rcu-kernel.sh — build (once) a Debian 6.12 kernel with CONFIG_RCU_TRACE=y so the
# rcu:rcu_invoke_kfree_bulk_callback tracepoint exists and kmscope's kms_rcu_bulk
# program can be loaded and exercised under tests/vm/run-in-vm.sh.
#
#   rcu-kernel.sh            # prints the bzImage path on stdout (build log on stderr)
#
# Source: Debian's linux-source-6.12 package (/usr/src/linux-source-6.12.tar.xz).
# Config: x86_64 defconfig + kvm_guest.config + BTF/BPF/tracing + RCU_TRACE, with the
# bulky drivers the initramfs-only guest never uses (DRM, sound, USB, wireless, NFS)
# switched off. Everything built in, no modules; `make bzImage` only.
#
# Idempotent: the result is cached in $RCU_KERNEL_CACHE/<key>/bzImage, where <key>
# hashes the source tarball version and this script's config fragment. A finished
# build is reused; an interrupted one is resumed (make is incremental).
# Root is needed only to apt-get install missing build dependencies.
# Cold build on the 2-core dev machine: 26 min (20 s extract, 25 min make -j2
# bzImage, BTF included); 10 MB bzImage. Cached runs print the path at once.
set -euo pipefail

CACHE=${RCU_KERNEL_CACHE:-/var/tmp/rcu-kernel}
SRC_PKG=${RCU_KERNEL_SRC_PKG:-linux-source-6.12}
JOBS=${JOBS:-$(nproc)}

log() { printf 'rcu-kernel: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Config fragment applied on top of defconfig + kvm_guest.config.
# Format: "SYMBOL=y|n|value" (scripts/config semantics).
FRAGMENT=(
	# what this kernel is for
	DEBUG_KERNEL=y
	RCU_TRACE=y
	# BPF + BTF
	BPF=y BPF_SYSCALL=y BPF_JIT=y BPF_JIT_ALWAYS_ON=y BPF_EVENTS=y
	DEBUG_INFO=y DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT=y DEBUG_INFO_REDUCED=n
	DEBUG_INFO_SPLIT=n DEBUG_INFO_COMPRESSED_NONE=y DEBUG_INFO_BTF=y
	KALLSYMS=y KALLSYMS_ALL=y
	# tracing: tracepoints, tp_btf, fentry/fexit, kprobes
	FTRACE=y TRACING=y FUNCTION_TRACER=y DYNAMIC_FTRACE=y
	DYNAMIC_FTRACE_WITH_DIRECT_CALLS=y FTRACE_SYSCALLS=y KPROBES=y KPROBE_EVENTS=y
	# guest plumbing: serial console, initramfs root, devtmpfs, tracefs/debugfs
	SERIAL_8250=y SERIAL_8250_CONSOLE=y BLK_DEV_INITRD=y RD_GZIP=y
	DEVTMPFS=y DEVTMPFS_MOUNT=y DEBUG_FS=y
	IKCONFIG=y IKCONFIG_PROC=y
	MODULES=n
	# trim build time: nothing of this is used by an initramfs-only TCG guest
	DRM=n SOUND=n USB_SUPPORT=n WLAN=n WIRELESS=n CFG80211=n MAC80211=n
	NETWORK_FILESYSTEMS=n NFS_FS=n ROOT_NFS=n 9P_FS=n NET_9P=n
	HID=n INPUT_JOYSTICK=n INPUT_TABLET=n INPUT_TOUCHSCREEN=n INPUT_MISC=n
	AGP=n FB=n
	ETHERNET=n
	RETPOLINE=n MITIGATION_RETPOLINE=n
	LOCALVERSION='"-kmscope-rcutrace"'
	LOCALVERSION_AUTO=n
)
# Must end up set exactly like this in the final .config, or the build is refused.
REQUIRED=(RCU_TRACE=y DEBUG_INFO_BTF=y BPF_SYSCALL=y BPF_JIT=y BPF_EVENTS=y
	FUNCTION_TRACER=y TREE_RCU=y SERIAL_8250_CONSOLE=y BLK_DEV_INITRD=y
	DEVTMPFS=y KPROBES=y)

need_pkgs=()
for p in build-essential bc bison flex libssl-dev libelf-dev dwarves xz-utils cpio "$SRC_PKG"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
	[[ $(id -u) == 0 ]] || die "missing packages (run as root or install): ${need_pkgs[*]}"
	log "installing ${need_pkgs[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" >&2
fi

series=${SRC_PKG#linux-source-}
tarball=/usr/src/linux-source-$series.tar.xz
[[ -f $tarball ]] || die "$tarball not found"
srcver=$(dpkg-query -W -f='${Version}' "$SRC_PKG")
key=$(printf '%s\n' "$SRC_PKG=$srcver" "${FRAGMENT[@]}" "${REQUIRED[@]}" | sha256sum | cut -c1-12)
out=$CACHE/$key
img=$out/bzImage
if [[ -f $img ]]; then
	log "cached: $SRC_PKG $srcver ($key)"
	echo "$img"
	exit 0
fi
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

tree=$out/linux-source-$series
if [[ ! -f $tree/.extracted ]]; then
	log "extracting $tarball"
	rm -rf "$tree"
	tar -C "$out" -xf "$tarball"
	touch "$tree/.extracted"
fi
cd "$tree"

if [[ ! -f .config.done ]]; then
	log "configuring (defconfig + kvm_guest.config + fragment)"
	make -s defconfig >&2
	make -s kvm_guest.config >&2
	args=()
	for kv in "${FRAGMENT[@]}"; do
		k=${kv%%=*} v=${kv#*=}
		case $v in
		y) args+=(--enable "$k") ;;
		n) args+=(--disable "$k") ;;
		\"*) args+=(--set-str "$k" "$(eval "echo $v")") ;;
		*) args+=(--set-val "$k" "$v") ;;
		esac
	done
	scripts/config "${args[@]}"
	make -s olddefconfig >&2
	bad=0
	for kv in "${REQUIRED[@]}"; do
		grep -qx "CONFIG_$kv" .config || { log "config: CONFIG_$kv not satisfied: $(grep "CONFIG_${kv%%=*}[= ]" .config || echo unset)"; bad=1; }
	done
	((bad == 0)) || die "required options did not survive olddefconfig"
	touch .config.done
fi

log "building bzImage with -j$JOBS (log: $out/build.log)"
start=$(date +%s)
if ! make -j"$JOBS" bzImage >"$out/build.log" 2>&1; then
	tail -30 "$out/build.log" >&2
	die "build failed (see $out/build.log)"
fi
log "built in $(( $(date +%s) - start )) s: $(make -s kernelrelease)"
cp .config "$out/config"
cp arch/x86/boot/bzImage "$img.tmp" && mv "$img.tmp" "$img"
echo "$img"
