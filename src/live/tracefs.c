// SPDX-License-Identifier: GPL-2.0
/*
 * tracefs.c - see tracefs.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>

#include "tracefs.h"

/* One event every kernel kmscope supports has (include/trace/events/kmem.h). */
#define KMS_TRACEFS_PROBE	"/events/kmem/kmalloc/id"

static bool has_kmem_events(const char *dir)
{
	char path[128];

	snprintf(path, sizeof(path), "%s%s", dir, KMS_TRACEFS_PROBE);
	return access(path, R_OK) == 0;
}

/*
 * libbpf reads event ids under KMS_TRACEFS_DEBUGFS_DIR whenever that path
 * exists (debugfs mounted), else under KMS_TRACEFS_DIR: the check follows
 * the same order.
 */
int tracefs__ensure(bool *mounted, char *msg, size_t len)
{
	*mounted = false;
	if (access(KMS_TRACEFS_DEBUGFS_DIR, F_OK) == 0) {
		if (has_kmem_events(KMS_TRACEFS_DEBUGFS_DIR))
			return 0;
		snprintf(msg, len, "%s has no kmem events (%s): the kernel lacks the kmem "
			 "tracepoints, or tracefs cannot be mounted there", KMS_TRACEFS_DEBUGFS_DIR,
			 strerror(errno));
		return -ENOENT;
	}
	if (has_kmem_events(KMS_TRACEFS_DIR))
		return 0;
	if (access(KMS_TRACEFS_DIR, F_OK)) {
		snprintf(msg, len, "%s does not exist: this kernel was built without tracing "
			 "(CONFIG_TRACING); use the tp_btf programs (without --classic)",
			 KMS_TRACEFS_DIR);
		return -ENOENT;
	}
	if (mount("tracefs", KMS_TRACEFS_DIR, "tracefs", 0, NULL)) {
		int err = -errno;

		snprintf(msg, len, "tracefs is not mounted and mounting it at %s failed (%s); "
			 "mount it with 'mount -t tracefs tracefs %s' and retry", KMS_TRACEFS_DIR,
			 strerror(-err), KMS_TRACEFS_DIR);
		return err;
	}
	*mounted = true;
	if (has_kmem_events(KMS_TRACEFS_DIR))
		return 0;
	snprintf(msg, len, "tracefs is mounted at %s but has no kmem events: this kernel "
		 "lacks the kmem tracepoints", KMS_TRACEFS_DIR);
	return -ENOENT;
}
