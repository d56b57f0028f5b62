# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/live/run.sh (uses its KMS, KMGEN, T and helpers).
#
# kmscope serve on loopback, tracing only kmgen (--comm): after `kmgen
# msgq 500 64`, /metrics has exactly 500 allocations and 500 frees of
# 128-byte objects at load_msg, as counters; /report.json is the stat
# JSON with the same site; /debug/pprof/heap and allocs are pprof
# profiles, and ?seconds=N counts only its window; bad
# methods, paths and oversized requests get errors and change nothing;
# SIGTERM ends it with exit 0 and nothing left loaded.
SPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SURL=http://127.0.0.1:$SPORT
"$KMS" serve -q --comm kmgen --listen "127.0.0.1:$SPORT" >"$T/serve.out" 2>"$T/serve.err" &
spid=$!
for _ in $(seq 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$SURL/healthz")" = 200 ] && break
	sleep 0.1
done
expect_eq "serve: /healthz answers 200 once the first snapshot is there" \
	"$(curl -s -w ' %{http_code}' "$SURL/healthz")" "ok
 200" "$(cat "$T/serve.err")"
# Every thread, the HTTP server's included, runs without the capabilities
# loading BPF took: only CAP_DAC_OVERRIDE (bit 1) stays (src/live/privs.h).
expect_eq "serve: every thread, the HTTP one included, holds only CAP_DAC_OVERRIDE" \
	"$(cat /proc/$spid/task/*/status | sed -n 's/^CapEff:\t*//p' | sort -u | tr '\n' ' ')$([ "$(ls /proc/$spid/task | wc -l)" -ge 2 ] && echo threads)" \
	"0000000000000002 threads"
"$KMGEN" msgq 500 64 >/dev/null
sleep 2.5	# two snapshots (one a second)
curl -s "$SURL/metrics" >"$T/serve.prom"
# metric SERIES: the value of a sample whose line starts with the series name and labels.
prom() { grep -E "^$1" "$T/serve.prom" | head -1 | awk '{ print $NF }'; }
expect_eq "serve: /metrics counts load_msg's 500 allocations, 500 frees, 64000 bytes allocated" \
	"$(prom 'kmscope_allocations_total\{site="load_msg\+') $(prom 'kmscope_frees_total\{site="load_msg\+') $(prom 'kmscope_allocated_bytes_total\{site="load_msg\+')" \
	"500 500 64000" "$(grep load_msg "$T/serve.prom" | head -3)"
expect_eq "serve: counters are typed counter, live objects gauge; no kernel address" \
	"$(grep -c '^# TYPE kmscope_allocations_total counter$' "$T/serve.prom") $(grep -c '^# TYPE kmscope_live_objects gauge$' "$T/serve.prom") $(grep -c 'ffffffff' "$T/serve.prom")" \
	"1 1 0"
expect_eq "serve: the tables' bounds (live 4194304 by default), entries and what found no room" \
	"$(prom 'kmscope_table_limit\{table="live"\}') $(prom 'kmscope_table_entries\{table="sites"\}' | grep -c '^[1-9]') $(prom 'kmscope_not_kept_total\{what="allocations"\}') $(prom 'kmscope_not_kept_total\{what="stacks"\}')" \
	"4194304 1 0 0"
# Prometheus's text format, read by python3-prometheus-client's parser.
expect_eq "serve: /metrics parses as Prometheus text (python3-prometheus-client)" \
	"$(/usr/bin/python3 -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = list(text_string_to_metric_families(open(sys.argv[1]).read()))
print(len(fams) > 10, all(f.type in ("counter", "gauge") for f in fams))' "$T/serve.prom" 2>&1)" "True True"
# Asked for OpenMetrics (as Prometheus asks), the same numbers in that format.
curl -s -H 'Accept: application/openmetrics-text; version=1.0.0,text/plain;q=0.5' \
	-D "$T/serve.om.h" "$SURL/metrics" >"$T/serve.om"
expect_eq "serve: OpenMetrics by the Accept header: its content type, parsed strictly, load_msg 500" \
	"$(grep -ci '^content-type: application/openmetrics-text' "$T/serve.om.h") $(/usr/bin/python3 -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
print(sum(s.value for s in fams["kmscope_allocations"].samples if s.labels.get("site", "").startswith("load_msg+")))' "$T/serve.om" 2>&1)" \
	"1 500"
curl -s "$SURL/report.json" >"$T/serve.json"
expect_eq "serve: /report.json is the stat JSON: load_msg 500 allocations" \
	"$(site "$T/serve.json" '^load_msg\+' allocs)" 500
curl -s "$SURL/debug/pprof/heap" >"$T/serve.pb.gz"
expect_eq "serve: /debug/pprof/heap is a pprof profile with load_msg's 500 allocations" \
	"$(python3 "$DIR/../tools/pprof_read.py" "$T/serve.pb.gz" | python3 -c '
import json, sys
p = json.load(sys.stdin)
print(sum(v[0] for s, v in zip(p["stacks"], p["values"]) if s[0] == "load_msg"))' 2>&1)" 500
# Hostile and wrong requests: refused, and the trace's counts stay exact.
expect_eq "serve: POST 405, an unknown path 404, a path outside 404, a 64 KiB header refused" \
	"$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x "$SURL/metrics") $(curl -s -o /dev/null -w '%{http_code}' "$SURL/nope") $(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$SURL/../../etc/passwd") $(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 65536 /dev/zero | tr '\0' a)" "$SURL/metrics")" \
	"405 404 404 431"
cpids=""
for _ in $(seq 50); do
	curl -s -o /dev/null "$SURL/metrics" &
	cpids="$cpids $!"
done
wait $cpids
"$KMGEN" msgq 100 64 >/dev/null
sleep 2.5
curl -s "$SURL/metrics" >"$T/serve.prom"
expect_eq "serve: after 50 concurrent scrapes and 100 more messages: load_msg 600 allocations" \
	"$(prom 'kmscope_allocations_total\{site="load_msg\+')" 600
# Findings, per kind on /metrics and in full in /report.json: 120 messages
# kept queued are a leak of 120 at load_msg.
"$KMGEN" hold 120 64 >"$T/serve.hold"
sleep 2.5
curl -s "$SURL/metrics" >"$T/serve.prom"
curl -s "$SURL/report.json" >"$T/serve.json"
hq=$(sed -n 's/.*msqid=\([0-9]*\).*/\1/p' "$T/serve.hold")
[ -n "$hq" ] && ipcrm -q "$hq"
expect_eq "serve: 120 queued messages: kmscope_findings{kind=\"leak\"} >= 1, every kind x severity a series" \
	"$([ "$(grep -E '^kmscope_findings\{kind="leak",' "$T/serve.prom" | awk '{ n += $NF } END { print n + 0 }')" -ge 1 ] && echo leak) $(grep -c '^kmscope_findings{' "$T/serve.prom")" \
	"leak 60" "$(grep kmscope_findings "$T/serve.prom" | grep -v ' 0$')"
expect_eq "serve: /report.json's memory bill has the kernel's half (/sys/kernel/slab read on its own thread)" \
	"$(json "$T/serve.json" 'any(m["kernel"] and m["kernel"]["slabs"] > 0 for m in j["memory"])')" True
expect_eq "serve: /report.json has the leak: 120 objects at load_msg" \
	"$(json "$T/serve.json" '[f["count"] for f in j["findings"] if f["kind"] == "leak" and f["site"].startswith("load_msg+")]')" \
	"[120]"
# pprof_sum FILE: alloc_objects at load_msg, the default sample type, the duration in whole seconds.
pprof_sum() {
	python3 "$DIR/../tools/pprof_read.py" "$1" | python3 -c '
import json, sys
p = json.load(sys.stdin)
print(sum(v[0] for s, v in zip(p["stacks"], p["values"]) if s[0] == "load_msg"),
      p["default_sample_type"], round(p["duration_nanos"] / 1e9))' 2>&1
}
curl -s "$SURL/debug/pprof/allocs" >"$T/serve.allocs.pb.gz"
expect_eq "serve: /debug/pprof/allocs: load_msg's 720 allocations since the start (120 held), alloc_space first" \
	"$(pprof_sum "$T/serve.allocs.pb.gz" | cut -d' ' -f1,2)" "720 alloc_space"
# A window (Go's ?seconds=N): only what was allocated during it.  The
# request waits 3 s; 150 messages go in the middle of it.
curl -s -o "$T/serve.win.pb.gz" -w '%{http_code} %{content_type}' "$SURL/debug/pprof/allocs?seconds=3" \
	>"$T/serve.win.code" &
wpid=$!
sleep 1.2
"$KMGEN" msgq 150 64 >/dev/null
wait $wpid
expect_eq "serve: /debug/pprof/allocs?seconds=3: exactly the 150 allocations made during it, over 3 s" \
	"$(cat "$T/serve.win.code") $(pprof_sum "$T/serve.win.pb.gz")" \
	"200 application/octet-stream 150 alloc_space 3"
curl -s -o "$T/serve.hwin.pb.gz" "$SURL/debug/pprof/heap?seconds=1" >/dev/null
expect_eq "serve: /debug/pprof/heap?seconds=1: a window with nothing made, inuse_space first" \
	"$(pprof_sum "$T/serve.hwin.pb.gz")" "0 inuse_space 1"
expect_eq "serve: seconds=0, seconds=301, seconds=x and debug=1 are 400" \
	"$(for q in seconds=0 seconds=301 seconds=x debug=1; do curl -s -o /dev/null -w '%{http_code} ' "$SURL/debug/pprof/allocs?$q"; done)" \
	"400 400 400 400 "
# At most 8 windows at once: the 9th is refused at once, the 8 answer.
# (From two source addresses, 4 each, and the 9th from a third: one
# address alone meets the limit of 8 connections per client first.)
wpids=""
for i in $(seq 8); do
	curl -s -o /dev/null -w '%{http_code}\n' --interface "127.0.0.$((i % 2 + 2))" \
		"$SURL/debug/pprof/allocs?seconds=2" >>"$T/serve.w8" &
	wpids="$wpids $!"
done
sleep 0.5
w9=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.4 "$SURL/debug/pprof/allocs?seconds=2")
wait $wpids
expect_eq "serve: 8 windows open at once answer 200, a 9th is refused with 503" \
	"$(sort "$T/serve.w8" | uniq -c | awk '{ print $1 "x" $2 }') $w9" "8x200 503"
# A window still open when kmscope stops is told so, not cut off.
curl -s -w ' %{http_code}' "$SURL/debug/pprof/allocs?seconds=60" >"$T/serve.wstop" &
wpid=$!
sleep 1.5
kill -TERM $spid
wait $spid
src=$?
wait $wpid
expect_eq "serve: a window open at SIGTERM gets 503 'kmscope is stopping'" \
	"$(cat "$T/serve.wstop")" "kmscope is stopping
 503"
expect_eq "serve: SIGTERM stops it, exit 0" "$src" 0 "$(tail -3 "$T/serve.err")"
expect_eq "serve: the port is closed" "$(curl -s -o /dev/null -w '%{http_code}' "$SURL/healthz")" 000
"$KMS" serve -q --listen "127.0.0.1:$SPORT" -d 1 >/dev/null 2>&1 &
sleep 0.5
"$KMS" serve -q --listen "127.0.0.1:$SPORT" -d 1 >/dev/null 2>"$T/serve2.err"
rc=$?
wait
expect_eq "serve: a port taken: exit 1, one line" "$rc $(wc -l <"$T/serve2.err")" "1 1" "$(cat "$T/serve2.err")"
"$KMS" serve --listen nowhere:80 >/dev/null 2>"$T/serve3.err"
expect_eq "serve: --listen with a name, not an address: exit 1, one line" \
	"$? $(wc -l <"$T/serve3.err")" "1 1" "$(cat "$T/serve3.err")"
# -j: when it ends, the whole run's stat JSON on stdout.
"$KMS" serve -q -j -d 1.5 --comm kmgen --listen "127.0.0.1:$SPORT" -- \
	sh -c "exec '$KMGEN' msgq 50 64 >/dev/null" >"$T/serve-final.json" 2>"$T/serve4.err"
expect_eq "serve -j: the run's stat JSON when it ends (load_msg 50)" \
	"$(site "$T/serve-final.json" '^load_msg\+' allocs)" 50 "$(cat "$T/serve4.err")"

# --log FILE, and SIGHUP opens it again (logrotate moves it first): the
# server goes on, its messages in the new file.  With -g, whose stacks the
# live profile carries.
SPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$KMS" serve -g --comm kmgen --listen "127.0.0.1:$SPORT" --log "$T/serve.log" >/dev/null 2>"$T/serve.err" &
spid=$!
for _ in $(seq 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SPORT/healthz")" = 200 ] && break
	sleep 0.1
done
mv "$T/serve.log" "$T/serve.log.1"
kill -HUP $spid
sleep 0.5
"$KMGEN" msgq 40 64 >/dev/null
sleep 2.5
expect_eq "serve --log: the start line in the log; SIGHUP: a new log, the server goes on (load_msg 40)" \
	"$(grep -c 'serving on http' "$T/serve.log.1") $(grep -c 'SIGHUP: log opened again' "$T/serve.log") $(curl -s "http://127.0.0.1:$SPORT/metrics" | grep -E '^kmscope_allocations_total\{site="load_msg\+' | awk '{ print $NF }') $(wc -c <"$T/serve.err")" \
	"1 1 40 0" "$(cat "$T/serve.log.1" "$T/serve.log" "$T/serve.err" 2>&1 | tail -5)"
# -g: the stacks are fetched at each snapshot, so the live profile has them.
curl -s "http://127.0.0.1:$SPORT/debug/pprof/heap" >"$T/serve.g.pb.gz"
expect_eq "serve -g: /debug/pprof/heap while tracing: load_msg's 40 under their stack (do_msgsnd)" \
	"$(python3 "$DIR/../tools/pprof_read.py" "$T/serve.g.pb.gz" | python3 -c '
import json, sys
p = json.load(sys.stdin)
print(sum(v[0] for s, v in zip(p["stacks"], p["values"]) if s[0] == "load_msg" and "do_msgsnd" in s))' 2>&1)" 40
kill -TERM $spid
wait $spid
expect_eq "serve --log: SIGTERM still ends it, exit 0" "$?" 0
out=$("$KMS" serve --log /nonexistent/dir/kmscope.log 2>&1)
rc=$?
expect_eq "serve --log in a missing directory: exit 1, one line" \
	"$rc $(echo "$out" | wc -l) $(echo "$out" | grep -c "cannot open '/nonexistent/dir/kmscope.log'")" "1 1 1" "$out"
