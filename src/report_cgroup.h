/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_cgroup.h - allocations by cgroup: the CGROUP table (stat and
 * report with --by cgroup), JSON "cgroups" and the rows both share, in
 * one order (allocated bytes, then id) so that replay prints what the
 * live run printed.  Reads the collector; writes.
 */
#ifndef KMS_REPORT_CGROUP_H
#define KMS_REPORT_CGROUP_H

#include <stddef.h>
#include <stdio.h>

struct cgpaths;
struct collector;
struct json_writer;
struct kms_cgroup;
struct kms_cgsite;
struct ksyms;

/* The collector's cgroups that allocated, in report order (free() it); NULL: -ENOMEM. */
const struct kms_cgroup **report_cgroup_rows(const struct collector *c, size_t *n);
/*
 * The (site, cgroup) pairs of cgroup index cg (--by cgroup), in report
 * order; *n = 0 without --by cgroup.  NULL with *n = 0 when none.
 */
const struct kms_cgsite **report_cgroup_sites(const struct collector *c, size_t cg, size_t *n);
/* The collector's index of a row of report_cgroup_rows(). */
size_t report_cgroup_index(const struct collector *c, const struct kms_cgroup *g);

/* top: cgroups shown (and sites per cgroup), 0 = all. */
int report_cgroup_text(FILE *f, const struct collector *c, const struct ksyms *ks,
		       const struct cgpaths *paths, unsigned int top);
void report_cgroup_json(struct json_writer *w, const struct collector *c,
			const struct ksyms *ks, const struct cgpaths *paths, unsigned int top);

#endif /* KMS_REPORT_CGROUP_H */
