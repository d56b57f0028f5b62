// SPDX-License-Identifier: GPL-2.0
/*
 * reconcile.c - see reconcile.h.  The slack per cache:
 *
 *  - CPU slabs and CPU partial lists: a CPU slab's free objects and those
 *    of the slabs on a CPU partial list are all "active" to slabinfo
 *    (their slab is off the node partial list).  Each CPU holds at most
 *    one CPU slab and cpu_partial_slabs partial slabs, so between two
 *    snapshots these free-but-active objects can change by at most
 *    nr_cpus * objs_per_slab * (1 + cpu_partial_slabs).
 *  - Sheaves (6.18): objects freed into a CPU's main, spare or rcu_free
 *    sheaf, or into the node's barn (10 full sheaves), stay active without
 *    an event when they go back: nr_cpus * 3 * capacity + nodes * 10 *
 *    capacity.
 *  - Allocations without events: a pointer freed twice with no allocation
 *    event between was allocated by a path the tracepoints miss; its
 *    second free is counted in untraced_allocs (refree.h) and taken out
 *    of the frees of older objects.  A first free of such a pointer looks
 *    like the free of an older object: the excess it leaves is bounded
 *    by the distinct pointers, not covered by any slack.
 *  - Losses the trace counted: frees the kernel did not deliver
 *    (recursion misses; not attributable to a cache, so they widen every
 *    cache's bound) and frees shown missed by the re-allocation of a live
 *    pointer of this cache.
 *
 * A cache whose frees could come through kfree without a known cache (no
 * bpf_get_kmem_cache) cannot be checked: those frees of pre-trace objects
 * would be unaccounted.  Such rows are marked unchecked, never "holds".
 *
 * From 6.10, slabinfo scans at most 10000 slabs of a node's partial list
 * and extrapolates the rest (count_partial_free_approx() in mm/slub.c):
 * a cache with more slabs than that in either snapshot may have an
 * estimated active_objs, off by thousands, and is marked estimated.
 *
 * Frees without events (kfree_rcu batches freed by kfree_bulk, kfree_rcu
 * into 6.18 sheaves, bulk frees, kfree_nolock) make active_objs fall
 * below the traced net.  Where the kernel has such paths that kmscope
 * cannot see, a shortfall beyond the bound is a counted blind spot; an
 * excess (allocations the trace missed) is always a failure.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile.h"
#include "slabinfo.h"

uint32_t reconcile_cpu_partial_slabs(uint32_t cpu_partial, uint32_t objs_per_slab)
{
	if (!objs_per_slab)
		return 0;
	return (cpu_partial * 2 + objs_per_slab - 1) / objs_per_slab;
}

static bool is_kmalloc_name(const char *name)
{
	return !strncmp(name, "kmalloc-", 8) || !strncmp(name, "dma-kmalloc-", 12);
}

/* Counts come from files: saturate rather than overflow signed arithmetic. */
static int64_t sat(__int128 v)
{
	return v > INT64_MAX ? INT64_MAX : v < -INT64_MAX ? -INT64_MAX : (int64_t)v;
}

static void fill_row(struct reconcile_row *r, const struct slabinfo_entry *s,
		     const struct slabinfo_entry *e, const struct reconcile_traced *t,
		     const struct reconcile_params *p, const struct reconcile_opts *o)
{
	uint32_t ops = p->objs_per_slab ? p->objs_per_slab : e->objperslab;

	memcpy(r->name, e->name, sizeof(r->name));
	r->delta_active = sat((__int128)e->active_objs - (s ? s->active_objs : 0));
	r->delta_total = sat((__int128)e->num_objs - (s ? s->num_objs : 0));
	r->traced_net = sat((__int128)t->allocs + t->untraced_allocs - t->frees - t->frees_pretrace);
	r->untraced_allocs = t->untraced_allocs;
	r->diff = sat((__int128)r->delta_active - r->traced_net);
	r->slack_cpu = (uint64_t)o->nr_cpus * ops *
		       (1 + reconcile_cpu_partial_slabs(p->cpu_partial, ops));
	r->slack_sheaf = (uint64_t)p->sheaf_capacity * (3ULL * o->nr_cpus + 10ULL * o->nr_nodes);
	r->slack_lost = o->lost_frees + t->missed_frees;
	r->bound = r->slack_cpu + r->slack_sheaf + r->slack_lost;
	if (r->bound < r->slack_lost)	/* wrapped: no bound at all */
		r->bound = UINT64_MAX;
	r->touched = t->allocs || t->frees || t->frees_pretrace;
	r->unchecked = o->unattributed_kfrees && is_kmalloc_name(e->name);
	r->estimated = o->partial_scan_limit && (e->num_slabs > o->partial_scan_limit ||
						  (s && s->num_slabs > o->partial_scan_limit));
	r->holds = !r->unchecked && !r->estimated && (uint64_t)(r->diff < 0 ? -r->diff : r->diff) <= r->bound;
	/* Fewer objects active than traced: frees went by without events. */
	if (!r->holds && !r->unchecked && !r->estimated && r->diff < 0 &&
	    o->untraced_free_paths) {
		r->blind = true;
		r->untraced_frees = (uint64_t)-r->diff - r->bound;
	}
}

int reconcile(const struct slabinfo *start, const struct slabinfo *end,
	      bool (*traced)(void *ctx, const char *name, struct reconcile_traced *out),
	      bool (*params)(void *ctx, const char *name, struct reconcile_params *out),
	      void *ctx, const struct reconcile_opts *o, struct reconcile_row **rows, size_t *n)
{
	struct reconcile_row *r = calloc(end->n + 1, sizeof(*r));
	size_t i;

	if (!r)
		return -ENOMEM;
	for (i = 0; i < end->n; i++) {
		const struct slabinfo_entry *e = &end->e[i];
		struct reconcile_traced t = { 0 };
		struct reconcile_params p = { 0 };

		traced(ctx, e->name, &t);
		params(ctx, e->name, &p);
		fill_row(&r[i], slabinfo__find(start, e->name), e, &t, &p, o);
	}
	*rows = r;
	*n = end->n;
	return 0;
}
