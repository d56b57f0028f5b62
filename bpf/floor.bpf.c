// SPDX-License-Identifier: GPL-2.0
/*
 * floor.bpf.c - the cost floor for `make bench`: tp_btf programs on the
 * four kmem tracepoints kmscope traces, doing nothing.  What a tracer
 * costs above this is its own work; this is what the kernel charges for
 * running any program there (bench/floor.c loads it).
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
