# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/live/run.sh (uses its KMS, KMGEN, T and helpers).
#
# The recursion backup.  KMSCOPE_TEST_RECURSION=3 makes the main programs
# leave about one event in three (chosen by pointer) to the backups, as if
# the kernel had kept it from them: every event must still arrive exactly
# once, so load_msg's counts stay exact, and the report counts the events
# the backups took.
KMSCOPE_TEST_RECURSION=3 "$KMS" stat -q -j -n 0 --backup -o "$T/bk.json" -- "$KMGEN" msgq 1000 64 \
	>/dev/null 2>"$T/bk.err"
expect_eq "backup: each of kmgen msgq 1000's events once at load_msg (allocs frees live)" \
	"$(site "$T/bk.json" '^load_msg\+' allocs) $(site "$T/bk.json" '^load_msg\+' frees) $(site "$T/bk.json" '^load_msg\+' live)" \
	"1000 1000 0" "$(cat "$T/bk.err")"
# What the backups took is exactly what was left to them (the forced
# skips count as the main programs' misses) and what the kernel skipped.
expect_eq "backup: the backups took over 200 events, as many as were left to them; none unseen; no re-allocation" \
	"$(json "$T/bk.json" 'j["lost"]["recursion_recovered"] > 200, j["lost"]["recursion_recovered"] - j["lost"]["recursion_main"], j["lost"]["recursion_unseen"], j["lost"]["realloc_without_free"]')" \
	"True 0 0 0"
expect_eq "backup: seen = received + filtered + kfree(NULL) + untracked frees + own + lost" \
	"$(json "$T/bk.json" 'j["counters"]["seen"] - j["counters"]["received"] - j["counters"]["filtered"] - j["counters"]["free_null"] - j["counters"]["free_untracked"] - j["counters"]["self"] - j["lost"]["ringbuf"]')" 0
# The same through a recording, in text.
KMSCOPE_TEST_RECURSION=3 "$KMS" record -q --backup -o "$T/bk.data" -- "$KMGEN" msgq 500 64 >/dev/null 2>&1
"$KMS" stat -i "$T/bk.data" >"$T/bk.txt" 2>&1
if grep -Eq '^lost:    ring buffer 0, recursion [0-9]+ \(recovered [1-9][0-9]*, unseen [0-9]+\), names' "$T/bk.txt" &&
	grep -Eq '^load_msg\+0x[0-9a-f]+ +500 +500 ' "$T/bk.txt"; then
	ok "backup: the text report says what was recovered and unseen; load_msg 500 500"
else
	not_ok "backup: the text report says what was recovered and unseen; load_msg 500 500" \
		"$(grep -E '^lost:|^load_msg' "$T/bk.txt")"
fi
# --backup=frees: backups behind the free programs only.  The forced skips
# then fall on frees alone (the allocation programs leave nothing to a
# backup they do not have): every event still arrives once, what the
# backups took is what was left to them, and the run says its scope.
# The kernel's counts are system-wide: an allocation program it really
# skipped meanwhile has no backup, so the unseen are exactly the
# allocation programs' own misses (the recording's recursion_misses_alloc=).
KMSCOPE_TEST_RECURSION=3 "$KMS" record --backup=frees -o "$T/bkf1.data" -- "$KMGEN" msgq 1000 64 \
	>/dev/null 2>"$T/bkf.err"
"$KMS" stat -q -j -n 0 -i "$T/bkf1.data" -o "$T/bkf.json" 2>>"$T/bkf.err"
am=$(strings "$T/bkf1.data" | sed -n 's/^recursion_misses_alloc=\([0-9]*\)$/\1/p' | tail -1)
expect_eq "backup=frees: each of kmgen msgq 1000's events once at load_msg (allocs frees live)" \
	"$(site "$T/bkf.json" '^load_msg\+' allocs) $(site "$T/bkf.json" '^load_msg\+' frees) $(site "$T/bkf.json" '^load_msg\+' live)" \
	"1000 1000 0" "$(cat "$T/bkf.err")"
expect_eq "backup=frees: over 100 frees taken, as many as were left but the allocations' own misses; unseen those; no re-allocation; scope frees" \
	"$(json "$T/bkf.json" 'j["lost"]["recursion_recovered"] > 100, j["lost"]["recursion_main"] - j["lost"]["recursion_recovered"], j["lost"]["recursion_unseen"], j["lost"]["realloc_without_free"], j["recursion_backup"]')" \
	"True ${am:-none} ${am:-none} 0 frees"
# A recording says so too, with the allocation programs' part of the misses.
"$KMS" record -q --backup=frees -o "$T/bkf.data" -- "$KMGEN" msgq 100 64 >/dev/null 2>&1
expect_eq "backup=frees: the recording's COUNTERS: recursion_backup=2, recursion_misses_alloc=N" \
	"$(strings "$T/bkf.data" | grep -c '^recursion_backup=2$') $(strings "$T/bkf.data" | grep -c '^recursion_misses_alloc=[0-9][0-9]*$')" \
	"1 1"
expect_eq "backup=frees: the start line says so" \
	"$(grep -c '; recursion backups on the frees (--backup=frees); Ctrl-C to stop$' "$T/bkf.err")" 1 \
	"$(head -1 "$T/bkf.err")"
# Real recursion, frees only: on the pipe workload nearly every skip is a
# free (RCU callbacks in the softirq); all of those recovered, once.  What
# stays unseen are allocations, each of whose frees is then one of an
# allocation not traced: at most as many.
"$KMS" stat -q -j -n 0 --backup=frees -o "$T/bkfpipe.json" -- "$KMGEN" pipe 200000 >/dev/null 2>"$T/bkfpipe.err"
expect_eq "backup=frees, pipe: the kernel skipped runs; recovered, never twice; unseen only allocations (unmatched frees <= unseen)" \
	"$(json "$T/bkfpipe.json" 'j["lost"]["recursion_main"] > 0, j["lost"]["recursion_recovered"] > 0, j["lost"]["recursion_recovered"] <= j["lost"]["recursion_main"], j["lost"]["unmatched_frees"] <= j["lost"]["recursion_unseen"]')" \
	"True True True True" "$(grep -o '"lost":{[^}]*}' "$T/bkfpipe.json")"
expect_eq "backup=frees, pipe: seen = received + filtered + kfree(NULL) + untracked frees + own + lost" \
	"$(json "$T/bkfpipe.json" 'j["counters"]["seen"] - j["counters"]["received"] - j["counters"]["filtered"] - j["counters"]["free_null"] - j["counters"]["free_untracked"] - j["counters"]["self"] - j["lost"]["ringbuf"]')" 0
# --backup=frees at the end of a system-wide trace with the workload still
# running: the frees' backups go before the main programs (whose detach
# waits for a grace period each), or every free they delivered after the
# allocation programs had gone would be one of an allocation not traced
# (6,000 files in 2 s of the sock workload before).  Files freed at once on
# close: only those in flight at the start and the end may be unmatched.
"$KMGEN" pipe 5000000 >/dev/null 2>&1 &
kp=$!
sleep 0.3
"$KMS" stat -q -j -n 0 --backup=frees -d 1 -o "$T/bkfend.json" >/dev/null 2>"$T/bkfend.err"
kill $kp 2>/dev/null
wait $kp 2>/dev/null
expect_eq "backup=frees, a system-wide end mid-workload: under 1000 frees of untraced files (filp), and its pipes traced" \
	"$(json "$T/bkfend.json" 'next((c["frees_pretrace"] < 1000, c["allocs"] > 10000) for c in j["caches"] if c["cache"] == "filp")')" \
	"(True, True)" "$(json "$T/bkfend.json" '[(c["cache"], c["allocs"], c["frees_pretrace"]) for c in j["caches"] if c["cache"] == "filp"]')"
# Without --backup (the default): no backup program loaded, nothing recovered.
"$KMS" stat -q -j -n 0 -o "$T/nobk.json" -- "$KMGEN" msgq 200 64 >/dev/null 2>&1
expect_eq "no --backup: nothing recovered, load_msg exact; scopes none (and all with --backup)" \
	"$(json "$T/nobk.json" 'j["lost"]["recursion_recovered"]') $(site "$T/nobk.json" '^load_msg\+' allocs) $(json "$T/nobk.json" 'j["recursion_backup"]') $(json "$T/bk.json" 'j["recursion_backup"]')" \
	"0 200 none all"
# Real recursion: on the pipe workload the kernel skips kmem_cache_free's
# program thousands of times (a softirq's RCU frees on top of it); with
# --backup every one is delivered, once: recovered equals the main
# programs' misses (more would be events delivered twice), none unseen.
# A free delivered twice would also come back as a free of an untracked
# object: none.  Re-allocations without free are not bounded here: on
# 6.18 kfree_rcu batches and sheaves free objects of any cache without an
# event (one CI run: 106), whatever the recursion; the forced skips above
# show no allocation arrives twice.
"$KMS" stat -q -j -n 0 --backup -o "$T/bkpipe.json" -- "$KMGEN" pipe 200000 >/dev/null 2>"$T/bkpipe.err"
expect_eq "backup, pipe: the kernel skipped runs; all recovered, once; none unseen; no free twice" \
	"$(json "$T/bkpipe.json" 'j["lost"]["recursion_main"] > 0, j["lost"]["recursion_recovered"] - j["lost"]["recursion_main"], j["lost"]["recursion_unseen"], j["lost"]["unmatched_frees"]')" \
	"True 0 0 0" "$(grep -o '"lost":{[^}]*}' "$T/bkpipe.json")"
# The main programs count their hits with a plain increment where the
# kernel guards against a program nesting in itself (docs/design.md, the
# counters), the backups with a locked add: under real recursion no hit
# is lost or counted twice.
expect_eq "backup, pipe: seen = received + filtered + kfree(NULL) + untracked frees + own + lost" \
	"$(json "$T/bkpipe.json" 'j["counters"]["seen"] - j["counters"]["received"] - j["counters"]["filtered"] - j["counters"]["free_null"] - j["counters"]["free_untracked"] - j["counters"]["self"] - j["lost"]["ringbuf"]')" 0
echo "# backup, pipe: re-allocated without free by cache: $(json "$T/bkpipe.json" \
	'", ".join("%s %d" % (c["cache"], c["realloc_without_free"]) for c in j["caches"] if c["realloc_without_free"]) or "none"')"
# Without --backup the same workload leaves events unseen, and the text
# report says so, why, and what recovers them; with --backup (bk.txt, above)
# it has nothing to suggest.
"$KMS" stat -n 3 -o "$T/nobkpipe.txt" -- "$KMGEN" pipe 200000 >/dev/null 2>&1
unseen=$(sed -n 's/^lost: .*unseen \([0-9]*\)).*/\1/p' "$T/nobkpipe.txt")
note=$(grep -c '^note:    [0-9]* events no program saw: .* --backup=frees recovers the frees (nearly all of them), --backup every event' "$T/nobkpipe.txt")
expect_eq "no --backup, pipe: events unseen, and one note with their number, --backup=frees and --backup" \
	"$([ "${unseen:-0}" -gt 0 ] && echo unseen) $note $(grep -c "^note:    $unseen events no program saw" "$T/nobkpipe.txt")" \
	"unseen 1 1" "$(grep -E '^lost:|^note:' "$T/nobkpipe.txt")"
expect_eq "backup: no note suggesting --backup" "$(grep -c 'events no program saw' "$T/bk.txt")" 0
# This kernel guards every program against nesting in itself (BTF has
# bpf_prog_inc_misses_counter), so the hits above took plain increments.
"$KMS" stat -v -q -j -d 0.2 -o "$T/v.json" >/dev/null 2>"$T/v.err"
expect_eq "stat -v: tracepoint hits counted with plain increments" \
	"$(grep -c 'debug: tracepoint hits counted with plain increments' "$T/v.err")" 1 \
	"$(grep -i 'hits\|error' "$T/v.err")"
