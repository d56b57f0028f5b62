/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_slabgrowth.h - the waste section's SLAB GROWTH table and its
 * JSON (slabgrowth.h): which caches gained or lost slabs between the
 * start and the end of the trace.  Reads; writes.
 */
#ifndef KMS_REPORT_SLABGROWTH_H
#define KMS_REPORT_SLABGROWTH_H

#include <stdio.h>

struct json_writer;
struct slabgrowth;

/* top: rows, 0 = all.  g NULL: the snapshots or their counters were missing. */
int report_slabgrowth_text(FILE *f, const struct slabgrowth *g, unsigned int top);
void report_slabgrowth_json(struct json_writer *w, const struct slabgrowth *g,
			    unsigned int top);

#endif /* KMS_REPORT_SLABGROWTH_H */
