// SPDX-License-Identifier: GPL-2.0
/*
 * findings.c - see findings.h.  Each rule is a small function over one
 * call site's totals (collect.h); the leak rules also walk the live table
 * once for ages.  Thresholds are conservative on purpose: a finding must
 * be worth a kernel engineer's time, and say what it is not sure of.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "findings.h"
#include "gfp.h"
#include "grow.h"
#include "ksyms.h"
#include "membill.h"
#include "runinfo.h"
#include "slabgeom.h"
#include "util.h"

static const char *const kind_names[FIND_KIND_MAX] = {
	[FIND_LEAK] = "leak",
	[FIND_FAILURE] = "failure",
	[FIND_GFP_SLEEP_IN_IRQ] = "gfp-sleep-in-atomic",
	[FIND_GFP_ATOMIC_UNNEEDED] = "gfp-atomic-possibly-unnecessary",
	[FIND_GFP_NOFAIL_ORDER] = "gfp-nofail-order",
	[FIND_GFP_SLAB_BAD] = "gfp-slab-bad-flags",
	[FIND_GFP_DMA] = "gfp-dma",
	[FIND_GFP_NOFS_SCOPE] = "gfp-nofs-in-scope",
	[FIND_ATOMIC_LARGE] = "gfp-atomic-large",
	[FIND_KVMALLOC] = "kvmalloc",
	[FIND_WASTE_SMALLER] = "waste-smaller-request",
	[FIND_WASTE_CACHE] = "waste-dedicated-cache",
	[FIND_WASTE_ROUNDUP] = "waste-roundup",
	[FIND_CHURN] = "churn-short-lived",
	[FIND_RCU_DEFERRED] = "rcu-deferred",
};

static const char *const explanations[FIND_KIND_MAX] = {
	[FIND_LEAK] = "Objects allocated here during the trace were still allocated when it "
		"ended. A count that rises through the trace is the signature of a leak; a "
		"count that rises and falls is a pool or cache at steady state; objects held "
		"at the end of a short run may simply be owned by something still alive.",
	[FIND_FAILURE] = "The allocation returned NULL. Every caller must check the return "
		"value of kmalloc(); this shows where the check is exercised and with which "
		"flags and size. A warning when some failed allocation did not say it may fail; "
		"info when all had __GFP_NOWARN or __GFP_NORETRY (the caller expects failure "
		"and has a fallback, as kvmalloc() does).",
	[FIND_GFP_ATOMIC_UNNEEDED] = "GFP_ATOMIC or GFP_NOWAIT in task context with "
		"preemption and bottom halves enabled (and outside rcu_read_lock() where the "
		"kernel shows it), where sleeping was allowed, at a site never seen in atomic "
		"context. It does not reclaim, dips into reserves (__GFP_HIGH) and fails more "
		"easily. Possibly unnecessary: a tracepoint cannot see interrupts disabled "
		"without a lock, nor callers the trace did not exercise. Allocations that say "
		"they may fail (__GFP_NOWARN, __GFP_NORETRY) are not counted.",
	[FIND_GFP_SLEEP_IN_IRQ] = "An allocation that may sleep (__GFP_DIRECT_RECLAIM: "
		"GFP_KERNEL, GFP_NOFS, ...) ran in an interrupt handler, a softirq, with "
		"preemption or bottom halves disabled, or inside rcu_read_lock(), where sleeping is a bug (\"BUG: sleeping function called from invalid context\" "
		"on kernels with CONFIG_DEBUG_ATOMIC_SLEEP; silent here). It works until "
		"memory is short, then it deadlocks or crashes.",
	[FIND_GFP_NOFAIL_ORDER] = "__GFP_NOFAIL asks the page allocator to loop forever. Above "
		"order 1 that can deadlock the system, and the kernel warns (WARN_ON_ONCE in "
		"the allocator slow path).",
	[FIND_GFP_SLAB_BAD] = "__GFP_DMA32 and __GFP_HIGHMEM are not valid for slab memory: "
		"the kernel strips them and prints \"Unexpected gfp ... Fix your code!\" with "
		"a stack dump (kmalloc_fix_flags).",
	[FIND_GFP_DMA] = "__GFP_DMA allocates from ZONE_DMA (the first 16 MiB on x86), a tiny "
		"zone that is easily exhausted. Few devices still need it.",
	[FIND_GFP_NOFS_SCOPE] = "GFP_NOFS (or GFP_NOIO) inside a memalloc_nofs_save() "
		"(memalloc_noio_save()) scope, which already removes __GFP_FS (__GFP_IO) from "
		"every allocation of the task. The flag repeats the scope; the kernel's "
		"guidance (Documentation/core-api/gfp_mask-from-fs-io.rst) is to mark the "
		"reclaim-recursion-sensitive section with the scope API and use GFP_KERNEL "
		"inside it. Only sites never seen using the flag outside such a scope (where "
		"the flag itself is what protects the caller) are hinted.",
	[FIND_ATOMIC_LARGE] = "A physically contiguous multi-page allocation that may not "
		"reclaim (no __GFP_DIRECT_RECLAIM). Under fragmentation it fails even when "
		"plenty of memory is free, and it dips into reserves. Allocations that say they "
		"may fail (__GFP_NOWARN, __GFP_NORETRY: kvmalloc()'s own kmalloc attempt, or a "
		"caller with a fallback) are not counted.",
	[FIND_KVMALLOC] = "kmalloc above KMALLOC_MAX_CACHE_SIZE goes to the page allocator "
		"for a physically contiguous block of order >= 1, which may fail under "
		"fragmentation and rounds up to a power of two of pages. Requests with a "
		"fallback (__GFP_NORETRY or __GFP_RETRY_MAYFAIL: kvmalloc()'s own kmalloc "
		"attempt up to 6.14) are not counted.",
	[FIND_WASTE_SMALLER] = "Every request here is a little larger than a smaller kmalloc "
		"class, so each object takes the next class and wastes most of the "
		"difference.",
	[FIND_WASTE_CACHE] = "A hot site allocates one fixed size that rounds up badly to "
		"a kmalloc class. A dedicated kmem_cache holds objects of exactly that size "
		"(the kernel's advice: make your own cache for special needs).",
	[FIND_WASTE_ROUNDUP] = "Variable-size requests leave a lot of unused slack in their "
		"kmalloc class. Callers that can use the slack (buffers that grow) should ask "
		"for it instead of reallocating.",
	[FIND_CHURN] = "A hot call site allocates objects of one size from a shared kmalloc "
		"cache at a high rate and frees nearly all of them within a millisecond. Each "
		"one costs an allocation and a free in a cache every other user of that size "
		"shares (its per-CPU slabs, sheaves and locks); a dedicated kmem_cache keeps "
		"them on slabs of their own and names them in /proc/slabinfo, and reusing the "
		"objects avoids the allocator altogether. A hint: whether the rate matters "
		"depends on what else the path does.",
	[FIND_RCU_DEFERRED] = "The site's objects are freed with kfree_rcu(): their owner is "
		"done with them at the call, where their lifetime ends in these reports, but "
		"the allocator gets the memory back only after a grace period, batched "
		"(kfree_bulk(), a few milliseconds to seconds later) or in a sheaf (6.18+). "
		"Until then the memory is held: objects waiting at the end of the trace are "
		"counted live but are not leaks. A note, not a problem.",
};

static const char *const fixes[FIND_KIND_MAX] = {
	[FIND_LEAK] = "Check who frees these objects (kmscope trace -i, or -g stacks when "
		"available); a growing count needs a free path, a steady one none.",
	[FIND_FAILURE] = "Make sure the caller handles NULL; for large or atomic requests "
		"consider kvmalloc() or a smaller request.",
	[FIND_GFP_SLEEP_IN_IRQ] = "Use GFP_ATOMIC (or GFP_NOWAIT) in this path, or move the "
		"allocation out of atomic context (allocate before taking the lock, preallocate, "
		"or defer to a workqueue).",
	[FIND_GFP_ATOMIC_UNNEEDED] = "If this path may sleep, use GFP_KERNEL; if it must not, "
		"say why in a comment next to the allocation.",
	[FIND_GFP_NOFAIL_ORDER] = "Use kvmalloc(), or split the allocation, or drop "
		"__GFP_NOFAIL and handle failure.",
	[FIND_GFP_SLAB_BAD] = "Drop __GFP_DMA32/__GFP_HIGHMEM from kmalloc; use the page "
		"allocator or the DMA API for such memory.",
	[FIND_GFP_DMA] = "Use dma_alloc_coherent()/dma_alloc_pages() with the device's DMA "
		"mask instead of GFP_DMA kmalloc.",
	[FIND_GFP_NOFS_SCOPE] = "Use GFP_KERNEL here and let the scope restrict it, so the "
		"allocation stays correct if it is ever called outside the scope too.",
	[FIND_ATOMIC_LARGE] = "Allocate ahead of time in a context that can sleep, use a "
		"mempool, or kvmalloc() with GFP_KERNEL where sleeping is allowed.",
	[FIND_KVMALLOC] = "If the memory need not be physically contiguous, use "
		"kvmalloc()/kvfree().",
	[FIND_WASTE_SMALLER] = "Trim the structure (or the requested length) to the smaller "
		"class's size.",
	[FIND_WASTE_CACHE] = "Create a kmem_cache for the object (kmem_cache_create() or "
		"KMEM_CACHE()) and allocate from it.",
	[FIND_WASTE_ROUNDUP] = "Size the request with kmalloc_size_roundup() and use the whole "
		"object.",
	[FIND_CHURN] = "If the rate is inherent, allocate the object from a dedicated "
		"kmem_cache (KMEM_CACHE()) or keep a few free ones at hand (a per-CPU list, or "
		"the object embedded in or reused by its owner); if it is not, find why it is "
		"made and destroyed so often.",
	[FIND_RCU_DEFERRED] = "Nothing, unless the memory held matters: a hot path that "
		"frees many objects this way holds a grace period's worth of them (slab "
		"memory that looks in use); reuse objects, or use SLAB_TYPESAFE_BY_RCU where "
		"readers can cope with reuse.",
};

const char *finding_kind_name(enum finding_kind k)
{
	return (unsigned int)k < FIND_KIND_MAX ? kind_names[k] : "?";
}

const char *finding_explanation(enum finding_kind k)
{
	return (unsigned int)k < FIND_KIND_MAX ? explanations[k] : "";
}

const char *finding_fix(enum finding_kind k)
{
	return (unsigned int)k < FIND_KIND_MAX ? fixes[k] : "";
}

const char *finding_severity_name(enum finding_severity s)
{
	static const char *const names[] = { "bug", "warning", "info", "hint" };

	return (unsigned int)s < ARRAY_SIZE(names) ? names[s] : "?";
}

const char *leak_growth_name(enum leak_growth g)
{
	static const char *const names[] = { "held", "growing", "steady" };

	return (unsigned int)g < ARRAY_SIZE(names) ? names[g] : "?";
}

struct builder {
	const struct collector *c;
	const struct runinfo *ri;
	const struct findings_opts *o;
	const struct kmalloc_params *kp;
	struct findings *out;
	size_t cap;
	int err;
	/* per site (indexed like the collector's sites), for the leak rules */
	uint64_t (*ages)[LEAK_AGE_BUCKETS];
	uint32_t *oldest;
	uint64_t *old_live, *old_bytes;
	uint64_t *waiting, *waiting_bytes;	/* kfree_rcu()'d, not given back at the end */
	uint32_t age_shift;	/* ms from the last event received to the end of the trace */
};

/* Every context the site allocated in. */
static uint32_t site_ctx(const struct kms_site *s)
{
	uint32_t bits = 0;
	int i;

	for (i = 0; i < KMS_CTX_MAX; i++)
		if (s->ctx[i])
			bits |= KMS_CTX_BIT(i);
	return bits;
}

static struct finding *add(struct builder *b, enum finding_kind k, enum finding_severity sev,
			   const struct kms_site *s)
{
	struct finding *f;
	int err;

	err = kms_grow((void **)&b->out->f, &b->cap, b->out->n + 1, sizeof(*f), 64);
	if (err) {
		b->err = err;
		return NULL;
	}
	f = &b->out->f[b->out->n++];
	memset(f, 0, sizeof(*f));
	f->kind = k;
	f->severity = sev;
	f->call_site = s->call_site;
	f->stack = s->stack;
	f->cache = collector__cache(b->c, s->cache) ? collector__cache(b->c, s->cache)->name : "";
	f->req_min = s->req_min == UINT32_MAX ? 0 : s->req_min;
	f->req_max = s->req_max;
	f->gfp = f->gfp_all = s->gfp_or;
	f->gfp_several = s->gfp_or != s->gfp_and;
	f->ctx = site_ctx(s);
	return f;
}

/* The finding is about count allocations with these flags. */
static void judged(struct finding *f, uint64_t count, const struct kms_gfp_seen *g)
{
	f->count = count;
	f->gfp = g->first;
	f->gfp_all = g->all;
	f->gfp_several = g->several;
}

/* kmalloc memory: a kmalloc class, named by the model or the kernel, or a bucket. */
static bool is_kmalloc_site(const struct builder *b, const struct kms_site *s)
{
	const struct kms_cache *k = collector__cache(b->c, s->cache);

	if (!k)
		return false;
	/* "cache-size-N": a kmem_cache_alloc the kernel gave no cache name for. */
	return (k->from_model && strncmp(k->name, "cache-size-", 11)) ||
	       kmalloc_family_cache(b->kp, k->name);
}

/* ---- GFP rules that need no context, and failures --------------------- */

static void rule_gfp(struct builder *b, const struct kms_site *s)
{
	struct finding *f;

	if (!s->t.allocs && !s->t.failed)
		return;
	if (s->sleep_in_irq && (f = add(b, FIND_GFP_SLEEP_IN_IRQ, SEV_BUG, s))) {
		judged(f, s->sleep_in_irq, &s->sleep_gfp);
		f->ctx = s->sleep_ctx;
	}
	/*
	 * A site also seen where it must not sleep may be a helper shared
	 * with atomic callers: its GFP_ATOMIC is then needed everywhere.
	 */
	if (s->atomic_in_task && !kms_ctx_atomic(site_ctx(s)) &&
	    (f = add(b, FIND_GFP_ATOMIC_UNNEEDED, SEV_INFO, s))) {
		judged(f, s->atomic_in_task, &s->atomic_gfp);
		f->ctx = 0;
	}
	/* Also called outside the scope, where the flag is what protects it: no hint. */
	if (s->nofs_redundant && !s->nofs_unscoped &&
	    (f = add(b, FIND_GFP_NOFS_SCOPE, SEV_HINT, s))) {
		judged(f, s->nofs_redundant, &s->nofs_gfp);
		f->ctx = s->nofs_ctx;
	}
	/* Judged allocation by allocation in the collector (site_large). */
	if (s->nofail_large && (f = add(b, FIND_GFP_NOFAIL_ORDER, SEV_BUG, s))) {
		judged(f, s->nofail_large, &s->nofail_large_gfp);
		f->bytes_alloc = s->nofail_alloc_max;
	}
	if ((s->gfp_or & (KMS_GFP_DMA32 | KMS_GFP_HIGHMEM)) &&
	    (f = add(b, FIND_GFP_SLAB_BAD, SEV_BUG, s)))
		f->count = s->t.allocs + s->t.failed;
	if ((s->gfp_or & KMS_GFP_DMA) && (f = add(b, FIND_GFP_DMA, SEV_INFO, s)))
		f->count = s->t.allocs, f->bytes = s->t.bytes_alloc;
	/* Page-allocator kmallocs, judged one by one in the collector (site_large). */
	if (s->large_noreclaim && (f = add(b, FIND_ATOMIC_LARGE, SEV_WARNING, s))) {
		judged(f, s->large_noreclaim, &s->large_noreclaim_gfp);
		f->bytes = s->large_noreclaim_bytes;
		f->bytes_alloc = s->large_alloc_max;
	}
	if (s->large_reclaim && (f = add(b, FIND_KVMALLOC, SEV_INFO, s))) {
		judged(f, s->large_reclaim, &s->large_reclaim_gfp);
		f->bytes = s->large_reclaim_bytes;
		f->bytes_alloc = s->large_alloc_max;
	}
}

static void rule_failure(struct builder *b, const struct kms_site *s)
{
	/* Failures the caller asked for (__GFP_NOWARN, __GFP_NORETRY) it expects. */
	enum finding_severity sev = s->failed_may_fail == s->t.failed ? SEV_INFO : SEV_WARNING;
	struct finding *f;

	if (!s->t.failed || !(f = add(b, FIND_FAILURE, sev, s)))
		return;
	judged(f, s->t.failed, &s->failed_gfp);
	f->req_min = f->req_max = s->failed_req;
}

/* ---- waste -------------------------------------------------------------- */

/*
 * The smaller class in the site's own family: a kmem_buckets site
 * (msg_msg-128) moves to msg_msg-96, not to kmalloc-96.
 */
static void smaller_cache_name(const struct builder *b, const struct kms_site *s,
			       const struct kmalloc_class *below, char *out, size_t len)
{
	const struct kms_cache *k = collector__cache(b->c, s->cache);
	const char *dash = k ? strrchr(k->name, '-') : NULL;
	unsigned int i;

	for (i = 0; dash && i < b->kp->nr_buckets; i++) {
		size_t l = strlen(b->kp->buckets[i]);

		if ((size_t)(dash - k->name) == l && !strncmp(k->name, b->kp->buckets[i], l) &&
		    !kmalloc_bucket_name(b->kp->buckets[i], below->size, out, len))
			return;
	}
	snprintf(out, len, "%s", below->name);
}

static void rule_waste(struct builder *b, const struct kms_site *s)
{
	uint64_t waste = s->t.bytes_alloc - s->t.bytes_req;
	struct kmalloc_class cl, below;
	uint32_t fit, gfp = s->gfp_and == UINT32_MAX ? 0 : s->gfp_and;
	struct finding *f;

	if (s->t.allocs < b->o->hot_allocs || !is_kmalloc_site(b, s) ||
	    s->alloc_max > kmalloc_max_cache_size(b->kp) ||
	    kmalloc_class(b->kp, s->req_max, gfp, &cl))
		return;
	/* Requests just above a smaller class: trim them (200 -> 192). */
	if (s->req_min > cl.req_min - 1 && !kmalloc_smaller_fit(b->kp, s->req_max, gfp, &fit) &&
	    !kmalloc_class(b->kp, fit, gfp, &below) && s->req_max - fit <= cl.size / 8 &&
	    s->req_min > below.size && (f = add(b, FIND_WASTE_SMALLER, SEV_INFO, s))) {
		f->count = s->t.allocs;
		f->bytes = waste;
		f->bytes_alloc = cl.size;
		f->savings_per_object = cl.size - below.size;
		f->savings = s->t.live * f->savings_per_object;
		f->suggest = fit;
		smaller_cache_name(b, s, &below, f->suggest_cache, sizeof(f->suggest_cache));
		return;
	}
	if (waste * 5 < s->t.bytes_alloc)	/* less than 20 % wasted */
		return;
	/* Objects of a kmem_cache are 8-byte aligned: no saving below that. */
	if (s->req_min == s->req_max && cl.size - ((s->req_max + 7) & ~7u) >= 8 &&
	    (f = add(b, FIND_WASTE_CACHE, SEV_INFO, s))) {
		f->count = s->t.allocs;
		f->bytes = waste;
		f->bytes_alloc = cl.size;
		f->savings_per_object = cl.size - ((s->req_max + 7) & ~7u);
		f->savings = s->t.live * f->savings_per_object;
	} else if (s->req_min != s->req_max && waste * 4 >= s->t.bytes_alloc &&
		   (f = add(b, FIND_WASTE_ROUNDUP, SEV_HINT, s))) {
		f->count = s->t.allocs;
		f->bytes = waste;
		f->bytes_alloc = cl.size;
	}
}

/* ---- churn -------------------------------------------------------------- */

/* A site allocates "at a high rate" from this many allocations and per second. */
#define KMS_CHURN_MIN_ALLOCS	1000
#define KMS_CHURN_MIN_RATE	1000.0
/* ... and "frees nearly all within a millisecond": 90 % freed, 90 % of those < 1.0 ms. */
#define KMS_CHURN_FREED_PCT	90
#define KMS_CHURN_SHORT_BUCKET	10	/* lifetime.h bucket [512 us, 1024 us) */

/*
 * Its objects come from a kmalloc cache every caller shares.  Not from a
 * kmem_buckets set (msg_msg-*, memdup_user-*: already its own caches); a
 * cache named by the model is the shared one only where the kernel has no
 * bucket sets (before 6.11), since the model cannot tell which callers use one.
 */
static bool in_shared_kmalloc(const struct builder *b, const struct kms_site *s)
{
	const struct kms_cache *k = collector__cache(b->c, s->cache);

	return k && kmalloc_shared_cache(k->name) && (!k->from_model || !b->kp->nr_buckets);
}

static void rule_churn(struct builder *b, const struct kms_site *s)
{
	uint64_t freed = lifetime__total(&s->lt);
	double secs = b->ri->duration_ns / 1e9;
	int p90 = lifetime__quantile(&s->lt, 0.9);
	struct finding *f;

	if (s->t.allocs < KMS_CHURN_MIN_ALLOCS || secs <= 0 ||
	    s->t.allocs < KMS_CHURN_MIN_RATE * secs || s->req_min != s->req_max ||
	    freed * 100 < s->t.allocs * KMS_CHURN_FREED_PCT || p90 < 0 ||
	    p90 > KMS_CHURN_SHORT_BUCKET || !in_shared_kmalloc(b, s) ||
	    s->alloc_max > kmalloc_max_cache_size(b->kp))
		return;
	f = add(b, FIND_CHURN, SEV_HINT, s);
	if (!f)
		return;
	f->count = s->t.allocs;
	f->bytes = s->t.bytes_alloc;
	f->bytes_alloc = s->alloc_max;
	f->rate = s->t.allocs / secs;
	f->freed = freed;
	f->lt_p50 = lifetime__quantile(&s->lt, 0.5);
	f->lt_p99 = lifetime__quantile(&s->lt, 0.99);
}

/* ---- kfree_rcu() --------------------------------------------------------- */

/*
 * A note for every site whose objects kfree_rcu() freed (where its calls
 * are traced): how long the memory waited, and what still waits.
 */
static void rule_rcu(struct builder *b, const struct kms_site *s, size_t i)
{
	struct finding *f;

	if (!s->rcu.calls)
		return;
	f = add(b, FIND_RCU_DEFERRED, SEV_HINT, s);
	if (!f)
		return;
	f->count = s->rcu.calls;
	f->freed = lifetime__total(&s->rcu.delay) + s->rcu.sheaf;
	f->rcu_sheaf = s->rcu.sheaf;
	f->delay_p50 = lifetime__quantile(&s->rcu.delay, 0.5);
	f->delay_max = lifetime__max(&s->rcu.delay);
	f->waiting = b->waiting[i];
	f->waiting_bytes = b->waiting_bytes[i];
	f->bytes = f->waiting_bytes;
}

/* ---- leaks -------------------------------------------------------------- */

static void age_visit(void *ctx, const struct kms_site *site, const struct kms_cache *cache,
		      uint32_t bytes_req, uint32_t age_ms, bool rcu)
{
	struct builder *b = ctx;
	size_t i = site - collector__site(b->c, 0);
	int bucket;

	/* Freed by its owner, waiting for a grace period: no leak. */
	if (rcu) {
		b->waiting[i]++;
		b->waiting_bytes[i] += cache->size;
		return;
	}
	/* The collector measures to the last event it got; the trace ran longer. */
	age_ms = age_ms > UINT32_MAX - b->age_shift ? UINT32_MAX : age_ms + b->age_shift;
	bucket = age_ms < 1000 ? 0 : age_ms < 10000 ? 1 : age_ms < 60000 ? 2 : 3;

	b->ages[i][bucket]++;
	if (age_ms > b->oldest[i])
		b->oldest[i] = age_ms;
	if (age_ms >= b->o->min_age_ms) {
		b->old_live[i]++;
		b->old_bytes[i] += cache->size;
	}
}

/* Least-squares slope of the samples and the final count, per second. */
static double slope_per_s(const uint32_t *v, size_t n, uint32_t period_ms)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, x;
	size_t i;

	for (i = 0; i < n; i++) {
		x = (double)(i + 1) * period_ms / 1000.0;
		sx += x;
		sy += v[i];
		sxx += x * x;
		sxy += x * v[i];
	}
	if (n < 2 || n * sxx - sx * sx == 0)
		return 0;
	return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

/*
 * growing: the live count rose in at least half of the sample steps and
 * (almost) never fell; steady: it fell back repeatedly, or its objects
 * turned over (the site freed at least as many as it holds) and it ends no
 * higher than it started; held: anything else, e.g. one burst kept to the
 * end.  The first sample comes a period into the trace, after such a
 * burst: a level count of objects never freed is held, not steady.
 */
static enum leak_growth growth_of(const struct kms_site *s, uint32_t period, double *slope)
{
	uint32_t v[KMS_SITE_SAMPLES + 1];
	size_t n = s->nr_samples, i, falls = 0, rises = 0;

	memcpy(v, s->samples, n * sizeof(v[0]));
	v[n++] = s->t.live;
	*slope = slope_per_s(v, n, period);
	if (n < 4)
		return LEAK_HELD;
	for (i = 1; i < n; i++) {
		falls += v[i] < v[i - 1];
		rises += v[i] > v[i - 1];
	}
	if (falls * 10 > n || (v[n - 1] <= v[0] && s->t.frees >= s->t.live))
		return LEAK_STEADY;
	if (rises * 2 >= n - 1 && *slope > 0)
		return LEAK_GROWING;
	return LEAK_HELD;
}

/*
 * Caches whose objects this kernel frees through a path that emits no kmem
 * event whatever kmscope attaches to: maple nodes go through kfree_rcu()
 * into SLUB's sheaves from 6.18 and are freed in bulk.
 */
static bool cache_frees_unseen(const struct builder *b, const struct kms_site *s)
{
	const struct kms_cache *k = collector__cache(b->c, s->cache);
	uint32_t kver;

	return k && !strcmp(k->name, "maple_node") &&
	       !slab_kernel_version(b->ri->kernel, &kver) && kver >= SLAB_KVER(6, 18, 0);
}

/* Live objects of site i the kernel's cache no longer holds at the end. */
static uint64_t site_unverifiable(const struct builder *b, size_t i)
{
	return b->o->site_unverifiable && i < b->o->nr_sites ? b->o->site_unverifiable[i] : 0;
}

static const char *const slab_part_fns[FIND_SLAB_PARTS] = {
	"alloc_slab_obj_exts", "memcg_alloc_slab_cgroups", "memcg_alloc_page_obj_cgroups",
};

void findings_opts__slab_parts(struct findings_opts *o, const struct ksyms *ks)
{
	unsigned long long addr, size;
	size_t i;

	for (i = 0; i < FIND_SLAB_PARTS; i++) {
		o->slab_parts[i].start = o->slab_parts[i].end = 0;
		if (ks && !ksyms__lookup_name(ks, slab_part_fns[i], &addr, &size) && size) {
			o->slab_parts[i].start = addr;
			o->slab_parts[i].end = addr + size;
		}
	}
}

/*
 * Caches whose every object is part of an inode, freed with it: the LSM
 * blob security_inode_alloc() allocates for each inode and
 * security_inode_free() frees with it (security/security.c).  Found by
 * name: merged into a cache of another name, its objects stay leaks.
 */
static bool cache_of_inode_parts(const struct finding *f)
{
	return !strcmp(f->cache, "lsm_inode_cache");
}

static bool site_of_slab_parts(const struct builder *b, const struct kms_site *s)
{
	size_t i;

	for (i = 0; i < FIND_SLAB_PARTS; i++)
		if (s->call_site >= b->o->slab_parts[i].start &&
		    s->call_site < b->o->slab_parts[i].end)
			return true;
	return false;
}

/* A site of parts of other kernel objects: a hint that says whose, if it is one. */
static bool kernel_parts(const struct builder *b, const struct kms_site *s, struct finding *f)
{
	const char *dropped = b->ri->caches_dropped ? "; these outlived drop_caches with them" : "";

	if (cache_of_inode_parts(f))
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), "%s objects are inodes' LSM "
			 "blobs, freed with their inode, which the kernel keeps in a reclaimable "
			 "cache%s", f->cache, dropped);
	else if (site_of_slab_parts(b, s))
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), "per-slab vectors, allocated "
			 "with a new slab and freed with it: these belong to slabs the trace "
			 "added%s", dropped);
	else
		return false;
	f->kernel_part = true;
	f->confidence = 0;
	return true;
}

/* All of site i's live objects are in caches a shrinker empties. */
static bool site_reclaimable(const struct builder *b, const struct kms_site *s, size_t i)
{
	return b->o->site_reclaimable && i < b->o->nr_sites && s->t.live &&
	       b->o->site_reclaimable[i] >= s->t.live;
}

static void leak_confidence(struct builder *b, const struct kms_site *s, size_t i,
			    struct finding *f)
{
	const uint64_t *k = b->ri->counters;
	uint64_t unv = site_unverifiable(b, i);

	f->confidence = 2;
	if (unv >= f->count) {
		/* All of it: the kernel freed them where no program looks. */
		f->confidence = 0;
		f->frees_unseen = true;
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), "%llu of its live objects are "
			 "more than %s holds at the end: freed by a path without an event",
			 (unsigned long long)unv, f->cache);
	} else if (unv) {
		f->confidence = 1;
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), "%llu of its %llu live objects "
			 "are more than %s holds at the end: freed by a path without an event",
			 (unsigned long long)unv, (unsigned long long)f->count, f->cache);
	} else if (!s->missed_frees && cache_frees_unseen(b, s)) {
		f->confidence = 0;
		f->frees_unseen = true;
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), "%s objects are freed through "
			 "kfree_rcu() into sheaves on this kernel, which no program sees", f->cache);
	} else if (s->missed_frees) {
		f->frees_unseen = true;
		f->confidence = 0;
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), "%llu of its objects were "
			 "allocated again while live: some of its frees are not traced",
			 (unsigned long long)s->missed_frees);
	} else if (kernel_parts(b, s, f)) {
		/* kernel_parts() said whose parts they are. */
	} else if (site_reclaimable(b, s, i)) {
		/*
		 * After a drop, what is left is in use (an open file, a mount,
		 * a watch, a sysfs node another process holds) or a reference
		 * leaked: the trace cannot tell which.
		 */
		f->reclaimable = true;
		f->confidence = 0;
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), b->ri->caches_dropped ?
			 "%s is a reclaimable cache and these outlived drop_caches: something "
			 "holds them (an open file, a mount, a watch), or a reference leaked" :
			 "%s is a reclaimable cache (SLAB_RECLAIM_ACCOUNT): the kernel keeps its "
			 "objects until memory pressure or drop_caches frees them", f->cache);
	} else if (runinfo__events_lost(b->ri) || k[KMS_CNT_TRACK_FULL]) {
		f->confidence = 1;
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), "%llu events were lost in this "
			 "trace; a lost free looks like a leak",
			 (unsigned long long)(runinfo__events_lost(b->ri) + k[KMS_CNT_TRACK_FULL]));
	} else if (!b->ri->rcu_bulk_traced) {
		f->confidence = 1;
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), "frees through kfree_rcu "
			 "batches are not traced on this kernel");
	} else if (b->ri->rcu_sheaf == KMS_SHEAF_UNTRACED) {
		f->confidence = 1;
		snprintf(f->why_not_sure, sizeof(f->why_not_sure), "frees through kfree_rcu "
			 "sheaves are not traced on this kernel");
	}
}

/*
 * What a leak weighs: its bytes, times 4 when growing, 2 when held, 1 when
 * steady, and times 2 when nothing was lost (high confidence).  A warning
 * needs LEAK_WARN_OBJECTS objects and LEAK_WARN_RANK, so a few objects of
 * kernel noise stay info while a leak of hundreds leads the table.  A site
 * whose frees no program sees is a hint whatever its size: its live count
 * is no evidence; so is one whose objects a reclaimable cache keeps.
 */
#define LEAK_WARN_OBJECTS	32
#define LEAK_WARN_RANK		8192

static void leak_rank(struct finding *f)
{
	uint64_t w = f->growth == LEAK_GROWING ? 4 : f->growth == LEAK_HELD ? 2 : 1;

	f->rank = f->bytes * w * (f->confidence == 2 ? 2 : 1);
	if (f->frees_unseen || finding__kept(f) || f->growth == LEAK_STEADY)
		f->severity = SEV_HINT;
	else if (f->count >= LEAK_WARN_OBJECTS && f->rank >= LEAK_WARN_RANK)
		f->severity = SEV_WARNING;
	else
		f->severity = SEV_INFO;
}

/*
 * A trace without a command (the whole system, -p, --comm) ends in the
 * middle of everyone's working set: within a minute, objects a process
 * holds (its files, its mappings, a pool being filled) and a leak look
 * alike, and a warning would be a claim the trace cannot back.  A
 * command's trace ends when it has exited, its RCU frees landed.
 */
#define LEAK_WINDOW_NS	(60ull * 1000000000ull)

static bool short_window(const struct runinfo *ri)
{
	return !ri->command[0] && ri->duration_ns < LEAK_WINDOW_NS;
}

static void rule_leak(struct builder *b, const struct kms_site *s, size_t i)
{
	struct finding *f;
	enum leak_growth g;
	double slope;

	if (!b->old_live[i])
		return;
	g = growth_of(s, collector__sample_period_ms(b->c), &slope);
	f = add(b, FIND_LEAK, SEV_INFO, s);
	if (!f)
		return;
	f->count = b->old_live[i];
	f->bytes = b->old_bytes[i];
	f->growth = g;
	f->slope = slope;
	memcpy(f->ages, b->ages[i], sizeof(f->ages));
	f->oldest_ms = b->oldest[i];
	leak_confidence(b, s, i, f);
	leak_rank(f);
	if (f->severity == SEV_WARNING && short_window(b->ri)) {
		f->severity = SEV_INFO;
		f->short_window = true;
	}
}

/* ---- order -------------------------------------------------------------- */

static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	uint64_t kx = x->rank ? x->rank : x->savings ? x->savings : x->bytes;
	uint64_t ky = y->rank ? y->rank : y->savings ? y->savings : y->bytes;

	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if (x->frees_unseen != y->frees_unseen)
		return x->frees_unseen ? 1 : -1;
	if (finding__kept(x) != finding__kept(y))
		return finding__kept(x) ? 1 : -1;
	if (kx != ky)
		return kx > ky ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->call_site != y->call_site)
		return x->call_site < y->call_site ? -1 : 1;
	return x->kind - y->kind;
}

static int alloc_leak_tables(struct builder *b, size_t n)
{
	b->ages = calloc(n + 1, sizeof(*b->ages));
	b->oldest = calloc(n + 1, sizeof(*b->oldest));
	b->old_live = calloc(n + 1, sizeof(*b->old_live));
	b->old_bytes = calloc(n + 1, sizeof(*b->old_bytes));
	b->waiting = calloc(n + 1, sizeof(*b->waiting));
	b->waiting_bytes = calloc(n + 1, sizeof(*b->waiting_bytes));
	return b->ages && b->oldest && b->old_live && b->old_bytes && b->waiting &&
	       b->waiting_bytes ? 0 : -ENOMEM;
}

int findings__compute(const struct collector *c, const struct runinfo *ri,
		      const struct findings_opts *o, struct findings *out)
{
	struct builder b = { .c = c, .ri = ri, .o = o, .out = out,
			     .kp = collector__kmalloc_params(c) };
	size_t i, n = collector__nr_sites(c);

	memset(out, 0, sizeof(*out));
	out->caches_dropped = ri->caches_dropped;
	/* Ages run to the end of the trace, not to the last (filtered) event. */
	if (ri->duration_ns / 1000000 > collector__now_ms(c))
		b.age_shift = ri->duration_ns / 1000000 - collector__now_ms(c);
	b.err = alloc_leak_tables(&b, n);
	if (!b.err && n)
		collector__for_each_live(c, age_visit, &b);
	for (i = 0; !b.err && i < n; i++) {
		const struct kms_site *s = collector__site(c, i);

		rule_gfp(&b, s);
		rule_failure(&b, s);
		rule_waste(&b, s);
		rule_churn(&b, s);
		rule_rcu(&b, s, i);
		rule_leak(&b, s, i);
	}
	free(b.ages);
	free(b.oldest);
	free(b.old_live);
	free(b.old_bytes);
	free(b.waiting);
	free(b.waiting_bytes);
	if (b.err) {
		findings__free(out);
		return b.err;
	}
	if (out->n)	/* qsort(NULL, 0, ...) is undefined */
		qsort(out->f, out->n, sizeof(*out->f), finding_cmp);
	return 0;
}

void findings__free(struct findings *fs)
{
	free(fs->f);
	fs->f = NULL;
	fs->n = 0;
}

int findings__compute_billed(const struct collector *c, const struct runinfo *ri,
			     const struct findings_opts *o, const struct membill *mb,
			     struct findings *out)
{
	struct findings_opts billed = *o;

	if (mb) {
		billed.site_unverifiable = mb->site_unverifiable;
		billed.site_reclaimable = mb->site_reclaimable;
		billed.nr_sites = mb->nr_sites;
	}
	return findings__compute(c, ri, &billed, out);
}
