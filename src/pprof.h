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

#include <stdbool.h>
#include <stdint.h>
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

/*
 * A window's start: every call site's (and, with --by cgroup, every
 * (site, cgroup)'s) allocations and bytes at that moment, so that a later
 * profile can count only what came after, as Go's ?seconds=N does.
 */
struct pprof_base;

struct pprof_base *pprof_base__new(const struct collector *c, uint64_t real_ns);
void pprof_base__free(struct pprof_base *b);

struct pprof_opts {
	bool allocs;			/* Go's allocs profile: alloc_space by default */
	const struct pprof_base *since;	/* alloc_* since then (inuse: now), or NULL */
	uint64_t now_real_ns;		/* with since: the window's end */
};

/* pprof__write() with options (NULL: the heap profile since the start). */
int pprof__write_opts(FILE *f, const struct collector *c, const struct ksyms *ks,
		      const struct kms_stacks *stacks, const struct cgpaths *paths,
		      const struct runinfo *ri, const struct pprof_opts *o);

#endif /* KMS_PPROF_H */
