/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_findings.h - the findings (findings.h) for people (aligned text,
 * human units, most important first, one screen by default) and for CI
 * (JSON objects inside the report; schema in docs/report.md).
 */
#ifndef KMS_REPORT_FINDINGS_H
#define KMS_REPORT_FINDINGS_H

#include <stdbool.h>
#include <stdio.h>

struct finding;
struct findings;
struct json_writer;
struct ksyms;
struct kms_stacks;

enum report_section {
	REPORT_WASTE = 1 << 0,
	REPORT_LEAKS = 1 << 1,
	REPORT_GFP = 1 << 2,
	REPORT_FAILURES = 1 << 3,
	REPORT_LIFETIMES = 1 << 4,
	REPORT_ALL = 0x1f,
};

/* Parse "waste", "leaks", "gfp", "failures", "lifetimes" or "all"; -EINVAL otherwise. */
int report_section_parse(const char *s, unsigned int *out);
bool report_section_has(unsigned int sections, const struct finding *f);
void report_findings_json(struct json_writer *w, const struct findings *fs,
			  const struct ksyms *ks, const struct kms_stacks *stacks,
			  unsigned int sections);
int report_findings_text(FILE *f, const struct findings *fs, const struct ksyms *ks,
			 const struct kms_stacks *stacks, unsigned int sections, unsigned int top);
/* The explanation and fix of each kind of finding shown, for the end of a report. */
int report_findings_explain(FILE *f, const struct findings *fs, unsigned int sections);

#endif /* KMS_REPORT_FINDINGS_H */
