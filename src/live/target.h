/* SPDX-License-Identifier: GPL-2.0 */
/*
 * target.h - the process (-p) or thread (--tid) a live trace is about:
 * checked to exist before anything is loaded, named for the report
 * header, and watched so that the trace ends when it exits.
 */
#ifndef KMS_TARGET_H
#define KMS_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * 0 when -p tgid and --tid tid (either may be 0) name a live process or
 * thread that can match together; else -ESRCH or -EINVAL with one
 * sentence in msg.
 */
int kms_target__check(uint32_t tgid, uint32_t tid, char *msg, size_t len);
/*
 * "process 1234 (comm)", "thread 1235 (comm) of process 1234", or "":
 * format() with the comm and tgid given (NULL, 0: unknown), describe()
 * with those of the running system.
 */
void kms_target__format(char *buf, size_t len, uint32_t tgid, uint32_t tid, const char *comm);
void kms_target__describe(uint32_t tgid, uint32_t tid, char *buf, size_t len);

struct kms_target_watch {
	int pidfd;		/* becomes readable when the target exits; -1 */
	uint32_t tgid, tid;	/* polled with kill()/tgkill() without a pidfd */
};

/* Start watching (nothing to watch when both are 0). */
void kms_target__watch(struct kms_target_watch *w, uint32_t tgid, uint32_t tid);
/* True once the watched process or thread has exited. */
bool kms_target__gone(const struct kms_target_watch *w);
void kms_target__unwatch(struct kms_target_watch *w);

#endif /* KMS_TARGET_H */
