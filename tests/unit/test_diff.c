// SPDX-License-Identifier: GPL-2.0
/*
 * test_diff.c - unit tests for src/diff.c, `kmscope diff`: parsing reports
 * (the hand-written tests/fixtures/report-*.json and inline text),
 * comparing them per site, per cache, in totals (the report-level memory
 * metrics too) and in findings, the CI gate (--max-increase, --fail-on)
 * and its option parsing, and the text and JSON renderings.  Fixture paths
 * are relative to the repository root, where make runs the tests.
 *
 * The fixtures (per site: allocs bytes_alloc waste live live_bytes failed):
 *   report-base.json      alloc_msg+0x41         100 12800  3200 10 1280 0
 *                         pipe_resize_ring+0x44    4 65536 24576  0    0 0
 *                         vm_area_alloc+0x1a      50  9600     0  0    0 0
 *                         old_helper+0x10          8   512   128  0    0 0
 *     totals                                     162 88448 27904 10 1280 0
 *     findings: leak/alloc_msg (warning), waste-smaller-request/alloc_msg
 *     (info), waste-roundup/pipe_resize_ring (hint)
 *   report-same.json      the same numbers; every addr moved by KASLR
 *                         (+0x1a00000), rows in reverse order, unknown keys
 *   report-double.json    every count doubled (findings too)
 *   report-newleak.json   alloc_msg live 40 (5120 B); pipe_resize_ring waste
 *                         0; old_helper gone; new_cache_user+0x22 new with
 *                         40 allocs, 2560 B, all live
 *     totals                                     194 90496  3200 80 7680 0
 *     findings: leak/alloc_msg (still there), waste-smaller/alloc_msg,
 *     new: leak/new_cache_user, gfp-atomic-large/new_cache_user (warning);
 *     resolved: waste-roundup/pipe_resize_ring
 *   report-gfpbug.json    base, with pipe_resize_ring failed 1 and two new
 *                         findings: gfp-nofail-order (bug), failure (warning)
 *   report-empty.json     a `stat -j` shape: no sites, no "findings"
 *   report-malformed.json a missing ',' at line 4, column 47
 * Their "caches" (kmalloc-128, vm_area_struct, kmalloc-64,
 * kmalloc-large-16k) follow their sites; none has a memory bill or size
 * classes.  report-membill-{base,new}.json, small reports with both, are
 * the example of docs/ci.md; the tests below write their own inline.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <json-c/json.h>

#include "diff.h"
#include "test.h"
#include "util.h"

#define FIXTURES "tests/fixtures"

static struct diff_report base, same, dbl, newleak, gfpbug, empty;

static bool load(const char *name, struct diff_report *r)
{
	char path[256], err[256];
	int e;

	snprintf(path, sizeof(path), FIXTURES "/report-%s.json", name);
	e = diff_report__load(r, path, err, sizeof(err));
	if (e)
		printf("# %s: %s (%d; run from the repo root)\n", path, err, e);
	return !e;
}

static int parse(const char *text, struct diff_report *r, char *err, size_t errlen)
{
	return diff_report__parse(r, text, strlen(text), err, errlen);
}

static const struct diff_entry *find_site(const struct diff_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nr_sites; i++)
		if (!strcmp(r->sites[i].name, name))
			return &r->sites[i];
	return NULL;
}

static bool crossed(const struct diff_result *d, enum diff_metric m, double pct)
{
	struct diff_threshold t = { .metric = m, .max_pct = pct };

	return diff_threshold__crossed(d, &t);
}

/* Render into a string (caller frees). */
static char *render(const struct diff_result *d, const struct diff_gate *g,
		    const struct diff_render_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (diff__render(f, d, g, o))
		T_FAIL("diff__render failed");
	fclose(f);
	return buf;
}

TEST(parse_base)
{
	const struct diff_entry *s;

	CHECK_STR(base.kernel, "6.18.44-fc-v782");
	CHECK_STR(base.method, "tp_btf");
	CHECK_STR(base.command, "./workload --iterations 100");
	CHECK_INT(base.nr_sites, ==, 4);
	/* Sorted by site string for the merge walk. */
	CHECK_STR(base.sites[0].name, "alloc_msg+0x41");
	CHECK_STR(base.sites[1].name, "old_helper+0x10");
	CHECK_STR(base.sites[2].name, "pipe_resize_ring+0x44");
	CHECK_STR(base.sites[3].name, "vm_area_alloc+0x1a");
	s = find_site(&base, "alloc_msg+0x41");
	CHECK(s);
	if (s) {
		CHECK_U64(s->v[DIFF_ALLOCS], 100);
		CHECK_U64(s->v[DIFF_BYTES], 12800);	/* "bytes_alloc" */
		CHECK_U64(s->v[DIFF_WASTE], 3200);
		CHECK_U64(s->v[DIFF_LIVE], 10);
		CHECK_U64(s->v[DIFF_LIVE_BYTES], 1280);
		CHECK_U64(s->v[DIFF_FAILED], 0);
	}
	CHECK(base.has_findings);
	CHECK_INT(base.nr_findings, ==, 3);
	CHECK_STR(base.findings[0].kind, "waste-roundup");
	CHECK_STR(base.findings[0].severity, "hint");
	CHECK_STR(base.findings[0].site, "pipe_resize_ring+0x44");
	CHECK_STR(base.findings[0].cache, "kmalloc-large-16k");
	CHECK_U64(base.findings[0].count, 4);
	CHECK_U64(base.findings[0].bytes, 24576);
	/* sum(live) = 10 = "live"; sum(allocs) 162 = kmalloc 112 + 50. */
	CHECK(!base.partial);
	/* The stat shape: no findings list at all, which is not "none". */
	CHECK(!empty.has_findings);
	CHECK_INT(empty.nr_sites, ==, 0);
	CHECK_STR(empty.command, "");
}

/* KASLR moved every address and the rows are reversed: nothing changed. */
TEST(identical)
{
	struct diff_gate g = { .fail_on = (1u << DIFF_NR_CONDS) - 1 };
	struct diff_threshold th[DIFF_NR_METRICS];
	struct diff_result d;
	int m;

	CHECK_INT(diff__compare(&d, &base, &same, DIFF_BYTES), ==, 0);
	CHECK_INT(d.sites.nr_changed, ==, 0);
	CHECK_INT(d.sites.nr_same, ==, 4);
	CHECK_INT(d.sites.nr_added, ==, 0);
	CHECK_INT(d.sites.nr_gone, ==, 0);
	CHECK_INT(d.nr_new_findings, ==, 0);
	CHECK_INT(d.nr_resolved, ==, 0);
	for (m = 0; m < DIFF_NR_METRICS; m++) {
		CHECK_U64(d.total_base[m], d.total_now[m]);
		/* Even a 0% limit: no change is no increase. */
		th[m] = (struct diff_threshold){ .metric = m, .max_pct = 0 };
		CHECK(!diff_threshold__crossed(&d, &th[m]));
	}
	CHECK_U64(d.total_now[DIFF_BYTES], 88448);
	g.th = th;
	g.nr_th = DIFF_NR_METRICS;
	CHECK(!diff_gate__fails(&d, &g));
	diff__free(&d);
}

TEST(doubled)
{
	struct diff_threshold t;
	struct diff_gate g = { .th = &t, .nr_th = 1 };
	struct diff_result d;

	CHECK_INT(diff__compare(&d, &base, &dbl, DIFF_BYTES), ==, 0);
	CHECK_U64(d.total_base[DIFF_ALLOCS], 162);
	CHECK_U64(d.total_now[DIFF_ALLOCS], 324);
	CHECK_U64(d.total_base[DIFF_BYTES], 88448);
	CHECK_U64(d.total_now[DIFF_BYTES], 176896);
	CHECK(diff_pct(162, 324) == 100.0);
	/* 100% > 50% crosses; 100% is not more than 100% nor 150%. */
	CHECK(crossed(&d, DIFF_ALLOCS, 50));
	CHECK(crossed(&d, DIFF_ALLOCS, 99.9));
	CHECK(!crossed(&d, DIFF_ALLOCS, 100));
	CHECK(!crossed(&d, DIFF_ALLOCS, 150));
	/* failed stays 0 -> 0: 0%, never crossed. */
	CHECK(!crossed(&d, DIFF_FAILED, 0));
	t = (struct diff_threshold){ .metric = DIFF_ALLOCS, .max_pct = 50 };
	CHECK(diff_gate__fails(&d, &g));
	t.max_pct = 150;
	CHECK(!diff_gate__fails(&d, &g));
	/* Every site changed; biggest bytes change first: pipe_resize_ring
	 * +65536, alloc_msg +12800, vm_area_alloc +9600, old_helper +512. */
	CHECK_INT(d.sites.nr_changed, ==, 4);
	if (d.sites.nr_changed == 4) {
		CHECK_STR(d.sites.changed[0].name, "pipe_resize_ring+0x44");
		CHECK_STR(d.sites.changed[1].name, "alloc_msg+0x41");
		CHECK_STR(d.sites.changed[2].name, "vm_area_alloc+0x1a");
		CHECK_STR(d.sites.changed[3].name, "old_helper+0x10");
		CHECK_U64(d.sites.changed[0].base[DIFF_BYTES], 65536);
		CHECK_U64(d.sites.changed[0].now[DIFF_BYTES], 131072);
	}
	/* The same (kind, site) pairs with doubled counts: nothing new. */
	CHECK_INT(d.nr_new_findings, ==, 0);
	CHECK_INT(d.nr_resolved, ==, 0);
	diff__free(&d);

	/* -s allocs: alloc_msg (+100) before vm_area_alloc (+50). */
	CHECK_INT(diff__compare(&d, &base, &dbl, DIFF_ALLOCS), ==, 0);
	if (d.sites.nr_changed == 4) {
		CHECK_STR(d.sites.changed[0].name, "alloc_msg+0x41");
		CHECK_STR(d.sites.changed[1].name, "vm_area_alloc+0x1a");
		CHECK_STR(d.sites.changed[2].name, "old_helper+0x10");
		CHECK_STR(d.sites.changed[3].name, "pipe_resize_ring+0x44");
	}
	diff__free(&d);
}

/* From 0 to anything is infinitely many percent. */
TEST(from_zero)
{
	struct diff_result d;

	CHECK(isinf(diff_pct(0, 1)) && diff_pct(0, 1) > 0);
	CHECK(diff_pct(0, 0) == 0);
	CHECK(diff_pct(10, 5) == -50.0);
	CHECK(diff_pct(5, 5) == 0);

	CHECK_INT(diff__compare(&d, &empty, &base, DIFF_BYTES), ==, 0);
	CHECK_U64(d.total_base[DIFF_BYTES], 0);
	CHECK_U64(d.total_now[DIFF_BYTES], 88448);
	CHECK(isinf(diff_pct(d.total_base[DIFF_BYTES], d.total_now[DIFF_BYTES])));
	CHECK(crossed(&d, DIFF_BYTES, 1e9));
	CHECK(crossed(&d, DIFF_BYTES, 0));
	CHECK(!crossed(&d, DIFF_FAILED, 0));	/* 0 -> 0 */
	/* Every site of BASE is new; EMPTY has no findings list, so all of
	 * BASE's findings are new. */
	CHECK_INT(d.sites.nr_added, ==, 4);
	CHECK_INT(d.sites.nr_changed + d.sites.nr_same + d.sites.nr_gone, ==, 0);
	CHECK_INT(d.nr_new_findings, ==, 3);
	/* Biggest NEW bytes first. */
	if (d.sites.nr_added == 4) {
		CHECK_STR(d.sites.added[0].name, "pipe_resize_ring+0x44");
		CHECK_STR(d.sites.added[3].name, "old_helper+0x10");
		CHECK_U64(d.sites.added[0].now[DIFF_BYTES], 65536);
		CHECK_U64(d.sites.added[0].base[DIFF_BYTES], 0);
	}
	diff__free(&d);

	/* And back: everything gone, bytes -100%, nothing crossed. */
	CHECK_INT(diff__compare(&d, &base, &empty, DIFF_BYTES), ==, 0);
	CHECK_INT(d.sites.nr_gone, ==, 4);
	CHECK(diff_pct(d.total_base[DIFF_BYTES], d.total_now[DIFF_BYTES]) == -100.0);
	CHECK(!crossed(&d, DIFF_BYTES, 0));
	CHECK_INT(d.nr_resolved, ==, 3);
	diff__free(&d);
}

/* new-leak: only a leak worth a warning; noise (info), pools and sites
 * whose frees are not seen (hint) differ between runs of one build. */
TEST(new_leak_severity)
{
	struct diff_finding warn = { .kind = "leak", .severity = "warning" };
	struct diff_finding info = { .kind = "leak", .severity = "info" };
	struct diff_finding hint = { .kind = "leak", .severity = "hint" };
	struct diff_finding none = { .kind = "leak" };
	const struct diff_finding *all[] = { &info, &hint, &none, &warn };
	struct diff_result d = { .new_findings = all, .nr_new_findings = 3 };

	CHECK_INT(diff_cond__count(&d, DIFF_NEW_LEAK), ==, 0);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_FINDING), ==, 3);
	d.nr_new_findings = 4;
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_LEAK), ==, 1);
}

TEST(new_leak)
{
	struct diff_gate g = { 0 };
	struct diff_result d;

	CHECK_INT(diff__compare(&d, &base, &newleak, DIFF_BYTES), ==, 0);
	/* Sites only in one file. */
	CHECK_INT(d.sites.nr_added, ==, 1);
	CHECK_INT(d.sites.nr_gone, ==, 1);
	CHECK_INT(d.sites.nr_changed, ==, 2);
	CHECK_INT(d.sites.nr_same, ==, 1);	/* vm_area_alloc */
	if (d.sites.nr_added == 1 && d.sites.nr_gone == 1) {
		CHECK_STR(d.sites.added[0].name, "new_cache_user+0x22");
		CHECK_U64(d.sites.added[0].now[DIFF_LIVE], 40);
		CHECK_STR(d.sites.gone[0].name, "old_helper+0x10");
		CHECK_U64(d.sites.gone[0].base[DIFF_ALLOCS], 8);
	}
	/* Both changes tie on bytes (0); live_bytes puts alloc_msg (+3840)
	 * before pipe_resize_ring (waste -24576, live_bytes 0). */
	if (d.sites.nr_changed == 2) {
		CHECK_STR(d.sites.changed[0].name, "alloc_msg+0x41");
		CHECK_STR(d.sites.changed[1].name, "pipe_resize_ring+0x44");
	}
	/* Totals: 162 -> 194 allocs (+19.75%), 88448 -> 90496 B (+2.3%),
	 * live 10 -> 80 (+700%). */
	CHECK_U64(d.total_now[DIFF_ALLOCS], 194);
	CHECK_U64(d.total_now[DIFF_BYTES], 90496);
	CHECK_U64(d.total_now[DIFF_LIVE], 80);
	CHECK(crossed(&d, DIFF_BYTES, 2.3));
	CHECK(!crossed(&d, DIFF_BYTES, 2.4));
	CHECK(crossed(&d, DIFF_LIVE, 699));
	CHECK(!crossed(&d, DIFF_LIVE, 700));
	CHECK(!crossed(&d, DIFF_WASTE, 0));	/* 27904 -> 3200 */

	/* leak/alloc_msg was in BASE (its count grew: still not new);
	 * leak/new_cache_user is new, and so is a gfp warning (not a bug). */
	CHECK_INT(d.nr_new_findings, ==, 2);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_LEAK), ==, 1);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_GFP_BUG), ==, 0);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_FAILURE), ==, 0);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_FINDING), ==, 2);
	CHECK_INT(d.nr_resolved, ==, 1);
	if (d.nr_resolved == 1) {
		CHECK_STR(d.resolved[0]->kind, "waste-roundup");
		CHECK_STR(d.resolved[0]->site, "pipe_resize_ring+0x44");
	}
	g.fail_on = 1u << DIFF_NEW_GFP_BUG | 1u << DIFF_NEW_FAILURE;
	CHECK(!diff_gate__fails(&d, &g));
	g.fail_on |= 1u << DIFF_NEW_LEAK;
	CHECK(diff_gate__fails(&d, &g));
	diff__free(&d);

	/* Reversed, the new leak is resolved and nothing is a new leak. */
	CHECK_INT(diff__compare(&d, &newleak, &base, DIFF_BYTES), ==, 0);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_LEAK), ==, 0);
	CHECK_INT(d.nr_resolved, ==, 2);
	CHECK_INT(d.nr_new_findings, ==, 1);	/* waste-roundup is back */
	diff__free(&d);
}

TEST(gfp_bug)
{
	struct diff_result d;

	CHECK_INT(diff__compare(&d, &base, &gfpbug, DIFF_BYTES), ==, 0);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_LEAK), ==, 0);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_GFP_BUG), ==, 1);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_FAILURE), ==, 1);
	CHECK_INT(diff_cond__count(&d, DIFF_NEW_FINDING), ==, 2);
	/* Most severe first. */
	if (d.nr_new_findings == 2) {
		CHECK_STR(d.new_findings[0]->kind, "gfp-nofail-order");
		CHECK_STR(d.new_findings[0]->severity, "bug");
		CHECK_STR(d.new_findings[1]->kind, "failure");
	}
	/* failed 0 -> 1: infinite, crosses any limit. */
	CHECK(crossed(&d, DIFF_FAILED, 1e6));
	/* The only change is pipe_resize_ring's FAILED. */
	CHECK_INT(d.sites.nr_changed, ==, 1);
	diff__free(&d);
}

/* Matching is by the "site" string, whatever "addr" says. */
TEST(match_by_site_string)
{
	static const char a[] =
		"{\"sites\":[{\"site\":\"f+0x1\",\"addr\":\"0xffffffff81000001\",\"allocs\":5},"
		"{\"site\":\"0xffffffff82000000\",\"addr\":\"0xffffffff82000000\",\"allocs\":1}]}";
	static const char b[] =
		"{\"sites\":[{\"site\":\"f+0x1\",\"addr\":\"0xffffffffa3000001\",\"allocs\":5},"
		"{\"site\":\"0xffffffffa4000000\",\"addr\":\"0xffffffffa4000000\",\"allocs\":1}]}";
	struct diff_report ra, rb;
	struct diff_result d;
	char err[256];

	CHECK_INT(parse(a, &ra, err, sizeof(err)), ==, 0);
	CHECK_INT(parse(b, &rb, err, sizeof(err)), ==, 0);
	CHECK_INT(diff__compare(&d, &ra, &rb, DIFF_BYTES), ==, 0);
	/* f+0x1 matches across the KASLR shift; an unresolved address
	 * cannot, so it is one gone and one new site. */
	CHECK_INT(d.sites.nr_same, ==, 1);
	CHECK_INT(d.sites.nr_gone, ==, 1);
	CHECK_INT(d.sites.nr_added, ==, 1);
	/* No "findings" in either: the stat shape. */
	CHECK(!ra.has_findings && !rb.has_findings);
	diff__free(&d);
	diff_report__free(&ra);
	diff_report__free(&rb);
}

/* Two addresses printing as one site string are summed into one row. */
TEST(duplicate_sites_merged)
{
	static const char a[] =
		"{\"sites\":[{\"site\":\"f+0x1\",\"allocs\":5,\"bytes_alloc\":64},"
		"{\"site\":\"g+0x2\",\"allocs\":1},"
		"{\"site\":\"f+0x1\",\"allocs\":2,\"bytes_alloc\":32}]}";
	struct diff_report r;
	char err[256];

	CHECK_INT(parse(a, &r, err, sizeof(err)), ==, 0);
	CHECK_INT(r.nr_sites, ==, 2);
	if (r.nr_sites == 2) {
		CHECK_STR(r.sites[0].name, "f+0x1");
		CHECK_U64(r.sites[0].v[DIFF_ALLOCS], 7);
		CHECK_U64(r.sites[0].v[DIFF_BYTES], 96);
	}
	diff_report__free(&r);
}

/* Counts up to 2^64-1 (a wrapped "waste"), totals saturate. */
TEST(big_numbers)
{
	static const char a[] =
		"{\"sites\":[{\"site\":\"f+0x1\",\"waste\":18446744073709551615},"
		"{\"site\":\"g+0x1\",\"waste\":10,\"allocs\":3.0}]}";
	struct diff_report r, z;
	struct diff_result d;
	char err[256];

	CHECK_INT(parse(a, &r, err, sizeof(err)), ==, 0);
	CHECK_INT(parse("{\"sites\":[]}", &z, err, sizeof(err)), ==, 0);
	CHECK_U64(r.sites[0].v[DIFF_WASTE], UINT64_MAX);
	CHECK_U64(r.sites[1].v[DIFF_ALLOCS], 3);	/* an integral double */
	CHECK_INT(diff__compare(&d, &z, &r, DIFF_BYTES), ==, 0);
	CHECK_U64(d.total_now[DIFF_WASTE], UINT64_MAX);
	diff__free(&d);
	diff_report__free(&r);
	diff_report__free(&z);
}

/* A report written with -n lists fewer sites than it counted. */
TEST(partial)
{
	static const char live[] =
		"{\"live\":5,\"sites\":[{\"site\":\"f+0x1\",\"allocs\":9,\"live\":3}]}";
	static const char events[] =
		"{\"events\":{\"kmalloc\":10,\"kmem_cache_alloc\":2},"
		"\"counters\":{\"large_kmalloc_collapsed\":1},\"lost\":{\"table_full\":0},"
		"\"sites\":[{\"site\":\"f+0x1\",\"allocs\":9,\"failed\":1}]}";
	static const char whole[] =
		"{\"live\":3,\"events\":{\"kmalloc\":10,\"kmem_cache_alloc\":2},"
		"\"counters\":{\"seen\":null,\"large_kmalloc_collapsed\":1},"
		"\"sites\":[{\"site\":\"f+0x1\",\"allocs\":10,\"failed\":1,\"live\":3}]}";
	struct diff_report r;
	char err[256];

	CHECK_INT(parse(live, &r, err, sizeof(err)), ==, 0);
	CHECK(r.partial);	/* 3 live listed, 5 counted */
	diff_report__free(&r);
	CHECK_INT(parse(events, &r, err, sizeof(err)), ==, 0);
	CHECK(r.partial);	/* 9 + 1 listed, 10 + 2 - 1 = 11 counted */
	diff_report__free(&r);
	CHECK_INT(parse(whole, &r, err, sizeof(err)), ==, 0);
	CHECK(!r.partial);	/* 10 + 1 = 11 */
	diff_report__free(&r);
}

TEST(parse_errors)
{
	static const struct {
		const char *text;
		const char *err;
	} cases[] = {
		{ "", "empty: no JSON value" },
		{ " \n\t", "empty: no JSON value" },
		{ "{\"sites\": [",
		  "invalid JSON at line 1, column 12 (byte 11): unexpected end of data" },
		{ "{\"sites\": []}\n{}",
		  "invalid JSON at line 2, column 1 (byte 14): unexpected character" },
		{ "{\"sites\": [],}",
		  "invalid JSON at line 1, column 14 (byte 13): unexpected character" },
		{ "[]", "not a kmscope report: the JSON value is array, not an object" },
		{ "42", "not a kmscope report: the JSON value is int, not an object" },
		{ "{\"caches\": []}", "not a kmscope report: no \"sites\" array" },
		{ "{\"sites\": {}}", "not a kmscope report: \"sites\" is not an array" },
		{ "{\"sites\": [1]}", "sites[0] is not an object" },
		{ "{\"sites\": [{\"allocs\": 1}]}", "sites[0] has no \"site\"" },
		{ "{\"sites\": [{\"site\": 7}]}", "sites[0]: \"site\" is not a string" },
		{ "{\"sites\": [{\"site\": \"f\", \"allocs\": -1}]}",
		  "sites[0]: \"allocs\" is -1, not a count" },
		{ "{\"sites\": [{\"site\": \"f\", \"live\": \"3\"}]}",
		  "sites[0]: \"live\" is \"3\", not a count" },
		{ "{\"sites\": [{\"site\": \"f\", \"waste\": 1.5}]}",
		  "sites[0]: \"waste\" is 1.5, not a count" },
		{ "{\"kernel\": 6, \"sites\": []}", "\"kernel\" is not a string" },
		{ "{\"sites\": [], \"findings\": {}}", "\"findings\" is not an array" },
		{ "{\"sites\": [], \"findings\": [{\"site\": \"f\"}]}",
		  "findings[0] has no \"kind\"" },
		{ "{\"sites\": [], \"findings\": [{\"kind\": \"leak\", \"count\": true}]}",
		  "findings[0]: \"count\" is true, not a count" },
		{ "{\"sites\": [], \"caches\": {}}", "\"caches\" is not an array" },
		{ "{\"sites\": [], \"caches\": [1]}", "caches[0] is not an object" },
		{ "{\"sites\": [], \"caches\": [{\"allocs\": 1}]}", "caches[0] has no \"cache\"" },
		{ "{\"sites\": [], \"caches\": [{\"cache\": \"c\", \"live\": -2}]}",
		  "caches[0]: \"live\" is -2, not a count" },
		{ "{\"sites\": [], \"memory\": {}}", "\"memory\" is not an array" },
		{ "{\"sites\": [], \"memory\": [3]}", "memory[0] is not an object" },
		{ "{\"sites\": [], \"memory\": [{\"kernel\": 1}]}",
		  "memory[0]: \"kernel\" is not an object" },
		{ "{\"sites\": [], \"memory\": [{\"kernel\": {\"tail_bytes\": -1}}]}",
		  "memory[0].kernel: \"tail_bytes\" is -1, not a count" },
		{ "{\"sites\": [], \"size_classes\": [[]]}", "size_classes[0] is not an object" },
		{ "{\"sites\": [], \"size_classes\": [{\"rounding\": \"x\"}]}",
		  "size_classes[0]: \"rounding\" is \"x\", not a count" },
	};
	struct diff_report r;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		CHECK_INT(parse(cases[i].text, &r, err, sizeof(err)), ==, -EINVAL);
		CHECK_STR(err, cases[i].err);
		CHECK_INT(r.nr_sites, ==, 0);	/* left empty */
	}
	/* A NUL inside the file. */
	CHECK_INT(diff_report__parse(&r, "{\"sites\":[]}\0x", 14, err, sizeof(err)), ==, -EINVAL);
	CHECK_STR(err, "invalid JSON at line 1, column 13 (byte 12): NUL byte in the file");

	/* The malformed fixture: "allocs": 100 "frees": 90 on line 4. */
	CHECK_INT(diff_report__load(&r, FIXTURES "/report-malformed.json", err, sizeof(err)),
		  ==, -EINVAL);
	CHECK_STR(err, "invalid JSON at line 4, column 47 (byte 92): "
		       "object value separator ',' expected");
	CHECK_INT(diff_report__load(&r, FIXTURES "/report-does-not-exist.json", err,
				    sizeof(err)), ==, -ENOENT);
	CHECK_STR(err, "cannot open: No such file or directory");
	CHECK_INT(diff_report__load(&r, FIXTURES, err, sizeof(err)), ==, -EISDIR);
	CHECK_STR(err, "cannot read: Is a directory");

	/* Unknown keys, nulls and missing optional keys are fine. */
	CHECK_INT(parse("{\"x\":[{}],\"sites\":[{\"site\":\"f\",\"allocs\":null,\"y\":{}}],"
			"\"findings\":[{\"kind\":\"leak\",\"site\":null,\"cache\":\"\"}]}",
			&r, err, sizeof(err)), ==, 0);
	CHECK_INT(r.nr_sites, ==, 1);
	CHECK_U64(r.sites[0].v[DIFF_ALLOCS], 0);
	CHECK(r.findings[0].site == NULL && r.findings[0].cache == NULL);
	CHECK(r.findings[0].severity == NULL);
	diff_report__free(&r);
}

TEST(option_parsing)
{
	struct diff_threshold t;
	enum diff_metric m;
	unsigned int mask;
	const char *bad;
	size_t bad_len;

	CHECK_INT(diff_threshold__parse("allocs=50", &t), ==, 0);
	CHECK_INT(t.metric, ==, DIFF_ALLOCS);
	CHECK(t.max_pct == 50);
	CHECK_INT(diff_threshold__parse("bytes=10%", &t), ==, 0);
	CHECK_INT(t.metric, ==, DIFF_BYTES);
	CHECK(t.max_pct == 10);
	CHECK_INT(diff_threshold__parse("live_bytes=0.5", &t), ==, 0);
	CHECK(t.max_pct == 0.5);
	CHECK_INT(diff_threshold__parse("bytes_alloc=0", &t), ==, 0);	/* the key */
	CHECK_INT(t.metric, ==, DIFF_BYTES);
	CHECK_INT(diff_threshold__parse("failed=0", &t), ==, 0);
	CHECK_INT(t.metric, ==, DIFF_FAILED);
	CHECK_INT(diff_threshold__parse("free_slots=5", &t), ==, 0);
	CHECK_INT(t.metric, ==, DIFF_FREE_SLOTS);
	CHECK_INT(diff_threshold__parse("rounding=0%", &t), ==, 0);
	CHECK_INT(t.metric, ==, DIFF_ROUNDING);
	CHECK_INT(diff_threshold__parse("frees=10", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("free_bytes=10", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("bytes", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("bytes=", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("bytes=-1", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("bytes= 1", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("bytes=1x", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("bytes=inf", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("bytes=nan", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("bytes=1e999", &t), ==, -EINVAL);
	CHECK_INT(diff_threshold__parse("=5", &t), ==, -EINVAL);

	CHECK_INT(diff_fail_on__parse("new-leak,new-gfp-bug", &mask, &bad, &bad_len), ==, 0);
	CHECK_INT(mask, ==, 1u << DIFF_NEW_LEAK | 1u << DIFF_NEW_GFP_BUG);
	CHECK_INT(diff_fail_on__parse("new-finding", &mask, &bad, &bad_len), ==, 0);
	CHECK_INT(mask, ==, 1u << DIFF_NEW_FINDING);
	CHECK_INT(diff_fail_on__parse("new-failure,new-leak", &mask, &bad, &bad_len), ==, 0);
	CHECK_INT(mask, ==, 1u << DIFF_NEW_FAILURE | 1u << DIFF_NEW_LEAK);
	CHECK_INT(diff_fail_on__parse("new-leak,leak,new-failure", &mask, &bad, &bad_len),
		  ==, -EINVAL);
	CHECK_INT(bad_len, ==, 4);
	CHECK(!strncmp(bad, "leak", 4));
	CHECK_INT(diff_fail_on__parse("new-leak,", &mask, &bad, &bad_len), ==, -EINVAL);
	CHECK_INT(bad_len, ==, 0);
	CHECK_INT(diff_fail_on__parse("", &mask, &bad, &bad_len), ==, -EINVAL);

	CHECK_INT(diff_metric_parse("waste", &m), ==, 0);
	CHECK_INT(m, ==, DIFF_WASTE);
	CHECK_INT(diff_metric_parse("bytes_req", &m), ==, -EINVAL);
	CHECK_STR(diff_metric_name(DIFF_BYTES), "bytes");
	CHECK_STR(diff_metric_key(DIFF_BYTES), "bytes_alloc");
	CHECK_STR(diff_metric_name(DIFF_SLAB_BYTES), "slab_bytes");
	CHECK_STR(diff_metric_key(DIFF_FREE_SLOTS), "free_slots");
	CHECK_INT(diff_metric_parse("rounding", &m), ==, 0);
	CHECK_INT(m, ==, DIFF_ROUNDING);
	CHECK_STR(diff_cond_name(DIFF_NEW_GFP_BUG), "new-gfp-bug");
}

TEST(render_text)
{
	struct diff_threshold th[2] = {
		{ .metric = DIFF_BYTES, .max_pct = 10 },
		{ .metric = DIFF_LIVE, .max_pct = 100 },
	};
	struct diff_gate g = { .th = th, .nr_th = 2,
			       .fail_on = 1u << DIFF_NEW_LEAK | 1u << DIFF_NEW_GFP_BUG };
	struct diff_render_opts o = { .base_name = "base.json", .new_name = "new.json",
				      .top = 20, .sort = DIFF_BYTES };
	struct diff_result d;
	char *t;

	CHECK_INT(diff__compare(&d, &base, &newleak, DIFF_BYTES), ==, 0);
	t = render(&d, &g, &o);
	CHECK(t);
	CHECK_HAS(t, "base: base.json: kernel 6.18.44-fc-v782, tp_btf, "
		     "\"./workload --iterations 100\", 4 sites, 3 findings\n");
	/* Totals: 86.4 KiB = 88448 B, 88.4 KiB = 90496 B. */
	CHECK_HAS(t, "\nTOTAL             BASE        NEW              CHANGE\n");
	CHECK_HAS(t, "\nallocs             162        194         +32  +19.8%\n");
	CHECK_HAS(t, "\nbytes_alloc   86.4 KiB   88.4 KiB    +2.0 KiB   +2.3%\n");
	CHECK_HAS(t, "\nwaste         27.2 KiB    3.1 KiB   -24.1 KiB  -88.5%\n");
	CHECK_HAS(t, "\nlive                10         80         +70 +700.0%\n");
	CHECK_HAS(t, "\nfailed               0          0           0\n");
	CHECK_HAS(t, "\nsites: 3 in both (2 changed, 1 unchanged), 1 only in NEW, "
		     "1 only in BASE\n");
	CHECK_HAS(t, "\nCHANGED SITE            ALLOCS   BYTES_ALLOC               WASTE"
		     "          LIVE         LIVE_BYTES   FAILED\n"
		     "alloc_msg+0x41              0             0            0"
		     "           +30 +300.0%   +3.8 KiB +300.0%       0\n"
		     "pipe_resize_ring+0x44       0             0    -24.0 KiB -100.0%"
		     "     0                  0               0\n");
	CHECK_HAS(t, "\nNEW SITE              ALLOCS   BYTES_ALLOC   WASTE   LIVE   LIVE_BYTES"
		     "   FAILED\n"
		     "new_cache_user+0x22       40       2.5 KiB     0 B     40      2.5 KiB"
		     "        0\n");
	CHECK_HAS(t, "\nGONE SITE         ALLOCS   BYTES_ALLOC   WASTE   LIVE   LIVE_BYTES"
		     "   FAILED\n"
		     "old_helper+0x10        8         512 B   128 B      0          0 B"
		     "        0\n");
	/* Caches after the sites: old_helper's kmalloc-64 is new_cache_user's. */
	CHECK_HAS(t, "\ncaches: 4 in both (3 changed, 1 unchanged), 0 only in NEW, "
		     "0 only in BASE\n");
	CHECK_HAS(t, "\nCHANGED CACHE            ALLOCS        BYTES_ALLOC               WASTE"
		     "          LIVE         LIVE_BYTES   FAILED\n"
		     "kmalloc-64          +32 +400.0%   +2.0 KiB +400.0%      -128 B -100.0%"
		     "   +40   +inf%   +2.5 KiB   +inf%       0\n"
		     "kmalloc-128           0                  0                   0"
		     "           +30 +300.0%   +3.8 KiB +300.0%       0\n"
		     "kmalloc-large-16k     0                  0           -24.0 KiB -100.0%"
		     "     0                  0               0\n\nfindings:");
	/* No memory bill in the fixtures: no rows of its metrics. */
	CHECK_LACKS(t, "\nslab_bytes");
	CHECK_LACKS(t, "\nrounding");
	CHECK_HAS(t, "\nfindings: 2 new, 1 resolved\n");
	CHECK_HAS(t, "\nleak               warning    new_cache_user+0x22   kmalloc-64"
		     "      40   2.5 KiB\n");
	CHECK_HAS(t, "\nwaste-roundup      hint       pipe_resize_ring+0x44"
		     "   kmalloc-large-16k       4   24.0 KiB\n");
	CHECK_HAS(t, "\n--max-increase bytes=10: bytes_alloc 86.4 KiB -> 88.4 KiB (+2.3%), "
		     "limit +10%: ok\n");
	CHECK_HAS(t, "\n--max-increase live=100: live 10 -> 80 (+700.0%), limit +100%: CROSSED\n");
	CHECK_HAS(t, "\n--fail-on new-leak: 1 matching new finding: HOLDS\n");
	CHECK_HAS(t, "\n--fail-on new-gfp-bug: 0 matching new findings: ok\n");
	CHECK_HAS(t, "\nresult: FAIL (1 of 2 thresholds crossed, 1 of 2 --fail-on "
		     "conditions hold)\n");
	/* Padding leaves no blanks at line ends. */
	CHECK(t && !strstr(t, " \n"));
	free(t);

	/* -n 1 shortens every list and says by how much. */
	o.top = 1;
	g = (struct diff_gate){ 0 };
	t = render(&d, &g, &o);
	CHECK_HAS(t, "\n... 1 more (-n 0 shows all)\n");
	CHECK(t && !strstr(t, "pipe_resize_ring+0x44       0"));
	CHECK(t && !strstr(t, "result:"));	/* no gate, no verdict */
	free(t);
	diff__free(&d);

	/* A new failure: an infinite percentage in the totals. */
	CHECK_INT(diff__compare(&d, &base, &gfpbug, DIFF_BYTES), ==, 0);
	th[0] = (struct diff_threshold){ .metric = DIFF_FAILED, .max_pct = 0 };
	g = (struct diff_gate){ .th = th, .nr_th = 1 };
	o.top = 0;
	t = render(&d, &g, &o);
	CHECK_HAS(t, "\nfailed               0          1   +1 +inf%\n");
	CHECK_HAS(t, "\n--max-increase failed=0: failed 0 -> 1 (+inf%), limit +0%: CROSSED\n");
	CHECK_HAS(t, "\nresult: FAIL (1 of 1 thresholds crossed)\n");
	CHECK_HAS(t, "\ngfp-nofail-order   bug        pipe_resize_ring+0x44");
	free(t);
	diff__free(&d);
}

/* The JSON parses back (json-c) with the numbers of the text. */
/*
 * Twenty sites that all change: the text tables grow past their first 16
 * rows.  Cells written into a row's own buffer used to point into the old
 * row array once it moved (a use after free fuzz_diff found).
 */
TEST(render_many_rows)
{
	struct diff_report a = { 0 }, b = { 0 };
	struct diff_render_opts o = { .base_name = "a", .new_name = "b", .sort = DIFF_BYTES };
	struct diff_gate g = { 0 };
	struct diff_result d;
	char *ja = NULL, *jb = NULL, *t, err[128], want[128];
	size_t la = 0, lb = 0;
	FILE *fa = open_memstream(&ja, &la), *fb = open_memstream(&jb, &lb);
	int i;

	CHECK(fa && fb);
	if (!fa || !fb)
		return;
	fputs("{\"sites\":[", fa);
	fputs("{\"sites\":[", fb);
	for (i = 0; i < 20; i++) {
		fprintf(fa, "%s{\"site\":\"s%02d+0x1\",\"allocs\":%d,\"bytes_alloc\":%d}",
			i ? "," : "", i, 10, 1000 * (i + 1));
		fprintf(fb, "%s{\"site\":\"s%02d+0x1\",\"allocs\":%d,\"bytes_alloc\":%d}",
			i ? "," : "", i, 20, 2000 * (i + 1));
	}
	fputs("],\"findings\":[]}", fa);
	fputs("],\"findings\":[]}", fb);
	fclose(fa);
	fclose(fb);
	CHECK_INT(parse(ja, &a, err, sizeof(err)), ==, 0);
	CHECK_INT(parse(jb, &b, err, sizeof(err)), ==, 0);
	CHECK_INT(diff__compare(&d, &a, &b, DIFF_BYTES), ==, 0);
	t = render(&d, &g, &o);
	CHECK(t);
	/* the last row, s00, doubled from 1000 B: the 21st row of its table */
	snprintf(want, sizeof(want), "\ns00+0x1");
	CHECK_HAS(t, want);
	CHECK_HAS(t, "sites: 20 in both (20 changed, 0 unchanged)");
	free(t);
	diff__free(&d);
	diff_report__free(&a);
	diff_report__free(&b);
	free(ja);
	free(jb);
}

TEST(render_json)
{
	struct diff_threshold th = { .metric = DIFF_BYTES, .max_pct = 10 };
	struct diff_gate g = { .th = &th, .nr_th = 1, .fail_on = 1u << DIFF_NEW_LEAK };
	struct diff_render_opts o = { .base_name = "empty.json", .new_name = "base.json",
				      .top = 2, .json = true };
	json_object *root, *v, *x;
	struct diff_result d;
	char *t;

	CHECK_INT(diff__compare(&d, &empty, &base, DIFF_BYTES), ==, 0);
	t = render(&d, &g, &o);
	root = t ? json_tokener_parse(t) : NULL;
	CHECK(root);
	if (!root) {
		free(t);
		diff__free(&d);
		return;
	}
	CHECK(t[strlen(t) - 1] == '\n');
	CHECK(json_object_object_get_ex(root, "base", &v));
	CHECK(json_object_object_get_ex(v, "findings", &x) && x == NULL);	/* null */
	CHECK(json_object_object_get_ex(v, "file", &x));
	CHECK_STR(json_object_get_string(x), "empty.json");
	CHECK(json_object_object_get_ex(root, "totals", &v));
	CHECK(json_object_object_get_ex(v, "bytes_alloc", &v));
	CHECK(json_object_object_get_ex(v, "new", &x));
	CHECK_INT(json_object_get_int64(x), ==, 88448);
	CHECK(json_object_object_get_ex(v, "change", &x));
	CHECK_INT(json_object_get_int64(x), ==, 88448);
	CHECK(json_object_object_get_ex(v, "pct", &x) && x == NULL);	/* infinite */
	CHECK(json_object_object_get_ex(root, "counts", &v));
	CHECK(json_object_object_get_ex(v, "added_sites", &x));
	CHECK_INT(json_object_get_int64(x), ==, 4);
	/* -n 2: two rows of the four. */
	CHECK(json_object_object_get_ex(root, "added_sites", &v));
	CHECK_INT(json_object_array_length(v), ==, 2);
	x = json_object_array_get_idx(v, 0);
	CHECK(json_object_object_get_ex(x, "site", &x));
	CHECK_STR(json_object_get_string(x), "pipe_resize_ring+0x44");
	CHECK(json_object_object_get_ex(root, "thresholds", &v));
	v = json_object_array_get_idx(v, 0);
	CHECK(json_object_object_get_ex(v, "metric", &x));
	CHECK_STR(json_object_get_string(x), "bytes");
	CHECK(json_object_object_get_ex(v, "crossed", &x) && json_object_get_boolean(x));
	CHECK(json_object_object_get_ex(root, "fail_on", &v));
	v = json_object_array_get_idx(v, 0);
	CHECK(json_object_object_get_ex(v, "condition", &x));
	CHECK_STR(json_object_get_string(x), "new-leak");
	CHECK(json_object_object_get_ex(v, "count", &x));
	CHECK_INT(json_object_get_int64(x), ==, 1);	/* leak/alloc_msg */
	CHECK(json_object_object_get_ex(root, "result", &x));
	CHECK_STR(json_object_get_string(x), "fail");
	json_object_put(root);
	free(t);
	diff__free(&d);

	/* Identical reports pass; a changed site's metric is an object. */
	CHECK_INT(diff__compare(&d, &base, &dbl, DIFF_BYTES), ==, 0);
	th.max_pct = 100;
	g.fail_on = 0;
	o.pretty = true;
	t = render(&d, &g, &o);
	root = t ? json_tokener_parse(t) : NULL;
	CHECK(root);
	if (root) {
		CHECK(json_object_object_get_ex(root, "changed_sites", &v));
		v = json_object_array_get_idx(v, 0);
		CHECK(json_object_object_get_ex(v, "allocs", &v));
		CHECK(json_object_object_get_ex(v, "pct", &x));
		CHECK(json_object_get_double(x) == 100.0);
		CHECK(json_object_object_get_ex(root, "result", &x));
		CHECK_STR(json_object_get_string(x), "pass");
		json_object_put(root);
	}
	free(t);
	diff__free(&d);
}

/*
 * Caches, per cache: kmalloc-64 changed (two rows of one name, the first
 * in the full shape of today's reports, summed: 140 allocs, 8960 B),
 * dentry the same, new_cache and big_new only in NEW, old_cache only in
 * BASE.
 */
static const char caches_base[] =
	"{\"sites\":[{\"site\":\"f+0x1\",\"allocs\":1}],\"caches\":["
	"{\"cache\":\"kmalloc-64\",\"aliases\":[\"a\",\"b\"],\"source\":\"kernel\","
	"\"object_size\":64,\"size\":64,\"allocs\":136,\"frees\":66,\"failed\":0,"
	"\"bytes_req\":8224,\"bytes_alloc\":8704,\"waste\":480,\"live\":70,"
	"\"live_bytes\":4480,\"live_bytes_req\":4200,\"frees_pretrace\":0,"
	"\"realloc_without_free\":0},"
	"{\"cache\":\"dentry\",\"allocs\":10,\"bytes_alloc\":1920,\"live\":2,\"live_bytes\":384},"
	"{\"cache\":\"old_cache\",\"allocs\":4,\"bytes_alloc\":1024,\"waste\":24,\"failed\":1},"
	"{\"cache\":\"kmalloc-64\",\"allocs\":4,\"bytes_alloc\":256}]}";
static const char caches_new[] =
	"{\"sites\":[{\"site\":\"f+0x1\",\"allocs\":1}],\"caches\":["
	"{\"cache\":\"kmalloc-64\",\"allocs\":200,\"bytes_alloc\":12800,\"waste\":600,"
	"\"live\":100,\"live_bytes\":6400},"
	"{\"cache\":\"dentry\",\"allocs\":10,\"bytes_alloc\":1920,\"live\":2,\"live_bytes\":384},"
	"{\"cache\":\"new_cache\",\"allocs\":8,\"bytes_alloc\":4096,\"live\":8,"
	"\"live_bytes\":4096},"
	"{\"cache\":\"big_new\",\"allocs\":1,\"bytes_alloc\":8192}]}";

/* Two inline reports parsed and compared; false when they fail. */
static bool compare_texts(const char *text_a, const char *text_b, struct diff_report *a,
			  struct diff_report *b, struct diff_result *d)
{
	char err[256] = "";

	if (parse(text_a, a, err, sizeof(err)) || parse(text_b, b, err, sizeof(err)) ||
	    diff__compare(d, a, b, DIFF_BYTES)) {
		T_FAIL("inline reports: %s", err);
		return false;
	}
	return true;
}

static bool compare_caches(struct diff_report *a, struct diff_report *b,
			   struct diff_result *d)
{
	return compare_texts(caches_base, caches_new, a, b, d);
}

TEST(caches)
{
	struct diff_report a, b;
	struct diff_result d;
	const struct diff_row *r;

	if (!compare_caches(&a, &b, &d))
		return;
	CHECK_INT(a.nr_caches, ==, 3);
	CHECK_STR(a.caches[0].name, "dentry");	/* sorted by name */
	CHECK_STR(a.caches[1].name, "kmalloc-64");
	CHECK_U64(a.caches[1].v[DIFF_ALLOCS], 140);
	CHECK_U64(a.caches[1].v[DIFF_BYTES], 8960);
	CHECK_U64(a.caches[1].v[DIFF_WASTE], 480);
	CHECK_U64(a.caches[1].v[DIFF_LIVE_BYTES], 4480);
	CHECK_INT(b.nr_caches, ==, 4);
	/* The sites are matched apart from the caches. */
	CHECK_INT(d.sites.nr_same, ==, 1);
	CHECK_INT(d.sites.nr_changed + d.sites.nr_added + d.sites.nr_gone, ==, 0);

	CHECK_INT(d.caches.nr_same, ==, 1);
	CHECK_INT(d.caches.nr_changed, ==, 1);
	CHECK_INT(d.caches.nr_added, ==, 2);
	CHECK_INT(d.caches.nr_gone, ==, 1);
	if (d.caches.nr_changed == 1) {
		r = &d.caches.changed[0];
		CHECK_STR(r->name, "kmalloc-64");
		CHECK_INT(r->status, ==, DIFF_CHANGED);
		CHECK_U64(r->base[DIFF_ALLOCS], 140);
		CHECK_U64(r->now[DIFF_ALLOCS], 200);
		CHECK_U64(r->base[DIFF_BYTES], 8960);
		CHECK_U64(r->now[DIFF_BYTES], 12800);
		CHECK_U64(r->now[DIFF_LIVE], 100);
	}
	/* Biggest NEW bytes first. */
	if (d.caches.nr_added == 2) {
		CHECK_STR(d.caches.added[0].name, "big_new");
		CHECK_U64(d.caches.added[0].now[DIFF_BYTES], 8192);
		CHECK_STR(d.caches.added[1].name, "new_cache");
		CHECK_U64(d.caches.added[1].now[DIFF_LIVE_BYTES], 4096);
	}
	if (d.caches.nr_gone == 1) {
		CHECK_STR(d.caches.gone[0].name, "old_cache");
		CHECK_U64(d.caches.gone[0].base[DIFF_FAILED], 1);
		CHECK_U64(d.caches.gone[0].base[DIFF_WASTE], 24);
	}
	/* Totals stay the sites' sums: caches count the same allocations. */
	CHECK_U64(d.total_base[DIFF_ALLOCS], 1);
	diff__free(&d);
	diff_report__free(&a);
	diff_report__free(&b);

	/* A report without "caches" has none: every cache of NEW is new. */
	CHECK_INT(parse(caches_new, &b, NULL, 0), ==, 0);
	CHECK_INT(diff__compare(&d, &empty, &b, DIFF_BYTES), ==, 0);
	CHECK_INT(empty.nr_caches, ==, 0);
	CHECK_INT(d.caches.nr_added, ==, 4);
	diff__free(&d);
	diff_report__free(&b);
}

TEST(caches_render)
{
	struct diff_render_opts o = { .base_name = "a", .new_name = "b", .sort = DIFF_BYTES };
	struct diff_gate g = { 0 };
	struct diff_report a, b;
	struct diff_result d;
	json_object *root, *v, *x;
	char *t;

	if (!compare_caches(&a, &b, &d))
		return;
	t = render(&d, &g, &o);
	CHECK_HAS(t, "\n\nsites: 1 in both (0 changed, 1 unchanged), 0 only in NEW, "
		     "0 only in BASE\n\ncaches: 2 in both (1 changed, 1 unchanged), "
		     "2 only in NEW, 1 only in BASE\n\n");
	CHECK_HAS(t, "\nCHANGED CACHE       ALLOCS       BYTES_ALLOC           WASTE"
		     "         LIVE        LIVE_BYTES   FAILED\n"
		     "kmalloc-64      +60 +42.9%   +3.8 KiB +42.9%   +120 B +25.0%"
		     "   +30 +42.9%   +1.9 KiB +42.9%       0\n\n");
	CHECK_HAS(t, "\nNEW CACHE   ALLOCS   BYTES_ALLOC   WASTE   LIVE   LIVE_BYTES   FAILED\n"
		     "big_new          1       8.0 KiB     0 B      0          0 B        0\n"
		     "new_cache        8       4.0 KiB     0 B      8      4.0 KiB        0\n\n");
	CHECK_HAS(t, "\nGONE CACHE   ALLOCS   BYTES_ALLOC   WASTE   LIVE   LIVE_BYTES   FAILED\n"
		     "old_cache         4       1.0 KiB    24 B      0          0 B        1\n\n"
		     "findings: neither report has a findings list\n");
	CHECK_LACKS(t, "SITE");	/* no site changed: no site table */
	CHECK(t && !strstr(t, " \n"));
	free(t);

	/* -n 1: one row of each list, and what is left said. */
	o.top = 1;
	t = render(&d, &g, &o);
	CHECK_HAS(t, "\nbig_new          1       8.0 KiB     0 B      0          0 B        0\n"
		     "... 1 more (-n 0 shows all)\n");
	free(t);

	o.json = true;
	o.top = 0;
	t = render(&d, &g, &o);
	root = t ? json_tokener_parse(t) : NULL;
	CHECK(root);
	if (root) {
		CHECK(json_object_object_get_ex(root, "base", &v));
		CHECK(json_object_object_get_ex(v, "caches", &x));
		CHECK_INT(json_object_get_int64(x), ==, 3);
		CHECK(json_object_object_get_ex(root, "counts", &v));
		CHECK(json_object_object_get_ex(v, "changed_caches", &x));
		CHECK_INT(json_object_get_int64(x), ==, 1);
		CHECK(json_object_object_get_ex(v, "unchanged_caches", &x));
		CHECK_INT(json_object_get_int64(x), ==, 1);
		CHECK(json_object_object_get_ex(v, "added_caches", &x));
		CHECK_INT(json_object_get_int64(x), ==, 2);
		CHECK(json_object_object_get_ex(v, "gone_caches", &x));
		CHECK_INT(json_object_get_int64(x), ==, 1);
		CHECK(json_object_object_get_ex(v, "unchanged_sites", &x));
		CHECK_INT(json_object_get_int64(x), ==, 1);
		CHECK(json_object_object_get_ex(root, "changed_caches", &v));
		CHECK_INT(json_object_array_length(v), ==, 1);
		v = json_object_array_get_idx(v, 0);
		CHECK(!json_object_object_get_ex(v, "site", &x));	/* named "cache" */
		CHECK(json_object_object_get_ex(v, "cache", &x));
		CHECK_STR(json_object_get_string(x), "kmalloc-64");
		CHECK(json_object_object_get_ex(v, "bytes_alloc", &v));
		CHECK(json_object_object_get_ex(v, "change", &x));
		CHECK_INT(json_object_get_int64(x), ==, 3840);
		CHECK(json_object_object_get_ex(root, "added_caches", &v));
		CHECK_INT(json_object_array_length(v), ==, 2);
		x = json_object_array_get_idx(v, 1);
		CHECK(json_object_object_get_ex(x, "cache", &x));
		CHECK_STR(json_object_get_string(x), "new_cache");
		CHECK(json_object_object_get_ex(root, "gone_caches", &v));
		v = json_object_array_get_idx(v, 0);
		CHECK(json_object_object_get_ex(v, "failed", &x));
		CHECK_INT(json_object_get_int64(x), ==, 1);
		json_object_put(root);
	}
	free(t);
	diff__free(&d);
	diff_report__free(&a);
	diff_report__free(&b);
}

/*
 * The report-level metrics.  BASE: slab_bytes 4096 + 8192 = 12288;
 * free_slots 3952 + 40 + 1000 + 24 = 5016; rounding 224 + 480 = 704.  The
 * rows without a kernel bill ("kernel": null, or no "kernel") add nothing.
 * NEW: 16384, 6000, 704.
 */
static const char bill_base[] =
	"{\"sites\":[{\"site\":\"f+0x1\",\"allocs\":4,\"bytes_alloc\":1024}],"
	"\"size_classes\":[{\"size\":256,\"large\":false,\"caches\":1,\"allocs\":4,"
	"\"bytes_req\":800,\"bytes_alloc\":1024,\"rounding\":224,\"live\":2,"
	"\"live_bytes_req\":400,\"live_bytes\":512,\"live_rounding\":112},"
	"{\"size\":64,\"rounding\":480}],"
	"\"memory\":[{\"cache\":\"q\",\"slab\":\"q\",\"names\":1,\"merged_names\":0,"
	"\"object_size\":100,\"size\":104,\"allocs\":3,\"live\":1,\"kernel\":{\"order\":0,"
	"\"objs_per_slab\":39,\"slabs\":1,\"objects\":1,\"total_objects\":39,"
	"\"slab_bytes\":4096,\"object_bytes\":100,\"metadata_bytes\":4,\"free_bytes\":3952,"
	"\"tail_bytes\":40}},"
	"{\"cache\":\"r\",\"kernel\":null},{\"cache\":\"t\"},"
	"{\"cache\":\"s\",\"kernel\":{\"slab_bytes\":8192,\"free_bytes\":1000,"
	"\"tail_bytes\":24}}]}";
static const char bill_new[] =
	"{\"sites\":[{\"site\":\"f+0x1\",\"allocs\":4,\"bytes_alloc\":1024}],"
	"\"size_classes\":[{\"size\":256,\"rounding\":704}],"
	"\"memory\":[{\"cache\":\"q\",\"kernel\":{\"slab_bytes\":16384,\"free_bytes\":6000,"
	"\"tail_bytes\":0}}]}";

static bool compare_bills(struct diff_report *a, struct diff_report *b,
			  struct diff_result *d)
{
	return compare_texts(bill_base, bill_new, a, b, d);
}

TEST(report_metrics)
{
	struct diff_render_opts o = { .base_name = "a", .new_name = "b", .sort = DIFF_BYTES };
	struct diff_gate g = { 0 };
	struct diff_report a, b;
	struct diff_result d;
	json_object *root, *v, *x;
	char *t;

	if (!compare_bills(&a, &b, &d))
		return;
	CHECK(a.has_memory && a.has_size_classes);
	CHECK_U64(a.slab_bytes, 12288);
	CHECK_U64(a.free_slots, 5016);
	CHECK_U64(a.rounding, 704);
	CHECK_U64(d.total_base[DIFF_SLAB_BYTES], 12288);
	CHECK_U64(d.total_now[DIFF_SLAB_BYTES], 16384);
	CHECK_U64(d.total_base[DIFF_FREE_SLOTS], 5016);
	CHECK_U64(d.total_now[DIFF_FREE_SLOTS], 6000);
	CHECK_U64(d.total_base[DIFF_ROUNDING], 704);
	CHECK_U64(d.total_now[DIFF_ROUNDING], 704);
	CHECK_U64(d.total_now[DIFF_BYTES], 1024);	/* the row metrics as before */
	CHECK(diff_result__has(&d, DIFF_SLAB_BYTES));
	CHECK(diff_result__has(&d, DIFF_ROUNDING));

	t = render(&d, &g, &o);
	CHECK_HAS(t, "\nfailed               0          0          0\n"
		     "slab_bytes    12.0 KiB   16.0 KiB   +4.0 KiB +33.3%\n"
		     "free_slots     4.9 KiB    5.9 KiB     +984 B +19.6%\n"
		     "rounding         704 B      704 B          0\n\nsites:");
	/* Not columns of the row tables. */
	CHECK_LACKS(t, "SLAB_BYTES");
	free(t);

	o.json = true;
	t = render(&d, &g, &o);
	root = t ? json_tokener_parse(t) : NULL;
	CHECK(root);
	if (root) {
		CHECK(json_object_object_get_ex(root, "base", &v));
		CHECK(json_object_object_get_ex(v, "memory_bill", &x) &&
		      json_object_get_boolean(x));
		CHECK(json_object_object_get_ex(v, "size_classes", &x) &&
		      json_object_get_boolean(x));
		CHECK(json_object_object_get_ex(root, "totals", &v));
		CHECK(json_object_object_get_ex(v, "slab_bytes", &x));
		CHECK(json_object_object_get_ex(x, "change", &x));
		CHECK_INT(json_object_get_int64(x), ==, 4096);
		CHECK(json_object_object_get_ex(v, "free_slots", &x));
		CHECK(json_object_object_get_ex(x, "new", &x));
		CHECK_INT(json_object_get_int64(x), ==, 6000);
		CHECK(json_object_object_get_ex(v, "rounding", &x));
		CHECK(json_object_object_get_ex(x, "pct", &x));
		CHECK(json_object_get_double(x) == 0);
		json_object_put(root);
	}
	free(t);
	diff__free(&d);
	diff_report__free(&a);
	diff_report__free(&b);

	CHECK(!a.memory_uncounted);
	/* An empty bill is a bill: 0 B of slabs, not a missing number. */
	CHECK_INT(parse("{\"sites\":[],\"memory\":[],\"size_classes\":null}", &a, NULL, 0),
		  ==, 0);
	CHECK(a.has_memory && !a.has_size_classes && !a.memory_uncounted);
	CHECK_U64(a.slab_bytes, 0);
	CHECK(diff_report__has(&a, DIFF_FREE_SLOTS));
	CHECK(!diff_report__has(&a, DIFF_ROUNDING));
	diff_report__free(&a);
	/* Rows, none with the kernel's counters: 0 B for want of numbers. */
	CHECK_INT(parse("{\"sites\":[],\"memory\":[{\"cache\":\"r\",\"kernel\":null}]}", &a,
			NULL, 0), ==, 0);
	CHECK(a.has_memory && a.memory_uncounted);
	CHECK_U64(a.slab_bytes, 0);
	diff_report__free(&a);
}

/*
 * The size classes as rows: kmalloc-256's rounding went 224 -> 704 B,
 * kmalloc-64 is gone; a large class is named apart from a kmalloc one.
 */
TEST(size_classes)
{
	struct diff_render_opts o = { .base_name = "a", .new_name = "b", .sort = DIFF_WASTE };
	struct diff_gate g = { 0 };
	struct diff_report a, b;
	struct diff_result d;
	char *t;

	if (!compare_bills(&a, &b, &d))
		return;
	CHECK_INT(a.nr_classes, ==, 2);
	CHECK_INT(d.classes.nr_changed, ==, 1);
	CHECK_INT(d.classes.nr_gone, ==, 1);
	CHECK_INT(d.classes.nr_added, ==, 0);
	if (d.classes.nr_changed) {
		CHECK_STR(d.classes.changed[0].name, "kmalloc-256");
		CHECK_U64(d.classes.changed[0].base[DIFF_WASTE], 224);
		CHECK_U64(d.classes.changed[0].now[DIFF_WASTE], 704);
		CHECK_U64(d.classes.changed[0].base[DIFF_ALLOCS], 4);
		CHECK_U64(d.classes.changed[0].base[DIFF_LIVE_BYTES], 512);
	}
	if (d.classes.nr_gone)
		CHECK_STR(d.classes.gone[0].name, "kmalloc-64");
	t = render(&d, &g, &o);
	CHECK_HAS(t, "\nsize classes: 1 in both (1 changed, 0 unchanged), 0 only in NEW, "
		     "1 only in BASE\n");
	CHECK_HAS(t, "CHANGED SIZE CLASS");
	CHECK_HAS(t, "GONE SIZE CLASS");
	free(t);
	o.json = true;
	t = render(&d, &g, &o);
	CHECK_HAS(t, "\"changed_classes\":[{\"class\":\"kmalloc-256\"");
	CHECK_HAS(t, "\"unchanged_classes\":0");
	free(t);
	diff__free(&d);
	diff_report__free(&a);
	diff_report__free(&b);
	CHECK_INT(parse("{\"sites\":[],\"size_classes\":[{\"size\":8192,\"large\":true,"
			"\"rounding\":100},{\"size\":8192,\"rounding\":3}]}", &a, NULL, 0), ==, 0);
	CHECK_INT(a.nr_classes, ==, 2);
	if (a.nr_classes == 2) {
		CHECK_STR(a.classes[0].name, "kmalloc-8192");
		CHECK_STR(a.classes[1].name, "large-8192");
	}
	diff_report__free(&a);
}

/* --max-increase slab_bytes: 12288 -> 16384 B is +33.3%. */
TEST(gate_slab_bytes)
{
	struct diff_threshold t = { .metric = DIFF_SLAB_BYTES, .max_pct = 30 };
	struct diff_gate g = { .th = &t, .nr_th = 1 };
	struct diff_render_opts o = { .base_name = "a", .new_name = "b", .sort = DIFF_BYTES };
	struct diff_report a, b;
	struct diff_result d;
	char *txt;

	if (!compare_bills(&a, &b, &d))
		return;
	CHECK_INT(diff_threshold__parse("slab_bytes=30", &t), ==, 0);
	CHECK_INT(t.metric, ==, DIFF_SLAB_BYTES);
	CHECK(diff_threshold__crossed(&d, &t));
	CHECK(diff_gate__fails(&d, &g));
	txt = render(&d, &g, &o);
	CHECK_HAS(txt, "\n--max-increase slab_bytes=30: slab_bytes 12.0 KiB -> 16.0 KiB "
		       "(+33.3%), limit +30%: CROSSED\n"
		       "result: FAIL (1 of 1 thresholds crossed)\n");
	free(txt);

	t.max_pct = 34;
	CHECK(!diff_threshold__crossed(&d, &t));
	CHECK(!diff_gate__fails(&d, &g));
	txt = render(&d, &g, &o);
	CHECK_HAS(txt, "\n--max-increase slab_bytes=34: slab_bytes 12.0 KiB -> 16.0 KiB "
		       "(+33.3%), limit +34%: ok\nresult: PASS (0 of 1 thresholds crossed)\n");
	free(txt);
	/* free_slots +19.6%, rounding unchanged. */
	CHECK(crossed(&d, DIFF_FREE_SLOTS, 19.6));
	CHECK(!crossed(&d, DIFF_FREE_SLOTS, 19.7));
	CHECK(!crossed(&d, DIFF_ROUNDING, 0));
	diff__free(&d);
	diff_report__free(&a);
	diff_report__free(&b);
}

/*
 * A report without the data of a report-level metric (a `stat -j` one,
 * or `report -j` without the waste section): the metric compares nothing
 * and its threshold never crosses; `kmscope diff` refuses it with what
 * diff_metric_needs() says is missing.
 */
TEST(report_metric_missing)
{
	struct diff_report a, b;
	struct diff_result d;

	CHECK_STR(diff_metric_needs(DIFF_SLAB_BYTES), "memory bill");
	CHECK_STR(diff_metric_needs(DIFF_FREE_SLOTS), "memory bill");
	CHECK_STR(diff_metric_needs(DIFF_ROUNDING), "size classes");
	CHECK(diff_metric_needs(DIFF_BYTES) == NULL);
	CHECK(!base.has_memory && !base.has_size_classes);
	CHECK(!diff_report__has(&base, DIFF_SLAB_BYTES));
	CHECK(!diff_report__has(&base, DIFF_ROUNDING));
	CHECK(diff_report__has(&base, DIFF_FAILED));	/* row metrics: always */

	if (!compare_bills(&a, &b, &d))
		return;
	diff__free(&d);
	diff_report__free(&b);
	/* 0 -> 12288 B would be an infinite increase: no number is not 0. */
	CHECK_INT(diff__compare(&d, &base, &a, DIFF_BYTES), ==, 0);
	CHECK(!diff_result__has(&d, DIFF_SLAB_BYTES));
	CHECK(!diff_result__has(&d, DIFF_ROUNDING));
	CHECK(diff_result__has(&d, DIFF_BYTES));
	CHECK_U64(d.total_base[DIFF_SLAB_BYTES], 0);
	CHECK_U64(d.total_now[DIFF_SLAB_BYTES], 12288);
	CHECK(!crossed(&d, DIFF_SLAB_BYTES, 0));
	CHECK(!crossed(&d, DIFF_ROUNDING, 0));
	diff__free(&d);
	/* Only one of the two arrays: only its metrics compare. */
	CHECK_INT(parse("{\"sites\":[],\"size_classes\":[{\"rounding\":7}]}", &b, NULL, 0), ==,
		  0);
	CHECK_INT(diff__compare(&d, &a, &b, DIFF_BYTES), ==, 0);
	CHECK(!diff_result__has(&d, DIFF_SLAB_BYTES));
	CHECK(diff_result__has(&d, DIFF_ROUNDING));
	CHECK(!crossed(&d, DIFF_ROUNDING, 0));	/* 704 -> 7 */
	diff__free(&d);
	diff_report__free(&a);
	diff_report__free(&b);
}

/* Two `stat -j` shapes: sites and caches, no findings, no bill. */
TEST(stat_shape)
{
	static const char sa[] =
		"{\"live\":0,\"sites\":[{\"site\":\"f+0x1\",\"allocs\":10,\"bytes_alloc\":640}],"
		"\"caches\":[{\"cache\":\"kmalloc-64\",\"aliases\":[],\"allocs\":10,"
		"\"bytes_alloc\":640}]}";
	static const char sb[] =
		"{\"live\":0,\"sites\":[{\"site\":\"f+0x1\",\"allocs\":20,\"bytes_alloc\":1280}],"
		"\"caches\":[{\"cache\":\"kmalloc-64\",\"aliases\":[],\"allocs\":20,"
		"\"bytes_alloc\":1280}]}";
	struct diff_threshold th = { .metric = DIFF_BYTES, .max_pct = 50 };
	struct diff_gate g = { .th = &th, .nr_th = 1 };
	struct diff_render_opts o = { .base_name = "a", .new_name = "b", .sort = DIFF_BYTES };
	struct diff_report a, b;
	struct diff_result d;
	json_object *root, *v, *x;
	char *t;

	CHECK_INT(parse(sa, &a, NULL, 0), ==, 0);
	CHECK_INT(parse(sb, &b, NULL, 0), ==, 0);
	CHECK(!a.has_memory && !a.has_size_classes && !a.has_findings);
	CHECK_INT(diff__compare(&d, &a, &b, DIFF_BYTES), ==, 0);
	CHECK_INT(d.sites.nr_changed, ==, 1);
	CHECK_INT(d.caches.nr_changed, ==, 1);
	CHECK(diff_gate__fails(&d, &g));	/* bytes +100% */
	t = render(&d, &g, &o);
	CHECK_HAS(t, "\nfailed            0         0        0\n\nsites:");
	CHECK_HAS(t, "\ncaches: 1 in both (1 changed, 0 unchanged), 0 only in NEW, "
		     "0 only in BASE\n");
	CHECK_LACKS(t, "slab_bytes");
	CHECK_LACKS(t, "free_slots");
	CHECK_LACKS(t, "rounding");
	CHECK_HAS(t, "\nresult: FAIL (1 of 1 thresholds crossed)\n");
	free(t);
	o.json = true;
	t = render(&d, &g, &o);
	root = t ? json_tokener_parse(t) : NULL;
	CHECK(root);
	if (root) {
		CHECK(json_object_object_get_ex(root, "base", &v));
		CHECK(json_object_object_get_ex(v, "memory_bill", &x) &&
		      !json_object_get_boolean(x));
		CHECK(json_object_object_get_ex(root, "totals", &v));
		CHECK(json_object_object_get_ex(v, "bytes_alloc", &x));
		CHECK(!json_object_object_get_ex(v, "slab_bytes", &x));
		CHECK(!json_object_object_get_ex(v, "free_slots", &x));
		CHECK(!json_object_object_get_ex(v, "rounding", &x));
		json_object_put(root);
	}
	free(t);
	diff__free(&d);
	diff_report__free(&a);
	diff_report__free(&b);
}

/* The example of docs/ci.md, whose numbers these are. */
TEST(membill_fixtures)
{
	struct diff_report a, b;
	struct diff_result d;

	CHECK(load("membill-base", &a));
	CHECK(load("membill-new", &b));
	if (!a.nr_sites || !b.nr_sites)
		goto out;
	CHECK_INT(diff__compare(&d, &a, &b, DIFF_BYTES), ==, 0);
	CHECK_U64(d.total_base[DIFF_SLAB_BYTES], 24576);
	CHECK_U64(d.total_now[DIFF_SLAB_BYTES], 32768);
	CHECK_U64(d.total_base[DIFF_FREE_SLOTS], 7936);
	CHECK_U64(d.total_now[DIFF_FREE_SLOTS], 8832);
	CHECK_U64(d.total_base[DIFF_ROUNDING], 3200);
	CHECK_U64(d.total_now[DIFF_ROUNDING], 3360);
	CHECK(crossed(&d, DIFF_SLAB_BYTES, 20));
	CHECK(!crossed(&d, DIFF_FREE_SLOTS, 20));
	CHECK(!crossed(&d, DIFF_ROUNDING, 10));
	CHECK_INT(d.caches.nr_changed, ==, 1);
	CHECK_INT(d.caches.nr_added, ==, 1);
	CHECK_INT(d.caches.nr_same, ==, 1);
	diff__free(&d);
out:
	diff_report__free(&a);
	diff_report__free(&b);
}

/*
 * Lifetimes: f's median grew 16x (64 us to 1 ms), g's 1024x but from 5
 * objects freed (too few to tell), h's is unbounded in NEW (null: over an
 * hour) but it is gone from BASE.  The gate compares f: crossed at 1499 %,
 * not at 1500 %; a report without lifetimes has none to compare.
 */
static const char lt_base[] =
	"{\"sites\":[{\"site\":\"f+0x1\",\"allocs\":20,\"lifetime\":{\"freed\":20,"
	"\"p50_lt_us\":64}},{\"site\":\"g+0x1\",\"allocs\":5,\"lifetime\":{\"freed\":5,"
	"\"p50_lt_us\":1}},{\"site\":\"k+0x1\",\"allocs\":30,\"lifetime\":{\"freed\":30,"
	"\"p50_lt_us\":8}}]}";
static const char lt_new[] =
	"{\"sites\":[{\"site\":\"f+0x1\",\"allocs\":20,\"lifetime\":{\"freed\":20,"
	"\"p50_lt_us\":1024}},{\"site\":\"g+0x1\",\"allocs\":5,\"lifetime\":{\"freed\":5,"
	"\"p50_lt_us\":1024}},{\"site\":\"h+0x1\",\"allocs\":30,\"lifetime\":{\"freed\":30,"
	"\"p50_lt_us\":null}},{\"site\":\"k+0x1\",\"allocs\":30,\"lifetime\":{\"freed\":30,"
	"\"p50_lt_us\":null}}]}";

TEST(lifetime_gate)
{
	struct diff_threshold t;
	struct diff_gate g = { .th = &t, .nr_th = 1 };
	struct diff_render_opts o = { .base_name = "a", .new_name = "b", .sort = DIFF_BYTES };
	struct diff_report a, b;
	struct diff_result d;
	char *txt;

	if (!compare_texts(lt_base, lt_new, &a, &b, &d))
		return;
	CHECK(a.has_lifetimes && b.has_lifetimes);
	CHECK_U64(find_site(&b, "h+0x1")->lt_p50, DIFF_LT_UNBOUNDED);
	/* k: 8 us to unbounded is the most growth of all. */
	CHECK_STR(d.lt_site ? d.lt_site : "", "k+0x1");
	CHECK_U64(d.total_base[DIFF_LIFETIME], 8);
	CHECK_U64(d.total_now[DIFF_LIFETIME], DIFF_LT_UNBOUNDED);
	diff__free(&d);
	diff_report__free(&b);
	/* Without k in NEW: f, 16x. */
	CHECK_INT(parse(lt_new, &b, (char[64]){ 0 }, 64), ==, 0);
	b.nr_sites = 3;		/* f, g, h: sorted by name, k last */
	CHECK_INT(diff__compare(&d, &a, &b, DIFF_BYTES), ==, 0);
	CHECK_STR(d.lt_site ? d.lt_site : "", "f+0x1");
	CHECK_U64(d.total_base[DIFF_LIFETIME], 64);
	CHECK_U64(d.total_now[DIFF_LIFETIME], 1024);
	CHECK_INT(diff_threshold__parse("lifetime_p50=1499", &t), ==, 0);
	CHECK_INT(t.metric, ==, DIFF_LIFETIME);
	CHECK(diff_gate__fails(&d, &g));
	txt = render(&d, &g, &o);
	CHECK_HAS(txt, "\n--max-increase lifetime_p50=1499: p50_lt_us <64us -> <1.0ms (+1500.0%) "
		       "at f+0x1, limit +1499%: CROSSED\n");
	free(txt);
	t.max_pct = 1500;
	CHECK(!diff_gate__fails(&d, &g));
	b.nr_sites = 4;
	diff__free(&d);
	diff_report__free(&a);
	diff_report__free(&b);
	/* A report of before lifetimes has none. */
	CHECK_INT(parse(bill_base, &a, (char[64]){ 0 }, 64), ==, 0);
	CHECK(!diff_report__has(&a, DIFF_LIFETIME));
	diff_report__free(&a);
}

int main(void)
{
	t_suite = "diff";
	if (!load("base", &base) || !load("same", &same) || !load("double", &dbl) ||
	    !load("newleak", &newleak) || !load("gfpbug", &gfpbug) || !load("empty", &empty)) {
		/* Fixtures are part of the repo: a failure, not a skip. */
		printf("not ok 1 - fixtures\n");
		t_failed++;
		return test_done();
	}
	RUN(parse_base);
	RUN(identical);
	RUN(doubled);
	RUN(from_zero);
	RUN(new_leak);
	RUN(new_leak_severity);
	RUN(gfp_bug);
	RUN(match_by_site_string);
	RUN(duplicate_sites_merged);
	RUN(big_numbers);
	RUN(partial);
	RUN(parse_errors);
	RUN(option_parsing);
	RUN(render_text);
	RUN(render_many_rows);
	RUN(render_json);
	RUN(caches);
	RUN(caches_render);
	RUN(report_metrics);
	RUN(size_classes);
	RUN(gate_slab_bytes);
	RUN(report_metric_missing);
	RUN(stat_shape);
	RUN(membill_fixtures);
	RUN(lifetime_gate);
	diff_report__free(&base);
	diff_report__free(&same);
	diff_report__free(&dbl);
	diff_report__free(&newleak);
	diff_report__free(&gfpbug);
	diff_report__free(&empty);
	return test_done();
}
