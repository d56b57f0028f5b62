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
set -eu

BUILD_PKGS="make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libjson-c-dev pkg-config help2man man-db protobuf-c-compiler libprotobuf-c-dev libncurses-dev libcap-dev"
TEST_PKGS="libclang-rt-14-dev python3 python3-prometheus-client procps util-linux tmux chromium-headless-shell cppcheck clang-tidy valgrind"
VM_PKGS="qemu-system-x86 busybox-static cpio"

pkgs="$BUILD_PKGS"
for arg in "$@"; do
	case "$arg" in
	--build) TEST_PKGS="" ;;
	--vm) pkgs="$pkgs $VM_PKGS" ;;
	-h|--help)
		sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'
		exit 0 ;;
	*) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
	esac
done
pkgs="$pkgs $TEST_PKGS"

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

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
