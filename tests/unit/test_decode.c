// SPDX-License-Identifier: GPL-2.0
/*
 * test_decode.c - unit tests for src/decode.c against the wire layouts of
 * include/kmscope_event.h: every record type built byte by byte at the
 * offsets the ABI fixes, every kms_event field checked, flags, short and
 * unknown records, names with and without their NUL, records at odd
 * addresses and records with trailing bytes.
 *
 * Records are decoded from heap buffers of exactly the given size so that
 * ASan catches any read past the end.  The odd-address cases run in a
 * child process: an alignment fault is a UBSan abort, and it should fail
 * one test rather than end the whole binary.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/types.h>

#include "kms_records.h"
#include "decode.h"
#include "test.h"

/* Sizes fixed by the ABI (kmscope_event.h comments and field sums). */
#define SZ_ALLOC	48	/* hdr 8 + tgid,gfp 8 + ts,ptr,site 24 + u 8 */
#define SZ_FREE		24	/* hdr 8 + ts 8 + ptr 8 */
#define SZ_CACHE_FREE	32	/* kms_rec_free + cache 8 */
#define SZ_CACHE_INFO	72	/* hdr 8 + cache 8 + two u32 8 + name 48 */
#define SZ_TASK		32	/* hdr 8 + tgid,pad 8 + comm 16 */

/* Field values that differ in every byte, so a swapped field shows. */
#define V_CPU		0x0102
#define V_TID		0x0a0b0c0d
#define V_TGID		0x11121314
#define V_GFP		0x00400cc0
#define V_TS		0x2122232425262728ull
#define V_PTR		0xffff888012345678ull
#define V_SITE		0xffffffff81234567ull
#define V_REQ		0x00000064
#define V_ALLOC		0x00000080
#define V_CACHE		0xffffffff82abcdefull

static void put16(unsigned char *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put_hdr(unsigned char *p, uint8_t type, uint8_t flags)
{
	p[0] = type;
	p[1] = flags;
	put16(p + 2, V_CPU);
	put32(p + 4, V_TID);
}

/* struct kms_rec_alloc; `u` holds bytes_req/bytes_alloc or the cache. */
static size_t build_alloc(unsigned char *p, uint8_t type, uint8_t flags,
			  bool cache)
{
	memset(p, 0, SZ_ALLOC);
	put_hdr(p, type, flags);
	put32(p + 8, V_TGID);
	put32(p + 12, V_GFP);
	put64(p + 16, V_TS);
	put64(p + 24, V_PTR);
	put64(p + 32, V_SITE);
	if (cache) {
		put64(p + 40, V_CACHE);
	} else {
		put32(p + 40, V_REQ);
		put32(p + 44, V_ALLOC);
	}
	return SZ_ALLOC;
}

static size_t build_free(unsigned char *p)
{
	memset(p, 0, SZ_FREE);
	put_hdr(p, KMS_REC_KFREE, 0);
	put64(p + 8, V_TS);
	put64(p + 16, V_PTR);
	return SZ_FREE;
}

static size_t build_cache_free(unsigned char *p, uint64_t cache)
{
	memset(p, 0, SZ_CACHE_FREE);
	put_hdr(p, KMS_REC_CACHE_FREE, 0);
	put64(p + 8, V_TS);
	put64(p + 16, V_PTR);
	put64(p + 24, cache);
	return SZ_CACHE_FREE;
}

/* name is copied without its NUL: nlen == 48 leaves it unterminated. */
static size_t build_cache_info(unsigned char *p, const char *name, size_t nlen)
{
	memset(p, 0, SZ_CACHE_INFO);
	put_hdr(p, KMS_REC_CACHE_INFO, 0);
	put64(p + 8, V_CACHE);
	put32(p + 16, 192);
	put32(p + 20, 256);
	memcpy(p + 24, name, nlen);
	return SZ_CACHE_INFO;
}

static size_t build_task(unsigned char *p, const char *comm, size_t nlen)
{
	memset(p, 0, SZ_TASK);
	put_hdr(p, KMS_REC_TASK, 0);
	put32(p + 8, V_TGID);
	put32(p + 12, 0xdeadbeef);	/* pad: must be ignored */
	memcpy(p + 16, comm, nlen);
	return SZ_TASK;
}

/*
 * Decode `len` bytes of rec from a heap copy of exactly len + off bytes,
 * the record starting at offset off.  ev is filled with 0xa5 first so
 * that a field decode forgot to clear shows.  *copy keeps the buffer
 * (names point into it); the caller frees it.
 */
static int decode_copy(const unsigned char *rec, size_t len, size_t off,
		       struct kms_event *ev, unsigned char **copy)
{
	unsigned char *buf = malloc(len + off ? len + off : 1);
	int rc;

	if (!buf)
		return -ENOMEM;
	memset(buf, 0x5a, off);
	memcpy(buf + off, rec, len);
	memset(ev, 0xa5, sizeof(*ev));
	rc = kms_decode(buf + off, len, ev);
	if (copy)
		*copy = buf;
	else
		free(buf);
	return rc;
}

TEST(abi_sizes)
{
	/* The ABI: these sizes are in every recording (KMS_ABI_VERSION 1). */
	CHECK_INT(sizeof(struct kms_rec_hdr), ==, 8);
	CHECK_INT(sizeof(struct kms_rec_alloc), ==, SZ_ALLOC);
	CHECK_INT(sizeof(struct kms_rec_free), ==, SZ_FREE);
	CHECK_INT(sizeof(struct kms_rec_cache_free), ==, SZ_CACHE_FREE);
	CHECK_INT(sizeof(struct kms_rec_cache_info), ==, SZ_CACHE_INFO);
	CHECK_INT(sizeof(struct kms_rec_task), ==, SZ_TASK);
	/* The offsets the builders above write at. */
	CHECK_INT(offsetof(struct kms_rec_alloc, u), ==, 40);
	CHECK_INT(offsetof(struct kms_rec_cache_info, name), ==, 24);
	CHECK_INT(offsetof(struct kms_rec_task, comm), ==, 16);
	/* KMS_TF_CGROUP: the task record and its cgroup id, 40 bytes. */
	CHECK_INT(sizeof(struct kms_rec_task_cgroup), ==, SZ_TASK + 8);
	CHECK_INT(offsetof(struct kms_rec_task_cgroup, cgroup), ==, SZ_TASK);
	/* --pair: the free's header, time and cache, the allocation at 24. */
	CHECK_INT(sizeof(struct kms_rec_pair), ==, 88);
	CHECK_INT(offsetof(struct kms_rec_pair, alloc), ==, 24);
}

/* The fields every alloc event shares, whatever `u` holds. */
static void check_alloc_common(const struct kms_event *ev)
{
	CHECK_INT(ev->cpu, ==, V_CPU);		/* hdr.cpu, u16 */
	CHECK_U64(ev->tid, V_TID);		/* hdr.tid */
	CHECK_U64(ev->tgid, V_TGID);
	CHECK_U64(ev->gfp, V_GFP);
	CHECK_U64(ev->ts, V_TS);
	CHECK_U64(ev->ptr, V_PTR);
	CHECK_U64(ev->call_site, V_SITE);
	CHECK_INT(ev->object_size, ==, 0);	/* CACHE_INFO only */
	CHECK_INT(ev->size, ==, 0);
	CHECK(ev->name == NULL);		/* no name in alloc records */
	CHECK_INT(ev->name_len, ==, 0);
}

TEST(kmalloc)
{
	unsigned char rec[SZ_ALLOC];
	struct kms_event ev;
	size_t len = build_alloc(rec, KMS_REC_KMALLOC, 0, false);

	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_KMALLOC);
	CHECK_INT(ev.flags, ==, 0);		/* no FAILED, never HAS_CACHE */
	check_alloc_common(&ev);
	CHECK_U64(ev.cache, 0);			/* kmalloc carries bytes */
	CHECK_U64(ev.bytes_req, V_REQ);
	CHECK_U64(ev.bytes_alloc, V_ALLOC);
}

/*
 * The top four bits of the wire gfp are the task's scope: split off into
 * flags, never left in gfp (bit 27 and below are the kernel's).
 */
TEST(kmalloc_task_ctx)
{
	static const struct { uint32_t wire; unsigned int flags; } cases[] = {
		{ KMS_TC_RCU, KMS_EVF_RCU },
		{ KMS_TC_MEMALLOC, KMS_EVF_MEMALLOC },
		{ KMS_TC_NOFS, KMS_EVF_NOFS },
		{ KMS_TC_NOIO, KMS_EVF_NOIO },
		{ 0xf0000000u, KMS_EVF_RCU | KMS_EVF_MEMALLOC | KMS_EVF_NOFS | KMS_EVF_NOIO },
	};
	unsigned char rec[SZ_ALLOC];
	struct kms_event ev;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = build_alloc(rec, KMS_REC_KMALLOC, 0, false);
		put32(rec + 12, V_GFP | 0x08000000u | cases[i].wire);
		CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
		CHECK_INT(ev.flags, ==, cases[i].flags);
		CHECK_U64(ev.gfp, V_GFP | 0x08000000u);
	}
}

/* KMS_AF_CACHE: 56 bytes, the kernel's cache id after the 48-byte kmalloc. */
TEST(kmalloc_with_cache)
{
	unsigned char rec[SZ_ALLOC + 8];
	struct kms_event ev;
	size_t len = build_alloc(rec, KMS_REC_KMALLOC, KMS_AF_CACHE, false);

	put64(rec + len, V_CACHE);
	len += 8;
	CHECK_INT(len, ==, sizeof(struct kms_rec_kmalloc_cache));	/* 56 */
	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_KMALLOC);
	/* Named by the kernel, but the bytes are the event's, not the cache's. */
	CHECK_INT(ev.flags, ==, KMS_EVF_KERNEL_CACHE);
	check_alloc_common(&ev);
	CHECK_U64(ev.cache, V_CACHE);
	CHECK_U64(ev.bytes_req, V_REQ);
	CHECK_U64(ev.bytes_alloc, V_ALLOC);
	/* The flag promises 56 bytes: 48 are a short record. */
	CHECK_INT(decode_copy(rec, SZ_ALLOC, 0, &ev, NULL), ==, -EINVAL);
}

/* KMS_FF_CACHE: a kfree in the 32-byte kmem_cache_free layout. */
TEST(kfree_with_cache)
{
	unsigned char rec[SZ_CACHE_FREE];
	struct kms_event ev;
	size_t len = build_cache_free(rec, V_CACHE);

	rec[0] = KMS_REC_KFREE;
	rec[1] = KMS_FF_CACHE;
	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_KFREE);
	CHECK_INT(ev.flags, ==, KMS_EVF_HAS_CACHE);
	CHECK_U64(ev.cache, V_CACHE);
	CHECK_U64(ev.ptr, V_PTR);
	CHECK_INT(decode_copy(rec, SZ_FREE, 0, &ev, NULL), ==, -EINVAL);
}

TEST(kmalloc_failed)
{
	unsigned char rec[SZ_ALLOC];
	struct kms_event ev;
	size_t len = build_alloc(rec, KMS_REC_KMALLOC, KMS_AF_FAILED, false);

	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_KMALLOC);
	/* KMS_AF_FAILED (1 << 1 on the wire) becomes KMS_EVF_FAILED (1 << 0). */
	CHECK_INT(ev.flags, ==, KMS_EVF_FAILED);
	check_alloc_common(&ev);
	CHECK_U64(ev.bytes_req, V_REQ);
	CHECK_U64(ev.bytes_alloc, V_ALLOC);
	/* BYTES_INLINE means nothing for KMALLOC: bytes are inline anyway. */
	len = build_alloc(rec, KMS_REC_KMALLOC,
			  KMS_AF_FAILED | KMS_AF_BYTES_INLINE, false);
	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.flags, ==, KMS_EVF_FAILED);
	CHECK_U64(ev.bytes_req, V_REQ);
	CHECK_U64(ev.cache, 0);
}

TEST(cache_alloc)
{
	unsigned char rec[SZ_ALLOC];
	struct kms_event ev;
	size_t len = build_alloc(rec, KMS_REC_CACHE_ALLOC, 0, true);

	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_CACHE_ALLOC);
	/* Without BYTES_INLINE, `u` is the cache id. */
	CHECK_INT(ev.flags, ==, KMS_EVF_HAS_CACHE);
	check_alloc_common(&ev);
	CHECK_U64(ev.cache, V_CACHE);
	CHECK_U64(ev.bytes_req, 0);		/* only the cache is known */
	CHECK_U64(ev.bytes_alloc, 0);

	len = build_alloc(rec, KMS_REC_CACHE_ALLOC, KMS_AF_FAILED, true);
	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.flags, ==, KMS_EVF_HAS_CACHE | KMS_EVF_FAILED);
	CHECK_U64(ev.cache, V_CACHE);
}

TEST(cache_alloc_bytes_inline)
{
	unsigned char rec[SZ_ALLOC];
	struct kms_event ev;
	size_t len = build_alloc(rec, KMS_REC_CACHE_ALLOC, KMS_AF_BYTES_INLINE,
				 false);

	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_CACHE_ALLOC);
	CHECK_INT(ev.flags, ==, 0);		/* bytes, no cache (5.15) */
	check_alloc_common(&ev);
	CHECK_U64(ev.cache, 0);
	CHECK_U64(ev.bytes_req, V_REQ);
	CHECK_U64(ev.bytes_alloc, V_ALLOC);

	len = build_alloc(rec, KMS_REC_CACHE_ALLOC,
			  KMS_AF_BYTES_INLINE | KMS_AF_FAILED, false);
	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.flags, ==, KMS_EVF_FAILED);
	CHECK_U64(ev.bytes_alloc, V_ALLOC);
}

/* Free-side events carry no allocation fields: all must read 0. */
static void check_free_common(const struct kms_event *ev)
{
	CHECK_INT(ev->cpu, ==, V_CPU);
	CHECK_U64(ev->tid, V_TID);
	CHECK_U64(ev->tgid, 0);
	CHECK_U64(ev->ts, V_TS);
	CHECK_U64(ev->ptr, V_PTR);
	CHECK_U64(ev->call_site, 0);
	CHECK_U64(ev->bytes_req, 0);
	CHECK_U64(ev->bytes_alloc, 0);
	CHECK_U64(ev->gfp, 0);
	CHECK_U64(ev->object_size, 0);
	CHECK_U64(ev->size, 0);
	CHECK(ev->name == NULL);
	CHECK_INT(ev->name_len, ==, 0);
}

TEST(kfree)
{
	unsigned char rec[SZ_FREE];
	struct kms_event ev;
	size_t len = build_free(rec);

	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_KFREE);
	CHECK_INT(ev.flags, ==, 0);
	check_free_common(&ev);
	CHECK_U64(ev.cache, 0);
}

TEST(cache_free)
{
	unsigned char rec[SZ_CACHE_FREE];
	struct kms_event ev;
	size_t len = build_cache_free(rec, V_CACHE);

	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_CACHE_FREE);
	CHECK_INT(ev.flags, ==, KMS_EVF_HAS_CACHE);	/* cache != 0 */
	check_free_common(&ev);
	CHECK_U64(ev.cache, V_CACHE);

	/* cache 0: "or 0" in the layout comment, so no HAS_CACHE. */
	len = build_cache_free(rec, 0);
	CHECK_INT(decode_copy(rec, len, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_CACHE_FREE);
	CHECK_INT(ev.flags, ==, 0);
	check_free_common(&ev);
	CHECK_U64(ev.cache, 0);
}

TEST(cache_info)
{
	unsigned char rec[SZ_CACHE_INFO], *buf = NULL;
	struct kms_event ev;
	size_t len = build_cache_info(rec, "kmalloc-192", 11);

	CHECK_INT(decode_copy(rec, len, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_CACHE_INFO);
	CHECK_INT(ev.flags, ==, KMS_EVF_HAS_CACHE);	/* `cache` is set */
	CHECK_INT(ev.cpu, ==, V_CPU);
	CHECK_U64(ev.tid, V_TID);
	CHECK_U64(ev.tgid, 0);
	CHECK_U64(ev.ts, 0);			/* info records have no time */
	CHECK_U64(ev.ptr, 0);
	CHECK_U64(ev.call_site, 0);
	CHECK_U64(ev.cache, V_CACHE);
	CHECK_U64(ev.bytes_req, 0);
	CHECK_U64(ev.bytes_alloc, 0);
	CHECK_U64(ev.gfp, 0);
	CHECK_U64(ev.object_size, 192);		/* as build_cache_info wrote */
	CHECK_U64(ev.size, 256);
	CHECK(ev.name == (const char *)buf + 24);	/* not copied */
	CHECK_INT(ev.name_len, ==, 11);		/* strlen("kmalloc-192") */
	CHECK_STR(ev.name, "kmalloc-192");
	free(buf);
}

TEST(cache_info_names)
{
	static const char long_name[KMS_CACHE_NAME_LEN + 1] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV";
	unsigned char rec[SZ_CACHE_INFO], *buf = NULL;
	struct kms_event ev;

	/* All 48 bytes used, no NUL: the name stops at the field's end. */
	build_cache_info(rec, long_name, KMS_CACHE_NAME_LEN);
	CHECK_INT(decode_copy(rec, SZ_CACHE_INFO, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.name_len, ==, KMS_CACHE_NAME_LEN);
	CHECK(ev.name && !memcmp(ev.name, long_name, KMS_CACHE_NAME_LEN));
	free(buf);

	/* 47 bytes and the NUL: the longest terminated name. */
	build_cache_info(rec, long_name, KMS_CACHE_NAME_LEN - 1);
	CHECK_INT(decode_copy(rec, SZ_CACHE_INFO, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.name_len, ==, KMS_CACHE_NAME_LEN - 1);
	free(buf);

	/* Empty (bpf_probe_read_kernel_str failed): length 0. */
	build_cache_info(rec, "", 0);
	CHECK_INT(decode_copy(rec, SZ_CACHE_INFO, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.name_len, ==, 0);
	CHECK_STR(ev.name, "");
	free(buf);

	/* Garbage after the NUL is not part of the name. */
	build_cache_info(rec, "dentry\0junk", 11);
	CHECK_INT(decode_copy(rec, SZ_CACHE_INFO, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.name_len, ==, 6);		/* strlen("dentry") */
	free(buf);
}

TEST(task)
{
	unsigned char rec[SZ_TASK], *buf = NULL;
	struct kms_event ev;

	build_task(rec, "kworker/0:1", 11);
	CHECK_INT(decode_copy(rec, SZ_TASK, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_TASK);
	CHECK_INT(ev.flags, ==, 0);
	CHECK_INT(ev.cpu, ==, V_CPU);
	CHECK_U64(ev.tid, V_TID);
	CHECK_U64(ev.tgid, V_TGID);		/* not the pad after it */
	CHECK_U64(ev.ts, 0);
	CHECK_U64(ev.ptr, 0);
	CHECK_U64(ev.call_site, 0);
	CHECK_U64(ev.cache, 0);
	CHECK_U64(ev.cgroup, 0);
	CHECK_U64(ev.bytes_req, 0);
	CHECK_U64(ev.bytes_alloc, 0);
	CHECK_U64(ev.gfp, 0);
	CHECK_U64(ev.object_size, 0);
	CHECK_U64(ev.size, 0);
	CHECK(ev.name == (const char *)buf + 16);
	CHECK_INT(ev.name_len, ==, 11);		/* strlen("kworker/0:1") */
	CHECK_STR(ev.name, "kworker/0:1");
	free(buf);

	/* 16 bytes, no NUL (a full TASK_COMM_LEN without terminator). */
	build_task(rec, "0123456789abcdef", KMS_COMM_LEN);
	CHECK_INT(decode_copy(rec, SZ_TASK, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.name_len, ==, KMS_COMM_LEN);
	CHECK(ev.name && !memcmp(ev.name, "0123456789abcdef", KMS_COMM_LEN));
	free(buf);

	build_task(rec, "", 0);
	CHECK_INT(decode_copy(rec, SZ_TASK, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.name_len, ==, 0);
	free(buf);
}

/*
 * KMS_TF_CGROUP: the cgroup id after the task record; too short for it is
 * a bad record.  KMS_CF_ACCOUNT: a SLAB_ACCOUNT cache.
 */
TEST(task_cgroup_and_account)
{
	unsigned char rec[SZ_TASK + 8], info[SZ_CACHE_INFO], *buf = NULL;
	struct kms_event ev;

	build_task(rec, "kmgen", 5);
	rec[1] = KMS_TF_CGROUP;
	put64(rec + SZ_TASK, 0x1234abcdULL);
	CHECK_INT(decode_copy(rec, SZ_TASK + 8, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.flags, ==, KMS_EVF_CGROUP);
	CHECK_U64(ev.cgroup, 0x1234abcdULL);
	CHECK_STR(ev.name, "kmgen");
	free(buf);
	CHECK_INT(decode_copy(rec, SZ_TASK + 7, 1, &ev, NULL), ==, -EINVAL);
	/* Without the flag: no cgroup, whatever follows. */
	rec[1] = 0;
	CHECK_INT(decode_copy(rec, SZ_TASK + 8, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.flags, ==, 0);
	CHECK_U64(ev.cgroup, 0);

	build_cache_info(info, "msg_msg-128", 11);
	info[1] = KMS_CF_ACCOUNT;
	CHECK_INT(decode_copy(info, SZ_CACHE_INFO, 0, &ev, &buf), ==, 0);
	CHECK_INT(ev.flags, ==, KMS_EVF_HAS_CACHE | KMS_EVF_ACCOUNT);
	free(buf);
}

/* kfree_rcu(): the kfree layout, its own type; a sheaf's kfree says so. */
TEST(rcu_call_and_sheaf)
{
	unsigned char rec[SZ_FREE];
	struct kms_event ev;

	build_free(rec);
	rec[0] = KMS_REC_RCU_CALL;
	CHECK_INT(decode_copy(rec, SZ_FREE, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_RCU_CALL);
	CHECK_U64(ev.ptr, V_PTR);
	CHECK_U64(ev.ts, V_TS);
	CHECK_INT(ev.flags, ==, 0);
	CHECK_STR(kms_ev_type_name(KMS_EV_RCU_CALL), "kfree_rcu");
	build_free(rec);
	rec[1] = KMS_FF_SHEAF;
	CHECK_INT(decode_copy(rec, SZ_FREE, 0, &ev, NULL), ==, 0);
	CHECK_INT(ev.type, ==, KMS_EV_KFREE);
	CHECK_INT(ev.flags, ==, KMS_EVF_SHEAF);
}

/* One full-size record of each known type, for the length sweeps. */
static size_t build_any(unsigned char *p, unsigned int type)
{
	switch (type) {
	case KMS_REC_KMALLOC:
		return build_alloc(p, KMS_REC_KMALLOC, 0, false);
	case KMS_REC_CACHE_ALLOC:
		return build_alloc(p, KMS_REC_CACHE_ALLOC, 0, true);
	case KMS_REC_KFREE:
		return build_free(p);
	case KMS_REC_CACHE_FREE:
		return build_cache_free(p, V_CACHE);
	case KMS_REC_CACHE_INFO:
		return build_cache_info(p, "kmalloc-192", 11);
	case KMS_REC_TASK:
		return build_task(p, "sh", 2);
	case KMS_REC_RCU_CALL:
		build_free(p);
		p[0] = KMS_REC_RCU_CALL;
		return SZ_FREE;
	}
	return 0;
}

TEST(short_records)
{
	unsigned char rec[128];
	struct kms_event ev;

	for (unsigned int type = 1; type < KMS_REC_TYPE_MAX; type++) {
		size_t full = build_any(rec, type);

		if (type == KMS_REC_PAIR)
			continue;	/* two events: pair_records */
		/* Every length below the type's size, header-only included. */
		for (size_t len = 0; len < full; len++) {
			int rc = decode_copy(rec, len, 0, &ev, NULL);

			if (rc != -EINVAL) {
				T_FAIL("type %u, %zu of %zu bytes: %d, want %d",
				       type, len, full, rc, -EINVAL);
				break;
			}
		}
		CHECK_INT(decode_copy(rec, full, 0, &ev, NULL), ==, 0);
	}
}

TEST(unknown_type)
{
	static const unsigned int types[] = { 0, KMS_REC_TYPE_MAX, 200, 255 };
	unsigned char rec[128];
	struct kms_event ev;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		/* A full-size alloc image, only the type byte changed. */
		build_alloc(rec, KMS_REC_KMALLOC, 0, false);
		rec[0] = (unsigned char)types[i];
		CHECK_INT(decode_copy(rec, SZ_ALLOC, 0, &ev, NULL), ==,
			  -ENOTSUP);
		/* Just a header: still "unknown", the reader can skip it. */
		CHECK_INT(decode_copy(rec, 8, 0, &ev, NULL), ==, -ENOTSUP);
		/* Bigger than any known record: unknown, not malformed. */
		memset(rec + SZ_ALLOC, 0x77, sizeof(rec) - SZ_ALLOC);
		CHECK_INT(decode_copy(rec, sizeof(rec), 0, &ev, NULL), ==,
			  -ENOTSUP);
	}
	CHECK_STR(kms_ev_type_name(KMS_EV_KMALLOC), "kmalloc");
	CHECK_STR(kms_ev_type_name(KMS_EV_CACHE_FREE), "kmem_cache_free");
	CHECK_STR(kms_ev_type_name(KMS_EV_TASK), "task");
	CHECK_STR(kms_ev_type_name((enum kms_ev_type)99), "?");
}

#define SZ_PAIR		88	/* hdr 8 + ts 8 + cache 8 + the allocation's 64 */
#define V_FREE_TS	0x3132333435363738ull
#define V_FREE_CACHE	0xffffffff83aabbccull

/* A pair record: the free's header, time and cache, then the allocation's record. */
static size_t build_pair(unsigned char *p, uint8_t flags, uint64_t cache, uint8_t alloc_type,
			 uint8_t alloc_flags)
{
	memset(p, 0, SZ_PAIR);
	put_hdr(p, KMS_REC_PAIR, flags);
	put16(p + 2, 0x0201);	/* the free's CPU and task, not the allocation's */
	put32(p + 4, 0x01020304);
	put64(p + 8, V_FREE_TS);
	put64(p + 16, cache);
	build_alloc(p + 24, alloc_type, alloc_flags, alloc_type == KMS_REC_CACHE_ALLOC);
	if (alloc_flags & KMS_AF_STACK) {
		put64(p + 24 + 48, V_CACHE);
		put32(p + 24 + 56, 77);
	}
	return SZ_PAIR;
}

TEST(pair_records)
{
	unsigned char rec[SZ_PAIR], alone[SZ_PAIR];
	struct kms_event a, f, want;
	size_t len;

	/* A kfree of a kmalloc: the allocation exactly as its own record decodes. */
	build_pair(rec, 0, 0, KMS_REC_KMALLOC, 0);
	CHECK_INT(kms_decode(rec, sizeof(rec), &a), ==, -EAGAIN);
	CHECK_INT(kms_decode_pair(rec, sizeof(rec), &a, &f), ==, 0);
	build_alloc(alone, KMS_REC_KMALLOC, 0, false);
	CHECK_INT(kms_decode(alone, SZ_ALLOC, &want), ==, 0);
	CHECK_INT(a.type, ==, want.type);
	CHECK_INT(a.flags, ==, want.flags);
	CHECK_INT(a.cpu, ==, V_CPU);
	CHECK_INT(a.tid, ==, V_TID);
	CHECK_INT(a.tgid, ==, V_TGID);
	CHECK_INT(a.gfp, ==, want.gfp);
	CHECK_U64(a.ts, V_TS);
	CHECK_U64(a.ptr, V_PTR);
	CHECK_U64(a.call_site, V_SITE);
	CHECK_INT(a.bytes_req, ==, V_REQ);
	CHECK_INT(a.bytes_alloc, ==, V_ALLOC);
	CHECK_INT(f.type, ==, KMS_EV_KFREE);
	CHECK_INT(f.cpu, ==, 0x0201);
	CHECK_INT(f.tid, ==, 0x01020304);
	CHECK_U64(f.ts, V_FREE_TS);
	CHECK_U64(f.ptr, V_PTR);
	CHECK_U64(f.cache, 0);
	CHECK_INT(f.flags, ==, 0);
	CHECK_INT(f.tgid, ==, 0);

	/* kmem_cache_free of a kmem_cache_alloc: the cache travels with the free. */
	build_pair(rec, KMS_PF_CACHE_FREE, V_FREE_CACHE, KMS_REC_CACHE_ALLOC, 0);
	CHECK_INT(kms_decode_pair(rec, sizeof(rec), &a, &f), ==, 0);
	CHECK_INT(a.type, ==, KMS_EV_CACHE_ALLOC);
	CHECK_U64(a.cache, V_CACHE);
	CHECK_INT(f.type, ==, KMS_EV_CACHE_FREE);
	CHECK_U64(f.cache, V_FREE_CACHE);
	CHECK_INT(f.flags, ==, KMS_EVF_HAS_CACHE);

	/* A kfree the kernel named the cache of, into a sheaf; the allocation with its stack. */
	build_pair(rec, KMS_FF_CACHE | KMS_FF_SHEAF, V_FREE_CACHE, KMS_REC_KMALLOC,
		   KMS_AF_STACK | KMS_AF_CACHE);
	CHECK_INT(kms_decode_pair(rec, sizeof(rec), &a, &f), ==, 0);
	CHECK_INT(a.flags, ==, KMS_EVF_STACK | KMS_EVF_KERNEL_CACHE);
	CHECK_INT(a.stack, ==, 77);
	CHECK_U64(a.cache, V_CACHE);
	CHECK_INT(f.type, ==, KMS_EV_KFREE);
	CHECK_INT(f.flags, ==, KMS_EVF_HAS_CACHE | KMS_EVF_SHEAF);
	CHECK_U64(f.cache, V_FREE_CACHE);

	/* A cache in a kfree without KMS_FF_CACHE is not the free's. */
	build_pair(rec, 0, V_FREE_CACHE, KMS_REC_KMALLOC, 0);
	CHECK_INT(kms_decode_pair(rec, sizeof(rec), &a, &f), ==, 0);
	CHECK_U64(f.cache, 0);
	CHECK_INT(f.flags, ==, 0);

	/* Short, or not an allocation inside: malformed. */
	build_pair(rec, 0, 0, KMS_REC_KMALLOC, 0);
	for (len = 0; len < SZ_PAIR; len++)
		if (kms_decode_pair(rec, len, &a, &f) != -EINVAL)
			T_FAIL("%zu of %d bytes decoded", len, SZ_PAIR);
	rec[24] = KMS_REC_KFREE;
	CHECK_INT(kms_decode_pair(rec, sizeof(rec), &a, &f), ==, -EINVAL);
	rec[24] = KMS_REC_PAIR;
	CHECK_INT(kms_decode_pair(rec, sizeof(rec), &a, &f), ==, -EINVAL);
	build_alloc(alone, KMS_REC_KMALLOC, 0, false);
	CHECK_INT(kms_decode_pair(alone, SZ_ALLOC, &a, &f), ==, -EINVAL);
}

/* A future ABI may grow a record at its end: the extra bytes are ignored. */
TEST(trailing_bytes)
{
	unsigned char rec[128];
	struct kms_event ev, want;

	for (unsigned int type = 1; type < KMS_REC_TYPE_MAX; type++) {
		size_t full = build_any(rec, type);
		unsigned char *b1 = NULL, *b2 = NULL;

		if (type == KMS_REC_PAIR)
			continue;	/* two events: pair_records */
		memset(rec + full, 0xee, sizeof(rec) - full);
		CHECK_INT(decode_copy(rec, full, 0, &want, &b1), ==, 0);
		CHECK_INT(decode_copy(rec, full + 1, 0, &ev, &b2), ==, 0);
		CHECK_INT(ev.type, ==, want.type);
		CHECK_U64(ev.ptr, want.ptr);
		CHECK_INT(ev.name_len, ==, want.name_len);
		free(b2);
		CHECK_INT(decode_copy(rec, sizeof(rec), 0, &ev, &b2), ==, 0);
		CHECK_INT(ev.type, ==, want.type);
		CHECK_INT(ev.flags, ==, want.flags);
		CHECK_U64(ev.ts, want.ts);
		CHECK_U64(ev.ptr, want.ptr);
		CHECK_U64(ev.cache, want.cache);
		CHECK_U64(ev.bytes_alloc, want.bytes_alloc);
		CHECK_INT(ev.name_len, ==, want.name_len);
		free(b1);
		free(b2);
	}
}

/*
 * Run fn in a child: a UBSan alignment report aborts the process, and
 * here that should fail this test only.  The child's checks print as
 * usual; its exit status says whether any failed.
 */
static void in_child(void (*fn)(unsigned int), unsigned int arg)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		T_FAIL("fork failed");
		return;
	}
	if (!pid) {
		t_cur_failed = false;
		fn(arg);
		fflush(stdout);
		_exit(t_cur_failed ? 3 : 0);
	}
	if (waitpid(pid, &st, 0) != pid) {
		T_FAIL("waitpid failed");
		return;
	}
	if (WIFSIGNALED(st))
		T_FAIL("type %u: child killed by signal %d", arg, WTERMSIG(st));
	else if (WEXITSTATUS(st) == 3)
		T_FAIL("type %u: decoded fields differ at an odd address", arg);
	else if (WEXITSTATUS(st))
		T_FAIL("type %u: child exited %d (sanitizer report above?)",
		       arg, WEXITSTATUS(st));
}

/* Decode type at offsets 0 and 1 (odd); every field must match. */
static void decode_unaligned(unsigned int type)
{
	unsigned char rec[128], *b0 = NULL, *b1 = NULL;
	struct kms_event want, ev;
	size_t len = build_any(rec, type);

	CHECK_INT(decode_copy(rec, len, 0, &want, &b0), ==, 0);
	CHECK_INT(decode_copy(rec, len, 1, &ev, &b1), ==, 0);
	CHECK_INT(ev.type, ==, want.type);
	CHECK_INT(ev.flags, ==, want.flags);
	CHECK_INT(ev.cpu, ==, want.cpu);
	CHECK_U64(ev.tid, want.tid);
	CHECK_U64(ev.tgid, want.tgid);
	CHECK_U64(ev.ts, want.ts);
	CHECK_U64(ev.ptr, want.ptr);
	CHECK_U64(ev.call_site, want.call_site);
	CHECK_U64(ev.cache, want.cache);
	CHECK_U64(ev.bytes_req, want.bytes_req);
	CHECK_U64(ev.bytes_alloc, want.bytes_alloc);
	CHECK_U64(ev.gfp, want.gfp);
	CHECK_U64(ev.object_size, want.object_size);
	CHECK_U64(ev.size, want.size);
	CHECK_INT(ev.name_len, ==, want.name_len);
	if (want.name) {
		/* Same offset into the record, one byte further on. */
		CHECK(ev.name == (const char *)b1 + 1 +
				 (want.name - (const char *)b0));
		CHECK(ev.name && !memcmp(ev.name, want.name, want.name_len));
	} else {
		CHECK(ev.name == NULL);
	}
	free(b0);
	free(b1);
}

TEST(unaligned_alloc)
{
	in_child(decode_unaligned, KMS_REC_KMALLOC);
	in_child(decode_unaligned, KMS_REC_CACHE_ALLOC);
}

TEST(unaligned_free)
{
	in_child(decode_unaligned, KMS_REC_KFREE);
	in_child(decode_unaligned, KMS_REC_CACHE_FREE);
}

TEST(unaligned_cache_info)
{
	in_child(decode_unaligned, KMS_REC_CACHE_INFO);
}

TEST(unaligned_task)
{
	in_child(decode_unaligned, KMS_REC_TASK);
}

int main(void)
{
	t_suite = "decode";
	RUN(abi_sizes);
	RUN(kmalloc);
	RUN(kmalloc_failed);
	RUN(kmalloc_task_ctx);
	RUN(kmalloc_with_cache);
	RUN(kfree_with_cache);
	RUN(cache_alloc);
	RUN(cache_alloc_bytes_inline);
	RUN(kfree);
	RUN(cache_free);
	RUN(cache_info);
	RUN(cache_info_names);
	RUN(task);
	RUN(task_cgroup_and_account);
	RUN(rcu_call_and_sheaf);
	RUN(short_records);
	RUN(unknown_type);
	RUN(trailing_bytes);
	RUN(pair_records);
	RUN(unaligned_alloc);
	RUN(unaligned_free);
	RUN(unaligned_cache_info);
	RUN(unaligned_task);
	return test_done();
}
