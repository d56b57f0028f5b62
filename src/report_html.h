/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_html.h - `report --html FILE`: the report as one self-contained
 * page (inline CSS and SVG, no script, no network), with pictures where
 * people would rather look than read: a flame graph of live bytes by
 * stack, waste by call site and by size class, the request sizes against
 * the class boundaries, live objects over time of the top sites, the
 * findings with their explanations, and each cache's memory bill.  Pure:
 * reads what the report computed, writes to a FILE*.
 */
#ifndef KMS_REPORT_HTML_H
#define KMS_REPORT_HTML_H

#include <stdio.h>

struct collector;
struct findings;
struct ksyms;
struct kms_stacks;
struct membill;
struct runinfo;

struct slabgrowth;

struct html_input {
	const struct collector *c;
	const struct ksyms *ks;
	const struct kms_stacks *stacks;	/* -g, or NULL */
	const struct runinfo *ri;
	const struct findings *findings;
	const struct membill *membill;
	const struct slabgrowth *growth;	/* or NULL: no slabinfo snapshots */
};

/* Returns 0, -ENOMEM or -EIO. */
int report_html(FILE *f, const struct html_input *in);

#endif /* KMS_REPORT_HTML_H */
