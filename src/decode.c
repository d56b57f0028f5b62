// SPDX-License-Identifier: GPL-2.0
/*
 * decode.c - the one reader of the record layouts in kmscope_event.h.
 *
 * Records may come from a file and so be arbitrary bytes: every length is
 * checked before a field is read, and fields are read with memcpy because
 * a recording gives no alignment guarantee.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>

#include "kms_records.h"
#include "decode.h"
#include "recfield.h"

static const size_t rec_size[KMS_REC_TYPE_MAX] = {
	[KMS_REC_KMALLOC] = sizeof(struct kms_rec_alloc),
	[KMS_REC_CACHE_ALLOC] = sizeof(struct kms_rec_alloc),
	[KMS_REC_KFREE] = sizeof(struct kms_rec_free),
	[KMS_REC_CACHE_FREE] = sizeof(struct kms_rec_cache_free),
	[KMS_REC_CACHE_INFO] = sizeof(struct kms_rec_cache_info),
	[KMS_REC_TASK] = sizeof(struct kms_rec_task),
	[KMS_REC_RCU_CALL] = sizeof(struct kms_rec_free),
	[KMS_REC_PAIR] = sizeof(struct kms_rec_pair),
};

static void decode_alloc(const void *data, struct kms_event *ev)
{
	struct kms_rec_hdr hdr = REC_GET(data, struct kms_rec_alloc, hdr);
	__u32 gfp = REC_GET(data, struct kms_rec_alloc, gfp);

	if (hdr.flags & KMS_AF_STACK) {
		ev->stack = REC_GET(data, struct kms_rec_alloc_stack, stack);
		ev->flags |= KMS_EVF_STACK;
		if (hdr.type == KMS_REC_KMALLOC && (hdr.flags & KMS_AF_CACHE)) {
			ev->cache = REC_GET(data, struct kms_rec_alloc_stack, cache);
			ev->flags |= KMS_EVF_KERNEL_CACHE;
		}
	} else if (hdr.type == KMS_REC_KMALLOC && (hdr.flags & KMS_AF_CACHE)) {
		ev->cache = REC_GET(data, struct kms_rec_kmalloc_cache, cache);
		ev->flags |= KMS_EVF_KERNEL_CACHE;
	}
	ev->type = hdr.type == KMS_REC_KMALLOC ? KMS_EV_KMALLOC : KMS_EV_CACHE_ALLOC;
	ev->tgid = REC_GET(data, struct kms_rec_alloc, tgid);
	ev->gfp = gfp & KMS_GFP_MASK;
	ev->ts = REC_GET(data, struct kms_rec_alloc, ts);
	ev->ptr = REC_GET(data, struct kms_rec_alloc, ptr);
	ev->call_site = REC_GET(data, struct kms_rec_alloc, call_site);
	if (hdr.flags & KMS_AF_FAILED)
		ev->flags |= KMS_EVF_FAILED;
	if (hdr.flags & KMS_AF_HARDIRQ)
		ev->flags |= KMS_EVF_HARDIRQ;
	else if (hdr.flags & KMS_AF_SOFTIRQ)
		ev->flags |= KMS_EVF_SOFTIRQ;
	if (hdr.flags & KMS_AF_PREEMPT_OFF)
		ev->flags |= KMS_EVF_PREEMPT_OFF;
	if (hdr.flags & KMS_AF_BH_OFF)
		ev->flags |= KMS_EVF_BH_OFF;
	if (gfp & KMS_TC_RCU)
		ev->flags |= KMS_EVF_RCU;
	if (gfp & KMS_TC_MEMALLOC)
		ev->flags |= KMS_EVF_MEMALLOC;
	if (gfp & KMS_TC_NOFS)
		ev->flags |= KMS_EVF_NOFS;
	if (gfp & KMS_TC_NOIO)
		ev->flags |= KMS_EVF_NOIO;
	if (hdr.type == KMS_REC_CACHE_ALLOC && !(hdr.flags & KMS_AF_BYTES_INLINE)) {
		ev->cache = REC_GET(data, struct kms_rec_alloc, u.cache);
		ev->flags |= KMS_EVF_HAS_CACHE;
	} else {
		ev->bytes_req = REC_GET(data, struct kms_rec_alloc, u.bytes_req);
		ev->bytes_alloc = REC_GET(data, struct kms_rec_alloc, u.bytes_alloc);
	}
}

static void decode_free(const void *data, struct kms_event *ev)
{
	struct kms_rec_hdr hdr = REC_GET(data, struct kms_rec_free, hdr);

	ev->type = hdr.type == KMS_REC_RCU_CALL ? KMS_EV_RCU_CALL : KMS_EV_KFREE;
	ev->ts = REC_GET(data, struct kms_rec_free, ts);
	ev->ptr = REC_GET(data, struct kms_rec_free, ptr);
	if (hdr.flags & KMS_FF_SHEAF)
		ev->flags |= KMS_EVF_SHEAF;
	if (hdr.flags & KMS_FF_CACHE) {
		ev->cache = REC_GET(data, struct kms_rec_cache_free, cache);
		if (ev->cache)
			ev->flags |= KMS_EVF_HAS_CACHE;
	}
}

static void decode_cache_free(const void *data, struct kms_event *ev)
{
	ev->type = KMS_EV_CACHE_FREE;
	ev->ts = REC_GET(data, struct kms_rec_cache_free, ts);
	ev->ptr = REC_GET(data, struct kms_rec_cache_free, ptr);
	ev->cache = REC_GET(data, struct kms_rec_cache_free, cache);
	if (ev->cache)
		ev->flags |= KMS_EVF_HAS_CACHE;
}

/* Names point into `data`; their length stops at the field's end. */
static void decode_name(const char *field, size_t field_len, struct kms_event *ev)
{
	const char *nul = memchr(field, 0, field_len);

	ev->name = field;
	ev->name_len = nul ? (size_t)(nul - field) : field_len;
}

static void decode_cache_info(const void *data, struct kms_event *ev)
{
	struct kms_rec_cache_info r;

	memcpy(&r, data, offsetof(struct kms_rec_cache_info, name));
	ev->type = KMS_EV_CACHE_INFO;
	ev->cache = r.cache;
	ev->object_size = r.object_size;
	ev->size = r.size;
	ev->flags |= KMS_EVF_HAS_CACHE;
	if (r.hdr.flags & KMS_CF_ACCOUNT)
		ev->flags |= KMS_EVF_ACCOUNT;
	/* Byte offsets, not p->name: a recording may leave records unaligned. */
	decode_name((const char *)data + offsetof(struct kms_rec_cache_info, name),
		    sizeof(r.name), ev);
}

static void decode_task(const void *data, struct kms_event *ev)
{
	struct kms_rec_hdr hdr;
	__u32 tgid;

	memcpy(&hdr, data, sizeof(hdr));
	memcpy(&tgid, (const char *)data + offsetof(struct kms_rec_task, tgid), sizeof(tgid));
	ev->type = KMS_EV_TASK;
	ev->tgid = tgid;
	if (hdr.flags & KMS_TF_CGROUP) {
		memcpy(&ev->cgroup, (const char *)data + offsetof(struct kms_rec_task_cgroup, cgroup),
		       sizeof(ev->cgroup));
		ev->flags |= KMS_EVF_CGROUP;
	}
	decode_name((const char *)data + offsetof(struct kms_rec_task, comm), KMS_COMM_LEN, ev);
}

/* Some flags select a longer layout of the same record type. */
static size_t flagged_size(const struct kms_rec_hdr *hdr)
{
	if ((hdr->type == KMS_REC_KMALLOC || hdr->type == KMS_REC_CACHE_ALLOC) &&
	    (hdr->flags & KMS_AF_STACK))
		return sizeof(struct kms_rec_alloc_stack);
	if (hdr->type == KMS_REC_KMALLOC && (hdr->flags & KMS_AF_CACHE))
		return sizeof(struct kms_rec_kmalloc_cache);
	if (hdr->type == KMS_REC_KFREE && (hdr->flags & KMS_FF_CACHE))
		return sizeof(struct kms_rec_cache_free);
	if (hdr->type == KMS_REC_TASK && (hdr->flags & KMS_TF_CGROUP))
		return sizeof(struct kms_rec_task_cgroup);
	return 0;
}

/*
 * Field by field rather than memset: this runs once per event, and for a
 * struct this size glibc's memset is a `rep stos` whose start-up cost was
 * 40 % of the decoder in a replay profile.
 */
static inline void reset(struct kms_event *ev)
{
	ev->flags = 0;
	ev->tgid = 0;
	ev->ts = 0;
	ev->ptr = 0;
	ev->call_site = 0;
	ev->cache = 0;
	ev->cgroup = 0;
	ev->bytes_req = 0;
	ev->bytes_alloc = 0;
	ev->gfp = 0;
	ev->stack = 0;
	ev->object_size = 0;
	ev->size = 0;
	ev->name = NULL;
	ev->name_len = 0;
}

int kms_decode(const void *data, size_t size, struct kms_event *ev)
{
	struct kms_rec_hdr hdr;

	if (size < sizeof(hdr))
		return -EINVAL;
	memcpy(&hdr, data, sizeof(hdr));
	if (hdr.type == 0 || hdr.type >= KMS_REC_TYPE_MAX)
		return -ENOTSUP;
	if (size < rec_size[hdr.type] || size < flagged_size(&hdr))
		return -EINVAL;
	reset(ev);
	ev->cpu = hdr.cpu;
	ev->tid = hdr.tid;
	switch (hdr.type) {
	case KMS_REC_KMALLOC:
	case KMS_REC_CACHE_ALLOC:
		decode_alloc(data, ev);
		break;
	case KMS_REC_KFREE:
	case KMS_REC_RCU_CALL:
		decode_free(data, ev);
		break;
	case KMS_REC_CACHE_FREE:
		decode_cache_free(data, ev);
		break;
	case KMS_REC_CACHE_INFO:
		decode_cache_info(data, ev);
		break;
	case KMS_REC_TASK:
		decode_task(data, ev);
		break;
	case KMS_REC_PAIR:
		return -EAGAIN;	/* two events: kms_decode_pair() */
	}
	return 0;
}

static bool is_pair(const void *data, size_t size)
{
	return size >= sizeof(struct kms_rec_hdr) && ((const __u8 *)data)[0] == KMS_REC_PAIR;
}

/* The free half of a pair record, as its own record would have given it. */
static void decode_pair_free(const void *data, const struct kms_event *alloc,
			     struct kms_event *ev)
{
	struct kms_rec_hdr hdr = REC_GET(data, struct kms_rec_pair, hdr);

	reset(ev);
	ev->type = hdr.flags & KMS_PF_CACHE_FREE ? KMS_EV_CACHE_FREE : KMS_EV_KFREE;
	ev->cpu = hdr.cpu;
	ev->tid = hdr.tid;
	ev->ts = REC_GET(data, struct kms_rec_pair, ts);
	ev->ptr = alloc->ptr;
	ev->cache = REC_GET(data, struct kms_rec_pair, cache);
	if (hdr.flags & KMS_FF_SHEAF)
		ev->flags |= KMS_EVF_SHEAF;
	if (ev->cache && (ev->type == KMS_EV_CACHE_FREE || (hdr.flags & KMS_FF_CACHE)))
		ev->flags |= KMS_EVF_HAS_CACHE;
	else
		ev->cache = 0;
}

int kms_decode_pair(const void *data, size_t size, struct kms_event *alloc,
		    struct kms_event *freed)
{
	const char *a = (const char *)data + offsetof(struct kms_rec_pair, alloc);
	int err;

	if (!is_pair(data, size) || size < sizeof(struct kms_rec_pair))
		return -EINVAL;
	/* Whatever is wrong inside (a pair in a pair too), the record is malformed. */
	err = kms_decode(a, KMS_HELD_REC, alloc);
	if (err)
		return -EINVAL;
	if (alloc->type != KMS_EV_KMALLOC && alloc->type != KMS_EV_CACHE_ALLOC)
		return -EINVAL;
	decode_pair_free(data, alloc, freed);
	return 0;
}

const char *kms_ev_type_name(enum kms_ev_type type)
{
	static const char *const names[] = {
		[KMS_EV_KMALLOC] = "kmalloc",
		[KMS_EV_CACHE_ALLOC] = "kmem_cache_alloc",
		[KMS_EV_KFREE] = "kfree",
		[KMS_EV_CACHE_FREE] = "kmem_cache_free",
		[KMS_EV_CACHE_INFO] = "cache_info",
		[KMS_EV_TASK] = "task",
		[KMS_EV_RCU_CALL] = "kfree_rcu",
	};

	return (unsigned int)type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}
