/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracefs.h - makes the tracing filesystem reachable for what needs it:
 * classic tracepoint programs attach through the event id that libbpf
 * reads from tracefs, and a fresh Debian machine does not mount tracefs.
 * Owns the mount points and the decision to mount (as trace-cmd and perf
 * do: at /sys/kernel/tracing, left mounted for the next user).
 */
#ifndef KMS_TRACEFS_H
#define KMS_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>

#define KMS_TRACEFS_DIR		"/sys/kernel/tracing"
/* Where libbpf looks first when debugfs is mounted (tracefs automounts there). */
#define KMS_TRACEFS_DEBUGFS_DIR	"/sys/kernel/debug/tracing"

/*
 * Make sure the kmem events are visible in tracefs, mounting it at
 * KMS_TRACEFS_DIR when no tracefs is reachable.  *mounted says whether
 * this call mounted it.  Returns 0, or -errno with one sentence (what is
 * wrong and what to do) in msg.
 */
int tracefs__ensure(bool *mounted, char *msg, size_t len);

#endif /* KMS_TRACEFS_H */
