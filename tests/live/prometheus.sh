# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/live/run.sh (uses its KMS, KMGEN, T and helpers).
#
# kmscope serve scraped by a real Prometheus server (Debian's prometheus,
# started here on loopback with its own data directory, scraping every
# second): after `kmgen msgq 300 64` Prometheus's HTTP API returns exactly
# 300 allocations and 38400 bytes at load_msg; after `kmgen msgq 200 64`
# more, exactly 200 more.  And go tool pprof (Debian's golang-go) reads
# /debug/pprof/heap from the running server.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Installed, or unpacked by scripts/setup.sh without its service.
PROM=$(command -v prometheus || echo "${VMTEST_CACHE:-/var/tmp/vmtest-cache}/prometheus/usr/bin/prometheus")
if [ ! -x "$PROM" ]; then
	not_ok "prometheus: Debian's prometheus is there (scripts/setup.sh unpacks it)" "no $PROM"
else
	KPORT=$(free_port)
	PPORT=$(free_port)
	"$KMS" serve -q --comm kmgen --listen "127.0.0.1:$KPORT" >/dev/null 2>"$T/ps.err" &
	kpid=$!
	mkdir -p "$T/prom"
	cat >"$T/prom/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: kmscope
    static_configs:
      - targets: ['127.0.0.1:$KPORT']
YML
	"$PROM" --config.file="$T/prom/prometheus.yml" --storage.tsdb.path="$T/prom/data" \
		--web.listen-address="127.0.0.1:$PPORT" >"$T/prom/log" 2>&1 &
	ppid=$!
	# query EXPR: the value of a one-sample instant query, "none" without one.
	query() {
		curl -s --get "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode "query=$1" |
			python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if len(r) == 1 else "none")' 2>/dev/null || echo none
	}
	# settle EXPR WANT: wait (up to 20 s) until Prometheus has it, then print it.
	settle() {
		local v
		for _ in $(seq 40); do
			v=$(query "$1")
			[ "$v" = "$2" ] && break
			sleep 0.5
		done
		echo "$v"
	}
	expect_eq "prometheus: scrapes kmscope serve (up == 1)" "$(settle 'up{job="kmscope"}' 1)" 1 \
		"$(tail -3 "$T/prom/log")"
	"$KMGEN" msgq 300 64 >/dev/null
	expect_eq "prometheus: after kmgen msgq 300 64, 300 allocations at load_msg" \
		"$(settle 'sum(kmscope_allocations_total{site=~"load_msg\\+.*"})' 300)" 300
	expect_eq "prometheus: ... and 300 x 128 bytes allocated" \
		"$(settle 'sum(kmscope_allocated_bytes_total{site=~"load_msg\\+.*"})' 38400)" 38400
	"$KMGEN" msgq 200 64 >/dev/null
	expect_eq "prometheus: 200 messages more: exactly 200 more (500)" \
		"$(settle 'sum(kmscope_allocations_total{site=~"load_msg\\+.*"})' 500)" 500
	# Losses are the whole system's (a program the kernel skips is skipped
	# before any filter): their four series are there, whatever their value.
	expect_eq "prometheus: the four loss counters are scraped" \
		"$(settle 'count(kmscope_events_lost_total)' 4)" 4
	if command -v go >/dev/null; then
		HOME=$T go tool pprof -sample_index=alloc_objects -top \
			"http://127.0.0.1:$KPORT/debug/pprof/heap" >"$T/pp.top" 2>"$T/pp.err"
		expect_eq "go tool pprof: fetches /debug/pprof/heap, load_msg's 500 allocations" \
			"$(awk '$NF == "load_msg" { print $1 }' "$T/pp.top")" 500 \
			"$(head -12 "$T/pp.top") $(tail -3 "$T/pp.err")"
		# pprof's own -seconds: it asks for /debug/pprof/allocs?seconds=3.
		# serve opens the window at its next tick (1 s) after the request,
		# so the messages go once pprof's connection is up and a tick and
		# a half has passed (a fixed sleep raced pprof's start: 0 samples).
		HOME=$T go tool pprof -seconds 3 -sample_index=alloc_objects -top \
			"http://127.0.0.1:$KPORT/debug/pprof/allocs" >"$T/pp.win" 2>"$T/pp.werr" &
		pp=$!
		for ((pw = 0; pw < 200; pw++)); do
			ss -tnpH state established "( dport = :$KPORT )" | grep -q '"pprof"' && break
			sleep 0.05
		done
		sleep 1.5
		"$KMGEN" msgq 70 64 >/dev/null
		wait $pp
		expect_eq "go tool pprof -seconds 3: /debug/pprof/allocs over 3 s, load_msg's 70 made in it" \
			"$(awk '$NF == "load_msg" { print $1 }' "$T/pp.win")" 70 \
			"$(head -12 "$T/pp.win") $(tail -3 "$T/pp.werr")"
	else
		not_ok "go tool pprof: Debian's golang-go is installed (scripts/setup.sh installs it)"
	fi
	kill -TERM $ppid $kpid
	wait $ppid $kpid
fi
