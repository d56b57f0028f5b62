#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rcu-in-vm.sh - runs inside a kernel built with CONFIG_RCU_TRACE=y
# (tests/vm/rcu-kernel.sh; tests/vm/rcu-run.sh boots it): kfree_rcu batches
# are freed by kfree_bulk(), which emits no kfree event, and kms_rcu_bulk
# (tp_btf/rcu_invoke_kfree_bulk_callback) turns them into kfree records.
# The workload creates and unlinks files with long names: each dentry's
# external name is kmalloc'ed in __d_alloc() and freed with kfree_rcu()
# and renames them into another directory: a dentry's name longer than
# DNAME_INLINE_LEN is kmalloc'ed in __d_alloc(), and d_move() frees the
# moved dentry's old name with kfree_rcu() (copy_name(), fs/dcache.c).  (An
# unlinked dentry's name is freed by a plain kfree() in an RCU callback.)
# Prints TAP and a `vm-rcu-<release>: ...` line.
set -u
BUILD=${1:?usage: rcu-in-vm.sh BUILD_DIR}
KMS=$BUILD/kmscope
T=/tmp/kms-rcu
N=${KMS_RCU_FILES:-1500}
mkdir -p $T
rel=$(uname -r)
. "$(dirname "$0")/../lib/tap.sh"
TAP_PREFIX="$rel: "
# kv FILE KEY: KEY=value line of a recording's META/COUNTERS text sections.
kv() { strings "$1" | sed -n "s/^$2=\([0-9]*\)$/\1/p" | tail -1; }
# dnames FILE: "allocs frees" of the __d_alloc call site that kmallocs the
# external names: __d_alloc has two sites (the dentry from dentry_cache, freed
# by call_rcu + kmem_cache_free, and the name); the name is the one whose mean
# request is 16 + 1 + ~100 bytes (struct external_name), the dentry's is 192+.
d_rows() {
	tr '{' '\n' <"$1" | grep '"site":"__d_alloc+' |
		sed -n 's/.*"site":"\([^"]*\)".*"allocs":\([0-9]*\),"frees":\([0-9]*\),"failed":[0-9]*,"bytes_req":\([0-9]*\).*/\1 \2 \3 \4/p'
}
dnames() { d_rows "$1" | awk '$2 > 0 && $4 / $2 > 100 && $4 / $2 < 140 { print $2, $3; exit }'; }

# The workload: N files with ~100-character names, renamed by one mv into
# another directory (N kfree_rcu() of the old names), unlinked, then a wait
# longer than KFREE_DRAIN_JIFFIES (5 s) plus a grace period so the batches
# are drained while kmscope still runs.  $1: where to write `bpftool prog show`.
cat >$T/work.sh <<'EOF'
#!/bin/bash
[ -n "${1:-}" ] && bpftool prog show >"$1" 2>&1
d=$(mktemp -d /tmp/kms-rcu/w.XXXXXX)
p=$(printf 'x%.0s' $(seq 96))
mkdir "$d/a" "$d/b"
for i in $(seq "$N"); do : >"$d/a/$p$i"; done
mv "$d"/a/* "$d/b/"
rm -rf "$d"
sleep "${KMS_RCU_WAIT:-8}"
EOF
chmod +x $T/work.sh
export N

# 0. The kernel has what this test is about.
has_btf=$(bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null |
	grep -c "'btf_trace_rcu_invoke_kfree_bulk_callback'")
expect_eq "BTF has btf_trace_rcu_invoke_kfree_bulk_callback" "$has_btf" 1
ev=/sys/kernel/tracing/events/rcu/rcu_invoke_kfree_bulk_callback
if [ -d $ev ]; then ok "tracefs has rcu:rcu_invoke_kfree_bulk_callback"; else not_ok "tracefs has rcu:rcu_invoke_kfree_bulk_callback"; fi

# 1. The workload makes the tracepoint fire (ftrace, no BPF involved).
if [ -d $ev ]; then
	echo >/sys/kernel/tracing/trace
	echo 1 >$ev/enable
	KMS_RCU_WAIT=8 $T/work.sh
	echo 0 >$ev/enable
	grep rcu_invoke_kfree_bulk_callback /sys/kernel/tracing/trace >$T/ftrace
	fires=$(wc -l <$T/ftrace)
	recs=$(sed -n 's/.*nr_records=\([0-9]*\).*/\1/p' $T/ftrace | awk '{s += $1} END {print s + 0}')
	echo "# ftrace: $fires rcu_invoke_kfree_bulk_callback events, $recs records; first: $(head -1 $T/ftrace | sed 's/^ *//')"
	if [ "$fires" -gt 0 ]; then ok "ftrace: the workload fires rcu_invoke_kfree_bulk_callback ($fires batches, $recs pointers)"
	else not_ok "ftrace: the workload fires rcu_invoke_kfree_bulk_callback"; fi
fi

# 2. kmscope (tp_btf): kms_rcu_bulk is loaded and counts; nothing unaccounted.
"$KMS" -v stat -j -w $T/rec -o $T/s.json -n 0 -- $T/work.sh $T/progs 2>$T/err
rc=$?
expect_eq "stat -j (tp_btf) exits 0" "$rc" 0 "$(cat $T/err)"
sed 's/^/# stderr: /' $T/err
if grep -q 'kms_rcu_bulk' $T/progs; then ok "bpftool prog show lists kms_rcu_bulk while tracing"
else not_ok "bpftool prog show lists kms_rcu_bulk while tracing" "$(grep -c . $T/progs) lines, no kms_rcu_bulk"; fi
grep -A1 'kms_rcu_bulk' $T/progs | sed 's/^/# /'
expect_eq "recording: rcu_bulk_traced=1" "$(kv $T/rec rcu_bulk_traced)" 1
seen_rcu=$(kv $T/rec seen_rcu_free)
echo "# recording COUNTERS: $(strings $T/rec | grep -E '^(seen_[a-z_]*|free_untracked|filtered|self|ringbuf_lost)=' | tr '\n' ' ')"
if [ "${seen_rcu:-0}" -gt 0 ]; then ok "recording: seen_rcu_free=$seen_rcu > 0"
else not_ok "recording: seen_rcu_free > 0" "got '${seen_rcu:-none}'"; fi
"$KMS" stat -i $T/rec -n 5 >$T/s.txt 2>&1
expect_eq "stat -i recording exits 0" "$?" 0 "$(head -5 $T/s.txt)"
hdr=$(grep '^kernel:' $T/s.txt)
echo "# $hdr"
if [ -n "$hdr" ] && ! echo "$hdr" | grep -q unaccounted; then ok "stat -i: nothing unaccounted"
else not_ok "stat -i: nothing unaccounted" "$hdr"; fi
echo "# json counters: $(grep -o '"counters":{[^}]*}' $T/s.json) $(grep -o '"lost":{[^}]*}' $T/s.json)"
d_rows $T/s.json | sed 's/^/# __d_alloc site (site allocs frees bytes_req): /'
set -- $(dnames $T/s.json); a=${1:-} f=${2:-}
echo "# __d_alloc (dentry external names, freed by kfree_rcu): allocs ${a:-none} frees ${f:-none}"
# At least 2N names: N created in a/ (freed by kfree_rcu on rename), N looked
# up in b/ (moved with the dentry, kfree'd on unlink).  All of them are freed.
# A kfree_rcu that finds no free page frees through kvfree() from the RCU
# softirq; when that lands on top of a running kmscope program it is a
# recursion miss, counted in lost.recursion.  So: every free is seen or counted.
rec=$(grep -o '"recursion":[0-9]*' $T/s.json | cut -d: -f2)
if [ "${a:-0}" -ge $((2 * N)) ] && [ "${f:-0}" -le "$a" ] && [ $((a - f)) -le "${rec:-0}" ]; then
	ok "tp_btf: __d_alloc names: allocs $a, frees $f, missing $((a - f)) <= recursion misses ${rec:-0}"
else not_ok "tp_btf: __d_alloc names: allocs >= $((2 * N)), allocs - frees <= recursion misses" \
	"allocs '${a:-none}' frees '${f:-none}' recursion '${rec:-none}'"; fi

# 3. The same without kms_rcu_bulk (--classic never loads it), for comparison
# only: kfree_rcu() uses the bulk path only when a cached page is at hand and
# falls back to a list of rcu_heads freed with kvfree() (which has a kfree
# event), so how many frees go missing varies.
"$KMS" stat -q -j --classic -o $T/c.json -n 0 -- $T/work.sh 2>$T/err
expect_eq "stat -j --classic exits 0" "$?" 0 "$(cat $T/err)"
d_rows $T/c.json | sed 's/^/# --classic __d_alloc site (site allocs frees bytes_req): /'
set -- $(dnames $T/c.json); ca=${1:-} cf=${2:-}
echo "# --classic __d_alloc: allocs ${ca:-none} frees ${cf:-none}"
echo "# --classic (no kms_rcu_bulk): __d_alloc names allocs ${ca:-none} frees ${cf:-none}, $(( ${ca:-0} - ${cf:-0} )) frees not seen"

tap_summary "vm-rcu-$rel"
