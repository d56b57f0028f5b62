// SPDX-License-Identifier: GPL-2.0
/*
 * test_report_stat.c - unit tests for src/report_stat.c: a collector fed a
 * small fixed event sequence, symbols from inline kallsyms text and a run
 * info filled by hand, then the exact compact JSON of rows and counters,
 * sort orders, top-N truncation, determinism (the same bytes twice, and
 * for the same events fed in another order), and the text report's
 * header identity and rows.
 *
 * The events (T = GFP_KERNEL; P1.. are pointers):
 *   foo+0x10  kmalloc 100->128 T  x3 (P1 P2 P3), kfree P1
 *   bar+0x20  kmalloc 24->1024 T  P4, then P4 again (its free was lost)
 *   baz+0x8   kmem_cache_alloc dentry (192/192) P5 P6, kmem_cache_free P5
 *   kfree P9, allocated before the trace
 * so, per site:          allocs frees req  alloc waste live live_bytes
 *   foo+0x10                  3     1  300   384    84    2        256
 *   bar+0x20                  2     0   48  2048  2000    1       1024
 *   baz+0x8                   2     1  384   384     0    1        192
 * and the caches kmalloc-128, kmalloc-1k and dentry have the same numbers.
 */
#include <errno.h>
#include <stdlib.h>

#include "collect.h"
#include "ksyms.h"
#include "report_stat.h"
#include "runinfo.h"
#include "slabsys.h"
#include "test.h"

static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81001000 T foo\n"
	"ffffffff81002000 t bar\n"
	"ffffffff81003000 T baz\n"
	"ffffffff81004000 T __do_kmalloc_node\n"
	"ffffffff81010000 T _etext\n";

#define FOO		0xffffffff81001010ull	/* foo+0x10 */
#define BAR		0xffffffff81002020ull	/* bar+0x20 */
#define BAZ		0xffffffff81003008ull	/* baz+0x8 */
#define DKN		0xffffffff8100405aull	/* __do_kmalloc_node+0x5a */
#define DENTRY		0xffffffff82000040ull	/* cache id */
#define P(n)		(0xffff888001000000ull + 0x100 * (n))
#define GFP_KERNEL	0xcc0u

static struct ksyms *load_syms(void)
{
	FILE *f = fmemopen((void *)kallsyms, strlen(kallsyms), "r");
	struct ksyms *ks;

	if (!f)
		return NULL;
	ks = ksyms__load(f);
	fclose(f);
	return ks;
}

static struct collector *new_coll(void)
{
	struct collector_opts o = { .t0_ns = 1000 };

	kmalloc_params__default(&o.kp, 4096);
	return collector__new(&o);
}

static void kmalloc(struct collector *c, uint64_t ptr, uint64_t site,
		    uint32_t req, uint32_t alloc)
{
	struct kms_event ev = {
		.type = KMS_EV_KMALLOC, .tid = 10, .ptr = ptr,
		.call_site = site, .bytes_req = req, .bytes_alloc = alloc,
		.gfp = GFP_KERNEL, .ts = 2000,
	};

	collector__event(c, &ev, NULL);
}

static void kfree_(struct collector *c, uint64_t ptr)
{
	struct kms_event ev = { .type = KMS_EV_KFREE, .tid = 10, .ptr = ptr };

	collector__event(c, &ev, NULL);
}

static void cache_alloc(struct collector *c, uint64_t ptr, uint64_t site)
{
	struct kms_event ev = {
		.type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
		.tid = 10, .ptr = ptr, .call_site = site, .cache = DENTRY,
		.gfp = GFP_KERNEL,
	};

	collector__event(c, &ev, NULL);
}

static void cache_free(struct collector *c, uint64_t ptr)
{
	struct kms_event ev = {
		.type = KMS_EV_CACHE_FREE, .flags = KMS_EVF_HAS_CACHE,
		.tid = 10, .ptr = ptr, .cache = DENTRY,
	};

	collector__event(c, &ev, NULL);
}

static void cache_info(struct collector *c)
{
	struct kms_event ev = {
		.type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE,
		.cache = DENTRY, .object_size = 192, .size = 192,
		.name = "dentry", .name_len = 6,
	};

	collector__event(c, &ev, NULL);
}

/* The four groups of the header comment; `order` says which goes first. */
static void feed_group(struct collector *c, int g)
{
	switch (g) {
	case 0:
		kmalloc(c, P(1), FOO, 100, 128);
		kmalloc(c, P(2), FOO, 100, 128);
		kmalloc(c, P(3), FOO, 100, 128);
		kfree_(c, P(1));
		break;
	case 1:
		kmalloc(c, P(4), BAR, 24, 1024);
		kmalloc(c, P(4), BAR, 24, 1024);
		break;
	case 2:
		cache_info(c);
		cache_alloc(c, P(5), BAZ);
		cache_alloc(c, P(6), BAZ);
		cache_free(c, P(5));
		break;
	case 3:
		kfree_(c, P(9));
		break;
	}
}

static struct collector *fed(const int order[4])
{
	struct collector *c = new_coll();

	for (int i = 0; c && i < 4; i++)
		feed_group(c, order[i]);
	return c;
}

static const int in_order[4] = { 0, 1, 2, 3 };

/*
 * Received: kmalloc 5, kfree 2, kmem_cache_alloc 2, kmem_cache_free 1
 * = 10.  Seen 13 = 10 + kfree(NULL) 2 + ring buffer lost 1.
 */
static void fill_runinfo(struct runinfo *ri)
{
	memset(ri, 0, sizeof(*ri));
	strcpy(ri->kernel, "6.8.0");
	strcpy(ri->method, "tp_btf");
	ri->duration_ns = 1500000000;		/* 1.5 s */
	ri->counters[KMS_CNT_SEEN_KMALLOC] = 6;	/* 5 received + 1 lost */
	ri->counters[KMS_CNT_SEEN_KFREE] = 4;	/* 2 received + 2 NULL */
	ri->counters[KMS_CNT_SEEN_CACHE_ALLOC] = 2;
	ri->counters[KMS_CNT_SEEN_CACHE_FREE] = 1;
	ri->counters[KMS_CNT_FREE_NULL] = 2;
	ri->counters[KMS_CNT_RB_FAIL] = 1;
	ri->recursion_misses = 3;
	ri->has_counters = true;
	ri->exit_status = -1;			/* no command */
}

/* The report as a string; NULL (and a failure) when report_stat fails. */
static const struct slabsys *names;	/* the aliases test's snapshot */

static char *report(const struct collector *c, const struct ksyms *ks,
		    const struct runinfo *ri, enum stat_sort sort,
		    unsigned int top, bool json)
{
	struct stat_opts o = { .sort = sort, .top = top, .json = json, .names = names };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	if (!f)
		return NULL;
	err = report_stat(f, c, ks, ri, &o);
	fclose(f);
	if (err) {
		T_FAIL("report_stat: %d", err);
		free(buf);
		return NULL;
	}
	return buf;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* needle a appears, and before needle b. */
#define CHECK_BEFORE(hay, a, b)                                            \
	do {                                                               \
		const char *_a = strstr(hay, a), *_b = strstr(hay, b);     \
		if (!_a || !_b || _a >= _b)                                \
			T_FAIL("want %s before %s", a, b);                 \
	} while (0)

struct fixture {
	struct collector *c;
	struct ksyms *ks;
	struct runinfo ri;
};

static bool setup(struct fixture *fx)
{
	fx->c = fed(in_order);
	fx->ks = load_syms();
	fill_runinfo(&fx->ri);
	if (!fx->c || !fx->ks) {
		T_FAIL("setup failed");
		return false;
	}
	return true;
}

static void teardown(struct fixture *fx)
{
	collector__free(fx->c);
	ksyms__free(fx->ks);
}

TEST(json_rows)
{
	struct fixture fx;
	char *out;

	if (!setup(&fx))
		goto out;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, true);
	if (!out)
		goto out;
	/* Compact: no spaces after ':' or ','; one object and a newline. */
	CHECK(out[0] == '{');
	CHECK(strlen(out) > 2 && !strcmp(out + strlen(out) - 2, "}\n"));
	CHECK_INT(count_of(out, "\n"), ==, 1);
	CHECK_HAS(out, "{\"kernel\":\"6.8.0\",\"method\":\"tp_btf\","
		  "\"kmalloc_cache_names\":\"model\",\"context\":\"none\",\"command\":\"\","
		  "\"filters\":\"\","
		  "\"duration_s\":1.5,");
	CHECK(!strstr(out, "\"exit_status\""));	/* -1: no command ran */
	/* Every field of each row, in order (numbers from the header). */
	CHECK_HAS(out, "{\"site\":\"foo+0x10\",\"addr\":\"0xffffffff81001010\","
		  "\"allocs\":3,\"frees\":1,\"failed\":0,\"bytes_req\":300,"
		  "\"bytes_alloc\":384,\"waste\":84,\"live\":2,"
		  "\"live_bytes\":256,\"live_bytes_req\":200,"
		  "\"realloc_without_free\":0,\"in_hardirq\":0,\"in_softirq\":0,\"in_preempt_off\":0,\"in_bh_off\":0,\"in_rcu\":0,\"in_memalloc\":0,\"in_nofs\":0,\"in_noio\":0,"
		  "\"lifetime\":{\"freed\":1,\"p50_lt_us\":1,\"p90_lt_us\":1,\"p99_lt_us\":1,\"max_lt_us\":1,\"buckets\":[{\"lt_us\":1,\"n\":1}],\"live_ages\":[{\"lt_us\":2097152,\"n\":2}]}}");
	CHECK_HAS(out, "{\"site\":\"bar+0x20\",\"addr\":\"0xffffffff81002020\","
		  "\"allocs\":2,\"frees\":0,\"failed\":0,\"bytes_req\":48,"
		  "\"bytes_alloc\":2048,\"waste\":2000,\"live\":1,"
		  "\"live_bytes\":1024,\"live_bytes_req\":24,"
		  "\"realloc_without_free\":1,\"in_hardirq\":0,\"in_softirq\":0,\"in_preempt_off\":0,\"in_bh_off\":0,\"in_rcu\":0,\"in_memalloc\":0,\"in_nofs\":0,\"in_noio\":0,"
		  "\"lifetime\":{\"freed\":0,\"p50_lt_us\":null,\"p90_lt_us\":null,\"p99_lt_us\":null,\"max_lt_us\":null,\"buckets\":[],\"live_ages\":[{\"lt_us\":2097152,\"n\":1}]}}");
	CHECK_HAS(out, "{\"site\":\"baz+0x8\",\"addr\":\"0xffffffff81003008\","
		  "\"allocs\":2,\"frees\":1,\"failed\":0,\"bytes_req\":384,"
		  "\"bytes_alloc\":384,\"waste\":0,\"live\":1,"
		  "\"live_bytes\":192,\"live_bytes_req\":192,"
		  "\"realloc_without_free\":0,\"in_hardirq\":0,\"in_softirq\":0,\"in_preempt_off\":0,\"in_bh_off\":0,\"in_rcu\":0,\"in_memalloc\":0,\"in_nofs\":0,\"in_noio\":0,"
		  "\"lifetime\":{\"freed\":1,\"p50_lt_us\":1,\"p90_lt_us\":1,\"p99_lt_us\":1,\"max_lt_us\":1,\"buckets\":[{\"lt_us\":1,\"n\":1}],\"live_ages\":[{\"lt_us\":2097152,\"n\":1}]}}");
	CHECK_HAS(out, "{\"cache\":\"dentry\",\"aliases\":[],\"source\":\"kernel\","
		  "\"object_size\":192,\"size\":192,\"allocs\":2,\"frees\":1,"
		  "\"failed\":0,\"bytes_req\":384,\"bytes_alloc\":384,"
		  "\"waste\":0,\"live\":1,\"live_bytes\":192,"
		  "\"live_bytes_req\":192,"
		  "\"frees_pretrace\":0,"
		  "\"realloc_without_free\":0,"
		  "\"lifetime\":{\"freed\":1,\"p50_lt_us\":1,\"p90_lt_us\":1,\"p99_lt_us\":1,\"max_lt_us\":1,\"buckets\":[{\"lt_us\":1,\"n\":1}],\"live_ages\":[{\"lt_us\":2097152,\"n\":1}]}}");
	CHECK_HAS(out, "{\"cache\":\"kmalloc-128\",\"aliases\":[],\"source\":\"model\","
		  "\"object_size\":128,\"size\":128,\"allocs\":3,");
	CHECK_HAS(out, "{\"cache\":\"kmalloc-1k\",\"aliases\":[],\"source\":\"model\","
		  "\"object_size\":1024,\"size\":1024,\"allocs\":2,");
	/* bar's first P4, allocated again while live: its cache says so. */
	CHECK_HAS(out, "\"frees_pretrace\":0,\"realloc_without_free\":1,\"lifetime\":");
	/* Three sites, three caches: nothing else. */
	CHECK_INT(count_of(out, "\"site\":"), ==, 3);
	CHECK_INT(count_of(out, "\"cache\":"), ==, 3);
	/* Pointers live: P2 P3 (foo), P4 (bar), P6 (baz). */
	CHECK_HAS(out, "\"live\":4,\"sites\":[");
	free(out);
out:
	teardown(&fx);
}

TEST(json_counters)
{
	struct fixture fx;
	char *out;

	if (!setup(&fx))
		goto out;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, true);
	if (!out)
		goto out;
	CHECK_HAS(out, "\"events\":{\"kmalloc\":5,\"kfree\":2,"
		  "\"kmem_cache_alloc\":2,\"kmem_cache_free\":1,\"kfree_rcu\":0}");
	/* seen = 6 + 4 + 2 + 1; received = 5 + 2 + 2 + 1. */
	CHECK_HAS(out, "\"counters\":{\"seen\":13,\"received\":10,"
		  "\"filtered\":0,\"free_null\":2,\"free_untracked\":0,"
		  "\"self\":0,\"large_kmalloc_collapsed\":0}");
	/* ringbuf 1 and recursion 3 from the run info; kfree P9 unmatched;
	 * P4 allocated twice.  Later keys may be added: prefix only. */
	CHECK_HAS(out, "\"lost\":{\"ringbuf\":1,\"recursion\":3,"
		  "\"unmatched_frees\":1,\"realloc_without_free\":1,");
	CHECK_HAS(out, "\"names\":0,");
	CHECK_HAS(out, "\"table_full\":0");
	free(out);

	/* A command that exited 3: its status is in the report. */
	fx.ri.exit_status = 3;
	strcpy(fx.ri.command, "./t \"q\"");
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, true);
	if (!out)
		goto out;
	CHECK_HAS(out, "\"command\":\"./t \\\"q\\\"\",\"filters\":\"\",\"duration_s\":1.5,"
		  "\"exit_status\":3,\"events\":");
	free(out);
out:
	teardown(&fx);
}

TEST(sort_orders)
{
	struct fixture fx;
	char *out;

	if (!setup(&fx))
		goto out;
	/* allocs: foo 3; bar and baz 2, tied, so by address: bar first. */
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, true);
	if (out) {
		CHECK_BEFORE(out, "\"site\":\"foo+0x10\"", "\"site\":\"bar+0x20\"");
		CHECK_BEFORE(out, "\"site\":\"bar+0x20\"", "\"site\":\"baz+0x8\"");
		/* Caches: kmalloc-128 3; dentry and kmalloc-1k 2, by name. */
		CHECK_BEFORE(out, "\"cache\":\"kmalloc-128\"", "\"cache\":\"dentry\"");
		CHECK_BEFORE(out, "\"cache\":\"dentry\"", "\"cache\":\"kmalloc-1k\"");
		free(out);
	}
	/* waste: bar 2000, foo 84, baz 0. */
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_WASTE, 0, true);
	if (out) {
		CHECK_BEFORE(out, "\"site\":\"bar+0x20\"", "\"site\":\"foo+0x10\"");
		CHECK_BEFORE(out, "\"site\":\"foo+0x10\"", "\"site\":\"baz+0x8\"");
		CHECK_BEFORE(out, "\"cache\":\"kmalloc-1k\"", "\"cache\":\"kmalloc-128\"");
		CHECK_BEFORE(out, "\"cache\":\"kmalloc-128\"", "\"cache\":\"dentry\"");
		free(out);
	}
	/* live_bytes: bar 1024, foo 256, baz 192. */
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_LIVE_BYTES, 0, true);
	if (out) {
		CHECK_BEFORE(out, "\"site\":\"bar+0x20\"", "\"site\":\"foo+0x10\"");
		CHECK_BEFORE(out, "\"site\":\"foo+0x10\"", "\"site\":\"baz+0x8\"");
		free(out);
	}
	/* frees: foo 1 and baz 1 tied (foo's address is lower), bar 0. */
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_FREES, 0, true);
	if (out) {
		CHECK_BEFORE(out, "\"site\":\"foo+0x10\"", "\"site\":\"baz+0x8\"");
		CHECK_BEFORE(out, "\"site\":\"baz+0x8\"", "\"site\":\"bar+0x20\"");
		free(out);
	}
out:
	teardown(&fx);
}

TEST(sort_parse)
{
	static const struct { const char *s; enum stat_sort v; } keys[] = {
		{ "allocs", STAT_SORT_ALLOCS }, { "frees", STAT_SORT_FREES },
		{ "req", STAT_SORT_REQ }, { "alloc", STAT_SORT_ALLOC },
		{ "waste", STAT_SORT_WASTE }, { "live", STAT_SORT_LIVE },
		{ "live_bytes", STAT_SORT_LIVE_BYTES },
		{ "failed", STAT_SORT_FAILED },
	};
	enum stat_sort s;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		s = (enum stat_sort)-1;
		CHECK_INT(stat_sort_parse(keys[i].s, &s), ==, 0);
		CHECK_INT(s, ==, keys[i].v);
	}
	CHECK_INT(stat_sort_parse("bogus", &s), ==, -EINVAL);
	CHECK_INT(stat_sort_parse("", &s), ==, -EINVAL);
	CHECK_INT(stat_sort_parse("Waste", &s), ==, -EINVAL);	/* exact */
}

TEST(top_n)
{
	struct fixture fx;
	char *out;

	if (!setup(&fx))
		goto out;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_WASTE, 1, true);
	if (out) {
		/* Only the first row of each table: the most waste. */
		CHECK_INT(count_of(out, "\"site\":"), ==, 1);
		CHECK_INT(count_of(out, "\"cache\":"), ==, 1);
		CHECK_HAS(out, "\"sites\":[{\"site\":\"bar+0x20\",");
		CHECK_HAS(out, "\"caches\":[{\"cache\":\"kmalloc-1k\",");
		/* Counters are not rows: still complete. */
		CHECK_HAS(out, "\"unmatched_frees\":1,");
		free(out);
	}
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 2, true);
	if (out) {
		CHECK_INT(count_of(out, "\"site\":"), ==, 2);
		CHECK(!strstr(out, "baz+0x8"));	/* third by allocs */
		free(out);
	}
	/* More than there are: all of them. */
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 10, true);
	if (out) {
		CHECK_INT(count_of(out, "\"site\":"), ==, 3);
		free(out);
	}
	/* Text: one row each, and what was left out is said. */
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_WASTE, 1, false);
	if (out) {
		CHECK_INT(count_of(out, "... 2 more (-n 0 shows all)\n"), ==, 2);
		CHECK(strstr(out, "\nbar+0x20 "));
		CHECK(!strstr(out, "\nfoo+0x10 "));
		CHECK(strstr(out, "\nkmalloc-1k "));
		CHECK(!strstr(out, "\ndentry "));
		free(out);
	}
out:
	teardown(&fx);
}

TEST(deterministic)
{
	static const int other_order[4] = { 3, 2, 1, 0 };
	struct fixture fx;
	struct collector *c2 = NULL;

	if (!setup(&fx))
		goto out;
	/* The same events, sites and caches created in the reverse order. */
	c2 = fed(other_order);
	CHECK(c2);
	if (!c2)
		goto out;
	for (int json = 0; json < 2; json++) {
		for (int s = STAT_SORT_ALLOCS; s <= STAT_SORT_FAILED; s++) {
			char *a = report(fx.c, fx.ks, &fx.ri, s, 0, json);
			char *b = report(fx.c, fx.ks, &fx.ri, s, 0, json);
			char *d = report(c2, fx.ks, &fx.ri, s, 0, json);

			if (a && b && strcmp(a, b))
				T_FAIL("sort %d json %d: two runs differ", s,
				       json);
			if (a && d && strcmp(a, d))
				T_FAIL("sort %d json %d: feeding order shows",
				       s, json);
			CHECK(a && b && d);
			free(a);
			free(b);
			free(d);
		}
	}
out:
	collector__free(c2);
	teardown(&fx);
}

/* The whitespace-separated fields of the line that starts with `name `. */
static int row_fields(const char *out, const char *name, char f[12][48])
{
	char key[64], line[512];
	const char *p, *nl;
	int n = 0;

	snprintf(key, sizeof(key), "\n%s ", name);
	p = strstr(out, key);
	if (!p)
		return 0;
	p++;
	nl = strchr(p, '\n');
	snprintf(line, sizeof(line), "%.*s", nl ? (int)(nl - p) : 511, p);
	for (char *save, *tok = strtok_r(line, " ", &save); tok && n < 12;
	     tok = strtok_r(NULL, " ", &save))
		snprintf(f[n++], 48, "%s", tok);
	return n;
}

#define CHECK_ROW(out, name, ...)                                          \
	do {                                                               \
		static const char *const _want[] = { name, __VA_ARGS__ };  \
		char _f[12][48];                                           \
		int _n = row_fields(out, name, _f);                        \
		CHECK_INT(_n, ==, sizeof(_want) / sizeof(_want[0]));       \
		for (int _i = 0; _i < _n && _i < 9; _i++)                  \
			CHECK_STR(_f[_i], _want[_i]);                      \
	} while (0)

TEST(text)
{
	struct fixture fx;
	char *out;

	if (!setup(&fx))
		goto out;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, false);
	if (!out)
		goto out;
	CHECK(!strncmp(out, "kmscope stat: 1.500 s, system-wide, kernel 6.8.0, "
		       "tp_btf\n", 54));
	CHECK_HAS(out, "\nevents:  kmalloc 5, kfree 2, kmem_cache_alloc 2, "
		  "kmem_cache_free 1\n");
	/* seen 13 = received 10 + 0 + 2 + 0 + 1: it adds up, no remainder. */
	CHECK_HAS(out, "seen 13 = received 10");
	CHECK_HAS(out, "\nkernel:  seen 13 = received 10 + filtered 0 + "
		  "kfree(NULL) 2 + frees of untracked 0 + kmscope's own 0 + lost 1\n");
	CHECK(!strstr(out, "unaccounted"));
	CHECK_HAS(out, "\nlost:    ring buffer 1, recursion 3, names 0; frees of "
		  "allocations not traced 1, re-allocated without free 1\n");
	/* The re-allocation's cache; nothing folded or full. */
	CHECK_HAS(out, "\nnote:    re-allocated without free in kmalloc-1k 1\n");
	/* No backup: the 3 unseen events are said, with what recovers them. */
	CHECK_HAS(out, "\nnote:    3 events no program saw: the kernel skips a program ");
	CHECK_HAS(out, ". --backup=frees recovers the frees (nearly all of them), --backup "
		  "every event (10-30 % more overhead, the frees' alone about 60 % of that)\n");
	CHECK_INT(count_of(out, "\nnote:"), ==, 2);
	/* Columns: ALLOCS FREES FAILED BYTES_REQ BYTES_ALLOC WASTE LIVE
	 * LIVE_BYTES, as in the header comment. */
	CHECK_ROW(out, "foo+0x10", "3", "1", "0", "300", "384", "84", "2", "256");
	CHECK_ROW(out, "bar+0x20", "2", "0", "0", "48", "2048", "2000", "1",
		  "1024");
	CHECK_ROW(out, "baz+0x8", "2", "1", "0", "384", "384", "0", "1", "192");
	CHECK_ROW(out, "kmalloc-128", "3", "1", "0", "300", "384", "84", "2",
		  "256");
	CHECK_ROW(out, "kmalloc-1k", "2", "0", "0", "48", "2048", "2000", "1",
		  "1024");
	CHECK_ROW(out, "dentry", "2", "1", "0", "384", "384", "0", "1", "192");
	CHECK_BEFORE(out, "\nCALL SITE ", "\nfoo+0x10 ");
	CHECK_BEFORE(out, "\nbaz+0x8 ", "\nCACHE ");
	CHECK_BEFORE(out, "\nCACHE ", "\nkmalloc-128 ");
	CHECK(!strstr(out, "more (-n 0"));	/* nothing cut */
	free(out);

	/* With the backups on, the same unseen events suggest nothing. */
	fx.ri.backup = KMS_BACKUP_ALL;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, false);
	if (out) {
		CHECK(!strstr(out, "events no program saw"));
		CHECK_INT(count_of(out, "\nnote:"), ==, 1);
		free(out);
	}
	/* With the frees' only, the allocations left to no backup are said. */
	fx.ri.backup = KMS_BACKUP_FREES;
	fx.ri.alloc_misses = 2;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, false);
	if (out) {
		CHECK_HAS(out, "\nnote:    3 events no program saw: 2 allocations the kernel "
			  "kept from their program, which --backup=frees leaves without a backup "
			  "(each makes its free one of an allocation not traced; --backup recovers "
			  "them), and 1 frees the kernel kept from their backup too (nested three "
			  "deep, or skipped around the program)\n");
		CHECK_INT(count_of(out, "\nnote:"), ==, 2);
		free(out);
	}
	/* More allocation misses than unseen: all of them allocations, no frees part. */
	fx.ri.alloc_misses = 9;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, false);
	if (out) {
		CHECK_HAS(out, "\nnote:    3 events no program saw: 3 allocations the kernel "
			  "kept from their program");
		CHECK_HAS(out, "--backup recovers them)\n");
		CHECK(!strstr(out, "frees the kernel kept"));
		free(out);
	}
	/* None of them allocations: the frees alone, and no --backup to suggest. */
	fx.ri.alloc_misses = 0;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, false);
	if (out) {
		CHECK_HAS(out, "\nnote:    3 events no program saw: 3 frees the kernel kept "
			  "from their backup too (nested three deep, or skipped around the "
			  "program)\n");
		CHECK(!strstr(out, "--backup recovers"));
		free(out);
	}
	fx.ri.backup = KMS_BACKUP_NONE;
	/* Classic tracepoints: no backup can take them, so none is suggested. */
	snprintf(fx.ri.method, sizeof(fx.ri.method), "tracepoint");
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, false);
	if (out) {
		CHECK_HAS(out, "\nnote:    3 events no program saw: the kernel skips every "
			  "program of a classic tracepoint");
		CHECK(!strstr(out, "--backup"));
		free(out);
	}
	snprintf(fx.ri.method, sizeof(fx.ri.method), "tp_btf");

	/* Two seen events nobody accounts for: said, with the number. */
	fx.ri.counters[KMS_CNT_SEEN_KMALLOC] = 8;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, false);
	if (out) {
		CHECK_HAS(out, "\nkernel:  seen 15 = received 10 + filtered 0 + "
			  "kfree(NULL) 2 + frees of untracked 0 + kmscope's own 0 + "
			  "lost 1 (unaccounted 2)\n");
		free(out);
	}
out:
	teardown(&fx);
}

/*
 * Rows that end up empty are left out: the allocator-internal site of a
 * folded double large kmalloc.  A kernel cache and a model cache of the
 * same name are one row.
 */
TEST(empty_and_merged_rows)
{
	struct collector *c = new_coll();
	struct ksyms *ks = load_syms();
	struct runinfo ri;
	struct kms_event info = {
		.type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE,
		.cache = DENTRY, .object_size = 128, .size = 128,
		.name = "kmalloc-128", .name_len = 11,
	};
	char *out;

	fill_runinfo(&ri);
	if (!c || !ks) {
		T_FAIL("setup failed");
		goto out;
	}
	kmalloc(c, P(1), DKN, 10240, 16384);	/* inside the allocator */
	kmalloc(c, P(1), FOO, 10240, 16384);	/* the caller: folded */
	collector__event(c, &info, NULL);
	cache_alloc(c, P(2), BAR);		/* kmalloc-128, kernel's */
	kmalloc(c, P(3), BAZ, 100, 128);	/* kmalloc-128, model's */
	out = report(c, ks, &ri, STAT_SORT_ALLOCS, 0, true);
	if (!out)
		goto out;
	CHECK(!strstr(out, "__do_kmalloc_node"));
	CHECK_HAS(out, "{\"site\":\"foo+0x10\",\"addr\":\"0xffffffff81001010\","
		  "\"allocs\":1,");
	CHECK_HAS(out, "\"large_kmalloc_collapsed\":1}");
	CHECK_HAS(out, "\"realloc_without_free\":0,");
	/* One kmalloc-128 row with both allocations; the kernel's came first. */
	CHECK_INT(count_of(out, "\"cache\":\"kmalloc-128\""), ==, 1);
	CHECK_HAS(out, "{\"cache\":\"kmalloc-128\",\"aliases\":[],\"source\":\"kernel\","
		  "\"object_size\":128,\"size\":128,\"allocs\":2,\"frees\":0,"
		  "\"failed\":0,\"bytes_req\":228,\"bytes_alloc\":256,");
	CHECK_HAS(out, "{\"cache\":\"kmalloc-large-16k\",\"aliases\":[],\"source\":\"model\","
		  "\"object_size\":16384,\"size\":16384,\"allocs\":1,");
	free(out);
	out = report(c, ks, &ri, STAT_SORT_ALLOCS, 0, false);
	if (out) {
		CHECK(!strstr(out, "__do_kmalloc_node"));
		CHECK_HAS(out, "\nnote:    1 double large-kmalloc events folded into one "
			  "allocation each\n");
		CHECK(!strstr(out, "table was full"));
		free(out);
	}
out:
	collector__free(c);
	ksyms__free(ks);
}

/*
 * Merged caches: the start snapshot's symlinks name the other names of a
 * row's cache, all of them in JSON, as many as fit in the text's name
 * column (the other tests: a name the snapshot does not know has none).
 */
TEST(aliases)
{
	static const char snap[] =
		"cache :A-0000192\n"
		"alias dentry :A-0000192\n"
		"alias zz_cache :A-0000192\n"
		"alias aa_cache :A-0000192\n"
		"cache :0000128\n"
		"alias kmalloc-128 :0000128\n"
		"alias a_rather_long_cache_name_one :0000128\n"
		"alias another_long_cache_name_two :0000128\n"
		"cache :0001024\n"
		"alias kmalloc-1k :0001024\n"
		"alias aaa :0001024\n"
		"alias zzz_long_long_long_long_long_name :0001024\n";
	struct slabsys *sys = NULL;
	struct fixture fx;
	char *out;

	CHECK_INT(slabsys__parse(snap, sizeof(snap) - 1, &sys), ==, 0);
	if (!setup(&fx))
		goto out;
	names = sys;
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, true);
	if (out) {
		CHECK_HAS(out, "{\"cache\":\"dentry\",\"aliases\":[\"aa_cache\",\"zz_cache\"],"
			  "\"source\":\"kernel\",");
		CHECK_HAS(out, "{\"cache\":\"kmalloc-128\",\"aliases\":"
			  "[\"a_rather_long_cache_name_one\",\"another_long_cache_name_two\"],");
		CHECK_HAS(out, "{\"cache\":\"kmalloc-1k\",\"aliases\":"
			  "[\"aaa\",\"zzz_long_long_long_long_long_name\"],");
		free(out);
	}
	out = report(fx.c, fx.ks, &fx.ri, STAT_SORT_ALLOCS, 0, false);
	if (out) {
		/* All of them fit; none fits; the first fits, then "...". */
		CHECK_HAS(out, "\ndentry (+ aa_cache, zz_cache)           ");
		CHECK_HAS(out, "\nkmalloc-128 (+ ...)                      ");
		CHECK_HAS(out, "\nkmalloc-1k (+ aaa, ...)                  ");
		free(out);
	}
out:
	names = NULL;
	slabsys__free(sys);
	teardown(&fx);
}

/* No symbols at all: sites print as bare addresses. */
TEST(no_symbols)
{
	struct collector *c = fed(in_order);
	struct runinfo ri;
	char *out;

	fill_runinfo(&ri);
	if (!c) {
		T_FAIL("setup failed");
		return;
	}
	out = report(c, NULL, &ri, STAT_SORT_ALLOCS, 0, true);
	if (out) {
		CHECK_HAS(out, "{\"site\":\"0xffffffff81001010\","
			  "\"addr\":\"0xffffffff81001010\",\"allocs\":3,");
		free(out);
	}
	collector__free(c);
}

int main(void)
{
	t_suite = "report_stat";
	RUN(json_rows);
	RUN(json_counters);
	RUN(sort_orders);
	RUN(sort_parse);
	RUN(top_n);
	RUN(deterministic);
	RUN(text);
	RUN(empty_and_merged_rows);
	RUN(aliases);
	RUN(no_symbols);
	return test_done();
}
