/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slabpoll.h - /sys/kernel/slab read on a thread of its own, every few
 * seconds, for a command that reports while it traces (`serve`).  Reading
 * the whole directory takes 200 ms on a small machine (thousands of
 * small files): on the trace's own thread that stalls the drain long
 * enough for a full ring at a million events a second.  The thread only
 * reads and parses; the trace takes the latest result when it wants it.
 */
#ifndef KMS_SLABPOLL_H
#define KMS_SLABPOLL_H

struct slabpoll;
struct slabsys;

/*
 * Start reading root (KMS_SLAB_SYSFS) every interval_s seconds, the first
 * at once.  NULL with errno.
 */
struct slabpoll *slabpoll__start(const char *root, unsigned int interval_s);
/*
 * The snapshot read since the last call (the caller owns it and frees it
 * with slabsys__free()), or NULL when there is none newer.
 */
struct slabsys *slabpoll__take(struct slabpoll *p);
/* Stop the thread (at most one read long) and free what is left. */
void slabpoll__stop(struct slabpoll *p);

#endif /* KMS_SLABPOLL_H */
