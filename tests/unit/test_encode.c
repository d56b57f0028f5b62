// SPDX-License-Identifier: GPL-2.0
/*
 * test_encode.c - kms_encode() is the inverse of kms_decode(): every record
 * type, with every flag that changes its layout or its fields, encodes and
 * decodes back to the same event; the bytes are those of the BPF
 * program's record; too small a buffer and a bad event are refused.
 */
#include <errno.h>
#include <string.h>
#include <linux/types.h>

#include "kms_records.h"
#include "encode.h"
#include "test.h"

/* Encode, decode, and compare every field the decoder fills. */
static void round_trip(const struct kms_event *in, size_t want_size)
{
	unsigned char buf[KMS_ENCODE_MAX];
	struct kms_event out;
	int n = kms_encode(in, buf, sizeof(buf));

	CHECK_INT(n, ==, (int)want_size);
	if (n < 0)
		return;
	CHECK_INT(kms_decode(buf, n, &out), ==, 0);
	CHECK_INT(out.type, ==, in->type);
	CHECK_U64(out.flags, in->flags);
	CHECK_U64(out.cpu, in->cpu);
	CHECK_U64(out.tid, in->tid);
	CHECK_U64(out.tgid, in->tgid);
	CHECK_U64(out.ts, in->ts);
	CHECK_U64(out.ptr, in->ptr);
	CHECK_U64(out.call_site, in->call_site);
	CHECK_U64(out.cache, in->cache);
	CHECK_U64(out.bytes_req, in->bytes_req);
	CHECK_U64(out.bytes_alloc, in->bytes_alloc);
	CHECK_U64(out.gfp, in->gfp);
	CHECK_INT(out.stack, ==, in->stack);
	CHECK_U64(out.object_size, in->object_size);
	CHECK_U64(out.size, in->size);
	CHECK_U64(out.name_len, in->name_len);
	if (in->name_len)
		CHECK(out.name && !memcmp(out.name, in->name, in->name_len));
	/* One byte short: refused, never a partial record. */
	CHECK_INT(kms_encode(in, buf, n - 1), ==, -ENOSPC);
}

static struct kms_event alloc_ev(enum kms_ev_type type, unsigned int flags)
{
	return (struct kms_event){ .type = type, .flags = flags, .cpu = 3, .tid = 4242,
				   .tgid = 4240, .ts = 123456789012ULL, .ptr = 0xffff888001000040ULL,
				   .call_site = 0xffffffff81234567ULL, .gfp = 0xcc0 };
}

TEST(kmalloc)
{
	struct kms_event e = alloc_ev(KMS_EV_KMALLOC, 0);

	e.bytes_req = 100;
	e.bytes_alloc = 128;
	round_trip(&e, sizeof(struct kms_rec_alloc));
	/* the context and the task's scope */
	e.flags = KMS_EVF_SOFTIRQ | KMS_EVF_PREEMPT_OFF | KMS_EVF_BH_OFF | KMS_EVF_RCU |
		  KMS_EVF_NOFS;
	round_trip(&e, sizeof(struct kms_rec_alloc));
	e.flags = KMS_EVF_HARDIRQ | KMS_EVF_MEMALLOC | KMS_EVF_NOIO;
	round_trip(&e, sizeof(struct kms_rec_alloc));
	/* failed: no pointer */
	e.flags = KMS_EVF_FAILED;
	e.ptr = 0;
	round_trip(&e, sizeof(struct kms_rec_alloc));
}

TEST(kmalloc_cache_and_stack)
{
	struct kms_event e = alloc_ev(KMS_EV_KMALLOC, KMS_EVF_KERNEL_CACHE);

	e.bytes_req = 100;
	e.bytes_alloc = 128;
	e.cache = 0xffff888003000000ULL;
	round_trip(&e, sizeof(struct kms_rec_kmalloc_cache));
	e.flags |= KMS_EVF_STACK;
	e.stack = 77;
	round_trip(&e, sizeof(struct kms_rec_alloc_stack));
	e.flags = KMS_EVF_STACK;
	e.cache = 0;
	e.stack = -17;	/* lost */
	round_trip(&e, sizeof(struct kms_rec_alloc_stack));
}

TEST(cache_alloc)
{
	struct kms_event e = alloc_ev(KMS_EV_CACHE_ALLOC, KMS_EVF_HAS_CACHE);

	e.cache = 0xffff888003000100ULL;
	round_trip(&e, sizeof(struct kms_rec_alloc));
	e.flags |= KMS_EVF_STACK;
	e.stack = 5;
	round_trip(&e, sizeof(struct kms_rec_alloc_stack));
	/* 5.15: sizes, no cache */
	e = alloc_ev(KMS_EV_CACHE_ALLOC, 0);
	e.bytes_req = 200;
	e.bytes_alloc = 208;
	round_trip(&e, sizeof(struct kms_rec_alloc));
}

TEST(frees)
{
	struct kms_event e = { .type = KMS_EV_KFREE, .cpu = 1, .tid = 9, .ts = 5, .ptr = 0x1000 };

	round_trip(&e, sizeof(struct kms_rec_free));
	e.flags = KMS_EVF_HAS_CACHE;
	e.cache = 0xffff888003000000ULL;
	round_trip(&e, sizeof(struct kms_rec_cache_free));
	e.type = KMS_EV_CACHE_FREE;
	round_trip(&e, sizeof(struct kms_rec_cache_free));
	/* a cache free whose cache is unknown (0) */
	e.flags = 0;
	e.cache = 0;
	round_trip(&e, sizeof(struct kms_rec_cache_free));
	/* kfree_rcu(), and a kfree of a sheaf */
	e.type = KMS_EV_RCU_CALL;
	round_trip(&e, sizeof(struct kms_rec_free));
	e.type = KMS_EV_KFREE;
	e.flags = KMS_EVF_SHEAF;
	round_trip(&e, sizeof(struct kms_rec_free));
}

TEST(cache_info_and_task)
{
	struct kms_event e = { .type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE,
			       .cache = 0xffff888003000000ULL, .object_size = 200, .size = 208,
			       .name = "fixture_cache", .name_len = 13 };
	struct kms_event t = { .type = KMS_EV_TASK, .cpu = 2, .tid = 100, .tgid = 99,
			       .name = "kmgen", .name_len = 5 };

	round_trip(&e, sizeof(struct kms_rec_cache_info));
	round_trip(&t, sizeof(struct kms_rec_task));
	/* With its cgroup the 40-byte layout; a SLAB_ACCOUNT cache keeps its flag. */
	t.flags = KMS_EVF_CGROUP;
	t.cgroup = 4242;
	round_trip(&t, sizeof(struct kms_rec_task_cgroup));
	e.flags |= KMS_EVF_ACCOUNT;
	round_trip(&e, sizeof(struct kms_rec_cache_info));
}

/* The bytes are the BPF program's: a record built field by field, as it does. */
TEST(same_bytes_as_bpf)
{
	struct kms_rec_alloc r = {
		.hdr = { .type = KMS_REC_KMALLOC, .flags = KMS_AF_SOFTIRQ, .cpu = 1, .tid = 42 },
		.tgid = 42, .gfp = 0xcc0 | KMS_TC_RCU, .ts = 1000, .ptr = 0xffff888100000000ULL,
		.call_site = 0xffffffff81200010ULL,
	};
	struct kms_event e = { .type = KMS_EV_KMALLOC, .flags = KMS_EVF_SOFTIRQ | KMS_EVF_RCU,
			       .cpu = 1, .tid = 42, .tgid = 42, .ts = 1000,
			       .ptr = 0xffff888100000000ULL, .call_site = 0xffffffff81200010ULL,
			       .bytes_req = 50, .bytes_alloc = 64, .gfp = 0xcc0 };
	unsigned char buf[KMS_ENCODE_MAX];

	r.u.bytes_req = 50;
	r.u.bytes_alloc = 64;
	CHECK_INT(kms_encode(&e, buf, sizeof(buf)), ==, (int)sizeof(r));
	CHECK(!memcmp(buf, &r, sizeof(r)));
}

TEST(refused)
{
	struct kms_event e = { .type = KMS_EV_TASK, .name_len = 3 };	/* no name */
	unsigned char buf[KMS_ENCODE_MAX];

	CHECK_INT(kms_encode(&e, buf, sizeof(buf)), ==, -EINVAL);
	e = (struct kms_event){ .type = KMS_EV_KFREE, .cpu = 70000 };
	CHECK_INT(kms_encode(&e, buf, sizeof(buf)), ==, -EINVAL);
	e = (struct kms_event){ .type = (enum kms_ev_type)42 };
	CHECK_INT(kms_encode(&e, buf, sizeof(buf)), ==, -EINVAL);
}

int main(void)
{
	t_suite = "encode";
	RUN(kmalloc);
	RUN(kmalloc_cache_and_stack);
	RUN(cache_alloc);
	RUN(frees);
	RUN(cache_info_and_task);
	RUN(same_bytes_as_bpf);
	RUN(refused);
	return test_done();
}
