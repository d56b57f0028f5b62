// SPDX-License-Identifier: GPL-2.0
/* runinfo.c - see runinfo.h.  The key names are part of the record format. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runinfo.h"
#include "util.h"

/* Every counter must have a name: the parser and writer walk all of them. */
static const char *const counter_names[KMS_CNT_MAX] = {
	[KMS_CNT_SEEN_KMALLOC] = "seen_kmalloc",
	[KMS_CNT_SEEN_KFREE] = "seen_kfree",
	[KMS_CNT_SEEN_CACHE_ALLOC] = "seen_kmem_cache_alloc",
	[KMS_CNT_SEEN_CACHE_FREE] = "seen_kmem_cache_free",
	[KMS_CNT_FREE_NULL] = "free_null",
	[KMS_CNT_FILTERED] = "filtered",
	[KMS_CNT_FREE_UNTRACKED] = "free_untracked",
	[KMS_CNT_RB_FAIL] = "ringbuf_lost",
	[KMS_CNT_TRACK_FULL] = "track_full",
	[KMS_CNT_INFO_LOST] = "info_lost",
	[KMS_CNT_SELF] = "self",
	[KMS_CNT_SEEN_RCU_FREE] = "seen_rcu_free",
	[KMS_CNT_STACK_LOST] = "stack_lost",
	[KMS_CNT_RECOVERED] = "recursion_recovered",
	[KMS_CNT_SEEN_SHEAF_FREE] = "seen_sheaf_free",
	[KMS_CNT_SEEN_RCU_CALL] = "seen_rcu_call",
};

const char *kms_counter_name(enum kms_counter c)
{
	return (unsigned int)c < KMS_CNT_MAX ? counter_names[c] : "?";
}

const char *runinfo__traced(const struct runinfo *ri)
{
	return ri->command[0] ? ri->command : ri->target[0] ? ri->target : "system-wide";
}

uint64_t runinfo__unseen(const struct runinfo *ri)
{
	uint64_t rec = ri->counters[KMS_CNT_RECOVERED];

	if (!ri->has_main_misses)
		return ri->recursion_misses;
	return ri->main_misses > rec ? ri->main_misses - rec : 0;
}

uint64_t runinfo__events_lost(const struct runinfo *ri)
{
	return ri->counters[KMS_CNT_RB_FAIL] + runinfo__unseen(ri);
}

uint64_t runinfo__seen(const struct runinfo *ri)
{
	return ri->counters[KMS_CNT_SEEN_KMALLOC] + ri->counters[KMS_CNT_SEEN_KFREE] +
	       ri->counters[KMS_CNT_SEEN_CACHE_ALLOC] + ri->counters[KMS_CNT_SEEN_CACHE_FREE] +
	       ri->counters[KMS_CNT_SEEN_RCU_FREE] + ri->counters[KMS_CNT_SEEN_SHEAF_FREE] +
	       ri->counters[KMS_CNT_SEEN_RCU_CALL];
}

/* Values are single-line: strip newlines a command line might carry. */
static void put_str(FILE *f, const char *key, const char *val)
{
	fprintf(f, "%s=", key);
	for (; *val; val++)
		fputc(*val == '\n' ? ' ' : *val, f);
	fputc('\n', f);
}

int runinfo__write_meta(const struct runinfo *ri, FILE *f)
{
	put_str(f, "kernel", ri->kernel);
	put_str(f, "method", ri->method);
	put_str(f, "hostname", ri->hostname);
	put_str(f, "command", ri->command);
	put_str(f, "filters", ri->filters);
	if (ri->target[0])
		put_str(f, "target", ri->target);
	if (ri->bulk_free[0])
		put_str(f, "bulk_free", ri->bulk_free);
	if (ri->rcu_sheaf != KMS_SHEAF_NONE)
		fprintf(f, "rcu_sheaf=%d\n", ri->rcu_sheaf);
	if (ri->rcu_call[0])
		put_str(f, "rcu_call", ri->rcu_call);
	if (ri->pair)
		fputs("pair=1\n", f);
	put_str(f, "cmdline", ri->cmdline);
	fprintf(f, "page_size=%u\nncpus=%u\nt0_mono_ns=%" PRIu64 "\nt0_real_ns=%" PRIu64
		"\nptr_probe_read=%d\nkfunc_cache=%d\nrcu_bulk_traced=%d\ncontext=%d\nfollowed=%d"
		"\npreempt=%d\ntask_ctx=%d\nrcu_nesting=%d\n", ri->page_size, ri->ncpus,
		ri->t0_mono_ns, ri->t0_real_ns, ri->ptr_probe_read, ri->kfunc_cache,
		ri->rcu_bulk_traced, ri->context, ri->followed, ri->preempt, ri->task_ctx,
		ri->rcu_nesting);
	return ferror(f) ? -EIO : 0;
}

int runinfo__write_counters(const struct runinfo *ri, FILE *f)
{
	int i;

	fprintf(f, "duration_ns=%" PRIu64 "\nrecursion_misses=%" PRIu64 "\nexit_status=%d\n",
		ri->duration_ns, ri->recursion_misses, ri->exit_status);
	if (ri->has_main_misses)
		fprintf(f, "recursion_misses_main=%" PRIu64 "\nrecursion_misses_alloc=%" PRIu64
			"\nrecursion_backup=%d\n", ri->main_misses, ri->alloc_misses,
			(int)ri->backup);
	if (ri->caches_dropped)
		fputs("caches_dropped=1\n", f);
	if (ri->pair)
		fprintf(f, "paired=%" PRIu64 "\nheld_end=%" PRIu64 "\n", ri->paired, ri->held_end);
	for (i = 0; i < KMS_CNT_MAX; i++)
		fprintf(f, "%s=%" PRIu64 "\n", counter_names[i], ri->counters[i]);
	return ferror(f) ? -EIO : 0;
}

static void set_str(char *dst, size_t size, const char *v, size_t vlen)
{
	size_t n = KMS_MIN(vlen, size - 1);

	memcpy(dst, v, n);
	dst[n] = 0;
}

static uint64_t to_u64(const char *v, size_t vlen)
{
	char buf[32];

	set_str(buf, sizeof(buf), v, vlen);
	return strtoull(buf, NULL, 10);
}

/* The text need not be NUL-terminated: convert a bounded copy. */
static int64_t to_s64(const char *v, size_t vlen)
{
	char buf[32];

	set_str(buf, sizeof(buf), v, vlen);
	return strtoll(buf, NULL, 10);
}

static void parse_kv(struct runinfo *ri, const char *k, size_t klen, const char *v, size_t vlen)
{
	struct { const char *key; char *dst; size_t size; } strs[] = {
		{ "kernel", ri->kernel, sizeof(ri->kernel) },
		{ "method", ri->method, sizeof(ri->method) },
		{ "hostname", ri->hostname, sizeof(ri->hostname) },
		{ "command", ri->command, sizeof(ri->command) },
		{ "filters", ri->filters, sizeof(ri->filters) },
		{ "target", ri->target, sizeof(ri->target) },
		{ "bulk_free", ri->bulk_free, sizeof(ri->bulk_free) },
		{ "rcu_call", ri->rcu_call, sizeof(ri->rcu_call) },
		{ "cmdline", ri->cmdline, sizeof(ri->cmdline) },
	};
	size_t i;

#define KEY_IS(s) (klen == strlen(s) && !memcmp(k, s, klen))
	for (i = 0; i < ARRAY_SIZE(strs); i++)
		if (KEY_IS(strs[i].key))
			return set_str(strs[i].dst, strs[i].size, v, vlen);
	for (i = 0; i < KMS_CNT_MAX; i++) {
		if (KEY_IS(counter_names[i])) {
			ri->counters[i] = to_u64(v, vlen);
			ri->has_counters = true;
			return;
		}
	}
	if (KEY_IS("page_size"))
		ri->page_size = to_u64(v, vlen);
	else if (KEY_IS("ncpus"))
		ri->ncpus = to_u64(v, vlen);
	else if (KEY_IS("t0_mono_ns"))
		ri->t0_mono_ns = to_u64(v, vlen);
	else if (KEY_IS("t0_real_ns"))
		ri->t0_real_ns = to_u64(v, vlen);
	else if (KEY_IS("ptr_probe_read"))
		ri->ptr_probe_read = to_u64(v, vlen) != 0;
	else if (KEY_IS("kfunc_cache"))
		ri->kfunc_cache = to_u64(v, vlen) != 0;
	else if (KEY_IS("rcu_bulk_traced"))
		ri->rcu_bulk_traced = to_u64(v, vlen) != 0;
	else if (KEY_IS("rcu_sheaf"))
		ri->rcu_sheaf = to_u64(v, vlen) <= KMS_SHEAF_TRACED ? (enum kms_sheaf)to_u64(v, vlen) :
								      KMS_SHEAF_UNTRACED;
	else if (KEY_IS("context"))
		ri->context = to_u64(v, vlen) != 0;
	else if (KEY_IS("followed"))
		ri->followed = to_u64(v, vlen) != 0;
	else if (KEY_IS("preempt"))
		ri->preempt = to_u64(v, vlen) != 0;
	else if (KEY_IS("task_ctx"))
		ri->task_ctx = to_u64(v, vlen) != 0;
	else if (KEY_IS("rcu_nesting"))
		ri->rcu_nesting = to_u64(v, vlen) != 0;
	else if (KEY_IS("duration_ns"))
		ri->duration_ns = to_u64(v, vlen);
	else if (KEY_IS("recursion_misses"))
		ri->recursion_misses = to_u64(v, vlen);
	else if (KEY_IS("recursion_misses_main")) {
		ri->main_misses = to_u64(v, vlen);
		ri->has_main_misses = true;
	} else if (KEY_IS("recursion_misses_alloc"))
		ri->alloc_misses = to_u64(v, vlen);
	else if (KEY_IS("recursion_backup"))
		ri->backup = to_u64(v, vlen) == KMS_BACKUP_FREES ? KMS_BACKUP_FREES :
			     to_u64(v, vlen) ? KMS_BACKUP_ALL : KMS_BACKUP_NONE;
	else if (KEY_IS("caches_dropped"))
		ri->caches_dropped = to_u64(v, vlen) != 0;
	else if (KEY_IS("pair"))
		ri->pair = to_u64(v, vlen) != 0;
	else if (KEY_IS("paired"))
		ri->paired = to_u64(v, vlen);
	else if (KEY_IS("held_end"))
		ri->held_end = to_u64(v, vlen);
	else if (KEY_IS("exit_status"))
		ri->exit_status = to_s64(v, vlen);
#undef KEY_IS
}

int runinfo__parse(struct runinfo *ri, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *line_end = nl ? nl : end;
		const char *eq = memchr(p, '=', line_end - p);

		if (eq)
			parse_kv(ri, p, eq - p, eq + 1, line_end - eq - 1);
		p = line_end + 1;
	}
	return 0;
}

__attribute__((format(printf, 4, 5)))
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n >= len)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	*n += k > 0 ? (size_t)k : 0;
}

const char *runinfo__damage(const struct runinfo *ri, char *buf, size_t len)
{
	size_t n = 0;

	if ((!ri->damaged_sections && !ri->cut_short) || !len)
		return NULL;
	buf[0] = '\0';
	if (ri->damaged_sections)
		append(buf, len, &n, "%" PRIu64 " sections (%" PRIu64 " bytes) skipped, ",
		       ri->damaged_sections, ri->damaged_bytes);
	if (ri->damaged_sections && !ri->damaged_uncounted)
		append(buf, len, &n, "%" PRIu64 " records lost", ri->damaged_records);
	else if (ri->damaged_sections && !ri->damaged_records)
		append(buf, len, &n, "the records lost unknown");
	else if (ri->damaged_sections)
		append(buf, len, &n, "%" PRIu64 " records lost and an unknown number in %"
		       PRIu64 " of them", ri->damaged_records, ri->damaged_uncounted);
	if (ri->cut_short)
		append(buf, len, &n, "%scut short before its END section", n ? "; " : "");
	return buf;
}

bool runinfo__classic(const struct runinfo *ri)
{
	return !strcmp(ri->method, "tracepoint");
}

const char *runinfo__context(const struct runinfo *ri, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", ri->preempt ? "preempt,hardirq,softirq" :
		 ri->context ? "hardirq,softirq" : "", ri->rcu_nesting ? ",rcu" : "",
		 ri->task_ctx ? ",memalloc-scope" : "");
	if (buf[0] == ',')
		memmove(buf, buf + 1, strlen(buf));
	if (!buf[0])
		snprintf(buf, len, "none");
	return buf;
}
