/* SPDX-License-Identifier: GPL-2.0 */
/*
 * filter.h - the filters of a trace (-p, --tid, --cgroup, --comm,
 * --min-size, --max-size), one definition for the loader, which has the
 * BPF program apply them, the replay filter (rfilter.c) and the commands
 * that ask whether any is set.
 */
#ifndef KMS_FILTER_H
#define KMS_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>

#include "kmscope_event.h"	/* KMS_COMM_LEN */

struct kms_filter {
	uint32_t tgid;
	uint32_t tid;
	uint64_t cgroup_id;	/* live: the --cgroup directory's inode number */
	const char *cgroup_path;/* --cgroup as given; a replay resolves it (rfilter.h) */
	char comm[KMS_COMM_LEN];
	uint32_t min_size;
	uint32_t max_size;
	bool follow;		/* only the process tree of followed pids */
};

/*
 * One a recording can be filtered by: all of them (--cgroup by the path
 * the recording gives its cgroups, or id:N; task records carry their id).
 */
static inline bool kms_filter__replayable(const struct kms_filter *f)
{
	return f->tgid || f->tid || f->comm[0] || f->min_size || f->max_size || f->cgroup_path;
}

/* One of the filters is set: the trace is not of the whole system. */
static inline bool kms_filter__set(const struct kms_filter *f)
{
	return kms_filter__replayable(f) || f->cgroup_id;
}

#endif /* KMS_FILTER_H */
