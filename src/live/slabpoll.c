// SPDX-License-Identifier: GPL-2.0
/*
 * slabpoll.c - see slabpoll.h.  One pthread waits on a condition variable
 * for the interval (so a stop is prompt), reads the directory with
 * slabsnap__write() into memory, parses it and swaps the result in under
 * the mutex; a snapshot nobody took before the next is freed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "slabpoll.h"
#include "slabsnap.h"
#include "slabsys.h"

struct slabpoll {
	const char *root;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	unsigned int interval_s;
	bool stopping;
	struct slabsys *latest;		/* read, not taken yet */
};

/* root read and parsed now; NULL when it could not be. */
static struct slabsys *read_now(const char *root)
{
	struct slabsys *sys = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int err;

	if (!m)
		return NULL;
	err = slabsnap__write(root, m);
	if (fclose(m) && !err)
		err = -ENOMEM;
	if (!err && slabsys__parse(text, len, &sys))
		sys = NULL;
	free(text);
	return sys;
}

static void *poll_loop(void *arg)
{
	struct slabpoll *p = arg;
	struct slabsys *sys, *old;
	struct timespec until;

	pthread_mutex_lock(&p->lock);
	while (!p->stopping) {
		pthread_mutex_unlock(&p->lock);
		sys = read_now(p->root);
		pthread_mutex_lock(&p->lock);
		old = p->latest;
		if (sys)
			p->latest = sys;
		else
			old = NULL;
		pthread_mutex_unlock(&p->lock);
		slabsys__free(old);
		pthread_mutex_lock(&p->lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += p->interval_s;
		while (!p->stopping &&
		       pthread_cond_timedwait(&p->wake, &p->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct slabpoll *slabpoll__start(const char *root, unsigned int interval_s)
{
	struct slabpoll *p = calloc(1, sizeof(*p));
	pthread_condattr_t ca;
	int err;

	if (!p)
		return NULL;
	p->root = root;
	p->interval_s = interval_s;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_condattr_destroy(&ca);
	err = pthread_create(&p->thread, NULL, poll_loop, p);
	if (err) {
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		free(p);
		errno = err;
		return NULL;
	}
	return p;
}

struct slabsys *slabpoll__take(struct slabpoll *p)
{
	struct slabsys *sys;

	pthread_mutex_lock(&p->lock);
	sys = p->latest;
	p->latest = NULL;
	pthread_mutex_unlock(&p->lock);
	return sys;
}

void slabpoll__stop(struct slabpoll *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	slabsys__free(p->latest);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
