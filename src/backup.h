/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backup.h - which events the recursion backups cover (docs/design.md,
 * "Recursion backup"): none (the default), the frees only
 * (--backup=frees), or every kmem event (--backup).  The values are what
 * a recording's META stores as recursion_backup (0 and 1 before the frees
 * scope existed), so that a replay says what the trace did.
 */
#ifndef KMS_BACKUP_H
#define KMS_BACKUP_H

#include <stdbool.h>

enum kms_backup {
	KMS_BACKUP_NONE = 0,
	KMS_BACKUP_ALL = 1,
	/*
	 * Nearly every event the kernel keeps from a program is a free: an
	 * RCU callback in the softirq on top of a running program, freeing a
	 * batch.  A lost free is what makes a false leak; a lost allocation
	 * only makes its free one of an untracked allocation.  About 60 % of
	 * the cost (docs/performance.md).
	 */
	KMS_BACKUP_FREES = 2,
};

/* Are the frees (and with KMS_BACKUP_ALL the allocations) recovered? */
static inline bool kms_backup__frees(enum kms_backup b)
{
	return b == KMS_BACKUP_ALL || b == KMS_BACKUP_FREES;
}

static inline bool kms_backup__allocs(enum kms_backup b)
{
	return b == KMS_BACKUP_ALL;
}

/* The scope as JSON and META name it: "none", "frees" or "all". */
static inline const char *kms_backup__name(enum kms_backup b)
{
	return b == KMS_BACKUP_ALL ? "all" : b == KMS_BACKUP_FREES ? "frees" : "none";
}

#endif /* KMS_BACKUP_H */
