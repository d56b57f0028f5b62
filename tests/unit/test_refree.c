// SPDX-License-Identifier: GPL-2.0
/*
 * test_refree.c - unit tests for src/refree.c: a pointer freed twice
 * with no allocation between counts once per extra free, for its cache;
 * an allocation in between clears it; the first free of a pointer never
 * counts; unknown caches count in the total only; NULL frees are ignored.
 */
#include <stdlib.h>

#include "refree.h"
#include "test.h"

/* Caches are the collector's row indexes; negative: unknown. */
#define A	0
#define B	3
#define UNKNOWN	(-1)

TEST(first_free_never_counts)
{
	struct refree *r = refree__new();

	CHECK(r);
	if (!r)
		return;
	CHECK_INT(refree__free_event(r, 0x1000, A), ==, 0);
	CHECK_INT(refree__free_event(r, 0x2000, A), ==, 0);
	CHECK_U64(refree__count(r, A), 0);
	CHECK_U64(refree__total(r), 0);
	refree__free(r);
}

TEST(free_free_counts_per_cache)
{
	struct refree *r = refree__new();

	if (!r) {
		T_FAIL("refree__new");
		return;
	}
	refree__free_event(r, 0x1000, A);
	refree__free_event(r, 0x1000, A);	/* untraced allocation between */
	refree__free_event(r, 0x1000, A);	/* and another */
	refree__free_event(r, 0x3000, B);
	refree__free_event(r, 0x3000, B);
	refree__free_event(r, 0x5000, UNKNOWN);
	refree__free_event(r, 0x5000, UNKNOWN);	/* cache unknown: total only */
	CHECK_U64(refree__count(r, A), 2);
	CHECK_U64(refree__count(r, B), 1);
	CHECK_U64(refree__total(r), 4);
	refree__free(r);
}

TEST(alloc_between_clears)
{
	struct refree *r = refree__new();

	if (!r) {
		T_FAIL("refree__new");
		return;
	}
	refree__free_event(r, 0x1000, A);
	CHECK_INT(refree__alloc(r, 0x1000), ==, 0);
	refree__free_event(r, 0x1000, A);	/* its allocation was traced */
	CHECK_U64(refree__count(r, A), 0);
	refree__free_event(r, 0x1000, A);	/* now one without */
	CHECK_U64(refree__count(r, A), 1);
	/* An allocation at a pointer never freed changes nothing. */
	CHECK_INT(refree__alloc(r, 0x9000), ==, 0);
	refree__free_event(r, 0x9000, A);
	CHECK_U64(refree__count(r, A), 1);
	refree__free(r);
}

TEST(null_and_empty)
{
	struct refree *r = refree__new();

	if (!r) {
		T_FAIL("refree__new");
		return;
	}
	refree__free_event(r, 0, A);
	refree__free_event(r, 0, A);
	CHECK_U64(refree__total(r), 0);
	CHECK_U64(refree__count(NULL, A), 0);
	CHECK_U64(refree__total(NULL), 0);
	refree__free(r);
	refree__free(NULL);
}

int main(void)
{
	t_suite = "refree";
	RUN(first_free_never_counts);
	RUN(free_free_counts_per_cache);
	RUN(alloc_between_clears);
	RUN(null_and_empty);
	return test_done();
}
