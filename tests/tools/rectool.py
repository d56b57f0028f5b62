#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# rectool.py - a reader of kmscope recordings written from
# docs/record-format.md alone (no code shared with src/recfile.c), for the
# tests: list the sections with what their EVENTS chunks hold, re-chunk a
# recording, and damage one byte.
#
#   rectool.py sections FILE          one JSON object per section: index,
#                                     type, offset, length, records and
#                                     records per record type ("1".."6")
#   rectool.py rechunk IN OUT N       IN with its EVENTS records re-cut into
#                                     chunks of at most N records each
#   rectool.py flip FILE OFFSET       XOR the byte at OFFSET with 0xff
#   rectool.py caches FILE            JSON: the cache ids CACHE_INFO records
#                                     announce ("announced": id -> name) and
#                                     those allocation and free records name
#                                     ("used")
#   rectool.py append IN OUT HEX...   IN with one more EVENTS chunk after its
#                                     last, holding the records given in hex
import json, struct, sys, zlib

HDR, SEC = 24, 24
EVENTS, END = 6, 9


def sections(data):
    """(type, offset, payload) of every section of an undamaged recording."""
    if data[:8] != b"KMSCOPE\0":
        raise SystemExit("not a kmscope recording")
    off, out = HDR, []
    while off + SEC <= len(data):
        typ, flags, length, crc, res = struct.unpack_from("<IIQII", data, off)
        payload = data[off + SEC:off + SEC + length]
        if flags or res or len(payload) != length or zlib.crc32(payload) != crc:
            raise SystemExit("damaged at %d" % off)
        out.append((typ, off, payload))
        off += SEC + length
        if typ == END:
            break
    return out


def records(payload):
    pos = 0
    while pos < len(payload):
        length, reserved = struct.unpack_from("<II", payload, pos)
        if reserved or pos + 8 + ((length + 7) & ~7) > len(payload):
            raise SystemExit("malformed EVENTS entry")
        yield payload[pos + 8:pos + 8 + length]
        pos += 8 + ((length + 7) & ~7)


def section(typ, payload):
    return struct.pack("<IIQII", typ, 0, len(payload), zlib.crc32(payload), 0) + payload


def entry(rec):
    return struct.pack("<II", len(rec), 0) + rec + b"\0" * (-len(rec) % 8)


def main():
    cmd = sys.argv[1]
    if cmd == "sections":
        for i, (typ, off, payload) in enumerate(sections(open(sys.argv[2], "rb").read())):
            by_type = {}
            n = 0
            for rec in (records(payload) if typ == EVENTS else ()):
                by_type[str(rec[0])] = by_type.get(str(rec[0]), 0) + 1
                n += 1
            print(json.dumps({"index": i, "type": typ, "offset": off, "length": len(payload),
                              "records": n, "by_type": by_type}))
    elif cmd == "rechunk":
        data = open(sys.argv[2], "rb").read()
        per = int(sys.argv[4])
        out = bytearray(data[:HDR])
        for typ, off, payload in sections(data):
            if typ != EVENTS:
                out += section(typ, payload)
                continue
            recs = list(records(payload))
            for i in range(0, len(recs), per):
                out += section(EVENTS, b"".join(entry(r) for r in recs[i:i + per]))
        open(sys.argv[3], "wb").write(out)
    elif cmd == "append":
        data = open(sys.argv[2], "rb").read()
        secs = sections(data)
        last = max(i for i, s in enumerate(secs) if s[0] == EVENTS)
        out = bytearray(data[:HDR])
        for i, (typ, off, payload) in enumerate(secs):
            out += section(typ, payload)
            if i == last:
                out += section(EVENTS, b"".join(entry(bytes.fromhex(h)) for h in sys.argv[4:]))
        open(sys.argv[3], "wb").write(out)
    elif cmd == "flip":
        with open(sys.argv[2], "r+b") as f:
            f.seek(int(sys.argv[3]))
            b = f.read(1)[0]
            f.seek(int(sys.argv[3]))
            f.write(bytes([b ^ 0xff]))
    elif cmd == "caches":
        announced, used = {}, set()
        for typ, off, payload in sections(open(sys.argv[2], "rb").read()):
            for rec in (records(payload) if typ == EVENTS else ()):
                t, flags = rec[0], rec[1]
                if t == 5:                                  # CACHE_INFO
                    cid = struct.unpack_from("<Q", rec, 8)[0]
                    announced[hex(cid)] = rec[24:72].split(b"\0")[0].decode()
                elif t == 2 and not flags & 1:              # CACHE_ALLOC, cache inline
                    used.add(hex(struct.unpack_from("<Q", rec, 40)[0]))
                elif t == 1 and flags & 4:                  # KMALLOC + KMS_AF_CACHE
                    used.add(hex(struct.unpack_from("<Q", rec, 48)[0]))
                elif t == 4 or (t == 3 and flags & 1):      # CACHE_FREE, KFREE + FF_CACHE
                    used.add(hex(struct.unpack_from("<Q", rec, 24)[0]))
        print(json.dumps({"announced": announced, "used": sorted(used)}))
    else:
        raise SystemExit("usage: rectool.py sections|rechunk|append|flip|caches ...")


main()
