/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reconcile.h - per-cache reconciliation of what was traced with what the
 * allocator itself counted (/proc/slabinfo at start and end of the trace).
 *
 * active_objs cannot equal traced allocs - frees (docs/slub.md §3.6): the
 * free objects of every CPU slab, CPU partial list and sheaf count as
 * active.  What can be checked is the change: over the trace, the change
 * of active_objs must equal the traced net change within the slack those
 * per-CPU structures allow, plus every loss the trace itself counted.
 */
#ifndef KMS_RECONCILE_H
#define KMS_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct slabinfo;

/* What the trace saw for one cache (slabinfo name = root of merged caches). */
struct reconcile_traced {
	uint64_t allocs;
	uint64_t frees;			/* of objects allocated during the trace */
	uint64_t frees_pretrace;	/* of objects older than the trace */
	uint64_t missed_frees;		/* re-allocated while live */
	/*
	 * Frees of a pointer already freed, no allocation event between: an
	 * allocation without event (refree.h), counted in frees_pretrace by
	 * the collector, which cannot tell.
	 */
	uint64_t untraced_allocs;
};

/* Static parameters of the cache (sysfs), for the slack. */
struct reconcile_params {
	uint32_t objs_per_slab;
	uint32_t cpu_partial;		/* objects; 0 for debug caches */
	uint32_t sheaf_capacity;	/* 6.18+, else 0 */
};

struct reconcile_row {
	char name[64];
	int64_t delta_active;		/* active_objs end - start */
	int64_t delta_total;		/* num_objs end - start */
	int64_t traced_net;		/* allocs + untraced_allocs - frees - frees_pretrace */
	int64_t diff;			/* delta_active - traced_net */
	uint64_t bound;			/* |diff| allowed */
	uint64_t slack_cpu;		/* CPU slabs and CPU partial lists */
	uint64_t slack_sheaf;		/* sheaves and the barn */
	uint64_t slack_lost;		/* losses the trace counted */
	bool touched;			/* the trace saw this cache */
	bool holds;
	bool unchecked;			/* frees of it cannot all be attributed */
	/*
	 * Beyond the bound on the side of frees the trace did not see, on a
	 * kernel where such paths exist (kfree_rcu batches without the rcu
	 * tracepoint, kfree_rcu into sheaves): a known blind spot, counted
	 * in untraced_frees, not a failure.
	 */
	bool blind;
	uint64_t untraced_frees;	/* -diff beyond the bound, when blind */
	uint64_t untraced_allocs;	/* seen by their frees only (traced_net has them) */
	/*
	 * The kernel estimated this cache's active_objs in one of the
	 * snapshots (a partial list too long to scan): no exact check.
	 */
	bool estimated;
};

struct reconcile_opts {
	uint32_t nr_cpus;
	uint32_t nr_nodes;
	/* Free events the kernel did not deliver (recursion), any cache. */
	uint64_t lost_frees;
	/* kfrees of untraced objects whose cache is unknown (no kfunc). */
	uint64_t unattributed_kfrees;
	/* The kernel frees some objects without any event (docs/slub.md §2.5). */
	bool untraced_free_paths;
	/*
	 * 6.10+: slabinfo extrapolates the free objects of a node whose
	 * partial list is longer than this many slabs (0: always counted).
	 */
	uint64_t partial_scan_limit;
};

/* A cache the trace touched whose change the trace does not explain. */
static inline bool reconcile_row__fails(const struct reconcile_row *r)
{
	return r->touched && !r->holds && !r->unchecked && !r->estimated && !r->blind;
}

/* 6.10+ count_partial_free_approx(): MAX_PARTIAL_TO_SCAN in mm/slub.c. */
#define KMS_SLUB_PARTIAL_SCAN	10000u

/*
 * Fill *rows (malloc'ed, *n of them) for every cache in both snapshots.
 * `traced` and `params` look a cache up by name; they return false when
 * the cache is unknown to them (then it counts as untraced / no slack).
 */
int reconcile(const struct slabinfo *start, const struct slabinfo *end,
	      bool (*traced)(void *ctx, const char *name, struct reconcile_traced *out),
	      bool (*params)(void *ctx, const char *name, struct reconcile_params *out),
	      void *ctx, const struct reconcile_opts *o, struct reconcile_row **rows, size_t *n);

/* SLUB's cpu_partial_slabs: DIV_ROUND_UP(cpu_partial * 2, objs_per_slab). */
uint32_t reconcile_cpu_partial_slabs(uint32_t cpu_partial, uint32_t objs_per_slab);

#endif /* KMS_RECONCILE_H */
