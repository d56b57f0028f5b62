# SPDX-License-Identifier: GPL-2.0
#
# cli.sh - the command line as a new user meets it (issue 10, "What a first
# try of the CLI shows"): a bad option, target, file or command is one
# error line with the right exit code, said before anything is traced;
# filters apply to recordings; errors are JSON under -j from the first
# option on.  None of it needs root or BPF.
#
# Sourced by run.sh: uses its ok/not_ok/expect_eq, KMS, DIR and T.

# err1 NAME RC REGEX CMD...: exit RC, nothing on stdout, exactly one line
# on stderr: "kmscope: error: " then text matching REGEX (grep -E).
err1() {
	local name=$1 want=$2 re=$3 rc
	shift 3
	"$@" >"$T/cli.out" 2>"$T/cli.err" </dev/null
	rc=$?
	if [ $rc -eq "$want" ] && [ ! -s "$T/cli.out" ] && [ "$(wc -l <"$T/cli.err")" -eq 1 ] &&
		grep -Eq "^kmscope: error: $re" "$T/cli.err"; then
		ok "$name"
	else
		not_ok "$name" "exit $rc, want $want" "stderr: $(head -3 "$T/cli.err")" \
			"stdout: $(head -c 300 "$T/cli.out")"
	fi
}

# errj NAME RC JSON CMD...: exit RC, stdout exactly the line JSON, stderr empty.
errj() {
	local name=$1 want=$2 json=$3 rc
	shift 3
	"$@" >"$T/cli.out" 2>"$T/cli.err" </dev/null
	rc=$?
	if [ $rc -eq "$want" ] && [ "$(cat "$T/cli.out")" = "$json" ] && [ ! -s "$T/cli.err" ]; then
		ok "$name"
	else
		not_ok "$name" "exit $rc, want $want" "stdout: $(head -c 300 "$T/cli.out")" \
			"stderr: $(head -3 "$T/cli.err")"
	fi
}

EDGE=$DIR/edge.data
MSGQ=$DIR/msgq-6.18.data

# --- 1. -p / --tid of a process or thread that is not running -----------------
err1 "cli: stat -p of no process: one line, exit 2" 2 "-p 999999: no such process is running$" \
	"$KMS" stat -p 999999 -d 1
err1 "cli: stat --tid of no thread: one line, exit 2" 2 "--tid 999999: no such thread is running$" \
	"$KMS" stat --tid 999999 -d 1
# A zombie has exited: nothing more to trace.
zpid=$(sh -c 'sleep 0 & echo $!; exec sleep 5' | head -1)
sleep 0.3
err1 "cli: stat -p of a zombie: it has exited, exit 2" 2 "-p $zpid: no such process is running$" \
	"$KMS" stat -p "$zpid" -d 1
err1 "cli: --tid of a thread of another process than -p: nothing could match, exit 2" 2 \
	"--tid $$ is a thread of process $$, not of -p 1: nothing could match$" \
	"$KMS" stat -p 1 --tid $$ -d 1

# --- 2. options and recordings -------------------------------------------------
for o in "-d 1:-d/--duration" "--duration=1:-d/--duration" \
	"--ring-size 1:--ring-size" "--kallsyms /proc/kallsyms:--kallsyms" "--classic:--classic" \
	"--model-only:--model-only" "--no-scope:--no-scope" "--drop-caches:--drop-caches" "-g:-g/--stacks" \
	"--stacks=findings:-g/--stacks" "--stack-entries 10:--stack-entries" "--backup:--backup" \
	"--backup=frees:--backup"; do
	err1 "cli: stat -i with ${o%%:*}: refused, naming it, exit 2" 2 \
		"${o#*:} applies to a live trace, not to a recording \(-i\): drop it$" \
		"$KMS" stat -i "$EDGE" ${o%%:*}
done
err1 "cli: stat --backup=bogus: one line saying the two forms, exit 2" 2 \
	"invalid --backup 'bogus': give --backup \\(every event\\) or --backup=frees \\(the frees only\\)" \
	"$KMS" stat --backup=bogus -d 1
for c in top serve; do
	err1 "cli: $c --drop-caches: refused (no end to drop them at), exit 2" 2 \
		"$c .* --drop-caches is for a trace that ends in a report" "$KMS" $c --drop-caches
done
err1 "cli: check --drop-caches: refused (more freed at once than its bounds), exit 2" 2 \
	"check compares the trace with /proc/slabinfo within each cache's per-CPU slack; --drop-caches frees more" \
	"$KMS" check --drop-caches -d 1
err1 "cli: report -i with -d: refused the same way" 2 "-d/--duration applies to a live trace" \
	"$KMS" report -i "$EDGE" -d 5
err1 "cli: trace -i with --ring-size: refused the same way" 2 "--ring-size applies to a live trace" \
	"$KMS" trace -i "$EDGE" --ring-size 4
err1 "cli: stat -i with -- CMD: refused, exit 2" 2 "-i replays a recording; it cannot be combined with -- CMD$" \
	"$KMS" stat -i "$EDGE" -- true
err1 "cli: record -w: refused (record writes to -o), exit 2" 2 \
	"record writes its recording to -o FILE; -w is for" \
	"$KMS" record -d 1 -w "$T/x.data" -o "$T/y.data"
err1 "cli: record -i: says record is live, not a word about -w, exit 2" 2 \
	"record traces the live system; -i is for the analysing commands$" \
	"$KMS" record -i "$T/run.data"
err1 "cli: top -i: says top is live, exit 2" 2 "top shows the live system" "$KMS" top -i "$EDGE"

# Filters apply to a recording as they would have live.  msgq-6.18.data
# traced kmgen msgq 20 64 and its process tree: 134 allocations, 90 frees,
# of them 78/57 by the process once it was kmgen and 56/33 before its exec
# (comm kmscope); the 20 SysV messages are 112-byte requests at load_msg.
filtered() { # FILTERS...: "allocs frees load_msg-allocs/frees unaccounted filters"
	"$KMS" stat -j -n 0 -i "$MSGQ" "$@" 2>"$T/cli.err" | python3 -c '
import json, sys
j = json.load(sys.stdin); c = j["counters"]
lm = [s for s in j["sites"] if s["site"].startswith("load_msg+")]
print(sum(s["allocs"] for s in j["sites"]), sum(s["frees"] for s in j["sites"]),
      "%d/%d" % (sum(s["allocs"] for s in lm), sum(s["frees"] for s in lm)),
      c["seen"] - c["received"] - c["filtered"] - c["free_null"] - c["free_untracked"] -
      c["self"] - j["lost"]["ringbuf"], repr(j["filters"]))' 2>&1
}
expect_eq "cli: stat -i, no filter: 134 allocations, 90 frees, 20/20 at load_msg" \
	"$(filtered)" "134 90 20/20 0 ''"
expect_eq "cli: stat -i --comm kmgen: the 78 allocations and 57 frees of kmgen, every event accounted" \
	"$(filtered --comm kmgen)" "78 57 20/20 0 '--comm kmgen'" "$(cat "$T/cli.err")"
expect_eq "cli: stat -i --comm kmscope: the other 56 and 33, none at load_msg" \
	"$(filtered --comm kmscope)" "56 33 0/0 0 '--comm kmscope'"
expect_eq "cli: stat -i --comm nosuchcomm: nothing kept, all of it counted as filtered" \
	"$(filtered --comm nosuchcomm)" "0 0 0/0 0 '--comm nosuchcomm'"
expect_eq "cli: stat -i --min-size 112 --max-size 112: exactly the 20 messages and their frees" \
	"$(filtered --min-size 112 --max-size 112)" "20 20 20/20 0 '--min-size 112 --max-size 112'"
expect_eq "cli: stat -i --min-size 113 + --max-size 112 partition all 134 allocations" \
	"$(( $(filtered --min-size 113 | cut -d' ' -f1) + $(filtered --max-size 112 | cut -d' ' -f1) ))" 134
tgid=$("$KMS" trace -j -i "$MSGQ" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["tid"])')
expect_eq "cli: stat -i -p (the traced process): all of it; -p 1: none of it" \
	"$(filtered -p "$tgid" | cut -d' ' -f1-4) / $(filtered -p 1 | cut -d' ' -f1-4)" \
	"134 90 20/20 0 / 0 0 0/0 0"
expect_eq "cli: stat -i --tid: as -p for a one-thread process" \
	"$(filtered --tid "$tgid" | cut -d' ' -f1-4)" "134 90 20/20 0"
expect_eq "cli: trace -i --comm kmgen prints only kmgen's events" \
	"$("$KMS" trace -i "$MSGQ" --comm kmgen | awk 'NR > 1 && $5 ~ /alloc/ { print $4 }' | sort | uniq -c | tr -s ' ')" \
	" 78 kmgen"
expect_eq "cli: the text header says the filter applied on replay" \
	"$("$KMS" stat -i "$MSGQ" --comm kmgen | head -1 | grep -o 'filters: --comm kmgen')" \
	"filters: --comm kmgen"
err1 "cli: check -i with a filter: refused, check needs everyone" 2 "check compares the trace" \
	"$KMS" check -i "$MSGQ" --comm kmgen

# --cgroup on a recording: the allocations of the tasks the recording put
# in that cgroup, as the kernel's filter would have kept them live.
CGR=$DIR/cgroups-6.18.data
cg_rows() { # FILE [CGROUP]: site allocs bytes_alloc frees, of one cgroup's row or of all sites
	python3 - "$@" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
rows = j["sites"] if len(sys.argv) < 3 else \
	next(g["sites"] for g in j["cgroups"] if g["cgroup"] == sys.argv[2])
for s in sorted(rows, key=lambda s: s["site"]):
    print(s["site"], s["allocs"], s["bytes_alloc"], s["frees"])
PY
}
for g in a b; do
	"$KMS" stat -j -n 0 --cgroup /kms-replay-$g -i "$CGR" >"$T/cg-$g.json" 2>"$T/err"
	expect_eq "cgroups-6.18: stat --cgroup /kms-replay-$g: exactly the sites of its --by cgroup row" \
		"$(cg_rows "$T/cg-$g.json")" "$(cg_rows "$DIR/expected/cgroups-6.18.stat.json" /kms-replay-$g)" \
		"$(cat "$T/err")"
done
expect_eq "cgroups-6.18: --cgroup: load_msg 30 x 128 B in a, 20 x 192 B in b; the rest filtered" \
	"$(python3 -c 'import json, sys
for f in sys.argv[1:]:
    j = json.load(open(f)); c = j["counters"]
    m = [s for s in j["sites"] if s["site"].startswith("load_msg+")][0]
    print(m["allocs"], m["bytes_alloc"], c["filtered"], c["seen"] - c["received"] - c["filtered"] -
          c["free_null"] - c["free_untracked"] - c["self"] - j["lost"]["ringbuf"], j["filters"])' \
	"$T/cg-a.json" "$T/cg-b.json")" \
	"30 3840 332 0 --cgroup /kms-replay-a
20 3840 368 0 --cgroup /kms-replay-b"
"$KMS" stat -j -n 0 --cgroup kms-replay-a/ -i "$CGR" >"$T/cg-a2.json" 2>"$T/err"
expect_eq "cgroups-6.18: --cgroup kms-replay-a/ is the same cgroup" \
	"$(cg_rows "$T/cg-a2.json")" "$(cg_rows "$T/cg-a.json")"
cgid=$(python3 -c 'import json, sys
print([g["id"] for g in json.load(open(sys.argv[1]))["cgroups"] if g["cgroup"] == "/kms-replay-a"][0])' \
	"$DIR/expected/cgroups-6.18.stat.json")
"$KMS" stat -j -n 0 --cgroup "id:$cgid" -i "$CGR" >"$T/cg-id.json" 2>"$T/err"
expect_eq "cgroups-6.18: --cgroup id:$cgid is the same cgroup" \
	"$(cg_rows "$T/cg-id.json")" "$(cg_rows "$T/cg-a.json")"
err1 "cgroups-6.18: --cgroup of a path the recording does not have: one line, exit 1" 1 \
	"--cgroup '/kms-replay-c': no cgroup of '.*cgroups-6.18.data' has that path; give it as .kmscope stat -i .* --by cgroup. prints it, or as id:N$" \
	"$KMS" stat --cgroup /kms-replay-c -i "$CGR"
err1 "cgroups-6.18: --cgroup id: not a number: one line, exit 1" 1 \
	"--cgroup 'id:a': the id after id: is a whole number from 1$" "$KMS" stat --cgroup id:a -i "$CGR"
err1 "cgroups-6.18: --cgroup on a recording read from a pipe: one line, exit 1" 1 \
	"--cgroup: the cgroups of '/dev/fd/[0-9]*' are at its end, and it cannot be read twice \\(a pipe\\?\\): give a file$" \
	"$KMS" stat --cgroup /kms-replay-a -i <(cat "$CGR")
err1 "msgq-6.18: --cgroup by path of a recording without CGROUPS: one line, exit 1" 1 \
	"--cgroup '/x': '.*msgq-6.18.data' names no cgroup by path \(it has no CGROUPS section" \
	"$KMS" stat --cgroup /x -i "$DIR/msgq-6.18.data"


# --- 3. outputs are opened before tracing -------------------------------------
# Each fails at once (before the 1 s trace, before anything is loaded),
# with one line and exit 1, whether or not we are root.
outfail() { # NAME CMD...: one line naming /nonexistent/x, exit 1, in < 1 s
	local name=$1 t0 t1
	shift
	t0=$(date +%s%N)
	err1 "$name" 1 "cannot create '/nonexistent/x[^']*': No such file or directory$" "$@"
	t1=$(date +%s%N)
	expect_eq "$name: before tracing (in under 0.5 s)" "$(( (t1 - t0) < 500000000 ))" 1
}
outfail "cli: stat -o /nonexistent/x -d 1" "$KMS" stat -o /nonexistent/x -d 1
outfail "cli: stat --openmetrics -o /nonexistent/x -d 1" "$KMS" stat --openmetrics -o /nonexistent/x -d 1
outfail "cli: report -o /nonexistent/x -d 1" "$KMS" report -o /nonexistent/x -d 1
for o in --html --pprof --speedscope; do
	outfail "cli: report $o /nonexistent/x -d 1" "$KMS" report -o "$T/r.txt" $o /nonexistent/x -d 1
	expect_eq "cli: report $o /nonexistent/x: the -o file created for it is removed" \
		"$(ls "$T/r.txt" 2>&1 | grep -c 'No such file')" 1
done
outfail "cli: run -o /nonexistent/x -- sleep 1" "$KMS" run -o /nonexistent/x -- sleep 1
outfail "cli: check -o /nonexistent/x -d 1" "$KMS" check -o /nonexistent/x -d 1
# import: before a stream is read (a writer holds the FIFO open for 3 s).
mkfifo "$T/cli.fifo"
sleep 3 >"$T/cli.fifo" &
writer=$!
outfail "cli: import -o /nonexistent/x (before the input is read)" \
	"$KMS" import "$T/cli.fifo" -o /nonexistent/x
kill $writer 2>/dev/null
wait $writer 2>/dev/null
echo keep >"$T/keep.txt"
"$KMS" stat -o "$T/keep.txt" -i "$T/nonexistent.data" >/dev/null 2>&1
expect_eq "cli: an existing -o file is left as it was when the run fails" "$(cat "$T/keep.txt")" keep
err1 "cli: -o the recording read with -i: refused, exit 2" 2 "'.*edge.data' is the recording read with -i" \
	"$KMS" stat -i "$EDGE" -o "$EDGE"
"$KMS" stat -n 0 -i "$EDGE" -o "$T/ok.txt" 2>/dev/null
expect_eq "cli: a prepared -o file gets the whole report" "$(cmp "$T/ok.txt" "$DIR/expected/edge.stat.txt" && echo same)" same

# --- 4. numbers, sizes, commands, recordings --------------------------------------
for num in -1 99999999999999999999 4294967296 0x10 " 5" 1e3; do
	err1 "cli: stat -n '$num': refused, exit 2" 2 \
		"invalid -n '$num': a whole number from 0 to 4294967295; see kmscope stat --help$" \
		"$KMS" stat -n "$num" -i "$EDGE"
done
err1 "cli: report -n -1: the same parser" 2 "invalid -n '-1'" "$KMS" report -n -1 -i "$EDGE"
err1 "cli: diff -n -1: the same parser" 2 "invalid -n '-1'" "$KMS" diff -n -1 a.json b.json
# A gate on the memory bill needs reports that have one: a stat report has none.
MB=$DIR/../fixtures/report-membill
"$KMS" stat -j -n 0 -i "$EDGE" >"$T/stat.json" 2>/dev/null
err1 "cli: diff --max-increase slab_bytes with a stat report: refused, exit 2" 2 \
	"--max-increase slab_bytes: .*stat.json has no memory bill \\(write it with kmscope run -o" \
	"$KMS" diff "$T/stat.json" "$MB-new.json" --max-increase slab_bytes=10
"$KMS" diff "$MB-base.json" "$MB-new.json" --max-increase slab_bytes=10 \
	--max-increase rounding=50 >"$T/mb.out" 2>&1
expect_eq "cli: diff gates on the memory bill: slab_bytes +33.3% crosses 10%, rounding +5% holds 50%, exit 1" \
	"$? $(grep -c '^--max-increase slab_bytes=10: slab_bytes 24.0 KiB -> 32.0 KiB (+33.3%), limit +10%: CROSSED$' "$T/mb.out") $(grep -c '^--max-increase rounding=50: .*: ok$' "$T/mb.out") $(grep -c '^NEW CACHE ' "$T/mb.out")" \
	"1 1 1 1" "$(cat "$T/mb.out")"
err1 "cli: top --iterations -1: the same parser" 2 "invalid --iterations '-1'" "$KMS" top --iterations -1
err1 "cli: report --hot -1: the same parser" 2 "invalid --hot '-1'" "$KMS" report --hot -1 -i "$EDGE"
err1 "cli: --min-size 100 --max-size 10: refused, exit 2" 2 \
	"--min-size 100 is larger than --max-size 10: no allocation could match$" \
	"$KMS" stat --min-size 100 --max-size 10 -d 1
err1 "cli: -- /nonexistent/cmd: the error first, no report, exit 127" 127 \
	"cannot run '/nonexistent/cmd': No such file or directory$" "$KMS" stat -d 1 -- /nonexistent/cmd
err1 "cli: -- a command not in PATH: exit 127" 127 "cannot run 'no-such-command-kms': No such file" \
	"$KMS" report -- no-such-command-kms
printf 'echo hi\n' >"$T/noexec.sh"
chmod 0644 "$T/noexec.sh"
err1 "cli: -- a file that is not executable: exit 126" 126 "cannot run '$T/noexec.sh': Permission denied$" \
	"$KMS" stat -- "$T/noexec.sh"
err1 "cli: -- a directory: exit 126" 126 "cannot run '/tmp': Is a directory$" "$KMS" stat -- /tmp
printf 'not a recording at all\n' >"$T/garbage.data"
err1 "cli: sizes -i a file that is not a recording says so (not ENOENT), exit 1" 1 \
	"'.*garbage.data' at offset 0: not a kmscope recording" "$KMS" sizes -i "$T/garbage.data" 200
err1 "cli: sizes -i a recording without a /sys/kernel/slab snapshot says so, exit 1" 1 \
	"'.*edge.data' holds no /sys/kernel/slab snapshot" "$KMS" sizes -i "$EDGE" 200
err1 "cli: sizes -i a missing file: No such file or directory, exit 1" 1 \
	"cannot open '.*nonexistent.data': No such file or directory$" "$KMS" sizes -i "$T/nonexistent.data" 200

# --- 5. errors are JSON under -j, argp's included, wherever -j is -------------
errj "cli: stat -j -d abc: JSON error, exit 2" 2 \
	"{\"error\":\"invalid duration 'abc' (seconds, > 0); see kmscope stat --help\"}" \
	"$KMS" stat -j -d abc
errj "cli: stat -d abc -j (-j after the bad option): JSON error, exit 2" 2 \
	"{\"error\":\"invalid duration 'abc' (seconds, > 0); see kmscope stat --help\"}" \
	"$KMS" stat -d abc -j
errj "cli: stat -j --bogus: JSON error, exit 2" 2 \
	"{\"error\":\"unrecognized option '--bogus'; see kmscope stat --help\"}" "$KMS" stat -j --bogus
errj "cli: stat -qj -z (bundled -j): JSON error, exit 2" 2 \
	"{\"error\":\"invalid option -- 'z'; see kmscope stat --help\"}" "$KMS" stat -qj -z
errj "cli: kmscope -j stat -d (global -j, missing argument): JSON error, exit 2" 2 \
	"{\"error\":\"option requires an argument -- 'd'; see kmscope stat --help\"}" "$KMS" -j stat -d
errj "cli: diff -j with one file: JSON error, exit 2" 2 \
	"{\"error\":\"diff takes two reports, BASE and NEW; see kmscope diff --help\"}" "$KMS" diff -j a.json
errj "cli: sizes --pretty 0: JSON error, exit 2" 2 \
	"{\"error\":\"SIZE '0' must be a number of bytes, 1 to 4294967295; see kmscope sizes --help\"}" \
	"$KMS" sizes --pretty 0
errj "cli: stat -j -p 999999: JSON error, exit 2" 2 "{\"error\":\"-p 999999: no such process is running\"}" \
	"$KMS" stat -j -p 999999
errj "cli: stat -j -- /nonexistent/cmd: JSON error, exit 127" 127 \
	"{\"error\":\"cannot run '/nonexistent/cmd': No such file or directory\"}" \
	"$KMS" stat -j -- /nonexistent/cmd
err1 "cli: without -j argp's errors are one kmscope line too" 2 \
	"unrecognized option '--bogus'; see kmscope stat --help$" "$KMS" stat --bogus
"$KMS" stat --help >"$T/cli.out" 2>"$T/cli.err"
expect_eq "cli: --help still prints help on stdout, exit 0" \
	"$?:$(head -c 20 "$T/cli.out"):$(wc -c <"$T/cli.err")" "0:Usage: kmscope stat :0"
