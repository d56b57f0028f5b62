/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slabinfo.h - parse /proc/slabinfo (version 2.1, as SLUB prints it).  One
 * entry per real cache, named by its first creator (the root of merged
 * caches), which is also the name the kmem_cache_* tracepoints print.  The
 * text comes from the caller: the live file, or a recording's snapshot.
 */
#ifndef KMS_SLABINFO_H
#define KMS_SLABINFO_H

#include <stddef.h>
#include <stdint.h>

struct slabinfo_entry {
	char name[64];
	uint64_t active_objs;	/* total - free objects on node partial lists */
	uint64_t num_objs;	/* exact */
	uint32_t objsize;	/* s->size */
	uint32_t objperslab;
	uint32_t pagesperslab;
	uint64_t active_slabs;
	uint64_t num_slabs;
};

struct slabinfo {
	struct slabinfo_entry *e;
	size_t n;
	size_t bad_lines;	/* lines skipped as malformed */
};

/* -EINVAL when the header is not "slabinfo - version: 2.1". */
int slabinfo__parse(const char *text, size_t len, struct slabinfo *out);
void slabinfo__free(struct slabinfo *si);
const struct slabinfo_entry *slabinfo__find(const struct slabinfo *si, const char *name);

#endif /* KMS_SLABINFO_H */
