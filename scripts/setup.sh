#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# setup.sh - install the Debian packages kmscope needs to build and test.
#
# Idempotent: packages already installed are left alone and apt is not run
# at all when nothing is missing.  The Makefile calls this before building
# when one of the tools it needs is absent; CI calls it through `make check`.
#
#   scripts/setup.sh          build + test dependencies
#   scripts/setup.sh --build  build dependencies only
#   scripts/setup.sh --vm     also what the other-kernel VM tests need
#   scripts/setup.sh --kernel-headers REL   also Debian's linux-headers-REL
#       (repeatable), to build tests/vm/plant/kms_plant.ko for kernel REL
#
# --kernel-headers leaves the headers alone when linux-headers-REL is
# installed.  Otherwise it unpacks linux-headers-REL, its -common and its
# linux-kbuild package (apt-get download, dpkg -x) into
# $VMTEST_CACHE/headers/REL (default /var/tmp/vmtest-cache), once: the
# package itself cannot be installed without installing its kernel too
# (6.12's depends on linux-image-REL), which would make it the machine's
# boot kernel.  tests/vm/plant/build.sh finds them in either place.
#
# The test dependencies include a Prometheus server, which the live tests
# start on loopback themselves.  Debian's prometheus package would also
# start the system's own service on :9090, so unless it is installed it is
# unpacked (apt-get download, dpkg -x; a static binary) into
# $VMTEST_CACHE/prometheus, where tests/live/prometheus.sh finds it.
set -eu

BUILD_PKGS="make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libjson-c-dev pkg-config help2man man-db protobuf-c-compiler libprotobuf-c-dev libncurses-dev libcap-dev libmicrohttpd-dev"
TEST_PKGS="libclang-rt-14-dev python3 python3-prometheus-client curl golang-go procps util-linux tmux chromium-headless-shell cppcheck clang-tidy valgrind strace systemd-container"
# gcc-12 built Debian 12's 6.1 and 6.12 kernels (their CONFIG_CC_VERSION_TEXT);
# 6.12's kbuild runs pahole for module BTF.
VM_PKGS="qemu-system-x86 busybox-static cpio gcc-12 pahole"
HEADERS=""

pkgs="$BUILD_PKGS"
while [ $# -gt 0 ]; do
	case "$1" in
	--build) TEST_PKGS="" ;;
	--vm) pkgs="$pkgs $VM_PKGS" ;;
	--kernel-headers=*) HEADERS="$HEADERS ${1#*=}" ;;
	--kernel-headers)
		[ $# -ge 2 ] || { echo "setup.sh: --kernel-headers needs a kernel release" >&2; exit 2; }
		HEADERS="$HEADERS $2"
		shift ;;
	-h|--help)
		sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'
		exit 0 ;;
	*) echo "setup.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done
pkgs="$pkgs $TEST_PKGS"
[ -n "$HEADERS" ] && pkgs="$pkgs $VM_PKGS"

# headers_dir REL: where linux-headers-REL is, installed or unpacked.
headers_dir() {
	st=$(dpkg-query -W -f='${db:Status-Status}' "linux-headers-$1" 2>/dev/null || true)
	if [ "$st" = "installed" ] && [ -f "/usr/src/linux-headers-$1/Makefile" ]; then
		echo "/usr/src/linux-headers-$1"
	else
		echo "${VMTEST_CACHE:-/var/tmp/vmtest-cache}/headers/$1/usr/src/linux-headers-$1"
	fi
}

# unpack_headers REL: linux-headers-REL, its -common and linux-kbuild
# packages of the same version, unpacked into one private root.
unpack_headers() {
	rel=$1
	root=${VMTEST_CACHE:-/var/tmp/vmtest-cache}/headers/$rel
	mkdir -p "$(dirname "$root")"
	tmp=$(mktemp -d "$root.tmp.XXXXXX")
	dl=$tmp/debs
	mkdir -p "$dl" "$tmp/root"
	get() { (cd "$dl" && apt-get download -qq "$1" >/dev/null 2>&1); }
	get "linux-headers-$rel" || { apt-get update -qq || true; get "linux-headers-$rel"; } || {
		echo "setup.sh: cannot download linux-headers-$rel (is it in the apt sources?)" >&2
		rm -rf "$tmp"; return 1; }
	deb=$(ls "$dl"/linux-headers-"$rel"_*.deb)
	ver=$(dpkg-deb -f "$deb" Version)
	for dep in $(dpkg-deb -f "$deb" Depends | tr ',|' '\n\n' | awk '{ print $1 }' |
		grep -E '^linux-(headers-.*-common|kbuild-.*)$'); do
		get "$dep=$ver" || get "$dep" || {
			echo "setup.sh: cannot download $dep for linux-headers-$rel" >&2
			rm -rf "$tmp"; return 1; }
	done
	for d in "$dl"/*.deb; do
		dpkg-deb -x "$d" "$tmp/root" || { rm -rf "$tmp"; return 1; }
	done
	# The arch Makefile includes the -common one by its absolute path.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" \
		"$tmp/root/usr/src/linux-headers-$rel/Makefile"
	(cd "$dl" && ls) > "$tmp/root/.packages"
	rm -rf "$root"
	mv "$tmp/root" "$root"
	rm -rf "$tmp"
	echo "setup.sh: unpacked $(tr '\n' ' ' < "$root/.packages")into $root"
}

# unpack_prometheus: Debian's prometheus binary, without its service.
unpack_prometheus() {
	root=${VMTEST_CACHE:-/var/tmp/vmtest-cache}/prometheus
	[ -x "$root/usr/bin/prometheus" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: no prometheus; run as root (sudo make ...) to fetch it" >&2
		return 1
	fi
	mkdir -p "$(dirname "$root")"
	tmp=$(mktemp -d "$root.tmp.XXXXXX")
	(cd "$tmp" && { apt-get download -qq prometheus >/dev/null 2>&1 ||
		{ apt-get update -qq; apt-get download -qq prometheus; }; }) &&
		dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/root" || {
		echo "setup.sh: cannot download prometheus (is it in the apt sources?)" >&2
		rm -rf "$tmp"; return 1; }
	rm -rf "$root"
	mv "$tmp/root" "$root"
	rm -rf "$tmp"
	echo "setup.sh: unpacked prometheus into $root"
}

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = "installed" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: missing packages:$missing; run as root (sudo make ...) or install them with apt-get" >&2
		exit 1
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "setup.sh: missing packages:$missing and no apt-get here; install their equivalents by hand" >&2
		exit 1
	fi
	echo "setup.sh: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	# A fresh machine may have stale or empty package lists.
	apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || {
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $missing
	}
fi

for rel in $HEADERS; do
	[ -f "$(headers_dir "$rel")/Makefile" ] && continue
	unpack_headers "$rel" || exit 1
done
[ -n "$TEST_PKGS" ] && ! command -v prometheus >/dev/null 2>&1 && { unpack_prometheus || exit 1; }
exit 0
