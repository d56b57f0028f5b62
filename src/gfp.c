// SPDX-License-Identifier: GPL-2.0
/*
 * gfp.c - see gfp.h.  Composite masks are tried first, largest first, the
 * way the kernel's show_gfp_flags() prints them, then single bits.
 */
#include <stdio.h>

#include "gfp.h"
#include "util.h"

struct gfp_name {
	uint32_t mask;
	const char *name;
};

static const struct gfp_name gfp_names[] = {
	{ 0x100cca, "GFP_HIGHUSER_MOVABLE" },
	{ 0x400cc0, "GFP_KERNEL_ACCOUNT" },
	{ 0x100cc0, "GFP_USER" },
	{ 0xcc0, "GFP_KERNEL" },
	{ 0xc40, "GFP_NOFS" },
	{ 0xa20, "GFP_ATOMIC" },	/* <= 6.2, with __GFP_ATOMIC */
	{ 0x820, "GFP_ATOMIC" },
	{ 0xc00, "GFP_NOIO" },
	{ 0x2800, "GFP_NOWAIT" },	/* 6.7+ includes __GFP_NOWARN */
	{ 0x800, "GFP_NOWAIT" },
	{ 1u << 0, "__GFP_DMA" },
	{ 1u << 1, "__GFP_HIGHMEM" },
	{ 1u << 2, "__GFP_DMA32" },
	{ 1u << 3, "__GFP_MOVABLE" },
	{ 1u << 4, "__GFP_RECLAIMABLE" },
	{ 1u << 5, "__GFP_HIGH" },
	{ 1u << 6, "__GFP_IO" },
	{ 1u << 7, "__GFP_FS" },
	{ 1u << 8, "__GFP_ZERO" },
	{ 1u << 9, "__GFP_ATOMIC" },
	{ 1u << 10, "__GFP_DIRECT_RECLAIM" },
	{ 1u << 11, "__GFP_KSWAPD_RECLAIM" },
	{ 1u << 12, "__GFP_WRITE" },
	{ 1u << 13, "__GFP_NOWARN" },
	{ 1u << 14, "__GFP_RETRY_MAYFAIL" },
	{ 1u << 15, "__GFP_NOFAIL" },
	{ 1u << 16, "__GFP_NORETRY" },
	{ 1u << 17, "__GFP_MEMALLOC" },
	{ 1u << 18, "__GFP_COMP" },
	{ 1u << 19, "__GFP_NOMEMALLOC" },
	{ 1u << 20, "__GFP_HARDWALL" },
	{ 1u << 21, "__GFP_THISNODE" },
	{ 1u << 22, "__GFP_ACCOUNT" },
	{ 1u << 23, "__GFP_ZEROTAGS" },
};

/* snprintf at offset n of buf, counting what would have been written. */
static size_t append(char *buf, size_t len, size_t n, const char *sep, const char *s)
{
	int w = snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, "%s%s", sep, s);

	return n + (w > 0 ? w : 0);
}

/* Like snprintf: the return value is the full length, even when truncated. */
int gfp_format(uint32_t gfp, char *buf, size_t len)
{
	size_t i, n = 0;
	uint32_t left = gfp;
	char hex[16];

	if (len)
		buf[0] = 0;
	if (!gfp)
		return append(buf, len, 0, "", "0");
	for (i = 0; i < ARRAY_SIZE(gfp_names) && left; i++) {
		const struct gfp_name *g = &gfp_names[i];

		if ((left & g->mask) != g->mask)
			continue;
		n = append(buf, len, n, n ? "|" : "", g->name);
		left &= ~g->mask;
	}
	if (left) {
		snprintf(hex, sizeof(hex), "%#x", left);
		n = append(buf, len, n, n ? "|" : "", hex);
	}
	return n;
}
