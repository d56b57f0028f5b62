// SPDX-License-Identifier: GPL-2.0
/*
 * tablebench.c - memory and time per live allocation in the collector's
 * table (src/alloc_table.c), the structure whose size grows with what the
 * traced kernel keeps allocated.  For N live pointers (kernel-like, 64-byte
 * aligned, shuffled) it prints the table's bytes per live entry, and the
 * mean nanoseconds of an insert and of a remove at that size.
 *
 *   tablebench [N...]     default: 10000 100000 1000000 4000000
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "alloc_table.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* xorshift64*: a fixed sequence, so runs are comparable. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static int run(size_t n)
{
	uint64_t *ptrs = malloc(n * sizeof(*ptrs)), seed = 42, t0, t1, t2;
	struct alloc_table *t = alloc_table__new(0, 0);
	struct alloc_entry e = { 0 }, old;
	size_t i;

	if (!ptrs || !t)
		return 1;
	for (i = 0; i < n; i++)
		ptrs[i] = 0xffff888000000000ULL + (rnd(&seed) % (1ULL << 34)) * 64;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		e.ptr = ptrs[i];
		e.site = i & 1023;
		if (alloc_table__insert(t, &e, &old) < 0)
			return 1;
	}
	t1 = now_ns();
	printf("%9zu live: %6.1f bytes per live allocation, insert %5.1f ns", alloc_table__count(t),
	       (double)alloc_table__bytes(t) / alloc_table__count(t), (double)(t1 - t0) / n);
	for (i = 0; i < n; i++)
		alloc_table__remove(t, ptrs[i], &old);
	t2 = now_ns();
	printf(", remove %5.1f ns\n", (double)(t2 - t1) / n);
	alloc_table__free(t);
	free(ptrs);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t def[] = { 10000, 100000, 1000000, 4000000 };
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (run(strtoull(argv[i], NULL, 0)))
				return 1;
		return 0;
	}
	for (i = 0; i < 4; i++)
		if (run(def[i]))
			return 1;
	return 0;
}
