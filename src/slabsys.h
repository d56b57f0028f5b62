/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slabsys.h - the /sys/kernel/slab snapshot that slabsnap.c writes, parsed
 * back into one record per real cache directory plus the alias symlinks.
 *
 * The text comes from recordings, so it is treated as hostile: a line
 * that is not exactly `cache NAME key=value ...` or `alias NAME TARGET`
 * (binary bytes, a token without '=', a number that does not fit, a name
 * of 64 bytes or more, a duplicate) is skipped and counted, never trusted.
 * Attributes the kernel did not have (sheaf_capacity before 6.18, the
 * counters without CONFIG_SLUB_DEBUG) are marked absent, not zero.
 *
 * A mergeable cache's directory is named by a unique id such as
 * `:A-0000192` and every name that maps to it, the first creator's
 * included, is a symlink to it.  The root name (what /proc/slabinfo and
 * the kmem_cache_* tracepoints print) is therefore only ever an alias
 * here: slabsys__find() resolves real directory names and aliases alike.
 *
 * The parsed table is immutable and owned by struct slabsys; pointers
 * handed out live until slabsys__free().
 */
#ifndef KMS_SLABSYS_H
#define KMS_SLABSYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLABSYS_NAME_MAX	64	/* including the NUL */

/* One bit per attribute in slab_sysfs_cache.present. */
enum slabsys_attr {
	SLABSYS_OBJECT_SIZE,
	SLABSYS_SLAB_SIZE,
	SLABSYS_OBJS_PER_SLAB,
	SLABSYS_ORDER,
	SLABSYS_ALIGN,
	SLABSYS_ALIASES,
	SLABSYS_CPU_PARTIAL,
	SLABSYS_MIN_PARTIAL,
	SLABSYS_SHEAF_CAPACITY,
	SLABSYS_USERSIZE,
	SLABSYS_CTOR,
	SLABSYS_RCU,			/* destroy_by_rcu */
	SLABSYS_HWCACHE_ALIGN,
	SLABSYS_RECLAIM_ACCOUNT,
	SLABSYS_CACHE_DMA,
	SLABSYS_RED_ZONE,
	SLABSYS_POISON,
	SLABSYS_STORE_USER,
	SLABSYS_SANITY_CHECKS,
	SLABSYS_TRACE,
	SLABSYS_OBJECTS,
	SLABSYS_OBJECTS_PARTIAL,
	SLABSYS_TOTAL_OBJECTS,
	SLABSYS_SLABS,
	SLABSYS_PARTIAL,
	SLABSYS_CPU_SLABS,
	SLABSYS_SLABS_CPU_PARTIAL,
	SLABSYS_NR_ATTRS,
};

struct slab_sysfs_cache {
	char name[SLABSYS_NAME_MAX];	/* the directory: real name or :id */
	/* static geometry (sysfs align is already calculate_alignment()'s) */
	uint32_t object_size, slab_size, objs_per_slab, order, align, aliases;
	uint32_t cpu_partial, min_partial, sheaf_capacity, usersize;
	/* flag files */
	bool ctor, rcu, hwcache_align, reclaim_account, cache_dma;
	bool red_zone, poison, store_user, sanity_checks, trace;
	char ctor_sym[SLABSYS_NAME_MAX];	/* `init_once+0x0/0x40`, may be cut */
	/* counters: objects, total_objects and slabs need CONFIG_SLUB_DEBUG */
	uint64_t objects, objects_partial, total_objects, slabs, partial;
	uint64_t cpu_slabs;
	/* slabs_cpu_partial reads `objects(slabs)`; objects is an estimate */
	uint64_t cpu_partial_objs, cpu_partial_slabs;
	bool has_counters;	/* objects, total_objects and slabs all present */
	uint64_t present;	/* bit (1 << enum slabsys_attr) per attribute */
};

struct slabsys_alias {
	char name[SLABSYS_NAME_MAX];
	size_t cache;		/* index for slabsys__cache() */
};

struct slabsys;

/* Parse len bytes of snapshot text (need not be NUL-terminated; NUL bytes
 * are junk like any other control byte).  Malformed lines, duplicates and
 * aliases whose target has no cache line are skipped and counted.
 * Returns 0, -EINVAL for bad arguments or -ENOMEM; *out is set only on
 * success.  Empty input gives an empty table. */
int slabsys__parse(const char *text, size_t len, struct slabsys **out);
void slabsys__free(struct slabsys *sys);

/* Real cache directories in input order. */
size_t slabsys__nr_caches(const struct slabsys *sys);
const struct slab_sysfs_cache *slabsys__cache(const struct slabsys *sys,
					      size_t i);

/* Alias symlinks, sorted by name; each points at a cache index. */
size_t slabsys__nr_aliases(const struct slabsys *sys);
const struct slabsys_alias *slabsys__alias(const struct slabsys *sys,
					   size_t i);

/* The cache for a real directory name or an alias; NULL when unknown. */
const struct slab_sysfs_cache *slabsys__find(const struct slabsys *sys,
					     const char *name);

/*
 * The other names of the cache `name` is (SLUB merged caches of the same
 * size and flags into one, and each name is a symlink to it): up to max of
 * them in out[], by name, none of them `name`.  Returns how many there
 * are, which may be more than max; 0 when `name` is unknown.
 */
size_t slabsys__aliases_of(const struct slabsys *sys, const char *name, const char **out,
			   size_t max);

/*
 * The other names of cache `name` (slabsys__aliases_of()) joined by ", "
 * in at most width characters: "dnotify_mark, fanotify_mark", cut to
 * "dnotify_mark, ..." or "..." to fit; "" when there are none.  Writes at
 * most len - 1 bytes and the NUL; returns how many names there are.
 */
size_t slabsys__join(const struct slabsys *sys, const char *name, size_t width, char *buf,
		     size_t len);

/* The longest label slabsys__label() makes, its NUL included. */
#define SLABSYS_LABEL_MAX	256

/*
 * A cache's name for a table column of width characters, with the names
 * merged into it: "sigqueue (+ dnotify_mark, inotify_inode_mark)", cut to
 * "sigqueue (+ dnotify_mark, ...)" or "sigqueue (+ ...)" to fit; the name
 * alone when it has no other names or none fit.  Writes at most len - 1
 * bytes and the NUL to buf.
 */
void slabsys__label(const struct slabsys *sys, const char *name, size_t width, char *buf,
		    size_t len);

/* Lines (or alias targets) that were skipped as malformed. */
size_t slabsys__nr_malformed(const struct slabsys *sys);

static inline bool slab_sysfs_cache__has(const struct slab_sysfs_cache *c,
					 enum slabsys_attr a)
{
	return (unsigned int)a < SLABSYS_NR_ATTRS &&
	       (c->present >> (unsigned int)a) & 1;
}

/* True for a merged cache's unique-id directory (`:0000064`, `:A-0000192`):
 * its users are all aliases and its own name is none of theirs. */
static inline bool slab_sysfs_cache__is_merge_id(const struct slab_sysfs_cache *c)
{
	return c->name[0] == ':';
}

#endif /* KMS_SLABSYS_H */
