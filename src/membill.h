/* SPDX-License-Identifier: GPL-2.0 */
/*
 * membill.h - where the memory of each cache goes, in two views.
 *
 * Per size class (kmalloc only): what the traced requests asked for, what
 * their classes gave them, and the rounding between the two.
 *
 * Per cache, the whole bill at the end of the trace, from the kernel's own
 * counters (/sys/kernel/slab, CONFIG_SLUB_DEBUG):
 *
 *   slab memory = object bytes in use + per-object metadata (s->size -
 *                 object_size) + free slots + slab tail
 *
 * next to what the trace saw of it (live traced objects, their requests
 * and rounding).  Free slots are external fragmentation: memory held in
 * partial and per-CPU slabs that no other cache can use; the rounding is
 * internal waste, which /proc/slabinfo cannot show.  "In use" is the
 * kernel's count, so it includes the free objects of per-CPU slabs and
 * sheaves (docs/slub.md §3.6).
 *
 * Pure: a collector and a parsed snapshot in, tables out.
 */
#ifndef KMS_MEMBILL_H
#define KMS_MEMBILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct collector;
struct slabsys;

struct membill_totals {
	uint64_t allocs, bytes_req, bytes_alloc;
	uint64_t live, live_req, live_alloc;
};

struct membill_class {
	uint32_t size;		/* the class's object size (bytes_alloc) */
	bool large;		/* a page-allocator kmalloc, not a slab class */
	unsigned int nr_caches;	/* kmalloc-N, -cg-N, buckets... folded in */
	struct membill_totals t;
};

#define MEMBILL_UNV_SITES 3
#define MEMBILL_ALIASES_LEN 160

struct membill_cache {
	char name[48];		/* as traced; the first of merged names */
	char slab[64];		/* the /sys/kernel/slab directory, "" if unknown */
	unsigned int nr_names;	/* traced names sharing this slab cache */
	/*
	 * The cache's other names (SLUB merged caches of one size and flags
	 * into it): how many, and as many as fit, ", "-joined, "..." if cut.
	 */
	unsigned int nr_aliases;
	char aliases[MEMBILL_ALIASES_LEN];
	uint32_t object_size, size;
	struct membill_totals t;
	/*
	 * The traced live objects the cache can hold: t's live figures less
	 * the unverifiable ones below (their own requests and sizes), so that
	 * no report shows more live objects than the kernel has in use.
	 */
	uint64_t live, live_req, live_alloc;
	uint64_t live_rounding;	/* those live objects: object_size - request */
	uint64_t live_meta;	/* ... and size - object_size */
	/*
	 * SLAB_RECLAIM_ACCOUNT (sysfs reclaim_account): a cache whose objects
	 * a shrinker frees under memory pressure (dentries, inodes, the page
	 * cache's nodes): live at the end by design, not by a missing free.
	 */
	bool reclaimable;
	/* the kernel's bill (has_kernel) */
	bool has_kernel;
	uint32_t order, objs_per_slab;
	uint64_t slabs, objects, total_objects;
	uint64_t slab_bytes;	/* slabs x (PAGE_SIZE << order) */
	uint64_t obj_bytes;	/* objects x object_size */
	uint64_t meta_bytes;	/* objects x (size - object_size) */
	uint64_t free_bytes;	/* (total_objects - objects) x size */
	uint64_t tail_bytes;	/* slab_bytes - total_objects x size */
	/*
	 * Traced live objects beyond the kernel's objects in use: that many
	 * of the LIVE count were freed by a path without an event (or their
	 * free was lost), and which ones cannot be told.  They are counted
	 * against the cache's oldest live objects, the likeliest to have gone
	 * unseen; MEMBILL_UNV_SITES sites with the most of them are named.
	 */
	uint64_t live_unverifiable;
	struct {
		uint64_t call_site;
		uint64_t count;
	} unv_sites[MEMBILL_UNV_SITES];
};

struct membill {
	struct membill_class *classes;	/* by size, smallest first */
	size_t nr_classes;
	struct membill_cache *caches;	/* by slab memory, then traced bytes */
	size_t nr_caches;
	bool has_kernel;	/* a snapshot with counters was given */
	/*
	 * Per collector site (index as collector__site()): how many of its
	 * live objects are unverifiable (membill_cache.live_unverifiable,
	 * attributed to the oldest live objects of each such cache).  NULL
	 * when no cache holds fewer objects than were traced live.
	 */
	uint64_t *site_unverifiable;
	/*
	 * Per collector site: how many of its live objects are in reclaimable
	 * caches (membill_cache.reclaimable).  NULL when none is.
	 */
	uint64_t *site_reclaimable;
	size_t nr_sites;
	uint64_t live_unverifiable;	/* the sum over the caches */
};

/*
 * sys may be NULL (no snapshot): the traced half is still filled.
 * Returns 0 or -ENOMEM; *out is valid (and must be freed) only on 0.
 */
int membill__compute(const struct collector *c, const struct slabsys *sys,
		     uint32_t page_size, struct membill *out);
void membill__free(struct membill *mb);

#endif /* KMS_MEMBILL_H */
