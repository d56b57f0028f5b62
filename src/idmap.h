/* SPDX-License-Identifier: GPL-2.0 */
/*
 * idmap.h - a map from a nonzero 64-bit key (call site, kernel cache
 * pointer, tid) to a small dense id.  The dense ids index the callers' own
 * arrays of statistics; the map only owns the key -> id association.
 */
#ifndef KMS_IDMAP_H
#define KMS_IDMAP_H

#include <stdint.h>

struct idmap;

struct idmap *idmap__new(void);
void idmap__free(struct idmap *m);
/* Returns the id stored for key, or -1 (key 0 is never stored). */
int64_t idmap__get(const struct idmap *m, uint64_t key);
/* Stores or replaces key -> id. Returns 0 or -ENOMEM. */
int idmap__set(struct idmap *m, uint64_t key, uint32_t id);

#endif /* KMS_IDMAP_H */
