// SPDX-License-Identifier: GPL-2.0
/*
 * test_rfilter.c - unit tests for src/rfilter.c, the filters applied to a
 * recording on replay: each filter keeps and drops what alloc_wanted() in
 * bpf/kmscope.bpf.c does, a free passes only when its allocation passed
 * (once), and what is dropped is counted as the kernel counts it; --cgroup
 * by the task's announced cgroup, its path resolved by the recording.  Also
 * the target's names (src/live/target.c).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cgpaths.h"
#include "rfilter.h"
#include "target.h"
#include "test.h"

static struct kms_event alloc(unsigned int tgid, unsigned int tid, uint64_t ptr, uint32_t req)
{
	return (struct kms_event){ .type = KMS_EV_KMALLOC, .tgid = tgid, .tid = tid, .ptr = ptr,
				   .bytes_req = req, .bytes_alloc = req };
}

static struct kms_event kfree_of(uint64_t ptr)
{
	return (struct kms_event){ .type = KMS_EV_KFREE, .ptr = ptr, .tid = 1 };
}

TEST(nothing_to_filter)
{
	struct kms_filter f = { 0 };

	CHECK(!kms_rfilter__wanted(&f));
	f.cgroup_id = 5;	/* the live id, from the path on this machine */
	f.follow = true;
	CHECK(!kms_rfilter__wanted(&f));
	f.max_size = 10;
	CHECK(kms_rfilter__wanted(&f));
	f = (struct kms_filter){ .cgroup_path = "/a" };
	CHECK(kms_rfilter__wanted(&f));
}

TEST(pid_tid)
{
	struct kms_filter f = { .tgid = 100 };
	struct kms_rfilter *rf = kms_rfilter__new(&f);
	struct kms_event e;

	CHECK(rf);
	if (!rf)
		return;
	e = alloc(100, 101, 0x1000, 64);
	CHECK(kms_rfilter__keep(rf, &e, "a"));
	e = alloc(200, 100, 0x2000, 64);	/* a tid equal to the pid is not the process */
	CHECK(!kms_rfilter__keep(rf, &e, "a"));
	e = kfree_of(0x1000);			/* freed by anyone: it was ours */
	CHECK(kms_rfilter__keep(rf, &e, NULL));
	e = kfree_of(0x1000);			/* twice: the second is untracked */
	CHECK(!kms_rfilter__keep(rf, &e, NULL));
	e = kfree_of(0x2000);			/* the filtered one's free */
	CHECK(!kms_rfilter__keep(rf, &e, NULL));
	CHECK_U64(kms_rfilter__filtered(rf), 1);
	CHECK_U64(kms_rfilter__untracked(rf), 2);
	kms_rfilter__free(rf);

	f = (struct kms_filter){ .tgid = 100, .tid = 101 };
	rf = kms_rfilter__new(&f);
	e = alloc(100, 101, 0x1000, 64);
	CHECK(kms_rfilter__keep(rf, &e, NULL));
	e = alloc(100, 102, 0x3000, 64);
	CHECK(!kms_rfilter__keep(rf, &e, NULL));
	kms_rfilter__free(rf);
}

TEST(comm)
{
	struct kms_filter f = { .comm = "kmgen" };
	struct kms_rfilter *rf = kms_rfilter__new(&f);
	struct kms_event e = alloc(1, 1, 0x1000, 8);

	CHECK(kms_rfilter__keep(rf, &e, "kmgen"));
	e.ptr = 0x2000;
	CHECK(!kms_rfilter__keep(rf, &e, "kmgenx"));	/* the whole comm, not a prefix */
	CHECK(!kms_rfilter__keep(rf, &e, "kmge"));
	CHECK(!kms_rfilter__keep(rf, &e, NULL));	/* not announced: cannot match */
	CHECK_U64(kms_rfilter__filtered(rf), 3);
	kms_rfilter__free(rf);
}

TEST(sizes)
{
	struct kms_filter f = { .min_size = 100, .max_size = 200 };
	struct kms_rfilter *rf = kms_rfilter__new(&f);
	struct kms_event e, info = { .type = KMS_EV_CACHE_INFO, .cache = 0xffff888000001000ull,
				     .object_size = 184, .size = 192, .name = "filp",
				     .name_len = 4 };
	uint32_t req[] = { 99, 100, 150, 200, 201 };
	bool want[] = { false, true, true, true, false };
	size_t i;

	for (i = 0; i < 5; i++) {
		e = alloc(1, 1, 0x1000 + i * 64, req[i]);
		CHECK_INT(kms_rfilter__keep(rf, &e, NULL), ==, want[i]);
	}
	/* A kmem_cache_alloc's request is its cache's object size (184 here). */
	CHECK(kms_rfilter__keep(rf, &info, NULL));
	e = (struct kms_event){ .type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
				.cache = info.cache, .ptr = 0x9000 };
	CHECK(kms_rfilter__keep(rf, &e, NULL));
	e.cache = 0xffff888000002000ull;	/* a cache never announced: size 0 */
	e.ptr = 0xa000;
	CHECK(!kms_rfilter__keep(rf, &e, NULL));
	/* A failed allocation passes but is not tracked: no free can follow it. */
	e = alloc(1, 1, 0, 150);
	CHECK(kms_rfilter__keep(rf, &e, NULL));
	e = (struct kms_event){ .type = KMS_EV_CACHE_FREE, .ptr = 0x9000 };
	CHECK(kms_rfilter__keep(rf, &e, NULL));
	CHECK_U64(kms_rfilter__filtered(rf), 3);
	CHECK_U64(kms_rfilter__untracked(rf), 0);
	kms_rfilter__free(rf);
}

TEST(task_records_pass)
{
	struct kms_filter f = { .tgid = 7 };
	struct kms_rfilter *rf = kms_rfilter__new(&f);
	struct kms_event e = { .type = KMS_EV_TASK, .tid = 8, .tgid = 8, .name = "x",
			       .name_len = 1 };

	CHECK(kms_rfilter__keep(rf, &e, NULL));
	CHECK_U64(kms_rfilter__filtered(rf), 0);
	kms_rfilter__free(rf);
	kms_rfilter__free(NULL);
}

static struct kms_event task_in(unsigned int tid, uint64_t cgroup)
{
	return (struct kms_event){ .type = KMS_EV_TASK, .tid = tid, .tgid = tid, .name = "t",
				   .name_len = 1, .flags = KMS_EVF_CGROUP, .cgroup = cgroup };
}

/* Keep e? (run through the filter once) */
static bool keep(struct kms_rfilter *rf, struct kms_event e)
{
	return kms_rfilter__keep(rf, &e, NULL);
}

/*
 * --cgroup: the task's cgroup as last announced, as bpf_get_current_cgroup_id()
 * in the kernel; the path resolved through the recording's cgroups.
 */
TEST(cgroup)
{
	static const char *const bad[] = { "id:", "id:0", "id:1x", "id:-1" };
	struct kms_filter f = { .cgroup_path = "/a/b/" };
	struct cgpaths *known = cgpaths__new();
	struct kms_rfilter *rf = kms_rfilter__new(&f);
	size_t i;

	CHECK(known && rf);
	if (!known || !rf)
		return;
	CHECK_INT(kms_rfilter__resolve_cgroup(rf, known), ==, -ENOENT);	/* none known */
	cgpaths__add(known, 5, "/a/b");
	cgpaths__add(known, 6, "/a");
	cgpaths__add(known, 9, "/a/b");		/* removed and made again: both */
	CHECK_INT(kms_rfilter__resolve_cgroup(rf, known), ==, 0);
	CHECK(keep(rf, task_in(10, 5)));
	CHECK(keep(rf, task_in(11, 6)));
	CHECK(keep(rf, task_in(12, 9)));
	CHECK(keep(rf, alloc(10, 10, 0x1000, 64)));
	CHECK(!keep(rf, alloc(11, 11, 0x2000, 64)));
	CHECK(keep(rf, alloc(12, 12, 0x3000, 64)));
	CHECK(!keep(rf, alloc(13, 13, 0x4000, 64)));	/* never announced */
	CHECK(keep(rf, task_in(10, 6)));		/* moved out ... */
	CHECK(!keep(rf, alloc(10, 10, 0x5000, 64)));
	CHECK(keep(rf, kfree_of(0x1000)));		/* ... its object's free still passes */
	CHECK(!keep(rf, kfree_of(0x2000)));
	CHECK(keep(rf, task_in(11, 5)));		/* ... and one moved in */
	CHECK(keep(rf, alloc(11, 11, 0x6000, 64)));
	CHECK_U64(kms_rfilter__filtered(rf), 3);
	CHECK_U64(kms_rfilter__untracked(rf), 1);
	kms_rfilter__free(rf);

	/* A path given without its leading slash; id:N; what is no id. */
	f.cgroup_path = "a";
	rf = kms_rfilter__new(&f);
	CHECK_INT(kms_rfilter__resolve_cgroup(rf, known), ==, 0);
	CHECK(keep(rf, task_in(20, 6)));
	CHECK(keep(rf, alloc(20, 20, 0x1000, 64)));
	kms_rfilter__free(rf);
	f.cgroup_path = "id:9";
	rf = kms_rfilter__new(&f);
	CHECK_INT(kms_rfilter__resolve_cgroup(rf, NULL), ==, 0);
	CHECK(keep(rf, task_in(21, 9)));
	CHECK(keep(rf, task_in(22, 5)));
	CHECK(keep(rf, alloc(21, 21, 0x1000, 64)));
	CHECK(!keep(rf, alloc(22, 22, 0x2000, 64)));
	kms_rfilter__free(rf);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f.cgroup_path = bad[i];
		rf = kms_rfilter__new(&f);
		CHECK_INT(kms_rfilter__resolve_cgroup(rf, known), ==, -EINVAL);
		kms_rfilter__free(rf);
	}
	f.cgroup_path = "/c";
	rf = kms_rfilter__new(&f);
	CHECK_INT(kms_rfilter__resolve_cgroup(rf, known), ==, -ENOENT);
	kms_rfilter__free(rf);
	cgpaths__free(known);
}

TEST(target_names)
{
	char buf[128];

	kms_target__format(buf, sizeof(buf), 1234, 0, "sleep");
	CHECK_STR(buf, "process 1234 (sleep)");
	kms_target__format(buf, sizeof(buf), 1234, 1240, "worker");
	CHECK_STR(buf, "thread 1240 (worker) of process 1234");
	kms_target__format(buf, sizeof(buf), 0, 1240, NULL);
	CHECK_STR(buf, "thread 1240");
	kms_target__format(buf, sizeof(buf), 0, 0, "x");
	CHECK_STR(buf, "");
	/* This process, from /proc. */
	kms_target__describe(getpid(), 0, buf, sizeof(buf));
	CHECK_HAS(buf, "test_rfilter");
	CHECK_INT(kms_target__check(getpid(), 0, buf, sizeof(buf)), ==, 0);
	CHECK_INT(kms_target__check(0x7ffffff0, 0, buf, sizeof(buf)), ==, -ESRCH);
	CHECK_STR(buf, "-p 2147483632: no such process is running");
}

int main(void)
{
	t_suite = "rfilter";
	RUN(nothing_to_filter);
	RUN(pid_tid);
	RUN(comm);
	RUN(sizes);
	RUN(task_records_pass);
	RUN(cgroup);
	RUN(target_names);
	return test_done();
}
