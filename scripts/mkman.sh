#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkman.sh - the man pages, generated from the program's own --help so
# they cannot drift from it: kmscope(8) from `kmscope --help` plus the
# sections of docs/man/kmscope.h2m, and kmscope-COMMAND(8) for every
# command `kmscope --help` lists, from `kmscope COMMAND --help`.
#
#   scripts/mkman.sh BUILD_DIR        (writes BUILD_DIR/man/*.8)
set -eu
BUILD=${1:?usage: mkman.sh BUILD_DIR}
KMS=$BUILD/kmscope
OUT=$BUILD/man
TOP=$(cd "$(dirname "$0")/.." && pwd)
command -v help2man >/dev/null || { echo "mkman.sh: help2man is missing (scripts/setup.sh installs it)" >&2; exit 1; }
version=$("$KMS" --version | sed -n '1s/^kmscope //p')
# Reproducible: the date of the last commit, not of the build.
: "${SOURCE_DATE_EPOCH:=$(git -C "$TOP" log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH
mkdir -p "$OUT"
help2man -N -s 8 -m "kmscope manual" -S "kmscope $version" \
	-n "see what kmalloc and the slab allocator are doing, and why" \
	-i "$TOP/docs/man/kmscope.h2m" -o "$OUT/kmscope.8" "$KMS"
# "  stat     totals per call site and per cache" under "Commands:"
"$KMS" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\)  *\(.*\)$/\1 \2/p' |
while read -r cmd what; do
	help2man -N -s 8 -m "kmscope manual" -S "kmscope $version" --version-string="$version" \
		-n "$what" -i "$TOP/docs/man/kmscope-command.h2m" \
		-o "$OUT/kmscope-$cmd.8" "$KMS $cmd"
done
