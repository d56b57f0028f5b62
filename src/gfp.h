/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gfp.h - GFP flag names.  Bits 0-23 are stable across the kernels kmscope
 * supports; bits from 24 on depend on version and config (slub-model §7.1)
 * and are printed as hex until they are read from the kernel's event format.
 */
#ifndef KMS_GFP_H
#define KMS_GFP_H

#include <stddef.h>
#include <stdint.h>

/* Writes e.g. "GFP_KERNEL|__GFP_ZERO" (or "0" / "none"); returns length. */
int gfp_format(uint32_t gfp, char *buf, size_t len);

#endif /* KMS_GFP_H */
