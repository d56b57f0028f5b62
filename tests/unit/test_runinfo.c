// SPDX-License-Identifier: GPL-2.0
/*
 * test_runinfo.c - unit tests for src/runinfo.c: the exact META and
 * COUNTERS text (its key names are part of the record format), a round
 * trip through runinfo__parse() that gives back every field, and the
 * parser's handling of unknown keys, lines without '=', values longer
 * than their field and text that is not NUL-terminated; counter names
 * and runinfo__seen().
 */
#include <errno.h>
#include <stdlib.h>

#include "runinfo.h"
#include "util.h"
#include "test.h"

/* Write with fn into a memory buffer; the caller frees the text. */
static char *write_text(int (*fn)(const struct runinfo *, FILE *),
			const struct runinfo *ri, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (fn(ri, f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

/* A run with every field set to something its type can only just hold. */
static void fill(struct runinfo *ri)
{
	memset(ri, 0, sizeof(*ri));
	strcpy(ri->kernel, "6.8.0-45-generic #45-Ubuntu SMP PREEMPT_DYNAMIC");
	strcpy(ri->method, "tp_btf");
	strcpy(ri->hostname, "build-host.example.org");
	strcpy(ri->command, "./mytest --size 4096 'a b'");
	strcpy(ri->filters, "--pid 1234 --min-size 64");
	ri->page_size = 65536;
	ri->ncpus = 4294967295u;		/* UINT32_MAX */
	ri->t0_mono_ns = 18446744073709551615ull;	/* UINT64_MAX */
	ri->t0_real_ns = 1732615662123456789ull;
	ri->ptr_probe_read = true;
	ri->task_ctx = true;
	ri->rcu_nesting = true;
	ri->rcu_sheaf = KMS_SHEAF_UNTRACED;
	ri->duration_ns = 10000000001ull;
	for (int i = 0; i < KMS_CNT_MAX; i++)
		ri->counters[i] = (uint64_t)(i + 1) * 1000003;
	ri->counters[KMS_CNT_INFO_LOST] = 18446744073709551615ull;
	ri->recursion_misses = 7;
	ri->main_misses = 5;
	ri->alloc_misses = 2;
	ri->has_main_misses = true;
	ri->backup = KMS_BACKUP_ALL;
	ri->caches_dropped = true;
	ri->pair = true;
	ri->paired = 123456789012ull;
	ri->held_end = 8191;
	ri->has_counters = true;
	ri->exit_status = 255;
}

#define CHECK_SAME(a, b)                                                   \
	do {                                                               \
		CHECK_STR((a)->kernel, (b)->kernel);                       \
		CHECK_STR((a)->method, (b)->method);                       \
		CHECK_STR((a)->hostname, (b)->hostname);                   \
		CHECK_STR((a)->command, (b)->command);                     \
		CHECK_STR((a)->filters, (b)->filters);                     \
		CHECK_U64((a)->page_size, (b)->page_size);                 \
		CHECK_U64((a)->ncpus, (b)->ncpus);                         \
		CHECK_U64((a)->t0_mono_ns, (b)->t0_mono_ns);               \
		CHECK_U64((a)->t0_real_ns, (b)->t0_real_ns);               \
		CHECK_INT((a)->ptr_probe_read, ==, (b)->ptr_probe_read);   \
		CHECK_INT((a)->task_ctx, ==, (b)->task_ctx);               \
		CHECK_INT((a)->rcu_nesting, ==, (b)->rcu_nesting);         \
		CHECK_INT((a)->rcu_sheaf, ==, (b)->rcu_sheaf);             \
		CHECK_U64((a)->duration_ns, (b)->duration_ns);             \
		for (int _i = 0; _i < KMS_CNT_MAX; _i++)                   \
			CHECK_U64((a)->counters[_i], (b)->counters[_i]);   \
		CHECK_U64((a)->recursion_misses, (b)->recursion_misses);   \
		CHECK_U64((a)->main_misses, (b)->main_misses);             \
		CHECK_U64((a)->alloc_misses, (b)->alloc_misses);           \
		CHECK_INT((a)->has_main_misses, ==, (b)->has_main_misses); \
		CHECK_INT((a)->backup, ==, (b)->backup);                   \
		CHECK_INT((a)->caches_dropped, ==, (b)->caches_dropped);   \
		CHECK_INT((a)->pair, ==, (b)->pair);                       \
		CHECK_U64((a)->paired, (b)->paired);                       \
		CHECK_U64((a)->held_end, (b)->held_end);                   \
		CHECK_INT((a)->has_counters, ==, (b)->has_counters);       \
		CHECK_INT((a)->exit_status, ==, (b)->exit_status);         \
	} while (0)

TEST(meta_text)
{
	static const char want[] =
		"kernel=6.8.0-45-generic #45-Ubuntu SMP PREEMPT_DYNAMIC\n"
		"method=tp_btf\n"
		"hostname=build-host.example.org\n"
		"command=./mytest --size 4096 'a b'\n"
		"filters=--pid 1234 --min-size 64\n"
		"rcu_sheaf=1\n"
		"pair=1\n"
		"cmdline=\n"
		"page_size=65536\n"
		"ncpus=4294967295\n"
		"t0_mono_ns=18446744073709551615\n"
		"t0_real_ns=1732615662123456789\n"
		"ptr_probe_read=1\n"
		"kfunc_cache=0\n"
		"rcu_bulk_traced=0\n"
		"context=0\n"
		"followed=0\n"
		"preempt=0\n"
		"task_ctx=1\n"
		"rcu_nesting=1\n";
	struct runinfo ri;
	size_t len = 0;
	char *text;

	fill(&ri);
	text = write_text(runinfo__write_meta, &ri, &len);
	CHECK(text);
	if (!text)
		return;
	CHECK_STR(text, want);
	CHECK_INT(len, ==, strlen(want));
	free(text);
}

TEST(counters_text)
{
	static const char want[] =
		"duration_ns=10000000001\n"
		"recursion_misses=7\n"
		"exit_status=255\n"
		"recursion_misses_main=5\n"
		"recursion_misses_alloc=2\n"
		"recursion_backup=1\n"
		"caches_dropped=1\n"
		"paired=123456789012\n"
		"held_end=8191\n"
		/* counters[i] = (i + 1) * 1000003, in enum kms_counter order */
		"seen_kmalloc=1000003\n"
		"seen_kfree=2000006\n"
		"seen_kmem_cache_alloc=3000009\n"
		"seen_kmem_cache_free=4000012\n"
		"free_null=5000015\n"
		"filtered=6000018\n"
		"free_untracked=7000021\n"
		"ringbuf_lost=8000024\n"
		"track_full=9000027\n"
		"info_lost=18446744073709551615\n"	/* set to UINT64_MAX */
		"self=11000033\n"
		"seen_rcu_free=12000036\n"
		"stack_lost=13000039\n"
		"recursion_recovered=14000042\n"
		"seen_sheaf_free=15000045\n"
		"seen_rcu_call=16000048\n";
	struct runinfo ri;
	size_t len = 0;
	char *text;

	CHECK_INT(KMS_CNT_MAX, ==, 16);		/* want[] lists sixteen */
	fill(&ri);
	text = write_text(runinfo__write_counters, &ri, &len);
	CHECK(text);
	if (!text)
		return;
	CHECK_STR(text, want);
	free(text);
}

TEST(round_trip)
{
	struct runinfo ri, back;
	size_t mlen = 0, clen = 0;
	char *meta, *counters;

	fill(&ri);
	meta = write_text(runinfo__write_meta, &ri, &mlen);
	counters = write_text(runinfo__write_counters, &ri, &clen);
	CHECK(meta && counters);
	if (!meta || !counters)
		goto out;
	memset(&back, 0, sizeof(back));
	CHECK_INT(runinfo__parse(&back, meta, mlen), ==, 0);
	/* META alone says nothing about counters. */
	CHECK(!back.has_counters);
	CHECK_U64(back.duration_ns, 0);
	CHECK_INT(runinfo__parse(&back, counters, clen), ==, 0);
	CHECK_SAME(&back, &ri);

	/* A run without a command: exit_status -1, empty strings. */
	memset(&ri, 0, sizeof(ri));
	strcpy(ri.method, "tracepoint");
	ri.exit_status = -1;
	ri.has_counters = true;		/* parsing counter lines sets it */
	free(meta);
	free(counters);
	meta = write_text(runinfo__write_meta, &ri, &mlen);
	counters = write_text(runinfo__write_counters, &ri, &clen);
	CHECK(meta && counters);
	if (!meta || !counters)
		goto out;
	/* Into a struct full of junk: every field is overwritten. */
	memset(&back, 0x5a, sizeof(back));
	back.has_counters = false;
	back.has_main_misses = false;	/* written only by runs that have them */
	back.main_misses = 0;
	back.alloc_misses = 0;
	back.backup = KMS_BACKUP_NONE;
	back.caches_dropped = false;	/* written only when they were */
	back.pair = false;		/* ... and these only with --pair */
	back.paired = back.held_end = 0;
	back.ptr_probe_read = true;
	back.rcu_sheaf = KMS_SHEAF_NONE;	/* written only when the kernel has sheaves */
	runinfo__parse(&back, meta, mlen);
	runinfo__parse(&back, counters, clen);
	CHECK_SAME(&back, &ri);
out:
	free(meta);
	free(counters);
}

/* Values are one line each: a newline in a command becomes a space. */
TEST(newline_in_value)
{
	struct runinfo ri, back;
	size_t len = 0;
	char *text;

	memset(&ri, 0, sizeof(ri));
	strcpy(ri.command, "sh -c 'echo a\necho b'\n");
	text = write_text(runinfo__write_meta, &ri, &len);
	CHECK(text);
	if (!text)
		return;
	CHECK(strstr(text, "command=sh -c 'echo a echo b' \n"));
	memset(&back, 0, sizeof(back));
	runinfo__parse(&back, text, len);
	CHECK_STR(back.command, "sh -c 'echo a echo b' ");
	CHECK_U64(back.page_size, 0);	/* the next line still parsed */
	free(text);
}

TEST(unknown_and_malformed)
{
	static const char text[] =
		"# a comment without an equals sign\n"
		"future_key=12345\n"
		"kernel=6.1.0\n"
		"\n"
		"=orphan value\n"
		"page_size\n"
		"ncpus=16\n"
		"kernelx=not the kernel\n"
		"kerne=nor this\n"
		"seen_kmallocs=99\n"
		"KERNEL=case matters\n"
		"method=tracepoint";	/* last line, no newline */
	struct runinfo ri;

	memset(&ri, 0, sizeof(ri));
	CHECK_INT(runinfo__parse(&ri, text, strlen(text)), ==, 0);
	CHECK_STR(ri.kernel, "6.1.0");		/* only the exact key */
	CHECK_U64(ri.ncpus, 16);
	CHECK_U64(ri.page_size, 0);		/* "page_size" had no '=' */
	CHECK_STR(ri.method, "tracepoint");
	CHECK_STR(ri.hostname, "");
	for (int i = 0; i < KMS_CNT_MAX; i++)
		CHECK_U64(ri.counters[i], 0);	/* seen_kmallocs is not one */
	CHECK(!ri.has_counters);
	CHECK_INT(runinfo__parse(&ri, "", 0), ==, 0);
	CHECK_STR(ri.kernel, "6.1.0");		/* nothing: nothing changes */
	/* An empty value is a value: it clears the field. */
	runinfo__parse(&ri, "kernel=\n", 8);
	CHECK_STR(ri.kernel, "");
}

TEST(long_values)
{
	char text[600], want[300];
	struct runinfo ri;
	int n;

	/* 40 bytes into method[32]: 31 kept, then the NUL. */
	memset(&ri, 0x5a, sizeof(ri));
	n = snprintf(text, sizeof(text), "method=%040d\n", 0);
	runinfo__parse(&ri, text, n);
	CHECK_INT(strlen(ri.method), ==, 31);
	memset(want, '0', 31);
	want[31] = 0;
	CHECK_STR(ri.method, want);
	CHECK_INT(ri.method[31], ==, 0);

	/* Exactly the field size less one: kept whole. */
	n = snprintf(text, sizeof(text), "method=%031d\n", 0);
	runinfo__parse(&ri, text, n);
	CHECK_INT(strlen(ri.method), ==, 31);

	/* 300 bytes into command[256]: 255 kept. */
	memset(want, 'c', 300);
	n = snprintf(text, sizeof(text), "command=%.300s\nncpus=3\n", want);
	runinfo__parse(&ri, text, n);
	CHECK_INT(strlen(ri.command), ==, 255);
	CHECK_U64(ri.ncpus, 3);			/* parsing went on after it */

	/* hostname[65]: a 64-byte name (the kernel's limit) fits. */
	memset(want, 'h', 64);
	want[64] = 0;
	n = snprintf(text, sizeof(text), "hostname=%s\n", want);
	runinfo__parse(&ri, text, n);
	CHECK_STR(ri.hostname, want);
}

/*
 * The parser takes (text, len): nothing at or after text[len] is part of
 * the text, even when the bytes there look like more of the last value.
 */
TEST(length_bounds_the_text)
{
	static const char text[] = "ncpus=1234\nexit_status=42";
	struct runinfo ri;

	memset(&ri, 0, sizeof(ri));
	/* Cut after "ncpus=12": the value is 12. */
	runinfo__parse(&ri, text, 8);
	CHECK_U64(ri.ncpus, 12);
	/* Cut after "exit_status=4": the value is 4, not 42. */
	runinfo__parse(&ri, text, strlen(text) - 1);
	CHECK_INT(ri.exit_status, ==, 4);
	/* Cut after "method=tp": "tp". */
	runinfo__parse(&ri, "method=tp_btf", 9);
	CHECK_STR(ri.method, "tp");
}

TEST(counter_names)
{
	/* The key names of COUNTERS, in enum kms_counter order. */
	static const char *const want[KMS_CNT_MAX] = {
		"seen_kmalloc", "seen_kfree", "seen_kmem_cache_alloc",
		"seen_kmem_cache_free", "free_null", "filtered",
		"free_untracked", "ringbuf_lost", "track_full", "info_lost",
		"self", "seen_rcu_free", "stack_lost", "recursion_recovered",
		"seen_sheaf_free", "seen_rcu_call",
	};

	for (int i = 0; i < KMS_CNT_MAX; i++)
		CHECK_STR(kms_counter_name((enum kms_counter)i), want[i]);
	CHECK_STR(kms_counter_name(KMS_CNT_MAX), "?");	/* out of range */
	CHECK_STR(kms_counter_name((enum kms_counter)-1), "?");
}

TEST(seen)
{
	struct runinfo ri;

	memset(&ri, 0, sizeof(ri));
	CHECK_U64(runinfo__seen(&ri), 0);
	for (int i = 0; i < KMS_CNT_MAX; i++)
		ri.counters[i] = 50000;		/* not seen counters: ignored */
	ri.counters[KMS_CNT_SEEN_KMALLOC] = 1;
	ri.counters[KMS_CNT_SEEN_KFREE] = 20;
	ri.counters[KMS_CNT_SEEN_CACHE_ALLOC] = 300;
	ri.counters[KMS_CNT_SEEN_CACHE_FREE] = 4000;
	ri.counters[KMS_CNT_SEEN_RCU_FREE] = 50000;	/* kfree_rcu batch pointers */
	ri.counters[KMS_CNT_SEEN_SHEAF_FREE] = 600000;	/* kfree_rcu() into sheaves */
	ri.counters[KMS_CNT_SEEN_RCU_CALL] = 7000000;	/* kfree_rcu() calls */
	CHECK_U64(runinfo__seen(&ri), 7654321);	/* 1 + 20 + ... + 600000 + 7000000 */
}

/* Unseen: the main programs' misses less what the backups recovered; lost adds the ring's. */
TEST(unseen)
{
	static const char old[] = "recursion_misses=9\n";
	static const char now[] = "recursion_misses=9\nrecursion_misses_main=6\n"
				  "recursion_backup=1\nrecursion_recovered=4\n";
	struct runinfo ri;

	memset(&ri, 0, sizeof(ri));
	CHECK_INT(runinfo__parse(&ri, old, strlen(old)), ==, 0);
	CHECK(!ri.has_main_misses);	/* a recording from before the backups */
	CHECK_U64(runinfo__unseen(&ri), 9);	/* nothing recovered: every skip */
	ri.counters[KMS_CNT_RB_FAIL] = 5;
	CHECK_U64(runinfo__events_lost(&ri), 14);
	ri.counters[KMS_CNT_RB_FAIL] = 0;
	CHECK_INT(runinfo__parse(&ri, now, strlen(now)), ==, 0);
	CHECK(ri.has_main_misses && ri.backup == KMS_BACKUP_ALL);
	CHECK_U64(ri.recursion_misses, 9);	/* the kernel's, every program */
	CHECK_U64(runinfo__unseen(&ri), 2);
	CHECK_U64(runinfo__events_lost(&ri), 2);	/* lost: unseen, not the raw 9 */
	ri.counters[KMS_CNT_RECOVERED] = 7;	/* never below 0 */
	CHECK_U64(runinfo__unseen(&ri), 0);
}

/* The backups' scope: 0 none, 1 every event (as before the frees' scope), 2 the frees. */
TEST(backup_scope)
{
	static const char *const text[] = { "recursion_backup=0\n", "recursion_backup=1\n",
					     "recursion_backup=2\n" };
	static const enum kms_backup want[] = { KMS_BACKUP_NONE, KMS_BACKUP_ALL,
						KMS_BACKUP_FREES };
	struct runinfo ri;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		memset(&ri, 0, sizeof(ri));
		CHECK_INT(runinfo__parse(&ri, text[i], strlen(text[i])), ==, 0);
		CHECK_INT(ri.backup, ==, want[i]);
	}
	CHECK_STR(kms_backup__name(KMS_BACKUP_FREES), "frees");
	CHECK_STR(kms_backup__name(KMS_BACKUP_ALL), "all");
	CHECK_STR(kms_backup__name(KMS_BACKUP_NONE), "none");
	CHECK(kms_backup__frees(KMS_BACKUP_FREES) && !kms_backup__allocs(KMS_BACKUP_FREES));
	CHECK(kms_backup__frees(KMS_BACKUP_ALL) && kms_backup__allocs(KMS_BACKUP_ALL));
	CHECK(!kms_backup__frees(KMS_BACKUP_NONE) && !kms_backup__allocs(KMS_BACKUP_NONE));
	/* Written as it reads back. */
	memset(&ri, 0, sizeof(ri));
	ri.has_main_misses = true;
	ri.backup = KMS_BACKUP_FREES;
	f = open_memstream(&buf, &len);
	CHECK(f != NULL);
	if (!f)
		return;
	runinfo__write_counters(&ri, f);
	fclose(f);
	CHECK(strstr(buf, "\nrecursion_backup=2\n") != NULL);
	free(buf);
}

int main(void)
{
	t_suite = "runinfo";
	RUN(meta_text);
	RUN(counters_text);
	RUN(round_trip);
	RUN(newline_in_value);
	RUN(unknown_and_malformed);
	RUN(long_values);
	RUN(length_bounds_the_text);
	RUN(counter_names);
	RUN(seen);
	RUN(unseen);
	RUN(backup_scope);
	return test_done();
}
