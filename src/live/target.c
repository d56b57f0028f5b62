// SPDX-License-Identifier: GPL-2.0
/*
 * target.c - see target.h.  /proc/ID/status answers for any thread id,
 * listed or not; a pidfd (5.3+, per thread with PIDFD_THREAD on 6.9+)
 * says when the target exits, zombie included.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "target.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#define KMS_PIDFD_THREAD O_EXCL		/* PIDFD_THREAD, 6.9+ */

struct proc_status {
	char name[64];
	char state;
	uint32_t tgid;
};

/* 0, or -ENOENT when there is no such process or thread. */
static int read_status(uint32_t id, struct proc_status *ps)
{
	char path[64], line[256];
	unsigned int v;
	FILE *f;

	memset(ps, 0, sizeof(*ps));
	snprintf(path, sizeof(path), "/proc/%u/status", id);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Name:\t", 6)) {
			snprintf(ps->name, sizeof(ps->name), "%.63s", line + 6);
			ps->name[strcspn(ps->name, "\n")] = 0;
		} else if (!strncmp(line, "State:\t", 7)) {
			ps->state = line[7];
		} else if (sscanf(line, "Tgid:\t%u", &v) == 1) {
			ps->tgid = v;
		}
	}
	fclose(f);
	return ps->tgid ? 0 : -ENOENT;
}

static bool exited(const struct proc_status *ps)
{
	return ps->state == 'Z' || ps->state == 'X';
}

int kms_target__check(uint32_t tgid, uint32_t tid, char *msg, size_t len)
{
	struct proc_status ps;
	int err;

	if (tgid) {
		err = read_status(tgid, &ps);
		if (err || exited(&ps)) {
			snprintf(msg, len, "-p %u: %s", tgid, err == -ENOENT || !err ?
				 "no such process is running" : strerror(-err));
			return -ESRCH;
		}
		if (ps.tgid != tgid) {
			snprintf(msg, len, "-p %u is a thread of process %u: use -p %u, or --tid %u "
				 "for this thread alone", tgid, ps.tgid, ps.tgid, tgid);
			return -EINVAL;
		}
	}
	if (tid) {
		err = read_status(tid, &ps);
		if (err || exited(&ps)) {
			snprintf(msg, len, "--tid %u: %s", tid, err == -ENOENT || !err ?
				 "no such thread is running" : strerror(-err));
			return -ESRCH;
		}
		if (tgid && ps.tgid != tgid) {
			snprintf(msg, len, "--tid %u is a thread of process %u, not of -p %u: "
				 "nothing could match", tid, ps.tgid, tgid);
			return -EINVAL;
		}
	}
	return 0;
}

void kms_target__format(char *buf, size_t len, uint32_t tgid, uint32_t tid, const char *comm)
{
	char c[80] = "";

	if (comm && comm[0])
		snprintf(c, sizeof(c), " (%s)", comm);
	if (tid && tgid)
		snprintf(buf, len, "thread %u%s of process %u", tid, c, tgid);
	else if (tid)
		snprintf(buf, len, "thread %u%s", tid, c);
	else if (tgid)
		snprintf(buf, len, "process %u%s", tgid, c);
	else
		buf[0] = 0;
}

void kms_target__describe(uint32_t tgid, uint32_t tid, char *buf, size_t len)
{
	struct proc_status ps;
	bool known = (tgid || tid) && !read_status(tid ? tid : tgid, &ps);

	kms_target__format(buf, len, tgid ? tgid : known ? ps.tgid : 0, tid,
			   known ? ps.name : NULL);
}

static int pidfd_open(uint32_t pid, unsigned int flags)
{
	return syscall(SYS_pidfd_open, (pid_t)pid, flags);
}

void kms_target__watch(struct kms_target_watch *w, uint32_t tgid, uint32_t tid)
{
	struct proc_status ps;

	w->pidfd = -1;
	w->tgid = tgid;
	w->tid = tid;
	if (tid) {
		if (!w->tgid && !read_status(tid, &ps))
			w->tgid = ps.tgid;
		w->pidfd = pidfd_open(tid, KMS_PIDFD_THREAD);
		/* Before 6.9 only a thread group leader has a pidfd. */
		if (w->pidfd < 0 && w->tgid == tid)
			w->pidfd = pidfd_open(tid, 0);
	} else if (tgid) {
		w->pidfd = pidfd_open(tgid, 0);
	}
}

bool kms_target__gone(const struct kms_target_watch *w)
{
	struct pollfd p = { .fd = w->pidfd, .events = POLLIN };

	if (w->pidfd >= 0)
		return poll(&p, 1, 0) > 0;
	if (w->tid)
		return syscall(SYS_tgkill, (pid_t)w->tgid, (pid_t)w->tid, 0) < 0 && errno == ESRCH;
	if (w->tgid)
		return kill(w->tgid, 0) < 0 && errno == ESRCH;
	return false;
}

void kms_target__unwatch(struct kms_target_watch *w)
{
	if (w->pidfd >= 0)
		close(w->pidfd);
	w->pidfd = -1;
	w->tgid = w->tid = 0;
}
