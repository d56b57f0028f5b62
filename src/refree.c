// SPDX-License-Identifier: GPL-2.0
/*
 * refree.c - see refree.h.  The freed pointers live in an idmap (value 1:
 * freed and not allocated since, 0: allocated again); the per-cache
 * counts in a short array searched linearly, as only frees proven
 * untraced reach it.
 */
#include <errno.h>
#include <stdlib.h>

#include "grow.h"
#include "idmap.h"
#include "refree.h"

#define FREED	1

struct refree_cache {
	size_t cache;		/* the collector's row index */
	uint64_t n;
};

struct refree {
	struct idmap *freed;
	struct refree_cache *caches;
	size_t nr_caches, cap_caches;
	uint64_t total;
};

struct refree *refree__new(void)
{
	struct refree *r = calloc(1, sizeof(*r));

	if (r && !(r->freed = idmap__new())) {
		free(r);
		r = NULL;
	}
	return r;
}

void refree__free(struct refree *r)
{
	if (!r)
		return;
	idmap__free(r->freed);
	free(r->caches);
	free(r);
}

int refree__alloc(struct refree *r, uint64_t ptr)
{
	return idmap__get(r->freed, ptr) == FREED ? idmap__set(r->freed, ptr, 0) : 0;
}

static int count(struct refree *r, int64_t cache)
{
	size_t i;
	int err;

	r->total++;
	if (cache < 0)
		return 0;
	for (i = 0; i < r->nr_caches; i++) {
		if (r->caches[i].cache == (size_t)cache) {
			r->caches[i].n++;
			return 0;
		}
	}
	err = kms_grow((void **)&r->caches, &r->cap_caches, r->nr_caches + 1,
		       sizeof(*r->caches), 16);
	if (err)
		return err;
	r->caches[r->nr_caches].cache = cache;
	r->caches[r->nr_caches++].n = 1;
	return 0;
}

int refree__free_event(struct refree *r, uint64_t ptr, int64_t cache)
{
	if (!ptr)
		return 0;
	if (idmap__get(r->freed, ptr) == FREED)
		return count(r, cache);
	return idmap__set(r->freed, ptr, FREED);
}

uint64_t refree__count(const struct refree *r, size_t cache)
{
	size_t i;

	for (i = 0; r && i < r->nr_caches; i++)
		if (r->caches[i].cache == cache)
			return r->caches[i].n;
	return 0;
}

uint64_t refree__total(const struct refree *r)
{
	return r ? r->total : 0;
}
