/* SPDX-License-Identifier: GPL-2.0 */
/*
 * idmap.h - a map from a nonzero 64-bit key (call site, kernel cache
 * pointer, tid) to a small dense id.  The dense ids index the callers' own
 * arrays of statistics; the map only owns the key -> id association.
 */
#ifndef KMS_IDMAP_H
#define KMS_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * Linear probing, grown at 50 % load; no deletion.  Open here only so
 * that idmap__get() inlines: the collector makes two or three lookups per
 * event, and a call each cost about as much as the probe.  Nothing
 * outside idmap.c touches the fields.
 */
struct idmap_slot {
	uint64_t key;
	uint32_t id;
};

struct idmap {
	struct idmap_slot *slots;
	size_t mask;
	size_t count;
};

struct idmap *idmap__new(void);
void idmap__free(struct idmap *m);

/* The slot holding key, or the empty one where it would go. */
static inline struct idmap_slot *idmap__lookup(const struct idmap *m, uint64_t key)
{
	size_t i = kms_hash64(key) >> 24 & m->mask;

	while (m->slots[i].key && m->slots[i].key != key)
		i = (i + 1) & m->mask;
	return &m->slots[i];
}

/* Returns the id stored for key, or -1 (key 0 is never stored). */
static inline int64_t idmap__get(const struct idmap *m, uint64_t key)
{
	const struct idmap_slot *s = idmap__lookup(m, key);

	return s->key ? (int64_t)s->id : -1;
}
/* Stores or replaces key -> id. Returns 0 or -ENOMEM. */
int idmap__set(struct idmap *m, uint64_t key, uint32_t id);

#endif /* KMS_IDMAP_H */
