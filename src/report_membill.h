/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_membill.h - the waste section's two tables (membill.h): rounding
 * per kmalloc size class, and each cache's memory bill.  Reads; writes.
 */
#ifndef KMS_REPORT_MEMBILL_H
#define KMS_REPORT_MEMBILL_H

#include <stdio.h>

struct json_writer;
struct membill;

/* top: rows per table, 0 = all. */
struct ksyms;

/* ks names the sites of unverifiable live objects (may be NULL: addresses). */
int report_membill_text(FILE *f, const struct membill *mb, const struct ksyms *ks,
			unsigned int top);
void report_membill_json(struct json_writer *w, const struct membill *mb,
			 const struct ksyms *ks, unsigned int top);

#endif /* KMS_REPORT_MEMBILL_H */
