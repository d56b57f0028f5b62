/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diff.h - `kmscope diff`: compare two JSON reports (`run -o` / `report -j`,
 * or `stat -j`) per call site, per cache, in totals and in findings, and
 * decide whether the change crosses a CI gate (--max-increase, --fail-on).
 *
 * Pure: parsing works on a buffer (or reads one file), comparing and the
 * decision work on parsed reports, and the renderers write to a FILE *.
 * Sites are matched by their "site" string (symbol+offset), never by
 * "addr", which KASLR moves between boots; caches by their "cache" name.
 * Findings are matched by (kind, site).
 */
#ifndef KMS_DIFF_H
#define KMS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The numbers a diff compares; also the METRICs of the gate. */
enum diff_metric {
	/* Every site and cache row has these. */
	DIFF_ALLOCS,
	DIFF_BYTES,		/* "bytes_alloc" in the report */
	DIFF_WASTE,
	DIFF_LIVE,
	DIFF_LIVE_BYTES,
	DIFF_FAILED,
	DIFF_NR_ROW_METRICS,
	/*
	 * Totals of the whole report, from its memory bill ("memory") and
	 * size classes ("size_classes"), which `stat -j` does not write.
	 */
	DIFF_SLAB_BYTES = DIFF_NR_ROW_METRICS,	/* sum of kernel.slab_bytes */
	DIFF_FREE_SLOTS,	/* sum of kernel.free_bytes + kernel.tail_bytes */
	DIFF_ROUNDING,		/* sum of size_classes[].rounding */
	/*
	 * From the sites' "lifetime": the median lifetime (the bound of its
	 * power-of-two bucket, us) of the site in both whose median grew the
	 * most, among sites with DIFF_LT_MIN_FREED objects freed in each.
	 */
	DIFF_LIFETIME,
	DIFF_NR_METRICS,
};

/* The METRIC name on the command line: "allocs", "bytes", ... */
const char *diff_metric_name(enum diff_metric m);
/* The report's key: "allocs", "bytes_alloc", ... */
const char *diff_metric_key(enum diff_metric m);
/* A METRIC name (or its report key); -EINVAL when unknown. */
int diff_metric_parse(const char *s, enum diff_metric *out);
/*
 * What a report needs for a report-level metric: "memory bill" or "size
 * classes"; NULL for a row metric, which every report has.
 */
const char *diff_metric_needs(enum diff_metric m);

/* A site's median lifetime is compared from this many objects freed in each report. */
#define DIFF_LT_MIN_FREED	10
/* A median in the last, unbounded bucket (p50_lt_us null): beyond every bound. */
#define DIFF_LT_UNBOUNDED	(1ULL << 33)

/* One site or cache of a report. */
struct diff_entry {
	char *name;		/* its "site" or "cache" string */
	uint64_t v[DIFF_NR_ROW_METRICS];
	uint64_t lt_freed;	/* "lifetime": objects freed ... */
	uint64_t lt_p50;	/* ... and their median's bucket bound, us */
};

struct diff_finding {
	char *kind;
	char *severity;		/* NULL when absent */
	char *site;		/* NULL when absent */
	char *cache;		/* NULL when absent */
	uint64_t count;
	uint64_t bytes;
};

struct diff_report {
	char *kernel;		/* NULL when absent */
	char *method;
	char *command;
	/* Sorted by name; rows with the same name are summed. */
	struct diff_entry *sites;
	size_t nr_sites;
	struct diff_entry *caches;	/* none when the report has no "caches" */
	size_t nr_caches;
	/*
	 * The kmalloc size classes ("size_classes"), named "kmalloc-SIZE"
	 * or "large-SIZE": waste is their rounding, failed 0.
	 */
	struct diff_entry *classes;
	size_t nr_classes;
	struct diff_finding *findings;
	size_t nr_findings;
	bool has_findings;	/* a "findings" array was there (stat -j has none) */
	/*
	 * The listed sites add up to less than the report's own totals
	 * ("live", "events"): it was written with a -n limit, so totals over
	 * its sites are partial.
	 */
	bool partial;
	/* The report-level metrics, each valid only when its array was there. */
	bool has_memory;	/* a "memory" array: slab_bytes, free_slots */
	bool has_size_classes;	/* a "size_classes" array: rounding */
	bool has_lifetimes;	/* the sites have "lifetime" objects */
	/* Memory rows, but none with the kernel's counters: 0 B is unknown. */
	bool memory_uncounted;
	uint64_t slab_bytes, free_slots, rounding;
};

/*
 * Parse one report from text[0..len).  On failure returns -EINVAL (not
 * JSON, or not a report: err says what and where) or -ENOMEM, and r is
 * left empty.
 */
int diff_report__parse(struct diff_report *r, const char *text, size_t len,
		       char *err, size_t errlen);
/* Read and parse a file; -errno with err set ("cannot read: ..." etc.). */
int diff_report__load(struct diff_report *r, const char *path, char *err,
		      size_t errlen);
void diff_report__free(struct diff_report *r);
/* The report has the numbers of metric m: always so for a row metric. */
bool diff_report__has(const struct diff_report *r, enum diff_metric m);

enum diff_status {
	DIFF_CHANGED,		/* in both, some metric differs */
	DIFF_ADDED,		/* only in NEW */
	DIFF_GONE,		/* only in BASE */
};

struct diff_row {
	const char *name;	/* the site or cache; points into a report */
	enum diff_status status;
	uint64_t base[DIFF_NR_ROW_METRICS];	/* 0 for an added row */
	uint64_t now[DIFF_NR_ROW_METRICS];	/* 0 for a gone row */
};

/*
 * The sites (or the caches) of two reports, matched by name.  Biggest
 * change of the sort metric first (added and gone: biggest value); ties
 * by bytes, live_bytes, waste, allocs, live, failed, then by name.
 */
struct diff_rows {
	struct diff_row *changed, *added, *gone;
	size_t nr_changed, nr_added, nr_gone;
	size_t nr_same;		/* in both, no metric differs */
};

struct diff_result {
	const struct diff_report *base, *now;
	/*
	 * Row metrics: over all listed sites.  Report-level metrics: the
	 * report's own, 0 when a report lacks them (diff_result__has()).
	 */
	uint64_t total_base[DIFF_NR_METRICS];
	uint64_t total_now[DIFF_NR_METRICS];
	struct diff_rows sites, caches, classes;
	/* DIFF_LIFETIME: the site whose median lifetime grew most, or NULL. */
	const char *lt_site;
	/* NEW findings with no BASE finding of the same (kind, site), and the
	 * reverse; most severe first. */
	const struct diff_finding **new_findings, **resolved;
	size_t nr_new_findings, nr_resolved;
};

/*
 * Compare; -ENOMEM or 0.  d points into both reports: free d first.  A
 * sort metric that is not a row metric sorts by bytes.
 */
int diff__compare(struct diff_result *d, const struct diff_report *base,
		  const struct diff_report *now, enum diff_metric sort);
void diff__free(struct diff_result *d);
/* Both reports have the numbers of metric m, so their totals compare. */
bool diff_result__has(const struct diff_result *d, enum diff_metric m);

/* Percent change: +INFINITY from 0 to more than 0, 0 from 0 to 0. */
double diff_pct(uint64_t base, uint64_t now);

struct diff_threshold {
	enum diff_metric metric;
	double max_pct;
};

/* "METRIC=PCT" (PCT finite, >= 0, an optional trailing '%'); -EINVAL. */
int diff_threshold__parse(const char *arg, struct diff_threshold *t);
/*
 * The total of the metric grew by more than max_pct percent; never for a
 * metric a report lacks (the caller refuses such a threshold first).
 */
bool diff_threshold__crossed(const struct diff_result *d,
			     const struct diff_threshold *t);

/* The --fail-on conditions, as bits of a mask. */
enum diff_cond {
	DIFF_NEW_LEAK,		/* a new "leak" finding */
	DIFF_NEW_GFP_BUG,	/* a new "gfp-*" finding of severity "bug" */
	DIFF_NEW_FAILURE,	/* a new "failure" finding */
	DIFF_NEW_FINDING,	/* any new finding */
	DIFF_NR_CONDS,
};

const char *diff_cond_name(enum diff_cond c);
/*
 * A comma-separated list of condition names into a mask of 1 << cond.
 * -EINVAL for an unknown or empty item, with *bad and *bad_len naming it.
 */
int diff_fail_on__parse(const char *list, unsigned int *mask,
			const char **bad, size_t *bad_len);
/* How many new findings meet the condition (it holds when > 0). */
size_t diff_cond__count(const struct diff_result *d, enum diff_cond c);

/* What the CI gate checks. */
struct diff_gate {
	const struct diff_threshold *th;
	size_t nr_th;
	unsigned int fail_on;	/* mask of 1 << enum diff_cond */
};

/* Some threshold is crossed or some --fail-on condition holds. */
bool diff_gate__fails(const struct diff_result *d, const struct diff_gate *g);

struct diff_render_opts {
	const char *base_name;	/* the file names, for the header */
	const char *new_name;
	unsigned int top;	/* rows per list, 0 = all */
	enum diff_metric sort;	/* a row metric */
	bool json;
	bool pretty;
};

/* The report, with the gate's outcome, as text or JSON; 0 or -errno. */
int diff__render(FILE *f, const struct diff_result *d, const struct diff_gate *g,
		 const struct diff_render_opts *o);

#endif /* KMS_DIFF_H */
