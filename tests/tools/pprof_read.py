#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# pprof_read.py - an independent reader of kmscope's pprof output (a
# protobuf decoder written from the wire format, sharing no code with
# protobuf-c), for the tests: prints the sample types, the value totals
# and, per sample, its leaf-to-root function names, labels and values as
# JSON.
#
#   pprof_read.py FILE.pb.gz
import gzip, json, sys


def varint(b, i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7f) << s
        s += 7
        if c < 0x80:
            return v, i


def fields(b):
    """(field number, wire type, value) of one message; value is an int or bytes."""
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 1:
            v, i = int.from_bytes(b[i:i + 8], "little"), i + 8
        elif wt == 5:
            v, i = int.from_bytes(b[i:i + 4], "little"), i + 4
        else:
            raise ValueError("wire type %d" % wt)
        yield num, wt, v


def ints(wt, v):
    """A repeated integer field: packed (bytes) or one element."""
    if wt == 0:
        return [v]
    out, i = [], 0
    while i < len(v):
        x, i = varint(v, i)
        out.append(x)
    return out


def main():
    b = gzip.open(sys.argv[1]).read()
    strings, stypes, samples, locs, funcs = [], [], [], {}, {}
    scalars = {}
    for num, wt, v in fields(b):
        if num in (9, 10, 14):  # time_nanos, duration_nanos, default_sample_type
            scalars[num] = v
        elif num == 6:
            strings.append(v.decode())
        elif num == 1:
            d = {n: x for n, _, x in fields(v)}
            stypes.append((d.get(1, 0), d.get(2, 0)))
        elif num == 2:
            s = {"loc": [], "val": [], "lab": []}
            for n, w, x in fields(v):
                if n == 1:
                    s["loc"] += ints(w, x)
                elif n == 2:
                    s["val"] += ints(w, x)
                elif n == 3:
                    d = {a: y for a, _, y in fields(x)}
                    s["lab"].append((d.get(1, 0), d.get(2, 0)))
            samples.append(s)
        elif num == 4:
            d, fn = {}, None
            for n, w, x in fields(v):
                if n == 4:
                    fn = {a: y for a, _, y in fields(x)}.get(1)
                else:
                    d[n] = x
            locs[d[1]] = fn
        elif num == 5:
            d = {n: x for n, _, x in fields(v)}
            funcs[d[1]] = d.get(2, 0)
    names = [strings[t] + "/" + strings[u] for t, u in stypes]
    totals = [sum(s["val"][k] for s in samples) for k in range(len(names))]
    stacks = [[strings[funcs[locs[l]]] for l in s["loc"]] for s in samples]
    labels = [{strings[k]: strings[v] for k, v in s["lab"]} for s in samples]
    values = [s["val"] for s in samples]
    print(json.dumps({"sample_types": names, "totals": totals, "stacks": stacks,
                      "labels": labels, "values": values,
                      "string0": strings[0] if strings else None,
                      "time_nanos": scalars.get(9, 0), "duration_nanos": scalars.get(10, 0),
                      "default_sample_type": strings[scalars[14]] if 14 in scalars else None}))


main()
