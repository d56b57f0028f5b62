/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kms_kstate.h - the one decoder of the kernel state the BPF programs read
 * to tell an allocation's context: the per-CPU preempt count, the task's
 * PF_MEMALLOC* flags and its rcu_read_lock() nesting.
 *
 * Compiled by bpf/kmscope.bpf.c (where it runs on every allocation) and by
 * the userspace unit test tests/unit/test_kstate.c (which walks every case
 * bit by bit), so the masks below are tested where they are used.  Pure
 * bit arithmetic on __u32: the includer provides the __u* types; the
 * record flags it produces come from kms_records.h.  The layouts are described in docs/slub.md (§5.1 the
 * preempt count, §5.4 the tracepoint's and dispatcher's own levels, §4.3
 * the PF_* flags).
 */
#ifndef KMS_KSTATE_H
#define KMS_KSTATE_H

#include "kms_records.h"

/*
 * The preempt count (include/linux/preempt.h): the preempt depth in bits
 * 0-7, softirq in 8-15 (SOFTIRQ_OFFSET while serving one,
 * SOFTIRQ_DISABLE_OFFSET per local_bh_disable()), hardirq nesting in
 * 16-19, NMI nesting in 20-23.  x86 keeps PREEMPT_NEED_RESCHED inverted
 * in bit 31 (arch/x86/include/asm/preempt.h), set when no reschedule is
 * pending.
 */
#define KMS_PC_PREEMPT_MASK		0x000000ffu
#define KMS_PC_SOFTIRQ_OFFSET		0x00000100u
#define KMS_PC_SOFTIRQ_DISABLE_OFFSET	0x00000200u
#define KMS_PC_SOFTIRQ_MASK		0x0000ff00u
#define KMS_PC_HARDIRQ_MASK		0x000f0000u
#define KMS_PC_NMI_MASK			0x00f00000u
#define KMS_PC_NEED_RESCHED		0x80000000u

/*
 * The preempt_disable() every tracepoint takes around its probes
 * (__DO_TRACE): one level of the depth at a kmem event is always the
 * tracepoint's.  Without PREEMPT_RCU the BPF dispatcher's rcu_read_lock()
 * is a preempt_disable() too (on kernels that count preemption at all):
 * a second level.
 */
#define KMS_PC_TRACEPOINT_DEPTH		1u

/* The depth a kmem event's own machinery holds (kms_preempt_flags()'s own_depth). */
static __always_inline __u32 kms_preempt_own_depth(bool preempt_rcu)
{
	return KMS_PC_TRACEPOINT_DEPTH + (preempt_rcu ? 0 : 1);
}

/*
 * The KMS_AF_* context flags of a preempt count read inside a kmem
 * tracepoint whose own machinery holds own_depth levels.  Hardirq (or
 * NMI) wins over softirq: a hard interrupt that arrived while a softirq
 * was served runs in hardirq context.  BH-off is any local_bh_disable()
 * beyond the softirq being served.
 */
static __always_inline __u8 kms_preempt_flags(__u32 pc, __u32 own_depth)
{
	__u8 f = 0;

	pc &= ~KMS_PC_NEED_RESCHED;
	if (pc & (KMS_PC_HARDIRQ_MASK | KMS_PC_NMI_MASK))
		f |= KMS_AF_HARDIRQ;
	else if (pc & KMS_PC_SOFTIRQ_OFFSET)
		f |= KMS_AF_SOFTIRQ;
	if ((pc & KMS_PC_PREEMPT_MASK) > own_depth)
		f |= KMS_AF_PREEMPT_OFF;
	if ((pc & KMS_PC_SOFTIRQ_MASK) >= KMS_PC_SOFTIRQ_DISABLE_OFFSET)
		f |= KMS_AF_BH_OFF;
	return f;
}

/* task_struct.flags bits (include/linux/sched.h, unchanged 5.15 - 6.18). */
#define KMS_PF_MEMALLOC			0x00000800u
#define KMS_PF_MEMALLOC_NOFS		0x00040000u
#define KMS_PF_MEMALLOC_NOIO		0x00080000u

/*
 * The rcu_read_lock() the tracepoint's BPF dispatcher holds around every
 * program (__bpf_trace_run() for tp_btf, trace_call_bpf() for classic
 * tracepoints): a nesting of 1 at a kmem event is the dispatcher's own.
 */
#define KMS_RCU_DISPATCH_NESTING	1

/*
 * The enum kms_task_ctx bits of current's flags and rcu_read_lock()
 * nesting.  has_nesting: the kernel has task_struct.rcu_read_lock_nesting
 * (PREEMPT_RCU); elsewhere rcu_read_lock() is preempt_disable(), which the
 * preempt count shows.
 */
static __always_inline __u32 kms_task_scope(__u32 pf, bool has_nesting, int nesting)
{
	__u32 tc = 0;

	if (pf & KMS_PF_MEMALLOC)
		tc |= KMS_TC_MEMALLOC;
	if (pf & KMS_PF_MEMALLOC_NOFS)
		tc |= KMS_TC_NOFS;
	if (pf & KMS_PF_MEMALLOC_NOIO)
		tc |= KMS_TC_NOIO;
	if (has_nesting && nesting > KMS_RCU_DISPATCH_NESTING)
		tc |= KMS_TC_RCU;
	return tc;
}

#endif /* KMS_KSTATE_H */
