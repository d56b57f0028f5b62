#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh - kmscope stat system-wide for a long time at full kmem event
# rate (the pipe workload in a loop on one CPU, a file-system walk in a
# loop on the other), sampling the collector's memory as it goes.
#
#   bench/soak.sh BUILD_DIR [SECONDS]      (root; default 1800)
#   SOAK_CMD=serve bench/soak.sh ...       kmscope serve instead, scraped
#                                          every second (/metrics,
#                                          /report.json, /debug/pprof/heap,
#                                          a 5 s allocs window every 30 s)
#
# Prints one CSV line per sample (seconds, RSS KiB, events seen so far is
# not known before the end, so the collector's live count comes from the
# progress of /proc) and, at the end, the accounting identity of the JSON
# report and the losses.  Results stay in $SOAK_DIR (default a temp dir).
set -u
BUILD=${1:?usage: soak.sh BUILD_DIR [SECONDS]}
SECS=${2:-1800}
KMS=$BUILD/kmscope
D=${SOAK_DIR:-$(mktemp -d /tmp/kms-soak.XXXXXX)}
mkdir -p "$D"
echo "soak: $SECS s, results in $D"
CMD=${SOAK_CMD:-stat}
if [ "$CMD" = serve ]; then
	PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$KMS" -j serve -q --listen "127.0.0.1:$PORT" >"$D/stat.json" 2>"$D/stat.err" &
	kpid=$!
	sleep 3
	( n=0; while kill -0 $kpid 2>/dev/null; do
		curl -s -o /dev/null "http://127.0.0.1:$PORT/metrics"
		curl -s -o /dev/null "http://127.0.0.1:$PORT/report.json"
		curl -s -o /dev/null "http://127.0.0.1:$PORT/debug/pprof/heap"
		[ $((n++ % 30)) = 0 ] && curl -s -o /dev/null "http://127.0.0.1:$PORT/debug/pprof/allocs?seconds=5" &
		sleep 1
	done ) &
	scraper=$!
	( sleep "$SECS"; kill -TERM $kpid ) &
else
	"$KMS" stat -q -j -n 10 -d "$SECS" -o "$D/stat.json" 2>"$D/stat.err" &
	kpid=$!
	sleep 2
fi
end=$((SECONDS + SECS - 5))
( while [ $SECONDS -lt $end ]; do taskset -c 0 "$BUILD/bench/kmsbench" pipe 200000 >/dev/null; done ) &
w1=$!
( while [ $SECONDS -lt $end ]; do taskset -c 1 find / -xdev >/dev/null 2>&1; done ) &
w2=$!
echo "seconds,rss_kib" >"$D/rss.csv"
t0=$SECONDS
while kill -0 $kpid 2>/dev/null; do
	rss=$(awk '/^VmRSS/ { print $2 }' /proc/$kpid/status 2>/dev/null)
	[ -n "$rss" ] && echo "$((SECONDS - t0)),$rss" >>"$D/rss.csv"
	sleep 30
done
wait $kpid
rc=$?
kill $w1 $w2 ${scraper:-} 2>/dev/null
wait 2>/dev/null
python3 - "$D/stat.json" "$D/rss.csv" "$rc" "$CMD" <<'PY'
import csv, json, sys
j = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
c, l = j["counters"], j["lost"]
accounted = c["received"] + c["filtered"] + c["free_null"] + c["free_untracked"] + c["self"] + l["ringbuf"]
rss = [int(r["rss_kib"]) for r in rows]
print("%s: exit %s, %.0f s, events seen %d (%.0f/s), identity seen == received + filtered + kfree(NULL) + untracked + own + ring lost: %s"
      % (sys.argv[4], sys.argv[3], j["duration_s"], c["seen"], c["seen"] / j["duration_s"], c["seen"] == accounted))
print("lost: ring %d, recursion %d (%.4f%% of seen), names %d; unmatched frees %d, realloc without free %d, live at end %d"
      % (l["ringbuf"], l["recursion"], 100.0 * l["recursion"] / max(c["seen"], 1), l["names"],
         l["unmatched_frees"], l["realloc_without_free"], j["live"]))
if rss:
    q = len(rss) // 4
    print("RSS KiB: first %d, 25%% %d, 50%% %d, 75%% %d, last %d, max %d (%d samples)"
          % (rss[0], rss[q], rss[len(rss) // 2], rss[3 * q], rss[-1], max(rss), len(rss)))
PY
