/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sizeclass.h - SLUB's kmalloc size classes and cache types, as a pure
 * function of the kernel's parameters (page size, minimum alignment, which
 * kmalloc types exist).  The parameters come from the running kernel or a
 * recording's header, never from constants for one machine.
 */
#ifndef KMS_SIZECLASS_H
#define KMS_SIZECLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* gfp bits that select the kmalloc type (stable since 4.x on x86-64). */
#define KMS_GFP_DMA		0x01u
#define KMS_GFP_RECLAIMABLE	0x10u
#define KMS_GFP_ACCOUNT		0x400000u

enum kmalloc_type {
	KMALLOC_T_NORMAL,
	KMALLOC_T_CGROUP,
	KMALLOC_T_RECLAIM,
	KMALLOC_T_DMA,
	KMALLOC_T_LARGE,	/* above KMALLOC_MAX_CACHE_SIZE: page allocator */
	KMALLOC_T_MAX,
};

struct kmalloc_params {
	uint32_t page_size;
	uint32_t min_size;	/* KMALLOC_MIN_SIZE */
	bool has_cg;		/* kmalloc-cg-* exist (MEMCG, not nokmem) */
	bool has_rcl;
	bool has_dma;
};

void kmalloc_params__default(struct kmalloc_params *p, uint32_t page_size);
uint32_t kmalloc_max_cache_size(const struct kmalloc_params *p);
/* The type a slab kmalloc with these gfp flags goes to. */
enum kmalloc_type kmalloc_type_of(const struct kmalloc_params *p, uint32_t gfp);
/* The name of the cache that holds objects of bytes_alloc of that type. */
int kmalloc_cache_name(enum kmalloc_type type, uint32_t bytes_alloc, char *buf, size_t len);

#endif /* KMS_SIZECLASS_H */
