/* SPDX-License-Identifier: GPL-2.0 */
/*
 * privs.h - least privilege for the rest of a live run.  Loading and
 * attaching BPF needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN; what follows
 * (draining the ring through its mapping, reading maps and program stats
 * through fds already open, reading /sys/kernel/slab and /proc/slabinfo as
 * their owner, writing the report) needs none of them.  Only
 * CAP_DAC_OVERRIDE stays, so `sudo kmscope ... -o ~/report.json` can still
 * create its output in a directory root does not own.
 */
#ifndef KMS_PRIVS_H
#define KMS_PRIVS_H

/* Drop every capability but CAP_DAC_OVERRIDE from the effective, permitted
 * and inheritable sets.  Returns 0 or -errno. */
int privs__drop(void);

#endif /* KMS_PRIVS_H */
