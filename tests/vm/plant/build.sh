#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh - build kms_plant.ko for one kernel release, against Debian's
# linux-headers-REL (scripts/setup.sh --kernel-headers REL makes them
# available: installed, or unpacked in $VMTEST_CACHE/headers/REL), in a
# scratch copy under /tmp, never in the source tree.
#
#   tests/vm/plant/build.sh REL OUTDIR     -> OUTDIR/kms_plant.ko
set -eu
REL=${1:?usage: build.sh RELEASE OUTDIR}
OUT=${2:?usage: build.sh RELEASE OUTDIR}
DIR=$(cd "$(dirname "$0")" && pwd)

"$DIR/../../../scripts/setup.sh" --kernel-headers "$REL" >&2
st=$(dpkg-query -W -f='${db:Status-Status}' "linux-headers-$REL" 2>/dev/null || true)
if [ "$st" = "installed" ] && [ -f "/usr/src/linux-headers-$REL/Makefile" ]; then
	KDIR=/usr/src/linux-headers-$REL
else
	KDIR=${VMTEST_CACHE:-/var/tmp/vmtest-cache}/headers/$REL/usr/src/linux-headers-$REL
fi
[ -f "$KDIR/Makefile" ] || { echo "build.sh: no headers for $REL at $KDIR" >&2; exit 1; }

S=$(mktemp -d /tmp/kms-plant.XXXXXX)
trap 'rm -rf "$S"' EXIT
cp "$DIR/kms_plant.c" "$DIR/Kbuild" "$DIR/Makefile" "$S/"
if ! make -s -C "$KDIR" M="$S" modules >"$S/build.log" 2>&1; then
	cat "$S/build.log" >&2
	exit 1
fi
# Anything the compiler said (a warning) is worth seeing; BTF skipping is not.
grep -v -e '^make' -e 'Skipping BTF' "$S/build.log" >&2 || true
mkdir -p "$OUT"
cp "$S/kms_plant.ko" "$OUT/"
echo "build.sh: $OUT/kms_plant.ko for $REL ($(sed -n 's/^CONFIG_CC_VERSION_TEXT=//p' "$KDIR/.config"), headers $KDIR)" >&2
