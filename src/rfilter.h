/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rfilter.h - the allocation filters (-p, --tid, --comm, --cgroup,
 * --min-size, --max-size) applied to a recording on replay.  The kernel's
 * rules run over decoded events, before the collector: an allocation passes the
 * filters or is counted as filtered; a free passes only when its pointer
 * came from an allocation that passed, else it is counted as a free of
 * an untracked object.  That is what bpf/kmscope.bpf.c does (alloc_wanted(),
 * the `tracked` map), so a filtered replay reports what a live run with
 * the same filters would have.  The kernel compares the allocating task's
 * cgroup id with --cgroup's; here it is the id the recording announced for
 * the task last (a task is announced again after it moved).
 */
#ifndef KMS_RFILTER_H
#define KMS_RFILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "filter.h"

struct cgpaths;
struct kms_rfilter;

/* True when f asks for anything a replay can filter on. */
bool kms_rfilter__wanted(const struct kms_filter *f);
/* NULL with errno set. */
struct kms_rfilter *kms_rfilter__new(const struct kms_filter *f);
void kms_rfilter__free(struct kms_rfilter *rf);
/*
 * --cgroup on a recording: f->cgroup_path names the cgroup as the
 * recording does, by its path under the cgroup2 mount (known: the
 * recording's CGROUPS section; as `--by cgroup` prints it), or as
 * id:N.  0; -ENOENT when no cgroup of the recording has that path;
 * -EINVAL for an id:N that is no number; -ENOMEM.
 */
int kms_rfilter__resolve_cgroup(struct kms_rfilter *rf, const struct cgpaths *known);
/*
 * True to pass ev on to the collector.  comm is the comm of ev->tid as
 * announced so far (NULL when unknown); cache and task records always pass.
 */
bool kms_rfilter__keep(struct kms_rfilter *rf, const struct kms_event *ev, const char *comm);
/* Allocations filtered out, and frees dropped for it (kernel counter terms). */
uint64_t kms_rfilter__filtered(const struct kms_rfilter *rf);
uint64_t kms_rfilter__untracked(const struct kms_rfilter *rf);

#endif /* KMS_RFILTER_H */
