// SPDX-License-Identifier: GPL-2.0
/*
 * test_promexp.c - unit tests for src/promexp.c, what `kmscope serve`
 * gives Prometheus: the named sites bounded by max_sites, the busiest of
 * the new ones first, with their whole counts; site="other" holding the
 * rest for good, never going down from one exposition to the next (no
 * false counter reset); caches of one name in one series; no kernel
 * address in a label.
 */
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "findings.h"
#include "promexp.h"
#include "promtext.h"
#include "runinfo.h"
#include "test.h"

#define T0	1000000000ull
#define A	0xffffffff81000010ull
#define B	0xffffffff81000020ull
#define C	0xffffffff81000030ull

static uint64_t now = T0, next_ptr = 0xffff888000001000ull;

static void kmalloc_n(struct collector *c, uint64_t site, int n)
{
	for (int i = 0; i < n; i++) {
		struct kms_event ev = { .type = KMS_EV_KMALLOC, .tid = 1, .tgid = 1,
					.ts = now += 1000, .call_site = site, .bytes_req = 100,
					.bytes_alloc = 128, .gfp = 0xcc0,
					.ptr = next_ptr += 0x100 };

		collector__event(c, &ev, NULL);
	}
}

static char *expose(struct promexp *pe, struct collector *c)
{
	struct promexp_self self = { .cpu_seconds = 1.5, .rss_bytes = 4096 };
	struct runinfo ri;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(&ri, 0, sizeof(ri));
	if (!f)
		return NULL;
	CHECK_INT(promexp__update(pe, c), ==, 0);
	CHECK_INT(promexp__write(pe, f, c, NULL, &ri, &self, NULL), ==, 0);
	fclose(f);
	return buf;
}

/* The value of the sample that starts with `series ` in text, or -1. */
static long long sample(const char *text, const char *series)
{
	size_t n = strlen(series);
	const char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, series, n) && p[n] == ' ')
			return atoll(p + n + 1);
	return -1;
}

TEST(bounded_monotonic)
{
	struct collector_opts o = { .t0_ns = T0 };
	struct promexp *pe = promexp__new(2);
	struct collector *c;
	char *t;

	kmalloc_params__default(&o.kp, 4096);
	c = collector__new(&o);
	CHECK(c && pe);
	if (!c || !pe)
		goto out;
	/* B busiest, then A: both get series; no label holds an address. */
	kmalloc_n(c, A, 3);
	kmalloc_n(c, B, 5);
	t = expose(pe, c);
	CHECK(t);
	if (t) {
		CHECK_INT(sample(t, "kmscope_allocations_total{site=\"[unknown-1]\"}"), ==, 5);
		CHECK_INT(sample(t, "kmscope_allocations_total{site=\"[unknown-0]\"}"), ==, 3);
		CHECK_INT(sample(t, "kmscope_allocations_total{site=\"other\"}"), ==, 0);
		CHECK_INT(sample(t, "kmscope_live_objects{site=\"[unknown-1]\"}"), ==, 5);
		CHECK(!strstr(t, "ffffffff"));
		CHECK(strstr(t, "# TYPE kmscope_allocations_total counter\n"));
		CHECK_INT(sample(t, "kmscope_cache_allocations_total{cache=\"kmalloc-128\"}"), ==, 8);
		CHECK_INT(sample(t, "kmscope_process_resident_memory_bytes"), ==, 4096);
	}
	free(t);
	/* C comes with no room left: into "other" for good, even when busiest. */
	kmalloc_n(c, A, 2);
	kmalloc_n(c, C, 10);
	t = expose(pe, c);
	CHECK(t);
	if (t) {
		CHECK_INT(sample(t, "kmscope_allocations_total{site=\"[unknown-0]\"}"), ==, 5);
		CHECK_INT(sample(t, "kmscope_allocations_total{site=\"[unknown-1]\"}"), ==, 5);
		CHECK_INT(sample(t, "kmscope_allocations_total{site=\"[unknown-2]\"}"), ==, -1);
		CHECK_INT(sample(t, "kmscope_allocations_total{site=\"other\"}"), ==, 10);
		CHECK_INT(sample(t, "kmscope_allocated_bytes_total{site=\"other\"}"), ==, 10 * 128);
		CHECK_INT(sample(t, "kmscope_sites{series=\"other\"}"), ==, 1);
		CHECK_INT(sample(t, "kmscope_live_objects{site=\"other\"}"), ==, 10);
	}
	free(t);
	kmalloc_n(c, C, 100);
	t = expose(pe, c);
	CHECK(t && sample(t, "kmscope_allocations_total{site=\"other\"}") == 110);
	free(t);
out:
	collector__free(c);
	promexp__free(pe);
}

/* The OpenMetrics form: counter families without _total, samples with it, # EOF. */
TEST(openmetrics)
{
	static const char in[] =
		"# TYPE kmscope_allocations_total counter\n"
		"# HELP kmscope_allocations_total Allocations.\n"
		"kmscope_allocations_total{site=\"a\"} 3\n"
		"# TYPE kmscope_live_bytes gauge\n"
		"# HELP kmscope_live_bytes Bytes_total.\n"
		"kmscope_live_bytes 7\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f);
	if (!f)
		return;
	CHECK_INT(promtext__to_openmetrics(in, sizeof(in) - 1, f), ==, 0);
	fclose(f);
	CHECK_STR(buf, "# TYPE kmscope_allocations counter\n"
		       "# HELP kmscope_allocations Allocations.\n"
		       "kmscope_allocations_total{site=\"a\"} 3\n"
		       "# TYPE kmscope_live_bytes gauge\n"
		       "# HELP kmscope_live_bytes Bytes_total.\n"
		       "kmscope_live_bytes 7\n"
		       "# EOF\n");
	free(buf);
}

/* Findings per kind and severity: every pair has its series, 0 included; none before a report. */
TEST(findings_by_kind)
{
	struct collector_opts o = { .t0_ns = T0 };
	struct promexp *pe = promexp__new(2);
	struct promexp_self self = { 0 };
	struct finding f[3] = { { .kind = FIND_LEAK, .severity = SEV_WARNING },
				{ .kind = FIND_LEAK, .severity = SEV_WARNING },
				{ .kind = FIND_CHURN, .severity = SEV_HINT } };
	struct findings fs = { .f = f, .n = 3 };
	struct collector *c;
	struct runinfo ri;
	char *buf = NULL, *t;
	size_t len = 0;
	FILE *m;

	memset(&ri, 0, sizeof(ri));
	kmalloc_params__default(&o.kp, 4096);
	c = collector__new(&o);
	m = open_memstream(&buf, &len);
	CHECK(c && pe && m);
	if (!c || !pe || !m)
		goto out;
	CHECK_INT(promexp__write(pe, m, c, NULL, &ri, &self, &fs), ==, 0);
	fclose(m);
	m = NULL;
	CHECK_HAS(buf, "# TYPE kmscope_findings gauge\n");
	CHECK_INT(sample(buf, "kmscope_findings{kind=\"leak\",severity=\"warning\"}"), ==, 2);
	CHECK_INT(sample(buf, "kmscope_findings{kind=\"leak\",severity=\"info\"}"), ==, 0);
	CHECK_INT(sample(buf, "kmscope_findings{kind=\"churn-short-lived\",severity=\"hint\"}"),
		  ==, 1);
	CHECK_INT(sample(buf, "kmscope_findings{kind=\"gfp-sleep-in-atomic\",severity=\"bug\"}"),
		  ==, 0);
	CHECK_INT(sample(buf, "kmscope_findings{kind=\"rcu-deferred\",severity=\"hint\"}"), ==, 0);
	t = expose(pe, c);
	CHECK_LACKS(t, "kmscope_findings");
	free(t);
out:
	if (m)
		fclose(m);
	free(buf);
	promexp__free(pe);
	collector__free(c);
}

int main(void)
{
	t_suite = "promexp";
	RUN(bounded_monotonic);
	RUN(openmetrics);
	RUN(findings_by_kind);
	return test_done();
}
