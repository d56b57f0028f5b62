// SPDX-License-Identifier: GPL-2.0
/* ringbuf.c - see ringbuf.h.  Owns the two mappings and an epoll fd. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <linux/bpf.h>

#include "ringbuf.h"

/* Publish the consumer position at least this often within one drain. */
#define KMS_RING_RELEASE_BYTES	(64 * 1024)

struct kms_ring {
	unsigned long *consumer_pos;
	const unsigned long *producer_pos;
	const uint8_t *data;
	size_t size;		/* data area, a power of two */
	size_t page;
	int epfd;
	kms_ring_fn fn;
	void *ctx;
};

struct kms_ring *kms_ring__new(int map_fd, size_t size, kms_ring_fn fn, void *ctx)
{
	struct kms_ring *r = calloc(1, sizeof(*r));
	struct epoll_event ev = { .events = EPOLLIN };
	void *p;

	if (!r)
		return NULL;
	r->page = sysconf(_SC_PAGESIZE);
	r->size = size;
	r->fn = fn;
	r->ctx = ctx;
	r->epfd = -1;
	p = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	r->consumer_pos = p;
	p = mmap(NULL, r->page + 2 * size, PROT_READ, MAP_SHARED, map_fd, r->page);
	if (p == MAP_FAILED)
		goto fail;
	r->producer_pos = p;
	r->data = (const uint8_t *)p + r->page;
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epfd < 0 || epoll_ctl(r->epfd, EPOLL_CTL_ADD, map_fd, &ev) < 0)
		goto fail;
	return r;
fail:
	kms_ring__free(r);
	return NULL;
}

void kms_ring__free(struct kms_ring *r)
{
	int saved = errno;

	if (!r)
		return;
	if (r->consumer_pos)
		munmap(r->consumer_pos, r->page);
	if (r->producer_pos)
		munmap((void *)r->producer_pos, r->page + 2 * r->size);
	if (r->epfd >= 0)
		close(r->epfd);
	free(r);
	errno = saved;
}

long kms_ring__consume(struct kms_ring *r)
{
	unsigned long cons = *r->consumer_pos, released = cons, prod;
	size_t mask = r->size - 1;
	long n = 0;

	for (;;) {
		prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			break;
		while (cons < prod) {
			const uint32_t *hdr = (const uint32_t *)(r->data + (cons & mask));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

			if (len & BPF_RINGBUF_BUSY_BIT)
				goto out;	/* reserved, not yet committed */
			cons += ((len & ~BPF_RINGBUF_DISCARD_BIT) + BPF_RINGBUF_HDR_SZ + 7) & ~7UL;
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				r->fn(r->ctx, (const uint8_t *)hdr + BPF_RINGBUF_HDR_SZ, len);
				n++;
			}
			if (cons - released >= KMS_RING_RELEASE_BYTES) {
				__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
				released = cons;
			}
		}
	}
out:
	__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
	return n;
}

long kms_ring__poll(struct kms_ring *r, int timeout_ms)
{
	struct epoll_event ev;

	if (epoll_wait(r->epfd, &ev, 1, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	return kms_ring__consume(r);
}
