#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - replay tests: committed recordings in, expected text and JSON
# out, compared byte for byte (`diff -u expected actual`).
#
#   tests/replay/run.sh BUILD_DIR          (part of `make check`)
#   UPDATE=1 tests/replay/run.sh BUILD_DIR rewrite the expected files
#
# edge.data, truncated.data and findings.data are synthetic (mkrec.c writes them; this
# script checks the committed copies are exactly what it writes);
# msgq-6.18.data was recorded on a 6.18 kernel with
#   kmscope record -o msgq-6.18.data -- kmgen msgq 20 64
# cgroups-6.18.data was recorded on a 6.18 kernel (hybrid cgroups: cgroup2 at
# /sys/fs/cgroup/unified) with, in two cgroup directories made for it,
#   kmscope record -o cgroups-6.18.data -- sh -c 'echo $$ >.../kms-replay-a/cgroup.procs &&
#       kmgen msgq 30 64 && echo $$ >.../kms-replay-b/cgroup.procs && kmgen msgq 20 128'
# check-6.18.data and expected/check-6.18.live.txt come from one live run of
#   kmscope check -o expected/check-6.18.live.txt -w check-6.18.data \
#       -- sh -c 'kmgen piperesize 20 1048576 && kmgen msgq 50 64'
set -u
export LC_ALL=C

BUILD=${1:?usage: run.sh BUILD_DIR}
KMS=$BUILD/kmscope
DIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/kms-replay.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$DIR/../lib/tap.sh"

# check NAME EXPECTED_RC EXPECTED_FILE CMD...: stdout+exit code must match.
check() {
	local name=$1 want_rc=$2 exp=$DIR/expected/$3 rc
	shift 3
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$T/out" "$exp"
	fi
	if [ $rc -ne "$want_rc" ]; then
		not_ok "$name" "exit $rc, want $want_rc" "$(head -3 "$T/err")"
	elif ! diff -u "$exp" "$T/out" >"$T/diff"; then
		not_ok "$name" "$(head -20 "$T/diff")"
	else
		ok "$name"
	fi
}

mkdir -p "$DIR/expected"

# The synthetic recordings are exactly what mkrec writes today.
for f in edge truncated findings negatives leaks; do
	"$BUILD/tests/replay/mkrec" $f "$T/$f.data"
	[ "${UPDATE:-0}" = 1 ] && cp "$T/$f.data" "$DIR/$f.data"
	if cmp -s "$T/$f.data" "$DIR/$f.data"; then
		ok "$f.data is byte-identical to what mkrec writes"
	else
		not_ok "$f.data is byte-identical to what mkrec writes" "the record format changed?"
	fi
done

# Correct kernel code beside the GFP rules (mkrec negatives): kvmalloc's own
# attempt on 6.1 and 6.18, a GFP_ATOMIC helper shared with hardirq, GFP_NOWAIT
# small and large, __GFP_NOWARN failures, a failed 6.11+ double event,
# __GFP_NOFAIL on small objects, GFP_NOFS outside a scope, __GFP_ACCOUNT with
# __GFP_RECLAIMABLE; only the positives fire.
"$KMS" report -j -n 0 -i "$DIR/negatives.data" >"$T/neg.json" 2>"$T/neg.err"
expect_eq "negatives: report exits 0" "$?" 0 "$(cat "$T/neg.err")"
expect_eq "negatives: exactly the planted positives, each with the flags it judged" \
	"$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
for f in j["findings"]:
    print(f["kind"], f["severity"], f["site"], f["count"], f["context"], f["gfp"], f.get("gfp_all", "-"))' "$T/neg.json")" \
	"gfp-sleep-in-atomic bug irq_mixed+0x10 4 hardirq GFP_KERNEL GFP_KERNEL|__GFP_ZERO
gfp-atomic-large warning atomic_big+0x10 4 task GFP_ATOMIC -
failure warning big_caller+0x10 1 task GFP_KERNEL -
gfp-atomic-possibly-unnecessary info atomic_big+0x10 4 task GFP_ATOMIC -
failure info try_big+0x10 3 task GFP_KERNEL|__GFP_NOWARN -"
expect_eq "negatives: the 6.11+ double failure is one failure, the caller's" \
	"$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print([(s["site"], s["failed"]) for s in j["sites"] if s["failed"]])' "$T/neg.json")" \
	"[('try_big+0x10', 3), ('big_caller+0x10', 1)]"

check "edge: stat text" 0 edge.stat.txt "$KMS" stat -n 0 -i "$DIR/edge.data"
check "edge: stat JSON" 0 edge.stat.json "$KMS" stat -j -n 0 -i "$DIR/edge.data"
check "edge: stat sorted by waste, top 2" 0 edge.stat-waste.txt \
	"$KMS" stat -s waste -n 2 -i "$DIR/edge.data"
check "edge: trace" 0 edge.trace.txt "$KMS" trace -i "$DIR/edge.data"
check "edge: trace JSON lines" 0 edge.trace.json "$KMS" trace -j -i "$DIR/edge.data"
check "findings: report (one site per rule)" 0 findings.report.txt \
	"$KMS" report -n 0 -i "$DIR/findings.data"
check "findings: report JSON" 0 findings.report.json "$KMS" report -j -n 0 -i "$DIR/findings.data"
check "check-6.18: report waste, the size classes and each cache's memory bill" 0 \
	check-6.18.waste.txt "$KMS" report waste -n 0 -i "$DIR/check-6.18.data"
check "check-6.18: report waste JSON" 0 check-6.18.waste.json "$KMS" report waste -j -n 0 \
	-i "$DIR/check-6.18.data"
# kmgen piperesize 20 1048576: 20 pipe rings of 256 x 40-byte pipe_buffers
# (10240 B) from the page allocator, order 2 (16 KiB), 6144 B rounding each;
# the 6.18 double event counts once, at the caller.
expect_eq "check-6.18: large kmallocs: pipe_resize_ring 20 x 10240 B in order-2 blocks, 120 KiB rounding" \
	"$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
print([(r["site"].split("+")[0], r["allocs"], r["orders"], r["bytes_req"], r["bytes_alloc"], r["rounding"]) for r in j["large_kmallocs"]])' "$DIR/expected/check-6.18.waste.json")" \
	"[('pipe_resize_ring', 20, [2], 204800, 327680, 122880)]"
check "findings: report leaks only, --min-age 1000" 0 findings.leaks.txt \
	"$KMS" report leaks --min-age 1000 -i "$DIR/findings.data"
# The leak table's order and growth classes (mkrec leaks): a burst kept to the
# end is held and first (info: 8 s of the whole system is too short for a
# warning), the few objects of noise and a steady pool below it,
# a site whose frees are not seen grouped last whatever its size; ages run to
# the end of the trace (8 s), not to the last event (5.5 s).
check "leaks: report leaks, the growth classes and the order" 0 leaks.report.txt \
	"$KMS" report leaks -n 0 -i "$DIR/leaks.data"
"$KMS" report -j -n 0 --html "$T/leaks.html" -i "$DIR/leaks.data" >"$T/leaks.json" 2>"$T/err"
expect_eq "leaks: JSON leaks in order, each with severity, growth, oldest_ms, frees_unseen" \
	"$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
for f in j["findings"]:
    if f["kind"] == "leak":
        print(f["severity"], f["site"], f["count"], f["growth"], f["oldest_ms"], f.get("frees_unseen", False), f.get("short_window", False))' "$T/leaks.json")" \
	"info leak_burst+0x10 1500 held 7900 False True
info leak_noise+0x10 3 held 6500 False False
info leak_grow+0x10 6 growing 7500 False False
hint leak_pool+0x10 20 steady 2500 False False
hint leak_blind+0x10 400 held 5500 True False"
expect_eq "leaks: the web page's first leak row is the burst, held" \
	"$(grep -o '<td>leak[^<]*</td><td>[^<]*' "$T/leaks.html" | head -1)" \
	"<td>leak, held</td><td>leak_burst+0x10"
check "leaks: an empty leak section says none (--min-age above every age)" 0 leaks.none.txt \
	"$KMS" report leaks --min-age 100000 -i "$DIR/leaks.data"
check "truncated: stat reports what precedes the damage, exit 1" 1 truncated.stat.txt \
	"$KMS" stat -n 0 -i "$DIR/truncated.data"
if grep -q "offset" "$T/err"; then
	ok "truncated: the error names the offset"
else
	not_ok "truncated: the error names the offset" "$(cat "$T/err")"
fi
check "msgq-6.18: stat JSON" 0 msgq-6.18.stat.json "$KMS" stat -j -n 0 -i "$DIR/msgq-6.18.data"
check "msgq-6.18: stat text" 0 msgq-6.18.stat.txt "$KMS" stat -n 10 -i "$DIR/msgq-6.18.data"
check "cgroups-6.18: stat --by cgroup JSON" 0 cgroups-6.18.stat.json \
	"$KMS" stat -j -n 0 --by cgroup -i "$DIR/cgroups-6.18.data"
check "cgroups-6.18: stat --by cgroup text" 0 cgroups-6.18.stat.txt \
	"$KMS" stat -n 4 --by cgroup -i "$DIR/cgroups-6.18.data"
# Each kmgen's messages in the cgroup it ran in, all of them accounted
# (msg_msg-* is a SLAB_ACCOUNT cache); pathname buffers (names_cache) are
# not accounted; the shell's first allocations in the root cgroup.
expect_eq "cgroups-6.18: load_msg 30 x 128 bytes in a, 20 x 192 in b, accounted; getname not" \
	"$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
for g in j["cgroups"]:
    for s in g["sites"]:
        if s["site"].startswith(("load_msg+", "getname_flags")):
            print(g["cgroup"], s["site"].split("+")[0], s["allocs"], s["bytes_alloc"], s["accounted"]["bytes_alloc"])' "$DIR/expected/cgroups-6.18.stat.json" | sort)" \
	"/ getname_flags.part.0 16 65536 0
/kms-replay-a getname_flags.part.0 6 24576 0
/kms-replay-a load_msg 30 3840 3840
/kms-replay-b getname_flags.part.0 5 20480 0
/kms-replay-b load_msg 20 3840 3840"
# report --by cgroup: the same table after the findings, the three cgroups.
expect_eq "cgroups-6.18: report --by cgroup has the CGROUP table, its three cgroups by path" \
	"$("$KMS" report --by cgroup -n 0 -i "$DIR/cgroups-6.18.data" 2>/dev/null |
		sed -n '/^CGROUP /,/^$/p' | grep -oE '^/[a-z-]*' | tr '\n' ' ')" "/ /kms-replay-a /kms-replay-b "
# The cgroups' totals are the sum of their sites', and of all sites.
expect_eq "cgroups-6.18: per cgroup, its sites add up to it; the cgroups to the sites" \
	"$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
k = ("allocs", "frees", "bytes_alloc", "live", "live_bytes")
print(all(sum(s[x] for s in g["sites"]) == g[x] for g in j["cgroups"] for x in k),
      all(sum(s["accounted"][x] for s in g["sites"]) == g["accounted"][x] for g in j["cgroups"] for x in k),
      all(sum(g[x] for g in j["cgroups"]) == sum(s[x] for s in j["sites"]) for x in k))' "$DIR/expected/cgroups-6.18.stat.json")" \
	"True True True"

# check -i reproduces the live check that made the recording (its output was
# saved at recording time: UPDATE does not touch it).
"$KMS" check -i "$DIR/check-6.18.data" >"$T/check.txt" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ] && diff -u "$DIR/expected/check-6.18.live.txt" "$T/check.txt" >"$T/diff"; then
	ok "check-6.18: check -i gives exactly the live check's report, PASS"
else
	not_ok "check-6.18: check -i gives exactly the live check's report" "exit $rc" \
		"$(head -20 "$T/diff")"
fi

# A file that is not a recording: one line, exit 1.
printf 'not a recording at all\n' >"$T/bad.data"
"$KMS" stat -i "$T/bad.data" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ]; then
	ok "garbage file: one error line, exit 1"
else
	not_ok "garbage file: one error line, exit 1" "rc=$rc" "$(cat "$T/err")"
fi

# --min-age beyond what 32-bit millisecond ages hold, or negative: usage, exit 2.
for v in 5000000000 -1; do
	"$KMS" report leaks --min-age $v -i "$DIR/msgq-6.18.data" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -q "invalid milliseconds '$v' for --min-age" "$T/err"; then
		ok "--min-age $v: usage error, exit 2"
	else
		not_ok "--min-age $v: usage error, exit 2" "rc=$rc" "$(cat "$T/err")"
	fi
done

# OpenMetrics: a strict parser (Debian's python3-prometheus-client) reads
# it, and its values are the JSON report's; -o replaces the file whole, 0644.
"$KMS" stat --openmetrics -n 0 -i "$DIR/msgq-6.18.data" -o "$T/m.prom" 2>"$T/err"
"$KMS" stat -j -n 0 -i "$DIR/msgq-6.18.data" >"$T/m.json" 2>>"$T/err"
got=$(/usr/bin/python3 - "$T/m.prom" "$T/m.json" <<'PY' 2>&1
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
j = json.load(open(sys.argv[2]))
def by(fam, label):
    return {s.labels[label]: s.value for s in fams[fam].samples}
checks = [
    by("kmscope_site_allocations", "site") == {r["site"]: r["allocs"] for r in j["sites"]},
    by("kmscope_site_live_bytes", "site") == {r["site"]: r["live_bytes"] for r in j["sites"]},
    by("kmscope_cache_allocated_bytes", "cache") == {r["cache"]: r["bytes_alloc"] for r in j["caches"]},
    by("kmscope_events", "event")["kmalloc"] == j["events"]["kmalloc"],
    fams["kmscope_events_seen"].samples[0].value == j["counters"]["seen"],
    fams["kmscope_live_objects"].samples[0].value == j["live"],
    by("kmscope_events_lost", "reason")["recursion"] == j["lost"].get("recursion_unseen", j["lost"]["recursion"]),
    fams["kmscope_recursion_skips"].samples[0].value == j["lost"]["recursion"],
    all(f.type == "gauge" for f in fams.values()),
]
print(len(fams), checks.count(True), len(checks))
PY
)
mode=$(stat -c %a "$T/m.prom" 2>/dev/null)
if [ "$got" = "29 9 9" ] && [ "$mode" = 644 ] && [ -z "$(ls "$T" | grep '\.tmp\.')" ]; then
	ok "openmetrics: a strict parser reads 29 gauge families equal to the JSON; file 0644, no temp left"
else
	not_ok "openmetrics: a strict parser reads 29 gauge families equal to the JSON; file 0644, no temp left" \
		"parser: $got" "mode: $mode" "$(cat "$T/err")"
fi
# With --by cgroup: the cgroups' totals and each cgroup's sites, labelled.
"$KMS" stat --openmetrics -n 0 --by cgroup -i "$DIR/cgroups-6.18.data" -o "$T/cg.prom" 2>"$T/err"
"$KMS" stat -j -n 0 --by cgroup -i "$DIR/cgroups-6.18.data" >"$T/cg.json" 2>>"$T/err"
expect_eq "openmetrics --by cgroup: cgroup and cgroup+site families equal to the JSON" \
	"$(/usr/bin/python3 - "$T/cg.prom" "$T/cg.json" <<'PY' 2>&1
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
j = json.load(open(sys.argv[2]))
def by(fam, *labels):
    return {tuple(s.labels[l] for l in labels): s.value for s in fams[fam].samples}
print(by("kmscope_cgroup_allocated_bytes", "cgroup") == {(g["cgroup"],): g["bytes_alloc"] for g in j["cgroups"]},
      by("kmscope_cgroup_accounted_live_bytes", "cgroup") == {(g["cgroup"],): g["accounted"]["live_bytes"] for g in j["cgroups"]},
      by("kmscope_cgroup_site_allocations", "cgroup", "site") == {(g["cgroup"], s["site"]): s["allocs"] for g in j["cgroups"] for s in g["sites"]})
PY
)" "True True True" "$(cat "$T/err")"
"$KMS" stat --openmetrics -j -i "$DIR/msgq-6.18.data" >"$T/err" 2>&1
rc=$?
# with -j the one error line is a JSON object on stdout
if [ $rc -eq 2 ] && [ "$(cat "$T/err")" = '{"error":"--openmetrics and -j are two output formats: choose one"}' ]; then
	ok "openmetrics and -j together: usage error, one line, exit 2"
else
	not_ok "openmetrics and -j together: usage error, one line, exit 2" "rc=$rc" "$(cat "$T/err")"
fi

# pprof and speedscope: read back (pprof by tests/tools/pprof_read.py, a
# decoder independent of protobuf-c) to the JSON report's totals.
"$KMS" report -q -n 0 -j -o "$T/r.json" --pprof "$T/r.pb.gz" --speedscope "$T/r.ss.json" \
	-i "$DIR/msgq-6.18.data" 2>"$T/err"
got=$(python3 "$DIR/../tools/pprof_read.py" "$T/r.pb.gz" | python3 -c '
import json, sys
p = json.load(sys.stdin)
j = json.load(open(sys.argv[1]))
ss = json.load(open(sys.argv[2]))
sites = [r for r in j["sites"] if r["allocs"] or r["live"]]
want = [sum(r[k] for r in sites) for k in ("allocs", "bytes_alloc", "live", "live_bytes")]
leaves = sorted(s[0] for s in p["stacks"])
print(p["sample_types"] == ["alloc_objects/count", "alloc_space/bytes", "inuse_objects/count",
                            "inuse_space/bytes"],
      p["totals"] == want, p["string0"] == "",
      leaves == sorted(r["site"].split("+")[0] for r in sites),
      [x["endValue"] for x in ss["profiles"]] == [want[3], want[1], want[0]],
      all(sum(x["weights"]) == x["endValue"] for x in ss["profiles"]),
      ss["profiles"][0]["unit"] == "bytes")
' "$T/r.json" "$T/r.ss.json" 2>&1)
if [ "$got" = "True True True True True True True" ]; then
	ok "pprof and speedscope: read back, the JSON report's totals and sites"
else
	not_ok "pprof and speedscope: read back, the JSON report's totals and sites" "$got" "$(cat "$T/err")"
fi

# --by cgroup: one pprof sample per (site, cgroup), labelled with the
# cgroup's path, adding up to the JSON's sites per cgroup.
"$KMS" report -q -n 0 --by cgroup -o /dev/null --pprof "$T/cg.pb.gz" \
	-i "$DIR/cgroups-6.18.data" 2>"$T/err"
expect_eq "pprof --by cgroup: samples labelled by cgroup, equal to the JSON's sites per cgroup" \
	"$(python3 "$DIR/../tools/pprof_read.py" "$T/cg.pb.gz" | python3 -c '
import json, sys
p = json.load(sys.stdin)
j = json.load(open(sys.argv[1]))
got = {}
for st, lab, v in zip(p["stacks"], p["labels"], p["values"]):
    key = (lab["cgroup"], st[0])
    got[key] = [a + b for a, b in zip(got.get(key, [0] * 4), v)]
want = {}
for g in j["cgroups"]:
    for s in g["sites"]:
        key = (g["cgroup"], s["site"].split("+")[0])
        want[key] = [a + b for a, b in zip(want.get(key, [0] * 4),
                     [s["allocs"], s["bytes_alloc"], s["live"], s["live_bytes"]])]
print(got == want, all("cache" in lab for lab in p["labels"]), len(set(k[0] for k in got)))
' "$T/cg.json" 2>&1)" "True True 3" "$(cat "$T/err")"

# Output files: never written through a symlink (a shared /tmp), created 0600.
echo keep >"$T/victim"
ln -s "$T/victim" "$T/link"
"$KMS" stat -i "$DIR/edge.data" -o "$T/link" >/dev/null 2>"$T/err"
rc=$?
"$KMS" report -q -i "$DIR/edge.data" -o /dev/null --html "$T/link" >/dev/null 2>>"$T/err"
rc2=$?
"$KMS" stat -i "$DIR/edge.data" -o "$T/new.txt" >/dev/null 2>&1
expect_eq "outputs: -o and --html refuse a symlink (exit 1, target untouched); a new file is 0600" \
	"$rc:$rc2:$(cat "$T/victim"):$(grep -c 'cannot create' "$T/err"):$(stat -c %a "$T/new.txt")" \
	"1:1:keep:2:600" "$(cat "$T/err")"

# --redact: no kernel address (16 hex digits from ffff) left in any output,
# where the same outputs without it have them; pointers still pair up.
addrs() { grep -Eoi 'ffff[0-9a-f]{12}' | wc -l; }
plain=0 red=0
for f in edge msgq-6.18 findings; do
	for c in "stat -n 0" "stat -j -n 0" "report -n 0" "report -j -n 0" "trace" "trace -j"; do
		plain=$((plain + $("$KMS" $c -i "$DIR/$f.data" 2>/dev/null | addrs)))
		red=$((red + $("$KMS" $c --redact -i "$DIR/$f.data" 2>/dev/null | addrs)))
	done
	"$KMS" report -q -o /dev/null --redact --html "$T/red.html" --speedscope "$T/red.ss" \
		-i "$DIR/$f.data" 2>/dev/null
	red=$((red + $(cat "$T/red.html" "$T/red.ss" | addrs)))
done
pairs() { "$KMS" trace $1 -i "$DIR/edge.data" | awk '$5 ~ /alloc/ { a[$7] = 1 } $5 ~ /free/ && ($7 in a) { n++ } END { print n + 0 }'; }
expect_eq "--redact: $plain kernel addresses without it, none with it; frees pair with their allocations as before" \
	"$([ $plain -gt 0 ] && echo some):$red:$(pairs --redact)" "some:0:$(pairs "")"

# --html: one self-contained page, loaded and photographed by a real
# headless browser (Debian's chromium-headless-shell).  The screenshot stays
# in BUILD_DIR/test-artifacts for people to look at.
"$KMS" report -q -n 0 -o /dev/null --html "$T/r.html" -i "$DIR/findings.data" 2>"$T/err"
ART=$BUILD/test-artifacts
mkdir -p "$ART"
rm -f "$ART/report.png"
CHROME=$(command -v chromium-headless-shell || command -v chromium)
if [ -z "$CHROME" ]; then
	not_ok "html: a headless browser (chromium-headless-shell) is installed" "run scripts/setup.sh"
else
	flags="--no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2600"
	timeout 120 "$CHROME" $flags --dump-dom "file://$T/r.html" >"$T/dom.html" 2>/dev/null
	timeout 120 "$CHROME" $flags --screenshot="$ART/report.png" "file://$T/r.html" \
		>/dev/null 2>&1
	got=$(python3 - "$T/dom.html" "$T/r.html" "$ART/report.png" <<'PY'
import re, struct, sys
dom, raw = open(sys.argv[1]).read(), open(sys.argv[2]).read()
png = open(sys.argv[3], "rb").read() if __import__("os").path.exists(sys.argv[3]) else b""
ids = ["summary", "findings", "flame", "waste-sites", "waste-classes", "req-hist",
       "live-time", "bill"]
missing = [i for i in ids if 'id="%s"' % i not in dom]
rows = len(re.findall(r"<tr><td class=", dom.split('id="findings"')[1].split("</table>")[0]))
external = re.findall(r'(?:src|href)="(?:https?:)?//', raw) + re.findall(r"<script|<link", raw)
w, h = struct.unpack(">II", png[16:24]) if png[:8] == b"\x89PNG\r\n\x1a\n" else (0, 0)
print("missing=%s rows=%d external=%d png=%dx%d big=%s flame=%d" % (
    ",".join(missing) or "none", rows, len(external), w, h, len(png) > 50000,
    dom.split('id="flame"')[1].split("</svg>")[0].count("<rect")))
PY
)
	expect_eq "html: chromium loads the page: every picture and table, 17 findings, nothing external, a 1200x2600 screenshot" \
		"$got" "missing=none rows=17 external=0 png=1200x2600 big=True flame=4" "$(cat "$T/err")"
fi

# The command line's usage errors, outputs, targets and filters on replay.
. "$DIR/cli.sh"

# Tests in files of their own, sharing this script's helpers and counters.
. "$DIR/damaged.sh"
. "$DIR/trace.sh"
. "$DIR/tables.sh"
. "$DIR/readme.sh"

tap_summary replay
