# SPDX-License-Identifier: GPL-2.0
#
# trace.sh - sourced by tests/replay/run.sh (its KMS, DIR, T, ok, not_ok and
# expect_eq): trace accounts for every event at its end, as stat does (text:
# on stderr; -j: a last "summary" line), and prints no fake values: a free of
# an allocation not traced has no sizes ("-", null), TID 0 is the idle task,
# a comm never announced is "-" (null).

# The stat header, "kmscope stat:" read "kmscope trace:", is trace's summary.
"$KMS" stat -n 0 -i "$DIR/edge.data" 2>/dev/null | sed -n '1,/^$/p' | sed '/^$/d' |
	sed 's/^kmscope stat:/kmscope trace:/' >"$T/tr-want.txt"
"$KMS" trace -i "$DIR/edge.data" >"$T/tr.out" 2>"$T/tr.err"
rc=$?
expect_eq "trace: stderr ends with the accounting of stat's header (identity, losses); exit 0" \
	"$rc:$(diff "$T/tr-want.txt" "$T/tr.err" >/dev/null && echo same):$(grep -c '^lost:    ring buffer 0' "$T/tr.err")" \
	"0:same:1" "$(cat "$T/tr.err")"

"$KMS" trace -j -i "$DIR/edge.data" >"$T/tr.ndjson" 2>"$T/tr.err"
"$KMS" stat -j -i "$DIR/edge.data" >"$T/tr-stat.json" 2>/dev/null
got=$(python3 - "$T/tr.ndjson" "$T/tr-stat.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
st = json.load(open(sys.argv[2]))
s = lines[-1].get("summary", {})
evs = [l for l in lines[:-1] if "event" in l]
print(len(lines) - 1 == len(evs), len(evs) == sum(s["events"].values()),
      all(s[k] == st[k] for k in ("events", "counters", "lost", "live", "duration_s")))
PY
)
expect_eq "trace -j: one event per line, then a summary line with stat's events, counters and losses" \
	"$got:$(wc -c <"$T/tr.err")" "True True True:0" "$(tail -1 "$T/tr.ndjson")"

# A kfree from the idle task (TID 0, never announced) and one from a TID
# never announced, both of pointers whose allocation was not traced.
rec() { python3 -c 'import struct, sys; print(struct.pack("<BBHIQQ", 3, 0, 1, int(sys.argv[1]), 1000014000 + int(sys.argv[1]), int(sys.argv[2], 16)).hex())' "$@"; }
python3 "$DIR/../tools/rectool.py" append "$DIR/edge.data" "$T/idle.data" \
	"$(rec 0 ffff888100007700)" "$(rec 77 ffff888100007800)"
"$KMS" trace -i "$T/idle.data" 2>/dev/null | tail -2 | awk '{ print $3, $4, $5, $8, $9, $10, $11 }' >"$T/idle.txt"
expect_eq "trace: a kfree from TID 0 says <idle>, an unknown comm '-', unknown sizes '-'" \
	"$(tr '\n' '|' <"$T/idle.txt")" "0 <idle> kfree - - - -|77 - kfree - - - -|"
"$KMS" trace -j -i "$T/idle.data" 2>/dev/null | grep '"ptr":"0xffff888100007[78]00' |
	python3 -c '
import json, sys
for l in sys.stdin:
    j = json.loads(l)
    print(j["tid"], j["comm"], j["bytes_req"], j["bytes_alloc"], end="|")' >"$T/idle.json"
expect_eq "trace -j: the same as \"comm\":\"<idle>\" and null, sizes null" \
	"$(cat "$T/idle.json")" "0 <idle> None None|77 None None None|"
