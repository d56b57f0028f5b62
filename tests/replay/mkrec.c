// SPDX-License-Identifier: GPL-2.0
/*
 * mkrec.c - writes the synthetic recordings of the replay tests.  Each one
 * stages an edge case the live kernel will not produce on demand: a free
 * of a pointer never seen, one pointer allocated twice, the 6.11+ double
 * large-kmalloc event, a record type from the future, a failed allocation,
 * a cut-short file.  The committed .data files must equal what this writes
 * (tests/replay/run.sh checks), so a change of the format cannot go by
 * unnoticed.
 *
 *   mkrec edge OUT        all of the above in one complete recording
 *   mkrec truncated OUT   the same, cut inside the second EVENTS chunk
 *   mkrec findings OUT    6.5 s with one site per finding rule (report)
 *   mkrec leaks OUT       8 s of leak sites: growth classes and order (report leaks)
 *   mkrec negatives OUT   correct kernel code beside the GFP rules, and two positives
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>

#include "encode.h"
#include "recfile.h"

#define T0	1000000000ULL
#define SITE_A	0xffffffff81200010ULL	/* fixture_alloc_a+0x10 */
#define SITE_B	0xffffffff81200120ULL	/* fixture_alloc_b+0x20 */
#define SITE_K	0xffffffff81300008ULL	/* __kmalloc_noprof+0x8 */
#define SITE_P	0xffffffff81400044ULL	/* pipe_resize_ring+0x44 */
#define CACHE_ID 0xffff888001234560ULL
#define P(n)	(0xffff888100000000ULL + (n) * 0x100)

static const char meta[] =
	"kernel=6.18.0-synthetic\nmethod=tp_btf\nhostname=fixture\ncommand=\nfilters=\n"
	"page_size=4096\nncpus=2\nt0_mono_ns=1000000000\nt0_real_ns=0\nptr_probe_read=0\n";

static const char symbols[] =
	"ffffffff81200000 T fixture_alloc_a\n"
	"ffffffff81200100 T fixture_alloc_b\n"
	"ffffffff81200200 T fixture_next\n"
	"ffffffff81300000 T __kmalloc_noprof\n"
	"ffffffff81300100 T __kmalloc_node_noprof\n"
	"ffffffff81400000 T pipe_resize_ring\n"
	"ffffffff81400100 T pipe_next\n";

static const char counters[] =
	"duration_ns=2500000000\nrecursion_misses=0\nexit_status=-1\nseen_kmalloc=8\n"
	"seen_kfree=5\nseen_kmem_cache_alloc=1\nseen_kmem_cache_free=1\nfree_null=2\n"
	"filtered=0\nfree_untracked=0\nringbuf_lost=0\ntrack_full=0\ninfo_lost=0\n";

static struct recfile_writer *w;
static unsigned long long ts = T0;

static void add(const void *rec, size_t len)
{
	if (recfile_writer__add_record(w, rec, len)) {
		fprintf(stderr, "mkrec: add_record failed\n");
		exit(1);
	}
}

/* Every record through kms_encode(): only encode.c knows the layout. */
static void add_event(const struct kms_event *ev)
{
	unsigned char rec[KMS_ENCODE_MAX];
	int n = kms_encode(ev, rec, sizeof(rec));

	if (n < 0) {
		fprintf(stderr, "mkrec: kms_encode: %s\n", strerror(-n));
		exit(1);
	}
	add(rec, n);
}

static void task(__u32 tid, const char *comm)
{
	struct kms_event ev = { .type = KMS_EV_TASK, .tid = tid, .tgid = tid, .name = comm,
				.name_len = strlen(comm) };

	add_event(&ev);
}

/* flags: KMS_EVF_* context and task scope; failed when ptr is 0. */
static void kmalloc_ctx(__u32 tid, __u64 site, __u64 ptr, __u32 req, __u32 alloc, __u32 gfp,
			unsigned int flags)
{
	struct kms_event ev = {
		.type = KMS_EV_KMALLOC, .flags = flags | (ptr ? 0 : KMS_EVF_FAILED), .cpu = 1,
		.tid = tid, .tgid = tid, .gfp = gfp, .ts = ts += 1000, .ptr = ptr,
		.call_site = site, .bytes_req = req, .bytes_alloc = alloc,
	};

	add_event(&ev);
}

static void kmalloc(__u32 tid, __u64 site, __u64 ptr, __u32 req, __u32 alloc, __u32 gfp)
{
	kmalloc_ctx(tid, site, ptr, req, alloc, gfp, 0);
}

static void kfree(__u32 tid, __u64 ptr)
{
	struct kms_event ev = { .type = KMS_EV_KFREE, .tid = tid, .ts = ts += 1000, .ptr = ptr };

	add_event(&ev);
}

static void cache_events(void)
{
	struct kms_event ci = {
		.type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE, .cache = CACHE_ID,
		.object_size = 200, .size = 208, .name = "fixture_cache", .name_len = 13,
	};
	struct kms_event ca = {
		.type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE, .tid = 42, .tgid = 42,
		.gfp = 0xcc0, .ptr = P(20), .call_site = SITE_B, .cache = CACHE_ID,
	};
	struct kms_event cf = {
		.type = KMS_EV_CACHE_FREE, .flags = KMS_EVF_HAS_CACHE, .tid = 42, .ptr = P(21),
		.cache = CACHE_ID,
	};

	add_event(&ci);
	ca.ts = ts += 1000;
	add_event(&ca);
	cf.ts = ts += 1000;
	add_event(&cf);	/* allocated before the trace: frees_pretrace */
}

/* A record type a later kmscope might write: skipped and counted. */
static void future_record(void)
{
	unsigned char r[40] = { 99 };

	add(r, sizeof(r));
}

static void events(void)
{
	task(42, "fixture");
	kmalloc(42, SITE_A, P(1), 100, 128, 0xcc0);	/* freed below */
	kfree(42, P(1));
	kfree(42, P(2));				/* never allocated: unmatched */
	kmalloc(42, SITE_A, P(3), 50, 64, 0x400cc0);	/* its free is missed ... */
	kmalloc(42, SITE_B, P(3), 60, 64, 0xcc0);	/* ... re-allocated */
	kmalloc(42, SITE_B, 0, 300, 512, 0xcc0);	/* failed */
	future_record();
	if (recfile_writer__flush(w))
		exit(1);	/* the next records land in a second chunk */
	/* 6.11+: __do_kmalloc_node traces a large kmalloc twice. */
	kmalloc(43, SITE_K, P(10), 10240, 16384, 0x40cc0);
	kmalloc(43, SITE_P, P(10), 10240, 16384, 0x40cc0);
	kmalloc(42, SITE_A, P(11), 9000, 16384, 0xcc0);	/* a single large kmalloc */
	kfree(43, P(10));
	cache_events();
	kmalloc(42, SITE_A, P(12), 24, 32, 0xdc0);	/* live at the end */
}

/* ---- findings: one call site per rule of src/findings.c ---------------- */

#define F_GROW		0xffffffff81500010ULL	/* fixture_grow+0x10 */
#define F_STEADY	0xffffffff81500110ULL	/* fixture_steady+0x10 */
#define F_SMALLER	0xffffffff81500210ULL	/* fixture_smaller+0x10 */
#define F_NOFAIL	0xffffffff81500310ULL	/* fixture_nofail+0x10 */
#define F_DMA32		0xffffffff81500410ULL	/* fixture_dma32+0x10 */
#define F_NULL		0xffffffff81500510ULL	/* fixture_null+0x10 */
#define F_ATOMIC	0xffffffff81500610ULL	/* fixture_atomic+0x10 */
#define F_CACHE		0xffffffff81500710ULL	/* fixture_cache+0x10 */
#define F_ROUNDUP	0xffffffff81500810ULL	/* fixture_roundup+0x10 */
#define F_IRQSLEEP	0xffffffff81500910ULL	/* fixture_irq_sleep+0x10 */
#define F_IRQOK		0xffffffff81500a10ULL	/* fixture_irq_atomic+0x10 */
#define F_SPIN		0xffffffff81500b10ULL	/* fixture_spinlock_sleep+0x10 */
#define F_TASKATOM	0xffffffff81500c10ULL	/* fixture_task_atomic+0x10 */
#define F_RCUSLEEP	0xffffffff81500d10ULL	/* fixture_rcu_sleep+0x10 */
#define F_RCUATOM	0xffffffff81500e10ULL	/* fixture_rcu_atomic+0x10 */
#define F_NOFS		0xffffffff81500f10ULL	/* fixture_nofs_in_scope+0x10 */
#define F_SCOPED	0xffffffff81501010ULL	/* fixture_kernel_in_scope+0x10 */

static const char findings_symbols[] =
	"ffffffff81500000 T fixture_grow\n"
	"ffffffff81500100 T fixture_steady\n"
	"ffffffff81500200 T fixture_smaller\n"
	"ffffffff81500300 T fixture_nofail\n"
	"ffffffff81500400 T fixture_dma32\n"
	"ffffffff81500500 T fixture_null\n"
	"ffffffff81500600 T fixture_atomic\n"
	"ffffffff81500700 T fixture_cache\n"
	"ffffffff81500800 T fixture_roundup\n"
	"ffffffff81500900 T fixture_irq_sleep\n"
	"ffffffff81500a00 T fixture_irq_atomic\n"
	"ffffffff81500b00 T fixture_spinlock_sleep\n"
	"ffffffff81500c00 T fixture_task_atomic\n"
	"ffffffff81500d00 T fixture_rcu_sleep\n"
	"ffffffff81500e00 T fixture_rcu_atomic\n"
	"ffffffff81500f00 T fixture_nofs_in_scope\n"
	"ffffffff81501000 T fixture_kernel_in_scope\n"
	"ffffffff81501100 T fixture_end\n";

/* As meta, plus: context, the preempt count and the task's scope were tracked. */
static const char findings_meta[] =
	"kernel=6.18.0-synthetic\nmethod=tp_btf\nhostname=fixture\ncommand=\nfilters=\n"
	"page_size=4096\nncpus=2\nt0_mono_ns=1000000000\nt0_real_ns=0\nptr_probe_read=0\n"
	"context=1\npreempt=1\ntask_ctx=1\nrcu_nesting=1\n";

static const char findings_counters[] =
	"duration_ns=6500000000\nrecursion_misses=0\nexit_status=-1\nseen_kmalloc=610\n"
	"seen_kfree=188\nseen_kmem_cache_alloc=0\nseen_kmem_cache_free=0\nfree_null=0\n"
	"filtered=0\nfree_untracked=0\nringbuf_lost=0\ntrack_full=0\ninfo_lost=0\nself=0\n"
	"seen_rcu_free=0\n";

/* The pointer of the k-th object of a site: distinct per site. */
#define FP(site, k) (0xffff888200000000ULL + ((site) & 0xfff) * 0x100000 + (k) * 0x1000)

static void findings_events(void)
{
	unsigned long long t0 = T0;
	int i;

	task(42, "fixture");
	/*
	 * 6 s: every 100 ms fixture_grow allocates one object it never frees
	 * (a leak: the live count rises all along), fixture_steady allocates
	 * one and frees the one of a second ago (a pool at steady state).
	 */
	for (i = 0; i < 60; i++) {
		ts = t0 + (unsigned long long)i * 100000000ULL;
		kmalloc(42, F_GROW, FP(F_GROW, i), 60, 64, 0xcc0);
		kmalloc(42, F_STEADY, FP(F_STEADY, i), 60, 64, 0xcc0);
		if (i >= 10)
			kfree(42, FP(F_STEADY, i - 10));
	}
	/* 200 x 200 bytes in kmalloc-256: 192 would fit kmalloc-192. */
	for (i = 0; i < 200; i++)
		kmalloc(42, F_SMALLER, FP(F_SMALLER, i), 200, 256, 0xcc0);
	/* __GFP_NOFAIL on an order-2 kmalloc (12000 -> 16 KiB). */
	kmalloc(42, F_NOFAIL, FP(F_NOFAIL, 0), 12000, 16384, 0xcc0 | 0x8000);
	kfree(42, FP(F_NOFAIL, 0));
	/* __GFP_DMA32 on kmalloc: "Fix your code!". */
	kmalloc(42, F_DMA32, FP(F_DMA32, 0), 64, 64, 0xcc4);
	kfree(42, FP(F_DMA32, 0));
	/* Two GFP_ATOMIC requests that returned NULL. */
	kmalloc(42, F_NULL, 0, 100, 128, 0x820);
	kmalloc(42, F_NULL, 0, 100, 128, 0x820);
	/* A 64 KiB (order 4) GFP_ATOMIC kmalloc in softirq. */
	kmalloc_ctx(42, F_ATOMIC, FP(F_ATOMIC, 0), 40000, 65536, 0x820, KMS_EVF_SOFTIRQ);
	kfree(42, FP(F_ATOMIC, 0));
	/* 150 x 700 bytes in kmalloc-1k: its own 704-byte cache saves 320 each. */
	for (i = 0; i < 150; i++)
		kmalloc(42, F_CACHE, FP(F_CACHE, i), 700, 1024, 0xcc0);
	/* 120 requests of 520..995 bytes in kmalloc-1k, all freed. */
	for (i = 0; i < 120; i++) {
		kmalloc(42, F_ROUNDUP, FP(F_ROUNDUP, i), 520 + 4 * i, 1024, 0xcc0);
		kfree(42, FP(F_ROUNDUP, i));
	}
	/* GFP_KERNEL in a hardirq handler (a bug) and GFP_ATOMIC in softirq (fine). */
	for (i = 0; i < 2; i++) {
		kmalloc_ctx(42, F_IRQSLEEP, FP(F_IRQSLEEP, i), 64, 64, 0xcc0, KMS_EVF_HARDIRQ);
		kfree(42, FP(F_IRQSLEEP, i));
		kmalloc_ctx(42, F_IRQOK, FP(F_IRQOK, i), 64, 64, 0x820, KMS_EVF_SOFTIRQ);
		kfree(42, FP(F_IRQOK, i));
	}
	/*
	 * With the preempt count known (this recording's META says so):
	 * GFP_KERNEL with preemption disabled (a bug), and GFP_ATOMIC twice
	 * in plain task context (possibly unnecessary).
	 */
	kmalloc_ctx(42, F_SPIN, FP(F_SPIN, 0), 64, 64, 0xcc0, KMS_EVF_PREEMPT_OFF);
	kfree(42, FP(F_SPIN, 0));
	for (i = 0; i < 2; i++) {
		kmalloc(42, F_TASKATOM, FP(F_TASKATOM, i), 64, 64, 0x820);
		kfree(42, FP(F_TASKATOM, i));
	}
	/*
	 * The task's scope (task_ctx, rcu_nesting): GFP_KERNEL inside
	 * rcu_read_lock() (a bug), GFP_ATOMIC there (right, not flagged),
	 * GFP_NOFS inside a memalloc_nofs_save() scope (redundant: a hint)
	 * and GFP_KERNEL inside one (right).
	 */
	for (i = 0; i < 2; i++) {
		kmalloc_ctx(42, F_RCUSLEEP, FP(F_RCUSLEEP, i), 64, 64, 0xcc0, KMS_EVF_RCU);
		kfree(42, FP(F_RCUSLEEP, i));
		kmalloc_ctx(42, F_RCUATOM, FP(F_RCUATOM, i), 64, 64, 0x820, KMS_EVF_RCU);
		kfree(42, FP(F_RCUATOM, i));
		kmalloc_ctx(42, F_NOFS, FP(F_NOFS, i), 64, 64, 0xc40, KMS_EVF_NOFS);
		kfree(42, FP(F_NOFS, i));
		kmalloc_ctx(42, F_SCOPED, FP(F_SCOPED, i + 100), 64, 64, 0xcc0, KMS_EVF_NOFS);
		kfree(42, FP(F_SCOPED, i + 100));
	}
	/* Everything after the sampled 6 s happens at 6.5 s. */
	(void)t0;
}

/* A recording of findings_meta, the events, then symbols and counters. */
static int write_synthetic(const char *path, void (*events_fn)(void), const char *syms,
			   const char *counts)
{
	FILE *f = fopen(path, "w");

	if (!f || !(w = recfile_writer__new(f)))
		return 1;
	if (recfile_writer__add_section(w, KMS_SEC_META, findings_meta, strlen(findings_meta)))
		return 1;
	events_fn();
	if (recfile_writer__add_section(w, KMS_SEC_SYMBOLS, syms, strlen(syms)) ||
	    recfile_writer__add_section(w, KMS_SEC_COUNTERS, counts, strlen(counts)) ||
	    recfile_writer__finish(w))
		return 1;
	recfile_writer__free(w);
	return fclose(f) ? 1 : 0;
}

/*
 * ---- negatives: correct kernel code next to the GFP rules --------------
 *
 * What kernels legitimately do that a naive rule would flag, each at its
 * own call site, and two positives beside them: kvmalloc()'s kmalloc
 * attempt as 6.1/6.12 trace it (at kvmalloc_node, +__GFP_NOWARN
 * +__GFP_NORETRY) and as 6.18 traces it (at the caller, +__GFP_NOWARN
 * -__GFP_DIRECT_RECLAIM, beside the caller's small GFP_USER requests), a
 * helper that allocates GFP_ATOMIC in both hardirq and task context,
 * GFP_NOWAIT (opportunistic, __GFP_NOWARN since 6.7), failures that asked
 * for __GFP_NOWARN, and a failed large kmalloc that 6.11+ traces twice.
 */
#define N_KVM61		0xffffffff81600010ULL	/* kvmalloc_node+0x10 */
#define N_KVM618	0xffffffff81600110ULL	/* map_update_elem+0x10 */
#define N_SHARED	0xffffffff81600210ULL	/* shared_helper+0x10 */
#define N_NOWAIT	0xffffffff81600310ULL	/* opportunistic+0x10 */
#define N_FAILOK	0xffffffff81600410ULL	/* try_big+0x10 */
#define N_INTERNAL	0xffffffff81600510ULL	/* __kmalloc_node_noprof+0x10 */
#define N_BIGFAIL	0xffffffff81600610ULL	/* big_caller+0x10 */
#define N_ATOMBIG	0xffffffff81600710ULL	/* atomic_big+0x10 */
#define N_MIXED		0xffffffff81600810ULL	/* irq_mixed+0x10 */
#define N_SMALLNOFAIL	0xffffffff81600910ULL	/* small_nofail+0x10 */
#define N_NOFSPLAIN	0xffffffff81600a10ULL	/* nofs_no_scope+0x10 */
#define N_ACCOUNT	0xffffffff81600b10ULL	/* account_reclaimable+0x10 */
#define N_NOWAITBIG	0xffffffff81600c10ULL	/* nowait_big+0x10 */
#define N_NOFSBOTH	0xffffffff81600d10ULL	/* nofs_both+0x10 */

static const char negatives_symbols[] =
	"ffffffff81600000 T kvmalloc_node\n"
	"ffffffff81600100 T map_update_elem\n"
	"ffffffff81600200 T shared_helper\n"
	"ffffffff81600300 T opportunistic\n"
	"ffffffff81600400 T try_big\n"
	"ffffffff81600500 T __kmalloc_node_noprof\n"
	"ffffffff81600600 T big_caller\n"
	"ffffffff81600700 T atomic_big\n"
	"ffffffff81600800 T irq_mixed\n"
	"ffffffff81600900 T small_nofail\n"
	"ffffffff81600a00 T nofs_no_scope\n"
	"ffffffff81600b00 T account_reclaimable\n"
	"ffffffff81600c00 T nowait_big\n"
	"ffffffff81600d00 T nofs_both\n"
	"ffffffff81600e00 T negatives_end\n";

#define GFP_KERNEL_	0xcc0u
#define GFP_USER_	0x100cc0u
#define GFP_ATOMIC_	0x820u
#define NOWARN_		0x2000u
#define NORETRY_	0x10000u
#define RECLAIM_	0x400u

static const char negatives_counters[] =
	"duration_ns=1000000000\nrecursion_misses=0\nexit_status=-1\nseen_kmalloc=130\n"
	"seen_kfree=125\nseen_kmem_cache_alloc=0\nseen_kmem_cache_free=0\nfree_null=0\n"
	"filtered=0\nfree_untracked=0\nringbuf_lost=0\ntrack_full=0\ninfo_lost=0\nself=0\n"
	"seen_rcu_free=0\n";

static void negatives_events(void)
{
	int i;

	task(43, "negatives");
	for (i = 0; i < 20; i++) {
		/* kvmalloc(12000, GFP_KERNEL) and kvmalloc(1000, GFP_KERNEL) on 6.1. */
		kmalloc(43, N_KVM61, FP(N_KVM61, i), 12000, 16384, GFP_KERNEL_ | NOWARN_ | NORETRY_);
		kfree(43, FP(N_KVM61, i));
		kmalloc(43, N_KVM61, FP(N_KVM61, i + 100), 1000, 1024, GFP_KERNEL_);
		kfree(43, FP(N_KVM61, i + 100));
		/* kvmalloc(.., GFP_USER) on 6.18: small as asked, large without reclaim. */
		kmalloc(43, N_KVM618, FP(N_KVM618, i), 3000, 4096, GFP_USER_);
		kfree(43, FP(N_KVM618, i));
		kmalloc(43, N_KVM618, FP(N_KVM618, i + 100), 20000, 32768,
			(GFP_USER_ | NOWARN_) & ~RECLAIM_);
		kfree(43, FP(N_KVM618, i + 100));
	}
	for (i = 0; i < 10; i++) {
		kmalloc_ctx(43, N_SHARED, FP(N_SHARED, i), 64, 64, GFP_ATOMIC_, KMS_EVF_HARDIRQ);
		kfree(43, FP(N_SHARED, i));
		kmalloc(43, N_SHARED, FP(N_SHARED, i + 100), 64, 64, GFP_ATOMIC_);
		kfree(43, FP(N_SHARED, i + 100));
	}
	for (i = 0; i < 5; i++) {
		kmalloc(43, N_NOWAIT, FP(N_NOWAIT, i), 64, 64, 0x2800);	/* GFP_NOWAIT */
		kfree(43, FP(N_NOWAIT, i));
	}
	for (i = 0; i < 3; i++)
		kmalloc(43, N_FAILOK, 0, 100000, 131072, GFP_KERNEL_ | NOWARN_);
	/*
	 * __GFP_NOFAIL on small objects (the allocator's own guidance: fine up
	 * to order 1), GFP_NOFS outside any scope (a filesystem's own path),
	 * GFP_KERNEL_ACCOUNT|__GFP_RECLAIMABLE (valid slab flags), and a large
	 * GFP_NOWAIT that, like every GFP_NOWAIT since 6.7, says it may fail.
	 */
	for (i = 0; i < 2; i++) {
		kmalloc(43, N_SMALLNOFAIL, FP(N_SMALLNOFAIL, i), 100, 128, GFP_KERNEL_ | 0x8000);
		kfree(43, FP(N_SMALLNOFAIL, i));
		kmalloc(43, N_NOFSPLAIN, FP(N_NOFSPLAIN, i), 64, 64, 0xc40);
		kfree(43, FP(N_NOFSPLAIN, i));
		kmalloc(43, N_ACCOUNT, FP(N_ACCOUNT, i), 64, 64, GFP_KERNEL_ | 0x400000 | 0x10);
		kfree(43, FP(N_ACCOUNT, i));
		kmalloc(43, N_NOWAITBIG, FP(N_NOWAITBIG, i), 20000, 32768, 0x2800);
		kfree(43, FP(N_NOWAITBIG, i));
	}
	/* GFP_NOFS inside a nofs scope and, from another caller, outside any. */
	for (i = 0; i < 2; i++) {
		kmalloc_ctx(43, N_NOFSBOTH, FP(N_NOFSBOTH, i), 64, 64, 0xc40, KMS_EVF_NOFS);
		kfree(43, FP(N_NOFSBOTH, i));
		kmalloc(43, N_NOFSBOTH, FP(N_NOFSBOTH, i + 100), 64, 64, 0xc40);
		kfree(43, FP(N_NOFSBOTH, i + 100));
	}
	/* 6.11+: one failed large kmalloc, traced inside the allocator, then for the caller. */
	kmalloc(43, N_INTERNAL, 0, 5000000, 8388608, GFP_KERNEL_);
	kmalloc(43, N_BIGFAIL, 0, 5000000, 8388608, GFP_KERNEL_);
	/* Positives: a 32 KiB GFP_ATOMIC kmalloc in task context, ... */
	for (i = 0; i < 4; i++) {
		kmalloc(43, N_ATOMBIG, FP(N_ATOMBIG, i), 20000, 32768, GFP_ATOMIC_);
		kfree(43, FP(N_ATOMBIG, i));
	}
	/* ... and sleeping allocations in hardirq with two sets of flags. */
	for (i = 0; i < 3; i++) {
		kmalloc_ctx(43, N_MIXED, FP(N_MIXED, i), 64, 64, GFP_KERNEL_, KMS_EVF_HARDIRQ);
		kfree(43, FP(N_MIXED, i));
	}
	kmalloc_ctx(43, N_MIXED, FP(N_MIXED, 9), 64, 64, GFP_KERNEL_ | 0x100, KMS_EVF_HARDIRQ);
	kfree(43, FP(N_MIXED, 9));
}

static int write_all(const char *path, long cut)
{
	FILE *f = fopen(path, "w");

	if (!f || !(w = recfile_writer__new(f)))
		return 1;
	if (recfile_writer__add_section(w, KMS_SEC_META, meta, strlen(meta)))
		return 1;
	events();
	if (recfile_writer__add_section(w, KMS_SEC_SYMBOLS, symbols, strlen(symbols)) ||
	    recfile_writer__add_section(w, KMS_SEC_COUNTERS, counters, strlen(counters)) ||
	    recfile_writer__finish(w))
		return 1;
	recfile_writer__free(w);
	if (fclose(f))
		return 1;
	return cut > 0 && truncate(path, cut) ? 1 : 0;
}

/* Cut the recording at path in the middle of its second events section. */
static int cut_second_chunk(const char *path)
{
	struct recfile_section_info sec;
	struct recfile_reader *r;
	FILE *f = fopen(path, "r");
	long long cut = -1;
	int chunks = 0;

	r = f ? recfile_reader__new(f, NULL) : NULL;
	if (r)
		recfile_reader__keep_packed(r, true);
	while (r && recfile_reader__next_section(r, &sec, NULL) == 1) {
		if ((sec.type == KMS_SEC_EVENTS || sec.type == KMS_SEC_EVENTS_PACKED) &&
		    ++chunks == 2) {
			cut = sec.offset + RECFILE_SEC_HDR_SIZE + (long long)sec.stored_len / 2;
			break;
		}
	}
	recfile_reader__free(r);
	if (f)
		fclose(f);
	return cut < 0 || truncate(path, cut) ? 1 : 0;
}

/*
 * ---- leaks: the growth classes and the order of the leak table ---------
 *
 * 8 s, the last event at 5.5 s: a burst of 1500 objects at 0.1 s kept to
 * the end (held, the first leak), a pool that frees what it allocated a
 * second before (steady), one object a second never freed (growing, but a
 * few objects), three objects at 2 s (held noise), and a larger site whose
 * addresses come back while live (its frees are not seen: grouped last).
 */
#define L_BURST		0xffffffff81700010ULL	/* leak_burst+0x10 */
#define L_POOL		0xffffffff81700110ULL	/* leak_pool+0x10 */
#define L_GROW		0xffffffff81700210ULL	/* leak_grow+0x10 */
#define L_NOISE		0xffffffff81700310ULL	/* leak_noise+0x10 */
#define L_BLIND		0xffffffff81700410ULL	/* leak_blind+0x10 */

static const char leaks_symbols[] =
	"ffffffff81700000 T leak_burst\n"
	"ffffffff81700100 T leak_pool\n"
	"ffffffff81700200 T leak_grow\n"
	"ffffffff81700300 T leak_noise\n"
	"ffffffff81700400 T leak_blind\n"
	"ffffffff81700500 T leak_end\n";

static const char leaks_counters[] =
	"duration_ns=8000000000\nrecursion_misses=0\nexit_status=-1\nseen_kmalloc=2129\n"
	"seen_kfree=100\nseen_kmem_cache_alloc=0\nseen_kmem_cache_free=0\nfree_null=0\n"
	"filtered=0\nfree_untracked=0\nringbuf_lost=0\ntrack_full=0\ninfo_lost=0\nself=0\n"
	"seen_rcu_free=0\n";

static void leaks_events(void)
{
	int i, k;

	task(43, "leaky");
	ts = T0 + 100000000ULL;
	for (i = 0; i < 1500; i++)		/* 176-byte requests, like a msg_msg */
		kmalloc(43, L_BURST, FP(L_BURST, i), 176, 192, 0xcc0);
	for (k = 0; k < 6; k++) {
		ts = T0 + 500000000ULL + (unsigned long long)k * 1000000000ULL;
		for (i = 0; i < 20; i++) {
			kmalloc(43, L_POOL, FP(L_POOL, k * 20 + i), 60, 64, 0xcc0);
			if (k)
				kfree(43, FP(L_POOL, (k - 1) * 20 + i));
		}
		kmalloc(43, L_GROW, FP(L_GROW, k), 60, 64, 0xcc0);
		if (k == 1)
			for (i = 0; i < 3; i++)
				kmalloc(43, L_NOISE, FP(L_NOISE, i), 500, 512, 0xcc0);
		if (k == 2)
			for (i = 0; i < 400; i++)
				kmalloc(43, L_BLIND, FP(L_BLIND, i), 1000, 1024, 0xcc0);
		if (k == 3)	/* the same addresses again: their frees were not seen */
			for (i = 0; i < 100; i++)
				kmalloc(43, L_BLIND, FP(L_BLIND, i), 1000, 1024, 0xcc0);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3)
		goto usage;
	if (!strcmp(argv[1], "edge"))
		return write_all(argv[2], 0);
	if (!strcmp(argv[1], "findings"))
		return write_synthetic(argv[2], findings_events, findings_symbols,
				       findings_counters);
	if (!strcmp(argv[1], "leaks"))
		return write_synthetic(argv[2], leaks_events, leaks_symbols, leaks_counters);
	if (!strcmp(argv[1], "negatives"))
		return write_synthetic(argv[2], negatives_events, negatives_symbols,
				       negatives_counters);
	/* Header, META and the first chunk survive; the second chunk is cut. */
	if (!strcmp(argv[1], "truncated"))
		return write_all(argv[2], 0) || cut_second_chunk(argv[2]);
usage:
	fprintf(stderr, "usage: mkrec edge|truncated|findings|negatives|leaks OUT\n");
	return 2;
}
