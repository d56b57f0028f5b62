/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_lifetime.h - object lifetimes (lifetime.h) for people and for
 * machines: the JSON "lifetime" object of a site or cache row, and the
 * LIFETIMES section of `report` (a table of quantiles per call site and,
 * for `report lifetimes`, the histograms of the top sites).  Pure: reads
 * the collector and run info it is given, writes to a FILE* or writer.
 */
#ifndef KMS_REPORT_LIFETIME_H
#define KMS_REPORT_LIFETIME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lifetime.h"

struct collector;
struct json_writer;
struct ksyms;
struct runinfo;

/* The end of the trace in us since its start: live objects' ages run to it. */
uint64_t lifetime_end_us(const struct collector *c, const struct runinfo *ri);
/*
 * Per-site and per-cache ages of the live allocations at the end of the
 * trace (collector__live_ages()), allocated here; free() both.  -ENOMEM.
 */
int lifetime_live_ages(const struct collector *c, const struct runinfo *ri,
		       struct kms_lifetime **site_ages, struct kms_lifetime **cache_ages);
/* "lifetime": {freed, p50/p90/p99 bounds, buckets, live ages}. */
void lifetime_json(struct json_writer *w, const struct kms_lifetime *freed,
		   const struct kms_lifetime *ages);
/*
 * The LIFETIMES section: top sites (0 = all) by objects freed, then live;
 * site_ages from lifetime_live_ages(); hists: also each shown site's
 * histogram (at most KMS_LT_HISTS of them).
 */
int report_lifetime_text(FILE *f, const struct collector *c, const struct ksyms *ks,
			 const struct kms_lifetime *site_ages, unsigned int top, bool hists);

#define KMS_LT_HISTS	5

#endif /* KMS_REPORT_LIFETIME_H */
