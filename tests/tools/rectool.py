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
#   rectool.py cut-packed IN OUT N    IN with its first EVENTS_PACKED section
#                                     N bytes shorter, length and checksum
#                                     rewritten (sound, but not as events)
#   rectool.py flip FILE OFFSET       XOR the byte at OFFSET with 0xff
#   rectool.py caches FILE            JSON: the cache ids CACHE_INFO records
#                                     announce ("announced": id -> name) and
#                                     those allocation and free records name
#                                     ("used")
#   rectool.py append IN OUT HEX...   IN with one more EVENTS chunk after its
#                                     last, holding the records given in hex
#
# Version 2's EVENTS_PACKED sections are read as events (dicts of the
# fields docs/record-format.md lists), or as the record bytes of those
# kept whole; rechunk takes version 1 EVENTS only.
import json, struct, sys, zlib

HDR, SEC = 24, 24
EVENTS, END, PACKED = 6, 9, 12
M64 = (1 << 64) - 1

CRC32C_TABLE = []
for _i in range(256):
    _c = _i
    for _k in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    CRC32C_TABLE.append(_c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = CRC32C_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def checksum(version, payload):
    return crc32c(payload) if version >= 2 else zlib.crc32(payload)


def version_of(data):
    return struct.unpack_from("<I", data, 8)[0]


def sections(data):
    """(type, offset, payload) of every section of an undamaged recording."""
    if data[:8] != b"KMSCOPE\0":
        raise SystemExit("not a kmscope recording")
    version = version_of(data)
    if version not in (1, 2):
        raise SystemExit("format version %d" % version)
    off, out = HDR, []
    while off + SEC <= len(data):
        typ, flags, length, crc, res = struct.unpack_from("<IIQII", data, off)
        payload = data[off + SEC:off + SEC + length]
        if flags or res or len(payload) != length or checksum(version, payload) != crc:
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


class Packed:
    """The reader of one EVENTS_PACKED payload (docs/record-format.md)."""

    def __init__(self, payload):
        if payload[:4] != b"KP\x01\x00":
            raise SystemExit("bad EVENTS_PACKED header")
        self.p, self.pos = payload, 8
        self.count = struct.unpack_from("<I", payload, 4)[0]
        self.ts = 0
        self.last = {k: 0 for k in ("ptr", "call_site", "cache")}
        self.tab = {k: [0] * 64 for k in ("ptr", "call_site", "cache")}
        self.same = [dict(cpu=0, tid=0, tgid=0, flags=0, gfp=0) for _ in range(7)]

    def varint(self):
        v = shift = 0
        while True:
            if self.pos >= len(self.p) or shift > 63:
                raise SystemExit("malformed EVENTS_PACKED event")
            b = self.p[self.pos]
            self.pos += 1
            v |= (b & 0x7F) << shift
            if not b & 0x80:
                return v
            shift += 7

    def signed(self):
        z = self.varint()
        return (z >> 1) ^ -(z & 1)

    def code(self, kind):
        c = self.varint()
        if c > 64:
            raise SystemExit("malformed EVENTS_PACKED code")
        if c:
            v = self.tab[kind][c - 1]
        else:
            v = (self.last[kind] + self.signed()) & M64
            self.tab[kind][((v * 0x9E3779B97F4A7C15) & M64) >> 58] = v
        self.last[kind] = v
        return v

    def events(self):
        """Yield dicts of event fields, or bytes for a record kept whole."""
        for _ in range(self.count):
            if self.pos >= len(self.p):
                raise SystemExit("EVENTS_PACKED payload ends before its events")
            tag = self.p[self.pos]
            self.pos += 1
            t = tag & 7
            if t == 7:
                n = self.varint()
                yield self.p[self.pos:self.pos + n]
                self.pos += n
                continue
            fields = self.p[self.pos]
            self.pos += 1
            ev = {"type": t}
            last = self.same[t]
            for bit, name in ((6, "flags"), (3, "cpu"), (4, "tid"), (5, "tgid"), (7, "gfp")):
                if not tag & (1 << bit):
                    last[name] = self.varint()
                ev[name] = last[name]
            self.ts = (self.ts + self.signed()) & M64
            ev["ts"] = self.ts
            for bit, name in ((0, "ptr"), (1, "call_site"), (2, "cache")):
                ev[name] = self.code(name) if fields & (1 << bit) else 0
            ev["bytes_req"] = ev["bytes_alloc"] = 0
            if fields & 8:
                ev["bytes_req"] = self.varint()
                ev["bytes_alloc"] = ev["bytes_req"] + self.signed()
            ev["cgroup"] = self.varint() if fields & 16 else 0
            ev["stack"] = self.signed() if fields & 32 else 0
            ev["object_size"] = ev["size"] = 0
            if fields & 64:
                ev["object_size"] = self.varint()
                ev["size"] = self.varint()
            ev["name"] = b""
            if fields & 128:
                n = self.varint()
                ev["name"] = self.p[self.pos:self.pos + n]
                self.pos += n
            yield ev
        if self.pos != len(self.p):
            raise SystemExit("EVENTS_PACKED payload goes on after its events")


def rec_type(item):
    """The record type of a record (bytes) or packed event (dict)."""
    return item[0] if isinstance(item, (bytes, bytearray)) else item["type"] + 1


def items(typ, payload):
    if typ == EVENTS:
        return records(payload)
    if typ == PACKED:
        return Packed(payload).events()
    return ()


def section(version, typ, payload):
    return struct.pack("<IIQII", typ, 0, len(payload), checksum(version, payload), 0) + payload


def entry(rec):
    return struct.pack("<II", len(rec), 0) + rec + b"\0" * (-len(rec) % 8)


def main():
    cmd = sys.argv[1]
    if cmd == "sections":
        for i, (typ, off, payload) in enumerate(sections(open(sys.argv[2], "rb").read())):
            by_type = {}
            n = 0
            for it in items(typ, payload):
                by_type[str(rec_type(it))] = by_type.get(str(rec_type(it)), 0) + 1
                n += 1
            print(json.dumps({"index": i, "type": typ, "offset": off, "length": len(payload),
                              "records": n, "by_type": by_type}))
    elif cmd == "rechunk":
        data = open(sys.argv[2], "rb").read()
        per = int(sys.argv[4])
        version = version_of(data)
        out = bytearray(data[:HDR])
        for typ, off, payload in sections(data):
            if typ == PACKED:
                raise SystemExit("rechunk: version 1 EVENTS sections only")
            if typ != EVENTS:
                out += section(version, typ, payload)
                continue
            recs = list(records(payload))
            for i in range(0, len(recs), per):
                out += section(version, EVENTS, b"".join(entry(r) for r in recs[i:i + per]))
        open(sys.argv[3], "wb").write(out)
    elif cmd == "append":
        data = open(sys.argv[2], "rb").read()
        version = version_of(data)
        secs = sections(data)
        last = max(i for i, s in enumerate(secs) if s[0] in (EVENTS, PACKED))
        out = bytearray(data[:HDR])
        for i, (typ, off, payload) in enumerate(secs):
            out += section(version, typ, payload)
            if i == last:
                out += section(version, EVENTS,
                               b"".join(entry(bytes.fromhex(h)) for h in sys.argv[4:]))
        open(sys.argv[3], "wb").write(out)
    elif cmd == "cut-packed":
        # The first EVENTS_PACKED section loses its last N bytes, with its
        # length and checksum made right: sound as a section, not as events.
        data = open(sys.argv[2], "rb").read()
        version = version_of(data)
        out = bytearray(data[:HDR])
        cut = int(sys.argv[4])
        for typ, off, payload in sections(data):
            if typ == PACKED and cut:
                payload, cut = payload[:-cut], 0
            out += section(version, typ, payload)
        if cut:
            raise SystemExit("cut-packed: no EVENTS_PACKED section")
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
            for rec in items(typ, payload):
                if isinstance(rec, dict):
                    # kms_event flags: HAS_CACHE 1 << 1, KERNEL_CACHE 1 << 2
                    if rec["type"] == 4:
                        announced[hex(rec["cache"])] = rec["name"].split(b"\0")[0].decode()
                    elif rec["type"] in (0, 1, 2, 3) and rec["flags"] & 6 and rec["cache"]:
                        used.add(hex(rec["cache"]))
                    continue
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
        raise SystemExit("usage: rectool.py sections|rechunk|append|cut-packed|flip|caches ...")


main()
