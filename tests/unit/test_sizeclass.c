// SPDX-License-Identifier: GPL-2.0
/*
 * test_sizeclass.c - unit tests for src/sizeclass.c: the kmalloc class of
 * every request size on x86-64 with 4 KiB pages against a hand-written
 * table, the boundaries, large kmalloc orders and the 4 MiB limit, the
 * type gfp selects (DMA > RECLAIMABLE > ACCOUNT), nokmem, SLUB_TINY and
 * !ZONE_DMA, arm64's 64- and 128-byte minimum sizes, 16 and 64 KiB pages,
 * random kmalloc caches, kmalloc_size_roundup(), the next smaller class,
 * the class lists, kmem_buckets names, and parameters derived from a real
 * /sys/kernel/slab name list and from synthetic ones.
 * Expected values come from docs/slub.md §1 and mm/slab_common.c.
 */
#include <errno.h>
#include <stdlib.h>

#include "sizeclass.h"
#include "test.h"

#define FIXTURE "tests/fixtures/slabsnap-6.18-x86_64-2cpu.txt"

#define GFP_KERNEL		0xcc0u
#define GFP_KERNEL_ACCOUNT	0x400cc0u
#define MiB			(1024u * 1024u)

/* A name list built by a test: up to 512 names of up to 47 bytes. */
struct names {
	char buf[512][48];
	const char *v[512];
	size_t n;
};

static void add_name(struct names *nl, const char *prefix, const char *size)
{
	if (nl->n >= 512) {
		T_FAIL("name list full");
		return;
	}
	snprintf(nl->buf[nl->n], sizeof(nl->buf[0]), "%s%s", prefix, size);
	nl->v[nl->n] = nl->buf[nl->n];
	nl->n++;
}

/* prefix + every short size of a NULL-terminated list. */
static void add_all(struct names *nl, const char *prefix, const char *const *sizes)
{
	for (; *sizes; sizes++)
		add_name(nl, prefix, *sizes);
}

/* kmalloc_info[] short names, written out by hand. */
static const char *const x86_sizes[] = {
	"8", "16", "32", "64", "96", "128", "192", "256", "512", "1k", "2k", "4k", "8k", NULL,
};

/* arm64, 64-byte DMA line: 8, 16, 32 aliased to 64, 96 to 128; 192 stays. */
static const char *const arm64_64_sizes[] = {
	"64", "128", "192", "256", "512", "1k", "2k", "4k", "8k", NULL,
};

/* 128-byte minimum: 192 aliased to 256 as well. */
static const char *const min128_sizes[] = {
	"128", "256", "512", "1k", "2k", "4k", "8k", NULL,
};

/* 16 KiB pages: KMALLOC_SHIFT_HIGH = 15. */
static const char *const p16k_sizes[] = {
	"8", "16", "32", "64", "96", "128", "192", "256", "512", "1k", "2k", "4k", "8k",
	"16k", "32k", NULL,
};

/* 64 KiB pages: KMALLOC_SHIFT_HIGH = 17. */
static const char *const p64k_sizes[] = {
	"8", "16", "32", "64", "96", "128", "192", "256", "512", "1k", "2k", "4k", "8k",
	"16k", "32k", "64k", "128k", NULL,
};

/* All four kmalloc types for a size list, like a MEMCG + ZONE_DMA kernel. */
static void add_types(struct names *nl, const char *const *sizes, bool cg, bool rcl, bool dma)
{
	add_all(nl, "kmalloc-", sizes);
	if (cg)
		add_all(nl, "kmalloc-cg-", sizes);
	if (rcl)
		add_all(nl, "kmalloc-rcl-", sizes);
	if (dma)
		add_all(nl, "dma-kmalloc-", sizes);
	/* Caches that are not kmalloc ones and must not confuse the parser. */
	add_name(nl, "kmalloc_buckets", "");
	add_name(nl, "sgpool-", "8");
	add_name(nl, "sgpool-", "16");
	add_name(nl, "bio-", "256");
	add_name(nl, ":0000064", "");
}

static int params_for(struct kmalloc_params *p, uint32_t page_size, const char *const *sizes,
		      bool cg, bool rcl, bool dma)
{
	static struct names nl;

	nl.n = 0;
	add_types(&nl, sizes, cg, rcl, dma);
	return kmalloc_params__from_caches(p, page_size, nl.v, nl.n);
}

/* Class of (n, gfp): size and name, or the error. */
#define CHECK_CLASS(p, n, gfp, want_size, want_name)                               \
	do {                                                                       \
		struct kmalloc_class _c;                                           \
		int _e = kmalloc_class(p, n, gfp, &_c);                            \
		if (_e)                                                            \
			T_FAIL("kmalloc_class(%u, %#x) = %d", (unsigned int)(n),   \
			       (unsigned int)(gfp), _e);                           \
		else if (_c.size != (want_size) || strcmp(_c.name, want_name))     \
			T_FAIL("kmalloc_class(%u, %#x): %u %s, want %u %s",        \
			       (unsigned int)(n), (unsigned int)(gfp), _c.size,    \
			       _c.name, (unsigned int)(want_size), want_name);     \
	} while (0)

/*
 * Every size 1..8192 on x86-64 with 4 KiB pages (docs/slub.md §1.2): the
 * hand-written table of the largest request per class.
 */
TEST(x86_every_size)
{
	static const struct {
		uint32_t max_req;
		const char *name;
	} table[] = {
		{ 8, "kmalloc-8" },	{ 16, "kmalloc-16" },	{ 32, "kmalloc-32" },
		{ 64, "kmalloc-64" },	{ 96, "kmalloc-96" },	{ 128, "kmalloc-128" },
		{ 192, "kmalloc-192" }, { 256, "kmalloc-256" }, { 512, "kmalloc-512" },
		{ 1024, "kmalloc-1k" }, { 2048, "kmalloc-2k" }, { 4096, "kmalloc-4k" },
		{ 8192, "kmalloc-8k" },
	};
	struct kmalloc_params p;
	unsigned int row = 0, bad = 0;

	kmalloc_params__default(&p, 4096);
	for (uint32_t n = 1; n <= 8192; n++) {
		struct kmalloc_class c = { 0 };
		uint32_t lo;

		while (n > table[row].max_req)
			row++;
		lo = row ? table[row - 1].max_req + 1 : 1;
		if (kmalloc_class(&p, n, GFP_KERNEL, &c) || c.type != KMALLOC_T_NORMAL ||
		    c.size != table[row].max_req || c.bytes_alloc != table[row].max_req ||
		    strcmp(c.name, table[row].name) || c.req_min != lo ||
		    c.req_max != table[row].max_req || c.order || c.copy_unknown) {
			if (bad++ < 5)
				T_FAIL("%u: %u/%u %s [%u, %u], want %u %s [%u, %u]", n, c.size,
				       c.bytes_alloc, c.name, c.req_min, c.req_max,
				       table[row].max_req, table[row].name, lo,
				       table[row].max_req);
		}
		/* kmalloc_size_roundup() is the same object size. */
		if (kmalloc_size_roundup_model(&p, n) != table[row].max_req && bad++ < 5)
			T_FAIL("roundup(%u) = %u", n, kmalloc_size_roundup_model(&p, n));
	}
	CHECK_INT(bad, ==, 0);
}

/* Both sides of every class edge. */
TEST(x86_boundaries)
{
	static const struct {
		uint32_t n, size;
	} cases[] = {
		{ 8, 8 },	  { 9, 16 },	   /* the first two classes */
		{ 16, 16 },	  { 17, 32 },	   { 32, 32 },	    { 33, 64 },
		{ 64, 64 },	  { 65, 96 },	   /* 65..96 -> kmalloc-96 */
		{ 96, 96 },	  { 97, 128 },	   { 128, 128 },    { 129, 192 },
		{ 192, 192 },	  { 193, 256 },	   /* fls() from here */
		{ 256, 256 },	  { 257, 512 },	   { 512, 512 },    { 513, 1024 },
		{ 1024, 1024 },	  { 1025, 2048 },  { 2048, 2048 },  { 2049, 4096 },
		{ 4096, 4096 },	  { 4097, 8192 },  { 8192, 8192 },  /* last slab class */
		{ 8193, 16384 },  /* large: order 2 */
	};
	struct kmalloc_params p;

	kmalloc_params__default(&p, 4096);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kmalloc_class c = { 0 };

		if (kmalloc_class(&p, cases[i].n, GFP_KERNEL, &c) || c.size != cases[i].size)
			T_FAIL("%u: %u, want %u", cases[i].n, c.size, cases[i].size);
	}
	CHECK_INT(kmalloc_max_cache_size(&p), ==, 8192);	/* 2 * PAGE_SIZE */
}

/* Above KMALLOC_MAX_CACHE_SIZE: PAGE_SIZE << get_order(n) (§1.3). */
TEST(x86_large)
{
	struct kmalloc_params p;
	struct kmalloc_class c;

	kmalloc_params__default(&p, 4096);
	CHECK_CLASS(&p, 8193, GFP_KERNEL, 16384, "kmalloc-large-16k");	/* order 2 */
	CHECK_CLASS(&p, 10240, GFP_KERNEL, 16384, "kmalloc-large-16k");	/* pipe ring, live */
	CHECK_CLASS(&p, 65537, GFP_KERNEL, 131072, "kmalloc-large-128k");	/* order 5 */
	/* The type does not matter for the page allocator. */
	CHECK_CLASS(&p, 65537, 0x400cd1, 131072, "kmalloc-large-128k");
	CHECK_INT(kmalloc_class(&p, 10240, GFP_KERNEL, &c), ==, 0);
	CHECK_INT(c.type, ==, KMALLOC_T_LARGE);
	CHECK_INT(c.order, ==, 2);
	CHECK_INT(c.bytes_alloc, ==, 16384);
	CHECK_INT(c.req_min, ==, 8193);	/* order 2 starts above the slab classes */
	CHECK_INT(c.req_max, ==, 16384);
	CHECK(!c.copy_unknown);
	/* 4 MiB = PAGE_SIZE << MAX_PAGE_ORDER (10) is the largest kmalloc. */
	CHECK_INT(kmalloc_max_size(&p), ==, 4 * MiB);
	CHECK_CLASS(&p, 4 * MiB, GFP_KERNEL, 4 * MiB, "kmalloc-large-4M");
	CHECK_INT(kmalloc_class(&p, 4 * MiB, GFP_KERNEL, &c), ==, 0);
	CHECK_INT(c.order, ==, 10);
	CHECK_INT(c.req_min, ==, 2 * MiB + 1);
	/* One byte more is order 11: the allocation fails. */
	CHECK_INT(kmalloc_class(&p, 4 * MiB + 1, GFP_KERNEL, &c), ==, -E2BIG);
	CHECK_INT(kmalloc_class(&p, UINT32_MAX, GFP_KERNEL, &c), ==, -E2BIG);
	/* kmalloc(0) returns ZERO_SIZE_PTR and traces nothing. */
	CHECK_INT(kmalloc_class(&p, 0, GFP_KERNEL, &c), ==, -EINVAL);
}

/* kmalloc_type(): DMA > RECLAIMABLE > ACCOUNT (§2.1). */
TEST(types_by_gfp)
{
	struct kmalloc_params p;
	struct kmalloc_class c;

	kmalloc_params__default(&p, 4096);
	CHECK_CLASS(&p, 100, 0xcc0, 128, "kmalloc-128");		/* GFP_KERNEL */
	CHECK_CLASS(&p, 100, 0x400cc0, 128, "kmalloc-cg-128");	/* GFP_KERNEL_ACCOUNT */
	/* __d_alloc's 0x400cd0 landed in kmalloc-rcl (live): RECLAIMABLE beats ACCOUNT. */
	CHECK_CLASS(&p, 150, 0x400cd0, 192, "kmalloc-rcl-192");
	CHECK_CLASS(&p, 100, 0x400cc1, 128, "dma-kmalloc-128");	/* DMA beats everything */
	CHECK_CLASS(&p, 100, 0x400cd1, 128, "dma-kmalloc-128");
	CHECK_CLASS(&p, 1000, 0x400cc0, 1024, "kmalloc-cg-1k");	/* k suffix from 1024 */
	CHECK_CLASS(&p, 5000, 0x1, 8192, "dma-kmalloc-8k");
	CHECK_CLASS(&p, 80, 0x10, 96, "kmalloc-rcl-96");
	/* Bits that do not select a type: ZERO, NOWARN, HIGH, COMP, bit 24. */
	CHECK_CLASS(&p, 100, 0x1042da0, 128, "kmalloc-128");
	CHECK_INT(kmalloc_class(&p, 100, 0x400cd0, &c), ==, 0);
	CHECK_INT(c.type, ==, KMALLOC_T_RECLAIM);
	CHECK_INT(kmalloc_type_of(&p, 0x400cc0), ==, KMALLOC_T_CGROUP);
	CHECK_INT(kmalloc_type_of(&p, 0x1), ==, KMALLOC_T_DMA);
	CHECK_INT(kmalloc_type_of(&p, 0xcc0), ==, KMALLOC_T_NORMAL);
}

/* Configurations without some types, told by the missing names. */
TEST(missing_types)
{
	struct kmalloc_params p;

	/* cgroup.memory=nokmem or !MEMCG: no kmalloc-cg-*, ACCOUNT goes to kmalloc-N. */
	CHECK_INT(params_for(&p, 4096, x86_sizes, false, true, true), ==, 0);
	CHECK(!p.has_cg && p.has_rcl && p.has_dma);
	CHECK_CLASS(&p, 100, 0x400cc0, 128, "kmalloc-128");
	CHECK_CLASS(&p, 100, 0x400cd0, 128, "kmalloc-rcl-128");	/* rcl still exists */
	/* SLUB_TINY: no kmalloc-rcl-*; KMALLOC_RECLAIM is KMALLOC_NORMAL and
	 * still beats ACCOUNT, so 0x400cd0 goes to kmalloc-N, not kmalloc-cg-N. */
	CHECK_INT(params_for(&p, 4096, x86_sizes, true, false, true), ==, 0);
	CHECK(p.has_cg && !p.has_rcl && p.has_dma);
	CHECK_CLASS(&p, 100, 0x400cd0, 128, "kmalloc-128");
	CHECK_CLASS(&p, 100, 0x400cc0, 128, "kmalloc-cg-128");
	/* !ZONE_DMA: __GFP_DMA is not a type bit; the rest decides. */
	CHECK_INT(params_for(&p, 4096, x86_sizes, true, true, false), ==, 0);
	CHECK(p.has_cg && p.has_rcl && !p.has_dma);
	CHECK_CLASS(&p, 100, 0x1, 128, "kmalloc-128");
	CHECK_CLASS(&p, 100, 0x400cc1, 128, "kmalloc-cg-128");
	CHECK_CLASS(&p, 100, 0x400cd1, 128, "kmalloc-rcl-128");
}

/*
 * arm64 with a 64-byte DMA line (__kmalloc_minalign() = 64, 6.5+; or
 * ARCH_KMALLOC_MINALIGN = 64 before): kmalloc-8/16/32 and -96 are aliased
 * away, 192 stays.
 */
TEST(arm64_min64)
{
	struct kmalloc_params p;
	uint32_t n;

	CHECK_INT(params_for(&p, 4096, arm64_64_sizes, true, true, true), ==, 0);
	CHECK_INT(p.min_size, ==, 64);
	CHECK(!p.has_96 && p.has_192);
	for (n = 1; n <= 64; n++)
		CHECK_CLASS(&p, n, GFP_KERNEL, 64, "kmalloc-64");	/* below min: 64 */
	for (n = 65; n <= 128; n++)
		CHECK_CLASS(&p, n, GFP_KERNEL, 128, "kmalloc-128");	/* 96 vanished */
	for (n = 129; n <= 192; n++)
		CHECK_CLASS(&p, n, GFP_KERNEL, 192, "kmalloc-192");
	CHECK_CLASS(&p, 193, GFP_KERNEL, 256, "kmalloc-256");
	CHECK_CLASS(&p, 8, 0x400cc0, 64, "kmalloc-cg-64");	/* all types alike */
	CHECK_INT(kmalloc_size_roundup_model(&p, 1), ==, 64);
	CHECK_INT(kmalloc_size_roundup_model(&p, 80), ==, 128);
}

/* KMALLOC_MIN_SIZE 128 (arm64 before 6.5): 136..192 go to 256 (and 129..135). */
TEST(min128)
{
	struct kmalloc_params p;
	uint32_t n;

	CHECK_INT(params_for(&p, 4096, min128_sizes, true, true, true), ==, 0);
	CHECK_INT(p.min_size, ==, 128);
	CHECK(!p.has_96 && !p.has_192);
	for (n = 1; n <= 128; n++)
		CHECK_CLASS(&p, n, GFP_KERNEL, 128, "kmalloc-128");
	for (n = 129; n <= 256; n++)
		CHECK_CLASS(&p, n, GFP_KERNEL, 256, "kmalloc-256");	/* 192 vanished */
	CHECK_CLASS(&p, 136, GFP_KERNEL, 256, "kmalloc-256");
	/* The same by hand-set parameters: has_96/has_192 follow min_size. */
	kmalloc_params__default(&p, 4096);
	p.min_size = 128;
	CHECK_CLASS(&p, 80, GFP_KERNEL, 128, "kmalloc-128");
	CHECK_CLASS(&p, 150, GFP_KERNEL, 256, "kmalloc-256");
	p.min_size = 64;
	CHECK_CLASS(&p, 80, GFP_KERNEL, 128, "kmalloc-128");
	CHECK_CLASS(&p, 150, GFP_KERNEL, 192, "kmalloc-192");
}

/* 16 KiB pages: KMALLOC_MAX_CACHE_SIZE 32 KiB, classes up to kmalloc-32k. */
TEST(pages_16k)
{
	struct kmalloc_params p;
	struct kmalloc_class c;

	CHECK_INT(params_for(&p, 16384, p16k_sizes, true, true, true), ==, 0);
	CHECK_INT(kmalloc_max_cache_size(&p), ==, 32768);
	CHECK_CLASS(&p, 8193, GFP_KERNEL, 16384, "kmalloc-16k");	/* a slab class here */
	CHECK_CLASS(&p, 32768, GFP_KERNEL, 32768, "kmalloc-32k");
	CHECK_CLASS(&p, 20000, 0x400cc0, 32768, "kmalloc-cg-32k");
	CHECK_CLASS(&p, 32769, GFP_KERNEL, 65536, "kmalloc-large-64k");	/* order 2 */
	CHECK_INT(kmalloc_class(&p, 32769, GFP_KERNEL, &c), ==, 0);
	CHECK_INT(c.order, ==, 2);
	/* arm64 16K: MAX_PAGE_ORDER 11, KMALLOC_MAX_SIZE 32 MiB. */
	CHECK_INT(kmalloc_max_size(&p), ==, 32 * MiB);
	CHECK_INT(kmalloc_class(&p, 32 * MiB + 1, GFP_KERNEL, &c), ==, -E2BIG);
	/* The default parameters agree. */
	kmalloc_params__default(&p, 16384);
	CHECK_CLASS(&p, 16385, GFP_KERNEL, 32768, "kmalloc-32k");
}

/* 64 KiB pages: KMALLOC_MAX_CACHE_SIZE 128 KiB. */
TEST(pages_64k)
{
	struct kmalloc_params p;

	CHECK_INT(params_for(&p, 65536, p64k_sizes, true, true, true), ==, 0);
	CHECK_INT(kmalloc_max_cache_size(&p), ==, 131072);
	CHECK_CLASS(&p, 65537, GFP_KERNEL, 131072, "kmalloc-128k");	/* slab, not large */
	CHECK_CLASS(&p, 40000, 0x1, 65536, "dma-kmalloc-64k");
	CHECK_CLASS(&p, 131073, GFP_KERNEL, 262144, "kmalloc-large-256k");	/* order 2 */
	/* arm64 64K: MAX_PAGE_ORDER 13, 512 MiB. */
	CHECK_INT(kmalloc_max_size(&p), ==, 512 * MiB);
	CHECK_INT(kmalloc_size_roundup_model(&p, 131073), ==, 262144);
}

/* RANDOM_KMALLOC_CACHES: NORMAL requests go to one of 16 copies, unknown. */
TEST(random_caches)
{
	static struct names nl;
	struct kmalloc_params p;
	struct kmalloc_class c;

	nl.n = 0;
	add_types(&nl, x86_sizes, true, true, true);
	add_all(&nl, "kmalloc-rnd-01-", x86_sizes);
	add_all(&nl, "kmalloc-rnd-15-", x86_sizes);
	CHECK_INT(kmalloc_params__from_caches(&p, 4096, nl.v, nl.n), ==, 0);
	CHECK(p.has_random);
	CHECK_INT(p.min_size, ==, 8);	/* the rnd names are no extra classes */
	CHECK_INT(kmalloc_class(&p, 100, GFP_KERNEL, &c), ==, 0);
	CHECK(c.copy_unknown);			/* kmalloc-128 or kmalloc-rnd-NN-128 */
	CHECK_STR(c.name, "kmalloc-128");
	CHECK_INT(kmalloc_class(&p, 100, 0x400cc0, &c), ==, 0);
	CHECK(!c.copy_unknown);			/* kmalloc-cg has no copies */
	CHECK_INT(kmalloc_class(&p, 100, 0x1, &c), ==, 0);
	CHECK(!c.copy_unknown);
	CHECK_INT(kmalloc_class(&p, 10240, GFP_KERNEL, &c), ==, 0);
	CHECK(!c.copy_unknown);			/* large kmalloc: page allocator */
	/* Without the rnd names there is nothing to guess. */
	kmalloc_params__default(&p, 4096);
	CHECK_INT(kmalloc_class(&p, 100, GFP_KERNEL, &c), ==, 0);
	CHECK(!c.copy_unknown);
}

/* kmalloc_size_roundup() examples of §1.4. */
TEST(size_roundup)
{
	struct kmalloc_params p;

	kmalloc_params__default(&p, 4096);
	CHECK_INT(kmalloc_size_roundup_model(&p, 1), ==, 8);		/* kmalloc-8 */
	CHECK_INT(kmalloc_size_roundup_model(&p, 100), ==, 128);	/* kmalloc-128 */
	CHECK_INT(kmalloc_size_roundup_model(&p, 150), ==, 192);	/* kmalloc-192 */
	CHECK_INT(kmalloc_size_roundup_model(&p, 5000), ==, 8192);	/* kmalloc-8k */
	CHECK_INT(kmalloc_size_roundup_model(&p, 9000), ==, 16384);	/* order 2 pages */
	CHECK_INT(kmalloc_size_roundup_model(&p, 0), ==, 0);		/* ZERO_SIZE_PTR */
	CHECK_INT(kmalloc_size_roundup_model(&p, 4 * MiB), ==, 4 * MiB);
	/* Above KMALLOC_MAX_SIZE kmalloc fails: n comes back. */
	CHECK_INT(kmalloc_size_roundup_model(&p, 4 * MiB + 1), ==, 4 * MiB + 1);
	CHECK_U64(kmalloc_size_roundup_model(&p, UINT32_MAX), UINT32_MAX);
}

/* The largest request that lands one class lower. */
TEST(smaller_fit)
{
	struct kmalloc_params p;
	uint32_t fit = 0;

	kmalloc_params__default(&p, 4096);
	/* 200 is in kmalloc-256; 192 fits kmalloc-192, 64 bytes less per object. */
	CHECK_INT(kmalloc_smaller_fit(&p, 200, GFP_KERNEL, &fit), ==, 0);
	CHECK_INT(fit, ==, 192);
	CHECK_INT(kmalloc_smaller_fit(&p, 129, GFP_KERNEL, &fit), ==, 0);	/* 192 -> 128 */
	CHECK_INT(fit, ==, 128);
	/* 4097 is in kmalloc-8k, 4096 in kmalloc-4k. */
	CHECK_INT(kmalloc_smaller_fit(&p, 4097, GFP_KERNEL, &fit), ==, 0);
	CHECK_INT(fit, ==, 4096);
	CHECK_INT(kmalloc_smaller_fit(&p, 65, GFP_KERNEL, &fit), ==, 0);	/* 96 -> 64 */
	CHECK_INT(fit, ==, 64);
	CHECK_INT(kmalloc_smaller_fit(&p, 100, 0x400cc0, &fit), ==, 0);	/* cg 128 -> 96 */
	CHECK_INT(fit, ==, 96);
	CHECK_INT(kmalloc_smaller_fit(&p, 9, GFP_KERNEL, &fit), ==, 0);
	CHECK_INT(fit, ==, 8);
	/* Large: 8193 (16 KiB of pages) -> 8192 in kmalloc-8k. */
	CHECK_INT(kmalloc_smaller_fit(&p, 8193, GFP_KERNEL, &fit), ==, 0);
	CHECK_INT(fit, ==, 8192);
	/* 16385 (order 3) -> 16384 (order 2). */
	CHECK_INT(kmalloc_smaller_fit(&p, 16385, GFP_KERNEL, &fit), ==, 0);
	CHECK_INT(fit, ==, 16384);
	/* Already in kmalloc-8: nothing smaller. */
	fit = 12345;
	CHECK_INT(kmalloc_smaller_fit(&p, 1, GFP_KERNEL, &fit), ==, -ENOENT);
	CHECK_INT(kmalloc_smaller_fit(&p, 8, GFP_KERNEL, &fit), ==, -ENOENT);
	CHECK_INT(fit, ==, 12345);	/* untouched */
	CHECK_INT(kmalloc_smaller_fit(&p, 0, GFP_KERNEL, &fit), ==, -EINVAL);
	CHECK_INT(kmalloc_smaller_fit(&p, 4 * MiB + 1, GFP_KERNEL, &fit), ==, -E2BIG);
	/* arm64 min 64: 100 is in kmalloc-128, the next smaller is kmalloc-64. */
	p.min_size = 64;
	CHECK_INT(kmalloc_smaller_fit(&p, 100, GFP_KERNEL, &fit), ==, 0);
	CHECK_INT(fit, ==, 64);
	CHECK_INT(kmalloc_smaller_fit(&p, 64, GFP_KERNEL, &fit), ==, -ENOENT);
	CHECK_INT(kmalloc_smaller_fit(&p, 200, GFP_KERNEL, &fit), ==, 0);
	CHECK_INT(fit, ==, 192);
}

/* The class lists for a `kmscope sizes` table. */
TEST(class_lists)
{
	static const uint32_t want[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024,
					 2048, 4096, 8192 };
	struct kmalloc_params p;
	struct kmalloc_class c[32];
	int n;

	kmalloc_params__default(&p, 4096);
	n = kmalloc_classes(&p, KMALLOC_T_NORMAL, c, 32);
	CHECK_INT(n, ==, 13);	/* 13 classes per type on x86 (§1.2) */
	for (int i = 0; i < n && i < 13; i++) {
		CHECK_INT(c[i].size, ==, want[i]);
		CHECK_INT(c[i].req_max, ==, want[i]);
		CHECK_INT(c[i].req_min, ==, i ? want[i - 1] + 1 : 1);
	}
	CHECK_STR(c[4].name, "kmalloc-96");
	CHECK_INT(c[4].req_min, ==, 65);	/* 65..96 */
	CHECK_STR(c[9].name, "kmalloc-1k");
	n = kmalloc_classes(&p, KMALLOC_T_DMA, c, 32);
	CHECK_INT(n, ==, 13);
	CHECK_STR(c[12].name, "dma-kmalloc-8k");
	CHECK_STR(c[6].name, "dma-kmalloc-192");
	n = kmalloc_classes(&p, KMALLOC_T_RECLAIM, c, 32);
	CHECK_STR(c[6].name, "kmalloc-rcl-192");
	/* Large: orders 2..10, 16 KiB .. 4 MiB. */
	n = kmalloc_classes(&p, KMALLOC_T_LARGE, c, 32);
	CHECK_INT(n, ==, 9);
	CHECK_INT(c[0].size, ==, 16384);
	CHECK_INT(c[0].req_min, ==, 8193);
	CHECK_INT(c[0].order, ==, 2);
	CHECK_INT(c[8].size, ==, 4 * MiB);
	CHECK_STR(c[8].name, "kmalloc-large-4M");
	/* Too small an array. */
	CHECK_INT(kmalloc_classes(&p, KMALLOC_T_NORMAL, c, 12), ==, -ENOSPC);
	CHECK_INT(kmalloc_classes(&p, KMALLOC_T_MAX, c, 32), ==, -EINVAL);
	/* nokmem: there are no kmalloc-cg classes at all. */
	p.has_cg = false;
	CHECK_INT(kmalloc_classes(&p, KMALLOC_T_CGROUP, c, 32), ==, 0);
	/* arm64 min 64: 64, 128, 192, 256 .. 8k. */
	p.min_size = 64;
	n = kmalloc_classes(&p, KMALLOC_T_NORMAL, c, 32);
	CHECK_INT(n, ==, 9);
	CHECK_INT(c[0].size, ==, 64);
	CHECK_INT(c[0].req_min, ==, 1);
	CHECK_INT(c[1].size, ==, 128);
	CHECK_INT(c[1].req_min, ==, 65);	/* takes 96's requests */
	CHECK_INT(c[2].size, ==, 192);
	/* Random copies are flagged in the list too. */
	kmalloc_params__default(&p, 4096);
	p.has_random = true;
	CHECK_INT(kmalloc_classes(&p, KMALLOC_T_NORMAL, c, 32), ==, 13);
	CHECK(c[0].copy_unknown);
	CHECK_INT(kmalloc_classes(&p, KMALLOC_T_CGROUP, c, 32), ==, 13);
	CHECK(!c[0].copy_unknown);
}

/* kmalloc_info[] names, and kmscope's names for large kmallocs. */
TEST(cache_names)
{
	char buf[32];

	CHECK_INT(kmalloc_cache_name(KMALLOC_T_NORMAL, 96, buf, sizeof(buf)), ==, 0);
	CHECK_STR(buf, "kmalloc-96");
	kmalloc_cache_name(KMALLOC_T_CGROUP, 1024, buf, sizeof(buf));
	CHECK_STR(buf, "kmalloc-cg-1k");
	kmalloc_cache_name(KMALLOC_T_DMA, 8192, buf, sizeof(buf));
	CHECK_STR(buf, "dma-kmalloc-8k");
	kmalloc_cache_name(KMALLOC_T_RECLAIM, 192, buf, sizeof(buf));
	CHECK_STR(buf, "kmalloc-rcl-192");
	kmalloc_cache_name(KMALLOC_T_NORMAL, 131072, buf, sizeof(buf));
	CHECK_STR(buf, "kmalloc-128k");		/* 64K pages */
	kmalloc_cache_name(KMALLOC_T_LARGE, 12288, buf, sizeof(buf));
	CHECK_STR(buf, "kmalloc-large-12k");	/* what collect.c names odd sizes */
	kmalloc_cache_name(KMALLOC_T_LARGE, 2 * MiB, buf, sizeof(buf));
	CHECK_STR(buf, "kmalloc-large-2M");	/* kmalloc_info[]'s "2M" style */
	/* "kmalloc-96" needs 11 bytes. */
	CHECK_INT(kmalloc_cache_name(KMALLOC_T_NORMAL, 96, buf, 10), ==, -ENOSPC);
	CHECK_INT(kmalloc_cache_name(KMALLOC_T_NORMAL, 96, buf, 11), ==, 0);
	CHECK_INT(kmalloc_cache_name(KMALLOC_T_MAX, 96, buf, sizeof(buf)), ==, -EINVAL);
}

/* kmem_buckets_create(): "<name>-<short size>" (6.11+). */
TEST(bucket_names)
{
	char buf[32];

	CHECK_INT(kmalloc_bucket_name("msg_msg", 128, buf, sizeof(buf)), ==, 0);
	CHECK_STR(buf, "msg_msg-128");
	CHECK_INT(kmalloc_bucket_name("memdup_user", 1024, buf, sizeof(buf)), ==, 0);
	CHECK_STR(buf, "memdup_user-1k");
	kmalloc_bucket_name("memdup_user", 96, buf, sizeof(buf));
	CHECK_STR(buf, "memdup_user-96");
	kmalloc_bucket_name("msg_msg", 32768, buf, sizeof(buf));
	CHECK_STR(buf, "msg_msg-32k");		/* 16K pages */
	/* Not a kmalloc size, or no base. */
	CHECK_INT(kmalloc_bucket_name("msg_msg", 100, buf, sizeof(buf)), ==, -EINVAL);
	CHECK_INT(kmalloc_bucket_name("", 128, buf, sizeof(buf)), ==, -EINVAL);
	/* "msg_msg-128" needs 12 bytes. */
	CHECK_INT(kmalloc_bucket_name("msg_msg", 128, buf, 11), ==, -ENOSPC);
	CHECK_INT(kmalloc_bucket_name("msg_msg", 128, buf, 12), ==, 0);
}

static bool has_bucket(const struct kmalloc_params *p, const char *base)
{
	for (unsigned int i = 0; i < p->nr_buckets; i++)
		if (!strcmp(p->buckets[i], base))
			return true;
	return false;
}

/* Reads the `cache NAME ...` and `alias NAME ...` lines of a slabsnap file. */
static int read_slabsnap(const char *path, struct names *nl)
{
	char line[2048], kind[16], name[48];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	nl->n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%15s %47s", kind, name) != 2)
			continue;
		if (strcmp(kind, "cache") && strcmp(kind, "alias"))
			continue;
		add_name(nl, name, "");
	}
	fclose(f);
	return 0;
}

/* The parameters of this machine (6.18.44, x86-64) from its name list. */
TEST(from_fixture)
{
	static struct names nl;
	struct kmalloc_params p;

	if (read_slabsnap(FIXTURE, &nl)) {
		T_FAIL("cannot read %s: the fixture is part of the tree", FIXTURE);
		return;
	}
	CHECK(nl.n > 300);	/* the fixture has some 430 entries */
	CHECK_INT(kmalloc_params__from_caches(&p, 4096, nl.v, nl.n), ==, 0);
	CHECK_INT(p.page_size, ==, 4096);
	CHECK_INT(p.min_size, ==, 8);			/* kmalloc-8 exists */
	CHECK_INT(kmalloc_max_cache_size(&p), ==, 8192);	/* kmalloc-8k */
	CHECK(p.has_96 && p.has_192);
	CHECK(p.has_cg && p.has_rcl && p.has_dma);	/* MEMCG, !SLUB_TINY, ZONE_DMA */
	CHECK(!p.has_random);				/* RANDOM_KMALLOC_CACHES not set */
	/* SLAB_BUCKETS=y: msg_msg-* and memdup_user-*; sgpool-8..128 and
	 * erofs_pcluster-* are not bucket sets (no -96, -8k, ...). */
	CHECK_INT(p.nr_buckets, ==, 2);
	CHECK(has_bucket(&p, "msg_msg"));
	CHECK(has_bucket(&p, "memdup_user"));
	CHECK(!p.buckets_truncated);
	CHECK_CLASS(&p, 150, 0x400cd0, 192, "kmalloc-rcl-192");	/* __d_alloc, live */
	CHECK_CLASS(&p, 100, 0x400cc0, 128, "kmalloc-cg-128");
}

/*
 * An arm64-like list (6.12, 64-byte DMA line): no kmalloc-8/16/32/96,
 * random copies and one bucket set, all told by the names.
 */
TEST(from_arm64_like)
{
	static struct names nl;
	struct kmalloc_params p;

	nl.n = 0;
	add_all(&nl, "kmalloc-", arm64_64_sizes);
	add_all(&nl, "kmalloc-cg-", arm64_64_sizes);
	add_all(&nl, "kmalloc-rcl-", arm64_64_sizes);
	add_all(&nl, "dma-kmalloc-", arm64_64_sizes);
	add_all(&nl, "kmalloc-rnd-07-", arm64_64_sizes);
	add_all(&nl, "memdup_user-", arm64_64_sizes);	/* buckets follow the aliasing */
	add_all(&nl, "sgpool-", (const char *const[]){ "8", "16", "32", "64", "128", NULL });
	add_name(&nl, "kmalloc_buckets", "");
	add_name(&nl, "kmalloc-no-objext-", "64");	/* 6.12.y stable, ignored */
	CHECK_INT(kmalloc_params__from_caches(&p, 4096, nl.v, nl.n), ==, 0);
	CHECK_INT(p.min_size, ==, 64);
	CHECK(!p.has_96 && p.has_192);
	CHECK(p.has_random);
	CHECK_INT(p.nr_buckets, ==, 1);
	CHECK_STR(p.buckets[0], "memdup_user");
	CHECK_CLASS(&p, 24, GFP_KERNEL, 64, "kmalloc-64");
	CHECK_CLASS(&p, 80, 0x400cc0, 128, "kmalloc-cg-128");
	/* 16K-page arm64 list. */
	CHECK_INT(params_for(&p, 16384, p16k_sizes, true, true, false), ==, 0);
	CHECK_INT(p.max_cache_size, ==, 32768);
	CHECK(!p.has_dma);
}

/* Lists the model cannot use: p falls back to the defaults. */
TEST(from_caches_errors)
{
	static struct names nl;
	static const char *const gap[] = {
		"8", "16", "32", "64", "96", "128", "192", "256", "1k", "2k", "4k", "8k", NULL,
	};
	struct kmalloc_params p;

	/* No names at all. */
	CHECK_INT(kmalloc_params__from_caches(&p, 4096, NULL, 0), ==, -EINVAL);
	CHECK_INT(p.min_size, ==, 8);
	CHECK(p.has_cg && p.has_rcl && p.has_dma);
	CHECK_INT(kmalloc_max_cache_size(&p), ==, 8192);
	/* A 4K-page list read with 16 KiB pages: largest class is not 2 pages. */
	CHECK_INT(params_for(&p, 16384, x86_sizes, true, true, true), ==, -EINVAL);
	CHECK_INT(kmalloc_max_cache_size(&p), ==, 32768);	/* defaults for 16K */
	/* kmalloc-512 missing: an incomplete list. */
	CHECK_INT(params_for(&p, 4096, gap, true, true, true), ==, -EINVAL);
	/* Not a page size. */
	CHECK_INT(params_for(&p, 3000, x86_sizes, true, true, true), ==, -EINVAL);
	/* Names that only look like classes are not classes. */
	nl.n = 0;
	add_name(&nl, "kmalloc-1024", "");	/* the kernel says kmalloc-1k */
	add_name(&nl, "kmalloc-100", "");
	add_name(&nl, "kmalloc-8k-x", "");
	CHECK_INT(kmalloc_params__from_caches(&p, 4096, nl.v, nl.n), ==, -EINVAL);
}

int main(void)
{
	t_suite = "sizeclass";
	RUN(x86_every_size);
	RUN(x86_boundaries);
	RUN(x86_large);
	RUN(types_by_gfp);
	RUN(missing_types);
	RUN(arm64_min64);
	RUN(min128);
	RUN(pages_16k);
	RUN(pages_64k);
	RUN(random_caches);
	RUN(size_roundup);
	RUN(smaller_fit);
	RUN(class_lists);
	RUN(cache_names);
	RUN(bucket_names);
	RUN(from_fixture);
	RUN(from_arm64_like);
	RUN(from_caches_errors);
	return test_done();
}
