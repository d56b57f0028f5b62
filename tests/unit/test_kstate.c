// SPDX-License-Identifier: GPL-2.0
/*
 * test_kstate.c - unit tests for include/kms_kstate.h, the decoder the BPF
 * programs run on the preempt count and the task's flags.  Every case
 * goes the whole way a real allocation goes: kernel state -> record flags
 * (the BPF side) -> kms_decode() -> the context string a report prints,
 * so a wrong mask anywhere on the way shows here.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/cdefs.h>
#include <linux/types.h>

#include "kms_records.h"
#include "kms_kstate.h"
#include "context.h"
#include "decode.h"
#include "test.h"

/* An x86 count as the tracepoint sees it: its own preempt level, no resched pending. */
#define TP	(KMS_PC_NEED_RESCHED | KMS_PC_TRACEPOINT_DEPTH)
#define SOFTIRQ	KMS_PC_SOFTIRQ_OFFSET
#define BH	KMS_PC_SOFTIRQ_DISABLE_OFFSET
#define HARDIRQ	0x00010000u	/* HARDIRQ_OFFSET */
#define NMI	0x00100000u	/* NMI_OFFSET */

/* The context string of an allocation record carrying these flags and scope bits. */
static const char *ctx_of(__u8 af, __u32 tc, char *buf, size_t len)
{
	struct kms_rec_alloc r;
	struct kms_event ev;

	memset(&r, 0, sizeof(r));
	r.hdr.type = KMS_REC_KMALLOC;
	r.hdr.flags = af;
	r.gfp = 0xcc0 | tc;	/* GFP_KERNEL */
	r.ptr = 0xffff888000001000ULL;
	if (kms_decode(&r, sizeof(r), &ev))
		return "decode failed";
	if (ev.gfp != 0xcc0)
		return "scope bits leaked into gfp";
	return kms_ctx_format(kms_ctx_of(ev.flags), buf, len);
}

static const char *pc_ctx(__u32 pc, char *buf, size_t len)
{
	return ctx_of(kms_preempt_flags(pc, kms_preempt_own_depth(true)), 0, buf, len);
}

/* PREEMPT_RCU kernels: only the tracepoint's own level. */
static __u8 pcf(__u32 pc)
{
	return kms_preempt_flags(pc, kms_preempt_own_depth(true));
}

TEST(task_preempt_depth)
{
	char b[96];

	CHECK_STR(pc_ctx(TP, b, sizeof(b)), "task");
	CHECK_STR(pc_ctx(TP + 1, b, sizeof(b)), "preempt-off");		/* spin_lock() */
	CHECK_STR(pc_ctx(TP + 2, b, sizeof(b)), "preempt-off");
	CHECK_STR(pc_ctx(TP + 0x7e, b, sizeof(b)), "preempt-off");
	/* Depth 0 cannot happen inside a tracepoint; it must not look atomic. */
	CHECK_STR(pc_ctx(KMS_PC_NEED_RESCHED, b, sizeof(b)), "task");
}

TEST(need_resched_bit)
{
	char b[96];

	/* x86 inverts it: clear means a reschedule is pending.  Never context. */
	CHECK_STR(pc_ctx(TP & ~KMS_PC_NEED_RESCHED, b, sizeof(b)), "task");
	CHECK_STR(pc_ctx((TP + 1) & ~KMS_PC_NEED_RESCHED, b, sizeof(b)), "preempt-off");
	CHECK_STR(pc_ctx((TP | HARDIRQ) & ~KMS_PC_NEED_RESCHED, b, sizeof(b)), "hardirq");
	CHECK_INT(pcf(KMS_PC_NEED_RESCHED), ==, 0);
}

TEST(bh_disabled)
{
	char b[96];

	CHECK_STR(pc_ctx(TP | BH, b, sizeof(b)), "bh-off");			/* local_bh_disable() */
	CHECK_STR(pc_ctx(TP | 2 * BH, b, sizeof(b)), "bh-off");			/* nested */
	CHECK_STR(pc_ctx((TP + 1) | BH, b, sizeof(b)), "preempt-off,bh-off");	/* spin_lock_bh() + lock */
	CHECK_INT(pcf(TP | BH), ==, KMS_AF_BH_OFF);
}

TEST(serving_softirq)
{
	char b[96];

	CHECK_STR(pc_ctx(TP | SOFTIRQ, b, sizeof(b)), "softirq");
	CHECK_INT(pcf(TP | SOFTIRQ), ==, KMS_AF_SOFTIRQ);
	/* BH disabled inside a softirq (spin_lock_bh() in a timer callback). */
	CHECK_STR(pc_ctx(TP | SOFTIRQ | BH, b, sizeof(b)), "softirq,bh-off");
	CHECK_STR(pc_ctx((TP + 1) | SOFTIRQ, b, sizeof(b)), "softirq,preempt-off");
}

TEST(hardirq)
{
	char b[96];

	CHECK_STR(pc_ctx(TP | HARDIRQ, b, sizeof(b)), "hardirq");
	CHECK_INT(pcf(TP | HARDIRQ), ==, KMS_AF_HARDIRQ);
	CHECK_STR(pc_ctx(TP | 2 * HARDIRQ, b, sizeof(b)), "hardirq");		/* nested */
	CHECK_STR(pc_ctx(TP | 0xf * HARDIRQ, b, sizeof(b)), "hardirq");
	CHECK_STR(pc_ctx((TP + 1) | HARDIRQ, b, sizeof(b)), "hardirq,preempt-off");
	/* A hard interrupt that arrived while a softirq was served. */
	CHECK_STR(pc_ctx(TP | HARDIRQ | SOFTIRQ, b, sizeof(b)), "hardirq");
	CHECK_STR(pc_ctx(TP | HARDIRQ | SOFTIRQ | BH, b, sizeof(b)), "hardirq,bh-off");
	/* ... or while BH were disabled in a task. */
	CHECK_STR(pc_ctx(TP | HARDIRQ | BH, b, sizeof(b)), "hardirq,bh-off");
}

TEST(nmi)
{
	char b[96];

	/* nmi_enter() adds NMI_OFFSET + HARDIRQ_OFFSET; either alone is an NMI too. */
	CHECK_STR(pc_ctx(TP | NMI | HARDIRQ, b, sizeof(b)), "hardirq");
	CHECK_STR(pc_ctx(TP | NMI, b, sizeof(b)), "hardirq");
	CHECK_STR(pc_ctx(TP | 0xf * NMI, b, sizeof(b)), "hardirq");
	CHECK_STR(pc_ctx(TP | NMI | HARDIRQ | SOFTIRQ, b, sizeof(b)), "hardirq");
}

/*
 * Without PREEMPT_RCU the dispatcher's rcu_read_lock() is one more level:
 * a plain task allocation must not look preempt-off there.
 */
TEST(no_preempt_rcu)
{
	__u32 own = kms_preempt_own_depth(false);

	CHECK_INT(own, ==, 2);
	CHECK_INT(kms_preempt_flags(TP + 1, own), ==, 0);		/* task */
	CHECK_INT(kms_preempt_flags(TP + 2, own), ==, KMS_AF_PREEMPT_OFF);	/* spin_lock() */
	CHECK_INT(kms_preempt_flags((TP + 1) | HARDIRQ, own), ==, KMS_AF_HARDIRQ);
	CHECK_INT(kms_preempt_flags((TP + 1) | SOFTIRQ, own), ==, KMS_AF_SOFTIRQ);
	CHECK_INT(kms_preempt_own_depth(true), ==, 1);
}

/* The masks are those of include/linux/preempt.h. */
TEST(masks)
{
	CHECK_INT(KMS_PC_HARDIRQ_MASK | KMS_PC_NMI_MASK, ==, 0x00ff0000u);
	CHECK_INT(KMS_PC_SOFTIRQ_MASK, ==, 0xff00u);
	CHECK_INT(KMS_PC_SOFTIRQ_OFFSET, ==, 1u << 8);
	CHECK_INT(KMS_PC_SOFTIRQ_DISABLE_OFFSET, ==, 2u << 8);
	/* Bits 24-30 are unused: whatever is there is not context. */
	CHECK_INT(pcf(TP | 0x7f000000u), ==, 0);
}

TEST(task_scope)
{
	char b[96];

	CHECK_INT(kms_task_scope(0, true, 1), ==, 0);	/* the BPF dispatcher's own */
	CHECK_INT(kms_task_scope(0, true, 0), ==, 0);
	CHECK_INT(kms_task_scope(0, true, 2), ==, KMS_TC_RCU);
	CHECK_INT(kms_task_scope(0, true, 5), ==, KMS_TC_RCU);
	/* Without PREEMPT_RCU there is no nesting to read. */
	CHECK_INT(kms_task_scope(0, false, 7), ==, 0);
	CHECK_INT(kms_task_scope(KMS_PF_MEMALLOC, true, 1), ==, KMS_TC_MEMALLOC);
	CHECK_INT(kms_task_scope(KMS_PF_MEMALLOC_NOFS, true, 1), ==, KMS_TC_NOFS);
	CHECK_INT(kms_task_scope(KMS_PF_MEMALLOC_NOIO, true, 1), ==, KMS_TC_NOIO);
	/* Neighbouring PF_ bits (PF_KSWAPD 0x20000, PF_LOCAL_THROTTLE 0x100000) are not scope. */
	CHECK_INT(kms_task_scope(0x00020000u | 0x00100000u | 0x00000400u, true, 1), ==, 0);
	CHECK_INT(kms_task_scope(KMS_PF_MEMALLOC_NOFS | KMS_PF_MEMALLOC_NOIO, true, 3), ==,
		  KMS_TC_NOFS | KMS_TC_NOIO | KMS_TC_RCU);
	CHECK_STR(ctx_of(0, kms_task_scope(KMS_PF_MEMALLOC_NOFS, true, 2), b, sizeof(b)),
		  "rcu,nofs");
	CHECK_STR(ctx_of(pcf(TP + 1), kms_task_scope(0, true, 2), b, sizeof(b)),
		  "preempt-off,rcu");
	/* In an interrupt the scope is the interrupted task's: not this allocation's. */
	CHECK_STR(ctx_of(pcf(TP | HARDIRQ),
			 kms_task_scope(KMS_PF_MEMALLOC_NOFS, true, 2), b, sizeof(b)), "hardirq");
}

int main(void)
{
	t_suite = "kstate";
	RUN(task_preempt_depth);
	RUN(need_resched_bit);
	RUN(bh_disabled);
	RUN(serving_softirq);
	RUN(hardirq);
	RUN(nmi);
	RUN(no_preempt_rcu);
	RUN(masks);
	RUN(task_scope);
	return test_done();
}
