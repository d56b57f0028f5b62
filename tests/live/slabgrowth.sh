# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/live/run.sh (uses its KMS, KMGEN, T and helpers).
#
# The pages underneath: kmgen leak keeps 2000 messages of 64 bytes, 2000
# objects of one cache (msg_msg-128 here, kmalloc-128 before 6.11) that
# the trace fills.  The report's SLAB GROWTH row of that cache, from
# /proc/slabinfo at the start and the end: at the end it holds the 2000
# in use; its slabs gained room for at most 2000 objects and at least
# what the slots it had at the start could not hold (free objects in
# per-CPU slabs and sheaves count as in use in slabinfo, so nothing
# closer is exact); its pages and bytes are its slabs times the slab's
# pages; the recording gives the same numbers.
"$KMS" report waste -q -j -n 0 -o "$T/sg.json" -w "$T/sg.data" --html "$T/sg.html" -- \
	"$KMGEN" leak 2000 64 0.01 \
	>"$T/sg.out" 2>"$T/sg.err"
sed -n 's/.*msqids=\([0-9,]*\).*/\1/p' "$T/sg.out" | tr ',' '\n' | while read -r q; do
	[ -n "$q" ] && ipcrm -q "$q"
done
"$KMS" report waste -q -j -n 0 -i "$T/sg.data" -o "$T/sg2.json" 2>>"$T/sg.err"
got=$(python3 - "$T/sg.json" "$(getconf PAGESIZE)" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
page = int(sys.argv[2])
full = [c for c in j["caches"] if c["allocs"] >= 2000 and c["cache"].endswith("-128")]
if not full or not j["slab_growth"]:
    print("no cache or no growth")
    sys.exit()
name = full[0]["cache"]
rows = [r for r in j["slab_growth"]["caches"] if r["cache"] == name]
if not rows:
    print("no growth row for", name)
    sys.exit()
r = rows[0]
s, e = r["start"], r["end"]
new_objs = e["total_objects"] - s["total_objects"]
print(e["objects"] >= 2000 and 2000 - s["total_objects"] <= new_objs <= 2000,
      r["slab_bytes_change"] == (e["pages"] - s["pages"]) * page,
      e["slab_bytes"] == e["pages"] * page and s["slab_bytes"] == s["pages"] * page,
      r["slab_bytes_change"] > 0)
PY
)
expect_eq "slab growth: the cache kmgen leak 2000 64 fills grew by its objects, pages times page size" \
	"$got" "True True True True" "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['slab_growth'])" "$T/sg.json" 2>&1 | head -c 600)"
expect_eq "slab growth: the recording gives the same table" \
	"$(json "$T/sg.json" 'json.dumps(j["slab_growth"], sort_keys=True)' | md5sum)" \
	"$(json "$T/sg2.json" 'json.dumps(j["slab_growth"], sort_keys=True)' | md5sum)"
# The web page's table has the cache's row with the same slabs and objects.
expect_eq "slab growth: the web page's row of that cache has the JSON's slabs and objects" \
	"$(python3 - "$T/sg.json" "$T/sg.html" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
page = open(sys.argv[2]).read()
rows = [r for r in (j["slab_growth"] or {}).get("caches", []) if r["cache"].endswith("-128")]
if not rows:
    print("no row")
    sys.exit()
r = rows[0]
want = "<tr><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td>" % (
    r["cache"], r["start"]["slabs"], r["end"]["slabs"])
tab = re.search(r'<table id="growth">.*?</table>', page, re.S)
print(bool(tab) and want in tab.group(0))
PY
)" True
