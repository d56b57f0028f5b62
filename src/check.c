// SPDX-License-Identifier: GPL-2.0
/*
 * check.c - see check.h.  Owns the result tables; the report functions at
 * the end only read them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "collect.h"
#include "json_writer.h"
#include "ksyms.h"
#include "refree.h"
#include "runinfo.h"
#include "slabgeom.h"
#include "slabinfo.h"
#include "slabsys.h"

/* ---- (a) geometry ---------------------------------------------------- */

static void geom_row(const struct slab_config *cfg, const struct slab_sysfs_cache *sc,
		     struct check_geom_row *r)
{
	struct slab_cache_params p;
	struct slab_geometry g = { 0 };

	snprintf(r->name, sizeof(r->name), "%s", sc->name);
	r->object_size = sc->object_size;
	r->align = sc->align;
	r->kernel_size = sc->slab_size;
	r->kernel_objs = sc->objs_per_slab;
	r->kernel_order = sc->order;
	if (!slab_cache_params__from_sysfs(cfg, sc, &p) && !slab_geometry__compute(cfg, &p, &g)) {
		r->model_size = g.size;
		r->model_objs = g.objs_per_slab;
		r->model_order = g.order;
	}
	r->exact = r->model_size == r->kernel_size && r->model_objs == r->kernel_objs &&
		   r->model_order == r->kernel_order;
}

static int geom_cmp(const void *a, const void *b)
{
	const struct check_geom_row *x = a, *y = b;

	if (x->exact != y->exact)
		return x->exact ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int check_geometry(const struct check_input *in, const struct slabsys *sys,
			  struct check_result *out)
{
	struct slab_config cfg;
	size_t i, n = slabsys__nr_caches(sys);

	if (slab_config__init(&cfg, in->ri->kernel, in->ri->cmdline, in->ri->page_size,
			      in->ri->ncpus))
		return -EINVAL;
	out->geom = calloc(n + 1, sizeof(*out->geom));
	if (!out->geom)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		geom_row(&cfg, slabsys__cache(sys, i), &out->geom[i]);
		out->geom_exact += out->geom[i].exact;
	}
	out->geom_n = n;
	qsort(out->geom, n, sizeof(*out->geom), geom_cmp);
	return 0;
}

/* ---- (c) accounting -------------------------------------------------- */

struct acct_ctx {
	const struct collector *c;
	const struct slabsys *sys;
	const struct refree *rf;
};

/* Rows of the same name (e.g. a cache met before its info) add up. */
static bool traced_of(void *ctx, const char *name, struct reconcile_traced *t)
{
	const struct acct_ctx *a = ctx;
	size_t i, n = collector__nr_caches(a->c);
	bool found = false;

	for (i = 0; i < n; i++) {
		const struct kms_cache *k = collector__cache(a->c, i);

		if (strcmp(k->name, name))
			continue;
		t->allocs += k->t.allocs;
		t->frees += k->t.frees;
		t->frees_pretrace += k->frees_pretrace;
		t->missed_frees += k->missed_frees;
		t->untraced_allocs += refree__count(a->rf, i);
		found = true;
	}
	return found;
}

static bool params_of(void *ctx, const char *name, struct reconcile_params *p)
{
	const struct acct_ctx *a = ctx;
	const struct slab_sysfs_cache *sc = a->sys ? slabsys__find(a->sys, name) : NULL;

	if (!sc)
		return false;
	p->objs_per_slab = sc->objs_per_slab;
	p->cpu_partial = sc->cpu_partial;
	p->sheaf_capacity = sc->sheaf_capacity;
	return true;
}

static int acct_cmp(const void *a, const void *b)
{
	const struct reconcile_row *x = a, *y = b;
	int kx = reconcile_row__fails(x), ky = reconcile_row__fails(y);

	if (kx != ky)
		return ky - kx;
	if (x->touched != y->touched)
		return y->touched - x->touched;
	return strcmp(x->name, y->name);
}

/* The partial list length past which slabinfo estimates (0: never); unknown: assume it does. */
static uint64_t partial_scan_limit(const char *release)
{
	uint32_t kver;

	if (!slab_kernel_version(release, &kver) && kver < SLAB_KVER(6, 10, 0))
		return 0;
	return KMS_SLUB_PARTIAL_SCAN;
}

static int check_accounting(const struct check_input *in, const struct slabsys *sys,
			    struct check_result *out)
{
	struct slabinfo s = { 0 }, e = { 0 };
	struct acct_ctx ctx = { .c = in->c, .sys = sys, .rf = in->refrees };
	struct reconcile_opts o = {
		.nr_cpus = in->ri->ncpus ? in->ri->ncpus : 1,
		.nr_nodes = 1,
		/*
		 * Events no program saw, and kmscope's own allocations: dropped
		 * in the kernel while their frees are not (one in an interrupt
		 * on top of kmscope may be of a traced object), so each may come
		 * back as a free of an object never traced, on any cache.
		 */
		.lost_frees = runinfo__unseen(in->ri) + in->ri->counters[KMS_CNT_SELF],
		/* Without the kfunc a kfree of an older object names no cache. */
		.unattributed_kfrees = !in->ri->kfunc_cache,
		/*
		 * Even with kfree_rcu batches traced, bulk frees, kfree_nolock
		 * and (6.18) kfree_rcu into sheaves emit no event.
		 */
		.untraced_free_paths = true,
		.partial_scan_limit = partial_scan_limit(in->ri->kernel),
	};
	size_t i;
	int err;

	if (slabinfo__parse(in->slabinfo_start, in->slabinfo_start_len, &s) ||
	    slabinfo__parse(in->slabinfo_end, in->slabinfo_end_len, &e)) {
		err = 0;	/* no slabinfo (no SLUB_DEBUG): section (c) is empty */
		goto out;
	}
	out->have_slabinfo = true;
	err = reconcile(&s, &e, traced_of, params_of, &ctx, &o, &out->acct, &out->acct_n);
	if (err)
		goto out;
	for (i = 0; i < out->acct_n; i++) {
		const struct reconcile_row *r = &out->acct[i];

		out->acct_untraced_allocs += r->untraced_allocs;
		if (r->unchecked && r->touched) {
			out->acct_unchecked++;
		} else if (r->estimated && r->touched) {
			out->acct_estimated++;
		} else if (r->touched && r->blind) {
			out->acct_blind++;
			out->acct_untraced_frees += r->untraced_frees;
		} else if (r->touched) {
			out->acct_touched++;
			out->acct_touched_hold += r->holds;
		} else if (!r->holds && !r->unchecked && !r->estimated) {
			out->acct_untouched_moved++;
		}
	}
	qsort(out->acct, out->acct_n, sizeof(*out->acct), acct_cmp);
out:
	slabinfo__free(&s);
	slabinfo__free(&e);
	return err;
}

int check__run(const struct check_input *in, struct check_result *out)
{
	struct slabsys *sys = NULL;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (in->slabgeom && in->slabgeom_len && !slabsys__parse(in->slabgeom, in->slabgeom_len, &sys)) {
		out->have_geometry = slabsys__nr_caches(sys) > 0;
		err = check_geometry(in, sys, out);
	}
	validate__finish(in->ev, sys);
	out->ev = *in->ev;
	out->ev.keys = NULL;	/* owned by the caller */
	if (!err)
		err = check_accounting(in, sys, out);
	out->names = sys;	/* check__free() frees it */
	out->ok = !err && out->have_geometry && out->geom_exact == out->geom_n &&
		  validate__all_exact(&out->ev) && out->have_slabinfo &&
		  out->acct_touched_hold == out->acct_touched;
	return err;
}

void check__free(struct check_result *r)
{
	free(r->geom);
	free(r->acct);
	slabsys__free(r->names);
	r->geom = NULL;
	r->acct = NULL;
	r->names = NULL;
}
