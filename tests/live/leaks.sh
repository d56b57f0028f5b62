# SPDX-License-Identifier: GPL-2.0
#
# leaks.sh - sourced by tests/live/run.sh (its KMS, KMGEN, DIR, T, ok,
# not_ok, expect_eq and json): leak reports a user can act on.
#
# - a command that leaks nothing (kmgen pipe 2000: every pipe closed) has
#   no leak finding of its own: no warning, and nothing of 10 objects or
#   more outside the group of sites whose frees are not seen, beyond what
#   lost or dropped events explain (the inodes' security blobs it freed
#   through RCU are freed after it exits, and the trace waits for them);
# - a burst of 1500 SysV messages kept to the end (kmgen leak) is the first
#   leak in the text report, the JSON and the web page, and it is held;
# - ages run to the end of the trace under -p and --comm, whose last
#   received event is the burst seconds before the end;
# - an empty leak section says none;
# - the CI gate: five runs of the same workload pass
#   `diff --fail-on new-leak` pairwise; a variant that leaks 200 objects
#   fails and names load_msg and 200.

# Remove the queues a `kmgen leak` run printed on its "kmgen pid=" line.
rm_queues() {
	local q
	for q in $(sed -n 's/.*msqids=\([0-9,]*\).*/\1/p' "$@" | tr , ' '); do
		ipcrm -q "$q" 2>/dev/null
	done
}

# oldest FILE.json: oldest_ms of the load_msg leak.
oldest() {
	json "$1" '[f["oldest_ms"] for f in j["findings"] if f["kind"] == "leak" and f["site"].startswith("load_msg+")]'
}

# --- a command that leaks nothing -----------------------------------------
"$KMS" report -q -j -n 0 -o "$T/pipe.json" -- "$KMGEN" pipe 2000 >/dev/null 2>"$T/pipe.err"
# A free the kernel skipped (recursion) or the ring dropped leaves its object
# live, and so does an RCU callback's free that ran in a softirq on top of
# kmscope itself: the BPF programs drop it as kmscope's own (counters.self,
# report.md "Confidence").  A site may keep as many objects as that, no more;
# without waiting for the RCU frees after the command exits, some 30-60 % of
# the 2000 pipes' security blobs stayed live.
expect_eq "leaks: kmgen pipe 2000 (every pipe closed) has no warning leak, and no leak of 10+ objects whose frees were seen beyond the events lost or dropped as kmscope's own" \
	"$(json "$T/pipe.json" '[(f["site"], f["count"], f["severity"]) for f in j["findings"] if f["kind"] == "leak" and not f.get("frees_unseen") and (f["severity"] == "warning" or (f["count"] >= 10 and f["count"] > j["lost"]["recursion"] + j["lost"]["ringbuf"] + j["lost"]["untracked_pointers"] + j["counters"]["self"]))]')" \
	"[]" "$(cat "$T/pipe.err")" "lost: $(json "$T/pipe.json" 'j["lost"]')"

# --- the burst leak: first and held, in text, JSON and the web page ---------
"$KMS" report -q -n 5 -o "$T/burst.txt" --html "$T/burst.html" -w "$T/burst.data" \
	-- "$KMGEN" leak 1500 64 4 >"$T/burst.out" 2>"$T/burst.err"
rc=$?
rm_queues "$T/burst.out"
expect_eq "leaks: kmgen leak 1500 64 4 traced, exit 0" "$rc" 0 "$(cat "$T/burst.err")"
"$KMS" report -q -j -n 0 -i "$T/burst.data" >"$T/burst.json" 2>>"$T/burst.err"
got=$(python3 - "$T/burst.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
f = next(f for f in j["findings"] if f["kind"] == "leak")
print(f["site"].split("+")[0], f["severity"], f["growth"], f["count"], f["ages"][1],
      3500 <= f["oldest_ms"] <= 5000)
PY
)
expect_eq "leaks: burst: the first leak of the JSON is load_msg, warning, held, 1500 objects 1-10 s old, oldest ~4 s" \
	"$got" "load_msg warning held 1500 1500 True" "$(sed -n '/LEAKS/,/^$/p' "$T/burst.txt")"
expect_eq "leaks: burst: the first row of the text LEAKS table is load_msg, held" \
	"$(awk '/^LEAKS:/ { getline; getline; print $1, $2 ~ /^load_msg\+/, $3, $6; exit }' "$T/burst.txt")" \
	"warning 1 1500 held" "$(sed -n '/LEAKS/,/^$/p' "$T/burst.txt")"
expect_eq "leaks: burst: the web page's first leak row is load_msg, held" \
	"$(grep -o '<td>leak[^<]*</td><td>[^<+]*' "$T/burst.html" | head -1)" \
	"<td>leak, held</td><td>load_msg"

# --- ages to the end of the trace under -p and --comm -----------------------
# kmgen waits on a fifo, so kmscope attaches before the burst; the trace
# ends 5 s later while kmgen sleeps on, its last event the burst.  It runs
# under a name of its own, as other tests may run kmgen at the same time.
# -p needs the pid before kmscope starts: the shell waiting on the fifo
# execs kmgen, so its pid is kmgen's.
rm -f "$T/go"; mkfifo "$T/go"; cp "$KMGEN" "$T/kmlk$$"
sh -c 'read x <"$1"; exec "$2" leak 300 64 10' sh "$T/go" "$T/kmlk$$" >"$T/ages.out" &
wpid=$!
"$KMS" report leaks -j -n 0 -d 5 -o "$T/ages-p.json" -p "$wpid" 2>"$T/ages-p.err" &
kpid=$!
for i in $(seq 50); do grep -q "tracing" "$T/ages-p.err" && break; sleep 0.1; done
echo go >"$T/go"
wait "$kpid"
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
rm_queues "$T/ages.out"
expect_eq "leaks: -p: 300 objects at load_msg, all 1-10 s old, oldest 4-5.5 s (to the end of the trace, not to the last event)" \
	"$(json "$T/ages-p.json" '" ".join(str(x) for x in next(([f["count"], f["ages"][1], 4000 <= f["oldest_ms"] <= 5500] for f in j["findings"] if f["kind"] == "leak" and f["site"].startswith("load_msg+")), ["none"]))')" \
	"300 300 True" "$(cat "$T/ages-p.err")" "oldest_ms: $(oldest "$T/ages-p.json")"

# A 5 s trace of a process, not of a command: the 300 held messages would
# be a warning (the burst above, under a command, is one), but a window of
# seconds cannot tell them from a working set.
expect_eq "leaks: -p for 5 s: the held messages are info, short_window, not a warning" \
	"$(json "$T/ages-p.json" '[(f["severity"], f.get("short_window", False)) for f in j["findings"] if f["kind"] == "leak" and f["site"].startswith("load_msg+")]')" \
	"[('info', True)]"

rm -f "$T/go"; mkfifo "$T/go"
sh -c 'read x <"$1"; exec "$2" leak 300 64 10' sh "$T/go" "$T/kmlk$$" >"$T/ages.out" &
wpid=$!
"$KMS" report leaks -j -n 0 -d 5 -o "$T/ages-c.json" --comm "kmlk$$" 2>"$T/ages-c.err" &
kpid=$!
for i in $(seq 50); do grep -q "tracing" "$T/ages-c.err" && break; sleep 0.1; done
echo go >"$T/go"
wait "$kpid"
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
rm_queues "$T/ages.out"
expect_eq "leaks: --comm: 300 objects at load_msg, all 1-10 s old, oldest 4-5.5 s" \
	"$(json "$T/ages-c.json" '" ".join(str(x) for x in next(([f["count"], f["ages"][1], 4000 <= f["oldest_ms"] <= 5500] for f in j["findings"] if f["kind"] == "leak" and f["site"].startswith("load_msg+")), ["none"]))')" \
	"300 300 True" "$(cat "$T/ages-c.err")" "oldest_ms: $(oldest "$T/ages-c.json")"
# --min-age above every age: the section says none.
"$KMS" report -q leaks --min-age 100000 -- "$KMGEN" msgq 10 64 >"$T/none.txt" 2>"$T/none.err"
expect_eq "leaks: --min-age above every age: LEAKS then 'none'" \
	"$(sed -n '/^LEAKS:/{n;p;q}' "$T/none.txt")" "none" "$(cat "$T/none.txt" "$T/none.err")"

# --- the CI gate: stable on identical runs, trips on a real new leak --------
for i in 1 2 3 4 5; do
	"$KMS" run -q -o "$T/same$i.json" -- "$DIR/ci-workload.sh" "$KMGEN" >/dev/null 2>"$T/same.err" ||
		not_ok "leaks: ci-workload.sh run $i" "$(cat "$T/same.err")"
done
trips=""
for a in 1 2 3 4 5; do
	for b in 1 2 3 4 5; do
		[ $a -lt $b ] || continue
		"$KMS" diff "$T/same$a.json" "$T/same$b.json" --fail-on new-leak >"$T/d.txt" 2>&1 ||
			trips="$trips $a-$b: $(grep -A3 'NEW FINDING' "$T/d.txt" | tr '\n' ' ')"
	done
done
expect_eq "leaks: CI gate: five runs of the same workload, every pair passes diff --fail-on new-leak" \
	"$trips" ""
"$KMS" run -q -o "$T/leak200.json" -- "$DIR/ci-workload.sh" "$KMGEN" 200 >"$T/leak200.out" 2>"$T/leak200.err"
rm_queues "$T/leak200.out"
"$KMS" diff "$T/same1.json" "$T/leak200.json" --fail-on new-leak >"$T/d.txt" 2>&1
rc=$?
expect_eq "leaks: CI gate: the variant that leaks 200 objects fails (exit 1), naming load_msg and 200" \
	"$rc $(awk '$1 == "leak" && $2 == "warning" { print $3 ~ /^load_msg\+/, $5 }' "$T/d.txt")" \
	"1 1 200" "$(cat "$T/d.txt")"

# --- what the kernel's caches keep is no leak ---------------------------------
# tar reads a tree of 200 new files on a disk file system (/var/tmp: /tmp may
# be tmpfs, whose dentries are the files), its caches dropped first so that
# its dentries and inodes are allocated under the trace.  They stay in the
# dentry and inode caches (SLAB_RECLAIM_ACCOUNT) when tar exits: hints, in a
# group of their own, not leaks.  With --drop-caches the kernel drops them at
# the end and the trace sees them freed; what a cache alone held is gone.
# Traced with --backup: a dentry free the kernel keeps from the main program
# (recursion: the RCU softirq that frees dentries landing on a running
# program) would make its address come back while live, and the leak a
# "frees unseen" hint rather than "reclaimable" (seen once in a 6.1 guest).
dc=$(mktemp -d /var/tmp/kms-dc.XXXXXX)
for i in $(seq 200); do echo "$i" >"$dc/f$i"; done
cache_leaks() { # FILE: severity reclaimable count of the dentry leak, and the warnings
	json "$1" '" ".join([str(x) for f in j["findings"] if f["kind"] == "leak" and f["site"].startswith("__d_alloc+0x") and f["count"] >= 100 for x in (f["severity"], f.get("reclaimable", False), f["count"] >= 200)] + ["warnings:"] + [f["site"].split("+")[0] for f in j["findings"] if f["severity"] == "warning"])'
}
sync
echo 3 >/proc/sys/vm/drop_caches
"$KMS" report -q -j -n 0 --backup -o "$T/dc0.json" -- tar cf /dev/null "$dc" 2>"$T/dc0.err"
expect_eq "leaks: tar of 200 new files: its 200+ dentries are a hint, reclaimable, and no warning at all (the inodes' LSM blobs and the slabs' vectors are parts of kernel objects)" \
	"$(cache_leaks "$T/dc0.json")" "hint True True warnings:" "$(cat "$T/dc0.err")"
echo 3 >/proc/sys/vm/drop_caches
"$KMS" report -q -n 0 --backup -w "$T/dc.data" -- tar cf /dev/null "$dc" >"$T/dc0.txt" 2>>"$T/dc0.err"
expect_eq "leaks: the text groups them under 'kept by the kernel' and notes what they own" \
	"$(grep -c '^-- kept by the kernel: objects of its reclaimable caches, and their parts' "$T/dc0.txt") $(grep -c '^note: [0-9]* sites keep objects in reclaimable caches at the end' "$T/dc0.txt")" \
	"1 1" "$(sed -n '/^LEAKS/,/^$/p' "$T/dc0.txt")"
"$KMS" report -q -j -n 0 -i "$T/dc.data" -o "$T/dc1.json" 2>>"$T/dc0.err"
expect_eq "leaks: ... and its replay the same (the recording's /sys/kernel/slab snapshot says reclaimable)" \
	"$(cache_leaks "$T/dc1.json" | cut -d' ' -f1-3)" "hint True True" "$(cat "$T/dc0.err")"
echo 3 >/proc/sys/vm/drop_caches
"$KMS" report -q -j -n 0 --backup --drop-caches -o "$T/dc2.json" -- tar cf /dev/null "$dc" 2>"$T/dc2.err"
expect_eq "leaks: tar with --drop-caches: caches dropped, no dentry or inode left live, no warning" \
	"$(json "$T/dc2.json" '[j.get("caches_dropped"), sum(f["count"] for f in j["findings"] if f["kind"] == "leak" and f["site"].split("+")[0] in ("__d_alloc", "ext4_alloc_inode", "security_inode_alloc", "alloc_inode")), [f["site"] for f in j["findings"] if f["severity"] == "warning"]]')" \
	"[True, 0, []]" "$(cat "$T/dc2.err")"
rm -rf "$dc"
# A real leak outlives the drop: the burst of messages is still the warning.
"$KMS" report -q -j -n 0 --drop-caches -o "$T/dc3.json" -- "$KMGEN" leak 500 64 1 \
	>"$T/dc3.out" 2>"$T/dc3.err"
rm_queues "$T/dc3.out"
expect_eq "leaks: kmgen leak 500 with --drop-caches: load_msg still a warning, 500 held" \
	"$(json "$T/dc3.json" '[(f["site"].split("+")[0], f["severity"], f["count"]) for f in j["findings"] if f["kind"] == "leak" and f["site"].startswith("load_msg+")]')" \
	"[('load_msg', 'warning', 500)]" "$(cat "$T/dc3.err")"
# Where the sysctl cannot be written (/proc/sys read-only, as in a container):
# one line, before anything is traced.
unshare -m --propagation private sh -c 'mount --bind /proc/sys /proc/sys &&
	mount -o remount,bind,ro /proc/sys && exec "$0" stat -q --drop-caches -d 0.2' "$KMS" \
	>/dev/null 2>"$T/dc4.err"
expect_eq "leaks: --drop-caches where /proc/sys/vm/drop_caches cannot be opened: exit 1, one line" \
	"$?:$(wc -l <"$T/dc4.err"):$(grep -c '^kmscope: error: --drop-caches: cannot open /proc/sys/vm/drop_caches: ' "$T/dc4.err")" \
	"1:1:1" "$(cat "$T/dc4.err")"
