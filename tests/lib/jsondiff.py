# SPDX-License-Identifier: GPL-2.0
#
# jsondiff.py A B - the paths at which two JSON documents differ, one per
# line with both values (cut to 120 characters), at most 40 lines; for a
# failing identity test, where a line diff of one-line JSON shows nothing.
import json
import sys

MAX_LINES = 40
out = []


def show(v):
    s = json.dumps(v)
    return s if len(s) <= 120 else s[:117] + '...'


def walk(a, b, path):
    if len(out) >= MAX_LINES:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                out.append('%s/%s: only in %s' % (path, k, 'A' if k in a else 'B'))
            else:
                walk(a[k], b[k], '%s/%s' % (path, k))
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append('%s: %d items in A, %d in B' % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, '%s[%d]' % (path, i))
    elif a != b:
        out.append('%s: A %s, B %s' % (path, show(a), show(b)))


try:
    docs = [json.load(open(p)) for p in sys.argv[1:3]]
except (OSError, ValueError, IndexError) as e:
    sys.exit('jsondiff: %s' % e)
walk(docs[0], docs[1], '')
print('\n'.join(out) if out else 'same JSON values (the bytes differ: order or formatting)')
