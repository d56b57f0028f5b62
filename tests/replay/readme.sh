# SPDX-License-Identifier: GPL-2.0
#
# readme.sh - sourced by tests/replay/run.sh (its KMS, DIR, T, ok, not_ok
# and expect_eq): the accounting identity the README shows is the one every
# report prints and the code computes.

README=$DIR/../../README.md
want=$(sed -n '/^Every report accounts for every event/,/^## /p' "$README" | sed -n '/^kernel:\|^lost:/p')
for f in edge msgq-6.18 findings; do
	got=$("$KMS" stat -n 1 -i "$DIR/$f.data" 2>/dev/null | grep '^kernel:\|^lost:' | sed 's/[0-9][0-9]*/N/g')
	expect_eq "README: its kernel: and lost: lines are those of stat -i $f.data, numbers as N" \
		"$got" "$want"
done

# docs/output.md's formula has the README's terms, in its order.
terms=$(echo "$want" | head -1 | sed 's/^kernel: *//; s/ N//g')
expect_eq "docs/output.md: the identity's formula is the README's" \
	"$(grep -c "^$terms\$" "$DIR/../../docs/output.md")" 1 "README: $terms"

# And the numbers add up in every committed recording: seen is the sum.
for f in edge msgq-6.18 findings check-6.18; do
	got=$("$KMS" stat -j -i "$DIR/$f.data" 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
c, l = j["counters"], j["lost"]
print(c["seen"] == c["received"] + c["filtered"] + c["free_null"] + c["free_untracked"] +
      c["self"] + l["ringbuf"], c["seen"] > 0)')
	expect_eq "identity: seen = received + filtered + kfree(NULL) + frees of untracked + kmscope's own + lost in $f.data" \
		"$got" "True True"
done
