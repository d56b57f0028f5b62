// SPDX-License-Identifier: GPL-2.0
/*
 * test_topview.c - unit tests for src/topview.c: rates between two
 * refreshes, live counts and waste, every sort key, the name filter, the
 * cache table (no row for a cache with nothing traced), and the marks (a sleeping allocation in hardirq, a NULL
 * return, a live count rising at each of three refreshes).
 */
#include <string.h>

#include "collect.h"
#include "topview.h"
#include "test.h"

#define T0	1000000000ull
#define A	0xffffffff81000010ull
#define B	0xffffffff81000020ull

static uint64_t now = T0, next_ptr = 0xffff888000001000ull;

static void kmalloc(struct collector *c, uint64_t site, uint32_t req, uint32_t alloc,
		    unsigned int flags, bool failed)
{
	struct kms_event ev = { .type = KMS_EV_KMALLOC, .cpu = 0, .tid = 1, .tgid = 1,
				.ts = now += 1000, .call_site = site, .bytes_req = req,
				.bytes_alloc = alloc, .gfp = 0xcc0, .flags = flags };

	ev.ptr = failed ? 0 : (next_ptr += 0x100);
	if (failed)
		ev.flags |= KMS_EVF_FAILED;
	collector__event(c, &ev, NULL);
}

static const struct topview_row *row(const struct topview *tv, const char *name)
{
	size_t i;

	for (i = 0; i < topview__nr_rows(tv); i++)
		if (!strcmp(topview__row(tv, i)->name, name))
			return topview__row(tv, i);
	return NULL;
}

TEST(rates_sort_filter_marks)
{
	struct collector_opts o = { .t0_ns = T0 };
	struct topview *tv = topview__new();
	struct collector *c;
	const struct topview_row *r;
	char m[4];
	int i, k;

	kmalloc_params__default(&o.kp, 4096);
	c = collector__new(&o);
	CHECK(c && tv);
	if (!c || !tv)
		goto out;
	/* refresh 1 at 1 s: A 10 x 100 in 128, B 2 x 32 in 32 */
	for (i = 0; i < 10; i++)
		kmalloc(c, A, 100, 128, 0, false);
	kmalloc(c, B, 32, 32, 0, false);
	kmalloc(c, B, 32, 32, 0, false);
	CHECK_INT(topview__refresh(tv, c, NULL, NULL, 1000000000ull, TOP_SITES, TOP_SORT_ALLOC_RATE,
				   NULL), ==, 0);
	CHECK_INT(topview__nr_rows(tv), ==, 2);
	r = topview__row(tv, 0);
	CHECK(r && r->alloc_rate == 10 && r->live == 10 && r->live_bytes == 1280);
	CHECK(r && r->waste_pct > 21.8 && r->waste_pct < 21.9);	/* 280 / 1280 */
	/* refreshes 2..4, half a second apart: B grows by 4 each time, A not */
	for (k = 2; k <= 4; k++) {
		for (i = 0; i < 4; i++)
			kmalloc(c, B, 32, 32, 0, false);
		CHECK_INT(topview__refresh(tv, c, NULL, NULL, 500000000ull * (k + 1), TOP_SITES,
					   TOP_SORT_ALLOC_RATE, NULL), ==, 0);
	}
	r = topview__row(tv, 0);
	CHECK(r && r->alloc_rate == 8 && r->live == 14);	/* B: 4 in 0.5 s */
	CHECK(r && (r->marks & TOP_MARK_GROWING));
	CHECK_STR(topview_marks(r ? r->marks : 0, m), "+");
	/* by name: 0x...10 before 0x...20 (no symbols) */
	CHECK_INT(topview__refresh(tv, c, NULL, NULL, 3000000000ull, TOP_SITES, TOP_SORT_NAME, NULL),
		  ==, 0);
	CHECK_STR(topview__row(tv, 0)->name, "0xffffffff81000010");
	/* by live bytes: A's 1280 before B's 448 */
	CHECK_INT(topview__refresh(tv, c, NULL, NULL, 3500000000ull, TOP_SITES, TOP_SORT_LIVE_BYTES,
				   NULL), ==, 0);
	CHECK_STR(topview__row(tv, 0)->name, "0xffffffff81000010");
	/* filter */
	CHECK_INT(topview__refresh(tv, c, NULL, NULL, 4000000000ull, TOP_SITES, TOP_SORT_ALLOC_RATE,
				   "81000020"), ==, 0);
	CHECK_INT(topview__nr_rows(tv), ==, 1);
	/*
	 * caches: kmalloc-128 and kmalloc-32; not dentry, whose only event
	 * is the free of an object older than the trace (a row of zeros)
	 */
	{
		struct kms_event info = { .type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE,
					  .cache = 0xffffffff82000100ull, .object_size = 192,
					  .size = 192, .name = "dentry", .name_len = 6 };
		struct kms_event fr = { .type = KMS_EV_CACHE_FREE, .flags = KMS_EVF_HAS_CACHE,
					.ts = now += 1000, .ptr = 0xffff888000900000ull,
					.cache = 0xffffffff82000100ull };

		collector__event(c, &info, NULL);
		collector__event(c, &fr, NULL);
	}
	CHECK_INT(topview__refresh(tv, c, NULL, NULL, 4500000000ull, TOP_CACHES, TOP_SORT_NAME, NULL),
		  ==, 0);
	CHECK_INT(topview__nr_rows(tv), ==, 2);
	CHECK(!row(tv, "dentry"));
	CHECK_STR(topview__row(tv, 0)->name, "kmalloc-128");
	CHECK(row(tv, "kmalloc-32") && row(tv, "kmalloc-32")->live == 14);
	/* marks: GFP_KERNEL in hardirq, and a NULL return */
	kmalloc(c, A, 100, 128, KMS_EVF_HARDIRQ, false);
	kmalloc(c, A, 100, 128, 0, true);
	CHECK_INT(topview__refresh(tv, c, NULL, NULL, 5000000000ull, TOP_SITES, TOP_SORT_NAME, NULL),
		  ==, 0);
	r = row(tv, "0xffffffff81000010");
	CHECK_STR(topview_marks(r ? r->marks : 0, m), "!F");
	{
		enum topview_sort s;

		CHECK(!topview_sort_key('w', &s) && s == TOP_SORT_WASTE);
		CHECK(topview_sort_key('x', &s) < 0);
	}
out:
	topview__free(tv);
	collector__free(c);
}

/* A line wider than the screen is cut with a marker, never silently. */
TEST(fit)
{
	static const char row[] =
		"           26          0         26    6.5 KiB    0.0%  kmalloc-rnd-15-192";
	char out[128], tiny[8];
	size_t n = strlen(row);

	CHECK_STR(topview_fit(row, n, out, sizeof(out)), row);
	CHECK_STR(topview_fit(row, 200, out, sizeof(out)), row);
	topview_fit(row, n - 1, out, sizeof(out));
	CHECK_INT(strlen(out), ==, n - 1);
	CHECK(!strncmp(out, row, n - 4));
	CHECK_STR(out + n - 4, "...");
	CHECK_STR(topview_fit(row, 70, out, sizeof(out)),
		  "           26          0         26    6.5 KiB    0.0%  kmalloc-rnd...");
	CHECK_STR(topview_fit(row, 3, out, sizeof(out)), "...");
	CHECK_STR(topview_fit(row, 2, out, sizeof(out)), "..");
	CHECK_STR(topview_fit(row, 0, out, sizeof(out)), "");
	CHECK_STR(topview_fit("abc", 3, out, sizeof(out)), "abc");
	CHECK_STR(topview_fit(row, 70, tiny, sizeof(tiny)), "       ");
}

int main(void)
{
	t_suite = "topview";
	RUN(rates_sort_filter_marks);
	RUN(fit);
	return test_done();
}
