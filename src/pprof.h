/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pprof.h - the traced allocations as a pprof heap profile: gzipped
 * perftools.profiles.Profile (src/profile.proto) with Go's heap sample
 * types alloc_objects, alloc_space, inuse_objects and inuse_space, one
 * sample per call site (per stack with -g), so `go tool pprof`, Pyroscope
 * and Parca read it like a Go heap profile; with --by cgroup one sample
 * per call site and cgroup, labelled "cgroup".  "inuse" is what was
 * allocated during the trace and still live at its end.  Pure: reads the
 * collector, writes to a FILE*.
 */
#ifndef KMS_PPROF_H
#define KMS_PPROF_H

#include <stdio.h>

struct collector;
struct ksyms;
struct kms_stacks;
struct cgpaths;
struct runinfo;

/* Returns 0, -ENOMEM or -EIO. */
int pprof__write(FILE *f, const struct collector *c, const struct ksyms *ks,
		 const struct kms_stacks *stacks, const struct cgpaths *paths,
		 const struct runinfo *ri);

#endif /* KMS_PPROF_H */
