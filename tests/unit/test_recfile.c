// SPDX-License-Identifier: GPL-2.0
/*
 * test_recfile.c - unit tests for src/recfile.c: round trips, and a reader
 * that survives files cut short or damaged at every byte.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/types.h>
#include <zlib.h>

#include "crc32c.h"
#include "decode.h"
#include "encode.h"
#include "evpack.h"
#include "kmscope_event.h"
#include "recfile.h"
#include "test.h"

#define MAX_SECS 64

/* What a reader returned, section by section, for comparing runs. */
struct sec_copy {
	unsigned int type;
	long long offset;
	size_t len;
	unsigned char *data;
};

struct read_result {
	int nsec;
	struct sec_copy sec[MAX_SECS];
	int rc;			/* what ended the walk: 0 or -errno */
	bool complete;
	struct recfile_error err;
	struct recfile_damage damage;
};

static FILE *file_from(const void *buf, size_t len)
{
	FILE *f = tmpfile();

	if (!f)
		return NULL;
	if (len && fwrite(buf, 1, len, f) != len) {
		fclose(f);
		return NULL;
	}
	rewind(f);
	return f;
}

static unsigned char *slurp(FILE *f, size_t *len)
{
	unsigned char *buf;
	long end;

	fflush(f);
	end = ftell(f);
	if (end < 0)
		return NULL;
	buf = malloc(end ? end : 1);
	rewind(f);
	if (buf && fread(buf, 1, end, f) != (size_t)end) {
		free(buf);
		return NULL;
	}
	*len = end;
	return buf;
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void free_result(struct read_result *res)
{
	for (int i = 0; i < res->nsec; i++)
		free(res->sec[i].data);
	res->nsec = 0;
}

/* Read a whole file image; -errno from recfile_reader__new() lands in rc. */
static void read_all(const void *buf, size_t len, struct read_result *res)
{
	struct recfile_section_info sec;
	struct recfile_reader *r;
	struct recfile_error err2;
	FILE *f = file_from(buf, len);
	int rc;

	memset(res, 0, sizeof(*res));
	if (!f) {
		res->rc = -EIO;
		return;
	}
	r = recfile_reader__new(f, &res->err);
	if (!r) {
		res->rc = -errno;
		fclose(f);
		return;
	}
	while ((rc = recfile_reader__next_section(r, &sec, &res->err)) == 1 &&
	       res->nsec < MAX_SECS) {
		struct sec_copy *c = &res->sec[res->nsec++];

		c->type = sec.type;
		c->offset = sec.offset;
		c->len = sec.len;
		c->data = malloc(sec.len + 1);
		memcpy(c->data, sec.data, sec.len + 1);
	}
	res->rc = rc;
	res->complete = recfile_reader__complete(r);
	res->damage = *recfile_reader__damage(r);
	/* Once stopped, the reader must keep saying the same thing. */
	memset(&err2, 0, sizeof(err2));
	if (recfile_reader__next_section(r, &sec, &err2) != rc ||
	    (rc < 0 && (err2.offset != res->err.offset ||
			strcmp(err2.msg, res->err.msg))))
		res->rc = -EDOM;
	recfile_reader__free(r);
	fclose(f);
}

static size_t rec_len_of(unsigned int i)
{
	static const size_t lens[] = { 24, 32, 48, 48, 80, 13, 1, 64, 200, 7 };

	return lens[i % (sizeof(lens) / sizeof(lens[0]))];
}

static void fill_rec(unsigned char *buf, unsigned int i, size_t len)
{
	for (size_t j = 0; j < len; j++)
		buf[j] = (unsigned char)(i * 31 + j * 7 + (i >> 8));
}

/*
 * A small complete recording: META, EVENTS (5 records), COUNTERS, END.
 * Section offsets go to offs[], the file size to *len.
 */
static unsigned char *small_file(size_t *len, long long offs[4])
{
	static const char meta[] = "kernel=6.1.0\npage_size=4096\n";
	static const char counters[] = "rb_fail=0\n";
	static const size_t lens[] = { 24, 48, 13, 32, 1 };
	struct recfile_writer *w;
	unsigned char rec[64], *buf;
	FILE *f = tmpfile();

	if (!f)
		return NULL;
	w = recfile_writer__new(f);
	if (!w) {
		fclose(f);
		return NULL;
	}
	offs[0] = recfile_writer__bytes_written(w);
	recfile_writer__add_section(w, KMS_SEC_META, meta, strlen(meta));
	offs[1] = recfile_writer__bytes_written(w);
	for (unsigned int i = 0; i < 5; i++) {
		fill_rec(rec, i, lens[i]);
		recfile_writer__add_record(w, rec, lens[i]);
	}
	recfile_writer__flush(w);
	offs[2] = recfile_writer__bytes_written(w);
	recfile_writer__add_section(w, KMS_SEC_COUNTERS, counters,
				    strlen(counters));
	offs[3] = recfile_writer__bytes_written(w);
	recfile_writer__finish(w);
	recfile_writer__free(w);
	buf = slurp(f, len);
	fclose(f);
	return buf;
}

/* Check the records of one EVENTS payload against fill_rec(), from *next. */
static void check_chunk(const struct recfile_section_info *sec,
			unsigned int *next)
{
	unsigned char want[256];
	const void *rec;
	size_t pos = 0, len;
	int rc;

	while ((rc = recfile_events__next(sec->data, sec->len, &pos, &rec,
					  &len)) == 1) {
		size_t wl = rec_len_of(*next);

		fill_rec(want, *next, wl);
		if (len != wl || memcmp(rec, want, wl)) {
			T_FAIL("record %u differs (len %zu, want %zu)", *next,
			       len, wl);
			return;
		}
		CHECK_INT((uintptr_t)rec % 8, ==, 0);
		(*next)++;
	}
	CHECK_INT(rc, ==, 0);
}

TEST(round_trip)
{
	static const char meta[] = "kernel=6.1.0\nncpus=8\nhostname=test\n";
	static const char *const texts[] = {
		"slabinfo - version: 2.1\nkmalloc-64 1 2 64 64 1\n",
		"kmalloc-64/object_size=64\n",
		"ffffffff81000000 T _stext\nffffffffc0000000 t foo [bar]\n",
		"rb_fail=0\nfiltered=12\n",
		"slabinfo - version: 2.1\nkmalloc-64 3 4 64 64 1\n",
		"kmalloc-64/object_size=64\n",
	};
	static const unsigned int after[] = {
		KMS_SEC_SLABINFO_START, KMS_SEC_SLABGEOM_START,
		KMS_SEC_SYMBOLS, KMS_SEC_COUNTERS, KMS_SEC_SLABINFO_END,
		KMS_SEC_SLABGEOM_END,
	};
	const unsigned int nrec = 60000;
	struct recfile_section_info sec;
	struct recfile_writer *w;
	struct recfile_reader *r;
	struct recfile_error err = { 0 };
	unsigned char rec[256];
	unsigned int next = 0, nchunks = 0, ti = 0;
	long long last_off = -1;
	FILE *f = tmpfile();
	int rc;

	if (!f)
		SKIP("no tmpfile");
	w = recfile_writer__new(f);
	CHECK(w);
	if (!w)
		goto out;
	CHECK_INT(recfile_writer__bytes_written(w), ==, RECFILE_HDR_SIZE);
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_META, meta,
					      strlen(meta)), ==, 0);
	for (int i = 0; i < 2; i++)
		CHECK_INT(recfile_writer__add_section(w, after[i], texts[i],
						      strlen(texts[i])), ==, 0);
	for (unsigned int i = 0; i < nrec; i++) {
		fill_rec(rec, i, rec_len_of(i));
		rc = recfile_writer__add_record(w, rec, rec_len_of(i));
		if (rc) {
			CHECK_INT(rc, ==, 0);
			break;
		}
		if (i == 1000)
			CHECK_INT(recfile_writer__flush(w), ==, 0);
	}
	CHECK_INT(recfile_writer__records_written(w), ==, nrec);
	for (int i = 2; i < 6; i++)
		CHECK_INT(recfile_writer__add_section(w, after[i], texts[i],
						      strlen(texts[i])), ==, 0);
	CHECK_INT(recfile_writer__finish(w), ==, 0);
	CHECK_INT(recfile_writer__finish(w), ==, 0);
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_META, "x", 1), ==,
		  -EINVAL);
	CHECK_INT(recfile_writer__bytes_written(w), ==, ftell(f));
	recfile_writer__free(w);

	rewind(f);
	r = recfile_reader__new(f, &err);
	CHECK(r);
	if (!r)
		goto out;
	CHECK_INT(recfile_reader__abi_version(r), ==, KMS_ABI_VERSION);
	CHECK_INT(recfile_reader__next_section(r, &sec, &err), ==, 1);
	CHECK_INT(sec.type, ==, KMS_SEC_META);
	CHECK_INT(sec.offset, ==, RECFILE_HDR_SIZE);
	CHECK_STR((const char *)sec.data, meta);
	while ((rc = recfile_reader__next_section(r, &sec, &err)) == 1) {
		CHECK_INT(sec.offset, >, last_off);
		CHECK_INT((uintptr_t)sec.data % 8, ==, 0);
		last_off = sec.offset;
		if (sec.type == KMS_SEC_EVENTS) {
			CHECK_INT(ti, ==, 2);
			CHECK_INT(sec.len, <=, RECFILE_CHUNK_SIZE);
			check_chunk(&sec, &next);
			nchunks++;
			continue;
		}
		if (ti >= 6) {
			T_FAIL("unexpected section type %u", sec.type);
			break;
		}
		CHECK_INT(sec.type, ==, after[ti]);
		CHECK_INT(sec.len, ==, strlen(texts[ti]));
		CHECK_STR((const char *)sec.data, texts[ti]);
		ti++;
	}
	CHECK_INT(rc, ==, 0);
	CHECK_INT(ti, ==, 6);
	CHECK_INT(next, ==, nrec);
	CHECK_INT(nchunks, >=, 3);
	CHECK(recfile_reader__complete(r));
	recfile_reader__free(r);
out:
	fclose(f);
}

/*
 * Pin the exact bytes of a tiny recording, as docs/record-format.md
 * describes them, so a format change cannot slip in unnoticed.  Neither
 * record decodes, so each is stored whole in its EVENTS_PACKED section.
 */
TEST(golden_bytes)
{
	unsigned char want[256] = { 0 }, *got, *p = want, big[16];
	struct recfile_writer *w;
	size_t len;
	FILE *f = tmpfile();

	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		SKIP("golden bytes are little-endian");
	if (!f)
		SKIP("no tmpfile");
	memset(big, 0xff, sizeof(big));
	w = recfile_writer__new(f);
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_META, "a=1\n", 4),
		  ==, 0);
	CHECK_INT(recfile_writer__add_record(w, big, 16), ==, 0);
	CHECK_INT(recfile_writer__flush(w), ==, 0);
	CHECK_INT(recfile_writer__add_record(w, "\x11", 1), ==, 0);
	CHECK_INT(recfile_writer__finish(w), ==, 0);
	recfile_writer__free(w);
	got = slurp(f, &len);
	fclose(f);

	memcpy(p, "KMSCOPE\0\2\0\0\0\4\3\2\1", 16);
	put32(p + 16, KMS_ABI_VERSION);
	p += 24;
	put32(p, KMS_SEC_META);
	put64(p + 8, 4);
	put32(p + 16, crc32c(0, "a=1\n", 4));
	memcpy(p + 24, "a=1\n", 4);
	p += 28;
	/* "KP", format 1, 0, one record; tag 7 (whole), length 16, bytes. */
	put32(p, KMS_SEC_EVENTS_PACKED);
	put64(p + 8, 26);
	memcpy(p + 24, "KP\1\0\1\0\0\0\7\20", 10);
	memcpy(p + 34, big, 16);
	put32(p + 16, crc32c(0, p + 24, 26));
	p += 50;
	put32(p, KMS_SEC_EVENTS_PACKED);
	put64(p + 8, 11);
	memcpy(p + 24, "KP\1\0\1\0\0\0\7\1\21", 11);
	put32(p + 16, crc32c(0, p + 24, 11));
	p += 35;
	put32(p, KMS_SEC_END);	/* the checksum of nothing is 0 */
	p += 24;

	CHECK(got);
	CHECK_INT(len, ==, p - want);
	if (got && len == (size_t)(p - want))
		for (size_t i = 0; i < len; i++)
			if (got[i] != want[i]) {
				T_FAIL("byte %zu is %#x, want %#x", i, got[i],
				       want[i]);
				break;
			}
	free(got);
}

/*
 * A version 1 recording (zlib's CRC-32, plain EVENTS sections), byte for
 * byte as kmscope wrote them before version 2, still reads.
 */
TEST(reads_version_1)
{
	unsigned char img[256] = { 0 }, *p = img, big[16];
	struct recfile_section_info sec;
	struct recfile_reader *r;
	uLong crc0 = crc32(0L, Z_NULL, 0);
	const void *rec;
	size_t pos, len;
	FILE *f;

	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		SKIP("golden bytes are little-endian");
	memset(big, 0xff, sizeof(big));
	memcpy(p, "KMSCOPE\0\1\0\0\0\4\3\2\1", 16);
	put32(p + 16, KMS_ABI_VERSION);
	p += 24;
	put32(p, KMS_SEC_META);
	put64(p + 8, 4);
	put32(p + 16, crc32(crc0, (const Bytef *)"a=1\n", 4));
	memcpy(p + 24, "a=1\n", 4);
	p += 28;
	put32(p, KMS_SEC_EVENTS);
	put64(p + 8, 24);
	put32(p + 24, 16);
	memcpy(p + 32, big, 16);
	put32(p + 16, crc32(crc0, p + 24, 24));
	p += 48;
	put32(p, KMS_SEC_END);
	p += 24;

	f = file_from(img, p - img);
	r = f ? recfile_reader__new(f, NULL) : NULL;
	CHECK(r);
	if (!r)
		goto out;
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 1);
	CHECK_INT(sec.type, ==, KMS_SEC_META);
	CHECK_STR((const char *)sec.data, "a=1\n");
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 1);
	CHECK_INT(sec.type, ==, KMS_SEC_EVENTS);
	pos = 0;
	CHECK_INT(recfile_events__next(sec.data, sec.len, &pos, &rec, &len), ==, 1);
	CHECK_INT(len, ==, 16);
	CHECK(!memcmp(rec, big, 16));
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 0);
	CHECK(recfile_reader__complete(r));
	CHECK_INT(recfile_reader__damage(r)->sections, ==, 0);
	/* A flipped payload byte fails version 1's own checksum. */
	recfile_reader__free(r);
	fclose(f);
	img[24 + 28 + 40] ^= 1;
	f = file_from(img, p - img);
	r = f ? recfile_reader__new(f, NULL) : NULL;
	CHECK(r);
	if (!r)
		goto out;
	while (recfile_reader__next_section(r, &sec, NULL) == 1)
		CHECK_INT(sec.type, !=, KMS_SEC_EVENTS);
	CHECK_INT(recfile_reader__damage(r)->sections, ==, 1);
	recfile_reader__free(r);
out:
	if (f)
		fclose(f);
}

TEST(largest_record)
{
	struct recfile_section_info sec;
	struct recfile_writer *w;
	struct recfile_reader *r;
	const void *rec;
	size_t pos = 0, len;
	unsigned char *big = malloc(RECFILE_MAX_RECORD + 1);
	FILE *f = tmpfile();

	if (!f || !big)
		SKIP("no memory or tmpfile");
	memset(big, 0xa5, RECFILE_MAX_RECORD + 1);
	w = recfile_writer__new(f);
	CHECK_INT(recfile_writer__add_record(w, big, 8), ==, 0);
	CHECK_INT(recfile_writer__add_record(w, big, RECFILE_MAX_RECORD + 1),
		  ==, -E2BIG);
	CHECK_INT(recfile_writer__add_record(w, big, RECFILE_MAX_RECORD), ==,
		  0);
	CHECK_INT(recfile_writer__add_record(w, big, 0), ==, 0);
	CHECK_INT(recfile_writer__records_written(w), ==, 3);
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_EVENTS, big, 8), ==,
		  -EINVAL);
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_END, NULL, 0), ==,
		  -EINVAL);
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_META, big,
					      RECFILE_MAX_SECTION + 1ul), ==,
		  -E2BIG);
	CHECK_INT(recfile_writer__finish(w), ==, 0);
	recfile_writer__free(w);

	rewind(f);
	r = recfile_reader__new(f, NULL);
	CHECK(r);
	if (!r)
		goto out;
	/* The full record forced the 8-byte one out into a chunk of its own. */
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 1);
	CHECK_INT(sec.len, ==, 16);
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 1);
	CHECK_INT(sec.len, ==, RECFILE_CHUNK_SIZE);
	CHECK_INT(recfile_events__next(sec.data, sec.len, &pos, &rec, &len),
		  ==, 1);
	CHECK_INT(len, ==, RECFILE_MAX_RECORD);
	CHECK(!memcmp(rec, big, len));
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 1);
	CHECK_INT(sec.len, ==, RECFILE_EV_HDR_SIZE);
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 0);
	CHECK(recfile_reader__complete(r));
	recfile_reader__free(r);
out:
	free(big);
	fclose(f);
}

/*
 * Record i of the add_event stream: mostly events kms_encode() makes (of
 * every kind the ring carries), some bytes decode cannot read, and one
 * record too long to pack, which sends its chunk out unpacked.
 */
static size_t event_rec(unsigned int i, unsigned char *buf, size_t cap)
{
	struct kms_event ev = {
		.type = (enum kms_ev_type)(i % 4), .cpu = i % 3, .tid = 100 + i % 5,
		.tgid = 100, .ts = 1000000ULL + 37ULL * i,
		.ptr = 0xffff888100000000ULL + 64ULL * (i % 700),
		.call_site = 0xffffffff81000000ULL + 16 * (i % 9), .gfp = 0xcc0,
		.bytes_req = 40 + i % 24, .bytes_alloc = 64,
	};
	int n;

	if (i == 7777) {		/* too long for a packed section */
		fill_rec(buf, i, EVPACK_RECORD_MAX + 1);
		return EVPACK_RECORD_MAX + 1;
	}
	if (i % 97 == 5) {		/* not a record decode reads */
		fill_rec(buf, i, 13);
		return 13;
	}
	n = kms_encode(&ev, buf, cap);
	return n > 0 ? (size_t)n : 0;
}

/* Write the stream; how: 0 add_record, 1 add_event, 2 both in turn. */
static unsigned char *write_events(unsigned int nrec, int how, size_t *len)
{
	static unsigned char rec[EVPACK_RECORD_MAX + 8];
	struct recfile_writer *w;
	struct kms_event ev;
	unsigned char *out = NULL;
	FILE *f = tmpfile();
	unsigned int i;
	size_t n;

	if (!f)
		return NULL;
	w = recfile_writer__new(f);
	for (i = 0; w && i < nrec; i++) {
		n = event_rec(i, rec, sizeof(rec));
		if (how == 0 || (how == 2 && i % 2))
			CHECK_INT(recfile_writer__add_record(w, rec, n), ==, 0);
		else
			CHECK_INT(recfile_writer__add_event(w, rec, n,
				kms_decode(rec, n, &ev) ? NULL : &ev), ==, 0);
	}
	if (w && !recfile_writer__finish(w))
		out = slurp(f, len);	/* from the end: its length is ftell()'s */
	recfile_writer__free(w);
	fclose(f);
	return out;
}

/* add_event() packs as records come, add_record() at the flush: the same bytes. */
TEST(add_event_same_bytes)
{
	const unsigned int nrec = 20000;	/* four chunks, one sent unpacked */
	struct recfile_section_info sec;
	struct recfile_reader *r;
	unsigned char *a, *b, *c;
	size_t la = 0, lb = 0, lc = 0;
	int rc = -1, packed = 0, plain = 0;
	FILE *f;

	a = write_events(nrec, 0, &la);
	b = write_events(nrec, 1, &lb);
	c = write_events(nrec, 2, &lc);
	CHECK(a && b && c);
	if (!a || !b || !c)
		goto out;
	CHECK_INT(la, >, 5 * RECFILE_CHUNK_SIZE / 8);	/* a whole stream, packed */
	CHECK_INT(lb, ==, la);
	CHECK(lb == la && !memcmp(a, b, la));
	CHECK_INT(lc, ==, la);
	CHECK(lc == la && !memcmp(a, c, la));
	f = file_from(b, lb);
	r = f ? recfile_reader__new(f, NULL) : NULL;
	CHECK(r);
	if (r)
		recfile_reader__keep_packed(r, true);
	while (r && (rc = recfile_reader__next_section(r, &sec, NULL)) == 1) {
		packed += sec.type == KMS_SEC_EVENTS_PACKED;
		plain += sec.type == KMS_SEC_EVENTS;
	}
	CHECK_INT(rc, ==, 0);
	CHECK(r && recfile_reader__complete(r));
	CHECK_INT(plain, ==, 1);	/* the chunk with the long record */
	CHECK_INT(packed, >=, 3);
	recfile_reader__free(r);
	if (f)
		fclose(f);
out:
	free(a);
	free(b);
	free(c);
}

TEST(truncated_everywhere)
{
	struct read_result full, cut;
	long long offs[4];
	size_t len;
	unsigned char *buf = small_file(&len, offs);

	if (!buf)
		SKIP("no tmpfile");
	read_all(buf, len, &full);
	CHECK_INT(full.rc, ==, 0);
	CHECK_INT(full.nsec, ==, 3);
	CHECK(full.complete);
	for (size_t n = 0; n < len; n++) {
		int whole = 0;	/* sections that end at or before n */
		int damaged;	/* the section n falls into */

		while (whole < 3 && (size_t)offs[whole + 1] <= n)
			whole++;
		damaged = whole;
		read_all(buf, n, &cut);
		if (n < RECFILE_HDR_SIZE) {
			CHECK_INT(cut.rc, ==, -ENODATA);
			CHECK_INT(cut.err.offset, ==, 0);
		} else if (n == (size_t)offs[whole]) {
			CHECK_INT(cut.rc, ==, 0);
			CHECK(!cut.complete);
		} else {
			CHECK_INT(cut.rc, ==, -ENODATA);
			CHECK_INT(cut.err.offset, >=, offs[damaged]);
			CHECK_INT(cut.err.offset, <=, n);
			CHECK(strstr(cut.err.msg, "cut short"));
		}
		CHECK_INT(cut.nsec, ==, n < RECFILE_HDR_SIZE ? 0 : whole);
		for (int i = 0; i < cut.nsec && i < full.nsec; i++) {
			CHECK_INT(cut.sec[i].type, ==, full.sec[i].type);
			CHECK_INT(cut.sec[i].len, ==, full.sec[i].len);
			CHECK(!memcmp(cut.sec[i].data, full.sec[i].data,
				      full.sec[i].len));
		}
		free_result(&cut);
		if (t_cur_failed) {
			printf("#   (file cut at %zu of %zu bytes)\n", n, len);
			break;
		}
	}
	free_result(&full);
	free(buf);
}

/* A checksum mismatch costs that section, counted; the rest is read. */
TEST(checksum)
{
	struct read_result res;
	long long offs[4];
	size_t len;
	unsigned char *buf = small_file(&len, offs);

	if (!buf)
		SKIP("no tmpfile");
	/* In a record's reserved field: the chunk's records cannot be counted. */
	buf[offs[1] + RECFILE_SEC_HDR_SIZE + 5] ^= 0x10;
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	CHECK(res.complete);
	CHECK_INT(res.nsec, ==, 2);
	CHECK_INT(res.sec[0].type, ==, KMS_SEC_META);
	CHECK_INT(res.sec[1].type, ==, KMS_SEC_COUNTERS);
	CHECK_INT(res.damage.sections, ==, 1);
	CHECK_INT(res.damage.bytes, ==, offs[2] - offs[1]);
	CHECK_INT(res.damage.records, ==, 0);
	CHECK_INT(res.damage.uncounted, ==, 1);
	CHECK_INT(res.damage.first.offset, ==, offs[1]);
	CHECK(strstr(res.damage.first.msg, "checksum"));
	free_result(&res);
	buf[offs[1] + RECFILE_SEC_HDR_SIZE + 5] ^= 0x10;

	/* In a record's bytes: its 5 records are counted as lost. */
	buf[offs[1] + RECFILE_SEC_HDR_SIZE + 12] ^= 0x10;
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	CHECK_INT(res.nsec, ==, 2);
	CHECK_INT(res.damage.sections, ==, 1);
	CHECK_INT(res.damage.records, ==, 5);
	CHECK_INT(res.damage.uncounted, ==, 0);
	free_result(&res);
	buf[offs[1] + RECFILE_SEC_HDR_SIZE + 12] ^= 0x10;

	buf[offs[0] + RECFILE_SEC_HDR_SIZE] ^= 0x01;
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	CHECK_INT(res.nsec, ==, 2);
	CHECK_INT(res.sec[0].type, ==, KMS_SEC_EVENTS);
	CHECK_INT(res.damage.sections, ==, 1);
	CHECK_INT(res.damage.bytes, ==, offs[1] - offs[0]);
	CHECK_INT(res.damage.records + res.damage.uncounted, ==, 0);
	CHECK_INT(res.damage.first.offset, ==, offs[0]);
	free_result(&res);
	free(buf);
}

/*
 * Any single damaged byte after the file header costs exactly the section
 * it falls in: every other section is read, intact and in order, and the
 * damage is counted with that section's size.
 */
TEST(resync_every_byte)
{
	struct read_result full, res;
	long long offs[6];
	size_t len;
	unsigned char *buf = small_file(&len, offs);

	if (!buf)
		SKIP("no tmpfile");
	offs[4] = len - RECFILE_SEC_HDR_SIZE;	/* END */
	offs[5] = len;
	read_all(buf, len, &full);
	for (size_t i = offs[0]; i < len; i++) {
		int s = 0, k = 0;
		bool type_byte;

		while (i >= (size_t)offs[s + 1])
			s++;
		type_byte = i < (size_t)offs[s] + 4;
		buf[i] ^= 0xff;
		read_all(buf, len, &res);
		buf[i] ^= 0xff;
		if (type_byte) {	/* a valid section of another type */
			CHECK_INT(res.damage.sections, ==, 0);
			free_result(&res);
			continue;
		}
		CHECK_INT(res.damage.sections, ==, 1);
		CHECK_INT(res.damage.bytes, ==, offs[s + 1] - offs[s]);
		CHECK_INT(res.damage.first.offset, ==, offs[s]);
		if (s == 1)
			CHECK((res.damage.records == 5 && !res.damage.uncounted) ||
			      (!res.damage.records && res.damage.uncounted == 1));
		else
			CHECK_INT(res.damage.records, ==, 0);
		/* A damaged END leaves the recording incomplete, nothing else. */
		CHECK(s == 4 ? res.rc == -EBADMSG || res.rc == -EFBIG : res.rc == 0);
		CHECK(res.complete == (s != 4));
		CHECK_INT(res.nsec, ==, s == 4 ? 3 : 2);
		for (int j = 0; j < full.nsec; j++) {
			if (j == s)
				continue;
			if (k >= res.nsec || res.sec[k].type != full.sec[j].type ||
			    res.sec[k].offset != full.sec[j].offset ||
			    res.sec[k].len != full.sec[j].len ||
			    memcmp(res.sec[k].data, full.sec[j].data, full.sec[j].len))
				T_FAIL("section %d lost or changed", j);
			k++;
		}
		free_result(&res);
		if (t_cur_failed) {
			printf("#   (byte %zu flipped, section %d)\n", i, s);
			break;
		}
	}
	free_result(&full);
	free(buf);
}

/* Read a file image through a pipe, as from `cat run.data |`. */
static void read_piped(const unsigned char *buf, size_t len, struct read_result *res)
{
	struct recfile_section_info sec;
	struct recfile_reader *r;
	int fds[2];
	FILE *f;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	res->rc = -EIO;
	if (pipe(fds))
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		_exit(write(fds[1], buf, len) != (ssize_t)len);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	r = f ? recfile_reader__new(f, NULL) : NULL;
	while (r && (res->rc = recfile_reader__next_section(r, &sec, NULL)) == 1) {
		if (sec.type == KMS_SEC_EVENTS)
			res->nsec++;
	}
	if (r) {
		res->complete = recfile_reader__complete(r);
		res->damage = *recfile_reader__damage(r);
	}
	recfile_reader__free(r);
	if (f)
		fclose(f);
	else
		close(fds[0]);
	waitpid(pid, NULL, 0);
}

/* Records of a whole image, chunk by chunk; the sizes of the chunks. */
static uint64_t count_records(const unsigned char *buf, size_t len, long long *chunk_off,
			      uint64_t *chunk_recs, size_t *chunk_len, int *nchunks)
{
	struct recfile_section_info sec;
	struct recfile_reader *r;
	FILE *f = file_from(buf, len);
	uint64_t total = 0, n;
	const void *rec;
	size_t pos, rl;

	*nchunks = 0;
	r = f ? recfile_reader__new(f, NULL) : NULL;
	while (r && recfile_reader__next_section(r, &sec, NULL) == 1) {
		if (sec.type != KMS_SEC_EVENTS)
			continue;
		for (n = 0, pos = 0; recfile_events__next(sec.data, sec.len, &pos, &rec, &rl) == 1; )
			n++;
		if (chunk_off && *nchunks < 16) {
			chunk_off[*nchunks] = sec.offset;
			chunk_recs[*nchunks] = n;
			chunk_len[*nchunks] = sec.stored_len;
		}
		(*nchunks)++;
		total += n;
	}
	recfile_reader__free(r);
	if (f)
		fclose(f);
	return total;
}

/*
 * A recording of many 256 KiB chunks, damaged in one chunk's payload, then
 * also in the length field of the chunk before, then in two chunks apart;
 * from a file and a pipe.  Exactly the records of the damaged chunks are
 * missing.
 */
TEST(resync_big)
{
	const unsigned int nrec = 60000;
	long long off[16];
	uint64_t recs[16];
	size_t clen[16], len;
	unsigned char rec[256], *buf;
	struct recfile_writer *w;
	struct read_result res;
	uint64_t total;
	int n, n2;
	FILE *f = tmpfile();

	if (!f)
		SKIP("no tmpfile");
	w = recfile_writer__new(f);
	recfile_writer__add_section(w, KMS_SEC_META, "a=1\n", 4);
	for (unsigned int i = 0; i < nrec; i++) {
		fill_rec(rec, i, rec_len_of(i));
		recfile_writer__add_record(w, rec, rec_len_of(i));
	}
	recfile_writer__add_section(w, KMS_SEC_COUNTERS, "b=2\n", 4);
	recfile_writer__finish(w);
	recfile_writer__free(w);
	buf = slurp(f, &len);
	fclose(f);
	if (!buf)
		SKIP("no memory");
	total = count_records(buf, len, off, recs, clen, &n);
	CHECK_INT(total, ==, nrec);
	CHECK_INT(n, >=, 6);
	if (n < 6 || n > 16)
		goto out;

	/* One byte in the middle of chunk 2's payload. */
	buf[off[2] + RECFILE_SEC_HDR_SIZE + clen[2] / 2] ^= 0x40;
	CHECK_INT(count_records(buf, len, NULL, NULL, NULL, &n2), ==, nrec - recs[2]);
	CHECK_INT(n2, ==, n - 1);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	CHECK(res.complete);
	CHECK_INT(res.damage.sections, ==, 1);
	CHECK_INT(res.damage.bytes, ==, RECFILE_SEC_HDR_SIZE + clen[2]);
	CHECK_INT(res.damage.records, ==, recs[2]);
	free_result(&res);
	read_piped(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	CHECK_INT(res.nsec, ==, n - 1);
	CHECK_INT(res.damage.records, ==, recs[2]);

	/*
	 * And chunk 1's length field, a length beyond the file: the scan from
	 * there skips chunk 2 too, one stretch whose records are unknown.
	 */
	buf[off[1] + 10] ^= 0xff;
	CHECK_INT(count_records(buf, len, NULL, NULL, NULL, &n2), ==,
		  nrec - recs[1] - recs[2]);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	CHECK(res.complete);
	CHECK_INT(res.nsec, ==, n);	/* META, n - 2 chunks, COUNTERS */
	CHECK_INT(res.damage.sections, ==, 1);
	CHECK_INT(res.damage.bytes, ==, 2 * RECFILE_SEC_HDR_SIZE + clen[1] + clen[2]);
	CHECK_INT(res.damage.records, ==, 0);
	CHECK_INT(res.damage.uncounted, ==, 1);
	CHECK_INT(res.damage.first.offset, ==, off[1]);
	CHECK(strstr(res.damage.first.msg, "cut short"));
	free_result(&res);
	read_piped(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	CHECK_INT(res.nsec, ==, n - 2);
	CHECK_INT(res.damage.bytes, ==, 2 * RECFILE_SEC_HDR_SIZE + clen[1] + clen[2]);

	/* Chunks 2 and 4, apart: two stretches, both counted. */
	buf[off[1] + 10] ^= 0xff;
	buf[off[4] + RECFILE_SEC_HDR_SIZE + 100] ^= 0x01;
	CHECK_INT(count_records(buf, len, NULL, NULL, NULL, &n2), ==,
		  nrec - recs[2] - recs[4]);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	CHECK(res.complete);
	CHECK_INT(res.damage.sections, ==, 2);
	CHECK_INT(res.damage.bytes, ==, 2 * RECFILE_SEC_HDR_SIZE + clen[2] + clen[4]);
	CHECK_INT(res.damage.records, ==, recs[2] + recs[4]);
	CHECK_INT(res.damage.uncounted, ==, 0);
	CHECK_INT(res.damage.first.offset, ==, off[2]);
	free_result(&res);
out:
	free(buf);
}

/* Any single damaged byte: no crash, no overrun, and never a silent pass. */
TEST(flip_every_byte)
{
	struct read_result res;
	long long offs[4];
	size_t len;
	unsigned char *buf = small_file(&len, offs);

	if (!buf)
		SKIP("no tmpfile");
	for (size_t i = 0; i < len; i++) {
		buf[i] ^= 0xff;
		read_all(buf, len, &res);
		/* Only the ABI version and a section type can change unseen. */
		if (i >= (size_t)offs[0] && res.rc == 0 && res.complete &&
		    !res.damage.sections) {
			bool type_byte = false;

			for (int s = 0; s < 3; s++)
				type_byte |= i >= (size_t)offs[s] &&
					     i < (size_t)offs[s] + 4;
			if (!type_byte)
				T_FAIL("flip at %zu went unnoticed", i);
		}
		CHECK_INT(res.rc, !=, -EDOM);
		CHECK_INT(res.rc, <=, 0);
		free_result(&res);
		buf[i] ^= 0xff;
	}
	free(buf);
}

TEST(bad_magic)
{
	static const char text[] = "slabinfo - version: 2.1\n# name  <active_objs>\n";
	struct recfile_error err = { 0 };
	struct read_result res;
	long long offs[4];
	size_t len;
	unsigned char *buf = small_file(&len, offs);

	if (!buf)
		SKIP("no tmpfile");
	buf[3] = 'X';
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EINVAL);
	CHECK_INT(res.err.offset, ==, 0);
	CHECK(strstr(res.err.msg, "magic"));
	read_all(text, strlen(text), &res);
	CHECK_INT(res.rc, ==, -EINVAL);
	read_all("hi", 2, &res);
	CHECK_INT(res.rc, ==, -EINVAL);
	CHECK(!recfile_reader__new(NULL, &err));
	CHECK_INT(errno, ==, EINVAL);
	free(buf);
}

TEST(wrong_version)
{
	struct read_result res;
	long long offs[4];
	size_t len;
	unsigned char *buf = small_file(&len, offs);

	if (!buf)
		SKIP("no tmpfile");
	put32(buf + 8, RECFILE_VERSION + 1);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EOPNOTSUPP);
	CHECK_INT(res.err.offset, ==, 8);
	CHECK(strstr(res.err.msg, "version 3, this kmscope reads versions 1 to 2"));
	free_result(&res);
	put32(buf + 8, 0);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EOPNOTSUPP);
	CHECK(strstr(res.err.msg, "version 0"));
	free_result(&res);
	put32(buf + 8, RECFILE_VERSION);

	put32(buf + 12, __builtin_bswap32(RECFILE_BOM));
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EOPNOTSUPP);
	CHECK(strstr(res.err.msg, "byte order"));
	put32(buf + 12, RECFILE_BOM);

	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	free_result(&res);
	free(buf);
}

TEST(missing_end)
{
	struct recfile_section_info sec;
	struct recfile_writer *w;
	struct recfile_reader *r;
	FILE *f = tmpfile();

	if (!f)
		SKIP("no tmpfile");
	w = recfile_writer__new(f);
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_META, "a=1\n", 4),
		  ==, 0);
	CHECK_INT(recfile_writer__add_record(w, "12345678", 8), ==, 0);
	CHECK_INT(recfile_writer__flush(w), ==, 0);
	/* A record buffered after the last flush is what a crash loses. */
	CHECK_INT(recfile_writer__add_record(w, "abcdefgh", 8), ==, 0);
	recfile_writer__free(w);

	rewind(f);
	r = recfile_reader__new(f, NULL);
	CHECK(r);
	if (!r)
		goto out;
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 1);
	CHECK_INT(sec.type, ==, KMS_SEC_META);
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 1);
	CHECK_INT(sec.type, ==, KMS_SEC_EVENTS);
	CHECK_INT(sec.len, ==, 16);
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 0);
	CHECK(!recfile_reader__complete(r));
	recfile_reader__free(r);
out:
	fclose(f);
}

/* What a file system may leave after a crash: the tail is zeros. */
TEST(zero_filled_tail)
{
	struct read_result res;
	long long offs[4];
	size_t len;
	unsigned char *buf = small_file(&len, offs);

	if (!buf)
		SKIP("no tmpfile");
	memset(buf + offs[2], 0, len - offs[2]);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EBADMSG);
	CHECK_INT(res.nsec, ==, 2);
	CHECK_INT(res.err.offset, ==, offs[2]);
	CHECK(!res.complete);
	free_result(&res);
	free(buf);
}

TEST(unknown_section)
{
	struct recfile_section_info sec;
	struct recfile_writer *w;
	struct recfile_reader *r;
	FILE *f = tmpfile();

	if (!f)
		SKIP("no tmpfile");
	CHECK_STR(recfile_section_str(KMS_SEC_SLABGEOM_END), "SLABGEOM_END");
	CHECK(!recfile_section_str(0x4242));
	CHECK(!recfile_section_str(0));
	w = recfile_writer__new(f);
	CHECK_INT(recfile_writer__add_section(w, (enum recfile_section)0x4242,
					      "xyz", 3), ==, 0);
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_COUNTERS, "", 0), ==,
		  0);
	CHECK_INT(recfile_writer__finish(w), ==, 0);
	recfile_writer__free(w);

	rewind(f);
	r = recfile_reader__new(f, NULL);
	CHECK(r);
	if (!r)
		goto out;
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 1);
	CHECK_INT(sec.type, ==, 0x4242);
	CHECK_INT(sec.len, ==, 3);
	CHECK_STR((const char *)sec.data, "xyz");
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 1);
	CHECK_INT(sec.type, ==, KMS_SEC_COUNTERS);
	CHECK_INT(sec.len, ==, 0);
	CHECK_STR((const char *)sec.data, "");
	CHECK_INT(recfile_reader__next_section(r, &sec, NULL), ==, 0);
	CHECK(recfile_reader__complete(r));
	recfile_reader__free(r);
out:
	fclose(f);
}

TEST(events_overrun)
{
	uint64_t words[8] = { 0 };
	unsigned char *p = (unsigned char *)words;
	const void *rec;
	size_t pos = 0, len;

	CHECK_INT(recfile_events__next(p, 0, &pos, &rec, &len), ==, 0);
	put32(p, 5);			/* 5 bytes, padded to 8 */
	memcpy(p + 8, "hello", 5);
	put32(p + 16, 100);		/* claims more than is left */
	CHECK_INT(recfile_events__next(p, 48, &pos, &rec, &len), ==, 1);
	CHECK_INT(pos, ==, 16);
	CHECK_INT(len, ==, 5);
	CHECK(!memcmp(rec, "hello", 5));
	CHECK_INT(recfile_events__next(p, 48, &pos, &rec, &len), ==, -EINVAL);
	CHECK_INT(pos, ==, 16);
	put32(p + 16, 24);		/* exactly fits */
	CHECK_INT(recfile_events__next(p, 48, &pos, &rec, &len), ==, 1);
	CHECK_INT(pos, ==, 48);
	CHECK_INT(recfile_events__next(p, 48, &pos, &rec, &len), ==, 0);

	pos = 0;			/* padding cut off */
	CHECK_INT(recfile_events__next(p, 13, &pos, &rec, &len), ==, -EINVAL);
	pos = 16;			/* header cut off */
	CHECK_INT(recfile_events__next(p, 20, &pos, &rec, &len), ==, -EINVAL);
	pos = 56;			/* past the end */
	CHECK_INT(recfile_events__next(p, 48, &pos, &rec, &len), ==, -EINVAL);
	pos = 0;
	put32(p + 4, 1);		/* reserved must be zero */
	CHECK_INT(recfile_events__next(p, 16, &pos, &rec, &len), ==, -EINVAL);
	put32(p + 4, 0);
	put32(p, 0xfffffff9);		/* would wrap ALIGN8 on 32-bit */
	CHECK_INT(recfile_events__next(p, 16, &pos, &rec, &len), ==, -EINVAL);
	put32(p, 0);			/* an empty record is well-formed */
	CHECK_INT(recfile_events__next(p, 8, &pos, &rec, &len), ==, 1);
	CHECK_INT(len, ==, 0);
}

/* The checksum of a payload in a file of the image's format version. */
static uint32_t image_crc(const unsigned char *buf, const void *data, size_t dlen)
{
	uint32_t version;

	memcpy(&version, buf + 8, sizeof(version));
	if (version >= 2)
		return crc32c(0, data, dlen);
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, dlen);
}

/* Append a hand-made section to a file image at *len. */
static void add_raw_section(unsigned char *buf, size_t *len, uint32_t type,
			    uint64_t claimed, const void *data, size_t dlen)
{
	unsigned char *h = buf + *len;

	put32(h, type);
	put32(h + 4, 0);
	put64(h + 8, claimed);
	put32(h + 16, image_crc(buf, data, dlen));
	put32(h + 20, 0);
	memcpy(h + RECFILE_SEC_HDR_SIZE, data, dlen);
	*len += RECFILE_SEC_HDR_SIZE + dlen;
}

static size_t header_only(unsigned char *buf)
{
	struct recfile_writer *w;
	size_t len = 0;
	FILE *f = tmpfile();
	unsigned char *img;

	if (!f)
		return 0;
	w = recfile_writer__new(f);
	recfile_writer__free(w);
	img = slurp(f, &len);
	fclose(f);
	if (!img || len != RECFILE_HDR_SIZE) {
		free(img);
		return 0;
	}
	memcpy(buf, img, len);
	free(img);
	return len;
}

TEST(hostile_sections)
{
	uint64_t words[64] = { 0 };
	unsigned char *ev = (unsigned char *)words, buf[1024];
	struct read_result res;
	size_t len;

	len = header_only(buf);
	if (!len)
		SKIP("no tmpfile");
	/* A good chunk whose second record overruns: checksum is right. */
	put32(ev, 8);
	put32(ev + 16, 64);
	add_raw_section(buf, &len, KMS_SEC_EVENTS, 40, ev, 40);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EBADMSG);
	CHECK_INT(res.err.offset, ==,
		  RECFILE_HDR_SIZE + RECFILE_SEC_HDR_SIZE + 16);
	CHECK(strstr(res.err.msg, "malformed record"));

	len = RECFILE_HDR_SIZE;
	add_raw_section(buf, &len, KMS_SEC_META, 1ull << 40, "abc", 3);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EFBIG);
	CHECK_INT(res.err.offset, ==, RECFILE_HDR_SIZE);

	/* Under the cap but far beyond the file: cut short, not allocated. */
	len = RECFILE_HDR_SIZE;
	add_raw_section(buf, &len, KMS_SEC_META, 200u << 20, "abc", 3);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -ENODATA);
	CHECK_INT(res.err.offset, ==, RECFILE_HDR_SIZE);

	len = RECFILE_HDR_SIZE;
	add_raw_section(buf, &len, KMS_SEC_END, 3, "abc", 3);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EBADMSG);
	CHECK(!res.complete);

	len = RECFILE_HDR_SIZE;
	add_raw_section(buf, &len, KMS_SEC_META, 3, "abc", 3);
	put32(buf + RECFILE_HDR_SIZE + 4, 1);	/* flags */
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EBADMSG);
	CHECK(strstr(res.err.msg, "bad section header"));
	free_result(&res);
}

/*
 * What a damaged stretch may hold that looks like a section: an empty one
 * (its checksum 0 always matches) and an END before the end of the file
 * are not taken; the real sections after them are.
 */
TEST(resync_decoys)
{
	unsigned char buf[1024], fake[72] = { 0 };
	struct read_result res;
	size_t len = header_only(buf);

	if (!len)
		SKIP("no tmpfile");
	put32(fake, KMS_SEC_SYMBOLS);		/* empty SYMBOLS, crc 0 */
	put32(fake + 24, KMS_SEC_END);		/* END, not at the end */
	memcpy(fake + 48, "not a section at all!!", 22);
	add_raw_section(buf, &len, KMS_SEC_META, sizeof(fake), fake, sizeof(fake));
	buf[len - 1] ^= 1;			/* META's checksum fails */
	add_raw_section(buf, &len, KMS_SEC_COUNTERS, 4, "c=1\n", 4);
	add_raw_section(buf, &len, KMS_SEC_END, 0, "", 0);
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, 0);
	CHECK(res.complete);
	CHECK_INT(res.nsec, ==, 1);
	CHECK_INT(res.sec[0].type, ==, KMS_SEC_COUNTERS);
	CHECK_INT(res.damage.sections, ==, 1);
	CHECK_INT(res.damage.bytes, ==, RECFILE_SEC_HDR_SIZE + sizeof(fake));
	free_result(&res);

	/* Only zeros after the damage: nothing to resynchronise on. */
	len = header_only(buf);
	add_raw_section(buf, &len, KMS_SEC_META, 3, "abc", 3);
	buf[len - 1] ^= 1;
	memset(buf + len, 0, 500);
	len += 500;
	read_all(buf, len, &res);
	CHECK_INT(res.rc, ==, -EBADMSG);
	CHECK(!res.complete);
	CHECK_INT(res.nsec, ==, 0);
	CHECK_INT(res.damage.sections, ==, 1);
	CHECK_INT(res.damage.bytes, ==, len - RECFILE_HDR_SIZE);
	free_result(&res);
}

/* A pipe cannot seek: the reader must not need to. */
TEST(read_from_pipe)
{
	struct read_result full;
	struct recfile_section_info sec;
	struct recfile_reader *r;
	long long offs[4];
	size_t len;
	unsigned char *buf = small_file(&len, offs);
	int fds[2], n = 0;
	FILE *f;

	if (!buf || pipe(fds))
		SKIP("no tmpfile or pipe");
	read_all(buf, len, &full);
	CHECK_INT(write(fds[1], buf, len), ==, len);
	close(fds[1]);
	f = fdopen(fds[0], "r");
	r = recfile_reader__new(f, NULL);
	CHECK(r);
	while (r && recfile_reader__next_section(r, &sec, NULL) == 1 &&
	       n < full.nsec) {
		CHECK_INT(sec.offset, ==, full.sec[n].offset);
		CHECK_INT(sec.len, ==, full.sec[n].len);
		n++;
	}
	CHECK_INT(n, ==, 3);
	CHECK(r && recfile_reader__complete(r));
	recfile_reader__free(r);
	fclose(f);
	free_result(&full);
	free(buf);
}

TEST(write_error)
{
	struct recfile_writer *w;
	unsigned char rec[48] = { 1 };
	FILE *f = fopen("/dev/full", "w");
	int rc = 0;

	if (!f)
		SKIP("no /dev/full");
	/* Small enough that only the final fflush reaches the device. */
	w = recfile_writer__new(f);
	CHECK(w);
	if (!w)
		goto out;
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_META, "a=1\n", 4),
		  ==, 0);
	CHECK_INT(recfile_writer__add_record(w, rec, sizeof(rec)), ==, 0);
	CHECK_INT(recfile_writer__finish(w), ==, -ENOSPC);
	recfile_writer__free(w);
	fclose(f);

	/* Large enough that add_record() sees it first; it stays reported. */
	f = fopen("/dev/full", "w");
	if (!f)
		SKIP("no /dev/full");
	w = recfile_writer__new(f);
	for (int i = 0; i < 100000 && !rc; i++)
		rc = recfile_writer__add_record(w, rec, sizeof(rec));
	CHECK_INT(rc, ==, -ENOSPC);
	CHECK_INT(recfile_writer__add_section(w, KMS_SEC_META, "a=1\n", 4),
		  ==, -ENOSPC);
	CHECK_INT(recfile_writer__flush(w), ==, -ENOSPC);
	CHECK_INT(recfile_writer__finish(w), ==, -ENOSPC);
	recfile_writer__free(w);
out:
	fclose(f);
}

int main(void)
{
	t_suite = "recfile";
	RUN(round_trip);
	RUN(golden_bytes);
	RUN(reads_version_1);
	RUN(largest_record);
	RUN(add_event_same_bytes);
	RUN(truncated_everywhere);
	RUN(checksum);
	RUN(resync_every_byte);
	RUN(resync_big);
	RUN(resync_decoys);
	RUN(flip_every_byte);
	RUN(bad_magic);
	RUN(wrong_version);
	RUN(missing_end);
	RUN(zero_filled_tail);
	RUN(unknown_section);
	RUN(events_overrun);
	RUN(hostile_sections);
	RUN(read_from_pipe);
	RUN(write_error);
	return test_done();
}
