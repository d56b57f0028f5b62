/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_stat.h - the `stat` report: totals per call site and per cache,
 * the event counts and every loss, as aligned text or JSON.  Pure: reads
 * the collector, symbols and run info it is given, writes to a FILE*.
 */
#ifndef KMS_REPORT_STAT_H
#define KMS_REPORT_STAT_H

#include <stdbool.h>
#include <stdio.h>

struct collector;
struct ksyms;
struct runinfo;

enum stat_sort {
	STAT_SORT_ALLOCS,
	STAT_SORT_FREES,
	STAT_SORT_REQ,
	STAT_SORT_ALLOC,
	STAT_SORT_WASTE,
	STAT_SORT_LIVE,
	STAT_SORT_LIVE_BYTES,
	STAT_SORT_FAILED,
};

struct findings;
struct membill;
struct slabgrowth;
struct slabsys;

struct stat_opts {
	enum stat_sort sort;
	unsigned int top;	/* rows per table, 0 = all */
	bool json;
	bool pretty;
	bool openmetrics;	/* OpenMetrics text (stat --openmetrics) */
	/* `report`: findings of these sections instead of the tables (text) */
	const struct findings *findings;
	unsigned int sections;
	const struct kms_stacks *stacks;	/* -g, or NULL */
	const struct membill *membill;	/* `report` waste: classes and bills, or NULL */
	/* `report` waste: slabs at the start and the end, or NULL (no snapshots) */
	const struct slabgrowth *growth;
	/* the start snapshot's cache names, for merged caches' aliases, or NULL */
	const struct slabsys *names;
	const char *folded;	/* --folded WEIGHT: folded stacks instead */
	const struct cgpaths *cgpaths;	/* the cgroups' paths, or NULL */
	bool by_cgroup;		/* --by cgroup: the CGROUP table (and sites per cgroup) */
};

struct kms_stacks;
struct cgpaths;

/*
 * Folded stacks for flame graphs: one line per site, frames outermost
 * first joined by ';', then the weight: "bytes" (allocated), "count"
 * (allocations) or "live" (live bytes at the end).
 */
int report_folded(FILE *f, const struct collector *c, const struct ksyms *ks,
		  const struct kms_stacks *stacks, const char *weight);

/* Parse a -s key ("allocs", "waste", ...); -EINVAL when unknown. */
int stat_sort_parse(const char *s, enum stat_sort *out);
int report_stat(FILE *f, const struct collector *c, const struct ksyms *ks,
		const struct runinfo *ri, const struct stat_opts *o);
/*
 * The text report's header alone: "kmscope WHAT: ..." and the events:,
 * kernel:, lost:, skipped:, damaged: and note: lines (trace's summary).
 */
int report_stat_header(FILE *f, const struct collector *c, const struct runinfo *ri,
		       const char *what);
/* The same counts as one line of JSON, {"summary":{...}}, newline-ended. */
struct json_writer;
/* The "damaged" object of a recording read past damage (nothing when whole). */
void report_damage_json(struct json_writer *w, const struct runinfo *ri);
/*
 * "stack": the caller's frames of stack id `stack` (-g), from call_site
 * outwards; nothing when the stack is not known.
 */
void report_json_stack(struct json_writer *w, int32_t stack, uint64_t call_site,
		       const struct ksyms *ks, const struct kms_stacks *stacks);
int report_stat_summary_json(FILE *f, const struct collector *c, const struct runinfo *ri);
struct kms_totals;
/* A row's counts: allocs, frees, failed, bytes_req, bytes_alloc, waste, live, live_bytes... */
void report_json_totals(struct json_writer *w, const struct kms_totals *t);
/* "aliases": the other names of cache `name` in names (NULL: none known), by name. */
void report_json_aliases(struct json_writer *w, const struct slabsys *names, const char *name);

#endif /* KMS_REPORT_STAT_H */
