// SPDX-License-Identifier: GPL-2.0
/*
 * test_slabgrowth.c - the slab growth between two /proc/slabinfo
 * snapshots (src/slabgrowth.c): a cache that gained slabs, one that lost
 * some, one unchanged, one created and one destroyed during the trace,
 * each row's pages and bytes from its pages per slab, the totals over
 * the caches in both, the order (most memory first), and a table without
 * slab counts (no CONFIG_SLUB_DEBUG) refused.
 */
#include <errno.h>
#include <string.h>

#include "slabgrowth.h"
#include "slabinfo.h"
#include "test.h"

#define HDR "slabinfo - version: 2.1\n"
#define COLS "# name            <active_objs> <num_objs> <objsize> <objperslab> " \
	     "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "   \
	     "slabdata <active_slabs> <num_slabs> <sharedavail>\n"
#define LINE(name, act, num, size, per, pages, slabs) \
	name " " #act " " #num " " #size " " #per " " #pages " : tunables 0 0 0 : slabdata " \
	#slabs " " #slabs " 0\n"
#define PAGE	4096

static const char start_text[] = HDR COLS
	LINE("msg_msg-128", 480, 640, 128, 32, 1, 20)
	LINE("kmalloc-8k", 8, 16, 8192, 4, 8, 4)
	LINE("dentry", 100, 105, 192, 21, 1, 5)
	LINE("old_cache", 1, 10, 400, 10, 1, 1);
static const char end_text[] = HDR COLS
	LINE("msg_msg-128", 2304, 2304, 128, 32, 1, 72)
	LINE("kmalloc-8k", 4, 8, 8192, 4, 8, 2)
	LINE("dentry", 90, 105, 192, 21, 1, 5)
	LINE("new_cache", 3, 64, 64, 64, 1, 1);

static bool parse2(struct slabinfo *a, struct slabinfo *b)
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	return !slabinfo__parse(start_text, strlen(start_text), a) &&
	       !slabinfo__parse(end_text, strlen(end_text), b);
}

static const struct slabgrowth_row *row(const struct slabgrowth *g, const char *name)
{
	for (size_t i = 0; i < g->nr_rows; i++)
		if (!strcmp(g->rows[i].name, name))
			return &g->rows[i];
	return NULL;
}

TEST(growth)
{
	struct slabinfo a, b;
	struct slabgrowth g;
	const struct slabgrowth_row *r;

	CHECK(parse2(&a, &b));
	CHECK_INT(slabgrowth__compute(&a, &b, NULL, PAGE, &g), ==, 0);
	CHECK_INT(g.nr_rows, ==, 4);		/* dentry kept its 5 slabs */
	CHECK_INT(g.nr_same, ==, 1);
	/* Most memory gained or lost first: 52 pages, then 16 (8k), then 1 and 1. */
	CHECK_STR(g.rows[0].name, "msg_msg-128");
	CHECK_STR(g.rows[1].name, "kmalloc-8k");
	r = row(&g, "msg_msg-128");
	if (r) {
		CHECK_U64(r->start.slabs, 20);
		CHECK_U64(r->end.slabs, 72);
		CHECK_U64(r->end.pages - r->start.pages, 52);
		CHECK_INT(slabgrowth_row__delta(r), ==, 52 * PAGE);
		CHECK_U64(r->start.free_bytes, 160 * 128);
		CHECK_U64(r->end.free_bytes, 0);
		CHECK_U64(r->end.objects, 2304);
		CHECK_INT(r->order, ==, 0);
	}
	r = row(&g, "kmalloc-8k");
	if (r) {
		CHECK_INT(r->order, ==, 3);
		CHECK_INT(slabgrowth_row__delta(r), ==, -(int64_t)(2 * 8 * PAGE));
	}
	r = row(&g, "new_cache");
	CHECK(r && !r->start.present && r->end.present && r->end.slab_bytes == PAGE);
	r = row(&g, "old_cache");
	CHECK(r && r->start.present && !r->end.present && r->start.slab_bytes == PAGE);
	/* Totals over the three caches in both. */
	CHECK_U64(g.slab_bytes_start, (20 + 32 + 5) * PAGE);
	CHECK_U64(g.slab_bytes_end, (72 + 16 + 5) * PAGE);
	CHECK_U64(g.free_bytes_start, 160 * 128 + 8 * 8192 + 5 * 192);
	CHECK_U64(g.free_bytes_end, 0 + 4 * 8192 + 15 * 192);
	slabgrowth__free(&g);
	CHECK(!g.rows && !g.nr_rows);
	slabinfo__free(&a);
	slabinfo__free(&b);
}

TEST(no_counts)
{
	static const char zero[] = HDR COLS LINE("dentry", 0, 0, 192, 21, 1, 0);
	struct slabinfo a = { 0 }, b = { 0 };
	struct slabgrowth g;

	CHECK_INT(slabinfo__parse(zero, strlen(zero), &a), ==, 0);
	CHECK_INT(slabinfo__parse(zero, strlen(zero), &b), ==, 0);
	CHECK_INT(slabgrowth__compute(&a, &b, NULL, PAGE, &g), ==, -EINVAL);
	CHECK_INT(slabgrowth__compute(NULL, &b, NULL, PAGE, &g), ==, -EINVAL);
	slabinfo__free(&a);
	slabinfo__free(&b);
}

int main(void)
{
	t_suite = "slabgrowth";
	RUN(growth);
	RUN(no_counts);
	return test_done();
}
