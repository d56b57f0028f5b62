# SPDX-License-Identifier: GPL-2.0
#
# trace-loss.sh - sourced by tests/live/run.sh (its KMS, KMGEN, T, ok,
# not_ok and expect_eq): trace always says what it lost.  A 1 MiB ring and
# a reader of trace's stdout that waits 2 s before reading make the ring
# overflow while kmgen spins; the summary at the end must report those
# ring-buffer losses (text: on stderr, stdout holding only events; -j: the
# last line), with every received event printed and the identity whole.
# -q: nothing else on stderr; the command's own output goes elsewhere.

# trace_loss MODE OUT ERR: trace kmgen with a 1 MiB ring into a stalled pipe.
trace_loss() {
	local mode=$1
	shift
	"$KMS" trace -q $mode --ring-size 1 -- sh -c 'exec "$0" spin 2 100 64 >/dev/null' "$KMGEN" \
		2>"$2" | { sleep 2; cat >"$1"; }
}

trace_loss "" "$T/tl.out" "$T/tl.err"
got=$(python3 - "$T/tl.out" "$T/tl.err" <<'PY'
import re, sys
out = open(sys.argv[1]).read().splitlines()
err = open(sys.argv[2]).read()
ev = re.search(r"^events:  kmalloc (\d+), kfree (\d+), kmem_cache_alloc (\d+), kmem_cache_free (\d+)$", err, re.M)
idt = re.search(r"^kernel:  seen (\d+) = received (\d+) .* \+ lost (\d+)$", err, re.M)
lost = re.search(r"^lost:    ring buffer (\d+), recursion \d+( \(recovered \d+, unseen \d+\))?, names \d+;", err, re.M)
if not (ev and idt and lost):
    print("no summary")
    sys.exit()
events = sum(int(x) for x in ev.groups())
lines = out[1:] if out and out[0].startswith("TIME ") else out
print("header" if err.startswith("kmscope trace: ") else "no-header",
      "lost" if int(lost.group(1)) > 0 and lost.group(1) == idt.group(3) else "not-lost:" + lost.group(1),
      "all-printed" if len(lines) == events == int(idt.group(2)) else "printed %d of %d" % (len(lines), events),
      "stdout-clean" if all(re.match(r" *\d+\.\d{6} +\d+ +\d+ ", l) for l in lines) else "mixed")
PY
)
expect_eq "trace --ring-size 1, stalled reader: stderr reports the ring-buffer losses; every received event printed" \
	"$got" "header lost all-printed stdout-clean" "$(cat "$T/tl.err")"

trace_loss -j "$T/tlj.out" "$T/tlj.err"
got=$(python3 - "$T/tlj.out" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
s = lines[-1].get("summary")
evs = [l for l in lines[:-1] if "event" in l]
if not s:
    print("no summary")
    sys.exit()
print("lost" if s["lost"]["ringbuf"] > 0 else "not-lost",
      "all-printed" if len(evs) == len(lines) - 1 == sum(s["events"].values()) == s["counters"]["received"]
      else "printed %d of %d" % (len(evs), sum(s["events"].values())))
PY
)
expect_eq "trace -j --ring-size 1, stalled reader: a last summary line reports the ring-buffer losses" \
	"$got:$(grep -c . "$T/tlj.err")" "lost all-printed:0" "$(tail -c 600 "$T/tlj.out")" "$(cat "$T/tlj.err")"
