// SPDX-License-Identifier: GPL-2.0
/* rfilter.c - see rfilter.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_table.h"
#include "idmap.h"
#include "rfilter.h"

struct kms_rfilter {
	struct kms_filter f;
	uint32_t max_size;		/* 0xffffffff without --max-size, as the kernel */
	struct alloc_table *tracked;	/* pointers of the allocations that passed */
	struct idmap *object_size;	/* cache id -> object size (KMS_EV_CACHE_INFO) */
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
	free(rf);
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
