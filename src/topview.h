/* SPDX-License-Identifier: GPL-2.0 */
/*
 * topview.h - the table `kmscope top` shows, refreshed from the live
 * collector: per call site or per cache, the allocation and free rates
 * since the previous refresh, live objects and bytes, the waste of what
 * was allocated, and a marker for what deserves a look.  Pure: the
 * collector and the time in, rows out; the screen is cmd_top.c's.
 */
#ifndef KMS_TOPVIEW_H
#define KMS_TOPVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"

struct cgpaths;
struct collector;
struct ksyms;

enum topview_mode { TOP_SITES, TOP_CACHES, TOP_CGROUPS, TOP_MODES };

enum topview_sort {
	TOP_SORT_ALLOC_RATE,	/* a */
	TOP_SORT_FREE_RATE,	/* f */
	TOP_SORT_LIVE,		/* l */
	TOP_SORT_LIVE_BYTES,	/* b */
	TOP_SORT_WASTE,		/* w: waste % */
	TOP_SORT_NAME,		/* n */
};

/* Row markers: what a `report` would look at first. */
#define TOP_MARK_GFP_BUG	(1u << 0)	/* sleeping allocation in atomic context */
#define TOP_MARK_FAILED		(1u << 1)	/* NULL returns */
#define TOP_MARK_GROWING	(1u << 2)	/* live count rose at each of the last refreshes */

struct topview_row {
	char name[KMS_SYM_LEN];	/* site (symbol+off), cache name or cgroup path */
	double alloc_rate, free_rate;	/* per second since the previous refresh */
	uint64_t allocs, live, live_bytes, bytes_req, bytes_alloc;
	double waste_pct;	/* (allocated - requested) / allocated, whole trace */
	int lt_p50;		/* lifetime.h bucket of the median lifetime, whole trace; -1: none freed */
	unsigned int marks;
};

struct topview_totals {
	double alloc_rate, free_rate;
	uint64_t live, live_bytes, bytes_req, bytes_alloc;
};

struct topview;

struct topview *topview__new(void);
void topview__free(struct topview *tv);
/*
 * Take a refresh at elapsed_ns of trace time: rates against the previous
 * one, rows of mode filtered by a substring of their name (NULL: all),
 * sorted; cgroups named by paths (NULL: by id).  Returns 0 or -ENOMEM.
 */
int topview__refresh(struct topview *tv, const struct collector *c, const struct ksyms *ks,
		     const struct cgpaths *paths, uint64_t elapsed_ns, enum topview_mode mode,
		     enum topview_sort sort, const char *filter);
size_t topview__nr_rows(const struct topview *tv);
const struct topview_row *topview__row(const struct topview *tv, size_t i);
const struct topview_totals *topview__totals(const struct topview *tv);
/* "a" -> TOP_SORT_ALLOC_RATE ...; -EINVAL for another key. */
int topview_sort_key(int key, enum topview_sort *out);
const char *topview_marks(unsigned int marks, char buf[4]);
/*
 * A line of the screen in cols columns: whole when it fits, else cut to
 * cols - 3 and ended with "...", so that a cut name never passes for a
 * whole one.  Writes at most len - 1 bytes and the NUL to out; returns out.
 */
const char *topview_fit(const char *line, int cols, char *out, size_t len);

#endif /* KMS_TOPVIEW_H */
