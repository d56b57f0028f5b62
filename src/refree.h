/* SPDX-License-Identifier: GPL-2.0 */
/*
 * refree.h - allocations the trace saw only through their frees.  A
 * pointer freed twice during the trace with no allocation event between
 * was allocated again by a path the kmem tracepoints do not cover
 * (kmem_cache_alloc_bulk(), a prefilled sheaf on 6.18, kmalloc_nolock(),
 * or whatever an out-of-tree patch adds): the second free is proof of an
 * untraced allocation, counted per cache.  `check` uses the counts so
 * that such frees are not taken for frees of objects older than the
 * trace when it reconciles with /proc/slabinfo.  (The first free of such
 * a pointer cannot be told from a free of an older object.)
 *
 * Pure: events in, counts out; memory grows with the distinct pointers
 * freed (a short diagnostic trace, not the hot path of stat or serve).
 */
#ifndef KMS_REFREE_H
#define KMS_REFREE_H

#include <stddef.h>
#include <stdint.h>

struct refree;

struct refree *refree__new(void);
void refree__free(struct refree *r);
/* An allocation event at ptr.  0 or -ENOMEM. */
int refree__alloc(struct refree *r, uint64_t ptr);
/*
 * A free event at ptr of the collector's cache row `cache` (its index,
 * collector__cache_index(); negative: unknown).  An index, not the row's
 * address: the rows move when the collector adds one.  0 or -ENOMEM.
 */
int refree__free_event(struct refree *r, uint64_t ptr, int64_t cache);
/* Frees of cache row `cache`'s objects that only an untraced allocation explains. */
uint64_t refree__count(const struct refree *r, size_t cache);
/* All of them, unknown caches included. */
uint64_t refree__total(const struct refree *r);

#endif /* KMS_REFREE_H */
