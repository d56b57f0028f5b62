// SPDX-License-Identifier: GPL-2.0
/*
 * test_idmap.c - unit tests for src/idmap.c: get and set, replacing an
 * id, the reserved key 0, and growth to 100,000 keys of the three kinds
 * the collector stores (call sites, cache pointers, tids).
 */
#include <errno.h>
#include <stdlib.h>

#include "idmap.h"
#include "test.h"

TEST(get_set)
{
	struct idmap *m = idmap__new();

	CHECK(m);
	if (!m)
		return;
	CHECK_INT(idmap__get(m, 0xffffffff81234567ull), ==, -1);  /* empty */
	CHECK_INT(idmap__set(m, 0xffffffff81234567ull, 0), ==, 0);
	CHECK_INT(idmap__set(m, 0xffff888001000040ull, 7), ==, 0);
	CHECK_INT(idmap__set(m, 42, 0xffffffffu), ==, 0);
	CHECK_INT(idmap__get(m, 0xffffffff81234567ull), ==, 0);	/* id 0 */
	CHECK_INT(idmap__get(m, 0xffff888001000040ull), ==, 7);
	/* The largest id comes back as a positive number, not -1. */
	CHECK_INT(idmap__get(m, 42), ==, 0xffffffffll);
	/* Neighbours of stored keys are different keys. */
	CHECK_INT(idmap__get(m, 0xffffffff81234566ull), ==, -1);
	CHECK_INT(idmap__get(m, 0xffffffff81234568ull), ==, -1);
	CHECK_INT(idmap__get(m, 41), ==, -1);
	CHECK_INT(idmap__get(m, 43), ==, -1);
	idmap__free(m);
	idmap__free(NULL);	/* a no-op */
}

TEST(replace)
{
	struct idmap *m = idmap__new();

	CHECK(m);
	if (!m)
		return;
	CHECK_INT(idmap__set(m, 1000, 1), ==, 0);
	CHECK_INT(idmap__set(m, 1000, 2), ==, 0);
	CHECK_INT(idmap__get(m, 1000), ==, 2);	/* the last set wins */
	CHECK_INT(idmap__set(m, 1000, 0), ==, 0);
	CHECK_INT(idmap__get(m, 1000), ==, 0);
	/* Replacing many times must not use up room: 1000 sets, one key. */
	for (uint32_t i = 0; i < 1000; i++)
		CHECK_INT(idmap__set(m, 2000, i), ==, 0);
	CHECK_INT(idmap__get(m, 2000), ==, 999);
	CHECK_INT(idmap__get(m, 1000), ==, 0);
	idmap__free(m);
}

TEST(key_zero)
{
	struct idmap *m = idmap__new();

	CHECK(m);
	if (!m)
		return;
	/* 0 marks an empty slot, so it cannot be a key. */
	CHECK_INT(idmap__set(m, 0, 5), ==, -EINVAL);
	CHECK_INT(idmap__get(m, 0), ==, -1);
	CHECK_INT(idmap__set(m, 8, 5), ==, 0);
	CHECK_INT(idmap__get(m, 0), ==, -1);	/* still, with a key stored */
	CHECK_INT(idmap__set(m, 0, 6), ==, -EINVAL);
	CHECK_INT(idmap__get(m, 8), ==, 5);	/* untouched by the refusal */
	idmap__free(m);
}

/*
 * Small consecutive keys (tids) differ only in their low bits: a hash
 * that ignored those would put them in the same place.  They must still
 * all be stored and found.
 */
TEST(small_keys)
{
	struct idmap *m = idmap__new();
	int bad = 0;

	CHECK(m);
	if (!m)
		return;
	for (uint64_t k = 1; k <= 5000; k++)
		CHECK_INT(idmap__set(m, k, (uint32_t)(k * 3)), ==, 0);
	for (uint64_t k = 1; k <= 5000; k++)
		if (idmap__get(m, k) != (int64_t)(k * 3) && !bad++)
			T_FAIL("key %llu: %lld, want %llu",
			       (unsigned long long)k, (long long)idmap__get(m, k),
			       (unsigned long long)(k * 3));
	CHECK_INT(idmap__get(m, 5001), ==, -1);
	idmap__free(m);
}

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* 100k keys of each kind: many doublings from the initial 256 slots. */
TEST(growth)
{
	const uint32_t n = 100000;
	struct idmap *m = idmap__new();
	uint64_t *keys = malloc(3 * n * sizeof(*keys)), seed = 88172645463325252ull;
	uint32_t total = 3 * n;
	int bad = 0;

	if (!m || !keys)
		SKIP("out of memory");
	for (uint32_t i = 0; i < n; i++) {
		/* Call sites: kernel text, 1-byte granular. */
		keys[i] = 0xffffffff81000000ull + (xorshift64(&seed) & 0xffffff);
		/* Cache pointers: 64-byte aligned in the direct map. */
		keys[n + i] = 0xffff888000000000ull + 64ull * (i + 1);
		/* tids: small and dense. */
		keys[2 * n + i] = i + 1;
	}
	/* Random text addresses can repeat: keep the first of each. */
	for (uint32_t i = 0; i < total; i++) {
		int64_t had = idmap__get(m, keys[i]);

		if (had >= 0) {
			keys[i] = keys[had];	/* the same key, earlier id */
			continue;
		}
		if (idmap__set(m, keys[i], i) && !bad++)
			T_FAIL("set %u failed", i);
		/* What went in a moment ago is still there after growing. */
		if (i % 4096 == 0 && idmap__get(m, keys[i / 2]) < 0 && !bad++)
			T_FAIL("key %u lost while inserting %u", i / 2, i);
	}
	for (uint32_t i = 0; i < total; i++) {
		int64_t id = idmap__get(m, keys[i]);

		/* Each key maps to the index it was first stored under. */
		if ((id < 0 || id > i || keys[id] != keys[i]) && !bad++)
			T_FAIL("key %u (%#llx): id %lld", i,
			       (unsigned long long)keys[i], (long long)id);
	}
	CHECK_INT(bad, ==, 0);
	/* Keys that were never stored. */
	CHECK_INT(idmap__get(m, 0xffff888000000000ull + 64ull * (n + 1)), ==, -1);
	CHECK_INT(idmap__get(m, n + 1), ==, -1);
	CHECK_INT(idmap__get(m, 0xfffffffff0000000ull), ==, -1);
	free(keys);
	idmap__free(m);
}

int main(void)
{
	t_suite = "idmap";
	RUN(get_set);
	RUN(replace);
	RUN(key_zero);
	RUN(small_keys);
	RUN(growth);
	return test_done();
}
