// SPDX-License-Identifier: GPL-2.0
/*
 * test_collect.c - unit tests for src/collect.c fed hand-built struct
 * kms_event sequences: exact totals per call site and per cache after
 * allocations and frees, every matching rule of collect.h (frees of
 * untraced pointers, pointers allocated twice, failed allocations, the
 * 6.11+ double large kmalloc), cache names from the size-class model and
 * from CACHE_INFO, task names, the --max-tracked bound, per-cgroup totals
 * (with what is accounted to the memory cgroup, a task that moves, the
 * interrupt row, the cgroups beyond an entry's reach), and what
 * collector__event() reports in struct kms_resolved.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_table.h"
#include "collect.h"
#include "test.h"

#define T0		1000000000ull		/* trace start, 1 s */
#define SITE_A		0xffffffff81100010ull
#define SITE_B		0xffffffff81200020ull
#define SITE_C		0xffffffff81300030ull
#define P1		0xffff888001000000ull
#define P2		0xffff888001000080ull
#define P3		0xffff888001000100ull
#define P4		0xffff888001000180ull
#define PL		0xffff888004000000ull	/* a large (page) allocation */
#define K1		0xffffffff82000040ull	/* cache ids: name addresses */
#define K2		0xffffffff82000080ull
#define K3		0xffffffff820000c0ull

#define GFP_KERNEL	0xcc0u

static uint64_t now = T0;

static struct collector *new_coll(size_t max_tracked)
{
	struct collector_opts o = { .t0_ns = T0, .max_tracked = max_tracked };

	kmalloc_params__default(&o.kp, 4096);
	return collector__new(&o);
}

static struct kms_event kmalloc_ev(uint32_t tid, uint64_t ptr, uint64_t site,
				   uint32_t req, uint32_t alloc, uint32_t gfp)
{
	struct kms_event ev = {
		.type = KMS_EV_KMALLOC, .cpu = 1, .tid = tid, .tgid = tid,
		.ts = now += 1000, .ptr = ptr, .call_site = site,
		.bytes_req = req, .bytes_alloc = alloc, .gfp = gfp,
	};

	return ev;
}

static struct kms_event kfree_ev(uint32_t tid, uint64_t ptr)
{
	struct kms_event ev = {
		.type = KMS_EV_KFREE, .cpu = 1, .tid = tid, .ts = now += 1000,
		.ptr = ptr,
	};

	return ev;
}

static struct kms_event cache_alloc_ev(uint32_t tid, uint64_t ptr,
				       uint64_t site, uint64_t cache)
{
	struct kms_event ev = {
		.type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
		.cpu = 2, .tid = tid, .tgid = tid, .ts = now += 1000,
		.ptr = ptr, .call_site = site, .cache = cache,
		.gfp = GFP_KERNEL,
	};

	return ev;
}

/* cache 0: a kmem_cache_free that did not say which cache. */
static struct kms_event cache_free_ev(uint32_t tid, uint64_t ptr,
				      uint64_t cache)
{
	struct kms_event ev = {
		.type = KMS_EV_CACHE_FREE, .flags = cache ? KMS_EVF_HAS_CACHE : 0,
		.cpu = 2, .tid = tid, .ts = now += 1000, .ptr = ptr,
		.cache = cache,
	};

	return ev;
}

/* The name need not be terminated: name_len says how much is the name. */
static struct kms_event cache_info_ev(uint64_t cache, const char *name,
				      size_t name_len, uint32_t object_size,
				      uint32_t size)
{
	struct kms_event ev = {
		.type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE,
		.cache = cache, .object_size = object_size, .size = size,
		.name = name, .name_len = name_len,
	};

	return ev;
}

static struct kms_event task_ev(uint32_t tid, uint32_t tgid, const char *comm,
				size_t len)
{
	struct kms_event ev = {
		.type = KMS_EV_TASK, .tid = tid, .tgid = tgid, .name = comm,
		.name_len = len,
	};

	return ev;
}

static struct kms_event task_cg_ev(uint32_t tid, const char *comm, uint64_t cgroup)
{
	struct kms_event ev = task_ev(tid, tid, comm, strlen(comm));

	ev.flags = KMS_EVF_CGROUP;
	ev.cgroup = cgroup;
	return ev;
}

static int feed(struct collector *c, struct kms_event ev,
		struct kms_resolved *res)
{
	return collector__event(c, &ev, res);
}

static const struct kms_site *site_of(const struct collector *c, uint64_t addr)
{
	for (size_t i = 0; i < collector__nr_sites(c); i++)
		if (collector__site(c, i)->call_site == addr)
			return collector__site(c, i);
	return NULL;
}

static const struct kms_cache *cache_named(const struct collector *c,
					   const char *name)
{
	for (size_t i = 0; i < collector__nr_caches(c); i++)
		if (!strcmp(collector__cache(c, i)->name, name))
			return collector__cache(c, i);
	return NULL;
}

static const struct kms_totals zero_totals;

/* Totals of a row that must exist; all zero (and a failure) when not. */
static const struct kms_totals *site_t(const struct collector *c, uint64_t a)
{
	const struct kms_site *s = site_of(c, a);

	if (!s)
		T_FAIL("no site %#llx", (unsigned long long)a);
	return s ? &s->t : &zero_totals;
}

static const struct kms_totals *cache_t(const struct collector *c,
					const char *name)
{
	const struct kms_cache *k = cache_named(c, name);

	if (!k)
		T_FAIL("no cache \"%s\"", name);
	return k ? &k->t : &zero_totals;
}

/*
 * The totals of every cache row with this name, summed as the report
 * merges them (a cache whose info came late has two rows, see collect.c).
 */
static struct kms_totals merged;

static const struct kms_totals *cache_sum(const struct collector *c, const char *name)
{
	size_t i;

	memset(&merged, 0, sizeof(merged));
	for (i = 0; i < collector__nr_caches(c); i++) {
		const struct kms_cache *k = collector__cache(c, i);

		if (strcmp(k->name, name))
			continue;
		merged.allocs += k->t.allocs;
		merged.frees += k->t.frees;
		merged.failed += k->t.failed;
		merged.bytes_req += k->t.bytes_req;
		merged.bytes_alloc += k->t.bytes_alloc;
		merged.live += k->t.live;
		merged.live_req += k->t.live_req;
		merged.live_alloc += k->t.live_alloc;
	}
	return &merged;
}

/* Every field of a kms_totals, in declaration order. */
#define CHECK_TOTALS(tp, allocs_, frees_, failed_, req_, alloc_, live_,      \
		     live_req_, live_alloc_)                                 \
	do {                                                                 \
		const struct kms_totals *_t = (tp);                          \
		CHECK_U64(_t->allocs, allocs_);                              \
		CHECK_U64(_t->frees, frees_);                                \
		CHECK_U64(_t->failed, failed_);                              \
		CHECK_U64(_t->bytes_req, req_);                              \
		CHECK_U64(_t->bytes_alloc, alloc_);                          \
		CHECK_U64(_t->live, live_);                                  \
		CHECK_U64(_t->live_req, live_req_);                          \
		CHECK_U64(_t->live_alloc, live_alloc_);                      \
	} while (0)

/* The counters of collect.h that are not per-type event counts. */
#define CHECK_COUNTS(c, unmatched, realloc_, collapsed, unknown, full)       \
	do {                                                                 \
		const struct kms_collect_counts *_k = collector__counts(c);  \
		CHECK_U64(_k->unmatched_frees, unmatched);                   \
		CHECK_U64(_k->realloc_without_free, realloc_);               \
		CHECK_U64(_k->large_collapsed, collapsed);                   \
		CHECK_U64(_k->unknown_cache, unknown);                       \
		CHECK_U64(_k->table_full, full);                             \
	} while (0)

TEST(alloc_then_free)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;
	const struct kms_cache *k;

	CHECK(c);
	if (!c)
		return;
	CHECK_INT(feed(c, kmalloc_ev(100, P1, SITE_A, 100, 128, GFP_KERNEL),
		       &res), ==, 0);
	k = cache_named(c, "kmalloc-128");	/* 128 bytes, GFP_KERNEL */
	CHECK(k && res.cache == k);
	CHECK_INT(res.bytes_req, ==, 100);
	CHECK_INT(res.bytes_alloc, ==, 128);
	CHECK(!res.matched);			/* only frees match */
	CHECK(!res.collapsed);
	CHECK_TOTALS(site_t(c, SITE_A), 1, 0, 0, 100, 128, 1, 100, 128);
	CHECK_TOTALS(cache_t(c, "kmalloc-128"), 1, 0, 0, 100, 128, 1, 100, 128);
	CHECK_INT(collector__live(c), ==, 1);

	CHECK_INT(feed(c, kfree_ev(100, P1), &res), ==, 0);
	CHECK(res.matched);
	CHECK(k && res.cache == k);
	CHECK_INT(res.bytes_req, ==, 100);	/* from the allocation */
	CHECK_INT(res.bytes_alloc, ==, 128);
	CHECK(!res.collapsed);
	/* Cumulative bytes stay; the live part is gone. */
	CHECK_TOTALS(site_t(c, SITE_A), 1, 1, 0, 100, 128, 0, 0, 0);
	CHECK_TOTALS(cache_t(c, "kmalloc-128"), 1, 1, 0, 100, 128, 0, 0, 0);
	CHECK_INT(collector__live(c), ==, 0);
	CHECK_U64(collector__counts(c)->events[KMS_EV_KMALLOC], 1);
	CHECK_U64(collector__counts(c)->events[KMS_EV_KFREE], 1);
	CHECK_COUNTS(c, 0, 0, 0, 0, 0);
	CHECK_INT(collector__nr_sites(c), ==, 1);
	CHECK_INT(collector__nr_caches(c), ==, 1);
	/* Past the end: NULL, not a stray row. */
	CHECK(!collector__site(c, 1));
	CHECK(!collector__cache(c, 1));
	CHECK_INT(collector__memory(c), >, 0);
	collector__free(c);
}

TEST(unmatched_free)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(100, P1, SITE_A, 100, 128, GFP_KERNEL), NULL);
	/* P2 was allocated before tracing started. */
	memset(&res, 0x55, sizeof(res));
	CHECK_INT(feed(c, kfree_ev(100, P2), &res), ==, 0);
	CHECK(!res.matched);
	CHECK(!res.cache);			/* nothing known about P2 */
	CHECK_INT(res.bytes_req, ==, 0);
	CHECK_INT(res.bytes_alloc, ==, 0);
	CHECK(!res.collapsed);
	CHECK_COUNTS(c, 1, 0, 0, 0, 0);
	/* And nothing else moved. */
	CHECK_TOTALS(site_t(c, SITE_A), 1, 0, 0, 100, 128, 1, 100, 128);
	CHECK_TOTALS(cache_t(c, "kmalloc-128"), 1, 0, 0, 100, 128, 1, 100, 128);
	CHECK_INT(collector__live(c), ==, 1);
	CHECK_INT(collector__nr_sites(c), ==, 1);
	CHECK_INT(collector__nr_caches(c), ==, 1);
	/* A kmem_cache_free without a cache: the same, one more. */
	CHECK_INT(feed(c, cache_free_ev(100, P3, 0), &res), ==, 0);
	CHECK(!res.cache);
	CHECK_COUNTS(c, 2, 0, 0, 0, 0);
	CHECK_INT(collector__nr_caches(c), ==, 1);
	CHECK_U64(collector__counts(c)->events[KMS_EV_KFREE], 1);
	CHECK_U64(collector__counts(c)->events[KMS_EV_CACHE_FREE], 1);
	/* Freeing P1 twice: the second is unmatched. */
	feed(c, kfree_ev(100, P1), NULL);
	CHECK_INT(feed(c, kfree_ev(100, P1), &res), ==, 0);
	CHECK(!res.matched);
	CHECK_COUNTS(c, 3, 0, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_A), 1, 1, 0, 100, 128, 0, 0, 0);
	collector__free(c);
}

TEST(realloc_without_free)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(100, P1, SITE_A, 100, 128, GFP_KERNEL), NULL);
	/* P1 again, its kfree never seen (lost in the ring buffer). */
	CHECK_INT(feed(c, kmalloc_ev(100, P1, SITE_B, 200, 256, GFP_KERNEL),
		       &res), ==, 0);
	CHECK(!res.collapsed);			/* small: no double event */
	CHECK_INT(res.bytes_req, ==, 200);
	CHECK_INT(res.bytes_alloc, ==, 256);
	CHECK_COUNTS(c, 0, 1, 0, 0, 0);
	CHECK_INT(collector__live(c), ==, 1);	/* one pointer, one entry */
	/* The first allocation happened but is no longer live. */
	CHECK_TOTALS(site_t(c, SITE_A), 1, 0, 0, 100, 128, 0, 0, 0);
	CHECK_TOTALS(cache_t(c, "kmalloc-128"), 1, 0, 0, 100, 128, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 0, 0, 200, 256, 1, 200, 256);
	CHECK_TOTALS(cache_t(c, "kmalloc-256"), 1, 0, 0, 200, 256, 1, 200, 256);
	/* The free goes to the allocation that replaced the first. */
	CHECK_INT(feed(c, kfree_ev(100, P1), &res), ==, 0);
	CHECK(res.matched);
	CHECK_INT(res.bytes_alloc, ==, 256);
	CHECK_TOTALS(site_t(c, SITE_A), 1, 0, 0, 100, 128, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 1, 0, 200, 256, 0, 0, 0);
	CHECK_INT(collector__live(c), ==, 0);
	CHECK_COUNTS(c, 0, 1, 0, 0, 0);
	collector__free(c);
}

TEST(failed_alloc)
{
	struct collector *c = new_coll(0);
	struct kms_event ev = kmalloc_ev(100, 0, SITE_A, 100, 128, GFP_KERNEL);
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	ev.flags = KMS_EVF_FAILED;
	CHECK_INT(feed(c, ev, &res), ==, 0);
	/* Resolved like any allocation, so a trace line can name the cache. */
	CHECK(res.cache && !strcmp(res.cache->name, "kmalloc-128"));
	CHECK_INT(res.bytes_req, ==, 100);
	CHECK_INT(res.bytes_alloc, ==, 128);
	/* Counted as failed only: not an allocation, not live. */
	CHECK_TOTALS(site_t(c, SITE_A), 0, 0, 1, 0, 0, 0, 0, 0);
	CHECK_TOTALS(cache_t(c, "kmalloc-128"), 0, 0, 1, 0, 0, 0, 0, 0);
	CHECK_INT(collector__live(c), ==, 0);
	CHECK_U64(collector__counts(c)->events[KMS_EV_KMALLOC], 1);

	/* A failed kmem_cache_alloc of a known cache, and a real pointer
	 * in a failed event is still not tracked. */
	feed(c, cache_info_ev(K1, "ext4_inode_cache", 16, 1000, 1024), NULL);
	ev = cache_alloc_ev(100, P2, SITE_B, K1);
	ev.flags |= KMS_EVF_FAILED;
	CHECK_INT(feed(c, ev, &res), ==, 0);
	CHECK_TOTALS(cache_t(c, "ext4_inode_cache"), 0, 0, 1, 0, 0, 0, 0, 0);
	CHECK_INT(collector__live(c), ==, 0);
	CHECK_INT(feed(c, kfree_ev(100, P2), &res), ==, 0);
	CHECK(!res.matched);
	CHECK_COUNTS(c, 1, 0, 0, 0, 0);
	collector__free(c);
}

struct model_case {
	uint32_t req, alloc, gfp;
	const char *name;
};

TEST(model_cache_names)
{
	static const struct model_case cases[] = {
		{ 100, 128, 0xcc0, "kmalloc-128" },		/* GFP_KERNEL */
		{ 100, 128, 0x400cc0, "kmalloc-cg-128" },	/* |ACCOUNT */
		/* RECLAIMABLE (0x10) beats ACCOUNT, as in kmalloc_type(). */
		{ 100, 128, 0x400cd0, "kmalloc-rcl-128" },
		{ 100, 128, 0x1, "dma-kmalloc-128" },		/* __GFP_DMA */
		{ 100, 128, 0x400cd1, "dma-kmalloc-128" },	/* DMA beats all */
		{ 96, 96, 0xcc0, "kmalloc-96" },		/* not a power of 2 */
		{ 150, 192, 0xcc0, "kmalloc-192" },
		{ 1000, 1024, 0xcc0, "kmalloc-1k" },		/* k from 1024 */
		{ 1000, 1024, 0x400cc0, "kmalloc-cg-1k" },
		{ 5000, 8192, 0xcc0, "kmalloc-8k" },		/* = 2 pages: slab */
		/* Above 2 * 4096: the page allocator, whatever the gfp. */
		{ 10240, 16384, 0xcc0, "kmalloc-large-16k" },
		{ 10240, 16384, 0x400cc0, "kmalloc-large-16k" },
		{ 9000, 12288, 0xcc0, "kmalloc-large-12k" },
	};
	struct collector *c = new_coll(0);
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct model_case *m = &cases[i];

		/* Each its own tid and pointer: no double-event folding. */
		CHECK_INT(feed(c, kmalloc_ev(200 + i, P1 + 0x10000 * i, SITE_A,
					     m->req, m->alloc, m->gfp),
			       &res), ==, 0);
		if (!res.cache) {
			T_FAIL("case %zu: no cache", i);
			continue;
		}
		if (strcmp(res.cache->name, m->name))
			T_FAIL("case %zu: \"%s\", want \"%s\"", i,
			       res.cache->name, m->name);
		CHECK(res.cache->from_model);
		CHECK_U64(res.cache->kptr, 0);		/* not a kernel cache */
		CHECK_INT(res.cache->size, ==, m->alloc);
		CHECK_INT(res.cache->object_size, ==, m->alloc);
		CHECK_INT(res.bytes_req, ==, m->req);
		CHECK_INT(res.bytes_alloc, ==, m->alloc);
	}
	/* 13 events, 11 names: dma-128 and large-16k each came twice. */
	CHECK_INT(collector__nr_caches(c), ==, 11);
	CHECK_TOTALS(cache_t(c, "kmalloc-large-16k"), 2, 0, 0, 20480, 32768, 2,
		     20480, 32768);
	CHECK_TOTALS(cache_t(c, "dma-kmalloc-128"), 2, 0, 0, 200, 256, 2, 200,
		     256);
	CHECK_TOTALS(cache_t(c, "kmalloc-cg-1k"), 1, 0, 0, 1000, 1024, 1, 1000,
		     1024);
	/* One site, 13 allocations. */
	CHECK_INT(collector__nr_sites(c), ==, 1);
	CHECK_U64(site_t(c, SITE_A)->allocs, 13);
	collector__free(c);
}

/* kmem_cache_alloc with the bytes inline (5.15): no cache, a size row. */
TEST(cache_alloc_without_cache)
{
	struct collector *c = new_coll(0);
	struct kms_event ev = cache_alloc_ev(100, P1, SITE_A, 0);
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	ev.flags = 0;
	ev.bytes_req = 192;
	ev.bytes_alloc = 256;
	CHECK_INT(feed(c, ev, &res), ==, 0);
	CHECK(res.cache && !strcmp(res.cache->name, "cache-size-256"));
	CHECK(res.cache && res.cache->from_model);
	CHECK_INT(res.bytes_req, ==, 192);
	CHECK_INT(res.bytes_alloc, ==, 256);
	CHECK_TOTALS(cache_t(c, "cache-size-256"), 1, 0, 0, 192, 256, 1, 192,
		     256);
	/* A kmalloc of the same size is a different cache (kmalloc-256). */
	feed(c, kmalloc_ev(100, P2, SITE_A, 200, 256, GFP_KERNEL), NULL);
	CHECK_INT(collector__nr_caches(c), ==, 2);
	CHECK_COUNTS(c, 0, 0, 0, 0, 0);
	collector__free(c);
}

TEST(cache_info_then_alloc)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;
	const struct kms_cache *k;

	CHECK(c);
	if (!c)
		return;
	/* name_len 12 of a longer buffer: only "radix_tree_n" is the name. */
	CHECK_INT(feed(c, cache_info_ev(K1, "radix_tree_nodeXYZ", 12, 576, 584),
		       &res), ==, 0);
	CHECK_INT(collector__nr_caches(c), ==, 1);
	k = cache_named(c, "radix_tree_n");
	CHECK(k);
	CHECK_U64(collector__counts(c)->events[KMS_EV_CACHE_INFO], 1);
	CHECK_INT(feed(c, cache_alloc_ev(300, P1, SITE_C, K1), &res), ==, 0);
	CHECK(k && res.cache == k);
	CHECK_INT(res.bytes_req, ==, 576);	/* object_size */
	CHECK_INT(res.bytes_alloc, ==, 584);	/* size, with metadata */
	if (k) {
		CHECK_U64(k->kptr, K1);
		CHECK(!k->from_model);
		CHECK_INT(k->object_size, ==, 576);
		CHECK_INT(k->size, ==, 584);
	}
	CHECK_TOTALS(cache_t(c, "radix_tree_n"), 1, 0, 0, 576, 584, 1, 576, 584);
	CHECK_TOTALS(site_t(c, SITE_C), 1, 0, 0, 576, 584, 1, 576, 584);
	/* The free names the same cache id. */
	CHECK_INT(feed(c, cache_free_ev(300, P1, K1), &res), ==, 0);
	CHECK(res.matched);
	CHECK(k && res.cache == k);
	CHECK_INT(res.bytes_alloc, ==, 584);
	CHECK_TOTALS(cache_t(c, "radix_tree_n"), 1, 1, 0, 576, 584, 0, 0, 0);
	CHECK_U64(k ? k->frees_pretrace : 1, 0);
	CHECK_COUNTS(c, 0, 0, 0, 0, 0);

	/* The same info again (the BPF side evicted its slot): no new row. */
	feed(c, cache_info_ev(K1, "radix_tree_node", 15, 576, 584), NULL);
	CHECK_INT(collector__nr_caches(c), ==, 1);
	CHECK(cache_named(c, "radix_tree_node"));

	/* An unterminated 48-byte name: cut to fit name[48] with its NUL. */
	feed(c, cache_info_ev(K2, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
			      48, 8, 8), NULL);
	k = collector__cache(c, 1);
	CHECK(k && strlen(k->name) == 47);	/* sizeof(name) - 1 */
	CHECK(k && !strcmp(k->name,
			   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"));
	collector__free(c);
}

TEST(unknown_cache)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	/* K2's CACHE_INFO was lost (KMS_CNT_INFO_LOST). */
	CHECK_INT(feed(c, cache_alloc_ev(300, P1, SITE_C, K2), &res), ==, 0);
	CHECK_COUNTS(c, 0, 0, 0, 1, 0);
	CHECK(res.cache && !strcmp(res.cache->name, "cache@ffffffff82000080"));
	CHECK(res.cache && !res.cache->from_model && res.cache->kptr == K2);
	/* Sizes unknown: 0 bytes, but the allocation and its life count. */
	CHECK_INT(res.bytes_req, ==, 0);
	CHECK_INT(res.bytes_alloc, ==, 0);
	CHECK_TOTALS(cache_t(c, "cache@ffffffff82000080"), 1, 0, 0, 0, 0, 1, 0,
		     0);
	/* Counted once per cache, not per event. */
	feed(c, cache_alloc_ev(300, P2, SITE_C, K2), NULL);
	CHECK_COUNTS(c, 0, 0, 0, 1, 0);
	CHECK_INT(collector__nr_caches(c), ==, 1);
	CHECK_TOTALS(cache_t(c, "cache@ffffffff82000080"), 2, 0, 0, 0, 0, 2, 0,
		     0);
	feed(c, kfree_ev(300, P1), &res);
	CHECK(res.matched);
	CHECK_TOTALS(cache_t(c, "cache@ffffffff82000080"), 2, 1, 0, 0, 0, 1, 0,
		     0);
	collector__free(c);
}

/*
 * The info record of a cache arrives after allocations that named it:
 * the BPF side sends it again on a later event when the first one was
 * lost to a full ring.  Those allocations were counted with 0 bytes;
 * freeing them must take 0 bytes off the live totals, not the size
 * learnt since, or live_alloc wraps below zero.
 */
TEST(late_cache_info)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	feed(c, cache_alloc_ev(300, P1, SITE_C, K2), NULL);
	feed(c, cache_alloc_ev(300, P2, SITE_C, K2), NULL);
	feed(c, cache_info_ev(K2, "late", 4, 48, 64), NULL);
	/*
	 * P1 and P2 were accounted at size 0 on a placeholder row: it takes
	 * the name, and the cache as now known gets a second row, so their
	 * frees subtract what their allocations added.
	 */
	CHECK_INT(collector__nr_caches(c), ==, 2);
	CHECK(cache_named(c, "late"));
	CHECK(!cache_named(c, "cache@ffffffff82000080"));
	/* Allocated after the info: 48/64 bytes. */
	feed(c, cache_alloc_ev(300, P3, SITE_C, K2), &res);
	CHECK_INT(res.bytes_alloc, ==, 64);
	/* allocs 3: 0 + 0 + 48 requested, 0 + 0 + 64 allocated. */
	CHECK_TOTALS(cache_sum(c, "late"), 3, 0, 0, 48, 64, 3, 48, 64);
	feed(c, kfree_ev(300, P1), NULL);
	feed(c, kfree_ev(300, P2), NULL);
	/* Only P3 is live: 48 and 64 bytes of it. */
	CHECK_TOTALS(cache_sum(c, "late"), 3, 2, 0, 48, 64, 1, 48, 64);
	CHECK_TOTALS(site_t(c, SITE_C), 3, 2, 0, 48, 64, 1, 48, 64);
	feed(c, kfree_ev(300, P3), NULL);
	CHECK_TOTALS(cache_sum(c, "late"), 3, 3, 0, 48, 64, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_C), 3, 3, 0, 48, 64, 0, 0, 0);
	collector__free(c);
}

TEST(frees_pretrace)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;
	const struct kms_cache *k;

	CHECK(c);
	if (!c)
		return;
	feed(c, cache_info_ev(K3, "filp", 4, 256, 256), NULL);
	/* P4 came from filp before the trace began. */
	CHECK_INT(feed(c, cache_free_ev(400, P4, K3), &res), ==, 0);
	k = cache_named(c, "filp");
	CHECK(k && k->frees_pretrace == 1);
	CHECK(k && res.cache == k);		/* named, though unmatched */
	CHECK(!res.matched);
	CHECK_COUNTS(c, 1, 0, 0, 0, 0);
	/* Not a traced free: the totals stay zero. */
	CHECK_TOTALS(cache_t(c, "filp"), 0, 0, 0, 0, 0, 0, 0, 0);
	/* A never-announced cache gets a row to hold its pretrace free. */
	CHECK_INT(feed(c, cache_free_ev(400, P3, K1), &res), ==, 0);
	CHECK_COUNTS(c, 2, 0, 0, 1, 0);
	k = cache_named(c, "cache@ffffffff82000040");
	CHECK(k && k->frees_pretrace == 1);
	/* A kfree of an untraced pointer names no cache: no pretrace. */
	feed(c, kfree_ev(400, P2), NULL);
	k = cache_named(c, "filp");
	CHECK(k && k->frees_pretrace == 1);
	CHECK_INT(collector__nr_caches(c), ==, 2);
	CHECK_COUNTS(c, 3, 0, 0, 1, 0);
	collector__free(c);
}

/*
 * A resolved event's cache is a row of the collector, and the rows move
 * when rows are added: check's refree kept those addresses and lost or
 * misattributed its counts once they moved (a flaky live-vs-replay
 * identity).  The row's index, taken at the event, still names it after
 * a thousand more caches.
 */
TEST(cache_index_survives_growth)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;
	char names[1000][16];
	int64_t idx;
	size_t i;

	CHECK(c);
	if (!c)
		return;
	feed(c, cache_info_ev(K3, "filp", 4, 256, 256), NULL);
	CHECK_INT(feed(c, cache_free_ev(400, P4, K3), &res), ==, 0);
	idx = collector__cache_index(c, res.cache);
	CHECK_INT(idx, ==, 0);
	CHECK_INT(collector__cache_index(c, NULL), ==, -1);
	for (i = 0; i < 1000; i++) {
		snprintf(names[i], sizeof(names[i]), "cache-%zu", i);
		feed(c, cache_info_ev(K3 + 0x1000 * (i + 1), names[i], strlen(names[i]), 64, 64),
		     NULL);
		feed(c, cache_free_ev(400, P4 + 0x40 * (i + 1), K3 + 0x1000 * (i + 1)), NULL);
	}
	CHECK_INT(collector__nr_caches(c), ==, 1001);
	CHECK_STR(collector__cache(c, idx)->name, "filp");
	CHECK_INT(collector__cache_index(c, collector__cache(c, 1000)), ==, 1000);
	collector__free(c);
}

TEST(task_names)
{
	struct collector *c = new_coll(0);

	CHECK(c);
	if (!c)
		return;
	CHECK(!collector__comm(c, 1234));	/* never announced */
	CHECK(!collector__comm(c, 0));
	CHECK_INT(feed(c, task_ev(1234, 1200, "bash", 4), NULL), ==, 0);
	CHECK_STR(collector__comm(c, 1234), "bash");
	CHECK(!collector__comm(c, 1200));	/* the tgid is not a key */
	/* Only name_len bytes: "kworker/u8:2" of a longer buffer. */
	feed(c, task_ev(77, 77, "kworker/u8:2+events", 12), NULL);
	CHECK_STR(collector__comm(c, 77), "kworker/u8:2");
	/* A new comm after exec replaces the old. */
	feed(c, task_ev(1234, 1200, "sh", 2), NULL);
	CHECK_STR(collector__comm(c, 1234), "sh");
	/* 16 bytes without NUL: the last is dropped for the terminator. */
	feed(c, task_ev(55, 55, "0123456789abcdefXX", 16), NULL);
	CHECK_STR(collector__comm(c, 55), "0123456789abcde");
	/* tid 0 (the idle task) is a valid tid, not an empty key. */
	feed(c, task_ev(0, 0, "swapper/0", 9), NULL);
	CHECK_STR(collector__comm(c, 0), "swapper/0");
	CHECK_STR(collector__comm(c, 1234), "sh");
	CHECK_U64(collector__counts(c)->events[KMS_EV_TASK], 5);
	/* Task records are not allocations. */
	CHECK_INT(collector__nr_sites(c), ==, 0);
	CHECK_INT(collector__live(c), ==, 0);
	collector__free(c);
}

/*
 * 6.11+: a large kmalloc is traced twice, first from inside the
 * allocator (site A), then for the caller (site B): same task, pointer,
 * sizes and gfp.  It is one allocation, the caller's.
 */
TEST(double_large_kmalloc)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	CHECK_INT(feed(c, kmalloc_ev(77, PL, SITE_A, 10240, 16384, GFP_KERNEL),
		       &res), ==, 0);
	CHECK(!res.collapsed);			/* the first half */
	CHECK_INT(feed(c, kmalloc_ev(77, PL, SITE_B, 10240, 16384, GFP_KERNEL),
		       &res), ==, 0);
	CHECK(res.collapsed);
	CHECK(res.cache && !strcmp(res.cache->name, "kmalloc-large-16k"));
	CHECK_INT(res.bytes_req, ==, 10240);
	CHECK_INT(res.bytes_alloc, ==, 16384);
	CHECK_COUNTS(c, 0, 0, 1, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_A), 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 0, 0, 10240, 16384, 1, 10240, 16384);
	CHECK_TOTALS(cache_t(c, "kmalloc-large-16k"), 1, 0, 0, 10240, 16384, 1,
		     10240, 16384);
	CHECK_INT(collector__live(c), ==, 1);
	/* Both events were received: the count says so. */
	CHECK_U64(collector__counts(c)->events[KMS_EV_KMALLOC], 2);

	CHECK_INT(feed(c, kfree_ev(77, PL), &res), ==, 0);
	CHECK(res.matched);
	CHECK_INT(res.bytes_alloc, ==, 16384);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 1, 0, 10240, 16384, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_A), 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK_TOTALS(cache_t(c, "kmalloc-large-16k"), 1, 1, 0, 10240, 16384, 0,
		     0, 0);

	/* The page comes back for the same task: folded again. */
	feed(c, kmalloc_ev(77, PL, SITE_A, 10240, 16384, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(77, PL, SITE_B, 10240, 16384, GFP_KERNEL), &res);
	CHECK(res.collapsed);
	CHECK_COUNTS(c, 0, 0, 2, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_B), 2, 1, 0, 20480, 32768, 1, 10240, 16384);
	CHECK_TOTALS(site_t(c, SITE_A), 0, 0, 0, 0, 0, 0, 0, 0);
	/* The page-allocator counts move with it: the caller's, order 2. */
	{
		const struct kms_site *a = site_of(c, SITE_A), *b = site_of(c, SITE_B);

		CHECK(a && b);
		if (a && b) {
			CHECK_U64(a->large_allocs, 0);
			CHECK_U64(a->large_bytes, 0);
			CHECK_U64(b->large_allocs, 2);
			CHECK_U64(b->large_req, 20480);
			CHECK_U64(b->large_bytes, 32768);
			CHECK_U64(b->large_orders, 1u << 2);
		}
	}
	collector__free(c);
}

/* Two tasks' double events interleaved in the ring (two CPUs). */
TEST(double_large_interleaved)
{
	struct collector *c = new_coll(0);

	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(5, PL, SITE_A, 10240, 16384, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(6, PL + 0x10000, SITE_A, 9000, 12288, GFP_KERNEL),
	     NULL);
	feed(c, kmalloc_ev(5, PL, SITE_B, 10240, 16384, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(6, PL + 0x10000, SITE_C, 9000, 12288, GFP_KERNEL),
	     NULL);
	CHECK_COUNTS(c, 0, 0, 2, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_A), 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 0, 0, 10240, 16384, 1, 10240, 16384);
	CHECK_TOTALS(site_t(c, SITE_C), 1, 0, 0, 9000, 12288, 1, 9000, 12288);
	CHECK_INT(collector__live(c), ==, 2);
	collector__free(c);
}

/*
 * The same with tids 5 and 69, which are equal modulo 64: the collector's
 * per-tid memory of the last large kmalloc must still tell them apart
 * (collect.h promises the fold without conditions).
 */
TEST(double_large_interleaved_tid_mod_64)
{
	struct collector *c = new_coll(0);

	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(5, PL, SITE_A, 10240, 16384, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(69, PL + 0x10000, SITE_A, 9000, 12288, GFP_KERNEL),
	     NULL);
	feed(c, kmalloc_ev(5, PL, SITE_B, 10240, 16384, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(69, PL + 0x10000, SITE_C, 9000, 12288, GFP_KERNEL),
	     NULL);
	/* Two folds, nothing lost: the same as with tids 5 and 6. */
	CHECK_COUNTS(c, 0, 0, 2, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_A), 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 0, 0, 10240, 16384, 1, 10240, 16384);
	CHECK_TOTALS(site_t(c, SITE_C), 1, 0, 0, 9000, 12288, 1, 9000, 12288);
	collector__free(c);
}

TEST(large_not_collapsed)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	/* Different tids: two tasks cannot be one kmalloc. */
	feed(c, kmalloc_ev(77, PL, SITE_A, 10240, 16384, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(78, PL, SITE_B, 10240, 16384, GFP_KERNEL), &res);
	CHECK(!res.collapsed);
	CHECK_COUNTS(c, 0, 1, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_A), 1, 0, 0, 10240, 16384, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 0, 0, 10240, 16384, 1, 10240, 16384);
	CHECK_TOTALS(cache_t(c, "kmalloc-large-16k"), 2, 0, 0, 20480, 32768, 1,
		     10240, 16384);
	collector__free(c);

	/* Same tid, different bytes_req: not the same call. */
	c = new_coll(0);
	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(77, PL, SITE_A, 10240, 16384, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(77, PL, SITE_B, 12000, 16384, GFP_KERNEL), &res);
	CHECK(!res.collapsed);
	CHECK_COUNTS(c, 0, 1, 0, 0, 0);
	collector__free(c);

	/* Same tid, different gfp. */
	c = new_coll(0);
	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(77, PL, SITE_A, 10240, 16384, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(77, PL, SITE_B, 10240, 16384, 0x400cc0), &res);
	CHECK(!res.collapsed);
	CHECK_COUNTS(c, 0, 1, 0, 0, 0);
	collector__free(c);

	/* Small kmallocs are never double: same tid and sizes, realloc. */
	c = new_coll(0);
	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(77, P1, SITE_A, 100, 128, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(77, P1, SITE_B, 100, 128, GFP_KERNEL), &res);
	CHECK(!res.collapsed);
	CHECK_COUNTS(c, 0, 1, 0, 0, 0);
	collector__free(c);

	/* Before 6.11, one event per call: alloc, free, alloc stay two. */
	c = new_coll(0);
	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(77, PL, SITE_B, 10240, 16384, GFP_KERNEL), NULL);
	feed(c, kfree_ev(77, PL), NULL);
	feed(c, kmalloc_ev(77, PL, SITE_B, 10240, 16384, GFP_KERNEL), &res);
	CHECK(!res.collapsed);
	CHECK_COUNTS(c, 0, 0, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_B), 2, 1, 0, 20480, 32768, 1, 10240, 16384);
	collector__free(c);
}

TEST(max_tracked)
{
	struct collector *c = new_coll(2);
	struct kms_event ev;
	struct kms_resolved res;

	CHECK(c);
	if (!c)
		return;
	CHECK_INT(feed(c, kmalloc_ev(1, P1, SITE_A, 100, 128, GFP_KERNEL), &res),
		  ==, 0);
	CHECK_INT(feed(c, kmalloc_ev(1, P2, SITE_A, 100, 128, GFP_KERNEL), &res),
		  ==, 0);
	/* A failed allocation takes no table entry: not table_full. */
	ev = kmalloc_ev(1, 0, SITE_A, 100, 128, GFP_KERNEL);
	ev.flags = KMS_EVF_FAILED;
	CHECK_INT(feed(c, ev, &res), ==, 0);
	CHECK_COUNTS(c, 0, 0, 0, 0, 0);
	/* The third live one does not fit in 2. */
	CHECK_INT(feed(c, kmalloc_ev(1, P3, SITE_B, 200, 256, GFP_KERNEL), &res),
		  ==, 0);
	CHECK_COUNTS(c, 0, 0, 0, 0, 1);
	CHECK_INT(collector__live(c), ==, 2);
	CHECK(res.cache && !strcmp(res.cache->name, "kmalloc-256"));
	/* Untracked: kept out of the totals, so live and frees agree. */
	CHECK_TOTALS(site_t(c, SITE_B), 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_A), 2, 0, 1, 200, 256, 2, 200, 256);
	/* Its free is therefore unmatched. */
	feed(c, kfree_ev(1, P3), &res);
	CHECK(!res.matched);
	CHECK_COUNTS(c, 1, 0, 0, 0, 1);
	/* A free makes room again. */
	feed(c, kfree_ev(1, P1), NULL);
	CHECK_INT(feed(c, kmalloc_ev(1, P4, SITE_B, 200, 256, GFP_KERNEL), &res),
		  ==, 0);
	CHECK_COUNTS(c, 1, 0, 0, 0, 1);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 0, 0, 200, 256, 1, 200, 256);
	/* Re-allocating a live pointer needs no room either. */
	feed(c, kmalloc_ev(1, P2, SITE_B, 200, 256, GFP_KERNEL), NULL);
	CHECK_COUNTS(c, 1, 1, 0, 0, 1);
	CHECK_INT(collector__live(c), ==, 2);
	collector__free(c);
}

TEST(bad_records)
{
	struct collector *c = new_coll(0);
	const struct kms_collect_counts *k;

	CHECK(c);
	if (!c)
		return;
	collector__bad_record(c, -ENOTSUP);
	collector__bad_record(c, -ENOTSUP);
	collector__bad_record(c, -EINVAL);
	k = collector__counts(c);
	CHECK_U64(k->unknown_records, 2);	/* the two -ENOTSUP */
	CHECK_U64(k->bad_records, 1);		/* the -EINVAL */
	CHECK_COUNTS(c, 0, 0, 0, 0, 0);
	for (int i = 0; i <= KMS_EV_TASK; i++)
		CHECK_U64(k->events[i], 0);	/* not decoded events */
	collector__free(c);
}

/* call_site 0 (a caller kmscope could not see) is a site of its own. */
TEST(site_zero)
{
	struct collector *c = new_coll(0);

	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(1, P1, 0, 100, 128, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(1, P2, 0, 100, 128, GFP_KERNEL), NULL);
	feed(c, kmalloc_ev(1, P3, SITE_A, 100, 128, GFP_KERNEL), NULL);
	CHECK_INT(collector__nr_sites(c), ==, 2);
	CHECK_TOTALS(site_t(c, 0), 2, 0, 0, 200, 256, 2, 200, 256);
	CHECK_TOTALS(site_t(c, SITE_A), 1, 0, 0, 100, 128, 1, 100, 128);
	collector__free(c);
}

/*
 * A kmalloc the kernel named (bpf_get_kmem_cache): the row is the kernel's
 * cache, the bytes are the event's; with the name record lost (no size
 * known) the model names it, so sizes never go missing.
 */
TEST(kernel_named_kmalloc)
{
	struct collector *c = new_coll(0);
	struct kms_resolved res;
	struct kms_event ev;

	CHECK(c);
	if (!c)
		return;
	feed(c, cache_info_ev(K1, "msg_msg-128", 11, 128, 128), NULL);
	ev = kmalloc_ev(500, P1, SITE_A, 112, 128, 0xcc0);
	ev.flags |= KMS_EVF_KERNEL_CACHE;
	ev.cache = K1;
	CHECK_INT(feed(c, ev, &res), ==, 0);
	CHECK(res.cache && !strcmp(res.cache->name, "msg_msg-128"));
	CHECK_INT(res.bytes_req, ==, 112);	/* the request, not object_size */
	CHECK_INT(res.bytes_alloc, ==, 128);
	CHECK_TOTALS(cache_t(c, "msg_msg-128"), 1, 0, 0, 112, 128, 1, 112, 128);
	feed(c, kfree_ev(500, P1), NULL);
	CHECK_TOTALS(cache_t(c, "msg_msg-128"), 1, 1, 0, 112, 128, 0, 0, 0);
	/* K2 never announced: a size-0 placeholder cannot hold the bytes. */
	ev = kmalloc_ev(500, P2, SITE_A, 100, 128, 0xcc0);
	ev.flags |= KMS_EVF_KERNEL_CACHE;
	ev.cache = K2;
	CHECK_INT(feed(c, ev, &res), ==, 0);
	CHECK(res.cache && !strcmp(res.cache->name, "kmalloc-128"));
	CHECK_TOTALS(cache_t(c, "kmalloc-128"), 1, 0, 0, 100, 128, 1, 100, 128);
	collector__free(c);
}

/*
 * Lifetimes to the microsecond: objects freed 0.9 us, 1.5 ms and 70 s
 * after their allocation, the last allocated 40 s into the trace (its ms
 * part alone would not place a short life), land in their buckets per
 * site and per cache; a live one's age runs to the end given.
 */
static const struct kms_cgroup *cgroup_of(const struct collector *c, uint64_t id)
{
	for (size_t i = 0; i < collector__nr_cgroups(c); i++)
		if (collector__cgroup(c, i)->id == id)
			return collector__cgroup(c, i);
	return NULL;
}

static const struct kms_totals *cg_t(const struct collector *c, uint64_t id)
{
	const struct kms_cgroup *g = cgroup_of(c, id);

	return g ? &g->t : &zero_totals;
}

static const struct kms_totals *cg_acct(const struct collector *c, uint64_t id)
{
	const struct kms_cgroup *g = cgroup_of(c, id);

	return g ? &g->acct : &zero_totals;
}

#define CG_A		1001
#define CG_B		2002
#define GFP_KERNEL_ACCOUNT	0x400cc0u

/*
 * Allocations go to the cgroup of their task's latest announcement; frees
 * to the allocation's cgroup, whoever frees; __GFP_ACCOUNT and SLAB_ACCOUNT
 * caches are accounted, others not; interrupts are their own row.
 */
TEST(cgroups)
{
	struct collector_opts o = { .t0_ns = T0, .by_cgroup = true };
	struct kms_event ev;
	struct collector *c;

	kmalloc_params__default(&o.kp, 4096);
	c = collector__new(&o);
	CHECK(c);
	if (!c)
		return;
	feed(c, task_cg_ev(10, "a", CG_A), NULL);
	feed(c, task_cg_ev(20, "b", CG_B), NULL);
	ev = cache_info_ev(K1, "acct_cache", 10, 64, 64);
	ev.flags |= KMS_EVF_ACCOUNT;
	feed(c, ev, NULL);
	feed(c, cache_info_ev(K2, "plain_cache", 11, 32, 32), NULL);
	CHECK(collector__cache(c, 0)->account && !collector__cache(c, 1)->account);
	/* A: kmalloc accounted by its gfp, one not, one from the SLAB_ACCOUNT cache. */
	feed(c, kmalloc_ev(10, P1, SITE_A, 100, 128, GFP_KERNEL_ACCOUNT), NULL);
	feed(c, kmalloc_ev(10, P2, SITE_A, 60, 64, GFP_KERNEL), NULL);
	feed(c, cache_alloc_ev(10, P3, SITE_B, K1), NULL);
	/* B: the plain cache; freed by A's task, still B's. */
	feed(c, cache_alloc_ev(20, P4, SITE_C, K2), NULL);
	feed(c, cache_free_ev(10, P4, K2), NULL);
	CHECK_TOTALS(cg_t(c, CG_A), 3, 0, 0, 224, 256, 3, 224, 256);
	CHECK_TOTALS(cg_acct(c, CG_A), 2, 0, 0, 164, 192, 2, 164, 192);
	CHECK_TOTALS(cg_t(c, CG_B), 1, 1, 0, 32, 32, 0, 0, 0);
	CHECK_TOTALS(cg_acct(c, CG_B), 0, 0, 0, 0, 0, 0, 0, 0);
	/* The accounted P1 freed: out of both. */
	feed(c, kfree_ev(20, P1), NULL);
	CHECK_TOTALS(cg_t(c, CG_A), 3, 1, 0, 224, 256, 2, 124, 128);
	CHECK_TOTALS(cg_acct(c, CG_A), 2, 1, 0, 164, 192, 1, 64, 64);
	/* Task 10 moves to B (announced again): its next allocation is B's. */
	feed(c, task_cg_ev(10, "a", CG_B), NULL);
	feed(c, kmalloc_ev(10, P1, SITE_A, 8, 8, GFP_KERNEL), NULL);
	CHECK_U64(cg_t(c, CG_B)->allocs, 2);
	CHECK_U64(cg_t(c, CG_A)->allocs, 3);
	/* In an interrupt: the interrupt row, whatever the task. */
	ev = kmalloc_ev(20, PL, SITE_B, 16, 16, 0);
	ev.flags |= KMS_EVF_HARDIRQ;
	feed(c, ev, NULL);
	CHECK_U64(cg_t(c, KMS_CGROUP_IRQ)->allocs, 1);
	CHECK_U64(cg_t(c, CG_B)->allocs, 2);
	/* A task never announced with a cgroup (an old recording). */
	feed(c, task_ev(30, 30, "old", 3), NULL);
	feed(c, kmalloc_ev(30, P4, SITE_A, 8, 8, GFP_KERNEL), NULL);
	CHECK_U64(cg_t(c, KMS_CGROUP_UNKNOWN)->allocs, 1);
	/* by_cgroup: (site, cgroup) pairs: site A in A (2), in B (1), unknown (1). */
	{
		uint64_t in_a = 0, in_b = 0, n = 0;

		for (size_t i = 0; i < collector__nr_cgsites(c); i++) {
			const struct kms_cgsite *cs = collector__cgsite(c, i);

			if (collector__site(c, cs->site)->call_site != SITE_A)
				continue;
			n++;
			if (collector__cgroup(c, cs->cgroup)->id == CG_A)
				in_a = cs->t.allocs * 100 + cs->t.frees * 10 + cs->acct.allocs;
			if (collector__cgroup(c, cs->cgroup)->id == CG_B)
				in_b = cs->t.allocs;
		}
		CHECK_U64(n, 3);
		CHECK_U64(in_a, 211);
		CHECK_U64(in_b, 1);
	}
	collector__free(c);
}

/* Past the cgroups an entry can name, one shared row; nothing dropped. */
TEST(cgroups_overflow)
{
	struct collector *c = new_coll(0);
	uint64_t i, total = 0;
	const struct kms_cgroup *other;

	CHECK(c);
	if (!c)
		return;
	for (i = 0; i < KMS_ALLOC_CGROUP_MAX + 10; i++) {
		feed(c, task_cg_ev(100 + i, "t", 5000 + i), NULL);
		feed(c, kmalloc_ev(100 + i, P1 + i * 64, SITE_A, 8, 8, GFP_KERNEL), NULL);
	}
	CHECK_INT(collector__nr_cgroups(c), ==, KMS_ALLOC_CGROUP_MAX + 1);
	other = cgroup_of(c, KMS_CGROUP_OTHER);
	CHECK(other);
	for (i = 0; i < collector__nr_cgroups(c); i++)
		total += collector__cgroup(c, i)->t.live;
	CHECK_U64(total, KMS_ALLOC_CGROUP_MAX + 10);
	/* Frees come back to the rows they were counted in. */
	for (i = 0; i < KMS_ALLOC_CGROUP_MAX + 10; i++)
		feed(c, kfree_ev(1, P1 + i * 64), NULL);
	for (i = 0, total = 0; i < collector__nr_cgroups(c); i++)
		total += collector__cgroup(c, i)->t.live + (collector__cgroup(c, i)->t.frees !=
							      collector__cgroup(c, i)->t.allocs);
	CHECK_U64(total, 0);
	CHECK_U64(collector__counts(c)->table_full, 0);
	collector__free(c);
}

TEST(lifetimes)
{
	struct collector *c = new_coll(0);
	struct kms_lifetime ages[4] = { 0 }, cages[4] = { 0 };
	const struct kms_site *s;
	const struct kms_cache *k;
	struct kms_event ev;

	CHECK(c);
	if (!c)
		return;
	ev = kmalloc_ev(100, P1, SITE_A, 100, 128, GFP_KERNEL);
	feed(c, ev, NULL);
	ev = kfree_ev(100, P1);
	ev.ts = now = now - 1000 + 900;		/* 0.9 us later */
	feed(c, ev, NULL);
	now = T0 + 40000000123ull;		/* 40 s and 123 ns in */
	feed(c, kmalloc_ev(100, P2, SITE_A, 100, 128, GFP_KERNEL), NULL);
	ev = kfree_ev(100, P2);
	ev.ts = now = now - 1000 + 1500000;	/* 1.5 ms after it */
	feed(c, ev, NULL);
	feed(c, kmalloc_ev(100, P3, SITE_A, 100, 128, GFP_KERNEL), NULL);
	ev = kfree_ev(100, P3);
	ev.ts = now = now - 1000 + 70000000000ull;	/* 70 s */
	feed(c, ev, NULL);
	feed(c, kmalloc_ev(100, P4, SITE_B, 10, 16, GFP_KERNEL), NULL);
	s = site_of(c, SITE_A);
	k = cache_named(c, "kmalloc-128");
	CHECK(s && k);
	if (!s || !k)
		goto out;
	CHECK_U64(lifetime__total(&s->lt), 3);
	CHECK_U64(s->lt.n[0], 1);			/* < 1 us */
	CHECK_U64(s->lt.n[lifetime__bucket(1500)], 1);
	CHECK_U64(s->lt.n[lifetime__bucket(70000000)], 1);
	CHECK(!memcmp(&s->lt, &k->lt, sizeof(s->lt)));
	CHECK_U64(lifetime__total(&site_of(c, SITE_B)->lt), 0);
	/* P4 was allocated at the last event; 2 ms later is the end. */
	collector__live_ages(c, (now - T0) / 1000 + 2000, ages, cages);
	CHECK_U64(ages[1].n[lifetime__bucket(2000)], 1);
	CHECK_U64(lifetime__total(&ages[0]), 0);
	CHECK_U64(lifetime__total(&cages[1]), 1);
out:
	collector__free(c);
}

/* The age in ms collector__for_each_live() gives the one live object. */
static void one_age(void *ctx, const struct kms_site *site, const struct kms_cache *cache,
		    uint32_t bytes_req, uint32_t age_ms, bool rcu)
{
	*(uint32_t *)ctx = age_ms;
}

/*
 * Entries keep the low 44 bits of their time in us (203 days): across
 * that boundary and a year into a trace (serve runs that long), ages and
 * lifetimes stay right, and an allocation's time is never read as later
 * than a free's.
 */
TEST(lifetimes_past_the_entry_clock)
{
	struct collector *c = new_coll(0);
	const uint64_t wrap_ns = (1ull << 44) * 1000, year_ns = 365ull * 86400 * 1000000000;
	struct kms_lifetime ages[2] = { 0 };
	const struct kms_site *s;
	struct kms_event ev;
	uint32_t age_ms = 0;

	CHECK(c);
	if (!c)
		return;
	now = T0 + wrap_ns - 1000000;		/* 1 ms before the entries' clock wraps */
	feed(c, kmalloc_ev(100, P1, SITE_A, 100, 128, GFP_KERNEL), NULL);
	ev = kfree_ev(100, P1);
	ev.ts = now = now - 1000 + 3000000;	/* freed 3 ms later, past the wrap */
	feed(c, ev, NULL);
	now = T0 + year_ns;
	feed(c, kmalloc_ev(100, P2, SITE_A, 100, 128, GFP_KERNEL), NULL);
	ev = kfree_ev(100, P2);
	ev.ts = now = now - 1000 + 1500000;	/* 1.5 ms */
	feed(c, ev, NULL);
	/* A free another CPU's record put before its allocation: age 0, not 203 days. */
	feed(c, kmalloc_ev(100, P3, SITE_A, 100, 128, GFP_KERNEL), NULL);
	ev = kfree_ev(100, P3);
	ev.ts = now = now - 1000 - 5000;
	feed(c, ev, NULL);
	now += 10000;
	feed(c, kmalloc_ev(100, P4, SITE_B, 10, 16, GFP_KERNEL), NULL);
	s = site_of(c, SITE_A);
	CHECK(s);
	if (!s)
		goto out;
	CHECK_U64(lifetime__total(&s->lt), 3);
	CHECK_U64(s->lt.n[lifetime__bucket(3000)], 1);
	CHECK_U64(s->lt.n[lifetime__bucket(1500)], 1);
	CHECK_U64(s->lt.n[0], 1);
	/* P4, live: 2.5 ms old at the end, and 0 ms by the clock of its own last event. */
	collector__live_ages(c, (now - T0) / 1000 + 2500, ages, NULL);
	CHECK_U64(ages[1].n[lifetime__bucket(2500)], 1);
	collector__for_each_live(c, one_age, &age_ms);
	CHECK_INT(age_ms, ==, 0);
out:
	collector__free(c);
}

/*
 * --pair can deliver a held allocation after a newer one at its address
 * (older_first()): the pair's allocation waits for its free, the newer
 * entry stays live, and nothing is counted re-allocated without free.
 */
TEST(pair_older_first)
{
	struct collector_opts o = { .t0_ns = T0, .pair = true };
	struct collector *c;
	struct kms_event a1, f1;
	struct kms_resolved res;

	kmalloc_params__default(&o.kp, 4096);
	c = collector__new(&o);
	CHECK(c);
	if (!c)
		return;
	a1 = kmalloc_ev(100, P1, SITE_A, 100, 128, GFP_KERNEL);
	f1 = kfree_ev(100, P1);
	/* A2, allocated after A1 was freed, arrives first; then the pair (A1, F1). */
	feed(c, kmalloc_ev(100, P1, SITE_B, 200, 256, GFP_KERNEL), NULL);
	feed(c, a1, NULL);
	CHECK_U64(collector__counts(c)->reordered, 1);
	CHECK_INT(feed(c, f1, &res), ==, 0);
	CHECK(res.matched);
	CHECK_INT(res.bytes_alloc, ==, 128);
	CHECK_TOTALS(site_t(c, SITE_A), 1, 1, 0, 100, 128, 0, 0, 0);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 0, 0, 200, 256, 1, 200, 256);
	CHECK_U64(lifetime__total(&site_of(c, SITE_A)->lt), 1);
	CHECK_U64(site_of(c, SITE_A)->lt.n[lifetime__bucket(1)], 1);	/* 1 us */
	/* A2's own free, later. */
	feed(c, kfree_ev(100, P1), NULL);
	CHECK_TOTALS(site_t(c, SITE_B), 1, 1, 0, 200, 256, 0, 0, 0);
	CHECK_INT(collector__live(c), ==, 0);
	CHECK_COUNTS(c, 0, 0, 0, 0, 0);
	/* The same microsecond: as new is newer, not a re-allocation. */
	a1 = kmalloc_ev(100, P2, SITE_A, 100, 128, GFP_KERNEL);
	f1 = kfree_ev(100, P2);
	feed(c, kmalloc_ev(100, P2, SITE_B, 200, 256, GFP_KERNEL), NULL);
	a1.ts = now - 100;
	feed(c, a1, NULL);
	feed(c, f1, NULL);
	CHECK_U64(collector__counts(c)->reordered, 2);
	CHECK_TOTALS(site_t(c, SITE_B), 2, 1, 0, 400, 512, 1, 200, 256);
	/* An older entry at the address is what it was: freed unseen. */
	feed(c, kmalloc_ev(100, P2, SITE_C, 10, 16, GFP_KERNEL), NULL);
	CHECK_COUNTS(c, 0, 1, 0, 0, 0);
	CHECK_U64(collector__counts(c)->reordered, 2);
	/*
	 * A stale held record: A0 held, freed without an event, P allocated
	 * again (A1, sent alone: the slot was busy) and freed (F1), which
	 * pairs with the stale A0.  A1 was made before F1: F1 ends A1, and A0
	 * counts as without --pair, re-allocated without free.
	 */
	a1 = kmalloc_ev(100, P3, SITE_A, 100, 128, GFP_KERNEL);	/* A0 */
	feed(c, kmalloc_ev(100, P3, SITE_B, 200, 256, GFP_KERNEL), NULL);	/* A1 */
	f1 = kfree_ev(100, P3);
	feed(c, a1, NULL);
	CHECK_U64(collector__counts(c)->reordered, 3);
	CHECK_INT(feed(c, f1, &res), ==, 0);
	CHECK(res.matched);
	CHECK_INT(res.bytes_alloc, ==, 256);		/* A1's */
	CHECK_COUNTS(c, 0, 2, 0, 0, 0);
	CHECK_INT(collector__live(c), ==, 1);		/* P2's newer entry, from above */
	CHECK_U64(site_of(c, SITE_A)->missed_frees, 1);
	/*
	 * A kmem_cache object larger than KMALLOC_MAX_CACHE_SIZE (a 10 KiB
	 * task_struct) is held like any: its reordered pair is parked too.
	 */
	feed(c, cache_info_ev(K3, "task_struct", 11, 10240, 10368), NULL);
	a1 = cache_alloc_ev(100, P4, SITE_A, K3);
	f1 = cache_free_ev(100, P4, K3);
	feed(c, cache_alloc_ev(100, P4, SITE_B, K3), NULL);	/* made after f1 */
	feed(c, a1, NULL);
	feed(c, f1, NULL);
	CHECK_U64(collector__counts(c)->reordered, 4);
	CHECK_COUNTS(c, 0, 2, 0, 0, 0);
	CHECK_INT(collector__live(c), ==, 2);		/* P2's, and P4's newer one */
	CHECK_TOTALS(cache_t(c, "task_struct"), 2, 1, 0, 20480, 20736, 1, 10240, 10368);
	collector__free(c);
	/* Without --pair the same events are a re-allocation without free. */
	c = new_coll(0);
	CHECK(c);
	if (!c)
		return;
	feed(c, kmalloc_ev(100, P1, SITE_B, 200, 256, GFP_KERNEL), NULL);
	a1 = kmalloc_ev(100, P1, SITE_A, 100, 128, GFP_KERNEL);
	a1.ts = now - 5000;
	feed(c, a1, NULL);
	CHECK_COUNTS(c, 0, 1, 0, 0, 0);
	CHECK_U64(collector__counts(c)->reordered, 0);
	collector__free(c);
}

/*
 * What a report quotes as first is the earliest by time, whatever order
 * the events came in: a site's cache, a rule's first flags.
 */
TEST(first_by_time)
{
	struct collector *c = new_coll(0);
	struct kms_event late, early;
	const struct kms_site *s;

	CHECK(c);
	if (!c)
		return;
	late = kmalloc_ev(100, 0, SITE_A, 100, 128, GFP_KERNEL);
	late.flags = KMS_EVF_FAILED;
	early = kmalloc_ev(100, 0, SITE_A, 100, 128, 0x820);	/* GFP_ATOMIC */
	early.flags = KMS_EVF_FAILED;
	early.ts = late.ts - 500;
	feed(c, late, NULL);
	feed(c, early, NULL);
	feed(c, kmalloc_ev(100, P1, SITE_A, 100, 128, GFP_KERNEL), NULL);
	early = kmalloc_ev(100, P2, SITE_A, 200, 256, GFP_KERNEL);
	early.ts = T0 + 10;
	feed(c, early, NULL);
	s = site_of(c, SITE_A);
	CHECK(s);
	if (s) {
		CHECK_INT(s->failed_gfp.first, ==, 0x820);
		CHECK(s->failed_gfp.several);
		CHECK(s->cache == collector__cache_index(c, cache_named(c, "kmalloc-256")));
	}
	collector__free(c);
}

/*
 * A live-count sample is taken at the first event past its boundary; an
 * allocation or free of before the boundary that arrives after it (held
 * by --pair, or read late from another CPU) corrects the sample.
 */
TEST(late_samples)
{
	struct collector *c = new_coll(0);
	struct kms_event ev;
	const struct kms_site *s;

	CHECK(c);
	if (!c)
		return;
	now = T0 + 500000000ull;			/* 0.5 s in */
	feed(c, kmalloc_ev(100, P1, SITE_A, 100, 128, GFP_KERNEL), NULL);
	now = T0 + 1500000000ull;			/* past the 1 s boundary */
	feed(c, kmalloc_ev(100, P2, SITE_B, 100, 128, GFP_KERNEL), NULL);
	s = site_of(c, SITE_A);
	CHECK(s && s->nr_samples == 1 && s->samples[0] == 1);
	ev = kmalloc_ev(100, P3, SITE_A, 100, 128, GFP_KERNEL);
	ev.ts = T0 + 800000000ull;			/* before the boundary: counted */
	feed(c, ev, NULL);
	s = site_of(c, SITE_A);
	CHECK(s && s->samples[0] == 2);
	ev = kfree_ev(100, P3);
	ev.ts = T0 + 1200000000ull;			/* after it: still live then */
	feed(c, ev, NULL);
	CHECK(s->samples[0] == 2);
	ev = kfree_ev(100, P1);
	ev.ts = T0 + 900000000ull;			/* before it: not live then */
	feed(c, ev, NULL);
	CHECK(s->samples[0] == 1);
	CHECK_U64(s->t.live, 0);
	collector__free(c);
}

int main(void)
{
	t_suite = "collect";
	RUN(alloc_then_free);
	RUN(unmatched_free);
	RUN(realloc_without_free);
	RUN(failed_alloc);
	RUN(model_cache_names);
	RUN(cache_alloc_without_cache);
	RUN(cache_info_then_alloc);
	RUN(unknown_cache);
	RUN(late_cache_info);
	RUN(kernel_named_kmalloc);
	RUN(frees_pretrace);
	RUN(task_names);
	RUN(double_large_kmalloc);
	RUN(double_large_interleaved);
	RUN(double_large_interleaved_tid_mod_64);
	RUN(large_not_collapsed);
	RUN(max_tracked);
	RUN(bad_records);
	RUN(site_zero);
	RUN(lifetimes);
	RUN(lifetimes_past_the_entry_clock);
	RUN(cgroups);
	RUN(cgroups_overflow);
	RUN(cache_index_survives_growth);
	RUN(pair_older_first);
	RUN(first_by_time);
	RUN(late_samples);
	return test_done();
}
