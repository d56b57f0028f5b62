// SPDX-License-Identifier: GPL-2.0
/*
 * kmsbench - fixed-size kmalloc-heavy syscall workloads for overhead runs.
 *
 * Each workload repeats one operation that drives the kernel's slab
 * allocator through a short, well-known path (docs: performance.md):
 *
 *   msgq  SysV msgsnd + msgrcv of a 64-byte message on a private queue
 *   pipe  pipe2 + two close
 *   sock  one AF_UNIX and one AF_INET datagram socket + two close
 *
 * The rate is what the tracer's cost is read from, so the timed loop does
 * nothing but the syscalls: no per-op bookkeeping beyond an error check.
 * A short untimed warm-up first fills the per-CPU slab caches and faults in
 * the code, so that the first timed ops do not pay for that.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>

#define MSG_BYTES	64
/* Warm-up: OPS / WARMUP_DIV operations, at most WARMUP_MAX. */
#define WARMUP_DIV	20
#define WARMUP_MAX	50000UL

struct msgbuf64 {
	long mtype;
	char mtext[MSG_BYTES];
};

/* State shared by a workload's setup, loop and teardown. */
struct bench {
	int msqid;
	struct msgbuf64 msg;
	const char *failed;	/* the syscall that failed, for the message */
};

struct workload {
	const char *name;
	int (*setup)(struct bench *b);
	/* Runs @ops operations; returns 0 or -errno with b->failed set. */
	int (*run)(struct bench *b, unsigned long ops);
	void (*teardown)(struct bench *b);
};

static int fail(struct bench *b, const char *what)
{
	b->failed = what;
	return -errno;
}

static int msgq_setup(struct bench *b)
{
	b->msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (b->msqid < 0)
		return fail(b, "msgget");
	b->msg.mtype = 1;
	memset(b->msg.mtext, 'k', sizeof(b->msg.mtext));
	return 0;
}

/*
 * The queue never holds more than one message, so IPC_NOWAIT changes
 * nothing on the success path; it only turns a would-be hang into an error.
 */
static int msgq_run(struct bench *b, unsigned long ops)
{
	unsigned long i;

	for (i = 0; i < ops; i++) {
		if (msgsnd(b->msqid, &b->msg, MSG_BYTES, IPC_NOWAIT))
			return fail(b, "msgsnd");
		if (msgrcv(b->msqid, &b->msg, MSG_BYTES, 0, IPC_NOWAIT) != MSG_BYTES)
			return fail(b, "msgrcv");
	}
	return 0;
}

static void msgq_teardown(struct bench *b)
{
	if (b->msqid >= 0)
		msgctl(b->msqid, IPC_RMID, NULL);
	b->msqid = -1;
}

static int pipe_run(struct bench *b, unsigned long ops)
{
	unsigned long i;
	int fds[2];

	for (i = 0; i < ops; i++) {
		if (pipe2(fds, 0))
			return fail(b, "pipe2");
		close(fds[0]);
		close(fds[1]);
	}
	return 0;
}

static int sock_run(struct bench *b, unsigned long ops)
{
	unsigned long i;
	int u, in, err;

	for (i = 0; i < ops; i++) {
		u = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (u < 0)
			return fail(b, "socket(AF_UNIX)");
		in = socket(AF_INET, SOCK_DGRAM, 0);
		if (in < 0) {
			err = fail(b, "socket(AF_INET)");
			close(u);
			return err;
		}
		close(u);
		close(in);
	}
	return 0;
}

static const struct workload workloads[] = {
	{ "msgq", msgq_setup, msgq_run, msgq_teardown },
	{ "pipe", NULL, pipe_run, NULL },
	{ "sock", NULL, sock_run, NULL },
};

static const struct workload *find_workload(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
		if (!strcmp(workloads[i].name, name))
			return &workloads[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kmsbench [-j] [-c CPU] WORKLOAD OPS\n"
		"Run OPS operations of WORKLOAD and print the rate.\n"
		"\n"
		"Workloads (one operation each):\n"
		"  msgq   SysV msgsnd + msgrcv of a 64-byte message on a private queue\n"
		"  pipe   pipe2 + two close\n"
		"  sock   one AF_UNIX and one AF_INET datagram socket + two close\n"
		"\n"
		"  -c CPU  pin to CPU before running\n"
		"  -j      print a JSON object instead of a line of text\n"
		"  -h      show this help\n");
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

static int pin_cpu(unsigned long cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Warm up, then time @ops operations; returns 0 or -errno. */
static int measure(const struct workload *w, struct bench *b, unsigned long ops,
		   double *seconds)
{
	unsigned long warm = ops / WARMUP_DIV;
	double t0;
	int err;

	if (warm > WARMUP_MAX)
		warm = WARMUP_MAX;
	err = w->run(b, warm);
	if (err)
		return err;
	t0 = now_s();
	err = w->run(b, ops);
	*seconds = now_s() - t0;
	return err;
}

static void print_result(const char *name, unsigned long ops, double secs, bool json)
{
	double rate = secs > 0 ? ops / secs : 0;

	if (json)
		printf("{\"workload\":\"%s\",\"ops\":%lu,\"seconds\":%.6f,\"ops_per_s\":%.1f}\n",
		       name, ops, secs, rate);
	else
		printf("%s %lu ops in %.6f s: %.0f ops/s\n", name, ops, secs, rate);
}

int main(int argc, char **argv)
{
	struct bench b = { .msqid = -1 };
	const struct workload *w;
	unsigned long ops, cpu = 0;
	bool json = false, pin = false;
	double secs = 0;
	int opt, err;

	while ((opt = getopt(argc, argv, "c:jh")) != -1) {
		switch (opt) {
		case 'c':
			if (!parse_ulong(optarg, CPU_SETSIZE - 1, &cpu)) {
				fprintf(stderr, "kmsbench: bad CPU '%s'\n", optarg);
				return 2;
			}
			pin = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	w = find_workload(argv[optind]);
	if (!w) {
		fprintf(stderr, "kmsbench: unknown workload '%s' (msgq, pipe, sock)\n",
			argv[optind]);
		return 2;
	}
	if (!parse_ulong(argv[optind + 1], ~0UL, &ops) || !ops) {
		fprintf(stderr, "kmsbench: OPS must be a positive integer, not '%s'\n",
			argv[optind + 1]);
		return 2;
	}

	if (pin) {
		err = pin_cpu(cpu);
		if (err) {
			fprintf(stderr, "kmsbench: cannot pin to CPU %lu: %s\n", cpu,
				strerror(-err));
			return 1;
		}
	}
	err = w->setup ? w->setup(&b) : 0;
	if (!err)
		err = measure(w, &b, ops, &secs);
	if (w->teardown)
		w->teardown(&b);
	if (err) {
		fprintf(stderr, "kmsbench: %s: %s: %s\n", w->name, b.failed, strerror(-err));
		return 1;
	}
	print_result(w->name, ops, secs, json);
	return 0;
}
