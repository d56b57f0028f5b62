// SPDX-License-Identifier: GPL-2.0
/*
 * test_membill.c - unit tests for src/membill.c: a collector fed known
 * events and a /sys/kernel/slab snapshot with known counters give the
 * exact bill (slab memory = objects + metadata + free slots + tail), the
 * traced rounding split from metadata, classes folded across cache types,
 * large kmallocs kept out of the slab bill, merged names folded into one
 * slab cache, and no kernel half without a snapshot.
 */
#include <string.h>

#include "collect.h"
#include "findings.h"
#include "ksyms.h"
#include "membill.h"
#include "runinfo.h"
#include "slabsys.h"
#include "test.h"

#define T0	1000000000ull
#define SITE	0xffffffff81100010ull
#define K_RADIX	0xffffffff82000040ull
#define K_ALIAS	0xffffffff82000080ull
#define K_ALIAS2 0xffffffff820000c0ull

/* Counters as the 6.18 fixture has them; two names of one merged cache. */
static const char snapshot[] =
	"cache kmalloc-64 object_size=64 slab_size=64 objs_per_slab=64 order=0 align=64 "
	"objects=2333 total_objects=2432 slabs=38\n"
	"cache radix_tree_node object_size=576 slab_size=584 objs_per_slab=14 order=1 align=8 "
	"objects=18903 total_objects=18914 slabs=1351\n"
	"cache :0000024 object_size=24 slab_size=24 objs_per_slab=170 order=0 align=8 "
	"objects=300 total_objects=340 slabs=2\n"
	"alias fixture_a :0000024\n"
	"alias fixture_b :0000024\n";

static uint64_t now = T0;

static void feed(struct collector *c, struct kms_event ev)
{
	ev.ts = now += 1000;
	ev.cpu = 1;
	ev.tid = ev.tgid = 42;
	CHECK_INT(collector__event(c, &ev, NULL), ==, 0);
}

static void kmalloc(struct collector *c, uint64_t ptr, uint32_t req, uint32_t alloc, uint32_t gfp)
{
	feed(c, (struct kms_event){ .type = KMS_EV_KMALLOC, .ptr = ptr, .call_site = SITE,
				    .bytes_req = req, .bytes_alloc = alloc, .gfp = gfp });
}

static void info(struct collector *c, uint64_t id, const char *name, uint32_t obj, uint32_t size)
{
	feed(c, (struct kms_event){ .type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE,
				    .cache = id, .object_size = obj, .size = size, .name = name,
				    .name_len = strlen(name) });
}

static void cache_alloc(struct collector *c, uint64_t ptr, uint64_t id)
{
	feed(c, (struct kms_event){ .type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
				    .ptr = ptr, .call_site = SITE, .cache = id, .gfp = 0xcc0 });
}

static struct collector *workload(void)
{
	struct collector_opts o = { .t0_ns = T0 };
	struct collector *c;

	kmalloc_params__default(&o.kp, 4096);
	o.kp.has_cg = true;
	c = collector__new(&o);
	if (!c)
		return NULL;
	/* kmalloc-64: 3 x 50 bytes, one freed; kmalloc-cg-64: 1 x 40, live. */
	kmalloc(c, 0xffff888001000000ull, 50, 64, 0xcc0);
	kmalloc(c, 0xffff888001000040ull, 50, 64, 0xcc0);
	kmalloc(c, 0xffff888001000080ull, 50, 64, 0xcc0);
	feed(c, (struct kms_event){ .type = KMS_EV_KFREE, .ptr = 0xffff888001000080ull });
	kmalloc(c, 0xffff8880010000c0ull, 40, 64, 0xcc0 | 0x400000);
	/* a large kmalloc: pages, not a slab */
	kmalloc(c, 0xffff888004000000ull, 12000, 16384, 0xcc0);
	/* radix_tree_node: 2 objects of 576 in 584-byte slots */
	info(c, K_RADIX, "radix_tree_node", 576, 584);
	cache_alloc(c, 0xffff888002000000ull, K_RADIX);
	cache_alloc(c, 0xffff888002000248ull, K_RADIX);
	/* two names merged into :0000024 */
	info(c, K_ALIAS, "fixture_a", 20, 24);
	info(c, K_ALIAS2, "fixture_b", 24, 24);
	cache_alloc(c, 0xffff888003000000ull, K_ALIAS);
	cache_alloc(c, 0xffff888003000018ull, K_ALIAS2);
	return c;
}

static const struct membill_cache *find(const struct membill *mb, const char *name)
{
	size_t i;

	for (i = 0; i < mb->nr_caches; i++)
		if (!strcmp(mb->caches[i].name, name))
			return &mb->caches[i];
	return NULL;
}

TEST(bill)
{
	struct collector *c = workload();
	struct slabsys *sys = NULL;
	const struct membill_cache *m;
	struct membill mb;

	CHECK(c);
	CHECK_INT(slabsys__parse(snapshot, strlen(snapshot), &sys), ==, 0);
	if (!c || !sys)
		return;
	CHECK_INT(membill__compute(c, sys, 4096, &mb), ==, 0);
	CHECK(mb.has_kernel);
	/* Sorted by slab memory: radix_tree_node, kmalloc-64, the merged one, cg-64. */
	CHECK_INT(mb.nr_caches, ==, 4);
	CHECK_STR(mb.caches[0].name, "radix_tree_node");
	CHECK_STR(mb.caches[1].name, "kmalloc-64");
	m = find(&mb, "radix_tree_node");
	CHECK(m && m->has_kernel);
	if (m) {
		CHECK_U64(m->slab_bytes, 1351ull * 8192);
		CHECK_U64(m->obj_bytes, 18903ull * 576);
		CHECK_U64(m->meta_bytes, 18903ull * 8);
		CHECK_U64(m->free_bytes, 11ull * 584);
		CHECK_U64(m->tail_bytes, 1351ull * 8192 - 18914ull * 584);	/* 21616 */
		CHECK_U64(m->obj_bytes + m->meta_bytes + m->free_bytes + m->tail_bytes,
			  m->slab_bytes);
		/* traced: bytes_alloc is s->size, so the 8 bytes each are metadata */
		CHECK_U64(m->t.live, 2);
		CHECK_U64(m->live_rounding, 0);
		CHECK_U64(m->live_meta, 16);
	}
	m = find(&mb, "kmalloc-64");
	CHECK(m && m->has_kernel);
	if (m) {
		CHECK_U64(m->slab_bytes, 38ull * 4096);
		CHECK_U64(m->free_bytes, 99ull * 64);
		CHECK_U64(m->tail_bytes, 0);
		CHECK_U64(m->t.allocs, 3);
		CHECK_U64(m->t.live, 2);
		CHECK_U64(m->live_rounding, 28);
		CHECK_U64(m->live_meta, 0);
	}
	/* Not in the snapshot: traced half only. */
	m = find(&mb, "kmalloc-cg-64");
	CHECK(m && !m->has_kernel && m->t.live == 1 && m->live_rounding == 24);
	/* Two traced names, one slab cache. */
	m = find(&mb, "fixture_a");
	CHECK(m && m->nr_names == 2 && !strcmp(m->slab, ":0000024") && m->t.live == 2);
	if (m)
		CHECK_U64(m->slab_bytes, 2ull * 4096);
	CHECK(!find(&mb, "fixture_b"));
	CHECK(!find(&mb, "kmalloc-large-16k"));
	membill__free(&mb);
	slabsys__free(sys);
	collector__free(c);
}

TEST(classes)
{
	struct collector *c = workload();
	struct membill mb;

	CHECK(c);
	if (!c)
		return;
	CHECK_INT(membill__compute(c, NULL, 4096, &mb), ==, 0);
	CHECK(!mb.has_kernel);
	/* 64 (kmalloc-64 and kmalloc-cg-64 folded) and the 16k pages */
	CHECK_INT(mb.nr_classes, ==, 2);
	CHECK_U64(mb.classes[0].size, 64);
	CHECK(!mb.classes[0].large);
	CHECK_INT(mb.classes[0].nr_caches, ==, 2);
	CHECK_U64(mb.classes[0].t.allocs, 4);
	CHECK_U64(mb.classes[0].t.bytes_req, 190);
	CHECK_U64(mb.classes[0].t.bytes_alloc, 256);
	CHECK_U64(mb.classes[0].t.live, 3);
	CHECK_U64(mb.classes[0].t.live_req, 140);
	CHECK_U64(mb.classes[1].size, 16384);
	CHECK(mb.classes[1].large);
	CHECK_U64(mb.classes[1].t.bytes_req, 12000);
	/* Without sysfs the merge of fixture_a and fixture_b is unknown. */
	CHECK_INT(mb.nr_caches, ==, 5);
	CHECK(!mb.caches[0].has_kernel);
	membill__free(&mb);
	collector__free(c);
}

/*
 * More traced live than the cache holds: maple_node has 1 object in use at
 * the end and 4 traced live (3 from SITE, the oldest, then 1 from SITE2):
 * 3 are unverifiable, counted against the 3 oldest, all SITE's, and the
 * bill's live figures are SITE2's object alone.  kmalloc-128 holds 1 of 3
 * traced: the two oldest leave with their own requests.  A cache within
 * its count has none.
 */
#define K_MAPLE	0xffffffff82000100ull
#define SITE2	0xffffffff81100020ull

TEST(unverifiable)
{
	static const char snap[] =
		"cache maple_node object_size=256 slab_size=256 objs_per_slab=16 order=0 "
		"align=256 objects=1 total_objects=16 slabs=1\n"
		"cache kmalloc-64 object_size=64 slab_size=64 objs_per_slab=64 order=0 align=64 "
		"objects=2333 total_objects=2432 slabs=38\n"
		"cache kmalloc-128 object_size=128 slab_size=128 objs_per_slab=32 order=0 "
		"align=128 objects=1 total_objects=32 slabs=1\n";
	struct collector *c = workload();
	struct slabsys *sys = NULL;
	const struct membill_cache *m;
	struct membill mb;
	size_t i;
	uint64_t s1 = 0, s2 = 0;

	CHECK(c);
	CHECK_INT(slabsys__parse(snap, strlen(snap), &sys), ==, 0);
	if (!c || !sys)
		return;
	info(c, K_MAPLE, "maple_node", 256, 256);
	for (i = 0; i < 3; i++) {
		now += 1000000000ull;	/* a second apart: ages 4, 3, 2 s */
		cache_alloc(c, 0xffff888005000000ull + i * 256, K_MAPLE);
	}
	now += 1000000000ull;
	feed(c, (struct kms_event){ .type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
				    .ptr = 0xffff888005000300ull, .call_site = SITE2,
				    .cache = K_MAPLE, .gfp = 0xcc0 });
	/* kmalloc-128 holds 1: the requests of 100 and 80 (oldest) leave. */
	kmalloc(c, 0xffff888007000000ull, 100, 128, 0xcc0);
	kmalloc(c, 0xffff888007000080ull, 80, 128, 0xcc0);
	now += 1000000000ull;
	kmalloc(c, 0xffff888007000100ull, 70, 128, 0xcc0);
	now += 1000000000ull;
	kmalloc(c, 0xffff888006000000ull, 50, 64, 0xcc0);	/* the trace's last event */
	CHECK_INT(membill__compute(c, sys, 4096, &mb), ==, 0);
	m = find(&mb, "maple_node");
	CHECK(m && m->has_kernel);
	if (m) {
		CHECK_U64(m->t.live, 4);
		CHECK_U64(m->objects, 1);
		CHECK_U64(m->live_unverifiable, 3);
		CHECK_U64(m->unv_sites[0].call_site, SITE);
		CHECK_U64(m->unv_sites[0].count, 3);
		CHECK_U64(m->unv_sites[1].count, 0);
		/*
		 * What the bill shows: only SITE2's object (a cache allocation
		 * requests the object size: its request was not taken).
		 */
		CHECK_U64(m->live, 1);
		CHECK_U64(m->live_req, 256);
		CHECK_U64(m->live_alloc, 256);
		CHECK_U64(m->live_rounding, 0);
		CHECK_U64(m->live_meta, 0);
	}
	m = find(&mb, "kmalloc-128");
	CHECK(m && m->live_unverifiable == 2);
	if (m) {
		CHECK_U64(m->t.live, 3);
		CHECK_U64(m->live, 1);
		CHECK_U64(m->live_req, 70);
		CHECK_U64(m->live_alloc, 128);
		CHECK_U64(m->live_rounding, 58);
	}
	m = find(&mb, "kmalloc-64");
	CHECK(m && m->live_unverifiable == 0);
	CHECK_U64(mb.live_unverifiable, 5);
	CHECK(mb.site_unverifiable != NULL);
	CHECK_INT(mb.nr_sites, ==, collector__nr_sites(c));
	for (i = 0; mb.site_unverifiable && i < mb.nr_sites; i++) {
		if (collector__site(c, i)->call_site == SITE)
			s1 += mb.site_unverifiable[i];
		else if (collector__site(c, i)->call_site == SITE2)
			s2 += mb.site_unverifiable[i];
	}
	CHECK_U64(s1, 5);
	CHECK_U64(s2, 0);
	membill__free(&mb);
	CHECK(mb.site_unverifiable == NULL);
	slabsys__free(sys);
	collector__free(c);
}

/*
 * The leak judgement reads the bill.  maple_node holds 1 object at the end
 * and 4 were traced live: SITE3's 2 (the oldest), SITE4's 1, SITE2's 1;
 * SITE4 also has a kmalloc-64 object live.  The 3 oldest are
 * unverifiable: SITE3's leak is all of them (frees unseen, low
 * confidence, a hint after the others), SITE4's is half (medium, said why), and
 * SITE2's is a leak of full confidence.  Without the bill, all three are.
 */
#define SITE3	0xffffffff81100030ull
#define SITE4	0xffffffff81100040ull

static const struct finding *leak_of(const struct findings *fs, uint64_t site)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (fs->f[i].kind == FIND_LEAK && fs->f[i].call_site == site)
			return &fs->f[i];
	return NULL;
}

static void maple(struct collector *c, uint64_t ptr, uint64_t site)
{
	now += 1000000000ull;
	feed(c, (struct kms_event){ .type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
				    .ptr = ptr, .call_site = site, .cache = K_MAPLE, .gfp = 0xcc0 });
}

static void judge(const struct collector *c, const struct membill *mb, bool bill)
{
	struct runinfo ri = { .rcu_bulk_traced = true, .has_counters = true };
	struct findings_opts fo = { .hot_allocs = 100 };
	const struct finding *f2, *f3, *f4;
	struct findings fs;

	/* Through the one helper report and serve use: the bill, or none. */
	CHECK_INT(findings__compute_billed(c, &ri, &fo, bill ? mb : NULL, &fs), ==, 0);
	f2 = leak_of(&fs, SITE2);
	f3 = leak_of(&fs, SITE3);
	f4 = leak_of(&fs, SITE4);
	CHECK(f2 && f3 && f4);
	if (f2 && f3 && f4) {
		CHECK(f3->count == 2 && f4->count == 2 && f2->count == 1);
		CHECK(!f2->frees_unseen && f2->confidence == 2);
		CHECK(f3->frees_unseen == bill && f3->confidence == (bill ? 0 : 2));
		CHECK(!f4->frees_unseen && f4->confidence == (bill ? 1 : 2));
		if (bill) {
			CHECK(f3->severity == SEV_HINT && f3 > f2 && f3 > f4);
			CHECK(strstr(f3->why_not_sure, "2 of its live objects are more than "
				     "maple_node holds at the end"));
			CHECK(strstr(f4->why_not_sure, "1 of its 2 live objects are more than "
				     "maple_node holds"));
		}
	}
	findings__free(&fs);
}

/* A collector (4 KiB pages) and the /sys/kernel/slab snapshot snap, parsed. */
static struct collector *with_snapshot(const char *snap, struct slabsys **sys)
{
	struct collector_opts o = { .t0_ns = T0 };
	struct collector *c;

	kmalloc_params__default(&o.kp, 4096);
	c = collector__new(&o);
	CHECK(c);
	CHECK_INT(slabsys__parse(snap, strlen(snap), sys), ==, 0);
	return c;
}

TEST(leaks_judged)
{
	static const char snap[] =
		"cache maple_node object_size=256 slab_size=256 objs_per_slab=16 order=0 "
		"align=256 objects=1 total_objects=16 slabs=1\n";
	struct slabsys *sys = NULL;
	struct collector *c = with_snapshot(snap, &sys);
	struct membill mb;

	if (!c || !sys)
		goto out;
	info(c, K_MAPLE, "maple_node", 256, 256);
	maple(c, 0xffff888005000000ull, SITE3);
	maple(c, 0xffff888005000100ull, SITE3);
	maple(c, 0xffff888005000200ull, SITE4);
	maple(c, 0xffff888005000300ull, SITE2);
	now += 1000000000ull;
	feed(c, (struct kms_event){ .type = KMS_EV_KMALLOC, .ptr = 0xffff888006000000ull,
				    .call_site = SITE4, .bytes_req = 50, .bytes_alloc = 64,
				    .gfp = 0xcc0 });
	now += 1000000000ull;
	kmalloc(c, 0xffff888006000040ull, 50, 64, 0xcc0);	/* the trace's last event */
	CHECK_INT(membill__compute(c, sys, 4096, &mb), ==, 0);
	CHECK_U64(mb.live_unverifiable, 3);
	judge(c, &mb, true);
	judge(c, &mb, false);
	membill__free(&mb);
out:
	slabsys__free(sys);
	collector__free(c);
}

/*
 * A reclaimable cache (reclaim_account=1: SLAB_RECLAIM_ACCOUNT): SITE3's 40
 * dentries held at the end are the dentry cache's contents, a hint, not a
 * leak to warn about; SITE4's 40 objects of a cache that is not are a
 * warning.  One object of SITE3 in another cache and it is no longer all
 * the cache's: a warning again.  After --drop-caches, what a reclaimable
 * cache still holds outlived the drop: held by something, or a reference
 * leaked, which the trace cannot tell apart: a hint that says so.
 */
#define K_DENTRY	0xffffffff82000200ull
#define K_PLAIN		0xffffffff82000240ull
#define HELD		40

static void held(struct collector *c, uint64_t id, uint64_t base, uint64_t site, int n)
{
	int i;

	for (i = 0; i < n; i++)
		feed(c, (struct kms_event){ .type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
					    .ptr = base + i * 256, .call_site = site, .cache = id,
					    .gfp = 0xcc0 });
}

static void judge_reclaim(const struct collector *c, const struct membill *mb, bool dropped,
			  enum finding_severity sev3, bool reclaimable3)
{
	struct runinfo ri = { .rcu_bulk_traced = true, .has_counters = true,
			      .caches_dropped = dropped };
	struct findings_opts fo = { .hot_allocs = 100 };
	const struct finding *f3, *f4;
	struct findings fs;

	strcpy(ri.command, "test");
	CHECK_INT(findings__compute_billed(c, &ri, &fo, mb, &fs), ==, 0);
	f3 = leak_of(&fs, SITE3);
	f4 = leak_of(&fs, SITE4);
	CHECK(f3 && f4);
	if (f3 && f4) {
		CHECK_INT(f3->severity, ==, sev3);
		CHECK_INT(f3->reclaimable, ==, reclaimable3);
		CHECK(f4->severity == SEV_WARNING && !f4->reclaimable);
		if (reclaimable3) {
			CHECK_INT(f3->confidence, ==, 0);
			CHECK_STR(f3->why_not_sure, dropped ?
				  "dentry is a reclaimable cache and these outlived drop_caches: "
				  "something holds them (an open file, a mount, a watch), or a "
				  "reference leaked" :
				  "dentry is a reclaimable cache (SLAB_RECLAIM_ACCOUNT): the kernel "
				  "keeps its objects until memory pressure or drop_caches frees them");
			CHECK(f3 > f4);		/* after the leaks that are evidence */
		}
	}
	CHECK_INT(fs.caches_dropped, ==, dropped);
	findings__free(&fs);
}

TEST(leaks_reclaimable)
{
	static const char snap[] =
		"cache dentry object_size=192 slab_size=192 objs_per_slab=21 order=0 align=8 "
		"reclaim_account=1 objects=400 total_objects=420 slabs=20\n"
		"cache plain_cache object_size=192 slab_size=192 objs_per_slab=21 order=0 "
		"align=8 reclaim_account=0 objects=400 total_objects=420 slabs=20\n";
	struct slabsys *sys = NULL;
	struct collector *c = with_snapshot(snap, &sys);
	struct membill mb;

	if (!c || !sys)
		goto out;
	info(c, K_DENTRY, "dentry", 192, 192);
	info(c, K_PLAIN, "plain_cache", 192, 192);
	held(c, K_DENTRY, 0xffff888007000000ull, SITE3, HELD);
	held(c, K_PLAIN, 0xffff888008000000ull, SITE4, HELD);
	CHECK_INT(membill__compute(c, sys, 4096, &mb), ==, 0);
	CHECK(mb.site_reclaimable != NULL);
	if (mb.site_reclaimable) {
		CHECK_U64(mb.site_reclaimable[0], HELD);
		CHECK_U64(mb.site_reclaimable[1], 0);
	}
	CHECK(find(&mb, "dentry") && find(&mb, "dentry")->reclaimable);
	CHECK(find(&mb, "plain_cache") && !find(&mb, "plain_cache")->reclaimable);
	judge_reclaim(c, &mb, false, SEV_HINT, true);
	judge_reclaim(c, &mb, true, SEV_HINT, true);
	membill__free(&mb);
	held(c, K_PLAIN, 0xffff888009000000ull, SITE3, 1);
	CHECK_INT(membill__compute(c, sys, 4096, &mb), ==, 0);
	judge_reclaim(c, &mb, false, SEV_WARNING, false);
	membill__free(&mb);
out:
	slabsys__free(sys);
	collector__free(c);
}

/*
 * Parts of other kernel objects: lsm_inode_cache holds the inodes' LSM
 * blobs (by its name), and the functions that allocate per-slab vectors
 * (by address, from the symbols): hints, whose parts they are said, while
 * a site next to that function's range stays a warning.
 */
#define K_LSM		0xffffffff82000280ull
#define SITE5		0xffffffff81100050ull
#define FN_START	0xffffffff81100040ull	/* alloc_slab_obj_exts, 0x10 long */

TEST(leaks_kernel_parts)
{
	static const char snap[] =
		"cache lsm_inode_cache object_size=32 slab_size=32 objs_per_slab=128 order=0 "
		"align=8 objects=400 total_objects=512 slabs=4\n";
	static const char syms[] = "ffffffff81100040 T alloc_slab_obj_exts\n"
				   "ffffffff81100050 T next_function\n";
	struct runinfo ri = { .rcu_bulk_traced = true, .has_counters = true };
	struct findings_opts fo = { .hot_allocs = 100 };
	FILE *sf = fmemopen((void *)syms, strlen(syms), "r");
	struct ksyms *ks = sf ? ksyms__load(sf) : NULL;
	const struct finding *f3, *f4, *f5;
	struct slabsys *sys = NULL;
	struct collector *c = with_snapshot(snap, &sys);
	struct findings fs;
	struct membill mb;

	CHECK(ks);
	if (!c || !sys || !ks)
		goto out;
	strcpy(ri.command, "test");
	info(c, K_LSM, "lsm_inode_cache", 32, 32);
	info(c, K_PLAIN, "plain_cache", 192, 192);
	held(c, K_LSM, 0xffff88800a000000ull, SITE3, HELD);
	held(c, K_PLAIN, 0xffff88800b000000ull, FN_START + 0x8, HELD);
	held(c, K_PLAIN, 0xffff88800c000000ull, SITE5, HELD);
	findings_opts__slab_parts(&fo, ks);
	CHECK_U64(fo.slab_parts[0].start, FN_START);
	CHECK_U64(fo.slab_parts[0].end, SITE5);
	CHECK_U64(fo.slab_parts[1].end, 0);	/* memcg_alloc_slab_cgroups: not here */
	CHECK_U64(fo.slab_parts[2].end, 0);
	CHECK_INT(membill__compute(c, sys, 4096, &mb), ==, 0);
	CHECK_INT(findings__compute_billed(c, &ri, &fo, &mb, &fs), ==, 0);
	f3 = leak_of(&fs, SITE3);
	f4 = leak_of(&fs, FN_START + 0x8);
	f5 = leak_of(&fs, SITE5);
	CHECK(f3 && f4 && f5);
	if (f3 && f4 && f5) {
		CHECK(f3->severity == SEV_HINT && f3->kernel_part && !f3->reclaimable);
		CHECK_STR(f3->why_not_sure, "lsm_inode_cache objects are inodes' LSM blobs, freed "
			  "with their inode, which the kernel keeps in a reclaimable cache");
		CHECK(f4->severity == SEV_HINT && f4->kernel_part);
		CHECK_STR(f4->why_not_sure, "per-slab vectors, allocated with a new slab and freed "
			  "with it: these belong to slabs the trace added");
		CHECK(f5->severity == SEV_WARNING && !f5->kernel_part);
		CHECK(f5 < f3 && f5 < f4);
	}
	findings__free(&fs);
	ri.caches_dropped = true;
	CHECK_INT(findings__compute_billed(c, &ri, &fo, &mb, &fs), ==, 0);
	f3 = leak_of(&fs, SITE3);
	CHECK(f3 && f3->kernel_part && strstr(f3->why_not_sure, "; these outlived drop_caches "
					       "with them"));
	findings__free(&fs);
	membill__free(&mb);
out:
	ksyms__free(ks);
	if (sf)
		fclose(sf);
	slabsys__free(sys);
	collector__free(c);
}

int main(void)
{
	t_suite = "membill";
	RUN(bill);
	RUN(classes);
	RUN(unverifiable);
	RUN(leaks_judged);
	RUN(leaks_reclaimable);
	RUN(leaks_kernel_parts);
	return test_done();
}
