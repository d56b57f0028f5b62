/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evahead.h - decoded ring records held a few events back, so that the
 * collector can prefetch each one's allocation-table slot before it folds
 * the event in.
 *
 * A live trace reads records the moment they leave another CPU, and the
 * first touch of an event's table slot was the collector's longest wait
 * (a cache miss on most allocations and frees).  Holding EVAHEAD_DEPTH
 * events lets that miss overlap the work on the events before it.  The
 * order of events is kept; nothing is held across the end of a drain (the
 * caller empties the queue after each), and an event that points into its
 * ring record (a name: cache and task records) is never held, since the
 * ring may reuse that memory once the consumer has moved past it.
 *
 * Pure: no I/O; the caller decodes into evahead__tail() and folds in what
 * evahead__pop() gives back.
 */
#ifndef KMS_EVAHEAD_H
#define KMS_EVAHEAD_H

#include <stdbool.h>

#include "decode.h"

/* Events held; a power of two.  4 measured best of 1, 2, 4 and 8 (docs/performance.md). */
#define EVAHEAD_DEPTH	4

struct evahead {
	struct kms_event ev[EVAHEAD_DEPTH];
	unsigned int head;	/* the oldest held event */
	unsigned int n;		/* events held */
};

/* An event whose fields are all its own (no name in the ring) can wait. */
static inline bool evahead__holdable(const struct kms_event *ev)
{
	return !ev->name;
}

static inline bool evahead__full(const struct evahead *q)
{
	return q->n == EVAHEAD_DEPTH;
}

/* Where the next event is decoded; only valid while the queue is not full. */
static inline struct kms_event *evahead__tail(struct evahead *q)
{
	return &q->ev[(q->head + q->n) % EVAHEAD_DEPTH];
}

/* Hold the event decoded into evahead__tail(). */
static inline void evahead__commit(struct evahead *q)
{
	q->n++;
}

/*
 * The oldest held event, or NULL when none: valid until the next
 * evahead__tail() is written.
 */
static inline const struct kms_event *evahead__pop(struct evahead *q)
{
	const struct kms_event *ev;

	if (!q->n)
		return NULL;
	ev = &q->ev[q->head];
	q->head = (q->head + 1) % EVAHEAD_DEPTH;
	q->n--;
	return ev;
}

#endif /* KMS_EVAHEAD_H */
