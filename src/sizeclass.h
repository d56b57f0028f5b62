/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sizeclass.h - SLUB's kmalloc size classes and cache types, as a pure
 * function of the kernel's parameters (page size, minimum kmalloc size,
 * which kmalloc types exist, random copies, kmem_buckets).  The parameters
 * come from the running kernel's or a recording's list of slab cache names
 * (kmalloc_params__from_caches()), never from constants for one machine;
 * kmalloc_params__default() is the fallback when no list is available.
 *
 * Kernel functions modelled (mm/slab_common.c, include/linux/slab.h,
 * 6.1-6.18): kmalloc_type(), kmalloc_slab() with kmalloc_size_index[] as
 * patched by setup_kmalloc_cache_index_table(), __kmalloc_index(),
 * new_kmalloc_cache() with __kmalloc_minalign() aliasing, kmalloc_large()'s
 * get_order() sizing, kmalloc_size_roundup(), kmalloc_info[] names and
 * kmem_buckets_create() names.  See docs/slub.md §1.
 */
#ifndef KMS_SIZECLASS_H
#define KMS_SIZECLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gfp.h"	/* the bits that select the kmalloc type */

enum kmalloc_type {
	KMALLOC_T_NORMAL,
	KMALLOC_T_CGROUP,
	KMALLOC_T_RECLAIM,
	KMALLOC_T_DMA,
	KMALLOC_T_LARGE,	/* above KMALLOC_MAX_CACHE_SIZE: page allocator */
	KMALLOC_T_MAX,
};

/* kmem_buckets sets remembered by kmalloc_params__from_caches(). */
#define KMALLOC_MAX_BUCKETS	8
#define KMALLOC_BUCKET_BASE_LEN	32	/* base name, with its NUL */

/* Longest cache name this module writes, with its NUL ("kmalloc-large-512M"). */
#define KMALLOC_NAME_LEN	32

struct kmalloc_params {
	uint32_t page_size;
	/*
	 * KMALLOC_MIN_SIZE, or the effective one: the smallest kmalloc class
	 * that exists.  8 on x86; 64 or 128 on arm64 where
	 * __kmalloc_minalign() (6.5+, the DMA cache line) aliases the smaller
	 * classes to a bigger cache, or where ARCH_KMALLOC_MINALIGN is the
	 * DMA line (before 6.5).  A power of two from 8 to 256.
	 */
	uint32_t min_size;
	/* KMALLOC_MAX_CACHE_SIZE = 2 << PAGE_SHIFT; 0 means 2 * page_size. */
	uint32_t max_cache_size;
	/*
	 * MAX_PAGE_ORDER: KMALLOC_MAX_SIZE = page_size << max_page_order.
	 * 0 means the default for the page size (10; arm64's 11 for 16 KiB
	 * and 13 for 64 KiB pages).  Cache names do not show it.
	 */
	uint32_t max_page_order;
	bool has_cg;		/* kmalloc-cg-* exist (MEMCG, not nokmem) */
	bool has_rcl;		/* kmalloc-rcl-* exist (!SLUB_TINY) */
	bool has_dma;		/* dma-kmalloc-* exist (ZONE_DMA) */
	/* kmalloc-96 / kmalloc-192 exist; also implied by min_size <= 32 / 64. */
	bool has_96;
	bool has_192;
	bool has_random;	/* kmalloc-rnd-NN-* exist (RANDOM_KMALLOC_CACHES) */
	bool buckets_truncated;	/* more bucket sets (or longer names) than fit */
	unsigned int nr_buckets;
	/* kmem_buckets base names, e.g. "msg_msg", "memdup_user" (6.11+). */
	char buckets[KMALLOC_MAX_BUCKETS][KMALLOC_BUCKET_BASE_LEN];
};

/* Where a kmalloc of some size goes. */
struct kmalloc_class {
	enum kmalloc_type type;
	/* The class's object size; PAGE_SIZE << order for a large kmalloc. */
	uint32_t size;
	/*
	 * What the kmalloc tracepoint reports: s->size, which is the class
	 * size unless slab_debug adds metadata to the cache (not modelled
	 * here), or PAGE_SIZE << get_order(n) for a large kmalloc.
	 */
	uint32_t bytes_alloc;
	uint32_t req_min;	/* the requests that land in this class */
	uint32_t req_max;
	uint32_t order;		/* large kmalloc: page order; 0 for slab classes */
	/*
	 * RANDOM_KMALLOC_CACHES and a NORMAL request: the object is in
	 * kmalloc-N or one of kmalloc-rnd-01-N .. -15-N, chosen by hashing the
	 * caller with a boot-time random seed.  name is then kmalloc-N and
	 * stands for all 16 copies; the real copy cannot be computed.
	 */
	bool copy_unknown;
	/* Cache name ("kmalloc-96", "dma-kmalloc-8k"), or "kmalloc-large-16k". */
	char name[KMALLOC_NAME_LEN];
};

void kmalloc_params__default(struct kmalloc_params *p, uint32_t page_size);
/*
 * Derive the parameters from the names of the slab caches, own and alias
 * names alike (the entries of /sys/kernel/slab).  On error p holds
 * kmalloc_params__default(page_size) and -EINVAL is returned: page size
 * not a power of two in 4 KiB..256 KiB, no kmalloc-N names, a gap in the
 * power-of-two classes, or a largest class other than 2 * page_size.
 */
int kmalloc_params__from_caches(struct kmalloc_params *p, uint32_t page_size,
				const char *const *names, size_t n);

uint32_t kmalloc_max_cache_size(const struct kmalloc_params *p);
/* KMALLOC_MAX_SIZE: page_size << MAX_PAGE_ORDER; larger kmallocs fail. */
uint32_t kmalloc_max_size(const struct kmalloc_params *p);
/* MAX_PAGE_ORDER by page size: arm64's ARCH_FORCE_MAX_ORDER defaults, else 10. */
uint32_t kmalloc_default_max_page_order(uint32_t page_size);
/* The type a slab kmalloc with these gfp flags goes to. */
enum kmalloc_type kmalloc_type_of(const struct kmalloc_params *p, uint32_t gfp);
/*
 * The name of the cache that holds objects of bytes_alloc of that type:
 * "kmalloc-cg-1k".  KMALLOC_T_LARGE gives "kmalloc-large-16k", a name of
 * kmscope's (large kmallocs have no cache).  0 or -EINVAL / -ENOSPC.
 */
int kmalloc_cache_name(enum kmalloc_type type, uint32_t bytes_alloc, char *buf, size_t len);

/*
 * The class a kmalloc(bytes_req, gfp) lands in.  0, -EINVAL for 0 bytes
 * (kmalloc(0) returns ZERO_SIZE_PTR and traces nothing) or bad params,
 * -E2BIG above KMALLOC_MAX_SIZE (the allocation fails).
 */
int kmalloc_class(const struct kmalloc_params *p, uint32_t bytes_req, uint32_t gfp,
		  struct kmalloc_class *out);
/* kmalloc_size_roundup(): 0 -> 0, class or page-order size, n if too big. */
uint32_t kmalloc_size_roundup_model(const struct kmalloc_params *p, uint32_t n);
/*
 * The largest request that lands in the next smaller class than
 * bytes_req's (200 -> 192: kmalloc-256 to kmalloc-192).  0, -ENOENT in
 * the smallest class, or kmalloc_class()'s errors.
 */
int kmalloc_smaller_fit(const struct kmalloc_params *p, uint32_t bytes_req, uint32_t gfp,
			uint32_t *fit);
/*
 * The classes of one type that exist, smallest first (none for a type the
 * kernel has not got).  For KMALLOC_T_LARGE, the page-allocator sizes
 * from the first order above KMALLOC_MAX_CACHE_SIZE to KMALLOC_MAX_SIZE.
 * Returns the number written, -EINVAL, or -ENOSPC when max is too small.
 */
int kmalloc_classes(const struct kmalloc_params *p, enum kmalloc_type type,
		    struct kmalloc_class *out, size_t max);
/* kmem_buckets_create()'s cache name: "<base>-<size>", "memdup_user-1k".  0 or -errno. */
int kmalloc_bucket_name(const char *base, uint32_t size, char *buf, size_t len);
/*
 * A cache kmalloc() allocates from: kmalloc-*, dma-kmalloc-* (large
 * included) or one of p's kmem_buckets.
 */
bool kmalloc_family_cache(const struct kmalloc_params *p, const char *name);
/* One of the kmalloc caches every caller shares: kmalloc-*, dma-kmalloc-*. */
bool kmalloc_shared_cache(const char *name);

#endif /* KMS_SIZECLASS_H */
