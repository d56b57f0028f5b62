# SPDX-License-Identifier: GPL-2.0
#
# top-names.sh - sourced by tests/live/run.sh (its KMS, KMGEN, T, ok,
# not_ok and expect_eq): `top` never cuts a name unseen.  One `top -c`
# under tmux, first 72 columns wide, then 200: at 72 every line fits and a
# name that does not fit ends in "..." (what it shows is the start of a
# name the 200-column screen shows whole); at 200 no name is cut.

TN="tmux -L kms-topn-$$"
if $TN new-session -d -s topn -x 72 -y 100 \
	"$KMS top -c --refresh 0.5 -- sh -c 'exec $KMGEN spin 8 100 64 >/dev/null' 2>/dev/null" \
	2>/dev/null; then
	sleep 3
	$TN capture-pane -p -t topn >"$T/topn72.txt"
	$TN resize-window -t topn -x 200 2>/dev/null
	sleep 1.5
	$TN capture-pane -p -t topn >"$T/topn200.txt"
	$TN send-keys -t topn q
	for _ in 1 2 3 4 5 6 7 8 9 10; do $TN has-session -t topn 2>/dev/null || break; sleep 0.5; done
	$TN kill-server 2>/dev/null
	got=$(python3 - "$T/topn72.txt" "$T/topn200.txt" <<'PY'
import sys
def rows(path):
    lines = open(path).read().splitlines()
    i = next(i for i, l in enumerate(lines) if l.startswith("MRK"))
    return lines, [l for l in lines[i + 1:] if l.strip()]
narrow, nrows = rows(sys.argv[1])
wide, wrows = rows(sys.argv[2])
whole = {l.split()[-1] for l in wrows}
over = sum(len(l) > 72 for l in narrow)
cut = [l.split()[-1][:-3] for l in nrows if l.endswith("...")]
kept = [l.split()[-1] for l in nrows if not l.endswith("...")]
print(len(nrows) > 5, over, len(cut) > 0,
      all(any(w.startswith(c) for w in whole) for c in cut) and all(k in whole for k in kept),
      sum(l.endswith("...") for l in wrows))
PY
)
	expect_eq "top (tmux): at 72 columns every line fits and cut names end in '...'; at 200 none is cut" \
		"$got" "True 0 True True 0" "$(cat "$T/topn72.txt")" "$(cat "$T/topn200.txt")"
else
	not_ok "top (tmux): cannot start tmux"
fi
