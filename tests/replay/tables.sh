# SPDX-License-Identifier: GPL-2.0
#
# tables.sh - sourced by tests/replay/run.sh (its KMS, DIR, T, ok, not_ok
# and expect_eq): the text tables say what their columns hold.

# The waste table: REQ SIZE is the size requested (req_min-req_max, or one
# size) and ALLOCS the number of allocations, row by row as in the JSON.
"$KMS" report waste -n 0 -i "$DIR/findings.data" >"$T/tb-waste.txt" 2>/dev/null
"$KMS" report waste -j -n 0 -i "$DIR/findings.data" >"$T/tb-waste.json" 2>/dev/null
got=$(python3 - "$T/tb-waste.txt" "$T/tb-waste.json" <<'PY'
import json, sys
txt = open(sys.argv[1]).read().split("\nWASTE: what to change")[1].split("\n\n")[0].splitlines()
head, rows = txt[1], [l.split() for l in txt[2:]]
j = json.load(open(sys.argv[2]))
want = [[f["site"], f["cache"], str(f["count"]),
         str(f["req_max"]) if f["req_min"] == f["req_max"] else "%d-%d" % (f["req_min"], f["req_max"])]
        for f in j["findings"] if f["kind"].startswith("waste-") or f["kind"] == "kvmalloc"]
print(head.split()[3:6] == ["ALLOCS", "REQ", "SIZE"], len(rows),
      sorted(r[:4] for r in rows) == sorted(want))
PY
)
expect_eq "waste table: REQ SIZE holds each site's request size, ALLOCS its count, as in the JSON" \
	"$got" "True 4 True" "$(cat "$T/tb-waste.txt")"
expect_eq "sizes: the column of request sizes per class is REQ_SIZES" \
	"$("$KMS" sizes -i "$DIR/check-6.18.data" 2>&1 | sed -n 4,5p | awk '{ print $3 }' | tr '\n' ' ')" \
	"REQ_SIZES 1-8 "

# A cache whose only events are frees of objects allocated before the trace
# (a kmem_cache_free naming it): no row of zeros in the text table, a line
# that counts it instead; the JSON keeps it with its frees_pretrace.
info=$(python3 -c 'import struct; print(struct.pack("<BBHIQII48s", 5, 0, 0, 42, 0xffff888001239990, 96, 96, b"pretrace_only").hex())')
free=$(python3 -c 'import struct; print(struct.pack("<BBHIQQQ", 4, 0, 0, 42, 1000014000, 0xffff888100009900, 0xffff888001239990).hex())')
python3 "$DIR/../tools/rectool.py" append "$DIR/edge.data" "$T/pretrace.data" "$info" "$free"
"$KMS" stat -n 0 -i "$T/pretrace.data" >"$T/tb-pre.txt" 2>/dev/null
got=$(python3 - "$T/tb-pre.txt" <<'PY'
import sys
cache = open(sys.argv[1]).read().split("\nCACHE ")[1].splitlines()[1:]
rows = [l.split() for l in cache if l and not l.startswith("+ ")]
zero = [r[0] for r in rows if r[1:4] == ["0", "0", "0"]]
print(len(rows), "zero-rows:" + ",".join(zero), any(r[0] == "pretrace_only" for r in rows))
print(cache[-1])
PY
)
json_pre=$("$KMS" stat -j -n 0 -i "$T/pretrace.data" 2>/dev/null | python3 -c '
import json, sys
print([(c["allocs"], c["frees"], c["failed"], c["frees_pretrace"]) for c in json.load(sys.stdin)["caches"] if c["cache"] == "pretrace_only"])')
expect_eq "stat: a cache with only pre-trace frees is no row of zeros but one counted line; JSON keeps it" \
	"$(echo "$got" | tr '\n' '|')$json_pre" \
	"7 zero-rows: False|+ 1 caches with only frees of objects allocated before the trace (frees_pretrace in JSON)|[(0, 0, 0, 1)]" \
	"$(cat "$T/tb-pre.txt")"
