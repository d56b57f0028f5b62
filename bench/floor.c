// SPDX-License-Identifier: GPL-2.0
/*
 * floor - load bpf/floor.bpf.c (empty tp_btf programs on kmalloc,
 * kmem_cache_alloc, kfree and kmem_cache_free), say so on stderr the way
 * kmscope does once attached, and wait for SIGINT or SIGTERM; then detach
 * and print a JSON object, so that bench/run.sh can run it where it runs
 * `kmscope stat -j` and read the floor's slowdown beside kmscope's.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "floor.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct floor_bpf *skel;
	sigset_t none;
	int err;

	libbpf_set_print(silent);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	skel = floor_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "floor: loading the empty programs failed: %s\n", strerror(errno));
		return 1;
	}
	err = floor_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "floor: attaching failed: %s\n", strerror(-err));
		floor_bpf__destroy(skel);
		return 1;
	}
	fprintf(stderr, "kmscope: tracing with empty tp_btf programs on kmalloc, "
		"kmem_cache_alloc, kfree and kmem_cache_free (the floor)\n");
	sigemptyset(&none);
	while (!stop)
		sigsuspend(&none);
	floor_bpf__destroy(skel);
	printf("{\"floor\":true}\n");
	return 0;
}
