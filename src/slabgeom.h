/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slabgeom.h - SLUB cache geometry: from a cache's object size, alignment
 * and debug flags to s->size (the slab_size of sysfs and the bytes_alloc
 * of every kmalloc/kmem_cache_alloc event), the slab order, objects per
 * slab and the partial-list limits, for kernels 5.15 to 6.18.
 *
 * It models mm/slub.c calculate_sizes(), calculate_order() and
 * calc_slab_order() in both their <= 6.6 and 6.7+ forms, kmem_cache_open()
 * (min_partial) and set_cpu_partial(), plus the boot parameters that feed
 * them.  Everything kernel-wide lives in struct slab_config, derived from
 * the release string, /proc/cmdline, the page size and the number of
 * present CPUs by slab_config__init(); everything per cache lives in
 * struct slab_cache_params, normally filled from a sysfs snapshot.
 * Pure: no I/O, no allocation, no global state.
 */
#ifndef KMS_SLABGEOM_H
#define KMS_SLABGEOM_H

#include <stdbool.h>
#include <stdint.h>

struct slab_sysfs_cache;

/* LINUX_VERSION_CODE layout; the sublevel saturates at 255 as in the
 * kernel's own KERNEL_VERSION() since 4.9.256. */
#define SLAB_KVER(a, b, c) \
	(((uint32_t)(a) << 16) | ((uint32_t)(b) << 8) | \
	 ((uint32_t)(c) > 255 ? 255U : (uint32_t)(c)))

#define SLAB_MAX_OBJS_PER_PAGE	32767U	/* slab->objects is 15 bits */
#define SLAB_ORDER_INVALID	UINT32_MAX
#define SLAB_FREEPTR_UNKNOWN	UINT32_MAX

enum slab_order_algo {
	SLAB_ORDER_OLD,		/* <= 6.6: min_objects loop, 1/16..1/4 */
	SLAB_ORDER_NEW,		/* 6.7+ (Babka's orders cleanup) */
};

/* Where calculate_sizes() puts the free pointer (§4.2 of the reference). */
enum slab_layout_gen {
	SLAB_LAYOUT_5_15,	/* < 6.1: no orig_size */
	SLAB_LAYOUT_6_1,	/* 6.1: orig_size stored, no effect on freeptr */
	SLAB_LAYOUT_6_6,	/* 6.2-6.10: orig_size alone moves the freeptr out */
	SLAB_LAYOUT_6_12,	/* 6.11+: only RED_ZONE + orig_size; 6.12+
				 * use_freeptr_offset for RCU caches */
};

struct slab_config {
	uint32_t kver;			/* SLAB_KVER() of the release */
	uint32_t page_size;
	uint32_t nr_cpus;		/* num_present_cpus() */
	uint32_t min_objects;		/* slab_min_objects=, 0: from nr_cpus */
	uint32_t min_order;		/* slab_min_order=, default 0 */
	uint32_t max_order;		/* slab_max_order=, default 3 */
	uint32_t max_page_order;	/* MAX_PAGE_ORDER: 10 on 4K pages */
	enum slab_order_algo order_algo;
	enum slab_layout_gen layout;
	uint32_t track_size;		/* sizeof(struct track): 152/32/24 */
	uint32_t orig_size_size;	/* 0 before 6.1, 4, or 8 after the
					 * 2026 "unsigned long" stable fix */
	bool cpu_partial;		/* CONFIG_SLUB_CPU_PARTIAL */
	bool cpu_partial_5_16;		/* 6/24/52/120 objects (else 2/6/13/30) */
};

struct slab_cache_params {
	uint32_t object_size;		/* for merged caches: max over aliases */
	uint32_t align;			/* sysfs align: calculate_alignment()'s */
	bool red_zone, poison, store_user, trace, sanity_checks;
	bool rcu;			/* SLAB_TYPESAFE_BY_RCU */
	bool ctor;
	bool is_kmalloc;		/* SLAB_KMALLOC: orig_size with STORE_USER */
	bool use_freeptr_offset;	/* kmem_cache_args.use_freeptr_offset */
	uint32_t freeptr_offset;	/* or SLAB_FREEPTR_UNKNOWN */
};

struct slab_geometry {
	uint32_t size;			/* s->size = slab_size = bytes_alloc */
	uint32_t inuse;			/* s->inuse: object + right redzone */
	uint32_t offset;		/* free pointer; SLAB_FREEPTR_UNKNOWN */
	bool freeptr_outside;		/* offset >= inuse */
	bool orig_size_stored;		/* slub_debug_orig_size() */
	uint32_t red_left_pad;
	uint32_t order;			/* s->oo */
	uint32_t objs_per_slab;
	uint32_t min_order;		/* s->min: the fallback slab */
	uint32_t min_objs_per_slab;
	uint32_t min_partial;
	uint32_t cpu_partial;		/* objects; 0 for debug caches */
	uint32_t cpu_partial_slabs;	/* 0 when cpu_partial is 0 or < 5.16 */
	uint32_t ksize;			/* slab_ksize(): what ksize() returns */
};

/* Parse the leading `A.B[.C]` of a release ("6.12.117+deb12-cloud-amd64",
 * "6.18.44-fc-v782", "5.15.0-91-generic").  Returns 0 or -EINVAL. */
int slab_kernel_version(const char *kernel_release, uint32_t *kver);

/* Derive every kernel-wide input.  cmdline may be NULL (no parameters);
 * `slub_*` is understood on every version and `slab_*` from 6.8, applied
 * in command-line order with each version's clamping.  page_size must be
 * a power of two from 4096 to 65536 and nr_cpus at least 1.  Returns 0 or
 * -EINVAL (cfg is then untouched). */
int slab_config__init(struct slab_config *cfg, const char *kernel_release,
		      const char *cmdline, uint32_t page_size,
		      uint32_t nr_cpus);

/* The min_objects that calculate_order() starts from. */
uint32_t slab_config__min_objects(const struct slab_config *cfg);

/* calculate_order() of the configured version for an s->size; returns
 * SLAB_ORDER_INVALID where the kernel returns -ENOSYS (or size is 0). */
uint32_t slab_calculate_order(const struct slab_config *cfg, uint32_t size);

/* True for the caches created with SLAB_KMALLOC: kmalloc-*, dma-kmalloc-*
 * (which covers kmalloc-cg-*, kmalloc-rcl-*, kmalloc-rnd-NN-* and 6.12's
 * kmalloc-no-objext-*), not kmem_buckets copies nor kmalloc_buckets. */
bool slab_cache_is_kmalloc(const char *name);

/* True when the cache's creator passes use_freeptr_offset: filp since
 * 6.12, vm_area_struct since 6.15. */
bool slab_cache_uses_freeptr_offset(const char *name, uint32_t kver);

/* Fill params from a sysfs record (name, object_size, align, flag files).
 * Returns 0, or -EINVAL when object_size or align is absent or zero. */
int slab_cache_params__from_sysfs(const struct slab_config *cfg,
				  const struct slab_sysfs_cache *c,
				  struct slab_cache_params *p);

/* calculate_sizes() + kmem_cache_open()'s partial limits.  Returns 0,
 * -EINVAL for a zero object size or an align that is not a power of two,
 * -E2BIG when no order can hold the object (the kernel's -ENOSYS). */
int slab_geometry__compute(const struct slab_config *cfg,
			   const struct slab_cache_params *p,
			   struct slab_geometry *out);

#endif /* KMS_SLABGEOM_H */
