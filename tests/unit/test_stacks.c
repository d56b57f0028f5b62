// SPDX-License-Identifier: GPL-2.0
/*
 * test_stacks.c - unit tests for src/stacks.c, the -g stacks by stack-map
 * id.  The same table is filled from the live stack map and from a
 * recording's STACKS section, and every report turns a site's stack into
 * frames through it, so: add/get with exact frames (copied, truncated to
 * KMS_STACK_DEPTH, first add of an id wins, negative ids refused); growth
 * past the first allocation; the STACKS text written and parsed back, and
 * what the parser skips (bad ids, junk, overlong lines, bytes past len);
 * the caller part of a stack and a site's profile frames, including the
 * fallbacks for lost (negative) and unknown stack ids and a short out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "kmscope_event.h"
#include "stacks.h"
#include "test.h"

#define KTEXT		0xffffffff81000000ull	/* x86-64 kernel text */
/* What bpf_get_stackid() leaves in a record when the stack was lost. */
#define LOST_EFAULT	(-EFAULT)
#define LOST_EEXIST	(-EEXIST)
/* The parser takes ids below this (the stack map's id range). */
#define PARSE_ID_LIMIT	(1 << 16)
/* Enough stacks to outgrow the table's first allocation several times. */
#define MANY_STACKS	1000
/* Marks out[] slots kms_stacks__site_frames() must not write. */
#define POISON		0xdeadbeefull

/* Whether id holds exactly want[0..n). */
static bool stack_is(const struct kms_stacks *st, int32_t id, const uint64_t *want, size_t n)
{
	size_t got_n = 0;
	const uint64_t *got = kms_stacks__get(st, id, &got_n);

	return got && got_n == n && (!n || !memcmp(got, want, n * sizeof(*want)));
}

/* kms_stacks__write() into a string the caller frees. */
static char *write_text(const struct kms_stacks *st, int *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	*err = kms_stacks__write(st, f);
	fclose(f);
	return text;
}

static int parse_str(struct kms_stacks *st, const char *text)
{
	return kms_stacks__parse(st, text, strlen(text));
}

TEST(empty)
{
	struct kms_stacks *st = kms_stacks__new();
	size_t n;

	CHECK(st);
	if (!st)
		return;
	CHECK_INT(kms_stacks__count(st), ==, 0);
	CHECK(!kms_stacks__get(st, 0, &n));
	CHECK_INT(kms_stacks__count(NULL), ==, 0);
	CHECK(!kms_stacks__get(NULL, 0, &n));
	kms_stacks__free(st);
	kms_stacks__free(NULL);
}

TEST(add_get)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t a[] = { KTEXT + 0x10, KTEXT + 0x20, KTEXT + 0x30 };
	uint64_t b[] = { KTEXT + 0x40 };
	uint64_t c[] = { UINT64_MAX, 0, KTEXT };

	CHECK_INT(kms_stacks__add(st, 0, a, 3), ==, 0);
	CHECK_INT(kms_stacks__add(st, 7, b, 1), ==, 0);
	CHECK_INT(kms_stacks__add(st, INT32_MAX, c, 3), ==, 0);
	CHECK_INT(kms_stacks__count(st), ==, 3);
	CHECK(stack_is(st, 0, a, 3));
	CHECK(stack_is(st, 7, b, 1));
	CHECK(stack_is(st, INT32_MAX, c, 3));
	/* neighbours of known ids are unknown */
	CHECK(!kms_stacks__get(st, 1, &(size_t){ 0 }));
	CHECK(!kms_stacks__get(st, 6, &(size_t){ 0 }));
	CHECK(!kms_stacks__get(st, INT32_MAX - 1, &(size_t){ 0 }));
	kms_stacks__free(st);
}

/* The table keeps its own copy: the caller's ips may be a reused buffer. */
TEST(add_copies)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t ips[] = { KTEXT + 1, KTEXT + 2 };
	const uint64_t want[] = { KTEXT + 1, KTEXT + 2 };

	CHECK_INT(kms_stacks__add(st, 3, ips, 2), ==, 0);
	ips[0] = ips[1] = 0;
	CHECK(stack_is(st, 3, want, 2));
	kms_stacks__free(st);
}

TEST(add_negative_id)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t ips[] = { KTEXT };

	CHECK_INT(kms_stacks__add(st, -1, ips, 1), ==, -EINVAL);
	CHECK_INT(kms_stacks__add(st, LOST_EFAULT, ips, 1), ==, -EINVAL);
	CHECK_INT(kms_stacks__add(st, INT32_MIN, ips, 1), ==, -EINVAL);
	CHECK_INT(kms_stacks__count(st), ==, 0);
	CHECK(!kms_stacks__get(st, -1, &(size_t){ 0 }));
	kms_stacks__free(st);
}

/* Stack ids are stable for a trace: a second add of an id changes nothing. */
TEST(add_duplicate_keeps_first)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t first[] = { KTEXT + 1, KTEXT + 2 }, second[] = { KTEXT + 9 };

	CHECK_INT(kms_stacks__add(st, 5, first, 2), ==, 0);
	CHECK_INT(kms_stacks__add(st, 5, second, 1), ==, 0);
	CHECK_INT(kms_stacks__count(st), ==, 1);
	CHECK(stack_is(st, 5, first, 2));
	kms_stacks__free(st);
}

TEST(add_truncates_depth)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t ips[KMS_STACK_DEPTH + 5];
	size_t i;

	for (i = 0; i < KMS_STACK_DEPTH + 5; i++)
		ips[i] = KTEXT + i;
	CHECK_INT(kms_stacks__add(st, 1, ips, KMS_STACK_DEPTH + 5), ==, 0);
	CHECK(stack_is(st, 1, ips, KMS_STACK_DEPTH));
	CHECK_INT(kms_stacks__add(st, 2, ips, KMS_STACK_DEPTH), ==, 0);
	CHECK(stack_is(st, 2, ips, KMS_STACK_DEPTH));
	kms_stacks__free(st);
}

/* A known stack with no frames is not an unknown one. */
TEST(add_zero_frames)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t ips[] = { KTEXT };
	size_t n = 1;

	CHECK_INT(kms_stacks__add(st, 4, ips, 0), ==, 0);
	CHECK(kms_stacks__get(st, 4, &n));
	CHECK_INT(n, ==, 0);
	CHECK_INT(kms_stacks__count(st), ==, 1);
	kms_stacks__free(st);
}

/* Every stack survives the table's reallocations, frames intact. */
TEST(many_stacks)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t ips[2];
	int32_t id;
	int bad = 0;

	for (id = 0; id < MANY_STACKS; id++) {
		ips[0] = KTEXT + id;
		ips[1] = KTEXT + 2 * id;
		CHECK_INT(kms_stacks__add(st, id * 3, ips, 1 + id % 2), ==, 0);
	}
	CHECK_INT(kms_stacks__count(st), ==, MANY_STACKS);
	for (id = 0; id < MANY_STACKS; id++) {
		ips[0] = KTEXT + id;
		ips[1] = KTEXT + 2 * id;
		bad += !stack_is(st, id * 3, ips, 1 + id % 2);
	}
	CHECK_INT(bad, ==, 0);
	kms_stacks__free(st);
}

/* The STACKS section: "id ip ip ...", hex without 0x, in insertion order. */
TEST(write_format)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t a[] = { KTEXT + 0x10, KTEXT + 0xabc }, b[] = { 0, UINT64_MAX };
	char *text;
	int err = -1;

	kms_stacks__add(st, 9, a, 2);
	kms_stacks__add(st, 0, b, 2);
	kms_stacks__add(st, 65535, a, 0);
	text = write_text(st, &err);
	CHECK_INT(err, ==, 0);
	CHECK_STR(text, "9 ffffffff81000010 ffffffff81000abc\n"
			"0 0 ffffffffffffffff\n"
			"65535\n");
	free(text);
	kms_stacks__free(st);
}

TEST(write_empty)
{
	struct kms_stacks *st = kms_stacks__new();
	char *text;
	int err = -1;

	text = write_text(st, &err);
	CHECK_INT(err, ==, 0);
	CHECK_STR(text, "");
	free(text);
	err = -1;
	text = write_text(NULL, &err);
	CHECK_INT(err, ==, 0);
	CHECK_STR(text, "");
	free(text);
	kms_stacks__free(st);
}

/* A stream that cannot be written: the error is returned, not lost. */
TEST(write_error)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t a[] = { KTEXT };
	FILE *f = fopen("/dev/null", "r");

	CHECK(f);
	if (!f)
		return;
	kms_stacks__add(st, 1, a, 1);
	CHECK_INT(kms_stacks__write(st, f), ==, -EIO);
	fclose(f);
	kms_stacks__free(st);
}

TEST(parse_basic)
{
	struct kms_stacks *st = kms_stacks__new();
	const uint64_t a[] = { KTEXT + 0x10, KTEXT + 0x20 }, b[] = { 0xa };

	CHECK_INT(parse_str(st, "5 ffffffff81000010 ffffffff81000020\n17 a\n"), ==, 0);
	CHECK_INT(kms_stacks__count(st), ==, 2);
	CHECK(stack_is(st, 5, a, 2));
	CHECK(stack_is(st, 17, b, 1));
	kms_stacks__free(st);
}

/* What write produces, parse reads back: deepest stack, widest addresses. */
TEST(round_trip)
{
	struct kms_stacks *st = kms_stacks__new(), *back = kms_stacks__new();
	uint64_t deep[KMS_STACK_DEPTH], one[] = { KTEXT + 0x42 };
	char *text;
	size_t i;
	int err = -1;

	for (i = 0; i < KMS_STACK_DEPTH; i++)
		deep[i] = UINT64_MAX - i;
	kms_stacks__add(st, PARSE_ID_LIMIT - 1, deep, KMS_STACK_DEPTH);
	kms_stacks__add(st, 0, one, 1);
	kms_stacks__add(st, 3, one, 0);
	text = write_text(st, &err);
	CHECK_INT(err, ==, 0);
	CHECK(text);
	if (!text)
		return;
	CHECK_INT(parse_str(back, text), ==, 0);
	CHECK_INT(kms_stacks__count(back), ==, 3);
	CHECK(stack_is(back, PARSE_ID_LIMIT - 1, deep, KMS_STACK_DEPTH));
	CHECK(stack_is(back, 0, one, 1));
	CHECK(stack_is(back, 3, one, 0));
	free(text);
	kms_stacks__free(back);
	kms_stacks__free(st);
}

/* Lines that are not a stack are skipped; the good ones around them kept. */
TEST(parse_skips_bad_lines)
{
	struct kms_stacks *st = kms_stacks__new();
	const uint64_t a[] = { 0x10 }, b[] = { 0x20 };

	CHECK_INT(parse_str(st, "\n"
				"-1 10\n"
				"65536 10\n"
				"99999999999999999999 10\n"
				"junk 10\n"
				"1 10\n"
				"\n"
				"2 20\n"),
		  ==, 0);
	CHECK_INT(kms_stacks__count(st), ==, 2);
	CHECK(stack_is(st, 1, a, 1));
	CHECK(stack_is(st, 2, b, 1));
	CHECK(!kms_stacks__get(st, PARSE_ID_LIMIT, &(size_t){ 0 }));
	kms_stacks__free(st);
}

/* Frames end at the first word that is not hex, and at a CR. */
TEST(parse_frame_ends)
{
	struct kms_stacks *st = kms_stacks__new();
	const uint64_t a[] = { 0x10 }, b[] = { 0x10, 0x20 };

	CHECK_INT(parse_str(st, "4 10 zz 20\n6 10 20\r\n8 \n"), ==, 0);
	CHECK(stack_is(st, 4, a, 1));
	CHECK(stack_is(st, 6, b, 2));
	CHECK(stack_is(st, 8, a, 0));
	kms_stacks__free(st);
}

/* Only len bytes are read: text past it, even mid-address, is not seen. */
TEST(parse_len_bound)
{
	struct kms_stacks *st = kms_stacks__new();
	const char text[] = "1 abc\n2 def\n";
	const uint64_t ab[] = { 0xab };

	CHECK_INT(kms_stacks__parse(st, text, strlen("1 ab")), ==, 0);
	CHECK_INT(kms_stacks__count(st), ==, 1);
	CHECK(stack_is(st, 1, ab, 1));
	CHECK(!kms_stacks__get(st, 2, &(size_t){ 0 }));
	CHECK_INT(kms_stacks__parse(st, text, 0), ==, 0);
	CHECK_INT(kms_stacks__count(st), ==, 1);
	kms_stacks__free(st);
}

/* More frames than -g collects: the first KMS_STACK_DEPTH are kept. */
TEST(parse_depth_cap)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t want[KMS_STACK_DEPTH];
	char line[KMS_STACK_DEPTH * 8 + 64];
	size_t i, off;

	off = snprintf(line, sizeof(line), "12");
	for (i = 0; i < KMS_STACK_DEPTH + 3; i++) {
		off += snprintf(line + off, sizeof(line) - off, " %zx", i + 1);
		if (i < KMS_STACK_DEPTH)
			want[i] = i + 1;
	}
	CHECK_INT(parse_str(st, line), ==, 0);
	CHECK(stack_is(st, 12, want, KMS_STACK_DEPTH));
	kms_stacks__free(st);
}

/* A line longer than any stack write can produce is dropped whole. */
TEST(parse_overlong_line)
{
	struct kms_stacks *st = kms_stacks__new();
	const size_t junk = 10000;
	const uint64_t b[] = { 0xb };
	char *text = malloc(junk + 32);

	CHECK(text);
	if (!text)
		return;
	text[0] = '7';
	memset(text + 1, ' ', junk);
	strcpy(text + 1 + junk, "a\n8 b\n");
	CHECK_INT(parse_str(st, text), ==, 0);
	CHECK(!kms_stacks__get(st, 7, &(size_t){ 0 }));
	CHECK(stack_is(st, 8, b, 1));
	CHECK_INT(kms_stacks__count(st), ==, 1);
	free(text);
	kms_stacks__free(st);
}

/* A parsed id already known (the live map filled it) is not replaced. */
TEST(parse_keeps_known)
{
	struct kms_stacks *st = kms_stacks__new();
	uint64_t live[] = { KTEXT + 1 };

	kms_stacks__add(st, 3, live, 1);
	CHECK_INT(parse_str(st, "3 ffffffff81000099\n3 1\n"), ==, 0);
	CHECK_INT(kms_stacks__count(st), ==, 1);
	CHECK(stack_is(st, 3, live, 1));
	kms_stacks__free(st);
}

TEST(caller_start)
{
	const uint64_t ips[] = { KTEXT + 1, KTEXT + 2, KTEXT + 3, KTEXT + 2, KTEXT + 5 };

	CHECK_INT(kms_stacks__caller_start(ips, 5, KTEXT + 3), ==, 2);
	CHECK_INT(kms_stacks__caller_start(ips, 5, KTEXT + 1), ==, 0);
	CHECK_INT(kms_stacks__caller_start(ips, 5, KTEXT + 5), ==, 4);
	/* the innermost of two matches (recursion) */
	CHECK_INT(kms_stacks__caller_start(ips, 5, KTEXT + 2), ==, 1);
	/* not in the stack, or past n: nothing is dropped */
	CHECK_INT(kms_stacks__caller_start(ips, 5, KTEXT + 4), ==, 0);
	CHECK_INT(kms_stacks__caller_start(ips, 4, KTEXT + 5), ==, 0);
	CHECK_INT(kms_stacks__caller_start(ips, 0, KTEXT + 1), ==, 0);
}

/* tracepoint, BPF, allocator, then the call site and its callers */
static const uint64_t site_stack[] = { KTEXT + 0x100, KTEXT + 0x200, KTEXT + 0x300,
				       KTEXT + 0x400, KTEXT + 0x500, KTEXT + 0x600 };
#define SITE_DEPTH	(sizeof(site_stack) / sizeof(site_stack[0]))
#define SITE_ID		21
#define CALL_SITE	(KTEXT + 0x400)
#define SITE_OUT_MAX	8

static struct kms_stacks *site_stacks(void)
{
	struct kms_stacks *st = kms_stacks__new();

	if (st)
		kms_stacks__add(st, SITE_ID, site_stack, SITE_DEPTH);
	return st;
}

static void poison(uint64_t *out, size_t n)
{
	while (n--)
		out[n] = POISON;
}

TEST(site_frames)
{
	struct kms_stacks *st = site_stacks();
	uint64_t out[SITE_OUT_MAX];

	poison(out, SITE_OUT_MAX);
	CHECK_INT(kms_stacks__site_frames(st, SITE_ID, CALL_SITE, out, SITE_OUT_MAX), ==, 3);
	CHECK_U64(out[0], CALL_SITE);
	CHECK_U64(out[1], KTEXT + 0x500);
	CHECK_U64(out[2], KTEXT + 0x600);
	CHECK_U64(out[3], POISON);
	kms_stacks__free(st);
}

/* A short out keeps the call site and its nearest callers, no more. */
TEST(site_frames_truncated)
{
	struct kms_stacks *st = site_stacks();
	uint64_t out[SITE_OUT_MAX];

	poison(out, SITE_OUT_MAX);
	CHECK_INT(kms_stacks__site_frames(st, SITE_ID, CALL_SITE, out, 2), ==, 2);
	CHECK_U64(out[0], CALL_SITE);
	CHECK_U64(out[1], KTEXT + 0x500);
	CHECK_U64(out[2], POISON);
	poison(out, SITE_OUT_MAX);
	CHECK_INT(kms_stacks__site_frames(st, SITE_ID, CALL_SITE, out, 1), ==, 1);
	CHECK_U64(out[0], CALL_SITE);
	CHECK_U64(out[1], POISON);
	kms_stacks__free(st);
}

/* No usable stack: the call site alone, whatever the reason. */
TEST(site_frames_fallback)
{
	struct kms_stacks *st = site_stacks();
	uint64_t out[SITE_OUT_MAX], none[] = { 0 };
	const int32_t ids[] = { -1, LOST_EFAULT, LOST_EEXIST, SITE_ID + 1 };
	size_t i;

	kms_stacks__add(st, SITE_ID + 2, none, 0);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		poison(out, SITE_OUT_MAX);
		CHECK_INT(kms_stacks__site_frames(st, ids[i], CALL_SITE, out, SITE_OUT_MAX), ==, 1);
		CHECK_U64(out[0], CALL_SITE);
		CHECK_U64(out[1], POISON);
	}
	/* a known stack with no frames */
	poison(out, SITE_OUT_MAX);
	CHECK_INT(kms_stacks__site_frames(st, SITE_ID + 2, CALL_SITE, out, SITE_OUT_MAX), ==, 1);
	CHECK_U64(out[0], CALL_SITE);
	/* no -g at all */
	poison(out, SITE_OUT_MAX);
	CHECK_INT(kms_stacks__site_frames(NULL, SITE_ID, CALL_SITE, out, SITE_OUT_MAX), ==, 1);
	CHECK_U64(out[0], CALL_SITE);
	CHECK_U64(out[1], POISON);
	kms_stacks__free(st);
}

/*
 * A call site missing from its stack (not the return address the stack
 * walk saw, or beyond its depth): caller_start() drops nothing, so the
 * whole stack comes back, tracepoint and BPF frames included, and the
 * call site itself is not among the frames.
 */
TEST(site_frames_call_site_absent)
{
	struct kms_stacks *st = site_stacks();
	uint64_t out[SITE_OUT_MAX];
	size_t i;

	poison(out, SITE_OUT_MAX);
	CHECK_INT(kms_stacks__site_frames(st, SITE_ID, KTEXT + 0x999, out, SITE_OUT_MAX), ==,
		  SITE_DEPTH);
	for (i = 0; i < SITE_DEPTH; i++)
		CHECK_U64(out[i], site_stack[i]);
	CHECK_U64(out[SITE_DEPTH], POISON);
	kms_stacks__free(st);
}

/* max 0 writes nothing (though the header says "at least 1"). */
TEST(site_frames_max_zero)
{
	struct kms_stacks *st = site_stacks();
	uint64_t out[SITE_OUT_MAX];

	poison(out, SITE_OUT_MAX);
	CHECK_INT(kms_stacks__site_frames(st, SITE_ID, CALL_SITE, out, 0), ==, 0);
	CHECK_INT(kms_stacks__site_frames(st, -1, CALL_SITE, out, 0), ==, 0);
	CHECK_U64(out[0], POISON);
	kms_stacks__free(st);
}

int main(void)
{
	t_suite = "stacks";
	RUN(empty);
	RUN(add_get);
	RUN(add_copies);
	RUN(add_negative_id);
	RUN(add_duplicate_keeps_first);
	RUN(add_truncates_depth);
	RUN(add_zero_frames);
	RUN(many_stacks);
	RUN(write_format);
	RUN(write_empty);
	RUN(write_error);
	RUN(parse_basic);
	RUN(round_trip);
	RUN(parse_skips_bad_lines);
	RUN(parse_frame_ends);
	RUN(parse_len_bound);
	RUN(parse_depth_cap);
	RUN(parse_overlong_line);
	RUN(parse_keeps_known);
	RUN(caller_start);
	RUN(site_frames);
	RUN(site_frames_truncated);
	RUN(site_frames_fallback);
	RUN(site_frames_call_site_absent);
	RUN(site_frames_max_zero);
	return test_done();
}
