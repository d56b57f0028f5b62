#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bulk-in-vm.sh - runs inside a guest booted with slub_debug=U
# (tests/vm/run.sh): frees without a kmem event (bulk frees and kfree_rcu
# batches, docs/slub.md 2.5) seen through fentry on kmem_cache_free_bulk()
# (kms_free_bulk), on a whole-system trace of an RCU-heavy workload
# (kmgen rcu: forks; files made, read, renamed and removed, whose
# 100-character names are freed by kfree_rcu()).  slub_debug=U makes the
# kernel itself list, per cache and call site, the objects still allocated
# (/sys/kernel/debug/slab/<cache>/alloc_traces): the oracle for each row of
# a short whole-system `report leaks`.  Prints TAP and a
# `vm-bulk-<release>: ...` line.
set -u
BUILD=${1:?usage: bulk-in-vm.sh BUILD_DIR}
KMS=$BUILD/kmscope
T=/tmp/kms-vm-bulk
mkdir -p $T
rel=$(uname -r)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/jnum.sh"
TAP_PREFIX="$rel: "
W=$T/rcu-wl
mkdir -p $W
grep -q ' /sys/kernel/debug debugfs ' /proc/mounts || mount -t debugfs none /sys/kernel/debug 2>/dev/null
# trace_until FILE CMD...: record the whole system to FILE while CMD runs
# and 8 s more (KFREE_DRAIN_JIFFIES is 5 s: the last kfree_rcu() batches
# are freed, and a grace period passes), then stop it with SIGINT; stderr
# in FILE.err.
trace_until() {
	local out=$1
	shift
	"$KMS" record --backup -o "$out" 2>"$out.err" &
	local pid=$!
	for _ in $(seq 600); do grep -q '^kmscope: tracing' "$out.err" && break; sleep 0.1; done
	"$@"
	sleep 8
	# Which programs the kernel skipped, for the record.
	bpftool prog show 2>/dev/null | sed -n 's/^[0-9]*: [a-z_]*  name \([a-z_0-9]*\) .*recursion_misses \([0-9]*\).*/\1 \2/p' |
		tr '\n' ' ' | sed "s|^|# $(basename "$out"): skipped runs (program misses): |; s|\$|\n|"
	kill -INT $pid
	wait $pid
}

# A warm-up run: the dcache entries of kmgen's path and libraries, which
# stay (correctly) live, are made before the trace.
"$BUILD/tests/live/kmgen" rcu 1 10 $W >/dev/null 2>&1
trace_until $T/rcu.data "$BUILD/tests/live/kmgen" rcu 20 100 $W
expect_eq "rcu: record exits 0" "$?" 0 "$(cat $T/rcu.data.err)"
line=$(grep '^kmscope: tracing' $T/rcu.data.err)
# 6.18+: kfree_rcu() into sheaves (maple nodes here) is a third path.  The
# start line says so wherever the kernel has it; slub_debug keeps sheaves
# off the caches it debugs (sheaf_capacity 0), so none are used here
# (in-vm.sh, booted without it, checks them).
cap=$(cat /sys/kernel/slab/maple_node/sheaf_capacity 2>/dev/null || echo 0)
if grep -q ' __kfree_rcu_sheaf$' /proc/kallsyms; then
	sheaf=1 want="bulk, kfree_rcu batch and sheaf frees seen (fentry on kmem_cache_free_bulk, fexit on __kfree_rcu_sheaf)"
else
	sheaf=0 want="bulk and kfree_rcu batch frees seen (fentry on kmem_cache_free_bulk)"
fi
case $line in
*"; $want;"*) ok "rcu: the start line says: $want" ;;
*) not_ok "rcu: the start line says: $want" "$line" ;;
esac
"$KMS" stat -q -j -i $T/rcu.data -o $T/rcu.json 2>$T/err
expect_eq "rcu: stat -i exits 0" "$?" 0 "$(cat $T/err)"
seen_bulk=$(strings $T/rcu.data | sed -n 's/^seen_rcu_free=\([0-9]*\)$/\1/p' | tail -1)
echo "# rcu: seen_rcu_free=${seen_bulk:-none} (pointers of kmem_cache_free_bulk/kfree_bulk calls);" \
	"lost: $(grep -o '"lost":{[^}]*}' $T/rcu.json)"
if [ "${seen_bulk:-0}" -gt 0 ]; then ok "rcu: bulk-freed pointers seen ($seen_bulk)"
else not_ok "rcu: bulk-freed pointers seen" "seen_rcu_free=${seen_bulk:-none}"; fi
# The forks' maple tree nodes are freed by kfree_rcu() into their sheaf
# where maple_node has sheaves.
seen_sheaf=$(strings $T/rcu.data | sed -n 's/^seen_sheaf_free=\([0-9]*\)$/\1/p' | tail -1)
if [ $sheaf = 1 ] && [ "${cap:-0}" -gt 0 ]; then
	if [ "${seen_sheaf:-0}" -gt 0 ]; then ok "rcu: objects kfree_rcu() put in sheaves seen ($seen_sheaf)"
	else not_ok "rcu: objects kfree_rcu() put in sheaves seen" "seen_sheaf_free=${seen_sheaf:-none}"; fi
else
	expect_eq "rcu: no sheaves (sheaf_capacity ${cap:-none}), none seen" "${seen_sheaf:-0}" 0
fi
rec=$(jnum $T/rcu.json recursion)
# Runs the kernel skipped that no backup program recovered (older
# recordings have no recursion_unseen: all of them).
unseen=$(jnum $T/rcu.json recursion_unseen)
unseen=${unseen:-$rec}
realloc=$(jnum $T/rcu.json realloc_without_free)
expect_eq "rcu: 0 ring-buffer losses" "$(jnum $T/rcu.json ringbuf)" 0
# The workload's own allocations (comm kmgen: the parent and its forks),
# filtered on replay with the kernel's rules.
"$KMS" stat -q -j -i $T/rcu.data --comm kmgen -o $T/rcu-wl.json 2>$T/err
echo "# rcu: the workload's events: $(grep -o '"events":{[^}]*}' $T/rcu-wl.json)"
# rows FILE: "site allocs frees live" of every site.
rows() {
	tr '{' '\n' <"$1" |
		sed -n 's/.*"site":"\([^"]*\)".*"allocs":\([0-9]*\),"frees":\([0-9]*\),.*"live":\([0-9]*\),.*/\1 \2 \3 \4/p'
}
# The sites the workload frees through RCU (call_rcu, kfree_rcu): dentries
# and their names, files, inodes, creds, pids, tasks.  vmalloc'ed kernel
# stacks (alloc_vmap_area, __get_vm_area_node...) are kept on purpose by
# the kernel (cached stacks, lazy purge) and left out.
RCU_SITES='^(__d_alloc|__alloc_file|alloc_empty_file|init_file|shmem_alloc_inode|security_inode_alloc|lsm_blob_alloc|prepare_creds|security_prepare_creds|alloc_pid|copy_process|dup_task_struct|alloc_inode)\+'
rows $T/rcu-wl.json | grep -E "$RCU_SITES" >$T/rcu-sites
wl_live=$(awk '{ s += $4 } END { print s + 0 }' $T/rcu-sites)
wl_missed=$(awk '{ m = $2 - $3 - $4; if (m > 0) s += m } END { print s + 0 }' $T/rcu-sites)
echo "# rcu: workload RCU-freed sites (site allocs frees live): $(tr '\n' ';' <$T/rcu-sites)"
echo "# rcu: system-wide re-allocated without free $realloc; the kernel skipped $rec program runs (recursion), $unseen of them not recovered"
# The caches whose objects were allocated again while live (allocs -
# frees - live), for the record: where a free went by without an event.
crows() {
	tr '{' '\n' <"$1" |
		sed -n 's/.*"cache":"\([^"]*\)".*"allocs":\([0-9]*\),"frees":\([0-9]*\),.*"live":\([0-9]*\),.*/\1 \2 \3 \4/p' |
		awk '$2 - $3 - $4 > 0 { printf "%s %d;", $1, $2 - $3 - $4 }'
}
[ "${realloc:-0}" != 0 ] && echo "# rcu: re-allocated without free per cache: $(crows $T/rcu.json)"
# ... and per call site: whose objects went by without an event.
[ "${realloc:-0}" != 0 ] && echo "# rcu: re-allocated without free per site: $(tr '{' '\n' <$T/rcu.json |
	sed -n 's/.*"site":"\([^"]*\)".*"realloc_without_free":\([1-9][0-9]*\).*/\1 \2/p' | tr '\n' ';')"
if [ "${unseen:-1}" != 0 ]; then
	why="the kernel skipped $unseen program runs that no program recovered (recursion), so frees were lost before any program saw them"
	skip "rcu: 0 re-allocated without free (system-wide: $realloc)" "$why"
	skip "rcu: nothing of the workload's RCU-freed objects missed or left live ($wl_missed, $wl_live)" "$why"
else
	# Every skipped run recovered: a free of the workload's missing is a
	# bug (it was kmscope's own pid filter dropping RCU callbacks run in a
	# softirq on top of it).
	expect_eq "rcu: nothing of the workload's RCU-freed objects missed or left live (missed live)" \
		"$wl_missed $wl_live" "0 0"
	# Elsewhere in the system, with nothing skipped, a re-allocation
	# without free is a free path without an event that kms_free_bulk
	# does not cover either: seen a few times on 6.12, not found yet.
	if [ "$realloc" = 0 ]; then
		ok "rcu: 0 re-allocated without free (system-wide)"
	else
		skip "rcu: 0 re-allocated without free (system-wide: $realloc)" \
			"with no skipped run: a free path without an event, not identified yet (caches above)"
	fi
fi
# names FILE: "allocs frees" of the long names: __d_alloc's kmalloc of
# struct external_name (~120 bytes), 2 per file (its creation and the
# rename's new name), all freed by kfree_rcu(): through kfree_bulk() in
# batches, or kvfree() one by one.
names() {
	rows "$1" | grep '^__d_alloc+' | while read -r site a f l; do
		tr '{' '\n' <"$1" | grep "\"site\":\"$site\"" |
			sed -n 's/.*"allocs":\([0-9]*\),"frees":\([0-9]*\),"failed":[0-9]*,"bytes_req":\([0-9]*\).*/\1 \2 \3/p'
	done | awk '$1 > 0 && $3 / $1 > 100 && $3 / $1 < 140 { print $1, $2; exit }'
}
set -- $(names $T/rcu-wl.json)
expect_eq "rcu: 4000 long dentry names allocated" "${1:-none}" 4000
missing=$(( ${1:-0} - ${2:-0} ))
# Without kms_free_bulk about half (those freed in batches) stay live; the
# frees missing with it are the same unexplained ones as above.
if [ "$missing" -le $(( ${1:-0} / 20 )) ] && [ "${1:-0}" -gt 0 ]; then
	ok "rcu: the kfree_rcu()'d names seen freed: ${2:-0} of ${1:-0} (at most 5 % missing; about half without kms_free_bulk)"
else
	not_ok "rcu: the kfree_rcu()'d names seen freed (at most 5 % missing)" "${2:-0} of ${1:-0}"
fi
if [ "${unseen:-1}" = 0 ]; then
	expect_eq "rcu: with every skipped run recovered, all kfree_rcu()'d names seen freed" "$missing" 0
fi

# The backups under load: KMSCOPE_TEST_RECURSION=3 leaves about one event
# in 3 (and one bulk free in 3, by its size) to them, on top of the
# kernel's own skips.  Each is delivered, or counted unseen: only where
# the kernel skipped a backup too (an event left to a backup in the
# kernel's instructions around it), so unseen <= the kernel's skips, and
# every re-allocation without free or name not seen freed is one of them.
KMSCOPE_TEST_RECURSION=3 trace_until $T/bk.data "$BUILD/tests/live/kmgen" rcu 5 100 $W
expect_eq "backup: record exits 0" "$?" 0 "$(cat $T/bk.data.err)"
"$KMS" stat -q -j -i $T/bk.data -o $T/bk.json 2>$T/err
"$KMS" stat -q -j -i $T/bk.data --comm kmgen -o $T/bk-wl.json 2>>$T/err
echo "# backup: lost: $(grep -o '"lost":{[^}]*}' $T/bk.json)"
rec=$(jnum $T/bk.json recursion_recovered)
if [ "${rec:-0}" -gt 1000 ]; then ok "backup: the backups delivered what the main programs left ($rec runs)"
else not_ok "backup: the backups delivered what the main programs left" "recursion_recovered=${rec:-none}"; fi
bk_unseen=$(jnum $T/bk.json recursion_unseen)
bk_skips=$(jnum $T/bk.json recursion)
# The workload's sites only: elsewhere a free path without an event (see
# the rcu checks above) re-allocates with nothing skipped.
bk_realloc=$(rows $T/bk-wl.json | grep -E "$RCU_SITES" |
	awk '{ m = $2 - $3 - $4; if (m > 0) s += m } END { print s + 0 }')
echo "# backup: re-allocated without free system-wide $(jnum $T/bk.json realloc_without_free): $(crows $T/bk.json)"
set -- $(names $T/bk-wl.json)
bk_missing=$(( ${1:-0} - ${2:-0} ))
expect_eq "backup: 1000 names allocated" "${1:-none}" 1000
if [ "${bk_unseen:-x}" -le "${bk_skips:-0}" ] && [ "${bk_realloc:-x}" -le "$bk_unseen" ] &&
	[ "$bk_missing" -le "$bk_unseen" ]; then
	ok "backup: every loss of the workload counted: missed at its RCU-freed sites $bk_realloc, names not seen freed $bk_missing <= unseen $bk_unseen <= kernel skips $bk_skips"
else
	not_ok "backup: every loss of the workload counted (missed at its RCU-freed sites, names not seen freed <= unseen <= kernel skips)" \
		"realloc $bk_realloc, names missing $bk_missing, unseen $bk_unseen, kernel skips $bk_skips"
fi

# A short whole-system report on the quiet guest, with one real leak in
# it (kmgen hold: 50 SysV messages left queued), checked row by row
# against the kernel's own list of what is allocated, by call site
# (slub_debug=U: /sys/kernel/debug/slab/<cache>/alloc_traces).  The list
# is read just before the trace is stopped: an object live at the end and
# allocated before the read began was allocated all through the read, so
# it is listed.  The report counts only objects older than --min-age, and
# the read (a few seconds under TCG) starts less than that before the end,
# so every object of every row must be listed from its site: at least its
# count.  The read's own allocations (debugfs_file_get) are too young to
# count.  The site is looked up in every cache: on 6.1 a kmalloc's
# bytes_alloc is the cache's s->size, which slub_debug=U's tracking
# metadata enlarges (kmscope then names the next cache up).
MIN_AGE_MS=15000
"$KMS" report leaks --backup -j -n 0 --min-age $MIN_AGE_MS -o $T/leaks.json 2>$T/leaks.err &
pid=$!
for _ in $(seq 600); do grep -q '^kmscope: tracing' $T/leaks.err && break; sleep 0.1; done
"$BUILD/tests/live/kmgen" hold 50 64 >$T/hold.out 2>&1
echo "# leaks: kmgen hold 50 64: exit $?: $(cat $T/hold.out)"
sleep 16
# ms since boot (busybox's date has no %N)
uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
t0=$(uptime_ms)
for f in /sys/kernel/debug/slab/*/alloc_traces; do
	cat "$f"
done 2>/dev/null >$T/traces
kill -INT $pid
wait $pid
rc=$?
t1=$(uptime_ms)
expect_eq "leaks: report exits 0" "$rc" 0 "$(cat $T/leaks.err)"
read_ms=$((t1 - t0))
echo "# leaks: alloc_traces read and trace stopped within $read_ms ms ($(wc -l <$T/traces) lines)"
tr '{' '\n' <$T/leaks.json | grep '"kind":"leak"' |
	sed -n 's/.*"site":"\([^"]*\)".*"cache":"\([^"]*\)","count":\([0-9]*\).*/\1 \2 \3/p' >$T/leaks
nrows=$(grep -c . $T/leaks)
bad=0
while read -r site cache count; do
	case $site in 0x*) continue ;; esac	# no symbol: nothing to look up
	k=$(awk -v s="$site/" 'index($2, s) == 1 { n += $1 } END { print n + 0 }' $T/traces)
	echo "# leaks: $site $count live in $cache; the kernel lists $k from there"
	if [ "$k" -lt "$count" ]; then
		bad=$((bad + 1))
		echo "#   ^ freed (the kernel lists fewer)"
	fi
done <$T/leaks
expect_eq "leaks: the 50 held SysV messages are a leak row (load_msg)" \
	"$(awk '$1 ~ /^load_msg\+/ { print $3 }' $T/leaks)" 50 "$(cat $T/leaks)"
# A free the kernel kept from every program is a row the kernel no longer
# lists: the check holds only when none was (the backups took the rest).
lk_unseen=$(jnum $T/leaks.json recursion_unseen)
lk_realloc=$(jnum $T/leaks.json realloc_without_free)
echo "# leaks: lost: $(grep -o '"lost":{[^}]*}' $T/leaks.json)"
if [ "$read_ms" -ge "$MIN_AGE_MS" ]; then
	skip "leaks: every object of the $nrows leak rows still allocated in the kernel" \
		"alloc_traces took $read_ms ms to read, more than --min-age"
elif [ "${lk_unseen:-1}" != 0 ]; then
	skip "leaks: every object of the $nrows leak rows still allocated in the kernel ($bad fewer)" \
		"the kernel kept ${lk_unseen:-?} events from every program (recursion unseen)"
elif [ "${lk_realloc:-1}" != 0 ] && [ "$bad" != 0 ]; then
	# Addresses that came back while live: this run freed objects by a
	# path without an event (seen on 6.18 under slub_debug=U: maple_node,
	# once kmalloc-32 at tomoyo_encode2), which the rcu check above reports too.
	skip "leaks: every object of the $nrows leak rows still allocated in the kernel ($bad fewer)" \
		"$lk_realloc re-allocations without free in this run: a free path without an event, not identified yet (sites: $(tr '{' '\n' <$T/leaks.json |
			sed -n 's/.*"site":"\([^"]*\)".*"realloc_without_free":\([1-9][0-9]*\).*/\1 \2/p' | tr '\n' ';'))"
else
	expect_eq "leaks: every object of the $nrows leak rows still allocated in the kernel (none the kernel lists fewer of)" \
		"$bad" 0
fi
tap_summary "vm-bulk-$rel"
