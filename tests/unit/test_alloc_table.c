// SPDX-License-Identifier: GPL-2.0
/*
 * test_alloc_table.c - unit tests for src/alloc_table.c: insert, replace,
 * find and remove; growth through many resizes and removal in random
 * order (backward-shift deletion); probe chains that wrap around the end
 * of the array; the max_entries bound; iteration; count and bytes.
 *
 * The table's hash is not part of its interface, so the wrap-around case
 * finds pointers with a given home slot by experiment: a pointer alone in
 * an empty table sits at its home slot, and alloc_table__next() says
 * which slot that is.
 */
#include <errno.h>
#include <stdlib.h>

#include "alloc_table.h"
#include "test.h"

#define KBASE	0xffff888000000000ull	/* x86-64 direct map */

static uint32_t xorshift32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* Payload derived from the pointer, so any entry can be checked alone. */
static struct alloc_entry entry_for(uint64_t ptr, uint32_t i)
{
	struct alloc_entry e = {
		.ptr = ptr,
		.site = i,
		.cache = (uint16_t)(i ^ 0x5a5a),
		.born_us = (uint64_t)i * 3001 + 1,
		.bytes_req = (uint32_t)(ptr >> 3) * 7,
	};

	return e;
}

static bool entry_eq(const struct alloc_entry *a, const struct alloc_entry *b)
{
	return a->ptr == b->ptr && a->site == b->site && a->cache == b->cache &&
	       a->born_us == b->born_us && a->bytes_req == b->bytes_req;
}

TEST(basic)
{
	struct alloc_table *t = alloc_table__new(0, 0);
	struct alloc_entry a = entry_for(KBASE + 0x40, 1);
	struct alloc_entry b = entry_for(KBASE + 0x80, 2), old, out, *f;

	CHECK(t);
	if (!t)
		return;
	CHECK_INT(alloc_table__count(t), ==, 0);
	CHECK(!alloc_table__find(t, a.ptr));
	CHECK_INT(alloc_table__insert(t, &a, &old), ==, 0);	/* new */
	CHECK_INT(alloc_table__insert(t, &b, &old), ==, 0);
	CHECK_INT(alloc_table__count(t), ==, 2);
	f = alloc_table__find(t, a.ptr);
	CHECK(f && entry_eq(f, &a));
	f = alloc_table__find(t, b.ptr);
	CHECK(f && entry_eq(f, &b));
	CHECK(!alloc_table__find(t, KBASE + 0xc0));	/* never inserted */

	CHECK(alloc_table__remove(t, a.ptr, &out));
	CHECK(entry_eq(&out, &a));
	CHECK_INT(alloc_table__count(t), ==, 1);
	CHECK(!alloc_table__find(t, a.ptr));
	/* Removing again, or something never there: false, count unchanged. */
	memset(&out, 0x77, sizeof(out));
	CHECK(!alloc_table__remove(t, a.ptr, &out));
	CHECK(!alloc_table__remove(t, KBASE + 0xc0, &out));
	CHECK_INT(alloc_table__count(t), ==, 1);
	f = alloc_table__find(t, b.ptr);
	CHECK(f && entry_eq(f, &b));
	alloc_table__free(t);
	alloc_table__free(NULL);	/* like free(): a no-op */
}

TEST(replace)
{
	struct alloc_table *t = alloc_table__new(0, 0);
	struct alloc_entry a = entry_for(KBASE + 0x40, 1);
	struct alloc_entry a2 = entry_for(KBASE + 0x40, 99), old, *f;

	CHECK(t);
	if (!t)
		return;
	CHECK_INT(alloc_table__insert(t, &a, &old), ==, 0);
	memset(&old, 0, sizeof(old));
	/* Same pointer again: 1, the previous entry in *old, replaced. */
	CHECK_INT(alloc_table__insert(t, &a2, &old), ==, 1);
	CHECK(entry_eq(&old, &a));
	CHECK_INT(alloc_table__count(t), ==, 1);	/* still one entry */
	f = alloc_table__find(t, a.ptr);
	CHECK(f && entry_eq(f, &a2));
	/* find() returns the slot: changes through it stick. */
	if (f)
		f->bytes_req = 12345;
	f = alloc_table__find(t, a.ptr);
	CHECK(f && f->bytes_req == 12345);
	alloc_table__free(t);
}

TEST(max_entries)
{
	struct alloc_table *t = alloc_table__new(0, 3);
	struct alloc_entry e, old;

	CHECK(t);
	if (!t)
		return;
	for (uint32_t i = 0; i < 3; i++) {
		e = entry_for(KBASE + 8 * (i + 1), i);
		CHECK_INT(alloc_table__insert(t, &e, &old), ==, 0);
	}
	e = entry_for(KBASE + 8 * 4, 3);
	CHECK_INT(alloc_table__insert(t, &e, &old), ==, -ENOSPC);  /* 4th of 3 */
	CHECK_INT(alloc_table__count(t), ==, 3);
	CHECK(!alloc_table__find(t, e.ptr));
	/* Replacing a live pointer adds nothing, so it is still allowed. */
	e = entry_for(KBASE + 8, 42);
	CHECK_INT(alloc_table__insert(t, &e, &old), ==, 1);
	CHECK_INT(old.site, ==, 0);		/* the first insert's i */
	/* One removed: room for one more, and only one. */
	CHECK(alloc_table__remove(t, KBASE + 16, &old));
	e = entry_for(KBASE + 8 * 4, 3);
	CHECK_INT(alloc_table__insert(t, &e, &old), ==, 0);
	e = entry_for(KBASE + 8 * 5, 4);
	CHECK_INT(alloc_table__insert(t, &e, &old), ==, -ENOSPC);
	CHECK_INT(alloc_table__count(t), ==, 3);
	alloc_table__free(t);

	/* A bound above the initial capacity: growth happens, then -ENOSPC. */
	t = alloc_table__new(0, 5000);
	CHECK(t);
	if (!t)
		return;
	for (uint32_t i = 0; i < 5000; i++) {
		e = entry_for(KBASE + 8 * (i + 1), i);
		if (alloc_table__insert(t, &e, &old) != 0) {
			T_FAIL("insert %u of 5000 failed", i);
			break;
		}
	}
	e = entry_for(KBASE + 8 * 5001, 5000);
	CHECK_INT(alloc_table__insert(t, &e, &old), ==, -ENOSPC);
	CHECK_INT(alloc_table__count(t), ==, 5000);
	alloc_table__free(t);
}

/*
 * Visit every entry: each must be one of want[0..n) not marked in gone
 * (gone may be NULL), and each of those must come up exactly once.
 */
static void check_iteration(struct alloc_table *t, const uint64_t *want,
			    size_t n, const unsigned char *gone)
{
	unsigned char *seen = calloc(n ? n : 1, 1);
	struct alloc_entry *e;
	size_t pos = 0, visits = 0, live = 0;

	if (!seen) {
		T_FAIL("out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++)
		live += !(gone && gone[i]);
	while ((e = alloc_table__next(t, &pos))) {
		visits++;
		/* entry_for() put the index in `site`. */
		if (e->site >= n || want[e->site] != e->ptr ||
		    (gone && gone[e->site])) {
			T_FAIL("iteration returned a stray entry %#llx",
			       (unsigned long long)e->ptr);
			break;
		}
		if (seen[e->site]++) {
			T_FAIL("entry %u visited twice", e->site);
			break;
		}
	}
	CHECK_INT(visits, ==, live);
	CHECK_INT(visits, ==, alloc_table__count(t));
	/* At the end it stays at the end. */
	CHECK(!alloc_table__next(t, &pos));
	free(seen);
}

TEST(iteration)
{
	struct alloc_table *t = alloc_table__new(0, 0);
	uint64_t want[300];
	struct alloc_entry e, old;
	size_t pos = 0;

	CHECK(t);
	if (!t)
		return;
	CHECK(!alloc_table__next(t, &pos));	/* empty: nothing at all */
	for (uint32_t i = 0; i < 300; i++) {
		want[i] = KBASE + 64 * (i + 1);
		e = entry_for(want[i], i);
		CHECK_INT(alloc_table__insert(t, &e, &old), ==, 0);
	}
	check_iteration(t, want, 300, NULL);
	/* Remove every third; the rest must still come out once each. */
	for (uint32_t i = 0; i < 300; i += 3)
		CHECK(alloc_table__remove(t, want[i], &old));
	{
		uint64_t left[200];
		struct alloc_entry *p;
		size_t n = 0;

		for (uint32_t i = 0; i < 300; i++)
			if (i % 3)
				left[n++] = want[i];
		CHECK_INT(n, ==, 200);		/* 300 - 100 removed */
		/* check_iteration() keys on `site`: renumber 0..199. */
		for (size_t i = 0; i < n; i++) {
			p = alloc_table__find(t, left[i]);
			CHECK(p);
			if (p)
				p->site = i;
		}
		check_iteration(t, left, n, NULL);
	}
	alloc_table__free(t);
}

/* A permutation of [0, n) from the seeded generator (Fisher-Yates). */
static uint32_t *shuffled(uint32_t n, uint32_t *seed)
{
	uint32_t *p = malloc(n * sizeof(*p));

	if (!p)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		p[i] = i;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = xorshift32(seed) % (i + 1), tmp = p[i];

		p[i] = p[j];
		p[j] = tmp;
	}
	return p;
}

TEST(million)
{
	const uint32_t n = 1000000;
	struct alloc_table *t = alloc_table__new(0, 0);
	uint64_t *ptrs = malloc(n * sizeof(*ptrs));
	unsigned char *gone = calloc(n, 1);
	uint32_t seed = 2463534242u, *order = NULL;
	struct alloc_entry e, old, *f;
	size_t bytes0, bad = 0;

	if (!t || !ptrs || !gone)
		SKIP("out of memory");
	bytes0 = alloc_table__bytes(t);
	/*
	 * xorshift32 visits every nonzero 32-bit value once per period, so
	 * a million outputs are distinct, and so are the pointers.
	 */
	for (uint32_t i = 0; i < n; i++) {
		ptrs[i] = KBASE + (uint64_t)xorshift32(&seed) * 8;
		e = entry_for(ptrs[i], i);
		if (alloc_table__insert(t, &e, &old) != 0 && !bad++)
			T_FAIL("insert %u failed", i);
	}
	CHECK_INT(alloc_table__count(t), ==, n);
	/* At most 75 % full: at least 4/3 n slots, many resizes from the
	 * first table's. */
	CHECK_INT(alloc_table__bytes(t), >=, n * 4 / 3 * sizeof(e));
	CHECK_INT(alloc_table__bytes(t), >, bytes0 * 64);
	for (uint32_t i = 0; i < n; i++) {
		e = entry_for(ptrs[i], i);
		f = alloc_table__find(t, ptrs[i]);
		if ((!f || !entry_eq(f, &e)) && !bad++)
			T_FAIL("entry %u missing or wrong after growth", i);
	}

	order = shuffled(n, &seed);
	if (!order)
		goto out;
	for (uint32_t k = 0; k < n / 2; k++) {
		uint32_t i = order[k];

		e = entry_for(ptrs[i], i);
		memset(&old, 0, sizeof(old));
		if ((!alloc_table__remove(t, ptrs[i], &old) ||
		     !entry_eq(&old, &e)) && !bad++)
			T_FAIL("remove of entry %u failed", i);
		gone[i] = 1;
	}
	CHECK_INT(alloc_table__count(t), ==, n - n / 2);
	for (uint32_t i = 0; i < n; i++) {
		f = alloc_table__find(t, ptrs[i]);
		e = entry_for(ptrs[i], i);
		if (gone[i] ? f != NULL : (!f || !entry_eq(f, &e))) {
			if (!bad++)
				T_FAIL("entry %u (%s) wrong after removals", i,
				       gone[i] ? "removed" : "kept");
		}
	}
	CHECK_INT(bad, ==, 0);
	check_iteration(t, ptrs, n, gone);	/* kept ones, once each */
out:
	free(order);
	free(gone);
	free(ptrs);
	alloc_table__free(t);
}

/* The capacity: iteration runs out with pos at the end of the array. */
static size_t cap_of(struct alloc_table *t)
{
	size_t pos = 0;

	while (alloc_table__next(t, &pos))
		;
	return pos;
}

/* The slot an entry for ptr occupies alone in an empty table. */
static size_t home_of(struct alloc_table *t, uint64_t ptr)
{
	struct alloc_entry e = entry_for(ptr, 0), old;
	size_t pos = 0;

	alloc_table__insert(t, &e, &old);
	alloc_table__next(t, &pos);
	alloc_table__remove(t, ptr, &old);
	return pos - 1;		/* next() leaves pos just past the entry */
}

/* The slot each entry sits in now. */
static size_t slot_now(struct alloc_table *t, uint64_t ptr)
{
	struct alloc_entry *e;
	size_t pos = 0;

	while ((e = alloc_table__next(t, &pos)))
		if (e->ptr == ptr)
			return pos - 1;
	return (size_t)-1;
}

#define NWRAP 7

/*
 * Four pointers whose home is the last slot fill slots last, 0, 1, 2: a
 * chain across the end of the array.  Three more with homes 0, 1 and 2
 * are pushed along it to slots 3, 4 and 5.  In every order of removing
 * all seven, each step must leave every remaining one findable: the
 * backward shift has to move entries from slot 0 back to the last slot
 * and must not move one before its home.
 */
TEST(wrap_around)
{
	struct alloc_table *t = alloc_table__new(0, 0);
	uint64_t ptrs[NWRAP], cand = KBASE;
	size_t homes[NWRAP], last = 0, got = 0;
	static const int want_home[NWRAP] = { -1, -1, -1, -1, 0, 1, 2 };
	struct alloc_entry e, old;
	uint32_t perm[NWRAP];
	unsigned long orders = 0;

	CHECK(t);
	if (!t)
		return;
	last = cap_of(t) - 1;
	CHECK_INT(last, >=, 8);		/* room for the chain below */
	for (int k = 0; k < NWRAP; k++) {
		size_t want = want_home[k] < 0 ? last : (size_t)want_home[k];

		for (;; cand += 8) {
			if (cand > KBASE + (8ull << 26)) {
				T_FAIL("no pointer with home %zu", want);
				goto out;
			}
			if (home_of(t, cand) == want)
				break;
		}
		ptrs[k] = cand;
		homes[k] = want;
		cand += 8;
		got++;
	}
	for (int k = 0; k < NWRAP; k++) {
		e = entry_for(ptrs[k], k);
		CHECK_INT(alloc_table__insert(t, &e, &old), ==, 0);
	}
	/* Linear probing from the last slot wraps: slots last, 0 .. 5. */
	CHECK_INT(slot_now(t, ptrs[0]), ==, last);
	CHECK_INT(slot_now(t, ptrs[1]), ==, 0);
	CHECK_INT(slot_now(t, ptrs[3]), ==, 2);
	CHECK_INT(slot_now(t, ptrs[4]), ==, 3);	/* home 0, pushed to 3 */
	CHECK_INT(slot_now(t, ptrs[6]), ==, 5);	/* home 2, pushed to 5 */
	for (int k = 0; k < NWRAP; k++)
		CHECK(alloc_table__remove(t, ptrs[k], &old));
	CHECK_INT(alloc_table__count(t), ==, 0);
	if (t_cur_failed)
		goto out;

	/* Every removal order (7! = 5040), checking all after each step. */
	for (int i = 0; i < NWRAP; i++)
		perm[i] = i;
	for (;;) {
		bool removed[NWRAP] = { false };

		for (int k = 0; k < NWRAP; k++) {
			e = entry_for(ptrs[k], k);
			alloc_table__insert(t, &e, &old);
		}
		for (int s = 0; s < NWRAP; s++) {
			uint32_t r = perm[s];

			e = entry_for(ptrs[r], r);
			if (!alloc_table__remove(t, ptrs[r], &old) ||
			    !entry_eq(&old, &e))
				T_FAIL("order %lu: remove of %u failed", orders,
				       r);
			removed[r] = true;
			for (int k = 0; k < NWRAP; k++) {
				struct alloc_entry *f =
					alloc_table__find(t, ptrs[k]);

				if (removed[k] ? f != NULL : f == NULL) {
					T_FAIL("order %lu, step %d: entry %d "
					       "(home %zu) %s", orders, s, k,
					       homes[k], removed[k] ?
					       "still found" : "lost");
					goto out;
				}
			}
		}
		CHECK_INT(alloc_table__count(t), ==, 0);
		orders++;
		/* Next permutation in lexicographic order. */
		{
			int i = NWRAP - 2, j = NWRAP - 1;
			uint32_t tmp;

			while (i >= 0 && perm[i] > perm[i + 1])
				i--;
			if (i < 0)
				break;
			while (perm[j] < perm[i])
				j--;
			tmp = perm[i], perm[i] = perm[j], perm[j] = tmp;
			for (i++, j = NWRAP - 1; i < j; i++, j--)
				tmp = perm[i], perm[i] = perm[j], perm[j] = tmp;
		}
	}
	CHECK_INT(orders, ==, 5040);	/* 7! */
	CHECK_INT(got, ==, NWRAP);
out:
	alloc_table__free(t);
}

/*
 * Memory is the slot array (24 bytes a slot) plus a fixed header; the
 * array grows exactly when an insert would pass 75 % load, and never
 * shrinks.  How much it grows by is the table's choice.
 */
TEST(bytes)
{
	struct alloc_table *t = alloc_table__new(0, 0), *big;
	struct alloc_entry e, old;
	size_t cap0, cap1, hdr, b1, fit;
	uint32_t i;

	CHECK(t);
	if (!t)
		return;
	CHECK_INT(sizeof(struct alloc_entry), ==, 24);
	cap0 = cap_of(t);
	CHECK_INT(cap0, >=, 1);
	hdr = alloc_table__bytes(t) - cap0 * 24;
	CHECK_INT(hdr, <, 4096);		/* a small fixed header */
	/* floor(3 cap / 4) entries fit: (count + 1) * 4 > cap * 3 grows. */
	fit = cap0 * 3 / 4;
	for (i = 0; i < fit; i++) {
		e = entry_for(KBASE + 8 * (i + 1), i);
		CHECK_INT(alloc_table__insert(t, &e, &old), ==, 0);
	}
	CHECK_INT(cap_of(t), ==, cap0);
	CHECK_INT(alloc_table__bytes(t), ==, hdr + cap0 * 24);
	e = entry_for(KBASE + 8 * (fit + 1), fit);
	CHECK_INT(alloc_table__insert(t, &e, &old), ==, 0);
	cap1 = cap_of(t);
	CHECK_INT(cap1, >, cap0);		/* the one more grew it */
	b1 = alloc_table__bytes(t);
	CHECK_INT(b1, ==, hdr + cap1 * 24);	/* the same header */
	CHECK_INT(alloc_table__count(t), ==, fit + 1);
	/* Removing does not shrink. */
	for (i = 0; i <= fit; i++)
		CHECK(alloc_table__remove(t, KBASE + 8 * (i + 1), &old));
	CHECK_INT(alloc_table__count(t), ==, 0);
	CHECK_INT(alloc_table__bytes(t), ==, b1);
	alloc_table__free(t);

	/* Room asked for up front: 3000 entries go in without a resize. */
	big = alloc_table__new(3000, 0);
	CHECK(big);
	if (!big)
		return;
	cap0 = cap_of(big);
	CHECK_INT(cap0 * 3, >=, 3000 * 4);	/* 3000 at most 75 % full */
	for (i = 0; i < 3000; i++) {
		e = entry_for(KBASE + 8 * (i + 1), i);
		alloc_table__insert(big, &e, &old);
	}
	CHECK_INT(cap_of(big), ==, cap0);
	CHECK_INT(alloc_table__bytes(big), ==, hdr + cap0 * 24);
	alloc_table__free(big);
}

/* The collector's way in: a slot filled in place, new or live, through growth. */
TEST(slot)
{
	struct alloc_table *t = alloc_table__new(0, 3000);
	struct alloc_entry *slot, *f, zero = { 0 };
	uint32_t i, bad = 0;

	CHECK(t);
	if (!t)
		return;
	/* A new slot holds the pointer and nothing else, even where an entry was. */
	for (i = 0; i < 2000; i++) {
		struct alloc_entry want = entry_for(KBASE + 64ULL * i, i);

		if (alloc_table__slot(t, want.ptr, &slot) != 0 || slot->ptr != want.ptr ||
		    slot->site || slot->cache || slot->bytes_req || slot->born_us) {
			bad++;
			continue;
		}
		*slot = want;
	}
	CHECK_INT(bad, ==, 0);
	CHECK_INT(alloc_table__count(t), ==, 2000);
	/* Grown from 1,024 slots on the way: every entry where it was put. */
	for (i = 0; i < 2000; i++) {
		struct alloc_entry want = entry_for(KBASE + 64ULL * i, i);

		f = alloc_table__find(t, want.ptr);
		bad += !f || !entry_eq(f, &want);
	}
	CHECK_INT(bad, ==, 0);
	/* A live pointer: its own entry, to be replaced in place; the count stays. */
	CHECK_INT(alloc_table__slot(t, KBASE + 64 * 7, &slot), ==, 1);
	{
		struct alloc_entry want = entry_for(KBASE + 64 * 7, 7);

		CHECK(entry_eq(slot, &want));
	}
	*slot = entry_for(KBASE + 64 * 7, 99);
	CHECK_INT(alloc_table__count(t), ==, 2000);
	f = alloc_table__find(t, KBASE + 64 * 7);
	CHECK(f && f->site == 99);
	/* Removed, then given again: a new slot, cleared. */
	CHECK(alloc_table__remove(t, KBASE + 64 * 7, &zero));
	CHECK_INT(alloc_table__slot(t, KBASE + 64 * 7, &slot), ==, 0);
	CHECK(slot->ptr == KBASE + 64 * 7 && !slot->site && !slot->born_us);
	*slot = entry_for(KBASE + 64 * 7, 7);
	/* At max_entries: a live pointer still gets its slot, a new one does not. */
	for (i = 2000; i < 3000; i++)
		CHECK_INT(alloc_table__slot(t, KBASE + 64ULL * i, &slot), ==, 0);
	CHECK_INT(alloc_table__slot(t, KBASE + 64ULL * 3000, &slot), ==, -ENOSPC);
	CHECK_INT(alloc_table__slot(t, KBASE + 64ULL * 5, &slot), ==, 1);
	CHECK_INT(alloc_table__count(t), ==, 3000);
	alloc_table__free(t);
}

int main(void)
{
	t_suite = "alloc_table";
	RUN(basic);
	RUN(replace);
	RUN(max_entries);
	RUN(iteration);
	RUN(million);
	RUN(wrap_around);
	RUN(bytes);
	RUN(slot);
	return test_done();
}
