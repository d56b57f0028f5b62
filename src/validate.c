// SPDX-License-Identifier: GPL-2.0
/*
 * validate.c - see validate.h.  A kmalloc is predicted in two steps, like
 * the kernel does it: kmalloc_slab() picks the class from the request and
 * the gfp type (sizeclass.c), and the event reports that cache's s->size,
 * which is the class size unless slab_debug added metadata: so the
 * prediction is the chosen cache's slab_size when the snapshot has it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "slabsys.h"
#include "validate.h"

void validate__init(struct validate_stats *v)
{
	memset(v, 0, sizeof(*v));
}

void validate__free(struct validate_stats *v)
{
	free(v->keys);
	v->keys = NULL;
}

static void fill_example(struct validate_example *x, const struct kms_event *ev,
			 const struct kms_resolved *res, uint32_t predicted, const char *model)
{
	x->call_site = ev->call_site;
	x->bytes_req = res->bytes_req;
	x->bytes_alloc = res->bytes_alloc;
	x->predicted = predicted;
	x->gfp = ev->gfp;
	snprintf(x->cache, sizeof(x->cache), "%s", res->cache ? res->cache->name : "");
	snprintf(x->model, sizeof(x->model), "%s", model);
}

static void add_example(struct validate_example *arr, size_t *n,
			const struct validate_example *x)
{
	if (*n < VALIDATE_EXAMPLES)
		arr[(*n)++] = *x;
}

/* Few distinct keys (caches x sizes): a linear scan from the last hit. */
static struct validate_key *key_of(struct validate_stats *v, const char *cache,
				   uint32_t model_bytes, uint32_t bytes_alloc, bool kmalloc)
{
	struct validate_key *k;
	size_t i;

	for (i = 0; i < v->nr_keys; i++) {
		k = &v->keys[i];
		if (k->bytes_alloc == bytes_alloc && k->model_bytes == model_bytes &&
		    k->kmalloc == kmalloc && !strcmp(k->cache, cache))
			return k;
	}
	if (kms_grow((void **)&v->keys, &v->cap_keys, v->nr_keys + 1, sizeof(*k), 64)) {
		v->no_memory = true;
		return NULL;
	}
	k = &v->keys[v->nr_keys++];
	memset(k, 0, sizeof(*k));
	snprintf(k->cache, sizeof(k->cache), "%s", cache);
	k->model_bytes = model_bytes;
	k->bytes_alloc = bytes_alloc;
	k->kmalloc = kmalloc;
	return k;
}

/* The part of a kmalloc cache name after the last '-': the class ("1k"). */
static const char *class_suffix(const char *model)
{
	const char *dash = strrchr(model, '-');

	return dash ? dash + 1 : model;
}

static void compare_names(struct validate_stats *v, const struct kmalloc_params *kp,
			  const struct kms_event *ev, const struct kms_resolved *res,
			  const struct kmalloc_class *cl)
{
	const char *k = res->cache->name, *suffix = class_suffix(cl->name);
	size_t kl = strlen(k), sl = strlen(suffix);
	struct validate_example x;
	unsigned int i;

	if (!strcmp(k, cl->name)) {
		v->names_agree++;
		return;
	}
	if (!strncmp(k, "kmalloc-rnd-", 12) && cl->copy_unknown && kl > sl &&
	    !strcmp(k + kl - sl, suffix) && k[kl - sl - 1] == '-') {
		v->names_random++;
		return;
	}
	for (i = 0; i < kp->nr_buckets; i++) {
		size_t bl = strlen(kp->buckets[i]);

		if (!strncmp(k, kp->buckets[i], bl) && k[bl] == '-' && !strcmp(k + bl + 1, suffix)) {
			v->names_bucket++;
			return;
		}
	}
	v->names_disagree++;
	fill_example(&x, ev, res, cl->bytes_alloc, cl->name);
	add_example(v->disagree, &v->n_disagree, &x);
}

static void note_kmalloc(struct validate_stats *v, const struct kmalloc_params *kp,
			 const struct kms_event *ev, const struct kms_resolved *res)
{
	struct kmalloc_class cl;
	struct validate_key *k;

	if (kmalloc_class(kp, ev->bytes_req, ev->gfp, &cl)) {
		memset(&cl, 0, sizeof(cl));
		snprintf(cl.name, sizeof(cl.name), "?");
	}
	/*
	 * The cache the kernel named (a bucket, a random copy) is the one whose
	 * slab_size the event reports; the model's class otherwise.
	 */
	k = key_of(v, (ev->flags & KMS_EVF_KERNEL_CACHE) && res->cache && res->cache->size ?
		   res->cache->name : cl.name, cl.bytes_alloc, ev->bytes_alloc, true);
	if (k && !k->count++) {
		k->large = cl.type == KMALLOC_T_LARGE;
		fill_example(&k->first, ev, res, cl.bytes_alloc, cl.name);
	}
	if (!(ev->flags & KMS_EVF_KERNEL_CACHE) || !res->cache) {
		v->named_by_model++;
		return;
	}
	v->named_by_kernel++;
	if (cl.bytes_alloc)
		compare_names(v, kp, ev, res, &cl);
}

static void note_cache_alloc(struct validate_stats *v, const struct kms_event *ev,
			     const struct kms_resolved *res)
{
	struct validate_key *k = key_of(v, res->cache ? res->cache->name : "?", 0,
					res->bytes_alloc, false);

	if (k && !k->count++)
		fill_example(&k->first, ev, res, 0, "");
}

void validate__event(struct validate_stats *v, const struct kmalloc_params *kp,
		     const struct kms_event *ev, const struct kms_resolved *res)
{
	if (ev->flags & KMS_EVF_FAILED)
		return;
	/* The second half of a 6.11+ double event was checked as the first. */
	if (ev->type == KMS_EV_KMALLOC && !res->collapsed)
		note_kmalloc(v, kp, ev, res);
	else if (ev->type == KMS_EV_CACHE_ALLOC)
		note_cache_alloc(v, ev, res);
}

static void finish_key(struct validate_stats *v, const struct slabsys *sys,
		       struct validate_key *k)
{
	const struct slab_sysfs_cache *sc = sys && !k->large ? slabsys__find(sys, k->cache) : NULL;
	uint32_t predicted = k->model_bytes;
	struct validate_example x = k->first;

	if (sc && sc->slab_size)
		predicted = sc->slab_size;
	if (k->kmalloc) {
		v->kmalloc_events += k->count;
		if (predicted && predicted == k->bytes_alloc) {
			v->kmalloc_exact += k->count;
			return;
		}
	} else {
		v->cache_events += k->count;
		if (!sc) {
			v->cache_unknown += k->count;
			return;
		}
		if (predicted == k->bytes_alloc) {
			v->cache_exact += k->count;
			return;
		}
	}
	x.predicted = predicted;
	add_example(v->mismatch, &v->n_mismatch, &x);
}

void validate__finish(struct validate_stats *v, const struct slabsys *sys)
{
	size_t i;

	for (i = 0; i < v->nr_keys; i++)
		finish_key(v, sys, &v->keys[i]);
}

bool validate__all_exact(const struct validate_stats *v)
{
	/* Unknown caches (no name in the event, e.g. classic tracepoints) are
	 * reported, but cannot be checked either way. */
	return !v->no_memory && v->kmalloc_exact == v->kmalloc_events &&
	       v->cache_exact + v->cache_unknown == v->cache_events && !v->names_disagree;
}
