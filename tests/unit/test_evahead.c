// SPDX-License-Identifier: GPL-2.0
/*
 * test_evahead.c - unit tests for src/evahead.h: events come out in the
 * order they went in, at most EVAHEAD_DEPTH are held, a named event is
 * never held (it points into its ring record), and the queue empties at
 * the end of a drain.  The drive loop is the session's (on_ring_record).
 */
#include <stdint.h>
#include <string.h>

#include "evahead.h"
#include "test.h"

#define NR_EVENTS	1000

static uint64_t out_ptr[NR_EVENTS];
static unsigned int nr_out;

static void fold(const struct kms_event *ev)
{
	if (nr_out < NR_EVENTS)
		out_ptr[nr_out] = ev->ptr;
	nr_out++;
}

static void fold_held(struct evahead *q)
{
	const struct kms_event *ev;

	while ((ev = evahead__pop(q)))
		fold(ev);
}

/* One record in, as the session takes it; named: a cache or task record. */
static void take(struct evahead *q, uint64_t ptr, bool named)
{
	struct kms_event *ev;

	if (evahead__full(q))
		fold(evahead__pop(q));
	ev = evahead__tail(q);
	memset(ev, 0, sizeof(*ev));
	ev->type = named ? KMS_EV_CACHE_INFO : KMS_EV_KMALLOC;
	ev->ptr = ptr;
	ev->name = named ? "kmalloc-64" : NULL;
	if (!evahead__holdable(ev)) {
		fold_held(q);
		fold(ev);
		return;
	}
	evahead__commit(q);
}

TEST(empty)
{
	struct evahead q = { 0 };

	CHECK(!evahead__pop(&q));
	CHECK(!evahead__full(&q));
	CHECK(evahead__tail(&q) == &q.ev[0]);
}

TEST(holds_depth_in_order)
{
	struct evahead q = { 0 };
	unsigned int i;

	nr_out = 0;
	for (i = 1; i <= EVAHEAD_DEPTH; i++)
		take(&q, i, false);
	CHECK_INT(nr_out, ==, 0);	/* all held */
	CHECK(evahead__full(&q));
	take(&q, EVAHEAD_DEPTH + 1, false);
	CHECK_INT(nr_out, ==, 1);	/* the oldest came out */
	CHECK_INT(out_ptr[0], ==, 1);
	CHECK_INT(q.n, ==, EVAHEAD_DEPTH);
	fold_held(&q);
	CHECK_INT(nr_out, ==, EVAHEAD_DEPTH + 1);
	for (i = 0; i < nr_out; i++)
		CHECK_INT(out_ptr[i], ==, i + 1);
	CHECK_INT(q.n, ==, 0);
	CHECK(!evahead__pop(&q));
}

/* Every 7th record named, drains ending every 13: order kept throughout. */
TEST(named_and_drains)
{
	struct evahead q = { 0 };
	unsigned int i, max_held = 0, bad = 0;

	nr_out = 0;
	for (i = 0; i < NR_EVENTS; i++) {
		take(&q, i + 1, i % 7 == 3);
		if (i % 7 == 3 && q.n)
			bad++;	/* a named record leaves nothing before it held */
		if (q.n > max_held)
			max_held = q.n;
		if (i % 13 == 12) {
			fold_held(&q);
			CHECK_INT(nr_out, ==, i + 1);
		}
	}
	fold_held(&q);
	CHECK_INT(bad, ==, 0);
	CHECK_INT(max_held, ==, EVAHEAD_DEPTH);
	CHECK_INT(nr_out, ==, NR_EVENTS);
	for (i = 0, bad = 0; i < NR_EVENTS; i++)
		bad += out_ptr[i] != i + 1;
	CHECK_INT(bad, ==, 0);
}

int main(void)
{
	t_suite = "evahead";
	RUN(empty);
	RUN(holds_depth_in_order);
	RUN(named_and_drains);
	return test_done();
}
