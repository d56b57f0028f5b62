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
