/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kms_records.h - the one definition of the records that cross from bpf/
 * to src/.
 *
 * Every record the BPF programs write into the ring buffer, and every record
 * a recording stores, has one of the layouts below.  Records are fixed-size
 * per type, 8-byte aligned, and start with the same 8-byte header so that a
 * reader can dispatch on `type` and skip types it does not know.  Only the
 * BPF program and src/decode.c / src/encode.c include this file
 * (tests/check-boundaries.sh); everything downstream sees struct kms_event.
 *
 * Sizes are part of the ABI: changing a layout means bumping
 * KMS_ABI_VERSION (kmscope_event.h), which is written into every recording.
 */
#ifndef KMS_RECORDS_H
#define KMS_RECORDS_H

#include "kmscope_event.h"

/* Record types (header.type). */
enum kms_rec_type {
	KMS_REC_KMALLOC		= 1,	/* struct kms_rec_alloc, bytes inline;
					   + KMS_AF_CACHE: struct kms_rec_kmalloc_cache */
	KMS_REC_CACHE_ALLOC	= 2,	/* struct kms_rec_alloc, cache inline */
	KMS_REC_KFREE		= 3,	/* struct kms_rec_free;
					   + KMS_FF_CACHE: struct kms_rec_cache_free */
	KMS_REC_CACHE_FREE	= 4,	/* struct kms_rec_cache_free */
	KMS_REC_CACHE_INFO	= 5,	/* struct kms_rec_cache_info */
	KMS_REC_TASK		= 6,	/* struct kms_rec_task;
					   + KMS_TF_CGROUP: struct kms_rec_task_cgroup */
	KMS_REC_RCU_CALL	= 7,	/* struct kms_rec_free: kfree_rcu() of ptr */
	KMS_REC_PAIR		= 8,	/* struct kms_rec_pair: an allocation and
					   its free, paired in the kernel */
	KMS_REC_TYPE_MAX,
};

/* header.flags of allocation records. */
enum kms_alloc_flags {
	/* KMS_REC_CACHE_ALLOC carries bytes, not a cache (5.15, classic tp). */
	KMS_AF_BYTES_INLINE	= 1 << 0,
	/* The allocation returned NULL. */
	KMS_AF_FAILED		= 1 << 1,
	/*
	 * KMS_REC_KMALLOC whose cache the kernel named (6.13+ kfunc
	 * bpf_get_kmem_cache()): the record is a struct kms_rec_kmalloc_cache.
	 */
	KMS_AF_CACHE		= 1 << 2,
	/*
	 * Execution context of the allocation, tracked from the irq and
	 * softirq tracepoints (cfg_context): in a device interrupt handler,
	 * or serving a softirq.  Neither bit: task context, or not tracked.
	 */
	KMS_AF_HARDIRQ		= 1 << 3,
	KMS_AF_SOFTIRQ		= 1 << 4,
	/* -g: a kernel stack id follows: the record is a kms_rec_alloc_stack. */
	KMS_AF_STACK		= 1 << 5,
	/*
	 * From the per-CPU preempt count, where the kernel lets BPF read it
	 * (cfg_preempt): preemption disabled at the call site (depth > 0
	 * beyond the tracepoint's own), or bottom halves disabled.  Without
	 * cfg_preempt neither bit says anything.
	 */
	KMS_AF_PREEMPT_OFF	= 1 << 6,
	KMS_AF_BH_OFF		= 1 << 7,
};

/*
 * The top four bits of kms_rec_alloc.gfp carry the allocating task's
 * scope (cfg_task_ctx), read from current: no kernel uses gfp bits past
 * 27, and a 48-byte record has no other room.  Only the decoder splits
 * them off.  In an interrupt they describe the interrupted task, so the
 * collector ignores them there.
 */
#define KMS_GFP_MASK		0x0fffffffu
enum kms_task_ctx {
	/* rcu_read_lock() held (PREEMPT_RCU: rcu_read_lock_nesting beyond
	 * the BPF dispatch's own), where sleeping is a bug */
	KMS_TC_RCU		= 1u << 28,
	KMS_TC_MEMALLOC		= 1u << 29,	/* PF_MEMALLOC: reclaim itself */
	KMS_TC_NOFS		= 1u << 30,	/* memalloc_nofs_save() scope */
	KMS_TC_NOIO		= 1u << 31,	/* memalloc_noio_save() scope */
};

/* header.flags of free records. */
enum kms_free_flags {
	/* KMS_REC_KFREE with its cache named: a struct kms_rec_cache_free. */
	KMS_FF_CACHE		= 1 << 0,
	/*
	 * kfree_rcu() put the object in its cache's rcu_free sheaf (6.18+):
	 * the free is sent then, the memory comes back after a grace period
	 * without an event.
	 */
	KMS_FF_SHEAF		= 1 << 1,
	/* KMS_REC_PAIR only: the free was a kmem_cache_free, not a kfree. */
	KMS_PF_CACHE_FREE	= 1 << 7,
};

/* header.flags of task records. */
enum kms_task_flags {
	/* The task's cgroup follows: a struct kms_rec_task_cgroup. */
	KMS_TF_CGROUP		= 1 << 0,
};

/* header.flags of cache info records. */
enum kms_cache_flags {
	/* SLAB_ACCOUNT: its objects are charged to the allocator's memory cgroup. */
	KMS_CF_ACCOUNT		= 1 << 0,
};

struct kms_rec_hdr {
	__u8	type;
	__u8	flags;
	__u16	cpu;
	__u32	tid;
};

/*
 * kmalloc and kmem_cache_alloc, 48 bytes.  For KMS_REC_KMALLOC (and
 * KMS_REC_CACHE_ALLOC with KMS_AF_BYTES_INLINE) `u` holds the byte counts;
 * for KMS_REC_CACHE_ALLOC it holds the cache id (the kernel address of the
 * cache's name string: unique per live cache, and a plain value to BPF),
 * whose name and sizes arrive once in a KMS_REC_CACHE_INFO record that
 * precedes the first allocation naming it.
 */
struct kms_rec_alloc {
	struct kms_rec_hdr hdr;
	__u32	tgid;
	__u32	gfp;		/* gfp_flags | enum kms_task_ctx bits */
	__u64	ts;		/* bpf_ktime_get_ns() */
	__u64	ptr;
	__u64	call_site;
	union {
		struct {
			__u32	bytes_req;
			__u32	bytes_alloc;
		};
		__u64	cache;
	} u;
};

/* kmalloc with the cache the kernel says the object is in, 56 bytes. */
struct kms_rec_kmalloc_cache {
	struct kms_rec_alloc a;		/* bytes inline */
	__u64	cache;
};

/*
 * An allocation with its kernel stack (-g), 64 bytes: `cache` is valid only
 * with KMS_AF_CACHE; `stack` is the id in the stack map (< 0: lost).
 */
struct kms_rec_alloc_stack {
	struct kms_rec_alloc a;
	__u64	cache;
	__s32	stack;
	__u32	pad;
};

/* kfree, 24 bytes.  kfree(NULL) and kfree(ZERO_SIZE_PTR) never get here. */
struct kms_rec_free {
	struct kms_rec_hdr hdr;
	__u64	ts;
	__u64	ptr;
};

/* kmem_cache_free, 32 bytes: cache is the cache id (as in allocations), or 0. */
struct kms_rec_cache_free {
	struct kms_rec_hdr hdr;
	__u64	ts;
	__u64	ptr;
	__u64	cache;
};

/*
 * An allocation and its free, 88 bytes (--pair): the header, `ts` and
 * `cache` are the free's, as in a struct kms_rec_cache_free (its pointer
 * is the allocation's); `alloc` is the allocation's record as it would
 * have crossed alone (KMS_HELD_REC bytes, its own header saying which
 * layout).  Never stored in a recording: the collector's reader splits
 * it into the two events.
 */
struct kms_rec_pair {
	struct kms_rec_hdr hdr;
	__u64	ts;
	__u64	cache;
	__u8	alloc[KMS_HELD_REC];
};

_Static_assert(sizeof(struct kms_rec_alloc_stack) == KMS_HELD_REC,
	       "a held slot takes the longest allocation record");
_Static_assert(__builtin_offsetof(struct kms_rec_alloc_stack, cache) ==
	       __builtin_offsetof(struct kms_rec_kmalloc_cache, cache),
	       "a held kmalloc's cache is where either layout has it");

/* Name and sizes of a cache pointer, sent once before its first use. */
struct kms_rec_cache_info {
	struct kms_rec_hdr hdr;
	__u64	cache;
	__u32	object_size;
	__u32	size;
	char	name[KMS_CACHE_NAME_LEN];
};

/* Name of a task, sent once per tid that allocates (for comm in reports). */
struct kms_rec_task {
	struct kms_rec_hdr hdr;
	__u32	tgid;
	__u32	pad;
	char	comm[KMS_COMM_LEN];
};

/*
 * A task with its cgroup v2 id (bpf_get_current_cgroup_id(): the inode
 * number of its directory in the default hierarchy), 40 bytes; sent
 * again after the task may have moved.
 */
struct kms_rec_task_cgroup {
	struct kms_rec_task t;
	__u64	cgroup;
};

#endif /* KMS_RECORDS_H */
