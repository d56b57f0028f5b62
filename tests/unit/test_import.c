// SPDX-License-Identifier: GPL-2.0
/*
 * test_import.c - src/import.c: real tracefs and perf script captures of
 * `kmgen msgq 50 64` (tests/fixtures/import-*.txt) converted into a
 * recording, read back through the recfile reader, kms_decode(), the
 * collector and ksyms on the SYMBOLS section, with exact values; plus
 * hostile lines, kfree(NULL), irq flags, modules and cache names.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "collect.h"
#include "decode.h"
#include "import.h"
#include "kms_records.h"
#include "ksyms.h"
#include "recfile.h"
#include "runinfo.h"
#include "test.h"
#include "util.h"

#define FIXTURES	"tests/fixtures"

/* A recording read back: run info, collector, symbols, raw events seen. */
struct readback {
	struct runinfo ri;
	struct collector *c;
	struct ksyms *ks;
	bool complete;
	uint64_t nr_type[KMS_REC_TYPE_MAX];
	uint8_t alloc_flags_or;
	int bad;
};

static void feed_text(struct kms_import *im, const char *text)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		CHECK_INT(kms_import__line(im, p, nl - p), ==, 0);
		p = *nl ? nl + 1 : nl;
	}
}

static struct kms_import *import_file(const char *path)
{
	struct kms_import *im = kms_import__new(NULL);
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!im || !f) {
		T_FAIL("cannot open %s", path);
		if (f)
			fclose(f);
		kms_import__free(im);
		return NULL;
	}
	while ((n = getline(&line, &cap, f)) >= 0)
		CHECK_INT(kms_import__line(im, line, n), ==, 0);
	free(line);
	fclose(f);
	return im;
}

static void new_collector(struct readback *rb)
{
	struct collector_opts co = { .t0_ns = rb->ri.t0_mono_ns };

	if (rb->c)
		return;
	kmalloc_params__default(&co.kp, rb->ri.page_size ? rb->ri.page_size : 4096);
	rb->c = collector__new(&co);
}

static void readback_events(struct readback *rb, const struct recfile_section_info *sec)
{
	const void *rec;
	size_t pos = 0, len;
	struct kms_event ev;

	new_collector(rb);
	while (recfile_events__next(sec->data, sec->len, &pos, &rec, &len) == 1) {
		const struct kms_rec_hdr *h = rec;

		if (h->type < KMS_REC_TYPE_MAX)
			rb->nr_type[h->type]++;
		if (h->type == KMS_REC_KMALLOC || h->type == KMS_REC_CACHE_ALLOC)
			rb->alloc_flags_or |= h->flags;
		if (kms_decode(rec, len, &ev)) {
			rb->bad++;
			continue;
		}
		collector__event(rb->c, &ev, NULL);
	}
}

/* Write im into a tmpfile recording and read it back. */
static bool write_and_read(struct kms_import *im, struct readback *rb)
{
	struct recfile_section_info sec;
	struct recfile_writer *w;
	struct recfile_reader *r;
	FILE *f = tmpfile();
	int err;

	memset(rb, 0, sizeof(*rb));
	if (!f)
		return false;
	w = recfile_writer__new(f);
	CHECK(w != NULL);
	if (!w)
		return false;
	CHECK_INT(kms_import__write(im, w), ==, 0);
	recfile_writer__free(w);
	fflush(f);
	rewind(f);
	r = recfile_reader__new(f, NULL);
	CHECK(r != NULL);
	if (!r) {
		fclose(f);
		return false;
	}
	while ((err = recfile_reader__next_section(r, &sec, NULL)) == 1) {
		FILE *sf;

		switch (sec.type) {
		case KMS_SEC_META:
		case KMS_SEC_COUNTERS:
			CHECK_INT(runinfo__parse(&rb->ri, sec.data, sec.len), ==, 0);
			break;
		case KMS_SEC_EVENTS:
			readback_events(rb, &sec);
			break;
		case KMS_SEC_SYMBOLS:
			sf = fmemopen((void *)sec.data, sec.len, "r");
			CHECK(sf != NULL);
			if (sf) {
				rb->ks = ksyms__load(sf);
				fclose(sf);
			}
			break;
		}
	}
	CHECK_INT(err, ==, 0);
	new_collector(rb);
	rb->complete = recfile_reader__complete(r);
	recfile_reader__free(r);
	fclose(f);
	return rb->c && rb->ks;
}

static void readback_free(struct readback *rb)
{
	collector__free(rb->c);
	ksyms__free(rb->ks);
}

static const struct kms_site *find_site(const struct readback *rb, const char *name)
{
	size_t i;
	char buf[256];

	for (i = 0; i < collector__nr_sites(rb->c); i++) {
		const struct kms_site *s = collector__site(rb->c, i);

		ksyms__format(rb->ks, s->call_site, buf, sizeof(buf));
		if (!strcmp(buf, name))
			return s;
	}
	return NULL;
}

static const struct kms_cache *find_cache(const struct readback *rb, const char *name)
{
	size_t i;

	for (i = 0; i < collector__nr_caches(rb->c); i++)
		if (!strcmp(collector__cache(rb->c, i)->name, name))
			return collector__cache(rb->c, i);
	return NULL;
}

/* What both captures of `kmgen msgq 50 64` must show. */
static void check_msgq(const struct readback *rb)
{
	const struct kms_site *s = find_site(rb, "load_msg+0x41");
	const struct kms_cache *k = find_cache(rb, "kmalloc-128");

	CHECK(s != NULL);
	if (s) {
		CHECK_U64(s->t.allocs, 50);
		CHECK_U64(s->t.frees, 50);
		CHECK_U64(s->t.bytes_req, 50 * 112);
		CHECK_U64(s->t.bytes_alloc, 50 * 128);
		CHECK_U64(s->t.live, 0);
		CHECK_U64(s->req_min, 112);
		CHECK_U64(s->req_max, 112);
		CHECK_U64(s->gfp_or, 0xcc0);	/* GFP_KERNEL */
	}
	CHECK(k != NULL);
	if (k)
		CHECK_U64(k->t.allocs, 50);
	CHECK(rb->complete);
	CHECK_INT(rb->bad, ==, 0);
}

TEST(ftrace_fixture)
{
	struct kms_import *im = import_file(FIXTURES "/import-ftrace.txt");
	const struct kms_import_stats *st;
	const struct kms_collect_counts *cc;
	const struct kms_cache *k;
	struct readback rb;

	if (!im)
		return;
	st = kms_import__stats(im);
	CHECK_U64(st->lines, 531);
	CHECK_U64(st->comments, 12);
	CHECK_U64(st->events[KMS_IMPORT_KMALLOC], 92);
	CHECK_U64(st->events[KMS_IMPORT_KFREE], 180);
	CHECK_U64(st->events[KMS_IMPORT_CACHE_ALLOC], 126);
	CHECK_U64(st->events[KMS_IMPORT_CACHE_FREE], 121);
	CHECK_U64(st->free_null, 109);
	CHECK_U64(st->bad, 0);
	CHECK_U64(st->other_events, 0);
	CHECK_U64(st->by_format[KMS_IMPORT_FTRACE], 519);
	CHECK_U64(st->ncpus, 2);
	CHECK(st->context);
	CHECK_STR(kms_import__method(im), "ftrace");
	CHECK_U64(st->t0_ns, 9760140216000ULL);
	if (!write_and_read(im, &rb)) {
		T_FAIL("no recording");
		goto out;
	}
	CHECK_STR(rb.ri.method, "ftrace");
	CHECK_STR(rb.ri.kernel, "imported");
	CHECK_U64(rb.ri.page_size, 4096);
	CHECK_U64(rb.ri.ncpus, 2);
	CHECK_U64(rb.ri.t0_mono_ns, 9760140216000ULL);
	CHECK_U64(rb.ri.counters[KMS_CNT_SEEN_KMALLOC], 92);
	CHECK_U64(rb.ri.counters[KMS_CNT_SEEN_KFREE], 180);
	CHECK_U64(rb.ri.counters[KMS_CNT_SEEN_CACHE_ALLOC], 126);
	CHECK_U64(rb.ri.counters[KMS_CNT_SEEN_CACHE_FREE], 121);
	CHECK_U64(rb.ri.counters[KMS_CNT_FREE_NULL], 109);
	CHECK_U64(rb.ri.counters[KMS_CNT_RB_FAIL], 0);
	cc = collector__counts(rb.c);
	CHECK_U64(cc->events[KMS_EV_KMALLOC], 92);
	CHECK_U64(cc->events[KMS_EV_KFREE], 180 - 109);
	CHECK_U64(cc->events[KMS_EV_CACHE_ALLOC], 126);
	CHECK_U64(cc->events[KMS_EV_CACHE_FREE], 121);
	CHECK_U64(cc->events[KMS_EV_TASK], 1);
	CHECK_U64(cc->unknown_cache, 0);
	CHECK_STR(collector__comm(rb.c, 13136), "kmgen");
	check_msgq(&rb);
	/* Named caches: sizes from the first allocation (filp 184 in 192). */
	k = find_cache(&rb, "filp");
	CHECK(k != NULL);
	if (k) {
		CHECK_U64(k->object_size, 184);
		CHECK_U64(k->size, 192);
		CHECK(!k->from_model);
	}
	/* The irq-info column: "dN.2." is task context, no irq flag. */
	CHECK_INT(rb.alloc_flags_or & (KMS_AF_HARDIRQ | KMS_AF_SOFTIRQ), ==, 0);
	CHECK(find_site(&rb, "create_filter_start.constprop.0+0x34") != NULL);
	readback_free(&rb);
out:
	kms_import__free(im);
}

TEST(perf_fixture)
{
	struct kms_import *im = import_file(FIXTURES "/import-perf.txt");
	const struct kms_import_stats *st;
	const struct kms_collect_counts *cc;
	struct readback rb;

	if (!im)
		return;
	st = kms_import__stats(im);
	CHECK_U64(st->lines, 314);
	CHECK_U64(st->comments, 0);
	CHECK_U64(st->events[KMS_IMPORT_KMALLOC], 67);
	CHECK_U64(st->events[KMS_IMPORT_KFREE], 137);
	CHECK_U64(st->events[KMS_IMPORT_CACHE_ALLOC], 95);
	CHECK_U64(st->events[KMS_IMPORT_CACHE_FREE], 15);
	CHECK_U64(st->free_null, 67);
	CHECK_U64(st->bad, 0);
	CHECK_U64(st->by_format[KMS_IMPORT_PERF], 314);
	CHECK_U64(st->ncpus, 1);
	CHECK(!st->context);
	CHECK_STR(kms_import__method(im), "perf");
	if (!write_and_read(im, &rb)) {
		T_FAIL("no recording");
		goto out;
	}
	CHECK_STR(rb.ri.method, "perf");
	CHECK_U64(rb.ri.counters[KMS_CNT_FREE_NULL], 67);
	cc = collector__counts(rb.c);
	CHECK_U64(cc->events[KMS_EV_KMALLOC], 67);
	CHECK_U64(cc->events[KMS_EV_KFREE], 137 - 67);
	CHECK_STR(collector__comm(rb.c, 14038), "kmgen");
	check_msgq(&rb);
	/* perf prints real pointers: the 50 load_msg objects are matched. */
	CHECK(find_site(&rb, "free_msg+0x0") == NULL);
	readback_free(&rb);
out:
	kms_import__free(im);
}

#define FT_PFX	"           kmgen-42      [001] d.h1.  100.000001: "
#define PF_PFX	"  my comm 42/43 [003]   200.000000500:    kmem:"
#define KMALLOC_F "call_site=foo+0x10/0x40 ptr=00000000deadbeef bytes_req=10 bytes_alloc=16 " \
		  "gfp_flags=GFP_KERNEL node=-1 accounted=false"

TEST(hostile_lines)
{
	static const char *const bad[] = {
		FT_PFX "kmalloc: call_site=foo+0x10/0x40 ptr=00000000deadbeef bytes_req=10",
		FT_PFX "kmalloc: call_site=foo+0x10/0x40 ptr=00000000deadbeef bytes_req=10 "
			"bytes_alloc=99999999999999999999999 gfp_flags=GFP_KERNEL",
		FT_PFX "kmalloc: call_site=foo+0x10/0x40 ptr=00000000deadbeef bytes_req=4294967296 "
			"bytes_alloc=16 gfp_flags=GFP_KERNEL",
		FT_PFX "kmalloc: call_site=foo+0x10/0x40 ptr=0x1deadbeef0000000000 bytes_req=1 "
			"bytes_alloc=16 gfp_flags=GFP_KERNEL",
		FT_PFX "kmalloc: call_site=foo+0x100000/0x200000 ptr=1 bytes_req=1 bytes_alloc=16 "
			"gfp_flags=GFP_KERNEL",
		FT_PFX "kmalloc: call_site=foo+0x10/0x40 ptr=1 ptr=2 bytes_req=1 bytes_alloc=16 "
			"gfp_flags=GFP_KERNEL",
		FT_PFX "kmalloc: call_site=foo+0x10/0x40 ptr=1 bytes_req=-1 bytes_alloc=16 "
			"gfp_flags=GFP_KERNEL",
		FT_PFX "kmalloc: call_site=foo+0x10/0x40 ptr=1 bytes_req=1 bytes_alloc=16 "
			"gfp_flags=GFP_KERNEL||",
		FT_PFX "kfree: call_site= ptr=1",
		FT_PFX "kfree: call_site=foo+0xzz ptr=1",
		FT_PFX "kfree: call_site=foo+0x1 ptr=(____ptrval____)",
		FT_PFX "kmem_cache_free: call_site=foo+0x1 ptr=1 name=",
		"           kmgen-42      [001] d.h1.  99999999999.000001: kfree: call_site=a+0x1 ptr=1",
		"           kmgen-42      [99999] d.h1.  1.000001: kfree: call_site=a+0x1 ptr=1",
		"           kmgen-99999999999 [001] d.h1.  1.000001: kfree: call_site=a+0x1 ptr=1",
		"kmgen-42 [001] 1.0000000001: kfree: call_site=a+0x1 ptr=1",
		"kmgen-42 [001]",
		"[001] 1.0: kfree: call_site=a+0x1 ptr=1",
		"kfree: call_site=a+0x1 ptr=1",
		"\x01\x02\xff\xfe garbage [0] \x80: \x90:",
		"kmgen-42 [001] 1.0: k\x01free: call_site=a+0x1 ptr=1",
	};
	struct kms_import *im = kms_import__new(NULL);
	const struct kms_import_stats *st;
	char big[KMS_IMPORT_MAX_LINE + 100];
	size_t i;

	if (!im)
		return;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t before = kms_import__stats(im)->bad;

		CHECK_INT(kms_import__line(im, bad[i], strlen(bad[i])), ==, 0);
		if (kms_import__stats(im)->bad != before + 1)
			T_FAIL("line %zu not counted as bad: %s", i, bad[i]);
	}
	/* A NUL inside a line, and a line over the limit. */
	CHECK_INT(kms_import__line(im, FT_PFX "kfree: call_site=a+0x1\0 ptr=1",
				   sizeof(FT_PFX "kfree: call_site=a+0x1\0 ptr=1") - 1), ==, 0);
	memset(big, 'a', sizeof(big));
	CHECK_INT(kms_import__line(im, big, sizeof(big)), ==, 0);
	st = kms_import__stats(im);
	CHECK_U64(st->bad, ARRAY_SIZE(bad) + 2);
	CHECK_U64(st->records, 0);
	CHECK_U64(st->nr_funcs, 0);
	/* Other events are skipped, counted apart. */
	feed_text(im, "  kmgen-42 [000] ..... 1.5: sched_switch: prev_comm=a prev_pid=1\n"
		      "  kmgen 42 [000] 1.5: kmem:mm_page_alloc: page=0x1 pfn=0x2 order=0\n"
		      "# comment\n\n");
	CHECK_U64(st->other_events, 2);
	CHECK_U64(st->comments, 2);
	CHECK_U64(st->records, 0);
	kms_import__free(im);
}

/* Every prefix of real lines, and random bytes: no crash (ASan), no records from junk. */
TEST(truncations_and_junk)
{
	static const char *const good[] = {
		FT_PFX "kmem_cache_alloc: call_site=foo+0x10/0x40 [mymod] ptr=00000000deadbeef "
			"name=my_cache bytes_req=10 bytes_alloc=16 gfp_flags=GFP_KERNEL node=-1 "
			"accounted=false",
		PF_PFX "kmalloc: call_site=load_msg+0x41 ptr=0xffff8881a89cfa80 bytes_req=112 "
			"bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false",
	};
	struct kms_import *im = kms_import__new(NULL);
	char buf[600];
	size_t i, n;
	unsigned int seed = 1;

	if (!im)
		return;
	for (i = 0; i < ARRAY_SIZE(good); i++)
		for (n = 0; n <= strlen(good[i]); n++)
			CHECK_INT(kms_import__line(im, good[i], n), ==, 0);
	for (i = 0; i < 20000; i++) {
		size_t len = rand_r(&seed) % sizeof(buf);

		for (n = 0; n < len; n++)
			buf[n] = rand_r(&seed);
		CHECK_INT(kms_import__line(im, buf, len), ==, 0);
	}
	/* Random bytes spliced into a real line. */
	for (i = 0; i < 20000; i++) {
		size_t len = strlen(good[1]);

		memcpy(buf, good[1], len);
		buf[rand_r(&seed) % len] = rand_r(&seed);
		buf[rand_r(&seed) % len] = rand_r(&seed);
		CHECK_INT(kms_import__line(im, buf, len), ==, 0);
	}
	CHECK(kms_import__stats(im)->lines > 40000);
	kms_import__free(im);
}

TEST(null_frees_irq_modules_caches)
{
	struct kms_import *im = kms_import__new(&(struct kms_import_opts){
		.kernel = "6.18.0-test", .page_size = 16384 });
	const struct kms_import_stats *st;
	const struct kms_site *s;
	const struct kms_cache *k;
	struct readback rb;

	if (!im)
		return;
	feed_text(im,
		  FT_PFX "kmalloc: " KMALLOC_F "\n"
		  "  kmgen-42 [001] ..s1. 100.000002: kmalloc: call_site=foo+0x10/0x40 "
		  "ptr=00000000deadbee0 bytes_req=10 bytes_alloc=16 gfp_flags=GFP_ATOMIC node=-1 "
		  "accounted=false\n"
		  "  kmgen-42 [001] ..... 100.000003: kfree: call_site=bar+0x1/0x20 ptr=0000000000000000\n"
		  "  kmgen-42 [001] ..... 100.000004: kfree: call_site=bar+0x1/0x20 ptr=0000000000000010\n"
		  "  kmgen-42 [001] ..... 100.000005: kfree: call_site=bar+0x1/0x20 ptr=00000000deadbeef\n"
		  PF_PFX "kfree: call_site=bar+0x1 ptr=(nil)\n"
		  PF_PFX "kfree: call_site=bar+0x1 ptr=0x10\n"
		  PF_PFX "kmem_cache_free: call_site=bar+0x5 ptr=0x0 name=my_cache\n"
		  /* a free of a cache before its first allocation: sizes come later */
		  PF_PFX "kmem_cache_free: call_site=bar+0x5 ptr=0xffff888100000000 name=my_cache\n"
		  PF_PFX "kmem_cache_alloc: call_site=baz+0x8 [mymod] ptr=0xffff888100000100 "
		  "name=my_cache bytes_req=200 bytes_alloc=208 gfp_flags=GFP_KERNEL|__GFP_ZERO|"
		  "__GFP_NO_OBJ_EXT node=-1 accounted=false\n"
		  /* 5.15-style: no name, bytes inline; 0 = failed */
		  PF_PFX "kmem_cache_alloc: call_site=baz+0x9 [mymod] ptr=0x0 bytes_req=64 "
		  "bytes_alloc=64 gfp_flags=none node=-1\n"
		  /* an unresolved call site stays an address */
		  PF_PFX "kmalloc: call_site=0xffffffffc0001234 ptr=0xffff888100000200 bytes_req=1 "
		  "bytes_alloc=8 gfp_flags=0xcc0 node=-1 accounted=false\n");
	st = kms_import__stats(im);
	CHECK_U64(st->bad, 0);
	CHECK_U64(st->free_null, 5);
	CHECK_U64(st->events[KMS_IMPORT_KFREE], 5);
	CHECK_U64(st->events[KMS_IMPORT_CACHE_FREE], 2);
	CHECK_U64(st->events[KMS_IMPORT_CACHE_ALLOC], 2);
	CHECK_U64(st->events[KMS_IMPORT_KMALLOC], 3);
	CHECK_U64(st->gfp_unknown, 1);
	CHECK_U64(st->ncpus, 4);
	CHECK_U64(st->nr_funcs, 3);	/* foo, bar, baz [mymod] */
	CHECK_U64(st->nr_caches, 1);
	CHECK_U64(st->nr_tasks, 2);	/* kmgen 42; "my comm" 43 */
	CHECK_U64(st->t0_ns, 100000001000ULL);
	CHECK_U64(st->t_last_ns, 200000000500ULL);
	if (!write_and_read(im, &rb)) {
		T_FAIL("no recording");
		goto out;
	}
	CHECK_STR(rb.ri.kernel, "6.18.0-test");
	CHECK_U64(rb.ri.page_size, 16384);
	CHECK_U64(rb.ri.counters[KMS_CNT_FREE_NULL], 5);
	CHECK_U64(rb.nr_type[KMS_REC_CACHE_INFO], 1);
	CHECK_U64(rb.nr_type[KMS_REC_TASK], 2);
	CHECK_INT(rb.alloc_flags_or & (KMS_AF_HARDIRQ | KMS_AF_SOFTIRQ | KMS_AF_FAILED |
				       KMS_AF_BYTES_INLINE),
		  ==, KMS_AF_HARDIRQ | KMS_AF_SOFTIRQ | KMS_AF_FAILED | KMS_AF_BYTES_INLINE);
	CHECK_STR(collector__comm(rb.c, 43), "my comm");
	s = find_site(&rb, "foo+0x10");
	CHECK(s != NULL);
	if (s) {
		CHECK_U64(s->t.allocs, 2);
		CHECK_U64(s->t.frees, 1);
		CHECK_U64(s->ctx[KMS_CTX_HARDIRQ], 1);
		CHECK_U64(s->ctx[KMS_CTX_SOFTIRQ], 1);
	}
	s = find_site(&rb, "baz+0x8 [mymod]");
	CHECK(s != NULL);
	if (s)
		CHECK_U64(s->gfp_or, 0xdc0);	/* GFP_KERNEL|__GFP_ZERO, bit 24 dropped */
	CHECK(find_site(&rb, "0xffffffffc0001234") != NULL);
	k = find_cache(&rb, "my_cache");
	CHECK(k != NULL);
	if (k) {
		CHECK_U64(k->object_size, 200);
		CHECK_U64(k->size, 208);
		CHECK_U64(k->t.allocs, 1);
		CHECK_U64(k->frees_pretrace, 1);
	}
	readback_free(&rb);
out:
	kms_import__free(im);
}

/*
 * One real capture on 6.18 through two tracefs instances at once, one in
 * the default format, one with options/latency-format ("COMM-PID CPUFLAGS
 * USECSus[+!]: ..."): the same 688 events give the same sites and caches.
 * The capture has <idle>-0 softirq frees (pid 0) and sigqueue
 * allocations under spin_lock_irqsave ("dN.2.").
 */
TEST(latency_format)
{
	struct kms_import *a = import_file(FIXTURES "/import-ftrace-irqinfo.txt");
	struct kms_import *b = import_file(FIXTURES "/import-ftrace-latency.txt");
	struct readback ra, rb;
	const struct kms_site *s;
	size_t i;

	CHECK(a && b);
	if (!a || !b)
		goto out;
	CHECK_U64(kms_import__stats(a)->bad, 0);
	CHECK_U64(kms_import__stats(b)->bad, 0);
	CHECK_U64(kms_import__stats(b)->comments, 18);
	for (i = 0; i < KMS_IMPORT_NR_EVENTS; i++)
		CHECK_U64(kms_import__stats(b)->events[i], kms_import__stats(a)->events[i]);
	CHECK_U64(kms_import__stats(b)->events[KMS_IMPORT_CACHE_FREE], 385);
	/* microseconds: the first event at 15380811673 us */
	CHECK_U64(kms_import__stats(b)->t0_ns, 15380811673000ULL);
	if (!write_and_read(a, &ra))
		goto out;
	if (!write_and_read(b, &rb)) {
		readback_free(&ra);
		goto out;
	}
	CHECK(rb.ri.context && rb.ri.preempt);
	CHECK_U64(collector__nr_sites(rb.c), collector__nr_sites(ra.c));
	for (i = 0; i < collector__nr_sites(ra.c); i++) {
		const struct kms_site *x = collector__site(ra.c, i), *y = collector__site(rb.c, i);

		CHECK_U64(y->call_site, x->call_site);
		CHECK_U64(y->t.allocs, x->t.allocs);
		CHECK_U64(y->t.frees, x->t.frees);
		CHECK_U64(y->t.bytes_req, x->t.bytes_req);
		CHECK(!memcmp(y->ctx, x->ctx, sizeof(x->ctx)));
	}
	/* kill(): the sigqueue under the sighand lock, IRQs off, depth 2 */
	s = find_site(&rb, "__send_signal_locked+0x98");
	CHECK(s && s->t.allocs == 3 && s->ctx[KMS_CTX_PREEMPT_OFF] == 3 && !s->sleep_in_irq);
	readback_free(&ra);
	readback_free(&rb);
out:
	kms_import__free(a);
	kms_import__free(b);
}

/* The irq-info column: irqs-off/BH-off, hardirq/softirq, preempt depth. */
TEST(irq_info_flags)
{
	struct kms_import *im = kms_import__new(&(struct kms_import_opts){ 0 });
	struct readback rb;
	const struct kms_site *s;
	static const struct { const char *site; unsigned int want; } cases[] = {
		{ "plain+0x1", 0 },
		{ "depth+0x1", 1u << KMS_CTX_PREEMPT_OFF },
		{ "irqsoff+0x1", 1u << KMS_CTX_PREEMPT_OFF },
		{ "bhoff+0x1", 1u << KMS_CTX_BH_OFF },
		{ "both+0x1", (1u << KMS_CTX_PREEMPT_OFF) | (1u << KMS_CTX_BH_OFF) },
		{ "hard+0x1", (1u << KMS_CTX_HARDIRQ) | (1u << KMS_CTX_PREEMPT_OFF) },
		{ "lat+0x1", (1u << KMS_CTX_SOFTIRQ) | (1u << KMS_CTX_PREEMPT_OFF) },
	};
	size_t i;
	int c;

	if (!im)
		return;
#define L(flags, site, p) "  kmgen-42 [001] " flags " 100.000001: kmalloc: call_site=" site \
	"/0x40 ptr=00000000000" p "00 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
	feed_text(im, L(".....", "plain+0x1", "1") L("...3.", "depth+0x1", "2")
		  L("d....", "irqsoff+0x1", "3") L("b....", "bhoff+0x1", "4")
		  L("D....", "both+0x1", "5") L("d.h1.", "hard+0x1", "6")
		  "   kmgen-42     1..s1. 100000001us!: kmalloc: call_site=lat+0x1/0x40 "
		  "ptr=0000000000000700 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_ATOMIC\n");
#undef L
	CHECK_U64(kms_import__stats(im)->bad, 0);
	CHECK_U64(kms_import__stats(im)->events[KMS_IMPORT_KMALLOC], 7);
	if (!write_and_read(im, &rb))
		goto out;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int got = 0;

		s = find_site(&rb, cases[i].site);
		CHECK(s != NULL);
		for (c = 0; s && c < KMS_CTX_MAX; c++)
			got |= s->ctx[c] ? 1u << c : 0;
		CHECK_INT(got, ==, cases[i].want);
	}
	/* GFP_KERNEL with anything atomic is a bug; plain is not */
	s = find_site(&rb, "bhoff+0x1");
	CHECK(s && s->sleep_in_irq == 1);
	s = find_site(&rb, "plain+0x1");
	CHECK(s && s->sleep_in_irq == 0);
	readback_free(&rb);
out:
	kms_import__free(im);
}

TEST(empty_input)
{
	struct kms_import *im = kms_import__new(NULL);
	struct readback rb;

	if (!im)
		return;
	if (write_and_read(im, &rb)) {
		CHECK(rb.complete);
		CHECK_U64(collector__nr_sites(rb.c), 0);
		CHECK_U64(ksyms__count(rb.ks), 1);	/* the end symbol */
	}
	readback_free(&rb);
	kms_import__free(im);
}

int main(void)
{
	t_suite = "import";
	RUN(ftrace_fixture);
	RUN(perf_fixture);
	RUN(latency_format);
	RUN(irq_info_flags);
	RUN(hostile_lines);
	RUN(truncations_and_junk);
	RUN(null_frees_irq_modules_caches);
	RUN(empty_input);
	return test_done();
}
