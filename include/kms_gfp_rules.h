/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kms_gfp_rules.h - the GFP rules both sides must decide alike: the
 * collector judges every allocation by them (src/collect.c), and with -g
 * findings the BPF program takes stacks of exactly the allocations they
 * flag (bpf/kmscope.bpf.c, finding_candidate()).  Pure bit tests on the
 * gfp word and the task's scope; the includer provides __u32 and bool.
 */
#ifndef KMS_GFP_RULES_H
#define KMS_GFP_RULES_H

#include "kms_gfp_bits.h"

/* It may sleep: direct reclaim, the bit that makes atomic context a bug. */
static inline __attribute__((always_inline)) bool kms_gfp_may_sleep(__u32 gfp)
{
	return gfp & KMS_GFP_DIRECT_RECLAIM;
}

/*
 * GFP_NOFS (or GFP_NOIO) inside a memalloc_nofs_save() (memalloc_noio_save())
 * scope, which already takes __GFP_FS (__GFP_IO) off every allocation of
 * the task: the flag repeats the scope.
 */
static inline __attribute__((always_inline)) bool
kms_gfp_scope_redundant(__u32 gfp, bool nofs_scope, bool noio_scope)
{
	bool nofs = noio_scope || nofs_scope;

	if (!kms_gfp_may_sleep(gfp))
		return false;
	return (!(gfp & KMS_GFP_IO) && noio_scope) ||
	       (!(gfp & KMS_GFP_FS) && (gfp & KMS_GFP_IO) && nofs);
}

#endif /* KMS_GFP_RULES_H */
