# SPDX-License-Identifier: GPL-2.0
# plant-in-vm.sh - sourced by in-vm.sh inside a guest (it uses its ok,
# not_ok, expect_eq and skip from tests/lib/tap.sh, $KMS, $T and $rel):
# bugs planted in a real kernel module, tests/vm/plant/kms_plant.c, built
# on the host against Debian's linux-headers of exactly this kernel (run.sh
# passes it as $KMS_PLANT_KO).
#
# `kmscope report all -j -n 0` traces the whole system; once it says it is
# tracing, the module is loaded (as a user's driver would be), the trace
# is ended with SIGINT while the module is still loaded, then it is
# unloaded.  The module prints, per site, what the kernel itself said of
# the context of its allocations (kms_plant: <site> hardirq=... in_*=...);
# every site is asserted exactly against those lines: its findings (kind,
# count, context, flags, sizes), its in_* counts, and its name
# (function+0xoff [kms_plant], the offset from /proc/kallsyms).  See
# docs/testing.md, "Planted bugs".

# plant_main [KMSCOPE_OPTION]: one pass; --no-preempt-count is the context of
# kernels without data symbols in kallsyms (irq, softirq and hrtimer
# tracepoints): preempt-off and BH-off are not seen there, everything else is.
plant_main() {
	local ko=${KMS_PLANT_KO:-}
	opt=${1:-}
	pl=plant${opt:+ $opt}
	if [ -n "${KMS_PLANT_SKIP:-}" ]; then
		skip "plant: planted-bug module" "$KMS_PLANT_SKIP"
		return
	fi
	if [ -z "$ko" ] || [ ! -f "$ko" ]; then
		not_ok "$pl: kms_plant.ko built for this kernel" \
			"no module (KMS_PLANT_KO='$ko'): tests/vm/plant/build.sh failed on the host?"
		return
	fi
	dmesg -c >/dev/null 2>&1
	rm -f $T/plant.json $T/plant.err
	"$KMS" report all -j -n 0 $opt -o $T/plant.json </dev/null >/dev/null 2>$T/plant.err &
	local kpid=$! i
	for i in $(seq 1 600); do
		grep -q '^kmscope: tracing' $T/plant.err 2>/dev/null && break
		kill -0 $kpid 2>/dev/null || break
		sleep 0.2
	done
	if ! grep -q '^kmscope: tracing' $T/plant.err; then
		kill -INT $kpid 2>/dev/null
		wait $kpid
		not_ok "$pl: kmscope report all traces the whole system" "$(cat $T/plant.err)"
		return
	fi
	ok "$pl: kmscope report all traces the whole system ($(grep -o 'context: [^;]*' $T/plant.err | head -1))"
	insmod "$ko" 2>$T/plant.insmod
	local irc=$?
	expect_eq "$pl: insmod kms_plant.ko after the trace started" "$irc" 0 "$(cat $T/plant.insmod)" "$(dmesg | tail -5)"
	grep '[[:space:]]\[kms_plant\]$' /proc/kallsyms >$T/plant.kallsyms
	plant_grow_sysfs >$T/plant.grow
	sleep 1
	kill -INT $kpid
	wait $kpid
	expect_eq "$pl: kmscope ends on SIGINT with the module loaded, exit 0" "$?" 0 "$(tail -5 $T/plant.err)"
	dmesg >$T/plant.dmesg
	rmmod kms_plant 2>$T/plant.rmmod
	expect_eq "$pl: rmmod kms_plant" "$?" 0 "$(cat $T/plant.rmmod)"
	[ "$irc" = 0 ] && plant_check
	# For run-in-vm.sh -x DIR: the report, dmesg and kallsyms come back.
	[ -d /export ] && cp $T/plant.* /export/ 2>/dev/null
	return 0
}

# The kernel's own numbers of the module's kms_plant_grow cache, as
# "objs_per_slab=N order=N slabs=N objects=N" (the first field of each
# /sys/kernel/slab attribute; slabs and objects need CONFIG_SLUB_DEBUG).
plant_grow_sysfs() {
	local a v
	for a in objs_per_slab order slabs objects total_objects; do
		read -r v _ </sys/kernel/slab/kms_plant_grow/$a 2>/dev/null
		printf '%s=%s ' $a "${v:-?}"
	done
	echo
}

# The module's own line for SITE: "hardirq=1 softirq=0 ... in_nofs=0".
plant_dmesg() {
	sed -n "s/.*kms_plant: $1 \(hardirq=.*\)/\1/p" $T/plant.dmesg | head -1
}
# dval LINE KEY: KEY=VALUE of a dmesg line.
dval() {
	[[ " $1 " =~ \ $2=([^ ]*)\  ]] && echo "${BASH_REMATCH[1]}"
}
# jval LINE KEY: "KEY":VALUE (string or number) of one JSON object line.
jval() {
	if [[ $1 =~ \"$2\":\"([^\"]*)\" ]] || [[ $1 =~ \"$2\":([-0-9.]+) ]]; then
		echo "${BASH_REMATCH[1]}"
	fi
}
hex16() {
	printf '%016x' "$((16#${1#0x}))"
}

# Split the report into one line per JSON object; keep the sites and the
# findings whose address lies in the module's text, tagged with the
# function that holds it.
plant_split() {
	tr '{' '\n' <$T/plant.json >$T/plant.objs
	# Function starts, sorted; a call site belongs to the last start <= it.
	awk '$2 ~ /^[tT]$/ && $3 !~ /^__pfx_/ { print $1, $3 }' $T/plant.kallsyms | sort >$T/plant.funcs
	: >$T/plant.mine
	# Kernel text is 0xffffffff8/9...; modules live above it.  (No /dev/fd
	# in the guest: no process substitution.)
	grep '"addr":"0xffffffff' $T/plant.objs | grep -v '"addr":"0xffffffff[89]' >$T/plant.cand
	local line a f s best bests
	while IFS= read -r line; do
		[[ $line =~ \"addr\":\"0x([0-9a-f]+)\" ]] || continue
		a=$(hex16 "${BASH_REMATCH[1]}")
		best="" bests=""
		while read -r s f; do
			[[ $s > $a ]] && break
			best=$f bests=$s
		done <$T/plant.funcs
		[ -n "$best" ] || continue
		# Past the last function's end is not ours: module text is small.
		[ $((16#$a - 16#$bests)) -lt 4096 ] || continue
		printf '%s %x\t%s\n' "$best" $((16#$a - 16#$bests)) "$line" >>$T/plant.mine
	done <$T/plant.cand
}

# The sites[] row (or the findings) of FUNC: lines "FUNC OFF<TAB>json".
prow() { grep "^$1 [0-9a-f]*	" $T/plant.mine | grep -v '"kind":' | grep -v '"orders":' ; }
pfind() { grep "^$1 [0-9a-f]*	" $T/plant.mine | grep '"kind":' ; }

# unseen CONTEXT: prints 0 and succeeds when this pass cannot see CONTEXT.
unseen() {
	[ "$opt" = --no-preempt-count ] || return 1
	case $1 in preempt_off|bh_off) echo 0 ;; *) return 1 ;; esac
}

# The context string kmscope must print for the sleeping allocations of a
# site, from the module's in_* counts (order of docs/report.md).
ctx_of() {
	local d=$1 out="" c k
	for c in hardirq softirq preempt_off bh_off rcu; do
		k=$(unseen $c || dval "$d" in_$c)
		[ "${k:-0}" -gt 0 ] && out="$out${out:+,}${c/_/-}"
	done
	echo "${out:-task}"
}

# plant_site FUNC EXPECTED_KINDS: name, counts, contexts and the set of
# finding kinds (space-separated, sorted; "" for none) of one site.
plant_site() {
	local fn=$1 want=$2 d row rows calls null allocs name off got c want_c
	d=$(plant_dmesg "$fn")
	calls=$(dval "$d" n) null=$(dval "$d" null)
	rows=$(prow "$fn" | wc -l)
	if [ "$fn" = plant_kvmalloc ]; then
		expect_eq "$pl: $fn: no call site of its own (kvmalloc's kmalloc is kvmalloc's)" "$rows" 0 "$(prow "$fn")"
	else
		expect_eq "$pl: $fn: one call site traced" "$rows" 1 "$(prow "$fn")"
	fi
	row=$(prow "$fn" | head -1)
	if [ -n "$row" ]; then
		off=$(echo "$row" | cut -f1 | cut -d' ' -f2)
		name=$(jval "$row" site)
		expect_eq "$pl: $fn: call site named $fn+0x$off [kms_plant]" "$name" "$fn+0x$off [kms_plant]"
		allocs=$((calls - null))
		got="$(jval "$row" allocs)/$(jval "$row" failed)"
		for c in hardirq softirq preempt_off bh_off rcu nofs; do
			got="$got/$(jval "$row" in_$c)"
		done
		want_c="$allocs/$null"
		for c in hardirq softirq preempt_off bh_off rcu nofs; do
			want_c="$want_c/$(unseen $c || dval "$d" in_$c)"
		done
		expect_eq "$pl: $fn: allocs/failed/in_hardirq/softirq/preempt_off/bh_off/rcu/nofs as the module counted" \
			"$got" "$want_c" "module: $d"
	fi
	got=$(pfind "$fn" | while IFS= read -r l; do jval "$l" kind; done | sort | tr '\n' ' ')
	got=${got% }
	expect_eq "$pl: $fn: findings [${want:-none}]" "$got" "$want"
}

# plant_finding FUNC KIND FIELD=VALUE...: fields of the one KIND finding.
plant_finding() {
	local fn=$1 kind=$2 l f got="" want=""
	shift 2
	l=$(pfind "$fn" | grep "\"kind\":\"$kind\"" | head -1)
	for f in "$@"; do
		got="$got${got:+ }${f%%=*}=$(jval "$l" "${f%%=*}")"
		want="$want${want:+ }$f"
	done
	expect_eq "$pl: $fn: $kind $want" "$got" "$want"
}

plant_check() {
	local cfg nr d rcu_case rcu_kinds f
	cfg=$(grep -o 'kms_plant: config .*' $T/plant.dmesg | head -1)
	nr=$(dval "$cfg" nr)
	expect_eq "$pl: the module ran (config line in dmesg)" "${nr:+yes}" yes "$(cat $T/plant.dmesg | tail -5)"
	[ -n "$nr" ] || return
	grep 'kms_plant: ' $T/plant.dmesg | sed 's/^/# /'

	# rcu_read_lock(): which case this kernel is.
	if [ "$(dval "$cfg" PREEMPT_RCU)" = 1 ]; then
		rcu_case=rcu
		echo "# $rel: CONFIG_PREEMPT_RCU=y: rcu_read_lock() counts in current->rcu_read_lock_nesting, the preempt count stays 0: expect context rcu"
	elif [ "$(dval "$cfg" PREEMPT_COUNT)" = 1 ]; then
		rcu_case=preempt-off
		echo "# $rel: no PREEMPT_RCU, PREEMPT_COUNT=y: rcu_read_lock() is preempt_disable(): expect context preempt-off"
	else
		rcu_case=none
		echo "# $rel: neither PREEMPT_RCU nor PREEMPT_COUNT: rcu_read_lock() leaves no trace a tracepoint can read: expect no finding"
	fi

	# What the kernel said of each context (the module's own lines).
	d=$(plant_dmesg plant_hardirq_kernel)
	expect_eq "$pl: dmesg: plant_hardirq_kernel in hard irq, irqs off, n=$nr" \
		"$(dval "$d" hardirq)/$(dval "$d" softirq)/$(dval "$d" irqs_disabled)/$(dval "$d" in_hardirq)/$(dval "$d" n)" "1/0/1/$nr/$nr" "$d"
	d=$(plant_dmesg plant_hardirq_atomic)
	expect_eq "$pl: dmesg: plant_hardirq_atomic in hard irq, irqs off, n=$nr" \
		"$(dval "$d" hardirq)/$(dval "$d" softirq)/$(dval "$d" irqs_disabled)/$(dval "$d" in_hardirq)/$(dval "$d" n)" "1/0/1/$nr/$nr" "$d"
	d=$(plant_dmesg plant_softirq_kernel)
	expect_eq "$pl: dmesg: plant_softirq_kernel serving a softirq, n=$nr" \
		"$(dval "$d" hardirq)/$(dval "$d" softirq)/$(dval "$d" in_softirq)/$(dval "$d" n)" "0/1/$nr/$nr" "$d"
	d=$(plant_dmesg plant_spinlock_kernel)
	expect_eq "$pl: dmesg: plant_spinlock_kernel in task context with preempt_count 0x1, n=$nr" \
		"$(dval "$d" hardirq)/$(dval "$d" softirq)/$(dval "$d" preempt_count)/$(dval "$d" in_preempt_off)/$(dval "$d" n)" "0/0/0x1/$nr/$nr" "$d"
	d=$(plant_dmesg plant_rcu_kernel)
	case $rcu_case in
	rcu) expect_eq "$pl: dmesg: plant_rcu_kernel with rcu_read_lock nesting 1, preempt_count 0, n=$nr" \
		"$(dval "$d" hardirq)/$(dval "$d" softirq)/$(dval "$d" rcu_depth)/$(dval "$d" preempt_count)/$(dval "$d" in_rcu)/$(dval "$d" n)" "0/0/1/0x0/$nr/$nr" "$d"
		rcu_kinds=gfp-sleep-in-atomic ;;
	preempt-off) expect_eq "$pl: dmesg: plant_rcu_kernel with preempt_count 0x1, n=$nr" \
		"$(dval "$d" hardirq)/$(dval "$d" softirq)/$(dval "$d" preempt_count)/$(dval "$d" in_preempt_off)/$(dval "$d" n)" "0/0/0x1/$nr/$nr" "$d"
		rcu_kinds=gfp-sleep-in-atomic ;;
	none) expect_eq "$pl: dmesg: plant_rcu_kernel with nothing to see, n=$nr" \
		"$(dval "$d" preempt_count)/$(dval "$d" rcu_depth)/$(dval "$d" n)" "0x0/0/$nr" "$d"
		rcu_kinds="" ;;
	esac
	for f in plant_process_kernel plant_leak plant_atomic_large plant_kvmalloc; do
		d=$(plant_dmesg $f)
		expect_eq "$pl: dmesg: $f in plain task context, n=$nr" \
			"$(dval "$d" hardirq)/$(dval "$d" softirq)/$(dval "$d" preempt_count)/$(dval "$d" irqs_disabled)/$(dval "$d" rcu_depth)/$(dval "$d" null)/$(dval "$d" n)" "0/0/0x0/0/0/0/$nr" "$d"
	done
	d=$(plant_dmesg plant_nofs_in_scope)
	expect_eq "$pl: dmesg: plant_nofs_in_scope inside memalloc_nofs_save(), n=$nr" \
		"$(dval "$d" preempt_count)/$(dval "$d" nofs)/$(dval "$d" in_nofs)/$(dval "$d" n)" "0x0/1/$nr/$nr" "$d"
	d=$(plant_dmesg plant_failure)
	expect_eq "$pl: dmesg: plant_failure returned NULL every time" "$(dval "$d" null)/$(dval "$d" n)" "$nr/$nr" "$d"

	plant_split
	echo "# $rel: $(wc -l <$T/plant.mine) sites and findings of kms_plant in the report"

	# The bugs: once per site, with count, context and flags.
	plant_site plant_hardirq_kernel gfp-sleep-in-atomic
	plant_finding plant_hardirq_kernel gfp-sleep-in-atomic count=$nr \
		context="$(ctx_of "$(plant_dmesg plant_hardirq_kernel)")" gfp=GFP_KERNEL req_max=64
	plant_site plant_softirq_kernel gfp-sleep-in-atomic
	plant_finding plant_softirq_kernel gfp-sleep-in-atomic count=$nr \
		context="$(ctx_of "$(plant_dmesg plant_softirq_kernel)")" gfp=GFP_KERNEL req_max=64
	if [ -n "$opt" ]; then
		# Without the preempt count a spinlock cannot be seen: a miss, never a false finding.
		plant_site plant_spinlock_kernel ""
		[ "$rcu_case" = preempt-off ] && rcu_case=none rcu_kinds=""
	else
		plant_site plant_spinlock_kernel gfp-sleep-in-atomic
		plant_finding plant_spinlock_kernel gfp-sleep-in-atomic count=$nr context=preempt-off gfp=GFP_KERNEL
	fi
	plant_site plant_rcu_kernel "$rcu_kinds"
	[ -n "$rcu_kinds" ] && plant_finding plant_rcu_kernel gfp-sleep-in-atomic count=$nr context=$rcu_case gfp=GFP_KERNEL
	plant_site plant_nofs_in_scope gfp-nofs-in-scope
	plant_finding plant_nofs_in_scope gfp-nofs-in-scope count=$nr context=nofs gfp=GFP_NOFS
	plant_site plant_failure failure
	plant_finding plant_failure failure count=$nr req_min=8388608 req_max=8388608 gfp="GFP_KERNEL|__GFP_NOWARN"
	plant_site plant_leak leak
	plant_finding plant_leak leak count=$nr bytes=$((nr * 256)) req_min=200 req_max=200 cache=kmalloc-256
	local l
	l=$(prow plant_leak | head -1)
	expect_eq "$pl: plant_leak: live $nr, waste $nr * (256 - 200)" \
		"live=$(jval "$l" live) waste=$(jval "$l" waste) live_bytes=$(jval "$l" live_bytes) live_bytes_req=$(jval "$l" live_bytes_req)" \
		"live=$nr waste=$((nr * 56)) live_bytes=$((nr * 256)) live_bytes_req=$((nr * 200))"
	# GFP_ATOMIC in module init, where sleeping is allowed: the info
	# finding gfp-atomic-possibly-unnecessary is right there too.
	if [ -n "$opt" ]; then
		# Where sleeping was allowed is not known without the preempt count.
		plant_site plant_atomic_large gfp-atomic-large
	else
		plant_site plant_atomic_large "gfp-atomic-large gfp-atomic-possibly-unnecessary"
	fi
	plant_finding plant_atomic_large gfp-atomic-large count=$nr bytes=$((nr * 32768)) bytes_alloc=32768 gfp=GFP_ATOMIC

	plant_grow_check

	# The correct controls: no finding at all.
	plant_site plant_hardirq_atomic ""
	plant_site plant_process_kernel ""
	plant_site plant_kvmalloc ""
	# kvmalloc()'s own kmalloc attempt is attributed to kvmalloc itself
	# (kvmalloc_node on 6.1, __kvmalloc_node_noprof and, for 6.11+'s inner
	# large-kmalloc event, __kmalloc_node_noprof on 6.12): none of its
	# sites may be told to use kvmalloc() or not to be atomic.
	local kv='(kvmalloc_node|__kvmalloc_node_noprof|__kmalloc_node_noprof|__kmalloc_large_node_noprof)\+'
	local kvallocs
	kvallocs=$(grep -E "^\"site\":\"$kv" $T/plant.objs | grep -v '"kind":' |
		while IFS= read -r l; do jval "$l" allocs; done | awk '{ s += $1 } END { print s + 0 }')
	if [ "$kvallocs" -ge "$nr" ]; then ok "$pl: kvmalloc's kmalloc attempts traced at kvmalloc's own sites ($kvallocs >= $nr)"
	else not_ok "$pl: kvmalloc's kmalloc attempts traced at kvmalloc's own sites" "got $kvallocs, want >= $nr" \
		"$(grep -oE "\"site\":\"$kv[^\"]*\"[^}]*\"allocs\":[0-9]*" $T/plant.objs | head -5)"; fi
	expect_eq "$pl: no kvmalloc or gfp-atomic-large finding at kvmalloc's own sites" \
		"$(grep '"kind":"\(kvmalloc\|gfp-atomic-large\|gfp-atomic-possibly-unnecessary\)"' $T/plant.objs | grep -cE "\"site\":\"$kv")" 0 \
		"$(grep '"kind":"\(kvmalloc\|gfp-atomic-large\|gfp-atomic-possibly-unnecessary\)"' $T/plant.objs | grep -E "\"site\":\"$kv" | grep -oE '"kind":"[^"]*","severity":"[^"]*","site":"[^"]*"' | head -5)"
	# No raw address anywhere for a module symbol: every kms_plant row is named.
	expect_eq "$pl: no kms_plant call site printed as a raw address" \
		"$(cut -f2 $T/plant.mine | grep -c '"site":"0x')" 0
}

# The pages underneath: kms_plant_grow, a cache the module makes during
# the trace (a constructor: never merged) and fills with 500 objects from
# one CPU.  Its SLAB GROWTH row has no start and, at the end, exactly
# ceil(500 / objs_per_slab) slabs of 2^order pages, the objects the kernel
# counts (free slots of the CPU's slab count as in use), all as sysfs
# says just before the trace ended; its cache row has the 500 allocations,
# all live.  Kept until rmmod: a leak, as plant_leak's.
plant_grow_check() {
	local g ops ord slabs row ps got want
	g=$(cat $T/plant.grow)
	ops=$(dval "$g" objs_per_slab) ord=$(dval "$g" order)
	ps=4096		# the guests are x86-64 (no getconf there)
	plant_site plant_grow leak
	if ! [[ $ops =~ ^[0-9]+$ && $ord =~ ^[0-9]+$ ]]; then
		not_ok "$pl: kms_plant_grow's geometry in /sys/kernel/slab" "$g"
		return
	fi
	slabs=$(( (500 + ops - 1) / ops ))
	expect_eq "$pl: sysfs: kms_plant_grow filled from one CPU has ceil(500 / $ops) slabs" \
		"$(dval "$g" slabs)" "$slabs" "$g"
	row=$(grep -o '"cache":"kms_plant_grow","names":[0-9]*,"order":[0-9]*,"slab_bytes_change":[-0-9]*,"start":null,"end":{[^}]*}' $T/plant.json)
	got="names=$(jval "$row" names) order=$(jval "$row" order) change=$(jval "$row" slab_bytes_change)"
	got="$got slabs=$(jval "$row" slabs) pages=$(jval "$row" pages) objects=$(jval "$row" objects) total=$(jval "$row" total_objects)"
	want="names=1 order=$ord change=$((slabs * (ps << ord))) slabs=$slabs pages=$((slabs << ord))"
	want="$want objects=$(dval "$g" objects) total=$((slabs * ops))"
	expect_eq "$pl: SLAB GROWTH: kms_plant_grow new, $slabs slabs of order $ord, the kernel's objects" \
		"$got" "$want" "sysfs: $g" "$(grep -o '"slab_growth":.\{0,400\}' $T/plant.json)"
	row=$(grep -o '"cache":"kms_plant_grow","aliases":\[\][^{]*' $T/plant.json)
	expect_eq "$pl: cache kms_plant_grow: 500 allocations, all live, object size 192" \
		"allocs=$(jval "$row" allocs) frees=$(jval "$row" frees) live=$(jval "$row" live) object_size=$(jval "$row" object_size)" \
		"allocs=500 frees=0 live=500 object_size=192" "$row"
}

plant_main
plant_main --no-preempt-count
