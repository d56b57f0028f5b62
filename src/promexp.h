/* SPDX-License-Identifier: GPL-2.0 */
/*
 * promexp.h - what `kmscope serve` exposes to Prometheus: counters since
 * the server started (so that rate() works) per call site, per cache and
 * for the trace, and gauges of what is live, in the Prometheus text
 * format.  The number of series is bounded: at most max_sites call sites
 * have series of their own, the rest add up in site="other".
 *
 * A site is named at the first update after it appeared, the busiest
 * (most allocations) of the new ones first, while room lasts, and never
 * leaves; a site that found no room stays in "other" for good.  So no
 * count ever moves from "other" to a named series or back: every counter,
 * "other" included, only grows, and Prometheus never sees a false reset,
 * while a named site's counters are its whole counts.  Pure: the
 * collector and the numbers about kmscope itself in, text out.
 */
#ifndef KMS_PROMEXP_H
#define KMS_PROMEXP_H

#include <stdint.h>
#include <stdio.h>

struct collector;
struct findings;
struct ksyms;
struct runinfo;

/* kmscope's own resources, which the caller measures. */
struct promexp_self {
	double cpu_seconds;		/* user + system */
	uint64_t rss_bytes;
	double uptime_seconds;		/* since the server started */
	uint64_t max_tracked;		/* the live table's bound (0: none) */
};

struct promexp;

struct promexp *promexp__new(unsigned int max_sites);
void promexp__free(struct promexp *pe);
/* Give sites met since the last update their series, while room lasts.  0 or -ENOMEM. */
int promexp__update(struct promexp *pe, const struct collector *c);
/*
 * The exposition; 0, or -EIO when f failed.  fs: the findings of the last
 * report, counted per kind (every kind, 0 included), or NULL (none yet).
 */
int promexp__write(const struct promexp *pe, FILE *f, const struct collector *c,
		   const struct ksyms *ks, const struct runinfo *ri,
		   const struct promexp_self *self, const struct findings *fs);

#endif /* KMS_PROMEXP_H */
