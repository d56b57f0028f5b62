/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * core_fixes.bpf.h - CO-RE flavours for the kmem tracepoint layouts that
 * changed between the kernels kmscope supports.  vmlinux.h is generated from
 * a 6.18 kernel; the ___x structs below describe older layouts so that the
 * programs can test, at load time, which one the running kernel has.
 */
#ifndef KMS_CORE_FIXES_BPF_H
#define KMS_CORE_FIXES_BPF_H

#include <bpf/bpf_core_read.h>

/*
 * 5.15: kmalloc and kmem_cache_alloc share class kmem_alloc with a 32-bit
 * gfp field; 6.1 (2c1d697fb8ba "mm/slab_common: drop kmem_alloc &
 * avoid dereferencing fields when not using") split them into
 * trace_event_raw_kmalloc and trace_event_raw_kmem_cache_alloc and widened
 * gfp_flags to unsigned long.
 */
struct trace_event_raw_kmem_alloc___x {
	unsigned long call_site;
	const void *ptr;
	size_t bytes_req;
	size_t bytes_alloc;
	unsigned int gfp_flags;
} __attribute__((preserve_access_index));

struct trace_event_raw_kmalloc___x {
	unsigned long call_site;
	const void *ptr;
	size_t bytes_req;
	size_t bytes_alloc;
	unsigned long gfp_flags;
} __attribute__((preserve_access_index));

/* 6.1-6.12: no name; 6.18 adds __data_loc name before bytes_req. */
struct trace_event_raw_kmem_cache_alloc___x {
	unsigned long call_site;
	const void *ptr;
	size_t bytes_req;
	size_t bytes_alloc;
	unsigned long gfp_flags;
} __attribute__((preserve_access_index));

struct trace_event_raw_kfree___x {
	unsigned long call_site;
	const void *ptr;
} __attribute__((preserve_access_index));

/* 5.15 class kmem_free and 6.1+ kmem_cache_free both have these. */
struct trace_event_raw_kmem_cache_free___x {
	unsigned long call_site;
	const void *ptr;
} __attribute__((preserve_access_index));

struct trace_event_raw_kmem_free___x {
	unsigned long call_site;
	const void *ptr;
} __attribute__((preserve_access_index));

/*
 * True on 6.1+, where tp_btf kmem_cache_alloc passes (call_site, ptr,
 * struct kmem_cache *s, gfp, node) instead of 5.15's (call_site, ptr,
 * bytes_req, bytes_alloc, gfp).
 */
static __always_inline bool has_kmem_cache_alloc_class(void)
{
	return bpf_core_type_exists(struct trace_event_raw_kmem_cache_alloc___x);
}

static __always_inline bool has_kmalloc_class(void)
{
	return bpf_core_type_exists(struct trace_event_raw_kmalloc___x);
}

#endif /* KMS_CORE_FIXES_BPF_H */
