#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mixed.sh - a few seconds of varied slab traffic for `kmscope check`: a
# file-system walk (dentries, inodes), tar (page cache, buffers), pipes
# resized to 1 MiB (the large kmalloc the kernel traces twice on 6.11+),
# and sockets.  Usage: mixed.sh BUILD_DIR SECONDS
set -u
BUILD=${1:?usage: mixed.sh BUILD_DIR SECONDS}
SECS=${2:-10}
end=$((SECONDS + SECS))
pids=()
( while [ $SECONDS -lt $end ]; do find /usr /etc -xdev >/dev/null 2>&1; done ) & pids+=($!)
( while [ $SECONDS -lt $end ]; do tar cf - /usr/share/doc 2>/dev/null | cat >/dev/null; done ) & pids+=($!)
( while [ $SECONDS -lt $end ]; do "$BUILD/tests/live/kmgen" piperesize 200 1048576 >/dev/null; done ) & pids+=($!)
( while [ $SECONDS -lt $end ]; do "$BUILD/bench/kmsbench" sock 2000 >/dev/null; done ) & pids+=($!)
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit $rc
