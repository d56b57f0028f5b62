/* SPDX-License-Identifier: GPL-2.0 */
/*
 * decode.h - turn one raw record (from the ring buffer or a recording) into
 * struct kms_event.  decode.c is the only userspace file that knows the
 * wire layout of include/kmscope_event.h; live tracing and replay both go
 * through kms_decode(), which is what makes replay give the same results.
 */
#ifndef KMS_DECODE_H
#define KMS_DECODE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The values of enum kms_ev_type and of the KMS_EVF_* bits are part of
 * the recording format: version 2's EVENTS_PACKED sections store events
 * in these terms (src/evpack.c, docs/record-format.md).  Add, never
 * renumber.
 */
enum kms_ev_type {
	KMS_EV_KMALLOC,
	KMS_EV_CACHE_ALLOC,
	KMS_EV_KFREE,
	KMS_EV_CACHE_FREE,
	KMS_EV_CACHE_INFO,
	KMS_EV_TASK,
	KMS_EV_RCU_CALL,	/* kfree_rcu() of ptr: freed for its owner, not yet for the allocator */
};
#define KMS_EV_MAX	(KMS_EV_RCU_CALL + 1)

#define KMS_EVF_FAILED		(1u << 0)	/* allocation returned NULL */
#define KMS_EVF_HAS_CACHE	(1u << 1)	/* `cache` holds a cache id */
/* A kmalloc whose cache the kernel named (bpf_get_kmem_cache): `cache` is it. */
#define KMS_EVF_KERNEL_CACHE	(1u << 2)
#define KMS_EVF_HARDIRQ		(1u << 3)	/* allocated in a device interrupt */
#define KMS_EVF_SOFTIRQ		(1u << 4)	/* allocated serving a softirq */
#define KMS_EVF_STACK		(1u << 5)	/* -g: `stack` is a stack id (< 0: lost) */
#define KMS_EVF_PREEMPT_OFF	(1u << 6)	/* preemption disabled (preempt count known) */
#define KMS_EVF_BH_OFF		(1u << 7)	/* bottom halves disabled (ditto) */
/* The task's scope (runinfo task_ctx; RCU needs rcu_nesting too). */
#define KMS_EVF_RCU		(1u << 8)	/* inside rcu_read_lock() */
#define KMS_EVF_MEMALLOC	(1u << 9)	/* PF_MEMALLOC: in reclaim */
#define KMS_EVF_NOFS		(1u << 10)	/* memalloc_nofs_save() scope */
#define KMS_EVF_NOIO		(1u << 11)	/* memalloc_noio_save() scope */
#define KMS_EVF_CGROUP		(1u << 12)	/* task record: `cgroup` is its cgroup v2 id */
#define KMS_EVF_ACCOUNT		(1u << 13)	/* cache info: SLAB_ACCOUNT */
#define KMS_EVF_SHEAF		(1u << 14)	/* free: kfree_rcu() into a sheaf (6.18+) */

struct kms_event {
	enum kms_ev_type type;
	unsigned int flags;
	unsigned int cpu;
	unsigned int tid;
	unsigned int tgid;		/* allocations and task records only */
	uint64_t ts;			/* ns, CLOCK_MONOTONIC */
	uint64_t ptr;
	uint64_t call_site;		/* allocations only */
	uint64_t cache;			/* cache id: kernel address of its name, or 0 */
	uint64_t cgroup;		/* KMS_EVF_CGROUP: the task's cgroup v2 id */
	uint32_t bytes_req;		/* 0 when only `cache` is known */
	uint32_t bytes_alloc;
	uint32_t gfp;
	int32_t stack;			/* KMS_EVF_STACK: id in the stack map */
	/* KMS_EV_CACHE_INFO: sizes of `cache`; name points into the record. */
	uint32_t object_size;
	uint32_t size;
	const char *name;		/* cache name or task comm, NUL-terminated */
	size_t name_len;
};

/*
 * Decode `size` bytes at `data`.  Returns 0, -ENOTSUP for a record type
 * this build does not know (skip and count it), or -EINVAL when the record
 * is shorter than its type requires.  Names are not copied: they stay
 * valid as long as `data` does, and are always NUL-terminated within it
 * (an unterminated name is cut at its field's end via name_len).
 */
/*
 * One record into ev: 0, or -EINVAL (too short for its type), -ENOTSUP (a
 * type this build does not know), -EAGAIN (a pair record: two events).
 */
int kms_decode(const void *data, size_t size, struct kms_event *ev);

/*
 * A pair record (--pair: an allocation and its free, paired in the
 * kernel; kms_decode() says -EAGAIN) into its two events, as their own
 * records would have given them: 0 or -errno.
 */
int kms_decode_pair(const void *data, size_t size, struct kms_event *alloc,
		    struct kms_event *freed);

const char *kms_ev_type_name(enum kms_ev_type type);

#endif /* KMS_DECODE_H */
