// SPDX-License-Identifier: GPL-2.0
/*
 * report_stat.c - see report_stat.h.  Rows are sorted by the chosen key
 * with a total order (key, then address or name) so that a replay prints
 * byte-for-byte what the live run printed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cgpaths.h"
#include "collect.h"
#include "json_writer.h"
#include "ksyms.h"
#include "promtext.h"
#include "report_cgroup.h"
#include "report_findings.h"
#include "report_membill.h"
#include "report_slabgrowth.h"
#include "report_large.h"
#include "report_lifetime.h"
#include "report_stat.h"
#include "runinfo.h"
#include "slabsys.h"
#include "stacks.h"
#include "util.h"

static const char *const sort_names[] = {
	[STAT_SORT_ALLOCS] = "allocs",	   [STAT_SORT_FREES] = "frees",
	[STAT_SORT_REQ] = "req",	   [STAT_SORT_ALLOC] = "alloc",
	[STAT_SORT_WASTE] = "waste",	   [STAT_SORT_LIVE] = "live",
	[STAT_SORT_LIVE_BYTES] = "live_bytes", [STAT_SORT_FAILED] = "failed",
};

int stat_sort_parse(const char *s, enum stat_sort *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sort_names); i++) {
		if (!strcmp(s, sort_names[i])) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

static uint64_t sort_key(const struct kms_totals *t, enum stat_sort s)
{
	switch (s) {
	case STAT_SORT_FREES: return t->frees;
	case STAT_SORT_REQ: return t->bytes_req;
	case STAT_SORT_ALLOC: return t->bytes_alloc;
	case STAT_SORT_WASTE: return t->bytes_alloc - t->bytes_req;
	case STAT_SORT_LIVE: return t->live;
	case STAT_SORT_LIVE_BYTES: return t->live_alloc;
	case STAT_SORT_FAILED: return t->failed;
	case STAT_SORT_ALLOCS: break;
	}
	return t->allocs;
}

/* The caches named in the re-allocation note of the text header. */
#define KMS_REALLOC_CACHES 5

/* One output row: a site or a cache (caches with the same name merged). */
struct row {
	const char *name;		/* cache name; NULL for sites */
	uint64_t addr;			/* call site */
	int32_t stack;			/* sites with -g */
	const char *source;		/* caches: "kernel" or "model" */
	uint32_t object_size, size;
	uint64_t frees_pretrace;
	uint64_t missed_frees;		/* re-allocated without free */
	uint64_t ctx[KMS_CTX_MAX];	/* sites: allocations per context */
	struct kms_totals t;
	struct kms_lifetime lt;		/* lifetimes of the objects freed */
	struct kms_lifetime ages;	/* ages of the live ones at the end */
};

/* qsort_r: arg is the enum stat_sort. */
static int row_cmp(const void *a, const void *b, void *arg)
{
	const struct row *x = a, *y = b;
	enum stat_sort s = *(const enum stat_sort *)arg;
	uint64_t kx = sort_key(&x->t, s), ky = sort_key(&y->t, s);

	if (kx != ky)
		return kx > ky ? -1 : 1;
	if (x->name && y->name)
		return strcmp(x->name, y->name);
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static bool row_empty(const struct row *r)
{
	return !r->t.allocs && !r->t.frees && !r->t.failed && !r->frees_pretrace;
}

static void totals_merge(struct kms_totals *d, const struct kms_totals *s)
{
	d->allocs += s->allocs;
	d->frees += s->frees;
	d->failed += s->failed;
	d->bytes_req += s->bytes_req;
	d->bytes_alloc += s->bytes_alloc;
	d->live += s->live;
	d->live_req += s->live_req;
	d->live_alloc += s->live_alloc;
}

static struct row *site_rows(const struct collector *c, const struct kms_lifetime *ages,
			     size_t *n)
{
	size_t i, nr = collector__nr_sites(c), k = 0;
	struct row *rows = calloc(nr + 1, sizeof(*rows));

	for (i = 0; rows && i < nr; i++) {
		const struct kms_site *s = collector__site(c, i);

		rows[k].addr = s->call_site;
		rows[k].stack = s->stack;
		rows[k].t = s->t;
		rows[k].missed_frees = s->missed_frees;
		memcpy(rows[k].ctx, s->ctx, sizeof(rows[k].ctx));
		rows[k].lt = s->lt;
		if (ages)
			rows[k].ages = ages[i];
		if (!row_empty(&rows[k]))
			k++;
	}
	*n = k;
	return rows;
}

static struct row *cache_rows(const struct collector *c, const struct kms_lifetime *ages,
			      size_t *n)
{
	size_t i, j, nr = collector__nr_caches(c), k = 0;
	struct row *rows = calloc(nr + 1, sizeof(*rows));

	for (i = 0; rows && i < nr; i++) {
		const struct kms_cache *s = collector__cache(c, i);

		for (j = 0; j < k; j++)
			if (!strcmp(rows[j].name, s->name))
				break;
		if (j == k) {
			rows[k].name = s->name;
			rows[k].source = s->from_model ? "model" : "kernel";
			rows[k].object_size = s->object_size;
			rows[k].size = s->size;
			k++;
		}
		if (!rows[j].size && s->size) {	/* a placeholder row came first */
			rows[j].source = s->from_model ? "model" : "kernel";
			rows[j].object_size = s->object_size;
			rows[j].size = s->size;
		}
		totals_merge(&rows[j].t, &s->t);
		rows[j].frees_pretrace += s->frees_pretrace;
		rows[j].missed_frees += s->missed_frees;
		lifetime__merge(&rows[j].lt, &s->lt);
		if (ages)
			lifetime__merge(&rows[j].ages, &ages[i]);
	}
	for (i = j = 0; rows && i < k; i++)
		if (!row_empty(&rows[i]))
			rows[j++] = rows[i];
	*n = j;
	return rows;
}

/*
 * Caches whose only events were frees of objects allocated before the
 * trace (kmem_cache_free names its cache): the text table has no column
 * for those, so their rows would be all zeros.  Drops them, keeping the
 * order; returns how many.
 */
static size_t drop_pretrace_only(struct row *rows, size_t *n)
{
	size_t i, k = 0;

	for (i = 0; i < *n; i++)
		if (rows[i].t.allocs || rows[i].t.frees || rows[i].t.failed)
			rows[k++] = rows[i];
	i = *n - k;
	*n = k;
	return i;
}

static void sort_rows(struct row *rows, size_t n, enum stat_sort s)
{
	qsort_r(rows, n, sizeof(*rows), row_cmp, &s);
}

/* ---- JSON ------------------------------------------------------------ */

void report_json_totals(struct json_writer *w, const struct kms_totals *t)
{
	jsonw_uint_field(w, "allocs", t->allocs);
	jsonw_uint_field(w, "frees", t->frees);
	jsonw_uint_field(w, "failed", t->failed);
	jsonw_uint_field(w, "bytes_req", t->bytes_req);
	jsonw_uint_field(w, "bytes_alloc", t->bytes_alloc);
	jsonw_uint_field(w, "waste", t->bytes_alloc - t->bytes_req);
	jsonw_uint_field(w, "live", t->live);
	jsonw_uint_field(w, "live_bytes", t->live_alloc);
	jsonw_uint_field(w, "live_bytes_req", t->live_req);
}

static void json_context(struct json_writer *w, const struct row *r)
{
	char key[32], *p;
	int i;

	/* in_hardirq, in_softirq, in_preempt_off, ...: context.h's names */
	for (i = 0; i < KMS_CTX_MAX; i++) {
		snprintf(key, sizeof(key), "in_%s", kms_ctx_name(i));
		for (p = key; (p = strchr(p, '-')); )
			*p = '_';
		jsonw_uint_field(w, key, r->ctx[i]);
	}
}

/* Kernel-side counters are null when a cut-short recording lacks them. */
static void kernel_field(struct json_writer *w, const struct runinfo *ri, const char *name,
			 uint64_t v)
{
	if (ri->has_counters)
		jsonw_uint_field(w, name, v);
	else
		jsonw_null_field(w, name);
}

static void json_counts(struct json_writer *w, const struct collector *c,
			const struct runinfo *ri)
{
	const struct kms_collect_counts *cc = collector__counts(c);
	const uint64_t *k = ri->counters;

	jsonw_name(w, "events");
	jsonw_start_object(w);
	jsonw_uint_field(w, "kmalloc", cc->events[KMS_EV_KMALLOC]);
	jsonw_uint_field(w, "kfree", cc->events[KMS_EV_KFREE]);
	jsonw_uint_field(w, "kmem_cache_alloc", cc->events[KMS_EV_CACHE_ALLOC]);
	jsonw_uint_field(w, "kmem_cache_free", cc->events[KMS_EV_CACHE_FREE]);
	jsonw_uint_field(w, "kfree_rcu", cc->events[KMS_EV_RCU_CALL]);
	jsonw_end_object(w);

	jsonw_name(w, "counters");
	jsonw_start_object(w);
	kernel_field(w, ri, "seen", runinfo__seen(ri));
	jsonw_uint_field(w, "received", kms_collect_counts__received(cc));
	kernel_field(w, ri, "filtered", k[KMS_CNT_FILTERED]);
	kernel_field(w, ri, "free_null", k[KMS_CNT_FREE_NULL]);
	kernel_field(w, ri, "free_untracked", k[KMS_CNT_FREE_UNTRACKED]);
	kernel_field(w, ri, "self", k[KMS_CNT_SELF]);
	jsonw_uint_field(w, "large_kmalloc_collapsed", cc->large_collapsed);
	if (ri->pair) {
		jsonw_uint_field(w, "paired", ri->paired);
		jsonw_uint_field(w, "held_end", ri->held_end);
		jsonw_uint_field(w, "reordered", cc->reordered);
	}
	jsonw_end_object(w);

	jsonw_name(w, "lost");
	jsonw_start_object(w);
	kernel_field(w, ri, "ringbuf", k[KMS_CNT_RB_FAIL]);
	kernel_field(w, ri, "recursion", ri->recursion_misses);
	if (ri->has_main_misses) {
		/* What the backups had to recover: more recovered means twice delivered. */
		kernel_field(w, ri, "recursion_main", ri->main_misses);
		kernel_field(w, ri, "recursion_recovered", ri->counters[KMS_CNT_RECOVERED]);
		kernel_field(w, ri, "recursion_unseen", runinfo__unseen(ri));
	}
	jsonw_uint_field(w, "unmatched_frees", cc->unmatched_frees);
	jsonw_uint_field(w, "realloc_without_free", cc->realloc_without_free);
	kernel_field(w, ri, "names", k[KMS_CNT_INFO_LOST]);
	kernel_field(w, ri, "untracked_pointers", k[KMS_CNT_TRACK_FULL]);
	kernel_field(w, ri, "stacks", k[KMS_CNT_STACK_LOST]);
	jsonw_uint_field(w, "unknown_cache", cc->unknown_cache);
	jsonw_uint_field(w, "table_full", cc->table_full);
	jsonw_uint_field(w, "unknown_records", cc->unknown_records);
	jsonw_uint_field(w, "bad_records", cc->bad_records);
	jsonw_end_object(w);
}

/* A replay that skipped damaged sections or was cut short: what it lost. */
void report_damage_json(struct json_writer *w, const struct runinfo *ri)
{
	if (!ri->damaged_sections && !ri->cut_short)
		return;
	jsonw_name(w, "damaged");
	jsonw_start_object(w);
	jsonw_uint_field(w, "sections", ri->damaged_sections);
	jsonw_uint_field(w, "bytes", ri->damaged_bytes);
	jsonw_uint_field(w, "records", ri->damaged_records);
	jsonw_uint_field(w, "sections_uncounted", ri->damaged_uncounted);
	jsonw_bool_field(w, "cut_short", ri->cut_short);
	jsonw_end_object(w);
}

void report_json_stack(struct json_writer *w, int32_t stack, uint64_t call_site,
		       const struct ksyms *ks, const struct kms_stacks *stacks)
{
	size_t depth, i;
	const uint64_t *ips = kms_stacks__get(stacks, stack, &depth);
	char sym[KMS_SYM_LEN];

	if (!ips)
		return;
	jsonw_name(w, "stack");
	jsonw_start_array(w);
	for (i = kms_stacks__caller_start(ips, depth, call_site); i < depth; i++) {
		ksyms__format(ks, ips[i], sym, sizeof(sym));
		jsonw_string(w, sym);
	}
	jsonw_end_array(w);
}

/*
 * "aliases": the cache's other names, SLUB having merged caches of one
 * size and flags into it (the start snapshot's symlinks); [] when none or
 * unknown.
 */
void report_json_aliases(struct json_writer *w, const struct slabsys *names, const char *name)
{
	size_t i, n = slabsys__aliases_of(names, name, NULL, 0);
	const char **a = n ? calloc(n, sizeof(*a)) : NULL;

	jsonw_name(w, "aliases");
	jsonw_start_array(w);
	if (a)
		slabsys__aliases_of(names, name, a, n);
	for (i = 0; a && i < n; i++)
		jsonw_string(w, a[i]);
	jsonw_end_array(w);
	free(a);
}

static void json_rows(struct json_writer *w, const char *what, const struct row *rows,
		      size_t n, const struct ksyms *ks, const struct stat_opts *o)
{
	char sym[256];
	size_t i;

	jsonw_name(w, what);
	jsonw_start_array(w);
	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		jsonw_start_object(w);
		if (r->name) {
			jsonw_string_field(w, "cache", r->name);
			report_json_aliases(w, o->names, r->name);
			jsonw_string_field(w, "source", r->source);
			jsonw_uint_field(w, "object_size", r->object_size);
			jsonw_uint_field(w, "size", r->size);
		} else {
			ksyms__format(ks, r->addr, sym, sizeof(sym));
			jsonw_string_field(w, "site", sym);
			if (!ksyms__redact(ks))
				jsonw_hex_field(w, "addr", r->addr);
		}
		report_json_totals(w, &r->t);
		if (r->name) {
			jsonw_uint_field(w, "frees_pretrace", r->frees_pretrace);
			jsonw_uint_field(w, "realloc_without_free", r->missed_frees);
		} else {
			jsonw_uint_field(w, "realloc_without_free", r->missed_frees);
			json_context(w, r);
			report_json_stack(w, r->stack, r->addr, ks, o->stacks);
		}
		/* Last: its nested objects must not split a row for line-based readers. */
		lifetime_json(w, &r->lt, &r->ages);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

/* ---- OpenMetrics ------------------------------------------------------- */

/* `stat --openmetrics` describes a window: every family is a gauge. */
static void om_family(FILE *f, const char *name, const char *help)
{
	promtext__family(f, name, "gauge", help);
}

/* Per-row gauges: one family per field, one sample per site or cache. */
static const struct {
	const char *suffix, *help;
	size_t off;
} om_fields[] = {
	{ "allocations", "Successful allocations during the trace.",
	  offsetof(struct kms_totals, allocs) },
	{ "frees", "Frees of allocations traced here.", offsetof(struct kms_totals, frees) },
	{ "failures", "Allocations that returned NULL.", offsetof(struct kms_totals, failed) },
	{ "requested_bytes", "Bytes requested by the allocations.",
	  offsetof(struct kms_totals, bytes_req) },
	{ "allocated_bytes", "Bytes the allocations took (their size class).",
	  offsetof(struct kms_totals, bytes_alloc) },
	{ "live_objects", "Objects allocated during the trace and live at its end.",
	  offsetof(struct kms_totals, live) },
	{ "live_bytes", "Bytes of those objects.", offsetof(struct kms_totals, live_alloc) },
};

static void om_rows(FILE *f, const char *kind, const struct row *rows, size_t n,
		    const struct ksyms *ks)
{
	char name[64], sym[256], help[128];
	size_t i, k;

	for (k = 0; k < ARRAY_SIZE(om_fields); k++) {
		snprintf(name, sizeof(name), "kmscope_%s_%s", kind, om_fields[k].suffix);
		snprintf(help, sizeof(help), "%s Per %s.", om_fields[k].help,
			 !strcmp(kind, "site") ? "call site" : "cache");
		om_family(f, name, help);
		for (i = 0; i < n; i++) {
			const struct row *r = &rows[i];

			fprintf(f, "%s{", name);
			if (r->name) {
				promtext__label(f, "cache", r->name);
			} else {
				/* A site kallsyms cannot name stays anonymous: the file is 0644. */
				if (ks && ksyms__find(ks, r->addr, NULL))
					ksyms__format(ks, r->addr, sym, sizeof(sym));
				else
					snprintf(sym, sizeof(sym), "[unknown-%zu]", i);
				promtext__label(f, "site", sym);
				if (r->stack >= 0)
					fprintf(f, ",stack=\"%d\"", r->stack);
			}
			fprintf(f, "} %" PRIu64 "\n",
				*(const uint64_t *)((const char *)&r->t + om_fields[k].off));
		}
	}
}

/* One family per field for the cgroups' totals (what), or their accounted part. */
static void om_cgroup_family(FILE *f, const struct cgpaths *paths,
			     const struct kms_cgroup **rows, size_t n, size_t k, bool acct)
{
	char name[80], help[160], buf[64];
	size_t i;

	snprintf(name, sizeof(name), "kmscope_cgroup_%s%s", acct ? "accounted_" : "",
		 om_fields[k].suffix);
	snprintf(help, sizeof(help), "%s Per cgroup%s.", om_fields[k].help,
		 acct ? ", the part charged to its memory cgroup (__GFP_ACCOUNT, SLAB_ACCOUNT)" :
		 "");
	om_family(f, name, help);
	for (i = 0; i < n; i++) {
		const struct kms_totals *t = acct ? &rows[i]->acct : &rows[i]->t;

		fprintf(f, "%s{", name);
		promtext__label(f, "cgroup", cgpaths__label(paths, rows[i]->id, buf, sizeof(buf)));
		fprintf(f, "} %" PRIu64 "\n",
			*(const uint64_t *)((const char *)t + om_fields[k].off));
	}
}

/* --by cgroup: each cgroup's top sites, labelled by both. */
static void om_cgroup_sites(FILE *f, const struct collector *c, const struct ksyms *ks,
			    const struct cgpaths *paths, const struct kms_cgroup **rows,
			    size_t n, size_t k, unsigned int top)
{
	char name[80], help[160], buf[64], sym[KMS_SYM_LEN];
	size_t i, j, ns;

	snprintf(name, sizeof(name), "kmscope_cgroup_site_%s", om_fields[k].suffix);
	snprintf(help, sizeof(help), "%s Per cgroup and call site.", om_fields[k].help);
	om_family(f, name, help);
	for (i = 0; i < n; i++) {
		const struct kms_cgsite **sites =
			report_cgroup_sites(c, report_cgroup_index(c, rows[i]), &ns);

		for (j = 0; j < ns && (!top || j < top); j++) {
			uint64_t addr = collector__site(c, sites[j]->site)->call_site;

			if (ks && ksyms__find(ks, addr, NULL))
				ksyms__format(ks, addr, sym, sizeof(sym));
			else
				snprintf(sym, sizeof(sym), "[unknown-%zu]", (size_t)sites[j]->site);
			fprintf(f, "%s{", name);
			promtext__label(f, "cgroup", cgpaths__label(paths, rows[i]->id, buf, sizeof(buf)));
			fputc(',', f);
			promtext__label(f, "site", sym);
			fprintf(f, "} %" PRIu64 "\n",
				*(const uint64_t *)((const char *)&sites[j]->t + om_fields[k].off));
		}
		free(sites);
	}
}

static int om_cgroups(FILE *f, const struct collector *c, const struct ksyms *ks,
		      const struct stat_opts *o)
{
	size_t k, n;
	const struct kms_cgroup **rows = report_cgroup_rows(c, &n);

	if (!rows)
		return -ENOMEM;
	for (k = 0; k < ARRAY_SIZE(om_fields); k++)
		om_cgroup_family(f, o->cgpaths, rows, n, k, false);
	for (k = 0; k < ARRAY_SIZE(om_fields); k++)
		if (om_fields[k].off == offsetof(struct kms_totals, bytes_alloc) ||
		    om_fields[k].off == offsetof(struct kms_totals, live_alloc))
			om_cgroup_family(f, o->cgpaths, rows, n, k, true);
	for (k = 0; collector__nr_cgsites(c) && k < ARRAY_SIZE(om_fields); k++)
		om_cgroup_sites(f, c, ks, o->cgpaths, rows, n, k, o->top);
	free(rows);
	return 0;
}

/*
 * Gauges only: every value describes the traced window (-d), which is
 * what a node_exporter textfile written by a periodic run holds.  No
 * kernel addresses, so the file can be read by the exporter's user.
 */
static int stat_openmetrics(FILE *f, const struct collector *c, const struct ksyms *ks,
			    const struct runinfo *ri, const struct stat_opts *o,
			    struct row *sites, size_t ns, struct row *caches, size_t nc)
{
	const struct kms_collect_counts *cc = collector__counts(c);
	static const char *const ev[] = { "kmalloc", "kmem_cache_alloc", "kfree",
					   "kmem_cache_free" };
	static const enum kms_ev_type evt[] = { KMS_EV_KMALLOC, KMS_EV_CACHE_ALLOC, KMS_EV_KFREE,
						KMS_EV_CACHE_FREE };
	size_t i;

	om_family(f, "kmscope_trace_seconds", "Length of the traced window.");
	fprintf(f, "kmscope_trace_seconds %.6f\n", ri->duration_ns / 1e9);
	om_family(f, "kmscope_events", "kmem events received, per tracepoint.");
	for (i = 0; i < ARRAY_SIZE(ev); i++)
		fprintf(f, "kmscope_events{event=\"%s\"} %" PRIu64 "\n", ev[i], cc->events[evt[i]]);
	om_family(f, "kmscope_events_seen", "kmem tracepoint hits in the kernel, before filters.");
	fprintf(f, "kmscope_events_seen %" PRIu64 "\n", runinfo__seen(ri));
	om_family(f, "kmscope_events_lost", "Events lost, per reason (see docs/output.md).");
	fprintf(f, "kmscope_events_lost{reason=\"ringbuf\"} %" PRIu64 "\n",
		ri->counters[KMS_CNT_RB_FAIL]);
	fprintf(f, "kmscope_events_lost{reason=\"recursion\"} %" PRIu64 "\n", runinfo__unseen(ri));
	fprintf(f, "kmscope_events_lost{reason=\"names\"} %" PRIu64 "\n",
		ri->counters[KMS_CNT_INFO_LOST]);
	fprintf(f, "kmscope_events_lost{reason=\"table_full\"} %" PRIu64 "\n", cc->table_full);
	om_family(f, "kmscope_recursion_skips", "Program runs the kernel skipped (recursion_misses "
		  "of every program); with --backup most are recovered, the rest are lost.");
	fprintf(f, "kmscope_recursion_skips %" PRIu64 "\n", ri->recursion_misses);
	if (ri->damaged_sections || ri->cut_short) {
		om_family(f, "kmscope_recording_damaged", "What a damaged recording lost: damaged "
			  "sections skipped, their bytes and records, 1 if it was cut short.");
		fprintf(f, "kmscope_recording_damaged{what=\"sections\"} %" PRIu64 "\n",
			ri->damaged_sections);
		fprintf(f, "kmscope_recording_damaged{what=\"bytes\"} %" PRIu64 "\n",
			ri->damaged_bytes);
		fprintf(f, "kmscope_recording_damaged{what=\"records\"} %" PRIu64 "\n",
			ri->damaged_records);
		fprintf(f, "kmscope_recording_damaged{what=\"cut_short\"} %d\n", ri->cut_short);
	}
	om_family(f, "kmscope_live_objects", "Objects allocated during the trace, live at its end.");
	fprintf(f, "kmscope_live_objects %zu\n", collector__live(c));
	om_rows(f, "site", sites, ns, ks);
	om_rows(f, "cache", caches, nc, ks);
	if (om_cgroups(f, c, ks, o))
		return -ENOMEM;
	fputs("# EOF\n", f);
	return ferror(f) ? -EIO : 0;
}

static int stat_json(FILE *f, const struct collector *c, const struct ksyms *ks,
		     const struct runinfo *ri, const struct stat_opts *o,
		     struct row *sites, size_t ns, struct row *caches, size_t nc)
{
	struct json_writer *w = jsonw_new(f);
	char ctxs[KMS_RUNINFO_CTX_LEN];
	int err;

	if (!w)
		return -ENOMEM;
	jsonw_pretty(w, o->pretty);
	jsonw_start_object(w);
	jsonw_string_field(w, "kernel", ri->kernel);
	jsonw_string_field(w, "method", ri->method);
	jsonw_string_field(w, "kmalloc_cache_names", ri->kfunc_cache ? "kernel" : "model");
	jsonw_string_field(w, "context", runinfo__context(ri, ctxs, sizeof(ctxs)));
	if (ri->has_main_misses)
		jsonw_string_field(w, "recursion_backup", kms_backup__name(ri->backup));
	jsonw_string_field(w, "command", ri->command);
	jsonw_string_field(w, "filters", ri->filters);
	jsonw_float_field(w, "duration_s", ri->duration_ns / 1e9);
	if (ri->caches_dropped)
		jsonw_bool_field(w, "caches_dropped", true);
	if (ri->exit_status >= 0)
		jsonw_int_field(w, "exit_status", ri->exit_status);
	json_counts(w, c, ri);
	report_damage_json(w, ri);
	jsonw_uint_field(w, "live", collector__live(c));
	json_rows(w, "sites", sites, ns, ks, o);
	json_rows(w, "caches", caches, nc, ks, o);
	report_cgroup_json(w, c, ks, o->cgpaths, o->top);
	if (o->findings)
		report_findings_json(w, o->findings, ks, o->stacks, o->sections);
	if (o->membill && (o->sections & REPORT_WASTE)) {
		report_membill_json(w, o->membill, ks, o->top);
		report_slabgrowth_json(w, o->growth, o->top);
		report_large_json(w, c, ks, o->top);
	}
	jsonw_end_object(w);
	err = jsonw_close(&w);
	return err ? -EIO : 0;
}

/* ---- text ------------------------------------------------------------ */

/* By re-allocations without free, most first. */
static int missed_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->missed_frees != y->missed_frees)
		return x->missed_frees > y->missed_frees ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * --backup=frees: the allocations it leaves unseen (--backup would take
 * them), and the frees its backups missed too (kept from both programs).
 */
static void text_unseen_frees(FILE *f, uint64_t n, uint64_t allocs)
{
	fprintf(f, "note:    %" PRIu64 " events no program saw:", n);
	if (allocs)
		fprintf(f, " %" PRIu64 " allocations the kernel kept from their program, which "
			"--backup=frees leaves without a backup (each makes its free one of an "
			"allocation not traced; --backup recovers them)%s", allocs,
			n > allocs ? ", and" : "\n");
	if (n > allocs)
		fprintf(f, " %" PRIu64 " frees the kernel kept from their backup too (nested "
			"three deep, or skipped around the program)\n", n - allocs);
}

/*
 * Events no program saw, and what recovers them: a free missed is what
 * makes a false leak, an allocation missed only an untracked free.
 */
static void text_unseen_note(FILE *f, const struct runinfo *ri)
{
	uint64_t n = runinfo__unseen(ri);

	/* trace_call_bpf() skips all of a classic tracepoint's programs at once. */
	if (runinfo__classic(ri))
		fprintf(f, "note:    %" PRIu64 " events no program saw: the kernel skips every "
			"program of a classic tracepoint that an interrupt's allocation or free "
			"finds running, and no backup can take them there; a free missed leaves its "
			"object live or re-allocated without free. tp_btf (without --classic) has "
			"the backups\n", n);
	else if (ri->backup == KMS_BACKUP_NONE)
		fprintf(f, "note:    %" PRIu64 " events no program saw: the kernel skips a program "
			"that an interrupt's allocation or free finds running; a free missed leaves "
			"its object live or re-allocated without free. --backup=frees recovers the "
			"frees (nearly all of them), --backup every event (10-30 %% more overhead, "
			"the frees' alone about 60 %% of that)\n", n);
	else if (ri->backup == KMS_BACKUP_FREES)
		text_unseen_frees(f, n, KMS_MIN(ri->alloc_misses, n));
}

/*
 * Where the re-allocations without free happened: the caches whose frees
 * took a path without an event (or were lost), for the user to see which.
 */
static void text_realloc_caches(FILE *f, const struct collector *c)
{
	size_t i, n = 0;
	struct row *rows = cache_rows(c, NULL, &n);

	if (!rows)
		return;
	qsort(rows, n, sizeof(*rows), missed_cmp);
	for (i = 0; i < n && i < KMS_REALLOC_CACHES && rows[i].missed_frees; i++)
		fprintf(f, "%s%s %" PRIu64, i ? ", " : "note:    re-allocated without free in ",
			rows[i].name, rows[i].missed_frees);
	if (i < n && rows[i].missed_frees)
		fprintf(f, ", ...");
	if (i)
		fputc('\n', f);
	free(rows);
}

static void text_header(FILE *f, const struct collector *c, const struct runinfo *ri,
			const char *what)
{
	const struct kms_collect_counts *cc = collector__counts(c);
	const uint64_t *k = ri->counters;
	uint64_t seen = runinfo__seen(ri), rcv = kms_collect_counts__received(cc);
	uint64_t accounted = rcv + k[KMS_CNT_FILTERED] + k[KMS_CNT_FREE_NULL] +
			     k[KMS_CNT_FREE_UNTRACKED] + k[KMS_CNT_SELF] + k[KMS_CNT_RB_FAIL];
	char dmg[256];

	fprintf(f, "kmscope %s: %.3f s, %s%s%s, kernel %s, %s%s\n", what, ri->duration_ns / 1e9,
		runinfo__traced(ri), ri->filters[0] ? ", filters: " : "",
		ri->filters, ri->kernel, ri->method,
		ri->caches_dropped ? ", caches dropped at the end" : "");
	fprintf(f, "events:  kmalloc %" PRIu64 ", kfree %" PRIu64 ", kmem_cache_alloc %" PRIu64
		", kmem_cache_free %" PRIu64, cc->events[KMS_EV_KMALLOC],
		cc->events[KMS_EV_KFREE], cc->events[KMS_EV_CACHE_ALLOC],
		cc->events[KMS_EV_CACHE_FREE]);
	/* Only where kfree_rcu() calls were traced (runinfo rcu_call). */
	if (ri->rcu_call[0])
		fprintf(f, ", kfree_rcu %" PRIu64, cc->events[KMS_EV_RCU_CALL]);
	fputc('\n', f);
	if (!ri->has_counters) {
		fprintf(f, "kernel:  counters unavailable (the recording was cut short); "
			"received %" PRIu64 "\n", rcv);
		goto lost;
	}
	fprintf(f, "kernel:  seen %" PRIu64 " = received %" PRIu64 " + filtered %" PRIu64
		" + kfree(NULL) %" PRIu64 " + frees of untracked %" PRIu64 " + kmscope's own %"
		PRIu64 " + lost %" PRIu64, seen, rcv, k[KMS_CNT_FILTERED], k[KMS_CNT_FREE_NULL],
		k[KMS_CNT_FREE_UNTRACKED], k[KMS_CNT_SELF], k[KMS_CNT_RB_FAIL]);
	if (accounted != seen)
		fprintf(f, " (unaccounted %" PRId64 ")", (int64_t)(seen - accounted));
	fputc('\n', f);
lost:
	if (ri->has_counters) {
		fprintf(f, "lost:    ring buffer %" PRIu64 ", recursion %" PRIu64,
			k[KMS_CNT_RB_FAIL], ri->recursion_misses);
		if (ri->has_main_misses)
			fprintf(f, " (recovered %" PRIu64 ", unseen %" PRIu64 ")",
				k[KMS_CNT_RECOVERED], runinfo__unseen(ri));
		fprintf(f, ", names %" PRIu64 "; ", k[KMS_CNT_INFO_LOST]);
	} else
		fprintf(f, "lost:    ring buffer, recursion and names unknown; ");
	fprintf(f, "frees of allocations not traced %" PRIu64 ", re-allocated without free %"
		PRIu64 "\n", cc->unmatched_frees, cc->realloc_without_free);
	if (cc->realloc_without_free)
		text_realloc_caches(f, c);
	if (ri->pair)
		fprintf(f, "paired:  %" PRIu64 " allocations crossed the ring with their free "
			"(--pair), %" PRIu64 " were held in the kernel to the end\n", ri->paired,
			ri->held_end);
	if (ri->has_counters && runinfo__unseen(ri))
		text_unseen_note(f, ri);
	if (cc->unknown_records || cc->bad_records)
		fprintf(f, "skipped: %" PRIu64 " records of unknown type, %" PRIu64
			" malformed records\n", cc->unknown_records, cc->bad_records);
	if (runinfo__damage(ri, dmg, sizeof(dmg)))
		fprintf(f, "damaged: %s\n", dmg);
	if (cc->large_collapsed)
		fprintf(f, "note:    %" PRIu64 " double large-kmalloc events folded into one "
			"allocation each\n", cc->large_collapsed);
	if (cc->table_full)
		fprintf(f, "note:    %" PRIu64 " allocations left out of the totals: the live "
			"table was full (--max-tracked), or memory for a new row ran out\n",
			cc->table_full);
	if (k[KMS_CNT_TRACK_FULL])
		fprintf(f, "note:    %" PRIu64 " allocations whose frees were not sent: the "
			"kernel's tracked-pointer map was full (--max-tracked); they stay live\n",
			k[KMS_CNT_TRACK_FULL]);
	if (k[KMS_CNT_STACK_LOST])
		fprintf(f, "note:    %" PRIu64 " allocations without a stack: the stack map was "
			"full or two stacks collided (--stack-entries)\n", k[KMS_CNT_STACK_LOST]);
	if (cc->unknown_cache)
		fprintf(f, "note:    %" PRIu64 " caches known only by address (name record lost, "
			"or the kernel passes none)\n", cc->unknown_cache);
}

int report_stat_header(FILE *f, const struct collector *c, const struct runinfo *ri,
		       const char *what)
{
	text_header(f, c, ri, what);
	return ferror(f) ? -EIO : 0;
}

int report_stat_summary_json(FILE *f, const struct collector *c, const struct runinfo *ri)
{
	struct json_writer *w = jsonw_new(f);

	if (!w)
		return -ENOMEM;
	jsonw_start_object(w);
	jsonw_name(w, "summary");
	jsonw_start_object(w);
	jsonw_string_field(w, "kernel", ri->kernel);
	jsonw_string_field(w, "method", ri->method);
	jsonw_string_field(w, "command", ri->command);
	jsonw_string_field(w, "filters", ri->filters);
	jsonw_float_field(w, "duration_s", ri->duration_ns / 1e9);
	json_counts(w, c, ri);
	report_damage_json(w, ri);
	jsonw_uint_field(w, "live", collector__live(c));
	jsonw_end_object(w);
	jsonw_end_object(w);
	return jsonw_close(&w) ? -EIO : 0;
}

/* The name column's width in the text tables. */
#define KMS_NAME_COL	40

/*
 * A cache's name with the other names SLUB merged into it, as far as the
 * name column goes: "sigqueue (+ dnotify_mark, fanotify_mark, ...)".
 * JSON's "aliases" has them all.
 */
static void cache_label(const struct slabsys *names, const char *name, char *buf, size_t len)
{
	slabsys__label(names, name, KMS_NAME_COL, buf, len);
}

static void text_rows(FILE *f, const char *title, const struct row *rows, size_t n,
		      unsigned int top, const struct ksyms *ks, const struct slabsys *names)
{
	char sym[256];
	size_t i, shown = top && top < n ? top : n;

	fprintf(f, "\n%-40s %10s %10s %8s %12s %12s %11s %9s %12s\n", title, "ALLOCS",
		"FREES", "FAILED", "BYTES_REQ", "BYTES_ALLOC", "WASTE", "LIVE", "LIVE_BYTES");
	for (i = 0; i < shown; i++) {
		const struct row *r = &rows[i];
		const struct kms_totals *t = &r->t;

		if (r->name)
			cache_label(names, r->name, sym, sizeof(sym));
		else
			ksyms__format(ks, r->addr, sym, sizeof(sym));
		fprintf(f, "%-40s %10" PRIu64 " %10" PRIu64 " %8" PRIu64 " %12" PRIu64 " %12"
			PRIu64 " %11" PRIu64 " %9" PRIu64 " %12" PRIu64 "\n", sym, t->allocs,
			t->frees, t->failed, t->bytes_req, t->bytes_alloc,
			t->bytes_alloc - t->bytes_req, t->live, t->live_alloc);
	}
	if (shown < n)
		fprintf(f, "... %zu more (-n 0 shows all)\n", n - shown);
}

/* Outermost frame first, as flame graph tools read them. */
static void folded_line(FILE *f, const struct kms_site *s, const struct ksyms *ks,
			const struct kms_stacks *stacks, uint64_t weight)
{
	size_t depth = 0, start, i;
	const uint64_t *ips = kms_stacks__get(stacks, s->stack, &depth);
	char sym[KMS_SYM_LEN];

	if (!weight)
		return;
	start = ips ? kms_stacks__caller_start(ips, depth, s->call_site) : 0;
	for (i = depth; ips && i > start + 1; i--) {
		ksyms__format(ks, ips[i - 1], sym, sizeof(sym));
		fprintf(f, "%s;", sym);
	}
	ksyms__format(ks, s->call_site, sym, sizeof(sym));
	fprintf(f, "%s %" PRIu64 "\n", sym, weight);
}

int report_folded(FILE *f, const struct collector *c, const struct ksyms *ks,
		  const struct kms_stacks *stacks, const char *weight)
{
	size_t i, n = collector__nr_sites(c);

	if (strcmp(weight, "bytes") && strcmp(weight, "count") && strcmp(weight, "live"))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const struct kms_site *s = collector__site(c, i);

		folded_line(f, s, ks, stacks, !strcmp(weight, "bytes") ? s->t.bytes_alloc :
			    !strcmp(weight, "count") ? s->t.allocs : s->t.live_alloc);
	}
	return ferror(f) ? -EIO : 0;
}

int report_stat(FILE *f, const struct collector *c, const struct ksyms *ks,
		const struct runinfo *ri, const struct stat_opts *o)
{
	struct kms_lifetime *site_ages = NULL, *cache_ages = NULL;
	struct row *sites = NULL, *caches = NULL;
	size_t ns, nc, npre;
	int err;

	err = lifetime_live_ages(c, ri, &site_ages, &cache_ages);
	if (err)
		return err;
	sites = site_rows(c, site_ages, &ns);
	caches = cache_rows(c, cache_ages, &nc);
	if (!sites || !caches) {
		err = -ENOMEM;
		goto out;
	}
	sort_rows(sites, ns, o->sort);
	sort_rows(caches, nc, o->sort);
	if (o->openmetrics) {
		err = stat_openmetrics(f, c, ks, ri, o, sites, o->top && o->top < ns ? o->top : ns,
				       caches, o->top && o->top < nc ? o->top : nc);
		goto out;
	}
	if (o->json) {
		err = stat_json(f, c, ks, ri, o, sites, o->top && o->top < ns ? o->top : ns,
				caches, o->top && o->top < nc ? o->top : nc);
		goto out;
	}
	text_header(f, c, ri, o->findings ? "report" : "stat");
	if (o->findings) {
		err = report_findings_text(f, o->findings, ks, o->stacks, o->sections, o->top);
		if (!err && o->membill && (o->sections & REPORT_WASTE))
			err = report_membill_text(f, o->membill, ks, o->top);
		if (!err && o->membill && (o->sections & REPORT_WASTE))
			err = report_slabgrowth_text(f, o->growth, o->top);
		if (!err && o->membill && (o->sections & REPORT_WASTE))
			err = report_large_text(f, c, ks, o->top);
		/* `report lifetimes` alone: the histograms of the top sites too. */
		if (!err && (o->sections & REPORT_LIFETIMES))
			err = report_lifetime_text(f, c, ks, site_ages, o->top,
						   o->sections == REPORT_LIFETIMES);
		if (!err && o->by_cgroup)
			err = report_cgroup_text(f, c, ks, o->cgpaths, o->top);
		if (!err)
			err = report_findings_explain(f, o->findings, o->sections);
		goto out;
	}
	text_rows(f, "CALL SITE", sites, ns, o->top, ks, NULL);
	/* A row of zeros says nothing: name those caches by their count only. */
	npre = drop_pretrace_only(caches, &nc);
	text_rows(f, "CACHE", caches, nc, o->top, ks, o->names);
	if (npre)
		fprintf(f, "+ %zu caches with only frees of objects allocated before the trace "
			"(frees_pretrace in JSON)\n", npre);
	if (o->by_cgroup)
		err = report_cgroup_text(f, c, ks, o->cgpaths, o->top);
	if (!err && ferror(f))
		err = -EIO;
out:
	free(sites);
	free(caches);
	free(site_ages);
	free(cache_ages);
	return err;
}
