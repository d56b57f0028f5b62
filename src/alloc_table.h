/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alloc_table.h - live allocations by pointer.  Open addressing with linear
 * probing and backward-shift deletion (no tombstones), grown by half at
 * 75 % load, 24-byte entries: 32 to 48 bytes per live allocation.  This is on the
 * per-event path of the collector: no allocation except when growing.
 */
#ifndef KMS_ALLOC_TABLE_H
#define KMS_ALLOC_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * The ids an entry can name, so that it stays 24 bytes: a site id 20 bits
 * and a cgroup index 12 beside it, a cache id 16 bits beside the
 * allocation time's 44 (microseconds since the trace started, modulo 2^44:
 * 203 days; the collector reads ages as signed differences, born_diff()).
 * An id that does not fit is counted by the collector, never truncated.
 * The time is whole microseconds, not milliseconds and a remainder: the
 * collector stores it and reads it back on every allocation and free,
 * and a division by 1,000 each way cost more than the rest of the entry.
 */
#define KMS_ALLOC_SITE_BITS	20
#define KMS_ALLOC_CGROUP_BITS	12
#define KMS_ALLOC_BORN_BITS	44
#define KMS_ALLOC_SITE_MAX	((1u << KMS_ALLOC_SITE_BITS) - 1)
#define KMS_ALLOC_CGROUP_MAX	((1u << KMS_ALLOC_CGROUP_BITS) - 1)
#define KMS_ALLOC_CACHE_MAX	UINT16_MAX
#define KMS_ALLOC_BORN_MAX	((1ULL << KMS_ALLOC_BORN_BITS) - 1)

struct alloc_entry {
	uint64_t ptr;		/* 0 = empty slot */
	uint64_t born_us : KMS_ALLOC_BORN_BITS;	/* allocation time, us since trace start */
	uint64_t cache : 16;	/* collector cache id (gives bytes_alloc) */
	uint64_t acct : 1;	/* charged to the memory cgroup (collect.h) */
	uint64_t rcu : 1;	/* kfree_rcu()'d: born_us is the call's, the free is pending */
	uint64_t spare : 2;
	uint32_t site : KMS_ALLOC_SITE_BITS;	/* collector site id */
	uint32_t cgroup : KMS_ALLOC_CGROUP_BITS;/* collector cgroup index */
	uint32_t bytes_req;
};
_Static_assert(sizeof(struct alloc_entry) == 24, "an alloc_entry stays 24 bytes");

/*
 * Any capacity, not a power of two: the table grows by half at 75 % load,
 * so it stays between 50 % and 75 % full and costs 32 to 48 bytes per live
 * allocation (doubling would swing between 37.5 % and 75 %, up to 64).
 * Open here only so that the lookups inline: the collector makes one per
 * event, and a call cost it a third of the lookup again (a prologue
 * saving the registers the growth path needs).  Nothing outside
 * alloc_table.c and this header touches the fields.
 */
struct alloc_table {
	struct alloc_entry *slots;
	size_t cap;
	size_t count;
	size_t max_entries;
};

/* max_entries = 0: unbounded. Returns NULL with errno set. */
struct alloc_table *alloc_table__new(size_t initial, size_t max_entries);
void alloc_table__free(struct alloc_table *t);

/*
 * Insert or replace.  Returns 0 when inserted, 1 when an entry for the
 * pointer existed (copied to *old, then replaced), -ENOSPC when the table
 * is at max_entries, -ENOMEM when growing failed.
 */
int alloc_table__insert(struct alloc_table *t, const struct alloc_entry *e,
			struct alloc_entry *old);
/*
 * The slot for ptr, to be filled in place before the next call on the
 * table: its live entry (returns 1), or a new one holding only ptr
 * (returns 0); -ENOSPC or -ENOMEM as for insert.  The collector's way in:
 * an entry built elsewhere and copied in was a wide load of narrow
 * bitfield stores that had not landed yet.
 */
static inline int alloc_table__slot(struct alloc_table *t, uint64_t ptr,
				    struct alloc_entry **slot);
/* Remove and return the entry for ptr; false when not present. */
static inline bool alloc_table__remove(struct alloc_table *t, uint64_t ptr,
				       struct alloc_entry *out);
static inline struct alloc_entry *alloc_table__find(struct alloc_table *t, uint64_t ptr);
/* Start loading the slot where ptr's entry is or would go (a hint; nothing changes). */
static inline void alloc_table__prefetch(const struct alloc_table *t, uint64_t ptr);
size_t alloc_table__count(const struct alloc_table *t);
size_t alloc_table__bytes(const struct alloc_table *t);
/* Iterate: *pos starts at 0; returns NULL at the end. */
struct alloc_entry *alloc_table__next(struct alloc_table *t, size_t *pos);

/* ---- the lookups, inline; growth and deletion out of line ------------ */

/* Out of line: a new entry where the table must grow first, or cannot. */
int alloc_table__slot_grow(struct alloc_table *t, uint64_t ptr, struct alloc_entry **slot);
/* Out of line: empty slot i, keeping every probe chain unbroken. */
void alloc_table__delete(struct alloc_table *t, size_t i);

/* Lemire's multiply-shift maps the hash onto [0, cap) without a division. */
static inline size_t alloc_table__home(const struct alloc_table *t, uint64_t ptr)
{
	return ((unsigned __int128)kms_hash64(ptr) * t->cap) >> 64;
}

static inline size_t alloc_table__next_slot(const struct alloc_table *t, size_t i)
{
	return ++i == t->cap ? 0 : i;
}

/* One more entry would take the table past 75 % load: it grows first. */
static inline bool alloc_table__over_load(const struct alloc_table *t)
{
	return (t->count + 1) * 4 > t->cap * 3;
}

static inline struct alloc_entry *alloc_table__find(struct alloc_table *t, uint64_t ptr)
{
	size_t i = alloc_table__home(t, ptr);

	for (; t->slots[i].ptr; i = alloc_table__next_slot(t, i))
		if (t->slots[i].ptr == ptr)
			return &t->slots[i];
	return NULL;
}

static inline int alloc_table__slot(struct alloc_table *t, uint64_t ptr,
				    struct alloc_entry **slot)
{
	size_t i = alloc_table__home(t, ptr);

	for (; t->slots[i].ptr; i = alloc_table__next_slot(t, i)) {
		if (t->slots[i].ptr == ptr) {
			*slot = &t->slots[i];
			return 1;
		}
	}
	if ((t->max_entries && t->count >= t->max_entries) || alloc_table__over_load(t))
		return alloc_table__slot_grow(t, ptr, slot);
	t->slots[i] = (struct alloc_entry){ .ptr = ptr };
	t->count++;
	*slot = &t->slots[i];
	return 0;
}

static inline bool alloc_table__remove(struct alloc_table *t, uint64_t ptr,
				       struct alloc_entry *out)
{
	struct alloc_entry *e = alloc_table__find(t, ptr);

	if (!e)
		return false;
	*out = *e;
	alloc_table__delete(t, e - t->slots);
	t->count--;
	return true;
}

static inline void alloc_table__prefetch(const struct alloc_table *t, uint64_t ptr)
{
	__builtin_prefetch(&t->slots[alloc_table__home(t, ptr)], 1);
}

#endif /* KMS_ALLOC_TABLE_H */
