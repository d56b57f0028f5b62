// SPDX-License-Identifier: GPL-2.0
/*
 * test_evpack.c - packed events come back as the very records packed:
 * every record type and layout flag, records decode cannot read or that
 * carry bytes the decoder ignores (kept whole), through both ways out
 * (rebuilt records, and events straight for the collector); the sizes of
 * a known stream, worked out by hand from the format; and malformed
 * payloads refused at every cut, never read past.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "decode.h"
#include "encode.h"
#include "evpack.h"
#include "kms_records.h"
#include "test.h"

#define NREC	64

struct stream {
	unsigned char rec[NREC][EVPACK_RECORD_MAX];
	size_t len[NREC];
	int n;
};

static void add_event(struct stream *s, const struct kms_event *ev)
{
	int n = kms_encode(ev, s->rec[s->n], EVPACK_RECORD_MAX);

	CHECK_INT(n, >, 0);
	if (n > 0)
		s->len[s->n++] = (size_t)n;
}

static void add_bytes(struct stream *s, const void *b, size_t len)
{
	memcpy(s->rec[s->n], b, len);
	s->len[s->n++] = len;
}

/* Every event of the same fields as kms_decode() gives. */
static bool same_event(const struct kms_event *a, const struct kms_event *b)
{
	return a->type == b->type && a->flags == b->flags && a->cpu == b->cpu &&
	       a->tid == b->tid && a->tgid == b->tgid && a->ts == b->ts && a->ptr == b->ptr &&
	       a->call_site == b->call_site && a->cache == b->cache && a->cgroup == b->cgroup &&
	       a->bytes_req == b->bytes_req && a->bytes_alloc == b->bytes_alloc &&
	       a->gfp == b->gfp && a->stack == b->stack && a->object_size == b->object_size &&
	       a->size == b->size && a->name_len == b->name_len &&
	       (!a->name_len || !memcmp(a->name, b->name, a->name_len));
}

/* Pack the stream, then read it back both ways; returns the packed size. */
static size_t round_trip(const struct stream *s)
{
	static unsigned char buf[EVPACK_RECORD_MAX];
	struct evpack p = { 0 };
	struct evunpack u;
	struct kms_event ev, want;
	const void *raw;
	size_t len, plen;
	int i, bad = 0;

	evpack__reset(&p);
	for (i = 0; i < s->n; i++)
		CHECK_INT(evpack__add(&p, s->rec[i], s->len[i]), ==, 0);
	plen = p.len;
	CHECK_INT(evunpack__init(&u, p.out, p.len), ==, 0);
	CHECK_INT(u.records, ==, s->n);
	for (i = 0; i < s->n; i++) {
		if (evunpack__next(&u, buf, sizeof(buf), &len) != 1 || len != s->len[i] ||
		    memcmp(buf, s->rec[i], len)) {
			T_FAIL("record %d does not come back as packed", i);
			bad++;
			break;
		}
	}
	CHECK_INT(evunpack__next(&u, buf, sizeof(buf), &len), ==, 0);
	CHECK_INT(evunpack__init(&u, p.out, p.len), ==, 0);
	for (i = 0; i < s->n && !bad; i++) {
		if (evunpack__event(&u, &ev, &raw, &len) != 1) {
			T_FAIL("event %d: not read", i);
			break;
		}
		if (raw) {
			CHECK(len == s->len[i] && !memcmp(raw, s->rec[i], len));
			continue;
		}
		CHECK_INT(kms_decode(s->rec[i], s->len[i], &want), ==, 0);
		if (!same_event(&ev, &want))
			T_FAIL("event %d differs from what kms_decode() reads", i);
	}
	CHECK_INT(evunpack__event(&u, &ev, &raw, &len), ==, 0);
	evpack__free(&p);
	return plen;
}

static struct kms_event alloc(enum kms_ev_type type, uint64_t ts, uint64_t ptr)
{
	return (struct kms_event){ .type = type, .cpu = 1, .tid = 100, .tgid = 100,
				   .ts = ts, .ptr = ptr, .call_site = 0xffffffff81000000ULL,
				   .gfp = 0xcc0, .bytes_req = 64, .bytes_alloc = 64 };
}

static struct kms_event kfree_ev(uint64_t ts, uint64_t ptr)
{
	return (struct kms_event){ .type = KMS_EV_KFREE, .cpu = 1, .tid = 100, .ts = ts,
				   .ptr = ptr };
}

TEST(every_type_and_layout)
{
	static struct stream s;
	struct kms_event e;

	s.n = 0;
	e = alloc(KMS_EV_KMALLOC, 1000, 0xffff888001000040ULL);
	add_event(&s, &e);
	e.flags = KMS_EVF_SOFTIRQ | KMS_EVF_PREEMPT_OFF | KMS_EVF_RCU | KMS_EVF_NOFS;
	e.bytes_alloc = 96;
	add_event(&s, &e);
	e.flags = KMS_EVF_FAILED;
	e.ptr = 0;
	e.ts = 900;		/* earlier than the last: a negative difference */
	add_event(&s, &e);
	e = alloc(KMS_EV_KMALLOC, 2000, 0xffff888001000080ULL);
	e.flags = KMS_EVF_KERNEL_CACHE | KMS_EVF_STACK;
	e.cache = 0xffff888003000000ULL;
	e.stack = -17;
	add_event(&s, &e);
	e = alloc(KMS_EV_CACHE_ALLOC, 3000, 0xffff888001000100ULL);
	e.flags = KMS_EVF_HAS_CACHE | KMS_EVF_STACK;
	e.bytes_req = e.bytes_alloc = 0;
	e.cache = 0xffff888003000100ULL;
	e.stack = 5;
	add_event(&s, &e);
	e.flags = 0;		/* 5.15: sizes, no cache */
	e.cache = 0;
	e.bytes_req = 200;
	e.bytes_alloc = 208;
	add_event(&s, &e);
	e = kfree_ev(4000, 0xffff888001000040ULL);
	add_event(&s, &e);
	e.flags = KMS_EVF_HAS_CACHE;
	e.cache = 0xffff888003000000ULL;
	add_event(&s, &e);
	e.type = KMS_EV_CACHE_FREE;
	add_event(&s, &e);
	e.type = KMS_EV_RCU_CALL;
	e.flags = 0;
	e.cache = 0;
	add_event(&s, &e);
	e.type = KMS_EV_KFREE;
	e.flags = KMS_EVF_SHEAF;
	add_event(&s, &e);
	e = (struct kms_event){ .type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE | KMS_EVF_ACCOUNT,
				.cache = 0xffff888003000000ULL, .object_size = 200, .size = 208,
				.name = "fixture_cache", .name_len = 13 };
	add_event(&s, &e);
	e = (struct kms_event){ .type = KMS_EV_TASK, .flags = KMS_EVF_CGROUP, .cpu = 70,
				.tid = 4242, .tgid = 4240, .cgroup = 1234567, .name = "kmgen",
				.name_len = 5 };
	add_event(&s, &e);
	e.flags = 0;
	e.cgroup = 0;
	add_event(&s, &e);
	round_trip(&s);
}

/* Records packing cannot rebuild are kept whole, byte for byte. */
TEST(kept_whole)
{
	static struct stream s;
	struct kms_event e = kfree_ev(10, 0x1000);
	unsigned char junk[40];

	s.n = 0;
	memset(junk, 0xff, sizeof(junk));
	add_bytes(&s, junk, sizeof(junk));	/* an unknown record type */
	add_bytes(&s, junk, 3);			/* shorter than a header */
	add_bytes(&s, "", 0);			/* empty */
	add_event(&s, &e);
	/* A free with 8 bytes the decoder does not read after it. */
	memcpy(s.rec[s.n], s.rec[s.n - 1], s.len[s.n - 1]);
	memset(s.rec[s.n] + s.len[s.n - 1], 0xab, 8);
	s.len[s.n] = s.len[s.n - 1] + 8;
	s.n++;
	/* A cache name with stray bytes after its NUL. */
	e = (struct kms_event){ .type = KMS_EV_CACHE_INFO, .cache = 0xffff888003000000ULL,
				.object_size = 8, .size = 8, .name = "x", .name_len = 1 };
	add_event(&s, &e);
	memcpy(s.rec[s.n], s.rec[s.n - 1], s.len[s.n - 1]);
	s.rec[s.n][s.len[s.n - 1] - 1] = 'z';
	s.len[s.n] = s.len[s.n - 1];
	s.n++;
	add_event(&s, &e);
	/*
	 * Same length, different bytes: a kmalloc flagged "bytes inline",
	 * which only a kmem_cache_alloc can be: the decoder reads past the
	 * flag, and encode gives the record back without it.
	 */
	e = alloc(KMS_EV_KMALLOC, 20, 0x2000);
	add_event(&s, &e);
	memcpy(s.rec[s.n], s.rec[s.n - 1], s.len[s.n - 1]);
	s.rec[s.n][1] |= KMS_AF_BYTES_INLINE;
	s.len[s.n] = s.len[s.n - 1];
	s.n++;
	add_event(&s, &e);
	round_trip(&s);
}

/*
 * The sizes, from docs/record-format.md's rules.  A first kmalloc: tag,
 * fields, cpu 1, tid 100, tgid 100 (one byte each), gfp 0xcc0 (2), ts
 * zigzag(1000) = 2000 (2), ptr code 0 and zigzag(ptr - 0) (1 + 7), site
 * code 0 and zigzag (1 + 5), bytes 64 and zigzag(0) (2): 25.  Its kfree:
 * tag, fields, cpu, tid (1 each: tgid 0, flags and gfp as the last kfree's
 * defaults), ts zigzag(500) (2), ptr from the table (1): 7.  The next
 * pair, everything as before: kmalloc 2 + ts 2 + ptr 1 + site 1 + bytes
 * 2 = 8, kfree 2 + 2 + 1 = 5.  Each later pair: 13 bytes, 6.5 per event.
 */
TEST(sizes)
{
	static struct stream s;
	struct kms_event a = alloc(KMS_EV_KMALLOC, 1000, 0xffff888000001000ULL);
	struct kms_event f = kfree_ev(1500, 0xffff888000001000ULL);

	s.n = 0;
	add_event(&s, &a);
	add_event(&s, &f);
	CHECK_INT(round_trip(&s), ==, 8 + 25 + 7);
	for (int i = 1; i < 10; i++) {
		a.ts += 1000;
		f.ts += 1000;
		add_event(&s, &a);
		add_event(&s, &f);
	}
	CHECK_INT(round_trip(&s), ==, 8 + 25 + 7 + 9 * 13);
}

/* Every cut of a payload, and damaged headers: refused, never read past. */
TEST(malformed)
{
	static struct stream s;
	static unsigned char buf[EVPACK_RECORD_MAX];
	struct evpack p = { 0 };
	struct evunpack u;
	unsigned char *copy;
	size_t len, cut;
	int r, refused = 0, cuts = 0;
	struct kms_event a = alloc(KMS_EV_KMALLOC, 1000, 0xffff888000001000ULL);
	struct kms_event e = { .type = KMS_EV_TASK, .cpu = 2, .tid = 7, .tgid = 7,
			       .name = "task", .name_len = 4 };

	s.n = 0;
	add_event(&s, &a);
	add_event(&s, &e);
	add_bytes(&s, "\xff\xff\xff", 3);
	evpack__reset(&p);
	for (int i = 0; i < s.n; i++)
		evpack__add(&p, s.rec[i], s.len[i]);
	for (cut = 0; cut < p.len; cut++) {
		copy = malloc(cut ? cut : 1);	/* exactly cut bytes: ASan sees overruns */
		if (!copy)
			break;
		memcpy(copy, p.out, cut);
		cuts++;
		if (evunpack__init(&u, copy, cut)) {
			refused++;
		} else {
			while ((r = evunpack__next(&u, buf, sizeof(buf), &len)) == 1)
				;
			refused += r == -EBADMSG;
		}
		free(copy);
	}
	CHECK_INT(refused, ==, cuts);
	/* Bad magic, format, reserved byte; a count beyond the records; trailing bytes. */
	for (int i = 0; i < 4; i++) {
		p.out[i] ^= 0x40;
		CHECK_INT(evunpack__init(&u, p.out, p.len), ==, -EBADMSG);
		p.out[i] ^= 0x40;
	}
	p.out[4]++;
	CHECK_INT(evunpack__init(&u, p.out, p.len), ==, 0);
	while ((r = evunpack__next(&u, buf, sizeof(buf), &len)) == 1)
		;
	CHECK_INT(r, ==, -EBADMSG);
	p.out[4]--;
	CHECK_INT(evunpack__init(&u, p.out, p.len + 1), ==, 0);
	while ((r = evunpack__next(&u, buf, sizeof(buf), &len)) == 1)
		;
	CHECK_INT(r, ==, -EBADMSG);
	/* A whole record longer than the caller's buffer. */
	CHECK_INT(evunpack__init(&u, p.out, p.len), ==, 0);
	evunpack__next(&u, buf, sizeof(buf), &len);
	evunpack__next(&u, buf, sizeof(buf), &len);
	CHECK_INT(evunpack__next(&u, buf, 2, &len), ==, -EBADMSG);
	/* A record too long to pack is refused: the writer stores the chunk as it is. */
	CHECK_INT(evpack__add(&p, buf, EVPACK_RECORD_MAX + 1), ==, -E2BIG);
	evpack__free(&p);
}

int main(void)
{
	t_suite = "evpack";
	RUN(every_type_and_layout);
	RUN(kept_whole);
	RUN(sizes);
	RUN(malformed);
	return test_done();
}
