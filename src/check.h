/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.h - `kmscope check`: the SLUB model proved against the kernel.
 * (a) geometry: the model's slab_size, objs_per_slab and order against
 * /sys/kernel/slab for every cache; (b) events: every traced allocation's
 * bytes_alloc against the model (validate.h); (c) accounting: traced
 * allocs - frees against /proc/slabinfo's change, within the slack of
 * reconcile.h.  Pure: snapshots, run info and collector in; a result out.
 */
#ifndef KMS_CHECK_H
#define KMS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reconcile.h"
#include "validate.h"

struct collector;
struct runinfo;
struct ksyms;

struct check_geom_row {
	char name[64];
	uint32_t object_size, align;
	uint32_t kernel_size, kernel_objs, kernel_order;
	uint32_t model_size, model_objs, model_order;
	bool exact;
};

struct slabsys;
struct refree;

struct check_result {
	/* (a) */
	bool have_geometry;		/* a sysfs snapshot was available */
	size_t geom_n, geom_exact;
	struct check_geom_row *geom;	/* all rows, mismatches first */
	/* (b) */
	struct validate_stats ev;
	/* (c) */
	bool have_slabinfo;
	size_t acct_n;			/* rows */
	size_t acct_touched, acct_touched_hold, acct_unchecked;
	size_t acct_untouched_moved;	/* untouched caches outside the bound */
	size_t acct_estimated;		/* touched, active_objs estimated by the kernel */
	uint64_t acct_untraced_allocs;	/* frees that proved an allocation without event */
	size_t acct_blind;		/* touched, short by untraced frees */
	uint64_t acct_untraced_frees;	/* their total */
	struct reconcile_row *acct;	/* touched failing first */
	/* the sysfs snapshot, for the names merged into each cache, or NULL */
	struct slabsys *names;
	bool ok;
};

struct check_input {
	const char *slabgeom;		/* sysfs snapshot text at the end */
	size_t slabgeom_len;
	const char *slabinfo_start, *slabinfo_end;
	size_t slabinfo_start_len, slabinfo_end_len;
	const struct runinfo *ri;
	const struct collector *c;
	struct validate_stats *ev;	/* finished here against the snapshot */
	const struct refree *refrees;	/* allocations seen only by their frees, or NULL */
};

int check__run(const struct check_input *in, struct check_result *out);
void check__free(struct check_result *r);
int check__report(FILE *f, const struct check_result *r, const struct runinfo *ri,
		  const struct ksyms *ks, bool json, bool pretty, bool verbose);

#endif /* KMS_CHECK_H */
