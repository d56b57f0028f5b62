// SPDX-License-Identifier: GPL-2.0
/*
 * recfile.c - write and read kmscope recordings (docs/record-format.md).
 *
 * The writer sits on the hot path of `kmscope record`: add_record() only
 * copies into a chunk of RECFILE_CHUNK_SIZE (256 KiB), which becomes one
 * checksummed EVENTS section when full or flushed.  The reader trusts nothing in the file:
 * every length is checked before use, payload memory grows only as bytes
 * actually arrive, and damage is reported with the offset where it starts.
 * A damaged section costs that section only: the reader puts back the
 * bytes it read since the section's start and scans them, then the rest of
 * the file, for the next section header that validates, payload checksum
 * included, without seeking.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <zlib.h>

#include "crc32c.h"
#include "evpack.h"
#include "kmscope_event.h"
#include "recfile.h"
#include "util.h"

/* Integers are in the writer's byte order, which the BOM identifies. */
struct recfile_hdr {
	char		magic[RECFILE_MAGIC_LEN];
	uint32_t	version;
	uint32_t	bom;
	uint32_t	abi_version;
	uint32_t	reserved;
};

struct recfile_sec_hdr {
	uint32_t	type;
	uint32_t	flags;
	uint64_t	len;
	uint32_t	crc;
	uint32_t	reserved;
};

struct recfile_ev_hdr {
	uint32_t	len;
	uint32_t	reserved;
};

_Static_assert(sizeof(struct recfile_hdr) == RECFILE_HDR_SIZE, "file header");
_Static_assert(sizeof(struct recfile_sec_hdr) == RECFILE_SEC_HDR_SIZE,
	       "section header");
_Static_assert(sizeof(struct recfile_ev_hdr) == RECFILE_EV_HDR_SIZE,
	       "event header");

/* The reader's first payload buffer; it doubles from there as data arrives. */
#define RECFILE_READ_STEP	(64u << 10)
/*
 * Payload bytes one resynchronisation may checksum for candidate headers
 * before it gives up: bounds the work a hostile file can cause.
 */
#define RECFILE_SCAN_BUDGET	(1ull << 30)

#define ALIGN8(x)		(((x) + 7) & ~(size_t)7)

struct recfile_writer {
	FILE		*f;
	unsigned char	*chunk;
	size_t		chunk_len;
	struct evpack	pack;		/* the chunk, packed */
	bool		packed;		/* pack holds every record of the chunk so far */
	uint64_t	bytes;
	uint64_t	records;
	int		err;		/* first write error, sticky */
	bool		finished;
};

struct recfile_reader {
	FILE		*f;
	long long	pos;		/* offset of the next byte to consume */
	unsigned char	*buf;
	size_t		cap;
	/*
	 * Bytes read from f but not consumed yet, those at pos and on:
	 * pend[pend_off..pend_len).  Only after damage, when the reader
	 * rescans what it had read; reader_read() takes them first.
	 */
	unsigned char	*pend;
	size_t		pend_off, pend_len, pend_cap;
	bool		pend_eof;	/* a read into pend reached the end */
	/* The section being read, for resynchronising after its damage. */
	struct recfile_sec_hdr hdr;
	size_t		hdr_got;	/* bytes of hdr read */
	size_t		payload_got;	/* bytes of its payload in buf */
	bool		hdr_ok;		/* hdr passed check_sec_hdr() */
	uint32_t	abi_version;
	uint32_t	version;	/* of the file: which checksum */
	/* An EVENTS_PACKED payload unpacked into EVENTS framing. */
	unsigned char	*raw;
	size_t		raw_cap;
	bool		keep_packed;
	bool		complete;
	bool		stopped;	/* END, EOF or unrecoverable damage seen */
	int		ret;		/* next_section() repeats it */
	struct recfile_error error;
	struct recfile_damage damage;
};

static const char *const section_names[] = {
	[KMS_SEC_META]		 = "META",
	[KMS_SEC_SLABINFO_START] = "SLABINFO_START",
	[KMS_SEC_SLABINFO_END]	 = "SLABINFO_END",
	[KMS_SEC_SLABGEOM_START] = "SLABGEOM_START",
	[KMS_SEC_SLABGEOM_END]	 = "SLABGEOM_END",
	[KMS_SEC_EVENTS]	 = "EVENTS",
	[KMS_SEC_SYMBOLS]	 = "SYMBOLS",
	[KMS_SEC_COUNTERS]	 = "COUNTERS",
	[KMS_SEC_END]		 = "END",
	[KMS_SEC_STACKS]	 = "STACKS",
	[KMS_SEC_CGROUPS]	 = "CGROUPS",
	[KMS_SEC_EVENTS_PACKED]	 = "EVENTS_PACKED",
};

const char *recfile_section_str(unsigned int type)
{
	if (type >= ARRAY_SIZE(section_names))
		return NULL;
	return section_names[type];
}

/*
 * A section's checksum: CRC-32C from format version 2 (the CPU's crc32
 * instruction), zlib's CRC-32 in version 1.  zlib's crc32() takes a
 * 32-bit length, sections can be longer on paper.
 */
static uint32_t payload_crc(uint32_t version, const void *data, size_t len)
{
	const unsigned char *p = data;
	uLong crc = crc32(0L, Z_NULL, 0);

	if (version >= 2)
		return crc32c(0, data, len);

	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;

		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)crc;
}

/* ---- writer ---------------------------------------------------------- */

static int writer_write(struct recfile_writer *w, const void *p, size_t n)
{
	if (w->err)
		return w->err;
	if (!n)
		return 0;
	/* stdio reports the failing write(2) through errno, if at all. */
	errno = 0;
	if (fwrite(p, 1, n, w->f) != n) {
		w->err = errno ? -errno : -EIO;
		return w->err;
	}
	w->bytes += n;
	return 0;
}

static int writer_section(struct recfile_writer *w, uint32_t type,
			  const void *data, size_t len)
{
	struct recfile_sec_hdr hdr = {
		.type = type,
		.len = len,
		.crc = payload_crc(RECFILE_VERSION, data, len),
	};
	int err;

	err = writer_write(w, &hdr, sizeof(hdr));
	if (err)
		return err;
	return writer_write(w, data, len);
}

/*
 * The chunk's records packed (evpack.h); -E2BIG when one is too long to
 * pack, and the chunk then goes out as it is.
 */
static int writer_pack_chunk(struct recfile_writer *w)
{
	const void *rec;
	size_t pos = 0, len;
	int ret;

	if (w->packed)
		return 0;	/* packed as the records came (add_event) */
	evpack__reset(&w->pack);
	while ((ret = recfile_events__next(w->chunk, w->chunk_len, &pos, &rec, &len)) > 0) {
		ret = evpack__add(&w->pack, rec, len);
		if (ret)
			return ret;
	}
	return ret;
}

static int writer_flush_chunk(struct recfile_writer *w)
{
	int err;

	if (!w->chunk_len)
		return w->err;
	err = writer_pack_chunk(w);
	if (err == -ENOMEM)
		return w->err = err;
	if (err)
		err = writer_section(w, KMS_SEC_EVENTS, w->chunk, w->chunk_len);
	else
		err = writer_section(w, KMS_SEC_EVENTS_PACKED, w->pack.out, w->pack.len);
	if (err)
		return err;
	w->chunk_len = 0;
	evpack__reset(&w->pack);
	w->packed = true;
	return 0;
}

static int writer_fflush(struct recfile_writer *w)
{
	if (w->err)
		return w->err;
	errno = 0;
	if (fflush(w->f) == EOF || ferror(w->f))
		w->err = errno ? -errno : -EIO;
	return w->err;
}

struct recfile_writer *recfile_writer__new(FILE *f)
{
	struct recfile_hdr hdr = {
		.magic = RECFILE_MAGIC,
		.version = RECFILE_VERSION,
		.bom = RECFILE_BOM,
		.abi_version = KMS_ABI_VERSION,
	};
	struct recfile_writer *w;
	int err;

	if (!f) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->f = f;
	w->packed = true;	/* an empty chunk, and an empty pack */
	w->chunk = malloc(RECFILE_CHUNK_SIZE);
	if (!w->chunk) {
		err = -ENOMEM;
		goto err_free;
	}
	err = writer_write(w, &hdr, sizeof(hdr));
	if (err)
		goto err_free;
	return w;

err_free:
	recfile_writer__free(w);
	errno = -err;
	return NULL;
}

int recfile_writer__add_section(struct recfile_writer *w,
				enum recfile_section type, const void *data,
				size_t len)
{
	int err;

	/*
	 * EVENTS framing and END placement are the writer's own invariants,
	 * and type 0 is what a zero-filled tail looks like to the reader.
	 */
	if (w->finished || type == 0 || type == KMS_SEC_EVENTS ||
	    type == KMS_SEC_EVENTS_PACKED || type == KMS_SEC_END)
		return -EINVAL;
	if (len > RECFILE_MAX_SECTION)
		return -E2BIG;
	if (len && !data)
		return -EINVAL;
	/* Keep file order equal to call order: pending events come first. */
	err = writer_flush_chunk(w);
	if (err)
		return err;
	return writer_section(w, type, data, len);
}

/* Out of line so the common path of add_record() stays a bounds check. */
static int writer_make_room(struct recfile_writer *w, size_t len)
{
	if (w->finished)
		return -EINVAL;
	if (len > RECFILE_MAX_RECORD)
		return -E2BIG;
	return writer_flush_chunk(w);
}

static int chunk_append(struct recfile_writer *w, const void *rec, size_t len)
{
	struct recfile_ev_hdr hdr = { .len = (uint32_t)len };
	size_t need = RECFILE_EV_HDR_SIZE + ALIGN8(len);
	unsigned char *p;

	/* len is tested first: need has wrapped when len is huge. */
	if (len > RECFILE_MAX_RECORD ||
	    need > RECFILE_CHUNK_SIZE - w->chunk_len) {
		int err = writer_make_room(w, len);

		if (err)
			return err;
	}
	p = w->chunk + w->chunk_len;
	memcpy(p, &hdr, sizeof(hdr));
	memcpy(p + RECFILE_EV_HDR_SIZE, rec, len);
	/* Zero the padding so stale bytes of older records never reach disk. */
	memset(p + RECFILE_EV_HDR_SIZE + len, 0, ALIGN8(len) - len);
	w->chunk_len += need;
	w->records++;
	return 0;
}

int recfile_writer__add_record(struct recfile_writer *w, const void *rec,
			       size_t len)
{
	int err = chunk_append(w, rec, len);

	if (!err)
		w->packed = false;	/* packed at flush, from the chunk */
	return err;
}

/*
 * Packed now, from the caller's decode, and kept raw in the chunk as well:
 * should packing fail (a record too long, no memory) the flush packs the
 * chunk again or writes it as it is.
 */
int recfile_writer__add_event(struct recfile_writer *w, const void *rec, size_t len,
			      const struct kms_event *ev)
{
	int err = chunk_append(w, rec, len);

	if (err || !w->packed)
		return err;
	if (evpack__add_decoded(&w->pack, rec, len, ev))
		w->packed = false;
	return 0;
}

int recfile_writer__flush(struct recfile_writer *w)
{
	int err;

	err = writer_flush_chunk(w);
	if (err)
		return err;
	return writer_fflush(w);
}

int recfile_writer__finish(struct recfile_writer *w)
{
	int err;

	if (w->finished)
		return w->err;
	err = writer_flush_chunk(w);
	if (!err)
		err = writer_section(w, KMS_SEC_END, NULL, 0);
	if (!err)
		err = writer_fflush(w);
	w->finished = true;
	return err;
}

void recfile_writer__free(struct recfile_writer *w)
{
	if (!w)
		return;
	free(w->chunk);
	evpack__free(&w->pack);
	free(w);
}

uint64_t recfile_writer__bytes_written(const struct recfile_writer *w)
{
	return w->bytes;
}

uint64_t recfile_writer__records_written(const struct recfile_writer *w)
{
	return w->records;
}

/* ---- reader ---------------------------------------------------------- */

__attribute__((format(printf, 4, 5)))
static int set_error(struct recfile_error *err, int ret, long long offset,
		     const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return ret;
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return ret;
}

static const char *sec_name(unsigned int type)
{
	const char *name = recfile_section_str(type);

	return name ? name : "unknown";
}

/*
 * Read up to n bytes, those put back first; *got says how many arrived.
 * Returns 0, -ENODATA at EOF, or the read error, so callers only have to
 * word the message.
 */
static int reader_read(struct recfile_reader *r, void *buf, size_t n,
		       size_t *got)
{
	size_t k = KMS_MIN(r->pend_len - r->pend_off, n);

	if (k) {
		memcpy(buf, r->pend + r->pend_off, k);
		r->pend_off += k;
		if (r->pend_off == r->pend_len)
			r->pend_off = r->pend_len = 0;
	}
	errno = 0;
	*got = k + (n > k ? fread((unsigned char *)buf + k, 1, n - k, r->f) : 0);
	r->pos += *got;
	if (*got == n)
		return 0;
	if (ferror(r->f))
		return errno ? -errno : -EIO;
	return -ENODATA;
}

static int reader_grow(struct recfile_reader *r, size_t want)
{
	unsigned char *buf;

	buf = realloc(r->buf, want ? want : 1);	/* realloc(p, 0) may free p */
	if (!buf)
		return -ENOMEM;
	r->buf = buf;
	r->cap = want;
	return 0;
}

/*
 * Memory grows geometrically with the bytes actually read, so a length
 * field larger than the file costs at most twice what the file holds.
 * One byte beyond the payload is kept for the NUL that ends text sections.
 */
static int reader_payload(struct recfile_reader *r, size_t len,
			  long long sec_off, unsigned int type,
			  struct recfile_error *err)
{
	size_t done = 0, end, got, want;
	int ret;

	for (;;) {
		end = r->cap > len ? len : (r->cap ? r->cap - 1 : 0);
		if (done < end) {
			ret = reader_read(r, r->buf + done, end - done, &got);
			done += got;
			r->payload_got = done;
			if (ret == -ENODATA)
				return set_error(err, ret, sec_off,
						 "%s section at offset %lld cut short: %zu of %zu payload bytes present",
						 sec_name(type), sec_off, done,
						 len);
			if (ret)
				return set_error(err, ret, r->pos,
						 "read error at offset %lld: %s",
						 r->pos, strerror(-ret));
		}
		if (r->cap > len)
			break;
		want = KMS_MIN(KMS_MAX(2 * r->cap, RECFILE_READ_STEP), len + 1);
		ret = reader_grow(r, want);
		if (ret)
			return set_error(err, ret, sec_off,
					 "out of memory reading %zu-byte section at offset %lld",
					 len, sec_off);
	}
	r->buf[len] = '\0';
	return 0;
}

static int check_events(const void *data, size_t len, long long data_off,
			struct recfile_error *err)
{
	const void *rec;
	size_t pos = 0, rec_len;
	int ret;

	do {
		ret = recfile_events__next(data, len, &pos, &rec, &rec_len);
	} while (ret > 0);
	if (!ret)
		return 0;
	return set_error(err, -EBADMSG, data_off + (long long)pos,
			 "EVENTS section at offset %lld: malformed record at offset %lld",
			 data_off - RECFILE_SEC_HDR_SIZE,
			 data_off + (long long)pos);
}

/* Room for n more bytes of unpacked events past *len. */
static int raw_room(struct recfile_reader *r, size_t len, size_t n)
{
	unsigned char *p;
	size_t want;

	if (r->raw_cap - len >= n)
		return 0;
	if (len + n > RECFILE_MAX_SECTION)
		return -EFBIG;
	want = KMS_MAX(2 * r->raw_cap, KMS_MAX(len + n, (size_t)RECFILE_READ_STEP));
	p = realloc(r->raw, want);
	if (!p)
		return -ENOMEM;
	r->raw = p;
	r->raw_cap = want;
	return 0;
}

/*
 * An EVENTS_PACKED payload back into EVENTS framing, in r->raw; *len is
 * its length.  -EBADMSG (with the offset of the bad record) when it does
 * not unpack, -EFBIG or -ENOMEM.
 */
static int unpack_events(struct recfile_reader *r, const void *data, size_t plen,
			 long long data_off, size_t *len, struct recfile_error *err)
{
	struct recfile_ev_hdr hdr = { 0 };
	struct evunpack u;
	size_t n = 0, rl;
	int ret;

	ret = evunpack__init(&u, data, plen);
	while (!ret) {
		ret = raw_room(r, n, RECFILE_EV_HDR_SIZE + EVPACK_RECORD_MAX);
		if (ret == -ENOMEM)
			return set_error(err, ret, data_off,
					 "out of memory unpacking the EVENTS_PACKED section at offset %lld",
					 data_off - RECFILE_SEC_HDR_SIZE);
		if (ret)
			return set_error(err, ret, data_off,
					 "EVENTS_PACKED section at offset %lld unpacks to more than %u MiB",
					 data_off - RECFILE_SEC_HDR_SIZE, RECFILE_MAX_SECTION >> 20);
		ret = evunpack__next(&u, r->raw + n + RECFILE_EV_HDR_SIZE, EVPACK_RECORD_MAX, &rl);
		if (ret <= 0)
			break;
		hdr.len = (uint32_t)rl;
		memcpy(r->raw + n, &hdr, sizeof(hdr));
		memset(r->raw + n + RECFILE_EV_HDR_SIZE + rl, 0, ALIGN8(rl) - rl);
		n += RECFILE_EV_HDR_SIZE + ALIGN8(rl);
		ret = 0;
	}
	if (ret)
		return set_error(err, -EBADMSG, data_off + (long long)u.pos,
				 "EVENTS_PACKED section at offset %lld: malformed record at offset %lld",
				 data_off - RECFILE_SEC_HDR_SIZE, data_off + (long long)u.pos);
	*len = n;
	return 0;
}

/* Does a packed payload unpack, and to how many records (*n)? */
static bool packed_framed(const void *data, size_t len, uint64_t *n)
{
	unsigned char buf[EVPACK_RECORD_MAX];
	struct evunpack u;
	size_t rl;
	int ret;

	*n = 0;
	if (evunpack__init(&u, data, len))
		return false;
	while ((ret = evunpack__next(&u, buf, sizeof(buf), &rl)) > 0)
		(*n)++;
	return ret == 0;
}

static int check_sec_hdr(const struct recfile_sec_hdr *hdr, long long off,
			 struct recfile_error *err)
{
	if (hdr->type == 0 || hdr->flags || hdr->reserved)
		return set_error(err, -EBADMSG, off,
				 "bad section header at offset %lld (type %u, flags %#x, reserved %#x)",
				 off, hdr->type, hdr->flags, hdr->reserved);
	if (hdr->len > RECFILE_MAX_SECTION)
		return set_error(err, -EFBIG, off,
				 "%s section at offset %lld claims %llu bytes, over the %u MiB limit",
				 sec_name(hdr->type), off,
				 (unsigned long long)hdr->len,
				 RECFILE_MAX_SECTION >> 20);
	if (hdr->type == KMS_SEC_END && hdr->len)
		return set_error(err, -EBADMSG, off,
				 "END section at offset %lld has a %llu-byte payload",
				 off, (unsigned long long)hdr->len);
	return 0;
}

static int reader_section(struct recfile_reader *r,
			  struct recfile_section_info *sec,
			  struct recfile_error *err)
{
	struct recfile_sec_hdr hdr = { 0 };
	long long off = r->pos;
	uint32_t crc;
	size_t got;
	int ret;

	r->hdr_ok = false;
	r->payload_got = 0;
	ret = reader_read(r, &hdr, sizeof(hdr), &got);
	r->hdr = hdr;
	r->hdr_got = got;
	if (ret == -ENODATA && got == 0)
		return 0;	/* stops between sections: short, not damaged */
	if (ret == -ENODATA)
		return set_error(err, ret, off,
				 "section header at offset %lld cut short: %zu of %d bytes present",
				 off, got, RECFILE_SEC_HDR_SIZE);
	if (ret)
		return set_error(err, ret, off, "read error at offset %lld: %s",
				 off, strerror(-ret));
	ret = check_sec_hdr(&hdr, off, err);
	if (ret)
		return ret;
	r->hdr_ok = true;
	ret = reader_payload(r, hdr.len, off, hdr.type, err);
	if (ret)
		return ret;
	crc = payload_crc(r->version, r->buf, hdr.len);
	if (crc != hdr.crc)
		return set_error(err, -EBADMSG, off,
				 "%s section at offset %lld is damaged: checksum %#010x, expected %#010x",
				 sec_name(hdr.type), off, crc, hdr.crc);
	if (hdr.type == KMS_SEC_EVENTS) {
		ret = check_events(r->buf, hdr.len, off + RECFILE_SEC_HDR_SIZE,
				   err);
		if (ret)
			return ret;
	}
	if (hdr.type == KMS_SEC_END) {
		r->complete = true;
		return 0;
	}
	sec->type = hdr.type;
	sec->offset = off;
	sec->data = r->buf;
	sec->len = hdr.len;
	sec->stored_len = hdr.len;
	if (hdr.type == KMS_SEC_EVENTS_PACKED && !r->keep_packed) {
		ret = unpack_events(r, r->buf, hdr.len, off + RECFILE_SEC_HDR_SIZE,
				    &sec->len, err);
		if (ret)
			return ret;
		sec->type = KMS_SEC_EVENTS;
		sec->data = r->raw;
	}
	return 1;
}

/* ---- resynchronisation after damage ------------------------------------ */

/*
 * Have at least n bytes put back (fewer only at the end of the file);
 * *avail says how many there are.  Memory grows with the bytes read.
 */
static int pend_fill(struct recfile_reader *r, size_t n, size_t *avail)
{
	size_t have, room, got;
	unsigned char *p;

	while ((have = r->pend_len - r->pend_off) < n && !r->pend_eof) {
		if (r->pend_off) {
			memmove(r->pend, r->pend + r->pend_off, have);
			r->pend_off = 0;
			r->pend_len = have;
		}
		if (r->pend_cap - r->pend_len < RECFILE_READ_STEP) {
			room = KMS_MAX(2 * r->pend_cap, (size_t)RECFILE_READ_STEP);
			p = realloc(r->pend, room);
			if (!p)
				return -ENOMEM;
			r->pend = p;
			r->pend_cap = room;
		}
		room = r->pend_cap - r->pend_len;
		errno = 0;
		got = fread(r->pend + r->pend_len, 1, room, r->f);
		r->pend_len += got;
		if (got < room) {
			if (ferror(r->f))
				return errno ? -errno : -EIO;
			r->pend_eof = true;
		}
	}
	*avail = have;
	return 0;
}

/* Consume n put-back bytes unread: the scan moves past them. */
static void pend_drop(struct recfile_reader *r, size_t n)
{
	r->pend_off += n;
	r->pos += n;
	if (r->pend_off == r->pend_len)
		r->pend_off = r->pend_len = 0;
}

/* Put the bytes of the damaged section, all but its first, back. */
static int reader_unread(struct recfile_reader *r, long long off)
{
	size_t hdr_back = r->hdr_got - 1, back = hdr_back + r->payload_got;
	size_t rest = r->pend_len - r->pend_off;
	unsigned char *p;

	if (r->pend_cap < back + rest) {
		p = realloc(r->pend, back + rest);
		if (!p)
			return -ENOMEM;
		r->pend = p;
		r->pend_cap = back + rest;
	}
	if (rest)
		memmove(r->pend + back, r->pend + r->pend_off, rest);
	if (hdr_back)
		memcpy(r->pend, (const unsigned char *)&r->hdr + 1, hdr_back);
	if (r->payload_got)
		memcpy(r->pend + hdr_back, r->buf, r->payload_got);
	r->pend_off = 0;
	r->pend_len = back + rest;
	r->pos = off + 1;
	return 0;
}

static bool events_framed(const void *data, size_t len, uint64_t *n)
{
	const void *rec;
	size_t pos = 0, rec_len;
	int ret;

	*n = 0;
	while ((ret = recfile_events__next(data, len, &pos, &rec, &rec_len)) > 0)
		(*n)++;
	return ret == 0;
}

/*
 * Is there a whole, valid section at put-back offset i?  Its header must
 * pass check_sec_hdr(), its payload be there and match its checksum, and
 * an EVENTS payload be framed right.  The checksum of an empty payload is
 * 0 whatever it holds, so an empty section counts only if it is an END
 * that ends the file.  Returns 1, 0, or -errno.
 */
static int reader_try(struct recfile_reader *r, size_t i, uint64_t *budget)
{
	struct recfile_sec_hdr h;
	const unsigned char *p;
	size_t need, avail;
	uint64_t n;
	int ret;

	need = i + RECFILE_SEC_HDR_SIZE;
	ret = pend_fill(r, need, &avail);
	if (ret || avail < need)
		return ret;
	memcpy(&h, r->pend + r->pend_off + i, sizeof(h));
	if (check_sec_hdr(&h, 0, NULL))
		return 0;
	need += h.len;
	if (!h.len) {
		if (h.type != KMS_SEC_END || h.crc)
			return 0;
		ret = pend_fill(r, need + 1, &avail);
		return ret ? ret : avail == need;
	}
	ret = pend_fill(r, need, &avail);
	if (ret || avail < need || h.len > *budget)
		return ret;
	*budget -= h.len;
	p = r->pend + r->pend_off + i + RECFILE_SEC_HDR_SIZE;
	if (payload_crc(r->version, p, h.len) != h.crc)
		return 0;
	if (h.type == KMS_SEC_EVENTS_PACKED)
		return packed_framed(p, h.len, &n);
	return h.type != KMS_SEC_EVENTS || events_framed(p, h.len, &n);
}

/* The cheap part of check_sec_hdr(), for every byte scanned. */
static bool maybe_hdr(const unsigned char *p)
{
	struct recfile_sec_hdr h;

	memcpy(&h, p, sizeof(h));
	return h.type && !h.flags && !h.reserved && h.len <= RECFILE_MAX_SECTION;
}

/*
 * Scan on from r->pos for a valid section; hint, when past r->pos, is
 * where the damaged section's own length puts the next one, tried first.
 * Returns 1 with r->pos on it, 0 at the end of the file (or when the
 * budget ran out), or -errno.
 */
static int reader_scan(struct recfile_reader *r, long long hint)
{
	uint64_t budget = RECFILE_SCAN_BUDGET;
	size_t avail, i;
	int ret;

	if (hint > r->pos) {
		ret = reader_try(r, hint - r->pos, &budget);
		if (ret > 0)
			pend_drop(r, hint - r->pos);
		if (ret)
			return ret;
	}
	for (;;) {
		ret = pend_fill(r, RECFILE_SEC_HDR_SIZE, &avail);
		if (ret)
			return ret;
		if (avail < RECFILE_SEC_HDR_SIZE) {
			pend_drop(r, avail);
			return 0;
		}
		for (i = 0; i + RECFILE_SEC_HDR_SIZE <= avail; i++) {
			if (!maybe_hdr(r->pend + r->pend_off + i))
				continue;
			ret = reader_try(r, i, &budget);
			if (ret > 0)
				pend_drop(r, i);
			if (ret)
				return ret;
			avail = r->pend_len - r->pend_off;
		}
		pend_drop(r, i);
	}
}

/*
 * The section at off is damaged (r->ret, r->error say how).  Skip to the
 * next valid section and count what was skipped.  Returns 1 when there is
 * one, 0 when not (r->ret stands), or -errno of a read error.
 */
static int reader_recover(struct recfile_reader *r, long long off)
{
	struct recfile_damage *d = &r->damage;
	bool whole = r->hdr_ok && r->payload_got == r->hdr.len;
	long long hint = whole ? off + RECFILE_SEC_HDR_SIZE + (long long)r->hdr.len : 0;
	bool counted = whole;
	uint64_t n = 0;
	int ret;

	if (whole && r->hdr.type == KMS_SEC_EVENTS)
		counted = events_framed(r->buf, r->hdr.len, &n);
	else if (whole && r->hdr.type == KMS_SEC_EVENTS_PACKED)
		counted = packed_framed(r->buf, r->hdr.len, &n);
	ret = reader_unread(r, off);
	if (!ret)
		ret = reader_scan(r, hint);
	if (ret < 0)
		return set_error(&r->error, ret, r->pos, "read error at offset %lld: %s",
				 r->pos, strerror(-ret));
	/* The file ends inside its last section: cut short, not damaged. */
	if (!ret && r->ret == -ENODATA)
		return 0;
	if (!d->sections)
		d->first = r->error;
	d->sections++;
	d->bytes += r->pos - off;
	/* A stretch no longer than a section header holds no record. */
	if (counted && r->pos == hint)
		d->records += n;
	else if (r->pos - off > RECFILE_SEC_HDR_SIZE)
		d->uncounted++;
	return ret;
}

static int check_file_hdr(const struct recfile_hdr *hdr,
			  struct recfile_error *err)
{
	if (memcmp(hdr->magic, RECFILE_MAGIC, RECFILE_MAGIC_LEN))
		return set_error(err, -EINVAL, 0,
				 "not a kmscope recording (bad magic)");
	if (hdr->bom == __builtin_bswap32(RECFILE_BOM))
		return set_error(err, -EOPNOTSUPP,
				 offsetof(struct recfile_hdr, bom),
				 "recording was written on a host of the other byte order");
	if (hdr->bom != RECFILE_BOM)
		return set_error(err, -EBADMSG,
				 offsetof(struct recfile_hdr, bom),
				 "bad byte-order mark %#010x in file header",
				 hdr->bom);
	if (hdr->version < RECFILE_VERSION_MIN || hdr->version > RECFILE_VERSION)
		return set_error(err, -EOPNOTSUPP,
				 offsetof(struct recfile_hdr, version),
				 "recording format version %u, this kmscope reads versions %u to %u",
				 hdr->version, RECFILE_VERSION_MIN, RECFILE_VERSION);
	if (hdr->reserved)
		return set_error(err, -EBADMSG,
				 offsetof(struct recfile_hdr, reserved),
				 "bad file header: reserved field is %#x",
				 hdr->reserved);
	return 0;
}

static int reader_file_hdr(struct recfile_reader *r, struct recfile_error *err)
{
	struct recfile_hdr hdr;
	size_t got;
	int ret;

	ret = reader_read(r, &hdr, sizeof(hdr), &got);
	if (ret && ret != -ENODATA)
		return set_error(err, ret, 0, "read error at offset 0: %s",
				 strerror(-ret));
	/* A short file that is not ours should say so, not "cut short". */
	if (memcmp(hdr.magic, RECFILE_MAGIC,
		   got < RECFILE_MAGIC_LEN ? got : RECFILE_MAGIC_LEN))
		return set_error(err, -EINVAL, 0,
				 "not a kmscope recording (bad magic)");
	if (ret)
		return set_error(err, ret, 0,
				 "file header cut short: %zu of %d bytes present",
				 got, RECFILE_HDR_SIZE);
	ret = check_file_hdr(&hdr, err);
	if (ret)
		return ret;
	r->abi_version = hdr.abi_version;
	r->version = hdr.version;
	return 0;
}

struct recfile_reader *recfile_reader__new(FILE *f, struct recfile_error *err)
{
	struct recfile_reader *r;
	int ret;

	if (!f) {
		ret = set_error(err, -EINVAL, 0, "no file");
		goto err_out;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		ret = set_error(err, -ENOMEM, 0, "out of memory");
		goto err_out;
	}
	r->f = f;
	ret = reader_file_hdr(r, err);
	if (ret)
		goto err_free;
	return r;

err_free:
	recfile_reader__free(r);
err_out:
	errno = -ret;
	return NULL;
}

int recfile_reader__next_section(struct recfile_reader *r,
				 struct recfile_section_info *sec,
				 struct recfile_error *err)
{
	long long off;
	int ret;

	while (!r->stopped) {
		off = r->pos;
		r->ret = reader_section(r, sec, &r->error);
		r->stopped = r->ret <= 0;
		if (r->ret != -EBADMSG && r->ret != -EFBIG && r->ret != -ENODATA)
			break;
		ret = reader_recover(r, off);
		if (ret < 0)
			r->ret = ret;
		if (ret <= 0)
			break;
		r->stopped = false;
	}
	if (r->ret < 0 && err)
		*err = r->error;
	return r->ret;
}

void recfile_reader__keep_packed(struct recfile_reader *r, bool keep)
{
	r->keep_packed = keep;
}

bool recfile_reader__complete(const struct recfile_reader *r)
{
	return r->complete;
}

const struct recfile_damage *recfile_reader__damage(const struct recfile_reader *r)
{
	return &r->damage;
}

void recfile_reader__malformed(struct recfile_reader *r, const struct recfile_section_info *sec,
			       int err, int64_t lost)
{
	struct recfile_damage *d = &r->damage;

	if (!d->sections)
		set_error(&d->first, err, sec->offset,
			  "%s section at offset %lld does not parse (%s), though its checksum "
			  "is right: it was written so", recfile_section_str(sec->type),
			  sec->offset, strerror(-err));
	d->sections++;
	d->bytes += RECFILE_SEC_HDR_SIZE + sec->len;
	if (lost >= 0)
		d->records += lost;
	else
		d->uncounted++;
}

uint32_t recfile_reader__abi_version(const struct recfile_reader *r)
{
	return r->abi_version;
}

void recfile_reader__free(struct recfile_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->raw);
	free(r->pend);
	free(r);
}

/* ---- EVENTS payloads ------------------------------------------------- */

int recfile_events__next(const void *data, size_t len, size_t *pos,
			 const void **rec, size_t *rec_len)
{
	const unsigned char *p = data;
	struct recfile_ev_hdr hdr;
	size_t off = *pos, avail;

	if (off == len)
		return 0;
	if (off > len || len - off < RECFILE_EV_HDR_SIZE)
		return -EINVAL;
	avail = len - off - RECFILE_EV_HDR_SIZE;
	memcpy(&hdr, p + off, sizeof(hdr));
	/* hdr.len <= avail keeps ALIGN8() from wrapping. */
	if (hdr.reserved || hdr.len > avail || ALIGN8((size_t)hdr.len) > avail)
		return -EINVAL;
	*rec = p + off + RECFILE_EV_HDR_SIZE;
	*rec_len = hdr.len;
	*pos = off + RECFILE_EV_HDR_SIZE + ALIGN8((size_t)hdr.len);
	return 1;
}
