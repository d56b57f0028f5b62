# SPDX-License-Identifier: GPL-2.0
#
# cli.sh - the command line against the live kernel (issue 10, "What a
# first try of the CLI shows"): -p/--tid end the trace when their process
# or thread exits and the header says what was traced; filtering a
# recording on replay gives what the same filter gave live; a command that
# cannot be executed, or an output that cannot be written, fails before
# any report; no error line is ever empty.  The checks that need no BPF
# are in tests/replay/cli.sh.
#
# Sourced by run.sh (root): uses its ok/not_ok/expect_eq/skip_note (from
# tests/lib/tap.sh), json/site, KMS, KMGEN and T.

# --- -p: the trace ends when the process exits, and says so -----------------
sleep 1.5 &
spid=$!
t0=$(date +%s%N)
timeout 30 "$KMS" stat -q -n 3 -p $spid >"$T/cli-p.txt" 2>"$T/cli-p.err"
rc=$?
t1=$(date +%s%N)
wait $spid 2>/dev/null
expect_eq "cli: stat -p PID: exits 0 when the process exits (after ~1.5 s, not at Ctrl-C)" \
	"$rc:$(( (t1 - t0) < 10000000000 ))" "0:1" "$(cat "$T/cli-p.err")"
expect_eq "cli: stat -p PID: one stderr line says the process exited and the trace ended" \
	"$(cat "$T/cli-p.err")" "kmscope: process $spid (sleep) exited; trace ended"
expect_eq "cli: stat -p PID: the header names the process, not 'system-wide'" \
	"$(head -1 "$T/cli-p.txt" | sed 's/^kmscope stat: [0-9.]* s, //; s/, kernel .*//')" \
	"process $spid (sleep), filters: -p $spid"
# The same through record: the recording keeps the target for the replay's header.
sleep 1 &
spid=$!
timeout 30 "$KMS" record -q -p $spid -o "$T/cli-p.data" >/dev/null 2>"$T/cli-p.err"
rc=$?
wait $spid 2>/dev/null
expect_eq "cli: record -p PID: ends when it exits, and stat -i names it" \
	"$rc:$(grep -c "process $spid (sleep) exited; trace ended" "$T/cli-p.err"):$("$KMS" stat -i "$T/cli-p.data" | head -1 | grep -c "process $spid (sleep)")" \
	"0:1:1" "$(cat "$T/cli-p.err")"

# --- --tid: a thread that exits while its process goes on ----------------------
python3 -c '
import threading, time, sys
t = threading.Thread(target=lambda: (print(threading.get_native_id(), flush=True), time.sleep(1.5)))
t.start(); t.join(); time.sleep(30)' >"$T/cli-thr.out" &
ppid=$!
for _ in $(seq 50); do [ -s "$T/cli-thr.out" ] && break; sleep 0.1; done
tid=$(head -1 "$T/cli-thr.out")
timeout 30 "$KMS" stat -q -j --tid "$tid" -o "$T/cli-tid.json" 2>"$T/cli-tid.err"
rc=$?
expect_eq "cli: stat --tid: ends when the thread exits though its process runs on" \
	"$rc:$(cat "$T/cli-tid.err")" \
	"0:kmscope: thread $tid (python3) of process $ppid exited; trace ended"
kill $ppid 2>/dev/null
wait $ppid 2>/dev/null

# --- a filtered replay gives what the same filter gave live -------------------
# Two kmscopes at once: one filtering live with --comm kmgen, one recording
# the whole system; kmgen runs once while both trace.
"$KMS" stat -j -n 0 --comm kmgen -o "$T/cli-live.json" 2>"$T/cli-live.err" &
kl=$!
"$KMS" stat -j -o /dev/null -w "$T/cli-all.data" 2>"$T/cli-all.err" &
ka=$!
for _ in $(seq 100); do
	grep -q '^kmscope: tracing' "$T/cli-live.err" && grep -q '^kmscope: tracing' "$T/cli-all.err" && break
	sleep 0.1
done
"$KMGEN" msgq 150 64 >/dev/null &
kg=$!
wait $kg
sleep 0.2
kill -INT $kl $ka
wait $kl $ka
row() { # FILE: allocs frees bytes_req bytes_alloc live of load_msg
	python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
r = [s for s in j["sites"] if s["site"].startswith("load_msg+")]
print(" ".join(str(sum(s[k] for s in r)) for k in ("allocs", "frees", "bytes_req", "bytes_alloc", "live")))' "$1" 2>&1
}
"$KMS" stat -j -n 0 -i "$T/cli-all.data" --comm kmgen -o "$T/cli-rc.json" 2>/dev/null
"$KMS" stat -j -n 0 -i "$T/cli-all.data" -p $kg -o "$T/cli-rp.json" 2>/dev/null
expect_eq "cli: live --comm kmgen: 150 messages at load_msg" "$(row "$T/cli-live.json")" \
	"150 150 16800 19200 0" "$(tail -2 "$T/cli-live.err")"
expect_eq "cli: a whole-system recording replayed with --comm kmgen: the live filtered run's load_msg row" \
	"$(row "$T/cli-rc.json")" "$(row "$T/cli-live.json")"
expect_eq "cli: ... and with -p of kmgen's pid: the same" "$(row "$T/cli-rp.json")" "$(row "$T/cli-live.json")"
expect_eq "cli: ... the filtered replay accounts for every event the kernel saw" \
	"$(json "$T/cli-rc.json" 'j["counters"]["seen"] - j["counters"]["received"] - j["counters"]["filtered"] - j["counters"]["free_null"] - j["counters"]["free_untracked"] - j["counters"]["self"] - j["lost"]["ringbuf"]')" 0

# --- a command that cannot be executed: the error, no report ------------------
# The up-front check passes (an executable file); its exec fails (no such
# interpreter), and the child says so through its exec pipe.
printf '#!/nonexistent/interpreter\n' >"$T/cli-shebang"
chmod +x "$T/cli-shebang"
"$KMS" stat -q -- "$T/cli-shebang" >"$T/cli.out" 2>"$T/cli.err"
rc=$?
expect_eq "cli: -- CMD whose exec fails: one error line, no report, exit 127" \
	"$rc:$(wc -c <"$T/cli.out"):$(cat "$T/cli.err")" \
	"127:0:kmscope: error: cannot run '$T/cli-shebang': No such file or directory"
"$KMS" run -o "$T/cli-run.json" -- "$T/cli-shebang" >/dev/null 2>"$T/cli.err"
expect_eq "cli: run -- CMD whose exec fails: exit 127, no report file left" \
	"$?:$(ls "$T/cli-run.json" 2>/dev/null | wc -l)" "127:0" "$(cat "$T/cli.err")"

# --- an output that cannot be written: nothing is loaded --------------------------
"$KMS" stat -d 1 -o /nonexistent/x.txt >"$T/cli.out" 2>"$T/cli.err"
expect_eq "cli: stat -o /nonexistent/x.txt -d 1 as root: one line, exit 1, no trace started" \
	"$?:$(grep -c '^kmscope: tracing' "$T/cli.err"):$(cat "$T/cli.err")" \
	"1:0:kmscope: error: cannot create '/nonexistent/x.txt': No such file or directory"

# --- no error line ends after 'kmscope: error: ' -------------------------------
# Telling the command to start (its go pipe) fails: injected with strace.
if command -v strace >/dev/null; then
	strace -o /dev/null -e trace=write -e inject=write:error=EPIPE:when=1 \
		"$KMS" stat -q -- true >/dev/null 2>"$T/cli.err"
	rc=$?
	expect_eq "cli: the start of the command fails (EPIPE on its go pipe): a whole error line, exit 1" \
		"$rc:$(grep -c "^kmscope: error: cannot start 'true': .*Broken pipe" "$T/cli.err"):$(grep -c '^kmscope: error: *$' "$T/cli.err")" \
		"1:1:0" "$(cat "$T/cli.err")"
else
	skip_note "cli: strace is not installed (the go-pipe failure test)"
fi
