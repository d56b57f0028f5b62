# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/live/run.sh (uses its KMS, KMGEN, T, DIR and helpers).
#
# Merged caches named: SLUB merges caches of one size and flags, the
# tracepoints print the first creator's name, and /sys/kernel/slab has a
# symlink per name to the shared directory.  Every cache row of the report
# lists the other names of its cache, exactly those symlinks, in JSON and
# in the text table, live and from a recording.  kill()'s sigqueue cache
# is merged on the development machine (dnotify_mark, fanotify_mark,
# inotify_inode_mark share :A-0000080).
"$KMS" record -q -o "$T/al.data" -- "$KMGEN" sigqueue 100 >/dev/null 2>"$T/al.err"
"$KMS" stat -q -j -n 0 -i "$T/al.data" -o "$T/al.json" 2>>"$T/al.err"
"$KMS" stat -n 0 -i "$T/al.data" >"$T/al.txt" 2>>"$T/al.err"
# sysfs_aliases NAME: the other names whose symlink points where NAME's does.
sysfs_aliases() {
	local t
	t=$(readlink "/sys/kernel/slab/$1") || return 0
	t=${t##*/}
	for l in /sys/kernel/slab/*; do
		[ -L "$l" ] && [ "$(basename "$(readlink "$l")")" = "$t" ] &&
			[ "$(basename "$l")" != "$1" ] && basename "$l"
	done | LC_ALL=C sort | paste -sd, -
}
al_bad=0 al_merged=0
while read -r name aliases; do
	want=$(sysfs_aliases "$name")
	[ -n "$want" ] && al_merged=$((al_merged + 1))
	if [ "$aliases" != "${want:--}" ]; then
		al_bad=$((al_bad + 1))
		echo "# aliases: $name: kmscope '$aliases', /sys/kernel/slab '$want'"
	fi
done < <(json "$T/al.json" '"\n".join("%s %s" % (c["cache"], ",".join(c["aliases"]) or "-") for c in j["caches"])')
expect_eq "aliases: every cache row's aliases are its /sys/kernel/slab symlinks (rows wrong)" \
	"$al_bad" 0 "$(cat "$T/al.err")"
if [ "$al_merged" -gt 0 ]; then ok "aliases: merged caches among the rows ($al_merged)"
else not_ok "aliases: merged caches among the rows" "none: $(json "$T/al.json" '[c["cache"] for c in j["caches"]]')"; fi
# The sigqueue row: its 100 allocations, under the name with its aliases.
sq=$(sysfs_aliases sigqueue)
expect_eq "aliases: the sigqueue row has kmgen's 100 allocations and names ${sq:-no aliases}" \
	"$(json "$T/al.json" '[(c["allocs"], ",".join(c["aliases"])) for c in j["caches"] if c["cache"] == "sigqueue"]')" \
	"[(100, '$sq')]"
# Text: the name column says so, as far as it goes.
first=${sq%%,*}
if grep -Eq "^sigqueue \\(\\+ $first(, [a-z_0-9-]+)*(, \\.\\.\\.)?\\) +100 +100 " "$T/al.txt"; then
	ok "aliases: the text CACHE row reads 'sigqueue (+ $first, ...)'"
else
	not_ok "aliases: the text CACHE row reads 'sigqueue (+ $first, ...)'" "$(grep '^sigqueue' "$T/al.txt")"
fi
