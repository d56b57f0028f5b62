// SPDX-License-Identifier: GPL-2.0
/*
 * floor.bpf.c - the cost floor for `make bench`, and what costs what above
 * it.  The floor: tp_btf programs on the four kmem tracepoints kmscope
 * traces, doing nothing; what a tracer costs above this is its own work,
 * this is what the kernel charges for running any program there.
 *
 * Beside them, the lab programs (`bench/run.sh BUILD pairing`), one mode
 * each, to measure the parts of a tracer's per-event cost and the
 * alternative of pairing allocations with their frees in the kernel
 * (docs/performance.md, "Pairing in the kernel, measured"):
 *
 *   LAB_KTIME        one bpf_ktime_get_ns() per event, nothing else
 *   LAB_STREAM       a 48-byte timestamped record per event into a ring
 *   LAB_STREAM_NOTS  the same without the timestamp
 *   LAB_PAIR_HASH    an allocation enters a BPF hash table; a free that
 *                    finds it folds the pair into per-CPU hash aggregates
 *                    (site, size, lifetime bucket) and deletes it; what
 *                    does not pair is streamed
 *   LAB_PAIR_CPU     the same with per-CPU direct-mapped arrays: a slot per
 *                    pointer hash and per aggregate key, no lock; a
 *                    replaced slot or aggregate is streamed
 *
 * bench/floor.c loads either the floor or the lab programs, never both.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/kmalloc")
int floor_kmalloc(__u64 *ctx)
{
	return 0;
}

SEC("tp_btf/kmem_cache_alloc")
int floor_cache_alloc(__u64 *ctx)
{
	return 0;
}

SEC("tp_btf/kfree")
int floor_kfree(__u64 *ctx)
{
	return 0;
}

SEC("tp_btf/kmem_cache_free")
int floor_cache_free(__u64 *ctx)
{
	return 0;
}

/* ---- the lab ---------------------------------------------------------- */

enum lab_mode {
	LAB_KTIME = 1,
	LAB_STREAM,
	LAB_STREAM_NOTS,
	LAB_PAIR_HASH,
	LAB_PAIR_CPU,
};

#define LAB_RING_SIZE	(16 << 20)	/* kmscope's default ring */
#define LAB_PENDING	65536		/* allocations awaiting their free */
#define LAB_AGGS	16384
#define LAB_SLOT_BITS	12		/* per-CPU pending slots: 4096 */
#define LAB_AGG_BITS	10		/* per-CPU aggregate slots: 1024 */
#define LAB_HASH_MUL	0x9e3779b97f4a7c15ull

const volatile int lab_mode;

/* Never true: keeps the compiler from dropping a timestamp nobody reads. */
__u64 lab_never;

/* Pairs folded, per CPU: a shared counter would bounce between CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lab_paired SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, LAB_RING_SIZE);
} lab_ring SEC(".maps");

/* As large as kmscope's allocation record. */
struct lab_rec {
	__u64 hdr, task, ts, ptr, site, sizes;
};

struct lab_pending {
	__u64 ts, site;
	__u32 req, alloc;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LAB_PENDING);
	__type(key, __u64);
	__type(value, struct lab_pending);
} lab_pending SEC(".maps");

struct lab_agg_key {
	__u64 site;
	__u32 req, bucket;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, LAB_AGGS);
	__type(key, struct lab_agg_key);
	__type(value, __u64);
} lab_aggs SEC(".maps");

struct lab_slot {
	__u64 ptr, ts, site;
	__u32 req, alloc;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1 << LAB_SLOT_BITS);
	__type(key, __u32);
	__type(value, struct lab_slot);
} lab_slots SEC(".maps");

struct lab_agg {
	__u64 site;
	__u32 req, bucket;
	__u64 n;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1 << LAB_AGG_BITS);
	__type(key, __u32);
	__type(value, struct lab_agg);
} lab_cpu_aggs SEC(".maps");

static __always_inline void lab_count_pair(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lab_paired, &zero);

	if (n)
		*n += 1;
}

static __always_inline __u64 lab_now(void)
{
	return lab_mode == LAB_STREAM_NOTS ? 0 : bpf_ktime_get_ns();
}

static __always_inline void lab_stream(__u64 ptr, __u64 site, __u32 req, __u32 alloc)
{
	struct lab_rec *r = bpf_ringbuf_reserve(&lab_ring, sizeof(*r), 0);

	if (!r)
		return;
	r->hdr = 1;
	r->task = bpf_get_current_pid_tgid();
	r->ts = lab_now();
	r->ptr = ptr;
	r->site = site;
	r->sizes = ((__u64)req << 32) | alloc;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
}

/* log2 of a lifetime in microseconds (clang 14 has no BPF ctlz). */
static __always_inline __u32 lab_bucket(__u64 ns)
{
	__u64 v = ns >> 10;
	__u32 r = 0;

	int shift;

	for (shift = 32; shift; shift >>= 1) {
		if (v >> shift) {
			v >>= shift;
			r += shift;
		}
	}
	return r;
}

static __always_inline __u32 lab_hash(__u64 v, int bits)
{
	return (__u32)((v * LAB_HASH_MUL) >> (64 - bits));
}

static __always_inline void hash_alloc(__u64 ptr, __u64 site, __u32 req, __u32 alloc)
{
	struct lab_pending p = { .ts = lab_now(), .site = site, .req = req, .alloc = alloc };

	if (bpf_map_update_elem(&lab_pending, &ptr, &p, BPF_NOEXIST))
		lab_stream(ptr, site, req, alloc);
}

static __always_inline void hash_free(__u64 ptr)
{
	struct lab_pending *p = bpf_map_lookup_elem(&lab_pending, &ptr);
	struct lab_agg_key k;
	__u64 *n, one = 1;

	if (!p) {
		lab_stream(ptr, 0, 0, 0);
		return;
	}
	k = (struct lab_agg_key){ .site = p->site, .req = p->req,
				  .bucket = lab_bucket(lab_now() - p->ts) };
	n = bpf_map_lookup_elem(&lab_aggs, &k);
	if (n)
		*n += 1;
	else
		bpf_map_update_elem(&lab_aggs, &k, &one, BPF_ANY);
	bpf_map_delete_elem(&lab_pending, &ptr);
	lab_count_pair();
}

static __always_inline void cpu_alloc(__u64 ptr, __u64 site, __u32 req, __u32 alloc)
{
	__u32 k = lab_hash(ptr, LAB_SLOT_BITS);
	struct lab_slot *s = bpf_map_lookup_elem(&lab_slots, &k);

	if (!s)
		return;
	if (s->ptr)
		lab_stream(s->ptr, s->site, s->req, s->alloc);
	s->ptr = ptr;
	s->ts = lab_now();
	s->site = site;
	s->req = req;
	s->alloc = alloc;
}

static __always_inline void cpu_free(__u64 ptr)
{
	__u32 k = lab_hash(ptr, LAB_SLOT_BITS), ak, bucket;
	struct lab_slot *s = bpf_map_lookup_elem(&lab_slots, &k);
	struct lab_agg *a;

	if (!s || s->ptr != ptr) {
		lab_stream(ptr, 0, 0, 0);
		return;
	}
	bucket = lab_bucket(lab_now() - s->ts);
	ak = lab_hash(s->site ^ ((__u64)s->req << 40) ^ bucket, LAB_AGG_BITS);
	a = bpf_map_lookup_elem(&lab_cpu_aggs, &ak);
	if (a) {
		if (a->site != s->site || a->req != s->req || a->bucket != bucket) {
			if (a->n)
				lab_stream(a->site, a->n, a->req, a->bucket);
			a->site = s->site;
			a->req = s->req;
			a->bucket = bucket;
			a->n = 0;
		}
		a->n++;
	}
	s->ptr = 0;
	lab_count_pair();
}

/* One event: an allocation, or a free (site, req and alloc 0). */
static __always_inline void lab_event(bool free, __u64 ptr, __u64 site, __u32 req, __u32 alloc)
{
	switch (lab_mode) {
	case LAB_KTIME:
		if (bpf_ktime_get_ns() == lab_never)
			lab_never = 1;
		break;
	case LAB_STREAM:
	case LAB_STREAM_NOTS:
		lab_stream(ptr, site, req, alloc);
		break;
	case LAB_PAIR_HASH:
		if (free)
			hash_free(ptr);
		else
			hash_alloc(ptr, site, req, alloc);
		break;
	case LAB_PAIR_CPU:
		if (free)
			cpu_free(ptr);
		else
			cpu_alloc(ptr, site, req, alloc);
		break;
	}
}

SEC("tp_btf/kmalloc")
int BPF_PROG(lab_kmalloc, unsigned long call_site, const void *ptr, size_t req, size_t alloc)
{
	lab_event(false, (__u64)ptr, call_site, req, alloc);
	return 0;
}

SEC("tp_btf/kmem_cache_alloc")
int BPF_PROG(lab_cache_alloc, unsigned long call_site, const void *ptr)
{
	lab_event(false, (__u64)ptr, call_site, 0, 0);
	return 0;
}

SEC("tp_btf/kfree")
int BPF_PROG(lab_kfree, unsigned long call_site, const void *ptr)
{
	lab_event(true, (__u64)ptr, 0, 0, 0);
	return 0;
}

SEC("tp_btf/kmem_cache_free")
int BPF_PROG(lab_cache_free, unsigned long call_site, const void *ptr)
{
	lab_event(true, (__u64)ptr, 0, 0, 0);
	return 0;
}
