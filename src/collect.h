/* SPDX-License-Identifier: GPL-2.0 */
/*
 * collect.h - the collector: folds decoded events into per-call-site and
 * per-cache totals and the table of live allocations.  It is pure: events
 * in, tables out, no I/O.  Live tracing and replay feed it the same
 * events in the same order, so they produce the same tables.
 *
 * Matching rules (docs/design.md): a free of an unknown pointer was
 * allocated before tracing (counted, not an error); an allocation of a
 * pointer already live means its free was never seen (counted, entry
 * replaced); the 6.11+ double kmalloc event of large variable-size
 * requests is folded into one allocation attributed to the real caller.
 */
#ifndef KMS_COLLECT_H
#define KMS_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "decode.h"
#include "lifetime.h"
#include "sizeclass.h"

struct kms_totals {
	uint64_t allocs;
	uint64_t frees;		/* frees of allocations traced here */
	uint64_t failed;	/* allocations that returned NULL */
	uint64_t bytes_req;
	uint64_t bytes_alloc;
	uint64_t live;
	uint64_t live_req;
	uint64_t live_alloc;
};

/* Request sizes kept one by one (kmalloc): 1 .. KMS_REQ_HIST - 1, then one for the rest. */
#define KMS_REQ_HIST	8193

/* Live objects of a site sampled over the trace: the leak growth signal. */
#define KMS_SITE_SAMPLES 32

/*
 * The flags of the allocations one rule is about: the first one's, all of
 * them ORed, and whether any differed from the first, so a finding shows
 * the flags it judged and says when a site used several.
 */
struct kms_gfp_seen {
	uint32_t first;		/* of the earliest allocation (by its time, not arrival) */
	uint32_t all;
	uint64_t first_ts;
	bool several;
};

/*
 * Count one more allocation of a rule, with its flags and time.  The
 * first flags are the earliest allocation's whatever order the events
 * arrive in (--pair sends an allocation with its free, later).
 */
static inline void kms_gfp_seen__add(struct kms_gfp_seen *g, uint64_t *count, uint32_t gfp,
				     uint64_t ts)
{
	if (gfp != g->first && *count)
		g->several = true;
	if (!(*count)++ || ts < g->first_ts) {
		g->first = gfp;
		g->first_ts = ts;
	}
	g->all |= gfp;
}

/*
 * Objects freed with kfree_rcu() (where its calls are traced): the owner
 * frees them at the call, which is where their lifetime ends, and the
 * allocator gets them back a grace period later, the delay.  An object
 * kfree_rcu() put in a sheaf (6.18+) returns without an event: its delay
 * is not known.
 */
struct kms_rcu {
	uint64_t calls;			/* kfree_rcu() of objects traced here */
	uint64_t sheaf;			/* ... of which into a sheaf */
	struct kms_lifetime delay;	/* kfree_rcu() to the free, us */
};

struct kms_site {
	uint64_t call_site;
	int32_t stack;			/* -g: stack id, -1 without */
	struct kms_totals t;
	uint32_t req_min, req_max;	/* requests seen (successful) */
	uint32_t alloc_max;		/* largest bytes_alloc */
	uint32_t gfp_or, gfp_and;	/* flags seen on any / on every allocation */
	uint32_t failed_req;		/* size of the last failed request */
	struct kms_gfp_seen failed_gfp;	/* of the t.failed failures */
	uint64_t failed_may_fail;	/* ... of which said they may fail (gfp_may_fail) */
	uint32_t cache;			/* collector cache id of the first allocation */
	uint64_t cache_ts;		/* ... its time (the earliest, whatever arrived first) */
	uint64_t missed_frees;		/* its objects re-allocated while live */
	uint64_t ctx[KMS_CTX_MAX];	/* allocations per context (context.h) */
	uint64_t sleep_in_irq;		/* sleeping allocations in atomic context */
	struct kms_gfp_seen sleep_gfp;
	uint32_t sleep_ctx;		/* KMS_CTX_BIT()s they ran in */
	uint64_t atomic_in_task;	/* no reclaim, though sleeping was allowed */
	struct kms_gfp_seen atomic_gfp;
	uint64_t nofs_redundant;	/* GFP_NOFS/NOIO inside a scope that implies it */
	struct kms_gfp_seen nofs_gfp;
	uint32_t nofs_ctx;		/* ... and its scope bits */
	uint64_t nofs_unscoped;		/* GFP_NOFS/NOIO in task context outside any such scope */
	/*
	 * kmallocs above KMALLOC_MAX_CACHE_SIZE (page allocator) that may
	 * not reclaim, and that could have been kvmalloc() (site_large()).
	 */
	uint64_t large_noreclaim;
	struct kms_gfp_seen large_noreclaim_gfp;
	uint64_t large_reclaim;
	struct kms_gfp_seen large_reclaim_gfp;
	uint64_t large_noreclaim_bytes;	/* their bytes_alloc */
	uint64_t large_reclaim_bytes;
	uint32_t large_alloc_max;	/* largest bytes_alloc among them */
	/*
	 * Every kmalloc above KMALLOC_MAX_CACHE_SIZE: whole pages from the
	 * page allocator (bytes_alloc is PAGE_SIZE << order), and the orders
	 * met (bit n: order n).
	 */
	uint64_t large_allocs, large_req, large_bytes;
	uint32_t large_orders;
	/* __GFP_NOFAIL kmallocs above order 1 (the page allocator's warning), one by one. */
	struct kms_gfp_seen nofail_large_gfp;
	uint64_t nofail_large;
	uint32_t nofail_alloc_max;
	uint32_t nr_samples;
	uint32_t samples[KMS_SITE_SAMPLES];	/* live count at each sample */
	struct kms_lifetime lt;		/* lifetimes of its objects freed */
	struct kms_rcu rcu;		/* ... of which by kfree_rcu() */
};

struct kms_cache {
	char name[48];
	uint64_t kptr;		/* cache id (kernel address of its name), 0 for model caches */
	uint32_t object_size;
	uint32_t size;
	bool from_model;	/* named by the size-class model, not the kernel */
	bool account;		/* SLAB_ACCOUNT (kernel caches only) */
	uint64_t frees_pretrace;/* frees (cache known) of objects older than the trace */
	uint64_t missed_frees;	/* re-allocated while live: its free was not seen */
	struct kms_totals t;
	struct kms_lifetime lt;	/* lifetimes of its objects freed */
	struct kms_rcu rcu;	/* ... of which by kfree_rcu() */
};

/*
 * Cgroup ids that are no cgroup v2 directory.  An allocation in an
 * interrupt is no task's doing (the kernel charges it to no task's memory
 * cgroup either), and the collector can tell only where it tracks the
 * context (tp_btf); the cgroups past the KMS_ALLOC_CGROUP_MAX'th (an
 * alloc_entry names at most that many) share one row.
 */
#define KMS_CGROUP_UNKNOWN	0		/* the task was never announced with one */
#define KMS_CGROUP_IRQ		(UINT64_MAX - 1)
#define KMS_CGROUP_OTHER	(UINT64_MAX - 2)

/* A row that is a cgroup v2 directory, with a path to look up. */
static inline bool kms_cgroup_is_dir(uint64_t id)
{
	return id != KMS_CGROUP_UNKNOWN && id != KMS_CGROUP_IRQ && id != KMS_CGROUP_OTHER;
}

/*
 * What the tasks of one cgroup allocated and still hold, and the part the
 * kernel accounts to its memory cgroup (kmem accounting: __GFP_ACCOUNT,
 * or a SLAB_ACCOUNT cache such as kmalloc-cg-*), which is what memcg
 * limits and memory.stat see.
 */
struct kms_cgroup {
	uint64_t id;		/* cgroup v2 id (directory inode), or KMS_CGROUP_* */
	struct kms_totals t;
	struct kms_totals acct;	/* ... accounted to the memory cgroup */
};

/* One site's allocations by one cgroup (collector_opts.by_cgroup). */
struct kms_cgsite {
	uint32_t site;		/* collector site id */
	uint32_t cgroup;	/* index: collector__cgroup() */
	struct kms_totals t;
	struct kms_totals acct;	/* ... accounted to the memory cgroup */
};

struct kms_collect_counts {
	uint64_t events[KMS_EV_MAX];	/* records decoded, per type */
	uint64_t unmatched_frees;	/* freed pointer never seen allocated */
	uint64_t realloc_without_free;	/* live pointer allocated again */
	uint64_t large_collapsed;	/* 6.11+ double kmalloc events folded */
	uint64_t unknown_cache;		/* cache pointer used before its info */
	uint64_t table_full;		/* --max-tracked reached (or more sites or
					   caches than an entry names, or no memory
					   for a new one): not tracked */
	uint64_t unknown_records;	/* record types this build cannot decode */
	uint64_t bad_records;		/* records too short for their type */
	uint64_t rcu_untraced;		/* kfree_rcu() of an object not traced here */
	uint64_t reordered;		/* --pair: allocations that arrived after a
					   newer one at their address (older_first()) */
};

/* Allocation and free records the collector received (the four tracepoints, kfree_rcu()). */
static inline uint64_t kms_collect_counts__received(const struct kms_collect_counts *cc)
{
	return cc->events[KMS_EV_KMALLOC] + cc->events[KMS_EV_KFREE] +
	       cc->events[KMS_EV_CACHE_ALLOC] + cc->events[KMS_EV_CACHE_FREE] +
	       cc->events[KMS_EV_RCU_CALL];
}

struct collector_opts {
	struct kmalloc_params kp;
	uint64_t t0_ns;			/* trace start, CLOCK_MONOTONIC */
	size_t max_tracked;		/* 0 = unbounded */
	bool preempt_known;		/* events carry preempt-off/BH-off */
	bool by_cgroup;			/* also keep each site's totals per cgroup */
	bool pair;			/* --pair: allocations may arrive late (older_first()) */
};

struct collector;

struct collector *collector__new(const struct collector_opts *opts);
void collector__free(struct collector *c);
/* What the collector learnt about one event, for per-event output. */
/*
 * What the collector made of one event.  `cache` points into the
 * collector's rows, which move when a row is added: use it before the
 * next event, and keep collector__cache_index() instead.
 */
struct kms_resolved {
	const struct kms_cache *cache;	/* NULL when unknown */
	uint32_t bytes_req;
	uint32_t bytes_alloc;
	bool matched;			/* free: its allocation was traced */
	bool collapsed;			/* second half of a double event */
};

/*
 * Start loading the allocation-table slot the event will touch, a few
 * events before collector__event() folds it in (evahead.h).  A hint only:
 * nothing changes.
 */
void collector__prefetch(const struct collector *c, const struct kms_event *ev);
/* Fold one event in; fills *res when res is not NULL.  Returns 0 or -ENOMEM. */
int collector__event(struct collector *c, const struct kms_event *ev,
		     struct kms_resolved *res);

/* Live: the loader says only after attaching whether the preempt count is read. */
void collector__set_preempt_known(struct collector *c, bool on);
/* Count a record kms_decode() rejected with err (-ENOTSUP or -EINVAL). */
void collector__bad_record(struct collector *c, int err);
const struct kms_collect_counts *collector__counts(const struct collector *c);
const struct kmalloc_params *collector__kmalloc_params(const struct collector *c);
size_t collector__nr_sites(const struct collector *c);
const struct kms_site *collector__site(const struct collector *c, size_t i);
size_t collector__nr_caches(const struct collector *c);
const struct kms_cache *collector__cache(const struct collector *c, size_t i);
/* The index collector__cache() knows the row k by; -1 for NULL or a row not of c. */
int64_t collector__cache_index(const struct collector *c, const struct kms_cache *k);
size_t collector__nr_cgroups(const struct collector *c);
const struct kms_cgroup *collector__cgroup(const struct collector *c, size_t i);
/* With by_cgroup: the (site, cgroup) pairs. */
size_t collector__nr_cgsites(const struct collector *c);
const struct kms_cgsite *collector__cgsite(const struct collector *c, size_t i);
/* comm of a tid, or NULL when never announced. */
const char *collector__comm(const struct collector *c, uint32_t tid);
size_t collector__live(const struct collector *c);
/* Trace time of the samples: sample i was taken at (i + 1) * period ms. */
uint32_t collector__sample_period_ms(const struct collector *c);
/* Last event time, ms since the trace started. */
uint64_t collector__now_ms(const struct collector *c);
/*
 * Visit every live allocation (order unspecified); rcu: kfree_rcu()'d, its
 * memory waiting for a grace period (its age counts from the call).
 */
void collector__for_each_live(const struct collector *c,
			      void (*fn)(void *ctx, const struct kms_site *site,
					 const struct kms_cache *cache, uint32_t bytes_req,
					 uint32_t age_ms, bool rcu),
			      void *ctx);
/*
 * The ages of the live allocations at end_us (us since the trace started:
 * kfree_rcu()'d ones are over, and left out;
 * the end of the trace, which may be after the last event), per site and
 * per cache: site_ages has collector__nr_sites() entries, cache_ages
 * collector__nr_caches() (either may be NULL); they are added to.
 */
void collector__live_ages(const struct collector *c, uint64_t end_us,
			  struct kms_lifetime *site_ages, struct kms_lifetime *cache_ages);
size_t collector__memory(const struct collector *c);
/*
 * Successful kmalloc requests by size: [n] for n bytes below
 * KMS_REQ_HIST, [KMS_REQ_HIST] for all larger ones (KMS_REQ_HIST + 1
 * entries).
 */
const uint64_t *collector__req_hist(const struct collector *c);

#endif /* KMS_COLLECT_H */
