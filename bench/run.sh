#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - kmscope overhead benchmark, as docs/performance.md measures it.
#
#   bench/run.sh BUILD_DIR [overhead|replay|all|pairing|programs]  (root; `make bench`)
#
# overhead (default): for each workload, R interleaved rounds of kmsbench
#   pinned to CPU 0, once untraced, once under `kmscope stat -j` pinned to
#   CPU 1, and once under the floor (bench/floor.c: empty tp_btf programs on
#   the same four kmem tracepoints), so that slow drift of the machine hits
#   all alike.  Slowdown = median untraced ops/s / median traced ops/s;
#   kmscope's is printed beside the floor's.
# replay: record the pipe workload with `kmscope record`, then time
#   `kmscope stat -i FILE -j` and report replayed events per second.
#   (all: overhead, replay and programs, in turn.)
# pairing: overhead's rounds plus, in each, the lab programs of
#   bpf/floor.bpf.c (bench/floor MODE: a timestamp alone, a bare stream with
#   and without timestamps, pairing in a BPF hash table, pairing in per-CPU
#   arrays), each as slowdown and nanoseconds per event above the floor
#   (docs/performance.md, "Pairing in the kernel, measured").
# programs: what each BPF program costs per run by the kernel's own
#   accounting (kernel.bpf_stats_enabled=1 during the mode, restored after):
#   in each round, kmscope stat, the floor and the bare timestamped stream
#   (lab:stream), and the lab modes in BENCH_LAB, on each workload, the programs' run_time_ns and run_cnt
#   read with bpftool before the tracer stops; medians of ns per run, and
#   all of a tracer's programs (irq and softirq ones included) over its
#   kmem events.  The accounting adds two clock reads to every run alike:
#   the floor's empty programs show how much.  Far less noisy than ops/s.
#
# The tracer runs system-wide until SIGINT and prints its JSON report then;
# it says "kmscope: tracing" on stderr once attached, which is when the
# traced run may start.
#
# Environment:
#   BENCH_ROUNDS=5          rounds per workload (and replay repetitions)
#   BENCH_WORKLOADS="msgq pipe sock"
#   BENCH_OPS_MSGQ, BENCH_OPS_PIPE, BENCH_OPS_SOCK
#                           ops per run; default: calibrated to ~1.5 s untraced
#   BENCH_REPLAY_OPS        pipe ops recorded for replay; default as BENCH_OPS_PIPE
#   BENCH_ARGS="..."       extra kmscope stat options (e.g. --model-only)
#   BENCH_ARGS_B="..."     also a second traced run per round with these options
#                          (programs too: the label kmscope[B])
#   BENCH_ARGS_C="..."     programs only: a third kmscope with these options, kmscope[C]
#   BENCH_CMD_B=serve      ... of `kmscope serve -j --listen 127.0.0.1:19465` instead of stat
#                          (BENCH_ARGS_B may then be empty)
#                           instead (e.g. --backup), reported as WORKLOAD[B]:
#                           the two set side by side, on the same untraced runs
#   BENCH_FLOOR=0           leave the floor's runs out
#   BENCH_LAB="ktime stream-nots stream pair-hash pair-cpu"
#                           the lab modes of `pairing`; with `programs`, lab
#                           modes measured beside the stream (default none)
#   BENCH_KEEP=1            keep the raw results (kmscope JSON, stderr) and say where
#   TMPDIR                  where the scratch directory (and recording) goes

set -eu
export LC_ALL=C

WORK_CPU=0
TRACER_CPU=1
READY_TIMEOUT=30
STOP_TIMEOUT=30
TARGET_SECONDS=1.5

usage() {
	echo "usage: $0 BUILD_DIR [overhead|replay|all|pairing|programs]" >&2
	exit 2
}

die() {
	echo "bench: $*" >&2
	exit 1
}

{ [ $# -ge 1 ] && [ $# -le 2 ]; } || usage
BUILD=$1
MODE=${2:-overhead}
case $MODE in
overhead | replay | all | pairing | programs) ;;
*) usage ;;
esac

KMSCOPE=$BUILD/kmscope
KMSBENCH=$BUILD/bench/kmsbench
FLOOR=$BUILD/bench/floor
ROUNDS=${BENCH_ROUNDS:-5}
WORKLOADS=${BENCH_WORKLOADS:-msgq pipe sock}

[ "$(id -u)" -eq 0 ] || die "must be run as root (kmscope loads BPF programs)"
[ -x "$KMSCOPE" ] || die "$KMSCOPE not found; run make first"
[ -x "$KMSBENCH" ] || die "$KMSBENCH not found; run make tools first"
[ "${BENCH_FLOOR:-1}" = 0 ] || [ -x "$FLOOR" ] || die "$FLOOR not found; run make tools first"
command -v python3 >/dev/null || die "python3 is needed to read kmscope's JSON"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer"
taskset -c "$WORK_CPU,$TRACER_CPU" true 2>/dev/null ||
	die "needs CPUs $WORK_CPU and $TRACER_CPU (workload and tracer on separate CPUs)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmscope-bench.XXXXXX")
tracer_pid=
tracer_err=

stats_was=

cleanup() {
	[ -z "$stats_was" ] || sysctl -qw kernel.bpf_stats_enabled="$stats_was" || true
	if [ -n "$tracer_pid" ]; then
		kill -KILL "$tracer_pid" 2>/dev/null || true
		wait "$tracer_pid" 2>/dev/null || true
	fi
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "bench: raw results kept in $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Report a tracer failure with everything it said, then exit 1.
tracer_fail() {
	echo "bench: $*" >&2
	if [ -s "$tracer_err" ]; then
		echo "--- kmscope stderr ---" >&2
		cat "$tracer_err" >&2
	fi
	exit 1
}

# start_tracer OUT ERR ARGS...: run kmscope ARGS (or $tracer_bin ARGS) on
# the tracer CPU and wait until it is attached.  Background jobs of a
# script start with SIGINT ignored; env restores the default so kmscope's
# own handler is what counts.
start_tracer() {
	local out=$1 deadline=$((SECONDS + READY_TIMEOUT))

	tracer_err=$2
	shift 2
	: >"$tracer_err"	# before the tracer writes it, for the grep below
	env --default-signal=INT taskset -c "$TRACER_CPU" "${tracer_bin:-$KMSCOPE}" "$@" \
		>"$out" 2>"$tracer_err" &
	tracer_pid=$!
	until grep -q '^kmscope: tracing' "$tracer_err"; do
		kill -0 "$tracer_pid" 2>/dev/null ||
			tracer_fail "kmscope $* exited before it started tracing"
		[ "$SECONDS" -lt "$deadline" ] ||
			tracer_fail "kmscope $* not tracing after $READY_TIMEOUT s"
		sleep 0.02
	done
}

# SIGINT ends a trace; kmscope then writes its report and must exit 0.
stop_tracer() {
	local deadline=$((SECONDS + STOP_TIMEOUT)) rc=0

	kill -INT "$tracer_pid"
	while kill -0 "$tracer_pid" 2>/dev/null; do
		[ "$SECONDS" -lt "$deadline" ] ||
			tracer_fail "kmscope still running $STOP_TIMEOUT s after SIGINT"
		sleep 0.02
	done
	wait "$tracer_pid" || rc=$?
	tracer_pid=
	[ "$rc" -eq 0 ] || tracer_fail "kmscope exited with status $rc"
}

# CPU time (user + system, all threads) of a process in clock ticks:
# fields 14 and 15 of /proc/PID/stat, counted after the ")" ending comm.
# cpu_ns PID: the CPU time of all of PID's threads so far, in nanoseconds
# (schedstat: utime+stime come in ticks of 10 ms, a few per cent of a
# round's tracer time).
cpu_ns() {
	local f t sum=0

	for f in /proc/"$1"/task/*/schedstat; do
		read -r t _ <"$f" 2>/dev/null || continue
		sum=$((sum + t))
	done
	echo "$sum"
}

# run_bench WORKLOAD OPS: print the ops/s of one pinned kmsbench run.
run_bench() {
	local out

	out=$("$KMSBENCH" -c "$WORK_CPU" -j "$1" "$2") || die "kmsbench $1 $2 failed"
	sed -n 's/.*"ops_per_s":\([0-9.]*\).*/\1/p' <<<"$out"
}

# Ops for one run of about TARGET_SECONDS untraced, from a short trial run;
# rounded to two significant digits so the logs read well.
calibrate() {
	local w=$1 var rate

	var=BENCH_OPS_${w^^}
	if [ -n "${!var:-}" ]; then
		echo "${!var}"
		return
	fi
	rate=$(run_bench "$w" 20000)
	python3 -c 'import sys; from math import floor, log10
n = max(1000, float(sys.argv[1]) * float(sys.argv[2]))
q = 10 ** (floor(log10(n)) - 1)
print(int(round(n / q) * q))' "$rate" "$TARGET_SECONDS"
}

check_json() {
	python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null ||
		tracer_fail "kmscope wrote no valid JSON to stdout ($(wc -c <"$1") bytes)"
}

# One traced run; appends a line to results.tsv:
# workload round untraced_ops_s traced_ops_s t0 t1 tracer_cpu_ns json
traced_round() {
	local w=$1 ops=$2 r=$3 untraced=$4 args=${5:-${BENCH_ARGS:-}} label=${6:-$1}
	local out=$tmp/$label.$3.json c0 c1 t0 t1 traced cmd="stat -j"

	[ "$label" = "$w[B]" ] && [ "${BENCH_CMD_B:-stat}" = serve ] &&
		cmd="serve -j --listen 127.0.0.1:19465"
	tracer_bin=
	[ "$label" = "$w[floor]" ] && tracer_bin=$FLOOR cmd= args=
	case $label in
	"$w[lab:"*) tracer_bin=$FLOOR cmd= args=${label#"$w[lab:"} args=${args%]} ;;
	esac
	# shellcheck disable=SC2086 # the ARGS are a list of options
	start_tracer "$out" "$tmp/$label.$r.err" $cmd $args
	c0=$(cpu_ns "$tracer_pid")
	t0=$EPOCHREALTIME
	traced=$(run_bench "$w" "$ops")
	t1=$EPOCHREALTIME
	c1=$(cpu_ns "$tracer_pid")
	stop_tracer
	check_json "$out"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$r" "$untraced" "$traced" \
		"$t0" "$t1" "$((c1 - c0))" "$out" >>"$tmp/results.tsv"
	printf '  %s round %d/%d: untraced %.0f ops/s, traced %.0f ops/s\n' \
		"$label" "$r" "$ROUNDS" "$untraced" "$traced"
}

overhead() {
	local w ops r untraced m lab=${1:-}

	echo "kmscope overhead: $(uname -r), $(nproc) CPUs, workload on CPU $WORK_CPU," \
		"tracer on CPU $TRACER_CPU, $ROUNDS rounds"
	: >"$tmp/results.tsv"
	: >"$tmp/ops.tsv"
	for w in $WORKLOADS; do
		ops=$(calibrate "$w")
		echo "$w: $ops ops per run"
		for ((r = 1; r <= ROUNDS; r++)); do
			untraced=$(run_bench "$w" "$ops")
			traced_round "$w" "$ops" "$r" "$untraced"
			if [ -n "${BENCH_ARGS_B:-}${BENCH_CMD_B:-}" ]; then
				traced_round "$w" "$ops" "$r" "$untraced" "${BENCH_ARGS_B:- }" "$w[B]"
			fi
			[ "${BENCH_FLOOR:-1}" = 0 ] ||
				traced_round "$w" "$ops" "$r" "$untraced" " " "$w[floor]"
			for m in $lab; do
				traced_round "$w" "$ops" "$r" "$untraced" " " "$w[lab:$m]"
			done
		done
		printf '%s\t%s\n' "$w" "$ops" >>"$tmp/ops.tsv"
	done
	summarize_overhead "$tmp/results.tsv" "$tmp/ops.tsv"
}

# Medians per workload from results.tsv and the kmscope JSON of each round.
summarize_overhead() {
	python3 - "$1" 1000000000 "$2" <<'EOF'
import json, statistics, sys

def get(d, path):
    for k in path.split('.'):
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d

missing = set()
rows = {}
for line in open(sys.argv[1]):
    w, r, untraced, traced, t0, t1, ticks, path = line.rstrip('\n').split('\t')
    rep = json.load(open(path))
    vals = {k: get(rep, k) for k in
            ('counters.seen', 'counters.received', 'lost.ringbuf', 'lost.recursion')}
    unseen = get(rep, 'lost.recursion_unseen')
    if not rep.get('floor') and not rep.get('lab'):
        missing.update(k for k, v in vals.items() if v is None)
    window = float(t1) - float(t0)
    row = rows.setdefault(w, {'u': [], 't': [], 'eps': [], 'lost': [], 'seen': [], 'cpu': [],
                              'unseen': [], 'nspe': []})
    if unseen is not None:
        row['unseen'].append(unseen)
    row['u'].append(float(untraced))
    row['t'].append(float(traced))
    row['cpu'].append(100.0 * int(ticks) / int(sys.argv[2]) / window)
    if vals['counters.received']:
        row['nspe'].append(1e9 * int(ticks) / int(sys.argv[2]) / vals['counters.received'])
    if vals['counters.seen'] is not None:
        row['seen'].append(vals['counters.seen'])
        row['eps'].append(vals['counters.seen'] / window)
    if vals['lost.ringbuf'] is not None and vals['lost.recursion'] is not None:
        row['lost'].append(vals['lost.ringbuf'] + vals['lost.recursion'])

def med(xs, fmt):
    return fmt.format(statistics.median(xs)) if xs else '?'

print()
W = max([8] + [len(w) for w in rows])
print('%-*s %14s %13s %9s %9s %14s %12s %8s %10s %9s' % (
    W, 'workload', 'untraced ops/s', 'traced ops/s', 'slowdown', 'noise',
    'events/s seen', 'lost events', 'unseen', 'tracer CPU', 'ns/event'))
for w, row in rows.items():
    u, t = statistics.median(row['u']), statistics.median(row['t'])
    cv = statistics.pstdev(row['u']) / statistics.mean(row['u']) * 100
    if row['lost']:
        lost = sum(row['lost'])
        seen = sum(row['seen'])
        lost = '%d (%.2f%%)' % (lost, 100.0 * lost / max(seen, 1)) if lost else '0'
    else:
        lost = '?'
    unseen = str(sum(row['unseen'])) if row['unseen'] else '?'
    print('%-*s %14.0f %13.0f %8.2fx %8.1f%% %14s %12s %8s %10s %9s' % (
        W, w, u, t, u / t, cv, med(row['eps'], '{:,.0f}'), lost, unseen,
        med(row['cpu'], '{:.1f} %'), med(row['nspe'], '{:.1f}')))
ops = dict(l.split() for l in open(sys.argv[3])) if len(sys.argv) > 3 else {}
floors = [w for w in rows if w.endswith('[floor]')]
if floors:
    print()
    print('%-*s %10s %10s %12s %16s' % (W + 10, 'workload', 'traced', 'floor', 'above floor',
                                        'ns/event above'))
    for f in floors:
        w = f[:-len('[floor]')]
        if w not in rows:
            continue
        fl = statistics.median(rows[f]['u']) / statistics.median(rows[f]['t'])
        # Events per operation, from kmscope's own count of the same runs.
        per_op = (statistics.median(rows[w]['seen']) / int(ops[w])
                  if rows[w]['seen'] and w in ops else None)
        for v in [x for x in rows if x == w or (x.startswith(w + '[') and x != f)]:
            k = statistics.median(rows[v]['u']) / statistics.median(rows[v]['t'])
            ns = ('%.0f' % ((1 / statistics.median(rows[v]['t']) -
                             1 / statistics.median(rows[f]['t'])) * 1e9 / per_op)
                  if per_op else '?')
            print('%-*s %9.2fx %9.2fx %+11.2fx %16s' % (
                W + 10, v if v != w else w + ' (kmscope)', k, fl, k - fl, ns))
print()
print('slowdown = median untraced / median traced ops/s; noise = untraced coefficient of')
print('variation; events/s seen = counters.seen over the traced run; lost = lost.ringbuf +')
print('lost.recursion summed over rounds (the kernel count, recovered or not); unseen =')
print('lost.recursion_unseen, events no program saw, summed; tracer CPU = kmscope')
print('CPU time (schedstat, all its threads) over the run, in % of one CPU; ns/event = that')
print('CPU time over the events it received (counters.received): the collector\'s cost per')
print('event, ring included.')
print('WORKLOAD[floor]: empty tp_btf programs on the four kmem tracepoints (bench/floor.c),')
print('the cost of running any program there; WORKLOAD[lab:MODE]: the lab programs of')
print('bpf/floor.bpf.c.  ns/event above = the time per operation above the floor\'s over')
print('kmscope\'s events per operation (counters.seen / ops).')
if missing:
    print('warning: kmscope JSON lacks ' + ', '.join(sorted(missing)), file=sys.stderr)
EOF
}

# programs_round WORKLOAD OPS ROUND LABEL: one run under LABEL's tracer,
# its programs' accounting saved for the summary (progs.tsv).
programs_round() {
	local w=$1 ops=$2 r=$3 label=$4 cmd="stat -j" out ids

	tracer_bin=
	case $label in
	kmscope) ;;
	'kmscope[B]') cmd="stat -j $BENCH_ARGS_B" ;;
	'kmscope[C]') cmd="stat -j $BENCH_ARGS_C" ;;
	floor) tracer_bin=$FLOOR cmd= ;;
	*) tracer_bin=$FLOOR cmd=$label ;;	# a lab mode: stream, ktime, pair-cpu, ...
	esac
	out=$tmp/$w.$label.$r
	# shellcheck disable=SC2086 # cmd is a list of words
	start_tracer "$out.out" "$out.err" $cmd
	run_bench "$w" "$ops" >/dev/null
	bpftool -j prog show >"$out.progs.json" || tracer_fail "bpftool prog show failed"
	# The tracer's programs: the ids its program and link fds name.
	ids=$(sed -n 's/^prog_id:[[:space:]]*//p' /proc/"$tracer_pid"/fdinfo/* 2>/dev/null |
		sort -un | paste -sd, -)
	[ -n "$ids" ] || tracer_fail "no BPF program among the tracer's file descriptors"
	printf '%s\t%s\t%s\t%s\n' "$w" "$label" "$ids" "$out.progs.json" >>"$tmp/progs.tsv"
	stop_tracer
}

programs() {
	local w ops r label

	command -v bpftool >/dev/null || die "bpftool is needed (scripts/setup.sh installs it)"
	[ -x "$FLOOR" ] || die "$FLOOR not found; run make tools first"
	stats_was=$(sysctl -n kernel.bpf_stats_enabled) ||
		die "no kernel.bpf_stats_enabled: this kernel keeps no program statistics"
	sysctl -qw kernel.bpf_stats_enabled=1 || die "cannot set kernel.bpf_stats_enabled"
	echo "kmscope programs: $(uname -r), kernel.bpf_stats_enabled=1, $ROUNDS rounds"
	: >"$tmp/progs.tsv"
	for w in $WORKLOADS; do
		ops=$(calibrate "$w")
		echo "$w: $ops ops per run"
		for ((r = 1; r <= ROUNDS; r++)); do
			# shellcheck disable=SC2086 # BENCH_LAB is a list of words
			for label in kmscope ${BENCH_ARGS_B:+'kmscope[B]'} ${BENCH_ARGS_C:+'kmscope[C]'} floor stream ${BENCH_LAB:-}; do
				programs_round "$w" "$ops" "$r" "$label"
			done
		done
	done
	python3 - "$tmp/progs.tsv" <<'EOF'
import json, statistics, sys

# The programs on the four kmem tracepoints (tp_btf or classic), by name.
KMEM = ('kmalloc', 'kmalloc_kc', 'kmalloc_node', 'cache_alloc', 'cache_alloc_node',
        'kfree', 'kfree_kc', 'cache_free')

def kmem(name):
    base = name.split('_', 1)[-1]
    return (base[3:] if base.startswith('tp_') else base) in KMEM

runs = {}
for line in open(sys.argv[1]):
    w, label, ids, path = line.rstrip('\n').split('\t')
    ids = set(int(i) for i in ids.split(','))
    progs = [p for p in json.load(open(path)) if p.get('id') in ids]
    if not progs:
        sys.exit('bench: none of programs %s in bpftool\'s list (%s)' % (sorted(ids), path))
    per = {p['name']: (p.get('run_time_ns', 0), p.get('run_cnt', 0)) for p in progs
           if p.get('run_cnt', 0)}
    events = sum(c for n, (t, c) in per.items() if kmem(n))
    d = runs.setdefault((w, label), {'per': {}, 'event': [], 'misses': {}})
    for n, (t, c) in per.items():
        d['per'].setdefault(n, []).append(t / c)
    for p in progs:
        if p.get('recursion_misses'):
            d['misses'][p['name']] = d['misses'].get(p['name'], 0) + p['recursion_misses']
    if events:
        d['event'].append(sum(t for t, c in per.values()) / events)

def med(xs):
    return statistics.median(xs) if xs else float('nan')

print()
print('%-6s %-11s %9s  %s' % ('', '', 'ns/event', 'ns per run of each program (median)'))
for (w, label), d in runs.items():
    progs = '  '.join('%s %.1f' % (n, med(v)) for n, v in sorted(d['per'].items()))
    print('%-6s %-11s %9.1f  %s' % (w, label, med(d['event']), progs))
print()
for w in dict.fromkeys(w for w, _ in runs):
    if (w, 'floor') not in runs:
        continue
    f = med(runs[(w, 'floor')]['event'])
    print('%s above the floor, ns per kmem event: %s' % (w, ', '.join(
        '%s %+.1f' % (label, med(runs[(w, label)]['event']) - f)
        for label in dict.fromkeys(l for x, l in runs if x == w and l != 'floor'))))
    m = runs.get((w, 'kmscope'), {}).get('misses')
    if m:
        print('%s kmscope, runs the kernel skipped (recursion_misses, all rounds): %s' % (
            w, ', '.join('%s %d' % (n, c) for n, c in sorted(m.items(), key=lambda x: -x[1]))))
print()
print('ns/event = the run time of all of a tracer\'s programs (its irq and softirq context')
print('programs included) over the runs of its programs on the four kmem tracepoints;')
print('every run includes the accounting\'s own two clock reads, as the floor shows.')
print('stream = the bare timestamped 48-byte stream of bpf/floor.bpf.c (lab:stream);')
print('other labels are its other lab modes (BENCH_LAB).')
EOF
}

replay() {
	local ops rec=$tmp/pipe.kmscope i t0 t1

	ops=${BENCH_REPLAY_OPS:-$(calibrate pipe)}
	echo "kmscope replay: recording $ops pipe ops"
	tracer_bin=	# kmscope, not the floor of the last overhead round
	start_tracer "$tmp/record.out" "$tmp/record.err" record -o "$rec"
	run_bench pipe "$ops" >/dev/null
	stop_tracer
	[ -s "$rec" ] || tracer_fail "kmscope record wrote nothing to $rec"
	: >"$tmp/replay.tsv"
	tracer_err=$tmp/replay.err
	for ((i = 1; i <= ROUNDS; i++)); do
		t0=$EPOCHREALTIME
		taskset -c "$TRACER_CPU" "$KMSCOPE" stat -i "$rec" -j \
			>"$tmp/replay.json" 2>"$tracer_err" ||
			tracer_fail "kmscope stat -i $rec failed"
		t1=$EPOCHREALTIME
		check_json "$tmp/replay.json"
		printf '%s\t%s\n' "$t0" "$t1" >>"$tmp/replay.tsv"
	done
	python3 - "$tmp/replay.tsv" "$tmp/replay.json" "$(stat -c %s "$rec")" <<'EOF'
import json, statistics, sys

secs = [float(b) - float(a) for a, b in (l.split() for l in open(sys.argv[1]))]
rep = json.load(open(sys.argv[2]))
events = rep.get('counters', {}).get('received')
size = int(sys.argv[3])
wall = statistics.median(secs)
print('recording: %.1f MB' % (size / 1e6), end='')
if events:
    print(', %d events, %.1f bytes/event' % (events, size / events))
    print('replay: median %.3f s of %d runs: %.0f events/s' % (wall, len(secs), events / wall))
else:
    print()
    print('replay: median %.3f s of %d runs; kmscope JSON lacks counters.received' %
          (wall, len(secs)))
EOF
}

case $MODE in
overhead) overhead ;;
pairing)
	[ -x "$FLOOR" ] || die "$FLOOR not found; run make tools first"
	overhead "${BENCH_LAB:-ktime stream-nots stream pair-hash pair-cpu}"
	;;
replay) replay ;;
programs) programs ;;
all)
	overhead
	echo
	replay
	echo
	programs
	;;
esac
