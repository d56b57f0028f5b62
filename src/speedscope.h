/* SPDX-License-Identifier: GPL-2.0 */
/*
 * speedscope.h - the traced allocations in speedscope's file format
 * (https://www.speedscope.app/file-format-schema.json): three sampled
 * profiles over the same frames, weighted by live bytes at the end,
 * bytes allocated and allocations; one sample per call site (per stack
 * with -g), frames outermost first.  Pure: reads, writes to a FILE*.
 */
#ifndef KMS_SPEEDSCOPE_H
#define KMS_SPEEDSCOPE_H

#include <stdio.h>

struct collector;
struct ksyms;
struct kms_stacks;
struct runinfo;

/* Returns 0, -ENOMEM or -EIO. */
int speedscope__write(FILE *f, const struct collector *c, const struct ksyms *ks,
		      const struct kms_stacks *stacks, const struct runinfo *ri);

#endif /* KMS_SPEEDSCOPE_H */
