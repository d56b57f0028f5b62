// SPDX-License-Identifier: GPL-2.0
/*
 * sizes.c - see sizes.h.  Objects per slab, order and slab bytes come from
 * the kernel's sysfs for caches that exist; the tail waste per slab is
 * what those leave over: (PAGE_SIZE << order) - objs_per_slab * slab_size.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "gfp.h"
#include "json_writer.h"
#include "sizes.h"
#include "slabsys.h"
#include "util.h"

static const char *const type_names[KMALLOC_T_MAX] = {
	[KMALLOC_T_NORMAL] = "normal",
	[KMALLOC_T_CGROUP] = "cgroup (__GFP_ACCOUNT)",
	[KMALLOC_T_RECLAIM] = "reclaimable (__GFP_RECLAIMABLE)",
	[KMALLOC_T_DMA] = "dma (__GFP_DMA)",
	[KMALLOC_T_LARGE] = "large (page allocator)",
};

struct class_geom {
	bool known;		/* the cache is in the snapshot */
	uint32_t slab_size, objs, order, slab_bytes, tail;
};

static void geom_of(const struct kmalloc_params *kp, const struct slabsys *sys,
		    const struct kmalloc_class *cl, struct class_geom *g)
{
	const struct slab_sysfs_cache *sc = sys && cl->type != KMALLOC_T_LARGE ?
		slabsys__find(sys, cl->name) : NULL;

	memset(g, 0, sizeof(*g));
	if (cl->type == KMALLOC_T_LARGE) {
		g->known = true;
		g->slab_size = cl->bytes_alloc;
		g->objs = 1;
		g->order = cl->order;
		g->slab_bytes = cl->bytes_alloc;
		return;
	}
	/* A names-only snapshot has no attributes; an absurd order is not real. */
	if (!sc || !slab_sysfs_cache__has(sc, SLABSYS_SLAB_SIZE) ||
	    !slab_sysfs_cache__has(sc, SLABSYS_OBJS_PER_SLAB) ||
	    !slab_sysfs_cache__has(sc, SLABSYS_ORDER) || sc->order > 20 ||
	    (uint64_t)sc->objs_per_slab * sc->slab_size > ((uint64_t)kp->page_size << sc->order))
		return;
	g->known = true;
	g->slab_size = sc->slab_size;
	g->objs = sc->objs_per_slab;
	g->order = sc->order;
	g->slab_bytes = kp->page_size << sc->order;
	g->tail = g->slab_bytes - g->objs * g->slab_size;
}

static void json_class(struct json_writer *w, const struct kmalloc_class *cl,
		       const struct class_geom *g)
{
	jsonw_string_field(w, "cache", cl->name);
	jsonw_uint_field(w, "size", cl->size);
	jsonw_uint_field(w, "req_min", cl->req_min);
	jsonw_uint_field(w, "req_max", cl->req_max);
	if (g->known) {
		jsonw_uint_field(w, "slab_size", g->slab_size);
		jsonw_uint_field(w, "objs_per_slab", g->objs);
		jsonw_uint_field(w, "order", g->order);
		jsonw_uint_field(w, "slab_bytes", g->slab_bytes);
		jsonw_uint_field(w, "tail_waste", g->tail);
	}
	if (cl->copy_unknown)
		jsonw_bool_field(w, "random_copies", true);
}

static int table_json(FILE *f, const struct kmalloc_params *kp, const struct slabsys *sys,
		      bool pretty)
{
	struct kmalloc_class cls[64];
	struct json_writer *w = jsonw_new(f);
	int t, i, n;

	if (!w)
		return -ENOMEM;
	jsonw_pretty(w, pretty);
	jsonw_start_object(w);
	jsonw_uint_field(w, "page_size", kp->page_size);
	jsonw_uint_field(w, "kmalloc_max_cache_size", kmalloc_max_cache_size(kp));
	jsonw_uint_field(w, "kmalloc_max_size", kmalloc_max_size(kp));
	jsonw_name(w, "types");
	jsonw_start_array(w);
	for (t = 0; t < KMALLOC_T_MAX; t++) {
		n = kmalloc_classes(kp, t, cls, ARRAY_SIZE(cls));
		if (n <= 0)
			continue;
		jsonw_start_object(w);
		jsonw_string_field(w, "type", type_names[t]);
		jsonw_name(w, "classes");
		jsonw_start_array(w);
		for (i = 0; i < n; i++) {
			struct class_geom g;

			geom_of(kp, sys, &cls[i], &g);
			jsonw_start_object(w);
			json_class(w, &cls[i], &g);
			jsonw_end_object(w);
		}
		jsonw_end_array(w);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
	return jsonw_close(&w);
}

int sizes__table(FILE *f, const struct kmalloc_params *kp, const struct slabsys *sys,
		 bool json, bool pretty)
{
	struct kmalloc_class cls[64];
	int t, i, n;

	if (json)
		return table_json(f, kp, sys, pretty);
	fprintf(f, "page size %u, KMALLOC_MAX_CACHE_SIZE %u, KMALLOC_MAX_SIZE %u\n", kp->page_size,
		kmalloc_max_cache_size(kp), kmalloc_max_size(kp));
	for (t = 0; t < KMALLOC_T_MAX; t++) {
		n = kmalloc_classes(kp, t, cls, ARRAY_SIZE(cls));
		if (n <= 0)
			continue;
		fprintf(f, "\n%s\n%-22s %9s %17s %9s %6s %11s %10s\n", type_names[t], "CACHE", "SIZE",
			"REQ_SIZES", "OBJS/SLAB", "ORDER", "SLAB_BYTES", "TAIL_WASTE");
		for (i = 0; i < n; i++) {
			struct class_geom g;
			char req[32];

			geom_of(kp, sys, &cls[i], &g);
			snprintf(req, sizeof(req), "%u-%u", cls[i].req_min, cls[i].req_max);
			if (g.known)
				fprintf(f, "%-22s %9u %17s %9u %6u %11u %10u%s\n", cls[i].name, cls[i].size,
					req, g.objs, g.order, g.slab_bytes, g.tail,
					cls[i].copy_unknown ? "  (+ 15 random copies)" : "");
			else
				fprintf(f, "%-22s %9u %17s %9s %6s %11s %10s\n", cls[i].name, cls[i].size,
					req, "-", "-", "-", "-");
		}
	}
	return ferror(f) ? -EIO : 0;
}

static int one_json(FILE *f, const struct kmalloc_class *cl, const struct class_geom *g,
		    uint32_t req, uint32_t gfp, uint32_t roundup, int smaller_err, uint32_t fit,
		    const struct kmalloc_class *below, bool pretty)
{
	struct json_writer *w = jsonw_new(f);
	char flags[KMS_GFP_NAME_LEN];

	if (!w)
		return -ENOMEM;
	gfp_format(gfp, flags, sizeof(flags));
	jsonw_pretty(w, pretty);
	jsonw_start_object(w);
	jsonw_uint_field(w, "bytes_req", req);
	jsonw_string_field(w, "gfp", flags);
	jsonw_uint_field(w, "bytes_alloc", g->known ? g->slab_size : cl->bytes_alloc);
	jsonw_uint_field(w, "waste", (g->known ? g->slab_size : cl->bytes_alloc) - req);
	jsonw_uint_field(w, "kmalloc_size_roundup", roundup);
	json_class(w, cl, g);
	if (!smaller_err) {
		jsonw_uint_field(w, "smaller_fit", fit);
		jsonw_string_field(w, "smaller_cache", below->name);
		jsonw_uint_field(w, "smaller_saves", cl->bytes_alloc - below->bytes_alloc);
	}
	jsonw_end_object(w);
	return jsonw_close(&w);
}

int sizes__one(FILE *f, const struct kmalloc_params *kp, const struct slabsys *sys,
	       uint32_t req, uint32_t gfp, bool json, bool pretty)
{
	struct kmalloc_class cl, below = { 0 };
	struct class_geom g;
	uint32_t fit = 0, alloc;
	char flags[KMS_GFP_NAME_LEN];
	int err, serr;

	err = kmalloc_class(kp, req, gfp, &cl);
	if (err)
		return err;
	geom_of(kp, sys, &cl, &g);
	serr = kmalloc_smaller_fit(kp, req, gfp, &fit);
	if (!serr && kmalloc_class(kp, fit, gfp, &below))
		serr = -ENOENT;
	if (json)
		return one_json(f, &cl, &g, req, gfp, kmalloc_size_roundup_model(kp, req), serr, fit,
				&below, pretty);
	alloc = g.known ? g.slab_size : cl.bytes_alloc;
	gfp_format(gfp, flags, sizeof(flags));
	fprintf(f, "kmalloc(%u, %s) -> %s: %u bytes allocated, %u wasted (%.1f%%)\n", req, flags,
		cl.name, alloc, alloc - req, 100.0 * (alloc - req) / alloc);
	if (cl.copy_unknown)
		fprintf(f, "  (or one of its 15 random copies kmalloc-rnd-NN: chosen by a boot-time "
			"seed, not predictable)\n");
	if (g.known && cl.type != KMALLOC_T_LARGE)
		fprintf(f, "  cache: %u objects per slab, order %u (%u bytes), %u bytes tail waste "
			"per slab\n", g.objs, g.order, g.slab_bytes, g.tail);
	else if (cl.type == KMALLOC_T_LARGE)
		fprintf(f, "  page allocator: order %u (%u pages)\n", cl.order, 1u << cl.order);
	fprintf(f, "  kmalloc_size_roundup(%u) = %u: the caller may use all of it\n", req,
		kmalloc_size_roundup_model(kp, req));
	if (!serr)
		fprintf(f, "  a request of at most %u bytes fits %s: %u bytes less per object\n",
			fit, below.name, cl.bytes_alloc - below.bytes_alloc);
	else
		fprintf(f, "  already the smallest class of its type\n");
	return ferror(f) ? -EIO : 0;
}
