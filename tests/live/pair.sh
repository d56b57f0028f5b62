# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/live/run.sh (uses its KMS, KMGEN, T and helpers).
#
# --pair: allocations held in the kernel until their free, sent with it as
# one record (docs/design.md, "Pairing in the kernel").  The same
# deterministic workloads traced with pairing off and on give the same
# rows for their own call sites: allocations, frees, bytes, live objects,
# failures, lifetimes, findings; a recording made with --pair replays to
# the very report of its live run.  Objects kept past the end (kmgen leak)
# are handed over from the kernel's table at the end, live as ever.

# pair_rows FILE REGEX [hist]: the matching sites' figures, the lifetime
# histograms too with `hist`, and their findings.
pair_rows() {
	python3 - "$@" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
hist = len(sys.argv) > 3
rows = sorted((s for s in j["sites"] if re.match(sys.argv[2], s["site"])), key=lambda s: s["site"])
keys = ("allocs", "frees", "failed", "bytes_req", "bytes_alloc", "live", "live_bytes",
        "realloc_without_free", "in_hardirq", "in_softirq", "in_rcu")
out = []
for r in rows:
    lt = r["lifetime"]
    f = [r["site"].split("+")[0]] + [r[k] for k in keys] + [lt["freed"]]
    if hist:
        f.append(["%s:%d" % (b["lt_us"], b["n"]) for b in lt["buckets"]])
    out.append(f)
names = {r["site"] for r in rows}
out.append(sorted((f["kind"], f["count"]) for f in j.get("findings", []) if f.get("site") in names))
print(out)
PY
}

# pair_counts FILE: paired, held at the end, and whether seen adds up.
pair_counts() {
	json "$1" '"%s %s %s" % (j["counters"].get("paired", "-"), j["counters"].get("held_end", "-"), j["counters"]["seen"] == j["counters"]["received"] + j["counters"]["filtered"] + j["counters"]["free_null"] + j["counters"]["free_untracked"] + j["counters"]["self"] + j["lost"]["ringbuf"])'
}

# pair_same NAME REGEX HIST KMGEN-ARGS...: off and on, the same rows.
pair_same() {
	local name=$1 re=$2 hist=$3 off on
	shift 3
	"$KMS" report -q -j -n 0 -o "$T/pair-off.json" -- "$KMGEN" "$@" >"$T/pair.out" 2>"$T/pair.err"
	"$KMS" report -q -j -n 0 --pair -o "$T/pair-on.json" -- "$KMGEN" "$@" >>"$T/pair.out" \
		2>>"$T/pair.err"
	off=$(pair_rows "$T/pair-off.json" "$re" $hist 2>&1)
	on=$(pair_rows "$T/pair-on.json" "$re" $hist 2>&1)
	if [ "$off" = "$on" ] && [ -n "$off" ] && [ "${off#\[\[}" != "$off" ]; then
		ok "pair: $name: the same rows with --pair as without"
	else
		not_ok "pair: $name: the same rows with --pair as without" "off: $off" "on:  $on" \
			"$(cat "$T/pair.err")"
	fi
}

# msgq: every message allocated and freed in its batch, in load_msg's
# msg_msg cache.  Thousands of messages queued at once collide in the
# direct-mapped table: how many pair varies from run to run, not the rows.
pair_same "kmgen msgq 20000 64" '^(load_msg|alloc_msg)\+' "" msgq 20000 64
expect_eq "pair: msgq: something paired, seen adds up" \
	"$(json "$T/pair-on.json" 'j["counters"]["paired"] > 0') $(pair_counts "$T/pair-on.json" | cut -d' ' -f3)" \
	"True True"
expect_eq "pair: msgq without --pair: no pairing counters" \
	"$(pair_counts "$T/pair-off.json")" "- - True"
# pipe: the churn finding of alloc_pipe_info's two kmallocs, from pairs.
pair_same "kmgen pipe 5000 (churn findings)" '^alloc_pipe_info\+' "" pipe 5000
# One pipe at a time: each of its objects pairs (a held object in its
# slot is pushed out), unless another CPU has the slot at that moment.
expect_eq "pair: pipe: at least the 10000 kmallocs of alloc_pipe_info paired" \
	"$(json "$T/pair-on.json" 'j["counters"]["paired"] >= 10000')" "True" \
	"$(grep -o '"counters":{[^}]*}' "$T/pair-on.json")"
expect_eq "pair: pipe: churn found on both alloc_pipe_info sites with --pair" \
	"$(json "$T/pair-on.json" 'sorted((f["count"], f["freed"]) for f in j["findings"] if f["kind"] == "churn-short-lived" and f["site"].startswith("alloc_pipe_info"))')" \
	"[(5000, 5000), (5000, 5000)]"
# Lifetimes of 50 ms: every histogram bucket the same.
pair_same "kmgen lifetime 100 64 50 (histograms)" '^load_msg\+' hist lifetime 100 64 50
# Kept to the end: 300 messages held in the kernel's table (or pushed out
# of it), live at the end either way, a leak either way.
pair_same "kmgen leak 300 64 2 (live at the end)" '^load_msg\+' "" leak 300 64 2
sed -n 's/.*msqids=\([0-9,]*\).*/\1/p' "$T/pair.out" | tr ',' '\n' | while read -r q; do
	[ -n "$q" ] && ipcrm -q "$q"
done
expect_eq "pair: leak: 300 live load_msg objects, some handed over from the kernel's table at the end" \
	"$(site "$T/pair-on.json" '^load_msg\+' live) $(json "$T/pair-on.json" 'j["counters"]["held_end"] > 0')" \
	"300 True"

# A recording made with --pair replays to its live report.
"$KMS" report -q -j -n 0 --pair -w "$T/pair.data" -o "$T/pair-live.json" -- \
	"$KMGEN" lifetime 200 64 20 >/dev/null 2>"$T/pair.err"
"$KMS" report -q -j -n 0 -i "$T/pair.data" -o "$T/pair-replay.json" 2>>"$T/pair.err"
expect_eq "pair: a --pair recording replays to the live report (every site, cache, finding)" \
	"$(json "$T/pair-replay.json" 'json.dumps([j["sites"], j["caches"], j.get("findings"), j["counters"]], sort_keys=True) == json.dumps([json.load(open(sys.argv[1].replace("pair-replay", "pair-live")))[k] if k != "findings" else json.load(open(sys.argv[1].replace("pair-replay", "pair-live"))).get(k) for k in ("sites", "caches", "findings", "counters")], sort_keys=True)')" \
	"True" "$(cat "$T/pair.err")"
expect_eq "pair: the replay says pairing was on, with the live run's counts" \
	"$(pair_counts "$T/pair-replay.json")" "$(pair_counts "$T/pair-live.json")"

# The whole system with --pair, pipes made meanwhile: every event accounted for.
(sleep 0.5 && "$KMGEN" pipe 2000 >/dev/null) &
"$KMS" stat -q -j --pair -d 2 -o "$T/pair-sys.json" 2>"$T/pair.err"
wait
expect_eq "pair: 2 s of the whole system: seen = received + ... + lost, something paired" \
	"$(pair_counts "$T/pair-sys.json" | cut -d' ' -f3) $(json "$T/pair-sys.json" 'j["counters"]["paired"] > 0')" \
	"True True" "$(cat "$T/pair.err")"

# check with --pair: the model and the accounting hold as without.
"$KMS" check -q -j --pair -o "$T/pair-check.json" -- "$KMGEN" pipe 2000 >/dev/null 2>"$T/pair.err"
expect_eq "pair: check --pair -- kmgen pipe 2000: exits 0, every kmalloc event exact" \
	"$? $(json "$T/pair-check.json" 'j["events"]["kmalloc_exact"] == j["events"]["kmalloc"] > 2000')" \
	"0 True" "$(cat "$T/pair.err")" "$(head -c 1500 "$T/pair-check.json")"

# The start line says so.
expect_eq "pair: the start line says allocations are held in the kernel" \
	"$("$KMS" stat --pair -d 0.3 -n 1 2>&1 >/dev/null | grep -c '^kmscope: tracing .*; allocations held in the kernel until their free (--pair); Ctrl-C to stop$')" 1

# Where it cannot apply: one line, exit 2.
for c in trace top serve; do
	# shellcheck disable=SC2086
	"$KMS" $c --pair -d 1 >/dev/null 2>"$T/pair.err"
	rc=$?
	expect_eq "pair: $c --pair refused in one line" \
		"$rc $(wc -l <"$T/pair.err") $(grep -c -- '--pair' "$T/pair.err")" "2 1 1" \
		"$(cat "$T/pair.err")"
done
"$KMS" stat --pair -i "$T/pair.data" >/dev/null 2>"$T/pair.err"
expect_eq "pair: stat -i --pair: a live option, refused" \
	"$? $(cat "$T/pair.err")" \
	"2 kmscope: error: --pair applies to a live trace, not to a recording (-i): drop it"
