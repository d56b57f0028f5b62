// SPDX-License-Identifier: GPL-2.0
/*
 * membill.c - see membill.h.  Traced caches are folded twice: by kmalloc
 * class size, and by the slab cache they really live in (an alias and its
 * merge target, or two rows of one name, are one slab cache).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "grow.h"
#include "membill.h"
#include "sizeclass.h"
#include "slabsys.h"

static void add_totals(struct membill_totals *t, const struct kms_totals *k)
{
	t->allocs += k->allocs;
	t->bytes_req += k->bytes_req;
	t->bytes_alloc += k->bytes_alloc;
	t->live += k->live;
	t->live_req += k->live_req;
	t->live_alloc += k->live_alloc;
}

static bool traced(const struct kms_cache *k)
{
	return k->t.allocs || k->t.live;
}

/* A model-named cache is a kmalloc class unless it is 5.15's "cache-size-N". */
static bool is_class(const struct kmalloc_params *kp, const struct kms_cache *k)
{
	if (k->from_model)
		return strncmp(k->name, "cache-size-", 11) != 0;
	return kmalloc_family_cache(kp, k->name);
}

static int fold_classes(const struct collector *c, struct membill *mb)
{
	const struct kmalloc_params *kp = collector__kmalloc_params(c);
	size_t i, j, n = collector__nr_caches(c);

	mb->classes = calloc(n + 1, sizeof(*mb->classes));
	if (!mb->classes)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct kms_cache *k = collector__cache(c, i);
		bool large = k->object_size > kmalloc_max_cache_size(kp);
		struct membill_class *cl = NULL;

		if (!traced(k) || !is_class(kp, k) || !k->object_size)
			continue;
		for (j = 0; j < mb->nr_classes && !cl; j++)
			if (mb->classes[j].size == k->object_size)
				cl = &mb->classes[j];
		if (!cl) {
			cl = &mb->classes[mb->nr_classes++];
			cl->size = k->object_size;
			cl->large = large;
		}
		cl->nr_caches++;
		add_totals(&cl->t, &k->t);
	}
	return 0;
}

static void kernel_bill(struct membill_cache *m, const struct slab_sysfs_cache *sc,
			uint32_t page_size)
{
	uint64_t per_slab = (uint64_t)page_size << sc->order;

	m->order = sc->order;
	m->objs_per_slab = sc->objs_per_slab;
	if (!sc->has_counters || sc->objects > sc->total_objects)
		return;
	m->has_kernel = true;
	m->slabs = sc->slabs;
	m->objects = sc->objects;
	m->total_objects = sc->total_objects;
	m->slab_bytes = sc->slabs * per_slab;
	m->obj_bytes = sc->objects * sc->object_size;
	m->meta_bytes = sc->objects * (sc->slab_size - sc->object_size);
	m->free_bytes = (sc->total_objects - sc->objects) * sc->slab_size;
	/* Fallback-order slabs hold fewer objects: their tail is counted here too. */
	m->tail_bytes = m->slab_bytes > sc->total_objects * sc->slab_size ?
			m->slab_bytes - sc->total_objects * sc->slab_size : 0;
}

/* The other names of the cache `name` is, as many as fit. */
static void cache_aliases(struct membill_cache *m, const struct slabsys *sys, const char *name)
{
	m->nr_aliases = slabsys__join(sys, name, sizeof(m->aliases) - 1, m->aliases,
				      sizeof(m->aliases));
}

static struct membill_cache *cache_row(struct membill *mb, const struct kms_cache *k,
				       const struct slab_sysfs_cache *sc)
{
	size_t i;

	for (i = 0; i < mb->nr_caches; i++) {
		struct membill_cache *m = &mb->caches[i];

		if (sc ? !strcmp(m->slab, sc->name) : !m->slab[0] && !strcmp(m->name, k->name)) {
			m->nr_names += strcmp(m->name, k->name) != 0;
			return m;
		}
	}
	return NULL;
}

static int cache_cmp(const void *a, const void *b)
{
	const struct membill_cache *x = a, *y = b;

	if (x->slab_bytes != y->slab_bytes)
		return x->slab_bytes < y->slab_bytes ? 1 : -1;
	if (x->t.bytes_alloc != y->t.bytes_alloc)
		return x->t.bytes_alloc < y->t.bytes_alloc ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int class_cmp(const void *a, const void *b)
{
	const struct membill_class *x = a, *y = b;

	return x->size < y->size ? -1 : x->size > y->size;
}

static int fold_caches(const struct collector *c, const struct slabsys *sys,
		       uint32_t page_size, struct membill *mb, size_t *row_of)
{
	const struct kmalloc_params *kp = collector__kmalloc_params(c);
	size_t i, n = collector__nr_caches(c);

	mb->caches = calloc(n + 1, sizeof(*mb->caches));
	if (!mb->caches)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct kms_cache *k = collector__cache(c, i);
		const struct slab_sysfs_cache *sc = sys ? slabsys__find(sys, k->name) : NULL;
		struct membill_cache *m;

		row_of[i] = SIZE_MAX;
		/* A large kmalloc is pages, in no slab: the class table has it. */
		if (!traced(k) || (is_class(kp, k) && k->object_size > kmalloc_max_cache_size(kp)))
			continue;
		m = cache_row(mb, k, sc);
		if (!m) {
			m = &mb->caches[mb->nr_caches++];
			snprintf(m->name, sizeof(m->name), "%s", k->name);
			m->nr_names = 1;
			m->object_size = k->object_size;
			m->size = k->size;
			if (sc) {
				cache_aliases(m, sys, k->name);
				snprintf(m->slab, sizeof(m->slab), "%s", sc->name);
				m->reclaimable = sc->reclaim_account;
				m->object_size = sc->object_size;
				m->size = sc->slab_size;
				kernel_bill(m, sc, page_size);
			}
		}
		add_totals(&m->t, &k->t);
		row_of[i] = m - mb->caches;
	}
	for (i = 0; i < mb->nr_caches; i++) {
		mb->has_kernel |= mb->caches[i].has_kernel;
		mb->caches[i].live = mb->caches[i].t.live;
		mb->caches[i].live_req = mb->caches[i].t.live_req;
		mb->caches[i].live_alloc = mb->caches[i].t.live_alloc;
	}
	return 0;
}

/*
 * Split what the live objects take beyond their requests: up to
 * object_size it is rounding (the class), beyond it metadata.
 * kmem_cache_alloc reports bytes_alloc = s->size, so their difference
 * alone would call metadata rounding.
 */
static void live_split(struct membill_cache *m)
{
	uint64_t obj = m->live * m->object_size;

	m->live_rounding = obj > m->live_req ? obj - m->live_req : 0;
	m->live_meta = m->live_alloc > obj ? m->live_alloc - obj : 0;
}

struct unv_obj {
	size_t row;		/* membill cache row */
	size_t site;		/* collector site index */
	uint32_t bytes_req;
	uint32_t age_ms;
};

struct unv_ctx {
	const struct collector *c;
	const size_t *row_of;	/* collector cache index -> row, or SIZE_MAX */
	const struct membill *mb;
	struct unv_obj *objs;
	size_t n, cap;
	int err;
};

/* The bill row of a live object's cache (row_of: by collector cache), SIZE_MAX when none. */
static size_t live_row(const struct collector *c, const size_t *row_of,
		       const struct kms_site *site, const struct kms_cache *cache)
{
	return site && cache ? row_of[cache - collector__cache(c, 0)] : SIZE_MAX;
}

static void unv_add(void *ctx, const struct kms_site *site, const struct kms_cache *cache,
		    uint32_t bytes_req, uint32_t age_ms, bool rcu)
{
	struct unv_ctx *u = ctx;
	size_t row = live_row(u->c, u->row_of, site, cache);

	if (u->err || row == SIZE_MAX || !u->mb->caches[row].live_unverifiable)
		return;
	u->err = kms_grow((void **)&u->objs, &u->cap, u->n + 1, sizeof(*u->objs), 1024);
	if (u->err)
		return;
	u->objs[u->n++] = (struct unv_obj){ row, site - collector__site(u->c, 0), bytes_req, age_ms };
}

/* By row, then oldest first. */
static int unv_cmp(const void *a, const void *b)
{
	const struct unv_obj *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->age_ms != y->age_ms)
		return x->age_ms > y->age_ms ? -1 : 1;
	return x->site < y->site ? -1 : x->site > y->site;
}

static void unv_top(struct membill_cache *m, uint64_t call_site, uint64_t count)
{
	int i, j;

	for (i = 0; i < MEMBILL_UNV_SITES; i++) {
		if (count <= m->unv_sites[i].count)
			continue;
		for (j = MEMBILL_UNV_SITES - 1; j > i; j--)
			m->unv_sites[j] = m->unv_sites[j - 1];
		m->unv_sites[i].call_site = call_site;
		m->unv_sites[i].count = count;
		return;
	}
}

/*
 * An unverifiable object leaves the held live figures.  A cache's objects
 * all have one allocated size, so its share of live_alloc is the mean.
 */
static void unv_drop(struct membill_cache *m, uint32_t bytes_req)
{
	uint64_t alloc = m->live ? m->live_alloc / m->live : 0;

	m->live_req -= bytes_req < m->live_req ? bytes_req : m->live_req;
	m->live_alloc -= alloc;
	m->live--;
}

/*
 * Unverifiable objects the walk did not reach (none had a site): they
 * leave the held figures at their cache's mean request.
 */
static void live_clamp(struct membill_cache *m)
{
	uint64_t n, req;

	if (!m->has_kernel || m->live <= m->objects)
		return;
	n = m->live - m->objects;
	req = m->live_req / m->live * n;
	m->live_req -= req < m->live_req ? req : m->live_req;
	m->live_alloc -= m->live_alloc / m->live * n;
	m->live = m->objects;
}

/*
 * Never more live than the cache holds: where the traced live objects of
 * a cache outnumber its objects in use at the end, the excess is
 * unverifiable, counted against its oldest live objects and their sites.
 */
static int unverifiable(const struct collector *c, const size_t *row_of, struct membill *mb)
{
	struct unv_ctx u = { .c = c, .row_of = row_of, .mb = mb };
	size_t i, j, k, nr_sites = collector__nr_sites(c);
	uint64_t *per;

	for (i = 0; i < mb->nr_caches; i++) {
		struct membill_cache *m = &mb->caches[i];

		if (m->has_kernel && m->t.live > m->objects)
			m->live_unverifiable = m->t.live - m->objects;
		mb->live_unverifiable += m->live_unverifiable;
	}
	if (!mb->live_unverifiable || !nr_sites)
		return 0;
	collector__for_each_live(c, unv_add, &u);
	mb->site_unverifiable = calloc(nr_sites, sizeof(*mb->site_unverifiable));
	per = calloc(nr_sites, sizeof(*per));
	if (u.err || !mb->site_unverifiable || !per) {
		free(u.objs);
		free(per);
		return -ENOMEM;
	}
	mb->nr_sites = nr_sites;
	qsort(u.objs, u.n, sizeof(*u.objs), unv_cmp);
	for (i = 0; i < u.n; i = j) {
		struct membill_cache *m = &mb->caches[u.objs[i].row];

		for (j = i; j < u.n && u.objs[j].row == u.objs[i].row; j++)
			if (j - i < m->live_unverifiable)
				per[u.objs[j].site]++;
		for (k = i; k < j && k - i < m->live_unverifiable; k++) {
			size_t s = u.objs[k].site;

			unv_drop(m, u.objs[k].bytes_req);
			if (per[s]) {
				unv_top(m, collector__site(c, s)->call_site, per[s]);
				mb->site_unverifiable[s] += per[s];
				per[s] = 0;
			}
		}
	}
	free(u.objs);
	free(per);
	return 0;
}

struct rcl_ctx {
	const struct collector *c;
	const size_t *row_of;	/* collector cache index -> row, or SIZE_MAX */
	const struct membill *mb;
	uint64_t *per_site;
};

static void rcl_add(void *ctx, const struct kms_site *site, const struct kms_cache *cache,
		    uint32_t bytes_req, uint32_t age_ms, bool rcu)
{
	struct rcl_ctx *r = ctx;
	size_t row = live_row(r->c, r->row_of, site, cache);

	if (row != SIZE_MAX && r->mb->caches[row].reclaimable)
		r->per_site[site - collector__site(r->c, 0)]++;
}

/* Each site's live objects in reclaimable caches, where any cache is one. */
static int reclaimable(const struct collector *c, const size_t *row_of, struct membill *mb)
{
	struct rcl_ctx r = { .c = c, .row_of = row_of, .mb = mb };
	size_t i, nr_sites = collector__nr_sites(c);

	for (i = 0; i < mb->nr_caches; i++)
		if (mb->caches[i].reclaimable && mb->caches[i].t.live)
			break;
	if (i == mb->nr_caches || !nr_sites)
		return 0;
	r.per_site = calloc(nr_sites, sizeof(*r.per_site));
	if (!r.per_site)
		return -ENOMEM;
	collector__for_each_live(c, rcl_add, &r);
	mb->site_reclaimable = r.per_site;
	mb->nr_sites = nr_sites;
	return 0;
}

int membill__compute(const struct collector *c, const struct slabsys *sys,
		     uint32_t page_size, struct membill *out)
{
	struct membill mb = { 0 };
	int err;

	size_t *row_of = calloc(collector__nr_caches(c) + 1, sizeof(*row_of));

	err = row_of ? fold_classes(c, &mb) : -ENOMEM;
	if (!err)
		err = fold_caches(c, sys, page_size, &mb, row_of);
	if (!err)
		err = unverifiable(c, row_of, &mb);
	if (!err)
		err = reclaimable(c, row_of, &mb);
	free(row_of);
	for (size_t i = 0; !err && i < mb.nr_caches; i++) {
		live_clamp(&mb.caches[i]);
		live_split(&mb.caches[i]);
	}
	if (err) {
		membill__free(&mb);
		return err;
	}
	qsort(mb.classes, mb.nr_classes, sizeof(*mb.classes), class_cmp);
	qsort(mb.caches, mb.nr_caches, sizeof(*mb.caches), cache_cmp);
	*out = mb;
	return 0;
}

void membill__free(struct membill *mb)
{
	free(mb->classes);
	free(mb->caches);
	free(mb->site_unverifiable);
	free(mb->site_reclaimable);
	mb->classes = NULL;
	mb->caches = NULL;
	mb->site_unverifiable = NULL;
	mb->site_reclaimable = NULL;
	mb->nr_sites = 0;
	mb->nr_classes = mb->nr_caches = 0;
}
