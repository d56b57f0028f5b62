/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kmscope_event.h - what the BPF program and userspace share besides the
 * records: the ABI version, the sizes, the per-CPU counters and execution
 * context in the BPF object's .bss.  The record layouts themselves are in
 * kms_records.h, which only the BPF program and the decode/encode pair
 * include (tests/check-boundaries.sh).
 */
#ifndef KMSCOPE_EVENT_H
#define KMSCOPE_EVENT_H

#define KMS_ABI_VERSION		1

/* Per-CPU statistics slots (a power of two; higher CPU numbers fold onto them). */
#define KMS_MAX_CPUS		1024
#define KMS_COMM_LEN		16
#define KMS_CACHE_NAME_LEN	48
/* Depth of the stacks -g collects (PERF_MAX_STACK_DEPTH). */
#define KMS_STACK_DEPTH		127

/*
 * Kernel-side counters, one 128-byte slot per CPU in the BPF object's
 * .bss (two cache lines, aligned), so CPUs never share a line.  Userspace
 * sums the slots.
 */
enum kms_counter {
	KMS_CNT_SEEN_KMALLOC,		/* tracepoint hits, before filtering */
	KMS_CNT_SEEN_KFREE,
	KMS_CNT_SEEN_CACHE_ALLOC,
	KMS_CNT_SEEN_CACHE_FREE,
	KMS_CNT_FREE_NULL,		/* kfree(NULL)/ZERO_SIZE_PTR dropped */
	KMS_CNT_FILTERED,		/* allocations rejected by a filter */
	KMS_CNT_FREE_UNTRACKED,		/* frees of pointers a filter never let in */
	KMS_CNT_RB_FAIL,		/* bpf_ringbuf_reserve() failed: lost */
	KMS_CNT_TRACK_FULL,		/* tracked-pointer map full (filtered mode) */
	KMS_CNT_INFO_LOST,		/* cache/task name record lost (ring full) */
	KMS_CNT_SELF,			/* kmscope's own allocations and frees, dropped */
	KMS_CNT_SEEN_RCU_FREE,		/* pointers of bulk frees and kfree_rcu batches */
	KMS_CNT_STACK_LOST,		/* -g: stack not stored (map full, collision) */
	KMS_CNT_RECOVERED,		/* events a backup program handled: the kernel
					   kept them from the main one (recursion) */
	KMS_CNT_SEEN_SHEAF_FREE,	/* objects kfree_rcu() put in a sheaf (6.18+) */
	KMS_CNT_SEEN_RCU_CALL,		/* kfree_rcu() calls (kvfree_call_rcu()) */
	KMS_CNT_MAX,
};

/* Two cache lines per CPU: no false sharing between CPUs' counters. */
#define KMS_CNT_SLOTS	16
_Static_assert(KMS_CNT_MAX <= KMS_CNT_SLOTS, "the counters fit their slots");

struct kms_cpu_counters {
	__u64	c[KMS_CNT_SLOTS];
} __attribute__((aligned(64)));

/*
 * The tracepoint hits of the main event programs (the KMS_CNT_SEEN_* of
 * kmalloc, kmem_cache_alloc, kfree and kmem_cache_free), one word per
 * program and a cache line per CPU.  Each word has one writer: a program
 * never runs nested in itself on a CPU where the kernel guards against
 * recursion, so there the programs add with a plain increment, cheaper
 * than the locked add every other counter takes (docs/design.md, "the
 * counters").  Userspace adds them to their KMS_CNT_SEEN_* counters.
 */
enum kms_hit {
	KMS_HIT_KMALLOC,
	KMS_HIT_KMALLOC_NODE,		/* 5.15 */
	KMS_HIT_CACHE_ALLOC,
	KMS_HIT_CACHE_ALLOC_NODE,	/* 5.15 */
	KMS_HIT_KFREE,
	KMS_HIT_CACHE_FREE,
	KMS_HIT_MAX,
};

#define KMS_HIT_SLOTS	8
_Static_assert(KMS_HIT_MAX <= KMS_HIT_SLOTS, "the hits fit their slots");

struct kms_cpu_hits {
	__u64	h[KMS_HIT_SLOTS];
} __attribute__((aligned(64)));

/*
 * Per-CPU execution context from irq:irq_handler_entry/exit,
 * irq:softirq_entry/exit and hrtimer:hrtimer_expire_entry/exit, one cache
 * line per CPU.  Kernels built without
 * data symbols in kallsyms hide the per-CPU preempt count from BPF, so
 * these tracepoints are how kmscope knows an allocation runs in an
 * interrupt.
 */
struct kms_cpu_ctx {
	__u32	hardirq;	/* device interrupt handlers running, + a hard hrtimer */
	__u32	softirq;	/* softirqs being served */
	/*
	 * A hard hrtimer callback is running (hrtimer:hrtimer_expire_entry of
	 * a timer with is_hard): it runs from the local timer interrupt, which
	 * fires no irq_handler_entry.
	 */
	__u32	hrtimer;
	__u32	pad[13];
};

/*
 * Pairing (--pair, docs/design.md "Pairing in the kernel"): allocations
 * the programs hold back until their free, in one table all CPUs share,
 * direct-mapped by a multiplicative hash of the pointer (KMS_HELD_MUL,
 * 2^64 / the golden ratio).  `ptr` says who has a slot: 0 empty,
 * KMS_HELD_BUSY while one program writes or reads it, else the pointer
 * whose allocation record (as the ring would carry it) is in `rec`.
 * 8192 slots of 72 bytes, in an array map the loader shrinks to one slot
 * without --pair; what is held at the end is read by userspace.
 */
#define KMS_HELD_BITS		13
#define KMS_HELD_SLOTS		(1u << KMS_HELD_BITS)
#define KMS_HELD_MUL		0x9e3779b97f4a7c15ULL
#define KMS_HELD_BUSY		1ULL
#define KMS_HELD_REC		64	/* the longest allocation record */

struct kms_held {
	__u64	ptr;
	__u8	rec[KMS_HELD_REC];
};

#endif /* KMSCOPE_EVENT_H */
