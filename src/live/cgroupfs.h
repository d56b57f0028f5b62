/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroupfs.h - the paths of cgroup v2 ids, read from the mounted cgroup2
 * file system (where systemd mounts it: /sys/fs/cgroup, or
 * /sys/fs/cgroup/unified on hybrid systems).
 */
#ifndef KMS_CGROUPFS_H
#define KMS_CGROUPFS_H

#include <stddef.h>
#include <stdint.h>

struct cgpaths;

/*
 * Add to p the path of every id in ids (n of them, sorted here: the
 * caller's order is kept) that is a directory of the cgroup2 mount now.
 * Returns how many were found, -ENOENT when no cgroup2 file system is
 * mounted, or -errno.
 */
int cgroupfs__resolve(struct cgpaths *p, const uint64_t *ids, size_t n);
/* Where the cgroup2 file system is mounted: 0, -ENOENT when nowhere, or -errno. */
int cgroupfs__mount(char *buf, size_t len);

#endif /* KMS_CGROUPFS_H */
