/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_large.h - the waste section's LARGE KMALLOC table and its JSON
 * (large_kmallocs): per call site, the kmallocs above
 * KMALLOC_MAX_CACHE_SIZE, which the page allocator serves in whole
 * pages, with their orders and the bytes the rounding to a power of two
 * of pages costs.  Reads the collector; writes.
 */
#ifndef KMS_REPORT_LARGE_H
#define KMS_REPORT_LARGE_H

#include <stdio.h>

struct collector;
struct json_writer;
struct ksyms;

/* top: rows, 0 = all.  Nothing when the trace had no large kmalloc. */
int report_large_text(FILE *f, const struct collector *c, const struct ksyms *ks,
		      unsigned int top);
void report_large_json(struct json_writer *w, const struct collector *c,
		       const struct ksyms *ks, unsigned int top);

#endif /* KMS_REPORT_LARGE_H */
