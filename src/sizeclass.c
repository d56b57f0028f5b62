// SPDX-License-Identifier: GPL-2.0
/*
 * sizeclass.c - see sizeclass.h.  Facts from mm/slab_common.c
 * (kmalloc_info[], kmalloc_type()) as summarised in docs/slub-model.md.
 */
#include <errno.h>
#include <stdio.h>

#include "sizeclass.h"

void kmalloc_params__default(struct kmalloc_params *p, uint32_t page_size)
{
	p->page_size = page_size;
	p->min_size = 8;
	p->has_cg = true;
	p->has_rcl = true;
	p->has_dma = true;
}

uint32_t kmalloc_max_cache_size(const struct kmalloc_params *p)
{
	return p->page_size * 2;
}

/* Priority DMA > RECLAIMABLE > ACCOUNT, as in kmalloc_type(). */
enum kmalloc_type kmalloc_type_of(const struct kmalloc_params *p, uint32_t gfp)
{
	if ((gfp & KMS_GFP_DMA) && p->has_dma)
		return KMALLOC_T_DMA;
	if ((gfp & KMS_GFP_RECLAIMABLE) && p->has_rcl)
		return KMALLOC_T_RECLAIM;
	if ((gfp & KMS_GFP_ACCOUNT) && p->has_cg)
		return KMALLOC_T_CGROUP;
	return KMALLOC_T_NORMAL;
}

/* kmalloc-1k style: the kernel switches to a k suffix at 1024. */
static int size_name(uint32_t size, char *buf, size_t len)
{
	if (size >= 1024 && size % 1024 == 0)
		return snprintf(buf, len, "%uk", size / 1024);
	return snprintf(buf, len, "%u", size);
}

int kmalloc_cache_name(enum kmalloc_type type, uint32_t bytes_alloc, char *buf, size_t len)
{
	static const char *const prefix[KMALLOC_T_MAX] = {
		[KMALLOC_T_NORMAL] = "kmalloc-",
		[KMALLOC_T_CGROUP] = "kmalloc-cg-",
		[KMALLOC_T_RECLAIM] = "kmalloc-rcl-",
		[KMALLOC_T_DMA] = "dma-kmalloc-",
		[KMALLOC_T_LARGE] = "kmalloc-large-",
	};
	int n;

	if ((unsigned int)type >= KMALLOC_T_MAX)
		return -EINVAL;
	n = snprintf(buf, len, "%s", prefix[type]);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	n += size_name(bytes_alloc, buf + n, len - n);
	return (size_t)n < len ? n : -ENOSPC;
}
