# SPDX-License-Identifier: GPL-2.0
#
# damaged.sh - sourced by tests/replay/run.sh (its KMS, DIR, T, ok, not_ok
# and expect_eq): a damaged recording costs the damaged section only.
#
# msgq-6.18.data holds its 258 records in one EVENTS chunk; rectool.py
# (written from docs/record-format.md alone) re-cuts them into chunks of 40
# records, which must replay exactly as the original.  Then one byte is
# damaged: in the middle of one chunk's payload, and separately in that
# chunk's header; the numbers every report must give are computed from the
# undamaged file's chunks: the events of every other chunk counted, the
# damaged chunk's bytes and records reported as lost, exit status 1.

RT="python3 $DIR/../tools/rectool.py"

# chunk FILE INDEX KEY: KEY of section INDEX ("offset", "length",
# "records", or "events": its records of the four event types).
chunk() {
	$RT sections "$1" | python3 -c '
import json, sys
s = [json.loads(l) for l in sys.stdin][int(sys.argv[1])]
ev = sum(s["by_type"].get(t, 0) for t in "1234")
print(ev if sys.argv[2] == "events" else s[sys.argv[2]])' "$2" "$3"
}

# events FILE: "kmalloc kfree kmem_cache_alloc kmem_cache_free" of stat -j.
events() {
	"$KMS" stat -j -n 0 -i "$1" 2>/dev/null | python3 -c '
import json, sys
e = json.load(sys.stdin)["events"]
print(e["kmalloc"], e["kfree"], e["kmem_cache_alloc"], e["kmem_cache_free"])'
}

# events_without FILE INDEX: the same, from rectool, without section INDEX.
events_without() {
	$RT sections "$1" | python3 -c '
import json, sys
n = {t: 0 for t in "1234"}
for l in sys.stdin:
    s = json.loads(l)
    if s["index"] != int(sys.argv[1]):
        for t in n:
            n[t] += s["by_type"].get(t, 0)
print(n["1"], n["3"], n["2"], n["4"])' "$2"
}

damaged_json() {
	"$KMS" $1 -j -n 0 -i "$2" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin).get("damaged")
print(d and " ".join(str(d[k]) for k in ("sections", "bytes", "records",
                                         "sections_uncounted", "cut_short")))'
}

$RT rechunk "$DIR/msgq-6.18.data" "$T/chunks.data" 40
"$KMS" stat -j -n 0 -i "$DIR/msgq-6.18.data" >"$T/orig.json" 2>&1
"$KMS" stat -j -n 0 -i "$T/chunks.data" >"$T/chunks.json" 2>&1
rc=$?
nchunks=$($RT sections "$T/chunks.data" | grep -c '"type": 6,')
expect_eq "damaged: msgq-6.18 re-cut into $nchunks chunks of 40 records replays as the original" \
	"$rc:$nchunks:$(cmp -s "$T/orig.json" "$T/chunks.json" && echo same)" "0:7:same"

# Section 5 is the third EVENTS chunk (META, 2 snapshots, then the chunks).
K=5
off=$(chunk "$T/chunks.data" $K offset)
len=$(chunk "$T/chunks.data" $K length)
recs=$(chunk "$T/chunks.data" $K records)
evs=$(chunk "$T/chunks.data" $K events)
want=$(events_without "$T/chunks.data" $K)
total=$(events "$T/chunks.data" | awk '{ print $1 + $2 + $3 + $4 }')

# 1. One byte in the middle of the chunk's payload.
cp "$T/chunks.data" "$T/payload.data"
$RT flip "$T/payload.data" $((off + 24 + len / 2))
"$KMS" stat -n 0 -i "$T/payload.data" >"$T/p.txt" 2>"$T/p.err"
rc=$?
expect_eq "damaged payload: stat counts every event of the 6 other chunks ($want), exit 1" \
	"$(events "$T/payload.data"):$rc" "$want:1" "$(cat "$T/p.err")"
expect_eq "damaged payload: the text report says 1 section ($((24 + len)) bytes, $recs records) skipped" \
	"$(grep '^damaged:' "$T/p.txt")" \
	"damaged: 1 sections ($((24 + len)) bytes) skipped, $recs records lost"
expect_eq "damaged payload: stat and report JSON: damaged {1 section, $((24 + len)) bytes, $recs records}" \
	"$(damaged_json stat "$T/payload.data")|$(damaged_json report "$T/payload.data")" \
	"1 $((24 + len)) $recs 0 False|1 $((24 + len)) $recs 0 False"
expect_eq "damaged payload: the warning names the offset and the checksum, once" \
	"$(grep -c "is damaged at offset $off: EVENTS section at offset $off is damaged: checksum .*1 damaged sections ($((24 + len)) bytes) skipped in all; the report covers the rest" "$T/p.err")" \
	1 "$(cat "$T/p.err")"
"$KMS" trace -j -i "$T/payload.data" >"$T/p.ndjson" 2>"$T/p.err"
rc=$?
expect_eq "damaged payload: trace prints the $((total - evs)) events of the other chunks, exit 1" \
	"$(grep -c '"event":' "$T/p.ndjson"):$rc" "$((total - evs)):1" "$(head -3 "$T/p.err")"

# 2. One byte of the chunk's header: its length now over the 256 MiB limit.
cp "$T/chunks.data" "$T/header.data"
$RT flip "$T/header.data" $((off + 8 + 3))
"$KMS" stat -n 0 -i "$T/header.data" >"$T/h.txt" 2>"$T/h.err"
rc=$?
expect_eq "damaged header: stat counts every event of the 6 other chunks ($want), exit 1" \
	"$(events "$T/header.data"):$rc" "$want:1" "$(cat "$T/h.err")"
expect_eq "damaged header: reported as 1 section ($((24 + len)) bytes) skipped, its records unknown" \
	"$(grep '^damaged:' "$T/h.txt")|$(damaged_json stat "$T/header.data")" \
	"damaged: 1 sections ($((24 + len)) bytes) skipped, the records lost unknown|1 $((24 + len)) 0 1 False"
"$KMS" trace -i "$T/header.data" >"$T/h.trace" 2>/dev/null
expect_eq "damaged header: trace prints the $((total - evs)) events of the other chunks" \
	"$(grep -vc '^ *TIME' "$T/h.trace")" "$((total - evs))"

# 3. The SYMBOLS section of the original: no event lost, sites unnamed.
sym=$(chunk "$DIR/msgq-6.18.data" 4 offset)
cp "$DIR/msgq-6.18.data" "$T/sym.data"
$RT flip "$T/sym.data" $((sym + 24 + 100))
expect_eq "damaged SYMBOLS: every event counted, no record lost, call sites as addresses" \
	"$(events "$T/sym.data")|$(damaged_json stat "$T/sym.data")|$("$KMS" stat -n 1 -i "$T/sym.data" 2>/dev/null | grep -A1 '^CALL SITE' | tail -1 | cut -c1-4)" \
	"$(events "$DIR/msgq-6.18.data")|1 $((24 + $(chunk "$DIR/msgq-6.18.data" 4 length))) 0 0 False|0xff"

# 4. edge.data's first of two chunks: the second chunk's events remain.
e1=$(chunk "$DIR/edge.data" 1 offset)
cp "$DIR/edge.data" "$T/edge.data"
$RT flip "$T/edge.data" $((e1 + 24 + 100))
expect_eq "damaged edge.data chunk 1: the events of chunk 2 ($(events_without "$DIR/edge.data" 1))" \
	"$(events "$T/edge.data")" "$(events_without "$DIR/edge.data" 1)"

# 5. The END section: everything read, the recording incomplete.
cp "$DIR/msgq-6.18.data" "$T/end.data"
$RT flip "$T/end.data" $(($(stat -c %s "$T/end.data") - 20))
"$KMS" stat -n 0 -i "$T/end.data" >"$T/e.txt" 2>/dev/null
rc=$?
expect_eq "damaged END: every event counted, 24 bytes skipped and cut short, exit 1" \
	"$(events "$T/end.data")|$(grep '^damaged:' "$T/e.txt")|$rc" \
	"$(events "$DIR/msgq-6.18.data")|damaged: 1 sections (24 bytes) skipped, 0 records lost; cut short before its END section|1"

# 5b. A packed section sound by its checksum, not as events: its last 3
# bytes gone, length and checksum rewritten.  That loses exactly its last
# record (edge.data's record of an unknown type, stored whole); the events
# before it in the section, the next section and the end sections are read.
p1=$(chunk "$DIR/edge.data" 1 offset)
plen=$(chunk "$DIR/edge.data" 1 length)
$RT cut-packed "$DIR/edge.data" "$T/cut.data" 3
"$KMS" stat -n 0 -i "$T/cut.data" >"$T/cut.txt" 2>"$T/cut.err"
rc=$?
expect_eq "malformed packed section: every event of edge.data counted, its counters read, exit 1" \
	"$(events "$T/cut.data")|$(grep -c '^kernel:  seen' "$T/cut.txt")|$rc" \
	"$(events "$DIR/edge.data")|1|1" "$(cat "$T/cut.err")"
expect_eq "malformed packed section: damaged {1 section, $((24 + plen - 3)) bytes, 1 record}" \
	"$(damaged_json stat "$T/cut.data")" "1 $((24 + plen - 3)) 1 0 False"
expect_eq "malformed packed section: the warning says where, and that the checksum was right" \
	"$(cat "$T/cut.err")" \
	"kmscope: warning: '$T/cut.data' is damaged at offset $p1: EVENTS_PACKED section at offset $p1 does not parse (Bad message), though its checksum is right: it was written so; 1 damaged sections ($((24 + plen - 3)) bytes) skipped in all; the report covers the rest"

# 6. The other reports say so too: check, the HTML page, OpenMetrics.
cp "$DIR/check-6.18.data" "$T/check.data"
c=$(chunk "$DIR/check-6.18.data" 3 offset)
$RT flip "$T/check.data" $((c + 24 + 1000))
"$KMS" check -i "$T/check.data" >"$T/c.txt" 2>/dev/null
rc=$?
"$KMS" report -q -o /dev/null --html "$T/d.html" -i "$T/payload.data" 2>/dev/null
"$KMS" stat --openmetrics -i "$T/payload.data" 2>/dev/null >"$T/d.prom"
expect_eq "damaged: check (exit 1), the HTML page and OpenMetrics report the skipped section" \
	"$rc:$(grep -c '^damaged:    1 sections' "$T/c.txt"):$(grep -c 'id="damaged"' "$T/d.html"):$(grep -c "kmscope_recording_damaged{what=\"records\"} $recs" "$T/d.prom")" \
	"1:1:1:1"
