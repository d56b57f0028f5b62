# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/live/run.sh (uses its KMS, KMGEN, T and helpers).
#
# Per-cgroup attribution (--by cgroup) in two cgroup v2 directories made
# here: a shell runs `kmgen msgq 300 64` in one and, after moving itself,
# `kmgen msgq 200 128` in the other; then one kmgen process allocates in
# both (cgmove: msgq 100 64, moves itself, msgq 100 64 again), which only
# comes out right if a task is announced again after it moved.  Messages
# are accounted to the memory cgroup (msg_msg-* is a SLAB_ACCOUNT cache
# from 6.11, GFP_KERNEL_ACCOUNT before); pathname buffers (names_cache,
# getname) are not.
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ -z "$CG2" ]; then
	not_ok "cgroups: a cgroup2 file system is mounted (systemd mounts one at /sys/fs/cgroup)"
else
	cga=kms-live-$$-a
	cgb=kms-live-$$-b
	mkdir "$CG2/$cga" "$CG2/$cgb"
	"$KMS" stat -q -j -n 0 --by cgroup -o "$T/cg.json" -w "$T/cg.data" -- sh -c "
		echo \$\$ >'$CG2/$cga/cgroup.procs' && '$KMGEN' msgq 300 64 >/dev/null &&
		echo \$\$ >'$CG2/$cgb/cgroup.procs' && '$KMGEN' msgq 200 128 >/dev/null" \
		>/dev/null 2>"$T/cg.err"
	"$KMS" stat -q -j -n 0 --by cgroup -o "$T/cgm.json" -- sh -c "
		echo \$\$ >'$CG2/$cga/cgroup.procs' &&
		exec '$KMGEN' cgmove 100 64 '$CG2/$cgb/cgroup.procs' >/dev/null" \
		>/dev/null 2>>"$T/cg.err"
	# top --by cgroup: the cgroup a busy kmgen runs in is a row, by path.
	sh -c "echo \$\$ >'$CG2/$cga/cgroup.procs' && exec '$KMGEN' spin 4 100 64" >/dev/null 2>&1 &
	spin=$!
	"$KMS" top -b --by cgroup --iterations 2 >"$T/cgtop.txt" 2>>"$T/cg.err"
	wait $spin
	rmdir "$CG2/$cga" "$CG2/$cgb"
	expect_eq "cgroups: top --by cgroup shows the busy cgroup by path, allocating" \
		"$(awk -v cg="/$cga" '$NF == cg && $2 > 1000 { n++ } END { print n + 0 }' "$T/cgtop.txt")" 2 \
		"$(cat "$T/cgtop.txt")"
	# cgroup site allocs bytes_alloc accounted-bytes frees live, per matching site
	cg_sites() {
		python3 - "$1" "$2" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
for g in j["cgroups"]:
    for s in g.get("sites", []):
        if re.match(sys.argv[2], s["site"]):
            print(g["cgroup"], s["site"].split("+")[0], s["allocs"], s["bytes_alloc"],
                  s["accounted"]["bytes_alloc"], s["frees"], s["live"])
PY
	}
	expect_eq "cgroups: load_msg 300 x 128 bytes in a, 200 x 192 in b, all accounted and freed" \
		"$(cg_sites "$T/cg.json" '^load_msg\+' | sort)" \
		"/$cga load_msg 300 38400 38400 300 0
/$cgb load_msg 200 38400 38400 200 0" "$(cat "$T/cg.err")"
	expect_eq "cgroups: pathname buffers (getname) in both cgroups, none accounted" \
		"$(cg_sites "$T/cg.json" '^getname' | awk '$2 ~ /^getname/ && $1 ~ /kms-live/ && $3 > 0 { n[$1]++; a += $5 } END { print length(n), a }')" \
		"2 0"
	expect_eq "cgroups: one process moved between them: 100 messages in each" \
		"$(cg_sites "$T/cgm.json" '^load_msg\+' | sort)" \
		"/$cga load_msg 100 12800 12800 100 0
/$cgb load_msg 100 12800 12800 100 0" "$(cat "$T/cg.err")"
	expect_eq "cgroups: the cgroups add up to the sites (allocs, bytes, live)" \
		"$(json "$T/cg.json" '[sum(g[k] for g in j["cgroups"]) == sum(s[k] for s in j["sites"]) for k in ("allocs", "bytes_alloc", "live_bytes")]')" \
		"[True, True, True]"
	# The recording keeps the ids and paths: the same report without the cgroups.
	"$KMS" stat -q -j -n 0 --by cgroup -i "$T/cg.data" -o "$T/cg2.json" 2>>"$T/cg.err"
	expect_eq "cgroups: replay of the recording gives the same report, paths included" \
		"$(cmp -s "$T/cg.json" "$T/cg2.json" && echo same)" same "$(cat "$T/cg.err")"
	"$KMS" stat -q -n 0 --by cgroup -i "$T/cg.data" >"$T/cg.txt" 2>>"$T/cg.err"
	expect_eq "cgroups: the text report's CGROUP table names both by path" \
		"$(grep -cE "^/kms-live-$$-[ab] +[0-9]+" "$T/cg.txt")" 2 "$(grep -A3 ^CGROUP "$T/cg.txt")"
	# --cgroup on the recording: what the kernel would have kept live.  The
	# cgroup's row in --by cgroup holds its tasks' allocations outside
	# interrupts; the filter keeps those of an interrupt on them too, which
	# its own --by cgroup puts in the (interrupts) row: the rest is the same.
	# Not the frees and live counts: an object whose free no event showed
	# (maple nodes freed by RCU on 6.18) leaves the row once another
	# cgroup's task is given its address, a re-allocation the filter, as
	# the kernel's, does not let through; that task's free of it then
	# counts for this row's site when filtered, for the other row's when
	# not.  The allocations are the filter's own decision.
	cg_row() { # FILE PATH: site allocs bytes_alloc of PATH's row, by site
		python3 - "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for g in j["cgroups"]:
    if g["cgroup"] == sys.argv[2]:
        for s in sorted(g.get("sites", []), key=lambda s: s["site"]):
            print(s["site"], s["allocs"], s["bytes_alloc"])
PY
	}
	for g in a b; do
		arg=/kms-live-$$-$g
		[ $g = b ] && arg=kms-live-$$-b/	# as a path may be typed
		"$KMS" stat -q -j -n 0 --by cgroup --cgroup "$arg" -i "$T/cg.data" \
			-o "$T/cgf-$g.json" 2>>"$T/cg.err"
		expect_eq "cgroups: replay --cgroup $arg keeps exactly that cgroup's row, site by site" \
			"$(cg_row "$T/cgf-$g.json" "/kms-live-$$-$g" | md5sum) $(json "$T/cgf-$g.json" 'sorted(g["cgroup"] for g in j["cgroups"] if g["cgroup"] != "(interrupts)")')" \
			"$(cg_row "$T/cg.json" "/kms-live-$$-$g" | md5sum) ['/kms-live-$$-$g']" \
			"$(cg_row "$T/cgf-$g.json" "/kms-live-$$-$g"; echo ---; cg_row "$T/cg.json" "/kms-live-$$-$g"; cat "$T/cg.err")"
	done
	expect_eq "cgroups: replay --cgroup: load_msg 300 x 128 bytes in a, 200 x 192 in b" \
		"$(site "$T/cgf-a.json" '^load_msg\+' allocs) $(site "$T/cgf-a.json" '^load_msg\+' bytes_alloc) $(site "$T/cgf-b.json" '^load_msg\+' allocs) $(site "$T/cgf-b.json" '^load_msg\+' bytes_alloc)" \
		"300 38400 200 38400"
	expect_eq "cgroups: replay --cgroup: seen = received + filtered + kfree(NULL) + untracked frees + own + lost, and the header names it" \
		"$(json "$T/cgf-a.json" '[j["counters"]["seen"] - j["counters"]["received"] - j["counters"]["filtered"] - j["counters"]["free_null"] - j["counters"]["free_untracked"] - j["counters"]["self"] - j["lost"]["ringbuf"] - j["lost"]["recursion_unseen"], j["counters"]["filtered"] > 0, j["filters"]]')" \
		"[0, True, '--cgroup /kms-live-$$-a']"
	"$KMS" stat -q --cgroup "$CG2/$cga" -i "$T/cg.data" >/dev/null 2>"$T/cgf.err"
	expect_eq "cgroups: replay --cgroup with this machine's mount path: exit 1, one line naming the path to give" \
		"$?:$(wc -l <"$T/cgf.err"):$(grep -c "try --cgroup '/$cga'" "$T/cgf.err")" "1:1:1" "$(cat "$T/cgf.err")"
	"$KMS" stat -q --cgroup /no-such-cgroup -i "$T/cg.data" >/dev/null 2>"$T/cgf.err"
	expect_eq "cgroups: replay --cgroup of no cgroup of the recording: exit 1, one line" \
		"$?:$(wc -l <"$T/cgf.err")" "1:1" "$(cat "$T/cgf.err")"
	cgid=$(awk -v p="/$cga" '$2 == p { print $1 }' <("$KMS" stat -q -j --by cgroup -i "$T/cg.data" | python3 -c 'import json,sys
for g in json.load(sys.stdin)["cgroups"]: print(g.get("id", 0), g["cgroup"])'))
	"$KMS" stat -q -j -n 0 --cgroup "id:$cgid" -i "$T/cg.data" -o "$T/cgf-id.json" 2>"$T/cgf.err"
	expect_eq "cgroups: replay --cgroup id:N keeps what its path keeps" \
		"$(json "$T/cgf-id.json" '[(s["site"], s["allocs"]) for s in j["sites"]]')" \
		"$(json "$T/cgf-a.json" '[(s["site"], s["allocs"]) for s in j["sites"]]')" "$cgid $(cat "$T/cgf.err")"
fi
