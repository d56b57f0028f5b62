// SPDX-License-Identifier: GPL-2.0
/*
 * kmgen - deterministic kmalloc workloads for kmscope's live tests.
 *
 * A SysV message of S bytes is one kmalloc of sizeof(struct msg_msg) + S
 * bytes (ipc/msgutil.c alloc_msg) as long as it fits in a page with its
 * header, so N messages give the tests exactly N allocations of a known
 * size from a known call site, and receiving them gives N matching kfrees.
 * Sizes are capped below a page so the message never grows a second
 * segment (a msg_msgseg, another kmalloc).  Creating and removing the queue
 * allocates too, but from other call sites.
 *
 * "Send N, then receive N" needs a queue that holds N messages; without
 * CAP_SYS_RESOURCE a queue is capped at msgmnb bytes and the non-holding
 * modes go through it in batches (see queue_fit).
 *
 * Every mode prints a line starting with "kmgen pid=PID" before it
 * allocates, flushed at once, so a test reading stdout through a pipe knows
 * which pid to look for while kmgen is still running.
 *
 * Sends and receives use IPC_NOWAIT: a workload that cannot proceed fails
 * with a message instead of hanging the test.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* Largest mtext we allow: with the 48-byte msg_msg it still fits one 4 KiB page. */
#define KMGEN_MAX_SIZE	4000UL
#define KMGEN_MAX_N	10000000UL
#define KMGEN_MAX_FORK	1024UL
#define KMGEN_MAX_MS	3600000UL

struct kmgen_msg {
	long mtype;
	char mtext[KMGEN_MAX_SIZE];
};

static struct kmgen_msg msgbuf;
static volatile sig_atomic_t stop;

__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Print "kmgen: WHAT: strerror(errno)" and return -1. */
__attribute__((format(printf, 1, 2)))
static int syserr(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fputs("kmgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	return -1;
}

/* A private message queue and how many of our messages it holds at once. */
struct queue {
	int id;
	unsigned long batch;
};

/*
 * A queue takes at most msg_qbytes bytes (default msgmnb, 16 KiB) and at
 * most msg_qbytes messages.  Ask for room for all N messages; going above
 * msgmnb needs CAP_SYS_RESOURCE, which root in a container may lack.
 * Without it, @all_at_once workloads fail, the others cycle through the
 * queue in batches: the same N allocations and N frees, fewer outstanding.
 */
static int queue_fit(struct queue *q, unsigned long n, unsigned long size, bool all_at_once)
{
	unsigned long unit = size ? size : 1;
	struct msqid_ds ds;

	if (msgctl(q->id, IPC_STAT, &ds))
		return syserr("msgctl(IPC_STAT)");
	if (ds.msg_qbytes < n * unit) {
		ds.msg_qbytes = n * unit;
		if (msgctl(q->id, IPC_SET, &ds) && (all_at_once || errno != EPERM))
			return syserr("msgctl(IPC_SET msg_qbytes=%lu) for %lu messages of %lu bytes"
				      " (above msgmnb needs CAP_SYS_RESOURCE)",
				      n * unit, n, size);
		if (msgctl(q->id, IPC_STAT, &ds))
			return syserr("msgctl(IPC_STAT)");
	}
	q->batch = ds.msg_qbytes / unit;
	if (q->batch > n)
		q->batch = n;
	if (!q->batch) {
		errno = ENOSPC;
		return syserr("queue of %lu bytes cannot hold a %lu-byte message",
			      (unsigned long)ds.msg_qbytes, size);
	}
	return 0;
}

static int queue_new(struct queue *q, unsigned long n, unsigned long size, bool all_at_once)
{
	q->id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (q->id < 0)
		return syserr("msgget");
	if (queue_fit(q, n, size, all_at_once)) {
		msgctl(q->id, IPC_RMID, NULL);
		return -1;
	}
	return 0;
}

static int queue_rm(struct queue *q)
{
	if (msgctl(q->id, IPC_RMID, NULL))
		return syserr("msgctl(IPC_RMID %d)", q->id);
	return 0;
}

static int send_n(struct queue *q, unsigned long n, unsigned long size)
{
	unsigned long i;

	msgbuf.mtype = 1;
	for (i = 0; i < n; i++)
		if (msgsnd(q->id, &msgbuf, size, IPC_NOWAIT))
			return syserr("msgsnd message %lu of %lu", i + 1, n);
	return 0;
}

static int recv_n(struct queue *q, unsigned long n, unsigned long size)
{
	unsigned long i;
	ssize_t got;

	for (i = 0; i < n; i++) {
		got = msgrcv(q->id, &msgbuf, size, 0, IPC_NOWAIT);
		if (got < 0)
			return syserr("msgrcv message %lu of %lu", i + 1, n);
		if ((size_t)got != size) {
			errno = EPROTO;
			return syserr("msgrcv returned %zd bytes, not %lu", got, size);
		}
	}
	return 0;
}

/* Send N messages and receive them, all at once if the queue has room. */
static int send_recv(struct queue *q, unsigned long n, unsigned long size)
{
	unsigned long b;

	for (; n; n -= b) {
		b = n < q->batch ? n : q->batch;
		if (send_n(q, b, size) || recv_n(q, b, size))
			return -1;
	}
	return 0;
}

/* Send N messages of SIZE bytes, receive them all, remove the queue. */
static int do_msgq(unsigned long n, unsigned long size)
{
	struct queue q;
	int err;

	say("kmgen pid=%d msgq n=%lu size=%lu\n", getpid(), n, size);
	if (queue_new(&q, n, size, false))
		return -1;
	err = send_recv(&q, n, size);
	if (queue_rm(&q))
		err = -1;
	return err;
}

/* Leave N allocations outstanding in a queue that outlives us. */
static int do_hold(unsigned long n, unsigned long size)
{
	struct queue q;

	if (queue_new(&q, n, size, true))
		return -1;
	say("kmgen pid=%d hold msqid=%d n=%lu size=%lu\n", getpid(), q.id, n, size);
	if (send_n(&q, n, size)) {
		queue_rm(&q);
		return -1;
	}
	return 0;
}

/*
 * A burst leak: N messages sent at once and kept to the end, spread over as
 * many queues as msgmnb needs (no CAP_SYS_RESOURCE needed), then SECS
 * seconds of sleep so the objects age, then exit without removing the
 * queues.  The "kmgen pid=" line lists them for ipcrm -q.
 */
static int do_leak(unsigned long n, unsigned long size, double secs)
{
	struct timespec ts = { .tv_sec = (time_t)secs,
			       .tv_nsec = (long)((secs - (time_t)secs) * 1e9) };
	unsigned long left = n, b, nq = 0;
	struct queue q[256];
	char ids[256 * 12] = "";
	size_t len = 0;

	while (left && nq < 256) {
		if (queue_new(&q[nq], left, size, false))
			break;
		len += snprintf(ids + len, sizeof(ids) - len, "%s%d", nq ? "," : "", q[nq].id);
		left -= q[nq].batch < left ? q[nq].batch : left;
		nq++;
	}
	if (left) {
		while (nq--)
			queue_rm(&q[nq]);
		fprintf(stderr, "kmgen: %lu messages of %lu bytes need more than 256 queues\n",
			n, size);
		return -1;
	}
	say("kmgen pid=%d leak msqids=%s n=%lu size=%lu\n", getpid(), ids, n, size);
	for (left = n, b = 0; b < nq; b++) {
		unsigned long k = q[b].batch < left ? q[b].batch : left;

		if (send_n(&q[b], k, size))
			return -1;
		left -= k;
	}
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	return 0;
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Objects of a known lifetime: N messages sent at once, kept MS
 * milliseconds, received, the queue removed; then AFTER ms of sleep, so
 * that two runs with MS + AFTER equal last as long.
 */
static int do_lifetime(unsigned long n, unsigned long size, unsigned long ms,
		       unsigned long after)
{
	struct queue q;
	int err;

	if (queue_new(&q, n, size, true))
		return -1;
	say("kmgen pid=%d lifetime msqid=%d n=%lu size=%lu ms=%lu\n", getpid(), q.id, n, size,
	    ms);
	err = send_n(&q, n, size);
	if (!err) {
		sleep_ms(ms);
		err = recv_n(&q, n, size);
	}
	if (queue_rm(&q))
		err = -1;
	if (!err)
		sleep_ms(after);
	return err;
}

/* N pipes, each written, read and closed: a command that leaks nothing. */
static int do_pipe(unsigned long n)
{
	unsigned long i;
	char c = 'x';
	int fd[2];

	say("kmgen pid=%d pipe n=%lu\n", getpid(), n);
	for (i = 0; i < n; i++) {
		if (pipe(fd))
			return syserr("pipe %lu of %lu", i + 1, n);
		if (write(fd[1], &c, 1) != 1 || read(fd[0], &c, 1) != 1) {
			close(fd[0]);
			close(fd[1]);
			return syserr("pipe %lu of %lu: write/read", i + 1, n);
		}
		close(fd[0]);
		close(fd[1]);
	}
	return 0;
}

/* Children run do_msgq on their own queues; all must succeed. */
static int do_fork(unsigned long k, unsigned long n, unsigned long size)
{
	unsigned long i, started = 0, failed = 0;
	int status;
	pid_t pid;

	say("kmgen pid=%d fork k=%lu n=%lu size=%lu\n", getpid(), k, n, size);
	for (i = 0; i < k; i++) {
		pid = fork();
		if (pid < 0) {
			syserr("fork child %lu of %lu", i + 1, k);
			failed++;
			break;
		}
		if (pid == 0)
			_exit(do_msgq(n, size) ? 1 : 0);
		started++;
	}
	while (started) {
		pid = wait(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			syserr("wait");
			return -1;
		}
		started--;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "kmgen: child %d failed (status 0x%x)\n", pid, status);
			failed++;
		}
	}
	return failed ? -1 : 0;
}

static void on_stop(int sig)
{
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Repeat send N / receive N for SECONDS.  One queue serves every round so
 * that each round is exactly N message allocations and nothing else.
 * SIGINT/SIGTERM end the loop early but still remove the queue.
 */
static int do_spin(double seconds, unsigned long n, unsigned long size)
{
	struct sigaction sa = { .sa_handler = on_stop };
	unsigned long rounds = 0;
	struct queue q;
	double end;
	int err = 0;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	say("kmgen pid=%d spin seconds=%g n=%lu size=%lu\n", getpid(), seconds, n, size);
	if (queue_new(&q, n, size, false))
		return -1;
	end = now_s() + seconds;
	while (!stop && now_s() < end) {
		err = send_recv(&q, n, size);
		if (err)
			break;
		rounds++;
	}
	if (queue_rm(&q))
		err = -1;
	say("kmgen pid=%d rounds=%lu\n", getpid(), rounds);
	return err;
}

/* Die by @sig with the default action, as a crash or kill would. */
static int do_kill(int sig)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t set;

	say("kmgen pid=%d kill sig=%d\n", getpid(), sig);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* Only reached for signals whose default action is to ignore. */
	errno = EINVAL;
	return syserr("still alive after signal %d", sig);
}

/*
 * N pipes each resized to BYTES with F_SETPIPE_SZ: pipe_resize_ring()
 * kmallocs BYTES / PAGE_SIZE struct pipe_buffer (40 bytes each) with a
 * size only known at run time, so above KMALLOC_MAX_CACHE_SIZE this is the
 * large kmalloc that 6.11+ traces twice (1 MiB: 256 * 40 = 10240 bytes).
 */
static int do_piperesize(unsigned long n, unsigned long bytes)
{
	unsigned long i;
	int fds[2];

	say("kmgen pid=%d piperesize n=%lu bytes=%lu\n", getpid(), n, bytes);
	for (i = 0; i < n; i++) {
		if (pipe(fds))
			return syserr("pipe");
		if (fcntl(fds[1], F_SETPIPE_SZ, (int)bytes) < 0) {
			close(fds[0]);
			close(fds[1]);
			return syserr("F_SETPIPE_SZ %lu", bytes);
		}
		close(fds[0]);
		close(fds[1]);
	}
	return 0;
}

/*
 * N real-time signals queued to itself while blocked: each kill() runs
 * kill_proc_info() under rcu_read_lock() and allocates one struct
 * sigqueue with GFP_ATOMIC (__sigqueue_alloc); sigtimedwait() frees them.
 */
static int do_sigqueue(unsigned long n)
{
	struct timespec zero = { 0 };
	unsigned long i;
	sigset_t set;

	say("kmgen pid=%d sigqueue n=%lu\n", getpid(), n);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return syserr("sigprocmask");
	for (i = 0; i < n; i++)
		if (kill(getpid(), SIGRTMIN))
			return syserr("kill");
	for (i = 0; i < n; i++)
		if (sigtimedwait(&set, NULL, &zero) != SIGRTMIN)
			return syserr("sigtimedwait after %lu", i);
	return 0;
}

/*
 * N rounds of write + fsync of a file in DIR: ext4 and xfs allocate
 * inside a journal transaction, which is a memalloc_nofs_save() scope.
 */
static int do_fsync(unsigned long n, const char *dir)
{
	char path[4096], buf[4096];
	unsigned long i;
	int fd;

	say("kmgen pid=%d fsync n=%lu\n", getpid(), n);
	snprintf(path, sizeof(path), "%s/kmgen-fsync.%d", dir, getpid());
	memset(buf, 'k', sizeof(buf));
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0)
		return syserr("open %s", path);
	for (i = 0; i < n; i++) {
		if (pwrite(fd, buf, sizeof(buf), i * sizeof(buf)) != sizeof(buf) || fsync(fd)) {
			close(fd);
			unlink(path);
			return syserr("write/fsync %s", path);
		}
	}
	close(fd);
	return unlink(path) ? syserr("unlink %s", path) : 0;
}

/*
 * One child's part of `rcu`: N files with 100-character names (kmalloc'ed
 * external dentry names, freed by kfree_rcu() when the dentry goes) made,
 * written, read, renamed into a second directory and removed.
 */
static int rcu_files(unsigned long n, const char *dir)
{
	char a[256], b[256], pa[512], pb[512], buf[64] = "kmgen";
	unsigned long i;
	int fd, err = 0;

	snprintf(a, sizeof(a), "%s/a.%d", dir, getpid());
	snprintf(b, sizeof(b), "%s/b.%d", dir, getpid());
	if (mkdir(a, 0700) || mkdir(b, 0700))
		return syserr("mkdir %s", a);
	for (i = 0; i < n && !err; i++) {
		snprintf(pa, sizeof(pa), "%s/%0100lu", a, i);
		snprintf(pb, sizeof(pb), "%s/%0100lu", b, i);
		fd = open(pa, O_CREAT | O_RDWR | O_TRUNC, 0600);
		if (fd < 0)
			return syserr("open %s", pa);
		if (write(fd, buf, sizeof(buf)) != sizeof(buf) || pread(fd, buf, sizeof(buf), 0) < 0)
			err = syserr("write/read %s", pa);
		close(fd);
		if (!err && rename(pa, pb))
			err = syserr("rename %s", pa);
		if (!err && unlink(pb))
			err = syserr("unlink %s", pb);
	}
	if (rmdir(a) || rmdir(b))
		err = syserr("rmdir %s", a);
	return err;
}

/* K children one after the other, each running rcu_files(N, DIR). */
static int do_rcu(unsigned long k, unsigned long n, const char *dir)
{
	unsigned long i, failed = 0;
	int status;
	pid_t pid;

	say("kmgen pid=%d rcu k=%lu n=%lu dir=%s\n", getpid(), k, n, dir);
	for (i = 0; i < k; i++) {
		pid = fork();
		if (pid < 0)
			return syserr("fork child %lu of %lu", i + 1, k);
		if (pid == 0)
			_exit(rcu_files(n, dir) ? 1 : 0);
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				return syserr("wait");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	return failed ? -1 : 0;
}

/* Move this process into the cgroup whose cgroup.procs file is path. */
static int join_cgroup(const char *path)
{
	char pid[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC), len, err = 0;

	if (fd < 0)
		return syserr("open %s", path);
	len = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (write(fd, pid, len) != len)
		err = syserr("write %s", path);
	close(fd);
	return err;
}

/*
 * The same process allocates in two cgroups: msgq N S, then into the
 * cgroup of PROCS (its cgroup.procs file), then msgq N S again.
 */
static int do_cgmove(unsigned long n, unsigned long size, const char *procs)
{
	say("kmgen pid=%d cgmove n=%lu size=%lu procs=%s\n", getpid(), n, size, procs);
	if (do_msgq(n, size) || join_cgroup(procs))
		return -1;
	return do_msgq(n, size);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kmgen msgq N S       send N messages of S bytes, receive all, rm queue\n"
		"       kmgen hold N S       send N messages, exit, leave the queue (ipcrm -q ID)\n"
		"       kmgen fork K N S     K children each run 'msgq N S' on their own queue\n"
		"       kmgen spin SECS N S  repeat send N / receive N for SECS seconds\n"
		"       kmgen leak N S SECS  send N messages at once (over several queues if\n"
		"                            need be), sleep SECS, exit, leave the queues\n"
		"       kmgen lifetime N S MS [AFTER]  send N messages at once, keep them\n"
		"                            MS ms, receive them, rm queue, sleep AFTER ms\n"
		"       kmgen pipe N         N pipes, each written, read and closed\n"
		"       kmgen exit CODE      exit with CODE\n"
		"       kmgen kill SIG       kill itself with signal number SIG\n"
		"       kmgen piperesize N BYTES  N pipes resized to BYTES (F_SETPIPE_SZ)\n"
		"       kmgen sigqueue N     queue N SIGRTMIN to itself, then take them\n"
		"       kmgen fsync N DIR    N times write 4 KiB + fsync a file in DIR\n"
		"       kmgen rcu K N DIR    K children in turn make, read, rename and remove\n"
		"                            N files with 100-character names in DIR\n"
		"       kmgen cgmove N S PROCS  msgq N S, move itself into the cgroup of the\n"
		"                            cgroup.procs file PROCS, msgq N S again\n"
		"Each message is one kmalloc of sizeof(struct msg_msg) + S bytes; S <= %lu.\n"
		"Without CAP_SYS_RESOURCE a queue holds msgmnb bytes: hold fails beyond that,\n"
		"the other modes send and receive in batches that fit.\n",
		KMGEN_MAX_SIZE);
}

static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_seconds(const char *s, double *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return !errno && !*end && *out > 0 && *out < 1e6;
}

/* Parse the trailing "N S" every message workload takes. */
static bool parse_n_size(char **argv, unsigned long *n, unsigned long *size)
{
	if (!parse_ulong(argv[0], KMGEN_MAX_N, n) || !*n) {
		fprintf(stderr, "kmgen: N must be 1..%lu, not '%s'\n", KMGEN_MAX_N, argv[0]);
		return false;
	}
	if (!parse_ulong(argv[1], KMGEN_MAX_SIZE, size)) {
		fprintf(stderr, "kmgen: S must be 0..%lu, not '%s'\n", KMGEN_MAX_SIZE, argv[1]);
		return false;
	}
	return true;
}

static int run(int argc, char **argv)
{
	const char *mode = argv[1];
	unsigned long n, size, k, after = 0;
	double secs;

	if (!strcmp(mode, "msgq") && argc == 4 && parse_n_size(argv + 2, &n, &size))
		return do_msgq(n, size) ? 1 : 0;
	if (!strcmp(mode, "hold") && argc == 4 && parse_n_size(argv + 2, &n, &size))
		return do_hold(n, size) ? 1 : 0;
	if (!strcmp(mode, "fork") && argc == 5 && parse_ulong(argv[2], KMGEN_MAX_FORK, &k) &&
	    k && parse_n_size(argv + 3, &n, &size))
		return do_fork(k, n, size) ? 1 : 0;
	if (!strcmp(mode, "spin") && argc == 5 && parse_seconds(argv[2], &secs) &&
	    parse_n_size(argv + 3, &n, &size))
		return do_spin(secs, n, size) ? 1 : 0;
	if (!strcmp(mode, "leak") && argc == 5 && parse_n_size(argv + 2, &n, &size) &&
	    parse_seconds(argv[4], &secs))
		return do_leak(n, size, secs) ? 1 : 0;
	if (!strcmp(mode, "lifetime") && (argc == 5 || argc == 6) &&
	    parse_n_size(argv + 2, &n, &size) && parse_ulong(argv[4], KMGEN_MAX_MS, &k) &&
	    (argc == 5 || parse_ulong(argv[5], KMGEN_MAX_MS, &after)))
		return do_lifetime(n, size, k, argc == 6 ? after : 0) ? 1 : 0;
	if (!strcmp(mode, "pipe") && argc == 3 && parse_ulong(argv[2], KMGEN_MAX_N, &n) && n)
		return do_pipe(n) ? 1 : 0;
	if (!strcmp(mode, "exit") && argc == 3 && parse_ulong(argv[2], 255, &n)) {
		say("kmgen pid=%d exit code=%lu\n", getpid(), n);
		return n;
	}
	if (!strcmp(mode, "kill") && argc == 3 && parse_ulong(argv[2], NSIG - 1, &n) && n)
		return do_kill(n) ? 1 : 0;
	if (!strcmp(mode, "piperesize") && argc == 4 && parse_ulong(argv[2], KMGEN_MAX_N, &n) &&
	    n && parse_ulong(argv[3], 1UL << 30, &size))
		return do_piperesize(n, size) ? 1 : 0;
	if (!strcmp(mode, "sigqueue") && argc == 3 && parse_ulong(argv[2], 1000, &n) && n)
		return do_sigqueue(n) ? 1 : 0;
	if (!strcmp(mode, "fsync") && argc == 4 && parse_ulong(argv[2], KMGEN_MAX_N, &n) && n)
		return do_fsync(n, argv[3]) ? 1 : 0;
	if (!strcmp(mode, "rcu") && argc == 5 && parse_ulong(argv[2], KMGEN_MAX_FORK, &k) && k &&
	    parse_ulong(argv[3], KMGEN_MAX_N, &n) && n)
		return do_rcu(k, n, argv[4]) ? 1 : 0;
	if (!strcmp(mode, "cgmove") && argc == 5 && parse_n_size(argv + 2, &n, &size))
		return do_cgmove(n, size, argv[4]) ? 1 : 0;
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	return run(argc, argv);
}
