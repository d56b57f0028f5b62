// SPDX-License-Identifier: GPL-2.0
/*
 * floor - load bpf/floor.bpf.c: by default its empty tp_btf programs on
 * kmalloc, kmem_cache_alloc, kfree and kmem_cache_free (the floor), or
 * with a MODE its lab programs doing that much work per event (ktime,
 * stream, stream-nots, pair-hash, pair-cpu; see the BPF file).  It says so
 * on stderr the way kmscope does once attached, drains the lab's ring
 * every 10 ms, and on SIGINT or SIGTERM detaches and prints a JSON object,
 * so that bench/run.sh can run it where it runs `kmscope stat -j`.
 *
 *   floor [MODE]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "floor.skel.h"

#define DRAIN_US	10000

static const char *const modes[] = {
	[1] = "ktime", [2] = "stream", [3] = "stream-nots", [4] = "pair-hash", [5] = "pair-cpu",
};
#define NR_MODES	(sizeof(modes) / sizeof(modes[0]))

static volatile sig_atomic_t stop;
static unsigned long long received;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int count(void *ctx, void *data, size_t len)
{
	received++;
	return 0;
}

/* The pairs the lab folded, over every CPU. */
static unsigned long long paired(struct floor_bpf *skel)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	unsigned long long sum = 0;
	__u64 v[ncpu > 0 ? ncpu : 1];
	__u32 zero = 0;

	if (ncpu <= 0 || bpf_map__lookup_elem(skel->maps.lab_paired, &zero, sizeof(zero), v,
					      sizeof(v), 0))
		return 0;
	for (i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

static int mode_of(const char *name)
{
	unsigned int i;

	for (i = 1; i < NR_MODES; i++)
		if (!strcmp(name, modes[i]))
			return (int)i;
	return -1;
}

/* The floor's programs or the lab's, never both. */
static void choose(struct floor_bpf *skel, int mode)
{
	struct bpf_program *floor[] = {
		skel->progs.floor_kmalloc, skel->progs.floor_cache_alloc,
		skel->progs.floor_kfree, skel->progs.floor_cache_free,
	};
	struct bpf_program *lab[] = {
		skel->progs.lab_kmalloc, skel->progs.lab_cache_alloc,
		skel->progs.lab_kfree, skel->progs.lab_cache_free,
	};
	unsigned int i;

	for (i = 0; i < 4; i++) {
		bpf_program__set_autoload(floor[i], !mode);
		bpf_program__set_autoload(lab[i], mode);
	}
	skel->rodata->lab_mode = mode;
}

static void wait_stop(struct ring_buffer *rb)
{
	sigset_t none;

	sigemptyset(&none);
	while (!stop) {
		if (!rb) {
			sigsuspend(&none);
			continue;
		}
		ring_buffer__consume(rb);
		usleep(DRAIN_US);
	}
	if (rb)
		ring_buffer__consume(rb);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct ring_buffer *rb = NULL;
	struct floor_bpf *skel;
	int mode = 0, err;

	if (argc > 2 || (argc == 2 && (mode = mode_of(argv[1])) < 0)) {
		fprintf(stderr, "usage: floor [ktime|stream|stream-nots|pair-hash|pair-cpu]\n");
		return 2;
	}
	libbpf_set_print(silent);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: opening the programs failed: %s\n", strerror(errno));
		return 1;
	}
	choose(skel, mode);
	err = floor_bpf__load(skel);
	if (!err)
		err = floor_bpf__attach(skel);
	if (!err && mode) {
		rb = ring_buffer__new(bpf_map__fd(skel->maps.lab_ring), count, NULL, NULL);
		err = rb ? 0 : -errno;
	}
	if (err) {
		fprintf(stderr, "floor: loading or attaching failed: %s\n", strerror(-err));
		floor_bpf__destroy(skel);
		return 1;
	}
	if (mode)
		fprintf(stderr, "kmscope: tracing with the lab's %s programs on the four kmem "
			"tracepoints\n", modes[mode]);
	else
		fprintf(stderr, "kmscope: tracing with empty tp_btf programs on kmalloc, "
			"kmem_cache_alloc, kfree and kmem_cache_free (the floor)\n");
	wait_stop(rb);
	if (mode)
		printf("{\"lab\":\"%s\",\"received\":%llu,\"paired\":%llu}\n", modes[mode],
		       received, paired(skel));
	else
		printf("{\"floor\":true}\n");
	ring_buffer__free(rb);
	floor_bpf__destroy(skel);
	return 0;
}
