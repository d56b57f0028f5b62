// SPDX-License-Identifier: GPL-2.0
/*
 * progress.c - see progress.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "collect.h"
#include "progress.h"
#include "runinfo.h"
#include "session.h"

static bool progress_tick(void *ctx, const struct session *s, uint64_t elapsed_ns)
{
	struct progress *p = ctx;
	uint64_t ev = kms_collect_counts__received(collector__counts(s->c));
	uint64_t dt = elapsed_ns - p->last_ns;
	uint64_t lost = runinfo__events_lost(&s->ri);
	double rate = dt ? (ev - p->last_events) * 1e9 / dt : 0;

	/* --pair: what the kernel holds arrives with its free, or at the end. */
	fprintf(stderr, "\r\033[Kkmscope: %.0f s traced, %" PRIu64 " events (%.0f/s), %" PRIu64
		" lost, %zu live%s; Ctrl-C to stop", elapsed_ns / 1e9, ev, rate, lost,
		collector__live(s->c), s->ri.pair ? " (+ those held in the kernel)" : "");
	fflush(stderr);
	p->shown = true;
	p->last_events = ev;
	p->last_ns = elapsed_ns;
	return false;
}

void progress__attach(struct progress *p, struct session_opts *o)
{
	if (o->quiet || o->input || o->on_tick || !isatty(STDERR_FILENO))
		return;
	o->on_tick = progress_tick;
	o->tick_ms = 1000;
	o->ctx = p;
}

void progress__end(struct progress *p)
{
	if (!p->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->shown = false;
}
