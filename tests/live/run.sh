#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - live tests: load the real BPF programs, run deterministic
# workloads (kmgen) and assert exact counts at their call site.
#
#   tests/live/run.sh BUILD_DIR        (root; part of `make check`)
#
# Every assertion filters by the workload's own process tree (-- CMD) and
# call site (load_msg, where alloc_msg is inlined), so other activity on
# the machine cannot change the numbers.  The tests skip, loudly and
# counted as skipped, only when BPF cannot be loaded at all.
set -u
export LC_ALL=C

BUILD=${1:?usage: run.sh BUILD_DIR}

# A fresh Debian machine mounts neither tracefs nor debugfs: run every test
# in a private mount namespace without them, whatever this machine has
# mounted, so nothing here passes only because the machine was set up.
without_tracefs() {
	local m
	for m in /sys/kernel/debug/tracing /sys/kernel/tracing /sys/kernel/debug; do
		while mountpoint -q "$m" 2>/dev/null; do umount -l "$m" || return 1; done
	done
}
if [ "$(id -u)" -eq 0 ] && [ -z "${KMS_LIVE_FRESH_NS:-}" ]; then
	exec unshare -m --propagation private env KMS_LIVE_FRESH_NS=1 "$0" "$@"
fi
if [ -n "${KMS_LIVE_FRESH_NS:-}" ]; then
	without_tracefs || { echo "not ok - cannot unmount tracefs in a private mount namespace"; exit 1; }
fi
KMS=$BUILD/kmscope
KMGEN=$BUILD/tests/live/kmgen
DIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/kms-live.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$DIR/../lib/tap.sh"

# json FILE EXPR: evaluate a python expression over the parsed JSON `j`.
json() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }
# site FILE REGEX FIELD: FIELD of the one site whose name matches REGEX.
site() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
rows = [s for s in j["sites"] if re.match(sys.argv[2], s["site"])]
print(sum(r[sys.argv[3]] for r in rows) if rows else "none")
PY
}

[ "$(id -u)" -eq 0 ] || skip_all live "not root (run: sudo make check)"
if ! "$KMS" stat -q -d 0.2 -j >"$T/probe.json" 2>"$T/probe.err"; then
	cat "$T/probe.err" "$T/probe.json"
	# Skip only when the kernel refused the programs; anything else is a failure.
	grep -q 'BPF programs failed\|has no BTF' "$T/probe.err" "$T/probe.json" &&
		skip_all live "kmscope could not load its BPF programs on this kernel"
	not_ok "kmscope stat runs at all"
	tap_summary live
	exit 1
fi

# --- exact counts: N SysV messages of S bytes ------------------------------
N=1000 S=64 HDR=48
"$KMS" stat -q -j -n 0 -o "$T/msgq.json" -- "$KMGEN" msgq $N $S >/dev/null 2>"$T/msgq.err"
rc=$?
expect_eq "msgq: kmscope exits with the command's status" "$rc" 0 "$(cat "$T/msgq.err")"
expect_eq "msgq: $N allocations at load_msg" "$(site "$T/msgq.json" '^load_msg\+' allocs)" $N
expect_eq "msgq: $N frees of them" "$(site "$T/msgq.json" '^load_msg\+' frees)" $N
expect_eq "msgq: bytes_req = N * (S + msg_msg header)" \
	"$(site "$T/msgq.json" '^load_msg\+' bytes_req)" $((N * (S + HDR)))
expect_eq "msgq: bytes_alloc = N * 128 (class of 112 bytes)" \
	"$(site "$T/msgq.json" '^load_msg\+' bytes_alloc)" $((N * 128))
expect_eq "msgq: waste = N * (128 - 112), exactly" "$(site "$T/msgq.json" '^load_msg\+' waste)" $((N * 16))
expect_eq "msgq: nothing live at load_msg at the end" "$(site "$T/msgq.json" '^load_msg\+' live)" 0
expect_eq "msgq: no ring-buffer loss" "$(json "$T/msgq.json" 'j["lost"]["ringbuf"]')" 0
expect_eq "msgq: seen = received + filtered + kfree(NULL) + untracked frees + own + lost" \
	"$(json "$T/msgq.json" 'j["counters"]["seen"] - j["counters"]["received"] - j["counters"]["filtered"] - j["counters"]["free_null"] - j["counters"]["free_untracked"] - j["counters"]["self"] - j["lost"]["ringbuf"]')" 0

# --- the cache of a kmalloc: the kernel's name (6.13+) or the model's --------
cache_of() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(",".join(sorted(c["cache"] for c in j["caches"] if c["allocs"] == int(sys.argv[2]))))' "$@"; }
if [ "$(json "$T/msgq.json" 'j["kmalloc_cache_names"]')" = kernel ]; then
	# alloc_msg allocates from the msg_msg kmem_buckets where SLAB_BUCKETS=y.
	want=kmalloc-128
	[ -e /sys/kernel/slab/msg_msg-128 ] && want=msg_msg-128
	expect_eq "kfunc: the $N messages are in $want, as the kernel says" \
		"$(cache_of "$T/msgq.json" $N)" $want
else
	expect_eq "model: the $N messages are in kmalloc-128" "$(cache_of "$T/msgq.json" $N)" kmalloc-128
fi
"$KMS" stat -q -j -n 0 --model-only -o "$T/model.json" -- "$KMGEN" msgq 333 64 >/dev/null 2>&1
expect_eq "--model-only: the size-class model names kmalloc-128" \
	"$(json "$T/model.json" 'j["kmalloc_cache_names"]'):$(cache_of "$T/model.json" 333)" model:kmalloc-128

# --- no tracefs mounted: kmscope mounts it where it needs it ----------------
# Each command in its own new mount namespace without tracefs or debugfs, as
# on a fresh machine; the machine's own mounts (pid 1's) must not change.
tracefs_mounts() { grep -c ' - tracefs ' "$1"; }
# Mount points of tracefs (or of debugfs, which automounts it) in this namespace.
tracefs_here() { grep -cE ' /sys/kernel/(tracing|debug|debug/tracing) ' /proc/self/mountinfo; }
fresh() { unshare -m --propagation private bash -c "$(declare -f without_tracefs); without_tracefs && exec \"\$@\"" fresh "$@"; }
host_before=$(tracefs_mounts /proc/1/mountinfo)
expect_eq "fresh: no tracefs in the test's mount namespace" "$(tracefs_here)" 0
fresh "$KMS" stat --classic -v -q -j -o "$T/fresh-stat.json" -- "$KMGEN" msgq 50 64 >/dev/null 2>"$T/fresh-stat.err"
rc=$?
expect_eq "fresh: stat --classic without tracefs exits 0" "$rc" 0 "$(cat "$T/fresh-stat.err")"
expect_eq "fresh: ... counts its 50 load_msg allocations" "$(site "$T/fresh-stat.json" '^load_msg\+' allocs)" 50
expect_eq "fresh: ... and says with -v that it mounted tracefs" \
	"$(grep -c '^kmscope: debug: tracefs was not mounted: mounted it at /sys/kernel/tracing$' "$T/fresh-stat.err")" 1
for c in record trace report run top; do
	case $c in
	record) args=(record -q -o "$T/fresh.data");;
	trace) args=(trace -j);;
	report) args=(report -q -j);;
	run) args=(run -q -o "$T/fresh-run.json");;
	top) args=(top -b --iterations 1);;
	esac
	fresh "$KMS" "${args[@]}" --classic -- "$KMGEN" msgq 20 64 >"$T/fresh-$c.out" 2>"$T/fresh-$c.err"
	expect_eq "fresh: $c --classic without tracefs exits 0" "$?" 0 "$(head -3 "$T/fresh-$c.err")"
done
expect_eq "fresh: trace --classic shows the 20 load_msg allocations" \
	"$(grep -c '"site":"load_msg+' "$T/fresh-trace.out")" 20
expect_eq "fresh: the machine's own mounts did not change" "$(tracefs_mounts /proc/1/mountinfo)" "$host_before"
# Where it cannot mount, the error names the cause and the fix: root in a
# user namespace (a container) may not mount tracefs.
fresh unshare -U -r "$KMS" stat --classic -q -d 0.2 >/dev/null 2>"$T/fresh-ro.err"
rc=$?
expect_eq "fresh: tracefs cannot be mounted: exit 1" "$rc" 1 "$(cat "$T/fresh-ro.err")"
if [ "$(grep -c '^kmscope: error: ' "$T/fresh-ro.err")" -eq 1 ] &&
   grep -q "^kmscope: error: tracefs is not mounted and mounting it at /sys/kernel/tracing failed (Operation not permitted); mount it with 'mount -t tracefs tracefs /sys/kernel/tracing' and retry$" "$T/fresh-ro.err"; then
	ok "fresh: ... one error line naming the mount failure and the command that fixes it"
else
	not_ok "fresh: ... one error line naming the mount failure and the command that fixes it" "$(cat "$T/fresh-ro.err")"
fi

# --- the classic-tracepoint fallback gives the same counts -----------------
"$KMS" stat -q -j -n 0 --classic -o "$T/classic.json" -- "$KMGEN" msgq 400 64 >/dev/null 2>"$T/classic.err"
expect_eq "classic: method is tracepoint" "$(json "$T/classic.json" 'j["method"]')" tracepoint \
	"$(cat "$T/classic.err")"
expect_eq "classic: 400 allocations at load_msg" "$(site "$T/classic.json" '^load_msg\+' allocs)" 400
expect_eq "classic: 400 frees of them" "$(site "$T/classic.json" '^load_msg\+' frees)" 400
expect_eq "classic: bytes_req = 400 * 112" "$(site "$T/classic.json" '^load_msg\+' bytes_req)" 44800

# --- the same run recorded and replayed gives the same JSON ------------------
"$KMS" stat -q -j -n 0 -o "$T/live.json" -w "$T/msgq.data" -- "$KMGEN" msgq 500 200 >/dev/null 2>"$T/live.err"
"$KMS" stat -j -n 0 -i "$T/msgq.data" >"$T/replay.json" 2>"$T/replay.err"
rc=$?
expect_eq "replay: stat -i exits 0" "$rc" 0 "$(cat "$T/replay.err")"
if cmp -s "$T/live.json" "$T/replay.json"; then
	ok "replay: stat -i gives byte-identical JSON to the live run"
else
	not_ok "replay: stat -i gives byte-identical JSON to the live run" \
		"$(diff "$T/live.json" "$T/replay.json" | head -5)"
fi
expect_eq "replay: 500 allocations of 248 bytes at load_msg" \
	"$(site "$T/replay.json" '^load_msg\+' bytes_req)" $((500 * 248))
"$KMS" stat -n 0 -i "$T/msgq.data" >"$T/replay.txt" 2>&1
"$KMS" stat -n 0 -i "$T/msgq.data" >"$T/replay2.txt" 2>&1
if cmp -s "$T/replay.txt" "$T/replay2.txt" && grep -q '^load_msg+' "$T/replay.txt"; then
	ok "replay: text report is stable and names load_msg"
else
	not_ok "replay: text report is stable and names load_msg" "$(head -3 "$T/replay.txt")"
fi

# --- record + stat -i ------------------------------------------------------
"$KMS" record -q -o "$T/rec.data" -- "$KMGEN" msgq 300 64 >"$T/rec.out" 2>"$T/rec.err"
expect_eq "record: exits 0" "$?" 0 "$(cat "$T/rec.err")"
perm=$(stat -c %a "$T/rec.data" 2>/dev/null)
expect_eq "record: file is created 0600" "$perm" 600
"$KMS" stat -j -i "$T/rec.data" >"$T/rec.json" 2>/dev/null
expect_eq "record: replay shows 300 allocations at load_msg" \
	"$(site "$T/rec.json" '^load_msg\+' allocs)" 300

# --- children are followed ------------------------------------------------
"$KMS" stat -q -j -n 0 -o "$T/fork.json" -- "$KMGEN" fork 3 200 64 >/dev/null 2>"$T/fork.err"
expect_eq "fork: exits 0" "$?" 0 "$(cat "$T/fork.err")"
expect_eq "fork: 3 children x 200 allocations at load_msg" \
	"$(site "$T/fork.json" '^load_msg\+' allocs)" 600

# --- pid filter: a process that is not the target is not seen -------------
"$KMGEN" spin 3 50 64 >"$T/spin.out" 2>&1 &
spin=$!
sleep 0.3
"$KMS" stat -q -j -n 0 -p $$ -d 1 >"$T/pid.json" 2>"$T/pid.err"
wait $spin
expect_eq "pid filter: another process's load_msg allocations are filtered" \
	"$(site "$T/pid.json" '^load_msg\+' allocs)" none

# --- filters --------------------------------------------------------------
"$KMS" stat -q -j -n 0 -o "$T/size.json" --min-size 112 --max-size 112 -- "$KMGEN" msgq 100 64 >/dev/null 2>&1
expect_eq "size filter 112..112: the 100 allocations of 112 bytes pass" \
	"$(site "$T/size.json" '^load_msg\+' allocs)" 100
expect_eq "size filter 112..112: every site's requests are 112 bytes" \
	"$(json "$T/size.json" 'sum(s["bytes_req"] != 112 * s["allocs"] for s in j["sites"])')" 0
"$KMS" stat -q -j -n 0 -o "$T/size2.json" --min-size 113 -- "$KMGEN" msgq 100 64 >/dev/null 2>&1
expect_eq "size filter from 113: the 112-byte allocations are filtered" \
	"$(site "$T/size2.json" '^load_msg\+' allocs)" none

# --comm and --cgroup trace the whole system and pick the workload out.
comm_run() { # OUT FILTER...: trace while kmgen runs once, stop with SIGINT
	local out=$1 kpid
	shift
	"$KMS" stat -j -n 0 -o "$out" "$@" 2>"$out.err" &
	kpid=$!
	for _ in $(seq 100); do grep -q '^kmscope: tracing' "$out.err" && break; sleep 0.1; done
	"$CG_RUN" "$KMGEN" msgq 150 64 >/dev/null
	sleep 0.1
	kill -INT $kpid
	wait $kpid
}
CG_RUN=env
comm_run "$T/comm.json" --comm kmgen
expect_eq "comm filter: exactly kmgen's 150 allocations at load_msg" \
	"$(site "$T/comm.json" '^load_msg\+' allocs)" 150
CG=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$CG" ] && mkdir -p "$CG/kmscope-test" 2>/dev/null; then
	cat >"$T/cgrun" <<CGEOF
#!/bin/sh
echo \$\$ > "$CG/kmscope-test/cgroup.procs" && exec "\$@"
CGEOF
	chmod +x "$T/cgrun"
	CG_RUN=$T/cgrun
	comm_run "$T/cg.json" --cgroup "$CG/kmscope-test"
	expect_eq "cgroup filter: exactly the 150 allocations of the process in the cgroup" \
		"$(site "$T/cg.json" '^load_msg\+' allocs)" 150
	# The same run recorded whole, the recording filtered as the kernel did.
	comm_run "$T/cgw.json" -w "$T/cgw.data"
	"$KMS" stat -q -j -n 0 --cgroup /kmscope-test -i "$T/cgw.data" -o "$T/cgw-f.json" 2>"$T/cgw-f.err"
	expect_eq "cgroup filter on a whole-system recording: the same 150, the rest filtered" \
		"$(site "$T/cgw-f.json" '^load_msg\+' allocs) $(site "$T/cgw-f.json" '^load_msg\+' frees) $(json "$T/cgw-f.json" 'j["counters"]["filtered"] > 0')" \
		"150 150 True" "$(cat "$T/cgw-f.err")"
	rmdir "$CG/kmscope-test" 2>/dev/null
	CG_RUN=env
else
	not_ok "cgroup filter: no cgroup v2 mount to test with"
fi
"$KMS" stat -d 1 --cgroup /proc >/dev/null 2>"$T/cgerr"
expect_eq "cgroup filter: a path that is not cgroup v2 is a usage error" "$?:$(wc -l <"$T/cgerr")" "2:1"

# --- kptr_restrict: hidden addresses are said once, sites stay raw ----------
printf '0000000000000000 T _stext\n0000000000000000 t load_msg\n' >"$T/hidden.ksyms"
"$KMS" stat -q -j -o "$T/hidden.json" --kallsyms "$T/hidden.ksyms" -- "$KMGEN" msgq 10 64 \
	>/dev/null 2>"$T/hidden.err"
if [ "$(grep -c 'hides kernel addresses' "$T/hidden.err")" = 1 ] &&
	[ "$(site "$T/hidden.json" '^0xffff' allocs)" != none ]; then
	ok "kptr_restrict: one warning, call sites printed as addresses"
else
	not_ok "kptr_restrict: one warning, call sites printed as addresses" "$(cat "$T/hidden.err")"
fi

# --- exit status of the traced command ------------------------------------
"$KMS" stat -q -j -- "$KMGEN" exit 7 >/dev/null 2>&1
expect_eq "exit status: the command's exit code is returned" "$?" 7
"$KMS" stat -q -j -- "$KMGEN" kill 9 >/dev/null 2>&1
expect_eq "exit status: a command killed by SIGKILL gives 128+9" "$?" 137

# --- stalled consumer: every loss is counted -------------------------------
"$KMS" stat -j --ring-size 0.25 -o "$T/stall.json" -- "$KMGEN" spin 3 100 64 >/dev/null 2>"$T/stall.err" &
kpid=$!
sleep 1
kill -STOP $kpid
sleep 1
kill -CONT $kpid
wait $kpid
lost=$(json "$T/stall.json" 'j["lost"]["ringbuf"]')
if [ "${lost:-0}" -gt 0 ] 2>/dev/null; then
	ok "stall: a stopped consumer with a 256 KiB ring loses events ($lost) and says so"
else
	not_ok "stall: a stopped consumer loses events and says so" "lost='$lost'" "$(tail -3 "$T/stall.err")"
fi
expect_eq "stall: seen = received + filtered + kfree(NULL) + untracked frees + own + lost" \
	"$(json "$T/stall.json" 'j["counters"]["seen"] - j["counters"]["received"] - j["counters"]["filtered"] - j["counters"]["free_null"] - j["counters"]["free_untracked"] - j["counters"]["self"] - j["lost"]["ringbuf"]')" 0

# --- clean stop: SIGINT prints the report, nothing stays attached -----------
# Our programs are the kms_* ids that appear while our kmscope runs (another
# kmscope on the machine may own others).
kms_ids() { bpftool -j prog show 2>/dev/null | python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin) if p.get("name","").startswith("kms_")))'; }
before=" $(kms_ids) "
"$KMS" stat -j -d 30 >"$T/int.json" 2>"$T/int.err" &
kpid=$!
for _ in $(seq 50); do grep -q '^kmscope: tracing' "$T/int.err" && break; sleep 0.1; done
ours=""
for id in $(kms_ids); do case "$before" in *" $id "*) ;; *) ours="$ours $id" ;; esac; done
kill -INT $kpid
wait $kpid
expect_eq "SIGINT: exits 0 with a report" "$?:$(json "$T/int.json" '"events" in j')" "0:True"
after=" $(kms_ids) " left=""
for id in $ours; do case "$after" in *" $id "*) left="$left $id" ;; esac; done
if [ -n "$ours" ] && [ -z "$left" ]; then
	ok "SIGINT: none of its BPF programs ($(echo $ours | wc -w)) is left loaded"
else
	not_ok "SIGINT: none of its BPF programs is left loaded" "ours='$ours' left='$left'"
fi

# --- faults: every way of stopping leaves a valid recording and nothing loaded
# start_rec SIGNAL: record system-wide, wait until attached, note our programs.
start_rec() {
	before=" $(kms_ids) "
	"$KMS" record -o "$T/sig-$1.data" -d 60 >/dev/null 2>"$T/sig-$1.err" &
	kpid=$!
	for _ in $(seq 50); do grep -qs '^kmscope: tracing' "$T/sig-$1.err" && break; sleep 0.1; done
	sleep 0.5
	ours=""
	for id in $(kms_ids); do case "$before" in *" $id "*) ;; *) ours="$ours $id" ;; esac; done
}
left_loaded() { # the programs of $ours still loaded
	local after=" $(kms_ids) " id left=""
	for id in $ours; do case "$after" in *" $id "*) left="$left $id" ;; esac; done
	echo "${ours:+$(echo $ours | wc -w) ours}${left:+, left:$left}"
}
for sig in TERM HUP; do
	start_rec $sig
	kill -$sig $kpid
	wait $kpid
	rc=$?
	"$KMS" stat -q -j -i "$T/sig-$sig.data" >"$T/sig-$sig.json" 2>"$T/sig-$sig.rerr"
	expect_eq "SIG$sig: record exits 0, its recording is complete and reads back, nothing left loaded" \
		"$rc:$?:$(grep -c 'cut short\|damaged' "$T/sig-$sig.rerr"):$(left_loaded)" \
		"0:0:0:$(echo $ours | wc -w) ours" "$(cat "$T/sig-$sig.err" "$T/sig-$sig.rerr")"
done
start_rec KILL
kill -KILL $kpid
wait $kpid 2>/dev/null
sleep 0.5
expect_eq "SIGKILL: nothing left loaded (links and programs die with the process)" \
	"$(left_loaded)" "$(echo $ours | wc -w) ours"
"$KMS" stat -q -j -i "$T/sig-KILL.data" >"$T/sig-KILL.json" 2>"$T/sig-KILL.rerr"
expect_eq "SIGKILL: what was flushed of the recording reads back, said to be cut short" \
	"$?:$(grep -c 'cut short\|damaged\|incomplete' "$T/sig-KILL.rerr")" "1:1" "$(cat "$T/sig-KILL.rerr")"

# Disk full: a 1 MiB tmpfs fills up; one line says so, the rest reads back.
FULL=$(mktemp -d /tmp/kms-full.XXXXXX)
if mount -t tmpfs -o size=1m kms-full "$FULL" 2>/dev/null; then
	"$KMS" record -o "$FULL/r.data" -- "$KMGEN" spin 3 100 64 >/dev/null 2>"$T/full.err"
	rc=$?
	expect_eq "disk full: record exits 1 with one line naming ENOSPC and an intact recording" \
		"$rc:$(grep -c 'No space left on device; the recording up to here is intact' "$T/full.err")" "1:1" \
		"$(cat "$T/full.err")"
	"$KMS" stat -q -j -i "$FULL/r.data" >"$T/full.json" 2>"$T/full.rerr"
	expect_eq "disk full: the recording reads back up to the cut ($(stat -c %s "$FULL/r.data") bytes)" \
		"$(json "$T/full.json" 'j["events"]["kmalloc"] > 0')" True "$(cat "$T/full.rerr")"
	umount "$FULL"
else
	not_ok "disk full: cannot mount a tmpfs"
fi
rmdir "$FULL"

# A bounded table: --max-tracked 50 on a command that holds 200 objects
# tracks at most 50 and counts the rest, in the kernel and in userspace.
"$KMS" stat -q -j --max-tracked 50 -o "$T/mt.json" -- "$KMGEN" hold 200 64 >"$T/mt.out" 2>"$T/mt.err"
msqid=$(sed -n 's/.*msqid=\([0-9]*\).*/\1/p' "$T/mt.out")
[ -n "$msqid" ] && ipcrm -q "$msqid"
expect_eq "--max-tracked 50: at most 50 live, the 150+ that did not fit counted as lost.table_full" \
	"$(json "$T/mt.json" 'j["live"] <= 50 and j["lost"]["table_full"] >= 150 and j["lost"]["untracked_pointers"] >= 150')" \
	True "$(cat "$T/mt.err")"

# Least privilege: once attached, only CAP_DAC_OVERRIDE (to write outputs).
"$KMS" stat -q -d 3 -o /dev/null &
kpid=$!
sleep 1.5
expect_eq "privileges: after attaching, the effective and permitted sets hold only CAP_DAC_OVERRIDE" \
	"$(awk '/^Cap(Eff|Prm)/ { printf "%s ", $2 }' /proc/$kpid/status)" "0000000000000002 0000000000000002 "
wait $kpid
# A user who is not root: one line, exit 1, nothing loaded.
# (Programs of earlier runs may still be going away: only new ids count.)
before=" $(kms_ids) "
out=$(runuser -u nobody -- "$KMS" stat -d 1 2>&1 >/dev/null)
rc=$?
new_ids=""
for id in $(kms_ids); do case "$before" in *" $id "*) ;; *) new_ids="$new_ids $id" ;; esac; done
expect_eq "not root: one line saying to use sudo, exit 1, no program loaded" \
	"$rc:$(echo "$out" | wc -l):$(echo "$out" | grep -c 'needs root'):${new_ids:-none}" \
	"1:1:1:none" "$out"

# --- the SLUB model proved against this kernel on a mixed workload ----------
"$KMS" check -q -j -o "$T/check.json" -w "$T/check.data" -- "$DIR/mixed.sh" "$BUILD" 10 \
	>/dev/null 2>"$T/check.err"
rc=$?
expect_eq "check: exits 0 on 10 s of fs walk, tar, 1 MiB pipes and sockets" "$rc" 0 \
	"$(head -c 2000 "$T/check.json")" "$(cat "$T/check.err")"
expect_eq "check: every cache's geometry exact" \
	"$(json "$T/check.json" 'j["geometry"]["exact"] == j["geometry"]["caches"] > 100')" True
expect_eq "check: every kmalloc and kmem_cache_alloc event exact" \
	"$(json "$T/check.json" 'j["events"]["kmalloc_exact"] == j["events"]["kmalloc"] > 10000 and j["events"]["kmem_cache_alloc_exact"] == j["events"]["kmem_cache_alloc"] > 10000')" True
expect_eq "check: every cache the workload touched reconciles with /proc/slabinfo" \
	"$(json "$T/check.json" 'j["accounting"]["touched_within_bounds"] == j["accounting"]["touched"] > 20')" True \
	"$(json "$T/check.json" '"; ".join("%s delta_active %d traced_net %d diff %d bound %d" % (r["cache"], r["delta_active"], r["traced_net"], r["diff"], r["bound"]) for r in j["accounting"]["rows"] if r["touched"] and not (r["holds"] or r["blind_spot"] or r["unchecked"]))')"
expect_eq "check: the kernel's and the model's kmalloc cache names never disagree" \
	"$(json "$T/check.json" 'j["names"]["disagree"]')" 0
"$KMS" stat -j -i "$T/check.data" -o "$T/check-stat.json" 2>/dev/null
expect_eq "check: the 1 MiB pipe kmallocs (traced twice by 6.11+) were folded" \
	"$(json "$T/check-stat.json" 'j["counters"]["large_kmalloc_collapsed"] > 100 and any(s["site"].startswith("pipe_resize_ring+") and s["bytes_alloc"] == 16384 * s["allocs"] for s in j["sites"])')" True
"$KMS" check -j -i "$T/check.data" -o "$T/check-replay.json" 2>/dev/null
if cmp -s "$T/check.json" "$T/check-replay.json"; then
	ok "check -i: the recording gives byte-identical JSON to the live check"
else
	not_ok "check -i: the recording gives byte-identical JSON to the live check" \
		"$(python3 "$DIR/../lib/jsondiff.py" "$T/check.json" "$T/check-replay.json")"
	cp "$T/check.json" "$T/check-replay.json" "$T/check.data" "${KMS_LIVE_KEEP:-/tmp}/" 2>/dev/null &&
		echo "# check -i: both JSON files and the recording copied to ${KMS_LIVE_KEEP:-/tmp}"
fi

# --- findings: a held queue is a leak of exactly N at load_msg, a drained one none
finding() { # FILE KIND SITE_REGEX FIELD: FIELD of that finding, "none" when absent
	python3 - "$@" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
rows = [f for f in j["findings"] if f["kind"] == sys.argv[2] and re.match(sys.argv[3], f["site"])]
print(rows[0][sys.argv[4]] if rows else "none")
PY
}
"$KMS" run -o "$T/hold.json" -- "$KMGEN" hold 200 64 >"$T/hold.out" 2>"$T/hold.err"
expect_eq "run: exits 0" "$?" 0 "$(cat "$T/hold.err")"
msqid=$(sed -n 's/.*msqid=\([0-9]*\).*/\1/p' "$T/hold.out")
[ -n "$msqid" ] && ipcrm -q "$msqid"
expect_eq "report: 200 queued SysV messages are a leak of exactly 200 objects at load_msg" \
	"$(finding "$T/hold.json" leak '^load_msg\+' count)" 200
expect_eq "report: ... of 200 x 128 bytes" "$(finding "$T/hold.json" leak '^load_msg\+' bytes)" 25600
# 112-byte messages in the 128 class: 96 bytes would fit the class below,
# in the same kmem_buckets family when the messages come from one.
cache=$(finding "$T/hold.json" waste-smaller-request '^load_msg\+' cache)
expect_eq "waste: load_msg's 112-byte requests would fit the 96 class of their own family" \
	"$cache -> $(finding "$T/hold.json" waste-smaller-request '^load_msg\+' suggest_cache)" \
	"$cache -> ${cache%-128}-96"
# The waste section's memory bill: the messages' cache holds the 200 live
# objects with 16 bytes of rounding each, and the kernel's own counters
# add up: slab memory = objects + metadata + free slots + tail.
bill() { # FILE EXPR over m (the msg_msg-128 or kmalloc-128 row of "memory")
	python3 - "$1" "$2" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
rows = [m for m in j["memory"] if re.match(r"^(msg_msg|kmalloc(-cg)?)-128$", m["cache"]) and m["live"]]
m = rows[0] if len(rows) == 1 else None
print(eval(sys.argv[2]) if m else "rows: %d" % len(rows))
PY
}
expect_eq "waste: the held messages' cache has 200 live traced objects, 200 x 16 B rounding" \
	"$(bill "$T/hold.json" '"%d/%d" % (m["live"], m["live_rounding"])')" 200/3200
expect_eq "waste: ... and its kernel bill adds up, with at least those 200 in use" \
	"$(bill "$T/hold.json" 'm["kernel"]["slab_bytes"] == sum(m["kernel"][x] for x in ("object_bytes", "metadata_bytes", "free_bytes", "tail_bytes")) and m["kernel"]["objects"] >= 200')" True
expect_eq "waste: every cache's kernel bill adds up" \
	"$(json "$T/hold.json" 'all(m["kernel"]["slab_bytes"] == m["kernel"]["object_bytes"] + m["kernel"]["metadata_bytes"] + m["kernel"]["free_bytes"] + m["kernel"]["tail_bytes"] for m in j["memory"] if m["kernel"]) and any(m["kernel"] for m in j["memory"])')" True
"$KMS" run -o "$T/drain.json" -- "$KMGEN" msgq 200 64 >/dev/null 2>&1
expect_eq "report: the same messages received again are no leak" \
	"$(finding "$T/drain.json" leak '^load_msg\+' count)" none
"$KMS" report -q -n 0 -o "$T/hold.txt" -- "$KMGEN" msgq 50 64 >/dev/null 2>&1
expect_eq "report: text report exits 0 and has its header" \
	"$?:$(head -c 15 "$T/hold.txt")" "0:kmscope report:"

# --- CI: run + diff exits 1 when the workload doubles, 0 when it repeats --------
"$KMS" run -o "$T/base.json" -- "$KMGEN" msgq 500 64 >/dev/null 2>&1
"$KMS" run -o "$T/same.json" -- "$KMGEN" msgq 500 64 >/dev/null 2>&1
"$KMS" run -o "$T/double.json" -- "$KMGEN" msgq 1000 64 >/dev/null 2>&1
"$KMS" diff "$T/base.json" "$T/same.json" --max-increase allocs=20 >"$T/diff1.txt" 2>&1
expect_eq "diff: the same workload again stays within +20% allocations (exit 0)" "$?" 0 \
	"$(tail -3 "$T/diff1.txt")"
"$KMS" diff "$T/base.json" "$T/double.json" --max-increase allocs=20 >"$T/diff2.txt" 2>&1
expect_eq "diff: twice the messages crosses +20% allocations (exit 1)" "$?" 1 \
	"$(tail -3 "$T/diff2.txt")"
# The size classes compare row by row: the messages' class (64 + 48 bytes
# in kmalloc-128, 16 rounded up each) doubles.  (The process's own few
# allocations of other classes may differ between two runs: not compared.)
"$KMS" diff -j "$T/base.json" "$T/double.json" >"$T/diff3.json" 2>&1
expect_eq "diff: size classes: kmalloc-128 500 -> 1000 allocations, rounding +8000 B" \
	"$(json "$T/diff3.json" '[(c["class"], c["allocs"]["base"], c["allocs"]["new"], c["waste"]["change"]) for c in j["changed_classes"] if c["class"] == "kmalloc-128"]')" \
	"[('kmalloc-128', 500, 1000, 8000)]"
"$KMS" diff "$T/base.json" "$T/double.json" --max-increase rounding=50 >"$T/diff4.txt" 2>&1
expect_eq "diff: --max-increase rounding=50 trips on the doubled rounding (exit 1)" "$?" 1 \
	"$(tail -3 "$T/diff4.txt")"
"$KMS" diff "$T/base.json" "$T/same.json" --max-increase rounding=1 >/dev/null 2>&1
expect_eq "diff: ... and not on the same workload again (exit 0)" "$?" 0
"$KMS" diff "$T/base.json" "$T/base.json" --max-increase bogus=1 >/dev/null 2>&1
expect_eq "diff: an unknown metric is a usage error (exit 2)" "$?" 2

# --- -g: kernel stacks per site, kept in recordings, folded for flame graphs
# A stack whose hash bucket another stack of the run took first is lost
# (bpf_get_stackid() without BPF_F_REUSE_STACKID: -EEXIST, counted in
# lost.stacks); other tasks' interrupts make those stacks differ from run
# to run.  A run where that befell load_msg's stack is made again, at most
# twice; one that lost it without counting it fails below.
for try in 1 2 3; do
	"$KMS" report -g -j -n 0 -o "$T/g.json" -w "$T/g.data" -- "$KMGEN" hold 60 64 >"$T/g.out" 2>"$T/g.err"
	msqid=$(sed -n 's/.*msqid=\([0-9]*\).*/\1/p' "$T/g.out")
	[ -n "$msqid" ] && ipcrm -q "$msqid"
	[ "$(json "$T/g.json" 'j["lost"]["stacks"] > 0 and not any("stack" in s for s in j["sites"] if s["site"].startswith("load_msg+"))' 2>/dev/null)" = True ] || break
	echo "# -g: run $try lost load_msg's stack to a collision in the stack map (counted in lost.stacks); again"
done
expect_eq "-g: the load_msg leak comes with its stack, through do_msgsnd" \
	"$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); f=[f for f in j["findings"] if f["kind"]=="leak" and f["site"].startswith("load_msg+")]; print(f[0]["count"], f[0]["stack"][0].split("+")[0], any(x.startswith("do_msgsnd+") for x in f[0]["stack"]))' "$T/g.json")" \
	"60 load_msg True" "$(tail -2 "$T/g.err")" \
	"$(json "$T/g.json" '(j["lost"], [(s["site"], s.get("stack")) for s in j["sites"] if s["site"].startswith("load_msg+")])' 2>&1 | head -c 1500)"
"$KMS" report -j -n 0 -i "$T/g.data" -o "$T/g2.json" 2>/dev/null
if cmp -s "$T/g.json" "$T/g2.json"; then
	ok "-g: the recording replays to the same report, stacks included"
else
	not_ok "-g: the recording replays to the same report, stacks included" \
		"$(diff "$T/g.json" "$T/g2.json" | head -3)"
fi
"$KMS" report --folded live -i "$T/g.data" >"$T/g.folded" 2>/dev/null
expect_eq "-g: folded stacks weighted by live bytes: 60 x 128 under do_msgsnd;load_msg" \
	"$(grep -c ';do_msgsnd+0x[0-9a-f]*;load_msg+0x[0-9a-f]* 7680$' "$T/g.folded")" 1
# The web page draws those stacks: load_msg's live bytes under do_msgsnd.
"$KMS" report -q -o /dev/null --html "$T/g.html" -i "$T/g.data" 2>/dev/null
expect_eq "-g: the HTML flame graph stacks load_msg's 7680 live bytes on do_msgsnd" \
	"$(python3 -c '
import re, sys
svg = open(sys.argv[1]).read().split("id=\"flame\"")[1].split("</svg>")[0]
t = re.findall(r"<title>([^<]*)</title>", svg)
print(any(x.startswith("do_msgsnd+") for x in t),
      any(x.startswith("load_msg+") and ": 7.5 KiB live" in x for x in t))' "$T/g.html")" "True True"

# --- --stacks=findings: stacks only where a GFP rule or a NULL return fires
"$KMS" stat -q -j -n 0 --stacks=findings -o "$T/gf.json" -- "$KMGEN" msgq 100 64 >/dev/null 2>"$T/gf.err"
expect_eq "-g findings: 100 plain GFP_KERNEL messages at load_msg, none with a stack" \
	"$(json "$T/gf.json" '"%d/%d" % (sum(s["allocs"] for s in j["sites"] if s["site"].startswith("load_msg+")), sum(s["allocs"] for s in j["sites"] if s["site"].startswith("load_msg+") and "stack" in s))')" \
	100/0 "$(tail -2 "$T/gf.err")"
GFDIR=$(mktemp -d /var/tmp/kms-fsync.XXXXXX)
if [ "$(stat -f -c %T "$GFDIR")" = ext2/ext3 ]; then
	"$KMS" report gfp -q -j --stacks=findings -o "$T/gf2.json" -- "$KMGEN" fsync 10 "$GFDIR" \
		>/dev/null 2>"$T/gf2.err"
	expect_eq "-g findings: the 10 GFP_NOFS io_end_vec allocations come with their writeback stack" \
		"$(finding "$T/gf2.json" gfp-nofs-in-scope '^ext4_alloc_io_end_vec\+' count) $(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); f=[f for f in j["findings"] if f["site"].startswith("ext4_alloc_io_end_vec+")]; print(any(x.startswith(("ext4_writepages+", "ext4_do_writepages+")) for x in f[0].get("stack", [])) if f else "none")' "$T/gf2.json")" \
		"10 True" "$(tail -2 "$T/gf2.err")"
else
	skip_note "-g findings: $GFDIR is not on ext4"
fi
rmdir "$GFDIR"

# --- -g with a one-entry stack map: every allocation whose stack did not fit
# is counted in lost.stacks, and exactly those are the ones without a stack.
"$KMS" stat -g --stack-entries 1 -j -n 0 -o "$T/sl.json" -w "$T/sl.data" -- "$KMGEN" msgq 50 64 \
	>/dev/null 2>"$T/sl.err"
expect_eq "-g: a full stack map is counted: lost.stacks = allocations without a stack > 0" \
	"$(json "$T/sl.json" 'j["lost"]["stacks"] == sum(s["allocs"] for s in j["sites"] if "stack" not in s) > 0')" \
	True "$(tail -2 "$T/sl.err")"
expect_eq "-g: ... and the text report says so" \
	"$("$KMS" stat -i "$T/sl.data" 2>/dev/null | grep -c '^note: .* allocations without a stack: the stack map was full')" 1

# --- execution context: loopback TCP allocates in softirq, GFP_ATOMIC, not flagged
"$KMS" report -j -o "$T/tcp.json" -- python3 "$DIR/tcp_loopback.py" >/dev/null 2>"$T/tcp.err"
expect_eq "context: loopback TCP receive allocations are seen in softirq context" \
	"$(json "$T/tcp.json" 'j["context"].startswith("hardirq,softirq") and sum(s["in_softirq"] for s in j["sites"]) > 0')" True \
	"$(tail -2 "$T/tcp.err")"
expect_eq "context: ... and, being GFP_ATOMIC, none is flagged as sleeping in atomic context" \
	"$(json "$T/tcp.json" 'sum(f["kind"] == "gfp-sleep-in-atomic" for f in j["findings"])')" 0

# --- BPF programs loaded by another process: kvmalloc() is not a GFP bug ----
# The verifier, BTF and map code allocate with kvmalloc(); above a page its
# kmalloc attempt drops __GFP_DIRECT_RECLAIM and adds __GFP_NOWARN (6.15+),
# on purpose.  A second kmscope loading its programs exercises exactly that.
"$KMS" report gfp -j -q -n 0 -d 4 >"$T/bpfload.json" 2>"$T/bpfload.err" &
kpid=$!
sleep 1.5
for _ in 1 2 3; do "$KMS" stat -q -g -d 0.3 >/dev/null 2>&1; done
wait $kpid
expect_eq "bpf load: report exits 0" "$?" 0 "$(cat "$T/bpfload.err")"
expect_eq "bpf load: the verifier's kvmalloc() attempts were traced (bpf_check, large, no reclaim)" \
	"$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(sum(s["allocs"] for s in j["sites"] if s["site"].startswith("bpf_check+")) > 0)' "$T/bpfload.json")" True
expect_eq "bpf load: no gfp-atomic-large finding and no kvmalloc finding on kvmalloc()'s attempts" \
	"$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
print([(f["kind"], f["site"], f["gfp"]) for f in j["findings"]
       if f["kind"] == "gfp-atomic-large" or (f["kind"] == "kvmalloc" and "NOWARN" in f["gfp"])])' "$T/bpfload.json")" "[]"

# --- the task's scope: rcu_read_lock() (PREEMPT_RCU) and memalloc_nofs_save()
# kill() queues each real-time signal under rcu_read_lock() (kill_proc_info):
# one GFP_ATOMIC struct sigqueue each, all of them in an RCU section.
SIGRE='^(__send_signal_locked|__send_signal|__sigqueue_alloc|sigqueue_alloc)\+'
"$KMS" stat -q -j -n 0 -o "$T/sig.json" -- "$KMGEN" sigqueue 100 >/dev/null 2>"$T/sig.err"
rcu=$(json "$T/sig.json" '"rcu" in j["context"].split(",")' 2>&1)
if [ "$rcu" = True ]; then
	expect_eq "scope: 100 sigqueue allocations under kill()'s rcu_read_lock(), all seen in it" \
		"$(site "$T/sig.json" "$SIGRE" allocs)/$(site "$T/sig.json" "$SIGRE" in_rcu)" 100/100 \
		"$(tail -2 "$T/sig.err")"
elif [ "$rcu" = False ]; then
	skip_note "scope: not a PREEMPT_RCU kernel, rcu_read_lock() is invisible"
else
	not_ok "scope: stat -- kmgen sigqueue 100 ran" "$rcu" "$(tail -2 "$T/sig.err")"
fi
expect_eq "scope: SysV message allocations are plain task context (no rcu, nofs, memalloc)" \
	"$(site "$T/msgq.json" '^load_msg\+' in_rcu)/$(site "$T/msgq.json" '^load_msg\+' in_nofs)/$(site "$T/msgq.json" '^load_msg\+' in_memalloc)" 0/0/0
# ext4 writeback runs in a memalloc_nofs_save() scope; its io_end_vec is one
# GFP_NOFS allocation per written extent, so a redundant-flag hint per fsync.
FSDIR=$(mktemp -d /var/tmp/kms-fsync.XXXXXX)
if [ "$(stat -f -c %T "$FSDIR")" = ext2/ext3 ]; then
	"$KMS" report gfp -j -o "$T/fs.json" -- "$KMGEN" fsync 20 "$FSDIR" >/dev/null 2>"$T/fs.err"
	expect_eq "scope: ext4 writeback of 20 fsyncs: 20 io_end_vec allocations, all in a NOFS scope" \
		"$(site "$T/fs.json" '^ext4_alloc_io_end_vec\+' allocs)/$(site "$T/fs.json" '^ext4_alloc_io_end_vec\+' in_nofs)" \
		20/20 "$(tail -2 "$T/fs.err")"
	expect_eq "scope: ... and its GFP_NOFS is reported as repeating the scope, count 20" \
		"$(json "$T/fs.json" '[f["count"] for f in j["findings"] if f["kind"] == "gfp-nofs-in-scope" and f["site"].startswith("ext4_alloc_io_end_vec+")]')" "[20]"
else
	skip_note "scope: $FSDIR is not on ext4"
fi
rmdir "$FSDIR"

"$KMS" check -i "$T/rec.data" >/dev/null 2>"$T/chk.err"
expect_eq "check -i: a recording of one command's process tree is refused (exit 1, one line)" \
	"$?:$(wc -l <"$T/chk.err")" "1:1" "$(cat "$T/chk.err")"
"$KMS" check --classic -d 0.2 >/dev/null 2>"$T/chk.err"
expect_eq "check --classic: refused, classic tracepoints carry no cache names" "$?" 1

# --- progress: a status line on a terminal, nothing when stderr is a file --
"$KMS" record -o "$T/prog.data" -d 2.5 -- "$KMGEN" spin 2 100 64 >/dev/null 2>"$T/prog.err"
expect_eq "progress: not on a terminal, record writes no status line" \
	"$(grep -c $'\r' "$T/prog.err")" 0
script -qec "$KMS record -o $T/prog.data -d 2.5 -- $KMGEN spin 2 100 64" /dev/null \
	>"$T/prog.tty" 2>&1
expect_eq "progress: on a terminal, record redraws 'N s traced, events (rate/s), lost, live'" \
	"$(grep -ao $'\r\033\[Kkmscope: [0-9]* s traced, [0-9]* events ([0-9]*/s), [0-9]* lost, [0-9]* live' "$T/prog.tty" | wc -l | awk '{ print ($1 >= 1) }')" 1 \
	"$(tail -c 300 "$T/prog.tty" | cat -v)"

# --- top: plain text when stdout is not a terminal, full screen under tmux --
"$KMS" top --refresh 0.5 --iterations 2 -- "$KMGEN" spin 5 100 64 >"$T/top.txt" 2>"$T/top.err"
expect_eq "top: stdout not a terminal: 2 plain-text refreshes, exit 0" \
	"$?:$(grep -c '^kmscope top - ' "$T/top.txt")" "0:2" "$(tail -2 "$T/top.err")"
expect_eq "top: the busiest call site is load_msg, at a positive alloc/s, its median lifetime under a second" \
	"$(awk '/^MRK/ { getline; print ($1 > 0) ":" ($(NF-1) ~ /^<[0-9.]+(us|ms)$/) ":" $NF; exit }' "$T/top.txt" | sed 's/+0x[0-9a-f]*$//')" "1:1:load_msg"
TM="tmux -L kms-top-$$"
if $TM new-session -d -s top -x 160 -y 40 \
	"$KMS top --refresh 0.5 -- sh -c 'exec $KMGEN spin 30 100 64 >/dev/null' 2>$T/topi.err" \
	2>/dev/null; then
	sleep 3
	$TM capture-pane -p -t top >"$T/top1.txt"
	expect_eq "top (tmux): header, column titles, load_msg on top" \
		"$(grep -c '^kmscope top - ' "$T/top1.txt"):$(awk '/^MRK/ { getline; print $NF; exit }' "$T/top1.txt" | sed 's/+0x[0-9a-f]*$//')" \
		"1:load_msg" "$(head -8 "$T/top1.txt")"
	$TM send-keys -t top c
	sleep 1.5
	$TM capture-pane -p -t top >"$T/top2.txt"
	expect_eq "top (tmux): 'c' switches to caches" \
		"$(grep -c 'CACHE$' "$T/top2.txt"):$(grep -c '^caches by alloc/s' "$T/top2.txt")" "1:1" \
		"$(head -8 "$T/top2.txt")"
	$TM send-keys -t top / m s g Enter
	sleep 1.5
	$TM capture-pane -p -t top >"$T/top3.txt"
	expect_eq "top (tmux): '/msg' filters the rows to names with msg" \
		"$(grep -c "filter 'msg'" "$T/top3.txt"):$(awk '/^MRK/ { f = 1; next } f && NF { n++; if ($NF !~ /msg/) bad++ } END { print (n > 0) ":" bad + 0 }' "$T/top3.txt")" \
		"1:1:0" "$(head -10 "$T/top3.txt")"
	$TM send-keys -t top q
	for i in 1 2 3 4 5 6 7 8 9 10; do $TM has-session -t top 2>/dev/null || break; sleep 0.5; done
	expect_eq "top (tmux): 'q' quits and leaves no BPF program attached" \
		"$($TM has-session -t top 2>/dev/null && echo running || echo gone):$(kms_ids)" "gone:" \
		"$(cat "$T/topi.err")"
	$TM kill-server 2>/dev/null
else
	not_ok "top (tmux): cannot start tmux"
fi

# --- errors: one line, the right exit code --------------------------------
"$KMS" stat --no-such-option >/dev/null 2>"$T/e1"
expect_eq "usage: unknown option exits 2" "$?" 2
"$KMS" stat -i /nonexistent.data >/dev/null 2>"$T/e2"
rc=$?
expect_eq "error: missing recording exits 1 with one line" "$rc:$(wc -l <"$T/e2")" "1:1" "$(cat "$T/e2")"
head -c 1000 "$T/rec.data" >"$T/trunc.data"
"$KMS" stat -j -i "$T/trunc.data" >"$T/trunc.json" 2>"$T/e3"
rc=$?
if [ $rc -eq 1 ] && grep -q 'offset' "$T/e3"; then
	ok "error: truncated recording exits 1 naming the offset"
else
	not_ok "error: truncated recording exits 1 naming the offset" "rc=$rc" "$(cat "$T/e3")"
fi
if ! command -v setpriv >/dev/null; then
	not_ok "error: non-root check needs setpriv (util-linux)"
else
	setpriv --reuid=65534 --regid=65534 --clear-groups "$KMS" stat -d 1 >/dev/null 2>"$T/e4"
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'root' "$T/e4" && [ "$(wc -l <"$T/e4")" -eq 1 ]; then
		ok "error: a non-root user gets one line about root and exit 1"
	else
		not_ok "error: a non-root user gets one line about root and exit 1" "rc=$rc" "$(cat "$T/e4")"
	fi
fi

# import: the same run through tracefs (two instances: the default format and
# options/latency-format) and kmscope record agree on load_msg.
# tracefs as a user mounts it before capturing (the test runs without it).
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
TI=/sys/kernel/tracing/instances/kms-import-$$
TL=/sys/kernel/tracing/instances/kms-import-lat-$$
if mkdir "$TI" 2>/dev/null && mkdir "$TL" 2>/dev/null; then
	echo 1 >"$TL/options/latency-format"
	for i in "$TI" "$TL"; do
		for e in kmalloc kfree kmem_cache_alloc kmem_cache_free; do
			echo 'comm == "kmgen"' >"$i/events/kmem/$e/filter"
			echo 1 >"$i/events/kmem/$e/enable"
		done
	done
	"$KMS" record -q -o "$T/imp-live.data" -- "$KMGEN" msgq 150 64 >/dev/null 2>&1
	for i in "$TI" "$TL"; do
		for e in kmalloc kfree kmem_cache_alloc kmem_cache_free; do echo 0 >"$i/events/kmem/$e/enable"; done
	done
	grep ' kmgen-' "$TI/trace" >"$T/imp.txt"
	grep ' kmgen-' "$TL/trace" >"$T/imp-lat.txt"
	rmdir "$TI" "$TL"
	"$KMS" import -q "$T/imp.txt" -o "$T/imp.data" 2>"$T/imp.err"
	"$KMS" import -q "$T/imp-lat.txt" -o "$T/imp-lat.data" 2>>"$T/imp.err"
	for f in imp-live imp imp-lat; do
		"$KMS" report -j -i "$T/$f.data" 2>/dev/null | python3 -c 'import json, sys
j = json.load(sys.stdin)
print([(x["allocs"], x["frees"], x["bytes_req"], x["bytes_alloc"]) for x in j["sites"] if x["site"] == "load_msg+0x41"],
      [(f["kind"], f["count"], f["bytes"]) for f in j["findings"] if f["site"] == "load_msg+0x41"])' >"$T/$f.site"
	done
	# 150 x 112 bytes in the 128 class: the waste finding, 150 x 16 bytes.
	if [ "$(cat "$T/imp.site")" = "[(150, 150, 16800, 19200)] [('waste-smaller-request', 150, 2400)]" ] &&
	   cmp -s "$T/imp.site" "$T/imp-live.site"; then
		ok "import: ftrace text of a run gives record's load_msg totals and findings"
	else
		not_ok "import: ftrace text of a run gives record's load_msg totals and findings" \
			"import: $(cat "$T/imp.site") record: $(cat "$T/imp-live.site")" "$(cat "$T/imp.err")"
	fi
	expect_eq "import: the latency-format text of the same run gives the same" \
		"$(cat "$T/imp-lat.site")" "$(cat "$T/imp-live.site")" "$(cat "$T/imp.err")"
else
	not_ok "import: cannot create tracefs instances"
	rmdir "$TI" 2>/dev/null
fi

# The command line against the live kernel: -p/--tid, filtered replays, errors.
. "$DIR/cli.sh"

# trace says what it lost, however busy its reader.
. "$DIR/trace-loss.sh"
# top never cuts a name unseen.
. "$DIR/top-names.sh"
# Filters decide before any cache is announced.
. "$DIR/announce.sh"
# Events the kernel keeps from a running program reach the backups, once.
. "$DIR/backup.sh"
# Leaks: no false leak, the burst first and held, ages to the end, the CI gate.
. "$DIR/leaks.sh"
# Merged caches named by all their names.
. "$DIR/aliases.sh"
# Object lifetimes: histograms of known holding times.
. "$DIR/lifetimes.sh"
# The slabs underneath: a cache the test fills grows.
. "$DIR/slabgrowth.sh"

# --pair: the same reports with allocations paired in the kernel.
. "$DIR/pair.sh"

# Per-cgroup attribution in two cgroups made here.
. "$DIR/cgroups.sh"

# kmscope serve: /metrics, /report.json, pprof over HTTP on loopback.
. "$DIR/serve.sh"
# ... scraped by a real Prometheus, and read by go tool pprof.
. "$DIR/prometheus.sh"
# ... and as the installed systemd unit, started by systemd.
. "$DIR/systemd.sh"

tap_summary live
