/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kms_gfp_bits.h - the ___GFP_* bits kmscope's rules and size-class model
 * test, in one place for the BPF program (which picks the allocations a
 * GFP rule would flag, for -g stacks) and the collector (which judges
 * them).  Bits 0-23 are the same on every kernel kmscope supports
 * (include/linux/gfp_types.h; docs/slub.md); plain defines, so both
 * sides can include this without any other header.
 */
#ifndef KMS_GFP_BITS_H
#define KMS_GFP_BITS_H

#define KMS_GFP_DMA		0x00001u
#define KMS_GFP_HIGHMEM		0x00002u
#define KMS_GFP_DMA32		0x00004u
#define KMS_GFP_RECLAIMABLE	0x00010u
#define KMS_GFP_IO		0x00040u
#define KMS_GFP_FS		0x00080u
#define KMS_GFP_DIRECT_RECLAIM	0x00400u
#define KMS_GFP_NOWARN		0x02000u
#define KMS_GFP_RETRY_MAYFAIL	0x04000u
#define KMS_GFP_NOFAIL		0x08000u
#define KMS_GFP_NORETRY		0x10000u
#define KMS_GFP_ACCOUNT		0x400000u
/* The zone modifiers: a DMA or highmem allocation is its own cache or none. */
#define KMS_GFP_ZONES		(KMS_GFP_DMA | KMS_GFP_HIGHMEM | KMS_GFP_DMA32)

#endif /* KMS_GFP_BITS_H */
