# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/live/run.sh (uses its KMS, KMGEN, T, DIR and helpers).
#
# Filters decide before anything is announced: a --comm run's recording
# holds a CACHE_INFO record only for a cache one of its allocation or free
# records names, however busy the rest of the machine is with other caches
# (the loop below opens, stats and lists files: dentry, filp, inodes ...).
# And the accounting identity still adds up.
"$KMS" record -o "$T/ann.data" --comm kmgen -d 60 >/dev/null 2>"$T/ann.err" &
ann_pid=$!
for _ in $(seq 100); do grep -q '^kmscope: tracing' "$T/ann.err" && break; sleep 0.1; done
( for _ in $(seq 200); do ls -l /usr/bin /proc/self/ >/dev/null; done ) &
ann_busy=$!
"$KMGEN" msgq 150 64 >/dev/null
wait $ann_busy
kill -INT $ann_pid
wait $ann_pid
python3 "$DIR/../tools/rectool.py" caches "$T/ann.data" >"$T/ann.caches"
ann_stray=$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(" ".join(sorted(n for i, n in j["announced"].items() if i not in j["used"])) or "none")' "$T/ann.caches")
expect_eq "--comm: every cache announced in the recording is named by a kmgen record" \
	"$ann_stray" none "$(head -c 300 "$T/ann.caches")"
"$KMS" stat -i "$T/ann.data" >"$T/ann.stat" 2>&1
if grep -q '^kernel:  seen [0-9]* = received [1-9]' "$T/ann.stat" &&
	! grep -q 'unaccounted' "$T/ann.stat" &&
	[ "$("$KMS" stat -j -i "$T/ann.data" | python3 -c 'import json, sys
j = json.load(sys.stdin)
c, l = j["counters"], j["lost"]
print(c["seen"] == c["received"] + c["filtered"] + c["free_null"] + c["free_untracked"] + c["self"] + l["ringbuf"])')" = True ]; then
	ok "--comm: the accounting identity adds up (seen = received + filtered + ... + lost)"
else
	not_ok "--comm: the accounting identity adds up (seen = received + filtered + ... + lost)" \
		"$(head -5 "$T/ann.stat")"
fi
