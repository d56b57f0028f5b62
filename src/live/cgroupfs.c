// SPDX-License-Identifier: GPL-2.0
/*
 * cgroupfs.c - see cgroupfs.h.  A cgroup's v2 id is its kernfs node id,
 * which the cgroup2 file system gives as the directory's inode number
 * (kernel/cgroup/cgroup.c, fs/kernfs), so one walk of the mount names
 * every live cgroup.  Cgroups removed before the walk stay unnamed.
 */
#include <errno.h>
#include <fts.h>
#include <mntent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgpaths.h"
#include "cgroupfs.h"

#define KMS_MOUNTS	"/proc/self/mounts"

/* The first cgroup2 mount point, in buf. */
int cgroupfs__mount(char *buf, size_t len)
{
	FILE *f = setmntent(KMS_MOUNTS, "re");
	struct mntent *m;
	int err = -ENOENT;

	if (!f)
		return -errno;
	while ((m = getmntent(f))) {
		if (strcmp(m->mnt_type, "cgroup2"))
			continue;
		if (strlen(m->mnt_dir) >= len) {
			err = -ENAMETOOLONG;
			continue;
		}
		strcpy(buf, m->mnt_dir);
		err = 0;
		break;
	}
	endmntent(f);
	return err;
}

static bool wanted(const uint64_t *ids, size_t n, uint64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ids[mid] == id)
			return true;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int cgroupfs__resolve(struct cgpaths *p, const uint64_t *ids_in, size_t n)
{
	char root[4096];
	char *argv[] = { root, NULL };
	uint64_t *ids = NULL;
	size_t rootlen;
	FTSENT *e;
	FTS *fts;
	int found = 0, err;

	err = cgroupfs__mount(root, sizeof(root));
	if (err)
		return err;
	ids = malloc((n ? n : 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	memcpy(ids, ids_in, n * sizeof(*ids));
	qsort(ids, n, sizeof(*ids), cmp_u64);
	rootlen = strlen(root);
	fts = fts_open(argv, FTS_PHYSICAL | FTS_NOCHDIR | FTS_XDEV, NULL);
	if (!fts) {
		err = -errno;
		free(ids);
		return err;
	}
	while ((e = fts_read(fts))) {
		const char *rel = e->fts_path + rootlen;

		if (e->fts_info != FTS_D)
			continue;
		if (!wanted(ids, n, e->fts_statp->st_ino))
			continue;
		err = cgpaths__add(p, e->fts_statp->st_ino, *rel ? rel : "/");
		if (err == -ENOMEM)
			break;
		found += !err;
		err = 0;
	}
	fts_close(fts);
	free(ids);
	return err ? err : found;
}
