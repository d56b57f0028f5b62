// SPDX-License-Identifier: GPL-2.0
/*
 * encode.c - the one writer of the record layouts in kmscope_event.h
 * outside the BPF program (decode.c is the one reader).  Each function
 * fills a zeroed record, so padding and unused fields are always 0 and
 * the same event always gives the same bytes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>

#include "kms_records.h"
#include "encode.h"
#include "recfield.h"

_Static_assert(sizeof(struct kms_rec_alloc_stack) <= KMS_ENCODE_MAX, "KMS_ENCODE_MAX");
_Static_assert(sizeof(struct kms_rec_cache_info) <= KMS_ENCODE_MAX, "KMS_ENCODE_MAX");
_Static_assert(sizeof(struct kms_rec_task_cgroup) <= KMS_ENCODE_MAX, "KMS_ENCODE_MAX");
_Static_assert(offsetof(struct kms_rec_kmalloc_cache, cache) ==
	       offsetof(struct kms_rec_alloc_stack, cache), "one offset for an allocation's cache");

/* The record header's flags of an allocation (the inverse of decode_alloc()). */
static __u8 alloc_flags(const struct kms_event *ev)
{
	__u8 f = 0;

	if (ev->flags & KMS_EVF_FAILED)
		f |= KMS_AF_FAILED;
	if (ev->flags & KMS_EVF_HARDIRQ)
		f |= KMS_AF_HARDIRQ;
	else if (ev->flags & KMS_EVF_SOFTIRQ)
		f |= KMS_AF_SOFTIRQ;
	if (ev->flags & KMS_EVF_PREEMPT_OFF)
		f |= KMS_AF_PREEMPT_OFF;
	if (ev->flags & KMS_EVF_BH_OFF)
		f |= KMS_AF_BH_OFF;
	if (ev->flags & KMS_EVF_STACK)
		f |= KMS_AF_STACK;
	return f;
}

/* The gfp word: the flags, and the task's scope in its top bits. */
static __u32 alloc_gfp(const struct kms_event *ev)
{
	__u32 g = ev->gfp & KMS_GFP_MASK;

	if (ev->flags & KMS_EVF_RCU)
		g |= KMS_TC_RCU;
	if (ev->flags & KMS_EVF_MEMALLOC)
		g |= KMS_TC_MEMALLOC;
	if (ev->flags & KMS_EVF_NOFS)
		g |= KMS_TC_NOFS;
	if (ev->flags & KMS_EVF_NOIO)
		g |= KMS_TC_NOIO;
	return g;
}

/* The header every record starts with. */
static void put_hdr(unsigned char *buf, __u8 type, __u8 flags, const struct kms_event *ev)
{
	REC_PUT(buf, struct kms_rec_hdr, type, type);
	REC_PUT(buf, struct kms_rec_hdr, flags, flags);
	REC_PUT(buf, struct kms_rec_hdr, cpu, ev->cpu);
	REC_PUT(buf, struct kms_rec_hdr, tid, ev->tid);
}

/*
 * The two record kinds of every event are written in place, field by
 * field (recfield.h): the packer encodes each record it stores.
 */
static int encode_alloc(const struct kms_event *ev, unsigned char *buf, size_t cap)
{
	bool kcache = ev->type == KMS_EV_KMALLOC && (ev->flags & KMS_EVF_KERNEL_CACHE);
	bool inline_cache = ev->type == KMS_EV_CACHE_ALLOC && (ev->flags & KMS_EVF_HAS_CACHE);
	__u8 flags = alloc_flags(ev);
	size_t size = sizeof(struct kms_rec_alloc);

	if (kcache)
		size = sizeof(struct kms_rec_kmalloc_cache);
	if (ev->flags & KMS_EVF_STACK)
		size = sizeof(struct kms_rec_alloc_stack);
	if (cap < size)
		return -ENOSPC;
	memset(buf, 0, size);
	if (ev->type == KMS_EV_CACHE_ALLOC && !inline_cache)
		flags |= KMS_AF_BYTES_INLINE;
	if (kcache)
		flags |= KMS_AF_CACHE;
	put_hdr(buf, ev->type == KMS_EV_KMALLOC ? KMS_REC_KMALLOC : KMS_REC_CACHE_ALLOC,
		flags, ev);
	REC_PUT(buf, struct kms_rec_alloc, tgid, ev->tgid);
	REC_PUT(buf, struct kms_rec_alloc, gfp, alloc_gfp(ev));
	REC_PUT(buf, struct kms_rec_alloc, ts, ev->ts);
	REC_PUT(buf, struct kms_rec_alloc, ptr, ev->ptr);
	REC_PUT(buf, struct kms_rec_alloc, call_site, ev->call_site);
	if (inline_cache) {
		REC_PUT(buf, struct kms_rec_alloc, u.cache, ev->cache);
	} else {
		REC_PUT(buf, struct kms_rec_alloc, u.bytes_req, ev->bytes_req);
		REC_PUT(buf, struct kms_rec_alloc, u.bytes_alloc, ev->bytes_alloc);
	}
	/* The same offset in kms_rec_kmalloc_cache and kms_rec_alloc_stack. */
	if (kcache)
		REC_PUT(buf, struct kms_rec_alloc_stack, cache, ev->cache);
	if (ev->flags & KMS_EVF_STACK)
		REC_PUT(buf, struct kms_rec_alloc_stack, stack, ev->stack);
	return size;
}

/* A kfree, with its cache when named; a kmem_cache_free. */
static int encode_free(const struct kms_event *ev, unsigned char *buf, size_t cap)
{
	bool cache = ev->type != KMS_EV_RCU_CALL &&
		     (ev->type == KMS_EV_CACHE_FREE || (ev->flags & KMS_EVF_HAS_CACHE));
	size_t size = cache ? sizeof(struct kms_rec_cache_free) : sizeof(struct kms_rec_free);
	__u8 flags = (ev->flags & KMS_EVF_SHEAF) ? KMS_FF_SHEAF : 0;

	if (cap < size)
		return -ENOSPC;
	memset(buf, 0, size);
	if (cache && ev->type == KMS_EV_KFREE)
		flags |= KMS_FF_CACHE;
	put_hdr(buf, ev->type == KMS_EV_KFREE ? KMS_REC_KFREE :
		     ev->type == KMS_EV_RCU_CALL ? KMS_REC_RCU_CALL : KMS_REC_CACHE_FREE,
		flags, ev);
	REC_PUT(buf, struct kms_rec_free, ts, ev->ts);
	REC_PUT(buf, struct kms_rec_free, ptr, ev->ptr);
	if (cache)
		REC_PUT(buf, struct kms_rec_cache_free, cache, ev->cache);
	return size;
}

/* A name field: at most field_len - 1 bytes, NUL-padded. */
static int put_name(char *field, size_t field_len, const struct kms_event *ev)
{
	if (!ev->name_len)
		return 0;
	if (!ev->name)
		return -EINVAL;
	memcpy(field, ev->name, ev->name_len < field_len ? ev->name_len : field_len - 1);
	return 0;
}

static int encode_cache_info(const struct kms_event *ev, unsigned char *buf, size_t cap)
{
	struct kms_rec_cache_info r;

	memset(&r, 0, sizeof(r));
	r.hdr.type = KMS_REC_CACHE_INFO;
	r.hdr.flags = (ev->flags & KMS_EVF_ACCOUNT) ? KMS_CF_ACCOUNT : 0;
	r.hdr.cpu = ev->cpu;
	r.hdr.tid = ev->tid;
	r.cache = ev->cache;
	r.object_size = ev->object_size;
	r.size = ev->size;
	if (put_name(r.name, sizeof(r.name), ev))
		return -EINVAL;
	if (cap < sizeof(r))
		return -ENOSPC;
	memcpy(buf, &r, sizeof(r));
	return sizeof(r);
}

/* With its cgroup the longer layout, without it the 32-byte one. */
static int encode_task(const struct kms_event *ev, unsigned char *buf, size_t cap)
{
	struct kms_rec_task_cgroup r;
	size_t len = (ev->flags & KMS_EVF_CGROUP) ? sizeof(r) : sizeof(r.t);

	memset(&r, 0, sizeof(r));
	r.t.hdr.type = KMS_REC_TASK;
	r.t.hdr.cpu = ev->cpu;
	r.t.hdr.tid = ev->tid;
	r.t.tgid = ev->tgid;
	if (ev->flags & KMS_EVF_CGROUP) {
		r.t.hdr.flags = KMS_TF_CGROUP;
		r.cgroup = ev->cgroup;
	}
	if (put_name(r.t.comm, sizeof(r.t.comm), ev))
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	memcpy(buf, &r, len);
	return len;
}

int kms_encode(const struct kms_event *ev, void *buf, size_t cap)
{
	if (ev->cpu > 0xffff)
		return -EINVAL;
	switch (ev->type) {
	case KMS_EV_KMALLOC:
	case KMS_EV_CACHE_ALLOC:
		return encode_alloc(ev, buf, cap);
	case KMS_EV_KFREE:
	case KMS_EV_CACHE_FREE:
	case KMS_EV_RCU_CALL:
		return encode_free(ev, buf, cap);
	case KMS_EV_CACHE_INFO:
		return encode_cache_info(ev, buf, cap);
	case KMS_EV_TASK:
		return encode_task(ev, buf, cap);
	}
	return -EINVAL;
}
