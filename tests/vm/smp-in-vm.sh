#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smp-in-vm.sh - runs inside a guest with 8 vCPUs (tests/vm/run.sh): the
# pairing table (--pair) is shared by all CPUs and taken by
# compare-and-exchange, and objects are freed on other CPUs than made
# them.  With eight producers at once, the same workloads traced with
# pairing off and on must give the same rows, every free matched, nothing
# re-allocated without free, and every event accounted for.  Prints TAP
# and a `vm-smp-<release>: ...` line.
set -u
BUILD=${1:?usage: smp-in-vm.sh BUILD_DIR}
KMS=$BUILD/kmscope
KMGEN=$BUILD/tests/live/kmgen
T=/tmp/kms-vm-smp
mkdir -p $T
rel=$(uname -r)
. "$(dirname "$0")/../lib/tap.sh"
TAP_PREFIX="$rel: "

# rows FILE FUNC: "site allocs frees live" of each row of FUNC (grep: no python here).
rows() {
	tr '{' '\n' <"$1" | grep "\"site\":\"$2+" |
		sed -n 's/.*"site":"\([^"]*\)".*"allocs":\([0-9]*\),"frees":\([0-9]*\),.*"live":\([0-9]*\),.*/\1 \2 \3 \4/p' |
		sort | tr '\n' ';'
}
# counts FILE FUNC: "allocs frees live;" of each row of FUNC, without the site.
counts() { rows "$1" "$2" | sed 's/[^ ;]*+0x[0-9a-f]* //g'; }
# pipes FILE: "ok" when each alloc_pipe_info row freed all of 24000 or more, none live.
pipes() {
	rows "$1" alloc_pipe_info | tr ';' '\n' | awk 'NF { n++; if ($2 < 24000 || $2 != $3 || $4) bad++ }
		END { print (n == 2 && !bad) ? "ok" : "bad" }'
}
# num FILE KEY: the first "KEY":N of a JSON file.
num() { grep -o "\"$2\":[0-9]*" "$1" | head -1 | cut -d: -f2; }
# adds_up FILE: seen = received + filtered + free_null + free_untracked + self + ringbuf
adds_up() {
	[ "$(num "$1" seen)" = $(($(num "$1" received) + $(num "$1" filtered) + $(num "$1" free_null) +
		$(num "$1" free_untracked) + $(num "$1" self) + $(num "$1" ringbuf))) ] && echo yes || echo no
}

expect_eq "the guest has 8 CPUs" "$(nproc)" 8

# kmgen fork 8: eight processes, each its own queue, on eight CPUs.
for p in "" --pair; do
	"$KMS" stat -q -j --backup $p -o $T/fork$p.json -- "$KMGEN" fork 8 2000 64 >/dev/null 2>$T/err
	expect_eq "fork$p: exits 0, 16000 messages allocated and freed, nothing re-allocated, seen adds up" \
		"$? $(counts $T/fork$p.json load_msg) $(num $T/fork$p.json realloc_without_free) $(adds_up $T/fork$p.json)" \
		"0 16000 16000 0; 0 yes" "$(cat $T/err)"
done
expect_eq "fork: allocations paired" "$([ "$(num $T/fork--pair.json paired)" -gt 0 ] && echo paired)" paired

# The whole system while eight pipe workloads and eight msgq processes run.
for p in "" --pair; do
	"$KMS" stat -j --backup $p -o $T/sys$p.json 2>$T/sys$p.err &
	pid=$!
	for _ in $(seq 600); do grep -q '^kmscope: tracing' $T/sys$p.err && break; sleep 0.1; done
	wl=()
	for _ in 1 2 3 4 5 6 7 8; do "$KMGEN" pipe 3000 >/dev/null & wl+=($!); done
	"$KMGEN" fork 8 2000 64 >/dev/null
	wait "${wl[@]}"
	sleep 3		# the pipes' RCU-freed files, dentries and inodes
	kill -INT $pid
	wait $pid
	expect_eq "system$p: exits 0, nothing re-allocated without free, seen adds up" \
		"$? $(num $T/sys$p.json realloc_without_free) $(adds_up $T/sys$p.json)" "0 0 yes" \
		"$(cat $T/sys$p.err)" "$(grep -o '"lost":{[^}]*}' $T/sys$p.json)"
done
# Other processes make pipes too (the shell): each alloc_pipe_info row
# has the workloads' 24000 or more, every one freed; the messages are
# kmgen's alone.
for p in "" --pair; do
	expect_eq "system$p: both alloc_pipe_info rows 24000+ allocated, all freed; load_msg 16000 allocated and freed" \
		"$(pipes $T/sys$p.json) $(counts $T/sys$p.json load_msg)" "ok 16000 16000 0;" \
		"$(rows $T/sys$p.json 'alloc_pipe_info\|load_msg')"
done
expect_eq "system --pair: more than 10000 allocations paired" \
	"$([ "$(num $T/sys--pair.json paired)" -gt 10000 ] && echo paired)" "paired" \
	"$(grep -o '"counters":{[^}]*}' $T/sys--pair.json)"
echo "# system --pair: $(grep -o '"paired":[0-9]*,"held_end":[0-9]*,"reordered":[0-9]*' $T/sys--pair.json)"

tap_summary "vm-smp-$rel"
