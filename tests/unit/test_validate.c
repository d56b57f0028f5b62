// SPDX-License-Identifier: GPL-2.0
/*
 * test_validate.c - unit tests for src/validate.c: hand-built kmalloc and
 * kmem_cache_alloc events (struct kms_event) with what the collector
 * resolved for them (struct kms_resolved), checked against the x86-64
 * 4 KiB size-class model and against inline slabsnap text parsed by
 * slabsys: exact and mismatched bytes_alloc with the example kept, the
 * prediction taken from sysfs slab_size (slab_debug, and a kernel-named
 * bucket cache's own), kmem_cache_alloc
 * caches found by name and by alias or missing, kernel-vs-model cache
 * names (agree, kmem_buckets, random copies, disagree), events that are
 * not checked (failed, the second half of a double kmalloc, frees), the
 * VALIDATE_EXAMPLES bound, validate__all_exact() and validate__free().
 */
#include <stdlib.h>

#include "collect.h"
#include "slabsys.h"
#include "test.h"
#include "validate.h"

#define GFP_KERNEL		0xcc0u
#define GFP_KERNEL_ACCOUNT	0x400cc0u	/* GFP_KERNEL | __GFP_ACCOUNT */
#define SITE			0xffffffff81234560ull
#define KID			0xffffffff82000040ull	/* a cache id */

/* A cache row as the collector would hand it out in res->cache. */
static struct kms_cache kcache(const char *name, uint32_t size)
{
	struct kms_cache k;

	memset(&k, 0, sizeof(k));
	snprintf(k.name, sizeof(k.name), "%s", name);
	k.object_size = size;
	k.size = size;
	return k;
}

static struct kmalloc_params kp_default(void)
{
	struct kmalloc_params kp;

	kmalloc_params__default(&kp, 4096);
	return kp;
}

/*
 * One successful kmalloc(req) that reported alloc bytes.  named: the
 * kernel named its cache (KMS_EVF_KERNEL_CACHE), which is then k.
 */
static void kmalloc_(struct validate_stats *v, const struct kmalloc_params *kp,
		     uint32_t req, uint32_t alloc, uint32_t gfp,
		     const struct kms_cache *k, bool named)
{
	struct kms_event ev = {
		.type = KMS_EV_KMALLOC, .flags = named ? KMS_EVF_KERNEL_CACHE : 0,
		.tid = 1, .ptr = 0xffff888001000000ull, .call_site = SITE,
		.cache = named ? KID : 0, .bytes_req = req, .bytes_alloc = alloc,
		.gfp = gfp,
	};
	struct kms_resolved res = {
		.cache = k, .bytes_req = req, .bytes_alloc = alloc,
	};

	validate__event(v, kp, &ev, &res);
}

/* A kmem_cache_alloc of cache k: its sizes are the cache's (collect.c). */
static void cache_alloc(struct validate_stats *v, const struct kmalloc_params *kp,
			const struct kms_cache *k)
{
	struct kms_event ev = {
		.type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE, .tid = 1,
		.ptr = 0xffff888002000000ull, .call_site = SITE + 8, .cache = KID,
		.gfp = GFP_KERNEL,
	};
	struct kms_resolved res = {
		.cache = k, .bytes_req = k ? k->object_size : 0,
		.bytes_alloc = k ? k->size : 0,
	};

	validate__event(v, kp, &ev, &res);
}

static struct slabsys *parse_sys(const char *s)
{
	struct slabsys *sys = NULL;

	if (slabsys__parse(s, strlen(s), &sys))
		T_FAIL("slabsys__parse failed");
	return sys;
}

/* The example fields that say which event it was and what was expected. */
#define CHECK_EXAMPLE(xp, site, req, alloc, pred, gfp_, cache_, model_)     \
	do {                                                                 \
		const struct validate_example *_x = (xp);                    \
		CHECK_U64(_x->call_site, site);                              \
		CHECK_INT(_x->bytes_req, ==, req);                           \
		CHECK_INT(_x->bytes_alloc, ==, alloc);                       \
		CHECK_INT(_x->predicted, ==, pred);                          \
		CHECK_U64(_x->gfp, gfp_);                                    \
		CHECK_STR(_x->cache, cache_);                                \
		CHECK_STR(_x->model, model_);                                \
	} while (0)

TEST(init_and_free)
{
	struct validate_stats v;

	memset(&v, 0x5a, sizeof(v));
	validate__init(&v);
	CHECK(!v.keys);
	CHECK_INT(v.nr_keys, ==, 0);
	CHECK_U64(v.kmalloc_events, 0);
	CHECK_INT(v.n_mismatch, ==, 0);
	CHECK_INT(v.n_disagree, ==, 0);
	/* Nothing seen: nothing inexact. */
	CHECK(validate__all_exact(&v));
	validate__free(&v);
	CHECK(!v.keys);
	validate__free(&v);			/* twice is harmless */
}

TEST(kmalloc_exact)
{
	struct kmalloc_params kp = kp_default();
	struct kms_cache k128 = kcache("kmalloc-128", 128),
			 k256 = kcache("kmalloc-256", 256),
			 cg96 = kcache("kmalloc-cg-96", 96),
			 l16 = kcache("kmalloc-large-16k", 16384);
	struct validate_stats v;

	validate__init(&v);
	/* 100 and 128 -> kmalloc-128; 200 -> kmalloc-256; 65 (ACCOUNT) ->
	 * kmalloc-cg-96; 10240 -> 16384 (order 2, above 2 pages). */
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL, &k128, false);
	kmalloc_(&v, &kp, 128, 128, GFP_KERNEL, &k128, false);
	kmalloc_(&v, &kp, 200, 256, GFP_KERNEL, &k256, false);
	kmalloc_(&v, &kp, 65, 96, GFP_KERNEL_ACCOUNT, &cg96, false);
	kmalloc_(&v, &kp, 10240, 16384, GFP_KERNEL, &l16, false);
	/* Folded per (model cache, model size, reported size): 4 keys. */
	CHECK_INT(v.nr_keys, ==, 4);
	if (v.nr_keys == 4) {
		CHECK_STR(v.keys[0].cache, "kmalloc-128");
		CHECK_INT(v.keys[0].model_bytes, ==, 128);
		CHECK_INT(v.keys[0].bytes_alloc, ==, 128);
		CHECK(v.keys[0].kmalloc && !v.keys[0].large);
		CHECK_U64(v.keys[0].count, 2);	/* 100 and 128 */
		/* The first example is the first event of the key. */
		CHECK_INT(v.keys[0].first.bytes_req, ==, 100);
		CHECK_STR(v.keys[2].cache, "kmalloc-cg-96");
		CHECK_STR(v.keys[3].cache, "kmalloc-large-16k");
		CHECK(v.keys[3].large);
		CHECK_INT(v.keys[3].model_bytes, ==, 16384);
	}
	/* Nothing is counted before finish. */
	CHECK_U64(v.kmalloc_events, 0);
	validate__finish(&v, NULL);
	CHECK_U64(v.kmalloc_events, 5);
	CHECK_U64(v.kmalloc_exact, 5);		/* every size as the model's */
	CHECK_U64(v.cache_events, 0);
	CHECK_INT(v.n_mismatch, ==, 0);
	/* No KMS_EVF_KERNEL_CACHE: every name is the model's. */
	CHECK_U64(v.named_by_model, 5);
	CHECK_U64(v.named_by_kernel, 0);
	CHECK(validate__all_exact(&v));
	validate__free(&v);
}

TEST(kmalloc_mismatch)
{
	struct kmalloc_params kp = kp_default();
	/* The collector names a model cache by the reported bytes. */
	struct kms_cache k96 = kcache("kmalloc-96", 96),
			 k128 = kcache("kmalloc-128", 128);
	struct validate_stats v;

	validate__init(&v);
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL, &k128, false);
	/* kmalloc(100) cannot come from kmalloc-96: model says 128. */
	kmalloc_(&v, &kp, 100, 96, GFP_KERNEL, &k96, false);
	/* 110 is also kmalloc-128's (97..128): the same key */
	kmalloc_(&v, &kp, 110, 96, GFP_KERNEL, &k96, false);
	/* 90 is kmalloc-96's (65..96): exact */
	kmalloc_(&v, &kp, 90, 96, GFP_KERNEL, &k96, false);
	validate__finish(&v, NULL);
	CHECK_U64(v.kmalloc_events, 4);
	CHECK_U64(v.kmalloc_exact, 2);		/* 100 -> 128 and 90 -> 96 */
	/* One example per distinct key: the first such event. */
	CHECK_INT(v.n_mismatch, ==, 1);
	CHECK_EXAMPLE(&v.mismatch[0], SITE, 100, 96, 128, GFP_KERNEL,
		      "kmalloc-96", "kmalloc-128");
	CHECK(!validate__all_exact(&v));
	validate__free(&v);
}

/* slab_debug: the cache's s->size is 128 for a 64-byte class. */
TEST(slab_debug_from_sysfs)
{
	static const char snap[] =
		"cache kmalloc-64 object_size=64 slab_size=128 objs_per_slab=32 "
		"order=0 red_zone=1 poison=1 store_user=0\n"
		"cache kmalloc-128 object_size=128 slab_size=128 objs_per_slab=32 "
		"order=0\n";
	struct kmalloc_params kp = kp_default();
	struct kms_cache k64 = kcache("kmalloc-64", 128),
			 k256 = kcache("kmalloc-256", 256);
	struct slabsys *sys = parse_sys(snap);
	struct validate_stats v;

	if (!sys)
		return;
	validate__init(&v);
	/* kmalloc(50): class 64, and the kernel reports s->size = 128. */
	kmalloc_(&v, &kp, 50, 128, GFP_KERNEL, &k64, false);
	/* One that reported the bare class size is now wrong. */
	kmalloc_(&v, &kp, 60, 64, GFP_KERNEL, &k64, false);
	/* kmalloc-256 is not in the snapshot: the class size stands. */
	kmalloc_(&v, &kp, 200, 256, GFP_KERNEL, &k256, false);
	validate__finish(&v, sys);
	CHECK_U64(v.kmalloc_events, 3);
	CHECK_U64(v.kmalloc_exact, 2);		/* 50 -> 128 and 200 -> 256 */
	CHECK_INT(v.n_mismatch, ==, 1);
	/* predicted: sysfs slab_size 128, not the class's 64 */
	CHECK_EXAMPLE(&v.mismatch[0], SITE, 60, 64, 128, GFP_KERNEL,
		      "kmalloc-64", "kmalloc-64");
	validate__free(&v);

	/* Without the snapshot the same events are judged by the class. */
	validate__init(&v);
	kmalloc_(&v, &kp, 50, 128, GFP_KERNEL, &k64, false);
	kmalloc_(&v, &kp, 60, 64, GFP_KERNEL, &k64, false);
	validate__finish(&v, NULL);
	CHECK_U64(v.kmalloc_exact, 1);		/* 60 -> 64 */
	CHECK_INT(v.n_mismatch, ==, 1);
	CHECK_EXAMPLE(&v.mismatch[0], SITE, 50, 128, 64, GFP_KERNEL,
		      "kmalloc-64", "kmalloc-64");
	validate__free(&v);
	slabsys__free(sys);
}

TEST(cache_alloc)
{
	static const char snap[] =
		"cache dentry object_size=192 slab_size=192 objs_per_slab=21 order=0\n"
		/* task_delay_info is merged into :A-0000256 */
		"cache :A-0000256 object_size=256 slab_size=256 objs_per_slab=16 "
		"order=0 aliases=1\n"
		"alias task_delay_info :A-0000256\n";
	struct kmalloc_params kp = kp_default();
	struct kms_cache dentry = kcache("dentry", 192),
			 tdi = kcache("task_delay_info", 256),
			 tdi_bad = kcache("task_delay_info", 248),
			 ext4 = kcache("ext4_inode_cache", 1176);
	struct slabsys *sys = parse_sys(snap);
	struct validate_stats v;

	if (!sys)
		return;
	validate__init(&v);
	cache_alloc(&v, &kp, &dentry);
	cache_alloc(&v, &kp, &dentry);
	cache_alloc(&v, &kp, &tdi);		/* found through the alias */
	cache_alloc(&v, &kp, &tdi_bad);		/* 248 is not sysfs's 256 */
	cache_alloc(&v, &kp, &ext4);		/* not in the snapshot */
	validate__finish(&v, sys);
	CHECK_U64(v.cache_events, 5);
	CHECK_U64(v.cache_exact, 3);		/* dentry twice, tdi at 256 */
	CHECK_U64(v.cache_unknown, 1);		/* ext4_inode_cache */
	CHECK_U64(v.kmalloc_events, 0);
	/* Names are compared for kmallocs only. */
	CHECK_U64(v.named_by_kernel + v.named_by_model, 0);
	CHECK_INT(v.n_mismatch, ==, 1);
	/* No model for kmem_cache_alloc: model "", predicted from sysfs. */
	CHECK_EXAMPLE(&v.mismatch[0], SITE + 8, 248, 248, 256, GFP_KERNEL,
		      "task_delay_info", "");
	/* A mismatch: not all exact. */
	CHECK(!validate__all_exact(&v));
	validate__free(&v);

	/* All found and right: exact. */
	validate__init(&v);
	cache_alloc(&v, &kp, &dentry);
	cache_alloc(&v, &kp, &tdi);
	validate__finish(&v, sys);
	CHECK_U64(v.cache_events, 2);
	CHECK_U64(v.cache_exact, 2);
	CHECK(validate__all_exact(&v));
	validate__free(&v);

	/*
	 * Only an unknown cache: counted, unknown, no example.  It cannot be
	 * checked either way, so it does not make the run inexact
	 * (validate__all_exact() in validate.c).
	 */
	validate__init(&v);
	cache_alloc(&v, &kp, &ext4);
	validate__finish(&v, sys);
	CHECK_U64(v.cache_events, 1);
	CHECK_U64(v.cache_exact, 0);
	CHECK_U64(v.cache_unknown, 1);
	CHECK_INT(v.n_mismatch, ==, 0);
	CHECK(validate__all_exact(&v));
	validate__free(&v);

	/* No snapshot at all: every kmem_cache_alloc is unknown. */
	validate__init(&v);
	cache_alloc(&v, &kp, &dentry);
	cache_alloc(&v, &kp, &tdi);
	validate__finish(&v, NULL);
	CHECK_U64(v.cache_events, 2);
	CHECK_U64(v.cache_unknown, 2);
	CHECK_U64(v.cache_exact, 0);
	validate__free(&v);
	slabsys__free(sys);
}

TEST(names)
{
	struct kmalloc_params kp = kp_default(), kpb, kpr;
	struct kms_cache k128 = kcache("kmalloc-128", 128),
			 cg128 = kcache("kmalloc-cg-128", 128),
			 msg128 = kcache("msg_msg-128", 128),
			 msg1k = kcache("msg_msg-1k", 1024),
			 msgx = kcache("msg_msgx-128", 128),
			 memdup = kcache("memdup_user-128", 128),
			 rnd128 = kcache("kmalloc-rnd-05-128", 128),
			 rnd256 = kcache("kmalloc-rnd-05-256", 256),
			 dentry = kcache("dentry", 128);
	struct validate_stats v;

	/* kmem_buckets "msg_msg" (6.11+) and random kmalloc caches. */
	kpb = kp;
	kpb.nr_buckets = 1;
	snprintf(kpb.buckets[0], sizeof(kpb.buckets[0]), "msg_msg");
	kpr = kp;
	kpr.has_random = true;

	validate__init(&v);
	/* agree: the kernel's name is the model's */
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL, &k128, true);
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL_ACCOUNT, &cg128, true);
	/* bucket: msg_msg-<class> where the model says kmalloc(-cg)-<class> */
	kmalloc_(&v, &kpb, 100, 128, GFP_KERNEL_ACCOUNT, &msg128, true);
	kmalloc_(&v, &kpb, 1000, 1024, GFP_KERNEL_ACCOUNT, &msg1k, true);
	/* random: kmalloc-rnd-NN-<class> of a NORMAL request */
	kmalloc_(&v, &kpr, 100, 128, GFP_KERNEL, &rnd128, true);
	CHECK_U64(v.names_agree, 2);
	CHECK_U64(v.names_bucket, 2);
	CHECK_U64(v.names_random, 1);
	CHECK_U64(v.names_disagree, 0);
	CHECK_U64(v.named_by_kernel, 5);
	CHECK_U64(v.named_by_model, 0);

	/* disagree, each with its example: */
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL, &msg128, true);	 /* no buckets */
	kmalloc_(&v, &kpb, 100, 128, GFP_KERNEL, &msgx, true);	 /* not "msg_msg-" */
	kmalloc_(&v, &kpb, 100, 128, GFP_KERNEL, &memdup, true); /* another base */
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL, &rnd128, true);	 /* no random caches */
	kmalloc_(&v, &kpr, 100, 128, GFP_KERNEL, &rnd256, true); /* other class */
	/* A CGROUP request has no random copies. */
	kmalloc_(&v, &kpr, 100, 128, GFP_KERNEL_ACCOUNT, &rnd128, true);
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL, &dentry, true);	 /* not kmalloc */
	CHECK_U64(v.names_disagree, 7);
	CHECK_INT(v.n_disagree, ==, 7);
	CHECK_U64(v.named_by_kernel, 12);
	/* The examples in order, with the model's name and class size. */
	CHECK_EXAMPLE(&v.disagree[0], SITE, 100, 128, 128, GFP_KERNEL,
		      "msg_msg-128", "kmalloc-128");
	CHECK_STR(v.disagree[1].cache, "msg_msgx-128");
	CHECK_STR(v.disagree[2].cache, "memdup_user-128");
	CHECK_STR(v.disagree[3].cache, "kmalloc-rnd-05-128");
	CHECK_STR(v.disagree[4].cache, "kmalloc-rnd-05-256");
	CHECK_EXAMPLE(&v.disagree[5], SITE, 100, 128, 128, GFP_KERNEL_ACCOUNT,
		      "kmalloc-rnd-05-128", "kmalloc-cg-128");
	CHECK_EXAMPLE(&v.disagree[6], SITE, 100, 128, 128, GFP_KERNEL, "dentry",
		      "kmalloc-128");

	/* Without KMS_EVF_KERNEL_CACHE, or without a cache: the model's
	 * name, nothing compared (even a name that would disagree). */
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL, &dentry, false);
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL, NULL, true);
	CHECK_U64(v.named_by_model, 2);
	CHECK_U64(v.named_by_kernel, 12);
	CHECK_U64(v.names_disagree, 7);

	validate__finish(&v, NULL);
	/* Every size was right: only the names disagree. */
	CHECK_U64(v.kmalloc_events, 14);
	CHECK_U64(v.kmalloc_exact, 14);
	CHECK_INT(v.n_mismatch, ==, 0);
	CHECK(!validate__all_exact(&v));
	validate__free(&v);

	/* Agreement alone is exact. */
	validate__init(&v);
	kmalloc_(&v, &kpb, 100, 128, GFP_KERNEL_ACCOUNT, &msg128, true);
	kmalloc_(&v, &kpr, 100, 128, GFP_KERNEL, &rnd128, true);
	validate__finish(&v, NULL);
	CHECK(validate__all_exact(&v));
	validate__free(&v);
}

/*
 * A kmalloc whose cache the kernel named is checked against that cache's
 * own slab_size (validate.c: a bucket's may differ from kmalloc-cg-N's,
 * e.g. under slab_debug=,msg_msg-*); the model's class otherwise.
 */
TEST(kernel_named_slab_size)
{
	static const char snap[] =
		"cache kmalloc-cg-128 object_size=128 slab_size=128 objs_per_slab=32 "
		"order=0\n"
		"cache msg_msg-128 object_size=128 slab_size=192 objs_per_slab=21 "
		"order=0 red_zone=1\n";
	struct kmalloc_params kp = kp_default();
	struct kms_cache msg = kcache("msg_msg-128", 192),
			 msg_nosize = kcache("msg_msg-128", 0),
			 cg = kcache("kmalloc-cg-128", 128);
	struct slabsys *sys = parse_sys(snap);
	struct validate_stats v;

	if (!sys)
		return;
	kp.nr_buckets = 1;
	snprintf(kp.buckets[0], sizeof(kp.buckets[0]), "msg_msg");
	validate__init(&v);
	/* 192 from msg_msg-128: exact by its own slab_size */
	kmalloc_(&v, &kp, 100, 192, GFP_KERNEL_ACCOUNT, &msg, true);
	/* 128 from msg_msg-128: wrong, sysfs says 192 */
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL_ACCOUNT, &msg, true);
	/* Named by the model: kmalloc-cg-128's 128 */
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL_ACCOUNT, &cg, false);
	/* Named, but its size unknown (info lost): the model's cache */
	kmalloc_(&v, &kp, 100, 128, GFP_KERNEL_ACCOUNT, &msg_nosize, true);
	validate__finish(&v, sys);
	CHECK_U64(v.kmalloc_events, 4);
	CHECK_U64(v.kmalloc_exact, 3);
	CHECK_U64(v.names_bucket, 3);		/* the three named ones */
	CHECK_INT(v.n_mismatch, ==, 1);
	CHECK_EXAMPLE(&v.mismatch[0], SITE, 100, 128, 192, GFP_KERNEL_ACCOUNT,
		      "msg_msg-128", "kmalloc-cg-128");
	validate__free(&v);
	slabsys__free(sys);
}

/* Buckets and random caches from a kernel's own name list. */
TEST(names_from_cache_list)
{
	static const char *const sizes[] = {
		"8", "16", "32", "64", "96", "128", "192", "256", "512", "1k",
		"2k", "4k", "8k",
	};
	const char *names[2 * 13 + 2];
	char buf[2][13][32];
	struct kmalloc_params kp;
	struct kms_cache msg = kcache("msg_msg-192", 192),
			 rnd = kcache("kmalloc-rnd-15-192", 192);
	struct validate_stats v;
	size_t i, n = 0;

	for (i = 0; i < 13; i++) {
		snprintf(buf[0][i], sizeof(buf[0][i]), "kmalloc-%s", sizes[i]);
		snprintf(buf[1][i], sizeof(buf[1][i]), "msg_msg-%s", sizes[i]);
		names[n++] = buf[0][i];
		names[n++] = buf[1][i];
	}
	names[n++] = "kmalloc-rnd-15-192";
	names[n++] = "dentry";
	CHECK_INT(kmalloc_params__from_caches(&kp, 4096, names, n), ==, 0);
	/* Every msg_msg-<class> exists: a bucket set; rnd: random caches. */
	CHECK_INT(kp.nr_buckets, ==, 1);
	CHECK(kp.has_random);

	validate__init(&v);
	kmalloc_(&v, &kp, 150, 192, GFP_KERNEL, &msg, true);
	kmalloc_(&v, &kp, 150, 192, GFP_KERNEL, &rnd, true);
	CHECK_U64(v.names_bucket, 1);
	CHECK_U64(v.names_random, 1);
	CHECK_U64(v.names_disagree, 0);
	validate__free(&v);
}

TEST(not_checked)
{
	struct kmalloc_params kp = kp_default();
	struct kms_cache k128 = kcache("kmalloc-128", 128),
			 l16 = kcache("kmalloc-large-16k", 16384),
			 dentry = kcache("dentry", 192);
	struct kms_event ev;
	struct kms_resolved res;
	struct validate_stats v;

	validate__init(&v);
	/* A failed kmalloc with a wrong size and a disagreeing name. */
	ev = (struct kms_event){
		.type = KMS_EV_KMALLOC,
		.flags = KMS_EVF_FAILED | KMS_EVF_KERNEL_CACHE,
		.call_site = SITE, .cache = KID, .bytes_req = 100,
		.bytes_alloc = 4, .gfp = GFP_KERNEL,
	};
	res = (struct kms_resolved){ .cache = &dentry, .bytes_req = 100,
				     .bytes_alloc = 4 };
	validate__event(&v, &kp, &ev, &res);
	/* A failed kmem_cache_alloc. */
	ev = (struct kms_event){
		.type = KMS_EV_CACHE_ALLOC,
		.flags = KMS_EVF_FAILED | KMS_EVF_HAS_CACHE, .cache = KID,
	};
	res = (struct kms_resolved){ .cache = &dentry, .bytes_alloc = 192 };
	validate__event(&v, &kp, &ev, &res);
	/* The second half of a 6.11+ double large kmalloc, even if wrong. */
	ev = (struct kms_event){
		.type = KMS_EV_KMALLOC, .call_site = SITE, .bytes_req = 10240,
		.bytes_alloc = 12288, .gfp = GFP_KERNEL,
	};
	res = (struct kms_resolved){ .cache = &l16, .bytes_req = 10240,
				     .bytes_alloc = 12288, .collapsed = true };
	validate__event(&v, &kp, &ev, &res);
	/* Frees, cache info and task records. */
	ev = (struct kms_event){ .type = KMS_EV_KFREE, .ptr = 1 };
	res = (struct kms_resolved){ .cache = &k128, .bytes_req = 100,
				     .bytes_alloc = 128, .matched = true };
	validate__event(&v, &kp, &ev, &res);
	ev.type = KMS_EV_CACHE_FREE;
	validate__event(&v, &kp, &ev, &res);
	ev = (struct kms_event){ .type = KMS_EV_CACHE_INFO, .cache = KID,
				 .object_size = 192, .size = 192,
				 .name = "dentry", .name_len = 6 };
	res = (struct kms_resolved){ 0 };
	validate__event(&v, &kp, &ev, &res);
	ev = (struct kms_event){ .type = KMS_EV_TASK, .tid = 1, .name = "sh",
				 .name_len = 2 };
	validate__event(&v, &kp, &ev, &res);

	CHECK_INT(v.nr_keys, ==, 0);
	CHECK_U64(v.named_by_kernel + v.named_by_model, 0);
	CHECK_U64(v.names_disagree, 0);
	validate__finish(&v, NULL);
	CHECK_U64(v.kmalloc_events, 0);
	CHECK_U64(v.cache_events, 0);
	CHECK_INT(v.n_mismatch, ==, 0);
	CHECK(validate__all_exact(&v));

	validate__free(&v);

	/* The first half of that double event is checked: 10240 -> order 2. */
	validate__init(&v);
	kmalloc_(&v, &kp, 10240, 16384, GFP_KERNEL, &l16, false);
	validate__finish(&v, NULL);
	CHECK_U64(v.kmalloc_events, 1);
	CHECK_U64(v.kmalloc_exact, 1);
	validate__free(&v);
}

/* A large kmalloc's prediction is the page order, never a sysfs cache. */
TEST(large_not_from_sysfs)
{
	/* A (hostile) snapshot with a cache named like kmscope's model name. */
	static const char snap[] =
		"cache kmalloc-large-16k object_size=16384 slab_size=20480 "
		"objs_per_slab=1 order=3\n";
	struct kmalloc_params kp = kp_default();
	struct kms_cache l16 = kcache("kmalloc-large-16k", 16384);
	struct slabsys *sys = parse_sys(snap);
	struct validate_stats v;

	if (!sys)
		return;
	validate__init(&v);
	kmalloc_(&v, &kp, 10240, 16384, GFP_KERNEL, &l16, false);
	validate__finish(&v, sys);
	CHECK_U64(v.kmalloc_exact, 1);		/* 4096 << 2, not 20480 */
	validate__free(&v);
	slabsys__free(sys);
}

TEST(examples_bound)
{
	struct kmalloc_params kp = kp_default();
	struct kms_cache k128 = kcache("kmalloc-128", 128),
			 dentry = kcache("dentry", 128);
	struct validate_stats v;
	uint32_t i;

	validate__init(&v);
	/* Ten distinct wrong sizes for kmalloc(100): ten keys. */
	for (i = 1; i <= 10; i++)
		kmalloc_(&v, &kp, 100, i, GFP_KERNEL, &k128, false);
	/* Ten disagreeing names: counted ten times, kept eight times. */
	for (i = 0; i < 10; i++)
		kmalloc_(&v, &kp, 100 + i, 128, GFP_KERNEL, &dentry, true);
	CHECK_U64(v.names_disagree, 10);
	CHECK_INT(v.n_disagree, ==, VALIDATE_EXAMPLES);
	/* The first ones are kept: requests 100 .. 107. */
	CHECK_INT(v.disagree[0].bytes_req, ==, 100);
	CHECK_INT(v.disagree[VALIDATE_EXAMPLES - 1].bytes_req, ==,
		  100 + VALIDATE_EXAMPLES - 1);
	validate__finish(&v, NULL);
	/* 10 + 10 kmallocs; the 10 named ones had the right size. */
	CHECK_U64(v.kmalloc_events, 20);
	CHECK_U64(v.kmalloc_exact, 10);
	CHECK_INT(v.n_mismatch, ==, VALIDATE_EXAMPLES);
	/* In key order: the reported sizes 1 .. 8, each predicted 128. */
	for (i = 0; i < VALIDATE_EXAMPLES; i++) {
		CHECK_INT(v.mismatch[i].bytes_alloc, ==, i + 1);
		CHECK_INT(v.mismatch[i].predicted, ==, 128);
	}
	CHECK(!validate__all_exact(&v));
	validate__free(&v);
}

/* Many distinct keys: the table grows and keeps every count. */
TEST(many_keys)
{
	struct kmalloc_params kp = kp_default();
	struct kms_cache dentry = kcache("dentry", 0);
	struct validate_stats v;
	uint32_t i;

	validate__init(&v);
	for (i = 1; i <= 1000; i++) {
		dentry.size = i;
		cache_alloc(&v, &kp, &dentry);
		cache_alloc(&v, &kp, &dentry);
	}
	CHECK_INT(v.nr_keys, ==, 1000);
	CHECK(!v.no_memory);
	validate__finish(&v, NULL);
	CHECK_U64(v.cache_events, 2000);
	CHECK_U64(v.cache_unknown, 2000);
	validate__free(&v);
	CHECK(!v.keys);
}

int main(void)
{
	t_suite = "validate";
	RUN(init_and_free);
	RUN(kmalloc_exact);
	RUN(kmalloc_mismatch);
	RUN(slab_debug_from_sysfs);
	RUN(cache_alloc);
	RUN(names);
	RUN(kernel_named_slab_size);
	RUN(names_from_cache_list);
	RUN(not_checked);
	RUN(large_not_from_sysfs);
	RUN(examples_bound);
	RUN(many_keys);
	return test_done();
}
