/* SPDX-License-Identifier: GPL-2.0 */
/*
 * context.h - the execution context of one allocation, as far as the
 * tracer can see it: interrupt, preemption or bottom halves disabled,
 * rcu_read_lock(), and the task's PF_MEMALLOC* scope.  Owns the names and
 * the one rule everything else builds on: where sleeping is a bug.
 */
#ifndef KMS_CONTEXT_H
#define KMS_CONTEXT_H

/* Room for kms_ctx_format(): "hardirq, softirq, preempt off, ...". */
#define KMS_CTX_NAME_LEN	96

#include <stdbool.h>
#include <stddef.h>

enum kms_ctx {
	KMS_CTX_HARDIRQ,	/* device interrupt handler (or NMI) */
	KMS_CTX_SOFTIRQ,	/* serving a softirq */
	KMS_CTX_PREEMPT_OFF,	/* preempt_disable(), spin_lock() */
	KMS_CTX_BH_OFF,		/* local_bh_disable(), spin_lock_bh() */
	KMS_CTX_RCU,		/* rcu_read_lock() on PREEMPT_RCU */
	KMS_CTX_MEMALLOC,	/* PF_MEMALLOC: the task is reclaiming memory */
	KMS_CTX_NOFS,		/* memalloc_nofs_save() scope */
	KMS_CTX_NOIO,		/* memalloc_noio_save() scope */
	KMS_CTX_MAX,
};

#define KMS_CTX_BIT(c)		(1u << (c))
/* Contexts in which an allocation must not sleep. */
#define KMS_CTX_ATOMIC		(KMS_CTX_BIT(KMS_CTX_HARDIRQ) | KMS_CTX_BIT(KMS_CTX_SOFTIRQ) | \
				 KMS_CTX_BIT(KMS_CTX_PREEMPT_OFF) | KMS_CTX_BIT(KMS_CTX_BH_OFF) | \
				 KMS_CTX_BIT(KMS_CTX_RCU))

#define KMS_CTX_SCOPE		(KMS_CTX_BIT(KMS_CTX_RCU) | KMS_CTX_BIT(KMS_CTX_MEMALLOC) | \
				 KMS_CTX_BIT(KMS_CTX_NOFS) | KMS_CTX_BIT(KMS_CTX_NOIO))
#define KMS_CTX_IRQ		(KMS_CTX_BIT(KMS_CTX_HARDIRQ) | KMS_CTX_BIT(KMS_CTX_SOFTIRQ))

/*
 * The KMS_CTX_BIT()s of a decoded event's KMS_EVF_* flags.  In an
 * interrupt the task's scope belongs to the task it interrupted, so only
 * the interrupt and the preempt count bits are kept there.  Inline: every
 * allocation the collector folds in goes through here.  The KMS_EVF_*
 * context bits are 3, 4 and 6..11, the KMS_CTX_BIT()s 0..7 in the same
 * order (context.c asserts it), so two shifts map them.
 */
static inline unsigned int kms_ctx_of(unsigned int ev_flags)
{
	unsigned int bits = ((ev_flags >> 3) & 0x3) | ((ev_flags >> 4) & 0xfc);

	return (bits & KMS_CTX_IRQ) ? bits & ~KMS_CTX_SCOPE : bits;
}
static inline bool kms_ctx_atomic(unsigned int bits)
{
	return bits & KMS_CTX_ATOMIC;
}
const char *kms_ctx_name(enum kms_ctx c);
/* "softirq,bh-off" for the bits; "task" for none. */
const char *kms_ctx_format(unsigned int bits, char *buf, size_t len);

#endif /* KMS_CONTEXT_H */
