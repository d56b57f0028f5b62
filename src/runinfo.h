/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runinfo.h - what a report needs to know about the run besides the events:
 * kernel, method, clock base, duration, and the kernel-side counters.  Live
 * runs fill it from the loader; replays parse it from the recording's META
 * and COUNTERS sections.  Both go through the same key=value text so a
 * replay reproduces the live report exactly.
 */
#ifndef KMS_RUNINFO_H
#define KMS_RUNINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>

#include "backup.h"
#include "kmscope_event.h"

/*
 * kfree_rcu() into a cache's sheaf (6.18+) frees without a kmem event:
 * does the kernel have the path, and did kmscope trace it?
 */
enum kms_sheaf {
	KMS_SHEAF_NONE,		/* no such path (before 6.18), or not known */
	KMS_SHEAF_UNTRACED,	/* the path exists, no program on it */
	KMS_SHEAF_TRACED,	/* kms_rcu_sheaf (fexit/__kfree_rcu_sheaf) */
};

struct runinfo {
	/* META: known when tracing starts */
	char kernel[128];
	char method[32];		/* tp_btf or tracepoint */
	char hostname[65];
	char command[256];		/* traced command, "" for system-wide */
	char filters[256];		/* the filter options, for humans */
	char target[128];		/* -p/--tid: "process 1234 (comm)", else "" */
	char cmdline[1024];		/* /proc/cmdline: slab_* parameters */
	uint32_t page_size;
	uint32_t ncpus;			/* present CPUs (num_present_cpus()) */
	uint64_t t0_mono_ns;		/* CLOCK_MONOTONIC when tracing started */
	uint64_t t0_real_ns;		/* CLOCK_REALTIME at the same moment */
	bool ptr_probe_read;
	bool kfunc_cache;		/* kmalloc caches named by bpf_get_kmem_cache() */
	bool rcu_bulk_traced;		/* kfree_rcu batches seen (rcu tracepoint or bulk_free) */
	char bulk_free[8];		/* kmem_cache_free_bulk() traced by "fentry"/"kprobe", or "" */
	enum kms_sheaf rcu_sheaf;	/* kfree_rcu() into sheaves (6.18+) */
	char rcu_call[8];		/* kfree_rcu() calls traced by "fentry"/"kprobe", or "" */
	bool context;			/* hardirq/softirq context tracked */
	bool followed;			/* only a command's process tree was traced */
	bool preempt;			/* preempt-off/BH-off known (preempt count) */
	bool task_ctx;			/* PF_MEMALLOC/NOFS/NOIO scope known */
	bool rcu_nesting;		/* rcu_read_lock() sections known (PREEMPT_RCU) */
	bool pair;			/* --pair: allocations held in the kernel until their free */
	/* COUNTERS: known when tracing ends */
	uint64_t duration_ns;
	uint64_t counters[KMS_CNT_MAX];
	uint64_t recursion_misses;	/* the kernel's, all programs */
	/*
	 * Recursion misses of the programs that see kmem events (the kernel's,
	 * plus KMSCOPE_TEST_RECURSION's), and whether backup programs ran to
	 * recover them (counters[KMS_CNT_RECOVERED]); recordings before the
	 * backups have neither.
	 */
	uint64_t main_misses;
	uint64_t alloc_misses;		/* ... of the allocation programs among them */
	bool has_main_misses;
	enum kms_backup backup;
	bool caches_dropped;		/* --drop-caches: the kernel dropped them at the end */
	uint64_t paired;		/* --pair: allocations that crossed with their free */
	uint64_t held_end;		/* --pair: allocations still held at the end */
	bool has_counters;
	int exit_status;		/* traced command, -1 if none */
	/* Replays: what the recording lost (struct recfile_damage); not stored */
	bool cut_short;			/* it has no END section */
	uint64_t damaged_sections;	/* damaged stretches skipped */
	uint64_t damaged_bytes;
	uint64_t damaged_records;	/* records in those that could be counted */
	uint64_t damaged_uncounted;	/* stretches whose records are unknown */
};

/* Write the META or COUNTERS part as key=value lines to f. */
int runinfo__write_meta(const struct runinfo *ri, FILE *f);
int runinfo__write_counters(const struct runinfo *ri, FILE *f);
/* Parse key=value lines (either part); unknown keys are ignored. */
int runinfo__parse(struct runinfo *ri, const char *text, size_t len);
/* What was traced: the command, the -p/--tid target, or "system-wide". */
const char *runinfo__traced(const struct runinfo *ri);
/*
 * kmem events no program saw: the main programs' skipped runs less what the
 * backups recovered; before the backups (older recordings), every skipped run.
 */
uint64_t runinfo__unseen(const struct runinfo *ri);
/*
 * The one definition of "lost events": kmem events that fired and never
 * reached the collector (ring buffer full, or seen by no program).
 * Announcements lost (names) and the live table full are apart.
 */
uint64_t runinfo__events_lost(const struct runinfo *ri);
/* Events the kernel saw (all four tracepoints). */
uint64_t runinfo__seen(const struct runinfo *ri);
const char *kms_counter_name(enum kms_counter c);
/*
 * What a damaged or cut-short recording lost, for the `damaged:` line:
 * "1 sections (13776 bytes) skipped, 258 records lost; cut short before
 * its END section"; NULL when nothing was lost.
 */
const char *runinfo__damage(const struct runinfo *ri, char *buf, size_t len);
/* The context signals in use, "preempt,hardirq,softirq,rcu,memalloc-scope" or "none". */
/* Traced through classic tracepoints (method "tracepoint"), not tp_btf. */
bool runinfo__classic(const struct runinfo *ri);
/* Room for runinfo__context(). */
#define KMS_RUNINFO_CTX_LEN	96
const char *runinfo__context(const struct runinfo *ri, char *buf, size_t len);

#endif /* KMS_RUNINFO_H */
