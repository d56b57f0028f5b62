// SPDX-License-Identifier: GPL-2.0
/*
 * promexp.c - see promexp.h.  Site ids are dense and only grow, so the
 * sites new since the last update are the ids from where it stopped;
 * "other" is the total over every site less the named sites'.  Caches are few
 * (the kernel's, and the model's kmalloc classes): every cache has its
 * series, rows of one name summed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_table.h"
#include "collect.h"
#include "findings.h"
#include "grow.h"
#include "ksyms.h"
#include "promexp.h"
#include "promtext.h"
#include "runinfo.h"
#include "util.h"

/* A family of one field of struct kms_totals, by its offset. */
struct fam {
	const char *name, *type, *help;
	size_t off;
};

static const struct fam site_fams[] = {
	{ "kmscope_allocations_total", "counter", "Successful allocations, per call site.",
	  offsetof(struct kms_totals, allocs) },
	{ "kmscope_frees_total", "counter", "Frees of allocations traced here, per call site of "
	  "the allocation.", offsetof(struct kms_totals, frees) },
	{ "kmscope_allocation_failures_total", "counter", "Allocations that returned NULL, per "
	  "call site.", offsetof(struct kms_totals, failed) },
	{ "kmscope_requested_bytes_total", "counter", "Bytes the allocations requested, per call "
	  "site.", offsetof(struct kms_totals, bytes_req) },
	{ "kmscope_allocated_bytes_total", "counter", "Bytes the allocations took (their size "
	  "class), per call site.", offsetof(struct kms_totals, bytes_alloc) },
	{ "kmscope_live_objects", "gauge", "Objects allocated since the server started and "
	  "still live, per call site.", offsetof(struct kms_totals, live) },
	{ "kmscope_live_bytes", "gauge", "Bytes of those objects, per call site.",
	  offsetof(struct kms_totals, live_alloc) },
};
#define NR_SITE_FAMS	ARRAY_SIZE(site_fams)

struct promexp {
	unsigned int max_sites;
	uint32_t *m;		/* the named sites' collector ids */
	size_t nr, cap;
	size_t seen;		/* sites the last update looked at */
};

static uint64_t field(const struct kms_totals *t, size_t off)
{
	return *(const uint64_t *)((const char *)t + off);
}

struct promexp *promexp__new(unsigned int max_sites)
{
	struct promexp *pe = calloc(1, sizeof(*pe));

	if (pe)
		pe->max_sites = max_sites;
	return pe;
}

void promexp__free(struct promexp *pe)
{
	if (!pe)
		return;
	free(pe->m);
	free(pe);
}

static int by_allocs(const void *a, const void *b, void *arg)
{
	const struct collector *c = arg;
	uint64_t x = collector__site(c, *(const uint32_t *)a)->t.allocs;
	uint64_t y = collector__site(c, *(const uint32_t *)b)->t.allocs;

	if (x != y)
		return x > y ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

int promexp__update(struct promexp *pe, const struct collector *c)
{
	size_t i, n = collector__nr_sites(c), nr_new = 0;
	uint32_t *cand;

	if (pe->nr >= pe->max_sites || n == pe->seen) {
		pe->seen = n;
		return 0;
	}
	cand = malloc((n - pe->seen) * sizeof(*cand));
	if (!cand)
		return -ENOMEM;
	for (i = pe->seen; i < n; i++)
		cand[nr_new++] = i;
	qsort_r(cand, nr_new, sizeof(*cand), by_allocs, (void *)c);
	nr_new = KMS_MIN(nr_new, pe->max_sites - pe->nr);
	if (kms_grow((void **)&pe->m, &pe->cap, pe->nr + nr_new, sizeof(*pe->m), 64)) {
		free(cand);
		return -ENOMEM;
	}
	memcpy(pe->m + pe->nr, cand, nr_new * sizeof(*cand));
	pe->nr += nr_new;
	pe->seen = n;
	free(cand);
	return 0;
}

/* A site's label: its symbol; no kernel address, so "[unknown-ID]" without one. */
static void site_label(FILE *f, const struct collector *c, const struct ksyms *ks,
		       uint32_t id)
{
	const struct kms_site *s = collector__site(c, id);
	char sym[KMS_SYM_LEN];

	if (ks && ksyms__find(ks, s->call_site, NULL))
		ksyms__format(ks, s->call_site, sym, sizeof(sym));
	else
		snprintf(sym, sizeof(sym), "[unknown-%u]", id);
	promtext__label(f, "site", sym);
	if (s->stack >= 0)
		fprintf(f, ",stack=\"%d\"", s->stack);
}

/* One family: the named sites, then "other", each family's samples together. */
static void write_family(const struct promexp *pe, FILE *f, const struct collector *c,
			 const struct ksyms *ks, const struct fam *fam)
{
	size_t i, n = collector__nr_sites(c);
	uint64_t all = 0, named = 0, v;

	promtext__family(f, fam->name, fam->type, fam->help);
	for (i = 0; i < n; i++)
		all += field(&collector__site(c, i)->t, fam->off);
	for (i = 0; i < pe->nr; i++) {
		v = field(&collector__site(c, pe->m[i])->t, fam->off);
		fprintf(f, "%s{", fam->name);
		site_label(f, c, ks, pe->m[i]);
		fprintf(f, "} %" PRIu64 "\n", v);
		named += v;
	}
	fprintf(f, "%s{site=\"other\"} %" PRIu64 "\n", fam->name, all - named);
}

static void write_sites(const struct promexp *pe, FILE *f, const struct collector *c,
			const struct ksyms *ks)
{
	size_t k;

	for (k = 0; k < NR_SITE_FAMS; k++)
		write_family(pe, f, c, ks, &site_fams[k]);
}

/* Rows of one name are one series: the first row of a name sums the others. */
static void cache_sum(const struct collector *c, size_t i, struct kms_totals *t, bool *first)
{
	const struct kms_cache *k = collector__cache(c, i), *o;
	size_t j, n = collector__nr_caches(c);

	*first = true;
	memset(t, 0, sizeof(*t));
	for (j = 0; j < n; j++) {
		o = collector__cache(c, j);
		if (strcmp(o->name, k->name))
			continue;
		if (j < i) {
			*first = false;
			return;
		}
		t->allocs += o->t.allocs;
		t->frees += o->t.frees;
		t->bytes_alloc += o->t.bytes_alloc;
		t->live += o->t.live;
		t->live_alloc += o->t.live_alloc;
	}
}

static void write_caches(FILE *f, const struct collector *c)
{
	static const struct fam fam[] = {
		{ "kmscope_cache_allocations_total", "counter", "Successful allocations, per cache.",
		  offsetof(struct kms_totals, allocs) },
		{ "kmscope_cache_frees_total", "counter", "Frees of allocations traced here, per "
		  "cache.", offsetof(struct kms_totals, frees) },
		{ "kmscope_cache_allocated_bytes_total", "counter", "Bytes the allocations took, per "
		  "cache.", offsetof(struct kms_totals, bytes_alloc) },
		{ "kmscope_cache_live_objects", "gauge", "Objects allocated since the server "
		  "started and still live, per cache.", offsetof(struct kms_totals, live) },
		{ "kmscope_cache_live_bytes", "gauge", "Bytes of those objects, per cache.",
		  offsetof(struct kms_totals, live_alloc) },
	};
	size_t i, k, n = collector__nr_caches(c);
	struct kms_totals t;
	bool first;

	for (k = 0; k < ARRAY_SIZE(fam); k++) {
		promtext__family(f, fam[k].name, fam[k].type, fam[k].help);
		for (i = 0; i < n; i++) {
			cache_sum(c, i, &t, &first);
			if (!first || (!t.allocs && !t.live))
				continue;
			fprintf(f, "%s{", fam[k].name);
			promtext__label(f, "cache", collector__cache(c, i)->name);
			fprintf(f, "} %" PRIu64 "\n", field(&t, fam[k].off));
		}
	}
}

static void write_trace(FILE *f, const struct collector *c, const struct runinfo *ri)
{
	const struct kms_collect_counts *cc = collector__counts(c);
	static const char *const ev[] = { "kmalloc", "kmem_cache_alloc", "kfree",
					   "kmem_cache_free", "kfree_rcu" };
	static const enum kms_ev_type evt[] = { KMS_EV_KMALLOC, KMS_EV_CACHE_ALLOC, KMS_EV_KFREE,
						KMS_EV_CACHE_FREE, KMS_EV_RCU_CALL };
	size_t i;

	promtext__family(f, "kmscope_events_total", "counter",
			 "kmem events received, per tracepoint.");
	for (i = 0; i < ARRAY_SIZE(ev); i++)
		fprintf(f, "kmscope_events_total{event=\"%s\"} %" PRIu64 "\n", ev[i],
			cc->events[evt[i]]);
	promtext__family(f, "kmscope_events_seen_total", "counter",
			 "kmem tracepoint hits in the kernel, before filters.");
	fprintf(f, "kmscope_events_seen_total %" PRIu64 "\n", runinfo__seen(ri));
	promtext__family(f, "kmscope_events_lost_total", "counter",
			 "Events lost, per reason: ring buffer full, kept from every program "
			 "(recursion), names, the live table full.");
	fprintf(f, "kmscope_events_lost_total{reason=\"ringbuf\"} %" PRIu64 "\n",
		ri->counters[KMS_CNT_RB_FAIL]);
	fprintf(f, "kmscope_events_lost_total{reason=\"recursion\"} %" PRIu64 "\n",
		runinfo__unseen(ri));
	fprintf(f, "kmscope_events_lost_total{reason=\"names\"} %" PRIu64 "\n",
		ri->counters[KMS_CNT_INFO_LOST]);
	fprintf(f, "kmscope_events_lost_total{reason=\"table_full\"} %" PRIu64 "\n",
		cc->table_full);
	promtext__family(f, "kmscope_unmatched_frees_total", "counter",
			 "Frees of objects allocated before the server started (or not traced).");
	fprintf(f, "kmscope_unmatched_frees_total %" PRIu64 "\n", cc->unmatched_frees);
}

/* The collector's tables: their bounds, what they hold, what found no room. */
static void write_tables(FILE *f, const struct collector *c, const struct runinfo *ri,
			 const struct promexp_self *self)
{
	const struct kms_collect_counts *cc = collector__counts(c);

	promtext__family(f, "kmscope_table_limit", "gauge",
			 "Entries each table of kmscope can hold (the live table: --max-tracked).");
	fprintf(f, "kmscope_table_limit{table=\"live\"} %" PRIu64 "\n", self->max_tracked);
	fprintf(f, "kmscope_table_limit{table=\"sites\"} %u\n", KMS_ALLOC_SITE_MAX);
	fprintf(f, "kmscope_table_limit{table=\"caches\"} %u\n", KMS_ALLOC_CACHE_MAX);
	fprintf(f, "kmscope_table_limit{table=\"cgroups\"} %u\n", KMS_ALLOC_CGROUP_MAX);
	promtext__family(f, "kmscope_table_entries", "gauge", "Entries each table holds now.");
	fprintf(f, "kmscope_table_entries{table=\"live\"} %zu\n", collector__live(c));
	fprintf(f, "kmscope_table_entries{table=\"sites\"} %zu\n", collector__nr_sites(c));
	fprintf(f, "kmscope_table_entries{table=\"caches\"} %zu\n", collector__nr_caches(c));
	fprintf(f, "kmscope_table_entries{table=\"cgroups\"} %zu\n", collector__nr_cgroups(c));
	promtext__family(f, "kmscope_not_kept_total", "counter",
			 "What found no room: allocations not tracked (live table, sites or caches "
			 "full), stacks not kept (-g: the stack map full; counted under the call "
			 "site alone), pointers not tracked by a filter (their frees unseen).");
	fprintf(f, "kmscope_not_kept_total{what=\"allocations\"} %" PRIu64 "\n", cc->table_full);
	fprintf(f, "kmscope_not_kept_total{what=\"stacks\"} %" PRIu64 "\n",
		ri->counters[KMS_CNT_STACK_LOST]);
	fprintf(f, "kmscope_not_kept_total{what=\"filtered_pointers\"} %" PRIu64 "\n",
		ri->counters[KMS_CNT_TRACK_FULL]);
}

static void write_self(const struct promexp *pe, FILE *f, const struct collector *c,
		       const struct promexp_self *self)
{
	promtext__family(f, "kmscope_sites", "gauge", "Call sites met, and of them in site=\"other\".");
	fprintf(f, "kmscope_sites{series=\"all\"} %zu\n", collector__nr_sites(c));
	fprintf(f, "kmscope_sites{series=\"other\"} %zu\n", collector__nr_sites(c) - pe->nr);
	promtext__family(f, "kmscope_live_table_objects", "gauge",
			 "Live allocations the collector tracks.");
	fprintf(f, "kmscope_live_table_objects %zu\n", collector__live(c));
	promtext__family(f, "kmscope_collector_memory_bytes", "gauge",
			 "Memory of the collector's tables.");
	fprintf(f, "kmscope_collector_memory_bytes %zu\n", collector__memory(c));
	promtext__family(f, "kmscope_process_cpu_seconds_total", "counter",
			 "kmscope's user and system CPU time.");
	fprintf(f, "kmscope_process_cpu_seconds_total %.3f\n", self->cpu_seconds);
	promtext__family(f, "kmscope_process_resident_memory_bytes", "gauge",
			 "kmscope's resident memory.");
	fprintf(f, "kmscope_process_resident_memory_bytes %" PRIu64 "\n", self->rss_bytes);
	promtext__family(f, "kmscope_uptime_seconds", "gauge", "Seconds since the server started.");
	fprintf(f, "kmscope_uptime_seconds %.3f\n", self->uptime_seconds);
}

/*
 * How many findings of each kind and severity the last report has: a
 * gauge, every pair there (0 included) so that an alert on a severity
 * never meets a missing series.
 */
static void write_findings(FILE *f, const struct findings *fs)
{
	uint64_t n[FIND_KIND_MAX][FIND_SEVERITY_MAX] = { { 0 } };
	size_t i;
	int k, v;

	if (!fs)
		return;
	for (i = 0; i < fs->n; i++)
		n[fs->f[i].kind][fs->f[i].severity]++;
	promtext__family(f, "kmscope_findings", "gauge",
			 "Findings of the report at the last snapshot, per kind and severity.");
	for (k = 0; k < FIND_KIND_MAX; k++) {
		for (v = 0; v < FIND_SEVERITY_MAX; v++) {
			fprintf(f, "kmscope_findings{");
			promtext__label(f, "kind", finding_kind_name(k));
			fputc(',', f);
			promtext__label(f, "severity", finding_severity_name(v));
			fprintf(f, "} %" PRIu64 "\n", n[k][v]);
		}
	}
}

int promexp__write(const struct promexp *pe, FILE *f, const struct collector *c,
		   const struct ksyms *ks, const struct runinfo *ri,
		   const struct promexp_self *self, const struct findings *fs)
{
	write_sites(pe, f, c, ks);
	write_caches(f, c);
	write_trace(f, c, ri);
	write_findings(f, fs);
	write_tables(f, c, ri, self);
	write_self(pe, f, c, self);
	return ferror(f) ? -EIO : 0;
}
