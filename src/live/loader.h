/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loader.h - owns the BPF object: feature probes, configuration, load,
 * attach and detach.  The only file that includes the generated skeleton.
 * Links are owned by file descriptors, so nothing stays attached after the
 * process exits, however it exits.
 */
#ifndef KMS_LOADER_H
#define KMS_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/types.h>

#include "backup.h"
#include "filter.h"
#include "kmscope_event.h"
#include "runinfo.h"

struct loader_opts {
	struct kms_filter filter;
	size_t ring_bytes;
	size_t max_tracked;	/* tracked-pointer map size when filtering */
	bool force_classic;	/* skip tp_btf (testing the fallback) */
	bool no_kfunc;		/* do not ask bpf_get_kmem_cache() (model only) */
	bool no_preempt;	/* do not read the preempt count even where possible */
	bool no_task_ctx;	/* do not read current's RCU/PF_MEMALLOC* scope */
	enum kms_backup backup;	/* backup programs for the recursion misses (--backup) */
	bool free_cache;	/* also name the cache of every kfree (check) */
	bool trace_self;	/* keep kmscope's own allocations (check) */
	uint32_t stacks;	/* -g: every Nth allocation's stack (0: none) */
	bool stacks_findings;	/* ... only of failures and GFP rule breakers */
	uint32_t stack_entries;	/* stack map size */
	bool pair;		/* --pair: hold allocations in the kernel until their free */
};

struct loader;

/*
 * Probe, configure, load and attach.  On failure returns -errno and writes
 * one sentence for the user (what is wrong and what to do) into msg.
 */
int loader__start(struct loader **out, const struct loader_opts *opts, char *msg, size_t len);
void loader__stop(struct loader *l);	/* detach and free; NULL-safe */
/* Detach the programs but keep the maps (ring, counters) readable. */
void loader__detach(struct loader *l);
int loader__ring_fd(const struct loader *l);
/* Add a pid whose process tree is traced (before it runs anything). */
int loader__follow(struct loader *l, pid_t pid);
/* Sum of the per-CPU kernel counters. */
void loader__counters(const struct loader *l, uint64_t out[KMS_CNT_MAX]);
/* Sum of bpf_prog_info.recursion_misses over the attached programs. */
uint64_t loader__recursion_misses(const struct loader *l);
/*
 * The same over the programs that see kmem events only, plus the events
 * KMSCOPE_TEST_RECURSION left to the backups.
 */
uint64_t loader__main_misses(const struct loader *l);
/* The allocation programs' part of it: what --backup=frees leaves unseen. */
uint64_t loader__alloc_misses(const struct loader *l);
/* Which of the main programs' recursion misses backup programs recover. */
enum kms_backup loader__backup(const struct loader *l);
/* "tp_btf" or "tracepoint", and how `ptr` is read. */
const char *loader__method(const struct loader *l);
bool loader__ptr_probe_read(const struct loader *l);
/* True when kmalloc events carry the kernel's cache (bpf_get_kmem_cache). */
bool loader__kfunc_cache(const struct loader *l);
/* -g: the frames of a stack id (up to max); returns their number or -errno. */
int loader__stack(const struct loader *l, int32_t id, uint64_t *ips, size_t max);
/* True when allocations carry hardirq/softirq context (irq tracepoints). */
bool loader__context(const struct loader *l);
/* True when allocations also carry preempt-off/BH-off (per-CPU preempt count). */
bool loader__preempt(const struct loader *l);
/* True when allocations carry current's PF_MEMALLOC/NOFS/NOIO scope. */
bool loader__task_ctx(const struct loader *l);
/* ... and rcu_read_lock() sections (PREEMPT_RCU kernels only). */
bool loader__rcu_nesting(const struct loader *l);
/*
 * True when kfree_rcu batches are traced (rcu:rcu_invoke_kfree_bulk_callback,
 * or kmem_cache_free_bulk(), which frees them).
 */
bool loader__rcu_bulk(const struct loader *l);
/* How kmem_cache_free_bulk()/kfree_bulk() are traced: "fentry", "kprobe" or NULL. */
const char *loader__bulk_free(const struct loader *l);
/* kfree_rcu() into sheaves (6.18+): absent, untraced or traced. */
enum kms_sheaf loader__rcu_sheaf(const struct loader *l);
/* kfree_rcu() calls traced by "fentry" or "kprobe" on kvfree_call_rcu(), or NULL. */
const char *loader__rcu_call(const struct loader *l);

/*
 * --pair, after loader__detach(): hand fn each allocation the kernel still
 * holds, as the record it would have crossed the ring as.  Returns how
 * many slots stayed taken by a program in flight (their allocations are
 * lost): none expected once the programs are detached.  A slot that
 * cannot be read counts as one of those.
 */
size_t loader__held(const struct loader *l, void (*fn)(void *ctx, const void *rec, size_t len),
		    void *ctx);

#endif /* KMS_LOADER_H */
