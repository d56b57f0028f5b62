/* SPDX-License-Identifier: GPL-2.0 */
/*
 * findings.h - what is wrong with the traced allocations and what to
 * change: waste (with the saving a fix would bring), leaks (live objects
 * with their ages, growth and a confidence), failed allocations, and GFP
 * flag misuse that needs no execution context.  Pure: a collector and the
 * size-class parameters in, a list of findings out, most important first.
 */
#ifndef KMS_FINDINGS_H
#define KMS_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sizeclass.h"

struct collector;
struct runinfo;

enum finding_kind {
	FIND_LEAK,
	FIND_FAILURE,
	FIND_GFP_SLEEP_IN_IRQ,	/* __GFP_DIRECT_RECLAIM in atomic context */
	FIND_GFP_ATOMIC_UNNEEDED,	/* no reclaim where sleeping was allowed */
	FIND_GFP_NOFAIL_ORDER,	/* __GFP_NOFAIL above order 1 */
	FIND_GFP_SLAB_BAD,	/* __GFP_DMA32/__GFP_HIGHMEM on kmalloc */
	FIND_GFP_DMA,		/* __GFP_DMA on kmalloc */
	FIND_GFP_NOFS_SCOPE,	/* GFP_NOFS/NOIO inside a scope that implies it */
	FIND_ATOMIC_LARGE,	/* high-order kmalloc that may not reclaim */
	FIND_KVMALLOC,		/* large kmalloc that could be kvmalloc */
	FIND_WASTE_SMALLER,	/* requests just above a class boundary */
	FIND_WASTE_CACHE,	/* hot fixed-size site: its own kmem_cache */
	FIND_WASTE_ROUNDUP,	/* variable sizes with slack: kmalloc_size_roundup */
	FIND_CHURN,		/* hot one-size kmalloc site, objects freed within 1 ms */
	FIND_RCU_DEFERRED,	/* frees by kfree_rcu(): memory back a grace period later */
	FIND_KIND_MAX,
};

enum finding_severity {
	SEV_BUG,
	SEV_WARNING,
	SEV_INFO,
	SEV_HINT,
	FIND_SEVERITY_MAX,
};

enum leak_growth {
	LEAK_HELD,		/* kept: a burst not freed, or too few samples */
	LEAK_GROWING,		/* live count rose through the trace */
	LEAK_STEADY,		/* rose and fell: a pool or cache at steady state */
};

#define LEAK_AGE_BUCKETS 4	/* < 1 s, 1-10 s, 10-60 s, >= 60 s */

struct finding {
	enum finding_kind kind;
	enum finding_severity severity;
	uint64_t call_site;
	int32_t stack;		/* -g: the site's stack id, -1 without */
	const char *cache;
	uint64_t count;		/* objects or events concerned */
	uint64_t bytes;		/* bytes concerned */
	uint64_t savings;	/* bytes a fix would save now (live objects) */
	uint64_t savings_per_object;
	uint32_t gfp;		/* flags of the (first of the) allocations concerned */
	uint32_t gfp_all;	/* ... all of theirs ORed */
	bool gfp_several;	/* they did not all have the same flags */
	uint32_t ctx;		/* KMS_CTX_BIT()s of the allocations concerned */
	uint32_t req_min, req_max;
	uint32_t bytes_alloc;	/* of the class now */
	uint32_t suggest;	/* FIND_WASTE_SMALLER: request size that fits */
	/* FIND_LEAK */
	enum leak_growth growth;
	double slope;		/* live objects per second */
	uint64_t ages[LEAK_AGE_BUCKETS];
	uint32_t oldest_ms;
	int confidence;		/* 0 low, 1 medium, 2 high */
	bool frees_unseen;	/* its frees go (partly) through a path no program sees */
	bool reclaimable;	/* all its live objects are in reclaimable caches */
	bool kernel_part;	/* its objects are parts of other kernel objects (kernel_parts()) */
	bool short_window;	/* a warning made info: a trace too short to tell */
	uint64_t rank;		/* leak: bytes weighted by growth and confidence */
	/* FIND_CHURN */
	double rate;		/* allocations per second of trace */
	uint64_t freed;		/* of them freed during the trace */
	int lt_p50, lt_p99;	/* lifetime.h buckets of their lifetimes */
	/* FIND_RCU_DEFERRED: count = kfree_rcu() calls, freed = ... given back since */
	uint64_t rcu_sheaf;	/* ... into a sheaf (delay not known) */
	int delay_p50, delay_max;	/* lifetime.h buckets: kfree_rcu() to free; -1 none */
	uint64_t waiting, waiting_bytes;	/* kfree_rcu()'d, not yet given back at the end */
	char why_not_sure[224];
	char suggest_cache[48];	/* ... and the class it would land in */
};

/*
 * A leak the kernel keeps: its objects are in reclaimable caches, or parts
 * of such objects.  One group of the report, placed after the others.
 */
static inline bool finding__kept(const struct finding *f)
{
	return f->reclaimable || f->kernel_part;
}

/* Allocations from which a site is hot for the waste rules (report --hot). */
#define FIND_HOT_ALLOCS	100

/*
 * Per-slab vectors the slab allocator allocates with each new slab of an
 * accounted cache and frees with it: alloc_slab_obj_exts() (mm/slub.c,
 * 6.10+: memcg and allocation-profiling tags), memcg_alloc_slab_cgroups()
 * (mm/memcontrol.c, 5.17-6.9), memcg_alloc_page_obj_cgroups() (5.9-5.16).
 */
#define FIND_SLAB_PARTS	3

struct findings_opts {
	uint32_t min_age_ms;	/* leaks: only objects at least this old */
	uint64_t hot_allocs;	/* waste: a site is hot from this many allocs */
	/*
	 * Per collector site, its live objects beyond what the kernel's cache
	 * holds at the end (membill.site_unverifiable), or NULL: freed by a
	 * path without an event, so never a leak to warn about.
	 */
	const uint64_t *site_unverifiable;
	/*
	 * Per collector site, its live objects in caches a shrinker empties
	 * (SLAB_RECLAIM_ACCOUNT; membill.site_reclaimable), or NULL: a site
	 * whose live objects all are is a cache's contents, not a leak to
	 * warn about.
	 */
	const uint64_t *site_reclaimable;
	size_t nr_sites;
	/*
	 * The kernel functions whose allocations are parts of a slab (their
	 * [start, end) addresses, 0 when unknown: findings_opts__slab_parts()
	 * looks them up), freed with it.
	 */
	struct {
		uint64_t start, end;
	} slab_parts[FIND_SLAB_PARTS];
};

struct findings {
	struct finding *f;
	size_t n;
	bool caches_dropped;	/* --drop-caches: the reclaimable sites outlived it */
};

struct ksyms;
/* Fill o->slab_parts from the symbols (ks may be NULL: none known). */
void findings_opts__slab_parts(struct findings_opts *o, const struct ksyms *ks);

int findings__compute(const struct collector *c, const struct runinfo *ri,
		      const struct findings_opts *o, struct findings *out);
struct membill;
/*
 * findings__compute() against a memory bill (NULL: none): a leak the
 * kernel's own count contradicts (the bill's site_unverifiable) is no leak
 * to warn about.  The one place report and serve take that rule from.
 */
int findings__compute_billed(const struct collector *c, const struct runinfo *ri,
			     const struct findings_opts *o, const struct membill *mb,
			     struct findings *out);
void findings__free(struct findings *fs);
const char *finding_kind_name(enum finding_kind k);
const char *finding_severity_name(enum finding_severity s);
const char *leak_growth_name(enum leak_growth g);
/* One-paragraph explanation and the fix, for people and for the JSON. */
const char *finding_explanation(enum finding_kind k);
const char *finding_fix(enum finding_kind k);

#endif /* KMS_FINDINGS_H */
