/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ringbuf.h - the consumer side of the BPF ring buffer, mapped directly.
 *
 * libbpf's ring_buffer__consume() publishes the consumer position after
 * every record; the producer reads that position on every reservation, so
 * each record costs a cache-line transfer between the two CPUs.  This
 * consumer publishes it once per 64 KiB of records (and at the end of a
 * drain), which keeps that line shared and quiet.  The memory layout is the
 * kernel's ABI (kernel/bpf/ringbuf.c): a consumer page, then a producer
 * page followed by the data area mapped twice so records never wrap.
 */
#ifndef KMS_RINGBUF_H
#define KMS_RINGBUF_H

#include <stddef.h>

typedef void (*kms_ring_fn)(void *ctx, const void *data, size_t len);

struct kms_ring;

/* map_fd: a BPF_MAP_TYPE_RINGBUF; size: its max_entries.  NULL + errno. */
struct kms_ring *kms_ring__new(int map_fd, size_t size, kms_ring_fn fn, void *ctx);
void kms_ring__free(struct kms_ring *r);
/* Wait up to timeout_ms for a forced wakeup, then drain.  Returns records or -errno. */
long kms_ring__poll(struct kms_ring *r, int timeout_ms);
/* Drain everything committed so far.  Returns the number of records. */
long kms_ring__consume(struct kms_ring *r);

#endif /* KMS_RINGBUF_H */
