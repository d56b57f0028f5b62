/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slabgrowth.h - the pages underneath: each slab cache's slabs, objects
 * and free slots in the /proc/slabinfo snapshot taken when the trace
 * started and in the one taken when it ended, so a report can say which
 * caches grew or shrank, by how many pages, and how much of the memory
 * they hold is free slots.  Counted by the kernel, not estimated (SLUB's
 * slab counts need CONFIG_SLUB_DEBUG; its free objects are those on the
 * node partial lists, so a per-CPU slab's free slots count as in use).
 * One row per real cache, named as the tracepoints name it; merged caches
 * are one row.  Pure: two parsed snapshots and the page size in, rows out.
 */
#ifndef KMS_SLABGROWTH_H
#define KMS_SLABGROWTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct slabinfo;
struct slabsys;

#define SLABGROWTH_NAME_LEN	64

/* One end of the trace: the kernel's counters of one cache. */
struct slabgrowth_side {
	bool present;		/* the cache existed, with counters */
	uint64_t slabs, pages, slab_bytes;
	uint64_t objects, total_objects;
	uint64_t free_bytes;	/* (total_objects - objects) * object size with metadata */
};

struct slabgrowth_row {
	char name[SLABGROWTH_NAME_LEN];	/* the cache; a merged one's first name */
	uint32_t nr_names;		/* names merged into it, itself included */
	uint32_t order;
	struct slabgrowth_side start, end;
};

struct slabgrowth {
	/* Caches whose slab count changed, most memory gained or lost first. */
	struct slabgrowth_row *rows;
	size_t nr_rows;
	size_t nr_same;		/* caches in both with the same slabs */
	/* Over every cache with counters in both snapshots. */
	uint64_t slab_bytes_start, slab_bytes_end;
	uint64_t free_bytes_start, free_bytes_end;
};

/*
 * Compare the start and end snapshots; names (NULL or a /sys/kernel/slab
 * snapshot) counts the names merged into each cache.  -EINVAL when either
 * snapshot is NULL or no cache has slabs in both (a kernel without
 * CONFIG_SLUB_DEBUG counts none), -ENOMEM.
 */
int slabgrowth__compute(const struct slabinfo *start, const struct slabinfo *end,
			const struct slabsys *names, uint32_t page_size, struct slabgrowth *out);
void slabgrowth__free(struct slabgrowth *g);
/* end - start of a row's slab memory, as a signed number. */
int64_t slabgrowth_row__delta(const struct slabgrowth_row *r);

#endif /* KMS_SLABGROWTH_H */
