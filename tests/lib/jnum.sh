# SPDX-License-Identifier: GPL-2.0
#
# jnum.sh - reading a number out of kmscope's JSON with grep alone, for the
# guest scripts (tests/vm/*-in-vm.sh: bash and busybox, no python):
#
#   . "$(dirname "$0")/../lib/jnum.sh"
#   jnum FILE KEY        the first numeric "KEY":N of FILE (empty if none)

jnum() { grep -o "\"$2\":[0-9]*" "$1" | head -1 | cut -d: -f2; }
