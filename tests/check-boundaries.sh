#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-boundaries.sh - the tree's boundaries, checked (part of `make check`):
#
# - src/ (outside src/cli/ and src/live/) is the pure library: no file there
#   includes the BPF skeleton or libbpf, or names a /proc or /sys path in
#   its code (comments do not count): it takes paths, FILE *s and structs
#   as arguments, so the unit tests can feed it fixtures.
# - src/cli/ is what talks to the user (main, the commands, log,
#   progress); src/live/ is what touches BPF, /proc and /sys (loader,
#   session, the ring consumer, privileges, tracefs, targets).
# - Only the decode/encode pair (src/decode.c, src/encode.c) includes the
#   record layouts (include/kms_records.h, or include/kms_kstate.h, which
#   produces their flags), and the loader, which owns the BPF program that
#   writes them.
#
#   tests/check-boundaries.sh          (from anywhere; prints TAP)
set -u
. "$(dirname "$0")/lib/tap.sh"
cd "$(dirname "$0")/.."

# code FILE: the file without its comments (directives kept, nothing expanded).
code() { gcc -x c -fpreprocessed -dD -E -P "$1" 2>/dev/null; }

# hits PATTERN FILE...: "file: line" of every match in the code of FILEs.
hits() {
	local pat=$1 f
	shift
	for f in "$@"; do
		code "$f" | grep -E "$pat" | sed "s|^|$f: |"
	done
}

lib=$(ls src/*.c src/*.h)
for d in src/cli src/live; do
	[ -d "$d" ] && ok "$d/ exists" || not_ok "$d/ exists"
done

h=$(hits '#include *[<"](bpf/|[a-z_]*\.skel\.h)' $lib)
[ -z "$h" ] && ok "src/: no file includes libbpf or the BPF skeleton" ||
	not_ok "src/: no file includes libbpf or the BPF skeleton" "$h"

h=$(hits '"/(proc|sys)(/|")' $lib)
[ -z "$h" ] && ok "src/: no file names a /proc or /sys path in its code" ||
	not_ok "src/: no file names a /proc or /sys path in its code" "$h"

all=$(ls src/*.c src/*.h src/cli/*.c src/cli/*.h src/live/*.c src/live/*.h)
h=$(hits '#include *"(kms_records|kms_kstate)\.h"' $all |
	grep -vE '^(src/decode\.c|src/encode\.c|src/live/loader\.c): ')
[ -z "$h" ] && ok "only decode.c, encode.c and the loader include the record layouts" ||
	not_ok "only decode.c, encode.c and the loader include the record layouts" "$h"

# The checks can fail: a planted violation of each is caught.
t=$(mktemp -d /tmp/kms-bound.XXXXXX)
trap 'rm -rf "$t"' EXIT
printf '#include <bpf/libbpf.h>\nstatic const char *p = "/proc/self/maps";\n#include "kms_records.h"\n' >"$t/planted.c"
printf '/* "/proc/x" and #include <bpf/libbpf.h> in a comment */\nint x;\n' >"$t/comment.c"
if [ "$(hits '#include *[<"](bpf/|[a-z_]*\.skel\.h)' "$t/planted.c" | wc -l)" = 1 ] &&
	[ "$(hits '"/(proc|sys)(/|")' "$t/planted.c" | wc -l)" = 1 ] &&
	[ "$(hits '#include *"(kms_records|kms_kstate)\.h"' "$t/planted.c" | wc -l)" = 1 ] &&
	[ -z "$(hits '"/(proc|sys)(/|")|bpf/' "$t/comment.c")" ]; then
	ok "a planted include of libbpf, /proc path and record include are caught; comments are not"
else
	not_ok "a planted include of libbpf, /proc path and record include are caught; comments are not"
fi
tap_summary boundaries
