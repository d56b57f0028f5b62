// SPDX-License-Identifier: GPL-2.0
/*
 * test_findings.c - unit tests for src/findings.c, the module that turns a
 * collector's tables into findings: what is wrong and what to change.  A
 * finding is what a kernel engineer acts on, so every rule is pinned here
 * twice: a planted case where it must fire, with its exact count, bytes,
 * severity and suggestion, and the same site in a correct context where it
 * must stay silent (GFP_ATOMIC in a softirq, kvmalloc()'s own kmalloc
 * attempt, a failure that said it may fail).  Every threshold is tested on
 * both sides of its boundary, and so are the leak judgement (growth,
 * confidence, rank, severity), the ages, and the order of the list.
 *
 * Fixtures are struct kms_event sequences fed to a real collector, as
 * live tracing and replay do, so the tests also hold the collector and
 * findings.c to the same idea of each rule.  nofail_judged_per_allocation
 * is a known bug of findings.c, written as the rule should behave: it
 * fails until the rule is fixed.
 */
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "findings.h"
#include "runinfo.h"
#include "test.h"
#include "util.h"

#define T0		1000000000ull		/* trace start, CLOCK_MONOTONIC ns */
#define NS_PER_MS	1000000ull
#define PAGE_SIZE	4096u
#define TID		42

/* Call sites; SITE_BASE + i * SITE_STRIDE for tests that need many. */
#define SITE_A		0xffffffff81100010ull
#define SITE_B		0xffffffff81100020ull
#define SITE_C		0xffffffff81100030ull
#define SITE_D		0xffffffff81100040ull
#define SITE_E		0xffffffff81100050ull
#define SITE_F		0xffffffff81100060ull
#define SITE_BASE	0xffffffff81200000ull
#define SITE_STRIDE	0x10ull

/* Pointers handed out in order from HEAP; UNTRACED is never allocated. */
#define HEAP		0xffff888010000000ull
#define PTR_STRIDE	0x10000ull
#define UNTRACED	0xffff888000000000ull
#define P_REUSED	0xffff888001000000ull	/* allocated twice, freed never */
#define P_UNNAMED	0xffff888002000000ull	/* an object of a cache with no id */

/* Cache ids: kernel addresses of the caches' names. */
#define K_BIG		0xffffffff82000040ull
#define K_MAPLE		0xffffffff82000080ull
#define K_MSG		0xffffffff820000c0ull
#define K_FOO		0xffffffff82000100ull

#define STACK_ID	7	/* -g: a stack id in the stack map */

/* Flags as 6.7+ kernels compose them (include/linux/gfp_types.h). */
#define GFP_KERNEL	0xcc0u
#define GFP_ATOMIC	0x820u
#define GFP_NOWAIT	0x2800u
#define GFP_NOFS	0xc40u
#define GFP_NOIO	0xc00u
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | KMS_GFP_ACCOUNT)
/* kvmalloc()'s own kmalloc attempt up to 6.14, and from 6.15. */
#define KVMALLOC_TRY_OLD (GFP_KERNEL | KMS_GFP_NOWARN | KMS_GFP_NORETRY)
#define KVMALLOC_TRY_NEW ((GFP_KERNEL | KMS_GFP_NOWARN) & ~KMS_GFP_DIRECT_RECLAIM)

/*
 * With 4 KiB pages KMALLOC_MAX_CACHE_SIZE is 8 KiB: MAX_SLAB is the
 * largest slab kmalloc, and LARGE_REQ the page allocator's, order 2.
 */
#define MAX_SLAB	8192u
#define LARGE_REQ	9000u
#define ORDER1		8192u
#define ORDER2		16384u
#define ORDER3		32768u

#define HOT		100	/* findings_opts.hot_allocs of these tests */
#define LIVE_KEPT	10	/* objects a hot site still holds at the end */
#define MAX_HELD	128	/* objects follow() can hold */

/* findings.c's leak thresholds (LEAK_WARN_OBJECTS, LEAK_WARN_RANK) */
#define WARN_OBJECTS	32
#define WARN_RANK	8192

static uint64_t now_ns = T0;
static uint64_t nr_ptrs;

/* Events from here on happen ms into the trace. */
static void at(uint64_t ms)
{
	now_ns = T0 + ms * NS_PER_MS;
}

static struct collector *start(const struct collector_opts *o)
{
	struct collector *c = collector__new(o);

	CHECK(c != NULL);
	at(0);
	nr_ptrs = 0;
	return c;
}

static void default_opts(struct collector_opts *o, bool preempt_known)
{
	memset(o, 0, sizeof(*o));
	o->t0_ns = T0;
	o->preempt_known = preempt_known;
	kmalloc_params__default(&o->kp, PAGE_SIZE);
}

static struct collector *new_coll(bool preempt_known)
{
	struct collector_opts o;

	default_opts(&o, preempt_known);
	return start(&o);
}

static void feed(struct collector *c, struct kms_event ev)
{
	ev.ts = now_ns;
	ev.cpu = 1;
	ev.tid = ev.tgid = TID;
	CHECK_INT(collector__event(c, &ev, NULL), ==, 0);
}

/* A successful kmalloc in the context of the KMS_EVF_* flags; its pointer. */
static uint64_t km_ctx(struct collector *c, uint64_t site, uint32_t req, uint32_t alloc,
		       uint32_t gfp, unsigned int flags)
{
	uint64_t p = HEAP + nr_ptrs++ * PTR_STRIDE;

	feed(c, (struct kms_event){ .type = KMS_EV_KMALLOC, .flags = flags, .ptr = p,
				    .call_site = site, .bytes_req = req, .bytes_alloc = alloc,
				    .gfp = gfp });
	return p;
}

static uint64_t km(struct collector *c, uint64_t site, uint32_t req, uint32_t alloc,
		   uint32_t gfp)
{
	return km_ctx(c, site, req, alloc, gfp, 0);
}

static void km_failed(struct collector *c, uint64_t site, uint32_t req, uint32_t alloc,
		      uint32_t gfp)
{
	feed(c, (struct kms_event){ .type = KMS_EV_KMALLOC, .flags = KMS_EVF_FAILED,
				    .call_site = site, .bytes_req = req, .bytes_alloc = alloc,
				    .gfp = gfp });
}

static void kfree_ptr(struct collector *c, uint64_t ptr)
{
	feed(c, (struct kms_event){ .type = KMS_EV_KFREE, .ptr = ptr });
}

/* Allocated and freed: only the GFP and waste rules can see it. */
static void transient(struct collector *c, uint64_t site, uint32_t req, uint32_t alloc,
		      uint32_t gfp, unsigned int flags)
{
	kfree_ptr(c, km_ctx(c, site, req, alloc, gfp, flags));
}

/* n allocations of which the first `keep` stay live. */
static void repeat(struct collector *c, uint64_t site, unsigned int n, uint32_t req,
		   uint32_t alloc, uint32_t gfp, unsigned int keep)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t p = km(c, site, req, alloc, gfp);

		if (i >= keep)
			kfree_ptr(c, p);
	}
}

/* The trace's last event at ms: a free of something older than the trace. */
static void tick(struct collector *c, uint64_t ms)
{
	at(ms);
	kfree_ptr(c, UNTRACED);
}

static void cache_info(struct collector *c, uint64_t id, const char *name, uint32_t obj,
		       uint32_t size)
{
	feed(c, (struct kms_event){ .type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE,
				    .cache = id, .object_size = obj, .size = size, .name = name,
				    .name_len = strlen(name) });
}

static uint64_t cache_alloc(struct collector *c, uint64_t site, uint64_t id, uint32_t gfp)
{
	uint64_t p = HEAP + nr_ptrs++ * PTR_STRIDE;

	feed(c, (struct kms_event){ .type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
				    .ptr = p, .call_site = site, .cache = id, .gfp = gfp });
	return p;
}

/* A run that lost nothing: no confidence downgrade unless a test asks. */
/* A command's run: its leaks may be warnings (leak_short_window: not so without one). */
static void clean_run(struct runinfo *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->rcu_bulk_traced = true;
	ri->has_counters = true;
	strcpy(ri->kernel, "6.12.0");
	strcpy(ri->command, "./workload");
}

static const struct findings_opts plain_opts = { .hot_allocs = HOT };

static void judge_with(const struct collector *c, const struct runinfo *ri,
		       const struct findings_opts *o, struct findings *fs)
{
	CHECK_INT(findings__compute(c, ri, o, fs), ==, 0);
}

static void judge(const struct collector *c, struct findings *fs)
{
	struct runinfo ri;

	clean_run(&ri);
	judge_with(c, &ri, &plain_opts, fs);
}

static const struct finding *find(const struct findings *fs, enum finding_kind k,
				  uint64_t site)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (fs->f[i].kind == k && fs->f[i].call_site == site)
			return &fs->f[i];
	return NULL;
}

static size_t nr_kind(const struct findings *fs, enum finding_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->f[i].kind == k;
	return n;
}

static size_t nr_site(const struct findings *fs, uint64_t site)
{
	size_t i, n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->f[i].call_site == site;
	return n;
}

/* The finding of kind k at site, which must exist with this severity and count. */
static const struct finding *expect(const struct findings *fs, enum finding_kind k,
				    uint64_t site, enum finding_severity sev, uint64_t count)
{
	const struct finding *f = find(fs, k, site);

	if (!f) {
		T_FAIL("no %s finding at %#llx", finding_kind_name(k), (unsigned long long)site);
		return NULL;
	}
	CHECK_INT(f->severity, ==, sev);
	CHECK_U64(f->count, count);
	return f;
}

/* ---- GFP rules: sleeping where it must not ---------------------------- */

/*
 * GFP_KERNEL in task context is fine; in a softirq it is a bug, counted
 * once per atomic allocation with the contexts ORed: those of the
 * sleeping allocations, not the GFP_ATOMIC one with preemption off.  In
 * an interrupt the NOFS scope belongs to the interrupted task, so it is
 * neither reported as context nor hinted as a redundant GFP_NOFS.
 */
TEST(sleep_in_atomic)
{
	struct collector *c = new_coll(true);
	const struct finding *f;
	struct findings fs;

	transient(c, SITE_A, 64, 64, GFP_KERNEL, 0);
	transient(c, SITE_A, 64, 64, GFP_KERNEL, KMS_EVF_SOFTIRQ | KMS_EVF_BH_OFF);
	transient(c, SITE_A, 64, 64, GFP_KERNEL, KMS_EVF_SOFTIRQ);
	transient(c, SITE_A, 64, 64, GFP_NOFS, KMS_EVF_HARDIRQ | KMS_EVF_NOFS);
	transient(c, SITE_A, 64, 64, GFP_ATOMIC, KMS_EVF_PREEMPT_OFF);
	judge(c, &fs);
	f = expect(&fs, FIND_GFP_SLEEP_IN_IRQ, SITE_A, SEV_BUG, 3);
	if (f) {
		CHECK_U64(f->gfp, GFP_KERNEL);
		CHECK_U64(f->gfp_all, GFP_KERNEL | GFP_NOFS);
		CHECK(f->gfp_several);
		CHECK_U64(f->ctx, KMS_CTX_BIT(KMS_CTX_HARDIRQ) | KMS_CTX_BIT(KMS_CTX_SOFTIRQ) |
				  KMS_CTX_BIT(KMS_CTX_BH_OFF));
		CHECK_STR(f->cache, "kmalloc-64");
	}
	CHECK(!find(&fs, FIND_GFP_NOFS_SCOPE, SITE_A));
	CHECK_INT(fs.n, ==, 1);
	findings__free(&fs);
	collector__free(c);
}

/* Each atomic context alone makes GFP_KERNEL a bug; PF_MEMALLOC does not. */
TEST(sleep_each_atomic_context)
{
	static const struct {
		unsigned int flag;
		enum kms_ctx ctx;
	} atomic[] = {
		{ KMS_EVF_HARDIRQ, KMS_CTX_HARDIRQ },
		{ KMS_EVF_SOFTIRQ, KMS_CTX_SOFTIRQ },
		{ KMS_EVF_PREEMPT_OFF, KMS_CTX_PREEMPT_OFF },
		{ KMS_EVF_BH_OFF, KMS_CTX_BH_OFF },
		{ KMS_EVF_RCU, KMS_CTX_RCU },
	};
	struct collector *c = new_coll(true);
	const struct finding *f;
	struct findings fs;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(atomic); i++)
		transient(c, SITE_BASE + i * SITE_STRIDE, 64, 64, GFP_KERNEL, atomic[i].flag);
	transient(c, SITE_A, 64, 64, GFP_KERNEL, KMS_EVF_MEMALLOC);
	judge(c, &fs);
	for (i = 0; i < ARRAY_SIZE(atomic); i++) {
		f = expect(&fs, FIND_GFP_SLEEP_IN_IRQ, SITE_BASE + i * SITE_STRIDE, SEV_BUG, 1);
		if (f)
			CHECK_U64(f->ctx, KMS_CTX_BIT(atomic[i].ctx));
	}
	CHECK_INT(nr_site(&fs, SITE_A), ==, 0);
	CHECK_INT(fs.n, ==, ARRAY_SIZE(atomic));
	findings__free(&fs);
	collector__free(c);
}

/* Flags that never sleep are right in atomic context; GFP_KERNEL is right in a task. */
TEST(sleep_allowed)
{
	struct collector *c = new_coll(true);
	struct findings fs;

	transient(c, SITE_A, 64, 64, GFP_KERNEL, 0);
	transient(c, SITE_B, 64, 64, GFP_KERNEL, KMS_EVF_MEMALLOC);
	transient(c, SITE_C, 64, 64, GFP_ATOMIC, KMS_EVF_SOFTIRQ);
	transient(c, SITE_D, 64, 64, GFP_ATOMIC, KMS_EVF_HARDIRQ);
	transient(c, SITE_E, 64, 64, GFP_NOWAIT, KMS_EVF_PREEMPT_OFF);
	judge(c, &fs);
	CHECK_INT(fs.n, ==, 0);
	findings__free(&fs);
	collector__free(c);
}

/* ---- GFP rules: not reclaiming where sleeping was allowed -------------- */

/*
 * Only the GFP_ATOMIC allocations are counted, with their own flags, and
 * the finding is about task context even though the site's GFP_KERNEL ran
 * in reclaim (PF_MEMALLOC).
 */
TEST(atomic_unneeded)
{
	struct collector *c = new_coll(true);
	const struct finding *f;
	struct findings fs;
	int i;

	for (i = 0; i < 3; i++)
		transient(c, SITE_A, 64, 64, GFP_ATOMIC, 0);
	transient(c, SITE_A, 64, 64, GFP_KERNEL, KMS_EVF_MEMALLOC);
	judge(c, &fs);
	f = expect(&fs, FIND_GFP_ATOMIC_UNNEEDED, SITE_A, SEV_INFO, 3);
	if (f) {
		CHECK_U64(f->gfp, GFP_ATOMIC);
		CHECK_U64(f->gfp_all, GFP_ATOMIC);
		CHECK(!f->gfp_several);
		CHECK_U64(f->ctx, 0);
	}
	CHECK_INT(fs.n, ==, 1);
	findings__free(&fs);
	collector__free(c);
}

/*
 * Not flagged: a helper also called from a softirq (its GFP_ATOMIC is
 * needed there), rcu_read_lock(), and every allocation that says it may
 * fail (GFP_NOWAIT, __GFP_NOWARN, __GFP_NORETRY, kvmalloc()'s attempt).
 * Without the preempt count the task context is not known to be one
 * that may sleep, so nothing is flagged either.
 */
TEST(atomic_needed)
{
	struct collector *c = new_coll(true);
	struct findings fs;

	transient(c, SITE_A, 64, 64, GFP_ATOMIC, 0);
	transient(c, SITE_A, 64, 64, GFP_ATOMIC, KMS_EVF_SOFTIRQ);
	transient(c, SITE_B, 64, 64, GFP_ATOMIC, KMS_EVF_RCU);
	transient(c, SITE_C, 64, 64, GFP_NOWAIT, 0);
	transient(c, SITE_D, 64, 64, GFP_ATOMIC | KMS_GFP_NOWARN, 0);
	transient(c, SITE_E, 64, 64, GFP_ATOMIC | KMS_GFP_NORETRY, 0);
	transient(c, SITE_F, 64, 64, KVMALLOC_TRY_NEW, 0);
	judge(c, &fs);
	CHECK_INT(fs.n, ==, 0);
	findings__free(&fs);
	collector__free(c);

	c = new_coll(false);
	transient(c, SITE_A, 64, 64, GFP_ATOMIC, 0);
	judge(c, &fs);
	CHECK_INT(fs.n, ==, 0);
	findings__free(&fs);
	collector__free(c);
}

/* ---- GFP rules: GFP_NOFS/NOIO inside a scope --------------------------- */

/* The context shown is the scope that implied the flag, not PF_MEMALLOC's. */
TEST(nofs_in_scope)
{
	struct collector *c = new_coll(true);
	const struct finding *f;
	struct findings fs;

	transient(c, SITE_A, 64, 64, GFP_NOFS, KMS_EVF_NOFS);
	transient(c, SITE_A, 64, 64, GFP_NOFS, KMS_EVF_NOFS);
	transient(c, SITE_A, 64, 64, GFP_KERNEL, KMS_EVF_MEMALLOC);
	transient(c, SITE_B, 64, 64, GFP_NOIO, KMS_EVF_NOIO);
	/* memalloc_noio_save() strips __GFP_FS too. */
	transient(c, SITE_C, 64, 64, GFP_NOFS, KMS_EVF_NOIO);
	judge(c, &fs);
	f = expect(&fs, FIND_GFP_NOFS_SCOPE, SITE_A, SEV_HINT, 2);
	if (f) {
		CHECK_U64(f->gfp, GFP_NOFS);
		CHECK_U64(f->ctx, KMS_CTX_BIT(KMS_CTX_NOFS));
	}
	f = expect(&fs, FIND_GFP_NOFS_SCOPE, SITE_B, SEV_HINT, 1);
	if (f)
		CHECK_U64(f->ctx, KMS_CTX_BIT(KMS_CTX_NOIO));
	f = expect(&fs, FIND_GFP_NOFS_SCOPE, SITE_C, SEV_HINT, 1);
	if (f)
		CHECK_U64(f->ctx, KMS_CTX_BIT(KMS_CTX_NOIO));
	CHECK_INT(fs.n, ==, 3);
	findings__free(&fs);
	collector__free(c);
}

/*
 * No hint where the flag is what protects the caller (the site also runs
 * outside the scope), where the flags say more than the scope (GFP_NOIO in
 * a NOFS scope), where they say less (GFP_KERNEL), or in an interrupt,
 * where the scope is not the allocation's (a sleep-in-atomic bug instead).
 */
TEST(nofs_needed)
{
	struct collector *c = new_coll(true);
	struct findings fs;

	transient(c, SITE_A, 64, 64, GFP_NOFS, KMS_EVF_NOFS);
	transient(c, SITE_A, 64, 64, GFP_NOFS, 0);
	transient(c, SITE_B, 64, 64, GFP_KERNEL, KMS_EVF_NOFS);
	transient(c, SITE_C, 64, 64, GFP_NOIO, KMS_EVF_NOFS);
	transient(c, SITE_D, 64, 64, GFP_NOFS, KMS_EVF_SOFTIRQ | KMS_EVF_NOFS);
	judge(c, &fs);
	CHECK_INT(nr_kind(&fs, FIND_GFP_NOFS_SCOPE), ==, 0);
	expect(&fs, FIND_GFP_SLEEP_IN_IRQ, SITE_D, SEV_BUG, 1);
	CHECK_INT(fs.n, ==, 1);
	findings__free(&fs);
	collector__free(c);
}

/* ---- GFP rules that need no context ------------------------------------ */

/*
 * __GFP_NOFAIL on an order-2 kmalloc is a bug; on a slab kmalloc it is
 * not, nor on a kmem_cache of big objects: the rule is about kmalloc
 * memory only.
 */
TEST(nofail_order)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	transient(c, SITE_A, LARGE_REQ, ORDER2, GFP_KERNEL | KMS_GFP_NOFAIL, 0);
	transient(c, SITE_A, LARGE_REQ, ORDER2, GFP_KERNEL | KMS_GFP_NOFAIL, 0);
	transient(c, SITE_B, 64, 64, GFP_KERNEL | KMS_GFP_NOFAIL, 0);
	cache_info(c, K_BIG, "big_obj", 16000, ORDER2);
	kfree_ptr(c, cache_alloc(c, SITE_C, K_BIG, GFP_KERNEL | KMS_GFP_NOFAIL));
	judge(c, &fs);
	f = expect(&fs, FIND_GFP_NOFAIL_ORDER, SITE_A, SEV_BUG, 2);
	if (f)
		CHECK_U64(f->bytes_alloc, ORDER2);
	CHECK_INT(nr_kind(&fs, FIND_GFP_NOFAIL_ORDER), ==, 1);
	CHECK_INT(nr_site(&fs, SITE_B), ==, 0);
	CHECK_INT(nr_site(&fs, SITE_C), ==, 0);
	findings__free(&fs);
	collector__free(c);
}

/*
 * The limit is order 1 (the allocator's WARN_ON_ONCE is order > 1).  With
 * 4 KiB pages and an 8 KiB KMALLOC_MAX_CACHE_SIZE no large kmalloc is
 * order 1, so a one-page max_cache_size puts 8 KiB in the page allocator.
 */
TEST(nofail_order_boundary)
{
	struct collector_opts o;
	struct collector *c;
	const struct finding *f;
	struct findings fs;

	default_opts(&o, false);
	o.kp.max_cache_size = PAGE_SIZE;
	c = start(&o);
	transient(c, SITE_A, 5000, ORDER1, GFP_KERNEL | KMS_GFP_NOFAIL, 0);
	transient(c, SITE_B, LARGE_REQ, ORDER2, GFP_KERNEL | KMS_GFP_NOFAIL, 0);
	judge(c, &fs);
	CHECK(!find(&fs, FIND_GFP_NOFAIL_ORDER, SITE_A));
	f = expect(&fs, FIND_GFP_NOFAIL_ORDER, SITE_B, SEV_BUG, 1);
	if (f)
		CHECK_U64(f->bytes_alloc, ORDER2);
	findings__free(&fs);
	collector__free(c);
}

/*
 * BUG in findings.c (rule_gfp): FIND_GFP_NOFAIL_ORDER tests the site's
 * flags ORed (gfp_or) against its largest allocation (alloc_max), which
 * may be two different allocations.  Here the __GFP_NOFAIL one is 64
 * bytes and the order-2 one has no __GFP_NOFAIL: no allocation asked the
 * page allocator to loop forever above order 1, yet a "bug" is reported.
 * This test says what should happen and fails until the rule is judged
 * per allocation in the collector, as site_large() does for
 * FIND_ATOMIC_LARGE and FIND_KVMALLOC.
 */
TEST(nofail_judged_per_allocation)
{
	struct collector *c = new_coll(false);
	struct findings fs;

	transient(c, SITE_A, 64, 64, GFP_KERNEL | KMS_GFP_NOFAIL, 0);
	transient(c, SITE_A, LARGE_REQ, ORDER2, GFP_KERNEL, 0);
	judge(c, &fs);
	CHECK(!find(&fs, FIND_GFP_NOFAIL_ORDER, SITE_A));
	expect(&fs, FIND_KVMALLOC, SITE_A, SEV_INFO, 1);
	findings__free(&fs);
	collector__free(c);
}

/* The kernel fixes __GFP_DMA32/__GFP_HIGHMEM on slab memory with a stack dump. */
TEST(slab_bad_flags)
{
	struct collector *c = new_coll(false);
	struct findings fs;

	transient(c, SITE_A, 64, 64, GFP_KERNEL | KMS_GFP_DMA32, 0);
	transient(c, SITE_A, 64, 64, GFP_KERNEL | KMS_GFP_DMA32, 0);
	km_failed(c, SITE_A, 64, 64, GFP_KERNEL | KMS_GFP_DMA32);	/* counted too */
	transient(c, SITE_B, 64, 64, GFP_KERNEL | KMS_GFP_HIGHMEM, 0);
	transient(c, SITE_C, 64, 64, GFP_KERNEL, 0);
	judge(c, &fs);
	expect(&fs, FIND_GFP_SLAB_BAD, SITE_A, SEV_BUG, 3);
	expect(&fs, FIND_GFP_SLAB_BAD, SITE_B, SEV_BUG, 1);
	CHECK_INT(nr_kind(&fs, FIND_GFP_SLAB_BAD), ==, 2);
	CHECK_INT(nr_kind(&fs, FIND_GFP_DMA), ==, 0);
	CHECK_INT(nr_site(&fs, SITE_C), ==, 0);
	findings__free(&fs);
	collector__free(c);
}

/*
 * __GFP_DMA kmalloc is worth knowing (ZONE_DMA is tiny), with the bytes it
 * took.  With -g the finding names the site's stack; without, none (-1).
 */
TEST(gfp_dma)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;
	int i;

	transient(c, SITE_A, 50, 64, GFP_KERNEL | KMS_GFP_DMA, 0);
	transient(c, SITE_A, 50, 64, GFP_KERNEL | KMS_GFP_DMA, 0);
	transient(c, SITE_B, 50, 64, GFP_KERNEL, 0);
	for (i = 0; i < 2; i++) {
		uint64_t p = HEAP + nr_ptrs++ * PTR_STRIDE;

		feed(c, (struct kms_event){ .type = KMS_EV_KMALLOC, .flags = KMS_EVF_STACK,
					    .ptr = p, .call_site = SITE_C, .bytes_req = 50,
					    .bytes_alloc = 64, .gfp = GFP_KERNEL | KMS_GFP_DMA,
					    .stack = STACK_ID });
		kfree_ptr(c, p);
	}
	judge(c, &fs);
	f = expect(&fs, FIND_GFP_DMA, SITE_A, SEV_INFO, 2);
	if (f) {
		CHECK_U64(f->bytes, 2 * 64);
		CHECK_STR(f->cache, "dma-kmalloc-64");
		CHECK_INT(f->stack, ==, -1);
	}
	f = expect(&fs, FIND_GFP_DMA, SITE_C, SEV_INFO, 2);
	if (f)
		CHECK_INT(f->stack, ==, STACK_ID);
	CHECK_INT(fs.n, ==, 2);
	findings__free(&fs);
	collector__free(c);
}

/*
 * A page-allocator kmalloc that may not reclaim: warned, unless it says it
 * may fail (kvmalloc()'s attempt from 6.15 drops __GFP_DIRECT_RECLAIM and
 * adds __GFP_NOWARN).  The largest slab kmalloc is not multi-page.
 */
TEST(atomic_large)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	transient(c, SITE_A, LARGE_REQ, ORDER2, GFP_ATOMIC, 0);
	transient(c, SITE_A, 20000, ORDER3, GFP_ATOMIC, 0);
	transient(c, SITE_B, MAX_SLAB, MAX_SLAB, GFP_ATOMIC, 0);
	transient(c, SITE_C, LARGE_REQ, ORDER2, GFP_ATOMIC | KMS_GFP_NOWARN, 0);
	transient(c, SITE_D, LARGE_REQ, ORDER2, KVMALLOC_TRY_NEW, 0);
	judge(c, &fs);
	f = expect(&fs, FIND_ATOMIC_LARGE, SITE_A, SEV_WARNING, 2);
	if (f) {
		CHECK_U64(f->bytes, ORDER2 + ORDER3);
		CHECK_U64(f->bytes_alloc, ORDER3);
		CHECK_U64(f->gfp, GFP_ATOMIC);
	}
	CHECK_INT(fs.n, ==, 1);
	findings__free(&fs);
	collector__free(c);
}

/*
 * A page-allocator kmalloc that reclaims could be kvmalloc(); kvmalloc()'s
 * own attempt up to 6.14 (__GFP_NORETRY) and a caller with a fallback
 * (__GFP_RETRY_MAYFAIL) are not counted, nor is the largest slab kmalloc.
 */
TEST(kvmalloc)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	transient(c, SITE_A, LARGE_REQ, ORDER2, GFP_KERNEL, 0);
	transient(c, SITE_A, 20000, ORDER3, GFP_KERNEL_ACCOUNT, 0);
	transient(c, SITE_B, MAX_SLAB, MAX_SLAB, GFP_KERNEL, 0);
	transient(c, SITE_C, LARGE_REQ, ORDER2, KVMALLOC_TRY_OLD, 0);
	transient(c, SITE_D, LARGE_REQ, ORDER2, GFP_KERNEL | KMS_GFP_RETRY_MAYFAIL, 0);
	judge(c, &fs);
	f = expect(&fs, FIND_KVMALLOC, SITE_A, SEV_INFO, 2);
	if (f) {
		CHECK_U64(f->bytes, ORDER2 + ORDER3);
		CHECK_U64(f->bytes_alloc, ORDER3);
		CHECK_U64(f->gfp, GFP_KERNEL);
		CHECK_U64(f->gfp_all, GFP_KERNEL_ACCOUNT);
		CHECK(f->gfp_several);
	}
	CHECK_INT(fs.n, ==, 1);
	findings__free(&fs);
	collector__free(c);
}

/* ---- failures ----------------------------------------------------------- */

/* One failure that did not say it may fail makes the site a warning. */
TEST(failure_warns)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	transient(c, SITE_A, 100, 128, GFP_KERNEL, 0);
	km_failed(c, SITE_A, 100, 128, GFP_KERNEL);
	km_failed(c, SITE_A, 300, 512, GFP_KERNEL | KMS_GFP_NOWARN);
	judge(c, &fs);
	f = expect(&fs, FIND_FAILURE, SITE_A, SEV_WARNING, 2);
	if (f) {
		/* the size of the last failed request */
		CHECK_U64(f->req_min, 300);
		CHECK_U64(f->req_max, 300);
		CHECK_U64(f->gfp, GFP_KERNEL);
		CHECK_U64(f->gfp_all, GFP_KERNEL | KMS_GFP_NOWARN);
		CHECK(f->gfp_several);
	}
	CHECK_INT(fs.n, ==, 1);
	findings__free(&fs);
	collector__free(c);
}

/* Failures the caller expects (__GFP_NOWARN, __GFP_NORETRY) are info. */
TEST(failure_expected)
{
	struct collector *c = new_coll(false);
	struct findings fs;

	km_failed(c, SITE_A, 100, 128, KVMALLOC_TRY_OLD);
	km_failed(c, SITE_A, 100, 128, GFP_KERNEL | KMS_GFP_NORETRY);
	km_failed(c, SITE_B, 100, 128, GFP_NOWAIT);
	km_failed(c, SITE_C, 100, 128, GFP_ATOMIC);
	transient(c, SITE_D, 100, 128, GFP_KERNEL, 0);
	judge(c, &fs);
	expect(&fs, FIND_FAILURE, SITE_A, SEV_INFO, 2);
	expect(&fs, FIND_FAILURE, SITE_B, SEV_INFO, 1);
	expect(&fs, FIND_FAILURE, SITE_C, SEV_WARNING, 1);
	CHECK_INT(nr_site(&fs, SITE_D), ==, 0);
	CHECK_INT(fs.n, ==, 3);
	findings__free(&fs);
	collector__free(c);
}

/* ---- waste -------------------------------------------------------------- */

/*
 * 200 bytes take kmalloc-256; trimmed to 192 they fit kmalloc-192 and
 * save 64 bytes an object.  The smaller class is the site's own type.
 */
TEST(waste_smaller)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	repeat(c, SITE_A, HOT, 200, 256, GFP_KERNEL, LIVE_KEPT);
	repeat(c, SITE_B, HOT, 200, 256, GFP_KERNEL_ACCOUNT, 0);
	judge(c, &fs);
	f = expect(&fs, FIND_WASTE_SMALLER, SITE_A, SEV_INFO, HOT);
	if (f) {
		CHECK_U64(f->bytes, HOT * (256 - 200));
		CHECK_U64(f->bytes_alloc, 256);
		CHECK_U64(f->suggest, 192);
		CHECK_STR(f->suggest_cache, "kmalloc-192");
		CHECK_STR(f->cache, "kmalloc-256");
		CHECK_U64(f->savings_per_object, 256 - 192);
		CHECK_U64(f->savings, LIVE_KEPT * (256 - 192));
		CHECK_U64(f->req_min, 200);
		CHECK_U64(f->req_max, 200);
	}
	/* One suggestion per site: the dedicated cache is not offered too. */
	CHECK(!find(&fs, FIND_WASTE_CACHE, SITE_A));
	f = expect(&fs, FIND_WASTE_SMALLER, SITE_B, SEV_INFO, HOT);
	if (f) {
		CHECK_STR(f->suggest_cache, "kmalloc-cg-192");
		CHECK_U64(f->savings, 0);
	}
	findings__free(&fs);
	collector__free(c);
}

/*
 * A request at most an eighth of the class above the smaller class
 * (224 in kmalloc-256) is "just above"; one byte more is not.  A site is
 * hot from HOT allocations.  Requests across two classes are not trimmed
 * to one.
 */
TEST(waste_smaller_limits)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	repeat(c, SITE_A, HOT, 224, 256, GFP_KERNEL, 0);
	repeat(c, SITE_B, HOT, 225, 256, GFP_KERNEL, 0);
	repeat(c, SITE_C, HOT - 1, 200, 256, GFP_KERNEL, 0);
	repeat(c, SITE_D, HOT / 2, 150, 192, GFP_KERNEL, 0);
	repeat(c, SITE_D, HOT / 2, 200, 256, GFP_KERNEL, 0);
	judge(c, &fs);
	f = expect(&fs, FIND_WASTE_SMALLER, SITE_A, SEV_INFO, HOT);
	if (f)
		CHECK_U64(f->suggest, 192);
	CHECK_INT(nr_site(&fs, SITE_B), ==, 0);
	CHECK_INT(nr_site(&fs, SITE_C), ==, 0);
	CHECK_INT(nr_site(&fs, SITE_D), ==, 0);
	CHECK_INT(fs.n, ==, 1);
	findings__free(&fs);
	collector__free(c);
}

/* A kmem_buckets site (msg_msg-256) moves to its own msg_msg-192. */
TEST(waste_smaller_bucket)
{
	struct collector_opts o;
	struct collector *c;
	const struct finding *f;
	struct findings fs;
	unsigned int i;

	default_opts(&o, false);
	o.kp.nr_buckets = 1;
	strcpy(o.kp.buckets[0], "msg_msg");
	c = start(&o);
	cache_info(c, K_MSG, "msg_msg-256", 256, 256);
	for (i = 0; i < HOT; i++)
		feed(c, (struct kms_event){ .type = KMS_EV_KMALLOC, .flags = KMS_EVF_KERNEL_CACHE,
					    .ptr = HEAP + i * PTR_STRIDE, .call_site = SITE_A,
					    .cache = K_MSG, .bytes_req = 200, .bytes_alloc = 256,
					    .gfp = GFP_KERNEL });
	judge(c, &fs);
	f = expect(&fs, FIND_WASTE_SMALLER, SITE_A, SEV_INFO, HOT);
	if (f) {
		CHECK_STR(f->cache, "msg_msg-256");
		CHECK_STR(f->suggest_cache, "msg_msg-192");
		CHECK_U64(f->savings, HOT * (256 - 192));
	}
	findings__free(&fs);
	collector__free(c);
}

/*
 * A fixed size that wastes at least a fifth of its class: 409 bytes in
 * kmalloc-512 waste 103 (just over 512 / 5) and a cache of 416-byte
 * objects saves 96 each; 410 bytes waste 102, under a fifth.  Objects of
 * a kmem_cache are 8-byte aligned: 24 bytes save 8 in kmalloc-32, 25
 * bytes (a 32-byte object either way) save nothing.
 */
TEST(waste_cache)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	repeat(c, SITE_A, HOT, 409, 512, GFP_KERNEL, LIVE_KEPT);
	repeat(c, SITE_B, HOT, 410, 512, GFP_KERNEL, 0);
	repeat(c, SITE_C, HOT, 24, 32, GFP_KERNEL, 0);
	repeat(c, SITE_D, HOT, 25, 32, GFP_KERNEL, 0);
	judge(c, &fs);
	f = expect(&fs, FIND_WASTE_CACHE, SITE_A, SEV_INFO, HOT);
	if (f) {
		CHECK_U64(f->bytes, HOT * (512 - 409));
		CHECK_U64(f->bytes_alloc, 512);
		CHECK_U64(f->savings_per_object, 512 - 416);
		CHECK_U64(f->savings, LIVE_KEPT * (512 - 416));
	}
	f = expect(&fs, FIND_WASTE_CACHE, SITE_C, SEV_INFO, HOT);
	if (f)
		CHECK_U64(f->savings_per_object, 8);
	CHECK_INT(nr_site(&fs, SITE_B), ==, 0);
	CHECK_INT(nr_site(&fs, SITE_D), ==, 0);
	CHECK_INT(nr_kind(&fs, FIND_WASTE_SMALLER), ==, 0);
	findings__free(&fs);
	collector__free(c);
}

/*
 * Only kmalloc memory in slab classes is judged for waste: a kmem_cache
 * is already its own cache (also when 5.15 did not name it), and a large
 * kmalloc is pages (FIND_KVMALLOC's business).
 */
TEST(waste_not_kmalloc)
{
	struct collector *c = new_coll(false);
	struct findings fs;
	unsigned int i;

	cache_info(c, K_FOO, "foo", 24, 32);
	for (i = 0; i < HOT; i++) {
		kfree_ptr(c, cache_alloc(c, SITE_A, K_FOO, GFP_KERNEL));
		feed(c, (struct kms_event){ .type = KMS_EV_CACHE_ALLOC, .ptr = P_UNNAMED,
					    .call_site = SITE_B, .bytes_req = 24,
					    .bytes_alloc = 32, .gfp = GFP_KERNEL });
		kfree_ptr(c, P_UNNAMED);
	}
	repeat(c, SITE_C, HOT, LARGE_REQ, ORDER2, KVMALLOC_TRY_OLD, 0);
	judge(c, &fs);
	CHECK_INT(fs.n, ==, 0);
	findings__free(&fs);
	collector__free(c);
}

/*
 * Variable sizes wasting at least a quarter: 383 and 385 in kmalloc-512
 * waste 256 of 1024; 384 and 385 waste 255, over a fifth but under a
 * quarter, and being variable get no dedicated-cache advice either.
 */
TEST(waste_roundup)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	repeat(c, SITE_A, HOT / 2, 383, 512, GFP_KERNEL, 0);
	repeat(c, SITE_A, HOT / 2, 385, 512, GFP_KERNEL, 0);
	repeat(c, SITE_B, HOT / 2, 384, 512, GFP_KERNEL, 0);
	repeat(c, SITE_B, HOT / 2, 385, 512, GFP_KERNEL, 0);
	judge(c, &fs);
	f = expect(&fs, FIND_WASTE_ROUNDUP, SITE_A, SEV_HINT, HOT);
	if (f) {
		CHECK_U64(f->bytes, HOT / 2 * (1024 - 383 - 385));
		CHECK_U64(f->bytes_alloc, 512);
		CHECK_U64(f->req_min, 383);
		CHECK_U64(f->req_max, 385);
	}
	CHECK_INT(nr_site(&fs, SITE_B), ==, 0);
	CHECK_INT(fs.n, ==, 1);
	findings__free(&fs);
	collector__free(c);
}

/*
 * The fifth and the quarter to the byte, one object per site: 410 bytes
 * waste 102 of 512 (510 < 512) where 409 waste 103; 384 and 385 waste
 * 255 of 1024 where 383 and 385 waste 256.  Every site is hot here.
 */
TEST(waste_limits_exact)
{
	struct findings_opts o = { .hot_allocs = 1 };
	struct collector *c = new_coll(false);
	struct findings fs;
	struct runinfo ri;

	transient(c, SITE_A, 409, 512, GFP_KERNEL, 0);
	transient(c, SITE_B, 410, 512, GFP_KERNEL, 0);
	transient(c, SITE_C, 383, 512, GFP_KERNEL, 0);
	transient(c, SITE_C, 385, 512, GFP_KERNEL, 0);
	transient(c, SITE_D, 384, 512, GFP_KERNEL, 0);
	transient(c, SITE_D, 385, 512, GFP_KERNEL, 0);
	clean_run(&ri);
	judge_with(c, &ri, &o, &fs);
	expect(&fs, FIND_WASTE_CACHE, SITE_A, SEV_INFO, 1);
	expect(&fs, FIND_WASTE_ROUNDUP, SITE_C, SEV_HINT, 2);
	CHECK_INT(nr_site(&fs, SITE_B), ==, 0);
	CHECK_INT(nr_site(&fs, SITE_D), ==, 0);
	CHECK_INT(fs.n, ==, 2);
	findings__free(&fs);
	collector__free(c);
}

/* ---- churn ----------------------------------------------------------- */

#define CHURN_N		2000	/* allocations of a churning site, in 1 s */

static void churn_run(struct runinfo *ri, uint64_t duration_ms)
{
	clean_run(ri);
	ri->duration_ns = duration_ms * NS_PER_MS;
}

/* n allocations of one size, each freed at once, of which the first keep live. */
static void churn(struct collector *c, uint64_t site, unsigned int n, uint32_t req,
		  uint32_t alloc, unsigned int keep)
{
	repeat(c, site, n, req, alloc, GFP_KERNEL, keep);
}

/*
 * A one-size kmalloc site at 2000/s whose objects all die at once: a hint,
 * with its rate and lifetimes.  Silent: the same held 2 ms (over the 1 ms
 * bound), two sizes, a kmem_cache of its own, 999 allocations (1000
 * fire), 89 % freed (90 % fire), and a kmem_buckets kernel where the
 * model cannot tell the shared cache from a bucket set's.
 */
TEST(churn)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	uint64_t held[CHURN_N];
	struct findings fs;
	struct runinfo ri;
	unsigned int i;

	churn(c, SITE_A, CHURN_N, 64, 64, 0);
	for (i = 0; i < CHURN_N; i++)
		held[i] = km(c, SITE_B, 64, 64, GFP_KERNEL);
	now_ns += 2 * NS_PER_MS;
	for (i = 0; i < CHURN_N; i++)
		kfree_ptr(c, held[i]);
	for (i = 0; i < CHURN_N; i++)
		churn(c, SITE_C, 1, i & 1 ? 60 : 64, 64, 0);
	cache_info(c, K_FOO, "foo", 64, 64);
	for (i = 0; i < CHURN_N; i++)
		kfree_ptr(c, cache_alloc(c, SITE_D, K_FOO, GFP_KERNEL));
	churn(c, SITE_E, 999, 64, 64, 0);
	churn(c, SITE_F, 1000, 64, 64, 0);
	churn(c, SITE_BASE, 1000, 64, 64, 100);
	churn(c, SITE_BASE + SITE_STRIDE, 1000, 64, 64, 101);
	churn_run(&ri, 1000);
	judge_with(c, &ri, &plain_opts, &fs);
	f = expect(&fs, FIND_CHURN, SITE_A, SEV_HINT, CHURN_N);
	if (f) {
		CHECK_U64(f->freed, CHURN_N);
		CHECK(f->rate > 1999.9 && f->rate < 2000.1);
		CHECK_INT(f->lt_p50, ==, 0);
		CHECK_INT(f->lt_p99, ==, 0);
		CHECK_U64(f->bytes, CHURN_N * 64);
		CHECK_STR(f->cache, "kmalloc-64");
	}
	expect(&fs, FIND_CHURN, SITE_F, SEV_HINT, 1000);
	expect(&fs, FIND_CHURN, SITE_BASE, SEV_HINT, 1000);
	CHECK(!find(&fs, FIND_CHURN, SITE_B));
	CHECK(!find(&fs, FIND_CHURN, SITE_C));
	CHECK(!find(&fs, FIND_CHURN, SITE_D));
	CHECK(!find(&fs, FIND_CHURN, SITE_E));
	CHECK(!find(&fs, FIND_CHURN, SITE_BASE + SITE_STRIDE));
	CHECK_INT(nr_kind(&fs, FIND_CHURN), ==, 3);
	findings__free(&fs);
	/* The same allocations over 2.5 s: 800/s at most, no churn. */
	churn_run(&ri, 2500);
	judge_with(c, &ri, &plain_opts, &fs);
	CHECK_INT(nr_kind(&fs, FIND_CHURN), ==, 0);
	findings__free(&fs);
	collector__free(c);
}

TEST(churn_buckets)
{
	struct collector_opts o;
	struct collector *c;
	struct findings fs;
	struct runinfo ri;

	default_opts(&o, false);
	o.kp.nr_buckets = 1;
	strcpy(o.kp.buckets[0], "msg_msg");
	c = start(&o);
	churn(c, SITE_A, CHURN_N, 64, 64, 0);
	churn_run(&ri, 1000);
	judge_with(c, &ri, &plain_opts, &fs);
	CHECK_INT(nr_kind(&fs, FIND_CHURN), ==, 0);
	findings__free(&fs);
	collector__free(c);
}

/* ---- leaks -------------------------------------------------------------- */

/* Step k of follow() happens at STEP_MS(k): half a sample period in. */
#define STEP_MS(k)	(500 + 1000 * (uint64_t)(k))

/*
 * SITE_A holds t[k] objects of size bytes after step k; the trace ends
 * 400 ms after the last step.  The collector samples every second, so its
 * samples and final count are exactly t[0] .. t[m - 1].  Frees take the
 * newest objects first.  Requests are 3/4 of the object: a leak weighs
 * the memory its objects hold, not what was asked for.
 */
static void follow(struct collector *c, const uint32_t *t, size_t m, uint32_t size)
{
	uint64_t held[MAX_HELD];
	size_t live = 0, k;

	for (k = 0; k < m; k++) {
		at(STEP_MS(k));
		while (live < t[k] && live < MAX_HELD)
			held[live++] = km(c, SITE_A, size / 4 * 3, size, GFP_KERNEL);
		while (live > t[k])
			kfree_ptr(c, held[--live]);
	}
	tick(c, STEP_MS(m - 1) + 400);
}

/* The growth findings.c gives SITE_A following t, or -1 without a leak. */
static int growth_for(const uint32_t *t, size_t m)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;
	int g;

	follow(c, t, m, 64);
	judge(c, &fs);
	f = find(&fs, FIND_LEAK, SITE_A);
	g = f ? (int)f->growth : -1;
	findings__free(&fs);
	collector__free(c);
	return g;
}

/*
 * Four more objects every second: growing at exactly 4 a second, 44
 * objects of 64 bytes weighted 4 (growing) and 2 (high confidence), a
 * warning.  Ages run from the first burst (10.4 s) to the last (0.4 s).
 */
TEST(leak_growing)
{
	static const uint32_t t[] = { 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44 };
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	follow(c, t, ARRAY_SIZE(t), 64);
	judge(c, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, SEV_WARNING, 44);
	if (f) {
		CHECK_INT(f->growth, ==, LEAK_GROWING);
		CHECK(f->slope > 3.999999 && f->slope < 4.000001);
		CHECK_U64(f->bytes, 44 * 64);
		CHECK_U64(f->rank, 44 * 64 * 4 * 2);
		CHECK_INT(f->confidence, ==, 2);
		CHECK(!f->frees_unseen);
		CHECK_STR(f->why_not_sure, "");
		CHECK_U64(f->ages[0], 4);
		CHECK_U64(f->ages[1], 36);
		CHECK_U64(f->ages[2], 4);
		CHECK_U64(f->ages[3], 0);
		CHECK_U64(f->oldest_ms, 10400);
		CHECK_STR(f->cache, "kmalloc-64");
	}
	CHECK_INT(fs.n, ==, 1);
	findings__free(&fs);
	collector__free(c);
}

/* A pool that fills and drains: steady, a hint whatever its size. */
TEST(leak_steady)
{
	static const uint32_t t[] = { 80, 40, 80, 40, 80, 40, 80, 40, 80, 40, 80 };
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	follow(c, t, ARRAY_SIZE(t), 256);
	judge(c, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, SEV_HINT, 80);
	if (f) {
		CHECK_INT(f->growth, ==, LEAK_STEADY);
		CHECK_U64(f->bytes, 80 * 256);
		CHECK_U64(f->rank, 80 * 256 * 1 * 2);
	}
	findings__free(&fs);
	collector__free(c);
}

/*
 * Growth needs 4 values (3 samples and the final count); rises in at least
 * half of the steps (5 of 10); and falls in at most a tenth of the values
 * (1 of 11), more make it steady.
 */
TEST(leak_growth_limits)
{
	static const uint32_t three[] = { 1, 2, 3 };
	static const uint32_t four[] = { 1, 2, 3, 4 };
	static const uint32_t rises5[] = { 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6 };
	static const uint32_t rises4[] = { 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5 };
	static const uint32_t falls1[] = { 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9 };
	static const uint32_t falls2[] = { 1, 2, 3, 2, 3, 4, 3, 4, 5, 6, 7 };

	CHECK_INT(growth_for(three, ARRAY_SIZE(three)), ==, LEAK_HELD);
	CHECK_INT(growth_for(four, ARRAY_SIZE(four)), ==, LEAK_GROWING);
	CHECK_INT(growth_for(rises5, ARRAY_SIZE(rises5)), ==, LEAK_GROWING);
	CHECK_INT(growth_for(rises4, ARRAY_SIZE(rises4)), ==, LEAK_HELD);
	CHECK_INT(growth_for(falls1, ARRAY_SIZE(falls1)), ==, LEAK_GROWING);
	CHECK_INT(growth_for(falls2, ARRAY_SIZE(falls2)), ==, LEAK_STEADY);
}

/*
 * A level count whose objects turned over (as many freed as held) is a
 * pool at steady state; one free short of that, the burst is held.
 */
TEST(leak_turnover)
{
	struct collector *c = new_coll(false);
	uint64_t a[40], b[40];
	const struct finding *f;
	struct findings fs;
	size_t i;

	at(100);
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		a[i] = km(c, SITE_A, 64, 64, GFP_KERNEL);
		b[i] = km(c, SITE_B, 64, 64, GFP_KERNEL);
	}
	at(5500);
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		kfree_ptr(c, a[i]);
		km(c, SITE_A, 64, 64, GFP_KERNEL);
	}
	for (i = 1; i < ARRAY_SIZE(b); i++) {
		kfree_ptr(c, b[i]);
		km(c, SITE_B, 64, 64, GFP_KERNEL);
	}
	tick(c, 10100);
	judge(c, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, SEV_HINT, 40);
	if (f)
		CHECK_INT(f->growth, ==, LEAK_STEADY);
	f = expect(&fs, FIND_LEAK, SITE_B, SEV_WARNING, 40);
	if (f) {
		CHECK_INT(f->growth, ==, LEAK_HELD);
		CHECK_U64(f->rank, 40 * 64 * 2 * 2);
	}
	findings__free(&fs);
	collector__free(c);
}

/*
 * A held leak is a warning from WARN_OBJECTS objects and a rank of
 * WARN_RANK (bytes x 2 held x 2 confident): 32 x 64 bytes is both limits
 * exactly; 63 x 32 bytes ranks 8064; 31 big objects are too few.
 */
TEST(leak_warn_limits)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;

	at(100);
	repeat(c, SITE_A, WARN_OBJECTS, 64, 64, GFP_KERNEL, WARN_OBJECTS);
	repeat(c, SITE_B, 63, 32, 32, GFP_KERNEL, 63);
	repeat(c, SITE_C, WARN_OBJECTS - 1, 256, 256, GFP_KERNEL, WARN_OBJECTS);
	tick(c, 5000);
	judge(c, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, SEV_WARNING, WARN_OBJECTS);
	if (f) {
		CHECK_INT(f->growth, ==, LEAK_HELD);
		CHECK_U64(f->rank, WARN_RANK);
	}
	f = expect(&fs, FIND_LEAK, SITE_B, SEV_INFO, 63);
	if (f)
		CHECK_U64(f->rank, 63 * 32 * 2 * 2);
	f = expect(&fs, FIND_LEAK, SITE_C, SEV_INFO, WARN_OBJECTS - 1);
	if (f)
		CHECK(f->rank > WARN_RANK);
	findings__free(&fs);
	collector__free(c);
}

/*
 * Without a command (the whole system, -p, --comm) a trace of under a
 * minute ends in the middle of everyone's working set: what would be a
 * warning is info, and says why.  A minute or more, or a command, and it
 * is a warning again.
 */
TEST(leak_short_window)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;
	struct runinfo ri;

	at(100);
	repeat(c, SITE_A, WARN_OBJECTS, 64, 64, GFP_KERNEL, WARN_OBJECTS);
	tick(c, 5000);
	clean_run(&ri);
	ri.command[0] = 0;
	ri.duration_ns = 5000 * NS_PER_MS;
	judge_with(c, &ri, &plain_opts, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, SEV_INFO, WARN_OBJECTS);
	CHECK(f && f->short_window && f->rank == WARN_RANK);
	findings__free(&fs);
	ri.duration_ns = 60000 * NS_PER_MS;
	judge_with(c, &ri, &plain_opts, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, SEV_WARNING, WARN_OBJECTS);
	CHECK(f && !f->short_window);
	findings__free(&fs);
	clean_run(&ri);
	ri.duration_ns = 5000 * NS_PER_MS;
	judge_with(c, &ri, &plain_opts, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, SEV_WARNING, WARN_OBJECTS);
	CHECK(f && !f->short_window);
	findings__free(&fs);
	collector__free(c);
}

/* Objects 6 s and 3 s old at the end; min_age_ms counts from its value on. */
TEST(leak_min_age)
{
	struct findings_opts o = plain_opts;
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;
	struct runinfo ri;

	clean_run(&ri);
	at(1000);
	km(c, SITE_A, 64, 64, GFP_KERNEL);
	at(4000);
	km(c, SITE_A, 64, 64, GFP_KERNEL);
	tick(c, 7000);
	o.min_age_ms = 6000;
	judge_with(c, &ri, &o, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, SEV_INFO, 1);
	if (f) {
		CHECK_U64(f->bytes, 64);
		/* The ages show every live object, old enough or not. */
		CHECK_U64(f->ages[1], 2);
		CHECK_U64(f->oldest_ms, 6000);
	}
	findings__free(&fs);
	o.min_age_ms = 6001;
	judge_with(c, &ri, &o, &fs);
	CHECK_INT(fs.n, ==, 0);
	findings__free(&fs);
	o.min_age_ms = 3000;
	judge_with(c, &ri, &o, &fs);
	expect(&fs, FIND_LEAK, SITE_A, SEV_INFO, 2);
	findings__free(&fs);
	collector__free(c);
}

/* Nothing live, nothing leaked. */
TEST(leak_none_when_freed)
{
	struct collector *c = new_coll(false);
	struct findings fs;

	repeat(c, SITE_A, 8, 64, 64, GFP_KERNEL, 0);
	tick(c, 5000);
	judge(c, &fs);
	CHECK_INT(fs.n, ==, 0);
	findings__free(&fs);
	collector__free(c);
}

static void check_ages(const struct finding *f, uint64_t a0, uint64_t a1, uint64_t a2,
		       uint64_t a3, uint32_t oldest)
{
	if (!f)
		return;
	CHECK_U64(f->ages[0], a0);
	CHECK_U64(f->ages[1], a1);
	CHECK_U64(f->ages[2], a2);
	CHECK_U64(f->ages[3], a3);
	CHECK_U64(f->oldest_ms, oldest);
}

/*
 * Buckets split at 1, 10 and 60 s: objects aged 60000, 59999, 10000,
 * 9999, 1000 and 999 ms at the last event.  A run that went on 10 s after
 * its last event ages them all by 10 s, min_age_ms included; a duration
 * shorter than the events is no shift.
 */
TEST(leak_ages)
{
	static const uint32_t born_ms[] = { 0, 1, 50000, 50001, 59000, 59001 };
	struct findings_opts o = plain_opts;
	struct collector *c = new_coll(false);
	struct findings fs;
	struct runinfo ri;
	size_t i;

	clean_run(&ri);
	for (i = 0; i < ARRAY_SIZE(born_ms); i++) {
		at(born_ms[i]);
		km(c, SITE_A, 64, 64, GFP_KERNEL);
	}
	tick(c, 60000);
	judge_with(c, &ri, &o, &fs);
	check_ages(expect(&fs, FIND_LEAK, SITE_A, SEV_INFO, 6), 1, 2, 2, 1, 60000);
	findings__free(&fs);
	ri.duration_ns = 70000 * NS_PER_MS;
	judge_with(c, &ri, &o, &fs);
	check_ages(expect(&fs, FIND_LEAK, SITE_A, SEV_INFO, 6), 0, 0, 4, 2, 70000);
	findings__free(&fs);
	o.min_age_ms = 65000;
	judge_with(c, &ri, &o, &fs);
	expect(&fs, FIND_LEAK, SITE_A, SEV_INFO, 2);
	findings__free(&fs);
	o.min_age_ms = 0;
	ri.duration_ns = 30000 * NS_PER_MS;
	judge_with(c, &ri, &o, &fs);
	check_ages(expect(&fs, FIND_LEAK, SITE_A, SEV_INFO, 6), 1, 2, 2, 1, 60000);
	findings__free(&fs);
	collector__free(c);
}

/* ---- leak confidence ---------------------------------------------------- */

#define MISSED_FREES_WHY "1 of its objects were allocated again while live: " \
			 "some of its frees are not traced"

/*
 * SITE_A holds 4 objects of 64 bytes (rank 256 x 2 held, x 2 when
 * confident); SITE_B allocated one pointer twice, so some of its frees
 * are not traced whatever the run says.
 */
static struct collector *confidence_fixture(void)
{
	struct collector *c = new_coll(false);
	int i;

	at(100);
	repeat(c, SITE_A, 4, 64, 64, GFP_KERNEL, 4);
	for (i = 0; i < 2; i++)
		feed(c, (struct kms_event){ .type = KMS_EV_KMALLOC, .ptr = P_REUSED,
					    .call_site = SITE_B, .bytes_req = 64,
					    .bytes_alloc = 64, .gfp = GFP_KERNEL });
	tick(c, 5000);
	return c;
}

/* SITE_A's leak under ri: its confidence, rank and why; SITE_B's never changes. */
static void check_confidence(const struct collector *c, const struct runinfo *ri,
			     int confidence, const char *why)
{
	const struct finding *f;
	struct findings fs;

	judge_with(c, ri, &plain_opts, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, SEV_INFO, 4);
	if (f) {
		CHECK_INT(f->confidence, ==, confidence);
		CHECK(!f->frees_unseen);
		CHECK_U64(f->rank, 256 * 2 * (confidence == 2 ? 2 : 1));
		CHECK_STR(f->why_not_sure, why);
	}
	f = expect(&fs, FIND_LEAK, SITE_B, SEV_HINT, 1);
	if (f) {
		CHECK_INT(f->confidence, ==, 0);
		CHECK(f->frees_unseen);
		CHECK_U64(f->rank, 64 * 2);
		CHECK_STR(f->why_not_sure, MISSED_FREES_WHY);
	}
	findings__free(&fs);
}

TEST(leak_confidence)
{
	static const char lost[] = "5 events were lost in this trace; "
				   "a lost free looks like a leak";
	struct collector *c = confidence_fixture();
	struct runinfo ri;

	clean_run(&ri);
	check_confidence(c, &ri, 2, "");
	/* 6.18: batches traced, kfree_rcu() into sheaves not; then neither. */
	ri.rcu_sheaf = KMS_SHEAF_UNTRACED;
	check_confidence(c, &ri, 1, "frees through kfree_rcu sheaves are not traced on this "
			 "kernel");
	ri.rcu_sheaf = KMS_SHEAF_TRACED;
	check_confidence(c, &ri, 2, "");
	ri.rcu_bulk_traced = false;
	check_confidence(c, &ri, 1, "frees through kfree_rcu batches are not traced on this "
			 "kernel");
	/* Lost events are the first reason given. */
	ri.counters[KMS_CNT_RB_FAIL] = 3;
	ri.counters[KMS_CNT_TRACK_FULL] = 2;
	check_confidence(c, &ri, 1, lost);
	/* The live table full in filtered mode loses frees too. */
	clean_run(&ri);
	ri.counters[KMS_CNT_TRACK_FULL] = 5;
	check_confidence(c, &ri, 1, lost);
	clean_run(&ri);
	ri.recursion_misses = 5;
	check_confidence(c, &ri, 1, lost);
	/* Misses the backup programs recovered lost nothing. */
	ri.has_main_misses = true;
	ri.main_misses = 5;
	ri.counters[KMS_CNT_RECOVERED] = 5;
	check_confidence(c, &ri, 2, "");
	collector__free(c);
}

/*
 * The leak of 40 maple nodes on kernel, the kmalloc leak beside it, and
 * a maple node allocated twice at SITE_C.
 */
static void check_maple(const struct collector *c, const char *kernel, bool unseen)
{
	const struct finding *f;
	struct findings fs;
	struct runinfo ri;

	clean_run(&ri);
	snprintf(ri.kernel, sizeof(ri.kernel), "%s", kernel);
	judge_with(c, &ri, &plain_opts, &fs);
	f = expect(&fs, FIND_LEAK, SITE_A, unseen ? SEV_HINT : SEV_WARNING, 40);
	if (f) {
		CHECK_INT(f->frees_unseen, ==, unseen);
		CHECK_INT(f->confidence, ==, unseen ? 0 : 2);
		CHECK_U64(f->rank, 40 * 256 * 2 * (unseen ? 1 : 2));
		if (unseen)
			CHECK_STR(f->why_not_sure, "maple_node objects are freed through "
				  "kfree_rcu() into sheaves on this kernel, which no program sees");
	}
	f = expect(&fs, FIND_LEAK, SITE_B, SEV_INFO, 4);
	if (f)
		CHECK_INT(f->confidence, ==, 2);
	/* Frees seen missing say more than the kernel version does. */
	f = expect(&fs, FIND_LEAK, SITE_C, SEV_HINT, 1);
	if (f)
		CHECK_STR(f->why_not_sure, MISSED_FREES_WHY);
	findings__free(&fs);
}

/* From 6.18 maple nodes are freed where no program sees: no evidence of a leak. */
TEST(leak_maple_kernel)
{
	struct collector *c = new_coll(false);
	int i;

	cache_info(c, K_MAPLE, "maple_node", 256, 256);
	at(100);
	for (i = 0; i < 40; i++)
		cache_alloc(c, SITE_A, K_MAPLE, GFP_KERNEL);
	repeat(c, SITE_B, 4, 64, 64, GFP_KERNEL, 4);
	for (i = 0; i < 2; i++)
		feed(c, (struct kms_event){ .type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
					    .ptr = P_REUSED, .call_site = SITE_C, .cache = K_MAPLE,
					    .gfp = GFP_KERNEL });
	tick(c, 5000);
	check_maple(c, "6.17.13-200.fc42.x86_64", false);
	check_maple(c, "6.18.0", true);
	check_maple(c, "6.19.2", true);
	check_maple(c, "", false);
	collector__free(c);
}

static size_t site_index(const struct collector *c, uint64_t site)
{
	size_t i;

	for (i = 0; i < collector__nr_sites(c); i++)
		if (collector__site(c, i)->call_site == site)
			return i;
	T_FAIL("no site %#llx", (unsigned long long)site);
	return 0;
}

/* SITE_A's leak of 4 with unv of them unverifiable (membill's site_unverifiable). */
static const struct finding *leak_unverifiable(const struct collector *c,
					       const struct runinfo *ri, uint64_t unv,
					       size_t nr_sites, struct findings *fs)
{
	uint64_t *per_site = calloc(collector__nr_sites(c), sizeof(*per_site));
	struct findings_opts o = plain_opts;

	CHECK(per_site != NULL);
	if (per_site)
		per_site[site_index(c, SITE_A)] = unv;
	o.site_unverifiable = per_site;
	o.nr_sites = nr_sites;
	judge_with(c, ri, &o, fs);
	free(per_site);
	return find(fs, FIND_LEAK, SITE_A);
}

/*
 * More live than the kernel's cache holds: all of the leak is a hint of
 * low confidence, part of it medium, and it outranks lost events.  A site
 * beyond nr_sites has no count.
 */
TEST(leak_unverifiable)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;
	struct runinfo ri;

	at(100);
	repeat(c, SITE_B, 4, 64, 64, GFP_KERNEL, 4);	/* site 0 */
	repeat(c, SITE_A, 4, 64, 64, GFP_KERNEL, 4);	/* site 1 */
	tick(c, 5000);
	clean_run(&ri);
	f = leak_unverifiable(c, &ri, 4, collector__nr_sites(c), &fs);
	CHECK(f && f->severity == SEV_HINT && f->count == 4);
	if (f) {
		CHECK_INT(f->confidence, ==, 0);
		CHECK(f->frees_unseen);
		CHECK_STR(f->why_not_sure, "4 of its live objects are more than kmalloc-64 holds "
			  "at the end: freed by a path without an event");
	}
	f = find(&fs, FIND_LEAK, SITE_B);
	CHECK(f && f->confidence == 2);
	findings__free(&fs);
	ri.counters[KMS_CNT_RB_FAIL] = 1;
	f = leak_unverifiable(c, &ri, 3, collector__nr_sites(c), &fs);
	CHECK(f && f->severity == SEV_INFO && f->count == 4);
	if (f) {
		CHECK_INT(f->confidence, ==, 1);
		CHECK(!f->frees_unseen);
		CHECK_STR(f->why_not_sure, "3 of its 4 live objects are more than kmalloc-64 "
			  "holds at the end: freed by a path without an event");
	}
	findings__free(&fs);
	clean_run(&ri);
	f = leak_unverifiable(c, &ri, 4, site_index(c, SITE_A), &fs);
	CHECK(f && f->severity == SEV_INFO && f->confidence == 2 && !f->frees_unseen);
	findings__free(&fs);
	collector__free(c);
}

/* ---- order -------------------------------------------------------------- */

static void check_order(const struct findings *fs, const enum finding_kind *kinds,
			const uint64_t *sites, size_t n)
{
	size_t i;

	CHECK_INT(fs->n, ==, n);
	for (i = 0; i < n && i < fs->n; i++) {
		CHECK_INT(fs->f[i].kind, ==, kinds[i]);
		CHECK_U64(fs->f[i].call_site, sites[i]);
	}
}

/*
 * Bugs, then warnings, info and hints; within hints, a leak whose frees
 * no program sees comes after a hint of no size at all.
 */
TEST(order_by_severity)
{
	static const enum finding_kind kinds[] = {
		FIND_GFP_SLEEP_IN_IRQ, FIND_FAILURE, FIND_GFP_DMA, FIND_GFP_NOFS_SCOPE, FIND_LEAK,
	};
	static const uint64_t sites[] = { SITE_E, SITE_D, SITE_C, SITE_B, SITE_A };
	struct collector *c = new_coll(true);
	struct findings fs;
	int i;

	for (i = 0; i < 2; i++)
		feed(c, (struct kms_event){ .type = KMS_EV_KMALLOC, .ptr = P_REUSED,
					    .call_site = SITE_A, .bytes_req = 64,
					    .bytes_alloc = 64, .gfp = GFP_KERNEL });
	transient(c, SITE_B, 64, 64, GFP_NOFS, KMS_EVF_NOFS);
	transient(c, SITE_C, 64, 64, GFP_KERNEL | KMS_GFP_DMA, 0);
	km_failed(c, SITE_D, 64, 64, GFP_KERNEL);
	transient(c, SITE_E, 64, 64, GFP_KERNEL, KMS_EVF_SOFTIRQ);
	judge(c, &fs);
	check_order(&fs, kinds, sites, ARRAY_SIZE(kinds));
	findings__free(&fs);
	collector__free(c);
}

/*
 * Waste is ranked by what a fix saves now, not by what was wasted: SITE_A
 * wasted more but holds one object, SITE_B saves 64 bytes on each of ten.
 */
TEST(order_by_savings)
{
	struct collector *c = new_coll(false);
	const struct finding *a, *b;
	struct findings fs;

	repeat(c, SITE_A, HOT, 409, 512, GFP_KERNEL, 1);
	repeat(c, SITE_B, HOT, 200, 256, GFP_KERNEL, LIVE_KEPT);
	judge(c, &fs);
	a = expect(&fs, FIND_WASTE_CACHE, SITE_A, SEV_INFO, HOT);
	b = expect(&fs, FIND_WASTE_SMALLER, SITE_B, SEV_INFO, HOT);
	if (a && b) {
		CHECK(a->bytes > b->bytes && a->savings < b->savings);
		CHECK(b < a);
	}
	findings__free(&fs);
	collector__free(c);
}

/*
 * Within a severity: more bytes first, then more events, then the lower
 * call site, then the kind.  SITE_F's DMA and kvmalloc findings are about
 * the same two allocations.
 */
TEST(order_ties)
{
	static const enum finding_kind kinds[] = {
		FIND_FAILURE, FIND_FAILURE, FIND_FAILURE,
		FIND_GFP_DMA, FIND_KVMALLOC, FIND_KVMALLOC, FIND_KVMALLOC,
	};
	static const uint64_t sites[] = {
		SITE_D, SITE_C, SITE_E, SITE_F, SITE_F, SITE_B, SITE_A,
	};
	struct collector *c = new_coll(false);
	struct findings fs;
	int i;

	transient(c, SITE_A, LARGE_REQ, ORDER2, GFP_KERNEL, 0);
	transient(c, SITE_B, 20000, ORDER3, GFP_KERNEL, 0);
	km_failed(c, SITE_E, 64, 64, GFP_KERNEL);
	km_failed(c, SITE_C, 64, 64, GFP_KERNEL);
	for (i = 0; i < 3; i++)
		km_failed(c, SITE_D, 64, 64, GFP_KERNEL);
	transient(c, SITE_F, LARGE_REQ, ORDER2, GFP_KERNEL | KMS_GFP_DMA, 0);
	transient(c, SITE_F, LARGE_REQ, ORDER2, GFP_KERNEL | KMS_GFP_DMA, 0);
	judge(c, &fs);
	check_order(&fs, kinds, sites, ARRAY_SIZE(kinds));
	findings__free(&fs);
	collector__free(c);
}

/* More findings than the first allocation holds, still in order. */
#define MANY_SITES	70

TEST(order_many)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	struct findings fs;
	size_t i, j;

	for (i = 0; i < MANY_SITES; i++)
		for (j = 0; j <= i % 3; j++)
			km_failed(c, SITE_BASE + i * SITE_STRIDE, 64, 64, GFP_KERNEL);
	judge(c, &fs);
	CHECK_INT(fs.n, ==, MANY_SITES);
	if (fs.n)
		CHECK_U64(fs.f[0].call_site, SITE_BASE + 2 * SITE_STRIDE);
	for (i = 1; i < fs.n; i++) {
		f = &fs.f[i];
		CHECK(f[-1].count > f->count ||
		      (f[-1].count == f->count && f[-1].call_site < f->call_site));
	}
	findings__free(&fs);
	CHECK(fs.f == NULL && fs.n == 0);
	collector__free(c);
}

/* ---- names -------------------------------------------------------------- */

/* Every kind has its own name, an explanation and a fix (the JSON's keys). */
TEST(names)
{
	int k, j;

	for (k = 0; k < FIND_KIND_MAX; k++) {
		CHECK(strcmp(finding_kind_name(k), "?"));
		CHECK(*finding_explanation(k));
		CHECK(*finding_fix(k));
		for (j = 0; j < k; j++)
			CHECK(strcmp(finding_kind_name(j), finding_kind_name(k)));
	}
	CHECK_STR(finding_kind_name(FIND_KIND_MAX), "?");
	CHECK_STR(finding_kind_name(FIND_LEAK), "leak");
	CHECK_STR(finding_severity_name(SEV_BUG), "bug");
	CHECK_STR(finding_severity_name(SEV_HINT), "hint");
	CHECK_STR(finding_severity_name(SEV_HINT + 1), "?");
	CHECK_STR(leak_growth_name(LEAK_STEADY), "steady");
	CHECK_STR(leak_growth_name(LEAK_STEADY + 1), "?");
}

/*
 * kfree_rcu(): SITE_A's three objects are kfree_rcu()'d 1 ms after they
 * were made, two come back to the allocator 20 ms later (one through a
 * sheaf, its delay unknown), one still waits at the end: a note with
 * those counts, their lifetime is the 1 ms to the call, and the waiting
 * one, old as it is, is no leak.  SITE_B, freed with kfree, and SITE_C,
 * held to the end, get no note (SITE_C is a leak); a kfree_rcu() of an
 * object the trace did not see allocated is counted, nothing more.
 */
TEST(rcu_deferred)
{
	struct collector *c = new_coll(false);
	const struct finding *f;
	uint64_t a[3], b;
	struct findings fs;
	struct runinfo ri;
	struct findings_opts o = plain_opts;
	int i;

	for (i = 0; i < 3; i++)
		a[i] = km(c, SITE_A, 100, 128, GFP_KERNEL);
	b = km(c, SITE_B, 100, 128, GFP_KERNEL);
	km(c, SITE_C, 100, 128, GFP_KERNEL);
	now_ns += NS_PER_MS;
	for (i = 0; i < 3; i++)
		feed(c, (struct kms_event){ .type = KMS_EV_RCU_CALL, .ptr = a[i] });
	feed(c, (struct kms_event){ .type = KMS_EV_RCU_CALL, .ptr = UNTRACED });
	kfree_ptr(c, b);
	now_ns += 20 * NS_PER_MS;
	kfree_ptr(c, a[0]);
	feed(c, (struct kms_event){ .type = KMS_EV_KFREE, .flags = KMS_EVF_SHEAF, .ptr = a[1] });
	now_ns += 5000 * NS_PER_MS;
	CHECK_U64(collector__counts(c)->rcu_untraced, 1);
	CHECK_U64(collector__counts(c)->events[KMS_EV_RCU_CALL], 4);
	clean_run(&ri);
	ri.duration_ns = now_ns - T0;
	o.min_age_ms = 1000;
	judge_with(c, &ri, &o, &fs);
	f = expect(&fs, FIND_RCU_DEFERRED, SITE_A, SEV_HINT, 3);
	if (f) {
		CHECK_U64(f->freed, 2);
		CHECK_U64(f->rcu_sheaf, 1);
		CHECK_U64(f->waiting, 1);
		CHECK_U64(f->waiting_bytes, 128);
		/* 20 ms: the bucket [16.4 ms, 32.8 ms). */
		CHECK_INT(f->delay_p50, ==, (int)lifetime__bucket(20000));
		CHECK_INT(f->delay_max, ==, (int)lifetime__bucket(20000));
	}
	/* Lifetimes end at the call: three of 1 ms, none of 20 ms. */
	for (size_t s = 0; s < collector__nr_sites(c); s++) {
		const struct kms_site *site = collector__site(c, s);

		if (site->call_site != SITE_A)
			continue;
		CHECK_U64(lifetime__total(&site->lt), 3);
		CHECK_INT(lifetime__max(&site->lt), ==, (int)lifetime__bucket(1000));
		CHECK_U64(site->t.live, 1);	/* the allocator still has it */
	}
	CHECK(!find(&fs, FIND_LEAK, SITE_A));
	CHECK(!find(&fs, FIND_RCU_DEFERRED, SITE_B));
	CHECK(!find(&fs, FIND_RCU_DEFERRED, SITE_C));
	expect(&fs, FIND_LEAK, SITE_C, SEV_INFO, 1);
	findings__free(&fs);
	collector__free(c);
}

int main(void)
{
	t_suite = "findings";
	RUN(sleep_in_atomic);
	RUN(sleep_each_atomic_context);
	RUN(sleep_allowed);
	RUN(atomic_unneeded);
	RUN(atomic_needed);
	RUN(nofs_in_scope);
	RUN(nofs_needed);
	RUN(nofail_order);
	RUN(nofail_order_boundary);
	RUN(nofail_judged_per_allocation);
	RUN(slab_bad_flags);
	RUN(gfp_dma);
	RUN(atomic_large);
	RUN(kvmalloc);
	RUN(failure_warns);
	RUN(failure_expected);
	RUN(waste_smaller);
	RUN(waste_smaller_limits);
	RUN(waste_smaller_bucket);
	RUN(waste_cache);
	RUN(waste_not_kmalloc);
	RUN(waste_roundup);
	RUN(churn);
	RUN(churn_buckets);
	RUN(rcu_deferred);
	RUN(waste_limits_exact);
	RUN(leak_growing);
	RUN(leak_steady);
	RUN(leak_growth_limits);
	RUN(leak_turnover);
	RUN(leak_warn_limits);
	RUN(leak_short_window);
	RUN(leak_min_age);
	RUN(leak_none_when_freed);
	RUN(leak_ages);
	RUN(leak_confidence);
	RUN(leak_maple_kernel);
	RUN(leak_unverifiable);
	RUN(order_by_severity);
	RUN(order_by_savings);
	RUN(order_ties);
	RUN(order_many);
	RUN(names);
	return test_done();
}
