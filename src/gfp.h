/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gfp.h - GFP flag names.  Bits 0-23 are stable across the kernels kmscope
 * supports; bits from 24 on depend on version and config (docs/slub.md §4.1)
 * and are printed as hex until they are read from the kernel's event format.
 */
#ifndef KMS_GFP_H
#define KMS_GFP_H

/* Room for gfp_format()'s longest names, e.g. "GFP_KERNEL_ACCOUNT|__GFP_ZERO|...". */
#define KMS_GFP_NAME_LEN	160

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ___GFP_* bits the rules and the size-class model test. */
#include "kms_gfp_bits.h"

/*
 * An allocation that says it may fail: __GFP_NOWARN (also in GFP_NOWAIT
 * since 6.7) or __GFP_NORETRY.  The kernel's own idiom for "try, and fall
 * back": kvmalloc()'s kmalloc attempt has it on every version.
 */
static inline bool gfp_may_fail(uint32_t gfp)
{
	return gfp & (KMS_GFP_NOWARN | KMS_GFP_NORETRY);
}

/* Writes e.g. "GFP_KERNEL|__GFP_ZERO" (or "0" / "none"); returns length. */
int gfp_format(uint32_t gfp, char *buf, size_t len);

/*
 * Parses a gfp expression such as "GFP_KERNEL | __GFP_ZERO", "0xcc0" or
 * "GFP_KERNEL|0x1000000" into *out: terms joined by '|', each a flag name
 * (case-sensitive), 0x-prefixed hex or decimal (leading zeros are still
 * decimal), with optional spaces or tabs around them.
 *
 * Names: GFP_KERNEL, GFP_KERNEL_ACCOUNT, GFP_ATOMIC, GFP_NOWAIT, GFP_NOIO,
 * GFP_NOFS, GFP_USER, GFP_DMA, GFP_DMA32, GFP_HIGHUSER_MOVABLE,
 * __GFP_RECLAIM and every __GFP_* of bits 0-23.  Composites have their
 * values in 6.7 and later: GFP_ATOMIC is 0x820 (0xa20 up to 6.2, with
 * __GFP_ATOMIC), GFP_NOWAIT 0x2800 (0x800 up to 6.6, without
 * __GFP_NOWARN).  __GFP_ATOMIC (0x200) only means something up to 6.2.
 * Bits 24 and up have no names here (they vary, docs/slub.md §4.1): give
 * them as numbers.
 *
 * 0, or -EINVAL with *err_pos (when err_pos is not NULL) at the offset of
 * the offending token: an unknown name, a malformed or over-32-bit number,
 * a missing term (empty string, leading, doubled or trailing '|'), or
 * something other than '|' between terms.  *out is only written on
 * success.
 */
int gfp_parse(const char *expr, uint32_t *out, size_t *err_pos);

#endif /* KMS_GFP_H */
