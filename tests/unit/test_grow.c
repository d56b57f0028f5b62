// SPDX-License-Identifier: GPL-2.0
/*
 * test_grow.c - kms_grow(), the growth of every dynamic array: the first
 * allocation takes the first capacity, then it doubles, far enough at once
 * for a large need; the new slots are zeroed and the old ones kept; a
 * count or a size in bytes beyond size_t is refused with the array as it
 * was.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "test.h"

/* Every element of a[from .. to) is zero. */
static int zeroed(const uint32_t *a, size_t from, size_t to)
{
	for (; from < to; from++)
		if (a[from])
			return 0;
	return 1;
}

TEST(first_allocation)
{
	uint32_t *a = NULL;
	size_t cap = 0;

	CHECK_INT(kms_grow((void **)&a, &cap, 1, sizeof(*a), 16), ==, 0);
	CHECK(a != NULL);
	CHECK_U64(cap, 16);
	CHECK(a && zeroed(a, 0, cap));
	free(a);

	/* A need above the first capacity doubles from it. */
	a = NULL;
	cap = 0;
	CHECK_INT(kms_grow((void **)&a, &cap, 17, sizeof(*a), 16), ==, 0);
	CHECK_U64(cap, 32);
	free(a);

	/* No first capacity: from one. */
	a = NULL;
	cap = 0;
	CHECK_INT(kms_grow((void **)&a, &cap, 3, sizeof(*a), 0), ==, 0);
	CHECK_U64(cap, 4);
	free(a);
}

TEST(enough_already)
{
	uint32_t *a = NULL, *was;
	size_t cap = 0;

	CHECK_INT(kms_grow((void **)&a, &cap, 1, sizeof(*a), 8), ==, 0);
	was = a;
	CHECK_INT(kms_grow((void **)&a, &cap, 8, sizeof(*a), 8), ==, 0);
	CHECK(a == was);
	CHECK_U64(cap, 8);
	CHECK_INT(kms_grow((void **)&a, &cap, 0, sizeof(*a), 8), ==, 0);
	CHECK_U64(cap, 8);
	free(a);
}

TEST(doubling_keeps_and_zeroes)
{
	uint32_t *a = NULL;
	size_t cap = 0, i;

	CHECK_INT(kms_grow((void **)&a, &cap, 8, sizeof(*a), 8), ==, 0);
	if (!a)
		return;
	for (i = 0; i < cap; i++)
		a[i] = 0xffffffffu - i;
	CHECK_INT(kms_grow((void **)&a, &cap, 9, sizeof(*a), 8), ==, 0);
	CHECK_U64(cap, 16);
	for (i = 0; i < 8; i++)
		CHECK_U64(a[i], 0xffffffffu - i);
	CHECK(zeroed(a, 8, 16));

	/* The first capacity does not hold back a larger array. */
	CHECK_INT(kms_grow((void **)&a, &cap, 17, sizeof(*a), 4), ==, 0);
	CHECK_U64(cap, 32);
	CHECK(zeroed(a, 16, 32));
	free(a);
}

TEST(need_far_above_cap)
{
	uint32_t *a = NULL;
	size_t cap = 0;

	CHECK_INT(kms_grow((void **)&a, &cap, 1, sizeof(*a), 16), ==, 0);
	if (!a)
		return;
	a[0] = 42;
	CHECK_INT(kms_grow((void **)&a, &cap, 1000, sizeof(*a), 16), ==, 0);
	CHECK_U64(cap, 1024);
	CHECK_U64(a[0], 42);
	CHECK(zeroed(a, 1, 1024));
	free(a);
}

TEST(overflow_refused)
{
	uint64_t *a = NULL, *was;
	size_t cap = 0;

	CHECK_INT(kms_grow((void **)&a, &cap, 1, sizeof(*a), 16), ==, 0);
	if (!a)
		return;
	a[0] = 7;
	was = a;
	/* The count fits a size_t, its size in bytes does not. */
	CHECK_INT(kms_grow((void **)&a, &cap, SIZE_MAX / sizeof(*a) + 1, sizeof(*a), 16), ==,
		  -EOVERFLOW);
	CHECK(a == was);
	CHECK_U64(cap, 16);
	CHECK_U64(a[0], 7);
	/* The count itself cannot double up to the need. */
	CHECK_INT(kms_grow((void **)&a, &cap, SIZE_MAX, 1, 16), ==, -EOVERFLOW);
	CHECK(a == was);
	CHECK_U64(cap, 16);
	/* A zero-sized element is a caller's bug, not a free(). */
	CHECK_INT(kms_grow((void **)&a, &cap, 32, 0, 16), ==, -EINVAL);
	CHECK(a == was);
	CHECK_U64(cap, 16);
	free(a);
}

int main(void)
{
	t_suite = "grow";
	RUN(first_allocation);
	RUN(enough_already);
	RUN(doubling_keeps_and_zeroes);
	RUN(need_far_above_cap);
	RUN(overflow_refused);
	return test_done();
}
