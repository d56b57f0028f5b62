/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diff_internal.h - what the three parts of `kmscope diff` share beyond
 * diff.h: diff_load.c (reading reports), diff.c (comparing, the gate) and
 * diff_write.c (text and JSON).  The metric table lives in diff.c, so a
 * metric's command-line name, report key and column header stay on one
 * line.  Not for use outside these three files.
 */
#ifndef KMS_DIFF_INTERNAL_H
#define KMS_DIFF_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "diff.h"

struct diff_metric_desc {
	const char *name;	/* METRIC on the command line */
	const char *key;	/* key in the report */
	const char *column;	/* text column header; NULL: report-level */
	bool bytes;		/* printed in KiB/MiB */
	const char *needs;	/* report-level: what a report needs to have it */
};

extern const struct diff_metric_desc diff_metrics[DIFF_NR_METRICS];

/* Totals of wrapped "waste" rows (near 2^64, see docs/output.md) must not
 * wrap again into something small. */
static inline uint64_t diff_sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static inline uint64_t diff_absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

#endif /* KMS_DIFF_INTERNAL_H */
