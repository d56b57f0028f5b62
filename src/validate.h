/* SPDX-License-Identifier: GPL-2.0 */
/*
 * validate.h - every traced allocation checked against the SLUB model: the
 * bytes_alloc the kernel reported must be what the model predicts for the
 * request (kmalloc: the size-class model, then the chosen cache's
 * slab_size from sysfs; kmem_cache_alloc: the cache's slab_size).  Where
 * the kernel also named a kmalloc's cache (bpf_get_kmem_cache), the two
 * names are compared.  Pure: events in, counts and examples out.
 *
 * Per event only the model runs; events are folded into a small table of
 * (cache the model chose, model size, reported size) with a count and a
 * first example.  validate__finish() then compares each key with the
 * sysfs snapshot taken after the trace, so nothing reads sysfs while the
 * trace runs.
 */
#ifndef KMS_VALIDATE_H
#define KMS_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect.h"
#include "sizeclass.h"

struct slabsys;

#define VALIDATE_EXAMPLES 8

struct validate_example {
	uint64_t call_site;
	uint32_t bytes_req;
	uint32_t bytes_alloc;		/* what the event said */
	uint32_t predicted;		/* what the model said */
	uint32_t gfp;
	char cache[48];			/* the kernel's cache name, or "" */
	char model[48];			/* the model's cache name */
};

/* One distinct (cache, prediction, observation) and how often it was seen. */
struct validate_key {
	char cache[48];			/* model's (kmalloc) or kernel's cache name */
	uint32_t model_bytes;		/* class size; 0 for kmem_cache_alloc */
	uint32_t bytes_alloc;		/* reported */
	bool kmalloc;
	bool large;
	uint64_t count;
	struct validate_example first;
};

struct validate_stats {
	struct validate_key *keys;
	size_t nr_keys, cap_keys;
	bool no_memory;			/* a key could not be stored */
	uint64_t kmalloc_events;	/* successful kmallocs checked */
	uint64_t kmalloc_exact;
	uint64_t cache_events;		/* kmem_cache_allocs checked */
	uint64_t cache_exact;
	uint64_t cache_unknown;		/* cache not in the sysfs snapshot */
	/* kmalloc cache names: who named them and how the two compare */
	uint64_t named_by_kernel;
	uint64_t named_by_model;
	uint64_t names_agree;
	uint64_t names_bucket;		/* kernel: <bucket>-<class>, model: kmalloc-<class> */
	uint64_t names_random;		/* kernel: kmalloc-rnd-NN-<class> */
	uint64_t names_disagree;
	size_t n_mismatch;
	struct validate_example mismatch[VALIDATE_EXAMPLES];
	size_t n_disagree;
	struct validate_example disagree[VALIDATE_EXAMPLES];
};

void validate__init(struct validate_stats *v);
void validate__free(struct validate_stats *v);
void validate__event(struct validate_stats *v, const struct kmalloc_params *kp,
		     const struct kms_event *ev, const struct kms_resolved *res);
/*
 * Count exact and mismatched events against sysfs (sys may be NULL: then
 * the model's class size is the prediction and kmem_cache_allocs count as
 * unknown).  Call once, after the trace.
 */
void validate__finish(struct validate_stats *v, const struct slabsys *sys);
bool validate__all_exact(const struct validate_stats *v);

#endif /* KMS_VALIDATE_H */
