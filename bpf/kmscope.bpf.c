// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kmscope.bpf.c - the kernel half of kmscope: one program per kmem
 * tracepoint that filters, then writes one compact record (see
 * include/kmscope_event.h) into a single ring buffer.
 *
 * Hot-path rules (docs/performance.md): filter before reserving ring space,
 * no map update per event unless a filter needs one, never wake the
 * consumer per event.  Two families of programs exist: tp_btf (preferred,
 * cheapest) and classic tracepoints (fallback); the loader enables exactly
 * one family.  Counters live in .bss, one cache-line slot per CPU, and
 * count every event seen, filtered or lost so userspace can account for
 * all of them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "kms_records.h"
#include "kms_gfp_bits.h"
#include "kms_gfp_rules.h"
#include "kms_kstate.h"
#include "core_fixes.bpf.h"

#define ZERO_SIZE_PTR	16

/* Configuration, set by the loader before load (frozen afterwards). */
const volatile bool cfg_filtering = false;	/* any allocation filter set */
/*
 * kmscope itself (0: traced like anyone): its own allocations (reading
 * sysfs, writing a recording) are not what the user asked about.
 */
const volatile __u32 cfg_self_tgid = 0;
const volatile bool cfg_follow = false;		/* --  CMD: only followed tgids */
const volatile __u32 cfg_tgid = 0;
const volatile __u32 cfg_tid = 0;
const volatile __u64 cfg_cgroup = 0;
const volatile bool cfg_comm_set = false;
const volatile char cfg_comm[KMS_COMM_LEN] = {};
const volatile __u32 cfg_min_size = 0;
const volatile __u32 cfg_max_size = 0xffffffff;
/* Debian 6.1/6.12 verifiers reject direct reads of `const void *` args. */
const volatile bool cfg_ptr_probe_read = false;
/* kfree programs ask bpf_get_kmem_cache() too (check mode: costs a call). */
const volatile bool cfg_free_cache = false;
/* -g: collect the kernel stack of every cfg_stacks-th allocation per CPU (0: off). */
const volatile __u32 cfg_stacks = 0;
/* -g findings: stacks only of allocations a GFP rule or a NULL return flags. */
const volatile bool cfg_stacks_findings = false;
/* KMALLOC_MAX_CACHE_SIZE: a kmalloc above it comes from the page allocator. */
const volatile __u32 cfg_large_bytes = 8192;
/* The kms_pc_* programs snapshot the preempt count before each allocation event. */
const volatile bool cfg_preempt = false;
/* Preempt depth of the event's own machinery (kms_preempt_own_depth()). */
const volatile __u32 cfg_pc_own_depth = KMS_PC_TRACEPOINT_DEPTH;
/* Allocation records carry the hardirq/softirq context (the irq programs run). */
const volatile bool cfg_context = false;
/* Allocation records carry the task's RCU/PF_MEMALLOC* scope (enum kms_task_ctx). */
const volatile bool cfg_task_ctx = false;
/* Force a consumer wakeup once this many bytes wait in the ring. */
const volatile __u64 cfg_wakeup_bytes = 4 << 20;
/* --backup: the kms_bk_* programs are attached; the main ones mark themselves busy. */
const volatile bool cfg_backup = false;
/*
 * ... for the allocations too (--backup); without, the frees only
 * (--backup=frees): the allocation programs neither mark nor note.
 */
const volatile bool cfg_backup_allocs = false;
/*
 * Tests only (KMSCOPE_TEST_RECURSION=N): the main programs leave about one
 * event in N (chosen by its pointer) to the backups, as if recursing.
 */
const volatile __u32 cfg_test_skip = 0;
/*
 * The kernel runs no event program nested in itself on a CPU (the raw
 * tracepoint dispatch's recursion guard; the loader probes for it): the
 * main programs may count their hits with a plain increment (count_hit()).
 */
const volatile bool cfg_plain_hits = false;

struct kms_cpu_counters counters[KMS_MAX_CPUS] SEC(".bss");
struct kms_cpu_hits hits[KMS_MAX_CPUS] SEC(".bss");

/*
 * Direct-mapped "already announced" slots for cache pointers and tids.
 * Racy by design: a lost race only costs a duplicate info record, which
 * userspace tolerates.  Announcements are reserved before the slot is
 * written, so an event naming a cache always follows its info record.
 */
#define KMS_CACHE_SLOT_BITS	10
#define KMS_CACHE_SLOTS	(1 << KMS_CACHE_SLOT_BITS)
#define KMS_TASK_SLOTS	4096
__u64 cache_seen[KMS_CACHE_SLOTS] SEC(".bss");
/*
 * A task slot holds (cgroup_gen << 32 | tid): a task is announced again
 * after any cgroup migration on the system (kms_cgroup_attach), so its
 * cgroup travels like its comm, not in every record.  Migrations are
 * rare (a service or container starting); re-announcing every task then
 * costs one record per task.
 */
__u64 task_seen[KMS_TASK_SLOTS] SEC(".bss");
__u32 cgroup_gen SEC(".bss");
__u32 cpu_events[KMS_MAX_CPUS * 16] SEC(".bss");

/*
 * The recursion backup: each main event program marks, per CPU, that it is
 * mid-run and notes the event it was handed; see main_enter().  The frees
 * from KMS_MAIN_KFREE on: --backup=frees backs up those (backed_up()).
 */
enum kms_main {
	KMS_MAIN_KMALLOC,
	KMS_MAIN_KMALLOC_NODE,
	KMS_MAIN_CACHE_ALLOC,
	KMS_MAIN_CACHE_ALLOC_NODE,
	KMS_MAIN_KFREE,
	KMS_MAIN_CACHE_FREE,
	KMS_MAIN_FREE_BULK,
	KMS_MAIN_MAX,
};
/* Per CPU, a cache line: one mid-run mark per main program. */
#define KMS_BUSY_STRIDE	8
_Static_assert(KMS_MAIN_MAX <= KMS_BUSY_STRIDE, "a busy mark per main program");
__u64 busy[KMS_MAX_CPUS * KMS_BUSY_STRIDE] SEC(".bss");
#define KMS_HANDED	8
#define KMS_HANDED_STRIDE	32
/*
 * Per CPU, four cache lines: KMS_HANDED ctx notes (0: free), the notes
 * made, and the notes made + 1 when a backup first ran there (0: never);
 * from KMS_HANDED_SEQ, the notes made when each note was.
 */
#define KMS_HANDED_SEQ	16
/* From KMS_HANDED_KEY, each note's event: its pointer argument and main program. */
#define KMS_HANDED_KEY	24
#define KMS_NOTE_MAIN_SHIFT	56
__u64 handed[KMS_MAX_CPUS * KMS_HANDED_STRIDE] SEC(".bss");
/* Set by the loader once every tracepoint backup is attached, after every main program. */
__u8 backups_ready SEC(".bss");
/*
 * Set by the loader once kms_free_bulk is attached: its backup, attached
 * before it (kms_bk_free_bulk), stands in for it until then.
 */
__u8 bulk_main_up SEC(".bss");
/*
 * Set by the loader before it detaches the main programs, the backups
 * after them: an event without a note may then be one a main program no
 * longer sees, delivered but not counted recovered.
 */
__u8 mains_going SEC(".bss");
/* Events cfg_test_skip left to the backups: misses as far as userspace counts. */
__u64 test_skips[KMS_MAX_CPUS * 8] SEC(".bss");
/*
 * A backup running on this CPU, per main program: the kernel will skip it
 * for any event meanwhile, so the main program leaves no note (main_enter()),
 * and cfg_test_skip leaves no event to it (no real recursion does that).
 */
__u8 bk_busy[KMS_MAX_CPUS * KMS_BUSY_STRIDE] SEC(".bss");
/*
 * cfg_test_skip: the backup of each main program has run (it is
 * attached); userspace is about to detach the backups.
 */
__u8 test_backup_up[KMS_BUSY_STRIDE] SEC(".bss");
__u8 test_stop SEC(".bss");

/* Per-CPU execution context: see struct kms_cpu_ctx. */
struct kms_cpu_ctx cpu_ctx[KMS_MAX_CPUS] SEC(".bss");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);	/* resized by the loader */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1);		/* resized by the loader with -g */
	__uint(key_size, sizeof(__u32));
	__uint(value_size, KMS_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

__u32 stack_tick[KMS_MAX_CPUS * 16] SEC(".bss");

/*
 * The per-CPU preempt count: __preempt_count (<= 6.1, 6.15+) or
 * pcpu_hot.preempt_count (6.2 - 6.14), as weak typed ksyms.  They resolve
 * only where kallsyms has data symbols (CONFIG_KALLSYMS_ALL), so only the
 * kms_pc_* programs use them and the loader loads those only there.
 */
extern const int __preempt_count __ksym __weak;
struct pcpu_hot___x {
	int preempt_count;
} __attribute__((preserve_access_index));
extern const struct pcpu_hot___x pcpu_hot __ksym __weak;

/* The preempt count seen by this CPU's latest kms_pc_* program run. */
__u32 pc_snap[KMS_MAX_CPUS * 16] SEC(".bss");

/* bpf_map_delete_elem(): no such key (errno.h is not for BPF programs). */
#define KMS_ENOENT	2

/* Pointers a filtered allocation produced: their frees are the only ones sent. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);		/* resized by the loader when filtering */
	__type(key, __u64);
	__type(value, __u8);
} tracked SEC(".maps");

/* Thread groups of the traced command and its descendants. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);		/* resized by the loader with -- CMD */
	__type(key, __u32);
	__type(value, __u8);
} followed SEC(".maps");

static __always_inline __u32 this_cpu(void)
{
	return bpf_get_smp_processor_id();
}

/*
 * A mask, not a compare: the 6.1 verifier loses a clamped bound.  Atomic:
 * a program nested on this CPU (an interrupt's softirq freeing objects
 * while another program runs) adds to the same slot, and a plain
 * increment would lose one of the two counts.
 */
static __always_inline void count_n(__u32 cpu, enum kms_counter c, __u64 n)
{
	__sync_fetch_and_add(&counters[cpu & (KMS_MAX_CPUS - 1)].c[c], n);
}

static __always_inline void count(__u32 cpu, enum kms_counter c)
{
	count_n(cpu, c, 1);
}

/* A backup program's hit: counted in `c` like any other counter. */
#define KMS_HIT_BACKUP	KMS_HIT_MAX

/*
 * One tracepoint hit.  A main program's goes to its own word, which
 * nothing else writes, so that where the kernel guards against a program
 * nesting in itself a plain increment cannot lose a count, and costs 5-9
 * ns per event less than the locked add (docs/performance.md).  A
 * backup's goes to the shared counter, atomically: it runs exactly while
 * its main program may be mid-increment lower on the stack.
 */
static __always_inline void count_hit(__u32 cpu, enum kms_hit h, enum kms_counter c)
{
	__u64 *w;

	if (h == KMS_HIT_BACKUP) {
		count(cpu, c);
		return;
	}
	w = &hits[cpu & (KMS_MAX_CPUS - 1)].h[h & (KMS_HIT_SLOTS - 1)];
	if (cfg_plain_hits)
		*w += 1;
	else
		__sync_fetch_and_add(w, 1);
}

/*
 * Submit without a wakeup, except every 256th event per CPU when the ring
 * holds more than cfg_wakeup_bytes: the consumer drains on a timer, and
 * this keeps a busy ring from overflowing between two timer ticks.
 */
static __always_inline __u64 submit_flags(__u32 cpu)
{
	__u32 idx = (cpu & (KMS_MAX_CPUS - 1)) * 16;
	__u32 n = ++cpu_events[idx];

	if ((n & 255) == 0 &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > cfg_wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline bool comm_matches(void)
{
	char comm[KMS_COMM_LEN];
	int i;

	if (bpf_get_current_comm(comm, sizeof(comm)))
		return false;
#pragma unroll
	for (i = 0; i < KMS_COMM_LEN; i++) {
		if (comm[i] != cfg_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* The allocation filters, cheapest first; only called when cfg_filtering. */
static __always_inline bool alloc_wanted(__u64 id, __u32 bytes_req)
{
	__u32 tgid = id >> 32;

	if (cfg_tgid && tgid != cfg_tgid)
		return false;
	if (cfg_tid && (__u32)id != cfg_tid)
		return false;
	if (bytes_req < cfg_min_size || bytes_req > cfg_max_size)
		return false;
	if (cfg_cgroup && bpf_get_current_cgroup_id() != cfg_cgroup)
		return false;
	if (cfg_comm_set && !comm_matches())
		return false;
	if (cfg_follow && !bpf_map_lookup_elem(&followed, &tgid))
		return false;
	return true;
}

static __always_inline void announce_task(__u64 id, __u32 cpu)
{
	__u32 tid = (__u32)id;
	__u32 slot = tid & (KMS_TASK_SLOTS - 1);
	__u64 seen = (__u64)cgroup_gen << 32 | tid;
	struct kms_rec_task_cgroup *r;

	if (task_seen[slot] == seen)
		return;
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count(cpu, KMS_CNT_INFO_LOST);
		return;
	}
	r->t.hdr.type = KMS_REC_TASK;
	r->t.hdr.flags = KMS_TF_CGROUP;
	r->t.hdr.cpu = cpu;
	r->t.hdr.tid = tid;
	r->t.tgid = id >> 32;
	r->t.pad = 0;
	bpf_get_current_comm(r->t.comm, sizeof(r->t.comm));
	/* The cgroup v2 (default hierarchy) id: its directory's inode number. */
	r->cgroup = bpf_get_current_cgroup_id();
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	task_seen[slot] = seen;
}

static __always_inline __u32 cache_slot(__u64 id)
{
	/* Fibonacci hashing: the top KMS_CACHE_SLOT_BITS bits of the product. */
	return (id * 0x9E3779B97F4A7C15ULL) >> (64 - KMS_CACHE_SLOT_BITS);
}

/*
 * SLAB_ACCOUNT: every object of the cache is charged to the allocating
 * task's memory cgroup.  A bit of enum _slab_flag_bits from 6.9 (absent
 * without CONFIG_MEMCG), a fixed value before.
 */
#define KMS_SLAB_ACCOUNT_OLD	0x04000000U

static __always_inline bool cache_accounted(const struct kmem_cache *s)
{
	__u32 flags = BPF_CORE_READ(s, flags), bit = KMS_SLAB_ACCOUNT_OLD;

	if (bpf_core_type_exists(enum _slab_flag_bits)) {
		if (!bpf_core_enum_value_exists(enum _slab_flag_bits, _SLAB_ACCOUNT))
			return false;
		bit = 1U << bpf_core_enum_value(enum _slab_flag_bits, _SLAB_ACCOUNT);
	}
	return flags & bit;
}

/*
 * The address of a cache's name as a plain number.  The verifier allows
 * no arithmetic on a pointer it knows, and a direct read of s->name gives
 * one; bpf_probe_read_kernel() copies the value out as a number but costs
 * a helper call (5-7 ns per read here, docs/performance.md).  A pointer
 * stored into a map and loaded back is a number to the verifier (tracing
 * programs need CAP_PERFMON, which lets them store pointers into maps).
 * One word per CPU: a program that interrupts between the store and the
 * load (an interrupt's allocation) overwrites it, which the compare
 * catches, and the helper then reads the field.
 */
__u64 name_words[KMS_MAX_CPUS * 8] SEC(".bss");

static __always_inline __u64 cache_name_addr(const struct kmem_cache *s, __u32 cpu)
{
	__u64 *w = &name_words[(cpu & (KMS_MAX_CPUS - 1)) * 8];
	const char *name = s->name;
	__u64 v;

	*(const char *volatile *)w = name;
	v = *(volatile __u64 *)w;
	if (v != (__u64)name)
		v = (__u64)BPF_CORE_READ(s, name);
	return v;
}

static __always_inline __u64 announce_cache(const struct kmem_cache *s, __u32 cpu)
{
	__u64 id = cache_name_addr(s, cpu);
	__u32 slot = cache_slot(id) & (KMS_CACHE_SLOTS - 1);
	struct kms_rec_cache_info *r;

	if (cache_seen[slot] == id)
		return id;
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count(cpu, KMS_CNT_INFO_LOST);
		return id;
	}
	r->hdr.type = KMS_REC_CACHE_INFO;
	r->hdr.flags = cache_accounted(s) ? KMS_CF_ACCOUNT : 0;
	r->hdr.cpu = cpu;
	r->hdr.tid = 0;
	r->cache = id;
	r->object_size = BPF_CORE_READ(s, object_size);
	r->size = BPF_CORE_READ(s, size);
	if (bpf_probe_read_kernel_str(r->name, sizeof(r->name), (const char *)id) < 0)
		r->name[0] = 0;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	cache_seen[slot] = id;
	return id;
}

/* Read the `const void *ptr` argument (index 1 of every kmem tracepoint). */
static __always_inline __u64 arg_ptr(__u64 *ctx)
{
	__u64 p = 0;

	if (cfg_ptr_probe_read) {
		/*
		 * Hide ctx from clang here, or it computes ctx + 8 once for
		 * both branches and the verifier rejects the direct load
		 * through a modified ctx pointer.
		 */
		void *c = ctx;

		barrier_var(c);
		bpf_probe_read_kernel(&p, sizeof(p), c + 8);
	} else {
		/* Exactly one ctx load at a constant offset, as the verifier needs. */
		asm volatile("%[p] = *(u64 *)(%[ctx] + 8)" : [p] "=r"(p) : [ctx] "r"(ctx));
	}
	return p;
}

/*
 * 6.13+: the cache that owns an object, straight from the slab (resolves
 * kmem_buckets and random kmalloc copies, which no model can).  Only the
 * *_kc programs call it; the loader autoloads them when vmlinux BTF has
 * the kfunc, so kernels without it never see the call.
 */
extern struct kmem_cache *bpf_get_kmem_cache(__u64 addr) __ksym __weak;

/* The cache id of the object at ptr, announced; 0 for non-slab memory. */
static __always_inline __u64 object_cache(__u64 ptr, __u32 cpu)
{
	struct kmem_cache *s = ptr ? bpf_get_kmem_cache(ptr) : NULL;

	return s ? announce_cache(s, cpu) : 0;
}

/* The context of the count a kms_pc_* program saw on this CPU (kms_kstate.h). */
static __always_inline __u8 preempt_flags(__u32 cpu)
{
	return kms_preempt_flags(pc_snap[(cpu & (KMS_MAX_CPUS - 1)) * 16], cfg_pc_own_depth);
}

/*
 * The scope current runs in (kms_kstate.h).  rcu_read_lock_nesting
 * exists only on PREEMPT_RCU kernels.
 */
static __always_inline __u32 task_ctx(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	int nesting = 0;

	if (bpf_core_field_exists(t->rcu_read_lock_nesting))
		nesting = t->rcu_read_lock_nesting;
	return kms_task_scope(t->flags, bpf_core_field_exists(t->rcu_read_lock_nesting), nesting);
}

/* -g: the stack id of this allocation, or KMS_NO_STACK when not sampled. */
#define KMS_NO_STACK	(-1000)

/*
 * Would userspace's GFP rules (src/findings.c) or the failure rule flag
 * this one allocation?  Leaks and waste are judged at the end, so only
 * sampling (-gN) gives them stacks.
 */
static __always_inline bool finding_candidate(__u64 ptr, __u32 alloc, __u32 gfp, __u8 flags,
					      __u32 tc)
{
	bool irq = flags & (KMS_AF_HARDIRQ | KMS_AF_SOFTIRQ);
	bool atomic = irq || (flags & (KMS_AF_PREEMPT_OFF | KMS_AF_BH_OFF)) ||
		      (tc & KMS_TC_RCU);

	if (!ptr || (gfp & KMS_GFP_ZONES) || alloc > cfg_large_bytes)
		return true;
	if (!kms_gfp_may_sleep(gfp))
		return false;
	if (atomic)
		return true;
	return !irq && kms_gfp_scope_redundant(gfp, tc & KMS_TC_NOFS, tc & KMS_TC_NOIO);
}

static __always_inline __s32 sample_stack(void *ctx, __u32 cpu, bool candidate)
{
	__u32 *tick = &stack_tick[(cpu & (KMS_MAX_CPUS - 1)) * 16];
	long sid;

	if (!cfg_stacks || (cfg_stacks_findings && !candidate) ||
	    (cfg_stacks > 1 && ++*tick % cfg_stacks))
		return KMS_NO_STACK;
	sid = bpf_get_stackid(ctx, &stacks, 0);
	if (sid < 0)
		count(cpu, KMS_CNT_STACK_LOST);
	return sid;
}

/*
 * An allocation as a tracepoint gives it.  `s` is the cache of a
 * kmem_cache_alloc, announced only once the filters let the allocation
 * through; NULL when the byte counts travel inline.  `kc`: ask the slab
 * which cache holds the object (6.13+ kmalloc).
 */
struct alloc_args {
	__u64 call_site;
	__u64 ptr;
	__u32 req;
	__u32 alloc;
	__u32 gfp;
	__u8 type;	/* KMS_REC_KMALLOC or KMS_REC_CACHE_ALLOC */
	__u8 flags;	/* KMS_AF_BYTES_INLINE, or 0 */
	bool kc;
	const struct kmem_cache *s;
};

/* The fields of an allocation record every layout starts with. */
static __always_inline void fill_alloc(struct kms_rec_alloc *r, const struct alloc_args *a,
				       __u8 flags, __u64 id, __u32 cpu, __u32 tc, __u64 cache)
{
	r->hdr.type = a->type;
	r->hdr.flags = flags | (a->ptr ? 0 : KMS_AF_FAILED);
	r->hdr.cpu = cpu;
	r->hdr.tid = (__u32)id;
	r->tgid = id >> 32;
	r->gfp = cfg_task_ctx ? (a->gfp & KMS_GFP_MASK) | tc : a->gfp;
	r->ts = bpf_ktime_get_ns();
	r->ptr = a->ptr;
	r->call_site = a->call_site;
	if (cache) {
		r->u.cache = cache;
	} else {
		r->u.bytes_req = a->req;
		r->u.bytes_alloc = a->alloc;
	}
}

/* ---- pairing (--pair): an allocation held back until its free ------- */

/*
 * docs/design.md, "Pairing in the kernel".  A short-lived object's
 * allocation waits in `held` (struct kms_held) and crosses the ring with
 * its free as one record; what is not freed soon is pushed out by the
 * next allocation hashed to its slot, or read by userspace at the end.
 * The one rule: a free never reaches the collector before its
 * allocation.  Every path that frees (the main programs, their backups,
 * bulk, kfree_rcu batch and sheaf frees, kfree_rcu() calls) looks in the
 * table, and a slot is only ever taken by compare-and-exchange.
 */
const volatile bool cfg_pair = false;

/* A map rather than .bss: one slot unless --pair (the loader), not 576 KiB for nothing. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, KMS_HELD_SLOTS);
	__type(key, __u32);
	__type(value, struct kms_held);
} held SEC(".maps");

/* An array lookup: the verifier inlines it (no helper call). */
static __always_inline struct kms_held *held_slot(__u64 ptr)
{
	__u32 i = (ptr * KMS_HELD_MUL) >> (64 - KMS_HELD_BITS);

	return bpf_map_lookup_elem(&held, &i);
}

static __always_inline __u64 held_ptr(const struct kms_held *h)
{
	return *(volatile const __u64 *)&h->ptr;
}

/*
 * Give the slot up, the record's reads and writes done before.  x86 keeps
 * a store after every earlier load and store (the JIT emits a plain mov),
 * so there a compiler barrier is enough; elsewhere an exchange, a full
 * barrier (BPF has no store-release before 6.15's load-acquire/store-release).
 */
static __always_inline void held_put(struct kms_held *h, __u64 ptr)
{
#ifdef __TARGET_ARCH_x86
	barrier();
	*(volatile __u64 *)&h->ptr = ptr;
#else
	__sync_lock_test_and_set(&h->ptr, ptr);
#endif
}

/*
 * Send the allocation of `old` that h holds, and take h.  The record is
 * reserved before the slot is taken: a free of `old` that finds the slot
 * no longer its own, and so sends its record alone, reserves after this
 * one, and the consumer reads records in the order they were reserved.
 */
static __always_inline bool held_evict(struct kms_held *h, __u64 old, __u32 cpu)
{
	__u8 *r = bpf_ringbuf_reserve(&events, KMS_HELD_REC, 0);

	if (!r)
		return false;
	if (__sync_val_compare_and_swap(&h->ptr, old, KMS_HELD_BUSY) != old) {
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		return false;
	}
	__builtin_memcpy(r, h->rec, KMS_HELD_REC);
	bpf_ringbuf_submit(r, submit_flags(cpu));
	return true;
}

/*
 * Hold a new allocation: its slot empty, or pushing out what it holds.
 * False (the allocation is sent as ever) when another CPU has the slot.
 */
static __always_inline bool held_alloc(const struct alloc_args *a, __u8 flags, __u64 id,
				       __u32 cpu, __u32 tc, __u64 cache, __u64 kcache, __s32 sid)
{
	struct kms_held *h = held_slot(a->ptr);
	struct kms_rec_alloc_stack *r;
	__u64 old;

	if (!h)
		return false;
	r = (struct kms_rec_alloc_stack *)h->rec;
	old = held_ptr(h);
	if (old == KMS_HELD_BUSY)
		return false;
	if (!old) {
		if (__sync_val_compare_and_swap(&h->ptr, 0, KMS_HELD_BUSY))
			return false;
	} else if (!held_evict(h, old, cpu)) {
		return false;
	}
	/* The three layouts share their start; `cache` is at one offset in two. */
	if (sid != KMS_NO_STACK) {
		r->cache = kcache;
		r->stack = sid;
		r->pad = 0;
		flags |= KMS_AF_STACK | (kcache ? KMS_AF_CACHE : 0);
	} else if (kcache) {
		r->cache = kcache;
		flags |= KMS_AF_CACHE;
	}
	fill_alloc(&r->a, a, flags, id, cpu, tc, cache);
	held_put(h, a->ptr);
	return true;
}

/*
 * A free whose allocation `held` has: one record for both, the slot
 * emptied.  False when the slot is not ptr's: the free is sent alone.
 * `flags` are the pair's (the free's, with KMS_PF_CACHE_FREE).
 */
static __always_inline bool held_free(__u32 cpu, __u32 tid, __u64 ptr, __u64 cache, __u8 flags)
{
	struct kms_held *h = held_slot(ptr);
	struct kms_rec_pair *r;

	if (!h || held_ptr(h) != ptr || __sync_val_compare_and_swap(&h->ptr, ptr, KMS_HELD_BUSY) != ptr)
		return false;
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (r) {
		r->hdr.type = KMS_REC_PAIR;
		r->hdr.flags = flags;
		r->hdr.cpu = cpu;
		r->hdr.tid = tid;
		r->ts = bpf_ktime_get_ns();
		r->cache = cache;
		__builtin_memcpy(r->alloc, h->rec, KMS_HELD_REC);
		bpf_ringbuf_submit(r, submit_flags(cpu));
	} else {
		count_n(cpu, KMS_CNT_RB_FAIL, 2);	/* the allocation and its free */
	}
	held_put(h, 0);
	return true;
}

/* kfree_rcu() of a held object: its allocation goes out before the call's record. */
static __always_inline void held_flush(__u32 cpu, __u64 ptr)
{
	struct kms_held *h = held_slot(ptr);

	if (h && held_ptr(h) == ptr && held_evict(h, ptr, cpu))
		held_put(h, 0);
}

/*
 * Common tail of every allocation: filter, remember the pointer when
 * filtering (so its free is sent), announce, reserve, fill.
 */
static __always_inline int emit_alloc(void *ctx, __u32 cpu, const struct alloc_args *a)
{
	__u64 id = bpf_get_current_pid_tgid();
	const struct kmem_cache *s = a->s;
	__u64 ptr = a->ptr;
	__u32 req = a->req, alloc = a->alloc, gfp = a->gfp;
	__u8 flags = a->flags;
	bool kc = a->kc;
	struct kms_rec_kmalloc_cache *rk;
	struct kms_rec_alloc_stack *rs;
	struct kms_rec_alloc *r;
	__u64 kcache = 0, cache = 0;
	__u32 tc = 0;
	__s32 sid;

	if (cfg_self_tgid && (__u32)(id >> 32) == cfg_self_tgid) {
		count(cpu, KMS_CNT_SELF);
		return 0;
	}
	if (cfg_filtering) {
		__u8 one = 1;

		if (!alloc_wanted(id, req)) {
			count(cpu, KMS_CNT_FILTERED);
			return 0;
		}
		if (ptr && bpf_map_update_elem(&tracked, &ptr, &one, BPF_ANY))
			count(cpu, KMS_CNT_TRACK_FULL);
	}
	announce_task(id, cpu);
	if (s)
		cache = announce_cache(s, cpu);
	if (kc)
		kcache = object_cache(ptr, cpu);
	/* The context before the stack: -g findings decides on it. */
	if (cfg_preempt)
		flags |= preempt_flags(cpu);
	else if (cfg_context) {
		struct kms_cpu_ctx *x = &cpu_ctx[cpu & (KMS_MAX_CPUS - 1)];

		if (x->hardirq)
			flags |= KMS_AF_HARDIRQ;
		else if (x->softirq)
			flags |= KMS_AF_SOFTIRQ;
	}
	if (cfg_task_ctx)
		tc = task_ctx();
	sid = sample_stack(ctx, cpu, cfg_stacks_findings &&
			   finding_candidate(ptr, alloc, gfp, flags, tc));
	/* Not a large kmalloc: 6.11+ traces it twice, the collector pairs those. */
	if (cfg_pair && ptr && !(a->type == KMS_REC_KMALLOC && alloc > cfg_large_bytes) &&
	    held_alloc(a, flags, id, cpu, tc, cache, kcache, sid))
		return 0;
	/*
	 * Each layout reserved, filled and submitted on its own path: the 6.1
	 * verifier loses the reference of a reservation whose pointer meets
	 * another's after a branch ("Unreleased reference").
	 */
	if (sid != KMS_NO_STACK) {
		rs = bpf_ringbuf_reserve(&events, sizeof(*rs), 0);
		if (!rs)
			goto lost;
		rs->cache = kcache;
		rs->stack = sid;
		rs->pad = 0;
		flags |= KMS_AF_STACK | (kcache ? KMS_AF_CACHE : 0);
		fill_alloc(&rs->a, a, flags, id, cpu, tc, cache);
		bpf_ringbuf_submit(rs, submit_flags(cpu));
	} else if (kcache) {
		rk = bpf_ringbuf_reserve(&events, sizeof(*rk), 0);
		if (!rk)
			goto lost;
		rk->cache = kcache;
		fill_alloc(&rk->a, a, flags | KMS_AF_CACHE, id, cpu, tc, cache);
		bpf_ringbuf_submit(rk, submit_flags(cpu));
	} else {
		r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
		if (!r)
			goto lost;
		fill_alloc(r, a, flags, id, cpu, tc, cache);
		bpf_ringbuf_submit(r, submit_flags(cpu));
	}
	return 0;
lost:
	count(cpu, KMS_CNT_RB_FAIL);
	return 0;
}

/*
 * Filter, then send one free.  `cache` is the cache id, or 0; or `s` is
 * the cache, announced only once the filters let the free through.
 */
static __always_inline int emit_free_s(__u32 cpu, __u8 type, __u64 ptr, __u64 cache,
				       const struct kmem_cache *s, bool kc, __u8 flags)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct kms_rec_cache_free *r;

	if (ptr <= ZERO_SIZE_PTR) {
		count(cpu, KMS_CNT_FREE_NULL);
		return 0;
	}
	/*
	 * No self filter on frees: one that runs in an interrupt on top of
	 * kmscope (an RCU callback in softirq) carries kmscope's pid but may
	 * free a traced object.  kmscope's own frees arrive as frees of
	 * objects not traced (or, filtering, are not in `tracked`).
	 */
	/*
	 * Only a pointer the map does not hold is untracked: a delete refused
	 * otherwise (6.15+ takes the bucket with a lock that may give up, not
	 * seen so far) still sends the free, and the collector matches it.
	 */
	if (cfg_filtering && bpf_map_delete_elem(&tracked, &ptr) == -KMS_ENOENT) {
		count(cpu, KMS_CNT_FREE_UNTRACKED);
		return 0;
	}
	if (s)
		cache = announce_cache(s, cpu);
	if (kc && cfg_free_cache)
		cache = object_cache(ptr, cpu);
	if (cfg_pair &&
	    held_free(cpu, (__u32)id, ptr, cache,
		      flags | (type == KMS_REC_CACHE_FREE ? KMS_PF_CACHE_FREE :
				cache ? KMS_FF_CACHE : 0)))
		return 0;
	if (type == KMS_REC_CACHE_FREE || cache) {
		r = bpf_ringbuf_reserve(&events, sizeof(struct kms_rec_cache_free), 0);
		flags |= type == KMS_REC_KFREE ? KMS_FF_CACHE : 0;
	} else {
		r = bpf_ringbuf_reserve(&events, sizeof(struct kms_rec_free), 0);
	}
	if (!r) {
		count(cpu, KMS_CNT_RB_FAIL);
		return 0;
	}
	r->hdr.type = type;
	r->hdr.flags = flags;
	r->hdr.cpu = cpu;
	r->hdr.tid = (__u32)id;
	r->ts = bpf_ktime_get_ns();
	r->ptr = ptr;
	if (type == KMS_REC_CACHE_FREE || cache)
		r->cache = cache;
	bpf_ringbuf_submit(r, submit_flags(cpu));
	return 0;
}

static __always_inline int emit_free(__u32 cpu, __u8 type, __u64 ptr, __u64 cache, bool kc)
{
	return emit_free_s(cpu, type, ptr, cache, NULL, kc, 0);
}

/* A kfree record with header flags (kms_rcu_sheaf's KMS_FF_SHEAF). */
static __always_inline int emit_free_flags(__u32 cpu, __u8 type, __u64 ptr, __u8 flags)
{
	return emit_free_s(cpu, type, ptr, 0, NULL, false, flags);
}

/*
 * Recursion backup.  The kernel runs no program twice at once on a CPU
 * (__bpf_trace_run(), __bpf_prog_enter_recur(): prog->active): an event
 * that fires while the same program runs there (a softirq freeing objects
 * on top of it) is counted in its recursion_misses and not delivered.  It
 * still runs the other programs attached to the tracepoint, so a second
 * program, attached after the main one and so run after it, the backup,
 * delivers what the main program was kept from.  Two signals tell it:
 *
 * - a mark, per CPU and main program, set while the main program runs:
 *   set, the main program is running lower on this CPU's stack, which is
 *   exactly when the kernel skips it;
 * - a note of the event the main program was handed, by its ctx (the
 *   arguments on the stack of the tracepoint's dispatch: one address per
 *   event in flight on the CPU), its object and its main program
 *   (note_key()), which the backup takes back: none, the
 *   main program did not run.  This covers an interrupt in the kernel's
 *   own instructions around the program (prog->active already held, the
 *   mark not yet or no longer set): about an eighth of the misses of
 *   the pipe workload here.
 *
 * The backup delivers when the mark is set or it finds no note.  A few
 * notes per CPU, not one: a softirq between the main program and its
 * backup notes and takes back its own events meanwhile, in other slots.
 * A note goes stale when its backup is skipped (an interrupt while the
 * backup runs lower: on the pipe workload here 6,800 backup skips beside
 * 44,000 main-program misses, two thirds of them in the kernel's
 * instructions around the backup, where bk_busy is not set).  Stale notes
 * must not fill the slots: the oldest is reused when all are taken, and a
 * softirq's batch of frees, each leaving a stale note, would push out the
 * live note of the event interrupted, delivering it twice (40 of 50,000
 * misses of that workload before).  So a main program reuses the slot of
 * a note of its own ctx (that event is over: its frame is this one) and
 * leaves no note while its backup runs lower (bk_busy).  The first backup
 * run on a CPU once all backups are attached forgets the notes of before.
 * Not recovered, and so counted as unseen by userspace: an event whose
 * backup is running lower too (three levels: task, softirq and hardirq,
 * each in one of them), or that an interrupt's event takes for its own by
 * a stale note of the same address, main program and object while the
 * mark is down.
 */
static __always_inline __u64 *busy_of(__u32 cpu, enum kms_main m)
{
	return &busy[(cpu & (KMS_MAX_CPUS - 1)) * KMS_BUSY_STRIDE + (m & (KMS_BUSY_STRIDE - 1))];
}

static __always_inline __u64 *handed_of(__u32 cpu)
{
	return &handed[(cpu & (KMS_MAX_CPUS - 1)) * KMS_HANDED_STRIDE];
}

static __always_inline __u8 *bk_busy_of(__u32 cpu, enum kms_main m)
{
	return &bk_busy[(cpu & (KMS_MAX_CPUS - 1)) * KMS_BUSY_STRIDE +
			     (m & (KMS_BUSY_STRIDE - 1))];
}

/*
 * Tests: is this one of the events the main programs leave to the backups?
 * Only once the backups are attached (after the main programs) and have
 * run on this CPU, and not while one delivers here: the test counts what
 * the mechanism loses, not the attach.
 */
static __always_inline bool test_skip(__u64 *ctx, __u32 cpu, enum kms_main m)
{
	__u64 ptr;
	int i;

	if (!cfg_test_skip || !test_backup_up[m & (KMS_BUSY_STRIDE - 1)] || test_stop ||
	    !handed_of(cpu)[KMS_HANDED + 1] || *bk_busy_of(cpu, m))
		return false;
	ptr = arg_ptr(ctx);
	if (!ptr || ((ptr * 0x9E3779B97F4A7C15ULL) >> 40) % cfg_test_skip)
		return false;
	/*
	 * A stale note of this address (a real skip of its backup) would
	 * take the event for the main program's: no real skip happens here.
	 */
#pragma unroll
	for (i = 0; i < KMS_HANDED; i++)
		if (handed_of(cpu)[i] == (__u64)ctx)
			handed_of(cpu)[i] = 0;
	__sync_fetch_and_add(&test_skips[(cpu & (KMS_MAX_CPUS - 1)) * 8], 1);
	return true;
}

/*
 * What a note says besides ctx: the event's pointer argument and its main
 * program.  A stale note (its backup was skipped) shares its ctx with any
 * later event at the same depth of the same stack, often the next free of
 * the same softirq loop; with the key it only matches the same program
 * handed the same object there again.
 */
static __always_inline __u64 note_key(__u64 *ctx, enum kms_main m)
{
	return arg_ptr(ctx) ^ ((__u64)m << KMS_NOTE_MAIN_SHIFT);
}

/* Does a backup stand behind main program m?  (m is a constant: pruned at load.) */
static __always_inline bool backed_up(enum kms_main m)
{
	return cfg_backup && (m >= KMS_MAIN_KFREE || cfg_backup_allocs);
}

/* A main program starts: false when the test knob leaves this event. */
static __always_inline bool main_enter(__u64 *ctx, enum kms_main m)
{
	__u32 cpu = this_cpu();
	__u64 *h = handed_of(cpu);
	__u64 key;
	int i, oldest;

	if (!backed_up(m))
		return true;
	if (test_skip(ctx, cpu, m))
		return false;
	*busy_of(cpu, m) = 1;
	/*
	 * The backup of this event will be skipped: a note would only go
	 * stale and, once the slots are full, push out the one the backup
	 * running lower is about to take back.
	 */
	if (*bk_busy_of(cpu, m))
		return true;
	key = note_key(ctx, m);
	/*
	 * A free slot, or one noting this ctx: that event is over, its frame
	 * is this event's now (its backup was skipped).  The notes of the
	 * events a softirq runs meanwhile stay apart.
	 */
#pragma unroll
	for (i = 0; i < KMS_HANDED; i++) {
		if (!h[i] || h[i] == (__u64)ctx) {
			h[i] = (__u64)ctx;
			h[KMS_HANDED_KEY + i] = key;
			h[KMS_HANDED_SEQ + i] = h[KMS_HANDED]++;
			return true;
		}
	}
	/* None: the oldest, stale (a live note is newer than those). */
	oldest = 0;
#pragma unroll
	for (i = 1; i < KMS_HANDED; i++)
		if (h[KMS_HANDED_SEQ + i] < h[KMS_HANDED_SEQ + oldest])
			oldest = i;
	oldest &= KMS_HANDED - 1;
	h[oldest] = (__u64)ctx;
	h[KMS_HANDED_KEY + oldest] = key;
	h[KMS_HANDED_SEQ + oldest] = h[KMS_HANDED]++;
	return true;
}

static __always_inline void main_exit(enum kms_main m)
{
	if (backed_up(m))
		*busy_of(this_cpu(), m) = 0;
}

/*
 * Does the backup deliver this event: did the kernel keep it from the main
 * program?  main_up false: the main program is not attached yet, the
 * backup delivers in its place and nothing counts as recovered.
 */
static __always_inline bool backup_wanted_up(__u64 *ctx, enum kms_main m, bool main_up)
{
	__u32 cpu = this_cpu();
	__u64 *h = handed_of(cpu);
	__u64 key = note_key(ctx, m);
	bool found = false;
	int i;

	if (cfg_test_skip && !test_backup_up[m & (KMS_BUSY_STRIDE - 1)])
		test_backup_up[m & (KMS_BUSY_STRIDE - 1)] = 1;
#pragma unroll
	for (i = 0; i < KMS_HANDED; i++) {
		if (h[i] == (__u64)ctx && h[KMS_HANDED_KEY + i] == key) {
			h[i] = 0;
			found = true;
			break;
		}
	}
	/*
	 * The first backup run on this CPU once all are attached: forget the
	 * notes of main programs whose backup was not yet there.
	 */
	if (!h[KMS_HANDED + 1] && backups_ready) {
#pragma unroll
		for (i = 0; i < KMS_HANDED; i++)
			h[i] = 0;
		h[KMS_HANDED + 1] = h[KMS_HANDED] + 1;
	}
	if (found && !*busy_of(cpu, m))
		return false;
	if (main_up && (!mains_going || *busy_of(cpu, m)))
		count(cpu, KMS_CNT_RECOVERED);
	return true;
}

static __always_inline bool backup_wanted(__u64 *ctx, enum kms_main m)
{
	return backup_wanted_up(ctx, m, true);
}

/* A backup running: see bk_busy. */
static __always_inline void backup_busy(enum kms_main m, bool on)
{
	*bk_busy_of(this_cpu(), m) = on;
}

/* ---- tp_btf programs ------------------------------------------------- */

/*
 * Preempt-count snapshots.  They come first in this file so they are
 * attached, and therefore run, before the allocation programs on the same
 * tracepoint, in the same context.
 */
static __always_inline int snap_preempt(void)
{
	__u32 cpu = this_cpu();
	const int *pc = NULL;

	if (&__preempt_count)
		pc = bpf_this_cpu_ptr(&__preempt_count);
	else if (&pcpu_hot)
		pc = &((const struct pcpu_hot___x *)bpf_this_cpu_ptr(&pcpu_hot))->preempt_count;
	if (pc)
		pc_snap[(cpu & (KMS_MAX_CPUS - 1)) * 16] = *pc;
	return 0;
}

SEC("tp_btf/kmalloc")
int kms_pc_kmalloc(__u64 *ctx)
{
	return snap_preempt();
}

SEC("tp_btf/kmem_cache_alloc")
int kms_pc_cache_alloc(__u64 *ctx)
{
	return snap_preempt();
}

/*
 * kmalloc(call_site, ptr, bytes_req, bytes_alloc, gfp[, node]): all
 * versions.  `hit`: the program's word (count_hit()), KMS_HIT_BACKUP for
 * a backup.
 */
static __always_inline int on_kmalloc(__u64 *ctx, bool kc, enum kms_hit hit)
{
	__u32 cpu = this_cpu();

	struct alloc_args a = { .type = KMS_REC_KMALLOC, .call_site = ctx[0], .ptr = arg_ptr(ctx),
				.req = ctx[2], .alloc = ctx[3], .gfp = (__u32)ctx[4], .kc = kc };

	count_hit(cpu, hit, KMS_CNT_SEEN_KMALLOC);
	return emit_alloc(ctx, cpu, &a);
}

SEC("tp_btf/kmalloc")
int kms_kmalloc(__u64 *ctx)
{
	if (main_enter(ctx, KMS_MAIN_KMALLOC)) {
		on_kmalloc(ctx, false, KMS_HIT_KMALLOC);
		main_exit(KMS_MAIN_KMALLOC);
	}
	return 0;
}

/* The same, naming the object's cache (6.13+). */
SEC("tp_btf/kmalloc")
int kms_kmalloc_kc(__u64 *ctx)
{
	if (main_enter(ctx, KMS_MAIN_KMALLOC)) {
		on_kmalloc(ctx, true, KMS_HIT_KMALLOC);
		main_exit(KMS_MAIN_KMALLOC);
	}
	return 0;
}

/* 5.15 only; the loader disables it where the tracepoint is gone. */
SEC("tp_btf/kmalloc_node")
int kms_kmalloc_node(__u64 *ctx)
{
	if (main_enter(ctx, KMS_MAIN_KMALLOC_NODE)) {
		on_kmalloc(ctx, false, KMS_HIT_KMALLOC_NODE);
		main_exit(KMS_MAIN_KMALLOC_NODE);
	}
	return 0;
}

static __always_inline int on_cache_alloc(__u64 *ctx, enum kms_hit hit)
{
	__u32 cpu = this_cpu();
	struct alloc_args a = { .type = KMS_REC_CACHE_ALLOC, .call_site = ctx[0],
				.ptr = arg_ptr(ctx) };
	struct kmem_cache *s;

	count_hit(cpu, hit, KMS_CNT_SEEN_CACHE_ALLOC);
	if (!has_kmem_cache_alloc_class()) {	/* 5.15: sizes, no cache */
		a.flags = KMS_AF_BYTES_INLINE;
		a.req = ctx[2];
		a.alloc = ctx[3];
		a.gfp = (__u32)ctx[4];
		return emit_alloc(ctx, cpu, &a);
	}
	/* A direct read: the verifier knows ctx[2] for a struct kmem_cache *. */
	s = (struct kmem_cache *)ctx[2];
	a.req = s->object_size;
	a.gfp = (__u32)ctx[3];
	a.s = s;
	return emit_alloc(ctx, cpu, &a);
}

SEC("tp_btf/kmem_cache_alloc")
int kms_cache_alloc(__u64 *ctx)
{
	if (main_enter(ctx, KMS_MAIN_CACHE_ALLOC)) {
		on_cache_alloc(ctx, KMS_HIT_CACHE_ALLOC);
		main_exit(KMS_MAIN_CACHE_ALLOC);
	}
	return 0;
}

SEC("tp_btf/kmem_cache_alloc_node")
int kms_cache_alloc_node(__u64 *ctx)
{
	if (main_enter(ctx, KMS_MAIN_CACHE_ALLOC_NODE)) {
		on_cache_alloc(ctx, KMS_HIT_CACHE_ALLOC_NODE);
		main_exit(KMS_MAIN_CACHE_ALLOC_NODE);
	}
	return 0;
}

static __always_inline int on_kfree(__u64 *ctx, bool kc, enum kms_hit hit)
{
	__u32 cpu = this_cpu();

	count_hit(cpu, hit, KMS_CNT_SEEN_KFREE);
	return emit_free(cpu, KMS_REC_KFREE, arg_ptr(ctx), 0, kc);
}

SEC("tp_btf/kfree")
int kms_kfree(__u64 *ctx)
{
	if (main_enter(ctx, KMS_MAIN_KFREE)) {
		on_kfree(ctx, false, KMS_HIT_KFREE);
		main_exit(KMS_MAIN_KFREE);
	}
	return 0;
}

/* The same, naming the object's cache when cfg_free_cache (6.13+). */
SEC("tp_btf/kfree")
int kms_kfree_kc(__u64 *ctx)
{
	if (main_enter(ctx, KMS_MAIN_KFREE)) {
		on_kfree(ctx, true, KMS_HIT_KFREE);
		main_exit(KMS_MAIN_KFREE);
	}
	return 0;
}

static __always_inline int on_cache_free(__u64 *ctx, enum kms_hit hit)
{
	__u32 cpu = this_cpu();
	__u64 ptr = arg_ptr(ctx);

	count_hit(cpu, hit, KMS_CNT_SEEN_CACHE_FREE);
	if (!has_kmem_cache_alloc_class())	/* 5.15: arg 2 is the name */
		return emit_free(cpu, KMS_REC_CACHE_FREE, ptr, ctx[2], false);
	return emit_free_s(cpu, KMS_REC_CACHE_FREE, ptr, 0, (struct kmem_cache *)ctx[2], false,
			   0);
}

SEC("tp_btf/kmem_cache_free")
int kms_cache_free(__u64 *ctx)
{
	if (main_enter(ctx, KMS_MAIN_CACHE_FREE)) {
		on_cache_free(ctx, KMS_HIT_CACHE_FREE);
		main_exit(KMS_MAIN_CACHE_FREE);
	}
	return 0;
}

/*
 * The backups (main_enter()): after the main programs in this file, so
 * that they are attached, and run, after them on each event.
 */
SEC("tp_btf/kmalloc")
int kms_bk_kmalloc(__u64 *ctx)
{
	backup_busy(KMS_MAIN_KMALLOC, true);
	if (backup_wanted(ctx, KMS_MAIN_KMALLOC))
		on_kmalloc(ctx, false, KMS_HIT_BACKUP);
	backup_busy(KMS_MAIN_KMALLOC, false);
	return 0;
}

SEC("tp_btf/kmalloc")
int kms_bk_kmalloc_kc(__u64 *ctx)
{
	backup_busy(KMS_MAIN_KMALLOC, true);
	if (backup_wanted(ctx, KMS_MAIN_KMALLOC))
		on_kmalloc(ctx, true, KMS_HIT_BACKUP);
	backup_busy(KMS_MAIN_KMALLOC, false);
	return 0;
}

SEC("tp_btf/kmalloc_node")
int kms_bk_kmalloc_node(__u64 *ctx)
{
	backup_busy(KMS_MAIN_KMALLOC_NODE, true);
	if (backup_wanted(ctx, KMS_MAIN_KMALLOC_NODE))
		on_kmalloc(ctx, false, KMS_HIT_BACKUP);
	backup_busy(KMS_MAIN_KMALLOC_NODE, false);
	return 0;
}

SEC("tp_btf/kmem_cache_alloc")
int kms_bk_cache_alloc(__u64 *ctx)
{
	backup_busy(KMS_MAIN_CACHE_ALLOC, true);
	if (backup_wanted(ctx, KMS_MAIN_CACHE_ALLOC))
		on_cache_alloc(ctx, KMS_HIT_BACKUP);
	backup_busy(KMS_MAIN_CACHE_ALLOC, false);
	return 0;
}

SEC("tp_btf/kmem_cache_alloc_node")
int kms_bk_cache_alloc_node(__u64 *ctx)
{
	backup_busy(KMS_MAIN_CACHE_ALLOC_NODE, true);
	if (backup_wanted(ctx, KMS_MAIN_CACHE_ALLOC_NODE))
		on_cache_alloc(ctx, KMS_HIT_BACKUP);
	backup_busy(KMS_MAIN_CACHE_ALLOC_NODE, false);
	return 0;
}

SEC("tp_btf/kfree")
int kms_bk_kfree(__u64 *ctx)
{
	backup_busy(KMS_MAIN_KFREE, true);
	if (backup_wanted(ctx, KMS_MAIN_KFREE))
		on_kfree(ctx, false, KMS_HIT_BACKUP);
	backup_busy(KMS_MAIN_KFREE, false);
	return 0;
}

SEC("tp_btf/kfree")
int kms_bk_kfree_kc(__u64 *ctx)
{
	backup_busy(KMS_MAIN_KFREE, true);
	if (backup_wanted(ctx, KMS_MAIN_KFREE))
		on_kfree(ctx, true, KMS_HIT_BACKUP);
	backup_busy(KMS_MAIN_KFREE, false);
	return 0;
}

SEC("tp_btf/kmem_cache_free")
int kms_bk_cache_free(__u64 *ctx)
{
	backup_busy(KMS_MAIN_CACHE_FREE, true);
	if (backup_wanted(ctx, KMS_MAIN_CACHE_FREE))
		on_cache_free(ctx, KMS_HIT_BACKUP);
	backup_busy(KMS_MAIN_CACHE_FREE, false);
	return 0;
}

/*
 * kfree_rcu batches are freed by kfree_bulk(), which emits no kfree event;
 * with CONFIG_RCU_TRACE the batch's pointers are passed to this tracepoint
 * (kvfree_rcu_bulk(): rcuname, nr_records, records[]).  Each becomes a
 * kfree record.  A batch holds at most a page of pointers (~510 on 4K
 * pages); KMS_RCU_BULK_MAX bounds the loop and anything beyond it is
 * counted as lost.  The loader attaches this only where BTF has the
 * tracepoint (not on this machine's 6.18 nor on Debian's 6.1/6.12).
 */
#define KMS_RCU_BULK_MAX 512

SEC("tp_btf/rcu_invoke_kfree_bulk_callback")
int kms_rcu_bulk(__u64 *ctx)
{
	__u32 cpu = this_cpu();
	__u64 nr = ctx[1], ptr;
	void **recs = NULL;
	void *c = ctx;
	int i;

	/*
	 * Not ctx[2]: the verifier refuses a direct load of a void ** argument
	 * (btf_ctx_access() lets through pointers to void, int or a struct only:
	 * "arg2 type PTR is not a struct"), and a refused program fails the whole
	 * tp_btf skeleton.  Read it like arg_ptr() does.  Checked on a 6.12 with
	 * CONFIG_RCU_TRACE=y (tests/vm/rcu-run.sh).
	 */
	barrier_var(c);
	if (bpf_probe_read_kernel(&recs, sizeof(recs), c + 16))
		return 0;
	for (i = 0; i < KMS_RCU_BULK_MAX; i++) {
		if (i >= nr)
			break;
		count(cpu, KMS_CNT_SEEN_RCU_FREE);
		if (bpf_probe_read_kernel(&ptr, sizeof(ptr), &recs[i]))
			continue;
		/* No kfunc here: this program also runs on kernels before 6.13. */
		emit_free(cpu, KMS_REC_KFREE, ptr, 0, false);
	}
	/* Seen and lost, so that seen = received + ... + lost still adds up. */
	if (nr > KMS_RCU_BULK_MAX) {
		count_n(cpu, KMS_CNT_SEEN_RCU_FREE, nr - KMS_RCU_BULK_MAX);
		count_n(cpu, KMS_CNT_RB_FAIL, nr - KMS_RCU_BULK_MAX);
	}
	return 0;
}

/* ---- frees without a kmem event: kmem_cache_free_bulk() ------------- */

/*
 * kmem_cache_free_bulk(s, size, p) frees an array of objects without a
 * kmem event [6.1] [6.12] (docs/slub.md 2.5).  kfree_bulk() is an inline
 * kmem_cache_free_bulk(NULL, ...), and kvfree_rcu_bulk() frees kfree_rcu
 * batches with it, so one program sees bulk frees and kfree_rcu batches.
 * At entry the array is intact (build_detached_freelist() clears its slots
 * later).  Each pointer becomes a free record like kfree's; KMS_BULK_MAX
 * bounds the loop and what exceeds it is counted as lost.  The loader
 * loads the fentry program where the kernel lets it attach, else the
 * kprobe where kprobes exist, else neither (this machine's 6.18), and
 * never together with kms_rcu_bulk, whose batches pass here too.
 */
#define KMS_BULK_MAX 512

static __always_inline int on_free_bulk(__u64 nr, void **p)
{
	__u32 cpu = this_cpu();
	__u64 ptr;
	int i;

	for (i = 0; i < KMS_BULK_MAX; i++) {
		if (i >= nr)
			break;
		count(cpu, KMS_CNT_SEEN_RCU_FREE);
		if (bpf_probe_read_kernel(&ptr, sizeof(ptr), &p[i]))
			continue;
		/*
		 * A kfree record, no cache: the allocation names it, and no
		 * cache is announced for a free the filters may drop.  No
		 * kfunc: kernels before 6.13 would refuse the program.
		 */
		emit_free(cpu, KMS_REC_KFREE, ptr, 0, false);
	}
	/* Seen and lost, so that seen = received + ... + lost still adds up. */
	if (nr > KMS_BULK_MAX) {
		struct kms_cpu_counters *k = &counters[cpu & (KMS_MAX_CPUS - 1)];

		__sync_fetch_and_add(&k->c[KMS_CNT_SEEN_RCU_FREE], nr - KMS_BULK_MAX);
		__sync_fetch_and_add(&k->c[KMS_CNT_RB_FAIL], nr - KMS_BULK_MAX);
	}
	return 0;
}

/*
 * The array is read like kms_rcu_bulk reads its own: the verifier refuses
 * a direct load of a void ** argument ("arg2 type PTR is not a struct").
 */
static __always_inline int on_free_bulk_fentry(__u64 *ctx)
{
	void **p = NULL;
	void *c = ctx;

	barrier_var(c);
	if (bpf_probe_read_kernel(&p, sizeof(p), c + 16))
		return 0;
	return on_free_bulk(ctx[1], p);
}

/*
 * A bulk free in a softirq on top of this program (lib/maple_tree.c's
 * mt_free_walk() RCU callback over a kfree_rcu batch or a process's
 * exit_mmap()) is skipped by the kernel like a tracepoint's: the same
 * mark (main_enter()) lets kms_bk_free_bulk deliver it.
 */
SEC("fentry/kmem_cache_free_bulk")
int kms_free_bulk(__u64 *ctx)
{
	if (main_enter(ctx, KMS_MAIN_FREE_BULK)) {
		on_free_bulk_fentry(ctx);
		main_exit(KMS_MAIN_FREE_BULK);
	}
	return 0;
}

/*
 * A trampoline runs the program attached last first
 * (bpf_trampoline_link_prog(): hlist_add_head), so the loader attaches
 * this backup before kms_free_bulk, and it must run after it.
 */
SEC("fentry/kmem_cache_free_bulk")
int kms_bk_free_bulk(__u64 *ctx)
{
	backup_busy(KMS_MAIN_FREE_BULK, true);
	if (backup_wanted_up(ctx, KMS_MAIN_FREE_BULK, bulk_main_up))
		on_free_bulk_fentry(ctx);
	backup_busy(KMS_MAIN_FREE_BULK, false);
	return 0;
}

/*
 * No backup here: a kprobe program is not run while any kprobe program
 * runs on the CPU (trace_call_bpf(): bpf_prog_active), a second one no
 * more than the first.  6.12 counts these misses, 6.1 does not.
 */
SEC("kprobe/kmem_cache_free_bulk")
int BPF_KPROBE(kms_free_bulk_kp, struct kmem_cache *s, size_t size, void **p)
{
	return on_free_bulk(size, p);
}

/* ---- kfree_rcu(): the owner's free, a grace period before the allocator's ---- */

/*
 * kvfree_call_rcu(head, ptr) from 6.3; before, (head, func) with func the
 * offset of head in the object, or the object itself when head is NULL
 * (kernel/rcu/tree.c, 6.1).  The loader says which from BTF.
 */
const volatile bool cfg_rcu_call_ptr = false;

/*
 * The object's owner is done with it: a KMS_REC_RCU_CALL record, so that
 * the collector takes the object's lifetime here and knows its memory
 * waits for a grace period.  The free that gives it back to the allocator
 * (kfree_bulk() of a batch, a sheaf, or a plain kfree) comes later, and
 * finds the object still tracked: filtering, `tracked` is only looked at.
 */
static __always_inline int on_rcu_call(__u64 head, __u64 arg)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ptr = cfg_rcu_call_ptr || !head ? arg : head - arg;
	__u32 cpu = this_cpu();
	struct kms_rec_free *r;

	count(cpu, KMS_CNT_SEEN_RCU_CALL);
	if (ptr <= ZERO_SIZE_PTR) {
		count(cpu, KMS_CNT_FREE_NULL);
		return 0;
	}
	if (cfg_filtering && !bpf_map_lookup_elem(&tracked, &ptr)) {
		count(cpu, KMS_CNT_FREE_UNTRACKED);
		return 0;
	}
	if (cfg_pair)
		held_flush(cpu, ptr);
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count(cpu, KMS_CNT_RB_FAIL);
		return 0;
	}
	r->hdr.type = KMS_REC_RCU_CALL;
	r->hdr.flags = 0;
	r->hdr.cpu = cpu;
	r->hdr.tid = (__u32)id;
	r->ts = bpf_ktime_get_ns();
	r->ptr = ptr;
	bpf_ringbuf_submit(r, submit_flags(cpu));
	return 0;
}

/* Both arguments read like arg_ptr() reads its own: 6.1's func is a function pointer. */
SEC("fentry/kvfree_call_rcu")
int kms_rcu_call(__u64 *ctx)
{
	__u64 head = 0, arg = 0;
	void *c = ctx;

	barrier_var(c);
	if (bpf_probe_read_kernel(&head, sizeof(head), c) ||
	    bpf_probe_read_kernel(&arg, sizeof(arg), c + 8))
		return 0;
	return on_rcu_call(head, arg);
}

SEC("kprobe/kvfree_call_rcu")
int BPF_KPROBE(kms_rcu_call_kp, void *head, void *arg)
{
	return on_rcu_call((__u64)head, (__u64)arg);
}

/* ---- frees without a kmem event: kfree_rcu() into a sheaf (6.18+) ---- */

/*
 * From 6.18 kvfree_call_rcu() first offers the object to its cache's
 * per-CPU rcu_free sheaf (caches made with a sheaf_capacity: maple_node,
 * vm_area_struct); __kfree_rcu_sheaf() returns true when it took it, and
 * after a grace period rcu_free_sheaf() hands the whole sheaf back for
 * reuse, with no kmem event for any of its objects (docs/slub.md 2.5).
 * The object is freed for its owner when kfree_rcu() takes it, so that is
 * when the free record goes out; the address cannot come back before the
 * grace period.  fexit: only the objects the sheaf took (the others go on
 * to the batches, which kms_free_bulk sees).  Loaded with kms_free_bulk's
 * fentry, where the kernel has the function.
 */
SEC("fexit/__kfree_rcu_sheaf")
int kms_rcu_sheaf(__u64 *ctx)
{
	__u32 cpu = this_cpu();

	/* bool: only the low byte of the return register is defined. */
	if (!(__u8)ctx[2])
		return 0;
	count(cpu, KMS_CNT_SEEN_SHEAF_FREE);
	return emit_free_flags(cpu, KMS_REC_KFREE, ctx[1], KMS_FF_SHEAF);
}

/* ---- execution context ---------------------------------------------- */

/*
 * The exit programs come first in this file so that they are attached
 * first (the skeleton attaches in program order): an entry seen before its
 * exit program was attached would leave the CPU marked in an interrupt
 * for good.  Attached mid-interrupt, an exit can come without its entry:
 * the counts never go below 0.
 */
SEC("tp_btf/irq_handler_exit")
int kms_irq_exit(__u64 *ctx)
{
	struct kms_cpu_ctx *x = &cpu_ctx[this_cpu() & (KMS_MAX_CPUS - 1)];

	if (x->hardirq)
		x->hardirq--;
	return 0;
}

SEC("tp_btf/softirq_exit")
int kms_softirq_exit(__u64 *ctx)
{
	struct kms_cpu_ctx *x = &cpu_ctx[this_cpu() & (KMS_MAX_CPUS - 1)];

	if (x->softirq)
		x->softirq--;
	return 0;
}

/* The exit first, as above; only a hard timer's entry counted. */
SEC("tp_btf/hrtimer_expire_exit")
int kms_hrtimer_exit(__u64 *ctx)
{
	struct kms_cpu_ctx *x = &cpu_ctx[this_cpu() & (KMS_MAX_CPUS - 1)];

	if (x->hrtimer) {
		x->hrtimer = 0;
		if (x->hardirq)
			x->hardirq--;
	}
	return 0;
}

/*
 * Hard hrtimer callbacks (HRTIMER_MODE_*_HARD, and every timer on kernels
 * without soft ones) run in hard interrupt context from the local timer
 * interrupt, which is no device irq: without this they would look like
 * task context.  They run with interrupts disabled, so they never nest
 * on one CPU.  Soft ones run in the hrtimer softirq, already counted.
 */
SEC("tp_btf/hrtimer_expire_entry")
int BPF_PROG(kms_hrtimer_entry, struct hrtimer *timer)
{
	struct kms_cpu_ctx *x = &cpu_ctx[this_cpu() & (KMS_MAX_CPUS - 1)];

	if (!x->hrtimer && BPF_CORE_READ(timer, is_hard)) {
		x->hrtimer = 1;
		x->hardirq++;
	}
	return 0;
}

SEC("tp_btf/irq_handler_entry")
int kms_irq_entry(__u64 *ctx)
{
	cpu_ctx[this_cpu() & (KMS_MAX_CPUS - 1)].hardirq++;
	return 0;
}

SEC("tp_btf/softirq_entry")
int kms_softirq_entry(__u64 *ctx)
{
	cpu_ctx[this_cpu() & (KMS_MAX_CPUS - 1)].softirq++;
	return 0;
}

/* Follow the traced command's process tree. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(kms_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (ptgid != ctgid && bpf_map_lookup_elem(&followed, &ptgid))
		bpf_map_update_elem(&followed, &ctgid, &one, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(kms_exit, struct task_struct *p)
{
	__u32 pid = BPF_CORE_READ(p, pid);
	__u32 tgid = BPF_CORE_READ(p, tgid);

	if (pid == tgid)
		bpf_map_delete_elem(&followed, &tgid);
	/* Its tid may be reused by a task of another cgroup and comm. */
	task_seen[pid & (KMS_TASK_SLOTS - 1)] = 0;
	return 0;
}

/*
 * A task moved to another cgroup (fired once for a whole thread group,
 * after the move): every task is announced again, with its cgroup.
 */
SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(kms_cgroup_attach)
{
	__sync_fetch_and_add(&cgroup_gen, 1);
	return 0;
}

SEC("tracepoint/cgroup/cgroup_attach_task")
int kms_tp_cgroup_attach(void *ctx)
{
	__sync_fetch_and_add(&cgroup_gen, 1);
	return 0;
}

/* A new program image: forget the tid's comm so the next event re-announces. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(kms_exec, struct task_struct *p)
{
	__u32 tid = BPF_CORE_READ(p, pid);

	task_seen[tid & (KMS_TASK_SLOTS - 1)] = 0;
	return 0;
}

/* ---- classic tracepoint programs (fallback) -------------------------- */

/*
 * Each ctx field is read exactly once into a local: clang 14 otherwise
 * rematerialises ctx + offset and the verifier rejects the modified ctx
 * pointer (docs/kernels.md).
 */
/*
 * The fields every classic allocation event has, whatever its record's
 * type (a macro: each type is its own CO-RE relocation).
 */
#define READ_ALLOC_FIELDS(e, a)						\
	do {								\
		(a)->call_site = BPF_CORE_READ(e, call_site);		\
		(a)->ptr = (__u64)BPF_CORE_READ(e, ptr);		\
		(a)->req = BPF_CORE_READ(e, bytes_req);			\
		(a)->alloc = BPF_CORE_READ(e, bytes_alloc);		\
		(a)->gfp = BPF_CORE_READ(e, gfp_flags);			\
	} while (0)

SEC("tracepoint/kmem/kmalloc")
int kms_tp_kmalloc(void *ctx)
{
	struct alloc_args a = { .type = KMS_REC_KMALLOC };
	__u32 cpu = this_cpu();

	count_hit(cpu, KMS_HIT_KMALLOC, KMS_CNT_SEEN_KMALLOC);
	if (has_kmalloc_class())
		READ_ALLOC_FIELDS((struct trace_event_raw_kmalloc___x *)ctx, &a);
	else
		READ_ALLOC_FIELDS((struct trace_event_raw_kmem_alloc___x *)ctx, &a);
	return emit_alloc(ctx, cpu, &a);
}

SEC("tracepoint/kmem/kmem_cache_alloc")
int kms_tp_cache_alloc(void *ctx)
{
	struct alloc_args a = { .type = KMS_REC_CACHE_ALLOC, .flags = KMS_AF_BYTES_INLINE };
	__u32 cpu = this_cpu();

	count_hit(cpu, KMS_HIT_CACHE_ALLOC, KMS_CNT_SEEN_CACHE_ALLOC);
	if (has_kmem_cache_alloc_class())
		READ_ALLOC_FIELDS((struct trace_event_raw_kmem_cache_alloc___x *)ctx, &a);
	else
		READ_ALLOC_FIELDS((struct trace_event_raw_kmem_alloc___x *)ctx, &a);
	return emit_alloc(ctx, cpu, &a);
}

SEC("tracepoint/kmem/kfree")
int kms_tp_kfree(void *ctx)
{
	struct trace_event_raw_kfree___x *e = ctx;
	__u64 ptr = (__u64)BPF_CORE_READ(e, ptr);
	__u32 cpu = this_cpu();

	count_hit(cpu, KMS_HIT_KFREE, KMS_CNT_SEEN_KFREE);
	return emit_free(cpu, KMS_REC_KFREE, ptr, 0, false);
}

SEC("tracepoint/kmem/kmem_cache_free")
int kms_tp_cache_free(void *ctx)
{
	struct trace_event_raw_kmem_cache_free___x *e = ctx;
	__u64 ptr = (__u64)BPF_CORE_READ(e, ptr);
	__u32 cpu = this_cpu();

	count_hit(cpu, KMS_HIT_CACHE_FREE, KMS_CNT_SEEN_CACHE_FREE);
	return emit_free(cpu, KMS_REC_CACHE_FREE, ptr, 0, false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
