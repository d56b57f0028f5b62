// SPDX-License-Identifier: GPL-2.0
/*
 * test_sizes.c - unit tests for src/sizes.c (`kmscope sizes`) with the
 * x86-64 4 KiB size-class defaults, alone and with the real 6.18
 * /sys/kernel/slab snapshot (tests/fixtures/slabsnap-6.18-x86_64-2cpu.txt)
 * or small inline ones: sizes__one() for a slab request (200), a large
 * one (10240), the smallest class, one beyond KMALLOC_MAX_SIZE, in text
 * and JSON; sizes__table() request ranges, objects per slab and tail
 * waste.  Snapshots that lack attributes or carry impossible orders run
 * where a UBSan abort fails one test only.  Fixture paths are relative to
 * the repository root, where make runs the tests.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sizes.h"
#include "slabsnap.h"
#include "slabsys.h"
#include "test.h"

#define FIXTURE		"tests/fixtures/slabsnap-6.18-x86_64-2cpu.txt"
#define GFP_KERNEL	0xcc0u
#define GFP_KERNEL_ACCOUNT 0x400cc0u

static struct slabsys *fixture;

static struct kmalloc_params kp_default(void)
{
	struct kmalloc_params kp;

	kmalloc_params__default(&kp, 4096);
	return kp;
}

static struct slabsys *parse_sys(const char *s)
{
	struct slabsys *sys = NULL;

	if (slabsys__parse(s, strlen(s), &sys))
		T_FAIL("slabsys__parse failed");
	return sys;
}

/* Output of sizes__one / sizes__table as a malloc'ed string; *err its rc. */
static char *one(const struct slabsys *sys, uint32_t req, uint32_t gfp, bool json,
		 int *err)
{
	struct kmalloc_params kp = kp_default();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		T_FAIL("open_memstream failed");
		return NULL;
	}
	*err = sizes__one(f, &kp, sys, req, gfp, json, false);
	fclose(f);
	return buf;
}

static char *table(const struct slabsys *sys, bool json, int *err)
{
	struct kmalloc_params kp = kp_default();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		T_FAIL("open_memstream failed");
		return NULL;
	}
	*err = sizes__table(f, &kp, sys, json, false);
	fclose(f);
	return buf;
}

TEST(one_200_text)
{
	char *out;
	int err;

	/* kmalloc(200): kmalloc-256 (193..256), 56 bytes unused. */
	out = one(NULL, 200, GFP_KERNEL, false, &err);
	CHECK_INT(err, ==, 0);
	CHECK_HAS(out, "kmalloc(200, GFP_KERNEL) -> kmalloc-256: 256 bytes allocated, "
		       "56 wasted (21.9%)\n");		/* 56 / 256 = 21.875% */
	CHECK_HAS(out, "  kmalloc_size_roundup(200) = 256: the caller may use all of it\n");
	/* kmalloc-192 holds 129..192: 256 - 192 = 64 bytes less. */
	CHECK_HAS(out, "  a request of at most 192 bytes fits kmalloc-192: 64 bytes less "
		       "per object\n");
	/* No snapshot: nothing said about the cache's slabs. */
	CHECK_LACKS(out, "objects per slab");
	CHECK_LACKS(out, "random copies");		/* x86 defaults: none */
	free(out);

	/* With the 6.18 snapshot: kmalloc-256 has 16 per order-0 slab,
	 * 16 * 256 = 4096: no tail. */
	out = one(fixture, 200, GFP_KERNEL, false, &err);
	CHECK_INT(err, ==, 0);
	CHECK_HAS(out, "kmalloc-256: 256 bytes allocated, 56 wasted");
	CHECK_HAS(out, "  cache: 16 objects per slab, order 0 (4096 bytes), 0 bytes tail "
		       "waste per slab\n");
	CHECK_HAS(out, "at most 192 bytes fits kmalloc-192: 64 bytes less");
	free(out);
}

TEST(one_200_json)
{
	char *out;
	int err;

	out = one(NULL, 200, GFP_KERNEL, true, &err);
	CHECK_INT(err, ==, 0);
	/* Every field: the request, the class and the smaller fit; no
	 * geometry without a snapshot. */
	CHECK_STR(out, "{\"bytes_req\":200,\"gfp\":\"GFP_KERNEL\",\"bytes_alloc\":256,"
		       "\"waste\":56,\"kmalloc_size_roundup\":256,\"cache\":\"kmalloc-256\","
		       "\"size\":256,\"req_min\":193,\"req_max\":256,\"smaller_fit\":192,"
		       "\"smaller_cache\":\"kmalloc-192\",\"smaller_saves\":64}\n");
	free(out);

	out = one(fixture, 200, GFP_KERNEL, true, &err);
	CHECK_INT(err, ==, 0);
	/* The snapshot adds kmalloc-256's slab: 16 objects, order 0. */
	CHECK_STR(out, "{\"bytes_req\":200,\"gfp\":\"GFP_KERNEL\",\"bytes_alloc\":256,"
		       "\"waste\":56,\"kmalloc_size_roundup\":256,\"cache\":\"kmalloc-256\","
		       "\"size\":256,\"req_min\":193,\"req_max\":256,\"slab_size\":256,"
		       "\"objs_per_slab\":16,\"order\":0,\"slab_bytes\":4096,"
		       "\"tail_waste\":0,\"smaller_fit\":192,\"smaller_cache\":"
		       "\"kmalloc-192\",\"smaller_saves\":64}\n");
	free(out);
}

TEST(one_gfp_types)
{
	char *out;
	int err;

	/* __GFP_ACCOUNT: kmalloc-cg-96 (65..96), 42 per slab, 4096 - 4032. */
	out = one(fixture, 70, GFP_KERNEL_ACCOUNT, false, &err);
	CHECK_INT(err, ==, 0);
	CHECK_HAS(out, "kmalloc(70, GFP_KERNEL_ACCOUNT) -> kmalloc-cg-96: 96 bytes "
		       "allocated, 26 wasted (27.1%)\n");	/* 26 / 96 */
	CHECK_HAS(out, "  cache: 42 objects per slab, order 0 (4096 bytes), 64 bytes "
		       "tail waste per slab\n");
	/* Next smaller of the same type: kmalloc-cg-64. */
	CHECK_HAS(out, "  a request of at most 64 bytes fits kmalloc-cg-64: 32 bytes "
		       "less per object\n");
	free(out);

	/* The smallest class has nothing below it. */
	out = one(fixture, 5, GFP_KERNEL, false, &err);
	CHECK_INT(err, ==, 0);
	CHECK_HAS(out, "-> kmalloc-8: 8 bytes allocated, 3 wasted (37.5%)\n");
	CHECK_HAS(out, "  already the smallest class of its type\n");
	free(out);
	out = one(fixture, 5, GFP_KERNEL, true, &err);
	CHECK_LACKS(out, "smaller_fit");
	free(out);
}

TEST(one_large)
{
	char *out;
	int err;

	/* 10240 > KMALLOC_MAX_CACHE_SIZE 8192: pages, get_order() = 2. */
	out = one(NULL, 10240, GFP_KERNEL, false, &err);
	CHECK_INT(err, ==, 0);
	CHECK_HAS(out, "kmalloc(10240, GFP_KERNEL) -> kmalloc-large-16k: 16384 bytes "
		       "allocated, 6144 wasted (37.5%)\n");	/* 6144 / 16384 */
	CHECK_HAS(out, "  page allocator: order 2 (4 pages)\n");
	CHECK_HAS(out, "  kmalloc_size_roundup(10240) = 16384");
	/* kmalloc-8k holds 4097..8192. */
	CHECK_HAS(out, "  a request of at most 8192 bytes fits kmalloc-8k: 8192 bytes "
		       "less per object\n");
	CHECK_LACKS(out, "objects per slab");
	free(out);

	/* The snapshot changes nothing for a large kmalloc (no cache). */
	out = one(fixture, 10240, GFP_KERNEL, false, &err);
	CHECK_HAS(out, "-> kmalloc-large-16k: 16384 bytes allocated, 6144 wasted");
	CHECK_HAS(out, "  page allocator: order 2 (4 pages)\n");
	free(out);

	out = one(NULL, 10240, GFP_KERNEL, true, &err);
	CHECK_INT(err, ==, 0);
	/* One object of 4 pages: slab_bytes 16384, no tail. */
	CHECK_STR(out, "{\"bytes_req\":10240,\"gfp\":\"GFP_KERNEL\",\"bytes_alloc\":16384,"
		       "\"waste\":6144,\"kmalloc_size_roundup\":16384,\"cache\":"
		       "\"kmalloc-large-16k\",\"size\":16384,\"req_min\":8193,"
		       "\"req_max\":16384,\"slab_size\":16384,\"objs_per_slab\":1,"
		       "\"order\":2,\"slab_bytes\":16384,\"tail_waste\":0,"
		       "\"smaller_fit\":8192,\"smaller_cache\":\"kmalloc-8k\","
		       "\"smaller_saves\":8192}\n");
	free(out);
}

TEST(one_too_big)
{
	char *out;
	int err;

	/* KMALLOC_MAX_SIZE = 4096 << 10 = 4194304: kmalloc fails above. */
	out = one(NULL, 5000000, GFP_KERNEL, false, &err);
	CHECK_INT(err, ==, -E2BIG);
	CHECK(!out || !*out);			/* nothing printed */
	free(out);
	out = one(NULL, 5000000, GFP_KERNEL, true, &err);
	CHECK_INT(err, ==, -E2BIG);
	CHECK(!out || !*out);
	free(out);
	/* 4194304 itself is the last order-10 kmalloc. */
	out = one(NULL, 4194304, GFP_KERNEL, false, &err);
	CHECK_INT(err, ==, 0);
	CHECK_HAS(out, "-> kmalloc-large-4M: 4194304 bytes allocated, 0 wasted (0.0%)\n");
	CHECK_HAS(out, "  page allocator: order 10 (1024 pages)\n");
	free(out);
	/* kmalloc(0) traces nothing: no class. */
	out = one(NULL, 0, GFP_KERNEL, false, &err);
	CHECK_INT(err, ==, -EINVAL);
	free(out);
}

/* One table row, parsed: name size range objs order slab_bytes tail. */
struct trow {
	char name[32], range[32];
	unsigned int size, objs, order, slab_bytes, tail;
	bool dashes;			/* "-" where the geometry is unknown */
};

/* The row of `name` in the first section titled `section`. */
static bool find_row(const char *text, const char *section, const char *name,
		     struct trow *r)
{
	const char *p = text ? strstr(text, section) : NULL;
	char want[40], dash[4][4];

	snprintf(want, sizeof(want), "\n%s ", name);
	p = p ? strstr(p, want) : NULL;
	if (!p)
		return false;
	memset(r, 0, sizeof(*r));
	if (sscanf(p + 1, "%31s %u %31s %u %u %u %u", r->name, &r->size, r->range,
		   &r->objs, &r->order, &r->slab_bytes, &r->tail) == 7)
		return true;
	r->dashes = sscanf(p + 1, "%31s %u %31s %3s %3s %3s %3s", r->name, &r->size,
			   r->range, dash[0], dash[1], dash[2], dash[3]) == 7 &&
		    !strcmp(dash[0], "-") && !strcmp(dash[3], "-");
	return r->dashes;
}

TEST(table_text)
{
	struct trow r;
	char *out;
	int err;

	out = table(fixture, false, &err);
	CHECK_INT(err, ==, 0);
	CHECK_HAS(out, "page size 4096, KMALLOC_MAX_CACHE_SIZE 8192, "
		       "KMALLOC_MAX_SIZE 4194304\n");
	/* The x86 defaults have every type. */
	CHECK_HAS(out, "\nnormal\n");
	CHECK_HAS(out, "\ncgroup (__GFP_ACCOUNT)\n");
	CHECK_HAS(out, "\nreclaimable (__GFP_RECLAIMABLE)\n");
	CHECK_HAS(out, "\ndma (__GFP_DMA)\n");
	CHECK_HAS(out, "\nlarge (page allocator)\n");
	/* kmalloc-96: requests 65..96; the fixture's 42 objects per order-0
	 * slab leave 4096 - 42 * 96 = 64 bytes. */
	CHECK(find_row(out, "\nnormal\n", "kmalloc-96", &r));
	CHECK_INT(r.size, ==, 96);
	CHECK_STR(r.range, "65-96");
	CHECK_INT(r.objs, ==, 42);
	CHECK_INT(r.order, ==, 0);
	CHECK_INT(r.slab_bytes, ==, 4096);
	CHECK_INT(r.tail, ==, 64);
	/* kmalloc-8k: 4097..8192, 4 per order-3 slab, no tail. */
	CHECK(find_row(out, "\nnormal\n", "kmalloc-8k", &r));
	CHECK_STR(r.range, "4097-8192");
	CHECK_INT(r.objs, ==, 4);
	CHECK_INT(r.order, ==, 3);
	CHECK_INT(r.slab_bytes, ==, 32768);
	CHECK_INT(r.tail, ==, 0);
	/* The smallest: 1..8. */
	CHECK(find_row(out, "\nnormal\n", "kmalloc-8", &r));
	CHECK_STR(r.range, "1-8");
	/* dma-kmalloc-96 is in the snapshot too: the same slab. */
	CHECK(find_row(out, "\ndma (__GFP_DMA)\n", "dma-kmalloc-96", &r));
	CHECK_INT(r.objs, ==, 42);
	CHECK_INT(r.tail, ==, 64);
	/* Large: one object of 4 pages for 8193..16384. */
	CHECK(find_row(out, "\nlarge (page allocator)\n", "kmalloc-large-16k", &r));
	CHECK_STR(r.range, "8193-16384");
	CHECK_INT(r.objs, ==, 1);
	CHECK_INT(r.order, ==, 2);
	CHECK_INT(r.slab_bytes, ==, 16384);
	/* The largest: order 10. */
	CHECK(find_row(out, "\nlarge (page allocator)\n", "kmalloc-large-4M", &r));
	CHECK_STR(r.range, "2097153-4194304");
	CHECK_INT(r.order, ==, 10);
	free(out);

	/* Without a snapshot the geometry columns are "-". */
	out = table(NULL, false, &err);
	CHECK_INT(err, ==, 0);
	CHECK(find_row(out, "\nnormal\n", "kmalloc-96", &r) && r.dashes);
	CHECK_STR(r.range, "65-96");
	/* A large kmalloc's geometry needs no snapshot. */
	CHECK(find_row(out, "\nlarge (page allocator)\n", "kmalloc-large-16k", &r) &&
	      !r.dashes);
	free(out);
}

TEST(table_json)
{
	char *out;
	int err;

	out = table(fixture, true, &err);
	CHECK_INT(err, ==, 0);
	CHECK_HAS(out, "{\"page_size\":4096,\"kmalloc_max_cache_size\":8192,"
		       "\"kmalloc_max_size\":4194304,\"types\":[{\"type\":\"normal\","
		       "\"classes\":[{\"cache\":\"kmalloc-8\",");
	CHECK_HAS(out, "{\"cache\":\"kmalloc-96\",\"size\":96,\"req_min\":65,"
		       "\"req_max\":96,\"slab_size\":96,\"objs_per_slab\":42,"
		       "\"order\":0,\"slab_bytes\":4096,\"tail_waste\":64}");
	CHECK(out && out[strlen(out) - 1] == '\n');
	free(out);
}

/*
 * Children for snapshots the parser accepts but that are not a kernel's
 * full geometry.  Each returns 0 when the output is the class model's.
 */
static int attrs_absent_child(void)
{
	/* `cache NAME` alone is a valid line: slabsnap__write_names() writes
	 * it, and slabsys marks every attribute absent, "not zero". */
	struct slabsys *sys = parse_sys("cache kmalloc-256\n");
	char *out;
	int err, bad = 0;

	if (!sys)
		return 4;
	out = one(sys, 200, GFP_KERNEL, false, &err);
	if (err || !out || !strstr(out, "kmalloc-256: 256 bytes allocated, 56 wasted")) {
		const char *p = out ? out : "(null)";

		/* What it printed, as TAP comments. */
		while (*p) {
			int n = (int)strcspn(p, "\n");

			printf("#   got: %.*s\n", n, p);
			p += n + (p[n] == '\n');
		}
		bad = 3;
	}
	free(out);
	slabsys__free(sys);
	return bad;
}

static int huge_order_child(void)
{
	/* order=40: a u32 that fits, but PAGE_SIZE << 40 does not. */
	struct slabsys *sys = parse_sys("cache kmalloc-256 object_size=256 slab_size=256 "
					"objs_per_slab=16 order=40\n");
	char *out;
	int err;

	if (!sys)
		return 4;
	out = one(sys, 200, GFP_KERNEL, false, &err);
	free(out);
	out = table(sys, false, &err);
	free(out);
	slabsys__free(sys);
	return 0;
}

static void in_child(int (*fn)(void), const char *what)
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
		int rc = fn();

		fflush(stdout);
		_exit(rc);
	}
	if (waitpid(pid, &st, 0) != pid) {
		T_FAIL("waitpid failed");
		return;
	}
	if (WIFSIGNALED(st))
		T_FAIL("%s: child killed by signal %d", what, WTERMSIG(st));
	else if (WEXITSTATUS(st) == 3)
		T_FAIL("%s: output is not the class model's", what);
	else if (WEXITSTATUS(st))
		T_FAIL("%s: child exited %d (sanitizer report above?)", what,
		       WEXITSTATUS(st));
}

/* A cache line without slab_size, objs_per_slab and order. */
TEST(snapshot_attrs_absent)
{
	in_child(attrs_absent_child, "snapshot \"cache kmalloc-256\\n\", kmalloc(200)");
}

/* A recording's snapshot is hostile input: an order that cannot be. */
TEST(snapshot_huge_order)
{
	in_child(huge_order_child, "snapshot kmalloc-256 order=40, kmalloc(200)");
}

int main(void)
{
	char *text;
	size_t len;

	t_suite = "sizes";
	if (!slurp_file(FIXTURE, &text, &len)) {
		if (slabsys__parse(text, len, &fixture))
			fixture = NULL;
		free(text);
	}
	if (!fixture) {
		/* The fixture is part of the repo: a failure, not a skip. */
		printf("# cannot read %s (run from the repo root)\n", FIXTURE);
		printf("not ok 1 - fixture\n");
		t_failed++;
		return test_done();
	}
	RUN(one_200_text);
	RUN(one_200_json);
	RUN(one_gfp_types);
	RUN(one_large);
	RUN(one_too_big);
	RUN(table_text);
	RUN(table_json);
	RUN(snapshot_attrs_absent);
	RUN(snapshot_huge_order);
	slabsys__free(fixture);
	return test_done();
}
