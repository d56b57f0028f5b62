// SPDX-License-Identifier: GPL-2.0
/* rfilter.c - see rfilter.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_table.h"
#include "cgpaths.h"
#include "idmap.h"
#include "rfilter.h"

struct kms_rfilter {
	struct kms_filter f;
	uint32_t max_size;		/* 0xffffffff without --max-size, as the kernel */
	struct alloc_table *tracked;	/* pointers of the allocations that passed */
	struct idmap *object_size;	/* cache id -> object size (KMS_EV_CACHE_INFO) */
	struct idmap *cgroups;		/* --cgroup: the ids it names (id -> 1) */
	struct idmap *task_in;		/* tid -> 1 when its cgroup is one of them, else 0 */
	uint64_t filtered, untracked;
};

bool kms_rfilter__wanted(const struct kms_filter *f)
{
	return kms_filter__replayable(f);
}

struct kms_rfilter *kms_rfilter__new(const struct kms_filter *f)
{
	struct kms_rfilter *rf = calloc(1, sizeof(*rf));

	if (!rf)
		return NULL;
	rf->f = *f;
	rf->max_size = f->max_size ? f->max_size : 0xffffffff;
	rf->tracked = alloc_table__new(1024, 0);
	rf->object_size = idmap__new();
	if (!rf->tracked || !rf->object_size) {
		kms_rfilter__free(rf);
		errno = ENOMEM;
		return NULL;
	}
	return rf;
}

void kms_rfilter__free(struct kms_rfilter *rf)
{
	if (!rf)
		return;
	alloc_table__free(rf->tracked);
	idmap__free(rf->object_size);
	idmap__free(rf->cgroups);
	idmap__free(rf->task_in);
	free(rf);
}

/* What a cgroup path is compared as: one leading '/', no trailing one. */
static void normal_path(const char *in, char *out, size_t len)
{
	size_t n;

	while (*in == '/')
		in++;
	snprintf(out, len, "/%s", in);
	n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		out[--n] = 0;
}

static int want_cgroup(struct kms_rfilter *rf, uint64_t id)
{
	if (!rf->cgroups && !(rf->cgroups = idmap__new()))
		return -ENOMEM;
	if (!rf->task_in && !(rf->task_in = idmap__new()))
		return -ENOMEM;
	return idmap__set(rf->cgroups, id, 1);
}

int kms_rfilter__resolve_cgroup(struct kms_rfilter *rf, const struct cgpaths *known)
{
	const char *arg = rf->f.cgroup_path, *path;
	char want[4096], *end;
	unsigned long long v;
	int err, found = 0;
	uint64_t id;
	size_t i;

	if (!strncmp(arg, "id:", 3)) {
		errno = 0;
		v = strtoull(arg + 3, &end, 10);
		if (errno || end == arg + 3 || *end || arg[3] < '1' || arg[3] > '9')
			return -EINVAL;
		return want_cgroup(rf, v);
	}
	normal_path(arg, want, sizeof(want));
	for (i = 0; i < cgpaths__count(known); i++) {
		path = cgpaths__nth(known, i, &id);
		if (strcmp(path, want))
			continue;
		err = want_cgroup(rf, id);
		if (err)
			return err;
		found++;
	}
	return found ? 0 : -ENOENT;
}

/* The tid as an idmap key (tid 0, the idle task, cannot be one). */
static uint64_t tid_key(uint32_t tid)
{
	return tid ? tid : ~0ULL;
}

/* A task record: is the cgroup it announces one --cgroup names? */
static void task_cgroup(struct kms_rfilter *rf, const struct kms_event *ev)
{
	bool in = (ev->flags & KMS_EVF_CGROUP) && ev->cgroup &&
		  idmap__get(rf->cgroups, ev->cgroup) >= 0;

	idmap__set(rf->task_in, tid_key(ev->tid), in);
}

/* The request size the kernel filtered on: a kmem_cache_alloc's is its object size. */
static uint32_t bytes_req(const struct kms_rfilter *rf, const struct kms_event *ev)
{
	int64_t sz;

	if (!(ev->flags & KMS_EVF_HAS_CACHE))
		return ev->bytes_req;
	sz = idmap__get(rf->object_size, ev->cache);
	return sz > 0 ? (uint32_t)sz : 0;
}

/* alloc_wanted() in bpf/kmscope.bpf.c, in the same order. */
static bool wanted(const struct kms_rfilter *rf, const struct kms_event *ev, const char *comm)
{
	const struct kms_filter *f = &rf->f;
	uint32_t req = bytes_req(rf, ev);

	if (f->tgid && ev->tgid != f->tgid)
		return false;
	if (f->tid && ev->tid != f->tid)
		return false;
	if (req < f->min_size || req > rf->max_size)
		return false;
	if (rf->cgroups && idmap__get(rf->task_in, tid_key(ev->tid)) != 1)
		return false;
	if (f->comm[0] && (!comm || strncmp(comm, f->comm, sizeof(f->comm))))
		return false;
	return true;
}

bool kms_rfilter__keep(struct kms_rfilter *rf, const struct kms_event *ev, const char *comm)
{
	struct alloc_entry e = { .ptr = ev->ptr }, old;

	switch (ev->type) {
	case KMS_EV_CACHE_INFO:
		if (ev->cache)
			idmap__set(rf->object_size, ev->cache, ev->object_size);
		return true;
	case KMS_EV_TASK:
		if (rf->cgroups)
			task_cgroup(rf, ev);
		return true;
	case KMS_EV_KMALLOC:
	case KMS_EV_CACHE_ALLOC:
		if (!wanted(rf, ev, comm)) {
			rf->filtered++;
			return false;
		}
		if (ev->ptr)
			alloc_table__insert(rf->tracked, &e, &old);
		return true;
	case KMS_EV_KFREE:
	case KMS_EV_CACHE_FREE:
		if (!alloc_table__remove(rf->tracked, ev->ptr, &old)) {
			rf->untracked++;
			return false;
		}
		return true;
	case KMS_EV_RCU_CALL:
		/* As the BPF side: looked up, left for the free that follows. */
		if (!alloc_table__find(rf->tracked, ev->ptr)) {
			rf->untracked++;
			return false;
		}
		return true;
	}
	return true;
}

uint64_t kms_rfilter__filtered(const struct kms_rfilter *rf)
{
	return rf ? rf->filtered : 0;
}

uint64_t kms_rfilter__untracked(const struct kms_rfilter *rf)
{
	return rf ? rf->untracked : 0;
}
